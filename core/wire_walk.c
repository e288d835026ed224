/*
 * wire_walk.c - the walk of events and value trees behind the pb and
 * msgpack writers (wire_walk.h; the readers' builder is wire_build.c).
 *
 * Which fields are present, the syscall number derived from the table,
 * the line counter, the header's detected options and the writer class's
 * life cycle are decided here once; the formats only encode.
 */
#include <stdlib.h>
#include <string.h>

#include "wire_walk.h"

/* ------------------------------------------------------------------ */
/* Writers                                                             */

/* The writer object of every wire format. */
struct sr_writer {
	struct sr_wire_out o;
};

#define PRESENT(o, f, cond) ((cond) || ((o)->e->always && (o)->e->always[f]))

static inline void put_u(struct sr_wire_out *o, enum sr_wf f, uint64_t v)
{
	if (PRESENT(o, f, v))
		o->e->u(o, f, v);
}

static inline void put_i(struct sr_wire_out *o, enum sr_wf f, int64_t v, bool present)
{
	if (PRESENT(o, f, present))
		o->e->i(o, f, v);
}

static inline void put_b(struct sr_wire_out *o, enum sr_wf f, bool v)
{
	if (v)
		o->e->b(o, f);
}

static inline void put_d(struct sr_wire_out *o, enum sr_wf f, double v)
{
	uint64_t bits;

	/* by its bits: -0.0 is a value */
	memcpy(&bits, &v, sizeof(bits));
	if (PRESENT(o, f, bits))
		o->e->d(o, f, v);
}

static inline void put_bytes(struct sr_wire_out *o, enum sr_wf f, struct sr_str s)
{
	if (PRESENT(o, f, s.len))
		o->e->bytes(o, f, s);
}

static inline void put_cstr(struct sr_wire_out *o, enum sr_wf f, const char *s)
{
	put_bytes(o, f, (struct sr_str){ s, strlen(s) });
}

static inline void put_time(struct sr_wire_out *o, enum sr_wf f, const struct sr_time *t,
			    enum sr_wire_tslot slot)
{
	if (t->clock != SR_CLOCK_NONE)
		o->e->time(o, f, t, slot);
}

static inline void put_u8s(struct sr_wire_out *o, enum sr_wf f, const uint8_t *v, unsigned int n)
{
	if (PRESENT(o, f, n))
		o->e->u8s(o, f, v, n);
}

/* One value tree: false for an unknown kind. */
static bool walk_value(struct sr_wire_out *o, enum sr_wf f, const struct sr_value *v)
{
	size_t mark[2] = { 0, 0 };
	uint32_t i;

	if (v->kind < SR_V_INT || v->kind > SR_V_INDEX)
		return false;
	if (o->e->value_open(o, f, v, mark) == SR_WIRE_KIDS)
		for (i = 0; i < v->nkids; i++)
			if (!walk_value(o, SR_WF_KID, &v->kids[i]))
				return false;
	o->e->value_close(o, f, v, mark);
	return true;
}

static void walk_leader(struct sr_wire_out *o, const struct sr_leader *l)
{
	const struct sr_wire_emit *e = o->e;
	bool form = l->pid_form != o->hdr.pid_form;
	size_t lead[2] = { 0, 0 }, rest[2] = { 0, 0 };

	e->open_group(o, SR_WF_LEAD, lead);
	put_i(o, SR_WF_PID, l->pid, l->pid != -1);
	if (form)
		e->u(o, SR_WF_PID_FORM, l->pid_form);
	put_time(o, SR_WF_TIME, &l->time, SR_TS_TIME);
	put_time(o, SR_WF_REL, &l->rel, SR_TS_REL);
	e->open_group(o, SR_WF_LEAD_REST, rest);
	if (form)
		e->u(o, SR_WF_PID_FORM_REST, l->pid_form);
	put_bytes(o, SR_WF_COMM, l->comm);
	put_bytes(o, SR_WF_SECONTEXT, l->secontext);
	put_b(o, SR_WF_HAS_NR, l->has_nr);
	put_b(o, SR_WF_NR_UNKNOWN, l->nr_unknown);
	put_u(o, SR_WF_NR_WIDTH, l->nr_width);
	put_i(o, SR_WF_LEAD_NR, l->nr, l->nr != 0);
	put_b(o, SR_WF_HAS_IP, l->has_ip);
	put_b(o, SR_WF_IP_UNKNOWN, l->ip_unknown);
	put_u(o, SR_WF_IP_DIGITS, l->ip_digits);
	put_u(o, SR_WF_IP, l->ip);
	put_b(o, SR_WF_IP_SPACED, l->ip_spaced);
	e->close_group(o, SR_WF_LEAD_REST, rest);
	e->close_group(o, SR_WF_LEAD, lead);
}

