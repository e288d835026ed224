/*
 * in_scap.c - the reader of sysdig / Falco captures (.scap), read natively
 * from the documented block format (no libscap: Debian's cannot open every
 * capture version, and its dependencies are heavy).
 *
 * Blocks: a section header (SHB, 0x0A0D0D0A, with the byte-order magic
 * 0x1A2B3C4D), then metadata (machine info, process list PL_V1..V9, fd list
 * FDL/FDL_V2, user and interface lists), then event blocks: EV (0x204, old
 * header without nparams: the count is derived from the lengths), EV_V2,
 * EVF / EVF_V2 (with 32 flag bits) and their LARGE variants.  Unknown block
 * types are skipped, as libscap does.  Metadata is used for names: a
 * thread's command (lead.comm) and thread group, and an fd's target.
 *
 * Events map onto the strace-shaped model the way strace prints them: the
 * enter (">") and exit ("<") events of one thread are one SYSCALL event when
 * nothing else happens between them; when another event comes between, the
 * enter leaves an UNFINISHED marker where it was and the exit brings the
 * whole call as a SYSCALL with SR_EF_RESUMED, like "<... read resumed>".  An
 * exit without its enter is a SYSCALL with SR_EF_ORPHAN.  The arguments are
 * the enter's parameters then the exit's, named as in the event table (a
 * parameter the exit repeats is kept once, the return value is the exit's
 * "res" or "fd").  Other events: procexit becomes EXIT or KILLED,
 * signaldeliver SIGNAL, the rest MESSAGE ("switch next=12 ..."); a type the
 * table lacks is a SYSCALL named "scap_<type>" with its parameters as bytes.
 *
 * Conventions (also in the README of the format):
 *  - lead.pid is the thread id (strace's "[pid N]" is a tid too); the
 *    thread group id, when it differs, is the note "tgid N".
 *  - ev->line is the 1-based number of the event record in the capture
 *    (sysdig's evt.num), the enter's for a merged call; counted lines
 *    (b->lines) are one per event, so lines == events + attached holds.
 *  - times are epoch nanoseconds (lead.time, 9 digits); duration = exit -
 *    enter.  A plain call is timed at its enter, a resumed one at its exit
 *    with the enter time in ev->start.
 *  - pcapng comments on event blocks become SR_A_TEXT attachments; options
 *    of the section header become MESSAGE events (line 0).
 *
 * State that outlives a batch: the thread and fd tables (names are interned
 * atoms, so events can point at them) and the pending enter events, whose
 * bytes are copied (a thread is in one call at a time: bounded by threads).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scap_internal.h"
#include "strace_internal.h"

#define CHUNK (1u << 20)
#define BATCH_EVENTS 4096
#define BATCH_BYTES (8u << 20)
#define MAX_BLOCK (1u << 30)

enum {
	B_SHB = 0x0A0D0D0A,
	B_MI = 0x201,
	B_MI_INT = 0x8002ABCD,
	B_PL_V1 = 0x202,
	B_PL_V1_INT = 0x8000ABCD,
	B_PL_V2 = 0x207,
	B_PL_V2_INT = 0x8013ABCD,
	B_PL_V3 = 0x209,
	B_PL_V3_INT = 0x8014ABCD,
	B_PL_V4 = 0x210,
	B_PL_V5 = 0x211,
	B_PL_V6 = 0x212,
	B_PL_V7 = 0x213,
	B_PL_V8 = 0x214,
	B_PL_V9 = 0x215,
	B_FDL = 0x203,
	B_FDL_INT = 0x8001ABCD,
	B_FDL_V2 = 0x218,
	B_EV = 0x204,
	B_EV_INT = 0x8010ABCD,
	B_EV_V2 = 0x216,
	B_EV_V2_LARGE = 0x221,
	B_EVF = 0x208,
	B_EVF_V2 = 0x217,
	B_EVF_V2_LARGE = 0x222,
};

#define SHB_MAGIC 0x1A2B3C4Du

/* One event record, parsed; pointers into the block (or a copy of it). */
struct rawev {
	uint64_t ts, tid, line, off;
	uint16_t type;
	uint32_t nparams, lsize;
	const uint8_t *lens, *data, *end; /* data..end: the parameter bytes */
	const uint8_t *opt, *opt_end;	  /* pcapng options after the event */
	bool raw;			  /* lengths unknown: one raw parameter */
};

/* Threads and fds by (a, b); open addressing with tombstones. */
struct slot {
	int64_t a, b;
	uint8_t state; /* 0 empty, 1 used, 2 deleted */
	int64_t x;		     /* thread: tgid; pend: index */
	const struct sr_atom *atom;  /* thread: comm; fd: target */
};

struct kmap {
	struct slot *s; /* owned */
	size_t cap, used, tomb;
};

struct pend {
	uint8_t *raw; /* owned: the enter's block body */
	size_t len, cap;
	uint64_t tid, line, off;
	bool used, marked; /* marked: its UNFINISHED marker was emitted */
};

struct sr_reader {
	struct sr_source *in; /* borrowed */
	uint8_t *buf;	      /* owned: decoded input, buf[pos..len) unread */
	size_t len, cap, pos;
	uint64_t base; /* file offset of buf[0] */
	bool eof, started;
	struct sr_scap_dec dec;
	enum sr_arch arch;
	uint64_t nev; /* event records read */
	struct kmap thr, fds, pmap;
	struct pend *pend; /* owned */
	size_t npend, cappend;
	struct pend *held; /* an enter whose next event decides its shape */
	struct sr_buf scratch;
};

/* ------------------------------------------------------------------ */
/* Tables                                                              */

static size_t khash(int64_t a, int64_t b, size_t cap)
{
	uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15u ^ (uint64_t)b * 0xC2B2AE3D27D4EB4Fu;

	return (size_t)(h ^ h >> 29) & (cap - 1);
}

static struct slot *kfind(const struct kmap *m, int64_t a, int64_t b)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = khash(a, b, m->cap);; i = (i + 1) & (m->cap - 1)) {
		struct slot *s = &m->s[i];

		if (s->state == 0)
			return NULL;
		if (s->state == 1 && s->a == a && s->b == b)
			return s;
	}
}

static struct slot *kput(struct kmap *m, int64_t a, int64_t b)
{
	struct slot *s = kfind(m, a, b);
	size_t i;

