#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test suite (the README's test command; .ci/run calls exactly this).
# Fetches (cached) one exact version of 6.1, 6.12, 7.2 and 7.3 (scripts/lib.sh's
# suite_kernels; "latest" is 7.3.4 here; x86, and 6.12 and 7.3 on the arm64
# profile), builds, and runs hand-written
# scenarios whose outcomes were derived by reading the kernel; proves every
# oracle property fires on a kernel broken on purpose. Ends with "N passed, N failed".
{ # parsed whole before it runs: editing this file during a run cannot change that run
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
[ $# -eq 0 ] || die "unknown argument '$1' (settings are environment variables: KVM_HVA_FUZZ_KERNEL_PINS, RFC_SEED, TEST_WORK, BUILD_ROOT)"
suite_init	# ok, not_ok, check count into pass and fail
# The RFC seed lives beside the checkout, in ../shared/seeds/ (not committed: it is kernel text).
RFC=${RFC_SEED:-$(shared_seed rfc-kvm-ignore-mmu-notifiers-gmem-only.txt)}

# ---- hand-written scenarios, in the text form (scenario/scenario_text.c); outcomes derived by reading the kernel
S="$work/s"; mkdir -p "$S"
VM2="vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal"
VM1="vm address_spaces=1 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal"
SLOT00="create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=0"
SLOT01="create slot=0:1 hva=0x100010000 gpa=0x100000 pages=16 flags=0"         # adjacent in hva
SLOT10="create slot=1:0 hva=0x100010000 gpa=0x100000 pages=16 flags=0"         # address space 1
OVERLAP="create slot=0:1 hva=0x100010000 gpa=0x8000 pages=16 flags=0"          # gfns overlap 0:0
MISALIGNED="raw_request slot=0x0 flags=0x0 gpa=0x100 size=0x1000 hva=0x100000010"
DELETE00="delete slot=0:0"
SPAN="invalidate_start hva=[0x100000000,0x100020000)"                         # both slots
PARTIAL="invalidate_start hva=[0x100008000,0x100014000)"                      # half of 0:0, 4 pages of 0:1
END0="invalidate_end which=0"
RESOLVE="fault_resolve slot=0:0 page=9"                                       # inside PARTIAL
COMMIT="fault_commit which=0"
GMEM="gmem_create size=0x10000 flags=MMAP"
GMEMSLOT="create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=GUEST_MEMFD guest_memfd=0 offset_pages=0"
scenario() { # name lines... -> $S/name.txt
	local f="$S/$1.txt"; shift
	printf '%s\n' "$@" > "$f"
}
scenario span "$VM2" "$SLOT00" "$SLOT01" "$SPAN" "$END0"
scenario partial "$VM2" "$SLOT00" "$SLOT01" "$PARTIAL" "$END0"
scenario overlap "$VM2" "$SLOT00" "$OVERLAP"
scenario misaligned "$VM2" "$MISALIGNED"
scenario recreate "$VM2" "$SLOT00" "$DELETE00" "$SLOT00"
scenario as1 "$VM2" "$SLOT00" "$SLOT10" "$SPAN" "$END0"
scenario as1-on-1as "$VM1" "$SLOT10"
scenario fault-race "$VM2" "$SLOT00" "$RESOLVE" "$PARTIAL" "$END0" "$COMMIT"
scenario gmem-only "$VM2" "$GMEM" "$GMEMSLOT" "$SPAN"
scenario gmem-taken "$VM2" "gmem_create size=0x10000 flags=0" "$GMEMSLOT" \
	"create slot=0:1 hva=0x100010000 gpa=0x100000 pages=16 flags=GUEST_MEMFD guest_memfd=0 offset_pages=0"

trace() { # out scenario
	KVM_HVA_FUZZ_TRACE=1 "$1/replay_memslot_notifier" "$2" 2>&1
}
expect_trace() { # name out scenario expected-lines...
	local name=$1 out=$2 sc=$3; shift 3
	local got; got=$(trace "$out" "$sc"); local rc=$?
	local missing="" prop
	for l in "$@"; do grep -qF -- "$l" <<< "$got" || missing+="missing: $l"$'\n'; done
	# a finding the kernel is known to have (6.1's null handler at teardown) leaves the trace valid
	prop=$(finding_key <<< "$got")
	if [ $rc -ne 0 ] && [ -n "$prop" ] && known_findings "${K:-}" | grep -xF "$prop" > /dev/null; then rc=0; name+=" (then the kernel's known finding: $prop)"; fi
	if [ $rc -eq 0 ] && [ -z "$missing" ]; then ok "$name"; else not_ok "$name" "$missing$got"; fi
}

# ---- per kernel: build, -runs=2000 per target, hand-written scenarios ------------------
# 7.2 and 7.3 (latest) have gmem-only memslots and no fix for the first law
gmem_only_kernel() { [ "$K" = latest ] || [ "$K" = 7.2 ]; }
for K in 6.1 6.12 7.2 latest; do
	out="$work/out-$K"
	if ! KERNEL=$K OUT="$out" ./build.sh > "$work/build-$K.log" 2>&1; then
		not_ok "build $K" "$(tail -20 "$work/build-$K.log")"; continue
	fi
	ver=$(kernel_info "$out" kernel)
	ok "build $K ($ver)"
	for t in fuzz_memslot_notifier fuzz_interval_tree; do
		mkdir -p "$work/corpus-$K-$t"
		extra=()
		gmem_only_kernel && [ $t = fuzz_memslot_notifier ] && extra=(env KVM_HVA_FUZZ_GMEM_ONLY_CHECK=0)
		check_run "$K" "$ver: $t -runs=2000 -seed=1 without an unknown finding${extra:+ (gmem-only untouched off: unpatched)}" \
			"${extra[@]}" "$out/$t" -runs=2000 -seed=1 "$work/corpus-$K-$t"
	done
	expect_trace "$ver: one invalidation over two slots calls the unmap handler once per slot, exact gfns" \
		"$out" "$S/span.txt" "invalidate_range_start kvm_unmap_gfn_range slot=0:0 gfn=[0x0,0x10)" \
		"invalidate_range_start kvm_unmap_gfn_range slot=0:1 gfn=[0x100,0x110)"
	expect_trace "$ver: a partial range is clipped to the pages it touches" \
		"$out" "$S/partial.txt" "slot=0:0 gfn=[0x8,0x10)" "slot=0:1 gfn=[0x100,0x104)"
	expect_trace "$ver: an overlapping create returns -EEXIST" "$out" "$S/overlap.txt" \
		"slot=0:0 gpa=0x0 size=0x10000 hva=0x100000000 flags=0x0 guest_memfd=0 offset=0x0 -> 0" "slot=0:1 gpa=0x8000 size=0x10000 hva=0x100010000 flags=0x0 guest_memfd=0 offset=0x0 -> -17"
	expect_trace "$ver: a misaligned guest physical address returns -EINVAL" "$out" "$S/misaligned.txt" "gpa=0x100 size=0x1000" "-> -22"
	expect_trace "$ver: delete then re-create" "$out" "$S/recreate.txt" \
		"slot=0:0 gpa=0x0 size=0x0 hva=0x100000000 flags=0x0 guest_memfd=0 offset=0x0 -> 0" "slot=0:0 gpa=0x0 size=0x10000 hva=0x100000000 flags=0x0 guest_memfd=0 offset=0x0 -> 0"
	expect_trace "$ver: both address spaces are walked" "$out" "$S/as1.txt" \
		"slot=0:0 gfn=[0x0,0x10)" "slot=1:0 gfn=[0x100,0x110)"
	if [ "$K" = 6.1 ]; then	# 6.1: KVM_ADDRESS_SPACE_NUM is a compile-time 2, not a VM setting
		expect_trace "$ver: address space 1 exists on every VM (compile-time KVM_ADDRESS_SPACE_NUM)" "$out" "$S/as1-on-1as.txt" "slot=1:0 gpa=0x100000 size=0x10000 hva=0x100010000 flags=0x0 guest_memfd=0 offset=0x0 -> 0"
	else
		expect_trace "$ver: address space 1 on a 1-address-space VM returns -EINVAL" "$out" "$S/as1-on-1as.txt" "slot=1:0 gpa=0x100000" "-> -22"
	fi
	# a guest_memfd range another slot binds: 6.12 up to .117's kvm_gmem_bind() fails with its
	# r = -EINVAL, the backport of "Return -EEXIST for overlapping bindings" (6.12.118) and 7.2 set
	# r = -EEXIST, 7.3's kvm_gmem_commit_memory_region() returns -EEXIST. Which one this tree does
	# is read from its code, as the harness reads it (a point release may carry the backport).
	case $(kernel_feature "$out" ERRNO_gmem_taken_binding) in
		-EINVAL) taken=-22 ;; -EEXIST) taken=-17 ;; *) taken="" ;;
	esac
	[ -z "$taken" ] || expect_trace "$ver: binding a taken guest_memfd range returns $taken" "$out" "$S/gmem-taken.txt" \
		"slot=0:1 gpa=0x100000 size=0x10000 hva=0x100010000 flags=0x4 guest_memfd=0 offset=0x0 -> $taken"
	expect_trace "$ver: a fault resolved before an invalidation is not installed after it" "$out" "$S/fault-race.txt" "kvm_unmap_gfn_range slot=0:0" "fault_commit slot=0:0 gfn=0x9 retry"
	tree=$(kernel_info "$out" tree)
	check "$ver: the memslot-set init model equals kvm_create_vm()'s loop" \
		python3 tests/memslot-init-matches-kernel.py "$tree/virt/kvm/kvm_main.c" shims/model_vm.c
	sed 's/hash_init(slots->id_hash);//' shims/model_vm.c > "$work/adapter-broken.c"
	if ! python3 tests/memslot-init-matches-kernel.py "$tree/virt/kvm/kvm_main.c" "$work/adapter-broken.c" >/dev/null 2>&1; then
		ok "$ver: the memslot-init comparison catches a model that skips hash_init"
	else not_ok "$ver: the memslot-init comparison catches a broken model"; fi
	# A verdict does not depend on what ran before it in the same process: the gmem-only scenario
	# after two others gets the verdict it gets alone (a finding on 7.x, clean before), and so
	# does a clean one replayed three times.
	alone=$(replay_verdict "$out/replay_memslot_notifier" "$S/gmem-only.txt")
	after=$(replay_verdict "$out/replay_memslot_notifier" "$S/span.txt" "$S/fault-race.txt" "$S/gmem-only.txt")
	if [ "$alone" = "$after" ]; then ok "$ver: the gmem-only scenario after two others: the same verdict as alone ($alone)"
	else not_ok "$ver: the gmem-only scenario after two others: the same verdict as alone" "alone: $alone, after: $after"; fi
	alone=$(replay_verdict "$out/replay_memslot_notifier" "$S/span.txt")
	after=$(replay_verdict "$out/replay_memslot_notifier" "$S/span.txt" "$S/span.txt" "$S/span.txt")
	if [ "$alone" = "$after" ]; then ok "$ver: one scenario replayed three times: the same verdict as once ($alone)"
	else not_ok "$ver: one scenario replayed three times: the same verdict as once" "once: $alone, three times: $after"; fi
	if gmem_only_kernel; then
		expect_verdict "$ver unpatched: a gmem-only slot is touched by an hva notifier" "$out" "$S/gmem-only.txt" "gmem-only untouched"
		expect_verdict "$ver unpatched: the committed regression replays to gmem-only untouched" \
			"$out" corpus/regressions/gmem-only-touched-7.x.txt "gmem-only untouched"
		expect_verdict "$ver unpatched: with gmem-only untouched off, no finding" "$out" "$S/gmem-only.txt" clean \
			KVM_HVA_FUZZ_GMEM_ONLY_CHECK=0
	else
		expect_verdict "$ver: no gmem-only slots, no finding on the gmem scenario" "$out" "$S/gmem-only.txt" clean
	fi
