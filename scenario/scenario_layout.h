// SPDX-License-Identifier: GPL-2.0
/*
 * What the bytes of a scenario mean, without any kernel header: the driver
 * (scenario.c), the reference model (reference.c) and the text format
 * (scenario_text.c) all decode through these
 * functions, so a text scenario and its bytes cannot drift apart.
 *
 * Layout: 2 header bytes, then 6 bytes per operation (kind, a, b, c, d, e).
 */
#ifndef KVM_HVA_FUZZ_SCENARIO_LAYOUT_H
#define KVM_HVA_FUZZ_SCENARIO_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#define OP_BYTES 6
#define SCENARIO_HEADER_BYTES 2
#define SCENARIO_MAX_OPS 64

/* How a run treats sequences mm/ never issues; bits 2-3 of header[1] (sc_mode). */
enum scenario_mode {
	MODE_LEGAL,		/* only what mm/ can issue: every end pairs a start */
	MODE_ILLEGAL,		/* also unpaired ends: a WARN is expected, state must stay sane */
	MODE_CHANGE_PTE_UNWRAPPED,	/* change_pte outside any invalidation (pre-2012 mm/) */
};

#define SC_PAGE 4096ULL
#define SC_HVA_TOP ((1ULL << 47) - SC_PAGE)	/* TASK_SIZE_MAX in the shims, less a page */

/*
 * Host virtual address regions. Small selectors already give aliasing (two
 * slots on one region), adjacency (region 1 starts where 16 pages of region 0
 * end), the end of the user address space and the lowest pages.
 */
static const uint64_t sc_hva_regions[8] = {
	0x100000000ULL, 0x100010000ULL, 0x100008000ULL, SC_HVA_TOP - 32 * SC_PAGE,
	0x7f0000000000ULL, 0x1000ULL, 0x200000000ULL, SC_HVA_TOP - 16 * SC_PAGE,
};
static const uint64_t sc_gpa_regions[4] = { 0, 0x100000, 0xfffffff0000ULL, 0x80000000 };

/* Starting counter values: zero and values next to 2^31, 2^32 and 2^63. */
static const uint64_t sc_counter_presets[8] = {
	0, (1ULL << 31) - 2, (1ULL << 32) - 2, (1ULL << 63) - 4096,
	1, (1ULL << 31) + 5, (1ULL << 32) + 5, ~0ULL - 3,
};

/* header[0]: bit 0 one address space, bit 1 no read-only memslots, bits 2-4 mmu_invalidate_seq preset */
static inline int sc_nr_as(const uint8_t *h) { return (h[0] & 1) ? 1 : 2; }
static inline bool sc_readonly_mem(const uint8_t *h) { return !(h[0] & 2); }
static inline uint64_t sc_invalidate_seq(const uint8_t *h) { return sc_counter_presets[(h[0] >> 2) & 7]; }
/* header[1]: bits 0-1 generation preset (clear of the update-in-progress bit 63), bits 2-3 mode */
static inline uint64_t sc_generation(const uint8_t *h) { return sc_counter_presets[h[1] & 3]; }
static inline int sc_mode(const uint8_t *h) { int m = (h[1] >> 2) & 3; return m == 3 ? 0 : m; }

static inline uint64_t sc_hva(uint8_t b) { return sc_hva_regions[(b >> 4) & 7] + (uint64_t)(b & 15) * SC_PAGE; }
static inline uint64_t sc_gpa(uint8_t c) { return sc_gpa_regions[(c >> 4) & 3] + (uint64_t)(c & 15) * SC_PAGE; }
static inline int sc_as(uint8_t a) { return (a >> 7) & 1; }
/*
 * Memslot ids, from bits 0-6 of a slot byte: ids 0-7 (bits 3-6 clear, and
 * every pattern not named here); bits 3-6 all set: 0x7fff (KVM_MEM_SLOTS_NUM
 * on x86, past every limit); 0x70-0x77: the ids next to KVM_USER_MEM_SLOTS,
 * from USER-2 to USER+5 -- two user ids, then the internal ones (x86: 3) and
 * those past them. Only the kernel knows KVM_USER_MEM_SLOTS, so these stay
 * relative here ("user-1", "user+0" in the text form) and the run resolves them.
 */
