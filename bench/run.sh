#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmarks of BENCHMARKS.md in one run: exec/s per target, engine and
# sanitizer; the bare rate and the oracle's cost; the reference shape; time to
# the first gmem-only violation; coverage over time; build and fetch times;
# peak memory. Writes $BENCH_OUT/results.md (the table, the machine, the
# commands) and bench/coverage-over-time.png, and prints the table.
#
#   bench/run.sh                               # everything, ~40 min on 2 cores
#   BENCH_SECONDS=5 BENCH_CAP=10 BENCH_SEEDS=3 BENCH_COV_TIMES="5 10 20" \
#     BENCH_MEM_SECONDS=20 BENCH_REF_RUNS=20000 bench/run.sh   # a quick pass
#
# Settings (environment):
#   BENCH_SECONDS     seconds per exec/s run (60)
#   BENCH_CAP         cap per time-to-violation run (60)
#   BENCH_SEEDS       seeds per engine for time to violation (10)
#   BENCH_WINDOW_SEEDS seeds per scheduler window's break (5)
#   BENCH_COV_TIMES   corpus snapshots for coverage, seconds; the last is the
#                     run's length and the peak-memory figure (10 60 300)
#   BENCH_REF_RUNS    -runs of the reference shape per repeat (200000)
#   BENCH_REPEAT      repeats of the reference shape (3)
#   BENCH_BARE_SECONDS seconds per round and mode of bench_bare (3)
#   BENCH_JOBS        parallel runs where one core each is enough: the two
#                     coverage runs, libFuzzer beside AFL++ seeds (nproc, at most 2)
#   BENCH_PARTS       any of: build throughput known bare reference violation
#                     windows coverage (all); known: the main job (run-fuzz.sh, one
#                     job) on the kernel with its known first-law finding against
#                     the same kernel + the seed RFC (none), BENCH_REPEAT rounds each
#   BENCH_OUT         results (out/bench: results.md, table.md, logs/); BENCH_WORK scratch (/tmp/kvm-hva-bench)
#   KERNEL            as for build.sh (latest)
# Exec/s runs use one core at a time and nothing else runs beside them.
{ # parsed whole before it runs: editing this file during a run cannot change that run
set -uo pipefail
script_name=bench
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
[ $# -eq 0 ] || die "unknown argument '$1' (settings are environment variables: BENCH_SECONDS, BENCH_CAP, BENCH_SEEDS, BENCH_WINDOW_SEEDS, BENCH_COV_TIMES, BENCH_REF_RUNS, BENCH_REPEAT, BENCH_BARE_SECONDS, BENCH_JOBS, BENCH_PARTS, BENCH_OUT, BENCH_WORK, KERNEL)"

: "${BENCH_SECONDS:=60}" "${BENCH_CAP:=60}" "${BENCH_SEEDS:=10}" "${BENCH_WINDOW_SEEDS:=5}" "${BENCH_COV_TIMES:=10 60 300}"
: "${BENCH_REF_RUNS:=200000}" "${BENCH_REPEAT:=3}" "${BENCH_BARE_SECONDS:=3}"
: "${BENCH_JOBS:=$(nproc 2>/dev/null || echo 1)}" "${BENCH_PARTS:=build throughput known bare reference violation windows coverage}"
: "${BENCH_OUT:=$top/out/bench}" "${BENCH_WORK:=/tmp/kvm-hva-bench}" "${KERNEL:=latest}"
for v in BENCH_SECONDS BENCH_CAP BENCH_SEEDS BENCH_WINDOW_SEEDS BENCH_REF_RUNS BENCH_REPEAT BENCH_BARE_SECONDS BENCH_JOBS; do
	case "${!v}" in ''|*[!0-9]*|0) die "$v must be a positive number, not '${!v}'" ;; esac
done
for t in $BENCH_COV_TIMES; do case "$t" in *[!0-9]*|0) die "BENCH_COV_TIMES: '$t' is not a positive number of seconds" ;; esac; done
[ -n "${BENCH_COV_TIMES// /}" ] || die "BENCH_COV_TIMES is empty"
for p in $BENCH_PARTS; do
	case "$p" in build|throughput|known|bare|reference|violation|windows|coverage) ;; *) die "unknown part '$p' in BENCH_PARTS (build throughput known bare reference violation windows coverage)" ;; esac
done
[ "$BENCH_JOBS" -gt 2 ] && BENCH_JOBS=2
want() { [[ " $BENCH_PARTS " == *" $1 "* ]]; }
export KERNEL
export BUILD_ROOT="$BENCH_WORK/build"	# private: cleaning an obj dir must not race anyone's build
export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_TRY_AFFINITY=1 AFL_QUIET=1

