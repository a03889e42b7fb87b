// SPDX-License-Identifier: GPL-2.0
/* KVM's binary stats of a VM or vCPU (KVM_GET_STATS_FD; Documentation/virt/kvm/api.rst), for invivo.c. */
#ifndef INVIVO_STATS_H
#define INVIVO_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct stats {
	int fd;
	unsigned int n;
	char **name;
	uint32_t *off;    /* byte offset of the stat inside the data block */
	uint16_t *size;   /* number of u64s (1 for scalars, >1 for histograms) */
	size_t data_size;
	off_t data_offset;
};

/* the stats of fd (a VM or vCPU); what names it in an error */
void stats_open(struct stats *s, int fd, const char *what);
/* a snapshot of the data block (the caller frees it) */
uint64_t *stats_read(struct stats *s);
/* the scalar stat name in snap */
bool stat_get(const struct stats *s, const uint64_t *snap, const char *name, int64_t *val);
/* every scalar that moved from a to b, on one line after label */
void stats_print_delta(const struct stats *s, const uint64_t *a, const uint64_t *b, const char *label);
/* invivo.c's: an error ends the run */
void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...);

#endif
