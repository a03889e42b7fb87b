// SPDX-License-Identifier: GPL-2.0
/*
 * The driver: runs a scenario against the extracted kernel code. It plays mm/
 * (notifier events through the ops table), userspace (memslot ioctls,
 * guest_memfd creation), x86's own memslot code (internal memslots) and the
 * vCPUs (faults split into resolve and commit: fault_ops.c), turning each operation into
 * adapter calls, keeps the reference model (reference.h) in step with what the
 * operation means, and asks the oracle (oracle.h) after each step. Other
 * threads run inside an operation where a yield puts them (scheduler.h).
 * Bytes -> scenario is scenario_text.c's.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "attributes_ops.h"
#include "fault_ops.h"
#include "kvm_adapter.h"
#include "oracle.h"
#include "reference.h"
#include "gmem_ops.h"
#include "pfncache_ops.h"
#include "scenario.h"
#include "scenario_layout.h"
#include "scheduler.h"

HARNESS_NO_COVERAGE_BEGIN

struct run {
	const struct scenario *s;
	const struct run_options *o;
	bool check;			/* the oracle runs (not oracle_off) */
	bool any_request;		/* a memslot request ran: check_memslots(CHECK_END) at the end */
	enum scenario_mode mode;	/* from the scenario header */
	struct verdict *v;
	struct run_stats *st;
	struct kvm *kvm;
	jmp_buf bug;
	/* from here on cleared by their own init: ref_init() and oracle_init() leave large tails alone */
	struct reference ref;
	struct oracle ora;
};

enum scenario_mode scenario_mode(const struct scenario *s)
{
	return (enum scenario_mode)sc_mode(s->header);
}

static void decode_settings(const struct scenario *s, struct vm_settings *vs)
{
	vs->nr_as = sc_nr_as(s->header);
	vs->readonly_mem = sc_readonly_mem(s->header);
	vs->invalidate_seq = sc_invalidate_seq(s->header);
	vs->generation = sc_generation(s->header);
}

static void sel_range(uint8_t a, uint8_t b, unsigned long *start, unsigned long *end)
{
	uint64_t s, e;

	sc_range(a, b, &s, &e);
	*start = s;
	*end = e;
}

/* the oracle runs, and nothing is violated yet */
static inline __attribute__((always_inline)) bool checking(const struct run *r)
{
	return r->check && !r->v->violated;
}

/* ---- memslot requests --------------------------------------------------------------------- */

/* internal: through the kernel's internal path (x86's internal memslots), else the ioctl */
static void do_memslot_request(struct run *r, const struct memslot_request *q, bool internal)
{
	enum ref_change change;
	int expect = internal ? ref_expected_internal(&r->ref, q, &change) : ref_expected(&r->ref, q, &change);
	unsigned int alloc_armed = model.fail_alloc_at, prepare_armed = model.fail_arch_prepare_at;
	int got, as = memslot_request_as(q);
	bool injected;

	bool flux = r->ref.slots_in_flux;

	r->st->memslot_requests++;
	r->any_request = true;
	r->ref.slots_in_flux = true;	/* between its swaps, for what a window runs inside it */
	got = internal ? adapter_set_internal_memslot(r->kvm, q) : adapter_set_memory_region(r->kvm, q);
	r->ref.slots_in_flux = flux;
	injected = (alloc_armed && !model.fail_alloc_at) || (prepare_armed && !model.fail_arch_prepare_at);
	if (r->o->trace)
		printf("trace: %s slot=%u:%u gpa=0x%" PRIx64 " size=0x%" PRIx64 " hva=0x%" PRIx64
		       " flags=0x%x guest_memfd=%u offset=0x%" PRIx64 "%s%s -> %d\n",
		       internal ? "internal_memslot" : "set_memory_region", q->slot >> 16, q->slot & 0xffff,
		       q->guest_phys_addr, q->memory_size, q->userspace_addr, q->flags, q->guest_memfd,
		       q->guest_memfd_offset, injected ? " injected" : "", r->ref.vm_dead ? " vm_dead" : "", got);
	if (injected && got < 0) {
		/* an injected failure fired: the request failed and was unwound; nothing may have changed */
		if (checking(r))
			check_memslots(&r->ora, as);
		return;
	}
	if (checking(r))
		check_request(&r->ora, q, internal, got, expect, change);
	if (got != expect)
		return;	/* the reference cannot follow a kernel that broke the rules */
	ref_apply(&r->ref, q, change);
	if (!checking(r))
		return;
	if (!got && change != REF_NO_CHANGE && change != REF_DELETE)
		check_gmem_only_flag(&r->ora, as, memslot_request_id(q));
	if (!r->v->violated)
		check_memslots(&r->ora, got ? -1 : as);
	if (!got && change != REF_NO_CHANGE && checking(r))
		check_mappings_have_slots(&r->ora);
}

