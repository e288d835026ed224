/*
 * wire.h - what the Protocol Buffers and MessagePack formats share
 * (docs/pb-msgpack.md): the per-stream string table, the canonical INT
 * spelling (omitted on the wire when the text is the canonical one), the
 * header's detected strace options, and varints.  All static inline: the
 * walk and builder (core/wire_walk.c, core/wire_build.c) and the four
 * format files are the only users.
 */
#ifndef SR_WIRE_H
#define SR_WIRE_H

#include <stdlib.h>
#include <string.h>

#include "sysrep.h"

#define SR_WIRE_SCHEMA 1
/* Value trees deeper than this are refused by the readers (the strace
 * parser stops at 64). */
#define SR_WIRE_MAX_DEPTH 200

/* ------------------------------------------------------------------ */
/* The writer's string table                                           */

/* Strings outside these bounds are written inline: a short one costs no
 * more inline than as a reference, and long ones rarely repeat. */
#define SR_WST_MIN 2
#define SR_WST_MAX 128
/* The table stops growing here; later strings are written inline. */
#define SR_WST_MAX_ENTRIES (1u << 22)

#define SR_WST_ATOM_CACHE 256
#define SR_WST_RECENT 4096

struct sr_wst {
	struct sr_intern *t;  /* owned: entry i is the atom with id i */
	uint32_t mark;        /* entries before it were already sent */
	/* the run's atoms (event names, errnos) skip the hashing: direct-mapped
	 * by atom id, checked by pointer */
	struct {
		const struct sr_atom *atom; /* borrowed */
		uint32_t ref;
	} cache[SR_WST_ATOM_CACHE];
	/* entries seen lately, by a hash of a few words of their bytes: the
	 * table's own hash reads every byte, and most strings repeat */
	const struct sr_atom *recent[SR_WST_RECENT]; /* borrowed from t */
};

static inline bool sr_wst_init(struct sr_wst *w)
{
	memset(w, 0, sizeof(*w));
	w->t = sr_intern_new();
	return w->t != NULL;
}

static inline void sr_wst_free(struct sr_wst *w)
{
	sr_intern_free(w->t);
	w->t = NULL;
}

/* 1 + the table index of s, adding it (to be sent with the current
 * message); 0 when s is to be written inline. */
static inline uint64_t sr_wst_word(const char *s)
{
	uint64_t v;

	memcpy(&v, s, sizeof(v));
	return v;
}

/* A hash of the length and at most 24 bytes: enough to tell apart the
 * strings of one trace most of the time; a collision only costs a miss. */
static inline unsigned int sr_wst_quick(const char *s, size_t n)
{
	uint64_t h = n * 0x9e3779b97f4a7c15u;

	if (n >= 8) {
		h ^= sr_wst_word(s) * 0xff51afd7ed558ccdu;
		h ^= sr_wst_word(s + n / 2 - 4) * 0xc4ceb9fe1a85ec53u;
		h ^= sr_wst_word(s + n - 8);
	} else {
		size_t i;

		for (i = 0; i < n; i++)
			h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
	}
	h ^= h >> 29;
	return (unsigned int)(h % SR_WST_RECENT);
}

static inline uint32_t sr_wst_ref(struct sr_wst *w, const char *s, size_t n)
{
	const struct sr_atom *a;
	unsigned int q;

	if (n < SR_WST_MIN || n > SR_WST_MAX)
		return 0;
	q = sr_wst_quick(s, n);
	a = w->recent[q];
	if (a && a->len == n && memcmp(a->str, s, n) == 0)
		return a->id + 1;
	if (sr_intern_count(w->t) >= SR_WST_MAX_ENTRIES) {
		a = sr_intern_find(w->t, s, n);
		return a ? a->id + 1 : 0;
	}
	a = sr_intern(w->t, s, n);
	if (!a)
		return 0;
	w->recent[q] = a;
	return a->id + 1;
}

