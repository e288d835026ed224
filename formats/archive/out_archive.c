/*
 * out_archive.c - the archive writer: a compact, lossless encoding of the
 * whole event model (docs/archive.md).
 *
 * Events are split into columns (archive_internal.h: one stream per kind
 * of field) as they arrive, and every SRA_BLOCK_EVENTS events the block's
 * streams are compressed with zstd, each on its own with the shipped
 * dictionary of its stream (sra_dict.c), and written.  Columns
 * compress far better than the text: each holds one kind of number with
 * its own statistics, and most of what varies little is coded against a
 * prediction (the previous time, the recent pids, the last value seen in
 * the same argument of the same syscall, the path last seen for an fd of a
 * pid), so that what reaches zstd is mostly small, repetitive numbers.
 *
 * Every table is reset at a block's start: blocks decode on their own, and
 * memory is bounded by the block size, whatever the length of the trace.
 */
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_c_format: magicless frames */
#include <zstd.h>

#include "archive_internal.h"

#define DEFAULT_BLOCK_EVENTS (1u << 17)
/* A block also ends once its raw columns hold this much: memory stays
 * bounded with huge events (long -s strings, big -X trees). */
#define BLOCK_BYTES (64u << 20)
/* zstd's level: 17 gives within 1% of 19's size on the bench trace in 60%
 * of the time (19 spent 84% of the writer's time in libzstd); -O level=19
 * is there for the last percent. */
#define DEFAULT_LEVEL 17

struct abuf {
	uint8_t *p; /* owned */
	size_t len, cap;
};

/* An interning table: byte strings to ids 0, 1, 2..., the bytes kept in
 * one of the streams (offsets, as the streams grow by realloc). */
struct stab_ent {
	uint64_t hash;
	uint32_t off, len;
	uint8_t where; /* the stream holding the bytes */
};

struct stab {
	uint32_t *slot; /* owned: id + 1, 0 when free; a power of two */
	size_t nslot;
	struct stab_ent *e; /* owned */
	size_t n, cap;
};

struct sr_writer {
	struct sr_sink *out; /* borrowed */
	int level;
	size_t block_events;
	bool oom;
	bool too_deep; /* a value nested deeper than a reader accepts */
	struct abuf s[SRA_NSTREAMS];
	struct abuf comp[SRA_NSTREAMS];
	ZSTD_CCtx *cc; /* owned */
	ZSTD_CDict *cdict[SRA_NSTREAMS]; /* owned: the shipped dictionaries, or NULL */
	bool dict; /* -O dict=1 (default): compress with them */
	struct sr_buf scratch; /* owned: printing for padcol */
	struct stab strs, ids;
	uint32_t *sctx; /* owned: string id + 1 by context */
	uint64_t *ictx; /* owned: last int by context */
	int32_t *nr_pred; /* owned: last nr by name id */
	size_t nr_cap;
	/* the block's running predictions */
	int64_t pids[SRA_PIDS];
	int npids;
	int64_t last_lit_pid, prev_pid;
	uint64_t prev_units[4]; /* by clock */
	uint64_t prev_line, prev_ip;
	uint8_t desc[SRA_DESC_LEN];
	bool have_desc;
	size_t nev;
	uint64_t total, nblocks;
};

/* ---- byte buffers ------------------------------------------------------ */

static bool grow(struct sr_writer *w, struct abuf *b, size_t extra)
{
	size_t nc = b->cap ? b->cap : 4096;
	uint8_t *p;

	if (b->cap - b->len >= extra)
		return true;
	while (nc - b->len < extra)
		nc *= 2;
	p = realloc(b->p, nc);
	if (!p) {
		w->oom = true;
		return false;
	}
	b->p = p;
	b->cap = nc;
	return true;
}

static inline void put_u8(struct sr_writer *w, int s, uint8_t v)
{
	struct abuf *b = &w->s[s];

	if (b->len == b->cap && !grow(w, b, 1))
		return;
	b->p[b->len++] = v;
}

static inline void put_uv(struct sr_writer *w, int s, uint64_t v)
{
	struct abuf *b = &w->s[s];
	uint8_t *p;

	if (b->cap - b->len < 10 && !grow(w, b, 10))
		return;
	p = b->p + b->len;
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	b->len = (size_t)(p - b->p);
}

static inline void put_sv(struct sr_writer *w, int s, int64_t v)
{
	put_uv(w, s, sra_zz(v));
}

