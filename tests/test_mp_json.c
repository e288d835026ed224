/*
 * test_mp_json.c - JSON text <-> MessagePack (core/mp_json.c): the exact
 * msgpack bytes of escapes, surrogate pairs, integers at every width
 * boundary (INT64_MAX, UINT64_MAX, the negatives), floats, empty and large
 * containers and deep nesting; text that is not JSON or msgpack that has
 * no JSON form refused with a reason; and the way back giving the text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mp_json.h"
#include "sr_test.h"

/* JSON -> msgpack, compared with the expected bytes; the way back gives
 * back `back` (NULL: the JSON itself). */
static void pair(const char *json, const char *mp, size_t nmp, const char *back)
{
	struct sr_buf out = { 0 }, text = { 0 };
	struct sr_mpj_err e = { 0 };
	size_t used = sr_json_to_mp(json, strlen(json), &out, &e);

	CU_ASSERT_EQUAL(used, strlen(json));
	if (used != strlen(json))
		fprintf(stderr, "\n%s: %s at %zu\n", json, e.why, e.at);
	CU_ASSERT_EQUAL(out.len, nmp);
	CU_ASSERT(out.len == nmp && memcmp(out.p, mp, nmp) == 0);
	if (out.len == nmp && memcmp(out.p, mp, nmp)) {
		fprintf(stderr, "\n%s:", json);
		for (size_t i = 0; i < out.len; i++)
			fprintf(stderr, " %02x", (unsigned char)out.p[i]);
	}
	used = 0;
	CU_ASSERT_EQUAL(sr_mp_to_json((const unsigned char *)mp, nmp, &text, &used, &e), 1);
	CU_ASSERT_EQUAL(used, nmp);
	back = back ? back : json;
	CU_ASSERT(text.len == strlen(back) && memcmp(text.p, back, text.len) == 0);
	if (text.len != strlen(back) || memcmp(text.p, back, text.len))
		fprintf(stderr, "\nback: %.*s, want %s\n", (int)text.len, text.p, back);
	sr_buf_free(&out);
	sr_buf_free(&text);
}
#define PAIR(json, mp, back) pair((json), (mp), sizeof(mp) - 1, (back))

/* JSON the transcoder refuses, with a reason containing `why`. */
static void refused(const char *json, const char *why)
{
	struct sr_buf out = { 0 };
	struct sr_mpj_err e = { 0 };

	sr_buf_add(&out, "x", 1);
	CU_ASSERT_EQUAL(sr_json_to_mp(json, strlen(json), &out, &e), 0);
	CU_ASSERT_EQUAL(out.len, 1); /* cut back */
	CU_ASSERT_PTR_NOT_NULL(e.why);
	CU_ASSERT(e.why && strstr(e.why, why) != NULL);
	if (e.why && !strstr(e.why, why))
		fprintf(stderr, "\n%s: %s\n", json, e.why);
	sr_buf_free(&out);
}

static void escapes_decoded(void)
{
	PAIR("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"",
	     "\xac"
	     "a\"b\\c/d\b\f\n\r\t",
	     "\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\"");
	/* \u0000 is a NUL byte in the str, and \u00XX the way back */
	PAIR("\"\\u0000x\\u001f\"", "\xa3\0x\x1f", NULL);
	PAIR("\"\\u00e9\\u20ac\"", "\xa5\xc3\xa9\xe2\x82\xac", "\"\xc3\xa9\xe2\x82\xac\"");
	/* raw UTF-8 is copied as is */
	PAIR("\"\xc3\xa9\"", "\xa2\xc3\xa9", NULL);
	/* U+FFFD, the semantic record's mark of bytes that were not UTF-8 */
	PAIR("\"\\ufffd\"", "\xa3\xef\xbf\xbd", "\"\xef\xbf\xbd\"");
}

