// SPDX-License-Identifier: GPL-2.0
// In-vivo check: does an MMU notifier on a gmem-only memslot's hva zap its KVM mappings?
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <linux/kvm.h>

/*
 * Debian 12's linux-libc-dev (6.1) predates guest_memfd.  The values below
 * are the ABI of include/uapi/linux/kvm.h in Linux 6.18 (cap 244 was briefly
 * named KVM_CAP_GUEST_MEMFD_MMAP during 6.18-rc, with the same number).
 */
#include "kvm_uapi_fallback.h"

#define PAGE 4096UL

/*
 * Guest physical layout (identity-mapped by the guest's own page tables):
 * an ordinary "boot" slot with page tables and code, the gmem-only data
 * slot, and the ordinary (anonymous) control data slot.
 */
#define BOOT_GPA 0x0UL
#define BOOT_SIZE 0x10000UL
#define PML4_GPA 0x2000UL
#define PDPT_GPA 0x3000UL
#define PD_GPA 0x4000UL
#define UCODE_GPA 0x6000UL   /* the guest: a user-mode touch loop */
#define GMEM_GPA 0x200000UL  /* gmem-only slot */
#define ANON_GPA 0x800000UL  /* ordinary (anonymous) control slot */
#define MMIO_GPA 0x1000000UL /* no memslot: a store here exits to us */
#define MAX_PAGES 512        /* keep each data slot within one 2 MiB guest page */

enum { SLOT_BOOT, SLOT_GMEM, SLOT_ANON };

enum trigger { TRIG_DONTNEED, TRIG_MPROTECT, TRIG_PAGEOUT, TRIG_COLD, TRIG_NONE };
static const char *const trig_names[] = { "dontneed", "mprotect", "pageout", "cold", "none" };

static bool verbose;

void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	printf("in-vivo: error: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(": %s\n", strerror(e));
	exit(1);
}

static void __attribute__((noreturn, format(printf, 1, 2))) skip(const char *fmt, ...)
{
	va_list ap;

	printf("in-vivo: skipped: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(0);
}

#include "invivo_stats.h"

/* ---- the VM and its guest ---- */

struct vm {
	int vm, vcpu;
	struct kvm_run *run;
	uint8_t *boot;
	struct stats vms, vcs;
};

static void set_region(int vm, uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size,
		       void *hva, int gmem_fd)
{
	struct kvm_userspace_memory_region2 r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
		.guest_memfd_offset = 0,
		.guest_memfd = gmem_fd < 0 ? 0 : (uint32_t)gmem_fd,
	};

	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &r))
		die("KVM_SET_USER_MEMORY_REGION2(slot %u)", slot);
}

/*
 * The guest is a single 64-bit user-mode (CPL 3) loop.  Besides being plain
 * x86, user mode matters for PVM-style KVM back ends (no VMX/SVM, as on the
 * machine this was written on): they emulate supervisor code instruction by
 * instruction, and emulated accesses go through the hva without ever
 * installing or faulting on KVM's shadow/stage-2 mappings.  User mode runs
 * natively, so its stores do go through the KVM MMU.
 *
 * UCODE_GPA (rdi = first data page, esi = page count, al = value):
 *   1: mov %al,(%rdi); add $0x1000,%rdi; dec %esi; jnz 1b; mov %al,(MMIO_GPA)
 * The final store hits a gpa with no memslot: KVM_EXIT_MMIO ends the run
 * without any guest exception delivery, so no IDT/GDT/TSS is needed.
 */
static const uint8_t ucode[] = {
	0x88, 0x07,                               /* mov %al,(%rdi)    */
	0x48, 0x81, 0xc7, 0x00, 0x10, 0x00, 0x00, /* add $0x1000,%rdi  */
	0xff, 0xce,                               /* dec %esi          */
	0x75, 0xf3,                               /* jnz -13           */
	0x88, 0x04, 0x25,                         /* mov %al,MMIO_GPA  */
	MMIO_GPA & 0xff, (MMIO_GPA >> 8) & 0xff, (MMIO_GPA >> 16) & 0xff, MMIO_GPA >> 24,
};

/* x86 paging bits (Intel SDM vol. 3, 4.5). */
#define PTE_P 0x1ULL
#define PTE_W 0x2ULL
#define PTE_U 0x4ULL
#define PTE_A 0x20ULL
#define PTE_D 0x40ULL
#define PTE_PS 0x80ULL
#define SEL_UCODE 0x33 /* Linux's __USER_CS/__USER_DS, which PVM requires */
#define SEL_UDATA 0x2b

