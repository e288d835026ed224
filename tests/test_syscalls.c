/*
 * test_syscalls.c - the syscall tables (core/syscalls.c).
 *
 * Known numbers per architecture, the lookups both ways, strace's names
 * for unnamed calls, and, when linux-libc-dev is installed, every entry
 * against the kernel header it was generated from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr_test.h"
#include "sysrep.h"

#define X86_64_H "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
#define I386_H "/usr/include/x86_64-linux-gnu/asm/unistd_32.h"
#define GENERIC_H "/usr/include/asm-generic/unistd.h"
#define MAX_NR 4096

static int nr(enum sr_arch a, const char *name)
{
	return sr_syscall_nr(a, name, strlen(name));
}

static void known_numbers_match_the_kernel(void)
{
	CU_ASSERT_EQUAL(nr(SR_ARCH_X86_64, "read"), 0);
	CU_ASSERT_EQUAL(nr(SR_ARCH_X86_64, "execve"), 59);
	CU_ASSERT_EQUAL(nr(SR_ARCH_X86_64, "openat"), 257);
	CU_ASSERT_EQUAL(nr(SR_ARCH_X86_64, "newfstatat"), 262);
	CU_ASSERT_EQUAL(nr(SR_ARCH_X86_64, "exit_group"), 231);
	CU_ASSERT_EQUAL(nr(SR_ARCH_I386, "execve"), 11);
	CU_ASSERT_EQUAL(nr(SR_ARCH_I386, "socketcall"), 102);
	CU_ASSERT_EQUAL(nr(SR_ARCH_I386, "_llseek"), 140);
	CU_ASSERT_EQUAL(nr(SR_ARCH_I386, "mmap2"), 192);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "openat"), 56);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "execve"), 221);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "read"), 63);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "mmap"), 222);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "clone3"), 435);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "open"), -1);
	CU_ASSERT_EQUAL(nr(SR_ARCH_X86_64, "socketcall"), -1);
}

/* The __NR3264_ entries take their 64-bit names, the ones strace prints. */
static void aarch64_uses_the_64_bit_names_strace_prints(void)
{
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "fcntl"), 25);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "lseek"), 62);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "newfstatat"), 79);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "fstat"), 80);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "sync_file_range"), 84);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "renameat"), 38);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "getrlimit"), 163);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "memfd_secret"), 447);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "fcntl64"), -1);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "mmap2"), -1);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "clock_gettime64"), -1);
	CU_ASSERT_PTR_NULL(sr_syscall_name(SR_ARCH_AARCH64, 244)); /* arch_specific_syscall */
	CU_ASSERT_STRING_EQUAL(sr_syscall_name(SR_ARCH_AARCH64, 79), "newfstatat");
}

static void names_and_numbers_round_trip(void)
{
	const enum sr_arch arches[] = { SR_ARCH_X86_64, SR_ARCH_I386, SR_ARCH_AARCH64 };

	for (size_t a = 0; a < 3; a++) {
		int n = 0;

		for (int i = 0; i < MAX_NR; i++) {
			const char *s = sr_syscall_name(arches[a], i);

			if (!s)
				continue;
			n++;
			CU_ASSERT_EQUAL(nr(arches[a], s), i);
		}
		CU_ASSERT(n > 300);
	}
	CU_ASSERT_PTR_NULL(sr_syscall_name(SR_ARCH_X86_64, -1));
	CU_ASSERT_PTR_NULL(sr_syscall_name(SR_ARCH_X86_64, 100000));
	CU_ASSERT_PTR_NULL(sr_syscall_name(SR_ARCH_UNKNOWN, 0));
}

static void lookups_use_the_given_length_only(void)
{
	const char buf[] = "openatXYZ";

	CU_ASSERT_EQUAL(sr_syscall_nr(SR_ARCH_X86_64, buf, 6), 257);
	CU_ASSERT_EQUAL(sr_syscall_nr(SR_ARCH_X86_64, buf, 4), 2); /* "open" */
	CU_ASSERT_EQUAL(sr_syscall_nr(SR_ARCH_X86_64, buf, 3), -1);
	CU_ASSERT_EQUAL(sr_syscall_nr(SR_ARCH_X86_64, buf, 0), -1);
	CU_ASSERT_EQUAL(sr_syscall_nr(SR_ARCH_X86_64, buf, 9), -1);
	CU_ASSERT_EQUAL(sr_syscall_nr(SR_ARCH_UNKNOWN, "read", 4), -1);
}

