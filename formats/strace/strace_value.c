/*
 * strace_value.c - the tokenizer and recursive-descent parser for the values
 * strace prints inside argument lists: strings, numbers, constants, flag
 * sets, structs, arrays, signal sets, fd annotations, calls, changed values,
 * comments and the few C expressions strace writes.
 *
 * Precedence, lowest first (no parentheses appear in strace's expressions):
 *   a => b (a->b)  |  v comment  |  or  ||  |  &&  |  == !=  |  a|b|c  |
 *   <<  >>  |  *  |  postfix (fd annotation <...>, call (...))  |  primary
 * A tree printed back in order gives the same text, which is what the
 * lossless round trip needs.
 *
 * Children under construction sit on a stack owned by the parser and are
 * copied to the batch arena when their parent closes: one allocation per
 * parent, none per token.
 */
#include <string.h>

#include "strace_internal.h"

#define MAX_DEPTH 64

/* Character classes by table: one load per byte in the hot loops. */
enum { C_START = 1, C_WORD = 2, C_CALL = 4 };

static const uint8_t cclass[256] = {
	['a' ... 'z'] = C_START | C_WORD,
	['A' ... 'Z'] = C_START | C_WORD | C_CALL,
	['0' ... '9'] = C_WORD | C_CALL,
	['_'] = C_START | C_WORD,
	['$'] = C_START | C_WORD,
	['?'] = C_START | C_WORD,
	['&'] = C_START,
	['.'] = C_WORD,
};

static inline bool is_ident_start(unsigned char c) { return cclass[c] & C_START; }
static inline bool is_ident_char(unsigned char c) { return cclass[c] & C_WORD; }

static inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static inline bool at(const struct sr_stp *ps, const char *lit, size_t n)
{
	/* the first byte decides almost always: no call into memcmp for it */
	return (size_t)(ps->end - ps->p) >= n && ps->p[0] == lit[0] &&
	       memcmp(ps->p + 1, lit + 1, n - 1) == 0;
}
#define AT(ps, lit) at((ps), (lit), sizeof(lit) - 1)

void sr_stp_init(struct sr_stp *ps, struct sr_arena *arena, struct sr_intern *atoms)
{
	memset(ps, 0, sizeof(*ps));
	ps->arena = arena;
	ps->atoms = atoms;
}

void sr_stp_free(struct sr_stp *ps)
{
	free(ps->stack);
	ps->stack = NULL;
	ps->sp = ps->scap = 0;
	sr_buf_free(&ps->spell);
}

void sr_stp_reset(struct sr_stp *ps, const char *line, const char *end)
{
	ps->p = ps->line = line;
	ps->end = end;
	ps->expected = NULL;
	ps->errpos = NULL;
	ps->sp = 0;
	ps->depth = 0;
	ps->doubt = 0;
	ps->padat = NULL;
}

bool sr_stp_fail(struct sr_stp *ps, const char *expected)
{
	/* keep the first (deepest) failure: it is the most precise */
	if (!ps->expected) {
		ps->expected = expected;
		ps->errpos = ps->p;
	}
	return false;
}

static bool push(struct sr_stp *ps, const struct sr_value *v)
{
	if (ps->sp == ps->scap) {
		size_t ncap = ps->scap ? ps->scap * 2 : 256;
		struct sr_value *n = realloc(ps->stack, ncap * sizeof(*n));

		if (!n)
			return sr_stp_fail(ps, "memory");
		ps->stack = n;
		ps->scap = ncap;
	}
	ps->stack[ps->sp++] = *v;
	return true;
}

/* Moves the values pushed since base into the arena. */
static bool pop_kids(struct sr_stp *ps, size_t base, struct sr_value **kids, uint32_t *n)
{
	size_t cnt = ps->sp - base;

	*n = (uint32_t)cnt;
	*kids = NULL;
	if (cnt) {
		*kids = sr_arena_alloc(ps->arena, cnt * sizeof(**kids));
		if (!*kids)
			return sr_stp_fail(ps, "memory");
		memcpy(*kids, ps->stack + base, cnt * sizeof(**kids));
	}
	ps->sp = base;
	return true;
}

/* A node with two children (CHANGED, EXPR, COMMENT, FD, INDEX). */
static bool make_pair(struct sr_stp *ps, struct sr_value *out, uint8_t kind,
		      const struct sr_value *a, const struct sr_value *b)
{
	uint32_t n = b ? 2 : 1;
	struct sr_value *k = sr_arena_alloc(ps->arena, n * sizeof(*k));

	if (!k)
		return sr_stp_fail(ps, "memory");
	k[0] = *a;
	if (b)
		k[1] = *b;
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	out->kids = k;
	out->nkids = n;
	/* the member name belongs to the whole expression, not its left side */
	out->name = k[0].name;
	k[0].name = (struct sr_str){ 0 };
	return true;
}

/* ---- strings ---------------------------------------------------------- */

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Whether s[0..n) holds a byte the printer escapes, the quote and the
 * backslash aside (the caller found none): eight bytes a step, since most
 * strings are long runs of plain ASCII. */
static bool any_unplain(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x;

		memcpy(&x, s + i, 8);
		/* a byte below 0x20, or one above 0x7e (0x7f + 1 sets bit 7),
		 * or one with bit 7 set */
		if (((x - ones * 0x20) | (x + ones * 0x01) | x) & highs)
			return true;
	}
	for (; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return true;
	return false;
}

/* Whether a string with \x escapes (or strace 4.x's octal before 8 and 9)
 * comes back from the printer as it was read (from its opening quote q0 to
 * its closing one, q1): -x's rules (which bytes in hex; in a hex string,
 * all) that a hand-made or damaged line need not follow.  Other escaped
 * strings are checked while they are decoded (parse_string). */
