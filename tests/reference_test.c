// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the reference model (oracle/reference.c), no kernel needed:
 *   cc -std=gnu11 -Ioracle -Iscenario -Iharness -Ishims tests/reference_test.c oracle/reference.c oracle/reference_attrs.c oracle/uapi.c
 * Prints "ok - reference: ..." / "not ok - reference: ..." per check (the
 * suite counts them) and exits 1 if any failed. The expected values are the
 * kernel's rules as kvm_set_memory_region(), kvm_gmem_bind()/kvm_gmem_create()
 * and kvm_handle_hva_range() state them, written out by hand here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "reference.h"
#include "uapi.h"

static int failed;

static void check(bool cond, const char *name)
{
	printf("%s - reference: %s\n", cond ? "ok" : "not ok", name);
	failed |= !cond;
}

/* a 7.x-like kernel: guest_memfd with MMAP (KVM_MEMSLOT_GMEM_ONLY), two address spaces */
static const struct ref_kernel k7 = {
	.nr_as = 2, .has_readonly_mem = true, .mem_guest_memfd = SC_MEM_GUEST_MEMFD, .gmem_only = true,
	.gmem_taken_binding_errno = -EEXIST, .gmem_flag_mmap = 1, .gmem_flags_supported = 3, .user_mem_slots = 32764, .mem_slots_num = 32767,
	.mem_max_nr_pages = (1ULL << 31) - 1, .user_addr_limit = SC_HVA_TOP,
};

static struct reference ref;

static struct memslot_request req(int as, int id, uint64_t gpa, uint64_t pages, uint64_t hva, uint32_t flags)
{
	return (struct memslot_request){ .slot = (uint32_t)as << 16 | id, .flags = flags, .guest_phys_addr = gpa,
					 .memory_size = pages * SC_PAGE, .userspace_addr = hva };
}

/* the rules' code for q, applied when it is a success; returns the code */
static int request(const struct memslot_request *q, enum ref_change *change)
{
	enum ref_change c;
	int rc = ref_expected(&ref, q, &c);

	if (!rc)
		ref_apply(&ref, q, c);
	if (change)
		*change = c;
	return rc;
}

static void memslot_rules(void)
{
	struct memslot_request q;
	enum ref_change c;
	unsigned int epoch;

	ref_init(&ref, &k7);
	q = req(0, 0, 0, 16, 0x100000000, 0);
	check(request(&q, &c) == 0 && c == REF_CREATE && ref.slots[0][0].used && ref.slots[0][0].npages == 16,
	      "a create of a free id succeeds and makes a 16-page slot");
	check(request(&q, &c) == 0 && c == REF_NO_CHANGE, "the same request again changes nothing and succeeds");
	q = req(0, 1, 0x100, 1, 0x100010000, 0);
	check(request(&q, NULL) == -EINVAL, "a guest physical address that is not page-aligned is -EINVAL");
	q = req(0, 1, 0x8000, 16, 0x100010000, 0);
	check(request(&q, NULL) == -EEXIST, "gfns overlapping another slot of the address space are -EEXIST");
	q = req(1, 1, 0x8000, 16, 0x100010000, 0);
	check(request(&q, &c) == 0 && c == REF_CREATE, "the same gfns in the other address space are a create");
	q = req(0, 0, 0x200000, 16, 0x100000000, 0);
	check(request(&q, &c) == 0 && c == REF_MOVE && ref.slots[0][0].base_gfn == 0x200, "a new gpa is a move");
	q = req(0, 0, 0x200000, 16, 0x100000000, SC_MEM_LOG_DIRTY_PAGES);
	check(request(&q, &c) == 0 && c == REF_FLAGS_ONLY, "new flags alone are a flags-only change");
	q = req(0, 0, 0x200000, 8, 0x100000000, SC_MEM_LOG_DIRTY_PAGES);
	check(request(&q, NULL) == -EINVAL, "a new size for an existing slot is -EINVAL");
	q = req(0, 0, 0x200000, 16, 0x100000000, SC_MEM_LOG_DIRTY_PAGES | SC_MEM_UNDEFINED);
	check(request(&q, NULL) == -EINVAL, "an undefined flag is -EINVAL");
	epoch = ref.slots[0][0].epoch;
	q = req(0, 0, 0, 0, 0, 0);
	check(request(&q, &c) == 0 && c == REF_DELETE && !ref.slots[0][0].used && ref.slots[0][0].epoch == epoch + 1,
	      "size 0 deletes the slot and moves its epoch");
	check(request(&q, NULL) == -EINVAL, "deleting a slot that does not exist is -EINVAL");
	q = req(0, 2, 0, 1, SC_HVA_TOP, 0);
	check(request(&q, NULL) == -EINVAL, "a userspace range past TASK_SIZE_MAX is -EINVAL (access_ok)");
	q = req(0, 2, 0, 1, 0x100000000, 0);
	q.slot = 32764;
	check(request(&q, NULL) == -EINVAL, "an id past KVM_USER_MEM_SLOTS is -EINVAL");

	ref_init(&ref, &(struct ref_kernel){ .nr_as = 1, .has_readonly_mem = false, .user_mem_slots = 32764,
					    .mem_slots_num = 32767, .mem_max_nr_pages = (1ULL << 31) - 1,
					    .user_addr_limit = SC_HVA_TOP });
	q = req(1, 0, 0, 1, 0x100000000, 0);
	check(request(&q, NULL) == -EINVAL, "address space 1 on a VM with one is -EINVAL");
	q = req(0, 0, 0, 1, 0x100000000, SC_MEM_READONLY);
	check(request(&q, NULL) == -EINVAL, "KVM_MEM_READONLY on a VM without read-only memory is -EINVAL");
	q = req(0, 0, 0, 1, 0x100000000, SC_MEM_GUEST_MEMFD);
	check(request(&q, NULL) == -EINVAL, "KVM_MEM_GUEST_MEMFD on a kernel without guest_memfd is -EINVAL");
	ref.vm_dead = true;
	q = req(0, 0, 0, 1, 0x100000000, 0);
	check(request(&q, NULL) == -EIO && ref_gmem_expected(&ref, SC_PAGE, 0) == -EIO,
	      "every request on a VM marked dead is -EIO");
}

