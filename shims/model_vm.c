/* MODEL: the memslot-set initialisation kvm_create_vm() does inline. */
// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_create_vm() as a whole needs the rest of the VM (vCPUs, buses, irq
 * routing, debugfs), so its loop over address spaces is a MODEL here; the test
 * memslot-init-matches-kernel compares it with the kernel's loop text, token
 * for token. The adapter creates the VM around it.
 */
/* kernel headers: their unused parameters are the kernel's style, not ours to fix */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kvm_extracted.h"
#pragma GCC diagnostic pop
#include "model_state.h"

HARNESS_NO_COVERAGE_BEGIN

void model_init_memslots(struct kvm *kvm, u64 generation)
{
	struct kvm_memslots *slots;
	int i, j;

	for (i = 0; i < kvm_arch_nr_memslot_as_ids(kvm); i++) {
		for (j = 0; j < 2; j++) {
			slots = &kvm->__memslots[i][j];

			atomic_long_set(&slots->last_used_slot, (unsigned long)NULL);
			slots->hva_tree = RB_ROOT_CACHED;
			slots->gfn_tree = RB_ROOT;
			hash_init(slots->id_hash);
			slots->node_idx = j;

			/* Generations must be different for each address space. */
			slots->generation = generation + i;
		}

		rcu_assign_pointer(kvm->memslots[i], &kvm->__memslots[i][0]);
	}
}

HARNESS_NO_COVERAGE_END
