/*
 * out_msgpack.c - MessagePack output (docs/pb-msgpack.md): a header map, then
 * one map per event, packed with msgpack-c.
 *
 * Values use msgpack's own types where the meaning is plain (a decimal
 * integer is an integer, a string a str, or a bin when its bytes are not
 * UTF-8, NULL nil, an array an array) and a small map with one-letter keys
 * otherwise.  Strings that repeat go through the same per-stream table as
 * in the pb format: an event's map may start with "+", the entries it adds,
 * and a string-valued key may hold a positive integer instead, 1 + an index
 * into the table.
 *
 * msgpack-c writes through a callback, here into a buffer reused for every
 * event; the event's map is assembled there and copied to the sink once.
 */
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>

#include "json_emit.h"
#include "wire.h"

struct mbuf {
	char *p;
	size_t len, cap;
	bool bad;      /* out of memory: later writes are dropped */
};

struct sr_writer {
	struct sr_sink *out;   /* borrowed */
	struct sr_wst strs;    /* owned: the stream's string table */
	struct sr_wire_hdr hdr;
	enum sr_arch arch;
	struct sr_nr_memo memo[SR_NR_MEMO];
	bool started;
	uint64_t next_line;
	struct mbuf body;      /* owned: the event's entries */
	struct mbuf head;      /* owned: its map header and table entries */
	msgpack_packer pk;     /* packs into *cur */
	struct mbuf *cur;      /* borrowed: body or head */
};

static bool mbuf_room(struct mbuf *b, size_t n)
{
	size_t nc;
	char *p;

	if (b->cap - b->len >= n)
		return true;
	if (b->bad)
		return false;
	nc = b->cap ? b->cap : 4096;
	while (nc - b->len < n)
		nc *= 2;
	p = realloc(b->p, nc);
	if (!p) {
		b->bad = true;
		return false;
	}
	b->p = p;
	b->cap = nc;
	return true;
}

static int pack_cb(void *data, const char *buf, size_t len)
{
	struct sr_writer *w = data;
	struct mbuf *b = w->cur;

	if (b->cap - b->len < len && !mbuf_room(b, len))
		return -1;
	/* most calls carry a type byte and a few bytes of number */
	if (len <= 9) {
		char *d = b->p + b->len;
		size_t i;

		for (i = 0; i < len; i++)
			d[i] = buf[i];
	} else {
		memcpy(b->p + b->len, buf, len);
	}
	b->len += len;
	return 0;
}

/* A one-letter (or short) key: fixstr. */
static inline void key(struct sr_writer *w, const char *k, size_t n)
{
	struct mbuf *b = w->cur;

	if (!mbuf_room(b, n + 1))
		return;
	b->p[b->len++] = (char)(0xa0 | n);
	memcpy(b->p + b->len, k, n);
	b->len += n;
}
#define KEY(w, lit) key((w), (lit), sizeof(lit) - 1)

/* Maps whose size is known at the end: a fixmap byte, widened to map16
 * when more than 15 entries came. */
static inline size_t open_map(struct sr_writer *w)
{
	struct mbuf *b = w->cur;

	if (!mbuf_room(b, 1))
		return SIZE_MAX;
	b->p[b->len++] = (char)0x80;
	return b->len - 1;
}

static void close_map(struct sr_writer *w, size_t at, unsigned int n)
{
	struct mbuf *b = w->cur;

	if (at >= b->len)
		return;
	if (n <= 15) {
		b->p[at] = (char)(0x80 | n);
		return;
	}
	if (!mbuf_room(b, 2))
		return;
	memmove(b->p + at + 3, b->p + at + 1, b->len - at - 1);
	b->p[at] = (char)0xde;
	b->p[at + 1] = (char)(n >> 8);
	b->p[at + 2] = (char)n;
	b->len += 2;
}

/* Bytes: str when they are UTF-8, else bin. */
static void put_bytes(struct sr_writer *w, struct sr_str s)
{
	if (sr_json_utf8_valid(s.ptr, s.len)) {
		msgpack_pack_str(&w->pk, s.len);
		msgpack_pack_str_body(&w->pk, s.ptr, s.len);
	} else {
		msgpack_pack_bin(&w->pk, s.len);
		msgpack_pack_bin_body(&w->pk, s.ptr, s.len);
	}
}

