#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Checks for extracted/prepare-tree.sh.  Prints "ok - NAME" / "not ok - NAME"
# per check and exits 1 if any failed.
#
# The fetch checks use the real cache (${XDG_CACHE_HOME:-~/.cache}/kvm-hva-fuzz)
# so later runs are fast; the first run downloads linux-source-7.3 (~160 MiB).
# Scratch trees go to a temp BUILD_ROOT.  RFC_SEED overrides the patch used
# for the apply checks.

# Checks are mostly eval'd single-quoted strings, expanded when run.
# shellcheck disable=SC2016,SC2034,SC2317
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
PT=$here/../../extracted/prepare-tree.sh
. "$here/../../scripts/lib.sh"	# ok, not_ok, skip, check, shared_seed
unset KVM_HVA_FUZZ_KERNEL_PINS	# it tests how a series resolves on the mirror, not the suite's pins
SEED=${RFC_SEED:-$(shared_seed rfc-kvm-ignore-mmu-notifiers-gmem-only.txt)}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/prepare-tree-test.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT
NOCACHE=$WORK/nocache # error checks must not need (or create) a cache

pass=0 fail=0

# run [VAR=VALUE...]: run the script with a clean environment for its inputs;
# sets RC, OUT, ERR, LAST (last stderr line), MS, SECS.
run() {
	local t0 t1
	t0=$(date +%s%N)
	env -u KERNEL -u KERNEL_SRC -u KERNEL_PATCHES -u BUILD_ROOT \
		BUILD_ROOT="$WORK/build" "$@" "$PT" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	t1=$(date +%s%N)
	MS=$(((t1 - t0) / 1000000))
	SECS=$((MS / 1000)).$(printf '%03d' $((MS % 1000)))
	OUT=$(cat "$WORK/out")
	ERR=$(cat "$WORK/err")
	LAST=$(tail -n 1 "$WORK/err")
}

# The five lines, in order, each KEY='...'.
five_lines() {
	printf '%s\n' "$OUT" | awk '
		BEGIN { split("TREE KERNEL_VERSION KERNEL_ORIGIN PATCH_STACK TREE_KEY", k) }
		$0 !~ ("^" k[NR] "=\047[^\047]*\047$") { bad = 1 }
		END { exit (bad || NR != 5) }'
}
load() { # eval the output into T_* variables
	local TREE KERNEL_VERSION KERNEL_ORIGIN PATCH_STACK TREE_KEY
	eval "$OUT" || return 1
	T_TREE=$TREE T_VERSION=$KERNEL_VERSION T_ORIGIN=$KERNEL_ORIGIN
	T_STACK=$PATCH_STACK T_KEY=$TREE_KEY
}
# A line containing $2 directly followed by a line that is just "continue;".
followed_by_continue() { # FILE NEEDLE
	awk -v n="$2" 'hit && /^[ \t]*continue;[ \t]*$/ { found = 1 }
		{ hit = index($0, n) > 0 } END { exit !found }' "$1"
}
no_stdout() { [ -z "$OUT" ]; }
empty_dir_or_none() { [ ! -e "$1" ] || [ -z "$(ls -A "$1")" ]; }

# ------------------------------------------------------------- KERNEL=7.3

run KERNEL=7.3
echo "# KERNEL=7.3 first run: ${SECS}s"
check "KERNEL=7.3 exits 0" [ "$RC" = 0 ]
check "KERNEL=7.3 prints exactly the five lines" five_lines
check "KERNEL=7.3 output evaluates" load
check "KERNEL_VERSION is 7.3.N" eval '[[ $T_VERSION =~ ^7\.3\.[0-9]+$ ]]'
check "KERNEL_ORIGIN names linux-source-7.3 and its version" \
	eval '[[ $T_ORIGIN =~ ^linux-source-7\.3\ [0-9][^\ ]*$ ]]'
check "PATCH_STACK is none" [ "$T_STACK" = none ]
check "TREE_KEY is VERSION-<12 hex>" eval '[[ $T_KEY =~ ^$T_VERSION-[0-9a-f]{12}$ ]]'
check "stderr names the exact package version" \
	grep -qF "$T_ORIGIN" "$WORK/err"
