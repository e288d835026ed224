/*
 * strace_parse.c - one strace output line into one event: the leader fields
 * (pid, secontext, times, -n, -i), then the body: a call with its return
 * part, a signal, an exit, a summary-table row, an attachment (-k frame,
 * -e read=/write= dump) or strace's own message.  The per-task state
 * (unfinished calls) lives in in_strace.c; this file is stateless.
 */
#include <string.h>

#include "strace_internal.h"

static inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline bool is_hex(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool starts(const char *p, const char *end, const char *lit, size_t n)
{
	return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}
#define STARTS(p, end, lit) starts((p), (end), (lit), sizeof(lit) - 1)

static bool ends(const char *p, const char *end, const char *lit, size_t n)
{
	return (size_t)(end - p) >= n && memcmp(end - n, lit, n) == 0;
}
#define ENDS(p, end, lit) ends((p), (end), (lit), sizeof(lit) - 1)

/* Reads digits; returns the end. */
static const char *digits(const char *p, const char *end, uint64_t *v)
{
	uint64_t x = 0;

	while (p < end && is_digit((unsigned char)*p) && x < UINT64_MAX / 10)
		x = x * 10 + (uint64_t)(*p++ - '0');
	*v = x;
	return p;
}

/* Whether the n digits at p are spelled as the printer spells their value:
 * no leading zero, and few enough to fit (19 digits may overflow). */
static bool plain_number(const char *p, size_t n)
{
	return n > 0 && n <= 18 && (n == 1 || p[0] != '0');
}

/* ".123456" into nsec and the digit count (at most 9). */
static const char *fraction(const char *p, const char *end, struct sr_time *t)
{
	static const uint32_t scale[10] = { 1000000000, 100000000, 10000000, 1000000, 100000,
					    10000, 1000, 100, 10, 1 };
	uint32_t ns = 0;
	int n = 0;

	/* -tt and -T print six digits: read them at once */
	if (end - p >= 7 && p[0] == '.' && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) &&
	    is_digit(p[4]) && is_digit(p[5]) && is_digit(p[6]) && (end - p == 7 || !is_digit(p[7]))) {
		t->digits = 6;
		t->nsec = ((uint32_t)(p[1] - '0') * 100000 + (uint32_t)(p[2] - '0') * 10000 +
			   (uint32_t)(p[3] - '0') * 1000 + (uint32_t)(p[4] - '0') * 100 +
			   (uint32_t)(p[5] - '0') * 10 + (uint32_t)(p[6] - '0')) * 1000;
		return p + 7;
	}
	if (p < end && *p == '.') {
		p++;
		while (p < end && is_digit((unsigned char)*p) && n < 9) {
			ns = ns * 10 + (uint32_t)(*p++ - '0');
			n++;
		}
	}
	t->digits = (uint8_t)n;
	t->nsec = ns * scale[n];
	return p;
}

/* "12:34:56[.frac] " */
static const char *parse_tod(const char *p, const char *end, struct sr_time *t,
			     uint32_t *doubt)
{
	int hh, mm, ss;

	if (end - p < 9 || !is_digit(p[0]) || !is_digit(p[1]) || p[2] != ':' || !is_digit(p[3]) ||
	    !is_digit(p[4]) || p[5] != ':' || !is_digit(p[6]) || !is_digit(p[7]))
		return NULL;
	hh = (p[0] - '0') * 10 + p[1] - '0';
	mm = (p[3] - '0') * 10 + p[4] - '0';
	ss = (p[6] - '0') * 10 + p[7] - '0';
	t->clock = SR_CLOCK_TOD;
	t->sec = hh * 3600 + mm * 60 + ss;
	p = fraction(p + 8, end, t);
	if (p >= end || *p != ' ')
		return NULL;
	/* the printer writes the value back: "00:61:00" would be "01:01:00",
	 * "12:00:00." loses its dot */
	if (mm > 59 || ss > 59 || (!t->digits && p[-1] == '.'))
		*doubt |= SR_DOUBT_TIME;
	return p + 1;
}

/* "   0.000123" (-r, right-aligned) or "1795747866.399862" (-ttt). */
static const char *parse_secs(const char *p, const char *end, struct sr_time *t, bool rel_only,
			      uint32_t *doubt)
{
	const char *s = p, *d;
	uint64_t v;

	while (p < end && *p == ' ')
		p++;
	d = p;
	p = digits(p, end, &v);
	if (p == d || p >= end)
		return NULL;
	t->sec = (int64_t)v;
	t->width = (uint8_t)(p - s);
	if (!plain_number(d, (size_t)(p - d)) || p - s > 255)
		*doubt |= SR_DOUBT_TIME;
	p = fraction(p, end, t);
	if (p >= end || *p != ' ')
		return NULL;
	if (!t->digits && p[-1] == '.')
		*doubt |= SR_DOUBT_TIME;
	/* epoch seconds have ten digits; -r deltas are small and padded */
	if (!rel_only && s == d && v >= 100000000)
		t->clock = SR_CLOCK_EPOCH;
	else
		t->clock = SR_CLOCK_REL;
	return p;
}

