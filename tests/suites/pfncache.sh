#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: the gfn_to_pfn cache (virt/kvm/pfncache.c) and the property "pfn cache fresh".
#
# 1. Base behaviour, every kernel: a refresh racing a whole invalidation of a page in a live
#    ordinary slot GUPs again (clean everywhere); an hva-based cache outside every memslot is
#    left on a freed page by 6.12 and 7.2 (their retry check reads mmu_invalidate_seq, which only
#    a range that found a memslot bumps), not by 7.3 (gpc_invalidate_seq); 6.1 has no hva form.
# 2. The property fires on the newest 7.x broken at test time: the notifier hook not
#    invalidating, the retry check ignoring the sequence, and ignoring the active count; a retry
#    check that always retries is reported as progress.
# 3. The seed RFC's question: a gpa-based cache on a gmem-only slot whose refresh races a whole
#    invalidation. 7.3 + RFC keeps it fresh; 7.2 + RFC leaves it on a freed page, and 7.2
#    without the RFC (first law off) does not: a regression the RFC brings to 7.2.
# 4. The callers' sequences (issue 23): a refresh of a cache never activated (x86 Xen's
#    KVM_XEN_HVM_EVTCHN_SEND on a VM without shared_info) is a kernel warning at __kvm_gpc_refresh()
#    on 6.12, 7.2 and 7.3, reported with its file, line and caller; 6.1 is clean; the newest 7.x
#    fixed at test time as the maintainer proposed (kvm_gpc_refresh() checks gpc->active) is clean
#    on it. A refresh after a deactivate, and the seed of caller sequences (twice, before set-up,
#    calls waiting for refresh_lock, a GUP failing part-way), are clean everywhere.
#
# tests/run.sh passes its builds in TESTS_OUT_*; run alone, this builds them.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init
RFC=${RFC:-$(shared_seed rfc-kvm-ignore-mmu-notifiers-gmem-only.txt)}
S=$work/s; mkdir -p "$S"
VM1="vm address_spaces=1 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal"
SLOT="create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=0"
WHOLE=("invalidate_start hva=[0x100001000,0x100002000)" "hva_replace hva=0x100001000" "invalidate_end which=0")
HVA_WHOLE=("invalidate_start hva=[0x200001000,0x200002000)" "hva_replace hva=0x200001000" "invalidate_end which=0")
scenario() { local f="$S/$1.txt"; shift; printf '%s\n' "$@" > "$f"; }
# a gpa cache on an ordinary slot; its refresh's GUP runs a whole invalidation of the page
scenario gpa-race "$VM1" "$SLOT" "gpc_activate cache=0 gpa=0x1000 len=8 split" "${WHOLE[@]}" gpc_commit \
	"gpc_use cache=0 len=8"
# the same for an hva cache in no memslot
scenario hva-race "$VM1" "gpc_activate_hva cache=0 hva=0x200001000 len=8" "gpc_refresh cache=0 len=8" \
	"${HVA_WHOLE[@]}" "gpc_refresh cache=0 len=8 split" "${HVA_WHOLE[@]}" gpc_commit "gpc_use cache=0 len=8"
# a valid cache whose page mm/ replaces (the notifier must invalidate it)
scenario replaced "$VM1" "$SLOT" "gpc_activate cache=0 gpa=0x1000 len=8" "invalidate_start hva=[0x100000000,0x100010000)" \
	"hva_replace hva=0x100001000" "gpc_use cache=0 len=8" "invalidate_end which=0"
# the invalidation starts inside the refresh's GUP and ends after its commit
scenario in-flight "$VM1" "$SLOT" "gpc_activate cache=0 gpa=0x1000 len=8 split" "${WHOLE[0]}" "${WHOLE[1]}" gpc_commit \
	"${WHOLE[2]}" "gpc_use cache=0 len=8"
GMEM=$top/corpus/fuzz_memslot_notifier/pfncache-gmem-only-refresh-races-invalidation.txt
LAW_OFF=KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0

