// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the text form: for each kind of field (scenario_decl.h), how its
 * text is read back into bytes (scenario_text.c writes it). Reading picks the smallest byte value that decodes to what the text says,
 * so text -> bytes -> text gives the text back and every committed scenario
 * keeps its bytes. A value the bytes cannot express is one "FILE:LINE: what
 * was expected" error. Kernel-free.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_decl.h"

static uint8_t *byte_ptr(struct op *o, int b)
{
	uint8_t *p[6] = { &o->kind, &o->a, &o->b, &o->c, &o->d, &o->e };

	return p[b];
}

/* ---- text -> bytes -------------------------------------------------------------------------- */

int sc_fail(struct sc_words *w, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(w->err, w->errlen, "%s:%d: ", w->file, w->line);

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < w->errlen)
		vsnprintf(w->err + n, w->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* The value of key=..., or NULL (and, unless optional, an error) when it is missing. */
const char *sc_value_of(struct sc_words *w, const char *key, bool optional)
{
	size_t k = strlen(key);

	for (int i = 1; i < w->nr_words; i++)
		if (!strncmp(w->words[i], key, k) && w->words[i][k] == '=') {
			w->used[i] = true;
			return w->words[i] + k + 1;
		}
	if (!optional)
		sc_fail(w, "%s: expected %s=...", w->words[0], key);
	return NULL;
}

static bool has_word(struct sc_words *w, const char *word)
{
	for (int i = 1; i < w->nr_words; i++)
		if (!strcmp(w->words[i], word)) {
			w->used[i] = true;
			return true;
		}
	return false;
}

int sc_number(struct sc_words *w, const char *key, const char *v, uint64_t *out)
{
	char *end;

	if (!v)
		return -1;
	errno = 0;
	*out = strtoull(v, &end, 0);
	if (!*v || *end || errno || *v == '-')
		return sc_fail(w, "%s: expected a number for %s, got '%s'", w->words[0], key, v);
	return 0;
}

static int key_number(struct sc_words *w, const char *key, uint64_t *out)
{
	return sc_number(w, key, sc_value_of(w, key, false), out);
}

/* The smallest selector byte whose decoding gives the value; -1 if none does. */
#define INVERT(fn, value) ({					\
	int __sel = -1;						\
	for (int __b = 0; __b < 256 && __sel < 0; __b++)	\
		if (fn((uint8_t)__b) == (value))		\
			__sel = __b;				\
	__sel;							\
})

static int hva_selector(struct sc_words *w, const char *key, uint64_t hva)
{
	int b = INVERT(sc_hva, hva);

	if (b < 0)
		return sc_fail(w, "%s: %s=0x%" PRIx64 " is not a harness address (expected one of the regions 0x%" PRIx64
			       ", 0x%" PRIx64 ", ... plus 0-15 pages; see scenario/scenario_layout.h)", w->words[0], key,
			       hva, sc_hva_regions[0], sc_hva_regions[1]);
	return b;
}

static int gpa_selector(struct sc_words *w, const char *key, uint64_t gpa)
{
	int b = INVERT(sc_gpa, gpa);

	if (b < 0)
		return sc_fail(w, "%s: %s=0x%" PRIx64 " is not a harness address (0x0, 0x100000, 0xfffffff0000 or "
			       "0x80000000 plus 0-15 pages)", w->words[0], key, gpa);
	return b;
}

/* slot=AS:ID, ID 0-7 or 32767, or user-2 .. user+5 (relative to KVM_USER_MEM_SLOTS); limit_only: those only */
static int slot_selector(struct sc_words *w, const char *v, bool limit_only)
{
	unsigned int as, id;
	int off;
	char tail;

	if (sscanf(v, "%u:user%d%c", &as, &off, &tail) == 2 && as <= 1 && strchr("+-", v[strlen("0:user")]) &&
	    off >= SC_LIMIT_ID_FIRST && off < SC_LIMIT_ID_FIRST + SC_NR_LIMIT_IDS)
		return (int)(as << 7 | (limit_only ? 0 : SC_LIMIT_ID_BITS) | (unsigned int)(off - SC_LIMIT_ID_FIRST));
	if (limit_only)
		return sc_fail(w, "%s: expected slot=AS:user-2 .. AS:user+5 with AS 0 or 1 (ids relative to "
			       "KVM_USER_MEM_SLOTS), got '%s'", w->words[0], v);
	if (sscanf(v, "%u:%u%c", &as, &id, &tail) != 2 || as > 1 || (id > 7 && id != SC_BAD_ID))
		return sc_fail(w, "%s: expected slot=AS:ID with AS 0 or 1 and ID 0-7, %d or user-2 .. user+5, got '%s'",
			       w->words[0], SC_BAD_ID, v);
	return (int)(as << 7 | (id == SC_BAD_ID ? 0x78 : id));
}

