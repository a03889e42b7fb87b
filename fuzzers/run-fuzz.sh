#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job, on all cores: build for a kernel (default: the newest 7.x
# Debian ships), fuzz one target with every core for a bounded time behind a
# live progress line, then deduplicate the findings and print a summary: kernel
# and patches, executions, exec/s, coverage, and each unique finding with its
# reproducer and text form.
#
#   FUZZ_SECONDS=300 fuzzers/run-fuzz.sh
#   ENGINE=afl TARGET=fuzz_memslot_notifier_gmem_only_untouched_off KERNEL=6.12 fuzzers/run-fuzz.sh
#
# Environment:
#   FUZZ_SECONDS  how long to fuzz (default 60)
#   JOBS          parallel fuzzing processes (default: all cores, nproc)
#   ENGINE        libfuzzer (default): one `-fork=JOBS` process, the jobs share a
#                 corpus and a crash does not stop the run;
#                 afl: AFL++ with one main (-M) and JOBS-1 secondaries (-S), synced
#   TARGET        fuzz_memslot_notifier (default), fuzz_memslot_notifier_gmem_only_untouched_off
#                 (older name: ..._first_law_off), fuzz_interval_tree
#   SEED          the engine's random seed (libFuzzer -seed, AFL++ -s; default: the engine's own)
#   SEED_CORPUS   seeds (default): start from the target's seed corpus and $OUT/corpus;
#                 empty: from one input (a single ordinary slot), its corpus kept in
#                 the run's folder
#   KVM_ARCH      x86 (default) or arm64: the arch profile (build.sh); arm64's
#                 targets are the memslot targets with an _arm64 suffix, its OUT out/arm64
#   KERNEL, KERNEL_SRC, KERNEL_PATCHES   as for build.sh
#   OUT           build and results (default ./out; ENGINE=afl: ./out/afl)
#   MINIMIZE_SECONDS  engine time per finding for minimizing (default 10)
#   FOCUS_FUNCTION  a kernel function libFuzzer favours the inputs that reach
#                 (-focus_function; check-patch.sh sets the patch's; AFL++ ignores it)
# An oracle finding does not stop the engine: the target records its first input
# once per run (raw/recorded-PROPERTY, KVM_HVA_FUZZ_RECORD_DIR) and goes on at full
# speed; a sanitizer report or a BUG() still crashes the job.
# Results: $OUT/findings/RUN/ holds raw/ (every crashing input the engine kept)
# and, per unique finding, NN-SLUG (its representative, minimized: the engine's
# minimizer, then whole operations dropped while the same key still comes out;
# replay it with $OUT/replay_memslot_notifier or fuzzers/repro.sh), NN-SLUG.txt
# (its text form), NN-SLUG.report (the replayed report), and findings.tsv
# (name, key, files, operations, original input; for check-patch.sh). Findings are the same when their
# oracle property is, or, for sanitizer reports, their error kind and first
# kernel function, as syzbot titles them (#line puts kernel paths into the frames). The corpus grows in
# $OUT/corpus/TARGET across runs. Exit status 0 unless the build or the engine
# failed; findings are in the summary.
{ # parsed whole before it runs: editing this file during a run cannot change that run
set -uo pipefail
script_name=run-fuzz
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
: "${KVM_ARCH:=x86}"
case "$KVM_ARCH" in
	x86) arch_suffix="" sub="" ;;
	arm64) arch_suffix=_arm64 sub=/arm64 ;;
	*) die "unknown KVM_ARCH=$KVM_ARCH (x86, arm64)" ;;
esac
export KVM_ARCH
: "${FUZZ_SECONDS:=60}" "${KERNEL:=latest}" "${ENGINE:=libfuzzer}" "${TARGET:=fuzz_memslot_notifier$arch_suffix}"
: "${JOBS:=$(nproc 2>/dev/null || echo 1)}"
case "$FUZZ_SECONDS" in ''|*[!0-9]*) die "FUZZ_SECONDS must be a number of seconds" ;; esac
case "$JOBS" in ''|*[!0-9]*|0) die "JOBS must be a positive number" ;; esac
case "${SEED:-}" in *[!0-9]*) die "SEED must be a number" ;; esac
: "${SEED_CORPUS:=seeds}"
case "$SEED_CORPUS" in seeds|empty) ;; *) die "unknown SEED_CORPUS=$SEED_CORPUS (seeds, empty)" ;; esac
seed_arg=() afl_seed=()
[ -n "${SEED:-}" ] && seed_arg=(-seed="$SEED") afl_seed=(-s "$SEED")
case "$ENGINE" in
	libfuzzer) : "${OUT:=$top/out$sub}" ;;
	afl) : "${OUT:=$top/out$sub/afl}" ;;
	*) die "unknown ENGINE=$ENGINE (libfuzzer, afl)" ;;
