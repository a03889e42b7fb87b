/* STUB: no kernel behaviour: which code gives the engines coverage feedback. Kernel-free. */
// SPDX-License-Identifier: GPL-2.0
#ifndef KVM_HVA_FUZZ_HARNESS_COVERAGE_H
#define KVM_HVA_FUZZ_HARNESS_COVERAGE_H

/*
 * The harness's own code (models, reference model, oracle) is left out of the
 * engines' coverage feedback: new coverage should mean new kernel behaviour,
 * and the oracle's loops over slots, hash buckets and mappings made the
 * trace-cmp callbacks the largest cost of a run (BENCHMARKS.md). Kernel code
 * stays instrumented; but a kernel inline inlined into an uninstrumented
 * function is not, so harness functions that run one for the kernel's own
 * behaviour (the vCPU's memslot lookup, the fault retry check) are left out
 * of these regions. Put HARNESS_NO_COVERAGE_BEGIN after the includes.
 */
#if defined(__clang__) && __clang_major__ >= 13
#define HARNESS_NO_COVERAGE_BEGIN \
	_Pragma("clang attribute push(__attribute__((no_sanitize(\"coverage\"))), apply_to = function)")
#define HARNESS_NO_COVERAGE_END _Pragma("clang attribute pop")
#else
#define HARNESS_NO_COVERAGE_BEGIN
#define HARNESS_NO_COVERAGE_END
#endif

#endif
