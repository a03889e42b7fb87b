// SPDX-License-Identifier: GPL-2.0
/*
 * What a declaration of an operation is (scenario_ops.def holds them all):
 * its kind byte (its place in the list), its text name, its family, and its
 * fields in the order the text form writes them. A field names its text key,
 * its codec (how the bytes are written and read: scenario_codec.c), the bytes
 * it takes and, for bit fields, which bits. The text writer, the parser, the
 * dictionary and `scenario-text check` are generic code over these.
 * Kernel-free.
 */
#ifndef KVM_HVA_FUZZ_SCENARIO_DECL_H
#define KVM_HVA_FUZZ_SCENARIO_DECL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"
#include "scenario_layout.h"

/* The bytes of an operation after its kind: a-e are 1-5 (struct op, and the byte layout). */
enum { SC_A = 1, SC_B, SC_C, SC_D, SC_E };

enum sc_codec {
	SC_SLOT,	/* slot=AS:ID or AS:user±N (sc_id; one byte) */
	SC_LIMIT_SLOT,	/* slot=AS:user±N only (internal memslots) */
	SC_HVA,		/* 0x... of the harness regions (sc_hva) */
	SC_GPA,		/* 0x... of the guest regions (sc_gpa) */
	SC_PAGES,	/* 1-32 pages, or over_limit (sc_pages, sc_pages_over_limit) */
	SC_NUMBER,	/* decimal: ((byte >> shift) & mask) * scale + offset */
	SC_HEX,		/* the same, in hex */
	SC_WORD,	/* a bare word, there when (byte >> shift) & mask */
	SC_CHOICE,	/* one of two bare words: names[(byte >> shift) & mask] */
	SC_NAME,	/* key=names[((byte >> shift) & mask) % nr] */
	SC_PRESET,	/* key=values[(byte >> shift) & mask], decimal */
	SC_FLAGS,	/* key=A|B|... (or 0): the bits of the byte that flag names list */
	SC_RANGE,	/* key=[START,END) or all: two bytes (sc_range) */
	SC_ADDRESS,	/* an hva: a page of the regions plus a byte (two bytes, sc_address) */
	SC_EDGE,	/* an edge preset and its adjustment (sc_edge_value): one byte */
	SC_RAW_SLOT,	/* raw_request's slot word (sc_raw_slot) */
	SC_RAW_HVA,	/* raw_request's hva: byte plus the size byte (sc_raw_hva; the size byte first) */
	SC_RAW_RANGE,	/* invalidate_range's hva=[START,END): three bytes (sc_raw_range) */
	SC_GMEM_SIZE,	/* a guest_memfd's size (sc_gmem_size) */
	SC_OFFSET_HVA,	/* an hva plus 64-byte steps into the page (sc_hva, sc_gpc_offset): two bytes */
	SC_OFFSET_GPA,	/* a gpa plus 64-byte steps (sc_gpa, sc_gpc_offset): two bytes */
	SC_INTERNAL_HVA,	/* an internal memslot's hva (sc_internal_hva) */
	SC_ATTR_RANGE,	/* address=... size=...: three bytes (sc_attr_range) */
};

/* When a field is in the text (and read back): always, or on a condition. */
enum sc_when {
	SC_ALWAYS,
	SC_IF_BITS,	/* when_byte & when_mask (a field another field's bits enable) */
	SC_IF_ILLEGAL,	/* the scenario's mode is illegal */
	SC_IF_NONZERO,	/* the field's own value is not zero; optional in the text */
};

struct sc_flag_name { uint32_t bit; const char *name; };

struct sc_field {
	const char *key;		/* text key ("slot"), or the word of SC_WORD */
	enum sc_codec codec;
	uint8_t byte, byte2, byte3;	/* SC_A-SC_E: the bytes it takes (byte2, byte3 for several) */
	uint8_t shift, mask;		/* bit fields: (byte >> shift) & mask */
	uint32_t scale;			/* SC_NUMBER, SC_HEX: the text value is field * scale + offset */
	int offset;
	const void *table;		/* SC_NAME, SC_CHOICE: names; SC_FLAGS: flag names; SC_EDGE: edges; SC_PRESET: values */
	int nr;				/* entries of table */
	const char *what;		/* SC_NAME: what a value is, for an error ("yield point") */
	enum sc_when when;
	uint8_t when_byte, when_mask;
};