check "TREE has virt/kvm/kvm_main.c" [ -f "$T_TREE/virt/kvm/kvm_main.c" ]
check "TREE has lib/rbtree.c" [ -f "$T_TREE/lib/rbtree.c" ]
check "TREE has include/linux subdirectories (include/linux/sched/mm.h)" \
	[ -f "$T_TREE/include/linux/sched/mm.h" ]
check "TREE has only the subset (no mm/, drivers/)" \
	eval '[ ! -e "$T_TREE/mm" ] && [ ! -e "$T_TREE/drivers" ]'
check "stderr lines are prefixed" eval \
	'! grep -qv "^prepare-tree: " "$WORK/err"'
BASE_TREE=$T_TREE BASE_OUT=$OUT BASE_KEY=$T_KEY
BASE_SUM=$(sha256sum <"$BASE_TREE/virt/kvm/kvm_main.c")

# Second run: from the cache, and provably offline where we can cut the net.
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
	run unshare -n env KERNEL=7.3
	offline=" (no network)"
else
	run KERNEL=7.3
	offline=""
fi
echo "# KERNEL=7.3 cached run: ${SECS}s"
check "cached run$offline exits 0 with the same output" \
	eval '[ "$RC" = 0 ] && [ "$OUT" = "$BASE_OUT" ]'
check "cached run says cached, no download" eval \
	'grep -q cached "$WORK/err" && ! grep -qE "downloading|refreshing" "$WORK/err"'

run KERNEL=latest
check "KERNEL=latest resolves to a linux-source-7.*" eval \
	'[ "$RC" = 0 ] && load && [[ $T_ORIGIN =~ ^linux-source-7\.[0-9]+\  ]]'

# ---------------------------------------------------------------- patches

if [ -f "$SEED" ]; then
	name=$(basename "$SEED")
	run KERNEL=7.3 KERNEL_PATCHES="$SEED"
	check "RFC patch applies to 7.3" eval '[ "$RC" = 0 ] && five_lines && load'
	check "patched TREE is BUILD_ROOT/trees/TREE_KEY" \
		[ "$T_TREE" = "$WORK/build/trees/$T_KEY" ]
	check "PATCH_STACK names the patch" [ "$T_STACK" = "$name" ]
	check "patched TREE_KEY differs from the unpatched one" [ "$T_KEY" != "$BASE_KEY" ]
	check "patched kvm_main.c skips gmem-only slots" \
		followed_by_continue "$T_TREE/virt/kvm/kvm_main.c" 'kvm_memslot_is_gmem_only(slot))'
	check "patched TREE has the whole subset" [ -f "$T_TREE/include/linux/sched/mm.h" ]
	check "cached original kvm_main.c unchanged" eval \
		'[ "$(sha256sum <"$BASE_TREE/virt/kvm/kvm_main.c")" = "$BASE_SUM" ] &&
		 ! grep -q "kvm_memslot_is_gmem_only(slot))" "$BASE_TREE/virt/kvm/kvm_main.c"'
	PATCHED_OUT=$OUT
	run KERNEL=7.3 KERNEL_PATCHES="$SEED"
	check "patched tree is reused" eval \
		'[ "$RC" = 0 ] && [ "$OUT" = "$PATCHED_OUT" ] && grep -q "patched tree .*(cached)" "$WORK/err"'

	# A page cut off mid-line, as web archives do.
	head -c -12 "$SEED" >"$WORK/cut.txt"
	run KERNEL=7.3 KERNEL_PATCHES="$WORK/cut.txt"
	check "truncated mail archive page still applies" eval \
		'[ "$RC" = 0 ] && load && followed_by_continue "$T_TREE/virt/kvm/kvm_main.c" "kvm_memslot_is_gmem_only(slot))"'

	# KERNEL_SRC: the cached subset is a kernel tree as far as we care.
	run KERNEL_SRC="$BASE_TREE"
	check "KERNEL_SRC tree is used in place" eval \
		'[ "$RC" = 0 ] && five_lines && load && [ "$T_TREE" = "$BASE_TREE" ] &&
		 [ "$T_ORIGIN" = "tree $BASE_TREE" ] && [ "$T_STACK" = none ]'
	run KERNEL_SRC="$BASE_TREE" KERNEL_PATCHES="$SEED"
	check "KERNEL_SRC with a patch: scratch copy patched, source untouched" eval \
		'[ "$RC" = 0 ] && load && [ "$T_TREE" = "$WORK/build/trees/$T_KEY" ] &&
		 followed_by_continue "$T_TREE/virt/kvm/kvm_main.c" "kvm_memslot_is_gmem_only(slot))" &&
		 [ "$(sha256sum <"$BASE_TREE/virt/kvm/kvm_main.c")" = "$BASE_SUM" ]'