static void request_for(const struct run *r, const struct op *o, struct memslot_request *q)
{
	int as = sc_as(o->a), id = (int)sc_id(o->a, r->ref.kernel.user_mem_slots);
	const struct ref_slot *old = ref_slot(&r->ref, as, id);

	memset(q, 0, sizeof(*q));
	q->slot = (uint32_t)as << 16 | (uint32_t)id;
	switch (o->kind) {
	case OP_CREATE:
		q->flags = sc_flags(o->e);
		q->userspace_addr = sc_hva(o->b);
		q->guest_phys_addr = sc_gpa(o->c);
		q->memory_size = sc_pages(o->d) * PAGE_SIZE;
		if (sc_pages_over_limit(o->d))	/* one page over the limit of a user slot */
			q->memory_size = ((uint64_t)KVM_MEM_MAX_NR_PAGES + 1) * PAGE_SIZE;
		if (q->flags & SC_MEM_GUEST_MEMFD) {
			q->guest_memfd = sc_gmem_fd(o->e);
			q->guest_memfd_offset = sc_gmem_offset_pages(o->e) * PAGE_SIZE;
		}
		break;
	case OP_DELETE:
		if (old && old->used) {
			q->flags = old->flags;
			q->userspace_addr = old->hva;
			q->guest_phys_addr = old->base_gfn << PAGE_SHIFT;
		}
		break;
	case OP_MOVE:
	case OP_SET_FLAGS:
		if (old && old->used) {
			q->flags = old->flags;
			q->userspace_addr = old->hva;
			q->guest_phys_addr = old->base_gfn << PAGE_SHIFT;
			q->memory_size = old->npages * PAGE_SIZE;
		} else {	/* no such slot: KVM treats it as a create; one page at the first region */
			q->userspace_addr = sc_hva(0);
			q->memory_size = PAGE_SIZE;
		}
		if (o->kind == OP_MOVE)
			q->guest_phys_addr = sc_gpa(o->c);
		else
			q->flags = sc_flags(o->e);
		break;
	case OP_GMEM_BIND: {
		const struct ref_file *f = ref_file(&r->ref, sc_gmem_bind_fd(o->e));

		q->flags = kernel.mem_guest_memfd ? kernel.mem_guest_memfd : SC_MEM_GUEST_MEMFD;
		q->userspace_addr = sc_hva(o->b);
		q->guest_phys_addr = sc_gpa(o->c);
		q->memory_size = sc_pages(o->d) * PAGE_SIZE;
		q->guest_memfd = sc_gmem_bind_fd(o->e);
		q->guest_memfd_offset = sc_edge_value(sc_gmem_offset_edge(o->e), o->e, q->memory_size,
						      f && f->used ? f->size : 0);
		break;
	}
	case OP_CREATE_EDGE:
		q->memory_size = sc_edge_npages(sc_edge_pages(o->d), KVM_MEM_MAX_NR_PAGES) << PAGE_SHIFT;
		q->userspace_addr = sc_edge_value(&sc_hva_edges[o->b & 7], o->b, q->memory_size, 0);
		q->guest_phys_addr = sc_edge_value(&sc_gpa_edges[o->c & 7], o->c, q->memory_size, 0);
		q->flags = sc_edge_flags(o->e);
		break;
	case OP_RAW_REQUEST:
		q->slot = sc_raw_slot(o->a);
		q->flags = o->e;
		q->guest_phys_addr = sc_raw_gpa(o->c);
		q->memory_size = sc_raw_size(o->d);
		q->userspace_addr = sc_raw_hva(o->b, o->d);
		break;
	}
}

/*
 * An internal memslot as x86's __x86_set_memory_region() sets it in one address
 * space: a create maps fresh memory (the hva the op names), a delete passes
 * the slot's own hva. Calls x86 never makes (flags, user ids, odd hvas, a
 * create over a slot) run in mode illegal only: the kernel's answer is then
 * its own checks' (and WARNs), not a contract x86 relies on. A dead VM gets
 * none: x86's callers are ioctls kvm_vm_ioctl() refuses.
 */
