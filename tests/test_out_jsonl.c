/*
 * test_out_jsonl.c - the JSON Lines writer and the JSON helpers under it.
 *
 * Values and events are built by hand in an arena, written, and compared
 * with the exact expected text: the schema is a contract with users
 * (docs/jsonl-schema.md), so any change to it must show up here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "json_emit.h"
#include "sysrep.h"

#include "sr_test.h"

extern const struct sr_writer_class sr_out_jsonl;

/* Each case starts with begin() and ends with end(): the harness has no
 * per-suite set-up, and a case that stops early only leaks. */
static struct sr_arena *arena;
static struct sr_intern *atoms;

static void begin(void)
{
	arena = sr_arena_new(0);
	atoms = sr_intern_new();
	CU_ASSERT_FATAL(arena && atoms);
}

static void end(void)
{
	sr_arena_free(arena);
	sr_intern_free(atoms);
	arena = NULL;
	atoms = NULL;
}

/* ------------------------------------------------------------------ */
/* A small strict JSON checker: the output must parse, whatever the input. */

struct jp {
	const unsigned char *p, *end;
};

static bool jp_value(struct jp *j, int depth);

static void jp_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool jp_lit(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n))
		return false;
	j->p += n;
	return true;
}

static bool jp_string(struct jp *j)
{
	if (j->p >= j->end || *j->p != '"')
		return false;
	j->p++;
	const unsigned char *start = j->p;
	while (j->p < j->end && *j->p != '"') {
		if (*j->p < 0x20)
			return false;
		if (*j->p == '\\') {
			j->p++;
			if (j->p >= j->end)
				return false;
			if (*j->p == 'u') {
				for (int k = 1; k <= 4; k++)
					if (j->p + k >= j->end || !strchr("0123456789abcdefABCDEF", j->p[k]) ||
					    !j->p[k])
						return false;
				j->p += 5;
				continue;
			}
			if (!strchr("\"\\/bfnrt", *j->p) || !*j->p)
				return false;
		}
		j->p++;
	}
	if (j->p >= j->end)
		return false;
	if (!sr_json_utf8_valid((const char *)start, (size_t)(j->p - start)))
		return false;
	j->p++;
	return true;
}

static bool jp_number(struct jp *j)
{
	const unsigned char *s = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return false;
	if (*j->p == '0')
		j->p++;
	else
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return false;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return false;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	return j->p > s;
}

static bool jp_value(struct jp *j, int depth)
{
	if (depth > 1000)
		return false;
	jp_ws(j);
	if (j->p >= j->end)
		return false;
	switch (*j->p) {
	case '{':
		j->p++;
		jp_ws(j);
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			return true;
		}
		for (;;) {
			jp_ws(j);
			if (!jp_string(j))
				return false;
			jp_ws(j);
			if (!jp_lit(j, ":") || !jp_value(j, depth + 1))
				return false;
			jp_ws(j);
			if (jp_lit(j, "}"))
				return true;
			if (!jp_lit(j, ","))
				return false;
		}
	case '[':
		j->p++;
		jp_ws(j);
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			return true;
		}
		for (;;) {
			if (!jp_value(j, depth + 1))
				return false;
			jp_ws(j);
			if (jp_lit(j, "]"))
				return true;
			if (!jp_lit(j, ","))
				return false;
		}
	case '"':
		return jp_string(j);
	case 't':
		return jp_lit(j, "true");
	case 'f':
		return jp_lit(j, "false");
	case 'n':
		return jp_lit(j, "null");
	default:
		return jp_number(j);
	}
}

/* True when s[0..n) is exactly one JSON value (optionally surrounded by
 * white space). */
static bool json_ok(const char *s, size_t n)
{
	struct jp j = { (const unsigned char *)s, (const unsigned char *)s + n };

	if (!jp_value(&j, 0))
		return false;
	jp_ws(&j);
	return j.p == j.end;
}

/* ------------------------------------------------------------------ */
/* Building values                                                     */

static struct sr_str S(const char *s)
{
	return (struct sr_str){ s, strlen(s) };
}

static struct sr_value v_kind(uint8_t kind)
{
	struct sr_value v;

	memset(&v, 0, sizeof(v));
	v.kind = kind;
	return v;
}

static struct sr_value v_int(int64_t i)
{
	struct sr_value v = v_kind(SR_V_INT);
	char buf[32];

	v.num.i = i;
	snprintf(buf, sizeof(buf), "%lld", (long long)i);
	v.text.ptr = sr_arena_memdup(arena, buf, strlen(buf));
	v.text.len = strlen(buf);
	return v;
}

static struct sr_value v_uint(uint64_t u)
{
	struct sr_value v = v_kind(SR_V_INT);

	v.num.u = u;
	v.flags = SR_VF_UNSIGNED;
	return v;
}

static struct sr_value v_base(uint8_t base, const char *text, uint64_t u)
{
	struct sr_value v = v_kind(SR_V_INT);

	v.base = base;
	v.num.u = u;
	v.flags = SR_VF_UNSIGNED;
	v.text = S(text);
	return v;
}

static struct sr_value v_str(const char *s, size_t n, uint16_t flags)
{
	struct sr_value v = v_kind(SR_V_STR);

	v.text.ptr = s;
	v.text.len = n;
	v.flags = flags;
	return v;
}

static struct sr_value v_text(uint8_t kind, const char *text)
{
	struct sr_value v = v_kind(kind);

	v.text = S(text);
	return v;
}

/* A node of kind with n kids given as struct sr_value arguments. */
static struct sr_value v_kids(uint8_t kind, const char *text, uint32_t n, ...)
{
	struct sr_value v = v_kind(kind);
	va_list ap;
	uint32_t i;

	if (text)
		v.text = S(text);
	v.nkids = n;
	v.kids = sr_arena_alloc(arena, (n ? n : 1) * sizeof(*v.kids));
	va_start(ap, n);
	for (i = 0; i < n; i++)
		v.kids[i] = va_arg(ap, struct sr_value);
	va_end(ap);
	return v;
}

static struct sr_value named(const char *name, struct sr_value v)
{
	v.name = S(name);
	return v;
}

/*
 * The JSON of v, NUL-terminated, in the arena.  The buffer is exactly
 * sr_json_value_max(v) bytes followed by a guard, so writing past the
 * promised bound fails the test.
 */
static const char *vjson(struct sr_value v)
{
	size_t max = sr_json_value_max(&v);
	char *buf = sr_arena_alloc(arena, max + 64);
	char *end;

	memset(buf + max, 0x5a, 64);
	end = sr_json_value(buf, &v);
	CU_ASSERT_FATAL((size_t)(end - buf) <= max);
	for (int i = 0; i < 64; i++)
		CU_ASSERT_FATAL(buf[max + i] == 0x5a);
	CU_ASSERT(json_ok(buf, (size_t)(end - buf)));
	*end = 0;
	return buf;
}

#define EXPECT_V(v, want) CU_ASSERT_STRING_EQUAL(vjson(v), want)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static const char *fmt_u(uint64_t u)
{
	static char buf[32];

	*sr_json_u64(buf, u) = 0;
	return buf;
}

static const char *fmt_i(int64_t i)
{
	static char buf[32];

	*sr_json_i64(buf, i) = 0;
	return buf;
}

