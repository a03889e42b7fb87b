# SPDX-License-Identifier: GPL-2.0
#
# OSS-Fuzz project image for kvm-hva-fuzz (projects/kvm-hva-fuzz/ in
# google/oss-fuzz, beside project.yaml and build.sh). build.sh runs in it with
# OSS-Fuzz's CC, CFLAGS, LIB_FUZZING_ENGINE, SANITIZER, FUZZING_ENGINE, OUT.
#
# The kernel: torvalds/linux at a release tag, KERNEL_REF. v7.3 is the newest
# mainline release this harness is tested against (Debian's linux-source-7.3,
# 7.3.4, is v7.3 plus stable fixes): it has guest_memfd-only memslots
# (GUEST_MEMFD_FLAG_MMAP) and no fix for the first law, so
# fuzz_memslot_notifier reports that once and fuzz_memslot_notifier_gmem_only_untouched_off
# keeps looking for everything else. A tag, not master, so that a build is
# reproducible and a new finding means new code in our harness or a deliberate
# bump of KERNEL_REF. The clone is shallow and sparse: only the files
# extraction reads (extracted/tree-files.txt), so $SRC stays small (OSS-Fuzz
# copies $SRC into coverage builds).
FROM gcr.io/oss-fuzz-base/base-builder
RUN apt-get update && apt-get install -y --no-install-recommends python3 zip
# The project's public repository (main_repo in project.yaml).
RUN git clone --depth 1 https://github.com/kvm-hva-fuzz/kvm-hva-fuzz.git kvm-hva-fuzz
ARG KERNEL_REF=v7.3
RUN git clone --depth 1 --branch "$KERNEL_REF" --filter=blob:none --sparse \
        https://github.com/torvalds/linux.git linux && \
    sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' -e 's|^|/|' \
        kvm-hva-fuzz/extracted/tree-files.txt | \
        git -C linux sparse-checkout set --no-cone --stdin && \
    test -f linux/virt/kvm/kvm_main.c
WORKDIR $SRC/kvm-hva-fuzz
# build.sh hands over to $SRC/kvm-hva-fuzz/build.sh; KERNEL_SRC defaults to $SRC/linux.
COPY build.sh $SRC/
