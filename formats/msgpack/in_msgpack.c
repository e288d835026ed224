/*
 * in_msgpack.c - reads the spelled MessagePack stream of out_msgpack.c back
 * into events (docs/pb-msgpack.md); in_msgpack_sem.c, the format's reader,
 * hands such streams to it.
 *
 * The decoder is a cursor over the input buffer rather than msgpack-c's
 * unpacker: that one builds an object tree in a zone (a copy of every
 * event before it could become one), reports no byte offsets, and stops
 * at a nesting depth of 32 compiled into the library, which deep value
 * trees reach.  Here each top-level object is first checked whole (its
 * extent found with a bounded depth), then decoded in place: strings are
 * views into the input buffer, which stays put until the next call of
 * next(), so a batch ends where the buffer would have to move.
 */
#include <stdio.h>
#include <string.h>

#include "msgpack_internal.h"
#include "wire_walk.h"

#define BATCH_EVENTS 8192
/* msgpack nesting: a value level is a map and an array */
#define MAX_NEST (2 * SR_WIRE_MAX_DEPTH + 8)

/* The reader is core/wire_build.c's struct sr_wire_in. */

/* ------------------------------------------------------------------ */
/* Tokens                                                              */

enum tk { T_NIL, T_BOOL, T_INT, T_UINT, T_FLOAT, T_STR, T_BIN, T_ARRAY, T_MAP, T_EXT };

struct tok {
	enum tk t;
	int64_t i;
	uint64_t u;
	double d;
	const char *s;  /* STR, BIN: the bytes */
	uint32_t n;     /* STR, BIN: length; ARRAY, MAP: count */
};

struct cur {
	const unsigned char *p, *end, *base;
	uint64_t base_off;  /* stream offset of base */
	const char *why;    /* what was expected where it stopped */
	const unsigned char *at;
	struct sr_wire_in *r;
};

static inline uint64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static bool fail(struct cur *c, const char *why)
{
	if (!c->why) {
		c->why = why;
		c->at = c->p;
	}
	return false;
}

/* A failure of the builder (wire_build.c), which says why. */
static inline bool built(struct cur *c, bool ok)
{
	return ok || fail(c, c->r->why);
}

/* Reads one token header; containers' contents follow. */
static bool next_tok(struct cur *c, struct tok *t)
{
	const unsigned char *p = c->p;
	size_t left = (size_t)(c->end - p);
	unsigned char b;
	int n = 0;    /* bytes of length/value after the type byte */
	uint64_t len = 0;

	if (!left)
		return fail(c, "more input (the object is cut short)");
	b = *p;
	if (b <= 0x7f) {
		t->t = T_UINT;
		t->u = b;
		c->p++;
		return true;
	}
	if (b >= 0xe0) {
		t->t = T_INT;
		t->i = (int8_t)b;
		c->p++;
		return true;
	}
	if ((b & 0xf0) == 0x80 || (b & 0xf0) == 0x90) {
		t->t = (b & 0xf0) == 0x80 ? T_MAP : T_ARRAY;
		t->n = b & 15;
		c->p++;
		return true;
	}
	if ((b & 0xe0) == 0xa0) {
		len = b & 31;
		if (left < 1 + len)
			return fail(c, "more input (the string is cut short)");
		t->t = T_STR;
		t->s = (const char *)p + 1;
		t->n = (uint32_t)len;
		c->p += 1 + len;
		return true;
	}
	switch (b) {
	case 0xc0: t->t = T_NIL; c->p++; return true;
	case 0xc2: case 0xc3: t->t = T_BOOL; t->u = b & 1; c->p++; return true;
	case 0xcc: n = 1; t->t = T_UINT; break;
	case 0xcd: n = 2; t->t = T_UINT; break;
	case 0xce: n = 4; t->t = T_UINT; break;
	case 0xcf: n = 8; t->t = T_UINT; break;
	case 0xd0: n = 1; t->t = T_INT; break;
	case 0xd1: n = 2; t->t = T_INT; break;
	case 0xd2: n = 4; t->t = T_INT; break;
	case 0xd3: n = 8; t->t = T_INT; break;
	case 0xca: n = 4; t->t = T_FLOAT; break;
	case 0xcb: n = 8; t->t = T_FLOAT; break;
	case 0xd9: case 0xda: case 0xdb:
		t->t = T_STR;
		n = 1 << (b - 0xd9);
		break;
	case 0xc4: case 0xc5: case 0xc6:
		t->t = T_BIN;
		n = 1 << (b - 0xc4);
		break;
	case 0xdc: case 0xdd:
		t->t = T_ARRAY;
		n = b == 0xdc ? 2 : 4;
		break;
	case 0xde: case 0xdf:
		t->t = T_MAP;
		n = b == 0xde ? 2 : 4;
		break;
	default:
		/* ext types and 0xc1: sysrep writes none */
		return fail(c, "a MessagePack value (no ext types)");
	}
	if (left < 1 + (size_t)n)
		return fail(c, "more input (the value is cut short)");
	len = be(p + 1, n);
	c->p += 1 + n;
	switch (t->t) {
	case T_UINT:
		t->u = len;
		return true;
	case T_INT:
		/* sign-extend from n bytes */
		t->i = n == 8 ? (int64_t)len : (int64_t)(len << (64 - 8 * n)) >> (64 - 8 * n);
		return true;
	case T_FLOAT:
		if (n == 4) {
			uint32_t u32 = (uint32_t)len;
			float f;

			memcpy(&f, &u32, 4);
			t->d = f;
		} else {
			memcpy(&t->d, &len, 8);
		}
		return true;
	case T_STR:
	case T_BIN:
		if ((size_t)(c->end - c->p) < len)
			return fail(c, "more input (the string is cut short)");
		t->s = (const char *)c->p;
		t->n = (uint32_t)len;
		c->p += len;
		return true;
	default:
		t->n = (uint32_t)len;
		return true;
	}
}

