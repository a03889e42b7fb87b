// SPDX-License-Identifier: GPL-2.0
/*
 * The version adapter: the only place that knows how 6.1, 6.12, 7.2 and 7.3 differ.
 * Every difference is keyed on a HAVE_* macro the extractor computed from the
 * tree (kvm_features.h), never on a version number.
 *
 *   6.1   .change_pte, kvm_set_spte_gfn; v1 memslot struct; KVM_ADDRESS_SPACE_NUM;
 *         mmu_invalidate_retry_hva(); no guest_memfd
 *   6.12  per-VM address spaces and read-only support; kvm_gmem_bind(); guest_memfd
 *         only for private-memory VMs; mmu_invalidate_retry_gfn()
 *   7.2   KVM_MEMSLOT_GMEM_ONLY for a guest_memfd created with GUEST_MEMFD_FLAG_MMAP,
 *         gmem_inode/gmem_file; still kvm_gmem_bind()/kvm_gmem_unbind() (CLASS(gmem_get_file))
 *   7.3   binding split into kvm_gmem_prepare/commit_memory_region()
 *   internal memslots (x86): kvm_set_internal_memslot() where the tree has it (it refuses
 *         user ids and flags), else __kvm_set_memory_region() with an internal id
 *   The arch profile (KVM_ARCH) is shims/arch-*: MODEL_ARCH_VM_SETTINGS says whether a
 *   VM's address spaces, read-only and private memory are per VM (x86) or the
 *   kernel's fixed defaults (arm64: one address space, read-only, no private memory).
 *   A taken guest_memfd range is -EINVAL (6.12's kvm_gmem_bind()) or -EEXIST
 *   (7.2's kvm_gmem_bind(), 7.3's commit): ERRNO_gmem_taken_binding, read from the code.
 *
 *   guest_memfd invalidation (where guest_memfd is built): 6.12 kvm_gmem_invalidate_begin()
 *         with a private-only filter; 7.x kvm_gmem_invalidate_start() with the filter of
 *         kvm_gmem_get_invalidate_filter() (shared for an INIT_SHARED file)
 *   pfn cache: 6.1 kvm_gfn_to_pfn_cache_refresh/_check(kvm, gpc, gpa, len) and
 *         kvm_gpc_activate(kvm, gpc, vcpu, usage, gpa, len); 6.12+ kvm_gpc_*(gpc, ...)
 *         with gpc->kvm, and kvm_gpc_activate_hva()
 */
#include <string.h>

#include "kvm_adapter.h"

HARNESS_NO_COVERAGE_BEGIN

#if !USES_kvm_arch_nr_memslot_as_ids && !defined(kvm_arch_nr_memslot_as_ids)
/* 6.1 on arm64: the count was the compile-time KVM_ADDRESS_SPACE_NUM (1) */
#define kvm_arch_nr_memslot_as_ids(kvm) ((void)(kvm), KVM_ADDRESS_SPACE_NUM)
#endif

