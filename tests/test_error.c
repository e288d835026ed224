/*
 * test_error.c - struct sr_error: filling and formatting.
 */
#include <string.h>

#include "sr_test.h"
#include "sysrep.h"

static void set_returns_code_and_formats_message(void)
{
	struct sr_error err;

	CU_ASSERT_EQUAL(sr_error_set(&err, SR_ERR_PARSE, "cannot parse: expected '%c'", ')'),
			SR_ERR_PARSE);
	CU_ASSERT_EQUAL(err.code, SR_ERR_PARSE);
	CU_ASSERT_STRING_EQUAL(err.msg, "cannot parse: expected ')'");
}

static void set_accepts_null(void)
{
	CU_ASSERT_EQUAL(sr_error_set(NULL, SR_ERR_IO, "x"), SR_ERR_IO);
	sr_error_file(NULL, "x");
}

static void set_clears_an_old_location(void)
{
	struct sr_error err;

	memset(&err, 0x5a, sizeof(err)); /* as if uninitialised */
	sr_error_set(&err, SR_ERR_IO, "cannot write output: No space left on device");
	CU_ASSERT_STRING_EQUAL(err.file, "");
	CU_ASSERT_EQUAL(err.line, 0);
	CU_ASSERT_EQUAL(err.col, 0);
}

static void location_goes_between_head_and_detail(void)
{
	struct sr_error err;
	char buf[512];

	sr_error_set(&err, SR_ERR_PARSE, "cannot parse: expected ')'");
	sr_error_file(&err, "x.strace");
	err.line = 42;
	err.col = 7;
	CU_ASSERT_STRING_EQUAL(sr_error_format(&err, buf, sizeof(buf)),
			       "cannot parse: file=x.strace line=42 col=7: expected ')'");
}

static void only_the_pairs_that_are_set_are_printed(void)
{
	struct sr_error err;
	char buf[512];

	sr_error_set(&err, SR_ERR_IO, "cannot open input: No such file or directory");
	sr_error_file(&err, "x");
	CU_ASSERT_STRING_EQUAL(sr_error_format(&err, buf, sizeof(buf)),
			       "cannot open input: file=x: No such file or directory");

	sr_error_set(&err, SR_ERR_PARSE, "cannot parse: bad leader");
	err.line = 3;
	CU_ASSERT_STRING_EQUAL(sr_error_format(&err, buf, sizeof(buf)),
			       "cannot parse: line=3: bad leader");
}

static void message_without_detail_gets_location_appended(void)
{
	struct sr_error err;
	char buf[512];

	sr_error_set(&err, SR_ERR_PARSE, "unexpected end of input");
	sr_error_file(&err, "t.strace");
	err.line = 9;
	CU_ASSERT_STRING_EQUAL(sr_error_format(&err, buf, sizeof(buf)),
			       "unexpected end of input: file=t.strace line=9");
}

static void message_without_location_is_printed_as_is(void)
{
	struct sr_error err;
	char buf[512];

	sr_error_set(&err, SR_ERR_USAGE, "unknown format: csvx");
	CU_ASSERT_STRING_EQUAL(sr_error_format(&err, buf, sizeof(buf)), "unknown format: csvx");
}

static void empty_message_falls_back_to_status_text(void)
{
	struct sr_error err;
	char buf[512];

	sr_error_set(&err, SR_ERR_NOMEM, "%s", "");
	CU_ASSERT_STRING_EQUAL(sr_error_format(&err, buf, sizeof(buf)), "out of memory");
}

static void format_truncates_to_the_buffer(void)
{
	struct sr_error err;
	char buf[12];

	sr_error_set(&err, SR_ERR_PARSE, "cannot parse: expected ')'");
	sr_error_file(&err, "x.strace");
	CU_ASSERT_PTR_EQUAL(sr_error_format(&err, buf, sizeof(buf)), buf);
	CU_ASSERT_STRING_EQUAL(buf, "cannot pars");
}

static void every_status_has_a_name(void)
{
	static const enum sr_status all[] = {
		SR_OK, SR_END, SR_ERR_NOMEM, SR_ERR_IO, SR_ERR_PARSE,
		SR_ERR_USAGE, SR_ERR_FORMAT, SR_ERR_UNSUPPORTED,
	};
	size_t i, j;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		CU_ASSERT_STRING_NOT_EQUAL(sr_status_str(all[i]), "unknown status");
		for (j = 0; j < i; j++)
			CU_ASSERT_STRING_NOT_EQUAL(sr_status_str(all[i]), sr_status_str(all[j]));
	}
	CU_ASSERT_STRING_EQUAL(sr_status_str((enum sr_status)-99), "unknown status");
}

static CU_TestInfo cases[] = {
	{ "error_set returns the code and formats the message", set_returns_code_and_formats_message },
	{ "error functions accept a NULL error", set_accepts_null },
	{ "error_set clears a location left from before", set_clears_an_old_location },
	{ "location goes between the message head and its detail", location_goes_between_head_and_detail },
	{ "only the location pairs that are set are printed", only_the_pairs_that_are_set_are_printed },
	{ "a message without detail gets the location appended", message_without_detail_gets_location_appended },
	{ "a message without location is printed as is", message_without_location_is_printed_as_is },
	{ "an empty message falls back to the status text", empty_message_falls_back_to_status_text },
	{ "format truncates to the buffer and NUL-terminates", format_truncates_to_the_buffer },
	{ "every status has a distinct name", every_status_has_a_name },
	CU_TEST_INFO_NULL,
};

const struct sr_test_suite sr_suite_error = { .name = "error", .cases = cases };