/* The fields before the body.  Returns the body start. */
static const char *parse_leader(const char *p, const char *end, struct sr_leader *l,
				uint32_t *doubt)
{
	const char *q;
	uint64_t v;

	l->pid = -1;
	if (STARTS(p, end, "[pid ")) {
		const char *d;

		q = p + 5;
		while (q < end && *q == ' ')
			q++;
		d = q;
		q = digits(q, end, &v);
		/* "%5u": spaces up to five columns, none past them */
		if (!plain_number(d, (size_t)(q - d)) ||
		    (size_t)(q - (p + 5)) != (q - d < 5 ? 5 : (size_t)(q - d)))
			*doubt |= SR_DOUBT_PID;
		if (q < end && *q == '<') {
			const char *c = memchr(q, '>', (size_t)(end - q));

			if (c) {
				l->comm = (struct sr_str){ q + 1, (size_t)(c - q - 1) };
				q = c + 1;
				if (!l->comm.len) /* "<>" is not printed */
					*doubt |= SR_DOUBT_PID;
			}
		}
		if (STARTS(q, end, "] ")) {
			l->pid = (int64_t)v;
			l->pid_form = SR_PID_BRACKET;
			p = q + 2;
		}
	} else if (p < end && is_digit((unsigned char)*p)) {
		/* "1234 " (-o FILE -f), not "1795747866.399862 " nor "02:51:06" */
		q = digits(p, end, &v);
		if (q < end && *q == '<') {
			const char *c = memchr(q, '>', (size_t)(end - q));

			if (c && c + 1 < end && c[1] == ' ') {
				l->comm = (struct sr_str){ q + 1, (size_t)(c - q - 1) };
				q = c + 1;
			}
		}
		if (q < end && *q == ' ' && v < 100000000) {
			/* "%-5u ": pad to five columns, then one space; more
			 * spaces belong to the next field (-r pads too).  With a
			 * comm, "%u<comm> " is not padded; nor is a pid in
			 * traces made by hand or by other tools ("7 clone(...)
			 * = 8"): one space, then the next field, is a pid too
			 * (a line the printer does not spell back is kept
			 * verbatim).  -r=s seconds are padded to six columns,
			 * so a bare short number at the start is no time. */
			const char *col5 = p + 5, *sp = q;

			while (q < end && *q == ' ' && q < col5)
				q++;
			if (!(q < end && *q == ' ') && sp + 1 < end && sp[1] != ' ')
				q = sp; /* unpadded */
			if (q < end && *q == ' ') {
				/* the printer writes "%-5u " bare, "%u<comm> " */
				size_t nd = (size_t)(sp - p) - (l->comm.ptr ? l->comm.len + 2 : 0);
				size_t want = l->comm.len ? (size_t)(sp - p) : (nd < 5 ? 5 : nd);

				if (!plain_number(p, nd) || (l->comm.ptr && !l->comm.len) ||
				    (size_t)(q - p) != want)
					*doubt |= SR_DOUBT_PID;
				l->pid = (int64_t)v;
				l->pid_form = SR_PID_PLAIN;
				p = q + 1;
			}
		}
	}
	/* --secontext: "[ctx] " with letters (not -n digits nor -i hex) */
	if (p < end && *p == '[') {
		q = memchr(p, ']', (size_t)(end - p));
		if (q && q + 1 < end && q[1] == ' ') {
			const char *c;
			bool ctx = false;

			for (c = p + 1; c < q; c++)
				if (!is_hex((unsigned char)*c) && *c != ' ' && *c != '?')
					ctx = true;
			if (ctx && !STARTS(p, end, "[pid ")) {
				l->secontext = (struct sr_str){ p + 1, (size_t)(q - p - 1) };
				p = q + 2;
			}
		}
	}
	if ((q = parse_tod(p, end, &l->time, doubt)) != NULL) {
		p = q;
	} else {
		memset(&l->time, 0, sizeof(l->time));
		if (p < end && (is_digit((unsigned char)*p) || *p == ' ')) {
			struct sr_time t = { 0 };

			q = parse_secs(p, end, &t, false, doubt);
			if (q) {
				if (t.clock == SR_CLOCK_EPOCH)
					l->time = t;
				else
					l->rel = t;
				p = q + 1;
			}
		}
	}
	if (l->time.clock && STARTS(p, end, "(+")) {
		struct sr_time t = { 0 };

		/* "(+     0.000070) ": the number ends at ')' */
		{
			const char *r = p + 2, *d;
			uint64_t sv;

			while (r < end && *r == ' ')
				r++;
			d = r;
			r = digits(r, end, &sv);
			if (r > d) {
				t.sec = (int64_t)sv;
				t.width = (uint8_t)(r - (p + 2));
				if (!plain_number(d, (size_t)(r - d)) || r - (p + 2) > 255)
					*doubt |= SR_DOUBT_TIME;
				r = fraction(r, end, &t);
				if (STARTS(r, end, ") ")) {
					if (!t.digits && r[-1] == '.')
						*doubt |= SR_DOUBT_TIME;
					t.clock = SR_CLOCK_REL;
					l->rel = t;
					p = r + 2;
				}
			}
		}
	}
	/* -n "[ 59] " or "[???] ", then -i "[00007f9140ba5ad7] " */
	if (p < end && *p == '[') {
		q = memchr(p, ']', (size_t)(end - p));
		if (q && q + 1 < end && q[1] == ' ' && q - p - 1 < 8 && q - p > 1) {
			const char *c = p + 1;

			if (*c == '?') {
				while (c < q && *c == '?')
					c++;
				if (c == q) {
					l->has_nr = l->nr_unknown = true;
					l->nr_width = (uint8_t)(q - p - 1);
					p = q + 2;
				}
			} else {
				while (c < q && *c == ' ')
					c++;
				if (c < q && digits(c, q, &v) == q) {
					if (!plain_number(c, (size_t)(q - c)))
						*doubt |= SR_DOUBT_NR;
					l->has_nr = true;
					l->nr = (int32_t)v;
					l->nr_width = (uint8_t)(q - p - 1);
					p = q + 2;
				}
			}
		}
	}
	if (p < end && *p == '[') {
		q = memchr(p, ']', (size_t)(end - p));
		if (q && q + 1 < end && q[1] == ' ' && q - p - 1 >= 8 && q - p - 1 <= 16) {
			const char *c = p + 1;
			uint64_t ip = 0;
			bool unknown = *c == '?', spaced = *c == ' ';

			/* strace <= 4.7 on x86_64 printed "%16lx": spaces where
			 * the zeros are, "[    7f2f1a2b3c4d] "; a zero after them
			 * could not come back from the value */
			while (c < q && *c == ' ')
				c++;
			if (spaced && (c == q || (*c == '0' && c + 1 < q)))
				c = p; /* not an ip: fails the loop's test at once */
			for (; c < q; c++) {
				if (unknown ? *c != '?' : !is_hex((unsigned char)*c))
					break;
				if (!unknown) {
					unsigned char h = (unsigned char)*c;

					ip = ip << 4 | (uint64_t)(is_digit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
				}
			}
			if (c == q) {
				for (c = p + 1; c < q; c++)
					if (*c >= 'A' && *c <= 'F')
						*doubt |= SR_DOUBT_IP;
				l->has_ip = true;
				l->ip_unknown = unknown;
				l->ip_spaced = spaced;
				l->ip = ip;
				l->ip_digits = (uint8_t)(q - p - 1);
				p = q + 2;
			}
		}
	}
	return p;
}

/* Syscall and errno names repeat line after line: a small direct-mapped
 * cache in front of the interning table saves hashing most of them. */
static const struct sr_atom *atom(struct sr_stp *ps, const char *s, size_t n)
{
	unsigned h = (unsigned)n * 31u;
	const struct sr_atom *a;

	if (n)
		h = h * 131u + (unsigned char)s[0] * 7u + (unsigned char)s[n - 1] +
		    (unsigned char)s[n / 2] * 13u;
	h &= SR_STP_ACACHE - 1;
	a = ps->acache[h];
	if (a && a->len == n && memcmp(a->str, s, n) == 0 && ps->acache_owner == ps->atoms)
		return a;
	a = sr_intern(ps->atoms, s, n);
	ps->acache[h] = a;
	ps->acache_owner = ps->atoms;
	return a;
}

/* " <0.000204>" at the end of the line, or " <1>" (--syscall-times=s,
 * strace 5.6+: whole seconds, no dot). */
static const char *strip_duration(struct sr_stp *ps, const char *s, const char *end,
				  struct sr_event *ev)
{
	const char *q = end - 1, *dot = NULL;

	if (end - s < 4 || *q != '>')
		return end;
	for (q--; q > s && (is_digit((unsigned char)*q) || *q == '.'); q--)
		if (*q == '.')
			dot = q;
	if (!dot)
		dot = end - 1; /* fraction() reads no digit at the '>' */
	if (q <= s || *q != '<' || q[-1] != ' ' || q + 1 == dot)
		return end;
	{
		struct sr_time t = { 0 };
		uint64_t v;

		digits(q + 1, dot, &v);
		t.sec = (int64_t)v;
		fraction(dot, end - 1, &t);
		t.clock = SR_CLOCK_REL;
		ev->duration = t;
		/* "<00.5>", "<1.>", "<1.2.3>", ten digits: not as printed */
		if (!plain_number(q + 1, (size_t)(dot - q - 1)) ||
		    (dot < end - 1 && (!t.digits || dot + 1 + t.digits != end - 1)))
			ps->doubt |= SR_DOUBT_DURATION;
	}
	return q - 1;
}

/* "(text)" with nesting; returns the end of the closing paren or NULL. */
static const char *paren_group(const char *p, const char *end)
{
	int depth = 0;
	bool quote = false;

	for (; p < end; p++) {
		if (quote) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				quote = false;
			continue;
		}
		if (*p == '"')
			quote = true;
		else if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p;
	}
	return NULL;
}

