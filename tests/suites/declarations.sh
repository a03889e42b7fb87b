#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The operations are declared once (scenario/scenario_ops.def) and the text form is generic code over
# the declarations (run by tests/run.sh; kernel-free, needs only a C compiler):
# - every committed scenario still has the bytes it had before (tests/golden/scenario-bytes.sha256);
# - random bytes -> text -> bytes -> text gives the same text;
# - the dictionary comes from the declarations: every entry parses, every operation has one, and an
#   entry that does not parse stops `scenario-text dict` naming it;
# - adding an operation is a declaration: a copy of the sources with a dummy operation appended
#   (one OP line, one DICT line) writes, reads and puts it in the dictionary, and its values are
#   checked like every other.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init
conv=$(scenario_text_tool) || { not_ok "declarations: build scenario-text"; exit 1; }

# ---- the bytes of the committed scenarios ----------------------------------------------------------
bad=() n=0
while read -r sum f; do
	case "$sum" in '#'*|'') continue ;; esac
	[ -f "$f" ] || continue	# a scenario since removed
	n=$((n + 1))
	[ "$("$conv" to-bytes "$f" 2>/dev/null | sha256sum | cut -d' ' -f1)" = "$sum" ] || bad+=("$f")
done < tests/golden/scenario-bytes.sha256
if [ ${#bad[@]} -eq 0 ] && [ "$n" -gt 100 ]; then ok "declarations: $n committed scenarios keep their bytes"
else not_ok "declarations: committed scenarios keep their bytes ($n checked)" "${bad[*]}"; fi

# ---- random bytes round-trip through the text ----------------------------------------------------------
mkdir -p "$work/random"
python3 - "$work/random" <<'EOF'
import os, random, sys
random.seed(1)
for i in range(300):
    n = random.randint(0, 64)
    data = bytes(random.randrange(256) for _ in range(2 + 6 * n))
    open(os.path.join(sys.argv[1], 'r%03d' % i), 'wb').write(data)
EOF
bad=()
for f in "$work"/random/r*; do
	"$conv" to-text "$f" > "$f.txt" && "$conv" to-bytes "$f.txt" > "$f.again" && "$conv" to-text "$f.again" > "$f.again.txt" &&
		cmp -s "$f.txt" "$f.again.txt" || bad+=("$(basename "$f")")
done
if [ ${#bad[@]} -eq 0 ]; then ok "declarations: 300 random byte scenarios: bytes -> text -> bytes -> text is the same text"
else not_ok "declarations: random byte scenarios round-trip" "${bad[*]}"; fi

# ---- the dictionary ------------------------------------------------------------------------------
if dict=$("$conv" dict 2>&1); then
	entries=$(grep -c '^[a-z_0-9]*="' <<< "$dict")
	missing=()
	while read -r name; do
		grep -q "^OP([A-Z_0-9]*, \"$name\"" scenario/scenario_ops.def || continue
		grep -q "^DICT([a-z_0-9]*, \"\\(.*; \\)\\?$name[ \";]" scenario/scenario_ops.def || missing+=("$name")
	done < <(sed -n 's/^OP([A-Z_0-9]*, "\([a-z_0-9]*\)".*/\1/p' scenario/scenario_ops.def)
	if [ "$entries" -gt 30 ] && [ ${#missing[@]} -eq 0 ] && grep -q '^header_legal="\\x00\\x00"$' <<< "$dict"; then
		ok "declarations: the dictionary ($entries entries) has every operation and each mode's header"
	else not_ok "declarations: the dictionary has every operation" "entries=$entries, without one: ${missing[*]}"; fi
else not_ok "declarations: scenario-text dict" "$dict"; fi

# ---- adding an operation: one OP line and one DICT line, in a copy of the sources ------------------------
copy="$work/decl-copy"
mkdir -p "$copy/targets"
srcs=$(make -s --no-print-directory -C "$top" print-scenario-srcs)
cp -r "$top/scenario" "$copy/" && cp "$top/targets/scenario_text_main.c" "$copy/targets/"
cat >> "$copy/scenario/scenario_ops.def" <<'EOF'
OP(DUMMY, "dummy", MEMSLOT, 0, NUMBER("count", SC_A, 0, 7, 1), FLAGS("flags", SC_B, sc_gmem_flag_names), WORD("twice", SC_C, 0))
DICT(dummy_twice, "dummy count=3 flags=MMAP|INIT_SHARED twice")
EOF
if (cd "$copy" && cc -std=gnu11 -O1 -iquote scenario $srcs targets/scenario_text_main.c -o dummy-text) > "$work/decl-cc.log" 2>&1; then
	VM="vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 mode=legal"
	printf '%s\n%s\n%s\n' "$VM" "dummy count=8 flags=UNDEFINED" "dummy count=1 flags=0 twice" > "$work/dummy.txt"
	"$copy/dummy-text" to-bytes "$work/dummy.txt" > "$work/dummy.bin" 2>&1
	back=$("$copy/dummy-text" to-text "$work/dummy.bin" 2>&1)
	kind=$(grep -c '^OP(' "$top/scenario/scenario_ops.def")	# the new operation's kind byte: the number before it
	bytes=$(od -An -tx1 -v "$work/dummy.bin" | tr -d ' \n')
	want=$(printf '0000%02x0704000000%02x0000010000' "$kind" "$kind")
	if [ "$back" = "$(cat "$work/dummy.txt")" ] && [ "$bytes" = "$want" ]; then
		ok "declarations: an operation added as one OP line is written and read back (kind 0x$(printf %02x "$kind"), bytes $bytes)"
	else not_ok "declarations: an added operation round-trips" "bytes $bytes (want $want); text back:"$'\n'"$back"; fi
	if "$copy/dummy-text" dict | grep -q "^dummy_twice=\"\\\\x$(printf %02x "$kind")\\\\x02\\\\x03\\\\x01\\\\x00\\\\x00\"$"; then
		ok "declarations: the added operation's DICT line is in the dictionary"
	else not_ok "declarations: the added operation's DICT line is in the dictionary" "$("$copy/dummy-text" dict | tail -2)"; fi
	printf '%s\n%s\n' "$VM" "dummy count=9 flags=0" > "$work/dummy-bad.txt"
	got=$("$copy/dummy-text" to-bytes "$work/dummy-bad.txt" 2>&1 > /dev/null); rc=$?
	if [ $rc -ne 0 ] && [ "$(wc -l <<< "$got")" -eq 1 ] && grep -q 'dummy-bad.txt:2: dummy: count=9 is out of range (1-8)' <<< "$got"; then
		ok "declarations: the added operation's values are checked (count=9: one line naming it)"
	else not_ok "declarations: the added operation's values are checked" "rc=$rc: $got"; fi
	# a dictionary entry that does not parse stops the dictionary, naming it
	echo 'DICT(dummy_bad, "dummy count=0 flags=0")' >> "$copy/scenario/scenario_ops.def"
	(cd "$copy" && cc -std=gnu11 -O1 -iquote scenario $srcs targets/scenario_text_main.c -o dummy-text2) > /dev/null 2>&1
	got=$("$copy/dummy-text2" dict 2>&1 > /dev/null); rc=$?
	if [ $rc -ne 0 ] && grep -q 'dictionary entry dummy_bad:2: dummy: count=0 is out of range' <<< "$got"; then
		ok "declarations: a dictionary entry that does not parse stops scenario-text dict, naming it"
	else not_ok "declarations: a bad dictionary entry is named" "rc=$rc: $got"; fi
else not_ok "declarations: the sources with an added operation compile" "$(tail -5 "$work/decl-cc.log")"; fi
