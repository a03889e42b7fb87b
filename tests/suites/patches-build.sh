#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: a patch may use a neighbour of what today's code calls. Plain kernel
# definitions that are not behaviour come from the tree (extracted/roots.txt's
# scans), so two patches shaped like real posted ones build: a guest_memfd fix
# on 7.2 that checks xa_store_range() with xa_is_err(), and an attributes patch
# on 6.12 that bounds the size with SZ_512G. The modelled families are shimmed whole
# (docs/kernel-matrix.md, API families): a patch on 6.1 that asserts the memslot
# update's wait is over with rcuwait_active(). Made at test time with sed.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init

printf '%s\n' "vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal" \
	"create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=0" "invalidate_range hva=[0x100000000,0x100010000)" > "$work/basic.txt"
builds() { # name kernel file sed-expression what
	local name=$1 k=$2 f=$3 expr=$4 what=$5 tree p log
	tree=$(tree_of KERNEL="$k")
	if [ -z "$tree" ] || ! p=$(break_kernel "$name" "$tree" "$f" "$expr"); then
		not_ok "$k: a patch that $what: make the patch"; return
	fi
	log="$work/build-$name.log"
	if FUZZ_TARGETS=fuzz_memslot_notifier KERNEL=$k KERNEL_PATCHES="$p" OUT="$work/out-$name" "$top/build.sh" > "$log" 2>&1 &&
		"$work/out-$name/replay_memslot_notifier" "$work/basic.txt" > /dev/null 2>&1; then
		ok "$k: a patch that $what builds, and a scenario replays clean on it"
	else not_ok "$k: a patch that $what builds" "$(tail -3 "$log")"; fi
}
builds xa-is-err 7.2 virt/kvm/guest_memfd.c \
	's/^\txa_store_range(&f->bindings, start, end - 1, slot, GFP_KERNEL);$/\tWARN_ON_ONCE(xa_is_err(xa_store_range(\&f->bindings, start, end - 1, slot, GFP_KERNEL)));/' \
	"checks kvm_gmem_bind()'s xa_store_range() with xa_is_err()"
builds sz-512g 6.12 virt/kvm/kvm_main.c \
	's/^\tif (!PAGE_ALIGNED(attrs->address) || !PAGE_ALIGNED(attrs->size))$/\tif (attrs->size > SZ_512G)\n\t\treturn -E2BIG;\n&/' \
	"bounds KVM_SET_MEMORY_ATTRIBUTES' size with SZ_512G"
builds rcuwait-active 6.1 virt/kvm/kvm_main.c \
	's/^\tfinish_rcuwait(&kvm->mn_memslots_update_rcuwait);$/&\n\tWARN_ON_ONCE(rcuwait_active(\&kvm->mn_memslots_update_rcuwait));/' \
	"asserts the memslot update's wait is over with rcuwait_active()"
