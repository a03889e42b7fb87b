// SPDX-License-Identifier: GPL-2.0
/*
 * Verdicts: the oracle's named properties and how a violation is recorded
 * (the first one wins). Kernel-free.
 */
#ifndef KVM_HVA_FUZZ_REPORT_H
#define KVM_HVA_FUZZ_REPORT_H

#include "scenario.h"

/* The properties of README's "The oracle"; their names start every report line. */
enum property {
	P_GMEM_ONLY_UNTOUCHED,
	P_EXACT_RANGES,
	P_LOCK_ACCOUNTING,
	P_NOTIFIER_SAFETY,
	P_MEMSLOT_STRUCTURE,
	P_KERNEL_WARNING,
	P_LEAK,
	P_CHANGE_PTE,
	P_NR,
};
extern const char *const property_names[P_NR];

/* Records the first violation in v (op_index is the driver's); later ones are ignored. */
void violate(struct verdict *v, enum property p, const char *fmt, ...) __attribute__((__format__(printf, 3, 4)));

#endif