/* Skips one whole object: 1 done, 0 cut short, -1 malformed or too deep. */
static int skip(struct cur *c, int depth)
{
	struct tok t;
	uint64_t k, n;

	if (depth > MAX_NEST) {
		fail(c, "objects nested at most 408 deep");
		return -1;
	}
	if (!next_tok(c, &t))
		return c->why[0] == 'm' ? 0 : -1;
	if (t.t != T_ARRAY && t.t != T_MAP)
		return 1;
	n = t.t == T_MAP ? 2 * (uint64_t)t.n : t.n;
	for (k = 0; k < n; k++) {
		int st = skip(c, depth + 1);

		if (st <= 0)
			return st;
	}
	return 1;
}

/* ------------------------------------------------------------------ */
/* Decoding                                                            */

static inline bool is_str(const struct tok *t)
{
	return t->t == T_STR || t->t == T_BIN;
}

static inline bool key_is(const struct tok *k, const char *s)
{
	size_t n = strlen(s);

	return k->n == n && memcmp(k->s, s, n) == 0;
}

static bool get_int(struct cur *c, int64_t *v)
{
	struct tok t;

	if (!next_tok(c, &t))
		return false;
	if (t.t == T_INT)
		*v = t.i;
	else if (t.t == T_UINT && t.u <= INT64_MAX)
		*v = (int64_t)t.u;
	else
		return fail(c, "an integer");
	return true;
}

static bool get_uint(struct cur *c, uint64_t *v, uint64_t max)
{
	struct tok t;

	if (!next_tok(c, &t))
		return false;
	if (t.t == T_UINT && t.u <= max)
		*v = t.u;
	else if (t.t == T_BOOL && max >= 1)
		*v = t.u;
	else
		return fail(c, "an unsigned integer in range");
	return true;
}

/* A string, inline or as a table reference. */
static bool get_sref(struct cur *c, struct sr_str *out)
{
	struct tok t;

	if (!next_tok(c, &t))
		return false;
	if (is_str(&t)) {
		*out = (struct sr_str){ t.s, t.n };
		return true;
	}
	if (t.t == T_UINT && sr_rst_get(&c->r->strs, t.u, out))
		return true;
	return fail(c, "a string or a reference to a defined table entry");
}

static bool get_atom(struct cur *c, const struct sr_atom **out)
{
	struct tok t;

	if (!next_tok(c, &t))
		return false;
	if (is_str(&t))
		return built(c, sr_wire_build_intern(c->r, (struct sr_str){ t.s, t.n }, out));
	if (t.t == T_UINT)
		return built(c, sr_wire_build_atom(c->r, t.u, out));
	return fail(c, "a name or a reference to a defined table entry");
}

static bool get_bytes(struct cur *c, struct sr_str *out)
{
	struct tok t;

	if (!next_tok(c, &t))
		return false;
	if (!is_str(&t))
		return fail(c, "a str or bin");
	*out = (struct sr_str){ t.s, t.n };
	return true;
}

