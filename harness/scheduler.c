// SPDX-License-Identifier: GPL-2.0
/*
 * The cooperative scheduler. `yield at=POINT nth=N ops=K` runs the next
 * operation as one thread; when its kernel code reaches the Nth hit of POINT
 * (a yield point: shims/model_sync.h), the K operations after it run there as
 * other threads (mm/, vCPUs, other ioctls), then the interrupted thread goes
 * on. Which thread runs where is in the input's bytes, so an interleaving
 * replays from the file, shrinks with the scenario and reads in its text.
 *
 * The kernel's rules: no point yields under a spinlock (model_yield); a window
 * operation that would block on the interrupted thread (the driver says which:
 * it needs a mutex that thread holds, its grace period waits for that thread's
 * read section, it waits for an invalidation that thread began: the rules below,
 * over the operations' declared attributes) runs after it,
 * as the blocked thread would; the interrupted thread's locks, read sections
 * and handler calls are its own, not the window's. A point never reached runs
 * the window after the operation, in order. Windows do not nest.
 */
#include <stdio.h>
#include <string.h>

#include "family.h"
#include "scheduler.h"
#include "scenario_layout.h"

HARNESS_NO_COVERAGE_BEGIN

_Static_assert(SC_YIELD_POINTS == YIELD_NR, "scenario_layout.h names every yield point of model_sync.h");

static struct {
	const struct sched_host *h;
	bool armed, ran;
	enum model_yield_point point;
	int nth, hits;
	int first, end;			/* the window: operations [first, end) */
	int deferred[SC_YIELD_MAX_OPS], nr_deferred;
	struct model_handler_call calls[MODEL_MAX_CALLS];	/* the interrupted event's, while the window runs */
} sc;

static void run_window(const char *what, const char *file, int line)
{
	const struct sched_host *h = sc.h;
	struct kvm *kvm = model.kvm;
	struct sched_thread t = { &h->s->ops[sc.first - 1], model.locks_held, kvm->srcu.readers };
	int nr_calls = model.nr_calls;
	bool overflowed = model.calls_overflowed;
	unsigned long flushes = model.tlb_flushes, reached = model.spte_reached, changed = model.spte_changed;

	sc.ran = true;
	model.yield_hook = NULL;
	memcpy(sc.calls, model.calls, nr_calls * sizeof(sc.calls[0]));
	model.locks_held = 0;
	kvm->srcu.readers = 0;
	if (h->trace)
		printf("trace: yield at %s %s (%s:%d): operations %d-%d\n", sc_yield_point_names[sc.point], what, file, line,
		       sc.first, sc.end - 1);
	for (int i = sc.first; i < sc.end && !h->stopped(h->ctx); i++) {
		if (h->blocks(h->ctx, &h->s->ops[i], &t)) {
			if (h->trace)
				printf("trace: op %d %s waits for the interrupted thread\n", i,
				       scenario_op_name(h->s->ops[i].kind));
			sc.deferred[sc.nr_deferred++] = i;
			continue;
		}
		h->run_op_at(h->ctx, i);
	}
	if (model.locks_held)
		model_fail("%d lock(s) left held by the operations of a window at %s", model.locks_held, what);
	model.locks_held = t.locks_held;
	kvm->srcu.readers = t.srcu_readers;
	memcpy(model.calls, sc.calls, nr_calls * sizeof(sc.calls[0]));
	model.nr_calls = nr_calls;
	model.calls_overflowed = overflowed;
	/* the window's events were checked on their own counts */
	model.tlb_flushes = flushes;
	model.spte_reached = reached;
	model.spte_changed = changed;
}

static bool yield_hook(void *ctx, enum model_yield_point p, const char *what, const char *file, int line)
{
	(void)ctx;
	if (sc.ran || p != sc.point || ++sc.hits != sc.nth)
		return false;
	run_window(what, file, line);
	return true;
}

bool scheduler_busy(void)
{
	return sc.armed;
}

void scheduler_begin(const struct sched_host *h)
{
	sc.h = h;
	sc.armed = false;
}

int scheduler_yield(int index, const struct op *o)
{
	const struct sched_host *h = sc.h;
	int next = index + 1;

	if (sc.armed || next >= h->s->nr_ops || !h->interruptible(h->ctx, &h->s->ops[next]))
		return index;	/* inert: what follows runs in order */
	sc.armed = true;
	sc.ran = false;
	sc.point = (enum model_yield_point)sc_yield_point(o->a);
	sc.nth = sc_yield_nth(o->b);
	sc.hits = 0;
	sc.first = next + 1;
	sc.end = sc.first + sc_yield_ops(o->c);
	if (sc.end > h->s->nr_ops)
		sc.end = h->s->nr_ops;
	sc.nr_deferred = 0;
	model.yield_hook = yield_hook;
	h->run_op_at(h->ctx, next);
	model.yield_hook = NULL;
	if (!sc.ran) {
		if (h->trace)
			printf("trace: yield at %s #%d not reached: operations %d-%d run after\n",
			       sc_yield_point_names[sc.point], sc.nth, sc.first, sc.end - 1);
		for (int i = sc.first; i < sc.end && !h->stopped(h->ctx); i++)
			h->run_op_at(h->ctx, i);
	}
	for (int k = 0; k < sc.nr_deferred && !h->stopped(h->ctx); k++)
		h->run_op_at(h->ctx, sc.deferred[k]);
	sc.armed = false;
	return sc.end - 1;
}

