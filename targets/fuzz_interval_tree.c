// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_interval_tree: the kernel's generic interval tree (lib/interval_tree.c,
 * INTERVAL_TREE_DEFINE over struct interval_tree_node, on lib/rbtree.c) against
 * a brute-force model: an array of [start, last] intervals.
 *
 * Input decoding (every byte string is a valid op sequence; decoding stops when
 * the bytes or the op budget run out, missing bytes read as 0):
 *
 *   op byte b:  kind = b & 7, hint = b >> 3
 *     0..2  INSERT  into the first free slot at or after hint; [p(), p()]
 *                   (endpoints swapped so start <= last). Tree full: REMOVE.
 *     3..4  REMOVE  the (hint % n)-th present node (slot order). Empty: no-op.
 *     5..6  QUERY   [p(), p()]: iter_first/iter_next must return exactly the
 *                   overlapping nodes, in tree order. Kind 5 swaps so a <= b;
 *                   kind 6 keeps the order, so a > b is the query an empty
 *                   notifier range makes ([start, start - 1]: a node must
 *                   cover both ends to match), and hint 31 is [0, ULONG_MAX].
 *     7     ERASE   [p(), p()]: remove every overlapping node while iterating,
 *                   next = iter_next(n) before remove(n), as kernel users do.
 *
 *   endpoint p(), one byte v: mode = v >> 6, s = v & 0x3f
 *     0  s                       (dense small values: duplicates, nesting)
 *     1  ULONG_MAX - s           (the top of the range)
 *     2  an endpoint of a present node plus 0, +1, -1, 0 (touching ranges):
 *        s bit 5 = start/last, bits 4..3 = delta, bits 2..0 = node (mod n)
 *     3  s < 63: 1UL << s; s == 63: 8 raw little-endian bytes
 *
 * After every op the whole tree is checked: red-black rules, parent links,
 * order by start, __subtree_last == max(last, children's __subtree_last),
 * rb_leftmost == rb_first(), rb_first/rb_next and rb_last/rb_prev against the
 * recursive in-order walk, and node set == model set.
 *
 * Order: iter_next walks the tree in order, so results come sorted by start;
 * among equal starts the kernel's order is the tree's, so the check is that
 * the results are a subsequence of the rb_first/rb_next walk (together with
 * set equality that fixes the exact sequence).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_api.h"
/*
 * The kernel's own headers are not -Wextra clean (rb_link_noop() in 7.x has
 * unused parameters); keep -Wextra for this file's code only.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <linux/rbtree.h>
#include <linux/rbtree_augmented.h>
#include <linux/interval_tree.h>
#pragma GCC diagnostic pop

#define IT_MAX_NODES 64
#define IT_MAX_OPS 256

enum it_op_kind { OP_INSERT, OP_REMOVE, OP_QUERY, OP_ERASE, OP_NOP };

struct it_op {
	enum it_op_kind kind;
	int slot;			/* INSERT/REMOVE */
	unsigned long a, b;		/* INSERT: [start,last]; QUERY/ERASE: [a,b] */
	int nresult;			/* QUERY/ERASE: what the model expects */
};

static struct interval_tree_node it_nodes[IT_MAX_NODES];
static bool it_present[IT_MAX_NODES];
static unsigned long it_start[IT_MAX_NODES], it_last[IT_MAX_NODES];
static int it_count;
static struct rb_root_cached it_root;

static struct it_op it_log[IT_MAX_OPS];
static int it_nlog;

static const uint8_t *in_data;
static size_t in_size, in_pos;

static uint8_t in_byte(void)
{
	return in_pos < in_size ? in_data[in_pos++] : 0;
}

static const char *op_name(enum it_op_kind k)
{
	switch (k) {
	case OP_INSERT: return "insert";
	case OP_REMOVE: return "remove";
	case OP_QUERY: return "query";
	case OP_ERASE: return "erase-overlapping";
	default: return "nop";
	}
}