static void walk_summary(struct sr_wire_out *o, const struct sr_summary *s)
{
	unsigned int n = s->ncols <= SR_SUM_MAXCOLS ? s->ncols : SR_SUM_MAXCOLS;
	size_t mark[2] = { 0, 0 };

	o->e->open_group(o, SR_WF_SUM, mark);
	put_u(o, SR_WF_SUM_ROW, s->row);
	put_u8s(o, SR_WF_SUM_COLS, s->col, n);
	put_u8s(o, SR_WF_SUM_WIDTHS, s->width, n);
	put_u(o, SR_WF_SUM_HAS, s->has);
	put_d(o, SR_WF_SUM_PCT, s->pct);
	put_d(o, SR_WF_SUM_SECONDS, s->seconds);
	put_d(o, SR_WF_SUM_MIN, s->min);
	put_d(o, SR_WF_SUM_MAX, s->max);
	put_u(o, SR_WF_SUM_USECS, s->usecs);
	put_u(o, SR_WF_SUM_CALLS, s->calls);
	put_u(o, SR_WF_SUM_ERRORS, s->errors);
	put_b(o, SR_WF_SUM_HAS_ERRORS, s->has_errors);
	o->e->close_group(o, SR_WF_SUM, mark);
}

static void walk_attach(struct sr_wire_out *o, const struct sr_attach *a)
{
	size_t mark[2] = { 0, 0 };

	o->e->open_group(o, SR_WF_ATT, mark);
	put_u(o, SR_WF_ATT_KIND, a->kind);
	put_u(o, SR_WF_ATT_ADDR, a->addr);
	put_u(o, SR_WF_ATT_OFFSET, a->offset);
	if (a->module.len)
		o->e->str(o, SR_WF_ATT_MODULE, a->module);
	put_bytes(o, SR_WF_ATT_SYMBOL, a->symbol);
	/* a dump's bytes are present even when empty (msgpack writes them;
	 * pb, as proto3 does, leaves the empty field out) */
	if (PRESENT(o, SR_WF_ATT_BYTES, a->bytes.len || a->kind == SR_A_DUMP))
		o->e->bytes(o, SR_WF_ATT_BYTES, a->bytes);
	put_bytes(o, SR_WF_ATT_TEXT, a->text);
	o->e->close_group(o, SR_WF_ATT, mark);
}

/* The syscall number, unless the table gives it: *nr, true when written. */
static bool event_nr(struct sr_wire_out *o, const struct sr_event *ev, int32_t *nr)
{
	bool table = o->arch != SR_ARCH_UNKNOWN && ev->name &&
		     (ev->kind == SR_E_SYSCALL || ev->kind == SR_E_UNFINISHED);

	*nr = ev->nr;
	if (ev->nr != -1)
		return !(table && ev->nr == sr_wire_table_nr(o->memo, o->arch, ev->name));
	return table && sr_wire_table_nr(o->memo, o->arch, ev->name) != -1;
}

