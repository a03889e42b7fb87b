// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: random memslot layouts, guest_memfd bindings, notifier events
 * and vCPU faults through the real KVM code, checked by the oracle after every
 * operation. A violation prints "ORACLE VIOLATION: <property>: <detail>" and
 * the readable scenario, then aborts so the engine keeps the input.
 *
 * Environment:
 *   KVM_HVA_FUZZ_RECORD_DIR=DIR  record each oracle finding once, as DIR/recorded-PROPERTY
 *     (its first input) and DIR/recorded-PROPERTY.report, and go on fuzzing: a known
 *     finding costs one scenario, not a process restart (run-fuzz.sh sets it; without
 *     it, as under OSS-Fuzz, a finding aborts). A BUG() or a sanitizer report still aborts.
 *   KVM_HVA_FUZZ_VERDICT_LINES=1  one line per input on stdout, "verdict: clean" or
 *     "verdict: oracle: PROPERTY" (the report on stderr), and on to the next input: the
 *     replayer's --each, which replays a whole corpus in one process
 *   KVM_HVA_FUZZ_UAPI=code  where kernels' return codes differ, the code's own are the
 *     uAPI rather than its version's (oracle/uapi.c): a patch that declares the change
 *   KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0  switch the first law off (fuzz unpatched
 *     kernels for other bugs); =1 switches it on (older name: KVM_HVA_FUZZ_GMEM_ONLY_CHECK)
 * Built with -DGMEM_ONLY_CHECK_DEFAULT=0 (the target
 * fuzz_memslot_notifier_gmem_only_untouched_off), the first law is off unless the
 * environment switches it on, so continuous fuzzing of an unpatched kernel,
 * which breaks the first law within seconds, still looks for everything else.
 * The scenario header selects the mode: legal (what mm/ issues), illegal (also
 * unpaired invalidate ends) or change_pte_unwrapped (change_pte outside invalidations).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"
#include "scenario.h"
#include "scenario_decl.h"

#ifndef GMEM_ONLY_CHECK_DEFAULT
#define GMEM_ONLY_CHECK_DEFAULT 1
#endif

static struct run_options options;
static const char *record_dir;
static bool verdict_lines;

/*
 * What makes two findings one (scripts/lib.sh's finding_key): the property, and for a kernel
 * warning the function that WARNed, as syzbot titles it: "kernel warning in __kvm_gpc_refresh".
 */
static void finding_key(const struct verdict *v, char *key, size_t n)
{
	const char *fn = strncmp(v->detail, "WARN in ", 8) ? NULL : v->detail + 8;

	if (fn)
		snprintf(key, n, "%s in %.*s", v->property, (int)strcspn(fn, " "), fn);
	else
		snprintf(key, n, "%s", v->property);
}

/* DIR/recorded-SLUG of a finding: "gmem-only untouched" -> recorded-gmem-only-untouched */
static void record_path(char *path, size_t n, const char *key, const char *suffix)
{
	int len = snprintf(path, n, "%s/recorded-", record_dir);

	for (const char *p = key; *p && len + 1 < (int)n; p++)
		path[len++] = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ? *p : '-';
	path[len] = 0;
	strncat(path, suffix, n - strlen(path) - 1);
}

/*
 * The first input of a finding, once per run (the engine's jobs share DIR): written aside, then
 * linked into place, so a second job finding it at once keeps the first and a reader never sees
 * half a file. True if this call recorded it.
 */
static bool record_finding(const uint8_t *data, size_t size, const struct scenario *s, const struct verdict *v)
{
	char path[4096], tmp[4096], key[160];
	FILE *f;
	bool first;

	finding_key(v, key, sizeof(key));
	record_path(path, sizeof(path), key, "");
	if (!access(path, F_OK))
		return false;
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	f = fopen(tmp, "w");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
		fprintf(stderr, "fuzz_memslot_notifier: cannot write %s\n", tmp);
		abort();
	}
	first = !link(tmp, path);
	unlink(tmp);
	if (first) {
		record_path(path, sizeof(path), key, ".report");
		f = fopen(path, "w");
		if (f) {
			scenario_report(f, s, v);
			fclose(f);
		}
		fprintf(stderr, "fuzz_memslot_notifier: recorded finding, fuzzing goes on: %s (%s)\n", key, path);
	}
	return first;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	run_options_from_env(&options);
	if (!gmem_only_untouched_option())
		options.gmem_only_check = GMEM_ONLY_CHECK_DEFAULT;
	setvbuf(stderr, NULL, _IOLBF, 0);
	verdict_lines = getenv("KVM_HVA_FUZZ_VERDICT_LINES") && !strcmp(getenv("KVM_HVA_FUZZ_VERDICT_LINES"), "1");
	record_dir = getenv("KVM_HVA_FUZZ_RECORD_DIR");
	if (record_dir && !*record_dir)
		record_dir = NULL;
	options.teardown_after_violation = record_dir || verdict_lines;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scenario s;
	struct verdict v;

	scenario_decode(data, size, &s);
	scenario_run(&s, &options, &v, NULL);
	if (verdict_lines && (!v.violated || v.torn_down)) {
		char key[128] = "";

		if (v.violated) {
			scenario_report(stderr, &s, &v);
			finding_key(&v, key, sizeof(key));	/* as run-fuzz and check-patch key a finding */
		}
		printf("verdict: %s%s\n", v.violated ? "oracle: " : "clean", key);
		fflush(stdout);
		return 0;
	}
	if (v.violated) {
		if (record_dir && v.torn_down) {
			record_finding(data, size, &s, &v);
			return 0;
		}
		scenario_report(stderr, &s, &v);
		abort();
	}
	return 0;
}

