/*
 * strace_print.c - prints events back as strace text.  It is the definition
 * of the round trip: the reader prints what it parsed and compares, so any
 * line this file cannot reproduce is kept verbatim rather than altered.
 */
#include <stdio.h>
#include <string.h>

#include "strace_text.h"

static const char hexdig[] = "0123456789abcdef";

const char *const sr_old_sysinfo_sep[SR_OLD_SYSINFO_MEMBERS] = {
	", ", " ", ", ", ", ", ", ", "} ", ", ", ", ", "}",
};

static const char digits2[201] = "00010203040506070809101112131415161718192021222324"
				 "25262728293031323334353637383940414243444546474849"
				 "50515253545556575859606162636465666768697071727374"
				 "75767778798081828384858687888990919293949596979899";

/* Unsigned decimal, right-aligned in at least width characters. */
static void put_u64(struct sr_buf *b, uint64_t v, int width, char padc)
{
	char tmp[24], *e = tmp + sizeof(tmp), *d = e;

	/* two digits per division */
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);

		v /= 100;
		d -= 2;
		d[0] = digits2[2 * r];
		d[1] = digits2[2 * r + 1];
	}
	if (v >= 10) {
		d -= 2;
		d[0] = digits2[2 * v];
		d[1] = digits2[2 * v + 1];
	} else {
		*--d = (char)('0' + v);
	}
	while (e - d < width && d > tmp)
		*--d = padc;
	sr_buf_add(b, d, (size_t)(e - d));
}

static void put_i64(struct sr_buf *b, int64_t v)
{
	if (v < 0) {
		sr_buf_addc(b, '-');
		put_u64(b, (uint64_t)0 - (uint64_t)v, 0, ' ');
	} else {
		put_u64(b, (uint64_t)v, 0, ' ');
	}
}

/* Bytes strace prints as they are inside a string: printable ASCII but the
 * quote and the backslash. */
static const uint8_t plain[256] = {
	[' '] = 1, ['!'] = 1, ['#' ... '['] = 1, [']' ... '~'] = 1,
};

void sr_strace_print_string(struct sr_buf *b, const char *s, size_t n, unsigned flags)
{
	size_t i;

	if (flags & SR_VF_ABSTRACT)
		sr_buf_addc(b, '@');
	if (!sr_buf_grow(b, 4 * n + 8))
		return;
	b->p[b->len++] = '"';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char *d = b->p + b->len;

		if (plain[c] && !(flags & SR_VF_HEX_ALL)) {
			/* a run of bytes that need no escape: one copy */
			size_t j = i + 1;

			while (j < n && plain[(unsigned char)s[j]])
				j++;
			memcpy(d, s + i, j - i);
			b->len += j - i;
			i = j - 1;
			continue;
		}

		if (flags & SR_VF_HEX_ALL) {
			d[0] = '\\';
			d[1] = 'x';
			d[2] = hexdig[c >> 4];
			d[3] = hexdig[c & 15];
			b->len += 4;
			continue;
		}
		switch (c) {
		case '"': d[0] = '\\'; d[1] = '"'; b->len += 2; continue;
		case '\\': d[0] = '\\'; d[1] = '\\'; b->len += 2; continue;
		case '\f': d[0] = '\\'; d[1] = 'f'; b->len += 2; continue;
		case '\n': d[0] = '\\'; d[1] = 'n'; b->len += 2; continue;
		case '\r': d[0] = '\\'; d[1] = 'r'; b->len += 2; continue;
		case '\t': d[0] = '\\'; d[1] = 't'; b->len += 2; continue;
		case '\v': d[0] = '\\'; d[1] = 'v'; b->len += 2; continue;
		default:
			break;
		}
		if (c >= ' ' && c <= 0x7e) {
			d[0] = (char)c;
			b->len++;
		} else if (flags & SR_VF_HEX_CHARS) {
			d[0] = '\\';
			d[1] = 'x';
			d[2] = hexdig[c >> 4];
			d[3] = hexdig[c & 15];
			b->len += 4;
		} else if (i + 1 < n && s[i + 1] >= '0' &&
			   s[i + 1] <= (flags & SR_VF_OCT9 ? '9' : '7')) {
			/* a digit follows: the full three digits keep it apart
			 * (strace <= 4.21 did so before 8 and 9 too) */
			d[0] = '\\';
			d[1] = (char)('0' + (c >> 6));
			d[2] = (char)('0' + ((c >> 3) & 7));
			d[3] = (char)('0' + (c & 7));
			b->len += 4;
		} else {
			*d++ = '\\';
			if (c >> 6)
				*d++ = (char)('0' + (c >> 6));
			if (c >> 3)
				*d++ = (char)('0' + ((c >> 3) & 7));
			*d++ = (char)('0' + (c & 7));
			b->len = (size_t)(d - b->p);
		}
	}
	b->p[b->len++] = '"';
	if (flags & SR_VF_TRUNC)
		sr_buf_add(b, "...", 3);
}