logs="$BENCH_OUT/logs"
rm -rf "$BENCH_OUT" && mkdir -p "$logs" "$BENCH_WORK" || die "cannot write $BENCH_OUT or $BENCH_WORK"
table="$BENCH_OUT/table.md"
: > "$table"
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%s\", $* }"; }
# median (of the middle two for an even count), min and max of numbers on stdin ("-" for none)
stats() { sort -g | awk '{ v[NR] = $1 } END { if (!NR) { print "- - -"; exit } print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR] }'; }
row() { { printf '| %s ' "$@"; echo '|'; } >> "$table"; }
section() { printf '\n### %s\n\n' "$1" >> "$table"; shift; row "$@"; { printf '|%.0s---' "$@"; echo '|'; } >> "$table"; }

# ---- builds -------------------------------------------------------------------------------
# OUT per engine and sanitizer. libFuzzer without a sanitizer is built in the oss-fuzz
# layout: the local layout's replayers do not link without a sanitizer runtime.
outdir() { echo "$BENCH_WORK/out/$1-${2//+/_}"; }
built=""
build() { # engine sanitizer [extra env...]
	local e=$1 s=$2 o layout=local
	o=$(outdir "$e" "$s")
	[ "$e" = libfuzzer ] && [ "$s" = none ] && layout=oss-fuzz
	# once per run (build.sh itself is incremental): a previous run's binaries are never measured
	[[ " $built " == *" $e/$s "* ]] && return 0
	built="$built $e/$s"
	say "build $e $s"
	FUZZING_ENGINE=$e SANITIZER=$s OUT=$o OUT_LAYOUT=$layout FUZZ_TARGETS="fuzz_memslot_notifier fuzz_interval_tree" \
		"$top/build.sh" > "$logs/build-$e-${s//+/_}.log" 2>&1 || die "build $e $s failed: $(tail -1 "$logs/build-$e-${s//+/_}.log")"
}
build none none
tools=$(outdir none none)
dict="$tools/fuzz_memslot_notifier.dict"
[ -f "$dict" ] || die "no $dict"
# the seed corpus as bytes: corpus/fuzz_memslot_notifier/*.txt through scenario-text
seeds="$BENCH_WORK/seeds"
rm -rf "$seeds" && mkdir -p "$seeds"
for f in "$top"/corpus/fuzz_memslot_notifier/*.txt; do
	"$tools/scenario-text" to-bytes "$f" > "$seeds/$(basename "$f" .txt)" || die "scenario-text: $f"
done
nseeds=$(ls "$seeds" | wc -l)
"$tools/scenario-text" to-bytes "$top/bench/reference-shape.txt" > "$BENCH_WORK/reference-shape.bin" || die "bench/reference-shape.txt"
kver=$(kernel_info "$tools" kernel)

# ---- the machine ----------------------------------------------------------------------------
{
	echo "## Run of $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "- machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM, Linux $(uname -r)"
	echo "- compiler: $(clang --version | head -1); afl++ $(dpkg-query -W -f '${Version}' afl++ 2>/dev/null)"
	echo "- tree: $(git -C "$top" rev-parse --short HEAD 2>/dev/null)$( [ -n "$(git -C "$top" status --porcelain 2>/dev/null)" ] && echo ' + uncommitted changes'), kernel $kver (KERNEL=$KERNEL, unpatched)"
	echo "- load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- settings: BENCH_SECONDS=$BENCH_SECONDS BENCH_CAP=$BENCH_CAP BENCH_SEEDS=$BENCH_SEEDS BENCH_WINDOW_SEEDS=$BENCH_WINDOW_SEEDS BENCH_COV_TIMES=\"$BENCH_COV_TIMES\" BENCH_REF_RUNS=$BENCH_REF_RUNS BENCH_REPEAT=$BENCH_REPEAT BENCH_BARE_SECONDS=$BENCH_BARE_SECONDS BENCH_JOBS=$BENCH_JOBS"
} > "$BENCH_OUT/machine.md"

# ---- libFuzzer and AFL++ runs ---------------------------------------------------------------
# libFuzzer for SECONDS on CORPUS; a finding ends a libFuzzer process, so it is restarted
# on the grown corpus until the time is up. Prints "units seconds".
lf_for() { # bin seconds corpus log [args...]
	local bin=$1 secs=$2 corpus=$3 log=$4; shift 4
	local t0 t left units=0 i=0 u
	t0=$(now)
	: > "$log"
	while :; do
		t=$(now); left=$(calc "int($secs - ($t - $t0) + 0.5)")
		[ "$left" -gt 0 ] || break
		"$bin" -max_total_time="$left" -print_final_stats=1 -artifact_prefix="$(dirname "$log")/" -seed=$((1 + i)) \
			"$@" "$corpus" > "$log.part" 2>&1
		cat "$log.part" >> "$log"
		u=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log.part" | tail -1)
		units=$((units + ${u:-0}))
		i=$((i + 1))
		grep -q 'ERROR: libFuzzer\|ORACLE VIOLATION\|ERROR: AddressSanitizer\|runtime error' "$log.part" || break
		echo "bench: restarted after a finding" >> "$log"
	done
	rm -f "$log.part"
	echo "$units $(calc "$(now) - $t0")"
}
afl_rate() { # bin seconds indir outdir log [afl args...]
	local bin=$1 secs=$2 in=$3 o=$4 log=$5; shift 5
	rm -rf "$o"
	afl-fuzz -i "$in" -o "$o" -V "$secs" "$@" -- "$bin" > "$log" 2>&1
	sed -n 's/^execs_per_sec *: *//p' "$o/default/fuzzer_stats" 2>/dev/null | head -1
}

