/*
 * out_jsonl.c - JSON Lines: one object per event, one event per line.
 *
 * The schema is a contract with users (docs/jsonl-schema.md): keys come in a
 * fixed order and are absent when they do not apply.  Each event is written
 * with a single sink reservation of its worst case, then without checks.
 */
#include <stdio.h>
#include <stdlib.h>

#include "json_emit.h"
#include "semantic_same.h"
#include "strace_text.h"
#include "sysrep.h"

/* The semantic record of one event (docs/semantic-record.md), computed
 * before the event is written so that its size is known. */
struct evsem {
	struct sr_sval *args;	 /* OBJECT, or NULL when the event has none */
	bool *arg_fb;		 /* per argument: keep its spelled tree in fmt.av */
	struct sr_sval *ret;	 /* the return's meaning; NULL: none */
	bool ret_fb;
	struct sr_sval *info;	 /* a signal's siginfo */
	bool info_fb;
	struct sr_str *notes;	 /* the notes in the default spelling when one of them
				  * differs from what the trace printed (fmt.notes) */
	size_t max;		 /* bytes these add to the event's worst case */
};

struct sr_writer {
	struct sr_sink *out;	 /* borrowed */
	struct sr_buf scratch;	 /* owned: strace text, to derive the padding */
	struct sr_semantic *sem; /* owned: signatures, cached per syscall atom */
	struct sr_arena *arena;	 /* owned: this batch's semantic trees */
	struct sr_buf pa, pb;	 /* owned: an argument printed, and respelled */
	char *ptrs;		 /* owned: a JSON Pointer being written */
	size_t ptrs_cap;
	bool spelling;		 /* -O record=spelling: the positional typed values */
	bool array;		 /* the "json" writer: one array, not lines */
	bool no_fmt;		 /* -O fmt=none: no "fmt" key */
	uint64_t nev;		 /* events written (array: for the commas) */
	uint8_t last_pf;	 /* pid form of the last event with a pid */
};

/* The "type" strings with their lengths; the same names as sr_ekind_name()
 * (a test checks it), kept here to skip a strlen per event. */
/* clang-format off */
/* SR_STR() is a compound literal, not a constant initializer in C11. */
#define NAME(lit) { (lit), sizeof(lit) - 1 }

static const struct sr_str kind_names[SR_E__COUNT] = {
	[SR_E_SYSCALL] = NAME("syscall"),
	[SR_E_UNFINISHED] = NAME("unfinished"),
	[SR_E_SIGNAL] = NAME("signal"),
	[SR_E_EXIT] = NAME("exit"),
	[SR_E_KILLED] = NAME("killed"),
	[SR_E_SUPERSEDED] = NAME("superseded"),
	[SR_E_MESSAGE] = NAME("message"),
	[SR_E_SUMMARY] = NAME("summary"),
	[SR_E_UNPARSED] = NAME("unparsed"),
};

static const struct sr_str row_names[] = {
	[SR_SUM_HEADER] = NAME("header"),
	[SR_SUM_RULE] = NAME("rule"),
	[SR_SUM_ROW] = NAME("row"),
	[SR_SUM_TOTAL] = NAME("total"),
};
/* clang-format on */

/* Bytes of syntax and numbers an event can need beyond its strings and
 * values: every key at most once with a number of SR_JSON_TIME_MAX, well
 * under this. */
#define EVENT_FIXED 4096
#define ATTACH_FIXED 160

static size_t event_max(const struct sr_event *ev)
{
	size_t n = EVENT_FIXED, i;

	n += 8 * (ev->lead.comm.len + ev->lead.secontext.len + ev->errmsg.len + ev->unavail.len) +
	     10 * ev->text.len;
	if (ev->name)
		n += 8 * (size_t)ev->name->len;
	if (ev->err)
		n += 8 * (size_t)ev->err->len;
	for (i = 0; i < ev->nnotes; i++)
		n += 16 + 8 * ev->notes[i].len;
	for (i = 0; i < ev->nargs; i++)
		n += sr_json_value_max(&ev->args[i]);
	/* Once for "return_value" or the integer, once for the texts beside
	 * it ("return_text", "return_fd" with its decoding scratch, ...). */
	if (ev->ret)
		n += 2 * sr_json_value_max(ev->ret);
	for (i = 0; i < ev->natt; i++) {
		const struct sr_attach *a = &ev->att[i];

		n += ATTACH_FIXED + 8 * (a->module.len + a->symbol.len) + 8 * a->text.len +
		     2 * a->bytes.len;
	}
	return n;
}

/* ,"key": */
#define KEY(d, k) SR_JSON_LIT(d, ",\"" k "\":")

/* True when every string under s is UTF-8: JSON gives those back exactly
 * (others are written with U+FFFD and their bytes kept in fmt). */
static bool sval_utf8(const struct sr_sval *s, int depth)
{
	uint32_t i;

	if (s->kind == SR_S_STR)
		return sr_json_utf8_valid(s->str.ptr, s->str.len);
	if (s->kind == SR_S_OBJECT || s->kind == SR_S_ARRAY)
		for (i = 0; i < s->n; i++)
			if (depth > SR_JSON_MAX_DEPTH || !sval_utf8(&s->kids[i], depth + 1))
				return false;
	return true;
}

/* INT k (a kid, printed by its spelling or canonically) against the
 * decimal sr_semantic_spell makes of INT n (set_int: no flags).  The
 * caller has checked k->kind == SR_V_INT, !k->name.len, n->kind == SR_S_INT. */
static bool dec_kid_same(const struct sr_value *k, const struct sr_sval *n)
{
	char a[SR_INT_SPELL_MAX], b[SR_INT_SPELL_MAX];
	struct sr_value c = { .kind = SR_V_INT, .base = SR_BASE_DEC };
	size_t na, nb;

	c.num.i = n->num.i;
	na = sr_int_spell(a, &c);
	if (k->text.len)
		return na == k->text.len && !memcmp(a, k->text.ptr, na);
	nb = sr_int_spell(b, k);
	return na == nb && !memcmp(a, b, na);
}

static inline const struct sr_sval *member(const struct sr_sval *o, const char *k, size_t n)
{
	uint32_t i;

	for (i = 0; i < o->n; i++)
		if (o->kids[i].key.len == n && !memcmp(o->kids[i].key.ptr, k, n))
			return &o->kids[i];
	return NULL;
}

