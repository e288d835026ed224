/*
 * test_json_in.c - the JSON reader: sysrep's own JSON back to the exact
 * strace text, strace -B json and posix-omni-parser shapes typed again,
 * error positions, and the probe.
 *
 * Inputs are written to temporary files and read through the registry's
 * classes, as the CLI does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "sysrep.h"

#include "sr_test.h"

/* Writes text to a new temporary file; returns its malloc'd path. */
static char *temp_file(const char *text, size_t n)
{
	char *path = strdup("/tmp/sysrep-test-json-XXXXXX");
	int fd;

	CU_ASSERT_FATAL(path != NULL);
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, text, n) == (ssize_t)n);
	close(fd);
	return path;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);

	CU_ASSERT_FATAL(f && buf);
	*n = fread(buf, 1, (1 << 20) - 1, f);
	buf[*n] = 0;
	fclose(f);
	return buf;
}

/* Converts the file at in with reader `from` (NULL: detected) and writer
 * `to` into a new temporary file; returns its path. */
static char *convert(const char *in, const char *from, const char *to, enum sr_status *st,
		     struct sr_error *err)
{
	struct sr_convert_opts opts = { .reader = from ? sr_reader_find(from) : NULL };
	char *out = temp_file("", 0);
	struct sr_sink *sink = NULL;

	CU_ASSERT_FATAL(sr_sink_open(&sink, out, NULL) == SR_OK);
	*st = sr_convert(&opts, &in, 1, sr_writer_find(to), sink, NULL, err);
	sr_sink_close(sink, NULL);
	return out;
}

/* Lines that need every "fmt" key: -f pids in both forms, -tt and -ttt
 * times with resumptions, -T, -x strings, named arguments, an unsigned
 * integer too big for jansson, a summary table. */
static const char trace[] =
	"[pid  4263] 10:12:33.123456 read(3,  <unfinished ...>\n"
	"[pid  4264] 10:12:33.123500 clone(child_stack=NULL, flags=CLONE_VM|SIGCHLD) = 4265\n"
	"[pid  4263] 10:12:33.200000 <... read resumed>\"\\x01\\x02abc\"..., 832) = 832 <0.076544>\n"
	"4265  10:12:33.300000 prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=18446744073709551615}) = 0\n"
	"4265  10:12:33.300001 openat(AT_FDCWD, \"/tmp/caf\\303\\251\", O_RDONLY) = 3</tmp/caf\\303\\251>\n"
	"4265  10:12:33.400000 +++ exited with 0 +++\n"
	"% time     seconds  usecs/call     calls    errors syscall\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	" 66.75    0.003708           0      3922           read\n";

static void test_jsonl_round_trip(void)
{
	struct sr_error err = { 0 };
	enum sr_status st;
	char *in = temp_file(trace, sizeof(trace) - 1), *mid, *out, *arr, *back;
	size_t n;

	mid = convert(in, "strace", "jsonl", &st, &err);
	CU_ASSERT_EQUAL(st, SR_OK);
	out = convert(mid, "jsonl", "strace", &st, &err);
	CU_ASSERT_EQUAL(st, SR_OK);
	back = slurp(out, &n);
	CU_ASSERT_EQUAL(n, sizeof(trace) - 1);
	CU_ASSERT_STRING_EQUAL(back, trace);
	free(back);
	/* the array form, detected */
	arr = convert(in, "strace", "json", &st, &err);
	unlink(out);
	free(out);
	out = convert(arr, NULL, "strace", &st, &err);
	CU_ASSERT_EQUAL(st, SR_OK);
	back = slurp(out, &n);
	CU_ASSERT_STRING_EQUAL(back, trace);
	free(back);
	for (char **p = (char *[]){ in, mid, out, arr, NULL }; *p; p++) {
		unlink(*p);
		free(*p);
	}
}