static int range_selectors(struct sc_words *w, const char *key, const char *v, uint8_t *a, uint8_t *b)
{
	uint64_t s, e;
	int sel;
	char tail;

	if (!strcmp(v, "all")) {
		*a = 0;
		*b = 0xff;
		return 0;
	}
	if (sscanf(v, "[%" SCNx64 ",%" SCNx64 ")%c", &s, &e, &tail) != 2 || e <= s || (e - s) % SC_PAGE ||
	    (e - s) / SC_PAGE > 48)
		return sc_fail(w, "%s: expected %s=all or %s=[START,END) with 1-48 whole pages, got '%s'", w->words[0],
			       key, key, v);
	if ((sel = hva_selector(w, key, s)) < 0)
		return -1;
	*a = (uint8_t)sel;
	*b = (uint8_t)((e - s) / SC_PAGE - 1);
	return 0;
}

/* The selector byte (preset in the low bits, adjustment in bits 6-7) whose name is the value. */
static int edge_selector(struct sc_words *w, const struct sc_field *f, const char *v)
{
	const struct sc_edge *edges = f->table;
	char name[48], list[512] = "";

	for (int adj = 0; adj < 4; adj++)
		for (int i = 0; i < f->nr; i++) {
			scenario_edge_name(&edges[i], (uint8_t)(adj << 6), name, sizeof(name));
			if (!strcmp(name, v))
				return adj << 6 | i;
		}
	for (int i = 0; i < f->nr; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "", edges[i].name);
	return sc_fail(w, "%s: %s=%s is not an edge preset (one of %s, optionally +page, -page or +1)", w->words[0],
		       f->key, v, list);
}

static int flags_selector(struct sc_words *w, const struct sc_field *f, const char *v)
{
	const struct sc_flag_name *names = f->table;
	char buf[128], *tok, *save;
	int out = 0;

	if (!strcmp(v, "0"))
		return 0;
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		int i;

		for (i = 0; i < f->nr && strcmp(names[i].name, tok); i++)
			;
		if (i == f->nr) {
			char list[128] = "";

			for (i = 0; i < f->nr; i++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "", names[i].name);
			return sc_fail(w, "%s: unknown flag '%s' in %s= (expected 0 or %s joined by |)", w->words[0], tok,
				       f->key, list);
		}
		out |= (int)names[i].bit;
	}
	return out;
}

static int name_selector(struct sc_words *w, const struct sc_field *f, const char *v)
{
	const char *const *names = f->table;
	char list[400] = "";

	for (int i = 0; i < f->nr; i++)
		if (!strcmp(names[i], v))
			return i;
	for (int i = 0; i < f->nr; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "", names[i]);
	return sc_fail(w, "%s: %s=%s is not a%s %s (one of %s)", w->words[0], f->key, v,
		       strchr("aeiou", (f->what ? f->what : "name")[0]) ? "n" : "", f->what ? f->what : "name", list);
}

static int raw_range_selectors(struct sc_words *w, const char *v, struct op *o, const struct sc_field *f)
{
	uint64_t s, e, ts, te;
	char tail;

	if (sscanf(v, "[%" SCNx64 ",%" SCNx64 ")%c", &s, &e, &tail) != 2)
		return sc_fail(w, "%s: expected hva=[START,END), got '%s'", w->words[0], v);
	for (int x = 0; x < 256; x++)
		for (int y = 0; y < 16; y++)
			for (int z = 0; z < 16; z++) {
				sc_raw_range((uint8_t)x, (uint8_t)y, (uint8_t)z, &ts, &te);
				if (ts == s && te == e) {
					*byte_ptr(o, f->byte) = (uint8_t)x;
					*byte_ptr(o, f->byte2) = (uint8_t)y;
					*byte_ptr(o, f->byte3) = (uint8_t)z;
					return 0;
				}
			}
	return sc_fail(w, "%s: hva=%s is not a raw range preset (a region, 0, TASK_SIZE_MAX or 2^64-page, adjusted by "
		       "0, +1, +0x800 or -1; then empty, 1, 0xfff, 0x1000, 0x1001, 2 or 16 or 64 pages, -0x1000, -1 long, "
		       "or ending at TASK_SIZE_MAX, 2^47, 2^64-page, ~0, 0 or 2^63)", w->words[0], v);
}

