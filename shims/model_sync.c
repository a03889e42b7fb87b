/* MODEL: locks, SRCU and the memslot-update wait (schedule() yields to the scenario). */
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

/* ---- locks ---------------------------------------------------------------- */

void model_lock_acquire(struct model_lock *l, const char *file, int line)
{
	if (l->held)
		model_fail("self-deadlock: lock taken twice at %s:%d", file, line);
	l->held = 1;
	model.locks_held++;
}

void model_lock_release(struct model_lock *l, const char *file, int line)
{
	if (!l->held)
		model_fail("unlock of a lock not held at %s:%d", file, line);
	l->held = 0;
	model.locks_held--;
}

void model_lock_assert_held(const struct model_lock *l, const char *what, const char *file, int line)
{
	if (!l->held)
		model_fail("lockdep: %s not held at %s:%d", what, file, line);
}

/* ---- SRCU and the memslot-update wait ---------------------------------------- */

int model_srcu_read_lock(struct srcu_struct *ssp)
{
	ssp->readers++;
	if (ssp->readers > model.srcu_readers_max)
		model.srcu_readers_max = ssp->readers;
	return ssp->readers;
}

void model_srcu_read_unlock(struct srcu_struct *ssp, int idx)
{
	if (idx != ssp->readers)
		model_fail("srcu_read_unlock(%d) does not match the innermost lock (%d)", idx, ssp->readers);
	ssp->readers--;
}

void model_synchronize_srcu(struct srcu_struct *ssp, const char *file, int line)
{
	/* a reader in this (the only) thread would never finish: a real deadlock */
	if (ssp->readers)
		model_fail("synchronize_srcu inside an SRCU read section at %s:%d", file, line);
	ssp->sync_count++;
}

void model_prepare_to_rcuwait(struct rcuwait *w) { w->task = &model; }
void model_finish_rcuwait(struct rcuwait *w) { w->task = NULL; }
void model_rcuwait_wake_up(struct rcuwait *w) { (void)w; model.rcuwait_wakeups++; }

void model_schedule(const char *file, int line)
{
	model.schedule_calls++;
	if (model.schedule_hook && model.schedule_hook(model.schedule_ctx))
		return;
	/* nothing could run that would end the wait: the task would sleep forever */
	model_fail("memslot update blocked forever at %s:%d", file, line);
	if (model.bug_jump)
		longjmp(*model.bug_jump, 2);
	abort();
}

HARNESS_NO_COVERAGE_END
