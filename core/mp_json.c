/*
 * mp_json.c - JSON text <-> MessagePack (mp_json.h).
 *
 * JSON -> msgpack is on the path of every event the msgpack writer writes,
 * so it reserves the worst case once (a JSON byte never needs more than
 * three msgpack bytes: "1.5" is a 9-byte float64) and writes without
 * checks.  A container's size is known only at its end: it gets a fix
 * byte, widened in place on the rare container of more than 15 items.
 * msgpack -> JSON is the reader's, through sr_buf with its checks.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_emit.h"
#include "mp_json.h"

/* ------------------------------------------------------------------ */
/* JSON -> msgpack                                                     */

struct jframe {
	size_t at;  /* offset in out of the container's fix byte */
	uint32_t n; /* items (map: pairs) so far */
	bool map;
};

static inline unsigned char *be16(unsigned char *d, unsigned int v)
{
	d[0] = (unsigned char)(v >> 8);
	d[1] = (unsigned char)v;
	return d + 2;
}

static inline unsigned char *be32(unsigned char *d, uint32_t v)
{
	d[0] = (unsigned char)(v >> 24);
	d[1] = (unsigned char)(v >> 16);
	d[2] = (unsigned char)(v >> 8);
	d[3] = (unsigned char)v;
	return d + 4;
}

static inline unsigned char *be64(unsigned char *d, uint64_t v)
{
	be32(d, (uint32_t)(v >> 32));
	return be32(d + 4, (uint32_t)v);
}

static unsigned char *mp_uint(unsigned char *d, uint64_t u)
{
	if (u <= 0x7f) {
		*d++ = (unsigned char)u;
	} else if (u <= 0xff) {
		*d++ = 0xcc;
		*d++ = (unsigned char)u;
	} else if (u <= 0xffff) {
		*d++ = 0xcd;
		d = be16(d, (unsigned int)u);
	} else if (u <= 0xffffffffu) {
		*d++ = 0xce;
		d = be32(d, (uint32_t)u);
	} else {
		*d++ = 0xcf;
		d = be64(d, u);
	}
	return d;
}

/* A negative integer, -mag (mag 1 .. 2^63). */
static unsigned char *mp_neg(unsigned char *d, uint64_t mag)
{
	int64_t i = mag == (uint64_t)1 << 63 ? INT64_MIN : -(int64_t)mag;

	if (i >= -32) {
		*d++ = (unsigned char)(int8_t)i;
	} else if (i >= INT8_MIN) {
		*d++ = 0xd0;
		*d++ = (unsigned char)(int8_t)i;
	} else if (i >= INT16_MIN) {
		*d++ = 0xd1;
		d = be16(d, (unsigned int)(uint16_t)(int16_t)i);
	} else if (i >= INT32_MIN) {
		*d++ = 0xd2;
		d = be32(d, (uint32_t)(int32_t)i);
	} else {
		*d++ = 0xd3;
		d = be64(d, (uint64_t)i);
	}
	return d;
}

/* The bytes of a str header for length n. */
static inline size_t str_head(size_t n)
{
	return n <= 31 ? 1 : n <= 0xff ? 2 : n <= 0xffff ? 3 : 5;
}

static unsigned char *put_str_head(unsigned char *d, size_t n)
{
	if (n <= 31) {
		*d++ = (unsigned char)(0xa0 | n);
	} else if (n <= 0xff) {
		*d++ = 0xd9;
		*d++ = (unsigned char)n;
	} else if (n <= 0xffff) {
		*d++ = 0xda;
		d = be16(d, (unsigned int)n);
	} else {
		*d++ = 0xdb;
		d = be32(d, (uint32_t)n);
	}
	return d;
}

