# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The shell library: sourced by build.sh, every script under fuzzers/, tests/
# and bench/. One copy of what they all need:
#   say, die            messages prefixed with the script's name (script_name=...)
#   usage               the running script's header comment; `SCRIPT --help` / `-h` prints it, exit 0
#   need_packages       a tool missing: apt-get install it (as root) or print the line to run
#   kernel_info, kernel_summary, kernel_feature   the fields of a build's kernel-info.txt, its feature macros
#   llvm_tool, need_llvm_cov   llvm-cov and llvm-profdata matching clang
#   oracle_property, replay_verdict   what a replay said: clean, a property, or crash
#   ok, not_ok, skip, check   the test lines tests/run.sh counts ("ok - ", "not ok - ", "# skip: ")
#   suite_init          a test suite's prologue: the checkout, a scratch directory, BUILD_ROOT, the kernel pins
#   build_out, expect_verdict, fires_on_broken   a suite's builds, replay verdicts, broken kernels
#   known_findings, check_run   what a kernel really breaks (corpus/regressions), runs judged by it
#   break_kernel, tree_of   a kernel broken on purpose by a sed at test time; a resolved tree
#   scenario_text_tool  the text <-> bytes converter
#   shared_seed         a file of ../shared/seeds/ beside the checkout
#   wrap_lines          long lines broken at spaces: plain text, or ending in '\\' (shell, text scenarios)
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${script_name:=$(basename "$0" .sh)}"

say() { echo "$script_name: $*" >&2; }
die() { say "$*"; exit "${die_status:-1}"; }

# usage [FILE]: the header comment of FILE (default the running script): the lines after the shebang
# up to the first that is not a comment, without the SPDX line. Every script's header names its
# usage and the environment variables it reads.
usage() {
	awk 'NR == 1 && /^#!/ { next } !/^#/ { exit } /SPDX-License-Identifier/ { next } { sub(/^# ?/, "") } !seen && /^$/ { next } { seen = 1; print }' "${1:-$0}"
}
# A script that sources this file answers --help and -h (as its first argument) with its usage.
if [ "${BASH_SOURCE[1]:-}" -ef "$0" ]; then
	case "${1:-}" in -h|--help) usage; exit 0 ;; esac
fi

# wrap_lines WIDTH [continued] < TEXT: lines over WIDTH columns broken at spaces, the rest of the
# line indented 4 more; with "continued", each broken line ends in " \\" and the rest is indented 2
# more (a shell command and a text scenario read it back as one line); so is a line that starts with
# the byte \001 (dropped), whatever the mode. A word longer than a line is broken where the line
# ends: a continued one with "\\" and the rest from the first column (the shell joins it exactly).
wrap_lines() {
	awk -v width="$1" -v all="${2:-}" '
	{ cont = sub(/^\001/, "") || all }
	length($0) <= width { print; next }
	{	match($0, /^ */); ind = substr($0, 1, RLENGTH); more = ind (cont ? "  " : "    ")
		n = split(substr($0, RLENGTH + 1), w, " "); line = ind; sep = ""; room = width - (cont ? 2 : 0)
		for (i = 1; i <= n; i++) {
			word = w[i]
			if (sep != "" && length(line) + 1 + length(word) > room) { print line (cont ? " \\" : ""); line = more; sep = "" }
			while (length(line) + length(sep) + length(word) > room) {
				k = room - length(line) - length(sep)
				if (k < 1) { print line (cont ? " \\" : ""); line = cont ? "" : more; sep = ""; continue }
				print line sep substr(word, 1, k) (cont ? "\\" : "")
				word = substr(word, k + 1); line = cont ? "" : more; sep = ""
			}
			line = line sep word; sep = " "
		}
		print line }'
}

# The option of the first law, gmem-only untouched: KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0|1. The binaries
# read it before its older name KVM_HVA_FUZZ_GMEM_ONLY_CHECK; the scripts set the new name per run, so
# an old name exported by the user is taken over here.
if [ -z "${KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED:-}" ] && [ -n "${KVM_HVA_FUZZ_GMEM_ONLY_CHECK:-}" ]; then
	export KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=$KVM_HVA_FUZZ_GMEM_ONLY_CHECK
