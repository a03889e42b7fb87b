#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# OSS-Fuzz's own checks on a projects/NAME/ folder as it would be submitted:
# infra/presubmit.py (check_license, check_project_yaml,
# check_lib_fuzzing_engine, check_seed_corpus, check_apt_update) and
# infra/ci/check_base_os.py. A faithful stand-in in shell, with their messages,
# runs always (no network, no PyYAML); with OSS_FUZZ_DIR=a google/oss-fuzz
# checkout (and python3-yaml), the real scripts run on a copy of the folder too.
#
#   oss-fuzz/check-submission.sh [oss-fuzz/projects/kvm-hva-fuzz]
#
# Prints what OSS-Fuzz would print for each problem, then "Success." or
# "Failed."; exit 0 or 1 (2: no such folder).
set -uo pipefail
script_name=check-submission
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"	# top, usage (--help)
case "${1:-}" in -*) echo "check-submission: unknown option '$1'" >&2; exit 2 ;; esac
[ $# -le 1 ] || { echo "check-submission: one folder at most ('$2' is extra)" >&2; exit 2; }
dir=${1:-$top/oss-fuzz/projects/kvm-hva-fuzz}
[ -d "$dir" ] || { echo "check-submission: $dir: no such folder" >&2; exit 2; }
dir=$(cd "$dir" && pwd)
name=$(basename "$dir")
failed=0
problem() { echo "$*"; failed=1; }
[ "$(basename "$(dirname "$dir")")" = projects ] ||
	problem "check-submission: $dir is not in a projects/ folder, so OSS-Fuzz's checks would skip its files"

# ---- presubmit.py check_license: the Apache-2.0 URL in Dockerfiles and source/scripts --------------
while IFS= read -r f; do
	b=$(basename "$f")
	case "$b" in Dockerfile|*.bash|*.c|*.cc|*.cpp|*.css|*.Dockerfile|*.go|*.h|*.htm|*.html|*.java|*.js|*.proto|*.py|*.rs|*.sh|*.ts) ;; *) continue ;; esac
	grep -qF 'http://www.apache.org/licenses/LICENSE-2.0' "$f" || problem "Missing license header in file $f."
done < <(find "$dir" -type f -not -path '*/third_party/*' | sort)

# ---- check_project_yaml: sections, constants (infra/constants.py), emails, language, name ----------
y="$dir/project.yaml"
[ ! -e "$dir/project.yml" ] || problem "$dir/project.yml must be named project.yaml."
if [ -f "$y" ]; then
	awk -v file="$y" -v project="$name" '
	BEGIN {
		split("architectures auto_ccs blackbox builds_per_day coverage_extra_args disabled disable_remediation disable_remediation_pre_review fuzzing_engines help_url homepage language labels main_repo primary_contact run_tests sanitizers selective_unpack vendor_ccs view_restrictions file_github_issue indexer base_os_version", v, " ")
		for (i in v) valid[v[i]] = 1
		cs["sanitizers"] = "address, none, memory, undefined, thread, coverage, introspector, hwaddress"
		cs["architectures"] = "i386, x86_64, aarch64"
		cs["fuzzing_engines"] = "libfuzzer, afl, honggfuzz, centipede, none, wycheproof"
		for (s in cs) { n = split(cs[s], a, ", "); for (i = 1; i <= n; i++) ok[s, a[i]] = 1 }
		split("c c++ go javascript jvm python rust swift ruby", a, " "); for (i in a) lang[a[i]] = 1
	}
	function err(m) { print "Error in " file ": " m; bad = 1 }
	function unq(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); if (s ~ /^".*"$/ || s ~ /^\x27.*\x27$/) s = substr(s, 2, length(s) - 2); return s }
	/^[ \t]*(#|$)/ { next }
	/^[A-Za-z_]+:/ {
		sec = $0; sub(/:.*/, "", sec); val = $0; sub(/^[^:]*:/, "", val); sub(/[ \t]+#.*/, "", val); val = unq(val)
		seen[sec] = val
		if (sec == "primary_contact" && val != "") mails[++nm] = val
		next
	}
	/^[ \t]+-[ \t]/ {
		val = $0; sub(/^[ \t]+-[ \t]+/, "", val); sub(/[ \t]+#.*/, "", val); val = unq(val)
		if (sec == "sanitizers" || sec == "architectures" || sec == "fuzzing_engines")
			if (!((sec, val) in ok)) err(val " (in " sec " section) is not a valid constant (" cs[sec] ").")
		if (sec == "auto_ccs") mails[++nm] = val
		next
	}
	END {
		if (seen["disabled"] == "true") exit bad
		if (!("main_repo" in seen)) err("main_repo section is missing.")
		for (s in seen) if (!(s in valid)) err(s " is not a valid section name")
		for (i = 1; i <= nm; i++) if (mails[i] !~ /@/ || mails[i] !~ /\./) err(mails[i] " is an invalid email address.")
		if (!("language" in seen) || seen["language"] == "") err("Missing \"language\" attribute in project.yaml.")
		else if (!(seen["language"] in lang)) err("\"language: " seen["language"] "\" is not supported.")
		if (project ~ /google|g00gle/) err("Projects can\x27t have \x27google\x27 in the name.")
		if (project !~ /^[a-z0-9_-]+$/) err("Projects must conform to regex ^[a-z0-9_-]+$")
		exit bad
	}' "$y" || failed=1
fi

# ---- check_lib_fuzzing_engine, check_seed_corpus, check_apt_update -------------------------------
if [ -f "$dir/build.sh" ]; then
	n=$(sed 's/#.*//' "$dir/build.sh" | grep -n -- '-lFuzzingEngine' | head -1 | cut -d: -f1)
	[ -z "$n" ] || problem "Error: build.sh contains deprecated \"-lFuzzingEngine\" on line: $((n - 1)). Please use \"\$LIB_FUZZING_ENGINE\" instead."
fi
for f in "$dir"/*.zip; do [ -e "$f" ] && problem "Don't commit seed corpora into the ClusterFuzz repo,they bloat it forever."; done
if [ -f "$dir/Dockerfile" ] && grep -qF -e 'RUN apt install' -e 'RUN apt-get install' "$dir/Dockerfile"; then
	problem "Please add an \"apt-get update\" before \"apt-get install\". Otherwise, a cached and outdated RUN layer may lead to install failures in file $dir/Dockerfile."
fi

# ---- infra/ci/check_base_os.py: the FROM tag matches base_os_version (default legacy -> latest) --------
os=legacy
[ -f "$y" ] && v=$(sed -n 's/^base_os_version:[[:space:]]*//p' "$y" | sed 's/[[:space:]]*#.*//; s/^["'\'']//; s/["'\'']$//') && [ -n "$v" ] && os=$v
case "$os" in
	legacy) tag=latest ;;
	ubuntu-24-04) tag=ubuntu-24-04 ;;
	*) problem "Error: base_os_version \"$os\" is not yet supported. The currently supported versions are: \"legacy, ubuntu-24-04\""; tag= ;;
