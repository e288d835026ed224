/*
 * test_csv.c - the CSV writer: header, default and chosen columns, empty
 * cells for what does not apply, RFC 4180 quoting, unknown columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "sysrep.h"

#include "sr_test.h"

extern const struct sr_writer_class sr_out_csv;

/* Writes b through the csv writer with options columns and record (NULL:
 * default); returns the text (malloc'd) or NULL when open failed (*st
 * says why). */
static char *render_rec(const struct sr_batch *b, const char *columns, const char *record,
			enum sr_status *st)
{
	char path[] = "/tmp/sysrep-test-csv-XXXXXX";
	int fd = mkstemp(path);
	struct sr_opt opt[2];
	struct sr_opts opts = { opt, 0 };
	struct sr_sink *out = NULL;
	struct sr_writer *w = NULL;
	struct sr_error err = { 0 };
	char *text = NULL;
	FILE *f;
	long n;

	if (columns)
		opt[opts.n++] = (struct sr_opt){ "columns", columns };
	if (record)
		opt[opts.n++] = (struct sr_opt){ "record", record };
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	CU_ASSERT_FATAL(sr_sink_open(&out, path, NULL) == SR_OK);
	*st = sr_out_csv.open(&w, out, &opts, &err);
	if (*st == SR_OK) {
		CU_ASSERT(sr_out_csv.write(w, b, NULL) == SR_OK);
		CU_ASSERT(sr_out_csv.finish(w, NULL) == SR_OK);
		sr_out_csv.close(w);
	}
	CU_ASSERT(sr_sink_close(out, NULL) == SR_OK);
	f = fopen(path, "rb");
	CU_ASSERT_FATAL(f != NULL);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	CU_ASSERT(fread(text, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	unlink(path);
	if (*st != SR_OK) {
		free(text);
		return NULL;
	}
	return text;
}

static char *render(const struct sr_batch *b, const char *columns, enum sr_status *st)
{
	return render_rec(b, columns, NULL, st);
}

static struct sr_value int_value(int64_t i)
{
	struct sr_value v;

	memset(&v, 0, sizeof(v));
	v.kind = SR_V_INT;
	v.num.i = i;
	return v;
}

/* read(3, "a,\"b\"\n", 6) = 6 <0.000021> at 10:00:00.5, pid 42;
 * a resumed call's time is its start; an exit event. */
static void build(struct sr_batch *b, struct sr_intern *atoms)
{
	struct sr_event *ev;
	struct sr_value *args;

	CU_ASSERT_FATAL(sr_batch_init(b, atoms) == SR_OK);
	ev = sr_batch_push(b);
	ev->kind = SR_E_SYSCALL;
	ev->lead.pid = 42;
	ev->lead.time = (struct sr_time){ .sec = 36000, .nsec = 500000000, .clock = SR_CLOCK_TOD,
					  .digits = 6 };
	ev->name = sr_intern(atoms, "read", 4);
	ev->nr = 0;
	args = sr_arena_alloc(b->arena, 3 * sizeof(*args));
	args[0] = int_value(3);
	memset(&args[1], 0, sizeof(args[1]));
	args[1].kind = SR_V_STR;
	args[1].text = SR_STR("a,\"b\"\n");
	args[2] = int_value(6);
	ev->args = args;
	ev->nargs = 3;
	ev->has_ret = true;
	ev->ret = &args[2];
	ev->duration = (struct sr_time){ .nsec = 21000, .clock = SR_CLOCK_REL, .digits = 6 };

	ev = sr_batch_push(b);
	ev->kind = SR_E_SYSCALL;
	ev->flags = SR_EF_RESUMED;
	ev->lead.time = (struct sr_time){ .sec = 36001, .clock = SR_CLOCK_TOD, .digits = 6 };
	ev->start = (struct sr_time){ .sec = 36000, .nsec = 750000000, .clock = SR_CLOCK_TOD,
				      .digits = 6 };
	ev->name = sr_intern(atoms, "exit_group", 10);
	ev->has_ret = true; /* "= ?": an empty return */
	ev->err = sr_intern(atoms, "ENOENT", 6);

	ev = sr_batch_push(b);
	ev->kind = SR_E_EXIT;
	ev->lead.pid = 42;
}

static void test_default_columns(void)
{
	struct sr_intern *atoms = sr_intern_new();
	struct sr_batch b;
	enum sr_status st;
	char *got;

	build(&b, atoms);
	got = render(&b, NULL, &st);
	CU_ASSERT_FATAL(got != NULL);
	CU_ASSERT_STRING_EQUAL(got,
		"time,pid,type,syscall,nr,return,errno,duration,arg0,arg1,arg2,arg3,arg4,arg5,args,"
		"truncated\n"
		"36000.500000,42,syscall,read,0,6,,0.000021,3,\"a,\"\"b\"\"\n\",6,,,,"
		"\"{\"\"fd\"\":{\"\"fd\"\":3},\"\"buf\"\":\"\"a,\\\"\"b\\\"\"\\n\"\",\"\"count\"\":6}\",\n"
		"36000.750000,,syscall,exit_group,,,ENOENT,,,,,,,,{},\n"
		",42,exit,,,,,,,,,,,,,\n");
	free(got);
	/* -O record=spelling: args as the positional spelled trees */
	got = render_rec(&b, "syscall,args", "spelling", &st);
	CU_ASSERT_FATAL(got != NULL);
	CU_ASSERT_STRING_EQUAL(got, "syscall,args\n"
				    "read,\"[3,\"\"a,\\\"\"b\\\"\"\\n\"\",6]\"\n"
				    "exit_group,[]\n"
				    ",\n");
	free(got);
	CU_ASSERT(render_rec(&b, NULL, "spelled", &st) == NULL);
	CU_ASSERT_EQUAL(st, SR_ERR_USAGE);
	sr_batch_free(&b);
	sr_intern_free(atoms);
}

static void test_chosen_columns(void)
{
	struct sr_intern *atoms = sr_intern_new();
	struct sr_batch b;
	enum sr_status st;
	char *got;

	build(&b, atoms);
	got = render(&b, "syscall,pid,line", &st);
	CU_ASSERT_FATAL(got != NULL);
	CU_ASSERT_STRING_EQUAL(got, "syscall,pid,line\nread,42,0\nexit_group,,0\n,42,0\n");
	free(got);
	CU_ASSERT(render(&b, "pid,nope", &st) == NULL);
	CU_ASSERT_EQUAL(st, SR_ERR_USAGE);
	CU_ASSERT(render(&b, "", &st) == NULL);
	CU_ASSERT_EQUAL(st, SR_ERR_USAGE);
	sr_batch_free(&b);
	sr_intern_free(atoms);
}

static void test_class(void)
{
	CU_ASSERT_STRING_EQUAL(sr_out_csv.name, "csv");
	CU_ASSERT_STRING_EQUAL(sr_out_csv.ext, ".csv");
	CU_ASSERT(sr_writer_find("csv") == &sr_out_csv);
	sr_out_csv.close(NULL);
}

static CU_TestInfo cases[] = {
	{ "default columns with empty cells and RFC 4180 quoting; args as the JSON record's, "
	  "record=spelling as the spelled trees",
	  test_default_columns },
	{ "columns option chooses and orders columns, rejects unknown ones", test_chosen_columns },
	{ "the writer class is named csv with extension .csv", test_class },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_csv = { .name = "csv", .cases = cases };