fi

# need_packages COMMAND:PACKAGE|/ABSOLUTE/FILE:PACKAGE...
# Installs the packages of what is missing when root (apt-get; a second try after
# apt-get update), otherwise stops with the exact command to run.
need_packages() {
	local missing=() pair cmd pkg
	for pair in "$@"; do
		cmd=${pair%%:*} pkg=${pair#*:}
		case "$cmd" in
			/*) [ -e "$cmd" ] || missing+=("$pkg") ;;
			*) command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg") ;;
		esac
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	# shellcheck disable=SC2207 # package names have no spaces
	missing=($(printf '%s\n' "${missing[@]}" | sort -u))
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		say "installing ${missing[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 ||
			{ apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2; } ||
			die "could not install ${missing[*]}"
	else
		die "missing tools; run: sudo apt-get install -y ${missing[*]}"
	fi
}

# kernel_info OUT FIELD: a field of OUT/kernel-info.txt (build.sh writes one "FIELD value" per line:
# kernel origin patches tree_key tree sanitizer engine architecture layout targets).
kernel_info() {
	[ -f "$1/kernel-info.txt" ] || return 1
	sed -n "s/^$2 //p" "$1/kernel-info.txt" | head -1
}
# llvm_tool NAME: the versioned LLVM tool matching clang (llvm-cov-14), else the plain name
llvm_tool() {
	local v; v=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
	command -v "$1-$v" || command -v "$1"
}
# need_llvm_cov: LLVM_COV and LLVM_PROFDATA, installed first if missing
need_llvm_cov() {
	local v
	if ! llvm_tool llvm-cov >/dev/null || ! llvm_tool llvm-profdata >/dev/null; then
		v=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
		need_packages "llvm-cov-${v:-14}:llvm-${v:-14}" "llvm-profdata-${v:-14}:llvm-${v:-14}"
	fi
	LLVM_COV=$(llvm_tool llvm-cov) LLVM_PROFDATA=$(llvm_tool llvm-profdata)
}
# kernel_feature OUT NAME: the value of a feature macro the extractor computed from the tree of the
# build in OUT (kvm_features.h: HAVE_*, USES_*, ERRNO_*), without its parentheses: "1", "-EEXIST"
kernel_feature() {
	local key gen
	key=$(kernel_info "$1" tree_key) || return 1
	gen=${BUILD_ROOT:-$top/build}/$key/extracted
	case $(kernel_info "$1" profile) in arm64*) gen+=-arm64 ;; esac
	sed -n "s/^#define $2 (\{0,1\}\([^)]*\))\{0,1\}$/\1/p" "$gen/kvm_features.h" 2>/dev/null | head -1
}
# kernel_summary OUT: "kernel 7.3.4 (linux-source-7.3 7.3.4-1), patches: none"
kernel_summary() {
	echo "kernel $(kernel_info "$1" kernel) ($(kernel_info "$1" origin)), patches: $(kernel_info "$1" patches)"
}

# oracle_property < REPORT: the property of the first "ORACLE VIOLATION: <property>: <detail>" line.
oracle_property() {
	sed -n 's/^ORACLE VIOLATION: \([^:]*\):.*/\1/p' | head -1
}
# finding_key < REPORT: what makes two oracle findings one: the property, and for a kernel warning
# the function that WARNed, as syzbot titles it ("kernel warning in __kvm_gpc_refresh")
finding_key() {
	sed -n 's/^ORACLE VIOLATION: kernel warning: WARN in \([A-Za-z0-9_]*\) .*/kernel warning in \1/p
		s/^ORACLE VIOLATION: \([^:]*\):.*/\1/p' | head -1
}
# replay_verdict [VAR=VALUE...] REPLAYER FILE...: "clean", the violated property, or "crash"
# (a replayer stops at the first finding; files after it are not run).
replay_verdict() {
	local envs=() got
	while [[ "${1:-}" == *=* ]]; do envs+=("$1"); shift; done
	if got=$(env "${envs[@]}" "$@" 2>&1); then echo clean; return; fi
	got=$(oracle_property <<< "$got")
	echo "${got:-crash}"
}

# Test lines. pass and fail count them; not_ok shows up to 20 lines of detail as "#   " comments.
ok() { echo "ok - $1"; pass=$((${pass:-0} + 1)); }
not_ok() {
	echo "not ok - $1"
	[ -z "${2:-}" ] || printf '%s\n' "$2" | head -20 | sed 's/^/#   /'
	fail=$((${fail:-0} + 1))
}
skip() { echo "# skip: $*"; }	# a group of checks that cannot run here, and why; counts nothing
# check NAME COMMAND...: ok if the command succeeds, else not_ok with the end of its output
# (run in this shell, so a command may set variables)
check() {
	local name=$1 log; shift
	log=$(mktemp)
	if "$@" > "$log" 2>&1; then ok "$name"
	else not_ok "$name" "$(grep -av '^INFO\|^#[0-9]\|NEW_FUNC' "$log" | tail -15)"; fi
	rm -f "$log"
}

# suite_init: cd to the checkout, $work a scratch directory removed at exit, the shared BUILD_ROOT.
suite_init() {
	cd "$top" || exit 1
	work=$(mktemp -d "${TEST_WORK:-${TMPDIR:-/tmp}}/suite.XXXXXX") || exit 1
	# shellcheck disable=SC2064 # $work is fixed now
	trap "rm -rf '$work'" EXIT
	export BUILD_ROOT="${BUILD_ROOT:-$top/build}"
	# The suite's kernels are exact versions (a newer point release is kernel-matrix.sh's to try):
	# what a test expects of "6.12" is what 6.12.118 does. Set it empty to test the newest instead.
	export KVM_HVA_FUZZ_KERNEL_PINS="${KVM_HVA_FUZZ_KERNEL_PINS-$suite_kernels}"
	pass=0 fail=0
}
# The kernels the suite tests, one exact package version per key (tests/run.sh, every suite).
suite_kernels="6.1=6.1.192-3 6.12=6.12.118-1~deb12u1 7.2=7.2.13-1 7.3=7.3.4-1~bpo13+1 latest=7.3.4-1~bpo13+1"

# break_kernel NAME TREE FILE SED-EXPRESSION: a patch (path on stdout) that breaks FILE of TREE on
# purpose, made at test time; fails if the expression changes nothing (the kernel moved on).
break_kernel() {
	local name=$1 tree=$2 file=$3 expr=$4 d="$work/break-$1"
	mkdir -p "$d/a/$(dirname "$file")" "$d/b/$(dirname "$file")"
	cp "$tree/$file" "$d/a/$file"
	sed "$expr" "$tree/$file" > "$d/b/$file"
	if cmp -s "$d/a/$file" "$d/b/$file"; then echo "break_kernel $name: the sed changed nothing in $file" >&2; return 1; fi
	(cd "$d" && diff -u "a/$file" "b/$file" > "$d/$name.patch")
	echo "$d/$name.patch"
}
# tree_of [VAR=VALUE...]: the tree prepare-tree.sh resolves (KERNEL=, KERNEL_PATCHES=), or nothing
tree_of() {
	env "$@" BUILD_ROOT="${BUILD_ROOT:-$top/build}" "$top/extracted/prepare-tree.sh" 2>/dev/null | sed -n "s/^TREE='\(.*\)'$/\1/p"
}

# scenario_text_tool [OUT]: the text <-> bytes converter of a build, else one compiled into $work
# (it needs no kernel).
scenario_text_tool() {
	if [ -n "${1:-}" ] && [ -x "$1/scenario-text" ]; then echo "$1/scenario-text"; return; fi
	local srcs
	srcs=$(make -s --no-print-directory -C "$top" print-scenario-srcs) || return 1
	[ -x "$work/scenario-text" ] || (cd "$top" && cc -std=gnu11 -O1 -iquote scenario $srcs targets/scenario_text_main.c \
		-o "$work/scenario-text") >&2 || return 1
	echo "$work/scenario-text"
}

# shared_seed NAME: ../shared/seeds/NAME beside the checkout (not committed: kernel text), if it is there.
shared_seed() {
	local f="$top/../shared/seeds/$1"
	[ -f "$f" ] && echo "$f"
}

# extract_profile_args ARCH: what extract.py needs beyond the tree, shims, roots and kconfig.txt for
# an arch profile (x86, arm64): its shims, the adapter's own definitions, its kconfig overrides
extract_profile_args() {
	echo "--arch-shims $top/shims/arch-$1 --also-defines $top/harness/kvm_adapter.c"
	[ "$1" = x86 ] || echo "--kconfig $top/extracted/kconfig-$1.txt"
}

# known_findings KEY [TARGET]: the findings (finding_key) corpus/regressions/*.txt say kernel KEY (6.1, 6.12,
# 7.2, latest, latest+rfc) really breaks ("# expect KEY: PROPERTY"), one per line; none of the
# first-law-off target is the first law, and the interval tree has none.
known_findings() {
	local key
	case "${2:-}" in fuzz_interval_tree*) return 0 ;; esac
	key=$(sed 's/[.]/\\&/g' <<< "$1")	# "+" is literal in a basic regex; "\+" would be GNU's one-or-more
	sed -n "s/^# expect $key: *//p" "$top"/corpus/regressions/*.txt | sed 's/ *$//' | grep -vx clean | sort -u |
		{ if [[ "${2:-}" == *_gmem_only_untouched_off* ]]; then grep -vx 'gmem-only untouched'; else cat; fi; }
}
# check_run KEY NAME COMMAND...: like check, but a finding KEY's kernel is known to have passes too
check_run() {
	local key=$1 name=$2 log prop; shift 2
	log=$(mktemp)
	# in the suite's scratch folder: an engine drops crash-* files where it runs (paths are absolute)
	if (cd "${work:-/tmp}" && "$@") > "$log" 2>&1; then ok "$name"
	elif prop=$(finding_key < "$log") && [ -n "$prop" ] && known_findings "$key" "$(basename "$1")" | grep -xF "$prop" > /dev/null; then
		ok "$name (the kernel's known finding: $prop)"
	else not_ok "$name" "$(grep -av '^INFO\|^#[0-9]\|NEW_FUNC' "$log" | tail -15)"; fi
	rm -f "$log"
}

# build_out NAME DIR [VAR=VALUE...]: DIR if it holds a finished build (tests/run.sh passes its own),
# else a build made here into $work/out-NAME with the given settings (KERNEL=, KERNEL_PATCHES=).
build_out() {
	local name=$1 d=${2:-}; shift 2
	if [ -n "$d" ] && [ -f "$d/kernel-info.txt" ]; then echo "$d"; return 0; fi
	d="$work/out-$name"
	env "$@" OUT="$d" "$top/build.sh" > "$work/build-$name.log" 2>&1 || { tail -5 "$work/build-$name.log" >&2; return 1; }
	echo "$d"
}
# expect_verdict NAME OUT SCENARIO VERDICT [VAR=VALUE...]: the replay's verdict is VERDICT (clean or a property)
expect_verdict() {
	local name=$1 out=$2 sc=$3 want=$4 got; shift 4
	got=$(replay_verdict "$@" "$out/replay_memslot_notifier" "$sc")
	if [ "$got" = "$want" ]; then ok "$name"; else not_ok "$name" "verdict: $got, expected: $want"; fi
}
# fires_on_broken NAME PROPERTY SCENARIO FILE SED-EXPRESSION CLEAN-OUT [KERNEL]: the unbroken kernel
# (CLEAN-OUT; KERNEL, default the newest 7.x) is clean on SCENARIO, and the same kernel broken by
# the sed reports PROPERTY.
fires_on_broken() {
	local name=$1 prop=$2 sc=$3 f=$4 expr=$5 clean=$6 k=${7:-latest} tree p o
	expect_verdict "$name: the unbroken kernel is clean" "$clean" "$sc" clean
	tree=$(tree_of KERNEL="$k")
	if [ -z "$tree" ] || ! p=$(break_kernel "$name" "$tree" "$f" "$expr"); then
		not_ok "property fires: $prop ($name)" "could not make the patch"; return
	fi
	if o=$(build_out "$name" "" KERNEL="$k" KERNEL_PATCHES="$p"); then
		expect_verdict "property fires: $prop ($name)" "$o" "$sc" "$prop"
	else not_ok "property fires: $prop ($name)" "the broken kernel did not build"; fi
}
