#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# prepare-tree.sh - find or fetch the kernel tree that extraction reads.
#
# Environment:
#   KERNEL_SRC=DIR      unpacked kernel tree or git checkout (read only)
#   KERNEL=VERSION      6.1, 6.12, 7.2, 7.3, ... (the candidate of linux-source-X.Y),
#                       an exact version: 7.2.9 (the newest Debian revision of it)
#                       or 6.1.192-2 (that package version), or latest (newest
#                       linux-source-7.*); used when KERNEL_SRC is unset; default latest
#   KVM_HVA_FUZZ_KERNEL_PINS="6.12=6.12.118-1~deb12u1 latest=7.3.4-1~bpo13+1"
#                       a series (or latest) names one exact version instead of the
#                       newest: the test suite's kernels, so that a new point release
#                       on the mirror cannot change what the suite expects by itself
#
# prepare-tree.sh --list prints "PACKAGE VERSION" for every linux-source-X.Y
# version the mirror lists (all suites), oldest first, and nothing else.
#   KERNEL_PATCHES="A B" patch files applied, in order, to a scratch copy
#   BUILD_ROOT=DIR      scratch copies go to DIR/trees/ (default ./build)
#   XDG_CACHE_HOME      downloads are cached in ${XDG_CACHE_HOME:-~/.cache}/kvm-hva-fuzz/
#
# Prints exactly five single-quoted, eval-safe lines on stdout:
#   TREE=  KERNEL_VERSION=  KERNEL_ORIGIN=  PATCH_STACK=  TREE_KEY=
# Everything else goes to stderr, prefixed "prepare-tree: ".  Errors are one
# line and exit status 1.
#
# Packages come from Debian's linux-source-X.Y through the Debian mirror that
# the machine's apt configuration already names; the host is read from there at
# run time, never stored here, and the system apt state is never modified.
set -euo pipefail

# apt, tar and patch messages are parsed below; keep them in English and
# file names unquoted.
export LC_ALL=C QUOTING_STYLE=literal

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
FILES_LIST=$here/tree-files.txt
STAMP_NAME=.prepare-tree-stamp
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/kvm-hva-fuzz
APTDIR=$CACHE/apt
LISTS_MAX_AGE_MIN=1440   # refresh the package lists at most daily ...
LISTS_RETRY_MIN=5        # ... or when a package is unknown, unless just done

script_name=prepare-tree
. "$here/../scripts/lib.sh"	# say, die, need_packages
# Single-quote for eval: ' becomes '\''.
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }


# Temp dirs to remove however we exit; a finished dir has been renamed away,
# so removing its old name is a no-op.
cleanup_paths=()
cleanup() {
	local p
	for p in "${cleanup_paths[@]}"; do rm -rf -- "$p"; done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

abspath() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s\n' "$PWD/$1" ;;
	esac
}

# ---------------------------------------------------------------- tree files

