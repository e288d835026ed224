/*
 * scap_value.c - scap event parameters as sysrep values.
 *
 * The value tree is strace-shaped, so parameters are given the shape strace
 * would print for the same thing: numbers as INT in the base the event table
 * asks for, paths and buffers as STR (bytes kept exactly), flags as FLAGS of
 * IDENTs when the table names them, socket addresses as the STRUCT strace
 * prints for a sockaddr.  What cannot be interpreted is kept as bytes, never
 * dropped.  Strings are views into the event's bytes; only composite values
 * and number spellings take arena memory.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "scap_internal.h"

/* Address families as the driver stores them (the Linux numbers). */
enum { FAM_UNIX = 1, FAM_INET = 2, FAM_INET6 = 10 };

static const char *const signames[] = {
	[1] = "SIGHUP",	   [2] = "SIGINT",     [3] = "SIGQUIT",	  [4] = "SIGILL",
	[5] = "SIGTRAP",   [6] = "SIGABRT",    [7] = "SIGBUS",	  [8] = "SIGFPE",
	[9] = "SIGKILL",   [10] = "SIGUSR1",   [11] = "SIGSEGV",  [12] = "SIGUSR2",
	[13] = "SIGPIPE",  [14] = "SIGALRM",   [15] = "SIGTERM",  [16] = "SIGSTKFLT",
	[17] = "SIGCHLD",  [18] = "SIGCONT",   [19] = "SIGSTOP",  [20] = "SIGTSTP",
	[21] = "SIGTTIN",  [22] = "SIGTTOU",   [23] = "SIGURG",	  [24] = "SIGXCPU",
	[25] = "SIGXFSZ",  [26] = "SIGVTALRM", [27] = "SIGPROF",  [28] = "SIGWINCH",
	[29] = "SIGIO",	   [30] = "SIGPWR",    [31] = "SIGSYS",
};

const char *sr_scap_signame(unsigned sig)
{
	return sig < sizeof(signames) / sizeof(signames[0]) ? signames[sig] : NULL;
}

uint16_t sr_scap_u16(const struct sr_scap_dec *d, const uint8_t *p)
{
	uint16_t x;

	memcpy(&x, p, 2);
	return d->swap ? __builtin_bswap16(x) : x;
}

uint32_t sr_scap_u32(const struct sr_scap_dec *d, const uint8_t *p)
{
	uint32_t x;

	memcpy(&x, p, 4);
	return d->swap ? __builtin_bswap32(x) : x;
}

uint64_t sr_scap_u64(const struct sr_scap_dec *d, const uint8_t *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
	return d->swap ? __builtin_bswap64(x) : x;
}

int64_t sr_scap_int(const struct sr_scap_dec *d, const uint8_t *p, uint32_t n, bool sign)
{
	switch (n) {
	case 1:
		return sign ? (int64_t)(int8_t)p[0] : (int64_t)p[0];
	case 2:
		return sign ? (int64_t)(int16_t)sr_scap_u16(d, p) : (int64_t)sr_scap_u16(d, p);
	case 4:
		return sign ? (int64_t)(int32_t)sr_scap_u32(d, p) : (int64_t)sr_scap_u32(d, p);
	case 8:
		return (int64_t)sr_scap_u64(d, p);
	}
	return 0;
}

void sr_scap_int_value(struct sr_value *v, int64_t x, enum sr_base base)
{
	memset(v, 0, sizeof(*v));
	v->kind = SR_V_INT;
	if (x == 0 && base == SR_BASE_OCT)
		base = SR_BASE_DEC; /* "0", not "00" */
	v->base = (uint8_t)base;
	v->num.i = x;
	/* hex and octal spell the bits: an unsigned reading */
	if (base != SR_BASE_DEC)
		v->flags = SR_VF_UNSIGNED;
}

static void str_value(struct sr_value *v, const void *p, size_t n)
{
	memset(v, 0, sizeof(*v));
	v->kind = SR_V_STR;
	v->text = (struct sr_str){ p, n };
}

static void ident_value(struct sr_value *v, const char *s)
{
	memset(v, 0, sizeof(*v));
	v->kind = SR_V_IDENT;
	v->text = (struct sr_str){ s, strlen(s) };
}