static void test_integers(void)
{
	char want[32];
	uint64_t u = 1;

	begin();
	CU_ASSERT_STRING_EQUAL(fmt_u(0), "0");
	CU_ASSERT_STRING_EQUAL(fmt_u(UINT64_MAX), "18446744073709551615");
	CU_ASSERT_STRING_EQUAL(fmt_i(INT64_MIN), "-9223372036854775808");
	CU_ASSERT_STRING_EQUAL(fmt_i(INT64_MAX), "9223372036854775807");
	CU_ASSERT_STRING_EQUAL(fmt_i(-1), "-1");
	/* Every power of ten and its neighbours, where digit counts change. */
	for (int k = 0; k < 20; k++, u *= 10) {
		for (int64_t dd = -1; dd <= 1; dd++) {
			uint64_t x = u + (uint64_t)dd;

			snprintf(want, sizeof(want), "%llu", (unsigned long long)x);
			CU_ASSERT_STRING_EQUAL(fmt_u(x), want);
			snprintf(want, sizeof(want), "%lld", -(long long)(x >> 1));
			CU_ASSERT_STRING_EQUAL(fmt_i(-(int64_t)(x >> 1)), want);
		}
	}
	char buf[32];
	*sr_json_hex64(buf, 0) = 0;
	CU_ASSERT_STRING_EQUAL(buf, "0x0");
	*sr_json_hex64(buf, 0x7ffd50c983d8ull) = 0;
	CU_ASSERT_STRING_EQUAL(buf, "0x7ffd50c983d8");
	*sr_json_hex64(buf, UINT64_MAX) = 0;
	CU_ASSERT_STRING_EQUAL(buf, "0xffffffffffffffff");
	end();
}

static const char *fmt_t(int64_t sec, uint32_t nsec, uint8_t digits)
{
	static char buf[SR_JSON_TIME_MAX + 1];
	struct sr_time t = { .sec = sec, .nsec = nsec, .clock = SR_CLOCK_EPOCH, .digits = digits };

	*sr_json_time(buf, &t) = 0;
	return buf;
}

static void test_times(void)
{
	begin();
	CU_ASSERT_STRING_EQUAL(fmt_t(1795747987, 942454000, 6), "1795747987.942454");
	CU_ASSERT_STRING_EQUAL(fmt_t(10268, 395234000, 6), "10268.395234");
	CU_ASSERT_STRING_EQUAL(fmt_t(10268, 0, 0), "10268");
	CU_ASSERT_STRING_EQUAL(fmt_t(0, 204000, 6), "0.000204");
	CU_ASSERT_STRING_EQUAL(fmt_t(0, 5000000, 3), "0.005");
	CU_ASSERT_STRING_EQUAL(fmt_t(12, 1, 9), "12.000000001");
	CU_ASSERT_STRING_EQUAL(fmt_t(-2, 250000000, 2), "-1.75");
	CU_ASSERT_STRING_EQUAL(fmt_t(-3, 0, 3), "-3.000");
	CU_ASSERT_STRING_EQUAL(fmt_t(1, 1500000000, 1), "2.5");
	end();
}

static void test_doubles(void)
{
	char buf[SR_JSON_DOUBLE_MAX + 1];

	begin();
	*sr_json_double(buf, 12.34) = 0;
	CU_ASSERT_STRING_EQUAL(buf, "12.34");
	*sr_json_double(buf, 0.000204) = 0;
	CU_ASSERT_STRING_EQUAL(buf, "0.000204");
	*sr_json_double(buf, 100) = 0;
	CU_ASSERT_STRING_EQUAL(buf, "100");
	*sr_json_double(buf, 0.1 + 0.2) = 0;
	CU_ASSERT_STRING_EQUAL(buf, "0.30000000000000004");
	*sr_json_double(buf, 1.0 / 0.0) = 0;
	CU_ASSERT_STRING_EQUAL(buf, "null");
	*sr_json_double(buf, 0.0 / 0.0) = 0;
	CU_ASSERT_STRING_EQUAL(buf, "null");
	*sr_json_double(buf, 1e-9) = 0;
	CU_ASSERT(json_ok(buf, strlen(buf)));
	end();
}

static const char *esc(const char *s, size_t n, bool *bad)
{
	char *buf = sr_arena_alloc(arena, SR_JSON_ESC_MAX(n) + 1);

	*sr_json_esc(buf, s, n, bad) = 0;
	return buf;
}

