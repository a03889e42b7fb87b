/* MODEL: the one clock: what the kernel code did, in the order it did it, each with a sequence number. */
// SPDX-License-Identifier: GPL-2.0
/*
 * Every temporal property (docs/oracle.md: "The clock") is judged on this
 * clock: "X before Y" means X's event has the smaller number, never "X's
 * operation came first". The models stamp the moments the kernel code makes
 * (mmu_invalidate_in_progress going up and mmu_invalidate_seq moving, seen
 * when mmu_lock is released, since both change only under it; SRCU read
 * sections and grace periods; GUP; installs), the harness those of the code
 * it plays (the vCPU's read of mmu_invalidate_seq and its retry check).
 *
 * Kernel-free: the reference model (oracle/reference.h) keeps what it
 * compares in time as these numbers. The harness names who acts with
 * model_clock_enter(): the stamps of that kernel call; a window's operations
 * enter their own and leave, so a stamp is the call's own, whatever ran inside.
 */
#ifndef KVM_HVA_FUZZ_MODEL_CLOCK_H
#define KVM_HVA_FUZZ_MODEL_CLOCK_H

enum model_event {
	EV_SEQ_READ,		/* a vCPU read mmu_invalidate_seq (value: what it read) */
	EV_RETRY_CHECK,		/* a vCPU's retry check under mmu_lock (value: 1 retry) */
	EV_INSTALL,		/* a vCPU installed a mapping (value: gfn) */
	EV_BEGIN,		/* mmu_invalidate_in_progress went up (value: now) */
	EV_END,			/* mmu_invalidate_in_progress went down (value: now) */
	EV_SEQ_MOVE,		/* mmu_invalidate_seq moved (value: now) */
	EV_ACTIVE_UP,		/* mn_active_invalidate_count went up (value: now) */
	EV_ACTIVE_DOWN,		/* ... down */
	EV_SRCU_LOCK,		/* an SRCU read section began (value: readers) */
	EV_SRCU_UNLOCK,		/* ... ended */
	EV_GRACE_PERIOD,	/* a grace period began (synchronize_srcu) */
	EV_PUBLISH,		/* rcu_assign_pointer() of a memslot set: the swap */
	EV_GUP,			/* GUP took a page (value: hva) */
	EV_NR,
};
extern const char *const model_event_names[EV_NR];

/* The moments of one kernel call, stamped as they happen (0: not happened). */
struct model_stamps {
	unsigned long begin_at;	/* its first EV_BEGIN: an invalidation's on_lock (kvm_mmu_invalidate_begin()) */
	unsigned long end_at;	/* its first EV_SEQ_MOVE: kvm_mmu_invalidate_end() */
	unsigned long srcu_at;	/* its first EV_SRCU_LOCK */
	unsigned long active_up_at, active_down_at;	/* its first EV_ACTIVE_UP, EV_ACTIVE_DOWN */
};

#define MODEL_CLOCK_LOG 256	/* the last events, for the trace */

struct model_event_rec {
	unsigned long at;
	enum model_event kind;
	long value;
};

struct model_clock {
	unsigned long now;		/* the number of the last event */
	struct model_stamps *actor;	/* the kernel call that acts now, NULL for one nobody asks about */
	long seen_seq, seen_in_progress; /* as of the last mmu_lock release */
	long seen_active;		/* as of the last mn_invalidate_lock release */
	int trace;			/* print each event (KVM_HVA_FUZZ_TRACE_CLOCK=1) */
	struct model_event_rec log[MODEL_CLOCK_LOG];	/* a ring: log[at % MODEL_CLOCK_LOG] */
};
extern struct model_clock model_clock;

void model_clock_reset(long seq, long in_progress, long active);
/* Record an event now; returns its number. */
unsigned long model_clock_event(enum model_event kind, long value);
/* rcu_assign_pointer() of a memslot set (kvm_swap_active_memslots()) */
void model_clock_publish_memslots(void);
/* mmu_lock is released: the counters' moves, if any, happen now (for everyone else they do). */
void model_clock_mmu_unlock(long seq, long in_progress);
/* mn_invalidate_lock is released: mn_active_invalidate_count's move, if any, happens now. */
void model_clock_mn_unlock(long active);
/* s acts from now on (NULL: nobody asked about); returns who did, for model_clock_leave(). */
static inline struct model_stamps *model_clock_enter(struct model_stamps *s)
{
	struct model_stamps *prev = model_clock.actor;

	model_clock.actor = s;
	return prev;
}
static inline void model_clock_leave(struct model_stamps *prev)
{
	model_clock.actor = prev;
}

#endif