static void put_bytes(struct sr_writer *w, int s, const void *p, size_t n)
{
	struct abuf *b = &w->s[s];

	if (!n || !grow(w, b, n))
		return;
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

/* ---- interning ---------------------------------------------------------- */

static uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ull ^ n;
	size_t i = 0;

	/* 8 bytes a step: strings of reads are long */
	for (; i + 8 <= n; i += 8) {
		uint64_t k;

		memcpy(&k, s + i, 8);
		h = (h ^ k) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	h ^= h >> 32;
	return h * 0x9e3779b97f4a7c15ull;
}

static void stab_clear(struct stab *t)
{
	if (t->slot)
		memset(t->slot, 0, t->nslot * sizeof(*t->slot));
	t->n = 0;
}

static void stab_free(struct stab *t)
{
	free(t->slot);
	free(t->e);
}

/* The id of p[0..n), or -1; *hp gets the hash for stab_add. */
static int64_t stab_find(struct sr_writer *w, const struct stab *t, const void *p, size_t n,
			 uint64_t *hp)
{
	uint64_t h = hash_bytes(p, n);
	size_t mask = t->nslot - 1, i;

	*hp = h;
	if (!t->nslot)
		return -1;
	for (i = h & mask; t->slot[i]; i = (i + 1) & mask) {
		const struct stab_ent *e = &t->e[t->slot[i] - 1];

		if (e->hash == h && e->len == n &&
		    (n == 0 || memcmp(w->s[e->where].p + e->off, p, n) == 0))
			return t->slot[i] - 1;
	}
	return -1;
}

static bool stab_rehash(struct sr_writer *w, struct stab *t)
{
	size_t ns = t->nslot ? t->nslot * 2 : 1024, i;
	uint32_t *s = calloc(ns, sizeof(*s));

	if (!s) {
		w->oom = true;
		return false;
	}
	for (i = 0; i < t->n; i++) {
		size_t j = t->e[i].hash & (ns - 1);

		while (s[j])
			j = (j + 1) & (ns - 1);
		s[j] = (uint32_t)i + 1;
	}
	free(t->slot);
	t->slot = s;
	t->nslot = ns;
	return true;
}

/* Adds an entry whose bytes are at off in stream where. */
static void stab_add(struct sr_writer *w, struct stab *t, uint64_t h, int where, size_t off,
		     size_t n)
{
	size_t j;

	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 1024;
		struct stab_ent *e = realloc(t->e, nc * sizeof(*e));

		if (!e) {
			w->oom = true;
			return;
		}
		t->e = e;
		t->cap = nc;
	}
	if ((t->n + 1) * 2 > t->nslot && !stab_rehash(w, t))
		return;
	t->e[t->n] = (struct stab_ent){ h, (uint32_t)off, (uint32_t)n, (uint8_t)where };
	j = h & (t->nslot - 1);
	while (t->slot[j])
		j = (j + 1) & (t->nslot - 1);
	t->slot[j] = (uint32_t)++t->n;
}

/* An ident (a name that repeats: constants, members, errnos) as its id in
 * stream s; a new one also goes to SRA_S_IDDAT.  Returns the id. */
static uint32_t put_ident(struct sr_writer *w, int s, const char *p, size_t n)
{
	uint64_t h;
	int64_t id = stab_find(w, &w->ids, p, n, &h);

	if (id < 0) {
		id = (int64_t)w->ids.n;
		put_uv(w, s, (uint64_t)id);
		put_uv(w, SRA_S_IDDAT, n);
		stab_add(w, &w->ids, h, SRA_S_IDDAT, w->s[SRA_S_IDDAT].len, n);
		put_bytes(w, SRA_S_IDDAT, p, n);
		return (uint32_t)id;
	}
	put_uv(w, s, (uint64_t)id);
	return (uint32_t)id;
}

/* A string: the one last seen in context ctx, an earlier one, or new
 * bytes into stream dat. */
static void put_string(struct sr_writer *w, int dat, uint32_t ctx, const char *p, size_t n)
{
	uint64_t h;
	int64_t id = stab_find(w, &w->strs, p, n, &h);

	if (id >= 0 && w->sctx[ctx] == (uint32_t)id + 1) {
		put_u8(w, SRA_S_STRREF, SRA_REF_HIT);
		return;
	}
	if (id < 0) {
		put_u8(w, SRA_S_STRREF, SRA_REF_NEW);
		put_uv(w, SRA_S_STRLEN, n);
		id = (int64_t)w->strs.n;
		stab_add(w, &w->strs, h, dat, w->s[dat].len, n);
		put_bytes(w, dat, p, n);
	} else {
		put_uv(w, SRA_S_STRREF, SRA_REF_BACK + (w->strs.n - 1 - (uint64_t)id));
	}
	w->sctx[ctx] = (uint32_t)id + 1;
}

/* ---- values -------------------------------------------------------------- */

static bool is_container(uint8_t k)
{
	switch (k) {
	case SR_V_FLAGS:
	case SR_V_STRUCT:
	case SR_V_ARRAY:
	case SR_V_SET:
	case SR_V_CHANGED:
	case SR_V_INDEX:
	case SR_V_CALL:
	case SR_V_EXPR:
	case SR_V_COMMENT:
		return true;
	default:
		return false;
	}
}

/* True when the node's fields are those its kind uses, so that the
 * compact coding of its kind carries all of it. */
