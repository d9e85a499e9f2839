/* runtests.c: the CUnit runner of the book.
 *
 *   runtests [PROGRAM:DATA,DATA,... ...]
 *
 * Registers every suite_NAME function that the Makefile found in
 * tests/test_*.c (listed in suites.h), then a smoke suite for each chapter
 * program named on the command line with the data files its figures read.
 * TEST_SUITES=a,b (in the environment) runs only the suites whose names
 * contain one of the words a, b (for a quick look at one module);
 * TEST_SKIP=c,d skips the suites whose names contain c or d.
 * Every test prints its wall-clock time, and the run ends with the
 * slowest tests, so that a slow suite is found by reading, not guessing.
 * Exits 1 after any failure, never 0.
 */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/Basic.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smoke.h"

#define SUITE(name) void name(void);
#define BENCH(name)
#include "suites.h"
#undef SUITE

/* Does the suite's name contain one of the comma-separated words? */
static int named(const char *name, const char *words)
{
    char w[512];
    snprintf(w, sizeof w, "%s", words);
    for (char *t = strtok(w, ","); t; t = strtok(NULL, ","))
        if (strstr(name, t))
            return 1;
    return 0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The runner's own reports: CUnit's basic interface, with times. */
enum { NSLOW = 8 };
static struct { double seconds; char name[160]; } slowest[NSLOW];
static double started, test_started;

static void on_suite(const CU_pSuite s)
{
    if (s->fActive)
        printf("Suite: %s\n", s->pName);
}

static void on_test(const CU_pTest t, const CU_pSuite s)
{
    (void)s;
    printf("  Test: %s ...", t->pName);
    fflush(stdout);
    test_started = now();
}

static void on_done(const CU_pTest t, const CU_pSuite s,
                    const CU_pFailureRecord f)
{
    const double dt = now() - test_started;
    printf(f ? "FAILED (%.1f s)\n" : "passed (%.1f s)\n", dt);
    for (CU_pFailureRecord g = f; g; g = g->pNext)
        printf("    %s:%u: %s\n", g->strFileName, g->uiLineNumber,
               g->strCondition);
    int k = NSLOW - 1;
    if (dt <= slowest[k].seconds)
        return;
    for (; k > 0 && slowest[k - 1].seconds < dt; k--)
        slowest[k] = slowest[k - 1];
    slowest[k].seconds = dt;
    snprintf(slowest[k].name, sizeof slowest[k].name, "%s: %s",
             s->pName, t->pName);
}

static void on_init_failed(const CU_pSuite s)
{
    printf("Suite %s: its set-up FAILED, its tests did not run\n", s->pName);
}

static void on_cleanup_failed(const CU_pSuite s)
{
    printf("Suite %s: its clean-up FAILED\n", s->pName);
}

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
    CU_set_fail_on_inactive(CU_FALSE);
    const char *only = getenv("TEST_SUITES"), *skip = getenv("TEST_SKIP");
    for (CU_pSuite s = CU_get_registry()->pSuite; s; s = s->pNext)
        CU_set_suite_active(s, (!only || !*only || named(s->pName, only))
                                   && !(skip && *skip && named(s->pName, skip)));
    CU_set_suite_start_handler(on_suite);
    CU_set_test_start_handler(on_test);
    CU_set_test_complete_handler(on_done);
    CU_set_suite_init_failure_handler(on_init_failed);
    CU_set_suite_cleanup_failure_handler(on_cleanup_failed);
    started = now();
    if (CU_run_all_tests() != CUE_SUCCESS)
        fprintf(stderr, "runtests: %s\n", CU_get_error_msg());
    printf("\nslowest tests:\n");
    for (int k = 0; k < NSLOW && slowest[k].name[0]; k++)
        printf("  %6.1f s  %s\n", slowest[k].seconds, slowest[k].name);
    const unsigned run = CU_get_number_of_tests_run();
    const unsigned failed = CU_get_number_of_tests_failed();
    const unsigned failures = CU_get_number_of_failures();
    const unsigned inits = CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    printf("\n%u passed, %u failed, in %.0f s\n", run - failed, failed,
           now() - started);
    if (inits)
        printf("%u suites could not be set up\n", inits);
    return failed || failures || inits ? 1 : 0;
}
