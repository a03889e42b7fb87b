// SPDX-License-Identifier: GPL-2.0
/*
 * Reporting and run options: how a violation is recorded and printed
 * ("ORACLE VIOLATION: <property>: <detail>", then the scenario up to the
 * failing operation) and the options a fuzz target takes from the environment.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

const char *const property_names[P_NR] = {
	[P_GMEM_ONLY_UNTOUCHED] = "gmem-only untouched",
	[P_EXACT_RANGES] = "exact ranges",
	[P_LOCK_ACCOUNTING] = "lock and accounting",
	[P_NOTIFIER_SAFETY] = "notifier safety",
	[P_MEMSLOT_STRUCTURE] = "memslot structure",
	[P_KERNEL_WARNING] = "kernel warning",
	[P_LEAK] = "leak",
	[P_CHANGE_PTE] = "change_pte changes nothing",
};

void violate(struct verdict *v, enum property p, const char *fmt, ...)
{
	va_list ap;

	if (v->violated)
		return;
	v->violated = true;
	v->property = property_names[p];
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
	va_end(ap);
}

void scenario_report(FILE *f, const struct scenario *s, const struct verdict *v)
{
	fflush(stdout);	/* trace lines first: the caller aborts */
	fprintf(f, "ORACLE VIOLATION: %s: %s\n", v->property, v->detail);
	fprintf(f, "kernel %s; scenario up to the failing operation:\n", scenario_kernel_version());
	scenario_print(f, s, v->op_index < 0 ? s->nr_ops : v->op_index);
	fflush(f);
}

void run_options_from_env(struct run_options *o)
{
	const char *e = getenv("KVM_HVA_FUZZ_GMEM_ONLY_CHECK");

	o->gmem_only_check = !(e && !strcmp(e, "0"));
	e = getenv("KVM_HVA_FUZZ_TRACE");
	o->trace = e && !strcmp(e, "1");
	o->oracle_off = false;	/* never from the environment: a fuzz target always checks */
}
