#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the fuzz targets into $OUT: map the environment (OSS-Fuzz's, or
# defaults outside it), resolve the kernel tree (extracted/prepare-tree.sh),
# run the Makefile (what is stale: extraction, objects, links), pack the seed
# corpora, install. OSS-Fuzz contract: $CC $CXX $CFLAGS $CXXFLAGS
# $LIB_FUZZING_ENGINE $OUT $SANITIZER $FUZZING_ENGINE $ARCHITECTURE, targets
# linked with `$CXX $CXXFLAGS ... $LIB_FUZZING_ENGINE`.
#
# Layouts of $OUT (OUT_LAYOUT=local|oss-fuzz overrides the choice):
#   local (LIB_FUZZING_ENGINE unset): every variable defaulted (clang,
#     address+undefined, libfuzzer, OUT=./out); $OUT also gets the replayers
#     (replay_*), the tools (targets/tools/NAME.c -> $OUT/NAME) and scenario-text.
#   oss-fuzz (LIB_FUZZING_ENGINE set): the targets and their .options, .dict and
#     _seed_corpus.zip only (every executable there with LLVMFuzzerTestOneInput
#     is taken for a target); EXTRAS_OUT=DIR builds the replayers and tools there.
# FUZZ_TARGETS="..." builds a subset (default: all; `make print-targets` lists them).
# Kernel: KERNEL_SRC=DIR (only read) or KERNEL=VERSION (Debian linux-source;
# default latest), KERNEL_PATCHES="A B". In the oss-fuzz layout KERNEL_SRC
# defaults to $SRC/linux. Errors are one line; a failed build leaves $OUT as it was.
# KVM_ARCH=x86|arm64 (default x86): the arch profile the kernel code is extracted
# for (extracted/kconfig.txt, plus kconfig-arm64.txt; shims/arch-*). arm64's
# targets are the memslot targets with an _arm64 suffix; its local OUT defaults
# to out/arm64. Inside OSS-Fuzz, with KVM_ARCH unset, both profiles are built
# into one $OUT.
{ # parsed whole before it runs: editing this file during a run cannot change that run
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# OSS-Fuzz runs a copy of this file as $SRC/build.sh: hand over to the checkout's own.
if [ ! -e "$here/extracted/extract.py" ]; then
	for d in "$PWD" "${SRC:-/src}/kvm-hva-fuzz"; do
		if [ -e "$d/extracted/extract.py" ] && [ -e "$d/build.sh" ]; then exec bash "$d/build.sh" "$@"; fi
	done
	echo "build.sh: no kvm-hva-fuzz checkout in $PWD or ${SRC:-/src}/kvm-hva-fuzz" >&2; exit 1
fi
script_name=build.sh
. "$here/scripts/lib.sh"
[ $# -eq 0 ] || die "unknown argument '$1' (settings are environment variables)"

# ---- the environment, defaulted -------------------------------------------------------------
in_oss_fuzz=${LIB_FUZZING_ENGINE+yes}
if [ -n "$in_oss_fuzz" ] && [ -z "${KVM_ARCH:-}" ]; then	# both arch profiles' targets, one kernel-info.txt
	KVM_ARCH=x86 bash "$here/build.sh" || exit 1
	if [ -n "${FUZZ_TARGETS:-}" ]; then	# the same targets under arm64's names (the interval tree is arch-free)
		FUZZ_TARGETS=$(for t in $FUZZ_TARGETS; do [ "$t" = fuzz_interval_tree ] || echo "${t}_arm64"; done | xargs)
		[ -n "$FUZZ_TARGETS" ] || exit 0
	fi
	KVM_HVA_FUZZ_MORE_TARGETS=$(sed -n 's/^targets //p' "${OUT:-$here/out}/kernel-info.txt") KVM_ARCH=arm64 exec bash "$here/build.sh"
fi
: "${KVM_ARCH:=x86}"
case "$KVM_ARCH" in
	x86) arch_suffix="" ;;
	arm64) arch_suffix=_arm64 ;;
	*) die "unknown KVM_ARCH=$KVM_ARCH (x86, arm64)" ;;
