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

/* strace's structured-output branch as it really prints (tests/data/foreign):
 * objects separated by ", ", strings typed by the signature, text spellings
 * inside strings, \u00XX bytes, nested flags, indirect values, notes. */
static void test_bjson_branch(void)
{
	struct sr_intern *atoms = sr_intern_new();
	struct sr_batch b;
	struct sr_reader *r;
	struct sr_source *src;
	const struct sr_event *ev;

	read_batch("{\"pid\": \"8    \", \"cmd\": \"openat\", \"args\": [\"AT_FDCWD\", \"3\", "
		   "\"O_RDONLY|O_CLOEXEC\"], \"return\": \"3\"}, \n"
		   "{\"pid\": \"8    \", \"cmd\": \"write\", \"args\": [\"3\", \"\\u00ff\\u0001\", \"2\"], "
		   "\"return\": \"2\"}, \n"
		   "{\"pid\": \"8    \", \"cmd\": \"rt_sigprocmask\", \"args\": [\"SIG_BLOCK\", "
		   "\"[USR1 TERM]\", \"[]\", \"8\"], \"return\": \"0\"}, \n"
		   "{\"pid\": \"8    \", \"cmd\": \"accept4\", \"args\": [\"3\", null, "
		   "{ \"indirect\": [\"16\"]}, { \"flags\": [{ \"flags\": [\"SOCK_CLOEXEC\"]}]}], "
		   "\"return\": \"5\"}, \n"
		   "{\"pid\": \"8    \", \"cmd\": \"fcntl\", \"args\": [\"3\", \"F_GETFD\"], "
		   "\"return\": \"0x1\", \"retstr\": \"flags FD_CLOEXEC\"}, \n"
		   "{\"pid\": \"8    \", \"cmd\": \"prlimit64\", \"args\": [\"0\", \"RLIMIT_STACK\", null, "
		   "{\"rlim_cur\": \"8192*1024\"}], \"return\": \"0\"}, \n"
		   "{\"pid\": \"8    \", \"cmd\": \"wait4\", \"args\": [\"9\"], \"return\": \"unfinished\"}, \n"
		   "{\"pid\": \"9    \", \"exited\": \"3\"}, \n"
		   "{\"pid\": \"8    \", \"resumed\": \"wait4\", \"args\": [{ \"indirect\": "
		   "[\"{WIFEXITED(s) && WEXITSTATUS(s) == 3}\"]}, \"0\", null], \"return\": \"9\"}, \n"
		   "{\"pid\": \"8    \", \"signal\": \"SIGCHLD\", \"siginfo\": {\"si_signo\": \"SIGCHLD\"}}, \n",
		   &b, atoms, &r, &src);
	CU_ASSERT_EQUAL_FATAL(b.n, 10);
	ev = &b.ev[0];
	CU_ASSERT_EQUAL(ev->lead.pid, 8);
	CU_ASSERT_EQUAL(ev->args[0].kind, SR_V_IDENT);
	/* a path by the signature, though it reads like a number */
	CU_ASSERT_EQUAL(ev->args[1].kind, SR_V_STR);
	CU_ASSERT(ev->args[1].text.len == 1 && ev->args[1].text.ptr[0] == '3');
	CU_ASSERT_EQUAL(ev->args[2].kind, SR_V_FLAGS);
	CU_ASSERT_EQUAL(ev->args[2].nkids, 2);
	ev = &b.ev[1];
	CU_ASSERT_EQUAL(ev->args[0].kind, SR_V_INT);
	CU_ASSERT_EQUAL_FATAL(ev->args[1].kind, SR_V_STR);
	CU_ASSERT(ev->args[1].text.len == 2 && (unsigned char)ev->args[1].text.ptr[0] == 0xff &&
		  ev->args[1].text.ptr[1] == 1);
	ev = &b.ev[2];
	CU_ASSERT_EQUAL(ev->args[1].kind, SR_V_SET);
	CU_ASSERT_EQUAL(ev->args[1].nkids, 2);
	CU_ASSERT_EQUAL(ev->args[2].kind, SR_V_ARRAY);
	CU_ASSERT_EQUAL(ev->args[2].nkids, 0);
	ev = &b.ev[3];
	CU_ASSERT_EQUAL(ev->args[2].kind, SR_V_ARRAY);
	CU_ASSERT_EQUAL_FATAL(ev->args[2].nkids, 1);
	CU_ASSERT_EQUAL(ev->args[2].kids[0].num.i, 16);
	ev = &b.ev[4];
	CU_ASSERT_EQUAL_FATAL(ev->nnotes, 1);
	CU_ASSERT(ev->notes[0].len == 16 && !memcmp(ev->notes[0].ptr, "flags FD_CLOEXEC", 16));
	ev = &b.ev[5];
	CU_ASSERT_EQUAL_FATAL(ev->args[3].kind, SR_V_STRUCT);
	CU_ASSERT_EQUAL(ev->args[3].kids[0].kind, SR_V_EXPR);
	CU_ASSERT_EQUAL(b.ev[6].kind, SR_E_UNFINISHED);
	CU_ASSERT_EQUAL(b.ev[7].kind, SR_E_EXIT);
	CU_ASSERT_EQUAL(b.ev[7].code, 3);
	/* the resumption carries the whole call, first half included */
	ev = &b.ev[8];
	CU_ASSERT_EQUAL(ev->kind, SR_E_SYSCALL);
	CU_ASSERT(ev->flags & SR_EF_RESUMED);
	CU_ASSERT_EQUAL_FATAL(ev->nargs, 4);
	CU_ASSERT_EQUAL(ev->args[0].num.i, 9);
	CU_ASSERT_EQUAL(ev->split, strlen("wait4(9"));
	/* the status in braces, read by strace's grammar: not a string */
	CU_ASSERT_EQUAL_FATAL(ev->args[1].kind, SR_V_ARRAY);
	CU_ASSERT_EQUAL(ev->args[1].nkids, 1);
	CU_ASSERT_NOT_EQUAL(ev->args[1].kids[0].kind, SR_V_STR);
	ev = &b.ev[9];
	CU_ASSERT_EQUAL(ev->kind, SR_E_SIGNAL);
	CU_ASSERT_STRING_EQUAL(ev->name->str, "SIGCHLD");
	CU_ASSERT_EQUAL(ev->nargs, 1);
	done_batch(&b, atoms, r, src);
}

