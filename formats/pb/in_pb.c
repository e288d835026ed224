/*
 * in_pb.c - reads the Protocol Buffers stream of out_pb.c back into events.
 *
 * Each varint-delimited message is unpacked by protobuf-c with an allocator
 * that takes memory from the batch's arena (freeing is a no-op: the batch
 * reset frees it all), so the unpacked bytes fields can be used as the
 * events' strings without another copy.  protobuf-c recurses once per
 * nesting level and has no limit of its own, so every message is first
 * scanned for its depth: a hostile stream cannot overflow the stack.
 */
#include <stdio.h>
#include <string.h>

#include <protobuf-c/protobuf-c.h>

#include "wire_walk.h"
#include "sysrep.pb-c.h"

/* A message longer than this is taken for corruption. */
#define MAX_MESSAGE (256u << 20)
/* A batch ends after this many events or this much arena. */
#define BATCH_EVENTS 4096
#define BATCH_BYTES (16u << 20)
/* Nesting of messages: Event, Value, Values, Value, ... */
#define MAX_NEST (2 * SR_WIRE_MAX_DEPTH + 8)

static const char magic[] = "sysrep.pb";

static const uint32_t pow10[10] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
				    100000000, 1000000000 };
/* The reader is core/wire_build.c's struct sr_wire_in. */

static void *arena_alloc(void *data, size_t n)
{
	return sr_arena_alloc(data, n);
}

static void arena_free(void *data, void *p)
{
	(void)data;
	(void)p;
}

static enum sr_status bad(struct sr_wire_in *r, struct sr_error *err, uint64_t at,
			  const char *fmt, const char *what)
{
	char msg[200];

	snprintf(msg, sizeof(msg), fmt, what);
	sr_error_set(err, SR_ERR_PARSE, "cannot parse pb input: byte=%llu: %s",
		     (unsigned long long)at, msg);
	sr_error_file(err, sr_source_name(r->in));
	return SR_ERR_PARSE;
}

/* The next framed message: *p, *n, *at (its offset); SR_END at a clean end. */
static enum sr_status next_msg(struct sr_wire_in *r, const uint8_t **p, size_t *n, uint64_t *at,
			       const char *what, struct sr_error *err)
{
	uint64_t len;
	int k;
	enum sr_status st = sr_wire_fill(r, SR_VARINT_MAX, err);

	if (st < 0)
		return st;
	*at = r->off + r->pos;
	if (r->pos == r->len)
		return SR_END;
	k = sr_varint_get(r->buf + r->pos, r->len - r->pos, &len);
	if (k <= 0)
		return bad(r, err, *at, "expected the varint length of %s", what);
	if (len > MAX_MESSAGE)
		return bad(r, err, *at, "expected the length of %s, got a length above 256 MiB", what);
	st = sr_wire_fill(r, (size_t)k + (size_t)len, err);
	if (st < 0)
		return st;
	if (r->len - r->pos < (size_t)k + len) {
		char tmp[120];

		snprintf(tmp, sizeof(tmp), "expected %%s of %llu bytes, the input ends after %llu",
			 (unsigned long long)len,
			 (unsigned long long)(r->len - r->pos - (size_t)k));
		return bad(r, err, *at, tmp, what);
	}
	*p = r->buf + r->pos + k;
	*n = (size_t)len;
	r->pos += (size_t)k + (size_t)len;
	return SR_OK;
}

/*
 * The field at *p (before end): its key, and for a length-delimited one
 * the length of its payload, with *p at the payload; other fields are
 * stepped over (*len 0).  False when it does not scan.
 */
