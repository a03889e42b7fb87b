// SPDX-License-Identifier: GPL-2.0
/*
 * The cooperative scheduler (scheduler.c): a `yield` operation runs the next
 * operation as one thread and, at a named hit of a yield point in its kernel
 * code (shims/model_sync.h), the operations after it as other threads.
 */
#ifndef KVM_HVA_FUZZ_SCHEDULER_H
#define KVM_HVA_FUZZ_SCHEDULER_H

#include <stdbool.h>

#include "kvm_adapter.h"
#include "scenario.h"

/* The interrupted thread: its operation, and what it holds at the yield (the window's operations do not). */
struct sched_thread {
	const struct op *op;
	int locks_held;
	int srcu_readers;
};

/* What the scheduler borrows from the driver. */
struct sched_host {
	const struct scenario *s;
	bool trace;
	void *ctx;
	void (*run_op_at)(void *ctx, int i);
	bool (*stopped)(void *ctx);				/* a violation: run nothing more */
	bool (*interruptible)(void *ctx, const struct op *o);	/* o may be the interrupted thread */
	bool (*blocks)(void *ctx, const struct op *o, const struct sched_thread *t); /* o would wait for it */
};

void scheduler_begin(const struct sched_host *h);
/* The yield at index: returns the last operation it ran (index itself if it was inert). */
int scheduler_yield(int index, const struct op *o);
/* A yield is running its operation and window (windows do not nest). */
bool scheduler_busy(void);

#endif
