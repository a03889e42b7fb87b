// SPDX-License-Identifier: GPL-2.0
/*
 * scenario-text: convert scenarios between fuzz-input bytes and text.
 *
 *   scenario-text to-bytes FILE       text (or bytes) -> bytes on stdout
 *   scenario-text to-text FILE        bytes (or text) -> canonical text on stdout
 *   scenario-text check FILE...       each text file is canonical (comments aside)
 *                                     and each byte file survives bytes -> text -> bytes
 *   scenario-text dict                the engines' dictionary of the memslot targets, from
 *                                     the DICT entries of scenario_ops.def
 *
 * Needs no kernel tree: build with any C compiler from scenario_text.c, scenario_parse.c and this file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "scenario_decl.h"

static const char *prog = "scenario-text";

static int read_file(const char *path, char **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0, got;
	char *buf = malloc(cap + 1);

	if (!f || !buf) {
		fprintf(stderr, "%s: %s: cannot read\n", prog, path);
		if (f)
			fclose(f);
		free(buf);
		return -1;
	}
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *bigger = realloc(buf, 2 * cap + 1);

			if (!bigger)
				break;
			buf = bigger;
			cap *= 2;
		}
	}
	fclose(f);
	buf[n] = 0;
	*data = buf;
	*size = n;
	return 0;
}

/* Either form into a scenario. */
static int load(const char *path, struct scenario *s, bool *is_text)
{
	char *data, err[512];
	size_t size;
	int rc = 0;

	if (read_file(path, &data, &size))
		return -1;
	/* FILE.txt is always text, so a text file with a typo is an error, not bytes */
	*is_text = scenario_looks_like_text((const uint8_t *)data, size) ||
		   (strlen(path) > 4 && !strcmp(path + strlen(path) - 4, ".txt"));
	if (*is_text) {
		rc = scenario_parse_text(data, path, s, err, sizeof(err));
		if (rc)
			fprintf(stderr, "%s: %s\n", prog, err);
	} else {
		scenario_decode((const uint8_t *)data, size, s);
	}
	free(data);
	return rc;
}

/* A text file's statements: comments, report indices and extra blanks removed. */
static char *statements(const char *text)
{
	char *out = malloc(strlen(text) + 2), *o = out;

	while (*text) {
		size_t len = strcspn(text, "\n"), k = 0;
		const char *p = text;
		bool word = false, first = true;

		while (k < len && p[k] != '#') {
			if (p[k] == ' ' || p[k] == '\t' || p[k] == '\r') {
				word = false;
				k++;
				continue;
			}
			if (first) {	/* a leading operation index, as in reports */
				size_t d = k;

				while (d < len && p[d] >= '0' && p[d] <= '9')
					d++;
				first = false;
				if (d > k && (d == len || p[d] == ' ' || p[d] == '\t')) {
					k = d;
					continue;
				}
			}
			if (!word && o > out && o[-1] != '\n')
				*o++ = ' ';
			word = true;
			*o++ = p[k++];
		}
		if (o > out && o[-1] != '\n')
			*o++ = '\n';
		text += len + (text[len] == '\n');
	}
	*o = 0;
	return out;
}