done

# ---- newest 7.x with the RFC, applied as the raw mail it is --------------------------------
if [ -f "$RFC" ]; then
	out="$work/out-rfc"
	if KERNEL=latest KERNEL_PATCHES="$RFC" OUT="$out" ./build.sh > "$work/build-rfc.log" 2>&1; then
		ok "build latest + RFC (raw mail)"
		expect_verdict "latest + RFC: the gmem-only scenario is clean" "$out" "$S/gmem-only.txt" clean
		expect_verdict "latest + RFC: the regression file is clean" "$out" corpus/regressions/gmem-only-touched-7.x.txt clean
		mkdir -p "$work/corpus-rfc"
		check_run latest+rfc "latest + RFC: fixed-seed run (-runs=20000 -seed=1) without an unknown finding" \
			"$out/fuzz_memslot_notifier" -runs=20000 -seed=1 "$work/corpus-rfc"
		check "latest + RFC: fuzz_interval_tree -runs=2000" "$out/fuzz_interval_tree" -runs=2000 -seed=1
	else
		not_ok "build latest + RFC" "$(tail -5 "$work/build-rfc.log")"
	fi
else
	skip "the checks with the RFC applied: no rfc-kvm-ignore-mmu-notifiers-gmem-only.txt in ../shared/seeds/"
