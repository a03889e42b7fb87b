#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Suite: the command-line scripts as a user meets them. Every script answers
# --help and -h with its usage (the header comment, which names the
# environment variables it reads), exit 0, before it does anything else; an
# unknown argument is one line naming it, and a non-zero exit.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
suite_init

scripts=(build.sh fuzzers/*.sh bench/*.sh oss-fuzz/*.sh oss-fuzz/projects/*/build.sh extracted/prepare-tree.sh)
for f in "${scripts[@]}"; do
	for o in --help -h; do
		# no network, no build: a script that started work here would not finish in time
		got=$(timeout 60 bash "$f" "$o" < /dev/null 2>&1); rc=$?
		if [ $rc -eq 0 ] && [ "$(wc -l <<< "$got")" -ge 2 ] && ! grep -q "^$(basename "$f" .sh): " <<< "$got"; then
			ok "$f $o: its usage, exit 0"
		else not_ok "$f $o: its usage, exit 0" "rc=$rc: $got"; fi
	done
	[ "$f" = oss-fuzz/projects/kvm-hva-fuzz/build.sh ] && continue	# OSS-Fuzz's entry takes no arguments (build-check.sh)
	got=$(timeout 60 bash "$f" --bogus-option < /dev/null 2>&1); rc=$?
	if [ $rc -ne 0 ] && [ "$(wc -l <<< "$got")" -eq 1 ] && grep -q -- "--bogus-option" <<< "$got"; then
		ok "$f --bogus-option: one line naming it, exit $rc"
	else not_ok "$f --bogus-option: one line naming it" "rc=$rc: $got"; fi
done

# The usage names what a script reads from the environment (a sample of the settings each one takes)
for pair in fuzzers/run-fuzz.sh:FUZZ_SECONDS build.sh:KERNEL_PATCHES fuzzers/check-patch.sh:FUZZ_SECONDS \
	fuzzers/soak.sh:SOAK_SECONDS bench/run.sh:BENCH_SECONDS fuzzers/repro.sh:KERNEL fuzzers/minimize.sh:ENGINE \
	fuzzers/coverage.sh:COV_OUT fuzzers/kernel-matrix.sh:KERNEL_MATRIX fuzzers/change-pte-report.sh:EVENTS; do
	f=${pair%%:*} v=${pair#*:}
	if bash "$f" --help | grep -qw "$v"; then ok "$f --help names $v"
	else not_ok "$f --help names $v"; fi
done


# The minimizer drops operations as whole lines; a dropped gmem_create renumbers the guest_memfd
# fds made after it (the lowest free fd, as model_gmem.c and the VFS give), so the kept lines
# still name their file, and a file closed and made again is followed through its new fd
. fuzzers/findings-lib.sh
got=$(printf '%s\n' 'gmem_create size=0x10000 flags=0' 'gmem_create size=0x20000 flags=0' 'gmem_close guest_memfd=0' \
	'gmem_create size=0x10000 flags=MMAP' 'create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=GUEST_MEMFD guest_memfd=1 offset_pages=0' \
	'gmem_punch_hole guest_memfd=0 offset_pages=0 pages=1 mode=punch' | ops_without 1 1)
want=$(printf '%s\n' 'gmem_create size=0x10000 flags=0' 'gmem_close guest_memfd=0' 'gmem_create size=0x10000 flags=MMAP' \
	'create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=GUEST_MEMFD guest_memfd=1 offset_pages=0' \
	'gmem_punch_hole guest_memfd=0 offset_pages=0 pages=1 mode=punch')
if [ "$got" = "$want" ]; then ok "minimizer: dropping a gmem_create keeps every other line naming its own file"
else not_ok "minimizer: dropping a gmem_create renumbers the files after it" "$got"; fi
got=$(printf '%s\n' 'gmem_create size=0x10000 flags=0' 'gmem_create size=0x20000 flags=0' \
	'create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=GUEST_MEMFD guest_memfd=1 offset_pages=0' | ops_without 0 1)
if [ "$got" = "$(printf '%s\n' 'gmem_create size=0x20000 flags=0' \
	'create slot=0:0 hva=0x100000000 gpa=0x0 pages=16 flags=GUEST_MEMFD guest_memfd=0 offset_pages=0')" ]; then
	ok "minimizer: the file made second is fd 0 once the first is dropped"
else not_ok "minimizer: the file made second is fd 0 once the first is dropped" "$got"; fi
