// SPDX-License-Identifier: GPL-2.0
/*
 * The reference model's state and rules (reference.h). The rules are read off
 * the kernel's own checks: kvm_vm_ioctl_set_memory_region(), kvm_set_internal_memslot(),
 * kvm_set_memory_region() and check_memory_region_flags() for return codes, kvm_gmem_bind() / kvm_gmem_create() for guest_memfd, and
 * kvm_handle_hva_range() for which slots an hva notifier calls, with which gfns.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "reference.h"
#include "uapi.h"

HARNESS_NO_COVERAGE_BEGIN

_Static_assert(SC_PAGE == 4096, "the rules assume 4 KB pages");

void ref_init(struct reference *ref, const struct ref_kernel *k)
{
	/* everything but the histories (read only below their nr_*) */
	memset(ref, 0, offsetof(struct reference, starts));
	ref->kernel = *k;
	ref->kernel.gmem_taken_binding_errno = uapi_gmem_taken_binding(k->version, k->gmem_taken_binding_errno,
									  k->uapi_from_code, &ref->kernel.gmem_taken_binding_why);
}

/* ---- memslot requests ------------------------------------------------------------ */

static bool ref_access_ok(const struct ref_kernel *kernel, uint64_t addr, uint64_t size)
{
	return size <= kernel->user_addr_limit && addr <= kernel->user_addr_limit - size;
}

/* Does the slot bind the guest_memfd file open at fd now (not a closed one whose fd was reused)? */
static bool ref_slot_binds(const struct reference *ref, const struct ref_slot *rs, int fd)
{
	const struct ref_file *f = ref_file(ref, fd);

	return rs->used && rs->gmem_fd == fd && f && f->used && rs->gmem_file_serial == f->serial;
}

/*
 * kvm_set_memory_region() (__kvm_set_memory_region() before 6.13): the checks
 * both paths share. They apply to every id, internal ones included: the hva's
 * alignment and access_ok() too, since "KVM: check userspace_addr for all
 * memslots" (v5.9) ended their exemption for internal slots. The size limit
 * (KVM_MEM_MAX_NR_PAGES) is waived for internal ids where the tree's check
 * reads `id < KVM_USER_MEM_SLOTS &&` (7.2, 7.3); internal requests are 1-3
 * pages, so that difference is never asked about.
 */
