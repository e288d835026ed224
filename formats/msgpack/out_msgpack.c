/*
 * out_msgpack.c - MessagePack output of the spelled event model, -O
 * record=spelling (docs/pb-msgpack.md): a header map, then one map per
 * event, packed with msgpack-c.  The default, semantic form is
 * out_msgpack_sem.c's.
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
 * The walk over events and value trees is core/wire_walk.c's, shared with
 * the pb writer; this file has the keys and the encoding.
 */
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>

#include "buf.h"
#include "json_emit.h"
#include "msgpack_internal.h"
#include "wire_walk.h"

struct mp {
	struct sr_buf body;    /* owned: the message's entries */
	struct sr_buf head;    /* owned: its map header and table entries */
	bool bad;              /* out of memory: later writes are dropped */
	msgpack_packer pk;     /* packs into *cur */
	struct sr_buf *cur;    /* borrowed: body or head */
	unsigned int n;        /* entries of the map being written */
};

/* Room for n more bytes in *cur. */
static bool room(struct mp *w, size_t n)
{
	if (w->cur->cap - w->cur->len >= n)
		return true;
	if (!w->bad && sr_buf_grow(w->cur, n))
		return true;
	w->bad = true;
	return false;
}

static int pack_cb(void *data, const char *buf, size_t len)
{
	struct mp *w = data;
	struct sr_buf *b = w->cur;

	if (!room(w, len))
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

/* A key (fixstr), counted in the map being written. */
static inline void key(struct mp *w, const char *k, size_t n)
{
	struct sr_buf *b = w->cur;

	w->n++;
	if (!room(w, n + 1))
		return;
	b->p[b->len++] = (char)(0xa0 | n);
	memcpy(b->p + b->len, k, n);
	b->len += n;
}
#define KEY(w, lit) key((w), (lit), sizeof(lit) - 1)

/* Maps whose size is known at the end: a fixmap byte, widened to map16
 * when more than 15 entries came.  mark[0] is where it starts, mark[1]
 * the count of the map around it. */
static inline void open_map(struct mp *w, size_t mark[2])
{
	struct sr_buf *b = w->cur;

	mark[1] = w->n;
	w->n = 0;
	if (!room(w, 1)) {
		mark[0] = SIZE_MAX;
		return;
	}
	b->p[b->len++] = (char)0x80;
	mark[0] = b->len - 1;
}

static void close_map(struct mp *w, size_t mark[2])
{
	struct sr_buf *b = w->cur;
	size_t at = mark[0];
	unsigned int n = w->n;

	w->n = (unsigned int)mark[1];
	if (at >= b->len)
		return;
	if (n <= 15) {
		b->p[at] = (char)(0x80 | n);
		return;
	}
	if (!room(w, 2))
		return;
	memmove(b->p + at + 3, b->p + at + 1, b->len - at - 1);
	b->p[at] = (char)0xde;
	b->p[at + 1] = (char)(n >> 8);
	b->p[at + 2] = (char)n;
	b->len += 2;
}

/* Bytes: str when they are UTF-8, else bin. */
static void put_bytes(struct mp *w, struct sr_str s)
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
static void put_sref(struct sr_wire_out *o, struct sr_str s)
{
	struct mp *w = o->enc;
	uint32_t r = sr_wst_ref(&o->strs, s.ptr, s.len);

	if (r)
		msgpack_pack_uint32(&w->pk, r);
	else
		put_bytes(w, s);
}

/* ------------------------------------------------------------------ */
/* Fields                                                              */

/* Each field's key: "" for the items of a list (no key), NULL for a field
 * written elsewhere (the pid form goes with the leader's rarer fields) or
 * a group that is no map here (the leader). */
static const char *const keys[SR_WF__COUNT] = {
	[SR_WF_MAGIC] = "sysrep", [SR_WF_SCHEMA] = "schema_version",
	[SR_WF_SOURCE_FORMAT] = "source_format", [SR_WF_SOURCE_NAME] = "source_name",
	[SR_WF_GENERATOR] = "generator", [SR_WF_ARCH] = "arch",
	[SR_WF_H_PID_FORM] = "pid_form", [SR_WF_H_TIME_CLOCK] = "time_clock",
	[SR_WF_H_TIME_DIGITS] = "time_digits", [SR_WF_H_REL_DIGITS] = "rel_digits",
	[SR_WF_H_REL_WIDTH] = "rel_width", [SR_WF_H_DUR_DIGITS] = "duration_digits",
	[SR_WF_H_DURATIONS] = "durations", [SR_WF_H_NUMBERS] = "syscall_numbers",
	[SR_WF_H_IPS] = "instruction_pointers", [SR_WF_H_FDS] = "decode_fds",
	[SR_WF_H_RELATIVE] = "relative", [SR_WF_H_OPTIONS] = "options", [SR_WF_H_OPTION] = "",
	[SR_WF_H_NUMBERS_FROM_ARCH] = "numbers_from_arch",
	/* the event */
	[SR_WF_KIND] = "k", [SR_WF_LINE] = "l", [SR_WF_PID] = "p", [SR_WF_TIME] = "t",
	[SR_WF_REL] = "r", [SR_WF_LEAD_REST] = "L", [SR_WF_NAME] = "s", [SR_WF_ARGS] = "a",
	[SR_WF_ARG] = "", [SR_WF_RET] = "=", [SR_WF_RET_UNKNOWN] = "?", [SR_WF_DURATION] = "d",
	[SR_WF_FLAGS] = "f", [SR_WF_PAD] = "P", [SR_WF_SPLIT] = "x", [SR_WF_ERR] = "e",
	[SR_WF_ERRMSG] = "m", [SR_WF_START] = "S", [SR_WF_NR] = "#", [SR_WF_NOTES] = "N",
	[SR_WF_NOTE] = "", [SR_WF_UNAVAIL] = "u", [SR_WF_CODE] = "c", [SR_WF_TEXT] = "T",
	[SR_WF_SUM] = "M", [SR_WF_ATTS] = "A", [SR_WF_ATT] = "", [SR_WF_KID] = "",
	/* "L" */
	[SR_WF_PID_FORM_REST] = "f", [SR_WF_COMM] = "c", [SR_WF_SECONTEXT] = "x",
	[SR_WF_HAS_NR] = "hn", [SR_WF_NR_UNKNOWN] = "nu", [SR_WF_NR_WIDTH] = "nw",
	[SR_WF_LEAD_NR] = "n", [SR_WF_HAS_IP] = "hi", [SR_WF_IP_UNKNOWN] = "iu",
	[SR_WF_IP_DIGITS] = "id", [SR_WF_IP] = "i", [SR_WF_IP_SPACED] = "is",
	/* "M" */
	[SR_WF_SUM_ROW] = "r", [SR_WF_SUM_COLS] = "c", [SR_WF_SUM_WIDTHS] = "w",
	[SR_WF_SUM_HAS] = "h", [SR_WF_SUM_PCT] = "p", [SR_WF_SUM_SECONDS] = "s",
	[SR_WF_SUM_MIN] = "mn", [SR_WF_SUM_MAX] = "mx", [SR_WF_SUM_USECS] = "u",
	[SR_WF_SUM_CALLS] = "n", [SR_WF_SUM_ERRORS] = "e", [SR_WF_SUM_HAS_ERRORS] = "he",
	/* "A" */
	[SR_WF_ATT_KIND] = "k", [SR_WF_ATT_ADDR] = "a", [SR_WF_ATT_OFFSET] = "o",
	[SR_WF_ATT_MODULE] = "m", [SR_WF_ATT_SYMBOL] = "s", [SR_WF_ATT_BYTES] = "b",
	[SR_WF_ATT_TEXT] = "t",
};

/* Written even when zero or empty: the header whole, a summary's row and
 * columns, an attachment's kind and text. */
static const bool always[SR_WF__COUNT] = {
	[SR_WF_MAGIC] = 1, [SR_WF_SCHEMA] = 1, [SR_WF_SOURCE_FORMAT] = 1,
	[SR_WF_SOURCE_NAME] = 1, [SR_WF_GENERATOR] = 1, [SR_WF_ARCH] = 1,
	[SR_WF_H_PID_FORM] = 1, [SR_WF_H_TIME_CLOCK] = 1, [SR_WF_H_TIME_DIGITS] = 1,
	[SR_WF_H_REL_DIGITS] = 1, [SR_WF_H_REL_WIDTH] = 1, [SR_WF_H_DUR_DIGITS] = 1,
	[SR_WF_H_DURATIONS] = 1, [SR_WF_H_NUMBERS] = 1, [SR_WF_H_IPS] = 1, [SR_WF_H_FDS] = 1,
	[SR_WF_H_RELATIVE] = 1, [SR_WF_H_OPTIONS] = 1, [SR_WF_H_NUMBERS_FROM_ARCH] = 1,
	[SR_WF_SUM_ROW] = 1, [SR_WF_SUM_COLS] = 1, [SR_WF_SUM_WIDTHS] = 1,
	[SR_WF_ATT_KIND] = 1, [SR_WF_ATT_TEXT] = 1,
};

/* The field's key, when it has one here; false: leave the field out. */
static inline bool field(struct sr_wire_out *o, enum sr_wf f)
{
	const char *k = keys[f];

	if (!k)
		return false;
	if (*k)
		key(o->enc, k, strlen(k));
	return true;
}

static void mp_u(struct sr_wire_out *o, enum sr_wf f, uint64_t v)
{
	if (field(o, f))
		msgpack_pack_uint64(&((struct mp *)o->enc)->pk, v);
}

static void mp_i(struct sr_wire_out *o, enum sr_wf f, int64_t v)
{
	if (field(o, f))
		msgpack_pack_int64(&((struct mp *)o->enc)->pk, v);
}

static void mp_b(struct sr_wire_out *o, enum sr_wf f)
{
	if (field(o, f))
		msgpack_pack_true(&((struct mp *)o->enc)->pk);
}

static void mp_d(struct sr_wire_out *o, enum sr_wf f, double v)
{
	/* -0.0 is left out, as this format always has (pb keeps it) */
	if (v != 0 && field(o, f))
		msgpack_pack_double(&((struct mp *)o->enc)->pk, v);
}

static void mp_bytes(struct sr_wire_out *o, enum sr_wf f, struct sr_str s)
{
	struct mp *w = o->enc;

	if (!field(o, f))
		return;
	if (f == SR_WF_ATT_BYTES) {
		/* a dump's bytes: always bin */
		msgpack_pack_bin(&w->pk, s.len);
		msgpack_pack_bin_body(&w->pk, s.ptr, s.len);
	} else {
		put_bytes(w, s);
	}
}

static void mp_str(struct sr_wire_out *o, enum sr_wf f, struct sr_str s)
{
	if (field(o, f))
		put_sref(o, s);
}

static void mp_atom(struct sr_wire_out *o, enum sr_wf f, const struct sr_atom *a)
{
	struct mp *w = o->enc;
	uint32_t r;

	if (!field(o, f))
		return;
	r = sr_wst_atom(&o->strs, a);
	if (r)
		msgpack_pack_uint32(&w->pk, r);
	else
		put_bytes(w, (struct sr_str){ a->str, a->len });
}

static const uint32_t pow10[10] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
				    100000000, 1000000000 };

