/*
 * semantic_tables.c - signatures and constant sets (see sysrep.h, "Semantic
 * records"): lookups over the constant data that scripts/gen-semantic.py
 * makes from core/tables/{constants,signatures_<arch>,semantic-hand}.in.
 * Constant data only: nothing to initialize or free, safe from any thread.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "semantic_internal.h"
#include "sysrep.h"

#include "semantic_tables.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const struct sr_signature *sigs;
	size_t n;
	const uint16_t *by_name; /* its constants' names, sorted */
	size_t nnames;
} by_arch[] = {
	[SR_ARCH_X86_64] = { sem_sigs_x86_64, COUNT(sem_sigs_x86_64), sem_by_name_x86_64,
			     COUNT(sem_by_name_x86_64) },
	[SR_ARCH_I386] = { sem_sigs_i386, COUNT(sem_sigs_i386), sem_by_name_i386,
			   COUNT(sem_by_name_i386) },
	[SR_ARCH_AARCH64] = { sem_sigs_aarch64, COUNT(sem_sigs_aarch64), sem_by_name_aarch64,
			      COUNT(sem_by_name_aarch64) },
};

static enum sr_arch known(enum sr_arch arch)
{
	return (unsigned)arch < COUNT(by_arch) && by_arch[arch].sigs ? arch : SR_ARCH_DEFAULT;
}

/* strcmp of a counted string against a NUL-terminated one, byte order
 * (memcmp's sign, then the shorter first).  One pass, no strlen: the
 * binary searches below call it for every struct member and name. */
static int cmp_n(const char *a, size_t n, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!y[i])
			return 1; /* b ended first: a is longer */
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	}
	return y[n] ? -1 : 0;
}

static const struct sr_signature *find_exact(enum sr_arch arch, const char *name, size_t len);

/*
 * The signature of a call strace named: by its name; else, for a name
 * strace printed for a number it had no name for (strace 4.x's
 * "syscall_332", strace 6's "syscall_0x14c"), the call that number is on
 * arch, as the record's "nr" says; else an old strace's name for it
 * ("pread", "pwrite" before they became pread64, pwrite64).
 */
const struct sr_signature *sr_signature_find(enum sr_arch arch, const char *name, size_t len)
{
	static const struct { const char *old, *now; } renamed[] = {
		{ "pread", "pread64" },
		{ "pwrite", "pwrite64" },
	};
	const struct sr_signature *sig = find_exact(arch, name, len);
	size_t i;

	if (sig)
		return sig;
	if (len > 8 && !memcmp(name, "syscall_", 8)) {
		char num[24];
		char *end;
		unsigned long nr;
		const char *real;

		if (len - 8 >= sizeof(num))
			return NULL;
		memcpy(num, name + 8, len - 8);
		num[len - 8] = '\0';
		errno = 0;
		nr = strtoul(num, &end, 0);
		if (*end || errno || num[0] == '-' || num[0] == '+' || nr > 100000)
			return NULL;
		real = sr_syscall_name(arch, (int)nr);
		return real && strncmp(real, "syscall_", 8) ? find_exact(arch, real, strlen(real))
							   : NULL;
	}
	for (i = 0; i < sizeof(renamed) / sizeof(renamed[0]); i++)
		if (strlen(renamed[i].old) == len && !memcmp(renamed[i].old, name, len))
			return find_exact(arch, renamed[i].now, strlen(renamed[i].now));
	return NULL;
}

bool sr_signature_names_arg(enum sr_arch arch, const char *name, size_t len)
{
	size_t i;
	int k;

	if ((unsigned)arch >= COUNT(by_arch) || !by_arch[arch].sigs)
		return false;
	for (i = 0; i < by_arch[arch].n; i++)
		for (k = 0; k < by_arch[arch].sigs[i].nargs; k++)
			if (!cmp_n(name, len, by_arch[arch].sigs[i].args[k].name))
				return true;
	return false;
}

