/*
 * test_filter.c - the filter stage, the strace -c aggregation, corpus
 * output names, and the parallel strace reader against the sequential one.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sr_test.h"
#include "sysrep.h"

static struct sr_intern *atoms;

static struct sr_event call(const char *name, int64_t pid, const char *err)
{
	struct sr_event ev = { .kind = SR_E_SYSCALL, .nr = -1, .has_ret = true };
	static struct sr_value ret = { .kind = SR_V_INT };

	ev.lead.pid = pid;
	ev.name = sr_intern(atoms, name, strlen(name));
	ev.err = err ? sr_intern(atoms, err, strlen(err)) : NULL;
	ev.ret = &ret;
	return ev;
}

static int init(void)
{
	atoms = sr_intern_new();
	return atoms ? 0 : 1;
}

static int fini(void)
{
	sr_intern_free(atoms);
	return 0;
}

static void a_name_list_keeps_those_calls_and_the_other_kinds(void)
{
	struct sr_filter *f = sr_filter_new();
	struct sr_event open = call("openat", 1, NULL), rd = call("read", 1, NULL);
	struct sr_event sig = { .kind = SR_E_SIGNAL, .nr = -1 };

	CU_ASSERT_EQUAL_FATAL(sr_filter_trace(f, "trace=openat,close", NULL), SR_OK);
	CU_ASSERT_TRUE(sr_filter_event(f, &open));
	CU_ASSERT_FALSE(sr_filter_event(f, &rd));
	CU_ASSERT_TRUE(sr_filter_event(f, &sig));
	/* the memo gives the same answer the second time */
	CU_ASSERT_FALSE(sr_filter_event(f, &rd));
	rd.kind = SR_E_UNFINISHED;
	CU_ASSERT_FALSE(sr_filter_event(f, &rd));
	sr_filter_free(f);
}

static void classes_come_from_the_table_and_negation_inverts_them(void)
{
	struct sr_filter *f = sr_filter_new();
	struct sr_event open = call("openat", 1, NULL), sock = call("connect", 1, NULL);

	CU_ASSERT_PTR_NOT_NULL(sr_filter_class("%file"));
	CU_ASSERT_PTR_NOT_NULL(sr_filter_class("%net"));
	CU_ASSERT_PTR_NULL(sr_filter_class("%nosuch"));
	CU_ASSERT_EQUAL_FATAL(sr_filter_trace(f, "%file", NULL), SR_OK);
	CU_ASSERT_TRUE(sr_filter_event(f, &open));
	CU_ASSERT_FALSE(sr_filter_event(f, &sock));
	CU_ASSERT_EQUAL_FATAL(sr_filter_trace(f, "trace=!%file", NULL), SR_OK);
	CU_ASSERT_FALSE(sr_filter_event(f, &open));
	CU_ASSERT_TRUE(sr_filter_event(f, &sock));
	CU_ASSERT_EQUAL_FATAL(sr_filter_trace(f, "%network", NULL), SR_OK);
	CU_ASSERT_TRUE(sr_filter_event(f, &sock));
	CU_ASSERT_EQUAL(sr_filter_trace(f, "%nosuch", NULL), SR_ERR_USAGE);
	CU_ASSERT_EQUAL(sr_filter_trace(f, "signal=all", NULL), SR_ERR_USAGE);
	sr_filter_free(f);
}

