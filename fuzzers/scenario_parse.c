// SPDX-License-Identifier: GPL-2.0
/*
 * Text scenarios -> bytes (scenario_text.c writes the text). Each line's words
 * are matched against the canonical text's keys; a value the byte layout cannot
 * express, an unknown word or a missing key is one "FILE:LINE: what was
 * expected" error. Kernel-free, like the rest of the text form.
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

/* ---- text -> bytes ------------------------------------------------------------------------ */

#define MAX_WORDS 12

struct line_ctx {
	const char *file;
	int line;
	char *err;
	size_t errlen;
	char *words[MAX_WORDS];	/* words[0] is the operation */
	int nr_words;
	bool used[MAX_WORDS];
};

static int fail(struct line_ctx *c, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(c->err, c->errlen, "%s:%d: ", c->file, c->line);

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < c->errlen)
		vsnprintf(c->err + n, c->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* The value of key=..., or NULL (and an error) when it is missing. */
static const char *value_of(struct line_ctx *c, const char *key, bool optional)
{
	size_t k = strlen(key);

	for (int i = 1; i < c->nr_words; i++)
		if (!strncmp(c->words[i], key, k) && c->words[i][k] == '=') {
			c->used[i] = true;
			return c->words[i] + k + 1;
		}
	if (!optional)
		fail(c, "%s: expected %s=...", c->words[0], key);
	return NULL;
}

static bool has_word(struct line_ctx *c, const char *word)
{
	for (int i = 1; i < c->nr_words; i++)
		if (!strcmp(c->words[i], word)) {
			c->used[i] = true;
			return true;
		}
	return false;
}

static int number(struct line_ctx *c, const char *key, const char *v, uint64_t *out)
{
	char *end;

	if (!v)
		return -1;
	errno = 0;
	*out = strtoull(v, &end, 0);
	if (!*v || *end || errno || *v == '-')
		return fail(c, "%s: expected a number for %s, got '%s'", c->words[0], key, v);
	return 0;
}

static int key_number(struct line_ctx *c, const char *key, uint64_t *out)
{
	return number(c, key, value_of(c, key, false), out);
}

static int flags_value(struct line_ctx *c, const char *key, const struct scenario_flag_name *names, uint32_t *out)
{
	const char *v = value_of(c, key, false);
	char buf[128], *tok, *save;

	if (!v)
		return -1;
	*out = 0;
	if (!strcmp(v, "0"))
		return 0;
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		int i;

		for (i = 0; names[i].name && strcmp(names[i].name, tok); i++)
			;
		if (!names[i].name) {
			char list[128] = "";

			for (i = 0; names[i].name; i++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "", names[i].name);
			return fail(c, "%s: unknown flag '%s' in %s= (expected 0 or %s joined by |)", c->words[0], tok, key, list);
		}
		*out |= names[i].bit;
	}
	return 0;
}

/* The smallest selector byte whose decoding gives the value; -1 if none does. */
#define INVERT(fn, value) ({					\
	int __sel = -1;						\
	for (int __b = 0; __b < 256 && __sel < 0; __b++)	\
		if (fn((uint8_t)__b) == (value))		\
			__sel = __b;				\
	__sel;							\
})

static int hva_selector(struct line_ctx *c, const char *key, uint64_t hva)
{
	int b = INVERT(sc_hva, hva);

	if (b < 0)
		return fail(c, "%s: %s=0x%" PRIx64 " is not a harness address (expected one of the regions 0x%" PRIx64
			    ", 0x%" PRIx64 ", ... plus 0-15 pages; see fuzzers/scenario_layout.h)", c->words[0], key,
			    hva, sc_hva_regions[0], sc_hva_regions[1]);
	return b;
}