#define SC_NR_IDS 8		/* the low ids 0-7 */
#define SC_NR_LIMIT_IDS 8	/* KVM_USER_MEM_SLOTS + SC_LIMIT_ID_FIRST, and the 7 after it */
#define SC_LIMIT_ID_FIRST (-2)
#define SC_NR_SLOT_IDS (SC_NR_IDS + SC_NR_LIMIT_IDS)	/* the ids a slot can have: the reference's slots per address space */
#define SC_MAX_AS 2	/* address spaces a header can ask for */
#define SC_BAD_ID 0x7fff
#define SC_LIMIT_ID_BITS 0x70
static inline bool sc_id_near_limit(uint8_t a) { return (a & 0x78) == SC_LIMIT_ID_BITS; }
/* an id near the limit, less KVM_USER_MEM_SLOTS */
static inline int sc_limit_offset(uint8_t a) { return SC_LIMIT_ID_FIRST + (a & 7); }
static inline uint32_t sc_id(uint8_t a, uint32_t user_mem_slots)
{
	if ((a & 0x78) == 0x78)
		return SC_BAD_ID;
	return sc_id_near_limit(a) ? user_mem_slots + (uint32_t)sc_limit_offset(a) : a & (SC_NR_IDS - 1);
}
/*
 * The id map: slot index i (0 <= i < SC_NR_SLOT_IDS) is id i below SC_NR_IDS,
 * then the ids near the limit in order; -1 for an id that is none of them.
 * (KVM_USER_MEM_SLOTS is 32764 or more on every kernel: the two runs never meet.)
 */
static inline uint32_t sc_slot_index_id(int i, uint32_t user_mem_slots)
{
	return i < SC_NR_IDS ? (uint32_t)i : user_mem_slots + (uint32_t)(SC_LIMIT_ID_FIRST + i - SC_NR_IDS);
}
static inline int sc_id_slot_index(uint32_t id, uint32_t user_mem_slots)
{
	uint32_t first = user_mem_slots + (uint32_t)SC_LIMIT_ID_FIRST;

	if (id < SC_NR_IDS)
		return (int)id;
	return id - first < SC_NR_LIMIT_IDS ? SC_NR_IDS + (int)(id - first) : -1;
}

/* memslot size in pages; selectors 0xf8-0xff ask for one page over KVM_MEM_MAX_NR_PAGES */
static inline bool sc_pages_over_limit(uint8_t d) { return d >= 0xf8; }
static inline uint64_t sc_pages(uint8_t d) { return (d % 32) + 1; }

/* memslot flags: the uapi bits LOG_DIRTY_PAGES 1, READONLY 2, GUEST_MEMFD 4, and bit 3 (undefined) */
#define SC_MEM_LOG_DIRTY_PAGES 1u
#define SC_MEM_READONLY 2u
#define SC_MEM_GUEST_MEMFD 4u
#define SC_MEM_UNDEFINED (1u << 3)
static inline uint32_t sc_flags(uint8_t e) { return (e & 7) | ((e & 8) ? SC_MEM_UNDEFINED : 0); }
static inline int sc_gmem_fd(uint8_t e) { return (e >> 4) & 3; }
static inline uint64_t sc_gmem_offset_pages(uint8_t e) { return (uint64_t)(e >> 6) * 4; }

/* notifier ranges: b == 0xff is the whole address space; else 1-48 pages, page-aligned as mm/ passes them */
static inline void sc_range(uint8_t a, uint8_t b, uint64_t *start, uint64_t *end)
{
	if (b == 0xff) {
		*start = 0;
		*end = ~0ULL;
		return;
	}
	*start = sc_hva(a);
	*end = *start + (uint64_t)((b % 48) + 1) * SC_PAGE;
}

/* a single address (test_young, change_pte): a page of the regions plus a byte offset */
static inline uint64_t sc_address(uint8_t a, uint8_t b) { return sc_hva(a) + b; }

/* raw memslot request (error paths): every field straight from the bytes */
static inline uint32_t sc_raw_slot(uint8_t a) { return ((uint32_t)a << 9) | (a & 0x7f); }
static inline uint64_t sc_raw_gpa(uint8_t c) { return (uint64_t)c << 8; }
static inline uint64_t sc_raw_size(uint8_t d) { return (uint64_t)d << 8; }
static inline uint64_t sc_raw_hva(uint8_t b, uint8_t d) { return sc_hva(b) + d; }