static bool skip_value(struct cur *c)
{
	int st = skip(c, 0);

	return st > 0 || (fail(c, "a value"), false);
}

static const uint32_t pow10[10] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
				    100000000, 1000000000 };

static bool get_time(struct cur *c, struct sr_time *out, enum sr_wire_tslot slot)
{
	struct sr_time t = sr_wire_tdefault(&c->r->hdr, slot);
	struct tok tk, k;
	uint64_t u;
	int64_t s;
	uint32_t i;

	if (!next_tok(c, &tk))
		return false;
	if (tk.t == T_UINT) {
		/* a bare fraction: sec 0 */
		if (t.digits > 9 || tk.u >= pow10[t.digits])
			return fail(c, "a fraction with the header's digits");
		t.sec = 0;
		t.nsec = (uint32_t)(tk.u * pow10[9 - t.digits]);
	} else if (tk.t == T_ARRAY && tk.n == 2) {
		if (!get_int(c, &s) || !get_uint(c, &u, 999999999))
			return false;
		if (t.digits > 9 || u >= pow10[t.digits])
			return fail(c, "a fraction with the header's digits");
		t.sec = s;
		t.nsec = (uint32_t)(u * pow10[9 - t.digits]);
	} else if (tk.t == T_MAP) {
		for (i = 0; i < tk.n; i++) {
			if (!next_tok(c, &k) || k.t != T_STR)
				return fail(c, "a time key");
			if (key_is(&k, "s")) {
				if (!get_int(c, &s))
					return false;
				t.sec = s;
			} else if (key_is(&k, "n")) {
				if (!get_uint(c, &u, 999999999))
					return false;
				t.nsec = (uint32_t)u;
			} else if (key_is(&k, "c")) {
				if (!get_uint(c, &u, SR_CLOCK_REL))
					return false;
				t.clock = (uint8_t)u;
			} else if (key_is(&k, "d")) {
				if (!get_uint(c, &u, 9))
					return false;
				t.digits = (uint8_t)u;
			} else if (key_is(&k, "w")) {
				if (!get_uint(c, &u, 255))
					return false;
				t.width = (uint8_t)u;
			} else if (!skip_value(c)) {
				return false;
			}
		}
	} else {
		return fail(c, "a time: [sec, frac] or a map");
	}
	if (t.clock == SR_CLOCK_NONE)
		return fail(c, "a time with a clock");
	*out = t;
	return true;
}

static bool get_value(struct cur *c, struct sr_value *v, int depth);

static bool get_kids(struct cur *c, uint32_t n, struct sr_value *v, int depth)
{
	uint32_t i;

	if (!built(c, sr_wire_build_kids(c->r, v, n)))
		return false;
	for (i = 0; i < n; i++)
		if (!get_value(c, &v->kids[i], depth + 1))
			return false;
	return true;
}

static bool get_kids_array(struct cur *c, struct sr_value *v, int depth)
{
	struct tok t;

	if (!next_tok(c, &t))
		return false;
	if (t.t != T_ARRAY)
		return fail(c, "an array of values");
	return get_kids(c, t.n, v, depth);
}

static uint8_t kind_of_key(char k)
{
	switch (k) {
	case '{': return SR_V_STRUCT;
	case '[': return SR_V_ARRAY;
	case '~': return SR_V_SET;
	case '(': return SR_V_CALL;
	case '>': return SR_V_CHANGED;
	case '/': return SR_V_COMMENT;
	case '*': return SR_V_EXPR;
	default: return SR_V_INDEX;
	}
}

