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
 * The walk over events and value trees (which fields are present, the
 * header's defaults, the string table) is core/wire_walk.c's, shared with
 * the msgpack writer; this file has the field numbers and the encoding.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json_emit.h"
#include "wire_walk.h"

struct pb {
	bool bad;                  /* out of memory while encoding */
	struct sr_buf m;           /* owned: the message being encoded */
	/* the string-table entries an event defines go first in its message,
	 * but are only known once the rest is encoded: the rest is encoded
	 * into m, then swapped here while the entries are encoded */
	struct sr_buf body;        /* owned */
};

/* Wire types */
enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2 };

/* Room for n more bytes; on failure the writes go nowhere (len reset). */
static inline bool room(struct pb *w, size_t n)
{
	if (w->m.cap - w->m.len >= n || sr_buf_grow(&w->m, n))
		return true;
	w->bad = true;
	w->m.len = 0;
	return false;
}

static inline void raw_varint(struct pb *w, uint64_t v)
{
	w->m.len += sr_varint_put(w->m.p + w->m.len, v);
}

static inline void put_varint(struct pb *w, uint32_t field, uint64_t v)
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

static inline void put_bytes(struct pb *w, uint32_t field, const void *s, size_t n)
{
	if (!room(w, 2 * SR_VARINT_MAX + n))
		return;
	raw_varint(w, (uint64_t)field << 3 | WT_LEN);
	raw_varint(w, n);
	if (n) /* s may be NULL then */
		memcpy(w->m.p + w->m.len, s, n);
	w->m.len += n;
}

/* Starts a nested message: its tag and a one-byte length slot. */
static inline size_t open_msg(struct pb *w, uint32_t field)
{
	if (!room(w, SR_VARINT_MAX + 1))
		return 0;
	raw_varint(w, (uint64_t)field << 3 | WT_LEN);
	w->m.p[w->m.len++] = 0;
	return w->m.len;
}

/* Fills the length slot of the message opened at `at`. */
static inline void close_msg(struct pb *w, size_t at)
{
	size_t n, k;
	char tmp[SR_VARINT_MAX];

	if (!at || at > w->m.len)
		return; /* an allocation failed on the way */
	n = w->m.len - at;
	if (n < 0x80) {
		w->m.p[at - 1] = (char)n;
		return;
	}
	k = sr_varint_put(tmp, n);
	if (!room(w, k))
		return;
	memmove(w->m.p + at - 1 + k, w->m.p + at, n);
	memcpy(w->m.p + at - 1, tmp, k);
	w->m.len += k - 1;
}

/* A string through the table when it qualifies, else inline. */
static inline void put_str(struct sr_wire_out *o, struct sr_str s, uint32_t ref_field,
			   uint32_t inline_field)
{
	uint32_t r = sr_wst_ref(&o->strs, s.ptr, s.len);

	if (r)
		put_varint(o->enc, ref_field, r);
	else
		put_bytes(o->enc, inline_field, s.ptr, s.len);
}

/* ------------------------------------------------------------------ */
/* Fields                                                              */

enum {
	P = 1,    /* explicit presence (a oneof or repeated): written even when 0 */
	ZZ = 2,   /* sint: zigzag */
};

/* Each field's number (and, for strings through the table, the number of
 * the reference), as in proto/sysrep.proto. */