/* A string through the table (a positive integer) or inline. */
static void put_sref(struct sr_writer *w, struct sr_str s)
{
	uint32_t r = sr_wst_ref(&w->strs, s.ptr, s.len);

	if (r)
		msgpack_pack_uint32(&w->pk, r);
	else
		put_bytes(w, s);
}

static void put_aref(struct sr_writer *w, const struct sr_atom *a)
{
	uint32_t r = sr_wst_atom(&w->strs, a);

	if (r)
		msgpack_pack_uint32(&w->pk, r);
	else
		put_bytes(w, (struct sr_str){ a->str, a->len });
}

static const uint32_t pow10[10] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
				    100000000, 1000000000 };

/* [sec, frac] with the slot's defaults, else {"s","n","c","d","w"} */
static void put_time(struct sr_writer *w, const char *k, const struct sr_time *t,
		     enum sr_wire_tslot slot, unsigned int *count)
{
	struct sr_time d = sr_wire_tdefault(&w->hdr, slot);
	size_t at;
	unsigned int n = 0;

	if (t->clock == SR_CLOCK_NONE)
		return;
	key(w, k, 1);
	(*count)++;
	if (t->clock == d.clock && t->digits == d.digits && t->width == d.width && t->digits <= 9 &&
	    t->nsec % pow10[9 - t->digits] == 0) {
		if (!t->sec) {
			/* -T durations: mostly below a second */
			msgpack_pack_uint32(&w->pk, t->nsec / pow10[9 - t->digits]);
			return;
		}
		msgpack_pack_array(&w->pk, 2);
		msgpack_pack_int64(&w->pk, t->sec);
		msgpack_pack_uint32(&w->pk, t->nsec / pow10[9 - t->digits]);
		return;
	}
	at = open_map(w);
	KEY(w, "s");
	msgpack_pack_int64(&w->pk, t->sec);
	KEY(w, "n");
	msgpack_pack_uint32(&w->pk, t->nsec);
	KEY(w, "c");
	msgpack_pack_uint8(&w->pk, t->clock);
	KEY(w, "d");
	msgpack_pack_uint8(&w->pk, t->digits);
	KEY(w, "w");
	msgpack_pack_uint8(&w->pk, t->width);
	n = 5;
	close_map(w, at, n);
}

static bool put_value(struct sr_writer *w, const struct sr_value *v);

static bool put_kids(struct sr_writer *w, const struct sr_value *v)
{
	uint32_t i;

	msgpack_pack_array(&w->pk, v->nkids);
	for (i = 0; i < v->nkids; i++)
		if (!put_value(w, &v->kids[i]))
			return false;
	return true;
}

/* "A|B|C" for a FLAGS of bare words (see out_pb.c); 0 when not one. */
/* The key that gives a composite map its kind and holds its kids. */
static const char kind_key[SR_V_INDEX + 1] = {
	[SR_V_STRUCT] = '{', [SR_V_ARRAY] = '[',   [SR_V_SET] = '~',     [SR_V_FD] = '@',
	[SR_V_CALL] = '(',   [SR_V_CHANGED] = '>', [SR_V_COMMENT] = '/', [SR_V_EXPR] = '*',
	[SR_V_INDEX] = ']',
};

