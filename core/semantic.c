/*
 * semantic.c - the semantic record of an event: its parsed sr_value trees
 * read through the syscall's signature and the constant tables into one
 * meaning that does not depend on strace's flags (docs/semantic-record.md).
 *
 * The rule that makes traces agree: a flag set's or an enum's names are
 * computed from its value whenever the value is known (the printed names
 * only serve to find it), so O_RDONLY|O_CLOEXEC, 0x80000 (-X raw) and
 * 0x80000 /​* O_RDONLY|O_CLOEXEC *​/ (-X verbose) give one record.
 * Everything is built in the caller's arena; the context only caches the
 * signature of each syscall atom.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "semantic_internal.h"
#include "sysrep.h"

/* A cache entry: the atom it was filled for (batches of one run may come
 * from several interning tables, e.g. parallel parsing, so an id alone
 * does not name a call) and its signature (&unknown_sig: none). */
struct sig_slot {
	const struct sr_atom *atom;
	const struct sr_signature *sig;
};

struct sr_semantic {
	enum sr_arch arch;
	struct sig_slot *cache; /* by atom id */
	size_t ncache;
};

static const struct sr_signature unknown_sig = { "", SR_T_INT, 0, -1, { { 0 } }, 0 };

struct sr_semantic *sr_semantic_new(enum sr_arch arch)
{
	struct sr_semantic *s = calloc(1, sizeof(*s));

	if (s)
		s->arch = arch == SR_ARCH_UNKNOWN ? SR_ARCH_DEFAULT : arch;
	return s;
}

void sr_semantic_free(struct sr_semantic *s)
{
	if (!s)
		return;
	free(s->cache);
	free(s);
}

const struct sr_signature *sr_semantic_sig(struct sr_semantic *s, const struct sr_event *ev)
{
	const struct sr_signature *sig;
	uint32_t id;

	if (!ev->name)
		return NULL;
	id = ev->name->id;
	if (id < s->ncache && s->cache[id].atom == ev->name)
		return s->cache[id].sig == &unknown_sig ? NULL : s->cache[id].sig;
	sig = sr_signature_find(s->arch, ev->name->str, ev->name->len);
	if (id >= s->ncache) {
		size_t n = s->ncache ? s->ncache : 256;
		struct sig_slot *c;

		while (n <= id)
			n *= 2;
		c = realloc(s->cache, n * sizeof(*c));
		if (!c)
			return sig;
		memset(c + s->ncache, 0, (n - s->ncache) * sizeof(*c));
		s->cache = c;
		s->ncache = n;
	}
	s->cache[id].atom = ev->name;
	s->cache[id].sig = sig ? sig : &unknown_sig;
	return sig;
}

static const char *const argn_names[] = { "arg0", "arg1", "arg2", "arg3", "arg4", "arg5",
					  "arg6", "arg7", "arg8", "arg9" };

/* The keys of values strace printed past the arguments a known call takes:
 * strace 4.x prints 6 (4.8) or 32 (4.6) raw values for a call it has no
 * name for ("syscall_332(...)"), whatever the call takes.  They are no
 * argument of the call: "unusedI" (I the position, as in argI) keeps them
 * apart from the named ones, and the round trip keeps them. */
static const char *const unused_names[] = {
	"unused0",  "unused1",	"unused2",  "unused3",	"unused4",  "unused5",	"unused6",
	"unused7",  "unused8",	"unused9",  "unused10", "unused11", "unused12", "unused13",
	"unused14", "unused15", "unused16", "unused17", "unused18", "unused19", "unused20",
	"unused21", "unused22", "unused23", "unused24", "unused25", "unused26", "unused27",
	"unused28", "unused29", "unused30", "unused31",
};

struct sr_sarg sr_semantic_arg_type(const struct sr_signature *sig, uint32_t i,
				    struct sr_str printed)
{
	struct sr_sarg t = { NULL, SR_T_INT, 0 };
	int k;

	if (printed.len) {
		/* strace named it (clone's flags=...): find that name */
		t.name = NULL;
		if (sig)
			for (k = 0; k < sig->nargs; k++)
				if (strlen(sig->args[k].name) == printed.len &&
				    !memcmp(sig->args[k].name, printed.ptr, printed.len))
					return sig->args[k];
		return t;
	}
	if (sig && sig->nargs >= 0 && i < (uint32_t)sig->nargs)
		return sig->args[i];
	if (sig && sig->nargs >= 0 && i < sizeof(unused_names) / sizeof(unused_names[0])) {
		t.name = unused_names[i];
		return t;
	}
	if (i < sizeof(argn_names) / sizeof(argn_names[0]))
		t.name = argn_names[i];
	return t;
}

/* ------------------------------------------------------------------ */
/* Building                                                            */

static struct sr_sval *sv_alloc(struct sr_arena *a, size_t n)
{
	struct sr_sval *s = sr_arena_alloc(a, (n ? n : 1) * sizeof(*s));

	if (s)
		memset(s, 0, (n ? n : 1) * sizeof(*s));
	return s;
}

#define K(lit) ((struct sr_str){ (lit), sizeof(lit) - 1 })

static void sv_num(struct sr_sval *s, uint64_t u, bool is_signed)
{
	if (!is_signed && u > (uint64_t)INT64_MAX) {
		s->kind = SR_S_UINT;
		s->num.u = u;
	} else {
		s->kind = SR_S_INT;
		s->num.i = (int64_t)u;
	}
}

static void sv_int(struct sr_sval *s, const struct sr_value *v)
{
	if (v->flags & SR_VF_UNSIGNED)
		sv_num(s, v->num.u, false);
	else
		sv_num(s, (uint64_t)v->num.i, true);
}

static void sv_str(struct sr_sval *s, const char *p, size_t n)
{
	s->kind = SR_S_STR;
	s->str = (struct sr_str){ p, n };
}

/* An object with room for cap members; add() appends one. */
struct obj {
	struct sr_sval *o;
	uint32_t cap;
};

static struct sr_sval *add(struct sr_sval *o, struct sr_str key)
{
	struct sr_sval *m = &o->kids[o->n++];

	m->key = key;
	return m;
}

