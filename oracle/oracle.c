// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle's checks (oracle.h). Each compares what the kernel did -- its
 * state, read only, and the handler calls, locks and WARNs the models recorded
 * -- with the reference model, and names the property a difference violates
 * (README: The oracle says which slots and kernels each property speaks for).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "oracle.h"

HARNESS_NO_COVERAGE_BEGIN

/* the byte layout speaks uapi and x86 values without kernel headers: keep them equal */
_Static_assert(SC_PAGE == PAGE_SIZE, "page size");
_Static_assert(SC_MEM_LOG_DIRTY_PAGES == KVM_MEM_LOG_DIRTY_PAGES && SC_MEM_READONLY == KVM_MEM_READONLY, "memslot flags");

void oracle_init(struct oracle *ora, const struct kvm *kvm, const struct reference *ref,
		 bool gmem_only_check, enum scenario_mode mode, struct verdict *v)
{
	ora->kvm = kvm;
	ora->ref = ref;
	ora->gmem_only_check = gmem_only_check;
	ora->mode = mode;
	ora->v = v;
	oracle_memslots_init(ora);
}

/* ---- after every operation ------------------------------------------------------------ */

/* kernel warning: no WARN/BUG in kernel code on a sequence mm/ and userspace can issue (every kernel, every slot) */
void check_warnings(struct oracle *ora)
{
	if (model.model_error_kind != MODEL_ERROR_NONE) {
		violate(ora->v, P_LOCK_ACCOUNTING, "%s", model.model_error);
		return;
	}
	if (model.nr_warnings) {
		if (ora->mode != MODE_LEGAL)
			return;	/* the expected outcome of a sequence mm/ never issues (6.1's change_pte WARNs unwrapped) */
		violate(ora->v, P_KERNEL_WARNING, "WARN in %s at %s:%d: %s", model.warnings[0].func,
			model.warnings[0].file, model.warnings[0].line, model.warnings[0].cond);
	}
}

/* A BUG() (kernel warning) or a wait nothing could end (lock and accounting) stopped the run. */
void check_model_error(struct oracle *ora)
{
	violate(ora->v, model.model_error_kind == MODEL_ERROR_BUG ? P_KERNEL_WARNING : P_LOCK_ACCOUNTING,
		"%s", model.model_error);
}

/*
 * lock and accounting (every kernel): mmu_invalidate_in_progress counts the
 * starts in flight that found a slot, mn_active_invalidate_count all starts in
 * flight; no lock or SRCU section is left open between operations.
 */
void check_accounting(struct oracle *ora)
{
	/* an mm event in the middle of its call (another CPU's) counts as far as its moments on the clock go */
	long expect = ref_in_progress_now(ora->ref), in_progress = ora->kvm->mmu_invalidate_in_progress;
	long active = (long)ora->kvm->mn_active_invalidate_count, expect_active = ref_active_now(ora->ref);
	const char *mid = ora->ref->nr_mid ? " (with the starts and ends still in their call)" : "";

	if (in_progress != expect)
		violate(ora->v, P_LOCK_ACCOUNTING, "mmu_invalidate_in_progress is %ld, expected %ld%s", in_progress, expect, mid);
	else if (active != expect_active)
		violate(ora->v, P_LOCK_ACCOUNTING, "mn_active_invalidate_count is %ld, expected %ld%s", active, expect_active, mid);
	else if (model.locks_held)
		violate(ora->v, P_LOCK_ACCOUNTING, "%d lock(s) still held after the operation", model.locks_held);
	else if (ora->kvm->srcu.readers)
		violate(ora->v, P_LOCK_ACCOUNTING, "SRCU read section left open (%d)", ora->kvm->srcu.readers);
}

/*
 * notifier safety (ordinary slots, every kernel, either first-law setting): no
 * mapping may cover a page of an invalidation in progress. A gmem-only slot's
 * memory is guest_memfd's, so an hva invalidation says nothing about it.
 */