const struct kernel_features kernel = {
	.version = KVM_EXTRACTED_VERSION,
	.arch = MODEL_ARCH_NAME,
	.change_pte = HAVE_kvm_mmu_notifier_change_pte,
	.unpaired_end_hardened = USES_KVM_BUG_ON,
#if USES_attr_filter
	.hva_attr_filter = KVM_FILTER_SHARED,
#endif
	.guest_memfd = HAVE_kvm_gmem_create,
	.gmem_only = HAVE_KVM_MEMSLOT_GMEM_ONLY,
	.per_vm_as = USES_kvm_arch_nr_memslot_as_ids,
	.per_vm_readonly = USES_kvm_arch_has_readonly_mem,
	.invalidate_range_is_hva = HAVE_mmu_invalidate_retry_hva,
	/* read from the binding function's text (extracted/roots.txt, errno) */
	.gmem_taken_binding_errno = ERRNO_gmem_taken_binding,
#if HAVE_KVM_MEM_GUEST_MEMFD && HAVE_kvm_gmem_create
	/* the flag is accepted where guest_memfd is built (6.12 on arm64: not) */
	.mem_guest_memfd = KVM_MEM_GUEST_MEMFD,
#endif
#if HAVE_KVM_MEMSLOT_GMEM_ONLY
	.memslot_gmem_only = KVM_MEMSLOT_GMEM_ONLY,
#endif
#if HAVE_GUEST_MEMFD_FLAG_MMAP
	.gmem_flag_mmap = GUEST_MEMFD_FLAG_MMAP,
	.gmem_uapi_flag_mmap = GUEST_MEMFD_FLAG_MMAP,
#else
	.gmem_uapi_flag_mmap = 1ULL << 0,	/* the bit the uapi gave it when it came */
#endif
#if HAVE_GUEST_MEMFD_FLAG_INIT_SHARED
	.gmem_flag_init_shared = GUEST_MEMFD_FLAG_INIT_SHARED,
	.gmem_uapi_flag_init_shared = GUEST_MEMFD_FLAG_INIT_SHARED,
#else
	.gmem_uapi_flag_init_shared = 1ULL << 1,
#endif
	.young_flushes_tlb = !IS_ENABLED(CONFIG_KVM_ELIDE_TLB_FLUSH_IF_YOUNG),
	.pfncache = HAVE_kvm_gpc_init,
	.gpc_hva = HAVE_kvm_gpc_activate_hva,
	.gmem_invalidation = HAVE_kvm_gmem_fallocate && HAVE_kvm_gmem_release,
#if HAVE_kvm_gmem_fallocate && USES_attr_filter
	.gmem_filter_private = KVM_FILTER_PRIVATE,
#if HAVE_kvm_gmem_get_invalidate_filter
	.gmem_filter_shared = KVM_FILTER_SHARED,
#else
	.gmem_filter_shared = KVM_FILTER_PRIVATE,	/* 6.12: "guest memfd is relevant to only private mappings" */
#endif
#endif
	/* ids past the user ones (x86: KVM_INTERNAL_MEM_SLOTS 3; arm64 has none) */
	.internal_memslots = KVM_USER_MEM_SLOTS < KVM_MEM_SLOTS_NUM,
	.mem_attributes = HAVE_kvm_vm_ioctl_set_mem_attributes,
};

#if HAVE_KVM_MEMORY_ATTRIBUTE_PRIVATE
_Static_assert(SC_ATTR_PRIVATE == KVM_MEMORY_ATTRIBUTE_PRIVATE, "the layout's attribute bits are the uapi's");
#endif

/* ---- VM creation and teardown ------------------------------------------------- */

struct kvm *adapter_create_vm(const struct vm_settings *s)
{
	/*
	 * One VM at a time (model_state.h): a static one, cleared per run, saves
	 * an allocation and its free per run (sanitizers record both). Kernel
	 * allocations stay on the heap; ASan still redzones this object.
	 */
	static struct kvm vm;
	struct kvm *kvm = &vm;
	u64 gen;

	memset(kvm, 0, sizeof(*kvm));
#if MODEL_ARCH_VM_SETTINGS
	kvm->arch.nr_memslot_as_ids = kernel.per_vm_as ? (s->nr_as == 1 ? 1 : 2) : KVM_ADDRESS_SPACE_NUM;
	kvm->arch.has_readonly_mem = kernel.per_vm_readonly ? s->readonly_mem : true;
	/* 6.12 accepts KVM_MEM_GUEST_MEMFD only on private-memory VM types */
	kvm->arch.has_private_mem = kernel.guest_memfd;
#endif
	/* otherwise (arm64) the scenario's address spaces and read-only bits do not apply */
	mutex_init(&kvm->slots_lock);
	mutex_init(&kvm->slots_arch_lock);
	spin_lock_init(&kvm->mn_invalidate_lock);
	rwlock_init(&kvm->mmu_lock);
	rcuwait_init(&kvm->mn_memslots_update_rcuwait);
	init_srcu_struct(&kvm->srcu);
	/* as kvm_create_vm(): the pfn caches the notifier walks */
	INIT_LIST_HEAD(&kvm->gpc_list);
	spin_lock_init(&kvm->gpc_lock);
	kvm->mmu_invalidate_seq = s->invalidate_seq;
	/* a generation whose residue is the address space id, as the kernel keeps it */
	gen = s->generation - s->generation % kvm_arch_nr_memslot_as_ids(kvm);
	model_init_memslots(kvm, gen);
	kvm->mmu_notifier.ops = kvm_export_kvm_mmu_notifier_ops;
	return kvm;
}

