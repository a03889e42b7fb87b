// SPDX-License-Identifier: GPL-2.0
/*
 * The reference model's memory attributes (reference.h): what
 * KVM_SET_MEMORY_ATTRIBUTES must return, read off kvm_vm_ioctl() and
 * kvm_vm_ioctl_set_mem_attributes(), which slots kvm_handle_gfn_range() must
 * call its hooks for, and each gfn's attributes afterwards. Kernel-free.
 */
#include <errno.h>
#include <string.h>

#include "reference.h"

HARNESS_NO_COVERAGE_BEGIN

uint64_t ref_attr_of(const struct reference *ref, uint64_t gfn)
{
	for (int i = 0; i < ref->attrs.nr; i++)
		if (gfn >= ref->attrs.ranges[i].start && gfn < ref->attrs.ranges[i].end)
			return ref->attrs.ranges[i].value;
	return 0;
}

/* Does any gfn of [start, end) have attributes other than value? */
static bool ref_attr_differs(const struct reference *ref, uint64_t start, uint64_t end, uint64_t value)
{
	uint64_t covered = 0;

	for (int i = 0; i < ref->attrs.nr; i++) {
		const struct ref_attr_range *r = &ref->attrs.ranges[i];
		uint64_t s = r->start > start ? r->start : start, e = r->end < end ? r->end : end;

		if (s >= e)
			continue;
		if (r->value != value)
			return true;
		covered += e - s;
	}
	/* the gfns no range covers have none */
	return value && covered != end - start;
}

int ref_attr_expected(const struct reference *ref, const struct ref_attr_request *q, uint64_t *start, uint64_t *end,
		      bool *change)
{
	*change = false;
	if (ref->vm_dead)
		return -EIO;	/* kvm_vm_ioctl() refuses a dead VM before it looks at the ioctl */
	if (!ref->kernel.attributes)
		return -ENOTTY;	/* no such VM ioctl: kvm_arch_vm_ioctl()'s answer */
	/* kvm_vm_ioctl_set_mem_attributes(), in its order */
	if (q->flags || (q->attributes & ~ref->kernel.attr_supported))
		return -EINVAL;
	if (!q->size || q->address + q->size < q->address)
		return -EINVAL;
	if ((q->address & (SC_PAGE - 1)) || (q->size & (SC_PAGE - 1)))
		return -EINVAL;
	*start = q->address / SC_PAGE;
	*end = (q->address + q->size) / SC_PAGE;
	/* "nothing to do if the entire range has the desired attributes" */
	*change = ref_attr_differs(ref, *start, *end, q->attributes);
	return 0;
}

/* Every slot that holds a gfn of [start, end), once per address space, clipped to the slot. */
int ref_attr_expected_calls(const struct reference *ref, uint64_t start, uint64_t end, struct ref_call *out)
{
	int n = 0;

	for (int as = 0; as < ref->kernel.nr_as && as < SC_MAX_AS; as++) {
		for (int i = 0; i < SC_NR_SLOT_IDS; i++) {
			const struct ref_slot *rs = &ref->slots[as][i];
			uint64_t s, e;

			if (!rs->used)
				continue;
			s = start > rs->base_gfn ? start : rs->base_gfn;
			e = end < rs->base_gfn + rs->npages ? end : rs->base_gfn + rs->npages;
			if (s < e)
				out[n++] = (struct ref_call){ as, (int)ref_slot_id(ref, i), s, e, rs->gmem_only, false };
		}
	}
	return n;
}

bool ref_fault_raced_attrs(const struct reference *ref, const struct ref_fault *f)
{
	/* a change of its gfn to attributes other than those it read, ended after it read the sequence */
	for (int i = 0; i < ref->nr_attr_changes; i++) {
		const struct ref_attr_change *c = &ref->attr_changes[i];

		if (f->gfn >= c->start && f->gfn < c->end && c->value != f->attrs_at_read && c->ended_at > f->read_at)
			return true;
	}
	return false;
}

void ref_attr_apply(struct reference *ref, uint64_t start, uint64_t end, uint64_t attributes, unsigned long ended_at)
{
	struct ref_attributes *a = &ref->attrs;
	struct ref_call calls[REF_MAX_CALLS];

	/* vCPU faults that read the sequence before it ended must retry (kvm_mmu_invalidate_end() bumps it) */
	if (ref->nr_attr_changes < REF_MAX_HISTORY)
		ref->attr_changes[ref->nr_attr_changes++] = (struct ref_attr_change){ start, end, attributes, ended_at };
	/* the post hook's walk found a slot: its on_lock, kvm_mmu_invalidate_end(), advanced the sequence */
	if (ref_attr_expected_calls(ref, start, end, calls)) {
		ref->found_ends++;
		if (ended_at > ref->last_end_at)
			ref->last_end_at = ended_at;
	}
	for (int i = 0; i < a->nr; i++) {
		struct ref_attr_range r = a->ranges[i];

		if (r.end <= start || r.start >= end)
			continue;
		a->ranges[i] = a->ranges[--a->nr];
		i--;
		/* keep the parts outside [start, end) */
		if (r.start < start)
			a->ranges[a->nr++] = (struct ref_attr_range){ r.start, start, r.value };
		if (r.end > end && a->nr < REF_MAX_ATTR_RANGES)
			a->ranges[a->nr++] = (struct ref_attr_range){ end, r.end, r.value };
	}
	if (attributes && a->nr < REF_MAX_ATTR_RANGES)
		a->ranges[a->nr++] = (struct ref_attr_range){ start, end, attributes };
}

HARNESS_NO_COVERAGE_END
