/*
 * test_strace_pend.c - the strace reader's table of cut calls
 * (formats/strace_pend.c): lookups by pid and by origin, slot reuse, and a
 * long random run checked against a plain array.
 */
#include <stdlib.h>
#include <string.h>

#include "sr_test.h"
#include "strace_pend.h"

static const struct sr_atom open_atom = { .str = "open", .len = 4 };
static const struct sr_atom read_atom = { .str = "read", .len = 4 };

static void ten_thousand_cut_calls_are_found_by_pid_and_origin(void)
{
	struct sr_pend_table t = { 0 };

	for (int64_t pid = 1; pid <= 10000; pid++) {
		struct sr_pending *p = sr_pend_add(&t, pid, 1000000 + (uint64_t)pid);

		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		p->name = &open_atom;
	}
	CU_ASSERT_EQUAL(t.nlive, 10000);
	for (int64_t pid = 1; pid <= 10000; pid++) {
		struct sr_pending *p = sr_pend_find(&t, pid);

		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		CU_ASSERT_EQUAL(p->pid, pid);
		CU_ASSERT_PTR_EQUAL(sr_pend_origin(&t, 1000000 + (uint64_t)pid), p);
		CU_ASSERT_PTR_EQUAL(sr_pend_match(&t, pid, &open_atom), p);
	}
	CU_ASSERT_PTR_NULL(sr_pend_find(&t, 0));
	CU_ASSERT_PTR_NULL(sr_pend_find(&t, 10001));
	CU_ASSERT_PTR_NULL(sr_pend_origin(&t, 1));
	/* with a pid and no bare cut, an unknown pid matches nothing */
	CU_ASSERT_PTR_NULL(sr_pend_match(&t, 20000, &open_atom));
	sr_pend_free(&t);
}

static void a_second_cut_of_the_same_pid_takes_its_slot(void)
{
	struct sr_pend_table t = { 0 };
	struct sr_pending *a = sr_pend_add(&t, 7, 1), *b = sr_pend_add(&t, 7, 2);

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_EQUAL(a, b);
	CU_ASSERT_EQUAL(b->origin, 1); /* the first cut's number is kept */
	CU_ASSERT_EQUAL(t.nlive, 1);
	sr_pend_set_origin(&t, b, 9);
	CU_ASSERT_PTR_NULL(sr_pend_origin(&t, 1));
	CU_ASSERT_PTR_EQUAL(sr_pend_origin(&t, 9), b);
	sr_pend_free(&t);
}

