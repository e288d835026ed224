/*
 * json_in_util.c - small helpers of the JSON reader: copies into the batch arena, typed
 * reads of jansson values, hex, big integers, integer spellings.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_in.h"

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

struct sr_str sr_jin_dup_str(struct dctx *c, const char *s, size_t n)
{
	char *p = sr_arena_memdup(c->b->arena, s, n);

	if (!p) {
		c->oom = true;
		return (struct sr_str){ "", 0 };
	}
	return (struct sr_str){ p, n };
}

struct sr_str sr_jin_jstr(struct dctx *c, const json_t *v)
{
	if (!json_is_string(v))
		return (struct sr_str){ "", 0 };
	return sr_jin_dup_str(c, json_string_value(v), json_string_length(v));
}

const struct sr_atom *sr_jin_jatom(struct dctx *c, const json_t *v)
{
	const struct sr_atom *a;

	if (!json_is_string(v) || !json_string_length(v))
		return NULL;
	a = sr_intern(c->b->atoms, json_string_value(v), json_string_length(v));
	if (!a)
		c->oom = true;
	return a;
}

struct sr_value *sr_jin_new_values(struct dctx *c, size_t n)
{
	struct sr_value *v;

	if (!n)
		return NULL;
	v = sr_arena_alloc(c->b->arena, n * sizeof(*v));
	if (!v) {
		c->oom = true;
		return NULL;
	}
	memset(v, 0, n * sizeof(*v));
	return v;
}

int sr_jin_hexval(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* Bytes from a lowercase or uppercase hex string; NULL view when odd. */
struct sr_str sr_jin_unhex(struct dctx *c, const char *s, size_t n)
{
	char *d = sr_arena_alloc(c->b->arena, n / 2 + 1);
	size_t i;

	if (!d) {
		c->oom = true;
		return (struct sr_str){ "", 0 };
	}
	for (i = 0; i + 1 < n; i += 2) {
		int h = sr_jin_hexval((unsigned char)s[i]), l = sr_jin_hexval((unsigned char)s[i + 1]);

		if (h < 0 || l < 0)
			break;
		d[i / 2] = (char)(h << 4 | l);
	}
	return (struct sr_str){ d, i / 2 };
}

int64_t sr_jin_jint(const json_t *v, int64_t def)
{
	if (json_is_integer(v))
		return (int64_t)json_integer_value(v);
	if (json_is_real(v)) {
		/* found by fuzzing: a double out of int64's range (or NaN)
		 * converted to int64_t is undefined behaviour; it saturates */
		double d = json_real_value(v);

		if (!(d > -9223372036854775808.0))
			return d != d ? def : INT64_MIN;
		if (d >= 9223372036854775808.0)
			return INT64_MAX;
		return (int64_t)d;
	}
	if (json_is_string(v)) {
		char *e;
		long long x = strtoll(json_string_value(v), &e, 0);

		if (e != json_string_value(v))
			return x;
	}
	return def;
}

bool sr_jin_jtrue(const json_t *v)
{
	return json_is_true(v);
}

/* An integer too big for jansson, rewritten by rescue() into a string
 * "<nonce><digits>": its value, or false. */
bool sr_jin_big_int(struct sr_reader *r, const json_t *v, uint64_t *u)
{
	const char *s;

	if (!json_is_string(v) || json_string_length(v) <= r->nonce_len)
		return false;
	s = json_string_value(v);
	if (memcmp(s, r->nonce, r->nonce_len))
		return false;
	*u = strtoull(s + r->nonce_len, NULL, 10);
	return true;
}

/* An integer from its spelling: "123", "-1", "0x1f", "0644". */
bool sr_jin_spelled_int(const char *s, size_t n, struct sr_value *v)
{
	const char *p = s, *e = s + n;
	bool neg = false;
	uint64_t u = 0;
	int base = 10;

	if (p < e && *p == '-') {
		neg = true;
		p++;
	}
	if (p == e)
		return false;
	if (e - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (e - p > 1 && p[0] == '0') {
		base = 8;
		p++;
	}
	if (p == e)
		return false;
	for (; p < e; p++) {
		int d = sr_jin_hexval((unsigned char)*p);

		if (d < 0 || d >= base)
			return false;
		u = u * (uint64_t)base + (uint64_t)d;
	}
	v->kind = SR_V_INT;
	v->base = base == 16 ? SR_BASE_HEX : base == 8 ? SR_BASE_OCT : SR_BASE_DEC;
	if (neg) {
		v->num.i = -(int64_t)u;
	} else {
		v->num.u = u;
		if (base != 10 || u > INT64_MAX)
			v->flags |= SR_VF_UNSIGNED;
	}
	return true;
}

/* A constant's spelling: an upper-case word ("AT_FDCWD", "O_RDONLY"). */
bool sr_jin_is_word(const char *s, size_t n)
{
	size_t i;

	if (!n || !(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (i = 0; i < n; i++)
		if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}
