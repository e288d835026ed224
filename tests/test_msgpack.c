/*
 * test_msgpack.c - the MessagePack writer and reader (formats/msgpack/out_msgpack.c,
 * formats/msgpack/in_msgpack.c): hand-built events through a file and back, field by
 * field; the stream's framing and magic; cut and corrupt streams.
 */
#include "wire_test.h"

#include "sr_test.h"

extern const struct sr_writer_class sr_out_msgpack;
extern const struct sr_reader_class sr_in_msgpack;

static void every_field_survives_a_round_trip(void)
{
	struct wt t = { 0 };
	struct sr_error err = { 0 };
	size_t n;

	wt_build(&t);
	wt_write(&t, &sr_out_msgpack);
	CU_ASSERT_EQUAL(wt_read(&t, &sr_in_msgpack, t.path, true, &n, &err), SR_END);
	CU_ASSERT_EQUAL(n, t.in.n);
	wt_free(&t);
}

static void stream_starts_with_a_header_map_and_its_key(void)
{
	struct wt t = { 0 };
	unsigned char head[64];
	FILE *f;
	size_t n;

	wt_build(&t);
	wt_write(&t, &sr_out_msgpack);
	f = fopen(t.path, "rb");
	CU_ASSERT_FATAL(f != NULL);
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	CU_ASSERT_FATAL(n > 16);
	/* map16 of 19 entries, then "sysrep": "msgpack" */
	CU_ASSERT(head[0] == 0xde && head[1] == 0 && head[2] == 19);
	CU_ASSERT(memcmp(head + 3, "\xa6sysrep\xa7msgpack", 15) == 0);
	CU_ASSERT_EQUAL(sr_in_msgpack.probe(head, n), 100);
	CU_ASSERT(sr_reader_detect(head, n) == &sr_in_msgpack);
	CU_ASSERT_EQUAL(sr_in_msgpack.probe("\x81\xa4type\xa7syscall", 14), 0);
	wt_free(&t);
}

static void an_empty_run_still_writes_a_header(void)
{
	struct wt t = { 0 };
	struct sr_error err = { 0 };
	size_t n;

	wt_build(&t);
	t.in.n = 0;
	wt_write(&t, &sr_out_msgpack);
	CU_ASSERT_EQUAL(wt_read(&t, &sr_in_msgpack, t.path, false, &n, &err), SR_END);
	CU_ASSERT_EQUAL(n, 0);
	wt_free(&t);
}

static void cut_and_corrupt_streams_fail_cleanly(void)
{
	struct wt t = { 0 };

	wt_build(&t);
	wt_write(&t, &sr_out_msgpack);
	wt_damage(&t, &sr_in_msgpack);
	wt_free(&t);
}

static void an_empty_file_is_a_parse_error_at_byte_0(void)
{
	struct wt t = { 0 };
	struct sr_error err = { 0 };
	FILE *f;
	size_t n;

	wt_build(&t);
	wt_write(&t, &sr_out_msgpack);
	f = fopen(t.path, "wb");
	CU_ASSERT_FATAL(f != NULL);
	fclose(f);
	CU_ASSERT_EQUAL(wt_read(&t, &sr_in_msgpack, t.path, false, &n, &err), SR_ERR_PARSE);
	CU_ASSERT(strstr(err.msg, "byte=0: expected the header map") != NULL);
	wt_free(&t);
}

static CU_TestInfo cases[] = {
	{ "every field survives a round trip", every_field_survives_a_round_trip },
	{ "stream starts with a header map and its key",
	  stream_starts_with_a_header_map_and_its_key },
	{ "an empty run still writes a header", an_empty_run_still_writes_a_header },
	{ "cut and corrupt streams fail cleanly", cut_and_corrupt_streams_fail_cleanly },
	{ "an empty file is a parse error at byte 0", an_empty_file_is_a_parse_error_at_byte_0 },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_msgpack = { .name = "msgpack", .cases = cases };
