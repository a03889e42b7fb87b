/* MODEL: the per-index xarray calls (values, reservations, xa_state walks) memory attributes use. */
// SPDX-License-Identifier: GPL-2.0
/* kernel headers: their unused parameters are the kernel's style, not ours to fix */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kvm_extracted.h"
#pragma GCC diagnostic pop
#include "model_state.h"

HARNESS_NO_COVERAGE_BEGIN

/* The entry at index as the walk sees it (reserved entries included). */
static void *raw_entry(struct xarray *xa, unsigned long index)
{
	for (int i = 0; i < xa->nr; i++)
		if (xa->ranges[i].first <= index && index <= xa->ranges[i].last)
			return xa->ranges[i].entry;
	return NULL;
}

/* Merge the range holding index with equal neighbours, so per-index stores stay few ranges. */
static void merge_at(struct xarray *xa, unsigned long index)
{
	for (int i = 0; i < xa->nr; i++) {
		struct model_xa_range *r = &xa->ranges[i];

		if (r->first > index || index > r->last)
			continue;
		for (int j = 0; j < xa->nr; j++) {
			struct model_xa_range *n = &xa->ranges[j];

			if (j == i || n->entry != r->entry)
				continue;
			if ((r->last != ~0UL && n->first == r->last + 1) || (r->first && n->last == r->first - 1)) {
				r->first = n->first < r->first ? n->first : r->first;
				r->last = n->last > r->last ? n->last : r->last;
				*n = xa->ranges[--xa->nr];
				merge_at(xa, index);	/* one merge per call: the array moved */
				return;
			}
		}
		return;
	}
}

void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	void *old = raw_entry(xa, index), *err = xa_store_range(xa, index, index, entry, gfp);

	if (IS_ERR(err))
		return err;
	if (entry)
		merge_at(xa, index);
	return xa_is_zero(old) ? NULL : old;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	return xa_store(xa, index, NULL, 0);
}

int xa_reserve(struct xarray *xa, unsigned long index, gfp_t gfp)
{
	void *slot;

	if (raw_entry(xa, index))
		return 0;	/* present already: nothing to allocate */
	/* the node a reservation may need, as an allocation the model can fail */
	slot = kmalloc(1, gfp);
	if (!slot)
		return -ENOMEM;
	kfree(slot);
	return IS_ERR(xa_store(xa, index, XA_ZERO_ENTRY, gfp)) ? -ENOMEM : 0;
}

void *xas_next(struct xa_state *xas)
{
	if (!xas->restart)
		xas->xa_index++;
	xas->restart = false;
	return raw_entry(xas->xa, xas->xa_index);
}

void *xas_next_entry(struct xa_state *xas, unsigned long max)
{
	struct model_xa_range *best = NULL;
	unsigned long from;

	if (xas->bounds)
		return NULL;
	if (xas->restart) {
		void *e = raw_entry(xas->xa, xas->xa_index);

		xas->restart = false;
		if (e)
			return e;
	}
	if (xas->xa_index == ~0UL || xas->xa_index >= max) {
		xas->bounds = true;
		return NULL;
	}
	from = xas->xa_index + 1;
	for (int i = 0; i < xas->xa->nr; i++) {
		struct model_xa_range *r = &xas->xa->ranges[i];

		if (r->last >= from && r->first <= max && (!best || r->first < best->first))
			best = r;
	}
	if (!best) {
		xas->bounds = true;
		return NULL;
	}
	xas->xa_index = best->first > from ? best->first : from;
	return best->entry;
}

HARNESS_NO_COVERAGE_END
