// SPDX-License-Identifier: GPL-2.0
/*
 * The reference model: what the memslots, guest_memfd files, invalidations in
 * flight and vCPU faults of a VM should be, and the rules that say what a
 * request must return and which handler calls an hva notifier must make.
 * Kernel-free (plain C, tests/reference_test.c): what it needs from the kernel
 * under test comes in a struct ref_kernel the adapter fills
 * (adapter_reference_kernel()); byte-layout facts come from scenario_layout.h.
 * It is state and rules only: the driver updates it, the oracle reads it.
 */
#ifndef KVM_HVA_FUZZ_REFERENCE_H
#define KVM_HVA_FUZZ_REFERENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "harness_coverage.h"
#include "memslot_request.h"
#include "model_clock.h"
#include "model_limits.h"
#include "scenario_layout.h"

/* What the rules need to know about the kernel under test and this VM. */
struct ref_kernel {
	int nr_as;			/* address spaces of this VM */
	bool has_readonly_mem;		/* KVM_MEM_READONLY accepted on this VM */
	uint32_t mem_guest_memfd;	/* KVM_MEM_GUEST_MEMFD, or 0 where the kernel has none */
	bool gmem_only;			/* KVM_MEMSLOT_GMEM_ONLY exists */
	/*
	 * binding a guest_memfd range another slot binds: -EINVAL or -EEXIST. The adapter gives
	 * the code's; ref_init() makes it what the version promises (uapi.h), and says why.
	 */
	int gmem_taken_binding_errno;
	const char *gmem_taken_binding_why;
	const char *version;		/* "X.Y.Z", for the uAPI table */
	bool uapi_from_code;		/* the run takes the code's return codes as the uAPI (uapi.h) */
	uint64_t gmem_flag_mmap;	/* GUEST_MEMFD_FLAG_MMAP, or 0 */
	uint64_t gmem_flags_supported;	/* guest_memfd creation flags the kernel accepts */
	uint32_t user_mem_slots;	/* KVM_USER_MEM_SLOTS */
	uint32_t mem_slots_num;		/* KVM_MEM_SLOTS_NUM */
	uint64_t mem_max_nr_pages;	/* KVM_MEM_MAX_NR_PAGES */
	uint64_t user_addr_limit;	/* TASK_SIZE_MAX, the limit access_ok() checks against */
	bool gmem_invalidation;		/* guest_memfd's punch hole and release exist */
	uint64_t gmem_flag_init_shared;	/* GUEST_MEMFD_FLAG_INIT_SHARED, or 0 */
	int gmem_filter_private, gmem_filter_shared;	/* the attr_filter of its invalidation, by file flags */
	/* the internal path is kvm_set_internal_memslot(), which refuses slots below KVM_USER_MEM_SLOTS and flags */
	bool internal_memslot_api;
	bool attributes;		/* KVM_SET_MEMORY_ATTRIBUTES exists (CONFIG_KVM_GENERIC_MEMORY_ATTRIBUTES) */
	uint64_t attr_supported;	/* the attributes this VM accepts (kvm_supported_mem_attributes()) */
};

/* What a memslot request changes (the kernel's enum kvm_mr_change, without the kernel). */
enum ref_change {
	REF_NO_CHANGE = -1,	/* an error, or a request that changes nothing */
	REF_CREATE,
	REF_DELETE,
	REF_MOVE,
	REF_FLAGS_ONLY,
};

struct ref_slot {
	bool used;
	unsigned int epoch;	/* bumped by every create, move and delete of this id */
	uint64_t base_gfn, npages, hva;
	uint32_t flags;
	bool gmem_only;		/* the rule's verdict: KVM_MEMSLOT_GMEM_ONLY must be set */
	int gmem_fd;
	uint64_t gmem_pgoff;
	unsigned int gmem_file_serial;	/* which file of that fd it binds (an fd is reused after a close) */
};

struct ref_file {
	bool used;
	uint64_t size;
	uint64_t flags;
	unsigned int serial;	/* ref->file_serial when created */
};

/*
 * Times are numbers of the one clock (shims/model_clock.h), at the kernel's
 * moments: never "when the operation ran".
 */
struct ref_invalidation {
	uint64_t start, end;
	bool blockable;
	bool found;		/* the start found a memslot (called on_lock) */
	bool mm_issued;		/* a range mm/ issues (non-empty, page-aligned): notifier safety speaks for it */
	unsigned long begun_at;	/* its on_lock (else its start's return) */
	int start_index;	/* its entry in starts[], -1 */
	/*
	 * Its thread is still inside the operation that began it (change_pte's wrapper:
	 * mm/'s set_pte_at_notify() between the start and the end): only that operation
	 * ends it. Another CPU waiting for the invalidations to end waits for that thread.
	 */
	bool held;
};