static int ref_expected_region(const struct reference *ref, const struct memslot_request *q, enum ref_change *change)
{
	const struct ref_kernel *kernel = &ref->kernel;
	uint32_t valid = SC_MEM_LOG_DIRTY_PAGES;
	uint32_t gmem = kernel->mem_guest_memfd;
	int as = memslot_request_as(q), id = memslot_request_id(q);
	const struct ref_slot *old;
	uint64_t npages = q->memory_size / SC_PAGE, base = q->guest_phys_addr / SC_PAGE;

	if (gmem)
		valid |= gmem;
	if (gmem && (q->flags & gmem))
		valid &= ~SC_MEM_LOG_DIRTY_PAGES;
	if (kernel->has_readonly_mem && !(gmem && (q->flags & gmem)))
		valid |= SC_MEM_READONLY;
	if (q->flags & ~valid)
		return -EINVAL;
	if ((q->memory_size & (SC_PAGE - 1)) || (q->guest_phys_addr & (SC_PAGE - 1)) ||
	    (q->userspace_addr & (SC_PAGE - 1)) || !ref_access_ok(kernel, q->userspace_addr, q->memory_size))
		return -EINVAL;
	if (gmem && (q->flags & gmem) && ((q->guest_memfd_offset & (SC_PAGE - 1)) ||
					  q->guest_memfd_offset + q->memory_size < q->guest_memfd_offset))
		return -EINVAL;
	if (as >= kernel->nr_as || (uint32_t)id >= kernel->mem_slots_num)
		return -EINVAL;
	if (q->guest_phys_addr + q->memory_size < q->guest_phys_addr)
		return -EINVAL;
	if (npages > kernel->mem_max_nr_pages)
		return -EINVAL;
	old = ref_slot(ref, as, id);
	if (!q->memory_size) {
		if (!old || !old->used)
			return -EINVAL;
		*change = REF_DELETE;
		return 0;
	}
	if (!old || !old->used) {
		*change = REF_CREATE;
	} else {
		if (gmem && (q->flags & gmem))
			return -EINVAL;
		if (q->userspace_addr != old->hva || npages != old->npages ||
		    ((q->flags ^ old->flags) & (SC_MEM_READONLY | gmem)))
			return -EINVAL;
		if (base != old->base_gfn)
			*change = REF_MOVE;
		else if (q->flags != old->flags)
			*change = REF_FLAGS_ONLY;
		else
			return 0;
	}
	if (*change == REF_CREATE || *change == REF_MOVE) {
		/* kvm_check_memslot_overlap(): every other slot of the address space, internal or not */
		for (int i = 0; i < SC_NR_SLOT_IDS; i++) {
			const struct ref_slot *o = &ref->slots[as][i];

			if (ref_slot_id(ref, i) != (uint32_t)id && o->used && base < o->base_gfn + o->npages && o->base_gfn < base + npages) {
				*change = REF_NO_CHANGE;
				return -EEXIST;
			}
		}
	}
	if (*change == REF_CREATE && gmem && (q->flags & gmem)) {
		const struct ref_file *f = q->guest_memfd < MODEL_MAX_FILES ? &ref->files[q->guest_memfd] : NULL;
		uint64_t first = q->guest_memfd_offset / SC_PAGE;

		*change = REF_NO_CHANGE;
		if (!f || !f->used)
			return -EBADF;
		if (q->guest_memfd_offset + q->memory_size > f->size)
			return -EINVAL;
		for (int a = 0; a < SC_MAX_AS; a++)
			for (int i = 0; i < SC_NR_SLOT_IDS; i++) {
				const struct ref_slot *o = &ref->slots[a][i];

				if ((o->flags & gmem) && ref_slot_binds(ref, o, (int)q->guest_memfd) &&
				    first < o->gmem_pgoff + o->npages && o->gmem_pgoff < first + npages)
					return kernel->gmem_taken_binding_errno;
			}
		*change = REF_CREATE;
	}
	return 0;
}

int ref_expected(const struct reference *ref, const struct memslot_request *q, enum ref_change *change)
{
	*change = REF_NO_CHANGE;
	if (ref->vm_dead)
		return -EIO;	/* kvm_vm_ioctl() refuses a dead VM before anything else */
	if ((uint16_t)q->slot >= ref->kernel.user_mem_slots)
		return -EINVAL;	/* kvm_vm_ioctl_set_memory_region(): internal ids are not userspace's */
	return ref_expected_region(ref, q, change);
}

int ref_expected_internal(const struct reference *ref, const struct memslot_request *q, enum ref_change *change)
{
	*change = REF_NO_CHANGE;
	/*
	 * kvm_set_internal_memslot() compares the whole slot word, address space
	 * included, with KVM_USER_MEM_SLOTS; both refusals WARN (the caller broke
	 * the contract). Before it, the internal path was __kvm_set_memory_region()
	 * itself, with the shared checks only.
	 */
	if (ref->kernel.internal_memslot_api && (q->slot < ref->kernel.user_mem_slots || q->flags))
		return -EINVAL;
	return ref_expected_region(ref, q, change);
}

/*
 * What x86's __x86_set_memory_region() passes: an internal id below
 * KVM_MEM_SLOTS_NUM (it WARNs on others itself), no flags, the page-aligned
 * user address vm_mmap() returned (a delete passes the slot's own); a create
 * only where the slot is absent, a delete only where it exists (it answers
 * the others itself, -EEXIST or nothing).
 */
bool ref_internal_call_arch_makes(const struct reference *ref, const struct memslot_request *q)
{
	const struct ref_kernel *kernel = &ref->kernel;
	uint32_t id = (uint32_t)memslot_request_id(q);
	const struct ref_slot *old = ref_slot(ref, memslot_request_as(q), (int)id);
	bool exists = old && old->used;

	if (id < kernel->user_mem_slots || id >= kernel->mem_slots_num || q->flags ||
	    (q->userspace_addr & (SC_PAGE - 1)) || !ref_access_ok(kernel, q->userspace_addr, q->memory_size))
		return false;
	return q->memory_size ? !exists : exists;
}

