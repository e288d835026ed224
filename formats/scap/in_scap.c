/*
 * in_scap.c - the reader of sysdig / Falco captures (.scap), read natively
 * from the documented block format (no libscap: Debian's cannot open every
 * capture version, and its dependencies are heavy).  This file reads the
 * input and the blocks, keeps the process and fd tables and pairs enter and
 * exit; scap_emit.c turns one event record into events of the batch.
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
#include <stdlib.h>
#include <string.h>

#include "scap_internal.h"

/* The thread and fd tables and sr_scap_bad are in scap_state.c. */

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
				return sr_scap_bad(err, off + (uint64_t)(p - start),
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
		if (!sr_scap_set_thread(r, b, (int64_t)tid, (int64_t)pid, comm, cn))
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
	return sr_scap_bad(err, off + (uint64_t)(p - start), "a whole process entry in the block");
}

/* Fd list: the target of every fd of one process, as sysdig names it. */
static enum sr_status read_fdlist(struct sr_reader *r, struct sr_batch *b, uint32_t type,
				  const uint8_t *p, const uint8_t *end, uint64_t off,
				  struct sr_error *err)
{
	const uint8_t *start = p;
	int64_t pid;

	if (end - p < 8)
		return sr_scap_bad(err, off, "the process id of an fd list");
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
				return sr_scap_bad(err, off + (uint64_t)(p - start),
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
		if (s && n && !sr_scap_set_fd(r, b, pid, fd, (const char *)s, n))
			return nomem(err);
		if (type == B_FDL_V2)
			p = e; /* fields a newer writer added */
		else if (ft > 21)
			break; /* unknown type, unknown size: the rest is unreadable */
	}
	return SR_OK;
cut:
	return sr_scap_bad(err, off + (uint64_t)(p - start), "a whole fd entry in the block");
}

/* ------------------------------------------------------------------ */
/* Pairing                                                             */

static struct pend *pend_get(struct sr_reader *r, uint64_t tid, bool add)
{
	struct slot *s = sr_scap_kfind(&r->pmap, (int64_t)tid, 0);
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
	s = sr_scap_kput(&r->pmap, (int64_t)tid, 0);
	if (!s)
		return NULL;
	s->x = (int64_t)i;
	r->pend[i].tid = tid;
	return &r->pend[i];
}

static void pend_drop(struct sr_reader *r, struct pend *p)
{
	p->used = false;
	sr_scap_kdel(&r->pmap, (int64_t)p->tid, 0);
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
	st = sr_scap_parse_event(r, sr_scap_u32(&r->dec, c), c + 4, p->len - 4, p->off, ev, err);
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
	if (!sr_scap_emit_call(r, b, &en, NULL, false))
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

	st = sr_scap_parse_event(r, btype, body, blen, off, &ev, err);
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
				if (!sr_scap_emit_call(r, b, &en, &ev, resumed))
					return nomem(err);
				return SR_OK;
			}
			if (!resumed && !sr_scap_emit_call(r, b, &en, NULL, false))
				return nomem(err);
		}
		st = flush_held(r, b, err);
		if (st < 0)
			return st;
		if (!sr_scap_emit_call(r, b, NULL, &ev, false))
			return nomem(err);
		return SR_OK;
	}
	st = flush_held(r, b, err);
	if (st < 0)
		return st;
	if (!info) {
		if (!sr_scap_emit_call(r, b, NULL, &ev, false))
			return nomem(err);
		return SR_OK;
	}
	if (!sr_scap_emit_other(r, b, &ev, info))
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
		return sr_scap_bad(err, off, "a section header of 16 bytes, found %zu", blen);
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
		ev = sr_scap_push(b);
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
			return sr_scap_bad(err, 0, "a section header block, found an empty input");
		return SR_END;
	}
	if (have < 12)
		return sr_scap_bad(err, off, "a block header of 12 bytes, found %zu", have);
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
			return sr_scap_bad(err, off + 8, "the byte-order magic 0x1A2B3C4D, found 0x%08X", m);
	} else if (!r->started) {
		return sr_scap_bad(err, off, "a section header block (0x0A0D0D0A), found block type 0x%X",
			   type);
	}
	len = sr_scap_u32(&r->dec, h + 4);
	if (len < 12 || len > MAX_BLOCK)
		return sr_scap_bad(err, off + 4, "a block length of 12 to %u bytes, found %u", MAX_BLOCK,
			   len);
	if (r->len - r->pos < len && !may_move) {
		*more = false;
		return SR_OK;
	}
	st = need(r, len, &have, err);
	if (st < 0)
		return st;
	if (have < len)
		return sr_scap_bad(err, off + have, "%u more bytes of a block of type 0x%X at byte %llu "
			   "(truncated capture)", len - (uint32_t)have, type,
			   (unsigned long long)off);
	h = r->buf + r->pos;
	trail = sr_scap_u32(&r->dec, h + len - 4);
	if (trail != len)
		return sr_scap_bad(err, off + len - 4, "the block trailer %u (the block length), found %u",
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
		if (sr_scap_is_event_block(type))
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

static const struct sr_optdesc sr_in_scap_keys[] = {
	{ "arch", "the syscall table for numbers: x86_64 (default), i386, aarch64" },
	{ NULL, NULL },
};

const struct sr_reader_class sr_in_scap = {
	.name = "scap",
	.exts = ".scap",
	.summary = "sysdig / Falco captures (.scap, any block version), enter/exit paired",
	.probe = scap_probe,
	.open = scap_open,
	.next = scap_next,
	.close = scap_close,
	.opt_keys = sr_in_scap_keys,
};

