/*
 * json_in_foreign.c - strace's unmerged structured output ("-B json":
 * integers as strings, some values in strace's text spelling), and what the
 * posix-omni-parser decoder (json_in_omni.c) shares with it: pid, errno and
 * the return value.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_in.h"

/* ------------------------------------------------------------------ */
/* strace -B json                                                      */

/* The branch escapes each byte it does not print as is as \u00XX: a code
 * point below 256 is one byte (Latin-1), so "\u00ff" is the byte 0xff, as
 * strace text's "\377".  jansson hands them over as UTF-8; undo that. */
static struct sr_str bjson_bytes(struct dctx *c, const char *s, size_t n)
{
	char *d = sr_arena_alloc(c->b->arena, n ? n : 1);
	size_t i, o = 0;

	if (!d) {
		c->oom = true;
		return (struct sr_str){ "", 0 };
	}
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch == 0xc2 || ch == 0xc3) && i + 1 < n &&
		    ((unsigned char)s[i + 1] & 0xc0) == 0x80) {
			d[o++] = (char)(((ch & 0x03) << 6) | ((unsigned char)s[i + 1] & 0x3f));
			i++;
		} else {
			d[o++] = (char)ch;
		}
	}
	return (struct sr_str){ d, o };
}

/* A piece of a spelled value: an integer or a constant word. */
static bool bjson_atom(struct dctx *c, const char *s, size_t n, struct sr_value *v)
{
	memset(v, 0, sizeof(*v));
	if (sr_jin_spelled_int(s, n, v)) {
		v->text = v->base == SR_BASE_DEC && !(n && s[0] == '0' && n > 1)
				  ? (struct sr_str){ "", 0 } : sr_jin_dup_str(c, s, n);
		return true;
	}
	if (!sr_jin_is_word(s, n))
		return false;
	v->kind = SR_V_IDENT;
	v->text = sr_jin_dup_str(c, s, n);
	return true;
}

/* Values the branch leaves in strace's text spelling inside a JSON string:
 * "O_RDONLY|O_CLOEXEC", "S_IFREG|0644" (flags), "8192*1024" (a product),
 * "[USR1 TERM]", "[]" (a signal set).  They become the nodes the strace
 * reader builds for the same text; false when s is none of them. */
static bool bjson_spelled(struct dctx *c, const char *s, size_t n, struct sr_value *v)
{
	size_t i, k = 0, start;
	char sep = 0;

	if (n == 2 && s[0] == '[' && s[1] == ']') {
		/* "[]": what the strace reader makes of it, an empty array */
		memset(v, 0, sizeof(*v));
		v->kind = SR_V_ARRAY;
		return true;
	}
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		sep = ' ';
		s++;
		n -= 2;
	} else if (memchr(s, '|', n)) {
		sep = '|';
	} else if (memchr(s, '*', n)) {
		sep = '*';
	} else {
		return false;
	}
	for (i = 0; i < n; i++)
		k += s[i] == sep;
	if (sep != ' ' || n)
		k++;
	if (sep == '*' && k != 2)
		return false;
	memset(v, 0, sizeof(*v));
	v->kids = sr_jin_new_values(c, k ? k : 1);
	if (!v->kids)
		return true;
	v->nkids = (uint32_t)k;
	for (i = 0, start = 0, k = 0; i <= n && n; i++) {
		if (i < n && s[i] != sep)
			continue;
		if (!bjson_atom(c, s + start, i - start, &v->kids[k++]))
			return false;
		start = i + 1;
	}
	v->kind = sep == ' ' ? SR_V_SET : sep == '|' ? SR_V_FLAGS : SR_V_EXPR;
	if (sep == '*')
		v->text = SR_STR("*");
	return true;
}

/* A string node: an integer spelling, a constant, a value in strace's
 * spelling, or a string.  Where the signature says the argument is a
 * string, it is one (a path may well be "3"), except the address strace
 * prints for a buffer of a failed call. */