static void print_int(struct sr_buf *b, const struct sr_value *v)
{
	char tmp[SR_INT_SPELL_MAX];

	if (v->text.len)
		sr_buf_adds(b, v->text);
	else
		sr_buf_add(b, tmp, sr_int_spell(tmp, v));
}

static void print_list(struct sr_buf *b, const struct sr_value *k, uint32_t n, const char *sep,
		       size_t seplen)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (i)
			sr_buf_add(b, sep, seplen);
		sr_strace_print_value(b, &k[i]);
	}
}

void sr_strace_print_value(struct sr_buf *b, const struct sr_value *v)
{
	if (v->name.len) {
		sr_buf_adds(b, v->name);
		sr_buf_addc(b, '=');
	}
	switch (v->kind) {
	case SR_V_INT:
		print_int(b, v);
		break;
	case SR_V_STR:
		sr_strace_print_string(b, v->text.ptr, v->text.len, v->flags);
		break;
	case SR_V_NULL:
		sr_buf_add(b, "NULL", 4);
		break;
	case SR_V_IDENT:
		sr_buf_adds(b, v->text);
		break;
	case SR_V_FLAGS:
		print_list(b, v->kids, v->nkids, "|", 1);
		break;
	case SR_V_STRUCT:
		sr_buf_adds(b, v->text); /* a tag: "SCM_CREDENTIALS{" (4.x) */
		sr_buf_addc(b, '{');
		if (v->flags & SR_VF_PADDED)
			sr_buf_addc(b, ' ');
		if (v->flags & SR_VF_COLON) {
			for (uint32_t i = 0; i < v->nkids; i++) {
				struct sr_value k = v->kids[i];

				if (i)
					sr_buf_add(b, ", ", 2);
				if (k.name.len) {
					sr_buf_adds(b, k.name);
					sr_buf_addc(b, ':');
					k.name.len = 0;
				}
				sr_strace_print_value(b, &k);
			}
		} else if ((v->flags & SR_VF_OLD_SYSINFO) && v->nkids == SR_OLD_SYSINFO_MEMBERS) {
			/* the last separator is the closing brace below */
			for (uint32_t i = 0; i < v->nkids; i++) {
				const char *sep = sr_old_sysinfo_sep[i - (i > 0)];

				if (i)
					sr_buf_add(b, sep, strlen(sep));
				sr_strace_print_value(b, &v->kids[i]);
			}
		} else if (v->flags & SR_VF_SPACED) {
			print_list(b, v->kids, v->nkids, " ", 1);
		} else {
			print_list(b, v->kids, v->nkids, ", ", 2);
		}
		if (v->flags & SR_VF_PADDED)
			sr_buf_addc(b, ' ');
		sr_buf_addc(b, '}');
		break;
	case SR_V_ARRAY:
		sr_buf_addc(b, '[');
		print_list(b, v->kids, v->nkids, ", ", 2);
		sr_buf_addc(b, ']');
		break;
	case SR_V_SET:
		if (v->flags & SR_VF_COMPLEMENT)
			sr_buf_addc(b, '~');
		sr_buf_addc(b, '[');
		print_list(b, v->kids, v->nkids, " ", 1);
		sr_buf_addc(b, ']');
		break;
	case SR_V_FD:
		if (v->nkids)
			sr_strace_print_value(b, &v->kids[0]);
		sr_buf_addc(b, '<');
		sr_buf_adds(b, v->text);
		if (v->flags & SR_VF_DELETED_IN)
			sr_buf_add(b, " (deleted)", 10);
		sr_buf_addc(b, '>');
		if (v->flags & SR_VF_DELETED)
			sr_buf_add(b, "(deleted)", 9);
		break;
	case SR_V_CALL:
		sr_buf_adds(b, v->text);
		sr_buf_addc(b, '(');
		print_list(b, v->kids, v->nkids, ", ", 2);
		sr_buf_addc(b, ')');
		break;
	case SR_V_CHANGED:
		if (v->nkids < 2)
			break;
		sr_strace_print_value(b, &v->kids[0]);
		if ((v->flags & (SR_VF_OLD_ARROW | SR_VF_SPACED)) == (SR_VF_OLD_ARROW | SR_VF_SPACED))
			sr_buf_add(b, " -> ", 4);
		else if (v->flags & SR_VF_OLD_ARROW)
			sr_buf_add(b, "->", 2);
		else
			sr_buf_add(b, " => ", 4);
		sr_strace_print_value(b, &v->kids[1]);
		break;
	case SR_V_COMMENT:
		if (v->nkids && (v->flags & SR_VF_LEADING)) {
			sr_buf_add(b, "/*", 2);
			sr_buf_adds(b, v->text);
			sr_buf_add(b, "*/ ", 3);
			sr_strace_print_value(b, &v->kids[0]);
			break;
		}
		if (v->nkids) {
			sr_strace_print_value(b, &v->kids[0]);
			sr_buf_addc(b, ' ');
		}
		sr_buf_add(b, "/*", 2);
		sr_buf_adds(b, v->text);
		sr_buf_add(b, "*/", 2);
		break;
	case SR_V_ELLIPSIS:
		sr_buf_add(b, "...", 3);
		break;
	case SR_V_EXPR:
		if (v->nkids < 2)
			break;
		sr_strace_print_value(b, &v->kids[0]);
		if (v->flags & SR_VF_SPACED)
			sr_buf_addc(b, ' ');
		sr_buf_adds(b, v->text);
		if (v->flags & SR_VF_SPACED)
			sr_buf_addc(b, ' ');
		sr_strace_print_value(b, &v->kids[1]);
		break;
	case SR_V_INDEX:
		if (v->nkids < 2)
			break;
		sr_buf_addc(b, '[');
		sr_strace_print_value(b, &v->kids[0]);
		sr_buf_add(b, "]=", 2);
		sr_strace_print_value(b, &v->kids[1]);
		break;
	default:
		break;
	}
}

