#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: memory attributes (KVM_SET_MEMORY_ATTRIBUTES, CONFIG_KVM_GENERIC_MEMORY_ATTRIBUTES) and
# the property "attributes".
#
# 1. Base behaviour, every kernel: a private/shared flip zaps the range's mappings, a fault
#    resolved before the flip retries at its commit, a flip inside an hva invalidation leaves it
#    balanced, the kernel's own checks give -EINVAL; 6.1 has no such ioctl (-ENOTTY, clean).
#    Also 7.x + RFC, first law on and off (the RFC changes nothing gfn-based).
# 2. The property fires on the newest 7.x broken at test time, each report naming the promise:
#    the pre hook not zapping (a mapping survives), one address space walked (a hook call
#    missing), the range added after the zap or not at all, kvm_mmu_invalidate_end() skipped by
#    the post walk (unbalanced), no mmu_invalidate_seq++ (a raced fault installs), an
#    invalidation in flight losing its range, the flags check dropped (the return code).
#
# tests/run.sh passes its builds in TESTS_OUT_*; run alone, this builds them.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init
RFC=${RFC:-$(shared_seed rfc-kvm-ignore-mmu-notifiers-gmem-only.txt)}
S=$work/s; mkdir -p "$S"
VM2="vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal"
SLOTS=("create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=0" "create slot=1:0 hva=0x100000000 gpa=0x0 pages=16 flags=0"
	"create slot=0:1 hva=0x200000000 gpa=0x100000 pages=16 flags=0")
scenario() { local f="$S/$1.txt"; shift; printf '%s\n' "$@" > "$f"; }
# mapped gfns in both address spaces go private, then back to shared
scenario zap "$VM2" "${SLOTS[@]}" "fault_resolve slot=0:0 page=2" "fault_commit which=0" "fault_resolve slot=1:0 page=3" \
	"fault_commit which=0" "set_attributes address=0x0 size=0x4000 attributes=PRIVATE" \
	"set_attributes address=0x2000 size=0x1000 attributes=0"
# a fault resolved while its gfn was shared commits after the gfn went private: it must retry
scenario raced "$VM2" "${SLOTS[@]}" "fault_resolve slot=0:0 page=3" "set_attributes address=0x0 size=0x4000 attributes=PRIVATE" \
	"fault_commit which=0"
# a flip inside an hva invalidation of other gfns (slot 0:1's), which must keep its range
scenario in-invalidation "$VM2" "${SLOTS[@]}" "invalidate_start hva=[0x200000000,0x200004000)" \
	"set_attributes address=0x0 size=0x4000 attributes=PRIVATE" "fault_resolve slot=0:1 page=1" "fault_commit which=0" \
	"invalidate_end which=0"
# slots in both address spaces, nothing mapped: every slot's hooks are called all the same
scenario unmapped "$VM2" "${SLOTS[@]}" "set_attributes address=0x0 size=0x4000 attributes=PRIVATE"
# the kernel's own checks, and a call that changes nothing
scenario errors "$VM2" "${SLOTS[@]}" "set_attributes address=0x1000 size=0x1000 attributes=PRIVATE flags=0x1" \
	"set_attributes address=0x1000 size=0x1000 attributes=UNDEFINED" "set_attributes address=0x1001 size=0x1000 attributes=PRIVATE" \
	"set_attributes address=0x1000 size=0x800 attributes=PRIVATE" "set_attributes address=0x1000 size=0x0 attributes=PRIVATE" \
	"set_attributes address=0xfffffffffffff000 size=0x1000 attributes=PRIVATE" \
	"set_attributes address=0x1000 size=0x1000 attributes=0"
LAW_OFF=KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0
GMEM=$top/corpus/fuzz_memslot_notifier/attributes-gmem-only-slot.txt

# ---- 1. base behaviour ---------------------------------------------------------------------------
for K in 6.1 6.12 7.2 latest; do
	v=TESTS_OUT_${K//./_}; v=${v^^}
	o=$(build_out "$K" "${!v:-}" KERNEL="$K") || { not_ok "build $K"; continue; }
	for s in zap raced in-invalidation unmapped errors; do
		expect_verdict "$K: $s: attribute changes keep the invalidation contract" "$o" "$S/$s.txt" clean
	done
	tr=$(KVM_HVA_FUZZ_TRACE=1 "$o/replay_memslot_notifier" "$S/errors.txt" 2>&1)
	got=$(sed -n 's/^trace: set_memory_attributes .* -> //p' <<< "$tr" | xargs)
	case $K in
	6.1) want="-25 -25 -25 -25 -25 -25 -25" ;;	# -ENOTTY: no KVM_SET_MEMORY_ATTRIBUTES
	*) want="-22 -22 -22 -22 -22 -22 0" ;;
	esac
	if [ "$got" = "$want" ]; then ok "$K: KVM_SET_MEMORY_ATTRIBUTES returns $want"
	else not_ok "$K: KVM_SET_MEMORY_ATTRIBUTES return codes" "got: $got, expected: $want"; fi
	if [ "$K" != 6.1 ]; then
		tr=$(KVM_HVA_FUZZ_TRACE=1 "$o/replay_memslot_notifier" "$S/zap.txt" 2>&1)
		n=$(grep -c "^trace: attribute_hook kvm_arch_pre_set_memory_attributes" <<< "$tr")
		if [ "$n" = 4 ]; then ok "$K: the flips zap each slot of the range in every address space (4 pre-hook calls)"
		else not_ok "$K: the pre hook's calls" "$n calls: $tr"; fi
	fi
	[ "$K" = latest ] && latest=$o
