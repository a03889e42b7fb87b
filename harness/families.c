// SPDX-License-Identifier: GPL-2.0
/* The registry of operation families (family.h), indexed by scenario_ops.def's family names. */
#include "family.h"

#define FAMILY_ENTRY(F, f) [SC_FAMILY_##F] = &f##_family,
const struct op_family *const op_families[SC_FAMILIES] = { FAMILIES(FAMILY_ENTRY) };

/*
 * Every operation goes through here: a direct call per family, where a call
 * through op_families[]->run (an indirect call the CPU mispredicts as the kinds
 * alternate) cost 5% of the bare rate (BENCHMARKS.md, issue 25).
 */
int families_run(struct run *r, int index, const struct op *o)
{
#define FAMILY_CASE(F, f) case SC_FAMILY_##F: return f##_family_run(r, index, o);
	switch (sc_ops[o->kind].family) {
	FAMILIES(FAMILY_CASE)
	}
	return index;
}