/* sec.frac with the printed number of fraction digits. */
static void put_frac(struct sr_buf *b, uint32_t nsec, int digits)
{
	char tmp[16];
	int i;

	if (!digits)
		return;
	if (digits > 9)
		digits = 9;
	tmp[0] = '.';
	tmp[9] = (char)('0' + nsec % 10);
	nsec /= 10;
	for (i = 7; i >= 1; i -= 2) {
		unsigned r = nsec % 100;

		nsec /= 100;
		tmp[i] = digits2[2 * r];
		tmp[i + 1] = digits2[2 * r + 1];
	}
	sr_buf_add(b, tmp, (size_t)digits + 1);
}

static void print_time(struct sr_buf *b, const struct sr_time *t)
{
	switch (t->clock) {
	case SR_CLOCK_TOD: {
		/* strace prints no negative time of day, but a binary input
		 * may hold one (found by shape mutation, issue 22): a sign,
		 * and the digits of its magnitude, never a negative index */
		uint64_t s = t->sec < 0 ? -(uint64_t)t->sec : (uint64_t)t->sec;
		uint64_t h = s / 3600;
		unsigned m = (unsigned)(s / 60 % 60), sec = (unsigned)(s % 60);

		if (t->sec < 0)
			sr_buf_addc(b, '-');
		if (h < 100) {
			char hms[8] = { digits2[2 * h], digits2[2 * h + 1], ':',
					digits2[2 * m], digits2[2 * m + 1], ':',
					digits2[2 * sec], digits2[2 * sec + 1] };

			sr_buf_add(b, hms, 8);
		} else {
			put_u64(b, h, 2, '0');
			sr_buf_addc(b, ':');
			put_u64(b, m, 2, '0');
			sr_buf_addc(b, ':');
			put_u64(b, sec, 2, '0');
		}
		put_frac(b, t->nsec, t->digits);
		break;
	}
	case SR_CLOCK_EPOCH:
		put_i64(b, t->sec);
		put_frac(b, t->nsec, t->digits);
		break;
	case SR_CLOCK_REL:
		put_u64(b, (uint64_t)t->sec, t->width, ' ');
		put_frac(b, t->nsec, t->digits);
		break;
	default:
		break;
	}
}

