/*
 * test_strace_resume.c - a call cut by "<unfinished ...>" keeps the
 * arguments parsed at the cut, and its "<... resumed>" line, in the same
 * batch, parses only its tail (formats/strace/in_strace.c, resume()).  The
 * merged event must be the one parsing the whole call gives: here each cut
 * call is compared, value tree by value tree, with the same call written on
 * one line, for every way a tail can go on (')' , ", ", after a ", " cut,
 * an arrow that extends the last argument, a cut in another batch).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sr_test.h"
#include "strace_internal.h"
#include "sysrep.h"

extern const struct sr_reader_class sr_in_strace;

/* Every field of a value tree, as text, so that two trees compare by strcmp. */
static void dump(struct sr_buf *o, const struct sr_value *v, uint32_t n)
{
	char tmp[96];

	for (uint32_t i = 0; i < n; i++) {
		snprintf(tmp, sizeof(tmp), "(%u %u %u %llu ", v[i].kind, v[i].base, v[i].flags,
			 (unsigned long long)v[i].num.u);
		sr_buf_add(o, tmp, strlen(tmp));
		sr_buf_adds(o, v[i].name);
		sr_buf_addc(o, '|');
		sr_buf_adds(o, v[i].text);
		sr_buf_addc(o, ' ');
		dump(o, v[i].kids, v[i].nkids);
		sr_buf_addc(o, ')');
	}
}

/* The dumps of the SYSCALL events of text, one line each, in out. */
static void syscalls(const char *text, struct sr_buf *out)
{
	char path[] = "/tmp/sr_resume_XXXXXX";
	int fd = mkstemp(path);
	struct sr_intern *atoms = sr_intern_new();
	struct sr_source *src = NULL;
	struct sr_reader *r = NULL;
	struct sr_batch b;
	enum sr_status st;

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL_FATAL(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	CU_ASSERT_EQUAL_FATAL(sr_source_open(&src, path, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_in_strace.open(&r, src, NULL, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_batch_init(&b, atoms), SR_OK);
	while ((st = sr_in_strace.next(r, &b, NULL)) == SR_OK || b.n) {
		for (size_t i = 0; i < b.n; i++) {
			const struct sr_event *ev = &b.ev[i];

			if (ev->kind != SR_E_SYSCALL)
				continue;
			CU_ASSERT_FALSE(ev->flags & SR_EF_VERBATIM);
			dump(out, ev->args, ev->nargs);
			if (ev->ret)
				dump(out, ev->ret, 1);
			sr_buf_addc(out, '\n');
		}
		if (st != SR_OK)
			break;
	}
	sr_batch_free(&b);
	sr_in_strace.close(r);
	sr_source_close(src);
	sr_intern_free(atoms);
	unlink(path);
}

/* Cut calls (first half, tail) and the whole call. */
static const struct {
	const char *head, *tail, *whole;
} calls[] = {
	/* the tail starts with ')' */
	{ "close(3</tmp/a>", ") = 0", "close(3</tmp/a>) = 0" },
	{ "openat(AT_FDCWD</tmp>, \"/etc/x\\n\", O_RDONLY|O_CLOEXEC", ") = 3</etc/x>",
	  "openat(AT_FDCWD</tmp>, \"/etc/x\\n\", O_RDONLY|O_CLOEXEC) = 3</etc/x>" },
	/* the tail starts with ", " */
	{ "wait4(-1", ", [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 5",
	  "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 5" },
	/* the cut came after ", " */
	{ "read(3, ", "\"abc\"..., 832) = 832", "read(3, \"abc\"..., 832) = 832" },
	{ "read(3, ", ") = ?", "read(3, ) = ?" },
	/* the tail extends the last argument: parsed whole */
	{ "clone3({flags=CLONE_VM, exit_signal=SIGCHLD}", " => {parent_tid=[7]}, 88) = 7",
	  "clone3({flags=CLONE_VM, exit_signal=SIGCHLD} => {parent_tid=[7]}, 88) = 7" },
	{ "ioctl(1, TCGETS", "|0x100, {B38400}) = 0", "ioctl(1, TCGETS|0x100, {B38400}) = 0" },
};

static void check_calls(size_t filler)
{
	struct sr_buf cut = { 0 }, whole = { 0 }, got = { 0 }, want = { 0 };
	char line[512];

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		const char *name = calls[i].head;
		size_t nl = strcspn(name, "(");

		snprintf(line, sizeof(line), "[pid     7] %s <unfinished ...>\n", calls[i].head);
		sr_buf_add(&cut, line, strlen(line));
		for (size_t k = 0; k < filler; k++)
			sr_buf_add(&cut, "[pid     8] getpid() = 8\n", 25);
		snprintf(line, sizeof(line), "[pid     7] <... %.*s resumed>%s\n", (int)nl, name,
			 calls[i].tail);
		sr_buf_add(&cut, line, strlen(line));
		for (size_t k = 0; k < filler; k++)
			sr_buf_add(&whole, "[pid     8] getpid() = 8\n", 25);
		snprintf(line, sizeof(line), "[pid     7] %s\n", calls[i].whole);
		sr_buf_add(&whole, line, strlen(line));
	}
	sr_buf_addc(&cut, '\0');
	sr_buf_addc(&whole, '\0');
	syscalls(cut.p, &got);
	syscalls(whole.p, &want);
	CU_ASSERT_EQUAL(got.len, want.len);
	CU_ASSERT(got.len == want.len && memcmp(got.p, want.p, got.len) == 0);
	sr_buf_free(&cut);
	sr_buf_free(&whole);
	sr_buf_free(&got);
	sr_buf_free(&want);
}

static void test_same_batch(void) { check_calls(1); }

/* A batch holds at most SR_STRACE_BATCH_LINES lines: with that many lines
 * between the halves, every resumption is in a later batch than its cut,
 * where the kept arguments are gone and the whole call is parsed again. */
static void test_later_batch(void) { check_calls(SR_STRACE_BATCH_LINES + 1); }

static CU_TestInfo cases[] = {
	{ "a resumption in the cut's batch gives the whole call's values", test_same_batch },
	{ "a resumption in a later batch gives the whole call's values", test_later_batch },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_strace_resume = {
	.name = "strace_resume",
	.cases = cases,
};