static void check_escapes(struct sr_stp *ps, const struct sr_value *v, const char *q0,
			  const char *q1)
{
	size_t n = (size_t)(q1 + 1 - q0);

	ps->spell.len = 0;
	sr_strace_print_string(&ps->spell, v->text.ptr, v->text.len,
			       v->flags & (SR_VF_HEX_ALL | SR_VF_HEX_CHARS | SR_VF_OCT9));
	if (ps->spell.len != n || memcmp(ps->spell.p, q0, n) != 0)
		ps->doubt |= SR_DOUBT_ESCAPE;
}

static bool parse_string(struct sr_stp *ps, struct sr_value *out)
{
	const char *s = ps->p + 1, *q = s;
	const char *end = ps->end;
	size_t nbytes = 0, nhex = 0;
	bool esc = false, oct9 = false, raw_odd = false, esc_odd = false;

	/* first pass: find the closing quote and whether anything is escaped;
	 * most strings have no backslash, and memchr finds that fast */
	q = memchr(s, '"', (size_t)(end - s));
	if (q && !memchr(s, '\\', (size_t)(q - s))) {
		out->kind = SR_V_STR;
		out->text = (struct sr_str){ s, (size_t)(q - s) };
		if (any_unplain(s, (size_t)(q - s)))
			ps->doubt |= SR_DOUBT_RAW;
		ps->p = q + 1;
		goto trunc;
	}
	q = s;
	while (q < end && *q != '"') {
		if (*q == '\\') {
			esc = true;
			if (q + 1 >= end)
				break;
			q += 2;
		} else {
			q++;
		}
	}
	if (q >= end) {
		ps->p = q;
		return sr_stp_fail(ps, "closing '\"'");
	}
	out->kind = SR_V_STR;
	if (!esc) {
		out->text = (struct sr_str){ s, (size_t)(q - s) };
		if (any_unplain(s, (size_t)(q - s)))
			ps->doubt |= SR_DOUBT_RAW;
	} else {
		char *d = sr_arena_alloc(ps->arena, (size_t)(q - s) + 1);
		const char *r = s;

		if (!d)
			return sr_stp_fail(ps, "memory");
		while (r < q) {
			unsigned char c = (unsigned char)*r++;

			if (c != '\\') {
				/* a byte the printer would escape */
				raw_odd |= c < 0x20 || c > 0x7e;
				d[nbytes++] = (char)c;
				continue;
			}
			c = (unsigned char)*r++;
			switch (c) {
			case 'n': d[nbytes++] = '\n'; break;
			case 't': d[nbytes++] = '\t'; break;
			case 'r': d[nbytes++] = '\r'; break;
			case 'v': d[nbytes++] = '\v'; break;
			case 'f': d[nbytes++] = '\f'; break;
			case '"': d[nbytes++] = '"'; break;
			case '\\': d[nbytes++] = '\\'; break;
			case 'x': {
				int h1 = r < q ? hexval((unsigned char)r[0]) : -1;
				int h2 = r + 1 < q ? hexval((unsigned char)r[1]) : -1;

				if (h1 < 0 || h2 < 0) {
					ps->p = r;
					return sr_stp_fail(ps, "two hex digits after \\x");
				}
				d[nbytes++] = (char)(h1 * 16 + h2);
				r += 2;
				nhex++;
				break;
			}
			default:
				if (c >= '0' && c <= '7') {
					unsigned v = c - '0';
					int k;

					for (k = 0; k < 2 && r < q && *r >= '0' && *r <= '7'; k++)
						v = v * 8 + (unsigned)(*r++ - '0');
					if (v > 255) {
						ps->p = r;
						return sr_stp_fail(ps, "an octal escape below \\400");
					}
					/* strace <= 4.21 wrote three digits before any
					 * digit, "\0009"; later ones only before 0-7 */
					if (k == 2 && v < 64 && r < q && (*r == '8' || *r == '9'))
						oct9 = true;
					/* the printer's octal: for no byte it writes
					 * otherwise (a printable one, \t \n \v \f \r),
					 * three digits before a digit 0-7, else as few
					 * as the value needs */
					if ((v >= 0x20 && v <= 0x7e) || (v >= '\t' && v <= '\r'))
						esc_odd = true;
					else if (k + 1 != (r < q && *r >= '0' && *r <= '7' ? 3
							   : v >> 6 ? 3 : v >> 3 ? 2 : 1))
						esc_odd = true;
					d[nbytes++] = (char)v;
				} else {
					ps->p = r - 1;
					return sr_stp_fail(ps, "a known escape");
				}
			}
		}
		out->text = (struct sr_str){ d, nbytes };
		if (oct9)
			out->flags |= SR_VF_OCT9;
		if (nhex && nhex == nbytes)
			out->flags |= SR_VF_HEX_ALL;
		else if (nhex)
			out->flags |= SR_VF_HEX_CHARS;
		if (nhex || oct9)
			/* -x / -xx and strace 4.x's octal: spell it back */
			check_escapes(ps, out, s - 1, q);
		else
			ps->doubt |= (raw_odd ? SR_DOUBT_RAW : 0) | (esc_odd ? SR_DOUBT_ESCAPE : 0);
	}
	ps->p = q + 1;
trunc:
	if (AT(ps, "...")) {
		out->flags |= SR_VF_TRUNC;
		ps->p += 3;
	}
	return true;
}

/* ---- numbers and words ------------------------------------------------ */