static bool get_value_map(struct cur *c, uint32_t n, struct sr_value *v, int depth)
{
	struct tok k, t;
	uint64_t u;
	uint32_t i;
	bool has_text = false, has_flags = false;

	for (i = 0; i < n; i++) {
		if (!next_tok(c, &k) || k.t != T_STR || !k.n)
			return fail(c, "a value key");
		switch (k.s[0] | (k.n > 1 ? 0x100 : 0)) {
		case 'k':
			if (!get_uint(c, &u, SR_V_INDEX))
				return false;
			v->kind = (uint8_t)u;
			break;
		case 'n':
			if (!get_sref(c, &v->name))
				return false;
			break;
		case 'f':
			if (!get_uint(c, &u, 0xffff))
				return false;
			v->flags = (uint16_t)u;
			has_flags = true;
			break;
		case 't':
			if (!get_sref(c, &v->text))
				return false;
			has_text = true;
			break;
		case 'c':
			if (!get_kids_array(c, v, depth))
				return false;
			break;
		case 'x':
		case 'o':
		case 'i':
			if (!next_tok(c, &t))
				return false;
			v->kind = SR_V_INT;
			v->base = k.s[0] == 'x' ? SR_BASE_HEX : k.s[0] == 'o' ? SR_BASE_OCT : SR_BASE_DEC;
			if (t.t == T_UINT)
				v->num.u = t.u;
			else if (t.t == T_INT)
				v->num.i = t.i;
			else
				return fail(c, "an integer");
			break;
		case 's':
		case 'w':
			v->kind = k.s[0] == 's' ? SR_V_STR : SR_V_IDENT;
			if (!get_sref(c, &v->text))
				return false;
			break;
		case '@':
			/* FD: [fd, annotation] */
			v->kind = SR_V_FD;
			if (!next_tok(c, &t) || t.t != T_ARRAY || t.n != 2)
				return fail(c, "an fd: [value, annotation]");
			if (!built(c, sr_wire_build_kids(c->r, v, 1)))
				return false;
			if (!get_value(c, v->kids, depth + 1) || !get_sref(c, &v->text))
				return false;
			break;
		case '{':
		case '[':
		case '~':
		case '(':
		case '>':
		case '/':
		case '*':
		case ']':
			v->kind = kind_of_key(k.s[0]);
			if (!get_kids_array(c, v, depth))
				return false;
			break;
		case '|':
			v->kind = SR_V_FLAGS;
			if (!next_tok(c, &t))
				return false;
			if (t.t == T_UINT) {
				if (!built(c, sr_wire_build_flags(c->r, t.u, v)))
					return false;
			} else if (t.t == T_ARRAY) {
				if (!get_kids(c, t.n, v, depth))
					return false;
			} else {
				return fail(c, "flags: an array or a table reference");
			}
			break;
		default:
			if (!skip_value(c))
				return false;
		}
	}
	if (v->kind < SR_V_INT || v->kind > SR_V_INDEX)
		return fail(c, "a value with a kind");
	if (v->kind == SR_V_INT && v->base != SR_BASE_DEC && !has_flags)
		v->flags = SR_VF_UNSIGNED;
	if (v->kind == SR_V_INT && !has_text)
		return built(c, sr_wire_build_spell(c->r, v));
	return true;
}

static bool get_value(struct cur *c, struct sr_value *v, int depth)
{
	struct tok t;

	if (!built(c, sr_wire_build_value(c->r, v, depth)) || !next_tok(c, &t))
		return false;
	switch (t.t) {
	case T_UINT:
	case T_INT:
		v->kind = SR_V_INT;
		if (t.t == T_UINT && t.u > INT64_MAX) {
			v->flags = SR_VF_UNSIGNED;
			v->num.u = t.u;
		} else {
			v->num.i = t.t == T_UINT ? (int64_t)t.u : t.i;
		}
		return built(c, sr_wire_build_spell(c->r, v));
	case T_STR:
	case T_BIN:
		v->kind = SR_V_STR;
		v->text = (struct sr_str){ t.s, t.n };
		return true;
	case T_NIL:
		v->kind = SR_V_NULL;
		return true;
	case T_ARRAY:
		v->kind = SR_V_ARRAY;
		return get_kids(c, t.n, v, depth);
	case T_MAP:
		return get_value_map(c, t.n, v, depth);
	default:
		return fail(c, "a value");
	}
}

static bool get_leader_rest(struct cur *c, struct sr_leader *l)
{
	struct tok t, k;
	uint64_t u;
	int64_t s;
	uint32_t i;

	if (!next_tok(c, &t) || t.t != T_MAP)
		return fail(c, "the leader map");
	for (i = 0; i < t.n; i++) {
		if (!next_tok(c, &k) || k.t != T_STR)
			return fail(c, "a leader key");
		if (key_is(&k, "f")) {
			if (!get_uint(c, &u, SR_PID_PLAIN))
				return false;
			l->pid_form = (uint8_t)u;
		} else if (key_is(&k, "c")) {
			if (!get_bytes(c, &l->comm))
				return false;
		} else if (key_is(&k, "x")) {
			if (!get_bytes(c, &l->secontext))
				return false;
		} else if (key_is(&k, "hn") || key_is(&k, "nu") || key_is(&k, "hi") ||
			   key_is(&k, "iu") || key_is(&k, "is")) {
			if (!get_uint(c, &u, 1))
				return false;
			if (key_is(&k, "hn"))
				l->has_nr = u;
			else if (key_is(&k, "nu"))
				l->nr_unknown = u;
			else if (key_is(&k, "hi"))
				l->has_ip = u;
			else if (key_is(&k, "is"))
				l->ip_spaced = u;
			else
				l->ip_unknown = u;
		} else if (key_is(&k, "nw")) {
			if (!get_uint(c, &u, 255))
				return false;
			l->nr_width = (uint8_t)u;
		} else if (key_is(&k, "id")) {
			if (!get_uint(c, &u, 255))
				return false;
			l->ip_digits = (uint8_t)u;
		} else if (key_is(&k, "n")) {
			if (!get_int(c, &s) || s < INT32_MIN || s > INT32_MAX)
				return fail(c, "a 32-bit nr");
			l->nr = (int32_t)s;
		} else if (key_is(&k, "i")) {
			if (!get_uint(c, &l->ip, UINT64_MAX))
				return false;
		} else if (!skip_value(c)) {
			return false;
		}
	}
	return true;
}

