// SPDX-License-Identifier: GPL-2.0
/*
 * A memslot request, as KVM_SET_USER_MEMORY_REGION2 carries it. Kernel-free:
 * the adapter passes it to the kernel, the reference model judges it.
 */
#ifndef KVM_HVA_FUZZ_MEMSLOT_REQUEST_H
#define KVM_HVA_FUZZ_MEMSLOT_REQUEST_H

#include <stdint.h>

struct memslot_request {
	uint32_t slot;			/* as_id << 16 | id */
	uint32_t flags;
	uint64_t guest_phys_addr;
	uint64_t memory_size;
	uint64_t userspace_addr;
	uint64_t guest_memfd_offset;
	uint32_t guest_memfd;
};

static inline int memslot_request_as(const struct memslot_request *q) { return q->slot >> 16; }
static inline int memslot_request_id(const struct memslot_request *q) { return (uint16_t)q->slot; }

#endif
