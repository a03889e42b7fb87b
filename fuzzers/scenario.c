// SPDX-License-Identifier: GPL-2.0
/*
 * The driver: runs a scenario against the extracted kernel code. It plays mm/
 * (notifier events through the ops table), userspace (memslot ioctls,
 * guest_memfd creation) and the vCPUs (faults split into resolve and commit),
 * turning each operation into adapter calls, keeps the reference model
 * (reference.h) in step with what the operation means, and asks the oracle
 * (oracle.h) after each step. Bytes -> scenario is scenario_text.c's.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "attributes_ops.h"
#include "kvm_adapter.h"
#include "oracle.h"
#include "reference.h"
#include "pfncache_ops.h"
#include "scenario.h"
#include "scenario_layout.h"

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

static void do_memslot_request(struct run *r, const struct memslot_request *q)
{
	enum ref_change change;
	int expect = ref_expected(&r->ref, q, &change);
	unsigned int alloc_armed = model.fail_alloc_at, prepare_armed = model.fail_arch_prepare_at;
	int got, as = memslot_request_as(q);
	bool injected;

	r->st->memslot_requests++;
	r->any_request = true;
	got = adapter_set_memory_region(r->kvm, q);
	injected = (alloc_armed && !model.fail_alloc_at) || (prepare_armed && !model.fail_arch_prepare_at);
	if (r->o->trace)
		printf("trace: set_memory_region slot=%u:%u gpa=0x%" PRIx64 " size=0x%" PRIx64 " hva=0x%" PRIx64
		       " flags=0x%x guest_memfd=%u offset=0x%" PRIx64 "%s%s -> %d\n", q->slot >> 16, q->slot & 0xffff,
		       q->guest_phys_addr, q->memory_size, q->userspace_addr, q->flags, q->guest_memfd,
		       q->guest_memfd_offset, injected ? " injected" : "", r->ref.vm_dead ? " vm_dead" : "", got);
	if (injected && got < 0) {
		/* an injected failure fired: the request failed and was unwound; nothing may have changed */
		if (checking(r))
			check_memslots(&r->ora, as);
		return;
	}
	if (checking(r))
		check_request(&r->ora, q, got, expect, change);
	if (got != expect)
		return;	/* the reference cannot follow a kernel that broke the rules */
	ref_apply(&r->ref, q, change);
	if (!checking(r))
		return;
	if (!got && change != REF_NO_CHANGE && change != REF_DELETE)
		check_gmem_only_flag(&r->ora, as, memslot_request_id(q));
	if (!r->v->violated)
		check_memslots(&r->ora, got ? -1 : as);
}

