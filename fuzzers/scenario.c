// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding, running and checking scenarios against the extracted kernel code.
 *
 * The harness plays mm/ (notifier events through the ops table), userspace
 * (memslot ioctls, guest_memfd creation) and the vCPUs (faults split into
 * resolve and commit). After every operation the oracle compares the kernel's
 * behaviour with a plain reference model kept here (struct reference) and
 * reports the first violated property by name.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvm_adapter.h"
#include "scenario.h"
#include "scenario_layout.h"

HARNESS_NO_COVERAGE_BEGIN

/* the byte layout speaks uapi and x86 values without kernel headers: keep them equal */
_Static_assert(SC_PAGE == PAGE_SIZE, "page size");
_Static_assert(SC_MEM_LOG_DIRTY_PAGES == KVM_MEM_LOG_DIRTY_PAGES && SC_MEM_READONLY == KVM_MEM_READONLY, "memslot flags");

/* ---- settings from the header (fuzzers/scenario_layout.h says what each bit means) ---- */

static void decode_settings(const struct scenario *s, struct vm_settings *vs)
{
	vs->nr_as = sc_nr_as(s->header);
	vs->readonly_mem = sc_readonly_mem(s->header);
	vs->invalidate_seq = sc_invalidate_seq(s->header);
	vs->generation = sc_generation(s->header);
}

enum scenario_mode scenario_mode(const struct scenario *s)
{
	return (enum scenario_mode)sc_mode(s->header);
}

static void sel_range(uint8_t a, uint8_t b, unsigned long *start, unsigned long *end)
{
	uint64_t s, e;

	sc_range(a, b, &s, &e);
	*start = s;
	*end = e;
}

/* ---- the reference model ------------------------------------------------------ */

#define REF_IDS 8
struct ref_slot {
	bool used;
	unsigned int epoch;	/* bumped by every create, move and delete of this id */
	uint64_t base_gfn, npages, hva;
	uint32_t flags;
	bool gmem_only;
	int gmem_fd;
	uint64_t gmem_pgoff;
};

struct ref_file {
	bool used;
	uint64_t size;
	uint64_t flags;
};

struct ref_invalidation {
	unsigned long start, end;
	bool blockable;
	bool found;		/* the start found a memslot (called on_lock) */
	long serial;
};

struct ref_fault {
	int as_id, slot_id;
	uint64_t gfn;
	unsigned long hva, seq;
	bool gmem_only;
	long resolved_at;	/* invalidation serial when resolved */
	unsigned int epoch;	/* the slot's epoch when resolved */
};

#define MAX_INFLIGHT 8
#define MAX_FAULTS 8
struct reference {
	struct ref_slot slots[2][REF_IDS];
	struct ref_file files[16];
	struct ref_invalidation inflight[MAX_INFLIGHT];
	int nr_inflight;
	long serial;
	/* serial of the last start that covered a page, for the fault check */
	struct ref_fault faults[MAX_FAULTS];
	int nr_faults;
	int nr_as;
	bool released;
};

struct run {
	const struct scenario *s;
	const struct run_options *o;
	enum scenario_mode mode;	/* from the scenario header */
	struct verdict *v;
	struct run_stats *st;
	struct kvm *kvm;
	struct reference ref;
	int op;
	jmp_buf bug;
	int nr_starts;
	/* invalidation starts issued while a fault was pending, per hva; only the first nr_starts are read */
	struct { unsigned long start, end; long serial; bool ordinary; } starts[SCENARIO_MAX_OPS * 2];
};

static void violate(struct run *r, const char *property, const char *fmt, ...)
	__attribute__((__format__(printf, 3, 4)));
static void violate(struct run *r, const char *property, const char *fmt, ...)
{
	va_list ap;

	if (r->v->violated || r->o->oracle_off)
		return;
	r->v->violated = true;
	r->v->property = property;
	r->v->op_index = r->op;
	va_start(ap, fmt);
	vsnprintf(r->v->detail, sizeof(r->v->detail), fmt, ap);
	va_end(ap);
}

/* Does [start, end) of hva space meet the slot's userspace range? */
static bool hva_overlaps(const struct ref_slot *rs, unsigned long start, unsigned long end)
{
	unsigned long s_end = rs->hva + rs->npages * PAGE_SIZE;

	return rs->used && start < s_end && end > rs->hva;
}

/* ---- the oracle: checks after each operation --------------------------------------- */

static void check_warnings(struct run *r)
{
	if (model.model_error[0]) {
		violate(r, "lock and accounting", "%s", model.model_error);
		return;
	}
	if (model.nr_warnings) {
		if (r->mode != MODE_LEGAL)
			return;	/* the expected outcome of a sequence mm/ never issues (6.1's change_pte WARNs unwrapped) */
		violate(r, "kernel warning", "WARN at %s:%d: %s", model.warnings[0].file,
			model.warnings[0].line, model.warnings[0].cond);
	}
}

/*
 * The expected handler calls of an hva notifier: each overlapping slot once per
 * address space, with the gfns of the pages that intersect the range.
 */
struct expected_call { int as_id, id; uint64_t start, end; bool gmem_only; bool seen; };

static int expected_calls(struct run *r, unsigned long start, unsigned long end, struct expected_call *out)
{
	int n = 0;

	for (int as = 0; as < r->ref.nr_as; as++) {
		for (int id = 0; id < REF_IDS; id++) {
			struct ref_slot *rs = &r->ref.slots[as][id];
			unsigned long hs, he;

			if (!hva_overlaps(rs, start, end))
				continue;
			hs = start > rs->hva ? start : rs->hva;
			he = end < rs->hva + rs->npages * PAGE_SIZE ? end : rs->hva + rs->npages * PAGE_SIZE;
			out[n++] = (struct expected_call){
				as, id,
				rs->base_gfn + ((hs - rs->hva) >> PAGE_SHIFT),
				rs->base_gfn + ((he + PAGE_SIZE - 1 - rs->hva) >> PAGE_SHIFT),
				rs->gmem_only, false,
			};
		}
	}
	return n;
}

static const char *const hook_names[HOOK_NR] = {
	"kvm_unmap_gfn_range", "kvm_age_gfn", "kvm_test_age_gfn", "kvm_set_spte_gfn",
};

/* Compare the recorded handler calls with the reference; returns whether a slot was found. */
static bool check_calls(struct run *r, const char *event, unsigned long start, unsigned long end,
			enum model_hook hook)
{
	struct expected_call exp[2 * REF_IDS];
	int nexp;
	bool found = false;