done
if [ -n "$RFC" ]; then
	if rfc=$(build_out rfc "${TESTS_OUT_RFC:-}" KERNEL=latest KERNEL_PATCHES="$RFC"); then
		for s in zap raced in-invalidation unmapped errors; do
			expect_verdict "latest + RFC: $s" "$rfc" "$S/$s.txt" clean
			expect_verdict "latest + RFC, first law off: $s" "$rfc" "$S/$s.txt" clean "$LAW_OFF"
		done
		expect_verdict "latest + RFC: a gmem-only slot's attributes" "$rfc" "$GMEM" clean
		expect_verdict "latest + RFC, first law off: a gmem-only slot's attributes" "$rfc" "$GMEM" clean "$LAW_OFF"
	else not_ok "build latest + RFC"; fi
else
	skip "no RFC seed beside the checkout (../shared/seeds): attributes under the RFC"
fi
[ -n "${latest:-}" ] && expect_verdict "latest, first law off: a gmem-only slot's attributes" "$latest" "$GMEM" clean "$LAW_OFF"

# ---- 2. the property fires on broken kernels ---------------------------------------------------
# fires NAME SCENARIO DETAIL FILE SED: the property fires, and its report says which promise broke
fires() {
	local name=$1 sc=$2 detail=$3 got
	fires_on_broken "$name" attributes "$sc" "$4" "$5" "$latest"
	[ -x "$work/out-$name/replay_memslot_notifier" ] || return
	got=$("$work/out-$name/replay_memslot_notifier" "$sc" 2>&1 | grep "^ORACLE VIOLATION")
	if grep -qF "$detail" <<< "$got"; then ok "$name: the report says: $detail"
	else not_ok "$name: the report" "expected '$detail' in: $got"; fi
}
if [ -n "${latest:-}" ]; then
	M=virt/kvm/kvm_main.c
	PRE='/^static bool kvm_pre_set_memory_attributes/,/^}/'
	ADD='kvm_mmu_invalidate_range_add(kvm, range->start, range->end);'
	ARCH='return kvm_arch_pre_set_memory_attributes(kvm, range);'
	# kvm_pre_set_memory_attributes(): the arch zap is not called
	fires attr-no-zap "$S/zap.txt" "still mapped after its attributes changed" $M "$PRE"'s/'"$ARCH"'/return false;/'
	# kvm_handle_gfn_range(): the first address space only
	fires attr-one-address-space "$S/unmapped.txt" "with no kvm_arch_pre_set_memory_attributes call for slot 1:0" $M \
		'/^static __always_inline void kvm_handle_gfn_range/,/^}/s/i < kvm_arch_nr_memslot_as_ids(kvm)/i < 1/'
	# kvm_pre_set_memory_attributes(): the range is added after the zap, or not at all
	fires attr-range-after-zap "$S/zap.txt" "outside the invalidation" $M \
		"$PRE"'{/'"$ADD"'/d;s/'"$ARCH"'/bool r = kvm_arch_pre_set_memory_attributes(kvm, range); '"$ADD"' return r;/}'
	fires attr-no-range-add "$S/zap.txt" "outside the invalidation" $M "$PRE"'{/'"$ADD"'/d}'
	# kvm_vm_set_mem_attributes(): the post walk does not end the invalidation
	fires attr-no-invalidate-end "$S/in-invalidation.txt" "mmu_invalidate_in_progress 1 -> 2" $M \
		's/\.on_lock = kvm_mmu_invalidate_end,/.on_lock = (void *)kvm_null_fn,/'
	# kvm_mmu_invalidate_end(): no mmu_invalidate_seq++, so a raced fault installs
	fires attr-no-seq "$S/raced.txt" "resolved before its attributes changed" $M 's/kvm->mmu_invalidate_seq++;/;/'
	# kvm_mmu_invalidate_start(): the range of the invalidation in flight is reset
	fires attr-range-reset "$S/in-invalidation.txt" "of the invalidation in flight became" $M \
		's/if (likely(kvm->mmu_invalidate_in_progress == 1)) {/if (1) {/'
	# kvm_vm_ioctl_set_mem_attributes(): flags are not refused
	fires attr-flags-accepted "$S/errors.txt" "returned 0, the rules say -22" $M 's/^\tif (attrs->flags)$/\tif (0)/'
fi
