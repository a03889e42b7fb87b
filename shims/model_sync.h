/* MODEL: locks, SRCU/RCU and the rcuwait/schedule() wait, single-threaded and recorded. */
// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle asks who held which lock when; so every lock is a counter the
 * models and the oracle can read. Taking a held lock is a self-deadlock in
 * one thread and is reported.
 *
 * Every point where real KVM can be preempted by, or race with, another CPU is
 * a yield point (model_yield): a cooperative scheduler (the harness's) may run
 * other threads' work there. Preemption is off under a spinlock, so no point
 * yields while one is held. schedule() in kvm_swap_active_memslots()'s wait
 * also runs the pending ends of in-flight invalidations (model_schedule), and a
 * grace period waits for the SRCU readers that began before it (the vCPUs'
 * faults in flight: grace_period_hook).
 */
#ifndef KVM_HVA_FUZZ_MODEL_SYNC_H
#define KVM_HVA_FUZZ_MODEL_SYNC_H

/* The yield points; the scenario's bytes name them in this order (scenario/scenario_layout.h). */
enum model_yield_point {
	YIELD_MUTEX_LOCK,		/* before taking a mutex: slots_lock, slots_arch_lock, ... */
	YIELD_MUTEX_UNLOCK,		/* after releasing one */
	YIELD_SRCU_READ_LOCK,		/* after entering an SRCU read section */
	YIELD_SRCU_READ_UNLOCK,		/* after leaving one */
	YIELD_SYNCHRONIZE_SRCU,		/* inside a grace period */
	YIELD_MMU_LOCK,			/* before taking kvm->mmu_lock (KVM_MMU_LOCK) */
	YIELD_MMU_UNLOCK,		/* after releasing it */
	YIELD_MN_INVALIDATE_LOCK,	/* before taking kvm->mn_invalidate_lock */
	YIELD_MN_INVALIDATE_UNLOCK,	/* after releasing it */
	YIELD_SCHEDULE,			/* schedule(): the memslot update's wait */
	YIELD_COND_RESCHED,		/* cond_resched(), and the arch unmap dropping mmu_lock */
	YIELD_NR,
};
void model_yield(enum model_yield_point p, const char *what, const char *file, int line);

struct model_lock {
	int held;		/* 1 while taken (exclusive or shared) */
	int readers;		/* shared holders of an rwlock */
};
typedef struct model_lock spinlock_t;
typedef struct model_lock rwlock_t;
struct mutex { struct model_lock m; };

/* spinlocks and rwlocks (write side); mutexes; the read side of an rwlock */
void model_lock_acquire(struct model_lock *l, const char *what, const char *file, int line);
void model_lock_release(struct model_lock *l, const char *what, const char *file, int line);
void model_mutex_lock(struct model_lock *l, const char *what, const char *file, int line);
void model_mutex_unlock(struct model_lock *l, const char *what, const char *file, int line);
void model_read_lock(struct model_lock *l);
void model_read_unlock(struct model_lock *l);
void model_lock_assert_held(const struct model_lock *l, const char *what, const char *file, int line);

#define __SPIN_LOCK_UNLOCKED(x) { 0, 0 }
#define DEFINE_SPINLOCK(x) spinlock_t x = { 0, 0 }
#define DEFINE_MUTEX(x) struct mutex x = { { 0, 0 } }
#define spin_lock_init(l) (*(l) = (spinlock_t){ 0, 0 })
#define rwlock_init(l) (*(l) = (rwlock_t){ 0, 0 })
#define mutex_init(l) ((l)->m = (struct model_lock){ 0, 0 })
#define spin_lock(l) model_lock_acquire((l), #l, __FILE__, __LINE__)
#define spin_unlock(l) model_lock_release((l), #l, __FILE__, __LINE__)
#define write_lock(l) model_lock_acquire((l), #l, __FILE__, __LINE__)
#define write_unlock(l) model_lock_release((l), #l, __FILE__, __LINE__)
#define read_lock(l) model_read_lock(l)
#define read_unlock(l) model_read_unlock(l)
/* the pfn cache's gpc->lock: interrupts are not modelled */
#define write_lock_irq(l) write_lock(l)
#define write_unlock_irq(l) write_unlock(l)
#define read_lock_irq(l) read_lock(l)
#define read_unlock_irq(l) read_unlock(l)
#define mutex_lock(l) model_mutex_lock(&(l)->m, #l, __FILE__, __LINE__)
#define mutex_unlock(l) model_mutex_unlock(&(l)->m, #l, __FILE__, __LINE__)
#define mutex_is_locked(l) ((l)->m.held)
/* raw spinlocks (6.1's kvm_main.c names them): a spinlock, preemption and lockdep aside */
typedef struct model_lock raw_spinlock_t;
#define DEFINE_RAW_SPINLOCK(x) raw_spinlock_t x = { 0, 0 }
#define raw_spin_lock_init(l) spin_lock_init(l)
#define raw_spin_lock(l) spin_lock(l)
#define raw_spin_unlock(l) spin_unlock(l)
#define raw_spin_lock_irqsave(l, flags) spin_lock_irqsave(l, flags)
#define raw_spin_unlock_irqrestore(l, flags) spin_unlock_irqrestore(l, flags)
/*
 * The rest of each family, for a patch that calls a neighbour of what today's code calls:
 * interrupts and lockdep are not modelled, a killable or interruptible wait is never
 * interrupted, and a trylock fails exactly when the lock is held.
 */
#define spin_lock_irq(l) spin_lock(l)
#define spin_unlock_irq(l) spin_unlock(l)
#define spin_lock_bh(l) spin_lock(l)
#define spin_unlock_bh(l) spin_unlock(l)
#define spin_lock_irqsave(l, flags) do { (flags) = 0; spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { (void)(flags); spin_unlock(l); } while (0)
#define spin_trylock(l) ((l)->held ? 0 : (spin_lock(l), 1))
#define write_trylock(l) ((l)->held ? 0 : (write_lock(l), 1))
#define read_trylock(l) ((l)->held && !(l)->readers ? 0 : (read_lock(l), 1))
#define mutex_lock_killable(l) (mutex_lock(l), 0)
#define mutex_lock_interruptible(l) (mutex_lock(l), 0)
#define mutex_lock_nested(l, subclass) mutex_lock(l)
#define mutex_lock_killable_nest_lock(l, nest) mutex_lock_killable(l)
#define mutex_trylock(l) ((l)->m.held ? 0 : (mutex_lock(l), 1))
#define mutex_trylock_nest_lock(l, nest) mutex_trylock(l)
#define lockdep_assert(c) do { } while (0)
#define lockdep_assert_once(c) do { } while (0)
#define lockdep_assert_irqs_disabled() do { } while (0)
#define lockdep_assert_irqs_enabled() do { } while (0)
#define spin_acquire(...) do { } while (0)
#define spin_release(...) do { } while (0)
#define lockdep_assert_held(l) model_lock_assert_held(model_lock_of(l), #l, __FILE__, __LINE__)
#define lockdep_assert_held_write(l) lockdep_assert_held(l)
#define lockdep_assert_not_held(l) do { } while (0)
#define lockdep_is_held(l) 1
#define model_lock_of(l) _Generic((l), struct mutex *: &((struct mutex *)(l))->m, \
				  const struct mutex *: &((struct mutex *)(l))->m, \
				  default: (struct model_lock *)(l))

