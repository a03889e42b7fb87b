// SPDX-License-Identifier: GPL-2.0
/*
 * A plain main for any fuzz target: replays the files (or directories of
 * files) it is given, in order, and exits non-zero at the first finding.
 * With --each first, every input is replayed: "replay-file: PATH" on stdout
 * before it, and the target says its verdict (KVM_HVA_FUZZ_VERDICT_LINES=1);
 * an input that crashes the process is the one after the last verdict.
 * Built with any compiler (gcc included) and no fuzzing engine; the test suite
 * uses it to replay the corpus. Text scenarios (scenario/scenario_text.c) are
 * converted to bytes first, so a corpus file replays as it is committed.
 */
#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);
/* targets with a text form (scenario/scenario_text.c) also replay text files */
__attribute__((weak)) bool scenario_looks_like_text(const uint8_t *data, size_t size);
__attribute__((weak)) int scenario_text_to_bytes(const char *text, const char *file, uint8_t *buf, size_t cap,
						 size_t *len, char *err, size_t errlen);

/* coverage builds: a finding aborts, so write the profile first (LLVM's writer runs at exit only) */
__attribute__((weak)) int __llvm_profile_write_file(void);
static void write_profile_and_abort(int sig)
{
	if (__llvm_profile_write_file)
		__llvm_profile_write_file();
	signal(sig, SIG_DFL);
	raise(sig);
}

static bool each;

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		if (f)
			fclose(f);
		return 1;
	}
	buf = malloc(n ? n : 1);
	if (!buf || fread(buf, 1, n, f) != (size_t)n) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		fclose(f);
		free(buf);
		return 1;
	}
	fclose(f);
	if (scenario_looks_like_text && (scenario_looks_like_text(buf, n) ||
					 (strlen(path) > 4 && !strcmp(path + strlen(path) - 4, ".txt")))) {
		uint8_t bytes[1024];
		char *text = malloc(n + 1), err[512];
		size_t len;
		int rc;

		memcpy(text, buf, n);
		text[n] = 0;
		rc = scenario_text_to_bytes(text, path, bytes, sizeof(bytes), &len, err, sizeof(err));
		free(text);
		free(buf);
		if (rc) {
			fprintf(stderr, "replay: %s\n", err);
			return 1;
		}
		LLVMFuzzerTestOneInput(bytes, len);
		return 0;
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int replay_path(const char *path, int *count)
{
	struct stat st;
	struct dirent **names;
	int n, rc = 0;

	if (stat(path, &st)) {
		fprintf(stderr, "replay: %s: no such file\n", path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		if (each) {
			printf("replay-file: %s\n", path);
			fflush(stdout);
			if (replay_file(path))
				printf("verdict: bad input\n");
			return 0;
		}
		return replay_file(path);
	}
	n = scandir(path, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		char sub[4096];

		if (names[i]->d_name[0] != '.' && !rc) {
			snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name);
			rc = replay_path(sub, count);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int count = 0;

	if (__llvm_profile_write_file)
		signal(SIGABRT, write_profile_and_abort);
	if (argc > 1 && !strcmp(argv[1], "--each")) {
		each = true;
		setenv("KVM_HVA_FUZZ_VERDICT_LINES", "1", 1);
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc < 2) {
		fprintf(stderr, "usage: %s [--each] FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (replay_path(argv[i], &count))
			return 1;
	fprintf(stderr, "replay: %d input(s), no finding\n", count);
	return 0;
}