/* guest_memfd size: 1-64 pages; selectors 0xc0-0xff with bit 0 set: empty; clear: half a page short */
static inline uint64_t sc_gmem_size(uint8_t a)
{
	uint64_t size = (uint64_t)(a % 64 + 1) * SC_PAGE;

	if ((a & 0xc0) == 0xc0)
		size = (a & 1) ? 0 : size - 0x800;
	return size;
}
#define SC_GMEM_MMAP 1u
#define SC_GMEM_INIT_SHARED 2u
#define SC_GMEM_UNDEFINED 4u	/* bit 40 of the flags: no kernel defines it */

/*
 * internal_memslot: a KVM-internal memslot (x86: TSS, APIC access page and
 * identity map at KVM_USER_MEM_SLOTS + 0..2), set through the kernel's internal
 * path as x86's __x86_set_memory_region() sets it, one address space per call.
 * a: bit 7 the address space, a & 7 the id near the limit (as SC_LIMIT_ID_BITS: USER-2..USER+5);
 * b: the hva. Below 0x80 a harness region (sc_hva(b)): the kernel maps the
 *    slot's memory itself (vm_mmap()), page-aligned, somewhere free -- the
 *    regions stand for that, so mm/'s notifier ranges meet internal slots as
 *    they meet user ones (and a user slot on the same hva is userspace's
 *    doing: a slot over memory it left unmapped); 0x80-0xff an hva no vm_mmap()
 *    returns (b & 3: a byte into region 4, TASK_SIZE_MAX, 2^63, 2^64 - a page);
 * c: the gpa (sc_gpa); d & 3: pages, 0 deletes (x86's slots are 1 and 3 pages);
 * e: flags (sc_flags; x86 passes none).
 */
static inline uint64_t sc_internal_hva(uint8_t b)
{
	static const uint64_t odd[4] = { 0x7f0000000001ULL, (1ULL << 47) - SC_PAGE, 1ULL << 63, -SC_PAGE };

	return b < 0x80 ? sc_hva(b) : odd[b & 3];
}
static inline uint64_t sc_internal_pages(uint8_t d) { return d & 3; }

/* injected failures: a & 1 picks the arch prepare hook, else the allocator; the Nth call fails */
static inline bool sc_inject_arch(uint8_t a) { return a & 1; }
static inline int sc_inject_at(uint8_t b) { return b % 8 + 1; }
static inline bool sc_inject_efault(uint8_t c) { return c & 1; }	/* else ENOMEM */

/*
 * Boundary values (gmem_bind, create_edge, invalidate_range). The tables above
 * keep the common case small; these operations take the numbers where kernels
 * have had bugs: a preset per field (some relative to the request's own size or
 * the guest_memfd's size, which only the run knows: sc_edge_value() resolves
 * them) plus a small adjustment, so each dangerous value is one byte away.
 */
enum sc_edge_base {
	SC_EDGE_ABS,		/* the preset value itself */
	SC_EDGE_LESS_SIZE,	/* the preset less the request's size (so value + size == preset) */
	SC_EDGE_ISIZE,		/* the guest_memfd's size */
	SC_EDGE_ISIZE_LESS_SIZE,
	SC_EDGE_TASK_SIZE,	/* TASK_SIZE_MAX, the end of user addresses */
	SC_EDGE_TASK_SIZE_LESS_SIZE,
};
struct sc_edge { enum sc_edge_base base; uint64_t value; const char *name; };
#define SC_2P(n) (1ULL << (n))
#define SC_TOP 0ULL	/* 2^64, as the base of "less size" values */

