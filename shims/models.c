/* MODEL: bodies of the recorded kernel API: locks, SRCU, allocation, WARN/BUG, arch hooks, files. */
// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* kernel headers: their unused parameters are the kernel's style, not ours to fix */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kvm_extracted.h"
#pragma GCC diagnostic pop
#include "model_state.h"
#include "kvm_adapter.h"

HARNESS_NO_COVERAGE_BEGIN

struct model_state model;

void model_fail(const char *fmt, ...)
{
	va_list ap;

	if (model.model_error[0])
		return;	/* keep the first */
	va_start(ap, fmt);
	vsnprintf(model.model_error, sizeof(model.model_error), fmt, ap);
	va_end(ap);
}

/* ---- locks ---------------------------------------------------------------- */

void model_lock_acquire(struct model_lock *l, const char *file, int line)
{
	if (l->held)
		model_fail("self-deadlock: lock taken twice at %s:%d", file, line);
	l->held = 1;
	model.locks_held++;
}

void model_lock_release(struct model_lock *l, const char *file, int line)
{
	if (!l->held)
		model_fail("unlock of a lock not held at %s:%d", file, line);
	l->held = 0;
	model.locks_held--;
}

void model_lock_assert_held(const struct model_lock *l, const char *what, const char *file, int line)
{
	if (!l->held)
		model_fail("lockdep: %s not held at %s:%d", what, file, line);
}

/* ---- SRCU and the memslot-update wait ---------------------------------------- */

int model_srcu_read_lock(struct srcu_struct *ssp)
{
	ssp->readers++;
	if (ssp->readers > model.srcu_readers_max)
		model.srcu_readers_max = ssp->readers;
	return ssp->readers;
}

void model_srcu_read_unlock(struct srcu_struct *ssp, int idx)
{
	if (idx != ssp->readers)
		model_fail("srcu_read_unlock(%d) does not match the innermost lock (%d)", idx, ssp->readers);
	ssp->readers--;
}

void model_synchronize_srcu(struct srcu_struct *ssp, const char *file, int line)
{
	/* a reader in this (the only) thread would never finish: a real deadlock */
	if (ssp->readers)
		model_fail("synchronize_srcu inside an SRCU read section at %s:%d", file, line);
	ssp->sync_count++;
}

void model_prepare_to_rcuwait(struct rcuwait *w) { w->task = &model; }
void model_finish_rcuwait(struct rcuwait *w) { w->task = NULL; }
void model_rcuwait_wake_up(struct rcuwait *w) { (void)w; model.rcuwait_wakeups++; }

void model_schedule(const char *file, int line)
{
	model.schedule_calls++;
	if (model.schedule_hook && model.schedule_hook(model.schedule_ctx))
		return;
	/* nothing could run that would end the wait: the task would sleep forever */
	model_fail("memslot update blocked forever at %s:%d", file, line);
	if (model.bug_jump)
		longjmp(*model.bug_jump, 2);
	abort();
}

/* ---- allocation --------------------------------------------------------------- */

void *model_zalloc(size_t size)
{
	if (model.fail_alloc_at && --model.fail_alloc_at == 0)
		return NULL;
	model.allocations++;
	return calloc(1, size ? size : 1);
}

void model_free(const void *p)
{
	if (!p)
		return;
	model.frees++;
	free((void *)p);
}

long model_live_allocations(void)
{
	return (long)(model.allocations - model.frees);
}

/* ---- WARN / BUG --------------------------------------------------------------- */

void model_warn(const char *file, int line, const char *cond)
{
	if (model.nr_warnings < MODEL_MAX_WARNINGS) {
		model.warnings[model.nr_warnings].file = file;
		model.warnings[model.nr_warnings].line = line;
		model.warnings[model.nr_warnings].cond = cond;
	}
	model.nr_warnings++;
}

void model_bug(const char *file, int line, const char *cond)
{
	model_fail("BUG: %s at %s:%d", cond, file, line);
	if (model.bug_jump)
		longjmp(*model.bug_jump, 1);
	abort();
}

/* ---- the secondary MMU and the arch hooks ---------------------------------------- */

int model_find_mapping(int as_id, u64 gfn)
{
	for (int i = 0; i < model.nr_maps; i++)
		if (model.maps[i].as_id == as_id && model.maps[i].gfn == gfn)
			return i;
	return -1;
}

