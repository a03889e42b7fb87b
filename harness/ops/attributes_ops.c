// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_SET_MEMORY_ATTRIBUTES and the property "attributes" (docs/oracle.md):
 *
 *   - the call returns what the kernel's own checks say (reference_attrs.c);
 *   - a call that changes attributes runs the pre hook (the zap) for every slot
 *     holding a gfn of the range, under mmu_lock, with the range already in
 *     progress and added to mmu_invalidate_range, then the post hook for the
 *     same slots; the zap's TLB flush happens iff a zap returned true; no
 *     mapping of a gfn whose attributes changed survives; the kernel's
 *     attributes then equal the reference's;
 *   - mmu_invalidate_in_progress and mn_active_invalidate_count end where they
 *     began (a change inside an hva invalidation leaves it balanced), and the
 *     invalidated range of an hva invalidation in flight does not shrink;
 *   - a vCPU fault that read mmu_invalidate_seq before a change of its gfn's
 *     attributes ended (the post hook's seq move, on the clock) never installs
 *     after the change (the kernel's retry check must refuse it).
 *
 * Speaks for every slot (ordinary and gmem-only: attributes are per gfn, not
 * per hva, so the first law says nothing here) on kernels with
 * CONFIG_KVM_GENERIC_MEMORY_ATTRIBUTES (x86 6.8+; 6.12, 7.2, 7.3).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "attributes_ops.h"
#include "family.h"
#include "scenario_layout.h"

HARNESS_NO_COVERAGE_BEGIN

static struct run *run;	/* the run this family acts on (family_begin) */


static bool attr_violate(const char *fmt, ...) __attribute__((__format__(printf, 1, 2)));
static bool attr_violate(const char *fmt, ...)
{
	char detail[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	violate(run->v, P_ATTRIBUTES, "%s", detail);
	return true;
}

/* The recorded calls of one hook against the reference's, each once; true if violated. */
static bool check_hook_calls(enum model_hook hook, uint64_t start, uint64_t end, uint64_t attributes,
			     long in_progress_before)
{
	struct ref_call exp[REF_MAX_CALLS];
	int nexp = ref_attr_expected_calls((&run->ref), start, end, exp);

	for (int i = 0; i < model.nr_calls; i++) {
		const struct model_handler_call *c = &model.calls[i];
		bool matched = false;

		if (c->hook != hook)
			continue;
		if (!c->mmu_lock_held)
			return attr_violate("%s ran without mmu_lock", model_hook_names[hook]);
		if (c->attributes != attributes)
			return attr_violate("%s was asked for attributes 0x%lx, the call set 0x%" PRIx64,
					    model_hook_names[hook], c->attributes, attributes);
		if (hook == HOOK_PRE_SET_ATTRIBUTES &&
		    (c->in_progress <= in_progress_before || c->range_start > c->start || c->range_end < c->end))
			return attr_violate("zap of gfn [0x%" PRIx64 ",0x%" PRIx64 ") (slot %d:%d) outside the invalidation: "
					    "mmu_invalidate_range [0x%" PRIx64 ",0x%" PRIx64 "), in progress %ld (%ld before "
					    "the call)", c->start, c->end, c->as_id, c->slot_id, c->range_start,
					    c->range_end, c->in_progress, in_progress_before);
		for (int j = 0; j < nexp && !matched; j++)
			if (!exp[j].seen && exp[j].as_id == c->as_id && exp[j].id == c->slot_id &&
			    exp[j].start == c->start && exp[j].end == c->end)
				exp[j].seen = matched = true;
		if (!matched)
			return attr_violate("attributes of gfn [0x%" PRIx64 ",0x%" PRIx64 "): unexpected %s(slot %d:%d, gfn "
					    "[0x%" PRIx64 ",0x%" PRIx64 "))", start, end, model_hook_names[hook], c->as_id,
					    c->slot_id, c->start, c->end);
	}
	for (int j = 0; j < nexp; j++)
		if (!exp[j].seen)
			return attr_violate("attributes of gfn [0x%" PRIx64 ",0x%" PRIx64 ") changed with no %s call for "
					    "slot %d:%d gfn [0x%" PRIx64 ",0x%" PRIx64 ")", start, end,
					    model_hook_names[hook], exp[j].as_id, exp[j].id, exp[j].start, exp[j].end);
	return false;
}

/* What a call that changed attributes must have done; true if violated. */
static bool check_change(uint64_t start, uint64_t end, uint64_t attributes, long in_progress_before,
			 unsigned long flushes_before)
{
	int last_pre = -1, first_post = model.nr_calls;
	bool zapped = false;

	/* what the change promises first: no mapping made under the old attributes is left */
	for (int i = 0; i < model.nr_maps; i++) {
		const struct model_mapping *m = &model.maps[i];

		if (m->gfn >= start && m->gfn < end && ref_attr_of((&run->ref), m->gfn) != attributes)
			return attr_violate("gfn 0x%" PRIx64 " (slot %d:%d) still mapped after its attributes changed "
					    "0x%" PRIx64 " -> 0x%" PRIx64, m->gfn, m->as_id, m->slot_id,
					    ref_attr_of((&run->ref), m->gfn), attributes);
	}
	if (model.calls_overflowed)
		return false;	/* more calls than the model records: nothing to compare */
	if (check_hook_calls(HOOK_PRE_SET_ATTRIBUTES, start, end, attributes, in_progress_before) ||
	    check_hook_calls(HOOK_POST_SET_ATTRIBUTES, start, end, attributes, in_progress_before))
		return true;
	for (int i = 0; i < model.nr_calls; i++) {
		if (model.calls[i].hook == HOOK_PRE_SET_ATTRIBUTES) {
			last_pre = i;
			zapped |= model.calls[i].ret;
		} else if (model.calls[i].hook == HOOK_POST_SET_ATTRIBUTES && first_post == model.nr_calls) {
			first_post = i;
		} else if (model.calls[i].hook != HOOK_POST_SET_ATTRIBUTES) {
			return attr_violate("KVM_SET_MEMORY_ATTRIBUTES called %s", model_hook_names[model.calls[i].hook]);
		}
	}
	if (last_pre > first_post)
		return attr_violate("a post hook ran before the last zap (calls %d and %d)", first_post, last_pre);
	/* the pre range's flush_on_ret: once iff a zap removed something */
	if (model.tlb_flushes - flushes_before != (zapped ? 1u : 0u))
		return attr_violate("the attribute change flushed TLBs %lu times, its zaps returned %d",
				    model.tlb_flushes - flushes_before, zapped);
	return false;
}

/* The kernel's attributes of [start, end) against the reference's after the call (at most 48 gfns). */
static bool check_stored(uint64_t start, uint64_t end, uint64_t want, bool changed)
{
	for (uint64_t gfn = start; gfn < end; gfn++) {
		uint64_t expect = changed ? want : ref_attr_of((&run->ref), gfn);
		uint64_t got = adapter_gfn_attributes(run->kvm, gfn);

		if (got != expect)
			return attr_violate("gfn 0x%" PRIx64 " has attributes 0x%" PRIx64 " after the call, expected 0x%" PRIx64,
					    gfn, got, expect);
	}
	return false;
}

void attributes_set(const struct op *o)
{
	struct kvm *kvm = run->kvm;
	struct ref_attr_request q = { .attributes = sc_attr_attributes(o->a), .flags = sc_attr_flags(o->a) };
	uint64_t start = 0, end = 0;
	long in_progress = kvm->mmu_invalidate_in_progress;
	unsigned long active = kvm->mn_active_invalidate_count, flushes = model.tlb_flushes;
	u64 range_start = kvm->mmu_invalidate_range_start, range_end = kvm->mmu_invalidate_range_end;
	unsigned int alloc_armed = model.fail_alloc_at;
	struct model_stamps st = { 0 }, *prev;
	bool change, injected;
	int expect, got;

	sc_attr_range(o->c, o->d, o->e, &q.address, &q.size);
	expect = ref_attr_expected((&run->ref), &q, &start, &end, &change);
	model.nr_calls = 0;
	prev = model_clock_enter(&st);
	got = adapter_set_memory_attributes(kvm, q.address, q.size, q.attributes, q.flags);
	model_clock_leave(prev);
	/* an injected allocation failure fired (xa_reserve()): the call fails having changed nothing */
	injected = alloc_armed && !model.fail_alloc_at;
	if (injected && got == -ENOMEM)
		change = false;
	if (run->o->trace) {
		printf("trace: set_memory_attributes address=0x%" PRIx64 " size=0x%" PRIx64 " attributes=0x%" PRIx64
		       " flags=0x%" PRIx64 "%s -> %d\n", q.address, q.size, q.attributes, q.flags,
		       injected ? " injected" : "", got);
		for (int i = 0; i < model.nr_calls; i++)
			printf("trace: attribute_hook %s slot=%d:%d gfn=[0x%" PRIx64 ",0x%" PRIx64 ")\n",
			       model_hook_names[model.calls[i].hook], model.calls[i].as_id, model.calls[i].slot_id,
			       model.calls[i].start, model.calls[i].end);
	}
	if (run->check && !run->v->violated) {
		if (got != expect && !(injected && got == -ENOMEM))
			attr_violate("KVM_SET_MEMORY_ATTRIBUTES address=0x%" PRIx64 " size=0x%" PRIx64 " attributes=0x%" PRIx64
				     " flags=0x%" PRIx64 " returned %d, the rules say %d", q.address, q.size, q.attributes,
				     q.flags, got, expect);
		else if (!change && model.nr_calls)
			attr_violate("KVM_SET_MEMORY_ATTRIBUTES changed nothing (returned %d) but called %s", got,
				     model_hook_names[model.calls[0].hook]);
		else if (!change && model.tlb_flushes != flushes)
			attr_violate("KVM_SET_MEMORY_ATTRIBUTES changed nothing but flushed TLBs");
		else if (change)
			check_change(start, end, q.attributes, in_progress, flushes);
		if (!run->v->violated && !got)
			check_stored(start, end, q.attributes, change);
		/* balanced whatever happened; an hva invalidation in flight keeps its range */
		if (!run->v->violated && (kvm->mmu_invalidate_in_progress != in_progress ||
					 kvm->mn_active_invalidate_count != active))
			attr_violate("mmu_invalidate_in_progress %ld -> %ld, mn_active_invalidate_count %lu -> %lu across "
				     "KVM_SET_MEMORY_ATTRIBUTES", in_progress, kvm->mmu_invalidate_in_progress, active,
				     kvm->mn_active_invalidate_count);
		if (!run->v->violated && in_progress > 0 &&
		    (kvm->mmu_invalidate_range_start > range_start || kvm->mmu_invalidate_range_end < range_end))
			attr_violate("mmu_invalidate_range [0x%" PRIx64 ",0x%" PRIx64 ") of the invalidation in flight became "
				     "[0x%" PRIx64 ",0x%" PRIx64 ") across KVM_SET_MEMORY_ATTRIBUTES", range_start, range_end,
				     kvm->mmu_invalidate_range_start, kvm->mmu_invalidate_range_end);
	}
	if (got == expect && !got && change)
		ref_attr_apply((&run->ref), start, end, q.attributes, st.end_at ? st.end_at : model_clock.now + 1);
}

bool attributes_fault_exits(struct kvm_memory_slot *slot, u64 gfn)
{
	return (adapter_gfn_attributes(run->kvm, gfn) & SC_ATTR_PRIVATE) && !adapter_slot_has_gmem(slot);
}

void attributes_check_fault(const struct ref_fault *f)
{
	if (run->check && !run->v->violated && ref_fault_raced_attrs((&run->ref), f))
		attr_violate("fault on gfn 0x%" PRIx64 " (slot %d:%d) resolved before its attributes changed (it read "
			     "mmu_invalidate_seq at clock %lu; 0x%" PRIx64 " then, 0x%" PRIx64 " now) was installed after the change",
			     f->gfn, f->as_id, f->slot_id, f->read_at, f->attrs_at_read, ref_attr_of((&run->ref), f->gfn));
}

/* ---- the family (family.h) ---- */

static void family_begin(struct run *r)
{
	run = r;
}

int attributes_family_run(struct run *r, int index, const struct op *o)
{
	(void)r;
	attributes_set(o);
	return index;
}

const struct op_family attributes_family = { .begin = family_begin, .run = attributes_family_run };

HARNESS_NO_COVERAGE_END
