/*
 * test_pb.c - the Protocol Buffers writer and reader (formats/pb/out_pb.c,
 * formats/pb/in_pb.c): hand-built events through a file and back, field by
 * field; the stream's framing and magic; cut and corrupt streams.
 */
#include "wire_test.h"

#include "sr_test.h"

extern const struct sr_writer_class sr_out_pb;
extern const struct sr_reader_class sr_in_pb;

static void every_field_survives_a_round_trip(void)
{
	struct wt t = { 0 };
	struct sr_error err = { 0 };
	size_t n;

	wt_build(&t);
	wt_write(&t, &sr_out_pb);
	CU_ASSERT_EQUAL(wt_read(&t, &sr_in_pb, t.path, true, &n, &err), SR_END);
	CU_ASSERT_EQUAL(n, t.in.n);
	wt_free(&t);
}

static void stream_starts_with_a_framed_header_and_its_magic(void)
{
	struct wt t = { 0 };
	unsigned char head[64];
	FILE *f;
	size_t n;

	wt_build(&t);
	wt_write(&t, &sr_out_pb);
	f = fopen(t.path, "rb");
	CU_ASSERT_FATAL(f != NULL);
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	CU_ASSERT_FATAL(n > 12);
	/* varint length, field 1 (LEN), 9 bytes of magic */
	CU_ASSERT(head[0] < 0x80 && head[1] == 0x0a && head[2] == 9);
	CU_ASSERT(memcmp(head + 3, "sysrep.pb", 9) == 0);
	CU_ASSERT_EQUAL(sr_in_pb.probe(head, n), 100);
	CU_ASSERT(sr_reader_detect(head, n) == &sr_in_pb);
	CU_ASSERT_EQUAL(sr_in_pb.probe("execve(\"/bin/true\") = 0\n", 24), 0);
	wt_free(&t);
}

static void an_empty_run_still_writes_a_header(void)
{
	struct wt t = { 0 };
	struct sr_error err = { 0 };
	size_t n;

	wt_build(&t);
	t.in.n = 0;
	wt_write(&t, &sr_out_pb);
	CU_ASSERT_EQUAL(wt_read(&t, &sr_in_pb, t.path, false, &n, &err), SR_END);
	CU_ASSERT_EQUAL(n, 0);
	wt_free(&t);
}

static void cut_and_corrupt_streams_fail_cleanly(void)
{
	struct wt t = { 0 };

	wt_build(&t);
	wt_write(&t, &sr_out_pb);
	wt_damage(&t, &sr_in_pb);
	wt_free(&t);
}

static void an_empty_file_is_a_parse_error_at_byte_0(void)
{
	struct wt t = { 0 };
	struct sr_error err = { 0 };
	FILE *f;
	size_t n;

	wt_build(&t);
	wt_write(&t, &sr_out_pb);
	f = fopen(t.path, "wb");
	CU_ASSERT_FATAL(f != NULL);
	fclose(f);
	CU_ASSERT_EQUAL(wt_read(&t, &sr_in_pb, t.path, false, &n, &err), SR_ERR_PARSE);
	CU_ASSERT(strstr(err.msg, "byte=0: expected the Header message") != NULL);
	wt_free(&t);
}

static CU_TestInfo cases[] = {
	{ "every field survives a round trip", every_field_survives_a_round_trip },
	{ "stream starts with a framed header and its magic",
	  stream_starts_with_a_framed_header_and_its_magic },
	{ "an empty run still writes a header", an_empty_run_still_writes_a_header },
	{ "cut and corrupt streams fail cleanly", cut_and_corrupt_streams_fail_cleanly },
	{ "an empty file is a parse error at byte 0", an_empty_file_is_a_parse_error_at_byte_0 },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_pb = { .name = "pb", .cases = cases };