static bool regular(const struct sr_value *v)
{
	if (v->kind == SR_V_INT)
		return v->nkids == 0;
	if (v->kind < SR_V_INT || v->kind > SR_V_INDEX || v->num.u || v->base)
		return false;
	switch (v->kind) {
	case SR_V_STR:
	case SR_V_IDENT:
		return v->nkids == 0;
	case SR_V_NULL:
	case SR_V_ELLIPSIS:
		return v->nkids == 0 && v->text.len == 0;
	case SR_V_FD:
		return v->nkids <= 1;
	case SR_V_FLAGS:
	case SR_V_STRUCT:
	case SR_V_ARRAY:
	case SR_V_SET:
	case SR_V_CHANGED:
	case SR_V_INDEX:
		return v->text.len == 0;
	default:
		return true; /* CALL, EXPR, COMMENT: text and kids */
	}
}

static void put_value(struct sr_writer *w, const struct sr_value *v, uint32_t nid, uint32_t *pos,
		      int64_t pid, int depth);

static void put_kids(struct sr_writer *w, const struct sr_value *v, uint32_t nid, uint32_t *pos,
		     int64_t pid, int depth)
{
	if (depth >= SRA_MAX_DEPTH) {
		w->too_deep = true;
		return;
	}
	for (uint32_t i = 0; i < v->nkids; i++)
		put_value(w, &v->kids[i], nid, pos, pid, depth + 1);
}

static void put_int(struct sr_writer *w, const struct sr_value *v, uint32_t nid, uint32_t p,
		    uint8_t node)
{
	char canon[24];
	size_t n = sr_int_spell(canon, v);
	unsigned aux, mode, implied;
	bool hex;
	uint32_t ctx;

	aux = v->base == SR_BASE_DEC ? SRA_INT_DEC
	      : v->base == SR_BASE_HEX ? SRA_INT_HEX
	      : v->base == SR_BASE_OCT ? SRA_INT_OCT
				       : SRA_INT_OTHER;
	implied = aux == SRA_INT_HEX || aux == SRA_INT_OCT ? SR_VF_UNSIGNED : 0;
	if (v->text.len == n && memcmp(v->text.ptr, canon, n) == 0)
		mode = SRA_TXT_CANON;
	else if (v->text.len == 0)
		mode = SRA_TXT_EMPTY;
	else
		mode = SRA_TXT_STORED;
	node |= (uint8_t)(aux << 6);
	if (mode != SRA_TXT_CANON || v->flags != implied)
		node |= SRA_N_EXT;
	put_u8(w, SRA_S_SHAPE, node);
	if (v->name.len)
		put_ident(w, SRA_S_IDENT, v->name.ptr, v->name.len);
	if (aux == SRA_INT_OTHER)
		put_u8(w, SRA_S_SHAPE, v->base);
	if (node & SRA_N_EXT)
		put_uv(w, SRA_S_SHAPE, (uint64_t)v->flags << 2 | mode);
	hex = v->base != SR_BASE_DEC || (v->flags & SR_VF_UNSIGNED);
	ctx = sra_ctx(nid, p, hex ? SRA_CLS_HEX : SRA_CLS_DEC);
	put_sv(w, hex ? SRA_S_HEX : SRA_S_INT, (int64_t)(v->num.u - w->ictx[ctx]));
	w->ictx[ctx] = v->num.u;
	if (mode == SRA_TXT_STORED)
		put_string(w, SRA_S_TXTDAT, sra_ctx(nid, p, SRA_CLS_TXT), v->text.ptr,
			   v->text.len);
}

/* The context of an fd's path: the pid and fd number when it has one
 * (the path of fd 3 of pid 10 is what it was last time), else the place. */
static uint32_t fd_ctx(const struct sr_value *v, uint32_t nid, uint32_t p, int64_t pid)
{
	const struct sr_value *k = v->nkids ? &v->kids[0] : NULL;

	if (k && k->kind == SR_V_INT && k->base == SR_BASE_DEC && !k->flags)
		return sra_ctx((uint64_t)pid, k->num.u, SRA_CLS_FD);
	return sra_ctx(nid, p, SRA_CLS_TXT);
}