static bool obj_init(struct sr_sval *s, struct sr_arena *a, size_t cap)
{
	s->kind = SR_S_OBJECT;
	s->n = 0;
	s->kids = sv_alloc(a, cap);
	return s->kids != NULL;
}

static struct sr_sval *generic(struct sr_sval *s, const struct sr_value *v, struct sr_arena *a,
			       int depth);
static struct sr_sval *typed(struct sr_sval *s, const struct sr_value *v, struct sr_sarg t,
			     struct sr_arena *a, int depth);

/* The number a value stands for: an INT, a known constant, a FLAGS of
 * them, a number under a comment (-X verbose), an evaluable expression. */
static bool value_of(const struct sr_value *v, uint16_t set, uint64_t *out, int depth)
{
	uint64_t x, acc = 0;
	uint32_t i;

	if (depth > 16)
		return false;
	switch (v->kind) {
	case SR_V_INT:
		*out = v->flags & SR_VF_UNSIGNED ? v->num.u : (uint64_t)v->num.i;
		return true;
	case SR_V_IDENT:
		return sr_sem_set_value(set, v->text.ptr, v->text.len, out);
	case SR_V_FLAGS:
		for (i = 0; i < v->nkids; i++) {
			if (!value_of(&v->kids[i], set, &x, depth + 1))
				return false;
			acc |= x;
		}
		*out = acc;
		return true;
	case SR_V_COMMENT:
		return v->nkids && value_of(&v->kids[0], set, out, depth + 1);
	case SR_V_EXPR: {
		uint64_t l, r;

		if (v->nkids != 2 || !value_of(&v->kids[0], set, &l, depth + 1) ||
		    !value_of(&v->kids[1], set, &r, depth + 1))
			return false;
		if (v->text.len == 1 && v->text.ptr[0] == '*')
			*out = l * r;
		else if (v->text.len == 1 && v->text.ptr[0] == '|')
			*out = l | r;
		else if (v->text.len == 1 && v->text.ptr[0] == '+')
			*out = l + r;
		else if (v->text.len == 2 && !memcmp(v->text.ptr, "<<", 2) && r < 64)
			*out = l << r;
		else
			return false;
		return true;
	}
	case SR_V_CALL: {
		uint64_t x0, x1;

		if (v->nkids == 1 && value_of(&v->kids[0], set, &x0, depth + 1)) {
			if ((v->text.len == 5 && (!memcmp(v->text.ptr, "htons", 5) ||
						  !memcmp(v->text.ptr, "ntohs", 5)))) {
				*out = x0 & 0xffff; /* the host-order number strace shows */
				return true;
			}
			if ((v->text.len == 5 && (!memcmp(v->text.ptr, "htonl", 5) ||
						  !memcmp(v->text.ptr, "ntohl", 5)))) {
				*out = x0 & 0xffffffffu;
				return true;
			}
		}
		if (v->nkids == 2 && v->text.len == 7 && !memcmp(v->text.ptr, "makedev", 7) &&
		    value_of(&v->kids[0], set, &x0, depth + 1) &&
		    value_of(&v->kids[1], set, &x1, depth + 1)) {
			/* glibc's encoding of dev_t, as the kernel's new_encode_dev
			 * and -X raw print it */
			*out = ((x0 & 0xfffff000ull) << 32) | ((x0 & 0xfffull) << 8) |
			       ((x1 & 0xffffff00ull) << 12) | (x1 & 0xffull);
			return true;
		}
		return false;
	}
	default:
		return false;
	}
}

/* {"value":N,"names":[...],"residue":R}: names computed from the value. */
static struct sr_sval *flags_of(struct sr_sval *s, const struct sr_value *v, uint16_t set,
				struct sr_arena *a, int depth)
{
	const struct sem_set *st = sr_sem_set(set);
	const struct sem_const *cs = sr_sem_consts();
	struct sr_sval *names, *m;
	uint64_t val, rest;
	uint32_t i, nn = 0;

	if (!value_of(v, set, &val, 0)) {
		/* a name no table has: keep the printed names, no value */
		if (!obj_init(s, a, 1))
			return NULL;
		m = add(s, K("names"));
		m->kind = SR_S_ARRAY;
		if (v->kind == SR_V_FLAGS) {
			m->kids = sv_alloc(a, v->nkids);
			if (!m->kids)
				return NULL;
			for (i = 0; i < v->nkids; i++)
				if (!generic(&m->kids[m->n++], &v->kids[i], a, depth + 1))
					return NULL;
		} else {
			m->kids = sv_alloc(a, 1);
			if (!m->kids || !generic(&m->kids[m->n++], v, a, depth + 1))
				return NULL;
		}
		return s;
	}
	if (!obj_init(s, a, 3))
		return NULL;
	m = add(s, K("value"));
	sv_num(m, val, false);
	names = add(s, K("names"));
	names->kind = SR_S_ARRAY;
	names->kids = sv_alloc(a, st ? (size_t)st->nbits + 2 : 1);
	if (!names->kids)
		return NULL;
	rest = val;
	if (st) {
		uint64_t fv = val & st->mask;
		/* a field without a mask is the set's name for 0 (PROT_NONE, F_OK) */
		bool done = !st->mask && val;

		const char *fname = NULL;
		uint8_t flen = 0;

		if (st->fset && fv) {
			/* clone's exit signal: strace prints it after the bits */
			if ((fname = sr_sem_enum_name(st->fset, fv, &flen)))
				rest &= ~st->mask;
			done = true;
		}
		for (i = 0; i < st->nfield && !done; i++) {
			const struct sem_const *c = &cs[st->start + i];

			if (c->v == fv) {
				sv_str(&names->kids[nn++], c->name, c->len);
				rest &= ~st->mask;
				break;
			}
		}
		for (i = 0; i < st->nbits && rest; i++) {
			const struct sem_const *c = &cs[st->start + st->nfield + i];

			if (c->v && (rest & c->v) == c->v && (val & c->v) == c->v) {
				sv_str(&names->kids[nn++], c->name, c->len);
				rest &= ~c->v;
			}
		}
		if (fname)
			sv_str(&names->kids[nn++], fname, flen);
	}
	names->n = nn;
	if (rest) {
		m = add(s, K("residue"));
		sv_num(m, rest, false);
	}
	return s;
}