static void internal_memslot(struct run *r, const struct op *o)
{
	struct memslot_request q = { 0 };
	const struct ref_slot *old;
	int as = sc_as(o->a);
	uint32_t id = r->ref.kernel.user_mem_slots + (uint32_t)sc_limit_offset(o->a);

	/*
	 * kvm_set_internal_memslot() compares the whole slot word with
	 * KVM_USER_MEM_SLOTS, so a user id passes it in address space 1: a
	 * quirk of a check no x86 call reaches, which a kernel may tighten
	 * without breaking anything. The harness asks only where both readings agree.
	 */
	if (!kernel.internal_memslots || r->ref.vm_dead || (id < r->ref.kernel.user_mem_slots && as))
		return;
	old = ref_slot(&r->ref, as, (int)id);
	q.slot = (uint32_t)as << 16 | id;
	q.flags = sc_flags(o->e);
	q.guest_phys_addr = sc_gpa(o->c);
	q.memory_size = sc_internal_pages(o->d) * PAGE_SIZE;
	q.userspace_addr = !q.memory_size && old && old->used ? old->hva : sc_internal_hva(o->b);
	if (r->mode == MODE_ILLEGAL || ref_internal_call_arch_makes(&r->ref, &q))
		do_memslot_request(r, &q, true);
}

static void gmem_create(struct run *r, const struct op *o)
{
	uint64_t size = sc_gmem_size(o->a), flags = 0;
	int expect, got;

	if (!kernel.guest_memfd)
		return;
	/* a flag the kernel lacks is passed as its uapi bit, which the kernel must refuse */
	if (o->b & SC_GMEM_MMAP)
		flags |= kernel.gmem_uapi_flag_mmap;
	if (o->b & SC_GMEM_INIT_SHARED)
		flags |= kernel.gmem_uapi_flag_init_shared;
	if (o->b & SC_GMEM_UNDEFINED)
		flags |= 1ULL << 40;
	expect = ref_gmem_expected(&r->ref, size, flags);
	got = adapter_gmem_create(r->kvm, size, flags);
	if (r->o->trace)
		printf("trace: guest_memfd_create size=0x%" PRIx64 " flags=0x%" PRIx64 "%s -> %d\n", size, flags,
		       r->ref.vm_dead ? " vm_dead" : "", got);
	if (checking(r))
		check_gmem_create(&r->ora, size, flags, got, expect);
	if (got == expect)
		ref_gmem_created(&r->ref, got, size, flags);
}

/* ---- notifier events ------------------------------------------------------------------------ */

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

	if (!r->ref.nr_inflight)
		return false;
	hook = sched_other_thread_begin();
	invalidate_end(r, 0);
	sched_other_thread_end(hook);
	return true;
}

