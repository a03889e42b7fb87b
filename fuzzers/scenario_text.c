// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios as bytes (what the engines mutate) and as text (what people read,
 * write and review). One operation per line, names instead of numbers:
 *
 *   vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal
 *   gmem_create size=0x10000 flags=MMAP
 *   create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=GUEST_MEMFD guest_memfd=0 offset_pages=0
 *   invalidate_start hva=[0x100000000,0x100020000)
 *
 * '#' starts a comment; a leading operation index (as in oracle reports) is
 * ignored; a line ending in '\' goes on on the next (check-patch's summary
 * wraps long lines so). The canonical text of a scenario is what scenario_print_text()
 * writes: text -> bytes -> text gives it back, comments aside. Kernel-free,
 * so the converter builds with any compiler and no kernel tree.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_layout.h"
#include "scenario_names.h"

/* ---- bytes ------------------------------------------------------------------------ */

void scenario_decode(const uint8_t *data, size_t size, struct scenario *s)
{
	size_t pos = 0;

	memset(s, 0, sizeof(*s));
	for (int i = 0; i < SCENARIO_HEADER_BYTES; i++)
		s->header[i] = pos < size ? data[pos++] : 0;
	while (pos < size && s->nr_ops < SCENARIO_MAX_OPS) {
		uint8_t b[OP_BYTES] = { 0 };

		for (int i = 0; i < OP_BYTES && pos < size; i++)
			b[i] = data[pos++];
		s->ops[s->nr_ops++] = (struct op){ b[0] % OP_NR, b[1], b[2], b[3], b[4], b[5] };
	}
}

size_t scenario_encode(const struct scenario *s, uint8_t *buf, size_t cap)
{
	size_t n = 0;

	for (int i = 0; i < SCENARIO_HEADER_BYTES && n < cap; i++)
		buf[n++] = s->header[i];
	for (int i = 0; i < s->nr_ops && n + OP_BYTES <= cap; i++) {
		const struct op *o = &s->ops[i];
		uint8_t b[OP_BYTES] = { o->kind, o->a, o->b, o->c, o->d, o->e };

		memcpy(buf + n, b, OP_BYTES);
		n += OP_BYTES;
	}
	return n;
}

/* ---- bytes -> text -------------------------------------------------------------------- */

const char *const scenario_op_names[OP_NR] = {
	"create", "delete", "move", "set_flags", "raw_request", "gmem_create",
	"invalidate_start", "invalidate_end", "clear_flush_young", "clear_young",
	"test_young", "change_pte", "fault_resolve", "fault_commit", "inject", "release",
	"gmem_bind", "create_edge", "invalidate_range",
	"gpc_activate", "gpc_activate_hva", "gpc_refresh", "gpc_commit", "gpc_check", "gpc_use", "gpc_deactivate",
	"hva_replace", "yield", "gmem_punch_hole", "gmem_close", "internal_memslot", "set_attributes",
};
const char *const scenario_hole_mode_names[SC_HOLE_NR] = { "punch", "no_keep_size", "undefined", "unaligned" };
const char *const scenario_mode_names[3] = { "legal", "illegal", "change_pte_unwrapped" };

const struct scenario_flag_name scenario_mem_flag_names[] = {
	{ SC_MEM_LOG_DIRTY_PAGES, "LOG_DIRTY_PAGES" }, { SC_MEM_READONLY, "READONLY" },
	{ SC_MEM_GUEST_MEMFD, "GUEST_MEMFD" }, { SC_MEM_UNDEFINED, "UNDEFINED" }, { 0, NULL },
};
const struct scenario_flag_name scenario_gmem_flag_names[] = {
	{ SC_GMEM_MMAP, "MMAP" }, { SC_GMEM_INIT_SHARED, "INIT_SHARED" }, { SC_GMEM_UNDEFINED, "UNDEFINED" }, { 0, NULL },
};
const struct scenario_flag_name scenario_attr_names[] = {
	{ SC_ATTR_PRIVATE, "PRIVATE" }, { SC_ATTR_UNDEFINED, "UNDEFINED" }, { 0, NULL },
};

struct out { char *p; size_t left; };

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->p, o->left, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < o->left) {
		o->p += n;
		o->left -= n;
	}
}

static void put_flags(struct out *o, const char *key, uint32_t f, const struct scenario_flag_name *names)
{
	const char *sep = "";

	put(o, " %s=", key);
	if (!f)
		put(o, "0");
	for (int i = 0; names[i].name; i++)
		if (f & names[i].bit) {
			put(o, "%s%s", sep, names[i].name);
			sep = "|";
		}
}

/* ids near KVM_USER_MEM_SLOTS relative to it ("user-1", "user+0"): the text is kernel-free */
static void put_limit_slot(struct out *o, uint8_t a) { put(o, " slot=%d:user%+d", sc_as(a), sc_limit_offset(a)); }
static void put_slot(struct out *o, uint8_t a)
{
	if (sc_id_near_limit(a))
		put_limit_slot(o, a);
	else
		put(o, " slot=%d:%u", sc_as(a), sc_id(a, 0));
}

