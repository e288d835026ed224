/*
 * value.c - helpers on the value tree that every format needs.
 */
#include <string.h>

#include "sysrep.h"

size_t sr_int_spell(char *d, const struct sr_value *v)
{
	char tmp[24];
	size_t n = 0, k = 0;
	uint64_t u = v->num.u;

	switch (v->base) {
	case SR_BASE_HEX:
		do {
			tmp[n++] = "0123456789abcdef"[u & 15];
			u >>= 4;
		} while (u);
		d[k++] = '0';
		d[k++] = 'x';
		break;
	case SR_BASE_OCT:
		do {
			tmp[n++] = (char)('0' + (u & 7));
			u >>= 3;
		} while (u);
		d[k++] = '0';
		break;
	default:
		if (!(v->flags & SR_VF_UNSIGNED) && v->num.i < 0) {
			d[k++] = '-';
			u = (uint64_t)0 - u;
		}
		do {
			tmp[n++] = (char)('0' + u % 10);
			u /= 10;
		} while (u);
	}
	while (n)
		d[k++] = tmp[--n];
	return k;
}

const struct sr_value *sr_value_int(const struct sr_value *v)
{
	for (int depth = 0; v && depth < 4; depth++) {
		if (v->kind == SR_V_INT)
			return v;
		if ((v->kind != SR_V_FD && v->kind != SR_V_COMMENT && v->kind != SR_V_CHANGED) ||
		    !v->nkids)
			return NULL;
		v = &v->kids[0];
	}
	return NULL;
}

const struct sr_value *sr_value_member(const struct sr_value *v, uint32_t n, const char *name)
{
	size_t len = strlen(name);

	for (uint32_t i = 0; i < n; i++)
		if (v[i].name.len == len && !memcmp(v[i].name.ptr, name, len))
			return &v[i];
	return NULL;
}

bool sr_value_has_flag(const struct sr_value *f, const char *name, uint64_t bit)
{
	const struct sr_value *iv = sr_value_int(f);

	if (iv)
		return iv->num.u & bit;
	if (f->kind == SR_V_IDENT)
		return f->text.len == strlen(name) && !memcmp(f->text.ptr, name, f->text.len);
	if (f->kind == SR_V_FLAGS)
		for (uint32_t i = 0; i < f->nkids; i++)
			if (sr_value_has_flag(&f->kids[i], name, bit))
				return true;
	return false;
}

static bool named(const struct sr_event *ev, const char *s)
{
	return ev->name && !strcmp(ev->name->str, s);
}

const struct sr_value *sr_clone_flags(const struct sr_event *ev)
{
	const struct sr_value *a;

	if (!ev->nargs || (ev->flags & SR_EF_ORPHAN))
		return NULL;
	if (named(ev, "clone")) {
		a = sr_value_member(ev->args, ev->nargs, "flags");
		return a ? a : sr_value_int(&ev->args[0]);
	}
	if (!named(ev, "clone3"))
		return NULL;
	a = &ev->args[0];
	if (a->kind == SR_V_CHANGED && a->nkids)
		a = &a->kids[0];
	return a->kind == SR_V_STRUCT ? sr_value_member(a->kids, a->nkids, "flags") : NULL;
}
