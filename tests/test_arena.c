/*
 * test_arena.c - the bump allocator.
 */
#include <stdint.h>
#include <string.h>

#include "sr_test.h"
#include "sysrep.h"

static void keeps_alignment(void)
{
	struct sr_arena *a = sr_arena_new(0);
	size_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	for (n = 0; n < 200; n++) {
		void *p = sr_arena_alloc(a, n % 13);

		CU_ASSERT_PTR_NOT_NULL(p);
		CU_ASSERT_EQUAL((uintptr_t)p % 8, 0);
	}
	sr_arena_free(a);
}

static void allocations_do_not_overlap(void)
{
	struct sr_arena *a = sr_arena_new(1024);
	unsigned char *p[500];
	size_t i, j;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	/* fill each allocation with its index, then check all survived */
	for (i = 0; i < 500; i++) {
		p[i] = sr_arena_alloc(a, 1 + i % 40);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p[i]);
		memset(p[i], (int)(i & 0xff), 1 + i % 40);
	}
	for (i = 0; i < 500; i++)
		for (j = 0; j < 1 + i % 40; j++)
			if (p[i][j] != (i & 0xff)) {
				CU_FAIL("an allocation was overwritten");
				goto out;
			}
out:
	sr_arena_free(a);
}

static void big_request_gets_its_own_chunk(void)
{
	struct sr_arena *a = sr_arena_new(1024);
	char *small1, *big, *small2;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	small1 = sr_arena_alloc(a, 16);
	big = sr_arena_alloc(a, 100000);
	small2 = sr_arena_alloc(a, 16);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memset(big, 'b', 100000);
	/* the small ones still share the first chunk, right after each other */
	CU_ASSERT_PTR_EQUAL(small2, small1 + 16);
	CU_ASSERT_EQUAL(big[0], 'b');
	CU_ASSERT_EQUAL(big[99999], 'b');
	CU_ASSERT_EQUAL(sr_arena_used(a), 16 + 100000 + 16);
	sr_arena_free(a);
}

static void memdup_copies_and_terminates(void)
{
	struct sr_arena *a = sr_arena_new(0);
	const char src[] = { 'a', '\0', 'b', 'c' };
	char *d;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	d = sr_arena_memdup(a, src, sizeof(src));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(memcmp(d, src, sizeof(src)), 0);
	CU_ASSERT_EQUAL(d[sizeof(src)], '\0');
	d = sr_arena_memdup(a, NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d[0], '\0');
	sr_arena_free(a);
}

static void used_counts_rounded_bytes_and_reset_clears_it(void)
{
	struct sr_arena *a = sr_arena_new(0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(sr_arena_used(a), 0);
	sr_arena_alloc(a, 3);
	sr_arena_alloc(a, 8);
	sr_arena_alloc(a, 9);
	CU_ASSERT_EQUAL(sr_arena_used(a), 8 + 8 + 16);
	sr_arena_reset(a);
	CU_ASSERT_EQUAL(sr_arena_used(a), 0);
	sr_arena_free(a);
}

static void reset_reuses_the_largest_chunk(void)
{
	struct sr_arena *a = sr_arena_new(1024);
	char *big, *again;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	for (i = 0; i < 50; i++)
		CU_ASSERT_PTR_NOT_NULL(sr_arena_alloc(a, 100));
	big = sr_arena_alloc(a, 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	sr_arena_reset(a);
	/* the kept chunk is the 1 MiB one: the next allocation starts it */
	again = sr_arena_alloc(a, 1 << 19);
	CU_ASSERT_PTR_EQUAL(again, big);
	CU_ASSERT_PTR_EQUAL(sr_arena_alloc(a, 8), big + (1 << 19));
	sr_arena_free(a);
}

static void zero_byte_requests_get_distinct_pointers(void)
{
	struct sr_arena *a = sr_arena_new(0);
	void *p, *q;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	p = sr_arena_alloc(a, 0);
	q = sr_arena_alloc(a, 0);
	CU_ASSERT_PTR_NOT_NULL(p);
	CU_ASSERT_PTR_NOT_NULL(q);
	CU_ASSERT_PTR_NOT_EQUAL(p, q);
	sr_arena_free(a);
}

static void impossible_sizes_fail_cleanly(void)
{
	struct sr_arena *a = sr_arena_new(0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NULL(sr_arena_alloc(a, SIZE_MAX));
	CU_ASSERT_PTR_NULL(sr_arena_alloc(a, SIZE_MAX - 4));
	CU_ASSERT_PTR_NULL(sr_arena_memdup(a, "", SIZE_MAX));
	/* and the arena still works */
	CU_ASSERT_PTR_NOT_NULL(sr_arena_alloc(a, 8));
	sr_arena_free(a);
	sr_arena_free(NULL);
}

static CU_TestInfo cases[] = {
	{ "arena keeps 8-byte alignment", keeps_alignment },
	{ "arena allocations do not overlap", allocations_do_not_overlap },
	{ "a big request gets its own chunk and small ones go on", big_request_gets_its_own_chunk },
	{ "memdup copies the bytes and adds a NUL", memdup_copies_and_terminates },
	{ "used counts rounded bytes and reset clears it", used_counts_rounded_bytes_and_reset_clears_it },
	{ "reset keeps the largest chunk for reuse", reset_reuses_the_largest_chunk },
	{ "zero-byte requests get distinct pointers", zero_byte_requests_get_distinct_pointers },
	{ "impossible sizes fail with NULL and leave the arena usable", impossible_sizes_fail_cleanly },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_arena = { .name = "arena", .cases = cases };