static void bjson_string(struct dctx *c, const char *s, size_t n, struct sr_value *v, bool member)
{
	bool addr = c->want_str && c->failed && n > 2 && s[0] == '0' && s[1] == 'x';

	if (c->want_str && !addr) {
		v->kind = SR_V_STR;
		v->text = bjson_bytes(c, s, n);
		return;
	}
	v->text = sr_jin_dup_str(c, s, n);
	if (sr_jin_spelled_int(s, n, v)) {
		if (v->base == SR_BASE_DEC)
			v->text = (struct sr_str){ "", 0 };
		return;
	}
	if (member || sr_jin_is_word(s, n)) {
		v->kind = SR_V_IDENT;
		return;
	}
	if (bjson_spelled(c, s, n, v))
		return;
	if (n > 2 && s[0] == '{' && s[n - 1] == '}' && c->call) {
		/* a C expression strace prints in braces, wait4's status
		 * "{WIFEXITED(s) && WEXITSTATUS(s) == 3}": strace's grammar */
		uint32_t got = 0;

		memset(v, 0, sizeof(*v));
		if (sr_jin_strace_args(c, c->call, s, n, v, 1, &got) && got == 1)
			return;
		if (c->oom)
			return;
	}
	memset(v, 0, sizeof(*v));
	v->kind = SR_V_STR;
	v->text = bjson_bytes(c, s, n);
}

bool sr_jin_bjson_value(struct dctx *c, const json_t *j, struct sr_value *v, int depth,
			bool member);

static bool bjson_list(struct dctx *c, const json_t *a, struct sr_value *v, int depth, bool member)
{
	size_t i, n = json_array_size(a);

	v->kids = sr_jin_new_values(c, n);
	v->nkids = (uint32_t)n;
	for (i = 0; i < n && !c->oom; i++)
		if (!sr_jin_bjson_value(c, json_array_get(a, i), &v->kids[i], depth, member))
			return false;
	return !c->oom;
}

/* The node kinds of the branch: null, string, partial string, int, array,
 * flags, struct, call, shift, index; each non-trivial one an object keyed
 * by its kind.  Unknown objects become structs. */
bool sr_jin_bjson_value(struct dctx *c, const json_t *j, struct sr_value *v, int depth,
			bool member)
{
	const json_t *x;

	if (++depth > MAX_DEPTH || c->oom || sr_jin_missing(c, j, "a value is missing"))
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
		v->text = sr_jin_jstr(c, x);
	} else if ((x = json_object_get(j, "partial_string")) ||
		   (x = json_object_get(j, "partial"))) {
		v->kind = SR_V_STR;
		v->flags |= SR_VF_TRUNC;
		v->text = json_is_string(x) ? bjson_bytes(c, json_string_value(x),
							     json_string_length(x))
					    : (struct sr_str){ "", 0 };
	} else if ((x = json_object_get(j, "int"))) {
		if (json_is_string(x))
			bjson_string(c, json_string_value(x), json_string_length(x), v, false);
		else
			return sr_jin_bjson_value(c, x, v, depth, false);
	} else if ((x = json_object_get(j, "flags"))) {
		v->kind = SR_V_FLAGS;
		return bjson_list(c, x, v, depth, true);
	} else if ((x = json_object_get(j, "indirect")) && json_is_array(x)) {
		/* a value read through a pointer: strace prints [16]; a number
		 * there even where the argument's type is a buffer */
		bool want = c->want_str, ok;

		v->kind = SR_V_ARRAY;
		c->want_str = false;
		ok = bjson_list(c, x, v, depth, false);
		c->want_str = want;
		return ok;
	} else if ((x = json_object_get(j, "arg")) && json_is_string(x) &&
		   json_object_get(j, "value")) {
		/* a named argument, clone's "flags=..." */
		struct sr_str name = sr_jin_jstr(c, x);

		if (!sr_jin_bjson_value(c, json_object_get(j, "value"), v, depth, false))
			return false;
		v->name = name;
	} else if ((x = json_object_get(j, "array"))) {
		v->kind = SR_V_ARRAY;
		return bjson_list(c, x, v, depth, false);
	} else if ((x = json_object_get(j, "call"))) {
		const json_t *a = json_object_get(j, "args");

		v->kind = SR_V_CALL;
		v->text = sr_jin_jstr(c, x);
		if (json_is_array(a))
			return bjson_list(c, a, v, depth, false);
	} else if ((x = json_object_get(j, "shift")) || (x = json_object_get(j, "index"))) {
		bool shift = json_object_get(j, "shift") != NULL;

		v->kind = shift ? SR_V_EXPR : SR_V_INDEX;
		if (shift)
			v->text = SR_STR("<<");
		if (!json_is_array(x) || json_array_size(x) < 2) {
			c->why = shift ? "a \"shift\" that is not an array of 2 items"
				       : "an \"index\" that is not an array of 2 items";
			return false;
		}
		v->kids = sr_jin_new_values(c, 2);
		v->nkids = 2;
		if (!v->kids || !sr_jin_bjson_value(c, json_array_get(x, 0), &v->kids[0], depth, false) ||
		    !sr_jin_bjson_value(c, json_array_get(x, 1), &v->kids[1], depth, false))
			return false;
	} else {
		const char *k;
		json_t *m;
		size_t i = 0;

		if ((x = json_object_get(j, "struct")) && json_is_object(x))
			j = x;
		v->kind = SR_V_STRUCT;
		v->nkids = (uint32_t)json_object_size(j);
		v->kids = sr_jin_new_values(c, v->nkids);
		json_object_foreach((json_t *)j, k, m) {
			if (c->oom || !sr_jin_bjson_value(c, m, &v->kids[i], depth, false))
				return false;
			v->kids[i++].name = sr_jin_dup_str(c, k, strlen(k));
		}
	}
	return !c->oom;
}