PATTERNS=()
read_patterns() {
	local line
	[ -r "$FILES_LIST" ] || die "missing $FILES_LIST"
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%%#*}
		line="${line#"${line%%[![:space:]]*}"}"
		line="${line%"${line##*[![:space:]]}"}"
		if [ -n "$line" ]; then PATTERNS+=("$line"); fi
	done <"$FILES_LIST"
	[ "${#PATTERNS[@]}" -gt 0 ] || die "$FILES_LIST lists no files"
	# Comments don't count: only the globs decide what a cached tree holds.
	FILES_HASH=$(printf '%s\n' "${PATTERNS[@]}" | sha256sum | cut -c1-64)
}

# VERSION.PATCHLEVEL.SUBLEVEL from a tree's top Makefile, empty if absent.
tree_version() {
	[ -f "$1/Makefile" ] || return 0
	awk '$2 == "=" && $1 == "VERSION" && v == "" { v = $3 }
	     $2 == "=" && $1 == "PATCHLEVEL" && p == "" { p = $3 }
	     $2 == "=" && $1 == "SUBLEVEL" && s == "" { s = $3 }
	     END { if (v ~ /^[0-9]+$/ && p ~ /^[0-9]+$/ && s ~ /^[0-9]+$/)
			print v "." p "." s }' "$1/Makefile"
}

# ------------------------------------------------------------------- patches

# Paths (after -p1) of existing files a patch modifies: "--- a/X" directly
# followed by "+++ b/X", and "diff --git a/X b/Y" for renames/mode changes.
# Files the patch creates (--- /dev/null, new file mode) are left out.
# Exits 3 when the input holds no diff at all.
touched_files() {
	awk '
	function clean(p) { sub(/\t.*$/, "", p); sub(/[ ]+$/, "", p); return p }
	function strip1(p,  i) {
		if (p == "/dev/null") return ""
		i = index(p, "/"); return i ? substr(p, i + 1) : ""
	}
	function flushgit() { if (git != "" && !gitnew) print git; git = "" }
	{ sub(/\r$/, "") }
	/^diff --git / { flushgit(); found = 1; gitnew = 0
			 git = (NF == 4) ? strip1($3) : ""; havem = 0; next }
	/^new file mode / { gitnew = 1; havem = 0; next }
	/^--- / { minus = clean(substr($0, 5)); havem = 1; next }
	/^\+\+\+ / {
		if (havem) {
			found = 1; o = strip1(minus)
			if (o != "") print o; else gitnew = 1
		}
		havem = 0; next
	}
	{ havem = 0 }
	END { flushgit(); if (!found) exit 3 }' "$1" |
		awk '$0 !~ /(^|\/)\.\.(\/|$)/ && $0 !~ /^\// && !seen[$0]++'
}

# One-line reason from patch(1) output: "<file>: <what failed>".
patch_failure() {
	printf '%s\n' "$1" | awk '
	/^(checking|patching) file / { file = substr($0, 15) }
	/^\|(\+\+\+|---) / { h = substr($0, 6); sub(/\t.*$/, "", h)
			     i = index(h, "/"); hdr = i ? substr(h, i + 1) : h }
	msg == "" && /^Hunk #[0-9]+ FAILED/ { msg = $0; sub(/\.$/, "", msg); f = file }
	msg == "" && /^No file to patch/ { msg = "no such file in the tree"; f = hdr }
	msg == "" && /^Reversed \(or previously applied\) patch detected/ {
		msg = "reversed or already applied"; f = file }
	msg == "" && /^patch: \*\*\*\* / { msg = substr($0, 13); f = file }
	NF { last = $0 }
	END {
		if (msg == "") { msg = last; f = file }
		if (f != "") print f ": " msg; else print msg
	}'
}

apply_patch() { # DIR PATCHFILE
	local name out
	name=$(basename "$2")
	# --fuzz=1, not patch's default 2: with fuzz 2 a hunk whose context
	# is all wrong can still land at its stated line number with no
	# context left.  Fuzz 1 still takes a last context line cut short by
	# a truncated archive page.
	local -a cmd=(patch -p1 --batch --forward --fuzz=1 --no-backup-if-mismatch
		-d "$1" -i "$2")
	# Dry run first so a failing patch leaves no partial edits; the
	# real run then can't fail halfway.
	out=$("${cmd[@]}" --dry-run 2>&1) ||
		die "patch $name does not apply: $(patch_failure "$out")"
	out=$("${cmd[@]}" 2>&1) ||
		die "patch $name does not apply: $(patch_failure "$out")"
	# Offsets, fuzz and truncated archive pages are fine, but worth a note.
	printf '%s\n' "$out" | awk -v n="$name" \
		'/offset|fuzz|middle of line/ { print "prepare-tree:   " n ": " $0 }' >&2
	say "applied $name"
}

# --------------------------------------------------------------------- apt

# Enabled "deb" entries of the system apt config, as "URI|SUITES|COMPONENTS".
apt_entries() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
			awk '$1 == "deb" && NF >= 3 {
				c = ""; for (i = 4; i <= NF; i++) c = c " " $i
				print $2 "|" $3 "|" c }'
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
		function flush(  n, u, i) {
			if (types ~ /(^| )deb( |$)/ && tolower(enabled) != "no") {
				n = split(uris, u, " ")
				for (i = 1; i <= n; i++) print u[i] "|" suites "|" comps
			}
			types = uris = suites = comps = enabled = field = ""
		}
		{ gsub(/\t/, " ") }
		/^#/ { next }
		/^ *$/ { flush(); next }
		/^ / { if (field == "uris") uris = uris " " $0
		       else if (field == "suites") suites = suites " " $0
		       else if (field == "components") comps = comps " " $0
		       next }
		{ field = tolower($0); sub(/:.*/, "", field)
		  val = $0; sub(/^[^:]*: */, "", val)
		  if (field == "types") types = val
		  else if (field == "uris") uris = val
		  else if (field == "suites") suites = val
		  else if (field == "components") comps = val
		  else if (field == "enabled") enabled = val }
		END { flush() }' "$f"
	done
}

