// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPUs (fault_ops.c): a fault split into resolve (read
 * mmu_invalidate_seq, look the slot up, under SRCU) and commit (the retry
 * check and the install, under mmu_lock), and the grace periods that wait for
 * the faults whose read sections began before them: the vcpu family (family.h).
 */
#ifndef KVM_HVA_FUZZ_FAULT_OPS_H
#define KVM_HVA_FUZZ_FAULT_OPS_H

#include "kvm_adapter.h"
#include "oracle.h"
#include "reference.h"
#include "run_options.h"
#include "scenario.h"
#include "verdict.h"

void fault_resolve(const struct op *o);
void fault_commit(int k);
/* model.grace_period_hook */
void fault_grace_period(void *ctx, struct srcu_struct *ssp, unsigned long began_at);

#endif