static struct sr_value *kids(const struct sr_scap_dec *d, struct sr_value *v, uint8_t kind,
			     uint32_t n)
{
	struct sr_value *k = sr_arena_alloc(d->arena, n * sizeof(*k));

	memset(v, 0, sizeof(*v));
	if (!k)
		return NULL;
	memset(k, 0, n * sizeof(*k));
	v->kind = kind;
	v->kids = k;
	v->nkids = n;
	return k;
}

static void named(struct sr_value *v, const char *name)
{
	v->name = (struct sr_str){ name, strlen(name) };
}

/* Text the arena keeps: number spellings, addresses. */
static bool arena_text(const struct sr_scap_dec *d, struct sr_value *v, const char *s, size_t n)
{
	char *t = sr_arena_memdup(d->arena, s, n);

	if (!t)
		return false;
	v->text = (struct sr_str){ t, n };
	return true;
}

/* A C string parameter: the stored NUL is not part of it. */
static void charbuf(struct sr_value *v, const uint8_t *p, uint32_t n)
{
	if (n == 0) {
		memset(v, 0, sizeof(*v));
		v->kind = SR_V_NULL;
		return;
	}
	if (p[n - 1] == '\0')
		n--;
	str_value(v, p, n);
}

/* Raw bytes: printable as they are, else hex-escaped by the writer. */
static void bytebuf(struct sr_value *v, const uint8_t *p, uint32_t n)
{
	str_value(v, p, n);
	for (uint32_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f) {
			if (p[i] != '\n' && p[i] != '\t' && p[i] != '\r') {
				v->flags = SR_VF_HEX_CHARS;
				break;
			}
		}
}

/* NUL-separated strings (execve args, env, cgroups) as an ARRAY of STR. */
static bool strlist(const struct sr_scap_dec *d, struct sr_value *v, const uint8_t *p, uint32_t n)
{
	uint32_t cnt = 0, i, k = 0, start = 0;
	struct sr_value *kv;

	for (i = 0; i < n; i++)
		cnt += p[i] == '\0';
	if (n && p[n - 1] != '\0')
		cnt++;
	if (cnt == 0) {
		kids(d, v, SR_V_ARRAY, 0);
		return true;
	}
	kv = kids(d, v, SR_V_ARRAY, cnt);
	if (!kv)
		return false;
	for (i = 0; i <= n && k < cnt; i++) {
		if (i == n || p[i] == '\0') {
			bytebuf(&kv[k++], p + start, i - start);
			start = i + 1;
		}
	}
	v->nkids = k;
	return true;
}

static bool flags_value(const struct sr_scap_dec *d, struct sr_value *v, uint64_t x,
			const struct sr_scap_flag *ft, bool is_enum)
{
	const struct sr_scap_flag *f;
	struct sr_value tmp[33], *kv;
	uint32_t n = 0;
	uint64_t left = x;

	for (f = ft; f->name; f++)
		if (f->value == x) {
			ident_value(v, f->name);
			return true;
		}
	if (is_enum || x == 0) {
		sr_scap_int_value(v, (int64_t)x, is_enum ? SR_BASE_DEC : SR_BASE_HEX);
		return true;
	}
	/* the table lists combined names (O_RDWR) before their parts */
	for (f = ft; f->name && n < 32; f++)
		if (f->value && (left & f->value) == f->value) {
			ident_value(&tmp[n++], f->name);
			left &= ~(uint64_t)f->value;
		}
	if (left)
		sr_scap_int_value(&tmp[n++], (int64_t)left, SR_BASE_HEX);
	if (n == 1) {
		*v = tmp[0];
		return true;
	}
	kv = kids(d, v, SR_V_FLAGS, n);
	if (!kv)
		return false;
	memcpy(kv, tmp, n * sizeof(*kv));
	return true;
}

static size_t ip_text(int fam, const uint8_t *a, char *out, size_t cap)
{
	if (!inet_ntop(fam == FAM_INET6 ? AF_INET6 : AF_INET, a, out, (socklen_t)cap))
		return 0;
	return strlen(out);
}

