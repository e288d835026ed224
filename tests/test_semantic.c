/*
 * test_semantic.c - semantic records (core/semantic*.c): signatures,
 * constant sets, one meaning whatever strace's flags, and the canonical
 * spelling back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_emit.h"
#include "semantic_same.h"
#include "sr_test.h"
#include "strace_text.h"
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

static void i386_time64_calls_have_their_base_signature(void)
{
	const struct sr_signature *s = sr_signature_find(SR_ARCH_I386, "clock_gettime64", 15);

	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_EQUAL(s->nargs, 2);
	CU_ASSERT_EQUAL(s->args[0].type, SR_T_ENUM);
	CU_ASSERT_STRING_EQUAL(sr_cset_name(s->args[0].set), "clock");
	s = sr_signature_find(SR_ARCH_I386, "ppoll_time64", 12);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_EQUAL(s->nargs, 5);
	CU_ASSERT_STRING_EQUAL(s->args[3].name, "sigmask");
	CU_ASSERT_EQUAL(s->args[3].type, SR_T_SIGSET);
	s = sr_signature_find(SR_ARCH_I386, "timerfd_settime64", 17);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_EQUAL(s->nargs, 4);
}

static void constants_come_from_the_headers(void)
{
	uint64_t v = 0;

	CU_ASSERT(sr_const_value(SR_ARCH_X86_64, "O_CLOEXEC", 9, &v) && v == 02000000);
	CU_ASSERT(sr_const_value(SR_ARCH_X86_64, "AT_FDCWD", 8, &v) && (int64_t)v == -100);
	CU_ASSERT(sr_const_value(SR_ARCH_X86_64, "SIGCHLD", 7, &v) && v == 17);
	CU_ASSERT(sr_const_value(SR_ARCH_X86_64, "MAP_ANONYMOUS", 13, &v) && v == 0x20);
	CU_ASSERT(sr_const_value(SR_ARCH_X86_64, "ENOENT", 6, &v) && v == 2);
	CU_ASSERT(!sr_const_value(SR_ARCH_X86_64, "O_NOSUCH", 8, &v));
}

/* The names of FLAGS or ENUM value s ("A|B"), into buf. */
static const char *names_of(const struct sr_sval *s, char *buf, size_t n)
{
	const struct sr_sval *nm = sr_sval_get(s, "names");
	uint32_t i;
	size_t k = 0;

	buf[0] = 0;
	if (!nm) {
		nm = sr_sval_get(s, "name");
		if (nm && nm->kind == SR_S_STR)
			snprintf(buf, n, "%.*s", (int)nm->str.len, nm->str.ptr);
		return buf;
	}
	for (i = 0; i < nm->n && k < n; i++)
		k += (size_t)snprintf(buf + k, n - k, "%s%.*s", i ? "|" : "",
				      (int)nm->kids[i].str.len, nm->kids[i].str.ptr);
	return buf;
}

/* Argument `arg` of call on arch holding the number v: its names; and
 * those names spelled back must give v again (the value of the spelling). */
static const char *arch_names(enum sr_arch arch, const char *call, int arg, uint64_t v,
			      char *buf, size_t n)
{
	const struct sr_signature *sig = sr_signature_find(arch, call, strlen(call));
	struct sr_arena *a = sr_arena_new(0);
	struct sr_value in = { .kind = SR_V_INT, .base = SR_BASE_HEX, .flags = SR_VF_UNSIGNED };
	struct sr_sval *s, *back;
	struct sr_value *sp;
	const struct sr_sval *val;

	CU_ASSERT_FATAL(sig != NULL && a != NULL);
	in.num.u = v;
	s = sr_semantic_value(&in, sig->args[arg], a);
	CU_ASSERT_FATAL(s != NULL);
	names_of(s, buf, n);
	/* names -> value: spell the names, read the spelling again */
	sp = sr_semantic_spell(s, sig->args[arg], a);
	CU_ASSERT_FATAL(sp != NULL);
	back = sr_semantic_value(sp, sig->args[arg], a);
	CU_ASSERT_FATAL(back != NULL);
	val = sr_sval_get(back, "value");
	CU_ASSERT(val && val->kind == SR_S_INT && (uint64_t)val->num.i == v);
	sr_arena_free(a);
	return buf;
}