fi

# ---- the arm64 profile (KVM_ARCH=arm64): outcomes that differ from x86, by the kernel's rules --------
# arm64 defines no KVM_MAX_NR_ADDRESS_SPACES (kvm_host.h's default: 1, so kvm_arch_nr_memslot_as_ids()
# is 1 and an as_id of 1 is -EINVAL in kvm_set_memory_region()), no kvm_arch_has_readonly_mem() (the
# default is IS_ENABLED(CONFIG_HAVE_KVM_READONLY_MEM): read-only on every VM) and no private memory
# (6.12's check_memory_region_flags() takes KVM_MEM_GUEST_MEMFD only if kvm_arch_has_private_mem()).
scenario ro-on-no-ro "vm address_spaces=1 readonly_mem=0 mmu_invalidate_seq=0x0 generation=0x0 mode=legal" \
	"create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=READONLY"
for K in 6.12 latest; do
	out="$work/out-arm64-$K"
	if ! KVM_ARCH=arm64 KERNEL=$K OUT="$out" ./build.sh > "$work/build-arm64-$K.log" 2>&1; then
		not_ok "build arm64 $K" "$(tail -5 "$work/build-arm64-$K.log")"; continue
	fi
	ver="arm64 $(awk '/^kernel/{print $2}' "$out/kernel-info.txt")"
	ok "build $ver (fuzz_memslot_notifier_arm64, fuzz_memslot_notifier_gmem_only_untouched_off_arm64)"
	mkdir -p "$work/corpus-arm64-$K"
	check "$ver: fuzz_memslot_notifier_gmem_only_untouched_off_arm64 -runs=2000 -seed=1 without a finding" \
		"$out/fuzz_memslot_notifier_gmem_only_untouched_off_arm64" -runs=2000 -seed=1 "$work/corpus-arm64-$K"
	got=$(trace "$out" "$S/as1.txt")
	if grep -qF "slot=1:0 gpa=0x100000 size=0x10000 hva=0x100010000 flags=0x0 guest_memfd=0 offset=0x0 -> -22" <<< "$got" &&
		grep -qF "kvm_unmap_gfn_range slot=0:0 gfn=[0x0,0x10)" <<< "$got" && ! grep -q "gfn_range slot=1:" <<< "$got"; then
		ok "$ver: one address space: slot 1:0 is -EINVAL (address_spaces=2 does not apply) and the notifier walks address space 0"
	else not_ok "$ver: one address space" "$got"; fi
	expect_trace "$ver: read-only memslots on every VM (readonly_mem=0 does not apply)" "$out" "$S/ro-on-no-ro.txt" \
		"slot=0:0 gpa=0x0 size=0x10000 hva=0x100000000 flags=0x2 guest_memfd=0 offset=0x0 -> 0"
	if [ "$K" = 6.12 ]; then
		expect_trace "$ver: no private memory, so no guest_memfd memslots" "$out" "$S/gmem-taken.txt" \
			"slot=0:0 gpa=0x0 size=0x10000 hva=0x100000000 flags=0x4 guest_memfd=0 offset=0x0 -> -22"
	else
		expect_trace "$ver: guest_memfd memslots on an ordinary VM; a taken range is -EEXIST" "$out" "$S/gmem-taken.txt" \
			"slot=0:0 gpa=0x0 size=0x10000 hva=0x100000000 flags=0x4 guest_memfd=0 offset=0x0 -> 0" \
			"slot=0:1 gpa=0x100000 size=0x10000 hva=0x100010000 flags=0x4 guest_memfd=0 offset=0x0 -> -17"
		expect_verdict "$ver unpatched: the committed regression replays to gmem-only untouched" \
			"$out" corpus/regressions/gmem-only-touched-7.x.txt "gmem-only untouched"
		if [ -f "$RFC" ] && KVM_ARCH=arm64 KERNEL=$K KERNEL_PATCHES="$RFC" OUT="$out-rfc" ./build.sh > "$work/build-arm64-rfc.log" 2>&1; then
			check "$ver + RFC: the regression file is clean" "$out-rfc/replay_memslot_notifier" corpus/regressions/gmem-only-touched-7.x.txt
		elif [ -f "$RFC" ]; then not_ok "build $ver + RFC" "$(tail -5 "$work/build-arm64-rfc.log")"; fi
	fi
