#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A local stand-in for OSS-Fuzz's `helper.py check_build`: for each
# sanitizer/engine pair this machine's toolchain can build, set the environment
# base-builder sets (CC, CXX, CFLAGS and CXXFLAGS with OSS-Fuzz's sanitizer and
# coverage flags, LIB_FUZZING_ENGINE, SANITIZER, FUZZING_ENGINE, a fresh OUT,
# SRC with this checkout as $SRC/kvm-hva-fuzz, WORK), run the submitted
# oss-fuzz/projects/kvm-hva-fuzz/build.sh, move $OUT elsewhere and check every executable in it:
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
# ("libfuzzer:address afl:address ..."), BUILD_ROOT, OSS_FUZZ_DIR (a google/oss-fuzz
# checkout: its presubmit.py and check_base_os.py run on oss-fuzz/projects/kvm-hva-fuzz).
{ # parsed whole before it runs: editing this file during a run cannot change that run
set -u
script_name=build-check
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init
export KERNEL="${KERNEL:-latest}"

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

# Tools the checks use, installed as build.sh installs its own (root: apt-get; else the command to run)
if ! msg=$(need_packages zip:zip unzip:unzip objdump:binutils nm:binutils file:file afl-clang-fast:afl++ git:git 2>&1); then
	echo "# $msg"
fi

# A seed every target accepts on an unpatched kernel: two address spaces, one ordinary slot
# (targets read bytes: the text converted).
seeds="$work/seeds"; mkdir -p "$seeds"
conv=$(scenario_text_tool) &&
	printf '%s\n' "vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal" \
		"create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=0" | "$conv" to-bytes /dev/stdin > "$seeds/one-slot" ||
	not_ok "the one-slot seed converts to bytes"

# ---- the standalone driver an engine-less ("none") build links ------------------------
standalone="$work/libStandaloneFuzzTarget.a"
clang -O1 -c targets/replay_main.c -o "$work/standalone.o" 2>/dev/null && ar rcs "$standalone" "$work/standalone.o"

# build PAIR ARCH -> OUT dir in $work/out-PAIR (moved), log in $work/build-PAIR.log
build_pair() { # engine sanitizer arch
	local engine=$1 san=$2 arch=$3 name="$1+$2${3:+-$3}"
	local src="$work/src-$name" out="$work/out-$name.building" wk="$work/work-$name"
	local cflags="$BASE_CFLAGS ${SANITIZER_FLAGS[$san]}" cc=clang cxx=clang++ lib
	mkdir -p "$src" "$out" "$wk"
	ln -s "$top" "$src/kvm-hva-fuzz"	# the image's clone of this repository
	case "$engine" in
		libfuzzer) lib="-fsanitize=fuzzer" ;;
		afl) cc=afl-clang-fast cxx=afl-clang-fast++ lib=/usr/lib/afl/libAFLDriver.a ;;
		none) lib=$standalone ;;
	esac
	if [ "$san" = coverage ]; then cflags="$cflags $COVERAGE_FLAGS_coverage"
	elif [ "$engine" = libfuzzer ]; then cflags="$cflags $COVERAGE_FLAGS_libfuzzer"; fi
	[ "$arch" = i386 ] && cflags="-m32 $cflags"
	# libfuzzer+address builds as OSS-Fuzz does, both arch profiles into one $OUT; the other pairs x86 only
	local profile=(KVM_ARCH=x86); [ "$name" = libfuzzer+address ] && profile=()
	# the environment is base-builder's only: nothing of ours leaks in
	env -i "${profile[@]}" PATH="$PATH" HOME="$HOME" ${XDG_CACHE_HOME:+XDG_CACHE_HOME="$XDG_CACHE_HOME"} \
		BUILD_ROOT="$BUILD_ROOT" KERNEL="$KERNEL" \
		CC=$cc CXX=$cxx CFLAGS="$cflags" CXXFLAGS="$cflags" LIB_FUZZING_ENGINE="$lib" \
		SANITIZER="$san" FUZZING_ENGINE="$engine" ARCHITECTURE="${arch:-x86_64}" \
		OUT="$out" SRC="$src" WORK="$wk" AFL_QUIET=1 \
		ASAN_OPTIONS=detect_leaks=0:symbolize=0:detect_odr_violation=0:abort_on_error=1 \
		bash oss-fuzz/projects/kvm-hva-fuzz/build.sh > "$work/build-$name.log" 2>&1	# the submitted build.sh
}

