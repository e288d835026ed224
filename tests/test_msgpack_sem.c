/*
 * test_msgpack_sem.c - the msgpack format's default, semantic form
 * (formats/msgpack/out_msgpack_sem.c, in_msgpack_sem.c) and the reader on
 * both forms: a trace through either form comes back byte for byte; each
 * map is the JSON Lines object of its event; a cut stream keeps the
 * records before the cut and names its byte; a record the JSON reader
 * refuses is named by its map's byte offset; a newer schema is refused.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mp_json.h"
#include "sr_test.h"
#include "sysrep.h"

#define SR_SCRATCH_TAG "msgpack-sem"
#include "sr_scratch.h"

/* Lines of several shapes: times, durations, an fd path, a flag set, a
 * signal, an unfinished call and its resumption, a non-UTF-8 string, an
 * exit, and a line that is not strace. */
static const char trace[] =
	"1234  10:00:00.000100 openat(AT_FDCWD</tmp>, \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 3</etc/passwd> <0.000020>\n"
	"1234  10:00:00.000200 read(3</etc/passwd>, \"root:x:0:0\\377\\376\\n\"..., 4096) = 1024 <0.000010>\n"
	"1235  10:00:00.000300 futex(0x7f00, FUTEX_WAIT_PRIVATE, 0, NULL <unfinished ...>\n"
	"1234  10:00:00.000400 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=99, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---\n"
	"1235  10:00:00.000500 <... futex resumed>) = -1 EAGAIN (Resource temporarily unavailable) <0.000200>\n"
	"1234  10:00:00.000600 close(3</etc/passwd>) = 0 <0.000005>\n"
	"1234  10:00:00.000700 this is not a line of strace\n"
	"1234  10:00:00.000800 +++ exited with 0 +++\n";

/* convert_file() with -O record=RECORD (NULL: the default). */
static enum sr_status convert(const char *in, const char *out, const char *to, const char *record,
			      struct sr_error *err)
{
	struct sr_opt o = { "record", record };
	struct sr_opts fmt = { &o, record ? 1 : 0 };

	return convert_file(in, out, to, &fmt, err);
}

static void both_forms_come_back_byte_for_byte(void)
{
	static const char *const records[] = { NULL, "semantic", "spelling" };
	size_t n, i;
	char *back, *head;

	write_file(path_of("t.strace"), trace, sizeof(trace) - 1);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL_FATAL(convert(path_of("t.strace"), path_of("t.msgpack"), "msgpack",
					      records[i], NULL),
				      SR_OK);
		head = slurp(path_of("t.msgpack"), &n);
		CU_ASSERT_PTR_NOT_NULL_FATAL(head);
		/* the header: "sysrep" first; "record" only in the semantic form */
		CU_ASSERT(n > 16 && memcmp(head + ((unsigned char)head[0] == 0xde ? 3 : 1),
					   "\xa6sysrep", 7) == 0);
		CU_ASSERT_EQUAL(memmem(head, 120, "\xa6record\xa8semantic", 16) != NULL, i < 2);
		free(head);
		CU_ASSERT_EQUAL(
			convert(path_of("t.msgpack"), path_of("back.strace"), "strace", NULL, NULL),
			SR_OK);
		back = slurp(path_of("back.strace"), &n);
		CU_ASSERT(back && n == sizeof(trace) - 1 && memcmp(back, trace, n) == 0);
		free(back);
	}
}

/* The records of a semantic stream after its header, as JSON. */
static size_t records_as_json(const char *mp, size_t n, json_t **out, size_t max)
{
	struct sr_buf text = { 0 };
	struct sr_mpj_err e;
	size_t pos = 0, used, k = 0;

	while (pos < n && k < max) {
		text.len = 0;
		if (sr_mp_to_json((const unsigned char *)mp + pos, n - pos, &text, &used, &e) != 1)
			break;
		out[k++] = json_loadb(text.p, text.len, 0, NULL);
		pos += used;
	}
	sr_buf_free(&text);
	return k;
}

static void the_maps_are_the_jsonl_objects(void)
{
	json_t *maps[32] = { 0 };
	size_t n, k, i, nlines = 0;
	char *mp, *jl, *line, *save = NULL;

	write_file(path_of("t.strace"), trace, sizeof(trace) - 1);
	CU_ASSERT_EQUAL_FATAL(
		convert(path_of("t.strace"), path_of("t.msgpack"), "msgpack", NULL, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(convert(path_of("t.strace"), path_of("t.jsonl"), "jsonl", NULL, NULL),
			      SR_OK);
	mp = slurp(path_of("t.msgpack"), &n);
	k = records_as_json(mp, n, maps, 32);
	CU_ASSERT_EQUAL(k, 9); /* the header and 8 events */
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(maps[0], "record")), "semantic");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(maps[0], "schema_version")), 2);
	jl = slurp(path_of("t.jsonl"), &n);
	for (line = strtok_r(jl, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *want = json_loads(line, 0, NULL);

		nlines++;
		/* json_equal tells an integer from a real */
		CU_ASSERT(nlines < k && json_equal(want, maps[nlines]));
		json_decref(want);
	}
	CU_ASSERT_EQUAL(nlines, 8);
	for (i = 0; i < k; i++)
		json_decref(maps[i]);
	free(mp);
	free(jl);
}