size_t sr_scap_addr_text(const struct sr_scap_dec *d, const uint8_t *p, uint32_t n, bool tuple,
			 char *out, size_t cap)
{
	char a[64], b[64];
	int k = 0;

	if (n < 1 || cap < 2)
		return 0;
	switch (p[0]) {
	case FAM_INET:
		if (tuple && n == 13) {
			ip_text(FAM_INET, p + 1, a, sizeof(a));
			ip_text(FAM_INET, p + 7, b, sizeof(b));
			k = snprintf(out, cap, "%s:%u->%s:%u", a, sr_scap_u16(d, p + 5), b,
				     sr_scap_u16(d, p + 11));
		} else if (n >= 7) {
			ip_text(FAM_INET, p + 1, a, sizeof(a));
			k = snprintf(out, cap, "%s:%u", a, sr_scap_u16(d, p + 5));
		}
		break;
	case FAM_INET6:
		if (tuple && n == 37) {
			ip_text(FAM_INET6, p + 1, a, sizeof(a));
			ip_text(FAM_INET6, p + 19, b, sizeof(b));
			k = snprintf(out, cap, "%s:%u->%s:%u", a, sr_scap_u16(d, p + 17), b,
				     sr_scap_u16(d, p + 35));
		} else if (n >= 19) {
			ip_text(FAM_INET6, p + 1, a, sizeof(a));
			k = snprintf(out, cap, "%s:%u", a, sr_scap_u16(d, p + 17));
		}
		break;
	case FAM_UNIX: {
		/* a tuple has two 8-byte socket pointers before the path */
		uint32_t off = tuple ? 17 : 1;

		if (n < off)
			return 0;
		const uint8_t *s = p + off, *e = p + n;
		const uint8_t *z = memchr(s, '\0', (size_t)(e - s));

		if (z)
			e = z;
		if (e == s)
			return 0;
		k = snprintf(out, cap, "%.*s", (int)(e - s), (const char *)s);
		break;
	}
	}
	if (k < 0)
		return 0;
	return (size_t)k < cap ? (size_t)k : cap - 1;
}

/* htons(80) / inet_addr("1.2.3.4") / inet_pton(AF_INET6, "::1", &sin6_addr) */
static bool call1(const struct sr_scap_dec *d, struct sr_value *v, const char *fn,
		  struct sr_value *arg, uint32_t nargs)
{
	struct sr_value *kv = kids(d, v, SR_V_CALL, nargs);

	if (!kv)
		return false;
	memcpy(kv, arg, nargs * sizeof(*kv));
	v->text = (struct sr_str){ fn, strlen(fn) };
	return true;
}

static bool ip_value(const struct sr_scap_dec *d, struct sr_value *v, int fam, const uint8_t *a)
{
	char t[64];
	size_t n = ip_text(fam, a, t, sizeof(t));
	struct sr_value arg[3];

	str_value(&arg[fam == FAM_INET6 ? 1 : 0], NULL, 0);
	if (!arena_text(d, &arg[fam == FAM_INET6 ? 1 : 0], t, n))
		return false;
	if (fam == FAM_INET)
		return call1(d, v, "inet_addr", arg, 1);
	ident_value(&arg[0], "AF_INET6");
	ident_value(&arg[2], "&sin6_addr");
	return call1(d, v, "inet_pton", arg, 3);
}

static bool port_value(const struct sr_scap_dec *d, struct sr_value *v, const char *name,
		       uint16_t port)
{
	struct sr_value arg;

	sr_scap_int_value(&arg, port, SR_BASE_DEC);
	if (!call1(d, v, "htons", &arg, 1))
		return false;
	named(v, name);
	return true;
}

static const char *family_name(unsigned f)
{
	switch (f) {
	case FAM_UNIX:
		return "AF_UNIX";
	case FAM_INET:
		return "AF_INET";
	case FAM_INET6:
		return "AF_INET6";
	case 0:
		return "AF_UNSPEC";
	case 16:
		return "AF_NETLINK";
	}
	return NULL;
}

static void family_value(struct sr_value *v, unsigned f, const char *name)
{
	const char *s = family_name(f);

	if (s)
		ident_value(v, s);
	else
		sr_scap_int_value(v, f, SR_BASE_DEC);
	named(v, name);
}

