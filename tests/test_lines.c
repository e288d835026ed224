/*
 * test_lines.c - the table of strace lines and the JSON Lines each must give
 * (tests/golden/lines.txt, format described in its header).
 *
 * Every case goes through the library as the CLI runs it: the strace reader
 * and the jsonl writer (sr_convert into a sink), compared with the expected
 * lines exactly; then the strace reader and the strace writer, compared with
 * the input byte for byte.  One CUnit test loops over all the cases so that
 * a run reports every failing case, each with its first input line, the
 * expected and the actual output; the test fails when any case does.
 *
 * The table is read relative to the current directory, which "make check"
 * sets to the repository root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sr_test.h"
#include "sysrep.h"

#define LINES_PATH "tests/golden/lines.txt"

/* A growable byte buffer. */
struct bytes {
	char *p; /* owned */
	size_t n, cap;
};

static int bytes_add(struct bytes *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (b->n + n + 1 > cap)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

/* One case of the table. */
struct lcase {
	uint64_t line;      /* line of the table where the case starts */
	struct bytes in;    /* the input lines, each ended by '\n' */
	struct bytes want;  /* the expected JSON Lines, each ended by '\n' */
	size_t first_len;   /* length of the first input line */
};

static void lcase_free(struct lcase *c)
{
	free(c->in.p);
	free(c->want.p);
	memset(c, 0, sizeof(*c));
}

/* Reads a whole file; NULL when it cannot. */
static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	struct bytes b = { 0 };
	char buf[65536];
	size_t got;

	if (!f)
		return NULL;
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		if (bytes_add(&b, buf, got)) {
			free(b.p);
			fclose(f);
			return NULL;
		}
	fclose(f);
	if (!b.p && bytes_add(&b, "", 0))
		return NULL;
	*n = b.n;
	return b.p;
}

