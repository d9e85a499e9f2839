/* runtests.c: the CUnit runner of the book.
 *
 *   runtests [PROGRAM:DATA,DATA,... ...]
 *
 * Registers every suite_NAME function that the Makefile found in
 * tests/test_*.c (listed in suites.h), then a smoke suite for each chapter
 * program named on the command line with the data files its figures read.
 * Exits with the number of failed tests (capped), never 0 after a failure.
 */
#include <CUnit/Basic.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>

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
    CU_basic_run_tests();
    const unsigned run = CU_get_number_of_tests_run();
    const unsigned failed = CU_get_number_of_tests_failed();
    const unsigned failures = CU_get_number_of_failures();
    CU_cleanup_registry();
    printf("\n%u passed, %u failed\n", run - failed, failed);
    return failed || failures ? 1 : 0;
}
