/*
 * syscalls.c - syscall name <-> number tables (see sysrep.h).
 *
 * The tables are generated at build time from core/tables/syscalls_<arch>.in
 * by scripts/gen-syscalls.py: per architecture, the names indexed by number
 * (designated initializers, holes are NULL) and the numbers sorted by name.
 * Everything is constant data: no initialization, nothing to free, safe
 * from any thread.
 */
#include <stdint.h>
#include <string.h>

#include "sysrep.h"

#include "syscalls_x86_64.h"
#include "syscalls_i386.h"
#include "syscalls_aarch64.h"

struct sc_table {
	const char *arch;
	const char *const *names; /* by number; NULL: no call */
	size_t n;
	const uint16_t *sorted; /* numbers in byte order of their names */
	size_t nsorted;
};

#define TABLE(a)                                                                \
	{                                                                       \
		.arch = #a, .names = sc_##a##_names,                            \
		.n = sizeof(sc_##a##_names) / sizeof(sc_##a##_names[0]),        \
		.sorted = sc_##a##_sorted,                                      \
		.nsorted = sizeof(sc_##a##_sorted) / sizeof(sc_##a##_sorted[0]) \
	}

static const struct sc_table tables[] = {
	[SR_ARCH_X86_64] = TABLE(x86_64),
	[SR_ARCH_I386] = TABLE(i386),
	[SR_ARCH_AARCH64] = TABLE(aarch64),
};

static const struct {
	const char *name;
	enum sr_arch arch;
} aliases[] = {
	{ "x86_64", SR_ARCH_X86_64 }, { "amd64", SR_ARCH_X86_64 }, { "x86-64", SR_ARCH_X86_64 },
	{ "i386", SR_ARCH_I386 },     { "i486", SR_ARCH_I386 },	   { "i586", SR_ARCH_I386 },
	{ "i686", SR_ARCH_I386 },     { "x86", SR_ARCH_I386 },	   { "aarch64", SR_ARCH_AARCH64 },
	{ "arm64", SR_ARCH_AARCH64 },
};

static const struct sc_table *table(enum sr_arch a)
{
	if ((unsigned)a >= sizeof(tables) / sizeof(tables[0]) || !tables[a].names)
		return NULL;
	return &tables[a];
}

enum sr_arch sr_arch_parse(const char *s)
{
	if (!s)
		return SR_ARCH_UNKNOWN;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(s, aliases[i].name) == 0)
			return aliases[i].arch;
	return SR_ARCH_UNKNOWN;
}

const char *sr_arch_name(enum sr_arch a)
{
	const struct sc_table *t = table(a);

	return t ? t->arch : NULL;
}

const char *sr_syscall_name(enum sr_arch a, int nr)
{
	const struct sc_table *t = table(a);

	if (!t || nr < 0 || (size_t)nr >= t->n)
		return NULL;
	return t->names[nr];
}

/* memcmp order, a proper prefix first: the order the generator sorts in. */
static int name_cmp(const char *s, size_t len, const char *name)
{
	size_t n = strlen(name);
	int c = memcmp(s, name, len < n ? len : n);

	if (c)
		return c;
	return len < n ? -1 : len > n;
}

/* "syscall_0x1b4" (strace >= 5.x) or "syscall_436" (older): the number
 * strace had no name for.  -1 when s is not of that shape. */
static int unnamed_nr(const char *s, size_t len)
{
	static const char pre[] = "syscall_";
	const size_t np = sizeof(pre) - 1;
	unsigned base = 10;
	uint64_t v = 0;
	size_t i = np;

	if (len <= np || memcmp(s, pre, np) != 0)
		return -1;
	if (len > np + 2 && s[np] == '0' && (s[np + 1] == 'x' || s[np + 1] == 'X')) {
		base = 16;
		i += 2;
	}
	for (; i < len; i++) {
		unsigned d;

		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned)(s[i] - '0');
		else if (base == 16 && s[i] >= 'a' && s[i] <= 'f')
			d = (unsigned)(s[i] - 'a' + 10);
		else if (base == 16 && s[i] >= 'A' && s[i] <= 'F')
			d = (unsigned)(s[i] - 'A' + 10);
		else
			return -1;
		v = v * base + d;
		if (v > INT32_MAX)
			return -1;
	}
	return (int)v;
}

/*
 * i386 has no syscall of their own for some calls that the C library makes
 * through a multiplexer, and strace prints them by the sub-call's name:
 * recv, send and accept go through socketcall (102), semop and semtimedop
 * through ipc (117).  They take the multiplexer's number, as ADFA-LD's
 * sequences do; the event keeps the sub-call's name.  (The socket calls
 * that got numbers of their own in Linux 4.3, socket 359..., keep those.)
 */
static int i386_multiplexed(const char *s, size_t len)
{
	static const struct {
		const char *name;
		int nr;
	} mux[] = {
		{ "accept", 102 }, { "recv", 102 }, { "send", 102 },
		{ "semop", 117 },  { "semtimedop", 117 },
	};

	for (size_t i = 0; i < sizeof(mux) / sizeof(mux[0]); i++)
		if (strlen(mux[i].name) == len && memcmp(mux[i].name, s, len) == 0)
			return mux[i].nr;
	return -1;
}

int sr_syscall_nr(enum sr_arch a, const char *s, size_t len)
{
	const struct sc_table *t = table(a);
	size_t lo = 0, hi;

	if (!t || !s)
		return -1;
	hi = t->nsorted;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int nr = t->sorted[mid];
		int c = name_cmp(s, len, t->names[nr]);

		if (c == 0)
			return nr;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (a == SR_ARCH_I386) {
		int nr = i386_multiplexed(s, len);

		if (nr >= 0)
			return nr;
	}
	return unnamed_nr(s, len);
}
