#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Does a patch break anything its base kernel did not already break?
# Builds the base and base+patches, replays the whole corpus on both and shows
# every scenario whose verdict or return codes change, fuzzes base+patches,
# replays each finding on the base, and sorts the findings: new (the base does
# not have it), inherited (the base has it too), fixed (the base has it in the
# corpus, the patched tree does not). Prints a summary to paste into a reply:
# plain text under 80 columns; each new finding with its cause, the first
# changed line its scenario runs, the minimized scenario and the command that
# replays it (long lines go on after a '\', as the shell and the text form read them).
#
#   KERNEL=7.3 fuzzers/check-patch.sh 0001-foo.patch [0002-bar.patch ...]
#   KERNEL_SRC=~/src/linux BASE=v7.3 fuzzers/check-patch.sh     # the commits BASE..HEAD
#
# The base: KERNEL or KERNEL_SRC (as for build.sh), plus KERNEL_PATCHES if set
# (a stack your patches sit on). With BASE=REV, KERNEL_SRC must be a git
# checkout: the base is its files at REV and the patches are the commits
# REV..HEAD (git format-patch into a scratch directory; the checkout, its index
# and its work tree are only read; uncommitted changes are not part of it).
# Patch files given as arguments come after those.
# Environment: FUZZ_SECONDS (default 120), JOBS (default all cores), ENGINE,
# TARGET (default fuzz_memslot_notifier: the first law is a property like any
# other), MINIMIZE_SECONDS, OUT (default ./out/check-patch), KEPT_CORPUS (the
# corpus earlier runs kept, replayed too; default ./out/corpus).
# INTENDED_CHANGES="create -EEXIST": a return code that differs between base and
# base+patches is a finding ("changed behaviour") unless its operation (the text
# form's name) or its old or new errno is named here; the oracle then takes the
# patched code's return codes as the uAPI (KVM_HVA_FUZZ_UAPI=code).
# Reach: a coverage build of base+patches replays the corpus and what the fuzzing kept, and the
# summary says how many of the changed lines (the new side, in extracted code) ran, per function,
# and names changed lines outside what the harness extracts; if none ran, the result is "not
# exercised" instead of "nothing new" (the exit status is the same).
# Exit status: 1 something is new (a finding or a behaviour change), 0 nothing is, 2 bad input (a patch that
# does not apply, an unknown BASE, a base or patched tree that does not build).
{ # parsed whole before it runs: editing this file during a run cannot change that run
set -uo pipefail
script_name=check-patch die_status=2	# bad input exits 2
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"	# top, say, die, usage (--help)
: "${FUZZ_SECONDS:=120}" "${ENGINE:=libfuzzer}" "${TARGET:=fuzz_memslot_notifier}"
: "${JOBS:=$(nproc 2>/dev/null || echo 1)}" "${OUT:=$top/out/check-patch}"
case "$FUZZ_SECONDS" in ''|*[!0-9]*) die "FUZZ_SECONDS must be a number of seconds" ;; esac
case "$TARGET" in
	fuzz_memslot_notifier|fuzz_memslot_notifier_gmem_only_untouched_off) ;;
	*) die "unknown TARGET=$TARGET (fuzz_memslot_notifier, fuzz_memslot_notifier_gmem_only_untouched_off)" ;;
esac
case "$ENGINE" in libfuzzer|afl) ;; *) die "unknown ENGINE=$ENGINE (libfuzzer, afl)" ;; esac
for a in "$@"; do
	case "$a" in -*) die "unknown option '$a' (settings are environment variables)" ;; esac
	[ -f "$a" ] && [ -r "$a" ] || die "patch $(basename "$a"): no such file"
