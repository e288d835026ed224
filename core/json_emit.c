/*
 * json_emit.c - JSON emission helpers: escaping, UTF-8 checks, numbers,
 * times, and the typed-value encoding of struct sr_value trees.
 *
 * Nothing here checks capacity: callers reserve the documented worst case
 * and the writers below stay inside it (see json_emit.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "json_emit.h"
#include "strace_text.h"

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */

/*
 * Length of the well-formed UTF-8 sequence starting at s (whose first byte
 * is >= 0x80), or 0 when the bytes there are not one.  The ranges are those
 * of Unicode table 3-7, so overlongs, surrogates and values past U+10FFFF
 * are rejected: a JSON parser downstream may be strict about them.
 */
static inline size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned int c = s[0], lo = 0x80, hi = 0xbf;

	if (c < 0xc2)
		return 0;
	if (c < 0xe0)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c < 0xf0) {
		if (n < 3 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		return s[1] >= lo && s[1] <= hi ? 3 : 0;
	}
	if (c < 0xf5) {
		if (n < 4 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		return s[1] >= lo && s[1] <= hi ? 4 : 0;
	}
	return 0;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static inline uint64_t load64(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

bool sr_json_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k;

	while (i < n) {
		/* Most of a trace is ASCII: skip it a word at a time. */
		while (n - i >= 8 && !(load64(s + i) & HIGHS))
			i += 8;
		if (i == n)
			break;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_seq(s + i, n - i);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

char *sr_json_utf8_fix(char *d, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k;

	while (i < n) {
		if (s[i] < 0x80) {
			*d++ = (char)s[i++];
			continue;
		}
		k = utf8_seq(s + i, n - i);
		if (k) {
			memcpy(d, s + i, k);
			d += k;
			i += k;
		} else {
			/* U+FFFD, as sr_json_esc() writes it */
			*d++ = (char)0xef, *d++ = (char)0xbf, *d++ = (char)0xbd;
			i++;
		}
	}
	return d;
}

/* ------------------------------------------------------------------ */
/* Escaping                                                            */

/* Bytes that cannot be copied as is: an ASCII byte to escape (control,
 * '"', '\\'), or the start of a multi-byte sequence (or an invalid byte)
 * to check.  A table: the tail loop below tests one load per byte. */
static const unsigned char esc_needed[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
	R16(1), R16(1), /* 0x00..0x1f */
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* '"' */
	R16(0), R16(0), /* 0x30..0x4f */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* '\\' */
	R16(0), R16(0),
	R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), /* 0x80.. */
#undef R16
};

static const char hexdig[16] = "0123456789abcdef";

/* The letter after the backslash of JSON's two-character escapes. */
static const char short_esc[128] = {
	['"'] = '"',  ['\\'] = '\\', ['\n'] = 'n', ['\t'] = 't',
	['\r'] = 'r', ['\b'] = 'b',  ['\f'] = 'f',
};

/* A word of 8 input bytes needs no escaping when it has no byte < 0x20, no
 * '"', no '\\' and no byte >= 0x80 (the classic SWAR zero-byte tests; as a
 * whole-word yes/no they give no false answers). */
static inline bool word_plain(uint64_t w)
{
	uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
	uint64_t bad = ((w - ONES * 0x20) & ~w) | ((q - ONES) & ~q) | ((b - ONES) & ~b) | w;

	return !(bad & HIGHS);
}

char *sr_json_esc(char *d, const char *str, size_t n, bool *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k;
	unsigned int c;

	while (i < n) {
		/* 8 bytes of output are within the bound: 8 input bytes remain. */
		while (n - i >= 8 && word_plain(load64(s + i))) {
			memcpy(d, s + i, 8);
			d += 8;
			i += 8;
		}
		/* The tail of a string of 8 bytes or more: its last 8 bytes
		 * as one word, overlapping what was copied (same bytes). */
		if (i < n && n >= 8 && n - i < 8 && word_plain(load64(s + n - 8))) {
			memcpy(d - (i - (n - 8)), s + n - 8, 8);
			d += n - i;
			break;
		}
		/* Most strings are short keys and names: a byte loop copies
		 * them cheaper than a memcpy call per run. */
		while (i < n && !esc_needed[s[i]])
			*d++ = (char)s[i++];
		if (i == n)
			break;
		c = s[i];
		if (c < 0x80) {
			*d++ = '\\';
			if (short_esc[c]) {
				*d++ = short_esc[c];
			} else {
				memcpy(d, "u00", 3);
				d[3] = hexdig[c >> 4];
				d[4] = hexdig[c & 15];
				d += 5;
			}
			i++;
			continue;
		}
		k = utf8_seq(s + i, n - i);
		if ((k == 2 && c == 0xc2 && s[i + 1] == 0x85) ||
		    (k == 3 && c == 0xe2 && s[i + 1] == 0x80 && (s[i + 2] | 1) == 0xa9)) {
			/* U+0085, U+2028, U+2029 are valid in JSON strings, but
			 * line splitters (Python's str.splitlines, JavaScript
			 * before ES2019) break lines there: escaped, a JSON
			 * Lines record stays one line for every reader */
			d = SR_JSON_LIT(d, "\\u");
			memcpy(d, k == 2 ? "0085" : s[i + 2] == 0xa8 ? "2028" : "2029", 4);
			d += 4;
			i += k;
		} else if (k) {
			memcpy(d, s + i, k);
			d += k;
			i += k;
		} else {
			/* One replacement per bad byte keeps the bound at 6 per
			 * input byte and the count of bad bytes visible. */
			d = SR_JSON_LIT(d, "\\ufffd");
			if (bad)
				*bad = true;
			i++;
		}
	}
	return d;
}

char *sr_json_hex(char *d, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++) {
		d[2 * i] = hexdig[s[i] >> 4];
		d[2 * i + 1] = hexdig[s[i] & 15];
	}
	return d + 2 * n;
}

/* ------------------------------------------------------------------ */
/* Numbers                                                             */

static const char digits2[200] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static inline unsigned int count_digits(uint64_t v)
{
	unsigned int n = 1;

	/* Four at a time: most values are small, and the loop is short. */
	for (;;) {
		if (v < 10)
			return n;
		if (v < 100)
			return n + 1;
		if (v < 1000)
			return n + 2;
		if (v < 10000)
			return n + 3;
		v /= 10000;
		n += 4;
	}
}

/* Writes exactly len digits of v ending at d + len (leading zeros when v is
 * shorter). */
static inline void put_digits(char *d, uint64_t v, unsigned int len)
{
	char *p = d + len;

	while (len >= 2) {
		unsigned int r = (unsigned int)(v % 100);

		v /= 100;
		p -= 2;
		memcpy(p, digits2 + 2 * r, 2);
		len -= 2;
	}
	if (len)
		*--p = (char)('0' + v % 10);
}

unsigned int sr_json_digits10(uint64_t v)
{
	return count_digits(v);
}

char *sr_json_u64(char *d, uint64_t v)
{
	unsigned int len;

	/* fds, counts, small returns: most numbers are one or two digits */
	if (v < 100) {
		if (v < 10) {
			*d = (char)('0' + v);
			return d + 1;
		}
		memcpy(d, digits2 + 2 * v, 2);
		return d + 2;
	}
	len = count_digits(v);

	put_digits(d, v, len);
	return d + len;
}

char *sr_json_i64(char *d, int64_t v)
{
	if (v >= 0)
		return sr_json_u64(d, (uint64_t)v);
	*d++ = '-';
	/* 0 - (uint64_t)v is exact even for INT64_MIN. */
	return sr_json_u64(d, 0 - (uint64_t)v);
}

char *sr_json_hex64(char *d, uint64_t v)
{
	unsigned int len = 1, i;

	while (len < 16 && v >> (4 * len))
		len++;
	*d++ = '0';
	*d++ = 'x';
	for (i = 0; i < len; i++)
		d[i] = hexdig[(v >> (4 * (len - 1 - i))) & 15];
	return d + len;
}

char *sr_json_oct64(char *d, uint64_t v)
{
	char tmp[24];
	unsigned int k = 0;

	*d++ = '0';
	do
		tmp[k++] = (char)('0' + (v & 7));
	while ((v >>= 3));
	while (k)
		*d++ = tmp[--k];
	return d;
}

static const uint32_t pow10_u32[10] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
};

/*
 * sec and nsec are read as a timespec: the value is sec + nsec / 1e9 with
 * nsec in [0, 1e9).  Only the printed fraction digits are kept: the readers
 * parse "10268.395234" into nsec 395234000 and digits 6, so cutting to
 * digits gives back the text exactly.
 */
char *sr_json_time(char *d, const struct sr_time *t)
{
	unsigned int dig = t->digits > 9 ? 9 : t->digits;
	int64_t sec = t->sec;
	uint64_t mag;
	uint32_t ns = t->nsec;

	if (ns >= 1000000000u) {
		/* Not normalised by whoever built it: carry into sec. */
		sec += ns / 1000000000u;
		ns %= 1000000000u;
	}
	if (sec < 0) {
		*d++ = '-';
		if (ns) {
			/* -2 + 0.25 is -1.75 */
			mag = 0 - (uint64_t)(sec + 1);
			ns = 1000000000u - ns;
		} else {
			mag = 0 - (uint64_t)sec;
		}
	} else {
		mag = (uint64_t)sec;
	}
	d = sr_json_u64(d, mag);
	if (dig) {
		*d++ = '.';
		put_digits(d, ns / pow10_u32[9 - dig], dig);
		d += dig;
	}
	return d;
}

char *sr_json_double(char *d, double x)
{
	char buf[40];
	int prec, len = 0;

	if (!isfinite(x))
		return SR_JSON_LIT(d, "null");
	for (prec = 15; prec <= 17; prec++) {
		len = snprintf(buf, sizeof(buf), "%.*g", prec, x);
		if (prec == 17 || strtod(buf, NULL) == x)
			break;
	}
	/* "%g" never prints a locale-dependent thousands separator, but a
	 * locale may print ',' as the decimal point: JSON wants '.'. */
	for (prec = 0; prec < len; prec++)
		if (buf[prec] == ',')
			buf[prec] = '.';
	memcpy(d, buf, (size_t)len);
	return d + len;
}

/* ------------------------------------------------------------------ */
/* C escapes                                                           */

/* The byte of each single-letter C escape strace writes. */
static const char c_esc[256] = {
	['n'] = '\n', ['t'] = '\t',  ['r'] = '\r', ['v'] = '\v',  ['f'] = '\f', ['a'] = '\a',
	['b'] = '\b', ['\\'] = '\\', ['"'] = '"',  ['\''] = '\'', ['?'] = '?',
};

size_t sr_json_cunescape(char *d, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str, *bs;
	size_t i = 0, o = 0, run;
	unsigned char c, v;

	while (i < n) {
		bs = memchr(s + i, '\\', n - i);
		if (!bs) {
			memmove(d + o, s + i, n - i);
			return o + (n - i);
		}
		run = (size_t)(bs - (s + i));
		memmove(d + o, s + i, run);
		o += run;
		i += run + 1; /* past the backslash */
		if (i == n) {
			d[o++] = '\\';
			break;
		}
		c = s[i];
		if (c_esc[c]) {
			v = (unsigned char)c_esc[c];
			i++;
		} else if (c == 'x') {
			int h = i + 1 < n ? sr_hexval(s[i + 1]) : -1, l;

			if (h < 0) {
				/* "\x" with no digit: not an escape, keep it. */
				d[o++] = '\\';
				continue;
			}
			i += 2;
			l = i < n ? sr_hexval(s[i]) : -1;
			if (l >= 0) {
				h = h * 16 + l;
				i++;
			}
			v = (unsigned char)h;
		} else if (c >= '0' && c <= '7') {
			unsigned int val = 0, k;

			for (k = 0; k < 3 && i < n && s[i] >= '0' && s[i] <= '7'; k++)
				val = val * 8 + (unsigned int)(s[i++] - '0');
			v = (unsigned char)val;
		} else {
			/* Not an escape: the backslash stays. */
			d[o++] = '\\';
			continue;
		}
		d[o++] = (char)v;
	}
	return o;
}

/* ------------------------------------------------------------------ */
/* Typed values                                                        */

/*
 * The budget of one node, kids excluded: 96 bytes of syntax plus 16 per byte
 * of its text and name.  That covers the largest own output (an FD: 6n of
 * escaped path, 6n of the raw annotation and the n bytes of scratch it
 * decodes into; a STR object: 6n of escaped text plus 2n of hex), and the
 * member or "named" syntax a parent writes around it.
 */
static size_t vmax(const struct sr_value *v, unsigned int depth)
{
	size_t n, i;

	if (depth >= SR_JSON_MAX_DEPTH)
		return 96 + 16 * v->name.len; /* "null" and the member syntax */
	n = 96 + 16 * (v->text.len + v->name.len);
	for (i = 0; i < v->nkids; i++)
		n += vmax(&v->kids[i], depth + 1);
	return n;
}

size_t sr_json_value_max(const struct sr_value *v)
{
	return vmax(v, 0);
}

/*
 * The keys each typed-value object may hold, by its first key.  The reader
 * (in_json.c) takes an object for a typed value only when its first key is
 * one of these tags and every other key is allowed with it; a struct whose
 * member names would pass that test is written as a "struct" list instead.
 */
static const char *const tag_keys[][7] = {
	{ "int", "text" },
	{ "hex" },
	{ "oct" },
	{ "str", "hex", "truncated", "abstract", "style", "old_octal" },
	{ "ident" },
	{ "flags" },
	{ "set", "complement" },
	{ "fd", "path", "deleted", "text", "inside" },
	{ "path", "deleted", "text", "inside" },
	{ "call", "args" },
	{ "changed", "arrow" },
	{ "value", "comment", "text", "leading" },
	{ "comment", "text" },
	{ "ellipsis" },
	{ "expr", "spaced" },
	{ "index", "value" },
	{ "struct", "spaced", "colon", "tag", "padded", "old_sysinfo" },
	{ "named", "value" },
};

static bool sstr_eq(struct sr_str a, const char *b)
{
	size_t n = strlen(b);

	return a.len == n && !memcmp(a.ptr, b, n);
}

int sr_json_tag(const char *key, size_t n)
{
	struct sr_str k = { key, n };

	for (size_t i = 0; i < sizeof(tag_keys) / sizeof(tag_keys[0]); i++)
		if (sstr_eq(k, tag_keys[i][0]))
			return (int)i;
	return -1;
}

bool sr_json_tag_allows(int tag, const char *key, size_t n)
{
	struct sr_str k = { key, n };

	if (tag < 0 || (size_t)tag >= sizeof(tag_keys) / sizeof(tag_keys[0]))
		return false;
	for (size_t j = 0; j < 7 && tag_keys[tag][j]; j++)
		if (sstr_eq(k, tag_keys[tag][j]))
			return true;
	return false;
}

static char *value(char *d, const struct sr_value *v, unsigned int depth);

static char *int_value(char *d, const struct sr_value *v)
{
	if (v->base == SR_BASE_DEC) {
		char *s = d;

		if (v->flags & SR_VF_UNSIGNED)
			d = sr_json_u64(d, v->num.u);
		else
			d = sr_json_i64(d, v->num.i);
		/* The spelling is almost always the number itself; anything
		 * else ("+1", "007"?) is kept beside it so that the strace
		 * text can be given back. */
		if (!v->text.len ||
		    ((size_t)(d - s) == v->text.len && !memcmp(s, v->text.ptr, v->text.len)))
			return d;
		memmove(s + 7, s, (size_t)(d - s));
		memcpy(s, "{\"int\":", 7);
		d += 7;
		d = SR_JSON_LIT(d, ",\"text\":");
		d = sr_json_str(d, v->text.ptr, v->text.len);
		*d++ = '}';
		return d;
	}
	if (v->base == SR_BASE_HEX)
		d = SR_JSON_LIT(d, "{\"hex\":\"");
	else
		d = SR_JSON_LIT(d, "{\"oct\":\"");
	if (v->text.len) {
		d = sr_json_esc(d, v->text.ptr, v->text.len, NULL);
	} else if (v->base == SR_BASE_HEX) {
		/* Built by hand without a spelling: make one. */
		d = sr_json_hex64(d, v->num.u);
	} else {
		d = sr_json_oct64(d, v->num.u);
	}
	return SR_JSON_LIT(d, "\"}");
}

#define STR_OBJECT_FLAGS \
	(SR_VF_TRUNC | SR_VF_ABSTRACT | SR_VF_HEX_ALL | SR_VF_HEX_CHARS | SR_VF_OCT9)

/* force: an object even for a plain string (inside flags and sets, where a
 * plain string is a bare word). */
static char *str_value(char *d, const struct sr_value *v, bool force)
{
	char *start = d;
	bool bad = false;

	if (!(v->flags & STR_OBJECT_FLAGS) && !force) {
		/* The common case: write the plain string and look back only
		 * when a bad byte turned up (nothing is committed yet). */
		*d++ = '"';
		d = sr_json_esc(d, v->text.ptr, v->text.len, &bad);
		if (!bad) {
			*d++ = '"';
			return d;
		}
		d = start;
	}
	d = SR_JSON_LIT(d, "{\"str\":\"");
	d = sr_json_esc(d, v->text.ptr, v->text.len, &bad);
	*d++ = '"';
	if (bad) {
		d = SR_JSON_LIT(d, ",\"hex\":\"");
		d = sr_json_hex(d, v->text.ptr, v->text.len);
		*d++ = '"';
	}
	if (v->flags & SR_VF_TRUNC)
		d = SR_JSON_LIT(d, ",\"truncated\":true");
	if (v->flags & SR_VF_ABSTRACT)
		d = SR_JSON_LIT(d, ",\"abstract\":true");
	/* -x / -xx: how strace escaped the bytes, for the way back to text */
	if (v->flags & SR_VF_HEX_ALL)
		d = SR_JSON_LIT(d, ",\"style\":\"hex\"");
	else if (v->flags & SR_VF_HEX_CHARS)
		d = SR_JSON_LIT(d, ",\"style\":\"hex_chars\"");
	if (v->flags & SR_VF_OCT9)
		/* strace <= 4.21: "\0009", three octal digits before 8 and 9 */
		d = SR_JSON_LIT(d, ",\"old_octal\":true");
	*d++ = '}';
	return d;
}

/* A value in a list (array, call arguments, flags, set).  Inside FLAGS and
 * SET a bare word is a plain string: {"flags":["O_RDONLY","O_CLOEXEC"]} is
 * what jq users want to test with index(); a real string there is then an
 * object.  A named element outside a struct ("child_stack=NULL" inside a
 * call) is wrapped as {"named":...,"value":...}. */
static char *list_value(char *d, const struct sr_value *v, unsigned int depth, bool members)
{
	if (v->name.len) {
		d = SR_JSON_LIT(d, "{\"named\":");
		d = sr_json_str(d, v->name.ptr, v->name.len);
		d = SR_JSON_LIT(d, ",\"value\":");
	}
	if (members && v->kind == SR_V_IDENT)
		d = sr_json_str(d, v->text.ptr, v->text.len);
	else if (members && v->kind == SR_V_STR && depth < SR_JSON_MAX_DEPTH)
		d = str_value(d, v, true);
	else
		d = value(d, v, depth);
	if (v->name.len)
		*d++ = '}';
	return d;
}

static char *list(char *d, const struct sr_value *kids, uint32_t n, unsigned int depth,
		  bool members)
{
	uint32_t i;

	*d++ = '[';
	for (i = 0; i < n; i++) {
		if (i)
			*d++ = ',';
		d = list_value(d, &kids[i], depth, members);
	}
	*d++ = ']';
	return d;
}

static inline struct sr_str member_key(const struct sr_value *k)
{
	if (!k->name.len && k->kind == SR_V_ELLIPSIS)
		return SR_STR("...");
	return k->name;
}

/* A struct is a JSON object only when every member has a name of its own
 * (JSON objects with duplicate keys lose data in most parsers), when it was
 * printed the usual way ("a=1, b=2", not "a=1 b=2"), and when its member
 * names could not be read back as a typed value ({"hex":...}). */
static bool struct_is_object(const struct sr_value *v)
{
	uint32_t i, j;
	bool tagged = v->nkids > 0;
	int tag = -1;

	if ((v->flags & (SR_VF_SPACED | SR_VF_COLON | SR_VF_PADDED | SR_VF_OLD_SYSINFO)) ||
	    v->text.len)
		return false;
	for (i = 0; i < v->nkids; i++) {
		struct sr_str a = member_key(&v->kids[i]);

		if (!a.len)
			return false;
		for (j = 0; j < i; j++) {
			struct sr_str b = member_key(&v->kids[j]);

			if (a.len == b.len && !memcmp(a.ptr, b.ptr, a.len))
				return false;
		}
		if (i == 0)
			tag = sr_json_tag(a.ptr, a.len);
		if (!sr_json_tag_allows(tag, a.ptr, a.len))
			tagged = false;
	}
	return !tagged;
}

static char *struct_value(char *d, const struct sr_value *v, unsigned int depth)
{
	uint32_t i;

	if (struct_is_object(v)) {
		*d++ = '{';
		for (i = 0; i < v->nkids; i++) {
			const struct sr_value *k = &v->kids[i];

			if (i)
				*d++ = ',';
			if (!k->name.len && k->kind == SR_V_ELLIPSIS) {
				d = SR_JSON_LIT(d, "\"...\":true");
				continue;
			}
			d = sr_json_str(d, k->name.ptr, k->name.len);
			*d++ = ':';
			d = value(d, k, depth);
		}
		*d++ = '}';
		return d;
	}
	d = SR_JSON_LIT(d, "{\"struct\":[");
	for (i = 0; i < v->nkids; i++) {
		const struct sr_value *k = &v->kids[i];

		if (i)
			*d++ = ',';
		d = SR_JSON_LIT(d, "{\"name\":");
		d = sr_json_str(d, k->name.ptr, k->name.len);
		d = SR_JSON_LIT(d, ",\"value\":");
		d = value(d, k, depth);
		*d++ = '}';
	}
	d = SR_JSON_LIT(d, "]");
	if (v->flags & SR_VF_SPACED)
		d = SR_JSON_LIT(d, ",\"spaced\":true");
	if (v->flags & SR_VF_COLON)
		d = SR_JSON_LIT(d, ",\"colon\":true");
	if (v->flags & SR_VF_PADDED)
		d = SR_JSON_LIT(d, ",\"padded\":true");
	if (v->flags & SR_VF_OLD_SYSINFO)
		d = SR_JSON_LIT(d, ",\"old_sysinfo\":true");
	if (v->text.len) {
		/* strace 4.x: "SCM_CREDENTIALS{pid=1, ...}" */
		d = SR_JSON_LIT(d, ",\"tag\":");
		d = sr_json_str(d, v->text.ptr, v->text.len);
	}
	*d++ = '}';
	return d;
}

/*
 * The annotation as a JSON string.  strace printed it with C escapes; they
 * are decoded into the reserved space past the worst-case output (6n + 2 for
 * the quoted string, then n for the decoded bytes, which the node's budget
 * covers), then escaped back to d.  The escaper writes at most 6 bytes per
 * byte read, so it never reaches bytes it has not read yet.
 */
char *sr_json_fd_path(char *d, const struct sr_value *fd)
{
	struct sr_str t = fd->text;
	char *tmp;
	size_t n;

	if (!t.len || !memchr(t.ptr, '\\', t.len)) /* t.ptr may be NULL when empty */
		return sr_json_str(d, t.ptr, t.len);
	tmp = d + SR_JSON_STR_MAX(t.len) + 8;
	n = sr_json_cunescape(tmp, t.ptr, t.len);
	*d++ = '"';
	d = sr_json_esc(d, tmp, n, NULL);
	*d++ = '"';
	return d;
}

static struct sr_str comment_trim(struct sr_str s)
{
	while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t')) {
		s.ptr++;
		s.len--;
	}
	while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
		s.len--;
	return s;
}