/* sr_wst_ref() of an atom of the run's table, cached. */
static inline uint32_t sr_wst_atom(struct sr_wst *w, const struct sr_atom *a)
{
	unsigned int i = a->id % SR_WST_ATOM_CACHE;

	if (w->cache[i].atom != a) {
		w->cache[i].atom = a;
		w->cache[i].ref = sr_wst_ref(w, a->str, a->len);
	}
	return w->cache[i].ref;
}

/* The entries added since the last call: [*first, count). */
static inline uint32_t sr_wst_take(struct sr_wst *w, uint32_t *first)
{
	uint32_t n = (uint32_t)sr_intern_count(w->t);

	*first = w->mark;
	w->mark = n;
	return n - *first;
}

/* ------------------------------------------------------------------ */
/* The reader's string table                                           */

#define SR_RST_MAX_ENTRIES (1u << 24)

struct sr_rst {
	struct sr_arena *mem;          /* owned: the strings, never reset */
	struct sr_str *v;              /* owned */
	const struct sr_atom **atoms;  /* owned: entry i interned in the run's table, lazily */
	size_t n, cap;
};

static inline void sr_rst_free(struct sr_rst *r)
{
	sr_arena_free(r->mem);
	free(r->v);
	free(r->atoms);
	memset(r, 0, sizeof(*r));
}

/* false when out of memory or the table is full */
static inline bool sr_rst_add(struct sr_rst *r, const void *s, size_t n)
{
	char *p;

	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 256;
		struct sr_str *v;
		const struct sr_atom **a;

		if (nc > SR_RST_MAX_ENTRIES)
			return false;
		v = realloc(r->v, nc * sizeof(*v));
		if (!v)
			return false;
		r->v = v;
		a = realloc(r->atoms, nc * sizeof(*a));
		if (!a)
			return false;
		r->atoms = a;
		r->cap = nc;
	}
	if (!r->mem && !(r->mem = sr_arena_new(0)))
		return false;
	p = sr_arena_memdup(r->mem, s, n);
	if (!p)
		return false;
	r->v[r->n] = (struct sr_str){ p, n };
	r->atoms[r->n] = NULL;
	r->n++;
	return true;
}

/* Entry ref - 1; false when ref names no entry. */
static inline bool sr_rst_get(const struct sr_rst *r, uint64_t ref, struct sr_str *out)
{
	if (ref == 0 || ref > r->n)
		return false;
	*out = r->v[ref - 1];
	return true;
}

/* Entry ref - 1 as an atom of the run's table; NULL when ref names no entry
 * (*nomem tells out of memory apart). */
static inline const struct sr_atom *sr_rst_atom(struct sr_rst *r, struct sr_intern *atoms,
						uint64_t ref, bool *nomem)
{
	const struct sr_atom *a;

	*nomem = false;
	if (ref == 0 || ref > r->n)
		return NULL;
	a = r->atoms[ref - 1];
	if (!a) {
		a = sr_intern(atoms, r->v[ref - 1].ptr, r->v[ref - 1].len);
		if (!a)
			*nomem = true;
		/* cached per entry: the run's table outlives the stream */
		r->atoms[ref - 1] = a;
	}
	return a;
}

/* ------------------------------------------------------------------ */
/* Syscall numbers from the table (Header.numbers_from_arch)           */

#define SR_NR_MEMO 512

/* Direct-mapped by atom id, checked by pointer: one binary search per
 * name and slot rather than per event. */
struct sr_nr_memo {
	const struct sr_atom *atom; /* borrowed */
	int32_t nr;
};

static inline int32_t sr_wire_table_nr(struct sr_nr_memo *memo, enum sr_arch arch,
				       const struct sr_atom *a)
{
	struct sr_nr_memo *m = &memo[a->id % SR_NR_MEMO];

	if (m->atom != a) {
		m->atom = a;
		m->nr = sr_syscall_nr(arch, a->str, a->len);
	}
	return m->nr;
}