/* "= value [ERRNO] [(msg)] [(note)]..." from p (at "= ") to end. */
static bool parse_return(struct sr_stp *ps, const char *p, const char *end, struct sr_event *ev)
{
	struct sr_str notes[16];
	uint32_t nn = 0;

	ev->has_ret = true;
	p += 2;
	if (p < end && *p == '?') {
		ev->ret = NULL;
		p++;
		if (STARTS(p, end, " <")) {
			const char *c = memchr(p, '>', (size_t)(end - p));

			if (c) {
				ev->unavail = (struct sr_str){ p + 1, (size_t)(c - p) };
				p = c + 1;
			}
		}
	} else {
		struct sr_value *v = sr_arena_alloc(ps->arena, sizeof(*v));

		if (!v)
			return sr_stp_fail(ps, "memory");
		ps->p = p;
		ps->end = end;
		if (!sr_stp_value(ps, v))
			return false;
		ev->ret = v;
		p = ps->p;
	}
	/* " ENOENT" */
	if (p + 1 < end && p[0] == ' ' && p[1] == 'E') {
		const char *q = p + 1;

		while (q < end && ((*q >= 'A' && *q <= 'Z') || is_digit((unsigned char)*q) || *q == '_'))
			q++;
		ev->err = atom(ps, p + 1, (size_t)(q - p - 1));
		p = q;
	}
	/* " (message)" then " (note)"... */
	while (p + 1 < end && p[0] == ' ' && p[1] == '(') {
		const char *c = paren_group(p + 1, end);
		struct sr_str t;

		if (!c) {
			ps->p = p;
			return sr_stp_fail(ps, "')'");
		}
		t = (struct sr_str){ p + 2, (size_t)(c - p - 2) };
		if ((ev->err || (ev->ret && ev->ret->kind == SR_V_INT && ev->ret->num.i == -1 &&
				 STARTS(t.ptr, t.ptr + t.len, "errno "))) &&
		    !ev->errmsg.len && nn == 0)
			ev->errmsg = t;
		else if (nn < 16)
			notes[nn++] = t;
		else
			return sr_stp_fail(ps, "fewer annotations");
		p = c + 1;
	}
	if (p != end) {
		ps->p = p;
		return sr_stp_fail(ps, "end of line after the return value");
	}
	if (nn) {
		ev->notes = sr_arena_alloc(ps->arena, nn * sizeof(*ev->notes));
		if (!ev->notes)
			return sr_stp_fail(ps, "memory");
		memcpy(ev->notes, notes, nn * sizeof(*notes));
		ev->nnotes = nn;
	}
	return true;
}

static bool is_name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

/* After the argument list: padding, then the return part. */
static bool parse_after_args(struct sr_stp *ps, const char *p, const char *end,
			     struct sr_event *ev)
{
	const char *q = p;

