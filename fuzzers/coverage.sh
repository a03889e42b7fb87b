#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Coverage of the extracted kernel code: build with SANITIZER=coverage, replay
# a corpus (optionally grown by FUZZ_SECONDS of fuzzing first), and write an
# llvm-cov HTML report plus a text summary with line and branch coverage per
# extracted kernel function, in kernel file/line terms (#line maps the code
# back to the tree).
#
#   KERNEL=latest CORPUS=corpus/fuzz_memslot_notifier FUZZ_SECONDS=0 fuzzers/coverage.sh
#
# Output: $COV_OUT/summary.txt (printed), $COV_OUT/html/index.html.
# Environment: KERNEL, KERNEL_SRC, KERNEL_PATCHES (as for build.sh), CORPUS
# (inputs to replay; default corpus/fuzz_memslot_notifier), FUZZ_SECONDS (fuzzing
# before the replay, default 0), SEED (default 1), COV_OUT (default out/coverage).
set -uo pipefail
script_name=coverage
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
: "${KERNEL:=latest}" "${FUZZ_SECONDS:=0}" "${CORPUS:=$top/corpus/fuzz_memslot_notifier}"
: "${COV_OUT:=$top/out/coverage}" "${SEED:=1}"
export KERNEL
[ $# -eq 0 ] || die "unknown argument '$1' (settings are environment variables: KERNEL, KERNEL_SRC, KERNEL_PATCHES, CORPUS, FUZZ_SECONDS, COV_OUT)"
case "$FUZZ_SECONDS" in ''|*[!0-9]*) die "FUZZ_SECONDS must be a number of seconds" ;; esac
[ -d "$CORPUS" ] || die "no corpus directory $CORPUS"

need_llvm_cov	# LLVM_COV, LLVM_PROFDATA

tmp="$COV_OUT.tmp"
rm -rf "$tmp" && mkdir -p "$tmp/prof" "$tmp/corpus" || die "cannot write $tmp"
SANITIZER=coverage FUZZING_ENGINE=none OUT="$tmp/bin" "$top/build.sh" > "$tmp/build.log" 2>&1 ||
	die "coverage build failed: $(tail -1 "$tmp/build.log")"
bin="$tmp/bin/replay_memslot_notifier"
tree=$(kernel_info "$tmp/bin" tree)
key=$(kernel_info "$tmp/bin" tree_key)
manifest="${BUILD_ROOT:-$top/build}/$key/extracted/manifest.txt"
[ -f "$manifest" ] || die "no manifest at $manifest"

