#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the fuzz targets: fetch or read a kernel tree, extract the KVM code,
# compile it against the shims and link the targets into $OUT.
#
# Follows the OSS-Fuzz build contract: $CC $CXX $CFLAGS $CXXFLAGS
# $LIB_FUZZING_ENGINE $OUT $SANITIZER $FUZZING_ENGINE $ARCHITECTURE, targets
# linked with `$CXX $CXXFLAGS ... $LIB_FUZZING_ENGINE`.
#
# Two layouts of $OUT:
#   local (LIB_FUZZING_ENGINE unset): every variable is defaulted (clang,
#     address+undefined, libfuzzer, OUT=./out) and $OUT also gets the
#     replayers (replay_*), the tools (fuzzers/tools/NAME.c -> $OUT/NAME) and
#     scenario-text.
#   oss-fuzz (LIB_FUZZING_ENGINE set, as in OSS-Fuzz's and ClusterFuzzLite's
#     base-builder): $OUT gets the fuzz targets and their .options, .dict and
#     _seed_corpus.zip only, because every executable there that contains
#     LLVMFuzzerTestOneInput is taken for a fuzz target. Every target
#     reproduces a file by itself (`target FILE`). EXTRAS_OUT=DIR builds the
#     replayers and tools into DIR anyway.
#   OUT_LAYOUT=local|oss-fuzz overrides the choice.
# FUZZ_TARGETS="..." builds a subset of fuzz_memslot_notifier,
# fuzz_memslot_notifier_first_law_off and fuzz_interval_tree (default: all).
#
# KVM_ARCH=x86|arm64 (default x86): the arch profile the kernel code is
# extracted for (extracted/kconfig.txt, plus kconfig-arm64.txt; shims/arch-*).
# arm64's targets are fuzz_memslot_notifier_arm64 and
# fuzz_memslot_notifier_first_law_off_arm64; its local OUT defaults to out/arm64.
# The OSS-Fuzz hand-over ($SRC/build.sh) builds both profiles into one $OUT.
#
# Kernel selection: KERNEL_SRC=DIR (a tree, only read) or KERNEL=VERSION
# (Debian linux-source-VERSION; default "latest"), plus KERNEL_PATCHES="A B".
# In the oss-fuzz layout, when neither is set, KERNEL_SRC defaults to
# $SRC/linux (the Dockerfile's shallow clone).
{ # parsed whole before it runs: editing this file during a run cannot change that run
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "build.sh: $*" >&2; exit 1; }

# OSS-Fuzz runs a copy of this file as $SRC/build.sh from the Dockerfile's
# WORKDIR: hand over to the checkout's own build.sh.
if [ ! -e "$here/extracted/extract.py" ]; then
	for d in "$PWD" "${SRC:-/src}/kvm-hva-fuzz"; do
		if [ -e "$d/extracted/extract.py" ] && [ -e "$d/build.sh" ]; then
			# both arch profiles' targets (KVM_ARCH chooses one when set)
			[ -n "${KVM_ARCH:-}" ] || { bash "$d/build.sh" "$@" || exit 1; export KVM_ARCH=arm64; }
			exec bash "$d/build.sh" "$@"
		fi
	done
	die "no kvm-hva-fuzz checkout in $PWD or ${SRC:-/src}/kvm-hva-fuzz"