static const struct sr_signature *find_exact(enum sr_arch arch, const char *name, size_t len)
{
	size_t lo = 0, hi;
	const struct sr_signature *t;

	if ((unsigned)arch >= COUNT(by_arch) || !by_arch[arch].sigs)
		return NULL;
	t = by_arch[arch].sigs;
	hi = by_arch[arch].n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = cmp_n(name, len, t[mid].name);

		if (!c)
			return &t[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const char *const type_names[SR_T__COUNT] = {
	[SR_T_INT] = "int",	  [SR_T_FD] = "fd",	  [SR_T_DIRFD] = "dirfd",
	[SR_T_PATH] = "path",	  [SR_T_STR] = "str",	  [SR_T_STRV] = "strv",
	[SR_T_BUF] = "buf",	  [SR_T_PTR] = "ptr",	  [SR_T_PID] = "pid",
	[SR_T_UID] = "uid",	  [SR_T_GID] = "gid",	  [SR_T_MODE] = "mode",
	[SR_T_SIZE] = "size",	  [SR_T_OFFSET] = "offset", [SR_T_FLAGS] = "flags",
	[SR_T_ENUM] = "enum",	  [SR_T_SIGNAL] = "signal", [SR_T_STRUCT] = "struct",
	[SR_T_ADDR] = "addr",	  [SR_T_ERRNO] = "errno",	  [SR_T_XINT] = "xint",
	[SR_T_SIGSET] = "sigset", [SR_T_VEC] = "vec",	  [SR_T_DENTS] = "dents",
	[SR_T_RESUMED] = "resumed",
};

const char *sr_stype_name(enum sr_stype t)
{
	return (unsigned)t < SR_T__COUNT ? type_names[t] : NULL;
}

const char *sr_cset_name(uint16_t set)
{
	return set && set < COUNT(sem_sets) ? sem_sets[set].name : NULL;
}

const struct sem_when *sr_sem_when(uint16_t i)
{
	return i && i < COUNT(sem_whens) ? &sem_whens[i] : NULL;
}

const struct sem_set *sr_sem_set(uint16_t set)
{
	return set && set < COUNT(sem_sets) ? &sem_sets[set] : NULL;
}

const struct sem_const *sr_sem_consts(void)
{
	return sem_consts;
}

uint16_t sr_sem_set_named(enum sr_arch arch, const char *name)
{
	uint16_t i;

	arch = known(arch);
	for (i = 1; i < COUNT(sem_sets); i++)
		if (sem_sets[i].arch == arch && !strcmp(sem_sets[i].name, name))
			return i;
	return 0;
}

enum sr_arch sr_sem_sig_arch(const struct sr_signature *sig)
{
	uintptr_t p = (uintptr_t)sig;
	size_t a;

	/* compared as integers: a pointer into one table is not ordered
	 * against another table in C */
	for (a = 0; a < COUNT(by_arch); a++)
		if (by_arch[a].sigs && p >= (uintptr_t)by_arch[a].sigs &&
		    p < (uintptr_t)(by_arch[a].sigs + by_arch[a].n))
			return (enum sr_arch)a;
	return SR_ARCH_DEFAULT;
}

bool sr_const_value(enum sr_arch arch, const char *name, size_t len, uint64_t *value)
{
	const uint16_t *by_name = by_arch[known(arch)].by_name;
	size_t lo = 0, hi = by_arch[known(arch)].nnames;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct sem_const *c = &sem_consts[by_name[mid]];
		int r = cmp_n(name, len, c->name);

		if (!r) {
			*value = c->v;
			return true;
		}
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

struct sr_sarg sr_sem_member(const char *name, size_t len, uint16_t *when)
{
	size_t lo = 0, hi = COUNT(sem_fields);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = cmp_n(name, len, sem_fields[mid].t.name);

		if (!r) {
			*when = sem_fields[mid].when;
			return sem_fields[mid].t;
		}
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*when = 0;
	return (struct sr_sarg){ NULL, SR_T_INT, 0 };
}

struct sr_sarg sr_sem_field(const char *name, size_t len)
{
	uint16_t when;

	return sr_sem_member(name, len, &when);
}

const char *sr_sem_enum_name(uint16_t set, uint64_t v, uint8_t *len)
{
	const struct sem_set *s = sr_sem_set(set);
	uint32_t i;

	if (!s)
		return NULL;
	for (i = 0; i < (uint32_t)s->nfield + s->nbits; i++) {
		const struct sem_const *c = &sem_consts[s->start + i];

		if (c->v == v) {
			*len = c->len;
			return c->name;
		}
	}
	return NULL;
}

bool sr_sem_set_value(uint16_t set, const char *name, size_t len, uint64_t *v)
{
	const struct sem_set *s = sr_sem_set(set);
	uint32_t i;

	if (s && len)
		for (i = 0; i < (uint32_t)s->nfield + s->nbits; i++) {
			const struct sem_const *c = &sem_consts[s->start + i];

			/* the first byte before the call: most names differ there
			 * or in their length (a set is scanned per printed name) */
			if (c->len == len && c->name[0] == name[0] && !memcmp(c->name, name, len)) {
				*v = c->v;
				return true;
			}
		}
	return sr_const_value(s ? (enum sr_arch)s->arch : SR_ARCH_DEFAULT, name, len, v);
}
