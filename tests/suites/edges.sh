#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: boundary values (gmem_bind, create_edge, invalidate_range). One kernel
# copy broken at test time per class of edge is caught by the named property,
# and the unbroken kernel is clean on the same scenario:
# - a guest_memfd binding check made signed again (the loff_t sum that let an
#   offset near 2^63 through until "Treat memslot binding offset+size as
#   unsigned values");
# - the `end <= start` guard of the hva walk removed: an empty range reaches a
#   handler with an empty gfn range;
# - the gpa wrap check of the memslot request removed.
# Where the mirror still has a 6.12 with the historical signed check (before
# 6.12.115), that kernel is caught as it was shipped.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init

S=$work/s; mkdir -p "$S"
cat > "$S/gmem-offset.txt" <<'SC'
vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal
gmem_create size=0x10000 flags=0
gmem_bind slot=0:0 hva=0x100000000 gpa=0x0 pages=2 guest_memfd=0 offset=2^63-size
SC
cat > "$S/empty-range.txt" <<'SC'
vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=illegal
create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=0
invalidate_range hva=[0x100001000,0x100001000)
invalidate_end which=0 unpaired=all
SC
cat > "$S/gpa-wrap.txt" <<'SC'
vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal
create_edge slot=0:0 hva=0x100000000 gpa=2^64-size+page pages=16 flags=0
SC

if latest=$(build_out latest "${TESTS_OUT_LATEST:-}" KERNEL=latest); then
	for f in "$S"/*.txt; do
		if "$latest/scenario-text" check "$f" > /dev/null 2>&1; then ok "edge scenario ${f##*/} is canonical text"
		else not_ok "edge scenario ${f##*/} is canonical text" "$("$latest/scenario-text" check "$f" 2>&1)"; fi
	done
	fires_on_broken signed-gmem-offset "memslot structure" "$S/gmem-offset.txt" virt/kvm/guest_memfd.c \
		's/|| offset + size > i_size_read(inode))/|| (loff_t)(offset + size) > i_size_read(inode))/' "$latest"
	fires_on_broken no-empty-range-guard "exact ranges" "$S/empty-range.txt" virt/kvm/kvm_main.c \
		's/if (WARN_ON_ONCE(range->end <= range->start))/if (0)/' "$latest"
	fires_on_broken no-gpa-wrap-check "memslot structure" "$S/gpa-wrap.txt" virt/kvm/kvm_main.c \
		's/if (mem->guest_phys_addr + mem->memory_size < mem->guest_phys_addr)/if (0)/' "$latest"
fi

# The shipped bug: Debian 6.12 before 6.12.115 binds at offset 2^63 - size.
old=${EDGES_OLD_612:-6.12.113}
if o=$(build_out "$old" "" KERNEL="$old" 2>/dev/null); then
	expect_verdict "$old as shipped: a binding at offset 2^63-size is accepted (memslot structure)" \
		"$o" "$S/gmem-offset.txt" "memslot structure"
	if o12=$(build_out 6.12 "${TESTS_OUT_6_12:-}" KERNEL=6.12); then
		expect_verdict "6.12 newest: the same binding is refused" "$o12" "$S/gmem-offset.txt" clean
	fi
else
	skip "linux-source $old is not available here (exact versions come from the configured mirror)"
fi
