#!/bin/bash -eu
# Copyright 2026 The kvm-hva-fuzz Authors
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
#
################################################################################
# SPDX-License-Identifier: Apache-2.0
# The build is the project's own build.sh (GPL-2.0, in its repository, cloned to
# $SRC/kvm-hva-fuzz): it takes OSS-Fuzz's CC, CFLAGS, LIB_FUZZING_ENGINE,
# SANITIZER, FUZZING_ENGINE and OUT, and the kernel from $SRC/linux.
# Environment: SRC (set by OSS-Fuzz), and what the project's build.sh reads
# (`$SRC/kvm-hva-fuzz/build.sh --help`).
case "${1:-}" in -h|--help) sed -n '/^# SPDX-License-Identifier: Apache-2.0/,/^[^#]/{/^#/!d;/SPDX/d;s/^# \{0,1\}//p}' "$0"; exit 0 ;; esac
exec "$SRC/kvm-hva-fuzz/build.sh"
