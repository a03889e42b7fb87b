#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A local stand-in for OSS-Fuzz's `helper.py check_build`: for each
# sanitizer/engine pair this machine's toolchain can build, set the environment
# base-builder sets (CC, CXX, CFLAGS and CXXFLAGS with OSS-Fuzz's sanitizer and
# coverage flags, LIB_FUZZING_ENGINE, SANITIZER, FUZZING_ENGINE, a fresh OUT,
# SRC, WORK), run build.sh, move $OUT elsewhere and check every executable in it:
#   - each one that contains LLVMFuzzerTestOneInput is a fuzz target that runs
#     (libFuzzer: -runs=4; AFL++: afl-fuzz starts and executes; standalone: a file),
#     from another directory, with $SRC and $OUT gone;
#   - it is instrumented for its sanitizer and no other (calls into
#     __asan_/__ubsan_/__msan_ in its code, the runtime's symbols via nm);
#   - .options/.dict/_seed_corpus.zip belong to a target; seeds replay cleanly.
# A negative check proves the checks can fail: a doctored $OUT (a replayer, a
# target built for another sanitizer, a target without LLVMFuzzerTestOneInput)
# is reported.
#
#   bash tests/suites/build-check.sh        # prints "ok - ..." / "not ok - ..."
# Environment: KERNEL (default latest, cached), BUILD_CHECK_PAIRS to choose pairs
# ("libfuzzer:address afl:address ..."), BUILD_ROOT.
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top" || exit 1
work=$(mktemp -d "${TEST_WORK:-${TMPDIR:-/tmp}}/build-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
export BUILD_ROOT="${BUILD_ROOT:-$top/build}"
export KERNEL="${KERNEL:-latest}"
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
not_ok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/#   /' | head -15; fail=$((fail + 1)); }

# ---- base-builder's flags (infra/base-images/base-builder, base-clang) ---------------
BASE_CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
UB_CHECKS=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr
declare -A SANITIZER_FLAGS=(
	[address]="-fsanitize=address -fsanitize-address-use-after-scope"
	[undefined]="-fsanitize=$UB_CHECKS,unsigned-integer-overflow -fno-sanitize-recover=$UB_CHECKS"
	[memory]="-fsanitize=memory -fsanitize-memory-track-origins"
	[coverage]=""
	[none]=""
)
COVERAGE_FLAGS_libfuzzer="-fsanitize=fuzzer-no-link"
COVERAGE_FLAGS_coverage="-fprofile-instr-generate -fcoverage-mapping -pthread -Wl,--no-as-needed -Wl,-ldl -Wl,-lm -Wno-unused-command-line-argument"

# A seed every target accepts on an unpatched kernel: two address spaces, one ordinary slot.
seeds="$work/seeds"; mkdir -p "$seeds"
printf '\x00\x00\x00\x00\x00\x00\x0f\x00' > "$seeds/one-slot"

# ---- the standalone driver an engine-less ("none") build links ------------------------
standalone="$work/libStandaloneFuzzTarget.a"
clang -O1 -c fuzzers/replay_main.c -o "$work/standalone.o" 2>/dev/null && ar rcs "$standalone" "$work/standalone.o"

# build PAIR ARCH -> OUT dir in $work/out-PAIR (moved), log in $work/build-PAIR.log
build_pair() { # engine sanitizer arch
	local engine=$1 san=$2 arch=$3 name="$1+$2${3:+-$3}"
	local src="$work/src-$name" out="$work/out-$name.building" wk="$work/work-$name"
	local cflags="$BASE_CFLAGS ${SANITIZER_FLAGS[$san]}" cc=clang cxx=clang++ lib
	mkdir -p "$src" "$out" "$wk"
	case "$engine" in
		libfuzzer) lib="-fsanitize=fuzzer" ;;
		afl) cc=afl-clang-fast cxx=afl-clang-fast++ lib=/usr/lib/afl/libAFLDriver.a ;;
		none) lib=$standalone ;;
	esac
	if [ "$san" = coverage ]; then cflags="$cflags $COVERAGE_FLAGS_coverage"
	elif [ "$engine" = libfuzzer ]; then cflags="$cflags $COVERAGE_FLAGS_libfuzzer"; fi
	[ "$arch" = i386 ] && cflags="-m32 $cflags"
	# the environment is base-builder's only: nothing of ours leaks in
	env -i PATH="$PATH" HOME="$HOME" ${XDG_CACHE_HOME:+XDG_CACHE_HOME="$XDG_CACHE_HOME"} \
		BUILD_ROOT="$BUILD_ROOT" KERNEL="$KERNEL" \
		CC=$cc CXX=$cxx CFLAGS="$cflags" CXXFLAGS="$cflags" LIB_FUZZING_ENGINE="$lib" \
		SANITIZER="$san" FUZZING_ENGINE="$engine" ARCHITECTURE="${arch:-x86_64}" \
		OUT="$out" SRC="$src" WORK="$wk" AFL_QUIET=1 \
		ASAN_OPTIONS=detect_leaks=0:symbolize=0:detect_odr_violation=0:abort_on_error=1 \
		bash ./build.sh > "$work/build-$name.log" 2>&1
}

