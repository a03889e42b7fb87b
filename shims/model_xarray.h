/* MODEL: the per-index xarray calls (values, reservations, xa_state walks) memory attributes use. */
// SPDX-License-Identifier: GPL-2.0
/*
 * kvm->mem_attr_array (CONFIG_KVM_GENERIC_MEMORY_ATTRIBUTES) holds one value
 * entry per gfn. These calls work on model_gmem.h's range xarray, so a run of
 * equal entries stays one range. lib/xarray.c itself is not extracted: its
 * closure (xa_node slabs, RCU-freed nodes, marks, multi-index entries) is
 * larger than everything the attribute code asks of it, and nothing the
 * oracle checks lives in it. What the kernel relies on is modelled exactly:
 * a reserved index reads as NULL through xa_load() but is present to an
 * xa_state walk as a zero entry that xas_retry() skips; xas_next() steps one
 * index, xas_next_entry() to the next present one; a reservation is an
 * allocation (model_alloc.h's failure injection can fail it).
 */
#ifndef KVM_HVA_FUZZ_MODEL_XARRAY_H
#define KVM_HVA_FUZZ_MODEL_XARRAY_H

static inline void *xa_mk_value(unsigned long v) { return (void *)((v << 1) | 1); }
static inline unsigned long xa_to_value(const void *entry) { return (unsigned long)entry >> 1; }
static inline bool xa_is_value(const void *entry) { return (unsigned long)entry & 1; }
/* xa_mk_internal(257), as lib/xarray.c's reserved entry */
#define XA_ZERO_ENTRY ((void *)((257UL << 2) | 2))
static inline bool xa_is_zero(const void *entry) { return entry == XA_ZERO_ENTRY; }

/* Store entry at index (NULL erases); returns the old entry (a reserved one reads as NULL). */
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *xa_erase(struct xarray *xa, unsigned long index);
/* Reserve index: 0, or -ENOMEM where the model allocator fails the allocation. */
int xa_reserve(struct xarray *xa, unsigned long index, gfp_t gfp);

/* A walk: the index it is at, whether it has not loaded yet (XAS_RESTART), whether it ran off the end. */
struct xa_state {
	struct xarray *xa;
	unsigned long xa_index;
	bool restart, bounds;
};
#define XA_STATE(name, array, index) \
	struct xa_state name = { .xa = (array), .xa_index = (index), .restart = true, .bounds = false }
void *xas_next(struct xa_state *xas);
void *xas_next_entry(struct xa_state *xas, unsigned long max);
/* A single thread never sees a retry entry: only reserved (zero) entries are skipped. */
static inline bool xas_retry(struct xa_state *xas, const void *entry) { (void)xas; return xa_is_zero(entry); }

#endif
