/* MODEL: bodies of model_gup.h: the page table, page lifetimes, GUP and kmap. */
// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

/* kernel headers: their unused parameters are the kernel's style, not ours to fix */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kvm_extracted.h"
#pragma GCC diagnostic pop
#include "model_state.h"

HARNESS_NO_COVERAGE_BEGIN

/* freed pages get the kernel's own page poison (linux/poison.h) */


struct model_mm model_mm;
struct page model_pages[MODEL_NR_PAGES];
unsigned char model_page_data[MODEL_NR_PAGES][4096] __attribute__((aligned(4096)));
struct task_struct model_current_task;

void model_mm_reset(void)
{
	memset(model_pages, 0, sizeof(model_pages[0]) * model_mm.nr_pages);
	memset(&model_mm, 0, sizeof(model_mm));
}

static int pte_index(unsigned long hva)
{
	for (int i = 0; i < model_mm.nr_ptes; i++)
		if (model_mm.ptes[i].hva == (hva & PAGE_MASK))
			return i;
	return -1;
}

unsigned long model_mm_pfn_of(unsigned long hva)
{
	int i = pte_index(hva);

	return i < 0 ? 0 : page_to_pfn(&model_pages[model_mm.ptes[i].page]);
}

/* A fresh page, with the page table's reference; -1 when the run used them all. */
static int alloc_page_index(void)
{
	int n = model_mm.nr_pages;

	if (n == MODEL_NR_PAGES)
		return -1;
	model_mm.nr_pages++;
	model_pages[n] = (struct page){ .refcount = 1 };
	memset(model_page_data[n], 0, sizeof(model_page_data[n]));
	return n;
}

static void touched_freed(const struct page *page, const char *what)
{
	if (!model_mm.freed_touch[0])
		snprintf(model_mm.freed_touch, sizeof(model_mm.freed_touch), "%s of the freed page pfn 0x%lx",
			 what, page_to_pfn(page));
}

bool model_mm_replace(unsigned long hva)
{
	int i = pte_index(hva), n;

	if (i < 0)
		return false;	/* nothing mapped: nothing to replace */
	n = alloc_page_index();
	if (n < 0)
		return false;
	put_page(&model_pages[model_mm.ptes[i].page]);
	model_mm.ptes[i].page = n;
	return true;
}

struct page *model_mm_page_of(const void *khva)
{
	const unsigned char *p = khva, *base = &model_page_data[0][0];

	if (p < base || p >= base + sizeof(model_page_data))
		return NULL;
	return &model_pages[(p - base) / 4096];
}

int model_mm_leaked_refs(void)
{
	int n = 0;

	for (int i = 0; i < model_mm.nr_pages; i++) {
		int mapped = 0;

		for (int k = 0; k < model_mm.nr_ptes; k++)
			mapped += model_mm.ptes[k].page == i;
		n += model_pages[i].refcount != mapped || model_pages[i].kmaps;
	}
	return n;
}

void get_page(struct page *page)
{
	if (page->freed)
		touched_freed(page, "get_page");
	page->refcount++;
}

void put_page(struct page *page)
{
	if (page->freed || page->refcount <= 0) {
		touched_freed(page, "put_page");
		return;
	}
	if (--page->refcount == 0) {
		page->freed = true;
		memset(model_page_data[page - model_pages], PAGE_POISON, 4096);
	}
}

bool get_page_unless_zero(struct page *page)
{
	if (!page->refcount)
		return false;
	page->refcount++;
	return true;
}

void *kmap(struct page *page)
{
	if (page->freed)
		touched_freed(page, "kmap");
	page->kmaps++;
	return model_page_data[page - model_pages];
}

void kunmap(struct page *page)
{
	page->kmaps--;
}

/* GUP took a reference on the hva's page: where the scenario may run what raced it. */
static struct page *gup_took(unsigned long hva, int page)
{
	struct page *p = &model_pages[page];

	p->refcount++;
	model_clock_event(EV_GUP, (long)hva);
	if (model_mm.gup_hook && !model_mm.gup_hook(model_mm.gup_ctx, hva)) {
		p->refcount--;
		return NULL;
	}
	return p;
}

bool get_user_page_fast_only(unsigned long addr, unsigned int gup_flags, struct page **pagep)
{
	int i = pte_index(addr);

	(void)gup_flags;
	if (i < 0)
		return false;	/* not present: the fast path does not fault */
	*pagep = gup_took(addr, model_mm.ptes[i].page);
	return *pagep != NULL;
}

long get_user_pages_unlocked(unsigned long start, unsigned long nr_pages, struct page **pages,
			     unsigned int gup_flags)
{
	int i = pte_index(start);

	(void)gup_flags;
	if (nr_pages != 1 || !access_ok(start, PAGE_SIZE))
		return -EFAULT;
	if (i < 0) {
		/* the write fault that maps anonymous memory */
		int n;

		if (model_mm.nr_ptes == MODEL_MAX_PTES || (n = alloc_page_index()) < 0)
			return -ENOMEM;
		i = model_mm.nr_ptes++;
		model_mm.ptes[i].hva = start & PAGE_MASK;
		model_mm.ptes[i].page = n;
	}
	if (pages && !(pages[0] = gup_took(start, model_mm.ptes[i].page)))
		return -EFAULT;
	return 1;
}

long model_get_user_pages(unsigned long start, unsigned long nr_pages, struct page **pages)
{
	/* check_user_page_hwpoison(): only asks whether the page is there */
	return pte_index(start) >= 0 && !pages ? (long)nr_pages : -EFAULT;
}

struct page *vmalloc_to_page(const void *addr)
{
	struct page *page = model_mm_page_of(addr);

	if (!page)
		model_fail("vmalloc_to_page: %p is not memory the model's pages back", addr);
	return page;
}

int pin_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags, struct page **pages)
{
	(void)start; (void)nr_pages; (void)gup_flags; (void)pages;
	model_fail("pin_user_pages_fast: the pfn cache does not pin");
	return -EFAULT;
}

long pin_user_pages_unlocked(unsigned long start, unsigned long nr_pages, struct page **pages,
			     unsigned int gup_flags)
{
	(void)start; (void)nr_pages; (void)gup_flags; (void)pages;
	model_fail("pin_user_pages_unlocked: the pfn cache does not pin");
	return -EFAULT;
}

HARNESS_NO_COVERAGE_END