/* ---- the family (family.h): the rules over the operations' attributes (scenario_ops.def) ---- */

static unsigned int attributes(const struct op *o) { return sc_ops[o->kind].attributes; }

static void host_run_op_at(void *ctx, int i)
{
	struct run *r = ctx;

	r->run_op_at(r, i);
}

static bool host_stopped(void *ctx)
{
	return ((struct run *)ctx)->v->violated;
}

/*
 * Which operations a yield may interrupt. Each SC_WHOLE is the harness's, not a
 * kernel lock's, and costs windows the kernel allows (docs/oracle.md, Other
 * CPUs): the pfn cache's operations run their own windows (pfncache_ops.c); a
 * yield is one operation; an unpaired end (mode illegal) moves the counter the
 * reference then accepts; guest_memfd's punch hole and close, and an attribute
 * change, are checked against the counters around their whole call
 * (gmem_ops.c, attributes_ops.c). mm/'s release is the kernel's: exit_mmap()
 * runs when no other thread of the mm does.
 */
static bool host_interruptible(void *ctx, const struct op *o)
{
	const struct run *r = ctx;

	if (attributes(o) & SC_PAIRED_END)
		return ref_inflight_endable(&r->ref) > 0;
	return !(attributes(o) & SC_WHOLE);
}

/*
 * Whether o would block on the interrupted thread t (it then runs after t, as
 * the blocked thread would). Each rule names what t holds at its yield point
 * that o waits for; the first is the reference's, not the kernel's.
 */
static bool host_blocks(void *ctx, const struct op *o, const struct sched_thread *t)
{
	struct run *r = ctx;
	unsigned int a = attributes(o);
	/*
	 * t began an invalidation its call has not ended: it holds mn_active_invalidate_count up
	 * (one in the reference's list that t holds, change_pte's wrapper, counts as t's)
	 */
	bool began = r->kvm->mn_active_invalidate_count > (unsigned long)ref_inflight_endable(&r->ref);

	/*
	 * The reference's: a slots_lock ioctl's expectation is computed when it
	 * is issued, and the reference knows a binding once its request returns.
	 * So inside one, no other slots_lock ioctl (slots_lock serializes them
	 * anyway: one that yields before taking it or after dropping it meets the
	 * other before or after it, orders the scenario already has), nothing its
	 * expectation depends on (the next injected failure, a new file), nothing
	 * that depends on its bindings (guest_memfd's punch hole and close).
	 */
	if ((attributes(t->op) & SC_SLOTS_LOCK) && (a & (SC_SLOTS_LOCK | SC_REQUEST_INPUT)))
		return true;
	/* kvm->slots_lock: every slots_lock ioctl takes it first */
	if ((a & SC_SLOTS_LOCK) && mutex_is_locked(&r->kvm->slots_lock))
		return true;
	/*
	 * A memslot update's synchronize_srcu() waits for t's SRCU read section,
	 * and kvm_swap_active_memslots() for the invalidation t began (the others
	 * in flight the schedule hook ends, as mm/ on another CPU). An attribute
	 * change does neither: kvm_vm_set_mem_attributes() takes slots_lock only.
	 */
	if (a & SC_SWAPS)
		return t->srcu_readers || began;
	/* a refresh's GUP loop spins in mmu_notifier_retry_cache() while the active count is up */
	if (a & SC_WAITS_ACTIVE)
		return began;
	/* the reference's: an unpaired end (mode illegal) is defined against the ends it knows */
	if (a & SC_PAIRED_END)
		return !ref_inflight_endable(&r->ref);
	/* exit_mmap(): no other thread of the mm runs */
	return a & SC_EXCLUSIVE;
}

static void family_begin(struct run *r)
{
	static struct sched_host h;

	h = (struct sched_host){ r->s, r->o->trace, r, host_run_op_at, host_stopped, host_interruptible, host_blocks };
	scheduler_begin(&h);
}

/* as a split call: the operations of the window are consumed; inside another window, inert */
int scheduler_family_run(struct run *r, int index, const struct op *o)
{
	return r->in_window(r) ? index : scheduler_yield(index, o);
}

const struct op_family scheduler_family = {
	.begin = family_begin, .run = scheduler_family_run, .busy = scheduler_busy, .checks_inside = true,
};

HARNESS_NO_COVERAGE_END
