/*
 * wire_test.h - what tests/test_pb.c and tests/test_msgpack.c share: a set
 * of hand-built events that uses every field of the event model, a
 * field-by-field comparison, helpers that write events with a writer
 * class and read them back with a reader class through real files, and
 * the cases both suites run (WT_CASES).
 */
#ifndef SR_WIRE_TEST_H
#define SR_WIRE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "sysrep.h"

struct wt {
	struct sr_arena *arena;
	struct sr_intern *atoms;
	struct sr_batch in;    /* the hand-built events */
	char path[64];         /* a temporary file */
};

static inline struct sr_str wt_s(struct wt *t, const char *s, size_t n)
{
	return (struct sr_str){ sr_arena_memdup(t->arena, s, n), n };
}
#define WT_S(t, lit) wt_s((t), (lit), sizeof(lit) - 1)

static inline struct sr_value *wt_vals(struct wt *t, uint32_t n)
{
	struct sr_value *v = sr_arena_alloc(t->arena, n * sizeof(*v));

	memset(v, 0, n * sizeof(*v));
	return v;
}

static inline void wt_int(struct wt *t, struct sr_value *v, uint8_t base, uint16_t flags,
			  uint64_t u, const char *text)
{
	v->kind = SR_V_INT;
	v->base = base;
	v->flags = flags;
	v->num.u = u;
	v->text = wt_s(t, text, strlen(text));
}

static inline void wt_ident(struct wt *t, struct sr_value *v, const char *s)
{
	v->kind = SR_V_IDENT;
	v->text = wt_s(t, s, strlen(s));
}

