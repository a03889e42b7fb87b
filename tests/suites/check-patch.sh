#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzzers/check-patch.sh on 7.3 (run by tests/run.sh): a patch that breaks the
# kernel on purpose (made here with sed and diff) is a new finding, exit 1; a
# comment-only commit given as BASE..HEAD of a git checkout is nothing new
# (the first law, broken on both, is inherited), exit 0, and the checkout is
# left as it was; the seed RFC fixes the first law,
# exit 0; a patch that does not apply and an unknown BASE are one line, exit 2.
# A changed errno is a behaviour change (exit 1; declared intended, exit 0); the
# reach of the changed lines is reported, and a patch to code the harness never
# runs is "not exercised".
# The summary is plain text under 80 columns, each new finding with the first changed line it runs
# and a replay command that reproduces it.
# And the plain run-fuzz.sh first-law finding arrives minimized (<= 4 operations).
# Fuzzing is kept short (FUZZ_SECONDS=10): the verdicts come from the corpus
# replay and from inputs the fuzzer finds within a second.
{ # parsed whole before it runs: editing this file during a run cannot change that run
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init
export KERNEL=7.3 FUZZ_SECONDS=${CHECK_PATCH_FUZZ_SECONDS:-10} MINIMIZE_SECONDS=5 KEPT_CORPUS="$work/no-kept-corpus"
RFC=${RFC:-$(shared_seed rfc-kvm-ignore-mmu-notifiers-gmem-only.txt)}

tree=$(extracted/prepare-tree.sh 2>/dev/null | sed -n "s/^TREE='\(.*\)'$/\1/p")
[ -n "$tree" ] || { not_ok "check-patch: a 7.3 tree (prepare-tree.sh KERNEL=7.3)"; exit 1; }
mkpatch() { # name file sed-expression -> $work/name.patch (a diff -u, as a developer would send it)
	local d="$work/mk-$1"
	mkdir -p "$d/a/$(dirname "$2")" "$d/b/$(dirname "$2")"
	cp "$tree/$2" "$d/a/$2" && sed "$3" "$tree/$2" > "$d/b/$2"
	cmp -s "$d/a/$2" "$d/b/$2" && { echo "sed changed nothing in $2" >&2; return 1; }
	# labels, not file times, in the header: the same patch each run, so its build is cached
	(cd "$d" && diff -u --label "a/$2" --label "b/$2" "a/$2" "b/$2") > "$work/$1.patch"
	return 0
}
check_patch() { # name env... -- patches...  -> $got (stdout+stderr), $rc
	local name=$1; shift
	local -a envs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	got=$(env OUT="$work/cp-$name" "${envs[@]}" fuzzers/check-patch.sh "$@" 2>&1); rc=$?
	got=$(unwrap <<< "$got")
}
# the summary's long lines joined again (wrap_lines: a line goes on after a ' \' or, indented 4 more, on
# the next), so the checks below read one line per item
unwrap() {
	awk '{ match($0, /^ */); ind = RLENGTH }
	have && prev ~ /\\$/ { sub(/\\$/, "", prev); prev = prev (prev ~ / $/ ? substr($0, ind + 1) : $0); next }
	have && ind == pind + 4 { prev = prev " " substr($0, ind + 1); next }
	{ if (have) print prev; prev = $0; pind = ind; have = 1 }
	END { if (have) print prev }'
}

# ---- a patch that breaks the kernel: hva_to_gfn_memslot() one page late in kvm_handle_hva_range()
if mkpatch off-by-one virt/kvm/kvm_main.c \
	's/gfn_range.start = hva_to_gfn_memslot(hva_start, slot);/gfn_range.start = hva_to_gfn_memslot(hva_start, slot) + 1;/'; then
	check_patch break -- "$work/off-by-one.patch"
	# one bug, possibly more than one property it breaks (the fuzzer goes on past the first: a start
	# one page late is also an unmap one page short, notifier safety)
	if [ $rc -eq 1 ] && grep -q '^  new: [1-9]$' <<< "$got" && grep -q '^    [0-9]\. oracle: exact ranges .*the base: clean' <<< "$got" &&
		grep -q '^       minimized to [0-9]* operation(s)' <<< "$got" && grep -q '^       cause: ' <<< "$got" &&
		grep -q '^  result: [1-9] new finding(s)$' <<< "$got" && ! grep -q '^    [0-9]\. .*the base: oracle: exact ranges' <<< "$got"; then
		ok "check-patch: a patch breaking kvm_handle_hva_range is a new finding (exact ranges, $(grep -o 'minimized to [0-9]* operation(s)' <<< "$got")), exit 1"
	else not_ok "check-patch: a patch breaking kvm_handle_hva_range is a new finding, exit 1" "rc=$rc"$'\n'"$(grep -v '^    corpus/\|^    out/' <<< "$got")"; fi
	if grep -q '^  changed lines reached: 1 of 1 ' <<< "$got" && grep -q '^    - kvm_handle_hva_range (virt/kvm/kvm_main.c) 1/1, ran [1-9][0-9]*x at most$' <<< "$got"; then
		ok "check-patch: reach: the changed line ran, in kvm_handle_hva_range"
	else not_ok "check-patch: reach of the off-by-one patch" "$(grep 'reached\|^    - ' <<< "$got")"; fi
	# the report a maintainer reads: plain text under 80 columns; where the finding meets the patch;
	# a replay command that, pasted as printed (lines go on after a '\'), reproduces it
	long=$(awk 'length($0) > 79' "$work/cp-break/summary.txt" 2>/dev/null)
	if [ -s "$work/cp-break/summary.txt" ] && [ -z "$long" ]; then ok "check-patch: the summary is under 80 columns"
	else not_ok "check-patch: the summary is under 80 columns" "$long"; fi
	if grep -q '^       first changed line it runs: virt/kvm/kvm_main.c:[0-9]* (kvm_handle_hva_range)$' <<< "$got"; then
		ok "check-patch: a new finding names the first changed line it runs (kvm_handle_hva_range)"
	else not_ok "check-patch: a new finding names the first changed line it runs" "$(grep -A1 '^    [0-9]\. ' <<< "$got")"; fi
	cmd=$(awk '/^       replay it:$/ { on = 1; next } on { line = line $0; if (!sub(/\\$/, "", line)) { print line; exit } }' \
		"$work/cp-break/summary.txt")
	rgot=$(cd "$top" && OUT="$work/repro" bash -c "$cmd" 2>&1); rrc=$?
	if [ $rrc -eq 1 ] && grep -q '^repro: the finding reproduced: ' <<< "$rgot"; then
		ok "check-patch: the printed replay command reproduces the first new finding"
	else not_ok "check-patch: the printed replay command reproduces the first new finding" "rc=$rrc: $cmd"$'\n'"$(tail -5 <<< "$rgot")"; fi
	# the same finding replays on base+patch and not on the base: the classification is the kernel's, not the tool's
	f=$(ls "$work/cp-break/findings"/new-*-exact-ranges 2>/dev/null | grep -v '\.\(txt\|report\)$' | head -1)
	v_patched=$( ("$work/cp-break/patched/replay_memslot_notifier" "$f") 2>&1 ); p_rc=$?
	v_base=$( ("$work/cp-break/base/replay_memslot_notifier" "$f") 2>&1 ); b_rc=$?
	if [ -n "$f" ] && [ $p_rc -ne 0 ] && grep -q '^ORACLE VIOLATION: exact ranges:' <<< "$v_patched" && [ $b_rc -eq 0 ]; then
		ok "check-patch: the new finding's file fails on base+patch and passes on the base"
	else not_ok "check-patch: the new finding's file fails on base+patch and passes on the base" "${f:-no finding file}"; fi
else not_ok "check-patch: make the breaking patch"; fi

# ---- a comment-only commit, as BASE..HEAD of a git checkout ------------------------------------
if command -v git > /dev/null; then
	# fixed dates: the same commits each run, so the base export and both builds are cached
	# (in BUILD_ROOT, beside the other builds)
	export GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z
	g="$work/linux"
	cp -a "$tree/." "$g/" 2>/dev/null || { mkdir -p "$g" && cp -a "$tree/." "$g/"; }
	rm -f "$g/.prepare-tree-stamp"
	gitc() { git -C "$g" -c user.email=test@example.org -c user.name=test "$@"; }
	gitc init -q && gitc add -A && gitc commit -qm base && gitc tag base-7.3 &&
		sed -i '0,/^static int kvm_set_memslot(/s//\/* a comment only *\/\nstatic int kvm_set_memslot(/' "$g/virt/kvm/kvm_main.c" &&
		gitc commit -qam "KVM: a comment"
	head_before=$(gitc rev-parse HEAD)
	check_patch comment KERNEL_SRC="$g" BASE=base-7.3 OUT="$BUILD_ROOT/check-patch-test" --
	if [ $rc -eq 0 ] && grep -q '^  patches: 0001-KVM-a-comment.patch$' <<< "$got" && grep -q ' 0 change(s)' <<< "$got" &&
		grep -q '^  new: 0$' <<< "$got" && grep -q '^  result: nothing new$' <<< "$got" &&
		grep -q '^    - oracle: gmem-only untouched ([0-9]* corpus scenario(s) on both' <<< "$got"; then
		ok "check-patch: a comment-only commit (BASE=base-7.3, git format-patch) is nothing new (the first law: inherited), exit 0"
	else not_ok "check-patch: a comment-only commit is nothing new, exit 0" "rc=$rc"$'\n'"$got"; fi
	if [ "$(gitc rev-parse HEAD)" = "$head_before" ] && [ -z "$(gitc status --porcelain)" ]; then
		ok "check-patch: the checkout is left as it was (HEAD, index, work tree)"
	else not_ok "check-patch: the checkout is left as it was" "$(gitc status --porcelain)"; fi
	check_patch unknown-base KERNEL_SRC="$g" BASE=no-such-rev --
	if [ $rc -eq 2 ] && [ "$(wc -l <<< "$got")" = 1 ] && grep -q "unknown BASE=no-such-rev" <<< "$got"; then
		ok "check-patch: an unknown BASE is one line, exit 2 ($got)"
	else not_ok "check-patch: an unknown BASE is one line, exit 2" "rc=$rc $got"; fi
else skip "no git: BASE=REV checks"; fi

# ---- the seed RFC: the first law was broken on the base and is not on base+RFC --------------------
if [ -n "$RFC" ] && [ -f "$RFC" ]; then
	check_patch rfc -- "$RFC"
	if [ $rc -eq 0 ] && grep -q '^  fixed (the base has them, the patched tree does not): 1$' <<< "$got" &&
		grep -q '^    - oracle: gmem-only untouched (base: [0-9]* corpus scenario' <<< "$got" &&
		grep -q 'gmem-only-touched-7.x.txt: verdict: oracle: gmem-only untouched | clean' <<< "$got" && grep -q '^  new: 0$' <<< "$got"; then
		ok "check-patch: the RFC on 7.3 fixes the first law (gmem-only untouched: fixed), exit 0"
	else not_ok "check-patch: the RFC on 7.3 fixes the first law, exit 0" "rc=$rc"$'\n'"$got"; fi
else skip "RFC seed not found (../shared/seeds beside the checkout): the RFC check-patch check"; fi

# ---- a uAPI change: an overlapping guest_memfd binding fails with -EINVAL instead of -EEXIST (the
# behaviour before 7ea987a90585, put back). Both object: the comparison with the base (a behaviour
# change) and the oracle, whose errno is the version's (oracle/uapi.c), not the code's: exit 1.
# Declared intended, the patched code's errno is the uAPI: exit 0.
if mkpatch errno virt/kvm/guest_memfd.c 's/return -EEXIST;/return -EINVAL;/'; then
	check_patch errno -- "$work/errno.patch"
	if [ $rc -eq 1 ] && grep -q '^  changed behaviour (a return code differs, base | patched): [1-9]' <<< "$got" &&
		grep -q '^    - corpus/.*: op [0-9]* create: -17 | -22$' <<< "$got" && grep -q '^  result: .*behaviour change(s)$' <<< "$got" &&
		grep -q '^  result: [1-9][0-9]* new finding(s), ' <<< "$got" && grep -q 'oracle: memslot structure' <<< "$got"; then
		ok "check-patch: a changed errno (-EEXIST -> -EINVAL for a taken binding) is a behaviour change and a memslot structure finding, exit 1"
	else not_ok "check-patch: a changed errno is a behaviour change, exit 1" "rc=$rc"$'\n'"$(grep -v '^    corpus/\|^    out/' <<< "$got")"; fi
	check_patch errno-intended INTENDED_CHANGES="-EEXIST" -- "$work/errno.patch"
	if [ $rc -eq 0 ] && grep -q '^  changed behaviour (a return code differs, base | patched): 0$' <<< "$got" &&
		grep -q '^  intended (INTENDED_CHANGES=-EEXIST): [1-9]' <<< "$got" && grep -q '^  result: nothing new$' <<< "$got"; then
		ok "check-patch: the same change declared intended (INTENDED_CHANGES=-EEXIST) is listed, exit 0"
	else not_ok "check-patch: a declared errno change, exit 0" "rc=$rc"$'\n'"$(grep -v '^    corpus/\|^    out/' <<< "$got")"; fi
	check_patch errno-bad INTENDED_CHANGES="-EBOGUS" -- "$work/errno.patch"
	if [ $rc -eq 2 ] && [ "$(wc -l <<< "$got")" = 1 ] && grep -q "unknown errno '-EBOGUS'" <<< "$got"; then
		ok "check-patch: an unknown errno in INTENDED_CHANGES is one line, exit 2"
	else not_ok "check-patch: an unknown errno in INTENDED_CHANGES" "rc=$rc $got"; fi
else not_ok "check-patch: make the errno patch"; fi

# ---- reach: a patch to a function the harness never calls (KVM_GET_API_VERSION's answer) is "not exercised"
if mkpatch api-version virt/kvm/kvm_main.c 's/^\t\tr = KVM_API_VERSION;$/\t\tr = KVM_API_VERSION + 0;/'; then
	check_patch api-version -- "$work/api-version.patch"
	if [ $rc -eq 0 ] && grep -q '^  changed lines reached: 0 of 0 ' <<< "$got" &&
		grep -q '^  changed lines outside the harness (not extracted): virt/kvm/kvm_main.c (1 line(s))$' <<< "$got" &&
		grep -q '^  result: not exercised' <<< "$got"; then
		ok "check-patch: a patch to a function the harness never calls is not exercised, exit 0"
	else not_ok "check-patch: a patch the harness never runs is not exercised" "rc=$rc"$'\n'"$(grep -v '^    corpus/\|^    out/' <<< "$got")"; fi
else not_ok "check-patch: make the kvm_dev_ioctl patch"; fi

# ---- a patch that does not apply: patch, file and hunk in one line -------------------------------
if [ -f "$work/off-by-one.patch" ]; then
	sed 's/hva_to_gfn_memslot(hva_start, slot);$/hva_to_gfn_memslot(hva_start, other_slot);/' "$work/off-by-one.patch" > "$work/stale.patch"
	check_patch stale -- "$work/stale.patch"
	if [ $rc -eq 2 ] && [ "$(wc -l <<< "$got")" = 1 ] &&
		grep -q '^check-patch: patch stale.patch does not apply: virt/kvm/kvm_main.c: Hunk #1 FAILED at [0-9]' <<< "$got" &&
		[ ! -e "$work/cp-stale/base" ]; then
		ok "check-patch: a patch that does not apply is one line naming patch, file and hunk, exit 2, nothing built"
	else not_ok "check-patch: a patch that does not apply is one line, exit 2" "rc=$rc $got"; fi
fi

# ---- the plain run's first-law finding arrives minimized -------------------------------------------
got=$(OUT="$work/rf" FUZZ_SECONDS=${RUN_FUZZ_SECONDS:-15} MINIMIZE_SECONDS=15 fuzzers/run-fuzz.sh 2>/dev/null); rc=$?
# the known WARN may come first: the first law's finding is whichever number it got
f=$(ls "$work"/rf/findings/*/[0-9]*-gmem-only-untouched.txt 2>/dev/null | head -1)
if [ $rc -eq 0 ] && [ -n "$f" ]; then
	nops=$(grep -cvE '^[[:space:]]*(#|$)|^vm ' "$f")
	said=$(awk '/^    [0-9]+\. oracle: gmem-only untouched / { on = 1; next } on && /^    [0-9]+\. / { exit }
		on && /^       minimized to [0-9]+ operation\(s\):$/ { print $3; exit }' <<< "$got")
	if [ "$nops" -le 4 ] && [ "$said" = "$nops" ] &&
		"$work/rf/replay_memslot_notifier" "$f" 2>&1 | grep -q '^ORACLE VIOLATION: gmem-only untouched:'; then
		ok "run-fuzz: the first-law finding is minimized to $nops operations and still reproduces"
	else not_ok "run-fuzz: the first-law finding is minimized to <= 4 operations" "$nops operations (summary says ${said:-nothing}):"$'\n'"$(cat "$f")"; fi
else not_ok "run-fuzz: a first-law finding on unpatched 7.3" "rc=$rc"$'\n'"$got"; fi
echo "# check-patch: ${pass:-0} passed, ${fail:-0} failed"
[ "${fail:-0}" -eq 0 ]
}; exit