void adapter_reference_kernel(const struct kvm *kvm, struct ref_kernel *out)
{
	*out = (struct ref_kernel){
		.nr_as = adapter_nr_address_spaces((struct kvm *)kvm),
		.has_readonly_mem = adapter_has_readonly_mem((struct kvm *)kvm),
		.gmem_taken_binding_errno = kernel.gmem_taken_binding_errno,
		.version = kernel.version,
		.mem_guest_memfd = kernel.mem_guest_memfd,
		.gmem_only = kernel.gmem_only,
		.gmem_flag_mmap = kernel.gmem_flag_mmap,
		.gmem_flags_supported = kernel.gmem_flag_mmap | kernel.gmem_flag_init_shared,
		.user_mem_slots = KVM_USER_MEM_SLOTS,
		.mem_slots_num = KVM_MEM_SLOTS_NUM,
		.mem_max_nr_pages = KVM_MEM_MAX_NR_PAGES,
		.user_addr_limit = TASK_SIZE_MAX,
		.gmem_invalidation = kernel.gmem_invalidation,
		.gmem_flag_init_shared = kernel.gmem_flag_init_shared,
		.gmem_filter_private = kernel.gmem_filter_private,
		.gmem_filter_shared = kernel.gmem_filter_shared,
		.internal_memslot_api = HAVE_kvm_set_internal_memslot,
		.attributes = kernel.mem_attributes,
#if HAVE_kvm_vm_ioctl_set_mem_attributes
		/* kvm_supported_mem_attributes(): private memory VMs take PRIVATE, others nothing */
		.attr_supported = kvm_arch_has_private_mem((struct kvm *)kvm) ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0,
#endif
	};
}

void adapter_destroy_vm(struct kvm *kvm)
{
	int i;

	/* as kvm_destroy_vm(): free both memslot sets of every address space, then the guest_memfd files */
	for (i = 0; i < kvm_arch_nr_memslot_as_ids(kvm); i++) {
		kvm_export_kvm_free_memslots(kvm, &kvm->__memslots[i][0]);
		kvm_export_kvm_free_memslots(kvm, &kvm->__memslots[i][1]);
	}
	model_gmem_release_files();
#if HAVE_kvm_vm_ioctl_set_mem_attributes
	xa_destroy(&kvm->mem_attr_array);
#endif
	/* the VM itself is adapter_create_vm()'s static one */
}

int adapter_nr_address_spaces(struct kvm *kvm)
{
	return kvm_arch_nr_memslot_as_ids(kvm);
}

bool adapter_has_readonly_mem(struct kvm *kvm)
{
#if MODEL_ARCH_VM_SETTINGS || USES_kvm_arch_has_readonly_mem
	return kvm_arch_has_readonly_mem(kvm);
#else
	(void)kvm;
	return true;	/* 6.1 on arm64: __KVM_HAVE_READONLY_MEM */
#endif
}

/* the request as the kernel's struct: v2 where the tree has it (6.8+), else v1 */
#if HAVE_struct_kvm_userspace_memory_region2
typedef struct kvm_userspace_memory_region2 memslot_uapi_t;
#else
typedef struct kvm_userspace_memory_region memslot_uapi_t;
#endif
static memslot_uapi_t memslot_uapi(const struct memslot_request *req)
{
	return (memslot_uapi_t){
		.slot = req->slot,
		.flags = req->flags,
		.guest_phys_addr = req->guest_phys_addr,
		.memory_size = req->memory_size,
		.userspace_addr = req->userspace_addr,
#if HAVE_struct_kvm_userspace_memory_region2
		.guest_memfd_offset = req->guest_memfd_offset,
		.guest_memfd = req->guest_memfd,
#endif
	};
}