static void put_value(struct sr_writer *w, const struct sr_value *v, uint32_t nid, uint32_t *pos,
		      int64_t pid, int depth)
{
	uint32_t p = (*pos)++;
	uint8_t node = v->name.len ? SRA_N_NAME : 0;

	if (!regular(v)) {
		put_u8(w, SRA_S_SHAPE, node | SRA_N_GENERIC);
		if (v->name.len)
			put_ident(w, SRA_S_IDENT, v->name.ptr, v->name.len);
		put_u8(w, SRA_S_SHAPE, v->kind);
		put_u8(w, SRA_S_SHAPE, v->base);
		put_uv(w, SRA_S_SHAPE, v->flags);
		put_uv(w, SRA_S_SHAPE, v->nkids);
		put_uv(w, SRA_S_HEX, v->num.u);
		put_string(w, SRA_S_TXTDAT, sra_ctx(nid, p, SRA_CLS_TXT), v->text.ptr,
			   v->text.len);
		put_kids(w, v, nid, pos, pid, depth);
		return;
	}
	if (v->kind == SR_V_INT) {
		put_int(w, v, nid, p, node | SR_V_INT);
		return;
	}
	node |= v->kind;
	if (v->flags)
		node |= SRA_N_EXT;
	if (v->kind == SR_V_FD && v->nkids)
		node |= 0x40;
	put_u8(w, SRA_S_SHAPE, node);
	if (v->name.len)
		put_ident(w, SRA_S_IDENT, v->name.ptr, v->name.len);
	if (v->flags)
		put_uv(w, SRA_S_SHAPE, v->flags);
	switch (v->kind) {
	case SR_V_STR:
		put_string(w, SRA_S_STRDAT, sra_ctx(nid, p, SRA_CLS_STR), v->text.ptr,
			   v->text.len);
		break;
	case SR_V_IDENT:
		put_ident(w, SRA_S_IDENT, v->text.ptr, v->text.len);
		break;
	case SR_V_FD:
		put_kids(w, v, nid, pos, pid, depth);
		put_string(w, SRA_S_TXTDAT, fd_ctx(v, nid, p, pid), v->text.ptr, v->text.len);
		break;
	default:
		if (!is_container(v->kind))
			break;
		put_uv(w, SRA_S_SHAPE, v->nkids);
		if (v->kind == SR_V_CALL || v->kind == SR_V_EXPR)
			put_ident(w, SRA_S_IDENT, v->text.ptr, v->text.len);
		put_kids(w, v, nid, pos, pid, depth);
		if (v->kind == SR_V_COMMENT)
			put_string(w, SRA_S_TXTDAT, sra_ctx(nid, p, SRA_CLS_TXT), v->text.ptr,
				   v->text.len);
		break;
	}
}

/* ---- events --------------------------------------------------------------- */

static bool time_present(const struct sr_time *t)
{
	return t->clock || t->digits || t->width || t->sec || t->nsec;
}

/* The form of a time in the leader descriptor: clock, digits, width and
 * how its value is stored (0 absent, 1 units, 2 raw). */
static void time_form(uint8_t *d, const struct sr_time *t)
{
	uint64_t u;

	d[0] = t->clock;
	d[1] = t->digits;
	d[2] = t->width;
	d[3] = !time_present(t) ? 0 : sra_time_units(t, &u) ? 1 : 2;
}

static void put_raw_time(struct sr_writer *w, int s, const struct sr_time *t)
{
	put_sv(w, s, t->sec);
	put_uv(w, s, t->nsec);
}

static void make_desc(uint8_t *d, const struct sr_event *ev)
{
	const struct sr_leader *l = &ev->lead;

	memset(d, 0, SRA_DESC_LEN);
	d[SRA_D_PIDFORM] = l->pid_form;
	d[SRA_D_BITS] = (l->has_nr ? SRA_LB_NR : 0) | (l->has_ip ? SRA_LB_IP : 0) |
			(l->nr_unknown ? SRA_LB_NR_UNKNOWN : 0) |
			(l->ip_unknown ? SRA_LB_IP_UNKNOWN : 0) |
			(l->comm.len ? SRA_LB_COMM : 0) | (l->secontext.len ? SRA_LB_SECONTEXT : 0) |
			(l->has_nr || l->nr ? SRA_LB_NRVAL : 0) | (l->has_ip || l->ip ? SRA_LB_IPVAL : 0);
	d[SRA_D_IPDIGITS] = (uint8_t)(l->ip_digits | (l->ip_spaced ? SRA_IPD_SPACED : 0));
	d[SRA_D_NRWIDTH] = l->nr_width;
	time_form(d + SRA_D_TIME, &l->time);
	time_form(d + SRA_D_REL, &l->rel);
	time_form(d + SRA_D_DUR, &ev->duration);
}

static void put_pid(struct sr_writer *w, int64_t pid)
{
	int i;

	for (i = 0; i < w->npids; i++)
		if (w->pids[i] == pid)
			break;
	if (i < w->npids) {
		put_uv(w, SRA_S_PID, (uint64_t)i);
	} else {
		put_uv(w, SRA_S_PID, SRA_PIDS);
		put_sv(w, SRA_S_PID, pid - w->last_lit_pid);
		w->last_lit_pid = pid;
		if (w->npids < SRA_PIDS)
			w->npids++;
		i = w->npids - 1;
	}
	/* move to front: the pids of a -f trace take turns */
	memmove(w->pids + 1, w->pids, (size_t)i * sizeof(w->pids[0]));
	w->pids[0] = pid;
}

static int32_t *nr_slot(struct sr_writer *w, uint32_t nid)
{
	if (nid >= w->nr_cap) {
		size_t nc = w->nr_cap ? w->nr_cap : 256;
		int32_t *p;

		while (nc <= nid)
			nc *= 2;
		p = realloc(w->nr_pred, nc * sizeof(*p));
		if (!p) {
			w->oom = true;
			return NULL;
		}
		for (size_t i = w->nr_cap; i < nc; i++)
			p[i] = -1;
		w->nr_pred = p;
		w->nr_cap = nc;
	}
	return &w->nr_pred[nid];
}

