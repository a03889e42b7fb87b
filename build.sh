#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the fuzz targets: fetch or read a kernel tree, extract the KVM code,
# compile it against the shims and link the targets into $OUT.
#
# Follows the OSS-Fuzz build contract ($CC $CXX $CFLAGS $CXXFLAGS
# $LIB_FUZZING_ENGINE $OUT $SANITIZER $FUZZING_ENGINE) and, outside OSS-Fuzz,
# defaults every variable: clang, address+undefined, libfuzzer, OUT=./out.
#
# Kernel selection: KERNEL_SRC=DIR (a tree, only read) or KERNEL=VERSION
# (Debian linux-source-VERSION; default "latest"), plus KERNEL_PATCHES="A B".
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "build.sh: $*" >&2; exit 1; }

# Tools: install what is missing (as root), or say exactly what to run.
need_packages() {
	local missing=()
	local cmd pkg
	for pair in "$@"; do
		cmd=${pair%%:*}; pkg=${pair#*:}
		case "$cmd" in
			/*) [ -e "$cmd" ] || missing+=("$pkg") ;;
			*) command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg") ;;
		esac
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" = 0 ]; then
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
: "${OUT:=$here/out}"
: "${BUILD_ROOT:=$here/build}"
in_oss_fuzz=${LIB_FUZZING_ENGINE+yes}

case "$FUZZING_ENGINE" in
	libfuzzer|afl|honggfuzz|centipede|none) ;;
	*) die "unknown FUZZING_ENGINE=$FUZZING_ENGINE (libfuzzer, afl, honggfuzz, centipede, none)" ;;
esac
case "$SANITIZER" in
	address|undefined|address+undefined|address,undefined|memory|coverage|none) ;;
	*) die "unknown SANITIZER=$SANITIZER (address, undefined, address+undefined, memory, coverage, none)" ;;
esac

if [ -z "$in_oss_fuzz" ]; then
	need_packages clang:clang python3:python3 patch:patch xz:xz-utils \
		/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a:libclang-rt-14-dev
	if [ "$FUZZING_ENGINE" = afl ]; then
		need_packages afl-clang-fast:afl++
		: "${CC:=afl-clang-fast}" "${CXX:=afl-clang-fast++}"
	fi
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
	case "$FUZZING_ENGINE" in
		libfuzzer) LIB_FUZZING_ENGINE=-fsanitize=fuzzer
			CFLAGS="$CFLAGS -fsanitize=fuzzer-no-link" ;;
		afl) LIB_FUZZING_ENGINE=/usr/lib/afl/libAFLDriver.a
			[ -e "$LIB_FUZZING_ENGINE" ] || LIB_FUZZING_ENGINE=-fsanitize=fuzzer ;;
		*) LIB_FUZZING_ENGINE="" ;;
	esac
fi
: "${CC:=clang}" "${CXX:=clang++}" "${CFLAGS:=}" "${CXXFLAGS:=}" "${LIB_FUZZING_ENGINE:=}"
: "${REPLAY_CC:=$CC}"

# ---- the kernel tree -----------------------------------------------------------
tree_info=$(BUILD_ROOT="$BUILD_ROOT" "$here/extracted/prepare-tree.sh") || exit 1
eval "$tree_info"
echo "build.sh: kernel $KERNEL_VERSION ($KERNEL_ORIGIN), patches: $PATCH_STACK" >&2

# ---- extraction, once per (kernel, patch stack, extractor inputs) ------------------
gen="$BUILD_ROOT/$TREE_KEY/extracted"
inputs_hash=$( { echo "$TREE_KEY $TREE"; cat "$here/extracted/extract.py" "$here/extracted/roots.txt" \
	"$here/extracted/kconfig.txt"; find "$here/shims" -type f | sort | xargs cat; } | sha256sum | cut -c1-16)
if [ "$(cat "$gen/stamp" 2>/dev/null)" != "$inputs_hash" ]; then
	rm -rf "$gen.tmp"
	python3 "$here/extracted/extract.py" --tree "$TREE" --shims "$here/shims" \
		--roots "$here/extracted/roots.txt" --kconfig "$here/extracted/kconfig.txt" --out "$gen.tmp" || exit 1
	echo "$inputs_hash" > "$gen.tmp/stamp"
	rm -rf "$gen" && mv "$gen.tmp" "$gen"
	echo "build.sh: extracted $(wc -l < "$gen/manifest.txt") definitions into $gen" >&2
fi

# ---- compile ---------------------------------------------------------------------
flavour=$(echo "$SANITIZER-$FUZZING_ENGINE-$(echo "$CC $CFLAGS" | sha256sum | cut -c1-8)" | tr ',+' '__')
obj="$BUILD_ROOT/$TREE_KEY/obj-$flavour"
mkdir -p "$obj"
INC=(-I"$gen" -iquote "$here/shims" -iquote "$here/fuzzers" -I"$here/shims/include" -I"$TREE")
# The kernel's own semantics (kernel Makefile): wrapping signed arithmetic, no strict aliasing.
KERNEL_CFLAGS=(-std=gnu11 -fno-strict-overflow -fno-strict-aliasing -fno-delete-null-pointer-checks
	-Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers
	# clang 14 calls guard(mutex)'s cleanup variable unused; newer clang does not
	-Wno-unused-variable
	-Werror=implicit-function-declaration -Werror=incompatible-pointer-types)
OUR_CFLAGS=(-std=gnu11 -Wall -Wextra -Werror=implicit-function-declaration)

compile() { # src obj kind
	local src=$1 o=$2 kind=$3
	local flags=("${OUR_CFLAGS[@]}")
	[ "$kind" = kernel ] && flags=("${KERNEL_CFLAGS[@]}")
	if [ ! -e "$o" ] || [ "$src" -nt "$o" ] || [ "$gen/stamp" -nt "$o" ] || [ -n "$(find "$here/shims" "$here/fuzzers" -newer "$o" -name '*.h' -print -quit)" ]; then
		# shellcheck disable=SC2086
		$CC $CFLAGS "${flags[@]}" "${INC[@]}" -c "$src" -o "$o.tmp" && mv "$o.tmp" "$o"
	fi
}
compile "$gen/kvm_extracted.c" "$obj/kvm_extracted.o" kernel
compile "$TREE/lib/rbtree.c" "$obj/rbtree.o" kernel
compile "$TREE/lib/interval_tree.c" "$obj/interval_tree.o" kernel
compile "$here/shims/models.c" "$obj/models.o" ours
for f in kvm_adapter scenario scenario_text fuzz_memslot_notifier fuzz_interval_tree replay_main; do
	[ -e "$here/fuzzers/$f.c" ] && compile "$here/fuzzers/$f.c" "$obj/$f.o" ours
done
KERNEL_OBJS=("$obj/kvm_extracted.o" "$obj/rbtree.o" "$obj/interval_tree.o" "$obj/models.o" "$obj/kvm_adapter.o" "$obj/scenario.o" "$obj/scenario_text.o")

# ---- link into $OUT ---------------------------------------------------------------
mkdir -p "$OUT"
link() { # target objs...
	local t=$1; shift
	# shellcheck disable=SC2086
	$CXX $CXXFLAGS "$@" $LIB_FUZZING_ENGINE -o "$OUT/$t.tmp" && mv "$OUT/$t.tmp" "$OUT/$t"
}
link_replay() { # target objs...
	local t=$1; shift
	# shellcheck disable=SC2086
	$CC $CFLAGS "$@" -o "$OUT/$t.tmp" && mv "$OUT/$t.tmp" "$OUT/$t"
}
targets=(fuzz_memslot_notifier)
[ -e "$obj/fuzz_interval_tree.o" ] && targets+=(fuzz_interval_tree)
for t in "${targets[@]}"; do
	if [ "$t" = fuzz_interval_tree ]; then objs=("$obj/$t.o" "$obj/rbtree.o" "$obj/interval_tree.o"); else objs=("$obj/$t.o" "${KERNEL_OBJS[@]}"); fi
	if [ "$FUZZING_ENGINE" != none ]; then
		link "$t" "${objs[@]}"
	fi
	# the standalone replayer: same code, plain main, no engine
	if [ "$FUZZING_ENGINE" = libfuzzer ] || [ "$FUZZING_ENGINE" = none ]; then
		rflags=$(echo "$CFLAGS" | sed 's/-fsanitize=fuzzer-no-link//')
		# shellcheck disable=SC2086
		$REPLAY_CC $rflags "${objs[@]}" "$obj/replay_main.o" -o "$OUT/${t/fuzz_/replay_}.tmp" &&
			mv "$OUT/${t/fuzz_/replay_}.tmp" "$OUT/${t/fuzz_/replay_}"
	fi
	# engine options: the first law is on by default; see the target's header comment
	printf '[libfuzzer]\nmax_len = %d\n' 400 > "$OUT/$t.options"
done
# Tools (fuzzers/tools/NAME.c): plain mains over the same objects, no engine (reports, converters).
rflags=$(echo "$CFLAGS" | sed 's/-fsanitize=fuzzer-no-link//')
for src in "$here"/fuzzers/tools/*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	compile "$src" "$obj/tool-$name.o" ours
	# shellcheck disable=SC2086
	$REPLAY_CC $rflags "$obj/tool-$name.o" "${KERNEL_OBJS[@]}" -o "$OUT/$name.tmp" && mv "$OUT/$name.tmp" "$OUT/$name"
done
cat > "$OUT/kernel-info.txt" <<EOF
kernel $KERNEL_VERSION
origin $KERNEL_ORIGIN
patches $PATCH_STACK
tree_key $TREE_KEY
tree $TREE
sanitizer $SANITIZER
engine $FUZZING_ENGINE
EOF
echo "build.sh: built ${targets[*]} for kernel $KERNEL_VERSION into $OUT" >&2