/*
 * N<P> (-y) against {"fd":N,"path":P} or {"fd":N,"name":W,"path":P}: the
 * answer spelled_same's general path gives (sr_semantic_spell makes an FD
 * of P with the word W or the decimal N inside), without spelling and
 * printing.  1 same, 0 different, -1 a case left to the general path.
 */
static int fd_same(const struct sr_value *v, const struct sr_sval *s)
{
	const struct sr_sval *fd, *path, *name = NULL;
	const struct sr_value *k = v->kids; /* kids[0] when nkids == 1 */

	if (v->nkids != 1 || (v->flags & (SR_VF_DELETED | SR_VF_DELETED_IN)) || k->name.len ||
	    (s->n != 2 && s->n != 3))
		return -1;
	fd = member(s, "fd", 2);
	path = member(s, "path", 4);
	if (s->n == 3 && !(name = member(s, "name", 4)))
		return -1;
	/* P is the annotation itself only when it held no escape */
	if (!fd || !path || path->kind != SR_S_STR || path->str.ptr != v->text.ptr ||
	    path->str.len != v->text.len)
		return -1;
	if (name) {
		if (name->kind != SR_S_STR || k->kind != SR_V_IDENT)
			return -1;
		/* the general path answers no for a string that is not UTF-8 */
		return name->str.len == k->text.len &&
		       !memcmp(name->str.ptr, k->text.ptr, k->text.len) &&
		       sr_json_utf8_valid(name->str.ptr, name->str.len) &&
		       sr_json_utf8_valid(v->text.ptr, v->text.len);
	}
	if (fd->kind != SR_S_INT || k->kind != SR_V_INT)
		return -1;
	return dec_kid_same(k, fd) && sr_json_utf8_valid(v->text.ptr, v->text.len);
}

/* True when the canonical spelling of s (type t) prints as v does. */
static bool spelled_same(struct sr_writer *w, const struct sr_value *v, const struct sr_sval *s,
			 struct sr_sarg t)
{
	struct sr_value *sp;

	/* the common leaves, without printing: a string spelled plainly, a
	 * NULL, a number in the base its type prints (sr_semantic_spell's
	 * rules, and sr_int_spell's canonical text) */
	if (v->kind == SR_V_STR && s->kind == SR_S_STR && !v->name.len)
		return !(v->flags & (SR_VF_HEX_ALL | SR_VF_HEX_CHARS | SR_VF_ABSTRACT | SR_VF_OCT9)) &&
		       sr_json_utf8_valid(s->str.ptr, s->str.len) && s->str.ptr == v->text.ptr &&
		       s->str.len == v->text.len;
	if (v->kind == SR_V_NULL && s->kind == SR_S_NULL)
		return true;
	if (v->kind == SR_V_INT && (s->kind == SR_S_INT || s->kind == SR_S_UINT)) {
		bool hex = t.type == SR_T_PTR || t.type == SR_T_ADDR || t.type == SR_T_STRUCT ||
			   t.type == SR_T_STR || t.type == SR_T_PATH || t.type == SR_T_BUF ||
			   t.type == SR_T_STRV || t.type == SR_T_XINT;
		char tmp[SR_INT_SPELL_MAX];
		struct sr_value canon = *v;
		size_t n;

		if (hex && s->num.u == 0)
			hex = false;
		if (v->base != (hex ? SR_BASE_HEX : SR_BASE_DEC))
			return false;
		if (!v->text.len)
			return true;
		canon.text = (struct sr_str){ NULL, 0 };
		n = sr_int_spell(tmp, &canon);
		return n == v->text.len && !memcmp(tmp, v->text.ptr, n);
	}
	/* a comment is never part of a number's canonical spelling */
	if (v->kind == SR_V_COMMENT && (s->kind == SR_S_INT || s->kind == SR_S_UINT))
		return false;
	if (v->kind == SR_V_FD && s->kind == SR_S_OBJECT) {
		int same = fd_same(v, s);

		if (same >= 0)
			return same;
	}
	if (s->kind == SR_S_OBJECT && (v->kind == SR_V_IDENT || v->kind == SR_V_FLAGS ||
				       v->kind == SR_V_INT)) {
		const struct sr_sval *k0 = s->n ? &s->kids[0] : NULL;

		/* {"fd":N} alone: the number */
		if (v->kind == SR_V_INT && s->n == 1 && k0->key.len == 2 &&
		    !memcmp(k0->key.ptr, "fd", 2) && k0->kind == SR_S_INT) {
			char tmp[SR_INT_SPELL_MAX];
			struct sr_value canon = *v;
			size_t n;

			if (v->base != SR_BASE_DEC || v->num.i != k0->num.i)
				return false;
			canon.text = (struct sr_str){ NULL, 0 };
			n = sr_int_spell(tmp, &canon);
			return !v->text.len || (n == v->text.len && !memcmp(tmp, v->text.ptr, n));
		}
		/* {"value":N,"name":"X"}: the word X */
		if (v->kind == SR_V_IDENT && s->n == 2 && s->kids[1].key.len == 4 &&
		    !memcmp(s->kids[1].key.ptr, "name", 4) && s->kids[1].kind == SR_S_STR)
			return s->kids[1].str.len == v->text.len &&
			       (!v->text.len ||
				!memcmp(s->kids[1].str.ptr, v->text.ptr, v->text.len));
		/* {"value":N,"names":[...]} without residue: the words joined by | */
		if ((v->kind == SR_V_IDENT || v->kind == SR_V_FLAGS) && s->n == 2 &&
		    s->kids[1].key.len == 5 && !memcmp(s->kids[1].key.ptr, "names", 5)) {
			const struct sr_sval *names = &s->kids[1];
			const struct sr_value *kids = v->kind == SR_V_FLAGS ? v->kids : v;
			uint32_t n = v->kind == SR_V_FLAGS ? v->nkids : 1, i;

			if (names->n != n)
				return false;
			for (i = 0; i < n; i++)
				if (kids[i].kind != SR_V_IDENT || kids[i].name.len ||
				    names->kids[i].kind != SR_S_STR ||
				    names->kids[i].str.len != kids[i].text.len ||
				    (kids[i].text.len && memcmp(names->kids[i].str.ptr, kids[i].text.ptr,
								kids[i].text.len)))
					return false;
			return true;
		}
	}
	/* structs, arrays, sets, flags with a residue...: compared without
	 * spelling when their shape allows (core/semantic_same.c) */
	if (sr_semantic_same(v, s, t))
		return true;
	if (!sval_utf8(s, 0))
		return false;
	sp = sr_semantic_spell(s, t, w->arena);
	if (!sp)
		return false;
	sp->name = v->name;
	w->pa.len = w->pb.len = 0;
	sr_strace_print_value(&w->pa, v);
	sr_strace_print_value(&w->pb, sp);
	return w->pa.len == w->pb.len && !memcmp(w->pa.p, w->pb.p, w->pa.len);
}

