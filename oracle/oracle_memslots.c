// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle's memslot-set check (check_memslots, oracle.h): the kernel's hva
 * tree, gfn tree and id hash of every memslot set against the reference, read
 * only, and incrementally -- a set is walked again only where a request can
 * have changed it.
 */
#include <inttypes.h>
#include <stdbool.h>

#include "oracle.h"

HARNESS_NO_COVERAGE_BEGIN

/* ---- memslot sets: trees and id hash against the reference ----------------------------------- */

/*
 * The id hash. kvm_replace_memslot() hashes a slot by its id, and the
 * scenario's ids are SC_NR_SLOT_IDS (0-7 and those next to KVM_USER_MEM_SLOTS),
 * so every entry of a healthy set sits in one of the buckets those ids hash to: those are walked (each entry must be
 * what id_to_memslot() finds, and their count the reference's), and those of
 * ids the reference does not use must be empty. An entry in any other bucket
 * could only be an extra one (a slot the lookups still find where they
 * should): one pass of 16-byte loads over the 128 heads, masked to the other
 * buckets (a fixed mask, made once: no copy, no write of the kernel's heads),
 * looks for it when a set is checked whole at the end of a run, or when that
 * pass was not clean, walks every bucket. The loads skip ASan's checks: the
 * heads are in the harness's own static struct kvm.
 */
typedef unsigned long bucket_pair __attribute__((vector_size(16), aligned(8)));
#define HEAD_PAIRS 64
_Static_assert(sizeof(((struct kvm_memslots *)0)->id_hash) == HEAD_PAIRS * sizeof(bucket_pair), "128 one-pointer buckets");

static unsigned int id_bucket[SC_NR_SLOT_IDS];	/* by slot index: hash_min(id, HASH_BITS(id_hash)) */
static bucket_pair other_buckets[HEAD_PAIRS];	/* all ones but the lanes of id_bucket[] */

/* the ids are the kernel's (KVM_USER_MEM_SLOTS), one kernel per binary: made once */
static void make_bucket_mask(const struct reference *ref)
{
	static bool made;
	unsigned long *lanes = (unsigned long *)other_buckets;

	if (made)
		return;
	for (int i = 0; i < 2 * HEAD_PAIRS; i++)
		lanes[i] = ~0UL;
	for (int i = 0; i < SC_NR_SLOT_IDS; i++) {
		id_bucket[i] = hash_min(ref_slot_id(ref, i), HASH_BITS(((struct kvm_memslots *)0)->id_hash));
		lanes[id_bucket[i]] = 0;
	}
	made = true;
}

/* Whether every bucket no id of the scenario hashes to is empty. */
__attribute__((no_sanitize("address")))
static bool other_buckets_empty(const struct hlist_head *heads)
{
	const bucket_pair *x = (const bucket_pair *)heads, *m = other_buckets;
	bucket_pair d = { 0, 0 };

	for (int i = 0; i < HEAD_PAIRS; i += 4)
		d |= ((x[i] & m[i]) | (x[i + 1] & m[i + 1])) | ((x[i + 2] & m[i + 2]) | (x[i + 3] & m[i + 3]));
	return !(d[0] | d[1]);
}

static int walk_bucket(const struct kvm_memslots *slots, unsigned int bkt, const struct kvm_memory_slot **bad)
{
	const struct kvm_memory_slot *ms;
	int n = 0;

	hlist_for_each_entry(ms, &slots->id_hash[bkt], id_node[slots->node_idx]) {
		/* id_to_memslot() only reads; the kernel's prototype lacks the const */
		if (id_to_memslot((struct kvm_memslots *)slots, ms->id) != ms) {
			*bad = ms;
			break;
		}
		n++;
	}
	return n;
}

/*
 * Entries of the id hash as hash_for_each visits them; *bad gets the first
 * id_to_memslot() misses. every_bucket: also look for entries outside the ids' buckets.
 */
