#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: targets/fuzz_interval_tree.c without libFuzzer, clang or build.sh.
# It is built with the plain C compiler ($CC, default cc: gcc on Debian)
# against the newest 7.x tree's lib/rbtree.c and lib/interval_tree.c, and a
# small driver feeds it $RUNS (default 20000) pseudo-random inputs from a fixed
# seed: the real interval tree agrees with the brute-force model. The same
# driver on a tree whose interval_tree_iter_next is broken at test time must
# report the "interval tree" property, so the check can fail.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init
cc=${CC:-cc}

cat > "$work/driver.c" <<'EOF'
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

smoke() { # name tree -> the driver's output; status as the driver's
	local d="$work/$1" tree=$2
	mkdir -p "$d"
	# shellcheck disable=SC2046 # the profile's arguments, one word each
	python3 extracted/extract.py --tree "$tree" --shims shims --roots extracted/roots.txt \
		--kconfig extracted/kconfig.txt $(extract_profile_args x86) --out "$d/x" > "$d/extract.log" 2>&1 ||
		{ cat "$d/extract.log"; return 2; }
	local kflags=(-std=gnu11 "-I$d/x" -iquote shims -iquote shims/arch-x86 -Ishims/include "-I$tree" -O1 -g)
	"$cc" "${kflags[@]}" -c "$tree/lib/rbtree.c" -o "$d/rbtree.o" &&
		"$cc" "${kflags[@]}" -c "$tree/lib/interval_tree.c" -o "$d/interval_tree.o" &&
		"$cc" "${kflags[@]}" -Wall -Wextra -Werror -c targets/fuzz_interval_tree.c -o "$d/fit.o" &&
		"$cc" -std=gnu11 -O1 -c "$work/driver.c" -o "$d/driver.o" &&
		"$cc" "$d/rbtree.o" "$d/interval_tree.o" "$d/fit.o" "$d/driver.o" -o "$d/smoke" 2>&1 || return 2
	"$d/smoke" "${RUNS:-20000}" 2>&1
}

tree=$(tree_of KERNEL=latest)
if [ -z "$tree" ]; then
	not_ok "interval tree with $cc: the newest 7.x tree" "prepare-tree failed"; exit 0
fi
got=$(smoke good "$tree"); rc=$?
if [ $rc -eq 0 ] && grep -q '^interval-tree smoke: [0-9]* inputs, no violation$' <<< "$got"; then
	ok "interval tree with $cc, no libFuzzer: $(tail -1 <<< "$got")"
else not_ok "interval tree with $cc, no libFuzzer" "rc=$rc $got"; fi

if p=$(break_kernel it-iter-next "$tree" include/linux/interval_tree_generic.h 's/if (last < ITSTART(node))/if (last <= ITSTART(node))/') &&
	broken=$(tree_of KERNEL=latest KERNEL_PATCHES="$p") && [ -n "$broken" ]; then
	got=$(smoke broken "$broken"); rc=$?
	if [ $rc -ne 0 ] && [ "$(oracle_property <<< "$got")" = "interval tree" ]; then
		ok "interval tree with $cc: a broken interval_tree_iter_next is reported ($(grep -m1 '^ORACLE VIOLATION' <<< "$got" | cut -c1-80)...)"
	else not_ok "interval tree with $cc: a broken interval_tree_iter_next is reported" "rc=$rc $(tail -5 <<< "$got")"; fi
else
	not_ok "interval tree with $cc: a tree with a broken interval_tree_iter_next" "break_kernel or prepare-tree failed"
fi
exit 0
