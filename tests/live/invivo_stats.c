// SPDX-License-Identifier: GPL-2.0
/* KVM's binary stats (invivo_stats.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <linux/kvm.h>

#include "kvm_uapi_fallback.h"
#include "invivo_stats.h"

/* ---- binary stats (Documentation/virt/kvm/api.rst, KVM_GET_STATS_FD) ---- */



void stats_open(struct stats *s, int fd, const char *what)
{
	struct kvm_stats_header h;
	size_t dsz;
	char *descs;

	s->fd = ioctl(fd, KVM_GET_STATS_FD, NULL);
	if (s->fd < 0)
		die("KVM_GET_STATS_FD(%s)", what);
	if (pread(s->fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		die("read %s stats header", what);
	/* Each descriptor is followed by its name_size-byte name. */
	dsz = sizeof(struct kvm_stats_desc) + h.name_size;
	s->n = h.num_desc;
	descs = calloc(s->n, dsz);
	s->name = calloc(s->n, sizeof(*s->name));
	s->off = calloc(s->n, sizeof(*s->off));
	s->size = calloc(s->n, sizeof(*s->size));
	if (!descs || !s->name || !s->off || !s->size)
		die("calloc");
	if (pread(s->fd, descs, dsz * s->n, h.desc_offset) != (ssize_t)(dsz * s->n))
		die("read %s stats descriptors", what);
	s->data_size = 0;
	s->data_offset = h.data_offset;
	for (unsigned int i = 0; i < s->n; i++) {
		struct kvm_stats_desc *d = (void *)(descs + i * dsz);
		size_t end = d->offset + d->size * sizeof(uint64_t);

		s->name[i] = strndup(d->name, h.name_size);
		s->off[i] = d->offset;
		s->size[i] = d->size;
		if (end > s->data_size)
			s->data_size = end;
	}
	free(descs);
}

uint64_t *stats_read(struct stats *s)
{
	uint64_t *buf = malloc(s->data_size);

	if (!buf)
		die("malloc");
	if (pread(s->fd, buf, s->data_size, s->data_offset) != (ssize_t)s->data_size)
		die("read stats data");
	return buf;
}

/* Scalar stat @name from snapshot @snap; false if this kernel lacks it. */
bool stat_get(const struct stats *s, const uint64_t *snap, const char *name,
		     int64_t *val)
{
	for (unsigned int i = 0; i < s->n; i++) {
		if (s->size[i] == 1 && !strcmp(s->name[i], name)) {
			*val = (int64_t)snap[s->off[i] / sizeof(uint64_t)];
			return true;
		}
	}
	return false;
}

void stats_print_delta(const struct stats *s, const uint64_t *a, const uint64_t *b,
			      const char *label)
{
	bool any = false;

	printf("  %-28s", label);
	for (unsigned int i = 0; i < s->n; i++) {
		uint64_t va, vb;

		if (s->size[i] != 1)
			continue;
		va = a[s->off[i] / sizeof(uint64_t)];
		vb = b[s->off[i] / sizeof(uint64_t)];
		if (va != vb) {
			printf(" %s%+lld", s->name[i], (long long)(vb - va));
			any = true;
		}
	}
	printf("%s\n", any ? "" : " (no change)");
}

#endif
