// SPDX-License-Identifier: GPL-2.0
/*
 * The gfn_to_pfn cache as KVM's users drive it (activate over a gpa or an hva,
 * refresh, check, use, deactivate), mm/ replacing the page behind an hva, and
 * the property "pfn cache fresh":
 *
 *   - a cache kvm_gpc_check() calls valid refers to the page its hva maps now,
 *     and a gpa cache's hva is where its gpa translates now (the memslot
 *     generation's promise, in flux while an update is between its swaps);
 *   - so a refresh that raced a whole invalidation never installs the old pfn;
 *   - a use of a valid cache, and kernel code in general, never touches a
 *     freed page (model_gup.h poisons and tracks them).
 *
 * A split activate or refresh runs the scenario's following operations, up to
 * gpc_commit, inside its GUP: after hva_to_pfn() took the page and while
 * gpc->lock is dropped, where another CPU's notifier runs in the kernel. A
 * retry of the kernel's loop waits for the invalidations in flight, which the
 * harness ends (the scheduler hook), as the other CPU would. A split call that
 * never reaches GUP races nothing: its window's operations then run after it,
 * in order, and gpc_commit does nothing.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pfncache_ops.h"
#include "scenario_layout.h"

HARNESS_NO_COVERAGE_BEGIN

#define GUP_RETRIES_MAX 32

struct pfncache {
	struct gfn_to_pfn_cache gpc;
	bool hva_form;
	bool activated;			/* an activate left it active once: KVM's users refresh only such caches */
	int installed_at;		/* the operation whose refresh installed the pfn, -1 */
	int window_end;			/* ... and the end of its split window */
};

static struct {
	const struct pfncache_host *h;
	struct pfncache c[SC_GPC_CACHES];
	int refreshing;			/* the cache in an activate/refresh, -1 */
	int window_first, window_end;	/* the operations its GUP runs: [first, end) */
	bool window_ran;
	int gup_calls;
	unsigned long window_pfn;	/* what the first GUP returned */
} pc;

static void gpc_violate(enum property p, const char *fmt, ...) __attribute__((__format__(printf, 2, 3)));
static void gpc_violate(enum property p, const char *fmt, ...)
{
	char detail[300];
	va_list ap;

	if (!pc.h->check)
		return;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	violate(pc.h->v, p, "%s", detail);
}

static void run_window(void)
{
	/* the refreshing task's locks (refresh_lock) are not the window's operations' */
	int held = model.locks_held;

	pc.window_ran = true;
	model.locks_held = 0;
	for (int i = pc.window_first; i < pc.window_end; i++)
		pc.h->run_op_at(pc.h->ctx, i);
	if (model.locks_held)
		model_fail("%d lock(s) left held by operations inside a pfn cache refresh", model.locks_held);
	model.locks_held = held;
}

/* model_gup.h's yield point: GUP took the page of hva. False fails the GUP. */
static bool gup_hook(void *ctx, unsigned long hva)
{
	(void)ctx;
	if (pc.refreshing < 0)
		return true;
	if (!pc.window_ran) {
		pc.window_pfn = model_mm_pfn_of(hva);
		run_window();
		return true;
	}
	/* a retry: the kernel spins until the invalidations in flight end */
	if (++pc.gup_calls > GUP_RETRIES_MAX) {
		gpc_violate(P_PROGRESS, "pfn cache refresh of hva 0x%lx retried %d times, the invalidations in flight "
			    "ended: it never converges", hva, GUP_RETRIES_MAX);
		return false;
	}
	while (pc.h->kvm->mn_active_invalidate_count && model.schedule_hook && model.schedule_hook(model.schedule_ctx))
		;
	return true;
}

/* The operations a split activate/refresh at index runs inside its GUP. */
static void open_window(int index, bool split)
{
	int j = index + 1;

	if (split)
		while (j < pc.h->s->nr_ops && pc.h->s->ops[j].kind != OP_GPC_COMMIT)
			j++;
	pc.window_first = index + 1;
	pc.window_end = split ? j : index + 1;
	pc.window_ran = false;
	pc.gup_calls = 0;
	pc.window_pfn = 0;
}

