/* STUB: the rest of the mm/ API hva_to_pfn() names: VMAs, the mmap lock, PFNMAP lookups (never reached: GUP always succeeds). */
// SPDX-License-Identifier: GPL-2.0
/*
 * In the model every hva below TASK_SIZE is anonymous memory that GUP faults
 * in (model_gup.h), so hva_to_pfn()'s VM_IO/VM_PFNMAP fallback only has to
 * compile: there is no VMA, and a lookup that gets there fails as for an
 * unmapped address.
 */
#ifndef KVM_HVA_FUZZ_MM_API_H
#define KVM_HVA_FUZZ_MM_API_H

#define FOLL_WRITE 0x01
#define FOLL_NOWAIT 0x20
#define FOLL_HWPOISON 0x100
#define FOLL_INTERRUPTIBLE 0x200
#define FOLL_HONOR_NUMA_FAULT 0x400
#define FAULT_FLAG_WRITE 0x01
#define VM_READ 0x1UL
#define VM_WRITE 0x2UL
#define VM_IO 0x4000UL
#define VM_PFNMAP 0x400UL
#define PAGE_OFFSET 0xffff888000000000UL
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)
#define PAGE_ALIGN_DOWN(addr) ((addr) & PAGE_MASK)

struct mm_struct;
struct vm_area_struct { struct mm_struct *vm_mm; unsigned long vm_flags; };
struct task_struct { struct mm_struct *mm; };
extern struct task_struct model_current_task;
#define current (&model_current_task)

#define mmap_read_lock(mm) do { (void)(mm); } while (0)
#define mmap_read_unlock(mm) do { (void)(mm); } while (0)
#define vma_lookup(mm, addr) ((void)(mm), (void)(addr), (struct vm_area_struct *)NULL)
#define fixup_user_fault(mm, addr, flags, unlocked) ((void)(mm), (void)(unlocked), -EFAULT)

/* 6.12+: follow_pfnmap_start(); 6.1: follow_pte() */
struct follow_pfnmap_args {
	struct vm_area_struct *vma;
	unsigned long address;
	unsigned long pfn;
	bool writable;
	bool special;
};
#define follow_pfnmap_start(args) ((void)(args), -EINVAL)
#define follow_pfnmap_end(args) do { (void)(args); } while (0)
typedef struct { unsigned long lock; } model_ptl_t;
#define follow_pte(mm, addr, ptepp, ptlp) ((void)(mm), (void)(addr), (void)(ptepp), (void)(ptlp), -EINVAL)
#define pte_unmap_unlock(pte, ptl) do { (void)(pte); (void)(ptl); } while (0)
#define pte_write(pte) ((void)(pte), 0)
#define pte_pfn(pte) ((void)(pte), 0UL)

/* 6.1's vCPU kick bitmap in gfn_to_pfn_cache_invalidate_start() */
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]
#define bitmap_zero(dst, nbits) memset((dst), 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long))

#endif
