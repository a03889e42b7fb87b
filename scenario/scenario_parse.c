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
#include "scenario_decl.h"

/* ---- text -> bytes ------------------------------------------------------------------------ */

/* One operation line: its name, then each declared field (scenario_ops.def); a word left over is an error. */
static int parse_op(struct sc_words *c, const struct scenario *s, struct op *op)
{
	int kind;

	for (kind = 0; kind < OP_NR && strcmp(c->words[0], sc_ops[kind].name); kind++)
		;
	if (kind == OP_NR) {
		char names[600] = "";

		for (int k = 0; k < OP_NR; k++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", k ? ", " : "", sc_ops[k].name);
		return sc_fail(c, "unknown operation '%s' (expected vm, %s)", c->words[0], names);
	}
	memset(op, 0, sizeof(*op));
	op->kind = (uint8_t)kind;
	for (const struct sc_field *f = sc_ops[kind].fields; f->key; f++)
		if (sc_field_parse(c, f, op, sc_mode(s->header)))
			return -1;
	for (int i = 1; i < c->nr_words; i++)
		if (!c->used[i])
			return sc_fail(c, "%s: unexpected '%s'", c->words[0], c->words[i]);
	return 0;
}

static int small(struct sc_words *c, const char *key, uint64_t lo, uint64_t hi, uint64_t *out)
{
	if (sc_number(c, key, sc_value_of(c, key, false), out))
		return -1;
	if (*out < lo || *out > hi)
		return sc_fail(c, "%s: %s=%" PRIu64 " is out of range (%" PRIu64 "-%" PRIu64 ")", c->words[0], key, *out, lo, hi);
	return 0;
}

static int parse_header(struct sc_words *c, struct scenario *s)
{
	uint64_t as, ro, seq, gen;
	const char *mode;
	int seq_sel = -1, gen_sel = -1, m;

	if (small(c, "address_spaces", 1, 2, &as) || small(c, "readonly_mem", 0, 1, &ro) ||
	    sc_number(c, "mmu_invalidate_seq", sc_value_of(c, "mmu_invalidate_seq", false), &seq) ||
	    sc_number(c, "generation", sc_value_of(c, "generation", false), &gen) ||
	    !(mode = sc_value_of(c, "mode", false)))
		return -1;
	for (int i = 0; i < 8; i++) {
		if (seq_sel < 0 && sc_counter_presets[i] == seq)
			seq_sel = i;
		if (gen_sel < 0 && i < 4 && sc_counter_presets[i] == gen)
			gen_sel = i;
	}
	if (seq_sel < 0)
		return sc_fail(c, "vm: mmu_invalidate_seq=0x%" PRIx64 " is not a preset (0, 1, 2^31-2, 2^31+5, 2^32-2, "
			    "2^32+5, 2^63-4096, 2^64-4)", seq);
	if (gen_sel < 0)
		return sc_fail(c, "vm: generation=0x%" PRIx64 " is not a preset (0, 2^31-2, 2^32-2, 2^63-4096)", gen);
	for (m = 0; m < 3 && strcmp(mode, scenario_mode_names[m]); m++)
		;
	if (m == 3)
		return sc_fail(c, "vm: expected mode=legal, illegal or change_pte_unwrapped, got '%s'", mode);
	s->header[0] = (uint8_t)((as == 1) | (!ro) << 1 | seq_sel << 2);
	s->header[1] = (uint8_t)(gen_sel | m << 2);
	for (int i = 1; i < c->nr_words; i++)
		if (!c->used[i])
			return sc_fail(c, "vm: unexpected '%s'", c->words[i]);
	return 0;
}

int scenario_parse_text(const char *text, const char *file, struct scenario *s, char *err, size_t errlen)
{
	struct sc_words c = { .file = file, .err = err, .errlen = errlen };
	const char *p = text;
	bool have_header = false;

	memset(s, 0, sizeof(*s));
	while (*p) {
		char line[512], *q, *save;
		size_t used = 0;
		bool more;

		do {	/* one logical line: a physical line ending in '\' (outside a comment) goes on, as in the shell */
			size_t len = strcspn(p, "\n");

			c.line++;
			if (used + len >= sizeof(line))
				return sc_fail(&c, "line too long");
			memcpy(line + used, p, len);
			line[used + len] = 0;
			p += len + (p[len] == '\n');
			if ((q = strchr(line + used, '#')))
				*q = 0;
			used = strlen(line);
			while (used && strchr(" \t\r", line[used - 1]))
				line[--used] = 0;
			more = used && line[used - 1] == '\\';
			if (more)	/* the '\' goes, nothing else: "a \" and "b" are two words, "a\" and "b" one */
				line[--used] = 0;
		} while (more && *p);
		c.nr_words = 0;
		memset(c.used, 0, sizeof(c.used));
		for (q = strtok_r(line, " \t\r", &save); q; q = strtok_r(NULL, " \t\r", &save)) {
			if (c.nr_words == (int)(sizeof(c.words) / sizeof(c.words[0])))
				return sc_fail(&c, "too many words");
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
				return sc_fail(&c, "vm: the vm line must come first, once");
			if (parse_header(&c, s))
				return -1;
			have_header = true;
			continue;
		}
		if (!have_header)
			return sc_fail(&c, "expected the vm line first, got '%s'", c.words[0]);
		if (s->nr_ops == SCENARIO_MAX_OPS)
			return sc_fail(&c, "more than %d operations", SCENARIO_MAX_OPS);
		if (parse_op(&c, s, &s->ops[s->nr_ops]))
			return -1;
		s->nr_ops++;
	}
	if (!have_header) {
		c.line = 0;
		return sc_fail(&c, "no vm line: not a text scenario");
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
