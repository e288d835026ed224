/*
 * semantic_same.c - the jsonl writer's question "does the trace print this
 * argument the way strace prints its meaning by default?" for the common
 * shapes, without building the spelled tree (sr_semantic_spell) and
 * printing both sides: that took most of the writer's time.
 *
 * Each rule below mirrors one rule of semantic_spell.c and one of
 * strace_print.c; when a value leaves the shapes handled here the answer
 * is "not known" and the caller takes the general path, so a missing rule
 * costs time, never a byte.  Keep the two files in step.
 */
#include <string.h>

#include "json_emit.h"
#include "semantic_internal.h"
#include "semantic_same.h"

/* The keys semantic_spell.c looks at to choose a shape, as bits. */
enum {
	K_FD = 1u << 0,
	K_NAME = 1u << 1,
	K_PATH = 1u << 2,
	K_DELETED = 1u << 3,
	K_DEVICE = 1u << 4,
	K_EXITED = 1u << 5,
	K_SIGNALED = 1u << 6,
	K_STOPPED = 1u << 7,
	K_TYPE = 1u << 8,
	K_VALUE = 1u << 9,
	K_NAMES = 1u << 10,
	K_RESIDUE = 1u << 11,
	K_SIGNALS = 1u << 12,
	K_COMPLEMENT = 1u << 13,
	K_BEFORE = 1u << 14,
	K_CALL = 1u << 15,
	K_EXPR = 1u << 16,
	K_INDEX = 1u << 17,
	K_COMMENT = 1u << 18,
	K_DOTS = 1u << 19,
	K_ADDR = 1u << 20,
	K_COUNT = 1u << 21,
	K_ITEMS = 1u << 22,
	K_OTHER = 1u << 23,
};

#define KEYBIT(k, lit, bit) \
	((k).len == sizeof(lit) - 1 && !memcmp((k).ptr, (lit), sizeof(lit) - 1) ? (bit) : 0)

static uint32_t key_bit(struct sr_str k)
{
	uint32_t b = 0;

	if (!k.len)
		return K_OTHER;
	switch (k.ptr[0]) {
	case 'f':
		b = KEYBIT(k, "fd", K_FD);
		break;
	case 'n':
		b = KEYBIT(k, "name", K_NAME) | KEYBIT(k, "names", K_NAMES);
		break;
	case 'p':
		b = KEYBIT(k, "path", K_PATH);
		break;
	case 'd':
		b = KEYBIT(k, "deleted", K_DELETED) | KEYBIT(k, "device", K_DEVICE);
		break;
	case 'e':
		b = KEYBIT(k, "exited", K_EXITED) | KEYBIT(k, "expr", K_EXPR);
		break;
	case 's':
		b = KEYBIT(k, "signaled", K_SIGNALED) | KEYBIT(k, "stopped", K_STOPPED) |
		    KEYBIT(k, "signals", K_SIGNALS);
		break;
	case 't':
		b = KEYBIT(k, "type", K_TYPE);
		break;
	case 'v':
		b = KEYBIT(k, "value", K_VALUE);
		break;
	case 'r':
		b = KEYBIT(k, "residue", K_RESIDUE);
		break;
	case 'c':
		b = KEYBIT(k, "complement", K_COMPLEMENT) | KEYBIT(k, "call", K_CALL) |
		    KEYBIT(k, "comment", K_COMMENT) | KEYBIT(k, "count", K_COUNT);
		break;
	case 'b':
		b = KEYBIT(k, "before", K_BEFORE);
		break;
	case 'i':
		b = KEYBIT(k, "index", K_INDEX) | KEYBIT(k, "items", K_ITEMS);
		break;
	case '.':
		b = KEYBIT(k, "...", K_DOTS);
		break;
	case 'a':
		b = KEYBIT(k, "addr", K_ADDR);
		break;
	}
	return b ? b : K_OTHER;
}

static uint32_t key_bits(const struct sr_sval *o)
{
	uint32_t i, m = 0;

	for (i = 0; i < o->n; i++)
		m |= key_bit(o->kids[i].key);
	return m;
}

