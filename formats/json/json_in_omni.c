/*
 * json_in_omni.c - posix-omni-parser's calls as JSON (scripts/omni-json.py
 * writes them from its Syscall objects): "args" is str() of the parser's
 * argument tuple, "(<FileDescriptor 3>, <Flags ['O_RDONLY']>, ...)".  Each
 * <Class value> is typed again the way the parser's class holds it
 * (parsing_classes.py), into the nodes the strace reader builds for the
 * same text, so that the semantic layer gives the same record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_in.h"

/* The parser's classes whose repr starts an item: "<Name ". */
static bool omni_class_at(const char *p, const char *e)
{
	const char *q = p + 1;

	if (p >= e || *p != '<' || q >= e || !(*q >= 'A' && *q <= 'Z'))
		return false;
	while (q < e && ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z')))
		q++;
	return q < e && *q == ' ';
}

/* The end ('>') of the item starting at p ('<').  The value of an
 * UnimplementedType is a piece of strace's text that the parser cut at
 * ", ", so its brackets need not balance: an item ends at a '>' followed by
 * ", <Class " or by the end of the tuple. */
static const char *omni_item_end(const char *p, const char *e)
{
	const char *q, *sp = memchr(p, ' ', (size_t)(e - p));
	bool list = sp && sp + 2 < e && sp[1] == '[' && sp[2] == '<';

	for (q = p + 1; q < e; q++) {
		if (*q != '>')
			continue;
		/* a Sockaddr holds a list of items: it ends at "]>" */
		if (list && q[-1] != ']')
			continue;
		if (q + 1 == e || (q + 2 == e && q[1] == ','))
			return q;
		if (e - q > 3 && q[1] == ',' && q[2] == ' ' && omni_class_at(q + 3, e))
			return q;
	}
	return NULL;
}

/* The end of one argument in strace's text starting at p: the ", " at
 * depth 0 outside quotes, or e. */
static const char *text_arg_end(const char *p, const char *e)
{
	int depth = 0;
	bool q = false;

	for (; p < e; p++) {
		if (q) {
			if (*p == '\\' && p + 1 < e)
				p++;
			else if (*p == '"')
				q = false;
			continue;
		}
		if (*p == '"')
			q = true;
		else if (*p == '(' || *p == '[' || *p == '{')
			depth++;
		else if ((*p == ')' || *p == ']' || *p == '}') && depth)
			depth--;
		else if (*p == ',' && !depth && p + 1 < e && p[1] == ' ')
			return p;
	}
	return e;
}

/* strace's C string "..." (with a trailing ... when cut): its bytes. */
static bool c_string(struct dctx *c, const char *s, size_t n, struct sr_value *v)
{
	char *d;
	size_t i, o = 0;

	memset(v, 0, sizeof(*v));
	if (n >= 5 && !memcmp(s + n - 3, "...", 3) && s[n - 4] == '"') {
		v->flags |= SR_VF_TRUNC;
		n -= 3;
	}
	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return false;
	d = sr_arena_alloc(c->b->arena, n);
	if (!d)
		return !(c->oom = true);
	for (i = 1; i + 1 < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\\' && i + 2 < n) {
			ch = (unsigned char)s[++i];
			if (ch >= '0' && ch <= '7') {
				unsigned val = ch - '0', k;

				for (k = 0; k < 2 && i + 2 < n && s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
					val = val * 8 + (unsigned)(s[++i] - '0');
				ch = (unsigned char)val;
			} else if (ch == 'x' && i + 3 < n && sr_jin_hexval((unsigned char)s[i + 1]) >= 0 &&
				   sr_jin_hexval((unsigned char)s[i + 2]) >= 0) {
				ch = (unsigned char)(sr_jin_hexval((unsigned char)s[i + 1]) << 4 |
						     sr_jin_hexval((unsigned char)s[i + 2]));
				i += 2;
			} else {
				const char *from = "ntrvf", *to = "\n\t\r\v\f";
				const char *f = strchr(from, ch);

				if (ch && f)
					ch = (unsigned char)to[f - from];
			}
		}
		d[o++] = (char)ch;
	}
	v->kind = SR_V_STR;
	v->text = (struct sr_str){ d, o };
	return true;
}

/* One argument in strace's text spelling, as far as it is a scalar: a C
 * string, NULL, an integer, a constant, A|B flags.  Anything else (a
 * struct, an array: the parser kept no structure) stays a word spelled as
 * printed. */
static void text_arg(struct dctx *c, const char *s, size_t n, struct sr_value *v)
{
	memset(v, 0, sizeof(*v));
	if (c_string(c, s, n, v) || c->oom)
		return;
	memset(v, 0, sizeof(*v));
	if (n == 4 && !memcmp(s, "NULL", 4)) {
		v->kind = SR_V_NULL;
		return;
	}
	if (sr_jin_spelled_int(s, n, v)) {
		v->text = v->base == SR_BASE_DEC ? (struct sr_str){ "", 0 } : sr_jin_dup_str(c, s, n);
		return;
	}
	if (memchr(s, '|', n)) {
		size_t k = 1, i, start = 0;
		bool ok = true;

		for (i = 0; i < n; i++)
			k += s[i] == '|';
		v->kind = SR_V_FLAGS;
		v->kids = sr_jin_new_values(c, k);
		v->nkids = (uint32_t)k;
		for (i = 0, k = 0; i <= n && v->kids && ok; i++) {
			struct sr_value *m;

			if (i < n && s[i] != '|')
				continue;
			m = &v->kids[k++];
			if (sr_jin_spelled_int(s + start, i - start, m))
				m->text = sr_jin_dup_str(c, s + start, i - start);
			else if (sr_jin_is_word(s + start, i - start))
				m->kind = SR_V_IDENT, m->text = sr_jin_dup_str(c, s + start, i - start);
			else
				ok = false;
			start = i + 1;
		}
		if (ok)
			return;
		memset(v, 0, sizeof(*v));
	}
	v->kind = SR_V_IDENT;
	v->text = sr_jin_dup_str(c, s, n);
}

/* Flags: the parser's Python list of names, "['O_RDONLY', 'O_CLOEXEC']". */
static void omni_flags(struct dctx *c, const char *s, size_t n, struct sr_value *v)
{
	struct sr_buf *t = &c->r->scratch;
	size_t i;

	/* back to strace's A|B spelling, then as strace text */
	t->len = 0;
	for (i = 0; i < n; i++) {
		if (s[i] != '\'' && s[i] != '"')
			continue;
		{
			char q = s[i];
			size_t j = i + 1;

			while (j < n && s[j] != q)
				j++;
			if (t->len)
				sr_buf_addc(t, '|');
			sr_buf_add(t, s + i + 1, j - i - 1);
			i = j;
		}
	}
	if (!t->len) {
		/* "[]": _string_to_flags gives no names for strace's "0" */
		text_arg(c, n == 2 && s[0] == '[' && s[1] == ']' ? "0" : s,
			 n == 2 && s[0] == '[' && s[1] == ']' ? 1 : n, v);
		return;
	}
	text_arg(c, t->p, t->len, v);
}

/* A mode: the parser turns strace's octal "0644" into names of its own
 * (_mode_to_flags: S_IRWXA for 0777, S_IRWXU, S_IRUSR, ...); a mode
 * argument made only of those names is the octal number again. */
static bool omni_mode(struct dctx *c, const char *s, size_t n, struct sr_value *v)
{
	static const struct { const char *name; unsigned bits; } perm[] = {
		{ "S_IRWXA", 0777 }, { "S_IRWXU", 0700 }, { "S_IRUSR", 0400 },
		{ "S_IWUSR", 0200 }, { "S_IXUSR", 0100 }, { "S_IRWXG", 070 },
		{ "S_IRGRP", 040 }, { "S_IWGRP", 020 }, { "S_IXGRP", 010 },
		{ "S_IRWXO", 07 }, { "S_IROTH", 04 }, { "S_IWOTH", 02 }, { "S_IXOTH", 01 },
	};
	unsigned mode = 0;
	size_t i, k, names = 0;
	char spell[8];
	int len;

	for (i = 0; i < n; i++) {
		size_t j;

		if (s[i] != '\'')
			continue;
		for (j = i + 1; j < n && s[j] != '\''; j++)
			;
		for (k = 0; k < sizeof(perm) / sizeof(perm[0]); k++)
			if (strlen(perm[k].name) == j - i - 1 && !memcmp(perm[k].name, s + i + 1, j - i - 1))
				break;
		if (k == sizeof(perm) / sizeof(perm[0]))
			return false;
		mode |= perm[k].bits;
		names++;
		i = j;
	}
	if (!names)
		return false;
	len = snprintf(spell, sizeof(spell), "0%o", mode);
	memset(v, 0, sizeof(*v));
	return sr_jin_spelled_int(spell, (size_t)len, v) &&
	       (v->text = sr_jin_dup_str(c, spell, (size_t)len), !c->oom);
}

/* Sockaddr: "[<SockFamily AF_INET>, <SockPort 25588>, <SockIP 127.0.0.1>]",
 * strace's {sa_family=AF_INET, sin_port=htons(25588),
 * sin_addr=inet_addr("127.0.0.1")}.  Other families: a word. */
static void omni_sockaddr(struct dctx *c, const char *s, size_t n, struct sr_value *v)
{
	static const char fam[] = "[<SockFamily AF_INET>, <SockPort ";
	const char *port, *ip, *e = s + n;
	struct sr_value *k;

	memset(v, 0, sizeof(*v));
	if (n < sizeof(fam) || memcmp(s, fam, sizeof(fam) - 1))
		goto word;
	port = s + sizeof(fam) - 1;
	ip = memchr(port, '>', (size_t)(e - port));
	if (!ip || e - ip < 12 || memcmp(ip, ">, <SockIP ", 11) || e[-1] != ']' || e[-2] != '>')
		goto word;
	k = sr_jin_new_values(c, 3 + 2);
	if (!k)
		return;
	k[0].kind = SR_V_IDENT;
	k[0].name = SR_STR("sa_family");
	k[0].text = SR_STR("AF_INET");
	k[1].kind = SR_V_CALL;
	k[1].name = SR_STR("sin_port");
	k[1].text = SR_STR("htons");
	k[1].kids = &k[3];
	k[1].nkids = 1;
	if (!sr_jin_spelled_int(port, (size_t)(ip - port), &k[3]))
		goto word;
	k[2].kind = SR_V_CALL;
	k[2].name = SR_STR("sin_addr");
	k[2].text = SR_STR("inet_addr");
	k[2].kids = &k[4];
	k[2].nkids = 1;
	k[4].kind = SR_V_STR;
	k[4].text = sr_jin_dup_str(c, ip + 11, (size_t)(e - 2 - (ip + 11)));
	v->kind = SR_V_STRUCT;
	v->kids = k;
	v->nkids = 3;
	return;
word:
	memset(v, 0, sizeof(*v));
	v->kind = SR_V_IDENT;
	v->text = sr_jin_dup_str(c, s, n);
}

/* Hex: the parser drops the "0x" of a hex number and keeps a decimal one
 * as it is, so "<Hex 16>" is 0x16 or 16: the signature decides (strace
 * prints addresses and -XINT arguments in hex, sizes in decimal). */
static void omni_hex(struct dctx *c, const char *s, size_t n, struct sr_sarg t,
		     struct sr_value *v)
{
	struct sr_buf *b = &c->r->scratch;
	bool hex = t.type == SR_T_PTR || t.type == SR_T_ADDR || t.type == SR_T_XINT;
	size_t i;

	for (i = 0; i < n && !hex; i++)
		hex = !(s[i] >= '0' && s[i] <= '9');
	if (!hex || (n == 1 && s[0] == '0') || (n > 2 && s[0] == '0' && s[1] == 'x')) {
		text_arg(c, s, n, v);
		return;
	}
	b->len = 0;
	sr_buf_add(b, "0x", 2);
	sr_buf_add(b, s, n);
	text_arg(c, b->p, b->len, v);
}

/* A Python string literal 'x' or "x" with its escapes decoded. */
static bool omni_pystr(struct dctx *c, const char *s, size_t n, struct sr_value *v)
{
	char *d;
	size_t i, o = 0;

	if (n < 2 || (s[0] != '\'' && s[0] != '"') || s[n - 1] != s[0])
		return false;
	d = sr_arena_alloc(c->b->arena, n);
	if (!d)
		return !(c->oom = true);
	for (i = 1; i + 1 < n; i++) {
		char ch = s[i];

		if (ch == '\\' && i + 2 < n) {
			ch = s[++i];
			switch (ch) {
			case 'n': ch = '\n'; break;
			case 't': ch = '\t'; break;
			case 'r': ch = '\r'; break;
			case '0': ch = '\0'; break;
			case 'x':
				if (i + 3 < n && sr_jin_hexval((unsigned char)s[i + 1]) >= 0 &&
				    sr_jin_hexval((unsigned char)s[i + 2]) >= 0) {
					ch = (char)(sr_jin_hexval((unsigned char)s[i + 1]) << 4 |
						    sr_jin_hexval((unsigned char)s[i + 2]));
					i += 2;
				}
				break;
			default:
				break;
			}
		}
		d[o++] = ch;
	}
	v->kind = SR_V_STR;
	v->text = (struct sr_str){ d, o };
	return true;
}

static void omni_scalar(struct dctx *c, const char *s, size_t n, struct sr_value *v)
{
	while (n && *s == ' ')
		s++, n--;
	while (n && s[n - 1] == ' ')
		n--;
	memset(v, 0, sizeof(*v));
	if (n >= 3 && s[n - 3] == '.' && s[n - 2] == '.' && s[n - 1] == '.' &&
	    omni_pystr(c, s, n - 3, v)) {
		v->flags |= SR_VF_TRUNC;
		return;
	}
	if (omni_pystr(c, s, n, v))
		return;
	if ((n == 4 && !memcmp(s, "NULL", 4)) || (n == 4 && !memcmp(s, "None", 4))) {
		v->kind = SR_V_NULL;
		return;
	}
	if (sr_jin_spelled_int(s, n, v)) {
		v->text = v->base == SR_BASE_DEC ? (struct sr_str){ "", 0 } : sr_jin_dup_str(c, s, n);
		return;
	}
	if (memchr(s, '|', n)) {
		size_t k = 1, i;
		const char *p = s;

		for (i = 0; i < n; i++)
			k += s[i] == '|';
		v->kind = SR_V_FLAGS;
		v->kids = sr_jin_new_values(c, k);
		v->nkids = (uint32_t)k;
		for (i = 0; i < k && v->kids; i++) {
			const char *bar = memchr(p, '|', (size_t)(s + n - p));
			size_t m = bar ? (size_t)(bar - p) : (size_t)(s + n - p);

			if (!sr_jin_spelled_int(p, m, &v->kids[i]))
				v->kids[i].kind = SR_V_IDENT;
			v->kids[i].text = sr_jin_dup_str(c, p, m);
			p += m + 1;
		}
		return;
	}
	v->kind = SR_V_IDENT;
	v->text = sr_jin_dup_str(c, s, n);
}


/* An item of a shape the parser does not have (a hand-made sample's
 * "<Filename '/etc/passwd'>"): its value typed from its spelling. */
static void omni_other(struct dctx *c, const char *s, size_t n, struct sr_value *v)
{
	omni_scalar(c, s, n, v);
}

/* Adds the arguments in a run of UnimplementedType values (joined back
 * with the ", " the parser cut them at) to ev. */
static void omni_run(struct dctx *c, const char *s, size_t n, struct sr_event *ev, size_t cap)
{
	const char *p = s, *e = s + n;
	uint32_t before = ev->nargs;

	/* a struct, an array, a call or a named argument ("child_stack=0x...") */
	for (p = s; p < e; p++)
		if (*p == '{' || *p == '[' || *p == '(' || *p == '=' || *p == '"')
			break;
	if (p < e) {
		uint32_t got = 0;

		if (sr_jin_strace_args(c, ev->name, s, n, ev->args + ev->nargs,
				       (uint32_t)(cap - ev->nargs), &got)) {
			ev->nargs += got;
			return;
		}
		if (c->oom)
			return;
		ev->nargs = before;
	}
	p = s;

	while (p < e && ev->nargs < cap && !c->oom) {
		const char *q = text_arg_end(p, e);

		text_arg(c, p, (size_t)(q - p), &ev->args[ev->nargs++]);
		p = q < e ? q + 2 : e;
	}
}

bool sr_jin_omni_event(struct dctx *c, const json_t *o, struct sr_event *ev)
{
	const json_t *args = json_object_get(o, "args"), *ret = json_object_get(o, "return");
	const char *s = json_string_value(args), *e, *p;
	const struct sr_signature *sig;
	struct sr_buf run = { 0 };
	size_t cap;

	ev->kind = SR_E_SYSCALL;
	ev->name = sr_jin_jatom(c, json_object_get(o, "syscall"));
	sr_jin_foreign_pid(o, ev);
	sr_jin_foreign_errno(c, o, ev);
	if (json_is_string(json_object_get(o, "type")) &&
	    !strcmp(json_string_value(json_object_get(o, "type")), "unfinished"))
		ev->kind = SR_E_UNFINISHED;
	if (!s)
		return sr_jin_foreign_return(c, ret, ev);
	sig = ev->name ? sr_signature_find(c->r->arch, ev->name->str, ev->name->len) : NULL;
	e = s + json_string_length(args);
	if (s < e && *s == '(')
		s++;
	if (e > s && e[-1] == ')')
		e--;
	/* at most one argument per ", " of the text, plus one */
	cap = 1;
	for (p = s; p < e; p++)
		cap += *p == ',';
	ev->args = sr_jin_new_values(c, cap);
	if (!ev->args)
		return false;
	for (p = s; p < e && !c->oom;) {
		const char *end, *sp, *val;
		size_t cl, vn;

		if (*p == ',' || *p == ' ') {
			p++;
			continue;
		}
		end = *p == '<' ? omni_item_end(p, e) : NULL;
		if (!end) {
			/* not the parser's repr: the rest as one item */
			if (ev->nargs < cap)
				omni_other(c, p, (size_t)(e - p), &ev->args[ev->nargs++]);
			break;
		}
		sp = memchr(p, ' ', (size_t)(end - p));
		cl = sp ? (size_t)(sp - p - 1) : (size_t)(end - p - 1);
		val = sp ? sp + 1 : end;
		vn = (size_t)(end - val);
		if ((cl == 17 && !memcmp(p + 1, "UnimplementedType", 17)) ||
		    (cl == 3 && !memcmp(p + 1, "Hex", 3) && vn && val[0] == '[')) {
			/* strace's text as it was printed: a Hex keeps "[4]"
			 * (a value behind a pointer) as it is too */
			if (run.len)
				sr_buf_add(&run, ", ", 2);
			sr_buf_add(&run, val, vn);
		} else if (cl == 5 && !memcmp(p + 1, "Flags", 5) && memchr(val, '=', vn)) {
			/* a named argument the parser took for flags,
			 * ['child_stack=0xb7507464']: strace's text again */
			const char *q;

			if (run.len)
				sr_buf_add(&run, ", ", 2);
			for (q = val; q < val + vn; q++) {
				const char *z;

				if (*q != '\'')
					continue;
				z = memchr(q + 1, '\'', (size_t)(val + vn - q - 1));
				if (!z)
					break;
				if (run.len && run.p[run.len - 1] != ' ')
					sr_buf_addc(&run, '|');
				sr_buf_add(&run, q + 1, (size_t)(z - q - 1));
				q = z;
			}
		} else {
			if (run.len) {
				omni_run(c, run.p, run.len, ev, cap);
				run.len = 0;
			}
			if (ev->nargs >= cap)
				break;
			if (cl == 12 && !memcmp(p + 1, "MissingValue", 12)) {
				/* an optional argument strace did not print */
			} else if (cl == 5 && !memcmp(p + 1, "Flags", 5)) {
				struct sr_sarg t = { 0 };

				if (sig)
					t = sr_semantic_arg_type(sig, ev->nargs, (struct sr_str){ "", 0 });
				if (t.type != SR_T_MODE || !omni_mode(c, val, vn, &ev->args[ev->nargs]))
					omni_flags(c, val, vn, &ev->args[ev->nargs]);
				ev->nargs++;
			} else if (cl == 3 && !memcmp(p + 1, "Hex", 3)) {
				struct sr_sarg t = { 0 };

				if (sig)
					t = sr_semantic_arg_type(sig, ev->nargs, (struct sr_str){ "", 0 });
				omni_hex(c, val, vn, t, &ev->args[ev->nargs++]);
			} else if (cl == 8 && !memcmp(p + 1, "Sockaddr", 8)) {
				omni_sockaddr(c, val, vn, &ev->args[ev->nargs++]);
			} else if ((cl == 3 && !memcmp(p + 1, "Int", 3)) ||
				   (cl == 14 && !memcmp(p + 1, "FileDescriptor", 14)) ||
				   (cl == 8 && !memcmp(p + 1, "Filepath", 8))) {
				text_arg(c, val, vn, &ev->args[ev->nargs++]);
			} else {
				omni_other(c, val, vn, &ev->args[ev->nargs++]);
			}
		}
		p = end + 1;
	}
	if (run.len && !c->oom)
		omni_run(c, run.p, run.len, ev, cap);
	sr_buf_free(&run);
	return !c->oom && sr_jin_foreign_return(c, ret, ev);
}
