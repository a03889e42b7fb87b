/* MODEL: the one clock (model_clock.h). */
// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>

#include "harness_coverage.h"
#include "model_clock.h"

HARNESS_NO_COVERAGE_BEGIN

struct model_clock model_clock;

const char *const model_event_names[EV_NR] = {
	[EV_SEQ_READ] = "seq_read", [EV_RETRY_CHECK] = "retry_check", [EV_INSTALL] = "install",
	[EV_BEGIN] = "begin", [EV_END] = "end", [EV_SEQ_MOVE] = "seq_move", [EV_ACTIVE_UP] = "active_up",
	[EV_ACTIVE_DOWN] = "active_down", [EV_SRCU_LOCK] = "srcu_lock",
	[EV_SRCU_UNLOCK] = "srcu_unlock", [EV_GRACE_PERIOD] = "grace_period", [EV_PUBLISH] = "publish",
	[EV_GUP] = "gup",
};

void model_clock_reset(long seq, long in_progress, long active)
{
	static int trace = -1;

	if (trace < 0) {
		const char *t = getenv("KVM_HVA_FUZZ_TRACE_CLOCK");

		trace = t && *t == '1';
	}
	/* the log is read only below now: not cleared */
	model_clock.now = 0;
	model_clock.actor = NULL;
	model_clock.seen_seq = seq;
	model_clock.seen_in_progress = in_progress;
	model_clock.seen_active = active;
	model_clock.trace = trace;
}

unsigned long model_clock_event(enum model_event kind, long value)
{
	unsigned long at = ++model_clock.now;

	model_clock.log[at % MODEL_CLOCK_LOG] = (struct model_event_rec){ at, kind, value };
	if (model_clock.trace)
		printf("trace: clock %lu %s 0x%lx\n", at, model_event_names[kind], (unsigned long)value);
	return at;
}

void model_clock_mn_unlock(long active)
{
	struct model_stamps *a = model_clock.actor;
	unsigned long at;

	if (active == model_clock.seen_active)
		return;
	at = model_clock_event(active > model_clock.seen_active ? EV_ACTIVE_UP : EV_ACTIVE_DOWN, active);
	if (a && active > model_clock.seen_active && !a->active_up_at)
		a->active_up_at = at;
	if (a && active < model_clock.seen_active && !a->active_down_at)
		a->active_down_at = at;
	model_clock.seen_active = active;
}

void model_clock_publish_memslots(void)
{
	model_clock_event(EV_PUBLISH, 0);
}

void model_clock_mmu_unlock(long seq, long in_progress)
{
	struct model_stamps *a = model_clock.actor;

	if (in_progress > model_clock.seen_in_progress) {
		unsigned long at = model_clock_event(EV_BEGIN, in_progress);

		if (a && !a->begin_at)
			a->begin_at = at;
	}
	if (seq != model_clock.seen_seq) {
		unsigned long at = model_clock_event(EV_SEQ_MOVE, seq);

		if (a && !a->end_at)
			a->end_at = at;
	}
	if (in_progress < model_clock.seen_in_progress)
		model_clock_event(EV_END, in_progress);
	model_clock.seen_seq = seq;
	model_clock.seen_in_progress = in_progress;
}

HARNESS_NO_COVERAGE_END