static bool compute_sem(struct sr_writer *w, const struct sr_event *ev, struct evsem *es)
{
	struct sr_sem_event se;
	uint32_t i, j;

	memset(es, 0, sizeof(*es));
	if (w->spelling)
		return true;
	if (sr_semantic_event(w->sem, ev, w->arena, &se) != SR_OK)
		return false;
	es->args = se.args;
	es->ret = se.ret;
	es->info = se.info;
	if (se.args) {
		es->arg_fb = sr_arena_alloc(w->arena, ev->nargs + 1);
		if (!es->arg_fb)
			return false;
		for (j = 0; j < se.args->n; j++) {
			i = se.from[j];
			es->arg_fb[i] = !spelled_same(w, &ev->args[i], &se.args->kids[j], se.types[i]);
			if (es->arg_fb[i])
				es->max += sr_json_value_max(&ev->args[i]) + 16;
		}
		es->max += 2 * sr_json_sval_max(es->args) + 64;
	}
	if (se.ret) {
		es->ret_fb = !spelled_same(w, ev->ret, es->ret, se.rtype);
		es->max += 2 * sr_json_sval_max(es->ret) + 64;
		if (es->ret_fb)
			es->max += sr_json_value_max(ev->ret) + 16;
	}
	if (ev->kind == SR_E_SYSCALL && ev->nnotes) {
		bool differ = false;

		es->notes = sr_arena_alloc(w->arena, ev->nnotes * sizeof(*es->notes));
		if (!es->notes)
			return false;
		for (i = 0; i < ev->nnotes; i++) {
			es->notes[i] = sr_semantic_note(ev, se.sig, ev->notes[i], w->arena);
			differ |= es->notes[i].ptr != ev->notes[i].ptr;
			es->max += 16 + 8 * es->notes[i].len;
		}
		if (!differ)
			es->notes = NULL;
	}
	if (se.info) {
		struct sr_sarg t = { NULL, SR_T_INT, 0 };

		es->info_fb = !spelled_same(w, &ev->args[0], es->info, t);
		es->max += 2 * sr_json_sval_max(es->info) + 64;
		if (es->info_fb)
			es->max += sr_json_value_max(&ev->args[0]) + 16;
	}
	if (es->max > w->ptrs_cap) {
		char *p = realloc(w->ptrs, es->max);

		if (!p)
			return false;
		w->ptrs = p;
		w->ptrs_cap = es->max;
	}
	return true;
}

/* "args", "return", "info" of the semantic record, and "truncated". */
static char *put_sem(struct sr_writer *w, char *d, const struct sr_event *ev,
		     const struct evsem *es)
{
	bool first = true, trunc = false;

	if (es->args) {
		d = KEY(d, "args");
		d = sr_json_sval_tr(d, es->args, &trunc);
	} else if (ev->kind == SR_E_SIGNAL && es->info) {
		d = KEY(d, "info");
		d = sr_json_sval_tr(d, es->info, &trunc);
	}
	if (ev->kind == SR_E_SYSCALL && ev->has_ret) {
		d = KEY(d, "return");
		d = sr_json_sval_tr(d, es->ret, &trunc);
	}
	/* the pointers only when a string written above was cut (most
	 * records have none): compute_sem makes args, ret and info only for
	 * the kinds whose record holds them, so each was written above */
	if (trunc) {
		char *k = d;

		d = SR_JSON_LIT(d, ",\"truncated\":[");
		if (es->args)
			d = sr_json_sval_truncs(d, es->args, "/args", w->ptrs, &first);
		if (es->ret)
			d = sr_json_sval_truncs(d, es->ret, "/return", w->ptrs, &first);
		if (es->info)
			d = sr_json_sval_truncs(d, es->info, "/info", w->ptrs, &first);
		if (first)
			d = k;
		else
			*d++ = ']';
	}
	return d;
}

static inline char *put_str(char *d, struct sr_str s)
{
	return sr_json_str(d, s.ptr, s.len);
}

/*
 * The integer of a return value: INT, or the INT under an FD ("3</x>") or a
 * COMMENT ("0" followed by a C comment).  Returns NULL when there is none,
 * and sets *fd and *cm to the FD and COMMENT nodes passed on the way.
 */
static const struct sr_value *ret_int(const struct sr_value *r, const struct sr_value **fd,
				      const struct sr_value **cm)
{
	unsigned int depth;

	*fd = *cm = NULL;
	for (depth = 0; depth < 4; depth++) {
		if (r->kind == SR_V_INT)
			return r;
		if (!r->nkids)
			return NULL;
		if (r->kind == SR_V_FD && !*fd)
			*fd = r;
		else if (r->kind == SR_V_COMMENT && !*cm)
			*cm = r;
		else
			return NULL;
		r = &r->kids[0];
	}
	return NULL;
}