static void put_summary(struct sr_writer *w, const struct sr_summary *s)
{
	const double *d[4] = { &s->pct, &s->seconds, &s->min, &s->max };
	uint8_t mask = 0;

	put_u8(w, SRA_S_MISC, s->row);
	put_u8(w, SRA_S_MISC, s->ncols);
	put_bytes(w, SRA_S_MISC, s->col, SR_SUM_MAXCOLS);
	put_bytes(w, SRA_S_MISC, s->width, SR_SUM_MAXCOLS);
	put_uv(w, SRA_S_MISC, s->has);
	for (int i = 0; i < 4; i++)
		if (memcmp(d[i], &(double){ 0 }, sizeof(double)))
			mask |= (uint8_t)(1 << i);
	put_u8(w, SRA_S_MISC, mask | (s->has_errors ? 0x10 : 0));
	for (int i = 0; i < 4; i++)
		if (mask & (1 << i))
			put_bytes(w, SRA_S_MISC, d[i], sizeof(double));
	put_uv(w, SRA_S_MISC, s->usecs);
	put_uv(w, SRA_S_MISC, s->calls);
	put_uv(w, SRA_S_MISC, s->errors);
}

/* A string of an attachment: empty, a part of its text, or its own. */
static void put_att_part(struct sr_writer *w, const struct sr_attach *a, struct sr_str s,
			 uint32_t ctx)
{
	if (!s.len) {
		put_u8(w, SRA_S_MISC, 0);
	} else if (s.ptr >= a->text.ptr && s.ptr + s.len <= a->text.ptr + a->text.len) {
		put_u8(w, SRA_S_MISC, 1);
		put_uv(w, SRA_S_MISC, (uint64_t)(s.ptr - a->text.ptr));
		put_uv(w, SRA_S_MISC, s.len);
	} else {
		put_u8(w, SRA_S_MISC, 2);
		put_string(w, SRA_S_TXTDAT, ctx, s.ptr, s.len);
	}
}

static void put_attach(struct sr_writer *w, const struct sr_attach *a)
{
	put_u8(w, SRA_S_MISC, a->kind);
	put_uv(w, SRA_S_MISC, a->addr);
	put_uv(w, SRA_S_MISC, a->offset);
	put_string(w, SRA_S_TXTDAT, sra_ctx(a->kind, 0, SRA_CLS_TXT), a->text.ptr, a->text.len);
	put_att_part(w, a, a->module, sra_ctx(a->kind, 1, SRA_CLS_TXT));
	put_att_part(w, a, a->symbol, sra_ctx(a->kind, 2, SRA_CLS_TXT));
	put_uv(w, SRA_S_MISC, a->bytes.len);
	put_bytes(w, SRA_S_MISC, a->bytes.ptr, a->bytes.len);
}

static void put_lead_time(struct sr_writer *w, const struct sr_time *t, bool delta)
{
	uint64_t u;

	if (!time_present(t))
		return;
	if (!sra_time_units(t, &u)) {
		put_raw_time(w, SRA_S_TIME, t);
	} else if (delta) {
		put_sv(w, SRA_S_TIME, (int64_t)(u - w->prev_units[t->clock & 3]));
		w->prev_units[t->clock & 3] = u;
	} else {
		put_uv(w, SRA_S_TIME, u);
	}
}