/* [sec, frac] with the slot's defaults, else {"s","n","c","d","w"} */
static void mp_time(struct sr_wire_out *o, enum sr_wf f, const struct sr_time *t,
		    enum sr_wire_tslot slot)
{
	struct mp *w = o->enc;
	struct sr_time d = sr_wire_tdefault(&o->hdr, slot);
	size_t mark[2];

	if (!field(o, f))
		return;
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
	open_map(w, mark);
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
	close_map(w, mark);
}

static void mp_u8s(struct sr_wire_out *o, enum sr_wf f, const uint8_t *v, unsigned int n)
{
	struct mp *w = o->enc;
	unsigned int j;

	if (!field(o, f))
		return;
	msgpack_pack_array(&w->pk, n);
	for (j = 0; j < n; j++)
		msgpack_pack_uint8(&w->pk, v[j]);
}

static void mp_list(struct sr_wire_out *o, enum sr_wf f, uint32_t n)
{
	if (field(o, f))
		msgpack_pack_array(&((struct mp *)o->enc)->pk, n);
}

static void mp_open_group(struct sr_wire_out *o, enum sr_wf f, size_t mark[2])
{
	mark[0] = SIZE_MAX;
	if (field(o, f))
		open_map(o->enc, mark);
}

static void mp_close_group(struct sr_wire_out *o, enum sr_wf f, size_t mark[2])
{
	struct mp *w = o->enc;

	if (!keys[f])
		return;
	/* "L" with none of the leader's rarer fields is left out */
	if (f == SR_WF_LEAD_REST && !w->n && mark[0] != SIZE_MAX && mark[0] >= 2 && !w->bad) {
		w->cur->len = mark[0] - 2; /* the key "L" and the map byte */
		w->n = (unsigned int)mark[1] - 1;
		return;
	}
	close_map(w, mark);
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

/* The key that gives a composite map its kind and holds its kids. */
static const char kind_key[SR_V_INDEX + 1] = {
	[SR_V_STRUCT] = '{', [SR_V_ARRAY] = '[',   [SR_V_SET] = '~',     [SR_V_FD] = '@',
	[SR_V_CALL] = '(',   [SR_V_CHANGED] = '>', [SR_V_COMMENT] = '/', [SR_V_EXPR] = '*',
	[SR_V_INDEX] = ']',
};

/* The forms of a value: msgpack's own type, or a map */
enum form { F_INT, F_UINT, F_STR, F_STR_REF, F_NIL, F_ARRAY, F_MAP };

static enum form form_of(const struct sr_value *v)
{
	bool plain = !v->name.len && !v->flags;

	switch (v->kind) {
	case SR_V_INT:
		if (v->base != SR_BASE_DEC || v->name.len || !sr_int_canonical(v))
			return F_MAP;
		if (!v->flags)
			return F_INT;
		if (v->flags == SR_VF_UNSIGNED && v->num.u > INT64_MAX)
			return F_UINT;
		return F_MAP;
	case SR_V_STR:
		return plain ? F_STR : F_MAP;
	case SR_V_NULL:
		return plain ? F_NIL : F_MAP;
	case SR_V_ARRAY:
		return plain && !v->text.len ? F_ARRAY : F_MAP;
	default:
		return F_MAP;
	}
}

/* A map's kind entry and what goes in it; SR_WIRE_KIDS when the kids
 * follow. */
static int value_map(struct sr_wire_out *o, const struct sr_value *v)
{
	struct mp *w = o->enc;
	uint32_t r;

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
		}
		return SR_WIRE_LEAF;
	case SR_V_STR:
		KEY(w, "s");
		put_sref(o, v->text);
		return SR_WIRE_LEAF;
	case SR_V_IDENT:
		KEY(w, "w");
		put_sref(o, v->text);
		return SR_WIRE_LEAF;
	case SR_V_FLAGS:
		KEY(w, "|");
		if (!v->text.len && (r = sr_wire_flags_ref(&o->strs, v)) != 0) {
			msgpack_pack_uint32(&w->pk, r);
			return SR_WIRE_LEAF;
		}
		msgpack_pack_array(&w->pk, v->nkids);
		return SR_WIRE_KIDS;
	case SR_V_FD:
		if (v->nkids == 1) {
			/* [fd, annotation] */
			KEY(w, "@");
			msgpack_pack_array(&w->pk, 2);
			return SR_WIRE_KIDS;
		}
		break;
	default:
		if (kind_key[v->kind]) {
			key(w, &kind_key[v->kind], 1);
			msgpack_pack_array(&w->pk, v->nkids);
			return SR_WIRE_KIDS;
		}
		break;
	}
	/* the general form: NULL or ELLIPSIS with a name or flags, an FD
	 * without exactly one kid */
	KEY(w, "k");
	msgpack_pack_uint8(&w->pk, v->kind);
	if (v->nkids) {
		KEY(w, "c");
		msgpack_pack_array(&w->pk, v->nkids);
	}
	return SR_WIRE_KIDS;
}