done
# x86 for contrast, on the same scenarios (the per-kernel loop's builds)
expect_trace "x86 latest: readonly_mem=0 refuses KVM_MEM_READONLY" "$work/out-latest" "$S/ro-on-no-ro.txt" \
	"slot=0:0 gpa=0x0 size=0x10000 hva=0x100000000 flags=0x2 guest_memfd=0 offset=0x0 -> -22"
# OSS-Fuzz's hand-over ($SRC/build.sh, a copy outside the checkout) builds both profiles into one $OUT
mkdir -p "$work/handover"; cp build.sh "$work/handover/build.sh"
if LIB_FUZZING_ENGINE=-fsanitize=fuzzer SANITIZER=address FUZZING_ENGINE=libfuzzer CC=clang CXX=clang++ \
	CFLAGS="-O1 -fsanitize=address -fsanitize=fuzzer-no-link" CXXFLAGS="-O1 -fsanitize=address -fsanitize=fuzzer-no-link" \
	KERNEL=latest OUT="$work/oss-out" WORK="$work/oss-work" bash "$work/handover/build.sh" > "$work/handover.log" 2>&1; then
	missing=""
	for t in fuzz_memslot_notifier fuzz_memslot_notifier_gmem_only_untouched_off fuzz_interval_tree \
		fuzz_memslot_notifier_arm64 fuzz_memslot_notifier_gmem_only_untouched_off_arm64; do
		[ -x "$work/oss-out/$t" ] || missing+=" $t"
	done
	if [ -z "$missing" ]; then ok "OSS-Fuzz hand-over builds both profiles' targets, distinct names"
	else not_ok "OSS-Fuzz hand-over builds both profiles" "missing:$missing"; fi