/* guest_memfd binding offsets: e & 15 (signed loff_t sums near 2^63 were a real bug) */
static const struct sc_edge sc_gmem_offset_edges[16] = {
	{ SC_EDGE_ABS, 0, "0" },			{ SC_EDGE_ISIZE_LESS_SIZE, 0, "i_size-size" },
	{ SC_EDGE_ISIZE, 0, "i_size" },			{ SC_EDGE_ABS, SC_2P(31), "2^31" },
	{ SC_EDGE_ABS, SC_2P(32), "2^32" },		{ SC_EDGE_ABS, SC_2P(62), "2^62" },
	{ SC_EDGE_LESS_SIZE, SC_2P(63), "2^63-size" },	{ SC_EDGE_ABS, SC_2P(63) - SC_PAGE, "2^63-page" },
	{ SC_EDGE_ABS, SC_2P(63), "2^63" },		{ SC_EDGE_ABS, SC_2P(63) + SC_PAGE, "2^63+page" },
	{ SC_EDGE_LESS_SIZE, SC_TOP, "2^64-size" },	{ SC_EDGE_ABS, -SC_PAGE, "2^64-page" },
	{ SC_EDGE_ABS, SC_2P(32) - SC_PAGE, "2^32-page" }, { SC_EDGE_ABS, SC_2P(52), "2^52" },
	{ SC_EDGE_ABS, SC_PAGE, "page" },		{ SC_EDGE_ISIZE, SC_PAGE, "i_size+page" },
};
/* the adjustment added to a preset: bits 6-7 of the selector byte */
static const int64_t sc_edge_adjust[4] = { 0, (int64_t)SC_PAGE, -(int64_t)SC_PAGE, 1 };
static const char *const sc_edge_adjust_names[4] = { "", "+page", "-page", "+1" };
static inline const struct sc_edge *sc_gmem_offset_edge(uint8_t e) { return &sc_gmem_offset_edges[e & 15]; }
static inline int sc_edge_adjust_sel(uint8_t x) { return x >> 6; }
static inline int sc_gmem_bind_fd(uint8_t e) { return (e >> 4) & 3; }

/* memslot arithmetic: guest physical addresses (c & 7), hvas (b & 7), sizes (d & 7) */
static const struct sc_edge sc_gpa_edges[8] = {
	{ SC_EDGE_ABS, 0, "0" },			{ SC_EDGE_LESS_SIZE, SC_TOP, "2^64-size" },
	{ SC_EDGE_ABS, -SC_PAGE, "2^64-page" },		{ SC_EDGE_LESS_SIZE, SC_2P(52), "2^52-size" },
	{ SC_EDGE_ABS, SC_2P(52), "2^52" },		{ SC_EDGE_LESS_SIZE, SC_2P(32), "2^32-size" },
	{ SC_EDGE_ABS, SC_2P(63), "2^63" },		{ SC_EDGE_LESS_SIZE, SC_2P(63), "2^63-size" },
};
static const struct sc_edge sc_hva_edges[8] = {
	{ SC_EDGE_ABS, 0x100000000ULL, "0x100000000" },	{ SC_EDGE_TASK_SIZE_LESS_SIZE, 0, "task_size-size" },
	{ SC_EDGE_TASK_SIZE, 0, "task_size" },		{ SC_EDGE_LESS_SIZE, SC_TOP, "2^64-size" },
	{ SC_EDGE_ABS, 0, "0" },			{ SC_EDGE_ABS, -SC_PAGE, "2^64-page" },
	{ SC_EDGE_LESS_SIZE, SC_2P(47), "2^47-size" },	{ SC_EDGE_ABS, SC_2P(63), "2^63" },
};
/* sizes in pages; "max" is KVM_MEM_MAX_NR_PAGES, which only the kernel knows */
enum sc_edge_pages { SC_PAGES_ONE, SC_PAGES_16, SC_PAGES_MAX_LESS_1, SC_PAGES_MAX, SC_PAGES_MAX_PLUS_1,
		     SC_PAGES_2P32, SC_PAGES_2P51, SC_PAGES_2P52_LESS_1, SC_PAGES_NR };
static const char *const sc_edge_pages_names[SC_PAGES_NR] = {
	"1", "16", "max-1", "max", "max+1", "2^32", "2^51", "2^52-1",
};
static inline enum sc_edge_pages sc_edge_pages(uint8_t d) { return (enum sc_edge_pages)(d & 7); }
static inline uint64_t sc_edge_npages(enum sc_edge_pages p, uint64_t max_pages)
{
	static const uint64_t fixed[SC_PAGES_NR] = { 1, 16, 0, 0, 0, SC_2P(32), SC_2P(51), SC_2P(52) - 1 };

	if (p == SC_PAGES_MAX_LESS_1 || p == SC_PAGES_MAX || p == SC_PAGES_MAX_PLUS_1)
		return max_pages + (uint64_t)(p - SC_PAGES_MAX);
	return fixed[p];
}
/* create_edge flags: none, read-only (no dirty log: its bitmap would be sized by the edge) */
static inline uint32_t sc_edge_flags(uint8_t e) { return (e & 1) ? SC_MEM_READONLY : 0; }