static int write_file(const char *path, const char *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(p, 1, n, f) == n;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Converts the file at in with the strace reader and the writer wc into a
 * new buffer (*out, *n); returns the status of the run. */
static enum sr_status run(const char *in, const struct sr_writer_class *wc, const char *outp,
			  char **out, size_t *n, struct sr_error *err)
{
	const struct sr_convert_opts opts = { .reader = sr_reader_find("strace") };
	const char *paths[] = { in };
	struct sr_sink *sink = NULL;
	enum sr_status st;

	*out = NULL;
	*n = 0;
	st = sr_sink_open(&sink, outp, err);
	if (st)
		return st;
	st = sr_convert(&opts, paths, 1, wc, sink, NULL, err);
	if (st) {
		sr_sink_abort(sink);
		return st;
	}
	st = sr_sink_close(sink, err);
	if (st)
		return st;
	*out = slurp(outp, n);
	return *out ? SR_OK : sr_error_set(err, SR_ERR_IO, "cannot read %s", outp);
}

/* Prints a failure report of case c: the kind of check, its first input
 * line, and the two texts. */
static void report(const struct lcase *c, const char *what, const char *want, size_t wn,
		   const char *got, size_t gn)
{
	printf("\n  %s:%llu: %s: %.*s\n", LINES_PATH, (unsigned long long)c->line, what,
	       (int)c->first_len, c->in.p);
	printf("  --- expected\n%.*s", (int)wn, want);
	if (wn && want[wn - 1] != '\n')
		printf("\n");
	printf("  --- actual\n%.*s", (int)gn, got);
	if (gn && got[gn - 1] != '\n')
		printf("\n");
}

/* Runs both checks on one case; returns the number of checks that failed. */
static int check_case(const struct lcase *c, const char *inp, const char *outp)
{
	const struct sr_writer_class *jsonl = sr_writer_find("jsonl");
	const struct sr_writer_class *strace = sr_writer_find("strace");
	struct sr_error err = { 0 };
	char *got, ebuf[512];
	size_t gn;
	int fails = 0;

	if (write_file(inp, c->in.p, c->in.n)) {
		report(c, "cannot write the input", "", 0, "", 0);
		return 1;
	}
	if (run(inp, jsonl, outp, &got, &gn, &err)) {
		sr_error_format(&err, ebuf, sizeof(ebuf));
		report(c, "jsonl run failed", c->want.p, c->want.n, ebuf, strlen(ebuf));
		fails++;
	} else {
		if (gn != c->want.n || memcmp(got, c->want.p, gn)) {
			report(c, "jsonl differs", c->want.p, c->want.n, got, gn);
			fails++;
		}
		free(got);
	}
	memset(&err, 0, sizeof(err));
	if (run(inp, strace, outp, &got, &gn, &err)) {
		sr_error_format(&err, ebuf, sizeof(ebuf));
		report(c, "strace run failed", c->in.p, c->in.n, ebuf, strlen(ebuf));
		fails++;
	} else {
		if (gn != c->in.n || memcmp(got, c->in.p, gn)) {
			report(c, "round trip differs", c->in.p, c->in.n, got, gn);
			fails++;
		}
		free(got);
	}
	return fails;
}

/* Parses the table and checks each case as soon as it is complete. */
static void every_line_shape_gives_its_json_and_round_trips(void)
{
	char inp[] = "/tmp/sr_test_lines_in.XXXXXX";
	char outp[] = "/tmp/sr_test_lines_out.XXXXXX";
	struct lcase c = { 0 };
	size_t n, pos = 0;
	uint64_t lineno = 0;
	int ncases = 0, failed = 0, bad_format = 0;
	char *text = slurp(LINES_PATH, &n);
	int fd;

	if (!text)
		CU_FAIL_FATAL("cannot read " LINES_PATH " (run from the repository root)");
	fd = mkstemp(inp);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	fd = mkstemp(outp);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);

	while (pos <= n) {
		const char *l = text + pos;
		const char *nl = pos < n ? memchr(l, '\n', n - pos) : NULL;
		size_t len = nl ? (size_t)(nl - l) : n - pos;
		bool end = pos >= n;

		if (!end)
			lineno++;
		pos += len + 1;
		if (!end && len >= 1 && l[0] == '<' && (len == 1 || l[1] == ' ')) {
			if (c.want.n) {
				printf("\n  %s:%llu: input after expected lines (missing blank line?)\n",
				       LINES_PATH, (unsigned long long)lineno);
				bad_format++;
			}
			if (!c.in.n) {
				c.line = lineno;
				c.first_len = len > 2 ? len - 2 : 0;
			}
			if (bytes_add(&c.in, len > 2 ? l + 2 : "", len > 2 ? len - 2 : 0) ||
			    bytes_add(&c.in, "\n", 1))
				CU_FAIL_FATAL("out of memory");
			continue;
		}
		if (!end && len >= 2 && l[0] == '>' && l[1] == ' ') {
			if (!c.in.n) {
				printf("\n  %s:%llu: expected line without input\n", LINES_PATH,
				       (unsigned long long)lineno);
				bad_format++;
				continue;
			}
			if (bytes_add(&c.want, l + 2, len - 2) || bytes_add(&c.want, "\n", 1))
				CU_FAIL_FATAL("out of memory");
			continue;
		}
		/* a blank line, a comment or the end: the case (if any) is complete */
		if (c.in.n) {
			ncases++;
			if (check_case(&c, inp, outp))
				failed++;
			lcase_free(&c);
		}
		if (!end && len && l[0] != '#') {
			printf("\n  %s:%llu: not a comment, input, expected or blank line\n",
			       LINES_PATH, (unsigned long long)lineno);
			bad_format++;
		}
	}
	lcase_free(&c);
	free(text);
	unlink(inp);
	unlink(outp);

	printf("\n  lines: %d cases, %d failed\n", ncases, failed);
	CU_ASSERT(ncases > 0);
	CU_ASSERT_EQUAL(bad_format, 0);
	if (failed)
		CU_FAIL("some cases of " LINES_PATH " failed (see above)");
}

static CU_TestInfo cases[] = {
	{ "every line shape gives its JSON and round-trips", every_line_shape_gives_its_json_and_round_trips },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_lines = { .name = "lines", .cases = cases };