static bool classify_number(struct sr_value *out, const char *s, const char *e)
{
	const char *q = s;
	bool neg = false;
	uint64_t v = 0;

	if (*q == '-') {
		neg = true;
		q++;
	}
	if (q >= e || !is_digit((unsigned char)*q))
		return false;
	if (!neg && e - q > 2 && q[0] == '0' && q[1] == 'x') {
		for (q += 2; q < e; q++) {
			int h = hexval((unsigned char)*q);

			if (h < 0 || v >> 60)
				return false;
			v = v << 4 | (unsigned)h;
		}
		out->base = SR_BASE_HEX;
		out->flags |= SR_VF_UNSIGNED;
		out->num.u = v;
		return true;
	}
	if (!neg && e - q > 1 && q[0] == '0') {
		for (q++; q < e; q++) {
			if (*q < '0' || *q > '7' || v >> 61)
				return false;
			v = v << 3 | (unsigned)(*q - '0');
		}
		out->base = SR_BASE_OCT;
		out->flags |= SR_VF_UNSIGNED;
		out->num.u = v;
		return true;
	}
	for (; q < e; q++) {
		unsigned d = (unsigned)(*q - '0');

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	out->base = SR_BASE_DEC;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return false;
		out->num.i = (int64_t)(0 - v);
	} else if (v > (uint64_t)INT64_MAX) {
		out->flags |= SR_VF_UNSIGNED;
		out->num.u = v;
	} else {
		out->num.i = (int64_t)v;
	}
	return true;
}

/* A pointer strace 4.x printed with "%lx", without "0x": hex digits with
 * at least one letter (all-digit ones read as decimal, which prints back
 * the same). */
static bool bare_hex(struct sr_value *out, const char *s, const char *e)
{
	const char *q;
	uint64_t v = 0;
	bool letter = false;

	if (e - s > 16)
		return false;
	for (q = s; q < e; q++) {
		int h = hexval((unsigned char)*q);

		if (h < 0 || (*q >= 'A' && *q <= 'F'))
			return false;
		letter |= h > 9;
		v = v << 4 | (unsigned)h;
	}
	if (!letter)
		return false;
	out->kind = SR_V_INT;
	out->base = SR_BASE_HEX;
	out->flags |= SR_VF_UNSIGNED;
	out->num.u = v;
	return true;
}

/* The number of digits at p, before end. */
static size_t ndigits(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && is_digit((unsigned char)*q))
		q++;
	return (size_t)(q - p);
}

/* Words that are neither C tokens nor numbers, kept as one IDENT:
 *  - strace 4.x -v stat dates "2013/03/05-16:39:01", with ".136131003",
 *    and "2017-03-05T16:39:01+0000" (4.15..4.19);
 *  - hardware addresses, two or more bytes: "00:1b:21:3c:9d:f8" (netlink,
 *    ifreq, sockaddr_ll), "ab:ac";
 *  (AX.25 callsigns, "VALID-13", see callsign()).
 * Returns the end of the word, or NULL. */
static const char *odd_word(const char *s, const char *end)
{
	const char *q = s;
	size_t n = ndigits(q, end);

	if (n >= 1 && n <= 4 && q + n < end && (q[n] == '/' || q[n] == '-')) {
		/* Y/M/D-h:m:s (strace <= 4.14) or Y-M-DTh:m:s (4.15..4.19),
		 * then a fraction and a zone in either order:
		 * "2017-03-05T16:39:01+0000.123456789" (4.15),
		 * "2017-03-05T16:39:01.123456789+0000" (4.17) */
		const char date = q[n], *seps = date == '/' ? "//-::" : "--T::";
		int i;

		q += n;
		for (i = 0; i < 5; i++) {
			if (q >= end || *q != seps[i])
				return NULL;
			n = ndigits(++q, end);
			if (!n || n > 2)
				return NULL;
			q += n;
		}
		for (i = 0; i < 2 && q + 1 < end; i++) {
			if (*q == '.' && is_digit((unsigned char)q[1]))
				q += 1 + ndigits(q + 1, end);
			else if ((*q == '+' || *q == '-') && ndigits(q + 1, end) == 4)
				q += 5;
			else
				break;
		}
		return q;
	}
	q = s;
	for (n = 0;; n++) {
		if (end - q < 2 || hexval((unsigned char)q[0]) < 0 ||
		    hexval((unsigned char)q[1]) < 0)
			return NULL;
		q += 2;
		if (q >= end || *q != ':') {
			if (n < 1 || (q < end && is_ident_char((unsigned char)*q)))
				return NULL;
			return q;
		}
		q++;
	}
}

/* An AX.25 callsign as strace 5.x+ prints one: up to six capitals and
 * digits, '-', the SSID ("VALID-13", "2E0ABC-1"); the end of the word, or
 * NULL.  (A constant minus one, "IPV4_DEVCONF_FORWARDING-1", has an '_'.) */
static const char *callsign(const char *s, const char *end)
{
	const char *q = s, *lim = end - s > 7 ? s + 7 : end;
	size_t n;

	/* capitals and digits (C_CALL), at most seven looked at */
	while (q < lim && (cclass[(unsigned char)*q] & C_CALL))
		q++;
	if (q == s || q - s > 6 || q >= end || *q != '-')
		return NULL;
	n = ndigits(++q, end);
	if (!n || n > 2 || (q + n < end && (is_ident_char((unsigned char)q[n]) || q[n] == '-')))
		return NULL;
	return q + n;
}

/* 'c', '\'', '\\', '\n', '\x0a': a character as strace's print_char writes it,
 * an INT with the literal as its spelling. */
static bool parse_char(struct sr_stp *ps, struct sr_value *out)
{
	const char *s = ps->p, *q = s + 1;
	unsigned v;

	if (q >= ps->end)
		return sr_stp_fail(ps, "a character");
	if (*q != '\\') {
		v = (unsigned char)*q++;
	} else if (q + 1 < ps->end) {
		static const char ws[] = "tnvfr";
		const char *w;

		q++;
		if (*q == 'x' && q + 2 < ps->end && hexval((unsigned char)q[1]) >= 0 &&
		    hexval((unsigned char)q[2]) >= 0) {
			v = (unsigned)(hexval((unsigned char)q[1]) * 16 + hexval((unsigned char)q[2]));
			q += 3;
		} else if (*q == '\\' || *q == '\'') {
			v = (unsigned char)*q++;
		} else if (*q && (w = memchr(ws, *q, 5)) != NULL) {
			v = (unsigned)('\t' + (w - ws));
			q++;
		} else {
			return sr_stp_fail(ps, "a character escape");
		}
	} else {
		return sr_stp_fail(ps, "a character");
	}
	if (q >= ps->end || *q != '\'')
		return sr_stp_fail(ps, "a closing \"'\"");
	ps->p = q + 1;
	out->kind = SR_V_INT;
	out->base = SR_BASE_DEC;
	out->num.i = v;
	out->text = (struct sr_str){ s, (size_t)(ps->p - s) };
	return true;
}

