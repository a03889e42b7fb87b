// SPDX-License-Identifier: GPL-2.0
/*
 * Memory attributes (KVM_SET_MEMORY_ATTRIBUTES) as userspace drives them, and
 * the property "attributes" (docs/oracle.md). The runner lends the VM, its
 * reference model and the verdict through struct attributes_host.
 */
#ifndef KVM_HVA_FUZZ_ATTRIBUTES_OPS_H
#define KVM_HVA_FUZZ_ATTRIBUTES_OPS_H

#include "kvm_adapter.h"
#include "reference.h"
#include "scenario.h"
#include "verdict.h"

struct attributes_host {
	struct kvm *kvm;
	struct reference *ref;
	struct verdict *v;
	bool check;		/* the oracle runs (not oracle_off) */
	bool trace;
};

void attributes_begin(const struct attributes_host *h);
/* Runs a set_attributes operation and checks what it did. */
void attributes_set(const struct op *o);
/* A vCPU fault on a private gfn of a slot without guest_memfd exits to userspace: nothing to resolve. */
bool attributes_fault_exits(struct kvm_memory_slot *slot, u64 gfn);
/* A fault the kernel let install: its gfn's attributes must not have changed since it resolved. */
void attributes_check_fault(const struct ref_fault *f);

#endif
