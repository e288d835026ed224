/*
 * in_json.c - the JSON reader: one reader for four shapes, told apart per
 * object by its keys (docs/json-input.md):
 *
 *   - sysrep's own JSON Lines (-t jsonl) and JSON array (-t json): every key
 *     of docs/jsonl-schema.md, and the "fmt" extras, so that
 *     strace -> jsonl -> strace gives back the input bytes;
 *   - strace's structured output (the unmerged "-B json" branch): objects
 *     with "cmd", integers as strings, one per line or in an array;
 *   - posix-omni-parser JSON: objects with "syscall" and "args" flattened
 *     into one Python tuple string, typed again here as far as it allows.
 *
 * Parsing is jansson's: a chunk of input is kept in a buffer and each
 * top-level object is decoded with json_loadb(JSON_DISABLE_EOF_CHECK), which
 * says how many bytes it used, so an array of a million events is read one
 * element at a time like JSON Lines, and memory stays bounded by a batch.
 * Everything an event keeps is copied into the batch arena before the
 * jansson tree is freed.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json_emit.h"
#include "strace_internal.h"

#define CHUNK (1u << 20)
#define BATCH_EVENTS 4096
#define MAX_DEPTH 200
#define JFLAGS (JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL)

enum shape { SHAPE_SYSREP = 1, SHAPE_BJSON, SHAPE_OMNI };

struct sr_reader {
	struct sr_source *in;	 /* borrowed */
	char *buf;		 /* owned: input not yet decoded is buf[pos..len) */
	size_t len, cap, pos;
	bool eof;
	uint64_t line;		 /* 1-based line of buf[pos] */
	uint32_t col;		 /* 0-based column of buf[pos] */
	bool started, array, done;
	uint64_t nobj;		 /* top-level objects decoded */
	uint8_t last_pf;	 /* pid form of the last event with a pid */
	char nonce[48];		 /* marks integers too big for jansson (see rescue) */
	size_t nonce_len;
	struct sr_buf scratch;	 /* owned: printing, rebuilt texts */
	struct sr_buf fix;	 /* owned: an object with big integers rewritten */
};

/* The decoding context of one object. */
struct dctx {
	struct sr_reader *r;
	struct sr_batch *b;
	bool oom;
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

static struct sr_str dup_str(struct dctx *c, const char *s, size_t n)
{
	char *p = sr_arena_memdup(c->b->arena, s, n);