/* The first member called lit (semantic_spell.c's GET) */
static const struct sr_sval *get_n(const struct sr_sval *o, const char *k, size_t n)
{
	uint32_t i;

	for (i = 0; i < o->n; i++)
		if (o->kids[i].key.len == n && !memcmp(o->kids[i].key.ptr, k, n))
			return &o->kids[i];
	return NULL;
}

#define GET(o, lit) get_n((o), (lit), sizeof(lit) - 1)

static bool is_num(const struct sr_sval *s)
{
	return s && (s->kind == SR_S_INT || s->kind == SR_S_UINT);
}

static bool str_eq(struct sr_str a, struct sr_str b)
{
	return a.len == b.len && (!a.len || !memcmp(a.ptr, b.ptr, a.len));
}

/* INT v printed against set_int(n, base) printed (semantic_spell.c) */
static bool int_same(const struct sr_value *v, const struct sr_sval *n, uint8_t base)
{
	char a[SR_INT_SPELL_MAX], b[SR_INT_SPELL_MAX];
	struct sr_value c = { .kind = SR_V_INT };
	size_t na, nb;

	if (v->kind != SR_V_INT || !is_num(n))
		return false;
	if (base == SR_BASE_HEX && n->num.u == 0)
		base = SR_BASE_DEC;
	c.base = base;
	if (n->kind == SR_S_UINT || base != SR_BASE_DEC)
		c.flags = SR_VF_UNSIGNED;
	c.num.u = n->num.u;
	na = sr_int_spell(a, &c);
	if (v->text.len)
		return na == v->text.len && !memcmp(a, v->text.ptr, na);
	nb = sr_int_spell(b, v);
	return na == nb && !memcmp(a, b, na);
}

/* An IDENT printing as the word w (set_word), w UTF-8 */
static bool word_same(const struct sr_value *v, struct sr_str w)
{
	return v->kind == SR_V_IDENT && str_eq(v->text, w) && sr_json_utf8_valid(w.ptr, w.len);
}

static bool same(const struct sr_value *v, const struct sr_sval *s, struct sr_sarg t, int depth);

/* spell_flags: the names joined by |, the residue last in hex (octal) */
static bool flags_same(const struct sr_value *v, const struct sr_sval *s, struct sr_sarg t)
{
	const struct sr_sval *names = GET(s, "names"), *res = GET(s, "residue");
	const struct sem_set *st = sr_sem_set(t.set);
	uint8_t rbase = st && st->oct ? SR_BASE_OCT : SR_BASE_HEX;
	const struct sr_value *kids;
	uint32_t n, i;

	if (!names || names->kind != SR_S_ARRAY)
		return false;
	n = names->n + (res ? 1 : 0);
	if (n == 0) {
		struct sr_sval zero = { .kind = SR_S_INT };

		return int_same(v, &zero, st && st->oct ? SR_BASE_OCT : SR_BASE_DEC);
	}
	if (n == 1) {
		kids = v;
	} else {
		if (v->kind != SR_V_FLAGS || v->nkids != n)
			return false;
		kids = v->kids;
	}
	for (i = 0; i < names->n; i++) {
		if (names->kids[i].kind != SR_S_STR || (n > 1 && kids[i].name.len) ||
		    !word_same(&kids[i], names->kids[i].str))
			return false;
	}
	if (res && ((n > 1 && kids[i].name.len) || !int_same(&kids[i], res, rbase)))
		return false;
	return true;
}

