// SPDX-License-Identifier: GPL-2.0
/*
 * One run of a scenario: the state the driver (driver.c) and the operation
 * families (family.h) share. The driver owns it and hands it to every family
 * call; what a family needs from the driver (running another operation of the
 * scenario, for a window) is a function pointer here, so no family calls up.
 */
#ifndef KVM_HVA_FUZZ_RUN_H
#define KVM_HVA_FUZZ_RUN_H

#include <setjmp.h>

#include "kvm_adapter.h"
#include "oracle.h"
#include "reference.h"
#include "run_options.h"
#include "scenario.h"

struct run {
	const struct scenario *s;
	const struct run_options *o;
	bool check;			/* the oracle runs (not oracle_off) */
	bool any_request;		/* a memslot request ran: check_memslots(CHECK_END) at the end */
	enum scenario_mode mode;	/* from the scenario header */
	struct verdict *v;
	struct run_stats *st;
	struct kvm *kvm;
	/* run operation i of the scenario with all of its checks (a window's operations) */
	void (*run_op_at)(struct run *r, int i);
	/* a family has a window open (a yield's, a pfn cache call's GUP): windows do not nest */
	bool (*in_window)(const struct run *r);
	jmp_buf bug;
	/* from here on cleared by their own init: ref_init() and oracle_init() leave large tails alone */
	struct reference ref;
	struct oracle ora;
};

/* the oracle runs, and nothing is violated yet */
static inline __attribute__((always_inline)) bool checking(const struct run *r)
{
	return r->check && !r->v->violated;
}

#endif
