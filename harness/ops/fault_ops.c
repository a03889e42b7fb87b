// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPUs' faults (fault_ops.h). The harness plays the arch fault path, so
 * it stamps that code's moments on the clock itself (shims/model_clock.h):
 * the read of mmu_invalidate_seq and the retry check. What the properties
 * compare in time is those numbers (reference.h), never the operations'
 * order: a window at the resolve's srcu_read_lock runs after the read.
 */
#include <inttypes.h>
#include <stdio.h>

#include "attributes_ops.h"
#include "family.h"
#include "fault_ops.h"
#include "gmem_ops.h"

HARNESS_NO_COVERAGE_BEGIN

static struct run *run;	/* the run this family acts on (family_begin) */


/* the oracle runs, and nothing is violated yet */
static bool fault_checking(void)
{
	return run->check && !run->v->violated;
}

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

void fault_resolve(const struct op *o)
{
	struct reference *ref = (&run->ref);
	struct kvm *kvm = run->kvm;
	int as = sc_as(o->a), id = (int)sc_id(o->a, ref->kernel.user_mem_slots);
	const struct ref_slot *rs = ref_slot(ref, as, id);
	struct model_stamps st = { 0 }, *prev;
	struct ref_fault f;
	struct kvm_memory_slot *slot;
	uint64_t gfn;
	int idx;

	/* a dead VM's vCPUs do not run (KVM_RUN returns -EIO) */
	if (ref->vm_dead || ref->nr_faults == REF_MAX_FAULTS || as >= ref->kernel.nr_as || !rs || !rs->used)
		return;
	gfn = rs->base_gfn + o->b % rs->npages;
	prev = model_clock_enter(&st);
	/* as the kernel's fault path: read the sequence, then look the slot up */
	f.seq = kvm->mmu_invalidate_seq;
	f.read_at = model_clock_event(EV_SEQ_READ, (long)f.seq);
	f.attrs_at_read = ref_attr_of(ref, gfn);
	smp_rmb();
	idx = srcu_read_lock(&kvm->srcu);
	slot = vcpu_gfn_to_memslot(kvm, as, gfn);
	if (fault_checking())
		check_lookup((&run->ora), as, id, gfn, slot);
	if (slot && !(slot->flags & KVM_MEMSLOT_INVALID) && !attributes_fault_exits(slot, gfn)) {
		f.as_id = as;
		f.slot_id = slot->id;
		f.gfn = gfn;
		f.hva = __gfn_to_hva_memslot(slot, gfn);
		f.gmem_only = adapter_slot_is_gmem_only(slot);
		f.epoch = ref_slot(ref, as, slot->id) ? ref_slot(ref, as, slot->id)->epoch : 0;
		f.vcpu_slot = slot;
		f.srcu_at = st.srcu_at;
		/* a guest_memfd slot's fault looks its file up first (kvm_gmem_get_pfn()) */
		adapter_gmem_slot_lookup(slot);
		ref_fault_add(ref, &f);
	}
	srcu_read_unlock(&kvm->srcu, idx);
	model_clock_leave(prev);
}

/* A fault the vCPU commits: through the slot it resolved, under its SRCU read section. */
static void commit(const struct ref_fault *f, const char *why)
{
	const struct kvm_memory_slot *slot = f->vcpu_slot;
	struct kvm *kvm = run->kvm;
	bool retry = false, installed = false, dropped = true;
	int idx;

	idx = srcu_read_lock(&kvm->srcu);
	/*
	 * A grace period begun after the resolve waits for the commit (grace_period),
	 * so the slot is the one resolved; a delete or move zaps what it installs
	 * after that grace period. The reference's check stays as a guard.
	 */
	if (ref_fault_slot_unchanged((&run->ref), f) && !(slot->flags & KVM_MEMSLOT_INVALID)) {
		dropped = false;
		write_lock(&kvm->mmu_lock);
		retry = adapter_fault_must_retry(kvm, f->seq, f->gfn, f->hva);
		model_clock_event(EV_RETRY_CHECK, retry);
		if (!retry)
			installed = model_map(f->as_id, f->slot_id, f->gfn, f->hva, f->gmem_only);
		/* judged where it happened, under mmu_lock: what a window runs after the unlock is another thread's */
		if (fault_checking())
			check_fault_progress((&run->ora), f, retry);
		if (installed && fault_checking())
			check_fault_commit((&run->ora), f);
		if (installed && fault_checking())
			gmem_check_fault_commit(f);
		if (installed)
			attributes_check_fault(f);
		write_unlock(&kvm->mmu_lock);
	}
	if (run->o->trace)
		printf("trace: fault_commit slot=%d:%d gfn=0x%" PRIx64 " %s%s\n", f->as_id, f->slot_id, f->gfn,
		       dropped ? "dropped (slot gone or changed)" : retry ? "retry" : installed ? "installed" : "already mapped",
		       why);
	run->st->faults_installed += installed;
	srcu_read_unlock(&kvm->srcu, idx);
}

void fault_commit(int k)
{
	struct ref_fault f;

	if (ref_fault_take((&run->ref), k, &f))
		commit(&f, "");
}

/*
 * A grace period of kvm->srcu ends: the vCPUs whose read sections began before
 * it (on the clock) commit first, as synchronize_srcu() waits for them.
 */
void fault_grace_period(void *ctx, struct srcu_struct *ssp, unsigned long began_at)
{
	struct reference *ref = (&run->ref);
	struct ref_fault f;
	model_yield_hook_fn *hook;

	(void)ctx;
	if (ssp != &run->kvm->srcu)
		return;
	hook = model_other_thread_begin();
	for (int k = 0; k < ref->nr_faults;) {
		if (ref->faults[k].srcu_at > began_at) {
			k++;
			continue;
		}
		ref_fault_take(ref, k, &f);
		commit(&f, " (the grace period waits for it)");
	}
	model_other_thread_end(hook);
}

/* ---- the family (family.h) ---- */

static void family_begin(struct run *r)
{
	run = r;
	model.grace_period_hook = fault_grace_period;
	model.grace_period_ctx = NULL;
}

int vcpu_family_run(struct run *r, int index, const struct op *o)
{
	(void)r;
	if (o->kind == OP_FAULT_RESOLVE)
		fault_resolve(o);
	else
		fault_commit(o->a);
	return index;
}

const struct op_family vcpu_family = { .begin = family_begin, .run = vcpu_family_run };

HARNESS_NO_COVERAGE_END
