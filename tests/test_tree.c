/*
 * test_tree.c - the process tree (core/tree.c, core/tree_render.c) and the
 * time axis of the views (core/evtime.c).
 *
 * Traces are read by the real strace reader through the conversion
 * pipeline, into a writer defined here that feeds the tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtime.h"
#include "jw.h"
#include "sr_test.h"
#include "tree.h"

static struct sr_tree *cur; /* the tree the writer below feeds */

struct sr_writer {
	int unused;
};

static struct sr_writer the_writer;

static enum sr_status tw_open(struct sr_writer **w, struct sr_sink *out,
			      const struct sr_opts *opts, struct sr_error *err)
{
	(void)out, (void)opts, (void)err;
	*w = &the_writer;
	return SR_OK;
}

static enum sr_status tw_write(struct sr_writer *w, const struct sr_batch *b, struct sr_error *err)
{
	(void)w, (void)err;
	return sr_tree_add(cur, b, NULL);
}

static enum sr_status tw_finish(struct sr_writer *w, struct sr_error *err)
{
	(void)w, (void)err;
	return sr_tree_finish(cur);
}

static void tw_close(struct sr_writer *w)
{
	(void)w;
}

static const struct sr_writer_class tree_feeder = {
	.name = "tree-test", .open = tw_open, .write = tw_write,
	.finish = tw_finish, .close = tw_close,
};

/* The tree of the inputs (parts of one trace), or NULL. */
static struct sr_tree *load(const char *const *paths, size_t n)
{
	struct sr_sink *sink = NULL;
	struct sr_tree *t = NULL;
	enum sr_status st;

	if (sr_tree_new(&t) < 0 || sr_sink_open(&sink, "/dev/null", NULL) < 0) {
		sr_tree_free(t);
		return NULL;
	}
	cur = t;
	st = sr_convert(NULL, paths, n, &tree_feeder, sink, NULL, NULL);
	sr_sink_close(sink, NULL);
	if (st < 0) {
		sr_tree_free(t);
		return NULL;
	}
	return t;
}

static struct sr_tree *load_text(const char *text)
{
	char path[] = "/tmp/sr-test-tree-XXXXXX";
	const char *p = path;
	int fd = mkstemp(path);
	struct sr_tree *t;
	size_t n = strlen(text);

	if (fd < 0)
		return NULL;
	if (write(fd, text, n) != (ssize_t)n) {
		close(fd);
		unlink(path);
		return NULL;
	}
	close(fd);
	t = load(&p, 1);
	unlink(path);
	return t;
}

/* The task of tid (the latest one), or -1. */
static int32_t find(const struct sr_tree *t, int64_t tid)
{
	for (int32_t i = (int32_t)sr_tree_count(t); i-- > 0;)
		if (sr_tree_at(t, i)->tid == tid)
			return i;
	return -1;
}

/* The text of the tree, levels below max_depth collapsed (0: none). */
static char *text_depth(const struct sr_tree *t, uint32_t max_depth)
{
	struct sr_jw w = { 0 };

	if (!sr_tree_render_text(t, &w, max_depth)) {
		sr_buf_free(&w.b);
		return NULL;
	}
	sr_buf_addc(&w.b, '\0');
	return w.b.p;
}

static char *text_of(const struct sr_tree *t)
{
	return text_depth(t, 0);
}

static const char small[] =
	"10100 execve(\"/bin/sh\", [\"sh\", \"-c\", \"x it\"], 0x7ffd /* 3 vars */) = 0\n"
	"10100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
	"child_tidptr=0x7f00) = 10101\n"
	"10101 execve(\"/usr/local/bin/x\", [\"x\"], 0x55 /* 3 vars */) = -1 ENOENT (No such file or "
	"directory)\n"
	"10101 execve(\"/usr/bin/x\", [\"x\", \"--flag\"], 0x55 /* 3 vars */) = 0\n"
	"10101 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, "
	"exit_signal=0, stack=0x7f00, stack_size=0x7fff80}, 88) = 10102\n"
	"10102 write(1, \"hi\\n\", 3) = 3\n"
	"10102 +++ exited with 0 +++\n"
	"10100 vfork( <unfinished ...>\n"
	"10103 execve(\"/bin/false\", [\"false\"], 0x55 /* 3 vars */) = 0\n"
	"10100 <... vfork resumed>) = 10103\n"
	"10103 +++ exited with 1 +++\n"
	"10101 +++ killed by SIGSEGV (core dumped) +++\n"
	"10100 +++ exited with 0 +++\n";

