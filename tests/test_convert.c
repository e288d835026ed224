/*
 * test_convert.c - the conversion pipeline (core/convert.c).
 *
 * The pipeline is tested with a scripted reader and a recording writer
 * defined here, so that these cases do not depend on the strace grammar.
 * The reader turns each input line into one event, at most two events per
 * batch (so every input spans several batches):
 *
 *	"text"     a SYSCALL event
 *	" text"    an attachment of the event before it
 *	"?text"    an UNPARSED event
 *	"!"        the reader fails here with SR_ERR_PARSE
 *
 * The writer prints each event's text and its attachments as lines, so a
 * run gives its input back, and counts its calls; an event "!w" makes it
 * fail with SR_ERR_IO.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sr_test.h"
#include "sysrep.h"

/* ------------------------------------------------------------------ */
/* The scripted reader                                                 */

#define PER_BATCH 2

struct sr_reader {
	char *buf; /* owned: the whole input */
	size_t len, pos;
	uint64_t line;
};

static enum sr_status tr_open(struct sr_reader **rp, struct sr_source *in,
			      const struct sr_opts *opts, struct sr_error *err)
{
	(void)opts;
	struct sr_reader *r = calloc(1, sizeof(*r));
	size_t cap = 256, got;
	enum sr_status st;

	if (!r || !(r->buf = malloc(cap)))
		goto nomem;
	for (;;) {
		if (r->len == cap) {
			char *p = realloc(r->buf, cap *= 2);

			if (!p)
				goto nomem;
			r->buf = p;
		}
		st = sr_source_read(in, r->buf + r->len, cap - r->len, &got, err);
		if (st < 0) {
			free(r->buf);
			free(r);
			return st;
		}
		if (!got)
			break;
		r->len += got;
	}
	*rp = r;
	return SR_OK;
nomem:
	if (r)
		free(r->buf);
	free(r);
	return sr_error_set(err, SR_ERR_NOMEM, "cannot read: out of memory");
}

static enum sr_status attach(struct sr_batch *b, struct sr_str text)
{
	struct sr_event *e = &b->ev[b->n - 1];
	struct sr_attach *a = sr_arena_alloc(b->arena, (e->natt + 1) * sizeof(*a));

	if (!a)
		return SR_ERR_NOMEM;
	if (e->natt)
		memcpy(a, e->att, e->natt * sizeof(*a));
	memset(&a[e->natt], 0, sizeof(*a));
	a[e->natt].kind = SR_A_TEXT;
	a[e->natt].text = text;
	e->att = a;
	e->natt++;
	return SR_OK;
}

static enum sr_status tr_next(struct sr_reader *r, struct sr_batch *b, struct sr_error *err)
{
	sr_batch_reset(b);
	while (r->pos < r->len) {
		const char *p = r->buf + r->pos;
		const char *nl = memchr(p, '\n', r->len - r->pos);
		size_t n = nl ? (size_t)(nl - p) : r->len - r->pos;
		struct sr_str text = { p, n };
		struct sr_event *e;

		if (n > 0 && p[0] == ' ' && b->n) {
			if (attach(b, text))
				return sr_error_set(err, SR_ERR_NOMEM, "out of memory");
		} else if (b->n == PER_BATCH) {
			break;
		} else if (n == 1 && p[0] == '!') {
			sr_error_set(err, SR_ERR_PARSE, "cannot parse: scripted failure");
			if (err)
				err->line = r->line + 1;
			return SR_ERR_PARSE;
		} else {
			e = sr_batch_push(b);
			if (!e)
				return sr_error_set(err, SR_ERR_NOMEM, "out of memory");
			e->kind = n > 0 && p[0] == '?' ? SR_E_UNPARSED : SR_E_SYSCALL;
			e->text = text;
			e->line = r->line + 1;
		}
		r->line++;
		b->lines++;
		r->pos += n + (nl != NULL);
	}
	return b->n || b->lines ? SR_OK : SR_END;
}

static void tr_close(struct sr_reader *r)
{
	if (r)
		free(r->buf);
	free(r);
}