esac
out_default=$here/out; [ "$KVM_ARCH" = x86 ] || out_default=$here/out/$KVM_ARCH
: "${SANITIZER:=address+undefined}" "${FUZZING_ENGINE:=libfuzzer}" "${ARCHITECTURE:=x86_64}" "${OUT:=$out_default}"
if [ -n "$in_oss_fuzz" ]; then : "${OUT_LAYOUT:=oss-fuzz}"; else : "${OUT_LAYOUT:=local}"; fi
if [ -n "$in_oss_fuzz" ] && [ -n "${WORK:-}" ]; then : "${BUILD_ROOT:=$WORK/kvm-hva-fuzz-build}"; fi
: "${BUILD_ROOT:=$here/build}"
one_of() { # VAR value choices...
	local var=$1 v=$2; shift 2
	[[ " $* " == *" $v "* ]] || die "unknown $var=$v ($(echo "$*" | sed 's/ /, /g'))"
}
one_of FUZZING_ENGINE "$FUZZING_ENGINE" libfuzzer afl honggfuzz centipede none
one_of SANITIZER "$SANITIZER" address undefined address+undefined address,undefined memory coverage none
one_of ARCHITECTURE "$ARCHITECTURE" x86_64 i386
one_of OUT_LAYOUT "$OUT_LAYOUT" local oss-fuzz

if [ -n "$in_oss_fuzz" ]; then
	# The image has the tools (Dockerfile); the kernel is its clone unless KERNEL or KERNEL_SRC says otherwise.
	if [ -z "${KERNEL_SRC:-}" ] && [ -z "${KERNEL:-}" ]; then
		export KERNEL_SRC=${SRC:-/src}/linux
		[ -d "$KERNEL_SRC" ] || die "no kernel tree at $KERNEL_SRC (inside OSS-Fuzz KERNEL_SRC defaults to \$SRC/linux; set KERNEL_SRC or KERNEL)"
	fi
	for tool in zip make; do
		command -v $tool >/dev/null 2>&1 || die "missing tool: $tool (add it to the Dockerfile's apt-get install)"
	done
else
	need_packages clang:clang python3:python3 patch:patch xz:xz-utils zip:zip unzip:unzip make:make \
		/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a:libclang-rt-14-dev
	[ "$ARCHITECTURE" = i386 ] && need_packages /usr/lib32/crt1.o:libc6-dev-i386 \
		/usr/lib/gcc/x86_64-linux-gnu/12/32/crtbegin.o:lib32gcc-12-dev \
		/usr/lib/gcc/x86_64-linux-gnu/12/32/libstdc++.so:lib32stdc++-12-dev
	case "$FUZZING_ENGINE" in
		afl) need_packages afl-clang-fast:afl++ /usr/lib/afl/libAFLDriver.a:afl++
			: "${CC:=afl-clang-fast}" "${CXX:=afl-clang-fast++}"; LIB_FUZZING_ENGINE=/usr/lib/afl/libAFLDriver.a ;;
		honggfuzz) command -v hfuzz-clang >/dev/null 2>&1 ||
				die "FUZZING_ENGINE=honggfuzz needs hfuzz-clang on PATH (honggfuzz is not packaged in Debian 12; OSS-Fuzz's base-builder has it)"
			: "${CC:=hfuzz-clang}" "${CXX:=hfuzz-clang++}"; LIB_FUZZING_ENGINE="" ;;
		centipede) die "FUZZING_ENGINE=centipede is built only inside OSS-Fuzz/ClusterFuzzLite (not packaged in Debian 12; set LIB_FUZZING_ENGINE to your own build)" ;;
		libfuzzer) LIB_FUZZING_ENGINE=-fsanitize=fuzzer ;;
		none) LIB_FUZZING_ENGINE="" ;;	# the Makefile links replay_main.o instead (STANDALONE)
	esac
	case "$SANITIZER" in
		address) san="-fsanitize=address" ;;
		undefined) san="-fsanitize=undefined -fno-sanitize-recover=undefined" ;;
		address+undefined|address,undefined) san="-fsanitize=address,undefined -fno-sanitize-recover=undefined" ;;
		memory) san="-fsanitize=memory -fsanitize-memory-track-origins" ;;
		coverage) san="-fprofile-instr-generate -fcoverage-mapping" ;;
		none) san="" ;;
	esac
	: "${CFLAGS:=-O1 -g -fno-omit-frame-pointer $san}" "${CXXFLAGS:=$CFLAGS}"
	if [ "$ARCHITECTURE" = i386 ]; then CFLAGS="-m32 $CFLAGS" CXXFLAGS="-m32 $CXXFLAGS"; fi
	if [ "$FUZZING_ENGINE" = libfuzzer ]; then CFLAGS="$CFLAGS -fsanitize=fuzzer-no-link"; fi