/* The event's fields; false for an unknown event or value kind. */
static bool walk_event(struct sr_wire_out *o, const struct sr_event *ev)
{
	const struct sr_wire_emit *e = o->e;
	uint32_t i;
	int32_t nr;

	if (ev->kind < 1 || ev->kind >= SR_E__COUNT)
		return false;
	if (ev->kind != SR_E_SYSCALL)
		e->u(o, SR_WF_KIND, ev->kind);
	if (ev->line != o->next_line)
		e->u(o, SR_WF_LINE, ev->line);
	o->next_line = ev->line + 1 + ev->natt;
	walk_leader(o, &ev->lead);
	if (ev->name)
		e->atom(o, SR_WF_NAME, ev->name);
	if (ev->nargs) {
		e->list(o, SR_WF_ARGS, ev->nargs);
		for (i = 0; i < ev->nargs; i++)
			if (!walk_value(o, SR_WF_ARG, &ev->args[i]))
				return false;
	}
	if (ev->has_ret && ev->ret) {
		if (!walk_value(o, SR_WF_RET, ev->ret))
			return false;
	} else if (ev->has_ret) {
		e->b(o, SR_WF_RET_UNKNOWN);
	}
	put_time(o, SR_WF_DURATION, &ev->duration, SR_TS_DUR);
	put_u(o, SR_WF_FLAGS, ev->flags);
	put_u(o, SR_WF_PAD, ev->pad);
	put_u(o, SR_WF_SPLIT, ev->split);
	if (ev->err)
		e->atom(o, SR_WF_ERR, ev->err);
	if (ev->errmsg.len)
		e->str(o, SR_WF_ERRMSG, ev->errmsg);
	put_time(o, SR_WF_START, &ev->start, SR_TS_TIME);
	if (event_nr(o, ev, &nr))
		e->i(o, SR_WF_NR, nr);
	if (ev->nnotes) {
		e->list(o, SR_WF_NOTES, ev->nnotes);
		for (i = 0; i < ev->nnotes; i++)
			e->bytes(o, SR_WF_NOTE, ev->notes[i]);
	}
	put_bytes(o, SR_WF_UNAVAIL, ev->unavail);
	put_i(o, SR_WF_CODE, ev->code, ev->code != 0);
	put_bytes(o, SR_WF_TEXT, ev->text);
	if (ev->sum)
		walk_summary(o, ev->sum);
	if (ev->natt) {
		e->list(o, SR_WF_ATTS, ev->natt);
		for (i = 0; i < ev->natt; i++)
			walk_attach(o, &ev->att[i]);
	}
	return true;
}

static enum sr_status write_header(struct sr_wire_out *o, const struct sr_batch *b)
{
	const struct sr_wire_hdr *d = &o->hdr;
	const char *arch = sr_arch_name(o->arch);
	size_t i;

	sr_wire_detect(&o->hdr, b);
	o->e->begin(o);
	put_cstr(o, SR_WF_MAGIC, o->e->magic);
	put_u(o, SR_WF_SCHEMA, SR_WIRE_SCHEMA);
	put_cstr(o, SR_WF_SOURCE_FORMAT, "strace");
	put_cstr(o, SR_WF_SOURCE_NAME, b && b->source ? b->source : "");
	put_cstr(o, SR_WF_GENERATOR, "sysrep " SR_VERSION);
	put_cstr(o, SR_WF_ARCH, arch ? arch : "");
	put_u(o, SR_WF_H_PID_FORM, d->pid_form);
	put_u(o, SR_WF_H_TIME_CLOCK, d->time_clock);
	put_u(o, SR_WF_H_TIME_DIGITS, d->time_digits);
	put_u(o, SR_WF_H_REL_DIGITS, d->rel_digits);
	put_u(o, SR_WF_H_REL_WIDTH, d->rel_width);
	put_u(o, SR_WF_H_DUR_DIGITS, d->dur_digits);
	put_u(o, SR_WF_H_DURATIONS, d->durations);
	put_u(o, SR_WF_H_NUMBERS, d->numbers);
	put_u(o, SR_WF_H_IPS, d->ips);
	put_u(o, SR_WF_H_FDS, d->fds);
	put_u(o, SR_WF_H_RELATIVE, d->relative);
	if (PRESENT(o, SR_WF_H_OPTIONS, d->nopts)) {
		o->e->list(o, SR_WF_H_OPTIONS, (uint32_t)d->nopts);
		for (i = 0; i < d->nopts; i++)
			o->e->bytes(o, SR_WF_H_OPTION,
				    (struct sr_str){ d->opts[i], strlen(d->opts[i]) });
	}
	put_u(o, SR_WF_H_NUMBERS_FROM_ARCH, o->arch != SR_ARCH_UNKNOWN);
	o->started = true;
	o->next_line = 1;
	return o->e->frame(o);
}