/* The smallest shape, gpa and size selectors giving a set_attributes range. */
static int attr_range_selectors(struct sc_words *w, const struct sc_field *f, struct op *o)
{
	uint64_t address, size;

	if (key_number(w, "address", &address) || key_number(w, "size", &size))
		return -1;
	for (int e = 0; e < SC_ATTR_SHAPES; e++)
		for (int c = 0; c < 256; c++)
			for (int d = 0; d < 48; d++) {
				uint64_t a, sz;

				sc_attr_range((uint8_t)c, (uint8_t)d, (uint8_t)e, &a, &sz);
				if (a == address && sz == size) {
					*byte_ptr(o, f->byte) = (uint8_t)c;
					*byte_ptr(o, f->byte2) = (uint8_t)d;
					*byte_ptr(o, f->byte3) = (uint8_t)e;
					return 0;
				}
			}
	return sc_fail(w, "%s: address=0x%" PRIx64 " size=0x%" PRIx64 " cannot be encoded (a harness gpa and 1-48 pages, "
		       "aligned or one of: the address a byte in, the size half a page short, size 0, wrapping past "
		       "2^64, ending at 2^64 or a page below)", w->words[0], address, size);
}

/* hva= or gpa= of the pfn cache: a harness address plus a multiple of 64 into its page */
static int offset_selectors(struct sc_words *w, const struct sc_field *f, const char *v, struct op *o)
{
	uint64_t x;
	int sel;

	if (sc_number(w, f->key, v, &x))
		return -1;
	if ((x & (SC_PAGE - 1)) % 64)
		return sc_fail(w, "%s: %s=0x%" PRIx64 ": the offset into the page must be a multiple of 64", w->words[0],
			       f->key, x);
	sel = f->codec == SC_OFFSET_HVA ? hva_selector(w, f->key, x & ~(SC_PAGE - 1)) :
					  gpa_selector(w, f->key, x & ~(SC_PAGE - 1));
	if (sel < 0)
		return -1;
	*byte_ptr(o, f->byte) = (uint8_t)sel;
	*byte_ptr(o, f->byte2) = (uint8_t)((x & (SC_PAGE - 1)) / 64);
	return 0;
}

