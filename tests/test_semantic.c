/*
 * test_semantic.c - semantic records (core/semantic*.c): signatures,
 * constant sets, one meaning whatever strace's flags, and the canonical
 * spelling back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sr_test.h"
#include "sysrep.h"

/* One strace line through the strace reader and the jsonl writer. */
static char *jsonl_of(const char *line, const char *opt_key, const char *opt_val)
{
	char in[] = "/tmp/sr_sem_in_XXXXXX", outp[] = "/tmp/sr_sem_out_XXXXXX";
	int fi = mkstemp(in), fo = mkstemp(outp);
	struct sr_source *src = NULL;
	struct sr_sink *sink = NULL;
	struct sr_reader *r = NULL;
	struct sr_writer *w = NULL;
	struct sr_intern *atoms = sr_intern_new();
	struct sr_batch b;
	struct sr_opt o = { opt_key, opt_val };
	struct sr_opts opts = { &o, opt_key ? 1 : 0 };
	char *text;
	FILE *f;
	long n;

	CU_ASSERT_FATAL(fi >= 0 && fo >= 0);
	CU_ASSERT_FATAL(write(fi, line, strlen(line)) == (ssize_t)strlen(line));
	close(fi);
	close(fo);
	CU_ASSERT_FATAL(sr_batch_init(&b, atoms) == SR_OK);
	CU_ASSERT_FATAL(sr_source_open(&src, in, NULL) == SR_OK);
	CU_ASSERT_FATAL(sr_sink_open(&sink, outp, NULL) == SR_OK);
	CU_ASSERT_FATAL(sr_reader_find("strace")->open(&r, src, NULL, NULL) == SR_OK);
	CU_ASSERT_FATAL(sr_writer_find("jsonl")->open(&w, sink, &opts, NULL) == SR_OK);
	while (sr_reader_find("strace")->next(r, &b, NULL) == SR_OK || b.n) {
		CU_ASSERT(sr_writer_find("jsonl")->write(w, &b, NULL) == SR_OK);
		if (!b.n)
			break;
		sr_batch_reset(&b);
	}
	sr_writer_find("jsonl")->finish(w, NULL);
	sr_writer_find("jsonl")->close(w);
	sr_reader_find("strace")->close(r);
	sr_sink_close(sink, NULL);
	sr_source_close(src);
	sr_batch_free(&b);
	sr_intern_free(atoms);
	f = fopen(outp, "rb");
	CU_ASSERT_FATAL(f != NULL);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	CU_ASSERT_FATAL(text && fread(text, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	unlink(in);
	unlink(outp);
	return text;
}

/* The "args" object of the first record of line, as written. */
static char *args_of(const char *line)
{
	char *j = jsonl_of(line, NULL, NULL), *a = strstr(j, "\"args\":"), *e;
	int depth = 0;

	CU_ASSERT_FATAL(a != NULL);
	a += 7;
	for (e = a; *e; e++) {
		if (*e == '"') {
			for (e++; *e && *e != '"'; e++)
				if (*e == '\\')
					e++;
			continue;
		}
		if (*e == '{' || *e == '[')
			depth++;
		if ((*e == '}' || *e == ']') && --depth == 0) {
			e[1] = 0;
			break;
		}
	}
	memmove(j, a, strlen(a) + 1);
	return j;
}

#define SAME_ARGS(l1, l2)                                \
	do {                                             \
		char *a_ = args_of(l1), *b_ = args_of(l2); \
		CU_ASSERT_STRING_EQUAL(a_, b_);          \
		free(a_);                                \
		free(b_);                                \
	} while (0)

static void signatures_name_arguments(void)
{
	const struct sr_signature *s = sr_signature_find(SR_ARCH_X86_64, "openat", 6);

	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_EQUAL(s->nargs, 4);
	CU_ASSERT_STRING_EQUAL(s->args[0].name, "dirfd");
	CU_ASSERT_EQUAL(s->args[0].type, SR_T_DIRFD);
	CU_ASSERT_STRING_EQUAL(s->args[1].name, "pathname");
	CU_ASSERT_EQUAL(s->args[2].type, SR_T_FLAGS);
	CU_ASSERT_STRING_EQUAL(sr_cset_name(s->args[2].set), "open");
	CU_ASSERT_EQUAL(s->rtype, SR_T_FD);
	CU_ASSERT_PTR_NOT_NULL(sr_signature_find(SR_ARCH_I386, "_llseek", 7));
	CU_ASSERT_PTR_NOT_NULL(sr_signature_find(SR_ARCH_AARCH64, "openat", 6));
	CU_ASSERT_PTR_NULL(sr_signature_find(SR_ARCH_X86_64, "no_such_call", 12));
}

static void constants_come_from_the_headers(void)
{
	uint64_t v = 0;

	CU_ASSERT(sr_const_value("O_CLOEXEC", 9, &v) && v == 02000000);
	CU_ASSERT(sr_const_value("AT_FDCWD", 8, &v) && (int64_t)v == -100);
	CU_ASSERT(sr_const_value("SIGCHLD", 7, &v) && v == 17);
	CU_ASSERT(sr_const_value("MAP_ANONYMOUS", 13, &v) && v == 0x20);
	CU_ASSERT(sr_const_value("ENOENT", 6, &v) && v == 2);
	CU_ASSERT(!sr_const_value("O_NOSUCH", 8, &v));
}

static void one_meaning_whatever_the_flags(void)
{
	/* plain, -X raw, -X verbose */
	SAME_ARGS("openat(AT_FDCWD, \"/x\", O_RDONLY|O_CLOEXEC) = 3\n",
		  "openat(-100, \"/x\", 0x80000) = 3\n");
	SAME_ARGS("openat(AT_FDCWD, \"/x\", O_RDONLY|O_CLOEXEC) = 3\n",
		  "openat(-100 /* AT_FDCWD */, \"/x\", 0x80000 /* O_RDONLY|O_CLOEXEC */) = 3\n");
	SAME_ARGS("mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 1\n",
		  "mmap(NULL, 8192, 0x3, 0x22, -1, 0) = 1\n");
	/* -x and -xx spell strings differently: the same string */
	SAME_ARGS("write(1, \"hi\\n\", 3) = 3\n", "write(1, \"\\x68\\x69\\x0a\", 3) = 3\n");
	/* C expressions are evaluated */
	SAME_ARGS("prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=1}) = 0\n",
		  "prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8388608, rlim_max=1}) = 0\n");
}

static void records_have_the_documented_shapes(void)
{
	char *a = args_of("openat(AT_FDCWD</home/u>, \"/x\", O_RDONLY|O_CLOEXEC|0x40000000) = "
			  "3</x>\n");

	CU_ASSERT_STRING_EQUAL(a, "{\"dirfd\":{\"fd\":-100,\"name\":\"AT_FDCWD\",\"path\":"
				  "\"/home/u\"},\"pathname\":\"/x\",\"flags\":{\"value\":1074266112,"
				  "\"names\":[\"O_RDONLY\",\"O_CLOEXEC\"],\"residue\":1073741824}}");
	free(a);
	a = args_of("close(3<socket:[123]>) = 0\n");
	CU_ASSERT_STRING_EQUAL(a, "{\"fd\":{\"fd\":3,\"type\":\"socket\",\"inode\":123}}");
	free(a);
	a = args_of("close(3<UNIX-STREAM:[123->124]>) = 0\n");
	CU_ASSERT_STRING_EQUAL(a, "{\"fd\":{\"fd\":3,\"type\":\"socket\",\"protocol\":"
				  "\"UNIX-STREAM\",\"inode\":123,\"peer\":124}}");
	free(a);
	a = args_of("wait4(-1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM}], 0, NULL) = 5\n");
	CU_ASSERT_STRING_EQUAL(a, "{\"pid\":-1,\"wstatus\":[{\"signaled\":true,\"signal\":"
				  "{\"value\":15,\"name\":\"SIGTERM\"}}],\"options\":{\"value\":0,"
				  "\"names\":[]},\"rusage\":null}");
	free(a);
	a = args_of("pipe2([3<pipe:[9]>, 4<pipe:[9]>], O_CLOEXEC) = 0\n");
	CU_ASSERT_STRING_EQUAL(a, "{\"pipefd\":[{\"fd\":3,\"type\":\"pipe\",\"inode\":9},"
				  "{\"fd\":4,\"type\":\"pipe\",\"inode\":9}],\"flags\":"
				  "{\"value\":524288,\"names\":[\"O_RDONLY\",\"O_CLOEXEC\"]}}");
	free(a);
	a = args_of("no_such_call(1, 2) = 0\n");
	CU_ASSERT_STRING_EQUAL(a, "{\"arg0\":1,\"arg1\":2}");
	free(a);
	a = jsonl_of("read(3, \"abc\"..., 832) = 832\n", NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"buf\":\"abc\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"truncated\":[\"/args/buf\"]"));
	free(a);
}

static void canonical_spellings_need_no_fmt(void)
{
	char *j = jsonl_of("openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3\n", NULL,
			   NULL);

	CU_ASSERT_PTR_NULL(strstr(j, "\"fmt\""));
	free(j);
	j = jsonl_of("openat(-100, \"/x\", 0x80000) = 3\n", NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"av\""));
	free(j);
}

