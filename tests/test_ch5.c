/* test_ch5.c: chapter 5's claims and exercises, run through the chapter
 * program (--quick, plus the knobs each exercise gives).
 *
 * - the default quick run: learning lowers the held-out energy and
 *   orients the atoms (random atoms are not oriented); FISTA reaches the
 *   gap before ISTA, coordinate descent the tolerance before FISTA; the
 *   gradient error of codes at the learning tolerance is below the
 *   batch-to-batch noise; re-seeding leaves no more unused atoms than
 *   learning without it; the sparse code is mostly zeros and heavier
 *   tailed than PCA's;
 * - every exercise's command moves its numbers the way it predicts. */
#include <math.h>
#include <CUnit/CUnit.h>

#include "smoke.h"

static chapter_run base;
static int base_status = -2;

static int run5(const char *const args[], chapter_run *r)
{
    const int status = chapter_run_args(5, args, r);
    CU_ASSERT_EQUAL(status, 0);
    return status;
}

static const chapter_run *base_run(void)
{
    if (base_status == -2) {
        const char *const args[] = {NULL};
        base_status = run5(args, &base);
    }
    return base_status == 0 ? &base : NULL;
}

static int free_base(void)
{
    if (base_status == 0)
        chapter_run_free(&base);
    base_status = -2;
    return 0;
}

static double v(const chapter_run *r, const char *key)
{
    return chapter_value(r, key);
}

static void test_default_claims(void)
{
    const chapter_run *r = base_run();
    if (!r)
        return;
    CU_ASSERT(v(r, "ch5-held-after") < v(r, "ch5-held-before"));
    CU_ASSERT(v(r, "ch5-oriented-photos") > 50);
    CU_ASSERT(v(r, "ch5-oriented-leaves") > 50);
    CU_ASSERT(v(r, "ch5-oriented-random") < 20);
    CU_ASSERT(v(r, "ch5-spread-photos") < v(r, "ch5-spread-random"));
    CU_ASSERT(v(r, "ch5-fista-gap") < v(r, "ch5-ista-gap"));
    CU_ASSERT(v(r, "ch5-cd-tol") < v(r, "ch5-fista-tol"));
    CU_ASSERT(v(r, "ch5-grad-err-2") < v(r, "ch5-grad-noise"));
    CU_ASSERT(v(r, "ch5-grad-err-2") < v(r, "ch5-grad-err-1"));
    CU_ASSERT(v(r, "ch5-unused-end-on") <= v(r, "ch5-unused-end-off"));
    CU_ASSERT(v(r, "ch5-zeros") > 50);
    CU_ASSERT(v(r, "ch5-kurt-sparse") > v(r, "ch5-kurt-pca"));
}

/* Exercise 1: a larger lambda, fewer active coefficients, more zeros,
   a larger error; a smaller one the other way. */
static void test_exercise_lambda(void)
{
    const chapter_run *r = base_run();
    chapter_run lo, hi;
    const char *const a_lo[] = {"--lambda", "0.1", NULL},
                      *a_hi[] = {"--lambda", "1", NULL};
    if (!r || run5(a_lo, &lo) != 0)
        return;
    if (run5(a_hi, &hi) == 0) {
        CU_ASSERT(v(&hi, "ch5-held-active-after")
                  < v(r, "ch5-held-active-after"));
        CU_ASSERT(v(r, "ch5-held-active-after")
                  < v(&lo, "ch5-held-active-after"));
        CU_ASSERT(v(&lo, "ch5-zeros") < v(r, "ch5-zeros"));
        CU_ASSERT(v(r, "ch5-zeros") < v(&hi, "ch5-zeros"));
        CU_ASSERT(v(&lo, "ch5-held-error-after")
                  < v(r, "ch5-held-error-after"));
        CU_ASSERT(v(r, "ch5-held-error-after")
                  < v(&hi, "ch5-held-error-after"));
        chapter_run_free(&hi);
    }
    chapter_run_free(&lo);
}

/* Exercise 2: twice the Euler step, fewer steps to the gap. */
static void test_exercise_dt(void)
{
    const chapter_run *r = base_run();
    chapter_run d;
    const char *const args[] = {"--dt", "0.2", NULL};
    if (!r || run5(args, &d) != 0)
        return;
    CU_ASSERT(v(&d, "ch5-lca-gap") < v(r, "ch5-lca-gap"));
    chapter_run_free(&d);
}

/* Exercise 3: without whitening the atoms spread wider. */
static void test_exercise_no_whiten(void)
{
    const chapter_run *r = base_run();
    chapter_run d;
    const char *const args[] = {"--no-whiten", NULL};
    if (!r || run5(args, &d) != 0)
        return;
    CU_ASSERT(v(&d, "ch5-spread-photos") > v(r, "ch5-spread-photos"));
    chapter_run_free(&d);
}

/* Exercise 4: fewer steps (a sixth of the quick run's), a higher
   held-out energy. */
static void test_exercise_steps(void)
{
    const chapter_run *r = base_run();
    chapter_run d;
    const char *const args[] = {"--steps", "10", NULL};
    if (!r || run5(args, &d) != 0)
        return;
    CU_ASSERT(v(&d, "ch5-held-after") > v(r, "ch5-held-after"));
    chapter_run_free(&d);
}

/* Exercise 5: sloppy codes (--tol 0.3) learn nearly as well: the
   held-out energy within 5% of the book's tolerance's. */
static void test_exercise_tol(void)
{
    const chapter_run *r = base_run();
    chapter_run d;
    const char *const args[] = {"--tol", "0.3", NULL};
    if (!r || run5(args, &d) != 0)
        return;
    CU_ASSERT(fabs(v(&d, "ch5-held-after") - v(r, "ch5-held-after"))
              < 0.05 * v(r, "ch5-held-after"));
    chapter_run_free(&d);
}

void suite_ch5(void)
{
    CU_pSuite s = CU_add_suite("ch5", NULL, free_base);
    CU_add_test(s, "default run: learning, solvers, tolerance, codes",
                test_default_claims);
    CU_add_test(s, "exercise --lambda 0.1 / 1: activity, zeros, error",
                test_exercise_lambda);
    CU_add_test(s, "exercise --dt 0.2: LCA needs fewer steps",
                test_exercise_dt);
    CU_add_test(s, "exercise --no-whiten: the atoms spread wider",
                test_exercise_no_whiten);
    CU_add_test(s, "exercise --steps 10: a higher held-out energy",
                test_exercise_steps);
    CU_add_test(s, "exercise --tol 0.3: nearly the same held-out energy",
                test_exercise_tol);
}