/* spell_object's fd shape: N<path> or N, with the name of N when it has one */
static bool fd_same(const struct sr_value *v, const struct sr_sval *s, uint32_t keys)
{
	const struct sr_sval *fd = GET(s, "fd"), *name = GET(s, "name");
	const struct sr_sval *path = GET(s, "path");
	const struct sr_value *num = v;

	if (!path && (keys & K_DEVICE))
		return false; /* spelled without it, but its strings are checked */
	if (path) {
		if (path->kind != SR_S_STR || (keys & K_DEVICE) || v->kind != SR_V_FD ||
		    v->nkids != 1 || (v->flags & SR_VF_DELETED_IN) ||
		    !(v->flags & SR_VF_DELETED) != !(keys & K_DELETED) ||
		    !str_eq(v->text, path->str) ||
		    !sr_json_utf8_valid(path->str.ptr, path->str.len))
			return false;
		num = &v->kids[0];
		if (num->name.len)
			return false;
	}
	if (name && name->kind == SR_S_STR)
		return word_same(num, name->str);
	if (is_num(fd))
		return int_same(num, fd, SR_BASE_DEC);
	return false;
}

/* spell_object's signal set: [A B], ~[...] with the names without "SIG" */
static bool sigset_same(const struct sr_value *v, const struct sr_sval *m, bool complement)
{
	uint32_t i;

	if (m->kind != SR_S_ARRAY || v->nkids != m->n)
		return false;
	if (v->kind == SR_V_SET) {
		if (!(v->flags & SR_VF_COMPLEMENT) != !complement)
			return false;
	} else if (v->kind != SR_V_ARRAY || complement || m->n > 1) {
		/* an array prints as a set only without separators */
		return false;
	}
	for (i = 0; i < m->n; i++) {
		const struct sr_sval *e = &m->kids[i];

		if (e->kind != SR_S_STR || e->str.len <= 3 || memcmp(e->str.ptr, "SIG", 3) ||
		    v->kids[i].name.len ||
		    !word_same(&v->kids[i], (struct sr_str){ e->str.ptr + 3, e->str.len - 3 }))
			return false;
	}
	return true;
}

/* spell_list: the members in order, each spelled as an INT-typed value */
static bool list_same(const struct sr_value *v, const struct sr_sval *arr, int depth)
{
	uint32_t i;

	if (v->nkids != arr->n)
		return false;
	for (i = 0; i < arr->n; i++)
		if (v->kids[i].name.len || !same(&v->kids[i], &arr->kids[i],
						 (struct sr_sarg){ NULL, SR_T_INT, 0 }, depth + 1))
			return false;
	return true;
}

/* spell_vec: 0x... /​* K vars *​/, or the items as an array */
static bool vec_same(const struct sr_value *v, const struct sr_sval *s, struct sr_sarg t,
		     uint32_t keys, int depth)
{
	const struct sr_sval *addr = GET(s, "addr"), *count = GET(s, "count");
	const struct sr_sval *items = GET(s, "items");
	char txt[48], *d = txt;
	size_t n;

	if ((keys & ~(K_ADDR | K_COUNT | K_ITEMS)) || !!addr == !!items)
		return false;
	if (items)
		return items->kind == SR_S_ARRAY && v->kind == SR_V_ARRAY &&
		       list_same(v, items, depth);
	if (!is_num(addr))
		return false;
	if (!count)
		return int_same(v, addr, SR_BASE_HEX);
	if (count->kind != SR_S_INT || count->num.i < 0 || v->kind != SR_V_COMMENT ||
	    v->nkids != 1 || (v->flags & SR_VF_LEADING) || v->kids[0].name.len)
		return false;
	/* spell_vec's " %lld entries " and " %lld var%s " (no snprintf: getdents
	 * is among the commonest calls) */
	*d++ = ' ';
	d = sr_json_u64(d, (uint64_t)count->num.i);
	if (t.type == SR_T_DENTS) {
		d = SR_JSON_LIT(d, " entries ");
	} else {
		d = SR_JSON_LIT(d, " var");
		if (count->num.i != 1)
			*d++ = 's';
		*d++ = ' ';
	}
	n = (size_t)(d - txt);
	return n == v->text.len && !memcmp(txt, v->text.ptr, n) &&
	       int_same(&v->kids[0], addr, SR_BASE_HEX);
}