static inline bool field_at(const uint8_t **pp, const uint8_t *end, uint64_t *key, uint64_t *len)
{
	const uint8_t *p = *pp;
	int k = sr_varint_get(p, (size_t)(end - p), key);

	*len = 0;
	if (k <= 0)
		return false;
	p += k;
	switch (*key & 7) {
	case 0:
		k = sr_varint_get(p, (size_t)(end - p), len);
		if (k <= 0)
			return false;
		p += k;
		*len = 0;
		break;
	case 1:
		if (end - p < 8)
			return false;
		p += 8;
		break;
	case 5:
		if (end - p < 4)
			return false;
		p += 4;
		break;
	case 2:
		k = sr_varint_get(p, (size_t)(end - p), len);
		if (k <= 0 || *len > (uint64_t)(end - p - k))
			return false;
		p += k;
		break;
	default:
		return false;
	}
	*pp = p;
	return true;
}

/* True when the message nests at most MAX_NEST deep (and is well formed as
 * far as the scan goes; protobuf-c checks the rest). */
static bool depth_ok(const uint8_t *p, size_t n, const ProtobufCMessageDescriptor *d, int depth)
{
	const uint8_t *end = p + n;
	const ProtobufCFieldDescriptor *f;
	uint64_t key, len;

	if (depth > MAX_NEST)
		return false;
	while (p < end) {
		if (!field_at(&p, end, &key, &len))
			return false;
		if ((key & 7) != 2)
			continue;
		f = key >> 3 <= UINT32_MAX ? protobuf_c_message_descriptor_get_field(d, (unsigned)(key >> 3)) : NULL;
		if (f && f->type == PROTOBUF_C_TYPE_MESSAGE &&
		    !depth_ok(p, (size_t)len, f->descriptor, depth + 1))
			return false;
		p += len;
	}
	return true;
}

/* The semantic record's fields of an Event (sem_args, sem_return, sem_info) */
#define SEM_FIRST 26
#define SEM_LAST 28

/*
 * depth_ok() for an SValue (list: a SValues) without the descriptor
 * lookups, which cost more than the scan: an SValue's array (8) and
 * object (9) are a SValues, whose v (1) are SValues.
 */
static bool sval_ok(const uint8_t *p, size_t n, bool list, int depth)
{
	const uint8_t *end = p + n;
	uint64_t key, len;

	if (depth > MAX_NEST)
		return false;
	while (p < end) {
		if (!field_at(&p, end, &key, &len))
			return false;
		if ((key & 7) != 2)
			continue;
		if ((list ? key >> 3 == 1 : key >> 3 == 8 || key >> 3 == 9) &&
		    !sval_ok(p, (size_t)len, !list, depth + 1))
			return false;
		p += len;
	}
	return true;
}

/*
 * An Event message p[0..*n) fit to unpack (depth_ok): *n becomes its
 * length without the semantic fields when they end it, as sysrep writes
 * them.  The reader rebuilds events from the spelled fields alone, and
 * unpacking the semantic trees with protobuf-c would cost more than the
 * rest of the message; they are still scanned, so that a damaged one is
 * an error like any other.  A message with other fields after them (not
 * sysrep's order) is unpacked whole; dec_event() ignores them.
 */
static bool event_ok(const uint8_t *p, size_t *n)
{
	const ProtobufCMessageDescriptor *d = &sysrep__event__descriptor;
	const uint8_t *start = p, *end = p + *n, *field;
	const ProtobufCFieldDescriptor *f;
	size_t tail = *n;
	uint64_t key, len;
	bool sem;

	while (p < end) {
		field = p;
		if (!field_at(&p, end, &key, &len))
			return false;
		sem = key >> 3 >= SEM_FIRST && key >> 3 <= SEM_LAST;
		if (!sem)
			tail = *n; /* a field after semantic ones: keep them all */
		else if (tail == *n)
			tail = (size_t)(field - start);
		if ((key & 7) != 2)
			continue;
		if (sem) {
			if (!sval_ok(p, (size_t)len, false, 1))
				return false;
			p += len;
			continue;
		}
		f = key >> 3 <= UINT32_MAX ? protobuf_c_message_descriptor_get_field(d, (unsigned)(key >> 3)) : NULL;
		if (f && f->type == PROTOBUF_C_TYPE_MESSAGE && !depth_ok(p, (size_t)len, f->descriptor, 1))
			return false;
		p += len;
	}
	*n = tail;
	return true;
}

