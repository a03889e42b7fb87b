#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job: build for a kernel (default: the newest 7.x Debian ships), fuzz
# the memslot/notifier target for a bounded time with a progress line, and
# print a summary: kernel and patches, executions, exec/s, coverage, findings
# by property and where the reproducers are.
#
#   FUZZ_SECONDS=60 KERNEL=latest KERNEL_PATCHES="..." fuzzers/run-fuzz.sh
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${FUZZ_SECONDS:=60}" "${KERNEL:=latest}" "${OUT:=$top/out}" "${JOBS:=1}"
export KERNEL OUT
case "$FUZZ_SECONDS" in ''|*[!0-9]*) echo "run-fuzz: FUZZ_SECONDS must be a number of seconds" >&2; exit 1 ;; esac
[ $# -eq 0 ] || { echo "run-fuzz: unknown argument '$1' (settings are environment variables)" >&2; exit 1; }

"$top/build.sh" || exit 1
findings="$OUT/findings"
corpus="$OUT/corpus/fuzz_memslot_notifier"
mkdir -p "$findings" "$corpus"
log="$OUT/fuzz.log"
echo "run-fuzz: fuzzing for ${FUZZ_SECONDS}s ($JOBS job(s)); log in $log" >&2
# fork mode keeps going after a finding, so one run reports every property it hits
"$OUT/fuzz_memslot_notifier" -fork="$JOBS" -ignore_crashes=1 -max_total_time="$FUZZ_SECONDS" \
	-artifact_prefix="$findings/" -print_final_stats=1 "$corpus" > "$log" 2>&1 &
pid=$!
while kill -0 $pid 2>/dev/null; do
	line=$(grep -aE '^#[0-9]+' "$log" | tail -1)
	[ -n "$line" ] && printf '\rrun-fuzz: %-100.100s' "$line" >&2
	sleep 2
done
wait $pid
echo >&2

last=$(grep -aE '^#[0-9]+' "$log" | tail -1)
execs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
rate=$(echo "$last" | sed -n 's/.*exec\/s:* \([0-9]*\).*/\1/p')
echo "== summary"
sed -n 's/^/  /p' "$OUT/kernel-info.txt" | head -3
echo "  executions ${execs:-0} in ${FUZZ_SECONDS}s, ${rate:-0} exec/s, coverage ${cov:-0} edges"
n=0
declare -A seen
for f in "$findings"/crash-* "$findings"/leak-* "$findings"/timeout-*; do
	[ -e "$f" ] || continue
	prop=$( ("$OUT/replay_memslot_notifier" "$f") 2>&1 | sed -n 's/^ORACLE VIOLATION: \([^:]*\):.*/\1/p' | head -1)
	[ -n "$prop" ] || prop="sanitizer or crash"
	n=$((n + 1))
	if [ -z "${seen[$prop]:-}" ]; then
		seen[$prop]=$f
		( "$OUT/replay_memslot_notifier" "$f" > "$f.txt" 2>&1 ) 2>/dev/null
	fi
done
if [ $n -eq 0 ]; then
	echo "  findings: none"
else
	echo "  findings: $n file(s), by property:"
	for p in "${!seen[@]}"; do echo "    $p: ${seen[$p]} (readable: ${seen[$p]}.txt)"; done
fi