/* The bits of a bit-field codec's value, or -1. */
static int field_bits(struct sc_words *w, const struct sc_field *f, const char *v)
{
	uint64_t x, lo = (uint64_t)f->offset, hi = f->mask * sc_scale(f) + (uint64_t)f->offset;

	switch (f->codec) {
	case SC_NUMBER:
	case SC_HEX:
		if (sc_number(w, f->key, v, &x))
			return -1;
		if (x < lo || x > hi || (x - lo) % sc_scale(f)) {
			bool hex = f->codec == SC_HEX;

			if (sc_scale(f) > 1)
				return sc_fail(w, hex ? "%s: %s=0x%" PRIx64 " cannot be encoded (a multiple of 0x%" PRIx64 " up to 0x%"
					       PRIx64 ")" : "%s: %s=%" PRIu64 " cannot be encoded (a multiple of %" PRIu64 " up to %"
					       PRIu64 ")", w->words[0], f->key, x, sc_scale(f), hi);
			return sc_fail(w, hex ? "%s: %s=0x%" PRIx64 " is out of range (0x%" PRIx64 "-0x%" PRIx64 ")" :
				       "%s: %s=%" PRIu64 " is out of range (%" PRIu64 "-%" PRIu64 ")", w->words[0], f->key, x, lo, hi);
		}
		return (int)((x - lo) / sc_scale(f));
	case SC_NAME:
		return name_selector(w, f, v);
	case SC_PRESET: {
		const uint64_t *values = f->table;
		char list[200] = "";

		if (sc_number(w, f->key, v, &x))
			return -1;
		for (int i = 0; i < f->nr; i++)
			if (values[i] == x)
				return i;
		for (int i = 0; i < f->nr; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%" PRIu64, i ? ", " : "", values[i]);
		return sc_fail(w, "%s: %s=%" PRIu64 " is not a preset (%s)", w->words[0], f->key, x, list);
	}
	case SC_FLAGS:
		return flags_selector(w, f, v);
	default:
		return -1;
	}
}

int sc_field_parse(struct sc_words *w, const struct sc_field *f, struct op *o, int mode)
{
	uint8_t *p = byte_ptr(o, f->byte);
	const char *v = NULL;
	uint64_t x;
	int sel;

	/* a condition on other fields' bytes reads what they parsed (the declaration lists them first) */
	if ((f->when == SC_IF_BITS || f->when == SC_IF_ILLEGAL) && !sc_field_present(f, o, mode))
		return 0;
	switch (f->codec) {
	case SC_WORD:
		if (has_word(w, f->key))
			*p |= (uint8_t)(1u << f->shift);
		return 0;
	case SC_CHOICE: {
		const char *const *words = f->table;

		for (int i = 0; i < f->nr; i++)
			if (has_word(w, words[i])) {
				*p |= (uint8_t)(i << f->shift);
				return 0;
			}
		return sc_fail(w, "%s: expected %s or %s", w->words[0], words[0], words[1]);
	}
	case SC_ATTR_RANGE:
		return attr_range_selectors(w, f, o);
	default:
		break;
	}
	v = sc_value_of(w, f->key, f->when == SC_IF_NONZERO);
	if (!v)
		return f->when == SC_IF_NONZERO ? 0 : -1;
	switch (f->codec) {
	case SC_SLOT:
	case SC_LIMIT_SLOT:
		sel = slot_selector(w, v, f->codec == SC_LIMIT_SLOT);
		break;
	case SC_HVA:
		sel = sc_number(w, f->key, v, &x) ? -1 : hva_selector(w, f->key, x);
		break;
	case SC_GPA:
		sel = sc_number(w, f->key, v, &x) ? -1 : gpa_selector(w, f->key, x);
		break;
	case SC_PAGES:
		if (!strcmp(v, "over_limit")) {
			sel = 0xf8;
			break;
		}
		if (sc_number(w, f->key, v, &x))
			return -1;
		if (x < 1 || x > 32)
			return sc_fail(w, "%s: %s=%" PRIu64 " is out of range (1-32, or over_limit)", w->words[0], f->key, x);
		sel = (int)x - 1;
		break;
	case SC_RANGE:
		return range_selectors(w, f->key, v, p, byte_ptr(o, f->byte2));
	case SC_ADDRESS:
		if (sc_number(w, f->key, v, &x))
			return -1;
		if ((x & (SC_PAGE - 1)) > 0xff)
			return sc_fail(w, "%s: %s=0x%" PRIx64 ": the offset into the page must be 0-0xff", w->words[0],
				       f->key, x);
		if ((sel = hva_selector(w, f->key, x & ~(SC_PAGE - 1))) < 0)
			return -1;
		*p = (uint8_t)sel;
		*byte_ptr(o, f->byte2) = (uint8_t)(x & 0xff);
		return 0;
	case SC_EDGE:
		sel = edge_selector(w, f, v);
		break;
	case SC_RAW_SLOT:
		if (sc_number(w, f->key, v, &x))
			return -1;
		if ((sel = INVERT(sc_raw_slot, x)) < 0)
			return sc_fail(w, "%s: %s=0x%" PRIx64 " cannot be encoded (A<<9 | A&0x7f for a byte A)", w->words[0],
				       f->key, x);
		break;
	case SC_RAW_HVA: {
		uint8_t size = sc_byte_of(o, f->byte2);	/* read before: the declaration lists the size first */

		if (sc_number(w, f->key, v, &x))
			return -1;
		if ((sel = INVERT(sc_hva, x - size)) < 0)
			return sc_fail(w, "%s: %s=0x%" PRIx64 " must be a harness address plus size/0x100", w->words[0],
				       f->key, x);
		break;
	}
	case SC_RAW_RANGE:
		return raw_range_selectors(w, v, o, f);
	case SC_GMEM_SIZE:
		if (sc_number(w, f->key, v, &x))
			return -1;
		if ((sel = INVERT(sc_gmem_size, x)) < 0)
			return sc_fail(w, "%s: %s=0x%" PRIx64 " cannot be encoded (1-64 pages, 0, or an odd number of pages "
				       "less 0x800)", w->words[0], f->key, x);
		break;
	case SC_OFFSET_HVA:
	case SC_OFFSET_GPA:
		return offset_selectors(w, f, v, o);
	case SC_INTERNAL_HVA:
		if (sc_number(w, f->key, v, &x))
			return -1;
		if ((sel = INVERT(sc_internal_hva, x)) < 0)
			return sc_fail(w, "%s: %s=0x%" PRIx64 " is not an internal slot's address (a harness region plus "
				       "0-15 pages, or 0x7f0000000001, 0x7ffffffff000, 0x8000000000000000, "
				       "0xfffffffffffff000)", w->words[0], f->key, x);
		break;
	default:	/* the bit fields */
		if ((sel = field_bits(w, f, v)) < 0)
			return -1;
		*p |= (uint8_t)(sel << f->shift);
		return 0;
	}
	if (sel < 0)
		return -1;
	*p |= (uint8_t)sel;
	return 0;
}
