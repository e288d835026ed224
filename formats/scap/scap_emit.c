/*
 * scap_emit.c - one scap event record into the event model: its header and
 * parameters decoded (scap_value.c), named from the table (scap_events.c),
 * and turned into a call, an exit, a signal or a message of the batch.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scap_internal.h"

/* ------------------------------------------------------------------ */
/* Events                                                              */

bool sr_scap_is_event_block(uint32_t t)
{
	return t == B_EV || t == B_EV_INT || t == B_EV_V2 || t == B_EV_V2_LARGE || t == B_EVF ||
	       t == B_EVF_V2 || t == B_EVF_V2_LARGE;
}

/* Parses an event block body (after the block header, before the
 * trailer).  off: the file offset of body[0], for errors. */
enum sr_status sr_scap_parse_event(const struct sr_reader *r, uint32_t btype, const uint8_t *body,
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
		return sr_scap_bad(err, off, "an event header of %zu bytes, found %zu", hdr, blen - at);
	e = body + at;
	ev->ts = sr_scap_u64(&r->dec, e);
	ev->tid = sr_scap_u64(&r->dec, e + 8);
	len = sr_scap_u32(&r->dec, e + 16);
	ev->type = sr_scap_u16(&r->dec, e + 20);
	ev->off = off + at;
	if (len < hdr || len > blen - at)
		return sr_scap_bad(err, off + at + 16, "an event length between %zu and %zu, found %u", hdr,
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
					return sr_scap_bad(err, ev->off,
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
		return sr_scap_bad(err, ev->off + 22, "%u parameter lengths within the event length %u",
			   ev->nparams, len);
	ev->data = ev->lens + (size_t)ev->nparams * ev->lsize;
	for (sum = 0, i = 0; i < ev->nparams; i++)
		sum += ev->lsize == 4 ? sr_scap_u32(&r->dec, ev->lens + 4 * i)
				      : sr_scap_u16(&r->dec, ev->lens + 2 * i);
	if (sum > (uint64_t)(ev->end - ev->data))
		return sr_scap_bad(err, ev->off, "parameters within the event length %u, found %llu bytes",
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
	const struct slot *s = sr_scap_kfind(&r->fds, pid, fd);

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
	const struct slot *s = sr_scap_kfind(&r->thr, (int64_t)ev->tid, 0);

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
		return atom(b, sr_scap_strace_name(info->name));
	snprintf(t, sizeof(t), "scap_%u", ev->type);
	return atom(b, t);
}

struct sr_event *sr_scap_push(struct sr_batch *b)
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

		if (!sr_scap_set_thread(r, b, (int64_t)xe->tid, tg, xp[i].p, xp[i].n))
			return false;
	}
	if (!strcmp(xi->name, "close")) {
		if (ret == 0 && efd >= 0)
			sr_scap_kdel(&r->fds, pid, efd);
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
		if (fd >= 0 && n && (ret >= 0) && !sr_scap_set_fd(r, b, pid, fd, addr, n))
			return false;
		return true;
	}
	if (ret >= 0 && pinfo(xi, 0) && pinfo(xi, 0)->type == SR_PT_FD) {
		if ((i = pindex(xi, nx, "name")) < 0)
			i = pindex(xi, nx, "path");
		if (i >= 0 && xp[i].n) {
			n = xp[i].n - (xp[i].p[xp[i].n - 1] == '\0');
			if (!sr_scap_set_fd(r, b, pid, ret, (const char *)xp[i].p, n))
				return false;
		}
	}
	return true;
}

/*
 * Emits one call event.  en: the enter (NULL: an orphan exit); xe: the exit
 * (NULL: an UNFINISHED marker for en).  resumed: the marker was emitted.
 */
bool sr_scap_emit_call(struct sr_reader *r, struct sr_batch *b, const struct rawev *en,
		      const struct rawev *xe, bool resumed)
{
	const struct rawev *first = en ? en : xe;
	const struct sr_scap_evinfo *ei = en ? sr_scap_event(en->type) : NULL;
	const struct sr_scap_evinfo *xi = xe ? sr_scap_event(xe->type) : NULL;
	struct param ep[MAXP], xp[MAXP];
	uint32_t ne = en ? params(r, en, ep, MAXP) : 0, nx = xe ? params(r, xe, xp, MAXP) : 0;
	uint32_t i, k = 0;
	int ret_i = -1;
	int64_t pid = sr_scap_tgid_of(r, (int64_t)first->tid), ret = -1, efd = -1;
	struct sr_event *out;
	struct sr_str rpath = { 0 };

	if (xe && xi && nx && !xe->raw &&
	    (!strcmp(xi->params[0].name, "res") || !strcmp(xi->params[0].name, "fd")) &&
	    is_int(xp[0].n)) {
		ret_i = 0;
		ret = sr_scap_int(&r->dec, xp[0].p, xp[0].n, true);
	}
	out = sr_scap_push(b);
	if (!out || !lead(r, b, out, xe && (!en || resumed) ? xe : first))
		return false;
	out->kind = xe ? SR_E_SYSCALL : SR_E_UNFINISHED;
	out->pad = 1;
	out->name = en ? ev_name(r, b, en, ei, ep, ne) : ev_name(r, b, xe, xi, xp, nx);
	out->args = sr_arena_alloc(b->arena, (ne + nx + 1) * sizeof(*out->args));
	if (!out->name || !out->args)
		return false;
	/* the generic event of a call the driver does not decode: its two
	 * parameters name the call, whose arguments the capture lacks (they
	 * are not the call's arguments, so none are given); kept when the
	 * number names no call */
	if (first->type <= 1 && strncmp(out->name->str, "syscall", 7))
		ne = nx = 0;
	for (i = 0; i < ne; i++) {
		if (!decode(r, en, ei, i, &ep[i], pid, &out->args[k]))
			return false;
		if (out->args[k].name.len == 2 && !memcmp(out->args[k].name.ptr, "fd", 2) &&
		    is_int(ep[i].n))
			efd = sr_scap_int(&r->dec, ep[i].p, ep[i].n, true);
		k++;
	}
	if (!xe) {
		if (ei && !sr_scap_strace_order(b->arena, ei->name, out->args, &k, NULL))
			return false;
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
	/* a resumed call keeps first what its marker printed (the enter's) */
	if ((ei || xi) && !sr_scap_strace_order(b->arena, (ei ? ei : xi)->name, out->args, &k,
						  en && resumed ? &ne : NULL))
		return false;
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
		if (!decode(r, ev, info, i, &pp[i], sr_scap_tgid_of(r, (int64_t)ev->tid), &v))
			return false;
		t[len++] = ' ';
		sr_scap_value_text(&v, t, cap, &len);
	}
	out->kind = SR_E_MESSAGE;
	out->text = (struct sr_str){ t, len < cap ? len : cap };
	return true;
}

bool sr_scap_emit_other(struct sr_reader *r, struct sr_batch *b, const struct rawev *ev,
		       const struct sr_scap_evinfo *info)
{
	struct sr_event *out = sr_scap_push(b);
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

