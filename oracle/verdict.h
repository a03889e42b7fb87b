// SPDX-License-Identifier: GPL-2.0
/*
 * Verdicts: the oracle's named properties and how a violation is recorded
 * (the first one wins). Kernel-free; report.c prints them.
 */
#ifndef KVM_HVA_FUZZ_VERDICT_H
#define KVM_HVA_FUZZ_VERDICT_H

#include <stdbool.h>

struct verdict {
	bool violated;
	const char *property;	/* property_names[] of the first violation */
	char detail[768];	/* room for a kernel warning's caller (pfncache_ops.c) */
	int op_index;		/* failing operation (set by the driver), -1 for setup/teardown */
	bool torn_down;		/* after the violation the VM was torn down whole: the process may go on */
};

/* The properties of README's "The oracle"; their names start every report line. */
enum property {
	P_GMEM_ONLY_UNTOUCHED,
	P_CALLEE_ROLE,
	P_EXACT_RANGES,
	P_LOCK_ACCOUNTING,
	P_NOTIFIER_SAFETY,
	P_MEMSLOT_STRUCTURE,
	P_KERNEL_WARNING,
	P_LEAK,
	P_CHANGE_PTE,
	P_PROGRESS,
	P_PFN_CACHE_FRESH,
	P_GMEM_INVALIDATION,
	P_ATTRIBUTES,
	P_NR,
};
extern const char *const property_names[P_NR];

/* Records the first violation in v (op_index is the driver's); later ones are ignored. */
void violate(struct verdict *v, enum property p, const char *fmt, ...) __attribute__((__format__(printf, 3, 4)));

#endif