static char *put_return(char *d, const struct sr_event *ev)
{
	const struct sr_value *r = ev->ret, *iv, *fd, *cm;

	if (!r)
		return SR_JSON_LIT(d, ",\"return\":null");
	iv = ret_int(r, &fd, &cm);
	if (!iv) {
		d = KEY(d, "return_value");
		return sr_json_value(d, r);
	}
	d = KEY(d, "return");
	if (iv->base != SR_BASE_DEC || (iv->flags & SR_VF_UNSIGNED))
		d = sr_json_u64(d, iv->num.u);
	else
		d = sr_json_i64(d, iv->num.i);
	if (iv->base != SR_BASE_DEC) {
		d = KEY(d, "return_text");
		if (iv->text.len) {
			d = put_str(d, iv->text);
		} else {
			/* Built without a spelling (not by the strace reader):
			 * make the one strace would print. */
			*d++ = '"';
			if (iv->base == SR_BASE_HEX)
				d = sr_json_hex64(d, iv->num.u);
			else
				d = sr_json_oct64(d, iv->num.u);
			*d++ = '"';
		}
	}
	if (fd) {
		d = KEY(d, "return_fd");
		d = sr_json_fd_path(d, fd);
		if (fd->flags & (SR_VF_DELETED | SR_VF_DELETED_IN))
			d = SR_JSON_LIT(d, ",\"return_fd_deleted\":true");
	}
	if (cm) {
		d = KEY(d, "return_comment");
		d = sr_json_comment(d, cm);
	}
	return d;
}

static char *put_summary(char *d, const struct sr_summary *s)
{
	if (s->row < SR_SUM_HEADER || s->row > SR_SUM_TOTAL)
		return d;
	d = KEY(d, "row");
	d = put_str(d, row_names[s->row]);
	if (s->row != SR_SUM_ROW && s->row != SR_SUM_TOTAL)
		return d;
	/* a table without a header (has == 0) printed the default columns */
	if (!s->has || (s->has & 1u << SR_SC_PCT)) {
		d = KEY(d, "percent");
		d = sr_json_double(d, s->pct);
	}
	if (!s->has || (s->has & 1u << SR_SC_SECONDS)) {
		d = KEY(d, "seconds");
		d = sr_json_double(d, s->seconds);
	}
	if (s->has & 1u << SR_SC_MIN) {
		d = KEY(d, "shortest");
		d = sr_json_double(d, s->min);
	}
	if (s->has & 1u << SR_SC_MAX) {
		d = KEY(d, "longest");
		d = sr_json_double(d, s->max);
	}
	if (!s->has || (s->has & 1u << SR_SC_USECS)) {
		d = KEY(d, "usecs_per_call");
		d = sr_json_u64(d, s->usecs);
	}
	if (!s->has || (s->has & 1u << SR_SC_CALLS)) {
		d = KEY(d, "calls");
		d = sr_json_u64(d, s->calls);
	}
	if (s->has_errors) {
		d = KEY(d, "errors");
		d = sr_json_u64(d, s->errors);
	}
	return d;
}

/* 0 "stack", 1 "dump", 2 "attached" (also kinds this writer does not
 * know), 3 "inserted" (text written into the event's own line) */
static unsigned int attach_group(uint8_t kind)
{
	if (kind == SR_A_FRAME)
		return 0;
	if (kind == SR_A_DUMP || kind == SR_A_IOV)
		return 1;
	if (kind == SR_A_SPLICE || kind == SR_A_OUTPUT)
		return 3;
	return 2;
}

/* ,"text":"..." when the line strace printed is not the one rebuilt from
 * the fields (docs: "Back to strace text"). */
static char *put_att_text(struct sr_writer *w, char *d, const struct sr_attach *a)
{
	if (w->no_fmt)
		return d;
	w->scratch.len = 0;
	sr_json_attach_text(&w->scratch, a);
	if (w->scratch.len == a->text.len && !memcmp(w->scratch.p, a->text.ptr, a->text.len))
		return d;
	d = KEY(d, "text");
	return put_str(d, a->text);
}

static char *put_hexstr(char *d, struct sr_str s);

/* Attachments grouped by kind, each group in input order. */
static char *put_attachments(struct sr_writer *w, char *d, const struct sr_event *ev)
{
	static const char *const keys[] = { ",\"stack\":[", ",\"dump\":[", ",\"attached\":[",
					    ",\"inserted\":[" };
	static const size_t key_len[] = { 10, 9, 13, 13 };
	uint32_t i;
	unsigned int g;

	for (g = 0; g < 4; g++) {
		bool first = true;

		for (i = 0; i < ev->natt; i++) {
			const struct sr_attach *a = &ev->att[i];
			if (attach_group(a->kind) != g)
				continue;
			if (first) {
				memcpy(d, keys[g], key_len[g]);
				d += key_len[g];
				first = false;
			} else {
				*d++ = ',';
			}
			switch (a->kind) {
			case SR_A_FRAME:
				d = SR_JSON_LIT(d, "{\"module\":");
				d = put_str(d, a->module);
				if (a->symbol.len) {
					d = KEY(d, "symbol");
					d = put_str(d, a->symbol);
					d = KEY(d, "offset");
					d = sr_json_u64(d, a->offset);
				}
				d = KEY(d, "addr");
				d = sr_json_u64(d, a->addr);
				d = put_att_text(w, d, a);
				*d++ = '}';
				break;
			case SR_A_DUMP:
				d = SR_JSON_LIT(d, "{\"offset\":");
				d = sr_json_u64(d, a->addr);
				d = SR_JSON_LIT(d, ",\"hex\":\"");
				d = sr_json_hex(d, a->bytes.ptr, a->bytes.len);
				*d++ = '"';
				d = put_att_text(w, d, a);
				*d++ = '}';
				break;
			case SR_A_IOV:
				d = SR_JSON_LIT(d, "{\"iov_bytes\":");
				d = sr_json_u64(d, a->addr);
				d = SR_JSON_LIT(d, ",\"buffer\":");
				d = sr_json_u64(d, a->offset);
				d = put_att_text(w, d, a);
				*d++ = '}';
				break;
			case SR_A_SPLICE:
			case SR_A_OUTPUT:
				d = SR_JSON_LIT(d, "{\"at\":");
				d = sr_json_u64(d, a->addr);
				if (a->kind == SR_A_SPLICE)
					d = SR_JSON_LIT(d, ",\"kind\":\"message\",\"text\":");
				else
					d = SR_JSON_LIT(d, ",\"kind\":\"output\",\"text\":");
				d = put_str(d, a->text);
				if (!sr_json_utf8_valid(a->text.ptr, a->text.len)) {
					d = SR_JSON_LIT(d, ",\"hex\":");
					d = put_hexstr(d, a->text);
				}
				*d++ = '}';
				break;
			default:
				d = put_str(d, a->text);
			}
		}
		if (!first)
			*d++ = ']';
	}
	return d;
}