void check_notifier_safety(struct oracle *ora)
{
	const struct reference *ref = ora->ref;

	for (int i = 0; i < model.nr_maps; i++) {
		const struct model_mapping *m = &model.maps[i];

		if (m->gmem_only)
			continue;
		for (int k = 0; k < ref->nr_inflight; k++) {
			const struct ref_invalidation *inv = &ref->inflight[k];

			if (inv->mm_issued && m->hva >= (inv->start & PAGE_MASK) && m->hva < inv->end) {
				violate(ora->v, P_NOTIFIER_SAFETY, "gfn 0x%" PRIx64 " (hva 0x%lx, slot %d:%d) still mapped "
					"during invalidation [0x%" PRIx64 ",0x%" PRIx64 ")", m->gfn, m->hva, m->as_id,
					m->slot_id, inv->start, inv->end);
				return;
			}
		}
	}
}

/* The checks after every operation, in one call (notifier safety not after a release, which ends the mm). */
void check_operation(struct oracle *ora, bool notifier_safety)
{
	check_warnings(ora);
	if (!ora->v->violated)
		check_accounting(ora);
	if (!ora->v->violated && notifier_safety)
		check_notifier_safety(ora);
}

/* ---- hva notifier events ----------------------------------------------------------------- */

/*
 * The recorded handler calls of one event against the reference:
 * callee role (every kernel): each call is the event's handler;
 * gmem-only untouched (the first law; kernels with KVM_MEMSLOT_GMEM_ONLY): no call for a gmem-only slot
 *   (with the law off, nothing is said about gmem-only slots);
 * exact ranges (every kernel): the reference's calls exactly, the hook of the event, and on kernels
 *   with an attr_filter the shared-only one;
 * lock and accounting: under mmu_lock, and an unmap inside mmu_invalidate_range while one is in progress.
 */
void check_calls(struct oracle *ora, const char *event, unsigned long start, unsigned long end, enum model_hook hook)
{
	struct ref_call exp[REF_MAX_CALLS];
	int nexp = ref_expected_calls(ora->ref, start, end, exp);

	for (int i = 0; i < model.nr_calls; i++) {
		const struct model_handler_call *c = &model.calls[i];
		bool matched = false;

		if (c->hook != hook) {
			violate(ora->v, P_CALLEE_ROLE, "%s called %s, not the handler its range table names (%s)",
				event, model_hook_names[c->hook], model_hook_names[hook]);
			return;
		}
		if (kernel.memslot_gmem_only && (c->slot_flags & kernel.memslot_gmem_only)) {
			if (ora->gmem_only_check) {
				violate(ora->v, P_GMEM_ONLY_UNTOUCHED, "%s called %s for gmem-only slot %d:%d gfn [0x%" PRIx64
					",0x%" PRIx64 ")", event, model_hook_names[c->hook], c->as_id, c->slot_id,
					c->start, c->end);
				return;
			}
			continue;	/* law off: no statement about the hva side of a gmem-only slot */
		}
		if (kernel.hva_attr_filter && c->attr_filter != kernel.hva_attr_filter) {
			/* hva-based events concern shared memory only: private gfns are guest_memfd's */
			violate(ora->v, P_EXACT_RANGES, "%s passed attr_filter 0x%x to %s, not shared-only 0x%x", event,
				c->attr_filter, model_hook_names[c->hook], kernel.hva_attr_filter);
			return;
		}
		if (!c->mmu_lock_held) {
			violate(ora->v, P_LOCK_ACCOUNTING, "%s: %s ran without mmu_lock", event, model_hook_names[c->hook]);
			return;
		}
		/* in progress relative to the counter's accepted offset (reference.h: in_progress_offset) */
		if (hook == HOOK_UNMAP_GFN_RANGE &&
		    (c->in_progress - ora->ref->in_progress_offset <= 0 ||
		     (kernel.invalidate_range_is_hva ? (c->range_start > start || c->range_end < end)
						     : (c->range_start > c->start || c->range_end < c->end)))) {
			violate(ora->v, P_LOCK_ACCOUNTING, "%s: unmap of gfn [0x%" PRIx64 ",0x%" PRIx64
				") outside mmu_invalidate_range [0x%" PRIx64 ",0x%" PRIx64 ") (in progress %ld)",
				event, c->start, c->end, c->range_start, c->range_end, c->in_progress);
			return;
		}
		if (ora->ref->slots_in_flux)
			continue;	/* the old memslots or the new ones: the ranges are not the reference's */
		for (int j = 0; j < nexp; j++) {
			if (!exp[j].seen && exp[j].as_id == c->as_id && exp[j].id == c->slot_id &&
			    exp[j].start == c->start && exp[j].end == c->end) {
				exp[j].seen = matched = true;
				break;
			}
		}
		if (!matched) {
			violate(ora->v, P_EXACT_RANGES, "%s over hva [0x%lx,0x%lx): unexpected %s(slot %d:%d, gfn [0x%" PRIx64
				",0x%" PRIx64 "))", event, start, end, model_hook_names[c->hook], c->as_id, c->slot_id,
				c->start, c->end);
			return;
		}
	}
	for (int j = 0; j < nexp && !ora->ref->slots_in_flux; j++) {
		/* a gmem-only slot must not be called (first law); with the law off, either way */
		if (exp[j].seen || exp[j].gmem_only)
			continue;
		violate(ora->v, P_EXACT_RANGES, "%s over hva [0x%lx,0x%lx): no handler call for slot %d:%d gfn [0x%" PRIx64
			",0x%" PRIx64 ")", event, start, end, exp[j].as_id, exp[j].id, exp[j].start, exp[j].end);
		return;
	}
}