struct ref_fault {
	int as_id, slot_id;
	uint64_t gfn;
	uint64_t hva;
	unsigned long seq;	/* what it read of mmu_invalidate_seq */
	unsigned long read_at;	/* when it read it: "resolved before X" is read_at before X's event */
	uint64_t attrs_at_read;	/* its gfn's memory attributes then */
	bool gmem_only;
	unsigned int epoch;	/* the slot's epoch when resolved */
	/*
	 * The vCPU holds SRCU from resolve to commit: it commits through the slot
	 * it resolved (opaque here), and a grace period begun after its read
	 * section began (srcu_at) waits for it.
	 */
	const void *vcpu_slot;
	unsigned long srcu_at;
};

/* An invalidation start, kept for the whole run: a fault must not outlive one that began or ended after its read. */
struct ref_start {
	uint64_t start, end;
	unsigned long begun_at, ended_at;	/* ended_at 0 while in flight */
};

/*
 * An mm event inside its kernel call while a window runs (another CPU's): its
 * moments so far, stamped by the models as they happen (st), and what it is.
 */
struct ref_mid {
	const struct model_stamps *st;
	bool is_end;
	struct ref_invalidation inv;	/* the start's range (found unknown yet), or the invalidation ending */
};

/* guest_memfd invalidations and attribute changes that found a slot: faults that read before their end retry */
struct ref_gmem_inval { unsigned int file_serial; uint64_t first, end; unsigned long ended_at; };
struct ref_attr_change { uint64_t start, end, value; unsigned long ended_at; };

/* One handler call an hva notifier must make. */
struct ref_call {
	int as_id, id;
	uint64_t start, end;	/* gfns */
	bool gmem_only;
	bool seen;
};

#define REF_MAX_INFLIGHT 8
#define REF_MAX_FAULTS 8
#define REF_MAX_STARTS (SCENARIO_MAX_OPS * 2)
#define REF_MAX_MID 8
#define REF_MAX_HISTORY SCENARIO_MAX_OPS
#define REF_MAX_CALLS (SC_MAX_AS * SC_NR_SLOT_IDS)
/* each set_attributes adds at most two ranges (its own, and the tail of one it splits) */
#define REF_MAX_ATTR_RANGES (2 * SCENARIO_MAX_OPS + 1)

/* The VM's memory attributes: disjoint gfn ranges with non-zero attributes; every other gfn has none. */
struct ref_attr_range { uint64_t start, end, value; };
struct ref_attributes {
	int nr;
	struct ref_attr_range ranges[REF_MAX_ATTR_RANGES];
};

struct reference {
	struct ref_kernel kernel;
	struct ref_slot slots[SC_MAX_AS][SC_NR_SLOT_IDS];	/* by slot index: ref_slot_id() */
	struct ref_file files[MODEL_MAX_FILES];
	struct ref_invalidation inflight[REF_MAX_INFLIGHT];
	int nr_inflight;
	unsigned long found_ends;	/* ends that found a slot: each advances mmu_invalidate_seq (a count, not a time) */
	unsigned long last_end_at;	/* the latest of them: its seq move on the clock */
	struct ref_fault faults[REF_MAX_FAULTS];
	int nr_faults;
	/*
	 * mmu_invalidate_in_progress = (starts in flight that found a slot) +
	 * in_progress_offset. The offset is 0 on every sequence mm/ issues; an
	 * unpaired end on a hardened kernel decrements the counter below it and
	 * the kernel leaves it there (KVM_BUG_ON), so the reference accepts the
	 * new value rather than anyone resetting the kernel's counter.
	 */
	long in_progress_offset;
	/* KVM_BUG_ON marked the VM dead: its ioctls and vCPUs return -EIO, mm/'s notifiers still come */
	bool vm_dead;
	bool released;
	/*
	 * What another CPU may be in the middle of while a scheduler window runs
	 * (harness/scheduler.h): an mm event between its start and its return
	 * (its moments so far are on the clock: mid[]), and a
	 * memslot update between its swaps or one that ran inside an event's
	 * window (the memslots the kernel walks may be the old or the new ones).
	 */
	int event_mid;		/* mm events inside their kernel call (a window's own nests in one) */
	int nr_mid;		/* the starts and ends among them, innermost last */
	struct ref_mid mid[REF_MAX_MID];
	bool slots_in_flux;
	unsigned int file_serial;	/* guest_memfd files created so far */
	struct ref_attributes attrs;
	int nr_starts, nr_gmem_invals, nr_attr_changes;
	/* last: only the first nr_* are read (not cleared per run) */
	struct ref_start starts[REF_MAX_STARTS];
	struct ref_gmem_inval gmem_invals[REF_MAX_HISTORY];
	struct ref_attr_change attr_changes[REF_MAX_HISTORY];
};