esac
TARGET=${TARGET/fuzz_memslot_notifier_first_law_off/fuzz_memslot_notifier_gmem_only_untouched_off}	# the older name
need_packages make:make	# the target list is the Makefile's, asked before build.sh installs the rest
all_targets=$(make -s --no-print-directory -C "$top" print-targets)
[ -z "$arch_suffix" ] || all_targets=$(for t in $all_targets; do [ "$t" = fuzz_interval_tree ] || echo "$t$arch_suffix"; done | xargs)
[[ " $all_targets " == *" $TARGET "* ]] || die "unknown TARGET=$TARGET for KVM_ARCH=$KVM_ARCH ($all_targets)"
[ $# -eq 0 ] || die "unknown argument '$1' (settings are environment variables)"
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd) || die "cannot create OUT=$OUT"	# the engine runs in its results folder
export KERNEL OUT

# ---- build (local layout: targets, replayers, scenario-text) -------------------------------
FUZZING_ENGINE=$ENGINE OUT_LAYOUT=local "$top/build.sh" || exit 1
src=${TARGET%"$arch_suffix"}
base=${src%_gmem_only_untouched_off}
replay="$OUT/${base/fuzz_/replay_}"
[ -x "$OUT/$TARGET" ] && [ -x "$replay" ] || die "the build left no $TARGET or ${replay##*/} in $OUT"
law=1; [ "$base" != "$src" ] && law=0
tree=$(kernel_info "$OUT" tree)

run_id=$(date +%Y%m%d-%H%M%S)
results="$OUT/findings/$run_id"
raw="$results/raw"
corpus="$OUT/corpus/$TARGET"
[ "$SEED_CORPUS" = empty ] && corpus="$results/corpus"
seeds="$results/seeds"
log="$results/fuzz.log"
mkdir -p "$raw" "$corpus" "$seeds" || die "cannot create $results"
[ "$SEED_CORPUS" = seeds ] && [ -e "$OUT/${TARGET}_seed_corpus.zip" ] && unzip -q -o "$OUT/${TARGET}_seed_corpus.zip" -d "$seeds"
# AFL++ needs a starting input: two address spaces, one ordinary slot
[ -n "$(ls -A "$seeds")" ] || printf '\x00\x00\x00\x00\x00\x00\x0f\x00' > "$seeds/one-slot"
focus_arg=()
[ -n "${FOCUS_FUNCTION:-}" ] && [ "$ENGINE" = libfuzzer ] && focus_arg=(-focus_function="$FOCUS_FUNCTION")
dict_arg=() afl_dict=()
[ -e "$OUT/$TARGET.dict" ] && dict_arg=(-dict="$OUT/$TARGET.dict") afl_dict=(-x "$OUT/$TARGET.dict")

# ---- classification: one key per finding ----------------------------------------------------
declare -A key_of=() first_of=() count_of=()
keys=()
. "$top/fuzzers/findings-lib.sh"	# finding_classify, finding_minimize, finding_slug
classify() { finding_classify "$OUT" "$TARGET" "$1" "$law"; } # file -> sets $key and $report
slug() { finding_slug "$1"; }
scan() { # classify raw files not seen yet; at most $1 of them (during the run: the fuzzers need the cores)
	local f max=${1:-0} done=0
	for f in "$raw"/recorded-* "$raw"/crash-* "$raw"/leak-* "$raw"/timeout-* "$raw"/oom-* "$raw"/slow-unit-* "$raw"/afl-*; do
		[ -e "$f" ] || continue
		case "$f" in *.report|*.tmp) continue ;; esac
		[ -n "${key_of[$f]:-}" ] && continue
		[ "$max" -gt 0 ] && [ "$done" -ge "$max" ] && break
		done=$((done + 1))
		classify "$f"
		key_of[$f]=$key
		if [ -z "${first_of[$key]:-}" ]; then first_of[$key]=$f; count_of[$key]=0; keys+=("$key")
			printf '\r%-110s\rrun-fuzz: new finding: %s\n' "" "$key" >&2
		fi
		count_of[$key]=$((count_of[$key] + 1))
	done
}

