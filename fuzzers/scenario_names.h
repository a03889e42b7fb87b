// SPDX-License-Identifier: GPL-2.0
/*
 * The names the text form gives byte values, shared by the writer
 * (scenario_text.c) and the parser (scenario_parse.c). Kernel-free.
 */
#ifndef KVM_HVA_FUZZ_SCENARIO_NAMES_H
#define KVM_HVA_FUZZ_SCENARIO_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "scenario_layout.h"

struct scenario_flag_name { uint32_t bit; const char *name; };
/* memslot flags and guest_memfd flags, each list ending with { 0, NULL } */
extern const struct scenario_flag_name scenario_mem_flag_names[];
extern const struct scenario_flag_name scenario_gmem_flag_names[];
extern const struct scenario_flag_name scenario_attr_names[];	/* memory attributes */
extern const char *const scenario_mode_names[3];
/* gmem_punch_hole mode= (enum sc_hole_mode) */
extern const char *const scenario_hole_mode_names[SC_HOLE_NR];
/* an edge preset and its adjustment: "2^63-size+page" */
void scenario_edge_name(const struct sc_edge *edge, uint8_t sel, char *buf, size_t n);

#endif