/* A word: a number, a constant, NULL, or a call when "(" follows. */
static bool parse_word(struct sr_stp *ps, struct sr_value *out)
{
	const char *s = ps->p, *q = s;

	if (*q == '-' || *q == '&' || *q == '!')
		q++;
	while (q < ps->end && is_ident_char((unsigned char)*q))
		q++;
	if (q == s || (q == s + 1 && (*s == '-' || *s == '&' || *s == '!'))) {
		return sr_stp_fail(ps, "a value");
	}
	ps->p = q;
	out->text = (struct sr_str){ s, (size_t)(q - s) };
	if (is_digit((unsigned char)*s) || *s == '-') {
		out->kind = SR_V_INT;
		if (classify_number(out, s, q))
			return true;
		out->base = 0;
		out->flags = 0;
		out->num.u = 0;
		/* strace 4.x printed some pointers with "%lx": "7fffba33f650" */
		if (bare_hex(out, s, q))
			return true;
		/* "3xyz" is no word strace prints: a number with the program's
		 * output glued to it, or damage; a float like "1.5" is kept */
		if (is_digit((unsigned char)*s) || (q > s + 1 && is_digit((unsigned char)s[1]))) {
			const char *c;

			for (c = s + 1; c < q; c++)
				if (!is_digit((unsigned char)*c) && *c != '.')
					break;
			if (c < q) {
				ps->p = s;
				return sr_stp_fail(ps, "a number");
			}
		}
	}
	if (q - s == 4 && memcmp(s, "NULL", 4) == 0) {
		out->kind = SR_V_NULL;
		out->text = (struct sr_str){ 0 };
		return true;
	}
	out->kind = SR_V_IDENT;
	if (q < ps->end && *q == '(') {
		size_t base = ps->sp;

		out->kind = SR_V_CALL;
		ps->p++;
		if (!sr_stp_args(ps, ')', NULL, NULL, NULL))
			return false;
		if (ps->p >= ps->end || *ps->p != ')')
			return sr_stp_fail(ps, "')'");
		ps->p++;
		(void)base;
		return pop_kids(ps, base, &out->kids, &out->nkids);
	}
	return true;
}

/* <annotation> after an fd.  '>' preceded by '-' is an arrow in a socket
 * description ("[1.2.3.4:5->6.7.8.9:10]"), not the end. */
static bool parse_fd_annotation(struct sr_stp *ps, struct sr_value *out)
{
	const char *s = ps->p + 1, *q = s;
	int depth = 1;
	struct sr_value fd = *out;
	const char *gt = memchr(s, '>', (size_t)(ps->end - s));

	/* most annotations are a plain path: no nesting, no escape, no arrow */
	if (gt && gt > s && gt[-1] != '-' && !memchr(s, '<', (size_t)(gt - s)) &&
	    !memchr(s, '\\', (size_t)(gt - s))) {
		q = gt;
		goto found;
	}
	while (q < ps->end) {
		char c = *q;

		if (c == '\\' && q + 1 < ps->end) {
			q += 2;
			continue;
		}
		if (c == '<') {
			depth++;
		} else if (c == '>' && q[-1] != '-') {
			if (--depth == 0)
				break;
		}
		q++;
	}
	if (q >= ps->end) {
		ps->p = q;
		return sr_stp_fail(ps, "'>' closing the fd annotation");
	}
found:
	if (!make_pair(ps, out, SR_V_FD, &fd, NULL))
		return false;
	out->text = (struct sr_str){ s, (size_t)(q - s) };
	if (out->text.len > 10 && memcmp(q - 10, " (deleted)", 10) == 0) {
		out->text.len -= 10;
		out->flags |= SR_VF_DELETED_IN;
	}
	ps->p = q + 1;
	if (AT(ps, "(deleted)")) {
		out->flags |= SR_VF_DELETED;
		ps->p += 9;
	}
	return true;
}

/* ---- containers ------------------------------------------------------- */

/* Parses a member name "name=" when one starts here.  colon: also
 * "name:" (strace 4.x user_desc, "{entry_number:6, base_addr:0x...}"), and
 * *colon says which was read. */
static struct sr_str member_name(struct sr_stp *ps, bool *colon)
{
	const char *q = ps->p;