	if (r->o->oracle_off)
		return model.nr_calls > 0;
	nexp = expected_calls(r, start, end, exp);

	for (int i = 0; i < model.nr_calls; i++) {
		struct model_handler_call *c = &model.calls[i];
		bool matched = false;

		if (r->o->trace)
			printf("trace: %s %s slot=%d:%d gfn=[0x%" PRIx64 ",0x%" PRIx64 ")\n", event,
			       hook_names[c->hook], c->as_id, c->slot_id, c->start, c->end);

		if (r->o->gmem_only_check && kernel.memslot_gmem_only && (c->slot_flags & kernel.memslot_gmem_only)) {
			violate(r, "gmem-only untouched", "%s called %s for gmem-only slot %d:%d gfn [0x%" PRIx64
				",0x%" PRIx64 ")", event, hook_names[c->hook], c->as_id, c->slot_id, c->start, c->end);
			return true;
		}
		found = true;
		if (c->hook != hook) {
			violate(r, "exact ranges", "%s called %s", event, hook_names[c->hook]);
			return true;
		}
		if (kernel.hva_attr_filter && c->attr_filter != kernel.hva_attr_filter) {
			/* hva-based events concern shared memory only: private gfns are guest_memfd's */
			violate(r, "exact ranges", "%s passed attr_filter 0x%x to %s, not shared-only 0x%x", event,
				c->attr_filter, hook_names[c->hook], kernel.hva_attr_filter);
			return true;
		}
		if (!c->mmu_lock_held) {
			violate(r, "lock and accounting", "%s: %s ran without mmu_lock", event, hook_names[c->hook]);
			return true;
		}
		if (hook == HOOK_UNMAP_GFN_RANGE &&
		    (c->in_progress <= 0 ||
		     (kernel.invalidate_range_is_hva ? (c->range_start > start || c->range_end < end)
						     : (c->range_start > c->start || c->range_end < c->end)))) {
			violate(r, "lock and accounting", "%s: unmap of gfn [0x%" PRIx64 ",0x%" PRIx64
				") outside mmu_invalidate_range [0x%" PRIx64 ",0x%" PRIx64 ") (in progress %ld)",
				event, c->start, c->end, c->range_start, c->range_end, c->in_progress);
			return true;
		}
		for (int j = 0; j < nexp; j++) {
			if (!exp[j].seen && exp[j].as_id == c->as_id && exp[j].id == c->slot_id &&
			    exp[j].start == c->start && exp[j].end == c->end) {
				exp[j].seen = matched = true;
				break;
			}
		}
		if (!matched) {
			violate(r, "exact ranges", "%s over hva [0x%lx,0x%lx): unexpected %s(slot %d:%d, gfn [0x%" PRIx64
				",0x%" PRIx64 "))", event, start, end, hook_names[c->hook], c->as_id, c->slot_id,
				c->start, c->end);
			return true;
		}
	}
	for (int j = 0; j < nexp; j++) {
		/* a gmem-only slot must not be called (first law); with the law off, either way */
		if (exp[j].seen || exp[j].gmem_only)
			continue;
		violate(r, "exact ranges", "%s over hva [0x%lx,0x%lx): no handler call for slot %d:%d gfn [0x%" PRIx64
			",0x%" PRIx64 ")", event, start, end, exp[j].as_id, exp[j].id, exp[j].start, exp[j].end);
		return true;
	}
	return found;
}

static void check_accounting(struct run *r)
{
	long expect = 0;

	for (int i = 0; i < r->ref.nr_inflight; i++)
		expect += r->ref.inflight[i].found;
	if (r->mode == MODE_ILLEGAL)
		return;
	if (r->kvm->mmu_invalidate_in_progress != expect)
		violate(r, "lock and accounting", "mmu_invalidate_in_progress is %ld, expected %ld",
			r->kvm->mmu_invalidate_in_progress, expect);
	else if (r->kvm->mn_active_invalidate_count != (unsigned long)r->ref.nr_inflight)
		violate(r, "lock and accounting", "mn_active_invalidate_count is %lu, expected %d",
			r->kvm->mn_active_invalidate_count, r->ref.nr_inflight);
	else if (model.locks_held)
		violate(r, "lock and accounting", "%d lock(s) still held after the operation", model.locks_held);
	else if (r->kvm->srcu.readers)
		violate(r, "lock and accounting", "SRCU read section left open (%d)", r->kvm->srcu.readers);
}

/* No mapping of an ordinary slot may cover a page of an in-progress invalidation. */
static void check_notifier_safety(struct run *r)
{
	for (int i = 0; i < model.nr_maps; i++) {
		struct model_mapping *m = &model.maps[i];

		if (m->gmem_only && r->o->gmem_only_check)
			continue;
		for (int k = 0; k < r->ref.nr_inflight; k++) {
			struct ref_invalidation *inv = &r->ref.inflight[k];

			if (m->hva >= (inv->start & PAGE_MASK) && m->hva < inv->end) {
				violate(r, "notifier safety", "gfn 0x%" PRIx64 " (hva 0x%lx, slot %d:%d) still mapped "
					"during invalidation [0x%lx,0x%lx)", m->gfn, m->hva, m->as_id, m->slot_id,
					inv->start, inv->end);
				return;
			}
		}
	}
}

/*
 * The entries of a memslot set's id hash, as hash_for_each visits them; *bad
 * gets the first one id_to_memslot() does not find. This walk of 4 sets x 128
 * buckets after every memslot request was the largest cost of a run
 * (BENCHMARKS.md). kvm_replace_memslot() hashes a slot by its id, so when every
 * bucket but those the reference's ids hash to is empty (one pass of 16-byte
 * loads), only those buckets are walked; otherwise all of them.
 */
typedef unsigned long bucket_pair __attribute__((vector_size(16), aligned(8)));

/* Whether all 128 bucket heads are NULL. No ASan checks: they are inside the harness's own struct kvm. */
__attribute__((no_sanitize("address")))
static bool heads_empty(const struct hlist_head *h)
{
	const bucket_pair *x = (const bucket_pair *)h;
	bucket_pair d = { 0, 0 };

	for (int i = 0; i < 64; i += 8)
		d |= (x[i] | x[i + 1]) | (x[i + 2] | x[i + 3]) | (x[i + 4] | x[i + 5]) | (x[i + 6] | x[i + 7]);
	return !(d[0] | d[1]);
}