	while (q < end && *q == ' ')
		q++;
	if (q == end && p == end) {
		/* no return part: strace printed nothing after ')' */
		return true;
	}
	if (!STARTS(q, end, "= ")) {
		ps->p = q;
		return sr_stp_fail(ps, "'= ' before the return value");
	}
	if (q - p >= UINT16_MAX)
		ps->doubt |= SR_DOUBT_SEP; /* more spaces than pad holds */
	ev->pad = (uint16_t)(q - p);
	ps->padat = p;
	return parse_return(ps, q, end, ev);
}

static bool call_rest(struct sr_stp *ps, const char *end, struct sr_event *ev, bool sep);

bool sr_strace_parse_call(struct sr_stp *ps, const char *s, const char *end, struct sr_event *ev)
{
	const char *p = s;
	bool sep;

	end = strip_duration(ps, s, end, ev);
	while (p < end && is_name_char((unsigned char)*p))
		p++;
	if (p == s || p >= end || *p != '(') {
		ps->p = p;
		return sr_stp_fail(ps, "a syscall name and '('");
	}
	ev->kind = SR_E_SYSCALL;
	ev->name = atom(ps, s, (size_t)(p - s));
	ps->p = p + 1;
	ps->end = end;
	if (!sr_stp_args(ps, ')', &ev->args, &ev->nargs, &sep))
		return false;
	return call_rest(ps, end, ev, sep);
}

bool sr_strace_parse_call_cont(struct sr_stp *ps, const char *s, const char *end, size_t pre,
			       const struct sr_value *head, uint32_t nhead, bool after_sep,
			       struct sr_event *ev)
{
	const char *e = strip_duration(ps, s, end, ev);
	bool sep;

	if (e < s + pre)
		/* a duration that starts in the kept part: no such line comes
		 * from strace, parse it all as it is */
		return sr_strace_parse_call(ps, s, end, ev);
	ev->kind = SR_E_SYSCALL;
	ps->p = s + pre;
	ps->end = e;
	if (!sr_stp_args_cont(ps, ')', head, nhead, after_sep, &ev->args, &ev->nargs, &sep))
		return false;
	return call_rest(ps, e, ev, sep);
}

/* The rest of a call after its arguments: a cut's tail, the ')', a mask
 * (4.x), the return part. */
static bool call_rest(struct sr_stp *ps, const char *end, struct sr_event *ev, bool sep)
{
	if (starts(ps->p, end, " <unfinished ...>)", 18)) {
		/* the task died in the call: "name(a,  <unfinished ...>) = ?" */
		ev->flags |= SR_EF_RESUMED_CUT;
		ps->p += 17;
	}
	if (ps->p >= end || *ps->p != ')') {
		return sr_stp_fail(ps, "')' after the arguments");
	}
	if (sep)
		ev->flags |= SR_EF_SEP_CUT;
	if (starts(ps->p, end, ") (mask ", 8) && !sep) {
		/* strace 4.x sigreturn: "sigreturn() (mask [HUP INT]) = 0", the
		 * restored mask printed after the arguments' paren */
		struct sr_value *a = sr_arena_alloc(ps->arena, (ev->nargs + 1) * sizeof(*a));

		if (!a)
			return sr_stp_fail(ps, "memory");
		if (ev->nargs)
			memcpy(a, ev->args, ev->nargs * sizeof(*a));
		ps->p += 8;
		if (!sr_stp_value(ps, &a[ev->nargs]))
			return false;
		if (ps->p >= end || *ps->p != ')')
			return sr_stp_fail(ps, "')' after the mask");
		a[ev->nargs].name = (struct sr_str){ "mask", 4 };
		ev->args = a;
		ev->nargs++;
		ev->flags |= SR_EF_MASK_AFTER;
	}
	return parse_after_args(ps, ps->p + 1, end, ev);
}

/* "--- SIGCHLD {...} ---" / "--- stopped by SIGSTOP ---" */
static bool parse_signal(struct sr_stp *ps, const char *p, const char *end, struct sr_event *ev)
{
	const char *q;

	ps->doubt |= SR_DOUBT_KIND;
	ev->kind = SR_E_SIGNAL;
	p += 4;
	end -= 4;
	if (STARTS(p, end, "stopped by ")) {
		ev->flags |= SR_EF_STOPPED;
		p += 11;
	}
	q = p;
	while (q < end && *q != ' ')
		q++;
	ev->name = atom(ps, p, (size_t)(q - p));
	if (q < end) {
		ev->args = sr_arena_alloc(ps->arena, sizeof(*ev->args));
		if (!ev->args)
			return sr_stp_fail(ps, "memory");
		ps->p = q + 1;
		ps->end = end;
		if (!sr_stp_value(ps, ev->args) || ps->p != end) {
			/* strace 4.x: "--- SIGCHLD (Child exited) @ 0 (0) ---": the
			 * words after the name kept as they are */
			memset(ev->args, 0, sizeof(*ev->args));
			ev->args->kind = SR_V_IDENT;
			ev->args->text = (struct sr_str){ q + 1, (size_t)(end - q - 1) };
			ps->expected = NULL;
		}
		ev->nargs = 1;
	}
	return true;
}

static bool parse_int_until(const char *p, const char *end, int64_t *out)
{
	bool neg = false;
	uint64_t v;
	const char *q;

	if (p < end && *p == '-') {
		neg = true;
		p++;
	}
	q = digits(p, end, &v);
	if (q == p || q != end)
		return false;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return true;
}

/* "+++ exited with 0 +++" and friends. */
static bool parse_exit(struct sr_stp *ps, const char *p, const char *end, struct sr_event *ev)
{
	ps->doubt |= SR_DOUBT_KIND; /* "exited with 007" comes back "7" */
	p += 4;
	end -= 4;
	if (STARTS(p, end, "exited with ")) {
		ev->kind = SR_E_EXIT;
		return parse_int_until(p + 12, end, &ev->code);
	}
	if (STARTS(p, end, "killed by ")) {
		ev->kind = SR_E_KILLED;
		p += 10;
		if (ENDS(p, end, " (core dumped)")) {
			ev->flags |= SR_EF_CORE;
			end -= 14;
		}
		ev->name = atom(ps, p, (size_t)(end - p));
		return true;
	}
	if (STARTS(p, end, "superseded by execve in pid ")) {
		ev->kind = SR_E_SUPERSEDED;
		return parse_int_until(p + 28, end, &ev->code);
	}
	return false;
}

