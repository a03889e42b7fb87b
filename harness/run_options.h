// SPDX-License-Identifier: GPL-2.0
/* How a run is asked for and what it counts: shared by the driver's callers (driver.h) and the run (run.h). */
#ifndef KVM_HVA_FUZZ_RUN_OPTIONS_H
#define KVM_HVA_FUZZ_RUN_OPTIONS_H

#include <stdbool.h>

struct run_options {
	bool gmem_only_check;	/* the first law; off to fuzz unpatched kernels for other bugs */
	bool trace;		/* print every handler call and request result (tests assert on it) */
	/*
	 * Benchmarks only (targets/tools/bench_bare.c): run the operations through
	 * the kernel code but check nothing, to measure the oracle's cost. What
	 * an operation means (the slot table requests are built from, the
	 * invalidations and faults in flight) is still kept.
	 */
	bool oracle_off;
	/*
	 * After a violation, tear the VM down (the oracle off) so the process can go on: a fuzzer
	 * that records findings, a replayer of a whole corpus. Otherwise the VM is left as the
	 * violation found it and the caller reports and aborts: the teardown of a broken kernel
	 * may crash before the report is out.
	 */
	bool teardown_after_violation;
	/*
	 * The code's own return codes are the uAPI where kernels differ (oracle/uapi.h), not
	 * the version's table: check-patch's patched tree when the patch declares the change.
	 */
	bool uapi_from_code;
};

/* Counters the change_pte report and benchmarks read. */
struct run_stats {
	unsigned long change_pte_events, change_pte_reached, change_pte_changed;
	unsigned long notifier_events, memslot_requests, faults_installed;
};

#endif
