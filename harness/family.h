// SPDX-License-Identifier: GPL-2.0
/*
 * An operation family: the code that runs one family's operations
 * (scenario_ops.def says which family an operation is in) through the
 * adapter, tells the reference what they mean and checks what only that
 * family knows. Every family has the same small interface; the driver looks
 * a family up by the operation's declaration (families.c) and never names one.
 */
#ifndef KVM_HVA_FUZZ_FAMILY_H
#define KVM_HVA_FUZZ_FAMILY_H

#include "run.h"
#include "scenario_decl.h"

struct op_family {
	/* a scenario begins (the VM exists, the reference is empty): reset and hook into the models */
	void (*begin)(struct run *r);
	/* run operation o at index; returns the last index it ran (a window runs the ones after it) */
	int (*run)(struct run *r, int index, const struct op *o);
	/* after every operation, with the oracle on and nothing violated: what only this family checks */
	void (*check)(struct run *r);
	/* the operations are over (a violation too, if the run tears down): end what is still in flight */
	void (*finish)(struct run *r);
	/* before the VM goes away */
	void (*end)(struct run *r);
	/* one of its operations has a window open, where the operations after it run */
	bool (*busy)(void);
	/* the family's operations check each operation they run (a yield's window): the driver does not */
	bool checks_inside;
};

/* indexed by enum sc_family; a family without operations of its own is NULL */
extern const struct op_family *const op_families[SC_FAMILIES];

/* every family: X(FAMILY, prefix) names prefix_family and prefix_family_run(), its .run */
#define FAMILIES(X) X(MEMSLOT, memslot) X(MM, mm) X(VCPU, vcpu) X(PFNCACHE, pfncache) X(GMEM, gmem) \
	X(ATTRIBUTES, attributes) X(SCHEDULER, scheduler)
#define FAMILY_DECLARE(F, f) extern const struct op_family f##_family; \
	int f##_family_run(struct run *r, int index, const struct op *o);
FAMILIES(FAMILY_DECLARE)

/* run operation o at index in its family (op_families[]->run, called directly) */
int families_run(struct run *r, int index, const struct op *o);

#endif