static void a_cut_stream_keeps_the_records_before(void)
{
	struct sr_error err = { 0 };
	size_t n, m;
	char *mp, *jl;

	write_file(path_of("t.strace"), trace, sizeof(trace) - 1);
	CU_ASSERT_EQUAL_FATAL(
		convert(path_of("t.strace"), path_of("t.msgpack"), "msgpack", NULL, NULL), SR_OK);
	mp = slurp(path_of("t.msgpack"), &n);
	write_file(path_of("cut.msgpack"), mp, n * 2 / 3);
	CU_ASSERT_EQUAL(convert(path_of("cut.msgpack"), path_of("cut.jsonl"), "jsonl", NULL, &err),
			SR_ERR_PARSE);
	CU_ASSERT(strstr(err.msg, "cannot parse msgpack input: byte=") != NULL);
	CU_ASSERT(strstr(err.msg, "cut short") != NULL);
	CU_ASSERT(strstr(err.file, "cut.msgpack") != NULL);
	/* the byte offset: within the file, past the header (the records
	 * before the cut are checked by tests/e2e.d/keep-going.sh) */
	CU_ASSERT(strtoull(strstr(err.msg, "byte=") + 5, NULL, 10) <= n * 2 / 3);
	CU_ASSERT(strtoull(strstr(err.msg, "byte=") + 5, NULL, 10) > 60);
	jl = slurp(path_of("cut.jsonl"), &m);
	CU_ASSERT_PTR_NULL(jl); /* -o of a failed run is discarded */
	free(jl);
	free(mp);
}

/* A stream made of JSON texts, each a map. */
static void write_stream(const char *path, const char *const *texts, size_t n, size_t *offs)
{
	struct sr_buf mp = { 0 };
	struct sr_mpj_err e;
	size_t i;

	for (i = 0; i < n; i++) {
		if (offs)
			offs[i] = mp.len;
		CU_ASSERT(sr_json_to_mp(texts[i], strlen(texts[i]), &mp, &e) > 0);
	}
	write_file(path, mp.p, mp.len);
	sr_buf_free(&mp);
}

static void a_refused_record_is_named_by_its_byte(void)
{
	static const char *const texts[] = {
		"{\"sysrep\":\"msgpack\",\"schema_version\":2,\"record\":\"semantic\",\"arch\":\"x86_64\"}",
		"{\"type\":\"syscall\",\"line\":1,\"syscall\":\"close\",\"nr\":3,\"args\":{\"fd\":{\"fd\":3}},\"return\":0}",
		"{\"type\":\"syscall\",\"line\":2,\"syscall\":\"close\",\"pid\":\"abc\"}",
	};
	struct sr_error err = { 0 };
	size_t offs[3];
	char want[64];

	write_stream(path_of("bad.msgpack"), texts, 3, offs);
	CU_ASSERT_EQUAL(
		convert(path_of("bad.msgpack"), path_of("bad.strace"), "strace", NULL, &err),
		SR_ERR_PARSE);
	snprintf(want, sizeof(want), "byte=%zu: record 2: ", offs[2]);
	CU_ASSERT(strstr(err.msg, "cannot parse msgpack input: ") == err.msg);
	CU_ASSERT(strstr(err.msg, want) != NULL);
	if (!strstr(err.msg, want))
		fprintf(stderr, "\n%s (want %s)\n", err.msg, want);
	CU_ASSERT_EQUAL(err.line, 0);
	/* the first two alone read back */
	write_stream(path_of("good.msgpack"), texts, 2, NULL);
	CU_ASSERT_EQUAL(
		convert(path_of("good.msgpack"), path_of("good.strace"), "strace", NULL, NULL),
		SR_OK);
}

static void a_newer_schema_is_refused(void)
{
	static const char *const texts[] = {
		"{\"sysrep\":\"msgpack\",\"schema_version\":3,\"record\":\"semantic\"}",
	};
	struct sr_error err = { 0 };

	write_stream(path_of("new.msgpack"), texts, 1, NULL);
	CU_ASSERT_EQUAL(
		convert(path_of("new.msgpack"), path_of("new.strace"), "strace", NULL, &err),
		SR_ERR_UNSUPPORTED);
	CU_ASSERT(strstr(err.msg, "schema_version 3") != NULL);
}

static CU_TestInfo cases[] = {
	{ "a trace comes back byte for byte through either form, told apart by the header",
	  both_forms_come_back_byte_for_byte },
	{ "each map of the semantic form is the jsonl object of its event",
	  the_maps_are_the_jsonl_objects },
	{ "a cut semantic stream is an error at its byte offset",
	  a_cut_stream_keeps_the_records_before },
	{ "a record the JSON reader refuses is named by its map's byte offset",
	  a_refused_record_is_named_by_its_byte },
	{ "a semantic stream of a newer schema is refused", a_newer_schema_is_refused },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_msgpack_sem = {
	.name = "msgpack_sem",
	.cases = cases,
	.init = suite_init,
	.cleanup = suite_cleanup,
};