static void print_ops(void)
{
	int i;

	fprintf(stderr, "ops (%d, last one failed):\n", it_nlog);
	for (i = 0; i < it_nlog; i++) {
		const struct it_op *op = &it_log[i];

		switch (op->kind) {
		case OP_INSERT:
		case OP_REMOVE:
			fprintf(stderr, "  #%d %s node%d [0x%lx, 0x%lx]\n", i,
				op_name(op->kind), op->slot, op->a, op->b);
			break;
		case OP_QUERY:
		case OP_ERASE:
			fprintf(stderr, "  #%d %s [0x%lx, 0x%lx] (model: %d overlapping)\n",
				i, op_name(op->kind), op->a, op->b, op->nresult);
			break;
		default:
			fprintf(stderr, "  #%d nop (remove from empty tree)\n", i);
			break;
		}
	}
	fprintf(stderr, "model after the failing op's model update (%d nodes):\n", it_count);
	for (i = 0; i < IT_MAX_NODES; i++)
		if (it_present[i])
			fprintf(stderr, "  node%d [0x%lx, 0x%lx]\n", i, it_start[i], it_last[i]);
}

static void __attribute__((__format__(printf, 1, 2), __noreturn__))
violation(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ORACLE VIOLATION: interval tree: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	print_ops();
	fflush(stderr);
	abort();
}

/* The slot of a node pointer the kernel handed back, or a violation. */
static int slot_of(const struct interval_tree_node *n, const char *what)
{
	uintptr_t p = (uintptr_t)n, base = (uintptr_t)&it_nodes[0];

	if (p < base || p >= (uintptr_t)&it_nodes[IT_MAX_NODES] ||
	    (p - base) % sizeof(it_nodes[0]))
		violation("%s returned %p, not one of the nodes", what, (const void *)n);
	return (int)((p - base) / sizeof(it_nodes[0]));
}

static int rb_slot(const struct rb_node *rb, const char *what)
{
	/* rb is the first member; do not form container_of of a wild pointer. */
	uintptr_t p = (uintptr_t)rb - offsetof(struct interval_tree_node, rb);

	return slot_of((const struct interval_tree_node *)p, what);
}

static bool overlaps(int i, unsigned long a, unsigned long b)
{
	return it_start[i] <= b && a <= it_last[i];
}

/* ---- whole-tree invariants ---- */

static bool chk_seen[IT_MAX_NODES];
static int chk_inorder[IT_MAX_NODES];
static int chk_n;
static int chk_pos[IT_MAX_NODES];	/* slot -> in-order position */

