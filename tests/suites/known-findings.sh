#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: a known finding costs one scenario, not the fuzzer. With
# KVM_HVA_FUZZ_RECORD_DIR (run-fuzz.sh sets it) the target records the first
# input and report of each oracle property once and goes on; without it (as
# under OSS-Fuzz) the same input aborts, as the engine expects. Shown on the
# newest 7.x, whose first-law finding recurs in most inputs.
#
# tests/run.sh passes its builds in TESTS_OUT_*; run alone, this builds them.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init

out=$(build_out latest "${TESTS_OUT_LATEST:-}" KERNEL=latest) || { not_ok "build latest"; exit 1; }
out=$(cd "$out" && pwd)
conv=$(scenario_text_tool "$out")
c=$work/corpus; rec=$work/recorded; mkdir -p "$c" "$rec"
# the first-law regression three times over (renamed: three inputs), and one clean seed after them
for i in 1 2 3; do "$conv" to-bytes corpus/regressions/gmem-only-touched-7.x.txt > "$c/a$i"; done
printf '%s\n' "vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal" \
	"create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=0" > "$work/clean.txt"
"$conv" to-bytes "$work/clean.txt" > "$c/z-clean"

got=$(KVM_HVA_FUZZ_RECORD_DIR=$rec "$out/fuzz_memslot_notifier" -runs=0 "$c" 2>&1); rc=$?
if [ $rc -eq 0 ] && [ "$(ls "$rec")" = "recorded-gmem-only-untouched
recorded-gmem-only-untouched.report" ] && [ "$(grep -c '^fuzz_memslot_notifier: recorded finding' <<< "$got")" -eq 1 ] &&
	grep -q '^ORACLE VIOLATION: gmem-only untouched' "$rec/recorded-gmem-only-untouched.report" &&
	cmp -s "$c/a1" "$rec/recorded-gmem-only-untouched"; then
	ok "a recorded finding: its first input and report once, and the run goes on to the end (exit 0)"
else not_ok "a recorded finding does not stop the fuzzer" "rc=$rc: $(ls "$rec"; tail -5 <<< "$got")"; fi
# what it recorded is a finding the replayer reproduces
expect_verdict "the recorded input replays as the finding" "$out" "$rec/recorded-gmem-only-untouched" "gmem-only untouched"
# a second run into the same folder (another job of the same run) records nothing more
got=$(KVM_HVA_FUZZ_RECORD_DIR=$rec "$out/fuzz_memslot_notifier" -runs=0 "$c" 2>&1); rc=$?
if [ $rc -eq 0 ] && [ "$(ls "$rec" | wc -l)" -eq 2 ] && ! grep -q '^fuzz_memslot_notifier: recorded finding' <<< "$got"; then
	ok "a finding another job recorded is not recorded again"
else not_ok "a finding another job recorded" "rc=$rc: $(ls "$rec")"; fi
# without the folder, the finding is a crash, as OSS-Fuzz expects
got=$(cd "$work" && "$out/fuzz_memslot_notifier" -runs=0 "$c" 2>&1); rc=$?
if [ $rc -ne 0 ] && grep -q '^ORACLE VIOLATION: gmem-only untouched' <<< "$got" && grep -q 'deadly signal' <<< "$got"; then
	ok "without KVM_HVA_FUZZ_RECORD_DIR a finding aborts (OSS-Fuzz)"
else not_ok "without KVM_HVA_FUZZ_RECORD_DIR a finding aborts" "rc=$rc: $(tail -5 <<< "$got")"; fi
