/*
 * semantic_spell.c - the way back: a semantic value and its type spelled
 * the way strace prints that meaning by default (-X abbrev, no -y, plain
 * strings).  The JSON writers compare this with what the trace printed and
 * keep the printed tree under "fmt" only where they differ; the JSON reader
 * rebuilds every other argument with this same function, so the round trip
 * is exact by construction.
 */
#include <stdio.h>
#include <string.h>

#include "semantic_internal.h"
#include "sysrep.h"

static struct sr_value *vals(struct sr_arena *a, size_t n)
{
	struct sr_value *v = sr_arena_alloc(a, (n ? n : 1) * sizeof(*v));

	if (v)
		memset(v, 0, (n ? n : 1) * sizeof(*v));
	return v;
}

static inline bool key_is_n(const struct sr_sval *m, const char *k, size_t n)
{
	return m->key.len == n && !memcmp(m->key.ptr, k, n);
}

#define key_is(m, lit) key_is_n((m), (lit), sizeof(lit) - 1)

/* The member lit of object o (a string literal: no strlen per lookup). */
static inline const struct sr_sval *get_n(const struct sr_sval *o, const char *k, size_t n)
{
	uint32_t i;

	for (i = 0; i < o->n; i++)
		if (key_is_n(&o->kids[i], k, n))
			return &o->kids[i];
	return NULL;
}

#define GET(o, lit) get_n((o), (lit), sizeof(lit) - 1)

/* True when every key of object o is one of keys (NULL-terminated). */
static bool keys_within(const struct sr_sval *o, const char *const *keys)
{
	uint32_t i;

	for (i = 0; i < o->n; i++) {
		const char *const *k;

		for (k = keys; *k; k++)
			if (key_is_n(&o->kids[i], *k, strlen(*k)))
				break;
		if (!*k)
			return false;
	}
	return true;
}

static void set_int(struct sr_value *v, const struct sr_sval *s, uint8_t base)
{
	/* strace's %#lx prints 0 as "0" */
	if (base == SR_BASE_HEX && s->num.u == 0)
		base = SR_BASE_DEC;
	v->kind = SR_V_INT;
	v->base = base;
	if (s->kind == SR_S_UINT || base != SR_BASE_DEC) {
		v->flags |= SR_VF_UNSIGNED;
		v->num.u = s->num.u;
	} else {
		v->num.i = s->num.i;
	}
}

static void set_word(struct sr_value *v, const struct sr_sval *s)
{
	v->kind = SR_V_IDENT;
	v->text = s->str;
}

static bool spell(struct sr_value *v, const struct sr_sval *s, struct sr_sarg t,
		  struct sr_arena *a, int depth);

static bool spell_flags(struct sr_value *v, const struct sr_sval *s, struct sr_sarg t,
			struct sr_arena *a)
{
	const struct sr_sval *names = GET(s, "names"), *res = GET(s, "residue");
	const struct sem_set *st = sr_sem_set(t.set);
	uint32_t n = (names ? names->n : 0) + (res ? 1 : 0), i, k = 0;
	struct sr_value *kids;
	uint8_t rbase = st && st->oct ? SR_BASE_OCT : SR_BASE_HEX;

	if (!names || names->kind != SR_S_ARRAY)
		return false;
	if (n == 0) {
		/* no name and no residue: a value of 0 */
		struct sr_sval zero = { .kind = SR_S_INT };

		set_int(v, &zero, st && st->oct ? SR_BASE_OCT : SR_BASE_DEC);
		return true;
	}
	kids = n == 1 ? v : vals(a, n);
	if (!kids)
		return false;
	for (i = 0; i < names->n; i++) {
		const struct sr_sval *e = &names->kids[i];

		if (e->kind == SR_S_STR)
			set_word(&kids[k++], e);
		else if (!spell(&kids[k++], e, (struct sr_sarg){ NULL, SR_T_INT, 0 }, a, 1))
			return false;
	}
	if (res)
		set_int(&kids[k++], res, rbase);
	if (n > 1) {
		v->kind = SR_V_FLAGS;
		v->kids = kids;
		v->nkids = n;
	}
	return true;
}