/* errno names and their message, if the object has them. */
void sr_jin_foreign_errno(struct dctx *c, const json_t *o, struct sr_event *ev)
{
	const json_t *x;

	if ((x = json_object_get(o, "errno")) || (x = json_object_get(o, "error")))
		ev->err = sr_jin_jatom(c, x);
	if ((x = json_object_get(o, "errmsg")) || (x = json_object_get(o, "strerror")))
		ev->errmsg = sr_jin_jstr(c, x);
}

void sr_jin_foreign_pid(const json_t *o, struct sr_event *ev)
{
	const json_t *x = json_object_get(o, "pid");

	if (x) {
		ev->lead.pid = sr_jin_jint(x, -1);
		if (ev->lead.pid >= 0)
			ev->lead.pid_form = SR_PID_PLAIN;
	}
}

/* A return value printed as text: "0", "-1", "0x7f...", "-1 ENOENT (...)". */
void sr_jin_text_return(struct dctx *c, const char *s, size_t n, struct sr_event *ev)
{
	size_t k = 0;

	ev->has_ret = true;
	while (k < n && s[k] != ' ')
		k++;
	if (k == 1 && s[0] == '?')
		return;
	ev->ret = sr_jin_new_values(c, 1);
	if (!ev->ret)
		return;
	bjson_string(c, s, k, ev->ret, false);
	if (k < n && !ev->err) {
		size_t e = ++k;

		while (e < n && s[e] != ' ')
			e++;
		ev->err = sr_intern(c->b->atoms, s + k, e - k);
		if (e + 2 < n && s[e + 1] == '(' && s[n - 1] == ')')
			ev->errmsg = sr_jin_dup_str(c, s + e + 2, n - e - 3);
	}
}

/* The "return" of both foreign shapes: a text ("-1 ENOENT (...)"), a
 * (value, "ENOENT") pair, null for "= ?", or a plain value. */
