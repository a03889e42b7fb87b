// SPDX-License-Identifier: GPL-2.0
/*
 * Return-code differential against the running kernel.
 *
 * Reads the trace a replay binary prints with KVM_HVA_FUZZ_TRACE=1 (stdin or
 * a file) and replays its memslot requests and guest_memfd creations on a
 * fresh VM of the running kernel through /dev/kvm:
 *
 *   trace: set_memory_region slot=AS:ID gpa=0x.. size=0x.. hva=0x.. flags=0x.. \
 *          guest_memfd=N offset=0x.. [injected] [vm_dead] -> RC
 *   trace: guest_memfd_create size=0x.. flags=0x.. [vm_dead] -> FD_OR_ERRNO
 *   trace: internal_memslot slot=AS:ID ... -> RC   (as set_memory_region)
 *
 * and "trace: op N KIND" lines name the scenario operation for the report.
 * Every other line is ignored.  guest_memfd=N names the guest_memfd the
 * scenario's creation returned N (the harness's file index); it is mapped to
 * the fd the running kernel returned for the same creation.  Each result is
 * compared (0 / -errno; any fd >= 0 equals any fd >= 0), and each divergence
 * is printed with a label:
 *
 *   address-space   the request's address space exists on one VM only
 *   internal-slots  the slot id is one x86 reserves for itself
 *   readonly        KVM_MEM_READONLY support differs between the two VMs
 *   gmem-flags      a guest_memfd flag one kernel lacks
 *   gmem-unknown    KVM_MEM_GUEST_MEMFD on a tree older than guest_memfd (6.8)
 *   gmem-vm-type    KVM_MEM_GUEST_MEMFD refused on the chosen VM type
 *   gmem-bind-errno a taken guest_memfd range: -EEXIST or -EINVAL (oracle/uapi.c)
 *   harness-fd-limit the harness hands out 16 guest_memfd fds, then -EMFILE
 *   follow-on       the VMs hold different slots or files after an earlier divergence,
 *                   or an [internal-slot] the harness set (x86's path; not replayed)
 *   unexplained     none of the above: a real difference to investigate
 *
 * Requests marked "injected" (an injected failure fired in the harness) run, so
 * both VMs stay in step where they can, but are not compared ([injected] shows
 * both results); so are "vm_dead" ones ([vm-dead]): an unpaired invalidate_range_end,
 * which userspace cannot issue, made the harness VM refuse every ioctl with -EIO.
 *
 * Host memory: each request's [hva, hva + size) is mmap'ed (anonymous,
 * MAP_FIXED_NOREPLACE, page by page where part of it is taken already) before
 * the ioctl, up to 64 MiB per request.  Addresses are never relocated: the
 * set-memory-region path range-checks the hva (access_ok against TASK_SIZE_MAX)
 * and relocating would change exactly that verdict; pages that cannot be
 * mapped (beyond TASK_SIZE, already taken by this process) stay unmapped,
 * which x86 KVM does not look at when a memslot is set (-v counts them;
 * --no-map shows the results do not change).
 *
 * Output: divergence lines, then exactly one summary line
 *   live: <N> requests compared, <D> divergences (running <uname -r>, tree <V>)
 * or, when the running kernel cannot take part, "live: skipped: <reason>".
 * Exit status: 0 compared (all divergences explained) or skipped, 1 some
 * divergence is unexplained, 2 bad input or a usage error.
 *
 * VM type: KVM_X86_DEFAULT_VM (type 0) when it supports guest_memfd
 * (KVM_CHECK_EXTENSION(KVM_CAP_GUEST_MEMFD) on the VM), else
 * KVM_X86_SW_PROTECTED_VM when KVM_CAP_VM_TYPES offers it; otherwise skipped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/kvm.h>

/* Newer uapi than Debian 12's linux-libc-dev (6.1); values as in Linux 6.18 / 7.x. */
#include "kvm_uapi_fallback.h"
#include "live_vm.h"
#include "../../shims/model_limits.h"	/* MODEL_MAX_FILES: guest_memfd fds the harness hands out */

#define MAX_SLOTS 512

/*
 * What the harness's VM model is, for the labels: its x86 trees keep 3 ids
 * for internal memslots (KVM_USER_MEM_SLOTS = SHRT_MAX - 3), TASK_SIZE_MAX is
 * 2^47 - 4096, and the scenario header picks 1 or 2 address spaces and
 * read-only support on or off (harness/driver.c, decode_settings()).
 */