/* {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")} */
static bool sockaddr(const struct sr_scap_dec *d, struct sr_value *v, const uint8_t *p, uint32_t n)
{
	struct sr_value *kv;

	if (p[0] == FAM_INET && n >= 7) {
		kv = kids(d, v, SR_V_STRUCT, 3);
		if (!kv)
			return false;
		family_value(&kv[0], FAM_INET, "sa_family");
		if (!port_value(d, &kv[1], "sin_port", sr_scap_u16(d, p + 5)) ||
		    !ip_value(d, &kv[2], FAM_INET, p + 1))
			return false;
		named(&kv[2], "sin_addr");
		return true;
	}
	if (p[0] == FAM_INET6 && n >= 19) {
		kv = kids(d, v, SR_V_STRUCT, 3);
		if (!kv)
			return false;
		family_value(&kv[0], FAM_INET6, "sa_family");
		return port_value(d, &kv[1], "sin6_port", sr_scap_u16(d, p + 17)) &&
		       ip_value(d, &kv[2], FAM_INET6, p + 1);
	}
	kv = kids(d, v, SR_V_STRUCT, 2);
	if (!kv)
		return false;
	family_value(&kv[0], p[0], "sa_family");
	if (p[0] == FAM_UNIX) {
		const uint8_t *s = p + 1;
		uint32_t len = n - 1;
		const uint8_t *z;

		/* an abstract name starts with a NUL; a path ends at one */
		if (len && s[0] == '\0') {
			s++;
			len--;
			kv[1].flags = SR_VF_ABSTRACT;
		}
		z = memchr(s, '\0', len);
		if (z)
			len = (uint32_t)(z - s);
		uint16_t fl = kv[1].flags;

		str_value(&kv[1], s, len);
		kv[1].flags = fl;
		named(&kv[1], "sun_path");
		return true;
	}
	bytebuf(&kv[1], p + 1, n - 1);
	named(&kv[1], "sa_data");
	return true;
}

/* {family=AF_INET, saddr=..., sport=..., daddr=..., dport=...} */
static bool socktuple(const struct sr_scap_dec *d, struct sr_value *v, const uint8_t *p, uint32_t n)
{
	struct sr_value *kv;
	char t[64];
	size_t tn;
	int fam = p[0];

	if ((fam == FAM_INET && n == 13) || (fam == FAM_INET6 && n == 37)) {
		uint32_t al = fam == FAM_INET ? 4 : 16;

		kv = kids(d, v, SR_V_STRUCT, 5);
		if (!kv)
			return false;
		family_value(&kv[0], (unsigned)fam, "family");
		tn = ip_text(fam, p + 1, t, sizeof(t));
		if (!arena_text(d, &kv[1], t, tn))
			return false;
		kv[1].kind = SR_V_STR;
		named(&kv[1], "saddr");
		sr_scap_int_value(&kv[2], sr_scap_u16(d, p + 1 + al), SR_BASE_DEC);
		named(&kv[2], "sport");
		tn = ip_text(fam, p + 3 + al, t, sizeof(t));
		if (!arena_text(d, &kv[3], t, tn))
			return false;
		kv[3].kind = SR_V_STR;
		named(&kv[3], "daddr");
		sr_scap_int_value(&kv[4], sr_scap_u16(d, p + 3 + 2 * al), SR_BASE_DEC);
		named(&kv[4], "dport");
		return true;
	}
	if (fam == FAM_UNIX && n >= 17) {
		kv = kids(d, v, SR_V_STRUCT, 4);
		if (!kv)
			return false;
		family_value(&kv[0], FAM_UNIX, "family");
		sr_scap_int_value(&kv[1], (int64_t)sr_scap_u64(d, p + 1), SR_BASE_HEX);
		named(&kv[1], "source");
		sr_scap_int_value(&kv[2], (int64_t)sr_scap_u64(d, p + 9), SR_BASE_HEX);
		named(&kv[2], "dest");
		charbuf(&kv[3], p + 17, n - 17);
		if (kv[3].kind == SR_V_NULL)
			str_value(&kv[3], "", 0);
		named(&kv[3], "path");
		return true;
	}
	kv = kids(d, v, SR_V_STRUCT, 2);
	if (!kv)
		return false;
	family_value(&kv[0], (unsigned)fam, "family");
	bytebuf(&kv[1], p + 1, n - 1);
	named(&kv[1], "data");
	return true;
}

/* [{fd=3, events=0x1}, ...] */
static bool fdlist(const struct sr_scap_dec *d, struct sr_value *v, const uint8_t *p, uint32_t n)
{
	uint32_t cnt = sr_scap_u16(d, p), i;
	struct sr_value *kv;

	if (2 + (uint64_t)cnt * 10 > n) {
		bytebuf(v, p, n);
		return true;
	}
	kv = kids(d, v, SR_V_ARRAY, cnt);
	if (cnt && !kv)
		return false;
	for (i = 0; i < cnt; i++) {
		const uint8_t *e = p + 2 + i * 10;
		struct sr_value *m = kids(d, &kv[i], SR_V_STRUCT, 2);

		if (!m)
			return false;
		sr_scap_int_value(&m[0], (int64_t)sr_scap_u64(d, e), SR_BASE_DEC);
		named(&m[0], "fd");
		sr_scap_int_value(&m[1], sr_scap_u16(d, e + 8), SR_BASE_HEX);
		named(&m[1], "events");
	}
	return true;
}

