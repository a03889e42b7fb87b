/* MODEL: the arch side of struct kvm (x86-64-like) and the hooks the oracle watches. */
// SPDX-License-Identifier: GPL-2.0
/*
 * What arch/x86/include/asm/kvm_host.h would provide. VM settings that the
 * kernel derives from the VM type (number of address spaces, read-only and
 * private memory) are per-VM fields here so a scenario can choose them.
 * The arch hooks themselves keep the kernel's prototypes (extracted from
 * kvm_host.h); their recording bodies are in model_mmu.c.
 */
#ifndef KVM_HVA_FUZZ_MODEL_KVM_H
#define KVM_HVA_FUZZ_MODEL_KVM_H

/*
 * What x86's asm/kvm_host.h says, under every name a supported kernel reads it
 * by (a kernel that does not read a name ignores it): the notifier code is
 * wanted, read-only memslots exist, and at most two address spaces (SMM) --
 * one limit, under its older compile-time name too.
 */
#define KVM_HAVE_MMU_RWLOCK
#define KVM_ARCH_WANT_MMU_NOTIFIER
#define __KVM_HAVE_READONLY_MEM
#define KVM_MAX_NR_ADDRESS_SPACES 2
#define KVM_ADDRESS_SPACE_NUM KVM_MAX_NR_ADDRESS_SPACES
#define KVM_MAX_VCPUS 8
#define KVM_HALT_POLL_NS_DEFAULT 0

struct kvm_arch {
	int nr_memslot_as_ids;		/* 1 like arm64, 2 like x86 with SMM */
	bool has_readonly_mem;
	bool has_private_mem;
};
struct kvm_arch_memory_slot { unsigned long cookie; };
struct kvm_vm_stat { u64 remote_tlb_flush; };
struct mm_struct;
struct dentry;
struct notifier_block;

#define kvm_arch_nr_memslot_as_ids(kvm) ((kvm)->arch.nr_memslot_as_ids)
#define kvm_arch_has_readonly_mem(kvm) ((kvm)->arch.has_readonly_mem)
#define kvm_arch_has_private_mem(kvm) ((kvm)->arch.has_private_mem)

/*
 * Kernel functions the harness provides instead of the tree: the TLB flush and
 * reclaim notifications are arch hooks the oracle counts (model_mmu.c); the rest
 * belong to VM creation, which the harness does itself (model_vm.c).
 */
struct kvm;
void model_init_memslots(struct kvm *kvm, u64 generation);
void kvm_flush_remote_tlbs(struct kvm *kvm);
void kvm_arch_guest_memory_reclaimed(struct kvm *kvm);
void kvm_get_kvm(struct kvm *kvm);
void kvm_put_kvm(struct kvm *kvm);
bool kvm_make_all_cpus_request(struct kvm *kvm, unsigned int req);
/*
 * The kernel's "no callback" sentinel of the hva range tables (kvm_main.c,
 * compared by IS_KVM_NULL_FN): never meant to be called. A MODEL so a call is
 * seen; in the kernel it is a void(void) called as a bool handler (an invalid
 * bool under UBSan, a kCFI trap), e.g. 6.1's `break` bug fixed by c3f3edf73a8f.
 */
void kvm_null_fn(void);
struct mmu_notifier;
static inline int mmu_notifier_register(struct mmu_notifier *mn, struct mm_struct *mm) { (void)mn; (void)mm; return 0; }

#endif
