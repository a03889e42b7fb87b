// SPDX-License-Identifier: GPL-2.0
// In-vivo check: does an MMU notifier on a gmem-only memslot's hva re-zap its KVM mappings?
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
#include <sys/stat.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <linux/kvm.h>

/*
 * Debian 12's linux-libc-dev (6.1) predates guest_memfd.  ABI values below are
 * those of include/uapi/linux/kvm.h in Linux 6.18 (KVM_CAP_GUEST_MEMFD_FLAGS was
 * briefly called KVM_CAP_GUEST_MEMFD_MMAP during 6.18-rc, same number).
 */
#ifndef KVM_CAP_USER_MEMORY2
#define KVM_CAP_USER_MEMORY2 231
#endif
#ifndef KVM_CAP_GUEST_MEMFD
#define KVM_CAP_GUEST_MEMFD 234
#endif
#ifndef KVM_CAP_GUEST_MEMFD_FLAGS
#define KVM_CAP_GUEST_MEMFD_FLAGS 244
#endif
#ifndef KVM_MEM_GUEST_MEMFD
#define KVM_MEM_GUEST_MEMFD (1UL << 2)
#endif
#ifndef KVM_SET_USER_MEMORY_REGION2
struct kvm_userspace_memory_region2 {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
	__u64 guest_memfd_offset;
	__u32 guest_memfd;
	__u32 pad1;
	__u64 pad2[14];
};
#define KVM_SET_USER_MEMORY_REGION2 _IOW(KVMIO, 0x49, struct kvm_userspace_memory_region2)
#endif
#ifndef KVM_CREATE_GUEST_MEMFD
struct kvm_create_guest_memfd {
	__u64 size;
	__u64 flags;
	__u64 reserved[6];
};
#define KVM_CREATE_GUEST_MEMFD _IOWR(KVMIO, 0xd4, struct kvm_create_guest_memfd)
#endif
#ifndef GUEST_MEMFD_FLAG_MMAP
#define GUEST_MEMFD_FLAG_MMAP (1ULL << 0)
#endif
#ifndef GUEST_MEMFD_FLAG_INIT_SHARED
#define GUEST_MEMFD_FLAG_INIT_SHARED (1ULL << 1)
#endif

#define PAGE 4096UL

/*
 * Guest physical layout (identity-mapped by the guest's own page tables):
 * an ordinary "boot" slot with kernel code, page tables and user code, then
 * the gmem-only data slot and the ordinary (anonymous) control data slot.
 */
#define BOOT_GPA 0x0UL
#define BOOT_SIZE 0x10000UL
#define PML4_GPA 0x2000UL
#define PDPT_GPA 0x3000UL
#define PD_GPA 0x4000UL
#define UCODE_GPA 0x6000UL   /* the guest: a user-mode touch loop */
#define GMEM_GPA 0x200000UL  /* gmem-only slot */
#define ANON_GPA 0x800000UL  /* ordinary (anonymous) control slot */
#define MAX_PAGES 512        /* keep each data slot within one 2 MiB guest page */

enum { SLOT_BOOT, SLOT_GMEM, SLOT_ANON };

enum trigger { TRIG_DONTNEED, TRIG_MPROTECT, TRIG_PAGEOUT, TRIG_COLD, TRIG_NONE };
static const char *const trig_names[] = { "dontneed", "mprotect", "pageout", "cold", "none" };

static bool verbose;

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
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

/* ---- binary stats (Documentation/virt/kvm/api.rst, KVM_GET_STATS_FD) ---- */

struct stats {
	int fd;
	unsigned int n;
	char **name;
	uint32_t *off;    /* offset of the first u64 inside the data block */
	uint16_t *size;   /* number of u64s (1 for scalars, >1 for histograms) */
	uint32_t *type;
	size_t data_size;
	off_t data_offset;
};

