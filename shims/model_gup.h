/* MODEL: host memory behind hvas: a page table (hva page -> pfn), refcounted pages that are poisoned when freed, GUP, kmap. */
// SPDX-License-Identifier: GPL-2.0
/*
 * What the pfn cache (virt/kvm/pfncache.c) and hva_to_pfn() reach in mm/. The
 * oracle must see which page an hva maps now and whether a page was freed, so
 * these are models, not stubs: every hva below TASK_SIZE is anonymous memory,
 * faulted in on the first GUP; the scenario replaces the page of an hva (what
 * an invalidation announces: migration, reclaim, a CoW break), which drops the
 * page table's reference; a page whose last reference goes is freed and
 * poisoned, and never handed out again in this run, so a stale pfn stays a
 * freed one (no ABA).
 *
 * GUP is also the pfn cache's yield point: hva_to_pfn_retry() drops gpc->lock
 * around hva_to_pfn(), where another CPU's notifier may run. After GUP has
 * taken its page, model_mm.gup_hook runs what the scenario placed there.
 */
#ifndef KVM_HVA_FUZZ_MODEL_GUP_H
#define KVM_HVA_FUZZ_MODEL_GUP_H

struct page {
	int refcount;
	bool freed;
	int kmaps;
};

#define MODEL_NR_PAGES 96
#define MODEL_MAX_PTES 48
#define MODEL_PFN_BASE 0x80000UL	/* pfns of the model's pages: MODEL_PFN_BASE + index */

struct model_mm {
	int nr_pages;			/* pages handed out so far this run (never reused) */
	int nr_ptes;
	struct { unsigned long hva; int page; } ptes[MODEL_MAX_PTES];
	/* runs after a GUP took its page (the window where gpc->lock is dropped); false fails the GUP */
	bool (*gup_hook)(void *ctx, unsigned long hva);
	void *gup_ctx;
	/* the first touch of a freed page (put_page, kmap, kunmap), for the oracle */
	char freed_touch[160];
};

extern struct model_mm model_mm;
extern struct page model_pages[MODEL_NR_PAGES];
/* page-aligned, as kernel mappings are (the pfn cache aligns khva down to its page) */
extern unsigned char model_page_data[MODEL_NR_PAGES][4096] __attribute__((aligned(4096)));

void model_mm_reset(void);
/* The pfn the hva's page maps now, or 0 if nothing is mapped there. */
unsigned long model_mm_pfn_of(unsigned long hva);
/* Map a fresh page at the hva's page and drop the old one's page-table reference; false if out of pages. */
bool model_mm_replace(unsigned long hva);
/* The model page khva points into, or NULL. */
struct page *model_mm_page_of(const void *khva);
/* Pages with references other than the page table's, or kmaps, left (kernel code never dropped them). */
int model_mm_leaked_refs(void);

/* ---- the kernel API over it ---- */
static inline unsigned long page_to_pfn(const struct page *page)
{
	return MODEL_PFN_BASE + (unsigned long)(page - model_pages);
}
static inline struct page *pfn_to_page(unsigned long pfn) { return &model_pages[pfn - MODEL_PFN_BASE]; }
static inline bool pfn_valid(unsigned long pfn)
{
	return pfn >= MODEL_PFN_BASE && pfn < MODEL_PFN_BASE + MODEL_NR_PAGES;
}
static inline int page_count(const struct page *page) { return page->refcount; }
void get_page(struct page *page);
void put_page(struct page *page);
bool get_page_unless_zero(struct page *page);
void *kmap(struct page *page);
void kunmap(struct page *page);
#define PageReserved(page) ((void)(page), false)
#define is_zone_device_page(page) ((void)(page), false)
#define is_zero_pfn(pfn) ((void)(pfn), false)
#define mark_page_accessed(page) do { (void)(page); } while (0)
#define SetPageDirty(page) do { (void)(page); } while (0)
#define set_page_dirty(page) do { (void)(page); } while (0)

/* GUP: one page at a time is all hva_to_pfn() asks for. */
bool get_user_page_fast_only(unsigned long addr, unsigned int gup_flags, struct page **pagep);
long get_user_pages_unlocked(unsigned long start, unsigned long nr_pages, struct page **pages,
			     unsigned int gup_flags);
long model_get_user_pages(unsigned long start, unsigned long nr_pages, struct page **pages);
/* 6.1 passes a vmas array as well */
#define get_user_pages(start, nr_pages, gup_flags, pages, ...) model_get_user_pages((start), (nr_pages), (pages))
int pin_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags, struct page **pages);
long pin_user_pages_unlocked(unsigned long start, unsigned long nr_pages, struct page **pages,
			     unsigned int gup_flags);
/*
 * The rest of GUP, for a patch that calls a neighbour of what today's code calls, over
 * the same page table: the fast-only path takes what is mapped and never faults; the
 * others fault anonymous memory in; a pin is a reference, so unpinning drops it.
 */
static inline int get_user_pages_fast_only(unsigned long start, int nr_pages, unsigned int gup_flags,
					   struct page **pages)
{
	int n = 0;

	while (n < nr_pages && get_user_page_fast_only(start + (unsigned long)n * 4096, gup_flags, &pages[n]))
		n++;
	return n;
}
static inline int get_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags, struct page **pages)
{
	return nr_pages == 1 ? (int)get_user_pages_unlocked(start, 1, pages, gup_flags) : -EFAULT;
}
/* mm, start, nr_pages, gup_flags, pages[, vmas (6.1)], locked: the VM's own mm is the only one */
#define get_user_pages_remote(mm, start, nr_pages, gup_flags, pages, ...) \
	((void)(mm), (pages) ? get_user_pages_fast((start), (nr_pages), (gup_flags), (pages)) : \
	 model_get_user_pages((start), (nr_pages), NULL))
#define unpin_user_page(page) put_page(page)
/* the kernel address of a model page (its lowmem mapping: no kmap needed) */
static inline void *page_address(const struct page *page) { return model_page_data[page - model_pages]; }
#define page_to_phys(page) ((phys_addr_t)page_to_pfn(page) << 12)
/* vmalloc'ed memory is the allocator's, not a model page: nothing in the model maps it */
struct page *vmalloc_to_page(const void *addr);

#endif
