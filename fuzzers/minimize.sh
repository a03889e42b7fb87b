#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Minimize a crashing input (bytes or text) on a kernel: libFuzzer's
# -minimize_crash by default, afl-tmin with ENGINE=afl, then whole operations
# dropped while the same finding comes out (fuzzers/findings-lib.sh). Writes
# FILE.min (bytes) and FILE.min.txt (its text form) and shows the minimized verdict.
#
#   KERNEL=latest [ENGINE=afl] [RUNS=20000] fuzzers/minimize.sh FILE
#
# Environment: KERNEL, KERNEL_SRC, KERNEL_PATCHES (as for build.sh), ENGINE
# (libfuzzer or afl), RUNS (the engine's minimizing runs), OUT.
set -uo pipefail
script_name=minimize die_status=2
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
: "${KERNEL:=latest}" "${ENGINE:=libfuzzer}" "${RUNS:=20000}"
export KERNEL
[ $# -eq 1 ] || die "usage: fuzzers/minimize.sh FILE (settings are environment variables: KERNEL, KERNEL_SRC, KERNEL_PATCHES, ENGINE, RUNS)"
case "$1" in -*) die "unknown option '$1'" ;; esac
case "$ENGINE" in libfuzzer|afl) ;; *) die "unknown ENGINE=$ENGINE (libfuzzer, afl)" ;; esac
case "$RUNS" in ''|*[!0-9]*) die "RUNS must be a number" ;; esac
file=$1
[ -f "$file" ] && [ -r "$file" ] || die "$file: no such file"
: "${OUT:=$top/out/minimize-$ENGINE}"
export OUT

FUZZING_ENGINE=$ENGINE "$top/build.sh" > "$OUT.build.log" 2>&1 || die "build failed: $(tail -1 "$OUT.build.log")"
conv="$OUT/scenario-text"	# build.sh puts the converter beside the replayers
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$conv" to-bytes "$file" > "$work/input" || die "cannot read $file as a scenario"
. "$top/fuzzers/findings-lib.sh"
finding_classify "$OUT" fuzz_memslot_notifier "$work/input"
[ "$key" != "does not reproduce in the replayer" ] || die "the input does not crash on this kernel: nothing to minimize"
[ "$ENGINE" != afl ] || command -v afl-tmin > /dev/null || die "afl-tmin missing; install afl++"
# the engine's minimizer (at most RUNS runs, MINIMIZE_SECONDS), then whole operations, the same finding kept
MINIMIZE_RUNS=$RUNS finding_minimize "$OUT" fuzz_memslot_notifier "$ENGINE" "$work/input" "$key" "$work/min"
cp "$work/min" "$file.min" && "$conv" to-text "$file.min" > "$file.min.txt" || die "cannot write $file.min"
echo "minimize: $(stat -c %s "$work/input") -> $(stat -c %s "$file.min") bytes; wrote $file.min and $file.min.txt"
cat "$file.min.txt"
verdict=$( ( "$OUT/replay_memslot_notifier" "$file.min" ) 2>&1 )
echo "minimize: verdict: $(grep -m1 '^ORACLE VIOLATION\|^==[0-9]*==ERROR\|^SUMMARY' <<< "$verdict" || echo "no finding (the minimized input no longer crashes)")"