/* {"value":N,"name":"X"} (name absent when no table has N). */
static struct sr_sval *enum_of(struct sr_sval *s, const struct sr_value *v, uint16_t set,
			       struct sr_arena *a)
{
	uint64_t val;
	const char *nm;
	uint8_t len;
	struct sr_sval *m;

	if (!obj_init(s, a, 2))
		return NULL;
	if (!value_of(v, set, &val, 0)) {
		if (v->kind == SR_V_IDENT)
			sv_str(add(s, K("name")), v->text.ptr, v->text.len);
		else
			s->kind = SR_S_NULL;
		return s;
	}
	m = add(s, K("value"));
	if (v->kind == SR_V_INT && !(v->flags & SR_VF_UNSIGNED))
		sv_num(m, val, true);
	else
		sv_num(m, val, false);
	if ((nm = sr_sem_enum_name(set, val, &len)))
		sv_str(add(s, K("name")), nm, len);
	else if (!set && v->kind == SR_V_IDENT)
		/* a word outside a typed slot: its value from any set, its
		 * name as printed (no set says which name of the value) */
		sv_str(add(s, K("name")), v->text.ptr, v->text.len);
	return s;
}

/* strace's C escapes in an fd annotation, decoded into the arena. */
static struct sr_str unescape(const char *p, size_t n, struct sr_arena *a)
{
	char *d;
	size_t i, k = 0;

	if (!n || !memchr(p, '\\', n)) /* p may be NULL when n is 0 */
		return (struct sr_str){ p, n };
	d = sr_arena_alloc(a, n + 1);
	if (!d)
		return (struct sr_str){ p, n };
	for (i = 0; i < n; i++) {
		char c = p[i];

		if (c != '\\' || i + 1 == n) {
			d[k++] = c;
			continue;
		}
		c = p[++i];
		if (c >= '0' && c <= '7') {
			unsigned v = 0, j;

			for (j = 0; j < 3 && i < n && p[i] >= '0' && p[i] <= '7'; j++, i++)
				v = v * 8 + (unsigned)(p[i] - '0');
			i--;
			d[k++] = (char)v;
		} else if (c == 'x' && i + 2 < n + 1 && i + 2 <= n - 1 + 1) {
			unsigned v = 0, j;

			for (j = 0, i++; j < 2 && i < n; j++, i++) {
				char h = p[i];
				unsigned x = h >= '0' && h <= '9'   ? (unsigned)(h - '0')
					     : h >= 'a' && h <= 'f' ? (unsigned)(h - 'a' + 10)
					     : h >= 'A' && h <= 'F' ? (unsigned)(h - 'A' + 10)
								    : 99;
				if (x == 99)
					break;
				v = v * 16 + x;
			}
			i--;
			d[k++] = (char)v;
		} else {
			static const char from[] = "ntrvfab", to[] = "\n\t\r\v\f\a\b";
			const char *f = c ? strchr(from, c) : NULL;

			d[k++] = f ? to[f - from] : c;
		}
	}
	return (struct sr_str){ d, k };
}

static bool all_digits(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return n > 0;
}

static uint64_t digits(const char *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (uint64_t)(p[i] - '0');
	return v;
}

/* "ADDR:PORT" or "[ADDR6]:PORT" into {"addr":..,"port":..}. */
static bool endpoint(struct sr_sval *s, const char *p, size_t n, struct sr_arena *a)
{
	const char *c = NULL;
	size_t i;

	for (i = n; i > 0; i--)
		if (p[i - 1] == ':') {
			c = p + i - 1;
			break;
		}
	if (!c || !all_digits(c + 1, (size_t)(p + n - c - 1)))
		return false;
	if (!obj_init(s, a, 2))
		return false;
	if (c - p >= 2 && p[0] == '[' && c[-1] == ']')
		sv_str(add(s, K("addr")), p + 1, (size_t)(c - p - 2));
	else
		sv_str(add(s, K("addr")), p, (size_t)(c - p));
	sv_num(add(s, K("port")), digits(c + 1, (size_t)(p + n - c - 1)), true);
	return true;
}

/* -yy's "<char 1:3>" or "<block 8:1>" after a device's path: where it
 * starts, NULL when the annotation has none. */
static const char *device_suffix(const char *p, const char *e)
{
	const char *lt, *c;

	if (e - p < 8 || e[-1] != '>')
		return NULL;
	for (lt = e - 2; lt > p && *lt != '<'; lt--)
		;
	if (*lt != '<')
		return NULL;
	if (e - lt > 6 && !memcmp(lt + 1, "char ", 5))
		c = lt + 6;
	else if (e - lt > 7 && !memcmp(lt + 1, "block ", 6))
		c = lt + 7;
	else
		return NULL;
	{
		const char *colon = memchr(c, ':', (size_t)(e - 1 - c));

		if (!colon || !all_digits(c, (size_t)(colon - c)) ||
		    !all_digits(colon + 1, (size_t)(e - 2 - colon)))
			return NULL;
	}
	return lt;
}

/* {"type":"char","major":1,"minor":3} from "<char 1:3>" */
static bool device(struct sr_sval *s, const char *p, const char *e, struct sr_arena *a)
{
	const char *sp = memchr(p, ' ', (size_t)(e - p)), *colon;

	colon = memchr(sp, ':', (size_t)(e - sp));
	if (!obj_init(s, a, 3))
		return false;
	sv_str(add(s, K("type")), p + 1, (size_t)(sp - p - 1));
	sv_num(add(s, K("major")), digits(sp + 1, (size_t)(colon - sp - 1)), true);
	sv_num(add(s, K("minor")), digits(colon + 1, (size_t)(e - 2 - colon)), true);
	return true;
}