static void constants_are_per_architecture(void)
{
	uint64_t v = 0;
	char b[256];

	/* name -> value */
	CU_ASSERT(sr_const_value(SR_ARCH_X86_64, "O_DIRECTORY", 11, &v) && v == 0200000);
	CU_ASSERT(sr_const_value(SR_ARCH_I386, "O_DIRECTORY", 11, &v) && v == 0200000);
	CU_ASSERT(sr_const_value(SR_ARCH_AARCH64, "O_DIRECTORY", 11, &v) && v == 040000);
	CU_ASSERT(sr_const_value(SR_ARCH_AARCH64, "O_NOFOLLOW", 10, &v) && v == 0100000);
	CU_ASSERT(sr_const_value(SR_ARCH_AARCH64, "O_DIRECT", 8, &v) && v == 0200000);
	CU_ASSERT(sr_const_value(SR_ARCH_AARCH64, "O_LARGEFILE", 11, &v) && v == 0400000);
	CU_ASSERT(sr_const_value(SR_ARCH_X86_64, "O_LARGEFILE", 11, &v) && v == 0100000);
	CU_ASSERT(sr_const_value(SR_ARCH_I386, "O_LARGEFILE", 11, &v) && v == 0100000);
	CU_ASSERT(sr_const_value(SR_ARCH_UNKNOWN, "O_DIRECTORY", 11, &v) && v == 0200000);
	CU_ASSERT(sr_const_value(SR_ARCH_I386, "F_GETLK64", 9, &v) && v == 12);
	CU_ASSERT(!sr_const_value(SR_ARCH_X86_64, "F_GETLK64", 9, &v));
	CU_ASSERT(!sr_const_value(SR_ARCH_AARCH64, "F_SETLKW64", 10, &v));
	CU_ASSERT(sr_const_value(SR_ARCH_I386, "MAP_32BIT", 9, &v) && v == 0x40);
	CU_ASSERT(!sr_const_value(SR_ARCH_AARCH64, "MAP_32BIT", 9, &v));
	CU_ASSERT(sr_const_value(SR_ARCH_AARCH64, "PROT_BTI", 8, &v) && v == 0x10);
	CU_ASSERT(sr_const_value(SR_ARCH_AARCH64, "PROT_MTE", 8, &v) && v == 0x20);
	CU_ASSERT(!sr_const_value(SR_ARCH_X86_64, "PROT_BTI", 8, &v));
	CU_ASSERT(!sr_const_value(SR_ARCH_AARCH64, "ARCH_SET_FS", 11, &v));
	/* _IOR('f', 1, long): the size of long is the architecture's */
	CU_ASSERT(sr_const_value(SR_ARCH_X86_64, "FS_IOC_GETFLAGS", 15, &v) && v == 0x80086601);
	CU_ASSERT(sr_const_value(SR_ARCH_I386, "FS_IOC_GETFLAGS", 15, &v) && v == 0x80046601);
	CU_ASSERT(sr_const_value(SR_ARCH_AARCH64, "FS_IOC_GETFLAGS", 15, &v) && v == 0x80086601);
	/* the same on the three: signals, errnos, sockets, termios ioctls */
	for (int a = SR_ARCH_X86_64; a <= SR_ARCH_AARCH64; a++) {
		CU_ASSERT(sr_const_value(a, "SIGUSR1", 7, &v) && v == 10);
		CU_ASSERT(sr_const_value(a, "SIGCHLD", 7, &v) && v == 17);
		CU_ASSERT(sr_const_value(a, "EAGAIN", 6, &v) && v == 11);
		CU_ASSERT(sr_const_value(a, "AF_INET6", 8, &v) && v == 10);
		CU_ASSERT(sr_const_value(a, "SO_REUSEADDR", 12, &v) && v == 2);
		CU_ASSERT(sr_const_value(a, "TCGETS", 6, &v) && v == 0x5401);
		CU_ASSERT(sr_const_value(a, "O_CLOEXEC", 9, &v) && v == 02000000);
	}

	/* value -> names through each architecture's signatures, and back */
	CU_ASSERT_STRING_EQUAL(arch_names(SR_ARCH_AARCH64, "openat", 2, 040000, b, sizeof(b)),
			       "O_RDONLY|O_DIRECTORY");
	CU_ASSERT_STRING_EQUAL(arch_names(SR_ARCH_X86_64, "openat", 2, 040000, b, sizeof(b)),
			       "O_RDONLY|O_DIRECT");
	CU_ASSERT_STRING_EQUAL(arch_names(SR_ARCH_X86_64, "openat", 2, 0200000, b, sizeof(b)),
			       "O_RDONLY|O_DIRECTORY");
	CU_ASSERT_STRING_EQUAL(arch_names(SR_ARCH_AARCH64, "openat", 2, 0200000, b, sizeof(b)),
			       "O_RDONLY|O_DIRECT");
	CU_ASSERT_STRING_EQUAL(arch_names(SR_ARCH_AARCH64, "openat", 2, 0100002, b, sizeof(b)),
			       "O_RDWR|O_NOFOLLOW");
	CU_ASSERT_STRING_EQUAL(arch_names(SR_ARCH_I386, "openat", 2, 0100000, b, sizeof(b)),
			       "O_RDONLY|O_LARGEFILE");
	CU_ASSERT_STRING_EQUAL(arch_names(SR_ARCH_AARCH64, "mmap", 2, 0x11, b, sizeof(b)),
			       "PROT_READ|PROT_BTI");
	CU_ASSERT_STRING_EQUAL(arch_names(SR_ARCH_AARCH64, "mmap", 3, 0x42, b, sizeof(b)),
			       "MAP_PRIVATE");
	CU_ASSERT_STRING_EQUAL(arch_names(SR_ARCH_X86_64, "mmap", 3, 0x42, b, sizeof(b)),
			       "MAP_PRIVATE|MAP_32BIT");
	CU_ASSERT_STRING_EQUAL(arch_names(SR_ARCH_I386, "fcntl64", 1, 12, b, sizeof(b)),
			       "F_GETLK64");
	CU_ASSERT_STRING_EQUAL(arch_names(SR_ARCH_X86_64, "fcntl", 1, 12, b, sizeof(b)), "");
	CU_ASSERT_STRING_EQUAL(arch_names(SR_ARCH_I386, "ioctl", 1, 0x80046601, b, sizeof(b)),
			       "FS_IOC_GETFLAGS");
	CU_ASSERT_STRING_EQUAL(arch_names(SR_ARCH_AARCH64, "ioctl", 1, 0x80086601, b, sizeof(b)),
			       "FS_IOC_GETFLAGS");
}