done
[ -n "${BASE:-}" ] || [ $# -gt 0 ] || die "usage: [KERNEL=7.3|KERNEL_SRC=DIR [BASE=REV]] fuzzers/check-patch.sh PATCH..."
mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
. "$top/fuzzers/findings-lib.sh"
law=$(finding_law "$TARGET")
# INTENDED_CHANGES: operations and errnos a patch means to change (checked before anything builds)
errno_number() { # -EEXIST | EEXIST | -17 -> -17
	local e=${1#-}
	case "$e" in
		[0-9]*) echo "-$e"; return ;;
	esac
	case "$e" in
		EPERM) echo -1 ;; ENOENT) echo -2 ;; EIO) echo -5 ;; ENXIO) echo -6 ;; E2BIG) echo -7 ;; EBADF) echo -9 ;;
		EAGAIN) echo -11 ;; ENOMEM) echo -12 ;; EFAULT) echo -14 ;; EBUSY) echo -16 ;; EEXIST) echo -17 ;;
		ENODEV) echo -19 ;; EINVAL) echo -22 ;; EMFILE) echo -24 ;; ENOTTY) echo -25 ;; ENOSPC) echo -28 ;;
		ERANGE) echo -34 ;; EOPNOTSUPP) echo -95 ;; *) echo "?" ;;
	esac
}
declare -A intended=()
for w in ${INTENDED_CHANGES:-}; do
	case "$w" in
		-*|E*|[0-9]*) n=$(errno_number "$w"); [ "$n" != "?" ] || die "INTENDED_CHANGES: unknown errno '$w'"; intended[$n]=1 ;;
		*) intended[$w]=1 ;;	# an operation of the text form: create, delete, gmem_create, ...
	esac