#define HARNESS_USER_MEM_SLOTS 32764

/* ---- the two sides' memslots and files, as far as results show them ---------------- */

struct slot {
	bool used;
	unsigned int as, id;
	uint64_t base_gfn, npages, hva, pgoff;
	uint32_t flags;
	int file;		/* harness file index bound, -1 if none */
};

struct side {
	struct slot slots[MAX_SLOTS];
	bool file[MAX_FILES];	/* file index exists on this side */
};

static struct side tree_side, live_side;

static struct slot *find_slot(struct side *s, unsigned int as, unsigned int id)
{
	for (int i = 0; i < MAX_SLOTS; i++)
		if (s->slots[i].used && s->slots[i].as == as && s->slots[i].id == id)
			return &s->slots[i];
	return NULL;
}

#define VM_DEAD_WHY "the harness VM was marked dead (KVM_BUG_ON after an unpaired invalidate_range_end, which " \
	"userspace cannot issue to the running kernel): it refuses every ioctl with -EIO"

struct request {
	unsigned int as, id;
	uint64_t gpa, size, hva, offset;
	uint32_t flags, gmem;
	bool injected;
	int rc;
	bool vm_dead;
};

/* A successful request changes the side's slots the way KVM does. */
static void apply(struct side *s, const struct request *q)
{
	struct slot *sl = find_slot(s, q->as, q->id);

	if (!q->size) {
		if (sl)
			sl->used = false;
		return;
	}
	if (sl) {		/* move or flags-only */
		sl->base_gfn = q->gpa / PAGE;
		sl->flags = q->flags;
		return;
	}
	for (int i = 0; i < MAX_SLOTS; i++) {
		if (s->slots[i].used)
			continue;
		s->slots[i] = (struct slot){ true, q->as, q->id, q->gpa / PAGE, q->size / PAGE, q->hva,
					     q->offset / PAGE, q->flags,
					     (q->flags & KVM_MEM_GUEST_MEMFD) ? (int)q->gmem : -1 };
		return;
	}
}

static bool same_slot(const struct slot *a, const struct slot *b)
{
	return a->base_gfn == b->base_gfn && a->npages == b->npages && a->hva == b->hva &&
	       a->flags == b->flags && a->file == b->file && a->pgoff == b->pgoff;
}

/* Does every used slot that pick() selects, on either side, have an equal twin on the other? */
static bool twins_equal(bool (*pick)(const struct slot *s, int key), int key)
{
	for (int k = 0; k < 2; k++) {
		struct side *a = k ? &live_side : &tree_side, *b = k ? &tree_side : &live_side;

		for (int i = 0; i < MAX_SLOTS; i++) {
			struct slot *o;

			if (!a->slots[i].used || !pick(&a->slots[i], key))
				continue;
			o = find_slot(b, a->slots[i].as, a->slots[i].id);
			if (!o || !same_slot(&a->slots[i], o))
				return false;
		}
	}
	return true;
}

static bool in_as(const struct slot *s, int as) { return s->as == (unsigned int)as; }
static bool bound_to(const struct slot *s, int f) { return s->file == f; }

/* Do the two sides hold the same slots in address space as? */
static bool same_as(unsigned int as)
{
	return twins_equal(in_as, (int)as);
}

/* Do the two sides hold the same file, bound the same way, for harness file index f? */
static bool same_file(int f)
{
	if (f < 0 || f >= MAX_FILES)
		return true;
	return tree_side.file[f] == live_side.file[f] && twins_equal(bound_to, f);
}

/* Is [pgoff, pgoff + npages) of file f bound to a slot on side s? */
static bool range_bound(struct side *s, int f, uint64_t pgoff, uint64_t npages)
{
	for (int i = 0; i < MAX_SLOTS; i++) {
		struct slot *o = &s->slots[i];

		if (o->used && o->file == f && pgoff < o->pgoff + o->npages && o->pgoff < pgoff + npages)
			return true;
	}
	return false;
}

/* ---- the running kernel --------------------------------------------------------- */