static bool get_double(struct cur *c, double *d)
{
	struct tok t;

	if (!next_tok(c, &t))
		return false;
	if (t.t == T_FLOAT)
		*d = t.d;
	else if (t.t == T_UINT)
		*d = (double)t.u;
	else if (t.t == T_INT)
		*d = (double)t.i;
	else
		return fail(c, "a number");
	return true;
}

static bool get_u8_array(struct cur *c, uint8_t *v, uint8_t *n)
{
	struct tok t;
	uint64_t u;
	uint32_t i;

	if (!next_tok(c, &t) || t.t != T_ARRAY || t.n > SR_SUM_MAXCOLS)
		return fail(c, "an array of at most 12 columns");
	for (i = 0; i < t.n; i++) {
		if (!get_uint(c, &u, 255))
			return false;
		v[i] = (uint8_t)u;
	}
	*n = (uint8_t)t.n;
	return true;
}

static bool get_summary(struct cur *c, struct sr_event *ev)
{
	struct sr_summary *s = sr_wire_build_alloc(c->r, 1, sizeof(*s));
	struct tok t, k;
	uint64_t u;
	uint32_t i;
	uint8_t nw = 0;

	if (!s)
		return fail(c, c->r->why);
	if (!next_tok(c, &t) || t.t != T_MAP)
		return fail(c, "the summary map");
	for (i = 0; i < t.n; i++) {
		bool ok;

		if (!next_tok(c, &k) || k.t != T_STR)
			return fail(c, "a summary key");
		if (key_is(&k, "r"))
			ok = get_uint(c, &u, 255) && ((s->row = (uint8_t)u), true);
		else if (key_is(&k, "c"))
			ok = get_u8_array(c, s->col, &s->ncols);
		else if (key_is(&k, "w"))
			ok = get_u8_array(c, s->width, &nw);
		else if (key_is(&k, "h"))
			ok = get_uint(c, &u, 0xffff) && ((s->has = (uint16_t)u), true);
		else if (key_is(&k, "p"))
			ok = get_double(c, &s->pct);
		else if (key_is(&k, "s"))
			ok = get_double(c, &s->seconds);
		else if (key_is(&k, "mn"))
			ok = get_double(c, &s->min);
		else if (key_is(&k, "mx"))
			ok = get_double(c, &s->max);
		else if (key_is(&k, "u"))
			ok = get_uint(c, &s->usecs, UINT64_MAX);
		else if (key_is(&k, "n"))
			ok = get_uint(c, &s->calls, UINT64_MAX);
		else if (key_is(&k, "e"))
			ok = get_uint(c, &s->errors, UINT64_MAX);
		else if (key_is(&k, "he"))
			ok = get_uint(c, &u, 1) && ((s->has_errors = u), true);
		else
			ok = skip_value(c);
		if (!ok)
			return false;
	}
	if (nw != s->ncols)
		return fail(c, "a width for every summary column");
	ev->sum = s;
	return true;
}

