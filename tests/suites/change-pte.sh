#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: was KVM's .change_pte dead? (targets/tools/change_pte_report.c)
#
# On 6.1, change_pte inside an invalidation (legal) reaches the arch handler
# but changes nothing, and outside one (unwrapped) it does change mappings: the
# second result is the positive control that makes the first one mean
# something. On 6.12 and the newest 7.x the callback is gone and the report
# says so. Then the "change_pte changes nothing" property is shown to fire:
# once on a 6.1 tree patched at test time so change_pte looks one page past its
# address (outside the invalidation), once on a copy of the harness whose
# secondary-MMU model ignores the unmap of invalidate_range_start.
#
# tests/run.sh runs this after its builds and passes them in TESTS_OUT_6_1,
# TESTS_OUT_6_12, TESTS_OUT_LATEST; run alone, it builds what is missing.
# Prints "ok - name" / "not ok - name" lines.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init
EVENTS=${CHANGE_PTE_TEST_EVENTS:-20000}

# A vCPU fault maps page 4, then change_pte on page 4 or page 3. In the legal mode the runner
# wraps each change_pte in an invalidation of its page.
legal_change_pte() { # page
	cat <<EOF
vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal
create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=0
fault_resolve slot=0:0 page=4
fault_commit which=0
change_pte hva=0x10000${1}000
EOF
}
legal_change_pte 4 > "$work/legal-same-page.txt"
legal_change_pte 3 > "$work/legal-next-page.txt"

# ---- 6.1: the measurement, small ---------------------------------------------------------
if out=$(build_out 6.1 "${TESTS_OUT_6_1:-}" KERNEL=6.1); then
	got=$("$out/change_pte_report" -n "$EVENTS" -s 1 2>&1); rc=$?
	legal=$(grep '^change_pte legal: ' <<< "$got")
	unwr=$(grep '^change_pte change_pte_unwrapped: ' <<< "$got")
	re='^change_pte [a-z_]*: ([0-9]+) events, ([0-9]+) reached the arch handler, ([0-9]+) changed a mapping$'
	if [ $rc -eq 0 ] && [[ $legal =~ $re ]] && [ "${BASH_REMATCH[1]}" -ge "$EVENTS" ] &&
	   [ "${BASH_REMATCH[2]}" -gt 0 ] && [ "${BASH_REMATCH[3]}" -eq 0 ]; then
		ok "6.1: $EVENTS legal change_pte events: ${BASH_REMATCH[2]} reached kvm_set_spte_gfn, 0 changed a mapping"
	else not_ok "6.1: legal change_pte reaches the handler and changes nothing" "rc=$rc
$got"; fi
	if [ $rc -eq 0 ] && [[ $unwr =~ $re ]] && [ "${BASH_REMATCH[1]}" -ge "$EVENTS" ] && [ "${BASH_REMATCH[3]}" -gt 0 ]; then
		ok "6.1: unwrapped change_pte changes mappings (${BASH_REMATCH[3]} of ${BASH_REMATCH[1]}): the counter can count"
	else not_ok "6.1: unwrapped change_pte changes mappings" "rc=$rc
$got"; fi
	again=$("$out/change_pte_report" -n "$EVENTS" -s 1 2>&1)
	if [ "$again" = "$got" ]; then ok "6.1: the same seed gives the same report"
	else not_ok "6.1: the same seed gives the same report" "$(diff <(echo "$got") <(echo "$again"))"; fi
	for sc in legal-same-page legal-next-page; do
		if r=$("$out/replay_memslot_notifier" "$work/$sc.txt" 2>&1); then ok "6.1: replay $sc: no finding"; else not_ok "6.1: replay $sc" "$r"; fi
	done
	r=$("$out/change_pte_report" -x 2>&1); rc=$?
	if [ $rc -eq 2 ] && grep -q "unknown argument '-x'" <<< "$r"; then ok "change_pte_report: an unknown option is refused"
	else not_ok "change_pte_report: an unknown option is refused" "rc=$rc: $r"; fi
else
	not_ok "6.1 build for the change_pte report"
fi

# ---- 6.12 and the newest 7.x: no .change_pte ------------------------------------------------
for k in 6.12 latest; do
	var=TESTS_OUT_6_12; [ $k = latest ] && var=TESTS_OUT_LATEST
	if ! out=$(build_out "$k" "${!var:-}" KERNEL="$k"); then not_ok "$k build for the change_pte report"; continue; fi
	ver=$(kernel_info "$out" kernel)
	got=$("$out/change_pte_report" -n 2000 -s 1 2>&1); rc=$?
	if [ $rc -eq 0 ] &&
	   grep -qx "change_pte legal: not applicable: .change_pte does not exist in kernel $ver" <<< "$got" &&
	   grep -qx "change_pte change_pte_unwrapped: not applicable: .change_pte does not exist in kernel $ver" <<< "$got"; then
		ok "$ver: the change_pte report says not applicable for both modes"
	else not_ok "$ver: the change_pte report says not applicable" "rc=$rc