/* The writer's --arch: an strace line read with aarch64's constants. */
static void records_use_the_trace_architecture(void)
{
	char *j = jsonl_of("openat(AT_FDCWD, \"/d\", O_RDONLY|O_DIRECTORY) = 3\n"
			   "openat(AT_FDCWD, \"/d\", 0x4000) = 3\n"
			   "fcntl(3, F_SETFL, O_RDONLY|O_DIRECTORY) = 0\n"
			   "fcntl(3, F_GETFL) = 0x4000 (flags 0x4000)\n",
			   "arch", "aarch64");

	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"flags\":{\"value\":16384,\"names\":[\"O_RDONLY\","
					 "\"O_DIRECTORY\"]}},\"return\":{\"fd\":3}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"arg\":{\"value\":16384,\"names\":[\"O_RDONLY\","
					 "\"O_DIRECTORY\"]}"));
	/* fcntl's F_GETFL note: spelled with aarch64's names */
	CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"notes\":[\"flags O_RDONLY|O_DIRECTORY\"]"));
	CU_ASSERT_PTR_NULL(strstr(j, "O_DIRECT\""));
	free(j);
}

/* Every argument of a known call has a name: strace 4.x's raw values past
 * the call's arguments are "unusedI", prctl's by option, restart_syscall's
 * resumed call is "resuming". */
static void every_argument_has_a_name(void)
{
	char *a;
	const struct sr_signature *sig = sr_signature_find(SR_ARCH_X86_64, "statx", 5);
	struct sr_sarg t;

	CU_ASSERT_FATAL(sig != NULL && sig->nargs == 5);
	t = sr_semantic_arg_type(sig, 5, (struct sr_str){ 0 });
	CU_ASSERT_STRING_EQUAL(t.name, "unused5");
	t = sr_semantic_arg_type(sig, 31, (struct sr_str){ 0 });
	CU_ASSERT_STRING_EQUAL(t.name, "unused31");
	/* no signature: positions */
	t = sr_semantic_arg_type(NULL, 2, (struct sr_str){ 0 });
	CU_ASSERT_STRING_EQUAL(t.name, "arg2");

	a = args_of("syscall_332(0xffffff9c, 0x7ffe8454c9bd, 0x900, 0x25e, 0x7ffe8454a830, 0x73)"
		    " = 0\n");
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"statxbuf\":140731118561328,\"unused5\":115}"));
	free(a);
	a = args_of("syscall_315(0x5cba, 0x7ffe90aa5bd0, 0x38, 0, 0, 0) = 0\n");
	CU_ASSERT_STRING_EQUAL(a, "{\"pid\":23738,\"attr\":140731325504464,\"size\":56,"
				  "\"flags\":0,\"unused4\":0,\"unused5\":0}");
	free(a);

	a = args_of("prctl(PR_CAPBSET_READ, 0x20, 0, 0x7fc6785e5bc8, 0) = 1\n");
	CU_ASSERT_STRING_EQUAL(a, "{\"option\":{\"value\":23,\"name\":\"PR_CAPBSET_READ\"},"
				  "\"capability\":{\"value\":32,\"name\":\"CAP_MAC_OVERRIDE\"},"
				  "\"unused2\":0,\"unused3\":140490399701960,\"unused4\":0}");
	free(a);
	a = args_of("prctl(PR_SET_PDEATHSIG, SIGKILL) = 0\n");
	CU_ASSERT_STRING_EQUAL(a, "{\"option\":{\"value\":1,\"name\":\"PR_SET_PDEATHSIG\"},"
				  "\"signal\":{\"value\":9,\"name\":\"SIGKILL\"}}");
	free(a);
	a = args_of("prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_CHOWN) = 0\n");
	CU_ASSERT_STRING_EQUAL(a, "{\"option\":{\"value\":47,\"name\":\"PR_CAP_AMBIENT\"},"
				  "\"op\":{\"value\":1,\"name\":\"PR_CAP_AMBIENT_IS_SET\"},"
				  "\"capability\":{\"value\":0,\"name\":\"CAP_CHOWN\"}}");
	free(a);
	a = args_of("prctl(PR_SET_NAME, \"worker\") = 0\n");
	CU_ASSERT_STRING_EQUAL(a, "{\"option\":{\"value\":15,\"name\":\"PR_SET_NAME\"},"
				  "\"name\":\"worker\"}");
	free(a);
	/* an option no rule has keeps the manual's arg2..arg5 */
	a = args_of("prctl(PR_SET_MM, PR_SET_MM_BRK, 0x1000, 0, 0) = 0\n");
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"arg2\":"));
	free(a);

	a = args_of("restart_syscall(<... resuming interrupted read ...>) = 0\n");
	CU_ASSERT_STRING_EQUAL(a, "{\"resuming\":\"read\"}");
	free(a);
	/* strace before 4.x named no call: "call" is what it printed */
	a = args_of("restart_syscall(<... resuming interrupted call ...>) = 0\n");
	CU_ASSERT_STRING_EQUAL(a, "{\"resuming\":\"call\"}");
	free(a);
}