/* A preset resolved for one request: size in bytes, i_size of the guest_memfd (0 if none). */
static inline uint64_t sc_edge_value(const struct sc_edge *edge, uint8_t sel, uint64_t size, uint64_t i_size)
{
	uint64_t v = edge->value, task_size = (1ULL << 47) - SC_PAGE;	/* TASK_SIZE_MAX in the shims */

	switch (edge->base) {
	case SC_EDGE_ABS: break;
	case SC_EDGE_LESS_SIZE: v -= size; break;
	case SC_EDGE_ISIZE: v += i_size; break;
	case SC_EDGE_ISIZE_LESS_SIZE: v = i_size - size; break;
	case SC_EDGE_TASK_SIZE: v = task_size; break;
	case SC_EDGE_TASK_SIZE_LESS_SIZE: v = task_size - size; break;
	}
	return v + (uint64_t)sc_edge_adjust[sc_edge_adjust_sel(sel)];
}

/*
 * invalidate_range: a notifier range straight from presets. a: the hva region
 * (as sc_hva); b & 3: start adjustment (0, +1, +half a page, -1), b >> 2 & 3:
 * start base (the region, 0, TASK_SIZE_MAX, 2^64 - a page); c & 15: the end.
 * mm/ issues only non-empty page-aligned ranges (or [0, ~0)): others are the
 * illegal mode's.
 */
static const int64_t sc_raw_start_adjust[4] = { 0, 1, (int64_t)SC_PAGE / 2, -1 };
static const int64_t sc_raw_lengths[10] = {
	0, 1, (int64_t)SC_PAGE - 1, (int64_t)SC_PAGE, (int64_t)SC_PAGE + 1, 2 * (int64_t)SC_PAGE,
	16 * (int64_t)SC_PAGE, 64 * (int64_t)SC_PAGE, -(int64_t)SC_PAGE, -1,
};
static inline void sc_raw_range(uint8_t a, uint8_t b, uint8_t c, uint64_t *start, uint64_t *end)
{
	static const uint64_t bases[4] = { 0, 0, (1ULL << 47) - SC_PAGE, -SC_PAGE };
	static const uint64_t ends[6] = { (1ULL << 47) - SC_PAGE, 1ULL << 47, -SC_PAGE, ~0ULL, 0, 1ULL << 63 };
	int base = (b >> 2) & 3, len = c & 15;

	*start = (base == 0 ? sc_hva(a) : bases[base]) + (uint64_t)sc_raw_start_adjust[b & 3];
	*end = len < 10 ? *start + (uint64_t)sc_raw_lengths[len] : ends[len - 10];
}
/*
 * The pfn cache (gpc_*): a bit 0 the cache (two), bit 1 split (the activate or
 * refresh runs the following operations, up to gpc_commit, where it has dropped
 * gpc->lock around GUP), bit 2 fail_gup (every GUP of the activate or refresh
 * fails, as when userspace unmapped the hva on another thread: the refresh
 * unwinds after it dropped gpc->lock); b the hva (as sc_hva) of the hva form and of
 * hva_replace; c the gpa page (as sc_gpa); d the offset into the page in
 * 64-byte steps; e the length: presets at and over the page's end.
 */
#define SC_GPC_CACHES 2
static const uint64_t sc_gpc_lens[8] = { 8, 1, 64, 512, 2048, 4032, 4096, 4097 };
static inline int sc_gpc_cache(uint8_t a) { return a & 1; }
static inline bool sc_gpc_split(uint8_t a) { return a & 2; }
static inline bool sc_gpc_fail_gup(uint8_t a) { return a & 4; }
static inline uint64_t sc_gpc_offset(uint8_t d) { return (uint64_t)(d & 63) * 64; }
static inline uint64_t sc_gpc_len(uint8_t e) { return sc_gpc_lens[e & 7]; }

/*
 * guest_memfd's own invalidation (gmem_punch_hole, gmem_close): a & 15 the fd
 * (fds the run never created are a clean -EBADF); the hole: b & 63 its first
 * page, (c & 63) + 1 pages; d & 3 the fallocate mode: PUNCH_HOLE|KEEP_SIZE (the
 * only one that punches), or one the kernel refuses before it looks at the
 * file: no KEEP_SIZE, an undefined mode bit, an offset half a page off.
 */