void sr_strace_print_leader(struct sr_buf *b, const struct sr_leader *l)
{
	switch (l->pid_form) {
	case SR_PID_BRACKET:
		sr_buf_add(b, "[pid ", 5);
		put_u64(b, (uint64_t)l->pid, 5, ' ');
		if (l->comm.len) {
			sr_buf_addc(b, '<');
			sr_buf_adds(b, l->comm);
			sr_buf_addc(b, '>');
		}
		sr_buf_add(b, "] ", 2);
		break;
	case SR_PID_PLAIN: {
		size_t start = b->len;

		put_u64(b, (uint64_t)l->pid, 0, ' ');
		if (l->comm.len) {
			sr_buf_addc(b, '<');
			sr_buf_adds(b, l->comm);
			sr_buf_addc(b, '>');
		}
		/* "%-5u ", or "%u<comm> ": strace pads only a bare pid */
		while (!l->comm.len && b->len - start < 5)
			sr_buf_addc(b, ' ');
		sr_buf_addc(b, ' ');
		break;
	}
	default:
		break;
	}
	if (l->secontext.len) {
		sr_buf_addc(b, '[');
		sr_buf_adds(b, l->secontext);
		sr_buf_add(b, "] ", 2);
	}
	if (l->time.clock) {
		print_time(b, &l->time);
		sr_buf_addc(b, ' ');
		if (l->rel.clock) {
			sr_buf_add(b, "(+", 2);
			print_time(b, &l->rel);
			sr_buf_add(b, ") ", 2);
		}
	} else if (l->rel.clock) {
		print_time(b, &l->rel);
		sr_buf_addc(b, ' ');
	}
	if (l->has_nr) {
		sr_buf_addc(b, '[');
		if (l->nr_unknown) {
			int i;

			for (i = 0; i < l->nr_width; i++)
				sr_buf_addc(b, '?');
		} else {
			put_u64(b, (uint64_t)l->nr, l->nr_width, ' ');
		}
		sr_buf_add(b, "] ", 2);
	}
	if (l->has_ip) {
		int i;

		sr_buf_addc(b, '[');
		for (i = l->ip_digits - 1; i >= 0; i--) {
			/* a reader may give more than 16 digits: zeros above */
			uint64_t above = i < 16 ? l->ip >> (4 * i) : 0;
			unsigned h = (unsigned)above & 15;

			if (l->ip_unknown)
				sr_buf_addc(b, '?');
			else if (l->ip_spaced && i > 0 && !above)
				sr_buf_addc(b, ' '); /* a leading zero, as "%16lx" */
			else
				sr_buf_addc(b, hexdig[h]);
		}
		sr_buf_add(b, "] ", 2);
	}
}

void sr_strace_print_call_open(struct sr_buf *b, const struct sr_event *ev)
{
	if (ev->name)
		sr_buf_add(b, ev->name->str, ev->name->len);
	sr_buf_addc(b, '(');
	if ((ev->flags & SR_EF_MASK_AFTER) && ev->nargs) {
		struct sr_value m = ev->args[ev->nargs - 1];

		print_list(b, ev->args, ev->nargs - 1, ", ", 2);
		sr_buf_add(b, ") (mask ", 8);
		m.name.len = 0;
		sr_strace_print_value(b, &m);
		return;
	}
	print_list(b, ev->args, ev->nargs, ", ", 2);
	if (ev->flags & SR_EF_SEP_CUT)
		sr_buf_add(b, ", ", 2);
}

static void print_duration(struct sr_buf *b, const struct sr_event *ev)
{
	if (!ev->duration.clock)
		return;
	sr_buf_add(b, " <", 2);
	put_u64(b, (uint64_t)ev->duration.sec, 0, ' ');
	put_frac(b, ev->duration.nsec, ev->duration.digits);
	sr_buf_addc(b, '>');
}