static int tr_probe(const void *head, size_t n)
{
	(void)head;
	(void)n;
	return 0;
}

static const struct sr_reader_class lines_reader = {
	.name = "lines",
	.exts = ".lines",
	.summary = "test: one event per line",
	.probe = tr_probe,
	.open = tr_open,
	.next = tr_next,
	.close = tr_close,
};

/* ------------------------------------------------------------------ */
/* The recording writer                                                */

static struct {
	int opens, writes, finishes, closes;
} calls;

struct sr_writer {
	struct sr_sink *out; /* borrowed */
};

static enum sr_status tw_open(struct sr_writer **wp, struct sr_sink *out,
			      const struct sr_opts *opts, struct sr_error *err)
{
	(void)opts;
	struct sr_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return sr_error_set(err, SR_ERR_NOMEM, "out of memory");
	w->out = out;
	*wp = w;
	calls.opens++;
	return SR_OK;
}

static enum sr_status tw_write(struct sr_writer *w, const struct sr_batch *b, struct sr_error *err)
{
	calls.writes++;
	for (size_t i = 0; i < b->n; i++) {
		const struct sr_event *e = &b->ev[i];

		if (e->text.len == 2 && memcmp(e->text.ptr, "!w", 2) == 0)
			return sr_error_set(err, SR_ERR_IO,
					    "cannot write output: scripted failure");
		sr_sink_puts(w->out, e->text);
		sr_sink_write(w->out, "\n", 1);
		for (uint32_t k = 0; k < e->natt; k++) {
			sr_sink_puts(w->out, e->att[k].text);
			sr_sink_write(w->out, "\n", 1);
		}
	}
	return SR_OK;
}

static enum sr_status tw_finish(struct sr_writer *w, struct sr_error *err)
{
	(void)w;
	(void)err;
	calls.finishes++;
	return SR_OK;
}

static void tw_close(struct sr_writer *w)
{
	if (w)
		calls.closes++;
	free(w);
}

static const struct sr_writer_class rec_writer = {
	.name = "rec",
	.ext = ".rec",
	.summary = "test: the event texts",
	.open = tw_open,
	.write = tw_write,
	.finish = tw_finish,
	.close = tw_close,
};

/* ------------------------------------------------------------------ */
/* Temporary files                                                     */

#define MAX_TMP 8

static char tmp_paths[MAX_TMP][64];
static int ntmp;

/* A new temporary file holding text; removed by cleanup(). */
static const char *tmp_file(const char *text)
{
	char *path = tmp_paths[ntmp++];
	int fd;

	snprintf(path, sizeof(tmp_paths[0]), "/tmp/sr_test_convert.XXXXXX");
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* Reads a whole file into buf (NUL-terminated). */
static void slurp(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "rb");
	size_t got;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	got = fread(buf, 1, n - 1, f);
	buf[got] = '\0';
	fclose(f);
}

static void cleanup(void)
{
	while (ntmp > 0)
		unlink(tmp_paths[--ntmp]);
	memset(&calls, 0, sizeof(calls));
}

/* A sink on a fresh temporary path (the sink replaces the file at close). */
static struct sr_sink *tmp_sink(const char **path)
{
	struct sr_sink *s = NULL;

	*path = tmp_file("");
	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&s, *path, NULL), SR_OK);
	return s;
}

static const struct sr_convert_opts lines_opts = { .reader = &lines_reader };

/* ------------------------------------------------------------------ */
/* Cases                                                               */

