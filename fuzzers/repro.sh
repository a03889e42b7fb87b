#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Reproduce a finding from a file (bytes or text scenario) on a kernel:
# builds what is missing, replays, and prints the kernel and patch stack, the
# scenario as text, and the verdict with the oracle's report.
#
#   KERNEL=latest KERNEL_PATCHES="a.patch b.patch" [KVM_ARCH=arm64] fuzzers/repro.sh FILE
#
# Exit status, as git bisect run expects: 1 the finding reproduced, 0 it did
# not (clean), 2 bad input or a failed build.
# Environment: KERNEL, KERNEL_SRC, KERNEL_PATCHES, KVM_ARCH (as for build.sh),
# SANITIZER, OUT.
set -uo pipefail
script_name=repro die_status=2
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
: "${KERNEL:=latest}" "${KVM_ARCH:=x86}"
if [ "$KVM_ARCH" = x86 ]; then : "${OUT:=$top/out/repro}"; else : "${OUT:=$top/out/repro-$KVM_ARCH}"; fi
export KERNEL OUT KVM_ARCH
[ $# -eq 1 ] || die "usage: fuzzers/repro.sh FILE (settings are environment variables: KERNEL, KERNEL_SRC, KERNEL_PATCHES, SANITIZER)"
case "$1" in -*) die "unknown option '$1'" ;; esac
file=$1
[ -f "$file" ] && [ -r "$file" ] || die "$file: no such file"

"$top/build.sh" > "$OUT.build.log" 2>&1 || die "build failed: $(grep -v '^prepare-tree: using' "$OUT.build.log" | tail -1)"
conv="$OUT/scenario-text"	# build.sh puts the converter beside the replayers
text=$("$conv" to-text "$file" 2>&1) || die "$text"

echo "repro: $(kernel_summary "$OUT"), $KVM_ARCH profile, sanitizer $(kernel_info "$OUT" sanitizer)"
echo "repro: scenario $file:"
sed 's/^/    /' <<< "$text"
report=$( ( "$OUT/replay_memslot_notifier" "$file" ) 2>&1 )
rc=$?
if [ $rc -eq 0 ]; then
	echo "repro: no finding: the scenario is clean on this kernel"
	exit 0
fi
prop=$(oracle_property <<< "$report")
echo "repro: the finding reproduced: ${prop:-a sanitizer report or crash (exit $rc)}"
grep -v '^replay: ' <<< "$report" | sed 's/^/    /'
exit 1
