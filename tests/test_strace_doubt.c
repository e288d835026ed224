/*
 * test_strace_doubt.c - the strace parser's doubts (enum sr_doubt in
 * formats/strace/strace_internal.h): the reader prints back only the lines
 * the parser flagged, so every spelling the printer would not give back must
 * raise one.  Per reason: a line spelled as strace spells it raises none,
 * the same line spelled otherwise raises that reason, and read by the
 * reader (with and without verify=all) the second keeps its text verbatim,
 * the first does not, and both come back byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sr_test.h"
#include "strace_internal.h"
#include "sysrep.h"

extern const struct sr_reader_class sr_in_strace;

struct dcase {
	uint32_t reason;
	const char *plain; /* as strace prints it: no doubt (but SR_DOUBT_KIND) */
	const char *odd;   /* respelled: the reason, and verbatim */
};

static const struct dcase cases_by_reason[] = {
	{ SR_DOUBT_PID, "[pid  1234] close(3) = 0", "[pid 1234] close(3) = 0" },
	{ SR_DOUBT_PID, "1234  close(3) = 0", "1234 close(3) = 0" },
	{ SR_DOUBT_PID, "1234<sh> close(3) = 0", "01234<sh> close(3) = 0" },
	{ SR_DOUBT_TIME, "12:34:56.123456 close(3) = 0", "12:61:56.123456 close(3) = 0" },
	{ SR_DOUBT_TIME, "12:34:56 close(3) = 0", "12:34:56. close(3) = 0" },
	{ SR_DOUBT_TIME, "     0.000123 close(3) = 0", "    00.000123 close(3) = 0" },
	{ SR_DOUBT_TIME, "12:34:56 (+     0.000070) close(3) = 0",
	  "12:34:56 (+    00.000070) close(3) = 0" },
	{ SR_DOUBT_NR, "[ 59] close(3) = 0", "[059] close(3) = 0" },
	{ SR_DOUBT_IP, "[00007f9140ba5ad7] close(3) = 0", "[00007F9140BA5AD7] close(3) = 0" },
	{ SR_DOUBT_DURATION, "close(3) = 0 <0.000204>", "close(3) = 0 <00.000204>" },
	{ SR_DOUBT_DURATION, "close(3) = 0 <1>", "close(3) = 0 <1.>" },
	{ SR_DOUBT_DURATION, "close(3) = 0 <0.000204>", "close(3) = 0 <0.0002040001>" },
	{ SR_DOUBT_ESCAPE, "write(1, \"a\\nb\\0\", 4) = 4", "write(1, \"a\\x0ab\", 3) = 3" },
	{ SR_DOUBT_ESCAPE, "write(1, \"\\1\\2\", 2) = 2", "write(1, \"\\001\\2\", 2) = 2" },
	{ SR_DOUBT_ESCAPE, "write(1, \"\\x61\\x62\", 2) = 2", "write(1, \"\\x61\\x6A\", 2) = 2" },
	{ SR_DOUBT_ESCAPE, "write(1, \"\\0001\", 2) = 2", "write(1, \"\\0\\061\", 2) = 2" },
	{ SR_DOUBT_ESCAPE, "write(1, \"\\177ELF\\2\", 5) = 5", "write(1, \"\\101\\n\", 2) = 2" },
	{ SR_DOUBT_ESCAPE, "write(1, \"\\0\\n\", 2) = 2", "write(1, \"\\0\\12\", 2) = 2" },
	{ SR_DOUBT_RAW, "write(1, \"a b\", 3) = 3", "write(1, \"a\tb\", 3) = 3" },
	{ SR_DOUBT_RAW, "write(1, \"\\n\", 1) = 1", "write(1, \"\\n\t\", 2) = 2" },
	{ SR_DOUBT_RAW, "write(1, \"a b\", 3) = 3", "write(1, \"a\x80\", 2) = 2" },
	{ SR_DOUBT_SEP, "ioctl(0, TCGETS, {B38400 opost isig}) = 0",
	  "ioctl(0, TCGETS, {B38400 opost, isig}) = 0" },
	{ SR_DOUBT_SEP, "sched_getparam(0, { 0 }) = 0", "sched_getparam(0, { 0}) = 0" },
	{ SR_DOUBT_SEP, "rt_sigprocmask(SIG_BLOCK, ~[RTMIN RT_1], NULL, 8) = 0",
	  "rt_sigprocmask(SIG_BLOCK, ~[RTMIN, RT_1], NULL, 8) = 0" },
	{ SR_DOUBT_TAIL, "read(3,  <unfinished ...>", "read(3,  <unfinished ... exit status 00>" },
	{ SR_DOUBT_KIND, "+++ exited with 0 +++", "+++ exited with 00 +++" },
};
#define NCASES (sizeof(cases_by_reason) / sizeof(cases_by_reason[0]))