static const struct {
	uint8_t tag, ref, how;
} field[SR_WF__COUNT] = {
	[SR_WF_MAGIC] = { 1, 0, P },       [SR_WF_SCHEMA] = { 2, 0, P },
	[SR_WF_SOURCE_FORMAT] = { 3, 0, P }, [SR_WF_SOURCE_NAME] = { 4, 0, 0 },
	[SR_WF_GENERATOR] = { 5, 0, P },   [SR_WF_ARCH] = { 6, 0, 0 },
	[SR_WF_H_PID_FORM] = { 7, 0, 0 },  [SR_WF_H_TIME_CLOCK] = { 8, 0, 0 },
	[SR_WF_H_TIME_DIGITS] = { 9, 0, 0 }, [SR_WF_H_REL_DIGITS] = { 10, 0, 0 },
	[SR_WF_H_REL_WIDTH] = { 11, 0, 0 }, [SR_WF_H_DUR_DIGITS] = { 12, 0, 0 },
	[SR_WF_H_DURATIONS] = { 13, 0, 0 }, [SR_WF_H_NUMBERS] = { 14, 0, 0 },
	[SR_WF_H_IPS] = { 15, 0, 0 },      [SR_WF_H_FDS] = { 16, 0, 0 },
	[SR_WF_H_RELATIVE] = { 17, 0, 0 }, [SR_WF_H_OPTION] = { 18, 0, P },
	[SR_WF_H_NUMBERS_FROM_ARCH] = { 19, 0, 0 },
	/* Event */
	[SR_WF_KIND] = { 2, 0, 0 },        [SR_WF_LINE] = { 3, 0, P },
	[SR_WF_LEAD] = { 4, 0, 0 },        [SR_WF_NAME] = { 17, 5, 0 },
	[SR_WF_ARG] = { 6, 0, 0 },         [SR_WF_RET] = { 7, 0, 0 },
	[SR_WF_RET_UNKNOWN] = { 8, 0, 0 }, [SR_WF_DURATION] = { 9, 0, 0 },
	[SR_WF_FLAGS] = { 10, 0, 0 },      [SR_WF_PAD] = { 11, 0, 0 },
	[SR_WF_SPLIT] = { 12, 0, 0 },      [SR_WF_ERR] = { 18, 13, 0 },
	[SR_WF_ERRMSG] = { 19, 14, 0 },    [SR_WF_START] = { 15, 0, 0 },
	[SR_WF_NR] = { 16, 0, P },         [SR_WF_NOTE] = { 20, 0, P },
	[SR_WF_UNAVAIL] = { 21, 0, 0 },    [SR_WF_CODE] = { 22, 0, ZZ },
	[SR_WF_TEXT] = { 23, 0, 0 },       [SR_WF_SUM] = { 24, 0, 0 },
	[SR_WF_ATT] = { 25, 0, 0 },        [SR_WF_KID] = { 1, 0, 0 },
	/* Leader */
	[SR_WF_PID] = { 1, 0, P | ZZ },    [SR_WF_PID_FORM] = { 2, 0, P },
	[SR_WF_TIME] = { 3, 0, 0 },        [SR_WF_REL] = { 4, 0, 0 },
	[SR_WF_COMM] = { 5, 0, 0 },        [SR_WF_SECONTEXT] = { 6, 0, 0 },
	[SR_WF_HAS_NR] = { 7, 0, 0 },      [SR_WF_NR_UNKNOWN] = { 8, 0, 0 },
	[SR_WF_NR_WIDTH] = { 9, 0, 0 },    [SR_WF_LEAD_NR] = { 10, 0, ZZ },
	[SR_WF_HAS_IP] = { 11, 0, 0 },     [SR_WF_IP_UNKNOWN] = { 12, 0, 0 },
	[SR_WF_IP_DIGITS] = { 13, 0, 0 },  [SR_WF_IP] = { 14, 0, 0 },
	[SR_WF_IP_SPACED] = { 15, 0, 0 },
	/* Summary */
	[SR_WF_SUM_ROW] = { 1, 0, 0 },     [SR_WF_SUM_COLS] = { 2, 0, 0 },
	[SR_WF_SUM_WIDTHS] = { 3, 0, 0 },  [SR_WF_SUM_HAS] = { 4, 0, 0 },
	[SR_WF_SUM_PCT] = { 5, 0, 0 },     [SR_WF_SUM_SECONDS] = { 6, 0, 0 },
	[SR_WF_SUM_MIN] = { 7, 0, 0 },     [SR_WF_SUM_MAX] = { 8, 0, 0 },
	[SR_WF_SUM_USECS] = { 9, 0, 0 },   [SR_WF_SUM_CALLS] = { 10, 0, 0 },
	[SR_WF_SUM_ERRORS] = { 11, 0, 0 }, [SR_WF_SUM_HAS_ERRORS] = { 12, 0, 0 },
	/* Attach */
	[SR_WF_ATT_KIND] = { 1, 0, 0 },    [SR_WF_ATT_ADDR] = { 2, 0, 0 },
	[SR_WF_ATT_OFFSET] = { 3, 0, 0 },  [SR_WF_ATT_MODULE] = { 4, 8, 0 },
	[SR_WF_ATT_SYMBOL] = { 5, 0, 0 },  [SR_WF_ATT_BYTES] = { 6, 0, 0 },
	[SR_WF_ATT_TEXT] = { 7, 0, 0 },
};