static void setup_guest(struct vm *v)
{
	uint64_t *pml4 = (void *)(v->boot + PML4_GPA);
	uint64_t *pdpt = (void *)(v->boot + PDPT_GPA);
	uint64_t *pd = (void *)(v->boot + PD_GPA);
	struct kvm_segment cs = {
		.limit = 0xffffffff, .selector = SEL_UCODE, .type = 11, .present = 1,
		.dpl = 3, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment ss = {
		.limit = 0xffffffff, .selector = SEL_UDATA, .type = 3, .present = 1,
		.dpl = 3, .s = 1, .db = 1, .g = 1,
	};
	struct kvm_segment null = { .unusable = 1 };
	struct kvm_sregs sr;

	memcpy(v->boot + UCODE_GPA, ucode, sizeof(ucode));

	/*
	 * Identity map the first 1 GiB with user 2 MiB pages.  A/D are preset
	 * so KVM never has to update guest PTEs (no extra faults or emulation).
	 */
	pml4[0] = PDPT_GPA | PTE_P | PTE_W | PTE_U | PTE_A;
	pdpt[0] = PD_GPA | PTE_P | PTE_W | PTE_U | PTE_A;
	for (uint64_t i = 0; i < 512; i++)
		pd[i] = (i << 21) | PTE_P | PTE_W | PTE_U | PTE_A | PTE_D | PTE_PS;

	if (ioctl(v->vcpu, KVM_GET_SREGS, &sr))
		die("KVM_GET_SREGS");
	/* Start directly at CPL 3; the hidden segment state needs no GDT. */
	sr.cs = cs;
	sr.ss = ss;
	sr.ds = sr.es = sr.fs = sr.gs = null;
	sr.cr0 = 0x80050033; /* PG AM WP NE ET MP PE */
	sr.cr3 = PML4_GPA;
	sr.cr4 = 1UL << 5;   /* PAE */
	sr.efer = 0x500;     /* LMA LME */
	if (ioctl(v->vcpu, KVM_SET_SREGS, &sr))
		die("KVM_SET_SREGS");
}

/* Run the guest loop over @pages pages at @gpa until it reaches the MMIO store. */
static void guest_touch(struct vm *v, uint64_t gpa, unsigned int pages, uint8_t val)
{
	struct kvm_regs regs = {
		.rip = UCODE_GPA, .rdi = gpa, .rsi = pages, .rax = val, .rflags = 0x202,
	};

	if (ioctl(v->vcpu, KVM_SET_REGS, &regs))
		die("KVM_SET_REGS");
	for (;;) {
		if (ioctl(v->vcpu, KVM_RUN, NULL)) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			die("KVM_RUN");
		}
		switch (v->run->exit_reason) {
		case KVM_EXIT_MMIO:
			if (v->run->mmio.phys_addr != MMIO_GPA || !v->run->mmio.is_write) {
				errno = EIO;
				die("unexpected MMIO at 0x%llx",
				    (unsigned long long)v->run->mmio.phys_addr);
			}
			/* Let KVM finish the emulated store before regs are reset. */
			v->run->immediate_exit = 1;
			if (ioctl(v->vcpu, KVM_RUN, NULL) == 0 || errno != EINTR)
				die("KVM_RUN(immediate_exit)");
			v->run->immediate_exit = 0;
			if (ioctl(v->vcpu, KVM_GET_REGS, &regs))
				die("KVM_GET_REGS");
			if (regs.rsi != 0) {
				errno = EIO;
				die("guest stopped early (rip 0x%llx, %llu pages left)",
				    (unsigned long long)regs.rip, (unsigned long long)regs.rsi);
			}
			return;
		case KVM_EXIT_FAIL_ENTRY:
			errno = EIO;
			die("KVM_RUN: KVM_EXIT_FAIL_ENTRY (hw reason 0x%llx)",
			    (unsigned long long)v->run->fail_entry.hardware_entry_failure_reason);
		case KVM_EXIT_INTERNAL_ERROR:
			errno = EIO;
			die("KVM_RUN: KVM_EXIT_INTERNAL_ERROR (suberror %u)",
			    v->run->internal.suberror);
		default:
			if (ioctl(v->vcpu, KVM_GET_REGS, &regs))
				die("KVM_GET_REGS");
			errno = EIO;
			die("KVM_RUN: unexpected exit reason %u at rip 0x%llx",
			    v->run->exit_reason, (unsigned long long)regs.rip);
		}
	}
}