static void gmem_rules(void)
{
	struct memslot_request q;
	struct ref_kernel k_bind_einval = k7;
	int fd, rc = 0;

	ref_init(&ref, &k7);
	check(ref_gmem_expected(&ref, SC_PAGE, 4) == -EINVAL, "a guest_memfd flag the kernel lacks is -EINVAL");
	check(ref_gmem_expected(&ref, SC_PAGE - 0x800, 0) == -EINVAL && ref_gmem_expected(&ref, 0, 0) == -EINVAL,
	      "a guest_memfd of no or a partial page is -EINVAL");
	for (fd = 0; fd < MODEL_MAX_FILES; fd++) {
		rc = ref_gmem_expected(&ref, 16 * SC_PAGE, fd == 0 ? 1 : 0);
		if (rc != fd)
			break;
		ref_gmem_created(&ref, rc, 16 * SC_PAGE, fd == 0 ? 1 : 0);
	}
	check(fd == MODEL_MAX_FILES && ref_gmem_expected(&ref, SC_PAGE, 0) == -EMFILE,
	      "guest_memfds get the lowest free fd, and -EMFILE past the table");
	q = req(0, 0, 0, 16, 0x100000000, SC_MEM_GUEST_MEMFD);
	q.guest_memfd = 0;
	check(request(&q, NULL) == 0 && ref.slots[0][0].gmem_only, "a slot on a guest_memfd created with MMAP is gmem-only");
	q = req(0, 1, 0x100000, 16, 0x100010000, SC_MEM_GUEST_MEMFD);
	q.guest_memfd = 1;
	check(request(&q, NULL) == 0 && !ref.slots[0][1].gmem_only, "a slot on one created without MMAP is not");
	q = req(1, 0, 0x200000, 8, 0x100020000, SC_MEM_GUEST_MEMFD);
	q.guest_memfd = 0;
	q.guest_memfd_offset = 4 * SC_PAGE;
	check(request(&q, NULL) == -EEXIST, "a binding over pages of the file another slot holds is the kernel's errno (-EEXIST)");
	k_bind_einval.gmem_taken_binding_errno = -EINVAL;
	ref.kernel = k_bind_einval;
	check(request(&q, NULL) == -EINVAL, "... and -EINVAL where the kernel's binding code says so (6.12)");
	ref.kernel = k7;
	q.guest_memfd_offset = 12 * SC_PAGE;
	check(request(&q, NULL) == -EINVAL, "a binding past the end of the file is -EINVAL");
	q.guest_memfd = MODEL_MAX_FILES;
	q.guest_memfd_offset = 0;
	check(request(&q, NULL) == -EBADF, "a binding to an fd that is no guest_memfd is -EBADF");
	q = req(0, 0, 0x300000, 16, 0x100000000, SC_MEM_GUEST_MEMFD);
	check(request(&q, NULL) == -EINVAL, "a guest_memfd slot cannot be moved");
}

