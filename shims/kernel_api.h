/* STUB: types, compiler attributes and helpers of the kernel API, for userspace. */
// SPDX-License-Identifier: GPL-2.0
/*
 * Everything here is a plain userspace rendering of a kernel interface whose
 * behaviour the oracle does not observe. Behaviour it does observe (locks, SRCU,
 * allocation, WARN/BUG, arch hooks, guest_memfd files) lives in the model_*.h files.
 */
#ifndef KVM_HVA_FUZZ_KERNEL_API_H
#define KVM_HVA_FUZZ_KERNEL_API_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <limits.h>
#include <errno.h>
#include <string.h>
#include <sys/types.h>
/* glibc's <sys/cdefs.h> has its own; the kernel's args.h defines it the same way. */
#undef __CONCAT

/* Real kernel headers hide their contents from userspace without it. */
#define __KERNEL__ 1
#include <generated/autoconf.h>
#include <linux/kconfig.h>

/* glibc's <sys/cdefs.h> has its own __always_inline. */
#undef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#define noinline __attribute__((__noinline__))
#define __weak __attribute__((__weak__))
#define __maybe_unused __attribute__((__unused__))
#define __always_unused __attribute__((__unused__))
#define __used __attribute__((__used__))
#define __must_check __attribute__((__warn_unused_result__))
#define __cold __attribute__((__cold__))
#define __pure __attribute__((__pure__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __packed __attribute__((__packed__))
#define __noreturn __attribute__((__noreturn__))
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#define __cleanup(f) __attribute__((__cleanup__(f)))
#define fallthrough __attribute__((__fallthrough__))
#define __rcu
#define __user
#define __iomem
#define __percpu
#define __force
#define __bitwise
#define __private
#define __randomize_layout
#define __counted_by(m)
#define __read_mostly
#define __ro_after_init
#define __init
#define __exit
#define __visible
#define __guarded_by(...)
#define __pt_guarded_by(...)
#define __context_unsafe(...)
#define __must_hold(...)
#define __acquires(...)
#define __releases(...)
#define __cond_acquires(...)
#define __no_context_analysis
#define __nonnull_args(...) __attribute__((__nonnull__(__VA_ARGS__)))
#define ASSERT_EXCLUSIVE_ACCESS(x) do { } while (0)
#define ASSERT_EXCLUSIVE_WRITER(x) do { } while (0)
#define __no_capability_analysis
#define ____cacheline_aligned
#define ____cacheline_aligned_in_smp
#define __cacheline_aligned_in_smp
#define notrace
#define __flatten
#define __nocfi
#define __noscs
#define __ADDRESSABLE(x)
#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)
#define __UNIQUE_ID(prefix) __PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)
#define ___PASTE(a, b) a##b
#define __PASTE(a, b) ___PASTE(a, b)
#define __same_type(a, b) __builtin_types_compatible_p(typeof(a), typeof(b))
#define __must_be_array(a) 0
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define barrier() __asm__ __volatile__("" ::: "memory")
#define smp_wmb() barrier()
#define smp_rmb() barrier()
#define smp_mb() barrier()
#define smp_mb__after_atomic() barrier()
#define smp_mb__before_atomic() barrier()
#define smp_load_acquire(p) READ_ONCE(*(p))
#define smp_store_release(p, v) WRITE_ONCE(*(p), v)
#define READ_ONCE(x) (*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, val) do { *(volatile typeof(x) *)&(x) = (val); } while (0)
#define data_race(expr) (expr)
#define EXPORT_SYMBOL(x)
#define EXPORT_SYMBOL_GPL(x)
#define EXPORT_SYMBOL_FOR_KVM_INTERNAL(x)
#define EXPORT_SYMBOL_FOR_MODULES(x, m)
#define EXPORT_SYMBOL_IF_KVM(x)
#define MODULE_LICENSE(x)

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef unsigned long long __u64;
typedef s8 __s8;
typedef s16 __s16;
typedef s32 __s32;
typedef long long __s64;
typedef u16 __le16;
typedef u32 __le32;
typedef u64 __le64;
typedef u16 __be16;
typedef u32 __be32;
typedef u64 __be64;
typedef unsigned int gfp_t;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef unsigned short umode_t;
typedef unsigned long pgoff_t;
typedef u64 uoff_t;
typedef unsigned long long __kernel_size_t;
typedef unsigned int fmode_t;
typedef unsigned int vm_fault_t;
typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
typedef struct { s64 counter; } atomic64_t;
typedef struct { atomic_t refs; } refcount_t;
typedef struct { unsigned long pte; } pte_t;
#define __pte(x) ((pte_t){ (x) })
#define pte_val(x) ((x).pte)

struct list_head { struct list_head *next, *prev; };
struct hlist_head { struct hlist_node *first; };
struct hlist_node { struct hlist_node *next, **pprev; };
struct rcu_head { struct rcu_head *next; void (*func)(struct rcu_head *head); };
#define callback_head rcu_head