char *sr_json_comment(char *d, const struct sr_value *c)
{
	struct sr_str s = comment_trim(c->text);

	return sr_json_str(d, s.ptr, s.len);
}

bool sr_json_comment_plain(const struct sr_value *c)
{
	struct sr_str s = comment_trim(c->text);

	return c->text.len == s.len + 2 && c->text.ptr[0] == ' ' &&
	       c->text.ptr[c->text.len - 1] == ' ';
}

bool sr_json_expr_spaced(const char *op, size_t n)
{
	/* strace spaces the logical and comparison operators of its wait
	 * status expressions, not arithmetic ("8192*1024") or shifts */
	return (n == 2 && (!memcmp(op, "&&", 2) || !memcmp(op, "||", 2) || !memcmp(op, "==", 2) ||
			   !memcmp(op, "!=", 2)));
}

static char *value(char *d, const struct sr_value *v, unsigned int depth)
{
	if (++depth > SR_JSON_MAX_DEPTH)
		return SR_JSON_LIT(d, "null");
	switch (v->kind) {
	case SR_V_INT:
		return int_value(d, v);
	case SR_V_STR:
		return str_value(d, v, false);
	case SR_V_IDENT:
		d = SR_JSON_LIT(d, "{\"ident\":");
		d = sr_json_str(d, v->text.ptr, v->text.len);
		*d++ = '}';
		return d;
	case SR_V_FLAGS:
		d = SR_JSON_LIT(d, "{\"flags\":");
		d = list(d, v->kids, v->nkids, depth, true);
		*d++ = '}';
		return d;
	case SR_V_SET:
		d = SR_JSON_LIT(d, "{\"set\":");
		d = list(d, v->kids, v->nkids, depth, true);
		if (v->flags & SR_VF_COMPLEMENT)
			d = SR_JSON_LIT(d, ",\"complement\":true");
		*d++ = '}';
		return d;
	case SR_V_STRUCT:
		return struct_value(d, v, depth);
	case SR_V_ARRAY:
		return list(d, v->kids, v->nkids, depth, false);
	case SR_V_FD:
		*d++ = '{';
		if (v->nkids) {
			d = SR_JSON_LIT(d, "\"fd\":");
			d = value(d, &v->kids[0], depth);
			*d++ = ',';
		}
		d = SR_JSON_LIT(d, "\"path\":");
		d = sr_json_fd_path(d, v);
		if (v->flags & (SR_VF_DELETED | SR_VF_DELETED_IN))
			d = SR_JSON_LIT(d, ",\"deleted\":true");
		if (v->flags & SR_VF_DELETED_IN)
			/* older strace: "3</tmp/x (deleted)>" */
			d = SR_JSON_LIT(d, ",\"inside\":true");
		if (v->text.len && memchr(v->text.ptr, '\\', v->text.len)) {
			/* the escapes as strace printed them */
			d = SR_JSON_LIT(d, ",\"text\":");
			d = sr_json_str(d, v->text.ptr, v->text.len);
		}
		*d++ = '}';
		return d;
	case SR_V_CALL:
		d = SR_JSON_LIT(d, "{\"call\":");
		d = sr_json_str(d, v->text.ptr, v->text.len);
		d = SR_JSON_LIT(d, ",\"args\":");
		d = list(d, v->kids, v->nkids, depth, false);
		*d++ = '}';
		return d;
	case SR_V_CHANGED:
		d = SR_JSON_LIT(d, "{\"changed\":");
		d = list(d, v->kids, v->nkids, depth, false);
		if ((v->flags & (SR_VF_OLD_ARROW | SR_VF_SPACED)) == (SR_VF_OLD_ARROW | SR_VF_SPACED))
			d = SR_JSON_LIT(d, ",\"arrow\":\" -> \"");
		else if (v->flags & SR_VF_OLD_ARROW)
			d = SR_JSON_LIT(d, ",\"arrow\":\"->\"");
		*d++ = '}';
		return d;
	case SR_V_COMMENT:
		*d++ = '{';
		if (v->nkids) {
			d = SR_JSON_LIT(d, "\"value\":");
			d = value(d, &v->kids[0], depth);
			*d++ = ',';
		}
		d = SR_JSON_LIT(d, "\"comment\":");
		d = sr_json_comment(d, v);
		if (!sr_json_comment_plain(v)) {
			d = SR_JSON_LIT(d, ",\"text\":");
			d = sr_json_str(d, v->text.ptr, v->text.len);
		}
		if (v->nkids && (v->flags & SR_VF_LEADING))
			d = SR_JSON_LIT(d, ",\"leading\":true");
		*d++ = '}';
		return d;
	case SR_V_ELLIPSIS:
		return SR_JSON_LIT(d, "{\"ellipsis\":true}");
	case SR_V_EXPR:
		d = SR_JSON_LIT(d, "{\"expr\":[");
		if (v->nkids > 0)
			d = value(d, &v->kids[0], depth);
		else
			d = SR_JSON_LIT(d, "null");
		*d++ = ',';
		d = sr_json_str(d, v->text.ptr, v->text.len);
		*d++ = ',';
		if (v->nkids > 1)
			d = value(d, &v->kids[1], depth);
		else
			d = SR_JSON_LIT(d, "null");
		d = SR_JSON_LIT(d, "]");
		if (!(v->flags & SR_VF_SPACED) != !sr_json_expr_spaced(v->text.ptr, v->text.len)) {
			if (v->flags & SR_VF_SPACED)
				d = SR_JSON_LIT(d, ",\"spaced\":true");
			else
				d = SR_JSON_LIT(d, ",\"spaced\":false");
		}
		*d++ = '}';
		return d;
	case SR_V_INDEX:
		d = SR_JSON_LIT(d, "{\"index\":");
		if (v->nkids > 0)
			d = value(d, &v->kids[0], depth);
		else
			d = SR_JSON_LIT(d, "null");
		d = SR_JSON_LIT(d, ",\"value\":");
		if (v->nkids > 1)
			d = value(d, &v->kids[1], depth);
		else
			d = SR_JSON_LIT(d, "null");
		*d++ = '}';
		return d;
	case SR_V_NULL:
	default:
		/* An unknown kind still gives valid JSON. */
		return SR_JSON_LIT(d, "null");
	}
}