static int walk_bucket(struct kvm_memslots *slots, unsigned int bkt, struct kvm_memory_slot **bad)
{
	struct kvm_memory_slot *ms;
	int n = 0;

	hlist_for_each_entry(ms, &slots->id_hash[bkt], id_node[slots->node_idx]) {
		if (id_to_memslot(slots, ms->id) != ms) {
			*bad = ms;
			break;
		}
		n++;
	}
	return n;
}

static int id_hash_entries(struct kvm_memslots *slots, const struct ref_slot *ref, struct kvm_memory_slot **bad)
{
	struct hlist_head *h = slots->id_hash;
	struct hlist_node *saved[REF_IDS];
	unsigned int buckets[REF_IDS];
	int nb = 0, n = 0;
	bool only_expected;

	_Static_assert(sizeof(slots->id_hash) == 64 * sizeof(bucket_pair), "128 one-pointer buckets");
	*bad = NULL;
	/* the reference's buckets are emptied for the test and put back at once: nothing runs in between */
	for (int id = 0; id < REF_IDS; id++) {
		unsigned int bkt;
		int k;

		if (!ref[id].used)
			continue;
		bkt = hash_min(id, HASH_BITS(slots->id_hash));
		for (k = 0; k < nb && buckets[k] != bkt; k++)
			;
		if (k < nb)
			continue;
		buckets[nb] = bkt;
		saved[nb++] = h[bkt].first;
		h[bkt].first = NULL;
	}
	only_expected = heads_empty(h);
	for (int k = 0; k < nb; k++)
		h[buckets[k]].first = saved[k];
	if (only_expected) {
		for (int k = 0; k < nb && !*bad; k++)
			n += walk_bucket(slots, buckets[k], bad);
		return n;
	}
	for (unsigned int bkt = 0; bkt < HASH_SIZE(slots->id_hash) && !*bad; bkt++)
		n += walk_bucket(slots, bkt, bad);
	return n;
}

/*
 * The oracle walks the hva and gfn trees itself, not through interval_tree_iter_*()
 * and rb_next(): those are kernel code the engine instruments, and the oracle's
 * walks through them after every memslot request cost more than the request.
 * These walks check what those iterators rely on -- parent links, the order of
 * the nodes and (hva tree) every __subtree_last -- so a tree they would walk
 * wrongly is reported here too.
 */
struct tree_walk {
	struct run *r;
	struct kvm_memslots *slots;
	int as, set, n;
	bool failed;
	const struct rb_node *first;	/* the in-order first node */
	uint64_t prev;			/* key of the previous node in order */
};

static bool walk_links(struct tree_walk *w, const char *tree, const struct rb_node *rb,
		       const struct rb_node *parent, int depth)
{
	if (rb_parent(rb) != parent || depth > 64) {
		violate(w->r, "memslot structure", "as %d set %d: %s tree %s", w->as, w->set, tree,
			depth > 64 ? "deeper than 64 nodes (a cycle?)" : "has a node whose parent link is wrong");
		w->failed = true;
		return false;
	}
	return true;
}

/* In order; *sub gets the subtree's max(last). */
static void walk_hva(struct tree_walk *w, const struct rb_node *rb, int depth,
		     unsigned long *sub)
{
	struct interval_tree_node *node = rb_entry(rb, struct interval_tree_node, rb);
	struct kvm_memory_slot *ms = container_of(node, struct kvm_memory_slot, hva_node[w->slots->node_idx]);
	struct ref_slot *rs;
	unsigned long lsub = 0, rsub = 0, want;

	if (rb->rb_left) {
		if (!walk_links(w, "hva", rb->rb_left, rb, depth + 1))
			return;
		walk_hva(w, rb->rb_left, depth + 1, &lsub);
		if (w->failed)
			return;
	} else if (!w->first) {
		w->first = rb;
	}
	rs = ms->id < REF_IDS ? &w->r->ref.slots[w->as][ms->id] : NULL;
	if (!rs || !rs->used || rs->hva != ms->userspace_addr || rs->npages != ms->npages ||
	    rs->base_gfn != ms->base_gfn || ms->as_id != w->as ||
	    node->start != ms->userspace_addr ||
	    node->last != ms->userspace_addr + (ms->npages << PAGE_SHIFT) - 1 ||
	    (ms->flags & KVM_MEMSLOT_INVALID)) {
		violate(w->r, "memslot structure", "as %d set %d: hva tree holds slot %d "
			"(gfn 0x%" PRIx64 "+%lu hva 0x%lx flags 0x%x) unlike the reference",
			w->as, w->set, ms->id, ms->base_gfn, ms->npages, ms->userspace_addr, ms->flags);
		w->failed = true;
		return;
	}
	if (w->n && node->start < w->prev) {
		violate(w->r, "memslot structure", "as %d set %d: hva tree out of order at slot %d", w->as, w->set, ms->id);
		w->failed = true;
		return;
	}
	w->prev = node->start;
	w->n++;
	if (rb->rb_right) {
		if (!walk_links(w, "hva", rb->rb_right, rb, depth + 1))
			return;
		walk_hva(w, rb->rb_right, depth + 1, &rsub);
		if (w->failed)
			return;
	}
	want = node->last;
	if (rb->rb_left && lsub > want)
		want = lsub;
	if (rb->rb_right && rsub > want)
		want = rsub;
	if (node->__subtree_last != want) {
		violate(w->r, "memslot structure", "as %d set %d: hva tree node of slot %d has __subtree_last 0x%lx, "
			"its subtree's last hva is 0x%lx", w->as, w->set, ms->id, node->__subtree_last, want);
		w->failed = true;
	}
	*sub = want;
}

static void walk_gfn(struct tree_walk *w, const struct rb_node *rb, int depth)
{
	struct kvm_memory_slot *ms = container_of(rb, struct kvm_memory_slot, gfn_node[w->slots->node_idx]);

	if (rb->rb_left) {
		if (!walk_links(w, "gfn", rb->rb_left, rb, depth + 1))
			return;
		walk_gfn(w, rb->rb_left, depth + 1);
		if (w->failed)
			return;
	}
	if (w->n && ms->base_gfn <= w->prev) {
		violate(w->r, "memslot structure", "as %d set %d: gfn tree out of order at slot %d", w->as, w->set, ms->id);
		w->failed = true;
		return;
	}
	w->prev = ms->base_gfn;
	w->n++;
	if (rb->rb_right) {
		if (!walk_links(w, "gfn", rb->rb_right, rb, depth + 1))
			return;
		walk_gfn(w, rb->rb_right, depth + 1);
	}
}