# MAIN_URI: a Debian main archive (prefer one ending in /debian);
# SEC_URI: the security archive (prefer /debian-security), may stay empty.
find_mirrors() {
	local uri suites comps main2='' sec2=''
	local code='(buster|bullseye|bookworm|trixie|forky|duke|sid|oldoldstable|oldstable|stable|testing|unstable)'
	MAIN_URI='' SEC_URI=''
	while IFS='|' read -r uri suites comps; do
		uri=${uri%/}
		[[ " $comps " =~ \ main\  ]] || continue
		if [[ " $suites " =~ \ $code(-security|/updates)\  ]]; then
			case $uri in
			*/debian-security) : "${SEC_URI:=$uri}" ;;
			*) : "${sec2:=$uri}" ;;
			esac
		elif [[ " $suites " =~ \ $code(-updates|-backports|-proposed-updates)?\  ]]; then
			case $uri in
			*/debian) : "${MAIN_URI:=$uri}" ;;
			*) : "${main2:=$uri}" ;;
			esac
		fi
	done < <(apt_entries)
	: "${MAIN_URI:=$main2}" "${SEC_URI:=$sec2}"
	[ -n "$MAIN_URI" ] ||
		die "no Debian mirror found in apt config (/etc/apt/sources.list, /etc/apt/sources.list.d/)"
}

APT=()
setup_apt() {
	need_packages apt-get:apt apt-cache:apt dpkg:dpkg
	[ -f "$KEYRING" ] || die "missing $KEYRING (install debian-archive-keyring)"
	find_mirrors
	mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial"
	local want k="[signed-by=$KEYRING]"
	want=$(
		echo "# Generated by prepare-tree.sh from the system apt config; private to it."
		echo "deb $k $MAIN_URI bookworm main"
		echo "deb $k $MAIN_URI bookworm-updates main"
		[ -z "$SEC_URI" ] || echo "deb $k $SEC_URI bookworm-security main"
		echo "deb $k $MAIN_URI trixie-backports main"
		echo "deb $k $MAIN_URI sid main"
	)
	if [ "$(cat "$APTDIR/sources.list" 2>/dev/null || true)" != "$want" ]; then
		printf '%s\n' "$want" >"$APTDIR/sources.list"
		rm -f "$APTDIR/lists.stamp" # other mirror: lists are stale
	fi
	[ -n "$SEC_URI" ] ||
		say "warning: no Debian security mirror in apt config; bookworm-security packages unavailable"
	APT=(-o "Dir::Etc::SourceList=$APTDIR/sources.list" -o Dir::Etc::SourceParts=-
	     -o "Dir::State::Lists=$APTDIR/lists" -o "Dir::Cache=$APTDIR/cache"
	     -o APT::Get::List-Cleanup=0
	     # Keep apt's binary cache (images often disable it): lookups
	     # on cached runs then take milliseconds, not a second each.
	     -o Dir::Cache::pkgcache=pkgcache.bin -o Dir::Cache::srcpkgcache=)
	# Root apt drops to _apt for downloads, which can't write to our cache.
	[ "$(id -u)" != 0 ] || APT+=(-o APT::Sandbox::User=root)
}

stamp_younger_than() { # MINUTES
	[ -f "$APTDIR/lists.stamp" ] &&
		[ -n "$(find "$APTDIR/lists.stamp" -mmin "-$1" 2>/dev/null)" ]
}