char *sr_json_value(char *d, const struct sr_value *v)
{
	return value(d, v, 0);
}

/* ------------------------------------------------------------------ */
/* Attached lines                                                      */

static void buf_hex(struct sr_buf *b, uint64_t v)
{
	char tmp[20];
	char *e = sr_json_hex64(tmp, v);

	sr_buf_add(b, tmp, (size_t)(e - tmp));
}

static void buf_u64(struct sr_buf *b, uint64_t v)
{
	char tmp[24];
	char *e = sr_json_u64(tmp, v);

	sr_buf_add(b, tmp, (size_t)(e - tmp));
}

void sr_json_attach_text(struct sr_buf *b, const struct sr_attach *a)
{
	size_t i;

	switch (a->kind) {
	case SR_A_FRAME:
		sr_buf_add(b, " > ", 3);
		sr_buf_adds(b, a->module);
		sr_buf_addc(b, '(');
		if (a->symbol.len) {
			sr_buf_adds(b, a->symbol);
			sr_buf_addc(b, '+');
			buf_hex(b, a->offset);
		}
		sr_buf_add(b, ") [", 3);
		buf_hex(b, a->addr);
		sr_buf_addc(b, ']');
		break;
	case SR_A_DUMP: {
		/* strace's dumpstr(): " | %05x  " then 16 "xx " cells (an extra
		 * space after the eighth), a space, 16 characters, " |" */
		char row[80], *d = row;
		const unsigned char *p = (const unsigned char *)a->bytes.ptr;
		char off[24];
		int k;

		k = snprintf(off, sizeof(off), "%05llx", (unsigned long long)a->addr);
		sr_buf_add(b, " | ", 3);
		sr_buf_add(b, off, (size_t)k);
		*d++ = ' ';
		*d++ = ' ';
		for (i = 0; i < 16; i++) {
			if (i < a->bytes.len) {
				*d++ = hexdig[p[i] >> 4];
				*d++ = hexdig[p[i] & 15];
			} else {
				*d++ = ' ';
				*d++ = ' ';
			}
			*d++ = ' ';
			if (i == 7)
				*d++ = ' ';
		}
		*d++ = ' ';
		for (i = 0; i < 16; i++)
			*d++ = i >= a->bytes.len ? ' ' : p[i] >= ' ' && p[i] < 0x7f ? (char)p[i] : '.';
		*d++ = ' ';
		*d++ = '|';
		sr_buf_add(b, row, (size_t)(d - row));
		break;
	}
	case SR_A_IOV:
		sr_buf_add(b, " * ", 3);
		buf_u64(b, a->addr);
		sr_buf_add(b, " bytes in buffer ", 17);
		buf_u64(b, a->offset);
		break;
	default:
		sr_buf_adds(b, a->text);
	}
}