fi
: "${CC:=clang}" "${CXX:=clang++}" "${CFLAGS:=}" "${CXXFLAGS:=}" "${LIB_FUZZING_ENGINE:=}" "${REPLAY_CC:=$CC}"
standalone=""; [ -z "$in_oss_fuzz" ] && [ "$FUZZING_ENGINE" = none ] && standalone=yes
# The plain host compiler: converters and the seed filter run at build time, no sanitizer, no engine.
if [ -z "${HOST_CC:-}" ]; then
	for c in clang gcc cc; do command -v "$c" >/dev/null 2>&1 && { HOST_CC=$c; break; }; done
fi
: "${HOST_CC:=cc}"
# Replayers and tools are plain mains. Objects built for libFuzzer call the coverage callbacks: a
# sanitizer runtime defines them; without one (none, coverage) they come from libFuzzer minus its main.
replay_flags=${CFLAGS//-fsanitize=fuzzer-no-link/} replay_rt=""
if [[ "$CFLAGS" == *-fsanitize=fuzzer-no-link* ]] && { [ "$SANITIZER" = none ] || [ "$SANITIZER" = coverage ]; }; then
	replay_rt=$($CC -print-file-name=libclang_rt.fuzzer_no_main-x86_64.a)
	[ -f "$replay_rt" ] || die "no libclang_rt.fuzzer_no_main-x86_64.a for the replayers of a $SANITIZER build"
	REPLAY_CC=$CXX
fi

# make's target names; a profile's targets are installed as NAME$arch_suffix (the interval tree is arch-free)
make_targets=$(make -s --no-print-directory -C "$here" print-targets)
all_targets=$make_targets
[ -z "$arch_suffix" ] || all_targets=$(for t in $make_targets; do [ "$t" = fuzz_interval_tree ] || echo "$t$arch_suffix"; done | xargs)
: "${FUZZ_TARGETS:=$all_targets}"
FUZZ_TARGETS=${FUZZ_TARGETS//fuzz_memslot_notifier_first_law_off/fuzz_memslot_notifier_gmem_only_untouched_off}	# the older name
targets=()
for t in $FUZZ_TARGETS; do
	[[ " $all_targets " == *" $t "* ]] || die "unknown fuzz target '$t' in FUZZ_TARGETS ($all_targets)"
	targets+=("${t%"$arch_suffix"}")
done
[ ${#targets[@]} -gt 0 ] || die "FUZZ_TARGETS is empty ($all_targets)"
installed() { [ "$1" = fuzz_interval_tree ] && echo "$1" || echo "$1$arch_suffix"; }	# a make target's installed name
# 32-bit: OSS-Fuzz puts -m32 into CFLAGS itself; either way the toolchain must link it.
if [ "$ARCHITECTURE" = i386 ]; then
	case " $CFLAGS " in *" -m32 "*) ;; *) die "ARCHITECTURE=i386 but CFLAGS has no -m32" ;; esac
	[ "$SANITIZER" != memory ] || die "ARCHITECTURE=i386: no MemorySanitizer on i386 (no libclang_rt.msan-i386.a)"
	probe=$(mktemp -d)
	printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; return (int)n - (int)n; }\n' > "$probe/p.c"
	probe_engine=$LIB_FUZZING_ENGINE; [ -n "$standalone" ] && probe_engine="$here/targets/replay_main.c"
	# shellcheck disable=SC2086
	if ! err=$($CC $CFLAGS -c "$probe/p.c" -o "$probe/p.o" 2>&1 && $CXX $CXXFLAGS "$probe/p.o" $probe_engine -o "$probe/p" 2>&1); then
		rm -rf "$probe"
		die "ARCHITECTURE=i386: the toolchain cannot link 32-bit targets ($(echo "$err" | grep -m1 -iE 'cannot find|error|undefined' | sed 's/^[^:]*: //'))"
	fi
	rm -rf "$probe"
fi

# ---- the kernel tree --------------------------------------------------------------------------
tree_info=$(BUILD_ROOT="$BUILD_ROOT" "$here/extracted/prepare-tree.sh") || exit 1
eval "$tree_info"
say "kernel $KERNEL_VERSION ($KERNEL_ORIGIN), patches: $PATCH_STACK"

# ---- make: extraction, objects and links, each when stale ------------------------------------
keyed="$BUILD_ROOT/$TREE_KEY"
mkdir -p "$keyed"
# the tree's path and the extractor's arguments are inputs of the extraction: the file changes when they do
# (the arch profile: its shims, the adapter's own definitions, the profile's kconfig overrides)
extract_args=$(extract_profile_args "$KVM_ARCH" | xargs)
gen="$keyed/extracted${arch_suffix/_/-}" inputs="$keyed/extract-inputs$arch_suffix"
printf '%s\n' "$TREE" "$extract_args" > "$inputs.new"
if cmp -s "$inputs.new" "$inputs"; then rm -f "$inputs.new"; else mv "$inputs.new" "$inputs"; fi
# the checkout is part of an object directory's key: make's dependency files name its sources
flavour=$(echo "$SANITIZER-$FUZZING_ENGINE-$ARCHITECTURE$arch_suffix-$(echo "$CC $CFLAGS $here" | sha256sum | cut -c1-8)" | tr ',+' '__')
obj="$keyed/obj-$flavour"
host_obj="$keyed/obj-host$arch_suffix-$(echo "$HOST_CC $here" | sha256sum | cut -c1-8)"

mkdir -p "$OUT"
# leftovers of builds killed hard (a running build's staging directory is young)
find "$OUT" -maxdepth 1 -name '.staging-*' -mmin +120 -exec rm -rf {} + 2>/dev/null || true
stage=$(mktemp -d "$OUT/.staging-XXXXXX")
trap 'rm -rf "$stage"' EXIT
extras=""
if [ "$OUT_LAYOUT" = local ]; then extras=$stage; elif [ -n "${EXTRAS_OUT:-}" ]; then mkdir -p "$EXTRAS_OUT"; extras=$EXTRAS_OUT; fi
# the engines whose compiler brings its own main get no plain-main replayers or tools
case "$FUZZING_ENGINE" in honggfuzz|centipede) extras="" ;; esac