static bool put_value(struct sr_writer *w, const struct sr_value *v)
{
	bool plain = !v->name.len && !v->flags;
	unsigned int n = 0;
	size_t at;
	uint32_t r;

	if (v->kind < SR_V_INT || v->kind > SR_V_INDEX)
		return false;
	/* the natural forms */
	switch (v->kind) {
	case SR_V_INT:
		if (v->base != SR_BASE_DEC || v->name.len || !sr_int_canonical(v))
			break;
		if (!v->flags) {
			msgpack_pack_int64(&w->pk, v->num.i);
			return true;
		}
		if (v->flags == SR_VF_UNSIGNED && v->num.u > INT64_MAX) {
			msgpack_pack_uint64(&w->pk, v->num.u);
			return true;
		}
		break;
	case SR_V_STR:
		if (!plain)
			break;
		r = sr_wst_ref(&w->strs, v->text.ptr, v->text.len);
		if (!r) {
			put_bytes(w, v->text);
			return true;
		}
		/* {"s": ref} */
		msgpack_pack_map(&w->pk, 1);
		KEY(w, "s");
		msgpack_pack_uint32(&w->pk, r);
		return true;
	case SR_V_NULL:
		if (plain) {
			msgpack_pack_nil(&w->pk);
			return true;
		}
		break;
	case SR_V_ARRAY:
		if (plain && !v->text.len)
			return put_kids(w, v);
		break;
	default:
		break;
	}
	at = open_map(w);
	if (v->name.len) {
		KEY(w, "n");
		put_sref(w, v->name);
		n++;
	}
	/* hex and octal INTs are unsigned unless "f" says otherwise */
	if (v->kind == SR_V_INT && v->base != SR_BASE_DEC ? v->flags != SR_VF_UNSIGNED
							  : v->flags != 0) {
		KEY(w, "f");
		msgpack_pack_uint16(&w->pk, v->flags);
		n++;
	}
	n++;
	switch (v->kind) {
	case SR_V_INT:
		if (v->base == SR_BASE_HEX)
			KEY(w, "x");
		else if (v->base == SR_BASE_OCT)
			KEY(w, "o");
		else
			KEY(w, "i");
		if (v->base != SR_BASE_DEC || (v->flags & SR_VF_UNSIGNED))
			msgpack_pack_uint64(&w->pk, v->num.u);
		else
			msgpack_pack_int64(&w->pk, v->num.i);
		if (!sr_int_canonical(v)) {
			KEY(w, "t");
			put_bytes(w, v->text);
			n++;
		}
		break;
	case SR_V_STR:
		KEY(w, "s");
		put_sref(w, v->text);
		break;
	case SR_V_IDENT:
		KEY(w, "w");
		put_sref(w, v->text);
		break;
	case SR_V_FLAGS:
		KEY(w, "|");
		if (!v->text.len && (r = sr_wire_flags_ref(&w->strs, v)) != 0) {
			msgpack_pack_uint32(&w->pk, r);
		} else if (!put_kids(w, v)) {
			return false;
		}
		if (v->text.len) {
			KEY(w, "t");
			put_sref(w, v->text);
			n++;
		}
		break;
	case SR_V_FD:
		if (v->nkids == 1) {
			/* [fd, annotation] */
			KEY(w, "@");
			msgpack_pack_array(&w->pk, 2);
			if (!put_value(w, &v->kids[0]))
				return false;
			put_sref(w, v->text);
			break;
		}
		/* fall through */
	default:
		if (kind_key[v->kind] && v->kind != SR_V_FD) {
			key(w, &kind_key[v->kind], 1);
			if (!put_kids(w, v))
				return false;
		} else {
			/* the general form: NULL or ELLIPSIS with a name or
			 * flags, an FD without exactly one kid */
			KEY(w, "k");
			msgpack_pack_uint8(&w->pk, v->kind);
			if (v->nkids) {
				KEY(w, "c");
				if (!put_kids(w, v))
					return false;
				n++;
			}
		}
		if (v->text.len) {
			KEY(w, "t");
			put_sref(w, v->text);
			n++;
		}
		break;
	}
	close_map(w, at, n);
	return true;
}

/* The leader's rarer fields, as map "L" */
static void put_leader_rest(struct sr_writer *w, const struct sr_leader *l, unsigned int *count)
{
	size_t at;
	unsigned int n = 0;

	if (l->pid_form == w->hdr.pid_form && !l->comm.len && !l->secontext.len && !l->has_nr &&
	    !l->nr_unknown && !l->nr_width && !l->nr && !l->has_ip && !l->ip_unknown &&
	    !l->ip_digits && !l->ip && !l->ip_spaced)
		return;
	KEY(w, "L");
	(*count)++;
	at = open_map(w);
#define FIELD(k, cond, pack) \
	do { \
		if (cond) { \
			KEY(w, k); \
			pack; \
			n++; \
		} \
	} while (0)
	FIELD("f", l->pid_form != w->hdr.pid_form, msgpack_pack_uint8(&w->pk, l->pid_form));
	FIELD("c", l->comm.len, put_bytes(w, l->comm));
	FIELD("x", l->secontext.len, put_bytes(w, l->secontext));
	FIELD("hn", l->has_nr, msgpack_pack_true(&w->pk));
	FIELD("nu", l->nr_unknown, msgpack_pack_true(&w->pk));
	FIELD("nw", l->nr_width, msgpack_pack_uint8(&w->pk, l->nr_width));
	FIELD("n", l->nr, msgpack_pack_int32(&w->pk, l->nr));
	FIELD("hi", l->has_ip, msgpack_pack_true(&w->pk));
	FIELD("iu", l->ip_unknown, msgpack_pack_true(&w->pk));
	FIELD("id", l->ip_digits, msgpack_pack_uint8(&w->pk, l->ip_digits));
	FIELD("i", l->ip, msgpack_pack_uint64(&w->pk, l->ip));
	FIELD("is", l->ip_spaced, msgpack_pack_true(&w->pk));
	close_map(w, at, n);
}