# The stamp marks the last attempt, so an offline machine doesn't wait on
# the mirror at every run; a failed attempt is retried after an hour.
UPDATE_FAILED=''
refresh_lists() {
	say "refreshing package lists from $MAIN_URI${SEC_URI:+ and $SEC_URI}"
	touch "$APTDIR/lists.stamp"
	# Error-Mode=any: without it a failed fetch is only a warning.
	if ! apt-get "${APT[@]}" -o APT::Update::Error-Mode=any -q update \
		>"$APTDIR/update.log" 2>&1; then
		UPDATE_FAILED=" (apt-get update failed, see $APTDIR/update.log)"
		# Try again in an hour rather than tomorrow.
		touch -d "-$((LISTS_MAX_AGE_MIN - 60)) minutes" "$APTDIR/lists.stamp" || true
		say "warning: apt-get update failed; using the lists there are (see $APTDIR/update.log)"
	fi
}

candidate() { # PACKAGE -> candidate version, empty if unknown
	apt-cache "${APT[@]}" policy "$1" 2>/dev/null |
		awk '$1 == "Candidate:" && $2 != "(none)" { print $2; exit }'
}

latest7() { # -> "PACKAGE VERSION" of the highest linux-source-7.*, or nothing
	local name ver best='' bestver=''
	while read -r name _; do
		ver=$(candidate "$name") || ver=''
		[ -n "$ver" ] || continue
		if [ -z "$best" ] || dpkg --compare-versions "$ver" gt "$bestver"; then
			best=$name bestver=$ver
		fi
	done < <(apt-cache "${APT[@]}" search --names-only '^linux-source-7\.[0-9]+$' 2>/dev/null || true)
	[ -z "$best" ] || echo "$best $bestver"
}

versions() { # PACKAGE -> every version the lists have, one a line
	apt-cache "${APT[@]}" madison "$1" 2>/dev/null |
		awk -F'|' '{ gsub(/ /, "", $2); if ($2 != "" && !seen[$2]++) print $2 }'
}

# The version of PACKAGE that KERNEL names exactly: the same Debian version, or
# (without a Debian revision) the newest revision of that upstream version.
exact_version() { # PACKAGE
	local v best=''
	while read -r v; do
		case $KERNEL in
		*-*) [ "$v" = "$KERNEL" ] || continue ;;
		*) [ "${v%%-*}" = "$KERNEL" ] || continue ;;
		esac
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then best=$v; fi
	done < <(versions "$1")
	[ -z "$best" ] || echo "$best"
}

list_all() { # "PACKAGE VERSION" for every linux-source-X.Y version, oldest first
	local name v
	while read -r name _; do
		while read -r v; do echo "$name $v"; done < <(versions "$name")
	done < <(apt-cache "${APT[@]}" search --names-only '^linux-source-[0-9]+\.[0-9]+$' 2>/dev/null || true) |
		sort -V -k2,2
}

