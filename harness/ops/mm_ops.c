// SPDX-License-Identifier: GPL-2.0
/*
 * The mm family: mm/'s notifier events through the extracted
 * kvm_mmu_notifier_ops table (invalidate_range_start and _end, paired or, in
 * mode illegal, not; the aging events; 6.1's change_pte) and the mm's
 * release. Around each kernel call other CPUs may run (the clock stamps its
 * moments); a memslot update's schedule() runs the oldest pending end, as mm/
 * on another CPU would.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "family.h"
#include "scenario_layout.h"

HARNESS_NO_COVERAGE_BEGIN

static void sel_range(uint8_t a, uint8_t b, unsigned long *start, unsigned long *end)
{
	uint64_t s, e;

	sc_range(a, b, &s, &e);
	*start = s;
	*end = e;
}

static void begin_event(void)
{
	model.nr_calls = 0;
}

/* trace: the handler calls of the event just run (tests assert on these lines) */
static void trace_calls(const struct run *r, const char *event)
{
	if (!r->o->trace)
		return;
	for (int i = 0; i < model.nr_calls; i++) {
		const struct model_handler_call *c = &model.calls[i];

		printf("trace: %s %s slot=%d:%d gfn=[0x%" PRIx64 ",0x%" PRIx64 ")\n", event,
		       model_hook_names[c->hook], c->as_id, c->slot_id, c->start, c->end);
	}
}

/*
 * Around an mm event's kernel call, where a window may run: the counters move
 * inside it (its stamps say how far), and a memslot request the window
 * ran leaves the event's ranges to the old or the new memslots. True if one did.
 * A start or an end (inv) acts on the clock with its stamps st: the reference
 * sees its moments as they happen (ref_mid_push).
 */
static unsigned long event_enter(struct run *r, struct model_stamps *st, bool is_end, const struct ref_invalidation *inv,
				 struct model_stamps **prev)
{
	r->ref.event_mid++;
	if (inv)
		ref_mid_push(&r->ref, st, is_end, inv);
	*prev = model_clock_enter(st);
	return r->st->memslot_requests;
}

static bool event_exit(struct run *r, unsigned long requests, bool mid, struct model_stamps *prev)
{
	model_clock_leave(prev);
	if (mid)
		ref_mid_pop(&r->ref);
	r->ref.event_mid--;
	return r->st->memslot_requests != requests;
}

/* a stamp, or the call's return if the kernel made no such moment (a later event's number: after every earlier one) */
static unsigned long at_or_return(unsigned long at)
{
	return at ? at : model_clock.now + 1;
}

/* check_calls() for an event whose window may have changed the memslots */
static void check_event_calls(struct run *r, bool flux, const char *event, unsigned long start, unsigned long end,
			      enum model_hook hook)
{
	bool was = r->ref.slots_in_flux;

	r->ref.slots_in_flux = was || flux;
	check_calls(&r->ora, event, start, end, hook);
	r->ref.slots_in_flux = was;
}

static void invalidate_end(struct run *r, int k)
{
	/* taken out first, so no window inside the end ends it again; counted ended once the kernel's seq moved */
	struct ref_invalidation inv = ref_invalidation_take(&r->ref, k);
	unsigned long seq = r->kvm->mmu_invalidate_seq, found_ends = r->ref.found_ends, requests;
	struct model_stamps st = { 0 }, *prev;

	begin_event();
	requests = event_enter(r, &st, true, &inv, &prev);
	adapter_invalidate_range_end(r->kvm, inv.start, inv.end, inv.blockable);
	event_exit(r, requests, true, prev);
	seq += r->ref.found_ends - found_ends;	/* the ends a window ran inside this one advanced it too */
	ref_invalidation_ended(&r->ref, &inv, at_or_return(st.end_at));
	r->st->notifier_events++;
	if (checking(r))
		check_callees(&r->ora, "invalidate_range_end", inv.start, inv.end);
	if (checking(r))
		check_invalidate_end(&r->ora, &inv, seq);
}

/* A memslot update waits in schedule(): run the oldest pending end, as mm/ on another CPU would. */
static bool run_pending_end(void *ctx)
{
	struct run *r = ctx;
	model_yield_hook_fn *hook;

	/* not one a suspended operation holds: its own thread ends that, after the window */
	if (!ref_inflight_endable(&r->ref))
		return false;
	hook = model_other_thread_begin();
	invalidate_end(r, ref_inflight_endable_at(&r->ref, 0));
	model_other_thread_end(hook);
	return true;
}