bool model_map(int as_id, int slot_id, u64 gfn, unsigned long hva, bool gmem_only)
{
	int i = model_find_mapping(as_id, gfn);

	if (i < 0) {
		if (model.nr_maps == MODEL_MAX_MAPPINGS)
			return false;
		i = model.nr_maps++;
	}
	model.maps[i] = (struct model_mapping){ as_id, slot_id, gfn, true, gmem_only, hva };
	return true;
}

bool model_unmap_range(int as_id, int slot_id, u64 start, u64 end)
{
	bool any = false;

	for (int i = 0; i < model.nr_maps; i++) {
		struct model_mapping *m = &model.maps[i];

		if (m->as_id != as_id || m->gfn < start || m->gfn >= end)
			continue;
		if (slot_id >= 0 && m->slot_id != slot_id)
			continue;
		*m = model.maps[--model.nr_maps];
		i--;
		any = true;
	}
	return any;
}

void model_record_call(enum model_hook hook, struct kvm *kvm, const struct kvm_gfn_range *range, bool ret)
{
	struct model_handler_call *c;

	if (model.nr_calls == MODEL_MAX_CALLS) {
		model.calls_overflowed = true;
		return;
	}
	c = &model.calls[model.nr_calls++];
	*c = (struct model_handler_call){
		.hook = hook,
		.as_id = range->slot->as_id,
		.slot_id = range->slot->id,
		.slot_flags = range->slot->flags,
		.start = range->start,
		.end = range->end,
		.attr_filter = adapter_range_attr_filter(range),
		.mmu_lock_held = kvm->mmu_lock.held,
		.in_progress = kvm->mmu_invalidate_in_progress,
		.range_start = kvm->mmu_invalidate_range_start,
		.range_end = kvm->mmu_invalidate_range_end,
		.ret = ret,
	};
}

void kvm_null_fn(void)
{
	model.null_fn_calls++;
}

bool kvm_unmap_gfn_range(struct kvm *kvm, struct kvm_gfn_range *range)
{
	bool flush = model_unmap_range(range->slot->as_id, range->slot->id, range->start, range->end);

	model_record_call(HOOK_UNMAP_GFN_RANGE, kvm, range, flush);
	return flush;
}

/* Whether a mapping of the range is young; clear_young also ages it. */
static bool model_young(const struct kvm_gfn_range *range, bool clear_young)
{
	bool young = false;

	for (int i = 0; i < model.nr_maps; i++) {
		struct model_mapping *m = &model.maps[i];

		if (m->as_id == range->slot->as_id && m->slot_id == range->slot->id &&
		    m->gfn >= range->start && m->gfn < range->end && m->young) {
			young = true;
			if (clear_young)
				m->young = false;
		}
	}
	return young;
}

bool kvm_age_gfn(struct kvm *kvm, struct kvm_gfn_range *range)
{
	bool young = model_young(range, true);

	model_record_call(HOOK_AGE_GFN, kvm, range, young);
	return young;
}

bool kvm_test_age_gfn(struct kvm *kvm, struct kvm_gfn_range *range)
{
	bool young = model_young(range, false);

	model_record_call(HOOK_TEST_AGE_GFN, kvm, range, young);
	return young;
}

void kvm_flush_remote_tlbs(struct kvm *kvm)
{
	(void)kvm;
	model.tlb_flushes++;
}

void kvm_arch_guest_memory_reclaimed(struct kvm *kvm)
{
	(void)kvm;
	model.reclaimed++;
}

bool kvm_make_all_cpus_request(struct kvm *kvm, unsigned int req)
{
	(void)kvm;
	(void)req;
	model.vm_dead_requests++;
	return true;
}

int kvm_arch_prepare_memory_region(struct kvm *kvm, const struct kvm_memory_slot *old,
				   struct kvm_memory_slot *new, enum kvm_mr_change change)
{
	(void)kvm; (void)old; (void)new; (void)change;
	model.arch_prepare++;
	if (model.fail_arch_prepare_at && --model.fail_arch_prepare_at == 0)
		return model.arch_prepare_errno ? -model.arch_prepare_errno : -ENOMEM;
	return 0;
}