void ref_init(struct reference *ref, const struct ref_kernel *k);
HARNESS_NO_COVERAGE_BEGIN

/* The kernel id of slot index i, and the slot of a kernel id: NULL outside the ids (scenario_layout.h's id map). */
static inline uint32_t ref_slot_id(const struct reference *ref, int i)
{
	return sc_slot_index_id(i, ref->kernel.user_mem_slots);
}
static inline const struct ref_slot *ref_slot(const struct reference *ref, int as, int id)
{
	int i = id < 0 ? -1 : sc_id_slot_index((uint32_t)id, ref->kernel.user_mem_slots);

	if (as < 0 || as >= SC_MAX_AS || i < 0)
		return NULL;
	return &ref->slots[as][i];
}

/* NULL outside the fds the harness can hand out */
static inline const struct ref_file *ref_file(const struct reference *ref, int fd)
{
	return fd >= 0 && fd < MODEL_MAX_FILES ? &ref->files[fd] : NULL;
}

/*
 * Memslot requests: the return code the rules give, and what it changes; then
 * apply a success. ref_expected() is the ioctl's (userspace: ids below
 * KVM_USER_MEM_SLOTS), ref_expected_internal() the kernel's internal path
 * (x86's internal memslots); ref_internal_call_arch_makes() says whether x86
 * itself makes such a call (mode legal issues only those).
 */
int ref_expected(const struct reference *ref, const struct memslot_request *q, enum ref_change *change);
int ref_expected_internal(const struct reference *ref, const struct memslot_request *q, enum ref_change *change);
bool ref_internal_call_arch_makes(const struct reference *ref, const struct memslot_request *q);
void ref_apply(struct reference *ref, const struct memslot_request *q, enum ref_change change);

/* guest_memfd creation: the fd or -errno the rules give; record a created file. */
int ref_gmem_expected(const struct reference *ref, uint64_t size, uint64_t flags);
void ref_gmem_created(struct reference *ref, int fd, uint64_t size, uint64_t flags);

/*
 * What guest_memfd's own invalidation of a file must do: punch a hole in it
 * (fallocate) or release it (close while bound). Every slot binding the file
 * in the range is unmapped with its gfns there, with the filter the file's
 * flags imply; if any binding met the range, one invalidation (start and end)
 * ran: mmu_invalidate_seq advances by one and the counters end where they began.
 */
struct ref_gmem_effect {
	int rc;
	uint64_t first, end;	/* the file's pages it invalidates */
	int attr_filter;
	bool found;
	int nr_calls;
	struct ref_call calls[REF_MAX_CALLS];	/* last: only the first nr_calls are read */
};
/* fallocate(fd, mode, first page, pages) */
void ref_gmem_hole(const struct reference *ref, int fd, enum sc_hole_mode mode, uint64_t first, uint64_t pages,
		   struct ref_gmem_effect *out);
/* close(fd): the release invalidates the whole file */
void ref_gmem_close(const struct reference *ref, int fd, struct ref_gmem_effect *out);
/* Apply an effect the kernel produced (rc as expected), which ended at ended_at; closed: the fd is free, its bindings gone. */
void ref_gmem_applied(struct reference *ref, int fd, bool closed, const struct ref_gmem_effect *e, unsigned long ended_at);
/* A fault that read mmu_invalidate_seq before a hole or release of its gfn ended (guest_memfd's invalidation). */
bool ref_fault_raced_gmem(const struct reference *ref, const struct ref_fault *f);

/* Does [start, end) of hva space meet the slot's userspace range? */
static inline bool ref_hva_overlaps(const struct ref_slot *rs, uint64_t start, uint64_t end)
{
	return rs->used && start < rs->hva + rs->npages * SC_PAGE && end > rs->hva;
}
/* Does [start, end) meet a slot of address space as? */
static inline bool ref_as_meets(const struct reference *ref, int as, uint64_t start, uint64_t end)
{
	for (int i = 0; i < SC_NR_SLOT_IDS; i++)
		if (ref_hva_overlaps(&ref->slots[as][i], start, end))
			return true;
	return false;
}
/* The handler calls an hva notifier over [start, end) must make; returns how many (<= REF_MAX_CALLS). */
int ref_expected_calls(const struct reference *ref, uint64_t start, uint64_t end, struct ref_call *out);