static bool any_handler_returned_true(void)
{
	bool any = false;

	for (int i = 0; i < model.nr_calls; i++)
		any |= model.calls[i].ret;
	return any;
}

/* lock and accounting (every kernel): invalidate_range_start flushes TLBs once iff a handler returned true */
void check_start_flush(struct oracle *ora, unsigned long flushes_before)
{
	bool any_ret = any_handler_returned_true();

	if (model.tlb_flushes - flushes_before != (any_ret ? 1u : 0u))
		violate(ora->v, P_LOCK_ACCOUNTING, "invalidate_range_start flushed TLBs %lu times, handlers returned %d",
			model.tlb_flushes - flushes_before, any_ret);
}

/*
 * exact ranges: an aging event returns whether a handler found a young mapping;
 * lock and accounting: it flushes TLBs once iff it flushes on young
 * (clear_flush_young where the kernel does not elide that flush) and one was.
 */
void check_aging(struct oracle *ora, const char *event, bool ret, bool flush_on_young, unsigned long flushes_before)
{
	bool any_ret = any_handler_returned_true();

	if (ret != any_ret)
		violate(ora->v, P_EXACT_RANGES, "%s returned %d, its handlers %d", event, ret, any_ret);
	else if (model.tlb_flushes - flushes_before != ((flush_on_young && any_ret) ? 1u : 0u))
		violate(ora->v, P_LOCK_ACCOUNTING, "%s flushed TLBs %lu times (flush_on_ret %d, young %d)",
			event, model.tlb_flushes - flushes_before, flush_on_young, any_ret);
}

/*
 * The range tables' "no callback" sentinel is compared, never called: a call
 * is a kernel bug whatever the event (callee role, every kernel and slot; 6.1's
 * invalidate_range_end with slots in both address spaces, before c3f3edf73a8f).
 */
void check_callees(struct oracle *ora, const char *event, unsigned long start, unsigned long end)
{
	char where[64] = "";
	int n = 0;

	if (!model.null_fn_calls)
		return;
	for (int as = 0; as < ora->ref->kernel.nr_as; as++)
		if (ref_as_meets(ora->ref, as, start, end))
			n += snprintf(where + n, sizeof(where) - n, "%s%d", n ? " and " : "", as);
	violate(ora->v, P_CALLEE_ROLE, "%s called kvm_null_fn, the range tables' no-callback sentinel, as a handler "
		"(%lu call(s)); hva [0x%lx,0x%lx) meets slots in address space%s %s", event, model.null_fn_calls,
		start, end, strchr(where, ' ') ? "s" : "", n ? where : "none");
}