static bool is_int_len(uint32_t n)
{
	return n == 1 || n == 2 || n == 4 || n == 8;
}

bool sr_scap_value(const struct sr_scap_dec *d, const struct sr_scap_param *pi,
		   const uint8_t *p, uint32_t n, struct sr_str fdpath, struct sr_value *v)
{
	enum sr_base base;
	int64_t x;
	char t[64];

	memset(v, 0, sizeof(*v));
	if (!pi) {
		bytebuf(v, p, n);
		return true;
	}
	base = pi->fmt == SR_PF_HEX ? SR_BASE_HEX : pi->fmt == SR_PF_OCT ? SR_BASE_OCT : SR_BASE_DEC;
	switch (pi->type) {
	case SR_PT_CHARBUF:
	case SR_PT_FSPATH:
	case SR_PT_FSRELPATH:
		charbuf(v, p, n);
		return true;
	case SR_PT_BYTEBUF:
		/* execve's argument and environment lists, cgroups */
		if (!strcmp(pi->name, "args") || !strcmp(pi->name, "env") ||
		    !strcmp(pi->name, "cgroups"))
			return strlist(d, v, p, n);
		bytebuf(v, p, n);
		return true;
	case SR_PT_SOCKADDR:
		if (n == 0) {
			v->kind = SR_V_NULL;
			return true;
		}
		return sockaddr(d, v, p, n);
	case SR_PT_SOCKTUPLE:
		if (n == 0) {
			v->kind = SR_V_NULL;
			return true;
		}
		return socktuple(d, v, p, n);
	case SR_PT_FDLIST:
		if (n < 2)
			break;
		return fdlist(d, v, p, n);
	case SR_PT_IPV4ADDR:
	case SR_PT_IPV6ADDR:
	case SR_PT_IPADDR:
	case SR_PT_IPV4NET:
	case SR_PT_IPV6NET:
	case SR_PT_IPNET:
		if (n == 4 || n == 16) {
			size_t k = ip_text(n == 4 ? FAM_INET : FAM_INET6, p, t, sizeof(t));

			v->kind = SR_V_STR;
			return arena_text(d, v, t, k);
		}
		break;
	case SR_PT_FLAGS8:
	case SR_PT_FLAGS16:
	case SR_PT_FLAGS32:
	case SR_PT_ENUMFLAGS8:
	case SR_PT_ENUMFLAGS16:
	case SR_PT_ENUMFLAGS32:
		if (!is_int_len(n))
			break;
		x = sr_scap_int(d, p, n, false);
		if (!pi->flags) {
			sr_scap_int_value(v, x, SR_BASE_HEX);
			return true;
		}
		return flags_value(d, v, (uint64_t)x, pi->flags, pi->type >= SR_PT_ENUMFLAGS8);
	case SR_PT_FD:
	case SR_PT_FD32:
		if (!is_int_len(n))
			break;
		x = sr_scap_int(d, p, n, true);
		if (x == -100) { /* PPM_AT_FDCWD */
			ident_value(v, "AT_FDCWD");
			return true;
		}
		sr_scap_int_value(v, x, SR_BASE_DEC);
		if (fdpath.len) {
			struct sr_value *kv = kids(d, v, SR_V_FD, 1);

			if (!kv)
				return false;
			sr_scap_int_value(kv, x, SR_BASE_DEC);
			v->text = fdpath;
		}
		return true;
	case SR_PT_SIGTYPE:
		if (!is_int_len(n))
			break;
		x = sr_scap_int(d, p, n, false);
		if (sr_scap_signame((unsigned)x)) {
			ident_value(v, sr_scap_signame((unsigned)x));
			return true;
		}
		sr_scap_int_value(v, x, SR_BASE_DEC);
		return true;
	case SR_PT_SOCKFAMILY:
		if (!is_int_len(n))
			break;
		family_value(v, (unsigned)sr_scap_int(d, p, n, false), "");
		v->name = (struct sr_str){ 0 };
		return true;
	case SR_PT_DYN:
		/* an index saying which type follows, then the value: keep
		 * the value when it is a number, else the bytes */
		if (n >= 2 && is_int_len(n - 1)) {
			sr_scap_int_value(v, sr_scap_int(d, p + 1, n - 1, true), base);
			return true;
		}
		break;
	case SR_PT_INT8:
	case SR_PT_INT16:
	case SR_PT_INT32:
	case SR_PT_INT64:
	case SR_PT_ERRNO:
	case SR_PT_PID:
	case SR_PT_PID32:
	case SR_PT_RELTIME:
	case SR_PT_ABSTIME:
		if (!is_int_len(n))
			break;
		sr_scap_int_value(v, sr_scap_int(d, p, n, true), base);
		return true;
	case SR_PT_DOUBLE:
		if (n == 8) {
			double f;
			uint64_t u = sr_scap_u64(d, p);
			int k;

			memcpy(&f, &u, 8);
			k = snprintf(t, sizeof(t), "%.17g", f);
			v->kind = SR_V_IDENT;
			return arena_text(d, v, t, (size_t)k);
		}
		break;
	default: /* unsigned numbers of every width */
		if (!is_int_len(n))
			break;
		x = sr_scap_int(d, p, n, false);
		sr_scap_int_value(v, x, base);
		if (x < 0)
			v->flags |= SR_VF_UNSIGNED;
		return true;
	}
	/* a length the type does not allow: keep the bytes */
	bytebuf(v, p, n);
	return true;
}

