#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: progress (liveness). A fault with no invalidation that found a slot in
# flight, and none ended since it read mmu_invalidate_seq, must install; the
# vCPU's memslot lookup finds every gfn of a slot that exists. Each is shown to
# fire on the newest 7.x broken at test time, and the unbroken kernel passes
# the same scenario, from every starting value of the counters the header can
# choose (near 2^31, 2^32, 2^63 and 2^64).
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init

S=$work/s; mkdir -p "$S"
scenario() { # name seq-preset generation-preset
	cat > "$S/$1.txt" <<SC
vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=$2 generation=$3 mode=legal
create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=0
create slot=0:1 hva=0x200000000 gpa=0x100000 pages=16 flags=0
invalidate_start hva=[0x200000000,0x200010000)
invalidate_end which=0
fault_resolve slot=0:0 page=15
fault_commit which=0
SC
}
scenario fault 0x0 0x0
scenario fault-2pow31 0x7ffffffe 0x7ffffffe
scenario fault-2pow32 0x100000005 0xfffffffe
scenario fault-2pow63 0x7ffffffffffff000 0x7ffffffffffff000
scenario fault-2pow64 0xfffffffffffffffc 0x0

if latest=$(build_out latest "${TESTS_OUT_LATEST:-}" KERNEL=latest); then
	for f in "$S"/fault-2pow*.txt; do
		expect_verdict "latest: a fault with nothing in flight installs (${f##*/})" "$latest" "$f" clean
	done
	got=$(KVM_HVA_FUZZ_TRACE=1 "$latest/replay_memslot_notifier" "$S/fault.txt" 2>&1)
	if grep -q "fault_commit slot=0:0 gfn=0xf installed" <<< "$got"; then ok "latest: the fault's trace says installed"
	else not_ok "latest: the fault's trace says installed" "$got"; fi
	fires_on_broken retry-always progress "$S/fault.txt" include/linux/kvm_host.h \
		'/^static inline int mmu_invalidate_retry_gfn(/,/^}/s/^\treturn 0;/\treturn 1;/' "$latest"
	fires_on_broken lookup-misses-last-page progress "$S/fault.txt" include/linux/kvm_host.h \
		's/if (gfn < slot->base_gfn + slot->npages)$/if (gfn < slot->base_gfn + slot->npages - 1)/' "$latest"
fi