/* -c tables.  strace prints each column right-aligned to its width and
 * the syscall name left-aligned (unpadded when last), one space apart; the
 * header names the columns (-U picks and orders them) and the rule of
 * dashes under it gives their widths. */
static const struct {
	const char *name;
	uint8_t len, col;
} sum_cols[] = {
	{ "% time", 6, SR_SC_PCT },      { "seconds", 7, SR_SC_SECONDS },
	{ "shortest", 8, SR_SC_MIN },    { "longest", 7, SR_SC_MAX },
	{ "usecs/call", 10, SR_SC_USECS }, { "calls", 5, SR_SC_CALLS },
	{ "errors", 6, SR_SC_ERRORS },   { "syscall", 7, SR_SC_NAME },
};

static void default_table(struct sr_summary *t)
{
	static const uint8_t cols[] = { SR_SC_PCT, SR_SC_SECONDS, SR_SC_USECS,
					SR_SC_CALLS, SR_SC_ERRORS, SR_SC_NAME };
	static const uint8_t widths[] = { 6, 11, 11, 9, 9, 16 };

	t->ncols = 6;
	memcpy(t->col, cols, sizeof(cols));
	memcpy(t->width, widths, sizeof(widths));
}

/* The header: column names separated by spaces ("% time" has one inside). */
static bool parse_sum_header(const char *p, const char *end, struct sr_summary *t)
{
	uint8_t n = 0;
	size_t i;

	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			break;
		for (i = 0; i < sizeof(sum_cols) / sizeof(sum_cols[0]); i++)
			if (starts(p, end, sum_cols[i].name, sum_cols[i].len) &&
			    (p + sum_cols[i].len == end || p[sum_cols[i].len] == ' '))
				break;
		if (i == sizeof(sum_cols) / sizeof(sum_cols[0]) || n == SR_SUM_MAXCOLS)
			return false;
		t->col[n++] = sum_cols[i].col;
		p += sum_cols[i].len;
	}
	if (n < 2)
		return false;
	t->ncols = n;
	return true;
}

/* The rule: a run of dashes per column. */
static bool parse_sum_rule(const char *p, const char *end, struct sr_summary *t)
{
	uint8_t n = 0;

	while (p < end) {
		const char *s = p;

		while (p < end && *p == '-')
			p++;
		if (p == s || p - s > 255 || n == SR_SUM_MAXCOLS)
			return false;
		t->width[n++] = (uint8_t)(p - s);
		if (p < end && *p++ != ' ')
			return false;
	}
	return n > 0 && (t->ncols == 0 || n == t->ncols);
}

/* "0.000473" into a double, exactly as many fraction digits as wanted. */
static bool sum_number(const char *s, const char *e, int frac, double *out, uint64_t *iout)
{
	uint64_t ip, fp = 0;
	const char *d = digits(s, e, &ip);
	int i;

	if (d == s)
		return false;
	if (frac) {
		const char *f;

		if (d >= e || *d != '.')
			return false;
		f = digits(d + 1, e, &fp);
		if (f != e || f - d - 1 != frac)
			return false;
		d = f;
	}
	if (d != e)
		return false;
	if (out) {
		double scale = 1;

		for (i = 0; i < frac; i++)
			scale *= 10;
		*out = (double)ip + (double)fp / scale;
	}
	if (iout)
		*iout = ip;
	return true;
}

static bool parse_sum_row(struct sr_stp *ps, const char *line, const char *end,
			  struct sr_summary *s, struct sr_event *ev)
{
	const char *p = line;
	long shift = 0, colstart = 0;
	uint8_t j;
	bool named = false;

	for (j = 0; j < s->ncols; j++) {
		long cstart = colstart + shift, cend = cstart + s->width[j];
		const char *t, *te;
		uint8_t c = s->col[j];

		colstart += s->width[j] + 1;
		while (p < end && *p == ' ')
			p++;
		t = p;
		while (p < end && *p != ' ')
			p++;
		te = p;
		if (t == te)
			continue; /* blank up to the end */
		if (c == SR_SC_NAME) {
			if (t - line != cstart)
				return false;
			if (te - t > s->width[j])
				shift += (te - t) - s->width[j];
			if (te - t == 5 && memcmp(t, "total", 5) == 0) {
				s->row = SR_SUM_TOTAL;
			} else {
				s->row = SR_SUM_ROW;
				ev->name = atom(ps, t, (size_t)(te - t));
			}
			named = true;
		} else {
			double dv;
			uint64_t uv;

			/* a right-aligned cell ends at its column's end; a cell
			 * that starts past it is the next column's: this one is
			 * blank */
			if (t - line > cend) {
				p = t;
				continue;
			}
			if (te - line > cend)
				shift += (te - line) - cend;
			switch (c) {
			case SR_SC_PCT:
				if (!sum_number(t, te, 2, &s->pct, NULL))
					return false;
				break;
			case SR_SC_SECONDS:
				if (!sum_number(t, te, 6, &s->seconds, NULL))
					return false;
				break;
			case SR_SC_MIN:
			case SR_SC_MAX:
				if (!sum_number(t, te, 6, &dv, NULL))
					return false;
				*(c == SR_SC_MIN ? &s->min : &s->max) = dv;
				break;
			default:
				if (!sum_number(t, te, 0, NULL, &uv))
					return false;
				if (c == SR_SC_USECS)
					s->usecs = uv;
				else if (c == SR_SC_CALLS)
					s->calls = uv;
				else
					s->errors = uv;
			}
		}
		s->has |= (uint16_t)(1u << c);
	}
	s->has_errors = (s->has >> SR_SC_ERRORS) & 1;
	return named && p == end;
}

