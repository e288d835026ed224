/*
 * test_strace_piece.c - one big strace file read as independent pieces
 * (sr_strace_plan_pieces and the strace reader's "piece" option,
 * formats/strace/strace_piece.c): the pieces together give the events of
 * the whole file's reading, each once.
 *
 * An event is compared as its JSON Lines record (without the "fmt" keys,
 * which a writer spells relative to the event before) followed by its
 * strace text: fields, line number and spelling.  The corpus files with
 * cut calls, cut every 512 bytes and every 4 KiB, cross hundreds of cut
 * calls, resumptions and exits over piece ends.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr_test.h"
#include "sysrep.h"

struct mem {
	char *p;
	size_t len, cap;
};

static int mem_put(void *ctx, const void *p, size_t n)
{
	struct mem *m = ctx;

	if (m->len + n + 1 > m->cap) {
		size_t nc = (m->len + n + 1) * 2;
		char *q = realloc(m->p, nc);

		if (!q)
			return -1;
		m->p = q;
		m->cap = nc;
	}
	memcpy(m->p + m->len, p, n);
	m->len += n;
	return 0;
}

/* The events' keys, one per event, and the counts. */
struct keys {
	char **k;
	size_t n, cap;
	struct sr_counts c;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void keys_free(struct keys *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->k[i]);
	free(k->k);
	memset(k, 0, sizeof(*k));
}