/* returns its index in the reference's in-flight list, or -1 if it is not there */
static int invalidate_start(struct run *r, unsigned long start, unsigned long end, bool blockable)
{
	unsigned long flushes = model.tlb_flushes, requests;
	struct ref_invalidation pending = { .start = start, .end = end, .mm_issued = sc_range_mm_issues(start, end) };
	struct model_stamps st = { 0 }, *prev;
	bool flux;
	int index;

	if (ref_inflight_full(&r->ref))
		return -1;
	begin_event();
	requests = event_enter(r, &st, false, &pending, &prev);
	adapter_invalidate_range_start(r->kvm, start, end, blockable);
	flux = event_exit(r, requests, true, prev);
	r->st->notifier_events++;
	/* the start found a slot iff it called a handler (on_lock runs with the first) */
	trace_calls(r, "invalidate_range_start");
	index = r->ref.nr_inflight;
	ref_invalidation_started(&r->ref, start, end, blockable, model.nr_calls > 0, at_or_return(st.begin_at));
	if (r->ref.nr_inflight == index)
		index = -1;
	if (checking(r))
		check_callees(&r->ora, "invalidate_range_start", start, end);
	if (checking(r))
		check_event_calls(r, flux, "invalidate_range_start", start, end, HOOK_UNMAP_GFN_RANGE);
	if (checking(r))
		check_start_flush(&r->ora, flushes);
	return index;
}

/*
 * An end without a start: mm/ never does this. Kernels that harden against it
 * WARN, keep the active count at zero and, if it found a slot, take
 * mmu_invalidate_in_progress below zero and mark the VM bugged (6.1 BUGs: not
 * applicable). The counter stays where the kernel left it, as on a real bugged
 * VM; the reference takes the new value as its offset. The VM is dead from
 * then on: the kernel refuses its ioctls and vCPUs (-EIO, see the adapter),
 * while mm/'s notifiers keep coming and are checked as before.
 */
static void unpaired_end(struct run *r, unsigned long start, unsigned long end)
{
	long before = r->kvm->mmu_invalidate_in_progress;

	begin_event();
	adapter_invalidate_range_end(r->kvm, start, end, true);
	if (checking(r))
		check_callees(&r->ora, "invalidate_range_end", start, end);
	if (checking(r))
		check_unpaired_end(&r->ora, before);
	r->ref.in_progress_offset += r->kvm->mmu_invalidate_in_progress - before;
	r->ref.vm_dead = r->kvm->vm_dead;
}

static void aging(struct run *r, int kind, unsigned long start, unsigned long end)
{
	unsigned long flushes = model.tlb_flushes, requests;
	bool flush_on_young = false, ret, flux;
	struct model_stamps st = { 0 }, *prev;
	const char *name;

	begin_event();
	requests = event_enter(r, &st, false, NULL, &prev);
	if (kind == OP_CLEAR_FLUSH_YOUNG) {
		ret = adapter_clear_flush_young(r->kvm, start, end);
		flush_on_young = kernel.young_flushes_tlb;
		name = "clear_flush_young";
	} else if (kind == OP_CLEAR_YOUNG) {
		ret = adapter_clear_young(r->kvm, start, end);
		name = "clear_young";
	} else {
		ret = adapter_test_young(r->kvm, start);
		end = start + 1;
		name = "test_young";
	}
	flux = event_exit(r, requests, false, prev);
	r->st->notifier_events++;
	trace_calls(r, name);
	if (checking(r))
		check_callees(&r->ora, name, start, end);
	if (checking(r))
		check_event_calls(r, flux, name, start, end, kind == OP_TEST_YOUNG ? HOOK_TEST_AGE_GFN : HOOK_AGE_GFN);
	if (checking(r))
		check_aging(&r->ora, name, ret, flush_on_young, flushes);
}

