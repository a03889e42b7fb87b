#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build and check every kernel version: one table row per Debian linux-source
# package version.
#
#   KERNEL_MATRIX=all fuzzers/kernel-matrix.sh          # every version the mirror lists, 6.1 up
#   KERNEL_MATRIX="7.2.9 6.1.192-2" fuzzers/kernel-matrix.sh
#   KERNEL_MATRIX=newest fuzzers/kernel-matrix.sh       # the newest of each series (default)
#
# Per version: the package version; definitions extracted (manifest.txt); the
# build; 2,000 fuzzing runs (-seed=1, empty corpus) of each target,
# fuzz_memslot_notifier with the first law off (an unpatched kernel breaks it
# within seconds) and fuzz_interval_tree; what binding a taken guest_memfd range
# returns (read from the kernel's code); the first law on the committed
# regression (corpus/regressions/gmem-only-touched-7.x.txt through repro.sh);
# and whether the RFC (../shared/seeds/) applies and the first law with it.
# KVM_ARCH=x86|arm64 chooses the profile (build.sh). Builds go to
# out/matrix/<arch>/<version>/, logs beside them. Prints a Markdown table on
# stdout; exit 1 if a row has a failed build or an unexpected finding (a finding
# corpus/regressions/*.txt expects of the version's series is "known: PROPERTY").
# Environment: KERNEL_MATRIX (default newest), KVM_ARCH (default x86), RUNS
# (fuzzing runs per target, default 2000), RFC_SEED (the RFC patch; default
# ../shared/seeds/rfc-kvm-ignore-mmu-notifiers-gmem-only.txt).
set -uo pipefail
script_name=kernel-matrix die_status=2
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"	# top, say, die, usage (--help)
cd "$top" || exit 2
[ $# -eq 0 ] || die "unknown argument '$1' (settings are environment variables: KERNEL_MATRIX, KVM_ARCH, RUNS, RFC_SEED)"
: "${KERNEL_MATRIX:=newest}" "${KVM_ARCH:=x86}" "${RUNS:=2000}"
export KVM_ARCH
suffix=""; [ "$KVM_ARCH" = x86 ] || suffix=_$KVM_ARCH
regression=corpus/regressions/gmem-only-touched-7.x.txt
rfc=${RFC_SEED:-$top/../shared/seeds/rfc-kvm-ignore-mmu-notifiers-gmem-only.txt}
[ -f "$rfc" ] || echo "kernel-matrix: no RFC at $rfc: its columns say so" >&2
dest=$top/out/matrix/$KVM_ARCH
mkdir -p "$dest"

# the versions: "PACKAGE VERSION" lines
list=$(extracted/prepare-tree.sh --list 2>"$dest/list.log") || die "listing versions failed: $(tail -1 "$dest/list.log")"
list=$(awk '{ split($2, v, "[.-]"); if (v[1] > 6 || (v[1] == 6 && v[2] >= 1)) print }' <<< "$list")
case $KERNEL_MATRIX in
	all) ;;
	newest) list=$(awk '{ last[$1] = $0; order[$1] = NR } END { for (p in last) print order[p], last[p] }' <<< "$list" |
		sort -n | cut -d' ' -f2-) ;;
	*) sel=""
	   for k in $KERNEL_MATRIX; do
		[[ $k =~ ^[0-9]+\.[0-9]+\.[0-9]+(-.+)?$ ]] || die "KERNEL_MATRIX: '$k' is not an exact version (7.2.9 or 7.2.9-1~bpo13+1), all or newest"
		m=$(awk -v k="$k" '$2 == k || substr($2, 1, index($2 "-", "-") - 1) == k' <<< "$list" | tail -1)
		[ -n "$m" ] || die "KERNEL_MATRIX: no version $k on the configured Debian mirror"
		sel+="$m"$'\n'
	   done
	   list=${sel%$'\n'} ;;
esac
[ -n "$list" ] || die "no linux-source version from 6.1 up on the configured Debian mirror"

