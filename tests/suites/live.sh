#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: the harness against the running kernel (tests/live/).
#
# 1. Return-code differential (tests/live/run-differential.sh): the memslot
#    requests and guest_memfd creations of corpus/fuzz_memslot_notifier and
#    of the text scenarios below are repeated on a VM of the
#    running kernel; passes when every divergence carries an explanation label.
#    A doctored trace (one return code changed) must produce an unexplained
#    divergence, so the comparison is shown to be able to fail.
# 2. In-vivo (tests/live/run-invivo.sh): checks the line format only.
#
# Without /dev/kvm both are skipped (a "# skip: ..." line with the reason).
# tests/run.sh passes its newest-7.x build in TESTS_OUT_LATEST; run alone,
# this builds one. Prints "ok - name" / "not ok - name" lines; no timing checks.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init

if [ ! -e /dev/kvm ]; then
	skip "live differential and in-vivo: no /dev/kvm"
	exit 0
fi

# ---- 1. the differential -------------------------------------------------------------------
out=${TESTS_OUT_LATEST:-}
if [ -z "$out" ] || [ ! -x "$out/replay_memslot_notifier" ] || [ ! -f "$out/kernel-info.txt" ]; then
	out="$work/out-latest"
	if ! KERNEL=latest OUT="$out" ./build.sh > "$work/build.log" 2>&1; then
		not_ok "live differential: build latest" "$(tail -5 "$work/build.log")"
		out=""
	fi
fi

# Scenarios in the text form (scenario/scenario_text.c), for when there is no corpus.
S="$work/scenarios"; mkdir -p "$S"
VM2="vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal"
cat > "$S/basic.txt" <<EOF
# create, an overlap (-EEXIST), delete, re-create, move, set LOG_DIRTY, change READONLY (-EINVAL)
$VM2
create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=0
create slot=0:1 hva=0x100010000 gpa=0x100000 pages=16 flags=0
create slot=0:1 hva=0x100010000 gpa=0x8000 pages=16 flags=0
delete slot=0:0
create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=0
move slot=0:1 gpa=0x80000000
set_flags slot=0:1 flags=LOG_DIRTY_PAGES
set_flags slot=0:1 flags=READONLY
EOF
printf '%s\n' "$VM2" "raw_request slot=0x0 flags=0x0 gpa=0x100 size=0x1000 hva=0x100000010" > "$S/misaligned.txt"
# create and delete 1:0 (2 address spaces); 1:0 on a 1-address-space VM
printf '%s\n' "$VM2" "create slot=1:0 hva=0x100010000 gpa=0x100000 pages=16 flags=0" "delete slot=1:0" > "$S/as1.txt"
printf '%s\n' "${VM2/address_spaces=2/address_spaces=1}" "create slot=1:0 hva=0x100010000 gpa=0x100000 pages=16 flags=0" > "$S/as1-on-1as.txt"
# READONLY where the VM has none; READONLY, then clearing it
printf '%s\n' "${VM2/readonly_mem=1/readonly_mem=0}" "create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=READONLY" > "$S/readonly-off.txt"
printf '%s\n' "$VM2" "create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=READONLY" "set_flags slot=0:0 flags=0" > "$S/readonly-on.txt"
cat > "$S/gmem.txt" <<EOF
# guest_memfd: MMAP, MMAP|INIT_SHARED, an unknown flag, size 0, size 0x800; bind, bind a taken
# range, bind file 1, an fd never created, GUEST_MEMFD|LOG_DIRTY, GUEST_MEMFD|READONLY
$VM2
gmem_create size=0x10000 flags=MMAP
gmem_create size=0x10000 flags=MMAP|INIT_SHARED
gmem_create size=0x10000 flags=UNDEFINED
gmem_create size=0x0 flags=0
gmem_create size=0x800 flags=0
create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=GUEST_MEMFD guest_memfd=0 offset_pages=0
create slot=0:1 hva=0x100000000 gpa=0x100000 pages=16 flags=GUEST_MEMFD guest_memfd=0 offset_pages=0
create slot=0:2 hva=0x100000000 gpa=0xfffffff0000 pages=4 flags=GUEST_MEMFD guest_memfd=1 offset_pages=0
create slot=0:3 hva=0x100000000 gpa=0x80000000 pages=16 flags=GUEST_MEMFD guest_memfd=3 offset_pages=0
create slot=0:4 hva=0x100000000 gpa=0x80008000 pages=4 flags=LOG_DIRTY_PAGES|GUEST_MEMFD guest_memfd=0 offset_pages=0
create slot=0:5 hva=0x100000000 gpa=0x8000c000 pages=4 flags=READONLY|GUEST_MEMFD guest_memfd=0 offset_pages=0
EOF
cat > "$S/edges.txt" <<EOF
# the top of the user address space (over and exactly up to it), page 1, 2^31 pages
$VM2
create slot=0:0 hva=0x7fffffffe000 gpa=0x0 pages=32 flags=0
create slot=0:1 hva=0x7ffffffef000 gpa=0x100000 pages=16 flags=0
create slot=0:2 hva=0x7ffffffee000 gpa=0xfffffff0000 pages=16 flags=0
create slot=0:3 hva=0x1000 gpa=0x80000000 pages=16 flags=0
create slot=0:4 hva=0x100000000 gpa=0x0 pages=over_limit flags=0
EOF
# 17 guest_memfds (the harness hands out 16), then a slot on the first
{ echo "$VM2"; for i in $(seq 17); do echo "gmem_create size=0x10000 flags=MMAP"; done
  echo "create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=GUEST_MEMFD guest_memfd=0 offset_pages=0"; } > "$S/gmem-17.txt"

