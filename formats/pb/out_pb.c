/*
 * out_pb.c - Protocol Buffers output (proto/sysrep.proto, docs/pb-msgpack.md):
 * a Header, then one Event per event, each prefixed by its varint length.
 *
 * The messages are encoded here, straight from the events, rather than by
 * building protobuf-c structs and calling protobuf_c_message_pack(): that
 * path was measured at 2.5x the time of the whole strace -> jsonl
 * conversion (protobuf-c walks every field descriptor of every node, and
 * sizes each nested message once per level above it).  The wire format is
 * small: varints, zigzag, length-delimited nested messages.  A nested
 * message gets a one-byte length slot that is widened, moving its bytes,
 * in the rare case it reaches 128 bytes.  Events are encoded into one
 * reused buffer and copied into the sink with their length; nothing is
 * allocated per event.  The reader (in_pb.c) decodes with protobuf-c, and
 * the tests read every stream back through it and through Google's Python
 * runtime, so the encoder cannot drift from the schema unnoticed.
 *
 * The header waits for the first batch: its defaults (pid form, clock,
 * digits) are the options that batch shows, so that a trace whose every
 * line has "-f -tt -T" pays for them once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

struct sr_writer {
	struct sr_sink *out;       /* borrowed */
	struct sr_wst strs;        /* owned: the stream's string table */
	struct sr_wire_hdr hdr;
	enum sr_arch arch;
	struct sr_nr_memo memo[SR_NR_MEMO];
	bool started;              /* the header is written */
	bool bad;                  /* out of memory while encoding */
	uint64_t next_line;        /* the line an event without `line` has */
	unsigned char *p;          /* owned: the message being encoded */
	size_t len, cap;
	/* the string-table entries an event defines go first in its message,
	 * but are only known once the rest is encoded: the rest is encoded
	 * here, then the entries, then the rest copied behind them */
	unsigned char *body;       /* owned */
	size_t body_cap;
};

/* Wire types */
enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2 };

static bool grow(struct sr_writer *w, size_t n)
{
	size_t nc = w->cap ? w->cap : 4096;
	unsigned char *p;

	while (nc - w->len < n)
		nc *= 2;
	p = realloc(w->p, nc);
	if (!p) {
		w->bad = true;
		return false;
	}
	w->p = p;
	w->cap = nc;
	return true;
}

/* Room for n more bytes; on failure the writes go nowhere (len reset). */
static inline bool room(struct sr_writer *w, size_t n)
{
	if (w->cap - w->len >= n)
		return true;
	if (grow(w, n))
		return true;
	w->len = 0;
	return false;
}

static inline void raw_varint(struct sr_writer *w, uint64_t v)
{
	w->len += sr_varint_put((char *)w->p + w->len, v);
}

static inline void put_varint(struct sr_writer *w, uint32_t field, uint64_t v)
{
	if (!room(w, 2 * SR_VARINT_MAX))
		return;
	raw_varint(w, (uint64_t)field << 3 | WT_VARINT);
	raw_varint(w, v);
}

static inline uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

/* proto3: a zero scalar outside a oneof is not written */
static inline void opt_varint(struct sr_writer *w, uint32_t field, uint64_t v)
{
	if (v)
		put_varint(w, field, v);
}

static inline void put_bytes(struct sr_writer *w, uint32_t field, const void *s, size_t n)
{
	if (!room(w, 2 * SR_VARINT_MAX + n))
		return;
	raw_varint(w, (uint64_t)field << 3 | WT_LEN);
	raw_varint(w, n);
	if (n) /* s may be NULL then */
		memcpy(w->p + w->len, s, n);
	w->len += n;
}

static inline void opt_bytes(struct sr_writer *w, uint32_t field, struct sr_str s)
{
	if (s.len)
		put_bytes(w, field, s.ptr, s.len);
}

static void opt_double(struct sr_writer *w, uint32_t field, double d)
{
	uint64_t u;
	int i;

	memcpy(&u, &d, sizeof(u));
	if (!u || !room(w, SR_VARINT_MAX + 8))
		return;
	raw_varint(w, (uint64_t)field << 3 | WT_I64);
	for (i = 0; i < 8; i++)
		w->p[w->len++] = (unsigned char)(u >> (8 * i));
}

