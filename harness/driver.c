// SPDX-License-Identifier: GPL-2.0
/*
 * The driver: runs a scenario against the extracted kernel code. It creates
 * the VM, keeps the run's state (run.h), and for each operation looks up its
 * family by the operation's declaration (scenario_ops.def, families.c), has
 * the family run it, and asks the oracle (oracle.h) after it. It never names
 * a family: what each operation means is its family's (family.h). Bytes ->
 * scenario is scenario_text.c's.
 */
#include <stdio.h>
#include <string.h>

#include "driver.h"
#include "family.h"
#include "scenario_layout.h"

HARNESS_NO_COVERAGE_BEGIN

static void decode_settings(const struct scenario *s, struct vm_settings *vs)
{
	vs->nr_as = sc_nr_as(s->header);
	vs->readonly_mem = sc_readonly_mem(s->header);
	vs->invalidate_seq = sc_invalidate_seq(s->header);
	vs->generation = sc_generation(s->header);
}

static const struct op_family *family_of(const struct op *o)
{
	return op_families[sc_ops[o->kind].family];
}

static void run_op(struct run *r, const struct op *o)
{
	const struct op_family *f = family_of(o);
	/* nobody the reference asks about acts, unless the operation says who (its own stamps) */
	struct model_stamps *prev = model_clock_enter(NULL);
	int last = families_run(r, r->v->op_index, o);

	/* a window's operations ran inside this one: they are consumed */
	if (!r->v->violated)
		r->v->op_index = last;
	model_clock_leave(prev);
	if (f->checks_inside)
		return;	/* each operation it ran was checked */
	/* after the mm's exit_mmap() (the one SC_EXCLUSIVE operation) no mapping is left to be safe about */
	if (checking(r))
		check_operation(&r->ora, !(sc_ops[o->kind].attributes & SC_EXCLUSIVE));
	for (int k = 0; k < SC_FAMILIES; k++)
		if (op_families[k] && op_families[k]->check && checking(r))
			op_families[k]->check(r);
}

/* what a family calls to run the operations of a window */
static void run_op_at(struct run *r, int i)
{
	if (r->v->violated)
		return;
	r->v->op_index = i;
	if (r->o->trace)
		printf("trace: op %d %s\n", i, scenario_op_name(r->s->ops[i].kind));
	run_op(r, &r->s->ops[i]);
}

static bool in_window(const struct run *r)
{
	(void)r;
	for (int k = 0; k < SC_FAMILIES; k++)
		if (op_families[k] && op_families[k]->busy && op_families[k]->busy())
			return true;
	return false;
}

void scenario_run(const struct scenario *s, const struct run_options *o, struct verdict *v, struct run_stats *st)
{
	static struct run r;
	struct run_stats dummy = { 0 };
	struct vm_settings vs;
	struct ref_kernel rk;
	bool jumped = false;

	memset(&r, 0, offsetof(struct run, ref));
	memset(v, 0, sizeof(*v));
	v->op_index = -1;
	r.s = s;
	r.o = o;
	r.check = !o->oracle_off;
	r.mode = scenario_mode(s);
	r.v = v;
	r.st = st ? st : &dummy;
	r.run_op_at = run_op_at;
	r.in_window = in_window;
	decode_settings(s, &vs);
	r.kvm = adapter_create_vm(&vs);
	model_reset(r.kvm);
	model.bug_jump = &r.bug;
	adapter_reference_kernel(r.kvm, &rk);
	rk.uapi_from_code = o->uapi_from_code;
	ref_init(&r.ref, &rk);
	oracle_init(&r.ora, r.kvm, &r.ref, o->gmem_only_check, r.mode, v);
	for (int k = 0; k < SC_FAMILIES; k++)
		if (op_families[k] && op_families[k]->begin)
			op_families[k]->begin(&r);

	if (setjmp(r.bug) == 0) {
		for (int i = 0; i < s->nr_ops && !v->violated; i = v->op_index + 1) {
			v->op_index = i;
			if (o->trace)	/* marks which operation the following trace lines belong to */
				printf("trace: op %d %s\n", i, scenario_op_name(s->ops[i].kind));
			run_op(&r, &s->ops[i]);
		}
		/* teardown */
		if (!v->violated)
			v->op_index = -1;
		/* what the incremental memslot checks owe (nothing can have changed without a request) */
		if (r.any_request && checking(&r))
			check_memslots(&r.ora, CHECK_END);
		/* what is in flight ends (mm/ ends what it started) */
		for (int k = 0; k < SC_FAMILIES; k++)
			if (op_families[k] && op_families[k]->finish)
				op_families[k]->finish(&r);
	} else {
		jumped = true;
		if (r.check)
			check_model_error(&r.ora);
	}
	model.bug_jump = NULL;
	model.fail_alloc_at = 0;
	/* a BUG() left kernel code mid-way (locks held, half an update): leave the VM, the process aborts */
	if (v->violated && (jumped || !o->teardown_after_violation))
		return;
	for (int k = 0; k < SC_FAMILIES; k++)
		if (op_families[k] && op_families[k]->end)
			op_families[k]->end(&r);
	adapter_destroy_vm(r.kvm);
	if (!v->violated && r.check)
		check_leak(&r.ora);
	/* every operation returned and the VM went away: a fuzzer that records the finding may go on */
	v->torn_down = v->violated;
}

HARNESS_NO_COVERAGE_END