	if (s)
		return s;
	if ((m->used + m->tomb + 1) * 4 > m->cap * 3) {
		struct kmap n = { .cap = m->cap ? m->cap * (m->used * 2 > m->cap ? 2 : 1) : 64 };

		n.s = calloc(n.cap, sizeof(*n.s));
		if (!n.s)
			return NULL;
		for (i = 0; i < m->cap; i++) {
			struct slot *o = &m->s[i], *t;

			if (o->state != 1)
				continue;
			for (t = &n.s[khash(o->a, o->b, n.cap)]; t->state;)
				t = &n.s[(size_t)(t - n.s + 1) & (n.cap - 1)];
			*t = *o;
			n.used++;
		}
		free(m->s);
		*m = n;
	}
	for (i = khash(a, b, m->cap); m->s[i].state == 1; i = (i + 1) & (m->cap - 1))
		;
	s = &m->s[i];
	if (s->state == 2)
		m->tomb--;
	*s = (struct slot){ .a = a, .b = b, .state = 1 };
	m->used++;
	return s;
}

static void kdel(struct kmap *m, int64_t a, int64_t b)
{
	struct slot *s = kfind(m, a, b);

	if (s) {
		s->state = 2;
		m->used--;
		m->tomb++;
	}
}

static int64_t tgid_of(const struct sr_reader *r, int64_t tid)
{
	const struct slot *s = kfind(&r->thr, tid, 0);

	return s && s->x > 0 ? s->x : tid;
}

static bool set_thread(struct sr_reader *r, struct sr_batch *b, int64_t tid, int64_t pid,
		       const uint8_t *comm, size_t n)
{
	struct slot *s = kput(&r->thr, tid, 0);

	if (!s)
		return false;
	if (pid > 0)
		s->x = pid;
	if (comm) {
		const uint8_t *z = memchr(comm, '\0', n);

		s->atom = sr_intern(b->atoms, (const char *)comm, z ? (size_t)(z - comm) : n);
		if (!s->atom)
			return false;
	}
	return true;
}

static bool set_fd(struct sr_reader *r, struct sr_batch *b, int64_t pid, int64_t fd,
		   const char *path, size_t n)
{
	struct slot *s;

	if (n == 0) {
		kdel(&r->fds, pid, fd);
		return true;
	}
	s = kput(&r->fds, pid, fd);
	if (!s)
		return false;
	s->atom = sr_intern(b->atoms, path, n);
	return s->atom != NULL;
}

/* ------------------------------------------------------------------ */
/* Errors and input                                                    */