/*
 * Structure-aware mutations (libFuzzer, centipede): half the time the engine's
 * own byte mutations; otherwise whole operations at operation boundaries --
 * insert a copy of an operation with one byte changed, insert a random one or
 * a yield (a point, its first or second hit, a window of the next one to
 * three operations: another CPU where it can matter), delete one, swap two --
 * which byte mutations rarely keep aligned; or one field of one operation set
 * to another value its declaration allows (scenario_ops.def: its bits only,
 * the operation's other fields kept).
 */
__attribute__((weak)) size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

/* the engine's byte mutations where it offers them (a weak symbol: not every engine does) */
static size_t engine_mutate(uint8_t *data, size_t size, size_t max_size)
{
	return LLVMFuzzerMutate ? LLVMFuzzerMutate(data, size, max_size) : size;
}

/* One declared field of the operation at op (kind first) gets new bits; false if it has none. */
static bool mutate_field(uint8_t *op, unsigned int *rnd)
{
	const struct sc_field *fields = sc_ops[op[0] % OP_NR].fields;
	const struct sc_field *f;
	int n = 0;

	while (fields[n].key)
		n++;
	if (!n)
		return false;
	f = &fields[rand_r(rnd) % n];
	if (f->mask || f->codec == SC_FLAGS) {	/* a bit field: a new value in its bits, the byte's other bits kept */
		uint8_t bits = (uint8_t)(f->mask << f->shift);

		for (int i = 0; f->codec == SC_FLAGS && i < f->nr; i++)
			bits |= (uint8_t)((const struct sc_flag_name *)f->table)[i].bit;

		op[f->byte] = (uint8_t)((op[f->byte] & ~bits) | (((unsigned int)rand_r(rnd) << f->shift) & bits));
		return true;
	}
	/* a field of whole bytes (a slot, an address, a preset with its adjustment): one of them anew */
	{
		uint8_t bytes[3] = { f->byte, f->byte2, f->byte3 };
		int k = rand_r(rnd) % (f->byte3 ? 3 : f->byte2 ? 2 : 1);

		op[bytes[k]] = (uint8_t)rand_r(rnd);
	}
	return true;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	unsigned int rnd = seed;
	size_t nops, at, from;
	uint8_t op[OP_BYTES];

	if (size < SCENARIO_HEADER_BYTES || (rand_r(&rnd) & 1))
		return engine_mutate(data, size, max_size);
	nops = (size - SCENARIO_HEADER_BYTES) / OP_BYTES;
	size = SCENARIO_HEADER_BYTES + nops * OP_BYTES;	/* a partial operation reads as zeros anyway */
	switch (rand_r(&rnd) % 5) {
	case 4:
		if (!nops)
			return engine_mutate(data, size, max_size);
		at = SCENARIO_HEADER_BYTES + rand_r(&rnd) % nops * OP_BYTES;
		if (!mutate_field(data + at, &rnd))
			return engine_mutate(data, size, max_size);
		return size;
	case 0:
	case 1:
		if (size + OP_BYTES > max_size || nops >= SCENARIO_MAX_OPS)
			return engine_mutate(data, size, max_size);
		if (nops && (rand_r(&rnd) & 1)) {
			from = SCENARIO_HEADER_BYTES + rand_r(&rnd) % nops * OP_BYTES;
			memcpy(op, data + from, OP_BYTES);
			op[rand_r(&rnd) % OP_BYTES] = (uint8_t)rand_r(&rnd);
		} else if (nops && !(rand_r(&rnd) & 3)) {
			memset(op, 0, OP_BYTES);
			op[0] = OP_YIELD;
			op[1] = (uint8_t)(rand_r(&rnd) % SC_YIELD_POINTS);
			op[2] = (uint8_t)(rand_r(&rnd) & 1);
			op[3] = (uint8_t)(rand_r(&rnd) % 3);
		} else {
			for (int i = 0; i < OP_BYTES; i++)
				op[i] = (uint8_t)rand_r(&rnd);
		}
		at = SCENARIO_HEADER_BYTES + rand_r(&rnd) % (nops + 1) * OP_BYTES;
		memmove(data + at + OP_BYTES, data + at, size - at);
		memcpy(data + at, op, OP_BYTES);
		return size + OP_BYTES;
	case 2:
		if (!nops)
			return engine_mutate(data, size, max_size);
		at = SCENARIO_HEADER_BYTES + rand_r(&rnd) % nops * OP_BYTES;
		memmove(data + at, data + at + OP_BYTES, size - at - OP_BYTES);
		return size - OP_BYTES;
	default:
		if (nops < 2)
			return engine_mutate(data, size, max_size);
		at = SCENARIO_HEADER_BYTES + rand_r(&rnd) % nops * OP_BYTES;
		from = SCENARIO_HEADER_BYTES + rand_r(&rnd) % nops * OP_BYTES;
		memcpy(op, data + at, OP_BYTES);
		memmove(data + at, data + from, OP_BYTES);
		memcpy(data + from, op, OP_BYTES);
		return size;
	}
}
