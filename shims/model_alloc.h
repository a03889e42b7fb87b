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

/* n elements of size bytes: NULL if the product overflows, as the kernel's array allocators */
static inline void *model_zalloc_array(size_t n, size_t size)
{
	size_t bytes;

	return __builtin_mul_overflow(n, size, &bytes) ? NULL : model_zalloc(bytes);
}

#define kzalloc(size, gfp) model_zalloc(size)
#define kmalloc(size, gfp) model_zalloc(size)
#define kcalloc(n, size, gfp) model_zalloc_array((n), (size))
#define kmalloc_array(n, size, gfp) model_zalloc_array((n), (size))
#define kvzalloc(size, gfp) model_zalloc(size)
#define kvmalloc(size, gfp) model_zalloc(size)
#define kvcalloc(n, size, gfp) model_zalloc_array((n), (size))
#define kvmalloc_array(n, size, gfp) model_zalloc_array((n), (size))
#define __vcalloc(n, size, gfp) model_zalloc_array((n), (size))
#define vzalloc(size) model_zalloc(size)
#define vmalloc(size) model_zalloc(size)
#define kfree(p) model_free(p)
#define kvfree(p) model_free(p)
#define vfree(p) model_free(p)
/* slab caches: a cache is its object size; objects come from the same allocator (and its failures) */
struct kmem_cache { size_t size; };
static inline struct kmem_cache *model_kmem_cache_create(size_t size)
{
	struct kmem_cache *c = model_zalloc(sizeof(*c));

	if (c)
		c->size = size;
	return c;
}
#define kmem_cache_create(name, size, ...) model_kmem_cache_create(size)
#define kmem_cache_create_usercopy(name, size, ...) model_kmem_cache_create(size)
#define kmem_cache_destroy(c) model_free(c)
#define kmem_cache_alloc(c, gfp) model_zalloc((c)->size)
#define kmem_cache_zalloc(c, gfp) model_zalloc((c)->size)
#define kmem_cache_free(c, p) model_free(p)
/* 7.x typed allocators; 6.x code never names them. */
#define kzalloc_obj(P, ...) ((typeof(P) *)model_zalloc(sizeof(P)))
#define kzalloc_objs(P, n, ...) ((typeof(P) *)model_zalloc(sizeof(P) * (n)))
#define kmalloc_obj(P, ...) kzalloc_obj(P)
#define kmalloc_objs(P, n, ...) kzalloc_objs(P, n)
/*
 * A flexible structure with COUNT elements of its array FAM: NULL when the size overflows,
 * as struct_size() saturates and the allocation then fails (7.x slab.h's __alloc_flex()).
 */
#define model_flex_size(P, FAM, COUNT) ({ \
	size_t __bytes; \
	__builtin_mul_overflow((size_t)(COUNT), sizeof(((typeof(P) *)0)->FAM[0]), &__bytes) || \
	__builtin_add_overflow(__bytes, sizeof(typeof(P)), &__bytes) ? (size_t)-1 : __bytes; \
})
#define model_zalloc_flex(P, FAM, COUNT) ({ \
	size_t __size = model_flex_size(P, FAM, COUNT); \
	(typeof(P) *)(__size == (size_t)-1 ? NULL : model_zalloc(__size)); \
})
#define kzalloc_flex(P, FAM, COUNT, ...) model_zalloc_flex(P, FAM, COUNT)
#define kmalloc_flex(P, FAM, COUNT, ...) model_zalloc_flex(P, FAM, COUNT)

#endif