/* ------------------------------------------------------------------ */
/* INT spellings                                                       */

/* True when v's text is its canonical spelling (then the wire omits it). */
static inline bool sr_int_canonical(const struct sr_value *v)
{
	char tmp[SR_INT_SPELL_MAX];
	size_t n;

	if (!v->text.len)
		return false;
	n = sr_int_spell(tmp, v);
	return n == v->text.len && memcmp(tmp, v->text.ptr, n) == 0;
}

/* Gives v its canonical spelling in arena memory; false when out of memory. */
static inline bool sr_int_respell(struct sr_arena *a, struct sr_value *v)
{
	char *d = sr_arena_alloc(a, SR_INT_SPELL_MAX);

	if (!d)
		return false;
	v->text = (struct sr_str){ d, sr_int_spell(d, v) };
	return true;
}

/* ------------------------------------------------------------------ */
/* The header: strace options seen in the first batch                  */

struct sr_wire_hdr {
	uint8_t pid_form;       /* enum sr_pidform */
	uint8_t time_clock;     /* enum sr_clock of lead.time */
	uint8_t time_digits;
	uint8_t rel_digits, rel_width;
	uint8_t dur_digits;
	bool durations, numbers, ips, fds, relative;
	const char *opts[10];   /* static strings: "-f", "-tt", ... */
	size_t nopts;
};

static inline bool sr_wire_has_fd(const struct sr_value *v, int depth)
{
	uint32_t i;

	if (v->kind == SR_V_FD)
		return true;
	if (depth > 8)
		return false;
	for (i = 0; i < v->nkids; i++)
		if (sr_wire_has_fd(&v->kids[i], depth + 1))
			return true;
	return false;
}

/* Fills h from the first events that show each option (b may be NULL). */
static inline void sr_wire_detect(struct sr_wire_hdr *h, const struct sr_batch *b)
{
	bool seen_lead = false, seen_time = false, seen_rel = false, seen_dur = false;
	size_t i;
	uint32_t k;

	memset(h, 0, sizeof(*h));
	for (i = 0; b && i < b->n; i++) {
		const struct sr_event *ev = &b->ev[i];
		const struct sr_leader *l = &ev->lead;

		if (ev->kind == SR_E_UNPARSED || ev->kind == SR_E_SUMMARY ||
		    ev->kind == SR_E_MESSAGE || (ev->flags & (SR_EF_VERBATIM | SR_EF_BARE_RESUME)))
			continue;
		if (!seen_lead) {
			seen_lead = true;
			h->pid_form = l->pid_form;
			h->numbers = l->has_nr;
			h->ips = l->has_ip;
		}
		if (!seen_time && l->time.clock) {
			seen_time = true;
			h->time_clock = l->time.clock;
			h->time_digits = l->time.digits;
		}
		if (!seen_rel && l->rel.clock) {
			seen_rel = true;
			h->relative = true;
			h->rel_digits = l->rel.digits;
			h->rel_width = l->rel.width;
		}
		if (!seen_dur && ev->duration.clock) {
			seen_dur = true;
			h->durations = true;
			h->dur_digits = ev->duration.digits;
		}
		for (k = 0; !h->fds && k < ev->nargs; k++)
			h->fds = sr_wire_has_fd(&ev->args[k], 0);
		if (!h->fds && ev->ret)
			h->fds = sr_wire_has_fd(ev->ret, 0);
	}
	if (h->pid_form != SR_PID_NONE)
		h->opts[h->nopts++] = "-f";
	if (h->time_clock == SR_CLOCK_TOD)
		h->opts[h->nopts++] = h->time_digits ? "-tt" : "-t";
	else if (h->time_clock == SR_CLOCK_EPOCH)
		h->opts[h->nopts++] = "-ttt";
	if (h->relative)
		h->opts[h->nopts++] = "-r";
	if (h->durations)
		h->opts[h->nopts++] = "-T";
	if (h->numbers)
		h->opts[h->nopts++] = "-n";
	if (h->ips)
		h->opts[h->nopts++] = "-i";
	if (h->fds)
		h->opts[h->nopts++] = "-y";
	if ((h->time_clock && h->time_digits == 9) || (h->durations && h->dur_digits == 9))
		h->opts[h->nopts++] = "--timestamps=precision:ns";
}

