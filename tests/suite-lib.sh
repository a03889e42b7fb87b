# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/suites/*.sh: the checkout as the working directory, a
# scratch directory removed at exit, the shared build root, and the
# "ok - name" / "not ok - name" lines (tests/run.sh counts them).
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BUILD_ROOT="${BUILD_ROOT:-$top/build}"
ok() { echo "ok - $1"; pass=$((${pass:-0} + 1)); }
not_ok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "$2" | head -20 | sed 's/^/#   /'; fail=$((${fail:-0} + 1)); }

# An out dir with the replayer: the one tests/run.sh built (passed in), else built here.
out_for() { # name dir-from-env build-env...
	local name=$1 d=${2:-}; shift 2
	if [ -n "$d" ] && [ -x "$d/replay_memslot_notifier" ]; then echo "$d"; return 0; fi
	d="$work/out-$name"
	env "$@" OUT="$d" ./build.sh > "$work/build-$name.log" 2>&1 || { tail -5 "$work/build-$name.log" >&2; return 1; }
	echo "$d"
}
# The verdict of one replay: the violated property, or "clean".
verdict() { # out scenario [env...]
	local out=$1 sc=$2; shift 2
	local got; got=$(env "$@" "$out/replay_memslot_notifier" "$sc" 2>&1)
	sed -n 's/^ORACLE VIOLATION: \([^:]*\):.*/\1/p' <<< "$got" | head -1 | grep . || echo clean
}
expect_verdict() { # name want out scenario [env...]
	local name=$1 want=$2 out=$3 sc=$4; shift 4
	local got; got=$(verdict "$out" "$sc" "$@")
	if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name" "verdict: $got, expected: $want"; fi
}
# A patch that breaks the newest 7.x tree on purpose: sed over one file, as a diff.
break_latest() { # name kernel-file sed-expression -> the patch's path
	local name=$1 f=$2 expr=$3 d="$work/break-$1" tree
	tree=$(KERNEL=latest extracted/prepare-tree.sh 2>/dev/null | sed -n "s/^TREE='\(.*\)'$/\1/p")
	[ -n "$tree" ] || { echo "no newest 7.x tree" >&2; return 1; }
	mkdir -p "$d/a/$(dirname "$f")" "$d/b/$(dirname "$f")"
	cp "$tree/$f" "$d/a/$f"
	sed "$expr" "$tree/$f" > "$d/b/$f"
	if cmp -s "$d/a/$f" "$d/b/$f"; then echo "sed changed nothing in $f" >&2; return 1; fi
	(cd "$d" && diff -u "a/$f" "b/$f" > "$d/$name.patch")
	echo "$d/$name.patch"
}
# The property fires on the newest 7.x broken by sed, and the unbroken kernel is clean.
fires_on_broken() { # name property scenario kernel-file sed-expression clean-out
	local name=$1 prop=$2 sc=$3 f=$4 expr=$5 clean=$6 p o
	expect_verdict "$name: the unbroken kernel is clean" clean "$clean" "$sc"
	if ! p=$(break_latest "$name" "$f" "$expr" 2>&1); then not_ok "property fires: $prop ($name)" "$p"; return; fi
	if o=$(out_for "$name" "" KERNEL=latest KERNEL_PATCHES="$p" 2>&1); then
		expect_verdict "property fires: $prop ($name)" "$prop" "$o" "$sc"
	else not_ok "property fires: $prop ($name)" "build failed: $o"; fi
}