static void stats_open(struct stats *s, int fd, const char *what)
{
	struct kvm_stats_header h;
	size_t dsz;
	char *descs;

	s->fd = ioctl(fd, KVM_GET_STATS_FD, NULL);
	if (s->fd < 0)
		die("KVM_GET_STATS_FD(%s)", what);
	if (pread(s->fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		die("read %s stats header", what);
	dsz = sizeof(struct kvm_stats_desc) + h.name_size;
	descs = calloc(h.num_desc, dsz);
	s->n = h.num_desc;
	s->name = calloc(s->n, sizeof(*s->name));
	s->off = calloc(s->n, sizeof(*s->off));
	s->size = calloc(s->n, sizeof(*s->size));
	s->type = calloc(s->n, sizeof(*s->type));
	if (!descs || !s->name || !s->off || !s->size || !s->type)
		die("calloc");
	if (pread(s->fd, descs, dsz * s->n, h.desc_offset) != (ssize_t)(dsz * s->n))
		die("read %s stats descriptors", what);
	s->data_size = 0;
	s->data_offset = h.data_offset;
	for (unsigned int i = 0; i < s->n; i++) {
		struct kvm_stats_desc *d = (void *)(descs + i * dsz);

		s->name[i] = strndup(d->name, h.name_size);
		s->off[i] = d->offset;
		s->size[i] = d->size;
		s->type[i] = d->flags & KVM_STATS_TYPE_MASK;
		if (d->offset + d->size * sizeof(uint64_t) > s->data_size)
			s->data_size = d->offset + d->size * sizeof(uint64_t);
	}
	free(descs);
}

static uint64_t *stats_read(struct stats *s)
{
	uint64_t *buf = malloc(s->data_size);

	if (!buf)
		die("malloc");
	if (pread(s->fd, buf, s->data_size, s->data_offset) != (ssize_t)s->data_size)
		die("read stats data");
	return buf;
}

/* Value of scalar stat @name in snapshot @snap, or -1 if the kernel lacks it. */
static int64_t stat_get(const struct stats *s, const uint64_t *snap, const char *name)
{
	for (unsigned int i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return (int64_t)snap[s->off[i] / sizeof(uint64_t)];
	return -1;
}

static void stats_print_delta(const struct stats *s, const uint64_t *a, const uint64_t *b,
			      const char *label)
{
	bool any = false;

	printf("  %-34s", label);
	for (unsigned int i = 0; i < s->n; i++) {
		uint64_t va, vb;

		if (s->size[i] != 1)
			continue;
		va = a[s->off[i] / 8];
		vb = b[s->off[i] / 8];
		if (va == vb)
			continue;
		printf(" %s%+lld", s->name[i], (long long)(vb - va));
		any = true;
	}
	printf("%s\n", any ? "" : " (no change)");
}

/* ---- VM setup ---- */

struct vm {
	int kvm, vm, vcpu;
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
 * x86, user mode matters for PVM-style KVM back ends (no VMX/SVM): they may
 * emulate supervisor code instruction by instruction, and emulated accesses
 * use the hva directly, never installing or faulting on KVM's shadow/stage-2
 * mappings.  User mode runs natively, so its writes go through the KVM MMU.
 *
 * UCODE_GPA (rdi = first data page, esi = page count, al = value):
 *   1: mov %al,(%rdi); add $0x1000,%rdi; dec %esi; jnz 1b; mov %al,(MMIO_GPA)
 * The final store hits a gpa with no memslot: KVM_EXIT_MMIO ends the run
 * without any guest exception delivery (so no IDT/GDT/TSS are needed).
 */
#define MMIO_GPA 0x1000000UL
static const uint8_t ucode[] = {
	0x88, 0x07,                               /* mov %al,(%rdi)        */
	0x48, 0x81, 0xc7, 0x00, 0x10, 0x00, 0x00, /* add $0x1000,%rdi      */
	0xff, 0xce,                               /* dec %esi              */
	0x75, 0xf3,                               /* jnz -13               */
	0x88, 0x04, 0x25,                         /* mov %al,MMIO_GPA      */
	MMIO_GPA & 0xff, (MMIO_GPA >> 8) & 0xff, (MMIO_GPA >> 16) & 0xff, MMIO_GPA >> 24,
};

/* x86 paging bits (Intel SDM vol. 3, 4.5). */
#define PTE_P 0x1ULL
#define PTE_W 0x2ULL
#define PTE_U 0x4ULL
#define PTE_A 0x20ULL
#define PTE_D 0x40ULL
#define PTE_PS 0x80ULL
#define SEL_UCODE 0x33 /* Linux's __USER_CS/__USER_DS; PVM requires these */
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
	 * so KVM never has to update guest PTEs (no extra faults/emulation).
	 */
	pml4[0] = PDPT_GPA | PTE_P | PTE_W | PTE_U | PTE_A;
	pdpt[0] = PD_GPA | PTE_P | PTE_W | PTE_U | PTE_A;
	for (uint64_t i = 0; i < 512; i++)
		pd[i] = (i << 21) | PTE_P | PTE_W | PTE_U | PTE_A | PTE_D | PTE_PS;

	if (ioctl(v->vcpu, KVM_GET_SREGS, &sr))
		die("KVM_GET_SREGS");
	/* Start directly at CPL 3; hidden segment state needs no GDT. */
	sr.cs = cs;
	sr.ss = ss;
	sr.ds = sr.es = sr.fs = sr.gs = null;
	sr.cr0 = 0x80050033;             /* PG AM WP NE ET MP PE */
	sr.cr3 = PML4_GPA;
	sr.cr4 = 1UL << 5;               /* PAE */
	sr.efer = 0x500;                 /* LMA LME */
	if (ioctl(v->vcpu, KVM_SET_SREGS, &sr))
		die("KVM_SET_SREGS");
}

/* Run the user loop over @pages pages at @gpa until it reaches the MMIO store. */
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

static void vm_create(struct vm *v, int kvm)
{
	int run_size;

	v->kvm = kvm;
	v->vm = ioctl(kvm, KVM_CREATE_VM, 0 /* KVM_X86_DEFAULT_VM */);
	if (v->vm < 0)
		die("KVM_CREATE_VM");
	v->boot = mmap(NULL, BOOT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v->boot == MAP_FAILED)
		die("mmap boot");
	set_region(v->vm, SLOT_BOOT, 0, BOOT_GPA, BOOT_SIZE, v->boot, -1);
	v->vcpu = ioctl(v->vm, KVM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		die("KVM_CREATE_VCPU");
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < 0)
		die("KVM_GET_VCPU_MMAP_SIZE");
	{
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 256 * sizeof(struct kvm_cpuid_entry2));

		c->nent = 256;
		if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c))
			die("KVM_GET_SUPPORTED_CPUID");
		if (ioctl(v->vcpu, KVM_SET_CPUID2, c))
			die("KVM_SET_CPUID2");
		free(c);
	}
	v->run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	if (v->run == MAP_FAILED)
		die("mmap kvm_run");
	setup_guest(v);
	stats_open(&v->vms, v->vm, "vm");
	stats_open(&v->vcs, v->vcpu, "vcpu");
}

