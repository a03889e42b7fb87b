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
export FUZZ_TARGETS="${FUZZ_TARGETS:-fuzz_memslot_notifier_gmem_only_untouched_off fuzz_interval_tree}"
exec "$SRC/kvm-hva-fuzz/build.sh"