static void a_regex_matches_names_and_a_clone_behaves_the_same(void)
{
	struct sr_filter *f = sr_filter_new(), *c;
	struct sr_event a = call("fstatfs", 1, NULL), b = call("close", 1, NULL);

	CU_ASSERT_EQUAL_FATAL(sr_filter_trace(f, "/stat", NULL), SR_OK);
	CU_ASSERT_TRUE(sr_filter_event(f, &a));
	CU_ASSERT_FALSE(sr_filter_event(f, &b));
	c = sr_filter_clone(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_TRUE(sr_filter_event(c, &a));
	CU_ASSERT_FALSE(sr_filter_event(c, &b));
	CU_ASSERT_EQUAL(sr_filter_trace(f, "/(", NULL), SR_ERR_USAGE);
	sr_filter_free(f);
	sr_filter_free(c);
}

static void pids_and_outcomes_select_like_strace(void)
{
	struct sr_filter *f = sr_filter_new();
	struct sr_event ok = call("openat", 7, NULL), bad = call("openat", 8, "ENOENT");
	struct sr_event msg = { .kind = SR_E_MESSAGE, .nr = -1 };
	struct sr_event exit8 = { .kind = SR_E_EXIT, .nr = -1 };

	msg.lead.pid = -1;
	exit8.lead.pid = 8;
	CU_ASSERT_EQUAL_FATAL(sr_filter_pids(f, "8,9", NULL), SR_OK);
	CU_ASSERT_FALSE(sr_filter_event(f, &ok));
	CU_ASSERT_TRUE(sr_filter_event(f, &bad));
	CU_ASSERT_TRUE(sr_filter_event(f, &msg));
	CU_ASSERT_TRUE(sr_filter_event(f, &exit8));
	CU_ASSERT_EQUAL(sr_filter_pids(f, "x", NULL), SR_ERR_USAGE);
	sr_filter_free(f);

	f = sr_filter_new();
	sr_filter_status(f, SR_FILTER_FAILED);
	CU_ASSERT_FALSE(sr_filter_event(f, &ok));
	CU_ASSERT_TRUE(sr_filter_event(f, &bad));
	CU_ASSERT_TRUE(sr_filter_event(f, &exit8));
	sr_filter_status(f, SR_FILTER_SUCCESSFUL);
	CU_ASSERT_TRUE(sr_filter_event(f, &ok));
	CU_ASSERT_FALSE(sr_filter_event(f, &bad));
	sr_filter_free(f);
}

static void a_time_window_is_half_open_and_spares_untimed_events(void)
{
	struct sr_filter *f = sr_filter_new();
	struct sr_event e = call("read", 1, NULL), untimed = call("read", 1, NULL);
	double t;

	CU_ASSERT_TRUE(sr_filter_parse_time("10:00:01.5", &t));
	CU_ASSERT_DOUBLE_EQUAL(t, 36001.5, 1e-9);
	CU_ASSERT_TRUE(sr_filter_parse_time("1712345678.25", &t));
	CU_ASSERT_FALSE(sr_filter_parse_time("10:x", &t));
	CU_ASSERT_FALSE(sr_filter_parse_time("", &t));
	sr_filter_window(f, 36001.5, 36002);
	e.lead.time = (struct sr_time){ .sec = 36001, .nsec = 500000000, .clock = SR_CLOCK_TOD };
	CU_ASSERT_TRUE(sr_filter_event(f, &e));
	e.lead.time.sec = 36002;
	e.lead.time.nsec = 0;
	CU_ASSERT_FALSE(sr_filter_event(f, &e));
	CU_ASSERT_TRUE(sr_filter_event(f, &untimed));
	sr_filter_window(f, NAN, NAN);
	CU_ASSERT_TRUE(sr_filter_is_empty(f));
	sr_filter_free(f);
}

static void a_batch_is_compacted_in_order_and_keeps_its_lines(void)
{
	struct sr_filter *f = sr_filter_new();
	struct sr_batch b;
	static const char *const names[] = { "read", "openat", "read", "close", "openat" };

	CU_ASSERT_EQUAL_FATAL(sr_batch_init(&b, atoms), SR_OK);
	for (size_t i = 0; i < 5; i++) {
		struct sr_event *e = sr_batch_push(&b);

		*e = call(names[i], 1, NULL);
		e->line = i + 1;
	}
	b.lines = 5;
	CU_ASSERT_EQUAL_FATAL(sr_filter_trace(f, "openat", NULL), SR_OK);
	sr_filter_batch(f, &b);
	CU_ASSERT_EQUAL(b.n, 2);
	CU_ASSERT_EQUAL(b.ev[0].line, 2);
	CU_ASSERT_EQUAL(b.ev[1].line, 5);
	CU_ASSERT_EQUAL(b.lines, 5);
	sr_batch_free(&b);
	sr_filter_free(f);
}

static void the_syscall_table_sums_and_sorts_by_time(void)
{
	struct sr_sysstats *s = sr_sysstats_new();
	struct sr_batch b;
	struct sr_sysrow total;
	const struct sr_sysrow *rows;
	size_t n;
	bool timed;

	CU_ASSERT_EQUAL_FATAL(sr_batch_init(&b, atoms), SR_OK);
	for (int i = 0; i < 4; i++) {
		struct sr_event *e = sr_batch_push(&b);

		*e = call(i < 3 ? "read" : "openat", 1, i == 1 ? "EAGAIN" : NULL);
		e->duration = (struct sr_time){ .nsec = i < 3 ? 1000 : 9000, .clock = SR_CLOCK_REL };
	}
	CU_ASSERT_EQUAL(sr_sysstats_add(s, &b), SR_OK);
	rows = sr_sysstats_rows(s, &n, &total, &timed);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_TRUE(timed);
	CU_ASSERT_STRING_EQUAL(rows[0].name->str, "openat");
	CU_ASSERT_EQUAL(rows[1].calls, 3);
	CU_ASSERT_EQUAL(rows[1].errors, 1);
	CU_ASSERT_EQUAL(rows[1].ns, 3000);
	CU_ASSERT_EQUAL(total.calls, 4);
	CU_ASSERT_EQUAL(total.ns, 12000);
	sr_batch_free(&b);
	sr_sysstats_free(s);
}

static void corpus_names_replace_the_extension_and_keep_pids(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "a/x.strace", "a/x.jsonl" },
		{ "x.strace.zst", "x.jsonl" },
		{ "x.log.gz", "x.jsonl" },
		{ "x.strace.123", "x.strace.123.jsonl" },
		{ "noext", "noext.jsonl" },
		{ "d.ir/noext", "d.ir/noext.jsonl" },
		{ ".hidden", ".hidden.jsonl" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *o = sr_corpus_outname(cases[i].in, ".jsonl", false);

		CU_ASSERT_PTR_NOT_NULL_FATAL(o);
		CU_ASSERT_STRING_EQUAL(o, cases[i].out);
		free(o);
	}
}