/* slot=AS:ID, ID 0-7 or 32767, or user-2 .. user+5 (relative to KVM_USER_MEM_SLOTS); only_near: those only */
static int slot_selector_of(struct line_ctx *c, uint8_t *a, bool only_near)
{
	const char *v = value_of(c, "slot", false);
	unsigned int as, id;
	int off;
	char tail;

	if (!v)
		return -1;
	if (sscanf(v, "%u:user%d%c", &as, &off, &tail) == 2 && as <= 1 && strchr("+-", v[strlen("0:user")]) &&
	    off >= SC_LIMIT_ID_FIRST && off < SC_LIMIT_ID_FIRST + SC_NR_LIMIT_IDS) {
		*a = (uint8_t)(as << 7 | (only_near ? 0 : SC_LIMIT_ID_BITS) | (off - SC_LIMIT_ID_FIRST));
		return 0;
	}
	if (only_near)
		return fail(c, "%s: expected slot=AS:user-2 .. AS:user+5 with AS 0 or 1 (ids relative to "
			    "KVM_USER_MEM_SLOTS), got '%s'", c->words[0], v);
	if (sscanf(v, "%u:%u%c", &as, &id, &tail) != 2 || as > 1 || (id > 7 && id != SC_BAD_ID))
		return fail(c, "%s: expected slot=AS:ID with AS 0 or 1 and ID 0-7, %d or user-2 .. user+5, got '%s'",
			    c->words[0], SC_BAD_ID, v);
	*a = (uint8_t)(as << 7 | (id == SC_BAD_ID ? 0x78 : id));
	return 0;
}
static int slot_selector(struct line_ctx *c, uint8_t *a) { return slot_selector_of(c, a, false); }

static int range_selectors(struct line_ctx *c, const char *key, uint8_t *a, uint8_t *b)
{
	const char *v = value_of(c, key, false);
	uint64_t s, e;
	int sel;
	char tail;

	if (!v)
		return -1;
	if (!strcmp(v, "all")) {
		*a = 0;
		*b = 0xff;
		return 0;
	}
	if (sscanf(v, "[%" SCNx64 ",%" SCNx64 ")%c", &s, &e, &tail) != 2 || e <= s || (e - s) % SC_PAGE ||
	    (e - s) / SC_PAGE > 48)
		return fail(c, "%s: expected %s=all or %s=[START,END) with 1-48 whole pages, got '%s'", c->words[0],
			    key, key, v);
	sel = hva_selector(c, key, s);
	if (sel < 0)
		return -1;
	*a = (uint8_t)sel;
	*b = (uint8_t)((e - s) / SC_PAGE - 1);
	return 0;
}

static int address_selectors(struct line_ctx *c, uint8_t *a, uint8_t *b)
{
	uint64_t hva;
	int sel;

	if (key_number(c, "hva", &hva))
		return -1;
	if ((hva & (SC_PAGE - 1)) > 0xff)
		return fail(c, "%s: hva=0x%" PRIx64 ": the offset into the page must be 0-0xff", c->words[0], hva);
	sel = hva_selector(c, "hva", hva & ~(SC_PAGE - 1));
	if (sel < 0)
		return -1;
	*a = (uint8_t)sel;
	*b = (uint8_t)(hva & 0xff);
	return 0;
}

static int small(struct line_ctx *c, const char *key, uint64_t lo, uint64_t hi, uint64_t *out)
{
	if (key_number(c, key, out))
		return -1;
	if (*out < lo || *out > hi)
		return fail(c, "%s: %s=%" PRIu64 " is out of range (%" PRIu64 "-%" PRIu64 ")", c->words[0], key, *out, lo, hi);
	return 0;
}

/* The selector byte (preset in the low bits, adjustment in bits 6-7) whose name is key's value. */
static int edge_selector(struct line_ctx *c, const char *key, const struct sc_edge *edges, int nr, uint8_t *out)
{
	const char *v = value_of(c, key, false);
	char name[48], list[512] = "";

	if (!v)
		return -1;
	for (int adj = 0; adj < 4; adj++)
		for (int i = 0; i < nr; i++) {
			scenario_edge_name(&edges[i], (uint8_t)(adj << 6), name, sizeof(name));
			if (!strcmp(name, v)) {
				*out = (uint8_t)(adj << 6 | i);
				return 0;
			}
		}
	for (int i = 0; i < nr; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "", edges[i].name);
	return fail(c, "%s: %s=%s is not an edge preset (one of %s, optionally +page, -page or +1)", c->words[0],
		    key, v, list);
}