static int gpc_call(int index, const struct op *o)
{
	struct pfncache *c = &pc.c[sc_gpc_cache(o->a)];
	struct kvm *kvm = pc.h->kvm;
	unsigned long len = sc_gpc_len(o->e);
	const char *what = "refresh";
	kvm_pfn_t old_pfn;
	int ret;

	if (pc.refreshing >= 0)
		return index;	/* inside another refresh's window: its task holds the VM's attention, not applicable */
	if (o->kind == OP_GPC_ACTIVATE_HVA && !kernel.gpc_hva)
		return index;	/* no hva-based caches in this kernel: not applicable */
	if (o->kind == OP_GPC_REFRESH && !c->activated)
		return index;	/* a cache never activated has neither gpa nor hva (the kernel WARNs): not applicable */
	old_pfn = c->gpc.pfn;
	open_window(index, sc_gpc_split(o->a) && pc.h->may_split(pc.h->ctx));
	pc.refreshing = (int)(c - pc.c);
	if (o->kind == OP_GPC_ACTIVATE) {
		ret = adapter_gpc_activate(kvm, &c->gpc, sc_gpa(o->c) + sc_gpc_offset(o->d), len);
		c->hva_form = false;
		what = "activate";
	} else if (o->kind == OP_GPC_ACTIVATE_HVA) {
		ret = adapter_gpc_activate_hva(kvm, &c->gpc, sc_hva(o->b) + sc_gpc_offset(o->d), len);
		c->hva_form = true;
		what = "activate_hva";
	} else {
		ret = adapter_gpc_refresh(kvm, &c->gpc, len);
	}
	pc.refreshing = -1;
	c->activated |= c->gpc.active;
	if (pc.h->trace)
		printf("trace: gpc_%s cache=%d -> %d valid=%d uhva=0x%lx pfn=0x%" PRIx64 " khva page 0x%lx (first GUP: 0x%lx, retries %d)\n",
		       what, (int)(c - pc.c), ret, c->gpc.valid, c->gpc.uhva, (uint64_t)c->gpc.pfn,
		       model_mm_page_of(c->gpc.khva) ? page_to_pfn(model_mm_page_of(c->gpc.khva)) : 0, pc.window_pfn,
		       pc.gup_calls);
	if (c->gpc.valid && c->gpc.pfn != old_pfn) {
		c->installed_at = index;
		c->window_end = pc.window_end;
	}
	/*
	 * A refresh that never reached GUP (still valid, or an error) raced nothing:
	 * the runner goes on with the next operation, and gpc_commit does nothing.
	 */
	if (!pc.window_ran || pc.window_end == index + 1)
		return index;
	return pc.window_end < pc.h->s->nr_ops ? pc.window_end : pc.h->s->nr_ops - 1;
}

static void gpc_use(const struct op *o)
{
	struct pfncache *c = &pc.c[sc_gpc_cache(o->a)];
	unsigned long len = sc_gpc_len(o->e);
	struct page *page;

	/* as KVM's users: under gpc->lock, touch the mapping only if check() says it is valid */
	read_lock_irq(&c->gpc.lock);
	if (adapter_gpc_check(pc.h->kvm, &c->gpc, len)) {
		page = model_mm_page_of(c->gpc.khva);
		if (!page || model_mm_page_of((char *)c->gpc.khva + len - !!len) != page)
			gpc_violate(P_PFN_CACHE_FRESH, "cache %d is valid but its khva %p is not inside one page of the host",
				(int)(c - pc.c), c->gpc.khva);
		else if (page->freed)
			gpc_violate(P_PFN_CACHE_FRESH, "a use of valid cache %d touched the freed page pfn 0x%lx (hva 0x%lx maps "
				"pfn 0x%lx now)", (int)(c - pc.c), page_to_pfn(page), c->gpc.uhva, model_mm_pfn_of(c->gpc.uhva));
		else
			memset(c->gpc.khva, 0xa5, len);
	}
	read_unlock_irq(&c->gpc.lock);
}

static void hva_replace(const struct op *o)
{
	unsigned long hva = sc_hva(o->b), old = model_mm_pfn_of(hva);

	/* mm/ changes a PTE only inside an invalidation of it: elsewhere not applicable */
	if (!pc.h->inflight_covers(pc.h->ctx, hva, hva + PAGE_SIZE))
		return;
	if (model_mm_replace(hva) && pc.h->trace)
		printf("trace: hva_replace hva=0x%lx pfn 0x%lx -> 0x%lx\n", hva, old, model_mm_pfn_of(hva));
}

int pfncache_op(int index, const struct op *o)
{
	struct pfncache *c = &pc.c[sc_gpc_cache(o->a)];

	if (!kernel.pfncache && o->kind != OP_HVA_REPLACE)
		return index;	/* the tree builds no pfn cache (arm64): not applicable */
	switch (o->kind) {
	case OP_GPC_ACTIVATE:
	case OP_GPC_ACTIVATE_HVA:
	case OP_GPC_REFRESH:
		return gpc_call(index, o);
	case OP_GPC_CHECK:
		adapter_gpc_check(pc.h->kvm, &c->gpc, sc_gpc_len(o->e));
		break;	/* what it answered is judged by pfncache_check() */
	case OP_GPC_USE:
		gpc_use(o);
		break;
	case OP_GPC_DEACTIVATE:
		if (pc.refreshing != (int)(c - pc.c))	/* its refresh_lock is held by the refresh: it would wait */
			adapter_gpc_deactivate(pc.h->kvm, &c->gpc);
		break;
	case OP_HVA_REPLACE:
		hva_replace(o);
		break;
	}
	return index;
}

