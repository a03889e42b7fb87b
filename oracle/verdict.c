// SPDX-License-Identifier: GPL-2.0
/* The properties' names and the first violation of a run (verdict.h). */
#include <stdarg.h>
#include <stdio.h>

#include "harness_coverage.h"
#include "verdict.h"

HARNESS_NO_COVERAGE_BEGIN

const char *const property_names[P_NR] = {
	[P_GMEM_ONLY_UNTOUCHED] = "gmem-only untouched",
	[P_CALLEE_ROLE] = "callee role",
	[P_EXACT_RANGES] = "exact ranges",
	[P_LOCK_ACCOUNTING] = "lock and accounting",
	[P_NOTIFIER_SAFETY] = "notifier safety",
	[P_MEMSLOT_STRUCTURE] = "memslot structure",
	[P_KERNEL_WARNING] = "kernel warning",
	[P_LEAK] = "leak",
	[P_CHANGE_PTE] = "change_pte changes nothing",
	[P_PROGRESS] = "progress",
	[P_PFN_CACHE_FRESH] = "pfn cache fresh",
	[P_GMEM_INVALIDATION] = "gmem invalidation",
	[P_ATTRIBUTES] = "attributes",
};

void violate(struct verdict *v, enum property p, const char *fmt, ...)
{
	va_list ap;

	if (v->violated)
		return;
	v->violated = true;
	v->property = property_names[p];
	va_start(ap, fmt);
	vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
	va_end(ap);
}

HARNESS_NO_COVERAGE_END