	if (q >= ps->end || !((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || *q == '_'))
		return (struct sr_str){ 0 };
	while (q < ps->end && (is_ident_char((unsigned char)*q) && *q != '?'))
		q++;
	if (colon && q + 1 < ps->end && q[0] == ':' && q[1] != ':' && q[1] != ' ') {
		struct sr_str n = { ps->p, (size_t)(q - ps->p) };

		*colon = true;
		ps->p = q + 1;
		return n;
	}
	/* a subscript inside the name: "c_cc[VMIN]=1" (termios, strace 4.x) */
	while (q < ps->end && *q == '[') {
		const char *c = q + 1;

		while (c < ps->end && is_ident_char((unsigned char)*c))
			c++;
		if (c == q + 1 || c + 1 >= ps->end || *c != ']')
			break;
		q = c + 1;
	}
	if (q < ps->end && *q == '(') {
		/* strace 4.x: "msg_iov(1)=[...]", the element count in the name */
		const char *c = q + 1;

		while (c < ps->end && *c >= '0' && *c <= '9')
			c++;
		if (c > q + 1 && c + 1 < ps->end && c[0] == ')' && c[1] == '=')
			q = c + 1;
	}
	if (q + 1 < ps->end && q[0] == '=' && q[1] != '=' && q[1] != '>') {
		struct sr_str n = { ps->p, (size_t)(q - ps->p) };

		ps->p = q + 1;
		return n;
	}
	return (struct sr_str){ 0 };
}

/* Items of a struct or an argument list up to close.  Separator ", " or, in
 * a struct like "{B38400 opost isig}", a single space (*spaced). */
/* Where parse_items() starts: a fresh list, or one whose first items were
 * parsed before (a cut call's, kept): right after an item, or right after
 * the ", " that followed one. */
enum { ITEMS_FRESH = 0, ITEMS_AFTER_ITEM, ITEMS_AFTER_SEP };

static bool parse_items(struct sr_stp *ps, char close, bool allow_eot, bool *spaced,
			bool *colon, bool *sep_cut, int from)
{
	bool first = from == ITEMS_FRESH, comma = false;

	if (sep_cut)
		*sep_cut = false;
	if (from == ITEMS_AFTER_ITEM)
		goto after_item;
	if (from == ITEMS_AFTER_SEP)
		goto after_sep;
	for (;;) {
		struct sr_value v;
		struct sr_str name;

		if (ps->p >= ps->end) {
			if (allow_eot)
				return true;
			return sr_stp_fail(ps, close == '}' ? "'}'" : "')'");
		}
		if (*ps->p == close && first)
			return true;
		if (colon) {
			bool c = false;

			name = member_name(ps, &c);
			/* one spelling per struct, as strace printed them */
			if (name.len && (first ? (*colon = c, false) : c != *colon))
				return sr_stp_fail(ps, "one kind of member separator");
		} else {
			name = member_name(ps, NULL);
		}
		if (!sr_stp_value(ps, &v))
			return false;
		v.name = name;
		if (!push(ps, &v))
			return false;
		first = false;
after_item:
		if (ps->p >= ps->end) {
			if (allow_eot)
				return true;
			return sr_stp_fail(ps, close == '}' ? "'}'" : "')'");
		}
		if (*ps->p == close) {
			/* the printer has one separator per struct, " " when
			 * any was: "{a, b c}" comes back as "{a b c}" */
			if (comma && spaced && *spaced)
				ps->doubt |= SR_DOUBT_SEP;
			return true;
		}
		if (close == '}' && !spaced && ps->p + 1 < ps->end && ps->p[0] == ' ' &&
		    ps->p[1] == '}') {
			/* the padded struct's " }" */
			ps->p++;
			return true;
		}
		if (AT(ps, ", ")) {
			ps->p += 2;
			comma = true;
after_sep:
			/* "a, " at a cut, or "a, )" when the task died in the call */
			if (sep_cut && ((ps->p >= ps->end && allow_eot) ||
					(ps->p < ps->end && *ps->p == close) ||
					AT(ps, " <unfinished ...>)"))) {
				*sep_cut = true;
				return true;
			}
			continue;
		}
		if (spaced && *ps->p == ' ' && ps->p + 1 < ps->end && ps->p[1] != ' ') {
			*spaced = true;
			ps->p++;
			continue;
		}
		return sr_stp_fail(ps, close == '}' ? "', ' or '}'" : "', ' or ')'");
	}
}

bool sr_stp_args(struct sr_stp *ps, char close, struct sr_value **out, uint32_t *n,
		 bool *sep_cut)
{
	size_t base = ps->sp;

	if (++ps->depth > MAX_DEPTH)
		return sr_stp_fail(ps, "less nesting");
	if (!parse_items(ps, close, out != NULL, NULL, NULL, sep_cut, ITEMS_FRESH))
		return false;
	ps->depth--;
	if (out)
		return pop_kids(ps, base, out, n);
	return true;
}

bool sr_stp_args_cont(struct sr_stp *ps, char close, const struct sr_value *head,
		      uint32_t nhead, bool after_sep, struct sr_value **out, uint32_t *n,
		      bool *sep_cut)
{
	size_t base = ps->sp;

	if (++ps->depth > MAX_DEPTH)
		return sr_stp_fail(ps, "less nesting");
	for (uint32_t i = 0; i < nhead; i++)
		if (!push(ps, &head[i]))
			return false;
	if (!parse_items(ps, close, true, NULL, NULL, sep_cut,
			 after_sep ? ITEMS_AFTER_SEP : ITEMS_AFTER_ITEM))
		return false;
	ps->depth--;
	return pop_kids(ps, base, out, n);
}

/* strace <= 4.9's sysinfo printer left a comma out and a brace in:
 * "{uptime=1, loads=[1, 2, 3] totalram=2, freeram=3, sharedram=0,
 * bufferram=0} totalswap=0, freeswap=0, procs=5}".  Its nine members come in
 * that order, each followed by its separator (the last one the closing brace). */
static bool parse_old_sysinfo(struct sr_stp *ps)
{
	uint32_t i;

	for (i = 0; i < SR_OLD_SYSINFO_MEMBERS; i++) {
		const char *sep = sr_old_sysinfo_sep[i];
		size_t n = strlen(sep);
		struct sr_value v;
		struct sr_str name = member_name(ps, NULL);

		if (!sr_stp_value(ps, &v))
			return false;
		v.name = name;
		if (!push(ps, &v))
			return false;
		if (!at(ps, sep, n))
			return sr_stp_fail(ps, "the separators of strace 4.x's sysinfo");
		ps->p += n;
	}
	ps->p--; /* the closing brace, which parse_struct steps over */
	return true;
}

static bool parse_struct(struct sr_stp *ps, struct sr_value *out)
{
	size_t base = ps->sp;
	bool spaced = false, colon = false;

	if (++ps->depth > MAX_DEPTH)
		return sr_stp_fail(ps, "less nesting");
	ps->p++;
	if (AT(ps, "uptime=") &&
	    memmem(ps->p, (size_t)(ps->end - ps->p), "] totalram=", 11) != NULL) {
		out->flags |= SR_VF_OLD_SYSINFO;
		if (!parse_old_sysinfo(ps))
			return false;
	} else if (AT(ps, " ") && !AT(ps, " }")) {
		/* strace <= 4.8: "sched_getparam(0, { 0 })" */
		ps->p++;
		out->flags |= SR_VF_PADDED;
		if (!parse_items(ps, '}', false, NULL, NULL, NULL, ITEMS_FRESH))
			return false;
		/* "{ 0}": the printer pads both sides */
		if (ps->p[-1] != ' ')
			ps->doubt |= SR_DOUBT_SEP;
	} else if (!parse_items(ps, '}', false, &spaced, &colon, NULL, ITEMS_FRESH)) {
		return false;
	}
	ps->p++;
	ps->depth--;
	out->kind = SR_V_STRUCT;
	if (spaced && colon)
		/* the printer writes "name:value" members with ", " only */
		ps->doubt |= SR_DOUBT_SEP;
	if (spaced)
		out->flags |= SR_VF_SPACED;
	if (colon)
		out->flags |= SR_VF_COLON;
	return pop_kids(ps, base, &out->kids, &out->nkids);
}

/* "[a, b]" array, "[A B]" set, "[[IDX]=v, ...]" indexed array. */
static bool parse_array(struct sr_stp *ps, struct sr_value *out, bool complement)
{
	size_t base = ps->sp;
	int sep = 0; /* 0 unknown, 1 ", ", 2 " " */

	if (++ps->depth > MAX_DEPTH)
		return sr_stp_fail(ps, "less nesting");
	ps->p++;
	out->kind = complement ? SR_V_SET : SR_V_ARRAY;
	if (complement)
		out->flags |= SR_VF_COMPLEMENT;
	while (ps->p < ps->end && *ps->p != ']') {
		struct sr_value v;

		if (!sr_stp_value(ps, &v))
			return false;
		/* "[IDX]=value": an array of one element followed by '=' */
		if (v.kind == SR_V_ARRAY && v.nkids == 1 && ps->p < ps->end && *ps->p == '=' &&
		    ps->p + 1 < ps->end && ps->p[1] != '>') {
			struct sr_value val, idx = v.kids[0];

			ps->p++;
			if (!sr_stp_value(ps, &val))
				return false;
			if (!make_pair(ps, &v, SR_V_INDEX, &idx, &val))
				return false;
		}
		if (!push(ps, &v))
			return false;
		if (ps->p >= ps->end)
			break;
		if (*ps->p == ']')
			break;
		if (sep != 2 && AT(ps, ", ")) {
			sep = 1;
			ps->p += 2;
		} else if (sep != 1 && *ps->p == ' ') {
			sep = 2;
			ps->p++;
		} else {
			return sr_stp_fail(ps, "', ' or ']'");
		}
	}
	if (ps->p >= ps->end)
		return sr_stp_fail(ps, "']'");
	ps->p++;
	ps->depth--;
	if (sep == 2)
		out->kind = SR_V_SET;
	else if (sep == 1 && complement)
		/* a set prints with spaces: "~[A, B]" comes back "~[A B]" */
		ps->doubt |= SR_DOUBT_SEP;
	return pop_kids(ps, base, &out->kids, &out->nkids);
}

/* "/" "*" ... "*" "/": text between the delimiters. */
static bool parse_comment_text(struct sr_stp *ps, struct sr_str *text)
{
	const char *q = ps->p + 2;
	int depth = 1;

	/* comments nest: -X verbose writes
	 * "8191 / * IOPRIO_PRIO_VALUE(0 / * IOPRIO_CLASS_NONE * /, 8191) * /" */
	for (; q + 1 < ps->end; q++) {
		if (q[0] == '/' && q[1] == '*') {
			depth++;
			q++;
		} else if (q[0] == '*' && q[1] == '/' && --depth == 0) {
			break;
		}
	}
	if (q + 1 >= ps->end)
		return sr_stp_fail(ps, "end of comment");
	*text = (struct sr_str){ ps->p + 2, (size_t)(q - ps->p - 2) };
	ps->p = q + 2;
	return true;
}

static bool parse_group(struct sr_stp *ps, struct sr_value *out);
static bool parse_expr(struct sr_stp *ps, struct sr_value *out, int minlevel);

static bool parse_primary(struct sr_stp *ps, struct sr_value *out)
{
	memset(out, 0, sizeof(*out));
	if (ps->p >= ps->end)
		return sr_stp_fail(ps, "a value");
	switch (*ps->p) {
	case '"':
		return parse_string(ps, out);
	case '@':
		if (ps->p + 1 < ps->end && ps->p[1] == '"') {
			ps->p++;
			if (!parse_string(ps, out))
				return false;
			out->flags |= SR_VF_ABSTRACT;
			return true;
		}
		return sr_stp_fail(ps, "a value");
	case '{':
		return parse_struct(ps, out);
	case '[':
		return parse_array(ps, out, false);
	case '~':
		if (ps->p + 1 < ps->end && ps->p[1] == '[') {
			ps->p++;
			return parse_array(ps, out, true);
		}
		if (ps->p + 1 < ps->end && ps->p[1] == '(') {
			/* "~(ICMP_ECHOREPLY|...)": a complement, a group named "~" */
			ps->p++;
			if (!parse_group(ps, out))
				return false;
			out->text = (struct sr_str){ "~", 1 };
			return true;
		}
		return sr_stp_fail(ps, "'[' or '(' after '~'");
	case '(':
		return parse_group(ps, out);
	case '*':
		/* the AX.25 wildcard callsign */
		if (ps->p + 1 == ps->end || ps->p[1] == ',' || ps->p[1] == '}' || ps->p[1] == ']' ||
		    ps->p[1] == ')') {
			out->kind = SR_V_IDENT;
			out->text = (struct sr_str){ ps->p++, 1 };
			return true;
		}
		return sr_stp_fail(ps, "a value");
	case '\'':
		return parse_char(ps, out);
	case '.':
		if (AT(ps, "...")) {
			out->kind = SR_V_ELLIPSIS;
			ps->p += 3;
			return true;
		}
		return sr_stp_fail(ps, "a value");
	case '/':
		if (AT(ps, "/*")) {
			struct sr_value kid;

			out->kind = SR_V_COMMENT;
			if (!parse_comment_text(ps, &out->text))
				return false;
			/* a comment that heads the value it describes: a
			 * struct's nonzero tail, "bytes 24..31" and a hex
			 * string (strace 5.x+) */
			if (ps->p + 1 < ps->end && ps->p[0] == ' ' && (ps->p[1] == '"' ||
			    ps->p[1] == '[' || ps->p[1] == '{')) {
				ps->p++;
				if (!parse_expr(ps, &kid, 0))
					return false;
				kid.name = (struct sr_str){ 0 };
				out->kids = sr_arena_alloc(ps->arena, sizeof(kid));
				if (!out->kids)
					return sr_stp_fail(ps, "memory");
				out->kids[0] = kid;
				out->nkids = 1;
				out->flags |= SR_VF_LEADING;
			}
			return true;
		}
		return sr_stp_fail(ps, "a value");
	case '|':
		/* -X raw prints a zero-valued flag as nothing: "|0x900" */
		if (ps->p + 1 < ps->end && ps->p[1] != '|') {
			out->kind = SR_V_IDENT;
			out->text = (struct sr_str){ ps->p, 0 };
			return true;
		}
		return sr_stp_fail(ps, "a value");
	case '<':
		/* "<... resuming interrupted read ...>" */
		if (AT(ps, "<...")) {
			const char *q = memchr(ps->p, '>', (size_t)(ps->end - ps->p));

			if (!q)
				return sr_stp_fail(ps, "'>'");
			out->kind = SR_V_IDENT;
			out->text = (struct sr_str){ ps->p, (size_t)(q + 1 - ps->p) };
			ps->p = q + 1;
			return true;
		}
		return sr_stp_fail(ps, "a value");
	default:
		if (is_digit((unsigned char)*ps->p) || is_ident_start((unsigned char)*ps->p) ||
		    *ps->p == '-' ||
		    /* a flag shown absent: "!PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_NONE" */
		    (*ps->p == '!' && ps->p + 1 < ps->end &&
		     is_ident_start((unsigned char)ps->p[1]))) {
			const char *e = is_ident_start((unsigned char)*ps->p) &&
						hexval((unsigned char)*ps->p) < 0
					? NULL
					: odd_word(ps->p, ps->end);

			if (!e && *ps->p != '-')
				e = callsign(ps->p, ps->end);

			if (e) {
				out->kind = SR_V_IDENT;
				out->text = (struct sr_str){ ps->p, (size_t)(e - ps->p) };
				ps->p = e;
				return true;
			}
			return parse_word(ps, out);
		}
		return sr_stp_fail(ps, "a value");
	}
}

/* "(INET_DIAG_CONG-1)": a parenthesized expression, kept as a CALL without
 * a name so that it prints back as it was. */
static bool parse_group(struct sr_stp *ps, struct sr_value *out)
{
	size_t base = ps->sp;

	ps->p++;
	memset(out, 0, sizeof(*out));
	out->kind = SR_V_CALL;
	out->text = (struct sr_str){ "", 0 };
	if (!sr_stp_args(ps, ')', NULL, NULL, NULL))
		return false;
	if (ps->p >= ps->end || *ps->p != ')')
		return sr_stp_fail(ps, "')'");
	ps->p++;
	return pop_kids(ps, base, &out->kids, &out->nkids);
}

static bool parse_comment_postfix(struct sr_stp *ps, struct sr_value *out);

/* A primary, its fd annotation, and a comment right after it: -X verbose
 * comments each member of a flag set, so the comment binds tighter than '|'. */
static bool parse_postfix(struct sr_stp *ps, struct sr_value *out)
{
	if (!parse_primary(ps, out))
		return false;
	if (out->kind == SR_V_IDENT && ps->p < ps->end && *ps->p == '{' && out->text.len &&
	    is_ident_start((unsigned char)out->text.ptr[0])) {
		/* strace 4.x cmsg: "cmsg_type=SCM_CREDENTIALS{pid=1, uid=0,
		 * gid=0}", a struct tagged by the word glued to it */
		struct sr_str tag = out->text;

		if (!parse_struct(ps, out))
			return false;
		out->text = tag;
		return true;
	}
	if ((out->kind == SR_V_INT || out->kind == SR_V_IDENT) && ps->p + 1 < ps->end &&
	    ps->p[0] == '<' && ps->p[1] != '<' && !parse_fd_annotation(ps, out))
		return false;
	if (!parse_comment_postfix(ps, out))
		return false;
	/* -X verbose -y: -100 (comment AT_FDCWD)</tmp>: the annotation comes
	 * after the comment on the number */
	if (out->kind == SR_V_COMMENT && out->nkids == 1 &&
	    (out->kids[0].kind == SR_V_INT || out->kids[0].kind == SR_V_IDENT) &&
	    ps->p + 1 < ps->end && ps->p[0] == '<' && ps->p[1] != '<')
		return parse_fd_annotation(ps, out);
	return true;
}

/* Binary operators, by precedence level (higher binds tighter). */
enum {
	LV_OR_WORD = 0, /* " or " (ioctl alternatives) */
	LV_LOR,         /* " || " */
	LV_LAND,        /* " && " */
	LV_EQ,          /* " == ", " != " */
	LV_FLAGS,       /* "|" : an n-ary flag set */
	LV_SHIFT,       /* "<<", ">>" */
	LV_MUL,         /* "*", "+" */
};

struct binop {
	int level;
	uint8_t len;
	bool spaced;
	const char *text;
};

/* The operator at the cursor, or NULL.  Most values are followed by ", ",
 * ')' or '}', so the first byte rejects nearly every call. */
static bool binop_at(const struct sr_stp *ps, struct binop *o)
{
	const char *p = ps->p;
	size_t left = (size_t)(ps->end - p);

	if (!left)
		return false;
	switch (*p) {
	case ' ':
		if (left < 4 || p[3] != ' ')
			return false;
		o->len = 4;
		o->spaced = true;
		o->text = p + 1;
		if (p[1] == 'o' && p[2] == 'r')
			o->level = LV_OR_WORD;
		else if (p[1] == '|' && p[2] == '|')
			o->level = LV_LOR;
		else if (p[1] == '&' && p[2] == '&')
			o->level = LV_LAND;
		else if ((p[1] == '=' || p[1] == '!') && p[2] == '=')
			o->level = LV_EQ;
		else if ((p[1] == '<' || p[1] == '>') && p[2] == p[1])
			/* -X abbrev hdio: "1 << IDE_NICE_1" */
			o->level = LV_SHIFT;
		else
			return false;
		return true;
	case '|':
		if (left > 1 && p[1] == '|')
			return false;
		o->level = LV_FLAGS;
		break;
	case '<':
	case '>':
		if (left < 2 || p[1] != p[0])
			return false;
		o->level = LV_SHIFT;
		o->len = 2;
		o->spaced = false;
		o->text = p;
		return true;
	case '*':
	case '+':
		o->level = LV_MUL;
		break;
	case '/':
		/* v4l2 fractions, "timeperframe=3735928559/3134983661";
		 * "/" "*" opens a comment */
		if (left < 2 || !is_ident_char((unsigned char)p[1]))
			return false;
		o->level = LV_MUL;
		break;
	case '-':
		/* "IPV4_DEVCONF_FORWARDING-1", "VALID-13"; "->" is an old
		 * changed-value arrow */
		if (left < 2 || p[1] == '>' || !(is_ident_char((unsigned char)p[1]) || p[1] == '(') ||
		    !(is_ident_char((unsigned char)p[-1]) || p[-1] == ')'))
			return false;
		o->level = LV_MUL;
		break;
	default:
		return false;
	}
	o->len = 1;
	o->spaced = false;
	o->text = p;
	return true;
}

/* Precedence climbing over the operators above. */
static bool parse_expr(struct sr_stp *ps, struct sr_value *out, int minlevel)
{
	struct binop o;

	if (!parse_postfix(ps, out))
		return false;
	while (binop_at(ps, &o) && o.level >= minlevel) {
		if (o.level == LV_FLAGS) {
			size_t base = ps->sp;

			if (!push(ps, out))
				return false;
			while (binop_at(ps, &o) && o.level == LV_FLAGS) {
				struct sr_value m;

				ps->p++;
				if (!parse_expr(ps, &m, LV_FLAGS + 1) || !push(ps, &m))
					return false;
			}
			memset(out, 0, sizeof(*out));
			out->kind = SR_V_FLAGS;
			if (!pop_kids(ps, base, &out->kids, &out->nkids))
				return false;
		} else {
			struct sr_value rhs, lhs;

			ps->p += o.len;
			if (!parse_expr(ps, &rhs, o.level + 1))
				return false;
			lhs = *out;
			if (!make_pair(ps, out, SR_V_EXPR, &lhs, &rhs))
				return false;
			if (o.spaced)
				out->flags |= SR_VF_SPACED;
			out->text = (struct sr_str){ o.text, (size_t)o.len - (o.spaced ? 2 : 0) };
		}
	}
	return true;
}

static bool parse_comment_postfix(struct sr_stp *ps, struct sr_value *out)
{
	if (AT(ps, " /*")) {
		struct sr_value v = *out;

		ps->p++;
		if (!make_pair(ps, out, SR_V_COMMENT, &v, NULL))
			return false;
		return parse_comment_text(ps, &out->text);
	}
	return true;
}

/* v, then an optional trailing comment. */
static bool parse_commented(struct sr_stp *ps, struct sr_value *out)
{
	if (!parse_expr(ps, out, 0))
		return false;
	return parse_comment_postfix(ps, out);
}

bool sr_stp_value(struct sr_stp *ps, struct sr_value *out)
{
	if (++ps->depth > MAX_DEPTH)
		return sr_stp_fail(ps, "less nesting");
	if (!parse_commented(ps, out))
		return false;
	for (;;) {
		struct sr_value a, b;
		struct sr_str name;
		uint16_t fl = 0;

		/* most values end at ", " or a bracket: one test */
		if (ps->p >= ps->end || (*ps->p != ' ' && *ps->p != '-'))
			break;
		if (AT(ps, " => ")) {
			ps->p += 4;
		} else if (AT(ps, "->")) {
			ps->p += 2;
			fl = SR_VF_OLD_ARROW;
		} else if (AT(ps, " -> ")) {
			/* strace 4.x set_thread_area: "{entry_number:-1 -> 6, ...}" */
			ps->p += 4;
			fl = SR_VF_OLD_ARROW | SR_VF_SPACED;
		} else {
			break;
		}
		a = *out;
		/* "features=0 => features=UFFD_FEATURE_...": the member's name
		 * again after the arrow (strace 5.x+ structs) */
		name = member_name(ps, NULL);
		if (!parse_commented(ps, &b))
			return false;
		b.name = name;
		if (!make_pair(ps, out, SR_V_CHANGED, &a, &b))
			return false;
		out->flags |= fl;
	}
	ps->depth--;
	return true;
}
