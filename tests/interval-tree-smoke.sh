#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Smoke test of fuzzers/fuzz_interval_tree.c without libFuzzer: build it with
# $CC (default cc) against a kernel tree's lib/rbtree.c and lib/interval_tree.c,
# then feed it $RUNS (default 20000) pseudo-random inputs from a tiny driver.
# usage: tests/interval-tree-smoke.sh KERNEL_TREE
set -eu

tree=${1:?usage: $0 KERNEL_TREE}
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/itsmoke.XXXXXX")
trap 'rm -rf "$dir"' EXIT

python3 "$repo/extracted/extract.py" --tree "$tree" --shims "$repo/shims" \
	--roots "$repo/extracted/roots.txt" --kconfig "$repo/extracted/kconfig.txt" \
	--out "$dir/x" >"$dir/extract.log" 2>&1 || { cat "$dir/extract.log"; exit 1; }

cat >"$dir/driver.c" <<'EOF'
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int main(int argc, char **argv)
{
	static uint8_t buf[2048];
	unsigned long runs = argc > 1 ? strtoul(argv[1], NULL, 0) : 20000, r;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	size_t i, n;

	for (r = 0; r < runs; r++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		n = (size_t)(x >> 33) % sizeof(buf);
		for (i = 0; i < n; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			buf[i] = (uint8_t)(x >> 56);
		}
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("interval-tree smoke: %lu inputs, no violation\n", runs);
	return 0;
}
EOF

cc=${CC:-cc}
kflags="-std=gnu11 -I$dir/x -iquote $repo/shims -I$repo/shims/include -I$tree -O1 -g ${SANITIZE:-}"
$cc $kflags -c "$tree/lib/rbtree.c" -o "$dir/rbtree.o"
$cc $kflags -c "$tree/lib/interval_tree.c" -o "$dir/interval_tree.o"
$cc $kflags -Wall -Wextra -Werror -c "$repo/fuzzers/fuzz_interval_tree.c" -o "$dir/fit.o"
$cc -std=gnu11 -O1 -c "$dir/driver.c" -o "$dir/driver.o"
$cc ${SANITIZE:-} "$dir/rbtree.o" "$dir/interval_tree.o" "$dir/fit.o" "$dir/driver.o" -o "$dir/smoke"
rc=0
"$dir/smoke" "${RUNS:-20000}" || rc=$?
exit "$rc"