static enum sr_status bad(struct sr_error *err, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum sr_status bad(struct sr_error *err, uint64_t off, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return sr_error_set(err, SR_ERR_PARSE, "cannot read scap capture: at byte %llu: expected %s",
			    (unsigned long long)off, what);
}

static enum sr_status nomem(struct sr_error *err)
{
	return sr_error_set(err, SR_ERR_NOMEM, "cannot read scap capture: out of memory");
}

/* Makes buf[pos..pos+n) available, reading (and moving the buffer) as
 * needed; *have is less than n only at the end of the input. */
static enum sr_status need(struct sr_reader *r, size_t n, size_t *have, struct sr_error *err)
{
	while (r->len - r->pos < n && !r->eof) {
		size_t got;
		enum sr_status st;

		if (r->pos) {
			memmove(r->buf, r->buf + r->pos, r->len - r->pos);
			r->len -= r->pos;
			r->base += r->pos;
			r->pos = 0;
		}
		if (r->cap - r->len < CHUNK && r->cap < n + CHUNK) {
			size_t nc = r->cap * 2 > n + CHUNK ? r->cap * 2 : n + CHUNK;
			uint8_t *p = realloc(r->buf, nc);

			if (!p)
				return nomem(err);
			r->buf = p;
			r->cap = nc;
		}
		st = sr_source_read(r->in, r->buf + r->len, r->cap - r->len, &got, err);
		if (st < 0)
			return st;
		if (got == 0)
			r->eof = true;
		r->len += got;
	}
	*have = r->len - r->pos < n ? r->len - r->pos : n;
	return SR_OK;
}

/* ------------------------------------------------------------------ */
/* Metadata blocks                                                     */

/* A 16-bit length and that many bytes; NULL when it does not fit. */
static const uint8_t *lstr(const struct sr_reader *r, const uint8_t **p, const uint8_t *end,
			   size_t *n)
{
	const uint8_t *s;

	if (end - *p < 2)
		return NULL;
	*n = sr_scap_u16(&r->dec, *p);
	s = *p + 2;
	if ((size_t)(end - s) < *n)
		return NULL;
	*p = s + *n;
	return s;
}

/* Process list: tid, pid and comm of every thread.  Entries before V9 have
 * no length of their own, so every field up to the last one of the version
 * is walked; V9 entries start with their length. */
static enum sr_status read_proclist(struct sr_reader *r, struct sr_batch *b, uint32_t type,
				    const uint8_t *p, const uint8_t *end, uint64_t off,
				    struct sr_error *err)
{
	const uint8_t *start = p;
	int v;

	switch (type) {
	case B_PL_V1: case B_PL_V1_INT: v = 1; break;
	case B_PL_V2: case B_PL_V2_INT: v = 2; break;
	case B_PL_V3: case B_PL_V3_INT: v = 3; break;
	default: v = (int)(type - B_PL_V4) + 4; break;
	}
	while (end - p >= 4) {
		const uint8_t *e = end, *comm, *s;
		uint64_t tid, pid;
		size_t n, cn;
		int k;

		if (v == 9) {
			uint32_t sub = sr_scap_u32(&r->dec, p);

			if (sub < 4 || sub > (size_t)(end - p))
				return bad(err, off + (uint64_t)(p - start),
					   "a process entry length within the block, found %u", sub);
			e = p + sub;
			p += 4;
		}
		if (e - p < 24)
			goto cut;
		tid = sr_scap_u64(&r->dec, p);
		pid = sr_scap_u64(&r->dec, p + 8);
		p += 24;
		if (v >= 6)
			p += 8; /* sid */
		if (v >= 8)
			p += 8; /* vpgid */
		if (p > e || !(comm = lstr(r, &p, e, &cn)))
			goto cut;
		if (!set_thread(r, b, (int64_t)tid, (int64_t)pid, comm, cn))
			return nomem(err);
		if (v == 9) {
			p = e;
			continue;
		}
		/* exe, [exepath], args, cwd */
		for (k = 0; k < (v >= 7 ? 4 : 3); k++)
			if (!lstr(r, &p, e, &n))
				goto cut;
		p += 8 + 4 + 4 + 4; /* fdlimit, flags, uid, gid */
		if (v >= 2)
			p += 4 + 4 + 4 + 8 + 8; /* vm sizes, page faults */
		if (p > e)
			goto cut;
		if (v >= 3 && !lstr(r, &p, e, &n)) /* env */
			goto cut;
		if (v >= 4) {
			p += 16; /* vtid, vpid */
			if (p > e || !lstr(r, &p, e, &n)) /* cgroups */
				goto cut;
		}
		if (v >= 5 && !(s = lstr(r, &p, e, &n))) /* root */
			goto cut;
	}
	return SR_OK;
cut:
	return bad(err, off + (uint64_t)(p - start), "a whole process entry in the block");
}

/* Fd list: the target of every fd of one process, as sysdig names it. */
static enum sr_status read_fdlist(struct sr_reader *r, struct sr_batch *b, uint32_t type,
				  const uint8_t *p, const uint8_t *end, uint64_t off,
				  struct sr_error *err)
{
	const uint8_t *start = p;
	int64_t pid;

	if (end - p < 8)
		return bad(err, off, "the process id of an fd list");
	pid = (int64_t)sr_scap_u64(&r->dec, p);
	p += 8;
	while (end - p >= 4) {
		const uint8_t *e = end, *s = NULL;
		size_t n = 0;
		int64_t fd;
		uint8_t ft;
		char addr[128];

		if (type == B_FDL_V2) {
			uint32_t sub = sr_scap_u32(&r->dec, p);

			if (sub < 21 || sub > (size_t)(end - p))
				return bad(err, off + (uint64_t)(p - start),
					   "an fd entry length within the block, found %u", sub);
			e = p + sub;
			p += 4;
		}
		if (e - p < 17)
			goto cut;
		fd = (int64_t)sr_scap_u64(&r->dec, p);
		ft = p[16];
		p += 17;
		switch (ft) {
		case 3: /* IPv4 socket: sip dip sport dport proto */
		case 4: /* IPv6 */
		{
			uint32_t al = ft == 3 ? 4 : 16;
			uint8_t t[40];

			if ((size_t)(e - p) < 2 * al + 5)
				goto cut;
			t[0] = ft == 3 ? 2 : 10;
			memcpy(t + 1, p, al);
			memcpy(t + 1 + al, p + 2 * al, 2);
			memcpy(t + 3 + al, p + al, al);
			memcpy(t + 3 + 2 * al, p + 2 * al + 2, 2);
			n = sr_scap_addr_text(&r->dec, t, 5 + 2 * al, true, addr, sizeof(addr));
			s = (const uint8_t *)addr;
			p += 2 * al + 5;
			break;
		}
		case 5: /* IPv4 server socket: ip port proto */
		case 6: {
			uint32_t al = ft == 5 ? 4 : 16;
			uint8_t t[24];

			if ((size_t)(e - p) < al + 3)
				goto cut;
			t[0] = ft == 5 ? 2 : 10;
			memcpy(t + 1, p, al);
			memcpy(t + 1 + al, p + al, 2);
			n = sr_scap_addr_text(&r->dec, t, 3 + al, false, addr, sizeof(addr));
			s = (const uint8_t *)addr;
			p += al + 3;
			break;
		}
		case 8: /* unix socket: source, destination, path */
			p += 16;
			if (p > e || !(s = lstr(r, &p, e, &n)))
				goto cut;
			break;
		case 16: /* file with open flags */
			p += 4;
			if (p > e || !(s = lstr(r, &p, e, &n)))
				goto cut;
			break;
		case 0:
			break;
		default:
			if (!(s = lstr(r, &p, e, &n)))
				goto cut;
			break;
		}
		if (s && n && !set_fd(r, b, pid, fd, (const char *)s, n))
			return nomem(err);
		if (type == B_FDL_V2)
			p = e; /* fields a newer writer added */
		else if (ft > 21)
			break; /* unknown type, unknown size: the rest is unreadable */
	}
	return SR_OK;
cut:
	return bad(err, off + (uint64_t)(p - start), "a whole fd entry in the block");
}

/* ------------------------------------------------------------------ */
/* Events                                                              */

static bool is_event_block(uint32_t t)
{
	return t == B_EV || t == B_EV_INT || t == B_EV_V2 || t == B_EV_V2_LARGE || t == B_EVF ||
	       t == B_EVF_V2 || t == B_EVF_V2_LARGE;
}

/* Parses an event block body (after the block header, before the
 * trailer).  off: the file offset of body[0], for errors. */
static enum sr_status parse_event(const struct sr_reader *r, uint32_t btype, const uint8_t *body,
				  size_t blen, uint64_t off, struct rawev *ev, struct sr_error *err)
{
	bool v2 = btype == B_EV_V2 || btype == B_EV_V2_LARGE || btype == B_EVF_V2 ||
		  btype == B_EVF_V2_LARGE;
	bool fl = btype == B_EVF || btype == B_EVF_V2 || btype == B_EVF_V2_LARGE;
	size_t at = 2 + (fl ? 4 : 0), hdr = v2 ? 26 : 22, optat;
	const struct sr_scap_evinfo *info;
	const uint8_t *e;
	uint32_t len, i;
	uint64_t sum;

	if (blen < at + hdr)
		return bad(err, off, "an event header of %zu bytes, found %zu", hdr, blen - at);
	e = body + at;
	ev->ts = sr_scap_u64(&r->dec, e);
	ev->tid = sr_scap_u64(&r->dec, e + 8);
	len = sr_scap_u32(&r->dec, e + 16);
	ev->type = sr_scap_u16(&r->dec, e + 20);
	ev->off = off + at;
	if (len < hdr || len > blen - at)
		return bad(err, off + at + 16, "an event length between %zu and %zu, found %u", hdr,
			   blen - at, len);
	ev->end = e + len;
	optat = (at + len + 3) & ~(size_t)3;
	ev->opt = optat < blen ? body + optat : body + blen;
	ev->opt_end = body + blen;
	info = sr_scap_event(ev->type);
	ev->raw = false;
	ev->lsize = info && info->large ? 4 : 2;
	ev->lens = e + hdr;
	if (v2) {
		ev->nparams = sr_scap_u32(&r->dec, e + 22);
	} else {
		/* no count in the header: the most parameters the table allows
		 * whose lengths add up to the event length */
		uint32_t k = info ? info->nparams : 0;

		ev->lsize = 2;
		for (;; k--) {
			if (hdr + (size_t)k * 2 <= len) {
				for (sum = 0, i = 0; i < k; i++)
					sum += sr_scap_u16(&r->dec, ev->lens + 2 * i);
				if (hdr + (size_t)k * 2 + sum == len)
					break;
			}
			if (k == 0) {
				if (info)
					return bad(err, ev->off,
						   "parameter lengths adding up to the event length %u",
						   len);
				/* a type we do not know: one raw parameter */
				ev->raw = true;
				ev->nparams = 0;
				ev->data = ev->lens;
				return SR_OK;
			}
		}
		ev->nparams = k;
	}
	if (hdr + (uint64_t)ev->nparams * ev->lsize > len)
		return bad(err, ev->off + 22, "%u parameter lengths within the event length %u",
			   ev->nparams, len);
	ev->data = ev->lens + (size_t)ev->nparams * ev->lsize;
	for (sum = 0, i = 0; i < ev->nparams; i++)
		sum += ev->lsize == 4 ? sr_scap_u32(&r->dec, ev->lens + 4 * i)
				      : sr_scap_u16(&r->dec, ev->lens + 2 * i);
	if (sum > (uint64_t)(ev->end - ev->data))
		return bad(err, ev->off, "parameters within the event length %u, found %llu bytes",
			   len, (unsigned long long)sum);
	return SR_OK;
}

/* The i-th parameter's bytes. */
struct param {
	const uint8_t *p;
	uint32_t n;
};

static uint32_t params(const struct sr_reader *r, const struct rawev *ev, struct param *out,
		       uint32_t max)
{
	const uint8_t *p = ev->data;
	uint32_t i, n = ev->nparams < max ? ev->nparams : max;

	if (ev->raw) {
		out[0] = (struct param){ ev->data, (uint32_t)(ev->end - ev->data) };
		return 1;
	}
	for (i = 0; i < n; i++) {
		uint32_t l = ev->lsize == 4 ? sr_scap_u32(&r->dec, ev->lens + 4 * i)
					    : sr_scap_u16(&r->dec, ev->lens + 2 * i);

		out[i] = (struct param){ p, l };
		p += l;
	}
	return n;
}

#define MAXP 64

static bool is_int(uint32_t n)
{
	return n == 1 || n == 2 || n == 4 || n == 8;
}

static const struct sr_scap_param *pinfo(const struct sr_scap_evinfo *info, uint32_t i)
{
	return info && i < info->nparams ? &info->params[i] : NULL;
}

static int pindex(const struct sr_scap_evinfo *info, uint32_t np, const char *name)
{
	for (uint32_t i = 0; info && i < np && i < info->nparams; i++)
		if (!strcmp(info->params[i].name, name))
			return (int)i;
	return -1;
}

static struct sr_str fd_path(const struct sr_reader *r, int64_t pid, int64_t fd)
{
	const struct slot *s = kfind(&r->fds, pid, fd);

	return s ? (struct sr_str){ s->atom->str, s->atom->len } : (struct sr_str){ 0 };
}

/* Decodes parameter i of ev into v; named after the table. */
static bool decode(struct sr_reader *r, const struct rawev *ev, const struct sr_scap_evinfo *info,
		   uint32_t i, const struct param *pp, int64_t pid, struct sr_value *v)
{
	const struct sr_scap_param *pi = ev->raw ? NULL : pinfo(info, i);
	struct sr_str path = { 0 };

	if (pi && (pi->type == SR_PT_FD || pi->type == SR_PT_FD32) &&
	    (pp->n == 8 || pp->n == 4))
		path = fd_path(r, pid, sr_scap_int(&r->dec, pp->p, pp->n, true));
	if (!sr_scap_value(&r->dec, pi, pp->p, pp->n, path, v))
		return false;
	if (pi)
		v->name = (struct sr_str){ pi->name, strlen(pi->name) };
	return true;
}

static void set_time(struct sr_time *t, uint64_t ns)
{
	*t = (struct sr_time){ .sec = (int64_t)(ns / 1000000000u),
			       .nsec = (uint32_t)(ns % 1000000000u),
			       .clock = SR_CLOCK_EPOCH,
			       .digits = 9 };
}

/* The leader every event gets: tid, command, time; the tgid note. */
static bool lead(struct sr_reader *r, struct sr_batch *b, struct sr_event *out,
		 const struct rawev *ev)
{
	const struct slot *s = kfind(&r->thr, (int64_t)ev->tid, 0);

	out->lead.pid = (int64_t)ev->tid;
	out->lead.pid_form = SR_PID_BRACKET;
	out->line = ev->line;
	set_time(&out->lead.time, ev->ts);
	if (s && s->atom)
		out->lead.comm = (struct sr_str){ s->atom->str, s->atom->len };
	if (s && s->x > 0 && (uint64_t)s->x != ev->tid) {
		char t[32];
		int k = snprintf(t, sizeof(t), "tgid %lld", (long long)s->x);
		struct sr_str *note = sr_arena_alloc(b->arena, sizeof(*note));
		char *d = sr_arena_memdup(b->arena, t, (size_t)k);

		if (!note || !d)
			return false;
		*note = (struct sr_str){ d, (size_t)k };
		out->notes = note;
		out->nnotes = 1;
	}
	return true;
}

/* pcapng options after an event: comments become attachments. */
static bool comments(struct sr_reader *r, struct sr_batch *b, struct sr_event *out,
		     const struct rawev *ev)
{
	const uint8_t *p = ev->opt;
	struct sr_attach *a;
	uint32_t n = out->natt;

	while (ev->opt_end - p >= 4) {
		uint16_t code = sr_scap_u16(&r->dec, p), l = sr_scap_u16(&r->dec, p + 2);

		if (code == 0 || (size_t)(ev->opt_end - p - 4) < l)
			break;
		if (code == 1) {
			a = sr_arena_alloc(b->arena, (n + 1) * sizeof(*a));
			if (!a)
				return false;
			if (n)
				memcpy(a, out->att, n * sizeof(*a));
			a[n] = (struct sr_attach){ .kind = SR_A_TEXT,
						   .text = { (const char *)p + 4, l } };
			out->att = a;
			out->natt = ++n;
		}
		p += 4 + ((l + 3u) & ~3u);
	}
	return true;
}

static const struct sr_atom *atom(struct sr_batch *b, const char *s)
{
	return sr_intern(b->atoms, s, strlen(s));
}

/* The event's name: the table's; for the generic "syscall" event the
 * syscall its native number names; "scap_<type>" when unknown. */
static const struct sr_atom *ev_name(struct sr_reader *r, struct sr_batch *b,
				     const struct rawev *ev, const struct sr_scap_evinfo *info,
				     const struct param *pp, uint32_t np)
{
	char t[32];

	if (info && (ev->type == 0 || ev->type == 1) && np >= 2 && pp[1].n == 2) {
		unsigned nr = sr_scap_u16(&r->dec, pp[1].p);
		const char *s = sr_syscall_name(r->arch, (int)nr);

		if (s)
			return atom(b, s);
		snprintf(t, sizeof(t), "syscall_%u", nr);
		return atom(b, t);
	}
	if (info)
		return atom(b, info->name);
	snprintf(t, sizeof(t), "scap_%u", ev->type);
	return atom(b, t);
}

static struct sr_event *push(struct sr_batch *b)
{
	struct sr_event *e = sr_batch_push(b);

	if (e)
		b->lines++;
	return e;
}

/* The return value from the exit's first parameter ("res" or "fd"). */
static bool set_return(struct sr_reader *r, struct sr_batch *b, struct sr_event *out,
		       const struct sr_scap_evinfo *xi, const struct param *xp, uint32_t nx,
		       int ret_i, int64_t pid, struct sr_str path)
{
	const struct sr_scap_param *pi = pinfo(xi, (uint32_t)ret_i);
	struct sr_value *v;
	int64_t x;

	out->has_ret = true;
	if (ret_i < 0 || (uint32_t)ret_i >= nx)
		return true; /* "= ?" */
	v = sr_arena_alloc(b->arena, sizeof(*v));
	if (!v)
		return false;
	x = sr_scap_int(&r->dec, xp[ret_i].p, xp[ret_i].n, true);
	if ((pi->type == SR_PT_ERRNO || pi->type == SR_PT_FD || pi->type == SR_PT_FD32 ||
	     pi->type == SR_PT_PID || pi->type == SR_PT_PID32 || pi->type <= SR_PT_INT64) &&
	    x < 0 && x > -4096 && (xp[ret_i].n == 8 || xp[ret_i].n == 4)) {
		uint64_t e = (uint64_t)-x;
		char t[32];

		sr_scap_int_value(v, -1, SR_BASE_DEC);
		if (e < SR_SCAP_NERRNO && sr_scap_errnos[e].name) {
			out->err = atom(b, sr_scap_errnos[e].name);
			out->errmsg = (struct sr_str){ sr_scap_errnos[e].msg,
						       strlen(sr_scap_errnos[e].msg) };
		} else {
			int k = snprintf(t, sizeof(t), "errno %llu", (unsigned long long)e);
			char *d = sr_arena_memdup(b->arena, t, (size_t)k);

			if (!d)
				return false;
			out->errmsg = (struct sr_str){ d, (size_t)k };
		}
		out->ret = v;
		return out->err || out->errmsg.len;
	}
	if (!sr_scap_value(&r->dec, pi, xp[ret_i].p, xp[ret_i].n,
			   pi->type == SR_PT_FD ? path : (struct sr_str){ 0 }, v))
		return false;
	(void)pid;
	out->ret = v;
	return true;
}

/* Keeps the fd and thread tables up to date after a call's exit. */
static bool track(struct sr_reader *r, struct sr_batch *b, const struct rawev *xe,
		  const struct sr_scap_evinfo *xi, const struct param *xp, uint32_t nx,
		  int64_t ret, int64_t efd, int64_t pid)
{
	int i;
	char addr[160];
	size_t n;

	if (!xi)
		return true;
	/* a new thread's first event, or execve: command and thread group */
	if (ret == 0 && (i = pindex(xi, nx, "comm")) >= 0) {
		int j = pindex(xi, nx, "pid");
		int64_t tg = j >= 0 && xp[j].n == 8 ? (int64_t)sr_scap_u64(&r->dec, xp[j].p) : 0;

		if (!set_thread(r, b, (int64_t)xe->tid, tg, xp[i].p, xp[i].n))
			return false;
	}
	if (!strcmp(xi->name, "close")) {
		if (ret == 0 && efd >= 0)
			kdel(&r->fds, pid, efd);
		return true;
	}
	if ((i = pindex(xi, nx, "tuple")) >= 0) {
		int64_t fd = !strcmp(xi->name, "connect") ? efd : ret;

		if (strcmp(xi->name, "connect") && strncmp(xi->name, "accept", 6))
			return true; /* sendto, recvfrom: no new fd */
		int k = pindex(xi, nx, "fd");

		if (k > 0 && xp[k].n == 8 && fd < 0)
			fd = (int64_t)sr_scap_u64(&r->dec, xp[k].p);
		n = sr_scap_addr_text(&r->dec, xp[i].p, xp[i].n, true, addr, sizeof(addr));
		if (fd >= 0 && n && (ret >= 0) && !set_fd(r, b, pid, fd, addr, n))
			return false;
		return true;
	}
	if (ret >= 0 && pinfo(xi, 0) && pinfo(xi, 0)->type == SR_PT_FD) {
		if ((i = pindex(xi, nx, "name")) < 0)
			i = pindex(xi, nx, "path");
		if (i >= 0 && xp[i].n) {
			n = xp[i].n - (xp[i].p[xp[i].n - 1] == '\0');
			if (!set_fd(r, b, pid, ret, (const char *)xp[i].p, n))
				return false;
		}
	}
	return true;
}

/*
 * Emits one call event.  en: the enter (NULL: an orphan exit); xe: the exit
 * (NULL: an UNFINISHED marker for en).  resumed: the marker was emitted.
 */
static bool emit_call(struct sr_reader *r, struct sr_batch *b, const struct rawev *en,
		      const struct rawev *xe, bool resumed)
{
	const struct rawev *first = en ? en : xe;
	const struct sr_scap_evinfo *ei = en ? sr_scap_event(en->type) : NULL;
	const struct sr_scap_evinfo *xi = xe ? sr_scap_event(xe->type) : NULL;
	struct param ep[MAXP], xp[MAXP];
	uint32_t ne = en ? params(r, en, ep, MAXP) : 0, nx = xe ? params(r, xe, xp, MAXP) : 0;
	uint32_t i, k = 0;
	int ret_i = -1;
	int64_t pid = tgid_of(r, (int64_t)first->tid), ret = -1, efd = -1;
	struct sr_event *out;
	struct sr_str rpath = { 0 };

	if (xe && xi && nx && !xe->raw &&
	    (!strcmp(xi->params[0].name, "res") || !strcmp(xi->params[0].name, "fd")) &&
	    is_int(xp[0].n)) {
		ret_i = 0;
		ret = sr_scap_int(&r->dec, xp[0].p, xp[0].n, true);
	}
	out = push(b);
	if (!out || !lead(r, b, out, xe && (!en || resumed) ? xe : first))
		return false;
	out->kind = xe ? SR_E_SYSCALL : SR_E_UNFINISHED;
	out->pad = 1;
	out->name = en ? ev_name(r, b, en, ei, ep, ne) : ev_name(r, b, xe, xi, xp, nx);
	out->args = sr_arena_alloc(b->arena, (ne + nx + 1) * sizeof(*out->args));
	if (!out->name || !out->args)
		return false;
	for (i = 0; i < ne; i++) {
		if (!decode(r, en, ei, i, &ep[i], pid, &out->args[k]))
			return false;
		if (out->args[k].name.len == 2 && !memcmp(out->args[k].name.ptr, "fd", 2) &&
		    is_int(ep[i].n))
			efd = sr_scap_int(&r->dec, ep[i].p, ep[i].n, true);
		k++;
	}
	if (!xe) {
		out->nargs = k;
		if (k)
			out->flags |= SR_EF_SEP_CUT;
		if (!comments(r, b, out, en))
			return false;
		b->lines += out->natt;
		return true;
	}
	for (i = 0; i < nx; i++) {
		const struct sr_scap_param *pi = xe->raw ? NULL : pinfo(xi, i);

		if ((int)i == ret_i || (pi && pindex(ei, ne, pi->name) >= 0))
			continue;
		if (!decode(r, xe, xi, i, &xp[i], pid, &out->args[k]))
			return false;
		k++;
	}
	out->nargs = k;
	if (ret_i == 0 && xi->params[0].type == SR_PT_FD && ret >= 0) {
		int j = pindex(xi, nx, "name");

		if (j >= 0 && xp[j].n)
			rpath = (struct sr_str){ (const char *)xp[j].p,
						 xp[j].n - (xp[j].p[xp[j].n - 1] == '\0') };
	}
	if (xi && xi->cat == SR_SCAP_C_SYSCALL) {
		if (!set_return(r, b, out, xi, xp, nx, ret_i, pid, rpath))
			return false;
	}
	if (en) {
		uint64_t d = xe->ts >= en->ts ? xe->ts - en->ts : 0;

		set_time(&out->duration, d);
		out->duration.clock = SR_CLOCK_REL;
		if (resumed) {
			/* the split: what the marker printed, "name(args, " */
			struct sr_event m = *out;

			set_time(&out->start, en->ts);
			out->flags |= SR_EF_RESUMED;
			m.nargs = ne;
			m.flags = ne && k > ne ? SR_EF_SEP_CUT : 0;
			r->scratch.len = 0;
			sr_strace_print_call_open(&r->scratch, &m);
			out->split = (uint32_t)r->scratch.len;
		} else {
			/* the enter's comments; a marker has them already */
			out->line = en->line;
			if (!comments(r, b, out, en))
				return false;
		}
	} else if (xi && xi->cat == SR_SCAP_C_SYSCALL && sr_scap_event(xe->type & ~1u)) {
		/* not an exit-only event by design: its enter was not seen */
		out->flags |= SR_EF_ORPHAN | SR_EF_RESUMED;
		out->split = out->name->len + 1;
	}
	if (!comments(r, b, out, xe))
		return false;
	b->lines += out->natt;
	return track(r, b, xe, xi, xp, nx, ret, efd, pid);
}

/* procexit: EXIT with the status, or KILLED by the signal. */
static bool emit_exit(struct sr_reader *r, struct sr_batch *b, const struct rawev *ev,
		      const struct sr_scap_evinfo *info, struct sr_event *out)
{
	struct param pp[MAXP];
	uint32_t np = params(r, ev, pp, MAXP);
	int i;
	int64_t status = 0, code, sig, core = 0;

	if ((i = pindex(info, np, "status")) >= 0 && is_int(pp[i].n))
		status = sr_scap_int(&r->dec, pp[i].p, pp[i].n, true);
	code = (status >> 8) & 0xff;
	sig = status & 0x7f;
	core = (status & 0x80) != 0;
	if ((i = pindex(info, np, "ret")) >= 0 && is_int(pp[i].n))
		code = sr_scap_int(&r->dec, pp[i].p, pp[i].n, true);
	if ((i = pindex(info, np, "sig")) >= 0 && is_int(pp[i].n))
		sig = sr_scap_int(&r->dec, pp[i].p, pp[i].n, false);
	if ((i = pindex(info, np, "core")) >= 0 && is_int(pp[i].n))
		core = sr_scap_int(&r->dec, pp[i].p, pp[i].n, false);
	(void)b;
	if (sig && sr_scap_signame((unsigned)sig)) {
		out->kind = SR_E_KILLED;
		out->name = atom(b, sr_scap_signame((unsigned)sig));
		if (core)
			out->flags |= SR_EF_CORE;
		return out->name != NULL;
	}
	out->kind = SR_E_EXIT;
	out->code = code;
	return true;
}

/* signaldeliver: SIGNAL with {si_signo=SIG, si_pid=spid, dpid=...}. */
static bool emit_signal(struct sr_reader *r, struct sr_batch *b, const struct rawev *ev,
			const struct sr_scap_evinfo *info, struct sr_event *out)
{
	struct param pp[MAXP];
	uint32_t np = params(r, ev, pp, MAXP), i, k = 0;
	int si = pindex(info, np, "sig");
	unsigned sig = si >= 0 && is_int(pp[si].n) ? (unsigned)sr_scap_int(&r->dec, pp[si].p, pp[si].n, false) : 0;
	struct sr_value *st = sr_arena_alloc(b->arena, sizeof(*st)), *kv;

	kv = sr_arena_alloc(b->arena, (np + 1) * sizeof(*kv));
	if (!st || !kv)
		return false;
	out->kind = SR_E_SIGNAL;
	out->name = sig && sr_scap_signame(sig) ? atom(b, sr_scap_signame(sig)) : NULL;
	memset(st, 0, sizeof(*st));
	st->kind = SR_V_STRUCT;
	st->kids = kv;
	for (i = 0; i < np; i++) {
		if (!decode(r, ev, info, i, &pp[i], -1, &kv[k]))
			return false;
		if ((int)i == si)
			kv[k].name = SR_STR("si_signo");
		else if (kv[k].name.len == 4 && !memcmp(kv[k].name.ptr, "spid", 4))
			kv[k].name = SR_STR("si_pid");
		k++;
	}
	st->nkids = k;
	out->args = st;
	out->nargs = 1;
	return true;
}

/* Any other event: a MESSAGE "name param=value ...". */
static bool emit_message(struct sr_reader *r, struct sr_batch *b, const struct rawev *ev,
			 const struct sr_scap_evinfo *info, struct sr_event *out)
{
	struct param pp[MAXP];
	uint32_t np = params(r, ev, pp, MAXP), i;
	size_t len = 0, cap = 64 + 5 * (size_t)(ev->end - ev->lens);
	char *t = sr_arena_alloc(b->arena, cap);
	struct sr_value v;

	if (!t)
		return false;
	len = (size_t)snprintf(t, cap, "%s", info->name);
	for (i = 0; i < np; i++) {
		if (!decode(r, ev, info, i, &pp[i], tgid_of(r, (int64_t)ev->tid), &v))
			return false;
		t[len++] = ' ';
		sr_scap_value_text(&v, t, cap, &len);
	}
	out->kind = SR_E_MESSAGE;
	out->text = (struct sr_str){ t, len < cap ? len : cap };
	return true;
}

static bool emit_other(struct sr_reader *r, struct sr_batch *b, const struct rawev *ev,
		       const struct sr_scap_evinfo *info)
{
	struct sr_event *out = push(b);
	bool ok;

	if (!out || !lead(r, b, out, ev))
		return false;
	if (!strcmp(info->name, "procexit"))
		ok = emit_exit(r, b, ev, info, out);
	else if (!strcmp(info->name, "signaldeliver"))
		ok = emit_signal(r, b, ev, info, out);
	else
		ok = emit_message(r, b, ev, info, out);
	if (!ok || !comments(r, b, out, ev))
		return false;
	b->lines += out->natt;
	return true;
}

/* ------------------------------------------------------------------ */
/* Pairing                                                             */

static struct pend *pend_get(struct sr_reader *r, uint64_t tid, bool add)
{
	struct slot *s = kfind(&r->pmap, (int64_t)tid, 0);
	size_t i;

	if (s)
		return &r->pend[s->x];
	if (!add)
		return NULL;
	for (i = 0; i < r->npend; i++)
		if (!r->pend[i].used)
			break;
	if (i == r->npend) {
		if (r->npend == r->cappend) {
			size_t nc = r->cappend ? r->cappend * 2 : 16;
			struct pend *n = realloc(r->pend, nc * sizeof(*n));

			if (!n)
				return NULL;
			memset(n + r->cappend, 0, (nc - r->cappend) * sizeof(*n));
			if (r->held)
				r->held = n + (r->held - r->pend);
			r->pend = n;
			r->cappend = nc;
		}
		r->npend++;
	}
	s = kput(&r->pmap, (int64_t)tid, 0);
	if (!s)
		return NULL;
	s->x = (int64_t)i;
	r->pend[i].tid = tid;
	return &r->pend[i];
}

static void pend_drop(struct sr_reader *r, struct pend *p)
{
	p->used = false;
	kdel(&r->pmap, (int64_t)p->tid, 0);
	if (r->held == p)
		r->held = NULL;
}

/* A kept enter, copied into the batch (the copy outlives p's reuse). */
static enum sr_status pend_event(struct sr_reader *r, struct sr_batch *b, const struct pend *p,
				 struct rawev *ev, struct sr_error *err)
{
	uint8_t *c = sr_arena_alloc(b->arena, p->len + 1);
	enum sr_status st;

	if (!c)
		return nomem(err);
	memcpy(c, p->raw, p->len);
	/* the block type is stored in front of the body */
	st = parse_event(r, sr_scap_u32(&r->dec, c), c + 4, p->len - 4, p->off, ev, err);
	ev->line = p->line;
	return st;
}

/* The held enter gets its UNFINISHED marker: something else came next. */
static enum sr_status flush_held(struct sr_reader *r, struct sr_batch *b, struct sr_error *err)
{
	struct pend *p = r->held;
	struct rawev en;
	enum sr_status st;

	if (!p)
		return SR_OK;
	r->held = NULL;
	st = pend_event(r, b, p, &en, err);
	if (st < 0)
		return st;
	if (!emit_call(r, b, &en, NULL, false))
		return nomem(err);
	p->marked = true;
	return SR_OK;
}

static enum sr_status on_event(struct sr_reader *r, struct sr_batch *b, uint32_t btype,
			       const uint8_t *body, size_t blen, uint64_t off, struct sr_error *err)
{
	struct rawev ev, en;
	const struct sr_scap_evinfo *info;
	struct pend *p;
	enum sr_status st;

	st = parse_event(r, btype, body, blen, off, &ev, err);
	if (st < 0)
		return st;
	ev.line = ++r->nev;
	info = sr_scap_event(ev.type);
	if (info && info->cat == SR_SCAP_C_SYSCALL && !ev.raw && !(ev.type & 1)) {
		st = flush_held(r, b, err);
		if (st < 0)
			return st;
		p = pend_get(r, ev.tid, true);
		if (!p)
			return nomem(err);
		/* an enter after an enter: the first never returned; its
		 * marker stands for it */
		if (p->cap < blen + 4) {
			uint8_t *n = realloc(p->raw, blen + 4);

			if (!n)
				return nomem(err);
			p->raw = n;
			p->cap = blen + 4;
		}
		memcpy(p->raw, &btype, 4);
		if (r->dec.swap) {
			uint32_t t = __builtin_bswap32(btype);

			memcpy(p->raw, &t, 4);
		}
		memcpy(p->raw + 4, body, blen);
		p->len = blen + 4;
		p->line = ev.line;
		p->off = off;
		p->used = true;
		p->marked = false;
		r->held = p;
		return SR_OK;
	}
	if (info && info->cat == SR_SCAP_C_SYSCALL && !ev.raw) {
		p = pend_get(r, ev.tid, false);
		if (p && p->used) {
			const struct sr_scap_evinfo *ei;
			bool resumed = r->held != p;

			/* another thread's enter came last: it was cut */
			if (resumed)
				st = flush_held(r, b, err);
			else
				r->held = NULL;
			if (st < 0)
				return st;
			st = pend_event(r, b, p, &en, err);
			if (st < 0)
				return st;
			ei = sr_scap_event(en.type);
			pend_drop(r, p);
			/* the same call (old and new versions share the name) */
			if (ei && !strcmp(ei->name, info->name) &&
			    (ev.type != 1 || en.type == 0)) {
				if (!emit_call(r, b, &en, &ev, resumed))
					return nomem(err);
				return SR_OK;
			}
			if (!resumed && !emit_call(r, b, &en, NULL, false))
				return nomem(err);
		}
		st = flush_held(r, b, err);
		if (st < 0)
			return st;
		if (!emit_call(r, b, NULL, &ev, false))
			return nomem(err);
		return SR_OK;
	}
	st = flush_held(r, b, err);
	if (st < 0)
		return st;
	if (!info) {
		if (!emit_call(r, b, NULL, &ev, false))
			return nomem(err);
		return SR_OK;
	}
	if (!emit_other(r, b, &ev, info))
		return nomem(err);
	return SR_OK;
}

/* ------------------------------------------------------------------ */
/* Blocks                                                              */

static enum sr_status on_shb(struct sr_reader *r, struct sr_batch *b, const uint8_t *body,
			     size_t blen, uint64_t off, struct sr_error *err)
{
	const uint8_t *p = body + 16, *end = body + blen;
	uint16_t major;

	if (blen < 16)
		return bad(err, off, "a section header of 16 bytes, found %zu", blen);
	major = sr_scap_u16(&r->dec, body + 4);
	if (major != 1)
		return sr_error_set(err, SR_ERR_UNSUPPORTED,
				    "cannot read scap capture: at byte %llu: format version %u.%u "
				    "is not supported (1.x is)",
				    (unsigned long long)off + 4, major, sr_scap_u16(&r->dec, body + 6));
	/* options (comments, the writing application): messages */
	while (end - p >= 4) {
		uint16_t code = sr_scap_u16(&r->dec, p), l = sr_scap_u16(&r->dec, p + 2);
		static const char *const names[] = { "", "comment", "hardware", "os", "application" };
		struct sr_event *ev;
		char *t;
		int k;

		if (code == 0 || (size_t)(end - p - 4) < l)
			break;
		ev = push(b);
		t = sr_arena_alloc(b->arena, (size_t)l + 64);
		if (!ev || !t)
			return nomem(err);
		k = snprintf(t, (size_t)l + 64, "scap section %s: %.*s",
			     code < 5 ? names[code] : "option", (int)l, (const char *)p + 4);
		ev->kind = SR_E_MESSAGE;
		ev->text = (struct sr_str){ t, strnlen(t, (size_t)k) };
		p += 4 + ((l + 3u) & ~3u);
	}
	return SR_OK;
}

/* Reads and handles the block at buf[pos]; SR_END at the end of input,
 * SR_ERR_* on a bad block; *more false when the block is not in the
 * buffer yet and the batch must end first. */
static enum sr_status block(struct sr_reader *r, struct sr_batch *b, bool may_move, bool *more,
			    struct sr_error *err)
{
	const uint8_t *h;
	uint64_t off = r->base + r->pos;
	uint32_t type, len, trail;
	size_t have;
	enum sr_status st;

	*more = true;
	if (r->len - r->pos < 12 && !may_move) {
		*more = false;
		return SR_OK;
	}
	st = need(r, 12, &have, err);
	if (st < 0)
		return st;
	if (have == 0) {
		if (!r->started)
			return bad(err, 0, "a section header block, found an empty input");
		return SR_END;
	}
	if (have < 12)
		return bad(err, off, "a block header of 12 bytes, found %zu", have);
	h = r->buf + r->pos;
	type = sr_scap_u32(&r->dec, h);
	if (type == B_SHB) {
		/* the byte order is the section's own */
		uint32_t m;

		memcpy(&m, h + 8, 4);
		if (m == SHB_MAGIC)
			r->dec.swap = false;
		else if (m == __builtin_bswap32(SHB_MAGIC))
			r->dec.swap = true;
		else
			return bad(err, off + 8, "the byte-order magic 0x1A2B3C4D, found 0x%08X", m);
	} else if (!r->started) {
		return bad(err, off, "a section header block (0x0A0D0D0A), found block type 0x%X",
			   type);
	}
	len = sr_scap_u32(&r->dec, h + 4);
	if (len < 12 || len > MAX_BLOCK)
		return bad(err, off + 4, "a block length of 12 to %u bytes, found %u", MAX_BLOCK,
			   len);
	if (r->len - r->pos < len && !may_move) {
		*more = false;
		return SR_OK;
	}
	st = need(r, len, &have, err);
	if (st < 0)
		return st;
	if (have < len)
		return bad(err, off + have, "%u more bytes of a block of type 0x%X at byte %llu "
			   "(truncated capture)", len - (uint32_t)have, type,
			   (unsigned long long)off);
	h = r->buf + r->pos;
	trail = sr_scap_u32(&r->dec, h + len - 4);
	if (trail != len)
		return bad(err, off + len - 4, "the block trailer %u (the block length), found %u",
			   len, trail);
	r->pos += len;
	switch (type) {
	case B_SHB:
		r->started = true;
		return on_shb(r, b, h + 8, len - 12, off + 8, err);
	case B_PL_V1: case B_PL_V1_INT: case B_PL_V2: case B_PL_V2_INT: case B_PL_V3:
	case B_PL_V3_INT: case B_PL_V4: case B_PL_V5: case B_PL_V6: case B_PL_V7: case B_PL_V8:
	case B_PL_V9:
		return read_proclist(r, b, type, h + 8, h + len - 4, off + 8, err);
	case B_FDL: case B_FDL_INT: case B_FDL_V2:
		return read_fdlist(r, b, type, h + 8, h + len - 4, off + 8, err);
	default:
		if (is_event_block(type))
			return on_event(r, b, type, h + 8, len - 12, off + 8, err);
		return SR_OK; /* machine info, users, interfaces, unknown: skipped */
	}
}

static enum sr_status scap_next(struct sr_reader *r, struct sr_batch *b, struct sr_error *err)
{
	enum sr_status st = SR_OK;
	bool more;

	sr_batch_reset(b);
	b->source = sr_source_name(r->in);
	r->dec.arena = b->arena;
	r->dec.atoms = b->atoms;
	/* events view their bytes in buf: the buffer may move only while
	 * the batch has none */
	while (b->n < BATCH_EVENTS && sr_arena_used(b->arena) < BATCH_BYTES) {
		st = block(r, b, b->n == 0, &more, err);
		if (st < 0)
			return st;
		if (st == SR_END || !more)
			break;
	}
	if (st == SR_END) {
		st = flush_held(r, b, err);
		if (st < 0)
			return st;
		return b->n ? SR_OK : SR_END;
	}
	return SR_OK;
}

static enum sr_status scap_open(struct sr_reader **rp, struct sr_source *in,
				const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_reader *r = calloc(1, sizeof(*r));
	const char *arch = sr_opts_get(opts, "arch", "x86_64");

	*rp = NULL;
	if (!r)
		return nomem(err);
	r->in = in;
	r->arch = sr_arch_parse(arch);
	if (r->arch == SR_ARCH_UNKNOWN)
		r->arch = SR_ARCH_DEFAULT;
	*rp = r;
	return SR_OK;
}

static void scap_close(struct sr_reader *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->npend; i++)
		free(r->pend[i].raw);
	free(r->pend);
	free(r->thr.s);
	free(r->fds.s);
	free(r->pmap.s);
	free(r->buf);
	sr_buf_free(&r->scratch);
	free(r);
}

/* A section header block and its byte-order magic, either byte order. */
static int scap_probe(const void *head, size_t n)
{
	static const uint8_t shb[4] = { 0x0A, 0x0D, 0x0D, 0x0A };
	static const uint8_t le[4] = { 0x4D, 0x3C, 0x2B, 0x1A }, be[4] = { 0x1A, 0x2B, 0x3C, 0x4D };
	const uint8_t *p = head;

	if (n < 12 || memcmp(p, shb, 4))
		return 0;
	return !memcmp(p + 8, le, 4) || !memcmp(p + 8, be, 4) ? 100 : 0;
}

const struct sr_reader_class sr_in_scap = {
	.name = "scap",
	.exts = ".scap",
	.summary = "sysdig / Falco captures (.scap, any block version), enter/exit paired",
	.probe = scap_probe,
	.open = scap_open,
	.next = scap_next,
	.close = scap_close,
};
