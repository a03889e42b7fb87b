# SPDX-License-Identifier: GPL-2.0
#
# Sourced by run-fuzz.sh and check-patch.sh: what a finding is and how it is
# made small. Nothing here builds; every function takes a built $OUT (local
# layout: targets, replay_*, scenario-text, kernel-info.txt) and a target name.
#
#   finding_classify OUT TARGET FILE [LAW]   -> $key $report $replay_rc
#   finding_minimize OUT TARGET ENGINE FILE KEY DEST [LAW]
#                                           -> DEST (bytes), DEST.txt, $min_ops
#   ops_without FROM COUNT < OPS             -> the operations without those lines, fds renumbered
#   finding_slug KEY                         -> a file-name form of the key
#   finding_ops TEXTFILE                     -> number of operations in a text scenario
#
# A key is what makes two findings the same: an oracle report's property
# ("oracle: gmem-only untouched"), or a sanitizer report's error kind and first
# function in the kernel tree, as syzbot titles it (#line puts kernel paths into
# the frames; without any, the first of ours). LAW is the first law on (1) or off (0);
# by default what TARGET has. MINIMIZE_SECONDS bounds the engine's pass
# (default 10 s per finding), MINIMIZE_RUNS its runs (libFuzzer, default 100000).
findings_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

finding_law() { # TARGET [LAW]
	if [ -n "${2:-}" ]; then echo "$2"; elif [[ "$1" == fuzz_memslot_notifier_gmem_only_untouched_off* ]]; then echo 0; else echo 1; fi
}
finding_replayer() { # OUT TARGET (an arch profile's target, NAME_arm64, replays with the profile's replayer)
	local base=${2%_arm64}
	base=${base%_gmem_only_untouched_off}
	echo "$1/${base/fuzz_/replay_}"
}

finding_classify() { # OUT TARGET FILE [LAW]
	local out=$1 target=$2 f=$3 law tree replay
	law=$(finding_law "$target" "${4:-}")
	replay=$(finding_replayer "$out" "$target")
	tree=$(sed -n 's/^tree //p' "$out/kernel-info.txt")
	case "$f" in /*) ;; *) f="$PWD/$f" ;; esac
	# in the file's directory: whatever a runtime writes beside it stays with the finding
	report=$(cd "$(dirname "$f")" && KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=$law ASAN_OPTIONS=symbolize=1:detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1:silence_unsigned_overflow=1 timeout 20 "$replay" "$f" 2>&1); replay_rc=$?
	local first; first=$(grep -m1 '^ORACLE VIOLATION: ' <<< "$report")
	if [ -n "$first" ]; then
		first=${first#ORACLE VIOLATION: }; key="oracle: $(finding_key <<< "ORACLE VIOLATION: $first")"; return
	fi
	if [ $replay_rc -eq 124 ]; then key="timeout (replay over 20 s)"; return; fi
	if [ $replay_rc -eq 0 ]; then key="does not reproduce in the replayer"; return; fi
	local kind frames
	kind=$(grep -m1 -oE '(Address|Leak|Memory|UndefinedBehavior)Sanitizer: [A-Za-z_-]+|runtime error: [^:0-9]+' <<< "$report" | sed 's/ *$//')
	# one bug, one finding: its kind and the first kernel function, as syzbot titles a report
	frames=$(grep -E '^ *#[0-9]+ 0x[0-9a-f]+ in ' <<< "$report" | grep -F " $tree/" | awk '{print $4}' | head -1)
	[ -n "$frames" ] || frames=$(grep -E '^ *#[0-9]+ 0x[0-9a-f]+ in ' <<< "$report" | grep -F " $findings_top/" | awk '{print $4}' | head -1)
	key="${kind:-exit $replay_rc without a sanitizer report}${frames:+ in $frames}"
}

# One line: what the oracle or the sanitizer saw (the property itself is the key's), and for a
# sanitizer the first frame in kernel code (its path from the tree's top).
finding_cause() { # REPORT-FILE
	local l at
	l=$(grep -m1 '^ORACLE VIOLATION: ' "$1") && { l=${l#ORACLE VIOLATION: }; echo "${l#*: }"; return; }
	l=$(grep -m1 -oE '(ERROR: [A-Za-z]+Sanitizer: |runtime error: ).*' "$1" | sed -E 's/^ERROR: //; s/ at pc 0x[0-9a-f]+ .*//; s/ +$//')
	at=$(grep -E '^ *#[0-9]+ 0x[0-9a-f]+ in ' "$1" | grep -m1 -E ' [^ ]*/(virt|arch|mm|lib|include)/' |
		awk '{ print $5 " (" $4 ")" }' | sed -E 's|^[^ ]*/((virt\|arch\|mm\|lib\|include)/)|\1|; s/:[0-9]+ \(/ (/')
	echo "${l:-no report}${at:+ at $at}"
}

finding_slug() { echo "$1" | tr 'A-Z' 'a-z' | sed 's/^oracle: //; s/[^a-z0-9]\{1,\}/-/g; s/^-//; s/-$//' | cut -c1-60; }

finding_ops() { grep -cvE '^[[:space:]]*(#|$)|^[[:space:]]*vm ' "$1"; }

# Does FILE still give KEY? (the same property, or the same sanitizer kind and frames)
finding_same() { # OUT TARGET FILE KEY LAW
	local key report replay_rc
	finding_classify "$1" "$2" "$3" "$5"
	[ "$key" = "$4" ]
}