static void the_resumed_call_is_spelled_back(void)
{
	const struct sr_signature *sig = sr_signature_find(SR_ARCH_X86_64, "restart_syscall", 15);
	struct sr_arena *ar = sr_arena_new(0);
	struct sr_sval s = { .kind = SR_S_STR, .str = { "nanosleep", 9 } };
	struct sr_value *v;

	CU_ASSERT_FATAL(sig != NULL && sig->nargs == 1 && ar != NULL);
	CU_ASSERT_EQUAL(sig->args[0].type, SR_T_RESUMED);
	CU_ASSERT_STRING_EQUAL(sr_stype_name(SR_T_RESUMED), "resumed");
	v = sr_semantic_spell(&s, sig->args[0], ar);
	CU_ASSERT_FATAL(v != NULL);
	CU_ASSERT_EQUAL(v->kind, SR_V_IDENT);
	CU_ASSERT(v->text.len == 40 &&
		  !memcmp(v->text.ptr, "<... resuming interrupted nanosleep ...>", 40));
	sr_arena_free(ar);
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

/* The record of line (its first line) holds each of the strings. */
static void has_all(const char *line, const char *const *want)
{
	char *j = jsonl_of(line, NULL, NULL);

	for (; *want; want++)
		if (!strstr(j, *want)) {
			printf("\n  %s: no %s in %s", line, *want, j);
			CU_FAIL("a part of the record is missing");
		}
	free(j);
}

#define HAS(line, ...) has_all((line), (const char *const[]){ __VA_ARGS__, NULL })

static void struct_members_are_typed(void)
{
	/* ifr_flags, d_type, msg_flags, cmsg_level: constants in every -X mode */
	SAME_ARGS("ioctl(3, SIOCGIFFLAGS, {ifr_name=\"lo\", ifr_flags=IFF_UP|IFF_LOOPBACK}) = 0\n",
		  "ioctl(3, 0x8913, {ifr_name=\"lo\", ifr_flags=0x9}) = 0\n");
	SAME_ARGS("ioctl(3, SIOCGIFFLAGS, {ifr_name=\"lo\", ifr_flags=IFF_LOOPBACK}) = 0\n",
		  "ioctl(3, 0x8913 /* SIOCGIFFLAGS */, {ifr_name=\"lo\", "
		  "ifr_flags=0x8 /* IFF_LOOPBACK */}) = 0\n");
	SAME_ARGS("getdents64(3, [{d_ino=3, d_off=1, d_reclen=24, d_type=DT_DIR, d_name=\".\"}], "
		  "4096) = 24\n",
		  "getdents64(3, [{d_ino=3, d_off=1, d_reclen=24, d_type=0x4, d_name=\".\"}], "
		  "4096) = 24\n");
	HAS("ioctl(3, SIOCGIFFLAGS, {ifr_name=\"lo\", ifr_flags=IFF_LOOPBACK}) = 0\n",
	    "\"ifr_flags\":{\"value\":8,\"names\":[\"IFF_LOOPBACK\"]}");
	HAS("recvmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=NULL, msg_iovlen=0, "
	    "msg_controllen=0, msg_flags=0x40000000}, 0) = 0\n",
	    "\"msg_flags\":{\"value\":1073741824,\"names\":[\"MSG_CMSG_CLOEXEC\"]}");
	/* an fd member is an fd, as an fd argument is */
	HAS("poll([{fd=3, events=POLLIN}], 1, 0) = 0 (Timeout)\n", "\"fds\":[{\"fd\":{\"fd\":3},");
	SAME_ARGS("poll([{fd=3, events=POLLIN}], 1, 0) = 1\n",
		  "poll([{fd=3, events=0x1}], 1, 0) = 1\n");
	HAS("pselect6(4, [3<pipe:[7]>], NULL, NULL, NULL, NULL) = 1\n",
	    "\"readfds\":[{\"fd\":3,\"type\":\"pipe\",\"inode\":7}]");
}

static void a_type_may_depend_on_another_argument(void)
{
	SAME_ARGS("fcntl(3, F_SETFD, FD_CLOEXEC) = 0\n", "fcntl(3, 0x2, 0x1) = 0\n");
	SAME_ARGS("fcntl(3, F_SETFD, FD_CLOEXEC) = 0\n",
		  "fcntl(3, 0x2 /* F_SETFD */, 0x1 /* FD_CLOEXEC */) = 0\n");
	HAS("fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n",
	    "\"arg\":{\"value\":2050,\"names\":[\"O_RDWR\",\"O_NONBLOCK\"]}");
	/* F_DUPFD's argument is a number: no rule applies */
	HAS("fcntl(3, F_DUPFD, 10) = 10\n", "\"arg\":10}");
	SAME_ARGS("setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n",
		  "setsockopt(3, 0x1, 0x2, [1], 4) = 0\n");
	HAS("setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n",
	    "\"optname\":{\"value\":2,\"name\":\"SO_REUSEADDR\"}");
	/* SOL_IP's option 2 is not SO_REUSEADDR */
	HAS("setsockopt(3, 0 /* SOL_IP */, 0x2, [1], 4) = 0\n", "\"optname\":2,");
	/* a member's type from its siblings: SCM_RIGHTS carries fds */
	SAME_ARGS("sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=NULL, msg_iovlen=0, "
		  "msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, "
		  "cmsg_data=[5]}], msg_controllen=24, msg_flags=0}, 0) = 0\n",
		  "sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=NULL, msg_iovlen=0, "
		  "msg_control=[{cmsg_len=20, cmsg_level=0x1, cmsg_type=0x1, "
		  "cmsg_data=[5]}], msg_controllen=24, msg_flags=0}, 0x0) = 0\n");
	HAS("sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=NULL, msg_iovlen=0, "
	    "msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, "
	    "cmsg_data=[5</dev/null>]}], msg_controllen=24, msg_flags=0}, 0) = 0\n",
	    "\"cmsg_level\":{\"value\":1,\"name\":\"SOL_SOCKET\"},\"cmsg_type\":{\"value\":1,"
	    "\"name\":\"SCM_RIGHTS\"},\"cmsg_data\":[{\"fd\":5,\"path\":\"/dev/null\"}]");
	HAS("recvmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=NULL, msg_iovlen=0, "
	    "msg_control=[{cmsg_len=17, cmsg_level=SOL_IP, cmsg_type=IP_TTL, cmsg_data=[64]}], "
	    "msg_controllen=24, msg_flags=0}, 0) = 0\n",
	    "\"cmsg_data\":[64]");
}

static void signal_sets_name_their_signals(void)
{
	/* [USR2] and [12] parse as arrays; sa_mask is a signal set */
	SAME_ARGS("rt_sigaction(SIGUSR1, {sa_handler=SIG_DFL, sa_mask=[USR2], sa_flags=0}, NULL, "
		  "8) = 0\n",
		  "rt_sigaction(10, {sa_handler=0, sa_mask=[12], sa_flags=0}, NULL, 8) = 0\n");
	SAME_ARGS("rt_sigprocmask(SIG_BLOCK, [USR1 TERM], [], 8) = 0\n",
		  "rt_sigprocmask(0, [10 15], [], 8) = 0\n");
	SAME_ARGS("rt_sigprocmask(SIG_BLOCK, [USR1 TERM], [], 8) = 0\n",
		  "rt_sigprocmask(0 /* SIG_BLOCK */, [10 /* USR1 */ 15 /* TERM */], [], 8) = 0\n");
	HAS("rt_sigprocmask(SIG_BLOCK, [USR1 TERM], [], 8) = 0\n",
	    "\"set\":{\"signals\":[\"SIGUSR1\",\"SIGTERM\"]},\"oldset\":{\"signals\":[]}");
	HAS("rt_sigaction(SIGUSR1, {sa_handler=SIG_DFL, sa_mask=[USR2], sa_flags=0}, NULL, 8) = 0\n",
	    "\"sa_mask\":{\"signals\":[\"SIGUSR2\"]}");
}

static void an_address_is_the_same_value_with_less_detail(void)
{
	HAS("execve(\"/x\", [\"x\"], 0x7ffd0000 /* 2 vars */) = 0\n",
	    "\"envp\":{\"addr\":2147287040,\"count\":2}}");
	HAS("execve(\"/x\", [\"x\"], [\"A=1\", \"B=2\"]) = 0\n",
	    "\"envp\":{\"count\":2,\"items\":[\"A=1\",\"B=2\"]}}");
	/* cut by strace: no count to claim */
	HAS("execve(\"/x\", [\"x\"], [\"A=1\", ...]) = 0\n",
	    "\"envp\":{\"items\":[\"A=1\",{\"...\":true}]}}");
	HAS("getdents64(3, 0x7ffd0000 /* 5 entries */, 4096) = 144\n",
	    "\"dirp\":{\"addr\":2147287040,\"count\":5}");
	/* the default spellings need no fmt */
	{
		char *j = jsonl_of("execve(\"/x\", [\"x\"], 0x7ffd0000 /* 1 var */) = 0\n"
				   "getdents64(3, 0x7ffd0000 /* 5 entries */, 4096) = 144\n",
				   NULL, NULL);

		CU_ASSERT_PTR_NULL(strstr(j, "\"fmt\""));
		free(j);
	}
}

static void a_device_annotation_is_structured(void)
{
	HAS("close(4</dev/null<char 1:3>>) = 0\n",
	    "\"fd\":{\"fd\":4,\"path\":\"/dev/null\",\"device\":{\"type\":\"char\",\"major\":1,"
	    "\"minor\":3}}");
	HAS("close(4</dev/sda1<block 8:1>>) = 0\n",
	    "\"path\":\"/dev/sda1\",\"device\":{\"type\":\"block\",\"major\":8,\"minor\":1}");
	/* -yy's unix socket: inode[->peer][,"path"] */
	HAS("close(3<UNIX-STREAM:[123->124,\"/run/x\"]>) = 0\n",
	    "\"fd\":{\"fd\":3,\"type\":\"socket\",\"protocol\":\"UNIX-STREAM\",\"inode\":123,"
	    "\"peer\":124,\"path\":\"/run/x\"}");
	HAS("close(3<UNIX-STREAM:[123,\"/run/x\"]>) = 0\n", "\"inode\":123,\"path\":\"/run/x\"}");
	/* a path that merely ends in '>' stays a path */
	HAS("close(4</tmp/a<b>>) = 0\n", "\"fd\":{\"fd\":4,\"path\":\"/tmp/a<b>\"}");
	/* -yy's form needs no fmt */
	{
		char *j = jsonl_of("close(4</dev/null<char 1:3>>) = 0\n", NULL, NULL);

		CU_ASSERT_PTR_NULL(strstr(j, "\"av\""));
		free(j);
	}
}

static void notes_are_spelled_by_default(void)
{
	HAS("fcntl(3, 0x1 /* F_GETFD */) = 0x1 (flags 0x1 /* FD_CLOEXEC */)\n",
	    "\"notes\":[\"flags FD_CLOEXEC\"]", "\"fmt\":{\"av\":",
	    "\"notes\":[\"flags 0x1 /* FD_CLOEXEC */\"]");
	HAS("fcntl(3, 0x1) = 0x1 (flags 0x1)\n", "\"notes\":[\"flags FD_CLOEXEC\"]");
	HAS("poll([{fd=3, events=0x1}], 1, 0) = 1 ([{fd=3, revents=0x1}])\n",
	    "\"notes\":[\"[{fd=3, revents=POLLIN}]\"]");
	/* a note already in the default spelling has no fmt.notes */
	{
		char *j = jsonl_of("fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)\n", NULL, NULL);

		CU_ASSERT_PTR_NOT_NULL(strstr(j, "\"notes\":[\"flags FD_CLOEXEC\"]"));
		CU_ASSERT_PTR_NULL(strstr(strstr(j, "\"notes\"") + 1, "\"notes\""));
		free(j);
	}
}

static void umask_is_a_mode_both_ways(void)
{
	HAS("umask(022) = 077\n", "\"mask\":{\"value\":18,\"names\":[],\"residue\":18}",
	    "\"return\":{\"value\":63,\"names\":[],\"residue\":63}");
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

/* -Y prints a pid with its process name: the pid is the same number */
static void a_pid_is_a_number_with_or_without_its_name(void)
{
	SAME_ARGS("kill(1234<sleep>, SIGTERM) = 0\n", "kill(1234, SIGTERM) = 0\n");
	char *a = jsonl_of("vfork() = 8<ls>\n", NULL, NULL);

	CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"return\":8,"));
	free(a);
}