static void pb_u(struct sr_wire_out *o, enum sr_wf f, uint64_t v)
{
	if (!field[f].tag || (!v && !(field[f].how & P)))
		return; /* proto3: a zero scalar outside a oneof is not written */
	/* the schema's EventKind counts from 0, the model's from 1 */
	put_varint(o->enc, field[f].tag, f == SR_WF_KIND ? v - 1 : v);
}

static void pb_i(struct sr_wire_out *o, enum sr_wf f, int64_t v)
{
	/* int32 fields without zigzag are sign-extended to 64 bits */
	uint64_t u = field[f].how & ZZ ? zigzag(v) : (uint64_t)v;

	if (field[f].tag && (u || (field[f].how & P)))
		put_varint(o->enc, field[f].tag, u);
}

static void pb_b(struct sr_wire_out *o, enum sr_wf f)
{
	put_varint(o->enc, field[f].tag, 1);
}

static void pb_d(struct sr_wire_out *o, enum sr_wf f, double d)
{
	struct pb *w = o->enc;
	uint64_t u;
	int i;

	memcpy(&u, &d, sizeof(u));
	if (!room(w, SR_VARINT_MAX + 8))
		return;
	raw_varint(w, (uint64_t)field[f].tag << 3 | WT_I64);
	for (i = 0; i < 8; i++)
		w->m.p[w->m.len++] = (char)(u >> (8 * i));
}

static void pb_bytes(struct sr_wire_out *o, enum sr_wf f, struct sr_str s)
{
	if (field[f].tag && (s.len || (field[f].how & P)))
		put_bytes(o->enc, field[f].tag, s.ptr, s.len);
}

static void pb_str(struct sr_wire_out *o, enum sr_wf f, struct sr_str s)
{
	put_str(o, s, field[f].ref, field[f].tag);
}

static void pb_atom(struct sr_wire_out *o, enum sr_wf f, const struct sr_atom *a)
{
	uint32_t r = sr_wst_atom(&o->strs, a);

	if (r)
		put_varint(o->enc, field[f].ref, r);
	else
		put_bytes(o->enc, field[f].tag, a->str, a->len);
}

static const uint32_t pow10[10] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
				    100000000, 1000000000 };

/* Time: 1 sec, 2 nsec, 3 clock, 4 digits, 5 width, 6 frac */
static void pb_time(struct sr_wire_out *o, enum sr_wf f, const struct sr_time *t,
		    enum sr_wire_tslot slot)
{
	struct pb *w = o->enc;
	struct sr_time d = sr_wire_tdefault(&o->hdr, slot);
	size_t at = open_msg(w, field[f].tag);
	uint64_t v;

	if ((v = zigzag(t->sec)) != 0)
		put_varint(w, 1, v);
	if (t->digits <= 9 && t->nsec % pow10[9 - t->digits] == 0) {
		if ((v = t->nsec / pow10[9 - t->digits]) != 0)
			put_varint(w, 6, v);
	} else if (t->nsec) {
		put_varint(w, 2, t->nsec);
	}
	if (t->clock != d.clock)
		put_varint(w, 3, t->clock);
	if (t->digits != d.digits)
		put_varint(w, 4, t->digits);
	if (t->width != d.width)
		put_varint(w, 5, t->width);
	close_msg(w, at);
}

/* packed repeated uint32 */
static void pb_u8s(struct sr_wire_out *o, enum sr_wf f, const uint8_t *v, unsigned int n)
{
	struct pb *w = o->enc;
	unsigned int j;
	size_t at;

	if (!room(w, 2 * SR_VARINT_MAX + n * 2))
		return;
	raw_varint(w, (uint64_t)field[f].tag << 3 | WT_LEN);
	raw_varint(w, 0); /* patched below: n values below 256 take n..2n bytes */
	at = w->m.len;
	for (j = 0; j < n; j++)
		raw_varint(w, v[j]);
	w->m.p[at - 1] = (char)(w->m.len - at);
}

/* Repeated fields need no list header. */
static void pb_list(struct sr_wire_out *o, enum sr_wf f, uint32_t n)
{
	(void)o;
	(void)f;
	(void)n;
}

static void pb_open_group(struct sr_wire_out *o, enum sr_wf f, size_t mark[2])
{
	mark[0] = field[f].tag ? open_msg(o->enc, field[f].tag) : 0;
}

static void pb_close_group(struct sr_wire_out *o, enum sr_wf f, size_t mark[2])
{
	struct pb *w = o->enc;

	/* a Leader with every field at its default is left out */
	if (f == SR_WF_LEAD && mark[0] && w->m.len == mark[0])
		w->m.len = mark[0] - 2; /* its tag and the empty slot */
	else
		close_msg(w, mark[0]);
}