/* The defaults of a time field, by slot. */
enum sr_wire_tslot { SR_TS_TIME, SR_TS_REL, SR_TS_DUR };

static inline struct sr_time sr_wire_tdefault(const struct sr_wire_hdr *h, enum sr_wire_tslot s)
{
	struct sr_time t = { 0 };

	switch (s) {
	case SR_TS_TIME:
		t.clock = h->time_clock;
		t.digits = h->time_digits;
		break;
	case SR_TS_REL:
		t.clock = SR_CLOCK_REL;
		t.digits = h->rel_digits;
		t.width = h->rel_width;
		break;
	case SR_TS_DUR:
		t.clock = SR_CLOCK_REL;
		t.digits = h->dur_digits;
		break;
	}
	return t;
}

/* ------------------------------------------------------------------ */
/* Varints                                                             */

#define SR_VARINT_MAX 10

static inline size_t sr_varint_put(char *d, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		d[n++] = (char)(v | 0x80);
		v >>= 7;
	}
	d[n++] = (char)v;
	return n;
}

/* Reads a varint from p[0..n): its length, 0 when cut short, -1 when
 * longer than 10 bytes. */
static inline int sr_varint_get(const unsigned char *p, size_t n, uint64_t *v)
{
	uint64_t r = 0;
	size_t i;

	for (i = 0; i < n && i < SR_VARINT_MAX; i++) {
		r |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			*v = r;
			return (int)i + 1;
		}
	}
	return i == SR_VARINT_MAX ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* FLAGS of bare words as one table entry "A|B|C"                       */

/* The writers' side: the table reference of v's words joined by '|' (the
 * same few combinations recur in every trace); 0 when v is not such a
 * FLAGS (a word with a name, flags, kids, a '|' or too long). */
static inline uint32_t sr_wire_flags_ref(struct sr_wst *strs, const struct sr_value *v)
{
	char tmp[SR_WST_MAX];
	size_t n = 0;
	uint32_t i;

	for (i = 0; i < v->nkids; i++) {
		const struct sr_value *k = &v->kids[i];

		if (k->kind != SR_V_IDENT || k->name.len || k->flags || k->nkids || !k->text.len ||
		    memchr(k->text.ptr, '|', k->text.len) || n + k->text.len + 1 > sizeof(tmp))
			return 0;
		if (i)
			tmp[n++] = '|';
		memcpy(tmp + n, k->text.ptr, k->text.len);
		n += k->text.len;
	}
	return v->nkids ? sr_wst_ref(strs, tmp, n) : 0;
}

/* The readers' side: v's kids become the IDENT words of s split at '|',
 * in arena a (texts borrowed from s).  False when out of memory. */
static inline bool sr_wire_split_flags(struct sr_arena *a, struct sr_str s, struct sr_value *v)
{
	const char *p, *end = s.ptr + s.len, *bar;
	uint32_t n = 1, i;

	for (p = s.ptr; (bar = memchr(p, '|', (size_t)(end - p))); p = bar + 1)
		n++;
	v->kids = sr_arena_alloc(a, n * sizeof(*v->kids));
	if (!v->kids)
		return false;
	memset(v->kids, 0, n * sizeof(*v->kids));
	for (p = s.ptr, i = 0; i < n; i++) {
		bar = memchr(p, '|', (size_t)(end - p));
		if (!bar)
			bar = end;
		v->kids[i].kind = SR_V_IDENT;
		v->kids[i].text = (struct sr_str){ p, (size_t)(bar - p) };
		p = bar + 1;
	}
	v->nkids = n;
	return true;
}

#endif /* SR_WIRE_H */