/* Starts a nested message: its tag and a one-byte length slot. */
static inline size_t open_msg(struct sr_writer *w, uint32_t field)
{
	if (!room(w, SR_VARINT_MAX + 1))
		return 0;
	raw_varint(w, (uint64_t)field << 3 | WT_LEN);
	w->p[w->len++] = 0;
	return w->len;
}

/* Fills the length slot of the message opened at `at`. */
static inline void close_msg(struct sr_writer *w, size_t at)
{
	size_t n, k;
	char tmp[SR_VARINT_MAX];

	if (!at || at > w->len)
		return; /* an allocation failed on the way */
	n = w->len - at;
	if (n < 0x80) {
		w->p[at - 1] = (unsigned char)n;
		return;
	}
	k = sr_varint_put(tmp, n);
	if (!room(w, k))
		return;
	memmove(w->p + at - 1 + k, w->p + at, n);
	memcpy(w->p + at - 1, tmp, k);
	w->len += k - 1;
}

/* A string through the table when it qualifies, else inline. */
static inline void put_str(struct sr_writer *w, struct sr_str s, uint32_t ref_field,
			   uint32_t inline_field)
{
	uint32_t r = sr_wst_ref(&w->strs, s.ptr, s.len);

	if (r)
		put_varint(w, ref_field, r);
	else
		put_bytes(w, inline_field, s.ptr, s.len);
}

static inline void put_atom(struct sr_writer *w, const struct sr_atom *a, uint32_t ref_field,
			    uint32_t inline_field)
{
	uint32_t r = sr_wst_atom(&w->strs, a);

	if (r)
		put_varint(w, ref_field, r);
	else
		put_bytes(w, inline_field, a->str, a->len);
}

static const uint32_t pow10[10] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
				    100000000, 1000000000 };

/* Time: 1 sec, 2 nsec, 3 clock, 4 digits, 5 width, 6 frac */
static void put_time(struct sr_writer *w, uint32_t field, const struct sr_time *t,
		     enum sr_wire_tslot slot)
{
	struct sr_time d = sr_wire_tdefault(&w->hdr, slot);
	size_t at;

	if (t->clock == SR_CLOCK_NONE)
		return;
	at = open_msg(w, field);
	opt_varint(w, 1, zigzag(t->sec));
	if (t->digits <= 9 && t->nsec % pow10[9 - t->digits] == 0)
		opt_varint(w, 6, t->nsec / pow10[9 - t->digits]);
	else
		opt_varint(w, 2, t->nsec);
	if (t->clock != d.clock)
		put_varint(w, 3, t->clock);
	if (t->digits != d.digits)
		put_varint(w, 4, t->digits);
	if (t->width != d.width)
		put_varint(w, 5, t->width);
	close_msg(w, at);
}

/* Value.v members of the composite kinds (a Values message each) */
static const uint8_t composite_field[] = {
	[SR_V_FLAGS] = 8, [SR_V_STRUCT] = 9,   [SR_V_ARRAY] = 10,   [SR_V_SET] = 18,
	[SR_V_FD] = 11,   [SR_V_CALL] = 19,    [SR_V_CHANGED] = 20, [SR_V_COMMENT] = 15,
	[SR_V_EXPR] = 22, [SR_V_INDEX] = 23,
};

static bool put_value(struct sr_writer *w, uint32_t field, const struct sr_value *v);

/*
 * Value: 1 dec, 2 hex, 3 oct, 4 str, 5 str_ref, 6 null, 7 ident_ref,
 * 8..11, 15, 18..20, 22, 23 composites, 12 name_ref, 13 text_ref, 14 bits,
 * 16 udec, 17 ident, 21 ellipsis, 24 text, 25 name.  Returns false for a
 * kind it does not know.
 */