NEVER=$top/corpus/regressions/pfncache-refresh-never-activated.txt
CALLERS=$top/corpus/fuzz_memslot_notifier/pfncache-caller-sequences.txt
scenario refresh-after-deactivate "$VM1" "$SLOT" "gpc_activate cache=0 gpa=0x1000 len=8" "gpc_deactivate cache=0" \
	"gpc_refresh cache=0 len=8" "gpc_activate_hva cache=1 hva=0x200001000 len=8" "gpc_deactivate cache=1" \
	"gpc_refresh cache=1 len=8" "gpc_use cache=0 len=8" "gpc_use cache=1 len=8"
# what the report of the WARN must say: kernel file and line, the condition, the caller
WARN_RE='^ORACLE VIOLATION: kernel warning: WARN in __kvm_gpc_refresh at virt/kvm/pfncache\.c:[0-9]+: kvm_is_error_gpa\(gpa\) == kvm_is_error_hva\(uhva\); in gpc_refresh of cache 0, which a real caller issues: a refresh of a cache never activated: x86 Xen, KVM_XEN_HVM_EVTCHN_SEND'

# ---- 1. base behaviour (and 4. the callers' sequences, per kernel) ---------------------------------
for K in 6.1 6.12 7.2 latest; do
	v=TESTS_OUT_${K//./_}; v=${v^^}
	o=$(build_out "$K" "${!v:-}" KERNEL="$K") || { not_ok "build $K"; continue; }
	for s in gpa-race replaced in-flight; do
		expect_verdict "$K: $s: the pfn cache ends on the page its hva maps now" "$o" "$S/$s.txt" clean
	done
	case $K in
	6.12|7.2) expect_verdict "$K: an hva cache outside memslots keeps a freed page after a whole invalidation in its refresh" \
		"$o" "$S/hva-race.txt" "pfn cache fresh"
	      got=$("$o/replay_memslot_notifier" "$S/hva-race.txt" 2>&1)
	      if grep -q "^ORACLE VIOLATION: pfn cache fresh: kvm_gpc_check() calls cache 0 (hva form) valid with pfn 0x[0-9a-f]* (freed), but hva 0x200001000 maps pfn" <<< "$got"; then
		      ok "$K: the report names the cache, its form, the freed pfn and what the hva maps now"
	      else not_ok "$K: the pfn cache report" "$got"; fi ;;
	*) expect_verdict "$K: an hva cache racing a whole invalidation (6.1: no hva form)" "$o" "$S/hva-race.txt" clean ;;
	esac
	expect_verdict "$K: a refresh after a deactivate (gpa and hva form) is refused quietly" "$o" \
		"$S/refresh-after-deactivate.txt" clean
	expect_verdict "$K: the callers' sequences (twice, before set-up, waiting for refresh_lock, fail_gup)" "$o" \
		"$CALLERS" clean
	if [ "$K" = 6.1 ]; then
		expect_verdict "6.1: a refresh of a cache never activated checks gpc->active first (no WARN)" "$o" "$NEVER" clean
	else
		got=$("$o/replay_memslot_notifier" "$NEVER" 2>&1)
		if grep -Eq "$WARN_RE" <<< "$got"; then
			ok "$K: a refresh of a cache never activated is a kernel warning at __kvm_gpc_refresh(), with its line and the Xen caller"
		else not_ok "$K: the __kvm_gpc_refresh WARN and its report" "$got"; fi
		# a fuzzing job may get past a WARN it knows: only that file and line
		line=$(sed -n 's/^ORACLE VIOLATION: kernel warning: WARN in [a-z_]* at \(virt\/kvm\/pfncache\.c:[0-9]*\):.*/\1/p' <<< "$got")
		expect_verdict "$K: KVM_HVA_FUZZ_IGNORE_WARN=$line gets past that WARN" "$o" "$NEVER" clean \
			KVM_HVA_FUZZ_IGNORE_WARN="$line"
		expect_verdict "$K: KVM_HVA_FUZZ_IGNORE_WARN of another line does not" "$o" "$NEVER" "kernel warning" \
			KVM_HVA_FUZZ_IGNORE_WARN="${line}0 virt/kvm/kvm_main.c:1"
	fi
	[ "$K" = 7.2 ] && k72=$o
	[ "$K" = latest ] && latest=$o
done

