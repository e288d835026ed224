/*
 * test_sink.c - buffered output, temporary files and sticky errors.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sr_test.h"
#include "sysrep.h"

static char dir[] = "/tmp/sysrep-test-sink-XXXXXX";

static int suite_init(void)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int suite_cleanup(void)
{
	return rmdir(dir);
}

static const char *path_of(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

/* Number of entries in the test directory, "." and ".." aside. */
static int dir_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* Reads a whole file into a malloc'd buffer; NULL when it does not exist. */
static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	p = malloc((size_t)len + 1);
	*n = fread(p, 1, (size_t)len, f);
	fclose(f);
	return p;
}

static void output_appears_only_when_closed(void)
{
	char path[256];
	struct sr_sink *s;
	size_t n;
	char *got;

	snprintf(path, sizeof(path), "%s", path_of("out.jsonl"));
	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&s, path, NULL), SR_OK);
	CU_ASSERT_STRING_EQUAL(sr_sink_name(s), path);
	sr_sink_write(s, "hello ", 6);
	sr_sink_puts(s, SR_STR("world\n"));
	CU_ASSERT_EQUAL(sr_sink_flush(s, NULL), SR_OK);
	/* flushed, but into the temporary file next to the target */
	CU_ASSERT_EQUAL(access(path, F_OK), -1);
	CU_ASSERT_EQUAL(dir_entries(), 1);
	CU_ASSERT_EQUAL(sr_sink_close(s, NULL), SR_OK);
	got = slurp(path, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_EQUAL(n, 12);
	CU_ASSERT_EQUAL(memcmp(got, "hello world\n", 12), 0);
	CU_ASSERT_EQUAL(dir_entries(), 1);
	free(got);
	unlink(path);
}

static void reserve_and_commit_count_bytes(void)
{
	char path[256];
	struct sr_sink *s;
	size_t i, n, total = 0;
	char *got;
	int bad = 0;

	snprintf(path, sizeof(path), "%s", path_of("big.out"));
	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&s, path, NULL), SR_OK);
	/* 1.2 MB through reservations, crossing the buffer many times */
	for (i = 0; i < 10000; i++) {
		char *p = sr_sink_reserve(s, 200);

		memset(p, 'a' + (int)(i % 26), 120);
		sr_sink_commit(s, 120);
		total += 120;
	}
	/* one reservation bigger than the whole buffer */
	{
		char *p = sr_sink_reserve(s, 600000);

		memset(p, '#', 600000);
		sr_sink_commit(s, 600000);
		total += 600000;
	}
	/* and a direct write bigger than the buffer */
	{
		char *big = malloc(300000);

		memset(big, '=', 300000);
		sr_sink_write(s, big, 300000);
		total += 300000;
		free(big);
	}
	CU_ASSERT_EQUAL(sr_sink_bytes(s), total);
	CU_ASSERT_EQUAL(sr_sink_close(s, NULL), SR_OK);
	got = slurp(path, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_EQUAL(n, total);
	for (i = 0; i < 10000 * 120; i++)
		bad += got[i] != 'a' + (int)(i / 120 % 26);
	for (; i < 10000 * 120 + 600000; i++)
		bad += got[i] != '#';
	for (; i < total; i++)
		bad += got[i] != '=';
	CU_ASSERT_EQUAL(bad, 0);
	free(got);
	unlink(path);
}

static void abort_leaves_no_file_and_keeps_the_old_one(void)
{
	char path[256];
	struct sr_sink *s;
	size_t n;
	char *got;

	snprintf(path, sizeof(path), "%s", path_of("keep.txt"));
	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&s, path, NULL), SR_OK);
	sr_sink_write(s, "partial", 7);
	sr_sink_flush(s, NULL);
	sr_sink_abort(s);
	CU_ASSERT_EQUAL(access(path, F_OK), -1);
	CU_ASSERT_EQUAL(dir_entries(), 0);

	/* an existing file survives a failed run untouched */
	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&s, path, NULL), SR_OK);
	sr_sink_write(s, "old\n", 4);
	CU_ASSERT_EQUAL(sr_sink_close(s, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&s, path, NULL), SR_OK);
	sr_sink_write(s, "new, but failed\n", 16);
	sr_sink_abort(s);
	got = slurp(path, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_EQUAL(memcmp(got, "old\n", 4), 0);
	CU_ASSERT_EQUAL(dir_entries(), 1);
	free(got);
	unlink(path);
	sr_sink_abort(NULL);
}

static void replacing_a_file_keeps_its_mode(void)
{
	char path[256];
	struct sr_sink *s;
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s", path_of("mode.txt"));
	fd = open(path, O_WRONLY | O_CREAT, 0640);
	CU_ASSERT_FATAL(fd >= 0);
	fchmod(fd, 0640);
	close(fd);
	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&s, path, NULL), SR_OK);
	sr_sink_write(s, "x", 1);
	CU_ASSERT_EQUAL(sr_sink_close(s, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0640);
	CU_ASSERT_EQUAL(st.st_size, 1);
	unlink(path);
}