static bool put_value_body(struct sr_writer *w, const struct sr_value *v)
{
	uint32_t i, r;
	size_t at;

	if (v->name.len)
		put_str(w, v->name, 12, 25);
	opt_varint(w, 14, v->flags);
	switch (v->kind) {
	case SR_V_INT:
		if (v->base == SR_BASE_HEX)
			put_varint(w, 2, v->num.u);
		else if (v->base == SR_BASE_OCT)
			put_varint(w, 3, v->num.u);
		else if (v->flags & SR_VF_UNSIGNED)
			put_varint(w, 16, v->num.u);
		else
			put_varint(w, 1, zigzag(v->num.i));
		if (!sr_int_canonical(v))
			put_bytes(w, 24, v->text.ptr, v->text.len);
		return true;
	case SR_V_STR:
		put_str(w, v->text, 5, 4);
		return true;
	case SR_V_IDENT:
		put_str(w, v->text, 7, 17);
		return true;
	case SR_V_NULL:
		put_varint(w, 6, 1);
		return true;
	case SR_V_ELLIPSIS:
		put_varint(w, 21, 1);
		return true;
	default:
		break;
	}
	if (v->kind >= sizeof(composite_field) || !composite_field[v->kind])
		return false;
	if (v->kind == SR_V_FLAGS && !v->text.len && (r = sr_wire_flags_ref(&w->strs, v)) != 0) {
		put_varint(w, 26, r);
		return true;
	}
	if (v->text.len) {
		r = sr_wst_ref(&w->strs, v->text.ptr, v->text.len);
		if (r)
			put_varint(w, 13, r);
		else
			put_bytes(w, 24, v->text.ptr, v->text.len);
	}
	at = open_msg(w, composite_field[v->kind]);
	for (i = 0; i < v->nkids; i++)
		if (!put_value(w, 1, &v->kids[i]))
			return false;
	close_msg(w, at);
	return true;
}

static bool put_value(struct sr_writer *w, uint32_t field, const struct sr_value *v)
{
	size_t at = open_msg(w, field);
	bool ok = put_value_body(w, v);

	close_msg(w, at);
	return ok;
}

/* Leader: 1 pid, 2 pid_form, 3 time, 4 rel, 5 comm, 6 secontext, 7 has_nr,
 * 8 nr_unknown, 9 nr_width, 10 nr, 11 has_ip, 12 ip_unknown, 13 ip_digits,
 * 14 ip, 15 ip_spaced.  Left out when every field has its default. */
static void put_leader(struct sr_writer *w, const struct sr_leader *l)
{
	size_t at = open_msg(w, 4);

	if (l->pid != -1)
		put_varint(w, 1, zigzag(l->pid));
	if (l->pid_form != w->hdr.pid_form)
		put_varint(w, 2, l->pid_form);
	put_time(w, 3, &l->time, SR_TS_TIME);
	put_time(w, 4, &l->rel, SR_TS_REL);
	opt_bytes(w, 5, l->comm);
	opt_bytes(w, 6, l->secontext);
	opt_varint(w, 7, l->has_nr);
	opt_varint(w, 8, l->nr_unknown);
	opt_varint(w, 9, l->nr_width);
	opt_varint(w, 10, zigzag(l->nr) & 0xffffffffu);
	opt_varint(w, 11, l->has_ip);
	opt_varint(w, 12, l->ip_unknown);
	opt_varint(w, 13, l->ip_digits);
	opt_varint(w, 14, l->ip);
	opt_varint(w, 15, l->ip_spaced);
	if (at && w->len == at)
		w->len = at - 2; /* tag 4 and the empty slot */
	else
		close_msg(w, at);
}

static void put_packed(struct sr_writer *w, uint32_t field, const uint8_t *v, unsigned int n)
{
	unsigned int j;

	if (!n || !room(w, 2 * SR_VARINT_MAX + n * 2))
		return;
	raw_varint(w, (uint64_t)field << 3 | WT_LEN);
	raw_varint(w, 0); /* patched below: n values below 256 take n..2n bytes */
	{
		size_t at = w->len;

		for (j = 0; j < n; j++)
			raw_varint(w, v[j]);
		w->p[at - 1] = (unsigned char)(w->len - at);
	}
}

/* Summary: 1 row, 2 cols, 3 widths, 4 has, 5..8 doubles, 9..11 counts, 12 has_errors */
static void put_summary(struct sr_writer *w, const struct sr_summary *s)
{
	size_t at = open_msg(w, 24);
	unsigned int n = s->ncols <= SR_SUM_MAXCOLS ? s->ncols : SR_SUM_MAXCOLS;

	opt_varint(w, 1, s->row);
	put_packed(w, 2, s->col, n);
	put_packed(w, 3, s->width, n);
	opt_varint(w, 4, s->has);
	opt_double(w, 5, s->pct);
	opt_double(w, 6, s->seconds);
	opt_double(w, 7, s->min);
	opt_double(w, 8, s->max);
	opt_varint(w, 9, s->usecs);
	opt_varint(w, 10, s->calls);
	opt_varint(w, 11, s->errors);
	opt_varint(w, 12, s->has_errors);
	close_msg(w, at);
}