static void dropped_slots_are_reused_and_their_text_buffer_kept(void)
{
	struct sr_pend_table t = { 0 };
	struct sr_pending *p = sr_pend_add(&t, 1, 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_TRUE(sr_pend_set_text(p, "open(\"/etc\", ", 13));
	sr_pend_drop(&t, p);
	CU_ASSERT_FALSE(p->used);
	CU_ASSERT_PTR_NULL(sr_pend_find(&t, 1));
	sr_pend_drop(&t, p); /* twice is harmless */
	CU_ASSERT_EQUAL(t.nlive, 0);
	CU_ASSERT_PTR_EQUAL(sr_pend_add(&t, 2, 2), p);
	CU_ASSERT_EQUAL(t.nslot, 1);
	CU_ASSERT(p->cap >= 13);
	sr_pend_free(&t);
}

static void a_resumption_without_pid_finds_the_one_cut_of_its_name(void)
{
	struct sr_pend_table t = { 0 };
	struct sr_pending *bare = sr_pend_add(&t, -1, 1), *other;

	CU_ASSERT_PTR_NOT_NULL_FATAL(bare);
	bare->name = &open_atom;
	/* the prefix appears: pid 5 resumes the bare open */
	CU_ASSERT_PTR_EQUAL(sr_pend_match(&t, 5, &open_atom), bare);
	CU_ASSERT_PTR_NULL(sr_pend_match(&t, 5, &read_atom));
	sr_pend_repid(&t, bare, 5);
	CU_ASSERT_EQUAL(t.nbare, 0);
	CU_ASSERT_PTR_EQUAL(sr_pend_find(&t, 5), bare);
	CU_ASSERT_PTR_NULL(sr_pend_find(&t, -1));
	/* the prefix disappears: two cuts of the name are ambiguous */
	other = sr_pend_add(&t, 6, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(other);
	other->name = &open_atom;
	bare = sr_pend_find(&t, 5);
	CU_ASSERT_PTR_NULL(sr_pend_match(&t, -1, &open_atom));
	sr_pend_drop(&t, other);
	CU_ASSERT_PTR_EQUAL(sr_pend_match(&t, -1, &open_atom), bare);
	sr_pend_free(&t);
}

static void clear_empties_the_table_and_it_fills_again(void)
{
	struct sr_pend_table t = { 0 };

	for (int64_t pid = 0; pid < 100; pid++)
		CU_ASSERT_PTR_NOT_NULL_FATAL(sr_pend_add(&t, pid, (uint64_t)pid + 1));
	sr_pend_clear(&t);
	CU_ASSERT_EQUAL(t.nlive, 0);
	for (int64_t pid = 0; pid < 100; pid++)
		CU_ASSERT_PTR_NULL(sr_pend_find(&t, pid));
	for (int64_t pid = 0; pid < 100; pid++)
		CU_ASSERT_PTR_NOT_NULL_FATAL(sr_pend_add(&t, pid + 500, (uint64_t)pid + 1));
	CU_ASSERT_EQUAL(t.nslot, 100); /* no slot was leaked */
	CU_ASSERT_PTR_NOT_NULL(sr_pend_find(&t, 599));
	sr_pend_clear(&t);
	sr_pend_free(&t);
	sr_pend_free(&t); /* a freed table is empty and can be freed again */
}

/* Random adds, drops and moves over a small pid range (so probe runs
 * collide and deletions shift them), checked against a plain array. */
static void a_long_random_run_agrees_with_a_plain_array(void)
{
	enum { PIDS = 300, STEPS = 200000 };
	struct sr_pend_table t = { 0 };
	uint64_t model[PIDS] = { 0 }; /* origin of pid's cut call, 0 none */
	uint64_t next = 0, seed = 12345;
	size_t live = 0;

	for (int step = 0; step < STEPS; step++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		int64_t pid = (int64_t)((seed >> 33) % PIDS);
		unsigned op = (unsigned)(seed >> 20) % 3;
		struct sr_pending *p = sr_pend_find(&t, pid);

		CU_ASSERT_EQUAL_FATAL(p ? p->origin : 0, model[pid]);
		if (op == 0 && !p) {
			p = sr_pend_add(&t, pid, ++next);
			CU_ASSERT_PTR_NOT_NULL_FATAL(p);
			model[pid] = next;
			live++;
		} else if (op == 1 && p) {
			sr_pend_drop(&t, p);
			model[pid] = 0;
			live--;
		} else if (op == 2 && p) {
			int64_t to = (pid + 1) % PIDS;

			if (!model[to]) {
				sr_pend_repid(&t, p, to);
				model[to] = model[pid];
				model[pid] = 0;
			}
		}
		CU_ASSERT_EQUAL_FATAL(t.nlive, live);
	}
	for (int64_t pid = 0; pid < PIDS; pid++) {
		struct sr_pending *p = sr_pend_find(&t, pid);

		CU_ASSERT_EQUAL(p ? p->origin : 0, model[pid]);
		if (model[pid])
			CU_ASSERT_PTR_EQUAL(sr_pend_origin(&t, model[pid]), p);
	}
	sr_pend_free(&t);
}

static CU_TestInfo cases[] = {
	{ "ten thousand cut calls are found by pid and by origin",
	  ten_thousand_cut_calls_are_found_by_pid_and_origin },
	{ "a second cut of the same pid takes its slot", a_second_cut_of_the_same_pid_takes_its_slot },
	{ "dropped slots are reused and their text buffer kept",
	  dropped_slots_are_reused_and_their_text_buffer_kept },
	{ "a resumption without pid finds the one cut of its name",
	  a_resumption_without_pid_finds_the_one_cut_of_its_name },
	{ "clear empties the table and it fills again", clear_empties_the_table_and_it_fills_again },
	{ "a long random run agrees with a plain array", a_long_random_run_agrees_with_a_plain_array },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_strace_pend = { .name = "strace_pend", .cases = cases };
