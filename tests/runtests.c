/* runtests.c: the CUnit runner of the book.
 *
 *   runtests [PROGRAM:DATA,DATA,... ...]
 *
 * Registers every suite_NAME function that the Makefile found in
 * tests/test_*.c (listed in suites.h), then a smoke suite for each chapter
 * program named on the command line with the data files its figures read.
 * TEST_SUITES=a,b (in the environment) runs only the suites whose names
 * contain one of the words a, b (for a quick look at one module).
 * Exits with the number of failed tests (capped), never 0 after a failure.
 */
#include <CUnit/Basic.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smoke.h"

#define SUITE(name) void name(void);
#define BENCH(name)
#include "suites.h"
#undef SUITE

int main(int argc, char *argv[])
{
    gsl_set_error_handler_off();
    if (CU_initialize_registry() != CUE_SUCCESS) {
        fprintf(stderr, "runtests: %s\n", CU_get_error_msg());
        return 2;
    }
#define SUITE(name) name();
#include "suites.h"
    for (int i = 1; i < argc; i++)
        smoke_register(argv[i]);
    if (CU_get_error() != CUE_SUCCESS) {
        fprintf(stderr, "runtests: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_set_fail_on_inactive(CU_FALSE);
    const char *only = getenv("TEST_SUITES");
    if (only && *only) {
        for (CU_pSuite s = CU_get_registry()->pSuite; s; s = s->pNext) {
            int keep = 0;
            char words[512];
            snprintf(words, sizeof words, "%s", only);
            for (char *w = strtok(words, ","); w && !keep; w = strtok(NULL, ","))
                keep = strstr(s->pName, w) != NULL;
            CU_set_suite_active(s, keep);
        }
    }
    CU_basic_run_tests();
    const unsigned run = CU_get_number_of_tests_run();
    const unsigned failed = CU_get_number_of_tests_failed();
    const unsigned failures = CU_get_number_of_failures();
    CU_cleanup_registry();
    printf("\n%u passed, %u failed\n", run - failed, failed);
    return failed || failures ? 1 : 0;
}