/* Invalidations in flight. */
/* full, counting the room an mm event in the middle of its call will take */
static inline bool ref_inflight_full(const struct reference *ref)
{
	return ref->nr_inflight + ref->event_mid >= REF_MAX_INFLIGHT;
}
void ref_invalidation_started(struct reference *ref, uint64_t start, uint64_t end, bool blockable, bool found,
			      unsigned long begun_at);
/* An end: taken out of the ones in flight before the kernel's call, counted ended (at ended_at) after it. */
struct ref_invalidation ref_invalidation_take(struct reference *ref, int k);
/* the invalidations in flight another thread may end (mm/ on another CPU): the ones not held */
int ref_inflight_endable(const struct reference *ref);
/* the index in inflight[] of the nth of those */
int ref_inflight_endable_at(const struct reference *ref, int n);
void ref_invalidation_ended(struct reference *ref, const struct ref_invalidation *inv, unsigned long ended_at);
/* An mm event enters its kernel call (st: its stamps; inv: the range, or the invalidation ending), and leaves it. */
static inline void ref_mid_push(struct reference *ref, const struct model_stamps *st, bool is_end,
				const struct ref_invalidation *inv)
{
	if (ref->nr_mid < REF_MAX_MID)
		ref->mid[ref->nr_mid] = (struct ref_mid){ st, is_end, *inv };
	ref->nr_mid++;
}
static inline void ref_mid_pop(struct reference *ref)
{
	ref->nr_mid--;
}
/*
 * The kernel may hold a fault back (its retry check) iff an invalidation that
 * found a slot is in flight now, or one ended after the fault read the
 * sequence: on the clock, with the events of the mm calls still running.
 */
bool ref_retry_allowed(const struct reference *ref, const struct ref_fault *f);
/* Invalidations in flight that found a slot (the kernel may hold any fault back while one is). */
static inline bool ref_found_inflight(const struct reference *ref)
{
	for (int i = 0; i < ref->nr_inflight; i++)
		if (ref->inflight[i].found)
			return true;
	return false;
}
/*
 * The counters now, with the starts and ends still inside their kernel call
 * (a window's operations see them): a start counts from its on_lock and its
 * active-count increment, an end until its seq move and its decrement, on the clock.
 */
long ref_in_progress_now(const struct reference *ref);
long ref_active_now(const struct reference *ref);
/* mmu_invalidate_in_progress as the reference has it */
static inline long ref_expected_in_progress(const struct reference *ref)
{
	long n = ref->in_progress_offset;

	for (int i = 0; i < ref->nr_inflight; i++)
		n += ref->inflight[i].found;
	return n;
}
bool ref_inflight_covers(const struct reference *ref, uint64_t addr);

/* vCPU faults between resolve and commit. */
bool ref_fault_add(struct reference *ref, const struct ref_fault *f);
bool ref_fault_take(struct reference *ref, int k, struct ref_fault *out);	/* the (k mod n)th; false if none */
/* Neither deleted nor moved (nor deleted and re-created) since the fault resolved it. */
static inline bool ref_fault_slot_unchanged(const struct reference *ref, const struct ref_fault *f)
{
	const struct ref_slot *rs = ref_slot(ref, f->as_id, f->slot_id);

	return rs && rs->epoch == f->epoch;
}

/*
 * Memory attributes (reference_attrs.c). ref_attr_expected(): the return code
 * of KVM_SET_MEMORY_ATTRIBUTES; *change whether it changes any gfn's
 * attributes (else the kernel returns before any invalidation). Its gfn range
 * is [*start, *end) when the call is valid.
 */
struct ref_attr_request { uint64_t address, size, attributes, flags; };
int ref_attr_expected(const struct reference *ref, const struct ref_attr_request *q, uint64_t *start, uint64_t *end,
		      bool *change);
uint64_t ref_attr_of(const struct reference *ref, uint64_t gfn);
/* The pre and post hook calls a change over gfns [start, end) must make: each overlapping slot once. */
int ref_attr_expected_calls(const struct reference *ref, uint64_t start, uint64_t end, struct ref_call *out);
/* A successful change: the attributes, the faults it raced, the sequence bump if it found a slot. */
void ref_attr_apply(struct reference *ref, uint64_t start, uint64_t end, uint64_t attributes, unsigned long ended_at);
/* A fault that read mmu_invalidate_seq before a change of its gfn's attributes ended. */
bool ref_fault_raced_attrs(const struct reference *ref, const struct ref_fault *f);

HARNESS_NO_COVERAGE_END

#endif
