// SPDX-License-Identifier: GPL-2.0
/*
 * The running kernel's side of the differential (live_vm.c): a VM opened
 * through /dev/kvm (or skipped with the reason), host memory mapped where a
 * request's hva asks for it, results as the reports print them, and the two
 * ways the tool ends early.
 */
#ifndef LIVE_VM_H
#define LIVE_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define X86_DEFAULT_VM 0
#define X86_SW_PROTECTED_VM 1

#define PAGE ((uint64_t)4096)
#define MAP_CAP ((uint64_t)64 << 20)		/* map at most this much per request */
#define BAD_FD 0x3ffffff0u		/* never open: fget() fails, -EBADF */
#define MAX_FILES 64

struct live_vm {
	int kvm, vm, type;
	int nr_as;		/* KVM_CAP_MULTI_ADDRESS_SPACE, 0 read as 1 */
	int readonly;		/* KVM_CAP_READONLY_MEM */
	int user_slots;		/* KVM_CAP_NR_MEMSLOTS */
	uint64_t gmem_flags;	/* KVM_CAP_GUEST_MEMFD_FLAGS */
	bool gmem_slots;	/* this VM type accepts KVM_MEM_GUEST_MEMFD */
	int fd[MAX_FILES];	/* harness file index -> live fd, -1 if the live creation failed */
	char release[128];
};
extern struct live_vm live;
extern bool no_map, verbose;	/* --no-map, -v */
/* requests read so far; pages map_range() mapped and could not map */
extern unsigned long nreq, pages_mapped, pages_unmappable;

/* the tool ends: "live: skipped: WHY" and exit 0 (the running kernel cannot take part); bad input, exit 2 */
void __attribute__((noreturn, format(printf, 1, 2))) skipped(const char *fmt, ...);
void __attribute__((noreturn, format(printf, 1, 2))) bad(const char *fmt, ...);
int check_ext(int fd, long cap);
void open_vm(void);
void map_range(uint64_t hva, uint64_t size);
/* a result as the reports print it: "fd", "0" or "-22 (EINVAL)" */
const char *rcstr(int rc, bool is_fd, char *buf, size_t n);

#endif