# the corpus and these (the doctored trace below is made from basic.txt)
inputs=("$S")
corpus=corpus/fuzz_memslot_notifier
if [ -d "$corpus" ] && [ -n "$(find "$corpus" -maxdepth 1 -type f ! -name '.*' | head -1)" ]; then
	inputs=("$corpus" "$S")
fi

if [ -n "$out" ]; then
	res=$(bash tests/live/run-differential.sh --out "$out" --no-build "${inputs[@]}" 2>&1); rc=$?
	summary=$(grep -E '^live: [0-9]+ requests compared, [0-9]+ divergences \(running [^,]+, tree [^)]+\)$' <<< "$res")
	if grep -q '^live: skipped:' <<< "$res"; then
		skip "live differential: $(sed -n 's/^live: skipped: //p' <<< "$res" | head -1)"
	elif [ -z "$summary" ] || [ "$(grep -c '^live: [0-9]* requests compared' <<< "$res")" -ne 1 ] || [ $rc -gt 1 ]; then
		not_ok "live differential over ${inputs[*]}: one summary line" "rc=$rc
$res"
	else
		n=$(sed -E 's/^live: ([0-9]+) .*/\1/' <<< "$summary")
		d=$(sed -E 's/^live: [0-9]+ requests compared, ([0-9]+) .*/\1/' <<< "$summary")
		listed=$(grep -c '^live: divergence \[' <<< "$res")
		unexpl=$(grep '^live: divergence \[unexplained\]' <<< "$res")
		classes=$(grep -o '^live: divergence \[[a-z-]*\]' <<< "$res" | sed 's/.*\[\(.*\)\]/\1/' | sort | uniq -c |
			awk '{printf "%s%s %s", sep, $1, $2; sep=", "}')
		if [ "$n" -gt 0 ] && [ "$listed" -eq "$d" ] && [ -z "$unexpl" ] && [ $rc -eq 0 ]; then
			ok "live differential over ${inputs[*]#"$work/"}: $n requests, $d divergences, all explained${classes:+ ($classes)}"
		else
			not_ok "live differential: every divergence explained" "rc=$rc, $listed listed of $d
$res"
		fi
	fi
fi