static int id_hash_entries(const struct kvm_memslots *slots, const struct ref_slot *ref, bool every_bucket,
			   const struct kvm_memory_slot **bad)
{
	unsigned int buckets[SC_NR_SLOT_IDS];
	bool only_expected = !every_bucket || other_buckets_empty(slots->id_hash);
	int nb = 0, n = 0;

	*bad = NULL;
	for (int i = 0; i < SC_NR_SLOT_IDS; i++) {
		unsigned int bkt = id_bucket[i];
		int k;

		for (k = 0; k < nb && buckets[k] != bkt; k++)
			;
		if (k == nb && ref[i].used)
			buckets[nb++] = bkt;
	}
	/* a bucket of ids the reference does not use must be empty too */
	for (int i = 0; i < SC_NR_SLOT_IDS && only_expected; i++) {
		int k;

		for (k = 0; k < nb && buckets[k] != id_bucket[i]; k++)
			;
		if (k == nb && slots->id_hash[id_bucket[i]].first)
			only_expected = false;
	}
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
 * and rb_next(): those are kernel code the engine instruments, and walking
 * through them after every memslot request cost more than the request. These
 * walks check what those iterators rely on -- parent links, the order of the
 * nodes and (hva tree) every __subtree_last -- so a tree they would walk
 * wrongly is reported here too.
 */
struct tree_walk {
	struct oracle *ora;
	const struct kvm_memslots *slots;
	int as, set, n;
	bool failed;
	const struct rb_node *first;	/* the in-order first node */
	uint64_t prev;			/* key of the previous node in order */
};

static bool walk_links(struct tree_walk *w, const char *tree, const struct rb_node *rb,
		       const struct rb_node *parent, int depth)
{
	if (rb_parent(rb) != parent || depth > 64) {
		violate(w->ora->v, P_MEMSLOT_STRUCTURE, "as %d set %d: %s tree %s", w->as, w->set, tree,
			depth > 64 ? "deeper than 64 nodes (a cycle?)" : "has a node whose parent link is wrong");
		w->failed = true;
		return false;
	}
	return true;
}

/* In order; *sub gets the subtree's max(last). */
static void walk_hva(struct tree_walk *w, const struct rb_node *rb, int depth, unsigned long *sub)
{
	const struct interval_tree_node *node = rb_entry(rb, struct interval_tree_node, rb);
	const struct kvm_memory_slot *ms = container_of(node, struct kvm_memory_slot, hva_node[w->slots->node_idx]);
	const struct ref_slot *rs;
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
	rs = ref_slot(w->ora->ref, w->as, ms->id);
	if (!rs || !rs->used || rs->hva != ms->userspace_addr || rs->npages != ms->npages ||
	    rs->base_gfn != ms->base_gfn || ms->as_id != w->as ||
	    node->start != ms->userspace_addr ||
	    node->last != ms->userspace_addr + (ms->npages << PAGE_SHIFT) - 1 ||
	    (ms->flags & KVM_MEMSLOT_INVALID)) {
		violate(w->ora->v, P_MEMSLOT_STRUCTURE, "as %d set %d: hva tree holds slot %d "
			"(gfn 0x%" PRIx64 "+%lu hva 0x%lx flags 0x%x) unlike the reference",
			w->as, w->set, ms->id, ms->base_gfn, ms->npages, ms->userspace_addr, ms->flags);
		w->failed = true;
		return;
	}
	if (w->n && node->start < w->prev) {
		violate(w->ora->v, P_MEMSLOT_STRUCTURE, "as %d set %d: hva tree out of order at slot %d", w->as, w->set, ms->id);
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
		violate(w->ora->v, P_MEMSLOT_STRUCTURE, "as %d set %d: hva tree node of slot %d has __subtree_last 0x%lx, "
			"its subtree's last hva is 0x%lx", w->as, w->set, ms->id, node->__subtree_last, want);
		w->failed = true;
	}
	*sub = want;
}

static void walk_gfn(struct tree_walk *w, const struct rb_node *rb, int depth)
{
	const struct kvm_memory_slot *ms = container_of(rb, struct kvm_memory_slot, gfn_node[w->slots->node_idx]);

	if (rb->rb_left) {
		if (!walk_links(w, "gfn", rb->rb_left, rb, depth + 1))
			return;
		walk_gfn(w, rb->rb_left, depth + 1);
		if (w->failed)
			return;
	}
	if (w->n && ms->base_gfn <= w->prev) {
		violate(w->ora->v, P_MEMSLOT_STRUCTURE, "as %d set %d: gfn tree out of order at slot %d", w->as, w->set, ms->id);
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

/* One memslot set against the reference's slots of its address space. False on a violation. */
static bool check_set(struct oracle *ora, int as, int set, int nref, bool every_bucket)
{
	const struct kvm_memslots *slots = &ora->kvm->__memslots[as][set];
	struct tree_walk w = { ora, slots, as, set, 0, false, NULL, 0 };
	const struct rb_node *top = slots->hva_tree.rb_root.rb_node;
	const struct kvm_memory_slot *ms;
	unsigned long sub;
	int n, nh;

	if (slots->generation & KVM_MEMSLOT_GEN_UPDATE_IN_PROGRESS) {
		violate(ora->v, P_MEMSLOT_STRUCTURE, "as %d set %d: generation 0x%" PRIx64 " left in progress",
			as, set, slots->generation);
		return false;
	}
	/* generation % nr_as without the division, which was a visible cost: nr_as is 1 or 2 */
	if ((slots->generation & (ora->ref->kernel.nr_as - 1)) != (uint64_t)as &&
	    slots == __kvm_memslots((struct kvm *)ora->kvm, as)) {
		violate(ora->v, P_MEMSLOT_STRUCTURE, "as %d: generation 0x%" PRIx64 " not in this address space's residue class",
			as, slots->generation);
		return false;
	}
	if (top && walk_links(&w, "hva", top, NULL, 0))
		walk_hva(&w, top, 0, &sub);
	if (w.failed)
		return false;
	if (slots->hva_tree.rb_leftmost != w.first) {
		violate(ora->v, P_MEMSLOT_STRUCTURE, "as %d set %d: hva tree's cached leftmost node is not its first", as, set);
		return false;
	}
	n = w.n;
	w.n = 0;
	w.first = NULL;
	top = slots->gfn_tree.rb_node;
	if (top && walk_links(&w, "gfn", top, NULL, 0))
		walk_gfn(&w, top, 0);
	if (w.failed)
		return false;
	nh = w.n;
	if (n != nref || nh != nref) {
		violate(ora->v, P_MEMSLOT_STRUCTURE, "as %d set %d: %d slots in the hva tree, %d in the gfn tree, %d in the reference",
			as, set, n, nh, nref);
		return false;
	}
	nh = id_hash_entries(slots, ora->ref->slots[as], every_bucket, &ms);
	if (ms) {
		violate(ora->v, P_MEMSLOT_STRUCTURE, "as %d set %d: id_to_memslot(%d) misses its slot", as, set, ms->id);
		return false;
	}
	if (nh != nref) {
		violate(ora->v, P_MEMSLOT_STRUCTURE, "as %d set %d: %d slots in the id hash, %d in the reference", as, set, nh, nref);
		return false;
	}
	return true;
}

/*
 * Whether a set still looks as it did when last checked whole: same
 * generation, tree roots, leftmost node, and heads of the buckets of the
 * scenario's ids. A change of a set goes through kvm_replace_memslot(), whose
 * hlist_add_head() / hlist_replace_rcu() / hlist_del() of a bucket's first
 * entry rewrites one of those heads (the ids' buckets are distinct -- for the
 * KVM_USER_MEM_SLOTS of both profiles too -- so each slot is its bucket's first), and is published by kvm_swap_active_memslots(),
 * which moves the generation. What a print could still miss, the whole check
 * it is owed at the end of the run finds.
 */
static bool set_unchanged(const struct oracle *ora, int as, int set)
{
	const struct kvm_memslots *slots = &ora->kvm->__memslots[as][set];
	const struct set_print *p = &ora->prints[as][set];

	if (p->generation != slots->generation || p->hva_root != slots->hva_tree.rb_root.rb_node ||
	    p->hva_leftmost != slots->hva_tree.rb_leftmost || p->gfn_root != slots->gfn_tree.rb_node)
		return false;
	for (int i = 0; i < SC_NR_SLOT_IDS; i++)
		if (p->id_heads[i] != slots->id_hash[id_bucket[i]].first)
			return false;
	return true;
}

/* Record what a set looks like now (after a whole check, or as the VM was created). */
static void take_print(struct oracle *ora, int as, int set)
{
	const struct kvm_memslots *slots = &ora->kvm->__memslots[as][set];
	struct set_print *print = &ora->prints[as][set];

	print->generation = slots->generation;
	print->hva_root = slots->hva_tree.rb_root.rb_node;
	print->hva_leftmost = slots->hva_tree.rb_leftmost;
	print->gfn_root = slots->gfn_tree.rb_node;
	for (int i = 0; i < SC_NR_SLOT_IDS; i++)
		print->id_heads[i] = slots->id_hash[id_bucket[i]].first;
}

void oracle_memslots_init(struct oracle *ora)
{
	make_bucket_mask(ora->ref);
	/* the sets as adapter_create_vm() made them: owed a whole check once a request ran */
	for (int as = 0; as < ora->ref->kernel.nr_as; as++) {
		take_print(ora, as, 0);
		take_print(ora, as, 1);
		ora->owes_whole[as] = true;
		ora->owes_scan[as] = false;
	}
}

/*
 * memslot structure (every kernel, both address spaces, active and inactive
 * sets): hva tree, gfn tree and id hash hold exactly the reference's slots, the
 * generations keep their address-space residue, nr_memslot_pages adds up.
 *
 * Incremental. changed_as is the address space a request may have changed (it
 * succeeded, or an injected failure unwound it), -1 if the rules rejected it:
 * its two sets are checked whole but for the scan for extra id-hash entries.
 * Every other set is compared with its print; one that moved is checked whole
 * too, one that did not is owed a whole check. At the end of a run
 * (CHECK_END) what is owed is done: the whole check with the scan where a
 * print stood in for it, the scan where only that was left out.
 */
void check_memslots(struct oracle *ora, int changed_as)
{
	const struct reference *ref = ora->ref;
	bool end = changed_as == CHECK_END;
	unsigned long pages = 0;

	for (int as = 0; as < ref->kernel.nr_as; as++) {
		bool every_bucket = false;
		int nref = 0;

		for (int i = 0; i < SC_NR_SLOT_IDS; i++) {
			if (!ref->slots[as][i].used)
				continue;
			nref++;
			pages += ref->slots[as][i].npages;
		}
		if (end) {
			if (!ora->owes_whole[as] &&
			    (!ora->owes_scan[as] || (other_buckets_empty(ora->kvm->__memslots[as][0].id_hash) &&
						     other_buckets_empty(ora->kvm->__memslots[as][1].id_hash))))
				continue;
			every_bucket = true;	/* owed, or the scan found an entry: the whole check says what */
		} else if (as != changed_as && set_unchanged(ora, as, 0) && set_unchanged(ora, as, 1)) {
			ora->owes_whole[as] = true;
			continue;
		}
		for (int set = 0; set < 2; set++) {
			if (!check_set(ora, as, set, nref, every_bucket))
				return;
			take_print(ora, as, set);
		}
		ora->owes_whole[as] = false;
		ora->owes_scan[as] = !every_bucket;
	}
	if (ora->kvm->nr_memslot_pages != pages)
		violate(ora->v, P_MEMSLOT_STRUCTURE, "nr_memslot_pages is %lu, the slots hold %lu",
			ora->kvm->nr_memslot_pages, pages);
}

HARNESS_NO_COVERAGE_END