static void vcpu_create(struct vm *v, int kvm)
{
	struct kvm_cpuid2 *cpuid;
	int run_size;

	v->boot = mmap(NULL, BOOT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v->boot == MAP_FAILED)
		die("mmap boot");
	set_region(v->vm, SLOT_BOOT, 0, BOOT_GPA, BOOT_SIZE, v->boot, -1);
	v->vcpu = ioctl(v->vm, KVM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		die("KVM_CREATE_VCPU");
	/* Give the vCPU the host-supported CPUID so long mode etc. are valid. */
	cpuid = calloc(1, sizeof(*cpuid) + 256 * sizeof(struct kvm_cpuid_entry2));
	if (!cpuid)
		die("calloc");
	cpuid->nent = 256;
	if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, cpuid))
		die("KVM_GET_SUPPORTED_CPUID");
	if (ioctl(v->vcpu, KVM_SET_CPUID2, cpuid))
		die("KVM_SET_CPUID2");
	free(cpuid);
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < 0)
		die("KVM_GET_VCPU_MMAP_SIZE");
	v->run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	if (v->run == MAP_FAILED)
		die("mmap kvm_run");
	setup_guest(v);
	stats_open(&v->vms, v->vm, "vm");
	stats_open(&v->vcs, v->vcpu, "vcpu");
}

/*
 * Fire an MMU notifier on [hva, hva+len).  MADV_DONTNEED (the default) zaps
 * the range through zap_page_range_single(), which always calls
 * mmu_notifier_invalidate_range_start(MMU_NOTIFY_CLEAR) for the whole range,
 * whether or not host PTEs are present; on the guest_memfd mapping
 * (MAP_SHARED file) it only drops PTEs, the folios stay in the file.  The
 * others are there to compare: mprotect() only notifies when page tables
 * exist for the range, PAGEOUT/COLD reclaim or age but do not invalidate.
 */
static void trigger_notifier(enum trigger t, void *hva, size_t len)
{
	switch (t) {
	case TRIG_DONTNEED:
		if (madvise(hva, len, MADV_DONTNEED))
			die("madvise(MADV_DONTNEED)");
		break;
	case TRIG_MPROTECT:
		if (mprotect(hva, len, PROT_READ) || mprotect(hva, len, PROT_READ | PROT_WRITE))
			die("mprotect");
		break;
	case TRIG_PAGEOUT:
		if (madvise(hva, len, MADV_PAGEOUT))
			die("madvise(MADV_PAGEOUT)");
		break;
	case TRIG_COLD:
		if (madvise(hva, len, MADV_COLD))
			die("madvise(MADV_COLD)");
		break;
	case TRIG_NONE:
		break;
	}
}

struct snap {
	uint64_t *vm, *vcpu;
};

static struct snap snap_take(struct vm *v)
{
	return (struct snap){ .vm = stats_read(&v->vms), .vcpu = stats_read(&v->vcs) };
}

static void snap_free(struct snap s)
{
	free(s.vm);
	free(s.vcpu);
}

/* vCPU pf_fixed; the caller has checked it exists. */
static int64_t pf_fixed(struct vm *v, struct snap s)
{
	int64_t x = 0;

	stat_get(&v->vcs, s.vcpu, "pf_fixed", &x);
	return x;
}

/* 4K pages mapped by KVM leaf SPTEs (VM pages_{4k,2m,1g}); -1 if unavailable. */
static int64_t mapped(struct vm *v, struct snap s)
{
	int64_t p4k, p2m = 0, p1g = 0;

	if (!stat_get(&v->vms, s.vm, "pages_4k", &p4k))
		return -1;
	stat_get(&v->vms, s.vm, "pages_2m", &p2m);
	stat_get(&v->vms, s.vm, "pages_1g", &p1g);
	return p4k + 512 * p2m + 512 * 512 * p1g;
}

/* Pages of [hva, +pages) in memory per mincore(), which faults nothing in. */
static unsigned int resident(void *hva, unsigned int pages)
{
	unsigned char vec[MAX_PAGES];
	unsigned int n = 0;

	if (mincore(hva, pages * PAGE, vec))
		die("mincore");
	for (unsigned int i = 0; i < pages; i++)
		n += vec[i] & 1;
	return n;
}

struct result {
	unsigned int refaulted;
	int64_t faults, remapped, zapped; /* raw numbers, for --verbose */
};

