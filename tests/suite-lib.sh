# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/suites/*.sh: the checkout as the working directory, a
# scratch directory removed at exit, the shared build root, and the
# "ok - name" / "not ok - name" lines (tests/run.sh counts them).
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BUILD_ROOT="${BUILD_ROOT:-$top/build}"
ok() { echo "ok - $1"; pass=$((${pass:-0} + 1)); }
not_ok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "$2" | head -20 | sed 's/^/#   /'; fail=$((${fail:-0} + 1)); }
