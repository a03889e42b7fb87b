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
 *
 * Calls run in whatever order the scenario has, as KVM's callers issue them:
 * a refresh before any activate (Xen's event channel on a VM without
 * shared_info), after a deactivate, twice; inside a window, a call on the
 * other cache runs there (another vCPU) and one on the same cache after the
 * refresh, whose refresh_lock it waits for. fail_gup makes every GUP of a call
 * fail, part-way through the refresh. A WARN they reach is a "kernel warning"
 * naming the caller (docs/oracle.md, "Who calls what").
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "family.h"
#include "pfncache_ops.h"
#include "scenario_layout.h"

HARNESS_NO_COVERAGE_BEGIN

#define GUP_RETRIES_MAX 32

struct pfncache {
	struct gfn_to_pfn_cache gpc;
	bool hva_form;
	bool activated;			/* an activate left it active once (what a report says of its caller) */
	int installed_at;		/* the operation whose refresh installed the pfn, -1 */
	int window_end;			/* ... and the end of its split window */
};

/* An activate/refresh in progress: the operations its GUP runs, [first, end). */
struct window {
	int cache;			/* -1: none */
	int first, end;
	bool ran;
	bool fail_gup;			/* every GUP of the call fails (the hva is gone) */
	int gup_calls;
	unsigned long first_pfn;	/* what the first GUP returned */
};

#define GPC_DEFERRED_MAX SCENARIO_MAX_OPS	/* every operation of a window can wait */

static struct {
	const struct pfncache_host *h;
	struct pfncache c[SC_GPC_CACHES];
	struct window w;
	/* operations on the refreshing cache its window reached: they wait for refresh_lock */
	int deferred[GPC_DEFERRED_MAX], nr_deferred;
	bool running_deferred;
	bool inner;			/* a call on the other cache inside a window */
} pc;

static void gpc_violate(enum property p, const char *fmt, ...) __attribute__((__format__(printf, 2, 3)));
static void gpc_violate(enum property p, const char *fmt, ...)
{
	char detail[768];
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

	pc.w.ran = true;
	model.locks_held = 0;
	for (int i = pc.w.first; i < pc.w.end; i++)
		pc.h->run_op_at(pc.h->ctx, i);
	if (model.locks_held)
		model_fail("%d lock(s) left held by operations inside a pfn cache refresh", model.locks_held);
	model.locks_held = held;
}