static bool spell_list(struct sr_value *v, const struct sr_sval *arr, struct sr_arena *a,
		       int depth)
{
	uint32_t i;

	v->kids = vals(a, arr->n);
	v->nkids = arr->n;
	if (!v->kids)
		return false;
	for (i = 0; i < arr->n; i++)
		if (!spell(&v->kids[i], &arr->kids[i], (struct sr_sarg){ NULL, SR_T_INT, 0 }, a,
			   depth + 1))
			return false;
	return true;
}

static const char *const fd_keys[] = { "fd", "name", "path", "deleted", "device", NULL };
static const char *const dev_keys[] = { "type", "major", "minor", NULL };

/* path + -yy's "<char 1:3>" */
static bool path_device(struct sr_str *out, struct sr_str path, const struct sr_sval *dev,
			struct sr_arena *a)
{
	const struct sr_sval *type = GET(dev, "type"), *maj = GET(dev, "major");
	const struct sr_sval *min = GET(dev, "minor");
	char *t;
	int n;

	if (dev->kind != SR_S_OBJECT || !keys_within(dev, dev_keys) || !type ||
	    type->kind != SR_S_STR || type->str.len > 16 || !maj || maj->kind != SR_S_INT ||
	    !min || min->kind != SR_S_INT || path.len > 1u << 20)
		return false;
	t = sr_arena_alloc(a, path.len + 64);
	if (!t)
		return false;
	memcpy(t, path.ptr, path.len);
	n = snprintf(t + path.len, 64, "<%.*s %lld:%lld>", (int)type->str.len, type->str.ptr,
		     (long long)maj->num.i, (long long)min->num.i);
	if (n <= 0 || n >= 64)
		return false;
	*out = (struct sr_str){ t, path.len + (size_t)n };
	return true;
}

/* {"addr":N,"count":K} back to 0x... /​* K vars *​/ (K entries for dents);
 * {"count":K,"items":[...]} back to the array. */
static bool spell_vec(struct sr_value *v, const struct sr_sval *s, struct sr_sarg t,
		      struct sr_arena *a, int depth)
{
	const struct sr_sval *addr = GET(s, "addr"), *count = GET(s, "count");
	const struct sr_sval *items = GET(s, "items");
	static const char *const vec_keys[] = { "addr", "count", "items", NULL };
	char *txt;
	int n;

	if (!keys_within(s, vec_keys) || !!addr == !!items)
		return false;
	if (items) {
		if (items->kind != SR_S_ARRAY)
			return false;
		v->kind = SR_V_ARRAY;
		return spell_list(v, items, a, depth);
	}
	if (addr->kind != SR_S_INT && addr->kind != SR_S_UINT)
		return false;
	if (!count) {
		set_int(v, addr, SR_BASE_HEX);
		return true;
	}
	if (count->kind != SR_S_INT || count->num.i < 0)
		return false;
	txt = sr_arena_alloc(a, 40);
	v->kids = vals(a, 1);
	if (!txt || !v->kids)
		return false;
	if (t.type == SR_T_DENTS)
		n = snprintf(txt, 40, " %lld entries ", (long long)count->num.i);
	else
		n = snprintf(txt, 40, " %lld var%s ", (long long)count->num.i,
			     count->num.i == 1 ? "" : "s");
	v->kind = SR_V_COMMENT;
	v->text = (struct sr_str){ txt, (size_t)n };
	v->nkids = 1;
	set_int(v->kids, addr, SR_BASE_HEX);
	return true;
}
static const char *const wait_keys[] = { "exited", "signaled", "stopped", "status", "signal",
					 "core_dumped", NULL };

static struct sr_value *macro(struct sr_arena *a, struct sr_value *v, const char *name)
{
	v->kind = SR_V_CALL;
	v->text = (struct sr_str){ name, strlen(name) };
	v->kids = vals(a, 1);
	v->nkids = 1;
	if (!v->kids)
		return NULL;
	v->kids[0].kind = SR_V_IDENT;
	v->kids[0].text = (struct sr_str){ "s", 1 };
	return v;
}

static bool op(struct sr_arena *a, struct sr_value *v, const char *o)
{
	v->kind = SR_V_EXPR;
	v->flags |= SR_VF_SPACED;
	v->text = (struct sr_str){ o, 2 };
	v->kids = vals(a, 2);
	v->nkids = 2;
	return v->kids != NULL;
}