/* ------------------------------------------------------------------ */
/* "fmt": what the strace text needs beyond the documented keys        */

/* Writes ,"fmt":{ before the first key and , before the others. */
struct fmt {
	bool open;
};

static char *fkey(struct fmt *f, char *d, const char *k, size_t n)
{
	if (!f->open) {
		d = SR_JSON_LIT(d, ",\"fmt\":{\"");
		f->open = true;
	} else {
		d = SR_JSON_LIT(d, ",\"");
	}
	memcpy(d, k, n);
	d += n;
	*d++ = '"';
	*d++ = ':';
	return d;
}

#define FKEY(f, d, k) fkey((f), (d), (k), sizeof(k) - 1)

static const char *const clock_names[] = { "none", "tod", "epoch", "rel" };

/* The clock, digits and width the reader assumes for a time written as
 * JSON number under a key of kind `rel` (rel / duration) or not. */
static void time_default(const struct sr_time *t, int kind, struct sr_time *def)
{
	memset(def, 0, sizeof(*def));
	if (kind == 0)
		def->clock = t->sec >= 0 && t->sec < 86400 ? SR_CLOCK_TOD : SR_CLOCK_EPOCH;
	else
		def->clock = SR_CLOCK_REL;
	/* a JSON integer had no fraction digits; otherwise microseconds */
	def->digits = t->digits == 0 ? 0 : 6;
	def->width = kind == 1 ? 6 : 0;
	if (def->clock == SR_CLOCK_EPOCH)
		def->width = (uint8_t)sr_json_digits10((uint64_t)t->sec);
}

/* True when a double reading of the number gives back sec and nsec at the
 * printed precision: 2^31 seconds keep microseconds, 2^21 nanoseconds. */
static bool time_exact(const struct sr_time *t)
{
	static const uint32_t pow10[10] = { 1,	    10,	     100,      1000,	  10000,
					    100000, 1000000, 10000000, 100000000, 1000000000 };
	uint32_t unit = t->digits < 9 ? pow10[9 - t->digits] : 1;

	if (t->nsec >= 1000000000u || t->nsec % unit)
		return false;
	return t->sec >= 0 && t->sec < (t->digits <= 6 ? (1ll << 31) : (1ll << 21));
}

/* kind: 0 an absolute time ("time", "resumed_time"), 1 "rel", 2 "duration". */
static char *put_time_fmt(struct fmt *f, char *d, const struct sr_time *t, char p, int kind)
{
	struct sr_time def;
	char k[4] = { p, 0, 0, 0 };

	time_default(t, kind, &def);
	if (t->clock != def.clock && t->clock < 4) {
		k[1] = 'c';
		d = fkey(f, d, k, 2);
		*d++ = '"';
		memcpy(d, clock_names[t->clock], strlen(clock_names[t->clock]));
		d += strlen(clock_names[t->clock]);
		*d++ = '"';
	}
	if (t->digits != def.digits) {
		k[1] = 'd';
		d = fkey(f, d, k, 2);
		d = sr_json_u64(d, t->digits);
	}
	if (t->width != def.width) {
		k[1] = 'w';
		d = fkey(f, d, k, 2);
		d = sr_json_u64(d, t->width);
	}
	if (!time_exact(t)) {
		k[1] = 'n';
		k[2] = 's';
		d = fkey(f, d, k, 3);
		d = sr_json_u64(d, t->nsec);
	}
	return d;
}

/* The spaces before "= " strace would print: up to column 40. */
static uint32_t default_pad(struct sr_writer *w, const struct sr_event *ev)
{
	struct sr_event tmp;

	if (ev->padcol)
		return ev->padcol < 39 ? (uint32_t)(40 - ev->padcol) : 1;
	tmp = *ev;
	tmp.has_ret = false;
	tmp.duration.clock = SR_CLOCK_NONE;
	w->scratch.len = 0;
	sr_strace_print_event(&w->scratch, &tmp);
	/* a line already past the column still gets one space */
	return w->scratch.len < 39 ? (uint32_t)(40 - w->scratch.len) : 1;
}

static char *put_hexstr(char *d, struct sr_str s)
{
	*d++ = '"';
	d = sr_json_hex(d, s.ptr, s.len);
	*d++ = '"';
	return d;
}

static char *put_sum_fmt(struct fmt *f, char *d, const struct sr_summary *s)
{
	uint8_t j;

	d = FKEY(f, d, "cols");
	*d++ = '[';
	for (j = 0; j < s->ncols && j < SR_SUM_MAXCOLS; j++) {
		if (j)
			*d++ = ',';
		d = sr_json_u64(d, s->col[j]);
	}
	*d++ = ']';
	d = FKEY(f, d, "widths");
	*d++ = '[';
	for (j = 0; j < s->ncols && j < SR_SUM_MAXCOLS; j++) {
		if (j)
			*d++ = ',';
		d = sr_json_u64(d, s->width[j]);
	}
	*d++ = ']';
	d = FKEY(f, d, "has");
	return sr_json_u64(d, s->has);
}

