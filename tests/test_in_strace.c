/*
 * test_in_strace.c - the strace reader's mechanics: chunks and batches,
 * state across batches, accounting, and the round trip through the strace
 * writer.  The shapes of single lines are tested by tests/test_lines.c
 * against tests/golden/lines.txt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sr_test.h"
#include "strace_internal.h"
#include "strace_par.h"
#include "sysrep.h"

extern const struct sr_reader_class sr_in_strace;
extern const struct sr_writer_class sr_out_strace;

static char tmpdir[] = "/tmp/sr_in_strace_XXXXXX";

static int suite_init(void)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int suite_cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A growable text to build inputs in. */
struct text {
	char *p;
	size_t len, cap;
};

static void add(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->p = realloc(t->p, t->cap);
		CU_ASSERT_PTR_NOT_NULL_FATAL(t->p);
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void adds(struct text *t, const char *s) { add(t, s, strlen(s)); }

static const char *write_file(const char *name, const struct text *t)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL_FATAL(fwrite(t->p, 1, t->len, f), t->len);
	fclose(f);
	return path;
}

/* What reading a file gave: the events' kinds and flags in order. */
struct seen {
	struct sr_counts counts;
	size_t n;
	uint8_t kind[64];
	uint16_t flags[64];
	uint32_t nargs[64];
	uint32_t natt[64];
	int64_t pid[64];
	uint64_t line[64];
	char first_arg[64][32];   /* the first string argument */
	size_t batches;
	size_t max_batch;	  /* the most events one batch held */
};

static void record(struct seen *s, const struct sr_event *ev)
{
	size_t i = s->n++;

	if (i >= 64)
		return;
	s->kind[i] = ev->kind;
	s->flags[i] = ev->flags;
	s->nargs[i] = ev->nargs;
	s->natt[i] = ev->natt;
	s->pid[i] = ev->lead.pid;
	s->line[i] = ev->line;
	s->first_arg[i][0] = '\0';
	for (uint32_t k = 0; k < ev->nargs; k++) {
		size_t n = ev->args[k].text.len < 31 ? ev->args[k].text.len : 31;

		if (ev->args[k].kind != SR_V_STR)
			continue;
		memcpy(s->first_arg[i], ev->args[k].text.ptr, n);
		s->first_arg[i][n] = '\0';
		break;
	}
}

