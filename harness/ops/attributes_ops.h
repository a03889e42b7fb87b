// SPDX-License-Identifier: GPL-2.0
/*
 * Memory attributes (KVM_SET_MEMORY_ATTRIBUTES) as userspace drives them, and
 * the property "attributes" (docs/oracle.md): the attributes family
 * (family.h), which gets the run (run.h) when a scenario begins.
 */
#ifndef KVM_HVA_FUZZ_ATTRIBUTES_OPS_H
#define KVM_HVA_FUZZ_ATTRIBUTES_OPS_H

#include "kvm_adapter.h"
#include "reference.h"
#include "scenario.h"
#include "verdict.h"

/* Runs a set_attributes operation and checks what it did. */
void attributes_set(const struct op *o);
/* A vCPU fault on a private gfn of a slot without guest_memfd exits to userspace: nothing to resolve. */
bool attributes_fault_exits(struct kvm_memory_slot *slot, u64 gfn);
/* A fault the kernel let install: its gfn's attributes must not have changed since it resolved. */
void attributes_check_fault(const struct ref_fault *f);

#endif
