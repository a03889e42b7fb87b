/* MODEL: the kernel allocators over libc, with failure injection and a live count for the leak check. */
// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>

/* kernel headers: their unused parameters are the kernel's style, not ours to fix */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kvm_extracted.h"
#pragma GCC diagnostic pop
#include "model_state.h"

HARNESS_NO_COVERAGE_BEGIN

/* ---- allocation --------------------------------------------------------------- */

void *model_zalloc(size_t size)
{
	if (model.fail_alloc_at && --model.fail_alloc_at == 0)
		return NULL;
	model.allocations++;
	return calloc(1, size ? size : 1);
}

void model_free(const void *p)
{
	if (!p)
		return;
	model.frees++;
	free((void *)p);
}

long model_live_allocations(void)
{
	return (long)(model.allocations - model.frees);
}

HARNESS_NO_COVERAGE_END
