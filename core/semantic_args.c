/*
 * semantic_args.c - the "args" object of a call's semantic record
 * (docs/semantic-record.md) for writers other than JSON Lines: the CSV
 * writer's "args" cell and its argument columns are this object, so that a
 * CSV row and the jsonl record of the same event never disagree about an
 * argument's name, order or value.
 *
 * The rules are the JSON Lines writer's (formats/json/out_jsonl.c, which
 * also needs per-argument spelling fallbacks and keeps its own loop): a
 * member's key is the signature's name, else the name strace printed
 * (clone's flags=), else argI; members come in signature order.
 */
#include <stdio.h>
#include <string.h>

#include "sysrep.h"

static const char *const argn[] = { "arg0", "arg1", "arg2", "arg3", "arg4",
				    "arg5", "arg6", "arg7", "arg8", "arg9" };

static struct sr_str arg_key(struct sr_arena *a, struct sr_sarg t, const struct sr_value *v,
			     uint32_t i)
{
	char *p;
	int n;

	if (t.name)
		return (struct sr_str){ t.name, strlen(t.name) };
	if (v->name.len)
		return v->name;
	if (i < 10)
		return (struct sr_str){ argn[i], 4 };
	p = sr_arena_alloc(a, 16);
	if (!p)
		return (struct sr_str){ NULL, 0 };
	n = snprintf(p, 16, "arg%u", i);
	return (struct sr_str){ p, (size_t)n };
}

/* The rank of key k: its index in the signature, or past them. */
static int sig_rank(const struct sr_signature *sig, struct sr_str k)
{
	for (int j = 0; j < sig->nargs; j++)
		if (strlen(sig->args[j].name) == k.len && !memcmp(sig->args[j].name, k.ptr, k.len))
			return j;
	return sig->nargs;
}

/* Values strace printed by name (or a capture gave in another order) are
 * put back in signature order; positional ones already are. */
static void order_by_signature(struct sr_sval *args, const struct sr_signature *sig,
			       const struct sr_event *ev)
{
	bool named = false;
	uint32_t i, j;

	if (!sig || sig->nargs <= 0)
		return;
	for (i = 0; i < ev->nargs && !named; i++)
		named = ev->args[i].name.len > 0;
	if (!named)
		return;
	/* insertion sort: a handful of arguments, stable */
	for (i = 1; i < args->n; i++) {
		struct sr_sval x = args->kids[i];
		int r = sig_rank(sig, x.key);

		for (j = i; j > 0 && sig_rank(sig, args->kids[j - 1].key) > r; j--)
			args->kids[j] = args->kids[j - 1];
		args->kids[j] = x;
	}
}

struct sr_sval *sr_semantic_args(struct sr_semantic *s, const struct sr_event *ev,
				 struct sr_arena *a)
{
	const struct sr_signature *sig = sr_semantic_sig(s, ev);
	struct sr_sval *o = sr_arena_alloc(a, sizeof(*o));
	uint32_t i;

	if (!o)
		return NULL;
	memset(o, 0, sizeof(*o));
	o->kind = SR_S_OBJECT;
	o->kids = sr_arena_alloc(a, (ev->nargs + 1) * sizeof(*o->kids));
	if (!o->kids)
		return NULL;
	for (i = 0; i < ev->nargs; i++) {
		const struct sr_value *v = &ev->args[i];
		struct sr_sarg t = sr_semantic_arg_when(sig, sr_semantic_arg_type(sig, i, v->name),
							ev->args, ev->nargs);
		struct sr_sval *m = sr_semantic_value(v, t, a);

		if (!m)
			return NULL;
		o->kids[i] = *m;
		o->kids[i].key = arg_key(a, t, v, i);
		if (!o->kids[i].key.ptr)
			return NULL;
		o->n++;
	}
	order_by_signature(o, sig, ev);
	return o;
}