#define BITS_PER_LONG 64
#define BITS_PER_BYTE 8
#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))
#define _AC(X, Y) (X##Y)
#define _UL(x) (_AC(x, UL))
#define _ULL(x) (_AC(x, ULL))
#define UL(x) (_UL(x))
#define ULL(x) (_ULL(x))
#define GENMASK(h, l) (((~0UL) << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l) (((~0ULL) << (l)) & (~0ULL >> (63 - (h))))
#define BITS_TO_LONGS(nr) (((nr) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define ALIGN(x, a) (((x) + ((typeof(x))(a) - 1)) & ~((typeof(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((typeof(x))(a) - 1)) == 0)
#define PAGE_ALIGNED(addr) IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#define SZ_4K 0x1000
#define U32_MAX UINT32_MAX
#define U64_MAX UINT64_MAX
#define S64_MAX INT64_MAX
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), "BUILD_BUG_ON")
#define BUILD_BUG_ON_ZERO(e) 0
#define BUILD_BUG_ON_MSG(cond, msg) _Static_assert(!(cond), msg)
#define static_assert(expr, ...) _Static_assert(expr, #expr)
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define container_of_const(ptr, type, member) container_of(ptr, type, member)
#define typecheck(type, x) ({ type __dummy; typeof(x) __dummy2; (void)(&__dummy == &__dummy2); 1; })
#define min(a, b) ({ typeof(a) _a = (a); typeof(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b) ({ typeof(a) _a = (a); typeof(b) _b = (b); _a > _b ? _a : _b; })
#define min_t(t, a, b) ({ t _a = (a); t _b = (b); _a < _b ? _a : _b; })
#define max_t(t, a, b) ({ t _a = (a); t _b = (b); _a > _b ? _a : _b; })
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define swap(a, b) do { typeof(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)
#define lower_32_bits(n) ((u32)((n) & 0xffffffff))
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))
#define array_index_nospec(index, size) (index)
#define untagged_addr(addr) (addr)
#define might_sleep() do { } while (0)
#define cpu_relax() do { } while (0)
#define pr_err(...) do { } while (0)
#define pr_warn(...) do { } while (0)
#define pr_info(...) do { } while (0)
#define pr_debug(...) do { } while (0)
#define pr_warn_once(...) do { } while (0)
#define pr_err_ratelimited(...) do { } while (0)
#define printk(...) do { } while (0)

/* ERR_PTR and friends */
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR_VALUE((unsigned long)ptr); }
#ifndef ENOTSUPP
#define ENOTSUPP 524
#endif

/* Atomics: single-threaded, so plain loads and stores are exact. */
#define ATOMIC_INIT(i) { (i) }
#define atomic_read(v) READ_ONCE((v)->counter)
#define atomic_set(v, i) WRITE_ONCE((v)->counter, (i))
#define atomic_inc(v) ((v)->counter++)
#define atomic_dec(v) ((v)->counter--)
#define atomic_add(i, v) ((v)->counter += (i))
#define atomic_sub(i, v) ((v)->counter -= (i))
#define atomic_inc_return(v) (++(v)->counter)
#define atomic_dec_return(v) (--(v)->counter)
#define atomic_dec_and_test(v) (--(v)->counter == 0)
#define atomic_long_read(v) READ_ONCE((v)->counter)
#define atomic_long_set(v, i) WRITE_ONCE((v)->counter, (i))
#define atomic_long_inc(v) ((v)->counter++)
#define atomic_long_dec(v) ((v)->counter--)
#define atomic64_read(v) READ_ONCE((v)->counter)
#define atomic64_set(v, i) WRITE_ONCE((v)->counter, (i))
#define refcount_set(r, n) atomic_set(&(r)->refs, (n))
#define refcount_read(r) atomic_read(&(r)->refs)
#define refcount_inc(r) atomic_inc(&(r)->refs)
#define refcount_dec_and_test(r) atomic_dec_and_test(&(r)->refs)

/* Bit operations the hash table, log2 and dirty bitmap helpers use. */
static inline int fls(unsigned int x) { return x ? 32 - __builtin_clz(x) : 0; }
static inline int fls64(u64 x) { return x ? 64 - __builtin_clzll(x) : 0; }
static inline unsigned long __fls(unsigned long x) { return 63 - __builtin_clzl(x); }
static inline unsigned long __ffs(unsigned long x) { return __builtin_ctzl(x); }
static inline int fls_long(unsigned long l) { return fls64(l); }
#define hweight_long(x) __builtin_popcountl(x)
static inline void __set_bit(long nr, volatile unsigned long *addr)
{
	addr[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}
#define set_bit(nr, addr) __set_bit(nr, addr)
static inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	return 1UL & (addr[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG));
}
static inline void bitmap_set(unsigned long *map, unsigned int start, unsigned int len)
{
	for (unsigned int i = start; i < start + len; i++)
		__set_bit(i, map);
}
#define BITMAP_FIRST_WORD_MASK(start) (~0UL << ((start) & (BITS_PER_LONG - 1)))

/* Userspace addresses: every hva below TASK_SIZE is accessible, as on x86-64. */
#define TASK_SIZE_MAX ((1UL << 47) - PAGE_SIZE)
#define TASK_SIZE TASK_SIZE_MAX
static inline bool __access_ok(const void *ptr, unsigned long size)
{
	unsigned long addr = (unsigned long)ptr;

	return size <= TASK_SIZE_MAX && addr <= TASK_SIZE_MAX - size;
}
#define access_ok(addr, size) __access_ok((const void *)(addr), (size))

/* Tracepoints the extracted code fires: nothing observes them. */
#define trace_kvm_unmap_hva_range(...) do { } while (0)
#define trace_kvm_age_hva(...) do { } while (0)
#define trace_kvm_test_age_hva(...) do { } while (0)
#define trace_kvm_set_spte_hva(...) do { } while (0)
#define trace_kvm_age_page(...) do { } while (0)
#define trace_kvm_vm_set_mem_attributes(...) do { } while (0)

#include "model_sync.h"
#include "model_alloc.h"
#include "model_warn.h"
#include "model_kvm.h"
#include "model_gmem.h"
#include "model_xarray.h"
#include "mm_api.h"
#include "model_gup.h"
#include "pagecache_api.h"

#endif