/* Walk the kernel's memslot sets and compare them with the reference. */
static void check_memslots(struct run *r)
{
	unsigned long pages = 0;

	for (int as = 0; as < r->ref.nr_as; as++) {
		int nref = 0;

		for (int id = 0; id < REF_IDS; id++) {
			struct ref_slot *rs = &r->ref.slots[as][id];

			if (!rs->used)
				continue;
			nref++;
			pages += rs->npages;
		}
		for (int set = 0; set < 2; set++) {
			struct kvm_memslots *slots = &r->kvm->__memslots[as][set];
			struct tree_walk w = { r, slots, as, set, 0, false, NULL, 0 };
			const struct rb_node *top = slots->hva_tree.rb_root.rb_node;
			struct kvm_memory_slot *ms;
			unsigned long sub;
			int n, nh;

			if (slots->generation & KVM_MEMSLOT_GEN_UPDATE_IN_PROGRESS) {
				violate(r, "memslot structure", "as %d set %d: generation 0x%" PRIx64 " left in progress",
					as, set, slots->generation);
				return;
			}
			/* generation % nr_as without the division, which was a visible cost: nr_as is 1 or 2 */
			if ((slots->generation & (r->ref.nr_as - 1)) != (uint64_t)as &&
			    slots == __kvm_memslots(r->kvm, as)) {
				violate(r, "memslot structure", "as %d: generation 0x%" PRIx64 " not in this address space's residue class",
					as, slots->generation);
				return;
			}
			if (top && walk_links(&w, "hva", top, NULL, 0))
				walk_hva(&w, top, 0, &sub);
			if (w.failed)
				return;
			if (slots->hva_tree.rb_leftmost != w.first) {
				violate(r, "memslot structure", "as %d set %d: hva tree's cached leftmost node is not its first",
					as, set);
				return;
			}
			n = w.n;
			w.n = 0;
			w.first = NULL;
			top = slots->gfn_tree.rb_node;
			if (top && walk_links(&w, "gfn", top, NULL, 0))
				walk_gfn(&w, top, 0);
			if (w.failed)
				return;
			nh = w.n;
			if (n != nref || nh != nref) {
				violate(r, "memslot structure", "as %d set %d: %d slots in the hva tree, %d in the gfn tree, %d in the reference",
					as, set, n, nh, nref);
				return;
			}
			nh = id_hash_entries(slots, r->ref.slots[as], &ms);
			if (ms) {
				violate(r, "memslot structure", "as %d set %d: id_to_memslot(%d) misses its slot", as, set, ms->id);
				return;
			}
			if (nh != nref) {
				violate(r, "memslot structure", "as %d set %d: %d slots in the id hash, %d in the reference", as, set, nh, nref);
				return;
			}
		}
	}
	if (r->kvm->nr_memslot_pages != pages)
		violate(r, "memslot structure", "nr_memslot_pages is %lu, the slots hold %lu", r->kvm->nr_memslot_pages, pages);
}

/* ---- memslot requests and their reference return codes -------------------------------- */

static int ref_expected(struct run *r, const struct memslot_request *q, int *change)
{
	uint32_t valid = KVM_MEM_LOG_DIRTY_PAGES;
	uint32_t gmem = kernel.mem_guest_memfd;
	int as = q->slot >> 16, id = (uint16_t)q->slot;
	struct ref_slot *old;
	uint64_t npages = q->memory_size >> PAGE_SHIFT, base = q->guest_phys_addr >> PAGE_SHIFT;

	*change = -1;
	if ((uint16_t)q->slot >= KVM_USER_MEM_SLOTS)
		return -EINVAL;
	if (gmem)
		valid |= gmem;
	if (gmem && (q->flags & gmem))
		valid &= ~KVM_MEM_LOG_DIRTY_PAGES;
	if (adapter_has_readonly_mem(r->kvm) && !(gmem && (q->flags & gmem)))
		valid |= KVM_MEM_READONLY;
	if (q->flags & ~valid)
		return -EINVAL;
	if ((q->memory_size & (PAGE_SIZE - 1)) || (q->guest_phys_addr & (PAGE_SIZE - 1)) ||
	    (q->userspace_addr & (PAGE_SIZE - 1)) || !access_ok(q->userspace_addr, q->memory_size))
		return -EINVAL;
	if (gmem && (q->flags & gmem) && ((q->guest_memfd_offset & (PAGE_SIZE - 1)) ||
					  q->guest_memfd_offset + q->memory_size < q->guest_memfd_offset))
		return -EINVAL;
	if (as >= r->ref.nr_as || id >= KVM_MEM_SLOTS_NUM)
		return -EINVAL;
	if (q->guest_phys_addr + q->memory_size < q->guest_phys_addr)
		return -EINVAL;
	if (npages > KVM_MEM_MAX_NR_PAGES)
		return -EINVAL;
	old = id < REF_IDS ? &r->ref.slots[as][id] : NULL;
	if (!q->memory_size) {
		if (!old || !old->used)
			return -EINVAL;
		*change = KVM_MR_DELETE;
		return 0;
	}
	if (!old || !old->used) {
		*change = KVM_MR_CREATE;
	} else {
		if (gmem && (q->flags & gmem))
			return -EINVAL;
		if (q->userspace_addr != old->hva || npages != old->npages ||
		    ((q->flags ^ old->flags) & (KVM_MEM_READONLY | gmem)))
			return -EINVAL;
		if (base != old->base_gfn)
			*change = KVM_MR_MOVE;
		else if (q->flags != old->flags)
			*change = KVM_MR_FLAGS_ONLY;
		else
			return 0;
	}
	if (*change == KVM_MR_CREATE || *change == KVM_MR_MOVE) {
		for (int i = 0; i < REF_IDS; i++) {
			struct ref_slot *o = &r->ref.slots[as][i];

			if (i != id && o->used && base < o->base_gfn + o->npages && o->base_gfn < base + npages)
				return -EEXIST;
		}
	}
	if (*change == KVM_MR_CREATE && gmem && (q->flags & gmem)) {
		struct ref_file *f = q->guest_memfd < 16 ? &r->ref.files[q->guest_memfd] : NULL;
		uint64_t first = q->guest_memfd_offset >> PAGE_SHIFT;

		if (!f || !f->used)
			return -EBADF;
		if (q->guest_memfd_offset + q->memory_size > f->size)
			return -EINVAL;
		for (int a = 0; a < 2; a++)
			for (int i = 0; i < REF_IDS; i++) {
				struct ref_slot *o = &r->ref.slots[a][i];

				if (o->used && (o->flags & gmem) && o->gmem_fd == (int)q->guest_memfd &&
				    first < o->gmem_pgoff + o->npages && o->gmem_pgoff < first + npages)
					return kernel.gmem_taken_binding_errno;
			}
	}
	return 0;
}

