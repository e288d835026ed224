/*
 * sr_scratch.h - a scratch directory for one test suite, and whole-file
 * reads and writes, for the test files that work on files.
 *
 * Define SR_SCRATCH_TAG ("archive") before including it; then hand
 * suite_init and suite_cleanup to the suite (struct sr_test_suite) and use
 * path_of("name") for files inside the directory.
 */
#ifndef SR_SCRATCH_H
#define SR_SCRATCH_H

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sysrep.h"

#define SR_SCRATCH_UNUSED __attribute__((unused))

static char scratch_dir[] = "/tmp/sysrep-test-" SR_SCRATCH_TAG "-XXXXXX";

static SR_SCRATCH_UNUSED int suite_init(void)
{
	return mkdtemp(scratch_dir) ? 0 : -1;
}

static SR_SCRATCH_UNUSED int suite_cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch_dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The path of name in the directory; four calls may be live at once. */
static SR_SCRATCH_UNUSED const char *path_of(const char *name)
{
	static char buf[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", scratch_dir, name);
	return buf[k];
}

/* The whole file, malloc'd with a NUL after it; NULL when it cannot be read. */
static SR_SCRATCH_UNUSED char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long len;

	*n = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	p = malloc((size_t)len + 1);
	if (p) {
		*n = fread(p, 1, (size_t)len, f);
		p[*n] = '\0';
	}
	fclose(f);
	return p;
}

static SR_SCRATCH_UNUSED void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(p, 1, n, f), n);
	CU_ASSERT_EQUAL(fclose(f), 0);
}

/* Converts the file at in with writer `to` (options fmt, NULL: none) into
 * the file at out; the status of the run. */
static SR_SCRATCH_UNUSED enum sr_status convert_file(const char *in, const char *out,
						     const char *to, const struct sr_opts *fmt,
						     struct sr_error *err)
{
	const struct sr_convert_opts opts = { .fmt = fmt };
	struct sr_sink *sink;
	enum sr_status st;

	st = sr_sink_open(&sink, out, err);
	if (st)
		return st;
	st = sr_convert(&opts, &in, 1, sr_writer_find(to), sink, NULL, err);
	if (st < 0) {
		sr_sink_abort(sink);
		return st;
	}
	return sr_sink_close(sink, err);
}

#endif /* SR_SCRATCH_H */