/* The annotation -y/-yy printed: a path, or a socket/pipe/anon inode. */
static bool fd_annotation(struct sr_sval *s, const struct sr_value *fd, struct sr_arena *a)
{
	/* an empty text's ptr may be NULL: no arithmetic on it */
	const char *p = fd->text.ptr, *e = p ? p + fd->text.len : p, *colon, *br;

	colon = p < e && p[0] != '/' ? memchr(p, ':', (size_t)(e - p)) : NULL;
	br = colon && colon + 1 < e && colon[1] == '[' && e[-1] == ']' ? colon + 2 : NULL;
	if (!br) {
		struct sr_str path;
		const char *dev = device_suffix(p, e);

		path = unescape(p, (size_t)((dev ? dev : e) - p), a);
		sv_str(add(s, K("path")), path.ptr, path.len);
		if (dev && !device(add(s, K("device")), dev, e, a))
			return false;
		if (fd->flags & (SR_VF_DELETED | SR_VF_DELETED_IN))
			add(s, K("deleted"))->kind = SR_S_BOOL, s->kids[s->n - 1].num.b = true;
		return true;
	}
	{
		struct sr_str kind = { p, (size_t)(colon - p) };
		const char *in = br, *ie = e - 1, *arrow;

		if (kind.len == 6 && !memcmp(p, "socket", 6)) {
			sv_str(add(s, K("type")), "socket", 6);
		} else if (kind.len == 4 && !memcmp(p, "pipe", 4)) {
			sv_str(add(s, K("type")), "pipe", 4);
		} else if (kind.len == 10 && !memcmp(p, "anon_inode", 10)) {
			sv_str(add(s, K("type")), "anon_inode", 10);
			sv_str(add(s, K("kind")), in, (size_t)(ie - in));
			return true;
		} else {
			/* -yy: UNIX-STREAM:[...], TCP:[...], NETLINK:[...] */
			sv_str(add(s, K("type")), "socket", 6);
			sv_str(add(s, K("protocol")), kind.ptr, kind.len);
		}
		arrow = NULL;
		for (const char *q = in; q + 1 < ie; q++)
			if (q[0] == '-' && q[1] == '>') {
				arrow = q;
				break;
			}
		if (all_digits(in, (size_t)((arrow ? arrow : ie) - in))) {
			sv_num(add(s, K("inode")), digits(in, (size_t)((arrow ? arrow : ie) - in)),
			       true);
			/* -yy's unix form is inode[->peer][,"path"] */
			const char *pc = arrow ? memchr(arrow + 2, ',', (size_t)(ie - arrow - 2)) : NULL;
			const char *pe = pc ? pc : ie;

			if (arrow && all_digits(arrow + 2, (size_t)(pe - arrow - 2))) {
				sv_num(add(s, K("peer")), digits(arrow + 2, (size_t)(pe - arrow - 2)),
				       true);
				if (pc && ie - pc >= 3 && pc[1] == '"' && ie[-1] == '"') {
					struct sr_str path = unescape(pc + 2, (size_t)(ie - pc - 3), a);

					sv_str(add(s, K("path")), path.ptr, path.len);
				} else if (pc) {
					sv_str(add(s, K("path")), pc + 1, (size_t)(ie - pc - 1));
				}
			} else if (arrow)
				sv_str(add(s, K("peer")), arrow + 2, (size_t)(ie - arrow - 2));
			return true;
		}
		{
			/* "123,\"/path\"": an inode and a unix socket's path */
			const char *comma = memchr(in, ',', (size_t)(ie - in));

			if (comma && all_digits(in, (size_t)(comma - in))) {
				sv_num(add(s, K("inode")), digits(in, (size_t)(comma - in)), true);
				if (ie - comma >= 3 && comma[1] == '"' && ie[-1] == '"') {
					struct sr_str path = unescape(comma + 2,
								      (size_t)(ie - comma - 3), a);

					sv_str(add(s, K("path")), path.ptr, path.len);
				}
				return true;
			}
		}
		if (arrow) {
			struct sr_sval *l = add(s, K("local"));

			if (!endpoint(l, in, (size_t)(arrow - in), a))
				sv_str(l, in, (size_t)(arrow - in));
			l = add(s, K("remote"));
			if (!endpoint(l, arrow + 2, (size_t)(ie - arrow - 2), a))
				sv_str(l, arrow + 2, (size_t)(ie - arrow - 2));
		} else {
			struct sr_sval *l = add(s, K("local"));

			if (!endpoint(l, in, (size_t)(ie - in), a))
				sv_str(l, in, (size_t)(ie - in));
		}
	}
	return true;
}

/* {"fd":N, "name":..., "path":... / socket details} */
static struct sr_sval *fd_of(struct sr_sval *s, const struct sr_value *v, uint16_t set,
			     struct sr_arena *a)
{
	const struct sr_value *fdv = v, *num;
	uint64_t val;
	const char *nm;
	uint8_t len;

	if (!obj_init(s, a, 9))
		return NULL;
	if (v->kind == SR_V_FD && v->nkids)
		num = &v->kids[0];
	else
		num = v, fdv = NULL;
	if (num->kind == SR_V_COMMENT && num->nkids)
		num = &num->kids[0];
	if (value_of(num, set, &val, 0)) {
		struct sr_sval *m = add(s, K("fd"));

		sv_num(m, val, true);
		if (m->kind == SR_S_INT && m->num.i >= 0 && val > 0x7fffffffu)
			m->num.i = (int32_t)(uint32_t)val; /* -X raw: 0xffffff9c */
		if (set && (nm = sr_sem_enum_name(set, (uint64_t)m->num.i, &len)))
			sv_str(add(s, K("name")), nm, len);
		else if (set && (nm = sr_sem_enum_name(set, val, &len)))
			sv_str(add(s, K("name")), nm, len);
	} else if (num->kind == SR_V_IDENT) {
		sv_str(add(s, K("name")), num->text.ptr, num->text.len);
	}
	if (fdv && !fd_annotation(s, fdv, a))
		return NULL;
	return s;
}

/* sin_port="\x00\x01" and sin_addr="\x7f\x00\x00\x01" (-X raw prints
 * the bytes in network order): the port number and the address as text,
 * as htons() and inet_addr() give them in the other modes.  False when m
 * is not such a member. */
static bool sockaddr_bytes(struct sr_sval *s, struct sr_str name, const struct sr_value *k,
			   struct sr_arena *a)
{
	const unsigned char *b = (const unsigned char *)k->text.ptr;
	char *t;

