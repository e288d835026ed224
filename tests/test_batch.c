/*
 * test_batch.c - batches, counters and enum names.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sr_test.h"
#include "sysrep.h"

static void push_gives_a_zeroed_event_with_unknown_pid_and_nr(void)
{
	struct sr_batch b;
	struct sr_event *e;

	CU_ASSERT_EQUAL_FATAL(sr_batch_init(&b, NULL), SR_OK);
	e = sr_batch_push(&b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(b.n, 1);
	CU_ASSERT_EQUAL(e->lead.pid, -1);
	CU_ASSERT_EQUAL(e->nr, -1);
	CU_ASSERT_EQUAL(e->kind, 0);
	CU_ASSERT_PTR_NULL(e->name);
	CU_ASSERT_EQUAL(e->natt, 0);
	CU_ASSERT_EQUAL(e->lead.time.clock, SR_CLOCK_NONE);
	sr_batch_free(&b);
}

static void events_survive_growth_and_reset_reuses_the_array(void)
{
	struct sr_batch b;
	size_t i, bad = 0, cap;

	CU_ASSERT_EQUAL_FATAL(sr_batch_init(&b, NULL), SR_OK);
	for (i = 0; i < 5000; i++) {
		struct sr_event *e = sr_batch_push(&b);

		CU_ASSERT_PTR_NOT_NULL_FATAL(e);
		e->line = i + 1;
	}
	for (i = 0; i < 5000; i++)
		bad += b.ev[i].line != i + 1;
	CU_ASSERT_EQUAL(bad, 0);
	cap = b.cap;
	b.lines = 5000;
	CU_ASSERT_PTR_NOT_NULL(sr_arena_alloc(b.arena, 100));
	sr_batch_reset(&b);
	CU_ASSERT_EQUAL(b.n, 0);
	CU_ASSERT_EQUAL(b.lines, 0);
	CU_ASSERT_EQUAL(b.cap, cap);
	CU_ASSERT_EQUAL(sr_arena_used(b.arena), 0);
	sr_batch_free(&b);
	CU_ASSERT_PTR_NULL(b.ev);
	sr_batch_free(&b); /* a zeroed batch is fine */
}

static void counts_account_for_every_line(void)
{
	struct sr_batch b;
	struct sr_counts c;
	struct sr_event *e;

	memset(&c, 0, sizeof(c));
	CU_ASSERT_EQUAL_FATAL(sr_batch_init(&b, NULL), SR_OK);
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->natt = 2;
	e = sr_batch_push(&b);
	e->kind = SR_E_SYSCALL;
	e->flags = SR_EF_VERBATIM;
	e = sr_batch_push(&b);
	e->kind = SR_E_UNPARSED;
	e = sr_batch_push(&b);
	e->kind = SR_E_EXIT;
	b.lines = 6;

	sr_counts_add(&c, &b);
	sr_counts_add(&c, &b);
	CU_ASSERT_EQUAL(c.lines, 12);
	CU_ASSERT_EQUAL(c.events, 6);
	CU_ASSERT_EQUAL(c.unparsed, 2);
	CU_ASSERT_EQUAL(c.verbatim, 2);
	CU_ASSERT_EQUAL(c.attached, 4);
	CU_ASSERT_EQUAL(c.by_kind[SR_E_SYSCALL], 4);
	CU_ASSERT_EQUAL(c.by_kind[SR_E_UNPARSED], 2);
	CU_ASSERT_EQUAL(c.by_kind[SR_E_EXIT], 2);
	CU_ASSERT_EQUAL(c.lines, c.events + c.unparsed + c.attached);
	sr_batch_free(&b);
}

static void kinds_have_their_json_names(void)
{
	CU_ASSERT_STRING_EQUAL(sr_ekind_name(SR_E_SYSCALL), "syscall");
	CU_ASSERT_STRING_EQUAL(sr_ekind_name(SR_E_SUPERSEDED), "superseded");
	CU_ASSERT_STRING_EQUAL(sr_ekind_name(SR_E_UNPARSED), "unparsed");
	CU_ASSERT_STRING_EQUAL(sr_ekind_name(0), "unknown");
	CU_ASSERT_STRING_EQUAL(sr_ekind_name(SR_E__COUNT), "unknown");
	CU_ASSERT_STRING_EQUAL(sr_vkind_name(SR_V_INT), "int");
	CU_ASSERT_STRING_EQUAL(sr_vkind_name(SR_V_CHANGED), "changed");
	CU_ASSERT_STRING_EQUAL(sr_vkind_name(SR_V_INDEX), "index");
	CU_ASSERT_STRING_EQUAL(sr_vkind_name(SR_V_INDEX + 1), "unknown");
}

/* issue 22: an output attachment with an empty text (a NULL view, as the pb
 * and msgpack readers give one) was NULL + 0 in the line count and
 * memcpy(NULL, 0) in the strace printer: undefined behaviour that UBSan
 * reports.  The writer's output is the event's line alone. */
static void empty_output_attachments_are_defined(void)
{
	struct sr_intern *atoms = sr_intern_new();
	struct sr_attach att[1] = { { .kind = SR_A_OUTPUT } };
	struct sr_counts c = { 0 };
	struct sr_batch b;
	struct sr_event *e;
	struct sr_sink *sink = NULL;
	struct sr_writer *w = NULL;
	const struct sr_writer_class *wc = sr_writer_find("strace");
	char path[] = "/tmp/sysrep-test-att-XXXXXX", got[64] = { 0 };
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(atoms && wc && fd >= 0);
	CU_ASSERT_EQUAL_FATAL(sr_batch_init(&b, atoms), SR_OK);
	e = sr_batch_push(&b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	e->kind = SR_E_EXIT;
	e->att = att;
	e->natt = 1;
	b.lines = sr_event_lines(e);
	/* the empty output stands for no line of its own */
	CU_ASSERT_EQUAL(b.lines, 1);
	sr_counts_add(&c, &b);
	CU_ASSERT_EQUAL(c.lines, c.events + c.unparsed + c.attached);
	CU_ASSERT_EQUAL_FATAL(sr_sink_open(&sink, path, NULL), SR_OK);
	CU_ASSERT_EQUAL_FATAL(wc->open(&w, sink, NULL, NULL), SR_OK);
	CU_ASSERT_EQUAL(wc->write(w, &b, NULL), SR_OK);
	CU_ASSERT_EQUAL(wc->finish(w, NULL), SR_OK);
	wc->close(w);
	CU_ASSERT_EQUAL(sr_sink_close(sink, NULL), SR_OK);
	close(fd);
	/* the sink wrote a new file in its place (atomically) */
	fd = open(path, O_RDONLY);
	CU_ASSERT(fd >= 0 && read(fd, got, sizeof(got) - 1) > 0);
	CU_ASSERT_STRING_EQUAL(got, "+++ exited with 0 +++\n");
	close(fd);
	unlink(path);
	sr_batch_free(&b);
	sr_intern_free(atoms);
}

static CU_TestInfo cases[] = {
	{ "push gives a zeroed event with unknown pid and nr", push_gives_a_zeroed_event_with_unknown_pid_and_nr },
	{ "events survive growth and reset keeps the array", events_survive_growth_and_reset_reuses_the_array },
	{ "counts account for every line", counts_account_for_every_line },
	{ "empty output attachments are counted and printed without undefined behaviour",
	  empty_output_attachments_are_defined },
	{ "event and value kinds have their JSON names", kinds_have_their_json_names },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_batch = { .name = "batch", .cases = cases };