else not_ok "OSS-Fuzz hand-over build" "$(tail -5 "$work/handover.log")"; fi

# ---- every property fires: small patches that break the kernel on purpose ------------------
latest_tree=$(tree_of KERNEL=latest)
fires() { # name property scenario file sed-expression [VAR=VALUE...]
	local name=$1 prop=$2 sc=$3 file=$4 expr=$5; shift 5
	local p; p=$(break_kernel "$name" "$latest_tree" "$file" "$expr" 2>&1) || { not_ok "property fires: $prop ($name)" "$p"; return; }
	local out="$work/out-$name"
	if ! KERNEL=latest KERNEL_PATCHES="$p" OUT="$out" ./build.sh > "$work/build-$name.log" 2>&1; then
		not_ok "property fires: $prop ($name)" "$(tail -5 "$work/build-$name.log")"; return
	fi
	expect_verdict "property fires: $prop ($name)" "$out" "$sc" "$prop" "$@"
}
if [ -n "$latest_tree" ]; then
	fires gfn-start-off-by-one "exact ranges" "$S/partial.txt" virt/kvm/kvm_main.c \
		's/gfn_range.start = hva_to_gfn_memslot(hva_start, slot);/gfn_range.start = hva_to_gfn_memslot(hva_start, slot) + 1;/'
	fires private-filter "exact ranges" "$S/span.txt" virt/kvm/kvm_main.c \
		's/gfn_range.attr_filter = KVM_FILTER_SHARED;/gfn_range.attr_filter = KVM_FILTER_PRIVATE;/'
	fires no-seq-bump "lock and accounting" "$S/span.txt" virt/kvm/kvm_main.c \
		'/^void kvm_mmu_invalidate_end/,/^}/s/kvm->mmu_invalidate_seq++;//'
	fires retry-ignores-seq "notifier safety" "$S/fault-race.txt" include/linux/kvm_host.h \
		'/^static inline int mmu_invalidate_retry_gfn/,/^}/s/if (kvm->mmu_invalidate_seq != mmu_seq)/if (0)/'
	fires no-overlap-check "memslot structure" "$S/overlap.txt" virt/kvm/kvm_main.c \
		'/^static bool kvm_check_memslot_overlap/,/^}/s/if (iter.slot->id != id)/if (0)/'
	fires inverted-warn "kernel warning" "$S/span.txt" virt/kvm/kvm_main.c \
		'/^void kvm_mmu_invalidate_end/,/^}/s/WARN_ON_ONCE(kvm->mmu_invalidate_range_start == INVALID_GPA)/WARN_ON_ONCE(kvm->mmu_invalidate_range_start != INVALID_GPA)/'
	fires leak-invalid-slot "leak" "$S/recreate.txt" virt/kvm/kvm_main.c \
		'/^static int kvm_set_memslot/,/^}/s/kfree(invalid_slot);$/;/'
	# cleanup.h's lock guards go through the recorded locks (shims/model_sync.h): a guard(spinlock)
	# before the same spin_lock is a self-deadlock; a scoped_guard(spinlock) instead of the
	# lock/unlock pair releases it at the end of its scope (range_end takes it again)
	fires guard-spinlock-twice "lock and accounting" "$S/span.txt" virt/kvm/kvm_main.c \
		'/^static int kvm_mmu_notifier_invalidate_range_start/,/^}/s/^\tspin_lock(&kvm->mn_invalidate_lock);/\tguard(spinlock)(\&kvm->mn_invalidate_lock);\n\tspin_lock(\&kvm->mn_invalidate_lock);/'
	p=$(break_kernel scoped-guard "$latest_tree" virt/kvm/kvm_main.c \
		'/^static int kvm_mmu_notifier_invalidate_range_start/,/^}/{s/^\tspin_lock(&kvm->mn_invalidate_lock);/\tscoped_guard(spinlock, \&kvm->mn_invalidate_lock)/;s/^\tspin_unlock(&kvm->mn_invalidate_lock);//}')
	if [ -n "$p" ] && KERNEL=latest KERNEL_PATCHES="$p" OUT="$work/out-scoped" ./build.sh > "$work/build-scoped.log" 2>&1; then
		check "a scoped_guard(spinlock) is released at the end of its scope" "$work/out-scoped/replay_memslot_notifier" "$S/span.txt"
	else not_ok "a scoped_guard(spinlock) kernel builds" "$(tail -5 "$work/build-scoped.log")"; fi
	# the interval tree target against a broken interval_tree_generic.h
	p=$(break_kernel it-iter-next "$latest_tree" include/linux/interval_tree_generic.h 's/if (last < ITSTART(node))/if (last <= ITSTART(node))/')
	if [ -n "$p" ] && KERNEL=latest KERNEL_PATCHES="$p" OUT="$work/out-it" ./build.sh > "$work/build-it.log" 2>&1; then
		got=$("$work/out-it/fuzz_interval_tree" -runs=200000 -seed=1 2>&1)
		if [ "$(oracle_property <<< "$got")" = "interval tree" ]; then ok "property fires: interval tree (broken iter_next)"
		else not_ok "property fires: interval tree" "$(echo "$got" | tail -5)"; fi
	else not_ok "property fires: interval tree" "build failed"; fi