	if (k->kind == SR_V_COMMENT && k->nkids)
		k = &k->kids[0], b = (const unsigned char *)k->text.ptr;
	if (k->kind != SR_V_STR || (k->flags & SR_VF_TRUNC))
		return false;
	if (k->text.len == 2 && ((name.len == 8 && !memcmp(name.ptr, "sin_port", 8)) ||
				 (name.len == 9 && !memcmp(name.ptr, "sin6_port", 9)))) {
		sv_num(s, (uint64_t)b[0] << 8 | b[1], true);
		return true;
	}
	if ((k->text.len == 4 && name.len == 8 && !memcmp(name.ptr, "sin_addr", 8)) ||
	    (k->text.len == 16 && name.len == 9 && !memcmp(name.ptr, "sin6_addr", 9))) {
		t = sr_arena_alloc(a, INET6_ADDRSTRLEN);
		if (!t || !inet_ntop(k->text.len == 4 ? AF_INET : AF_INET6, b, t, INET6_ADDRSTRLEN))
			return false;
		sv_str(s, t, strlen(t));
		return true;
	}
	return false;
}

static bool is_macro(const struct sr_value *v, const char *name)
{
	size_t n = strlen(name);

	return v->kind == SR_V_CALL && v->text.len == n && !memcmp(v->text.ptr, name, n) &&
	       v->nkids == 1 && v->kids[0].kind == SR_V_IDENT;
}

static bool is_op(const struct sr_value *v, const char *op)
{
	return v->kind == SR_V_EXPR && v->nkids == 2 && v->text.len == 2 &&
	       !memcmp(v->text.ptr, op, 2);
}

/* A wait status, {WIFEXITED(s) && WEXITSTATUS(s) == 0}, as
 * {"exited":true,"status":0}; {"signaled":true,"signal":{...},"core_dumped":true};
 * {"stopped":true,"signal":{...}}.  False when e is not one. */
static bool wait_status(struct sr_sval *s, const struct sr_value *e, struct sr_arena *a)
{
	static const char *const forms[][3] = {
		{ "WIFEXITED", "WEXITSTATUS", "exited" },
		{ "WIFSIGNALED", "WTERMSIG", "signaled" },
		{ "WIFSTOPPED", "WSTOPSIG", "stopped" },
	};
	const struct sr_value *cmp;
	bool core = false;
	unsigned k;
	struct sr_sval *m;

	if (is_op(e, "&&") && is_macro(&e->kids[1], "WCOREDUMP")) {
		core = true;
		e = &e->kids[0];
	}
	if (!is_op(e, "&&") || !is_op(&e->kids[1], "=="))
		return false;
	cmp = &e->kids[1];
	for (k = 0; k < 3; k++)
		if (is_macro(&e->kids[0], forms[k][0]) && is_macro(&cmp->kids[0], forms[k][1]))
			break;
	if (k == 3 || (core && k != 1))
		return false;
	if (!obj_init(s, a, 3))
		return false;
	m = add(s, (struct sr_str){ forms[k][2], strlen(forms[k][2]) });
	m->kind = SR_S_BOOL;
	m->num.b = true;
	if (k == 0) {
		if (cmp->kids[1].kind != SR_V_INT)
			return false;
		sv_int(add(s, K("status")), &cmp->kids[1]);
	} else {
		m = add(s, K("signal"));
		if (!enum_of(m, &cmp->kids[1], sr_sem_field("si_signo", 8).set, a))
			return false;
		m->key = K("signal");
	}
	if (core) {
		m = add(s, K("core_dumped"));
		m->kind = SR_S_BOOL;
		m->num.b = true;
	}
	return true;
}

/* The first rule from rule `first` on (those of one call, or of one
 * member) for t.name whose selectors all have their values; sel() gives a
 * selector's value.  t itself when none matches. */
static struct sr_sarg when_rules(struct sr_sarg t, uint16_t first,
				 const struct sr_value *(*sel)(const void *ctx, const char *name,
							       uint16_t *set),
				 const void *ctx)
{
	const struct sem_when *w;
	uint16_t i = first;
	/* the rules of a call mostly select on one argument (fcntl's cmd):
	 * its value is looked up once, not once per rule */
	const char *memo_name = NULL;
	bool memo_ok = false;
	uint64_t memo_val = 0;

	for (; t.name && (w = sr_sem_when(i)); i++) {
		uint8_t k;

		if (strcmp(w->t.name, t.name)) {
			if (w->last)
				break;
			continue;
		}
		for (k = 0; k < w->nsel; k++) {
			uint16_t set = 0;
			const struct sr_value *x;
			uint64_t val = 0;
			bool ok;

			if (memo_name && !strcmp(memo_name, w->sel[k])) {
				ok = memo_ok;
				val = memo_val;
			} else {
				x = sel(ctx, w->sel[k], &set);
				ok = x && value_of(x, set, &val, 0);
				memo_name = w->sel[k];
				memo_ok = ok;
				memo_val = ok ? val : 0;
			}
			if (!ok || val != w->v[k])
				break;
		}
		if (k == w->nsel) {
			struct sr_sarg r = w->t;

			r.name = w->as ? w->as : t.name;
			return r;
		}
		if (w->last)
			break;
	}
	return t;
}

static const struct sr_value *member_sel(const void *ctx, const char *name, uint16_t *set)
{
	const struct sr_value *v = ctx;
	size_t n = strlen(name);
	uint32_t i;

	for (i = 0; i < v->nkids; i++)
		if (v->kids[i].name.len == n && !memcmp(v->kids[i].name.ptr, name, n)) {
			*set = sr_sem_field(name, n).set;
			return &v->kids[i];
		}
	return NULL;
}

/* A member whose type depends on its siblings (cmsg_data on cmsg_type). */
static struct sr_sarg when_member(struct sr_sarg t, uint16_t first, const struct sr_value *st)
{
	return when_rules(t, first, member_sel, st);
}

struct when_args {
	const struct sr_signature *sig;
	const struct sr_value *args;
	uint32_t nargs;
};

static const struct sr_value *arg_sel(const void *ctx, const char *name, uint16_t *set)
{
	const struct when_args *w = ctx;
	int k;

	for (k = 0; k < w->sig->nargs && (uint32_t)k < w->nargs; k++)
		if (!strcmp(w->sig->args[k].name, name)) {
			*set = w->sig->args[k].set;
			return &w->args[k];
		}
	return NULL;
}

