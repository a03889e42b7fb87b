// SPDX-License-Identifier: GPL-2.0
/*
 * guest_memfd's own invalidation, as userspace drives it, and the property
 * "gmem invalidation" (docs/oracle.md):
 *
 *   - gmem_punch_hole: fallocate(fd, PUNCH_HOLE|KEEP_SIZE, ...) reaches
 *     kvm_gmem_punch_hole(): kvm_gmem_invalidate_begin/_start() unmaps every
 *     binding in the hole, the page cache is truncated, _end() closes the
 *     invalidation;
 *   - gmem_close: the fd's last reference goes, kvm_gmem_release() clears each
 *     binding's slot->gmem.file and invalidates the whole file while memslots
 *     still point at it.
 *
 * After either: the handler calls are exactly the reference's (each binding
 * in range, its gfns there, the filter the file's flags imply, under mmu_lock,
 * inside mmu_invalidate_range_*), no mapping of those gfns survives, the
 * counters are back where they were with mmu_invalidate_seq one further if a
 * binding was met, and nothing reaches a released file through a binding (a
 * vCPU's lookup, kvm_gmem_get_file(), runs on each slot after a close). A
 * fault that read mmu_invalidate_seq before a hole or release of its gfn
 * ended (its seq move, on the clock) never installs after it.
 * Either operation can sit inside an hva invalidation or between a fault's
 * resolve and commit: they are ordinary operations of the sequence.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "family.h"
#include "gmem_ops.h"
#include "scenario_layout.h"

HARNESS_NO_COVERAGE_BEGIN

static struct run *run;	/* the run this family acts on (family_begin) */

static void gmem_violate(const char *fmt, ...) __attribute__((__format__(printf, 1, 2)));
static void gmem_violate(const char *fmt, ...)
{
	char detail[300];
	va_list ap;

	if (!run->check || run->v->violated)
		return;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	violate(run->v, P_GMEM_INVALIDATION, "%s", detail);
}

struct before {
	long in_progress;
	unsigned long active, seq, flushes;
};

static void snapshot(struct before *b)
{
	*b = (struct before){ run->kvm->mmu_invalidate_in_progress, run->kvm->mn_active_invalidate_count,
			      run->kvm->mmu_invalidate_seq, model.tlb_flushes };
	model.nr_calls = 0;
	model.calls_overflowed = false;
}

/* The handler calls since snapshot() against the reference's, one by one. */
static void gmem_check_calls(const char *what, struct ref_gmem_effect *e, const struct before *b)
{
	bool flushed = false;

	for (int i = 0; i < model.nr_calls; i++) {
		const struct model_handler_call *c = &model.calls[i];
		int k;

		for (k = 0; k < e->nr_calls; k++)
			if (e->calls[k].as_id == c->as_id && e->calls[k].id == c->slot_id && e->calls[k].start == c->start &&
			    e->calls[k].end == c->end)
				break;
		if (c->hook != HOOK_UNMAP_GFN_RANGE || k == e->nr_calls) {
			gmem_violate("%s called %s on slot %d:%d gfn [0x%" PRIx64 ",0x%" PRIx64 "), which is no binding's "
				     "part of it", what, model_hook_names[c->hook], c->as_id, c->slot_id, c->start, c->end);
			return;
		}
		e->calls[k].seen = true;
		flushed |= c->ret;
		if (!c->mmu_lock_held || c->in_progress != b->in_progress + 1 || c->range_start > c->start ||
		    c->end > c->range_end) {
			gmem_violate("%s unmapped slot %d:%d gfn [0x%" PRIx64 ",0x%" PRIx64 ") %s (mmu_invalidate_in_progress "
				     "%ld, was %ld; range [0x%" PRIx64 ",0x%" PRIx64 "))", what, c->as_id, c->slot_id, c->start,
				     c->end, c->mmu_lock_held ? "outside its invalidation" : "without mmu_lock",
				     c->in_progress, b->in_progress, c->range_start, c->range_end);
			return;
		}
		if (e->attr_filter && c->attr_filter != e->attr_filter) {
			gmem_violate("%s unmapped slot %d:%d with attr_filter 0x%x; the file's flags imply 0x%x", what,
				     c->as_id, c->slot_id, c->attr_filter, e->attr_filter);
			return;
		}
	}
	for (int k = 0; k < e->nr_calls; k++)
		if (!e->calls[k].seen) {
			gmem_violate("%s never unmapped slot %d:%d gfn [0x%" PRIx64 ",0x%" PRIx64 "), which the file binds there",
				     what, e->calls[k].as_id, e->calls[k].id, e->calls[k].start, e->calls[k].end);
			return;
		}
	if (flushed && model.tlb_flushes == b->flushes)
		gmem_violate("%s zapped mappings but flushed no TLB", what);
}