/* Returns the black height of the subtree; *sub gets its max(last). */
static int check_subtree(const struct rb_node *rb, const struct rb_node *parent,
			 int depth, unsigned long *sub)
{
	const struct interval_tree_node *n;
	unsigned long lsub = 0, rsub = 0, want;
	int slot, lbh, rbh;

	if (!rb) {
		*sub = 0;
		return 1;
	}
	slot = rb_slot(rb, "tree walk");
	if (depth > IT_MAX_NODES)
		violation("tree deeper than %d (cycle?) at node%d", IT_MAX_NODES, slot);
	if (!it_present[slot])
		violation("removed or never-inserted node%d [0x%lx, 0x%lx] is in the tree",
			  slot, it_start[slot], it_last[slot]);
	if (chk_seen[slot])
		violation("node%d reached twice in the tree walk", slot);
	chk_seen[slot] = true;
	n = &it_nodes[slot];
	if (n->start != it_start[slot] || n->last != it_last[slot])
		violation("node%d endpoints changed: [0x%lx, 0x%lx], inserted as [0x%lx, 0x%lx]",
			  slot, n->start, n->last, it_start[slot], it_last[slot]);
	if (rb_parent(rb) != parent)
		violation("node%d parent pointer %p, walked from %p", slot,
			  (const void *)rb_parent(rb), (const void *)parent);
	if (rb_is_red(rb) && parent && rb_is_red(parent))
		violation("red node%d has a red parent node%d", slot,
			  rb_slot(parent, "parent"));
	if (rb_is_red(rb) && !parent)
		violation("root node%d is red", slot);

	lbh = check_subtree(rb->rb_left, rb, depth + 1, &lsub);
	if (chk_n >= IT_MAX_NODES)
		violation("more than %d nodes in the tree walk", IT_MAX_NODES);
	chk_pos[slot] = chk_n;
	chk_inorder[chk_n++] = slot;
	rbh = check_subtree(rb->rb_right, rb, depth + 1, &rsub);

	if (lbh != rbh)
		violation("node%d black heights differ: left %d, right %d", slot, lbh, rbh);

	want = n->last;
	if (rb->rb_left && lsub > want)
		want = lsub;
	if (rb->rb_right && rsub > want)
		want = rsub;
	if (n->__subtree_last != want)
		violation("node%d [0x%lx, 0x%lx] __subtree_last 0x%lx, subtree max(last) 0x%lx",
			  slot, n->start, n->last, n->__subtree_last, want);
	*sub = want;
	return lbh + (rb_is_black(rb) ? 1 : 0);
}

static void check_tree(void)
{
	const struct rb_node *rb, *top = it_root.rb_root.rb_node;
	unsigned long sub;
	int i, k;

	memset(chk_seen, 0, sizeof(chk_seen));
	chk_n = 0;
	if (top && rb_parent(top))
		violation("root node%d has a parent", rb_slot(top, "root"));
	check_subtree(top, NULL, 0, &sub);
	if (chk_n != it_count)
		violation("tree holds %d nodes, model %d", chk_n, it_count);
	for (i = 1; i < chk_n; i++)
		if (it_start[chk_inorder[i - 1]] > it_start[chk_inorder[i]])
			violation("in-order node%d start 0x%lx before node%d start 0x%lx",
				  chk_inorder[i - 1], it_start[chk_inorder[i - 1]],
				  chk_inorder[i], it_start[chk_inorder[i]]);

	rb = rb_first(&it_root.rb_root);
	if (rb != (chk_n ? &it_nodes[chk_inorder[0]].rb : NULL))
		violation("rb_first %p is not the in-order first", (const void *)rb);
	if (it_root.rb_leftmost != rb)
		violation("rb_leftmost %p, rb_first %p", (const void *)it_root.rb_leftmost,
			  (const void *)rb);
	if (rb_first_cached(&it_root) != rb)
		violation("rb_first_cached disagrees with rb_first");
	for (k = 0; rb; rb = rb_next(rb), k++)
		if (k >= chk_n || rb != &it_nodes[chk_inorder[k]].rb)
			violation("rb_next walk differs from the tree at position %d", k);
	if (k != chk_n)
		violation("rb_next walk stops after %d of %d nodes", k, chk_n);
	for (k = chk_n - 1, rb = rb_last(&it_root.rb_root); rb; rb = rb_prev(rb), k--)
		if (k < 0 || rb != &it_nodes[chk_inorder[k]].rb)
			violation("rb_prev walk differs from the tree at position %d", k);
	if (k != -1)
		violation("rb_prev walk stops with %d nodes unvisited", k + 1);
}

/* ---- decoding ---- */

static int nth_present(unsigned int k)
{
	int i;

	for (i = 0; i < IT_MAX_NODES; i++)
		if (it_present[i] && k-- == 0)
			return i;
	return -1;
}