static void every_line_is_counted_once_across_batches(void)
{
	static const char in[] = "a\n b\n c\nd\n?x\ne\n";
	const char *path = tmp_file(in), *outp;
	struct sr_sink *out = tmp_sink(&outp);
	struct sr_counts c;
	struct sr_conv *conv;
	char got[256];

	CU_ASSERT_EQUAL_FATAL(sr_conv_open(&conv, &lines_opts, &rec_writer, out, NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_conv_input(conv, NULL, path, &c, NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_conv_finish(conv, NULL), SR_OK);
	CU_ASSERT_EQUAL(c.lines, 6);
	CU_ASSERT_EQUAL(c.events, 3);
	CU_ASSERT_EQUAL(c.unparsed, 1);
	CU_ASSERT_EQUAL(c.attached, 2);
	CU_ASSERT_EQUAL(c.lines, c.events + c.unparsed + c.attached);
	CU_ASSERT_EQUAL(c.by_kind[SR_E_SYSCALL], 3);
	CU_ASSERT_EQUAL(c.by_kind[SR_E_UNPARSED], 1);
	CU_ASSERT_EQUAL(c.bytes_in, sizeof(in) - 1);
	CU_ASSERT_EQUAL(sr_conv_totals(conv)->bytes_out, sizeof(in) - 1);
	CU_ASSERT(calls.writes >= 2);
	CU_ASSERT(sr_conv_complete(conv));
	CU_ASSERT_PTR_EQUAL(sr_conv_reader(conv), &lines_reader);
	sr_conv_close(conv);
	CU_ASSERT_EQUAL(sr_sink_close(out, NULL), SR_OK);
	slurp(outp, got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, in);
	cleanup();
}

static void several_inputs_go_through_one_writer_in_order(void)
{
	const char *p1 = tmp_file("a\nb\n c\n"), *p2 = tmp_file("d\n?e\n"), *outp;
	struct sr_sink *out = tmp_sink(&outp);
	struct sr_counts c1, c2;
	const struct sr_counts *t;
	struct sr_conv *conv;
	char got[256];

	CU_ASSERT_EQUAL_FATAL(sr_conv_open(&conv, &lines_opts, &rec_writer, out, NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_conv_input(conv, NULL, p1, &c1, NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_conv_input(conv, NULL, p2, &c2, NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_conv_finish(conv, NULL), SR_OK);
	t = sr_conv_totals(conv);
	CU_ASSERT_EQUAL(c1.lines, 3);
	CU_ASSERT_EQUAL(c2.lines, 2);
	CU_ASSERT_EQUAL(c2.unparsed, 1);
	CU_ASSERT_EQUAL(t->lines, 5);
	CU_ASSERT_EQUAL(t->events, c1.events + c2.events);
	CU_ASSERT_EQUAL(t->bytes_in, c1.bytes_in + c2.bytes_in);
	CU_ASSERT_EQUAL(t->bytes_out, c1.bytes_out + c2.bytes_out);
	sr_conv_close(conv);
	CU_ASSERT_EQUAL(calls.opens, 1);
	CU_ASSERT_EQUAL(calls.finishes, 1);
	CU_ASSERT_EQUAL(calls.closes, 1);
	CU_ASSERT_EQUAL(sr_sink_close(out, NULL), SR_OK);
	slurp(outp, got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, "a\nb\n c\nd\n?e\n");
	cleanup();
}

static void strict_mode_reports_the_count_and_first_unparsed_line_after_the_run(void)
{
	const char *p1 = tmp_file("a\nb\n"), *p2 = tmp_file("c\n?bad\nd\n?worse\n"), *outp;
	const struct sr_convert_opts opts = { .reader = &lines_reader, .strict = true };
	struct sr_sink *out = tmp_sink(&outp);
	struct sr_error err = { 0 };
	struct sr_conv *conv;
	char got[256];

	CU_ASSERT_EQUAL_FATAL(sr_conv_open(&conv, &opts, &rec_writer, out, &err), SR_OK);
	CU_ASSERT_EQUAL(sr_conv_input(conv, NULL, p1, NULL, &err), SR_OK);
	CU_ASSERT_EQUAL(sr_conv_input(conv, NULL, p2, NULL, &err), SR_OK);
	CU_ASSERT_EQUAL(sr_conv_finish(conv, &err), SR_ERR_PARSE);
	CU_ASSERT_EQUAL(err.code, SR_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err.file, p2);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "2 unparsed lines"));
	CU_ASSERT_EQUAL(sr_conv_first_unparsed(conv)->line, 2);
	/* the run went to its end: the output is whole */
	CU_ASSERT(sr_conv_complete(conv));
	CU_ASSERT_EQUAL(calls.finishes, 1);
	sr_conv_close(conv);
	CU_ASSERT_EQUAL(sr_sink_close(out, NULL), SR_OK);
	slurp(outp, got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, "a\nb\nc\n?bad\nd\n?worse\n");
	cleanup();
}

static void unparsed_lines_are_data_without_strict_mode(void)
{
	const char *p = tmp_file("?x\n?y\n");
	struct sr_counts c;

	CU_ASSERT_EQUAL(sr_stats(&lines_reader, p, &c, NULL), SR_OK);
	CU_ASSERT_EQUAL(c.unparsed, 2);
	CU_ASSERT_EQUAL(c.events, 0);
	cleanup();
}

static void a_missing_input_fails_naming_the_file(void)
{
	const char *outp;
	struct sr_sink *out = tmp_sink(&outp);
	struct sr_error err = { 0 };
	struct sr_counts c;
	struct sr_conv *conv;

	CU_ASSERT_EQUAL_FATAL(sr_conv_open(&conv, &lines_opts, &rec_writer, out, NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_conv_input(conv, NULL, "/nonexistent/x.strace", &c, &err), SR_ERR_IO);
	CU_ASSERT_STRING_EQUAL(err.file, "/nonexistent/x.strace");
	CU_ASSERT_EQUAL(c.lines, 0);
	CU_ASSERT_EQUAL(sr_conv_finish(conv, NULL), SR_OK);
	CU_ASSERT(!sr_conv_complete(conv));
	sr_conv_close(conv);
	sr_sink_abort(out);
	cleanup();
}

static void a_reader_error_names_the_input_and_line(void)
{
	const char *p = tmp_file("a\nb\nc\n!\nd\n");
	struct sr_error err = { 0 };
	struct sr_counts c;

	CU_ASSERT_EQUAL(sr_stats(&lines_reader, p, &c, &err), SR_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err.file, p);
	CU_ASSERT_EQUAL(err.line, 4);
	cleanup();
}

static void a_writer_error_stops_the_run_naming_the_output(void)
{
	const char *p = tmp_file("a\n!w\nb\n"), *outp;
	struct sr_sink *out = tmp_sink(&outp);
	struct sr_error err = { 0 };
	struct sr_conv *conv;

	CU_ASSERT_EQUAL_FATAL(sr_conv_open(&conv, &lines_opts, &rec_writer, out, NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_conv_input(conv, NULL, p, NULL, &err), SR_ERR_IO);
	CU_ASSERT_STRING_EQUAL(err.file, outp);
	sr_conv_close(conv);
	CU_ASSERT_EQUAL(calls.finishes, 0);
	CU_ASSERT_EQUAL(calls.closes, 1);
	sr_sink_abort(out);
	cleanup();
}

static void the_one_shot_convert_joins_its_inputs(void)
{
	const char *paths[] = { tmp_file("a\n"), tmp_file("b\n x\n") };
	const char *outp;
	struct sr_sink *out = tmp_sink(&outp);
	struct sr_counts c;
	char got[64];

	CU_ASSERT_EQUAL(sr_convert(&lines_opts, paths, 2, &rec_writer, out, &c, NULL), SR_OK);
	CU_ASSERT_EQUAL(c.lines, 3);
	CU_ASSERT_EQUAL(c.attached, 1);
	CU_ASSERT_EQUAL(calls.opens, 1);
	CU_ASSERT_EQUAL(calls.closes, 1);
	CU_ASSERT_EQUAL(sr_sink_close(out, NULL), SR_OK);
	slurp(outp, got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, "a\nb\n x\n");
	cleanup();
}

static void an_empty_input_still_opens_and_finishes_the_writer(void)
{
	const char *p = tmp_file(""), *outp;
	struct sr_sink *out = tmp_sink(&outp);
	struct sr_counts c;

	CU_ASSERT_EQUAL(sr_convert(&lines_opts, &p, 1, &rec_writer, out, &c, NULL), SR_OK);
	CU_ASSERT_EQUAL(c.lines, 0);
	CU_ASSERT_EQUAL(c.bytes_out, 0);
	CU_ASSERT_EQUAL(calls.opens, 1);
	CU_ASSERT_EQUAL(calls.finishes, 1);
	CU_ASSERT_EQUAL(sr_sink_close(out, NULL), SR_OK);
	cleanup();
}

static void an_undetectable_input_falls_back_to_the_strace_reader(void)
{
	const char *p = tmp_file("\x01\x02\x03 not a trace\n");
	struct sr_conv *conv;

	CU_ASSERT_EQUAL_FATAL(sr_conv_open(&conv, NULL, NULL, NULL, NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_conv_input(conv, NULL, p, NULL, NULL), SR_OK);
	CU_ASSERT_PTR_EQUAL(sr_conv_reader(conv), sr_reader_find("strace"));
	CU_ASSERT_EQUAL(sr_conv_totals(conv)->lines, 1);
	CU_ASSERT_EQUAL(sr_conv_finish(conv, NULL), SR_OK);
	sr_conv_close(conv);
	cleanup();
}

static void stats_of_a_strace_trace_detects_and_counts_kinds(void)
{
	const char *p = tmp_file("execve(\"/bin/true\", [\"true\"], 0x7ffc5e0 /* 0 vars */) = 0\n"
				 "exit_group(0)                           = ?\n"
				 "+++ exited with 0 +++\n");
	struct sr_counts c;

	CU_ASSERT_EQUAL(sr_stats(NULL, p, &c, NULL), SR_OK);
	CU_ASSERT_EQUAL(c.lines, 3);
	CU_ASSERT_EQUAL(c.events, 3);
	CU_ASSERT_EQUAL(c.unparsed, 0);
	CU_ASSERT_EQUAL(c.by_kind[SR_E_SYSCALL], 2);
	CU_ASSERT_EQUAL(c.by_kind[SR_E_EXIT], 1);
	cleanup();
}

static void counts_sum_adds_every_field(void)
{
	struct sr_counts a = { .lines = 1,
			       .events = 2,
			       .unparsed = 3,
			       .verbatim = 4,
			       .attached = 5,
			       .bytes_in = 6,
			       .bytes_out = 7 };
	struct sr_counts b = a;

	a.by_kind[SR_E_SIGNAL] = 8;
	b.by_kind[SR_E_SIGNAL] = 1;
	sr_counts_sum(&a, &b);
	CU_ASSERT_EQUAL(a.lines, 2);
	CU_ASSERT_EQUAL(a.events, 4);
	CU_ASSERT_EQUAL(a.unparsed, 6);
	CU_ASSERT_EQUAL(a.verbatim, 8);
	CU_ASSERT_EQUAL(a.attached, 10);
	CU_ASSERT_EQUAL(a.bytes_in, 12);
	CU_ASSERT_EQUAL(a.bytes_out, 14);
	CU_ASSERT_EQUAL(a.by_kind[SR_E_SIGNAL], 9);
}

/* Every class lists its option keys with a line of help, and the keys
 * the registry offers are the ones its formats read. */
static void each_format_declares_its_option_keys(void)
{
	const struct sr_reader_class *const *r;
	const struct sr_writer_class *const *w;
	const struct sr_optdesc *d;

	for (r = sr_readers(); *r; r++)
		for (d = (*r)->opt_keys; d && d->key; d++)
			CU_ASSERT_PTR_NOT_NULL(d->help);
	for (w = sr_writers(); *w; w++)
		for (d = (*w)->opt_keys; d && d->key; d++)
			CU_ASSERT_PTR_NOT_NULL(d->help);
	for (w = sr_views(); *w; w++)
		for (d = (*w)->opt_keys; d && d->key; d++)
			CU_ASSERT_PTR_NOT_NULL(d->help);
	CU_ASSERT_PTR_NOT_NULL(sr_optdesc_find(sr_writer_find("csv")->opt_keys, "columns"));
	CU_ASSERT_PTR_NOT_NULL(sr_optdesc_find(sr_writer_find("seq")->opt_keys, "window"));
	CU_ASSERT_PTR_NOT_NULL(sr_optdesc_find(sr_reader_find("scap")->opt_keys, "arch"));
	CU_ASSERT_PTR_NOT_NULL(sr_optdesc_find(sr_view_find("tree")->opt_keys, "json"));
	CU_ASSERT_PTR_NOT_NULL(sr_optdesc_find(sr_conv_opt_keys, "arch"));
	CU_ASSERT_PTR_NULL(sr_optdesc_find(sr_writer_find("csv")->opt_keys, "colums"));
	CU_ASSERT_PTR_NOT_NULL(sr_optdesc_find(sr_reader_find("strace")->opt_keys, "piece"));
	/* the text readers read max_line (a 5 MB line test used it, and the
	 * key check refused it); binary readers do not */
	CU_ASSERT_PTR_NOT_NULL(sr_optdesc_find(sr_reader_find("strace")->opt_keys, "max_line"));
	CU_ASSERT_PTR_NOT_NULL(sr_optdesc_find(sr_reader_find("json")->opt_keys, "max_line"));
	CU_ASSERT_PTR_NULL(sr_reader_find("pb")->opt_keys);
	CU_ASSERT_PTR_NULL(sr_optdesc_find(NULL, "arch"));
}

/* The writer chosen by OUT's name: the longest extension, before ".zst". */
static void the_writer_of_a_path_is_its_longest_extension(void)
{
	CU_ASSERT_STRING_EQUAL(sr_writer_for_path("x.jsonl")->name, "jsonl");
	CU_ASSERT_STRING_EQUAL(sr_writer_for_path("a/x.jsonl.zst")->name, "jsonl");
	CU_ASSERT_STRING_EQUAL(sr_writer_for_path("x.chrome.json")->name, "chrome");
	CU_ASSERT_STRING_EQUAL(sr_writer_for_path("x.json")->name, "json");
	CU_ASSERT_PTR_NULL(sr_writer_for_path("x.nope"));
	CU_ASSERT_PTR_NULL(sr_writer_for_path(".zst"));
	CU_ASSERT_PTR_NOT_NULL(sr_view_find("report"));
	CU_ASSERT_PTR_NULL(sr_view_find("jsonl"));
	CU_ASSERT_PTR_NULL(sr_writer_find("tree"));
}

static CU_TestInfo cases[] = {
	{ "every line is counted once across batches", every_line_is_counted_once_across_batches },
	{ "several inputs go through one writer in order",
	  several_inputs_go_through_one_writer_in_order },
	{ "strict mode reports the count and first unparsed line after the run",
	  strict_mode_reports_the_count_and_first_unparsed_line_after_the_run },
	{ "unparsed lines are data without strict mode",
	  unparsed_lines_are_data_without_strict_mode },
	{ "a missing input fails naming the file", a_missing_input_fails_naming_the_file },
	{ "a reader error names the input and line", a_reader_error_names_the_input_and_line },
	{ "a writer error stops the run naming the output",
	  a_writer_error_stops_the_run_naming_the_output },
	{ "the one-shot convert joins its inputs", the_one_shot_convert_joins_its_inputs },
	{ "an empty input still opens and finishes the writer",
	  an_empty_input_still_opens_and_finishes_the_writer },
	{ "an undetectable input falls back to the strace reader",
	  an_undetectable_input_falls_back_to_the_strace_reader },
	{ "stats of a strace trace detects and counts kinds",
	  stats_of_a_strace_trace_detects_and_counts_kinds },
	{ "counts sum adds every field", counts_sum_adds_every_field },
	{ "each format declares its option keys", each_format_declares_its_option_keys },
	{ "the writer of a path is its longest extension",
	  the_writer_of_a_path_is_its_longest_extension },
	CU_TEST_INFO_NULL,
};

/* Removes what a case stopped by a fatal assertion left behind. */
static int suite_cleanup(void)
{
	cleanup();
	return 0;
}

const struct sr_test_suite sr_suite_convert = {
	.name = "convert",
	.cases = cases,
	.cleanup = suite_cleanup,
};
