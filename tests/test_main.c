/*
 * test_main.c - runs the unit-test suites listed in tests/suites.def.
 *
 *	build/test_sysrep           every suite
 *	build/test_sysrep arena     only the named suites
 *
 * Exits 0 when every case passed, 1 on any failure or CUnit error.
 */
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "sr_test.h"

#define SR_SUITE(x) extern const struct sr_test_suite sr_suite_##x;
#include "suites.def"
#undef SR_SUITE

static const struct sr_test_suite *const suites[] = {
#define SR_SUITE(x) &sr_suite_##x,
#include "suites.def"
#undef SR_SUITE
	NULL
};

static int wanted(const char *name, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return 1;
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const struct sr_test_suite *const *s;
	unsigned failures, suite_failures;
	int added = 0;

	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "test_sysrep: %s\n", CU_get_error_msg());
		return 1;
	}
	for (s = suites; *s; s++) {
		CU_pSuite suite;
		CU_TestInfo *t;

		if (!wanted((*s)->name, argc, argv))
			continue;
		suite = CU_add_suite((*s)->name, (*s)->init, (*s)->cleanup);
		if (!suite)
			goto cunit_error;
		for (t = (*s)->cases; t->pName; t++)
			if (!CU_add_test(suite, t->pName, t->pTestFunc))
				goto cunit_error;
		added++;
	}
	if (!added) {
		fprintf(stderr, "test_sysrep: no suite matches\n");
		CU_cleanup_registry();
		return 1;
	}

	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS)
		goto cunit_error;
	/* read the results before the cleanup frees them */
	failures = CU_get_number_of_failures();
	suite_failures = CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return failures || suite_failures ? 1 : 0;

cunit_error:
	fprintf(stderr, "test_sysrep: %s\n", CU_get_error_msg());
	CU_cleanup_registry();
	return 1;
}
