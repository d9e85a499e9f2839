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
 * Suites run in parallel, each in a process of its own, TEST_JOBS at a
 * time (default: the number of cores); a suite's report is printed whole
 * when it ends, and a suite that crashes is a failure, not the end of the
 * run.  Exits 1 after any failure, never 0.
 */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/Basic.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* Remembers a test's time among the slowest. */
static void note_time(double dt, const char *name);

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
    char name[160];
    snprintf(name, sizeof name, "%s: %s", s->pName, t->pName);
    note_time(dt, name);
}

static void note_time(double dt, const char *name)
{
    int k = NSLOW - 1;
    if (dt <= slowest[k].seconds)
        return;
    for (; k > 0 && slowest[k - 1].seconds < dt; k--)
        slowest[k] = slowest[k - 1];
    slowest[k].seconds = dt;
    snprintf(slowest[k].name, sizeof slowest[k].name, "%s", name);
}

static void on_init_failed(const CU_pSuite s)
{
    printf("Suite %s: its set-up FAILED, its tests did not run\n", s->pName);
}

static void on_cleanup_failed(const CU_pSuite s)
{
    printf("Suite %s: its clean-up FAILED\n", s->pName);
}

/* The counts of a run: tests run, tests failed, failed assertions,
   suites whose set-up failed or that crashed. */
typedef struct { unsigned run, failed, failures, inits; } counts;

static counts run_active(void)
{
    if (CU_run_all_tests() != CUE_SUCCESS)
        fprintf(stderr, "runtests: %s\n", CU_get_error_msg());
    return (counts){CU_get_number_of_tests_run(),
                    CU_get_number_of_tests_failed(),
                    CU_get_number_of_failures(),
                    CU_get_number_of_suites_failed()};
}

/* In a child: runs suite s alone, its report into log, and ends the log
   with a line of counts and one line per test time, for the parent. */
static void child(CU_pSuite s, FILE *log)
{
    fflush(stdout), fflush(stderr);
    dup2(fileno(log), STDOUT_FILENO), dup2(fileno(log), STDERR_FILENO);
    setvbuf(stdout, NULL, _IONBF, 0);   /* in order with stderr */
    memset(slowest, 0, sizeof slowest); /* the parent's, from earlier suites */
    for (CU_pSuite o = CU_get_registry()->pSuite; o; o = o->pNext)
        CU_set_suite_active(o, o == s);
    const counts c = run_active();
    printf("@@ %u %u %u %u\n", c.run, c.failed, c.failures, c.inits);
    for (int k = 0; k < NSLOW && slowest[k].name[0]; k++)
        printf("@@t %.3f %s\n", slowest[k].seconds, slowest[k].name);
    fflush(stdout);
    _exit(0);
}

typedef struct { pid_t pid; FILE *log; CU_pSuite s; } job;

/* Prints a finished child's report and adds its counts to c; a child
   that died or left no counts is one crashed suite. */
static void reap(job *j, int status, counts *c)
{
    char line[1024];
    int complete = 0;
    rewind(j->log);
    while (fgets(line, sizeof line, j->log)) {
        counts d;
        double dt;
        int at = 0;
        if (sscanf(line, "@@ %u %u %u %u", &d.run, &d.failed, &d.failures,
                   &d.inits) == 4) {
            c->run += d.run, c->failed += d.failed;
            c->failures += d.failures, c->inits += d.inits;
            complete = 1;
        } else if (sscanf(line, "@@t %lf %n", &dt, &at) == 1 && at > 0) {
            line[strcspn(line, "\n")] = '\0';
            note_time(dt, line + at);
        } else
            fputs(line, stdout);
    }
    if (!complete || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("\nSuite %s: CRASHED", j->s->pName);
        if (WIFSIGNALED(status))
            printf(" (signal %d)", WTERMSIG(status));
        printf("; its report ends above\n");
        c->inits += 1;
    }
    fflush(stdout);
    fclose(j->log);
    j->pid = 0;
}

/* Runs the active suites, each in a child, at most jobs at a time. */
static counts run_parallel(long jobs)
{
    enum { MAXSUITES = 256, MAXJOBS = 64 };
    CU_pSuite todo[MAXSUITES];
    int n = 0;
    /* the suites that run chapter programs take longest: they start
       first, so that the short ones fill the gaps at the end */
    for (int slow = 1; slow >= 0; slow--)
        for (CU_pSuite s = CU_get_registry()->pSuite; s; s = s->pNext)
            if (s->fActive && n < MAXSUITES
                && slow == (strncmp(s->pName, "ch", 2) == 0
                            || strncmp(s->pName, "smoke", 5) == 0))
                todo[n++] = s;
    job slot[MAXJOBS] = {{0}};
    jobs = jobs > MAXJOBS ? MAXJOBS : jobs;
    counts c = {0};
    for (int next = 0, running = 0; next < n || running > 0;) {
        if (next < n && running < jobs) {
            job *j = slot;
            while (j->pid)
                j++;
            j->s = todo[next++];
            fflush(stdout), fflush(stderr);
            if (!(j->log = tmpfile()) || (j->pid = fork()) < 0) {
                fprintf(stderr, "runtests: cannot start suite %s\n",
                        j->s->pName);
                c.inits += 1;
                if (j->log)
                    fclose(j->log);
                j->pid = 0;
                continue;
            }
            if (j->pid == 0)
                child(j->s, j->log);
            running++;
            continue;
        }
        int status;
        const pid_t done = wait(&status);
        if (done < 0)
            break;
        for (job *j = slot; j < slot + jobs; j++)
            if (j->pid == done)
                reap(j, status, &c), running--;
    }
    return c;
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
    const char *jobs_env = getenv("TEST_JOBS");
    const long jobs = jobs_env && *jobs_env ? atol(jobs_env)
                                            : sysconf(_SC_NPROCESSORS_ONLN);
    const counts c = jobs > 1 ? run_parallel(jobs) : run_active();
    printf("\nslowest tests:\n");
    for (int k = 0; k < NSLOW && slowest[k].name[0]; k++)
        printf("  %6.1f s  %s\n", slowest[k].seconds, slowest[k].name);
    CU_cleanup_registry();
    printf("\n%u passed, %u failed, in %.0f s\n", c.run - c.failed, c.failed,
           now() - started);
    if (c.inits)
        printf("%u suites could not be set up or crashed\n", c.inits);
    return c.failed || c.failures || c.inits ? 1 : 0;
}
