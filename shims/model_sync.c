/* MODEL: locks, SRCU, the memslot-update wait and the yield points of the cooperative scheduler. */
// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdlib.h>

/* kernel headers: their unused parameters are the kernel's style, not ours to fix */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kvm_extracted.h"
#pragma GCC diagnostic pop
#include "model_state.h"

HARNESS_NO_COVERAGE_BEGIN

/* ---- yield points ------------------------------------------------------------- */

void model_yield(enum model_yield_point p, const char *what, const char *file, int line)
{
	/* preemption is off under a spinlock: nothing else runs on this CPU */
	if (model.yield_hook && !model.spinlocks_held)
		model.yield_hook(model.yield_ctx, p, what, file, line);
}

/* ---- locks ---------------------------------------------------------------- */

static void take(struct model_lock *l, const char *file, int line)
{
	if (l->held)
		model_fail("self-deadlock: lock taken twice at %s:%d", file, line);
	l->held = 1;
	model.locks_held++;
}

static void drop(struct model_lock *l, const char *file, int line)
{
	if (!l->held)
		model_fail("unlock of a lock not held at %s:%d", file, line);
	l->held = 0;
	model.locks_held--;
}

/* the two spinlocks other CPUs contend on in this code, as yield points; NULL for the others */
static const char *contended(const struct model_lock *l, enum model_yield_point *p)
{
	if (!model.kvm)
		return NULL;
	if (l == (const struct model_lock *)&model.kvm->mmu_lock) {
		*p = YIELD_MMU_LOCK;
		return "mmu_lock";
	}
	if (l == &model.kvm->mn_invalidate_lock) {
		*p = YIELD_MN_INVALIDATE_LOCK;
		return "mn_invalidate_lock";
	}
	return NULL;
}

void model_lock_acquire(struct model_lock *l, const char *what, const char *file, int line)
{
	enum model_yield_point p;

	if (model.yield_hook && contended(l, &p))
		model_yield(p, what, file, line);
	take(l, file, line);
	model.spinlocks_held++;
}

void model_lock_release(struct model_lock *l, const char *what, const char *file, int line)
{
	enum model_yield_point p;

	drop(l, file, line);
	model.spinlocks_held--;
	/* what changed under mmu_lock happens, for every other CPU, now */
	if (model.kvm && l == (struct model_lock *)&model.kvm->mmu_lock)
		model_clock_mmu_unlock((long)model.kvm->mmu_invalidate_seq, model.kvm->mmu_invalidate_in_progress);
	else if (model.kvm && l == &model.kvm->mn_invalidate_lock)
		model_clock_mn_unlock((long)model.kvm->mn_active_invalidate_count);
	if (model.yield_hook && contended(l, &p))
		model_yield(p + 1, what, file, line);	/* the _unlock point follows the _lock one */
}

void model_mutex_lock(struct model_lock *l, const char *what, const char *file, int line)
{
	model_yield(YIELD_MUTEX_LOCK, what, file, line);
	take(l, file, line);
}

void model_mutex_unlock(struct model_lock *l, const char *what, const char *file, int line)
{
	drop(l, file, line);
	model_yield(YIELD_MUTEX_UNLOCK, what, file, line);
}

void model_read_lock(struct model_lock *l)
{
	l->readers++;
	model.spinlocks_held++;
}

void model_read_unlock(struct model_lock *l)
{
	l->readers--;
	model.spinlocks_held--;
}

void model_lock_assert_held(const struct model_lock *l, const char *what, const char *file, int line)
{
	if (!l->held)
		model_fail("lockdep: %s not held at %s:%d", what, file, line);
}

/* ---- SRCU and the memslot-update wait ---------------------------------------- */

/* call_srcu()'s callbacks, first queued first, once no reader is left */
static void srcu_run_callbacks(struct srcu_struct *ssp)
{
	while (ssp->pending && !ssp->readers) {
		struct rcu_head *head = ssp->pending;

		ssp->pending = head->next;
		head->func(head);
	}
}

