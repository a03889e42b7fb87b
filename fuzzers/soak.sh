#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The trust soak: every target on every kernel with both engines, several
# seeds, and one table: executions, findings the kernel is known to have, and
# unexpected findings (which should be none: an unexpected finding is either a
# new kernel bug or an oracle false alarm, and both need a look).
#
#   fuzzers/soak.sh                              # 10 minutes per run: hours
#   SOAK_SECONDS=60 SOAK_SEEDS="1" fuzzers/soak.sh
#
# Environment:
#   SOAK_KERNELS  kernels (default "6.1 6.12 latest latest+rfc"; KEY+rfc adds the
#                 seed RFC from ../shared/seeds, or RFC=FILE)
#   SOAK_ENGINES  default "libfuzzer afl"
#   SOAK_TARGETS  default "fuzz_memslot_notifier fuzz_memslot_notifier_gmem_only_untouched_off fuzz_interval_tree"
#   SOAK_SEEDS    engine seeds, one run each (default "1 2 3")
#   SOAK_STARTS   where the runs start (default "seeds empty"): seeds, the target's
#                 seed corpus and the corpus the earlier seeds grew; empty, one
#                 input and nothing kept from other runs (SEED_CORPUS of run-fuzz.sh)
#   SOAK_SECONDS  per run (default 600); JOBS as for run-fuzz.sh
#   SOAK_OUT      results (default out/soak); the table is SOAK_OUT/table.md
# Expected findings are what corpus/regressions/*.txt say a kernel has ("# expect
# KEY: PROPERTY", KEY as in SOAK_KERNELS) for the memslot targets; the first law
# is never expected of the first-law-off target. Exit 1 if anything unexpected.
{
set -uo pipefail
script_name=soak die_status=2
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
: "${SOAK_KERNELS:=6.1 6.12 latest latest+rfc}" "${SOAK_ENGINES:=libfuzzer afl}" "${SOAK_SEEDS:=1 2 3}"
: "${SOAK_TARGETS:=fuzz_memslot_notifier fuzz_memslot_notifier_gmem_only_untouched_off fuzz_interval_tree}"
: "${SOAK_STARTS:=seeds empty}" "${SOAK_SECONDS:=600}" "${SOAK_OUT:=$top/out/soak}" "${RFC:=$top/../shared/seeds/rfc-kvm-ignore-mmu-notifiers-gmem-only.txt}"
case "$SOAK_SECONDS" in ''|*[!0-9]*) die "SOAK_SECONDS must be a number of seconds" ;; esac
[ $# -eq 0 ] || die "unknown argument '$1' (settings are environment variables)"
for st in $SOAK_STARTS; do case "$st" in seeds|empty) ;; *) die "unknown start '$st' in SOAK_STARTS (seeds, empty)" ;; esac; done
for k in $SOAK_KERNELS; do case "$k" in *+rfc) [ -f "$RFC" ] || die "$k: no RFC patch at $RFC (set RFC=FILE)" ;; esac; done
mkdir -p "$SOAK_OUT" || die "cannot create $SOAK_OUT"

join() { local IFS=';'; echo "${*:-none}" | sed 's/;/; /g'; }	# a table cell: "a; b", or none
cpu_now() { # sets cpu: user + system seconds of the finished runs so far (`times` in this shell:
	# a subshell's own counters start at zero)
	times > "$SOAK_OUT/.times"
	cpu=$(sed -n 2p "$SOAK_OUT/.times" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] } printf "%d\n", s }')
}

table=$SOAK_OUT/table.md
{
	echo "| kernel | engine | target | start | runs | CPU s | executions | expected findings | unexpected findings |"
	echo "|---|---|---|---|---|---|---|---|---|"
} > "$table"
unexpected_total=0
for k in $SOAK_KERNELS; do
	kernel=${k%+rfc} patches=""
	[ "$kernel" != "$k" ] && patches=$RFC
	for e in $SOAK_ENGINES; do
		out="$SOAK_OUT/$k-$e"
		rm -rf "$out/corpus"
		for t in $SOAK_TARGETS; do
		for st in $SOAK_STARTS; do
			execs=0 found=() version=""
			cpu_now; cpu0=$cpu
			for s in $SOAK_SEEDS; do
				log="$SOAK_OUT/$k-$e-$t-$st-seed$s.log"
				echo "soak: $k $e $t from $st, seed $s, ${SOAK_SECONDS}s" >&2
				KERNEL=$kernel KERNEL_PATCHES=$patches OUT=$out ENGINE=$e TARGET=$t SEED=$s SEED_CORPUS=$st \
					FUZZ_SECONDS=$SOAK_SECONDS "$top/fuzzers/run-fuzz.sh" > "$log" 2>"$log.err" ||
					{ tail -3 "$log.err" >&2; die "$k $e $t: run-fuzz failed (see $log.err)"; }
				version=$(sed -n 's/^  kernel \([^ ]*\).*/\1/p' "$log")
				n=$(sed -n 's/^  executions \([0-9]*\),.*/\1/p' "$log")
				execs=$((execs + ${n:-0}))
				# "    N. oracle: PROPERTY — M file(s); ..." or a sanitizer key
				while IFS= read -r f; do found+=("$f"); done < <(sed -n 's/^    [0-9]*\. \(.*\) — [0-9]* file(s);.*/\1/p' "$log")
			done
			cpu_now
			mapfile -t want < <(known_findings "$k" "$t")
			exp=() unexp=()
			mapfile -t unique < <(printf '%s\n' "${found[@]+"${found[@]}"}" | sed '/^$/d' | sort -u)
			for f in "${unique[@]+"${unique[@]}"}"; do
				p=${f#oracle: }
				# grep reads all of it: with -q it may exit first, and printf's SIGPIPE fails the pipe (pipefail)
				if [ "$p" != "$f" ] && printf '%s\n' "${want[@]+"${want[@]}"}" | grep -xF "$p" > /dev/null; then exp+=("$p")
				else unexp+=("$f"); fi
			done
			unexpected_total=$((unexpected_total + ${#unexp[@]}))
			echo "| $k ($version) | $e | $t | $st | $(wc -w <<< "$SOAK_SEEDS") x ${SOAK_SECONDS}s | $((cpu - cpu0)) | $execs | $(join "${exp[@]+"${exp[@]}"}") | $(join "${unexp[@]+"${unexp[@]}"}") |" >> "$table"
			tail -1 "$table" >&2
		done
		done
	done
done
echo
cat "$table"
echo
cpu_now
echo "soak: $unexpected_total unexpected finding(s) in $cpu CPU seconds (user + system of the runs, builds included); runs and findings in $SOAK_OUT"
[ "$unexpected_total" -eq 0 ]
}; exit