static int mp_value_open(struct sr_wire_out *o, enum sr_wf f, const struct sr_value *v,
			 size_t mark[2])
{
	struct mp *w = o->enc;
	uint32_t r;

	field(o, f);
	switch (form_of(v)) {
	case F_INT:
		msgpack_pack_int64(&w->pk, v->num.i);
		return SR_WIRE_LEAF;
	case F_UINT:
		msgpack_pack_uint64(&w->pk, v->num.u);
		return SR_WIRE_LEAF;
	case F_STR:
		r = sr_wst_ref(&o->strs, v->text.ptr, v->text.len);
		if (!r) {
			put_bytes(w, v->text);
			return SR_WIRE_LEAF;
		}
		/* {"s": ref} */
		msgpack_pack_map(&w->pk, 1);
		msgpack_pack_str(&w->pk, 1);
		msgpack_pack_str_body(&w->pk, "s", 1);
		msgpack_pack_uint32(&w->pk, r);
		return SR_WIRE_LEAF;
	case F_NIL:
		msgpack_pack_nil(&w->pk);
		return SR_WIRE_LEAF;
	case F_ARRAY:
		msgpack_pack_array(&w->pk, v->nkids);
		return SR_WIRE_KIDS;
	default:
		break;
	}
	open_map(w, mark);
	if (v->name.len) {
		KEY(w, "n");
		put_sref(o, v->name);
	}
	/* hex and octal INTs are unsigned unless "f" says otherwise */
	if (v->kind == SR_V_INT && v->base != SR_BASE_DEC ? v->flags != SR_VF_UNSIGNED
							  : v->flags != 0) {
		KEY(w, "f");
		msgpack_pack_uint16(&w->pk, v->flags);
	}
	return value_map(o, v);
}

