// SPDX-License-Identifier: GPL-2.0
/*
 * Reporting and run options: how a violation (verdict.h) is printed
 * ("ORACLE VIOLATION: <property>: <detail>", then the kernel and the scenario
 * up to the failing operation) and the options a fuzz target takes from the
 * environment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvm_adapter.h"
#include "driver.h"
#include "scenario.h"

HARNESS_NO_COVERAGE_BEGIN

void scenario_report(FILE *f, const struct scenario *s, const struct verdict *v)
{
	fflush(stdout);	/* trace lines first: the caller aborts */
	fprintf(f, "ORACLE VIOLATION: %s: %s\n", v->property, v->detail);
	/* the text names ids near the limit relative to it ("slot=0:user+0"): the kernel's value resolves them */
	fprintf(f, "kernel %s; slot=AS:user+N is id %d+N (KVM_USER_MEM_SLOTS); scenario up to the failing operation:\n",
		kernel.version, (int)KVM_USER_MEM_SLOTS);
	scenario_print(f, s, v->op_index < 0 ? s->nr_ops : v->op_index);
	fflush(f);
}

/* The first law's option: KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0|1, or its older name; NULL if unset. */
const char *gmem_only_untouched_option(void)
{
	const char *e = getenv("KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED");

	return e ? e : getenv("KVM_HVA_FUZZ_GMEM_ONLY_CHECK");
}

void run_options_from_env(struct run_options *o)
{
	const char *e = gmem_only_untouched_option();

	o->gmem_only_check = !(e && !strcmp(e, "0"));
	e = getenv("KVM_HVA_FUZZ_TRACE");
	o->trace = e && !strcmp(e, "1");
	o->oracle_off = false;	/* never from the environment: a fuzz target always checks */
	e = getenv("KVM_HVA_FUZZ_UAPI");
	o->uapi_from_code = e && !strcmp(e, "code");
}

HARNESS_NO_COVERAGE_END