struct sr_sarg sr_semantic_arg_when(const struct sr_signature *sig, struct sr_sarg t,
				    const struct sr_value *args, uint32_t nargs)
{
	struct when_args w = { sig, args, nargs };

	if (!sig || !sig->when)
		return t;
	return when_rules(t, sig->when, arg_sel, &w);
}

static bool is_key(struct sr_str k, const char *lit)
{
	return k.len == strlen(lit) && !memcmp(k.ptr, lit, k.len);
}

/*
 * A struct strace printed without field names (strace 4.x prints a
 * sigaction as {SIG_DFL, [], 0}).  Its fields cannot all be keyed by their
 * empty names: a JSON object's keys are unique.  A sigaction argument gets
 * the names strace 6 prints (so the record is the same whichever strace
 * wrote the trace); any other such struct becomes an array of its fields
 * in order.  Either way the spelling differs from the value's, so the
 * writer keeps the printed form in fmt.av and the trace comes back byte
 * for byte.  Returns false when the struct has names to key by; on
 * failure s->kind is SR_S_NULL.
 */
static bool positional(struct sr_sval *s, const struct sr_value *v, struct sr_arena *a,
		       int depth)
{
	static const char *const sigaction_fields[] = { "sa_handler", "sa_mask", "sa_flags",
							"sa_restorer" };
	struct sr_str key = s->key;
	uint32_t i, unnamed = 0;
	bool sigaction;

	for (i = 0; i < v->nkids; i++)
		unnamed += !v->kids[i].name.len && v->kids[i].kind != SR_V_ELLIPSIS;
	if (unnamed < 2)
		return false;
	sigaction = unnamed == v->nkids && v->nkids >= 3 && v->nkids <= 4 &&
		    (is_key(key, "act") || is_key(key, "oldact")) &&
		    (v->kids[1].kind == SR_V_SET || v->kids[1].kind == SR_V_ARRAY);
	s->kind = SR_S_NULL;
	if (sigaction) {
		if (!obj_init(s, a, v->nkids))
			return true;
		for (i = 0; i < v->nkids; i++) {
			const char *f = sigaction_fields[i];
			struct sr_sval *m = add(s, (struct sr_str){ f, strlen(f) });

			if (!typed(m, &v->kids[i], sr_sem_field(f, strlen(f)), a, depth + 1))
				return s->kind = SR_S_NULL, true;
		}
		s->key = key;
		return true;
	}
	s->kids = sv_alloc(a, v->nkids);
	if (!s->kids)
		return true;
	for (i = 0; i < v->nkids; i++)
		if (!generic(&s->kids[i], &v->kids[i], a, depth + 1))
			return true;
	s->n = v->nkids;
	s->kind = SR_S_ARRAY;
	s->key = key;
	return true;
}

static struct sr_sval *struct_of(struct sr_sval *s, const struct sr_value *v, struct sr_arena *a,
				 int depth)
{
	uint32_t i;
	struct sr_sarg ft;
	uint16_t first;

	if (v->nkids == 1 && !v->kids[0].name.len && !(v->flags & SR_VF_SPACED) &&
	    wait_status(s, &v->kids[0], a))
		return s;

	if (positional(s, v, a, depth))
		return s->kind == SR_S_NULL ? NULL : s;
	if (!obj_init(s, a, v->nkids))
		return NULL;
	for (i = 0; i < v->nkids; i++) {
		const struct sr_value *k = &v->kids[i];
		struct sr_sval *m;

		if (k->kind == SR_V_ELLIPSIS) {
			m = add(s, K("..."));
			m->kind = SR_S_BOOL;
			m->num.b = true;
			continue;
		}
		m = add(s, k->name);
		if (!k->name.len && k->kind == SR_V_CALL && k->nkids == 3 &&
		    k->kids[2].kind == SR_V_IDENT && k->kids[2].text.len > 1 &&
		    k->kids[2].text.ptr[0] == '&') {
			/* inet_pton(AF_INET6, "::1", &sin6_addr): the member it fills */
			m->key = (struct sr_str){ k->kids[2].text.ptr + 1, k->kids[2].text.len - 1 };
		}
		if (sockaddr_bytes(m, k->name, k, a))
			continue;
		ft = sr_sem_member(k->name.ptr, k->name.len, &first);
		if (first)
			ft = when_member(ft, first, v);
		if (!typed(m, k, ft, a, depth + 1))
			return NULL;
	}
	return s;
}

/* A member of a signal set, "SIGUSR1" however strace printed it: USR1,
 * 10 (-X raw), 10 /​* USR1 *​/ (-X verbose).  A number no table names stays
 * a number. */
static struct sr_sval *sigset_member(struct sr_sval *e, const struct sr_value *k,
				     struct sr_arena *a, int depth)
{
	const char *nm;
	uint8_t len;

	if (k->kind == SR_V_COMMENT && k->nkids)
		k = &k->kids[0];
	if (k->kind == SR_V_IDENT) {
		char *p = sr_arena_alloc(a, k->text.len + 3);

		if (!p)
			return NULL;
		memcpy(p, "SIG", 3);
		memcpy(p + 3, k->text.ptr, k->text.len);
		sv_str(e, p, k->text.len + 3);
		return e;
	}
	if (k->kind == SR_V_INT && !(k->flags & SR_VF_UNSIGNED) && k->num.i > 0 &&
	    (nm = sr_sem_enum_name(sr_sem_field("si_signo", 8).set, (uint64_t)k->num.i, &len))) {
		sv_str(e, nm, len);
		return e;
	}
	return generic(e, k, a, depth + 1);
}

/* A signal set strace printed as an array ([USR2], [12], []: one member or
 * none, which the parser cannot tell from an array) as a set. */
static struct sr_sval *sigset_of(struct sr_sval *s, const struct sr_value *v,
				 struct sr_arena *a, int depth)
{
	struct sr_value set = *v;

	set.kind = SR_V_SET;
	return generic(s, &set, a, depth);
}

/* Where strace prints either the array or its address with a count,
 * "0x7ffd3a1c /​* 3 vars *​/" (execve's envp without -v, getdents without
 * -v): {"addr":N,"count":3} or {"count":3,"items":[...]}, which agree on
 * what both have (docs/semantic-record.md, "Same value, less detail").
 * count is absent when strace cut the array ("...") or printed no count. */