static void put(char *out, size_t cap, size_t *len, const char *s, size_t n)
{
	if (*len >= cap)
		return;
	if (n > cap - *len)
		n = cap - *len;
	memcpy(out + *len, s, n);
	*len += n;
}

void sr_scap_value_text(const struct sr_value *v, char *out, size_t cap, size_t *len)
{
	char t[32];
	int k;
	uint32_t i;

	if (v->name.len) {
		put(out, cap, len, v->name.ptr, v->name.len);
		put(out, cap, len, "=", 1);
	}
	switch (v->kind) {
	case SR_V_INT:
		if (v->base == SR_BASE_HEX)
			k = snprintf(t, sizeof(t), "0x%llx", (unsigned long long)v->num.u);
		else if (v->base == SR_BASE_OCT)
			k = snprintf(t, sizeof(t), "0%llo", (unsigned long long)v->num.u);
		else if (v->flags & SR_VF_UNSIGNED)
			k = snprintf(t, sizeof(t), "%llu", (unsigned long long)v->num.u);
		else
			k = snprintf(t, sizeof(t), "%lld", (long long)v->num.i);
		put(out, cap, len, t, (size_t)k);
		break;
	case SR_V_STR:
		put(out, cap, len, "\"", 1);
		for (i = 0; i < v->text.len; i++) {
			unsigned char c = (unsigned char)v->text.ptr[i];

			if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
				put(out, cap, len, (const char *)&c, 1);
			} else {
				k = snprintf(t, sizeof(t), "\\x%02x", c);
				put(out, cap, len, t, (size_t)k);
			}
		}
		put(out, cap, len, "\"", 1);
		break;
	case SR_V_NULL:
		put(out, cap, len, "NULL", 4);
		break;
	case SR_V_FD:
		if (v->nkids)
			sr_scap_value_text(&v->kids[0], out, cap, len);
		put(out, cap, len, "<", 1);
		put(out, cap, len, v->text.ptr, v->text.len);
		put(out, cap, len, ">", 1);
		break;
	case SR_V_FLAGS:
	case SR_V_STRUCT:
	case SR_V_ARRAY:
	case SR_V_CALL:
		if (v->kind == SR_V_STRUCT)
			put(out, cap, len, "{", 1);
		else if (v->kind == SR_V_ARRAY)
			put(out, cap, len, "[", 1);
		else if (v->kind == SR_V_CALL) {
			put(out, cap, len, v->text.ptr, v->text.len);
			put(out, cap, len, "(", 1);
		}
		for (i = 0; i < v->nkids; i++) {
			if (i)
				put(out, cap, len, v->kind == SR_V_FLAGS ? "|" : ", ",
				    v->kind == SR_V_FLAGS ? 1 : 2);
			sr_scap_value_text(&v->kids[i], out, cap, len);
		}
		if (v->kind == SR_V_STRUCT)
			put(out, cap, len, "}", 1);
		else if (v->kind != SR_V_FLAGS)
			put(out, cap, len, v->kind == SR_V_ARRAY ? "]" : ")", 1);
		break;
	default:
		put(out, cap, len, v->text.ptr, v->text.len);
		break;
	}
}