enum sr_status sr_wire_writer_open(struct sr_writer **wp, struct sr_sink *out,
				   const struct sr_opts *opts, const struct sr_wire_emit *e,
				   struct sr_error *err)
{
	struct sr_writer *w = calloc(1, sizeof(*w));

	*wp = NULL;
	if (!w || !sr_wst_init(&w->o.strs)) {
		free(w);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot start %s output: out of memory",
				    e->name);
	}
	w->o.e = e;
	w->o.out = out;
	/* the table the conversion numbers syscalls with (core/convert.c) */
	w->o.arch = sr_arch_parse(sr_opts_get(opts, "arch", "x86_64"));
	if (e->sem) {
		const char *record = sr_opts_get(opts, "record", "semantic");

		if (strcmp(record, "spelling") && strcmp(record, "semantic")) {
			sr_wire_writer_close(w);
			return sr_error_set(err, SR_ERR_USAGE,
					    "unknown record form: record=%s (semantic or spelling)",
					    record);
		}
		if (!strcmp(record, "semantic")) {
			w->o.sem = sr_semantic_new(w->o.arch);
			w->o.arena = sr_arena_new(0);
			if (!w->o.sem || !w->o.arena) {
				sr_wire_writer_close(w);
				return sr_error_set(err, SR_ERR_NOMEM,
						    "cannot start %s output: out of memory", e->name);
			}
		}
	}
	w->o.enc = e->open(&w->o);
	if (!w->o.enc) {
		sr_wire_writer_close(w);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot start %s output: out of memory",
				    e->name);
	}
	*wp = w;
	return SR_OK;
}

enum sr_status sr_wire_writer_write(struct sr_writer *w, const struct sr_batch *b,
				    struct sr_error *err)
{
	struct sr_wire_out *o = &w->o;
	size_t i;
	enum sr_status st;

	if (!o->started && (st = write_header(o, b)) < 0)
		return sr_error_set(err, st, "cannot write %s output: out of memory", o->e->name);
	if (o->arena)
		sr_arena_reset(o->arena);
	for (i = 0; i < b->n; i++) {
		o->e->begin(o);
		if (!walk_event(o, &b->ev[i]))
			return sr_error_set(err, SR_ERR_UNSUPPORTED,
					    "cannot write %s output: line %llu: unknown event or value kind",
					    o->e->name, (unsigned long long)b->ev[i].line);
		if (o->sem) {
			struct sr_sem_event se;

			if (sr_semantic_event(o->sem, &b->ev[i], o->arena, &se) != SR_OK)
				return sr_error_set(err, SR_ERR_NOMEM,
						    "cannot write %s output: out of memory",
						    o->e->name);
			o->e->sem(o, &b->ev[i], &se);
		}
		st = o->e->frame(o);
		if (st < 0)
			return sr_error_set(err, st, "cannot write %s output: out of memory",
					    o->e->name);
	}
	return SR_OK;
}

enum sr_status sr_wire_writer_finish(struct sr_writer *w, struct sr_error *err)
{
	struct sr_wire_out *o = &w->o;
	enum sr_status st = SR_OK;

	/* an empty input still gives a stream that says what it is */
	if (!o->started)
		st = write_header(o, NULL);
	if (st < 0)
		return sr_error_set(err, st, "cannot write %s output: out of memory", o->e->name);
	return SR_OK;
}

void sr_wire_writer_close(struct sr_writer *w)
{
	if (!w)
		return;
	if (w->o.enc)
		w->o.e->close(w->o.enc);
	sr_wst_free(&w->o.strs);
	sr_semantic_free(w->o.sem);
	sr_arena_free(w->o.arena);
	free(w);
}

const struct sr_optdesc sr_wire_writer_keys[] = {
	{ "arch", "the syscall table for numbers: x86_64 (default), i386, aarch64" },
	{ NULL, NULL },
};

const struct sr_optdesc sr_wire_writer_sem_keys[] = {
	{ "arch", "the syscall table for numbers and the signatures to name arguments with: "
		  "x86_64 (default), i386, aarch64" },
	{ "record", "semantic (default): the named, typed arguments and return beside the "
		    "spelled values; spelling: the spelled values alone (smaller)" },
	{ NULL, NULL },
};