static void read_all(const char *path, struct seen *s)
{
	struct sr_source *src = NULL;
	struct sr_reader *r = NULL;
	struct sr_intern *atoms = sr_intern_new();
	struct sr_batch b;
	enum sr_status st;

	memset(s, 0, sizeof(*s));
	CU_ASSERT_EQUAL_FATAL(sr_source_open(&src, path, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_in_strace.open(&r, src, NULL, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_batch_init(&b, atoms), SR_OK);
	while ((st = sr_in_strace.next(r, &b, NULL)) == SR_OK || b.n) {
		s->batches++;
		if (b.n > s->max_batch)
			s->max_batch = b.n;
		sr_counts_add(&s->counts, &b);
		for (size_t i = 0; i < b.n; i++)
			record(s, &b.ev[i]);
		if (st != SR_OK)
			break;
	}
	CU_ASSERT(st == SR_OK || st == SR_END);
	sr_batch_free(&b);
	sr_in_strace.close(r);
	sr_source_close(src);
	sr_intern_free(atoms);
}

/* strace -> strace gives the file back byte for byte. */
static void check_round_trip(const char *path, const struct text *t)
{
	char out[300];
	struct sr_source *src = NULL;
	struct sr_reader *r = NULL;
	struct sr_writer *w = NULL;
	struct sr_sink *sink = NULL;
	struct sr_intern *atoms = sr_intern_new();
	struct sr_batch b;
	enum sr_status st;
	FILE *f;
	char *back;
	size_t n;

	snprintf(out, sizeof(out), "%s.back", path);
	CU_ASSERT_EQUAL_FATAL(sr_source_open(&src, path, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_in_strace.open(&r, src, NULL, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&sink, out, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_out_strace.open(&w, sink, NULL, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_batch_init(&b, atoms), SR_OK);
	while ((st = sr_in_strace.next(r, &b, NULL)) == SR_OK || b.n) {
		CU_ASSERT_EQUAL(sr_out_strace.write(w, &b, NULL), SR_OK);
		if (st != SR_OK)
			break;
	}
	CU_ASSERT_EQUAL(sr_out_strace.finish(w, NULL), SR_OK);
	sr_out_strace.close(w);
	CU_ASSERT_EQUAL(sr_sink_close(sink, NULL), SR_OK);
	sr_batch_free(&b);
	sr_in_strace.close(r);
	sr_source_close(src);
	sr_intern_free(atoms);

	f = fopen(out, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	back = malloc(t->len + 2);
	n = fread(back, 1, t->len + 1, f);
	fclose(f);
	CU_ASSERT_EQUAL(n, t->len);
	CU_ASSERT(n == t->len && memcmp(back, t->p, n) == 0);
	free(back);
}

static void check_accounting(const struct seen *s, uint64_t lines)
{
	CU_ASSERT_EQUAL(s->counts.lines, lines);
	CU_ASSERT_EQUAL(s->counts.events + s->counts.unparsed + s->counts.attached, lines);
}

static void test_long_line(void)
{
	struct text t = { 0 };
	struct seen s;
	const char *path;
	size_t i;

	/* a 3 MiB string: longer than the reader's chunk */
	adds(&t, "write(1, \"");
	for (i = 0; i < 3 * 1024 * 1024; i++)
		add(&t, &"abcdefgh"[i % 8], 1);
	adds(&t, "\", 3145728) = 3145728\nclose(1) = 0\n");
	path = write_file("long.strace", &t);
	read_all(path, &s);
	check_accounting(&s, 2);
	CU_ASSERT_EQUAL(s.counts.verbatim, 0);
	CU_ASSERT_EQUAL(s.n, 2);
	CU_ASSERT_EQUAL(s.kind[0], SR_E_SYSCALL);
	CU_ASSERT_EQUAL(strlen(s.first_arg[0]), 31);
	CU_ASSERT_EQUAL(s.nargs[0], 3);
	check_round_trip(path, &t);
	free(t.p);
}

static void test_attachments_across_chunks(void)
{
	struct text t = { 0 };
	struct seen s;
	const char *path;
	size_t i, frames = 30000; /* about 2 MiB of frames after one line */
	char buf[128];

	adds(&t, "openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY) = 3\n");
	for (i = 0; i < frames; i++) {
		snprintf(buf, sizeof(buf),
			 " > /usr/lib/x86_64-linux-gnu/libc.so.6(__open64+0x%zx) [0x%zx]\n", i, i);
		adds(&t, buf);
	}
	adds(&t, "close(3) = 0\n > /usr/lib/libc.so.6(close+0x1) [0x2]\n");
	path = write_file("frames.strace", &t);
	read_all(path, &s);
	check_accounting(&s, frames + 3);
	CU_ASSERT_EQUAL(s.n, 2);
	CU_ASSERT_EQUAL(s.natt[0], frames);
	CU_ASSERT_EQUAL(s.natt[1], 1);
	check_round_trip(path, &t);
	free(t.p);
}

static void test_resumed_in_a_later_batch(void)
{
	struct text t = { 0 };
	struct seen s;
	const char *path;
	size_t i, fill = 40000;
	char buf[128];

	adds(&t, "[pid   100] read(3,  <unfinished ...>\n");
	for (i = 0; i < fill; i++) {
		snprintf(buf, sizeof(buf), "[pid   200] getpid()                  = 200\n");
		adds(&t, buf);
	}
	adds(&t, "[pid   100] <... read resumed>\"abc\", 4096) = 3\n");
	path = write_file("resume.strace", &t);
	read_all(path, &s);
	check_accounting(&s, fill + 2);
	CU_ASSERT(s.batches >= 2);
	CU_ASSERT_EQUAL(s.counts.by_kind[SR_E_UNFINISHED], 1);
	CU_ASSERT_EQUAL(s.counts.verbatim, 0);
	CU_ASSERT_EQUAL(s.counts.unparsed, 0);
	check_round_trip(path, &t);
	free(t.p);
}

static void test_merged_call(void)
{
	struct text t = { 0 };
	struct seen s;
	const char *path;

	adds(&t, "[pid   100] read(3,  <unfinished ...>\n"
		 "[pid   101] close(4)                    = 0\n"
		 "[pid   100] <... read resumed>\"abc\", 4096) = 3\n"
		 "[pid   101] clone(child_stack=NULL, flags=SIGCHLD <unfinished ...>\n"
		 "[pid   101] <... clone resumed>, child_tidptr=0x7f00) = 102\n"
		 "[pid   102] <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 7\n");
	path = write_file("merge.strace", &t);
	read_all(path, &s);
	check_accounting(&s, 6);
	CU_ASSERT_EQUAL(s.n, 6);
	CU_ASSERT_EQUAL(s.kind[0], SR_E_UNFINISHED);
	CU_ASSERT_EQUAL(s.nargs[0], 1);
	CU_ASSERT(s.flags[0] & SR_EF_SEP_CUT);
	/* the merged read has both halves' arguments */
	CU_ASSERT_EQUAL(s.kind[2], SR_E_SYSCALL);
	CU_ASSERT(s.flags[2] & SR_EF_RESUMED);
	CU_ASSERT_FALSE(s.flags[2] & SR_EF_ORPHAN);
	CU_ASSERT_EQUAL(s.nargs[2], 3);
	CU_ASSERT_EQUAL(s.pid[2], 100);
	CU_ASSERT_EQUAL(s.nargs[4], 3);
	/* a resumption never started: the tail alone, flagged */
	CU_ASSERT(s.flags[5] & SR_EF_ORPHAN);
	CU_ASSERT_EQUAL(s.nargs[5], 3);
	CU_ASSERT_EQUAL(s.counts.verbatim, 0);
	check_round_trip(path, &t);
	free(t.p);
}

static void test_no_final_newline(void)
{
	struct text t = { 0 };
	struct seen s;
	const char *path;

	adds(&t, "close(3) = 0\nclose(4) = -1 EBADF (Bad file descriptor)");
	path = write_file("noeol.strace", &t);
	read_all(path, &s);
	check_accounting(&s, 2);
	CU_ASSERT(s.flags[1] & SR_EF_NO_EOL);
	CU_ASSERT_FALSE(s.flags[0] & SR_EF_NO_EOL);
	check_round_trip(path, &t);
	free(t.p);
}

static void test_garbage_is_kept(void)
{
	struct text t = { 0 };
	struct seen s;
	const char *path;
	static const char bin[] = "\x00\x01\xff\xfe binary \x00 junk";

	adds(&t, "close(3) = 0\n");
	add(&t, bin, sizeof(bin) - 1);
	adds(&t, "\nnot a trace line at all\n\n > orphan frame? no: after an event\n"
		 "read(3, \"unterminated\n"
		 "close(4) = 0\n");
	path = write_file("garbage.strace", &t);
	read_all(path, &s);
	check_accounting(&s, 7);
	CU_ASSERT_EQUAL(s.counts.unparsed, 4);
	check_round_trip(path, &t);
	free(t.p);
}

static void test_pid_from_file_name(void)
{
	struct text t = { 0 };
	struct seen s;
	const char *path;

	adds(&t, "02:53:10.123456 getpid() = 4321\n02:53:10.123460 +++ exited with 0 +++\n");
	path = write_file("trace.4321", &t);
	read_all(path, &s);
	CU_ASSERT_EQUAL(s.pid[0], 4321);
	CU_ASSERT_EQUAL(s.pid[1], 4321);
	check_round_trip(path, &t);
	free(t.p);
}

/* Pids under five digits: padded as strace prints them ("%-5u ", "[pid %5u]"),
 * unpadded after a comm ("%u<comm> ", -Y), and unpadded as hand-made traces
 * and other tools write them; a short number followed by a time is a pid. */
static void test_short_pids(void)
{
	static const char *const lines[] = {
		"7 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
		"child_tidptr=0x7f0) = 8\n",
		"8 read(3, \"x\", 1) = 1\n",
		"[pid 9] read(3, \"x\", 1) = 1\n",
		"[pid     9] write(1, \"x\", 1) = 1\n",
		"42 +++ exited with 0 +++\n",
		"1234 close(3) = 0\n",
		"7<a> getpid() = 7\n",
		"7     getpid() = 7\n",
		"99 12:00:01 getpid() = 99\n",
		"     7 getpid() = 7\n", /* -r=s: a time, no pid */
	};
	static const int64_t want[] = { 7, 8, 9, 9, 42, 1234, 7, 7, 99, -1 };
	struct text t = { 0 };
	struct seen s;
	const char *path;

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		adds(&t, lines[i]);
	path = write_file("short-pids.strace", &t);
	read_all(path, &s);
	CU_ASSERT_EQUAL_FATAL(s.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < s.n; i++) {
		CU_ASSERT_EQUAL(s.pid[i], want[i]);
		CU_ASSERT_NOT_EQUAL(s.kind[i], SR_E_UNPARSED);
	}
	/* as strace prints them, spelled back without the verbatim copy */
	CU_ASSERT_FALSE(s.flags[3] & SR_EF_VERBATIM);
	CU_ASSERT_FALSE(s.flags[6] & SR_EF_VERBATIM);
	CU_ASSERT_FALSE(s.flags[7] & SR_EF_VERBATIM);
	check_round_trip(path, &t);
	free(t.p);
}

/* A write taken for one whose output runs over the next lines, and it
 * was not: the lines are read again, and one may begin a splice or look
 * like another such write.  Found by fuzzing: lines were lost and out of
 * order (tests/fuzz/regress/strace/). */
static void test_output_fallback_rereads_lines(void)
{
	static const struct {
		const char *text;
		uint64_t lines;
	} cases[] = {
		{ "write(1, \"\"..., 832\nwrite(1, \"\"..., 82", 2 },
		{ "write(1, \"\"..., 832\nrstrace: \n0strace: ", 3 },
		{ "write(1, \"\"..., 30\nab strace: x\ncd strace: y\nclose(3) = 0\n", 4 },
		{ "write(1, \"\"..., 24\nwrite(1, \"\"..., 900\nclose(3) = 0\nx\n", 4 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct text t = { 0 };
		struct seen s;
		char name[40];
		const char *path;

		adds(&t, cases[i].text);
		snprintf(name, sizeof(name), "reread-%zu.strace", i);
		path = write_file(name, &t);
		read_all(path, &s);
		check_accounting(&s, cases[i].lines);
		check_round_trip(path, &t);
		free(t.p);
	}
}

static void test_program_output(void)
{
	struct text t = { 0 };
	struct seen s;
	const char *path;

	/* the program wrote "a\nb\n" to the terminal strace printed to; the
	 * third write was cut after its output by another task's line */
	adds(&t, "write(1, \"a\\nb\\n\", 4a\nb\n)                 = 4\n"
		 "write(2, \"ls: \", 4ls: )                 = 4\n"
		 "[pid     7] write(1, \"x\\n\", 2x\n <unfinished ...>\n"
		 "[pid     8] getpid()                    = 8\n"
		 "[pid     7] <... write resumed>)        = 2\n"
		 "exit_group(0)                           = ?\n");
	path = write_file("output.strace", &t);
	read_all(path, &s);
	check_accounting(&s, 9);
	CU_ASSERT_EQUAL(s.n, 6);
	CU_ASSERT_EQUAL(s.kind[2], SR_E_UNFINISHED);
	CU_ASSERT_EQUAL(s.natt[2], 1);
	CU_ASSERT(s.flags[4] & SR_EF_RESUMED);
	CU_ASSERT_FALSE(s.flags[4] & SR_EF_ORPHAN);
	CU_ASSERT_EQUAL(s.counts.unparsed, 0);
	CU_ASSERT_EQUAL(s.natt[0], 1);
	CU_ASSERT_STRING_EQUAL(s.first_arg[0], "a\nb\n");
	check_round_trip(path, &t);
	free(t.p);
}

static void test_spliced_message(void)
{
	struct text t = { 0 };
	struct seen s;
	const char *path;

	adds(&t, "vfork(strace: Process 7 attached\n"
		 " <unfinished ...>\n"
		 "[pid     7] execve(\"/bin/true\", [\"true\"], 0x7ffd /* 4 vars */) = 0\n"
		 "[pid     6] <... vfork resumed>)        = 7\n");
	path = write_file("splice.strace", &t);
	read_all(path, &s);
	check_accounting(&s, 4);
	CU_ASSERT_EQUAL(s.counts.unparsed, 0);
	CU_ASSERT_EQUAL(s.kind[0], SR_E_UNFINISHED);
	CU_ASSERT_EQUAL(s.natt[0], 1);
	/* cut without a pid, resumed with one: still the same call */
	CU_ASSERT(s.flags[2] & SR_EF_RESUMED);
	CU_ASSERT_FALSE(s.flags[2] & SR_EF_ORPHAN);
	check_round_trip(path, &t);
	free(t.p);
}

static void test_crlf(void)
{
	struct text t = { 0 };
	struct seen s;
	const char *path;

	adds(&t, "close(3) = 0\r\n"
		 "read(3, \"x\", 1) = 1\r\n"
		 " | 00000  78                                                x                |\r\n"
		 "close(4) = 0\n");
	path = write_file("crlf.strace", &t);
	read_all(path, &s);
	check_accounting(&s, 4);
	CU_ASSERT_EQUAL(s.counts.unparsed, 0);
	CU_ASSERT(s.flags[0] & SR_EF_CRLF);
	CU_ASSERT(s.flags[1] & SR_EF_CRLF);
	CU_ASSERT_EQUAL(s.natt[1], 1);
	CU_ASSERT_FALSE(s.flags[2] & SR_EF_CRLF);
	check_round_trip(path, &t);
	free(t.p);
}

static enum sr_status par_emit(void *ctx, struct sr_batch *b, struct sr_error *err)
{
	struct seen *s = ctx;

	(void)err;
	s->batches++;
	if (b->n > s->max_batch)
		s->max_batch = b->n;
	sr_counts_add(&s->counts, b);
	return SR_OK;
}

/* issue 22: a batch was capped by bytes only, so 10 MB of empty lines were
 * ten million events at once.  Now by lines too, sequential and parallel,
 * and the cut never parts attachments from their event. */
static void test_batches_capped_by_lines(void)
{
	struct text t = { 0 };
	struct seen s;
	struct sr_source *src = NULL;
	struct sr_intern *atoms = sr_intern_new();
	const char *path;
	size_t i, lines = 0, n = 5 * SR_STRACE_BATCH_LINES;

	for (i = 0; i < n; i++) {
		if (i % 997 == 0) {
			adds(&t, "close(3) = 0\n > /lib/libc.so.6(close+0x1) [0x2]\n"
				 " > /lib/libc.so.6(main+0x2) [0x3]\n");
			lines += 3;
		} else {
			adds(&t, "\n");
			lines++;
		}
	}
	path = write_file("empty-lines.strace", &t);
	read_all(path, &s);
	check_accounting(&s, lines);
	CU_ASSERT(s.batches >= 5);
	CU_ASSERT(s.max_batch <= SR_STRACE_BATCH_LINES);
	/* the attachments stayed with their close() */
	CU_ASSERT_EQUAL(s.counts.attached, 2 * (n / 997 + 1));
	check_round_trip(path, &t);

	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL_FATAL(sr_source_open(&src, path, NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_strace_par_run(src, atoms, 2, 0, par_emit, &s, NULL), SR_OK);
	check_accounting(&s, lines);
	CU_ASSERT(s.max_batch <= SR_STRACE_BATCH_LINES);
	CU_ASSERT_EQUAL(s.counts.attached, 2 * (n / 997 + 1));
	sr_source_close(src);
	sr_intern_free(atoms);
	free(t.p);
}

static CU_TestInfo cases[] = {
	{ "a line longer than the input chunk is read whole", test_long_line },
	{ "attachments straddling chunks stay with their event", test_attachments_across_chunks },
	{ "batches are capped by lines as well as bytes", test_batches_capped_by_lines },
	{ "a call cut in one batch resumes in a later one", test_resumed_in_a_later_batch },
	{ "unfinished and resumed halves merge into one call", test_merged_call },
	{ "input without a final newline round-trips", test_no_final_newline },
	{ "garbage lines are kept verbatim and counted", test_garbage_is_kept },
	{ "a -ff file name gives the pid", test_pid_from_file_name },
	{ "pids under five digits, padded or not, are pids", test_short_pids },
	{ "program output written into a line is kept apart", test_program_output },
	{ "lines taken for a write's output are read again in order", test_output_fallback_rereads_lines },
	{ "a message spliced into a line is kept apart", test_spliced_message },
	{ "CRLF line endings are line endings, kept for the round trip", test_crlf },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_in_strace = {
	.name = "in_strace",
	.cases = cases,
	.init = suite_init,
	.cleanup = suite_cleanup,
};