static void put_range(struct out *o, const char *key, uint8_t a, uint8_t b)
{
	uint64_t s, e;

	if (b == 0xff) {
		put(o, " %s=all", key);
		return;
	}
	sc_range(a, b, &s, &e);
	put(o, " %s=[0x%" PRIx64 ",0x%" PRIx64 ")", key, s, e);
}

/* an edge preset and its adjustment: "2^63-size+page" */
void scenario_edge_name(const struct sc_edge *edge, uint8_t sel, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s", edge->name, sc_edge_adjust_names[sc_edge_adjust_sel(sel)]);
}

static void put_edge(struct out *o, const char *key, const struct sc_edge *edge, uint8_t sel)
{
	char name[48];

	scenario_edge_name(edge, sel, name, sizeof(name));
	put(o, " %s=%s", key, name);
}

static void put_raw_range(struct out *o, uint8_t a, uint8_t b, uint8_t c)
{
	uint64_t s, e;

	sc_raw_range(a, b, c, &s, &e);
	put(o, " hva=[0x%" PRIx64 ",0x%" PRIx64 ")", s, e);
}

/* The canonical text of one operation. */
static void op_text(const struct scenario *s, const struct op *op, char *buf, size_t n)
{
	struct out o = { buf, n };

	buf[0] = 0;
	put(&o, "%s", scenario_op_names[op->kind]);
	switch (op->kind) {
	case OP_CREATE:
		put_slot(&o, op->a);
		put(&o, " hva=0x%" PRIx64 " gpa=0x%" PRIx64, sc_hva(op->b), sc_gpa(op->c));
		if (sc_pages_over_limit(op->d))
			put(&o, " pages=over_limit");
		else
			put(&o, " pages=%" PRIu64, sc_pages(op->d));
		put_flags(&o, "flags", sc_flags(op->e), scenario_mem_flag_names);
		if (sc_flags(op->e) & SC_MEM_GUEST_MEMFD)
			put(&o, " guest_memfd=%d offset_pages=%" PRIu64, sc_gmem_fd(op->e), sc_gmem_offset_pages(op->e));
		break;
	case OP_DELETE:
		put_slot(&o, op->a);
		break;
	case OP_MOVE:
		put_slot(&o, op->a);
		put(&o, " gpa=0x%" PRIx64, sc_gpa(op->c));
		break;
	case OP_SET_FLAGS:
		put_slot(&o, op->a);
		put_flags(&o, "flags", sc_flags(op->e), scenario_mem_flag_names);
		break;
	case OP_RAW_REQUEST:
		put(&o, " slot=0x%x flags=0x%x gpa=0x%" PRIx64 " size=0x%" PRIx64 " hva=0x%" PRIx64, sc_raw_slot(op->a),
		    op->e, sc_raw_gpa(op->c), sc_raw_size(op->d), sc_raw_hva(op->b, op->d));
		break;
	case OP_GMEM_CREATE:
		put(&o, " size=0x%" PRIx64, sc_gmem_size(op->a));
		put_flags(&o, "flags", op->b & 7, scenario_gmem_flag_names);
		break;
	case OP_INVALIDATE_START:
		put_range(&o, "hva", op->a, op->b);
		if (op->c & 1)
			put(&o, " non_blockable");
		break;
	case OP_INVALIDATE_END:
		put(&o, " which=%d", op->a);
		if (sc_mode(s->header) == MODE_ILLEGAL)	/* the range an unpaired end passes */
			put_range(&o, "unpaired", op->b, op->c);
		break;
	case OP_CLEAR_FLUSH_YOUNG:
	case OP_CLEAR_YOUNG:
		put_range(&o, "hva", op->a, op->b);
		break;
	case OP_TEST_YOUNG:
	case OP_CHANGE_PTE:
		put(&o, " hva=0x%" PRIx64, sc_address(op->a, op->b));
		break;
	case OP_FAULT_RESOLVE:
		put_slot(&o, op->a);
		put(&o, " page=%d", op->b);
		break;
	case OP_FAULT_COMMIT:
		put(&o, " which=%d", op->a);
		break;
	case OP_INJECT:
		if (sc_inject_arch(op->a))
			put(&o, " arch_prepare_failure at=%d errno=%s", sc_inject_at(op->b),
			    sc_inject_efault(op->c) ? "EFAULT" : "ENOMEM");
		else
			put(&o, " allocation_failure at=%d", sc_inject_at(op->b));
		break;
	case OP_RELEASE:
		break;
	case OP_GMEM_BIND:
		put_slot(&o, op->a);
		put(&o, " hva=0x%" PRIx64 " gpa=0x%" PRIx64 " pages=%" PRIu64 " guest_memfd=%d", sc_hva(op->b),
		    sc_gpa(op->c), sc_pages(op->d), sc_gmem_bind_fd(op->e));
		put_edge(&o, "offset", sc_gmem_offset_edge(op->e), op->e);
		break;
	case OP_CREATE_EDGE:
		put_slot(&o, op->a);
		put_edge(&o, "hva", &sc_hva_edges[op->b & 7], op->b);
		put_edge(&o, "gpa", &sc_gpa_edges[op->c & 7], op->c);
		put(&o, " pages=%s", sc_edge_pages_names[sc_edge_pages(op->d)]);
		put_flags(&o, "flags", sc_edge_flags(op->e), scenario_mem_flag_names);
		break;
	case OP_INVALIDATE_RANGE:
		put_raw_range(&o, op->a, op->b, op->c);
		if (op->d & 1)
			put(&o, " non_blockable");
		break;
	OP_GPC_CACHE_CASES:
		put(&o, " cache=%d", sc_gpc_cache(op->a));
		if (op->kind == OP_GPC_ACTIVATE)
			put(&o, " gpa=0x%" PRIx64, sc_gpa(op->c) + sc_gpc_offset(op->d));
		if (op->kind == OP_GPC_ACTIVATE_HVA)
			put(&o, " hva=0x%" PRIx64, sc_hva(op->b) + sc_gpc_offset(op->d));
		if (op->kind != OP_GPC_DEACTIVATE)
			put(&o, " len=%" PRIu64, sc_gpc_len(op->e));
		if (op->kind <= OP_GPC_REFRESH && sc_gpc_split(op->a))
			put(&o, " split");
		if (op->kind <= OP_GPC_REFRESH && sc_gpc_fail_gup(op->a))
			put(&o, " fail_gup");
		break;
	case OP_GPC_COMMIT:
		break;
	case OP_HVA_REPLACE:
		put(&o, " hva=0x%" PRIx64, sc_hva(op->b));
		break;
	case OP_YIELD:
		put(&o, " at=%s nth=%d ops=%d", sc_yield_point_names[sc_yield_point(op->a)], sc_yield_nth(op->b),
		    sc_yield_ops(op->c));
		break;
	case OP_GMEM_PUNCH_HOLE:
		put(&o, " guest_memfd=%d offset_pages=%" PRIu64 " pages=%" PRIu64 " mode=%s", sc_gmem_op_fd(op->a),
		    sc_hole_first(op->b), sc_hole_pages(op->c), scenario_hole_mode_names[sc_hole_mode(op->d)]);
		break;
	case OP_GMEM_CLOSE:
		put(&o, " guest_memfd=%d", sc_gmem_op_fd(op->a));
		break;
	case OP_INTERNAL_MEMSLOT:
		put_limit_slot(&o, op->a);
		put(&o, " hva=0x%" PRIx64 " gpa=0x%" PRIx64 " pages=%" PRIu64, sc_internal_hva(op->b), sc_gpa(op->c),
		    sc_internal_pages(op->d));
		put_flags(&o, "flags", sc_flags(op->e), scenario_mem_flag_names);
		break;
	case OP_SET_ATTRIBUTES: {
		uint64_t address, size;

		sc_attr_range(op->c, op->d, op->e, &address, &size);
		put(&o, " address=0x%" PRIx64 " size=0x%" PRIx64, address, size);
		put_flags(&o, "attributes", (uint32_t)sc_attr_attributes(op->a), scenario_attr_names);
		if (sc_attr_flags(op->a))
			put(&o, " flags=0x%" PRIx64, sc_attr_flags(op->a));
		break;
	}
	}
}