/* spell_object's struct: {name=value, ...} in the members' order */
static bool struct_same(const struct sr_value *v, const struct sr_sval *s, int depth)
{
	uint32_t i;

	if (v->kind != SR_V_STRUCT || v->text.len || v->nkids != s->n ||
	    (v->flags & (SR_VF_PADDED | SR_VF_COLON | SR_VF_OLD_SYSINFO | SR_VF_SPACED)))
		return false;
	for (i = 0; i < s->n; i++) {
		const struct sr_sval *e = &s->kids[i];
		const struct sr_value *k = &v->kids[i];

		if (e->key.len == 3 && !memcmp(e->key.ptr, "...", 3)) {
			if (k->kind != SR_V_ELLIPSIS || k->name.len)
				return false;
			continue;
		}
		if (!str_eq(k->name, e->key) ||
		    !same(k, e, sr_sem_field(e->key.ptr, e->key.len), depth + 1))
			return false;
	}
	return true;
}

/* The keys that make spell_object choose a shape other than a struct */
#define K_SHAPES                                                                             \
	(K_FD | K_EXITED | K_SIGNALED | K_STOPPED | K_NAMES | K_SIGNALS | K_VALUE | K_NAME | \
	 K_BEFORE | K_CALL | K_EXPR | K_INDEX | K_COMMENT)

static bool object_same(const struct sr_value *v, const struct sr_sval *s, struct sr_sarg t,
			int depth)
{
	uint32_t keys;

	if (t.type == SR_T_VEC || t.type == SR_T_DENTS)
		return vec_same(v, s, t, key_bits(s), depth);
	if (s->n == 0)
		return struct_same(v, s, depth);
	keys = key_bits(s);
	/* in spell_object's order */
	if ((keys & K_FD) && !(keys & ~(K_FD | K_NAME | K_PATH | K_DELETED | K_DEVICE)))
		return fd_same(v, s, keys);
	if (keys & (K_EXITED | K_SIGNALED | K_STOPPED | K_TYPE))
		return false; /* a wait status or a socket: the general path */
	if ((keys & K_NAMES) && !(keys & ~(K_VALUE | K_NAMES | K_RESIDUE)))
		return flags_same(v, s, t);
	if (!(keys & ~(K_VALUE | K_NAME))) {
		const struct sr_sval *name = GET(s, "name"), *val = GET(s, "value");

		if (name && name->kind == SR_S_STR)
			return word_same(v, name->str);
		return val && int_same(v, val, SR_BASE_DEC);
	}
	if (keys & K_SIGNALS) {
		const struct sr_sval *m = GET(s, "signals");

		return m->kind == SR_S_ARRAY && !(keys & ~(K_SIGNALS | K_COMPLEMENT)) &&
		       sigset_same(v, m, keys & K_COMPLEMENT);
	}
	if ((keys & K_SHAPES) || (s->n == 1 && (keys & K_DOTS)))
		return false;
	return struct_same(v, s, depth);
}

static bool same(const struct sr_value *v, const struct sr_sval *s, struct sr_sarg t, int depth)
{
	if (depth > 32)
		return false;
	switch (s->kind) {
	case SR_S_NULL:
		return v->kind == SR_V_NULL;
	case SR_S_INT:
	case SR_S_UINT:
		return int_same(v, s, sr_sem_int_base(t.type));
	case SR_S_STR:
		/* the printed string itself, printed plainly */
		return t.type != SR_T_RESUMED && v->kind == SR_V_STR &&
		       !(v->flags &
			 (SR_VF_HEX_ALL | SR_VF_HEX_CHARS | SR_VF_ABSTRACT | SR_VF_OCT9)) &&
		       !(v->flags & SR_VF_TRUNC) == !(s->flags & SR_SF_TRUNC) &&
		       str_eq(v->text, s->str) && sr_json_utf8_valid(s->str.ptr, s->str.len);
	case SR_S_ARRAY:
		return v->kind == SR_V_ARRAY && list_same(v, s, depth);
	case SR_S_OBJECT:
		return object_same(v, s, t, depth);
	default:
		return false;
	}
}

bool sr_semantic_same(const struct sr_value *v, const struct sr_sval *s, struct sr_sarg t)
{
	return v && s && same(v, s, t, 0);
}
