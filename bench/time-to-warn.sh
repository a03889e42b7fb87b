#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Time for libFuzzer to find a kernel WARN from an EMPTY corpus (issue 23: the
# __kvm_gpc_refresh WARN a never-activated cache hits), one process at a time.
#
#   TTW_OUTS="out/7.3 out/7.2 out/6.12" TTW_SEEDS="1 2 3 4 5" TTW_CAP=60 bench/time-to-warn.sh
#
# Per build and seed: the seconds to the first finding (wall clock, the process
# under nice -n 10), its property, and whether the report names TTW_WANT (a
# fixed string of the report's first line); then per build the count found and
# the median. The first law is off (KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0, TTW_FIRST_LAW=1 turns
# it on): unpatched 7.x breaks it within seconds, and that is not what is measured.
script_name=time-to-warn
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
[ $# -eq 0 ] || die "unknown argument '$1' (settings are environment variables: TTW_OUTS, TTW_SEEDS, TTW_CAP, TTW_WANT)"
outs=${TTW_OUTS:-out/latest}
seeds=${TTW_SEEDS:-1 2 3 4 5}
cap=${TTW_CAP:-60}
want=${TTW_WANT:-WARN at virt/kvm/pfncache.c}
work=$(mktemp -d "${TMPDIR:-/tmp}/ttw.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%F %H:%M UTC')"
echo
echo "| kernel | seed | seconds | property | names the WARN |"
echo "|---|---|---|---|---|"
for out in $outs; do
	[ -x "$out/fuzz_memslot_notifier" ] || die "no fuzz_memslot_notifier in $out"
	k=$(kernel_info "$out" kernel)
	times=()
	for s in $seeds; do
		rm -rf "$work/corpus" "$work/run" && mkdir -p "$work/corpus" "$work/run"
		t0=$(date +%s.%N)
		(cd "$work/run" && KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=${TTW_FIRST_LAW:-0} nice -n 10 "$top/$out/fuzz_memslot_notifier" \
			-seed="$s" -max_total_time="$cap" "$work/corpus" > "$work/log" 2>&1)
		t=$(echo "$(date +%s.%N) - $t0" | bc)
		prop=$(oracle_property < "$work/log")
		named=no
		grep -aF "ORACLE VIOLATION: kernel warning: $want" "$work/log" | grep -q 'which a real caller issues' && named=yes
		if [ -n "$prop" ]; then
			[ "$named" = yes ] && times+=("$t")
			printf '| %s | %s | %.1f | %s | %s |\n' "$k" "$s" "$t" "$prop" "$named"
		else
			printf '| %s | %s | >%s | none | no |\n' "$k" "$s" "$cap"
		fi
	done
	n=${#times[@]}
	med=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { if (NR) printf "%.1f", NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; else print "-" }')
	echo "| $k | found $n/$(wc -w <<< "$seeds") | median $med s | | |"
done
