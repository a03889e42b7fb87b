// SPDX-License-Identifier: GPL-2.0
/*
 * The gfn_to_pfn cache's scenario operations and its oracle property, "pfn
 * cache fresh" (docs/oracle.md). The scenario runner lends what they need of
 * it through struct pfncache_host, so this file knows nothing of the runner's
 * reference model.
 */
#ifndef KVM_HVA_FUZZ_PFNCACHE_OPS_H
#define KVM_HVA_FUZZ_PFNCACHE_OPS_H

#include "kvm_adapter.h"
#include "scenario.h"
#include "verdict.h"

struct pfncache_host {
	struct kvm *kvm;
	const struct scenario *s;
	bool trace;
	bool check;		/* the oracle runs (not oracle_off) */
	struct verdict *v;
	void *ctx;
	/* run operation i of the scenario with all of its checks */
	void (*run_op_at)(void *ctx, int i);
	/* whether an invalidation in flight covers [start, end) (mm/ changes a PTE only inside one) */
	bool (*inflight_covers)(void *ctx, unsigned long start, unsigned long end);
	/* whether a split call may run operations inside its GUP (not inside another window) */
	bool (*may_split)(void *ctx);
};

/* Before the first operation (a fresh VM) and before VM teardown. */
void pfncache_begin(const struct pfncache_host *h);
void pfncache_end(void);
/* Runs a gpc_* or hva_replace operation; returns the index of the last operation it consumed. */
int pfncache_op(int index, const struct op *o);
/* The property, after every operation. */
void pfncache_check(void);
/* A split activate or refresh is running the operations of its window. */
bool pfncache_busy(void);

#endif