/* Families: which part of the harness runs an operation (one file each). */
enum sc_family {
	SC_FAMILY_MEMSLOT,	/* memslot requests: userspace's ioctls and x86's internal path; injected failures */
	SC_FAMILY_MM,		/* mm/'s notifier events and the mm's release */
	SC_FAMILY_VCPU,		/* vCPU faults */
	SC_FAMILY_PFNCACHE,	/* the gfn_to_pfn cache and the host page table under it */
	SC_FAMILY_GMEM,		/* guest_memfd files */
	SC_FAMILY_ATTRIBUTES,	/* KVM_SET_MEMORY_ATTRIBUTES */
	SC_FAMILY_SCHEDULER,	/* other CPUs' windows */
	SC_FAMILIES,
};

/*
 * What an operation's kernel code holds and waits for: the scheduler's rules read these to tell
 * which operations a yield may interrupt and which would block on the thread it interrupted.
 */
enum sc_attribute {
	SC_SLOTS_LOCK = 1 << 0,		/* an ioctl serialized by kvm->slots_lock */
	SC_SWAPS = 1 << 1,		/* a memslot update: synchronize_srcu() and the wait for mn_active_invalidate_count */
	SC_REQUEST_INPUT = 1 << 2,	/* what a slots_lock ioctl's expectation depends on, or that depends on its bindings */
	SC_WHOLE = 1 << 3,		/* never interrupted by a yield (docs/oracle.md, Other CPUs: each says why) */
	SC_WAITS_ACTIVE = 1 << 4,	/* spins while an invalidation holds mn_active_invalidate_count up */
	SC_EXCLUSIVE = 1 << 5,		/* runs when no other thread of the mm does (exit_mmap()) */
	SC_PAIRED_END = 1 << 6,		/* ends an invalidation the reference knows: none in flight, it waits */
};

struct sc_op_decl {
	const char *name;		/* the text form's */
	enum sc_family family;
	unsigned int attributes;	/* enum sc_attribute */
	const struct sc_field *fields;	/* in text order, ending with a NULL key */
};

/* A dictionary entry of the engines: one or more operations as text, ';' between them. */
struct sc_dict_entry { const char *name, *text; };
extern const struct sc_dict_entry sc_dict[];	/* ends with a NULL name */

/* Indexed by kind (enum op_kind). */
extern const struct sc_op_decl sc_ops[];
extern const char *const sc_family_names[SC_FAMILIES];

/* ---- the codecs: writing (scenario_text.c) and reading (scenario_codec.c) fields ---- */
/* a field's byte, bits and value */
static inline uint8_t sc_byte_of(const struct op *o, int b)
{
	const uint8_t v[6] = { o->kind, o->a, o->b, o->c, o->d, o->e };

	return v[b];
}


static inline unsigned int sc_bits(const struct sc_field *f, const struct op *o)
{
	return (sc_byte_of(o, f->byte) >> f->shift) & f->mask;
}

static inline uint64_t sc_scale(const struct sc_field *f) { return f->scale ? f->scale : 1; }

static inline bool sc_field_present(const struct sc_field *f, const struct op *o, int mode)
{
	switch (f->when) {
	case SC_ALWAYS: return true;
	case SC_IF_BITS: return sc_byte_of(o, f->when_byte) & f->when_mask;
	case SC_IF_ILLEGAL: return mode == MODE_ILLEGAL;
	case SC_IF_NONZERO: return sc_bits(f, o) != 0;
	}
	return true;
}

struct sc_text { char *p; size_t left; };
void sc_put(struct sc_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* the text of one field of o (nothing if its condition does not hold) */
void sc_field_text(struct sc_text *t, const struct sc_field *f, const struct op *o, int mode);

/* What the parser gives a codec: the words of one line, and where to say what was wrong. */
struct sc_words {
	const char *file;
	int line;
	char *err;
	size_t errlen;
	char *words[12];	/* words[0] is the operation */
	int nr_words;
	bool used[12];
};
int sc_fail(struct sc_words *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* read one field into o's bytes (OR-ed into them: the fields of one byte take disjoint bits); 0 or -1 */
int sc_field_parse(struct sc_words *w, const struct sc_field *f, struct op *o, int mode);
const char *sc_value_of(struct sc_words *w, const char *key, bool optional);
int sc_number(struct sc_words *w, const char *key, const char *v, uint64_t *out);

extern const char *const scenario_mode_names[3];	/* the vm line's mode= */
extern const char *const scenario_mode_names[3];	/* the vm line's mode= */
/* an edge preset and its adjustment: "2^63-size+page" */
void scenario_edge_name(const struct sc_edge *edge, uint8_t sel, char *buf, size_t n);

#endif