/* After the kids: the text of a composite, and the map's size. */
static void mp_value_close(struct sr_wire_out *o, enum sr_wf f, const struct sr_value *v,
			   size_t mark[2])
{
	struct mp *w = o->enc;

	(void)f;
	if (form_of(v) != F_MAP)
		return;
	if (v->kind == SR_V_FD && v->nkids == 1)
		put_sref(o, v->text); /* the annotation */
	else if (v->kind != SR_V_INT && v->kind != SR_V_STR && v->kind != SR_V_IDENT &&
		 v->text.len) {
		KEY(w, "t");
		put_sref(o, v->text);
	}
	close_map(w, mark);
}

/* ------------------------------------------------------------------ */
/* Messages                                                            */

static void mp_begin(struct sr_wire_out *o)
{
	struct mp *w = o->enc;

	w->body.len = 0;
	w->cur = &w->body;
	w->n = 0;
}

/* The map's header and the entries it adds to the table ("+"), then its
 * entries. */
static enum sr_status mp_frame(struct sr_wire_out *o)
{
	struct mp *w = o->enc;
	struct sr_buf *h = &w->head;
	uint32_t first, nd, i;
	char *d;

	nd = sr_wst_take(&o->strs, &first);
	h->len = 0;
	w->cur = h;
	msgpack_pack_map(&w->pk, w->n + (nd ? 1 : 0));
	if (nd) {
		KEY(w, "+");
		msgpack_pack_array(&w->pk, nd);
		for (i = 0; i < nd; i++) {
			const struct sr_atom *a = sr_intern_at(o->strs.t, first + i);

			put_bytes(w, (struct sr_str){ a->str, a->len });
		}
	}
	if (w->bad)
		return SR_ERR_NOMEM;
	d = sr_sink_reserve(o->out, h->len + w->body.len);
	memcpy(d, h->p, h->len);
	memcpy(d + h->len, w->body.p, w->body.len);
	sr_sink_commit(o->out, h->len + w->body.len);
	return SR_OK;
}