static void change_pte(struct run *r, unsigned long addr)
{
	bool wrapped;
	int wrapper = -1;
	unsigned long changed = model.spte_changed, reached = model.spte_reached;

	if (!kernel.change_pte)
		return;	/* no .change_pte (gone in v6.10), so mm/'s set_pte_at_notify() calls nothing: not applicable */
	wrapped = ref_inflight_covers(&r->ref, addr);
	/* mm/'s set_pte_at_notify() ran inside an invalidation of the address */
	if (r->mode != MODE_CHANGE_PTE_UNWRAPPED) {
		if (!wrapped) {
			if (ref_inflight_full(&r->ref))
				return;	/* cannot wrap it: mm/ would not issue it */
			wrapper = invalidate_start(r, addr & PAGE_MASK, (addr & PAGE_MASK) + PAGE_SIZE, true);
			/* this thread ends it after the change_pte: a window inside does not */
			if (wrapper >= 0)
				r->ref.inflight[wrapper].held = true;
		}
	} else if (wrapped) {
		/* unwrapped (pre-2012 mm/): only where no invalidation covers the address (others may be in flight) */
		return;
	}
	begin_event();
	adapter_change_pte(r->kvm, addr);
	if (checking(r))
		check_callees(&r->ora, "change_pte", addr, addr + 1);
	/* per event: did it reach kvm_set_spte_gfn at all, did any call change a present mapping */
	r->st->change_pte_events++;
	r->st->change_pte_reached += model.spte_reached != reached;
	r->st->change_pte_changed += model.spte_changed != changed;
	if (r->mode != MODE_CHANGE_PTE_UNWRAPPED && checking(r))
		check_change_pte(&r->ora, addr, changed);
	/* its own wrapper, wherever the windows' starts and ends have moved it in the list */
	for (int k = 0; wrapper >= 0 && k < r->ref.nr_inflight; k++)
		if (r->ref.inflight[k].held) {
			r->ref.inflight[k].held = false;
			invalidate_end(r, k);
			break;
		}
}

int mm_family_run(struct run *r, int index, const struct op *o)
{
	unsigned long start, end;
	uint64_t s64, e64;

	switch (o->kind) {
	case OP_INVALIDATE_START:
		sel_range(o->a, o->b, &start, &end);
		invalidate_start(r, start, end, !(o->c & 1));
		break;
	case OP_INVALIDATE_RANGE:
		sc_raw_range(o->a, o->b, o->c, &s64, &e64);
		/* ranges mm/ never issues (empty, reversed, unaligned) belong to the illegal mode */
		if (r->mode == MODE_ILLEGAL || sc_range_mm_issues(s64, e64))
			invalidate_start(r, s64, e64, !(o->d & 1));
		break;
	case OP_INVALIDATE_END:
		if (ref_inflight_endable(&r->ref)) {
			/* a window's end is of an invalidation no suspended operation holds */
			invalidate_end(r, ref_inflight_endable_at(&r->ref, o->a % ref_inflight_endable(&r->ref)));
		} else if (r->ref.nr_inflight) {
			;	/* only held ones: their threads end them */
		} else if (r->mode == MODE_ILLEGAL && kernel.unpaired_end_hardened) {
			sel_range(o->b, o->c, &start, &end);
			unpaired_end(r, start, end);
		}
		break;
	case OP_CLEAR_FLUSH_YOUNG:
	case OP_CLEAR_YOUNG:
		sel_range(o->a, o->b, &start, &end);
		aging(r, o->kind, start, end);
		break;
	case OP_TEST_YOUNG:
		aging(r, o->kind, sc_address(o->a, o->b), 0);
		break;
	case OP_CHANGE_PTE:
		change_pte(r, sc_address(o->a, o->b));
		break;
	case OP_RELEASE:
		if (!r->ref.released) {
			adapter_release(r->kvm);
			r->ref.released = true;
			if (checking(r))
				check_release(&r->ora);
		}
		break;
	}
	return index;
}

static void mm_begin(struct run *r)
{
	model.schedule_hook = run_pending_end;
	model.schedule_ctx = r;
}

/* teardown: mm/ ends what it started (after a violation too, if the run tears down: the oracle is off then) */
static void mm_finish(struct run *r)
{
	while ((!r->v->violated || r->o->teardown_after_violation) && r->ref.nr_inflight)
		invalidate_end(r, r->ref.nr_inflight - 1);
}

const struct op_family mm_family = { .begin = mm_begin, .run = mm_family_run, .finish = mm_finish };

HARNESS_NO_COVERAGE_END
