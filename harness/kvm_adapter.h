// SPDX-License-Identifier: GPL-2.0
/*
 * The version adapter's interface: one API over the extracted code of every
 * supported kernel (6.1, 6.12, 7.2, 7.3). kvm_adapter.c is the only file that knows
 * how those kernels differ; everything above it (scenarios, oracle, fuzz
 * targets) is version-agnostic.
 */
#ifndef KVM_HVA_FUZZ_ADAPTER_H
#define KVM_HVA_FUZZ_ADAPTER_H

/* kernel headers: their unused parameters are the kernel's style, not ours to fix */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kvm_extracted.h"
#pragma GCC diagnostic pop
#include "model_state.h"
#include "memslot_request.h"
#include "reference.h"

/* VM settings a scenario chooses; the kernel derives them from the VM type. */
struct vm_settings {
	int nr_as;			/* 1 or 2 address spaces */
	bool readonly_mem;		/* KVM_MEM_READONLY accepted */
	unsigned long invalidate_seq;	/* starting kvm->mmu_invalidate_seq */
	u64 generation;			/* starting memslot generation */
};

/* What this tree has; filled from the extractor's feature macros. */
struct kernel_features {
	const char *version;
	const char *arch;		/* the arch profile: "x86" or "arm64" */
	bool change_pte;		/* .change_pte in the ops table (before 6.10) */
	int hva_attr_filter;		/* kvm_gfn_range.attr_filter of hva notifiers (6.12+: shared only), 0: none */
	bool unpaired_end_hardened;	/* an unpaired invalidate end WARNs and marks the VM bugged (6.1 BUGs) */
	bool guest_memfd;		/* guest_memfd and KVM_MEM_GUEST_MEMFD */
	bool gmem_only;			/* KVM_MEMSLOT_GMEM_ONLY (guest_memfd mmap) */
	bool per_vm_as;			/* the number of address spaces is per VM (6.12+) */
	bool per_vm_readonly;		/* read-only support is per VM (6.12+) */
	bool invalidate_range_is_hva;	/* mmu_invalidate_range_* holds hvas (6.1), not gfns */
	int gmem_taken_binding_errno;	/* a guest_memfd range another memslot binds: -EINVAL or -EEXIST */
	u32 mem_guest_memfd;		/* KVM_MEM_GUEST_MEMFD, or 0 */
	u32 memslot_gmem_only;		/* KVM_MEMSLOT_GMEM_ONLY, or 0 */
	u64 gmem_flag_mmap, gmem_flag_init_shared;	/* GUEST_MEMFD_FLAG_*, or 0 where the kernel lacks one */
	/* the uapi bits of those flags, also where the kernel lacks them (it must refuse them) */
	u64 gmem_uapi_flag_mmap, gmem_uapi_flag_init_shared;
	bool young_flushes_tlb;		/* clear_flush_young flushes TLBs when a mapping was young */
	bool pfncache;			/* the gfn_to_pfn cache (CONFIG_HAVE_KVM_PFNCACHE: x86, not arm64) */
	bool gpc_hva;			/* hva-based pfn caches, kvm_gpc_activate_hva() (6.9+) */
	bool gmem_invalidation;		/* guest_memfd's fallocate(PUNCH_HOLE) and release (where guest_memfd is built) */
	/* the attr_filter guest_memfd's invalidation passes (0 where kvm_gfn_range has none): */
	int gmem_filter_private;	/* for a file without INIT_SHARED */
	int gmem_filter_shared;		/* for an INIT_SHARED file (kvm_gmem_get_invalidate_filter(), 7.x) */
	bool internal_memslots;		/* ids between KVM_USER_MEM_SLOTS and KVM_MEM_SLOTS_NUM (x86) */
	bool mem_attributes;		/* KVM_SET_MEMORY_ATTRIBUTES (CONFIG_KVM_GENERIC_MEMORY_ATTRIBUTES: x86 6.8+) */
};
extern const struct kernel_features kernel;