/* Attach: 1 kind, 2 addr, 3 offset, 4 module, 5 symbol, 6 bytes, 7 text, 8 module_ref */
static void put_attach(struct sr_writer *w, const struct sr_attach *a)
{
	size_t at = open_msg(w, 25);

	opt_varint(w, 1, a->kind);
	opt_varint(w, 2, a->addr);
	opt_varint(w, 3, a->offset);
	if (a->module.len)
		put_str(w, a->module, 8, 4);
	opt_bytes(w, 5, a->symbol);
	opt_bytes(w, 6, a->bytes);
	opt_bytes(w, 7, a->text);
	close_msg(w, at);
}

/* Event fields but 1 (the strings), into w->p; false for an unknown kind. */
static bool put_event_body(struct sr_writer *w, const struct sr_event *ev)
{
	uint32_t i;

	if (ev->kind < 1 || ev->kind >= SR_E__COUNT)
		return false;
	opt_varint(w, 2, ev->kind - 1u);
	if (ev->line != w->next_line)
		put_varint(w, 3, ev->line);
	w->next_line = ev->line + 1 + ev->natt;
	put_leader(w, &ev->lead);
	if (ev->name)
		put_atom(w, ev->name, 5, 17);
	for (i = 0; i < ev->nargs; i++)
		if (!put_value(w, 6, &ev->args[i]))
			return false;
	if (ev->has_ret && ev->ret) {
		if (!put_value(w, 7, ev->ret))
			return false;
	} else if (ev->has_ret) {
		put_varint(w, 8, 1);
	}
	put_time(w, 9, &ev->duration, SR_TS_DUR);
	opt_varint(w, 10, ev->flags);
	opt_varint(w, 11, ev->pad);
	opt_varint(w, 12, ev->split);
	if (ev->err)
		put_atom(w, ev->err, 13, 18);
	if (ev->errmsg.len)
		put_str(w, ev->errmsg, 14, 19);
	put_time(w, 15, &ev->start, SR_TS_TIME);
	if (ev->nr != -1) {
		bool derived = w->arch != SR_ARCH_UNKNOWN && ev->name &&
			       (ev->kind == SR_E_SYSCALL || ev->kind == SR_E_UNFINISHED) &&
			       ev->nr == sr_wire_table_nr(w->memo, w->arch, ev->name);

		if (!derived)
			put_varint(w, 16, (uint64_t)(int64_t)ev->nr); /* int32: sign-extended */
	} else if (w->arch != SR_ARCH_UNKNOWN && ev->name &&
		   (ev->kind == SR_E_SYSCALL || ev->kind == SR_E_UNFINISHED) &&
		   sr_wire_table_nr(w->memo, w->arch, ev->name) != -1) {
		put_varint(w, 16, (uint64_t)(int64_t)-1);
	}
	for (i = 0; i < ev->nnotes; i++)
		put_bytes(w, 20, ev->notes[i].ptr, ev->notes[i].len);
	opt_bytes(w, 21, ev->unavail);
	opt_varint(w, 22, zigzag(ev->code));
	opt_bytes(w, 23, ev->text);
	if (ev->sum)
		put_summary(w, ev->sum);
	for (i = 0; i < ev->natt; i++)
		put_attach(w, &ev->att[i]);
	return true;
}

/* w->p[0..len) with its length prefix into the sink. */
static void emit(struct sr_writer *w, const void *p, size_t len)
{
	char *d = sr_sink_reserve(w->out, len + SR_VARINT_MAX);
	size_t k = sr_varint_put(d, len);

	memcpy(d + k, p, len);
	sr_sink_commit(w->out, k + len);
}

/* The event's new table entries (field 1), then its body. */
static enum sr_status put_event(struct sr_writer *w, const struct sr_event *ev)
{
	uint32_t first, n, i;
	size_t body_len;
	char *d;

	w->len = 0;
	if (!put_event_body(w, ev))
		return SR_ERR_UNSUPPORTED;
	if (w->bad)
		return SR_ERR_NOMEM;
	n = sr_wst_take(&w->strs, &first);
	if (!n) {
		emit(w, w->p, w->len);
		return SR_OK;
	}
	/* swap: the body moves aside while the entries are encoded */
	body_len = w->len;
	{
		unsigned char *t = w->body;
		size_t tc = w->body_cap;

		w->body = w->p;
		w->body_cap = w->cap;
		w->p = t;
		w->cap = tc;
		w->len = 0;
	}
	for (i = 0; i < n; i++) {
		const struct sr_atom *a = sr_intern_at(w->strs.t, first + i);

		put_bytes(w, 1, a->str, a->len);
	}
	if (w->bad)
		return SR_ERR_NOMEM;
	d = sr_sink_reserve(w->out, w->len + body_len + SR_VARINT_MAX);
	i = (uint32_t)sr_varint_put(d, w->len + body_len);
	memcpy(d + i, w->p, w->len);
	memcpy(d + i + w->len, w->body, body_len);
	sr_sink_commit(w->out, i + w->len + body_len);
	return SR_OK;
}

