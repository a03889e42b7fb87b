/* MODEL: the arch side of struct kvm and the hooks the oracle watches; the profile's answers in shims/arch-KVM_ARCH. */
// SPDX-License-Identifier: GPL-2.0
/*
 * What arch/<arch>/include/asm/kvm_host.h would provide. What differs between
 * the profiles (address spaces, read-only and private memory) is model_arch.h
 * of shims/arch-x86 or shims/arch-arm64, chosen by KVM_ARCH. The arch hooks
 * themselves keep the kernel's prototypes (extracted from kvm_host.h); their
 * recording bodies are in model_mmu.c.
 */
#ifndef KVM_HVA_FUZZ_MODEL_KVM_H
#define KVM_HVA_FUZZ_MODEL_KVM_H

/* the profile's answers (KVM_ARCH): shims/arch-x86/ or shims/arch-arm64/ */
#include "model_arch.h"

#define KVM_ARCH_WANT_MMU_NOTIFIER	/* 6.1 guards the notifier code with it */
#define KVM_MAX_VCPUS 8
#define KVM_HALT_POLL_NS_DEFAULT 0

struct kvm_arch_memory_slot { unsigned long cookie; };
/* 6.1's pfn cache names gpc->vcpu->vcpu_idx, so struct kvm_vcpu must be complete */
struct kvm_vcpu_arch { int unused; };
struct kvm_vcpu_stat { u64 unused; };
struct kvm_vm_stat { u64 remote_tlb_flush; };
struct mm_struct;
struct dentry;
struct notifier_block;

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
/* 6.1's pfn cache kicks vCPUs of KVM_GUEST_USES_PFN caches; the harness has no vCPUs and uses none */
bool kvm_make_vcpus_request_mask(struct kvm *kvm, unsigned int req, unsigned long *vcpu_bitmap);
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