/* Every value kind, the canonical and the odd spellings, names and flags. */
static inline uint32_t wt_args(struct wt *t, struct sr_value **out)
{
	struct sr_value *a = wt_vals(t, 24), *k;
	uint32_t n = 0, i;
	char big[300];

	wt_int(t, &a[n++], SR_BASE_DEC, 0, (uint64_t)-1, "-1");
	wt_int(t, &a[n++], SR_BASE_HEX, SR_VF_UNSIGNED, 0x1f, "0X1F"); /* not canonical */
	wt_int(t, &a[n++], SR_BASE_OCT, SR_VF_UNSIGNED, 0644, "0644");
	wt_int(t, &a[n++], SR_BASE_DEC, SR_VF_UNSIGNED, UINT64_MAX, "18446744073709551615");
	wt_int(t, &a[n++], SR_BASE_HEX, 0, 0x7ffd95209af0, "0x7ffd95209af0"); /* no UNSIGNED */
	a[n].kind = SR_V_INT; /* built without a spelling */
	a[n++].num.i = 42;
	a[n].kind = SR_V_STR;
	a[n].flags = SR_VF_TRUNC | SR_VF_HEX_CHARS;
	a[n++].text = WT_S(t, "ab\377\0c");
	memset(big, 'x', sizeof(big));
	a[n].kind = SR_V_STR;
	a[n++].text = wt_s(t, big, sizeof(big));
	a[n].kind = SR_V_STR;
	a[n++].text = WT_S(t, "/etc/ld.so.cache"); /* through the table */
	a[n++].kind = SR_V_NULL;
	wt_ident(t, &a[n++], "AT_FDCWD");
	/* FLAGS of words (one table entry), and a mixed one */
	a[n].kind = SR_V_FLAGS;
	a[n].nkids = 2;
	a[n].kids = k = wt_vals(t, 2);
	wt_ident(t, &k[0], "O_RDONLY");
	wt_ident(t, &k[1], "O_CLOEXEC");
	n++;
	a[n].kind = SR_V_FLAGS;
	a[n].nkids = 2;
	a[n].kids = k = wt_vals(t, 2);
	wt_ident(t, &k[0], "S_IFREG");
	wt_int(t, &k[1], SR_BASE_OCT, SR_VF_UNSIGNED, 0755, "0755");
	n++;
	/* a STRUCT with named, unnamed, named NULL and ELLIPSIS members */
	a[n].kind = SR_V_STRUCT;
	a[n].nkids = 5;
	a[n].kids = k = wt_vals(t, 5);
	wt_int(t, &k[0], SR_BASE_DEC, 0, 43011, "43011");
	k[0].name = WT_S(t, "st_size");
	k[1].kind = SR_V_NULL;
	k[1].name = WT_S(t, "sa_restorer");
	wt_ident(t, &k[2], "x");
	k[3].kind = SR_V_ELLIPSIS;
	k[3].flags = 0x80;
	k[4].kind = SR_V_ARRAY;
	k[4].name = WT_S(t, "arr");
	n++;
	a[n].kind = SR_V_ARRAY;
	a[n].nkids = 2;
	a[n].kids = k = wt_vals(t, 2);
	wt_int(t, &k[0], SR_BASE_DEC, 0, 1, "1");
	k[1].kind = SR_V_ELLIPSIS;
	n++;
	a[n].kind = SR_V_SET;
	a[n].flags = SR_VF_COMPLEMENT;
	a[n].nkids = 2;
	a[n].kids = k = wt_vals(t, 2);
	wt_ident(t, &k[0], "INT");
	wt_ident(t, &k[1], "TERM");
	n++;
	a[n].kind = SR_V_FD;
	a[n].flags = SR_VF_DELETED;
	a[n].text = WT_S(t, "/tmp/x\\n");
	a[n].nkids = 1;
	a[n].kids = k = wt_vals(t, 1);
	wt_int(t, &k[0], SR_BASE_DEC, 0, 3, "3");
	n++;
	a[n].kind = SR_V_FD; /* no kid */
	a[n++].text = WT_S(t, "pipe:[1]");
	a[n].kind = SR_V_CALL;
	a[n].text = WT_S(t, "makedev");
	a[n].nkids = 2;
	a[n].kids = k = wt_vals(t, 2);
	wt_int(t, &k[0], SR_BASE_HEX, SR_VF_UNSIGNED, 1, "0x1");
	wt_int(t, &k[1], SR_BASE_HEX, SR_VF_UNSIGNED, 3, "0x3");
	n++;
	a[n].kind = SR_V_CHANGED;
	a[n].flags = SR_VF_OLD_ARROW;
	a[n].nkids = 2;
	a[n].kids = k = wt_vals(t, 2);
	wt_int(t, &k[0], SR_BASE_DEC, 0, 8, "8");
	wt_int(t, &k[1], SR_BASE_DEC, 0, 4, "4");
	n++;
	a[n].kind = SR_V_COMMENT;
	a[n].text = WT_S(t, " 4 vars ");
	a[n].nkids = 1;
	a[n].kids = k = wt_vals(t, 1);
	wt_int(t, &k[0], SR_BASE_HEX, SR_VF_UNSIGNED, 0x7ffd74b475a0, "0x7ffd74b475a0");
	n++;
	a[n].kind = SR_V_COMMENT; /* a lone comment */
	a[n++].text = WT_S(t, " lone ");
	a[n].kind = SR_V_EXPR;
	a[n].flags = SR_VF_SPACED;
	a[n].text = WT_S(t, "&&");
	a[n].nkids = 2;
	a[n].kids = k = wt_vals(t, 2);
	wt_ident(t, &k[0], "WIFEXITED(s)");
	wt_int(t, &k[1], SR_BASE_DEC, 0, 0, "0");
	n++;
	a[n].kind = SR_V_INDEX;
	a[n].nkids = 2;
	a[n].kids = k = wt_vals(t, 2);
	wt_ident(t, &k[0], "VEOF");
	wt_int(t, &k[1], SR_BASE_DEC, 0, 4, "4");
	n++;
	CU_ASSERT_FATAL(n <= 24);
	for (i = 0; i < n; i++)
		CU_ASSERT(a[i].kind != 0);
	*out = a;
	return n;
}

