// SPDX-License-Identifier: GPL-2.0
/*
 * bench_bare: the bare rate and the oracle's cost (bench/run.sh, BENCHMARKS.md).
 *
 * Decodes the given scenarios once, then runs them in a plain loop through the
 * same extracted kernel code as the fuzz targets, alternately with the oracle
 * off (run option oracle_off: the operations only) and on (the reference model
 * and every check, as a fuzz target runs them), in the same process on the
 * same inputs. No engine; built without a sanitizer this is the bare rate.
 *
 *   bench_bare [-t SECONDS] [-r ROUNDS] FILE|DIR...
 *
 * -t: seconds per round and mode (default 2); -r: rounds (default 3, the
 * median is reported). Text scenarios are converted as the replayers do.
 * An input the oracle rejects on this kernel is left out (each is tried in a
 * child process first, since a violation leaves the VM behind) and named;
 * KVM_HVA_FUZZ_GMEM_ONLY_UNTOUCHED=0 keeps the first law out of it, as for the
 * first-law-off target. Output (the last three lines are for scripts):
 *
 *   bench_bare: 84 inputs (83 files, ...)
 *   oracle_off_execs_per_sec 123456 (rounds: ...)
 *   oracle_on_execs_per_sec 98765 (rounds: ...)
 *   overhead 1.25
 *
 * Exit 0; 2 on bad usage or unreadable input.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "driver.h"
#include "scenario.h"

#define MAX_INPUTS 4096

static struct scenario *inputs;
static const char *names[MAX_INPUTS];
static int nr_inputs;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int load_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	static uint8_t buf[1 << 16];
	size_t n;

	if (!f) {
		fprintf(stderr, "bench_bare: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	if (nr_inputs == MAX_INPUTS) {
		fprintf(stderr, "bench_bare: more than %d inputs\n", MAX_INPUTS);
		return -1;
	}
	if (scenario_looks_like_text(buf, n) || (strlen(path) > 4 && !strcmp(path + strlen(path) - 4, ".txt"))) {
		uint8_t bytes[1024];
		char err[512];
		size_t len;

		buf[n] = 0;
		if (scenario_text_to_bytes((char *)buf, path, bytes, sizeof(bytes), &len, err, sizeof(err))) {
			fprintf(stderr, "bench_bare: %s\n", err);
			return -1;
		}
		scenario_decode(bytes, len, &inputs[nr_inputs]);
	} else {
		scenario_decode(buf, n, &inputs[nr_inputs]);
	}
	names[nr_inputs++] = strdup(path);
	return 0;
}

static int load_path(const char *path)
{
	struct stat st;
	struct dirent **list;
	int n, rc = 0;

	if (stat(path, &st)) {
		fprintf(stderr, "bench_bare: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(path);
	n = scandir(path, &list, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		char sub[4096];
		const char *d = list[i]->d_name;

		/* notes beside the scenarios (SELFTESTS.md) are not inputs */
		if (!rc && d[0] != '.' && !(strlen(d) > 3 && !strcmp(d + strlen(d) - 3, ".md"))) {
			snprintf(sub, sizeof(sub), "%s/%s", path, d);
			rc = load_path(sub);
		}
		free(list[i]);
	}
	free(list);
	return n < 0 ? -1 : rc;
}

/* Does the input pass the oracle on this kernel? In a child: a violation leaves the VM behind. */
static bool passes(const struct scenario *s, const struct run_options *o)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct verdict v;

		scenario_run(s, o, &v, NULL);
		_exit(v.violated ? 1 : 0);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Whole passes over the inputs for at least `seconds`; returns runs per second. */
static double measure(const struct run_options *o, double seconds)
{
	unsigned long runs = 0;
	double t0 = now(), t;
	struct verdict v;

	do {
		for (int i = 0; i < nr_inputs; i++) {
			scenario_run(&inputs[i], o, &v, NULL);
			if (v.violated) {	/* passed in the child: the harness is not deterministic */
				fprintf(stderr, "bench_bare: %s: violation on a second run\n", names[i]);
				scenario_report(stderr, &inputs[i], &v);
				exit(1);
			}
		}
		runs += nr_inputs;
	} while ((t = now() - t0) < seconds);
	return runs / t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void print_rates(const char *key, double *r, int n)
{
	printf("%s %.0f (rounds:", key, r[n / 2]);
	for (int i = 0; i < n; i++)
		printf(" %.0f", r[i]);
	printf(")\n");
}

int main(int argc, char **argv)
{
	struct run_options on, off;
	double seconds = 2, off_rate[15], on_rate[15];
	int rounds = 3, first = 1, kept = 0, files;

	for (; first < argc && argv[first][0] == '-'; first += 2) {
		char *end;

		if (first + 1 == argc || (strcmp(argv[first], "-t") && strcmp(argv[first], "-r"))) {
			fprintf(stderr, "usage: bench_bare [-t SECONDS] [-r ROUNDS] FILE|DIR...\n");
			return 2;
		}
		if (!strcmp(argv[first], "-t"))
			seconds = strtod(argv[first + 1], &end);
		else
			rounds = (int)strtol(argv[first + 1], &end, 10);
		if (*end || seconds <= 0 || rounds < 1 || rounds > 15) {
			fprintf(stderr, "bench_bare: %s wants a positive number (rounds at most 15), not '%s'\n",
				argv[first], argv[first + 1]);
			return 2;
		}
	}
	if (first == argc) {
		fprintf(stderr, "usage: bench_bare [-t SECONDS] [-r ROUNDS] FILE|DIR...\n");
		return 2;
	}
	inputs = calloc(MAX_INPUTS, sizeof(*inputs));
	if (!inputs)
		return 2;
	for (int i = first; i < argc; i++)
		if (load_path(argv[i]))
			return 2;
	files = nr_inputs;
	run_options_from_env(&on);
	on.trace = false;
	off = on;
	off.oracle_off = true;

	fflush(stdout);
	for (int i = 0; i < nr_inputs; i++) {
		if (passes(&inputs[i], &on)) {
			inputs[kept] = inputs[i];
			names[kept++] = names[i];
		} else {
			printf("bench_bare: left out (the oracle rejects it on this kernel): %s\n", names[i]);
		}
	}
	nr_inputs = kept;
	if (!nr_inputs) {
		fprintf(stderr, "bench_bare: no input passes the oracle\n");
		return 2;
	}
	printf("bench_bare: %d inputs (of %d), %d round(s) of %g s per mode, first law %s\n", nr_inputs, files,
	       rounds, seconds, on.gmem_only_check ? "on" : "off");
	measure(&on, seconds / 10);	/* warm caches and the allocator */
	for (int i = 0; i < rounds; i++) {
		off_rate[i] = measure(&off, seconds);
		on_rate[i] = measure(&on, seconds);
	}
	qsort(off_rate, rounds, sizeof(double), cmp_double);
	qsort(on_rate, rounds, sizeof(double), cmp_double);
	print_rates("oracle_off_execs_per_sec", off_rate, rounds);
	print_rates("oracle_on_execs_per_sec", on_rate, rounds);
	/* time per input with the oracle over time per input without it */
	printf("overhead %.2f\n", off_rate[rounds / 2] / on_rate[rounds / 2]);
	return 0;
}
