/*
 * sr_test.h - how a unit-test file hands its cases to tests/test_main.c.
 *
 * tests/test_<unit>.c defines its cases as static functions, lists them
 * in a CU_TestInfo array ended by CU_TEST_INFO_NULL, and exports
 *
 *	const struct sr_test_suite sr_suite_<unit> = { .name = "<unit>", .cases = cases };
 *
 * then adds the line SR_SUITE(<unit>) to tests/suites.def.  A suite that
 * needs set-up (a temporary directory, say) also fills init and cleanup.
 * Case names read as sentences: "arena keeps 8-byte alignment".
 */
#ifndef SR_TEST_H
#define SR_TEST_H

#include <CUnit/CUnit.h>

struct sr_test_suite {
	const char *name;
	CU_TestInfo *cases; /* NULL-terminated (CU_TEST_INFO_NULL) */
	/* Optional, run before the first and after the last case; a
	 * non-zero return from init fails the suite. */
	CU_InitializeFunc init;
	CU_CleanupFunc cleanup;
};

#endif /* SR_TEST_H */