# ---- build and fetch times ------------------------------------------------------------------
if want build; then
	say "build times"
	build libfuzzer address+undefined
	o=$(outdir libfuzzer address+undefined)
	touch "$top/harness/driver.c"
	t0=$(now)
	FUZZING_ENGINE=libfuzzer SANITIZER=address+undefined OUT=$o "$top/build.sh" > "$logs/build-warm-touch.log" 2>&1 || die "warm build failed"
	warm_touch=$(calc "$(now) - $t0")
	key=$(kernel_info "$o" tree_key)
	rm -rf "$BUILD_ROOT/$key"/obj-address_undefined-libfuzzer-x86_64-*
	t0=$(now)
	FUZZING_ENGINE=libfuzzer SANITIZER=address+undefined OUT=$o "$top/build.sh" > "$logs/build-warm-clean.log" 2>&1 || die "clean-obj build failed"
	warm_clean=$(calc "$(now) - $t0")
	cold="$BENCH_WORK/cold"
	rm -rf "$cold" && mkdir -p "$cold"
	t0=$(now)
	XDG_CACHE_HOME="$cold/cache" BUILD_ROOT="$cold/build" "$top/extracted/prepare-tree.sh" > "$cold/tree.env" 2> "$logs/fetch-cold.log" ||
		die "cold fetch failed: $(tail -1 "$logs/fetch-cold.log")"
	fetch_cold=$(calc "$(now) - $t0")
	t0=$(now)
	XDG_CACHE_HOME="$cold/cache" BUILD_ROOT="$cold/build" "$top/extracted/prepare-tree.sh" > /dev/null 2> "$logs/fetch-cached.log" ||
		die "cached fetch failed"
	fetch_cached=$(calc "$(now) - $t0")
	tree=$(eval "$(cat "$cold/tree.env")"; echo "$TREE")
	t0=$(now)
	# shellcheck disable=SC2046 # the profile's arguments, one word each
	python3 "$top/extracted/extract.py" --tree "$tree" --shims "$top/shims" --roots "$top/extracted/roots.txt" \
		--kconfig "$top/extracted/kconfig.txt" $(extract_profile_args x86) --out "$cold/extracted" \
		> "$logs/extract.log" 2>&1 || die "extract failed"
	extract=$(calc "$(now) - $t0")
	du_cache=$(du -sh "$cold/cache" 2>/dev/null | cut -f1)
	rm -rf "$cold"
	section "Build and kernel fetch (seconds)" "step" "what" "seconds"
	row "warm build" "touch harness/driver.c, then build.sh (address+undefined, libFuzzer, all targets, seed zips)" "$(printf %.1f "$warm_touch")"
	row "warm build, clean obj dir" "rm -rf the flavour's obj dir (extraction kept), then build.sh" "$(printf %.1f "$warm_clean")"
	row "kernel fetch, cold" "prepare-tree.sh with an empty XDG_CACHE_HOME and BUILD_ROOT (apt-get download + unpack; cache $du_cache)" "$(printf %.1f "$fetch_cold")"
	row "kernel fetch, cached" "prepare-tree.sh again" "$(printf %.1f "$fetch_cached")"
	row "extract" "extract.py on the fetched tree" "$(printf %.1f "$extract")"
fi