static enum sr_status read_header(struct sr_wire_in *r, struct sr_error *err)
{
	const uint8_t *p;
	size_t n;
	uint64_t at;
	Sysrep__Header *h;
	enum sr_status st = next_msg(r, &p, &n, &at, "the Header message", err);

	if (st == SR_END)
		return bad(r, err, at, "expected %s, the input is empty", "the Header message");
	if (st < 0)
		return st;
	if (!depth_ok(p, n, &sysrep__header__descriptor, 0) ||
	    !(h = sysrep__header__unpack(NULL, n, p)))
		return bad(r, err, at, "expected %s (protobuf-c cannot unpack it)", "the Header message");
	if (strcmp(h->magic, magic) != 0) {
		sysrep__header__free_unpacked(h, NULL);
		/* the position, as every other error gives it (hostile-input suite) */
		sr_error_set(err, SR_ERR_FORMAT,
			     "cannot read pb input: byte=%llu: not a sysrep stream (no \"%s\" header)",
			     (unsigned long long)at, magic);
		sr_error_file(err, sr_source_name(r->in));
		return SR_ERR_FORMAT;
	}
	r->hdr.pid_form = (uint8_t)h->pid_form;
	r->hdr.time_clock = (uint8_t)h->time_clock;
	r->hdr.time_digits = (uint8_t)h->time_digits;
	r->hdr.rel_digits = (uint8_t)h->rel_digits;
	r->hdr.rel_width = (uint8_t)h->rel_width;
	r->hdr.dur_digits = (uint8_t)h->duration_digits;
	st = sr_wire_build_schema(r, h->schema_version, err);
	if (st == SR_OK)
		st = sr_wire_build_arch(r, h->numbers_from_arch, h->arch, err);
	sysrep__header__free_unpacked(h, NULL);
	r->next_line = 1;
	r->started = st == SR_OK;
	return st;
}

static inline struct sr_str str_of(ProtobufCBinaryData d)
{
	return (struct sr_str){ (const char *)d.data, d.len };
}

/* A string given by reference or inline. */
static bool get_str(struct sr_wire_in *r, uint32_t ref, ProtobufCBinaryData inl,
		    struct sr_str *out)
{
	if (ref)
		return sr_wire_build_ref(r, ref, out);
	*out = str_of(inl);
	return true;
}

static bool get_atom(struct sr_wire_in *r, uint32_t ref, ProtobufCBinaryData inl,
		     const struct sr_atom **out)
{
	if (ref)
		return sr_wire_build_atom(r, ref, out);
	*out = NULL;
	return !inl.len || sr_wire_build_intern(r, str_of(inl), out);
}

static bool dec_time(struct sr_wire_in *r, const Sysrep__Time *m, struct sr_time *t,
		     enum sr_wire_tslot slot)
{
	*t = (struct sr_time){ 0 };
	if (!m)
		return true;
	*t = sr_wire_tdefault(&r->hdr, slot);
	if (m->nsec > 999999999u) {
		r->why = "a time with nsec below 10^9";
		return false;
	}
	t->sec = m->sec;
	t->nsec = m->nsec;
	if (m->has_clock_case)
		t->clock = (uint8_t)m->clock;
	if (m->has_digits_case)
		t->digits = (uint8_t)m->digits;
	if (m->has_width_case)
		t->width = (uint8_t)m->width;
	if (t->clock == SR_CLOCK_NONE || t->clock > SR_CLOCK_REL || t->digits > 9) {
		r->why = "a time with a clock and at most 9 digits";
		return false;
	}
	if (m->frac) {
		if (m->nsec || m->frac >= pow10[t->digits]) {
			r->why = "a time with nsec or a fraction of its digits";
			return false;
		}
		t->nsec = m->frac * pow10[9 - t->digits];
	}
	return true;
}

