// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: random memslot layouts, guest_memfd bindings, notifier events
 * and vCPU faults through the real KVM code, checked by the oracle after every
 * operation. A violation prints "ORACLE VIOLATION: <property>: <detail>" and
 * the readable scenario, then aborts so the engine keeps the input.
 *
 * Environment:
 *   KVM_HVA_FUZZ_GMEM_ONLY_CHECK=0  switch the first law off (fuzz unpatched
 *                                   kernels for other bugs); =1 switches it on
 * Built with -DGMEM_ONLY_CHECK_DEFAULT=0 (build.sh's
 * fuzz_memslot_notifier_first_law_off), the first law is off unless the
 * environment switches it on, so continuous fuzzing of an unpatched kernel,
 * which breaks the first law within seconds, still looks for everything else.
 * The scenario header selects the mode: legal (what mm/ issues), illegal (also
 * unpaired invalidate ends) or change_pte_unwrapped (change_pte outside invalidations).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "scenario.h"

#ifndef GMEM_ONLY_CHECK_DEFAULT
#define GMEM_ONLY_CHECK_DEFAULT 1
#endif

static struct run_options options;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	run_options_from_env(&options);
	if (!getenv("KVM_HVA_FUZZ_GMEM_ONLY_CHECK"))
		options.gmem_only_check = GMEM_ONLY_CHECK_DEFAULT;
	setvbuf(stderr, NULL, _IOLBF, 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scenario s;
	struct verdict v;

	scenario_decode(data, size, &s);
	scenario_run(&s, &options, &v, NULL);
	if (v.violated) {
		scenario_report(stderr, &s, &v);
		abort();
	}
	return 0;
}