$got"; fi
done

# ---- the property fires: a 6.1 kernel whose change_pte looks one page too far -----------------
tree61=$(tree_of KERNEL=6.1)
cpte_fired() { [ "$(oracle_property <<< "$1")" = "change_pte changes nothing" ]; }
if [ -n "$tree61" ]; then
	if ! p=$(break_kernel change-pte-next-page "$tree61" virt/kvm/kvm_main.c \
		'/^static void kvm_mmu_notifier_change_pte/,/^}/s/kvm_handle_hva_range(mn, address, address + 1,/kvm_handle_hva_range(mn, address + PAGE_SIZE, address + PAGE_SIZE + 1,/' 2>&1); then
		not_ok "property fires: change_pte changes nothing (6.1, change_pte one page off)" "$p"
	elif KERNEL=6.1 KERNEL_PATCHES="$p" OUT="$work/out-cpte" ./build.sh > "$work/build-cpte.log" 2>&1; then
		r=$("$work/out-cpte/replay_memslot_notifier" "$work/legal-next-page.txt" 2>&1); rc=$?
		if [ $rc -ne 0 ] && cpte_fired "$r"; then
			ok "property fires: change_pte changes nothing (6.1 patched: change_pte one page off; replayed scenario)"
		else not_ok "property fires: change_pte changes nothing (replay, change_pte one page off)" "rc=$rc: $r"; fi
		r=$("$work/out-cpte/change_pte_report" -n "$EVENTS" -s 1 -o "$work/cpte-found.bin" 2>&1); rc=$?
		r2=$("$work/out-cpte/replay_memslot_notifier" "$work/cpte-found.bin" 2>&1)
		if [ $rc -eq 1 ] && cpte_fired "$r" && cpte_fired "$r2"; then
			ok "property fires: change_pte changes nothing (6.1 patched: the report tool exits 1; its saved scenario replays)"
		else not_ok "property fires: change_pte changes nothing (report tool, change_pte one page off)" "rc=$rc: $r
$r2"; fi
	else
		not_ok "property fires: change_pte changes nothing (6.1, change_pte one page off)" "$(tail -5 "$work/build-cpte.log")"
	fi
else
	not_ok "6.1 tree for the change_pte property test" "prepare-tree failed"
fi

# ---- the property fires: a secondary-MMU model that keeps mappings invalidate_range_start unmaps ----
# A copy of the harness (the model is ours, not the kernel's), built in its own build root.
mkdir -p "$work/harness"
tar -C "$top" --exclude=./build --exclude=./out --exclude=./.git -cf - . | tar -C "$work/harness" -xf -
sed -i '/^bool kvm_unmap_gfn_range/,/^}/s/model_unmap_range(as, id, /0 \&\& model_unmap_range(as, id, /g' \
	"$work/harness/shims/model_mmu.c"
if cmp -s "$top/shims/model_mmu.c" "$work/harness/shims/model_mmu.c"; then
	not_ok "property fires: change_pte changes nothing (model keeps unmapped sPTEs)" "the sed changed nothing"
elif KERNEL=6.1 OUT="$work/out-nounmap" BUILD_ROOT="$work/harness-build" "$work/harness/build.sh" > "$work/build-nounmap.log" 2>&1; then
	r=$("$work/out-nounmap/replay_memslot_notifier" "$work/legal-same-page.txt" 2>&1); rc=$?
	r2=$("$work/out-nounmap/change_pte_report" -n "$EVENTS" -s 1 2>&1); rc2=$?
	if [ $rc -ne 0 ] && cpte_fired "$r" && [ $rc2 -eq 1 ] && cpte_fired "$r2"; then
		ok "property fires: change_pte changes nothing (model keeps the sPTEs invalidate_range_start unmaps; replay and report tool)"
	else not_ok "property fires: change_pte changes nothing (model keeps unmapped sPTEs)" "replay rc=$rc: $r
report rc=$rc2: $r2"; fi
else
	not_ok "property fires: change_pte changes nothing (model keeps unmapped sPTEs)" "$(tail -5 "$work/build-nounmap.log")"
fi
exit 0