/*
 * callee role: invalidate_range_end calls no handler; lock and accounting:
 * mmu_invalidate_seq advances once at an end whose start found a slot, else not.
 */
void check_invalidate_end(struct oracle *ora, const struct ref_invalidation *inv, unsigned long seq_before)
{
	if (model.nr_calls)
		violate(ora->v, P_CALLEE_ROLE, "invalidate_range_end called a handler");
	else if (ora->kvm->mmu_invalidate_seq != seq_before + (inv->found ? 1 : 0))
		violate(ora->v, P_LOCK_ACCOUNTING, "mmu_invalidate_seq went 0x%lx -> 0x%lx at an end whose start %s a slot",
			seq_before, ora->kvm->mmu_invalidate_seq, inv->found ? "found" : "found no");
}

/*
 * lock and accounting, mode illegal on kernels that harden against an
 * unpaired end: mn_active_invalidate_count stays at zero, and an end that took
 * mmu_invalidate_in_progress down (it found a slot) marked the VM bugged.
 */
void check_unpaired_end(struct oracle *ora, long in_progress_before)
{
	const struct kvm *kvm = ora->kvm;

	if ((kvm->mmu_invalidate_in_progress < in_progress_before && !kvm->vm_bugged) ||
	    kvm->mmu_invalidate_in_progress > in_progress_before ||
	    kvm->mmu_invalidate_in_progress < in_progress_before - 1 || (long)kvm->mn_active_invalidate_count < 0)
		violate(ora->v, P_LOCK_ACCOUNTING, "unpaired invalidate_range_end took in_progress %ld -> %ld "
			"(VM bugged: %d), active count %ld", in_progress_before, kvm->mmu_invalidate_in_progress,
			kvm->vm_bugged, (long)kvm->mn_active_invalidate_count);
}

/* change_pte changes nothing (kernels with .change_pte): inside an invalidation it changes no mapping */
void check_change_pte(struct oracle *ora, unsigned long addr, unsigned long changed_before)
{
	if (model.spte_changed != changed_before)
		violate(ora->v, P_CHANGE_PTE, "change_pte at 0x%lx inside an invalidation changed a mapping", addr);
}

/* notifier safety (every kernel): release unmaps everything */
void check_release(struct oracle *ora)
{
	if (model.nr_maps)
		violate(ora->v, P_NOTIFIER_SAFETY, "%d mappings survived release", model.nr_maps);
}

/* ---- memslot requests ----------------------------------------------------------------------- */

/* memslot structure (every kernel): a request returns what the rules say */
void check_request(struct oracle *ora, const struct memslot_request *q, bool internal, int got, int expect,
		   enum ref_change change)
{
	if (got != expect) {
		uint32_t id = (uint32_t)memslot_request_id(q), user = ora->ref->kernel.user_mem_slots;
		char where[40] = "";

		/* the id as the kernel has it; one near the limit also relative to it */
		const struct ref_kernel *k = &ora->ref->kernel;
		/* a taken guest_memfd range: the uAPI's errno comes from the version (uapi.h), say which */
		bool taken = k->mem_guest_memfd && (q->flags & k->mem_guest_memfd) && expect == k->gmem_taken_binding_errno;

		if (id >= SC_NR_IDS)
			snprintf(where, sizeof(where), " (KVM_USER_MEM_SLOTS%+d)", (int)(id - user));
		violate(ora->v, P_MEMSLOT_STRUCTURE, "%s slot=%d:%u%s flags=0x%x gpa=0x%" PRIx64 " size=0x%" PRIx64
			" hva=0x%" PRIx64 " guest_memfd=%u offset=0x%" PRIx64 " returned %d, the rules say %d%s%s%s%s%s",
			internal ? "internal memslot request" : "request", memslot_request_as(q), id, where, q->flags,
			q->guest_phys_addr, q->memory_size, q->userspace_addr, q->guest_memfd, q->guest_memfd_offset,
			got, expect, taken ? " (the uAPI of " : "", taken ? k->version : "",
			taken ? " for a guest_memfd range another slot binds: " : "", taken ? k->gmem_taken_binding_why : "",
			taken ? ")" : "");
		return;
	}
	if (!got && change != REF_NO_CHANGE && !ref_slot(ora->ref, memslot_request_as(q), memslot_request_id(q)))
		/* the layout cannot make such a request succeed; say so if it ever does */
		violate(ora->v, P_MEMSLOT_STRUCTURE, "request for slot %d:%d succeeded outside the reference's ids",
			memslot_request_as(q), memslot_request_id(q));
}