cp -r "$CORPUS"/. "$tmp/corpus/"
if [ "$FUZZ_SECONDS" -gt 0 ]; then	# grow the corpus with an uninstrumented-for-coverage libFuzzer build
	SANITIZER=none FUZZING_ENGINE=libfuzzer OUT="$tmp/fuzz" "$top/build.sh" > "$tmp/build-fuzz.log" 2>&1 ||
		die "fuzzing build failed: $(tail -1 "$tmp/build-fuzz.log")"
	mkdir -p "$tmp/grown"
	for f in "$tmp/corpus"/*; do	# libFuzzer reads bytes: convert text seeds
		[ -f "$f" ] && "$tmp/bin/scenario-text" to-bytes "$f" > "$tmp/grown/$(basename "$f").bin" 2>/dev/null
	done
	KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0 "$tmp/fuzz/fuzz_memslot_notifier" -max_total_time="$FUZZ_SECONDS" -seed="$SEED" \
		"$tmp/grown" > "$tmp/fuzz.log" 2>&1
	cp "$tmp/grown"/* "$tmp/corpus/" 2>/dev/null
fi

# One process per input: a finding aborts (the replayer writes the profile first) and must not hide the rest.
n=0
for f in "$tmp/corpus"/*; do
	[ -f "$f" ] || continue
	case "$f" in *.md) continue ;; esac	# notes beside the scenarios
	( LLVM_PROFILE_FILE="$tmp/prof/$n.profraw" "$bin" "$f" > /dev/null 2>&1; true ) 2>/dev/null
	n=$((n + 1))
done
[ "$n" -gt 0 ] || die "corpus $CORPUS is empty"
"$LLVM_PROFDATA" merge -sparse "$tmp"/prof/*.profraw -o "$tmp/merged.profdata" || die "llvm-profdata merge failed"

# Per function, for the functions extracted from each kernel file. The extractor puts
# each body at its kernel line (extracted/src/<kernel path>), so llvm-cov's lines are
# the kernel's; -path-equivalence makes the HTML show the kernel tree's own files.
gen=$(dirname "$manifest")
summary="$tmp/summary.txt"
{
	echo "coverage of the extracted kernel code: $(kernel_summary "$tmp/bin")"
	echo "inputs: $n from $CORPUS$([ "$FUZZ_SECONDS" -gt 0 ] && echo " plus $FUZZ_SECONDS s of fuzzing")"
} > "$summary"
sources=()
for file in virt/kvm/kvm_main.c virt/kvm/guest_memfd.c virt/kvm/pfncache.c include/linux/kvm_host.h; do
	[ -f "$gen/src/$file" ] && sources+=("$gen/src/$file")
done
"$LLVM_COV" report "$bin" -instr-profile="$tmp/merged.profdata" -show-functions "${sources[@]}" \
	> "$tmp/report.txt" 2>/dev/null || die "llvm-cov report failed"
for file in virt/kvm/kvm_main.c virt/kvm/guest_memfd.c virt/kvm/pfncache.c include/linux/kvm_host.h; do
	# columns of a function row: Name Regions Miss Cover Lines Miss Cover Branches Miss Cover
	awk -v file="$file" '
		FNR == NR { if ($1 == "func" && index($3, file ":") == 1) { want[$2] = $3; n++ } next }
		NF >= 10 && $4 ~ /%$/ {
			name = $1; sub(/^.*:/, "", name)
			# a header inline is compiled into several objects: keep its best-covered copy
			if (!(name in want) || ((name in seen) && $5 - $6 <= best[name])) next
			if (name in seen) { lines -= l[name]; lmiss -= lm[name]; br -= b[name]; bmiss -= bm[name] }
			seen[name] = 1; best[name] = $5 - $6
			l[name] = $5; lm[name] = $6; b[name] = $8; bm[name] = $9
			lines += $5; lmiss += $6; br += $8; bmiss += $9
			row[name] = sprintf("  %-38s %-34s lines %4d/%-4d %7s   branches %4d/%-4d %7s", name, want[name],
				$5 - $6, $5, $7, $8 - $9, $8, $8 ? $10 : "-")
		}
		END {
			if (!n) exit
			printf "%s: %d extracted functions; lines %d/%d (%.1f%%), branches %d/%d (%.1f%%)\n", file, n,
				lines - lmiss, lines, lines ? 100 * (lines - lmiss) / lines : 0,
				br - bmiss, br, br ? 100 * (br - bmiss) / br : 0
			for (f in want) print (f in row) ? row[f] : sprintf("  %-38s %-34s not compiled in (unused inline or macro)", f, want[f]) | "sort"
		}' "$manifest" "$tmp/report.txt" >> "$summary"
done
"$LLVM_COV" show "$bin" -instr-profile="$tmp/merged.profdata" -format=html -output-dir="$tmp/html" \
	-show-line-counts-or-regions -path-equivalence="$gen/src,$tree" "${sources[@]/#$gen\/src/$tree}" \
	"$tree/lib/rbtree.c" "$tree/include/linux/interval_tree_generic.h" > /dev/null 2>&1 ||
	die "llvm-cov show failed"
rm -rf "$COV_OUT" && mv "$tmp" "$COV_OUT"
cat "$COV_OUT/summary.txt"
echo "coverage: HTML report in $COV_OUT/html/index.html"