/* Value.v members of the composite kinds (a Values message each) */
static const uint8_t composite_field[] = {
	[SR_V_FLAGS] = 8, [SR_V_STRUCT] = 9,   [SR_V_ARRAY] = 10,   [SR_V_SET] = 18,
	[SR_V_FD] = 11,   [SR_V_CALL] = 19,    [SR_V_CHANGED] = 20, [SR_V_COMMENT] = 15,
	[SR_V_EXPR] = 22, [SR_V_INDEX] = 23,
};

/*
 * Value: 1 dec, 2 hex, 3 oct, 4 str, 5 str_ref, 6 null, 7 ident_ref,
 * 8..11, 15, 18..20, 22, 23 composites, 12 name_ref, 13 text_ref, 14 bits,
 * 16 udec, 17 ident, 21 ellipsis, 24 text, 25 name, 26 flags_ref.  A
 * composite's kids go into its Values message (mark[1]).
 */
static int pb_value_open(struct sr_wire_out *o, enum sr_wf f, const struct sr_value *v,
			 size_t mark[2])
{
	struct pb *w = o->enc;
	uint32_t r;

	mark[0] = open_msg(w, field[f].tag);
	if (v->name.len)
		put_str(o, v->name, 12, 25);
	if (v->flags)
		put_varint(w, 14, v->flags);
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
		return SR_WIRE_LEAF;
	case SR_V_STR:
		put_str(o, v->text, 5, 4);
		return SR_WIRE_LEAF;
	case SR_V_IDENT:
		put_str(o, v->text, 7, 17);
		return SR_WIRE_LEAF;
	case SR_V_NULL:
		put_varint(w, 6, 1);
		return SR_WIRE_LEAF;
	case SR_V_ELLIPSIS:
		put_varint(w, 21, 1);
		return SR_WIRE_LEAF;
	default:
		break;
	}
	if (v->kind == SR_V_FLAGS && !v->text.len && (r = sr_wire_flags_ref(&o->strs, v)) != 0) {
		put_varint(w, 26, r);
		return SR_WIRE_LEAF;
	}
	if (v->text.len)
		put_str(o, v->text, 13, 24);
	mark[1] = open_msg(w, composite_field[v->kind]);
	return SR_WIRE_KIDS;
}

static void pb_value_close(struct sr_wire_out *o, enum sr_wf f, const struct sr_value *v,
			   size_t mark[2])
{
	(void)f;
	(void)v;
	close_msg(o->enc, mark[1]);
	close_msg(o->enc, mark[0]);
}

/* ------------------------------------------------------------------ */
/* The semantic record                                                 */

/* A string field (UTF-8 by the schema): s as is when valid, else with
 * each invalid byte as U+FFFD, as JSON Lines writes it. */
static void put_utf8(struct pb *w, uint32_t field, struct sr_str s)
{
	char *e;
	size_t at, i;

	/* keys are short and ASCII: a byte loop beats the general check */
	for (i = 0; i < s.len && !(s.ptr[i] & 0x80); i++)
		;
	if (i == s.len || sr_json_utf8_valid(s.ptr, s.len)) {
		put_bytes(w, field, s.ptr, s.len);
		return;
	}
	if (!room(w, 2 * SR_VARINT_MAX + 3 * s.len))
		return;
	at = open_msg(w, field); /* a length-delimited field, sized like a message */
	e = sr_json_utf8_fix(w->m.p + w->m.len, s.ptr, s.len);
	w->m.len = (size_t)(e - w->m.p);
	close_msg(w, at);
}

/*
 * SValue: 1 key, 2 null, 3 boolean, 4 integer, 5 uinteger, 6 text, 7 raw,
 * 8 array, 9 object (SValues: 1 v), 10 truncated, 11 text_ref.  Keys
 * inline, so that protoc --decode shows the names; string values through
 * the table, where the spelled tree has mostly put them already (a path or
 * a buffer then costs a reference, not its bytes again): see
 * docs/pb-msgpack.md for the sizes.
 */