/* "   = ret ERR (msg) (note)" */
static void print_return(struct sr_buf *b, const struct sr_event *ev)
{
	uint32_t i;

	if (!ev->has_ret)
		return;
	b->mark = b->len;
	for (i = 0; i < ev->pad; i++)
		sr_buf_addc(b, ' ');
	sr_buf_add(b, "= ", 2);
	if (ev->ret)
		sr_strace_print_value(b, ev->ret);
	else
		sr_buf_addc(b, '?');
	if (ev->unavail.len) {
		sr_buf_addc(b, ' ');
		sr_buf_adds(b, ev->unavail);
	}
	if (ev->err) {
		sr_buf_addc(b, ' ');
		sr_buf_add(b, ev->err->str, ev->err->len);
	}
	if (ev->errmsg.len) {
		sr_buf_add(b, " (", 2);
		sr_buf_adds(b, ev->errmsg);
		sr_buf_addc(b, ')');
	}
	for (i = 0; i < ev->nnotes; i++) {
		sr_buf_add(b, " (", 2);
		sr_buf_adds(b, ev->notes[i]);
		sr_buf_addc(b, ')');
	}
}

static void print_syscall(struct sr_buf *b, const struct sr_event *ev)
{
	if (ev->flags & SR_EF_RESUMED) {
		/* the tail of the whole call text after the split point */
		size_t open;

		if (!(ev->flags & SR_EF_BARE_RESUME)) {
			sr_buf_add(b, "<... ", 5);
			if (ev->name)
				sr_buf_add(b, ev->name->str, ev->name->len);
			sr_buf_add(b, " resumed>", 9);
			if (ev->flags & SR_EF_RESUMED_SP)
				sr_buf_addc(b, ' ');
		}
		open = b->len;
		/* an orphan's args are its tail, with split = "name(" */
		sr_strace_print_call_open(b, ev);
		if (b->len - open >= ev->split) {
			memmove(b->p + open, b->p + open + ev->split, b->len - open - ev->split);
			b->len -= ev->split;
		}
	} else {
		sr_strace_print_call_open(b, ev);
	}
	if (ev->flags & SR_EF_RESUMED_CUT)
		sr_buf_add(b, " <unfinished ...>", 17);
	if (!(ev->flags & SR_EF_NO_PAREN))
		sr_buf_addc(b, ')');
	print_return(b, ev);
	print_duration(b, ev);
}