/* a call strace printed by number, or by an old name, has its signature */
static void numbered_and_renamed_calls_have_their_signature(void)
{
	const struct sr_signature *statx = sr_signature_find(SR_ARCH_X86_64, "statx", 5);

	CU_ASSERT_FATAL(statx != NULL);
	CU_ASSERT_PTR_EQUAL(sr_signature_find(SR_ARCH_X86_64, "syscall_332", 11), statx);
	CU_ASSERT_PTR_EQUAL(sr_signature_find(SR_ARCH_X86_64, "syscall_0x14c", 13), statx);
	CU_ASSERT_PTR_EQUAL(sr_signature_find(SR_ARCH_X86_64, "pread", 5),
			    sr_signature_find(SR_ARCH_X86_64, "pread64", 7));
	CU_ASSERT_PTR_NULL(sr_signature_find(SR_ARCH_X86_64, "syscall_", 8));
	CU_ASSERT_PTR_NULL(sr_signature_find(SR_ARCH_X86_64, "syscall_99999", 13));
	CU_ASSERT_PTR_NULL(sr_signature_find(SR_ARCH_X86_64, "syscall_-1", 10));
}

/* The event of one line through the strace reader, into b (atoms: the
 * run's).  Its strings are views into the reader's buffer: close the reader
 * and the source (events_done) only after the checks. */
