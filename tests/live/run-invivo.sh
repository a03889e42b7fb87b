#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build tests/live/invivo.c into $OUT (or a temp dir) and run it; args are passed on
# (invivo --help lists them). Environment: OUT, CC (default cc), TMPDIR.
set -eu
case "${1:-}" in -h|--help) sed -n '3,4s/^# //p' "$0"; exit 0 ;; esac

src=$(cd "$(dirname "$0")" && pwd)/invivo.c
if [ -n "${OUT:-}" ]; then
	mkdir -p "$OUT"
	dir=$OUT
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/invivo.XXXXXX")
	trap 'rm -rf "$dir"' EXIT
fi

${CC:-cc} -std=gnu11 -O2 -Wall -Wextra -o "$dir/invivo" "$src" "${src%/*}/invivo_stats.c"
# Not exec: the EXIT trap must still remove the temp dir.
rc=0
"$dir/invivo" "$@" || rc=$?
exit "$rc"