static char *put_fmt(struct sr_writer *w, char *d, const struct sr_event *ev,
		     const struct evsem *es)
{
	const struct sr_leader *l = &ev->lead;
	struct fmt f = { false };
	bool resumed_time = ev->kind == SR_E_SYSCALL && (ev->flags & SR_EF_RESUMED) &&
			    ev->start.clock != SR_CLOCK_NONE && l->time.clock != SR_CLOCK_NONE;
	/* the form of the last pid printed: a trace keeps to one */
	uint8_t defpf = l->pid >= 0 ? w->last_pf : SR_PID_NONE;
	uint32_t i;

	/* line endings: "\r\n", or none at the end of a cut-short input */
	if (ev->flags & SR_EF_CRLF)
		d = FKEY(&f, d, "crlf"), d = SR_JSON_LIT(d, "true");
	if (ev->flags & SR_EF_NO_EOL)
		d = FKEY(&f, d, "noeol"), d = SR_JSON_LIT(d, "true");
	if (ev->flags & SR_EF_VERBATIM || ev->kind == SR_E_UNPARSED) {
		/* the text is the line: nothing else is printed */
		if (!sr_json_utf8_valid(ev->text.ptr, ev->text.len)) {
			d = FKEY(&f, d, "texthex");
			d = put_hexstr(d, ev->text);
		}
		goto out;
	}
	if (l->pid_form != defpf && l->pid_form <= SR_PID_PLAIN) {
		static const char *const pf[] = { "\"none\"", "\"bracket\"", "\"plain\"" };

		d = FKEY(&f, d, "pid");
		memcpy(d, pf[l->pid_form], strlen(pf[l->pid_form]));
		d += strlen(pf[l->pid_form]);
	}
	if (l->pid >= 0)
		w->last_pf = l->pid_form;
	if (l->time.clock != SR_CLOCK_NONE) {
		d = put_time_fmt(&f, d, resumed_time ? &ev->start : &l->time, 't', 0);
		if (resumed_time)
			d = put_time_fmt(&f, d, &l->time, 'u', 0);
	}
	if (l->rel.clock != SR_CLOCK_NONE)
		d = put_time_fmt(&f, d, &l->rel, 'r', 1);
	if (ev->duration.clock != SR_CLOCK_NONE)
		d = put_time_fmt(&f, d, &ev->duration, 'd', 2);
	if (l->has_nr) {
		d = FKEY(&f, d, "nw");
		d = sr_json_u64(d, l->nr_width);
		if (l->nr_unknown)
			d = SR_JSON_LIT(d, ",\"nu\":true");
		else if (l->nr != ev->nr) {
			d = SR_JSON_LIT(d, ",\"nv\":");
			d = sr_json_i64(d, l->nr);
		}
	}
	if (l->has_ip && l->ip_digits != 16) {
		d = FKEY(&f, d, "ipw");
		d = sr_json_u64(d, l->ip_digits);
	}
	if (l->has_ip && l->ip_spaced)
		d = FKEY(&f, d, "ipsp"), d = SR_JSON_LIT(d, "true");
	if (ev->kind == SR_E_SYSCALL || ev->kind == SR_E_UNFINISHED) {
		for (i = 0; i < ev->nargs && !ev->args[i].name.len; i++)
			;
		if (i < ev->nargs) {
			d = FKEY(&f, d, "argn");
			*d++ = '[';
			for (i = 0; i < ev->nargs; i++) {
				if (i)
					*d++ = ',';
				d = put_str(d, ev->args[i].name);
			}
			*d++ = ']';
		}
	}
	if (es->args) {
		bool any = false;

		for (i = 0; i < ev->nargs; i++) {
			if (!es->arg_fb[i])
				continue;
			if (!any)
				d = FKEY(&f, d, "av"), *d++ = '{';
			else
				*d++ = ',';
			any = true;
			*d++ = '"';
			d = sr_json_u64(d, i);
			*d++ = '"';
			*d++ = ':';
			d = sr_json_value(d, &ev->args[i]);
		}
		if (any)
			*d++ = '}';
	}
	if (es->ret_fb) {
		d = FKEY(&f, d, "rv");
		d = sr_json_value(d, ev->ret);
	}
	if (es->info_fb) {
		d = FKEY(&f, d, "iv");
		d = sr_json_value(d, &ev->args[0]);
	}
	if (es->notes) {
		d = FKEY(&f, d, "notes");
		*d++ = '[';
		for (i = 0; i < ev->nnotes; i++) {
			if (i)
				*d++ = ',';
			d = put_str(d, ev->notes[i]);
		}
		*d++ = ']';
	}
	if (ev->kind == SR_E_SYSCALL) {
		if (ev->has_ret) {
			uint32_t pad = default_pad(w, ev);

			if (pad != ev->pad) {
				d = FKEY(&f, d, "pad");
				d = sr_json_u64(d, ev->pad);
			}
		}
		if ((ev->flags & SR_EF_RESUMED) &&
		    (!(ev->flags & SR_EF_ORPHAN) || !ev->name || ev->split != ev->name->len + 1)) {
			d = FKEY(&f, d, "split");
			d = sr_json_u64(d, ev->split);
		}
		if (ev->flags & SR_EF_NO_PAREN)
			d = FKEY(&f, d, "noparen"), d = SR_JSON_LIT(d, "true");
		if (ev->flags & SR_EF_RESUMED_CUT)
			d = FKEY(&f, d, "rcut"), d = SR_JSON_LIT(d, "true");
		if (ev->flags & SR_EF_RESUMED_SP)
			d = FKEY(&f, d, "rsp"), d = SR_JSON_LIT(d, "true");
		if (ev->flags & SR_EF_BARE_RESUME)
			d = FKEY(&f, d, "bare"), d = SR_JSON_LIT(d, "true");
		if (ev->ret && w->spelling) {
			const struct sr_value *fd, *cm, *iv = ret_int(ev->ret, &fd, &cm);

			if (iv && iv->base == SR_BASE_DEC && iv->text.len) {
				char tmp[24], *e;

				e = iv->flags & SR_VF_UNSIGNED ? sr_json_u64(tmp, iv->num.u)
							       : sr_json_i64(tmp, iv->num.i);
				if ((size_t)(e - tmp) != iv->text.len ||
				    memcmp(tmp, iv->text.ptr, iv->text.len)) {
					d = FKEY(&f, d, "rtext");
					d = put_str(d, iv->text);
				}
			}
			if (iv && fd && fd->text.len && memchr(fd->text.ptr, '\\', fd->text.len)) {
				d = FKEY(&f, d, "rfd");
				d = put_str(d, fd->text);
			}
			if (iv && fd && (fd->flags & SR_VF_DELETED_IN))
				d = FKEY(&f, d, "rfdin"), d = SR_JSON_LIT(d, "true");
			if (iv && cm && !sr_json_comment_plain(cm)) {
				d = FKEY(&f, d, "rcm");
				d = put_str(d, cm->text);
			}
			/* the reader nests the comment outside the fd */
			if (iv && fd && cm && fd == ev->ret)
				d = FKEY(&f, d, "rcin"), d = SR_JSON_LIT(d, "true");
		}
	}
	if (ev->kind == SR_E_UNFINISHED && (ev->flags & SR_EF_SEP_CUT))
		d = FKEY(&f, d, "sepcut"), d = SR_JSON_LIT(d, "true");
	if (ev->kind == SR_E_SYSCALL && (ev->flags & SR_EF_SEP_CUT))
		d = FKEY(&f, d, "sepcut"), d = SR_JSON_LIT(d, "true");
	if (ev->kind == SR_E_MESSAGE && !sr_json_utf8_valid(ev->text.ptr, ev->text.len)) {
		d = FKEY(&f, d, "texthex");
		d = put_hexstr(d, ev->text);
	}
	if (ev->kind == SR_E_SUMMARY && ev->sum) {
		const struct sr_summary *s = ev->sum;

		if (s->row == SR_SUM_HEADER || s->row == SR_SUM_RULE || !s->ncols) {
			d = FKEY(&f, d, "text");
			d = put_str(d, ev->text);
		} else {
			d = put_sum_fmt(&f, d, s);
		}
	}
	if (ev->natt > 1) {
		/* the groups reorder interleaved kinds: keep the order */
		unsigned int g = 0;
		bool grouped = true;

		for (i = 0; i < ev->natt; i++) {
			unsigned int k = attach_group(ev->att[i].kind);

			if (k < g)
				grouped = false;
			g = k;
		}
		if (!grouped) {
			d = FKEY(&f, d, "att");
			*d++ = '"';
			for (i = 0; i < ev->natt; i++)
				*d++ = (char)('0' + attach_group(ev->att[i].kind));
			*d++ = '"';
		}
	}
out:
	if (f.open)
		*d++ = '}';
	return d;
}