static void put_summary(struct sr_writer *w, const struct sr_summary *s)
{
	unsigned int j, nc = s->ncols <= SR_SUM_MAXCOLS ? s->ncols : SR_SUM_MAXCOLS, n = 0;
	size_t at = open_map(w);

	FIELD("r", 1, msgpack_pack_uint8(&w->pk, s->row));
	KEY(w, "c");
	msgpack_pack_array(&w->pk, nc);
	for (j = 0; j < nc; j++)
		msgpack_pack_uint8(&w->pk, s->col[j]);
	KEY(w, "w");
	msgpack_pack_array(&w->pk, nc);
	for (j = 0; j < nc; j++)
		msgpack_pack_uint8(&w->pk, s->width[j]);
	n += 2;
	FIELD("h", s->has, msgpack_pack_uint16(&w->pk, s->has));
	FIELD("p", s->pct != 0, msgpack_pack_double(&w->pk, s->pct));
	FIELD("s", s->seconds != 0, msgpack_pack_double(&w->pk, s->seconds));
	FIELD("mn", s->min != 0, msgpack_pack_double(&w->pk, s->min));
	FIELD("mx", s->max != 0, msgpack_pack_double(&w->pk, s->max));
	FIELD("u", s->usecs, msgpack_pack_uint64(&w->pk, s->usecs));
	FIELD("n", s->calls, msgpack_pack_uint64(&w->pk, s->calls));
	FIELD("e", s->errors, msgpack_pack_uint64(&w->pk, s->errors));
	FIELD("he", s->has_errors, msgpack_pack_true(&w->pk));
	close_map(w, at, n);
}

static void put_attach(struct sr_writer *w, const struct sr_attach *a)
{
	unsigned int n = 0;
	size_t at = open_map(w);

	FIELD("k", 1, msgpack_pack_uint8(&w->pk, a->kind));
	FIELD("a", a->addr, msgpack_pack_uint64(&w->pk, a->addr));
	FIELD("o", a->offset, msgpack_pack_uint64(&w->pk, a->offset));
	FIELD("m", a->module.len, put_sref(w, a->module));
	FIELD("s", a->symbol.len, put_bytes(w, a->symbol));
	if (a->kind == SR_A_DUMP || a->bytes.len) {
		KEY(w, "b");
		msgpack_pack_bin(&w->pk, a->bytes.len);
		msgpack_pack_bin_body(&w->pk, a->bytes.ptr, a->bytes.len);
		n++;
	}
	FIELD("t", 1, put_bytes(w, a->text));
	close_map(w, at, n);
}