struct kvm *adapter_create_vm(const struct vm_settings *s);
/* What the reference model's rules need from this kernel and VM. */
void adapter_reference_kernel(const struct kvm *kvm, struct ref_kernel *out);
void adapter_destroy_vm(struct kvm *kvm);
/* VM ioctls; -EIO on a VM KVM_BUG_ON() marked dead, as kvm_vm_ioctl() returns. */
int adapter_set_memory_region(struct kvm *kvm, const struct memslot_request *req);
/* A KVM-internal memslot (x86's), through the tree's internal path, as __x86_set_memory_region() calls it. */
int adapter_set_internal_memslot(struct kvm *kvm, const struct memslot_request *req);
/* The VM's memslot address spaces and read-only support, as the kernel answers them. */
int adapter_nr_address_spaces(struct kvm *kvm);
bool adapter_has_readonly_mem(struct kvm *kvm);
/* Returns an fd or -errno; -ENOSYS where the kernel has no guest_memfd. */
int adapter_gmem_create(struct kvm *kvm, u64 size, u64 flags);

/* mm/'s side of the notifier: calls through the extracted ops table. */
void adapter_invalidate_range_start(struct kvm *kvm, unsigned long start, unsigned long end, bool blockable);
void adapter_invalidate_range_end(struct kvm *kvm, unsigned long start, unsigned long end, bool blockable);
bool adapter_clear_flush_young(struct kvm *kvm, unsigned long start, unsigned long end);
bool adapter_clear_young(struct kvm *kvm, unsigned long start, unsigned long end);
bool adapter_test_young(struct kvm *kvm, unsigned long address);
/* Returns false where the kernel has no .change_pte. */
bool adapter_change_pte(struct kvm *kvm, unsigned long address);
void adapter_release(struct kvm *kvm);

/* The kernel's own retry check of a vCPU fault, under mmu_lock. */
bool adapter_fault_must_retry(struct kvm *kvm, unsigned long seq, u64 gfn, unsigned long hva);
/*
 * The gfn_to_pfn cache (virt/kvm/pfncache.c) as its users call it. 6.1 passes
 * the VM (and the gpa) to every call and has no hva form: the adapter keeps one
 * API. A cache is host-use only (6.1's KVM_HOST_USES_PFN): there are no vCPUs.
 */
void adapter_gpc_init(struct kvm *kvm, struct gfn_to_pfn_cache *gpc);
int adapter_gpc_activate(struct kvm *kvm, struct gfn_to_pfn_cache *gpc, u64 gpa, unsigned long len);
/* -ENOSYS where the kernel has no hva-based caches */
int adapter_gpc_activate_hva(struct kvm *kvm, struct gfn_to_pfn_cache *gpc, unsigned long hva, unsigned long len);
int adapter_gpc_refresh(struct kvm *kvm, struct gfn_to_pfn_cache *gpc, unsigned long len);
bool adapter_gpc_check(struct kvm *kvm, struct gfn_to_pfn_cache *gpc, unsigned long len);
void adapter_gpc_deactivate(struct kvm *kvm, struct gfn_to_pfn_cache *gpc);
bool adapter_slot_is_gmem_only(const struct kvm_memory_slot *slot);
/*
 * guest_memfd's own invalidation, as userspace reaches it: fallocate(2) on a
 * guest_memfd fd (FALLOC_FL_* modes) and close(2), whose last reference runs
 * the file's release. -EBADF for an fd with no file; -ENOSYS where the kernel
 * has no guest_memfd.
 */
long adapter_gmem_fallocate(int fd, int mode, s64 offset, s64 len);
int adapter_gmem_close(int fd);
/* kvm_gmem_get_file(): how every use of a binding (kvm_gmem_get_pfn()) starts; its reference is dropped */
void adapter_gmem_slot_lookup(struct kvm_memory_slot *slot);
/* The file memslot as:id's binding points at (slot->gmem.file); NULL if none or no such slot. */
const void *adapter_slot_gmem_file(struct kvm *kvm, int as, int id);
bool adapter_slot_has_gmem(const struct kvm_memory_slot *slot);

/* KVM_SET_MEMORY_ATTRIBUTES; -ENOTTY where the kernel has no memory attributes. */
int adapter_set_memory_attributes(struct kvm *kvm, u64 address, u64 size, u64 attributes, u64 flags);
/* a gfn's attributes as the vCPU fault path reads them (kvm_get_memory_attributes()), 0 if none */
unsigned long adapter_gfn_attributes(struct kvm *kvm, u64 gfn);

#endif