/* ------------------------------------------------------------------ */
/* Semantic values                                                     */

static size_t sval_max(const struct sr_sval *s, int depth)
{
	size_t n = SR_JSON_STR_MAX(s->key.len) + 2 + SR_JSON_INT_MAX;
	uint32_t i;

	if (depth > SR_JSON_MAX_DEPTH)
		return n;
	if (s->kind == SR_S_STR)
		n += SR_JSON_STR_MAX(s->str.len);
	if (s->kind == SR_S_ARRAY || s->kind == SR_S_OBJECT)
		for (i = 0; i < s->n; i++) {
			const struct sr_sval *k = &s->kids[i];

			/* a leaf here, without a call: the same sum */
			if (k->kind == SR_S_ARRAY || k->kind == SR_S_OBJECT)
				n += 1 + sval_max(k, depth + 1);
			else
				n += 1 + SR_JSON_STR_MAX(k->key.len) + 2 + SR_JSON_INT_MAX +
				     (k->kind == SR_S_STR ? SR_JSON_STR_MAX(k->str.len) : 0);
		}
	return n;
}

size_t sr_json_sval_max(const struct sr_sval *s)
{
	return s ? sval_max(s, 0) : 8;
}

/* A member's key: nearly always a short name from a signature or a
 * struct, copied here without a call per key; anything to escape goes
 * through sr_json_esc() from the start. */