/* {"exited":true,"status":0} back to {WIFEXITED(s) && WEXITSTATUS(s) == 0} */
static bool spell_wait(struct sr_value *v, const struct sr_sval *s, struct sr_arena *a)
{
	const struct sr_sval *st = GET(s, "status"), *sig = GET(s, "signal");
	const char *is, *get;
	struct sr_value *e, *cmp;

	if (GET(s, "exited") && st && (st->kind == SR_S_INT || st->kind == SR_S_UINT) && !sig)
		is = "WIFEXITED", get = "WEXITSTATUS";
	else if (GET(s, "signaled") && sig && !st)
		is = "WIFSIGNALED", get = "WTERMSIG";
	else if (GET(s, "stopped") && sig && !st && !GET(s, "core_dumped"))
		is = "WIFSTOPPED", get = "WSTOPSIG";
	else
		return false;
	v->kind = SR_V_STRUCT;
	v->kids = e = vals(a, 1);
	v->nkids = 1;
	if (!e)
		return false;
	if (GET(s, "core_dumped")) {
		if (!op(a, e, "&&") || !macro(a, &e->kids[1], "WCOREDUMP"))
			return false;
		e = &e->kids[0];
	}
	if (!op(a, e, "&&") || !macro(a, &e->kids[0], is) || !op(a, &e->kids[1], "=="))
		return false;
	cmp = &e->kids[1];
	if (!macro(a, &cmp->kids[0], get))
		return false;
	if (st) {
		set_int(&cmp->kids[1], st, SR_BASE_DEC);
		return true;
	}
	return spell(&cmp->kids[1], sig, (struct sr_sarg){ NULL, SR_T_SIGNAL, 0 }, a, 1);
}

static const char *const sock_keys[] = { "fd", "type", "protocol", "inode", "peer", "kind", NULL };

static bool is_num(const struct sr_sval *s)
{
	return s && (s->kind == SR_S_INT || s->kind == SR_S_UINT);
}

/* {"fd":3,"type":"pipe","inode":9} back to 3<pipe:[9]>: the annotations of
 * -y (socket:[N], pipe:[N], anon_inode:[K]) and of -yy without addresses
 * (UNIX-STREAM:[N->M], NETLINK:[N]).  Others keep their text in fmt. */
static bool spell_socket(struct sr_value *v, const struct sr_sval *s, struct sr_arena *a)
{
	const struct sr_sval *fd = GET(s, "fd"), *type = GET(s, "type"), *proto = GET(s, "protocol");
	const struct sr_sval *inode = GET(s, "inode"), *peer = GET(s, "peer"), *kind = GET(s, "kind");
	struct sr_str head;
	char *t;
	int n;

	if (!is_num(fd) || type->kind != SR_S_STR)
		return false;
	if (proto)
		head = proto->kind == SR_S_STR ? proto->str : (struct sr_str){ NULL, 0 };
	else
		head = type->str;
	if (!head.ptr || head.len > 64)
		return false;
	t = sr_arena_alloc(a, 160);
	if (!t)
		return false;
	if (kind && kind->kind == SR_S_STR && !inode && !peer && kind->str.len < 64)
		n = snprintf(t, 160, "%.*s:[%.*s]", (int)head.len, head.ptr, (int)kind->str.len,
			     kind->str.ptr);
	else if (is_num(inode) && is_num(peer) && !kind)
		n = snprintf(t, 160, "%.*s:[%llu->%llu]", (int)head.len, head.ptr,
			     (unsigned long long)inode->num.u, (unsigned long long)peer->num.u);
	else if (is_num(inode) && !peer && !kind)
		n = snprintf(t, 160, "%.*s:[%llu]", (int)head.len, head.ptr,
			     (unsigned long long)inode->num.u);
	else
		return false;
	if (n <= 0 || n >= 160)
		return false;
	v->kind = SR_V_FD;
	v->text = (struct sr_str){ t, (size_t)n };
	v->kids = vals(a, 1);
	v->nkids = 1;
	if (!v->kids)
		return false;
	set_int(v->kids, fd, SR_BASE_DEC);
	return true;
}
static const char *const enum_keys[] = { "value", "name", NULL };
static const char *const flag_keys[] = { "value", "names", "residue", NULL };