/* What must hold once the invalidation is over. */
static void check_after(const char *what, const struct ref_gmem_effect *e, const struct before *b)
{
	struct kvm *kvm = run->kvm;

	for (int i = 0; i < model.nr_maps; i++) {
		const struct model_mapping *m = &model.maps[i];

		for (int k = 0; k < e->nr_calls; k++)
			if (m->as_id == e->calls[k].as_id && m->slot_id == e->calls[k].id && m->gfn >= e->calls[k].start &&
			    m->gfn < e->calls[k].end) {
				gmem_violate("gfn 0x%" PRIx64 " of slot %d:%d is still mapped after %s", m->gfn, m->as_id,
					     m->slot_id, what);
				return;
			}
	}
	if (kvm->mmu_invalidate_in_progress != b->in_progress || kvm->mn_active_invalidate_count != b->active)
		gmem_violate("%s left mmu_invalidate_in_progress %ld (was %ld), mn_active_invalidate_count %lu (was %lu): "
			     "its start and end are not paired", what, kvm->mmu_invalidate_in_progress, b->in_progress,
			     kvm->mn_active_invalidate_count, b->active);
	else if (kvm->mmu_invalidate_seq != b->seq + e->found)
		gmem_violate("%s moved mmu_invalidate_seq from 0x%lx to 0x%lx; %s", what, b->seq, kvm->mmu_invalidate_seq,
			     e->found ? "a binding was in range: one end, one step" : "no binding was in range: no step");
}

/* The kernel call, with its moments on the clock: its end's seq move is when it ended (else its return). */
static unsigned long call_ended_at(struct model_stamps *st, struct model_stamps *prev)
{
	model_clock_leave(prev);
	return st->end_at ? st->end_at : model_clock.now + 1;
}

static void punch_hole(const struct op *o)
{
	static const int modes[SC_HOLE_NR] = {
		[SC_HOLE_PUNCH] = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		[SC_HOLE_NO_KEEP_SIZE] = FALLOC_FL_PUNCH_HOLE,
		[SC_HOLE_UNDEFINED_MODE] = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE | 0x100,
		[SC_HOLE_UNALIGNED] = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
	};
	int fd = sc_gmem_op_fd(o->a);
	enum sc_hole_mode mode = sc_hole_mode(o->d);
	s64 offset = (s64)(sc_hole_first(o->b) * PAGE_SIZE) + (mode == SC_HOLE_UNALIGNED ? (s64)PAGE_SIZE / 2 : 0);
	s64 len = (s64)(sc_hole_pages(o->c) * PAGE_SIZE);
	struct ref_gmem_effect e;
	struct before b;
	long got;

	struct model_stamps st = { 0 }, *prev;
	unsigned long ended_at;

	ref_gmem_hole((&run->ref), fd, mode, sc_hole_first(o->b), sc_hole_pages(o->c), &e);
	snapshot(&b);
	prev = model_clock_enter(&st);
	got = adapter_gmem_fallocate(fd, modes[mode], offset, len);
	ended_at = call_ended_at(&st, prev);
	if (run->o->trace)
		printf("trace: gmem_punch_hole fd=%d mode=0x%x offset=0x%" PRIx64 " len=0x%" PRIx64 " unmap_calls=%d -> %ld\n",
		       fd, modes[mode], (uint64_t)offset, (uint64_t)len, model.nr_calls, got);
	if (got != e.rc) {
		gmem_violate("fallocate(guest_memfd %d, mode 0x%x, 0x%" PRIx64 ", 0x%" PRIx64 ") returned %ld, the rules say %d",
			     fd, modes[mode], (uint64_t)offset, (uint64_t)len, got, e.rc);
		return;
	}
	gmem_check_calls("a punch hole", &e, &b);
	check_after("a punch hole", &e, &b);
	ref_gmem_applied((&run->ref), fd, false, &e, ended_at);
}