static bool parse_summary(struct sr_stp *ps, const char *p, const char *end, struct sr_event *ev)
{
	struct sr_summary *s = sr_arena_alloc(ps->arena, sizeof(*s));
	struct sr_summary t = ps->table;

	if (!s)
		return false;
	memset(s, 0, sizeof(*s));
	if (parse_sum_header(p, end, &t)) {
		memset(t.width, 0, sizeof(t.width));
		ps->table = t;
		s->row = SR_SUM_HEADER;
	} else if (*p == '-' && parse_sum_rule(p, end, &t)) {
		if (!t.ncols) {
			/* a table cut above its rule: the default columns, if they fit */
			struct sr_summary d = { 0 };

			default_table(&d);
			if (memcmp(d.width, t.width, sizeof(d.width)) != 0)
				return false;
			t.ncols = d.ncols;
			memcpy(t.col, d.col, sizeof(d.col));
		}
		ps->table = t;
		s->row = SR_SUM_RULE;
	} else {
		if (!t.ncols || !t.width[0])
			default_table(&t);
		s->ncols = t.ncols;
		memcpy(s->col, t.col, sizeof(t.col));
		memcpy(s->width, t.width, sizeof(t.width));
		if (!parse_sum_row(ps, p, end, s, ev))
			return false;
	}
	if (s->row == SR_SUM_HEADER || s->row == SR_SUM_RULE) {
		s->ncols = t.ncols;
		memcpy(s->col, t.col, sizeof(t.col));
		memcpy(s->width, t.width, sizeof(t.width));
		ev->text = (struct sr_str){ p, (size_t)(end - p) };
	}
	ev->kind = SR_E_SUMMARY;
	ev->sum = s;
	/* a row's cells are printed with printf's widths and rounding */
	ps->doubt |= SR_DOUBT_KIND;
	return true;
}

/* Whether a line may be a -c table line (cheap test before parsing). */
static bool maybe_summary(const char *line, const char *end)
{
	const char *p = line;

	if (STARTS(line, end, "% time ") || STARTS(line, end, "------") ||
	    STARTS(line, end, "syscall ") || STARTS(line, end, "calls ") ||
	    STARTS(line, end, "seconds ") || STARTS(line, end, "errors ") ||
	    STARTS(line, end, "total ") || STARTS(line, end, "usecs/call ") ||
	    STARTS(line, end, "shortest ") || STARTS(line, end, " longest ") ||
	    STARTS(line, end, "longest "))
		return true;
	/* a row: no parenthesis, and starts with a number or a name+spaces */
	if (memchr(line, '(', (size_t)(end - line)) || memchr(line, '=', (size_t)(end - line)))
		return false;
	while (p < end && *p == ' ')
		p++;
	return p < end;
}

