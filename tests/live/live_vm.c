// SPDX-License-Identifier: GPL-2.0
/* The running kernel's side of the differential: live_vm.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "kvm_uapi_fallback.h"
#include "live_vm.h"

struct live_vm live;
bool no_map, verbose;
unsigned long nreq, pages_mapped, pages_unmappable;

void skipped(const char *fmt, ...)
{
	va_list ap;

	printf("live: skipped: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(0);
}

void bad(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "differential: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

int check_ext(int fd, long cap)
{
	int r = ioctl(fd, KVM_CHECK_EXTENSION, cap);

	return r < 0 ? 0 : r;
}

/* Can a VM of this type bind a guest_memfd to a memslot?  Tried on a throwaway VM. */
static bool probe_gmem_slot(int type)
{
	struct kvm_create_guest_memfd g = { .size = PAGE };
	struct kvm_userspace_memory_region2 r = { 0 };
	int vm = ioctl(live.kvm, KVM_CREATE_VM, type), fd, rc;

	if (vm < 0)
		return false;
	fd = ioctl(vm, KVM_CREATE_GUEST_MEMFD, &g);
	if (fd < 0) {
		close(vm);
		return false;
	}
	r.flags = KVM_MEM_GUEST_MEMFD;
	r.memory_size = PAGE;
	r.guest_memfd = fd;
	rc = ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &r);
	close(fd);
	close(vm);
	return rc == 0;
}

void open_vm(void)
{
	struct utsname u;
	int types;

	uname(&u);
	snprintf(live.release, sizeof(live.release), "%s", u.release);
	/* LIVE_KVM_DEV replaces /dev/kvm, so the skip path can be tested where KVM exists */
	live.kvm = open(getenv("LIVE_KVM_DEV") ?: "/dev/kvm", O_RDWR | O_CLOEXEC);
	if (live.kvm < 0)
		skipped("cannot open %s: %s", getenv("LIVE_KVM_DEV") ?: "/dev/kvm", strerror(errno));
	if (ioctl(live.kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		skipped("/dev/kvm does not speak KVM API version %d", KVM_API_VERSION);
	types = check_ext(live.kvm, KVM_CAP_VM_TYPES);
	live.type = X86_DEFAULT_VM;
	live.vm = ioctl(live.kvm, KVM_CREATE_VM, live.type);
	if (live.vm < 0)
		skipped("KVM_CREATE_VM(type 0) failed: %s", strerror(errno));
#if defined(__x86_64__) || defined(__i386__)
	if (check_ext(live.vm, KVM_CAP_GUEST_MEMFD) <= 0 && (types & (1 << X86_SW_PROTECTED_VM))) {
		int vm = ioctl(live.kvm, KVM_CREATE_VM, X86_SW_PROTECTED_VM);

		if (vm >= 0) {
			close(live.vm);
			live.vm = vm;
			live.type = X86_SW_PROTECTED_VM;
		}
	}
#else
	(void)types;
#endif
	if (check_ext(live.vm, KVM_CAP_USER_MEMORY2) <= 0)
		skipped("no KVM_CAP_USER_MEMORY2 (KVM_SET_USER_MEMORY_REGION2) in %s", live.release);
	if (check_ext(live.vm, KVM_CAP_GUEST_MEMFD) <= 0)
		skipped("no KVM_CAP_GUEST_MEMFD on VM type %d of %s", live.type, live.release);
	live.nr_as = check_ext(live.vm, KVM_CAP_MULTI_ADDRESS_SPACE);
	if (live.nr_as < 1)
		live.nr_as = 1;
	live.readonly = check_ext(live.vm, KVM_CAP_READONLY_MEM);
	live.user_slots = check_ext(live.vm, KVM_CAP_NR_MEMSLOTS);
	live.gmem_flags = (uint64_t)check_ext(live.vm, KVM_CAP_GUEST_MEMFD_FLAGS);
	live.gmem_slots = probe_gmem_slot(live.type);
	for (int i = 0; i < MAX_FILES; i++)
		live.fd[i] = -1;
	if (verbose)
		printf("live: VM type %d: %d address space(s), read-only %d, %d user memslots, "
		       "guest_memfd flags 0x%" PRIx64 ", KVM_MEM_GUEST_MEMFD slots %s\n", live.type, live.nr_as,
		       live.readonly, live.user_slots, live.gmem_flags, live.gmem_slots ? "accepted" : "refused");
}

/* Back [hva, hva + size) with anonymous memory where nothing is mapped yet. */
void map_range(uint64_t hva, uint64_t size)
{
	uint64_t start = hva & ~(PAGE - 1), end;
	int failed = 0;
	void *p;

	if (no_map || !size || size > MAP_CAP || hva + size < hva)
		return;
	end = (hva + size + PAGE - 1) & ~(PAGE - 1);
	p = mmap((void *)(uintptr_t)start, end - start, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != MAP_FAILED && (uint64_t)(uintptr_t)p == start) {
		pages_mapped += (end - start) / PAGE;
		return;
	}
	if (p != MAP_FAILED)	/* a kernel without MAP_FIXED_NOREPLACE took it as a hint */
		munmap(p, end - start);
	for (uint64_t a = start; a < end; a += PAGE) {
		p = mmap((void *)(uintptr_t)a, PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
		if (p != MAP_FAILED && (uint64_t)(uintptr_t)p == a) {
			pages_mapped++;
			continue;
		}
		if (p != MAP_FAILED)
			munmap(p, PAGE);
		else if (errno == EEXIST)
			continue;	/* mapped already: an earlier request, or this process */
		if (verbose && !failed++)
			printf("live: note: request %lu: page 0x%" PRIx64 " cannot be mapped (%s); passed to KVM as it is\n",
			       nreq, a, p == MAP_FAILED ? strerror(errno) : "placed elsewhere");
		pages_unmappable++;
	}
}


/* A result as the reports print it: "fd", "0" or "-22 (EINVAL)". */
static const char *errname(int rc)
{
	static char buf[32];

	switch (-rc) {
	case EINVAL: return "EINVAL";
	case EEXIST: return "EEXIST";
	case EBADF: return "EBADF";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case EIO: return "EIO";
	case EMFILE: return "EMFILE";
	case EPERM: return "EPERM";
	case ENOTTY: return "ENOTTY";
	case ENOSYS: return "ENOSYS";
	}
	snprintf(buf, sizeof(buf), "errno %d", -rc);
	return buf;
}

const char *rcstr(int rc, bool is_fd, char *buf, size_t n)
{
	if (rc >= 0)
		snprintf(buf, n, is_fd ? "fd" : "%d", rc);
	else
		snprintf(buf, n, "%d (%s)", rc, errname(rc));
	return buf;
}