else
	skip "RFC patch checks: no rfc-kvm-ignore-mmu-notifiers-gmem-only.txt in ../shared/seeds/"
fi

# A hunk against kvm_main.c whose context exists nowhere.
cat >"$WORK/bad.patch" <<'EOF'
Subject: [PATCH] does not apply

--- a/virt/kvm/kvm_main.c
+++ b/virt/kvm/kvm_main.c
@@ -592,6 +592,7 @@ static int nothing(void)
 this context
 is not in
 kvm_main.c
+/* added */
 and neither
 is this
 context
EOF
stack="$WORK/bad.patch"
[ ! -f "$SEED" ] || stack="$SEED $WORK/bad.patch" # fails as the 2nd of two
run KERNEL=7.3 KERNEL_PATCHES="$stack" BUILD_ROOT="$WORK/bad-build"
check "non-applying patch: exit 1, nothing on stdout" eval '[ "$RC" = 1 ] && no_stdout'
check "non-applying patch: one line naming patch, file and hunk" eval \
	'[ "$(grep -c "does not apply" "$WORK/err")" = 1 ] &&
	 [[ $LAST =~ ^prepare-tree:\ patch\ bad\.patch\ does\ not\ apply:\ virt/kvm/kvm_main\.c:\ Hunk\ #1\ FAILED\ at\ [0-9]+$ ]]'
check "non-applying patch: no scratch dir left" empty_dir_or_none "$WORK/bad-build/trees"
check "non-applying patch: cached original unchanged" eval \
	'[ "$(sha256sum <"$BASE_TREE/virt/kvm/kvm_main.c")" = "$BASE_SUM" ]'

# ---------------------------------------------- exact versions, offline
# Which package version KERNEL=X.Y.Z[-REV] picks, without the mirror: a fake
# apt-get whose update fails as on a dated snapshot with expired Release files
# (prepare-tree.sh then goes on with the lists it has), a fake apt-cache that
# answers from a fixed list, and cached trees standing in for the downloads.
fake=$WORK/fakebin fcache=$WORK/fakecache
mkdir -p "$fake"
cat >"$fake/apt-get" <<'EOF'
#!/bin/sh
echo "E: Release file for http://mirror.invalid/debian/dists/sid/InRelease is expired" >&2
exit 100
EOF
cat >"$fake/apt-cache" <<'EOF'
#!/bin/bash
list='linux-source-6.1 6.1.192-3
linux-source-6.1 6.1.192-2
linux-source-6.1 6.1.190-1
linux-source-7.2 7.2.13-1
linux-source-7.2 7.2.9-1~bpo13+1'
cmd=''
for a; do case $a in policy|madison|search|show) cmd=$a ;; esac; done
pkg=${!#}
case $cmd in
madison) awk -v p="$pkg" '$1 == p { print p " | " $2 " | http://mirror.invalid/debian sid/main amd64 Packages" }' <<<"$list" ;;
policy) v=$(awk -v p="$pkg" '$1 == p { print $2; exit }' <<<"$list")
	printf '%s:\n  Installed: (none)\n  Candidate: %s\n' "$pkg" "${v:-(none)}" ;;