struct events {
	struct sr_source *src;
	struct sr_reader *r;
	struct sr_batch b;
};

static void events_done(struct events *e)
{
	if (e->r)
		sr_reader_find("strace")->close(e->r);
	sr_source_close(e->src);
	sr_batch_free(&e->b);
	memset(e, 0, sizeof(*e));
}

static void events_of(struct events *e, const char *text, struct sr_intern *atoms)
{
	char in[] = "/tmp/sr_sem_ev_XXXXXX";
	int fi = mkstemp(in);

	CU_ASSERT_FATAL(fi >= 0);
	CU_ASSERT_FATAL(write(fi, text, strlen(text)) == (ssize_t)strlen(text));
	close(fi);
	CU_ASSERT_FATAL(sr_batch_init(&e->b, atoms) == SR_OK);
	CU_ASSERT_FATAL(sr_source_open(&e->src, in, NULL) == SR_OK);
	CU_ASSERT_FATAL(sr_reader_find("strace")->open(&e->r, e->src, NULL, NULL) == SR_OK);
	/* the reader may hold a line back until it knows the input ended */
	while (sr_reader_find("strace")->next(e->r, &e->b, NULL) == SR_OK && !e->b.n)
		;
	unlink(in);
}

static bool key_is(const struct sr_sval *m, const char *k)
{
	return m->key.len == strlen(k) && !memcmp(m->key.ptr, k, m->key.len);
}

/* sr_semantic_event: the record every writer shares.  Named arguments come
 * in signature order with from[] pointing back at the printed ones; "= ?"
 * has no return value; a signal has its siginfo; a call without a
 * signature has argI keys. */
static void the_event_record_is_shared(void)
{
	struct sr_intern *atoms = sr_intern_new();
	struct sr_semantic *sem = sr_semantic_new(SR_ARCH_X86_64);
	struct sr_arena *a = sr_arena_new(0);
	struct sr_sem_event se;
	struct events e = { 0 };
	const struct sr_sval *k;

	CU_ASSERT_FATAL(atoms && sem && a);
	events_of(&e, "clone(flags=SIGCHLD, child_stack=NULL) = 1234\n", atoms);
	CU_ASSERT_FATAL(e.b.n == 1);
	CU_ASSERT_FATAL(sr_semantic_event(sem, &e.b.ev[0], a, &se) == SR_OK);
	CU_ASSERT_FATAL(se.args && se.args->kind == SR_S_OBJECT && se.args->n == 2);
	CU_ASSERT_PTR_NOT_NULL(se.sig);
	CU_ASSERT(key_is(&se.args->kids[0], "child_stack"));
	CU_ASSERT(se.args->kids[0].kind == SR_S_NULL);
	CU_ASSERT(key_is(&se.args->kids[1], "flags"));
	CU_ASSERT(se.from[0] == 1 && se.from[1] == 0);
	CU_ASSERT(se.types[0].type == SR_T_FLAGS);
	k = sr_sval_get(&se.args->kids[1], "value");
	CU_ASSERT(k && k->kind == SR_S_INT && k->num.i == 17);
	CU_ASSERT(se.ret && se.ret->kind == SR_S_INT && se.ret->num.i == 1234);
	CU_ASSERT_PTR_NULL(se.info);

	events_done(&e);
	events_of(&e, "openat(AT_FDCWD, \"/etc/x\", O_RDONLY) = ?\n", atoms);
	CU_ASSERT_FATAL(e.b.n == 1);
	CU_ASSERT_FATAL(sr_semantic_event(sem, &e.b.ev[0], a, &se) == SR_OK);
	CU_ASSERT_FATAL(se.args && se.args->n == 3);
	CU_ASSERT(key_is(&se.args->kids[0], "dirfd") && key_is(&se.args->kids[1], "pathname") &&
		  key_is(&se.args->kids[2], "flags"));
	CU_ASSERT(se.args->kids[1].kind == SR_S_STR && se.args->kids[1].str.len == 6);
	CU_ASSERT(se.from[0] == 0 && se.from[1] == 1 && se.from[2] == 2);
	CU_ASSERT_PTR_NULL(se.ret); /* = ? */

	events_done(&e);
	events_of(&e, "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7} ---\n", atoms);
	CU_ASSERT_FATAL(e.b.n == 1);
	CU_ASSERT_FATAL(sr_semantic_event(sem, &e.b.ev[0], a, &se) == SR_OK);
	CU_ASSERT_PTR_NULL(se.args);
	CU_ASSERT_FATAL(se.info && se.info->kind == SR_S_OBJECT);
	k = sr_sval_get(se.info, "si_pid");
	CU_ASSERT(k && k->kind == SR_S_INT && k->num.i == 7);

	events_done(&e);
	events_of(&e, "tuxcall(0x1, 2) = -1 ENOSYS (Function not implemented)\n", atoms);
	CU_ASSERT_FATAL(e.b.n == 1);
	CU_ASSERT_FATAL(sr_semantic_event(sem, &e.b.ev[0], a, &se) == SR_OK);
	CU_ASSERT_FATAL(se.args && se.args->n == 2);
	CU_ASSERT(key_is(&se.args->kids[0], "arg0") && key_is(&se.args->kids[1], "arg1"));
	CU_ASSERT(se.ret && se.ret->kind == SR_S_INT && se.ret->num.i == -1);

	/* the key function the csv writer matches columns with */
	{
		struct sr_sarg t = { NULL, SR_T_INT, 0 };
		struct sr_str key = sr_semantic_arg_key(t, &e.b.ev[0].args[1], 12, a);

		CU_ASSERT(sr_semantic_arg_at(se.sig, &e.b.ev[0], 1).type == se.types[1].type);

		CU_ASSERT(key.len == 5 && !memcmp(key.ptr, "arg12", 5));
	}
	events_done(&e);
	sr_semantic_free(sem);
	sr_arena_free(a);
	sr_intern_free(atoms);
}