/* Reads one file with the json reader into b (the first batch). */
static void read_batch(const char *text, struct sr_batch *b, struct sr_intern *atoms,
		       struct sr_reader **r, struct sr_source **src)
{
	const struct sr_reader_class *rc = sr_reader_find("json");
	char *path = temp_file(text, strlen(text));

	CU_ASSERT_FATAL(rc != NULL);
	CU_ASSERT_FATAL(sr_batch_init(b, atoms) == SR_OK);
	CU_ASSERT_FATAL(sr_source_open(src, path, NULL) == SR_OK);
	CU_ASSERT_FATAL(rc->open(r, *src, NULL, NULL) == SR_OK);
	CU_ASSERT(rc->next(*r, b, NULL) >= 0);
	unlink(path);
	free(path);
}

static void done_batch(struct sr_batch *b, struct sr_intern *atoms, struct sr_reader *r,
		       struct sr_source *src)
{
	sr_reader_find("json")->close(r);
	sr_source_close(src);
	sr_batch_free(b);
	sr_intern_free(atoms);
}

static void test_strace_bjson(void)
{
	struct sr_intern *atoms = sr_intern_new();
	struct sr_batch b;
	struct sr_reader *r;
	struct sr_source *src;
	const struct sr_event *ev;

	read_batch("{\"cmd\":\"mmap\",\"args\":[null,\"8192\",{\"flags\":[\"PROT_READ\",\"PROT_WRITE\"]}],"
		   "\"return\":\"0x75bd0874c000\"}\n"
		   "{\"cmd\":\"openat\",\"args\":[\"AT_FDCWD\",{\"string\":\"/x\"}],\"return\":\"-1 ENOENT (No such file or directory)\"}\n",
		   &b, atoms, &r, &src);
	CU_ASSERT_EQUAL_FATAL(b.n, 2);
	ev = &b.ev[0];
	CU_ASSERT_STRING_EQUAL(ev->name->str, "mmap");
	CU_ASSERT_EQUAL(ev->nargs, 3);
	CU_ASSERT_EQUAL(ev->args[0].kind, SR_V_NULL);
	CU_ASSERT_EQUAL(ev->args[1].kind, SR_V_INT);
	CU_ASSERT_EQUAL(ev->args[1].num.i, 8192);
	CU_ASSERT_EQUAL(ev->args[2].kind, SR_V_FLAGS);
	CU_ASSERT_EQUAL(ev->args[2].kids[0].kind, SR_V_IDENT);
	CU_ASSERT_FATAL(ev->ret != NULL);
	CU_ASSERT_EQUAL(ev->ret->base, SR_BASE_HEX);
	CU_ASSERT_EQUAL(ev->ret->num.u, 0x75bd0874c000ull);
	ev = &b.ev[1];
	CU_ASSERT_EQUAL(ev->args[0].kind, SR_V_IDENT);
	CU_ASSERT_EQUAL(ev->args[1].kind, SR_V_STR);
	CU_ASSERT_EQUAL(ev->ret->num.i, -1);
	CU_ASSERT_STRING_EQUAL(ev->err->str, "ENOENT");
	CU_ASSERT_EQUAL(ev->errmsg.len, strlen("No such file or directory"));
	done_batch(&b, atoms, r, src);
}