/* memslot structure (kernels with KVM_MEMSLOT_GMEM_ONLY): the kernel's own verdict on a slot agrees with the rule */
void check_gmem_only_flag(struct oracle *ora, int as, int id)
{
	const struct ref_slot *rs = ref_slot(ora->ref, as, id);
	/* id_to_memslot() only reads; the kernel's prototype lacks the const */
	struct kvm_memory_slot *ms = id_to_memslot(__kvm_memslots((struct kvm *)ora->kvm, as), id);

	if (rs && ms && adapter_slot_is_gmem_only(ms) != rs->gmem_only)
		violate(ora->v, P_MEMSLOT_STRUCTURE, "slot %d:%d: KVM_MEMSLOT_GMEM_ONLY is %d, the rule says %d",
			as, id, adapter_slot_is_gmem_only(ms), rs->gmem_only);
}

/* memslot structure: guest_memfd creation returns what the rules say */
void check_gmem_create(struct oracle *ora, u64 size, u64 flags, int got, int expect)
{
	if (got != expect)
		violate(ora->v, P_MEMSLOT_STRUCTURE, "guest_memfd create size=0x%" PRIx64 " flags=0x%" PRIx64
			" returned %d, the rules say %d", size, flags, got, expect);
}

/* ---- vCPU faults ------------------------------------------------------------------------------ */

/* Does an invalidation of [start, end) (as notifier safety reads ranges) cover hva? */
static bool covers(uint64_t start, uint64_t end, uint64_t hva)
{
	return hva >= (start & PAGE_MASK) && hva < end;
}

/*
 * notifier safety (every kernel): a fault the kernel let install is on a slot
 * that still holds its gfn, and (ordinary slots) no invalidation of its hva
 * began (its start returned) or ended after the fault read mmu_invalidate_seq
 * -- on the clock: the start's on_lock or the end's seq move against the vCPU's read (the kernel's
 * retry check must have refused it: the count in progress, or the moved
 * sequence). One in flight now is check_notifier_safety()'s.
 */
void check_fault_commit(struct oracle *ora, const struct ref_fault *f)
{
	const struct reference *ref = ora->ref;
	const struct ref_slot *rs = ref_slot(ref, f->as_id, f->slot_id);
	int n = ref->nr_mid < REF_MAX_MID ? ref->nr_mid : REF_MAX_MID;

	if (!rs || !rs->used || f->gfn < rs->base_gfn || f->gfn >= rs->base_gfn + rs->npages) {
		violate(ora->v, P_NOTIFIER_SAFETY, "fault on gfn 0x%" PRIx64 " installed for a deleted or moved slot %d:%d",
			f->gfn, f->as_id, f->slot_id);
		return;
	}
	if (f->gmem_only)
		return;	/* an hva invalidation says nothing about guest_memfd memory (either law setting) */
	for (int i = 0; i < ref->nr_starts; i++) {
		const struct ref_start *s = &ref->starts[i];
		unsigned long last = s->ended_at ? s->ended_at : s->begun_at;

		if (last > f->read_at && covers(s->start, s->end, f->hva)) {
			violate(ora->v, P_NOTIFIER_SAFETY, "fault on gfn 0x%" PRIx64 " resolved (clock %lu) before the invalidation "
				"of [0x%" PRIx64 ",0x%" PRIx64 ") %s (clock %lu) was installed after it", f->gfn, f->read_at,
				s->start, s->end, s->ended_at ? "ended" : "began", last);
			return;
		}
	}
	/*
	 * The ends still inside their call (another CPU's, around this window):
	 * their seq move is as binding. A start still inside its call is not yet:
	 * its on_lock comes before it unmaps the fault's gfn, and what a fault
	 * installs before that unmap the unmap removes (the lock break of the arch
	 * unmap lets a vCPU in between); once the start returns, it is in starts[].
	 */
	for (int i = 0; i < n; i++) {
		const struct ref_mid *m = &ref->mid[i];

		if (m->is_end && m->inv.mm_issued && m->st->end_at > f->read_at && covers(m->inv.start, m->inv.end, f->hva)) {
			violate(ora->v, P_NOTIFIER_SAFETY, "fault on gfn 0x%" PRIx64 " resolved (clock %lu) before the invalidation "
				"of [0x%" PRIx64 ",0x%" PRIx64 ") ended (clock %lu) was installed after it", f->gfn, f->read_at,
				m->inv.start, m->inv.end, m->st->end_at);
			return;
		}
	}
}