static void notifier_rules(void)
{
	struct memslot_request q;
	struct ref_call calls[REF_MAX_CALLS];
	struct ref_invalidation inv;
	int n;

	ref_init(&ref, &k7);
	q = req(0, 0, 0, 16, 0x100000000, 0);
	request(&q, NULL);
	q = req(0, 1, 0x100000, 16, 0x100010000, 0);
	request(&q, NULL);
	q = req(1, 0, 0x200000, 16, 0x100000000, 0);
	request(&q, NULL);
	n = ref_expected_calls(&ref, 0x100008000, 0x100014000, calls);
	check(n == 3 && calls[0].as_id == 0 && calls[0].id == 0 && calls[0].start == 0x8 && calls[0].end == 0x10 &&
	      calls[1].id == 1 && calls[1].start == 0x100 && calls[1].end == 0x104 &&
	      calls[2].as_id == 1 && calls[2].start == 0x208 && calls[2].end == 0x210,
	      "a range over three slots: one call each, gfns clipped to the slot");
	n = ref_expected_calls(&ref, 0x100000010, 0x100000011, calls);
	check(n == 2 && calls[0].start == 0 && calls[0].end == 1, "a range inside one page calls for that whole page");
	n = ref_expected_calls(&ref, 0x100020000, 0x100030000, calls);
	check(n == 0, "a range past every slot calls nothing");

	ref_invalidation_started(&ref, 0x100000000, 0x100001000, true, true, 1);
	ref_invalidation_started(&ref, 0x7f0000000000, 0x7f0000001000, true, false, 2);
	check(ref.nr_inflight == 2 && ref_expected_in_progress(&ref) == 1 && ref.nr_starts == 2,
	      "mmu_invalidate_in_progress counts the starts in flight that found a slot");
	check(ref_inflight_covers(&ref, 0x100000fff) && !ref_inflight_covers(&ref, 0x100001000),
	      "an address is covered by the invalidations in flight up to their ends");
	{
		struct ref_fault before = { .read_at = 2 }, after = { .read_at = 4 };

		check(ref_retry_allowed(&ref, &after), "progress: a fault may retry while an invalidation that found a slot is in flight");
		inv = ref_invalidation_take(&ref, 0);
		ref_invalidation_ended(&ref, &inv, 3);
		check(ref.last_end_at == 3 && ref.starts[0].ended_at == 3, "the end's moment is kept, on its start too");
		check(ref_retry_allowed(&ref, &before) && !ref_retry_allowed(&ref, &after),
		      "progress: a fault that read the sequence before the end (on the clock) may retry, one after it may not");
	}
	ref.in_progress_offset = -1;
	check(ref.nr_inflight == 1 && !ref.inflight[0].found && ref_expected_in_progress(&ref) == -1,
	      "ending one leaves the other; the counter's accepted offset adds in");
}

static void fault_rules(void)
{
	struct memslot_request q;
	struct ref_fault f = { .as_id = 0, .slot_id = 0, .gfn = 3 }, got;

	ref_init(&ref, &k7);
	q = req(0, 0, 0, 16, 0x100000000, 0);
	request(&q, NULL);
	f.epoch = ref.slots[0][0].epoch;
	ref_fault_add(&ref, &f);
	f.gfn = 4;
	ref_fault_add(&ref, &f);
	check(ref_fault_take(&ref, 3, &got) && got.gfn == 4 && ref.nr_faults == 1, "commit picks the fault (which mod pending)");
	check(ref_fault_slot_unchanged(&ref, &got), "a fault's slot is unchanged while nothing touched it");
	q = req(0, 0, 0, 0, 0, 0);
	request(&q, NULL);
	q = req(0, 0, 0, 16, 0x100000000, 0);
	request(&q, NULL);
	check(!ref_fault_slot_unchanged(&ref, &got), "a slot deleted and re-created is not the fault's slot");
	check(ref_fault_take(&ref, 0, &got) && !ref_fault_take(&ref, 0, &got), "no fault is taken twice");
}