done
# A declared change is the new uAPI: where kernels' return codes differ, the oracle takes the
# code's own rather than its version's table (oracle/uapi.c)
[ ${#intended[@]} -eq 0 ] || export KVM_HVA_FUZZ_UAPI=code
scratch=$(mktemp -d "$OUT/.scratch-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
patches=()
for a in "$@"; do patches+=("$(cd "$(dirname "$a")" && pwd)/$(basename "$a")"); done

# ---- BASE=REV: the checkout's files at REV, and REV..HEAD as patch files ------------------------
base_desc=""
if [ -n "${BASE:-}" ]; then
	[ -n "${KERNEL_SRC:-}" ] || die "BASE=$BASE needs KERNEL_SRC, a git checkout"
	git -C "$KERNEL_SRC" rev-parse --git-dir > /dev/null 2>&1 || die "KERNEL_SRC=$KERNEL_SRC: not a git checkout (BASE needs one)"
	rev=$(git -C "$KERNEL_SRC" rev-parse -q --verify "$BASE^{commit}" 2>/dev/null) || die "unknown BASE=$BASE in $KERNEL_SRC"
	head=$(git -C "$KERNEL_SRC" rev-parse -q --verify HEAD) || die "$KERNEL_SRC has no HEAD"
	git -C "$KERNEL_SRC" merge-base --is-ancestor "$rev" "$head" || die "BASE=$BASE is not an ancestor of HEAD in $KERNEL_SRC"
	series="$OUT/series"	# kept: the replay command of a finding names these patches
	rm -rf "$series"
	git -C "$KERNEL_SRC" format-patch -q --no-stat -o "$series" "$rev..$head" > /dev/null || die "git format-patch $BASE..HEAD failed"
	mapfile -t commits < <(find "$series" -name '*.patch' | sort)
	[ ${#commits[@]} -gt 0 ] || [ $# -gt 0 ] || die "BASE=$BASE..HEAD has no commits (and no patch files were given)"
	patches=("${commits[@]}" "${patches[@]}")
	# the files extraction reads (and those the series touches) at REV, through a
	# private index: the checkout's own index and work tree are not touched
	export_dir="$OUT/trees/$rev"
	if [ ! -e "$export_dir/.complete" ]; then
		rm -rf "$export_dir" && mkdir -p "$export_dir" || die "cannot create $export_dir"
		pats=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$top/extracted/tree-files.txt")
		{
			# a path is in when it or a directory above it matches a pattern (as
			# prepare-tree.sh's globs pick files and whole directories)
			git -C "$KERNEL_SRC" ls-tree -r --name-only "$rev" |
				PATS="$pats" awk 'BEGIN { n = split(ENVIRON["PATS"], p, "\n")
					for (i = 1; i <= n; i++) { r = p[i]; gsub(/\./, "\\.", r); gsub(/\*/, "[^/]*", r); gsub(/\?/, "[^/]", r); re[i] = "^" r "$" } }
					{ m = split($0, c, "/"); pre = ""
					  for (j = 1; j <= m; j++) { pre = pre (j > 1 ? "/" : "") c[j]
						for (i = 1; i <= n; i++) if (pre ~ re[i]) { print; next } } }'
			git -C "$KERNEL_SRC" diff --name-only "$rev" "$head"
		} | sort -u > "$scratch/files"
		GIT_INDEX_FILE="$scratch/index" git -C "$KERNEL_SRC" read-tree "$rev" &&
			git -C "$KERNEL_SRC" ls-tree -r --name-only "$rev" | sort > "$scratch/all" &&
			comm -12 "$scratch/files" "$scratch/all" |
			GIT_INDEX_FILE="$scratch/index" git -C "$KERNEL_SRC" checkout-index --prefix="$export_dir/" --stdin ||
			die "cannot export $BASE from $KERNEL_SRC"
		touch "$export_dir/.complete"
	fi
	base_desc="$KERNEL_SRC at $BASE (${rev:0:12} $(git -C "$KERNEL_SRC" log -1 --format=%s "$rev"))"
	export KERNEL_SRC="$export_dir"
fi
[ ${#patches[@]} -gt 0 ] || die "no patches to check"

base_patches=${KERNEL_PATCHES:-}
patched_patches="${base_patches:+$base_patches }${patches[*]}"
export KERNEL=${KERNEL:-latest} BUILD_ROOT=${BUILD_ROOT:-$top/build}

# ---- the trees: a patch that does not apply is named before anything builds ---------------------
log="$OUT/prepare.log"
KERNEL_PATCHES="$patched_patches" "$top/extracted/prepare-tree.sh" > /dev/null 2> "$log" ||
	die "$(tail -1 "$log" | sed 's/^prepare-tree: //')"
build() { # label out-dir patches
	local label=$1 out=$2 blog="$2.build.log"
	if ! KERNEL_PATCHES="$3" OUT="$out" OUT_LAYOUT=local FUZZING_ENGINE=$ENGINE "$top/build.sh" > "$blog" 2>&1; then
		die "the $label tree does not build: $(grep -v '^prepare-tree: using\|^build.sh: kernel' "$blog" | tail -1) (log: $blog)"
	fi
}
base_out="$OUT/base" patched_out="$OUT/patched"
[ "$ENGINE" = afl ] && base_out="$OUT/afl/base" patched_out="$OUT/afl/patched"
echo "check-patch: building the base and base+patches" >&2
build base "$base_out" "$base_patches"
build patched "$patched_out" "$patched_patches"
info() { sed -n "s/^$2 //p" "$1/kernel-info.txt"; }
[ -n "$base_desc" ] || base_desc="$(info "$base_out" origin)${base_patches:+ + $(info "$base_out" patches)}"

# ---- the corpus on both trees -------------------------------------------------------------------
# replay_each ON_CRASH REPLAYER FILE...: the replayer's output for every file, through one process
# (--each: "replay-file: F", the trace, "verdict: V" per file). An input that ends the process (a
# sanitizer report, a BUG, a hang) is the one after the last verdict: ON_CRASH REPLAYER FILE speaks
# for it, and the rest go on in a new process. The caller's environment settings reach the replayer.
replay_each() {
	local on_crash=$1 replayer=$2 from=0 done_n batch="$scratch/each.$BASHPID"; shift 2
	local inputs=("$@")
	while [ "$from" -lt ${#inputs[@]} ]; do
		timeout $((60 + (${#inputs[@]} - from) / 20)) "$replayer" --each "${inputs[@]:from}" > "$batch" 2> /dev/null
		done_n=$(grep -c '^verdict: ' "$batch")
		cat "$batch"
		from=$((from + done_n))
		[ "$from" -lt ${#inputs[@]} ] || break
		"$on_crash" "$replayer" "${inputs[$from]}"
		from=$((from + 1))
	done
}
# the input that ended the process, alone: its trace, and its verdict (the finding's key)
replay_alone() { # replayer file
	local rc v err="$scratch/err.$BASHPID"
	echo "replay-file: $2"
	ASAN_OPTIONS=detect_leaks=1 timeout 20 "$1" "$2" 2> "$err"; rc=$?
	v=$(sed -n 's/^ORACLE VIOLATION: \([^:]*\):.*/oracle: \1/p' "$err" | head -1)
	if [ -z "$v" ] && [ $rc -ne 0 ]; then finding_classify "$(dirname "$1")" "$TARGET" "$2" "$law"; v=$key; fi
	echo "verdict: ${v:-clean}"
}
skip_input() { :; }
# verdict (the finding's key, or clean) and the return code of every request, one line per file
replay_all() { # out -> "verdict<TAB>op N KIND:rc, ..."
	KVM_HVA_FUZZ_TRACE=1 KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=$law ASAN_OPTIONS=detect_leaks=0 \
		UBSAN_OPTIONS=silence_unsigned_overflow=1 replay_each replay_alone "$(finding_replayer "$1" "$TARGET")" "${files[@]}" |
		awk '/^replay-file: / { rcs = ""; sep = ""; next }
			$1 == "trace:" && $2 == "op" { op = $3 " " $4; next }
			$1 == "trace:" && ($2 == "set_memory_region" || $2 == "guest_memfd_create") { rcs = rcs sep op ":" $NF; sep = ", "; next }
			/^verdict: / { print substr($0, 10) "\t" rcs }'
}
files=()
for d in "$top/corpus/fuzz_memslot_notifier" "$top/corpus/regressions"; do
	for f in "$d"/*.txt; do [ -e "$f" ] && files+=("$f"); done
done
ncommitted=${#files[@]}
kept=${KEPT_CORPUS:-$top/out/corpus}	# what earlier fuzzing runs kept
for d in "$kept/fuzz_memslot_notifier" "$kept/fuzz_memslot_notifier_gmem_only_untouched_off"; do
	[ -d "$d" ] && while IFS= read -r f; do files+=("$f"); done < <(find "$d" -maxdepth 1 -type f | sort)
done
echo "check-patch: replaying ${#files[@]} corpus scenarios on both trees" >&2
replay_all "$base_out" > "$scratch/base.v" & p1=$!
replay_all "$patched_out" > "$scratch/patched.v" & p2=$!
wait $p1; wait $p2
mapfile -t base_v < "$scratch/base.v"
mapfile -t patched_v < "$scratch/patched.v"
rel() { case "$1" in "$top"/*) echo "${1#"$top"/}" ;; *) echo "$1" ;; esac; }

# A return code that differs between base and base+patches is a uAPI change: a finding of its own
# ("changed behaviour"), unless INTENDED_CHANGES names its operation or either errno. The base is
# the specification here, never the patched code (which the oracle reads some errnos from).
behaviour=() behaviour_intended=()
behaviour_change() { # file "op N KIND: B | P; ..." -> behaviour or behaviour_intended
	local file=$1 part kind b p IFS=';'
	for part in $2; do
		part=${part# }
		kind=$(sed -E 's/^op [0-9]+ ([a-z_0-9]+):.*/\1/' <<< "$part")
		b=$(sed -E 's/^[^:]*: ([^ ]*) \| .*/\1/' <<< "$part") p=${part##*| }
		if [ -n "${intended[$kind]:-}" ] || [ -n "${intended[$b]:-}" ] || [ -n "${intended[$p]:-}" ]; then
			behaviour_intended+=("$file: $part")
		else behaviour+=("$file: $part"); fi
	done
}
changes=() change_at=() ; declare -A same_count=() base_has=() base_file=() base_count=() patched_has=()
new_keys=() ; declare -A new_file=() new_origin=() new_base_verdict=()
for i in "${!files[@]}"; do
	IFS=$'\t' read -r bv brc <<< "${base_v[$i]}"
	IFS=$'\t' read -r pv prc <<< "${patched_v[$i]}"
	f=${files[$i]}
	if [ "$bv" != clean ]; then
		base_has[$bv]=1; base_count[$bv]=$(( ${base_count[$bv]:-0} + 1 )); : "${base_file[$bv]:=$f}"
	fi
	[ "$pv" != clean ] && patched_has[$pv]=1
	# the same finding on the same scenario on both trees: inherited
	[ "$pv" != clean ] && [ "$pv" = "$bv" ] && same_count[$pv]=$(( ${same_count[$pv]:-0} + 1 ))
	if [ "$bv" != "$pv" ]; then changes+=("$(rel "$f"): verdict: $bv | $pv"); change_at+=("$i")
		if [ "$pv" != clean ] && [ -z "${new_file[$pv]:-}" ]; then
			new_keys+=("$pv"); new_file[$pv]=$f; new_origin[$pv]="corpus $(rel "$f")"; new_base_verdict[$pv]=$bv
		fi
	fi
	# a run stops at its first finding: compare the requests both runs made
	if [ "$bv" != "$pv" ]; then
		nb=$(tr ',' '\n' <<< "$brc" | grep -c .) np=$(tr ',' '\n' <<< "$prc" | grep -c .)
		[ "$nb" -lt "$np" ] && prc=$(tr ',' '\n' <<< "$prc" | head -"$nb" | paste -sd, -)
		[ "$np" -lt "$nb" ] && brc=$(tr ',' '\n' <<< "$brc" | head -"$np" | paste -sd, -)
	fi
	if [ "$brc" != "$prc" ]; then
		d=$(paste -d'\n' <(tr ',' '\n' <<< "$brc" | sed 's/^ //') <(tr ',' '\n' <<< "$prc" | sed 's/^ //') |
			paste - - | awk -F'\t' 'function op(x) { sub(/:[^:]*$/, "", x); return x }
				function rc(x) { if (x == "") return "-"; sub(/^.*:/, "", x); return x }
				$1 != $2 { printf "%sop %s: %s | %s", sep, op($1 == "" ? $2 : $1), rc($1), rc($2); sep = "; " }')
		changes+=("$(rel "$f"): return codes: $d"); change_at+=("$i")
		behaviour_change "$(rel "$f")" "$d"
	fi
done

# ---- fuzz base+patches (run-fuzz.sh: all cores, findings deduplicated and minimized) -------------
# a head start from the kept corpus: the files that are clean on base+patches (an input that
# fails makes libFuzzer's -fork restart its merge once per such file)
rm -rf "$patched_out/corpus/$TARGET" && mkdir -p "$patched_out/corpus/$TARGET"
for i in "${!files[@]}"; do
	[ "$i" -ge "$ncommitted" ] && [ "${patched_v[$i]%%$'\t'*}" = clean ] && cp "${files[$i]}" "$patched_out/corpus/$TARGET/"
done
# focus: the changed function with the most changed lines that is a function of its own in the
# target (an inlined one has no code of its own to reach)
focus=""
syms=$(nm "$patched_out/$TARGET" 2> /dev/null | awk '$2 ~ /^[tT]$/ { print $3 }' | sort -u)
while read -r fn; do
	[ -n "$fn" ] && grep -qxF "$fn" <<< "$syms" && { focus=$fn; break; }
done < <(python3 "$top/fuzzers/reach.py" --functions "$(info "$base_out" tree)" "$(info "$patched_out" tree)" \
	"$BUILD_ROOT/$(info "$patched_out" tree_key)/extracted" 2> /dev/null)
echo "check-patch: fuzzing base+patches for ${FUZZ_SECONDS}s${focus:+, focus on $focus}" >&2
FOCUS_FUNCTION=$focus KERNEL_PATCHES="$patched_patches" OUT="$patched_out" FUZZ_SECONDS=$FUZZ_SECONDS JOBS=$JOBS ENGINE=$ENGINE \
	TARGET=$TARGET "$top/fuzzers/run-fuzz.sh" > "$OUT/fuzz.summary" 2> "$OUT/fuzz.log" ||
	die "fuzzing failed: $(grep -v '^\r\|^run-fuzz:  ' "$OUT/fuzz.log" | tail -1)"
results=$(sed -n 's/^  results //p' "$OUT/fuzz.summary")
execs=$(sed -n 's/^  executions \([0-9]*\),.*/\1/p' "$OUT/fuzz.summary")
[ -d "$results" ] || die "run-fuzz.sh left no results (see $OUT/fuzz.log)"

# ---- reach: which changed lines ran (a coverage build of base+patches replays every input) ----------
echo "check-patch: measuring which changed lines ran" >&2
cov_out="$OUT/coverage" reach_n=0 reach_m=0 reach_funcs=() reach_outside=() reach_error=""
# reach_of NAME PROFRAW...: reach.py's lines for what these profiles of the coverage build ran
reach_of() {
	local name=$1; shift
	"$LLVM_PROFDATA" merge -sparse "$@" -o "$scratch/$name.profdata" 2> /dev/null &&
		"$LLVM_COV" export -format=lcov "$(finding_replayer "$cov_out" "$TARGET")" -instr-profile="$scratch/$name.profdata" \
			> "$scratch/$name.lcov" 2> /dev/null &&
		python3 "$top/fuzzers/reach.py" "$(info "$base_out" tree)" "$(info "$patched_out" tree)" \
			"$BUILD_ROOT/$(info "$cov_out" tree_key)/extracted" "$scratch/$name.lcov"
}
if SANITIZER=coverage FUZZING_ENGINE=none OUT_LAYOUT=local KERNEL_PATCHES="$patched_patches" OUT="$cov_out" \
	"$top/build.sh" > "$cov_out.build.log" 2>&1; then
	need_llvm_cov
	cov_inputs=("${files[@]}")
	for f in "$patched_out/corpus/$TARGET"/* "$results"/raw/*; do
		case "$f" in *.report|*.tmp) ;; *) [ -f "$f" ] && cov_inputs+=("$f") ;; esac
	done
	mkdir -p "$scratch/prof"
	# an input that ends the process is skipped, the rest go on
	LLVM_PROFILE_FILE="$scratch/prof/%p.profraw" KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=$law ASAN_OPTIONS=detect_leaks=0 \
		replay_each skip_input "$(finding_replayer "$cov_out" "$TARGET")" "${cov_inputs[@]}" > /dev/null
	if reach_of merged "$scratch"/prof/*.profraw > "$OUT/reach.txt"; then
		read -r _ reach_n reach_m < <(grep '^reach: ' "$OUT/reach.txt")
		while read -r _ fn file r t mx; do reach_funcs+=("$fn ($file) $r/$t, ran ${mx}x at most"); done < <(grep '^function ' "$OUT/reach.txt")
		while read -r _ file k; do reach_outside+=("$file ($k line(s))"); done < <(grep '^outside ' "$OUT/reach.txt")
	else reach_error="llvm-cov or reach.py failed"; fi
else reach_error="the coverage build of base+patches failed: $(tail -1 "$cov_out.build.log")"; fi

# ---- sort the findings: new, inherited, fixed -----------------------------------------------------
declare -A fuzz_name=() fuzz_files=()
inherited=()
while IFS= read -r k; do [ -n "$k" ] && inherited+=("$k"); done < <(printf '%s\n' "${!same_count[@]}" | sort)
judge() { # key file [original] -> new or inherited: does the base give the same key on either?
	local f
	for f in "$2" "${3:-}"; do
		[ -n "$f" ] && [ -e "$f" ] || continue
		if finding_same "$base_out" "$TARGET" "$f" "$1" "$law"; then echo inherited; return; fi
	done
	echo new
}
while IFS=$'\t' read -r name k count ops orig; do
	[ "$k" = "does not reproduce in the replayer" ] && continue
	patched_has[$k]=1
	fuzz_name[$k]=$name fuzz_files[$k]=$count
	if [ "$(judge "$k" "$results/$name" "$orig")" = inherited ]; then
		inherited+=("$k"); continue
	fi
	if [ -z "${new_file[$k]:-}" ]; then
		new_keys+=("$k"); new_origin[$k]="fuzzing, $count file(s)"
		finding_classify "$base_out" "$TARGET" "$results/$name" "$law"
		new_base_verdict[$k]=$([ "$key" = "does not reproduce in the replayer" ] && echo clean || echo "$key")
	fi
	new_file[$k]="$results/$name"
done < <(cat "$results/findings.tsv" 2>/dev/null)
# corpus findings: minimized like the fuzzer's, then judged again on the minimized input
final_new=() ; declare -A new_ops=()
mkdir -p "$OUT/findings"
rm -f "$OUT"/findings/new-*
n=0
for k in "${new_keys[@]}"; do
	f=${new_file[$k]}
	case "$f" in
		"$results"/*) cp "$f" "$scratch/min"; cp "$f.txt" "$scratch/min.txt" 2>/dev/null
			min_ops=$(finding_ops "$scratch/min.txt" 2>/dev/null) ;;
		*) finding_minimize "$patched_out" "$TARGET" "$ENGINE" "$f" "$k" "$scratch/min" "$law" ;;
	esac
	if [ "$(judge "$k" "$scratch/min" "$f")" = inherited ]; then inherited+=("$k"); continue; fi
	n=$((n + 1))
	dest="$OUT/findings/new-$n-$(finding_slug "$k")"
	cp "$scratch/min" "$dest"; cp "$scratch/min.txt" "$dest.txt" 2>/dev/null
	finding_classify "$patched_out" "$TARGET" "$dest" "$law"; printf '%s\n' "$report" > "$dest.report"
	final_new+=("$k"); new_file[$k]=$dest new_ops[$k]=${min_ops:-?}
done
# where each new finding meets the patch: the first changed line its scenario runs (coverage build)
declare -A new_first=()
if [ -z "$reach_error" ]; then
	for k in "${final_new[@]}"; do
		rm -f "$scratch"/one.*
		# the replay ends in abort(): in a subshell that outlives it (no exec: "; true"), whose stderr
		# takes the shell's "Aborted" line
		(LLVM_PROFILE_FILE="$scratch/one.profraw" KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=$law ASAN_OPTIONS=detect_leaks=0 \
			timeout 20 "$(finding_replayer "$cov_out" "$TARGET")" "${new_file[$k]}"; true) > /dev/null 2>&1
		new_first[$k]=$(reach_of one "$scratch/one.profraw" | sed -n 's/^first \([^ ]*\) \(.*\)/\1 (\2)/p')
	done
fi
# the command that replays a finding on base+patches (fuzzers/repro.sh), paths from the checkout
repro_cmd=""
[ -n "${KERNEL_SRC:-}" ] && repro_cmd="KERNEL_SRC=$(rel "$KERNEL_SRC") " || repro_cmd="KERNEL=$KERNEL "
repro_cmd+="KERNEL_PATCHES=\"$(for p in $patched_patches; do rel "$p"; done | paste -sd' ' -)\" "
[ "$law" = 0 ] && repro_cmd+="KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0 "
repro_cmd+="fuzzers/repro.sh"
declare -A listed=(); for k in "${final_new[@]}"; do listed[$k]=1; done
inh=(); for k in "${inherited[@]}"; do [ -n "${listed[$k]:-}" ] || { inh+=("$k"); listed[$k]=1; }; done
inherited=("${inh[@]}")
fixed=()
while IFS= read -r k; do [ -n "$k" ] && [ -z "${patched_has[$k]:-}" ] && fixed+=("$k"); done < <(printf '%s\n' "${!base_has[@]}" | sort)

printf '%s\n' "${changes[@]}" > "$OUT/changes.txt"
# ---- the summary ---------------------------------------------------------------------------------
names=(); for p in "${patches[@]}"; do names+=("$(basename "$p")"); done
{
echo "== check-patch"
echo "  kernel $(info "$patched_out" kernel), base: $base_desc"
echo "  patches: $(IFS=,; echo "${names[*]}" | sed 's/,/, /g')"
echo "  corpus: ${#files[@]} scenarios ($ncommitted committed, $(( ${#files[@]} - ncommitted )) kept from earlier runs) replayed on both trees, ${#changes[@]} change(s)$([ ${#changes[@]} -gt 0 ] && echo ' (base | patched):')"
shown=0 more=0
for j in "${!changes[@]}"; do	# the committed corpus in full; of the kept corpus the first 10
	if [ "${change_at[$j]}" -lt "$ncommitted" ] || [ "$shown" -lt 10 ]; then
		echo "    ${changes[$j]}"; [ "${change_at[$j]}" -ge "$ncommitted" ] && shown=$((shown + 1))
	else more=$((more + 1)); fi
done
[ "$more" -eq 0 ] || echo "    ... and $more more from the kept corpus ($(rel "$OUT/changes.txt"))"
echo "  fuzzing: $TARGET, $ENGINE, $JOBS job(s), ${FUZZ_SECONDS}s, ${execs:-0} executions, $(info "$patched_out" sanitizer)${focus:+, focus on $focus}"
echo "  new: ${#final_new[@]}"
i=0
for k in "${final_new[@]}"; do
	i=$((i + 1)); f=${new_file[$k]}
	echo "    $i. $k (from ${new_origin[$k]}; the base: ${new_base_verdict[$k]})"
	echo "       cause: $(finding_cause "$f.report")"
	[ -z "${new_first[$k]:-}" ] || echo "       first changed line it runs: ${new_first[$k]}"
	if [ -s "$f.txt" ]; then
		echo "       minimized to ${new_ops[$k]} operation(s), $(rel "$f").txt:"
		sed 's/^/\x01         /' "$f.txt"	# \x01: wrapped as a text scenario (wrap_lines)
	fi
	echo "       replay it:"
	printf '\001         %s %s\n' "$repro_cmd" "$(rel "$f").txt"
	echo "       report: $(rel "$f").report"
done
echo "  inherited (the base has them too): ${#inherited[@]}"
for k in "${inherited[@]}"; do
	w=""
	[ -n "${same_count[$k]:-}" ] && w="${same_count[$k]} corpus scenario(s) on both"
	[ -n "${fuzz_files[$k]:-}" ] && w="${w:+$w; }fuzzing, ${fuzz_files[$k]} file(s)"
	echo "    - $k${w:+ ($w)}"
done
echo "  fixed (the base has them, the patched tree does not): ${#fixed[@]}"
for k in "${fixed[@]}"; do echo "    - $k (base: ${base_count[$k]} corpus scenario(s), e.g. $(rel "${base_file[$k]}"))"; done
echo "  changed behaviour (a return code differs, base | patched): ${#behaviour[@]}"
for c in "${behaviour[@]}"; do echo "    - $c"; done
if [ ${#behaviour_intended[@]} -gt 0 ]; then
	echo "  intended (INTENDED_CHANGES=${INTENDED_CHANGES:-}): ${#behaviour_intended[@]}"
	for c in "${behaviour_intended[@]}"; do echo "    - $c"; done
fi
if [ -n "$reach_error" ]; then echo "  changed lines reached: unknown ($reach_error)"
else
	echo "  changed lines reached: $reach_n of $reach_m (the corpus and the fuzzing, on a coverage build)"
	for x in "${reach_funcs[@]}"; do echo "    - $x"; done
	[ ${#reach_outside[@]} -eq 0 ] || echo "  changed lines outside the harness (not extracted): $(IFS=,; echo "${reach_outside[*]}" | sed 's/,/, /g')"
fi
r=()
[ ${#final_new[@]} -eq 0 ] || r+=("${#final_new[@]} new finding(s)")
[ ${#behaviour[@]} -eq 0 ] || r+=("${#behaviour[@]} behaviour change(s)")
if [ ${#r[@]} -gt 0 ]; then echo "  result: $(IFS=,; echo "${r[*]}" | sed 's/,/, /g')"
elif [ -z "$reach_error" ] && [ "$reach_n" -eq 0 ] && { [ "$reach_m" -gt 0 ] || [ ${#reach_outside[@]} -gt 0 ]; }; then
	echo "  result: not exercised (no changed line ran: nothing new says nothing)"
else echo "  result: nothing new"; fi
} | wrap_lines 79 | tee "$OUT/summary.txt"	# plain text under 80 columns, to paste into a reply
exit $(( ${#final_new[@]} + ${#behaviour[@]} > 0 ? 1 : 0 ))
}; exit
