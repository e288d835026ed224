/*
 * test_strace_pend.c - the strace reader's table of cut calls
 * (formats/strace_pend.c): lookups by pid and by origin, slot reuse, and a
 * long random run checked against a plain array.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sr_test.h"
#include "strace_pend.h"
#include "sysrep.h"

extern const struct sr_reader_class sr_in_strace;

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

/* Through the reader: 10,000 tasks each cut an openat, then all resume;
 * every resumption finds its own first half, none is an orphan. */
static void the_reader_joins_ten_thousand_calls_cut_at_once(void)
{
	enum { TASKS = 10000 };
	char path[] = "/tmp/sr_pend_XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	struct sr_source *src = NULL;
	struct sr_reader *r = NULL;
	struct sr_intern *atoms = sr_intern_new();
	struct sr_batch b;
	enum sr_status st;
	size_t cut = 0, joined = 0, orphans = 0, wrong = 0;

	CU_ASSERT_FATAL(fd >= 0 && atoms);
	f = fdopen(fd, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (int i = 0; i < TASKS; i++)
		fprintf(f, "%d openat(AT_FDCWD, \"/f%d\", O_RDONLY <unfinished ...>\n", 10000 + i, i);
	for (int i = TASKS - 1; i >= 0; i--)
		fprintf(f, "%d <... openat resumed>) = %d\n", 10000 + i, i % 1000);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(sr_source_open(&src, path, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_in_strace.open(&r, src, NULL, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(sr_batch_init(&b, atoms), SR_OK);
	while ((st = sr_in_strace.next(r, &b, NULL)) == SR_OK || b.n) {
		for (size_t i = 0; i < b.n; i++) {
			const struct sr_event *ev = &b.ev[i];
			char want[32];

			if (ev->kind == SR_E_UNFINISHED) {
				cut++;
				continue;
			}
			if (ev->kind != SR_E_SYSCALL || !(ev->flags & SR_EF_RESUMED))
				continue;
			joined++;
			orphans += (ev->flags & SR_EF_ORPHAN) != 0;
			/* the path of the first half is the pid's own */
			snprintf(want, sizeof(want), "/f%d", (int)(ev->lead.pid - 10000));
			if (ev->nargs < 2 || ev->args[1].text.len != strlen(want) ||
			    memcmp(ev->args[1].text.ptr, want, strlen(want)) != 0)
				wrong++;
		}
		if (st != SR_OK)
			break;
	}
	CU_ASSERT_EQUAL(cut, TASKS);
	CU_ASSERT_EQUAL(joined, TASKS);
	CU_ASSERT_EQUAL(orphans, 0);
	CU_ASSERT_EQUAL(wrong, 0);
	sr_batch_free(&b);
	sr_in_strace.close(r);
	sr_source_close(src);
	sr_intern_free(atoms);
	unlink(path);
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
	{ "the reader joins ten thousand calls cut at once",
	  the_reader_joins_ten_thousand_calls_cut_at_once },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_strace_pend = { .name = "strace_pend", .cases = cases };