/*
 * guard(mutex)(&lock), scoped_guard(spinlock, ...), guard(write_lock)(...): the
 * kernel's scope-based unlock, from the real cleanup.h, over the recorded locks
 * (the kernel defines these classes in mutex.h, spinlock.h, rwlock.h).
 */
#include "kvm_features.h"
#if HAVE_linux_cleanup_h
#include <linux/cleanup.h>
#define HAVE_MODEL_LOCK_GUARDS 1
DEFINE_LOCK_GUARD_1(mutex, struct mutex, mutex_lock(_T->lock), mutex_unlock(_T->lock))
DEFINE_LOCK_GUARD_1(spinlock, spinlock_t, spin_lock(_T->lock), spin_unlock(_T->lock))
DEFINE_LOCK_GUARD_1(write_lock, rwlock_t, write_lock(_T->lock), write_unlock(_T->lock))
DEFINE_LOCK_GUARD_1(read_lock, rwlock_t, read_lock(_T->lock), read_unlock(_T->lock))
#endif

/*
 * Seqcounts (eventfd.c's irqfd routing): a writer makes the count odd, a reader
 * retries if it changed. A writer is inside a spinlock here, where nothing
 * yields, so a reader never finds one mid-write; if it does, the model says so.
 */
typedef struct { unsigned int sequence; } seqcount_t;
typedef seqcount_t seqcount_spinlock_t;
typedef seqcount_t seqcount_mutex_t;
unsigned int model_read_seqcount_begin(const seqcount_t *s, const char *file, int line);
#define seqcount_init(s) ((s)->sequence = 0)
#define seqcount_spinlock_init(s, lock) seqcount_init(s)
#define seqcount_mutex_init(s, lock) seqcount_init(s)
#define read_seqcount_begin(s) model_read_seqcount_begin((s), __FILE__, __LINE__)
#define raw_read_seqcount_begin(s) read_seqcount_begin(s)
#define read_seqcount_retry(s, start) (READ_ONCE((s)->sequence) != (start))
#define write_seqcount_begin(s) do { (s)->sequence++; } while (0)
#define write_seqcount_end(s) do { (s)->sequence++; } while (0)