/* Fire an MMU notifier on [hva, hva+len) without changing the data. */
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

struct result {
	unsigned int refaulted;
	int64_t zapped;   /* drop of VM pages_4k across the trigger, -1 if unknown */
};

static int64_t diff(const struct stats *s, const uint64_t *a, const uint64_t *b, const char *n)
{
	int64_t va = stat_get(s, a, n), vb = stat_get(s, b, n);

	return (va < 0 || vb < 0) ? 0 : vb - va;
}

/*
 * Touch, touch again (baseline: everything already mapped), fire the notifier,
 * touch a third time.  Every guest write to a page with no KVM mapping takes
 * one KVM page fault that installs a 4K SPTE and bumps vCPU pf_fixed by one;
 * writes to still-mapped pages fault not at all.  So the number of data pages
 * that re-faulted is pf_fixed(3rd run) - pf_fixed(baseline run); subtracting
 * the baseline cancels faults not caused by the notifier (normally zero).
 * The result is clamped to [0, P].
 */
static struct result measure(struct vm *v, const char *label, uint64_t gpa, void *hva,
			     unsigned int pages, enum trigger t)
{
	uint64_t *s0, *s1, *s2, *s3, *s4, *m1, *m2, *m3;
	struct result r;
	int64_t base, after, p4a, p4b;

	s0 = stats_read(&v->vcs);
	guest_touch(v, gpa, pages, 1);
	s1 = stats_read(&v->vcs);
	guest_touch(v, gpa, pages, 2);
	s2 = stats_read(&v->vcs);
	m1 = stats_read(&v->vms);
	trigger_notifier(t, hva, pages * PAGE);
	m2 = stats_read(&v->vms);
	s3 = stats_read(&v->vcs);
	guest_touch(v, gpa, pages, 3);
	s4 = stats_read(&v->vcs);
	m3 = stats_read(&v->vms);

	base = diff(&v->vcs, s1, s2, "pf_fixed");
	after = diff(&v->vcs, s3, s4, "pf_fixed");
	after -= base;
	if (after < 0)
		after = 0;
	if (after > pages)
		after = pages;
	r.refaulted = (unsigned int)after;
	p4a = stat_get(&v->vms, m1, "pages_4k");
	p4b = stat_get(&v->vms, m2, "pages_4k");
	r.zapped = (p4a < 0 || p4b < 0) ? -1 : p4a - p4b;

	if (verbose) {
		printf("%s slot (gpa 0x%llx, %u pages, trigger %s):\n", label,
		       (unsigned long long)gpa, pages, trig_names[t]);
		stats_print_delta(&v->vcs, s0, s1, "vcpu, 1st touch:");
		stats_print_delta(&v->vcs, s1, s2, "vcpu, 2nd touch (baseline):");
		stats_print_delta(&v->vms, m1, m2, "vm, across notifier:");
		stats_print_delta(&v->vcs, s3, s4, "vcpu, touch after notifier:");
		stats_print_delta(&v->vms, m2, m3, "vm, touch after notifier:");
		printf("  => re-faulted %u, pages_4k dropped by %lld at the notifier\n",
		       r.refaulted, (long long)r.zapped);
	}
	free(s0); free(s1); free(s2); free(s3); free(s4);
	free(m1); free(m2); free(m3);
	return r;
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [--verbose] [--dev PATH] [--pages N]\n"
		"          [--trigger dontneed|mprotect|pageout|cold|none] [--no-host-touch]\n"
		"  INVIVO_KVM_DEV overrides the default /dev/kvm too.\n", argv0);
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
	struct vm v;
	int kvm, gfd;
	long caps;
	void *gmem, *anon;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v")) {
			verbose = true;
		} else if (!strcmp(argv[i], "--dev") && i + 1 < argc) {
			dev = argv[++i];
		} else if (!strcmp(argv[i], "--pages") && i + 1 < argc) {
			pages = strtoul(argv[++i], NULL, 0);
			if (!pages || pages > MAX_PAGES)
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
		skip("%s: unexpected KVM API version", dev);
	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_BINARY_STATS_FD) <= 0)
		skip("no KVM_CAP_BINARY_STATS_FD");

	vm_create(&v, kvm);
	/* VM-scoped checks: guest_memfd support can depend on the VM type. */
	if (ioctl(v.vm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY2) <= 0)
		skip("no KVM_CAP_USER_MEMORY2");
	if (ioctl(v.vm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD) <= 0)
		skip("no KVM_CAP_GUEST_MEMFD");
	caps = ioctl(v.vm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD_FLAGS);
	if (caps <= 0 || !(caps & GUEST_MEMFD_FLAG_MMAP))
		skip("guest_memfd without GUEST_MEMFD_FLAG_MMAP (KVM_CAP_GUEST_MEMFD_FLAGS=%ld)", caps);
	if (!(caps & GUEST_MEMFD_FLAG_INIT_SHARED))
		skip("guest_memfd without GUEST_MEMFD_FLAG_INIT_SHARED (KVM_CAP_GUEST_MEMFD_FLAGS=%ld)",
		     caps);

	gm.size = pages * PAGE;
	gm.flags = GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED;
	gfd = ioctl(v.vm, KVM_CREATE_GUEST_MEMFD, &gm);
	if (gfd < 0)
		die("KVM_CREATE_GUEST_MEMFD");
	/* The slot's hva IS the guest_memfd mapping, so notifiers on it reach the gmem slot. */
	gmem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gfd, 0);
	if (gmem == MAP_FAILED)
		die("mmap guest_memfd");
	anon = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED)
		die("mmap anon");
	/* Keep the control slot at 4K granularity like the gmem slot. */
	madvise(anon, pages * PAGE, MADV_NOHUGEPAGE);
	if (host_touch) {
		/* Populate host PTEs, like a VMM that loaded guest data would. */
		memset(gmem, 0, pages * PAGE);
		memset(anon, 0, pages * PAGE);
	}
	set_region(v.vm, SLOT_GMEM, KVM_MEM_GUEST_MEMFD, GMEM_GPA, pages * PAGE, gmem, gfd);
	set_region(v.vm, SLOT_ANON, 0, ANON_GPA, pages * PAGE, anon, -1);

	rg = measure(&v, "gmem-only", GMEM_GPA, gmem, pages, trig);
	ra = measure(&v, "ordinary", ANON_GPA, anon, pages, trig);

	/* The guest's writes must be visible through the host mappings. */
	if (((volatile uint8_t *)gmem)[(pages - 1) * PAGE] != 3 ||
	    ((volatile uint8_t *)anon)[(pages - 1) * PAGE] != 3) {
		errno = EIO;
		die("guest writes not visible in the host mapping");
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
