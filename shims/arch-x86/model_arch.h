/* MODEL: the x86-64 profile's arch answers: per-VM address spaces, read-only and private memory. */
// SPDX-License-Identifier: GPL-2.0
/*
 * What arch/x86/include/asm/kvm_host.h says about memslots. The settings the
 * kernel derives from the VM type (two address spaces with SMM, read-only and
 * private memory) are per-VM fields so a scenario can choose them.
 */
#ifndef KVM_HVA_FUZZ_MODEL_ARCH_H
#define KVM_HVA_FUZZ_MODEL_ARCH_H

#define MODEL_ARCH_NAME "x86"
#define MODEL_ARCH_VM_SETTINGS 1	/* address spaces, read-only, private memory per VM */
#define KVM_HAVE_MMU_RWLOCK
#define __KVM_HAVE_READONLY_MEM		/* 6.1: read-only memslots supported */
#define KVM_MAX_NR_ADDRESS_SPACES 2	/* 6.12+: x86 with SMM */
#define KVM_ADDRESS_SPACE_NUM 2		/* 6.1: the same, before it became per VM */
/*
 * The memslots x86 keeps for itself past KVM_USER_MEM_SLOTS (asm/vmx.h: TSS,
 * APIC access page, identity map at KVM_USER_MEM_SLOTS + 0..2); the same in
 * every supported tree, checked against the tree's header by
 * tests/suites/internal-memslots.sh.
 */
#define KVM_INTERNAL_MEM_SLOTS 3

struct kvm_arch {
	int nr_memslot_as_ids;		/* 1, or 2 with SMM */
	bool has_readonly_mem;
	bool has_private_mem;
};

#define kvm_arch_nr_memslot_as_ids(kvm) ((kvm)->arch.nr_memslot_as_ids)
#define kvm_arch_has_readonly_mem(kvm) ((kvm)->arch.has_readonly_mem)
#define kvm_arch_has_private_mem(kvm) ((kvm)->arch.has_private_mem)

#endif