memslot_base() { echo "${1%_gmem_only_untouched_off}"; }	# a target's corpus, dictionary and replayer
goals=("$host_obj/scenario-text")
for t in "${targets[@]}"; do
	goals+=("$stage/$t")
	[ -n "$extras" ] && goals+=("$extras/$(memslot_base "$t" | sed 's/^fuzz_/replay_/')")
	[ "$t" != fuzz_interval_tree ] && [ -d "$here/corpus/$(memslot_base "$t")" ] && goals+=("$host_obj/seed-filter")
done
if [ -n "$extras" ]; then
	for src in "$here"/targets/tools/*.c; do [ -e "$src" ] && goals+=("$extras/$(basename "$src" .c)"); done
fi
mapfile -t goals < <(printf '%s\n' "${goals[@]}" | awk '!seen[$0]++')	# each once
log="$keyed/make-$flavour.log"
# one build of a tree at a time: the extraction directory is shared by every flavour
exec 9> "$keyed/.lock"
command -v flock >/dev/null 2>&1 && flock 9
if ! make -C "$here" --no-print-directory -j"$(nproc 2>/dev/null || echo 1)" \
	TREE="$TREE" GEN="$gen" EXTRACT_INPUTS_FILE="$inputs" EXTRACT_ARGS="$extract_args" KVM_ARCH="$KVM_ARCH" OBJ="$obj" HOST_OBJ="$host_obj" BIN="$stage" EXTRAS="${extras:-$stage}" \
	CC="$CC" CXX="$CXX" CFLAGS="$CFLAGS" CXXFLAGS="$CXXFLAGS" LIB_FUZZING_ENGINE="$LIB_FUZZING_ENGINE" \
	STANDALONE="$standalone" REPLAY_CC="$REPLAY_CC" REPLAY_FLAGS="$replay_flags" REPLAY_RT="$replay_rt" HOST_CC="$HOST_CC" \
	"${goals[@]}" > "$log" 2>&1; then
	what=$(sed -n 's/^make: failed: //p' "$log" | head -1)
	first=$(grep -m1 -E '^extract: |error:|undefined reference|cannot find' "$log" | sed "s|$here/||g; s|^[^ ]*/ld: ||") || true
	case "$what" in
		compiling*) [ "$ARCHITECTURE" = i386 ] &&
			die "ARCHITECTURE=i386: ${what##*/} does not compile for 32-bit (the KVM code and the harness assume a 64-bit host kernel)"
			# kernel code (its #line points into the tree): the kernel file:line and the extracted function there
			if [[ "$first" == "$TREE"/* ]]; then
				kfile=${first#"$TREE"/} kfile=${kfile%%:*} kline=${first#"$TREE"/*:} kline=${kline%%:*}
				func=$(awk -v f="$kfile" -v l="$kline" '{ split($3, w, ":") } w[1] == f && w[2] + 0 <= l + 0 &&
					w[2] + 0 > best { best = w[2] + 0; name = $2 } END { print name }' "$gen/manifest.txt" 2>/dev/null)
				die "$kfile:$kline: ${func:+$func: }${first#*error: } (full log: $log)"
			fi ;;
		extracting*) [ -n "$first" ] && { echo "$first" >&2; exit 1; } ;;	# the extractor's own line, as it is
	esac
	die "${what:-make} failed${first:+: $first} (log: $log)"
fi
exec 9>&-
sed -n 's/^make: \(extracted .*\)/\1/p' "$log" | while read -r l; do say "$l"; done

# ---- per target: .options, .dict, the seed corpus ---------------------------------------------------
cp "$host_obj/scenario-text" "$stage/.scenario-text"
[ -n "$extras" ] && cp "$host_obj/scenario-text" "$extras/scenario-text"
# OSS-Fuzz rejects a build whose seeds crash their target, and an unpatched kernel breaks the first
# law: each memslot target keeps the seeds that replay cleanly here with its own first-law setting
# (the seed filter: the replayer built with the host compiler); the others are named.
pack_seeds() { # target
	local t=$1 cdir f name why left_out=() law=1 seeds="$stage/.seeds-$1"
	local zipname; zipname=$(installed "$t")_seed_corpus.zip
	cdir="$here/corpus/$(memslot_base "$t")"
	[ -d "$cdir" ] || return 0
	[[ "$t" == *_gmem_only_untouched_off ]] && law=0
	mkdir -p "$seeds"
	for f in "$cdir"/*.txt "$cdir"/*.bin; do
		[ -e "$f" ] || continue
		name=$(basename "$f"); name=${name%.*}
		case "$f" in
			*.bin) cp "$f" "$seeds/$name" ;;
			*.txt) why=$("$stage/.scenario-text" to-bytes "$f" 2>&1 > "$seeds/$name") || die "${f#"$here"/}: $(head -1 <<< "$why")" ;;
		esac
		[ "$t" = fuzz_interval_tree ] && continue
		why=$(replay_verdict KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=$law "$host_obj/seed-filter" "$seeds/$name")
		[ "$why" = clean ] || { left_out+=("$name ($why)"); rm -f "$seeds/$name"; }
	done
	[ ${#left_out[@]} -eq 0 ] ||
		say "$zipname: ${#left_out[@]} seed(s) left out, they fail on kernel $KERNEL_VERSION: ${left_out[*]}"
	if [ -n "$(ls -A "$seeds")" ]; then
		zip -q -X -j "$stage/$zipname" "$seeds"/* || die "zip of $zipname failed"
	fi
	rm -rf "$seeds"
}
for t in "${targets[@]}"; do
	name=$(installed "$t")
	[ "$name" = "$t" ] || mv "$stage/$t" "$stage/$name"
	# engine options: 2 header bytes + 64 operations of 6 bytes fit in 400
	printf '[libfuzzer]\nmax_len = %d\n' 400 > "$stage/$name.options"
	# the memslot targets' dictionary: whole operations, from the declarations (scenario_ops.def)
	case "$t" in fuzz_memslot_notifier*)
		"$stage/.scenario-text" dict > "$stage/$name.dict" || die "scenario-text dict failed" ;;
	esac
	pack_seeds "$t"
done
names=(); for t in "${targets[@]}"; do names+=("$(installed "$t")"); done
rm -f "$stage/.scenario-text"

cat > "$stage/kernel-info.txt" <<EOF
kernel $KERNEL_VERSION
origin $KERNEL_ORIGIN
patches $PATCH_STACK
tree_key $TREE_KEY
tree $TREE
sanitizer $SANITIZER
engine $FUZZING_ENGINE
architecture $ARCHITECTURE
layout $OUT_LAYOUT
profile $KVM_ARCH${KVM_HVA_FUZZ_MORE_TARGETS:+ (after x86 into the same \$OUT)}
targets ${KVM_HVA_FUZZ_MORE_TARGETS:+$KVM_HVA_FUZZ_MORE_TARGETS }${names[*]}
EOF

# ---- install: kernel-info.txt goes last ----------------------------------------------------------
rm -f "$OUT/kernel-info.txt"
if [ "$OUT_LAYOUT" = oss-fuzz ]; then	# what a local build put here earlier must not be taken for a target
	rm -f "$OUT"/replay_* "$OUT/scenario-text"
	for src in "$here"/targets/tools/*.c; do [ -e "$src" ] && rm -f "$OUT/$(basename "$src" .c)"; done
fi
for f in "$stage"/*; do [ "$(basename "$f")" = kernel-info.txt ] || mv -f "$f" "$OUT/"; done
mv -f "$stage/kernel-info.txt" "$OUT/kernel-info.txt"
say "built ${names[*]} for kernel $KERNEL_VERSION ($KVM_ARCH profile, $SANITIZER, $FUZZING_ENGINE, $ARCHITECTURE, $OUT_LAYOUT layout) into $OUT"
}; exit
