/* MODEL: the secondary MMU (stage-2 mappings) and the arch hooks the notifier and memslot code call. */
// SPDX-License-Identifier: GPL-2.0

/* kernel headers: their unused parameters are the kernel's style, not ours to fix */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kvm_extracted.h"
#pragma GCC diagnostic pop
#include "model_state.h"

HARNESS_NO_COVERAGE_BEGIN

const char *const model_hook_names[HOOK_NR] = {
	"kvm_unmap_gfn_range", "kvm_age_gfn", "kvm_test_age_gfn", "kvm_set_spte_gfn",
	"kvm_arch_pre_set_memory_attributes", "kvm_arch_post_set_memory_attributes",
};

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
	model_clock_event(EV_INSTALL, (long)gfn);
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

struct model_handler_call *model_record_call(enum model_hook hook, struct kvm *kvm, const struct kvm_gfn_range *range,
					     bool ret)
{
	struct model_handler_call *c;

	if (model.nr_calls == MODEL_MAX_CALLS) {
		model.calls_overflowed = true;
		return NULL;
	}
	c = &model.calls[model.nr_calls++];
	*c = (struct model_handler_call){
		.hook = hook,
		.as_id = range->slot->as_id,
		.slot_id = range->slot->id,
		.slot_flags = range->slot->flags,
		.start = range->start,
		.end = range->end,
#if USES_attr_filter
		.attr_filter = range->attr_filter,
#endif
		.mmu_lock_held = kvm->mmu_lock.held,
		.in_progress = kvm->mmu_invalidate_in_progress,
		.range_start = kvm->mmu_invalidate_range_start,
		.range_end = kvm->mmu_invalidate_range_end,
		.ret = ret,
	};
	return c;
}

/* the range tables' sentinel (model_kvm.h): a call is counted, the oracle reports it */
void kvm_null_fn(void)
{
	model.null_fn_calls++;
}

/*
 * x86's TDP MMU and arm64's stage-2 walk drop mmu_lock between entries when the
 * range may block (tdp_mmu_iter_cond_resched, stage2_apply_range_resched:
 * cond_resched_rwlock_write): another CPU can take it there, in the middle of
 * an unmap. The model zaps the first page, yields so, then the rest.
 */
static void mmu_lock_break(struct kvm *kvm)
{
	if (!model.yield_hook || model.spinlocks_held != 1 || !kvm->mmu_lock.held)
		return;
	model_lock_release((struct model_lock *)&kvm->mmu_lock, "mmu_lock (cond_resched_rwlock_write)", __FILE__, __LINE__);
	model_yield(YIELD_COND_RESCHED, "cond_resched_rwlock_write(mmu_lock)", __FILE__, __LINE__);
	model_lock_acquire((struct model_lock *)&kvm->mmu_lock, "mmu_lock (cond_resched_rwlock_write)", __FILE__, __LINE__);
}

bool kvm_unmap_gfn_range(struct kvm *kvm, struct kvm_gfn_range *range)
{
	int as = range->slot->as_id, id = range->slot->id;
	u64 mid = range->end - range->start > 1 ? range->start + 1 : range->end;
	bool flush = model_unmap_range(as, id, range->start, mid);
	struct model_handler_call *c = model_record_call(HOOK_UNMAP_GFN_RANGE, kvm, range, flush);

	if (mid < range->end) {
		if (range->may_block)
			mmu_lock_break(kvm);
		flush |= model_unmap_range(as, id, mid, range->end);
		if (c)
			c->ret = flush;
	}
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

bool kvm_make_vcpus_request_mask(struct kvm *kvm, unsigned int req, unsigned long *vcpu_bitmap)
{
	(void)kvm; (void)req; (void)vcpu_bitmap;
	model_fail("kvm_make_vcpus_request_mask: a vCPU request, but the harness activates no guest-use cache");
	return false;
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

#if HAVE_kvm_mmu_notifier_change_pte
/* The arch hook behind .change_pte (kernels that have it): change a present mapping of the gfn. */
bool kvm_set_spte_gfn(struct kvm *kvm, struct kvm_gfn_range *range)
{
	bool changed = false;

	model.spte_reached++;
	for (u64 gfn = range->start; gfn < range->end; gfn++) {
		int i = model_find_mapping(range->slot->as_id, gfn);

		if (i >= 0 && model.maps[i].slot_id == range->slot->id) {
			model.maps[i].young = true;
			changed = true;
		}
	}
	if (changed)
		model.spte_changed++;
	model_record_call(HOOK_SET_SPTE_GFN, kvm, range, changed);
	return changed;
}
#endif

HARNESS_NO_COVERAGE_END