static void surrogate_pairs_joined(void)
{
	PAIR("\"\\ud83d\\ude00\"", "\xa4\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
	PAIR("\"\\uD800\\uDC00\"", "\xa4\xf0\x90\x80\x80", "\"\xf0\x90\x80\x80\"");
	PAIR("\"\\udbff\\udfff\"", "\xa4\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");
	refused("\"\\ud83d\"", "surrogate");
	refused("\"\\ude00\"", "surrogate");
	refused("\"\\ud83d\\u0041\"", "surrogate");
	refused("\"\\ud83dx\"", "surrogate");
	refused("\"\\u12\"", "hex digits");
}

static void integers_at_every_width(void)
{
	PAIR("0", "\x00", NULL);
	PAIR("127", "\x7f", NULL);
	PAIR("128", "\xcc\x80", NULL);
	PAIR("255", "\xcc\xff", NULL);
	PAIR("256", "\xcd\x01\x00", NULL);
	PAIR("65535", "\xcd\xff\xff", NULL);
	PAIR("65536", "\xce\x00\x01\x00\x00", NULL);
	PAIR("4294967295", "\xce\xff\xff\xff\xff", NULL);
	PAIR("4294967296", "\xcf\x00\x00\x00\x01\x00\x00\x00\x00", NULL);
	PAIR("9223372036854775807", "\xcf\x7f\xff\xff\xff\xff\xff\xff\xff", NULL);
	/* above INT64_MAX: uint64, as RLIM64_INFINITY */
	PAIR("9223372036854775808", "\xcf\x80\x00\x00\x00\x00\x00\x00\x00", NULL);
	PAIR("18446744073709551615", "\xcf\xff\xff\xff\xff\xff\xff\xff\xff", NULL);
	refused("18446744073709551616", "64 bits");
	refused("99999999999999999999999", "64 bits");
}

static void negatives_at_every_width(void)
{
	PAIR("-1", "\xff", NULL);
	PAIR("-32", "\xe0", NULL);
	PAIR("-33", "\xd0\xdf", NULL);
	PAIR("-128", "\xd0\x80", NULL);
	PAIR("-129", "\xd1\xff\x7f", NULL);
	PAIR("-32768", "\xd1\x80\x00", NULL);
	PAIR("-32769", "\xd2\xff\xff\x7f\xff", NULL);
	PAIR("-2147483648", "\xd2\x80\x00\x00\x00", NULL);
	PAIR("-2147483649", "\xd3\xff\xff\xff\xff\x7f\xff\xff\xff", NULL);
	PAIR("-9223372036854775808", "\xd3\x80\x00\x00\x00\x00\x00\x00\x00", NULL);
	refused("-9223372036854775809", "64 bits");
	/* -0 is the integer 0, as json.loads and jansson read it */
	PAIR("-0", "\x00", "0");
	refused("01", "a number");
	refused("-", "a number");
}

static void floats_as_strtod_reads_them(void)
{
	PAIR("1.5", "\xcb\x3f\xf8\x00\x00\x00\x00\x00\x00", NULL);
	PAIR("0.1", "\xcb\x3f\xb9\x99\x99\x99\x99\x99\x9a", NULL);
	PAIR("-2.5", "\xcb\xc0\x04\x00\x00\x00\x00\x00\x00", NULL);
	PAIR("1e-09", "\xcb\x3e\x11\x2e\x0b\xe8\x26\xd6\x95", NULL);
	PAIR("1E5", "\xcb\x40\xf8\x6a\x00\x00\x00\x00\x00", "100000.0");
	PAIR("5.000000", "\xcb\x40\x14\x00\x00\x00\x00\x00\x00", "5.0");
	PAIR("-0.0", "\xcb\x80\x00\x00\x00\x00\x00\x00\x00", NULL);
	PAIR("1.7976931348623157e+308", "\xcb\x7f\xef\xff\xff\xff\xff\xff\xff", NULL);
	/* a -ttt time: the double strtod gives, and back the shortest text
	 * that gives it again */
	PAIR("1702000000.533820", "\xcb\x41\xd9\x5c\x9d\x60\x22\x2a\x1b", "1702000000.53382");
	refused("1e999", "finite");
	refused("[1.5.5]", "','");
}

/* Decimals of up to 15 digits take a path without strtod: it must give
 * strtod's double for each of them, also past 15 digits (strtod again). */
static void decimals_read_as_strtod_reads_them(void)
{
	struct sr_buf mp = { 0 };
	struct sr_mpj_err e;
	uint64_t seed = 88172645463325252ull;
	char text[64];
	int i, bad = 0;

	for (i = 0; i < 20000; i++) {
		unsigned int ndig, point, k;
		uint64_t bits = 0;
		double want;
		int len = 0;

		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		ndig = 1 + (unsigned int)(seed % 19);
		point = 1 + (unsigned int)((seed >> 8) % ndig);
		if (seed >> 60 & 1)
			text[len++] = '-';
		for (k = 0; k < ndig; k++) {
			if (k == point)
				text[len++] = '.';
			/* no leading zero before a digit */
			text[len++] =
				(char)('0' + (k == 0 && point > 1 ? 1 + (seed >> (16 + k)) % 9
								  : (seed >> (3 * k % 61)) % 10));
		}
		if (point == ndig)
			len += snprintf(text + len, sizeof(text) - (size_t)len, ".%u",
					(unsigned int)(seed >> 40) % 1000);
		text[len] = '\0';
		want = strtod(text, NULL);
		mp.len = 0;
		CU_ASSERT_EQUAL(sr_json_to_mp(text, (size_t)len, &mp, &e), (size_t)len);
		if (mp.len == 9)
			for (k = 1; k < 9; k++)
				bits = bits << 8 | (unsigned char)mp.p[k];
		if (mp.len != 9 || memcmp(&bits, &want, 8)) {
			if (!bad++)
				fprintf(stderr, "\n%s: not strtod's double\n", text);
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	sr_buf_free(&mp);
}

static void literals_and_empty_containers(void)
{
	PAIR("true", "\xc3", NULL);
	PAIR("false", "\xc2", NULL);
	PAIR("null", "\xc0", NULL);
	PAIR("{}", "\x80", NULL);
	PAIR("[]", "\x90", NULL);
	PAIR("{\"a\":[],\"b\":{}}",
	     "\x82\xa1"
	     "a\x90\xa1"
	     "b\x80",
	     NULL);
	PAIR(" [ 1 , {\"k\" : null} ]", "\x92\x01\x81\xa1k\xc0", "[1,{\"k\":null}]");
	refused("tru", "JSON value");
	refused("[1,]", "JSON value");
	refused("{\"a\" 1}", "':'");
	refused("{1:2}", "key");
	refused("[1 2]", "','");
	refused("\"a\tb\"", "control");
	refused("[1", "cut short");
	refused("\"abc", "end of a string");
	refused("\"\\q\"", "escape");
	refused("\"\xc3\"", "UTF-8");
}

/* Keys keep their order; a container of 16 or more items is widened to
 * its 16-bit form, of 65536 or more to its 32-bit form. */
static void large_containers_widened(void)
{
	struct sr_buf json = { 0 }, mp = { 0 }, back = { 0 };
	struct sr_mpj_err e;
	size_t used;
	int i;

	sr_buf_addc(&json, '{');
	for (i = 0; i < 16; i++) {
		char k[32];

		sr_buf_add(
			&json, k,
			(size_t)snprintf(k, sizeof(k), "%s\"k%02d\":%d", i ? "," : "", 15 - i, i));
	}
	sr_buf_addc(&json, '}');
	CU_ASSERT_EQUAL(sr_json_to_mp(json.p, json.len, &mp, &e), json.len);
	CU_ASSERT((unsigned char)mp.p[0] == 0xde && mp.p[1] == 0 && mp.p[2] == 16);
	CU_ASSERT(memcmp(mp.p + 3, "\xa3k15\x00", 5) == 0);
	CU_ASSERT_EQUAL(sr_mp_to_json((unsigned char *)mp.p, mp.len, &back, &used, &e), 1);
	CU_ASSERT(back.len == json.len && memcmp(back.p, json.p, json.len) == 0);

	json.len = mp.len = back.len = 0;
	sr_buf_addc(&json, '[');
	for (i = 0; i < 70000; i++)
		sr_buf_add(&json, i ? ",7" : "7", i ? 2 : 1);
	sr_buf_addc(&json, ']');
	CU_ASSERT_EQUAL(sr_json_to_mp(json.p, json.len, &mp, &e), json.len);
	CU_ASSERT_EQUAL(mp.len, 5 + 70000);
	CU_ASSERT(memcmp(mp.p, "\xdd\x00\x01\x11\x70\x07", 6) == 0);
	CU_ASSERT_EQUAL(sr_mp_to_json((unsigned char *)mp.p, mp.len, &back, &used, &e), 1);
	CU_ASSERT(back.len == json.len && memcmp(back.p, json.p, json.len) == 0);
	sr_buf_free(&json);
	sr_buf_free(&mp);
	sr_buf_free(&back);
}

/* A string's header is sized by its decoded length: 31 bytes fixstr, 32
 * str8, 256 str16, 65536 str32, also when escapes made it shorter. */
static void string_headers_fit_the_decoded_length(void)
{
	static const size_t lens[] = { 31, 32, 255, 256, 65535, 65536 };
	static const unsigned char heads[] = { 0xbf, 0xd9, 0xd9, 0xda, 0xda, 0xdb };
	struct sr_buf json = { 0 }, mp = { 0 };
	struct sr_mpj_err e;
	size_t i, k;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		for (int esc = 0; esc < 2; esc++) {
			json.len = mp.len = 0;
			sr_buf_addc(&json, '"');
			/* with esc, 4 of them \n: 4 more bytes of text */
			for (k = 0; k < lens[i]; k++)
				sr_buf_add(&json, esc && k < 4 ? "\\n" : "a", esc && k < 4 ? 2 : 1);
			sr_buf_addc(&json, '"');
			CU_ASSERT_EQUAL(sr_json_to_mp(json.p, json.len, &mp, &e), json.len);
			CU_ASSERT_EQUAL((unsigned char)mp.p[0], heads[i]);
			CU_ASSERT_EQUAL(mp.len, lens[i] + (heads[i] == 0xbf   ? 1
							   : heads[i] == 0xd9 ? 2
							   : heads[i] == 0xda ? 3
									      : 5));
			CU_ASSERT_EQUAL(mp.p[mp.len - 1], 'a');
		}
	}
	sr_buf_free(&json);
	sr_buf_free(&mp);
}

static void nesting_bounded_both_ways(void)
{
	struct sr_buf json = { 0 }, mp = { 0 }, back = { 0 };
	struct sr_mpj_err e;
	size_t used;
	int i;

	/* arrays and maps in turn: [{"a":[{"a":...1}]}] */
	for (i = 0; i < SR_MPJ_MAX_DEPTH; i++)
		sr_buf_add(&json, i % 2 ? "{\"a\":" : "[", i % 2 ? 5 : 1);
	sr_buf_add(&json, "1", 1);
	for (i = SR_MPJ_MAX_DEPTH - 1; i >= 0; i--)
		sr_buf_addc(&json, i % 2 ? '}' : ']');
	CU_ASSERT_EQUAL(sr_json_to_mp(json.p, json.len, &mp, &e), json.len);
	CU_ASSERT_EQUAL(sr_mp_to_json((unsigned char *)mp.p, mp.len, &back, &used, &e), 1);
	CU_ASSERT(back.len == json.len && memcmp(back.p, json.p, json.len) == 0);
	/* one level more: refused, before any stack is used up */
	json.len = mp.len = 0;
	for (i = 0; i <= SR_MPJ_MAX_DEPTH; i++)
		sr_buf_addc(&json, '[');
	CU_ASSERT_EQUAL(sr_json_to_mp(json.p, json.len, &mp, &e), 0);
	CU_ASSERT(strstr(e.why, "nested") != NULL);
	for (i = 0; i <= SR_MPJ_MAX_DEPTH; i++)
		sr_buf_addc(&mp, (char)0x91);
	sr_buf_addc(&mp, 0);
	CU_ASSERT_EQUAL(sr_mp_to_json((unsigned char *)mp.p, mp.len, &back, &used, &e), -1);
	CU_ASSERT(strstr(e.why, "nested") != NULL);
	sr_buf_free(&json);
	sr_buf_free(&mp);
	sr_buf_free(&back);
}

/* msgpack without a JSON form is refused at its byte; a cut object asks
 * for more input at every cut. */
static void msgpack_without_json_refused(void)
{
	static const struct {
		const char *mp;
		size_t n, at;
		const char *why;
	} bad[] = {
		{ "\x81\x01\x02", 3, 1, "key" },
		{ "\x91\xc4\x01x", 4, 1, "bin" },
		{ "\x91\xd4\x01\x02", 4, 1, "ext" },
		{ "\xc1", 1, 0, "0xc1" },
		{ "\xa1\xff", 2, 0, "UTF-8" },
		{ "\xcb\x7f\xf8\x00\x00\x00\x00\x00\x00", 9, 0, "finite" },
		{ "\xca\x7f\x80\x00\x00", 5, 0, "finite" },
	};
	static const char whole[] = "\x83\xa1"
				    "a\x92\xcd\x01\x00\xcb\x3f\xf8\0\0\0\0\0\0\xa1"
				    "b\xd9\x03xyz\xa1"
				    "c\xc0";
	struct sr_buf out = { 0 };
	struct sr_mpj_err e;
	size_t i, used;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e.why = NULL;
		CU_ASSERT_EQUAL(
			sr_mp_to_json((const unsigned char *)bad[i].mp, bad[i].n, &out, &used, &e),
			-1);
		CU_ASSERT_EQUAL(e.at, bad[i].at);
		CU_ASSERT(e.why && strstr(e.why, bad[i].why));
		CU_ASSERT_EQUAL(out.len, 0);
	}
	/* a float32 is a float */
	CU_ASSERT_EQUAL(
		sr_mp_to_json((const unsigned char *)"\xca\x3f\xc0\x00\x00", 5, &out, &used, &e),
		1);
	CU_ASSERT(out.len == 3 && memcmp(out.p, "1.5", 3) == 0);
	out.len = 0;
	for (i = 0; i < sizeof(whole) - 1; i++) {
		CU_ASSERT_EQUAL(sr_mp_to_json((const unsigned char *)whole, i, &out, &used, &e), 0);
		CU_ASSERT_EQUAL(out.len, 0);
	}
	CU_ASSERT_EQUAL(sr_mp_to_json((const unsigned char *)whole, i, &out, &used, &e), 1);
	CU_ASSERT_EQUAL(used, sizeof(whole) - 1);
	CU_ASSERT(out.len == 34 &&
		  memcmp(out.p, "{\"a\":[256,1.5],\"b\":\"xyz\",\"c\":null}", 34) == 0);
	sr_buf_free(&out);
}

static CU_TestInfo cases[] = {
	{ "JSON escapes are decoded into the str, and escaped again on the way back",
	  escapes_decoded },
	{ "\\uXXXX surrogate pairs become one UTF-8 character; a lone one is refused",
	  surrogate_pairs_joined },
	{ "integers take the smallest width, above INT64_MAX as uint64, up to UINT64_MAX",
	  integers_at_every_width },
	{ "negative integers take the smallest width down to INT64_MIN", negatives_at_every_width },
	{ "numbers with a fraction or exponent are float64 as strtod reads them",
	  floats_as_strtod_reads_them },
	{ "decimals of up to 15 digits give strtod's double without strtod",
	  decimals_read_as_strtod_reads_them },
	{ "true, false, null, empty containers; malformed JSON refused with a reason",
	  literals_and_empty_containers },
	{ "containers of 16 and 65536 items are widened, keys keep their order",
	  large_containers_widened },
	{ "a string's header fits its decoded length", string_headers_fit_the_decoded_length },
	{ "nesting is bounded at 1024 levels both ways", nesting_bounded_both_ways },
	{ "msgpack without a JSON form is refused at its byte, a cut object asks for more",
	  msgpack_without_json_refused },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_mp_json = { .name = "mp_json", .cases = cases };