fi
[ $# -eq 0 ] || die "unknown argument '$1' (settings are environment variables)"

# Tools: install what is missing (as root), or say exactly what to run.
# Arguments are COMMAND:PACKAGE or /ABSOLUTE/FILE:PACKAGE.
need_packages() {
	local missing=()
	local cmd pkg pair
	for pair in "$@"; do
		cmd=${pair%%:*}; pkg=${pair#*:}
		case "$cmd" in
			/*) [ -e "$cmd" ] || missing+=("$pkg") ;;
			*) command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg") ;;
		esac
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "build.sh: installing ${missing[*]}" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 ||
			{ apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2; } ||
			die "could not install ${missing[*]}"
	else
		die "missing tools; run: sudo apt-get install -y ${missing[*]}"
	fi
}

# ---- OSS-Fuzz variables, defaulted ---------------------------------------------
: "${SANITIZER:=address+undefined}"
: "${FUZZING_ENGINE:=libfuzzer}"
: "${ARCHITECTURE:=x86_64}"
: "${KVM_ARCH:=x86}"
case "$KVM_ARCH" in
	x86) arch_suffix="" ;;
	arm64) arch_suffix=_arm64 ;;
	*) die "unknown KVM_ARCH=$KVM_ARCH (x86, arm64)" ;;
esac
if [ "$KVM_ARCH" = x86 ]; then : "${OUT:=$here/out}"; else : "${OUT:=$here/out/$KVM_ARCH}"; fi
in_oss_fuzz=${LIB_FUZZING_ENGINE+yes}
if [ -n "$in_oss_fuzz" ]; then : "${OUT_LAYOUT:=oss-fuzz}"; else : "${OUT_LAYOUT:=local}"; fi
if [ -n "$in_oss_fuzz" ] && [ -n "${WORK:-}" ]; then : "${BUILD_ROOT:=$WORK/kvm-hva-fuzz-build}"; fi
: "${BUILD_ROOT:=$here/build}"

case "$FUZZING_ENGINE" in
	libfuzzer|afl|honggfuzz|centipede|none) ;;
	*) die "unknown FUZZING_ENGINE=$FUZZING_ENGINE (libfuzzer, afl, honggfuzz, centipede, none)" ;;
esac
case "$SANITIZER" in
	address|undefined|address+undefined|address,undefined|memory|coverage|none) ;;
	*) die "unknown SANITIZER=$SANITIZER (address, undefined, address+undefined, memory, coverage, none)" ;;
esac
case "$ARCHITECTURE" in
	x86_64|i386) ;;
	*) die "unknown ARCHITECTURE=$ARCHITECTURE (x86_64, i386)" ;;
esac
case "$OUT_LAYOUT" in
	local|oss-fuzz) ;;
	*) die "unknown OUT_LAYOUT=$OUT_LAYOUT (local, oss-fuzz)" ;;
esac
all_targets="fuzz_memslot_notifier fuzz_memslot_notifier_first_law_off fuzz_interval_tree"
# arm64: the memslot targets under their own names (the interval tree is arch-free)
[ -z "$arch_suffix" ] || all_targets="fuzz_memslot_notifier$arch_suffix fuzz_memslot_notifier_first_law_off$arch_suffix"
: "${FUZZ_TARGETS:=$all_targets}"
for t in $FUZZ_TARGETS; do
	case " $all_targets " in *" $t "*) ;; *) die "unknown fuzz target '$t' in FUZZ_TARGETS ($all_targets)" ;; esac
done
[ -n "${FUZZ_TARGETS// /}" ] || die "FUZZ_TARGETS is empty ($all_targets)"

if [ -n "$in_oss_fuzz" ]; then
	# Inside OSS-Fuzz/ClusterFuzzLite: the image has the tools (Dockerfile) and
	# the kernel is the Dockerfile's clone unless KERNEL or KERNEL_SRC says otherwise.
	if [ -z "${KERNEL_SRC:-}" ] && [ -z "${KERNEL:-}" ]; then
		KERNEL_SRC=${SRC:-/src}/linux
		[ -d "$KERNEL_SRC" ] || die "no kernel tree at $KERNEL_SRC (inside OSS-Fuzz KERNEL_SRC defaults to \$SRC/linux; set KERNEL_SRC or KERNEL)"
		export KERNEL_SRC
	fi
	command -v zip >/dev/null 2>&1 || die "missing tool: zip (add it to the Dockerfile's apt-get install)"
else
	need_packages clang:clang python3:python3 patch:patch xz:xz-utils zip:zip unzip:unzip \
		/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a:libclang-rt-14-dev
	m32=""
	if [ "$ARCHITECTURE" = i386 ]; then
		need_packages /usr/lib32/crt1.o:libc6-dev-i386 \
			/usr/lib/gcc/x86_64-linux-gnu/12/32/crtbegin.o:lib32gcc-12-dev \
			/usr/lib/gcc/x86_64-linux-gnu/12/32/libstdc++.so:lib32stdc++-12-dev
		m32="-m32"
	fi
	case "$FUZZING_ENGINE" in
		afl)
			need_packages afl-clang-fast:afl++ /usr/lib/afl/libAFLDriver.a:afl++
			: "${CC:=afl-clang-fast}" "${CXX:=afl-clang-fast++}"
			LIB_FUZZING_ENGINE=/usr/lib/afl/libAFLDriver.a ;;
		honggfuzz)
			command -v hfuzz-clang >/dev/null 2>&1 ||
				die "FUZZING_ENGINE=honggfuzz needs hfuzz-clang on PATH (honggfuzz is not packaged in Debian 12; OSS-Fuzz's base-builder has it)"
			: "${CC:=hfuzz-clang}" "${CXX:=hfuzz-clang++}"
			LIB_FUZZING_ENGINE="" ;;
		centipede)
			die "FUZZING_ENGINE=centipede is built only inside OSS-Fuzz/ClusterFuzzLite (not packaged in Debian 12; set LIB_FUZZING_ENGINE to your own build)" ;;
		libfuzzer) LIB_FUZZING_ENGINE=-fsanitize=fuzzer ;;
		none) LIB_FUZZING_ENGINE="" ;;	# replaced by replay_main.o below
	esac
	: "${CC:=clang}" "${CXX:=clang++}"
	san=""
	case "$SANITIZER" in
		address) san="-fsanitize=address" ;;
		undefined) san="-fsanitize=undefined -fno-sanitize-recover=undefined" ;;
		address+undefined|address,undefined)
			san="-fsanitize=address,undefined -fno-sanitize-recover=undefined" ;;
		memory) san="-fsanitize=memory -fsanitize-memory-track-origins" ;;
		coverage) san="-fprofile-instr-generate -fcoverage-mapping" ;;
	esac
	: "${CFLAGS:=-O1 -g -fno-omit-frame-pointer $san}"
	: "${CXXFLAGS:=$CFLAGS}"
	if [ -n "$m32" ]; then CFLAGS="$m32 $CFLAGS"; CXXFLAGS="$m32 $CXXFLAGS"; fi
	[ "$FUZZING_ENGINE" = libfuzzer ] && CFLAGS="$CFLAGS -fsanitize=fuzzer-no-link"
fi
: "${CC:=clang}" "${CXX:=clang++}" "${CFLAGS:=}" "${CXXFLAGS:=}" "${LIB_FUZZING_ENGINE:=}"
: "${REPLAY_CC:=$CC}"
# The plain host compiler: converters that run at build time, no sanitizer, no engine.
if [ -z "${HOST_CC:-}" ]; then
	for c in clang gcc cc; do command -v "$c" >/dev/null 2>&1 && { HOST_CC=$c; break; }; done
fi
: "${HOST_CC:=cc}"

# 32-bit: OSS-Fuzz puts -m32 into CFLAGS itself; either way the toolchain must link it.
if [ "$ARCHITECTURE" = i386 ]; then
	case " $CFLAGS " in *" -m32 "*) ;; *) die "ARCHITECTURE=i386 but CFLAGS has no -m32" ;; esac
	case "$SANITIZER" in memory) die "ARCHITECTURE=i386: no MemorySanitizer on i386 (no libclang_rt.msan-i386.a)" ;; esac
	probe=$(mktemp -d)
	printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; return (int)n - (int)n; }\n' > "$probe/p.c"
	probe_engine=$LIB_FUZZING_ENGINE
	[ "$FUZZING_ENGINE" = none ] && [ -z "$in_oss_fuzz" ] && probe_engine="$here/fuzzers/replay_main.c"
	# shellcheck disable=SC2086
	if ! err=$($CC $CFLAGS -c "$probe/p.c" -o "$probe/p.o" 2>&1 && $CXX $CXXFLAGS "$probe/p.o" $probe_engine -o "$probe/p" 2>&1); then
		rm -rf "$probe"
		die "ARCHITECTURE=i386: the toolchain cannot link 32-bit targets ($(echo "$err" | grep -m1 -iE 'cannot find|error|undefined' | sed 's/^[^:]*: //'))"
	fi
	rm -rf "$probe"
fi

# ---- the kernel tree -----------------------------------------------------------
tree_info=$(BUILD_ROOT="$BUILD_ROOT" "$here/extracted/prepare-tree.sh") || exit 1
eval "$tree_info"
echo "build.sh: kernel $KERNEL_VERSION ($KERNEL_ORIGIN), patches: $PATCH_STACK" >&2

# ---- extraction, once per (kernel, patch stack, extractor inputs) ------------------
gen="$BUILD_ROOT/$TREE_KEY/extracted${arch_suffix/_/-}"
arch_kconfig=()
[ "$KVM_ARCH" = x86 ] || arch_kconfig=(--kconfig "$here/extracted/kconfig-$KVM_ARCH.txt")
mkdir -p "$BUILD_ROOT/$TREE_KEY"
inputs_hash=$( { echo "$TREE_KEY $TREE $KVM_ARCH"; cat "$here/extracted/extract.py" "$here/extracted/roots.txt" "$here/fuzzers/kvm_adapter.c" "$here"/extracted/kconfig*.txt \
	"$here/extracted/kconfig.txt"; find "$here/shims" -type f | sort | xargs cat; } | sha256sum | cut -c1-16)
if [ "$(cat "$gen/stamp" 2>/dev/null)" != "$inputs_hash" ]; then
	rm -rf "$gen.tmp"
	python3 "$here/extracted/extract.py" --tree "$TREE" --shims "$here/shims" --arch-shims "$here/shims/arch-$KVM_ARCH" \
		--also-defines "$here/fuzzers/kvm_adapter.c" --roots "$here/extracted/roots.txt" \
		--kconfig "$here/extracted/kconfig.txt" "${arch_kconfig[@]}" --out "$gen.tmp" || exit 1
	echo "$inputs_hash" > "$gen.tmp/stamp"
	rm -rf "$gen" && mv "$gen.tmp" "$gen"
	echo "build.sh: extracted $(wc -l < "$gen/manifest.txt") definitions into $gen" >&2
fi

# ---- compile ---------------------------------------------------------------------
flavour=$(echo "$SANITIZER-$FUZZING_ENGINE-$ARCHITECTURE$arch_suffix-$(echo "$CC $CFLAGS" | sha256sum | cut -c1-8)" | tr ',+' '__')
obj="$BUILD_ROOT/$TREE_KEY/obj-$flavour"
mkdir -p "$obj"
INC=(-I"$gen" -iquote "$here/shims" -iquote "$here/shims/arch-$KVM_ARCH" -iquote "$here/fuzzers" -I"$here/shims/include" -I"$TREE")
# The kernel's own semantics (kernel Makefile): wrapping signed arithmetic, no strict aliasing.
KERNEL_CFLAGS=(-std=gnu11 -fno-strict-overflow -fno-strict-aliasing -fno-delete-null-pointer-checks
	-Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers
	# clang 14 calls guard(mutex)'s cleanup variable unused; newer clang does not
	-Wno-unused-variable
	-Werror=implicit-function-declaration -Werror=incompatible-pointer-types)
OUR_CFLAGS=(-std=gnu11 -Wall -Wextra -Werror=implicit-function-declaration)

# A compiler error in kernel code, as one line: the first error at its kernel
# file:line, the extracted function there (manifest.txt), then the full log.
compile_error_line() { # log
	local first file line func
	first=$(grep -m1 -E '^[^ ]+:[0-9]+:[0-9]+: (fatal )?error: ' "$1") || { echo "see $1"; return; }
	file=${first%%:*}; line=${first#*:}; line=${line%%:*}
	file=${file#"$TREE"/}
	func=$(awk -v f="$file" -v l="$line" '{ split($3, w, ":") } w[1] == f && w[2] + 0 <= l + 0 && w[2] + 0 > best { best = w[2] + 0; name = $2 }
		END { print name }' "$gen/manifest.txt")
	echo "$file:$line: ${func:+$func: }${first#*error: } (full log: $1)"
}

compile_with() { # cc cflags src obj kind [extra flags...]
	local cc=$1 cflags=$2 src=$3 o=$4 kind=$5; shift 5
	local flags=("${OUR_CFLAGS[@]}")
	[ "$kind" = kernel ] && flags=("${KERNEL_CFLAGS[@]}")
	if [ ! -e "$o" ] || [ "$src" -nt "$o" ] || [ "$gen/stamp" -nt "$o" ] || [ -n "$(find "$here/shims" "$here/fuzzers" -newer "$o" -name '*.h' -print -quit)" ]; then
		# shellcheck disable=SC2086
		if ! $cc $cflags "${flags[@]}" "$@" "${INC[@]}" -c "$src" -o "$o.tmp" 2> "$o.log"; then
			[ "$ARCHITECTURE" = i386 ] && case " $cflags " in *" -m32 "*)
				die "ARCHITECTURE=i386: ${src##*/} does not compile for 32-bit (the KVM code and the harness assume a 64-bit host kernel)" ;; esac
			[ "$kind" = kernel ] && die "$(compile_error_line "$o.log")"
			cat "$o.log" >&2
			die "compiling ${src#"$here"/} failed"
		fi
		cat "$o.log" >&2
		mv "$o.tmp" "$o"
	fi
}
compile() { compile_with "$CC" "$CFLAGS" "$@"; }
compile "$gen/kvm_extracted.c" "$obj/kvm_extracted.o" kernel
compile "$TREE/lib/rbtree.c" "$obj/rbtree.o" kernel
compile "$TREE/lib/interval_tree.c" "$obj/interval_tree.o" kernel
compile "$here/shims/models.c" "$obj/models.o" ours
for f in kvm_adapter scenario scenario_text fuzz_memslot_notifier fuzz_interval_tree replay_main; do
	[ -e "$here/fuzzers/$f.c" ] && compile "$here/fuzzers/$f.c" "$obj/$f.o" ours
done
# The second memslot target: the first law off unless the environment switches it on.
compile "$here/fuzzers/fuzz_memslot_notifier.c" "$obj/fuzz_memslot_notifier_first_law_off.o" ours -DGMEM_ONLY_CHECK_DEFAULT=0
KERNEL_OBJS=("$obj/kvm_extracted.o" "$obj/rbtree.o" "$obj/interval_tree.o" "$obj/models.o" "$obj/kvm_adapter.o" "$obj/scenario.o")
# scenario_text.c (text form of scenarios) is part of the harness too once it exists
[ -e "$here/fuzzers/scenario_text.c" ] && KERNEL_OBJS+=("$obj/scenario_text.o")
# Without an engine (locally) a target is a standalone runner: replay_main.c's main.
if [ -z "$in_oss_fuzz" ] && [ "$FUZZING_ENGINE" = none ]; then LIB_FUZZING_ENGINE="$obj/replay_main.o"; fi

# ---- link into a staging directory, then move into $OUT ----------------------------------
# A failed or interrupted build leaves $OUT as it was (kernel-info.txt, written
# last, says a build finished).
mkdir -p "$OUT"
# leftovers of builds killed hard (a running build's staging directory is young)
find "$OUT" -maxdepth 1 -name '.staging-*' -mmin +120 -exec rm -rf {} + 2>/dev/null || true
stage=$(mktemp -d "$OUT/.staging-XXXXXX")
trap 'rm -rf "$stage"' EXIT
extras=""
if [ "$OUT_LAYOUT" = local ]; then extras=$stage; elif [ -n "${EXTRAS_OUT:-}" ]; then mkdir -p "$EXTRAS_OUT"; extras=$EXTRAS_OUT; fi
rflags=$(echo "$CFLAGS" | sed 's/-fsanitize=fuzzer-no-link//')
# Objects built for libFuzzer call the coverage callbacks; a sanitizer runtime defines them, and
# without one (none, coverage) the replayers and tools take them from libFuzzer minus its main.
replay_cc=$REPLAY_CC replay_rt=""
if [[ "$CFLAGS" == *-fsanitize=fuzzer-no-link* ]] && { [ "$SANITIZER" = none ] || [ "$SANITIZER" = coverage ]; }; then
	replay_rt=$($CC -print-file-name=libclang_rt.fuzzer_no_main-x86_64.a)
	[ -f "$replay_rt" ] || die "no libclang_rt.fuzzer_no_main-x86_64.a for the replayers of a $SANITIZER build"
	replay_cc=$CXX
fi

# shellcheck disable=SC2206
targets=($FUZZ_TARGETS)
replays=""
for t in "${targets[@]}"; do
	src=${t%"$arch_suffix"}	# the source's name: a profile's targets differ by suffix only
	case "$t" in
		fuzz_interval_tree) objs=("$obj/$t.o" "$obj/rbtree.o" "$obj/interval_tree.o") ;;
		*) objs=("$obj/$src.o" "${KERNEL_OBJS[@]}") ;;
	esac
	# shellcheck disable=SC2086
	$CXX $CXXFLAGS "${objs[@]}" $LIB_FUZZING_ENGINE -o "$stage/$t" || die "linking $t failed"
	# engine options: 2 header bytes + 64 operations of 6 bytes fit in 400
	printf '[libfuzzer]\nmax_len = %d\n' 400 > "$stage/$t.options"
	base=${src%_first_law_off}
	[ -e "$here/fuzzers/$base.dict" ] && cp "$here/fuzzers/$base.dict" "$stage/$t.dict"
	# the standalone replayer: same code, plain main, no engine (honggfuzz's compiler brings its own main);
	# one for both memslot targets (KVM_HVA_FUZZ_GMEM_ONLY_CHECK=0 replays as the first-law-off one)
	r=${base/fuzz_/replay_}
	if [ -n "$extras" ] && [[ " $replays " != *" $r "* ]] && [ "$FUZZING_ENGINE" != honggfuzz ] && [ "$FUZZING_ENGINE" != centipede ]; then
		objs[0]="$obj/$base.o"
		# shellcheck disable=SC2086
		$replay_cc $rflags "${objs[@]}" "$obj/replay_main.o" $replay_rt -o "$extras/$r" || die "linking $r failed"
		replays="$replays $r"
	fi
