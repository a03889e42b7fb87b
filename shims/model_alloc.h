/* MODEL: kernel allocators over libc, with failure injection for the error paths. */
// SPDX-License-Identifier: GPL-2.0
#ifndef KVM_HVA_FUZZ_MODEL_ALLOC_H
#define KVM_HVA_FUZZ_MODEL_ALLOC_H

#define GFP_KERNEL 0x1u
#define GFP_KERNEL_ACCOUNT 0x3u
#define GFP_ATOMIC 0x4u
#define GFP_NOWAIT 0x8u
#define GFP_HIGHUSER 0x10u
#define __GFP_ZERO 0x100u
#define __GFP_NOWARN 0x200u
#define __GFP_ACCOUNT 0x2u

/* Returns NULL when the scenario injected a failure at this allocation. */
void *model_zalloc(size_t size);
void model_free(const void *p);

#define kzalloc(size, gfp) model_zalloc(size)
#define kmalloc(size, gfp) model_zalloc(size)
#define kcalloc(n, size, gfp) model_zalloc((size_t)(n) * (size))
#define kvzalloc(size, gfp) model_zalloc(size)
#define kvcalloc(n, size, gfp) model_zalloc((size_t)(n) * (size))
#define __vcalloc(n, size, gfp) model_zalloc((size_t)(n) * (size))
#define vzalloc(size) model_zalloc(size)
#define kfree(p) model_free(p)
#define kvfree(p) model_free(p)
#define vfree(p) model_free(p)
/* 7.x typed allocators; 6.x code never names them. */
#define kzalloc_obj(P, ...) ((typeof(P) *)model_zalloc(sizeof(P)))
#define kzalloc_objs(P, n, ...) ((typeof(P) *)model_zalloc(sizeof(P) * (n)))
#define kmalloc_obj(P, ...) kzalloc_obj(P)

#endif