else
	not_ok "newest 7.x tree for the property tests" "prepare-tree failed"
fi

# ---- bad input: one line naming the cause, non-zero exit, nothing half-built ----------------
bad() { # name expected-pattern env...
	local name=$1 pat=$2; shift 2
	local got; got=$(env "$@" OUT="$work/bad-out" ./build.sh 2>&1 >/dev/null); local rc=$?
	local last; last=$(echo "$got" | grep -v '^prepare-tree: using\|^build.sh: kernel' | tail -1)
	if [ $rc -ne 0 ] && grep -qE "$pat" <<< "$last" && [ ! -e "$work/bad-out/fuzz_memslot_notifier" ]; then ok "bad input: $name"
	else not_ok "bad input: $name" "rc=$rc: $got"; fi
}
bad "unknown sanitizer" "unknown SANITIZER=bogus" SANITIZER=bogus
bad "unknown engine" "unknown FUZZING_ENGINE=bogus" FUZZING_ENGINE=bogus
bad "not a kernel tree" "not a kernel tree" KERNEL_SRC=/tmp
if [ -n "$latest_tree" ]; then
	cp -r "$latest_tree" "$work/lacking"
	sed -i 's/kvm_swap_active_memslots/kvm_swap_renamed_memslots/g' "$work/lacking/virt/kvm/kvm_main.c"
	bad "a tree that lacks a function" "kvm_swap_active_memslots not found in virt/kvm/kvm_main.c" KERNEL_SRC="$work/lacking"
	cp -r "$latest_tree" "$work/old"
	sed -i 's/^VERSION = .*/VERSION = 5/; s/^PATCHLEVEL = .*/PATCHLEVEL = 15/' "$work/old/Makefile"
	bad "a kernel too old" "kernel 5.15.*too old" KERNEL_SRC="$work/old"
	# a patch that breaks compilation: one line naming the file and the first error, not a wall of them
	if p=$(break_kernel no-semicolon "$latest_tree" virt/kvm/kvm_main.c '/^void kvm_mmu_invalidate_end/,/^}/s/kvm->mmu_invalidate_seq++;/kvm->mmu_invalidate_seq++/'); then
		bad "a patch that breaks compilation" "compiling .*kvm_extracted.c failed: .*error: " KERNEL=latest KERNEL_PATCHES="$p"
	else not_ok "bad input: a patch that breaks compilation" "break_kernel failed"; fi
	printf 'not a diff\n' > "$work/nodiff.patch"
	bad "a patch without a diff" "no diff found" KERNEL=latest KERNEL_PATCHES="$work/nodiff.patch"