static int raw_range_selectors(struct line_ctx *c, uint8_t *a, uint8_t *b, uint8_t *cc)
{
	const char *v = value_of(c, "hva", false);
	uint64_t s, e, ts, te;
	char tail;

	if (!v)
		return -1;
	if (sscanf(v, "[%" SCNx64 ",%" SCNx64 ")%c", &s, &e, &tail) != 2)
		return fail(c, "%s: expected hva=[START,END), got '%s'", c->words[0], v);
	for (int x = 0; x < 256; x++)
		for (int y = 0; y < 16; y++)
			for (int z = 0; z < 16; z++) {
				sc_raw_range((uint8_t)x, (uint8_t)y, (uint8_t)z, &ts, &te);
				if (ts == s && te == e) {
					*a = (uint8_t)x, *b = (uint8_t)y, *cc = (uint8_t)z;
					return 0;
				}
			}
	return fail(c, "%s: hva=%s is not a raw range preset (a region, 0, TASK_SIZE_MAX or 2^64-page, adjusted by "
		    "0, +1, +0x800 or -1; then empty, 1, 0xfff, 0x1000, 0x1001, 2 or 16 or 64 pages, -0x1000, -1 long, "
		    "or ending at TASK_SIZE_MAX, 2^47, 2^64-page, ~0, 0 or 2^63)", c->words[0], v);
}

/* slot=, hva= and gpa= of a memslot created from the tables: a, b and c */
static int slot_hva_gpa_selectors(struct line_ctx *c, struct op *op)
{
	uint64_t v;
	int sel;

	if (slot_selector(c, &op->a) || key_number(c, "hva", &v) || (sel = hva_selector(c, "hva", v)) < 0)
		return -1;
	op->b = (uint8_t)sel;
	if (key_number(c, "gpa", &v))
		return -1;
	if ((sel = INVERT(sc_gpa, v)) < 0)
		return fail(c, "%s: gpa=0x%" PRIx64 " is not a harness address (0x0, 0x100000, 0xfffffff0000 "
			    "or 0x80000000 plus 0-15 pages)", c->words[0], v);
	op->c = (uint8_t)sel;
	return 0;
}

/* The smallest shape, gpa and size selectors giving a set_attributes range; -1 if none does. */
static int attr_range_selectors(uint64_t address, uint64_t size, struct op *op)
{
	for (int e = 0; e < SC_ATTR_SHAPES; e++)
		for (int cc = 0; cc < 256; cc++)
			for (int d = 0; d < 48; d++) {
				uint64_t a, sz;

				sc_attr_range((uint8_t)cc, (uint8_t)d, (uint8_t)e, &a, &sz);
				if (a == address && sz == size) {
					op->c = (uint8_t)cc;
					op->d = (uint8_t)d;
					op->e = (uint8_t)e;
					return 0;
				}
			}
	return -1;
}