/* The event's entries into w->body; returns false for an unknown kind. */
static bool put_event_body(struct sr_writer *w, const struct sr_event *ev, unsigned int *count)
{
	unsigned int n = 0;
	uint32_t i;

	if (ev->kind < 1 || ev->kind >= SR_E__COUNT)
		return false;
	FIELD("k", ev->kind != SR_E_SYSCALL, msgpack_pack_uint8(&w->pk, ev->kind));
	FIELD("l", ev->line != w->next_line, msgpack_pack_uint64(&w->pk, ev->line));
	w->next_line = ev->line + 1 + ev->natt;
	FIELD("p", ev->lead.pid != -1, msgpack_pack_int64(&w->pk, ev->lead.pid));
	put_time(w, "t", &ev->lead.time, SR_TS_TIME, &n);
	put_time(w, "r", &ev->lead.rel, SR_TS_REL, &n);
	put_leader_rest(w, &ev->lead, &n);
	FIELD("s", ev->name, put_aref(w, ev->name));
	if (ev->nargs) {
		KEY(w, "a");
		msgpack_pack_array(&w->pk, ev->nargs);
		for (i = 0; i < ev->nargs; i++)
			if (!put_value(w, &ev->args[i]))
				return false;
		n++;
	}
	if (ev->has_ret && ev->ret) {
		KEY(w, "=");
		if (!put_value(w, ev->ret))
			return false;
		n++;
	} else if (ev->has_ret) {
		FIELD("?", 1, msgpack_pack_true(&w->pk));
	}
	put_time(w, "d", &ev->duration, SR_TS_DUR, &n);
	FIELD("f", ev->flags, msgpack_pack_uint16(&w->pk, ev->flags));
	FIELD("P", ev->pad, msgpack_pack_uint16(&w->pk, ev->pad));
	FIELD("x", ev->split, msgpack_pack_uint32(&w->pk, ev->split));
	FIELD("e", ev->err, put_aref(w, ev->err));
	FIELD("m", ev->errmsg.len, put_sref(w, ev->errmsg));
	put_time(w, "S", &ev->start, SR_TS_TIME, &n);
	if (ev->nr != -1) {
		bool derived = w->arch != SR_ARCH_UNKNOWN && ev->name &&
			       (ev->kind == SR_E_SYSCALL || ev->kind == SR_E_UNFINISHED) &&
			       ev->nr == sr_wire_table_nr(w->memo, w->arch, ev->name);

		FIELD("#", !derived, msgpack_pack_int32(&w->pk, ev->nr));
	} else {
		FIELD("#", w->arch != SR_ARCH_UNKNOWN && ev->name &&
				   (ev->kind == SR_E_SYSCALL || ev->kind == SR_E_UNFINISHED) &&
				   sr_wire_table_nr(w->memo, w->arch, ev->name) != -1,
		      msgpack_pack_int32(&w->pk, -1));
	}
	if (ev->nnotes) {
		KEY(w, "N");
		msgpack_pack_array(&w->pk, ev->nnotes);
		for (i = 0; i < ev->nnotes; i++)
			put_bytes(w, ev->notes[i]);
		n++;
	}
	FIELD("u", ev->unavail.len, put_bytes(w, ev->unavail));
	FIELD("c", ev->code, msgpack_pack_int64(&w->pk, ev->code));
	FIELD("T", ev->text.len, put_bytes(w, ev->text));
	FIELD("M", ev->sum, put_summary(w, ev->sum));
	if (ev->natt) {
		KEY(w, "A");
		msgpack_pack_array(&w->pk, ev->natt);
		for (i = 0; i < ev->natt; i++)
			put_attach(w, &ev->att[i]);
		n++;
	}
	*count = n;
	return true;
}
#undef FIELD

static enum sr_status put_event(struct sr_writer *w, const struct sr_event *ev)
{
	unsigned int n;
	uint32_t first, nd, i;
	struct mbuf *h = &w->head;
	char *d;

	w->body.len = 0;
	w->cur = &w->body;
	if (!put_event_body(w, ev, &n))
		return SR_ERR_UNSUPPORTED;
	nd = sr_wst_take(&w->strs, &first);
	h->len = 0;
	w->cur = h;
	msgpack_pack_map(&w->pk, n + (nd ? 1 : 0));
	if (nd) {
		KEY(w, "+");
		msgpack_pack_array(&w->pk, nd);
		for (i = 0; i < nd; i++) {
			const struct sr_atom *a = sr_intern_at(w->strs.t, first + i);

			put_bytes(w, (struct sr_str){ a->str, a->len });
		}
	}
	if (w->body.bad || h->bad)
		return SR_ERR_NOMEM;
	d = sr_sink_reserve(w->out, h->len + w->body.len);
	memcpy(d, h->p, h->len);
	memcpy(d + h->len, w->body.p, w->body.len);
	sr_sink_commit(w->out, h->len + w->body.len);
	return SR_OK;
}

static void put_kv_str(struct sr_writer *w, const char *k, const char *v)
{
	key(w, k, strlen(k));
	put_bytes(w, (struct sr_str){ v, strlen(v) });
}