static const char *tree_version = "unknown", *name = "-";
static unsigned long compared, divergences, unexplained, lineno;
/* What the trace itself shows about the harness VM */
static bool tree_took_as1, tree_took_readonly;
/* Where the two sides first split: per address space and per harness file index */
struct split {
	unsigned long request;	/* 0: not split */
	char label[24];
};
#define MAX_AS 512		/* slot >> 16 of a 32-bit slot: raw requests reach 0x1ff */
static struct split as_split[MAX_AS], file_split[MAX_FILES];

static struct split follow_root;	/* the split the last follow-on divergence goes back to */

static void mark_split(struct split *sp, const char *label)
{
	if (sp->request)
		return;
	if (!strcmp(label, "follow-on")) {	/* name the root cause, not the chain */
		*sp = follow_root;
		return;
	}
	sp->request = nreq;
	snprintf(sp->label, sizeof(sp->label), "%s", label);
}

static char request_text[512];
static int op = -1;	/* the scenario operation, from "trace: op N KIND" lines where the replay prints them */

/* ---- reporting ---------------------------------------------------------------------- */

/* live: WHAT [LABEL] NAME request K[ (op N)]: REQUEST: tree RC, live RC[: WHY] */
static void report(const char *what, const char *label, int tree_rc, int live_rc, bool is_fd,
		   const char *fmt, ...)
{
	char a[48], b[48];
	va_list ap;

	printf("live: %s [%s] %s request %lu", what, label, name, nreq);
	if (op >= 0)
		printf(" (op %d)", op);
	printf(": %s: tree %s, live %s", request_text, rcstr(tree_rc, is_fd, a, sizeof(a)),
	       rcstr(live_rc, is_fd, b, sizeof(b)));
	if (fmt) {
		printf(": ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
}

/* ---- replaying -------------------------------------------------------------------- */

/* Is the tree (--tree VERSION) older than major.minor?  Unknown versions are not. */
static bool tree_before(int major, int minor)
{
	int ma, mi;

	if (sscanf(tree_version, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma < major || (ma == major && mi < minor);
}

/* Why do the two results differ?  Returns the label; writes the explanation. */
static const char *classify(const struct request *q, int live_rc, char *why, size_t n)
{
	bool gmem = q->flags & KVM_MEM_GUEST_MEMFD;
	int tree_rc = q->rc;

	if (q->as >= (unsigned int)live.nr_as && live_rc == -EINVAL && tree_rc != -EINVAL) {
		snprintf(why, n, "address space %u: the running kernel's VM has %d address space%s "
			 "(KVM_CAP_MULTI_ADDRESS_SPACE; x86 has 2 only with CONFIG_KVM_SMM), the harness VM "
			 "had 2 (%s)", q->as, live.nr_as, live.nr_as == 1 ? "" : "s",
			 tree_before(6, 8) ? "the tree's KVM_ADDRESS_SPACE_NUM is a compile-time 2; per-VM counts "
			 "came in 6.8" : "scenario vm address_spaces=2");
		return "address-space";
	}
	if (q->as >= 1 && q->as < (unsigned int)live.nr_as && tree_rc == -EINVAL && live_rc != -EINVAL &&
	    !tree_took_as1) {
		snprintf(why, n, "address space %u: the harness VM had 1 address space (scenario vm "
			 "address_spaces=1), the running kernel's VM has %d", q->as, live.nr_as);
		return "address-space";
	}
	if (q->id >= (unsigned int)live.user_slots && q->id < HARNESS_USER_MEM_SLOTS && live_rc == -EINVAL) {
		snprintf(why, n, "slot id %u: the running kernel keeps ids %d.. for itself (KVM_CAP_NR_MEMSLOTS %d, "
			 "x86 KVM_INTERNAL_MEM_SLOTS), the harness's tree has %d user slots",
			 q->id, live.user_slots, live.user_slots, HARNESS_USER_MEM_SLOTS);
		return "internal-slots";
	}
	if ((q->flags & KVM_MEM_READONLY) && !gmem && tree_rc == -EINVAL && live_rc != -EINVAL &&
	    live.readonly && !tree_took_readonly) {
		snprintf(why, n, "KVM_MEM_READONLY: the harness VM had read-only memslots off (scenario vm "
			 "readonly_mem=0), the running kernel's VM supports them (KVM_CAP_READONLY_MEM)");
		return "readonly";
	}
	if ((q->flags & KVM_MEM_READONLY) && !gmem && live_rc == -EINVAL && tree_rc != -EINVAL && !live.readonly) {
		snprintf(why, n, "KVM_MEM_READONLY: the running kernel's VM type %d has no read-only memslots",
			 live.type);
		return "readonly";
	}
	if (gmem && tree_rc == -EINVAL && live_rc != -EINVAL && tree_before(6, 8)) {
		snprintf(why, n, "KVM_MEM_GUEST_MEMFD: the tree (%s) predates guest_memfd (Linux 6.8), so the flag "
			 "is invalid there; the running kernel takes it and checks the fd", tree_version);
		return "gmem-unknown";
	}
	if (gmem && !live.gmem_slots && live_rc == -EINVAL && tree_rc != -EINVAL) {
		snprintf(why, n, "KVM_MEM_GUEST_MEMFD: VM type %d of the running kernel refuses guest_memfd "
			 "memslots (kvm_arch_has_private_mem()), the harness VM accepts them", live.type);
		return "gmem-vm-type";
	}
	if (gmem && tree_rc == -EINVAL && live_rc == 0 && q->offset < (1ULL << 63) &&
	    q->offset + q->size >= (1ULL << 63) && same_as(q->as) && same_file((int)q->gmem)) {
		snprintf(why, n, "guest_memfd offset %#" PRIx64 " + size %#" PRIx64 " passes 2^63: the running kernel "
			 "adds them as a signed loff_t, which wraps negative and passes its i_size check (the bug "
			 "\"Treat memslot binding offset+size as unsigned values\" fixed; Debian 6.12.113 has it too); "
			 "the tree checks them unsigned", q->offset, q->size);
		return "gmem-offset-signed";
	}
	if (gmem && tree_rc == -EEXIST && live_rc == -EINVAL && same_as(q->as) && same_file((int)q->gmem) &&
	    range_bound(&tree_side, (int)q->gmem, q->offset / PAGE, q->size / PAGE)) {
		snprintf(why, n, "guest_memfd pages %#" PRIx64 "+%" PRIu64 " are bound already: the tree "
			 "returns -EEXIST (7.x, kvm_gmem_commit_memory_region()), the running kernel -EINVAL "
			 "(kvm_gmem_bind(), as in 6.12 and 6.18)", q->offset / PAGE, q->size / PAGE);
		return "gmem-bind-errno";
	}
	if (!same_as(q->as)) {
		const struct split *sp = &as_split[q->as % MAX_AS];

		follow_root = *sp;
		snprintf(why, n, "the two VMs hold different memslots in address space %u since request %lu [%s]",
			 q->as, sp->request, sp->label);
		return "follow-on";
	}
	if (gmem && !same_file((int)q->gmem)) {
		const struct split *sp = q->gmem < MAX_FILES ? &file_split[q->gmem] : &file_split[0];

		follow_root = *sp;
		snprintf(why, n, "the two VMs hold a different guest_memfd %u, or bind it differently, since "
			 "request %lu [%s]", q->gmem, sp->request, sp->label);
		return "follow-on";
	}
	snprintf(why, n, "same memslots and files on both sides; no known version or configuration difference "
		 "explains it");
	return "unexplained";
}

static void set_memory_region(struct request *q)
{
	struct kvm_userspace_memory_region2 r = { 0 };
	const char *label = "ok";
	int live_rc;

	r.slot = q->as << 16 | q->id;
	r.flags = q->flags;
	r.guest_phys_addr = q->gpa;
	r.memory_size = q->size;
	r.userspace_addr = q->hva;
	r.guest_memfd_offset = q->offset;
	if (q->flags & KVM_MEM_GUEST_MEMFD)
		r.guest_memfd = q->gmem < MAX_FILES && live.fd[q->gmem] >= 0 ? (uint32_t)live.fd[q->gmem] : BAD_FD;
	map_range(q->hva, q->size);
	live_rc = ioctl(live.vm, KVM_SET_USER_MEMORY_REGION2, &r) ? -errno : 0;

	if (q->rc == 0 && q->as >= 1)
		tree_took_as1 = true;
	if (q->rc == 0 && (q->flags & KVM_MEM_READONLY))
		tree_took_readonly = true;
	if (q->injected || q->vm_dead) {
		label = q->vm_dead ? "vm-dead" : "injected";
		report("not compared", label, q->rc, live_rc, false, q->vm_dead ? VM_DEAD_WHY :
		       "an injected allocation/arch failure fired in the harness");
	} else {
		compared++;
		if (live_rc != q->rc) {
			char why[400];

			label = classify(q, live_rc, why, sizeof(why));

			divergences++;
			if (!strcmp(label, "unexplained"))
				unexplained++;
			report("divergence", label, q->rc, live_rc, false, "%s", why);
		} else if (verbose) {
			report("same", "ok", q->rc, live_rc, false, NULL);
		}
	}
	if ((q->rc == 0) != (live_rc == 0)) {
		/* one side changed its memslots, the other did not */
		mark_split(&as_split[q->as % MAX_AS], label);
		if ((q->flags & KVM_MEM_GUEST_MEMFD) && q->gmem < MAX_FILES)
			mark_split(&file_split[q->gmem], label);
	}
	if (q->rc == 0)
		apply(&tree_side, q);
	if (live_rc == 0) {
		struct request l = *q;

		apply(&live_side, &l);
	}
}

static void gmem_create(uint64_t size, uint64_t flags, int tree_rc, bool vm_dead)
{
	struct kvm_create_guest_memfd g = { .size = size, .flags = flags };
	int fd = ioctl(live.vm, KVM_CREATE_GUEST_MEMFD, &g), live_rc = fd >= 0 ? fd : -errno;
	const char *label;
	char why[300];

	if (vm_dead) {
		if (fd >= 0)
			close(fd);	/* the harness has no file to name it by */
		report("not compared", "vm-dead", tree_rc, live_rc, true, VM_DEAD_WHY);
		return;
	}
	compared++;
	if (tree_rc >= 0 && tree_rc < MAX_FILES) {
		tree_side.file[tree_rc] = true;
		live.fd[tree_rc] = fd;
		live_side.file[tree_rc] = fd >= 0;
	} else if (tree_rc >= MAX_FILES) {
		bad("line %lu: guest_memfd index %d out of range", lineno, tree_rc);
	} else if (fd >= 0) {
		close(fd);	/* the harness has no file to name it by */
	}
	if ((tree_rc >= 0) == (live_rc >= 0) && (tree_rc >= 0 || tree_rc == live_rc)) {
		if (verbose)
			report("same", "ok", tree_rc, live_rc, true, NULL);
		return;
	}
	divergences++;
	if (live_rc == -EINVAL && tree_rc >= 0 && (flags & ~live.gmem_flags)) {
		label = "gmem-flags";
		snprintf(why, sizeof(why), "the running kernel's guest_memfd lacks flag(s) 0x%" PRIx64
			 " (KVM_CAP_GUEST_MEMFD_FLAGS 0x%" PRIx64 ")", flags & ~live.gmem_flags, live.gmem_flags);
	} else if (tree_rc == -EMFILE && live_rc >= 0) {
		label = "harness-fd-limit";
		snprintf(why, sizeof(why), "the harness models at most %d open guest_memfd files "
			 "(MODEL_MAX_FILES, shims/model_limits.h), the running kernel is bounded by RLIMIT_NOFILE",
			 MODEL_MAX_FILES);
	} else if (tree_rc == -EINVAL && live_rc >= 0 && flags) {
		label = "gmem-flags";
		snprintf(why, sizeof(why), "the tree's guest_memfd lacks flag(s) 0x%" PRIx64 " the running "
			 "kernel accepts", flags);
	} else {
		label = "unexplained";
		unexplained++;
		snprintf(why, sizeof(why), "no known version or configuration difference explains it");
	}
	report("divergence", label, tree_rc, live_rc, true, "%s", why);
	if (tree_rc >= 0 && tree_rc < MAX_FILES && live_rc < 0)
		mark_split(&file_split[tree_rc], label);	/* the harness names a file the VM lacks */
}

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = 0;
}

/* the first pass only reads: a trace it cannot read is bad input before any capability probe */
static bool check_only;

static void parse_line(char *line)
{
	unsigned long long gpa, size, hva, offset, flags;
	unsigned int as, id, fl, gmem;
	int pos = -1, rc;
	char *p;

	trim(line);
	if (sscanf(line, "trace: op %d %n", &rc, &pos) == 1 && pos > 0) {
		op = rc;
	} else if (!strncmp(line, "trace: set_memory_region ", 25) || !strncmp(line, "trace: internal_memslot ", 24)) {
		struct request q = { 0 };
		bool internal = line[7] == 'i';

		if (sscanf(line + (internal ? 24 : 25), "slot=%u:%u gpa=0x%llx size=0x%llx hva=0x%llx flags=0x%x "
			   "guest_memfd=%u offset=0x%llx%n", &as, &id, &gpa, &size, &hva, &fl, &gmem, &offset, &pos) != 8 ||
		    pos < 0)
			bad("line %lu: cannot parse: %s", lineno, line);
		pos += internal ? 24 : 25;
		p = line + pos;
		if (!strncmp(p, " injected", 9)) {
			q.injected = true;
			p += 9;
		}
		if (!strncmp(p, " vm_dead", 8)) {
			q.vm_dead = true;
			p += 8;
		}
		if (sscanf(p, " -> %d%n", &rc, &pos) != 1 || p[pos])
			bad("line %lu: cannot parse: %s", lineno, line);
		q = (struct request){ as, id, gpa, size, hva, offset, fl, gmem, q.injected, rc, q.vm_dead };
		if (check_only)
			return;
		if (internal) {
			/* x86's own path: the running kernel sets its internal slots itself, when it needs them */
			if (!rc && !q.injected) {
				mark_split(&as_split[as % MAX_AS], "internal-slot");
				apply(&tree_side, &q);
			}
			return;
		}
		snprintf(request_text, sizeof(request_text), "%.*s", (int)(strstr(line, " ->") - line - 7), line + 7);
		nreq++;
		set_memory_region(&q);
	} else if (!strncmp(line, "trace: guest_memfd_create ", 26)) {
		bool vm_dead;

		if (sscanf(line, "trace: guest_memfd_create size=0x%llx flags=0x%llx%n", &size, &flags, &pos) != 2)
			bad("line %lu: cannot parse: %s", lineno, line);
		p = line + pos;
		vm_dead = !strncmp(p, " vm_dead", 8);
		if (vm_dead)
			p += 8;
		if (sscanf(p, " -> %d%n", &rc, &pos) != 1 || p[pos])
			bad("line %lu: cannot parse: %s", lineno, line);
		if (check_only)
			return;
		snprintf(request_text, sizeof(request_text), "%.*s", (int)(strstr(line, " ->") - line - 7), line + 7);
		nreq++;
		gmem_create(size, flags, rc, vm_dead);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: differential [--tree VERSION] [--name NAME] [--no-map] [-v] [TRACE_FILE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ "no-map", no_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char **lines = NULL;
	size_t nlines = 0, cap = 0;
	char line[4096];
	FILE *in = stdin;
	int c;

	while ((c = getopt_long(argc, argv, "t:n:mvh", opts, NULL)) != -1) {
		switch (c) {
		case 't': tree_version = optarg; break;
		case 'n': name = optarg; break;
		case 'm': no_map = true; break;
		case 'v': verbose = true; break;
		default: usage();
		}
	}
	if (argc - optind > 1)
		usage();
	if (optind < argc && strcmp(argv[optind], "-")) {
		in = fopen(argv[optind], "r");
		if (!in)
			bad("%s: %s", argv[optind], strerror(errno));
		if (!strcmp(name, "-"))
			name = argv[optind];
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_only = true;
	while (fgets(line, sizeof(line), in)) {
		lineno++;
		if (nlines == cap && !(lines = realloc(lines, (cap = cap ? 2 * cap : 256) * sizeof(*lines))))
			bad("out of memory");
		if (!(lines[nlines++] = strdup(line)))
			bad("out of memory");
		parse_line(line);
	}
	if (ferror(in))
		bad("read error: %s", strerror(errno));
	check_only = false;
	open_vm();
	for (lineno = 1; lineno <= nlines; lineno++)
		parse_line(lines[lineno - 1]);
	if (verbose)
		printf("live: %lu pages mapped, %lu could not be mapped (passed to KVM unrelocated)%s\n",
		       pages_mapped, pages_unmappable, no_map ? " (--no-map)" : "");
	printf("live: %lu requests compared, %lu divergences (running %s, tree %s)\n", compared, divergences,
	       live.release, tree_version);
	return unexplained ? 1 : 0;
}