static void device_outputs_are_written_in_place(void)
{
	struct sr_sink *s;
	struct stat st;

	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&s, "/dev/null", NULL), SR_OK);
	sr_sink_write(s, "nothing", 7);
	CU_ASSERT_EQUAL(sr_sink_bytes(s), 7);
	CU_ASSERT_EQUAL(sr_sink_close(s, NULL), SR_OK);
	/* still the device, not a file renamed over it */
	CU_ASSERT_EQUAL_FATAL(stat("/dev/null", &st), 0);
	CU_ASSERT(S_ISCHR(st.st_mode));
}

static void unwritable_place_is_an_io_error_with_the_file_set(void)
{
	struct sr_sink *s = (struct sr_sink *)1;
	struct sr_error err = { 0 };
	char path[256];

	snprintf(path, sizeof(path), "%s", path_of("no/such/dir/out.jsonl"));
	CU_ASSERT_EQUAL(sr_sink_open(&s, path, &err), SR_ERR_IO);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_EQUAL(err.code, SR_ERR_IO);
	CU_ASSERT_STRING_EQUAL(err.msg, "cannot open output: No such file or directory");
	CU_ASSERT_STRING_EQUAL(err.file, path);
}

static void write_errors_are_sticky_and_drop_the_output(void)
{
	struct sr_error err = { 0 };
	struct sr_sink *s;
	size_t i;

	/* /dev/full fails every write with ENOSPC */
	if (access("/dev/full", W_OK) != 0)
		return;
	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&s, "/dev/full", NULL), SR_OK);
	sr_sink_write(s, "a", 1);
	CU_ASSERT_EQUAL(sr_sink_flush(s, &err), SR_ERR_IO);
	CU_ASSERT_STRING_EQUAL(err.msg, "cannot write output: No space left on device");
	CU_ASSERT_STRING_EQUAL(err.file, "/dev/full");
	/* writers go on writing: reserve still hands out memory */
	for (i = 0; i < 1000; i++) {
		char *p = sr_sink_reserve(s, 1000);

		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		memset(p, 'x', 1000);
		sr_sink_commit(s, 1000);
	}
	sr_sink_write(s, "b", 1);
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(sr_sink_close(s, &err), SR_ERR_IO);
	CU_ASSERT_STRING_EQUAL(err.msg, "cannot write output: No space left on device");
}

struct fn_buf {
	char data[4096];
	size_t len;
	int calls;
	int fail; /* errno to return, 0: take the bytes */
};

static int fn_take(void *ctx, const void *p, size_t n)
{
	struct fn_buf *b = ctx;

	b->calls++;
	if (b->fail)
		return b->fail;
	if (n > sizeof(b->data) - b->len)
		return ENOSPC;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

static void a_callback_sink_hands_its_bytes_at_flush_and_close(void)
{
	struct fn_buf b = { .len = 0 };
	struct sr_sink *s;
	struct sr_error err;

	CU_ASSERT_EQUAL_FATAL(sr_sink_open_fn(&s, "mem", fn_take, &b, NULL), SR_OK);
	CU_ASSERT_STRING_EQUAL(sr_sink_name(s), "mem");
	sr_sink_write(s, "abc", 3);
	CU_ASSERT_EQUAL(b.len, 0);
	CU_ASSERT_EQUAL(sr_sink_flush(s, NULL), SR_OK);
	CU_ASSERT_EQUAL(b.len, 3);
	sr_sink_write(s, "de", 2);
	CU_ASSERT_EQUAL(sr_sink_close(s, NULL), SR_OK);
	CU_ASSERT_EQUAL(b.len, 5);
	CU_ASSERT_EQUAL(memcmp(b.data, "abcde", 5), 0);

	/* the callback's errno is the sink's sticky error */
	memset(&b, 0, sizeof(b));
	b.fail = EPIPE;
	CU_ASSERT_EQUAL_FATAL(sr_sink_open_fn(&s, NULL, fn_take, &b, NULL), SR_OK);
	sr_sink_write(s, "x", 1);
	memset(&err, 0, sizeof(err));
	CU_ASSERT_EQUAL(sr_sink_flush(s, &err), SR_ERR_IO);
	CU_ASSERT_STRING_EQUAL(err.msg, "cannot write output: Broken pipe");
	sr_sink_write(s, "y", 1);
	CU_ASSERT_EQUAL(sr_sink_close(s, NULL), SR_ERR_IO);
	CU_ASSERT_EQUAL(b.calls, 1);
}

static CU_TestInfo cases[] = {
	{ "a callback sink hands its bytes on at flush and close", a_callback_sink_hands_its_bytes_at_flush_and_close },
	{ "output appears under its name only when closed", output_appears_only_when_closed },
	{ "reserve, commit and write count every byte", reserve_and_commit_count_bytes },
	{ "abort leaves no file and keeps an older one", abort_leaves_no_file_and_keeps_the_old_one },
	{ "replacing a file keeps its permission bits", replacing_a_file_keeps_its_mode },
	{ "device outputs are written in place", device_outputs_are_written_in_place },
	{ "an unwritable place is an I/O error with the file set", unwritable_place_is_an_io_error_with_the_file_set },
	{ "write errors are sticky and reported at close", write_errors_are_sticky_and_drop_the_output },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_sink = {
	.name = "sink",
	.cases = cases,
	.init = suite_init,
	.cleanup = suite_cleanup,
};