/* " > module(sym+0x1) [0x2]", " | 00000  7f 45 ...  .ELF |", " * 5 bytes in buffer 0" */
bool sr_strace_parse_attach(const char *p, const char *end, struct sr_attach *a)
{
	memset(a, 0, sizeof(*a));
	a->text = (struct sr_str){ p, (size_t)(end - p) };
	if (STARTS(p, end, " > ")) {
		const char *open, *close, *br;

		a->kind = SR_A_FRAME;
		p += 3;
		br = end;
		while (br > p && *br != '[')
			br--;
		if (br > p && br[-1] == ' ' && ENDS(br, end, "]") && STARTS(br, end, "[0x")) {
			const char *h;

			for (h = br + 3; h < end - 1; h++)
				a->addr = a->addr << 4 |
					  (uint64_t)(is_digit((unsigned char)*h) ? *h - '0' : (*h | 0x20) - 'a' + 10);
			end = br - 1;
		}
		open = memchr(p, '(', (size_t)(end - p));
		close = end > p && end[-1] == ')' ? end - 1 : NULL;
		if (!open && p < end && *p != '/') {
			/* " > unexpected_backtracing_error [0x7f12]": no frame */
			a->kind = SR_A_TEXT;
			a->addr = 0;
			return true;
		}
		if (open && close) {
			const char *plus = close;

			a->module = (struct sr_str){ p, (size_t)(open - p) };
			while (plus > open && *plus != '+')
				plus--;
			if (plus > open && STARTS(plus, close, "+0x")) {
				const char *h;

				a->symbol = (struct sr_str){ open + 1, (size_t)(plus - open - 1) };
				for (h = plus + 3; h < close; h++)
					a->offset = a->offset << 4 |
						    (uint64_t)(is_digit((unsigned char)*h) ? *h - '0' : (*h | 0x20) - 'a' + 10);
			} else {
				a->symbol = (struct sr_str){ open + 1, (size_t)(close - open - 1) };
			}
		} else {
			a->module = (struct sr_str){ p, (size_t)(end - p) };
		}
		return true;
	}
	if (STARTS(p, end, " | ") && ENDS(p, end, " |")) {
		const char *q = p + 3;
		uint64_t off = 0;

		a->kind = SR_A_DUMP;
		while (q < end && is_hex((unsigned char)*q)) {
			unsigned char h = (unsigned char)*q++;

			off = off << 4 | (uint64_t)(is_digit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
		}
		a->addr = off;
		/* the hex columns are parsed by the JSON side from text when needed */
		a->bytes = (struct sr_str){ q, 0 };
		return true;
	}
	if (STARTS(p, end, " * ")) {
		uint64_t n, k;
		const char *q = digits(p + 3, end, &n);

		if (STARTS(q, end, " bytes in buffer ")) {
			const char *r = digits(q + 17, end, &k);

			if (r == end) {
				a->kind = SR_A_IOV;
				a->addr = n;
				a->offset = k;
				return true;
			}
		}
		a->kind = SR_A_TEXT;
		return true;
	}
	if (STARTS(p, end, " = ")) {
		/* -e write= of sendmmsg: " = 2 buffers in vector 0" heads
		 * each message's buffers */
		uint64_t n, k;
		const char *q = digits(p + 3, end, &n);

		if (q > p + 3 && STARTS(q, end, " buffers in vector ") &&
		    digits(q + 19, end, &k) == end && end > q + 19) {
			a->kind = SR_A_TEXT;
			return true;
		}
	}
	return false;
}

size_t sr_strace_splice_at(const char *line, size_t len)
{
	const char *m = len > 1 ? memmem(line + 1, len - 1, "strace: ", 8) : NULL;
	const char *end = line + len, *q;

	if (m)
		return (size_t)(m - line);
	/* strace 4.x: "clone(Process 21721 attached" */
	for (q = line + 1; q < end && (q = memmem(q, (size_t)(end - q), "Process ", 8)); q++)
		if (sr_strace_old_message(q, end))
			return (size_t)(q - line);
	return 0;
}

bool sr_strace_old_message(const char *p, const char *end)
{
	static const char *const verbs[] = { "attached", "detached", "resumed", "suspended" };
	uint64_t pid;
	const char *q;

	if (!STARTS(p, end, "Process "))
		return false;
	q = digits(p + 8, end, &pid);
	if (q == p + 8 || q >= end || *q++ != ' ')
		return false;
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (starts(q, end, verbs[i], strlen(verbs[i])))
			return true;
	return false;
}

/*
 * The tail of a call cut by strace, p..end ending in '>': " <unfinished
 * ...>", " <detached ...>", strace 4.x's task that exited in the call
 * ("madvise(0x7f, 8, MADV_DONTNEED <unfinished ... exit status 0>") or
 * strace 5.x+'s execve in a thread that took the leader's pid ("execve(...,
 * 0 <pid changed to 2805 ...>").  Sets *e to where the tail starts, *det,
 * and *status (-1 when none) with *pidchg telling which of the two it is.
 * Shared by sr_strace_parse_line and sr_strace_cut_shape, so that the piece
 * planner sees the same cut calls as the reader.
 */
static bool cut_tail(const char *p, const char *end, const char **e, bool *det,
		     int64_t *status, bool *pidchg)
{
	const char *m = end - 1;
	uint64_t st;

	*det = ENDS(p, end, " <detached ...>");
	*status = -1;
	*pidchg = false;
	if (*det || ENDS(p, end, " <unfinished ...>")) {
		*e = end - (*det ? 15 : 17);
		return true;
	}
	if (ENDS(p, end, " ...>"))
		m = end - 5;
	while (m > p && is_digit((unsigned char)m[-1]))
		m--;
	if (m < end - 1 && (size_t)(m - p) >= 30 &&
	    memcmp(m - 29, " <unfinished ... exit status ", 29) == 0 &&
	    digits(m, end - 1, &st) == end - 1 && st <= 255) {
		*status = (int64_t)st;
		*e = m - 29;
		return true;
	}
	if (m < end - 5 && (size_t)(m - p) >= 17 && memcmp(m - 17, " <pid changed to ", 17) == 0 &&
	    digits(m, end - 5, &st) == end - 5 && st <= INT32_MAX) {
		*status = (int64_t)st;
		*pidchg = true;
		*e = m - 17;
		return true;
	}
	return false;
}

enum sr_line_shape sr_strace_parse_line(struct sr_stp *ps, const char *line, size_t len,
					struct sr_event *ev, struct sr_attach *att,
					struct sr_line_info *info)
{
	const char *end = line + len, *p;

	memset(info, 0, sizeof(*info));
	sr_stp_reset(ps, line, end);
	if (len > 2 && line[0] == ' ' &&
	    (line[1] == '>' || line[1] == '|' || line[1] == '*' || line[1] == '=') &&
	    line[2] == ' ' && sr_strace_parse_attach(line, end, att))
		return SR_LINE_ATTACH;

	ev->kind = SR_E_UNPARSED;
	if (maybe_summary(line, end) && parse_summary(ps, line, end, ev))
		return SR_LINE_EVENT;
	ev->kind = SR_E_UNPARSED;
	ev->name = NULL;
	if (STARTS(line, end, "strace: ") || sr_strace_old_message(line, end) ||
	    STARTS(line, end, "System call usage summary for ")) {
		/* strace's own words; the second heads each personality's -c
		 * table ("...for 32 bit mode:") */
		ev->kind = SR_E_MESSAGE;
		ev->text = (struct sr_str){ line, len };
		ps->doubt |= SR_DOUBT_KIND;
		return SR_LINE_EVENT;
	}

	p = parse_leader(line, end, &ev->lead, &ps->doubt);
	if (STARTS(p, end, "[ Process PID=") && ENDS(p, end, " ]")) {
		/* "[ Process PID=5 runs in 32 bit mode. ]": a personality switch */
		ev->kind = SR_E_MESSAGE;
		ev->text = (struct sr_str){ p, (size_t)(end - p) };
		ps->doubt |= SR_DOUBT_KIND;
		return SR_LINE_EVENT;
	}
	if (STARTS(p, end, "--- ") && ENDS(p, end, " ---")) {
		if (parse_signal(ps, p, end, ev))
			return SR_LINE_EVENT;
		goto unparsed;
	}
	if (STARTS(p, end, "+++ ") && ENDS(p, end, " +++")) {
		if (parse_exit(ps, p, end, ev))
			return SR_LINE_EVENT;
		goto unparsed;
	}
	if (STARTS(p, end, "<... ")) {
		const char *n = p + 5, *q = n;

		while (q < end && is_name_char((unsigned char)*q))
			q++;
		if (q > n && STARTS(q, end, " resumed>")) {
			ev->kind = SR_E_SYSCALL;
			ev->flags |= SR_EF_RESUMED;
			ev->name = atom(ps, n, (size_t)(q - n));
			q += 9;
			if (STARTS(q, end, " <unfinished ...>")) {
				info->resumed_cut = true;
				ps->doubt |= SR_DOUBT_TAIL;
				q += 17;
			} else if (q < end && *q == ' ' && !STARTS(q, end, " => ")) {
				/* strace 4.x printed "resumed> "; " => " is a
				 * changed value's arrow (clone3) */
				ev->flags |= SR_EF_RESUMED_SP;
				q++;
			}
			info->body = (struct sr_str){ q, (size_t)(end - q) };
			return SR_LINE_RESUMED;
		}
		goto unparsed;
	}
	if (ENDS(p, end, ">")) {
		const char *e, *q = p;
		bool sep = false, det, pidchg;
		int64_t status;

		if (!cut_tail(p, end, &e, &det, &status, &pidchg))
			goto call;
		while (q < e && is_name_char((unsigned char)*q))
			q++;
		if (q == p || q >= e || *q != '(')
			goto unparsed;
		ev->kind = SR_E_UNFINISHED;
		if (det)
			ev->flags |= SR_EF_DETACHED;
		if (status >= 0) {
			ev->flags |= pidchg ? SR_EF_PID_CHANGED : SR_EF_EXIT_STATUS;
			ev->code = status;
			ps->doubt |= SR_DOUBT_TAIL; /* "exit status 007" */
		}
		ev->name = atom(ps, p, (size_t)(q - p));
		ps->p = q + 1;
		ps->end = e;
		info->body = (struct sr_str){ p, (size_t)(e - p) };
		if (!sr_stp_args(ps, ')', &ev->args, &ev->nargs, &sep) || ps->p != e) {
			/* keep the first half for the resumption all the same */
			ev->args = NULL;
			ev->nargs = 0;
			ev->flags |= SR_EF_VERBATIM;
			ev->text = (struct sr_str){ line, len };
			return SR_LINE_UNFINISHED;
		}
		if (sep)
			ev->flags |= SR_EF_SEP_CUT;
		return SR_LINE_UNFINISHED;
	}
call:
	if (sr_strace_parse_call(ps, p, end, ev))
		return SR_LINE_EVENT;
unparsed:
	{
		struct sr_leader keep = ev->lead;
		uint64_t lno = ev->line;

		memset(ev, 0, sizeof(*ev));
		ev->lead = keep;
		ev->line = lno;
		ev->nr = -1;
		ev->kind = SR_E_UNPARSED;
		ev->text = (struct sr_str){ line, len };
	}
	return SR_LINE_EVENT;
}

size_t sr_strace_write_prefix(struct sr_stp *ps, const char *line, size_t len, uint64_t *count)
{
	const char *end = line + len, *p, *q;
	struct sr_leader l = { 0 };
	struct sr_value v;

	sr_stp_reset(ps, line, end);
	p = parse_leader(line, end, &l, &ps->doubt);
	if (!STARTS(p, end, "write("))
		return 0;
	ps->p = p + 6;
	if (!sr_stp_value(ps, &v) || !starts(ps->p, end, ", \"", 3))
		return 0;
	ps->p += 2;
	if (!sr_stp_value(ps, &v) || v.kind != SR_V_STR || !starts(ps->p, end, ", ", 2))
		return 0;
	q = digits(ps->p + 2, end, count);
	if (q == ps->p + 2)
		return 0;
	return (size_t)(q - line);
}

int64_t sr_strace_pid_from_name(const char *name)
{
	const char *dot, *q;
	int64_t v = 0;

	if (!name)
		return -1;
	dot = strrchr(name, '.');
	if (!dot || !dot[1])
		return -1;
	for (q = dot + 1; *q; q++) {
		if (!is_digit((unsigned char)*q) || v > 100000000)
			return -1;
		v = v * 10 + (*q - '0');
	}
	return v;
}

/* The shape of a line as far as the table of cut calls is concerned, read
 * the way sr_strace_parse_line() reads it (same leader, same tests in the
 * same order) but without parsing arguments, return or summary rows: the
 * piece planner (strace_piece.c) runs it on every line of a big file. */
enum sr_cut_shape sr_strace_cut_shape(const char *line, size_t len, int64_t *pid,
				      struct sr_str *name, int64_t *code)
{
	const char *end = line + len, *p, *q;
	struct sr_leader l;

	*pid = -1;
	*name = (struct sr_str){ NULL, 0 };
	*code = 0;
	if (len > 2 && line[0] == ' ' &&
	    (line[1] == '>' || line[1] == '|' || line[1] == '*' || line[1] == '=') &&
	    line[2] == ' ')
		return SR_CUT_ATTACH_LIKE;
	if (STARTS(line, end, "strace: ") || sr_strace_old_message(line, end) ||
	    STARTS(line, end, "System call usage summary for "))
		return SR_CUT_OTHER;
	memset(&l, 0, sizeof(l));
	p = parse_leader(line, end, &l, &(uint32_t){ 0 });
	*pid = l.pid;
	if (STARTS(p, end, "+++ ") && ENDS(p, end, " +++")) {
		const char *b = p + 4, *e = end - 4;

		if (STARTS(b, e, "exited with "))
			return parse_int_until(b + 12, e, code) ? SR_CUT_EXIT : SR_CUT_OTHER;
		if (STARTS(b, e, "killed by "))
			return SR_CUT_EXIT;
		if (STARTS(b, e, "superseded by execve in pid "))
			return parse_int_until(b + 28, e, code) ? SR_CUT_SUPERSEDED : SR_CUT_OTHER;
		return SR_CUT_OTHER;
	}
	if (STARTS(p, end, "<... ")) {
		const char *n = p + 5;

		q = n;
		while (q < end && is_name_char((unsigned char)*q))
			q++;
		if (q > n && STARTS(q, end, " resumed>")) {
			*name = (struct sr_str){ n, (size_t)(q - n) };
			return SR_CUT_RESUMED;
		}
		return SR_CUT_OTHER;
	}
	if (ENDS(p, end, ">")) {
		const char *e;
		bool det, pidchg;
		int64_t status;

		if (!cut_tail(p, end, &e, &det, &status, &pidchg))
			return SR_CUT_OTHER;
		q = p;
		while (q < e && is_name_char((unsigned char)*q))
			q++;
		if (q == p || q >= e || *q != '(')
			return SR_CUT_OTHER;
		*name = (struct sr_str){ p, (size_t)(q - p) };
		*code = e - line; /* the end of "name(args" */
		return SR_CUT_UNFINISHED;
	}
	return SR_CUT_OTHER;
}
