#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Was KVM's .change_pte dead? One command: build for a kernel (default 6.1, the
# last Debian kernel that has the callback) and run change_pte_report, which
# counts change_pte events that reached kvm_set_spte_gfn and changed a mapping,
# with change_pte inside an invalidation (legal) and outside one (unwrapped).
#
#   EVENTS=1000000 SEED=1 KERNEL=6.1 fuzzers/change-pte-report.sh
#
# Environment: KERNEL (default 6.1), KERNEL_SRC, KERNEL_PATCHES, OUT (default
# out/change-pte-<kernel>), EVENTS (change_pte events per mode, default
# 1000000), SEED (default 1). The build is build.sh's default (ASan+UBSan): a
# million events per mode take seconds, and memory errors in the kernel code
# count too. Exit status: 0 report printed, 1 oracle violation or build failure.
set -uo pipefail
script_name=change-pte-report
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
[ $# -eq 0 ] || die "unknown argument '$1' (settings are environment variables)"
: "${KERNEL:=6.1}" "${EVENTS:=1000000}" "${SEED:=1}"
: "${OUT:=$top/out/change-pte-${KERNEL_SRC:+src-}$KERNEL}"
case "$EVENTS" in ''|0|*[!0-9]*) die "EVENTS must be a positive number" ;; esac
case "$SEED" in ''|*[!0-9]*) die "SEED must be a number" ;; esac
export KERNEL OUT

"$top/build.sh" || exit 1
say "$(kernel_summary "$OUT"); $EVENTS events per mode, seed $SEED"
exec "$OUT/change_pte_report" -n "$EVENTS" -s "$SEED" -o "$OUT/change-pte-violation.bin"
