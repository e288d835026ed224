/*
 * test_record.c - live input and the strace recorder (core/record.c).
 *
 * The cases that run strace skip (and say so) where ptrace is denied;
 * tests/e2e.d/record.sh checks whole recordings through the CLI.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sr_test.h"
#include "sysrep.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct slow_writer {
	int fd;
};

/* A second line 1.5 s after the first, then the end. */
static void *write_late(void *p)
{
	struct slow_writer *w = p;
	static const char l2[] = "12    1700000001.000000 close(3) = 0\n";

	usleep(1500 * 1000);
	if (write(w->fd, l2, sizeof(l2) - 1) < 0)
		perror("write");
	close(w->fd);
	return NULL;
}

static void live_reader_passes_a_line_on_when_the_writer_pauses(void)
{
	static const char l1[] = "12    1700000000.000000 write(1, \"a\", 1) = 1\n";
	const struct sr_reader_class *rc = sr_reader_find("strace");
	struct sr_intern *atoms = sr_intern_new();
	struct slow_writer w;
	struct sr_source *src;
	struct sr_reader *r;
	struct sr_batch b;
	pthread_t th;
	int p[2];
	double t0;

	CU_ASSERT_FATAL(rc && atoms && pipe(p) == 0);
	CU_ASSERT_FATAL(sr_batch_init(&b, atoms) == SR_OK);
	CU_ASSERT_FATAL(write(p[1], l1, sizeof(l1) - 1) == sizeof(l1) - 1);
	w.fd = p[1];
	CU_ASSERT_FATAL(sr_source_open_fd(&src, p[0], "pipe", NULL) == SR_OK);
	CU_ASSERT_FATAL(rc->open(&r, src, NULL, NULL) == SR_OK);
	CU_ASSERT_FATAL(pthread_create(&th, NULL, write_late, &w) == 0);
	t0 = now();
	/* the first line comes out while the writer sleeps, not after it */
	CU_ASSERT_EQUAL(rc->next(r, &b, NULL), SR_OK);
	CU_ASSERT(now() - t0 < 1.0);
	CU_ASSERT_EQUAL(b.n, 1);
	if (b.n)
		CU_ASSERT(b.ev[0].name && !strcmp(b.ev[0].name->str, "write"));
	/* the second after it, then the end */
	CU_ASSERT(rc->next(r, &b, NULL) >= 0);
	CU_ASSERT_EQUAL(b.n, 1);
	if (b.n)
		CU_ASSERT(b.ev[0].name && !strcmp(b.ev[0].name->str, "close"));
	CU_ASSERT_EQUAL(rc->next(r, &b, NULL), SR_END);
	pthread_join(th, NULL);
	rc->close(r);
	sr_source_close(src);
	sr_batch_free(&b);
	sr_intern_free(atoms);
}

static void a_file_is_always_ready(void)
{
	struct sr_source *s;
	char buf[8];
	size_t got;

	CU_ASSERT_FATAL(sr_source_open(&s, "/dev/null", NULL) == SR_OK);
	CU_ASSERT(sr_source_ready(s, 1000));
	CU_ASSERT_EQUAL(sr_source_read(s, buf, sizeof(buf), &got, NULL), SR_OK);
	CU_ASSERT_EQUAL(got, 0);
	CU_ASSERT(sr_source_ready(s, 1000));
	sr_source_close(s);
}

static void a_missing_strace_says_how_to_install_it(void)
{
	const char *argv[] = { "true", NULL };
	struct sr_record_opts o = { .strace = "/nonexistent/strace", .argv = argv };
	struct sr_recording *r = (void *)1;
	struct sr_error err = { 0 };

	CU_ASSERT_EQUAL(sr_record_start(&r, &o, &err), SR_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NULL(r);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "apt-get install strace"));
}

static void options_that_take_the_trace_away_are_refused(void)
{
	static const char *const bad[] = { "-o", "-otrace.txt", "--output=x", "-ff", "-D", "-p" };
	const char *argv[] = { "true", NULL };
	struct sr_recording *r;
	struct sr_error err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sr_record_opts o = { .argv = argv, .extra = &bad[i], .nextra = 1 };

		CU_ASSERT_EQUAL(sr_record_start(&r, &o, &err), SR_ERR_USAGE);
	}
}

/* Records argv to the end; returns the exit status, or -1 when ptrace is
 * denied here (the case then passes, with a note). */
static int record(const char *const *argv, uint64_t *bytes)
{
	struct sr_record_opts o = { .argv = argv };
	struct sr_recording *r;
	struct sr_error err = { 0 };
	char buf[65536];
	size_t got;
	int status = -2;
	enum sr_status st = sr_record_start(&r, &o, &err);

	if (st == SR_ERR_UNSUPPORTED) {
		fprintf(stderr, "\n  (skipped: %s)\n", err.msg);
		return -1;
	}
	CU_ASSERT_EQUAL_FATAL(st, SR_OK);
	*bytes = 0;
	while (sr_source_read(sr_record_source(r), buf, sizeof(buf), &got, NULL) == SR_OK && got)
		*bytes += got;
	CU_ASSERT_EQUAL(sr_record_finish(r, &status, &err), SR_OK);
	CU_ASSERT_EQUAL(sr_record_pid(r), 0);
	sr_record_free(r);
	return status;
}

static void a_recording_ends_with_the_commands_exit_status(void)
{
	const char *exit3[] = { "/bin/sh", "-c", "exit 3", NULL };
	const char *abrt[] = { "/bin/sh", "-c", "kill -ABRT $$", NULL };
	uint64_t bytes = 0;
	int st = record(exit3, &bytes);

	if (st == -1)
		return;
	CU_ASSERT_EQUAL(st, 3);
	CU_ASSERT(bytes > 0);
	CU_ASSERT_EQUAL(record(abrt, &bytes), 128 + 6);
}

static CU_TestInfo cases[] = {
	{ "a live reader passes a line on when the writer pauses",
	  live_reader_passes_a_line_on_when_the_writer_pauses },
	{ "a file is always ready", a_file_is_always_ready },
	{ "a missing strace says how to install it", a_missing_strace_says_how_to_install_it },
	{ "options that take the trace away are refused",
	  options_that_take_the_trace_away_are_refused },
	{ "a recording ends with the command's exit status",
	  a_recording_ends_with_the_commands_exit_status },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_record = {
	.name = "record",
	.cases = cases,
};
