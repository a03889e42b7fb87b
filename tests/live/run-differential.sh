#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Return-code differential against the running kernel: build the harness
# (./build.sh, KERNEL=latest unless KERNEL/KERNEL_SRC/KERNEL_PATCHES say
# otherwise), replay each scenario file with KVM_HVA_FUZZ_TRACE=1, and feed its
# trace to tests/live/differential.c, which repeats every memslot request and
# guest_memfd creation on a fresh VM of the running kernel and compares the
# return codes. Prints the divergences (with the file name) and one line:
#   live: <N> requests compared, <D> divergences (running <uname -r>, tree <version>)
# or "live: skipped: <reason>" without a usable /dev/kvm.
#
# usage: tests/live/run-differential.sh [--out DIR] [--no-build] [--no-map] [-v] FILE|DIR...
#   --out DIR    build into DIR (default: a scratch directory, removed at exit)
#   --no-build   DIR (from --out) already holds a build: use it as it is
#   --no-map     do not mmap the hvas (shows the results do not depend on it)
#   -v           also print every request that matched and the mapping counts
# A DIR stands for its files (sorted; not dotfiles, not *.md notes).
# Exit: 0 compared or skipped, every divergence explained; 1 an unexplained
# divergence; 2 bad input or a failed build.
#
# The first law (KVM_HVA_FUZZ_GMEM_ONLY_CHECK) is off while tracing: a
# gmem-only finding on an unpatched tree would end the trace early, and this
# compares return codes only. Any other finding ends that file's trace; the
# requests before it are compared and a "live: note:" line says so.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
script_name=run-differential die_status=2
. "$here/../../scripts/lib.sh"

out="" build=1 dflags=()
files=()
while [ $# -gt 0 ]; do
	case "$1" in
		--out) [ $# -ge 2 ] || die "--out needs a directory"; out=$2; shift 2 ;;
		--out=*) out=${1#--out=}; shift ;;
		--no-build) build=0; shift ;;
		--no-map) dflags+=(--no-map); shift ;;
		-v|--verbose) dflags+=(-v); shift ;;
		-h|--help) sed -n '/^# usage:/,/^# divergence/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
		--) shift; files+=("$@"); break ;;
		-*) die "unknown option $1" ;;
		*) files+=("$1"); shift ;;
	esac
done
[ ${#files[@]} -gt 0 ] || die "no scenario files (usage: $0 [--out DIR] [--no-build] [--no-map] [-v] FILE|DIR...)"
[ $build = 1 ] || [ -n "$out" ] || die "--no-build needs --out DIR"

# The inputs, in order: files as given, directories as their files (sorted, no dotfiles).
inputs=()
for f in "${files[@]}"; do
	if [ -d "$f" ]; then
		list=$(find "$f" -maxdepth 1 -type f ! -name '.*' ! -name '*.md' | LC_ALL=C sort)
		[ -n "$list" ] || die "$f: no files in the directory"
		while IFS= read -r g; do inputs+=("$g"); done <<< "$list"
	elif [ -f "$f" ]; then
		inputs+=("$f")
	else
		die "$f: no such file or directory"
	fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/differential.XXXXXX") || die "cannot make a scratch directory"
trap 'rm -rf "$work"' EXIT

${CC:-cc} -std=gnu11 -O2 -Wall -Wextra -o "$work/differential" "$here/differential.c" 2> "$work/cc.log" ||
	die "cannot compile differential.c: $(head -3 "$work/cc.log")"

# Without a usable /dev/kvm there is nothing to compare: say so before building anything.
probe=$("$work/differential" < /dev/null) || die "differential failed: $probe"
if grep -q '^live: skipped:' <<< "$probe"; then
	echo "$probe"
	exit 0
fi

if [ -z "$out" ]; then
	out="$work/out"
fi
if [ $build = 1 ]; then
	(cd "$top" && KERNEL=${KERNEL:-latest} OUT="$out" OUT_LAYOUT=local ./build.sh) > "$work/build.log" 2>&1 ||
		die "build failed: $(grep -v '^prepare-tree: using' "$work/build.log" | tail -1)"
fi
[ -x "$out/replay_memslot_notifier" ] && [ -f "$out/kernel-info.txt" ] ||
	die "$out: no replay_memslot_notifier and kernel-info.txt (a ./build.sh output directory?)"
tree=$(kernel_info "$out" kernel)
[ -n "$tree" ] || die "$out/kernel-info.txt has no 'kernel' line"

n=0 d=0 rc=0 running=""
for f in "${inputs[@]}"; do
	# stdbuf: the trace before an aborting finding must reach the pipe
	KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0 KVM_HVA_FUZZ_TRACE=1 stdbuf -oL "$out/replay_memslot_notifier" "$f" \
		> "$work/trace" 2> "$work/replay.err"
	rrc=$?
	if [ $rrc -ne 0 ]; then
		finding=$(grep -m1 '^ORACLE VIOLATION' "$work/replay.err")
		[ -n "$finding" ] || die "$f: replay failed (exit $rrc): $(tail -1 "$work/replay.err")"
		echo "live: note: $f: the replay stopped at a finding ($finding); requests before it compared"
	fi
	res=$("$work/differential" --tree "$tree" --name "$f" "${dflags[@]}" "$work/trace")
	drc=$?
	[ $drc -le 1 ] || die "$f: differential failed: $res"
	[ $drc -eq 1 ] && rc=1
	if grep -q '^live: skipped:' <<< "$res"; then
		echo "$res"
		exit 0
	fi
	sum=$(grep '^live: [0-9]* requests compared' <<< "$res")
	[ -n "$sum" ] || die "$f: no summary from differential: $res"
	grep -v '^live: [0-9]* requests compared' <<< "$res" || true
	read -r fn fd <<< "$(sed -E 's/^live: ([0-9]+) requests compared, ([0-9]+) divergences.*/\1 \2/' <<< "$sum")"
	n=$((n + fn)) d=$((d + fd))
	running=$(sed -E 's/.*\(running ([^,]*), tree .*/\1/' <<< "$sum")
done
echo "live: $n requests compared, $d divergences (running ${running:-$(uname -r)}, tree $tree)"
exit $rc