static const uint8_t kind_of_case[] = {
	[SYSREP__VALUE__V_FLAGS] = SR_V_FLAGS,     [SYSREP__VALUE__V_MEMBERS] = SR_V_STRUCT,
	[SYSREP__VALUE__V_ARRAY] = SR_V_ARRAY,     [SYSREP__VALUE__V_SET] = SR_V_SET,
	[SYSREP__VALUE__V_FD] = SR_V_FD,           [SYSREP__VALUE__V_CALL] = SR_V_CALL,
	[SYSREP__VALUE__V_CHANGED] = SR_V_CHANGED, [SYSREP__VALUE__V_COMMENT] = SR_V_COMMENT,
	[SYSREP__VALUE__V_EXPR] = SR_V_EXPR,       [SYSREP__VALUE__V_INDEX] = SR_V_INDEX,
};

static bool dec_value(struct sr_wire_in *r, const Sysrep__Value *m, struct sr_value *v,
		      int depth)
{
	const Sysrep__Values *vs;
	size_t i;

	if (!sr_wire_build_value(r, v, depth))
		return false;
	if (m->bits > 0xffff) {
		r->why = "value flags that fit 16 bits";
		return false;
	}
	v->flags = (uint16_t)m->bits;
	if (!get_str(r, m->name_ref, m->name, &v->name))
		return false;
	switch (m->v_case) {
	case SYSREP__VALUE__V_DEC:
	case SYSREP__VALUE__V_UDEC:
	case SYSREP__VALUE__V_HEX:
	case SYSREP__VALUE__V_OCT:
		v->kind = SR_V_INT;
		v->base = m->v_case == SYSREP__VALUE__V_HEX   ? SR_BASE_HEX
			  : m->v_case == SYSREP__VALUE__V_OCT ? SR_BASE_OCT
							      : SR_BASE_DEC;
		if (m->v_case == SYSREP__VALUE__V_DEC)
			v->num.i = m->dec;
		else
			v->num.u = m->hex; /* udec, hex and oct share the slot */
		if (!m->has_text_case)
			return sr_wire_build_spell(r, v);
		v->text = str_of(m->text);
		return true;
	case SYSREP__VALUE__V_STR:
		v->kind = SR_V_STR;
		v->text = str_of(m->str);
		return true;
	case SYSREP__VALUE__V_STR_REF:
		v->kind = SR_V_STR;
		return sr_wire_build_ref(r, m->str_ref, &v->text);
	case SYSREP__VALUE__V_IDENT:
		v->kind = SR_V_IDENT;
		v->text = str_of(m->ident);
		return true;
	case SYSREP__VALUE__V_IDENT_REF:
		v->kind = SR_V_IDENT;
		return sr_wire_build_ref(r, m->ident_ref, &v->text);
	case SYSREP__VALUE__V_NULL:
		v->kind = SR_V_NULL;
		return true;
	case SYSREP__VALUE__V_ELLIPSIS:
		v->kind = SR_V_ELLIPSIS;
		return true;
	case SYSREP__VALUE__V_FLAGS_REF:
		return sr_wire_build_flags(r, m->flags_ref, v);
	default:
		break;
	}
	if ((size_t)m->v_case >= sizeof(kind_of_case) || !kind_of_case[m->v_case]) {
		r->why = "a value with a kind";
		return false;
	}
	v->kind = kind_of_case[m->v_case];
	vs = m->flags; /* every composite member shares this union slot */
	if (m->text_ref) {
		if (!sr_wire_build_ref(r, m->text_ref, &v->text))
			return false;
	} else if (m->has_text_case) {
		v->text = str_of(m->text);
	}
	if (!vs || !vs->n_v)
		return true;
	if (!sr_wire_build_kids(r, v, vs->n_v))
		return false;
	for (i = 0; i < vs->n_v; i++)
		if (!dec_value(r, vs->v[i], &v->kids[i], depth + 1))
			return false;
	return true;
}