int adapter_set_memory_region(struct kvm *kvm, const struct memslot_request *req)
{
	memslot_uapi_t mem = memslot_uapi(req);

	if (kvm->vm_dead)
		return -EIO;	/* kvm_vm_ioctl()'s first check */
	return kvm_export_kvm_vm_ioctl_set_memory_region(kvm, &mem);
}

int adapter_set_internal_memslot(struct kvm *kvm, const struct memslot_request *req)
{
	memslot_uapi_t mem = memslot_uapi(req);
	int r;

	/* as __x86_set_memory_region()'s callers: under slots_lock */
	mutex_lock(&kvm->slots_lock);
#if HAVE_kvm_set_internal_memslot
	r = kvm_export_kvm_set_internal_memslot(kvm, &mem);
#elif HAVE___kvm_set_memory_region
	/* before kvm_set_internal_memslot(), x86 called the common path with its internal ids */
	r = kvm_export___kvm_set_memory_region(kvm, &mem);
#else
	r = -ENOSYS;
#endif
	mutex_unlock(&kvm->slots_lock);
	return r;
}

/* ---- memory attributes ------------------------------------------------------------ */

int adapter_set_memory_attributes(struct kvm *kvm, u64 address, u64 size, u64 attributes, u64 flags)
{
	if (kvm->vm_dead)
		return -EIO;	/* kvm_vm_ioctl()'s first check, whatever the ioctl */
#if HAVE_kvm_vm_ioctl_set_mem_attributes
	struct kvm_memory_attributes attrs = { .address = address, .size = size, .attributes = attributes,
					       .flags = flags };

	return kvm_export_kvm_vm_ioctl_set_mem_attributes(kvm, &attrs);
#else
	(void)address; (void)size; (void)attributes; (void)flags;
	return -ENOTTY;	/* no such VM ioctl */
#endif
}

/* ---- guest_memfd ----------------------------------------------------------------- */

int adapter_gmem_create(struct kvm *kvm, u64 size, u64 flags)
{
#if HAVE_kvm_gmem_create
	struct kvm_create_guest_memfd args = { .size = size, .flags = flags };

	if (kvm->vm_dead)
		return -EIO;	/* kvm_vm_ioctl()'s first check */
	return kvm_export_kvm_gmem_create(kvm, &args);
#else
	(void)kvm; (void)size; (void)flags;
	return -ENOSYS;
#endif
}

#if HAVE_kvm_gmem_fallocate && HAVE_kvm_gmem_release
long adapter_gmem_fallocate(int fd, int mode, s64 offset, s64 len)
{
	struct file *file = fget(fd);
	long r;

	if (!file)
		return -EBADF;
	r = kvm_export_kvm_gmem_fallocate(file, mode, offset, len);
	fput(file);
	return r;
}

int adapter_gmem_close(int fd)
{
	struct file *file = model_gmem_close(fd);

	if (!file)
		return -EBADF;
	/* the last reference: __fput() runs .release */
	kvm_export_kvm_gmem_release(file_inode(file), file);
	model_gmem_released(file);
	return 0;
}

void adapter_gmem_slot_lookup(struct kvm_memory_slot *slot)
{
	struct file *file;

	if (!(slot->flags & KVM_MEM_GUEST_MEMFD))
		return;
	file = kvm_export_kvm_gmem_get_file(slot);
	if (file)
		fput(file);
}

const void *adapter_slot_gmem_file(struct kvm *kvm, int as, int id)
{
	struct kvm_memory_slot *slot = id_to_memslot(__kvm_memslots(kvm, as), id);

	return slot ? slot->gmem.file : NULL;
}
#else
long adapter_gmem_fallocate(int fd, int mode, s64 offset, s64 len)
{
	(void)fd; (void)mode; (void)offset; (void)len;
	return -ENOSYS;
}
int adapter_gmem_close(int fd) { (void)fd; return -ENOSYS; }
void adapter_gmem_slot_lookup(struct kvm_memory_slot *slot) { (void)slot; }
const void *adapter_slot_gmem_file(struct kvm *kvm, int as, int id)
{
	(void)kvm; (void)as; (void)id;
	return NULL;
}
#endif