static void unnamed_calls_map_to_their_number(void)
{
	CU_ASSERT_EQUAL(nr(SR_ARCH_X86_64, "syscall_0x1b4"), 0x1b4);
	CU_ASSERT_EQUAL(nr(SR_ARCH_AARCH64, "syscall_0xf4"), 244);
	CU_ASSERT_EQUAL(nr(SR_ARCH_I386, "syscall_436"), 436);
	CU_ASSERT_EQUAL(nr(SR_ARCH_X86_64, "syscall_"), -1);
	CU_ASSERT_EQUAL(nr(SR_ARCH_X86_64, "syscall_0x"), -1);
	CU_ASSERT_EQUAL(nr(SR_ARCH_X86_64, "syscall_12z"), -1);
	CU_ASSERT_EQUAL(nr(SR_ARCH_X86_64, "syscall_0x1ffffffff"), -1);
}

static void architectures_parse_by_name_and_alias(void)
{
	CU_ASSERT_EQUAL(sr_arch_parse("x86_64"), SR_ARCH_X86_64);
	CU_ASSERT_EQUAL(sr_arch_parse("amd64"), SR_ARCH_X86_64);
	CU_ASSERT_EQUAL(sr_arch_parse("i386"), SR_ARCH_I386);
	CU_ASSERT_EQUAL(sr_arch_parse("i686"), SR_ARCH_I386);
	CU_ASSERT_EQUAL(sr_arch_parse("aarch64"), SR_ARCH_AARCH64);
	CU_ASSERT_EQUAL(sr_arch_parse("arm64"), SR_ARCH_AARCH64);
	CU_ASSERT_EQUAL(sr_arch_parse("sparc"), SR_ARCH_UNKNOWN);
	CU_ASSERT_EQUAL(sr_arch_parse(NULL), SR_ARCH_UNKNOWN);
	CU_ASSERT_STRING_EQUAL(sr_arch_name(SR_ARCH_I386), "i386");
	CU_ASSERT_EQUAL(SR_ARCH_DEFAULT, SR_ARCH_X86_64);
}

/* ------------------------------------------------------------------ */
/* Against the kernel headers                                          */

struct hdef {
	char name[64];
	char value[64]; /* a number, or another macro (__NR3264_fcntl) */
	int depth;	/* #if nesting where it was defined */
};

/* The "#define __NR..." lines of a header; NULL when it is absent. */
static struct hdef *read_header(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	struct hdef *d;
	char line[256];
	int depth = 0;

	*n = 0;
	if (!f)
		return NULL;
	d = calloc(2048, sizeof(*d));
	while (d && fgets(line, sizeof(line), f) && *n < 2048) {
		struct hdef *h = &d[*n];

		if (!strncmp(line, "#if", 3))
			depth++;
		else if (!strncmp(line, "#endif", 6))
			depth--;
		else if (sscanf(line, "#define __NR%63s %63s", h->name, h->value) == 2) {
			h->depth = depth;
			(*n)++;
		}
	}
	fclose(f);
	return d;
}

/* The number a macro ("_read", "3264_fcntl") stands for; -1 when none. */
static int resolve(const struct hdef *d, size_t n, const char *name)
{
	for (int hops = 0; hops < 4; hops++) {
		size_t i;

		for (i = 0; i < n && strcmp(d[i].name, name); i++)
			;
		if (i == n)
			return -1;
		if (d[i].value[0] >= '0' && d[i].value[0] <= '9')
			return atoi(d[i].value);
		if (strncmp(d[i].value, "__NR", 4))
			return -1;
		name = d[i].value + 4;
	}
	return -1;
}

/*
 * Every table entry is __NR_<name> in the header, with that number; and
 * every __NR_ of the header defined outside any #if (all of a flat x86
 * header; the unconditional part of the generic one) is in the table.
 */