# calls from code into a sanitizer's entry points (base-runner's bad_build_check counts these)
calls() { # binary prefix
	objdump -d --no-show-raw-insn "$1" 2>/dev/null | grep -cE "call[lq]?[[:space:]]+[0-9a-f]+ <$2" || true
}
has_symbol() { # binary regex
	nm "$1" 2>/dev/null | grep -qE " [TtWw] ($2)\$"
}

# check_out: one line per check; returns the number of failures
check_out() { # dir engine sanitizer arch label
	local dir=$1 engine=$2 san=$3 arch=$4 label=$5 f t nfail=0
	local targets; targets=$(kernel_info "$dir" targets)
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
				if [ "$san" = coverage ]; then	# as OSS-Fuzz's coverage job: -runs=0 over a corpus, a profile comes out
					rm -f "$work/cov.profraw"
					(cd / && LLVM_PROFILE_FILE="$work/cov.profraw" timeout 120 "$f" -runs=0 "$seeds" > "$log" 2>&1); rc=$?
					if [ $rc -eq 0 ] && [ -s "$work/cov.profraw" ]; then say ok "$t writes a coverage profile over a corpus"
					else say fail "$t writes a coverage profile over a corpus (exit $rc)" "$(tail -5 "$log")"; fi
				else	# base-runner's check_startup_crash and check_engine
					(cd / && env -u SRC -u OUT ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=silence_unsigned_overflow=1 \
						timeout 120 "$f" -seed=1337 -runs=4 > "$log" 2>&1); rc=$?
					if [ $rc -eq 0 ] && grep -q 'Done 4 runs' "$log"; then say ok "$t runs -runs=4"
					else say fail "$t runs -runs=4 (exit $rc)" "$(tail -5 "$log")"; fi
					local edges; edges=$(grep -oE 'INFO: Loaded [0-9]+ module.*(counters|guards)\): +[0-9]+' "$log" | grep -oE '[0-9]+$' | head -1)
					if [ "${edges:-0}" -ge 100 ]; then say ok "$t has coverage instrumentation ($edges edges)"
					else say fail "$t has coverage instrumentation (${edges:-no} edges)"; fi
				fi ;;
			afl)
				rm -rf "$work/afl-sync"
				(cd / && AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
					AFL_QUIET=1 ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0 \
					timeout 60 afl-fuzz -V 3 -i "$seeds" -o "$work/afl-sync" -- "$f" > "$log" 2>&1); rc=$?
				local execs; execs=$(sed -n 's/^execs_done *: *//p' "$work"/afl-sync/*/fuzzer_stats 2>/dev/null | head -1)
				if [ "${execs:-0}" -gt 0 ] && grep -q 'All set and ready to roll' "$log"; then say ok "$t starts under afl-fuzz ($execs executions)"
				else say fail "$t starts under afl-fuzz (exit $rc)" "$(grep -E 'PROGRAM ABORT|\[-\]' "$log" | tail -5)"; fi
				(cd / && "$f" "$seeds/one-slot" > "$log" 2>&1); rc=$?
				if [ $rc -eq 0 ]; then say ok "$t runs a file with the AFL driver"; else say fail "$t runs a file with the AFL driver (exit $rc)" "$(tail -5 "$log")"; fi ;;
			none)
				(cd / && "$f" "$seeds/one-slot" > "$log" 2>&1); rc=$?
				if [ $rc -eq 0 ]; then say ok "$t runs a file standalone"; else say fail "$t runs a file standalone (exit $rc)" "$(tail -5 "$log")"; fi ;;
		esac
		# built for its architecture (base-runner's check_architecture)
		local ftype; ftype=$(file -b "$f")
		case "$arch:$ftype" in
			x86_64:*x86-64*|i386:*80386*) say ok "$t is an $arch executable" ;;
			*) say fail "$t is an $arch executable" "$ftype" ;;
		esac
		# instrumented for its sanitizer and no other: base-runner's
		# check_mixed_sanitizers counts calls into each runtime (the ASan
		# runtime carries UBSan's handlers and calls a few of them itself,
		# hence thresholds), and the runtime's own entry point must be linked
		local a u m bad=""
		a=$(calls "$f" __asan) u=$(calls "$f" __ubsan) m=$(calls "$f" __msan)
		local ub_other=200; [ "$arch" = i386 ] && ub_other=280
		case "$san" in
			address) { [ "$a" -ge 1000 ] && has_symbol "$f" __asan_init; } || bad="not built with ASan" ;;
			undefined) [ "$engine" != libfuzzer ] || { [ "$u" -ge 168 ] && has_symbol "$f" '__ubsan_handle_[a-z_]+'; } || bad="not built with UBSan" ;;
			memory) { [ "$m" -ge 1000 ] && has_symbol "$f" __msan_init; } || bad="not built with MSan" ;;
			coverage) has_symbol "$f" '__llvm_profile_[a-z_]+' || bad="no profile runtime" ;;
		esac
		if [ "$san" != address ] && { [ "$a" -gt 0 ] || has_symbol "$f" __asan_init; }; then bad="$bad, ASan too"; fi
		if [ "$san" != memory ] && { [ "$m" -gt 3 ] || has_symbol "$f" __msan_init; }; then bad="$bad, MSan too"; fi
		if [ "$san" != undefined ] && [ "$u" -gt "$ub_other" ]; then bad="$bad, UBSan too"; fi
		if [ -z "$bad" ]; then say ok "$t is built with $san and no other sanitizer (calls: asan $a, ubsan $u, msan $m)"
		else say fail "$t is built with $san and no other sanitizer: ${bad#, } (calls: asan $a, ubsan $u, msan $m)"; fi
	done < <(find "$dir" -type f -perm -u+x | sort)
	# every target was found; extras belong to a target
	for t in $targets; do case " ${found[*]} " in *" $t "*) ;; *) say fail "$t is a fuzz target in \$OUT" ;; esac; done
	for f in "$dir"/*.options "$dir"/*.dict "$dir"/*_seed_corpus.zip; do
		[ -e "$f" ] || continue
		t=$(basename "$f"); t=${t%.options}; t=${t%.dict}; t=${t%_seed_corpus.zip}
		case " $targets " in *" $t "*) ;; *) say fail "$(basename "$f") belongs to no target" ;; esac
	done
	# base-runner's check_seed_corpus: a target does not crash on its own seeds (libFuzzer builds)
	for f in "$dir"/*_seed_corpus.zip; do
		[ -e "$f" ] || continue
		t=$(basename "$f" _seed_corpus.zip)
		rm -rf "$work/seedrun"; mkdir -p "$work/seedrun"
		if ! unzip -q "$f" -d "$work/seedrun" 2>/dev/null || [ -z "$(ls -A "$work/seedrun")" ]; then
			say fail "$(basename "$f") unpacks to seeds"; continue
		fi
		local n; n=$(find "$work/seedrun" -type f | wc -l)
		if [ "$engine" != libfuzzer ] || [ ! -x "$dir/$t" ]; then say ok "$(basename "$f"): $n seeds"
		elif (cd / && LLVM_PROFILE_FILE=/dev/null "$dir/$t" -runs=0 "$work/seedrun" > "$work/run.log" 2>&1); then
			say ok "$t replays its $n seeds cleanly"
		else say fail "$t replays its $n seeds cleanly" "$(grep -m3 'ORACLE\|ERROR' "$work/run.log")"; fi
	done
	return "$nfail"
}

# ---- the pairs -------------------------------------------------------------------------------
pairs=${BUILD_CHECK_PAIRS:-"libfuzzer:address libfuzzer:undefined libfuzzer:memory afl:address libfuzzer:coverage none:none libfuzzer:address:i386"}
command -v afl-clang-fast >/dev/null 2>&1 || {
	skip "afl pairs: afl-clang-fast not found (Debian afl++; build.sh installs it as root)"
	pairs=$(echo "$pairs" | tr ' ' '\n' | grep -v '^afl:' | tr '\n' ' ')
}
for p in $pairs; do
	IFS=: read -r engine san arch <<< "$p"
	name="$engine+$san${arch:+-$arch}"
	if ! build_pair "$engine" "$san" "$arch"; then
		# i386: build.sh either builds or stops with one line naming why (documented in docs/oss-fuzz.md)
		if [ "$arch" = i386 ] && [ "$(tail -1 "$work/build-$name.log" | grep -c '^build.sh: ARCHITECTURE=i386: ')" = 1 ]; then
			ok "$name: build.sh stops with one line: $(tail -1 "$work/build-$name.log" | sed 's/^build.sh: //')"
			continue
		fi
		not_ok "$name: build.sh" "$(tail -8 "$work/build-$name.log")"; continue
	fi
	ok "$name: build.sh"
	# move $OUT elsewhere: the targets must not need the build's directories
	mv "$work/out-$name.building" "$work/out-$name"
	rm -rf "$work/src-$name" "$work/work-$name"
	check_out "$work/out-$name" "$engine" "$san" "${arch:-x86_64}" "$name"
done

# ---- ClusterFuzzLite on a kernel that carries the RFC: .clusterfuzzlite/patches/ ---------------------
# The image's $SRC/kvm-hva-fuzz is a checkout with the RFC in .clusterfuzzlite/patches/ (a fork's);
# .clusterfuzzlite/build.sh applies it; its targets pass the checks above, and the PR-mode
# target (first law off) finds nothing in a fixed-seed run from its seeds.
RFC=${RFC:-}; [ -f "$RFC" ] || RFC="$top/../shared/seeds/rfc-kvm-ignore-mmu-notifiers-gmem-only.txt"
if [ -f "$RFC" ] && [[ " $pairs " == *" libfuzzer:address "* ]]; then
	c="$work/cfl-src"; mkdir -p "$c/kvm-hva-fuzz" "$work/cfl-out" "$work/cfl-work"
	tar -C "$top" --exclude=./build --exclude=./out --exclude=./.git -cf - . | tar -C "$c/kvm-hva-fuzz" -xf -
	mkdir -p "$c/kvm-hva-fuzz/.clusterfuzzlite/patches" && cp "$RFC" "$c/kvm-hva-fuzz/.clusterfuzzlite/patches/0001-rfc.patch"
	cp .clusterfuzzlite/build.sh "$c/build.sh"
	if (cd "$c/kvm-hva-fuzz" && env -i PATH="$PATH" HOME="$HOME" ${XDG_CACHE_HOME:+XDG_CACHE_HOME="$XDG_CACHE_HOME"} \
		BUILD_ROOT="$BUILD_ROOT" KERNEL="$KERNEL" CC=clang CXX=clang++ \
		CFLAGS="$BASE_CFLAGS ${SANITIZER_FLAGS[address]} $COVERAGE_FLAGS_libfuzzer" \
		CXXFLAGS="$BASE_CFLAGS ${SANITIZER_FLAGS[address]} $COVERAGE_FLAGS_libfuzzer" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
		SANITIZER=address FUZZING_ENGINE=libfuzzer ARCHITECTURE=x86_64 OUT="$work/cfl-out" SRC="$c" WORK="$work/cfl-work" \
		bash "$c/build.sh") > "$work/build-cfl.log" 2>&1 &&
		grep -q '^patches 0001-rfc.patch$' "$work/cfl-out/kernel-info.txt"; then
		ok "ClusterFuzzLite build.sh applies .clusterfuzzlite/patches/ (the RFC) and builds $(sed -n 's/^targets //p' "$work/cfl-out/kernel-info.txt")"
		check_out "$work/cfl-out" libfuzzer address x86_64 "cflite+RFC"
		rm -rf "$work/cfl-seeds" "$work/cfl-corpus"; mkdir -p "$work/cfl-seeds" "$work/cfl-corpus"
		unzip -q "$work/cfl-out/fuzz_memslot_notifier_gmem_only_untouched_off_seed_corpus.zip" -d "$work/cfl-seeds"
		got=$(cd / && ASAN_OPTIONS=detect_leaks=1 timeout 300 "$work/cfl-out/fuzz_memslot_notifier_gmem_only_untouched_off" -runs=20000 -seed=1 \
			-dict="$work/cfl-out/fuzz_memslot_notifier_gmem_only_untouched_off.dict" "$work/cfl-corpus" "$work/cfl-seeds" 2>&1)
		prop=$(finding_key <<< "$got")
		if grep -q 'Done 20000 runs' <<< "$got" && ! grep -q 'ORACLE VIOLATION\|ERROR: ' <<< "$got"; then
			ok "cflite+RFC: fuzz_memslot_notifier_gmem_only_untouched_off -runs=20000 -seed=1 from its seeds finds nothing"
		elif [ -n "$prop" ] && known_findings latest+rfc fuzz_memslot_notifier_gmem_only_untouched_off | grep -xF "$prop" > /dev/null; then
			ok "cflite+RFC: fuzz_memslot_notifier_gmem_only_untouched_off -runs=20000 -seed=1 finds nothing unknown (the kernel's known finding: $prop)"
		else not_ok "cflite+RFC: fuzz_memslot_notifier_gmem_only_untouched_off -runs=20000 -seed=1 finds nothing" "$(grep -m3 'ORACLE\|ERROR' <<< "$got")"; fi
	else not_ok "ClusterFuzzLite build.sh with .clusterfuzzlite/patches/ (the RFC)" "$(tail -5 "$work/build-cfl.log")"; fi
else skip "ClusterFuzzLite with the RFC (needs the RFC seed and the libfuzzer:address pair)"; fi

# ---- the checks can fail: a doctored $OUT is reported ------------------------------------------------
good="$work/out-libfuzzer+address"
if [ -d "$good" ] && [ -d "$work/out-libfuzzer+undefined" ]; then
	negative() { # description expected-report doctor-command...
		local d="$work/doctored" what=$1 want=$2; shift 2
		rm -rf "$d"; cp -a "$good" "$d"
		"$@" "$d"
		local got; got=$(check_out "$d" libfuzzer address x86_64 doctored 2>&1)
		if grep -qE "^not ok - doctored: $want" <<< "$got"; then ok "negative: $what is reported ($(grep -m1 -E "^not ok - doctored: $want" <<< "$got" | sed 's/^not ok - doctored: //'))"
		else not_ok "negative: $what is reported" "$got"; fi
	}
	wrong_runtime() { cp "$work/out-libfuzzer+undefined/fuzz_interval_tree" "$1/fuzz_interval_tree"; }
	no_entry() { cp "$(type -P true)" "$1/fuzz_interval_tree"; }
	replayer() { # a replayer in $OUT: contains LLVMFuzzerTestOneInput, is no target
		clang -O1 targets/replay_main.c -x c - -o "$1/replay_memslot_notifier" <<< \
			'#include <stdint.h>
#include <stddef.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }'
	}
	negative "a target linked for UBSan in an ASan \$OUT" "fuzz_interval_tree is built with address and no other sanitizer: not built with ASan" wrong_runtime
	negative "a target without LLVMFuzzerTestOneInput" "fuzz_interval_tree contains LLVMFuzzerTestOneInput" no_entry
	negative "a replayer (LLVMFuzzerTestOneInput, not a target) in \$OUT" "replay_memslot_notifier contains LLVMFuzzerTestOneInput but is not a target" replayer
elif [ -n "${BUILD_CHECK_PAIRS:-}" ]; then
	skip "negative checks: they need the libfuzzer:address and libfuzzer:undefined pairs"
else
	not_ok "negative checks need the libfuzzer+address and libfuzzer+undefined builds"
fi

# ---- the OSS-Fuzz / ClusterFuzzLite files -------------------------------------------------------
# OSS-Fuzz's presubmit (licence, project.yaml, -lFuzzingEngine, seed corpora,
# apt-get update) and base-OS checks on the folder as submitted: the stand-in in
# oss-fuzz/check-submission.sh, and OSS-Fuzz's own scripts with OSS_FUZZ_DIR.
proj=oss-fuzz/projects/kvm-hva-fuzz
got=$(oss-fuzz/check-submission.sh "$proj" 2>&1); rc=$?
how="the stand-in"; [ -n "${OSS_FUZZ_DIR:-}" ] && how="OSS-Fuzz's scripts and the stand-in"
if [ $rc -eq 0 ]; then ok "$proj passes OSS-Fuzz's presubmit and base-OS checks ($how)"
else not_ok "$proj passes OSS-Fuzz's presubmit and base-OS checks" "$got"; fi
[ -n "${OSS_FUZZ_DIR:-}" ] || echo "# OSS_FUZZ_DIR unset: OSS-Fuzz's own presubmit.py and check_base_os.py not run (the stand-in was)"
negative_submission() { # what expected-message sed-expression file
	local d="$work/neg/projects/kvm-hva-fuzz" got
	rm -rf "$work/neg"; mkdir -p "$work/neg/projects"; cp -a "$proj" "$d"
	sed -i "$3" "$d/$4"
	got=$(env -u OSS_FUZZ_DIR oss-fuzz/check-submission.sh "$d" 2>&1)
	if [ $? -ne 0 ] && grep -qF "$2" <<< "$got"; then ok "negative: $1 is reported ($(grep -m1 -F "$2" <<< "$got" | sed "s|$work/neg/||"))"
	else not_ok "negative: $1 is reported" "$got"; fi
}
negative_submission "a GPL-headed build.sh" "Missing license header in file $work/neg/projects/kvm-hva-fuzz/build.sh." \
	'/Licensed under the Apache/,/limitations under the License/d; s/Apache-2.0/GPL-2.0/' build.sh
negative_submission "a FROM line without a tag" "Malformed FROM line in Dockerfile (missing tag): FROM gcr.io/oss-fuzz-base/base-builder" \
	's|^FROM gcr.io/oss-fuzz-base/base-builder:latest|FROM gcr.io/oss-fuzz-base/base-builder|' Dockerfile
negative_submission "a misspelt project.yaml section" "fuzzing_engine is not a valid section name" 's/^fuzzing_engines:/fuzzing_engine:/' project.yaml
negative_submission "an unknown engine in project.yaml" "hongfuzz (in fuzzing_engines section) is not a valid constant" 's/^  - honggfuzz/  - hongfuzz/' project.yaml
negative_submission "apt-get install without update" 'Please add an "apt-get update" before "apt-get install"' 's/^RUN apt-get update && apt-get install/RUN apt-get install/' Dockerfile
if grep -qx 'language: c' .clusterfuzzlite/project.yaml; then ok ".clusterfuzzlite/project.yaml: language c"
else not_ok ".clusterfuzzlite/project.yaml: language c"; fi
# the engines and sanitizers OSS-Fuzz will build are the ones build.sh accepts
for c in $(awk '/^(sanitizers|fuzzing_engines):/{s=1; next} /^[a-z]/{s=0} s && /^ +- /{print $2}' "$proj/project.yaml"); do
	[[ " address undefined memory coverage none libfuzzer afl honggfuzz centipede " == *" $c "* ]] ||
		not_ok "project.yaml lists $c, which build.sh does not accept"
done
# the submitted build.sh runs this checkout's build.sh, and nothing else (but its --help)
if [ "$(grep -v '^#\|^$\|^case "${1:-}" in -h|--help) ' "$proj/build.sh")" = 'exec "$SRC/kvm-hva-fuzz/build.sh"' ]; then ok "$proj/build.sh runs \$SRC/kvm-hva-fuzz/build.sh and nothing else"
else not_ok "$proj/build.sh runs \$SRC/kvm-hva-fuzz/build.sh and nothing else" "$(cat "$proj/build.sh")"; fi
# both images clone the same kernel tag, sparsely, with the patterns of tree-files.txt
refs=$(grep -h '^ARG KERNEL_REF=' "$proj/Dockerfile" .clusterfuzzlite/Dockerfile | sort -u)
sparse_sed="sed -e 's/#.*//' -e 's/[[:space:]]*\$//' -e '/^\$/d' -e 's|^|/|'"
if [ "$(wc -l <<< "$refs")" = 1 ] && grep -q 'FROM gcr.io/oss-fuzz-base/base-builder:' "$proj/Dockerfile" .clusterfuzzlite/Dockerfile &&
	[ "$(grep -cF "$sparse_sed" "$proj/Dockerfile" .clusterfuzzlite/Dockerfile | grep -c ':1$')" = 2 ]; then
	ok "Dockerfiles: base-builder, one kernel tag (${refs#ARG KERNEL_REF=}), the same sparse patterns"
else not_ok "Dockerfiles: base-builder, one kernel tag, the same sparse patterns" "$refs"; fi
# the sparse clone recipe gives a tree prepare-tree accepts, and leaves the rest out
latest_tree=$(BUILD_ROOT="$BUILD_ROOT" KERNEL="$KERNEL" extracted/prepare-tree.sh 2>/dev/null | sed -n "s/^TREE='\(.*\)'$/\1/p")
if [ -n "$latest_tree" ] && command -v git >/dev/null; then
	k="$work/kernel-repo"
	mkdir -p "$k" && cp -a "$latest_tree/." "$k/" && mkdir -p "$k/drivers/net" && echo x > "$k/drivers/net/Makefile" &&
		echo x > "$k/tools/testing/selftests/kvm/other_test.c"
	(cd "$k" && git init -q && git add -A && git -c user.email=t@t.example -c user.name=t commit -qm t && git tag v0 &&
		git config uploadpack.allowfilter true) &&
	git -c protocol.file.allow=always clone -q --depth 1 --branch v0 --filter=blob:none --sparse "file://$k" "$work/linux" 2>/dev/null &&
	eval "$sparse_sed" extracted/tree-files.txt | git -C "$work/linux" sparse-checkout set --no-cone --stdin
	if [ -f "$work/linux/virt/kvm/kvm_main.c" ] && [ ! -e "$work/linux/drivers/net/Makefile" ] &&
		[ ! -e "$work/linux/tools/testing/selftests/kvm/other_test.c" ] &&
		KERNEL_SRC="$work/linux" BUILD_ROOT="$work/pt" extracted/prepare-tree.sh > /dev/null 2>&1; then
		ok "the Dockerfiles' shallow sparse clone holds what extraction reads and nothing else"
	else not_ok "the Dockerfiles' shallow sparse clone holds what extraction reads and nothing else"; fi
else
	skip "the sparse clone check: no newest-7.x tree or no git"
fi
# OSS-Fuzz runs the submitted build.sh as $SRC/build.sh: it hands over to the checkout
mkdir -p "$work/subsrc" && cp "$proj/build.sh" "$work/subsrc/build.sh" && ln -s "$top" "$work/subsrc/kvm-hva-fuzz"
got=$(cd / && SRC="$work/subsrc" SANITIZER=bogus bash "$work/subsrc/build.sh" 2>&1)
if grep -q 'unknown SANITIZER=bogus' <<< "$got"; then ok "the submitted build.sh, as \$SRC/build.sh, runs \$SRC/kvm-hva-fuzz/build.sh"
else not_ok "the submitted build.sh, as \$SRC/build.sh, runs \$SRC/kvm-hva-fuzz/build.sh" "$got"; fi
# and a copy of this repository's build.sh there does the same
mkdir -p "$work/fakesrc" "$work/elsewhere" && cp build.sh "$work/fakesrc/build.sh" && ln -s "$top" "$work/fakesrc/kvm-hva-fuzz"
got=$(cd "$work/elsewhere" && SRC="$work/fakesrc" SANITIZER=bogus bash "$work/fakesrc/build.sh" 2>&1)
if grep -q 'unknown SANITIZER=bogus' <<< "$got"; then ok "a copy of build.sh in \$SRC hands over to \$SRC/kvm-hva-fuzz/build.sh"
else not_ok "a copy of build.sh in \$SRC hands over to the checkout" "$got"; fi
got=$(cd "$work/elsewhere" && SRC="$work/elsewhere" bash "$work/fakesrc/build.sh" 2>&1)
if [ "$(wc -l <<< "$got")" = 1 ] && grep -q 'no kvm-hva-fuzz checkout' <<< "$got"; then ok "without a checkout it stops with one line ($got)"
else not_ok "without a checkout it stops with one line" "$got"; fi

echo "# build-check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
}; exit