fi
bad "an unknown kernel" "no package linux-source-9.9" KERNEL=9.9
bad "an unknown fuzz target" "unknown fuzz target 'bogus' in FUZZ_TARGETS" FUZZ_TARGETS=bogus

# ---- the first law's older names still work: the target in FUZZ_TARGETS, the option in the scripts ----------
if FUZZ_TARGETS=fuzz_memslot_notifier_first_law_off KERNEL=latest OUT="$work/out-alias" ./build.sh > "$work/build-alias.log" 2>&1 &&
	[ "$(kernel_info "$work/out-alias" targets)" = fuzz_memslot_notifier_gmem_only_untouched_off ] &&
	[ -x "$work/out-alias/fuzz_memslot_notifier_gmem_only_untouched_off" ]; then
	ok "FUZZ_TARGETS=fuzz_memslot_notifier_first_law_off builds fuzz_memslot_notifier_gmem_only_untouched_off"
else not_ok "FUZZ_TARGETS with the older target name" "$(tail -3 "$work/build-alias.log")"; fi
for opt in KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED KVM_HVA_FUZZ_GMEM_ONLY_CHECK; do
	on=$(env "$opt=1" OUT="$work/out-alias" KERNEL=latest fuzzers/repro.sh corpus/regressions/gmem-only-touched-7.x.txt 2>&1); rc_on=$?
	off=$(env "$opt=0" OUT="$work/out-alias" KERNEL=latest fuzzers/repro.sh corpus/regressions/gmem-only-touched-7.x.txt 2>&1); rc_off=$?
	if [ $rc_on = 1 ] && grep -q "reproduced: gmem-only untouched" <<< "$on" && [ $rc_off = 0 ]; then
		ok "repro.sh: $opt=1 reports gmem-only untouched on unpatched 7.x, =0 does not"
	else not_ok "repro.sh: $opt switches gmem-only untouched" "on: rc=$rc_on $(tail -2 <<< "$on"); off: rc=$rc_off $(tail -2 <<< "$off")"; fi