void kvm_arch_commit_memory_region(struct kvm *kvm, struct kvm_memory_slot *old,
				   const struct kvm_memory_slot *new, enum kvm_mr_change change)
{
	(void)kvm; (void)old; (void)new; (void)change;
	model.arch_commit++;
}

void kvm_arch_free_memslot(struct kvm *kvm, struct kvm_memory_slot *slot)
{
	(void)kvm; (void)slot;
	model.arch_free++;
}

void kvm_arch_memslots_updated(struct kvm *kvm, u64 gen)
{
	(void)kvm;
	model.memslots_updated++;
	model.last_generation = gen;
}

void kvm_arch_flush_shadow_memslot(struct kvm *kvm, struct kvm_memory_slot *slot)
{
	(void)kvm;
	model.flush_shadow_memslot++;
	model_unmap_range(slot->as_id, slot->id, 0, ~0ULL);
}

void kvm_arch_flush_shadow_all(struct kvm *kvm)
{
	(void)kvm;
	model.flush_shadow_all++;
	model.nr_maps = 0;
}

/* ---- xarray (ranges) ---------------------------------------------------------- */

bool xa_empty(const struct xarray *xa)
{
	return xa->nr == 0;
}

void *xa_find(struct xarray *xa, unsigned long *index, unsigned long max, unsigned int filter)
{
	struct model_xa_range *best = NULL;

	(void)filter;
	for (int i = 0; i < xa->nr; i++) {
		struct model_xa_range *r = &xa->ranges[i];

		if (r->last < *index || r->first > max)
			continue;
		if (!best || r->first < best->first)
			best = r;
	}
	if (!best)
		return NULL;
	if (best->first > *index)
		*index = best->first;
	return best->entry;
}

void *xa_load(struct xarray *xa, unsigned long index)
{
	unsigned long i = index;
	void *e = xa_find(xa, &i, index, XA_PRESENT);

	return i == index ? e : NULL;
}

static void xa_erase_range(struct xarray *xa, unsigned long first, unsigned long last)
{
	for (int i = 0; i < xa->nr; i++) {
		struct model_xa_range r = xa->ranges[i];

		if (r.last < first || r.first > last)
			continue;
		xa->ranges[i] = xa->ranges[--xa->nr];
		i--;
		/* keep the parts outside [first, last] */
		if (r.first < first)
			xa_store_range(xa, r.first, first - 1, r.entry, 0);
		if (r.last > last)
			xa_store_range(xa, last + 1, r.last, r.entry, 0);
	}
}

void *xa_store_range(struct xarray *xa, unsigned long first, unsigned long last, void *entry, gfp_t gfp)
{
	(void)gfp;
	xa_erase_range(xa, first, last);
	if (!entry)
		return NULL;
	if (xa->nr == xa->cap) {
		int cap = xa->cap ? 2 * xa->cap : 8;
		struct model_xa_range *n = realloc(xa->ranges, cap * sizeof(*n));

		if (!n)
			return ERR_PTR(-ENOMEM);
		xa->ranges = n;
		xa->cap = cap;
	}
	xa->ranges[xa->nr++] = (struct model_xa_range){ first, last, entry };
	return NULL;
}

void xa_destroy(struct xarray *xa)
{
	free(xa->ranges);
	*xa = (struct xarray){ NULL, 0, 0 };
}

/* ---- files: the fd table guest_memfd files live in ------------------------------- */

#define MODEL_MAX_FILES 16
struct file *model_files[MODEL_MAX_FILES];
struct file_operations kvm_gmem_fops;

struct file *fget(unsigned int fd)
{
	if (fd >= MODEL_MAX_FILES || !model_files[fd])
		return NULL;
	model_files[fd]->f_count++;
	return model_files[fd];
}

void fput(struct file *file)
{
	if (file->f_count <= 0)
		model_fail("fput of a file without references");
	file->f_count--;
}

struct file *get_file_active(struct file **f)
{
	if (!*f || (*f)->f_count <= 0)
		return NULL;
	(*f)->f_count++;
	return *f;
}

void model_reset(struct kvm *kvm)
{
	/* calls[] and maps[] are read only below nr_calls / nr_maps, which this clears */
	memset(&model, 0, offsetof(struct model_state, calls));
	model.kvm = kvm;
}

HARNESS_NO_COVERAGE_END