static int parse_op(struct line_ctx *c, const struct scenario *s, struct op *op)
{
	uint64_t v, w;
	uint32_t f;
	int kind, sel;

	for (kind = 0; kind < OP_NR && strcmp(c->words[0], scenario_op_names[kind]); kind++)
		;
	if (kind == OP_NR) {
		char names[600] = "";

		for (int k = 0; k < OP_NR; k++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", k ? ", " : "",
				 scenario_op_names[k]);
		return fail(c, "unknown operation '%s' (expected vm, %s)", c->words[0], names);
	}
	memset(op, 0, sizeof(*op));
	op->kind = (uint8_t)kind;
	switch (kind) {
	case OP_CREATE: {
		const char *pages = value_of(c, "pages", false);

		if (slot_hva_gpa_selectors(c, op))
			return -1;
		if (!pages)
			return -1;
		if (!strcmp(pages, "over_limit")) {
			op->d = 0xf8;
		} else {
			if (number(c, "pages", pages, &v))
				return -1;
			if (v < 1 || v > 32)
				return fail(c, "create: pages=%" PRIu64 " is out of range (1-32, or over_limit)", v);
			op->d = (uint8_t)(v - 1);
		}
		if (flags_value(c, "flags", scenario_mem_flag_names, &f))
			return -1;
		op->e = (uint8_t)((f & 7) | (f & SC_MEM_UNDEFINED ? 8 : 0));
		if (f & SC_MEM_GUEST_MEMFD) {
			if (small(c, "guest_memfd", 0, 3, &v) || key_number(c, "offset_pages", &w))
				return -1;
			if (w % 4 || w > 12)
				return fail(c, "create: offset_pages=%" PRIu64 " is out of range (0, 4, 8 or 12)", w);
			op->e |= (uint8_t)(v << 4 | (w / 4) << 6);
		}
		break;
	}
	case OP_DELETE:
		if (slot_selector(c, &op->a))
			return -1;
		break;
	case OP_MOVE:
		if (slot_selector(c, &op->a) || key_number(c, "gpa", &v))
			return -1;
		if ((sel = INVERT(sc_gpa, v)) < 0)
			return fail(c, "move: gpa=0x%" PRIx64 " is not a harness address (0x0, 0x100000, 0xfffffff0000 "
				    "or 0x80000000 plus 0-15 pages)", v);
		op->c = (uint8_t)sel;
		break;
	case OP_SET_FLAGS:
		if (slot_selector(c, &op->a) || flags_value(c, "flags", scenario_mem_flag_names, &f))
			return -1;
		op->e = (uint8_t)((f & 7) | (f & SC_MEM_UNDEFINED ? 8 : 0));
		break;
	case OP_RAW_REQUEST: {
		uint64_t slot, flags, gpa, size, hva;

		if (key_number(c, "slot", &slot) || key_number(c, "flags", &flags) || key_number(c, "gpa", &gpa) ||
		    key_number(c, "size", &size) || key_number(c, "hva", &hva))
			return -1;
		sel = INVERT(sc_raw_slot, slot);
		if (sel < 0)
			return fail(c, "raw_request: slot=0x%" PRIx64 " cannot be encoded (A<<9 | A&0x7f for a byte A)", slot);
		op->a = (uint8_t)sel;
		if (flags > 0xff || gpa % 0x100 || gpa > 0xff00 || size % 0x100 || size > 0xff00)
			return fail(c, "raw_request: flags must be 0-0xff, gpa and size multiples of 0x100 up to 0xff00");
		op->e = (uint8_t)flags;
		op->c = (uint8_t)(gpa >> 8);
		op->d = (uint8_t)(size >> 8);
		sel = INVERT(sc_hva, hva - op->d);
		if (sel < 0)
			return fail(c, "raw_request: hva=0x%" PRIx64 " must be a harness address plus size/0x100", hva);
		op->b = (uint8_t)sel;
		break;
	}
	case OP_GMEM_CREATE:
		if (key_number(c, "size", &v) || flags_value(c, "flags", scenario_gmem_flag_names, &f))
			return -1;
		if ((sel = INVERT(sc_gmem_size, v)) < 0)
			return fail(c, "gmem_create: size=0x%" PRIx64 " cannot be encoded (1-64 pages, 0, or an odd number "
				    "of pages less 0x800)", v);
		op->a = (uint8_t)sel;
		op->b = (uint8_t)f;
		break;
	case OP_INVALIDATE_START:
		if (range_selectors(c, "hva", &op->a, &op->b))
			return -1;
		op->c = has_word(c, "non_blockable");
		break;
	case OP_INVALIDATE_END:
		if (small(c, "which", 0, 255, &v))
			return -1;
		op->a = (uint8_t)v;
		if (sc_mode(s->header) == MODE_ILLEGAL && range_selectors(c, "unpaired", &op->b, &op->c))
			return -1;
		break;
	case OP_CLEAR_FLUSH_YOUNG:
	case OP_CLEAR_YOUNG:
		if (range_selectors(c, "hva", &op->a, &op->b))
			return -1;
		break;
	case OP_TEST_YOUNG:
	case OP_CHANGE_PTE:
		if (address_selectors(c, &op->a, &op->b))
			return -1;
		break;
	case OP_FAULT_RESOLVE:
		if (slot_selector(c, &op->a) || small(c, "page", 0, 255, &v))
			return -1;
		op->b = (uint8_t)v;
		break;
	case OP_FAULT_COMMIT:
		if (small(c, "which", 0, 255, &v))
			return -1;
		op->a = (uint8_t)v;
		break;
	case OP_INJECT: {
		bool arch = has_word(c, "arch_prepare_failure");

		if (!arch && !has_word(c, "allocation_failure"))
			return fail(c, "inject: expected allocation_failure or arch_prepare_failure");
		if (small(c, "at", 1, 8, &v))
			return -1;
		op->a = arch;
		op->b = (uint8_t)(v - 1);
		if (arch) {
			const char *e = value_of(c, "errno", false);

			if (!e)
				return -1;
			if (strcmp(e, "ENOMEM") && strcmp(e, "EFAULT"))
				return fail(c, "inject: expected errno=ENOMEM or errno=EFAULT, got '%s'", e);
			op->c = !strcmp(e, "EFAULT");
		}
		break;
	}
	case OP_RELEASE:
		break;
	case OP_GMEM_BIND:
		if (slot_hva_gpa_selectors(c, op))
			return -1;
		if (small(c, "pages", 1, 32, &v) || small(c, "guest_memfd", 0, 3, &w))
			return -1;
		op->d = (uint8_t)(v - 1);
		if (edge_selector(c, "offset", sc_gmem_offset_edges, 16, &op->e))
			return -1;
		op->e |= (uint8_t)(w << 4);
		break;
	case OP_CREATE_EDGE: {
		const char *pages;
		int p;

		if (slot_selector(c, &op->a) || edge_selector(c, "hva", sc_hva_edges, 8, &op->b) ||
		    edge_selector(c, "gpa", sc_gpa_edges, 8, &op->c) || !(pages = value_of(c, "pages", false)))
			return -1;
		for (p = 0; p < SC_PAGES_NR && strcmp(pages, sc_edge_pages_names[p]); p++)
			;
		if (p == SC_PAGES_NR)
			return fail(c, "create_edge: pages=%s is not a preset (1, 16, max-1, max, max+1, 2^32, 2^51 or "
				    "2^52-1; max is KVM_MEM_MAX_NR_PAGES)", pages);
		op->d = (uint8_t)p;
		if (flags_value(c, "flags", scenario_mem_flag_names, &f))
			return -1;
		if (f & ~SC_MEM_READONLY)
			return fail(c, "create_edge: flags must be 0 or READONLY");
		op->e = !!f;
		break;
	}
	case OP_INVALIDATE_RANGE:
		if (raw_range_selectors(c, &op->a, &op->b, &op->c))
			return -1;
		op->d = has_word(c, "non_blockable");
		break;
	OP_GPC_CACHE_CASES:
		if (small(c, "cache", 0, SC_GPC_CACHES - 1, &v))
			return -1;
		op->a = (uint8_t)v;
		if (kind == OP_GPC_ACTIVATE || kind == OP_GPC_ACTIVATE_HVA) {
			const char *key = kind == OP_GPC_ACTIVATE ? "gpa" : "hva";

			if (key_number(c, key, &v))
				return -1;
			if ((v & (SC_PAGE - 1)) % 64)
				return fail(c, "%s: %s=0x%" PRIx64 ": the offset into the page must be a multiple of 64",
					    c->words[0], key, v);
			op->d = (uint8_t)((v & (SC_PAGE - 1)) / 64);
			v &= ~(SC_PAGE - 1);
			if (kind == OP_GPC_ACTIVATE) {
				if ((sel = INVERT(sc_gpa, v)) < 0)
					return fail(c, "gpc_activate: gpa=0x%" PRIx64 " is not a harness address (0x0, 0x100000, "
						    "0xfffffff0000 or 0x80000000 plus 0-15 pages, plus an offset)", v);
				op->c = (uint8_t)sel;
			} else {
				if ((sel = hva_selector(c, "hva", v)) < 0)
					return -1;
				op->b = (uint8_t)sel;
			}
		}
		if (kind != OP_GPC_DEACTIVATE) {
			if (key_number(c, "len", &v))
				return -1;
			for (sel = 0; sel < 8 && sc_gpc_lens[sel] != v; sel++)
				;
			if (sel == 8)
				return fail(c, "%s: len=%" PRIu64 " is not a preset (8, 1, 64, 512, 2048, 4032, 4096 or 4097)",
					    c->words[0], v);
			op->e = (uint8_t)sel;
		}
		if (kind <= OP_GPC_REFRESH && has_word(c, "split"))
			op->a |= 2;
		if (kind <= OP_GPC_REFRESH && has_word(c, "fail_gup"))
			op->a |= 4;
		break;
	case OP_GPC_COMMIT:
		break;
	case OP_HVA_REPLACE:
		if (key_number(c, "hva", &v) || (sel = hva_selector(c, "hva", v)) < 0)
			return -1;
		op->b = (uint8_t)sel;
		break;
	case OP_YIELD: {
		const char *at = value_of(c, "at", false);

		if (!at)
			return -1;
		for (sel = 0; sel < SC_YIELD_POINTS && strcmp(sc_yield_point_names[sel], at); sel++)
			;
		if (sel == SC_YIELD_POINTS)
			return fail(c, "yield: at=%s is not a yield point (mutex_lock, mutex_unlock, srcu_read_lock, "
				    "srcu_read_unlock, synchronize_srcu, mmu_lock, mmu_unlock, mn_invalidate_lock, "
				    "mn_invalidate_unlock, schedule or cond_resched)", at);
		op->a = (uint8_t)sel;
		if (small(c, "nth", 1, 8, &v) || small(c, "ops", 1, SC_YIELD_MAX_OPS, &w))
			return -1;
		op->b = (uint8_t)(v - 1);
		op->c = (uint8_t)(w - 1);
		break;
	}
	case OP_GMEM_PUNCH_HOLE:
	case OP_GMEM_CLOSE: {
		const char *mode;

		if (small(c, "guest_memfd", 0, 15, &v))
			return -1;
		op->a = (uint8_t)v;
		if (kind == OP_GMEM_CLOSE)
			break;
		if (small(c, "offset_pages", 0, 63, &v) || small(c, "pages", 1, 64, &w) ||
		    !(mode = value_of(c, "mode", false)))
			return -1;
		op->b = (uint8_t)v;
		op->c = (uint8_t)(w - 1);
		for (sel = 0; sel < SC_HOLE_NR && strcmp(mode, scenario_hole_mode_names[sel]); sel++)
			;
		if (sel == SC_HOLE_NR)
			return fail(c, "gmem_punch_hole: mode=%s (expected punch, no_keep_size, undefined or unaligned)", mode);
		op->d = (uint8_t)sel;
		break;
	}
	case OP_INTERNAL_MEMSLOT:
		if (slot_selector_of(c, &op->a, true) || key_number(c, "hva", &v))
			return -1;
		if ((sel = INVERT(sc_internal_hva, v)) < 0)
			return fail(c, "internal_memslot: hva=0x%" PRIx64 " is not an internal slot's address (a harness "
				    "region plus 0-15 pages, or 0x7f0000000001, 0x7ffffffff000, 0x8000000000000000, "
				    "0xfffffffffffff000)", v);
		op->b = (uint8_t)sel;
		if (key_number(c, "gpa", &v))
			return -1;
		if ((sel = INVERT(sc_gpa, v)) < 0)
			return fail(c, "internal_memslot: gpa=0x%" PRIx64 " is not a harness address (0x0, 0x100000, "
				    "0xfffffff0000 or 0x80000000 plus 0-15 pages)", v);
		op->c = (uint8_t)sel;
		if (small(c, "pages", 0, 3, &v) || flags_value(c, "flags", scenario_mem_flag_names, &f))
			return -1;
		op->d = (uint8_t)v;
		op->e = (uint8_t)((f & 7) | (f & SC_MEM_UNDEFINED ? 8 : 0));
		break;
	case OP_SET_ATTRIBUTES:
		if (key_number(c, "address", &v) || key_number(c, "size", &w) ||
		    flags_value(c, "attributes", scenario_attr_names, &f))
			return -1;
		if (attr_range_selectors(v, w, op))
			return fail(c, "set_attributes: address=0x%" PRIx64 " size=0x%" PRIx64 " cannot be encoded (a harness "
				    "gpa and 1-48 pages, aligned or one of: the address a byte in, the size half a page "
				    "short, size 0, wrapping past 2^64, ending at 2^64 or a page below)", v, w);
		op->a = (uint8_t)((f & SC_ATTR_PRIVATE ? 1 : 0) | (f & SC_ATTR_UNDEFINED ? 2 : 0));
		if (value_of(c, "flags", true)) {
			if (key_number(c, "flags", &v))
				return -1;
			if (v > 1)
				return fail(c, "set_attributes: flags=0x%" PRIx64 " cannot be encoded (0 or 1)", v);
			op->a |= (uint8_t)(v << 2);
		}
		break;
	}
	for (int i = 1; i < c->nr_words; i++)
		if (!c->used[i])
			return fail(c, "%s: unexpected '%s'", c->words[0], c->words[i]);
	return 0;
}