static bool get_attach(struct cur *c, struct sr_attach *a)
{
	struct tok t, k;
	uint64_t u;
	uint32_t i;

	memset(a, 0, sizeof(*a));
	if (!next_tok(c, &t) || t.t != T_MAP)
		return fail(c, "an attachment map");
	for (i = 0; i < t.n; i++) {
		bool ok;

		if (!next_tok(c, &k) || k.t != T_STR)
			return fail(c, "an attachment key");
		if (key_is(&k, "k"))
			ok = get_uint(c, &u, 255) && ((a->kind = (uint8_t)u), true);
		else if (key_is(&k, "a"))
			ok = get_uint(c, &a->addr, UINT64_MAX);
		else if (key_is(&k, "o"))
			ok = get_uint(c, &a->offset, UINT64_MAX);
		else if (key_is(&k, "m"))
			ok = get_sref(c, &a->module);
		else if (key_is(&k, "s"))
			ok = get_bytes(c, &a->symbol);
		else if (key_is(&k, "b"))
			ok = get_bytes(c, &a->bytes);
		else if (key_is(&k, "t"))
			ok = get_bytes(c, &a->text);
		else
			ok = skip_value(c);
		if (!ok)
			return false;
	}
	return true;
}

static bool get_value_array(struct cur *c, struct sr_value **out, uint32_t *n)
{
	struct tok t;
	struct sr_value tmp;

	if (!next_tok(c, &t) || t.t != T_ARRAY)
		return fail(c, "an array of values");
	memset(&tmp, 0, sizeof(tmp));
	if (!get_kids(c, t.n, &tmp, 0))
		return false;
	*out = tmp.kids;
	*n = tmp.nkids;
	return true;
}

static bool get_event(struct cur *c, struct sr_event *ev)
{
	struct sr_wire_in *r = c->r;
	struct tok t, k, s;
	uint64_t u;
	int64_t i64;
	uint32_t i, j;
	bool has_line = false, has_nr = false;

	if (!next_tok(c, &t) || t.t != T_MAP)
		return fail(c, "an event map");
	sr_wire_build_event(r, ev);
	for (i = 0; i < t.n; i++) {
		bool ok = true;

		if (!next_tok(c, &k) || k.t != T_STR || !k.n)
			return fail(c, "an event key");
		if (k.n > 1) {
			ok = skip_value(c);
		} else switch (k.s[0]) {
		case '+':
			if (!next_tok(c, &s) || s.t != T_ARRAY)
				return fail(c, "an array of table entries");
			for (j = 0; j < s.n; j++) {
				struct tok e;

				if (!next_tok(c, &e) || !is_str(&e))
					return fail(c, "a table entry (str or bin)");
				if (!built(c, sr_wire_build_entry(r, e.s, e.n)))
					return false;
			}
			break;
		case 'k':
			ok = get_uint(c, &u, SR_E__COUNT - 1) && u >= 1 && ((ev->kind = (uint8_t)u), true);
			if (!ok)
				return fail(c, "a known event kind");
			break;
		case 'l':
			ok = get_uint(c, &ev->line, UINT64_MAX);
			has_line = true;
			break;
		case 'p':
			ok = get_int(c, &ev->lead.pid);
			break;
		case 't':
			ok = get_time(c, &ev->lead.time, SR_TS_TIME);
			break;
		case 'r':
			ok = get_time(c, &ev->lead.rel, SR_TS_REL);
			break;
		case 'L':
			ok = get_leader_rest(c, &ev->lead);
			break;
		case 's':
			ok = get_atom(c, &ev->name);
			break;
		case 'a':
			ok = get_value_array(c, &ev->args, &ev->nargs);
			break;
		case '=':
			ev->has_ret = true;
			ev->ret = sr_wire_build_alloc(r, 1, sizeof(*ev->ret));
			if (!ev->ret)
				return fail(c, r->why);
			ok = get_value(c, ev->ret, 0);
			break;
		case '?':
			ok = get_uint(c, &u, 1);
			ev->has_ret = true;
			break;
		case 'd':
			ok = get_time(c, &ev->duration, SR_TS_DUR);
			break;
		case 'f':
			ok = get_uint(c, &u, 0xffff) && ((ev->flags = (uint16_t)u), true);
			break;
		case 'P':
			ok = get_uint(c, &u, 0xffff) && ((ev->pad = (uint16_t)u), true);
			break;
		case 'x':
			ok = get_uint(c, &u, UINT32_MAX) && ((ev->split = (uint32_t)u), true);
			break;
		case 'e':
			ok = get_atom(c, &ev->err);
			break;
		case 'm':
			ok = get_sref(c, &ev->errmsg);
			break;
		case 'S':
			ok = get_time(c, &ev->start, SR_TS_TIME);
			break;
		case '#':
			ok = get_int(c, &i64) && i64 >= INT32_MIN && i64 <= INT32_MAX;
			if (!ok)
				return fail(c, "a 32-bit syscall number");
			ev->nr = (int32_t)i64;
			has_nr = true;
			break;
		case 'N':
			if (!next_tok(c, &s) || s.t != T_ARRAY)
				return fail(c, "an array of notes");
			ev->notes = sr_wire_build_alloc(r, s.n ? s.n : 1, sizeof(*ev->notes));
			if (!ev->notes)
				return fail(c, r->why);
			for (j = 0; j < s.n && ok; j++)
				ok = get_bytes(c, &ev->notes[j]);
			ev->nnotes = s.n;
			break;
		case 'u':
			ok = get_bytes(c, &ev->unavail);
			break;
		case 'c':
			ok = get_int(c, &ev->code);
			break;
		case 'T':
			ok = get_bytes(c, &ev->text);
			break;
		case 'M':
			ok = get_summary(c, ev);
			break;
		case 'A':
			if (!next_tok(c, &s) || s.t != T_ARRAY)
				return fail(c, "an array of attachments");
			ev->att = sr_wire_build_alloc(r, s.n ? s.n : 1, sizeof(*ev->att));
			if (!ev->att)
				return fail(c, r->why);
			for (j = 0; j < s.n && ok; j++)
				ok = get_attach(c, &ev->att[j]);
			ev->natt = s.n;
			break;
		default:
			ok = skip_value(c);
		}
		if (!ok)
			return false;
	}
	sr_wire_build_done(r, ev, has_line, has_nr);
	return true;
}