static bool dec_leader(struct sr_wire_in *r, const Sysrep__Leader *m, struct sr_leader *l)
{
	if (!m)
		return true;
	if (m->has_pid_case)
		l->pid = m->pid;
	if (m->has_pid_form_case)
		l->pid_form = (uint8_t)m->pid_form;
	if (!dec_time(r, m->time, &l->time, SR_TS_TIME) || !dec_time(r, m->rel, &l->rel, SR_TS_REL))
		return false;
	l->comm = str_of(m->comm);
	l->secontext = str_of(m->secontext);
	l->has_nr = m->has_nr;
	l->nr_unknown = m->nr_unknown;
	l->nr_width = (uint8_t)m->nr_width;
	l->nr = m->nr;
	l->has_ip = m->has_ip;
	l->ip_unknown = m->ip_unknown;
	l->ip_digits = (uint8_t)m->ip_digits;
	l->ip = m->ip;
	l->ip_spaced = m->ip_spaced;
	return true;
}

static bool dec_summary(struct sr_wire_in *r, const Sysrep__Summary *m, struct sr_event *ev)
{
	struct sr_summary *s = sr_wire_build_alloc(r, 1, sizeof(*s));
	size_t j;

	if (!s)
		return false;
	if (m->n_cols > SR_SUM_MAXCOLS || m->n_widths != m->n_cols) {
		r->why = "a summary of at most 12 columns, each with a width";
		return false;
	}
	s->row = (uint8_t)m->row;
	s->ncols = (uint8_t)m->n_cols;
	for (j = 0; j < m->n_cols; j++) {
		s->col[j] = (uint8_t)m->cols[j];
		s->width[j] = (uint8_t)m->widths[j];
	}
	s->has = (uint16_t)m->has;
	s->pct = m->pct;
	s->seconds = m->seconds;
	s->min = m->min;
	s->max = m->max;
	s->usecs = m->usecs;
	s->calls = m->calls;
	s->errors = m->errors;
	s->has_errors = m->has_errors;
	ev->sum = s;
	return true;
}

static bool dec_event(struct sr_wire_in *r, const Sysrep__Event *m, struct sr_event *ev)
{
	size_t i;

	for (i = 0; i < m->n_strings; i++)
		if (!sr_wire_build_entry(r, m->strings[i].data, m->strings[i].len))
			return false;
	if ((unsigned)m->kind >= SR_E__COUNT - 1) {
		r->why = "a known event kind";
		return false;
	}
	sr_wire_build_event(r, ev);
	ev->kind = (uint8_t)(m->kind + 1);
	ev->line = m->line;
	if (m->flags > 0xffff || m->pad > 0xffff) {
		r->why = "event flags and pad that fit 16 bits";
		return false;
	}
	ev->flags = (uint16_t)m->flags;
	if (!dec_leader(r, m->lead, &ev->lead) ||
	    !get_atom(r, m->name_ref, m->name, &ev->name) ||
	    !get_atom(r, m->err_ref, m->err, &ev->err) ||
	    !get_str(r, m->errmsg_ref, m->errmsg, &ev->errmsg) ||
	    !dec_time(r, m->start, &ev->start, SR_TS_TIME) ||
	    !dec_time(r, m->duration, &ev->duration, SR_TS_DUR))
		return false;
	if (m->has_nr_case)
		ev->nr = m->nr;
	if (m->n_args > UINT32_MAX || m->n_notes > UINT32_MAX || m->n_att > UINT32_MAX) {
		r->why = "fewer arguments";
		return false;
	}
	if (m->n_args) {
		ev->args = sr_wire_build_alloc(r, m->n_args, sizeof(*ev->args));
		if (!ev->args)
			return false;
		ev->nargs = (uint32_t)m->n_args;
		for (i = 0; i < m->n_args; i++)
			if (!dec_value(r, m->args[i], &ev->args[i], 0))
				return false;
	}
	if (m->ret) {
		ev->has_ret = true;
		ev->ret = sr_wire_build_alloc(r, 1, sizeof(*ev->ret));
		if (!ev->ret || !dec_value(r, m->ret, ev->ret, 0))
			return false;
	} else if (m->ret_unknown) {
		ev->has_ret = true;
	}
	ev->pad = (uint16_t)m->pad;
	ev->split = m->split;
	if (m->n_notes) {
		ev->notes = sr_wire_build_alloc(r, m->n_notes, sizeof(*ev->notes));
		if (!ev->notes)
			return false;
		for (i = 0; i < m->n_notes; i++)
			ev->notes[i] = str_of(m->notes[i]);
		ev->nnotes = (uint32_t)m->n_notes;
	}
	ev->unavail = str_of(m->unavail);
	ev->code = m->code;
	ev->text = str_of(m->text);
	if (m->sum && !dec_summary(r, m->sum, ev))
		return false;
	if (m->n_att) {
		ev->att = sr_wire_build_alloc(r, m->n_att, sizeof(*ev->att));
		if (!ev->att)
			return false;
		for (i = 0; i < m->n_att; i++) {
			const Sysrep__Attach *a = m->att[i];
			struct sr_attach *d = &ev->att[i];

			d->kind = (uint8_t)a->kind;
			d->addr = a->addr;
			d->offset = a->offset;
			if (!get_str(r, a->module_ref, a->module, &d->module))
				return false;
			d->symbol = str_of(a->symbol);
			d->bytes = str_of(a->bytes);
			d->text = str_of(a->text);
		}
		ev->natt = (uint32_t)m->n_att;
	}
	sr_wire_build_done(r, ev, m->has_line_case, m->has_nr_case);
	return true;
}