/* Four hex digits at s (n bytes left): the code unit, or -1. */
static long hex4(const unsigned char *s, size_t n)
{
	long v = 0;
	int i, h;

	if (n < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		if ((h = sr_hexval(s[i])) < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

static unsigned char *utf8(unsigned char *d, unsigned long c)
{
	if (c < 0x80) {
		*d++ = (unsigned char)c;
	} else if (c < 0x800) {
		*d++ = (unsigned char)(0xc0 | c >> 6);
		*d++ = (unsigned char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*d++ = (unsigned char)(0xe0 | c >> 12);
		*d++ = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		*d++ = (unsigned char)(0x80 | (c & 0x3f));
	} else {
		*d++ = (unsigned char)(0xf0 | c >> 18);
		*d++ = (unsigned char)(0x80 | (c >> 12 & 0x3f));
		*d++ = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		*d++ = (unsigned char)(0x80 | (c & 0x3f));
	}
	return d;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* The first byte from k on that is '"', '\\', a control byte or not ASCII:
 * eight at a time where the byte order allows.  In each word the lowest
 * flagged byte is a true one (a borrow only runs upwards), and the lowest
 * is the first in memory on a little-endian machine. */
static inline size_t plain_ascii(const unsigned char *s, size_t k, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (n - k >= 8) {
		uint64_t x, q, b, m;

		memcpy(&x, s + k, 8);
		q = x ^ (ONES * '"');
		b = x ^ (ONES * '\\');
		m = (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((x - ONES * 0x20) & ~x) | x) & HIGHS;
		if (m)
			return k + ((size_t)__builtin_ctzll(m) >> 3);
		k += 8;
	}
#endif
	while (k < n && s[k] != '"' && s[k] != '\\' && s[k] >= 0x20 && s[k] < 0x80)
		k++;
	return k;
}

/*
 * The string whose opening quote is at s[*i]: its str written at d.  The
 * header is sized for the raw length (an upper bound of the decoded one)
 * and moved down when escapes made the string short enough for a smaller
 * one.  Returns the end of the output, or NULL (e set).
 */
static __attribute__((noinline)) unsigned char *
put_string_slow(const unsigned char *s, size_t n, size_t *i, unsigned char *d, struct sr_mpj_err *e)
{
	size_t k = plain_ascii(s, *i + 1, n), start = *i + 1, h;
	bool high = k < n && s[k] >= 0x80;
	unsigned char *body, *o;

	/* no escape: UTF-8 to check past a high byte */
	while (k < n && s[k] != '"' && s[k] != '\\' && s[k] >= 0x20)
		k++;
	if (k < n && s[k] == '"') {
		if (high && !sr_json_utf8_valid((const char *)s + start, k - start))
			goto not_utf8;
		d = put_str_head(d, k - start);
		memcpy(d, s + start, k - start);
		*i = k + 1;
		return d + (k - start);
	}
	/* with escapes: find the end, then decode */
	while (k < n && s[k] != '"') {
		if (s[k] < 0x20) {
			e->why = "no control byte in a string (JSON escapes it)";
			e->at = k;
			return NULL;
		}
		k += s[k] == '\\' ? 2 : 1;
	}
	if (k >= n) {
		e->why = "the end of a string ('\"')";
		e->at = n;
		return NULL;
	}
	h = str_head(k - start);
	body = o = d + h;
	for (size_t j = start; j < k;) {
		long c, lo;

		if (s[j] != '\\') {
			*o++ = s[j++];
			continue;
		}
		switch (s[j + 1]) {
		case '"':
			*o++ = '"';
			break;
		case '\\':
			*o++ = '\\';
			break;
		case '/':
			*o++ = '/';
			break;
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u':
			c = hex4(s + j + 2, k - j - 2);
			if (c < 0) {
				e->why = "four hex digits after \\u";
				e->at = j;
				return NULL;
			}
			if (c >= 0xdc00 && c <= 0xdfff)
				goto lone;
			if (c >= 0xd800 && c <= 0xdbff) {
				/* a pair: \uD8xx\uDCxx */
				if (k - j < 12 || s[j + 6] != '\\' || s[j + 7] != 'u' ||
				    (lo = hex4(s + j + 8, k - j - 8)) < 0xdc00 || lo > 0xdfff)
					goto lone;
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				j += 6;
			}
			o = utf8(o, (unsigned long)c);
			j += 6;
			continue;
		default:
			e->why = "an escape JSON has (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)";
			e->at = j;
			return NULL;
		}
		j += 2;
	}
	if (!sr_json_utf8_valid((const char *)body, (size_t)(o - body)))
		goto not_utf8;
	if (str_head((size_t)(o - body)) < h) {
		size_t len = (size_t)(o - body);

		memmove(d + str_head(len), body, len);
		o = put_str_head(d, len) + len;
	} else {
		put_str_head(d, (size_t)(o - body));
	}
	*i = k + 1;
	return o;
lone:
	e->why = "a \\uD800-\\uDBFF escape followed by a \\uDC00-\\uDFFF one (a lone surrogate "
		 "is no text)";
	e->at = *i;
	return NULL;
not_utf8:
	e->why = "a string in UTF-8";
	e->at = start;
	return NULL;
}

/* Where doubles are evaluated as double (no x87 excess precision), the
 * fast path below gives what strtod gives. */
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
#define FAST_DOUBLE 1
#else
#define FAST_DOUBLE 0
#endif

/* clang-format off */
static const double pow10d[23] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
				   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21,
				   1e22 };
/* clang-format on */

/* The string whose opening quote is at s[*i], for the common case of
 * ASCII without escapes, the keys and most values: inline (always: the
 * compiler's choice not to cost 5% of the whole conversion), a short one
 * copied as two words (the output has room: sr_json_to_mp reserves 3 bytes
 * per input byte and 16 more, and the input has 16 bytes here). */
static inline __attribute__((always_inline)) unsigned char *
put_string(const unsigned char *s, size_t n, size_t *i, unsigned char *d, struct sr_mpj_err *e)
{
	size_t start = *i + 1, k = plain_ascii(s, start, n), len = k - start;

	if (k >= n || s[k] != '"')
		return put_string_slow(s, n, i, d, e);
	if (len <= 31)
		*d++ = (unsigned char)(0xa0 | len);
	else
		d = put_str_head(d, len);
	if (len <= 16 && n - start >= 16) {
		uint64_t a, b;

		memcpy(&a, s + start, 8);
		memcpy(&b, s + start + 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + 8, &b, 8);
	} else {
		memcpy(d, s + start, len);
	}
	*i = k + 1;
	return d + len;
}

/* The number at s[*i]: an int when it has no fraction or exponent, else a
 * float64 as strtod reads it. */
static unsigned char *put_number(const unsigned char *s, size_t n, size_t *i, unsigned char *d,
				 struct sr_mpj_err *e)
{
	size_t k = *i, first;
	bool neg = false, over = false;
	uint64_t u = 0;

	if (s[k] == '-') {
		neg = true;
		k++;
	}
	first = k;
	while (k < n && s[k] >= '0' && s[k] <= '9') {
		unsigned int dg = s[k] - '0';

		if (u > (UINT64_MAX - dg) / 10)
			over = true;
		u = u * 10 + dg;
		k++;
	}
	if (k == first || (s[first] == '0' && k - first > 1)) {
		e->why = "a number";
		e->at = *i;
		return NULL;
	}
	if (k < n && s[k] == '.' && FAST_DOUBLE) {
		/* Clinger's fast path: a decimal of at most 15 digits is an
		 * exact double M, 10^f (f <= 22) is exact, so M / 10^f is
		 * correctly rounded, as strtod's result is; 5 times cheaper
		 * than strtod on the times of every event */
		size_t j = k + 1, digits = k - first;
		uint64_t m = u;

		while (j < n && s[j] >= '0' && s[j] <= '9' && digits < 15) {
			m = m * 10 + (unsigned int)(s[j] - '0');
			j++;
			digits++;
		}
		if (j > k + 1 && j - k - 1 <= 22 && !over &&
		    (j >= n || (s[j] != 'e' && s[j] != 'E' && (s[j] < '0' || s[j] > '9')))) {
			double x = (double)m / pow10d[j - k - 1];
			uint64_t bits;

			if (neg)
				x = -x;
			memcpy(&bits, &x, 8);
			*d++ = 0xcb;
			d = be64(d, bits);
			*i = j;
			return d;
		}
	}
	if (k < n && (s[k] == '.' || s[k] == 'e' || s[k] == 'E')) {
		char tmp[64];
		size_t len;
		double x;
		uint64_t bits;
		char *end;

		while (k < n && ((s[k] >= '0' && s[k] <= '9') || s[k] == '.' || s[k] == 'e' ||
				 s[k] == 'E' || s[k] == '+' || s[k] == '-'))
			k++;
		len = k - *i;
		if (len >= sizeof(tmp)) {
			e->why = "a number of at most 63 characters";
			e->at = *i;
			return NULL;
		}
		memcpy(tmp, s + *i, len);
		tmp[len] = '\0';
		x = strtod(tmp, &end);
		if (end != tmp + len || !isfinite(x)) {
			e->why = "a finite number";
			e->at = *i;
			return NULL;
		}
		memcpy(&bits, &x, 8);
		*d++ = 0xcb;
		d = be64(d, bits);
		*i = k;
		return d;
	}
	if (over || (neg && u > (uint64_t)1 << 63)) {
		/* jansson refuses them too; Python would make a big int */
		e->why = "an integer within 64 bits";
		e->at = *i;
		return NULL;
	}
	*i = k;
	return neg && u ? mp_neg(d, u) : mp_uint(d, u);
}

/* Ends the container of f: its fix byte, or the 16- or 32-bit form. */
static unsigned char *close_container(unsigned char *base, unsigned char *d, const struct jframe *f)
{
	unsigned char *at = base + f->at;
	size_t extra;

	if (f->n <= 15) {
		*at |= (unsigned char)f->n;
		return d;
	}
	extra = f->n <= 0xffff ? 2 : 4;
	memmove(at + 1 + extra, at + 1, (size_t)(d - at - 1));
	if (extra == 2) {
		*at = f->map ? 0xde : 0xdc;
		be16(at + 1, f->n);
	} else {
		*at = f->map ? 0xdf : 0xdd;
		be32(at + 1, f->n);
	}
	return d + extra;
}

static inline size_t skip_ws(const unsigned char *s, size_t n, size_t i)
{
	/* our own JSON has none: one comparison per call */
	while (i < n && s[i] <= ' ' &&
	       (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

size_t sr_json_to_mp(const char *text, size_t n, struct sr_buf *out, struct sr_mpj_err *e)
{
	const unsigned char *s = (const unsigned char *)text;
	struct jframe st[SR_MPJ_MAX_DEPTH];
	size_t i = 0, len0 = out->len;
	int depth = 0;
	unsigned char *base, *d;

	/* worst case: 3 bytes per input byte ("1.5"), 4 more per container
	 * widened (at most one per 16 bytes of input), and a scalar alone */
	if (out->cap - out->len < 3 * n + 16 && !sr_buf_grow(out, 3 * n + 16)) {
		e->why = "memory (out of memory)";
		e->at = 0;
		return 0;
	}
	base = (unsigned char *)out->p + len0;
	d = base;
	for (;;) {
		/* a value */
		i = skip_ws(s, n, i);
		if (i >= n)
			goto cut;
		switch (s[i]) {
		case '{':
		case '[':
			if (depth == SR_MPJ_MAX_DEPTH) {
				e->why = "values nested at most 1024 deep";
				goto bad;
			}
			st[depth] = (struct jframe){ (size_t)(d - base), 0, s[i] == '{' };
			*d++ = s[i] == '{' ? 0x80 : 0x90;
			i = skip_ws(s, n, i + 1);
			if (i >= n)
				goto cut;
			if (s[i] == (st[depth].map ? '}' : ']')) {
				i++;
				break; /* empty: the fix byte is right */
			}
			depth++;
			if (st[depth - 1].map)
				goto key;
			continue;
		case '"':
			if (!(d = put_string(s, n, &i, d, e)))
				goto fail;
			break;
		case 't':
			if (n - i < 4 || memcmp(s + i, "true", 4))
				goto value;
			*d++ = 0xc3;
			i += 4;
			break;
		case 'f':
			if (n - i < 5 || memcmp(s + i, "false", 5))
				goto value;
			*d++ = 0xc2;
			i += 5;
			break;
		case 'n':
			if (n - i < 4 || memcmp(s + i, "null", 4))
				goto value;
			*d++ = 0xc0;
			i += 4;
			break;
		default:
			if (s[i] != '-' && (s[i] < '0' || s[i] > '9'))
				goto value;
			if (!(d = put_number(s, n, &i, d, e)))
				goto fail;
			break;
		}
		/* after a value: the next one, or the ends of containers */
		for (;;) {
			struct jframe *f;

			if (!depth)
				goto done;
			f = &st[depth - 1];
			f->n++;
			i = skip_ws(s, n, i);
			if (i >= n)
				goto cut;
			if (s[i] == ',') {
				i++;
				if (f->map)
					goto key;
				break;
			}
			if (s[i] != (f->map ? '}' : ']')) {
				e->why = f->map ? "',' or '}'" : "',' or ']'";
				goto bad;
			}
			i++;
			d = close_container(base, d, f);
			depth--;
		}
		continue;
	key:
		i = skip_ws(s, n, i);
		if (i >= n)
			goto cut;
		if (s[i] != '"') {
			e->why = "a key (a string)";
			goto bad;
		}
		if (!(d = put_string(s, n, &i, d, e)))
			goto fail;
		i = skip_ws(s, n, i);
		if (i >= n)
			goto cut;
		if (s[i] != ':') {
			e->why = "':'";
			goto bad;
		}
		i++;
	}
done:
	out->len = len0 + (size_t)(d - base);
	return i;
value:
	e->why = "a JSON value";
bad:
	e->at = i;
fail:
	out->len = len0;
	return 0;
cut:
	e->why = "more JSON (the value is cut short)";
	e->at = n;
	out->len = len0;
	return 0;
}

/* ------------------------------------------------------------------ */
/* msgpack -> JSON                                                     */

struct mframe {
	uint64_t left; /* items still to come (a map: keys and values) */
	uint64_t total;
	bool map;
};

static inline uint64_t rd_be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* A double as JSON: the shortest form that reads back as x, with a '.'
 * or an exponent so that JSON readers see a float again. */
static bool put_double(struct sr_buf *b, double x)
{
	char tmp[SR_JSON_DOUBLE_MAX + 4];
	char *end;

	if (!isfinite(x))
		return false;
	end = sr_json_double(tmp, x);
	if (!memchr(tmp, '.', (size_t)(end - tmp)) && !memchr(tmp, 'e', (size_t)(end - tmp))) {
		*end++ = '.';
		*end++ = '0';
	}
	sr_buf_add(b, tmp, (size_t)(end - tmp));
	return true;
}

int sr_mp_to_json(const unsigned char *p, size_t n, struct sr_buf *out, size_t *used,
		  struct sr_mpj_err *e)
{
	struct mframe st[SR_MPJ_MAX_DEPTH];
	size_t i = 0, len0 = out->len;
	int depth = 0;
	char num[SR_JSON_INT_MAX + 1];

	for (;;) {
		unsigned char b;
		int w = 0; /* bytes of length or value after the type byte */
		uint64_t v = 0, cnt = 0;
		bool is_map = false, key = false;
		size_t at = i;

		/* room for a separator and any scalar but a str, so that the
		 * sr_buf_add()s below never need to grow (and fail silently) */
		if (!sr_buf_grow(out, 64))
			goto nomem;
		if (depth) {
			struct mframe *f = &st[depth - 1];

			key = f->map && f->left % 2 == 0;
			if (key && f->left != f->total)
				sr_buf_addc(out, ',');
			else if (f->map && !key)
				sr_buf_addc(out, ':');
			else if (!f->map && f->left != f->total)
				sr_buf_addc(out, ',');
			f->left--;
		}
		if (i >= n)
			goto cut;
		b = p[i];
		if (key && !((b & 0xe0) == 0xa0 || (b >= 0xd9 && b <= 0xdb))) {
			e->why = "a map key that is a str";
			goto bad;
		}
		if (b <= 0x7f || b >= 0xe0) {
			char *q = b <= 0x7f ? sr_json_u64(num, b) : sr_json_i64(num, (int8_t)b);

			sr_buf_add(out, num, (size_t)(q - num));
			i++;
			goto next;
		}
		if ((b & 0xe0) == 0xa0) {
			v = b & 31;
			i++;
			goto str;
		}
		if ((b & 0xf0) == 0x80 || (b & 0xf0) == 0x90) {
			is_map = (b & 0xf0) == 0x80;
			cnt = b & 15;
			i++;
			goto container;
		}
		switch (b) {
		case 0xc0:
			sr_buf_add(out, "null", 4);
			i++;
			goto next;
		case 0xc2:
			sr_buf_add(out, "false", 5);
			i++;
			goto next;
		case 0xc3:
			sr_buf_add(out, "true", 4);
			i++;
			goto next;
		case 0xcc:
		case 0xcd:
		case 0xce:
		case 0xcf:
		case 0xd0:
		case 0xd1:
		case 0xd2:
		case 0xd3:
			w = 1 << (b & 3);
			break;
		case 0xca:
			w = 4;
			break;
		case 0xcb:
			w = 8;
			break;
		case 0xd9:
			w = 1;
			break;
		case 0xda:
			w = 2;
			break;
		case 0xdb:
			w = 4;
			break;
		case 0xdc:
		case 0xde:
			w = 2;
			break;
		case 0xdd:
		case 0xdf:
			w = 4;
			break;
		case 0xc4:
		case 0xc5:
		case 0xc6:
			e->why = "a str (bin has no JSON form)";
			goto bad;
		default:
			e->why = "a MessagePack object with a JSON form (no ext, no 0xc1)";
			goto bad;
		}
		if (n - i < 1 + (size_t)w)
			goto cut;
		v = rd_be(p + i + 1, w);
		i += 1 + (size_t)w;
		if (b >= 0xcc && b <= 0xcf) {
			char *q = sr_json_u64(num, v);

			sr_buf_add(out, num, (size_t)(q - num));
			goto next;
		}
		if (b >= 0xd0 && b <= 0xd3) {
			int sh = 64 - 8 * w;
			int64_t x = w == 8 ? (int64_t)v : (int64_t)(v << sh) >> sh;
			char *q = sr_json_i64(num, x);

			sr_buf_add(out, num, (size_t)(q - num));
			goto next;
		}
		if (b == 0xca || b == 0xcb) {
			double x;

			if (w == 4) {
				uint32_t u32 = (uint32_t)v;
				float f;

				memcpy(&f, &u32, 4);
				x = f;
			} else {
				memcpy(&x, &v, 8);
			}
			if (!put_double(out, x)) {
				e->why = "a finite float (JSON has no NaN or infinity)";
				i = at;
				goto bad;
			}
			goto next;
		}
		if (b >= 0xd9 && b <= 0xdb)
			goto str;
		is_map = b >= 0xde;
		cnt = v;
	container:
		sr_buf_addc(out, is_map ? '{' : '[');
		if (!cnt) {
			sr_buf_addc(out, is_map ? '}' : ']');
			goto next;
		}
		if (depth == SR_MPJ_MAX_DEPTH) {
			e->why = "objects nested at most 1024 deep";
			i = at;
			goto bad;
		}
		st[depth++] =
			(struct mframe){ is_map ? 2 * cnt : cnt, is_map ? 2 * cnt : cnt, is_map };
		continue;
	str:
		if (n - i < v)
			goto cut;
		if (!sr_json_utf8_valid((const char *)p + i, (size_t)v)) {
			e->why = "a str in UTF-8";
			i = at;
			goto bad;
		}
		if (out->cap - out->len < SR_JSON_STR_MAX((size_t)v) &&
		    !sr_buf_grow(out, SR_JSON_STR_MAX((size_t)v)))
			goto nomem;
		out->len = (size_t)(sr_json_str(out->p + out->len, (const char *)p + i, (size_t)v) -
				    out->p);
		i += (size_t)v;
	next:
		if (!sr_buf_grow(out, (size_t)depth + 1))
			goto nomem;
		while (depth && !st[depth - 1].left) {
			sr_buf_addc(out, st[depth - 1].map ? '}' : ']');
			depth--;
		}
		if (!depth)
			break;
	}
	*used = i;
	return 1;
cut:
	e->why = "more input (the object is cut short)";
	e->at = n;
	out->len = len0;
	return 0;
nomem:
	e->why = "memory (out of memory)";
	e->at = 0;
	out->len = len0;
	return -1;
bad:
	e->at = i;
	out->len = len0;
	return -1;
}
