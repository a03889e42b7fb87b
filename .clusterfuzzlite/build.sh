#!/bin/bash -eu
# SPDX-License-Identifier: GPL-2.0
#
# ClusterFuzzLite build: the project's build.sh with the environment
# ClusterFuzzLite sets (OSS-Fuzz layout: $OUT gets only the targets, their
# .options, .dict and seed corpora; the kernel is $SRC/linux).
#
# ClusterFuzzLite fuzzes unpatched upstream, which breaks the first law within
# seconds: every pull request would "find" that known bug and stop. So this
# build leaves fuzz_memslot_notifier out and fuzzes its first-law-off twin,
# which checks every other property; set FUZZ_TARGETS to change that.
#
# A fork that fuzzes a kernel carrying patches (the gmem-only RFC, a series
# under review) puts them in .clusterfuzzlite/patches/*.patch (applied in name
# order, as KERNEL_PATCHES: to a scratch copy of $SRC/linux), or points the
# Dockerfile's KERNEL_REPO/KERNEL_REF at a tree that carries them.
export FUZZ_TARGETS="${FUZZ_TARGETS:-fuzz_memslot_notifier_gmem_only_untouched_off fuzz_interval_tree}"
# the x86 profile only (OSS-Fuzz builds arm64 too): a pull request waits for one build
export KVM_ARCH="${KVM_ARCH:-x86}"
if [ -z "${KERNEL_PATCHES:-}" ]; then
	patches=("$SRC"/kvm-hva-fuzz/.clusterfuzzlite/patches/*.patch)
	if [ -e "${patches[0]}" ]; then export KERNEL_PATCHES="${patches[*]}"; fi
fi
exec "$SRC/kvm-hva-fuzz/build.sh"