static void do_memslot_request(struct run *r, const struct memslot_request *q)
{
	int change, expect = ref_expected(r, q, &change);
	unsigned int alloc_armed = model.fail_alloc_at, prepare_armed = model.fail_arch_prepare_at;
	int got;
	bool injected;

	r->st->memslot_requests++;
	got = adapter_set_memory_region(r->kvm, q);
	injected = (alloc_armed && !model.fail_alloc_at) || (prepare_armed && !model.fail_arch_prepare_at);
	if (r->o->trace)
		printf("trace: set_memory_region slot=%u:%u gpa=0x%" PRIx64 " size=0x%" PRIx64 " hva=0x%" PRIx64
		       " flags=0x%x guest_memfd=%u offset=0x%" PRIx64 "%s -> %d\n", q->slot >> 16, q->slot & 0xffff,
		       q->guest_phys_addr, q->memory_size, q->userspace_addr, q->flags, q->guest_memfd,
		       q->guest_memfd_offset, injected ? " injected" : "", got);
	if (injected && got < 0)
		return;	/* an injected failure fired: the request failed; check_memslots sees nothing changed */
	if (got != expect) {
		violate(r, "memslot structure", "request slot=0x%x flags=0x%x gpa=0x%" PRIx64 " size=0x%" PRIx64
			" hva=0x%" PRIx64 " returned %d, the rules say %d", q->slot, q->flags, q->guest_phys_addr,
			q->memory_size, q->userspace_addr, got, expect);
		return;
	}
	if (got || change < 0)
		return;
	{
		int as = q->slot >> 16, id = (uint16_t)q->slot;
		struct ref_slot *rs;

		if (as > 1 || id >= REF_IDS) {	/* the layout cannot make such a request succeed; say so if it ever does */
			violate(r, "memslot structure", "request for slot %d:%d succeeded outside the reference's ids", as, id);
			return;
		}
		rs = &r->ref.slots[as][id];

		if (change != KVM_MR_FLAGS_ONLY)
			rs->epoch++;
		if (change == KVM_MR_DELETE) {
			unsigned int epoch = rs->epoch;

			memset(rs, 0, sizeof(*rs));
			rs->epoch = epoch;
			return;
		}
		if (change == KVM_MR_CREATE) {
			rs->used = true;
			rs->hva = q->userspace_addr;
			rs->npages = q->memory_size >> PAGE_SHIFT;
			rs->gmem_fd = -1;
			rs->gmem_only = false;
			if (kernel.mem_guest_memfd && (q->flags & kernel.mem_guest_memfd)) {
				rs->gmem_fd = q->guest_memfd;
				rs->gmem_pgoff = q->guest_memfd_offset >> PAGE_SHIFT;
				/* the kernel's rule: a guest_memfd created with MMAP makes the slot gmem-only */
				rs->gmem_only = kernel.gmem_only && (r->ref.files[q->guest_memfd].flags & kernel.gmem_flag_mmap);
			}
		}
		rs->base_gfn = q->guest_phys_addr >> PAGE_SHIFT;
		rs->flags = q->flags;
		/* the kernel's own verdict on the slot must agree with the rule */
		{
			struct kvm_memory_slot *ms = id_to_memslot(__kvm_memslots(r->kvm, as), id);

			if (ms && adapter_slot_is_gmem_only(ms) != rs->gmem_only)
				violate(r, "memslot structure", "slot %d:%d: KVM_MEMSLOT_GMEM_ONLY is %d, the rule says %d",
					as, id, adapter_slot_is_gmem_only(ms), rs->gmem_only);
		}
	}
}

static void request_for(struct run *r, const struct op *o, struct memslot_request *q)
{
	int as = sc_as(o->a), id = sc_id(o->a);
	struct ref_slot *old = id < REF_IDS ? &r->ref.slots[as][id] : NULL;

	memset(q, 0, sizeof(*q));
	q->slot = (uint32_t)as << 16 | (uint32_t)id;
	switch (o->kind) {
	case OP_CREATE:
		q->flags = sc_flags(o->e);
		q->userspace_addr = sc_hva(o->b);
		q->guest_phys_addr = sc_gpa(o->c);
		q->memory_size = sc_pages(o->d) * PAGE_SIZE;
		if (sc_pages_over_limit(o->d))	/* one page over the limit of a user slot */
			q->memory_size = ((uint64_t)KVM_MEM_MAX_NR_PAGES + 1) * PAGE_SIZE;
		if (q->flags & 4) {
			q->guest_memfd = sc_gmem_fd(o->e);
			q->guest_memfd_offset = sc_gmem_offset_pages(o->e) * PAGE_SIZE;
		}
		break;
	case OP_DELETE:
		if (old && old->used) {
			q->flags = old->flags;
			q->userspace_addr = old->hva;
			q->guest_phys_addr = old->base_gfn << PAGE_SHIFT;
		}
		break;
	case OP_MOVE:
	case OP_SET_FLAGS:
		if (old && old->used) {
			q->flags = old->flags;
			q->userspace_addr = old->hva;
			q->guest_phys_addr = old->base_gfn << PAGE_SHIFT;
			q->memory_size = old->npages * PAGE_SIZE;
		} else {	/* no such slot: KVM treats it as a create; one page at the first region */
			q->userspace_addr = sc_hva(0);
			q->memory_size = PAGE_SIZE;
		}
		if (o->kind == OP_MOVE)
			q->guest_phys_addr = sc_gpa(o->c);
		else
			q->flags = sc_flags(o->e);
		break;
	case OP_RAW_REQUEST:
		q->slot = sc_raw_slot(o->a);
		q->flags = o->e;
		q->guest_phys_addr = sc_raw_gpa(o->c);
		q->memory_size = sc_raw_size(o->d);
		q->userspace_addr = sc_raw_hva(o->b, o->d);
		break;
	}
}