/* The general answer of the jsonl writer: every string UTF-8, and the
 * canonical spelling printed as the trace printed v. */
static bool sval_utf8_all(const struct sr_sval *s)
{
	uint32_t i;

	if (s->kind == SR_S_STR)
		return sr_json_utf8_valid(s->str.ptr, s->str.len);
	for (i = 0; (s->kind == SR_S_OBJECT || s->kind == SR_S_ARRAY) && i < s->n; i++)
		if (!sval_utf8_all(&s->kids[i]))
			return false;
	return true;
}

static bool spelled_as_printed(const struct sr_value *v, const struct sr_sval *s,
			       struct sr_sarg t, struct sr_arena *a)
{
	struct sr_buf pa = { 0 }, pb = { 0 };
	struct sr_value *sp = sr_semantic_spell(s, t, a);
	bool same;

	if (!sp || !sval_utf8_all(s))
		return false;
	sp->name = v->name;
	sr_strace_print_value(&pa, v);
	sr_strace_print_value(&pb, sp);
	same = pa.len == pb.len && !memcmp(pa.p, pb.p, pa.len);
	sr_buf_free(&pa);
	sr_buf_free(&pb);
	return same;
}

/* sr_semantic_same (the jsonl writer's shortcut) never says "same" where
 * spelling and printing say otherwise, and does answer for the common
 * shapes: want[] is its answer for the argument at that printed place
 * (-1: any).  Each line is one shape. */