/* model_gup.h's yield point: GUP took the page of hva. False fails the GUP. */
static bool gup_hook(void *ctx, unsigned long hva)
{
	(void)ctx;
	if (pc.w.cache < 0)
		return true;
	if (!pc.w.ran) {
		pc.w.first_pfn = model_mm_pfn_of(hva);
		run_window();
		return !pc.w.fail_gup;
	}
	if (pc.w.fail_gup)
		return false;
	/* a retry: the kernel spins until the invalidations in flight end */
	if (++pc.w.gup_calls > GUP_RETRIES_MAX) {
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
	pc.w.first = index + 1;
	pc.w.end = split ? j : index + 1;
	pc.w.ran = false;
	pc.w.gup_calls = 0;
	pc.w.first_pfn = 0;
}

/*
 * The real caller that issues o on a cache in this state, for a report of what
 * the kernel did on it (docs/oracle.md, "Who calls what"). Every user takes
 * the cache through kvm_gpc_check() and, when that fails, kvm_gpc_refresh().
 */
static const char *gpc_caller(const struct op *o, bool was_activated, bool was_active)
{
	switch (o->kind) {
	case OP_GPC_REFRESH:
		if (!was_activated)
			return "a refresh of a cache never activated: x86 Xen, KVM_XEN_HVM_EVTCHN_SEND on a VM with no "
			       "shared_info (arch/x86/kvm/xen.c: kvm_xen_hvm_evtchn_send() -> kvm_xen_set_evtchn(): "
			       "kvm_xen_set_evtchn_fast()'s kvm_gpc_check() of shinfo_cache fails, then kvm_gpc_refresh(); "
			       "nothing checks shinfo_cache.active)";
		if (!was_active)
			return "a refresh of a deactivated cache: x86 Xen, KVM_XEN_HVM_EVTCHN_SEND after KVM_XEN_HVM_SET_ATTR "
			       "SHARED_INFO gfn=KVM_XEN_INVALID_GFN (arch/x86/kvm/xen.c: kvm_xen_set_evtchn())";
		return "the check-then-refresh loop of every user (arch/x86/kvm/xen.c: kvm_xen_set_evtchn(), "
		       "kvm_xen_shared_info_init(), kvm_xen_update_runstate_guest(), __kvm_xen_has_interrupt(); "
		       "arch/x86/kvm/x86.c: kvm_setup_guest_pvclock())";
	case OP_GPC_ACTIVATE:
		return was_active ? "an activate of an active cache: KVM_XEN_HVM_SET_ATTR SHARED_INFO or KVM_XEN_VCPU_SET_ATTR "
				    "VCPU_INFO/VCPU_TIME_INFO/RUNSTATE_ADDR set again (arch/x86/kvm/xen.c), a guest rewriting "
				    "MSR_KVM_SYSTEM_TIME (arch/x86/kvm/x86.c: kvm_write_system_time())"
				  : "an activate: KVM_XEN_HVM_SET_ATTR SHARED_INFO, KVM_XEN_VCPU_SET_ATTR (arch/x86/kvm/xen.c), "
				    "MSR_KVM_SYSTEM_TIME (arch/x86/kvm/x86.c: kvm_write_system_time())";
	case OP_GPC_ACTIVATE_HVA:
		return "an hva activate: KVM_XEN_HVM_SET_ATTR SHARED_INFO_HVA (arch/x86/kvm/xen.c: kvm_xen_hvm_set_attr())";
	default:
		return "a deactivate: KVM_XEN_HVM_SET_ATTR SHARED_INFO gfn=KVM_XEN_INVALID_GFN, KVM_XEN_VCPU_SET_ATTR "
		       "gpa=KVM_XEN_INVALID_GPA (arch/x86/kvm/xen.c), VM and vCPU teardown";
	}
}

/*
 * kernel warning, said where the call is known: a WARN on a legal sequence,
 * with the caller that issues it. The oracle's generic check (oracle.c) would
 * report the same WARN after the operation, without the caller.
 */
static void gpc_warned(int before, const struct op *o, int cache, bool was_activated, bool was_active)
{
	if (model.nr_warnings <= before || before >= MODEL_MAX_WARNINGS || scenario_mode(pc.h->s) != MODE_LEGAL)
		return;
	gpc_violate(P_KERNEL_WARNING, "WARN in %s at %s:%d: %s; in %s of cache %d, which a real caller issues: %s",
		    model.warnings[before].func, model.warnings[before].file, model.warnings[before].line, model.warnings[before].cond,
		    scenario_op_name(o->kind), cache, gpc_caller(o, was_activated, was_active));
}

static int gpc_call(int index, const struct op *o);

/* Operations on the refreshing cache that its window reached, once its refresh_lock is free. */
static void run_deferred(void)
{
	int ops[GPC_DEFERRED_MAX], n = pc.nr_deferred;

	memcpy(ops, pc.deferred, sizeof(ops));
	pc.nr_deferred = 0;
	pc.running_deferred = true;
	for (int k = 0; k < n; k++) {
		if (pc.h->trace)
			printf("trace: op %d runs after the refresh that held its cache's refresh_lock\n", ops[k]);
		pc.h->run_op_at(pc.h->ctx, ops[k]);
	}
	pc.running_deferred = false;
}

/*
 * Inside a refresh's window (another CPU while its GUP runs): a call on the
 * same cache waits for the refresh_lock the refresh holds (kvm_gpc_activate(),
 * kvm_gpc_refresh(), kvm_gpc_deactivate() all take it), so it runs after the
 * refresh; one on the other cache runs now, whole (windows do not nest).
 */
static int gpc_nested(int index, const struct op *o)
{
	struct window outer = pc.w;

	if (sc_gpc_cache(o->a) == pc.w.cache) {
		if (pc.nr_deferred < GPC_DEFERRED_MAX)
			pc.deferred[pc.nr_deferred++] = index;
		return index;
	}
	pc.w.cache = -1;
	pc.inner = true;
	gpc_call(index, o);
	pc.inner = false;
	pc.w = outer;
	return index;
}

static int gpc_call(int index, const struct op *o)
{
	struct pfncache *c = &pc.c[sc_gpc_cache(o->a)];
	struct kvm *kvm = pc.h->kvm;
	unsigned long len = sc_gpc_len(o->e);
	bool was_activated = c->activated, was_active = c->gpc.active;
	int warnings = model.nr_warnings;
	const char *what = "refresh";
	bool nested = pc.w.cache >= 0;
	kvm_pfn_t old_pfn;
	int ret, last;

	if (o->kind == OP_GPC_ACTIVATE_HVA && !kernel.gpc_hva)
		return index;	/* no kvm_gpc_activate_hva() before 6.9, so no caller (xen.c's SHARED_INFO_HVA came with it): not applicable */
	if (nested)
		return gpc_nested(index, o);
	old_pfn = c->gpc.pfn;
	/* windows do not nest, and a deferred call's window has run already */
	open_window(index, !pc.inner && !pc.running_deferred && sc_gpc_split(o->a) && pc.h->may_split(pc.h->ctx));
	pc.w.cache = (int)(c - pc.c);
	pc.w.fail_gup = sc_gpc_fail_gup(o->a);
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
	pc.w.cache = -1;
	c->activated |= c->gpc.active;
	if (pc.h->trace)
		printf("trace: gpc_%s cache=%d -> %d valid=%d uhva=0x%lx pfn=0x%" PRIx64 " khva page 0x%lx (first GUP: 0x%lx, retries %d)\n",
		       what, (int)(c - pc.c), ret, c->gpc.valid, c->gpc.uhva, (uint64_t)c->gpc.pfn,
		       model_mm_page_of(c->gpc.khva) ? page_to_pfn(model_mm_page_of(c->gpc.khva)) : 0, pc.w.first_pfn,
		       pc.w.gup_calls);
	gpc_warned(warnings, o, (int)(c - pc.c), was_activated, was_active);
	if (c->gpc.valid && c->gpc.pfn != old_pfn) {
		c->installed_at = index;
		c->window_end = pc.w.end;
	}
	/*
	 * A refresh that never reached GUP (still valid, or an error) raced nothing:
	 * the runner goes on with the next operation, and gpc_commit does nothing.
	 */
	last = !pc.w.ran || pc.w.end == index + 1 ? index : pc.w.end < pc.h->s->nr_ops ? pc.w.end : pc.h->s->nr_ops - 1;
	if (pc.nr_deferred && !pc.inner)
		run_deferred();
	return last;
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

	/*
	 * mm/ replaces a present page only between mmu_notifier_invalidate_range_start()
	 * and _end() (mm/memory.c wp_page_copy(), mm/migrate.c, mm/rmap.c
	 * try_to_unmap_one()): elsewhere no caller, not applicable
	 */
	if (!pc.h->inflight_covers(pc.h->ctx, hva, hva + PAGE_SIZE))
		return;
	if (model_mm_replace(hva) && pc.h->trace)
		printf("trace: hva_replace hva=0x%lx pfn 0x%lx -> 0x%lx\n", hva, old, model_mm_pfn_of(hva));
}

int pfncache_op(int index, const struct op *o)
{
	struct pfncache *c = &pc.c[sc_gpc_cache(o->a)];

	if (!kernel.pfncache && o->kind != OP_HVA_REPLACE)
		return index;	/* arm64 builds no pfncache.c (only x86 selects HAVE_KVM_PFNCACHE): no caller, not applicable */
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
		if (pc.w.cache == (int)(c - pc.c)) {	/* its refresh_lock is held by the refresh: it waits */
			gpc_nested(index, o);
			break;
		}
		{
			bool was_activated = c->activated, was_active = c->gpc.active;
			int warnings = model.nr_warnings;

			adapter_gpc_deactivate(pc.h->kvm, &c->gpc);
			gpc_warned(warnings, o, (int)(c - pc.c), was_activated, was_active);
		}
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
	return pc.w.cache >= 0;
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

		if (k == pc.w.cache || !adapter_gpc_check(pc.h->kvm, &c->gpc, 1))
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
	pc.w.cache = -1;
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

/* ---- the family (family.h) ---- */

static void host_run_op_at(void *ctx, int i)
{
	struct run *r = ctx;

	r->run_op_at(r, i);
}

static bool host_inflight_covers(void *ctx, unsigned long start, unsigned long end)
{
	struct run *r = ctx;

	for (int k = 0; k < r->ref.nr_inflight; k++)
		if (r->ref.inflight[k].mm_issued && start >= r->ref.inflight[k].start && end <= r->ref.inflight[k].end)
			return true;
	return false;
}

/* windows do not nest: inside a yield's, a split pfn cache call runs whole */
static bool host_may_split(void *ctx)
{
	struct run *r = ctx;

	return !r->in_window(r);
}

static void family_begin(struct run *r)
{
	static struct pfncache_host h;

	h = (struct pfncache_host){ r->kvm, r->s, r->o->trace, r->check, r->v, r, host_run_op_at, host_inflight_covers,
				    host_may_split };
	pfncache_begin(&h);
}

/* a split call consumes the operations it ran inside its GUP */
int pfncache_family_run(struct run *r, int index, const struct op *o)
{
	(void)r;
	return pfncache_op(index, o);
}

static void family_check(struct run *r)
{
	(void)r;
	pfncache_check();
}

static void family_end(struct run *r)
{
	(void)r;
	pfncache_end();
}

const struct op_family pfncache_family = {
	.begin = family_begin, .run = pfncache_family_run, .check = family_check, .end = family_end, .busy = pfncache_busy,
};

HARNESS_NO_COVERAGE_END