/* ---- notifier events --------------------------------------------------------------- */

static void begin_event(void)
{
	model.nr_calls = 0;
}

static bool run_pending_end(void *ctx);

static void invalidate_end(struct run *r, int k)
{
	struct ref_invalidation inv = r->ref.inflight[k];
	unsigned long seq = r->kvm->mmu_invalidate_seq;

	begin_event();
	adapter_invalidate_range_end(r->kvm, inv.start, inv.end, inv.blockable);
	memmove(&r->ref.inflight[k], &r->ref.inflight[k + 1], (r->ref.nr_inflight - k - 1) * sizeof(inv));
	r->ref.nr_inflight--;
	r->st->notifier_events++;
	if (model.nr_calls)
		violate(r, "exact ranges", "invalidate_range_end called a handler");
	else if (r->kvm->mmu_invalidate_seq != seq + (inv.found ? 1 : 0))
		violate(r, "lock and accounting", "mmu_invalidate_seq went 0x%lx -> 0x%lx at an end whose start %s a slot",
			seq, r->kvm->mmu_invalidate_seq, inv.found ? "found" : "found no");
}

/* The cooperative scheduler: a memslot update waits; run the oldest pending end. */
static bool run_pending_end(void *ctx)
{
	struct run *r = ctx;

	if (!r->ref.nr_inflight)
		return false;
	invalidate_end(r, 0);
	return true;
}

static void invalidate_start(struct run *r, unsigned long start, unsigned long end, bool blockable)
{
	struct ref_invalidation *inv;
	unsigned long flushes = model.tlb_flushes;
	bool any_ret = false;

	if (r->ref.nr_inflight == MAX_INFLIGHT)
		return;
	begin_event();
	adapter_invalidate_range_start(r->kvm, start, end, blockable);
	r->st->notifier_events++;
	inv = &r->ref.inflight[r->ref.nr_inflight++];
	*inv = (struct ref_invalidation){ start, end, blockable, false, ++r->ref.serial };
	inv->found = check_calls(r, "invalidate_range_start", start, end, HOOK_UNMAP_GFN_RANGE);
	for (int i = 0; i < model.nr_calls; i++)
		any_ret |= model.calls[i].ret;
	if (!r->v->violated && model.tlb_flushes - flushes != (any_ret ? 1u : 0u))
		violate(r, "lock and accounting", "invalidate_range_start flushed TLBs %lu times, handlers returned %d",
			model.tlb_flushes - flushes, any_ret);
	if (r->nr_starts < (int)(sizeof(r->starts) / sizeof(r->starts[0])))
		r->starts[r->nr_starts++] = (typeof(r->starts[0])){ start, end, r->ref.serial, true };
}

static void aging(struct run *r, int kind, unsigned long start, unsigned long end)
{
	unsigned long flushes = model.tlb_flushes;
	bool any_ret = false, flush_on_ret = false, ret;
	const char *name;

	begin_event();
	if (kind == OP_CLEAR_FLUSH_YOUNG) {
		ret = adapter_clear_flush_young(r->kvm, start, end);
		flush_on_ret = !IS_ENABLED(CONFIG_KVM_ELIDE_TLB_FLUSH_IF_YOUNG);
		name = "clear_flush_young";
	} else if (kind == OP_CLEAR_YOUNG) {
		ret = adapter_clear_young(r->kvm, start, end);
		name = "clear_young";
	} else {
		ret = adapter_test_young(r->kvm, start);
		end = start + 1;
		name = "test_young";
	}
	r->st->notifier_events++;
	check_calls(r, name, start, end, kind == OP_TEST_YOUNG ? HOOK_TEST_AGE_GFN : HOOK_AGE_GFN);
	for (int i = 0; i < model.nr_calls; i++)
		any_ret |= model.calls[i].ret;
	if (!r->v->violated && ret != any_ret)
		violate(r, "exact ranges", "%s returned %d, its handlers %d", name, ret, any_ret);
	if (!r->v->violated && model.tlb_flushes - flushes != ((flush_on_ret && any_ret) ? 1u : 0u))
		violate(r, "lock and accounting", "%s flushed TLBs %lu times (flush_on_ret %d, young %d)",
			name, model.tlb_flushes - flushes, flush_on_ret, any_ret);
}

static void change_pte(struct run *r, unsigned long addr)
{
	bool wrapped = false;
	unsigned long changed = model.spte_changed, reached = model.spte_reached;

	if (!kernel.change_pte)
		return;	/* .change_pte does not exist in this kernel: not applicable */
	for (int k = 0; k < r->ref.nr_inflight; k++)
		if (addr >= r->ref.inflight[k].start && addr < r->ref.inflight[k].end)
			wrapped = true;
	/* mm/'s set_pte_at_notify() ran inside an invalidation of the address */
	if (r->mode != MODE_CHANGE_PTE_UNWRAPPED) {
		if (!wrapped) {
			if (r->ref.nr_inflight == MAX_INFLIGHT)
				return;	/* cannot wrap it: mm/ would not issue it */
			invalidate_start(r, addr & PAGE_MASK, (addr & PAGE_MASK) + PAGE_SIZE, true);
		}
	} else if (wrapped) {
		/* unwrapped (pre-2012 mm/): only where no invalidation covers the address (others may be in flight) */
		return;
	}
	begin_event();
	adapter_change_pte(r->kvm, addr);
	/* per event: did it reach kvm_set_spte_gfn at all, did any call change a present mapping */
	r->st->change_pte_events++;
	r->st->change_pte_reached += model.spte_reached != reached;
	r->st->change_pte_changed += model.spte_changed != changed;
	if (r->mode != MODE_CHANGE_PTE_UNWRAPPED && model.spte_changed != changed)
		violate(r, "change_pte changes nothing", "change_pte at 0x%lx inside an invalidation changed a mapping", addr);
	if (r->mode != MODE_CHANGE_PTE_UNWRAPPED && !wrapped && r->ref.nr_inflight)
		invalidate_end(r, r->ref.nr_inflight - 1);
}

/* ---- vCPU faults --------------------------------------------------------------------- */

/*
 * The vCPU's memslot lookup is kernel code (__gfn_to_memslot: the last-used
 * cache, the gfn tree search): instrumented for the engines like the rest of
 * the kernel, and out of line, or inlining it into the uninstrumented harness
 * would drop its instrumentation.
 */