# calls from code into a sanitizer's entry points (base-runner's bad_build_check counts these)
calls() { # binary prefix
	objdump -d --no-show-raw-insn "$1" 2>/dev/null | grep -cE "call[lq]?[[:space:]]+[0-9a-f]+ <$2" || true
}
has_symbol() { # binary regex
	nm "$1" 2>/dev/null | grep -qE " [TtWw] ($2)\$"
}

# check_out DIR ENGINE SANITIZER: one line per check; returns the number of failures
check_out() {
	local dir=$1 engine=$2 san=$3 label=$4 f t nfail=0
	local targets; targets=$(sed -n 's/^targets //p' "$dir/kernel-info.txt" 2>/dev/null)
	local -a found=()
	say() { if [ "$1" = ok ]; then ok "$label: $2"; else not_ok "$label: $2" "${3:-}"; nfail=$((nfail + 1)); fi; }
	[ -n "$targets" ] || say fail "kernel-info.txt names the targets"
	for t in $targets; do [ -x "$dir/$t" ] || say fail "target $t is in \$OUT"; done
	while IFS= read -r f; do
		t=${f#"$dir"/}
		if ! grep -q LLVMFuzzerTestOneInput "$f"; then
			case " $targets " in *" $t "*) say fail "$t contains LLVMFuzzerTestOneInput" ;; esac
			continue
		fi
		found+=("$t")
		case " $targets " in *" $t "*) ;; *) say fail "$t contains LLVMFuzzerTestOneInput but is not a target of this build" ;; esac
		# runs, from elsewhere, with the build's directories gone
		local log="$work/run.log" rc
		case "$engine" in
			libfuzzer)
				(cd / && env -u SRC -u OUT ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=silence_unsigned_overflow=1 \
					timeout 120 "$f" -runs=4 > "$log" 2>&1); rc=$?
				if [ $rc -eq 0 ] && grep -q 'Done 4 runs' "$log"; then say ok "$t runs -runs=4"
				else say fail "$t runs -runs=4 (exit $rc)" "$(tail -5 "$log")"; fi ;;
			afl)
				rm -rf "$work/afl-sync"
				(cd / && AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
					AFL_QUIET=1 ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0 \
					timeout 60 afl-fuzz -V 3 -i "$seeds" -o "$work/afl-sync" -- "$f" > "$log" 2>&1); rc=$?
				local execs; execs=$(sed -n 's/^execs_done *: *//p' "$work"/afl-sync/*/fuzzer_stats 2>/dev/null | head -1)
				if [ "${execs:-0}" -gt 0 ]; then say ok "$t starts under afl-fuzz ($execs executions)"
				else say fail "$t starts under afl-fuzz (exit $rc)" "$(grep -E 'PROGRAM ABORT|\[-\]' "$log" | tail -5)"; fi
				(cd / && "$f" "$seeds/one-slot" > "$log" 2>&1); rc=$?
				if [ $rc -eq 0 ]; then say ok "$t runs a file with the AFL driver"; else say fail "$t runs a file with the AFL driver (exit $rc)" "$(tail -5 "$log")"; fi ;;
			none)
				(cd / && "$f" "$seeds/one-slot" > "$log" 2>&1); rc=$?
				if [ $rc -eq 0 ]; then say ok "$t runs a file standalone"; else say fail "$t runs a file standalone (exit $rc)" "$(tail -5 "$log")"; fi ;;
		esac
		# instrumented for its sanitizer and no other
		local a u m want=""
		a=$(calls "$f" __asan_) u=$(calls "$f" __ubsan_) m=$(calls "$f" __msan_)
		local bad=""
		case "$san" in
			address) [ "$a" -gt 100 ] && has_symbol "$f" __asan_init || bad="no ASan instrumentation"; want="asan" ;;
			undefined) [ "$u" -gt 100 ] && has_symbol "$f" '__ubsan_handle_[a-z_]+' || bad="no UBSan instrumentation"; want="ubsan" ;;
			memory) [ "$m" -gt 100 ] && has_symbol "$f" __msan_init || bad="no MSan instrumentation"; want="msan" ;;
			coverage) has_symbol "$f" '__llvm_profile_[a-z_]+' || bad="no profile runtime"; want="profile" ;;
			none) want="none" ;;
		esac
		[ "$san" != address ] && { [ "$a" -gt 0 ] || has_symbol "$f" __asan_init; } && bad="$bad ASan ($a calls)"
		[ "$san" != undefined ] && [ "$u" -gt 0 ] && bad="$bad UBSan ($u calls)"
		[ "$san" != memory ] && { [ "$m" -gt 0 ] || has_symbol "$f" __msan_init; } && bad="$bad MSan ($m calls)"
		if [ -z "$bad" ]; then say ok "$t is built with $want and no other sanitizer (asan $a, ubsan $u, msan $m calls)"
		else say fail "$t is built with $want and no other sanitizer: ${bad# }"; fi
	done < <(find "$dir" -type f -perm -u+x | sort)
	# every target was found; extras belong to a target
	for t in $targets; do case " ${found[*]} " in *" $t "*) ;; *) say fail "$t is a fuzz target in \$OUT" ;; esac; done
	for f in "$dir"/*.options "$dir"/*.dict "$dir"/*_seed_corpus.zip; do
		[ -e "$f" ] || continue
		t=$(basename "$f"); t=${t%.options}; t=${t%.dict}; t=${t%_seed_corpus.zip}
		case " $targets " in *" $t "*) ;; *) say fail "$(basename "$f") belongs to no target" ;; esac
	done
	# the seed corpus replays without a finding on the first-law-off target
	if [ -e "$dir/fuzz_memslot_notifier_first_law_off_seed_corpus.zip" ]; then
		rm -rf "$work/seedrun"; mkdir -p "$work/seedrun"
		if unzip -q "$dir/fuzz_memslot_notifier_first_law_off_seed_corpus.zip" -d "$work/seedrun" 2>/dev/null &&
			[ "$(ls "$work/seedrun" | wc -l)" -gt 0 ]; then
			local n; n=$(ls "$work/seedrun" | wc -l)
			if [ "$engine" != libfuzzer ]; then say ok "seed corpus: $n seeds"
			elif (cd / && "$dir/fuzz_memslot_notifier_first_law_off" -runs=0 "$work/seedrun" > "$work/run.log" 2>&1); then
				say ok "seed corpus: $n seeds replay cleanly on the first-law-off target"
			else say fail "the $n seeds replay cleanly on the first-law-off target" "$(grep -m3 'ORACLE\|ERROR' "$work/run.log")"; fi
		else say fail "the seed corpus zip unpacks"; fi
	fi
	return "$nfail"
}

# ---- the pairs -------------------------------------------------------------------------------
pairs=${BUILD_CHECK_PAIRS:-"libfuzzer:address libfuzzer:undefined afl:address libfuzzer:coverage none:none libfuzzer:address:i386"}
command -v afl-clang-fast >/dev/null 2>&1 || {
	echo "# afl-clang-fast not found (Debian afl++): build.sh installs it as root; afl pairs skipped"
	pairs=$(echo "$pairs" | tr ' ' '\n' | grep -v '^afl:' | tr '\n' ' ')
}
for p in $pairs; do
	IFS=: read -r engine san arch <<< "$p"
	name="$engine+$san${arch:+-$arch}"
	if ! build_pair "$engine" "$san" "$arch"; then
		if [ "$arch" = i386 ] && grep -q 'ARCHITECTURE=i386: ' "$work/build-$name.log"; then
			echo "# $name: $(grep -m1 'ARCHITECTURE=i386: ' "$work/build-$name.log")"
			continue
		fi
		not_ok "$name: build.sh" "$(tail -8 "$work/build-$name.log")"; continue
	fi
	ok "$name: build.sh"
	# move $OUT elsewhere: the targets must not need the build's directories
	mv "$work/out-$name.building" "$work/out-$name"
	rm -rf "$work/src-$name" "$work/work-$name"
	check_out "$work/out-$name" "$engine" "$san" "$name"
done

# ---- the checks can fail: a doctored $OUT is reported ------------------------------------------------
good="$work/out-libfuzzer+address"
if [ -d "$good" ] && [ -d "$work/out-libfuzzer+undefined" ]; then
	negative() { # description doctor-command...
		local d="$work/doctored" what=$1; shift
		rm -rf "$d"; cp -a "$good" "$d"
		"$@" "$d"
		local got; got=$(check_out "$d" libfuzzer address doctored 2>&1)
		if grep -q '^not ok - doctored: ' <<< "$got"; then ok "negative: $what is reported ($(grep -m1 '^not ok - doctored: ' <<< "$got" | sed 's/^not ok - doctored: //'))"
		else not_ok "negative: $what is reported" "$got"; fi
	}
	wrong_runtime() { cp "$work/out-libfuzzer+undefined/fuzz_interval_tree" "$1/fuzz_interval_tree"; }
	no_entry() { cp "$(command -v true)" "$1/fuzz_interval_tree"; }
	replayer() { # a replayer in $OUT: contains LLVMFuzzerTestOneInput, is no target
		clang -O1 fuzzers/replay_main.c -x c - -o "$1/replay_memslot_notifier" <<< \
			'#include <stdint.h>
#include <stddef.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }'
	}
	negative "a target linked for UBSan in an ASan \$OUT" wrong_runtime
	negative "a target without LLVMFuzzerTestOneInput" no_entry
	negative "a replayer (LLVMFuzzerTestOneInput, not a target) in \$OUT" replayer
else
	not_ok "negative checks need the libfuzzer+address and libfuzzer+undefined builds"
fi

echo "# build-check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