# ---- exec/s per target, engine and sanitizer ---------------------------------------------------
if want throughput; then
	section "Exec/s, one core, ${BENCH_SECONDS} s, fixed seeds (libFuzzer -seed=1, AFL++ -s 1)" "target" "engine" "address+undefined" "address" "none"
	for t in fuzz_memslot_notifier fuzz_interval_tree; do
		for e in libfuzzer afl; do
			rates=()
			for s in address+undefined address none; do
				build "$e" "$s"
				o=$(outdir "$e" "$s")
				d="$BENCH_WORK/tp/$t-$e-${s//+/_}"
				rm -rf "$d" && mkdir -p "$d/corpus" "$d/in"
				args=() afl_args=(-s 1)
				if [ "$t" = fuzz_memslot_notifier ]; then
					cp "$seeds"/* "$d/corpus/"; cp "$seeds"/* "$d/in/"
					args=(-dict="$dict" -max_len=400); afl_args+=(-x "$dict")
				else
					printf '\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f' > "$d/in/seed"
				fi
				say "exec/s $t $e $s"
				if [ "$e" = libfuzzer ]; then
					read -r units secs < <(KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0 lf_for "$o/$t" "$BENCH_SECONDS" "$d/corpus" "$logs/tp-$t-$e-${s//+/_}.log" "${args[@]}")
					rate=$(calc "int($units / $secs)")
				else
					rate=$(KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0 afl_rate "$o/$t" "$BENCH_SECONDS" "$d/in" "$d/afl" "$logs/tp-$t-$e-${s//+/_}.log" "${afl_args[@]}")
					rate=${rate%%.*}
				fi
				rates+=("${rate:-failed}")
			done
			row "$t" "$e" "${rates[@]}"
		done
	done
	{
		echo
		echo "Memslot target: the $nseeds seeds of corpus/fuzz_memslot_notifier as bytes, the dict, -max_len=400,"
		echo "first law off (KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0: on the unpatched kernel it would stop libFuzzer within"
		echo "seconds; the check itself is one branch). Interval tree: no dict, libFuzzer from an empty corpus,"
		echo "AFL++ from one 16-byte file. libFuzzer: executed units / wall time (restarted on a finding);"
		echo "AFL++: execs_per_sec of fuzzer_stats."
	} >> "$table"
fi

# ---- what a known finding costs the main job -------------------------------------------------------
if want known; then
	rfc=$(shared_seed rfc-kvm-ignore-mmu-notifiers-gmem-only.txt)
	if [ -z "$rfc" ]; then
		say "known: no RFC in ../shared/seeds: skipped"
	else
		section "The main job with a known finding (fuzzers/run-fuzz.sh, JOBS=1, ${BENCH_SECONDS} s, SEED=1; median (min-max) of $BENCH_REPEAT alternating rounds)" \
			"kernel" "exec/s" "unique findings" "ratio to no finding"
		declare -A known_rates=() known_found=()
		for r in $(seq "$BENCH_REPEAT"); do
			for k in plain rfc; do
				p=""; [ "$k" = rfc ] && p=$rfc
				say "known: $k round $r"
				KERNEL_PATCHES=$p OUT="$BENCH_WORK/known-$k" JOBS=1 SEED=1 FUZZ_SECONDS=$BENCH_SECONDS MINIMIZE_SECONDS=1 \
					"$top/fuzzers/run-fuzz.sh" > "$logs/known-$k-$r.log" 2>&1 || die "known: run-fuzz failed ($logs/known-$k-$r.log)"
				known_rates[$k]+="$(sed -n 's/^  executions [0-9]*, \([0-9]*\) exec\/s.*/\1/p' "$logs/known-$k-$r.log") "
				known_found[$k]=$(grep -c '^    [0-9]*\. ' "$logs/known-$k-$r.log")
			done
		done
		read -r m_rfc lo_rfc hi_rfc < <(tr ' ' '\n' <<< "${known_rates[rfc]}" | sed '/^$/d' | stats)
		read -r m_plain lo_plain hi_plain < <(tr ' ' '\n' <<< "${known_rates[plain]}" | sed '/^$/d' | stats)
		row "$kver (the first law: a known finding)" "$m_plain ($lo_plain-$hi_plain)" "${known_found[plain]}" "$(calc "int(100 * $m_plain / $m_rfc + 0.5) / 100")"
		row "$kver + the seed RFC (no finding)" "$m_rfc ($lo_rfc-$hi_rfc)" "${known_found[rfc]}" "1"
	fi
fi

# ---- the bare rate and the oracle's cost ---------------------------------------------------------
if want bare; then
	say "bare rate"
	section "Bare rate and harness overhead (no sanitizer, no engine; targets/tools/bench_bare, median (min-max) of 5 alternating rounds of ${BENCH_BARE_SECONDS} s per mode)" "inputs" "oracle off (exec/s)" "oracle on (exec/s)" "overhead on/off"
	for set in corpus reference; do
		if [ "$set" = corpus ]; then in=("$top/corpus/fuzz_memslot_notifier"); label="seed corpus ($nseeds scenarios)"
		else in=("$top/bench/reference-shape.txt"); label="reference shape"; fi
		KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0 "$tools/bench_bare" -t "$BENCH_BARE_SECONDS" -r 5 "${in[@]}" > "$logs/bare-$set.log" 2>&1 ||
			die "bench_bare failed: $(tail -1 "$logs/bare-$set.log")"
		# "KEY MEDIAN (rounds: A B C)" -> "MEDIAN (A-C)"
		fmt() { sed -n "s/^$1 \([0-9]*\) (rounds: \([0-9]*\).* \([0-9]*\))$/\1 (\2-\3)/p" "$logs/bare-$set.log"; }
		row "$label" "$(fmt oracle_off_execs_per_sec)" "$(fmt oracle_on_execs_per_sec)" "$(sed -n 's/^overhead //p' "$logs/bare-$set.log")x"
	done
