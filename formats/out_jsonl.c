/*
 * out_jsonl.c - JSON Lines: one object per event, one event per line.
 *
 * The schema is a contract with users (docs/jsonl-schema.md): keys come in a
 * fixed order and are absent when they do not apply.  Each event is written
 * with a single sink reservation of its worst case, then without checks.
 */
#include <stdlib.h>

#include "json_emit.h"
#include "sysrep.h"

struct sr_writer {
	struct sr_sink *out; /* borrowed */
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
#define EVENT_FIXED 2048
#define ATTACH_FIXED 160

static size_t event_max(const struct sr_event *ev)
{
	size_t n = EVENT_FIXED, i;

	n += 8 * (ev->lead.comm.len + ev->lead.secontext.len + ev->errmsg.len + ev->unavail.len +
		  ev->text.len);
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

		n += ATTACH_FIXED + 8 * (a->module.len + a->symbol.len + a->text.len) +
		     2 * a->bytes.len;
	}
	return n;
}

/* ,"key": */
#define KEY(d, k) SR_JSON_LIT(d, ",\"" k "\":")

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
		if (fd->flags & SR_VF_DELETED)
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

/* 0 "stack", 1 "dump", 2 "attached" (also kinds this writer does not know) */
static unsigned int attach_group(uint8_t kind)
{
	if (kind == SR_A_FRAME)
		return 0;
	if (kind == SR_A_DUMP || kind == SR_A_IOV)
		return 1;
	return 2;
}

/* Attachments grouped by kind, each group in input order. */
static char *put_attachments(char *d, const struct sr_event *ev)
{
	static const char *const keys[] = { ",\"stack\":[", ",\"dump\":[", ",\"attached\":[" };
	static const size_t key_len[] = { 10, 9, 13 };
	uint32_t i;
	unsigned int g;

	for (g = 0; g < 3; g++) {
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
				*d++ = '}';
				break;
			case SR_A_DUMP:
				d = SR_JSON_LIT(d, "{\"offset\":");
				d = sr_json_u64(d, a->addr);
				d = SR_JSON_LIT(d, ",\"hex\":\"");
				d = sr_json_hex(d, a->bytes.ptr, a->bytes.len);
				d = SR_JSON_LIT(d, "\"}");
				break;
			case SR_A_IOV:
				d = SR_JSON_LIT(d, "{\"iov_bytes\":");
				d = sr_json_u64(d, a->addr);
				d = SR_JSON_LIT(d, ",\"buffer\":");
				d = sr_json_u64(d, a->offset);
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

static char *put_event(char *d, const struct sr_event *ev)
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
	if (kind == SR_E_SYSCALL || kind == SR_E_UNFINISHED) {
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
	if (kind == SR_E_SYSCALL && ev->has_ret)
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
			d = put_str(d, ev->notes[i]);
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
		d = put_attachments(d, ev);
	*d++ = '}';
	*d++ = '\n';
	return d;
}

static enum sr_status jsonl_open(struct sr_writer **wp, struct sr_sink *out,
			      const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_writer *w = calloc(1, sizeof(*w));

	(void)opts;
	*wp = NULL;
	if (!w)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot start jsonl output: out of memory");
	w->out = out;
	*wp = w;
	return SR_OK;
}

static enum sr_status jsonl_write(struct sr_writer *w, const struct sr_batch *b,
				  struct sr_error *err)
{
	size_t i;

	(void)err;
	for (i = 0; i < b->n; i++) {
		const struct sr_event *ev = &b->ev[i];
		char *start = sr_sink_reserve(w->out, event_max(ev));
		char *end = put_event(start, ev);

		sr_sink_commit(w->out, (size_t)(end - start));
	}
	/* Sink errors are sticky and reported by its flush and close. */
	return SR_OK;
}

static enum sr_status jsonl_finish(struct sr_writer *w, struct sr_error *err)
{
	(void)w;
	(void)err;
	return SR_OK;
}

static void jsonl_close(struct sr_writer *w)
{
	free(w);
}

const struct sr_writer_class sr_out_jsonl = {
	.name = "jsonl",
	.ext = ".jsonl",
	.summary = "JSON Lines: one object per event",
	.open = jsonl_open,
	.write = jsonl_write,
	.finish = jsonl_finish,
	.close = jsonl_close,
};