static int parse_header(struct line_ctx *c, struct scenario *s)
{
	uint64_t as, ro, seq, gen;
	const char *mode;
	int seq_sel = -1, gen_sel = -1, m;

	if (small(c, "address_spaces", 1, 2, &as) || small(c, "readonly_mem", 0, 1, &ro) ||
	    key_number(c, "mmu_invalidate_seq", &seq) || key_number(c, "generation", &gen) ||
	    !(mode = value_of(c, "mode", false)))
		return -1;
	for (int i = 0; i < 8; i++) {
		if (seq_sel < 0 && sc_counter_presets[i] == seq)
			seq_sel = i;
		if (gen_sel < 0 && i < 4 && sc_counter_presets[i] == gen)
			gen_sel = i;
	}
	if (seq_sel < 0)
		return fail(c, "vm: mmu_invalidate_seq=0x%" PRIx64 " is not a preset (0, 1, 2^31-2, 2^31+5, 2^32-2, "
			    "2^32+5, 2^63-4096, 2^64-4)", seq);
	if (gen_sel < 0)
		return fail(c, "vm: generation=0x%" PRIx64 " is not a preset (0, 2^31-2, 2^32-2, 2^63-4096)", gen);
	for (m = 0; m < 3 && strcmp(mode, scenario_mode_names[m]); m++)
		;
	if (m == 3)
		return fail(c, "vm: expected mode=legal, illegal or change_pte_unwrapped, got '%s'", mode);
	s->header[0] = (uint8_t)((as == 1) | (!ro) << 1 | seq_sel << 2);
	s->header[1] = (uint8_t)(gen_sel | m << 2);
	for (int i = 1; i < c->nr_words; i++)
		if (!c->used[i])
			return fail(c, "vm: unexpected '%s'", c->words[i]);
	return 0;
}