static void put_kv_uint(struct sr_writer *w, const char *k, uint64_t v)
{
	key(w, k, strlen(k));
	msgpack_pack_uint64(&w->pk, v);
}

/* The header: the same fields as the pb Header, with its field names. */
static void write_header(struct sr_writer *w, const struct sr_batch *b)
{
	const struct sr_wire_hdr *d = &w->hdr;
	const char *arch = sr_arch_name(w->arch);
	size_t i;

	sr_wire_detect(&w->hdr, b);
	w->head.len = 0;
	w->cur = &w->head;
	msgpack_pack_map(&w->pk, 19);
	put_kv_str(w, "sysrep", "msgpack");
	put_kv_uint(w, "schema_version", SR_WIRE_SCHEMA);
	put_kv_str(w, "source_format", "strace");
	put_kv_str(w, "source_name", b && b->source ? b->source : "");
	put_kv_str(w, "generator", "sysrep " SR_VERSION);
	put_kv_str(w, "arch", arch ? arch : "");
	put_kv_uint(w, "pid_form", d->pid_form);
	put_kv_uint(w, "time_clock", d->time_clock);
	put_kv_uint(w, "time_digits", d->time_digits);
	put_kv_uint(w, "rel_digits", d->rel_digits);
	put_kv_uint(w, "rel_width", d->rel_width);
	put_kv_uint(w, "duration_digits", d->dur_digits);
	put_kv_uint(w, "durations", d->durations);
	put_kv_uint(w, "syscall_numbers", d->numbers);
	put_kv_uint(w, "instruction_pointers", d->ips);
	put_kv_uint(w, "decode_fds", d->fds);
	put_kv_uint(w, "relative", d->relative);
	KEY(w, "options");
	msgpack_pack_array(&w->pk, d->nopts);
	for (i = 0; i < d->nopts; i++)
		put_bytes(w, (struct sr_str){ d->opts[i], strlen(d->opts[i]) });
	put_kv_uint(w, "numbers_from_arch", w->arch != SR_ARCH_UNKNOWN);
	sr_sink_write(w->out, w->head.p, w->head.len);
	w->started = true;
	w->next_line = 1;
}

static enum sr_status mp_open(struct sr_writer **wp, struct sr_sink *out,
			      const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_writer *w = calloc(1, sizeof(*w));

	*wp = NULL;
	if (!w || !sr_wst_init(&w->strs)) {
		free(w);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot start msgpack output: out of memory");
	}
	w->out = out;
	w->arch = sr_arch_parse(sr_opts_get(opts, "arch", "x86_64"));
	msgpack_packer_init(&w->pk, w, pack_cb);
	w->cur = &w->body;
	*wp = w;
	return SR_OK;
}

static enum sr_status mp_write(struct sr_writer *w, const struct sr_batch *b,
			       struct sr_error *err)
{
	size_t i;
	enum sr_status st;

	if (!w->started)
		write_header(w, b);
	for (i = 0; i < b->n; i++) {
		st = put_event(w, &b->ev[i]);
		if (st == SR_ERR_NOMEM)
			return sr_error_set(err, st, "cannot write msgpack output: out of memory");
		if (st < 0)
			return sr_error_set(err, st,
					    "cannot write msgpack output: line %llu: unknown event or value kind",
					    (unsigned long long)b->ev[i].line);
	}
	return SR_OK;
}

static enum sr_status mp_finish(struct sr_writer *w, struct sr_error *err)
{
	if (!w->started)
		write_header(w, NULL);
	if (w->head.bad)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot write msgpack output: out of memory");
	return SR_OK;
}

static void mp_close(struct sr_writer *w)
{
	if (!w)
		return;
	sr_wst_free(&w->strs);
	free(w->body.p);
	free(w->head.p);
	free(w);
}

static const struct sr_optdesc sr_out_msgpack_keys[] = {
	{ "arch", "the syscall table for numbers: x86_64 (default), i386, aarch64" },
	{ NULL, NULL },
};

const struct sr_writer_class sr_out_msgpack = {
	.name = "msgpack",
	.ext = ".msgpack",
	.summary = "MessagePack: a header map, then one map per event",
	.open = mp_open,
	.write = mp_write,
	.finish = mp_finish,
	.close = mp_close,
	.opt_keys = sr_out_msgpack_keys,
};