/* guest_memfd's own invalidation: what a punch hole and a release of a bound file must do */
static void gmem_invalidation_rules(void)
{
	struct ref_kernel k = k7;
	struct ref_gmem_effect e;
	struct memslot_request q;

	k.gmem_flag_init_shared = 2;
	k.gmem_filter_private = 2;
	k.gmem_filter_shared = 1;
	ref_init(&ref, &k);
	ref_gmem_created(&ref, 0, 16 * SC_PAGE, 0);
	ref_gmem_created(&ref, 1, 16 * SC_PAGE, 2);
	q = req(0, 0, 0, 8, 0x100000000, SC_MEM_GUEST_MEMFD);	/* file 0, pages 0-7 */
	request(&q, NULL);
	q = req(0, 1, 0x100000, 4, 0x200000000, SC_MEM_GUEST_MEMFD);	/* file 0, pages 8-11 */
	q.guest_memfd_offset = 8 * SC_PAGE;
	request(&q, NULL);
	ref_gmem_hole(&ref, 0, SC_HOLE_PUNCH, 4, 6, &e);
	check(!e.rc && e.found && e.nr_calls == 2 && e.calls[0].start == 4 && e.calls[0].end == 8 &&
	      e.calls[1].start == 0x100 && e.calls[1].end == 0x102 && e.attr_filter == 2,
	      "a hole unmaps each binding's gfns in it, private for a file without INIT_SHARED");
	ref_gmem_hole(&ref, 0, SC_HOLE_PUNCH, 12, 4, &e);
	check(!e.rc && !e.found && !e.nr_calls, "a hole no binding meets unmaps nothing (no invalidation)");
	ref_gmem_hole(&ref, 1, SC_HOLE_PUNCH, 0, 1, &e);
	check(!e.rc && e.attr_filter == 1, "an INIT_SHARED file's hole has the shared filter");
	ref_gmem_hole(&ref, 0, SC_HOLE_NO_KEEP_SIZE, 0, 1, &e);
	check(e.rc == -EOPNOTSUPP && !e.nr_calls, "fallocate without KEEP_SIZE is -EOPNOTSUPP");
	ref_gmem_hole(&ref, 0, SC_HOLE_UNALIGNED, 0, 1, &e);
	check(e.rc == -EINVAL && !e.nr_calls, "an unaligned hole is -EINVAL");
	ref_gmem_hole(&ref, 5, SC_HOLE_PUNCH, 0, 1, &e);
	check(e.rc == -EBADF, "a hole in an fd with no file is -EBADF");
	ref_gmem_close(&ref, 0, &e);
	check(!e.rc && e.nr_calls == 2 && e.calls[0].end == 8 && e.calls[1].end == 0x104,
	      "a release unmaps every binding whole");
	ref_gmem_applied(&ref, 0, true, &e, 1);
	ref_gmem_close(&ref, 0, &e);
	check(e.rc == -EBADF, "a closed fd is -EBADF");
	ref_gmem_created(&ref, 0, 16 * SC_PAGE, 0);
	q = req(0, 2, 0x200000, 8, 0x300000000, SC_MEM_GUEST_MEMFD);
	check(request(&q, NULL) == 0, "a new file on a reused fd has no bindings: the old slots' range binds again");
	ref_gmem_hole(&ref, 0, SC_HOLE_PUNCH, 0, 16, &e);
	check(e.nr_calls == 1 && e.calls[0].id == 2, "... and its hole reaches only its own slot");
}