/* The doubts of one line, parsed alone. */
static uint32_t doubts(const char *line)
{
	struct sr_intern *atoms = sr_intern_new();
	struct sr_batch b;
	struct sr_stp ps;
	struct sr_event ev;
	struct sr_attach att;
	struct sr_line_info info;
	uint32_t d;

	CU_ASSERT_EQUAL_FATAL(sr_batch_init(&b, atoms), SR_OK);
	sr_stp_init(&ps, b.arena, atoms);
	memset(&ev, 0, sizeof(ev));
	sr_strace_parse_line(&ps, line, strlen(line), &ev, &att, &info);
	CU_ASSERT_NOT_EQUAL(ev.kind, SR_E_UNPARSED);
	d = ps.doubt;
	sr_stp_free(&ps);
	sr_batch_free(&b);
	sr_intern_free(atoms);
	return d;
}

/* What the reader made of a file: per event its flags and padcol, and the
 * strace text printed back. */
struct got {
	size_t n;
	uint16_t flags[8];
	uint16_t padcol[8];
	char text[1024];
	size_t len;
};

static void read_text(const char *text, bool all, struct got *g)
{
	char path[] = "/tmp/sr_doubt_XXXXXX";
	int fd = mkstemp(path);
	struct sr_opt o = { SR_STRACE_VERIFY_KEY, "all" };
	struct sr_opts opts = { &o, all ? 1 : 0 };
	struct sr_intern *atoms = sr_intern_new();
	struct sr_source *src = NULL;
	struct sr_reader *r = NULL;
	struct sr_buf out = { 0 };
	struct sr_batch b;
	enum sr_status st;

	memset(g, 0, sizeof(*g));
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL_FATAL(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	CU_ASSERT_EQUAL_FATAL(sr_source_open(&src, path, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_in_strace.open(&r, src, &opts, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_batch_init(&b, atoms), SR_OK);
	while ((st = sr_in_strace.next(r, &b, NULL)) == SR_OK || b.n) {
		for (size_t i = 0; i < b.n; i++) {
			if (g->n < 8) {
				g->flags[g->n] = b.ev[i].flags;
				g->padcol[g->n] = b.ev[i].padcol;
			}
			g->n++;
			sr_strace_print_full(&out, &b.ev[i]);
		}
		if (st != SR_OK)
			break;
	}
	CU_ASSERT(out.len < sizeof(g->text));
	if (out.len < sizeof(g->text)) {
		memcpy(g->text, out.p, out.len);
		g->len = out.len;
	}
	sr_buf_free(&out);
	sr_batch_free(&b);
	sr_in_strace.close(r);
	sr_source_close(src);
	sr_intern_free(atoms);
	unlink(path);
}

static void check_reason(uint32_t reason)
{
	size_t seen = 0;

	for (size_t i = 0; i < NCASES; i++) {
		const struct dcase *c = &cases_by_reason[i];
		char text[512];
		struct got def, all;

		if (c->reason != reason)
			continue;
		seen++;
		CU_ASSERT_EQUAL(doubts(c->plain) & ~SR_DOUBT_KIND & ~reason, 0);
		if (reason != SR_DOUBT_KIND)
			CU_ASSERT_EQUAL(doubts(c->plain), 0);
		CU_ASSERT(doubts(c->odd) & reason);
		snprintf(text, sizeof(text), "%s\n%s\n", c->plain, c->odd);
		read_text(text, false, &def);
		read_text(text, true, &all);
		CU_ASSERT_EQUAL(def.n, 2);
		CU_ASSERT_FALSE(def.flags[0] & SR_EF_VERBATIM);
		CU_ASSERT_TRUE(def.flags[1] & SR_EF_VERBATIM);
		CU_ASSERT_EQUAL(def.len, strlen(text));
		CU_ASSERT_NSTRING_EQUAL(def.text, text, strlen(text));
		CU_ASSERT_EQUAL(all.n, def.n);
		CU_ASSERT_EQUAL(all.len, def.len);
		CU_ASSERT(memcmp(all.flags, def.flags, sizeof(def.flags)) == 0);
		CU_ASSERT(memcmp(all.padcol, def.padcol, sizeof(def.padcol)) == 0);
	}
	CU_ASSERT(seen > 0);
}

#define REASON_CASE(fn, r) \
	static void fn(void) { check_reason(r); }
REASON_CASE(test_pid, SR_DOUBT_PID)
REASON_CASE(test_time, SR_DOUBT_TIME)
REASON_CASE(test_nr, SR_DOUBT_NR)
REASON_CASE(test_ip, SR_DOUBT_IP)
REASON_CASE(test_duration, SR_DOUBT_DURATION)
REASON_CASE(test_escape, SR_DOUBT_ESCAPE)
REASON_CASE(test_raw, SR_DOUBT_RAW)
REASON_CASE(test_sep, SR_DOUBT_SEP)
REASON_CASE(test_tail, SR_DOUBT_TAIL)
REASON_CASE(test_kind, SR_DOUBT_KIND)

/* Without printing, the reader still knows where the padding before "= "
 * starts: the same column the printer's mark gives, resumed lines too. */
static void test_padcol_without_printing(void)
{
	static const char text[] = "[pid     1] read(3,  <unfinished ...>\n"
				   "[pid     2] close(4)            = 0\n"
				   "[pid     1] <... read resumed>\"ab\", 2) = 2 <0.000010>\n"
				   "[pid     1] <... write resumed>) = 1\n";
	struct got def, all;

	read_text(text, false, &def);
	read_text(text, true, &all);
	CU_ASSERT_EQUAL(def.n, 4);
	CU_ASSERT_EQUAL(def.padcol[1], strlen("[pid     2] close(4)"));
	CU_ASSERT_EQUAL(def.padcol[2], strlen("[pid     1] <... read resumed>\"ab\", 2)"));
	CU_ASSERT_EQUAL(def.padcol[3], strlen("[pid     1] <... write resumed>)"));
	CU_ASSERT(memcmp(all.padcol, def.padcol, sizeof(def.padcol)) == 0);
	CU_ASSERT(memcmp(all.flags, def.flags, sizeof(def.flags)) == 0);
	CU_ASSERT_EQUAL(def.len, strlen(text));
	CU_ASSERT_NSTRING_EQUAL(def.text, text, strlen(text));
}

/* The option takes "all" or "flagged"; anything else is a usage error. */
static void test_option_values(void)
{
	char path[] = "/tmp/sr_doubt_XXXXXX";
	int fd = mkstemp(path);
	struct sr_opt o = { SR_STRACE_VERIFY_KEY, "some" };
	struct sr_opts opts = { &o, 1 };
	struct sr_source *src = NULL;
	struct sr_reader *r = NULL;

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	CU_ASSERT_EQUAL_FATAL(sr_source_open(&src, path, NULL), SR_OK);
	CU_ASSERT_EQUAL(sr_in_strace.open(&r, src, &opts, NULL), SR_ERR_USAGE);
	o.value = "flagged";
	CU_ASSERT_EQUAL(sr_in_strace.open(&r, src, &opts, NULL), SR_OK);
	sr_in_strace.close(r);
	sr_source_close(src);
	unlink(path);
}

static CU_TestInfo cases[] = {
	{ "a pid padded or spelled otherwise is a doubt", test_pid },
	{ "a time spelled otherwise is a doubt", test_time },
	{ "a syscall number with leading zeros is a doubt", test_nr },
	{ "an ip in capital hex is a doubt", test_ip },
	{ "a duration spelled otherwise is a doubt", test_duration },
	{ "escapes strace does not write are a doubt", test_escape },
	{ "a raw byte in a string is a doubt", test_raw },
	{ "mixed separators in a struct or set are a doubt", test_sep },
	{ "a rare cut or resumed tail is a doubt", test_tail },
	{ "a line other than a call is always a doubt", test_kind },
	{ "padcol is known without printing back", test_padcol_without_printing },
	{ "verify takes all or flagged", test_option_values },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_strace_doubt = {
	.name = "strace_doubt",
	.cases = cases,
};
