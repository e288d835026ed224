/*
 * test_seq.c - the seq writer (formats/seq/out_seq.c) on hand-built batches.
 *
 * The expected sequences, windows and lookahead pairs are worked out by
 * hand in the comments next to them, not computed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sr_test.h"
#include "sysrep.h"

extern const struct sr_writer_class sr_out_seq;

static struct sr_intern *atoms;
static struct sr_batch batch;

static int suite_init(void)
{
	atoms = sr_intern_new();
	return !atoms || sr_batch_init(&batch, atoms) != SR_OK;
}

static int suite_cleanup(void)
{
	sr_batch_free(&batch);
	sr_intern_free(atoms);
	return 0;
}

static struct sr_event *ev(uint8_t kind, int64_t pid, const char *name, int32_t nr)
{
	struct sr_event *e = sr_batch_push(&batch);

	CU_ASSERT_FATAL(e != NULL);
	e->kind = kind;
	e->lead.pid = pid;
	e->line = batch.n;
	e->nr = nr;
	if (name)
		e->name = sr_intern(atoms, name, strlen(name));
	return e;
}

static struct sr_event *call(int64_t pid, const char *name, int32_t nr)
{
	return ev(SR_E_SYSCALL, pid, name, nr);
}

static struct sr_value *val(uint8_t kind, const char *name, const char *text)
{
	struct sr_value *v = sr_arena_alloc(batch.arena, sizeof(*v));

	memset(v, 0, sizeof(*v));
	v->kind = kind;
	if (name)
		v->name = (struct sr_str){ name, strlen(name) };
	if (text)
		v->text = (struct sr_str){ text, strlen(text) };
	return v;
}

static struct sr_value *int_val(int64_t i)
{
	struct sr_value *v = val(SR_V_INT, NULL, NULL);

	v->num.i = i;
	return v;
}

/* FLAGS a|b named name */
static struct sr_value *flags(const char *name, const char *a, const char *b)
{
	struct sr_value *v = val(SR_V_FLAGS, name, NULL);

	v->kids = sr_arena_alloc(batch.arena, 2 * sizeof(*v->kids));
	v->kids[0] = *val(SR_V_IDENT, NULL, a);
	v->kids[1] = *val(SR_V_IDENT, NULL, b);
	v->nkids = 2;
	return v;
}

/* Writes the batch with options "k=v" ... into a file; returns its text
 * (malloc'd) and the status of the first failing step in *st. */
static char *run_opts(const char *const *kv, size_t n, enum sr_status *st)
{
	char path[] = "/tmp/sysrep-test-seq-XXXXXX";
	int fd = mkstemp(path);
	struct sr_opt o[8];
	struct sr_opts opts = { o, n };
	struct sr_sink *out = NULL;
	struct sr_writer *w = NULL;
	struct sr_error err = { 0 };
	char *text, *eq;
	FILE *f;
	long len;

	CU_ASSERT_FATAL(fd >= 0 && n <= 8);
	close(fd);
	for (size_t i = 0; i < n; i++) {
		eq = strchr(kv[i], '=');
		o[i].key = eq ? strndup(kv[i], (size_t)(eq - kv[i])) : kv[i];
		o[i].value = eq ? eq + 1 : "";
	}
	CU_ASSERT_FATAL(sr_sink_open(&out, path, NULL) == SR_OK);
	*st = sr_out_seq.open(&w, out, &opts, &err);
	if (*st == SR_OK)
		*st = sr_out_seq.write(w, &batch, &err);
	if (*st == SR_OK)
		*st = sr_out_seq.finish(w, &err);
	sr_out_seq.close(w);
	CU_ASSERT(sr_sink_close(out, NULL) == SR_OK);
	for (size_t i = 0; i < n; i++)
		if (strchr(kv[i], '='))
			free((char *)o[i].key);
	f = fopen(path, "rb");
	CU_ASSERT_FATAL(f != NULL);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = calloc(1, (size_t)len + 1);
	CU_ASSERT_FATAL(text != NULL);
	CU_ASSERT(fread(text, 1, (size_t)len, f) == (size_t)len);
	fclose(f);
	unlink(path);
	return text;
}

#define RUN(expect, ...)                                                        \
	do {                                                                    \
		const char *const kv_[] = { "arch=x86_64", __VA_ARGS__ };       \
		enum sr_status st_;                                             \
		char *got_ = run_opts(kv_, sizeof(kv_) / sizeof(kv_[0]), &st_); \
		CU_ASSERT_EQUAL(st_, SR_OK);                                    \
		CU_ASSERT_STRING_EQUAL(got_, expect);                           \
		free(got_);                                                     \
	} while (0)

/*
 * Two processes, numbers given as strace -n would (open 2, read 0, mmap 9,
 * write 1, close 3):
 *
 *	100 open             -> 100: 2
 *	100 read             -> 100: 0
 *	100 mmap <unfinished>   -> 100: 9 (counted where it starts)
 *	200 write            -> 200: 1
 *	100 <... mmap resumed>  (already counted)
 *	100 open, read       -> 100: 2 0
 *	100 --- SIGCHLD ---     (not a call)
 *	100 mmap             -> 100: 9
 *	200 read <unfinished>, 200 +++ exited +++  (never finished: dropped)
 *	100 close            -> 100: 3
 *
 * 100: 2 0 9 2 0 9 3 and 200: 1.
 */