int scenario_parse_text(const char *text, const char *file, struct scenario *s, char *err, size_t errlen)
{
	struct line_ctx c = { .file = file, .err = err, .errlen = errlen };
	const char *p = text;
	bool have_header = false;

	memset(s, 0, sizeof(*s));
	while (*p) {
		char line[512], *q, *save;
		size_t used = 0;
		bool more;

		do {	/* one logical line: a physical line ending in '\' (outside a comment) goes on */
			size_t len = strcspn(p, "\n");

			c.line++;
			if (used + len >= sizeof(line))
				return fail(&c, "line too long");
			memcpy(line + used, p, len);
			line[used + len] = 0;
			p += len + (p[len] == '\n');
			if ((q = strchr(line + used, '#')))
				*q = 0;
			used = strlen(line);
			while (used && strchr(" \t\r", line[used - 1]))
				line[--used] = 0;
			more = used && line[used - 1] == '\\';
			if (more)
				line[used - 1] = ' ';
		} while (more && *p);
		c.nr_words = 0;
		memset(c.used, 0, sizeof(c.used));
		for (q = strtok_r(line, " \t\r", &save); q; q = strtok_r(NULL, " \t\r", &save)) {
			if (c.nr_words == MAX_WORDS)
				return fail(&c, "too many words");
			c.words[c.nr_words++] = q;
		}
		if (c.nr_words && isdigit((unsigned char)c.words[0][0]) && !strchr(c.words[0], '=')) {
			/* the operation index of a report */
			memmove(c.words, c.words + 1, --c.nr_words * sizeof(c.words[0]));
		}
		if (!c.nr_words)
			continue;
		if (!strcmp(c.words[0], "vm")) {
			if (have_header || s->nr_ops)
				return fail(&c, "vm: the vm line must come first, once");
			if (parse_header(&c, s))
				return -1;
			have_header = true;
			continue;
		}
		if (!have_header)
			return fail(&c, "expected the vm line first, got '%s'", c.words[0]);
		if (s->nr_ops == SCENARIO_MAX_OPS)
			return fail(&c, "more than %d operations", SCENARIO_MAX_OPS);
		if (parse_op(&c, s, &s->ops[s->nr_ops]))
			return -1;
		s->nr_ops++;
	}
	if (!have_header) {
		c.line = 0;
		return fail(&c, "no vm line: not a text scenario");
	}
	return 0;
}

/* Text scenarios are recognised by their first word: no byte scenario a fuzzer keeps starts with "vm ". */
bool scenario_looks_like_text(const uint8_t *data, size_t size)
{
	size_t i = 0;

	for (;;) {
		while (i < size && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
			i++;
		if (i < size && data[i] == '#') {
			while (i < size && data[i] != '\n')
				i++;
			continue;
		}
		break;
	}
	return size - i >= 3 && !memcmp(data + i, "vm ", 3) && !memchr(data, 0, size);
}

int scenario_text_to_bytes(const char *text, const char *file, uint8_t *buf, size_t cap, size_t *len,
			   char *err, size_t errlen)
{
	static struct scenario s;

	if (scenario_parse_text(text, file, &s, err, errlen))
		return -1;
	*len = scenario_encode(&s, buf, cap);
	return 0;
}