# ---- fuzz --------------------------------------------------------------------------------------
start=$(date +%s)
pids=()
if [ "$ENGINE" = libfuzzer ]; then
	echo "run-fuzz: $TARGET, libFuzzer -fork=$JOBS, ${FUZZ_SECONDS}s; log in $log" >&2
	(cd "$results" && KVM_HVA_FUZZ_RECORD_DIR=$raw exec "$OUT/$TARGET" -fork="$JOBS" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
		-timeout=25 -max_total_time="$FUZZ_SECONDS" -artifact_prefix="$raw/" -print_final_stats=1 \
		"${dict_arg[@]}" "${seed_arg[@]}" "${focus_arg[@]}" "$corpus" "$seeds" > "$log" 2>&1) &
	pids+=($!)
else
	command -v afl-fuzz >/dev/null 2>&1 || die "afl-fuzz not found (Debian's afl++; build.sh installs it as root)"
	sync="$results/afl-sync"
	echo "run-fuzz: $TARGET, AFL++ main + $((JOBS - 1)) secondaries, ${FUZZ_SECONDS}s; logs in $results/afl-*.log" >&2
	for i in $(seq 0 $((JOBS - 1))); do
		role=(-S "sec$i"); [ "$i" = 0 ] && role=(-M main)
		# AFL++ wants ASan to abort and not symbolize; findings are replayed with symbols afterwards
		(cd "$results" && KVM_HVA_FUZZ_RECORD_DIR=$raw AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
			AFL_SKIP_CRASHES=1 ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0 \
			UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:silence_unsigned_overflow=1 \
			exec afl-fuzz "${role[@]}" -i "$seeds" -o "$sync" -V "$FUZZ_SECONDS" -t 25000 \
			"${afl_dict[@]}" "${afl_seed[@]}" -- "$OUT/$TARGET" > "$results/afl-$i.log" 2>&1) &
		pids+=($!)
	done
fi

