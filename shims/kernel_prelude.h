/* STUB: what kvm_extracted.h is compiled against: the kernel API plus the real list/tree headers. */
// SPDX-License-Identifier: GPL-2.0
#ifndef KVM_HVA_FUZZ_KERNEL_PRELUDE_H
#define KVM_HVA_FUZZ_KERNEL_PRELUDE_H
#include "kernel_api.h"
#include <linux/list.h>
#include <linux/rculist.h>
#include <linux/log2.h>
#include <linux/hashtable.h>
#include <linux/rbtree.h>
#include <linux/interval_tree.h>
#include "kvm_features.h"
#endif
