/*
 * test_msgpack.c - the spelled MessagePack form, -O record=spelling
 * (formats/msgpack/out_msgpack.c, formats/msgpack/in_msgpack.c), read back
 * by the format's reader, which tells the two forms apart: hand-built
 * events through a file and back, field by field; the stream's framing and
 * magic; cut and corrupt streams (tests/wire_test.h has the cases).  The
 * semantic form is tests/test_msgpack_sem.c's.
 */
#include "wire_test.h"

#include "sr_test.h"

extern const struct sr_writer_class sr_out_msgpack_spelled; /* -O record=spelling */
extern const struct sr_reader_class sr_in_msgpack;

/* map16 of 19 entries, then "sysrep": "msgpack" */
static void mp_head(const unsigned char *head, size_t n)
{
	(void)n;
	CU_ASSERT(head[0] == 0xde && head[1] == 0 && head[2] == 19);
	CU_ASSERT(memcmp(head + 3, "\xa6sysrep\xa7msgpack", 15) == 0);
}

static const struct wt_format msgpack = {
	.wc = &sr_out_msgpack_spelled,
	.rc = &sr_in_msgpack,
	.head_min = 16,
	.head = mp_head,
	.not_mine = "\x81\xa4type\xa7syscall",
	.n_not_mine = 14,
	.empty = "byte=0: expected the header map",
	/* {"s": 5} */
	.bad_ref = "\x81\xa1s\x05",
	.n_bad_ref = 4,
};

WT_CASES(msgpack);

const struct sr_test_suite sr_suite_msgpack = { .name = "msgpack", .cases = cases };
