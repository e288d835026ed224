/*
 * semantic_event.c - the semantic record of one event (docs/semantic-record.md):
 * the named arguments in signature order, the return and a signal's
 * siginfo, as struct sr_sval trees.
 *
 * Every writer that carries the record (jsonl and json, pb, csv's argument
 * columns) takes it from here, so that a key, an argument's type or the
 * order of the arguments cannot differ between formats.  How a format
 * spells the trees, and what it keeps for the way back to strace text
 * (jsonl's "fmt"), stays in the format.
 */
#include <stdio.h>
#include <string.h>

#include "semantic_internal.h"
#include "sysrep.h"

static const char *const argn[] = { "arg0", "arg1", "arg2", "arg3", "arg4",
				    "arg5", "arg6", "arg7", "arg8", "arg9" };

static inline struct sr_str arg_key(struct sr_sarg t, const struct sr_value *v, uint32_t i,
				    struct sr_arena *a)
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
		return (struct sr_str){ "arg", 3 };
	n = snprintf(p, 16, "arg%u", i);
	return (struct sr_str){ p, (size_t)n };
}

struct sr_str sr_semantic_arg_key(struct sr_sarg t, const struct sr_value *v, uint32_t i,
				  struct sr_arena *a)
{
	return arg_key(t, v, i, a);
}

/* The common case (a positional argument of a known call whose type
 * depends on no other) without the calls: this runs for every argument. */
static inline struct sr_sarg arg_at(const struct sr_signature *sig, const struct sr_event *ev,
				    uint32_t i)
{
	struct sr_sarg t;

	if (sig && !ev->args[i].name.len && sig->nargs >= 0 && i < (uint32_t)sig->nargs)
		t = sig->args[i];
	else
		t = sr_semantic_arg_type(sig, i, ev->args[i].name);
	return sig && sig->when ? sr_semantic_arg_when(sig, t, ev->args, ev->nargs) : t;
}

struct sr_sarg sr_semantic_arg_at(const struct sr_signature *sig, const struct sr_event *ev,
				  uint32_t i)
{
	return arg_at(sig, ev, i);
}

/* The type of the return: the signature's, except that a negative number
 * (-1 and errno) is a number whatever the call returns. */
static struct sr_sarg ret_type(const struct sr_signature *sig, const struct sr_value *r)
{
	struct sr_sarg t = { NULL, SR_T_INT, 0 };
	const struct sr_value *iv = sr_value_int(r);

	if (sig && sig->nargs >= 0) {
		t.type = sig->rtype;
		t.set = sig->rset;
	}
	if (iv && iv->base == SR_BASE_DEC && !(iv->flags & SR_VF_UNSIGNED) && iv->num.i < 0)
		t.type = SR_T_INT;
	return t;
}

/* The rank of argument key k: its index in the signature, or past them
 * (equal ranks keep their order). */
static int sig_rank(const struct sr_signature *sig, struct sr_str k)
{
	for (int j = 0; j < sig->nargs; j++)
		if (strlen(sig->args[j].name) == k.len && !memcmp(sig->args[j].name, k.ptr, k.len))
			return j;
	return sig->nargs;
}

/*
 * "args" comes in signature order.  Values strace printed by name, or a
 * capture gave in another order (a scap call cut between its enter and
 * exit keeps the enter's arguments first: write's fd and count, then buf),
 * are put back in it; from[] follows, so that a writer still finds the
 * printed value of each member (jsonl's fmt.argn keeps the printed order).
 */
static void order_by_signature(struct sr_sem_event *se, const struct sr_event *ev)
{
	const struct sr_signature *sig = se->sig;
	struct sr_sval *kids = se->args->kids;
	uint32_t i, j;
	bool named = false;

	if (!sig || sig->nargs <= 0)
		return;
	for (i = 0; i < ev->nargs && !named; i++)
		named = ev->args[i].name.len > 0;
	if (!named)
		return;
	/* insertion sort: a handful of arguments, stable */
	for (i = 1; i < se->args->n; i++) {
		struct sr_sval x = kids[i];
		uint32_t f = se->from[i];
		int r = sig_rank(sig, x.key);

		for (j = i; j > 0 && sig_rank(sig, kids[j - 1].key) > r; j--) {
			kids[j] = kids[j - 1];
			se->from[j] = se->from[j - 1];
		}
		kids[j] = x;
		se->from[j] = f;
	}
}

enum sr_status sr_semantic_event(struct sr_semantic *s, const struct sr_event *ev,
				 struct sr_arena *a, struct sr_sem_event *se)
{
	uint32_t i;

	memset(se, 0, sizeof(*se));
	if (ev->kind == SR_E_SYSCALL || ev->kind == SR_E_UNFINISHED) {
		se->sig = sr_semantic_sig(s, ev);
		/* one block: the object, its members, their types and origins */
		size_t n = ev->nargs + 1;
		char *p = sr_arena_alloc(a, sizeof(*se->args) +
						    n * (sizeof(struct sr_sval) + sizeof(*se->types) +
							 sizeof(*se->from)));

		if (!p)
			return SR_ERR_NOMEM;
		se->args = (struct sr_sval *)p;
		memset(se->args, 0, sizeof(*se->args));
		se->args->kind = SR_S_OBJECT;
		se->args->kids = (struct sr_sval *)(p + sizeof(*se->args));
		se->types = (struct sr_sarg *)(se->args->kids + n);
		se->from = (uint32_t *)(se->types + n);
		for (i = 0; i < ev->nargs; i++) {
			const struct sr_value *v = &ev->args[i];
			struct sr_sarg t = arg_at(se->sig, ev, i);
			struct sr_sval *m = &se->args->kids[i];

			memset(m, 0, sizeof(*m));
			if (!sr_semantic_value_in(m, v, t, a))
				return SR_ERR_NOMEM;
			se->types[i] = t;
			se->from[i] = i;
			m->key = arg_key(t, v, i, a);
			se->args->n++;
		}
		order_by_signature(se, ev);
	}
	if (ev->kind == SR_E_SYSCALL && ev->has_ret && ev->ret) {
		se->rtype = ret_type(se->sig, ev->ret);
		se->ret = sr_semantic_value(ev->ret, se->rtype, a);
		if (!se->ret)
			return SR_ERR_NOMEM;
	}
	if (ev->kind == SR_E_SIGNAL && ev->nargs > 0) {
		struct sr_sarg t = { NULL, SR_T_INT, 0 };

		se->info = sr_semantic_value(&ev->args[0], t, a);
		if (!se->info)
			return SR_ERR_NOMEM;
	}
	return SR_OK;
}