void ref_apply(struct reference *ref, const struct memslot_request *q, enum ref_change change)
{
	int as = memslot_request_as(q), id = memslot_request_id(q);
	struct ref_slot *rs;

	if (change == REF_NO_CHANGE || !ref_slot(ref, as, id))
		return;	/* the oracle reports a success outside the ids (check_request) */
	rs = &ref->slots[as][sc_id_slot_index((uint32_t)id, ref->kernel.user_mem_slots)];
	if (change != REF_FLAGS_ONLY)
		rs->epoch++;
	if (change == REF_DELETE) {
		unsigned int epoch = rs->epoch;

		memset(rs, 0, sizeof(*rs));
		rs->epoch = epoch;
		return;
	}
	if (change == REF_CREATE) {
		rs->used = true;
		rs->hva = q->userspace_addr;
		rs->npages = q->memory_size / SC_PAGE;
		rs->gmem_fd = -1;
		rs->gmem_only = false;
		if (ref->kernel.mem_guest_memfd && (q->flags & ref->kernel.mem_guest_memfd)) {
			rs->gmem_fd = q->guest_memfd;
			rs->gmem_pgoff = q->guest_memfd_offset / SC_PAGE;
			rs->gmem_file_serial = ref->files[q->guest_memfd].serial;
			/* the kernel's rule: a guest_memfd created with MMAP makes the slot gmem-only */
			rs->gmem_only = ref->kernel.gmem_only && (ref->files[q->guest_memfd].flags & ref->kernel.gmem_flag_mmap);
		}
	}
	rs->base_gfn = q->guest_phys_addr / SC_PAGE;
	rs->flags = q->flags;
}

/* ---- guest_memfd files ---------------------------------------------------------------- */

int ref_gmem_expected(const struct reference *ref, uint64_t size, uint64_t flags)
{
	int fd;

	if (ref->vm_dead)
		return -EIO;	/* kvm_vm_ioctl() refuses a dead VM before anything else */
	if ((flags & ~ref->kernel.gmem_flags_supported) || !size || (size & (SC_PAGE - 1)))
		return -EINVAL;
	for (fd = 0; fd < MODEL_MAX_FILES && ref->files[fd].used; fd++)
		;
	return fd == MODEL_MAX_FILES ? -EMFILE : fd;
}

void ref_gmem_created(struct reference *ref, int fd, uint64_t size, uint64_t flags)
{
	if (fd >= 0 && fd < MODEL_MAX_FILES)
		ref->files[fd] = (struct ref_file){ true, size, flags, ++ref->file_serial };
}

/* The slots binding fd's file over pages [start, end), clipped as kvm_gmem_invalidate_start() clips them. */
static void gmem_effect(const struct reference *ref, int fd, uint64_t start, uint64_t end, struct ref_gmem_effect *out)
{
	const struct ref_file *f = ref_file(ref, fd);

	out->attr_filter = f->flags & ref->kernel.gmem_flag_init_shared ? ref->kernel.gmem_filter_shared
									  : ref->kernel.gmem_filter_private;
	for (int as = 0; as < SC_MAX_AS; as++)
		for (int i = 0; i < SC_NR_SLOT_IDS; i++) {
			const struct ref_slot *rs = &ref->slots[as][i];
			uint64_t pg = rs->gmem_pgoff, s, e;

			if (!ref_slot_binds(ref, rs, fd) || pg >= end || pg + rs->npages <= start)
				continue;
			s = start > pg ? start : pg;
			e = end < pg + rs->npages ? end : pg + rs->npages;
			out->calls[out->nr_calls++] = (struct ref_call){
				as, (int)ref_slot_id(ref, i), rs->base_gfn + s - pg, rs->base_gfn + e - pg, rs->gmem_only, false,
			};
		}
	out->found = out->nr_calls > 0;
}

void ref_gmem_hole(const struct reference *ref, int fd, enum sc_hole_mode mode, uint64_t first, uint64_t pages,
		   struct ref_gmem_effect *out)
{
	const struct ref_file *f = ref_file(ref, fd);