/* ------------------------------------------------------------------ */
/* The stream                                                          */

static enum sr_status parse_error(struct sr_wire_in *r, const struct cur *c, struct sr_error *err)
{
	const unsigned char *at = c->at ? c->at : c->p;

	sr_error_set(err, SR_ERR_PARSE, "cannot parse msgpack input: byte=%llu: expected %s",
		     (unsigned long long)(c->base_off + (uint64_t)(at - c->base)),
		     c->why ? c->why : "a value");
	sr_error_file(err, sr_source_name(r->in));
	return SR_ERR_PARSE;
}

/* Reads more input behind buf[pos..len), growing the buffer when full. */
static inline enum sr_status fill(struct sr_wire_in *r, struct sr_error *err)
{
	return sr_wire_fill(r, r->len - r->pos + 1, err);
}

static void cur_init(struct sr_wire_in *r, struct cur *c, struct sr_batch *b)
{
	memset(c, 0, sizeof(*c));
	c->base = r->buf;
	c->base_off = r->off;
	/* fuzzing: before the first fill buf is NULL, and NULL + 0 is
	 * undefined behaviour (UBSan: pointer-overflow) */
	c->p = r->buf ? r->buf + r->pos : NULL;
	c->end = r->buf ? r->buf + r->len : NULL;
	c->r = r;
	r->b = b;
}

/* The extent of the next whole object: 1 with *n, 0 when more input is
 * needed, <0 on error (err set). */
static int whole(struct sr_wire_in *r, size_t *n, struct sr_error *err)
{
	struct cur c;
	int st;

	cur_init(r, &c, NULL);
	if (c.p == c.end)
		return 0;
	st = skip(&c, 0);
	if (st > 0) {
		*n = (size_t)(c.p - (r->buf + r->pos));
		return 1;
	}
	if (st == 0 && !r->eof)
		return 0;
	return parse_error(r, &c, err);
}

static enum sr_status read_header(struct sr_wire_in *r, struct sr_error *err)
{
	struct cur c;
	struct tok t, k;
	uint64_t u;
	uint32_t i;
	size_t n;
	int st;
	bool magic = false, nfa = false;
	struct sr_str arch = { "", 0 };