static unsigned long decode_point(void)
{
	uint8_t v = in_byte();
	unsigned int s = v & 0x3f;
	unsigned long x;
	int i, slot;

	switch (v >> 6) {
	case 0:
		return s;
	case 1:
		return ULONG_MAX - s;
	case 2:
		if (!it_count)
			return s;
		slot = nth_present((s & 7) % it_count);
		x = (s & 0x20) ? it_last[slot] : it_start[slot];
		switch ((s >> 3) & 3) {
		case 1: return x + 1;	/* wraps at ULONG_MAX, on purpose */
		case 2: return x - 1;
		default: return x;
		}
	default:
		if (s < 63)
			return 1UL << s;
		x = 0;
		for (i = 0; i < 8; i++)
			x |= (unsigned long)in_byte() << (8 * i);
		return x;
	}
}

static void decode_range(unsigned long *a, unsigned long *b)
{
	unsigned long x = decode_point(), y = decode_point();

	*a = x < y ? x : y;
	*b = x < y ? y : x;
}

/* ---- ops ---- */

static void do_insert(struct it_op *op, unsigned int hint)
{
	int i, slot = -1;

	for (i = 0; i < IT_MAX_NODES; i++) {
		int s = (int)((hint + i) % IT_MAX_NODES);

		if (!it_present[s]) {
			slot = s;
			break;
		}
	}
	decode_range(&op->a, &op->b);
	op->slot = slot;
	/* Garbage in every field the kernel must set itself. */
	memset(&it_nodes[slot], 0xa5, sizeof(it_nodes[slot]));
	it_nodes[slot].start = op->a;
	it_nodes[slot].last = op->b;
	it_start[slot] = op->a;
	it_last[slot] = op->b;
	it_present[slot] = true;
	it_count++;
	interval_tree_insert(&it_nodes[slot], &it_root);
}

static void do_remove(struct it_op *op, unsigned int hint)
{
	int slot;

	if (!it_count) {
		op->kind = OP_NOP;
		return;
	}
	slot = nth_present(hint % it_count);
	op->slot = slot;
	op->a = it_start[slot];
	op->b = it_last[slot];
	it_present[slot] = false;
	it_count--;
	interval_tree_remove(&it_nodes[slot], &it_root);
}

static int model_overlaps(unsigned long a, unsigned long b, bool *want)
{
	int i, n = 0;

	for (i = 0; i < IT_MAX_NODES; i++) {
		want[i] = it_present[i] && overlaps(i, a, b);
		n += want[i];
	}
	return n;
}

/* Tree order of the current tree, from rb_first/rb_next (checked by check_tree). */
static void inorder_positions(void)
{
	const struct rb_node *rb;
	int k = 0;

	for (rb = rb_first(&it_root.rb_root); rb && k < IT_MAX_NODES; rb = rb_next(rb))
		chk_pos[rb_slot(rb, "rb_next")] = k++;
}

static void do_query(struct it_op *op, bool ordered, unsigned int hint)
{
	bool want[IT_MAX_NODES], got[IT_MAX_NODES];
	struct interval_tree_node *n;
	int nwant, ngot = 0, prev = -1, slot, i;

	if (ordered) {
		decode_range(&op->a, &op->b);
	} else if (hint == 31) {
		op->a = 0;
		op->b = ULONG_MAX;
	} else {
		op->a = decode_point();
		op->b = decode_point();
	}
	nwant = model_overlaps(op->a, op->b, want);
	op->nresult = nwant;
	inorder_positions();
	memset(got, 0, sizeof(got));

	n = interval_tree_iter_first(&it_root, op->a, op->b);
	if (!n && nwant)
		violation("iter_first [0x%lx, 0x%lx] is NULL, model has %d overlapping",
			  op->a, op->b, nwant);
	if (n && !nwant)
		violation("iter_first [0x%lx, 0x%lx] returned node%d [0x%lx, 0x%lx], model has none",
			  op->a, op->b, slot_of(n, "iter_first"), n->start, n->last);
	for (; n; n = interval_tree_iter_next(n, op->a, op->b)) {
		slot = slot_of(n, ngot ? "iter_next" : "iter_first");
		if (!it_present[slot])
			violation("query [0x%lx, 0x%lx] returned removed node%d",
				  op->a, op->b, slot);
		if (got[slot])
			violation("query [0x%lx, 0x%lx] returned node%d twice",
				  op->a, op->b, slot);
		if (!want[slot])
			violation("query [0x%lx, 0x%lx] returned node%d [0x%lx, 0x%lx], which does not overlap",
				  op->a, op->b, slot, it_start[slot], it_last[slot]);
		if (prev >= 0 && (it_start[prev] > it_start[slot] ||
				  chk_pos[prev] >= chk_pos[slot]))
			violation("query [0x%lx, 0x%lx] returned node%d [0x%lx, ...] after node%d [0x%lx, ...], out of tree order",
				  op->a, op->b, slot, it_start[slot], prev, it_start[prev]);
		got[slot] = true;
		prev = slot;
		ngot++;
	}
	if (ngot != nwant) {
		for (i = 0; i < IT_MAX_NODES && !(want[i] && !got[i]); i++)
			;
		violation("query [0x%lx, 0x%lx] returned %d nodes, model %d; missing node%d [0x%lx, 0x%lx]",
			  op->a, op->b, ngot, nwant, i, it_start[i], it_last[i]);
	}
}