/* posix-omni-parser's genuine repr (scripts/omni-json.py): Flags lists,
 * Filepath in strace's C quoting, Hex without its 0x, MissingValue, a
 * Sockaddr list, and strace text cut at ", " (UnimplementedType). */
static void test_posix_omni_genuine(void)
{
	struct sr_intern *atoms = sr_intern_new();
	struct sr_batch b;
	struct sr_reader *r;
	struct sr_source *src;
	const struct sr_event *ev;

	read_batch("{\"args\": \"(<Filepath \\\"a\\\\377b\\\">, <Flags ['O_WRONLY', 'O_CREAT']>, "
		   "<MissingValue expected_value: <mode_t, name:mode>, given_value: None>)\", "
		   "\"pid\": \"8\", \"return\": [3, null], \"syscall\": \"open\"}\n"
		   "{\"args\": \"(<FileDescriptor 3>, <UnimplementedType {st_mode=S_IFREG|0644>, "
		   "<UnimplementedType st_size=50>, <UnimplementedType ...}>)\", \"pid\": \"8\", "
		   "\"return\": [0, null], \"syscall\": \"fstat\"}\n"
		   "{\"args\": \"(<FileDescriptor 3>, <Sockaddr [<SockFamily AF_INET>, <SockPort 10000>, "
		   "<SockIP 127.0.0.1>]>, <Int 16>)\", \"pid\": \"8\", \"return\": [-1, \"EINVAL\"], "
		   "\"syscall\": \"bind\"}\n"
		   "{\"args\": \"(<Filepath \\\"sub\\\">, <Flags ['S_IRWXU', 'S_IRGRP', 'S_IXGRP', "
		   "'S_IROTH', 'S_IXOTH']>)\", \"pid\": \"8\", \"return\": [0, null], \"syscall\": \"mkdir\"}\n"
		   "{\"args\": \"(<Int 0>,)\", \"pid\": \"8\", \"return\": [\"?\", null], "
		   "\"syscall\": \"exit_group\"}\n",
		   &b, atoms, &r, &src);
	CU_ASSERT_EQUAL_FATAL(b.n, 5);
	ev = &b.ev[0];
	CU_ASSERT_EQUAL_FATAL(ev->nargs, 2); /* the missing mode is no argument */
	CU_ASSERT_EQUAL(ev->args[0].kind, SR_V_STR);
	CU_ASSERT(ev->args[0].text.len == 3 && (unsigned char)ev->args[0].text.ptr[1] == 0xff);
	CU_ASSERT_EQUAL(ev->args[1].kind, SR_V_FLAGS);
	ev = &b.ev[1];
	CU_ASSERT_EQUAL_FATAL(ev->nargs, 2);
	CU_ASSERT_EQUAL(ev->args[1].kind, SR_V_STRUCT); /* read as strace text */
	ev = &b.ev[2];
	CU_ASSERT_EQUAL_FATAL(ev->nargs, 3);
	CU_ASSERT_EQUAL_FATAL(ev->args[1].kind, SR_V_STRUCT);
	CU_ASSERT_EQUAL(ev->args[1].nkids, 3);
	CU_ASSERT_EQUAL(ev->args[1].kids[1].kind, SR_V_CALL);
	CU_ASSERT_STRING_EQUAL(ev->err->str, "EINVAL");
	ev = &b.ev[3];
	CU_ASSERT_EQUAL(ev->args[1].kind, SR_V_INT);
	CU_ASSERT_EQUAL(ev->args[1].num.u, 0755);
	CU_ASSERT_EQUAL(ev->args[1].base, SR_BASE_OCT);
	ev = &b.ev[4];
	CU_ASSERT(ev->has_ret && !ev->ret);
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

/* issue 22: valid JSON of the wrong shape crashed both decoders (a NULL
 * member handed to jansson).  Each is a parse error naming what is missing,
 * at the object's line. */
static void test_wrong_shapes(void)
{
	static const struct {
		const char *json, *why;
	} cases[] = {
		{ "{\"type\":\"syscall\",\"syscall\":\"ioctl\",\"args\":[{\"index\":{\"ident\":\"VINTR\"}}]}",
		  "\"index\" object without its \"value\"" },
		{ "{\"type\":\"syscall\",\"syscall\":\"read\",\"args\":[{\"named\":\"fd\"}]}",
		  "\"named\" object without its \"value\"" },
		{ "{\"type\":\"syscall\",\"syscall\":\"stat\",\"args\":[{\"struct\":[{\"name\":\"st_mode\"}]}]}",
		  "struct member without its \"value\"" },
		{ "{\"type\":\"syscall\",\"syscall\":\"stat\",\"args\":[{\"struct\":[7]}]}",
		  "struct member without its \"value\"" },
		{ "{\"cmd\":\"ioctl\",\"args\":[{\"index\":[\"VINTR\"]}],\"return\":\"0\"}",
		  "\"index\" that is not an array of 2 items" },
		{ "{\"cmd\":\"ioctl\",\"args\":[{\"index\":[]}],\"return\":\"0\"}",
		  "\"index\" that is not an array of 2 items" },
		{ "{\"cmd\":\"ioctl\",\"args\":[{\"index\":{}}],\"return\":\"0\"}",
		  "\"index\" that is not an array of 2 items" },
		{ "{\"cmd\":\"futex\",\"args\":[{\"shift\":[\"1\"]}],\"return\":\"0\"}",
		  "\"shift\" that is not an array of 2 items" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sr_error err = { 0 };
		enum sr_status st;
		char *in = temp_file(cases[i].json, strlen(cases[i].json)), *out;

		out = convert(in, "json", "jsonl", &st, &err);
		CU_ASSERT_EQUAL(st, SR_ERR_PARSE);
		CU_ASSERT_EQUAL(err.line, 1);
		if (!strstr(err.msg, cases[i].why))
			fprintf(stderr, "\ncase %zu: %s\n", i, err.msg);
		CU_ASSERT(strstr(err.msg, cases[i].why) != NULL);
		unlink(in);
		unlink(out);
		free(in);
		free(out);
	}
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
	{ "strace -B json as the branch prints it", test_bjson_branch },
	{ "posix-omni-parser's genuine repr", test_posix_omni_genuine },
	{ "bad JSON is a parse error with line and column", test_parse_errors },
	{ "valid JSON of the wrong shape is a parse error, not a crash", test_wrong_shapes },
	{ "JSON objects and arrays are detected, strace text is not", test_probe },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_json_in = { .name = "json_in", .cases = cases };