fi

# ---- the reference shape under libFuzzer ---------------------------------------------------------------
if want reference; then
	section "Reference shape (bench/reference-shape.txt) under libFuzzer: -runs=$BENCH_REF_RUNS on the one input, $BENCH_REPEAT repeats" "sanitizer" "exec/s median" "min" "max"
	for s in address+undefined none; do
		build libfuzzer "$s"
		o=$(outdir libfuzzer "$s")
		for i in $(seq "$BENCH_REPEAT"); do
			"$o/fuzz_memslot_notifier" -runs="$BENCH_REF_RUNS" "$BENCH_WORK/reference-shape.bin" > "$logs/ref-${s//+/_}-$i.log" 2>&1
			ms=$(sed -n 's/^Executed .* in \([0-9]*\) ms$/\1/p' "$logs/ref-${s//+/_}-$i.log")
			[ -n "$ms" ] && calc "int($BENCH_REF_RUNS * 1000 / ($ms ? $ms : 1))" && echo
		done > "$BENCH_WORK/ref-$s.txt"
		read -r med lo hi < <(stats < "$BENCH_WORK/ref-$s.txt")
		row "$s" "$med" "$lo" "$hi"
	done
	echo >> "$table"
	echo "libFuzzer re-reads the file before every run of -runs=N (RunOneTest); fuzzing does not." >> "$table"
fi

