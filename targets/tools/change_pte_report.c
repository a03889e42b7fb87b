// SPDX-License-Identifier: GPL-2.0
/*
 * change_pte_report: measure whether KVM's .change_pte callback ever changes a
 * secondary-MMU mapping (project issue 6; the removal series "KVM, mm: remove
 * the .change_pte() MMU notifier and set_pte_at_notify()" argues it cannot).
 *
 * Generates scenarios from a fixed seed and runs them through the same
 * scenario runner and oracle as the fuzz target, in two modes:
 *
 *   legal      change_pte always inside an invalidation of its address, as
 *              mm/ has issued it since 2012 (the runner wraps it if needed);
 *   unwrapped  change_pte where no invalidation covers the address, as mm/
 *              issued it before 2012 (other invalidations may be in flight).
 *
 * It counts, per change_pte event: whether it reached the arch handler
 * (kvm_set_spte_gfn) and whether that found and changed a present mapping.
 * The scenarios are built to give change_pte something to find: memslots,
 * vCPU faults committed right before it, faults raced against explicit
 * invalidations, and (unwrapped) invalidations of other slots in flight.
 *
 * Only the scenario API is used (bytes -> scenario_decode -> scenario_run);
 * whether the kernel has .change_pte at all is the version adapter's answer
 * (kernel.change_pte), never a version check here.
 *
 *   change_pte_report [-n EVENTS] [-s SEED] [-o FILE]
 *
 * -n: change_pte events per mode (not scenarios); the run stops at the first
 * scenario that reaches it. -o: where to write a violating scenario's bytes.
 * Exit 0 with the report; 1 on an oracle violation (its report is printed);
 * 2 on bad usage.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvm_adapter.h"
#include "driver.h"
#include "scenario.h"

/* splitmix64: a fixed seed gives the same scenarios on every machine */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int below(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

/*
 * Byte encodings of the scenario format (see scenario.c): an hva selector is
 * region << 4 | page (page 0-15 of the region); slot selectors are as << 7 | id;
 * a memslot has (d % 32) + 1 pages; a notifier range is (hva selector, pages - 1).
 * Every round ends the invalidations it starts, so "end 0" ends the only one.
 */
struct gen_slot {
	int as, id;
	int region, first;	/* hva: page `first` of hva region `region` */
	int npages;
	bool live;		/* created by the generator (the kernel may still refuse it) */
};

struct gen {
	struct scenario s;
	struct gen_slot slots[4];
	int nr_slots;
	unsigned long change_pte_ops;
};

static bool room(struct gen *g, int n)
{
	return g->s.nr_ops + n <= SCENARIO_MAX_OPS;
}

static void emit(struct gen *g, int kind, int a, int b, int c, int d, int e)
{
	if (g->s.nr_ops < SCENARIO_MAX_OPS)
		g->s.ops[g->s.nr_ops++] = (struct op){ (uint8_t)kind, (uint8_t)a, (uint8_t)b, (uint8_t)c,
						       (uint8_t)d, (uint8_t)e };
	if (kind == OP_CHANGE_PTE)
		g->change_pte_ops++;
}

/* hva selector of page p of slot sl, or -1 if it is beyond page 15 of the region */
static int page_sel(const struct gen_slot *sl, int p)
{
	int page = sl->first + p;

	return page <= 15 ? (sl->region << 4 | page) : -1;
}

static struct gen_slot *pick_slot(struct gen *g)
{
	return g->nr_slots ? &g->slots[below(g->nr_slots)] : NULL;
}

/* resolve and commit a vCPU fault on page p of the slot: a mapping, unless an invalidation is in the way */
static void fault(struct gen *g, const struct gen_slot *sl, int p)
{
	emit(g, OP_FAULT_RESOLVE, sl->as << 7 | sl->id, p, 0, 0, 0);
	emit(g, OP_FAULT_COMMIT, 0, 0, 0, 0, 0);
}

/* change_pte on page p of the slot, at a random byte of the page (the selector adds 0-255) */
static void change_pte_at(struct gen *g, const struct gen_slot *sl, int p)
{
	int sel = page_sel(sl, p);

	if (sel < 0)
		sel = sl->region << 4 | below(16);
	emit(g, OP_CHANGE_PTE, sel, below(256), 0, 0, 0);
}

static void setup(struct gen *g, enum scenario_mode mode)
{
	/* regions 0, 2 and 1 are contiguous (a slot on one can alias a slot on another); 4 and 6 stand apart */
	static const int regions[] = { 0, 0, 2, 1, 4, 6 };
	int n = 1 + below(3);

	memset(g, 0, sizeof(*g));
	g->s.header[0] = below(32);			/* address spaces, read-only support, seq preset */
	g->s.header[1] = below(4) | mode << 2;		/* generation preset, the mode */
	for (int i = 0; i < n; i++) {
		struct gen_slot *sl = &g->slots[g->nr_slots++];

		/*
		 * Address space 0 only: with slots in both, 6.1 calls kvm_null_fn from
		 * invalidate_range_end (callee role, its known bug), which would end the
		 * scenario before its change_pte events.
		 */
		sl->as = 0;
		sl->id = i;
		sl->region = regions[below(6)];
		/* mostly slots whose pages the change_pte selector can all reach */
		sl->first = below(4) ? below(8) : below(16);
		sl->npages = below(4) ? 1 + below(8) : 1 + below(32);
		sl->live = true;
		/* gpa region i (distinct per slot: no -EEXIST), random page; flags: none, LOG_DIRTY or READONLY */
		emit(g, OP_CREATE, sl->as << 7 | sl->id, sl->region << 4 | sl->first, i << 4 | below(16),
		     sl->npages - 1, below(4) == 0 ? 1 + below(2) : 0);
	}
}

/* one round: set a mapping up, issue change_pte where it could find it */
static void round_legal(struct gen *g)
{
	struct gen_slot *sl = pick_slot(g), *other = pick_slot(g);
	int p = below(sl->npages), sel = page_sel(sl, p);

	switch (below(7)) {
	case 0: case 1:	/* fault, then change_pte (the runner wraps it in an invalidation of its page) */
		fault(g, sl, p);
		change_pte_at(g, sl, p);
		break;
	case 2:	/* a fault between the start of the invalidation and change_pte: must retry */
		if (sel < 0)
			goto simple;
		emit(g, OP_INVALIDATE_START, sel, below(3), below(2), 0, 0);
		fault(g, sl, p);
		change_pte_at(g, sl, p);
		emit(g, OP_INVALIDATE_END, 0, 0, 0, 0, 0);
		break;
	case 3:	/* resolved before the start, committed after it: the sequence check must refuse it */
		if (sel < 0)
			goto simple;
		emit(g, OP_FAULT_RESOLVE, sl->as << 7 | sl->id, p, 0, 0, 0);
		emit(g, OP_INVALIDATE_START, sel, 0, 0, 0, 0);
		emit(g, OP_FAULT_COMMIT, 0, 0, 0, 0, 0);
		change_pte_at(g, sl, p);
		emit(g, OP_INVALIDATE_END, 0, 0, 0, 0, 0);
		break;
	case 4:	/* another slot's invalidation in flight; change_pte gets its own */
		fault(g, sl, p);
		emit(g, OP_INVALIDATE_START, other->region << 4 | other->first, 0, 0, 0, 0);
		change_pte_at(g, sl, p);
		emit(g, OP_INVALIDATE_END, 0, 0, 0, 0, 0);
		break;
	case 5:	/* the whole page range of the region, with faults on neighbours first */
		fault(g, sl, p);
		fault(g, sl, below(sl->npages));
		emit(g, OP_CLEAR_YOUNG, sl->region << 4 | sl->first, sl->npages - 1, 0, 0, 0);
		change_pte_at(g, sl, p);
		break;
	default:
simple:		/* change_pte somewhere in the slot's region, mapped or not */
		change_pte_at(g, sl, below(32));
		break;
	}
}

static void round_unwrapped(struct gen *g)
{
	struct gen_slot *sl = pick_slot(g), *other = pick_slot(g);
	int p = below(sl->npages);

	switch (below(6)) {
	case 0: case 1:	/* an invalidation of another slot in flight (it found a memslot), change_pte elsewhere */
		fault(g, sl, p);
		emit(g, OP_INVALIDATE_START, other->region << 4 | (other->first + below(other->npages)) % 16, 0, 0, 0, 0);
		change_pte_at(g, sl, p);
		emit(g, OP_INVALIDATE_END, 0, 0, 0, 0, 0);
		break;
	case 2:	/* nothing in flight: what mm/ did before 2012 */
		fault(g, sl, p);
		change_pte_at(g, sl, p);
		break;
	case 3:	/* an invalidation of unmapped hva space in flight (it found no memslot) */
		fault(g, sl, p);
		emit(g, OP_INVALIDATE_START, 5 << 4 | below(16), 0, 0, 0, 0);
		change_pte_at(g, sl, p);
		emit(g, OP_INVALIDATE_END, 0, 0, 0, 0, 0);
		break;
	case 4:	/* a fault raced against an invalidation of its own page, then change_pte after the end */
		emit(g, OP_FAULT_RESOLVE, sl->as << 7 | sl->id, p, 0, 0, 0);
		emit(g, OP_INVALIDATE_START, sl->region << 4 | sl->first, sl->npages - 1, 0, 0, 0);
		emit(g, OP_FAULT_COMMIT, 0, 0, 0, 0, 0);
		emit(g, OP_INVALIDATE_END, 0, 0, 0, 0, 0);
		change_pte_at(g, sl, p);
		break;
	default:
		change_pte_at(g, sl, below(32));
		break;
	}
}

/* now and then: memslot churn between rounds (moves and deletes zap mappings) */
static void churn(struct gen *g)
{
	struct gen_slot *sl = pick_slot(g);

	switch (below(16)) {
	case 0:
		emit(g, OP_MOVE, sl->as << 7 | sl->id, 0, 3 << 4 | below(16), 0, 0);
		break;
	case 1:
		emit(g, OP_DELETE, sl->as << 7 | sl->id, 0, 0, 0, 0);
		emit(g, OP_CREATE, sl->as << 7 | sl->id, sl->region << 4 | sl->first, (sl->id & 3) << 4 | below(16),
		     sl->npages - 1, 0);
		break;
	case 2:
		emit(g, OP_CLEAR_FLUSH_YOUNG, sl->region << 4 | sl->first, sl->npages - 1, 0, 0, 0);
		break;
	}
}

static void generate(struct gen *g, enum scenario_mode mode)
{
	setup(g, mode);
	/* a round takes at most 6 operations, churn 2 */
	while (room(g, 8)) {
		if (mode == MODE_CHANGE_PTE_UNWRAPPED)
			round_unwrapped(g);
		else
			round_legal(g);
		churn(g);
	}
}

struct tally {
	unsigned long scenarios, change_pte_ops;
	struct run_stats st;
};

static const char *out_file;

/* Runs scenarios of one mode until `events` change_pte events; false on a violation (reported). */
static bool measure(enum scenario_mode mode, const char *name, unsigned long events, uint64_t seed, struct tally *t)
{
	static struct gen g;
	struct run_options o = { .gmem_only_check = true, .trace = false };
	/* on a kernel without .change_pte no event happens: count the operations that would have been events */
	unsigned long *count = kernel.change_pte ? &t->st.change_pte_events : &t->change_pte_ops;
	unsigned long cap = events + 1000;	/* a scenario issues several: far more than enough */

	memset(t, 0, sizeof(*t));
	rng_state = seed;
	while (*count < events) {
		struct verdict v;
		uint8_t bytes[SCENARIO_HEADER_BYTES + SCENARIO_MAX_OPS * OP_BYTES];
		size_t n;

		if (t->scenarios == cap) {
			fprintf(stderr, "change_pte_report: %s: only %lu events in %lu scenarios\n", name, *count,
				t->scenarios);
			return false;
		}
		generate(&g, mode);
		/* through the bytes, as a fuzz input or a saved reproducer would go */
		n = scenario_encode(&g.s, bytes, sizeof(bytes));
		scenario_decode(bytes, n, &g.s);
		if (scenario_mode(&g.s) != mode) {
			fprintf(stderr, "change_pte_report: the header does not select mode %s\n", name);
			return false;
		}
		scenario_run(&g.s, &o, &v, &t->st);
		t->scenarios++;
		t->change_pte_ops += g.change_pte_ops;
		if (v.violated) {
			printf("change_pte %s: oracle violation in scenario %lu (seed %llu)\n", name, t->scenarios,
			       (unsigned long long)seed);
			scenario_report(stdout, &g.s, &v);
			if (out_file) {
				FILE *f = fopen(out_file, "wb");

				if (!f || fwrite(bytes, 1, n, f) != n || fclose(f))
					fprintf(stderr, "change_pte_report: %s: %s\n", out_file, strerror(errno));
				else
					printf("change_pte %s: scenario written to %s\n", name, out_file);
			}
			fflush(stdout);
			return false;
		}
	}
	return true;
}

static void report(const char *name, enum scenario_mode mode, const struct tally *t)
{
	const struct run_stats *st = &t->st;

	if (!kernel.change_pte) {
		printf("change_pte %s: not applicable: .change_pte does not exist in kernel %s\n", name, kernel.version);
		return;
	}
	printf("change_pte %s: %lu events, %lu reached the arch handler, %lu changed a mapping\n", name,
	       st->change_pte_events, st->change_pte_reached, st->change_pte_changed);
	if (mode == MODE_LEGAL) {
		if (st->change_pte_changed == 0)
			printf("  legal: no event changed a mapping (%lu reached kvm_set_spte_gfn and found no present "
			       "mapping, though vCPU faults installed %lu, most on the page a change_pte then hit: "
			       "invalidate_range_start had zapped it), so on kernel %s .change_pte inside an invalidation "
			       "is dead code, as the removal series argued.\n",
			       st->change_pte_reached, st->faults_installed, kernel.version);
		else
			printf("  legal: %lu events changed a mapping inside an invalidation, so .change_pte is NOT "
			       "dead on kernel %s.\n", st->change_pte_changed, kernel.version);
	} else if (st->change_pte_changed) {
		printf("  unwrapped: %lu events changed a mapping, so the callback does act when mm/ calls it "
		       "outside an invalidation of the address (%lu of %lu reached the handler: kernel %s's "
		       "kvm_mmu_notifier_change_pte returns early unless an invalidation elsewhere that found a "
		       "memslot is in progress).\n", st->change_pte_changed, st->change_pte_reached,
		       st->change_pte_events, kernel.version);
	} else {
		printf("  unwrapped: no event changed a mapping even outside an invalidation (%lu reached the "
		       "handler), so on kernel %s .change_pte is dead in this mode too.\n",
		       st->change_pte_reached, kernel.version);
	}
}

static void usage(FILE *f)
{
	fprintf(f, "usage: change_pte_report [-n EVENTS] [-s SEED] [-o FILE]\n"
		"  -n EVENTS  change_pte events per mode (default 1000000)\n"
		"  -s SEED    generator seed (default 1)\n"
		"  -o FILE    write a violating scenario's bytes there (replay it with replay_memslot_notifier)\n");
}

static bool number(const char *s, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return *s && *s != '-' && !*end && !errno;
}

int main(int argc, char **argv)
{
	static const struct { enum scenario_mode mode; const char *name; } modes[] = {
		{ MODE_LEGAL, "legal" },
		{ MODE_CHANGE_PTE_UNWRAPPED, "change_pte_unwrapped" },
	};
	unsigned long long events = 1000000, seed = 1;
	struct tally t;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			usage(stdout);
			return 0;
		}
		if (strcmp(arg, "-n") && strcmp(arg, "-s") && strcmp(arg, "-o")) {
			fprintf(stderr, "change_pte_report: unknown argument '%s'\n", arg);
			usage(stderr);
			return 2;
		}
		if (i + 1 == argc) {
			fprintf(stderr, "change_pte_report: %s wants a value\n", arg);
			return 2;
		}
		if (!strcmp(arg, "-o")) {
			out_file = argv[++i];
		} else if (!number(argv[++i], !strcmp(arg, "-n") ? &events : &seed) || (!strcmp(arg, "-n") && !events)) {
			fprintf(stderr, "change_pte_report: %s wants a positive number, not '%s'\n", arg, argv[i]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		if (!measure(modes[m].mode, modes[m].name, events, seed, &t))
			return 1;
		report(modes[m].name, modes[m].mode, &t);
	}
	return 0;
}