static char *put_event(struct sr_writer *w, char *d, const struct sr_event *ev,
		       const struct evsem *es)
{
	const struct sr_leader *l = &ev->lead;
	unsigned int kind = ev->kind;
	uint32_t i;

	d = SR_JSON_LIT(d, "{\"type\":");
	if (kind > 0 && kind < SR_E__COUNT)
		d = put_str(d, kind_names[kind]);
	else
		d = SR_JSON_LIT(d, "null");
	d = KEY(d, "line");
	d = sr_json_u64(d, ev->line);
	if (l->pid >= 0) {
		d = KEY(d, "pid");
		d = sr_json_i64(d, l->pid);
	}
	if (l->comm.len) {
		d = KEY(d, "comm");
		d = put_str(d, l->comm);
	}
	if (l->secontext.len) {
		d = KEY(d, "secontext");
		d = put_str(d, l->secontext);
	}
	if (l->has_ip) {
		d = KEY(d, "ip");
		if (l->ip_unknown) {
			d = SR_JSON_LIT(d, "null");
		} else {
			*d++ = '"';
			d = sr_json_hex64(d, l->ip);
			*d++ = '"';
		}
	}
	if (l->time.clock != SR_CLOCK_NONE) {
		d = KEY(d, "time");
		if (kind == SR_E_SYSCALL && (ev->flags & SR_EF_RESUMED) &&
		    ev->start.clock != SR_CLOCK_NONE) {
			d = sr_json_time(d, &ev->start);
			d = KEY(d, "resumed_time");
		}
		d = sr_json_time(d, &l->time);
	}
	if (l->rel.clock != SR_CLOCK_NONE) {
		d = KEY(d, "rel");
		d = sr_json_time(d, &l->rel);
	}
	if (ev->name) {
		if (kind == SR_E_SYSCALL || kind == SR_E_UNFINISHED || kind == SR_E_SUMMARY) {
			d = KEY(d, "syscall");
			d = sr_json_atom(d, ev->name);
		} else if (kind == SR_E_SIGNAL || kind == SR_E_KILLED) {
			d = KEY(d, "signal");
			d = sr_json_atom(d, ev->name);
		}
	}
	if (ev->nr >= 0) {
		d = KEY(d, "nr");
		d = sr_json_i64(d, ev->nr);
	}
	if (!w->spelling) {
		d = put_sem(w, d, ev, es);
	} else if (kind == SR_E_SYSCALL || kind == SR_E_UNFINISHED) {
		d = KEY(d, "args");
		*d++ = '[';
		for (i = 0; i < ev->nargs; i++) {
			if (i)
				*d++ = ',';
			d = sr_json_value(d, &ev->args[i]);
		}
		*d++ = ']';
	} else if (kind == SR_E_SIGNAL && ev->nargs > 0) {
		d = KEY(d, "info");
		d = sr_json_value(d, &ev->args[0]);
	}
	if (w->spelling && kind == SR_E_SYSCALL && ev->has_ret)
		d = put_return(d, ev);
	if (ev->err) {
		d = KEY(d, "errno");
		d = sr_json_atom(d, ev->err);
	}
	if (ev->errmsg.len) {
		d = KEY(d, "errmsg");
		d = put_str(d, ev->errmsg);
	}
	if (ev->nnotes) {
		d = KEY(d, "notes");
		*d++ = '[';
		for (i = 0; i < ev->nnotes; i++) {
			if (i)
				*d++ = ',';
			d = put_str(d, es->notes ? es->notes[i] : ev->notes[i]);
		}
		*d++ = ']';
	}
	if (ev->unavail.len) {
		d = KEY(d, "unavailable");
		d = put_str(d, ev->unavail);
	}
	if (ev->duration.clock != SR_CLOCK_NONE) {
		d = KEY(d, "duration");
		d = sr_json_time(d, &ev->duration);
	}
	if (ev->flags & SR_EF_RESUMED)
		d = SR_JSON_LIT(d, ",\"resumed\":true");
	if (ev->flags & SR_EF_DETACHED)
		d = SR_JSON_LIT(d, ",\"detached\":true");
	if (ev->flags & SR_EF_MASK_AFTER)
		d = SR_JSON_LIT(d, ",\"mask_after\":true");
	if (ev->flags & SR_EF_PID_CHANGED) {
		d = KEY(d, "pid_changed_to");
		d = sr_json_i64(d, ev->code);
	}
	if (ev->flags & SR_EF_EXIT_STATUS) {
		d = KEY(d, "exit_status");
		d = sr_json_i64(d, ev->code);
	}
	if (ev->flags & SR_EF_ORPHAN)
		d = SR_JSON_LIT(d, ",\"orphan\":true");
	if (ev->flags & SR_EF_CORE)
		d = SR_JSON_LIT(d, ",\"core_dumped\":true");
	if (ev->flags & SR_EF_STOPPED)
		d = SR_JSON_LIT(d, ",\"stopped\":true");
	if (kind == SR_E_EXIT) {
		d = KEY(d, "status");
		d = sr_json_i64(d, ev->code);
	} else if (kind == SR_E_SUPERSEDED) {
		d = KEY(d, "old_pid");
		d = sr_json_i64(d, ev->code);
	} else if (kind == SR_E_MESSAGE || kind == SR_E_UNPARSED) {
		d = KEY(d, "text");
		d = put_str(d, ev->text);
	}
	if ((ev->flags & SR_EF_VERBATIM) && kind != SR_E_MESSAGE && kind != SR_E_UNPARSED) {
		d = KEY(d, "verbatim");
		d = put_str(d, ev->text);
	}
	if (kind == SR_E_SUMMARY && ev->sum)
		d = put_summary(d, ev->sum);
	if (ev->natt)
		d = put_attachments(w, d, ev);
	if (!w->no_fmt)
		d = put_fmt(w, d, ev, es);
	*d++ = '}';
	return d;
}