static void test_posix_omni(void)
{
	struct sr_intern *atoms = sr_intern_new();
	struct sr_batch b;
	struct sr_reader *r;
	struct sr_source *src;
	const struct sr_event *ev;

	read_batch("[{\"pid\":\"2704\",\"syscall\":\"openat\",\"args\":\"(<FileDescriptor AT_FDCWD>, "
		   "<Filename '/etc/a, b'>, <Flags O_RDONLY|O_CLOEXEC>, <Hex 0x1ff>)\",\"return\":3},\n"
		   " {\"pid\":\"2704\",\"syscall\":\"close\",\"args\":\"(<FileDescriptor 3>,)\",\"return\":0}]",
		   &b, atoms, &r, &src);
	CU_ASSERT_EQUAL_FATAL(b.n, 2);
	ev = &b.ev[0];
	CU_ASSERT_EQUAL(ev->lead.pid, 2704);
	CU_ASSERT_STRING_EQUAL(ev->name->str, "openat");
	CU_ASSERT_EQUAL_FATAL(ev->nargs, 4);
	CU_ASSERT_EQUAL(ev->args[0].kind, SR_V_IDENT);
	CU_ASSERT_EQUAL(ev->args[1].kind, SR_V_STR);
	CU_ASSERT(ev->args[1].text.len == 9 && !memcmp(ev->args[1].text.ptr, "/etc/a, b", 9));
	CU_ASSERT_EQUAL(ev->args[2].kind, SR_V_FLAGS);
	CU_ASSERT_EQUAL(ev->args[2].nkids, 2);
	CU_ASSERT_EQUAL(ev->args[3].base, SR_BASE_HEX);
	CU_ASSERT_EQUAL(ev->args[3].num.u, 0x1ff);
	CU_ASSERT_EQUAL(ev->ret->num.i, 3);
	ev = &b.ev[1];
	CU_ASSERT_EQUAL_FATAL(ev->nargs, 1);
	CU_ASSERT_EQUAL(ev->args[0].kind, SR_V_INT);
	CU_ASSERT_EQUAL(ev->args[0].num.i, 3);
	done_batch(&b, atoms, r, src);
}

static void test_parse_errors(void)
{
	static const char bad[] = "{\"type\":\"exit\",\"line\":1,\"status\":0}\n"
				  "{\"type\":\"exit\",\n"
				  "  \"status\": x}\n";
	struct sr_error err = { 0 };
	enum sr_status st;
	char *in = temp_file(bad, sizeof(bad) - 1), *out;
	char msg[512];

	out = convert(in, NULL, "jsonl", &st, &err);
	CU_ASSERT_EQUAL(st, SR_ERR_PARSE);
	CU_ASSERT_EQUAL(err.line, 3);
	CU_ASSERT_EQUAL(err.col, 13);
	CU_ASSERT(strstr(sr_error_format(&err, msg, sizeof(msg)), "line=3 col=13: invalid token") != NULL);
	unlink(in);
	unlink(out);
	free(in);
	free(out);
	/* an array cut short */
	in = temp_file("[{\"type\":\"exit\",\"status\":0},", 28);
	out = convert(in, "json", "jsonl", &st, &err);
	CU_ASSERT_EQUAL(st, SR_ERR_PARSE);
	CU_ASSERT(strstr(err.msg, "expected") != NULL);
	unlink(in);
	unlink(out);
	free(in);
	free(out);
}

static void test_probe(void)
{
	const struct sr_reader_class *rc = sr_reader_find("json");

	CU_ASSERT_FATAL(rc && rc->probe);
	CU_ASSERT(rc->probe("{\"type\":\"syscall\"}", 18) > 50);
	CU_ASSERT(rc->probe("\n [ {\"cmd\":1}]", 14) > 50);
	CU_ASSERT(rc->probe("[]", 2) > 50);
	CU_ASSERT_EQUAL(rc->probe("[pid  12] read(3, \"\", 1) = 0\n", 29), 0);
	CU_ASSERT_EQUAL(rc->probe("read(3, \"\", 1) = 0\n", 19), 0);
	CU_ASSERT(sr_reader_detect("{\"a\":1}", 7) == rc);
}

static CU_TestInfo cases[] = {
	{ "strace to jsonl and json and back gives the same bytes", test_jsonl_round_trip },
	{ "strace -B json integers as strings become typed values", test_strace_bjson },
	{ "posix-omni-parser argument strings are typed again", test_posix_omni },
	{ "bad JSON is a parse error with line and column", test_parse_errors },
	{ "JSON objects and arrays are detected, strace text is not", test_probe },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_json_in = { .name = "json_in", .cases = cases };
