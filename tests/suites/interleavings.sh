#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: the cooperative scheduler (harness/scheduler.c). A `yield` runs another thread's work at a
# named point inside an operation's kernel code. One window per bug class (tests/breaks/windows.txt
# says which and why): each break fires its property on the newest 7.x, made at test time, and the
# unbroken kernels pass the same seed scenario (corpus/fuzz_memslot_notifier/window-*.txt). Then the
# scheduler's own rules: a window's memslot request waits for the interrupted one, a point never
# reached runs the window after, the arch unmap's lock break, the text form, a bad point.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init
S=$work/s; mkdir -p "$S"
C=$top/corpus/fuzz_memslot_notifier
WINDOWS=(invalid-publish generation start-count old-memslots blocked-request unmap-lock-break)

# ---- 1. the unbroken kernels ------------------------------------------------------------------------
for K in 6.1 6.12 7.2 latest; do
	v=TESTS_OUT_${K//./_}; v=${v^^}
	o=$(build_out "$K" "${!v:-}" KERNEL="$K") || { not_ok "build $K"; continue; }
	for s in "${WINDOWS[@]}"; do
		expect_verdict "$K: window-$s is clean" "$o" "$C/window-$s.txt" clean
	done
	[ "$K" = latest ] && latest=$o
done

# ---- 2. each window's property fires on a broken kernel ------------------------------------------------
if [ -n "${latest:-}" ]; then
	trace() { KVM_HVA_FUZZ_TRACE=1 "$latest/replay_memslot_notifier" "$C/window-$1.txt" 2>&1; }
	check "invalid-publish: the window runs inside the delete's grace period, and the start zaps the INVALID slot" \
		grep -q "^trace: yield at synchronize_srcu .*kvm_main.c:[0-9]*): operations 5-6" <<< "$(trace invalid-publish)"
	check "old-memslots: the delete's grace period waits for the vCPU, which commits through the slot it resolved" \
		grep -q "^trace: fault_commit slot=0:0 gfn=0x1 installed (the grace period waits for it)" <<< "$(trace old-memslots)"
	while IFS=$'\t' read -r -u 3 name prop seed file expr; do
		[ -n "$name" ] && [ "${name#\#}" = "$name" ] || continue
		fires_on_broken "$name" "$prop" "$C/$seed.txt" "$file" "$expr" "$latest"
	done 3< "$top/tests/breaks/windows.txt"

	# ---- 3. the scheduler's rules ----------------------------------------------------------------------
	got=$(trace blocked-request)
	check "a memslot request in a window waits for the interrupted one (slots_lock), a vCPU does not" \
		grep -q "^trace: op 3 create waits for the interrupted thread" <<< "$got"
	check "... and runs after it" grep -q "set_memory_region slot=0:1 .* -> 0" <<< "$got"
	got=$(trace start-count)
	check "a point the operation never reaches runs the window after it" \
		grep -q "^trace: yield at mn_invalidate_lock #2 not reached: operations 3-3 run after" <<< "$got"
	got=$(trace unmap-lock-break)
	check "the arch unmap drops mmu_lock between entries: a vCPU commit runs there and must retry" \
		grep -q "^trace: yield at cond_resched cond_resched_rwlock_write" <<< "$got"
	check "... the fault retries" grep -q "^trace: fault_commit slot=0:0 gfn=0x1 retry" <<< "$got"
fi
tool=$(scenario_text_tool "${latest:-}")
if [ -n "$tool" ]; then
	printf '%s\n' "vm address_spaces=1 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal" \
		"yield at=srcu_read_unlock nth=8 ops=8" > "$S/yield.txt"
	"$tool" to-bytes "$S/yield.txt" > "$work/y.bin" 2>/dev/null && "$tool" to-text "$work/y.bin" > "$work/y.txt" 2>/dev/null
	check "the text form of a yield round-trips" cmp -s "$S/yield.txt" "$work/y.txt"
	sed 's/at=srcu_read_unlock/at=spin_lock/' "$S/yield.txt" > "$S/bad-point.txt"
	got=$("$tool" to-bytes "$S/bad-point.txt" 2>&1 >/dev/null); rc=$?
	check "a yield at a point that does not exist is one line naming it, exit non-zero" \
		test "$rc" -ne 0 -a "$(wc -l <<< "$got")" -eq 1 -a -n "$(grep -F 'at=spin_lock is not a yield point' <<< "$got")"
fi