static struct sr_sval *vec_of(struct sr_sval *s, const struct sr_value *v,
			      const struct sr_value *in, struct sr_arena *a, int depth)
{
	struct sr_sval *m;

	if (in->kind == SR_V_ARRAY) {
		bool cut = in->nkids && in->kids[in->nkids - 1].kind == SR_V_ELLIPSIS;

		if (!obj_init(s, a, 2))
			return NULL;
		if (!cut)
			sv_num(add(s, K("count")), in->nkids, true);
		m = add(s, K("items"));
		if (!generic(m, in, a, depth + 1))
			return NULL;
		m->key = K("items");
		return s;
	}
	if (in->kind != SR_V_INT)
		return generic(s, v, a, depth);
	if (!obj_init(s, a, 2))
		return NULL;
	sv_int(add(s, K("addr")), in);
	if (v->kind == SR_V_COMMENT && v->text.len) { /* an empty text's ptr may be NULL */
		const char *p = v->text.ptr, *e = p + v->text.len, *d;

		while (p < e && *p == ' ')
			p++;
		for (d = p; d < e && *d >= '0' && *d <= '9'; d++)
			;
		if (d > p && d < e && *d == ' ' && d - p < 10)
			sv_num(add(s, K("count")), digits(p, (size_t)(d - p)), true);
	}
	return s;
}

static struct sr_sval *generic(struct sr_sval *s, const struct sr_value *v, struct sr_arena *a,
			       int depth)
{
	uint32_t i;
	uint64_t x;
	struct sr_sval *m;

	if (depth > 64) {
		s->kind = SR_S_NULL;
		return s;
	}
	switch (v->kind) {
	case SR_V_INT:
		sv_int(s, v);
		return s;
	case SR_V_STR:
		if (v->flags & SR_VF_ABSTRACT) {
			char *p = sr_arena_alloc(a, v->text.len + 1);

			if (!p)
				return NULL;
			p[0] = '@';
			memcpy(p + 1, v->text.ptr, v->text.len);
			sv_str(s, p, v->text.len + 1);
		} else {
			sv_str(s, v->text.ptr, v->text.len);
		}
		if (v->flags & SR_VF_TRUNC)
			s->flags |= SR_SF_TRUNC;
		return s;
	case SR_V_NULL:
		s->kind = SR_S_NULL;
		return s;
	case SR_V_IDENT:
		return enum_of(s, v, 0, a);
	case SR_V_FLAGS:
		return flags_of(s, v, 0, a, depth);
	case SR_V_STRUCT:
		return struct_of(s, v, a, depth);
	case SR_V_ARRAY:
		s->kind = SR_S_ARRAY;
		s->kids = sv_alloc(a, v->nkids);
		if (!s->kids)
			return NULL;
		for (i = 0; i < v->nkids; i++)
			if (!generic(&s->kids[s->n++], &v->kids[i], a, depth + 1))
				return NULL;
		return s;
	case SR_V_SET:
		if (!obj_init(s, a, 2))
			return NULL;
		m = add(s, K("signals"));
		m->kind = SR_S_ARRAY;
		m->kids = sv_alloc(a, v->nkids);
		if (!m->kids)
			return NULL;
		for (i = 0; i < v->nkids; i++)
			if (!sigset_member(&m->kids[m->n++], &v->kids[i], a, depth))
				return NULL;
		if (v->flags & SR_VF_COMPLEMENT) {
			m = add(s, K("complement"));
			m->kind = SR_S_BOOL;
			m->num.b = true;
		}
		return s;
	case SR_V_FD:
		return fd_of(s, v, 0, a);
	case SR_V_CALL:
		if (value_of(v, 0, &x, 0)) {
			sv_num(s, x, false);
			return s;
		}
		if (v->nkids >= 1 && v->text.len == 9 && !memcmp(v->text.ptr, "inet_addr", 9) &&
		    v->kids[0].kind == SR_V_STR) {
			sv_str(s, v->kids[0].text.ptr, v->kids[0].text.len);
			return s;
		}
		if (v->nkids == 3 && v->text.len == 9 && !memcmp(v->text.ptr, "inet_pton", 9) &&
		    v->kids[1].kind == SR_V_STR) {
			sv_str(s, v->kids[1].text.ptr, v->kids[1].text.len);
			return s;
		}
		if (!obj_init(s, a, 2))
			return NULL;
		sv_str(add(s, K("call")), v->text.ptr, v->text.len);
		m = add(s, K("args"));
		m->kind = SR_S_ARRAY;
		m->kids = sv_alloc(a, v->nkids);
		if (!m->kids)
			return NULL;
		for (i = 0; i < v->nkids; i++)
			if (!generic(&m->kids[m->n++], &v->kids[i], a, depth + 1))
				return NULL;
		return s;
	case SR_V_CHANGED:
		if (!obj_init(s, a, 2) || v->nkids != 2)
			return v->nkids == 2 ? NULL : (s->kind = SR_S_NULL, s);
		if (!generic(add(s, K("before")), &v->kids[0], a, depth + 1) ||
		    !generic(add(s, K("after")), &v->kids[1], a, depth + 1))
			return NULL;
		s->kids[0].key = K("before");
		s->kids[1].key = K("after");
		return s;
	case SR_V_COMMENT:
		if (v->nkids)
			return generic(s, &v->kids[0], a, depth + 1);
		if (!obj_init(s, a, 1))
			return NULL;
		sv_str(add(s, K("comment")), v->text.ptr, v->text.len);
		return s;
	case SR_V_ELLIPSIS:
		if (!obj_init(s, a, 1))
			return NULL;
		m = add(s, K("..."));
		m->kind = SR_S_BOOL;
		m->num.b = true;
		return s;
	case SR_V_EXPR:
		if (value_of(v, 0, &x, 0)) {
			sv_num(s, x, false);
			return s;
		}
		if (v->nkids != 2)
			return s->kind = SR_S_NULL, s;
		s->kind = SR_S_OBJECT;
		if (!obj_init(s, a, 1))
			return NULL;
		m = add(s, K("expr"));
		m->kind = SR_S_ARRAY;
		m->kids = sv_alloc(a, 3);
		if (!m->kids || !generic(&m->kids[0], &v->kids[0], a, depth + 1))
			return NULL;
		sv_str(&m->kids[1], v->text.ptr, v->text.len);
		if (!generic(&m->kids[2], &v->kids[1], a, depth + 1))
			return NULL;
		m->n = 3;
		return s;
	case SR_V_INDEX:
		if (v->nkids != 2 || !obj_init(s, a, 2))
			return v->nkids == 2 ? NULL : (s->kind = SR_S_NULL, s);
		if (!generic(add(s, K("index")), &v->kids[0], a, depth + 1) ||
		    !generic(add(s, K("value")), &v->kids[1], a, depth + 1))
			return NULL;
		s->kids[0].key = K("index");
		s->kids[1].key = K("value");
		return s;
	default:
		s->kind = SR_S_NULL;
		return s;
	}
}