# the older trees tests/run.sh built (not built here): more version differences, all explained
for pair in "6.12:${TESTS_OUT_6_12:-}" "6.1:${TESTS_OUT_6_1:-}"; do
	k=${pair%%:*} o=${pair#*:}
	[ -n "$o" ] && [ -x "$o/replay_memslot_notifier" ] && [ -f "$o/kernel-info.txt" ] ||
		{ skip "live differential, tree $k: no build of it (tests/run.sh makes one)"; continue; }
	res=$(bash tests/live/run-differential.sh --out "$o" --no-build "${inputs[@]}" 2>&1); rc=$?
	summary=$(grep -E '^live: [0-9]+ requests compared, [0-9]+ divergences \(running [^,]+, tree [^)]+\)$' <<< "$res")
	grep -q '^live: skipped:' <<< "$res" && { skip "live differential, tree $k: $(sed -n 's/^live: skipped: //p' <<< "$res" | head -1)"; continue; }
	d=$(sed -E 's/^live: [0-9]+ requests compared, ([0-9]+) .*/\1/' <<< "$summary")
	classes=$(grep -o '^live: divergence \[[a-z-]*\]' <<< "$res" | sed 's/.*\[\(.*\)\]/\1/' | sort | uniq -c |
		awk '{printf "%s%s %s", sep, $1, $2; sep=", "}')
	if [ $rc -eq 0 ] && [ -n "$summary" ] && [ "$(grep -c '^live: divergence \[' <<< "$res")" -eq "$d" ] &&
	   ! grep -q '^live: divergence \[unexplained\]' <<< "$res"; then
		ok "live differential, tree $k: $d divergences, all explained${classes:+ ($classes)}"
	else
		not_ok "live differential, tree $k: every divergence explained" "rc=$rc
$res"
	fi
done

# ---- the comparison can fail: one return code in a real trace changed ----------------------
if [ -n "$out" ] && ${CC:-cc} -std=gnu11 -O2 -Wall -Wextra -o "$work/differential" tests/live/differential.c tests/live/live_vm.c 2> "$work/cc.log"; then
	tree=$(kernel_info "$out" kernel)
	KVM_HVA_FUZZ_TRACE=1 "$out/replay_memslot_notifier" "$S/basic.txt" > "$work/trace" 2>/dev/null
	# request 1 (create 0:0) returns 0: say -EINVAL instead
	sed '0,/^trace: set_memory_region slot=0:0 .* -> 0$/s/ -> 0$/ -> -22/' "$work/trace" > "$work/doctored"
	good=$("$work/differential" --tree "$tree" --name basic "$work/trace"); grc=$?
	bad=$("$work/differential" --tree "$tree" --name doctored "$work/doctored"); brc=$?
	if grep -q '^live: skipped:' <<< "$good"; then
		skip "live differential can fail: $(sed -n 's/^live: skipped: //p' <<< "$good")"
	elif cmp -s "$work/trace" "$work/doctored"; then
		not_ok "live differential can fail: doctoring the trace" "$(cat "$work/trace")"
	elif [ $grc -eq 0 ] && grep -q '^live: [0-9]* requests compared, 0 divergences' <<< "$good" &&
	     [ $brc -eq 1 ] && grep -qE '^live: divergence \[unexplained\] doctored request 1( \(op 0\))?: .* tree -22 \(EINVAL\), live 0' <<< "$bad" &&
	     grep -q '^live: [0-9]* requests compared, [1-9][0-9]* divergences' <<< "$bad"; then
		ok "live differential can fail: a trace with one return code changed (0 -> -22) gives an unexplained divergence"
	else
		not_ok "live differential can fail" "real trace (rc=$grc):
$good
doctored (rc=$brc):
$bad"
	fi
	# a trace line it cannot read is an error, not a silent skip
	echo "trace: set_memory_region slot=0:0 gpa=zzz -> 0" > "$work/garbled"
	got=$("$work/differential" "$work/garbled" 2>&1); grc=$?
	if [ $grc -eq 2 ] && [ "$(wc -l <<< "$got")" -eq 1 ] && grep -q 'cannot parse' <<< "$got"; then
		ok "live differential: an unreadable trace line is a one-line error, exit 2"
	else not_ok "live differential: an unreadable trace line" "rc=$grc: $got"; fi
elif [ -n "$out" ]; then
	not_ok "live differential: compile differential.c" "$(head -5 "$work/cc.log")"
fi

# ---- bad input to the script: one line naming the cause, non-zero exit ------------------------
got=$(bash tests/live/run-differential.sh --out "$work/none" --no-build "$work/missing" 2>&1); rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l <<< "$got")" -eq 1 ] && grep -q 'missing: no such file' <<< "$got"; then
	ok "run-differential: a missing file is a one-line error, exit 2"
else not_ok "run-differential: a missing file" "rc=$rc: $got"; fi
got=$(bash tests/live/run-differential.sh --bogus "$S" 2>&1); rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l <<< "$got")" -eq 1 ] && grep -q 'unknown option --bogus' <<< "$got"; then
	ok "run-differential: an unknown option is a one-line error, exit 2"
else not_ok "run-differential: an unknown option" "rc=$rc: $got"; fi

# ---- without KVM both tools skip with a reason and exit 0 (a device path that does not exist)
if [ -x "$work/differential" ] && [ -s "$work/trace" ]; then
	got=$(LIVE_KVM_DEV="$work/no-kvm" "$work/differential" "$work/trace" 2>&1); rc=$?
	if [ $rc -eq 0 ] && grep -q "^live: skipped: cannot open $work/no-kvm" <<< "$got"; then
		ok "live differential without KVM: a skip line, exit 0"
	else not_ok "live differential without KVM" "rc=$rc: $got"; fi
fi
got=$(INVIVO_KVM_DEV="$work/no-kvm" bash tests/live/run-invivo.sh 2>&1); rc=$?
if [ $rc -eq 0 ] && grep -q '^in-vivo: skipped: ' <<< "$got"; then ok "in-vivo without KVM: a skip line, exit 0"
else not_ok "in-vivo without KVM" "rc=$rc: $got"; fi

# ---- 2. in-vivo: the line format -------------------------------------------------------------
got=$(bash tests/live/run-invivo.sh 2>&1); rc=$?
re='^in-vivo: gmem-only slot re-faulted [0-9]+ of [0-9]+ pages after the notifier; ordinary slot [0-9]+ of [0-9]+$'
if [ $rc -eq 0 ] && grep -q '^in-vivo: skipped: ' <<< "$got"; then
	skip "in-vivo: $(sed -n 's/^in-vivo: skipped: //p' <<< "$got" | head -1)"
elif [ $rc -eq 0 ] && grep -qE "$re" <<< "$got"; then
	ok "$(grep -E "$re" <<< "$got")"
else
	not_ok "in-vivo: line format" "rc=$rc
$got"
fi
exit 0