search) awk '!seen[$1]++ { print $1 " - Linux kernel source" }' <<<"$list" ;;
esac
EOF
chmod +x "$fake/apt-get" "$fake/apt-cache"
files_hash=$(sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d' \
	"$here/../../extracted/tree-files.txt" | sha256sum | cut -c1-64)
for pv in "linux-source-6.1 6.1.192-3" "linux-source-6.1 6.1.192-2" "linux-source-7.2 7.2.9-1~bpo13+1"; do
	v=${pv#* } d=$fcache/kvm-hva-fuzz/trees/${pv#* }
	mkdir -p "$d/virt/kvm"
	up=${v%%-*}
	printf 'VERSION = %s\nPATCHLEVEL = %s\nSUBLEVEL = %s\n' ${up//./ } >"$d/Makefile"
	: >"$d/virt/kvm/kvm_main.c"
	printf 'package=%s\nversion=%s\nfiles=%s\n' "${pv% *}" "$v" "$files_hash" >"$d/.prepare-tree-stamp"
done
exact() { # KERNEL ORIGIN: KERNEL resolves to ORIGIN
	want=$2
	rm -f "$fcache/kvm-hva-fuzz/apt/lists.stamp"	# so each run tries the update, and it fails
	run PATH="$fake:$PATH" XDG_CACHE_HOME="$fcache" KERNEL="$1"
	check "KERNEL=$1 picks $2 though apt-get update fails" eval \
		'[ "$RC" = 0 ] && load && [ "$T_ORIGIN" = "$want" ] && grep -q "apt-get update failed" "$WORK/err"'
}
exact 7.2.9 "linux-source-7.2 7.2.9-1~bpo13+1"
exact 6.1.192 "linux-source-6.1 6.1.192-3"
exact 6.1.192-2 "linux-source-6.1 6.1.192-2"
run PATH="$fake:$PATH" XDG_CACHE_HOME="$fcache" KERNEL=7.2.10
check "KERNEL=7.2.10 (not on the mirror): exit 1, one line listing what there is" eval \
	'[ "$RC" = 1 ] && no_stdout && [[ $LAST == "prepare-tree: no version 7.2.10 of linux-source-7.2 on the configured Debian mirror (it has 7.2.13-1 7.2.9-1~bpo13+1) (apt-get update failed"* ]]'
env PATH="$fake:$PATH" XDG_CACHE_HOME="$fcache" "$PT" --list >"$WORK/list" 2>/dev/null
check "--list: every version, oldest first" eval '[ "$(cat "$WORK/list")" = "linux-source-6.1 6.1.190-1
linux-source-6.1 6.1.192-2
linux-source-6.1 6.1.192-3
linux-source-7.2 7.2.9-1~bpo13+1
linux-source-7.2 7.2.13-1" ]'

# ------------------------------------------------------------- errors

run KERNEL=7.3 KERNEL_PATCHES="$WORK/nope.patch" XDG_CACHE_HOME="$NOCACHE"
check "missing patch file: exit 1, one line" eval \
	'[ "$RC" = 1 ] && no_stdout && [ "$ERR" = "prepare-tree: patch nope.patch: no such file" ]'

printf 'Just a cover letter.\n\n-- \nsig\n' >"$WORK/prose.txt"
run KERNEL=7.3 KERNEL_PATCHES="$WORK/prose.txt" XDG_CACHE_HOME="$NOCACHE"
check "patch without a diff: exit 1, one line" eval \
	'[ "$RC" = 1 ] && no_stdout && [ "$ERR" = "prepare-tree: patch prose.txt: no diff found" ]'

mkdir -p "$WORK/notatree"
run KERNEL_SRC="$WORK/notatree" XDG_CACHE_HOME="$NOCACHE"
check "KERNEL_SRC not a kernel tree: exit 1, one line" eval \
	'[ "$RC" = 1 ] && no_stdout &&
	 [ "$ERR" = "prepare-tree: KERNEL_SRC=$WORK/notatree: not a kernel tree (no virt/kvm/kvm_main.c)" ]'

run KERNEL=bogus XDG_CACHE_HOME="$NOCACHE"
check "KERNEL=bogus: exit 1, one line" eval \
	'[ "$RC" = 1 ] && no_stdout &&
	 [ "$ERR" = "prepare-tree: unknown KERNEL value '"'bogus'"' (want VERSION like 7.3, 7.2.9 or 6.1.192-2, or latest)" ]'
check "error checks created no cache" [ ! -e "$NOCACHE" ]

# Needs the package lists, so the real cache (may refresh them once).
run KERNEL=9.9 BUILD_ROOT="$WORK/build99"
check "KERNEL=9.9: exit 1, no such package" eval \
	'[ "$RC" = 1 ] && no_stdout &&
	 [ "$LAST" = "prepare-tree: no package linux-source-9.9 on the configured Debian mirror" ]'
check "KERNEL=9.9: nothing built" [ ! -e "$WORK/build99" ]

[ "$fail" -eq 0 ]