static void two_processes(void)
{
	struct sr_event *e;

	sr_batch_reset(&batch);
	call(100, "open", 2);
	call(100, "read", 0);
	ev(SR_E_UNFINISHED, 100, "mmap", 9);
	call(200, "write", 1);
	e = call(100, "mmap", 9);
	e->flags = SR_EF_RESUMED;
	call(100, "open", 2);
	call(100, "read", 0);
	ev(SR_E_SIGNAL, 100, "SIGCHLD", -1);
	call(100, "mmap", 9);
	ev(SR_E_UNFINISHED, 200, "read", 0);
	ev(SR_E_EXIT, 200, NULL, -1);
	call(100, "close", 3);
}

static void a_line_per_process_in_start_order(void)
{
	two_processes();
	RUN("100: 2 0 9 2 0 9 3\n200: 1\n", "by=pid");
	RUN("100: 2 0 9 2 0 9 3\n200: 1\n", "by=tid");
}

static void names_instead_of_numbers(void)
{
	two_processes();
	RUN("100: open read mmap open read mmap close\n200: write\n", "names");
}

static void unm_layout_is_pid_and_number_in_trace_order(void)
{
	two_processes();
	/* mmap's start (third line) comes before 200's write */
	RUN("100 2\n100 0\n100 9\n200 1\n100 2\n100 0\n100 9\n100 3\n", "layout=unm");
}

/*
 * window=3 over 100: 2 0 9 2 0 9 3 slides over
 *	(2 0 9) (0 9 2) (9 2 0) (2 0 9) (0 9 3)
 * so the distinct windows, in order of first sight, are
 *	2 0 9 twice, 0 9 2, 9 2 0, 0 9 3 once;
 * 200 made one call: shorter than a window, it has none.
 */
static void windows_are_distinct_with_counts(void)
{
	two_processes();
	RUN("pid,call_1,call_2,call_3,count\n"
	    "100,2,0,9,2\n"
	    "100,0,9,2,1\n"
	    "100,9,2,0,1\n"
	    "100,0,9,3,1\n",
	    "window=3");
	RUN("{\"pid\":100,\"window\":[\"open\",\"read\",\"mmap\"],\"count\":2}\n"
	    "{\"pid\":100,\"window\":[\"read\",\"mmap\",\"open\"],\"count\":1}\n"
	    "{\"pid\":100,\"window\":[\"mmap\",\"open\",\"read\"],\"count\":1}\n"
	    "{\"pid\":100,\"window\":[\"read\",\"mmap\",\"close\"],\"count\":1}\n",
	    "window=3", "format=jsonl", "names");
	/* window=1: the calls with their frequencies */
	RUN("pid,call_1,count\n100,2,2\n100,0,2\n100,9,2\n100,3,1\n200,1,1\n", "window=1");
}

/*
 * Lookahead pairs, window=3 (distances 1 and 2), over 2 0 9 2 0 9 3:
 *	i=0 (2): (2,0,1) (2,9,2)     i=1 (0): (0,9,1) (0,2,2)
 *	i=2 (9): (9,2,1) (9,0,2)     i=3 (2): (2,0,1) (2,9,2)
 *	i=4 (0): (0,9,1) (0,3,2)     i=5 (9): (9,3,1)
 * 11 pairs, 8 distinct.
 */
static void lookahead_pairs_are_distinct_with_counts(void)
{
	two_processes();
	RUN("pid,call,next,distance,count\n"
	    "100,2,0,1,2\n"
	    "100,2,9,2,2\n"
	    "100,0,9,1,2\n"
	    "100,0,2,2,1\n"
	    "100,9,2,1,1\n"
	    "100,9,0,2,1\n"
	    "100,0,3,2,1\n"
	    "100,9,3,1,1\n",
	    "window=3", "lookahead");
	/* window=2: distance 1 only, (2,0) (0,9) (9,2) (2,0) (0,9) (9,3) */
	RUN("{\"pid\":100,\"call\":\"open\",\"next\":\"read\",\"distance\":1,\"count\":2}\n"
	    "{\"pid\":100,\"call\":\"read\",\"next\":\"mmap\",\"distance\":1,\"count\":2}\n"
	    "{\"pid\":100,\"call\":\"mmap\",\"next\":\"open\",\"distance\":1,\"count\":1}\n"
	    "{\"pid\":100,\"call\":\"mmap\",\"next\":\"close\",\"distance\":1,\"count\":1}\n",
	    "window=2", "lookahead", "format=jsonl", "names");
}

/*
 * 300 starts a thread with clone3(CLONE_THREAD); the thread 301 runs
 * before the clone returns in 300.  A fork-like clone (no CLONE_THREAD)
 * makes 302 a process of its own.
 */