static void the_quick_spelling_check_agrees_with_printing(void)
{
	static const struct {
		const char *line;
		int arg, want;
	} cases[] = {
		{ "newfstatat(3</x>, \"\", {st_mode=S_IFREG|0644, st_size=12, ...}, AT_EMPTY_PATH) = 0\n", 2, 1 },
		{ "newfstatat(3</x>, \"\", {st_mode=S_IFREG|0x1a4, st_size=12, ...}, AT_EMPTY_PATH) = 0\n", 2, 0 },
		{ "fstat(3, {st_mode=S_IFDIR|0755, st_size=4096, ...}) = 0\n", 1, 1 },
		{ "openat(AT_FDCWD, \"/x\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3\n", 3, 1 },
		{ "openat(AT_FDCWD, \"/x\", O_WRONLY|O_CREAT|O_TRUNC, 0x1a4) = 3\n", 3, 0 },
		{ "umask(022) = 02\n", 0, 1 },
		{ "rt_sigprocmask(SIG_SETMASK, [], NULL, 8) = 0\n", 1, 1 },
		{ "rt_sigprocmask(SIG_BLOCK, [CHLD], [], 8) = 0\n", 1, 1 },
		{ "rt_sigprocmask(SIG_BLOCK, [HUP INT TERM], NULL, 8) = 0\n", 1, 1 },
		{ "rt_sigprocmask(SIG_BLOCK, ~[RTMIN RT_1], NULL, 8) = 0\n", 1, 1 },
		{ "rt_sigprocmask(SIG_BLOCK, [17], NULL, 8) = 0\n", 1, 0 },
		{ "rt_sigaction(SIGINT, {sa_handler=0x55d0c0ffee00, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x7f0000001000}, NULL, 8) = 0\n", 1, -1 },
		{ "execve(\"/bin/ls\", [\"ls\", \"-l\"], 0x7ffd00001000 /* 23 vars */) = 0\n", 1, 1 },
		{ "execve(\"/bin/ls\", [\"ls\", \"-l\"], 0x7ffd00001000 /* 23 vars */) = 0\n", 2, 1 },
		{ "execve(\"/bin/ls\", [\"ls\"], 0x7ffd00001000 /* 1 var */) = 0\n", 2, 1 },
		{ "execve(\"/bin/ls\", [\"ls\"], 0x7ffd00001000 /* 1 vars */) = 0\n", 2, 0 },
		{ "execve(\"/bin/ls\", [\"ls\", ...], [\"A=1\", \"B=2\"]) = 0\n", 2, 1 },
		{ "getdents64(3</d>, 0x55d0c0ffee00 /* 2 entries */, 32768) = 48\n", 1, 1 },
		{ "pipe([3, 4]) = 0\n", 0, 1 },
		{ "pipe([3</p>, 4]) = 0\n", 0, -1 },
		{ "fcntl(3, F_SETFD, FD_CLOEXEC) = 0\n", 2, -1 },
		{ "prlimit64(0, RLIMIT_NOFILE, NULL, {rlim_cur=1024, rlim_max=4096}) = 0\n", 3, 1 },
		{ "prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0\n", 3, -1 },
		{ "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 7\n", 1, -1 },
		{ "clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=1, tv_nsec=0}, 0x7ffc00001000) = 0\n", 2, 1 },
		{ "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000001000\n", 2, 1 },
		{ "mmap(0x7f0000001000, 8192, PROT_READ, MAP_PRIVATE|MAP_FIXED|0x100000, 3, 0x2000) = 0x7f0000001000\n", 3, -1 },
		{ "read(3</a\\nb>, \"x\", 1) = 1\n", 0, 0 },
		{ "read(3</a (deleted)>, \"x\", 1) = 1\n", 0, 0 },
		{ "fstat(3</y>(deleted), {st_mode=S_IFREG|0600, st_size=0, ...}) = 0\n", 0, 1 },
		{ "ioctl(1</dev/pts/0<char 136:0>>, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0\n", 2, -1 },
		{ "connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n", 1, -1 },
		{ "write(1, \"\\377\", 1) = 1\n", 1, 0 },
		{ "uname({sysname=\"Linux\", nodename=\"h\", ...}) = 0\n", 0, 1 },
	};
	struct sr_intern *atoms = sr_intern_new();
	struct sr_semantic *sem = sr_semantic_new(SR_ARCH_X86_64);
	struct sr_arena *a = sr_arena_new(0);
	size_t c;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct events e = { 0 };
		struct sr_sem_event se;
		const struct sr_event *ev;
		uint32_t j;

		events_of(&e, cases[c].line, atoms);
		CU_ASSERT_FATAL(e.b.n == 1);
		ev = &e.b.ev[0];
		CU_ASSERT_FATAL(sr_semantic_event(sem, ev, a, &se) == SR_OK && se.args);
		for (j = 0; j < se.args->n; j++) {
			uint32_t i = se.from[j];
			bool quick = sr_semantic_same(&ev->args[i], &se.args->kids[j], se.types[i]);
			bool general = spelled_as_printed(&ev->args[i], &se.args->kids[j],
							  se.types[i], a);

			if (quick && !general)
				fprintf(stderr, "\nquick says same, printing says not: %s arg %u",
					cases[c].line, i);
			CU_ASSERT(!quick || general);
			if ((int)i == cases[c].arg && cases[c].want >= 0) {
				if (quick != (cases[c].want == 1))
					fprintf(stderr, "\nwant %d got %d: %s", cases[c].want,
						quick, cases[c].line);
				CU_ASSERT(quick == (cases[c].want == 1));
			}
		}
		if (se.ret)
			CU_ASSERT(!sr_semantic_same(ev->ret, se.ret, se.rtype) ||
				  spelled_as_printed(ev->ret, se.ret, se.rtype, a));
		events_done(&e);
	}
	sr_semantic_free(sem);
	sr_arena_free(a);
	sr_intern_free(atoms);
}

static CU_TestInfo cases[] = {
	{ "signatures name arguments", signatures_name_arguments },
	{ "i386 time64 calls have their base signature",
	  i386_time64_calls_have_their_base_signature },
	{ "constants come from the headers", constants_come_from_the_headers },
	{ "constants are per architecture", constants_are_per_architecture },
	{ "records use the trace's architecture", records_use_the_trace_architecture },
	{ "every argument has a name", every_argument_has_a_name },
	{ "the resumed call is spelled back", the_resumed_call_is_spelled_back },
	{ "one meaning whatever the flags", one_meaning_whatever_the_flags },
	{ "records have the documented shapes", records_have_the_documented_shapes },
	{ "canonical spellings need no fmt", canonical_spellings_need_no_fmt },
	{ "structs without field names", structs_without_field_names },
	{ "numbered and renamed calls have their signature",
	  numbered_and_renamed_calls_have_their_signature },
	{ "old octal strings keep their spelling", old_octal_strings_keep_their_spelling },
	{ "a pid is a number with or without its name",
	  a_pid_is_a_number_with_or_without_its_name },
	{ "struct members are typed", struct_members_are_typed },
	{ "a type may depend on another argument", a_type_may_depend_on_another_argument },
	{ "signal sets name their signals", signal_sets_name_their_signals },
	{ "an address is the same value with less detail",
	  an_address_is_the_same_value_with_less_detail },
	{ "a device annotation is structured", a_device_annotation_is_structured },
	{ "notes are spelled by default", notes_are_spelled_by_default },
	{ "umask is a mode both ways", umask_is_a_mode_both_ways },
	{ "the event record is shared", the_event_record_is_shared },
	{ "the quick spelling check agrees with printing",
	  the_quick_spelling_check_agrees_with_printing },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_semantic = { .name = "semantic", .cases = cases };