static void parentage_execs_and_ends(void)
{
	struct sr_tree *t = load_text(small);
	const struct sr_tree_task *sh, *x, *th, *f;
	const struct sr_tree_exec *e;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(sr_tree_count(t), 4);
	CU_ASSERT_EQUAL(sr_tree_processes(t), 3);
	sh = sr_tree_at(t, find(t, 10100));
	x = sr_tree_at(t, find(t, 10101));
	th = sr_tree_at(t, find(t, 10102));
	f = sr_tree_at(t, find(t, 10103));
	CU_ASSERT_PTR_NOT_NULL_FATAL(sh && x && th && f);
	CU_ASSERT_EQUAL(sh->parent, -1);
	CU_ASSERT_EQUAL(sh->nkids, 2);
	CU_ASSERT_EQUAL(x->parent, find(t, 10100));
	CU_ASSERT_EQUAL(f->parent, find(t, 10100));
	/* the thread is on its process, not a child */
	CU_ASSERT(th->thread);
	CU_ASSERT_EQUAL(th->leader, find(t, 10101));
	CU_ASSERT_EQUAL(x->nthreads, 1);
	CU_ASSERT_EQUAL(x->nkids, 0);
	CU_ASSERT_EQUAL(sr_tree_pid(t, find(t, 10102)), 10101);
	/* execs: a failed one, then the one that names the process */
	CU_ASSERT_EQUAL_FATAL(x->nexecs, 2);
	CU_ASSERT(!x->execs[0].ok);
	CU_ASSERT_STRING_EQUAL(x->execs[0].err, "ENOENT");
	e = sr_tree_last_exec(t, find(t, 10101));
	CU_ASSERT(e == &x->execs[1]);
	CU_ASSERT_STRING_EQUAL(e->path, "/usr/bin/x");
	CU_ASSERT_EQUAL(e->argc, 2);
	CU_ASSERT_STRING_EQUAL(e->argv[1], "--flag");
	/* ends */
	CU_ASSERT_EQUAL(sh->end, SR_TREE_EXITED);
	CU_ASSERT_EQUAL(f->status, 1);
	CU_ASSERT_EQUAL(x->end, SR_TREE_KILLED);
	CU_ASSERT_STRING_EQUAL(x->signal, "SIGSEGV");
	CU_ASSERT(x->core);
	/* the vfork child ran before the call returned: adopted, confirmed */
	CU_ASSERT(f->linked);
	CU_ASSERT(!f->guessed);
	sr_tree_free(t);
}

static void text_rendering_like_strace_process_tree(void)
{
	struct sr_tree *t = load_text(small);
	char *s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	s = text_of(t);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s, "10100 sh -c 'x it' [exit 0]\n"
				  "\u251c\u250010101 x --flag [1 thread] [killed by SIGSEGV, core dumped]\n"
				  "\u2514\u250010103 false [exit 1]\n");
	free(s);
	sr_tree_free(t);
}

/* Below the depth limit, a process's children are one line that counts them. */
static void deep_levels_collapse_into_one_line(void)
{
#define FORK "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, " \
	     "child_tidptr=0x7f00) = "
	struct sr_tree *t = load_text("10000 execve(\"/bin/sh\", [\"sh\"], 0x7ffd /* 3 vars */) = 0\n"
				      "10000 " FORK "10001\n"
				      "10001 " FORK "10002\n"
				      "10002 " FORK "10003\n"
				      "10003 " FORK "10004\n"
				      "10001 " FORK "10005\n");
#undef FORK
	char *s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	s = text_depth(t, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s, "10000 sh\n"
				  "\u2514\u250010001 (sh)\n"
				  "   \u251c\u250010002 (sh)\n"
				  "   \u2502  \u2514\u2500\u2026 2 deeper levels collapsed (2 processes)\n"
				  "   \u2514\u250010005 (sh)\n");
	free(s);
	s = text_depth(t, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "10003 (sh)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\u2026 1 deeper level collapsed (1 process)\n"));
	CU_ASSERT_PTR_NULL(strstr(s, "10004"));
	free(s);
	s = text_of(t); /* no limit: every process */
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "10004 (sh)\n"));
	CU_ASSERT_PTR_NULL(strstr(s, "collapsed"));
	free(s);
	sr_tree_free(t);
}