/* One event through a writer into m (emptied first). */
static void write_one(const struct sr_writer_class *wc, const struct sr_opts *o,
		      const struct sr_batch *b, size_t i, struct mem *m)
{
	struct sr_batch one = *b;
	struct sr_sink *s = NULL;
	struct sr_writer *w = NULL;

	one.ev = &b->ev[i];
	one.n = 1;
	m->len = 0;
	CU_ASSERT_EQUAL_FATAL(sr_sink_open_fn(&s, "mem", mem_put, m, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(wc->open(&w, s, o, NULL), SR_OK);
	CU_ASSERT_EQUAL(wc->write(w, &one, NULL), SR_OK);
	CU_ASSERT_EQUAL(wc->finish(w, NULL), SR_OK);
	wc->close(w);
	CU_ASSERT_EQUAL(sr_sink_close(s, NULL), SR_OK);
}

/* Reads path (the piece spec, or NULL: whole) into k; the reader's status. */
static enum sr_status read_keys(const char *path, const char *spec, struct sr_intern *atoms,
				struct keys *k, struct sr_error *err)
{
	const struct sr_reader_class *rc = sr_reader_find("strace");
	const struct sr_writer_class *jw = sr_writer_find("jsonl"), *tw = sr_writer_find("strace");
	struct sr_opt jo[1] = { { "fmt", "none" } }, po[1] = { { "piece", spec } };
	struct sr_opts jopts = { jo, 1 }, popts = { po, spec ? 1 : 0 };
	struct sr_source *src = NULL;
	struct sr_reader *r = NULL;
	struct sr_batch b;
	struct mem j = { 0 }, t = { 0 };
	enum sr_status st;

	CU_ASSERT_EQUAL_FATAL(sr_batch_init(&b, atoms), SR_OK);
	st = sr_source_open(&src, path, err);
	if (!st)
		st = rc->open(&r, src, &popts, err);
	while (!st && (st = rc->next(r, &b, err)) >= 0) {
		sr_counts_add(&k->c, &b);
		for (size_t i = 0; i < b.n; i++) {
			char *key;

			write_one(jw, &jopts, &b, i, &j);
			write_one(tw, NULL, &b, i, &t);
			key = malloc(j.len + t.len + 1);
			CU_ASSERT_PTR_NOT_NULL_FATAL(key);
			memcpy(key, j.p, j.len);
			memcpy(key + j.len, t.p, t.len);
			key[j.len + t.len] = '\0';
			if (k->n == k->cap) {
				k->cap = k->cap ? k->cap * 2 : 256;
				k->k = realloc(k->k, k->cap * sizeof(*k->k));
				CU_ASSERT_PTR_NOT_NULL_FATAL(k->k);
			}
			k->k[k->n++] = key;
		}
		if (st == SR_END)
			break;
	}
	if (st == SR_END)
		st = SR_OK;
	rc->close(r);
	sr_source_close(src);
	sr_batch_free(&b);
	free(j.p);
	free(t.p);
	return st;
}

static bool same_counts(const struct sr_counts *a, const struct sr_counts *b)
{
	return a->lines == b->lines && a->events == b->events && a->unparsed == b->unparsed &&
	       a->verbatim == b->verbatim && a->attached == b->attached &&
	       memcmp(a->by_kind, b->by_kind, sizeof(a->by_kind)) == 0;
}

/* The pieces of f at size give exactly the whole file's events; returns
 * the number of pieces. */
static size_t check_file(const char *f, uint64_t size)
{
	struct sr_intern *atoms = sr_intern_new();
	struct sr_plan plan = { 0 };
	struct sr_error err = { 0 };
	struct keys whole = { 0 }, parts = { 0 };
	size_t n = 0;

	CU_ASSERT_EQUAL_FATAL(read_keys(f, NULL, atoms, &whole, &err), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_strace_plan_pieces(f, size, &plan, &err), SR_OK);
	for (size_t i = 0; i < plan.n; i++) {
		enum sr_status st = read_keys(f, plan.piece[i].spec, atoms, &parts, &err);

		if (st) {
			fprintf(stderr, "\n%s, piece %zu of %zu: %s (line %llu)\n", f, i, plan.n,
				err.msg, (unsigned long long)err.line);
			CU_FAIL("a piece failed");
		}
	}
	qsort(whole.k, whole.n, sizeof(*whole.k), cmp_str);
	qsort(parts.k, parts.n, sizeof(*parts.k), cmp_str);
	CU_ASSERT_EQUAL(whole.n, parts.n);
	for (size_t i = 0; i < whole.n && i < parts.n; i++)
		if (strcmp(whole.k[i], parts.k[i]) != 0) {
			fprintf(stderr, "\n%s at %llu bytes: %s\n  vs %s\n", f,
				(unsigned long long)size, whole.k[i], parts.k[i]);
			CU_FAIL("the pieces' events differ from the whole file's");
			break;
		}
	if (!same_counts(&whole.c, &parts.c)) {
		fprintf(stderr, "\n%s at %llu bytes: the counts differ\n", f,
			(unsigned long long)size);
		CU_FAIL("the pieces' counts differ from the whole file's");
	}
	n = plan.n;
	sr_plan_free(&plan);
	keys_free(&whole);
	keys_free(&parts);
	sr_intern_free(atoms);
	return n;
}

static bool has_cut_calls(const char *f)
{
	FILE *fp = fopen(f, "rb");
	char line[65536];
	bool yes = false;

	while (fp && !yes && fgets(line, sizeof(line), fp))
		yes = strstr(line, "<unfinished ...>") != NULL;
	if (fp)
		fclose(fp);
	return yes;
}

static void the_pieces_of_a_file_are_its_events_each_once(void)
{
	static const char *const pats[] = { "corpus/*.strace", "corpus/gen/*.strace",
					    "corpus/old/*.strace", "corpus/flagsets/*.strace",
					    "corpus/perpid/*" };
	size_t files = 0, pieces = 0;

	for (size_t p = 0; p < sizeof(pats) / sizeof(pats[0]); p++) {
		glob_t g;

		if (glob(pats[p], 0, NULL, &g))
			continue;
		for (size_t i = 0; i < g.gl_pathc; i++) {
			if (!has_cut_calls(g.gl_pathv[i]))
				continue;
			files++;
			pieces += check_file(g.gl_pathv[i], 512);
			pieces += check_file(g.gl_pathv[i], 4096);
		}
		globfree(&g);
	}
	CU_ASSERT(files >= 35);
	fprintf(stderr, " (%zu files, %zu pieces) ", files, pieces);
	CU_ASSERT(pieces >= 1000);
}

/* A plan whose open calls disagree with the file is caught at the piece's
 * end, not turned into other events. */
static void a_wrong_plan_fails_loudly(void)
{
	const char *f = "corpus/gen/thread-execve-f.strace";
	struct sr_plan plan = { 0 };
	struct sr_intern *atoms = sr_intern_new();
	struct keys k = { 0 };
	struct sr_error err = { 0 };
	char *spec, *semi;

	CU_ASSERT_EQUAL_FATAL(sr_strace_plan_pieces(f, 2048, &plan, &err), SR_OK);
	CU_ASSERT_FATAL(plan.n > 2);
	/* the second piece told that no call is open at its end */
	spec = strdup(plan.piece[1].spec);
	semi = strchr(strchr(spec, ';') + 1, ';');
	CU_ASSERT_PTR_NOT_NULL_FATAL(semi);
	{
		char *rest = strchr(semi + 1, ';');

		if (rest == semi + 1) {
			/* none was open there: claim one */
			char *s2 = malloc(strlen(spec) + 16);

			sprintf(s2, "%.*s;1:read%s", (int)(semi - spec), spec, rest);
			free(spec);
			spec = s2;
		} else {
			memmove(semi + 1, rest, strlen(rest) + 1);
		}
	}
	CU_ASSERT_EQUAL(read_keys(f, spec, atoms, &k, &err), SR_ERR_PARSE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cut calls at the piece's end"));
	CU_ASSERT_STRING_EQUAL(err.file, f);
	CU_ASSERT(err.line > 0);
	/* and a spec that is not one */
	CU_ASSERT_EQUAL(read_keys(f, "12 x", atoms, &k, &err), SR_ERR_USAGE);
	free(spec);
	keys_free(&k);
	sr_plan_free(&plan);
	sr_intern_free(atoms);
}

/* sysrep convert -j N reads a piece with the reader (it seeks), not with
 * the threads, which would read the whole file. */
static void a_piece_is_a_piece_also_with_jobs(void)
{
	const char *f = "corpus/pipeline-f.strace";
	struct sr_plan plan = { 0 };
	struct sr_intern *atoms = sr_intern_new();
	struct sr_error err = { 0 };

	CU_ASSERT_EQUAL_FATAL(sr_strace_plan_pieces(f, 8192, &plan, &err), SR_OK);
	CU_ASSERT_FATAL(plan.n > 3);
	for (size_t i = 0; i < plan.n; i++) {
		struct sr_opt o[1] = { { "piece", plan.piece[i].spec } };
		struct sr_opts fmt = { o, 1 };
		struct sr_convert_opts opts = { .reader = sr_reader_find("strace"), .fmt = &fmt,
						.jobs = 2 };
		struct sr_counts c = { 0 };
		struct keys k = { 0 };

		CU_ASSERT_EQUAL(sr_convert(&opts, &f, 1, NULL, NULL, &c, &err), SR_OK);
		CU_ASSERT_EQUAL(read_keys(f, plan.piece[i].spec, atoms, &k, &err), SR_OK);
		CU_ASSERT_EQUAL(c.events + c.unparsed, k.n);
		CU_ASSERT_EQUAL(c.lines, k.c.lines);
		keys_free(&k);
	}
	sr_plan_free(&plan);
	sr_intern_free(atoms);
}

/* A small file is one piece, read whole; compressed input too. */
static void small_and_compressed_files_are_one_piece(void)
{
	struct sr_plan plan = { 0 };

	CU_ASSERT_EQUAL(sr_strace_plan_pieces("corpus/ls-plain.strace", 1 << 30, &plan, NULL),
			SR_OK);
	CU_ASSERT_EQUAL(plan.n, 1);
	CU_ASSERT_PTR_NULL(plan.piece[0].spec);
	sr_plan_free(&plan);
	CU_ASSERT_EQUAL(sr_strace_plan_pieces("corpus/bench/bench-mixed.strace.zst", 4096, &plan,
					      NULL),
			SR_OK);
	CU_ASSERT_EQUAL(plan.n, 1);
	CU_ASSERT_PTR_NULL(plan.piece[0].spec);
	sr_plan_free(&plan);
	CU_ASSERT_EQUAL(sr_strace_plan_pieces("/nonexistent.strace", 4096, &plan, NULL),
			SR_ERR_IO);
	CU_ASSERT_EQUAL(plan.n, 0);
}

static CU_TestInfo cases[] = {
	{ "the pieces of a file are its events, each once",
	  the_pieces_of_a_file_are_its_events_each_once },
	{ "a wrong plan fails loudly", a_wrong_plan_fails_loudly },
	{ "a piece is a piece also with jobs", a_piece_is_a_piece_also_with_jobs },
	{ "small and compressed files are one piece", small_and_compressed_files_are_one_piece },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_strace_piece = { .name = "strace_piece", .cases = cases };