static void invalidate_start(struct run *r, unsigned long start, unsigned long end, bool blockable)
{
	unsigned long flushes = model.tlb_flushes, requests;
	struct ref_invalidation pending = { .start = start, .end = end, .mm_issued = sc_range_mm_issues(start, end) };
	struct model_stamps st = { 0 }, *prev;
	bool flux;

	if (ref_inflight_full(&r->ref))
		return;
	begin_event();
	requests = event_enter(r, &st, false, &pending, &prev);
	adapter_invalidate_range_start(r->kvm, start, end, blockable);
	flux = event_exit(r, requests, true, prev);
	r->st->notifier_events++;
	/* the start found a slot iff it called a handler (on_lock runs with the first) */
	trace_calls(r, "invalidate_range_start");
	ref_invalidation_started(&r->ref, start, end, blockable, model.nr_calls > 0, at_or_return(st.begin_at));
	if (checking(r))
		check_callees(&r->ora, "invalidate_range_start", start, end);
	if (checking(r))
		check_event_calls(r, flux, "invalidate_range_start", start, end, HOOK_UNMAP_GFN_RANGE);
	if (checking(r))
		check_start_flush(&r->ora, flushes);
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
	unsigned long changed = model.spte_changed, reached = model.spte_reached;

	if (!kernel.change_pte)
		return;	/* no .change_pte (gone in v6.10), so mm/'s set_pte_at_notify() calls nothing: not applicable */
	wrapped = ref_inflight_covers(&r->ref, addr);
	/* mm/'s set_pte_at_notify() ran inside an invalidation of the address */
	if (r->mode != MODE_CHANGE_PTE_UNWRAPPED) {
		if (!wrapped) {
			if (ref_inflight_full(&r->ref))
				return;	/* cannot wrap it: mm/ would not issue it */
			invalidate_start(r, addr & PAGE_MASK, (addr & PAGE_MASK) + PAGE_SIZE, true);
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
	if (r->mode != MODE_CHANGE_PTE_UNWRAPPED && !wrapped && r->ref.nr_inflight)
		invalidate_end(r, r->ref.nr_inflight - 1);
}

/* ---- running a scenario --------------------------------------------------------------------- */

/* ---- what the pfn-cache operations (pfncache_ops.c) and the scheduler borrow from the run ---- */

static void run_op(struct run *r, const struct op *o);

static void run_op_at(void *ctx, int i)
{
	struct run *r = ctx;

	if (r->v->violated)
		return;
	r->v->op_index = i;
	if (r->o->trace)
		printf("trace: op %d %s\n", i, scenario_op_name(r->s->ops[i].kind));
	run_op(r, &r->s->ops[i]);
}

/* ---- what the scheduler (scheduler.c) borrows ---------------------------------------------- */

static bool sched_stopped(void *ctx)
{
	return ((struct run *)ctx)->v->violated;
}

/*
 * Which operations a yield may interrupt. Each "false" is the harness's, not a
 * kernel lock's, and costs windows the kernel allows (docs/oracle.md, Other
 * CPUs): the pfn cache's operations run their own windows (pfncache_ops.c); a
 * yield is one operation; an unpaired end (mode illegal) moves the counter the
 * reference then accepts; guest_memfd's punch hole and close, and an attribute
 * change, are checked against the counters around their whole call
 * (gmem_ops.c, attributes_ops.c). mm/'s release is the kernel's: exit_mmap()
 * runs when no other thread of the mm does.
 */
static bool sched_interruptible(void *ctx, const struct op *o)
{
	const struct run *r = ctx;

	switch (o->kind) {
	case OP_INVALIDATE_END:
		return r->ref.nr_inflight > 0;
	OP_GPC_CACHE_CASES:
	case OP_GPC_COMMIT:
	case OP_HVA_REPLACE:
	case OP_YIELD:
	case OP_RELEASE:
	case OP_GMEM_PUNCH_HOLE:
	case OP_GMEM_CLOSE:
	case OP_SET_ATTRIBUTES:
		return false;
	}
	return true;
}

/* an ioctl serialized by slots_lock: the memslot requests, and KVM_SET_MEMORY_ATTRIBUTES */
static bool takes_slots_lock(const struct op *o)
{
	switch (o->kind) {
	case OP_CREATE: case OP_DELETE: case OP_MOVE: case OP_SET_FLAGS: case OP_RAW_REQUEST:
	case OP_GMEM_BIND: case OP_CREATE_EDGE: case OP_INTERNAL_MEMSLOT: case OP_SET_ATTRIBUTES:
		return true;
	}
	return false;
}

/* a memslot update: kvm_set_memslot() swaps (synchronize_srcu) and waits for mn_active_invalidate_count */
static bool swaps_memslots(const struct op *o)
{
	return takes_slots_lock(o) && o->kind != OP_SET_ATTRIBUTES;
}

/*
 * Whether o would block on the interrupted thread t (it then runs after t, as
 * the blocked thread would). Each rule names what t holds at its yield point
 * that o waits for; the first is the reference's, not the kernel's.
 */
static bool sched_blocks(void *ctx, const struct op *o, const struct sched_thread *t)
{
	struct run *r = ctx;
	/* t began an invalidation its call has not ended: it holds mn_active_invalidate_count up */
	bool began = r->kvm->mn_active_invalidate_count > (unsigned long)r->ref.nr_inflight;

	/*
	 * The reference's: a slots_lock ioctl's expectation is computed when it
	 * is issued, and the reference knows a binding once its request returns.
	 * So inside one, no other slots_lock ioctl (slots_lock serializes them
	 * anyway: one that yields before taking it or after dropping it meets the
	 * other before or after it, orders the scenario already has), nothing its
	 * expectation depends on (the next injected failure, a new file), nothing
	 * that depends on its bindings (guest_memfd's punch hole and close).
	 */
	if (takes_slots_lock(t->op) && (takes_slots_lock(o) || o->kind == OP_INJECT || o->kind == OP_GMEM_CREATE ||
					  o->kind == OP_GMEM_PUNCH_HOLE || o->kind == OP_GMEM_CLOSE))
		return true;
	/* kvm->slots_lock: every slots_lock ioctl takes it first */
	if (takes_slots_lock(o) && mutex_is_locked(&r->kvm->slots_lock))
		return true;
	/*
	 * A memslot update's synchronize_srcu() waits for t's SRCU read section,
	 * and kvm_swap_active_memslots() for the invalidation t began (the others
	 * in flight the schedule hook ends, as mm/ on another CPU). An attribute
	 * change does neither: kvm_vm_set_mem_attributes() takes slots_lock only.
	 */
	if (swaps_memslots(o))
		return t->srcu_readers || began;
	switch (o->kind) {
	/* a refresh's GUP loop spins in mmu_notifier_retry_cache() while the active count is up */
	case OP_GPC_ACTIVATE: case OP_GPC_ACTIVATE_HVA: case OP_GPC_REFRESH:
		return began;
	case OP_INVALIDATE_END:	/* the reference's: an unpaired one (mode illegal) is defined against the ends it knows */
		return !r->ref.nr_inflight;
	case OP_RELEASE:	/* exit_mmap(): no other thread of the mm runs */
		return true;
	}
	return false;
}

/* windows do not nest: inside a yield's, a split pfn cache call runs whole */
static bool pfncache_may_split(void *ctx)
{
	(void)ctx;
	return !scheduler_busy();
}

static bool pfncache_inflight_covers(void *ctx, unsigned long start, unsigned long end)
{
	struct run *r = ctx;

	for (int k = 0; k < r->ref.nr_inflight; k++)
		if (r->ref.inflight[k].mm_issued && start >= r->ref.inflight[k].start && end <= r->ref.inflight[k].end)
			return true;
	return false;
}

static void run_op(struct run *r, const struct op *o)
{
	struct memslot_request q;
	unsigned long start, end;
	uint64_t s64, e64;
	/* nobody the reference asks about acts, unless the operation says who (its own stamps) */
	struct model_stamps *prev = model_clock_enter(NULL);

	switch (o->kind) {
	case OP_CREATE:
	case OP_DELETE:
	case OP_MOVE:
	case OP_SET_FLAGS:
	case OP_RAW_REQUEST:
	case OP_GMEM_BIND:
	case OP_CREATE_EDGE:
		request_for(r, o, &q);
		do_memslot_request(r, &q, false);
		break;
	case OP_INTERNAL_MEMSLOT:
		internal_memslot(r, o);
		break;
	case OP_GMEM_CREATE:
		gmem_create(r, o);
		break;
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
		if (r->ref.nr_inflight) {
			invalidate_end(r, o->a % r->ref.nr_inflight);
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
	case OP_FAULT_RESOLVE:
		fault_resolve(o);
		break;
	case OP_FAULT_COMMIT:
		fault_commit(o->a);
		break;
	case OP_INJECT:
		if (sc_inject_arch(o->a)) {
			model.fail_arch_prepare_at = sc_inject_at(o->b);
			model.arch_prepare_errno = sc_inject_efault(o->c) ? EFAULT : ENOMEM;
		} else {
			model.fail_alloc_at = sc_inject_at(o->b);
		}
		break;
	case OP_RELEASE:
		if (!r->ref.released) {
			adapter_release(r->kvm);
			r->ref.released = true;
			if (checking(r))
				check_release(&r->ora);
		}
		break;
	case OP_SET_ATTRIBUTES:
		attributes_set(o);
		break;
	case OP_GPC_ACTIVATE:
	case OP_GPC_ACTIVATE_HVA:
	case OP_GPC_REFRESH:
	case OP_GPC_COMMIT:
	case OP_GPC_CHECK:
	case OP_GPC_USE:
	case OP_GPC_DEACTIVATE:
	case OP_HVA_REPLACE: {
		/* a split call consumes the operations it ran inside its GUP */
		int last = pfncache_op(r->v->op_index, o);

		if (!r->v->violated)
			r->v->op_index = last;
		break;
	}
	case OP_YIELD: {
		/* as a split call: the operations of the window are consumed; inside a split call's, inert */
		int last = pfncache_busy() ? r->v->op_index : scheduler_yield(r->v->op_index, o);

		if (!r->v->violated)
			r->v->op_index = last;
		model_clock_leave(prev);
		return;	/* each operation it ran was checked */
	}
	case OP_GMEM_PUNCH_HOLE:
	case OP_GMEM_CLOSE:
		gmem_op(o);
		break;
	}
	model_clock_leave(prev);
	if (checking(r))
		check_operation(&r->ora, o->kind != OP_RELEASE);
	if (checking(r))
		pfncache_check();
	if (checking(r))
		gmem_check();
}

void scenario_run(const struct scenario *s, const struct run_options *o, struct verdict *v, struct run_stats *st)
{
	static struct run r;
	static struct pfncache_host ph;
	static struct sched_host sh;
	static struct gmem_host gmh;
	static struct attributes_host ah;
	static struct fault_host fh;
	struct run_stats dummy = { 0 };
	struct vm_settings vs;
	struct ref_kernel rk;

	memset(&r, 0, offsetof(struct run, ref));
	memset(v, 0, sizeof(*v));
	v->op_index = -1;
	r.s = s;
	r.o = o;
	r.check = !o->oracle_off;
	r.mode = scenario_mode(s);
	r.v = v;
	r.st = st ? st : &dummy;
	decode_settings(s, &vs);
	r.kvm = adapter_create_vm(&vs);
	model_reset(r.kvm);
	model.bug_jump = &r.bug;
	model.schedule_hook = run_pending_end;
	model.schedule_ctx = &r;
	model.grace_period_hook = fault_grace_period;
	model.grace_period_ctx = NULL;
	adapter_reference_kernel(r.kvm, &rk);
	ref_init(&r.ref, &rk);
	oracle_init(&r.ora, r.kvm, &r.ref, o->gmem_only_check, r.mode, v);
	ph = (struct pfncache_host){ r.kvm, s, o->trace, r.check, v, &r, run_op_at, pfncache_inflight_covers,
				     pfncache_may_split };
	pfncache_begin(&ph);
	sh = (struct sched_host){ s, o->trace, &r, run_op_at, sched_stopped, sched_interruptible, sched_blocks };
	scheduler_begin(&sh);
	gmh = (struct gmem_host){ r.kvm, &r.ref, o->trace, r.check, v };
	gmem_ops_begin(&gmh);
	ah = (struct attributes_host){ r.kvm, &r.ref, v, r.check, o->trace };
	attributes_begin(&ah);
	fh = (struct fault_host){ r.kvm, &r.ref, &r.ora, v, r.st, r.check, o->trace };
	fault_ops_begin(&fh);

	bool jumped = false;

	if (setjmp(r.bug) == 0) {
		for (int i = 0; i < s->nr_ops && !v->violated; i = v->op_index + 1) {
			v->op_index = i;
			if (o->trace)	/* marks which operation the following trace lines belong to */
				printf("trace: op %d %s\n", i, scenario_op_name(s->ops[i].kind));
			run_op(&r, &s->ops[i]);
		}
		/* teardown: mm/ ends what it started, then the VM goes away */
		if (!v->violated)
			v->op_index = -1;
		/* what the incremental memslot checks owe (nothing can have changed without a request) */
		if (r.any_request && checking(&r))
			check_memslots(&r.ora, CHECK_END);
		/* after a violation too, if asked (the oracle is off then): the operation that violated returned */
		while ((!v->violated || o->teardown_after_violation) && r.ref.nr_inflight)
			invalidate_end(&r, r.ref.nr_inflight - 1);
	} else {
		jumped = true;
		if (r.check)
			check_model_error(&r.ora);
	}
	model.bug_jump = NULL;
	model.fail_alloc_at = 0;
	/* a BUG() left kernel code mid-way (locks held, half an update): leave the VM, the process aborts */
	if (v->violated && (jumped || !o->teardown_after_violation))
		return;
	pfncache_end();
	adapter_destroy_vm(r.kvm);
	if (!v->violated && r.check)
		check_leak(&r.ora);
	/* every operation returned and the VM went away: a fuzzer that records the finding may go on */
	v->torn_down = v->violated;
}

HARNESS_NO_COVERAGE_END