/* strace 4.x prints a sigaction without field names: the record names
 * them as strace 6 does; another such struct is an array, never an object
 * with repeated empty keys (JSON keys are unique) */
static void structs_without_field_names(void)
{
	char *a;

	SAME_ARGS("rt_sigaction(SIGINT, NULL, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0\n",
		  "rt_sigaction(SIGINT, NULL, {SIG_DFL, [], 0}, 8) = 0\n");
	a = args_of("sched_setparam(1, {1, 2}) = 0\n");
	CU_ASSERT_STRING_EQUAL(a, "{\"pid\":1,\"param\":[1,2]}");
	free(a);
	/* the printed form is kept for the way back */
	a = jsonl_of("rt_sigaction(SIGINT, NULL, {SIG_DFL, [], 0}, 8) = 0\n", NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"av\":{\"2\":"));
	free(a);
}

/* strace <= 4.21 wrote three octal digits before any digit ("\0009"): a
 * string so spelled keeps its spelling in fmt */
static void old_octal_strings_keep_their_spelling(void)
{
	char *a = jsonl_of("write(1, \"\\0009x\", 2) = 2\n", NULL, NULL);

	CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"av\":{\"1\":"));
	free(a);
}

static CU_TestInfo cases[] = {
	{ "signatures name arguments", signatures_name_arguments },
	{ "constants come from the headers", constants_come_from_the_headers },
	{ "one meaning whatever the flags", one_meaning_whatever_the_flags },
	{ "records have the documented shapes", records_have_the_documented_shapes },
	{ "canonical spellings need no fmt", canonical_spellings_need_no_fmt },
	{ "structs without field names", structs_without_field_names },
	{ "old octal strings keep their spelling", old_octal_strings_keep_their_spelling },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_semantic = { .name = "semantic", .cases = cases };
