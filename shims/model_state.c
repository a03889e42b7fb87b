/* MODEL: the state the models record for the oracle, model_fail() and WARN/BUG. */
// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* kernel headers: their unused parameters are the kernel's style, not ours to fix */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kvm_extracted.h"
#pragma GCC diagnostic pop
#include "model_state.h"

HARNESS_NO_COVERAGE_BEGIN

struct model_state model;

static void model_error_v(enum model_error_kind kind, const char *fmt, va_list ap)
{
	if (model.model_error_kind != MODEL_ERROR_NONE)
		return;	/* keep the first */
	model.model_error_kind = kind;
	vsnprintf(model.model_error, sizeof(model.model_error), fmt, ap);
}

void model_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	model_error_v(MODEL_ERROR_MISUSE, fmt, ap);
	va_end(ap);
}

static void model_bug_record(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	model_error_v(MODEL_ERROR_BUG, fmt, ap);
	va_end(ap);
}

/* ---- WARN / BUG --------------------------------------------------------------- */

/*
 * A kernel file as the tree names it ("virt/kvm/pfncache.c"): the #line of
 * extracted code holds the path of the tree it came from, which is the cache's.
 */
static const char *kernel_file(const char *file)
{
	static const char *const tops[] = { "/virt/", "/arch/", "/include/", "/lib/", "/mm/" };
	const char *best = NULL;

	for (size_t i = 0; i < sizeof(tops) / sizeof(tops[0]); i++) {
		const char *p = strstr(file, tops[i]);

		if (p && (!best || p < best))
			best = p;
	}
	return best ? best + 1 : file;
}

/*
 * KVM_HVA_FUZZ_IGNORE_WARN="virt/kvm/pfncache.c:267 ...": WARNs the user knows
 * about and wants past (a known WARN a few operations away would end every
 * run of a long fuzzing job); unset, every WARN counts.
 */
static bool ignored_warn(const char *file, int line)
{
	static const char *list;
	static bool read;
	char want[160];
	const char *p;

	if (!read) {
		list = getenv("KVM_HVA_FUZZ_IGNORE_WARN");
		read = true;
	}
	if (!list)
		return false;
	snprintf(want, sizeof(want), "%s:%d", file, line);
	for (p = strstr(list, want); p; p = strstr(p + 1, want))
		if ((p == list || p[-1] == ' ' || p[-1] == ',') && (!p[strlen(want)] || p[strlen(want)] == ' ' ||
								     p[strlen(want)] == ','))
			return true;
	return false;
}

void model_warn(const char *file, int line, const char *func, const char *cond)
{
	if (ignored_warn(kernel_file(file), line))
		return;
	if (model.nr_warnings < MODEL_MAX_WARNINGS) {
		model.warnings[model.nr_warnings].file = kernel_file(file);
		model.warnings[model.nr_warnings].line = line;
		model.warnings[model.nr_warnings].func = func;
		model.warnings[model.nr_warnings].cond = cond;
	}
	model.nr_warnings++;
}

void model_bug(const char *file, int line, const char *cond)
{
	model_bug_record("BUG: %s at %s:%d", cond, kernel_file(file), line);
	if (model.bug_jump)
		longjmp(*model.bug_jump, 1);
	abort();
}

void model_reset(struct kvm *kvm)
{
	/* calls[] and maps[] are read only below nr_calls / nr_maps, which this clears */
	memset(&model, 0, offsetof(struct model_state, calls));
	model.kvm = kvm;
	model_clock_reset(kvm ? (long)kvm->mmu_invalidate_seq : 0, kvm ? kvm->mmu_invalidate_in_progress : 0,
			  kvm ? (long)kvm->mn_active_invalidate_count : 0);
}

HARNESS_NO_COVERAGE_END