int model_srcu_read_lock(struct srcu_struct *ssp, const char *what, const char *file, int line)
{
	unsigned long at;

	ssp->readers++;
	at = model_clock_event(EV_SRCU_LOCK, ssp->readers);
	if (model_clock.actor && !model_clock.actor->srcu_at)
		model_clock.actor->srcu_at = at;
	if (ssp->readers > model.srcu_readers_max)
		model.srcu_readers_max = ssp->readers;
	model_yield(YIELD_SRCU_READ_LOCK, what, file, line);
	return ssp->readers;
}

void model_srcu_read_unlock(struct srcu_struct *ssp, int idx, const char *what, const char *file, int line)
{
	if (idx != ssp->readers)
		model_fail("srcu_read_unlock(%d) does not match the innermost lock (%d)", idx, ssp->readers);
	ssp->readers--;
	model_clock_event(EV_SRCU_UNLOCK, ssp->readers);
	if (ssp->pending && !ssp->readers)
		srcu_run_callbacks(ssp);
	model_yield(YIELD_SRCU_READ_UNLOCK, what, file, line);
}

/*
 * A callback runs after every reader that may see the object has left: with
 * none in flight, at once (the earliest the kernel's grace period may end);
 * else when the last one unlocks.
 */
void model_call_srcu(struct srcu_struct *ssp, struct rcu_head *head, void (*func)(struct rcu_head *head))
{
	struct rcu_head **tail = &ssp->pending;

	while (*tail)
		tail = &(*tail)->next;
	head->func = func;
	head->next = NULL;
	*tail = head;
	srcu_run_callbacks(ssp);
}

unsigned int model_read_seqcount_begin(const seqcount_t *s, const char *file, int line)
{
	unsigned int seq = READ_ONCE(s->sequence);

	/* the kernel spins until the writer ends; a writer stopped mid-write would spin forever here */
	if (seq & 1)
		model_fail("read_seqcount_begin at %s:%d finds a writer mid-write (odd count %u)", file, line, seq);
	return seq;
}

void model_synchronize_srcu(struct srcu_struct *ssp, const char *what, const char *file, int line)
{
	unsigned long began_at;

	/* a reader in this thread would never finish: a real deadlock */
	if (ssp->readers)
		model_fail("synchronize_srcu inside an SRCU read section at %s:%d", file, line);

	/* a reader that saw N began before the N+1st */
	ssp->grace_periods++;
	began_at = model_clock_event(EV_GRACE_PERIOD, (long)ssp->grace_periods);
	model_yield(YIELD_SYNCHRONIZE_SRCU, what, file, line);
	if (model.grace_period_hook)
		model.grace_period_hook(model.grace_period_ctx, ssp, began_at);
}

void model_srcu_barrier(struct srcu_struct *ssp, const char *what, const char *file, int line)
{
	if (!ssp->pending)
		return;	/* nothing queued: nothing to wait for */
	model_synchronize_srcu(ssp, what, file, line);
	srcu_run_callbacks(ssp);
	if (ssp->pending)
		model_fail("srcu_barrier at %s:%d: readers still in flight after a grace period", file, line);
}

void model_prepare_to_rcuwait(struct rcuwait *w) { w->task = &model; }
void model_finish_rcuwait(struct rcuwait *w) { w->task = NULL; model.rcuwait_woken = false; }

/* a waiter woken between its check and schedule() does not sleep: schedule() returns */
void model_rcuwait_wake_up(struct rcuwait *w)
{
	model.rcuwait_wakeups++;
	if (w->task)
		model.rcuwait_woken = true;
}

void model_schedule(const char *file, int line)
{
	model.schedule_calls++;
	if (model.rcuwait_woken) {
		model.rcuwait_woken = false;
		return;
	}
	/* other threads' work ran: the caller checks its condition again */
	if (model.yield_hook && !model.spinlocks_held &&
	    model.yield_hook(model.yield_ctx, YIELD_SCHEDULE, "schedule()", file, line))
		return;
	if (model.schedule_hook && model.schedule_hook(model.schedule_ctx))
		return;
	/* nothing could run that would end the wait: the task would sleep forever */
	model_fail("memslot update blocked forever at %s:%d", file, line);
	if (model.bug_jump)
		longjmp(*model.bug_jump, 2);
	abort();
}

HARNESS_NO_COVERAGE_END