static inline char *sval_key(char *d, struct sr_str k)
{
	const unsigned char *s = (const unsigned char *)k.ptr;
	size_t i;

	*d++ = '"';
	for (i = 0; i < k.len; i++) {
		if (esc_needed[s[i]]) {
			d = sr_json_esc(d, k.ptr, k.len, NULL);
			*d++ = '"';
			return d;
		}
		d[i] = (char)s[i];
	}
	d += k.len;
	*d++ = '"';
	return d;
}

static char *sval(char *d, const struct sr_sval *s, int depth, bool *trunc)
{
	uint32_t i;

	if (depth > SR_JSON_MAX_DEPTH)
		return SR_JSON_LIT(d, "null");
	switch (s->kind) {
	case SR_S_BOOL:
		return s->num.b ? SR_JSON_LIT(d, "true") : SR_JSON_LIT(d, "false");
	case SR_S_INT:
		return sr_json_i64(d, s->num.i);
	case SR_S_UINT:
		return sr_json_u64(d, s->num.u);
	case SR_S_STR:
		if (s->flags & SR_SF_TRUNC)
			*trunc = true;
		return sr_json_str(d, s->str.ptr, s->str.len);
	case SR_S_ARRAY:
		*d++ = '[';
		for (i = 0; i < s->n; i++) {
			if (i)
				*d++ = ',';
			d = sval(d, &s->kids[i], depth + 1, trunc);
		}
		*d++ = ']';
		return d;
	case SR_S_OBJECT:
		*d++ = '{';
		for (i = 0; i < s->n; i++) {
			if (i)
				*d++ = ',';
			d = sval_key(d, s->kids[i].key);
			*d++ = ':';
			d = sval(d, &s->kids[i], depth + 1, trunc);
		}
		*d++ = '}';
		return d;
	case SR_S_NULL:
	default:
		return SR_JSON_LIT(d, "null");
	}
}