	if (!p) {
		c->oom = true;
		return (struct sr_str){ "", 0 };
	}
	return (struct sr_str){ p, n };
}

static struct sr_str jstr(struct dctx *c, const json_t *v)
{
	if (!json_is_string(v))
		return (struct sr_str){ "", 0 };
	return dup_str(c, json_string_value(v), json_string_length(v));
}

static const struct sr_atom *jatom(struct dctx *c, const json_t *v)
{
	const struct sr_atom *a;

	if (!json_is_string(v) || !json_string_length(v))
		return NULL;
	a = sr_intern(c->b->atoms, json_string_value(v), json_string_length(v));
	if (!a)
		c->oom = true;
	return a;
}

static struct sr_value *new_values(struct dctx *c, size_t n)
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

static int hexval(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* Bytes from a lowercase or uppercase hex string; NULL view when odd. */
static struct sr_str unhex(struct dctx *c, const char *s, size_t n)
{
	char *d = sr_arena_alloc(c->b->arena, n / 2 + 1);
	size_t i;

	if (!d) {
		c->oom = true;
		return (struct sr_str){ "", 0 };
	}
	for (i = 0; i + 1 < n; i += 2) {
		int h = hexval((unsigned char)s[i]), l = hexval((unsigned char)s[i + 1]);

		if (h < 0 || l < 0)
			break;
		d[i / 2] = (char)(h << 4 | l);
	}
	return (struct sr_str){ d, i / 2 };
}

static int64_t jint(const json_t *v, int64_t def)
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

static bool jtrue(const json_t *v)
{
	return json_is_true(v);
}

/* An integer too big for jansson, rewritten by rescue() into a string
 * "<nonce><digits>": its value, or false. */
static bool big_int(struct sr_reader *r, const json_t *v, uint64_t *u)
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
static bool spelled_int(const char *s, size_t n, struct sr_value *v)
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
		int d = hexval((unsigned char)*p);

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

/* ------------------------------------------------------------------ */
/* sysrep's typed values                                               */

static bool sysrep_value(struct dctx *c, const json_t *j, struct sr_value *v, int depth,
			 bool member);

static bool sysrep_list(struct dctx *c, const json_t *a, struct sr_value *v, int depth,
			bool member)
{
	size_t i, n = json_array_size(a);

	v->kids = new_values(c, n);
	v->nkids = (uint32_t)n;
	for (i = 0; i < n && !c->oom; i++)
		if (!sysrep_value(c, json_array_get(a, i), &v->kids[i], depth, member))
			return false;
	return !c->oom;
}

/* The typed-value tag of object o (index into json_emit.c's table) when
 * every key is allowed with its first key; -1: o is a struct. */
static int object_tag(const json_t *o)
{
	const char *k;
	json_t *x;
	int tag = -1;
	bool first = true;

	json_object_foreach((json_t *)o, k, x) {
		if (first) {
			tag = sr_json_tag(k, strlen(k));
			if (tag < 0)
				return -1;
			first = false;
		} else if (!sr_json_tag_allows(tag, k, strlen(k))) {
			return -1;
		}
	}
	return tag;
}

static bool struct_members(struct dctx *c, const json_t *o, struct sr_value *v, int depth)
{
	const char *k;
	json_t *x;
	size_t i = 0;

	v->kind = SR_V_STRUCT;
	v->kids = new_values(c, json_object_size(o));
	v->nkids = (uint32_t)json_object_size(o);
	json_object_foreach((json_t *)o, k, x) {
		struct sr_value *kid = &v->kids[i++];

		if (c->oom)
			return false;
		if (!strcmp(k, "...") && json_is_true(x)) {
			kid->kind = SR_V_ELLIPSIS;
			continue;
		}
		if (!sysrep_value(c, x, kid, depth, false))
			return false;
		kid->name = dup_str(c, k, strlen(k));
	}
	return !c->oom;
}

static bool sysrep_object(struct dctx *c, const json_t *o, struct sr_value *v, int depth)
{
	const char *first = NULL;
	json_t *x;
	int tag = object_tag(o);

	if (tag >= 0) {
		void *it = json_object_iter((json_t *)o);

		first = json_object_iter_key(it);
	}
	if (!first)
		return struct_members(c, o, v, depth);
	if (!strcmp(first, "int")) {
		x = json_object_get(o, "int");
		v->kind = SR_V_INT;
		if (big_int(c->r, x, &v->num.u))
			v->flags |= SR_VF_UNSIGNED;
		else
			v->num.i = jint(x, 0);
		v->text = jstr(c, json_object_get(o, "text"));
	} else if (!strcmp(first, "hex") || !strcmp(first, "oct")) {
		x = json_object_get(o, first);
		if (!json_is_string(x))
			return struct_members(c, o, v, depth);
		v->text = jstr(c, x);
		if (!spelled_int(v->text.ptr, v->text.len, v)) {
			v->kind = SR_V_INT;
			v->base = first[0] == 'h' ? SR_BASE_HEX : SR_BASE_OCT;
		}
		v->base = first[0] == 'h' ? SR_BASE_HEX : SR_BASE_OCT;
		v->flags |= SR_VF_UNSIGNED;
	} else if (!strcmp(first, "str")) {
		const char *style;

		v->kind = SR_V_STR;
		x = json_object_get(o, "hex");
		if (json_is_string(x))
			v->text = unhex(c, json_string_value(x), json_string_length(x));
		else
			v->text = jstr(c, json_object_get(o, "str"));
		if (jtrue(json_object_get(o, "truncated")))
			v->flags |= SR_VF_TRUNC;
		if (jtrue(json_object_get(o, "abstract")))
			v->flags |= SR_VF_ABSTRACT;
		style = json_string_value(json_object_get(o, "style"));
		if (style && !strcmp(style, "hex"))
			v->flags |= SR_VF_HEX_ALL;
		else if (style && !strcmp(style, "hex_chars"))
			v->flags |= SR_VF_HEX_CHARS;
	} else if (!strcmp(first, "ident")) {
		v->kind = SR_V_IDENT;
		v->text = jstr(c, json_object_get(o, "ident"));
	} else if (!strcmp(first, "flags") || !strcmp(first, "set")) {
		x = json_object_get(o, first);
		if (!json_is_array(x))
			return struct_members(c, o, v, depth);
		v->kind = first[0] == 'f' ? SR_V_FLAGS : SR_V_SET;
		if (jtrue(json_object_get(o, "complement")))
			v->flags |= SR_VF_COMPLEMENT;
		return sysrep_list(c, x, v, depth, true);
	} else if (!strcmp(first, "fd") || !strcmp(first, "path")) {
		x = json_object_get(o, "fd");
		v->kind = SR_V_FD;
		if (x) {
			v->kids = new_values(c, 1);
			v->nkids = 1;
			if (!v->kids || !sysrep_value(c, x, v->kids, depth, false))
				return false;
		}
		x = json_object_get(o, "text");
		v->text = jstr(c, x ? x : json_object_get(o, "path"));
		if (jtrue(json_object_get(o, "inside")))
			v->flags |= SR_VF_DELETED_IN;
		else if (jtrue(json_object_get(o, "deleted")))
			v->flags |= SR_VF_DELETED;
	} else if (!strcmp(first, "call")) {
		x = json_object_get(o, "args");
		v->kind = SR_V_CALL;
		v->text = jstr(c, json_object_get(o, "call"));
		if (json_is_array(x))
			return sysrep_list(c, x, v, depth, false);
	} else if (!strcmp(first, "changed")) {
		x = json_object_get(o, "changed");
		if (!json_is_array(x))
			return struct_members(c, o, v, depth);
		v->kind = SR_V_CHANGED;
		if (json_is_string(json_object_get(o, "arrow")))
			v->flags |= SR_VF_OLD_ARROW;
		return sysrep_list(c, x, v, depth, false);
	} else if (!strcmp(first, "value") || !strcmp(first, "comment")) {
		const json_t *t = json_object_get(o, "text");

		x = json_object_get(o, "value");
		v->kind = SR_V_COMMENT;
		if (x) {
			v->kids = new_values(c, 1);
			v->nkids = 1;
			if (!v->kids || !sysrep_value(c, x, v->kids, depth, false))
				return false;
		}
		if (t) {
			v->text = jstr(c, t);
		} else {
			/* " body ": the form sr_json_comment() trims */
			const json_t *cm = json_object_get(o, "comment");
			size_t n = json_string_length(cm);
			char *p = sr_arena_alloc(c->b->arena, n + 3);

			if (!p)
				return !(c->oom = true);
			p[0] = ' ';
			memcpy(p + 1, json_string_value(cm) ? json_string_value(cm) : "", n);
			p[n + 1] = ' ';
			v->text = (struct sr_str){ p, n + 2 };
		}
	} else if (!strcmp(first, "ellipsis")) {
		v->kind = SR_V_ELLIPSIS;
	} else if (!strcmp(first, "expr")) {
		const json_t *spaced = json_object_get(o, "spaced");

		x = json_object_get(o, "expr");
		if (!json_is_array(x) || json_array_size(x) != 3)
			return struct_members(c, o, v, depth);
		v->kind = SR_V_EXPR;
		v->text = jstr(c, json_array_get(x, 1));
		v->kids = new_values(c, 2);
		v->nkids = 2;
		if (!v->kids || !sysrep_value(c, json_array_get(x, 0), &v->kids[0], depth, false) ||
		    !sysrep_value(c, json_array_get(x, 2), &v->kids[1], depth, false))
			return false;
		if (spaced ? json_is_true(spaced) : sr_json_expr_spaced(v->text.ptr, v->text.len))
			v->flags |= SR_VF_SPACED;
	} else if (!strcmp(first, "index")) {
		v->kind = SR_V_INDEX;
		v->kids = new_values(c, 2);
		v->nkids = 2;
		if (!v->kids ||
		    !sysrep_value(c, json_object_get(o, "index"), &v->kids[0], depth, false) ||
		    !sysrep_value(c, json_object_get(o, "value"), &v->kids[1], depth, false))
			return false;
	} else if (!strcmp(first, "struct")) {
		size_t i, n;

		x = json_object_get(o, "struct");
		if (!json_is_array(x))
			return struct_members(c, o, v, depth);
		n = json_array_size(x);
		v->kind = SR_V_STRUCT;
		if (jtrue(json_object_get(o, "spaced")))
			v->flags |= SR_VF_SPACED;
		v->kids = new_values(c, n);
		v->nkids = (uint32_t)n;
		for (i = 0; i < n && !c->oom; i++) {
			const json_t *m = json_array_get(x, i);

			if (!sysrep_value(c, json_object_get(m, "value"), &v->kids[i], depth, false))
				return false;
			v->kids[i].name = jstr(c, json_object_get(m, "name"));
		}
	} else if (!strcmp(first, "named")) {
		if (!sysrep_value(c, json_object_get(o, "value"), v, depth, false))
			return false;
		v->name = jstr(c, json_object_get(o, "named"));
	} else {
		return struct_members(c, o, v, depth);
	}
	return !c->oom;
}

static bool sysrep_value(struct dctx *c, const json_t *j, struct sr_value *v, int depth,
			 bool member)
{
	if (++depth > MAX_DEPTH || c->oom)
		return false;
	memset(v, 0, sizeof(*v));
	switch (json_typeof(j)) {
	case JSON_INTEGER:
		v->kind = SR_V_INT;
		v->num.i = (int64_t)json_integer_value(j);
		return true;
	case JSON_REAL: {
		/* not written by sysrep: keep the number as a word */
		char tmp[40];
		int n = snprintf(tmp, sizeof(tmp), "%.17g", json_real_value(j));

		v->kind = SR_V_IDENT;
		v->text = dup_str(c, tmp, (size_t)n);
		return !c->oom;
	}
	case JSON_STRING:
		if (big_int(c->r, j, &v->num.u)) {
			v->kind = SR_V_INT;
			v->flags |= SR_VF_UNSIGNED;
			return true;
		}
		/* inside flags and sets a plain string is a bare word */
		v->kind = member ? SR_V_IDENT : SR_V_STR;
		v->text = jstr(c, j);
		return !c->oom;
	case JSON_ARRAY:
		v->kind = SR_V_ARRAY;
		return sysrep_list(c, j, v, depth, false);
	case JSON_OBJECT:
		return sysrep_object(c, j, v, depth);
	case JSON_TRUE:
	case JSON_FALSE:
		v->kind = SR_V_IDENT;
		v->text = json_is_true(j) ? SR_STR("true") : SR_STR("false");
		return true;
	case JSON_NULL:
	default:
		v->kind = SR_V_NULL;
		return true;
	}
}

/* ------------------------------------------------------------------ */
/* sysrep events                                                       */

static const char *const kind_names[SR_E__COUNT] = {
	[SR_E_SYSCALL] = "syscall", [SR_E_UNFINISHED] = "unfinished", [SR_E_SIGNAL] = "signal",
	[SR_E_EXIT] = "exit",	    [SR_E_KILLED] = "killed",	      [SR_E_SUPERSEDED] = "superseded",
	[SR_E_MESSAGE] = "message", [SR_E_SUMMARY] = "summary",	      [SR_E_UNPARSED] = "unparsed",
};

static const char *const row_names[] = { "", "header", "rule", "row", "total" };

/* A time from a JSON number and the fmt keys of prefix p (see out_jsonl.c:
 * put_time_fmt).  kind: 0 absolute, 1 "rel", 2 "duration". */
static void read_time(const json_t *num, const json_t *fmt, char p, int kind, struct sr_time *t)
{
	char k[4] = { p, 'c', 0, 0 };
	const json_t *x;
	double v;
	uint32_t unit = 1, i, scale = 1;
	bool have_ns;
	int64_t ns = 0;

	memset(t, 0, sizeof(*t));
	if (json_is_integer(num)) {
		t->sec = (int64_t)json_integer_value(num);
		v = (double)t->sec;
		t->digits = 0;
	} else {
		v = json_number_value(num);
		/* as in jint: a time no int64_t holds (or NaN) would be an
		 * undefined conversion below; it becomes 0 */
		if (!(v > -9.2e18 && v < 9.2e18))
			v = 0;
		t->digits = 6;
	}
	x = json_object_get(fmt, k);
	if (json_is_string(x)) {
		const char *s = json_string_value(x);

		t->clock = !strcmp(s, "tod")	 ? SR_CLOCK_TOD
			   : !strcmp(s, "epoch") ? SR_CLOCK_EPOCH
			   : !strcmp(s, "rel")	 ? SR_CLOCK_REL
						 : SR_CLOCK_NONE;
	} else if (kind == 0) {
		t->clock = v >= 0 && v < 86400 ? SR_CLOCK_TOD : SR_CLOCK_EPOCH;
	} else {
		t->clock = SR_CLOCK_REL;
	}
	k[1] = 'd';
	if ((x = json_object_get(fmt, k)))
		t->digits = (uint8_t)jint(x, 6);
	if (t->digits > 9)
		t->digits = 9;
	k[1] = 'n';
	k[2] = 's';
	x = json_object_get(fmt, k);
	have_ns = x != NULL;
	if (have_ns)
		ns = jint(x, 0);
	for (i = t->digits; i < 9; i++)
		unit *= 10;
	for (i = 0; i < t->digits; i++)
		scale *= 10;
	if (!json_is_integer(num)) {
		if (have_ns) {
			t->sec = (int64_t)llround(v - (double)ns / 1e9);
			t->nsec = (uint32_t)ns;
		} else {
			double fl = floor(v);
			int64_t q = (int64_t)llround((v - fl) * scale);

			t->sec = (int64_t)fl;
			if (q >= scale) {
				t->sec++;
				q -= scale;
			}
			t->nsec = (uint32_t)q * unit;
		}
	} else if (have_ns) {
		t->nsec = (uint32_t)ns;
	}
	t->width = kind == 1 ? 6 : 0;
	if (t->clock == SR_CLOCK_EPOCH)
		t->width = (uint8_t)sr_json_digits10((uint64_t)t->sec);
	k[1] = 'w';
	k[2] = 0;
	if ((x = json_object_get(fmt, k)))
		t->width = (uint8_t)jint(x, 0);
}

static bool sysrep_return(struct dctx *c, const json_t *o, const json_t *fmt, struct sr_event *ev)
{
	const json_t *ret = json_object_get(o, "return");
	const json_t *rv = json_object_get(o, "return_value");
	const json_t *rt = json_object_get(o, "return_text");
	const json_t *rfd = json_object_get(o, "return_fd");
	const json_t *rcm = json_object_get(o, "return_comment");
	struct sr_value *iv, *fd = NULL, *cm = NULL;

	if (rv) {
		ev->has_ret = true;
		ev->ret = new_values(c, 1);
		return ev->ret && sysrep_value(c, rv, ev->ret, 0, false);
	}
	if (!ret)
		return true;
	ev->has_ret = true;
	if (json_is_null(ret))
		return true;
	iv = new_values(c, 3);
	if (!iv)
		return false;
	iv->kind = SR_V_INT;
	if (json_is_string(rt)) {
		iv->text = jstr(c, rt);
		spelled_int(iv->text.ptr, iv->text.len, iv);
	} else if (big_int(c->r, ret, &iv->num.u)) {
		iv->flags |= SR_VF_UNSIGNED;
	} else {
		iv->num.i = jint(ret, 0);
	}
	if (json_object_get(fmt, "rtext"))
		iv->text = jstr(c, json_object_get(fmt, "rtext"));
	ev->ret = iv;
	if (rfd) {
		const json_t *raw = json_object_get(fmt, "rfd");

		fd = iv + 1;
		fd->kind = SR_V_FD;
		fd->text = jstr(c, raw ? raw : rfd);
		if (jtrue(json_object_get(fmt, "rfdin")))
			fd->flags |= SR_VF_DELETED_IN;
		else if (jtrue(json_object_get(o, "return_fd_deleted")))
			fd->flags |= SR_VF_DELETED;
	}
	if (rcm) {
		const json_t *raw = json_object_get(fmt, "rcm");

		cm = iv + 2;
		cm->kind = SR_V_COMMENT;
		if (raw) {
			cm->text = jstr(c, raw);
		} else {
			size_t n = json_string_length(rcm);
			char *p = sr_arena_alloc(c->b->arena, n + 3);

			if (!p)
				return !(c->oom = true);
			p[0] = ' ';
			memcpy(p + 1, json_string_value(rcm) ? json_string_value(rcm) : "", n);
			p[n + 1] = ' ';
			cm->text = (struct sr_str){ p, n + 2 };
		}
	}
	/* innermost first: the integer, then fd and comment in the order
	 * the writer said (comment outside by default) */
	{
		struct sr_value *order[2] = { fd, cm }, *cur = iv, tmp;
		int k;

		if (jtrue(json_object_get(fmt, "rcin"))) {
			order[0] = cm;
			order[1] = fd;
		}
		for (k = 0; k < 2; k++) {
			struct sr_value *w = order[k];

			if (!w)
				continue;
			/* w wraps cur: cur moves into a fresh slot */
			tmp = *cur;
			w->kids = new_values(c, 1);
			if (!w->kids)
				return false;
			*w->kids = tmp;
			w->nkids = 1;
			cur = w;
		}
		ev->ret = cur;
	}
	return !c->oom;
}

/* Merges the three attachment groups back into the printed order. */
static bool sysrep_attach(struct dctx *c, const json_t *o, const json_t *fmt, struct sr_event *ev)
{
	static const char *const keys[] = { "stack", "dump", "attached", "inserted" };
	const json_t *g[4];
	size_t n = 0, at[4] = { 0, 0, 0, 0 }, i;
	const char *order = json_string_value(json_object_get(fmt, "att"));

	for (i = 0; i < 4; i++) {
		g[i] = json_object_get(o, keys[i]);
		n += json_array_size(g[i]);
	}
	if (!n)
		return true;
	ev->att = sr_arena_alloc(c->b->arena, n * sizeof(*ev->att));
	if (!ev->att)
		return !(c->oom = true);
	memset(ev->att, 0, n * sizeof(*ev->att));
	ev->natt = (uint32_t)n;
	for (i = 0; i < n; i++) {
		struct sr_attach *a = &ev->att[i];
		unsigned int k = 0;
		const json_t *x, *t;

		if (order && order[i] >= '0' && order[i] <= '3') {
			k = (unsigned int)(order[i] - '0');
		} else {
			while (k < 3 && at[k] >= json_array_size(g[k]))
				k++;
		}
		x = json_array_get(g[k], at[k]++);
		if (!x)
			continue;
		if (k == 3) {
			/* text strace or the program wrote into the line itself */
			const json_t *h = json_object_get(x, "hex");
			const char *kd = json_string_value(json_object_get(x, "kind"));

			a->kind = kd && !strcmp(kd, "output") ? SR_A_OUTPUT : SR_A_SPLICE;
			a->addr = (uint64_t)jint(json_object_get(x, "at"), 0);
			a->text = h ? unhex(c, json_string_value(h), json_string_length(h))
				    : jstr(c, json_object_get(x, "text"));
			continue;
		}
		if (k == 2 || json_is_string(x)) {
			a->kind = SR_A_TEXT;
			a->text = jstr(c, x);
			continue;
		}
		if (k == 0) {
			a->kind = SR_A_FRAME;
			a->module = jstr(c, json_object_get(x, "module"));
			a->symbol = jstr(c, json_object_get(x, "symbol"));
			a->offset = (uint64_t)jint(json_object_get(x, "offset"), 0);
			a->addr = (uint64_t)jint(json_object_get(x, "addr"), 0);
		} else if (json_object_get(x, "iov_bytes")) {
			a->kind = SR_A_IOV;
			a->addr = (uint64_t)jint(json_object_get(x, "iov_bytes"), 0);
			a->offset = (uint64_t)jint(json_object_get(x, "buffer"), 0);
		} else {
			const json_t *h = json_object_get(x, "hex");

			a->kind = SR_A_DUMP;
			a->addr = (uint64_t)jint(json_object_get(x, "offset"), 0);
			a->bytes = unhex(c, json_string_value(h) ? json_string_value(h) : "",
					 json_string_length(h));
		}
		t = json_object_get(x, "text");
		if (t) {
			a->text = jstr(c, t);
		} else {
			c->r->scratch.len = 0;
			sr_json_attach_text(&c->r->scratch, a);
			a->text = dup_str(c, c->r->scratch.p ? c->r->scratch.p : "",
					  c->r->scratch.len);
		}
	}
	return !c->oom;
}

static void sysrep_summary(struct dctx *c, const json_t *o, const json_t *fmt, struct sr_event *ev)
{
	struct sr_summary *s = sr_arena_alloc(c->b->arena, sizeof(*s));
	const char *row = json_string_value(json_object_get(o, "row"));
	const json_t *cols = json_object_get(fmt, "cols"), *w = json_object_get(fmt, "widths");
	const json_t *x;
	size_t i;

	if (!s) {
		c->oom = true;
		return;
	}
	memset(s, 0, sizeof(*s));
	for (i = 1; row && i < 5; i++)
		if (!strcmp(row, row_names[i]))
			s->row = (uint8_t)i;
	for (i = 0; i < json_array_size(cols) && i < SR_SUM_MAXCOLS; i++) {
		s->col[i] = (uint8_t)jint(json_array_get(cols, i), 0);
		s->width[i] = (uint8_t)jint(json_array_get(w, i), 0);
	}
	s->ncols = (uint8_t)i;
	s->has = (uint16_t)jint(json_object_get(fmt, "has"), 0);
	if ((x = json_object_get(o, "percent")))
		s->pct = json_number_value(x);
	if ((x = json_object_get(o, "seconds")))
		s->seconds = json_number_value(x);
	if ((x = json_object_get(o, "shortest")))
		s->min = json_number_value(x);
	if ((x = json_object_get(o, "longest")))
		s->max = json_number_value(x);
	s->usecs = (uint64_t)jint(json_object_get(o, "usecs_per_call"), 0);
	s->calls = (uint64_t)jint(json_object_get(o, "calls"), 0);
	if ((x = json_object_get(o, "errors"))) {
		s->errors = (uint64_t)jint(x, 0);
		s->has_errors = true;
	}
	if (!s->has) {
		/* no layout given (not written by sysrep): what was written */
		static const char *const keys[] = { [SR_SC_PCT] = "percent",
						    [SR_SC_SECONDS] = "seconds",
						    [SR_SC_MIN] = "shortest",
						    [SR_SC_MAX] = "longest",
						    [SR_SC_USECS] = "usecs_per_call",
						    [SR_SC_CALLS] = "calls",
						    [SR_SC_ERRORS] = "errors" };

		for (i = SR_SC_PCT; i <= SR_SC_ERRORS; i++)
			if (json_object_get(o, keys[i]))
				s->has |= (uint16_t)(1u << i);
	} else {
		s->has_errors = (s->has >> SR_SC_ERRORS) & 1;
	}
	ev->sum = s;
}

/* The spaces strace prints before "= ": up to column 40, at least one. */
static uint32_t default_pad(struct sr_reader *r, const struct sr_event *ev)
{
	struct sr_event tmp = *ev;

	tmp.has_ret = false;
	tmp.duration.clock = SR_CLOCK_NONE;
	r->scratch.len = 0;
	sr_strace_print_event(&r->scratch, &tmp);
	return r->scratch.len < 39 ? (uint32_t)(40 - r->scratch.len) : 1;
}

static bool sysrep_event(struct dctx *c, const json_t *o, struct sr_event *ev)
{
	struct sr_reader *r = c->r;
	const json_t *fmt = json_object_get(o, "fmt");
	const char *type = json_string_value(json_object_get(o, "type"));
	const json_t *x, *args, *t1, *t2;
	struct sr_leader *l = &ev->lead;
	size_t i;
	bool resumed_time;

	ev->kind = SR_E_SYSCALL;
	for (i = 1; type && i < SR_E__COUNT; i++)
		if (!strcmp(type, kind_names[i]))
			ev->kind = (uint8_t)i;
	if ((x = json_object_get(o, "line")))
		ev->line = (uint64_t)jint(x, 0);
	if ((x = json_object_get(o, "pid")))
		l->pid = jint(x, -1);
	l->comm = jstr(c, json_object_get(o, "comm"));
	l->secontext = jstr(c, json_object_get(o, "secontext"));
	if ((x = json_object_get(o, "ip"))) {
		l->has_ip = true;
		l->ip_digits = (uint8_t)jint(json_object_get(fmt, "ipw"), 16);
		if (json_is_null(x))
			l->ip_unknown = true;
		else
			l->ip = strtoull(json_string_value(x) ? json_string_value(x) : "0", NULL, 16);
	}
	/* time is the start of a resumed call; resumed_time its line's time */
	t1 = json_object_get(o, "time");
	t2 = json_object_get(o, "resumed_time");
	resumed_time = t1 && t2;
	if (resumed_time) {
		read_time(t1, fmt, 't', 0, &ev->start);
		read_time(t2, fmt, 'u', 0, &l->time);
	} else if (t1) {
		read_time(t1, fmt, 't', 0, &l->time);
	}
	if ((x = json_object_get(o, "rel")))
		read_time(x, fmt, 'r', 1, &l->rel);
	if ((x = json_object_get(o, "duration")))
		read_time(x, fmt, 'd', 2, &ev->duration);
	if ((x = json_object_get(o, "syscall")) || (x = json_object_get(o, "signal")))
		ev->name = jatom(c, x);
	if ((x = json_object_get(o, "nr")))
		ev->nr = (int32_t)jint(x, -1);
	if ((x = json_object_get(fmt, "nw"))) {
		l->has_nr = true;
		l->nr_width = (uint8_t)jint(x, 0);
		l->nr_unknown = jtrue(json_object_get(fmt, "nu"));
		l->nr = (int32_t)jint(json_object_get(fmt, "nv"), ev->nr);
	}
	args = json_object_get(o, "args");
	if (json_is_array(args)) {
		const json_t *names = json_object_get(fmt, "argn");

		ev->nargs = (uint32_t)json_array_size(args);
		ev->args = new_values(c, ev->nargs);
		for (i = 0; i < ev->nargs && !c->oom; i++) {
			if (!sysrep_value(c, json_array_get(args, i), &ev->args[i], 0, false))
				return false;
			ev->args[i].name = jstr(c, json_array_get(names, i));
		}
	} else if ((x = json_object_get(o, "info"))) {
		ev->nargs = 1;
		ev->args = new_values(c, 1);
		if (!ev->args || !sysrep_value(c, x, ev->args, 0, false))
			return false;
	}
	if (!sysrep_return(c, o, fmt, ev))
		return false;
	ev->err = jatom(c, json_object_get(o, "errno"));
	ev->errmsg = jstr(c, json_object_get(o, "errmsg"));
	if ((x = json_object_get(o, "notes")) && json_array_size(x)) {
		ev->nnotes = (uint32_t)json_array_size(x);
		ev->notes = sr_arena_alloc(c->b->arena, ev->nnotes * sizeof(*ev->notes));
		if (!ev->notes)
			return !(c->oom = true);
		for (i = 0; i < ev->nnotes; i++)
			ev->notes[i] = jstr(c, json_array_get(x, i));
	}
	ev->unavail = jstr(c, json_object_get(o, "unavailable"));
	if (jtrue(json_object_get(o, "resumed")))
		ev->flags |= SR_EF_RESUMED;
	if (jtrue(json_object_get(o, "detached")))
		ev->flags |= SR_EF_DETACHED;
	if (jtrue(json_object_get(o, "orphan")))
		ev->flags |= SR_EF_ORPHAN;
	if (jtrue(json_object_get(o, "core_dumped")))
		ev->flags |= SR_EF_CORE;
	if (jtrue(json_object_get(o, "stopped")))
		ev->flags |= SR_EF_STOPPED;
	if (jtrue(json_object_get(fmt, "sepcut")))
		ev->flags |= SR_EF_SEP_CUT;
	if (jtrue(json_object_get(fmt, "noparen")))
		ev->flags |= SR_EF_NO_PAREN;
	if (jtrue(json_object_get(fmt, "rcut")))
		ev->flags |= SR_EF_RESUMED_CUT;
	if (jtrue(json_object_get(fmt, "bare")))
		ev->flags |= SR_EF_BARE_RESUME;
	if (jtrue(json_object_get(fmt, "crlf")))
		ev->flags |= SR_EF_CRLF;
	if (jtrue(json_object_get(fmt, "noeol")))
		ev->flags |= SR_EF_NO_EOL;
	if ((x = json_object_get(o, "status")) || (x = json_object_get(o, "old_pid")))
		ev->code = jint(x, 0);
	if ((x = json_object_get(o, "text")) || (x = json_object_get(o, "verbatim")) ||
	    (x = json_object_get(fmt, "text")))
		ev->text = jstr(c, x);
	if ((x = json_object_get(fmt, "texthex")))
		ev->text = unhex(c, json_string_value(x), json_string_length(x));
	if (json_object_get(o, "verbatim"))
		ev->flags |= SR_EF_VERBATIM;
	if (ev->kind == SR_E_SUMMARY)
		sysrep_summary(c, o, fmt, ev);
	if (!sysrep_attach(c, o, fmt, ev))
		return false;
	if (ev->flags & SR_EF_VERBATIM || ev->kind == SR_E_UNPARSED)
		return !c->oom;
	/* the defaults out_jsonl.c left out */
	if (l->pid >= 0) {
		const char *pf = json_string_value(json_object_get(fmt, "pid"));

		l->pid_form = r->last_pf;
		if (pf)
			l->pid_form = !strcmp(pf, "plain")	? SR_PID_PLAIN
				      : !strcmp(pf, "bracket") ? SR_PID_BRACKET
							       : SR_PID_NONE;
		r->last_pf = l->pid_form;
	}
	if (ev->flags & SR_EF_RESUMED) {
		if ((x = json_object_get(fmt, "split")))
			ev->split = (uint32_t)jint(x, 0);
		else if (ev->name)
			ev->split = ev->name->len + 1;
	}
	if (ev->kind == SR_E_SYSCALL && ev->has_ret) {
		if ((x = json_object_get(fmt, "pad")))
			ev->pad = (uint16_t)jint(x, 0);
		else
			ev->pad = (uint16_t)default_pad(r, ev);
	}
	return !c->oom;
}

/* ------------------------------------------------------------------ */
/* strace -B json                                                      */

static bool is_word(const char *s, size_t n)
{
	size_t i;

	if (!n || !(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (i = 0; i < n; i++)
		if (!(s[i] == '_' || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

/* A string node: an integer spelling, a constant, or a string. */
static void bjson_string(struct dctx *c, const char *s, size_t n, struct sr_value *v, bool member)
{
	v->text = dup_str(c, s, n);
	if (spelled_int(s, n, v)) {
		if (v->base == SR_BASE_DEC)
			v->text = (struct sr_str){ "", 0 };
		return;
	}
	v->kind = member || is_word(s, n) ? SR_V_IDENT : SR_V_STR;
}

static bool bjson_value(struct dctx *c, const json_t *j, struct sr_value *v, int depth,
			bool member);

static bool bjson_list(struct dctx *c, const json_t *a, struct sr_value *v, int depth, bool member)
{
	size_t i, n = json_array_size(a);

	v->kids = new_values(c, n);
	v->nkids = (uint32_t)n;
	for (i = 0; i < n && !c->oom; i++)
		if (!bjson_value(c, json_array_get(a, i), &v->kids[i], depth, member))
			return false;
	return !c->oom;
}

/* The node kinds of the branch: null, string, partial string, int, array,
 * flags, struct, call, shift, index; each non-trivial one an object keyed
 * by its kind.  Unknown objects become structs. */
static bool bjson_value(struct dctx *c, const json_t *j, struct sr_value *v, int depth,
			bool member)
{
	const json_t *x;

	if (++depth > MAX_DEPTH || c->oom)
		return false;
	memset(v, 0, sizeof(*v));
	switch (json_typeof(j)) {
	case JSON_NULL:
		v->kind = SR_V_NULL;
		return true;
	case JSON_INTEGER:
		v->kind = SR_V_INT;
		v->num.i = (int64_t)json_integer_value(j);
		return true;
	case JSON_STRING:
		bjson_string(c, json_string_value(j), json_string_length(j), v, member);
		return !c->oom;
	case JSON_ARRAY:
		v->kind = SR_V_ARRAY;
		return bjson_list(c, j, v, depth, false);
	case JSON_OBJECT:
		break;
	default:
		v->kind = SR_V_IDENT;
		v->text = json_is_true(j) ? SR_STR("true") : SR_STR("false");
		return true;
	}
	if ((x = json_object_get(j, "string")) || (x = json_object_get(j, "str"))) {
		v->kind = SR_V_STR;
		v->text = jstr(c, x);
	} else if ((x = json_object_get(j, "partial_string")) ||
		   (x = json_object_get(j, "partial"))) {
		v->kind = SR_V_STR;
		v->flags |= SR_VF_TRUNC;
		v->text = jstr(c, x);
	} else if ((x = json_object_get(j, "int"))) {
		if (json_is_string(x))
			bjson_string(c, json_string_value(x), json_string_length(x), v, false);
		else
			return bjson_value(c, x, v, depth, false);
	} else if ((x = json_object_get(j, "flags"))) {
		v->kind = SR_V_FLAGS;
		return bjson_list(c, x, v, depth, true);
	} else if ((x = json_object_get(j, "array"))) {
		v->kind = SR_V_ARRAY;
		return bjson_list(c, x, v, depth, false);
	} else if ((x = json_object_get(j, "call"))) {
		const json_t *a = json_object_get(j, "args");

		v->kind = SR_V_CALL;
		v->text = jstr(c, x);
		if (json_is_array(a))
			return bjson_list(c, a, v, depth, false);
	} else if ((x = json_object_get(j, "shift")) || (x = json_object_get(j, "index"))) {
		bool shift = json_object_get(j, "shift") != NULL;

		v->kind = shift ? SR_V_EXPR : SR_V_INDEX;
		if (shift)
			v->text = SR_STR("<<");
		v->kids = new_values(c, 2);
		v->nkids = 2;
		if (!v->kids || !bjson_value(c, json_array_get(x, 0), &v->kids[0], depth, false) ||
		    !bjson_value(c, json_array_get(x, 1), &v->kids[1], depth, false))
			return false;
	} else {
		const char *k;
		json_t *m;
		size_t i = 0;

		if ((x = json_object_get(j, "struct")) && json_is_object(x))
			j = x;
		v->kind = SR_V_STRUCT;
		v->nkids = (uint32_t)json_object_size(j);
		v->kids = new_values(c, v->nkids);
		json_object_foreach((json_t *)j, k, m) {
			if (c->oom || !bjson_value(c, m, &v->kids[i], depth, false))
				return false;
			v->kids[i++].name = dup_str(c, k, strlen(k));
		}
	}
	return !c->oom;
}

/* errno names and their message, if the object has them. */
static void foreign_errno(struct dctx *c, const json_t *o, struct sr_event *ev)
{
	const json_t *x;

	if ((x = json_object_get(o, "errno")) || (x = json_object_get(o, "error")))
		ev->err = jatom(c, x);
	if ((x = json_object_get(o, "errmsg")) || (x = json_object_get(o, "strerror")))
		ev->errmsg = jstr(c, x);
}

static void foreign_pid(const json_t *o, struct sr_event *ev)
{
	const json_t *x = json_object_get(o, "pid");

	if (x) {
		ev->lead.pid = jint(x, -1);
		if (ev->lead.pid >= 0)
			ev->lead.pid_form = SR_PID_PLAIN;
	}
}

/* A return value printed as text: "0", "-1", "0x7f...", "-1 ENOENT (...)". */
static void text_return(struct dctx *c, const char *s, size_t n, struct sr_event *ev)
{
	size_t k = 0;

	ev->has_ret = true;
	while (k < n && s[k] != ' ')
		k++;
	if (k == 1 && s[0] == '?')
		return;
	ev->ret = new_values(c, 1);
	if (!ev->ret)
		return;
	bjson_string(c, s, k, ev->ret, false);
	if (k < n && !ev->err) {
		size_t e = ++k;

		while (e < n && s[e] != ' ')
			e++;
		ev->err = sr_intern(c->b->atoms, s + k, e - k);
		if (e + 2 < n && s[e + 1] == '(' && s[n - 1] == ')')
			ev->errmsg = dup_str(c, s + e + 2, n - e - 3);
	}
}

static bool bjson_event(struct dctx *c, const json_t *o, struct sr_event *ev)
{
	const json_t *args = json_object_get(o, "args"), *ret = json_object_get(o, "return");
	size_t i;

	ev->kind = SR_E_SYSCALL;
	ev->name = jatom(c, json_object_get(o, "cmd"));
	foreign_pid(o, ev);
	foreign_errno(c, o, ev);
	ev->nargs = (uint32_t)json_array_size(args);
	ev->args = new_values(c, ev->nargs);
	for (i = 0; i < ev->nargs && !c->oom; i++)
		if (!bjson_value(c, json_array_get(args, i), &ev->args[i], 0, false))
			return false;
	if (json_is_string(ret)) {
		text_return(c, json_string_value(ret), json_string_length(ret), ev);
	} else if (ret) {
		ev->has_ret = true;
		if (!json_is_null(ret)) {
			ev->ret = new_values(c, 1);
			if (!ev->ret || !bjson_value(c, ret, ev->ret, 0, false))
				return false;
		}
	}
	if (ev->has_ret)
		ev->pad = (uint16_t)default_pad(c->r, ev);
	return !c->oom;
}

/* ------------------------------------------------------------------ */
/* posix-omni-parser                                                   */

/* The end of one tuple item starting at p: the ", " or ")" at depth 0. */
static const char *omni_item_end(const char *p, const char *e)
{
	int depth = 0;
	char q = 0;

	for (; p < e; p++) {
		if (q) {
			if (*p == '\\' && p + 1 < e)
				p++;
			else if (*p == q)
				q = 0;
			continue;
		}
		switch (*p) {
		case '\'':
		case '"':
			q = *p;
			break;
		case '<':
		case '(':
		case '[':
		case '{':
			depth++;
			break;
		case '>':
		case ')':
		case ']':
		case '}':
			if (!depth)
				return p;
			depth--;
			break;
		case ',':
			if (!depth)
				return p;
			break;
		}
	}
	return e;
}

/* A Python string literal 'x' or "x" with its escapes decoded. */
static bool omni_pystr(struct dctx *c, const char *s, size_t n, struct sr_value *v)
{
	char *d;
	size_t i, o = 0;

	if (n < 2 || (s[0] != '\'' && s[0] != '"') || s[n - 1] != s[0])
		return false;
	d = sr_arena_alloc(c->b->arena, n);
	if (!d)
		return !(c->oom = true);
	for (i = 1; i + 1 < n; i++) {
		char ch = s[i];

		if (ch == '\\' && i + 2 < n) {
			ch = s[++i];
			switch (ch) {
			case 'n': ch = '\n'; break;
			case 't': ch = '\t'; break;
			case 'r': ch = '\r'; break;
			case '0': ch = '\0'; break;
			case 'x':
				if (i + 3 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
				    hexval((unsigned char)s[i + 2]) >= 0) {
					ch = (char)(hexval((unsigned char)s[i + 1]) << 4 |
						    hexval((unsigned char)s[i + 2]));
					i += 2;
				}
				break;
			default:
				break;
			}
		}
		d[o++] = ch;
	}
	v->kind = SR_V_STR;
	v->text = (struct sr_str){ d, o };
	return true;
}

static void omni_scalar(struct dctx *c, const char *s, size_t n, struct sr_value *v)
{
	while (n && *s == ' ')
		s++, n--;
	while (n && s[n - 1] == ' ')
		n--;
	memset(v, 0, sizeof(*v));
	if (n >= 3 && s[n - 3] == '.' && s[n - 2] == '.' && s[n - 1] == '.' &&
	    omni_pystr(c, s, n - 3, v)) {
		v->flags |= SR_VF_TRUNC;
		return;
	}
	if (omni_pystr(c, s, n, v))
		return;
	if ((n == 4 && !memcmp(s, "NULL", 4)) || (n == 4 && !memcmp(s, "None", 4))) {
		v->kind = SR_V_NULL;
		return;
	}
	if (spelled_int(s, n, v)) {
		v->text = v->base == SR_BASE_DEC ? (struct sr_str){ "", 0 } : dup_str(c, s, n);
		return;
	}
	if (memchr(s, '|', n)) {
		size_t k = 1, i;
		const char *p = s;

		for (i = 0; i < n; i++)
			k += s[i] == '|';
		v->kind = SR_V_FLAGS;
		v->kids = new_values(c, k);
		v->nkids = (uint32_t)k;
		for (i = 0; i < k && v->kids; i++) {
			const char *bar = memchr(p, '|', (size_t)(s + n - p));
			size_t m = bar ? (size_t)(bar - p) : (size_t)(s + n - p);

			if (!spelled_int(p, m, &v->kids[i]))
				v->kids[i].kind = SR_V_IDENT;
			v->kids[i].text = dup_str(c, p, m);
			p += m + 1;
		}
		return;
	}
	v->kind = SR_V_IDENT;
	v->text = dup_str(c, s, n);
}

/* "<FileDescriptor 3>", "<Filename '/etc/passwd'>", or a bare literal. */
static void omni_item(struct dctx *c, const char *s, size_t n, struct sr_value *v)
{
	while (n && *s == ' ')
		s++, n--;
	while (n && s[n - 1] == ' ')
		n--;
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		const char *sp = memchr(s, ' ', n);

		if (sp) {
			omni_scalar(c, sp + 1, (size_t)(s + n - 1 - (sp + 1)), v);
			return;
		}
		/* "<NoneType>": a type alone */
		omni_scalar(c, s + 1, n - 2, v);
		return;
	}
	omni_scalar(c, s, n, v);
}

static bool omni_event(struct dctx *c, const json_t *o, struct sr_event *ev)
{
	const json_t *args = json_object_get(o, "args"), *ret = json_object_get(o, "return");
	const char *s = json_string_value(args), *e, *p;
	size_t n = 0, i;

	ev->kind = SR_E_SYSCALL;
	ev->name = jatom(c, json_object_get(o, "syscall"));
	foreign_pid(o, ev);
	foreign_errno(c, o, ev);
	if (s) {
		e = s + json_string_length(args);
		if (s < e && *s == '(')
			s++;
		if (e > s && e[-1] == ')')
			e--;
		/* count, then fill */
		for (p = s; p < e;) {
			const char *q = omni_item_end(p, e);

			if (q > p)
				n++;
			p = q + 1;
			while (p < e && *p == ' ')
				p++;
		}
		ev->args = new_values(c, n);
		for (i = 0, p = s; p < e && i < n;) {
			const char *q = omni_item_end(p, e);

			if (q > p)
				omni_item(c, p, (size_t)(q - p), &ev->args[i++]);
			p = q + 1;
			while (p < e && *p == ' ')
				p++;
		}
		ev->nargs = (uint32_t)i;
	}
	if (json_is_string(ret)) {
		text_return(c, json_string_value(ret), json_string_length(ret), ev);
	} else if (json_is_array(ret) && json_array_size(ret)) {
		/* (value, "ENOENT") pairs */
		const json_t *r0 = json_array_get(ret, 0), *r1 = json_array_get(ret, 1);

		ev->has_ret = true;
		ev->ret = new_values(c, 1);
		if (ev->ret)
			bjson_value(c, r0, ev->ret, 0, false);
		if (json_is_string(r1) && !ev->err)
			ev->err = jatom(c, r1);
	} else if (ret) {
		ev->has_ret = true;
		if (!json_is_null(ret)) {
			ev->ret = new_values(c, 1);
			if (!ev->ret || !bjson_value(c, ret, ev->ret, 0, false))
				return false;
		}
	}
	if (ev->has_ret)
		ev->pad = (uint16_t)default_pad(c->r, ev);
	return !c->oom;
}

/* ------------------------------------------------------------------ */
/* Input handling                                                      */

/* Reads more input after moving the undecoded tail to the front; grows
 * the buffer when it is full. */
static enum sr_status fill(struct sr_reader *r, struct sr_error *err)
{
	size_t got;
	enum sr_status st;

	if (r->pos) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	if (r->len == r->cap) {
		char *n = realloc(r->buf, r->cap * 2);

		if (!n)
			return sr_error_set(err, SR_ERR_NOMEM, "cannot read input: out of memory");
		r->buf = n;
		r->cap *= 2;
	}
	st = sr_source_read(r->in, r->buf + r->len, r->cap - r->len, &got, err);
	if (st < 0)
		return st;
	if (!got)
		r->eof = true;
	r->len += got;
	return SR_OK;
}

static void advance(struct sr_reader *r, size_t n)
{
	const char *p = r->buf + r->pos, *e = p + n, *nl;

	while ((nl = memchr(p, '\n', (size_t)(e - p)))) {
		r->line++;
		r->col = 0;
		p = nl + 1;
	}
	r->col += (uint32_t)(e - p);
	r->pos += n;
}

/* Skips white space; false at the end of the input. */
static bool skip_ws(struct sr_reader *r, struct sr_error *err, enum sr_status *st)
{
	for (;;) {
		while (r->pos < r->len) {
			char ch = r->buf[r->pos];

			if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
				return true;
			advance(r, 1);
		}
		if (r->eof)
			return false;
		*st = fill(r, err);
		if (*st < 0)
			return false;
	}
}

static enum sr_status parse_error(struct sr_reader *r, const json_error_t *je,
				  struct sr_error *err)
{
	enum sr_status st = sr_error_set(err, SR_ERR_PARSE, "cannot parse: %s", je->text);

	if (err) {
		err->line = r->line + (uint64_t)(je->line > 0 ? je->line - 1 : 0);
		err->col = (uint32_t)(je->line <= 1 ? r->col + (uint32_t)(je->column > 0 ? je->column : 1)
						    : (uint32_t)(je->column > 0 ? je->column : 1));
	}
	return st;
}

/* The length of the JSON value at s (brackets and strings matched), or 0
 * when it does not end within n bytes. */
static size_t value_extent(const char *s, size_t n)
{
	size_t i;
	int depth = 0;
	bool str = false;

	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (str) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				str = false;
			continue;
		}
		if (ch == '"')
			str = true;
		else if (ch == '{' || ch == '[')
			depth++;
		else if ((ch == '}' || ch == ']') && --depth == 0)
			return i + 1;
	}
	return 0;
}

/*
 * jansson refuses integers beyond long long, but the jsonl writer prints
 * unsigned 64-bit values (RLIM64_INFINITY is 18446744073709551615) as
 * numbers.  Such an object is decoded again from a copy in which every
 * integer literal too big is a string marked with this reader's nonce,
 * which big_int() recognises.  Only objects that failed take this path.
 */
static json_t *rescue(struct sr_reader *r, size_t n, json_error_t *je)
{
	const char *s = r->buf + r->pos;
	size_t i;
	bool str = false;

	r->fix.len = 0;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (str) {
			if (ch == '\\' && i + 1 < n) {
				sr_buf_add(&r->fix, s + i, 2);
				i++;
				continue;
			}
			if (ch == '"')
				str = false;
			sr_buf_addc(&r->fix, ch);
			continue;
		}
		if (ch == '"') {
			str = true;
		} else if (ch >= '0' && ch <= '9' && (i == 0 || !strchr("0123456789.eE+-", s[i - 1]))) {
			size_t k = i;

			while (k < n && s[k] >= '0' && s[k] <= '9')
				k++;
			if (k - i >= 19 && (k >= n || !strchr(".eE", s[k])) &&
			    (k - i > 19 || memcmp(s + i, "9223372036854775807", 19) > 0)) {
				sr_buf_addc(&r->fix, '"');
				sr_buf_add(&r->fix, r->nonce, r->nonce_len);
				sr_buf_add(&r->fix, s + i, k - i);
				sr_buf_addc(&r->fix, '"');
				i = k - 1;
				continue;
			}
			sr_buf_add(&r->fix, s + i, k - i);
			i = k - 1;
			continue;
		}
		sr_buf_addc(&r->fix, ch);
	}
	if (!r->fix.p)
		return NULL;
	return json_loadb(r->fix.p, r->fix.len, JSON_ALLOW_NUL, je);
}

/* Decodes the next top-level object into *out; SR_END when none is left. */
static enum sr_status next_object(struct sr_reader *r, json_t **out, struct sr_error *err)
{
	enum sr_status st = SR_OK;
	json_error_t je;
	json_t *j;

	*out = NULL;
	if (r->done)
		return SR_END;
	if (!skip_ws(r, err, &st))
		goto at_end;
	if (!r->started) {
		r->started = true;
		if (r->buf[r->pos] == '[') {
			r->array = true;
			advance(r, 1);
			if (!skip_ws(r, err, &st))
				goto at_end;
		}
	}
	if (r->array) {
		if (r->buf[r->pos] == ']') {
			advance(r, 1);
			r->done = true;
			/* only white space may follow */
			if (skip_ws(r, err, &st)) {
				je.line = 1;
				je.column = 1;
				snprintf(je.text, sizeof(je.text), "end of file expected after ']'");
				return parse_error(r, &je, err);
			}
			return st < 0 ? st : SR_END;
		}
		if (r->nobj) {
			if (r->buf[r->pos] != ',') {
				je.line = 1;
				je.column = 1;
				snprintf(je.text, sizeof(je.text), "',' or ']' expected near '%c'",
					 r->buf[r->pos]);
				return parse_error(r, &je, err);
			}
			advance(r, 1);
			if (!skip_ws(r, err, &st))
				goto at_end;
		}
	}
	for (;;) {
		size_t avail = r->len - r->pos;

		j = json_loadb(r->buf + r->pos, avail, JFLAGS, &je);
		if (j) {
			advance(r, (size_t)je.position);
			break;
		}
		/* cut by the end of the buffer: read more and try again */
		if (!r->eof && (size_t)je.position + 2 >= avail) {
			st = fill(r, err);
			if (st < 0)
				return st;
			continue;
		}
		if (strstr(je.text, "too big")) {
			size_t n = value_extent(r->buf + r->pos, avail);

			if (n && (j = rescue(r, n, &je))) {
				advance(r, n);
				break;
			}
		}
		return parse_error(r, &je, err);
	}
	if (!json_is_object(j)) {
		json_decref(j);
		je.line = 1;
		je.column = 1;
		snprintf(je.text, sizeof(je.text), "an object expected for each event");
		return parse_error(r, &je, err);
	}
	r->nobj++;
	*out = j;
	return SR_OK;
at_end:
	if (st < 0)
		return st;
	if (r->array && !r->done) {
		je.line = 1;
		je.column = 1;
		snprintf(je.text, sizeof(je.text), "']' expected near end of file");
		return parse_error(r, &je, err);
	}
	r->done = true;
	return SR_END;
}

static enum shape object_shape(const json_t *o)
{
	const json_t *args = json_object_get(o, "args");

	if (json_object_get(o, "type"))
		return SHAPE_SYSREP;
	if (json_object_get(o, "cmd"))
		return SHAPE_BJSON;
	if (json_is_string(args))
		return SHAPE_OMNI;
	if (json_object_get(o, "syscall"))
		return SHAPE_SYSREP;
	return 0;
}

static enum sr_status json_next(struct sr_reader *r, struct sr_batch *b, struct sr_error *err)
{
	enum sr_status st;

	sr_batch_reset(b);
	b->source = sr_source_name(r->in);
	while (b->n < BATCH_EVENTS) {
		struct dctx c = { .r = r, .b = b };
		struct sr_event *ev;
		uint64_t line = r->line;
		json_t *o;
		bool ok = false;

		st = next_object(r, &o, err);
		if (st < 0)
			return st;
		if (st == SR_END)
			return b->n ? SR_OK : SR_END;
		ev = sr_batch_push(b);
		if (!ev) {
			json_decref(o);
			return sr_error_set(err, SR_ERR_NOMEM, "cannot read input: out of memory");
		}
		ev->line = line;
		switch (object_shape(o)) {
		case SHAPE_SYSREP:
			ok = sysrep_event(&c, o, ev);
			break;
		case SHAPE_BJSON:
			ok = bjson_event(&c, o, ev);
			break;
		case SHAPE_OMNI:
			ok = omni_event(&c, o, ev);
			break;
		default: {
			json_error_t je = { .line = 1, .column = 1 };

			json_decref(o);
			snprintf(je.text, sizeof(je.text),
				 "not a trace event (no \"type\", \"cmd\" or \"syscall\" key)");
			r->line = line;
			return parse_error(r, &je, err);
		}
		}
		json_decref(o);
		if (c.oom)
			return sr_error_set(err, SR_ERR_NOMEM, "cannot read input: out of memory");
		if (!ok) {
			json_error_t je = { .line = 1, .column = 1 };

			snprintf(je.text, sizeof(je.text), "values nested too deeply");
			r->line = line;
			return parse_error(r, &je, err);
		}
		/* the trace lines the event stands for, attachments included,
		 * as the pb and archive readers count them (found by fuzzing:
		 * lines != events + attached for sysrep's own JSON Lines) */
		b->lines += sr_event_lines(ev);
	}
	return SR_OK;
}

static enum sr_status json_open(struct sr_reader **out, struct sr_source *in,
				const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_reader *r = calloc(1, sizeof(*r));
	struct timespec ts;

	(void)opts;
	*out = NULL;
	if (!r)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open reader: out of memory");
	r->in = in;
	r->cap = CHUNK;
	r->buf = malloc(r->cap);
	if (!r->buf) {
		free(r);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open reader: out of memory");
	}
	r->line = 1;
	r->last_pf = SR_PID_BRACKET;
	/* a marker no trace string will hold by chance */
	clock_gettime(CLOCK_REALTIME, &ts);
	r->nonce_len = (size_t)snprintf(r->nonce, sizeof(r->nonce), "sysrep-u64-%lx-%lx:",
					(unsigned long)ts.tv_nsec ^ (unsigned long)getpid(),
					(unsigned long)ts.tv_sec);
	*out = r;
	return SR_OK;
}

static void json_close(struct sr_reader *r)
{
	if (!r)
		return;
	free(r->buf);
	sr_buf_free(&r->scratch);
	sr_buf_free(&r->fix);
	free(r);
}

/* A JSON array or JSON Lines of objects.  strace text never starts with
 * '{' or '['+'{'; "[pid 12]" is text. */
static int json_probe(const void *head, size_t n)
{
	const char *p = head, *e = p + n;

	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (p == e)
		return 0;
	if (*p == '[') {
		p++;
		while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		if (p == e || *p == ']')
			return 90;
	}
	if (*p != '{')
		return 0;
	/* every object these shapes hold starts with a key: "{" alone is no
	 * proof (a damaged strace line may start so) */
	p++;
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p == e || *p == '"' || *p == '}' ? 90 : 0;
}

const struct sr_reader_class sr_in_json = {
	.name = "json",
	.exts = ".jsonl,.json",
	.summary = "JSON: sysrep's jsonl/json, strace -B json, posix-omni-parser",
	.probe = json_probe,
	.open = json_open,
	.next = json_next,
	.close = json_close,
};

/* The same reader under the name of the format users convert to. */
const struct sr_reader_class sr_in_jsonl = {
	.name = "jsonl",
	.exts = ".jsonl",
	.summary = "sysrep JSON Lines (the json reader under its writer's name)",
	.probe = NULL,
	.open = json_open,
	.next = json_next,
	.close = json_close,
};