static bool spell_object(struct sr_value *v, const struct sr_sval *s, struct sr_sarg t,
			 struct sr_arena *a, int depth)
{
	const struct sr_sval *m;
	uint32_t i;

	if (s->n == 0)
		goto as_struct;
	if (GET(s, "fd") && keys_within(s, fd_keys)) {
		const struct sr_sval *fd = GET(s, "fd"), *name = GET(s, "name");
		const struct sr_sval *path = GET(s, "path");
		struct sr_value *num = v;

		if (path) {
			const struct sr_sval *dev = GET(s, "device");

			if (path->kind != SR_S_STR)
				return false;
			v->kind = SR_V_FD;
			v->text = path->str;
			if (dev && !path_device(&v->text, path->str, dev, a))
				return false;
			v->kids = num = vals(a, 1);
			v->nkids = 1;
			if (!num)
				return false;
			if (GET(s, "deleted"))
				v->flags |= SR_VF_DELETED;
		}
		if (name && name->kind == SR_S_STR)
			set_word(num, name);
		else if (fd->kind == SR_S_INT || fd->kind == SR_S_UINT)
			set_int(num, fd, SR_BASE_DEC);
		else
			return false;
		return true;
	}
	if ((GET(s, "exited") || GET(s, "signaled") || GET(s, "stopped")) &&
	    keys_within(s, wait_keys))
		return spell_wait(v, s, a);
	if (GET(s, "fd") && GET(s, "type") && keys_within(s, sock_keys))
		return spell_socket(v, s, a);
	if (GET(s, "names") && keys_within(s, flag_keys))
		return spell_flags(v, s, t, a);
	if (keys_within(s, enum_keys)) {
		const struct sr_sval *name = GET(s, "name"), *val = GET(s, "value");

		if (name && name->kind == SR_S_STR) {
			set_word(v, name);
			return true;
		}
		if (val && (val->kind == SR_S_INT || val->kind == SR_S_UINT)) {
			set_int(v, val, SR_BASE_DEC);
			return true;
		}
		return false;
	}
	m = GET(s, "signals");
	if (m && m->kind == SR_S_ARRAY) {
		v->kind = SR_V_SET;
		if (GET(s, "complement"))
			v->flags |= SR_VF_COMPLEMENT;
		v->kids = vals(a, m->n);
		v->nkids = m->n;
		if (!v->kids)
			return false;
		for (i = 0; i < m->n; i++) {
			const struct sr_sval *e = &m->kids[i];

			if (e->kind == SR_S_STR && e->str.len > 3 && !memcmp(e->str.ptr, "SIG", 3)) {
				v->kids[i].kind = SR_V_IDENT;
				v->kids[i].text = (struct sr_str){ e->str.ptr + 3, e->str.len - 3 };
			} else if (!spell(&v->kids[i], e, (struct sr_sarg){ NULL, SR_T_INT, 0 }, a,
					  depth + 1)) {
				return false;
			}
		}
		return true;
	}
	if (s->n == 2 && key_is(&s->kids[0], "before") && key_is(&s->kids[1], "after")) {
		v->kind = SR_V_CHANGED;
		return spell_list(v, &(struct sr_sval){ .kind = SR_S_ARRAY, .n = 2, .kids = s->kids },
				  a, depth);
	}
	if (s->n == 2 && key_is(&s->kids[0], "call") && key_is(&s->kids[1], "args") &&
	    s->kids[0].kind == SR_S_STR && s->kids[1].kind == SR_S_ARRAY) {
		v->kind = SR_V_CALL;
		v->text = s->kids[0].str;
		return spell_list(v, &s->kids[1], a, depth);
	}
	if (s->n == 1 && key_is(&s->kids[0], "expr") && s->kids[0].kind == SR_S_ARRAY &&
	    s->kids[0].n == 3 && s->kids[0].kids[1].kind == SR_S_STR) {
		const struct sr_sval *e = s->kids[0].kids;

		v->kind = SR_V_EXPR;
		v->text = e[1].str;
		v->kids = vals(a, 2);
		v->nkids = 2;
		if (!v->kids)
			return false;
		/* strace spaces these operators (json_emit.c: sr_json_expr_spaced) */
		if (v->text.len == 2 &&
		    (!memcmp(v->text.ptr, "&&", 2) || !memcmp(v->text.ptr, "||", 2) ||
		     !memcmp(v->text.ptr, "==", 2) || !memcmp(v->text.ptr, "!=", 2)))
			v->flags |= SR_VF_SPACED;
		return spell(&v->kids[0], &e[0], (struct sr_sarg){ NULL, SR_T_INT, 0 }, a, depth + 1) &&
		       spell(&v->kids[1], &e[2], (struct sr_sarg){ NULL, SR_T_INT, 0 }, a, depth + 1);
	}
	if (s->n == 2 && key_is(&s->kids[0], "index") && key_is(&s->kids[1], "value")) {
		v->kind = SR_V_INDEX;
		return spell_list(v, &(struct sr_sval){ .kind = SR_S_ARRAY, .n = 2, .kids = s->kids },
				  a, depth);
	}
	if (s->n == 1 && key_is(&s->kids[0], "comment") && s->kids[0].kind == SR_S_STR) {
		v->kind = SR_V_COMMENT;
		v->text = s->kids[0].str;
		return true;
	}
	if (s->n == 1 && key_is(&s->kids[0], "...")) {
		v->kind = SR_V_ELLIPSIS;
		return true;
	}
as_struct:
	v->kind = SR_V_STRUCT;
	v->kids = vals(a, s->n);
	v->nkids = s->n;
	if (!v->kids)
		return false;
	for (i = 0; i < s->n; i++) {
		const struct sr_sval *e = &s->kids[i];

		if (key_is(e, "...")) {
			v->kids[i].kind = SR_V_ELLIPSIS;
			continue;
		}
		if (!spell(&v->kids[i], e, sr_sem_field(e->key.ptr, e->key.len), a, depth + 1))
			return false;
		v->kids[i].name = e->key;
	}
	return true;
}

