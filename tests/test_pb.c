/*
 * test_pb.c - the Protocol Buffers writer and reader (formats/pb/out_pb.c,
 * formats/pb/in_pb.c): hand-built events through a file and back, field by
 * field; the stream's framing and magic; cut and corrupt streams
 * (tests/wire_test.h has the cases).
 */
#include "wire_test.h"

#include "sr_test.h"

extern const struct sr_writer_class sr_out_pb;
extern const struct sr_reader_class sr_in_pb;

/* varint length, field 1 (LEN), 9 bytes of magic */
static void pb_head(const unsigned char *head, size_t n)
{
	(void)n;
	CU_ASSERT(head[0] < 0x80 && head[1] == 0x0a && head[2] == 9);
	CU_ASSERT(memcmp(head + 3, "sysrep.pb", 9) == 0);
}

static const struct wt_format pb = {
	.wc = &sr_out_pb,
	.rc = &sr_in_pb,
	.head_min = 12,
	.head = pb_head,
	.not_mine = "execve(\"/bin/true\") = 0\n",
	.n_not_mine = 24,
	.empty = "byte=0: expected the Header message",
	/* length 2, field 5 (name_ref, VARINT) = 5 */
	.bad_ref = "\x02\x28\x05",
	.n_bad_ref = 3,
};

WT_CASES(pb);

const struct sr_test_suite sr_suite_pb = { .name = "pb", .cases = cases };