/* What a gpa translates to in the active memslots now (search_memslots writes nothing); 0 and why if nothing. */
static unsigned long gpa_hva_now(u64 gpa, const char **nothing)
{
	gfn_t gfn = gpa >> PAGE_SHIFT;
	struct kvm_memory_slot *slot = search_memslots(__kvm_memslots(pc.h->kvm, 0), gfn, false);

	*nothing = !slot ? "no memslot" : (slot->flags & KVM_MEMSLOT_INVALID) ? "an invalid memslot" : NULL;
	return *nothing ? 0 : __gfn_to_hva_memslot(slot, gfn);
}

bool pfncache_busy(void)
{
	return pc.refreshing >= 0;
}

void pfncache_check(void)
{
	if (model_mm.freed_touch[0]) {
		gpc_violate(P_PFN_CACHE_FRESH, "kernel code: %s", model_mm.freed_touch);
		return;
	}
	for (int k = 0; k < SC_GPC_CACHES; k++) {
		struct pfncache *c = &pc.c[k];
		unsigned long now;

		const char *nothing;
		unsigned long hva;
		bool gpa_form;

		if (k == pc.refreshing || !adapter_gpc_check(pc.h->kvm, &c->gpc, 1))
			continue;
		/*
		 * The memslot generation's promise: a valid gpa cache is where its gpa
		 * translates now. The kernel's form, not the last activate's: a failed
		 * one leaves an hva cache (gpa INVALID_GPA, 6.9+) as it was.
		 */
		gpa_form = !kernel.gpc_hva || c->gpc.gpa != (gpa_t)~0ULL;
		hva = gpa_form ? gpa_hva_now(c->gpc.gpa, &nothing) : 0;
		if (gpa_form && hva != (c->gpc.uhva & PAGE_MASK)) {
			if (nothing)
				gpc_violate(P_PFN_CACHE_FRESH, "kvm_gpc_check() calls cache %d (gpa form) valid at hva 0x%lx, "
					    "but gpa 0x%" PRIx64 " is in %s now (memslot generation 0x%" PRIx64 ", the cache's 0x%"
					    PRIx64 ")", k, c->gpc.uhva, (uint64_t)c->gpc.gpa, nothing,
					    (uint64_t)__kvm_memslots(pc.h->kvm, 0)->generation, (uint64_t)c->gpc.generation);
			else
				gpc_violate(P_PFN_CACHE_FRESH, "kvm_gpc_check() calls cache %d (gpa form) valid at hva 0x%lx, "
					    "but gpa 0x%" PRIx64 " is at hva 0x%lx now", k, c->gpc.uhva, (uint64_t)c->gpc.gpa, hva);
			return;
		}
		now = model_mm_pfn_of(c->gpc.uhva);
		if ((unsigned long)c->gpc.pfn == now)
			continue;
		gpc_violate(P_PFN_CACHE_FRESH, "kvm_gpc_check() calls cache %d (%s form) valid with pfn 0x%" PRIx64 "%s, but hva "
			"0x%lx maps pfn 0x%lx now; installed by the operation %d%s", k, c->hva_form ? "hva" : "gpa",
			(uint64_t)c->gpc.pfn, pfn_valid(c->gpc.pfn) && pfn_to_page(c->gpc.pfn)->freed ? " (freed)" : "",
			c->gpc.uhva, now, c->installed_at,
			c->window_end > c->installed_at + 1 ? ", whose GUP ran the operations up to its gpc_commit" : "");
		return;
	}
}

void pfncache_begin(const struct pfncache_host *h)
{
	memset(&pc, 0, sizeof(pc));
	pc.h = h;
	pc.refreshing = -1;
	model_mm_reset();
	model_mm.gup_hook = gup_hook;
	for (int k = 0; k < SC_GPC_CACHES; k++) {
		adapter_gpc_init(h->kvm, &pc.c[k].gpc);
		pc.c[k].installed_at = -1;
	}
}

void pfncache_end(void)
{
	int leaked;

	/* as the arch's VM teardown: caches go before the VM */
	for (int k = 0; k < SC_GPC_CACHES; k++)
		adapter_gpc_deactivate(pc.h->kvm, &pc.c[k].gpc);
	pfncache_check();
	leaked = model_mm_leaked_refs();
	if (leaked)
		gpc_violate(P_LEAK, "%d host page(s) hold references or kmaps kernel code never dropped", leaked);
	model_mm.gup_hook = NULL;
}

HARNESS_NO_COVERAGE_END