/* restart_syscall's "<... resuming interrupted read ...>" from "read" */
static bool spell_resumed(struct sr_value *v, const struct sr_sval *s, struct sr_arena *a)
{
	static const char pre[] = "<... resuming interrupted ", post[] = " ...>";
	size_t np = sizeof(pre) - 1, nq = sizeof(post) - 1;
	char *p = sr_arena_alloc(a, np + s->str.len + nq);

	if (!p)
		return false;
	memcpy(p, pre, np);
	if (s->str.len)
		memcpy(p + np, s->str.ptr, s->str.len);
	memcpy(p + np + s->str.len, post, nq);
	v->kind = SR_V_IDENT;
	v->text = (struct sr_str){ p, np + s->str.len + nq };
	return true;
}

static bool spell(struct sr_value *v, const struct sr_sval *s, struct sr_sarg t,
		  struct sr_arena *a, int depth)
{
	if (depth > 64)
		return false;
	memset(v, 0, sizeof(*v));
	switch (s->kind) {
	case SR_S_NULL:
		v->kind = SR_V_NULL;
		return true;
	case SR_S_BOOL:
		v->kind = SR_V_IDENT;
		v->text = s->num.b ? (struct sr_str){ "true", 4 } : (struct sr_str){ "false", 5 };
		return true;
	case SR_S_INT:
	case SR_S_UINT:
		set_int(v, s, sr_sem_int_base(t.type));
		return true;
	case SR_S_STR:
		if (t.type == SR_T_RESUMED)
			return spell_resumed(v, s, a);
		v->kind = SR_V_STR;
		v->text = s->str;
		if (s->flags & SR_SF_TRUNC)
			v->flags |= SR_VF_TRUNC;
		return true;
	case SR_S_ARRAY:
		v->kind = SR_V_ARRAY;
		return spell_list(v, s, a, depth);
	case SR_S_OBJECT:
		if (t.type == SR_T_VEC || t.type == SR_T_DENTS)
			return spell_vec(v, s, t, a, depth);
		return spell_object(v, s, t, a, depth);
	default:
		return false;
	}
}

struct sr_value *sr_semantic_spell(const struct sr_sval *s, struct sr_sarg type,
				   struct sr_arena *a)
{
	struct sr_value *v = vals(a, 1);

	if (!v || !s || !spell(v, s, type, a, 0))
		return NULL;
	return v;
}