static int check(const char *path)
{
	struct scenario s, again;
	uint8_t bytes[1024], bytes2[1024];
	char *data, *canon = NULL, *stmts, err[512];
	size_t size, n, n2, clen = 0;
	bool is_text;
	FILE *mem;
	int rc = 0;

	if (load(path, &s, &is_text))
		return 1;
	mem = open_memstream(&canon, &clen);
	scenario_print_text(mem, &s);
	fclose(mem);
	if (is_text) {
		if (read_file(path, &data, &size))
			return 1;
		stmts = statements(data);
		if (strcmp(stmts, canon)) {
			const char *a = stmts, *b = canon;
			int line = 1;

			while (*a && *a == *b) {	/* report the first statement that differs */
				if (*a == '\n')
					line++;
				a++, b++;
			}
			fprintf(stderr, "%s: %s: statement %d is not in canonical form; canonical text:\n%s", prog, path,
				line, canon);
			rc = 1;
		}
		free(stmts);
		free(data);
	} else {
		n = scenario_encode(&s, bytes, sizeof(bytes));
		if (scenario_parse_text(canon, path, &again, err, sizeof(err))) {
			fprintf(stderr, "%s: %s: its text does not parse: %s\n", prog, path, err);
			rc = 1;
		} else {
			n2 = scenario_encode(&again, bytes2, sizeof(bytes2));
			scenario_decode(bytes2, n2, &again);
			/* the canonical bytes decode to the same operations (unused bits aside) */
			mem = open_memstream(&data, &size);
			scenario_print_text(mem, &again);
			fclose(mem);
			if (strcmp(data, canon)) {
				fprintf(stderr, "%s: %s: bytes -> text -> bytes changed the scenario\n", prog, path);
				rc = 1;
			}
			free(data);
			(void)n;
		}
	}
	free(canon);
	return rc;
}

/* The dictionary: the header of each mode, then each DICT entry's operations as bytes. */
static int dict(void)
{
	printf("# SPDX-License-Identifier: GPL-2.0\n"
	       "# The engines' dictionary of the memslot targets, written by `scenario-text dict` from the\n"
	       "# DICT entries of scenario/scenario_ops.def: whole operations (6 bytes each), so the engines\n"
	       "# splice meaningful steps; and the 2-byte header of each mode.\n");
	for (int m = 0; m < 3; m++)
		printf("header_%s=\"\\x00\\x%02x\"\n", scenario_mode_names[m], m << 2);
	for (const struct sc_dict_entry *d = sc_dict; d->name; d++) {
		static struct scenario s;
		char text[1024], err[512];
		uint8_t bytes[1024];
		size_t n;

		snprintf(text, sizeof(text), "vm address_spaces=2 readonly_mem=1 mmu_invalidate_seq=0x0 generation=0x0 "
			 "mode=legal\n%s\n", d->text);
		for (char *p = text; *p; p++)
			if (*p == ';')
				*p = '\n';
		if (scenario_parse_text(text, d->name, &s, err, sizeof(err))) {
			fprintf(stderr, "%s: dictionary entry %s\n", prog, err);
			return 1;
		}
		n = scenario_encode(&s, bytes, sizeof(bytes));
		printf("%s=\"", d->name);
		for (size_t i = SCENARIO_HEADER_BYTES; i < n; i++)
			printf("\\x%02x", bytes[i]);
		printf("\"\n");
	}
	return fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct scenario s;
	bool is_text;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fprintf(argc < 2 ? stderr : stdout,
			"usage: %s to-bytes FILE | to-text FILE | check FILE... | dict\n", prog);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "to-bytes") || !strcmp(argv[1], "to-text")) {
		if (argc != 3) {
			fprintf(stderr, "%s: %s takes one FILE\n", prog, argv[1]);
			return 2;
		}
		if (load(argv[2], &s, &is_text))
			return 1;
		if (!strcmp(argv[1], "to-text")) {
			scenario_print_text(stdout, &s);
		} else {
			uint8_t bytes[1024];
			size_t n = scenario_encode(&s, bytes, sizeof(bytes));

			if (fwrite(bytes, 1, n, stdout) != n)
				return 1;
		}
		return fflush(stdout) ? 1 : 0;
	}
	if (!strcmp(argv[1], "check")) {
		int bad = 0;

		if (argc < 3) {
			fprintf(stderr, "%s: check takes FILE...\n", prog);
			return 2;
		}
		for (int i = 2; i < argc; i++)
			bad |= check(argv[i]);
		return bad;
	}
	if (!strcmp(argv[1], "dict") && argc == 2)
		return dict();
	fprintf(stderr, "%s: unknown command '%s' (to-bytes, to-text, check, dict)\n", prog, argv[1]);
	return 2;
}
