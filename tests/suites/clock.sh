#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: the one clock (shims/model_clock.h; docs/oracle.md, "The clock"). Every temporal property
# is judged on the kernel's moments, never on the order of the operations: the seeds named in
# tests/breaks/clock.txt put another CPU's work between a vCPU's read of mmu_invalidate_seq and
# what the harness notes about the fault after it, or a fault inside an end's call. They replay
# clean on every kernel (issue 22's false alarm was the first), the trace shows the events in the
# kernel's order, and each temporal property fires on the newest 7.x broken at test time.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init
RFC=${RFC:-$(shared_seed rfc-kvm-ignore-mmu-notifiers-gmem-only.txt)}
C=$top/corpus/fuzz_memslot_notifier
mapfile -t SEEDS < <(grep -v '^#' "$top/tests/breaks/clock.txt" | cut -f3 | sort -u)

# ---- 1. clean on every kernel, with the first law on and off ------------------------------------------
for K in 6.1 6.12 7.2 latest latest+rfc; do
	if [ "$K" = latest+rfc ]; then
		[ -n "$RFC" ] || { skip "latest+rfc: the seed RFC is not beside the checkout"; continue; }
		o=$(build_out rfc "${TESTS_OUT_RFC:-}" KERNEL=latest KERNEL_PATCHES="$RFC") || { not_ok "build $K"; continue; }
	else
		v=TESTS_OUT_${K//./_}; v=${v^^}
		o=$(build_out "$K" "${!v:-}" KERNEL="$K") || { not_ok "build $K"; continue; }
	fi
	for s in "${SEEDS[@]}"; do
		expect_verdict "$K: $s is clean" "$o" "$C/$s.txt" clean
		expect_verdict "$K: $s is clean with the first law off" "$o" "$C/$s.txt" clean KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0
	done
	[ "$K" = latest ] && latest=$o
done

# ---- 2. the events in the kernel's order --------------------------------------------------------------
if [ -n "${latest:-}" ]; then
	got=$(KVM_HVA_FUZZ_TRACE=1 KVM_HVA_FUZZ_TRACE_CLOCK=1 "$latest/replay_memslot_notifier" "$C/window-end-inside-resolve.txt" 2>&1)
	read_at=$(sed -n 's/^trace: clock \([0-9]*\) seq_read .*/\1/p' <<< "$got" | head -1)
	moved_at=$(sed -n 's/^trace: clock \([0-9]*\) seq_move .*/\1/p' <<< "$got" | head -1)
	check "issue 22: the end's seq move comes after the vCPU's read on the clock (read $read_at, move $moved_at)" \
		test -n "$read_at" -a -n "$moved_at" -a "${moved_at:-0}" -gt "${read_at:-0}"
	check "issue 22: the fault retries (the move's grace period commits it)" \
		grep -q "^trace: fault_commit slot=0:0 gfn=0xffffffffff retry (the grace period waits for it)" <<< "$got"
	got=$(KVM_HVA_FUZZ_TRACE=1 "$latest/replay_memslot_notifier" "$C/window-attributes-inside-resolve.txt" 2>&1)
	check "an attribute change runs inside a vCPU's SRCU read section (it takes slots_lock only)" \
		grep -q "^trace: yield at srcu_read_lock .*: operations 4-4" <<< "$got"
	check "... and is not held for the interrupted thread" bash -c '! grep -q "waits for the interrupted thread" <<< "$1"' _ "$got"

# ---- 3. each temporal property fires on a broken kernel --------------------------------------------------
	while IFS=$'\t' read -r -u 3 name prop seed file expr; do
		[ -n "$name" ] && [ "${name#\#}" = "$name" ] || continue
		fires_on_broken "$name" "$prop" "$C/$seed.txt" "$file" "$expr" "$latest"
	done 3< "$top/tests/breaks/clock.txt"
fi