static void compare_header(enum sr_arch a, const char *path, int base_depth)
{
	size_t n, checked = 0;
	struct hdef *d = read_header(path, &n);
	char key[80];

	if (!d) {
		fprintf(stderr, "(no %s: skipped) ", path);
		return;
	}
	for (int i = 0; i < MAX_NR; i++) {
		const char *s = sr_syscall_name(a, i);

		if (!s)
			continue;
		snprintf(key, sizeof(key), "_%s", s);
		if (resolve(d, n, key) != i)
			fprintf(stderr, "\n%s: %d %s: header says %d\n", sr_arch_name(a), i, s,
				resolve(d, n, key));
		CU_ASSERT_EQUAL(resolve(d, n, key), i);
		checked++;
	}
	for (size_t i = 0; i < n; i++) {
		int v;

		/* _syscalls is the table size; _arch_specific_syscall the first
		 * of 16 numbers each architecture may use (arm64 uses none) */
		if (d[i].depth > base_depth || d[i].name[0] != '_' ||
		    !strcmp(d[i].name, "_syscalls") || !strcmp(d[i].name, "_arch_specific_syscall"))
			continue;
		v = resolve(d, n, d[i].name);
		if (v < 0)
			continue;
		if (!sr_syscall_name(a, v) || strcmp(sr_syscall_name(a, v), d[i].name + 1))
			fprintf(stderr, "\n%s: header __NR%s %d not in the table\n",
				sr_arch_name(a), d[i].name, v);
		CU_ASSERT_PTR_NOT_NULL_FATAL(sr_syscall_name(a, v));
		CU_ASSERT_STRING_EQUAL(sr_syscall_name(a, v), d[i].name + 1);
	}
	CU_ASSERT(checked > 300);
	free(d);
}

static void x86_64_table_agrees_with_unistd_64_h(void)
{
	compare_header(SR_ARCH_X86_64, X86_64_H, 1); /* inside the include guard */
}

static void i386_table_agrees_with_unistd_32_h(void)
{
	compare_header(SR_ARCH_I386, I386_H, 1);
}

static void aarch64_table_agrees_with_asm_generic_unistd_h(void)
{
	compare_header(SR_ARCH_AARCH64, GENERIC_H, 0); /* no include guard */
}

static void i386_multiplexed_calls_take_the_multiplexer_number(void)
{
	/* strace names the sub-call; ADFA-LD numbers it socketcall / ipc */
	CU_ASSERT_EQUAL(nr(SR_ARCH_I386, "recv"), 102);
	CU_ASSERT_EQUAL(nr(SR_ARCH_I386, "send"), 102);
	CU_ASSERT_EQUAL(nr(SR_ARCH_I386, "accept"), 102);
	CU_ASSERT_EQUAL(nr(SR_ARCH_I386, "semop"), 117);
	CU_ASSERT_EQUAL(nr(SR_ARCH_I386, "semtimedop"), 117);
	/* calls with numbers of their own keep them */
	CU_ASSERT_EQUAL(nr(SR_ARCH_I386, "socket"), 359);
	CU_ASSERT_EQUAL(nr(SR_ARCH_I386, "recvfrom"), 371);
	CU_ASSERT_EQUAL(nr(SR_ARCH_I386, "semget"), 393);
	/* only on i386: x86_64 has recvfrom, never recv */
	CU_ASSERT_EQUAL(nr(SR_ARCH_X86_64, "recv"), -1);
	CU_ASSERT_EQUAL(nr(SR_ARCH_I386, "recvx"), -1);
	CU_ASSERT_STRING_EQUAL(sr_syscall_name(SR_ARCH_I386, 102), "socketcall");
}

static CU_TestInfo cases[] = {
	{ "i386 multiplexed calls take the multiplexer's number",
	  i386_multiplexed_calls_take_the_multiplexer_number },
	{ "known numbers match the kernel", known_numbers_match_the_kernel },
	{ "aarch64 uses the 64-bit names strace prints",
	  aarch64_uses_the_64_bit_names_strace_prints },
	{ "names and numbers round trip", names_and_numbers_round_trip },
	{ "lookups use the given length only", lookups_use_the_given_length_only },
	{ "unnamed calls map to their number", unnamed_calls_map_to_their_number },
	{ "architectures parse by name and alias", architectures_parse_by_name_and_alias },
	{ "x86_64 table agrees with unistd_64.h", x86_64_table_agrees_with_unistd_64_h },
	{ "i386 table agrees with unistd_32.h", i386_table_agrees_with_unistd_32_h },
	{ "aarch64 table agrees with asm-generic/unistd.h",
	  aarch64_table_agrees_with_asm_generic_unistd_h },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_syscalls = { .name = "syscalls", .cases = cases };