static void threads_join_their_thread_group(void)
{
	struct sr_event *e;
	struct sr_value *st;

	sr_batch_reset(&batch);
	ev(SR_E_UNFINISHED, 300, "clone3", -1);
	call(301, "set_robust_list", -1);
	e = call(300, "clone3", -1);
	e->flags = SR_EF_RESUMED;
	st = val(SR_V_STRUCT, NULL, NULL);
	st->kids = flags("flags", "CLONE_VM", "CLONE_THREAD");
	st->nkids = 1;
	e->args = st;
	e->nargs = 1;
	e->ret = int_val(301);
	e = call(300, "clone", -1);
	e->args = flags("flags", "CLONE_CHILD_SETTID", "SIGCHLD");
	e->nargs = 1;
	e->ret = int_val(302);
	call(302, "exit_group", -1);
	call(301, "exit", -1);
	call(300, "exit_group", -1);
	/* numbers from the x86_64 table: the events carry none */
	RUN("300: 435 273 56 60 231\n302: 231\n", "by=pid");
	RUN("300: 435 56 231\n301: 273 60\n302: 231\n", "by=tid");
}

static void a_reused_tid_is_a_new_process(void)
{
	sr_batch_reset(&batch);
	call(400, "getpid", 39);
	ev(SR_E_EXIT, 400, NULL, -1);
	call(400, "getppid", 110);
	call(-1, "read", 0); /* no pid printed: pid 0 */
	RUN("400: 39\n400: 110\n0: 0\n");
}

static void orphan_and_unnamed_calls_count(void)
{
	struct sr_event *e;

	sr_batch_reset(&batch);
	e = call(5, "read", -1);
	e->flags = SR_EF_RESUMED | SR_EF_ORPHAN;
	call(5, "syscall_0x1b4", -1);
	RUN("5: 0 436\n");
	RUN("5: read syscall_0x1b4\n", "names");
}

static void unknown_names_and_bad_options_fail(void)
{
	const char *const bad[][2] = {
		{ "by=thread", "" },   { "layout=x", "" },	     { "window=0", "" },
		{ "window=x", "" },    { "lookahead", "" },	     { "window=1", "lookahead" },
		{ "layout=adfa", "" }, { "names=maybe", "" },	     { "format=xml", "" },
		{ "arch=vax", "" },    { "window=2", "layout=unm" },
	};
	enum sr_status st;
	char *got;

	sr_batch_reset(&batch);
	call(1, "read", 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *kv[2] = { bad[i][0], bad[i][1] };

		got = run_opts(kv, bad[i][1][0] ? 2 : 1, &st);
		CU_ASSERT_EQUAL(st, SR_ERR_USAGE);
		free(got);
	}
	/* an i386 name is no x86_64 call: numbers would be made up */
	call(1, "_llseek", -1);
	{
		const char *kv[] = { "arch=x86_64" };

		got = run_opts(kv, 1, &st);
		CU_ASSERT_EQUAL(st, SR_ERR_FORMAT);
		free(got);
	}
	RUN("1: 0 140\n", "arch=i386");
	RUN("1: read _llseek\n", "names");
}

static void adfa_layout_writes_a_file_per_process(void)
{
	char dir[] = "/tmp/sysrep-test-adfa-XXXXXX";
	char opt[64], path[128];
	char line[128];
	FILE *f;

	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	snprintf(opt, sizeof(opt), "dir=%s", dir);
	two_processes();
	RUN("", "layout=adfa", opt);
	snprintf(path, sizeof(path), "%s/100.txt", dir);
	f = fopen(path, "r");
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT(fgets(line, sizeof(line), f) && !strcmp(line, "2 0 9 2 0 9 3\n"));
	CU_ASSERT(!fgets(line, sizeof(line), f));
	fclose(f);
	unlink(path);
	snprintf(path, sizeof(path), "%s/200.txt", dir);
	f = fopen(path, "r");
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT(fgets(line, sizeof(line), f) && !strcmp(line, "1\n"));
	fclose(f);
	unlink(path);
	CU_ASSERT(rmdir(dir) == 0); /* nothing else was left in it */
}

static CU_TestInfo cases[] = {
	{ "a line per process in start order", a_line_per_process_in_start_order },
	{ "names instead of numbers", names_instead_of_numbers },
	{ "unm layout is pid and number in trace order",
	  unm_layout_is_pid_and_number_in_trace_order },
	{ "windows are distinct with counts", windows_are_distinct_with_counts },
	{ "lookahead pairs are distinct with counts", lookahead_pairs_are_distinct_with_counts },
	{ "threads join their thread group", threads_join_their_thread_group },
	{ "a reused tid is a new process", a_reused_tid_is_a_new_process },
	{ "orphan and unnamed calls count", orphan_and_unnamed_calls_count },
	{ "unknown names and bad options fail", unknown_names_and_bad_options_fail },
	{ "adfa layout writes a file per process", adfa_layout_writes_a_file_per_process },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_seq = {
	.name = "seq",
	.cases = cases,
	.init = suite_init,
	.cleanup = suite_cleanup,
};