/* A chain of ARRAYs depth deep around an INT. */
static inline struct sr_value *wt_deep(struct wt *t, int depth)
{
	struct sr_value *v = wt_vals(t, 1), *cur = v;
	int i;

	for (i = 0; i < depth; i++) {
		cur->kind = SR_V_ARRAY;
		cur->nkids = 1;
		cur->kids = wt_vals(t, 1);
		cur = cur->kids;
	}
	wt_int(t, cur, SR_BASE_DEC, 0, 7, "7");
	return v;
}

static inline const struct sr_atom *wt_atom(struct wt *t, const char *s)
{
	return sr_intern(t->atoms, s, strlen(s));
}

/* The events: every kind, every field set somewhere. */
static inline void wt_build(struct wt *t)
{
	struct sr_event *ev;
	struct sr_attach *at;
	struct sr_summary *s;

	t->arena = sr_arena_new(0);
	t->atoms = sr_intern_new();
	CU_ASSERT_FATAL(t->arena && t->atoms && sr_batch_init(&t->in, t->atoms) == SR_OK);
	t->in.source = "hand-built";

	/* a resumed call with everything in its leader */
	ev = sr_batch_push(&t->in);
	ev->kind = SR_E_SYSCALL;
	ev->flags = SR_EF_RESUMED | SR_EF_SEP_CUT | SR_EF_NO_EOL;
	ev->line = 5;
	ev->lead = (struct sr_leader){
		.pid = 1234, .pid_form = SR_PID_BRACKET, .has_nr = true, .nr_width = 3, .nr = 59,
		.has_ip = true, .ip_digits = 16, .ip = 0x7f74cae39ad7, .ip_spaced = true,
		.time = { .sec = 10265, .nsec = 533820000, .clock = SR_CLOCK_TOD, .digits = 6 },
		.rel = { .sec = 1, .nsec = 200000000, .clock = SR_CLOCK_REL, .digits = 6, .width = 5 },
	};
	ev->lead.comm = WT_S(t, "prog");
	ev->lead.secontext = WT_S(t, "unconfined_u:unconfined_r");
	ev->start = (struct sr_time){ .sec = 10265, .nsec = 1000, .clock = SR_CLOCK_TOD, .digits = 6 };
	ev->duration = (struct sr_time){ .sec = 2, .nsec = 204000, .clock = SR_CLOCK_REL, .digits = 6 };
	ev->name = wt_atom(t, "openat");
	ev->nr = 257; /* the x86_64 table's: not written */
	ev->nargs = wt_args(t, &ev->args);
	ev->split = 7;
	ev->pad = 3;
	ev->has_ret = true;
	ev->ret = &ev->args[16]; /* the FD */
	ev->err = wt_atom(t, "ENOENT");
	ev->errmsg = WT_S(t, "No such file or directory");
	ev->nnotes = 2;
	ev->notes = sr_arena_alloc(t->arena, 2 * sizeof(*ev->notes));
	ev->notes[0] = WT_S(t, "Timeout");
	ev->notes[1] = WT_S(t, "INJECTED");
	ev->unavail = WT_S(t, "<unavailable>");
	ev->natt = 5;
	ev->att = at = sr_arena_alloc(t->arena, 5 * sizeof(*at));
	memset(at, 0, 5 * sizeof(*at));
	at[0] = (struct sr_attach){ .kind = SR_A_FRAME, .addr = 0xf8011, .offset = 0x51 };
	at[0].module = WT_S(t, "/lib/libc.so.6");
	at[0].symbol = WT_S(t, "__open64");
	at[0].text = WT_S(t, " > /lib/libc.so.6(__open64+0x51) [0xf8011]");
	at[1] = (struct sr_attach){ .kind = SR_A_DUMP, .addr = 16 };
	at[1].bytes = WT_S(t, "\x7f" "ELF\0\1");
	at[1].text = WT_S(t, " | 00010  7f 45 4c 46 00 01  .ELF.. |");
	at[2] = (struct sr_attach){ .kind = SR_A_IOV, .addr = 5, .offset = 1 };
	at[2].text = WT_S(t, " * 5 bytes in buffer 1");
	at[3] = (struct sr_attach){ .kind = SR_A_TEXT };
	at[3].text = WT_S(t, " ? something");
	at[4] = (struct sr_attach){ .kind = 5 /* SR_A_SPLICE */, .addr = 6 };
	at[4].text = WT_S(t, "strace: Process 5 attached");

	/* an unparsed line, not at the next line number */
	ev = sr_batch_push(&t->in);
	ev->kind = SR_E_UNPARSED;
	ev->line = 20;
	ev->text = WT_S(t, "garbage \001\377 line");

	/* a summary row */
	ev = sr_batch_push(&t->in);
	ev->kind = SR_E_SUMMARY;
	ev->line = 21;
	ev->name = wt_atom(t, "getdents64");
	ev->sum = s = sr_arena_alloc(t->arena, sizeof(*s));
	memset(s, 0, sizeof(*s));
	s->row = SR_SUM_ROW;
	s->ncols = 6;
	memcpy(s->col, (uint8_t[]){ SR_SC_PCT, SR_SC_SECONDS, SR_SC_USECS, SR_SC_CALLS,
				    SR_SC_ERRORS, SR_SC_NAME }, 6);
	memcpy(s->width, (uint8_t[]){ 6, 11, 11, 9, 9, 16 }, 6);
	s->has = 1u << SR_SC_PCT | 1u << SR_SC_SECONDS | 1u << SR_SC_USECS | 1u << SR_SC_CALLS;
	s->pct = 54.24;
	s->seconds = 0.000473;
	s->min = 1e-9;
	s->max = 3.5;
	s->usecs = 8;
	s->calls = 58;
	s->errors = 0;

	/* signal with a siginfo, epoch time at ns (not the header's clock) */
	ev = sr_batch_push(&t->in);
	ev->kind = SR_E_SIGNAL;
	ev->line = 22;
	ev->flags = SR_EF_STOPPED;
	ev->lead.pid = 5;
	ev->lead.pid_form = SR_PID_PLAIN;
	ev->lead.time = (struct sr_time){ .sec = 1795747987, .nsec = 942454123,
					  .clock = SR_CLOCK_EPOCH, .digits = 9 };
	ev->name = wt_atom(t, "SIGCHLD");
	ev->nargs = 1;
	ev->args = &t->in.ev[0].args[13]; /* the STRUCT */

	/* exit, killed, superseded, message */
	ev = sr_batch_push(&t->in);
	ev->kind = SR_E_EXIT;
	ev->line = 23;
	ev->lead.pid = 0;
	ev->code = -3;
	ev = sr_batch_push(&t->in);
	ev->kind = SR_E_KILLED;
	ev->line = 24;
	ev->flags = SR_EF_CORE;
	ev->name = wt_atom(t, "SIGSEGV");
	ev = sr_batch_push(&t->in);
	ev->kind = SR_E_SUPERSEDED;
	ev->line = 25;
	ev->code = 77;
	ev = sr_batch_push(&t->in);
	ev->kind = SR_E_MESSAGE;
	ev->line = 26;
	ev->text = WT_S(t, "strace: Process 12 attached");

	/* "= ?", a time whose nsec has more digits than printed, odd numbers */
	ev = sr_batch_push(&t->in);
	ev->kind = SR_E_SYSCALL;
	ev->line = 27;
	ev->lead.time = (struct sr_time){ .sec = 3, .nsec = 123456789, .clock = SR_CLOCK_TOD,
					  .digits = 3 };
	ev->name = wt_atom(t, "openat");
	ev->nr = -1; /* unknown although the table has it */
	ev->has_ret = true;
	ev->flags = SR_EF_VERBATIM;
	ev->text = WT_S(t, "openat(...) = ?");
	ev = sr_batch_push(&t->in);
	ev->kind = SR_E_UNFINISHED;
	ev->line = 28;
	ev->name = wt_atom(t, "frobnicate");
	ev->nr = 999;
	ev->nargs = 1;
	ev->args = wt_deep(t, 150);
}

