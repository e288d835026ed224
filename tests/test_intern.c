/*
 * test_intern.c - the interning table.
 */
#include <stdio.h>
#include <string.h>

#include "sr_test.h"
#include "sysrep.h"

static void same_bytes_give_the_same_atom(void)
{
	struct sr_intern *t = sr_intern_new();
	const struct sr_atom *a, *b;
	char buf[] = "openat";

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	a = sr_intern(t, "openat", 6);
	b = sr_intern(t, buf, 6); /* a different pointer to the same bytes */
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_EQUAL(a, b);
	CU_ASSERT_EQUAL(sr_intern_count(t), 1);
	CU_ASSERT_STRING_EQUAL(a->str, "openat");
	CU_ASSERT_EQUAL(a->len, 6);
	/* the table keeps its own copy */
	CU_ASSERT_PTR_NOT_EQUAL(a->str, buf);
	sr_intern_free(t);
}

static void ids_follow_the_order_of_first_interning(void)
{
	struct sr_intern *t = sr_intern_new();
	const struct sr_atom *r, *w, *o;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	r = sr_intern(t, "read", 4);
	w = sr_intern(t, "write", 5);
	sr_intern(t, "read", 4);
	o = sr_intern(t, "open", 4);
	CU_ASSERT_EQUAL(r->id, 0);
	CU_ASSERT_EQUAL(w->id, 1);
	CU_ASSERT_EQUAL(o->id, 2);
	CU_ASSERT_PTR_EQUAL(sr_intern_at(t, 1), w);
	CU_ASSERT_PTR_NULL(sr_intern_at(t, 3));
	sr_intern_free(t);
}

static void find_does_not_create(void)
{
	struct sr_intern *t = sr_intern_new();
	const struct sr_atom *a;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NULL(sr_intern_find(t, "close", 5));
	CU_ASSERT_EQUAL(sr_intern_count(t), 0);
	a = sr_intern(t, "close", 5);
	CU_ASSERT_PTR_EQUAL(sr_intern_find(t, "close", 5), a);
	CU_ASSERT_PTR_NULL(sr_intern_find(t, "clos", 4));
	sr_intern_free(t);
}

static void length_is_part_of_the_key(void)
{
	struct sr_intern *t = sr_intern_new();
	const struct sr_atom *a, *b, *c, *e;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	a = sr_intern(t, "ab\0cd", 5);
	b = sr_intern(t, "ab", 2);
	c = sr_intern(t, "ab\0", 3);
	e = sr_intern(t, "", 0);
	CU_ASSERT_PTR_NOT_EQUAL(a, b);
	CU_ASSERT_PTR_NOT_EQUAL(b, c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(a->len, 5);
	CU_ASSERT_EQUAL(memcmp(a->str, "ab\0cd", 6), 0);
	CU_ASSERT_EQUAL(e->len, 0);
	CU_ASSERT_STRING_EQUAL(e->str, "");
	CU_ASSERT_EQUAL(sr_intern_count(t), 4);
	sr_intern_free(t);
}

static void atoms_stay_put_while_the_table_grows(void)
{
	enum { N = 20000 };
	static const struct sr_atom *seen[N];
	struct sr_intern *t = sr_intern_new();
	char name[32];
	int i, bad = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	for (i = 0; i < N; i++) {
		int n = snprintf(name, sizeof(name), "name_%d", i);

		seen[i] = sr_intern(t, name, (size_t)n);
		CU_ASSERT_PTR_NOT_NULL_FATAL(seen[i]);
	}
	CU_ASSERT_EQUAL(sr_intern_count(t), N);
	for (i = 0; i < N; i++) {
		int n = snprintf(name, sizeof(name), "name_%d", i);

		if (sr_intern(t, name, (size_t)n) != seen[i] || seen[i]->id != (uint32_t)i ||
		    strcmp(seen[i]->str, name) != 0 || sr_intern_at(t, (uint32_t)i) != seen[i])
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(sr_intern_count(t), N);
	sr_intern_free(t);
}

static void json_plain_is_decided_per_byte(void)
{
	struct sr_intern *t = sr_intern_new();

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_TRUE(sr_intern(t, "ENOENT", 6)->json_plain);
	CU_ASSERT_TRUE(sr_intern(t, "/usr/lib/x86_64-linux-gnu/libc.so.6 ~!", 38)->json_plain);
	CU_ASSERT_TRUE(sr_intern(t, "", 0)->json_plain);
	CU_ASSERT_FALSE(sr_intern(t, "a\"b", 3)->json_plain);
	CU_ASSERT_FALSE(sr_intern(t, "a\\b", 3)->json_plain);
	CU_ASSERT_FALSE(sr_intern(t, "tab\there", 8)->json_plain);
	CU_ASSERT_FALSE(sr_intern(t, "del\x7f", 4)->json_plain);
	CU_ASSERT_FALSE(sr_intern(t, "caf\xc3\xa9", 5)->json_plain);
	sr_intern_free(t);
	sr_intern_free(NULL);
}

static CU_TestInfo cases[] = {
	{ "the same bytes give the same atom, copied into the table", same_bytes_give_the_same_atom },
	{ "ids follow the order of first interning", ids_follow_the_order_of_first_interning },
	{ "find does not create atoms", find_does_not_create },
	{ "length is part of the key, NUL bytes included", length_is_part_of_the_key },
	{ "atoms stay put while the table grows", atoms_stay_put_while_the_table_grows },
	{ "json_plain is false for quotes, backslashes, controls and non-ASCII", json_plain_is_decided_per_byte },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_intern = { .name = "intern", .cases = cases };