/* The whole output of one conversion of text with jobs threads. */
static char *convert_text(const char *path, int jobs, size_t chunk)
{
	char out[] = "/tmp/sr_test_filter.XXXXXX";
	struct sr_convert_opts o = { .jobs = jobs, .chunk = chunk };
	struct sr_sink *sink;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	FILE *f;
	int fd = mkstemp(out);

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&sink, out, NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_convert(&o, &path, 1, sr_writer_find("jsonl"), sink, NULL, NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_sink_close(sink, NULL), SR_OK);
	f = fopen(out, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (;;) {
		if (n + 4096 > cap) {
			cap = cap * 2 + 4096;
			buf = realloc(buf, cap + 1);
		}
		size_t got = fread(buf + n, 1, cap - n, f);

		if (!got)
			break;
		n += got;
	}
	buf[n] = '\0';
	fclose(f);
	unlink(out);
	return buf;
}

static void parallel_parsing_gives_the_sequential_output(void)
{
	/* cuts that resume pieces later, an exit that drops a cut call, a
	 * resumption with no start, a -z tail, unparsed lines */
	static const char text[] =
		"[pid  10] read(3,  <unfinished ...>\n"
		"[pid  11] wait4(-1,  <unfinished ...>\n"
		"[pid  12] openat(AT_FDCWD, \"/x\", O_RDONLY) = -1 ENOENT (No such file or directory)\n"
		"[pid  12] close(4)                    = 0\n"
		"[pid  10] <... read resumed>\"ab\", 2) = 2\n"
		"[pid  13] write(1, \"x\", 1 <unfinished ...>\n"
		"[pid  13] +++ exited with 0 +++\n"
		"not a strace line\n"
		"[pid  14] <... poll resumed>)        = 1\n"
		"[pid  10] read(3,  <unfinished ...>\n"
		"[pid  12] getpid()                    = 12\n"
		"[pid  10] <... read resumed>\"\", 2) = 0\n"
		"[pid  11] <... wait4 resumed>NULL, 0, NULL) = 13\n"
		"[pid  11] +++ exited with 0 +++\n";
	char path[] = "/tmp/sr_test_filter.XXXXXX";
	int fd = mkstemp(path);
	char *one, *par;

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL_FATAL(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	one = convert_text(path, 1, 0);
	for (size_t chunk = 1; chunk < 400; chunk += 37) {
		par = convert_text(path, 2, chunk);
		CU_ASSERT_STRING_EQUAL(par, one);
		free(par);
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(one, "\"resumed\":true"));
	free(one);
	unlink(path);
}

static CU_TestInfo cases[] = {
	{ "a name list keeps those calls and the other kinds",
	  a_name_list_keeps_those_calls_and_the_other_kinds },
	{ "classes come from the table and negation inverts them",
	  classes_come_from_the_table_and_negation_inverts_them },
	{ "a regex matches names and a clone behaves the same",
	  a_regex_matches_names_and_a_clone_behaves_the_same },
	{ "pids and outcomes select like strace", pids_and_outcomes_select_like_strace },
	{ "a time window is half open and spares untimed events",
	  a_time_window_is_half_open_and_spares_untimed_events },
	{ "a batch is compacted in order and keeps its lines",
	  a_batch_is_compacted_in_order_and_keeps_its_lines },
	{ "the syscall table sums and sorts by time", the_syscall_table_sums_and_sorts_by_time },
	{ "corpus names replace the extension and keep pids",
	  corpus_names_replace_the_extension_and_keep_pids },
	{ "parallel parsing gives the sequential output",
	  parallel_parsing_gives_the_sequential_output },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_filter = {
	.name = "filter", .cases = cases, .init = init, .cleanup = fini
};