	while ((st = whole(r, &n, err)) == 0) {
		if (r->eof) {
			sr_error_set(err, SR_ERR_PARSE,
				     "cannot parse msgpack input: byte=0: expected the header map, the input is empty");
			sr_error_file(err, sr_source_name(r->in));
			return SR_ERR_PARSE;
		}
		if ((st = fill(r, err)) < 0)
			return st;
	}
	if (st < 0)
		return st;
	cur_init(r, &c, NULL);
	if (!next_tok(&c, &t) || t.t != T_MAP)
		goto bad;
	for (i = 0; i < t.n; i++) {
		if (!next_tok(&c, &k) || k.t != T_STR)
			goto bad;
		if (key_is(&k, "sysrep")) {
			struct sr_str v;

			if (!get_bytes(&c, &v))
				goto bad;
			magic = v.len == 7 && !memcmp(v.ptr, "msgpack", 7);
			continue;
		}
		if (key_is(&k, "arch")) {
			if (!get_bytes(&c, &arch))
				goto bad;
			continue;
		}
		if (key_is(&k, "schema_version") || key_is(&k, "pid_form") ||
		    key_is(&k, "time_clock") || key_is(&k, "time_digits") ||
		    key_is(&k, "rel_digits") || key_is(&k, "rel_width") ||
		    key_is(&k, "duration_digits") || key_is(&k, "numbers_from_arch")) {
			if (!get_uint(&c, &u, 255))
				goto bad;
			if (key_is(&k, "schema_version") &&
			    (st = sr_wire_build_schema(r, u, err)) < 0)
				return st;
			if (key_is(&k, "pid_form"))
				r->hdr.pid_form = (uint8_t)u;
			else if (key_is(&k, "time_clock"))
				r->hdr.time_clock = (uint8_t)u;
			else if (key_is(&k, "time_digits"))
				r->hdr.time_digits = (uint8_t)u;
			else if (key_is(&k, "rel_digits"))
				r->hdr.rel_digits = (uint8_t)u;
			else if (key_is(&k, "rel_width"))
				r->hdr.rel_width = (uint8_t)u;
			else if (key_is(&k, "duration_digits"))
				r->hdr.dur_digits = (uint8_t)u;
			else if (key_is(&k, "numbers_from_arch"))
				nfa = u != 0;
			continue;
		}
		if (!skip_value(&c))
			goto bad;
	}
	if (!magic) {
		sr_error_set(err, SR_ERR_FORMAT,
			     "cannot read msgpack input: byte=%llu: not a sysrep stream (no \"sysrep\" header key)",
			     /* the header's position (hostile-input suite) */
			     (unsigned long long)c.base_off);
		sr_error_file(err, sr_source_name(r->in));
		return SR_ERR_FORMAT;
	}
	if (nfa) {
		char name[32];

		snprintf(name, sizeof(name), "%.*s", (int)arch.len, arch.ptr);
		if ((st = sr_wire_build_arch(r, true, name, err)) < 0)
			return st;
	}
	r->pos += n;
	r->started = true;
	r->next_line = 1;
	return SR_OK;
bad:
	if (!c.why)
		fail(&c, "the header map");
	return parse_error(r, &c, err);
}

static enum sr_status mp_next(struct sr_reader *rd, struct sr_batch *b, struct sr_error *err)
{
	struct sr_wire_in *r = sr_wire_reader_in(rd);
	enum sr_status st;
	size_t n;
	int w;

	sr_batch_reset(b);
	b->source = sr_source_name(r->in);
	if (!r->started && (st = read_header(r, err)) < 0)
		return st;
	while (b->n < BATCH_EVENTS) {
		struct cur c;
		struct sr_event *ev;

		w = whole(r, &n, err);
		if (w < 0)
			return (enum sr_status)w;
		if (w == 0) {
			/* the buffer may move only between batches */
			if (b->n || (r->eof && r->pos == r->len))
				break;
			if ((st = fill(r, err)) < 0)
				return st;
			continue;
		}
		ev = sr_batch_push(b);
		if (!ev)
			return sr_error_set(err, SR_ERR_NOMEM, "cannot read msgpack input: out of memory");
		cur_init(r, &c, b);
		if (!get_event(&c, ev)) {
			b->n--; /* the caller keeps the whole events before it */
			return parse_error(r, &c, err);
		}
		r->pos += n;
	}
	return b->n ? SR_OK : SR_END;
}

/* A map whose first key is "sysrep". */
static int mp_probe(const void *head, size_t n)
{
	const unsigned char *p = head;
	size_t k = 0;

	if (n < 10)
		return 0;
	if ((p[0] & 0xf0) == 0x80)
		k = 1;
	else if (p[0] == 0xde)
		k = 3;
	else
		return 0;
	return n >= k + 7 && !memcmp(p + k, "\xa6sysrep", 7) ? 100 : 0;
}

static enum sr_status spelled_open(struct sr_reader **rp, struct sr_source *in,
				   const struct sr_opts *opts, struct sr_error *err)
{
	(void)opts;
	return sr_wire_reader_open(rp, in, "msgpack", err);
}

/* in_msgpack_sem.c's reader hands a spelled stream to this one */
const struct sr_reader_class sr_in_msgpack_spelled = {
	.name = "msgpack", .exts = ".msgpack,.mpk",
	.summary = "sysrep's MessagePack stream, spelled form",
	.probe = mp_probe, .open = spelled_open, .next = mp_next, .close = sr_wire_reader_close,
};
