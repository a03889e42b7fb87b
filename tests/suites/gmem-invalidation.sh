#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: guest_memfd's own invalidation (virt/kvm/guest_memfd.c: fallocate(PUNCH_HOLE) ->
# kvm_gmem_punch_hole(), kvm_gmem_invalidate_begin/_start() and _end(), kvm_gmem_release()) and
# the property "gmem invalidation".
#
# 1. Every kernel, first law on and off, with and without the seed RFC: the gmem seeds (holes
#    over two bindings, a hole nested in an hva invalidation, an INIT_SHARED file's filter, a
#    close while bound) are clean; 6.1 has no guest_memfd: the operations do nothing there.
# 2. Each part of the property fires on the newest 7.x broken at test time: a punch hole that
#    invalidates nothing, an end that is skipped, a release that leaves slot->gmem.file, a
#    filter that ignores the file's flags, and a fault retry check that ignores the sequence.
# 3. Bad input: a hole or a close of an fd with no file is a clean -EBADF; a malformed line is one
#    line naming the cause.
#
# tests/run.sh passes its builds in TESTS_OUT_*; run alone, this builds them.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init
RFC=${RFC:-$(shared_seed rfc-kvm-ignore-mmu-notifiers-gmem-only.txt)}
C=$top/corpus/fuzz_memslot_notifier
SEEDS=(gmem-punch-hole-two-bindings gmem-punch-hole-during-invalidation gmem-punch-hole-shared-filter
	gmem-close-while-bound)
LAW_OFF=KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0

# ---- 1. unbroken kernels -------------------------------------------------------------------------
for K in 6.1 6.12 7.2 latest rfc; do
	v=TESTS_OUT_${K//./_}; v=${v^^}
	if [ "$K" = rfc ]; then
		[ -n "$RFC" ] || { skip "no RFC seed beside the checkout (../shared/seeds): latest + RFC"; continue; }
		o=$(build_out rfc "${!v:-}" KERNEL=latest KERNEL_PATCHES="$RFC") || { not_ok "build latest + RFC"; continue; }
	else
		o=$(build_out "$K" "${!v:-}" KERNEL="$K") || { not_ok "build $K"; continue; }
	fi
	for s in "${SEEDS[@]}"; do
		expect_verdict "$K: $s: guest_memfd's invalidation keeps its promise" "$o" "$C/$s.txt" clean
		expect_verdict "$K, first law off: $s" "$o" "$C/$s.txt" clean "$LAW_OFF"
	done
	tr=$(KVM_HVA_FUZZ_TRACE=1 "$o/replay_memslot_notifier" "$C/gmem-punch-hole-two-bindings.txt" 2>&1)
	case $K in
	6.1) if ! grep -q "^trace: gmem_" <<< "$tr"; then ok "6.1: no guest_memfd: the operations do nothing"
	     else not_ok "6.1: no guest_memfd: the operations do nothing" "$(grep "^trace: gmem_" <<< "$tr")"; fi ;;
	*) if grep -q "^trace: gmem_punch_hole fd=0 mode=0x3 offset=0x4000 len=0x6000 unmap_calls=2 -> 0$" <<< "$tr" &&
	      grep -q "^trace: fault_commit slot=0:0 gfn=0x5 retry$" <<< "$tr"; then
		   ok "$K: the hole unmaps both bindings, and the fault resolved before it retries"
	   else not_ok "$K: the hole unmaps both bindings, and the fault resolved before it retries" "$tr"; fi ;;
	esac
	[ "$K" = latest ] && latest=$o
done

# ---- 2. the property fires on broken kernels ---------------------------------------------------
if [ -n "${latest:-}" ]; then
	# kvm_gmem_punch_hole(): the invalidation covers none of the hole (only the truncation does)
	fires_on_broken gmem-hole-no-invalidate "gmem invalidation" "$C/gmem-punch-hole-two-bindings.txt" \
		virt/kvm/guest_memfd.c '/^static long kvm_gmem_punch_hole/,/^}/{s/\(kvm_gmem_invalidate_[a-z]*\)(inode, start, end);/\1(inode, start, start);/}' "$latest"
	# __kvm_gmem_invalidate_end(): the end is skipped (mmu_invalidate_in_progress stays up)
	fires_on_broken gmem-end-skipped "gmem invalidation" "$C/gmem-punch-hole-during-invalidation.txt" \
		virt/kvm/guest_memfd.c 's/^\t\tkvm_mmu_invalidate_end(kvm);/\t\t;/' "$latest"
	# kvm_gmem_release(): slot->gmem.file is left pointing at the released file
	fires_on_broken gmem-release-keeps-binding "gmem invalidation" "$C/gmem-close-while-bound.txt" \
		virt/kvm/guest_memfd.c '/xa_for_each(&f->bindings, index, slot)$/{n;s/WRITE_ONCE(slot->gmem.file, NULL);/;/}' \
		"$latest"
	# kvm_gmem_get_invalidate_filter(): shared whatever the flags
	fires_on_broken gmem-filter-ignores-flags "gmem invalidation" "$C/gmem-punch-hole-two-bindings.txt" \
		virt/kvm/guest_memfd.c 's/return KVM_FILTER_PRIVATE;/return KVM_FILTER_SHARED;/' "$latest"
	# mmu_invalidate_retry_gfn(): the sequence is not compared (a fault across a hole installs)
	fires_on_broken gmem-retry-ignores-seq "gmem invalidation" "$C/gmem-punch-hole-two-bindings.txt" \
		include/linux/kvm_host.h '/^static inline int mmu_invalidate_retry_gfn(/,/^}/{s/if (kvm->mmu_invalidate_seq != mmu_seq)/if (0)/}' \
		"$latest"
	if "$work/out-gmem-release-keeps-binding/replay_memslot_notifier" "$C/gmem-close-while-bound.txt" 2>&1 | grep -q "^ORACLE VIOLATION: gmem invalidation: a binding outlived its file's release: get_file_active of a guest_memfd file its release already freed"; then
		ok "the report names the lookup that reached the released file"
	else not_ok "the report names the lookup that reached the released file"; fi
else
	skip "no latest build: the gmem invalidation property on broken kernels"
fi

# ---- 3. bad input -----------------------------------------------------------------------------
if [ -n "${latest:-}" ]; then
	printf '%s\n' "vm address_spaces=1 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal" \
		"gmem_punch_hole guest_memfd=3 offset_pages=0 pages=4 mode=punch" "gmem_close guest_memfd=9" > "$work/no-file.txt"
	expect_verdict "a hole and a close of fds with no file: -EBADF, nothing else" "$latest" "$work/no-file.txt" clean
	printf '%s\n' "vm address_spaces=1 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal" \
		"gmem_punch_hole guest_memfd=0 offset_pages=0 pages=4 mode=sideways" > "$work/bad-mode.txt"
	got=$("$latest/replay_memslot_notifier" "$work/bad-mode.txt" 2>&1); rc=$?
	if [ $rc -ne 0 ] && [ "$(wc -l <<< "$got")" -eq 1 ] && grep -q "mode=sideways is not a fallocate mode (one of punch" <<< "$got"; then
		ok "a malformed gmem_punch_hole is one line naming the cause"
	else not_ok "a malformed gmem_punch_hole is one line naming the cause" "rc=$rc $got"; fi
fi