/*
 * notifier safety (every kernel and slot): a delete or move zaps what the old
 * slot mapped (kvm_arch_flush_shadow_memslot, after the grace period that the
 * vCPUs' faults on it end in), so no mapping outlives the slot that held its
 * gfn at its hva. After every memslot request that changed something.
 */
void check_mappings_have_slots(struct oracle *ora)
{
	for (int i = 0; i < model.nr_maps; i++) {
		const struct model_mapping *m = &model.maps[i];
		const struct ref_slot *rs = ref_slot(ora->ref, m->as_id, m->slot_id);

		if (rs && rs->used && m->gfn >= rs->base_gfn && m->gfn < rs->base_gfn + rs->npages &&
		    m->hva == rs->hva + (m->gfn - rs->base_gfn) * PAGE_SIZE)
			continue;
		violate(ora->v, P_NOTIFIER_SAFETY, "gfn 0x%" PRIx64 " (hva 0x%lx) of slot %d:%d is still mapped after the "
			"slot %s", m->gfn, m->hva, m->as_id, m->slot_id, rs && rs->used ? "moved" : "was deleted");
		return;
	}
}

/*
 * progress (every kernel and slot): the kernel's retry check holds a fault back
 * only while an invalidation that found a slot is in flight or one has ended
 * since the fault read mmu_invalidate_seq; otherwise the fault must install. A
 * kernel that made every fault retry would pass every safety property.
 */
void check_fault_progress(struct oracle *ora, const struct ref_fault *f, bool retry)
{
	const struct reference *ref = ora->ref;

	/* on the clock (reference.h: ref_retry_allowed), the mm calls still running included */
	if (!retry || ref->vm_dead || ref->in_progress_offset || ref_retry_allowed(ref, f))
		return;
	violate(ora->v, P_PROGRESS, "fault on gfn 0x%" PRIx64 " (slot %d:%d) told to retry with no invalidation in flight "
		"or ended since it read mmu_invalidate_seq (0x%lx at clock %lu, 0x%lx now; the last end at clock %lu)",
		f->gfn, f->as_id, f->slot_id, f->seq, f->read_at, ora->kvm->mmu_invalidate_seq, ref->last_end_at);
}

/* progress (every kernel): the vCPU's memslot lookup finds a slot the reference has, for each of its gfns */
void check_lookup(struct oracle *ora, int as, int id, uint64_t gfn, const struct kvm_memory_slot *found)
{
	if (ora->ref->slots_in_flux)
		return;	/* a memslot update between its swaps: the slot may be invalid or moved already */
	if (!found || found->id != id || (found->flags & KVM_MEMSLOT_INVALID))
		violate(ora->v, P_PROGRESS, "__gfn_to_memslot(as %d, gfn 0x%" PRIx64 ") %s, the slot %d:%d holds it", as, gfn,
			!found ? "found no slot" : (found->flags & KVM_MEMSLOT_INVALID) ? "found it invalid" : "found another slot",
			as, id);
}

/* leak (every kernel): VM teardown frees every kernel allocation */
void check_leak(struct oracle *ora)
{
	if (model_live_allocations())
		violate(ora->v, P_LEAK, "%ld kernel allocations not freed at VM teardown", model_live_allocations());
}

HARNESS_NO_COVERAGE_END