static void do_erase(struct it_op *op)
{
	bool want[IT_MAX_NODES], got[IT_MAX_NODES];
	struct interval_tree_node *n, *next;
	int nwant, ngot = 0, slot, i;

	decode_range(&op->a, &op->b);
	nwant = model_overlaps(op->a, op->b, want);
	op->nresult = nwant;
	memset(got, 0, sizeof(got));

	for (n = interval_tree_iter_first(&it_root, op->a, op->b); n; n = next) {
		slot = slot_of(n, ngot ? "iter_next" : "iter_first");
		if (!it_present[slot] || !want[slot] || got[slot])
			violation("erase [0x%lx, 0x%lx] reached node%d [0x%lx, 0x%lx]: %s",
				  op->a, op->b, slot, it_start[slot], it_last[slot],
				  !it_present[slot] ? "not in the tree" :
				  got[slot] ? "already removed" : "does not overlap");
		next = interval_tree_iter_next(n, op->a, op->b);
		interval_tree_remove(n, &it_root);
		it_present[slot] = false;
		it_count--;
		got[slot] = true;
		ngot++;
	}
	if (ngot != nwant) {
		for (i = 0; i < IT_MAX_NODES && !(want[i] && !got[i]); i++)
			;
		violation("erase [0x%lx, 0x%lx] removed %d nodes, model %d; missed node%d [0x%lx, 0x%lx]",
			  op->a, op->b, ngot, nwant, i, it_start[i], it_last[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	in_data = data;
	in_size = size;
	in_pos = 0;
	it_root = RB_ROOT_CACHED;
	memset(it_present, 0, sizeof(it_present));
	it_count = 0;
	it_nlog = 0;

	while (in_pos < in_size && it_nlog < IT_MAX_OPS) {
		uint8_t b = in_byte();
		unsigned int hint = b >> 3;
		struct it_op *op = &it_log[it_nlog++];

		memset(op, 0, sizeof(*op));
		switch (b & 7) {
		case 0: case 1: case 2:
			if (it_count < IT_MAX_NODES) {
				op->kind = OP_INSERT;
				do_insert(op, hint);
				break;
			}
			fallthrough;
		case 3: case 4:
			op->kind = OP_REMOVE;
			do_remove(op, hint);
			break;
		case 5: case 6:
			op->kind = OP_QUERY;
			do_query(op, (b & 7) == 5, hint);
			break;
		default:
			op->kind = OP_ERASE;
			do_erase(op);
			break;
		}
		check_tree();
	}
	/* Nodes are static; nothing to free. Leave no stale root behind. */
	it_root = RB_ROOT_CACHED;
	return 0;
}