HARNESS_NO_COVERAGE_END
static noinline struct kvm_memory_slot *vcpu_gfn_to_memslot(struct kvm *kvm, int as_id, gfn_t gfn)
{
	return __gfn_to_memslot(__kvm_memslots(kvm, as_id), gfn);
}
HARNESS_NO_COVERAGE_BEGIN

static void fault_resolve(struct run *r, const struct op *o)
{
	int as = sc_as(o->a), id = sc_id(o->a);
	struct ref_fault *f;
	struct kvm_memory_slot *slot;
	uint64_t gfn;
	int idx;

	if (r->ref.nr_faults == MAX_FAULTS || as >= r->ref.nr_as || id >= REF_IDS)
		return;
	if (!r->ref.slots[as][id].used)
		return;
	gfn = r->ref.slots[as][id].base_gfn + o->b % r->ref.slots[as][id].npages;
	f = &r->ref.faults[r->ref.nr_faults];
	/* as the kernel's fault path: snapshot the sequence, then look the slot up */
	f->seq = r->kvm->mmu_invalidate_seq;
	smp_rmb();
	idx = srcu_read_lock(&r->kvm->srcu);
	slot = vcpu_gfn_to_memslot(r->kvm, as, gfn);
	if (slot && !(slot->flags & KVM_MEMSLOT_INVALID)) {
		f->as_id = as;
		f->slot_id = slot->id;
		f->gfn = gfn;
		f->hva = __gfn_to_hva_memslot(slot, gfn);
		f->gmem_only = adapter_slot_is_gmem_only(slot);
		f->resolved_at = r->ref.serial;
		f->epoch = r->ref.slots[as][slot->id < REF_IDS ? slot->id : 0].epoch;
		r->ref.nr_faults++;
	}
	srcu_read_unlock(&r->kvm->srcu, idx);
}

static void fault_commit(struct run *r, int k)
{
	struct ref_fault f;
	struct ref_slot *rs;
	struct kvm_memory_slot *slot;
	bool retry = false, installed = false, dropped = true;
	int idx;

	if (!r->ref.nr_faults)
		return;
	k %= r->ref.nr_faults;
	f = r->ref.faults[k];
	memmove(&r->ref.faults[k], &r->ref.faults[k + 1], (r->ref.nr_faults - k - 1) * sizeof(f));
	r->ref.nr_faults--;
	idx = srcu_read_lock(&r->kvm->srcu);
	/*
	 * A vCPU holds SRCU from resolve to commit, so a delete or move of its slot
	 * waits for the fault and then zaps what it installed: the same end state
	 * as dropping the fault here.
	 */
	slot = vcpu_gfn_to_memslot(r->kvm, f.as_id, f.gfn);
	if (slot && slot->id == f.slot_id && r->ref.slots[f.as_id][f.slot_id].epoch == f.epoch &&
	    !(slot->flags & KVM_MEMSLOT_INVALID)) {
		dropped = false;
		write_lock(&r->kvm->mmu_lock);
		retry = adapter_fault_must_retry(r->kvm, f.seq, f.gfn, f.hva);
		if (!retry)
			installed = model_map(f.as_id, f.slot_id, f.gfn, f.hva, f.gmem_only);
		write_unlock(&r->kvm->mmu_lock);
	}
	srcu_read_unlock(&r->kvm->srcu, idx);
	if (r->o->trace)
		printf("trace: fault_commit slot=%d:%d gfn=0x%" PRIx64 " %s\n", f.as_id, f.slot_id, f.gfn,
		       dropped ? "dropped (slot gone or changed)" : retry ? "retry" : installed ? "installed" : "already mapped");
	if (!installed)
		return;
	r->st->faults_installed++;
	rs = &r->ref.slots[f.as_id][f.slot_id];
	if (!rs->used || f.gfn < rs->base_gfn || f.gfn >= rs->base_gfn + rs->npages) {
		violate(r, "notifier safety", "fault on gfn 0x%" PRIx64 " installed for a deleted or moved slot %d:%d",
			f.gfn, f.as_id, f.slot_id);
		return;
	}
	if (f.gmem_only && r->o->gmem_only_check)
		return;	/* notifiers leave gmem-only slots alone, so nothing could invalidate it */
	for (int i = 0; i < r->nr_starts; i++) {
		if (r->starts[i].serial > f.resolved_at && f.hva >= (r->starts[i].start & PAGE_MASK) &&
		    f.hva < r->starts[i].end) {
			violate(r, "notifier safety", "fault on gfn 0x%" PRIx64 " resolved before the invalidation of "
				"[0x%lx,0x%lx) began was installed after it", f.gfn, r->starts[i].start, r->starts[i].end);
			return;
		}
	}
}

/* ---- running a scenario ----------------------------------------------------------------- */

static void gmem_create(struct run *r, const struct op *o)
{
	uint64_t size = sc_gmem_size(o->a), flags = 0;
	uint64_t supported = kernel.gmem_flag_mmap | kernel.gmem_flag_init_shared;
	int expect, got;

	if (!kernel.guest_memfd)
		return;
	/* a flag the kernel lacks is passed as its uapi bit, which the kernel must refuse */
	if (o->b & SC_GMEM_MMAP)
		flags |= kernel.gmem_flag_mmap ? kernel.gmem_flag_mmap : 1;
	if (o->b & SC_GMEM_INIT_SHARED)
		flags |= kernel.gmem_flag_init_shared ? kernel.gmem_flag_init_shared : 2;
	if (o->b & SC_GMEM_UNDEFINED)
		flags |= 1ULL << 40;
	expect = (flags & ~supported) || !size || (size & (PAGE_SIZE - 1)) ? -EINVAL : 0;
	got = adapter_gmem_create(r->kvm, size, flags);
	if (r->o->trace)
		printf("trace: guest_memfd_create size=0x%" PRIx64 " flags=0x%" PRIx64 " -> %d\n", size, flags, got);
	if (!expect) {
		for (expect = 0; expect < 16 && r->ref.files[expect].used; expect++)
			;
		if (expect == 16)
			expect = -EMFILE;
	}
	if (got != expect) {
		violate(r, "memslot structure", "guest_memfd create size=0x%" PRIx64 " flags=0x%" PRIx64
			" returned %d, the rules say %d", size, flags, got, expect);
		return;
	}
	if (got >= 0)
		r->ref.files[got] = (struct ref_file){ true, size, flags };
}