static void json_rendering_nests_children(void)
{
	struct sr_tree *t = load_text(small);
	struct sr_jw w = { 0 };
	struct sr_buf b;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_FATAL(sr_tree_render_json(t, &w));
	b = w.b;
	sr_buf_addc(&b, '\0');
	static const char head[] =
		"{\"processes\":3,\"threads\":1,\"roots\":[{\"pid\":10100,\"parent\":null,";

	CU_ASSERT(!strncmp(b.p, head, sizeof(head) - 1));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, "\"exit\":{\"signal\":\"SIGSEGV\",\"core\":true},\"threads\":[10102]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, "{\"path\":\"/usr/local/bin/x\",\"argv\":[\"x\"],\"ok\":false,\"errno\":\"ENOENT\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(b.p, "\"children\":[{\"pid\":10101,\"parent\":10100,"));
	sr_buf_free(&b);
	sr_tree_free(t);
}

static void gcc_build_has_three_processes(void)
{
	const char *p = "corpus/gcc-build-f-tt.strace";
	struct sr_tree *t = load(&p, 1);
	struct sr_buf b = { 0 };
	const struct sr_tree_task *root;
	int32_t r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(sr_tree_processes(t), 3);
	r = find(t, 13506);
	root = sr_tree_at(t, r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_EQUAL(root->parent, -1);
	CU_ASSERT_EQUAL(root->nkids, 2);
	sr_tree_command(&b, sr_tree_last_exec(t, r));
	sr_buf_addc(&b, '\0');
	CU_ASSERT_STRING_EQUAL(b.p, "gcc -c -o /tmp/lab/t.o /tmp/lab/threads.c");
	/* as: one failed execve in /usr/local/bin, then /usr/bin/as */
	CU_ASSERT_EQUAL(sr_tree_at(t, find(t, 13508))->nexecs, 2);
	CU_ASSERT(sr_tree_last_exec(t, find(t, 13508))->ok);
	/* a cut argv[0] is named by its path */
	b.len = 0;
	{
		size_t n;
		const char *name = sr_tree_name(t, find(t, 13507), &n);

		CU_ASSERT_PTR_NOT_NULL_FATAL(name);
		CU_ASSERT(n == 3 && !memcmp(name, "cc1", 3));
	}
	for (int32_t i = 0; (size_t)i < sr_tree_count(t); i++)
		CU_ASSERT_EQUAL(sr_tree_at(t, i)->end, SR_TREE_EXITED);
	sr_buf_free(&b);
	sr_tree_free(t);
}

static void per_pid_files_make_one_tree(void)
{
	const char *p[] = { "corpus/perpid/sh-ff.13522", "corpus/perpid/sh-ff.13523",
			    "corpus/perpid/sh-ff.13524", "corpus/perpid/sh-ff.13525" };
	struct sr_tree *t = load(p, 4);
	const struct sr_tree_task *root;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(sr_tree_processes(t), 4);
	root = sr_tree_at(t, find(t, 13522));
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_EQUAL(root->nkids, 3);
	for (int64_t pid = 13523; pid <= 13525; pid++)
		CU_ASSERT_EQUAL(sr_tree_at(t, find(t, pid))->parent, find(t, 13522));
	sr_tree_free(t);
}

static void threads_fold_into_their_process(void)
{
	const char *p = "corpus/threads-f-ttt-T-y.strace";
	struct sr_tree *t = load(&p, 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(sr_tree_processes(t), 1);
	CU_ASSERT_EQUAL(sr_tree_at(t, find(t, 13440))->nthreads, 4);
	sr_tree_free(t);
}

static void tid_reused_after_exit_is_a_new_task(void)
{
	struct sr_tree *t = load_text("12345 getpid() = 5\n12345 +++ exited with 0 +++\n"
				      "12345 getpid() = 5\n12345 +++ exited with 2 +++\n");

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(sr_tree_count(t), 2);
	CU_ASSERT_EQUAL(sr_tree_at(t, 1)->status, 2);
	sr_tree_free(t);
}

/* ------------------------------------------------------------------ */
/* evtime                                                              */

static void tod_times_roll_over_at_midnight(void)
{
	struct sr_evclock c;
	struct sr_event ev = { .kind = SR_E_SYSCALL };
	int64_t a, b, dur;

	sr_evclock_init(&c);
	ev.lead.time = (struct sr_time){ .sec = 86399, .nsec = 900000000, .clock = SR_CLOCK_TOD };
	CU_ASSERT_EQUAL(sr_evclock_place(&c, &ev, &a, &dur), SR_AXIS_TOD);
	CU_ASSERT_EQUAL(dur, -1);
	ev.lead.time = (struct sr_time){ .sec = 0, .nsec = 100000000, .clock = SR_CLOCK_TOD };
	ev.duration = (struct sr_time){ .sec = 0, .nsec = 5000, .clock = SR_CLOCK_REL };
	sr_evclock_place(&c, &ev, &b, &dur);
	CU_ASSERT_EQUAL(b - a, 200000000);
	CU_ASSERT_EQUAL(dur, 5000);
	/* a small step back is not midnight */
	ev.lead.time.nsec = 50000000;
	sr_evclock_place(&c, &ev, &b, &dur);
	CU_ASSERT_EQUAL(b - a, 150000000);
}

static void resumed_call_starts_at_its_unfinished_line(void)
{
	struct sr_evclock c;
	struct sr_event ev = { .kind = SR_E_SYSCALL, .flags = SR_EF_RESUMED };
	int64_t at, dur;

	sr_evclock_init(&c);
	ev.lead.time = (struct sr_time){ .sec = 10, .nsec = 500, .clock = SR_CLOCK_EPOCH };
	ev.start = (struct sr_time){ .sec = 10, .nsec = 100, .clock = SR_CLOCK_EPOCH };
	sr_evclock_place(&c, &ev, &at, &dur);
	CU_ASSERT_EQUAL(at, 10 * SR_NS_PER_SEC + 100);
	CU_ASSERT_EQUAL(dur, 400);
}

static void untimed_events_get_their_index(void)
{
	struct sr_evclock c;
	struct sr_event ev = { .kind = SR_E_SYSCALL };
	int64_t at, dur;

	sr_evclock_init(&c);
	CU_ASSERT_EQUAL(sr_evclock_place(&c, &ev, &at, &dur), SR_AXIS_SEQ);
	CU_ASSERT_EQUAL(at, 0);
	sr_evclock_place(&c, &ev, &at, &dur);
	CU_ASSERT_EQUAL(at, 1000);
}

static CU_TestInfo cases[] = {
	{ "clone, vfork and execve give parentage, execs and ends", parentage_execs_and_ends },
	{ "text rendering looks like strace-process-tree", text_rendering_like_strace_process_tree },
	{ "JSON rendering nests children", json_rendering_nests_children },
	{ "deep levels collapse into one line", deep_levels_collapse_into_one_line },
	{ "gcc-build has three processes under gcc", gcc_build_has_three_processes },
	{ "per-pid files (-ff) make one tree", per_pid_files_make_one_tree },
	{ "threads fold into their process", threads_fold_into_their_process },
	{ "a tid reused after its exit is a new task", tid_reused_after_exit_is_a_new_task },
	{ "time-of-day times roll over at midnight", tod_times_roll_over_at_midnight },
	{ "a resumed call starts at its unfinished line", resumed_call_starts_at_its_unfinished_line },
	{ "untimed events get their index as time", untimed_events_get_their_index },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_tree = { .name = "tree", .cases = cases };