verdict() { # out-dir [patches] -> holds | violated | error
	local rc
	OUT=$1 KERNEL=$v KERNEL_PATCHES=${2:-} fuzzers/repro.sh "$regression" > "$1.repro.log" 2>&1
	rc=$?
	case $rc in
		0) echo holds ;;
		1) echo violated ;;
		*) echo "does not build: $(tail -1 "$1.repro.log" | sed 's/^repro: build failed: //' | tr '|' '/')" ;;
	esac
}
runs() { # binary [env] -> clean | known: PROPERTY (corpus/regressions says the series has it) | finding[: PROPERTY]
	local b=$1 p; shift
	mkdir -p "$b.corpus"; rm -rf "$b.corpus"/*
	if env "$@" "$b" -runs="$RUNS" -seed=1 "$b.corpus" > "$b.runs.log" 2>&1; then echo clean; return; fi
	p=$(finding_key < "$b.runs.log")
	if [ -n "$p" ] && [ -n "$series" ] && known_findings "$series" "$(basename "$b")" | grep -xF "$p" > /dev/null; then echo "known: $p"
	else echo "finding${p:+: $p}"; fi
}

echo "| package | kernel | definitions | build | $RUNS runs: memslot (law off) / interval tree | taken binding | first law | RFC applies | first law + RFC |"
echo "|---|---|---|---|---|---|---|---|---|"
bad=0
while read -r pkg v; do
	out=$dest/$v
	if ! KERNEL=$v OUT="$out" ./build.sh > "$out.build.log" 2>&1; then
		echo "| $pkg $v | | | failed: $(grep -v '^prepare-tree: \(using\|downloading\|unpacking\)' "$out.build.log" | tail -1 | tr '|' '/') | | | | | |"
		bad=1; continue
	fi
	kv=$(awk '$1 == "kernel" { print $2 }' "$out/kernel-info.txt")
	tk=$(awk '$1 == "tree_key" { print $2 }' "$out/kernel-info.txt")
	gen=$top/build/$tk/extracted${suffix/_/-}	# build.sh's extraction for this profile
	feat=$gen/kvm_features.h
	defs=$(wc -l < "$gen/manifest.txt")
	case $kv in 6.1.*) series=6.1 ;; 6.12.*) series=6.12 ;; 7.2.*) series=7.2 ;; 7.3.*) series=latest ;; *) series="" ;; esac
	r1=$(runs "$out/fuzz_memslot_notifier_gmem_only_untouched_off$suffix")
	r2=-	# the interval tree is arch-free: the x86 build has it
	[ -x "$out/fuzz_interval_tree" ] && r2=$(runs "$out/fuzz_interval_tree")
	{ [ "$r1" = clean ] || [[ "$r1" == known:* ]]; } && [[ "$r2" != finding* ]] || bad=1
	taken=$(sed -n 's/^#define ERRNO_gmem_taken_binding (\(.*\))$/\1/p' "$feat")
	[ "$taken" != 0 ] || taken="no guest_memfd"
	if grep -q '^#define HAVE_KVM_MEMSLOT_GMEM_ONLY 1' "$feat"; then law=$(verdict "$out")
	else law="holds (no gmem-only slots)"; fi
	applies="" law_rfc=""
	if [ -f "$rfc" ]; then
		if KERNEL=$v KERNEL_PATCHES=$rfc extracted/prepare-tree.sh > /dev/null 2> "$out.rfc-tree.log"; then
			applies=yes
			law_rfc=$(verdict "$out-rfc" "$rfc")
			[ "$law_rfc" != violated ] || bad=1
		else
			applies="no ($(tail -1 "$out.rfc-tree.log" | sed 's/^prepare-tree: patch [^ ]* does not apply: //' | tr '|' '/'))"
			law_rfc="-"
		fi
	fi
	echo "| $pkg $v | $kv | $defs | ok | $r1 / $r2 | $taken | $law | ${applies:-no RFC seed} | $law_rfc |"
done <<< "$list"
exit $bad