	memset(out, 0, offsetof(struct ref_gmem_effect, calls));
	/* kvm_gmem_fallocate()'s checks, in its order, after fdget()'s */
	if (!f || !f->used)
		out->rc = -EBADF;
	else if (mode == SC_HOLE_NO_KEEP_SIZE || mode == SC_HOLE_UNDEFINED_MODE)
		out->rc = -EOPNOTSUPP;
	else if (mode == SC_HOLE_UNALIGNED)
		out->rc = -EINVAL;
	else {	/* the hole may reach past i_size: punching there is not an error */
		out->first = first;
		out->end = first + pages;
		gmem_effect(ref, fd, first, first + pages, out);
	}
}

void ref_gmem_close(const struct reference *ref, int fd, struct ref_gmem_effect *out)
{
	const struct ref_file *f = ref_file(ref, fd);

	memset(out, 0, offsetof(struct ref_gmem_effect, calls));
	if (!f || !f->used)
		out->rc = -EBADF;
	else {	/* kvm_gmem_release(): pages [0, -1ul) */
		out->end = ~0ULL;
		gmem_effect(ref, fd, 0, ~0ULL, out);
	}
}

void ref_gmem_applied(struct reference *ref, int fd, bool closed, const struct ref_gmem_effect *e, unsigned long ended_at)
{
	if (e->rc)
		return;
	if (e->found) {
		/* its end bumped mmu_invalidate_seq, as an hva end that found a slot */
		ref->found_ends++;
		if (ended_at > ref->last_end_at)
			ref->last_end_at = ended_at;
		if (ref->nr_gmem_invals < REF_MAX_HISTORY)
			ref->gmem_invals[ref->nr_gmem_invals++] =
				(struct ref_gmem_inval){ ref->files[fd].serial, e->first, e->end, ended_at };
	}
	if (closed)
		ref->files[fd].used = false;
}

/* ---- hva notifiers -------------------------------------------------------------------- */

/*
 * Each overlapping slot once per address space, with the gfns of the pages that
 * intersect the range (a partial page counts whole), clipped to the slot.
 */
int ref_expected_calls(const struct reference *ref, uint64_t start, uint64_t end, struct ref_call *out)
{
	int n = 0;

	if (end <= start)
		return 0;	/* the kernel refuses an empty or reversed range (with a WARN) */
	for (int as = 0; as < ref->kernel.nr_as && as < SC_MAX_AS; as++) {
		for (int i = 0; i < SC_NR_SLOT_IDS; i++) {
			const struct ref_slot *rs = &ref->slots[as][i];
			uint64_t hs, he, s_end;

			if (!ref_hva_overlaps(rs, start, end))
				continue;
			s_end = rs->hva + rs->npages * SC_PAGE;
			hs = start > rs->hva ? start : rs->hva;
			he = end < s_end ? end : s_end;
			out[n++] = (struct ref_call){
				as, (int)ref_slot_id(ref, i),
				rs->base_gfn + (hs - rs->hva) / SC_PAGE,
				rs->base_gfn + (he + SC_PAGE - 1 - rs->hva) / SC_PAGE,
				rs->gmem_only, false,
			};
		}
	}
	return n;
}

void ref_invalidation_started(struct reference *ref, uint64_t start, uint64_t end, bool blockable, bool found,
			      unsigned long begun_at)
{
	if (ref_inflight_full(ref))
		return;	/* the driver does not start one then */
	bool mm_issued = sc_range_mm_issues(start, end);
	int index = -1;

	/* a fault race is only defined against ranges mm/ issues (6.1 compares raw hvas) */
	if (mm_issued && ref->nr_starts < REF_MAX_STARTS) {
		index = ref->nr_starts++;
		ref->starts[index] = (struct ref_start){ start, end, begun_at, 0 };
	}
	ref->inflight[ref->nr_inflight++] = (struct ref_invalidation){ start, end, blockable, found, mm_issued,
								       begun_at, index, false };
}

struct ref_invalidation ref_invalidation_take(struct reference *ref, int k)
{
	struct ref_invalidation inv = ref->inflight[k];