bool sr_jin_foreign_return(struct dctx *c, const json_t *ret, struct sr_event *ev)
{
	if (json_is_string(ret)) {
		sr_jin_text_return(c, json_string_value(ret), json_string_length(ret), ev);
	} else if (json_is_array(ret) && json_array_size(ret)) {
		const json_t *r0 = json_array_get(ret, 0), *r1 = json_array_get(ret, 1);

		ev->has_ret = true;
		if (json_is_string(r0) && !strcmp(json_string_value(r0), "?")) {
			/* "= ?": no value */
		} else if ((ev->ret = sr_jin_new_values(c, 1))) {
			sr_jin_bjson_value(c, r0, ev->ret, 0, false);
		}
		if (json_is_string(r1) && !ev->err)
			ev->err = sr_jin_jatom(c, r1);
	} else if (ret) {
		ev->has_ret = true;
		if (!json_is_null(ret)) {
			ev->ret = sr_jin_new_values(c, 1);
			if (!ev->ret || !sr_jin_bjson_value(c, ret, ev->ret, 0, false))
				return false;
		}
	}
	if (ev->has_ret)
		ev->pad = (uint16_t)sr_jin_default_pad(c->r, ev);
	return !c->oom;
}

void sr_jin_bjson_drop_pending(struct sr_reader *r)
{
	unsigned i;

	for (i = 0; i < r->npend; i++)
		json_decref(r->pend[i].o);
	r->npend = 0;
}

/* Keeps o, an unfinished call of pid, until its resumption (one per pid:
 * a task has one call in flight; the oldest goes when all slots are
 * taken, and its resumption is then an orphan). */
static void bjson_keep(struct sr_reader *r, int64_t pid, const json_t *o)
{
	unsigned i;

	for (i = 0; i < r->npend && r->pend[i].pid != pid; i++)
		;
	if (i < r->npend) {
		json_decref(r->pend[i].o);
	} else if (r->npend == sizeof(r->pend) / sizeof(r->pend[0])) {
		json_decref(r->pend[0].o);
		memmove(&r->pend[0], &r->pend[1], (r->npend - 1) * sizeof(r->pend[0]));
		i = r->npend - 1;
	} else {
		i = r->npend++;
	}
	r->pend[i].pid = pid;
	r->pend[i].o = json_incref((json_t *)o);
}

/* The kept first half of pid's call `name`, taken out; NULL if none. */
static json_t *bjson_take(struct sr_reader *r, int64_t pid, const char *name)
{
	unsigned i;
	json_t *o;

	for (i = 0; i < r->npend; i++) {
		const json_t *cmd = json_object_get(r->pend[i].o, "cmd");

		if (r->pend[i].pid == pid && json_is_string(cmd) &&
		    !strcmp(json_string_value(cmd), name))
			break;
	}
	if (i == r->npend)
		return NULL;
	o = r->pend[i].o;
	memmove(&r->pend[i], &r->pend[i + 1], (r->npend - i - 1) * sizeof(r->pend[0]));
	r->npend--;
	return o;
}

/* The arguments of a's args array from position `at` of ev on, typed by
 * the signature. */
static bool bjson_args(struct dctx *c, const json_t *args, const struct sr_signature *sig,
		       struct sr_event *ev, uint32_t at)
{
	size_t i, n = json_array_size(args);

	for (i = 0; i < n && !c->oom; i++) {
		const json_t *a = json_array_get(args, i);
		const json_t *an = json_is_object(a) ? json_object_get(a, "arg") : NULL;
		struct sr_sarg t = { 0 };

		if (sig)
			t = sr_semantic_arg_type(sig, at + (uint32_t)i,
						 json_is_string(an) ? sr_jin_jstr(c, an)
								    : (struct sr_str){ "", 0 });
		c->want_str = sig && (t.type == SR_T_PATH || t.type == SR_T_STR ||
				      t.type == SR_T_BUF || t.type == SR_T_STRV);
		if (!sr_jin_bjson_value(c, a, &ev->args[at + i], 0, false))
			return false;
	}
	c->want_str = false;
	return !c->oom;
}

/* The branch's other events: {"signal":"SIGCHLD","siginfo":{...}},
 * {"exited":"0"}, {"killed":"SIGTERM","with-core":""}. */
