// SPDX-License-Identifier: GPL-2.0
/*
 * guest_memfd's own invalidation as scenario operations (fallocate(PUNCH_HOLE)
 * and close of a bound file) and its oracle property, "gmem invalidation"
 * (docs/oracle.md): the gmem family (family.h), which gets the run (run.h)
 * when a scenario begins.
 */
#ifndef KVM_HVA_FUZZ_GMEM_OPS_H
#define KVM_HVA_FUZZ_GMEM_OPS_H

#include "kvm_adapter.h"
#include "reference.h"
#include "scenario.h"
#include "verdict.h"

/* gmem_punch_hole or gmem_close; a no-op where the kernel has no guest_memfd */
void gmem_op(const struct op *o);
/* After every operation: kernel code touched no released file. */
void gmem_check(void);
/* A fault the kernel let install: no punch hole or release of its gfn came between its resolve and commit. */
void gmem_check_fault_commit(const struct ref_fault *f);

#endif