	memmove(&ref->inflight[k], &ref->inflight[k + 1], (ref->nr_inflight - k - 1) * sizeof(inv));
	ref->nr_inflight--;
	return inv;
}

int ref_inflight_endable(const struct reference *ref)
{
	int n = 0;

	for (int k = 0; k < ref->nr_inflight; k++)
		n += !ref->inflight[k].held;
	return n;
}

int ref_inflight_endable_at(const struct reference *ref, int n)
{
	for (int k = 0; k < ref->nr_inflight; k++)
		if (!ref->inflight[k].held && n-- == 0)
			return k;
	return -1;
}

void ref_invalidation_ended(struct reference *ref, const struct ref_invalidation *inv, unsigned long ended_at)
{
	if (inv->start_index >= 0)
		ref->starts[inv->start_index].ended_at = ended_at;
	if (!inv->found)
		return;
	ref->found_ends++;
	if (ended_at > ref->last_end_at)
		ref->last_end_at = ended_at;
}

long ref_in_progress_now(const struct reference *ref)
{
	int n = ref->nr_mid < REF_MAX_MID ? ref->nr_mid : REF_MAX_MID;
	long v = ref_expected_in_progress(ref);

	for (int i = 0; i < n; i++)
		v += !ref->mid[i].is_end ? ref->mid[i].st->begin_at != 0 : ref->mid[i].inv.found && !ref->mid[i].st->end_at;
	return v;
}

long ref_active_now(const struct reference *ref)
{
	int n = ref->nr_mid < REF_MAX_MID ? ref->nr_mid : REF_MAX_MID;
	long v = ref->nr_inflight;

	for (int i = 0; i < n; i++)
		v += !ref->mid[i].is_end ? ref->mid[i].st->active_up_at != 0 : !ref->mid[i].st->active_down_at;
	return v;
}

bool ref_retry_allowed(const struct reference *ref, const struct ref_fault *f)
{
	int n = ref->nr_mid < REF_MAX_MID ? ref->nr_mid : REF_MAX_MID;

	if (ref_found_inflight(ref) || ref->last_end_at > f->read_at)
		return true;
	for (int i = 0; i < n; i++) {
		const struct ref_mid *m = &ref->mid[i];

		/* a start is in flight from its on_lock; an end until its seq move, which may be after the read */
		if (!m->is_end ? m->st->begin_at != 0 : m->inv.found && (!m->st->end_at || m->st->end_at > f->read_at))
			return true;
	}
	return false;
}

bool ref_inflight_covers(const struct reference *ref, uint64_t addr)
{
	for (int k = 0; k < ref->nr_inflight; k++)
		if (addr >= ref->inflight[k].start && addr < ref->inflight[k].end)
			return true;
	return false;
}

/* ---- vCPU faults ------------------------------------------------------------------------ */

bool ref_fault_raced_gmem(const struct reference *ref, const struct ref_fault *f)
{
	const struct ref_slot *rs = ref_slot(ref, f->as_id, f->slot_id);
	uint64_t page;

	if (!rs || !rs->used || rs->gmem_fd < 0 || f->gfn < rs->base_gfn || f->gfn >= rs->base_gfn + rs->npages)
		return false;
	page = rs->gmem_pgoff + (f->gfn - rs->base_gfn);
	for (int i = 0; i < ref->nr_gmem_invals; i++) {
		const struct ref_gmem_inval *h = &ref->gmem_invals[i];

		if (h->file_serial == rs->gmem_file_serial && page >= h->first && page < h->end && h->ended_at > f->read_at)
			return true;
	}
	return false;
}

bool ref_fault_add(struct reference *ref, const struct ref_fault *f)
{
	if (ref->nr_faults == REF_MAX_FAULTS)
		return false;
	ref->faults[ref->nr_faults++] = *f;
	return true;
}

bool ref_fault_take(struct reference *ref, int k, struct ref_fault *out)
{
	if (!ref->nr_faults)
		return false;
	k %= ref->nr_faults;
	*out = ref->faults[k];
	memmove(&ref->faults[k], &ref->faults[k + 1], (ref->nr_faults - k - 1) * sizeof(*out));
	ref->nr_faults--;
	return true;
}

HARNESS_NO_COVERAGE_END
