// SPDX-License-Identifier: GPL-2.0
/*
 * A scenario: VM settings plus a sequence of operations, decoded from fuzz
 * input bytes. Every byte string decodes to a valid scenario; each operation
 * takes OP_BYTES bytes (missing bytes read as zero).
 */
#ifndef KVM_HVA_FUZZ_SCENARIO_H
#define KVM_HVA_FUZZ_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario_layout.h"

/* The operations, in kind-byte order: scenario_ops.def declares each one (text, fields, family). */
enum op_kind {
#define OP(ENUM, ...) OP_##ENUM,
#define DICT(...)
#include "scenario_ops.def"
#undef DICT
#undef OP
	OP_NR,
};
/* The operations on one pfn cache (cache=N), as case labels: the text form lists them twice. */
#define OP_GPC_CACHE_CASES							\
	case OP_GPC_ACTIVATE: case OP_GPC_ACTIVATE_HVA: case OP_GPC_REFRESH:	\
	case OP_GPC_CHECK: case OP_GPC_USE: case OP_GPC_DEACTIVATE

struct op {
	uint8_t kind;
	uint8_t a, b, c, d, e;
};

struct scenario {
	uint8_t header[SCENARIO_HEADER_BYTES];
	struct op ops[SCENARIO_MAX_OPS];
	int nr_ops;
};

void scenario_decode(const uint8_t *data, size_t size, struct scenario *s);
size_t scenario_encode(const struct scenario *s, uint8_t *buf, size_t cap);
enum scenario_mode scenario_mode(const struct scenario *s);
/* the report form: operation indices and bytes as comments (it parses as text too) */
void scenario_print(FILE *f, const struct scenario *s, int upto);
/* the canonical text form (scenario/scenario_text.c documents the format) */
void scenario_print_text(FILE *f, const struct scenario *s);
/* 0, or -1 with a one-line "FILE:LINE: what was expected" in err */
int scenario_parse_text(const char *text, const char *file, struct scenario *s, char *err, size_t errlen);
bool scenario_looks_like_text(const uint8_t *data, size_t size);
int scenario_text_to_bytes(const char *text, const char *file, uint8_t *buf, size_t cap, size_t *len,
			   char *err, size_t errlen);
const char *scenario_op_name(int kind);	/* the text form's name of an operation kind */

#endif
