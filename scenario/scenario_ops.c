// SPDX-License-Identifier: GPL-2.0
/*
 * The table of operations (scenario_ops.def, through the field macros below)
 * and the names their fields use. Kernel-free.
 */
#include "scenario.h"
#include "scenario_decl.h"

#define ARRAY_LEN(x) ((int)(sizeof(x) / sizeof((x)[0])))

/* names of byte bits (SC_FLAGS): memslot flags, guest_memfd flags, create_edge's, memory attributes */
static const struct sc_flag_name sc_mem_flag_names[] = {
	{ SC_MEM_LOG_DIRTY_PAGES, "LOG_DIRTY_PAGES" }, { SC_MEM_READONLY, "READONLY" },
	{ SC_MEM_GUEST_MEMFD, "GUEST_MEMFD" }, { SC_MEM_UNDEFINED, "UNDEFINED" },
};
static const struct sc_flag_name sc_gmem_flag_names[] = {
	{ SC_GMEM_MMAP, "MMAP" }, { SC_GMEM_INIT_SHARED, "INIT_SHARED" }, { SC_GMEM_UNDEFINED, "UNDEFINED" },
};
static const struct sc_flag_name sc_edge_flag_names[] = { { 1, "READONLY" } };	/* sc_edge_flags */
static const struct sc_flag_name sc_attr_flag_names[] = { { 1, "PRIVATE" }, { 2, "UNDEFINED" } };	/* sc_attr_attributes */
static const char *const sc_inject_words[] = { "allocation_failure", "arch_prepare_failure" };	/* sc_inject_arch */
static const char *const sc_inject_errnos[] = { "ENOMEM", "EFAULT" };	/* sc_inject_efault */
static const char *const sc_hole_mode_names[SC_HOLE_NR] = { "punch", "no_keep_size", "undefined", "unaligned" };

/* The field macros of scenario_ops.def; a trailing argument adds to the field (IF_BITS, .when, .scale). */
#define NONE { 0 }
#define SLOT(b) { .key = "slot", .codec = SC_SLOT, .byte = b }
#define LIMIT_SLOT(b) { .key = "slot", .codec = SC_LIMIT_SLOT, .byte = b }
#define HVA(k, b) { .key = k, .codec = SC_HVA, .byte = b }
#define GPA(k, b) { .key = k, .codec = SC_GPA, .byte = b }
#define PAGES(b) { .key = "pages", .codec = SC_PAGES, .byte = b }
#define NUMBER(k, b, sh, m, off, ...) { .key = k, .codec = SC_NUMBER, .byte = b, .shift = sh, .mask = m, .offset = off, __VA_ARGS__ }
#define HEX(k, b, m, sc, ...) { .key = k, .codec = SC_HEX, .byte = b, .mask = m, .scale = sc, __VA_ARGS__ }
#define WORD(k, b, bit) { .key = k, .codec = SC_WORD, .byte = b, .shift = bit, .mask = 1 }
#define CHOICE(b, sh, names) { .key = "", .codec = SC_CHOICE, .byte = b, .shift = sh, .mask = 1, .table = names, .nr = ARRAY_LEN(names) }
#define NAME(k, b, sh, m, names, ...) \
	{ .key = k, .codec = SC_NAME, .byte = b, .shift = sh, .mask = m, .table = names, .nr = ARRAY_LEN(names), __VA_ARGS__ }
#define PRESET(k, b, m, values) { .key = k, .codec = SC_PRESET, .byte = b, .mask = m, .table = values, .nr = ARRAY_LEN(values) }
#define GPC_LEN(b) PRESET("len", b, 7, sc_gpc_lens)
#define FLAGS(k, b, names) { .key = k, .codec = SC_FLAGS, .byte = b, .table = names, .nr = ARRAY_LEN(names) }
#define RANGE(k, b1, b2, ...) { .key = k, .codec = SC_RANGE, .byte = b1, .byte2 = b2, __VA_ARGS__ }
#define ADDRESS(k, b1, b2) { .key = k, .codec = SC_ADDRESS, .byte = b1, .byte2 = b2 }
#define EDGE(k, b, edges) { .key = k, .codec = SC_EDGE, .byte = b, .table = edges, .nr = ARRAY_LEN(edges) }
#define RAW_SLOT(b) { .key = "slot", .codec = SC_RAW_SLOT, .byte = b }
#define RAW_HVA(b, size_byte) { .key = "hva", .codec = SC_RAW_HVA, .byte = b, .byte2 = size_byte }
#define RAW_RANGE(b1, b2, b3) { .key = "hva", .codec = SC_RAW_RANGE, .byte = b1, .byte2 = b2, .byte3 = b3 }
#define GMEM_SIZE(b) { .key = "size", .codec = SC_GMEM_SIZE, .byte = b }
#define OFFSET_HVA(k, b, step_byte) { .key = k, .codec = SC_OFFSET_HVA, .byte = b, .byte2 = step_byte }
#define OFFSET_GPA(k, b, step_byte) { .key = k, .codec = SC_OFFSET_GPA, .byte = b, .byte2 = step_byte }
#define INTERNAL_HVA(b) { .key = "hva", .codec = SC_INTERNAL_HVA, .byte = b }
#define ATTR_RANGE(b1, b2, b3) { .key = "address", .codec = SC_ATTR_RANGE, .byte = b1, .byte2 = b2, .byte3 = b3 }
#define IF_BITS(b, m) .when = SC_IF_BITS, .when_byte = b, .when_mask = m

#define OP(ENUM, text, family, attributes, ...) \
	[OP_##ENUM] = { text, SC_FAMILY_##family, attributes, (const struct sc_field[]){ __VA_ARGS__, { 0 } } },
#define DICT(...)
const struct sc_op_decl sc_ops[OP_NR] = {
#include "scenario_ops.def"
};
#undef DICT
#undef OP

/* the dictionary entries, as text */
#define OP(...)
#define DICT(name, text) { #name, text },
const struct sc_dict_entry sc_dict[] = {
#include "scenario_ops.def"
	{ NULL, NULL },
};
#undef DICT
#undef OP

const char *const sc_family_names[SC_FAMILIES] = {
	"memslot", "mm", "vcpu", "pfncache", "gmem", "attributes", "scheduler",
};
