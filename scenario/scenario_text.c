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
#include "scenario_decl.h"

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

/* ---- fields -> text (the codecs of scenario_decl.h) ---- */

void sc_put(struct sc_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->p, t->left, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < t->left) {
		t->p += n;
		t->left -= n;
	}
}

void scenario_edge_name(const struct sc_edge *edge, uint8_t sel, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s", edge->name, sc_edge_adjust_names[sc_edge_adjust_sel(sel)]);
}

static void put_slot(struct sc_text *t, uint8_t a, bool limit_only)
{
	/* ids near KVM_USER_MEM_SLOTS relative to it ("user-1", "user+0"): the text is kernel-free */
	if (limit_only || sc_id_near_limit(a))
		sc_put(t, " slot=%d:user%+d", sc_as(a), sc_limit_offset(a));
	else
		sc_put(t, " slot=%d:%u", sc_as(a), sc_id(a, 0));
}

void sc_field_text(struct sc_text *t, const struct sc_field *f, const struct op *o, int mode)
{
	uint8_t x = sc_byte_of(o, f->byte), y = f->byte2 ? sc_byte_of(o, f->byte2) : 0;
	uint8_t z = f->byte3 ? sc_byte_of(o, f->byte3) : 0;
	uint64_t s, e;

	if (!sc_field_present(f, o, mode))
		return;
	switch (f->codec) {
	case SC_SLOT:
	case SC_LIMIT_SLOT:
		put_slot(t, x, f->codec == SC_LIMIT_SLOT);
		break;
	case SC_HVA:
		sc_put(t, " %s=0x%" PRIx64, f->key, sc_hva(x));
		break;
	case SC_GPA:
		sc_put(t, " %s=0x%" PRIx64, f->key, sc_gpa(x));
		break;
	case SC_PAGES:
		if (sc_pages_over_limit(x))
			sc_put(t, " %s=over_limit", f->key);
		else
			sc_put(t, " %s=%" PRIu64, f->key, sc_pages(x));
		break;
	case SC_NUMBER:
		sc_put(t, " %s=%" PRIu64, f->key, sc_bits(f, o) * sc_scale(f) + (uint64_t)f->offset);
		break;
	case SC_HEX:
		sc_put(t, " %s=0x%" PRIx64, f->key, sc_bits(f, o) * sc_scale(f) + (uint64_t)f->offset);
		break;
	case SC_WORD:
		if (sc_bits(f, o))
			sc_put(t, " %s", f->key);
		break;
	case SC_CHOICE:
		sc_put(t, " %s", ((const char *const *)f->table)[sc_bits(f, o) % f->nr]);
		break;
	case SC_NAME:
		sc_put(t, " %s=%s", f->key, ((const char *const *)f->table)[sc_bits(f, o) % f->nr]);
		break;
	case SC_PRESET:
		sc_put(t, " %s=%" PRIu64, f->key, ((const uint64_t *)f->table)[sc_bits(f, o) % f->nr]);
		break;
	case SC_FLAGS: {
		const struct sc_flag_name *names = f->table;
		const char *sep = "";
		uint32_t all = 0;

		for (int i = 0; i < f->nr; i++)
			all |= names[i].bit;
		sc_put(t, " %s=", f->key);
		if (!(x & all))
			sc_put(t, "0");
		for (int i = 0; i < f->nr; i++)
			if (x & names[i].bit) {
				sc_put(t, "%s%s", sep, names[i].name);
				sep = "|";
			}
		break;
	}
	case SC_RANGE:
		if (y == 0xff) {
			sc_put(t, " %s=all", f->key);
			break;
		}
		sc_range(x, y, &s, &e);
		sc_put(t, " %s=[0x%" PRIx64 ",0x%" PRIx64 ")", f->key, s, e);
		break;
	case SC_ADDRESS:
		sc_put(t, " %s=0x%" PRIx64, f->key, sc_address(x, y));
		break;
	case SC_EDGE: {
		char name[48];

		scenario_edge_name(&((const struct sc_edge *)f->table)[x % f->nr], x, name, sizeof(name));
		sc_put(t, " %s=%s", f->key, name);
		break;
	}
	case SC_RAW_SLOT:
		sc_put(t, " %s=0x%x", f->key, sc_raw_slot(x));
		break;
	case SC_RAW_HVA:
		sc_put(t, " %s=0x%" PRIx64, f->key, sc_raw_hva(x, y));
		break;
	case SC_RAW_RANGE:
		sc_raw_range(x, y, z, &s, &e);
		sc_put(t, " %s=[0x%" PRIx64 ",0x%" PRIx64 ")", f->key, s, e);
		break;
	case SC_GMEM_SIZE:
		sc_put(t, " %s=0x%" PRIx64, f->key, sc_gmem_size(x));
		break;
	case SC_OFFSET_HVA:
		sc_put(t, " %s=0x%" PRIx64, f->key, sc_hva(x) + sc_gpc_offset(y));
		break;
	case SC_OFFSET_GPA:
		sc_put(t, " %s=0x%" PRIx64, f->key, sc_gpa(x) + sc_gpc_offset(y));
		break;
	case SC_INTERNAL_HVA:
		sc_put(t, " %s=0x%" PRIx64, f->key, sc_internal_hva(x));
		break;
	case SC_ATTR_RANGE:
		sc_attr_range(x, y, z, &s, &e);
		sc_put(t, " address=0x%" PRIx64 " size=0x%" PRIx64, s, e);
		break;
	}
}

/* ---- bytes -> text -------------------------------------------------------------------- */

const char *const scenario_mode_names[3] = { "legal", "illegal", "change_pte_unwrapped" };

enum scenario_mode scenario_mode(const struct scenario *s)
{
	return (enum scenario_mode)sc_mode(s->header);
}

const char *scenario_op_name(int kind)
{
	return kind >= 0 && kind < OP_NR ? sc_ops[kind].name : "?";
}

/* The canonical text of one operation: its name, then each declared field (scenario_ops.def). */
static void op_text(const struct scenario *s, const struct op *op, char *buf, size_t n)
{
	struct sc_text t = { buf, n };

	buf[0] = 0;
	sc_put(&t, "%s", sc_ops[op->kind].name);
	for (const struct sc_field *f = sc_ops[op->kind].fields; f->key; f++)
		sc_field_text(&t, f, op, sc_mode(s->header));
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