esac
if [ -n "$tag" ]; then
	if [ ! -f "$dir/Dockerfile" ]; then problem "Error: Dockerfile not found at $dir/Dockerfile"
	else
		from=$(grep -m1 -E '^[[:space:]]*FROM' "$dir/Dockerfile")
		if [ -n "$from" ] && [[ "$from" != *:* ]]; then
			problem "Error: Malformed FROM line in Dockerfile (missing tag): $(sed 's/^[[:space:]]*//; s/[[:space:]]*$//' <<< "$from")"
		else
			got=$(cut -d: -f2 <<< "$from" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
			[ "$got" = "$tag" ] || problem "Error: Mismatch found in $dir. project.yaml (base_os_version): \"$os\" (expects Dockerfile tag \"$tag\"); Dockerfile FROM tag: \"$got\""
		fi
	fi
fi

# ---- the real scripts, when a google/oss-fuzz checkout is at hand ----------------------------------
if [ -n "${OSS_FUZZ_DIR:-}" ]; then
	if [ ! -f "$OSS_FUZZ_DIR/infra/presubmit.py" ] || [ ! -f "$OSS_FUZZ_DIR/infra/ci/check_base_os.py" ]; then
		problem "check-submission: OSS_FUZZ_DIR=$OSS_FUZZ_DIR has no infra/presubmit.py and infra/ci/check_base_os.py"
	elif ! python3 -c 'import yaml' 2> /dev/null; then
		problem "check-submission: the real checks need PyYAML; run: sudo apt-get install -y python3-yaml"
	else
		copy=$(mktemp -d); trap 'rm -rf "$copy"' EXIT
		mkdir -p "$copy/projects" && cp -a "$dir" "$copy/projects/$name"
		(cd "$OSS_FUZZ_DIR/infra" && python3 -c '
import sys, os, presubmit
files = [os.path.join(r, f) for r, _, fs in os.walk(sys.argv[1]) for f in fs]
sys.exit(0 if presubmit.do_checks(sorted(files)) else 1)' "$copy/projects/$name" 2>&1 | sed 's/^/presubmit.py: /') || failed=1
		python3 "$OSS_FUZZ_DIR/infra/ci/check_base_os.py" "$copy/projects/$name" 2>&1 | sed 's/^/check_base_os.py: /'
		[ "${PIPESTATUS[0]}" = 0 ] || failed=1
	fi
fi
if [ $failed = 0 ]; then echo "Success."; else echo "Failed."; fi
exit $failed