static void run_op(struct run *r, const struct op *o)
{
	struct memslot_request q;
	unsigned long start, end;

	switch (o->kind) {
	case OP_CREATE:
	case OP_DELETE:
	case OP_MOVE:
	case OP_SET_FLAGS:
	case OP_RAW_REQUEST:
		request_for(r, o, &q);
		do_memslot_request(r, &q);
		if (!r->v->violated && !r->o->oracle_off)
			check_memslots(r);
		break;
	case OP_GMEM_CREATE:
		gmem_create(r, o);
		break;
	case OP_INVALIDATE_START:
		sel_range(o->a, o->b, &start, &end);
		invalidate_start(r, start, end, !(o->c & 1));
		break;
	case OP_INVALIDATE_END:
		if (r->ref.nr_inflight) {
			invalidate_end(r, o->a % r->ref.nr_inflight);
		} else if (r->mode == MODE_ILLEGAL && kernel.unpaired_end_hardened) {
			/*
			 * An end without a start: mm/ never does this. Kernels that harden
			 * against it WARN, keep the active count at zero and mark the VM
			 * bugged if in_progress went negative (6.1 BUGs: not applicable).
			 */
			sel_range(o->b, o->c, &start, &end);
			begin_event();
			adapter_invalidate_range_end(r->kvm, start, end, true);
			if ((r->kvm->mmu_invalidate_in_progress < 0 && !r->kvm->vm_bugged) ||
			    (long)r->kvm->mn_active_invalidate_count < 0)
				violate(r, "lock and accounting", "unpaired invalidate_range_end left in_progress %ld "
					"(VM bugged: %d), active count %ld", r->kvm->mmu_invalidate_in_progress,
					r->kvm->vm_bugged, (long)r->kvm->mn_active_invalidate_count);
			/* the kernel clamps the count; the in-progress counter may go negative (KVM_BUG_ON) */
			r->kvm->mmu_invalidate_in_progress = 0;
		}
		break;
	case OP_CLEAR_FLUSH_YOUNG:
	case OP_CLEAR_YOUNG:
		sel_range(o->a, o->b, &start, &end);
		aging(r, o->kind, start, end);
		break;
	case OP_TEST_YOUNG:
		aging(r, o->kind, sc_address(o->a, o->b), 0);
		break;
	case OP_CHANGE_PTE:
		change_pte(r, sc_address(o->a, o->b));
		break;
	case OP_FAULT_RESOLVE:
		fault_resolve(r, o);
		break;
	case OP_FAULT_COMMIT:
		fault_commit(r, o->a);
		break;
	case OP_INJECT:
		if (sc_inject_arch(o->a)) {
			model.fail_arch_prepare_at = sc_inject_at(o->b);
			model.arch_prepare_errno = sc_inject_efault(o->c) ? EFAULT : ENOMEM;
		} else {
			model.fail_alloc_at = sc_inject_at(o->b);
		}
		break;
	case OP_RELEASE:
		if (!r->ref.released) {
			adapter_release(r->kvm);
			r->ref.released = true;
			if (model.nr_maps)
				violate(r, "notifier safety", "%d mappings survived release", model.nr_maps);
		}
		break;
	}
	if (r->o->oracle_off)
		return;
	if (!r->v->violated)
		check_warnings(r);
	if (!r->v->violated)
		check_accounting(r);
	if (!r->v->violated && o->kind != OP_RELEASE)
		check_notifier_safety(r);
}

void scenario_run(const struct scenario *s, const struct run_options *o, struct verdict *v, struct run_stats *st)
{
	static struct run r;
	struct run_stats dummy;
	struct vm_settings vs;

	/* everything but starts[] (4 KB, read only below nr_starts) */
	memset(&r, 0, offsetof(struct run, starts));
	memset(v, 0, sizeof(*v));
	v->op_index = -1;
	r.s = s;
	r.o = o;
	r.mode = scenario_mode(s);
	r.v = v;
	r.st = st ? st : &dummy;
	decode_settings(s, &vs);
	r.kvm = adapter_create_vm(&vs);
	model_reset(r.kvm);
	model.bug_jump = &r.bug;
	model.schedule_hook = run_pending_end;
	model.schedule_ctx = &r;
	r.ref.nr_as = adapter_nr_address_spaces(r.kvm);

	if (setjmp(r.bug) == 0) {
		for (r.op = 0; r.op < s->nr_ops && !v->violated; r.op++) {
			if (o->trace)	/* marks which operation the following trace lines belong to */
				printf("trace: op %d %s\n", r.op, scenario_op_names[s->ops[r.op].kind]);
			run_op(&r, &s->ops[r.op]);
		}
		/* teardown: mm/ ends what it started, then the VM goes away */
		r.op = -1;
		while (!v->violated && r.ref.nr_inflight)
			invalidate_end(&r, r.ref.nr_inflight - 1);
	} else {
		violate(&r, model.model_error[0] == 'B' ? "kernel warning" : "lock and accounting", "%s", model.model_error);
	}
	model.bug_jump = NULL;
	model.fail_alloc_at = 0;
	if (!v->violated) {
		adapter_destroy_vm(r.kvm);
		if (model_live_allocations())
			violate(&r, "leak", "%ld kernel allocations not freed at VM teardown", model_live_allocations());
	}
	/* after a violation, state may be inconsistent: leave the VM (the process aborts) */
}

void scenario_report(FILE *f, const struct scenario *s, const struct verdict *v)
{
	fflush(stdout);	/* trace lines first: the caller aborts */
	fprintf(f, "ORACLE VIOLATION: %s: %s\n", v->property, v->detail);
	fprintf(f, "kernel %s; scenario up to the failing operation:\n", kernel.version);
	scenario_print(f, s, v->op_index < 0 ? s->nr_ops : v->op_index);
	fflush(f);
}

void run_options_from_env(struct run_options *o)
{
	const char *e = getenv("KVM_HVA_FUZZ_GMEM_ONLY_CHECK");

	o->gmem_only_check = !(e && !strcmp(e, "0"));
	e = getenv("KVM_HVA_FUZZ_TRACE");
	o->trace = e && !strcmp(e, "1");
	o->oracle_off = false;	/* never from the environment: a fuzz target always checks */
}

HARNESS_NO_COVERAGE_END
