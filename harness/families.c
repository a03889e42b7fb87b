// SPDX-License-Identifier: GPL-2.0
/* The registry of operation families (family.h), indexed by scenario_ops.def's family names. */
#include "family.h"

const struct op_family *const op_families[SC_FAMILIES] = {
	[SC_FAMILY_MEMSLOT] = &memslot_family,
	[SC_FAMILY_MM] = &mm_family,
	[SC_FAMILY_VCPU] = &vcpu_family,
	[SC_FAMILY_PFNCACHE] = &pfncache_family,
	[SC_FAMILY_GMEM] = &gmem_family,
	[SC_FAMILY_ATTRIBUTES] = &attributes_family,
	[SC_FAMILY_SCHEDULER] = &scheduler_family,
};