static inline void wt_free(struct wt *t)
{
	sr_batch_free(&t->in);
	sr_intern_free(t->atoms);
	sr_arena_free(t->arena);
	if (t->path[0])
		unlink(t->path);
}

static inline bool wt_str_eq(struct sr_str a, struct sr_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline bool wt_atom_eq(const struct sr_atom *a, const struct sr_atom *b)
{
	if (!a || !b)
		return a == b;
	return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

static inline bool wt_time_eq(const struct sr_time *a, const struct sr_time *b)
{
	return a->sec == b->sec && a->nsec == b->nsec && a->clock == b->clock &&
	       a->digits == b->digits && a->width == b->width;
}

/* Value equality; a built INT without a spelling comes back with the
 * canonical one (written by the readers), so text is compared only when
 * the original had one. */
static inline bool wt_value_eq(const struct sr_value *a, const struct sr_value *b)
{
	uint32_t i;

	if (a->kind != b->kind || a->base != b->base || a->flags != b->flags ||
	    a->nkids != b->nkids || !wt_str_eq(a->name, b->name))
		return false;
	if (a->kind == SR_V_INT) {
		if (a->num.u != b->num.u)
			return false;
		if (a->text.len && !wt_str_eq(a->text, b->text))
			return false;
	} else if (!wt_str_eq(a->text, b->text)) {
		return false;
	}
	for (i = 0; i < a->nkids; i++)
		if (!wt_value_eq(&a->kids[i], &b->kids[i]))
			return false;
	return true;
}

/* Field by field; CU_ASSERTs name the field that differs. */
static inline void wt_event_eq(const struct sr_event *a, const struct sr_event *b)
{
	const struct sr_leader *la = &a->lead, *lb = &b->lead;
	uint32_t i;

	CU_ASSERT_EQUAL(a->kind, b->kind);
	CU_ASSERT_EQUAL(a->flags, b->flags);
	CU_ASSERT_EQUAL(a->line, b->line);
	CU_ASSERT_EQUAL(la->pid, lb->pid);
	CU_ASSERT_EQUAL(la->pid_form, lb->pid_form);
	CU_ASSERT_EQUAL(la->has_nr, lb->has_nr);
	CU_ASSERT_EQUAL(la->has_ip, lb->has_ip);
	CU_ASSERT_EQUAL(la->nr_unknown, lb->nr_unknown);
	CU_ASSERT_EQUAL(la->ip_unknown, lb->ip_unknown);
	CU_ASSERT_EQUAL(la->ip_digits, lb->ip_digits);
	CU_ASSERT_EQUAL(la->ip_spaced, lb->ip_spaced);
	CU_ASSERT_EQUAL(la->nr_width, lb->nr_width);
	CU_ASSERT_EQUAL(la->nr, lb->nr);
	CU_ASSERT_EQUAL(la->ip, lb->ip);
	CU_ASSERT(wt_time_eq(&la->time, &lb->time));
	CU_ASSERT(wt_time_eq(&la->rel, &lb->rel));
	CU_ASSERT(wt_str_eq(la->comm, lb->comm));
	CU_ASSERT(wt_str_eq(la->secontext, lb->secontext));
	CU_ASSERT(wt_time_eq(&a->start, &b->start));
	CU_ASSERT(wt_time_eq(&a->duration, &b->duration));
	CU_ASSERT(wt_atom_eq(a->name, b->name));
	CU_ASSERT_EQUAL(a->nr, b->nr);
	CU_ASSERT_EQUAL_FATAL(a->nargs, b->nargs);
	for (i = 0; i < a->nargs; i++)
		CU_ASSERT(wt_value_eq(&a->args[i], &b->args[i]));
	CU_ASSERT_EQUAL(a->split, b->split);
	CU_ASSERT_EQUAL(a->pad, b->pad);
	CU_ASSERT_EQUAL(a->has_ret, b->has_ret);
	CU_ASSERT_EQUAL_FATAL(!a->ret, !b->ret);
	if (a->ret)
		CU_ASSERT(wt_value_eq(a->ret, b->ret));
	CU_ASSERT(wt_atom_eq(a->err, b->err));
	CU_ASSERT(wt_str_eq(a->errmsg, b->errmsg));
	CU_ASSERT_EQUAL_FATAL(a->nnotes, b->nnotes);
	for (i = 0; i < a->nnotes; i++)
		CU_ASSERT(wt_str_eq(a->notes[i], b->notes[i]));
	CU_ASSERT(wt_str_eq(a->unavail, b->unavail));
	CU_ASSERT_EQUAL(a->code, b->code);
	CU_ASSERT(wt_str_eq(a->text, b->text));
	CU_ASSERT_EQUAL_FATAL(!a->sum, !b->sum);
	if (a->sum) {
		const struct sr_summary *x = a->sum, *y = b->sum;

		CU_ASSERT_EQUAL(x->row, y->row);
		CU_ASSERT_EQUAL(x->ncols, y->ncols);
		CU_ASSERT(memcmp(x->col, y->col, sizeof(x->col)) == 0);
		CU_ASSERT(memcmp(x->width, y->width, sizeof(x->width)) == 0);
		CU_ASSERT_EQUAL(x->has, y->has);
		CU_ASSERT(x->pct == y->pct && x->seconds == y->seconds && x->min == y->min &&
			  x->max == y->max);
		CU_ASSERT(x->usecs == y->usecs && x->calls == y->calls && x->errors == y->errors);
		CU_ASSERT_EQUAL(x->has_errors, y->has_errors);
	}
	CU_ASSERT_EQUAL_FATAL(a->natt, b->natt);
	for (i = 0; i < a->natt; i++) {
		const struct sr_attach *x = &a->att[i], *y = &b->att[i];

		CU_ASSERT_EQUAL(x->kind, y->kind);
		CU_ASSERT_EQUAL(x->addr, y->addr);
		CU_ASSERT_EQUAL(x->offset, y->offset);
		CU_ASSERT(wt_str_eq(x->module, y->module));
		CU_ASSERT(wt_str_eq(x->symbol, y->symbol));
		CU_ASSERT(wt_str_eq(x->bytes, y->bytes));
		CU_ASSERT(wt_str_eq(x->text, y->text));
	}
}

/* Writes t->in with wc into a new temporary file (t->path). */
static inline void wt_write(struct wt *t, const struct sr_writer_class *wc)
{
	struct sr_sink *sink;
	struct sr_writer *w;
	struct sr_error err = { 0 };
	int fd;

	snprintf(t->path, sizeof(t->path), "/tmp/sysrep-wt-XXXXXX");
	fd = mkstemp(t->path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	CU_ASSERT_FATAL(sr_sink_open(&sink, t->path, &err) == SR_OK);
	CU_ASSERT_FATAL(wc->open(&w, sink, NULL, &err) == SR_OK);
	CU_ASSERT(wc->write(w, &t->in, &err) == SR_OK);
	CU_ASSERT(wc->finish(w, &err) == SR_OK);
	wc->close(w);
	CU_ASSERT(sr_sink_close(sink, &err) == SR_OK);
}

/* Reads path with rc to its end or first error, counting the events and
 * comparing them with t->in when cmp is set; returns the status. */
static inline enum sr_status wt_read(struct wt *t, const struct sr_reader_class *rc,
				     const char *path, bool cmp, size_t *count,
				     struct sr_error *err)
{
	struct sr_source *src;
	struct sr_reader *r = NULL;
	struct sr_batch b;
	struct sr_intern *atoms = sr_intern_new();
	enum sr_status st;
	size_t i, n = 0;

	CU_ASSERT_FATAL(atoms && sr_batch_init(&b, atoms) == SR_OK);
	st = sr_source_open(&src, path, err);
	CU_ASSERT_FATAL(st == SR_OK);
	st = rc->open(&r, src, NULL, err);
	while (st >= 0) {
		st = rc->next(r, &b, err);
		if (st < 0)
			break;
		for (i = 0; i < b.n; i++, n++)
			if (cmp && n < t->in.n)
				wt_event_eq(&t->in.ev[n], &b.ev[i]);
		if (st == SR_END)
			break;
	}
	rc->close(r);
	sr_source_close(src);
	sr_batch_free(&b);
	sr_intern_free(atoms);
	*count = n;
	return st;
}

/* Every prefix of the stream, and the stream with bytes overwritten here
 * and there: never a crash; a cut stream either ends at a message
 * boundary or fails with SR_ERR_PARSE naming the file and a byte offset. */
static inline void wt_damage(struct wt *t, const struct sr_reader_class *rc)
{
	FILE *f = fopen(t->path, "rb");
	char *data, cut[96];
	long size, n;
	size_t count;
	unsigned int seed = 12345, k;
	struct sr_error err;
	enum sr_status st;

	CU_ASSERT_FATAL(f != NULL);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	data = malloc((size_t)size);
	CU_ASSERT_FATAL(data && fread(data, 1, (size_t)size, f) == (size_t)size);
	fclose(f);
	snprintf(cut, sizeof(cut), "%s.cut", t->path);
	for (n = 0; n < size; n++) {
		f = fopen(cut, "wb");
		fwrite(data, 1, (size_t)n, f);
		fclose(f);
		memset(&err, 0, sizeof(err));
		st = wt_read(t, rc, cut, false, &count, &err);
		if (st >= 0) {
			CU_ASSERT(count < t->in.n);
		} else {
			CU_ASSERT_EQUAL(st, SR_ERR_PARSE);
			CU_ASSERT(strcmp(err.file, cut) == 0);
			CU_ASSERT(strstr(err.msg, "byte=") != NULL);
			CU_ASSERT(strstr(err.msg, "expected") != NULL);
		}
	}
	for (k = 0; k < 300; k++) {
		long at;

		seed = seed * 1103515245u + 12345u;
		at = (long)((seed >> 8) % (unsigned)size);
		f = fopen(cut, "wb");
		fwrite(data, 1, (size_t)size, f);
		fseek(f, at, SEEK_SET);
		fputc((int)(seed >> 3) & 0xff, f);
		fputc(0xff, f);
		fclose(f);
		st = wt_read(t, rc, cut, false, &count, &err);
		CU_ASSERT(st >= 0 || st == SR_ERR_PARSE || st == SR_ERR_FORMAT ||
			  st == SR_ERR_UNSUPPORTED);
	}
	unlink(cut);
	free(data);
}

/* ------------------------------------------------------------------ */
/* The cases of a wire format's suite                                  */

struct wt_format {
	const struct sr_writer_class *wc;
	const struct sr_reader_class *rc;
	size_t head_min;                /* the stream has at least this many bytes */
	/* checks the stream's first n bytes (its framing and magic) */
	void (*head)(const unsigned char *head, size_t n);
	const char *not_mine;           /* n_not_mine bytes the probe refuses */
	size_t n_not_mine;
	const char *empty;              /* the error of an empty file */
	/* an event whose name is table entry 5, which no event defined */
	const char *bad_ref;
	size_t n_bad_ref;
};

/* t's events (all, or none) written with fmt's writer to t->path */
static inline void wt_stream(struct wt *t, const struct wt_format *fmt, bool events)
{
	wt_build(t);
	if (!events)
		t->in.n = 0;
	wt_write(t, fmt->wc);
}

/* t->path opened with mode ("wb", "ab") gets n bytes of p */
static inline void wt_put(struct wt *t, const char *mode, const void *p, size_t n)
{
	FILE *f = fopen(t->path, mode);

	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT(fwrite(p, 1, n, f) == n);
	fclose(f);
}

/* Reading t->path fails with a parse error saying msg. */
static inline void wt_parse_error(struct wt *t, const struct wt_format *fmt, const char *msg)
{
	struct sr_error err = { 0 };
	size_t n;

	CU_ASSERT_EQUAL(wt_read(t, fmt->rc, t->path, false, &n, &err), SR_ERR_PARSE);
	CU_ASSERT(strstr(err.msg, msg) != NULL);
	CU_ASSERT(strcmp(err.file, t->path) == 0);
}

static inline void wt_case_round_trip(const struct wt_format *fmt)
{
	struct wt t = { 0 };
	struct sr_error err = { 0 };
	size_t n;

	wt_stream(&t, fmt, true);
	CU_ASSERT_EQUAL(wt_read(&t, fmt->rc, t.path, true, &n, &err), SR_END);
	CU_ASSERT_EQUAL(n, t.in.n);
	wt_free(&t);
}

static inline void wt_case_head(const struct wt_format *fmt)
{
	struct wt t = { 0 };
	unsigned char head[64];
	FILE *f;
	size_t n;

	wt_stream(&t, fmt, true);
	f = fopen(t.path, "rb");
	CU_ASSERT_FATAL(f != NULL);
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	CU_ASSERT_FATAL(n > fmt->head_min);
	fmt->head(head, n);
	CU_ASSERT_EQUAL(fmt->rc->probe(head, n), 100);
	CU_ASSERT(sr_reader_detect(head, n) == fmt->rc);
	CU_ASSERT_EQUAL(fmt->rc->probe(fmt->not_mine, fmt->n_not_mine), 0);
	wt_free(&t);
}

static inline void wt_case_empty_run(const struct wt_format *fmt)
{
	struct wt t = { 0 };
	struct sr_error err = { 0 };
	size_t n;

	wt_stream(&t, fmt, false);
	CU_ASSERT_EQUAL(wt_read(&t, fmt->rc, t.path, false, &n, &err), SR_END);
	CU_ASSERT_EQUAL(n, 0);
	wt_free(&t);
}

static inline void wt_case_damage(const struct wt_format *fmt)
{
	struct wt t = { 0 };

	wt_stream(&t, fmt, true);
	wt_damage(&t, fmt->rc);
	wt_free(&t);
}

static inline void wt_case_empty_file(const struct wt_format *fmt)
{
	struct wt t = { 0 };

	wt_stream(&t, fmt, true);
	wt_put(&t, "wb", "", 0);
	wt_parse_error(&t, fmt, fmt->empty);
	wt_free(&t);
}

/* The builder's error (core/wire_build.c), the same in both formats */
static inline void wt_case_bad_ref(const struct wt_format *fmt)
{
	struct wt t = { 0 };

	wt_stream(&t, fmt, false);
	wt_put(&t, "ab", fmt->bad_ref, fmt->n_bad_ref);
	wt_parse_error(&t, fmt, "expected a string reference to a defined table entry");
	wt_free(&t);
}

/* The suite's cases, over the struct wt_format fmt, as `cases` */
#define WT_CASES(fmt) WT_CASES_AND(fmt, WT_NO_MORE)
#define WT_NO_MORE
/* The same and more cases: `more` names a macro that expands to more
 * CU_TestInfo entries, each followed by a comma */
#define WT_CASES_AND(fmt, more) \
	static void every_field_survives_a_round_trip(void) { wt_case_round_trip(&(fmt)); } \
	static void stream_starts_with_its_framing_and_magic(void) { wt_case_head(&(fmt)); } \
	static void an_empty_run_still_writes_a_header(void) { wt_case_empty_run(&(fmt)); } \
	static void cut_and_corrupt_streams_fail_cleanly(void) { wt_case_damage(&(fmt)); } \
	static void an_empty_file_is_a_parse_error_at_byte_0(void) { wt_case_empty_file(&(fmt)); } \
	static void an_undefined_table_entry_is_a_parse_error(void) { wt_case_bad_ref(&(fmt)); } \
	static CU_TestInfo cases[] = { \
		{ "every field survives a round trip", every_field_survives_a_round_trip }, \
		{ "stream starts with its framing and magic", \
		  stream_starts_with_its_framing_and_magic }, \
		{ "an empty run still writes a header", an_empty_run_still_writes_a_header }, \
		{ "cut and corrupt streams fail cleanly", cut_and_corrupt_streams_fail_cleanly }, \
		{ "an empty file is a parse error at byte 0", \
		  an_empty_file_is_a_parse_error_at_byte_0 }, \
		{ "an undefined table entry is a parse error", \
		  an_undefined_table_entry_is_a_parse_error }, \
		more \
		CU_TEST_INFO_NULL, \
	}

#endif /* SR_WIRE_TEST_H */