static struct sr_sval *typed(struct sr_sval *s, const struct sr_value *v, struct sr_sarg t,
			     struct sr_arena *a, int depth)
{
	const struct sr_value *in = v;
	struct sr_str key = s->key;
	struct sr_sval *r;

	/* the value strace printed as a NULL, a string, a struct... is what it
	 * is whatever the type; the type decides for numbers and words */
	if (in->kind == SR_V_COMMENT && in->nkids)
		in = &in->kids[0];
	if (in->kind == SR_V_EXPR) {
		/* 8192*1024 is a number; "A or B" (strace's guess among ioctl
		 * names) is not */
		uint64_t x;

		if (!value_of(in, t.set, &x, 0)) {
			r = generic(s, v, a, depth);
			s->key = key;
			return r;
		}
	}
	switch (t.type) {
	case SR_T_FD:
	case SR_T_DIRFD:
		if (in->kind == SR_V_ARRAY) {
			/* pipe's and socketpair's [3, 4]: each an fd */
			uint32_t i;

			s->kind = SR_S_ARRAY;
			s->kids = sv_alloc(a, in->nkids);
			if (!s->kids)
				return NULL;
			for (i = 0; i < in->nkids; i++) {
				const struct sr_value *k = &in->kids[i];

				s->kids[s->n].key = (struct sr_str){ 0 };
				if (k->kind == SR_V_INT || k->kind == SR_V_FD || k->kind == SR_V_IDENT) {
					if (!fd_of(&s->kids[s->n++], k, t.set, a))
						return NULL;
				} else if (!generic(&s->kids[s->n++], k, a, depth + 1)) {
					return NULL;
				}
			}
			r = s;
			break;
		}
		if (in->kind == SR_V_INT || in->kind == SR_V_IDENT || v->kind == SR_V_FD) {
			r = fd_of(s, v->kind == SR_V_FD ? v : in, t.set, a);
			break;
		}
		r = generic(s, v, a, depth);
		break;
	case SR_T_FLAGS:
	case SR_T_MODE:
		if (in->kind == SR_V_INT || in->kind == SR_V_IDENT || in->kind == SR_V_FLAGS ||
		    in->kind == SR_V_EXPR) {
			r = flags_of(s, in, t.set, a, depth);
			break;
		}
		r = generic(s, v, a, depth);
		break;
	case SR_T_PID: {
		/* -Y prints a pid as 1234<sleep>: the pid is the number, as
		 * without -Y; the name stays in the printed form (fmt.av) */
		uint64_t x;

		if (v->kind == SR_V_FD && v->nkids && value_of(&v->kids[0], 0, &x, 0)) {
			sv_num(s, x, true);
			r = s;
			break;
		}
		r = generic(s, v, a, depth);
		break;
	}
	case SR_T_ENUM:
	case SR_T_SIGNAL:
		if (in->kind == SR_V_INT || in->kind == SR_V_IDENT || in->kind == SR_V_EXPR) {
			r = enum_of(s, in, t.set, a);
			break;
		}
		r = generic(s, v, a, depth);
		break;
	case SR_T_SIGSET:
		r = in->kind == SR_V_ARRAY ? sigset_of(s, in, a, depth) : generic(s, v, a, depth);
		break;
	case SR_T_VEC:
	case SR_T_DENTS:
		r = vec_of(s, v, in, a, depth);
		break;
	case SR_T_RESUMED: {
		/* "<... resuming interrupted read ...>": the call, "read" */
		static const char pre[] = "<... resuming interrupted ", post[] = " ...>";
		size_t np = sizeof(pre) - 1, nq = sizeof(post) - 1;

		if (in->kind == SR_V_IDENT && in->text.len > np + nq &&
		    !memcmp(in->text.ptr, pre, np) &&
		    !memcmp(in->text.ptr + in->text.len - nq, post, nq)) {
			sv_str(s, in->text.ptr + np, in->text.len - np - nq);
			r = s;
			break;
		}
		r = generic(s, v, a, depth);
		break;
	}
	default:
		r = generic(s, v, a, depth);
	}
	s->key = key;
	return r;
}

bool sr_semantic_value_in(struct sr_sval *s, const struct sr_value *v, struct sr_sarg type,
			  struct sr_arena *a)
{
	if (!v) {
		s->kind = SR_S_NULL;
		return true;
	}
	/* the argument's name, which a struct printed without field names
	 * needs (positional()); the caller sets the key it writes */
	if (type.name && v->kind == SR_V_STRUCT)
		s->key = (struct sr_str){ type.name, strlen(type.name) };
	return typed(s, v, type, a, 0) != NULL;
}

struct sr_sval *sr_semantic_value(const struct sr_value *v, struct sr_sarg type,
				  struct sr_arena *a)
{
	struct sr_sval *s = sv_alloc(a, 1);

	return s && sr_semantic_value_in(s, v, type, a) ? s : NULL;
}

const struct sr_sval *sr_sval_get(const struct sr_sval *o, const char *key)
{
	size_t n = strlen(key);
	uint32_t i;

	if (!o || o->kind != SR_S_OBJECT)
		return NULL;
	for (i = 0; i < o->n; i++)
		if (o->kids[i].key.len == n && !memcmp(o->kids[i].key.ptr, key, n))
			return &o->kids[i];
	return NULL;
}
