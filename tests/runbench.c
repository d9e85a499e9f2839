/* runbench.c: `make bench`.  Calls every bench_NAME function found in
 * tests/bench_*.c.  Benchmarks measure and print; they never fail on a
 * time.  Each reports ratios against a reference measured in the same
 * process, so that the numbers mean something on any machine. */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUITE(name)
#define BENCH(name) void name(void);
#include "suites.h"
#undef BENCH

/* BENCH_ONLY=word runs only the benchmarks whose name contains word. */
int main(void)
{
    const char *only = getenv("BENCH_ONLY");
    gsl_set_error_handler_off();
#define BENCH(name) if (!only || strstr(#name, only)) name();
#include "suites.h"
    return 0;
}
