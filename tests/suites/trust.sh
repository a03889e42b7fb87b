#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: the oracle is one specification (no false alarm, no blind spot).
#
# 1. With the first law off the harness says nothing about the hva side of
#    gmem-only slots: on 7.x + the seed RFC (which leaves them mapped on
#    purpose) the first-law-off target replays the seeds that used to be left
#    out clean and its seed corpus holds every seed; law off on unpatched 7.x
#    is clean on the gmem-only seeds too, and still catches the bug of part 2.
# 2. The range tables' sentinel kvm_null_fn is never called: 6.1.192 calls it
#    from invalidate_range_end when slots sit in both address spaces (the
#    `break` upstream replaced in c3f3edf73a8f, v6.10); 6.12 and 7.x are clean
#    on the same scenario, and a 7.x copy with the `break` put back is caught.
#
# tests/run.sh passes its builds in TESTS_OUT_*; run alone, this builds them.
. "$(dirname "${BASH_SOURCE[0]}")/../suite-lib.sh"
RFC=${RFC:-$top/../shared/seeds/rfc-kvm-ignore-mmu-notifiers-gmem-only.txt}

# ---- 1. the first law off: no statement about gmem-only slots' hva side --------------------
seeds=corpus/fuzz_memslot_notifier
if [ -f "$RFC" ] && rfc=$(out_for rfc "${TESTS_OUT_RFC:-}" KERNEL=latest KERNEL_PATCHES="$RFC"); then
	for s in gmem-only-aliasing-ordinary-slot gmem-only-delete-during-invalidation gmem-only-fault-across-invalidation; do
		expect_verdict "latest + RFC, first law off: $s replays clean" clean "$rfc" "$seeds/$s.txt" \
			KVM_HVA_FUZZ_GMEM_ONLY_CHECK=0
		expect_verdict "latest + RFC, first law on: $s replays clean" clean "$rfc" "$seeds/$s.txt"
	done
	n=$(ls "$seeds"/*.txt | wc -l)
	for t in fuzz_memslot_notifier fuzz_memslot_notifier_first_law_off; do
		z=$(unzip -Z1 "$rfc/${t}_seed_corpus.zip" 2>/dev/null | wc -l)
		if [ "$z" -eq "$n" ]; then ok "latest + RFC: ${t}_seed_corpus.zip holds all $n seeds"
		else not_ok "latest + RFC: ${t}_seed_corpus.zip holds all seeds" "$z of $n"; fi
	done
else
	echo "# skip: no latest + RFC build (RFC seed at $RFC?): first-law-off checks on the RFC skipped"
fi
if latest=$(out_for latest "${TESTS_OUT_LATEST:-}" KERNEL=latest); then
	for s in gmem-only-aliasing-ordinary-slot gmem-only-delete-during-invalidation gmem-only-fault-across-invalidation \
		gmem-only-invalidate-start gmem-only-clear-young; do
		expect_verdict "latest unpatched, first law off: $s replays clean" clean "$latest" "$seeds/$s.txt" \
			KVM_HVA_FUZZ_GMEM_ONLY_CHECK=0
	done
fi

# ---- 2. kvm_null_fn is compared, never called ---------------------------------------------
both=$work/both-address-spaces.txt
cat > "$both" <<'SC'
# slots in both address spaces and one invalidation over both
vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal
create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=0
create slot=1:0 hva=0x100000000 gpa=0x100000 pages=16 flags=0
invalidate_start hva=[0x100000000,0x100010000)
invalidate_end which=0
SC
if o=$(out_for 6.1 "${TESTS_OUT_6_1:-}" KERNEL=6.1); then
	expect_verdict "6.1: invalidate_range_end over slots in both address spaces calls kvm_null_fn (callee role)" \
		"callee role" "$o" "$both"
	got=$("$o/replay_memslot_notifier" "$both" 2>&1)
	if grep -q "^ORACLE VIOLATION: callee role: invalidate_range_end called kvm_null_fn" <<< "$got" &&
	   grep -q "address spaces 0 and 1" <<< "$got"; then
		ok "6.1: the report names the event, the sentinel and the address spaces"
	else not_ok "6.1: the callee-role report" "$got"; fi
	one=$work/one-address-space.txt
	grep -v 'slot=1:0' "$both" > "$one"
	expect_verdict "6.1: the same invalidation with slots in one address space is clean" clean "$o" "$one"
fi
for K in 6.12 latest; do
	v=TESTS_OUT_${K//./_}; v=${v^^}
	o=$(out_for "$K" "${!v:-}" KERNEL="$K") || continue
	expect_verdict "$K: slots in both address spaces, one invalidation: clean (goto mmu_unlock)" clean "$o" "$both"
done

if p=$(break_latest null-handler-break virt/kvm/kvm_main.c 's/^\(\t*\)goto mmu_unlock;/\1break;/'); then
	if o=$(out_for null-break "" KERNEL=latest KERNEL_PATCHES="$p"); then
		expect_verdict "property fires: callee role (latest with 6.1's break after on_lock)" "callee role" "$o" "$both"
		# the law-off target still sees the ordinary-slot bug
		expect_verdict "property fires with the first law off: callee role (null-handler-break)" "callee role" \
			"$o" "$both" KVM_HVA_FUZZ_GMEM_ONLY_CHECK=0
	else not_ok "property fires: callee role (null-handler-break)" "build failed"; fi
else not_ok "property fires: callee role (null-handler-break)" "could not make the patch"; fi
