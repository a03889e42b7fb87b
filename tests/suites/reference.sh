#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: the reference model alone (oracle/reference.c), compiled with the
# plain host compiler, no kernel: tests/reference_test.c checks its rules one
# by one. Then the checks are shown able to fail: the same test on copies of
# reference.c with one rule broken must report it.
#
#   bash tests/suites/reference.sh          # prints "ok - ..." / "not ok - ..."
{ # parsed whole before it runs: editing this file during a run cannot change that run
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init
cc=${HOST_CC:-}
for c in cc gcc clang; do [ -z "$cc" ] && command -v "$c" >/dev/null 2>&1 && cc=$c; done
if [ -z "$cc" ]; then skip "no C compiler for the reference test (run: sudo apt-get install -y gcc)"; exit 0; fi
build() { # reference.c-copy binary (warnings are not errors: a broken copy may leave a variable unused)
	"$cc" -std=gnu11 -O1 -Wall -Wextra -iquote oracle -iquote scenario -iquote harness -iquote shims tests/reference_test.c "$1" "${3:-oracle/reference_attrs.c}" oracle/uapi.c -o "$2"
}
if ! log=$(build oracle/reference.c "$work/reference_test" 2>&1); then
	not_ok "reference: tests/reference_test.c builds with $cc" "$log"; exit 0
fi
"$work/reference_test"	# its own ok/not ok lines
# one rule broken at a time: the test must notice each
broken() { # name sed-expression the-check-that-must-fail [the file broken: reference.c]
	local name=$1 expr=$2 want=$3 file=${4:-oracle/reference.c} got
	sed "$expr" "$file" > "$work/ref-$name.c"
	if cmp -s "$file" "$work/ref-$name.c"; then not_ok "reference test catches $name" "the sed changed nothing"; return; fi
	if [ "$file" = oracle/reference.c ]; then log=$(build "$work/ref-$name.c" "$work/ref-$name" 2>&1)
	else log=$(build oracle/reference.c "$work/ref-$name" "$work/ref-$name.c" 2>&1); fi
	if [ $? -ne 0 ]; then not_ok "reference test catches $name" "$log"; return; fi
	got=$("$work/ref-$name" 2>&1)
	if [ $? -ne 0 ] && grep -qF "not ok - reference: $want" <<< "$got"; then ok "reference test catches $name"
	else not_ok "reference test catches $name" "$got"; fi
}
broken "no overlap rule" 's/return -EEXIST;$/return 0;/' "gfns overlapping another slot"
broken "a gmem-only rule without MMAP" 's/(ref->files\[q->guest_memfd\].flags & ref->kernel.gmem_flag_mmap)/1/' "a slot on one created without MMAP is not"
broken "a hole not clipped to the binding" 's/e = end < pg + rs->npages ? end : pg + rs->npages;/e = end;/' "a hole unmaps each binding"
broken "bindings that outlive their file" 's/rs->gmem_file_serial == f->serial/1/' "a new file on a reused fd has no bindings"
broken "internal ids exempt from the alignment check" 's/(q->userspace_addr \& (SC_PAGE - 1)) || !ref_access_ok/((q->userspace_addr \& (SC_PAGE - 1)) \&\& id < (int)kernel->user_mem_slots) || !ref_access_ok/' \
	"an unaligned hva is -EINVAL for internal ids too"
broken "calls not clipped to the slot" 's/he = end < s_end ? end : s_end;/he = end;/' "a range over three slots"
broken "attributes kept outside the range" 's/if (r.start < start)$/if (0)/' "attributes: clearing the middle gfn splits the range" \
	oracle/reference_attrs.c
exit 0
}