/* x86's internal memslots: the id map, the ioctl's limit, the internal path's own refusals */
static void internal_rules(void)
{
	struct ref_kernel k = k7;
	struct memslot_request q;
	enum ref_change c;

	k.internal_memslot_api = true;
	ref_init(&ref, &k);
	q = req(0, 32763, 0, 16, 0x100000000, 0);
	check(request(&q, &c) == 0 && c == REF_CREATE && ref_slot(&ref, 0, 32763) == &ref.slots[0][SC_NR_IDS + 1] &&
	      ref_slot_id(&ref, SC_NR_IDS + 1) == 32763, "KVM_USER_MEM_SLOTS-1 is a user id, held at its index");
	q = req(0, 32764, 0x100000, 1, 0x7f0000000000, 0);
	check(request(&q, NULL) == -EINVAL, "KVM_USER_MEM_SLOTS itself is not userspace's: -EINVAL");
	check(ref_expected_internal(&ref, &q, &c) == 0 && c == REF_CREATE && ref_internal_call_arch_makes(&ref, &q),
	      "the internal path creates it, as x86 does");
	ref_apply(&ref, &q, c);
	q.flags = SC_MEM_LOG_DIRTY_PAGES;
	check(ref_expected_internal(&ref, &q, &c) == -EINVAL && !ref_internal_call_arch_makes(&ref, &q),
	      "kvm_set_internal_memslot() refuses flags; x86 passes none");
	k.internal_memslot_api = false;
	ref.kernel = k;
	check(ref_expected_internal(&ref, &q, &c) == 0 && c == REF_FLAGS_ONLY,
	      "__kvm_set_memory_region() (before 6.13) takes them by the common rules");
	q = req(0, 32765, 0x8000, 1, 0x7f0000000001, 0);
	check(ref_expected_internal(&ref, &q, &c) == -EINVAL, "an unaligned hva is -EINVAL for internal ids too");
	q = req(0, 32765, 0x8000, 1, SC_HVA_TOP, 0);
	check(ref_expected_internal(&ref, &q, &c) == -EINVAL, "so is one past TASK_SIZE_MAX (access_ok)");
	q = req(0, 32765, 0x8000, 1, 0x7f0000001000, 0);
	check(ref_expected_internal(&ref, &q, &c) == -EEXIST, "an internal slot over a user slot's gfns is -EEXIST");
	q = req(0, 32767, 0x200000, 1, 0x7f0000001000, 0);
	check(ref_expected_internal(&ref, &q, &c) == -EINVAL && request(&q, NULL) == -EINVAL,
	      "KVM_MEM_SLOTS_NUM is -EINVAL on either path");
}

/* memory attributes (reference_attrs.c): kvm_vm_ioctl_set_mem_attributes()'s checks, per-gfn state */
static int set_attrs(uint64_t address, uint64_t size, uint64_t attributes, uint64_t flags, bool *change)
{
	struct ref_attr_request q = { address, size, attributes, flags };
	uint64_t start, end;
	bool c;
	int rc = ref_attr_expected(&ref, &q, &start, &end, &c);

	static unsigned long now = 10;	/* the clock: each change ends later */

	if (!rc && c)
		ref_attr_apply(&ref, start, end, attributes, ++now);
	if (change)
		*change = c;
	return rc;
}