static void put_sval(struct sr_wire_out *o, uint32_t field, const struct sr_sval *s)
{
	struct pb *w = o->enc;
	size_t at = open_msg(w, field), kids;
	uint32_t i, r;

	if (s->key.len)
		put_utf8(w, 1, s->key);
	switch (s->kind) {
	case SR_S_BOOL:
		put_varint(w, 3, s->num.b);
		break;
	case SR_S_INT:
		put_varint(w, 4, zigzag(s->num.i));
		break;
	case SR_S_UINT:
		put_varint(w, 5, s->num.u);
		break;
	case SR_S_STR:
		if ((r = sr_wst_ref(&o->strs, s->str.ptr, s->str.len)) != 0)
			put_varint(w, 11, r);
		else if (sr_json_utf8_valid(s->str.ptr, s->str.len))
			put_bytes(w, 6, s->str.ptr, s->str.len);
		else
			put_bytes(w, 7, s->str.ptr, s->str.len);
		break;
	case SR_S_ARRAY:
	case SR_S_OBJECT:
		kids = open_msg(w, s->kind == SR_S_ARRAY ? 8 : 9);
		for (i = 0; i < s->n; i++)
			put_sval(o, 1, &s->kids[i]);
		close_msg(w, kids);
		break;
	default:
		put_varint(w, 2, 1);
	}
	if (s->flags & SR_SF_TRUNC)
		put_varint(w, 10, 1);
	close_msg(w, at);
}

/* Event: 26 sem_args, 27 sem_return, 28 sem_info. */
static void pb_sem(struct sr_wire_out *o, const struct sr_event *ev, const struct sr_sem_event *se)
{
	static const struct sr_sval unknown = { .kind = SR_S_NULL };
	uint32_t i;

	if (se->args)
		for (i = 0; i < se->args->n; i++)
			put_sval(o, 26, &se->args->kids[i]);
	/* "= ?" has a return, and no value: null, as JSON Lines writes it */
	if (ev->kind == SR_E_SYSCALL && ev->has_ret)
		put_sval(o, 27, se->ret ? se->ret : &unknown);
	if (se->info)
		put_sval(o, 28, se->info);
}

/* ------------------------------------------------------------------ */
/* Messages                                                            */

static void pb_begin(struct sr_wire_out *o)
{
	struct pb *w = o->enc;

	w->m.len = 0;
}

/* The message's new table entries (field 1), then its body, behind its
 * varint length. */
static enum sr_status pb_frame(struct sr_wire_out *o)
{
	struct pb *w = o->enc;
	uint32_t first, n, i;
	size_t body_len, k;
	struct sr_buf t;
	char *d;

	if (w->bad)
		return SR_ERR_NOMEM;
	n = sr_wst_take(&o->strs, &first);
	body_len = w->m.len;
	if (n) {
		/* swap: the body moves aside while the entries are encoded */
		t = w->body;
		w->body = w->m;
		w->m = t;
		w->m.len = 0;
		for (i = 0; i < n; i++) {
			const struct sr_atom *a = sr_intern_at(o->strs.t, first + i);

			put_bytes(w, 1, a->str, a->len);
		}
		if (w->bad)
			return SR_ERR_NOMEM;
	}
	d = sr_sink_reserve(o->out, w->m.len + (n ? body_len : 0) + SR_VARINT_MAX);
	k = sr_varint_put(d, w->m.len + (n ? body_len : 0));
	memcpy(d + k, w->m.p, w->m.len);
	if (n)
		memcpy(d + k + w->m.len, w->body.p, body_len);
	sr_sink_commit(o->out, k + w->m.len + (n ? body_len : 0));
	return SR_OK;
}

static void *pb_new(struct sr_wire_out *o)
{
	(void)o;
	return calloc(1, sizeof(struct pb));
}

static void pb_free(void *enc)
{
	struct pb *w = enc;

	sr_buf_free(&w->m);
	sr_buf_free(&w->body);
	free(w);
}

static const struct sr_wire_emit pb_emit = {
	.name = "pb", .magic = "sysrep.pb",
	.open = pb_new, .close = pb_free, .begin = pb_begin, .frame = pb_frame,
	.u = pb_u, .i = pb_i, .b = pb_b, .d = pb_d, .bytes = pb_bytes, .str = pb_str,
	.atom = pb_atom, .time = pb_time, .u8s = pb_u8s, .list = pb_list,
	.open_group = pb_open_group, .close_group = pb_close_group,
	.value_open = pb_value_open, .value_close = pb_value_close, .sem = pb_sem,
};

SR_WIRE_WRITER_KEYS(pb, ".pb",
		    "Protocol Buffers (proto/sysrep.proto), varint-delimited messages",
		    pb_emit, sr_wire_writer_sem_keys);