char *sr_json_sval(char *d, const struct sr_sval *s)
{
	bool trunc = false;

	return s ? sval(d, s, 0, &trunc) : SR_JSON_LIT(d, "null");
}

char *sr_json_sval_tr(char *d, const struct sr_sval *s, bool *trunc)
{
	return s ? sval(d, s, 0, trunc) : SR_JSON_LIT(d, "null");
}

/* One JSON Pointer token (RFC 6901: ~ as ~0, / as ~1) into a JSON string
 * body. */
static char *ptr_token(char *d, struct sr_str k)
{
	size_t i, j = 0;

	for (i = 0; i < k.len; i++) {
		if (k.ptr[i] == '~' || k.ptr[i] == '/') {
			d = sr_json_esc(d, k.ptr + j, i - j, NULL);
			*d++ = '~';
			*d++ = k.ptr[i] == '~' ? '0' : '1';
			j = i + 1;
		}
	}
	return sr_json_esc(d, k.ptr + j, k.len - j, NULL);
}

/* Every truncated string under s, as ,"PREFIX/..." strings. */
static char *truncs(char *d, const struct sr_sval *s, char *path, char *pe, bool *first,
		    int depth)
{
	uint32_t i;

	if (depth > SR_JSON_MAX_DEPTH)
		return d;
	if (s->kind == SR_S_STR && (s->flags & SR_SF_TRUNC)) {
		if (!*first)
			*d++ = ',';
		*first = false;
		*d++ = '"';
		memcpy(d, path, (size_t)(pe - path));
		d += pe - path;
		*d++ = '"';
		return d;
	}
	if (s->kind != SR_S_ARRAY && s->kind != SR_S_OBJECT)
		return d;
	for (i = 0; i < s->n; i++) {
		char *e = pe;

		*e++ = '/';
		if (s->kind == SR_S_OBJECT)
			e = ptr_token(e, s->kids[i].key);
		else
			e = sr_json_u64(e, i);
		d = truncs(d, &s->kids[i], path, e, first, depth + 1);
	}
	return d;
}

/* Most records hold no truncated string: find out before building paths. */
static bool any_trunc(const struct sr_sval *s, int depth)
{
	uint32_t i;

	if (s->kind == SR_S_STR)
		return s->flags & SR_SF_TRUNC;
	if (depth > SR_JSON_MAX_DEPTH || (s->kind != SR_S_ARRAY && s->kind != SR_S_OBJECT))
		return false;
	for (i = 0; i < s->n; i++)
		if ((s->kids[i].kind >= SR_S_STR) && any_trunc(&s->kids[i], depth + 1))
			return true;
	return false;
}

char *sr_json_sval_truncs(char *d, const struct sr_sval *s, const char *prefix, char *scratch,
			  bool *first)
{
	size_t n = strlen(prefix);

	if (!s || !any_trunc(s, 0))
		return d;
	memcpy(scratch, prefix, n);
	return s ? truncs(d, s, scratch, scratch + n, first, 0) : d;
}