/*
 * Touch all pages (maps them), touch again (baseline: nothing should fault),
 * fire the notifier, touch a third time.
 *
 * Computation of R: a guest store to a page with no KVM mapping takes one
 * KVM page fault that installs a leaf SPTE (vCPU pf_fixed += 1); stores to
 * still-mapped pages do not fault.  So
 *   faults   = d(pf_fixed, 3rd touch) - d(pf_fixed, baseline touch)
 * counts the data pages that faulted again (the baseline cancels faults not
 * caused by the notifier, e.g. the code page; normally zero).  The fault
 * handler may also prefetch up to 7 neighbouring SPTEs (shadow MMU, when
 * the host PTEs are still there), which re-maps pages without a fault of
 * their own and makes "faults" undercount.  Hence also
 *   remapped = d(mapped, 3rd touch) - d(mapped, baseline touch)
 * from the VM's pages_4k/2m/1g, i.e. SPTEs rebuilt by that fault path.
 * R = max(faults, remapped), clamped to [0, P]: the number of data pages
 * whose KVM mapping was gone after the notifier and had to be faulted back.
 * "zapped" = drop of mapped pages across the notifier call is a cross-check.
 */
static struct result measure(struct vm *v, const char *label, uint64_t gpa, uint8_t *hva,
			     unsigned int pages, enum trigger t)
{
	struct snap s0, s1, s2, s3, s4;
	struct result r;
	int64_t best;
	unsigned int res_before, res_after;

	s0 = snap_take(v);
	guest_touch(v, gpa, pages, 1);
	s1 = snap_take(v);
	guest_touch(v, gpa, pages, 2);
	s2 = snap_take(v);
	res_before = resident(hva, pages);
	trigger_notifier(t, hva, pages * PAGE);
	res_after = resident(hva, pages);
	s3 = snap_take(v);
	guest_touch(v, gpa, pages, 3);
	s4 = snap_take(v);

	r.faults = (pf_fixed(v, s4) - pf_fixed(v, s3)) - (pf_fixed(v, s2) - pf_fixed(v, s1));
	r.remapped = r.zapped = -1;
	if (mapped(v, s0) >= 0) {
		r.remapped = (mapped(v, s4) - mapped(v, s3)) - (mapped(v, s2) - mapped(v, s1));
		r.zapped = mapped(v, s2) - mapped(v, s3);
	}
	best = r.faults > r.remapped ? r.faults : r.remapped;
	r.refaulted = best < 0 ? 0 : best > pages ? pages : (unsigned int)best;

	if (verbose) {
		printf("%s slot: gpa 0x%llx, %u pages, trigger %s\n", label,
		       (unsigned long long)gpa, pages, trig_names[t]);
		stats_print_delta(&v->vcs, s0.vcpu, s1.vcpu, "vcpu 1st touch:");
		stats_print_delta(&v->vms, s0.vm, s1.vm, "vm   1st touch:");
		stats_print_delta(&v->vcs, s1.vcpu, s2.vcpu, "vcpu 2nd touch (baseline):");
		stats_print_delta(&v->vms, s1.vm, s2.vm, "vm   2nd touch (baseline):");
		stats_print_delta(&v->vms, s2.vm, s3.vm, "vm   across the notifier:");
		stats_print_delta(&v->vcs, s3.vcpu, s4.vcpu, "vcpu touch after notifier:");
		stats_print_delta(&v->vms, s3.vm, s4.vm, "vm   touch after notifier:");
		printf("  => faults %lld, remapped %lld, zapped at notifier %lld, R = %u; "
		       "resident pages %u -> %u across the notifier\n",
		       (long long)r.faults, (long long)r.remapped, (long long)r.zapped,
		       r.refaulted, res_before, res_after);
	}
	snap_free(s0);
	snap_free(s1);
	snap_free(s2);
	snap_free(s3);
	snap_free(s4);
	return r;
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [--verbose] [--dev PATH] [--pages N (1..%d, default 64)]\n"
		"          [--trigger dontneed|mprotect|pageout|cold|none] [--no-host-touch]\n"
		"  INVIVO_KVM_DEV=PATH also replaces /dev/kvm (e.g. to test the skip path).\n",
		argv0, MAX_PAGES);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *dev = getenv("INVIVO_KVM_DEV") ?: "/dev/kvm";
	unsigned int pages = 64;
	enum trigger trig = TRIG_DONTNEED;
	bool host_touch = true;
	struct kvm_create_guest_memfd gm = { 0 };
	struct result rg, ra;
	struct snap s;
	struct vm v;
	int kvm, gfd;
	long flags;
	uint8_t *gmem, *anon;
	int64_t dummy;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v")) {
			verbose = true;
		} else if (!strcmp(argv[i], "--dev") && i + 1 < argc) {
			dev = argv[++i];
		} else if (!strcmp(argv[i], "--pages") && i + 1 < argc) {
			char *end;

			pages = strtoul(argv[++i], &end, 0);
			if (*end || !pages || pages > MAX_PAGES)
				usage(argv[0]);
		} else if (!strcmp(argv[i], "--trigger") && i + 1 < argc) {
			unsigned int t;

			i++;
			for (t = 0; t <= TRIG_NONE; t++)
				if (!strcmp(argv[i], trig_names[t]))
					break;
			if (t > TRIG_NONE)
				usage(argv[0]);
			trig = t;
		} else if (!strcmp(argv[i], "--no-host-touch")) {
			host_touch = false;
		} else {
			usage(argv[0]);
		}
	}

	kvm = open(dev, O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		skip("cannot open %s: %s", dev, strerror(errno));
	if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		skip("%s is not a KVM device with API version %d", dev, KVM_API_VERSION);
	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_BINARY_STATS_FD) <= 0)
		skip("no KVM_CAP_BINARY_STATS_FD");

	v.vm = ioctl(kvm, KVM_CREATE_VM, 0 /* KVM_X86_DEFAULT_VM */);
	if (v.vm < 0)
		die("KVM_CREATE_VM");
	/* Checked on the VM: guest_memfd support depends on the VM type. */
	if (ioctl(v.vm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY2) <= 0)
		skip("no KVM_CAP_USER_MEMORY2");
	if (ioctl(v.vm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD) <= 0)
		skip("no KVM_CAP_GUEST_MEMFD for KVM_X86_DEFAULT_VM");
	flags = ioctl(v.vm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD_FLAGS);
	if (flags < 0)
		flags = 0;
	if (!(flags & GUEST_MEMFD_FLAG_MMAP))
		skip("guest_memfd lacks GUEST_MEMFD_FLAG_MMAP (KVM_CAP_GUEST_MEMFD_FLAGS = %#lx)",
		     flags);
	if (!(flags & GUEST_MEMFD_FLAG_INIT_SHARED))
		skip("guest_memfd lacks GUEST_MEMFD_FLAG_INIT_SHARED (KVM_CAP_GUEST_MEMFD_FLAGS = %#lx)",
		     flags);

	vcpu_create(&v, kvm);
	s = snap_take(&v);
	if (!stat_get(&v.vcs, s.vcpu, "pf_fixed", &dummy))
		skip("no vCPU pf_fixed statistic");
	snap_free(s);

	gm.size = pages * PAGE;
	gm.flags = GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED;
	gfd = ioctl(v.vm, KVM_CREATE_GUEST_MEMFD, &gm);
	if (gfd < 0)
		die("KVM_CREATE_GUEST_MEMFD(MMAP|INIT_SHARED)");
	/* The slot's hva IS this guest_memfd mapping (a gmem-only slot). */
	gmem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gfd, 0);
	if (gmem == MAP_FAILED)
		die("mmap guest_memfd");
	anon = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED)
		die("mmap anonymous");
	/* Keep the control slot at 4K like the gmem slot (one SPTE per page). */
	madvise(anon, pages * PAGE, MADV_NOHUGEPAGE);
	if (host_touch) {
		/* Populate host PTEs first, as a VMM loading guest data would. */
		memset(gmem, 0, pages * PAGE);
		memset(anon, 0, pages * PAGE);
	}
	set_region(v.vm, SLOT_GMEM, KVM_MEM_GUEST_MEMFD, GMEM_GPA, pages * PAGE, gmem, gfd);
	set_region(v.vm, SLOT_ANON, 0, ANON_GPA, pages * PAGE, anon, -1);

	if (verbose)
		printf("KVM_CAP_GUEST_MEMFD_FLAGS = %#lx; host pre-touch %s\n", flags,
		       host_touch ? "on" : "off");
	rg = measure(&v, "gmem-only", GMEM_GPA, gmem, pages, trig);
	ra = measure(&v, "ordinary", ANON_GPA, anon, pages, trig);

	/* The guest's last stores must be visible through the slots' hvas. */
	for (unsigned int i = 0; i < pages; i++) {
		if (gmem[i * PAGE] != 3 || anon[i * PAGE] != 3) {
			errno = EIO;
			die("guest store to page %u not visible through the host mapping", i);
		}
	}

	printf("in-vivo: gmem-only slot re-faulted %u of %u pages after the notifier; "
	       "ordinary slot %u of %u\n", rg.refaulted, pages, ra.refaulted, pages);
	return 0;
}

#else /* !__x86_64__ */
int main(void)
{
	printf("in-vivo: skipped: not x86_64\n");
	return 0;
}
#endif