static enum sr_status open_common(struct sr_writer **wp, struct sr_sink *out, bool array,
				  const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_writer *w = calloc(1, sizeof(*w));
	const char *fmt = sr_opts_get(opts, "fmt", "auto");
	const char *record = sr_opts_get(opts, "record", "semantic");
	const char *arch = sr_opts_get(opts, "arch", NULL);

	*wp = NULL;
	if (!w)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot start %s output: out of memory",
				    array ? "json" : "jsonl");
	w->out = out;
	w->array = array;
	/* "fmt" only serves the way back to strace text */
	w->no_fmt = !strcmp(fmt, "none") || !strcmp(fmt, "no") || !strcmp(fmt, "0");
	w->last_pf = SR_PID_BRACKET;
	w->spelling = !strcmp(record, "spelling");
	if (strcmp(record, "spelling") && strcmp(record, "semantic")) {
		free(w);
		return sr_error_set(err, SR_ERR_USAGE,
				    "unknown record form: record=%s (semantic or spelling)", record);
	}
	w->sem = sr_semantic_new(arch ? sr_arch_parse(arch) : SR_ARCH_DEFAULT);
	w->arena = sr_arena_new(0);
	if (!w->sem || !w->arena) {
		sr_semantic_free(w->sem);
		sr_arena_free(w->arena);
		free(w);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot start %s output: out of memory",
				    array ? "json" : "jsonl");
	}
	*wp = w;
	return SR_OK;
}

static enum sr_status jsonl_open(struct sr_writer **wp, struct sr_sink *out,
				 const struct sr_opts *opts, struct sr_error *err)
{
	return open_common(wp, out, false, opts, err);
}

static enum sr_status json_open(struct sr_writer **wp, struct sr_sink *out,
				const struct sr_opts *opts, struct sr_error *err)
{
	return open_common(wp, out, true, opts, err);
}

static enum sr_status jsonl_write(struct sr_writer *w, const struct sr_batch *b,
				  struct sr_error *err)
{
	size_t i;

	sr_arena_reset(w->arena);
	for (i = 0; i < b->n; i++) {
		const struct sr_event *ev = &b->ev[i];
		struct evsem es;
		char *start, *d;

		if (!compute_sem(w, ev, &es))
			return sr_error_set(err, SR_ERR_NOMEM, "cannot write %s: out of memory",
					    w->array ? "json" : "jsonl");
		start = sr_sink_reserve(w->out, event_max(ev) + es.max);
		d = start;

		/* the array writer: "[" before the first event, ",\n" between */
		if (w->array)
			*d++ = w->nev ? ',' : '[';
		d = put_event(w, d, ev, &es);
		*d++ = '\n';
		w->nev++;
		sr_sink_commit(w->out, (size_t)(d - start));
	}
	/* Sink errors are sticky and reported by its flush and close. */
	return SR_OK;
}

static enum sr_status jsonl_finish(struct sr_writer *w, struct sr_error *err)
{
	(void)err;
	if (w->array)
		sr_sink_write(w->out, w->nev ? "]\n" : "[]\n", w->nev ? 2 : 3);
	return SR_OK;
}

static void jsonl_close(struct sr_writer *w)
{
	if (!w)
		return;
	sr_buf_free(&w->scratch);
	sr_buf_free(&w->pa);
	sr_buf_free(&w->pb);
	sr_semantic_free(w->sem);
	sr_arena_free(w->arena);
	free(w->ptrs);
	free(w);
}

static const struct sr_optdesc sr_out_jsonl_keys[] = {
	{ "fmt", "none: leave out the \"fmt\" keys and attachment texts (auto: keep)" },
	{ "record", "semantic (default): named, typed arguments; spelling: the positional "
		    "typed values" },
	{ "arch", "the syscall signatures to name arguments with (x86_64, i386, aarch64)" },
	{ NULL, NULL },
};

const struct sr_writer_class sr_out_jsonl = {
	.name = "jsonl",
	.ext = ".jsonl",
	.summary = "JSON Lines: one object per event",
	.open = jsonl_open,
	.write = jsonl_write,
	.finish = jsonl_finish,
	.close = jsonl_close,
	.opt_keys = sr_out_jsonl_keys,
};

/* The same objects as one JSON array, one event per line; cheap to share
 * because only the separators differ. */
static const struct sr_optdesc sr_out_json_keys[] = {
	{ "fmt", "none: leave out the \"fmt\" keys and attachment texts (auto: keep)" },
	{ "record", "semantic (default): named, typed arguments; spelling: the positional "
		    "typed values" },
	{ "arch", "the syscall signatures to name arguments with (x86_64, i386, aarch64)" },
	{ NULL, NULL },
};

const struct sr_writer_class sr_out_json = {
	.name = "json",
	.ext = ".json",
	.summary = "JSON: one array of the jsonl objects",
	.open = json_open,
	.write = jsonl_write,
	.finish = jsonl_finish,
	.close = jsonl_close,
	.opt_keys = sr_out_json_keys,
};