static void write_header(struct sr_writer *w, const struct sr_batch *b)
{
	const struct sr_wire_hdr *d = &w->hdr;
	const char *src = b && b->source ? b->source : "";
	const char *arch = sr_arch_name(w->arch);
	size_t i;

	sr_wire_detect(&w->hdr, b);
	w->len = 0;
	put_bytes(w, 1, "sysrep.pb", 9);
	put_varint(w, 2, SR_WIRE_SCHEMA);
	put_bytes(w, 3, "strace", 6);
	opt_bytes(w, 4, (struct sr_str){ src, strlen(src) });
	put_bytes(w, 5, "sysrep " SR_VERSION, sizeof("sysrep " SR_VERSION) - 1);
	if (arch)
		put_bytes(w, 6, arch, strlen(arch));
	opt_varint(w, 7, d->pid_form);
	opt_varint(w, 8, d->time_clock);
	opt_varint(w, 9, d->time_digits);
	opt_varint(w, 10, d->rel_digits);
	opt_varint(w, 11, d->rel_width);
	opt_varint(w, 12, d->dur_digits);
	opt_varint(w, 13, d->durations);
	opt_varint(w, 14, d->numbers);
	opt_varint(w, 15, d->ips);
	opt_varint(w, 16, d->fds);
	opt_varint(w, 17, d->relative);
	for (i = 0; i < d->nopts; i++)
		put_bytes(w, 18, d->opts[i], strlen(d->opts[i]));
	opt_varint(w, 19, w->arch != SR_ARCH_UNKNOWN);
	emit(w, w->p, w->len);
	w->started = true;
	w->next_line = 1;
}

static enum sr_status pb_open(struct sr_writer **wp, struct sr_sink *out,
			      const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_writer *w = calloc(1, sizeof(*w));

	*wp = NULL;
	if (!w || !sr_wst_init(&w->strs)) {
		free(w);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot start pb output: out of memory");
	}
	w->out = out;
	/* the table the conversion numbers syscalls with (core/convert.c) */
	w->arch = sr_arch_parse(sr_opts_get(opts, "arch", "x86_64"));
	*wp = w;
	return SR_OK;
}

static enum sr_status pb_write(struct sr_writer *w, const struct sr_batch *b,
			       struct sr_error *err)
{
	size_t i;
	enum sr_status st;

	if (!w->started)
		write_header(w, b);
	for (i = 0; i < b->n; i++) {
		st = put_event(w, &b->ev[i]);
		if (st == SR_ERR_NOMEM)
			return sr_error_set(err, st, "cannot write pb output: out of memory");
		if (st < 0)
			return sr_error_set(err, st,
					    "cannot write pb output: line %llu: unknown event or value kind",
					    (unsigned long long)b->ev[i].line);
	}
	return SR_OK;
}

static enum sr_status pb_finish(struct sr_writer *w, struct sr_error *err)
{
	(void)err;
	/* an empty input still gives a stream that says what it is */
	if (!w->started)
		write_header(w, NULL);
	return w->bad ? sr_error_set(err, SR_ERR_NOMEM, "cannot write pb output: out of memory")
		      : SR_OK;
}

static void pb_close(struct sr_writer *w)
{
	if (!w)
		return;
	sr_wst_free(&w->strs);
	free(w->p);
	free(w->body);
	free(w);
}

static const struct sr_optdesc sr_out_pb_keys[] = {
	{ "arch", "the syscall table for numbers: x86_64 (default), i386, aarch64" },
	{ NULL, NULL },
};

const struct sr_writer_class sr_out_pb = {
	.name = "pb",
	.ext = ".pb",
	.summary = "Protocol Buffers (proto/sysrep.proto), varint-delimited messages",
	.open = pb_open,
	.write = pb_write,
	.finish = pb_finish,
	.close = pb_close,
	.opt_keys = sr_out_pb_keys,
};