done
# Tools (fuzzers/tools/NAME.c): plain mains over the same objects, no engine (reports).
if [ -n "$extras" ] && [ "$FUZZING_ENGINE" != honggfuzz ] && [ "$FUZZING_ENGINE" != centipede ]; then
	for src in "$here"/fuzzers/tools/*.c; do
		[ -e "$src" ] || continue
		name=$(basename "$src" .c)
		compile "$src" "$obj/tool-$name.o" ours
		# shellcheck disable=SC2086
		$replay_cc $rflags "$obj/tool-$name.o" "${KERNEL_OBJS[@]}" $replay_rt -o "$extras/$name" || die "linking tool $name failed"
	done
fi

# ---- scenario-text and the seed corpora ---------------------------------------------------
# corpus/<target>/*.txt are text scenarios, converted with scenario-text (plain
# host compiler, kernel-independent); *.bin files are taken as they are. The
# first-law-off target shares fuzz_memslot_notifier's corpus. OSS-Fuzz rejects a
# build whose seed corpus crashes its target, and an unpatched kernel breaks the
# first law: each memslot target keeps the seeds that replay cleanly on this
# kernel with its own first-law setting (a plain host build of the replayer
# decides), and the others are named.
st="$stage/.scenario-text"
$HOST_CC -std=gnu11 -O1 -iquote "$here/fuzzers" "$here/fuzzers/scenario_text.c" "$here/fuzzers/scenario_text_main.c" \
	-o "$st" || die "building scenario-text failed"
[ -n "$extras" ] && cp "$st" "$extras/scenario-text"
seed_filter=""
build_seed_filter() { # a replayer built with the plain host compiler: no sanitizer, no engine
	local hobj f
	hobj="$BUILD_ROOT/$TREE_KEY/obj-host$arch_suffix-$(echo "$HOST_CC" | sha256sum | cut -c1-8)"
	mkdir -p "$hobj"
	compile_with "$HOST_CC" "-O1" "$gen/kvm_extracted.c" "$hobj/kvm_extracted.o" kernel
	compile_with "$HOST_CC" "-O1" "$TREE/lib/rbtree.c" "$hobj/rbtree.o" kernel
	compile_with "$HOST_CC" "-O1" "$TREE/lib/interval_tree.c" "$hobj/interval_tree.o" kernel
	compile_with "$HOST_CC" "-O1" "$here/shims/models.c" "$hobj/models.o" ours
	local objs=("$hobj/kvm_extracted.o" "$hobj/rbtree.o" "$hobj/interval_tree.o" "$hobj/models.o")
	for f in kvm_adapter scenario scenario_text fuzz_memslot_notifier replay_main; do
		[ -e "$here/fuzzers/$f.c" ] || continue
		compile_with "$HOST_CC" "-O1" "$here/fuzzers/$f.c" "$hobj/$f.o" ours
		objs+=("$hobj/$f.o")
	done
	$HOST_CC "${objs[@]}" -o "$stage/.seed-filter" || die "linking the seed filter failed"
	seed_filter="$stage/.seed-filter"
}
for t in "${targets[@]}"; do
	src=${t%"$arch_suffix"}
	cdir="$here/corpus/${src%_first_law_off}"
	[ -d "$cdir" ] || continue
	seeds="$stage/.seeds-$t"
	mkdir -p "$seeds"
	left_out=()
	for f in "$cdir"/*.txt "$cdir"/*.bin; do
		[ -e "$f" ] || continue
		name=$(basename "$f"); name=${name%.*}
		case "$f" in
			*.bin) cp "$f" "$seeds/$name" ;;
			*.txt)
				err=$("$st" to-bytes "$f" 2>&1 > "$seeds/$name") ||
					die "${f#"$here"/}: $(echo "$err" | head -1)" ;;
		esac
		case "$src" in
			fuzz_memslot_notifier|fuzz_memslot_notifier_first_law_off)
				[ -n "$seed_filter" ] || build_seed_filter
				law=1; [ "$src" = fuzz_memslot_notifier_first_law_off ] && law=0
				if ! verdict=$(KVM_HVA_FUZZ_GMEM_ONLY_CHECK=$law "$seed_filter" "$seeds/$name" 2>&1); then
					why=$(echo "$verdict" | sed -n 's/^ORACLE VIOLATION: \([^:]*\):.*/\1/p' | head -1)
					left_out+=("$name (${why:-fails})")
					rm -f "$seeds/$name"
				fi ;;
		esac
	done
	if [ ${#left_out[@]} -gt 0 ]; then
		echo "build.sh: ${t}_seed_corpus.zip: ${#left_out[@]} seed(s) left out, they fail on kernel $KERNEL_VERSION: ${left_out[*]}" >&2
	fi
	if [ -n "$(ls -A "$seeds")" ]; then
		zip -q -X -j "$stage/${t}_seed_corpus.zip" "$seeds"/* || die "zip of ${t}_seed_corpus.zip failed"
	fi
	rm -rf "$seeds"
done

cat > "$stage/kernel-info.txt" <<EOF
kernel $KERNEL_VERSION
origin $KERNEL_ORIGIN
patches $PATCH_STACK
tree_key $TREE_KEY
tree $TREE
sanitizer $SANITIZER
engine $FUZZING_ENGINE
architecture $ARCHITECTURE
profile $KVM_ARCH
layout $OUT_LAYOUT
targets ${targets[*]}
EOF

# ---- install: kernel-info.txt goes last ---------------------------------------------------
rm -f "$OUT/kernel-info.txt"
if [ "$OUT_LAYOUT" = oss-fuzz ]; then
	# what a local build put here earlier must not be taken for a target
	rm -f "$OUT"/replay_* "$OUT/scenario-text"
	for src in "$here"/fuzzers/tools/*.c; do [ -e "$src" ] && rm -f "$OUT/$(basename "$src" .c)"; done
fi
for f in "$stage"/*; do
	[ "$(basename "$f")" = kernel-info.txt ] && continue
	mv -f "$f" "$OUT/"
done
mv -f "$stage/kernel-info.txt" "$OUT/kernel-info.txt"
echo "build.sh: built ${targets[*]} for kernel $KERNEL_VERSION ($KVM_ARCH profile, $SANITIZER, $FUZZING_ENGINE, $ARCHITECTURE, $OUT_LAYOUT layout) into $OUT" >&2
}; exit
