// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's interface, for the targets and tools above it: how a run is
 * asked for (its options, the counters it keeps) and what it answers (a
 * verdict; report.c prints it). Kernel-free.
 */
#ifndef KVM_HVA_FUZZ_DRIVER_H
#define KVM_HVA_FUZZ_DRIVER_H

#include <stdbool.h>
#include <stdio.h>

#include "run_options.h"
#include "scenario.h"
#include "verdict.h"

void scenario_run(const struct scenario *s, const struct run_options *o, struct verdict *v, struct run_stats *st);
/* report.c: the report of a violation (after the kernel's version); the options from the environment */
void scenario_report(FILE *f, const struct scenario *s, const struct verdict *v);
void run_options_from_env(struct run_options *o);
const char *gmem_only_untouched_option(void);

#endif
