// SPDX-License-Identifier: GPL-2.0
/*
 * The memslot family: userspace's memslot ioctls (create, delete, move,
 * set_flags, raw values, a guest_memfd binding, boundary values), x86's own
 * memslots through the kernel's internal path, and the failures injected into
 * what a request allocates or prepares. Each request runs through the real
 * kvm_vm_ioctl_set_memory_region() (or kvm_set_internal_memslot()); the
 * reference says what it must return and what it changes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "family.h"
#include "scenario_layout.h"

HARNESS_NO_COVERAGE_BEGIN

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

int memslot_family_run(struct run *r, int index, const struct op *o)
{
	struct memslot_request q;

	switch (o->kind) {
	case OP_INTERNAL_MEMSLOT:
		internal_memslot(r, o);
		break;
	case OP_INJECT:
		if (sc_inject_arch(o->a)) {
			model.fail_arch_prepare_at = sc_inject_at(o->b);
			model.arch_prepare_errno = sc_inject_efault(o->c) ? EFAULT : ENOMEM;
		} else {
			model.fail_alloc_at = sc_inject_at(o->b);
		}
		break;
	default:	/* the ioctl's requests */
		request_for(r, o, &q);
		do_memslot_request(r, &q, false);
		break;
	}
	return index;
}

const struct op_family memslot_family = { .run = memslot_family_run };

HARNESS_NO_COVERAGE_END