static void put_event(struct sr_writer *w, const struct sr_event *ev)
{
	const struct sr_leader *l = &ev->lead;
	uint8_t desc[SRA_DESC_LEN];
	uint32_t pm = 0, nid = SRA_NO_NAME, pos;
	int32_t *pred = NULL, predicted = -1;
	uint64_t u, tu;

	make_desc(desc, ev);
	if (!w->have_desc || memcmp(desc, w->desc, SRA_DESC_LEN))
		pm |= SRA_P_LEAD;
	pm |= ev->name ? SRA_P_NAME : 0;
	pm |= ev->nargs ? SRA_P_ARGS : 0;
	pm |= ev->has_ret ? SRA_P_HASRET : 0;
	pm |= ev->ret ? SRA_P_RET : 0;
	pm |= ev->err ? SRA_P_ERR : 0;
	pm |= ev->errmsg.len ? SRA_P_ERRMSG : 0;
	pm |= ev->nnotes ? SRA_P_NOTES : 0;
	pm |= ev->unavail.len ? SRA_P_UNAVAIL : 0;
	pm |= ev->code ? SRA_P_CODE : 0;
	pm |= ev->text.len ? SRA_P_TEXT : 0;
	pm |= ev->sum ? SRA_P_SUM : 0;
	pm |= ev->natt ? SRA_P_ATT : 0;
	pm |= time_present(&ev->start) ? SRA_P_START : 0;
	pm |= ev->split ? SRA_P_SPLIT : 0;
	pm |= ev->pad ? SRA_P_PAD : 0;
	pm |= ev->padcol != sra_padcol(&w->scratch, ev) ? SRA_P_PADCOL : 0;
	pm |= ev->line != w->prev_line + 1 ? SRA_P_LINE : 0;
	pm |= l->pid != w->prev_pid ? SRA_P_PID : 0;

	/* the name first: it is the context of everything after it */
	if (ev->name) {
		nid = put_ident(w, SRA_S_NAME, ev->name->str, ev->name->len);
		pred = nr_slot(w, nid);
		if (pred)
			predicted = *pred;
	}
	pm |= ev->nr != predicted ? SRA_P_NR : 0;
	put_u8(w, SRA_S_EV, ev->kind);
	put_uv(w, SRA_S_EV, ev->flags);
	put_uv(w, SRA_S_EV, pm);

	if (pm & SRA_P_LEAD) {
		put_bytes(w, SRA_S_LEAD, desc, SRA_DESC_LEN);
		memcpy(w->desc, desc, SRA_DESC_LEN);
		w->have_desc = true;
	}
	if (pm & SRA_P_PID)
		put_pid(w, l->pid);
	w->prev_pid = l->pid;
	if (pm & SRA_P_NR)
		put_sv(w, SRA_S_MISC, (int64_t)ev->nr - predicted);
	if (pred)
		*pred = ev->nr;
	if (pm & SRA_P_LINE)
		put_sv(w, SRA_S_MISC, (int64_t)(ev->line - w->prev_line - 1));
	w->prev_line = ev->line;

	put_lead_time(w, &l->time, true);
	put_lead_time(w, &l->rel, false);
	if (l->has_nr || l->nr)
		put_sv(w, SRA_S_MISC, (int64_t)l->nr - ev->nr);
	if (l->has_ip || l->ip) { /* as SRA_LB_NRVAL, SRA_LB_IPVAL say */
		put_sv(w, SRA_S_HEX, (int64_t)(l->ip - w->prev_ip));
		w->prev_ip = l->ip;
	}
	if (l->comm.len)
		put_ident(w, SRA_S_IDENT, l->comm.ptr, l->comm.len);
	if (l->secontext.len)
		put_ident(w, SRA_S_IDENT, l->secontext.ptr, l->secontext.len);
	if (time_present(&ev->duration)) {
		if (sra_time_units(&ev->duration, &u))
			put_uv(w, SRA_S_DUR, u);
		else
			put_raw_time(w, SRA_S_DUR, &ev->duration);
	}
	if (pm & SRA_P_START) {
		const struct sr_time *s = &ev->start;

		put_u8(w, SRA_S_MISC, s->clock);
		put_u8(w, SRA_S_MISC, s->digits);
		put_u8(w, SRA_S_MISC, s->width);
		/* the start of a resumed call: a little before this line */
		if (sra_time_units(s, &u) && sra_time_units(&l->time, &tu) &&
		    s->digits == l->time.digits) {
			put_u8(w, SRA_S_MISC, 0);
			put_sv(w, SRA_S_TIME, (int64_t)(tu - u));
		} else {
			put_u8(w, SRA_S_MISC, 1);
			put_raw_time(w, SRA_S_MISC, s);
		}
	}
	if (pm & SRA_P_ARGS) {
		put_uv(w, SRA_S_SHAPE, ev->nargs);
		pos = 0;
		for (uint32_t i = 0; i < ev->nargs; i++)
			put_value(w, &ev->args[i], nid, &pos, l->pid, 0);
	}
	if (pm & SRA_P_RET) {
		pos = SRA_POS_RET;
		put_value(w, ev->ret, nid, &pos, l->pid, 0);
	}
	if (pm & SRA_P_ERR)
		put_ident(w, SRA_S_IDENT, ev->err->str, ev->err->len);
	if (pm & SRA_P_ERRMSG)
		put_ident(w, SRA_S_IDENT, ev->errmsg.ptr, ev->errmsg.len);
	if (pm & SRA_P_UNAVAIL)
		put_ident(w, SRA_S_IDENT, ev->unavail.ptr, ev->unavail.len);
	if (pm & SRA_P_NOTES) {
		put_uv(w, SRA_S_MISC, ev->nnotes);
		for (uint32_t i = 0; i < ev->nnotes; i++)
			put_ident(w, SRA_S_IDENT, ev->notes[i].ptr, ev->notes[i].len);
	}
	if (pm & SRA_P_CODE)
		put_sv(w, SRA_S_MISC, ev->code);
	if (pm & SRA_P_TEXT)
		put_string(w, SRA_S_TXTDAT, sra_ctx(ev->kind, 0, SRA_CLS_EV), ev->text.ptr,
			   ev->text.len);
	if (pm & SRA_P_SUM)
		put_summary(w, ev->sum);
	if (pm & SRA_P_ATT) {
		put_uv(w, SRA_S_MISC, ev->natt);
		for (uint32_t i = 0; i < ev->natt; i++)
			put_attach(w, &ev->att[i]);
	}
	if (pm & SRA_P_SPLIT)
		put_uv(w, SRA_S_MISC, ev->split);
	if (pm & SRA_P_PAD)
		put_uv(w, SRA_S_MISC, ev->pad);
	if (pm & SRA_P_PADCOL)
		put_uv(w, SRA_S_MISC, ev->padcol);
}