# ---- time to the first gmem-only violation --------------------------------------------------------------
# libFuzzer on a corpus (empty, or a copy of FROM) until PROPERTY is reported; a different finding
# restarts it on its corpus. Prints seconds or "-".
lf_time_to() { # bin property seed dir [from]
	local bin=$1 prop=$2 s=$3 d=$4 from=${5:-} t0 t left i=0
	rm -rf "$d" && mkdir -p "$d/corpus"
	[ -n "$from" ] && cp "$from"/* "$d/corpus/" 2>/dev/null
	t0=$(now)
	while :; do
		t=$(now); left=$(calc "int($BENCH_CAP - ($t - $t0) + 0.999)")
		[ "$left" -gt 0 ] || { echo -; return; }
		"$bin" -seed=$((s + 1000 * i)) -max_total_time="$left" -dict="$dict" -max_len=400 \
			-artifact_prefix="$d/" "$d/corpus" > "$d/log-$i" 2>&1
		t=$(now)
		if [ "$(oracle_property < "$d/log-$i")" = "$prop" ]; then
			calc "$t - $t0"; echo; return
		fi
		grep -q 'ERROR: libFuzzer\|ORACLE VIOLATION\|ERROR: AddressSanitizer' "$d/log-$i" || { echo -; return; }
		i=$((i + 1))
	done
}
# libFuzzer: empty corpus, the dict
lf_violation() { # seed -> seconds or "-"
	lf_time_to "$(outdir libfuzzer address+undefined)/fuzz_memslot_notifier" "gmem-only untouched" "$1" "$BENCH_WORK/viol/lf-$1"
}
# the row of a time-to-find table from a file of per-seed results
found_row() { # label file seeds [more cells before found...]
	local label=$1 f=$2 n=$3 found med lo hi; shift 3
	found=$(grep -vc '^-$' "$f")
	read -r med lo hi < <(grep -v '^-$' "$f" | stats | awk '{ for (i = 1; i <= 3; i++) $i = ($i == "-" ? "-" : sprintf("%.1f", $i)); print }')
	row "$label" "$@" "$found/$n" "$med" "$lo" "$hi" \
		"$(awk '{ printf "%s%s", (NR > 1 ? " " : ""), ($1 == "-" ? "-" : sprintf("%.1f", $1)) }' "$f")"
}
# AFL++: one 2-byte input (an empty scenario), the dict; crashes are replayed as they appear,
# the first gmem-only one ends the run and its time comes from its file name (time:MS).
afl_violation() { # seed -> seconds or "-"
	local s=$1 d="$BENCH_WORK/viol/afl-$1" o pid f t0 seen=" " ms
	o=$(outdir afl address+undefined)
	rm -rf "$d" && mkdir -p "$d/in"
	printf '\x00\x00' > "$d/in/empty"
	afl-fuzz -i "$d/in" -o "$d/out" -V "$BENCH_CAP" -s "$s" -x "$dict" -- "$o/fuzz_memslot_notifier" > "$d/log" 2>&1 &
	pid=$!
	t0=$(now)
	while kill -0 "$pid" 2>/dev/null; do
		sleep 0.5
		for f in "$d"/out/default/crashes/id:*; do
			[ -f "$f" ] && [[ "$seen" != *" $f "* ]] || continue
			seen="$seen$f "
			# (the replayer aborts on a finding: its status says nothing here; a subshell keeps bash's note quiet)
			( "$o/replay_memslot_notifier" "$f" > "$d/replay.txt" 2>&1; true ) 2>/dev/null
			if [ "$(oracle_property < "$d/replay.txt")" = "gmem-only untouched" ]; then
				kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
				ms=$(echo "$f" | sed -n 's/.*,time:\([0-9]*\).*/\1/p')
				if [ -n "$ms" ]; then calc "$ms / 1000"; else calc "$(now) - $t0"; fi
				echo; return
			fi
		done
		[ "$(calc "int($(now) - $t0)")" -gt $((BENCH_CAP + 30)) ] && kill "$pid" 2>/dev/null
	done
	wait "$pid" 2>/dev/null
	echo -
}
if want violation; then
	build libfuzzer address+undefined
	build afl address+undefined
	mkdir -p "$BENCH_WORK/viol"
	say "time to violation: $BENCH_SEEDS seeds per engine, cap $BENCH_CAP s"
	lf_all() { for s in $(seq "$BENCH_SEEDS"); do lf_violation "$s"; done > "$BENCH_WORK/viol/lf.txt"; }
	afl_all() { for s in $(seq "$BENCH_SEEDS"); do afl_violation "$s"; done > "$BENCH_WORK/viol/afl.txt"; }
	if [ "$BENCH_JOBS" -ge 2 ]; then lf_all & lf_pid=$!; afl_all; wait "$lf_pid"; else lf_all; afl_all; fi
	section "Time to the first gmem-only violation (kernel $kver unpatched, address+undefined, empty corpus, dict, cap $BENCH_CAP s)" "engine" "found" "median (s)" "min (s)" "max (s)" "per seed (s)"
	for e in lf afl; do
		found_row "$([ $e = lf ] && echo libFuzzer || echo AFL++)" "$BENCH_WORK/viol/$e.txt" "$BENCH_SEEDS"
	done
	echo >> "$table"
	echo "Seeds 1..$BENCH_SEEDS (libFuzzer -seed=N, AFL++ -s N); \"-\" = not within the cap (a median over found ones only)." >> "$table"
	cp "$BENCH_WORK/viol"/*.txt "$logs/" 2>/dev/null
fi

# ---- time to find each scheduler window's bug (tests/breaks/windows.txt) ------------------------------
# Each break is made into a patch of the kernel at run time; the law-off target fuzzes from the seed
# corpus build.sh packs for the broken kernel, which leaves out the seeds that fail on it (the
# window's own seed among them): the fuzzer has to get there from the others.
if want windows; then
	work="$BENCH_WORK/breaks"; mkdir -p "$work"	# break_kernel's scratch
	tree=$(tree_of KERNEL="$KERNEL")
	[ -n "$tree" ] || die "windows: no kernel tree for KERNEL=$KERNEL"
	mkdir -p "$BENCH_WORK/win"
	section "Time to find each window's bug (kernel $kver broken at run time, libFuzzer, address+undefined, first law off, the seed corpus, dict, cap $BENCH_CAP s)" "break" "property" "found" "median (s)" "min (s)" "max (s)" "per seed (s)"
	while IFS=$'\t' read -r -u 3 name prop _ file expr; do
		[ -n "$name" ] && [ "${name#\#}" = "$name" ] || continue
		p=$(break_kernel "$name" "$tree" "$file" "$expr") || die "windows: the break $name does not apply to kernel $kver"
		o="$BENCH_WORK/out/window-$name" t=fuzz_memslot_notifier_gmem_only_untouched_off
		say "window $name: build, then $BENCH_WINDOW_SEEDS seeds"
		FUZZING_ENGINE=libfuzzer SANITIZER=address+undefined OUT="$o" KERNEL_PATCHES="$p" FUZZ_TARGETS=$t \
			"$top/build.sh" > "$logs/build-window-$name.log" 2>&1 || die "windows: build of $name failed: $(tail -1 "$logs/build-window-$name.log")"
		rm -rf "$BENCH_WORK/win/seeds-$name" && mkdir -p "$BENCH_WORK/win/seeds-$name"
		unzip -q -o "$o/${t}_seed_corpus.zip" -d "$BENCH_WORK/win/seeds-$name" || die "windows: no seed corpus for $name"
		for s in $(seq "$BENCH_WINDOW_SEEDS"); do
			lf_time_to "$o/$t" "$prop" "$s" "$BENCH_WORK/win/$name-$s" "$BENCH_WORK/win/seeds-$name"
		done > "$BENCH_WORK/win/$name.txt"
		found_row "$name" "$BENCH_WORK/win/$name.txt" "$BENCH_WINDOW_SEEDS" "$prop"
		cp "$BENCH_WORK/win/$name.txt" "$logs/window-$name.txt"
	done 3< "$top/tests/breaks/windows.txt"
	echo >> "$table"
	echo "Seeds 1..$BENCH_WINDOW_SEEDS (libFuzzer -seed=N); \"-\" = not within the cap (a median over found ones only)." >> "$table"
fi

# ---- coverage over time and peak memory -------------------------------------------------------------------
if want coverage; then
	build libfuzzer address+undefined
	o=$(outdir libfuzzer address+undefined)
	times=($(echo "$BENCH_COV_TIMES" | tr ' ' '\n' | sort -n))
	total=${times[${#times[@]} - 1]}
	rss_at() { # dir seconds: the fuzzing process's resident set now, in MB
		local p
		for p in $(pgrep -x fuzz_memslot_no); do
			tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q -- "$1/corpus" || continue
			echo "$2 $(awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$p/status" 2>/dev/null)" >> "$1/rss.txt"
		done
	}
	cov_run() { # start (empty|seeds): fuzz $total s with snapshots; /usr/bin/time -v gives peak RSS
		local start=$1 d="$BENCH_WORK/cov/$1" t0 fpid
		rm -rf "$d" && mkdir -p "$d/corpus"
		[ "$start" = seeds ] && cp "$seeds"/* "$d/corpus/"
		t0=$(now)
		(
			KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0 /usr/bin/time -v -o "$d/time.txt" bash -c "$(declare -f now calc lf_for); lf_for '$o/fuzz_memslot_notifier' $total '$d/corpus' '$d/fuzz.log' -dict='$dict' -max_len=400 > '$d/units.txt'"
		) &
		fpid=$!
		for t in "${times[@]}"; do
			[ "$t" -eq "$total" ] && break
			sleep "$(calc "$t - ($(now) - $t0)")" 2>/dev/null
			# (libFuzzer may drop an input it has just reduced while this copies)
			cp -r "$d/corpus" "$d/snap-$t" 2>/dev/null
			rss_at "$d" "$t"
		done
		sleep "$(calc "$total - 2 - ($(now) - $t0)")" 2>/dev/null
		rss_at "$d" "$total"
		wait "$fpid"
		cp -r "$d/corpus" "$d/snap-$total"
	}
	say "coverage: fuzzing $total s from an empty corpus and from the seeds"
	mkdir -p "$BENCH_WORK/cov"
	if [ "$BENCH_JOBS" -ge 2 ]; then cov_run empty & p=$!; cov_run seeds; wait "$p"; else cov_run empty; cov_run seeds; fi
	covfig() { # corpus dir label -> "kvm_main.c lines% branches% | ..." row cells
		local c=$1 l=$2
		CORPUS=$c FUZZ_SECONDS=0 COV_OUT="$BENCH_WORK/cov/report-$l" "$top/fuzzers/coverage.sh" > "$logs/coverage-$l.txt" 2>&1 ||
			{ echo "failed"; return; }
		sed -n 's/^\([^ ]*\): \([0-9]*\) extracted functions; lines \([0-9]*\)\/\([0-9]*\) (\([0-9.]*\)%), branches \([0-9]*\)\/\([0-9]*\) (\([0-9.]*\)%).*/\1 \3 \4 \5 \6 \7 \8/p' \
			"$logs/coverage-$l.txt"
	}
	section "Coverage of the extracted kernel functions (llvm-cov via fuzzers/coverage.sh; libFuzzer, address+undefined, dict, first law off)" "start" "after" "inputs" "kvm_main.c lines" "kvm_main.c branches" "kvm_host.h lines" "guest_memfd.c lines" "all lines"
	echo "empty 0 0 0 0" > "$BENCH_OUT/coverage.dat"	# nothing covered before the first input
	for start in seeds empty; do
		points=()
		[ "$start" = seeds ] && points=("0:$seeds")
		for t in "${times[@]}"; do points+=("$t:$BENCH_WORK/cov/$start/snap-$t"); done
		for p in "${points[@]}"; do
			t=${p%%:*} c=${p#*:}
			n=$(ls "$c" | wc -l)
			[ "$n" -gt 0 ] || { row "$start" "${t} s" 0 - - - - -; continue; }
			covfig "$c" "$start-$t" > "$BENCH_WORK/cov/fig-$start-$t.txt"
			get() { awk -v f="$1" -v k="$2" '$1 == f":" || $1 == f { print $k }' "$BENCH_WORK/cov/fig-$start-$t.txt"; }
			cell() { local a b; a=$(get "$1" 2); b=$(get "$1" 3); [ -n "$a" ] && echo "$a/$b ($(get "$1" 4)%)" || echo -; }
			bcell() { local a b; a=$(get "$1" 5); b=$(get "$1" 6); [ -n "$a" ] && echo "$a/$b ($(get "$1" 7)%)" || echo -; }
			all=$(awk '{ h += $2; n += $3 } END { if (n) printf "%d/%d (%.1f%%)", h, n, 100 * h / n; else print "-" }' "$BENCH_WORK/cov/fig-$start-$t.txt")
			row "$start" "${t} s" "$n" "$(cell virt/kvm/kvm_main.c)" "$(bcell virt/kvm/kvm_main.c)" "$(cell include/linux/kvm_host.h)" "$(cell virt/kvm/guest_memfd.c)" "$all"
			echo "$start $t $(get virt/kvm/kvm_main.c 4) $(get virt/kvm/kvm_main.c 7) $(echo "$all" | sed -n 's/.*(\(.*\)%)/\1/p')" >> "$BENCH_OUT/coverage.dat"
		done
	done
	# peak memory of the seeds run (the longest-lived process), and rss as libFuzzer saw it over time
	section "Peak memory of a ${total} s libFuzzer run (address+undefined, from the seeds)" "max RSS (/usr/bin/time -v)" "resident at $(echo "${times[@]}" | sed 's/ / \/ /g') s (MB)" "libFuzzer rss, first and last report" "restarts"
	for start in seeds empty; do
		d="$BENCH_WORK/cov/$start"
		cp "$d/fuzz.log" "$logs/coverage-fuzz-$start.log" 2>/dev/null
		cp "$d/time.txt" "$logs/coverage-time-$start.txt" 2>/dev/null
	done
	d="$BENCH_WORK/cov/seeds"
	maxrss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$d/time.txt")
	rss1=$(grep -o 'rss: [0-9]*Mb' "$d/fuzz.log" | head -1 | sed 's/rss: //')
	rss2=$(grep -o 'rss: [0-9]*Mb' "$d/fuzz.log" | tail -1 | sed 's/rss: //')
	row "$(calc "int(${maxrss:-0} / 1024)") MB" "$(awk '{ printf "%s%s", (NR > 1 ? " / " : ""), $2 }' "$d/rss.txt" 2>/dev/null)" "${rss1:--} / ${rss2:--}" "$(grep -c '^bench: restarted' "$d/fuzz.log")"
	# the plot
	if command -v gnuplot > /dev/null; then
		awk '$1 == "seeds"' "$BENCH_OUT/coverage.dat" > "$BENCH_WORK/cov/seeds.dat"
		awk '$1 == "empty"' "$BENCH_OUT/coverage.dat" > "$BENCH_WORK/cov/empty.dat"
		gnuplot > "$logs/gnuplot.log" 2>&1 <<-EOF || say "gnuplot failed: $(tail -1 "$logs/gnuplot.log")"
			set terminal pngcairo size 900,540 noenhanced
			set output "$top/bench/coverage-over-time.png"
			set title "Coverage of the extracted KVM functions, kernel $kver (libFuzzer, address+undefined, one core each)"
			set xlabel "seconds of fuzzing"
			set ylabel "covered (%)"
			set key bottom right
			set grid
			set xrange [0:$((total + total / 20))]
			set yrange [0:100]
			plot "$BENCH_WORK/cov/seeds.dat" using 2:3 with linespoints lw 2 title "kvm_main.c lines, from the seeds", \
			     "$BENCH_WORK/cov/seeds.dat" using 2:4 with linespoints lw 2 dt 2 title "kvm_main.c branches, from the seeds", \
			     "$BENCH_WORK/cov/empty.dat" using 2:3 with linespoints lw 2 title "kvm_main.c lines, from an empty corpus", \
			     "$BENCH_WORK/cov/empty.dat" using 2:4 with linespoints lw 2 dt 2 title "kvm_main.c branches, from an empty corpus"
		EOF
	else
		say "no gnuplot: no bench/coverage-over-time.png (run: sudo apt-get install -y gnuplot-nox)"
	fi
fi

{
	cat "$BENCH_OUT/machine.md"
	cat "$table"
	echo
	echo "Command: $(for v in BENCH_PARTS BENCH_SECONDS BENCH_CAP BENCH_SEEDS BENCH_WINDOW_SEEDS BENCH_COV_TIMES BENCH_REF_RUNS BENCH_REPEAT BENCH_BARE_SECONDS BENCH_JOBS KERNEL; do printf '%s="%s" ' "$v" "${!v}"; done)bench/run.sh"
	echo "Logs: $logs"
} > "$BENCH_OUT/results.md"
cat "$BENCH_OUT/results.md"
exit 0
}