# The operations without lines FROM..FROM+COUNT-1 (0-based), on stdin one per line. A
# guest_memfd is named by its fd, the lowest free one when it was made (model_gmem.c, as
# the VFS does), so dropping a gmem_create renumbers the files made after it: the kept
# lines' guest_memfd= follow their file (assuming each create succeeds; the replay judges).
ops_without() { # FROM COUNT < OPS
	awk -v from="$1" -v count="$2" '
	function lowest(t,   fd) { for (fd = 0; fd in t; fd++) ; return fd }
	{
		drop = NR - 1 >= from && NR - 1 < from + count
		ref = match($0, /(^| )guest_memfd=[0-9]+/) ? substr($0, RSTART, RLENGTH) : ""
		sub(/^ /, "", ref); k = ref == "" ? -1 : substr(ref, 13) + 0
		if (!drop && k >= 0 && (k in map) && map[k] >= 0)
			sub(/(^| )guest_memfd=[0-9]+/, (substr($0, RSTART, 1) == " " ? " " : "") "guest_memfd=" map[k])
		if ($1 == "gmem_create") {
			o = lowest(old); old[o] = 1
			if (drop) map[o] = -1
			else { n = lowest(new); new[n] = 1; map[o] = n }
		} else if ($1 == "gmem_close" && k >= 0) {
			if ((k in map) && map[k] >= 0 && !drop) delete new[map[k]]
			delete old[k]; delete map[k]
		}
		if (!drop) print
	}'
}

finding_minimize() { # OUT TARGET ENGINE FILE KEY DEST [LAW]
	local out=$1 target=$2 engine=$3 f=$4 want=$5 dest=$6 law
	law=$(finding_law "$target" "${7:-}")
	local conv="$out/scenario-text" tmp secs=${MINIMIZE_SECONDS:-10}
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/minimize.XXXXXX")
	cp "$f" "$dest"
	# 1. the engine's own minimizer, bounded; kept only if the key survived
	#    (both may settle on any crash, and every oracle report aborts alike)
	if [ "$engine" = afl ] && command -v afl-tmin > /dev/null 2>&1; then
		(cd "$tmp" && KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=$law AFL_SKIP_CPUFREQ=1 AFL_QUIET=1 \
			ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0 \
			UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:silence_unsigned_overflow=1 \
			timeout "$secs" afl-tmin -i "$dest" -o "$tmp/engine-min" -- "$out/$target" > "$tmp/log" 2>&1)
	elif [ "$engine" = libfuzzer ]; then
		(cd "$tmp" && KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=$law ASAN_OPTIONS=detect_leaks=1 \
			UBSAN_OPTIONS=silence_unsigned_overflow=1 \
			timeout $((secs + 10)) "$out/$target" -minimize_crash=1 -max_total_time="$secs" -runs="${MINIMIZE_RUNS:-100000}" \
			-exact_artifact_path="$tmp/engine-min" "$dest" > "$tmp/log" 2>&1)
	fi
	if [ -s "$tmp/engine-min" ] && [ "$(stat -c %s "$tmp/engine-min")" -lt "$(stat -c %s "$dest")" ] &&
		finding_same "$out" "$target" "$tmp/engine-min" "$want" "$law"; then
		cp "$tmp/engine-min" "$dest"
	fi
	# 2. whole operations: drop chunks of lines of the text form (halves, quarters, ...,
	#    single lines) while the same key still comes out
	min_ops=""
	if [ -x "$conv" ] && [[ "$target" == fuzz_memslot_notifier* ]] &&
		"$conv" to-text "$dest" > "$tmp/cur.txt" 2> /dev/null; then
		local -a ops=() keep
		local header n chunk i j changed
		header=$(grep -m1 '^vm ' "$tmp/cur.txt")
		mapfile -t ops < <(grep -vE '^[[:space:]]*(#|$)|^vm ' "$tmp/cur.txt")
		n=${#ops[@]} chunk=$(( (${#ops[@]} + 1) / 2 ))
		while [ "$chunk" -ge 1 ] && [ "${#ops[@]}" -gt 1 ]; do
			changed=0 i=0
			while [ "$i" -lt "${#ops[@]}" ] && [ "${#ops[@]}" -gt 1 ]; do
				mapfile -t keep < <(printf '%s\n' "${ops[@]}" | ops_without "$i" "$chunk")
				printf '%s\n' "$header" "${keep[@]}" > "$tmp/try.txt"
				if [ ${#keep[@]} -gt 0 ] && "$conv" to-bytes "$tmp/try.txt" > "$tmp/try.bin" 2> /dev/null &&
					finding_same "$out" "$target" "$tmp/try.bin" "$want" "$law"; then
					ops=("${keep[@]}") changed=1
				else
					i=$((i + chunk))
				fi
			done
			[ "$changed" = 1 ] && continue
			chunk=$((chunk / 2))
		done
		printf '%s\n' "$header" "${ops[@]}" > "$tmp/min.txt"
		if "$conv" to-bytes "$tmp/min.txt" > "$tmp/min.bin" 2> /dev/null && finding_same "$out" "$target" "$tmp/min.bin" "$want" "$law"; then
			cp "$tmp/min.bin" "$dest"
		fi
		"$conv" to-text "$dest" > "$dest.txt" 2> /dev/null
		min_ops=$(finding_ops "$dest.txt")
	fi
	rm -rf "$tmp"
}

# Run rather than sourced: it does nothing by itself.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	case "${1:-}" in
		-h|--help) awk 'NR > 1 && !/^#/ { exit } /SPDX/ { next } { sub(/^# ?/, ""); print }' "$0" | sed '/./,$!d'; exit 0 ;;
		*) echo "findings-lib.sh: '${1:-}': a library to source, not a command: sourced by run-fuzz.sh and check-patch.sh (--help says what it holds)" >&2; exit 2 ;;
	esac
fi
