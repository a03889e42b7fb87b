#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: the cooperative scheduler (fuzzers/scheduler.c). A `yield` runs another thread's work at a
# named point inside an operation's kernel code. One window per historical bug class; each is shown
# to fire on the newest 7.x broken at test time, and the unbroken kernels pass the same scenario:
#
#   invalid-publish  between publishing an INVALID slot and kvm_arch_flush_shadow_memslot(): an
#                    invalidate_range_start() there must still zap the slot (broken: the hva walk
#                    skips INVALID slots) -> notifier safety
#   generation       between the generation's in-progress mark and the arch hook: a pfn cache
#                    checked there must not be valid (broken: no in-progress mark) -> pfn cache fresh
#   start-count      between the invalidation's walk (kvm_mmu_invalidate_start) and its active count:
#                    a memslot update must not get in (broken: the count taken after the walk)
#                    -> lock and accounting
#   old-memslots     a vCPU that read the old memslots under SRCU while the delete swaps: the grace
#                    period waits for it, then the delete zaps what it installed (broken: the flush
#                    before the swap) -> notifier safety
#
# Then the scheduler's own rules: a window's memslot request waits for the interrupted one, a point
# never reached runs the window after, the text form round-trips, a bad point is one line.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init
S=$work/s; mkdir -p "$S"
scenario() { local f="$S/$1.txt"; shift; printf '%s\n' "$@" > "$f"; }
VM="vm address_spaces=1 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal"
SLOT="create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=0"
scenario invalid-publish "$VM" "$SLOT" "fault_resolve slot=0:0 page=1" "fault_commit which=0" \
	"yield at=synchronize_srcu nth=1 ops=2" "delete slot=0:0" \
	"invalidate_start hva=[0x100000000,0x100010000)" "invalidate_end which=0"
scenario generation "$VM" "$SLOT" "gpc_activate cache=0 gpa=0x1000 len=8" \
	"yield at=synchronize_srcu nth=1 ops=1" "delete slot=0:0" "gpc_check cache=0 len=8"
scenario start-count "$VM" "$SLOT" "yield at=mn_invalidate_lock nth=2 ops=1" \
	"invalidate_start hva=[0x100000000,0x100010000)" "delete slot=0:0" "invalidate_end which=0"
scenario old-memslots "$VM" "$SLOT" "fault_resolve slot=0:0 page=1" "delete slot=0:0" "fault_commit which=0"
# the scheduler's rules
scenario blocked "$VM" "$SLOT" "yield at=synchronize_srcu nth=1 ops=2" "delete slot=0:0" \
	"create slot=0:1 hva=0x200000000 gpa=0x100000 pages=16 flags=0" "fault_resolve slot=0:0 page=2"
scenario unlock-unmap "$VM" "$SLOT" "fault_resolve slot=0:0 page=1" \
	"yield at=cond_resched nth=1 ops=1" "invalidate_start hva=[0x100000000,0x100010000)" "fault_commit which=0" \
	"invalidate_end which=0"

