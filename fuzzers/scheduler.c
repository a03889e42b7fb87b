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
 * read section, it waits for an invalidation that thread began) runs after it,
 * as the blocked thread would; the interrupted thread's locks, read sections
 * and handler calls are its own, not the window's. A point never reached runs
 * the window after the operation, in order. Windows do not nest.
 */
#include <stdio.h>
#include <string.h>

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

HARNESS_NO_COVERAGE_END