/* SRCU: read sections are counted so the oracle can see them balanced. */
/* grace_periods counts those begun: a reader that saw N began before the N+1st */
/* pending: call_srcu()'s callbacks, in order, run once no reader is left (a grace period) */
struct rcu_head;
struct srcu_struct { int readers; unsigned long grace_periods; struct rcu_head *pending; };
int model_srcu_read_lock(struct srcu_struct *ssp, const char *what, const char *file, int line);
void model_srcu_read_unlock(struct srcu_struct *ssp, int idx, const char *what, const char *file, int line);
void model_synchronize_srcu(struct srcu_struct *ssp, const char *what, const char *file, int line);
void model_call_srcu(struct srcu_struct *ssp, struct rcu_head *head, void (*func)(struct rcu_head *head));
void model_srcu_barrier(struct srcu_struct *ssp, const char *what, const char *file, int line);
#define init_srcu_struct(ssp) (*(ssp) = (struct srcu_struct){ 0, 0, NULL }, 0)
/* the kernel WARNs (and leaks) if callbacks are still queued: a finding, at the caller */
#define cleanup_srcu_struct(ssp) WARN_ON((ssp)->pending)
#define call_srcu(ssp, head, func) model_call_srcu((ssp), (head), (func))
#define srcu_read_lock(ssp) model_srcu_read_lock((ssp), #ssp, __FILE__, __LINE__)
#define srcu_read_unlock(ssp, idx) model_srcu_read_unlock((ssp), (idx), #ssp, __FILE__, __LINE__)
#define synchronize_srcu(ssp) model_synchronize_srcu((ssp), #ssp, __FILE__, __LINE__)
#define synchronize_srcu_expedited(ssp) model_synchronize_srcu((ssp), #ssp, __FILE__, __LINE__)
#define srcu_dereference(p, ssp) READ_ONCE(p)
#define srcu_dereference_check(p, ssp, c) READ_ONCE(p)
#define srcu_read_lock_held(ssp) 1
/* waits for the callbacks queued: a grace period (the readers in flight finish), then they run */
#define srcu_barrier(ssp) model_srcu_barrier((ssp), #ssp, __FILE__, __LINE__)
#define rcu_barrier() do { } while (0)
#ifdef HAVE_MODEL_LOCK_GUARDS
DEFINE_LOCK_GUARD_1(srcu, struct srcu_struct, _T->idx = srcu_read_lock(_T->lock),
		    srcu_read_unlock(_T->lock, _T->idx), int idx)
#endif

/* RCU: a reader never yields inside its section here, so pointers are plain; a memslot set's publish is an event */
#include "model_clock.h"
struct kvm_memslots;
static inline void model_publish_other(void) { }
#define rcu_assign_pointer(p, v) do { \
	_Generic((v), struct kvm_memslots *: model_clock_publish_memslots, default: model_publish_other)(); \
	WRITE_ONCE((p), (v)); \
} while (0)
#define RCU_INIT_POINTER(p, v) WRITE_ONCE((p), (v))
#define rcu_dereference(p) READ_ONCE(p)
#define rcu_dereference_raw(p) READ_ONCE(p)
#define rcu_dereference_check(p, c) READ_ONCE(p)
#define rcu_dereference_protected(p, c) (p)
#define rcu_access_pointer(p) READ_ONCE(p)
#define rcu_read_lock() do { } while (0)
#define rcu_read_unlock() do { } while (0)
#define rcu_read_lock_held() 1
#define synchronize_rcu() do { } while (0)
#ifdef HAVE_MODEL_LOCK_GUARDS
/* guard(rcu)(), as rcupdate.h; its destructor leaves the guard unused, as the kernel's does */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
DEFINE_LOCK_GUARD_0(rcu, rcu_read_lock(), rcu_read_unlock())
#pragma GCC diagnostic pop
#endif
#define call_rcu(head, fn) (fn)(head)
#define kfree_rcu(p, f) kfree(p)
#define unrcu_pointer(p) (p)
#define RCU_LOCKDEP_WARN(c, s) do { } while (0)

/* The wait in kvm_swap_active_memslots(): schedule() yields to the scenario. */
#define cond_resched() model_yield(YIELD_COND_RESCHED, "cond_resched()", __FILE__, __LINE__)
struct rcuwait { void *task; };
void model_prepare_to_rcuwait(struct rcuwait *w);
void model_finish_rcuwait(struct rcuwait *w);
void model_rcuwait_wake_up(struct rcuwait *w);
void model_schedule(const char *file, int line);
#define rcuwait_init(w) ((w)->task = NULL)
#define prepare_to_rcuwait(w) model_prepare_to_rcuwait(w)
#define finish_rcuwait(w) model_finish_rcuwait(w)
#define rcuwait_wake_up(w) model_rcuwait_wake_up(w)
/* a task waits there (between prepare_to_rcuwait() and finish_rcuwait()) */
#define rcuwait_active(w) (READ_ONCE((w)->task) != NULL)
#define set_current_state(s) do { } while (0)
#define __set_current_state(s) do { } while (0)
#define schedule() model_schedule(__FILE__, __LINE__)
#define TASK_UNINTERRUPTIBLE 2
#define TASK_RUNNING 0

#endif
