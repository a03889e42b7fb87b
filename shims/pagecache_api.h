/* STUB: guest_memfd's page cache: it stays empty (no path the harness drives allocates a folio), so truncation frees nothing. */
// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_gmem_fallocate() reaches kvm_gmem_allocate() and its folio lookups as
 * well as kvm_gmem_punch_hole(); the harness issues only PUNCH_HOLE (and
 * modes the kernel refuses before either), and no vCPU fault in the model
 * takes a pfn from the file, so no folio ever exists. The oracle observes
 * what the invalidation does to the secondary MMU and the bindings, not the
 * pages: if the page cache ever matters to it, this becomes a MODEL that
 * hands out model_gup.h pages and frees (poisons) them on truncation.
 */
#ifndef KVM_HVA_FUZZ_PAGECACHE_API_H
#define KVM_HVA_FUZZ_PAGECACHE_API_H

#define FALLOC_FL_KEEP_SIZE 0x01
#define FALLOC_FL_PUNCH_HOLE 0x02
#define FGP_LOCK 0x2u
#define FGP_CREAT 0x4u

struct folio { unsigned long index; };
struct mempolicy { int unused; };

/* the allocate branch: never reached (model_fail says so if it ever is) */
struct folio *model_pagecache_unreached(const char *what);
#define filemap_lock_folio(mapping, index) ((void)(mapping), (void)(index), model_pagecache_unreached("filemap_lock_folio"))
#define filemap_grab_folio(mapping, index) ((void)(mapping), (void)(index), model_pagecache_unreached("filemap_grab_folio"))
#define __filemap_get_folio_mpol(mapping, index, fgp, gfp, policy) \
	((void)(mapping), (void)(index), (void)(gfp), (void)(policy), model_pagecache_unreached("__filemap_get_folio_mpol"))
#define mpol_shared_policy_lookup(sp, index) ((void)(sp), (void)(index), (struct mempolicy *)NULL)
#define mpol_cond_put(policy) do { (void)(policy); } while (0)
#define mapping_gfp_mask(mapping) ((void)(mapping), GFP_HIGHUSER)
#define folio_order(folio) ((void)(folio), 0u)
#define folio_next_index(folio) ((folio)->index + 1)
#define folio_unlock(folio) do { (void)(folio); } while (0)
#define folio_put(folio) do { (void)(folio); } while (0)
#define signal_pending(task) ((void)(task), 0)

/* the punch-hole branch: an empty page cache has nothing in [lstart, lend] to free */
#define truncate_inode_pages_range(mapping, lstart, lend) do { (void)(mapping); (void)(lstart); (void)(lend); } while (0)
#define file_modified(file) ((void)(file), 0)

#endif