static enum sr_status pb_next(struct sr_reader *rd, struct sr_batch *b, struct sr_error *err)
{
	struct sr_wire_in *r = sr_wire_reader_in(rd);
	/* protobuf-c allocates into the batch's arena */
	ProtobufCAllocator alloc = { arena_alloc, arena_free, b->arena };
	enum sr_status st;

	sr_batch_reset(b);
	b->source = sr_source_name(r->in);
	if (!r->started && (st = read_header(r, err)) < 0)
		return st;
	r->b = b;
	while (b->n < BATCH_EVENTS && sr_arena_used(b->arena) < BATCH_BYTES) {
		const uint8_t *p;
		size_t n;
		uint64_t at;
		Sysrep__Event *m;
		struct sr_event *ev;

		st = next_msg(r, &p, &n, &at, "an Event message", err);
		if (st == SR_END)
			break;
		if (st < 0)
			return st;
		if (!event_ok(p, &n))
			return bad(r, err, at, "expected %s nested at most 400 messages deep",
				   "an Event message");
		m = sysrep__event__unpack(&alloc, n, p);
		if (!m)
			return bad(r, err, at, "expected %s (protobuf-c cannot unpack it)",
				   "an Event message");
		ev = sr_batch_push(b);
		if (!ev)
			return sr_error_set(err, SR_ERR_NOMEM, "cannot read pb input: out of memory");
		r->why = NULL;
		if (!dec_event(r, m, ev)) {
			b->n--; /* the caller keeps the whole events before it */
			return bad(r, err, at, "expected %s", r->why);
		}
	}
	return b->n ? SR_OK : SR_END;
}

/* The stream starts with the Header's length, then field 1 (magic). */
static int pb_probe(const void *head, size_t n)
{
	const unsigned char *p = head;
	uint64_t len;
	int k = sr_varint_get(p, n, &len);

	if (k <= 0 || n < (size_t)k + 2 + sizeof(magic) - 1)
		return 0;
	p += k;
	if (p[0] != 0x0a || p[1] != sizeof(magic) - 1 || memcmp(p + 2, magic, sizeof(magic) - 1))
		return 0;
	return 100;
}

SR_WIRE_READER(pb, ".pb",
	       "sysrep's Protocol Buffers stream (proto/sysrep.proto)",
	       pb_probe, pb_next);