/* One cell of a -c table, right-aligned to its column (see strace_parse.c). */
static void print_cell(struct sr_buf *b, const struct sr_summary *s, const struct sr_event *ev,
		       uint8_t j)
{
	uint8_t c = s->col[j];
	char tmp[64];
	int n = 0;

	if (c == SR_SC_NAME) {
		size_t start = b->len;

		if (s->row == SR_SUM_TOTAL)
			sr_buf_add(b, "total", 5);
		else if (ev->name)
			sr_buf_add(b, ev->name->str, ev->name->len);
		if (j + 1 < s->ncols)
			while (b->len - start < s->width[j])
				sr_buf_addc(b, ' ');
		return;
	}
	/* found by fuzzing: a column id read from pb/msgpack/JSON can be any
	 * byte, and 1u << c is undefined from 32 on; an unknown column is
	 * printed blank */
	if (c < SR_SC__COUNT && s->has & 1u << c) {
		switch (c) {
		case SR_SC_PCT:
			n = snprintf(tmp, sizeof(tmp), "%*.2f", s->width[j], s->pct);
			break;
		case SR_SC_SECONDS:
			n = snprintf(tmp, sizeof(tmp), "%*.6f", s->width[j], s->seconds);
			break;
		case SR_SC_MIN:
			n = snprintf(tmp, sizeof(tmp), "%*.6f", s->width[j], s->min);
			break;
		case SR_SC_MAX:
			n = snprintf(tmp, sizeof(tmp), "%*.6f", s->width[j], s->max);
			break;
		default:
			n = snprintf(tmp, sizeof(tmp), "%*llu", s->width[j],
				     (unsigned long long)(c == SR_SC_USECS  ? s->usecs
							  : c == SR_SC_CALLS ? s->calls
									     : s->errors));
		}
	} else {
		n = snprintf(tmp, sizeof(tmp), "%*s", s->width[j], "");
	}
	if (n > 0)
		sr_buf_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static void print_summary(struct sr_buf *b, const struct sr_event *ev)
{
	const struct sr_summary *s = ev->sum;
	uint8_t j;

	if (!s || s->row == SR_SUM_HEADER || s->row == SR_SUM_RULE || !s->ncols) {
		sr_buf_adds(b, ev->text);
		return;
	}
	for (j = 0; j < s->ncols; j++) {
		if (j)
			sr_buf_addc(b, ' ');
		print_cell(b, s, ev, j);
	}
}

void sr_strace_print_event(struct sr_buf *b, const struct sr_event *ev)
{
	if (ev->kind == SR_E_UNPARSED || (ev->flags & SR_EF_VERBATIM)) {
		sr_buf_adds(b, ev->text);
		return;
	}
	if (ev->kind == SR_E_SUMMARY) {
		print_summary(b, ev);
		return;
	}
	if (!(ev->flags & SR_EF_BARE_RESUME))
		sr_strace_print_leader(b, &ev->lead);
	switch (ev->kind) {
	case SR_E_SYSCALL:
		print_syscall(b, ev);
		break;
	case SR_E_UNFINISHED:
		sr_strace_print_call_open(b, ev);
		if (ev->flags & SR_EF_DETACHED) {
			sr_buf_add(b, " <detached ...>", 15);
		} else if (ev->flags & SR_EF_PID_CHANGED) {
			sr_buf_add(b, " <pid changed to ", 17);
			put_i64(b, ev->code);
			sr_buf_add(b, " ...>", 5);
		} else if (ev->flags & SR_EF_EXIT_STATUS) {
			sr_buf_add(b, " <unfinished ... exit status ", 29);
			put_i64(b, ev->code);
			sr_buf_addc(b, '>');
		} else
			sr_buf_add(b, " <unfinished ...>", 17);
		break;
	case SR_E_SIGNAL:
		sr_buf_add(b, "--- ", 4);
		if (ev->flags & SR_EF_STOPPED)
			sr_buf_add(b, "stopped by ", 11);
		if (ev->name)
			sr_buf_add(b, ev->name->str, ev->name->len);
		if (ev->nargs) {
			sr_buf_addc(b, ' ');
			sr_strace_print_value(b, &ev->args[0]);
		}
		sr_buf_add(b, " ---", 4);
		break;
	case SR_E_EXIT:
		sr_buf_add(b, "+++ exited with ", 16);
		put_i64(b, ev->code);
		sr_buf_add(b, " +++", 4);
		break;
	case SR_E_KILLED:
		sr_buf_add(b, "+++ killed by ", 14);
		if (ev->name)
			sr_buf_add(b, ev->name->str, ev->name->len);
		if (ev->flags & SR_EF_CORE)
			sr_buf_add(b, " (core dumped)", 14);
		sr_buf_add(b, " +++", 4);
		break;
	case SR_E_SUPERSEDED:
		sr_buf_add(b, "+++ superseded by execve in pid ", 32);
		put_i64(b, ev->code);
		sr_buf_add(b, " +++", 4);
		break;
	case SR_E_MESSAGE:
		sr_buf_adds(b, ev->text);
		break;
	default:
		break;
	}
}

void sr_strace_print_attach(struct sr_buf *b, const struct sr_attach *a)
{
	sr_buf_adds(b, a->text);
}

void sr_strace_print_full(struct sr_buf *b, const struct sr_event *ev)
{
	size_t start = b->len, i;

	sr_strace_print_event(b, ev);
	/* messages strace wrote into the line, last first so that the
	 * earlier offsets stay valid */
	for (i = ev->natt; i-- > 0;) {
		const struct sr_attach *a = &ev->att[i];
		size_t at = start + (size_t)a->addr;
		size_t n = a->text.len + (a->kind == SR_A_SPLICE);

		if ((a->kind != SR_A_SPLICE && a->kind != SR_A_OUTPUT) || at > b->len ||
		    !sr_buf_grow(b, n))
			continue;
		memmove(b->p + at + n, b->p + at, b->len - at);
		if (a->text.len) /* an empty text may be a NULL view */
			memcpy(b->p + at, a->text.ptr, a->text.len);
		if (a->kind == SR_A_SPLICE)
			b->p[at + a->text.len] = '\n';
		b->len += n;
	}
	/* the event's own line ending; attachments keep a "\r" in their text */
	if (ev->flags & SR_EF_CRLF)
		sr_buf_addc(b, '\r');
	sr_buf_addc(b, '\n');
	for (i = 0; i < ev->natt; i++) {
		if (ev->att[i].kind == SR_A_SPLICE || ev->att[i].kind == SR_A_OUTPUT)
			continue;
		sr_strace_print_attach(b, &ev->att[i]);
		sr_buf_addc(b, '\n');
	}
	if ((ev->flags & SR_EF_NO_EOL) && b->len > start)
		b->len--;
}