/* ---- the gfn_to_pfn cache ------------------------------------------------------------ */

/* where the tree builds no pfn cache (arm64) these are never called: kernel.pfncache */
#if HAVE_kvm_gpc_init
void adapter_gpc_init(struct kvm *kvm, struct gfn_to_pfn_cache *gpc)
{
	memset(gpc, 0, sizeof(*gpc));
#if HAVE_kvm_gfn_to_pfn_cache_refresh
	(void)kvm;
	kvm_export_kvm_gpc_init(gpc);
#else
	kvm_export_kvm_gpc_init(gpc, kvm);
#endif
}

int adapter_gpc_activate(struct kvm *kvm, struct gfn_to_pfn_cache *gpc, u64 gpa, unsigned long len)
{
#if HAVE_kvm_gfn_to_pfn_cache_refresh
	return kvm_export_kvm_gpc_activate(kvm, gpc, NULL, KVM_HOST_USES_PFN, gpa, len);
#else
	(void)kvm;
	return kvm_export_kvm_gpc_activate(gpc, gpa, len);
#endif
}

int adapter_gpc_activate_hva(struct kvm *kvm, struct gfn_to_pfn_cache *gpc, unsigned long hva, unsigned long len)
{
	(void)kvm;
#if HAVE_kvm_gpc_activate_hva
	return kvm_export_kvm_gpc_activate_hva(gpc, hva, len);
#else
	(void)gpc; (void)hva; (void)len;
	return -ENOSYS;
#endif
}

int adapter_gpc_refresh(struct kvm *kvm, struct gfn_to_pfn_cache *gpc, unsigned long len)
{
#if HAVE_kvm_gfn_to_pfn_cache_refresh
	return kvm_export_kvm_gfn_to_pfn_cache_refresh(kvm, gpc, gpc->gpa, len);
#else
	(void)kvm;
	return kvm_export_kvm_gpc_refresh(gpc, len);
#endif
}

bool adapter_gpc_check(struct kvm *kvm, struct gfn_to_pfn_cache *gpc, unsigned long len)
{
#if HAVE_kvm_gfn_to_pfn_cache_refresh
	return kvm_export_kvm_gfn_to_pfn_cache_check(kvm, gpc, gpc->gpa, len);
#else
	(void)kvm;
	return kvm_export_kvm_gpc_check(gpc, len);
#endif
}

void adapter_gpc_deactivate(struct kvm *kvm, struct gfn_to_pfn_cache *gpc)
{
#if HAVE_kvm_gfn_to_pfn_cache_refresh
	kvm_export_kvm_gpc_deactivate(kvm, gpc);
#else
	(void)kvm;
	kvm_export_kvm_gpc_deactivate(gpc);
#endif
}
#else
void adapter_gpc_init(struct kvm *kvm, struct gfn_to_pfn_cache *gpc) { (void)kvm; memset(gpc, 0, sizeof(*gpc)); }
int adapter_gpc_activate(struct kvm *kvm, struct gfn_to_pfn_cache *gpc, u64 gpa, unsigned long len)
{
	(void)kvm; (void)gpc; (void)gpa; (void)len;
	return -ENOSYS;
}
int adapter_gpc_activate_hva(struct kvm *kvm, struct gfn_to_pfn_cache *gpc, unsigned long hva, unsigned long len)
{
	(void)kvm; (void)gpc; (void)hva; (void)len;
	return -ENOSYS;
}
int adapter_gpc_refresh(struct kvm *kvm, struct gfn_to_pfn_cache *gpc, unsigned long len)
{
	(void)kvm; (void)gpc; (void)len;
	return -ENOSYS;
}
bool adapter_gpc_check(struct kvm *kvm, struct gfn_to_pfn_cache *gpc, unsigned long len)
{
	(void)kvm; (void)gpc; (void)len;
	return false;
}
void adapter_gpc_deactivate(struct kvm *kvm, struct gfn_to_pfn_cache *gpc) { (void)kvm; (void)gpc; }
#endif