static void test_escaping(void)
{
	bool bad = false;

	begin();
	CU_ASSERT_STRING_EQUAL(esc("plain /etc/passwd", 17, &bad), "plain /etc/passwd");
	CU_ASSERT(!bad);
	CU_ASSERT_STRING_EQUAL(esc("a\"b\\c\n\r\t\b\f", 10, &bad), "a\\\"b\\\\c\\n\\r\\t\\b\\f");
	CU_ASSERT_STRING_EQUAL(esc("\0\x01\x1f\x7f", 4, &bad), "\\u0000\\u0001\\u001f\x7f");
	CU_ASSERT(!bad);
	/* Long enough for the word-at-a-time path, with a quote at each place. */
	for (int k = 0; k < 24; k++) {
		char in[24], want[26];

		memset(in, 'x', sizeof(in));
		in[k] = '"';
		memcpy(want, in, (size_t)k);
		want[k] = '\\';
		memcpy(want + k + 1, in + k, sizeof(in) - (size_t)k);
		want[25] = 0;
		CU_ASSERT_STRING_EQUAL(esc(in, sizeof(in), NULL), want);
	}
	/* Every length around the word size, with a quote, a control byte
	 * or a UTF-8 sequence at each place: the last word of a string is
	 * copied overlapping the one before it, the short ones byte by byte. */
	for (size_t len = 1; len <= 20; len++)
		for (size_t k = 0; k < len; k++)
			for (int c = 0; c < 3; c++) {
				static const char *const ins[] = { "\"", "\n", "\xc3\xa9" };
				static const char *const outs[] = { "\\\"", "\\n", "\xc3\xa9" };
				char in[24], want[32], *w = want;

				memset(in, 'y', sizeof(in));
				memcpy(in + k, ins[c], strlen(ins[c]));
				if (k + strlen(ins[c]) > len)
					continue;
				memcpy(w, in, k);
				w += k;
				memcpy(w, outs[c], strlen(outs[c]));
				w += strlen(outs[c]);
				memcpy(w, in + k + strlen(ins[c]), len - k - strlen(ins[c]));
				w += len - k - strlen(ins[c]);
				*w = 0;
				CU_ASSERT_STRING_EQUAL(esc(in, len, NULL), want);
			}
	/* Valid UTF-8 passes as is, 2, 3 and 4 byte forms. */
	CU_ASSERT_STRING_EQUAL(esc("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, &bad),
			       "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	CU_ASSERT(!bad);
	/* Invalid bytes become one replacement each. */
	CU_ASSERT_STRING_EQUAL(esc("\xff" "a\xc3", 3, &bad), "\\ufffda\\ufffd");
	CU_ASSERT(bad);
	bad = false;
	/* Overlong, surrogate and past U+10FFFF are all invalid. */
	CU_ASSERT_STRING_EQUAL(esc("\xc0\xaf", 2, &bad), "\\ufffd\\ufffd");
	CU_ASSERT_STRING_EQUAL(esc("\xed\xa0\x80", 3, NULL), "\\ufffd\\ufffd\\ufffd");
	CU_ASSERT_STRING_EQUAL(esc("\xf4\x90\x80\x80", 4, NULL), "\\ufffd\\ufffd\\ufffd\\ufffd");
	CU_ASSERT_STRING_EQUAL(esc("\xe0\x80\x80", 3, NULL), "\\ufffd\\ufffd\\ufffd");
	CU_ASSERT(bad);
	end();
}

/* Semantic values: keys are copied inline unless they need escaping, and
 * a truncated string is reported by sr_json_sval_tr. */
static void test_svals(void)
{
	struct sr_sval kids[4], obj = { .kind = SR_S_OBJECT, .n = 4, .kids = kids };
	char buf[512], *e;
	bool trunc = false;

	begin();
	memset(kids, 0, sizeof(kids));
	kids[0].key = S("fd");
	kids[0].kind = SR_S_INT;
	kids[0].num.i = 7;
	kids[1].key = S("a\"b\\c\n");
	kids[1].kind = SR_S_UINT;
	kids[1].num.u = UINT64_MAX;
	kids[2].key = (struct sr_str){ "caf\xc3\xa9\xff", 6 };
	kids[2].kind = SR_S_STR;
	kids[2].str = S("x");
	kids[3].key = S("");
	kids[3].kind = SR_S_NULL;
	e = sr_json_sval_tr(buf, &obj, &trunc);
	*e = 0;
	CU_ASSERT((size_t)(e - buf) <= sr_json_sval_max(&obj));
	CU_ASSERT_STRING_EQUAL(buf, "{\"fd\":7,\"a\\\"b\\\\c\\n\":18446744073709551615,"
				    "\"caf\xc3\xa9\\ufffd\":\"x\",\"\":null}");
	CU_ASSERT(!trunc);
	kids[2].flags = SR_SF_TRUNC;
	sr_json_sval_tr(buf, &obj, &trunc);
	CU_ASSERT(trunc);
	end();
}

static void test_utf8(void)
{
	begin();
	CU_ASSERT(sr_json_utf8_valid("", 0));
	CU_ASSERT(sr_json_utf8_valid("a\0b", 3));
	CU_ASSERT(sr_json_utf8_valid("\xf0\x90\x80\x80", 4));
	CU_ASSERT(sr_json_utf8_valid("\xf4\x8f\xbf\xbf", 4));
	CU_ASSERT(sr_json_utf8_valid("\xef\xbf\xbd", 3));
	CU_ASSERT(!sr_json_utf8_valid("\xf4\x90\x80\x80", 4));
	CU_ASSERT(!sr_json_utf8_valid("\xed\xbf\xbf", 3));
	CU_ASSERT(!sr_json_utf8_valid("\xc1\xbf", 2));
	CU_ASSERT(!sr_json_utf8_valid("abcdefghijklmno\x80", 16));
	CU_ASSERT(!sr_json_utf8_valid("\xe2\x82", 2));
	CU_ASSERT(!sr_json_utf8_valid("\xf8\x88\x80\x80\x80", 5));
	end();
}

static void test_random_bytes(void)
{
	unsigned int seed = 12345;
	char in[300];

	begin();
	/* Whatever the bytes, the result is a valid JSON string. */
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(rand_r(&seed) % sizeof(in));
		char *out = sr_arena_alloc(arena, SR_JSON_STR_MAX(n) + 1);
		char *end;

		for (size_t i = 0; i < n; i++) {
			int r = rand_r(&seed);

			/* Mostly ASCII with some high bytes and valid sequences. */
			in[i] = (char)(r % 4 ? (r >> 8) % 128 : (r >> 8) & 0xff);
			if (r % 17 == 0 && i + 2 < n) {
				memcpy(in + i, "\xe2\x82\xac", 3);
				i += 2;
			}
		}
		end = sr_json_str(out, in, n);
		CU_ASSERT_FATAL((size_t)(end - out) <= SR_JSON_STR_MAX(n));
		CU_ASSERT(json_ok(out, (size_t)(end - out)));
		CU_ASSERT(sr_json_utf8_valid(out, (size_t)(end - out)));
	}
	sr_arena_reset(arena);
	end();
}

static void test_cunescape(void)
{
	char out[64];
	size_t n;

	begin();
	n = sr_json_cunescape(out, "/tmp/a\\nb", 9);
	CU_ASSERT(n == 8 && !memcmp(out, "/tmp/a\nb", 8));
	n = sr_json_cunescape(out, "\\303\\251t\\xe9\\x41\\0", 19);
	CU_ASSERT(n == 6 && !memcmp(out, "\xc3\xa9t\xe9" "A\0", 6));
	n = sr_json_cunescape(out, "a\\\\b\\\"c\\q\\", 10);
	CU_ASSERT(n == 8 && !memcmp(out, "a\\b\"c\\q\\", 8));
	n = sr_json_cunescape(out, "\\x\\1234", 7);
	CU_ASSERT(n == 4 && !memcmp(out, "\\x", 2) && out[2] == '\123' && out[3] == '4');
	end();
}

/* ------------------------------------------------------------------ */
/* Typed values                                                        */

static void test_ints(void)
{
	begin();
	EXPECT_V(v_int(3), "3");
	EXPECT_V(v_int(-1), "-1");
	EXPECT_V(v_int(INT64_MIN), "-9223372036854775808");
	EXPECT_V(v_uint(UINT64_MAX), "18446744073709551615");
	EXPECT_V(v_base(SR_BASE_HEX, "0x7ffd50c983d8", 0x7ffd50c983d8ull),
		 "{\"hex\":\"0x7ffd50c983d8\"}");
	EXPECT_V(v_base(SR_BASE_OCT, "0644", 0644), "{\"oct\":\"0644\"}");
	/* No spelling (built by a reader of another format): one is made. */
	EXPECT_V(v_base(SR_BASE_HEX, "", 0x1f), "{\"hex\":\"0x1f\"}");
	EXPECT_V(v_base(SR_BASE_OCT, "", 0644), "{\"oct\":\"0644\"}");
	EXPECT_V(v_base(SR_BASE_OCT, "", 0), "{\"oct\":\"00\"}");
	end();
}

static void test_strings(void)
{
	begin();
	EXPECT_V(v_str("/etc/ld.so.cache", 16, 0), "\"/etc/ld.so.cache\"");
	EXPECT_V(v_str("", 0, 0), "\"\"");
	EXPECT_V(v_str("\x7f" "ELF\x02\x01\x01\0\0", 9, 0),
		 "\"\x7f" "ELF\\u0002\\u0001\\u0001\\u0000\\u0000\"");
	EXPECT_V(v_str("caf\xc3\xa9", 5, 0), "\"caf\xc3\xa9\"");
	EXPECT_V(v_str("ab\xff\0", 4, 0),
		 "{\"str\":\"ab\\ufffd\\u0000\",\"hex\":\"6162ff00\"}");
	EXPECT_V(v_str("hello", 5, SR_VF_TRUNC), "{\"str\":\"hello\",\"truncated\":true}");
	EXPECT_V(v_str("/tmp/.X11-unix/X0", 17, SR_VF_ABSTRACT),
		 "{\"str\":\"/tmp/.X11-unix/X0\",\"abstract\":true}");
	EXPECT_V(v_str("\x80q", 2, SR_VF_TRUNC | SR_VF_ABSTRACT),
		 "{\"str\":\"\\ufffdq\",\"hex\":\"8071\",\"truncated\":true,\"abstract\":true}");
	/* Presentation flags (-x / -xx) only add a "style" for the way back. */
	EXPECT_V(v_str("ab", 2, SR_VF_HEX_ALL), "{\"str\":\"ab\",\"style\":\"hex\"}");
	EXPECT_V(v_str("a\1", 2, SR_VF_HEX_CHARS),
		 "{\"str\":\"a\\u0001\",\"style\":\"hex_chars\"}");
	/* strace <= 4.21's octal rule, for the way back to "\0009" */
	EXPECT_V(v_str("\0" "9", 2, SR_VF_OCT9), "{\"str\":\"\\u00009\",\"old_octal\":true}");
	/* line separators that line splitters break at are escaped, and
	 * their neighbours (U+0084, U+202A) are not */
	EXPECT_V(v_str("a\xc2\x85" "b\xe2\x80\xa8" "c\xe2\x80\xa9" "d", 12, 0),
		 "\"a\\u0085b\\u2028c\\u2029d\"");
	EXPECT_V(v_str("\xc2\x84\xe2\x80\xaa", 5, 0), "\"\xc2\x84\xe2\x80\xaa\"");
	end();
}

static void test_simple_kinds(void)
{
	begin();
	EXPECT_V(v_kind(SR_V_NULL), "null");
	EXPECT_V(v_text(SR_V_IDENT, "AT_FDCWD"), "{\"ident\":\"AT_FDCWD\"}");
	EXPECT_V(v_kind(SR_V_ELLIPSIS), "{\"ellipsis\":true}");
	EXPECT_V(v_kind(200), "null");
	end();
}

static void test_flags_and_sets(void)
{
	begin();
	EXPECT_V(v_kids(SR_V_FLAGS, NULL, 3, v_text(SR_V_IDENT, "O_RDONLY"),
			v_text(SR_V_IDENT, "O_CLOEXEC"), v_base(SR_BASE_HEX, "0x80000", 0x80000)),
		 "{\"flags\":[\"O_RDONLY\",\"O_CLOEXEC\",{\"hex\":\"0x80000\"}]}");
	EXPECT_V(v_kids(SR_V_FLAGS, NULL, 2, v_text(SR_V_IDENT, "S_IFREG"),
			v_base(SR_BASE_OCT, "0644", 0644)),
		 "{\"flags\":[\"S_IFREG\",{\"oct\":\"0644\"}]}");
	EXPECT_V(v_kids(SR_V_SET, NULL, 2, v_text(SR_V_IDENT, "INT"), v_text(SR_V_IDENT, "TERM")),
		 "{\"set\":[\"INT\",\"TERM\"]}");
	struct sr_value set = v_kids(SR_V_SET, NULL, 2, v_text(SR_V_IDENT, "RTMIN"), v_int(34));

	set.flags = SR_VF_COMPLEMENT;
	EXPECT_V(set, "{\"set\":[\"RTMIN\",34],\"complement\":true}");
	EXPECT_V(v_kids(SR_V_SET, NULL, 0), "{\"set\":[]}");
	end();
}

static void test_structs(void)
{
	begin();
	struct sr_value st = v_kids(SR_V_STRUCT, NULL, 3,
		named("st_mode", v_kids(SR_V_FLAGS, NULL, 2, v_text(SR_V_IDENT, "S_IFREG"),
					v_base(SR_BASE_OCT, "0644", 0644))),
		named("st_size", v_int(53213)),
		v_kind(SR_V_ELLIPSIS));

	EXPECT_V(st, "{\"st_mode\":{\"flags\":[\"S_IFREG\",{\"oct\":\"0644\"}]},"
		     "\"st_size\":53213,\"...\":true}");
	EXPECT_V(v_kids(SR_V_STRUCT, NULL, 0), "{}");
	/* An unnamed member: the list form keeps it. */
	EXPECT_V(v_kids(SR_V_STRUCT, NULL, 2, named("a", v_int(1)), v_int(2)),
		 "{\"struct\":[{\"name\":\"a\",\"value\":1},{\"name\":\"\",\"value\":2}]}");
	/* A duplicate name: the list form too, nothing is lost. */
	EXPECT_V(v_kids(SR_V_STRUCT, NULL, 3, named("a", v_int(1)), named("a", v_int(2)),
			v_kind(SR_V_ELLIPSIS)),
		 "{\"struct\":[{\"name\":\"a\",\"value\":1},{\"name\":\"a\",\"value\":2},"
		 "{\"name\":\"\",\"value\":{\"ellipsis\":true}}]}");
	/* Names needing escapes are escaped. */
	EXPECT_V(v_kids(SR_V_STRUCT, NULL, 1, named("we\"ird", v_kind(SR_V_NULL))),
		 "{\"we\\\"ird\":null}");
	/* Nested struct in an array. */
	EXPECT_V(v_kids(SR_V_ARRAY, NULL, 2,
			v_kids(SR_V_STRUCT, NULL, 2, named("fd", v_int(3)),
			       named("events", v_text(SR_V_IDENT, "POLLIN"))),
			v_kind(SR_V_ELLIPSIS)),
		 "[{\"fd\":3,\"events\":{\"ident\":\"POLLIN\"}},{\"ellipsis\":true}]");
	end();
}

static void test_compound_kinds(void)
{
	begin();
	EXPECT_V(v_kids(SR_V_ARRAY, NULL, 0), "[]");
	EXPECT_V(v_kids(SR_V_INDEX, NULL, 2, v_text(SR_V_IDENT, "VEOF"), v_int(4)),
		 "{\"index\":{\"ident\":\"VEOF\"},\"value\":4}");
	EXPECT_V(v_kids(SR_V_CALL, "makedev", 2, v_base(SR_BASE_HEX, "0x1", 1),
			v_base(SR_BASE_HEX, "0x3", 3)),
		 "{\"call\":\"makedev\",\"args\":[{\"hex\":\"0x1\"},{\"hex\":\"0x3\"}]}");
	EXPECT_V(v_kids(SR_V_CHANGED, NULL, 2, v_int(16), v_int(110)), "{\"changed\":[16,110]}");
	EXPECT_V(v_kids(SR_V_COMMENT, " 2 entries ", 1, v_int(2)),
		 "{\"value\":2,\"comment\":\"2 entries\"}");
	/* spacing other than one space each side is kept in "text" */
	EXPECT_V(v_kids(SR_V_COMMENT, "  ENOENT\t", 0),
		 "{\"comment\":\"ENOENT\",\"text\":\"  ENOENT\\t\"}");
	EXPECT_V(v_kids(SR_V_EXPR, "&&", 2,
			v_kids(SR_V_CALL, "WIFEXITED", 1, v_text(SR_V_IDENT, "s")),
			v_kids(SR_V_EXPR, "==", 2,
			       v_kids(SR_V_CALL, "WEXITSTATUS", 1, v_text(SR_V_IDENT, "s")), v_int(0))),
		 "{\"expr\":[{\"call\":\"WIFEXITED\",\"args\":[{\"ident\":\"s\"}]},\"&&\","
		 "{\"expr\":[{\"call\":\"WEXITSTATUS\",\"args\":[{\"ident\":\"s\"}]},\"==\",0],"
		 "\"spaced\":false}],\"spaced\":false}");
	end();
}

static void test_fds(void)
{
	begin();
	EXPECT_V(v_kids(SR_V_FD, "/etc/passwd", 1, v_int(3)),
		 "{\"fd\":3,\"path\":\"/etc/passwd\"}");
	EXPECT_V(v_kids(SR_V_FD, "/dev/pts/0<char 136:0>", 1, v_int(1)),
		 "{\"fd\":1,\"path\":\"/dev/pts/0<char 136:0>\"}");
	EXPECT_V(v_kids(SR_V_FD, "/home/u", 1, v_text(SR_V_IDENT, "AT_FDCWD")),
		 "{\"fd\":{\"ident\":\"AT_FDCWD\"},\"path\":\"/home/u\"}");
	struct sr_value del = v_kids(SR_V_FD, "/tmp/x", 1, v_int(5));

	del.flags = SR_VF_DELETED;
	EXPECT_V(del, "{\"fd\":5,\"path\":\"/tmp/x\",\"deleted\":true}");
	/* C escapes in the annotation are decoded, then JSON-escaped. */
	EXPECT_V(v_kids(SR_V_FD, "/tmp/caf\\303\\251 \\x22q\\x22\\n", 1, v_int(4)),
		 "{\"fd\":4,\"path\":\"/tmp/caf\xc3\xa9 \\\"q\\\"\\n\","
		 "\"text\":\"/tmp/caf\\\\303\\\\251 \\\\x22q\\\\x22\\\\n\"}");
	EXPECT_V(v_kids(SR_V_FD, "/tmp/\\377\\0", 1, v_int(4)),
		 "{\"fd\":4,\"path\":\"/tmp/\\ufffd\\u0000\",\"text\":\"/tmp/\\\\377\\\\0\"}");
	/* Many escapes: the decoding scratch stays inside the bound. */
	char *big = sr_arena_alloc(arena, 4 * 500 + 1);

	for (int i = 0; i < 500; i++)
		memcpy(big + 4 * i, "\\001", 4);
	big[2000] = 0;
	const char *out = vjson(v_kids(SR_V_FD, big, 1, v_int(9)));

	CU_ASSERT(strlen(out) == strlen("{\"fd\":9,\"path\":\"\",\"text\":\"\"}") + 6 * 500 + 5 * 500);
	end();
}

/* Random trees of every kind: valid JSON, within the bound. */
static struct sr_value random_value(unsigned int *seed, int depth)
{
	static const char *const texts[] = { "", "x", "O_RDONLY", "\xff\x01\"\\", "\\303\\251\\0",
					     "0x1f", " c ", "caf\xc3\xa9" };
	int r = rand_r(seed);
	uint8_t kind = (uint8_t)(1 + r % 15);
	struct sr_value v = v_kind(kind);
	const char *t = texts[(r >> 4) % 8];

	v.text = S(t);
	v.flags = (uint16_t)((r >> 8) & 0x1ff);
	v.base = (uint8_t)((r >> 12) % 3);
	v.num.u = (uint64_t)r * 2654435761u;
	if (r % 5 == 0)
		v.name = S(texts[(r >> 16) % 8]);
	if (depth < 6 && kind != SR_V_INT && kind != SR_V_STR && r % 3) {
		uint32_t n = (uint32_t)(rand_r(seed) % 5);

		v.nkids = n;
		v.kids = sr_arena_alloc(arena, (n ? n : 1) * sizeof(*v.kids));
		for (uint32_t i = 0; i < n; i++)
			v.kids[i] = random_value(seed, depth + 1);
	}
	return v;
}

static void test_random_trees(void)
{
	unsigned int seed = 777;

	begin();
	for (int i = 0; i < 3000; i++) {
		vjson(random_value(&seed, 0));
		if (i % 100 == 0)
			sr_arena_reset(arena);
	}
	sr_arena_reset(arena);
	end();
}

static void test_deep_tree(void)
{
	begin();
	/* Deeper than SR_JSON_MAX_DEPTH: cut to null, still valid JSON. */
	struct sr_value v = v_int(1);

	for (int i = 0; i < SR_JSON_MAX_DEPTH + 10; i++)
		v = v_kids(SR_V_ARRAY, NULL, 1, v);
	const char *out = vjson(v);

	CU_ASSERT(strstr(out, "null") != NULL);
	CU_ASSERT(strchr(out, '1') == NULL);
	sr_arena_reset(arena);
	end();
}

/* ------------------------------------------------------------------ */
/* Events through the writer and a sink                                */

static char *render_opt(struct sr_batch *b, bool with_fmt);
#define render(b) render_opt((b), false)

/* Writes the batch with the jsonl writer to a temporary file and returns the
 * file's contents (malloc'd, NUL-terminated). */
static char *render_opt(struct sr_batch *b, bool with_fmt)
{
	char path[] = "/tmp/sysrep-test-jsonl-XXXXXX";
	int fd = mkstemp(path);
	struct sr_sink *out = NULL;
	struct sr_writer *w = NULL;
	char *text = NULL;
	FILE *f;
	long n;

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	CU_ASSERT_FATAL(sr_sink_open(&out, path, NULL) == SR_OK);
	/* hand-built events are not strace lines: their "fmt" is tested apart */
	/* these suites check the spelled typed values (-O record=spelling);
	 * the semantic record has its own tests (test_semantic.c) */
	static const struct sr_opt nofmt_opt[] = { { "record", "spelling" }, { "fmt", "none" } };
	static const struct sr_opts nofmt = { nofmt_opt, 2 };
	static const struct sr_opts spelled = { nofmt_opt, 1 };

	CU_ASSERT_FATAL(sr_out_jsonl.open(&w, out, with_fmt ? &spelled : &nofmt, NULL) == SR_OK);
	CU_ASSERT(sr_out_jsonl.write(w, b, NULL) == SR_OK);
	CU_ASSERT(sr_out_jsonl.finish(w, NULL) == SR_OK);
	sr_out_jsonl.close(w);
	CU_ASSERT(sr_sink_close(out, NULL) == SR_OK);
	f = fopen(path, "rb");
	CU_ASSERT_FATAL(f != NULL);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = malloc((size_t)n + 1);
	CU_ASSERT_FATAL(text != NULL);
	CU_ASSERT(fread(text, 1, (size_t)n, f) == (size_t)n);
	text[n] = 0;
	fclose(f);
	unlink(path);
	/* Every line is one valid JSON object. */
	for (char *p = text, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		CU_ASSERT_FATAL(nl != NULL);
		CU_ASSERT(*p == '{');
		CU_ASSERT(json_ok(p, (size_t)(nl - p)));
	}
	return text;
}

static struct sr_value *args(uint32_t n, ...)
{
	struct sr_value *a = sr_arena_alloc(arena, (n ? n : 1) * sizeof(*a));
	va_list ap;

	va_start(ap, n);
	for (uint32_t i = 0; i < n; i++)
		a[i] = va_arg(ap, struct sr_value);
	va_end(ap);
	return a;
}

static struct sr_value *one(struct sr_value v)
{
	return args(1, v);
}

static const struct sr_atom *atom(const char *s)
{
	return sr_intern(atoms, s, strlen(s));
}

static struct sr_time tm(int64_t sec, uint32_t nsec, uint8_t clock, uint8_t digits)
{
	return (struct sr_time){ .sec = sec, .nsec = nsec, .clock = clock, .digits = digits };
}

#define EXPECT_BATCH(b, want)                                   \
	do {                                                    \
		char *got_ = render(b);                         \
		CU_ASSERT_STRING_EQUAL(got_, want);             \
		if (strcmp(got_, want))                         \
			fprintf(stderr, "\ngot:  %s\nwant: %s", got_, want); \
		free(got_);                                     \
	} while (0)

static void test_writer_class(void)
{
	begin();
	CU_ASSERT_STRING_EQUAL(sr_out_jsonl.name, "jsonl");
	CU_ASSERT_STRING_EQUAL(sr_out_jsonl.ext, ".jsonl");
	CU_ASSERT(sr_out_jsonl.summary != NULL);
	sr_out_jsonl.close(NULL);
	end();
}

static void test_syscall_events(void)
{
	struct sr_batch b;
	struct sr_event *e;

	begin();
	CU_ASSERT_FATAL(sr_batch_init(&b, atoms) == SR_OK);
	/* openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3 */
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->line = 1;
	e->name = atom("openat");
	e->nr = 257;
	e->args = args(3, v_text(SR_V_IDENT, "AT_FDCWD"), v_str("/etc/ld.so.cache", 16, 0),
		       v_kids(SR_V_FLAGS, NULL, 2, v_text(SR_V_IDENT, "O_RDONLY"),
			      v_text(SR_V_IDENT, "O_CLOEXEC")));
	e->nargs = 3;
	e->has_ret = true;
	e->ret = one(v_int(3));
	/* [pid 42] 10:12:33.123456 (+ 0.000010) access("/x", F_OK) = -1 ENOENT (No such
	 * file or directory) <0.000021> */
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->line = 2;
	e->lead.pid = 42;
	e->lead.pid_form = SR_PID_BRACKET;
	e->lead.time = tm(36753, 123456000, SR_CLOCK_TOD, 6);
	e->lead.rel = tm(0, 10000, SR_CLOCK_REL, 6);
	e->name = atom("access");
	e->args = args(2, v_str("/x", 2, 0), v_text(SR_V_IDENT, "F_OK"));
	e->nargs = 2;
	e->has_ret = true;
	e->ret = one(v_int(-1));
	e->err = atom("ENOENT");
	e->errmsg = S("No such file or directory");
	e->duration = tm(0, 21000, SR_CLOCK_REL, 6);
	/* getpid() = 7 with no args, return hex, notes and -i/comm/secontext */
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->line = 3;
	e->lead.pid = 7;
	e->lead.comm = S("prog");
	e->lead.secontext = S("unconfined_u:unconfined_r");
	e->lead.has_ip = true;
	e->lead.ip = 0x7f0011;
	e->name = atom("mmap");
	e->has_ret = true;
	e->ret = one(v_base(SR_BASE_HEX, "0x7f2a3c000000", 0x7f2a3c000000ull));
	e->notes = sr_arena_alloc(arena, 2 * sizeof(*e->notes));
	e->notes[0] = S("INJECTED");
	e->notes[1] = S("flags O_WRONLY");
	e->nnotes = 2;
	/* = ? <unavailable> */
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->line = 4;
	e->name = atom("exit_group");
	e->args = one(v_int(0));
	e->nargs = 1;
	e->has_ret = true;
	e->unavail = S("<unavailable>");
	e->lead.has_ip = true;
	e->lead.ip_unknown = true;
	EXPECT_BATCH(&b,
		"{\"type\":\"syscall\",\"line\":1,\"syscall\":\"openat\",\"nr\":257,"
		"\"args\":[{\"ident\":\"AT_FDCWD\"},\"/etc/ld.so.cache\",{\"flags\":[\"O_RDONLY\","
		"\"O_CLOEXEC\"]}],\"return\":3}\n"
		"{\"type\":\"syscall\",\"line\":2,\"pid\":42,\"time\":36753.123456,"
		"\"rel\":0.000010,\"syscall\":\"access\",\"args\":[\"/x\",{\"ident\":\"F_OK\"}],"
		"\"return\":-1,\"errno\":\"ENOENT\",\"errmsg\":\"No such file or directory\","
		"\"duration\":0.000021}\n"
		"{\"type\":\"syscall\",\"line\":3,\"pid\":7,\"comm\":\"prog\","
		"\"secontext\":\"unconfined_u:unconfined_r\",\"ip\":\"0x7f0011\","
		"\"syscall\":\"mmap\",\"args\":[],\"return\":139819371986944,"
		"\"return_text\":\"0x7f2a3c000000\",\"notes\":[\"INJECTED\",\"flags O_WRONLY\"]}\n"
		"{\"type\":\"syscall\",\"line\":4,\"ip\":null,\"syscall\":\"exit_group\","
		"\"args\":[0],\"return\":null,\"unavailable\":\"<unavailable>\"}\n");
	sr_batch_free(&b);
	end();
}

static void test_return_values(void)
{
	struct sr_batch b;
	struct sr_event *e;
	struct sr_value fd;

	begin();
	CU_ASSERT_FATAL(sr_batch_init(&b, atoms) == SR_OK);
	/* = 3</etc/pass\x77d> */
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->line = 10;
	e->name = atom("openat");
	e->has_ret = true;
	fd = v_kids(SR_V_FD, "/etc/pass\\x77d", 1, v_int(3));
	e->ret = one(fd);
	/* = 4</tmp/x (deleted)> */
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->line = 11;
	e->name = atom("dup");
	e->has_ret = true;
	fd = v_kids(SR_V_FD, "/tmp/x", 1, v_int(4));
	fd.flags = SR_VF_DELETED;
	e->ret = one(fd);
	/* = 0 with a comment */
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->line = 12;
	e->name = atom("getdents64");
	e->has_ret = true;
	e->ret = one(v_kids(SR_V_COMMENT, " 2 entries ", 1, v_int(48)));
	/* = 022 (umask) */
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->line = 13;
	e->name = atom("umask");
	e->has_ret = true;
	e->ret = one(v_base(SR_BASE_OCT, "022", 022));
	/* a return that is no integer */
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->line = 14;
	e->name = atom("odd");
	e->has_ret = true;
	e->ret = one(v_text(SR_V_IDENT, "SIG_DFL"));
	/* an unsigned return beyond INT64_MAX */
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->line = 15;
	e->name = atom("lseek");
	e->has_ret = true;
	e->ret = one(v_uint(UINT64_MAX));
	/* has_ret false: no return key at all */
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->line = 16;
	e->name = atom("read");
	e->flags = SR_EF_NO_PAREN;
	EXPECT_BATCH(&b,
		"{\"type\":\"syscall\",\"line\":10,\"syscall\":\"openat\",\"args\":[],"
		"\"return\":3,\"return_fd\":\"/etc/passwd\"}\n"
		"{\"type\":\"syscall\",\"line\":11,\"syscall\":\"dup\",\"args\":[],"
		"\"return\":4,\"return_fd\":\"/tmp/x\",\"return_fd_deleted\":true}\n"
		"{\"type\":\"syscall\",\"line\":12,\"syscall\":\"getdents64\",\"args\":[],"
		"\"return\":48,\"return_comment\":\"2 entries\"}\n"
		"{\"type\":\"syscall\",\"line\":13,\"syscall\":\"umask\",\"args\":[],"
		"\"return\":18,\"return_text\":\"022\"}\n"
		"{\"type\":\"syscall\",\"line\":14,\"syscall\":\"odd\",\"args\":[],"
		"\"return_value\":{\"ident\":\"SIG_DFL\"}}\n"
		"{\"type\":\"syscall\",\"line\":15,\"syscall\":\"lseek\",\"args\":[],"
		"\"return\":18446744073709551615}\n"
		"{\"type\":\"syscall\",\"line\":16,\"syscall\":\"read\",\"args\":[]}\n");
	sr_batch_free(&b);
	end();
}

static void test_unfinished_and_resumed(void)
{
	struct sr_batch b;
	struct sr_event *e;

	begin();
	CU_ASSERT_FATAL(sr_batch_init(&b, atoms) == SR_OK);
	e = sr_batch_push(&b);
	e->kind = SR_E_UNFINISHED;
	e->line = 5;
	e->lead.pid = 100;
	e->lead.time = tm(1795747987, 942454000, SR_CLOCK_EPOCH, 6);
	e->name = atom("read");
	e->args = one(v_int(3));
	e->nargs = 1;
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->flags = SR_EF_RESUMED;
	e->line = 7;
	e->lead.pid = 100;
	e->lead.time = tm(1795747988, 5000000, SR_CLOCK_EPOCH, 6);
	e->start = tm(1795747987, 942454000, SR_CLOCK_EPOCH, 6);
	e->name = atom("read");
	e->args = args(3, v_int(3), v_str("abc", 3, SR_VF_TRUNC), v_int(832));
	e->nargs = 3;
	e->has_ret = true;
	e->ret = one(v_int(832));
	/* A resumption with no start seen: the time is the line's own. */
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->flags = SR_EF_RESUMED | SR_EF_ORPHAN;
	e->line = 8;
	e->lead.pid = 101;
	e->lead.time = tm(1795747988, 6000000, SR_CLOCK_EPOCH, 6);
	e->name = atom("wait4");
	e->has_ret = true;
	e->ret = one(v_int(102));
	e = sr_batch_push(&b);
	e->kind = SR_E_UNFINISHED;
	e->flags = SR_EF_DETACHED;
	e->line = 9;
	e->lead.pid = 103;
	e->name = atom("futex");
	EXPECT_BATCH(&b,
		"{\"type\":\"unfinished\",\"line\":5,\"pid\":100,\"time\":1795747987.942454,"
		"\"syscall\":\"read\",\"args\":[3]}\n"
		"{\"type\":\"syscall\",\"line\":7,\"pid\":100,\"time\":1795747987.942454,"
		"\"resumed_time\":1795747988.005000,\"syscall\":\"read\","
		"\"args\":[3,{\"str\":\"abc\",\"truncated\":true},832],\"return\":832,"
		"\"resumed\":true}\n"
		"{\"type\":\"syscall\",\"line\":8,\"pid\":101,\"time\":1795747988.006000,"
		"\"syscall\":\"wait4\",\"args\":[],\"return\":102,\"resumed\":true,"
		"\"orphan\":true}\n"
		"{\"type\":\"unfinished\",\"line\":9,\"pid\":103,\"syscall\":\"futex\","
		"\"args\":[],\"detached\":true}\n");
	sr_batch_free(&b);
	end();
}

static void test_process_events(void)
{
	struct sr_batch b;
	struct sr_event *e;

	begin();
	CU_ASSERT_FATAL(sr_batch_init(&b, atoms) == SR_OK);
	/* --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=5} --- */
	e = sr_batch_push(&b);
	e->kind = SR_E_SIGNAL;
	e->line = 20;
	e->lead.pid = 4;
	e->name = atom("SIGCHLD");
	e->args = one(v_kids(SR_V_STRUCT, NULL, 3, named("si_signo", v_text(SR_V_IDENT, "SIGCHLD")),
			     named("si_code", v_text(SR_V_IDENT, "CLD_EXITED")),
			     named("si_pid", v_int(5))));
	e->nargs = 1;
	/* --- stopped by SIGSTOP --- */
	e = sr_batch_push(&b);
	e->kind = SR_E_SIGNAL;
	e->flags = SR_EF_STOPPED;
	e->line = 21;
	e->name = atom("SIGSTOP");
	e = sr_batch_push(&b);
	e->kind = SR_E_EXIT;
	e->line = 22;
	e->lead.pid = 5;
	e->code = 0;
	e = sr_batch_push(&b);
	e->kind = SR_E_KILLED;
	e->flags = SR_EF_CORE;
	e->line = 23;
	e->lead.pid = 6;
	e->name = atom("SIGSEGV");
	e = sr_batch_push(&b);
	e->kind = SR_E_SUPERSEDED;
	e->line = 24;
	e->lead.pid = 7;
	e->code = 8;
	e = sr_batch_push(&b);
	e->kind = SR_E_MESSAGE;
	e->line = 25;
	e->text = S("Process 12 attached");
	e = sr_batch_push(&b);
	e->kind = SR_E_UNPARSED;
	e->line = 26;
	e->text = S("garbage \x01\xff line");
	/* A modelled line the printer could not reproduce: kept verbatim. */
	e = sr_batch_push(&b);
	e->kind = SR_E_EXIT;
	e->flags = SR_EF_VERBATIM;
	e->line = 27;
	e->code = 1;
	e->text = S("+++ exited with 1 +++ ");
	EXPECT_BATCH(&b,
		"{\"type\":\"signal\",\"line\":20,\"pid\":4,\"signal\":\"SIGCHLD\","
		"\"info\":{\"si_signo\":{\"ident\":\"SIGCHLD\"},\"si_code\":{\"ident\":"
		"\"CLD_EXITED\"},\"si_pid\":5}}\n"
		"{\"type\":\"signal\",\"line\":21,\"signal\":\"SIGSTOP\",\"stopped\":true}\n"
		"{\"type\":\"exit\",\"line\":22,\"pid\":5,\"status\":0}\n"
		"{\"type\":\"killed\",\"line\":23,\"pid\":6,\"signal\":\"SIGSEGV\","
		"\"core_dumped\":true}\n"
		"{\"type\":\"superseded\",\"line\":24,\"pid\":7,\"old_pid\":8}\n"
		"{\"type\":\"message\",\"line\":25,\"text\":\"Process 12 attached\"}\n"
		"{\"type\":\"unparsed\",\"line\":26,\"text\":\"garbage \\u0001\\ufffd line\"}\n"
		"{\"type\":\"exit\",\"line\":27,\"status\":1,"
		"\"verbatim\":\"+++ exited with 1 +++ \"}\n");
	sr_batch_free(&b);
	end();
}

static void test_summary_events(void)
{
	struct sr_batch b;
	struct sr_event *e;
	struct sr_summary *s;

	begin();
	CU_ASSERT_FATAL(sr_batch_init(&b, atoms) == SR_OK);
	e = sr_batch_push(&b);
	e->kind = SR_E_SUMMARY;
	e->line = 30;
	s = sr_arena_alloc(arena, sizeof(*s));
	memset(s, 0, sizeof(*s));
	s->row = SR_SUM_HEADER;
	e->sum = s;
	e = sr_batch_push(&b);
	e->kind = SR_E_SUMMARY;
	e->line = 31;
	s = sr_arena_alloc(arena, sizeof(*s));
	memset(s, 0, sizeof(*s));
	s->row = SR_SUM_RULE;
	e->sum = s;
	e = sr_batch_push(&b);
	e->kind = SR_E_SUMMARY;
	e->line = 32;
	e->name = atom("openat");
	s = sr_arena_alloc(arena, sizeof(*s));
	memset(s, 0, sizeof(*s));
	s->row = SR_SUM_ROW;
	s->pct = 34.12;
	s->seconds = 0.000204;
	s->usecs = 12;
	s->calls = 17;
	s->errors = 3;
	s->has_errors = true;
	e->sum = s;
	e = sr_batch_push(&b);
	e->kind = SR_E_SUMMARY;
	e->line = 33;
	s = sr_arena_alloc(arena, sizeof(*s));
	memset(s, 0, sizeof(*s));
	s->row = SR_SUM_TOTAL;
	s->pct = 100;
	s->seconds = 0.000598;
	s->usecs = 5;
	s->calls = 110;
	e->sum = s;
	EXPECT_BATCH(&b,
		"{\"type\":\"summary\",\"line\":30,\"row\":\"header\"}\n"
		"{\"type\":\"summary\",\"line\":31,\"row\":\"rule\"}\n"
		"{\"type\":\"summary\",\"line\":32,\"syscall\":\"openat\",\"row\":\"row\","
		"\"percent\":34.12,\"seconds\":0.000204,\"usecs_per_call\":12,\"calls\":17,"
		"\"errors\":3}\n"
		"{\"type\":\"summary\",\"line\":33,\"row\":\"total\",\"percent\":100,"
		"\"seconds\":0.000598,\"usecs_per_call\":5,\"calls\":110}\n");
	sr_batch_free(&b);
	end();
}

static void test_attachments(void)
{
	struct sr_batch b;
	struct sr_event *e;
	struct sr_attach *a;

	begin();
	CU_ASSERT_FATAL(sr_batch_init(&b, atoms) == SR_OK);
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->line = 40;
	e->name = atom("write");
	e->args = args(3, v_int(1), v_str("\x7f" "ELF", 4, 0), v_int(4));
	e->nargs = 3;
	e->has_ret = true;
	e->ret = one(v_int(4));
	a = sr_arena_alloc(arena, 6 * sizeof(*a));
	memset(a, 0, 6 * sizeof(*a));
	a[0].kind = SR_A_FRAME;
	a[0].module = S("/lib/libc.so.6");
	a[0].symbol = S("__write");
	a[0].offset = 0x14;
	a[0].addr = 0xf8011;
	a[0].text = S(" > /lib/libc.so.6(__write+0x14) [0xf8011]");
	a[1].kind = SR_A_IOV;
	a[1].addr = 4;
	a[1].offset = 0;
	a[1].text = S(" * 4 bytes in buffer 0");
	a[2].kind = SR_A_DUMP;
	a[2].addr = 0;
	a[2].bytes = (struct sr_str){ "\x7f" "ELF", 4 };
	a[2].text = S(" | 00000  7f 45 4c 46  .ELF |");
	a[3].kind = SR_A_FRAME;
	a[3].module = S("/bin/prog");
	a[3].addr = 0x1234;
	a[3].text = S(" > /bin/prog() [0x1234]");
	a[4].kind = SR_A_TEXT;
	a[4].text = S(" > unexpected_backtracing_error [0x7f]");
	a[5].kind = SR_A_DUMP;
	a[5].addr = 16;
	a[5].bytes = (struct sr_str){ "\0\xff", 2 };
	a[5].text = S(" | 00010  00 ff  .. |");
	e->att = a;
	e->natt = 6;
	EXPECT_BATCH(&b,
		"{\"type\":\"syscall\",\"line\":40,\"syscall\":\"write\","
		"\"args\":[1,\"\x7f" "ELF\",4],\"return\":4,"
		"\"stack\":[{\"module\":\"/lib/libc.so.6\",\"symbol\":\"__write\",\"offset\":20,"
		"\"addr\":1015825},{\"module\":\"/bin/prog\",\"addr\":4660}],"
		"\"dump\":[{\"iov_bytes\":4,\"buffer\":0},{\"offset\":0,\"hex\":\"7f454c46\"},"
		"{\"offset\":16,\"hex\":\"00ff\"}],"
		"\"attached\":[\" > unexpected_backtracing_error [0x7f]\"]}\n");
	sr_batch_free(&b);
	end();
}

static void test_kind_names(void)
{
	static const char *const want[] = {
		"syscall", "unfinished", "signal", "exit", "killed", "superseded",
		"message", "summary", "unparsed",
	};
	struct sr_batch b;

	begin();
	/* The writer's own table matches the library's names. */
	for (int k = SR_E_SYSCALL; k < SR_E__COUNT; k++)
		CU_ASSERT_STRING_EQUAL(sr_ekind_name((enum sr_ekind)k), want[k - 1]);
	CU_ASSERT_FATAL(sr_batch_init(&b, atoms) == SR_OK);
	for (int k = SR_E_SYSCALL; k < SR_E__COUNT; k++) {
		struct sr_event *e = sr_batch_push(&b);

		e->kind = (uint8_t)k;
		e->line = (uint64_t)k;
	}
	sr_batch_push(&b)->kind = 99;
	char *got = render(&b);
	char *p = got;

	for (int k = SR_E_SYSCALL; k < SR_E__COUNT; k++) {
		char head[64];

		snprintf(head, sizeof(head), "{\"type\":\"%s\",\"line\":%d", want[k - 1], k);
		CU_ASSERT(!strncmp(p, head, strlen(head)));
		p = strchr(p, '\n') + 1;
	}
	CU_ASSERT(!strncmp(p, "{\"type\":null,\"line\":0", 21));
	free(got);
	sr_batch_free(&b);
	end();
}

static void test_big_event(void)
{
	begin();
	/* A 1 MiB binary string: one reservation of its worst case, and the
	 * output still one valid line. */
	struct sr_batch b;
	struct sr_event *e;
	size_t n = 1 << 20;
	char *buf = malloc(n);

	CU_ASSERT_FATAL(buf != NULL);
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(i * 7);
	CU_ASSERT_FATAL(sr_batch_init(&b, atoms) == SR_OK);
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->line = 1;
	e->name = atom("write");
	e->args = args(2, v_int(1), v_str(buf, n, 0));
	e->nargs = 2;
	char *got = render(&b);

	CU_ASSERT(strlen(got) > 2 * n);
	free(got);
	free(buf);
	sr_batch_free(&b);
	sr_arena_reset(arena);
	end();
}

/* The "fmt" key: only what a strace line needs beyond the documented keys. */
static void test_fmt_extras(void)
{
	struct sr_batch b;
	struct sr_event *ev;
	struct sr_attach *a;
	char *got;

	begin();
	CU_ASSERT_FATAL(sr_batch_init(&b, atoms) == SR_OK);
	/* "close(3)" is 8 columns: 32 spaces pad to column 40, derived */
	ev = sr_batch_push(&b);
	ev->kind = SR_E_SYSCALL;
	ev->line = 1;
	ev->name = sr_intern(atoms, "close", 5);
	ev->args = sr_arena_alloc(b.arena, sizeof(*ev->args));
	ev->nargs = 1;
	*ev->args = v_int(3);
	ev->has_ret = true;
	ev->ret = sr_arena_alloc(b.arena, sizeof(*ev->ret));
	*ev->ret = v_int(0);
	ev->pad = 32;
	/* -o FILE -f pids, a padding strace would not print, a cut call */
	ev = sr_batch_push(&b);
	*ev = b.ev[0];
	ev->line = 2;
	ev->lead.pid = 7;
	ev->lead.pid_form = SR_PID_PLAIN;
	ev->pad = 2;
	ev->flags = SR_EF_NO_PAREN;
	/* the same pid form again: derived from the event before */
	ev = sr_batch_push(&b);
	*ev = b.ev[1];
	ev->line = 3;
	ev->pad = 26;
	ev->flags = 0;
	/* an attachment printed as its fields say: no "text" kept */
	a = sr_arena_alloc(b.arena, sizeof(*a));
	memset(a, 0, sizeof(*a));
	a->kind = SR_A_IOV;
	a->addr = 4;
	a->text = SR_STR(" * 4 bytes in buffer 0");
	ev->att = a;
	ev->natt = 1;
	got = render_opt(&b, true);
	CU_ASSERT_STRING_EQUAL(got,
		"{\"type\":\"syscall\",\"line\":1,\"syscall\":\"close\",\"args\":[3],\"return\":0}\n"
		"{\"type\":\"syscall\",\"line\":2,\"pid\":7,\"syscall\":\"close\",\"args\":[3],"
		"\"return\":0,\"fmt\":{\"pid\":\"plain\",\"pad\":2,\"noparen\":true}}\n"
		"{\"type\":\"syscall\",\"line\":3,\"pid\":7,\"syscall\":\"close\",\"args\":[3],"
		"\"return\":0,\"dump\":[{\"iov_bytes\":4,\"buffer\":0}]}\n");
	free(got);
	sr_batch_free(&b);
	end();
}

static void test_json_array_writer(void)
{
	extern const struct sr_writer_class sr_out_json;

	CU_ASSERT_STRING_EQUAL(sr_out_json.name, "json");
	CU_ASSERT_STRING_EQUAL(sr_out_json.ext, ".json");
	CU_ASSERT(sr_writer_find("json") == &sr_out_json);
}

static CU_TestInfo cases[] = {
	{ "integers are written exactly at every digit count", test_integers },
	{ "times keep exactly their printed fraction digits", test_times },
	{ "doubles are the shortest text that reads back", test_doubles },
	{ "strings escape quotes, backslashes and control bytes", test_escaping },
	{ "UTF-8 validation rejects overlongs and surrogates", test_utf8 },
	{ "semantic values escape odd keys and report cut strings", test_svals },
	{ "random bytes always give a valid JSON string", test_random_bytes },
	{ "C escapes of fd annotations are decoded", test_cunescape },
	{ "integers are numbers, hex and octal keep their spelling", test_ints },
	{ "binary and flagged strings become objects", test_strings },
	{ "null, idents and ellipses have fixed forms", test_simple_kinds },
	{ "flag and set members that are words are plain strings", test_flags_and_sets },
	{ "structs are objects unless names are missing or repeated", test_structs },
	{ "arrays, index, call, changed, comment and expr", test_compound_kinds },
	{ "fd annotations are decoded and escaped", test_fds },
	{ "random value trees stay valid and within the bound", test_random_trees },
	{ "trees deeper than the limit are cut to null", test_deep_tree },
	{ "the writer class is named jsonl", test_writer_class },
	{ "syscall events carry leader, args, return and errno", test_syscall_events },
	{ "return values give an integer and the text beside it", test_return_values },
	{ "unfinished calls and their resumption", test_unfinished_and_resumed },
	{ "signals, exits, kills, messages and unparsed lines", test_process_events },
	{ "summary table rows", test_summary_events },
	{ "stack frames, dumps and other attached lines", test_attachments },
	{ "every event kind has its type name", test_kind_names },
	{ "a megabyte string is one valid line", test_big_event },
	{ "fmt holds only the layout that cannot be derived", test_fmt_extras },
	{ "the json writer is the array form of jsonl", test_json_array_writer },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_out_jsonl = { .name = "out_jsonl", .cases = cases };