/* ---- blocks ---------------------------------------------------------------- */

static void block_reset(struct sr_writer *w)
{
	for (int i = 0; i < SRA_NSTREAMS; i++)
		w->s[i].len = 0;
	stab_clear(&w->strs);
	stab_clear(&w->ids);
	memset(w->sctx, 0, SRA_CTX_SIZE * sizeof(*w->sctx));
	memset(w->ictx, 0, SRA_CTX_SIZE * sizeof(*w->ictx));
	for (size_t i = 0; i < w->nr_cap; i++)
		w->nr_pred[i] = -1;
	w->npids = 0;
	w->last_lit_pid = 0;
	w->prev_pid = -1;
	memset(w->prev_units, 0, sizeof(w->prev_units));
	w->prev_line = 0;
	w->prev_ip = 0;
	w->have_desc = false;
	w->nev = 0;
}

static size_t uv_to(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

static void put_crc(uint8_t *p, size_t n)
{
	uint32_t c = (uint32_t)crc32(0, p, (uInt)n);

	p[n] = (uint8_t)c;
	p[n + 1] = (uint8_t)(c >> 8);
	p[n + 2] = (uint8_t)(c >> 16);
	p[n + 3] = (uint8_t)(c >> 24);
}

static enum sr_status flush_block(struct sr_writer *w, struct sr_error *err)
{
	uint8_t hdr[SRA_MAX_HEADER];
	size_t n = 0;
	uint32_t pay = (uint32_t)crc32(0, NULL, 0);

	if (w->oom)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot write archive: out of memory");
	if (!w->nev)
		return SR_OK;
	for (int i = 0; i < SRA_NSTREAMS; i++) {
		struct abuf *c = &w->comp[i];
		size_t bound = ZSTD_compressBound(w->s[i].len), r;

		c->len = 0;
		if (!w->s[i].len)
			continue;
		if (!grow(w, c, bound))
			return sr_error_set(err, SR_ERR_NOMEM,
					    "cannot write archive: out of memory");
		ZSTD_CCtx_refCDict(w->cc, w->cdict[i]); /* NULL: none */
		r = ZSTD_compress2(w->cc, c->p, c->cap, w->s[i].p, w->s[i].len);
		if (ZSTD_isError(r))
			return sr_error_set(err, SR_ERR_IO, "cannot compress archive: %s",
					    ZSTD_getErrorName(r));
		/* not shrunk (a few bytes of pids, one leader): stored as is */
		c->len = r < w->s[i].len ? r : 0;
		pay = (uint32_t)crc32(pay, c->len ? c->p : w->s[i].p,
				      (uInt)(c->len ? c->len : w->s[i].len));
	}
	hdr[n++] = SRA_TAG_BLOCK;
	n += uv_to(hdr + n, w->nev);
	n += uv_to(hdr + n, SRA_NSTREAMS);
	for (int i = 0; i < SRA_NSTREAMS; i++) {
		n += uv_to(hdr + n, w->s[i].len);
		n += uv_to(hdr + n, w->comp[i].len);
	}
	for (int k = 0; k < 4; k++)
		hdr[n++] = (uint8_t)(pay >> (8 * k));
	put_crc(hdr, n);
	sr_sink_write(w->out, hdr, n + 4);
	for (int i = 0; i < SRA_NSTREAMS; i++) {
		if (w->comp[i].len)
			sr_sink_write(w->out, w->comp[i].p, w->comp[i].len);
		else if (w->s[i].len)
			sr_sink_write(w->out, w->s[i].p, w->s[i].len);
	}
	w->total += w->nev;
	w->nblocks++;
	block_reset(w);
	return SR_OK;
}

static size_t block_bytes(const struct sr_writer *w)
{
	size_t n = 0;

	for (int i = 0; i < SRA_NSTREAMS; i++)
		n += w->s[i].len;
	return n;
}

/* ---- the writer class --------------------------------------------------------- */

static void archive_wclose(struct sr_writer *w)
{
	if (!w)
		return;
	for (int i = 0; i < SRA_NSTREAMS; i++) {
		free(w->s[i].p);
		free(w->comp[i].p);
	}
	stab_free(&w->strs);
	stab_free(&w->ids);
	free(w->sctx);
	free(w->ictx);
	free(w->nr_pred);
	ZSTD_freeCCtx(w->cc);
	for (int i = 0; i < SRA_NSTREAMS; i++)
		ZSTD_freeCDict(w->cdict[i]);
	sr_buf_free(&w->scratch);
	free(w);
}

/* A non-negative integer option, or def. */
static enum sr_status int_opt(const struct sr_opts *opts, const char *key, long def, long lo,
			      long hi, long *out, struct sr_error *err)
{
	const char *s = sr_opts_get(opts, key, NULL);
	char *end;
	long v;

	*out = def;
	if (!s)
		return SR_OK;
	v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return sr_error_set(err, SR_ERR_USAGE, "archive: -O %s=%s: not a number in %ld..%ld",
				    key, s, lo, hi);
	*out = v;
	return SR_OK;
}

static enum sr_status archive_wopen(struct sr_writer **out, struct sr_sink *sink,
				    const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_writer *w;
	enum sr_status st;
	long level, block, dict;
	uint8_t head[SRA_MAGIC_LEN + 2 + 4];
	size_t nhead = SRA_MAGIC_LEN + 2;

	*out = NULL;
	st = int_opt(opts, "level", DEFAULT_LEVEL, 1, ZSTD_maxCLevel(), &level, err);
	if (st == SR_OK)
		st = int_opt(opts, "block", DEFAULT_BLOCK_EVENTS, 1, 1l << 24, &block, err);
	if (st == SR_OK)
		st = int_opt(opts, "dict", 1, 0, 1, &dict, err);
	if (st)
		return st;
	w = calloc(1, sizeof(*w));
	if (!w)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open writer: out of memory");
	w->out = sink;
	w->level = (int)level;
	w->block_events = (size_t)block;
	w->dict = dict && sra_dict_set_id;
	w->sctx = calloc(SRA_CTX_SIZE, sizeof(*w->sctx));
	w->ictx = calloc(SRA_CTX_SIZE, sizeof(*w->ictx));
	w->cc = ZSTD_createCCtx();
	if (!w->sctx || !w->ictx || !w->cc) {
		archive_wclose(w);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open writer: out of memory");
	}
	ZSTD_CCtx_setParameter(w->cc, ZSTD_c_compressionLevel, w->level);
	/* lean frames: the block's payload CRC instead of magic and checksum;
	 * the header names the dictionary set once, not every frame */
	ZSTD_CCtx_setParameter(w->cc, ZSTD_c_format, ZSTD_f_zstd1_magicless);
	ZSTD_CCtx_setParameter(w->cc, ZSTD_c_checksumFlag, 0);
	ZSTD_CCtx_setParameter(w->cc, ZSTD_c_dictIDFlag, 0);
	for (int i = 0; w->dict && i < SRA_NSTREAMS; i++) {
		if (!sra_dicts[i].n)
			continue;
		w->cdict[i] = ZSTD_createCDict(sra_dicts[i].p, sra_dicts[i].n, w->level);
		if (!w->cdict[i]) {
			archive_wclose(w);
			return sr_error_set(err, SR_ERR_NOMEM, "cannot open writer: out of memory");
		}
	}
	block_reset(w);
	memcpy(head, SRA_MAGIC, SRA_MAGIC_LEN);
	head[SRA_MAGIC_LEN] = SRA_VERSION;
	head[SRA_MAGIC_LEN + 1] = SRA_F_LEAN | (w->dict ? SRA_F_DICT : 0);
	if (w->dict) {
		for (int k = 0; k < 4; k++)
			head[nhead++] = (uint8_t)(sra_dict_set_id >> (8 * k));
	}
	sr_sink_write(sink, head, nhead);
	*out = w;
	return SR_OK;
}

static enum sr_status archive_write(struct sr_writer *w, const struct sr_batch *b,
				    struct sr_error *err)
{
	for (size_t i = 0; i < b->n; i++) {
		put_event(w, &b->ev[i]);
		w->nev++;
		if (w->nev >= w->block_events || block_bytes(w) >= BLOCK_BYTES) {
			enum sr_status st = flush_block(w, err);

			if (st)
				return st;
		}
	}
	if (w->oom)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot write archive: out of memory");
	if (w->too_deep)
		return sr_error_set(err, SR_ERR_UNSUPPORTED,
				    "cannot write archive: a value nests deeper than %d levels",
				    SRA_MAX_DEPTH);
	return SR_OK;
}

static enum sr_status archive_finish(struct sr_writer *w, struct sr_error *err)
{
	uint8_t end[1 + 20 + 4];
	size_t n = 0;
	enum sr_status st = flush_block(w, err);

	if (st)
		return st;
	/* the end mark: a file cut at a block boundary is still seen as cut */
	end[n++] = SRA_TAG_END;
	n += uv_to(end + n, w->total);
	n += uv_to(end + n, w->nblocks);
	put_crc(end, n);
	sr_sink_write(w->out, end, n + 4);
	return SR_OK;
}

static const struct sr_optdesc sr_out_archive_keys[] = {
	{ "level", "the zstd level of the column streams, 1-22 (default 17)" },
	{ "dict", "1 (default): compress with the shipped dictionaries (small traces); 0: without" },
	{ "block", "events per block (default 131072)" },
	{ NULL, NULL },
};

const struct sr_writer_class sr_out_archive = {
	.name = "archive",
	.ext = ".sra",
	.summary = "compact lossless archive: columns + zstd, back to byte-identical strace "
		   "(-O level=1..22, -O block=EVENTS)",
	.open = archive_wopen,
	.write = archive_write,
	.finish = archive_finish,
	.close = archive_wclose,
	.opt_keys = sr_out_archive_keys,
};