# ---- 1. the unbroken kernels ------------------------------------------------------------------------
for K in 6.1 6.12 7.2 latest; do
	v=TESTS_OUT_${K//./_}; v=${v^^}
	o=$(build_out "$K" "${!v:-}" KERNEL="$K") || { not_ok "build $K"; continue; }
	for s in invalid-publish generation start-count old-memslots blocked unlock-unmap; do
		expect_verdict "$K: $s: the window is clean" "$o" "$S/$s.txt" clean
	done
	[ "$K" = latest ] && latest=$o
done

# ---- 2. each window's property fires on a broken kernel ------------------------------------------------
if [ -n "${latest:-}" ]; then
	trace() { KVM_HVA_FUZZ_TRACE=1 "$latest/replay_memslot_notifier" "$S/$1.txt" 2>&1; }
	check "invalid-publish: the window runs inside the delete's grace period, and the start zaps the INVALID slot" \
		grep -q "^trace: yield at synchronize_srcu .*kvm_main.c:[0-9]*): operations 5-6" <<< "$(trace invalid-publish)"
	check "old-memslots: the delete's grace period waits for the vCPU, which commits through the slot it resolved" \
		grep -q "^trace: fault_commit slot=0:0 gfn=0x1 installed (the grace period waits for it)" <<< "$(trace old-memslots)"
	fires_on_broken walk-skips-invalid "notifier safety" "$S/invalid-publish.txt" virt/kvm/kvm_main.c \
		's/^\t\t\tslot = container_of(node, struct kvm_memory_slot, hva_node\[slots->node_idx\]);$/&\n\t\t\tif (slot->flags \& KVM_MEMSLOT_INVALID)\n\t\t\t\tcontinue;/' "$latest"
	fires_on_broken no-in-progress-generation "pfn cache fresh" "$S/generation.txt" virt/kvm/kvm_main.c \
		's/slots->generation = gen | KVM_MEMSLOT_GEN_UPDATE_IN_PROGRESS;/slots->generation = gen;/' "$latest"
	fires_on_broken count-after-walk "lock and accounting" "$S/start-count.txt" virt/kvm/kvm_main.c \
		'/^static int kvm_mmu_notifier_invalidate_range_start/,/^}/{/^\tkvm->mn_active_invalidate_count++;$/d;s/^\t\tkvm_arch_guest_memory_reclaimed(kvm);$/&\n\tspin_lock(\&kvm->mn_invalidate_lock);\n\tkvm->mn_active_invalidate_count++;\n\tspin_unlock(\&kvm->mn_invalidate_lock);/}' "$latest"
	fires_on_broken flush-before-swap "notifier safety" "$S/old-memslots.txt" virt/kvm/kvm_main.c \
		'/^static void kvm_invalidate_memslot/,/^}/{/^\tkvm_arch_flush_shadow_memslot(kvm, old);$/d;s/^\tkvm_swap_active_memslots(kvm, old->as_id);$/\tkvm_arch_flush_shadow_memslot(kvm, old);\n&/}' "$latest"

	# ---- 3. the scheduler's rules ----------------------------------------------------------------------
	got=$(trace blocked)
	check "a memslot request in a window waits for the interrupted one (slots_lock), a vCPU does not" \
		grep -q "^trace: op 3 create waits for the interrupted thread" <<< "$got"
	check "... and runs after it" grep -q "set_memory_region slot=0:1 .* -> 0" <<< "$got"
	got=$(trace start-count)
	check "a point the operation never reaches runs the window after it" \
		grep -q "^trace: yield at mn_invalidate_lock #2 not reached: operations 3-3 run after" <<< "$got"
	got=$(trace unlock-unmap)
	check "the arch unmap drops mmu_lock between entries: a vCPU commit runs there and must retry" \
		grep -q "^trace: yield at cond_resched cond_resched_rwlock_write" <<< "$got"
	check "... the fault retries" grep -q "^trace: fault_commit slot=0:0 gfn=0x1 retry" <<< "$got"
fi
tool=$(scenario_text_tool "${latest:-}")
if [ -n "$tool" ]; then
	"$tool" to-bytes "$S/invalid-publish.txt" > "$work/ip.bin" 2>/dev/null && "$tool" to-text "$work/ip.bin" > "$work/ip.txt" 2>/dev/null
	check "the text form of a yield round-trips" cmp -s "$S/invalid-publish.txt" "$work/ip.txt"
	scenario bad-point "$VM" "yield at=spin_lock nth=1 ops=1"
	got=$("$tool" to-bytes "$S/bad-point.txt" 2>&1 >/dev/null); rc=$?
	check "a yield at a point that does not exist is one line naming it, exit non-zero" \
		test "$rc" -ne 0 -a "$(wc -l <<< "$got")" -eq 1 -a -n "$(grep -F 'at=spin_lock is not a yield point' <<< "$got")"
fi