enum sc_hole_mode { SC_HOLE_PUNCH, SC_HOLE_NO_KEEP_SIZE, SC_HOLE_UNDEFINED_MODE, SC_HOLE_UNALIGNED, SC_HOLE_NR };
static inline int sc_gmem_op_fd(uint8_t a) { return a & 15; }
static inline uint64_t sc_hole_first(uint8_t b) { return b & 63; }
static inline uint64_t sc_hole_pages(uint8_t c) { return (uint64_t)(c & 63) + 1; }
static inline enum sc_hole_mode sc_hole_mode(uint8_t d) { return (enum sc_hole_mode)(d & 3); }

/*
 * set_attributes (KVM_SET_MEMORY_ATTRIBUTES): a bit 0 PRIVATE, bit 1 an
 * undefined attribute bit, bit 2 a non-zero flags word; c the gpa (as sc_gpa);
 * d the size, 1-48 pages; e & 7 the shape of the range, for the kernel's own
 * checks: aligned, the address a byte in, the size half a page short, empty,
 * the end wrapping past 2^64 (to `size` bytes above 0), ending at 2^64, ending a
 * page below it. Every range the kernel accepts spans at most 48 gfns (its
 * loops are per gfn).
 */
#define SC_ATTR_PRIVATE (1ULL << 3)	/* KVM_MEMORY_ATTRIBUTE_PRIVATE (uapi) */
#define SC_ATTR_UNDEFINED (1ULL << 0)	/* no kernel defines it */
enum sc_attr_shape {
	SC_ATTR_ALIGNED, SC_ATTR_ADDRESS_PLUS_1, SC_ATTR_SIZE_LESS_HALF, SC_ATTR_EMPTY, SC_ATTR_WRAP,
	SC_ATTR_TO_TOP, SC_ATTR_BELOW_TOP, SC_ATTR_SHAPES,
};
static inline uint64_t sc_attr_attributes(uint8_t a)
{
	return ((a & 1) ? SC_ATTR_PRIVATE : 0) | ((a & 2) ? SC_ATTR_UNDEFINED : 0);
}
static inline uint64_t sc_attr_flags(uint8_t a) { return (a >> 2) & 1; }
static inline void sc_attr_range(uint8_t c, uint8_t d, uint8_t e, uint64_t *address, uint64_t *size)
{
	uint64_t len = (uint64_t)(d % 48 + 1) * SC_PAGE, gpa = sc_gpa(c);

	*address = gpa;
	*size = len;
	switch (e & 7) {
	case SC_ATTR_ADDRESS_PLUS_1: *address = gpa + 1; break;
	case SC_ATTR_SIZE_LESS_HALF: *size = len - SC_PAGE / 2; break;
	case SC_ATTR_EMPTY: *size = 0; break;
	case SC_ATTR_WRAP: *size = len - gpa; break;	/* address + size == len, mod 2^64 */
	case SC_ATTR_TO_TOP: *address = -len; break;
	case SC_ATTR_BELOW_TOP: *address = -len - SC_PAGE; break;
	}
}

static inline bool sc_range_mm_issues(uint64_t start, uint64_t end)
{
	return start < end && !(start & (SC_PAGE - 1)) && (!(end & (SC_PAGE - 1)) || end == ~0ULL);
}

/*
 * yield (harness/scheduler.c): a the yield point (the order of shims/model_sync.h's
 * enum model_yield_point), b which hit of it (1-8), c how many of the
 * operations after the next one run there (1-8).
 */
#define SC_YIELD_POINTS 11
#define SC_YIELD_MAX_OPS 8
static const char *const sc_yield_point_names[SC_YIELD_POINTS] = {
	"mutex_lock", "mutex_unlock", "srcu_read_lock", "srcu_read_unlock", "synchronize_srcu",
	"mmu_lock", "mmu_unlock", "mn_invalidate_lock", "mn_invalidate_unlock", "schedule", "cond_resched",
};
static inline int sc_yield_point(uint8_t a) { return a % SC_YIELD_POINTS; }
static inline int sc_yield_nth(uint8_t b) { return (b & 7) + 1; }
static inline int sc_yield_ops(uint8_t c) { return (c & 7) + 1; }

#endif