static void close_file(const struct op *o)
{
	int fd = sc_gmem_op_fd(o->a);
	struct ref_gmem_effect e;
	struct before b;
	struct model_stamps st = { 0 }, *prev;
	unsigned long ended_at;
	int got;

	ref_gmem_close((&run->ref), fd, &e);
	snapshot(&b);
	prev = model_clock_enter(&st);
	got = adapter_gmem_close(fd);
	ended_at = call_ended_at(&st, prev);
	if (run->o->trace)
		printf("trace: gmem_close fd=%d unmap_calls=%d -> %d\n", fd, model.nr_calls, got);
	if (got != e.rc) {
		gmem_violate("close(guest_memfd %d) returned %d, the rules say %d", fd, got, e.rc);
		return;
	}
	gmem_check_calls("the release", &e, &b);
	check_after("the release", &e, &b);
	/* what a vCPU does next on each slot that was bound: kvm_gmem_get_pfn() looks the file up */
	for (int k = 0; k < e.nr_calls; k++) {
		struct kvm_memory_slot *slot = id_to_memslot(__kvm_memslots(run->kvm, e.calls[k].as_id), e.calls[k].id);

		if (slot)
			adapter_gmem_slot_lookup(slot);
	}
	gmem_check();
	ref_gmem_applied((&run->ref), fd, true, &e, ended_at);
}

void gmem_op(const struct op *o)
{
	if (!kernel.gmem_invalidation)
		return;	/* no guest_memfd.c built (6.1; arm64 before 7.x), so no fallocate()/close() reaches it: not applicable */
	if (o->kind == OP_GMEM_PUNCH_HOLE)
		punch_hole(o);
	else
		close_file(o);
}

void gmem_check(void)
{
	if (model_gmem_freed_touch[0])
		gmem_violate("a binding outlived its file's release: %s", model_gmem_freed_touch);
}

void gmem_check_fault_commit(const struct ref_fault *f)
{
	if (ref_fault_raced_gmem((&run->ref), f))
		gmem_violate("a fault on slot %d:%d gfn 0x%" PRIx64 " that read mmu_invalidate_seq (clock %lu) before "
			     "guest_memfd's invalidation of the gfn ended installed after it", f->as_id, f->slot_id, f->gfn,
			     f->read_at);
}


/* ---- the family (family.h): guest_memfd creation, punch hole and close ---- */

/* KVM_CREATE_GUEST_MEMFD: the reference says what it returns and keeps the file */
static void gmem_create(struct run *r, const struct op *o)
{
	uint64_t size = sc_gmem_size(o->a), flags = 0;
	int expect, got;

	if (!kernel.guest_memfd)
		return;
	/* a flag the kernel lacks is passed as its uapi bit, which the kernel must refuse */
	if (o->b & SC_GMEM_MMAP)
		flags |= kernel.gmem_uapi_flag_mmap;
	if (o->b & SC_GMEM_INIT_SHARED)
		flags |= kernel.gmem_uapi_flag_init_shared;
	if (o->b & SC_GMEM_UNDEFINED)
		flags |= 1ULL << 40;
	expect = ref_gmem_expected(&r->ref, size, flags);
	got = adapter_gmem_create(r->kvm, size, flags);
	if (r->o->trace)
		printf("trace: guest_memfd_create size=0x%" PRIx64 " flags=0x%" PRIx64 "%s -> %d\n", size, flags,
		       r->ref.vm_dead ? " vm_dead" : "", got);
	if (checking(r))
		check_gmem_create(&r->ora, size, flags, got, expect);
	if (got == expect)
		ref_gmem_created(&r->ref, got, size, flags);
}

static void family_begin(struct run *r)
{
	run = r;
	model_gmem_freed_touch[0] = 0;
}

int gmem_family_run(struct run *r, int index, const struct op *o)
{
	if (o->kind == OP_GMEM_CREATE)
		gmem_create(r, o);
	else
		gmem_op(o);
	return index;
}

static void family_check(struct run *r)
{
	(void)r;
	gmem_check();
}

const struct op_family gmem_family = { .begin = family_begin, .run = gmem_family_run, .check = family_check };

HARNESS_NO_COVERAGE_END
