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
: "${SOAK_SECONDS:=600}" "${SOAK_OUT:=$top/out/soak}" "${RFC:=$top/../shared/seeds/rfc-kvm-ignore-mmu-notifiers-gmem-only.txt}"
case "$SOAK_SECONDS" in ''|*[!0-9]*) die "SOAK_SECONDS must be a number of seconds" ;; esac
[ $# -eq 0 ] || die "unknown argument '$1' (settings are environment variables)"
for k in $SOAK_KERNELS; do case "$k" in *+rfc) [ -f "$RFC" ] || die "$k: no RFC patch at $RFC (set RFC=FILE)" ;; esac; done
mkdir -p "$SOAK_OUT" || die "cannot create $SOAK_OUT"

join() { local IFS=';'; echo "${*:-none}" | sed 's/;/; /g'; }	# a table cell: "a; b", or none

table=$SOAK_OUT/table.md
{
	echo "| kernel | engine | target | runs | executions | expected findings | unexpected findings |"
	echo "|---|---|---|---|---|---|---|"
} > "$table"
unexpected_total=0
for k in $SOAK_KERNELS; do
	kernel=${k%+rfc} patches=""
	[ "$kernel" != "$k" ] && patches=$RFC
	for e in $SOAK_ENGINES; do
		out="$SOAK_OUT/$k-$e"
		rm -rf "$out/corpus"
		for t in $SOAK_TARGETS; do
			execs=0 found=() version=""
			for s in $SOAK_SEEDS; do
				log="$SOAK_OUT/$k-$e-$t-seed$s.log"
				echo "soak: $k $e $t seed $s, ${SOAK_SECONDS}s" >&2
				KERNEL=$kernel KERNEL_PATCHES=$patches OUT=$out ENGINE=$e TARGET=$t SEED=$s \
					FUZZ_SECONDS=$SOAK_SECONDS "$top/fuzzers/run-fuzz.sh" > "$log" 2>"$log.err" ||
					{ tail -3 "$log.err" >&2; die "$k $e $t: run-fuzz failed (see $log.err)"; }
				version=$(sed -n 's/^  kernel \([^ ]*\).*/\1/p' "$log")
				n=$(sed -n 's/^  executions \([0-9]*\),.*/\1/p' "$log")
				execs=$((execs + ${n:-0}))
				# "    N. oracle: PROPERTY — M file(s); ..." or a sanitizer key
				while IFS= read -r f; do found+=("$f"); done < <(sed -n 's/^    [0-9]*\. \(.*\) — [0-9]* file(s);.*/\1/p' "$log")
			done
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
			echo "| $k ($version) | $e | $t | $(wc -w <<< "$SOAK_SEEDS") x ${SOAK_SECONDS}s | $execs | $(join "${exp[@]+"${exp[@]}"}") | $(join "${unexp[@]+"${unexp[@]}"}") |" >> "$table"
			tail -1 "$table" >&2
		done
	done
done
echo
cat "$table"
echo
echo "soak: $unexpected_total unexpected finding(s); runs and findings in $SOAK_OUT"
[ "$unexpected_total" -eq 0 ]
}; exit