static bool bjson_other(struct dctx *c, const json_t *o, struct sr_event *ev)
{
	const json_t *x;
	struct sr_value v;

	sr_jin_foreign_pid(o, ev);
	if ((x = json_object_get(o, "exited"))) {
		ev->kind = SR_E_EXIT;
		memset(&v, 0, sizeof(v));
		if (!json_is_string(x) ||
		    !sr_jin_spelled_int(json_string_value(x), json_string_length(x), &v)) {
			c->why = "an \"exited\" status that is not an integer";
			return false;
		}
		ev->code = v.num.i;
		return true;
	}
	if ((x = json_object_get(o, "killed"))) {
		const json_t *core = json_object_get(o, "with-core");

		ev->kind = SR_E_KILLED;
		ev->name = sr_jin_jatom(c, x);
		if (json_is_string(core) && json_string_length(core))
			ev->flags |= SR_EF_CORE;
		return !c->oom;
	}
	ev->kind = SR_E_SIGNAL;
	ev->name = sr_jin_jatom(c, json_object_get(o, "signal"));
	if ((x = json_object_get(o, "siginfo"))) {
		ev->args = sr_jin_new_values(c, 1);
		if (!ev->args || !sr_jin_bjson_value(c, x, ev->args, 0, false))
			return false;
		ev->nargs = 1;
	}
	return !c->oom;
}

bool sr_jin_bjson_event(struct dctx *c, const json_t *o, struct sr_event *ev)
{
	const json_t *args = json_object_get(o, "args"), *ret = json_object_get(o, "return"), *x;
	const struct sr_signature *sig;

	const json_t *res = json_object_get(o, "resumed");
	json_t *first = NULL;
	uint32_t head = 0;
	bool ok;

	if (!json_object_get(o, "cmd") && !json_is_string(res))
		return bjson_other(c, o, ev);

	ev->kind = SR_E_SYSCALL;
	ev->name = sr_jin_jatom(c, json_is_string(res) ? res : json_object_get(o, "cmd"));
	sr_jin_foreign_pid(o, ev);
	sr_jin_foreign_errno(c, o, ev);
	sig = ev->name ? sr_signature_find(c->r->arch, ev->name->str, ev->name->len) : NULL;
	c->failed = json_object_get(o, "error") != NULL;
	c->call = ev->name;
	if (json_is_string(res)) {
		/* {"resumed":"wait4","args":[the rest]}: the call is its kept
		 * first half's arguments and these, like the strace reader's
		 * merged <... wait4 resumed> */
		first = bjson_take(c->r, ev->lead.pid, json_string_value(res));
		if (first)
			head = (uint32_t)json_array_size(json_object_get(first, "args"));
		else
			ev->flags |= SR_EF_ORPHAN;
	}
	ev->nargs = head + (uint32_t)json_array_size(args);
	ev->args = sr_jin_new_values(c, ev->nargs);
	ok = (!first || bjson_args(c, json_object_get(first, "args"), sig, ev, 0)) &&
	     bjson_args(c, args, sig, ev, head);
	if (first && ok) {
		struct sr_event cut = *ev;
		struct sr_buf *t = &c->r->scratch;

		/* where strace text cuts the line: after "name(first args" */
		cut.nargs = head;
		t->len = 0;
		sr_strace_print_call_open(t, &cut);
		ev->split = (uint32_t)t->len;
		ev->flags |= SR_EF_RESUMED;
	}
	json_decref(first);
	if (!ok)
		return false;
	if (json_is_string(ret) && !strcmp(json_string_value(ret), "unfinished")) {
		/* "return":"unfinished": the call's first half, kept for its
		 * resumption */
		ev->kind = SR_E_UNFINISHED;
		bjson_keep(c->r, ev->lead.pid, o); /* -1: a trace without pids */
		return true;
	}
	if ((x = json_object_get(o, "retstr")) && json_is_string(x)) {
		/* the return's note: strace text's "= 0x8000 (flags O_RDONLY)" */
		ev->notes = sr_arena_alloc(c->b->arena, sizeof(*ev->notes));
		if (!ev->notes)
			return !(c->oom = true);
		ev->notes[0] = sr_jin_jstr(c, x);
		ev->nnotes = 1;
	}
	return sr_jin_foreign_return(c, ret, ev);
}