done
tree72=$(KERNEL=7.2 BUILD_ROOT="$BUILD_ROOT" extracted/prepare-tree.sh 2>/dev/null | sed -n "s/^TREE='\(.*\)'$/\1/p")
if [ -n "$tree72" ]; then
	# the closure check: kvm_gmem_unbind's CLASS(gmem_get_file, file) without its DEFINE_CLASS
	cp -r "$tree72" "$work/noclass"; chmod -R u+w "$work/noclass"
	python3 -c 'import re, sys; p = sys.argv[1]; s = open(p).read()
n = re.sub(r"DEFINE_CLASS\(gmem_get_file,.*?\);\n", "", s, count=1, flags=re.S)
open(p, "w").write(n); sys.exit(n == s)' "$work/noclass/virt/kvm/guest_memfd.c" &&
	bad "a tree with one DEFINE_CLASS removed" \
		"^extract: virt/kvm/guest_memfd.c:[0-9]+: kvm_gmem_unbind uses class_gmem_get_file_t, defined by nothing extracted or shimmed$" \
		KERNEL_SRC="$work/noclass"
	# a compiler error the closure check cannot see: one line, kernel file:line, function, log
	cp -r "$tree72" "$work/syntax"; chmod -R u+w "$work/syntax"
	sed -i '/^void kvm_mmu_invalidate_end/,/^}/s/kvm->mmu_invalidate_seq++;/kvm->mmu_invalidate_seq++ +;/' "$work/syntax/virt/kvm/kvm_main.c"
	bad "a compiler error in kernel code" \
		"^build.sh: virt/kvm/kvm_main.c:[0-9]+: kvm_mmu_invalidate_end: expected expression \(full log: .*\.log\)$" \
		KERNEL_SRC="$work/syntax"
else
	not_ok "7.2 tree for the closure checks" "prepare-tree KERNEL=7.2 failed"
fi

# ---- the standalone replayer builds with gcc, no engine, no sanitizer -------------------------
if command -v gcc >/dev/null; then
	if CC=gcc CXX=g++ CFLAGS="-O1 -g" SANITIZER=none FUZZING_ENGINE=none KERNEL=latest OUT="$work/out-gcc" \
		./build.sh > "$work/build-gcc.log" 2>&1; then
		expect_verdict "gcc replay build reports the gmem-only regression" "$work/out-gcc" \
			corpus/regressions/gmem-only-touched-7.x.txt "gmem-only untouched"
	else not_ok "gcc replay build" "$(tail -5 "$work/build-gcc.log")"; fi
else
	skip "the gcc replay build: no gcc"
fi

# ---- suites: tests/suites/*.sh print "ok - ..." / "not ok - ..." lines; they find the builds above
export TEST_WORK="$work" RFC TESTS_OUT_6_1="$work/out-6.1" TESTS_OUT_6_12="$work/out-6.12" TESTS_OUT_7_2="$work/out-7.2" \
	TESTS_OUT_LATEST="$work/out-latest" TESTS_OUT_RFC="$work/out-rfc"
for suite in tests/suites/*.sh; do
	[ -e "$suite" ] || continue
	bash "$suite" > "$work/suite.log" 2>&1
	rc=$?
	cat "$work/suite.log" | grep -E '^(ok|not ok) - |^#' || true
	p=$(grep -c '^ok - ' "$work/suite.log"); f=$(grep -c '^not ok - ' "$work/suite.log")
	pass=$((pass + p)); fail=$((fail + f))
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then not_ok "suite $suite exited $rc" "$(tail -5 "$work/suite.log")"; fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
}; exit