# ---- 4. the WARN's fix, as the maintainer proposed: kvm_gpc_refresh() checks gpc->active ---------
if [ -n "${latest:-}" ]; then
	tree=$(tree_of KERNEL=latest)
	if [ -n "$tree" ] && p=$(break_kernel gpc-refresh-checks-active "$tree" virt/kvm/pfncache.c \
		'/^int kvm_gpc_refresh(/,/^}/s/^\tguard(mutex)(&gpc->refresh_lock);$/&\n\n\tif (!gpc->active)\n\t\treturn -EINVAL;/'); then
		if o=$(build_out gpc-refresh-checks-active "" KERNEL=latest KERNEL_PATCHES="$p"); then
			expect_verdict "latest fixed at test time (kvm_gpc_refresh() checks gpc->active): a refresh of a cache never activated is clean" \
				"$o" "$NEVER" clean
			expect_verdict "latest fixed: the callers' sequences stay clean" "$o" "$CALLERS" clean
		else not_ok "build latest with kvm_gpc_refresh() checking gpc->active"; fi
	else not_ok "make the fix of kvm_gpc_refresh()" "the sed changed nothing"; fi
fi

# ---- 2. the property fires on broken kernels ---------------------------------------------------
if [ -n "${latest:-}" ]; then
	# gfn_to_pfn_cache_invalidate_start(): the write-locked re-check no longer clears valid
	fires_on_broken gpc-no-invalidate "pfn cache fresh" "$S/replaced.txt" virt/kvm/pfncache.c \
		'/gpc->uhva >= start && gpc->uhva < end)$/{n;s/gpc->valid = false;/;/}' "$latest"
	# mmu_notifier_retry_cache(): the sequence is not compared
	fires_on_broken gpc-retry-ignores-seq "pfn cache fresh" "$S/gpa-race.txt" virt/kvm/pfncache.c \
		's/return kvm->gpc_invalidate_seq != gpc_seq;/return false;/' "$latest"
	# mmu_notifier_retry_cache(): an invalidation in flight is not waited for
	fires_on_broken gpc-retry-ignores-active "pfn cache fresh" "$S/in-flight.txt" virt/kvm/pfncache.c \
		's/if (kvm->mn_active_invalidate_count)/if (0)/' "$latest"
	# mmu_notifier_retry_cache(): always retry: the refresh never converges (progress)
	fires_on_broken gpc-retry-forever "progress" "$S/gpa-race.txt" virt/kvm/pfncache.c \
		's/return kvm->gpc_invalidate_seq != gpc_seq;/return true;/' "$latest"
fi

# ---- 3. the seed RFC and the pfn cache -----------------------------------------------------------
if [ -n "$RFC" ] && [ -n "${latest:-}" ]; then
	if rfc=$(build_out rfc "${TESTS_OUT_RFC:-}" KERNEL=latest KERNEL_PATCHES="$RFC"); then
		expect_verdict "latest + RFC: a gmem-only slot's gpa cache racing a whole invalidation stays fresh" \
			"$rfc" "$GMEM" clean
		expect_verdict "latest + RFC, first law off: the same" "$rfc" "$GMEM" clean "$LAW_OFF"
	fi
	expect_verdict "latest, first law off: the same scenario is clean (the range finds the slot)" "$latest" "$GMEM" \
		clean "$LAW_OFF"
	if [ -n "${k72:-}" ]; then
		expect_verdict "7.2, first law off: the gmem-only slot's cache stays fresh (the range finds the slot)" \
			"$k72" "$GMEM" clean "$LAW_OFF"
		if o=$(build_out 72rfc "" KERNEL=7.2 KERNEL_PATCHES="$RFC"); then
			expect_verdict "7.2 + RFC: the gmem-only slot's cache keeps a freed page (the RFC's finding on 7.2)" \
				"$o" "$GMEM" "pfn cache fresh"
			expect_verdict "7.2 + RFC, first law off: the same finding" "$o" "$GMEM" "pfn cache fresh" "$LAW_OFF"
			expect_verdict "7.2 + RFC: an ordinary slot's cache stays fresh" "$o" "$S/gpa-race.txt" clean
		else not_ok "build 7.2 + RFC"; fi
	fi
else
	skip "no RFC seed beside the checkout (../shared/seeds) or no latest build: the RFC's pfn cache question"
fi