static void attribute_rules(void)
{
	struct ref_kernel k = k7;
	struct memslot_request q;
	struct ref_fault f = { .as_id = 0, .slot_id = 0, .gfn = 3, .read_at = 5 }, late;
	struct ref_call calls[REF_MAX_CALLS];
	unsigned long ends;
	bool c;

	k.attributes = true;
	k.attr_supported = SC_ATTR_PRIVATE;
	ref_init(&ref, &k);
	check(set_attrs(0, SC_PAGE, SC_ATTR_PRIVATE, 1, NULL) == -EINVAL, "attributes: non-zero flags are -EINVAL");
	check(set_attrs(0, SC_PAGE, SC_ATTR_UNDEFINED, 0, NULL) == -EINVAL, "attributes: an unsupported bit is -EINVAL");
	check(set_attrs(0, 0, SC_ATTR_PRIVATE, 0, NULL) == -EINVAL && set_attrs(1, SC_PAGE, SC_ATTR_PRIVATE, 0, NULL) == -EINVAL &&
	      set_attrs(0, SC_PAGE / 2, SC_ATTR_PRIVATE, 0, NULL) == -EINVAL, "attributes: empty or unaligned ranges are -EINVAL");
	check(set_attrs(-2 * SC_PAGE, 2 * SC_PAGE, SC_ATTR_PRIVATE, 0, NULL) == -EINVAL &&
	      set_attrs(-3 * SC_PAGE, 2 * SC_PAGE, SC_ATTR_PRIVATE, 0, NULL) == 0, "attributes: a range ending at 2^64 wraps, one below does not");
	q = req(0, 0, 0, 16, 0x100000000, 0);
	request(&q, NULL);
	q = req(1, 0, 0x8000, 16, 0x100000000, 0);
	request(&q, NULL);
	f.epoch = ref.slots[0][0].epoch;
	ref_fault_add(&ref, &f);
	ends = ref.found_ends;
	check(set_attrs(0, 4 * SC_PAGE, SC_ATTR_PRIVATE, 0, &c) == 0 && c && ref_attr_of(&ref, 3) == SC_ATTR_PRIVATE &&
	      ref_attr_of(&ref, 4) == 0, "attributes: a flip sets its gfns and only those");
	late = f;
	late.read_at = ref.last_end_at + 1;
	late.attrs_at_read = SC_ATTR_PRIVATE;
	check(ref_fault_raced_attrs(&ref, &ref.faults[0]) && ref.found_ends == ends + 1,
	      "attributes: it races the fault on gfn 3 and advances the sequence");
	check(!ref_fault_raced_attrs(&ref, &late), "attributes: a fault that read the sequence after the change is not raced");
	check(set_attrs(SC_PAGE, 2 * SC_PAGE, SC_ATTR_PRIVATE, 0, &c) == 0 && !c, "attributes: the same attributes again change nothing");
	check(set_attrs(SC_PAGE, SC_PAGE, 0, 0, &c) == 0 && c && ref_attr_of(&ref, 1) == 0 && ref_attr_of(&ref, 0) == SC_ATTR_PRIVATE &&
	      ref_attr_of(&ref, 2) == SC_ATTR_PRIVATE, "attributes: clearing the middle gfn splits the range");
	check(ref_attr_expected_calls(&ref, 0xc, 0x14, calls) == 2 && calls[0].start == 0xc && calls[0].end == 0x10 &&
	      calls[1].start == 0xc && calls[1].end == 0x14, "attributes: each slot of each address space, clipped");
	ends = ref.found_ends;
	check(set_attrs(0x100 * SC_PAGE, SC_PAGE, SC_ATTR_PRIVATE, 0, &c) == 0 && c && ref.found_ends == ends,
	      "attributes: a change over no slot does not advance the sequence");
	k.attributes = false;
	ref_init(&ref, &k);
	check(set_attrs(0, SC_PAGE, SC_ATTR_PRIVATE, 0, NULL) == -ENOTTY, "attributes: a kernel without them answers -ENOTTY");
}

/* the uAPI of a taken guest_memfd binding by kernel version (oracle/uapi.c), whatever the code says */
static void uapi_rules(void)
{
	const char *why;

	check(uapi_gmem_taken_binding("6.12.117", -EEXIST, 0, &why) == -EINVAL, "uapi: 6.12.117 promises -EINVAL");
	check(uapi_gmem_taken_binding("6.12.118", -EINVAL, 0, &why) == -EEXIST, "uapi: 6.12.118 (the backport) promises -EEXIST");
	check(uapi_gmem_taken_binding("7.2.13", -EINVAL, 0, &why) == -EEXIST, "uapi: 7.2 promises -EEXIST");
	check(uapi_gmem_taken_binding("6.18.5", -EEXIST, 0, &why) == -EEXIST &&
	      uapi_gmem_taken_binding("6.18.5", -EINVAL, 0, &why) == -EINVAL, "uapi: 6.13-7.1 accept either");
	check(uapi_gmem_taken_binding("7.3.4", -EINVAL, 1, &why) == -EINVAL, "uapi: a declared change takes the code's");
}

int main(void)
{
	uapi_rules();
	memslot_rules();
	internal_rules();
	gmem_rules();
	gmem_invalidation_rules();
	notifier_rules();
	fault_rules();
	attribute_rules();
	return failed;
}