# Sets PKG and PKG_VERSION for $KERNEL.
resolve_package() {
	local r='' refreshed=0 series
	stamp_younger_than "$LISTS_MAX_AGE_MIN" || { refresh_lists; refreshed=1; }
	for _ in 1 2; do
		if [ "$KERNEL" = latest ]; then
			r=$(latest7)
			PKG=${r%% *} PKG_VERSION=${r#* }
		elif [[ $KERNEL =~ ^([0-9]+\.[0-9]+)\. ]]; then
			PKG=linux-source-${BASH_REMATCH[1]}
			PKG_VERSION=$(exact_version "$PKG")
			r=$PKG_VERSION
		else
			PKG=linux-source-$KERNEL
			PKG_VERSION=$(candidate "$PKG") || PKG_VERSION=''
			r=$PKG_VERSION
		fi
		[ -z "$r" ] || return 0
		# Maybe it's new on the mirror.
		if [ "$refreshed" = 1 ] || stamp_younger_than "$LISTS_RETRY_MIN"; then
			break
		fi
		refresh_lists
		refreshed=1
	done
	if [ "$KERNEL" = latest ]; then
		die "no package linux-source-7.* on the configured Debian mirror$UPDATE_FAILED"
	fi
	if [[ $KERNEL =~ ^([0-9]+\.[0-9]+)\. ]]; then
		series=$(versions "$PKG" | tr '\n' ' ')
		[ -z "$series" ] ||
			die "no version $KERNEL of $PKG on the configured Debian mirror (it has ${series% })$UPDATE_FAILED"
		die "no package $PKG (for $KERNEL) on the configured Debian mirror$UPDATE_FAILED"
	fi
	die "no package linux-source-$KERNEL on the configured Debian mirror$UPDATE_FAILED"
}

# Download PKG=PKG_VERSION into a temp dir under the cache; sets DEB.
download_deb() {
	local dl size
	need_packages apt-get:apt dpkg-deb:dpkg tar:tar xz:xz-utils
	dl=$(mktemp -d "$CACHE/.dl-XXXXXX")
	cleanup_paths+=("$dl")
	size=$(apt-cache "${APT[@]}" show "$PKG=$PKG_VERSION" 2>/dev/null |
		awk '/^Size:/ { printf " (%d MiB)", $2 / 1048576; exit }') || size=''
	say "downloading $PKG $PKG_VERSION$size"
	if ! (cd "$dl" && apt-get "${APT[@]}" -q download "$PKG=$PKG_VERSION") \
		>"$dl/log" 2>&1; then
		sed 's/^/prepare-tree:   /' "$dl/log" >&2
		die "download of $PKG $PKG_VERSION failed"
	fi
	DEB=$(find "$dl" -maxdepth 1 -name '*.deb' | head -n 1)
	[ -n "$DEB" ] || die "download of $PKG $PKG_VERSION produced no .deb"
}

# Unpack NAMES (globs, or literal paths with --literal) from the kernel
# tarball inside $DEB into DEST, relative to the tree root.  Streams
# .deb -> tarball -> files, so the 1 GiB+ tree never lands on disk.
# Names the tarball lacks are reported, not fatal.
extract_from_deb() { # [--literal] DEST NAMES...
	local mode=--wildcards
	[ "$1" != --literal ] || { mode=--no-wildcards; shift; }
	local dest=$1 xy=${PKG#linux-source-} err n
	shift
	local -a names=()
	for n; do names+=("linux-source-$xy/$n"); done
	err=$(mktemp "$CACHE/.tar-err-XXXXXX")
	cleanup_paths+=("$err")
	local -a st
	set +e
	dpkg-deb --fsys-tarfile "$DEB" 2>>"$err" |
		tar -xOf - --wildcards "*usr/src/linux-source-$xy.tar.xz" 2>>"$err" |
		tar -xJf - -C "$dest" --strip-components=1 --no-same-owner \
			$mode -- "${names[@]}" 2>>"$err"
	st=("${PIPESTATUS[@]}")
	set -e
	# The last tar decides; the earlier stages may only have been cut off
	# (SIGPIPE) once it had read all it needed.
	local bad
	bad=$(grep -v -e ': Not found in archive$' \
		-e '^tar: Exiting with failure status due to previous errors$' "$err" || true)
	if [ "${st[2]}" -gt 2 ] || [ -n "$bad" ] ||
		{ [ "${st[0]}" != 0 ] && [ "${st[0]}" != 141 ]; } ||
		{ [ "${st[1]}" != 0 ] && [ "${st[1]}" != 141 ]; }; then
		sed 's/^/prepare-tree:   /' "$err" >&2
		die "unpacking $PKG $PKG_VERSION failed"
	fi
	sed -n "s|^tar: linux-source-$xy/\\(.*\\): Not found in archive\$|note: \\1 not in $PKG $PKG_VERSION|p" \
		"$err" | sed 's/^/prepare-tree: /' >&2
}

# Sets SRC_TREE to the cached subset of PKG=PKG_VERSION, fetching it once.
ensure_cached_tree() {
	local dest=$CACHE/trees/$PKG_VERSION want tmp old
	want=$(printf 'package=%s\nversion=%s\nfiles=%s\n' "$PKG" "$PKG_VERSION" "$FILES_HASH")
	SRC_TREE=$dest
	if [ "$(cat "$dest/$STAMP_NAME" 2>/dev/null || true)" = "$want" ]; then
		say "using $PKG $PKG_VERSION (cached in $dest)"
		return
	fi
	mkdir -p "$CACHE/trees"
	download_deb
	tmp=$(mktemp -d "$CACHE/trees/.tmp-XXXXXX")
	cleanup_paths+=("$tmp")
	say "unpacking $PKG $PKG_VERSION (tree-files.txt subset)"
	extract_from_deb "$tmp" "${PATTERNS[@]}"
	if [ ! -f "$tmp/virt/kvm/kvm_main.c" ] || [ -z "$(tree_version "$tmp")" ]; then
		die "$PKG $PKG_VERSION: no kernel tree in the package"
	fi
	rm -f -- "$DEB"
	printf '%s\n' "$want" >"$tmp/$STAMP_NAME"
	chmod 755 "$tmp"
	# Swap in only a complete tree; a stale one (other file list) goes.
	if [ -e "$dest" ]; then
		old=$CACHE/trees/.old-$$-$RANDOM
		mv -T -- "$dest" "$old"
		cleanup_paths+=("$old")
	fi
	mv -T -- "$tmp" "$dest"
	say "using $PKG $PKG_VERSION (fetched into $dest)"
}

# ------------------------------------------------------------------ scratch

# Base files of a full source tree: the top-level matches of the globs.
tree_matches() { # SRC
	local p
	(
		cd "$1"
		for p in "${PATTERNS[@]}"; do
			compgen -G "$p" || say "note: $p not in $1"
		done
	)
}

# Copy the base files plus the files the patches touch from SRC_TREE into
# BUILD_ROOT/trees/TREE_KEY, apply the patches, and set TREE to it.
build_patched() {
	local dest=$BUILD_ROOT/trees/$TREE_KEY want tmp old p f src_fp='' n
	local -a base=() touched=() missing=()

	for p in "${PATCH_FILES[@]}"; do
		mapfile -t -O "${#touched[@]}" touched < <(touched_files "$p")
	done
	if [ -n "${KERNEL_SRC:-}" ]; then
		mapfile -t base < <(tree_matches "$SRC_TREE")
		# The key names the directory, not its contents: fingerprint
		# what gets copied so edits in KERNEL_SRC rebuild the copy.
		src_fp=$(cd "$SRC_TREE" &&
			find "${base[@]}" "${touched[@]}" -printf '%p %s %T@\n' 2>/dev/null |
			sort | sha256sum | cut -c1-64) || true
	fi
	want=$(printf 'key=%s\norigin=%s\nfiles=%s\nsource=%s\n' \
		"$TREE_KEY" "$KERNEL_ORIGIN" "$FILES_HASH" "$src_fp")
	TREE=$dest
	if [ "$(cat "$dest/$STAMP_NAME" 2>/dev/null || true)" = "$want" ]; then
		say "using patched tree $dest (cached)"
		return
	fi

	mkdir -p "$BUILD_ROOT/trees"
	# Leftovers of runs killed hard (trap never ran).
	find "$BUILD_ROOT/trees" -maxdepth 1 -name '.*-*' -mmin +1440 \
		-exec rm -rf -- {} + 2>/dev/null || true
	tmp=$(mktemp -d "$BUILD_ROOT/trees/.tmp-$TREE_KEY-XXXXXX")
	cleanup_paths+=("$tmp")
	if [ -n "${KERNEL_SRC:-}" ]; then
		[ "${#base[@]}" = 0 ] ||
			(cd "$SRC_TREE" && cp -a --parents -- "${base[@]}" "$tmp/")
	else
		cp -a -- "$SRC_TREE/." "$tmp/"
	fi
	for f in "${touched[@]}"; do
		[ ! -e "$tmp/$f" ] || continue
		if [ -n "${KERNEL_SRC:-}" ]; then
			[ ! -e "$SRC_TREE/$f" ] ||
				(cd "$SRC_TREE" && cp -a --parents -- "$f" "$tmp/")
		else
			missing+=("$f")
		fi
	done
	if [ "${#missing[@]}" -gt 0 ]; then
		# Outside the cached subset: get them from the package again.
		n=${#missing[@]}
		say "patches touch $n file(s) outside the cached subset; fetching them"
		download_deb
		extract_from_deb --literal "$tmp" "${missing[@]}"
		rm -f -- "$DEB"
	fi

	for p in "${PATCH_FILES[@]}"; do
		apply_patch "$tmp" "$p"
	done
	printf '%s\n' "$want" >"$tmp/$STAMP_NAME"
	chmod 755 "$tmp"
	if [ -e "$dest" ]; then
		old=$BUILD_ROOT/trees/.old-$$-$RANDOM
		mv -T -- "$dest" "$old"
		cleanup_paths+=("$old")
	fi
	mv -T -- "$tmp" "$dest"
	say "patched tree in $dest"
}

# --------------------------------------------------------------------- main

if [ "${1:-}" = --list ]; then
	setup_apt
	mkdir -p "$CACHE"
	stamp_younger_than "$LISTS_MAX_AGE_MIN" || refresh_lists
	list_all
	exit 0
fi
[ $# = 0 ] || die "unknown argument '$1' (settings are environment variables; --list lists versions)"
need_packages sha256sum:coreutils awk:mawk sed:sed find:findutils
read_patterns
BUILD_ROOT=$(abspath "${BUILD_ROOT:-build}")

# Check the patches before any download.
PATCH_FILES=()
PATCH_NAMES=()
read -r -a _patches <<<"${KERNEL_PATCHES:-}"
for p in "${_patches[@]}"; do
	[ -f "$p" ] || die "patch $(basename "$p"): no such file"
	rc=0
	touched_files "$p" >/dev/null || rc=$?
	[ "$rc" != 3 ] || die "patch $(basename "$p"): no diff found"
	PATCH_FILES+=("$(abspath "$p")")
	PATCH_NAMES+=("$(basename "$p")")
done
[ "${#PATCH_FILES[@]}" = 0 ] || need_packages patch:patch

if [ -n "${KERNEL_SRC:-}" ]; then
	[ -f "$KERNEL_SRC/virt/kvm/kvm_main.c" ] ||
		die "KERNEL_SRC=$KERNEL_SRC: not a kernel tree (no virt/kvm/kvm_main.c)"
	SRC_TREE=$(cd "$KERNEL_SRC" && pwd -P)
	KERNEL_VERSION=$(tree_version "$SRC_TREE")
	[ -n "$KERNEL_VERSION" ] ||
		die "KERNEL_SRC=$KERNEL_SRC: not a kernel tree (no VERSION/PATCHLEVEL/SUBLEVEL in Makefile)"
	KERNEL_ORIGIN="tree $SRC_TREE"
	say "using kernel tree $SRC_TREE ($KERNEL_VERSION)"
else
	KERNEL=${KERNEL:-latest}
	for pin in ${KVM_HVA_FUZZ_KERNEL_PINS:-}; do
		[ "${pin%%=*}" = "$KERNEL" ] && { KERNEL=${pin#*=}; break; }
	done
	[[ "$KERNEL" =~ ^([0-9]+\.[0-9]+(\.[0-9]+(-[0-9A-Za-z.+~]+)?)?|latest)$ ]] ||
		die "unknown KERNEL value '$KERNEL' (want VERSION like 7.3, 7.2.9 or 6.1.192-2, or latest)"
	setup_apt
	mkdir -p "$CACHE"
	# One fetch at a time per cache (parallel makes, apt's list lock).
	if command -v flock >/dev/null 2>&1; then
		exec 9>"$CACHE/.lock"
		flock 9
	fi
	# Leftovers of runs killed hard (trap never ran).
	find "$CACHE" "$CACHE/trees" -maxdepth 1 -name '.*-*' -mmin +1440 \
		-exec rm -rf -- {} + 2>/dev/null || true
	resolve_package
	ensure_cached_tree
	KERNEL_VERSION=$(tree_version "$SRC_TREE")
	KERNEL_ORIGIN="$PKG $PKG_VERSION"
fi

# Key = origin + patch contents, so a changed patch gets its own copy.
TREE_KEY=$(
	printf 'origin %s\n' "$KERNEL_ORIGIN"
	for p in "${PATCH_FILES[@]}"; do
		printf 'patch %s\n' "$(sha256sum <"$p" | cut -c1-64)"
	done
)
TREE_KEY=$KERNEL_VERSION-$(printf '%s\n' "$TREE_KEY" | sha256sum | cut -c1-12)

if [ "${#PATCH_FILES[@]}" = 0 ]; then
	TREE=$SRC_TREE
	PATCH_STACK=none
else
	PATCH_STACK="${PATCH_NAMES[*]}"
	build_patched
fi

printf 'TREE=%s\n' "$(q "$TREE")"
printf 'KERNEL_VERSION=%s\n' "$(q "$KERNEL_VERSION")"
printf 'KERNEL_ORIGIN=%s\n' "$(q "$KERNEL_ORIGIN")"
printf 'PATCH_STACK=%s\n' "$(q "$PATCH_STACK")"
printf 'TREE_KEY=%s\n' "$(q "$TREE_KEY")"
