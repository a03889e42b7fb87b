/* MODEL: the arm64 profile's arch answers: the kernel's generic defaults, one address space, no private memory. */
// SPDX-License-Identifier: GPL-2.0
/*
 * What arch/arm64/include/asm/kvm_host.h says about memslots: KVM_HAVE_MMU_RWLOCK
 * and read-only memslots (__KVM_HAVE_READONLY_MEM before 6.12); no
 * KVM_MAX_NR_ADDRESS_SPACES, no kvm_arch_has_readonly_mem(), no
 * kvm_arch_has_private_mem(): kvm_host.h's own fallbacks answer (one address
 * space, IS_ENABLED(CONFIG_HAVE_KVM_READONLY_MEM), false) and are extracted.
 */
#ifndef KVM_HVA_FUZZ_MODEL_ARCH_H
#define KVM_HVA_FUZZ_MODEL_ARCH_H

#define MODEL_ARCH_NAME "arm64"
#define MODEL_ARCH_VM_SETTINGS 0	/* nothing per VM: the kernel's defaults */
#define KVM_HAVE_MMU_RWLOCK
#define __KVM_HAVE_READONLY_MEM		/* 6.1 */

struct kvm_arch {
	int unused;
};

#endif