static void header_text(const struct scenario *s, char *buf, size_t n)
{
	snprintf(buf, n, "vm address_spaces=%d readonly_mem=%d mmu_invalidate_seq=0x%" PRIx64 " generation=0x%" PRIx64
		 " mode=%s", sc_nr_as(s->header), sc_readonly_mem(s->header), sc_invalidate_seq(s->header),
		 sc_generation(s->header), scenario_mode_names[sc_mode(s->header)]);
}

void scenario_print_text(FILE *f, const struct scenario *s)
{
	char line[256];

	header_text(s, line, sizeof(line));
	fprintf(f, "%s\n", line);
	for (int i = 0; i < s->nr_ops; i++) {
		op_text(s, &s->ops[i], line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
}

/* The report form: indices and the bytes of each operation as comments; still parses. */
void scenario_print(FILE *f, const struct scenario *s, int upto)
{
	char line[256];

	header_text(s, line, sizeof(line));
	fprintf(f, "%-84s # %02x %02x\n", line, s->header[0], s->header[1]);
	for (int i = 0; i < s->nr_ops && i <= upto; i++) {
		const struct op *o = &s->ops[i];

		op_text(s, o, line, sizeof(line));
		fprintf(f, "%3d %-80s # %02x %02x %02x %02x %02x %02x\n", i, line, o->kind, o->a, o->b, o->c, o->d, o->e);
	}
}

