#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The corpus as a regression suite (run by tests/run.sh after its builds):
# every text scenario is canonical and round-trips; every corpus file replays
# with its expected verdict ("# expect KERNEL: VERDICT", default clean) on 6.1,
# 6.12, 7.2, the newest 7.x and 7.x + RFC; every "# -> RC" matches what the newest
# 7.x returned; and each of these checks is shown to catch a wrong answer.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init
RFC=${RFC:-$(shared_seed rfc-kvm-ignore-mmu-notifiers-gmem-only.txt)}

# The converter: from a build, else compiled here (it needs no kernel).
conv=$(scenario_text_tool "${TESTS_OUT_LATEST:-}") || { not_ok "build scenario-text"; exit 1; }
if [ ! -x "${TESTS_OUT_LATEST:-}/replay_memslot_notifier" ]; then
	skip "bytes -> text -> bytes verdicts, the wrong-expectation check, return codes, repro and minimize: no newest-7.x build (TESTS_OUT_LATEST)"
fi
mapfile -t files < <(find corpus -name '*.txt' | sort)
[ ${#files[@]} -gt 0 ] || { not_ok "corpus has text scenarios"; exit 1; }

# ---- format ----------------------------------------------------------------------------
if log=$("$conv" check "${files[@]}" 2>&1); then ok "corpus: ${#files[@]} text scenarios are canonical (text -> bytes -> text)"
else not_ok "corpus: text scenarios are canonical" "$log"; fi
# wrapped as check-patch's summary wraps a scenario (lines ending in '\'), every one reads back the same
bad=() wrapped=0
for f in "${files[@]}"; do
	sed 's/#.*//' "$f" | wrap_lines 38 continued > "$work/wrapped.txt"
	grep -q '\\$' "$work/wrapped.txt" && wrapped=$((wrapped + 1))
	{ "$conv" to-bytes "$f" > "$work/plain.bin" && "$conv" to-bytes "$work/wrapped.txt" > "$work/wrapped.bin" &&
		cmp -s "$work/plain.bin" "$work/wrapped.bin"; } 2> /dev/null || bad+=("$f")
done
if [ ${#bad[@]} -eq 0 ] && [ "$wrapped" -gt 0 ]; then ok "corpus: $wrapped scenarios wrapped at 38 columns (continued lines) give the same bytes"
else not_ok "corpus: wrapped scenarios give the same bytes" "${bad[*]:-none was wrapped}"; fi
printf 'vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal\ncreate slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=0\ncreate slot=0:1 hva=0x100010000 gpa=0x0 pages=16\n' > "$work/malformed.txt"
got=$("$conv" to-bytes "$work/malformed.txt" 2>&1 >/dev/null); rc=$?
if [ $rc -ne 0 ] && [ "$(echo "$got" | wc -l)" -eq 1 ] && grep -q "malformed.txt:3: create: expected flags=" <<< "$got"; then
	ok "a malformed line is one error naming file, line and what was expected"
else not_ok "a malformed line is one error naming file, line and what was expected" "rc=$rc $got"; fi
sed 's/flags=0$/flags=0   # a comment/; s/^create/  1 create/' "$work/malformed.txt" | head -2 > "$work/noncanon.txt"
echo 'create slot=0:1 gpa=0x100000 hva=0x100010000 pages=16 flags=0' >> "$work/noncanon.txt"	# keys out of order
if ! "$conv" check "$work/noncanon.txt" > /dev/null 2>&1; then ok "check catches a text that is not canonical"
else not_ok "check catches a text that is not canonical"; fi

expected() { # file kernel -> expected verdict
	local v
	v=$(sed -n "s/^# expect $(sed 's/[.]/\\&/g' <<< "$2"): *//p" "$1" | head -1 | sed 's/ *$//')
	v=${v%% in *}	# a replay's verdict is the property: "kernel warning in F" is a kernel warning
	echo "${v:-clean}"
}

# ---- bytes -> text -> bytes gives the same verdict, on inputs nobody wrote -------------------
if [ -x "${TESTS_OUT_LATEST:-}/replay_memslot_notifier" ]; then
	mkdir -p "$work/random"
	# deterministic pseudo-random byte strings (awk's generator, fixed seed)
	awk 'BEGIN { srand(7); for (f = 0; f < 150; f++) { n = 2 + int(rand() * 160); s = "";
		for (i = 0; i < n; i++) s = s sprintf("\\%03o", int(rand() * 256)); print s } }' |
		while read -r line; do i=$((${i:-0} + 1)); printf "$line" > "$work/random/$i"; done
	# and inputs that start like the gmem-only regression, so some verdicts are violations
	"$conv" to-bytes corpus/regressions/gmem-only-touched-7.x.txt > "$work/regression.bin"
	for i in $(seq 1 40); do
		{ cat "$work/regression.bin"; tail -c +3 "$work/random/$i"; } > "$work/random/prefixed-$i"
	done
	bad=""
	n=0 violations=0
	for f in "$work/random"/*; do
		"$conv" to-text "$f" > "$f.txt" && "$conv" to-bytes "$f.txt" > "$f.again" || { bad+="$f: conversion failed"$'\n'; continue; }
		a=$(replay_verdict "$TESTS_OUT_LATEST/replay_memslot_notifier" "$f")
		b=$(replay_verdict "$TESTS_OUT_LATEST/replay_memslot_notifier" "$f.again")
		[ "$a" = "$b" ] || bad+="$(basename "$f"): bytes $a, after text $b"$'\n'
		[ "$a" = clean ] || violations=$((violations + 1))
		n=$((n + 1))
	done
	if [ -z "$bad" ]; then ok "bytes -> text -> bytes replays to the same verdict ($n generated inputs, $violations with a finding)"
	else not_ok "bytes -> text -> bytes replays to the same verdict" "$bad"; fi
fi

# ---- verdicts per kernel ------------------------------------------------------------------------
check_verdicts() { # label out-dir kernel-name
	local label=$1 out=$2 k=$3 bad="" n=0 e g
	for f in "${files[@]}"; do
		e=$(expected "$f" "$k"); g=$(replay_verdict "$out/replay_memslot_notifier" "$f")
		[ "$e" = "$g" ] || bad+="$f: expected $e, got $g"$'\n'
		n=$((n + 1))
	done
	if [ -z "$bad" ]; then ok "$label: $n corpus files replay with their expected verdicts"
	else not_ok "$label: corpus files replay with their expected verdicts" "$bad"; fi
}
for pair in "6.1:${TESTS_OUT_6_1:-}" "6.12:${TESTS_OUT_6_12:-}" "7.2:${TESTS_OUT_7_2:-}" "latest:${TESTS_OUT_LATEST:-}" "latest+rfc:${TESTS_OUT_RFC:-}"; do
	k=${pair%%:*} out=${pair#*:}
	if [ -x "$out/replay_memslot_notifier" ]; then
		check_verdicts "$k ($(kernel_info "$out" kernel))" "$out" "$k"
	else
		skip "no $k build for the corpus verdicts"
	fi
done
# the verdict check itself can fail: a wrong expectation is caught
if [ -x "${TESTS_OUT_LATEST:-}/replay_memslot_notifier" ]; then
	reg=corpus/regressions/gmem-only-touched-7.x.txt
	sed 's/^# expect latest: .*/# expect latest: clean/' "$reg" > "$work/wrong-expectation.txt"
	if [ "$(expected "$work/wrong-expectation.txt" latest)" != "$(replay_verdict "$TESTS_OUT_LATEST/replay_memslot_notifier" "$work/wrong-expectation.txt")" ]; then
		ok "a regression file with a wrong expected verdict is caught"
	else not_ok "a regression file with a wrong expected verdict is caught"; fi
fi

# ---- return codes the newest 7.x gives: "# -> RC" on request lines -------------------------------
errno_of() { # -EINVAL -> -22; numbers pass through (x86/generic Linux values)
	case "$1" in
		-EPERM) echo -1 ;; -ENOENT) echo -2 ;; -EIO) echo -5 ;; -ENXIO) echo -6 ;; -E2BIG) echo -7 ;;
		-EBADF) echo -9 ;; -ENOMEM) echo -12 ;; -EFAULT) echo -14 ;; -EBUSY) echo -16 ;; -EEXIST) echo -17 ;;
		-EINVAL) echo -22 ;; -EMFILE) echo -24 ;; -ENOSPC) echo -28 ;; -EOPNOTSUPP) echo -95 ;;
		*) echo "$1" ;;
	esac
}
check_return_codes() { # file -> mismatches on stdout
	local f=$1 tr
	tr=$(KVM_HVA_FUZZ_TRACE=1 "$TESTS_OUT_LATEST/replay_memslot_notifier" "$f" 2>/dev/null)
	# statement index -> expected code, from the file
	awk '{ line = $0; c = ""; if ((p = index(line, "#")) > 0) { c = substr(line, p); line = substr(line, 1, p - 1) }
	       if (line ~ /^[ \t]*$/) next
	       if (line ~ /^[ \t]*vm /) next
	       if (c ~ /^# -> /) { split(substr(c, 6), w, " "); print op, w[1] }
	       op++ }' op=0 "$f" |
	while read -r op want; do
		got=$(awk -v op="$op" '$1 == "trace:" && $2 == "op" { cur = $3; next }
			cur == op && $1 == "trace:" && ($2 == "set_memory_region" || $2 == "internal_memslot" || $2 == "guest_memfd_create" || $2 == "gmem_punch_hole" || $2 == "gmem_close" || $2 == "set_memory_attributes") { rc = $NF }
			END { print rc }' <<< "$tr")
		[ "$got" = "$(errno_of "$want")" ] || echo "$f: operation $op: expected $want ($(errno_of "$want")), latest returned ${got:-nothing}"
	done
}
if [ -x "${TESTS_OUT_LATEST:-}/replay_memslot_notifier" ]; then
	bad="" n=0
	for f in "${files[@]}"; do
		grep -q '# -> ' "$f" || continue
		n=$((n + $(grep -c '# -> ' "$f")))
		bad+=$(check_return_codes "$f")
	done
	if [ -z "$bad" ]; then ok "latest: $n expected return codes match"
	else not_ok "latest: expected return codes match" "$bad"; fi
	sed 's/# -> 0$/# -> -EINVAL/' corpus/regressions/gmem-only-touched-7.x.txt > "$work/wrong-rc.txt"
	if [ -n "$(check_return_codes "$work/wrong-rc.txt")" ]; then ok "a wrong expected return code is caught"
	else not_ok "a wrong expected return code is caught"; fi
fi

# ---- one-command reproduction and minimization ----------------------------------------------------
if [ -x "${TESTS_OUT_LATEST:-}/replay_memslot_notifier" ]; then
	crash="$work/random/prefixed-5"	# bytes, as an engine writes them
	got=$(OUT="$work/repro" KERNEL=latest fuzzers/repro.sh "$crash" 2>&1); rc=$?
	if [ $rc -eq 1 ] && grep -q "^repro: the finding reproduced: gmem-only untouched" <<< "$got" &&
	   grep -q "^    gmem_create size=0x10000 flags=MMAP" <<< "$got" && grep -q "^repro: kernel 7" <<< "$got"; then
		ok "repro: a crash file reproduces with one command and prints kernel, scenario text and property"
	else not_ok "repro: a crash file reproduces with one command" "rc=$rc $got"; fi
	if [ -f "${RFC:-}" ]; then
		got=$(OUT="$work/repro-rfc" KERNEL=latest KERNEL_PATCHES="$RFC" fuzzers/repro.sh "$crash" 2>&1); rc=$?
		if [ $rc -eq 0 ] && grep -q "^repro: no finding" <<< "$got" && grep -q "patches: .*rfc" <<< "$got"; then
			ok "repro: exit status says the finding does not reproduce with the RFC"
		else not_ok "repro: exit status with the RFC" "rc=$rc $got"; fi
	else
		skip "repro with the RFC: no RFC seed (../shared/seeds/)"
	fi
	got=$(fuzzers/repro.sh "$work/no-such-file" 2>&1); rc=$?
	if [ $rc -eq 2 ] && [ "$(echo "$got" | wc -l)" -eq 1 ]; then ok "repro: a missing file is one error line, exit 2"
	else not_ok "repro: a missing file" "rc=$rc $got"; fi
	cp "$crash" "$work/to-minimize"
	got=$(OUT="$work/minimize" KERNEL=latest RUNS=5000 fuzzers/minimize.sh "$work/to-minimize" 2>&1); rc=$?
	if [ $rc -eq 0 ] && [ -s "$work/to-minimize.min" ] && [ "$(stat -c %s "$work/to-minimize.min")" -lt "$(stat -c %s "$crash")" ] &&
	   grep -q "^vm " "$work/to-minimize.min.txt" && grep -q "verdict: ORACLE VIOLATION: gmem-only untouched" <<< "$got"; then
		ok "minimize: libFuzzer -minimize_crash writes a smaller input and its text form"
	else not_ok "minimize: libFuzzer -minimize_crash" "rc=$rc $got"; fi
fi
