#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: x86's internal memslots and the ids next to KVM_USER_MEM_SLOTS. Each
# rule that separates the internal path from the ioctl is broken in a kernel
# copy at test time and caught by the named property, and the unbroken kernels
# (6.1, 6.12, 7.2, the newest 7.x, and 7.x + the RFC) pass the same scenarios:
# - the ioctl's id limit off by one: userspace gets KVM_USER_MEM_SLOTS itself,
#   x86's first internal id;
# - kvm_set_internal_memslot() taking flags (7.x);
# - the hva alignment check skipped for internal ids, as it was before "KVM:
#   check userspace_addr for all memslots" (v5.9), on kvm_set_internal_memslot()'s
#   path (7.x) ...
# - ... and access_ok() skipped for them on __kvm_set_memory_region()'s (6.12).
# The x86 profile's KVM_INTERNAL_MEM_SLOTS is checked against each tree's header.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init
RFC=${RFC:-$(shared_seed rfc-kvm-ignore-mmu-notifiers-gmem-only.txt)}

S=$work/s; mkdir -p "$S"
# x86's APIC access page, then userspace at the ids on either side of the limit
cat > "$S/id-limit.txt" <<'SC'
vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal
internal_memslot slot=0:user+1 hva=0x7f0000000000 gpa=0x80000000 pages=1 flags=0
create slot=0:user-1 hva=0x100000000 gpa=0x0 pages=16 flags=0
create slot=0:user+0 hva=0x200000000 gpa=0x100000 pages=1 flags=0
delete slot=0:user+1
SC
# calls x86 never makes (mode illegal): a flag, an unaligned hva, a range past TASK_SIZE_MAX
for call in "flags:hva=0x7f0000000000 gpa=0x80000000 pages=1 flags=LOG_DIRTY_PAGES" \
	"hva-unaligned:hva=0x7f0000000001 gpa=0x80000000 pages=1 flags=0" \
	"hva-task-size:hva=0x7ffffffff000 gpa=0x80000000 pages=1 flags=0"; do
	printf 'vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=illegal\n%s\n' \
		"internal_memslot slot=0:user+0 ${call#*:}" > "$S/internal-${call%%:*}.txt"
done

latest=$(build_out latest "${TESTS_OUT_LATEST:-}" KERNEL=latest) || latest=""
if [ -n "$latest" ]; then
	for f in "$S"/*.txt; do
		if "$latest/scenario-text" check "$f" > /dev/null 2>&1; then ok "internal-memslot scenario ${f##*/} is canonical text"
		else not_ok "internal-memslot scenario ${f##*/} is canonical text" "$("$latest/scenario-text" check "$f" 2>&1)"; fi
	done
fi

# ---- the unbroken kernels pass every scenario; the profile's internal ids are the tree's ---------------
for pair in "6.1:${TESTS_OUT_6_1:-}" "6.12:${TESTS_OUT_6_12:-}" "7.2:${TESTS_OUT_7_2:-}" "latest:${TESTS_OUT_LATEST:-}" \
	"latest+rfc:${TESTS_OUT_RFC:-}"; do
	k=${pair%%:*} d=${pair#*:}
	if [ "$k" = latest+rfc ]; then
		[ -n "$RFC" ] || { skip "7.x + RFC: the seed RFC is not in ../shared/seeds"; continue; }
		o=$(build_out rfc "$d" KERNEL=latest KERNEL_PATCHES="$RFC") || { not_ok "$k builds"; continue; }
	else
		o=$(build_out "$k" "$d" KERNEL="$k") || { not_ok "$k builds"; continue; }
	fi
	v=$(kernel_info "$o" kernel)
	for f in "$S"/*.txt; do expect_verdict "$k ($v): ${f##*/} is clean" "$o" "$f" clean; done
	# KVM_USER_MEM_SLOTS as the build has it (user-1 in the trace) against the tree's arch header
	[ "$k" = latest+rfc ] && continue
	tree=$(tree_of KERNEL="$k")
	n=$(sed -n 's/^#define KVM_INTERNAL_MEM_SLOTS \([0-9]*\)$/\1/p' "$tree/arch/x86/include/asm/kvm_host.h" 2>/dev/null)
	got=$(KVM_HVA_FUZZ_TRACE=1 "$o/replay_memslot_notifier" "$S/id-limit.txt" 2>&1 |
		sed -n 's/^trace: set_memory_region slot=0:\([0-9]*\) gpa=0x0 .*/\1/p' | head -1)
	if [ -n "$n" ] && [ "$got" = "$((32767 - n - 1))" ]; then
		ok "$k: user-1 is id $got, KVM_MEM_SLOTS_NUM less the tree's $n internal slots, less one"
	else not_ok "$k: the profile's internal slots are the tree's" "tree: ${n:-none}, user-1 in the trace: ${got:-none}"; fi
done

# ---- each rule broken at test time is caught -----------------------------------------------------
if [ -n "$latest" ]; then
	fires_on_broken ioctl-id-limit-off-by-one "memslot structure" "$S/id-limit.txt" virt/kvm/kvm_main.c \
		's/if ((u16)mem->slot >= KVM_USER_MEM_SLOTS)/if ((u16)mem->slot > KVM_USER_MEM_SLOTS)/' "$latest"
	fires_on_broken internal-memslot-takes-flags "memslot structure" "$S/internal-flags.txt" virt/kvm/kvm_main.c \
		's/if (WARN_ON_ONCE(mem->flags))/if (0)/' "$latest"
	fires_on_broken internal-hva-alignment-skipped "memslot structure" "$S/internal-hva-unaligned.txt" virt/kvm/kvm_main.c \
		's/if ((mem->userspace_addr \& (PAGE_SIZE - 1)) ||/if (id < KVM_USER_MEM_SLOTS \&\& (mem->userspace_addr \& (PAGE_SIZE - 1)) ||/' "$latest"
fi
if o612=$(build_out 6.12 "${TESTS_OUT_6_12:-}" KERNEL=6.12); then
	fires_on_broken internal-access-ok-skipped "memslot structure" "$S/internal-hva-task-size.txt" virt/kvm/kvm_main.c \
		's/     !access_ok((void __user \*)(unsigned long)mem->userspace_addr,/     !(id >= KVM_USER_MEM_SLOTS) * !access_ok((void __user *)(unsigned long)mem->userspace_addr,/' \
		"$o612" 6.12
fi