/*
 * This and adapter_fault_must_retry() below run kernel inlines (the gmem-only
 * test, the fault retry check): they stay instrumented for the engines, or the
 * kernel code inlined into them would not be.
 */
HARNESS_NO_COVERAGE_END

bool adapter_slot_is_gmem_only(const struct kvm_memory_slot *slot)
{
#if HAVE_kvm_memslot_is_gmem_only
	return kvm_slot_has_gmem(slot) && kvm_memslot_is_gmem_only(slot);
#else
	(void)slot;
	return false;
#endif
}

/* A gfn's attributes as a vCPU reads them (kvm_get_memory_attributes()); 0 where there are none. */
unsigned long adapter_gfn_attributes(struct kvm *kvm, u64 gfn)
{
#if HAVE_kvm_get_memory_attributes
	return kvm_get_memory_attributes(kvm, gfn);
#else
	(void)kvm; (void)gfn;
	return 0;
#endif
}

/* Whether a private fault can map the slot (x86: kvm_slot_can_be_private(), 7.x kvm_slot_has_gmem()). */
bool adapter_slot_has_gmem(const struct kvm_memory_slot *slot)
{
#if HAVE_kvm_slot_has_gmem
	return kvm_slot_has_gmem(slot);
#elif HAVE_kvm_slot_can_be_private
	return kvm_slot_can_be_private(slot);
#else
	(void)slot;
	return false;
#endif
}

HARNESS_NO_COVERAGE_BEGIN

/* ---- the notifier, as mm/ calls it ------------------------------------------------- */

static struct mmu_notifier_range mn_range(unsigned long start, unsigned long end, bool blockable)
{
	struct mmu_notifier_range r = {
		.start = start,
		.end = end,
		.flags = blockable ? MMU_NOTIFIER_RANGE_BLOCKABLE : 0,
	};
	return r;
}

void adapter_invalidate_range_start(struct kvm *kvm, unsigned long start, unsigned long end, bool blockable)
{
	struct mmu_notifier_range r = mn_range(start, end, blockable);

	kvm->mmu_notifier.ops->invalidate_range_start(&kvm->mmu_notifier, &r);
}

void adapter_invalidate_range_end(struct kvm *kvm, unsigned long start, unsigned long end, bool blockable)
{
	struct mmu_notifier_range r = mn_range(start, end, blockable);

	kvm->mmu_notifier.ops->invalidate_range_end(&kvm->mmu_notifier, &r);
}

bool adapter_clear_flush_young(struct kvm *kvm, unsigned long start, unsigned long end)
{
	return kvm->mmu_notifier.ops->clear_flush_young(&kvm->mmu_notifier, NULL, start, end);
}

bool adapter_clear_young(struct kvm *kvm, unsigned long start, unsigned long end)
{
	return kvm->mmu_notifier.ops->clear_young(&kvm->mmu_notifier, NULL, start, end);
}

bool adapter_test_young(struct kvm *kvm, unsigned long address)
{
	return kvm->mmu_notifier.ops->test_young(&kvm->mmu_notifier, NULL, address);
}

bool adapter_change_pte(struct kvm *kvm, unsigned long address)
{
#if HAVE_kvm_mmu_notifier_change_pte
	kvm->mmu_notifier.ops->change_pte(&kvm->mmu_notifier, NULL, address, __pte(0x1000));
	return true;
#else
	(void)kvm; (void)address;
	return false;
#endif
}

void adapter_release(struct kvm *kvm)
{
	kvm->mmu_notifier.ops->release(&kvm->mmu_notifier, NULL);
}

HARNESS_NO_COVERAGE_END

bool adapter_fault_must_retry(struct kvm *kvm, unsigned long seq, u64 gfn, unsigned long hva)
{
#if HAVE_mmu_invalidate_retry_gfn
	(void)hva;
	return mmu_invalidate_retry_gfn(kvm, seq, gfn);
#else
	(void)gfn;
	return mmu_invalidate_retry_hva(kvm, seq, hva);
#endif
}
