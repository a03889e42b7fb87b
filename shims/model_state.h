/* MODEL: what the models record for the oracle: hook calls, lock state, the secondary MMU. */
// SPDX-License-Identifier: GPL-2.0
/*
 * Included by harness code after kvm_extracted.h. All state is global: one VM at
 * a time, one thread, reset between fuzz inputs by model_reset().
 */
#ifndef KVM_HVA_FUZZ_MODEL_STATE_H
#define KVM_HVA_FUZZ_MODEL_STATE_H

#include <setjmp.h>

#include "harness_coverage.h"
#include "model_clock.h"

enum model_hook {
	HOOK_UNMAP_GFN_RANGE,		/* kvm_unmap_gfn_range */
	HOOK_AGE_GFN,			/* kvm_age_gfn */
	HOOK_TEST_AGE_GFN,		/* kvm_test_age_gfn */
	HOOK_SET_SPTE_GFN,		/* kvm_set_spte_gfn (6.1 .change_pte) */
	HOOK_PRE_SET_ATTRIBUTES,	/* kvm_arch_pre_set_memory_attributes (x86 6.8+) */
	HOOK_POST_SET_ATTRIBUTES,	/* kvm_arch_post_set_memory_attributes */
	HOOK_NR,
};
extern const char *const model_hook_names[HOOK_NR];

/* One call of an hva-notifier handler, as the arch code saw it. */
struct model_handler_call {
	enum model_hook hook;
	int as_id;
	int slot_id;
	u32 slot_flags;
	u64 start, end;			/* gfn range */
	int attr_filter;		/* kvm_gfn_range.attr_filter where the kernel has one, else 0 */
	bool mmu_lock_held;
	long in_progress;		/* kvm->mmu_invalidate_in_progress at the call */
	u64 range_start, range_end;	/* kvm->mmu_invalidate_range_* at the call */
	bool ret;
	unsigned long attributes;	/* range->arg.attributes of the attribute hooks, else 0 */
};

/* A stage-2 mapping installed by a vCPU fault. */
struct model_mapping {
	int as_id;
	int slot_id;
	u64 gfn;
	bool young;
	bool gmem_only;			/* the slot was guest_memfd-only when mapped */
	unsigned long hva;
};

/* What model_error holds: the oracle names a different property for each. */
enum model_error_kind {
	MODEL_ERROR_NONE,
	MODEL_ERROR_MISUSE,	/* kernel code misused an API: self-deadlock, bad unlock, endless wait */
	MODEL_ERROR_BUG,	/* kernel code reached BUG() */
};

typedef bool model_yield_hook_fn(void *ctx, enum model_yield_point p, const char *what, const char *file, int line);

#define MODEL_MAX_CALLS 512
#define MODEL_MAX_MAPPINGS 256
#define MODEL_MAX_WARNINGS 8

struct model_state {
	struct kvm *kvm;
	/* handler calls since the oracle last looked (calls[] is at the end) */
	int nr_calls;
	bool calls_overflowed;
	/* counters */
	unsigned long tlb_flushes;
	unsigned long reclaimed;
	unsigned long memslots_updated;
	u64 last_generation;
	unsigned long flush_shadow_memslot;
	unsigned long flush_shadow_all;
	unsigned long arch_prepare, arch_commit, arch_free;
	unsigned long spte_changed;	/* kvm_set_spte_gfn found and changed a present mapping */
	unsigned long spte_reached;	/* kvm_set_spte_gfn calls */
	unsigned long vm_dead_requests;
	unsigned long null_fn_calls;	/* calls of the kvm_null_fn sentinel */
	/* locks: spinlocks_held also counts rwlock readers (no yield under either) */
	int locks_held;
	int spinlocks_held;
	int srcu_readers_max;
	/* the secondary MMU (maps[] is at the end) */
	int nr_maps;
	/* injected failures: the Nth allocation / arch prepare from now fails (0 = none) */
	unsigned int fail_alloc_at;
	unsigned int fail_arch_prepare_at;
	int arch_prepare_errno;
	unsigned long allocations, frees;
	/* WARN/BUG, with the kernel file and line */
	int nr_warnings;
	struct { const char *file; int line; const char *func; const char *cond; } warnings[MODEL_MAX_WARNINGS];
	/* a finding the models themselves detected, and which kind (the first one is kept) */
	enum model_error_kind model_error_kind;
	char model_error[256];
	/* BUG() and unrecoverable waits jump here */
	jmp_buf *bug_jump;
	/* the cooperative scheduler: runs pending notifier work; false if it had none */
	bool (*schedule_hook)(void *ctx);
	void *schedule_ctx;
	/* a yield point was reached: true if other threads' work ran there */
	model_yield_hook_fn *yield_hook;
	void *yield_ctx;
	/* a grace period of ssp, begun at clock began_at, ends: the readers that began before it leave first */
	void (*grace_period_hook)(void *ctx, struct srcu_struct *ssp, unsigned long began_at);
	void *grace_period_ctx;
	int schedule_calls;
	int rcuwait_wakeups;
	bool rcuwait_woken;		/* a wake-up reached the waiting task before its schedule() */
	/*
	 * Only the first nr_calls / nr_maps entries mean anything: model_reset()
	 * clears everything before these arrays (45 KB cleared per run cost more
	 * than the kernel code of a small scenario).
	 */
	struct model_handler_call calls[MODEL_MAX_CALLS];
	struct model_mapping maps[MODEL_MAX_MAPPINGS];
};

extern struct model_state model;

/*
 * Another thread's work the current one waits for (a pending end, the readers
 * of a grace period) runs inside its wait, but it is not its code: its yield
 * points are not the current thread's.
 */
static inline model_yield_hook_fn *model_other_thread_begin(void)
{
	model_yield_hook_fn *hook = model.yield_hook;

	model.yield_hook = NULL;
	return hook;
}
static inline void model_other_thread_end(model_yield_hook_fn *hook)
{
	model.yield_hook = hook;
}

void model_reset(struct kvm *kvm);
void model_fail(const char *fmt, ...) __attribute__((__format__(printf, 1, 2)));
int model_find_mapping(int as_id, u64 gfn);
bool model_map(int as_id, int slot_id, u64 gfn, unsigned long hva, bool gmem_only);
struct model_handler_call *model_record_call(enum model_hook hook, struct kvm *kvm, const struct kvm_gfn_range *range,
					     bool ret);
bool model_unmap_range(int as_id, int slot_id, u64 start, u64 end);
long model_live_allocations(void);

#endif
