// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle: reads the kernel's state, the models' records (model_state.h) and
 * the reference model, and names the first property violated (README: The
 * oracle). It never writes kernel or reference state; its only own state is
 * what each address space's memslot sets looked like when last checked, so a
 * request is checked where it can have changed something.
 */
#ifndef KVM_HVA_FUZZ_ORACLE_H
#define KVM_HVA_FUZZ_ORACLE_H

#include "kvm_adapter.h"
#include "reference.h"
#include "scenario_layout.h"
#include "verdict.h"

/* Of one memslot set: what any change of the set writes (oracle_memslots.c, set_unchanged). */
struct set_print {
	u64 generation;
	const void *hva_root, *hva_leftmost, *gfn_root;
	const void *id_heads[SC_NR_SLOT_IDS];	/* the heads of the buckets the scenario's ids hash to */
};

struct oracle {
	const struct kvm *kvm;
	const struct reference *ref;
	bool gmem_only_check;
	enum scenario_mode mode;
	struct verdict *v;
	/* the oracle's own memory: each address space's sets as last checked whole, and what is owed */
	struct set_print prints[SC_MAX_AS][2];
	bool owes_whole[SC_MAX_AS];	/* a print stood in for a whole check since the last one */
	bool owes_scan[SC_MAX_AS];	/* checked whole without the scan for extra id-hash entries */
};

void oracle_init(struct oracle *ora, const struct kvm *kvm, const struct reference *ref,
		 bool gmem_only_check, enum scenario_mode mode, struct verdict *v);
void oracle_memslots_init(struct oracle *ora);	/* oracle_init's part for check_memslots */

/* After every operation: check_operation() runs the three below. */
void check_operation(struct oracle *ora, bool notifier_safety);
void check_warnings(struct oracle *ora);
void check_accounting(struct oracle *ora);
void check_notifier_safety(struct oracle *ora);
/* A BUG() or an endless wait ended the run (model_error). */
void check_model_error(struct oracle *ora);

/* hva notifier events: the handler calls recorded since the event began. */
void check_calls(struct oracle *ora, const char *event, unsigned long start, unsigned long end, enum model_hook hook);
void check_start_flush(struct oracle *ora, unsigned long flushes_before);
void check_aging(struct oracle *ora, const char *event, bool ret, bool flush_on_young, unsigned long flushes_before);
void check_invalidate_end(struct oracle *ora, const struct ref_invalidation *inv, unsigned long seq_before);
void check_unpaired_end(struct oracle *ora, long in_progress_before);
void check_change_pte(struct oracle *ora, unsigned long addr, unsigned long changed_before);
void check_release(struct oracle *ora);
void check_callees(struct oracle *ora, const char *event, unsigned long start, unsigned long end);

/* Memslot requests and guest_memfd creation. */
void check_request(struct oracle *ora, const struct memslot_request *q, bool internal, int got, int expect,
		   enum ref_change change);
void check_gmem_only_flag(struct oracle *ora, int as, int id);
/* changed_as: the address space a request can have changed, -1 none, CHECK_END what is owed at the end */
#define CHECK_END SC_MAX_AS
void check_memslots(struct oracle *ora, int changed_as);
void check_gmem_create(struct oracle *ora, u64 size, u64 flags, int got, int expect);

/* vCPU faults: one the kernel let install; the retry check's answer; the memslot lookup. */
void check_fault_commit(struct oracle *ora, const struct ref_fault *f);
void check_mappings_have_slots(struct oracle *ora);
void check_fault_progress(struct oracle *ora, const struct ref_fault *f, bool retry);
void check_lookup(struct oracle *ora, int as, int id, uint64_t gfn, const struct kvm_memory_slot *found);

/* After VM teardown. */
void check_leak(struct oracle *ora);

#endif