stats() { # sets execs rate cov crashes
	if [ "$ENGINE" = libfuzzer ]; then
		local last; last=$(grep -aE '^#[0-9]+' "$log" 2>/dev/null | tail -1)
		execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<< "$last")
		cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<< "$last")
		# -fork's "exec/s:" is the last finished job's own average, 0 whenever
		# that job ended on a crash: take the rate from the executions
		# counter instead, over the last 10 s of its "time: Ns" stamps
		rate=$(grep -aoE '^#[0-9]+:.* time: [0-9]+s' "$log" 2>/dev/null |
			sed -E 's/^#([0-9]+):.* time: ([0-9]+)s/\2 \1/' | awk '
			{ t[NR] = $1; e[NR] = $2 }
			END { if (NR == 0) { print 0; exit }
			      i = NR; while (i > 1 && t[NR] - t[i] < 10) i--
			      dt = t[NR] - t[i]; de = e[NR] - e[i]
			      if (dt <= 0) { dt = t[NR]; de = e[NR] }
			      print (dt > 0) ? int(de / dt) : 0 }')
	else
		execs=0 rate=0 cov=0
		local s v line
		# plot_data is rewritten every few seconds (fuzzer_stats about once a minute):
		# relative_time is its first column; ..., execs_per_sec, total_execs,
		# edges_found are its last three
		for s in "$sync"/*/plot_data; do
			line=$(grep -v '^#' "$s" 2>/dev/null | tail -1)
			[ -n "$line" ] || continue
			IFS=', ' read -r -a v <<< "$line"
			local n=${#v[@]}
			execs=$((execs + ${v[n-2]%%.*}))
			# execs_per_sec is the last few seconds' rate, 0 before the first refresh:
			# total_execs over relative_time (the first column) is the real average so far
			[ "${v[0]%%.*}" -gt 0 ] && rate=$((rate + ${v[n-2]%%.*} / ${v[0]%%.*}))
			[ "${v[n-1]}" -gt "$cov" ] && cov=${v[n-1]}
		done
		local final=0 x	# fuzzer_stats has the final numbers once the instances stopped
		for s in "$sync"/*/fuzzer_stats; do
			x=$(sed -n 's/^execs_done *: *//p' "$s" 2>/dev/null); final=$((final + ${x:-0}))
			x=$(sed -n 's/^edges_found *: *//p' "$s" 2>/dev/null); [ "${x:-0}" -gt "$cov" ] && cov=$x
		done
		[ "$final" -gt "$execs" ] && execs=$final
		# AFL++ keeps crashes per instance; gather them (names are unique per instance)
		for s in "$sync"/*/crashes/id:* "$sync"/*/hangs/id:*; do
			[ -e "$s" ] || continue
			local inst=${s#"$sync"/}; inst=${inst%%/*}
			[ -e "$raw/afl-$inst-${s##*/}" ] || cp "$s" "$raw/afl-$inst-${s##*/}" 2>/dev/null
		done
	fi
	: "${execs:=0}" "${cov:=0}" "${rate:=0}"
}
deadline=$((start + FUZZ_SECONDS + 120))
while :; do
	alive=0
	for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
	[ $alive = 1 ] || break
	if [ "$(date +%s)" -gt "$deadline" ]; then
		echo "run-fuzz: the engine overran ${FUZZ_SECONDS}s by 120 s; stopping it" >&2
		for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null; done
		sleep 5; for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
		break
	fi
	stats; scan 3
	nfiles=$(find "$raw" -type f ! -name '*.report' ! -name '*.tmp' | wc -l)
	shown=$rate; [ "$rate" = 0 ] && [ "$execs" -gt 0 ] && shown="?"	# AFL++ before its first refresh: not known, not 0
	printf '\rrun-fuzz: %4ss/%ss  execs %s  exec/s %s  cov %s  findings %s (%s unique)   ' \
		"$(($(date +%s) - start))" "$FUZZ_SECONDS" "$execs" "$shown" "$cov" "$nfiles" "${#keys[@]}" >&2
	sleep 2
done
engine_rc=0
for p in "${pids[@]}"; do wait "$p" || engine_rc=$?; done
elapsed=$(($(date +%s) - start))
echo >&2
stats; scan
if [ "$ENGINE" = libfuzzer ] && ! grep -q 'INFO: exiting\|INFO: fuzzed for\|Done [0-9]* runs' "$log"; then
	echo "run-fuzz: libFuzzer stopped abnormally (exit $engine_rc); see $log" >&2
	tail -5 "$log" >&2
	status=1
elif [ "$ENGINE" = afl ] && [ ! -e "$sync/main/fuzzer_stats" ]; then
	echo "run-fuzz: afl-fuzz did not start; see $results/afl-0.log" >&2
	grep -E 'PROGRAM ABORT|\[-\]' "$results/afl-0.log" | tail -3 >&2
	status=1
else
	status=0
fi

# ---- the unique findings: each representative minimized (engine pass, then whole operations) ----
conv="$OUT/scenario-text"
n=0
[ ${#keys[@]} -gt 0 ] && echo "run-fuzz: minimizing ${#keys[@]} finding(s) (at most ${MINIMIZE_SECONDS:-10} s of $ENGINE each, then whole operations)" >&2
declare -A ops_of=()
for k in "${keys[@]}"; do
	n=$((n + 1))
	f=${first_of[$k]}
	name=$(printf '%02d-%s' "$n" "$(slug "$k")")
	finding_minimize "$OUT" "$TARGET" "$ENGINE" "$f" "$k" "$results/$name" "$law"
	ops_of[$k]=$min_ops
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$k" "${count_of[$k]}" "$min_ops" "$f" >> "$results/findings.tsv"
	classify "$results/$name"; printf '%s\n' "$report" > "$results/$name.report"
	if [ "$base" = fuzz_memslot_notifier ] && [ -x "$conv" ] && "$conv" to-text "$results/$name" > "$results/$name.txt" 2>/dev/null; then :
	else cp "$results/$name.report" "$results/$name.txt"; fi
done

rate_avg=0; [ "$elapsed" -gt 0 ] && rate_avg=$((execs / elapsed))
nfiles=$(find "$raw" -type f ! -name '*.report' ! -name '*.tmp' | wc -l)
echo "== summary"
echo "  $(kernel_summary "$OUT")"
echo "  $TARGET ($KVM_ARCH profile), $ENGINE, $JOBS job(s), $(kernel_info "$OUT" sanitizer), ${elapsed}s"
echo "  results $results"
echo "  executions $execs, $rate_avg exec/s, coverage $cov $( [ "$ENGINE" = afl ] && echo 'edges (AFL map)' || echo 'edges')"
if [ ${#keys[@]} -eq 0 ]; then
	echo "  findings: none"
else
	echo "  findings: $nfiles file(s), ${#keys[@]} unique:"
	n=0
	for k in "${keys[@]}"; do
		n=$((n + 1))
		name=$(printf '%02d-%s' "$n" "$(slug "$k")")
		echo "    $n. $k — ${count_of[$k]} file(s); $results/$name (.txt, .report)"
		if [ -n "${ops_of[$k]}" ]; then
			echo "       minimized to ${ops_of[$k]} operation(s):"
			sed 's/^/         /' "$results/$name.txt"
		fi
	done
fi
exit $status
}; exit