static void request_for(const struct run *r, const struct op *o, struct memslot_request *q)
{
	int as = sc_as(o->a), id = sc_id(o->a);
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

static void invalidate_end(struct run *r, int k)
{
	struct ref_invalidation inv = r->ref.inflight[k];
	unsigned long seq = r->kvm->mmu_invalidate_seq;

	begin_event();
	adapter_invalidate_range_end(r->kvm, inv.start, inv.end, inv.blockable);
	inv = ref_invalidation_ended(&r->ref, k);
	r->st->notifier_events++;
	if (checking(r))
		check_callees(&r->ora, "invalidate_range_end", inv.start, inv.end);
	if (checking(r))
		check_invalidate_end(&r->ora, &inv, seq);
}

/* The cooperative scheduler: a memslot update waits; run the oldest pending end. */
static bool run_pending_end(void *ctx)
{
	struct run *r = ctx;

	if (!r->ref.nr_inflight)
		return false;
	invalidate_end(r, 0);
	return true;
}

static void invalidate_start(struct run *r, unsigned long start, unsigned long end, bool blockable)
{
	unsigned long flushes = model.tlb_flushes;

	if (ref_inflight_full(&r->ref))
		return;
	begin_event();
	adapter_invalidate_range_start(r->kvm, start, end, blockable);
	r->st->notifier_events++;
	/* the start found a slot iff it called a handler (on_lock runs with the first) */
	trace_calls(r, "invalidate_range_start");
	ref_invalidation_started(&r->ref, start, end, blockable, model.nr_calls > 0);
	if (checking(r))
		check_callees(&r->ora, "invalidate_range_start", start, end);
	if (checking(r))
		check_calls(&r->ora, "invalidate_range_start", start, end, HOOK_UNMAP_GFN_RANGE);
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
	unsigned long flushes = model.tlb_flushes;
	bool flush_on_young = false, ret;
	const char *name;

	begin_event();
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
	r->st->notifier_events++;
	trace_calls(r, name);
	if (checking(r))
		check_callees(&r->ora, name, start, end);
	if (checking(r))
		check_calls(&r->ora, name, start, end, kind == OP_TEST_YOUNG ? HOOK_TEST_AGE_GFN : HOOK_AGE_GFN);
	if (checking(r))
		check_aging(&r->ora, name, ret, flush_on_young, flushes);
}

static void change_pte(struct run *r, unsigned long addr)
{
	bool wrapped;
	unsigned long changed = model.spte_changed, reached = model.spte_reached;

	if (!kernel.change_pte)
		return;	/* .change_pte does not exist in this kernel: not applicable */
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

/* ---- vCPU faults ------------------------------------------------------------------------------ */

/*
 * The vCPU's memslot lookup is kernel code (__gfn_to_memslot: the last-used
 * cache, the gfn tree search): instrumented for the engines like the rest of
 * the kernel, and out of line, or inlining it into the uninstrumented harness
 * would drop its instrumentation.
 */
HARNESS_NO_COVERAGE_END
static noinline struct kvm_memory_slot *vcpu_gfn_to_memslot(struct kvm *kvm, int as_id, gfn_t gfn)
{
	return __gfn_to_memslot(__kvm_memslots(kvm, as_id), gfn);
}
HARNESS_NO_COVERAGE_BEGIN

static void fault_resolve(struct run *r, const struct op *o)
{
	int as = sc_as(o->a), id = sc_id(o->a);
	const struct ref_slot *rs = ref_slot(&r->ref, as, id);
	struct ref_fault f;
	struct kvm_memory_slot *slot;
	uint64_t gfn;
	int idx;

	/* a dead VM's vCPUs do not run (KVM_RUN returns -EIO) */
	if (r->ref.vm_dead || r->ref.nr_faults == REF_MAX_FAULTS || as >= r->ref.kernel.nr_as || !rs || !rs->used)
		return;
	gfn = rs->base_gfn + o->b % rs->npages;
	/* as the kernel's fault path: snapshot the sequence, then look the slot up */
	f.seq = r->kvm->mmu_invalidate_seq;
	smp_rmb();
	idx = srcu_read_lock(&r->kvm->srcu);
	slot = vcpu_gfn_to_memslot(r->kvm, as, gfn);
	if (checking(r))
		check_lookup(&r->ora, as, id, gfn, slot);
	if (slot && !(slot->flags & KVM_MEMSLOT_INVALID) && !attributes_fault_exits(slot, gfn)) {
		f.as_id = as;
		f.slot_id = slot->id;
		f.gfn = gfn;
		f.hva = __gfn_to_hva_memslot(slot, gfn);
		f.gmem_only = adapter_slot_is_gmem_only(slot);
		f.attr_raced = false;
		f.resolved_at = r->ref.serial;
		f.found_ends = r->ref.found_ends;
		f.epoch = r->ref.slots[as][slot->id < SC_NR_IDS ? slot->id : 0].epoch;
		ref_fault_add(&r->ref, &f);
	}
	srcu_read_unlock(&r->kvm->srcu, idx);
}

static void fault_commit(struct run *r, int k)
{
	struct ref_fault f;
	struct kvm_memory_slot *slot;
	bool retry = false, installed = false, dropped = true;
	int idx;

	if (!ref_fault_take(&r->ref, k, &f))
		return;
	idx = srcu_read_lock(&r->kvm->srcu);
	/*
	 * A vCPU holds SRCU from resolve to commit, so a delete or move of its slot
	 * waits for the fault and then zaps what it installed: the same end state
	 * as dropping the fault here.
	 */
	slot = vcpu_gfn_to_memslot(r->kvm, f.as_id, f.gfn);
	if (slot && slot->id == f.slot_id && ref_fault_slot_unchanged(&r->ref, &f) &&
	    !(slot->flags & KVM_MEMSLOT_INVALID)) {
		dropped = false;
		write_lock(&r->kvm->mmu_lock);
		retry = adapter_fault_must_retry(r->kvm, f.seq, f.gfn, f.hva);
		if (!retry)
			installed = model_map(f.as_id, f.slot_id, f.gfn, f.hva, f.gmem_only);
		write_unlock(&r->kvm->mmu_lock);
	}
	srcu_read_unlock(&r->kvm->srcu, idx);
	if (!dropped && checking(r))
		check_fault_progress(&r->ora, &f, retry);
	if (r->o->trace)
		printf("trace: fault_commit slot=%d:%d gfn=0x%" PRIx64 " %s\n", f.as_id, f.slot_id, f.gfn,
		       dropped ? "dropped (slot gone or changed)" : retry ? "retry" : installed ? "installed" : "already mapped");
	if (!installed)
		return;
	r->st->faults_installed++;
	if (checking(r))
		check_fault_commit(&r->ora, &f);
	attributes_check_fault(&f);
}

/* ---- running a scenario --------------------------------------------------------------------- */

/* ---- what the pfn-cache operations (pfncache_ops.c) borrow from the run ---------------- */

static void run_op(struct run *r, const struct op *o);

static void pfncache_run_op_at(void *ctx, int i)
{
	struct run *r = ctx;

	if (r->v->violated)
		return;
	r->v->op_index = i;
	if (r->o->trace)
		printf("trace: op %d %s\n", i, scenario_op_names[r->s->ops[i].kind]);
	run_op(r, &r->s->ops[i]);
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

	switch (o->kind) {
	case OP_CREATE:
	case OP_DELETE:
	case OP_MOVE:
	case OP_SET_FLAGS:
	case OP_RAW_REQUEST:
	case OP_GMEM_BIND:
	case OP_CREATE_EDGE:
		request_for(r, o, &q);
		do_memslot_request(r, &q);
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
		fault_resolve(r, o);
		break;
	case OP_FAULT_COMMIT:
		fault_commit(r, o->a);
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
	}
	if (checking(r))
		check_operation(&r->ora, o->kind != OP_RELEASE);
	if (checking(r))
		pfncache_check();
}

void scenario_run(const struct scenario *s, const struct run_options *o, struct verdict *v, struct run_stats *st)
{
	static struct run r;
	static struct pfncache_host ph;
	static struct attributes_host ah;
	struct run_stats dummy;
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
	adapter_reference_kernel(r.kvm, &rk);
	ref_init(&r.ref, &rk);
	oracle_init(&r.ora, r.kvm, &r.ref, o->gmem_only_check, r.mode, v);
	ph = (struct pfncache_host){ r.kvm, s, o->trace, r.check, v, &r, pfncache_run_op_at, pfncache_inflight_covers };
	pfncache_begin(&ph);
	ah = (struct attributes_host){ r.kvm, &r.ref, v, r.check, o->trace };
	attributes_begin(&ah);

	if (setjmp(r.bug) == 0) {
		for (int i = 0; i < s->nr_ops && !v->violated; i = v->op_index + 1) {
			v->op_index = i;
			if (o->trace)	/* marks which operation the following trace lines belong to */
				printf("trace: op %d %s\n", i, scenario_op_names[s->ops[i].kind]);
			run_op(&r, &s->ops[i]);
		}
		/* teardown: mm/ ends what it started, then the VM goes away */
		if (!v->violated)
			v->op_index = -1;
		/* what the incremental memslot checks owe (nothing can have changed without a request) */
		if (r.any_request && checking(&r))
			check_memslots(&r.ora, CHECK_END);
		while (!v->violated && r.ref.nr_inflight)
			invalidate_end(&r, r.ref.nr_inflight - 1);
	} else if (r.check) {
		check_model_error(&r.ora);
	}
	model.bug_jump = NULL;
	model.fail_alloc_at = 0;
	if (!v->violated)
		pfncache_end();
	if (!v->violated) {
		adapter_destroy_vm(r.kvm);
		if (r.check)
			check_leak(&r.ora);
	}
	/* after a violation, state may be inconsistent: leave the VM (the process aborts) */
}

HARNESS_NO_COVERAGE_END