static void *mp_new(struct sr_wire_out *o)
{
	struct mp *w = calloc(1, sizeof(*w));

	(void)o;
	if (w) {
		msgpack_packer_init(&w->pk, w, pack_cb);
		w->cur = &w->body;
	}
	return w;
}

static void mp_free(void *enc)
{
	struct mp *w = enc;

	sr_buf_free(&w->body);
	sr_buf_free(&w->head);
	free(w);
}

static const struct sr_wire_emit mp_emit = {
	.name = "msgpack", .magic = "msgpack", .always = always,
	.open = mp_new, .close = mp_free, .begin = mp_begin, .frame = mp_frame,
	.u = mp_u, .i = mp_i, .b = mp_b, .d = mp_d, .bytes = mp_bytes, .str = mp_str,
	.atom = mp_atom, .time = mp_time, .u8s = mp_u8s, .list = mp_list,
	.open_group = mp_open_group, .close_group = mp_close_group,
	.value_open = mp_value_open, .value_close = mp_value_close,
};

/* -O record=spelling (out_msgpack_sem.c hands the run to it) */
static enum sr_status spelled_open(struct sr_writer **wp, struct sr_sink *out,
				   const struct sr_opts *opts, struct sr_error *err)
{
	return sr_wire_writer_open(wp, out, opts, &mp_emit, err);
}

const struct sr_writer_class sr_out_msgpack_spelled = {
	.name = "msgpack", .ext = ".msgpack",
	.summary = "MessagePack, the spelled event model: a header map, then one map per event",
	.open = spelled_open, .write = sr_wire_writer_write, .finish = sr_wire_writer_finish,
	.close = sr_wire_writer_close, .opt_keys = sr_wire_writer_keys,
};
