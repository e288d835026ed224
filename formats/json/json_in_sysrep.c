/*
 * json_in_sysrep.c - sysrep's own JSON (-t jsonl, -t json) back into events: every key of
 * docs/jsonl-schema.md and the "fmt" extras, so strace -> jsonl -> strace
 * gives back the input bytes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_in.h"

/* ------------------------------------------------------------------ */
/* sysrep's typed values                                               */

static bool sysrep_value(struct dctx *c, const json_t *j, struct sr_value *v, int depth,
			 bool member);

static bool sysrep_list(struct dctx *c, const json_t *a, struct sr_value *v, int depth,
			bool member)
{
	size_t i, n = json_array_size(a);

	v->kids = sr_jin_new_values(c, n);
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
	v->kids = sr_jin_new_values(c, json_object_size(o));
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
		kid->name = sr_jin_dup_str(c, k, strlen(k));
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
		if (sr_jin_big_int(c->r, x, &v->num.u))
			v->flags |= SR_VF_UNSIGNED;
		else
			v->num.i = sr_jin_jint(x, 0);
		v->text = sr_jin_jstr(c, json_object_get(o, "text"));
	} else if (!strcmp(first, "hex") || !strcmp(first, "oct")) {
		x = json_object_get(o, first);
		if (!json_is_string(x))
			return struct_members(c, o, v, depth);
		v->text = sr_jin_jstr(c, x);
		if (!sr_jin_spelled_int(v->text.ptr, v->text.len, v)) {
			/* strace 4.x "%lx" pointers: hex digits without "0x" */
			for (size_t i = 0; first[0] == 'h' && i < v->text.len && i < 16; i++) {
				int h = sr_jin_hexval((unsigned char)v->text.ptr[i]);

				if (h < 0)
					break;
				v->num.u = v->num.u << 4 | (unsigned)h;
			}
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
			v->text = sr_jin_unhex(c, json_string_value(x), json_string_length(x));
		else
			v->text = sr_jin_jstr(c, json_object_get(o, "str"));
		if (sr_jin_jtrue(json_object_get(o, "truncated")))
			v->flags |= SR_VF_TRUNC;
		if (sr_jin_jtrue(json_object_get(o, "abstract")))
			v->flags |= SR_VF_ABSTRACT;
		style = json_string_value(json_object_get(o, "style"));
		if (style && !strcmp(style, "hex"))
			v->flags |= SR_VF_HEX_ALL;
		else if (style && !strcmp(style, "hex_chars"))
			v->flags |= SR_VF_HEX_CHARS;
		if (sr_jin_jtrue(json_object_get(o, "old_octal")))
			v->flags |= SR_VF_OCT9;
	} else if (!strcmp(first, "ident")) {
		v->kind = SR_V_IDENT;
		v->text = sr_jin_jstr(c, json_object_get(o, "ident"));
	} else if (!strcmp(first, "flags") || !strcmp(first, "set")) {
		x = json_object_get(o, first);
		if (!json_is_array(x))
			return struct_members(c, o, v, depth);
		v->kind = first[0] == 'f' ? SR_V_FLAGS : SR_V_SET;
		if (sr_jin_jtrue(json_object_get(o, "complement")))
			v->flags |= SR_VF_COMPLEMENT;
		return sysrep_list(c, x, v, depth, true);
	} else if (!strcmp(first, "fd") || !strcmp(first, "path")) {
		x = json_object_get(o, "fd");
		v->kind = SR_V_FD;
		if (x) {
			v->kids = sr_jin_new_values(c, 1);
			v->nkids = 1;
			if (!v->kids || !sysrep_value(c, x, v->kids, depth, false))
				return false;
		}
		x = json_object_get(o, "text");
		v->text = sr_jin_jstr(c, x ? x : json_object_get(o, "path"));
		if (sr_jin_jtrue(json_object_get(o, "inside")))
			v->flags |= SR_VF_DELETED_IN;
		else if (sr_jin_jtrue(json_object_get(o, "deleted")))
			v->flags |= SR_VF_DELETED;
	} else if (!strcmp(first, "call")) {
		x = json_object_get(o, "args");
		v->kind = SR_V_CALL;
		v->text = sr_jin_jstr(c, json_object_get(o, "call"));
		if (json_is_array(x))
			return sysrep_list(c, x, v, depth, false);
	} else if (!strcmp(first, "changed")) {
		x = json_object_get(o, "changed");
		if (!json_is_array(x))
			return struct_members(c, o, v, depth);
		v->kind = SR_V_CHANGED;
		x = json_object_get(o, "arrow");
		if (json_is_string(x))
			v->flags |= SR_VF_OLD_ARROW;
		if (json_is_string(x) && !strcmp(json_string_value(x), " -> "))
			v->flags |= SR_VF_SPACED;
		x = json_object_get(o, "changed");
		return sysrep_list(c, x, v, depth, false);
	} else if (!strcmp(first, "value") || !strcmp(first, "comment")) {
		const json_t *t = json_object_get(o, "text");

		x = json_object_get(o, "value");
		v->kind = SR_V_COMMENT;
		if (x && sr_jin_jtrue(json_object_get(o, "leading")))
			v->flags |= SR_VF_LEADING;
		if (x) {
			v->kids = sr_jin_new_values(c, 1);
			v->nkids = 1;
			if (!v->kids || !sysrep_value(c, x, v->kids, depth, false))
				return false;
		}
		if (t) {
			v->text = sr_jin_jstr(c, t);
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
		v->text = sr_jin_jstr(c, json_array_get(x, 1));
		v->kids = sr_jin_new_values(c, 2);
		v->nkids = 2;
		if (!v->kids || !sysrep_value(c, json_array_get(x, 0), &v->kids[0], depth, false) ||
		    !sysrep_value(c, json_array_get(x, 2), &v->kids[1], depth, false))
			return false;
		if (spaced ? json_is_true(spaced) : sr_json_expr_spaced(v->text.ptr, v->text.len))
			v->flags |= SR_VF_SPACED;
	} else if (!strcmp(first, "index")) {
		v->kind = SR_V_INDEX;
		v->kids = sr_jin_new_values(c, 2);
		v->nkids = 2;
		if (sr_jin_missing(c, json_object_get(o, "value"),
				   "an \"index\" object without its \"value\""))
			return false;
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
		if (sr_jin_jtrue(json_object_get(o, "spaced")))
			v->flags |= SR_VF_SPACED;
		if (sr_jin_jtrue(json_object_get(o, "colon")))
			v->flags |= SR_VF_COLON;
		if (sr_jin_jtrue(json_object_get(o, "padded")))
			v->flags |= SR_VF_PADDED;
		if (sr_jin_jtrue(json_object_get(o, "old_sysinfo")))
			v->flags |= SR_VF_OLD_SYSINFO;
		v->text = sr_jin_jstr(c, json_object_get(o, "tag"));
		v->kids = sr_jin_new_values(c, n);
		v->nkids = (uint32_t)n;
		for (i = 0; i < n && !c->oom; i++) {
			const json_t *m = json_array_get(x, i);

			if (sr_jin_missing(c, json_object_get(m, "value"),
					   "a struct member without its \"value\""))
				return false;
			if (!sysrep_value(c, json_object_get(m, "value"), &v->kids[i], depth, false))
				return false;
			v->kids[i].name = sr_jin_jstr(c, json_object_get(m, "name"));
		}
	} else if (!strcmp(first, "named")) {
		if (sr_jin_missing(c, json_object_get(o, "value"),
				   "a \"named\" object without its \"value\""))
			return false;
		if (!sysrep_value(c, json_object_get(o, "value"), v, depth, false))
			return false;
		v->name = sr_jin_jstr(c, json_object_get(o, "named"));
	} else {
		return struct_members(c, o, v, depth);
	}
	return !c->oom;
}

static bool sysrep_value(struct dctx *c, const json_t *j, struct sr_value *v, int depth,
			 bool member)
{
	if (++depth > MAX_DEPTH || c->oom || sr_jin_missing(c, j, "a value is missing"))
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
		v->text = sr_jin_dup_str(c, tmp, (size_t)n);
		return !c->oom;
	}
	case JSON_STRING:
		if (sr_jin_big_int(c->r, j, &v->num.u)) {
			v->kind = SR_V_INT;
			v->flags |= SR_VF_UNSIGNED;
			return true;
		}
		/* inside flags and sets a plain string is a bare word */
		v->kind = member ? SR_V_IDENT : SR_V_STR;
		v->text = sr_jin_jstr(c, j);
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
/* Semantic records (docs/semantic-record.md)                          */

/* A JSON value as a semantic value, in the batch's arena. */
static bool jsval(struct dctx *c, const json_t *j, struct sr_sval *s, int depth)
{
	const char *k;
	json_t *x;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (++depth > MAX_DEPTH)
		return false;
	switch (json_typeof(j)) {
	case JSON_INTEGER:
		s->kind = SR_S_INT;
		s->num.i = (int64_t)json_integer_value(j);
		return true;
	case JSON_REAL: {
		/* not written by sysrep; a value no int64_t holds (or NaN) is
		 * refused rather than converted (undefined in C) */
		double d = json_real_value(j);

		if (!(d > -9.2e18 && d < 9.2e18))
			return false;
		s->kind = SR_S_INT;
		s->num.i = (int64_t)d;
		return true;
	}
	case JSON_STRING:
		if (sr_jin_big_int(c->r, j, &s->num.u)) {
			s->kind = SR_S_UINT;
			return true;
		}
		s->kind = SR_S_STR;
		s->str = sr_jin_jstr(c, j);
		return !c->oom;
	case JSON_TRUE:
	case JSON_FALSE:
		s->kind = SR_S_BOOL;
		s->num.b = json_is_true(j);
		return true;
	case JSON_ARRAY:
	case JSON_OBJECT:
		s->kind = json_is_array(j) ? SR_S_ARRAY : SR_S_OBJECT;
		s->n = (uint32_t)(json_is_array(j) ? json_array_size(j) : json_object_size(j));
		s->kids = sr_arena_alloc(c->b->arena, (s->n ? s->n : 1) * sizeof(*s->kids));
		if (!s->kids)
			return !(c->oom = true);
		if (json_is_array(j)) {
			for (i = 0; i < s->n; i++)
				if (!jsval(c, json_array_get(j, i), &s->kids[i], depth))
					return false;
			return true;
		}
		i = 0;
		json_object_foreach((json_t *)j, k, x) {
			if (!jsval(c, x, &s->kids[i], depth))
				return false;
			s->kids[i++].key = sr_jin_dup_str(c, k, strlen(k));
		}
		return !c->oom;
	case JSON_NULL:
	default:
		s->kind = SR_S_NULL;
		return true;
	}
}

/* The next token of JSON Pointer p (after its '/'), ~1 and ~0 decoded
 * into buf; returns where the token ends. */
static const char *ptr_token(const char *p, char *buf, size_t cap, size_t *n)
{
	size_t k = 0;

	for (; *p && *p != '/'; p++) {
		char ch = *p;

		if (ch == '~' && (p[1] == '0' || p[1] == '1'))
			ch = *++p == '0' ? '~' : '/';
		if (k < cap)
			buf[k++] = ch;
	}
	*n = k;
	return p;
}

/* Marks the string at pointer p (the part after the member's key) in s
 * truncated. */
static void mark_trunc(struct sr_sval *s, const char *p)
{
	char tok[256];
	size_t n;
	uint32_t i;

	while (*p == '/' && s) {
		struct sr_sval *next = NULL;

		p = ptr_token(p + 1, tok, sizeof(tok), &n);
		if (s->kind == SR_S_OBJECT) {
			for (i = 0; i < s->n; i++)
				if (s->kids[i].key.len == n && !memcmp(s->kids[i].key.ptr, tok, n))
					next = &s->kids[i];
		} else if (s->kind == SR_S_ARRAY) {
			tok[n < sizeof(tok) ? n : sizeof(tok) - 1] = 0;
			i = (uint32_t)strtoul(tok, NULL, 10);
			if (i < s->n)
				next = &s->kids[i];
		}
		s = next;
	}
	if (s && !*p && s->kind == SR_S_STR)
		s->flags |= SR_SF_TRUNC;
}

/* The truncated strings listed for member `prefix` ("/return", "/info",
 * or an argument "/args/KEY") marked in s. */
static void apply_truncs(const json_t *truncs, const char *prefix, size_t plen, struct sr_sval *s)
{
	size_t i;

	for (i = 0; i < json_array_size(truncs); i++) {
		const char *p = json_string_value(json_array_get(truncs, i));

		if (p && !strncmp(p, prefix, plen) && (p[plen] == '/' || !p[plen]))
			mark_trunc(s, p + plen);
	}
}

/* A value of the semantic record spelled back: the spelled tree fmt kept
 * (fb) when there is one, else the canonical spelling of the meaning. */
static bool sem_spell(struct dctx *c, const json_t *j, const json_t *fb, struct sr_sarg t,
		      const json_t *truncs, const char *prefix, size_t plen, struct sr_value *v)
{
	struct sr_sval s;
	struct sr_value *sp;

	if (fb)
		return sysrep_value(c, fb, v, 0, false);
	if (!jsval(c, j, &s, 0))
		return false;
	if (truncs)
		apply_truncs(truncs, prefix, plen, &s);
	sp = sr_semantic_spell(&s, t, c->b->arena);
	if (!sp)
		return !(c->oom = true);
	*v = *sp;
	return true;
}

/* Whether fmt.argn names value j. */
static bool name_at(const json_t *names, size_t j)
{
	const char *s = json_string_value(json_array_get(names, j));

	return s && *s;
}

/*
 * The position of the i-th key k of a semantic "args" (the writer puts
 * them in signature order): the value that fmt.argn names k, else the
 * first position not taken.  taken[] marks the positions used so far.
 */
static size_t arg_position(const json_t *names, const char *k, size_t n, size_t i, bool *taken)
{
	size_t j;

	for (j = 0; j < n && j < json_array_size(names); j++) {
		const char *s = json_string_value(json_array_get(names, j));

		if (s && !taken[j] && !strcmp(s, k))
			return taken[j] = true, j;
	}
	for (j = 0; j < n; j++)
		if (!taken[j] && !name_at(names, j))
			return taken[j] = true, j;
	for (j = 0; j < n; j++)
		if (!taken[j])
			return taken[j] = true, j;
	return i < n ? i : n - 1;
}

/* "args" as an object: the semantic record's arguments. */
static bool sem_args(struct dctx *c, const json_t *o, const json_t *args, const json_t *fmt,
		     struct sr_event *ev)
{
	const json_t *names = json_object_get(fmt, "argn"), *av = json_object_get(fmt, "av");
	const json_t *truncs = json_object_get(o, "truncated");
	const struct sr_signature *sig = NULL;
	const char *k;
	json_t *x;
	size_t i = 0;
	char prefix[300], idx[24];
	bool *taken;

	if (ev->name)
		sig = sr_signature_find(c->r->arch, ev->name->str, ev->name->len);
	ev->nargs = (uint32_t)json_object_size(args);
	if (!ev->nargs)
		return true;
	ev->args = sr_jin_new_values(c, ev->nargs);
	taken = sr_arena_alloc(c->b->arena, ev->nargs);
	if (!ev->args || !taken)
		return false;
	memset(taken, 0, ev->nargs);
	json_object_foreach((json_t *)args, k, x) {
		size_t at = arg_position(names, k, ev->nargs, i, taken);
		struct sr_str name = sr_jin_jstr(c, json_array_get(names, at));
		struct sr_sarg t = sr_semantic_arg_type(sig, (uint32_t)at, name);
		int plen;

		snprintf(idx, sizeof(idx), "%zu", at);
		plen = snprintf(prefix, sizeof(prefix), "/args/%s", k);
		if (plen < 0 || (size_t)plen >= sizeof(prefix) || strchr(k, '/') || strchr(k, '~'))
			plen = 0, truncs = NULL;
		if (!sem_spell(c, x, json_object_get(av, idx), t, truncs, prefix, (size_t)plen,
			       &ev->args[at]))
			return false;
		ev->args[at].name = name;
		i++;
	}
	return !c->oom;
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
		t->digits = (uint8_t)sr_jin_jint(x, 6);
	if (t->digits > 9)
		t->digits = 9;
	k[1] = 'n';
	k[2] = 's';
	x = json_object_get(fmt, k);
	have_ns = x != NULL;
	if (have_ns)
		ns = sr_jin_jint(x, 0);
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
		t->width = (uint8_t)sr_jin_jint(x, 0);
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
		ev->ret = sr_jin_new_values(c, 1);
		return ev->ret && sysrep_value(c, rv, ev->ret, 0, false);
	}
	if (!ret)
		return true;
	ev->has_ret = true;
	if (json_is_null(ret))
		return true;
	iv = sr_jin_new_values(c, 3);
	if (!iv)
		return false;
	iv->kind = SR_V_INT;
	if (json_is_string(rt)) {
		iv->text = sr_jin_jstr(c, rt);
		sr_jin_spelled_int(iv->text.ptr, iv->text.len, iv);
	} else if (sr_jin_big_int(c->r, ret, &iv->num.u)) {
		iv->flags |= SR_VF_UNSIGNED;
	} else {
		iv->num.i = sr_jin_jint(ret, 0);
	}
	if (json_object_get(fmt, "rtext"))
		iv->text = sr_jin_jstr(c, json_object_get(fmt, "rtext"));
	ev->ret = iv;
	if (rfd) {
		const json_t *raw = json_object_get(fmt, "rfd");

		fd = iv + 1;
		fd->kind = SR_V_FD;
		fd->text = sr_jin_jstr(c, raw ? raw : rfd);
		if (sr_jin_jtrue(json_object_get(fmt, "rfdin")))
			fd->flags |= SR_VF_DELETED_IN;
		else if (sr_jin_jtrue(json_object_get(o, "return_fd_deleted")))
			fd->flags |= SR_VF_DELETED;
	}
	if (rcm) {
		const json_t *raw = json_object_get(fmt, "rcm");

		cm = iv + 2;
		cm->kind = SR_V_COMMENT;
		if (raw) {
			cm->text = sr_jin_jstr(c, raw);
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

		if (sr_jin_jtrue(json_object_get(fmt, "rcin"))) {
			order[0] = cm;
			order[1] = fd;
		}
		for (k = 0; k < 2; k++) {
			struct sr_value *w = order[k];

			if (!w)
				continue;
			/* w wraps cur: cur moves into a fresh slot */
			tmp = *cur;
			w->kids = sr_jin_new_values(c, 1);
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
			a->addr = (uint64_t)sr_jin_jint(json_object_get(x, "at"), 0);
			a->text = h ? sr_jin_unhex(c, json_string_value(h), json_string_length(h))
				    : sr_jin_jstr(c, json_object_get(x, "text"));
			continue;
		}
		if (k == 2 || json_is_string(x)) {
			a->kind = SR_A_TEXT;
			a->text = sr_jin_jstr(c, x);
			continue;
		}
		if (k == 0) {
			a->kind = SR_A_FRAME;
			a->module = sr_jin_jstr(c, json_object_get(x, "module"));
			a->symbol = sr_jin_jstr(c, json_object_get(x, "symbol"));
			a->offset = (uint64_t)sr_jin_jint(json_object_get(x, "offset"), 0);
			a->addr = (uint64_t)sr_jin_jint(json_object_get(x, "addr"), 0);
		} else if (json_object_get(x, "iov_bytes")) {
			a->kind = SR_A_IOV;
			a->addr = (uint64_t)sr_jin_jint(json_object_get(x, "iov_bytes"), 0);
			a->offset = (uint64_t)sr_jin_jint(json_object_get(x, "buffer"), 0);
		} else {
			const json_t *h = json_object_get(x, "hex");

			a->kind = SR_A_DUMP;
			a->addr = (uint64_t)sr_jin_jint(json_object_get(x, "offset"), 0);
			a->bytes = sr_jin_unhex(c, json_string_value(h) ? json_string_value(h) : "",
					 json_string_length(h));
		}
		t = json_object_get(x, "text");
		if (t) {
			a->text = sr_jin_jstr(c, t);
		} else {
			c->r->scratch.len = 0;
			sr_json_attach_text(&c->r->scratch, a);
			a->text = sr_jin_dup_str(c, c->r->scratch.p ? c->r->scratch.p : "",
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
		s->col[i] = (uint8_t)sr_jin_jint(json_array_get(cols, i), 0);
		s->width[i] = (uint8_t)sr_jin_jint(json_array_get(w, i), 0);
	}
	s->ncols = (uint8_t)i;
	s->has = (uint16_t)sr_jin_jint(json_object_get(fmt, "has"), 0);
	if ((x = json_object_get(o, "percent")))
		s->pct = json_number_value(x);
	if ((x = json_object_get(o, "seconds")))
		s->seconds = json_number_value(x);
	if ((x = json_object_get(o, "shortest")))
		s->min = json_number_value(x);
	if ((x = json_object_get(o, "longest")))
		s->max = json_number_value(x);
	s->usecs = (uint64_t)sr_jin_jint(json_object_get(o, "usecs_per_call"), 0);
	s->calls = (uint64_t)sr_jin_jint(json_object_get(o, "calls"), 0);
	if ((x = json_object_get(o, "errors"))) {
		s->errors = (uint64_t)sr_jin_jint(x, 0);
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
uint32_t sr_jin_default_pad(struct sr_reader *r, const struct sr_event *ev)
{
	struct sr_event tmp = *ev;

	tmp.has_ret = false;
	tmp.duration.clock = SR_CLOCK_NONE;
	r->scratch.len = 0;
	sr_strace_print_event(&r->scratch, &tmp);
	return r->scratch.len < 39 ? (uint32_t)(40 - r->scratch.len) : 1;
}

/* A semantic record (the default) rather than the positional typed values
 * of -O record=spelling: its "args" is an object, or it has no "args" and
 * none of the old return keys. */
static bool sem_record(const json_t *o)
{
	const json_t *args = json_object_get(o, "args");

	if (args)
		return json_is_object(args);
	return !json_object_get(o, "return_text") && !json_object_get(o, "return_fd") &&
	       !json_object_get(o, "return_comment") && !json_object_get(o, "return_value") &&
	       !json_object_get(o, "return_fd_deleted");
}

bool sr_jin_sysrep_event(struct dctx *c, const json_t *o, struct sr_event *ev)
{
	struct sr_reader *r = c->r;
	const json_t *fmt = json_object_get(o, "fmt");
	const char *type = json_string_value(json_object_get(o, "type"));
	const json_t *x, *args, *t1, *t2;
	struct sr_leader *l = &ev->lead;
	size_t i;
	bool resumed_time;

	if (!sr_jin_check_types(c, o))
		return false;
	ev->kind = SR_E_SYSCALL;
	for (i = 1; type && i < SR_E__COUNT; i++)
		if (!strcmp(type, kind_names[i]))
			ev->kind = (uint8_t)i;
	if ((x = json_object_get(o, "line")))
		ev->line = (uint64_t)sr_jin_jint(x, 0);
	if ((x = json_object_get(o, "pid")))
		l->pid = sr_jin_jint(x, -1);
	l->comm = sr_jin_jstr(c, json_object_get(o, "comm"));
	l->secontext = sr_jin_jstr(c, json_object_get(o, "secontext"));
	if ((x = json_object_get(o, "ip"))) {
		l->has_ip = true;
		l->ip_digits = (uint8_t)sr_jin_jint(json_object_get(fmt, "ipw"), 16);
		l->ip_spaced = sr_jin_jtrue(json_object_get(fmt, "ipsp"));
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
		ev->name = sr_jin_jatom(c, x);
	if ((x = json_object_get(o, "nr")))
		ev->nr = (int32_t)sr_jin_jint(x, -1);
	if ((x = json_object_get(fmt, "nw"))) {
		l->has_nr = true;
		l->nr_width = (uint8_t)sr_jin_jint(x, 0);
		l->nr_unknown = sr_jin_jtrue(json_object_get(fmt, "nu"));
		l->nr = (int32_t)sr_jin_jint(json_object_get(fmt, "nv"), ev->nr);
	}
	args = json_object_get(o, "args");
	if (json_is_object(args)) {
		if (!sem_args(c, o, args, fmt, ev))
			return false;
	} else if (json_is_array(args)) {
		const json_t *names = json_object_get(fmt, "argn");

		ev->nargs = (uint32_t)json_array_size(args);
		ev->args = sr_jin_new_values(c, ev->nargs);
		for (i = 0; i < ev->nargs && !c->oom; i++) {
			if (!sysrep_value(c, json_array_get(args, i), &ev->args[i], 0, false))
				return false;
			ev->args[i].name = sr_jin_jstr(c, json_array_get(names, i));
		}
	} else if ((x = json_object_get(o, "info"))) {
		ev->nargs = 1;
		ev->args = sr_jin_new_values(c, 1);
		if (!ev->args)
			return false;
		if (sem_record(o)) {
			if (!sem_spell(c, x, json_object_get(fmt, "iv"),
				       (struct sr_sarg){ NULL, SR_T_INT, 0 },
				       json_object_get(o, "truncated"), "/info", 5, ev->args))
				return false;
		} else if (!sysrep_value(c, x, ev->args, 0, false)) {
			return false;
		}
	}
	if (sem_record(o) && ev->kind == SR_E_SYSCALL && (x = json_object_get(o, "return"))) {
		const struct sr_signature *sig =
			ev->name ? sr_signature_find(c->r->arch, ev->name->str, ev->name->len) : NULL;
		struct sr_sarg t = { NULL, SR_T_INT, 0 };

		ev->has_ret = true;
		if (sig && sig->nargs >= 0) {
			t.type = sig->rtype;
			t.set = sig->rset;
		}
		/* a negative number is a number whatever the call returns */
		if (json_is_integer(x) && json_integer_value(x) < 0)
			t.type = SR_T_INT;
		if (!json_is_null(x) || json_object_get(fmt, "rv")) {
			ev->ret = sr_jin_new_values(c, 1);
			if (!ev->ret || !sem_spell(c, x, json_object_get(fmt, "rv"), t,
						   json_object_get(o, "truncated"), "/return", 7,
						   ev->ret))
				return false;
		}
	} else if (!sysrep_return(c, o, fmt, ev)) {
		return false;
	}
	ev->err = sr_jin_jatom(c, json_object_get(o, "errno"));
	ev->errmsg = sr_jin_jstr(c, json_object_get(o, "errmsg"));
	/* fmt.notes: the notes as printed, where the record has them in the
	 * default spelling (semantic_note.c) */
	if (((x = json_object_get(fmt, "notes")) && json_array_size(x)) ||
	    ((x = json_object_get(o, "notes")) && json_array_size(x))) {
		ev->nnotes = (uint32_t)json_array_size(x);
		ev->notes = sr_arena_alloc(c->b->arena, ev->nnotes * sizeof(*ev->notes));
		if (!ev->notes)
			return !(c->oom = true);
		for (i = 0; i < ev->nnotes; i++)
			ev->notes[i] = sr_jin_jstr(c, json_array_get(x, i));
	}
	ev->unavail = sr_jin_jstr(c, json_object_get(o, "unavailable"));
	if (sr_jin_jtrue(json_object_get(o, "resumed")))
		ev->flags |= SR_EF_RESUMED;
	if (sr_jin_jtrue(json_object_get(o, "detached")))
		ev->flags |= SR_EF_DETACHED;
	if (sr_jin_jtrue(json_object_get(o, "mask_after")))
		ev->flags |= SR_EF_MASK_AFTER;
	if (json_is_integer(json_object_get(o, "pid_changed_to"))) {
		ev->flags |= SR_EF_PID_CHANGED;
		ev->code = json_integer_value(json_object_get(o, "pid_changed_to"));
	}
	if (json_is_integer(json_object_get(o, "exit_status"))) {
		ev->flags |= SR_EF_EXIT_STATUS;
		ev->code = json_integer_value(json_object_get(o, "exit_status"));
	}
	if (sr_jin_jtrue(json_object_get(o, "orphan")))
		ev->flags |= SR_EF_ORPHAN;
	if (sr_jin_jtrue(json_object_get(o, "core_dumped")))
		ev->flags |= SR_EF_CORE;
	if (sr_jin_jtrue(json_object_get(o, "stopped")))
		ev->flags |= SR_EF_STOPPED;
	if (sr_jin_jtrue(json_object_get(fmt, "sepcut")))
		ev->flags |= SR_EF_SEP_CUT;
	if (sr_jin_jtrue(json_object_get(fmt, "noparen")))
		ev->flags |= SR_EF_NO_PAREN;
	if (sr_jin_jtrue(json_object_get(fmt, "rcut")))
		ev->flags |= SR_EF_RESUMED_CUT;
	if (sr_jin_jtrue(json_object_get(fmt, "bare")))
		ev->flags |= SR_EF_BARE_RESUME;
	if (sr_jin_jtrue(json_object_get(fmt, "rsp")))
		ev->flags |= SR_EF_RESUMED_SP;
	if (sr_jin_jtrue(json_object_get(fmt, "crlf")))
		ev->flags |= SR_EF_CRLF;
	if (sr_jin_jtrue(json_object_get(fmt, "noeol")))
		ev->flags |= SR_EF_NO_EOL;
	if ((x = json_object_get(o, "status")) || (x = json_object_get(o, "old_pid")))
		ev->code = sr_jin_jint(x, 0);
	if ((x = json_object_get(o, "text")) || (x = json_object_get(o, "verbatim")) ||
	    (x = json_object_get(fmt, "text")))
		ev->text = sr_jin_jstr(c, x);
	if ((x = json_object_get(fmt, "texthex")))
		ev->text = sr_jin_unhex(c, json_string_value(x), json_string_length(x));
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
			ev->split = (uint32_t)sr_jin_jint(x, 0);
		else if (ev->name)
			ev->split = ev->name->len + 1;
	}
	if (ev->kind == SR_E_SYSCALL && ev->has_ret) {
		if ((x = json_object_get(fmt, "pad")))
			ev->pad = (uint16_t)sr_jin_jint(x, 0);
		else
			ev->pad = (uint16_t)sr_jin_default_pad(r, ev);
	}
	return !c->oom;
}

