/* test_ch5.c: chapter 5's claims and exercises, run through the chapter
 * program with --quick plus the knobs each exercise gives (the exercise's
 * command exactly, made small).
 *
 * - the default quick run: learning lowers the held-out energy and
 *   orients and narrows the atoms (random atoms are not oriented); FISTA
 *   reaches the gap before ISTA, both then faster than 1/k^2, coordinate
 *   descent the tolerance before FISTA, and subgradient descent never;
 *   some LCA neurons are explained away; the gradient error of codes at the learning tolerance is below the
 *   batch-to-batch noise; re-seeding leaves no more unused atoms than
 *   learning without it, which sees the same batches; subgradient descent
 *   still falls, slower than 1/k; whitening flattens the spectra without
 *   making them flat; the sparse code is mostly zeros and heavier tailed than
 *   PCA's;
 * - every exercise's command moves its numbers the way it predicts. */
#include <math.h>
#include <stdio.h>
#include <CUnit/CUnit.h>

#include "smoke.h"

/* The local log-log slope of block b of the run's ch5-inference.dat
   between the first iteration k whose gap is at most 1e-3 and 2k: the
   exponent of a power law k^slope through those two points.  NAN when
   the gap never gets there. */
static double gap_slope(const chapter_run *r, int b)
{
    char path[300];
    snprintf(path, sizeof path, "%s/ch5-inference.dat", r->dir);
    FILE *f = fopen(path, "r");
    double gap[4096], k, g;
    size_t n = 0;
    int block = 0, blank = 0;
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        if (sscanf(line, "%lf %lf", &k, &g) != 2) {
            if (++blank == 2)
                block++, blank = 0;
            continue;
        }
        blank = 0;
        if (block == b && (size_t)k == n && n < 4096)
            gap[n++] = g;
    }
    if (f)
        fclose(f);
    for (size_t i = 1; 2 * i < n; i++)
        if (gap[i] <= 1e-3)
            return log(gap[2 * i] / gap[i]) / log(2.0);
    return NAN;
}

/* Column c (from 0) of the row whose first column is k in block b of the
   run's data file name; NAN when there is none. */
static double table_cell(const chapter_run *r, const char *name, int b,
                         double k, int c)
{
    char path[300], line[512];
    snprintf(path, sizeof path, "%s/%s", r->dir, name);
    FILE *f = fopen(path, "r");
    int block = 0, blank = 0;
    double found = NAN;
    while (f && isnan(found) && fgets(line, sizeof line, f)) {
        double x[8];
        const int n = sscanf(line, "%lf %lf %lf %lf %lf %lf %lf %lf",
                             &x[0], &x[1], &x[2], &x[3], &x[4], &x[5],
                             &x[6], &x[7]);
        if (line[0] == '#')
            continue;
        if (n < 1) {
            if (++blank == 2)
                block++, blank = 0;
            continue;
        }
        blank = 0;
        if (block == b && x[0] == k && c < n)
            found = x[c];
    }
    if (f)
        fclose(f);
    return found;
}

/* The run without re-seeding sees the batches of the run with it: their
   learning curves agree exactly until the first re-seeding (step 9),
   and the measures of their atoms agree when re-seeding never acted. */
static void test_reseed_same_batches(void)
{
    const chapter_run *r = chapter_base(5);
    if (!r)
        return;
    for (int k = 0; k < 10; k++) {
        const double on = table_cell(r, "ch5-learning.dat", 0, k, 1),
                     off = table_cell(r, "ch5-learning.dat", 2, k, 1);
        CU_ASSERT(!isnan(on) && on == off);
    }
    CU_ASSERT(table_cell(r, "ch5-learning.dat", 1, 0, 1)
              != table_cell(r, "ch5-learning.dat", 0, 0, 1));
    if (chapter_value(r, "ch5-reseeded") == 0) {
        CU_ASSERT_EQUAL(chapter_value(r, "ch5-oriented-noreseed"),
                        chapter_value(r, "ch5-oriented-photos"));
        CU_ASSERT_EQUAL(chapter_value(r, "ch5-width-noreseed"),
                        chapter_value(r, "ch5-width-photos"));
    }
}

static void test_default_claims(void)
{
    const chapter_run *r = chapter_base(5);
    if (!r)
        return;
    CU_ASSERT(chapter_value(r, "ch5-held-after")
              < chapter_value(r, "ch5-held-before"));
    CU_ASSERT(chapter_value(r, "ch5-oriented-photos") > 50);
    CU_ASSERT(chapter_value(r, "ch5-oriented-leaves") > 50);
    CU_ASSERT(chapter_value(r, "ch5-oriented-random") < 20);
    CU_ASSERT(chapter_value(r, "ch5-width-photos")
              < chapter_value(r, "ch5-width-random"));
    CU_ASSERT(chapter_value(r, "ch5-fista-gap")
              < chapter_value(r, "ch5-ista-gap"));
    CU_ASSERT(gap_slope(r, 1) < -2);    /* ISTA: faster than 1/k^2 */
    CU_ASSERT(gap_slope(r, 2) < -2);    /* FISTA likewise          */
    CU_ASSERT(chapter_value(r, "ch5-cd-tol")
              < chapter_value(r, "ch5-fista-tol"));
    CU_ASSERT(isnan(chapter_value(r, "ch5-sub-tol")));  /* "more than" the budget */
    CU_ASSERT(chapter_value(r, "ch5-sub-slope") < 0);   /* still falls ...      */
    CU_ASSERT(chapter_value(r, "ch5-sub-slope") > -1);  /* ... slower than 1/k  */
    CU_ASSERT(chapter_value(r, "ch5-spike-share")
              >= chapter_value(r, "ch5-zeros"));
    CU_ASSERT(chapter_value(r, "ch5-lca-away") > 0);
    CU_ASSERT(chapter_value(r, "ch5-grad-err-2")
              < chapter_value(r, "ch5-grad-noise"));
    CU_ASSERT(chapter_value(r, "ch5-grad-err-2")
              < chapter_value(r, "ch5-grad-err-1"));
    CU_ASSERT(chapter_value(r, "ch5-grad-err-1")
              < chapter_value(r, "ch5-grad-noise"));
    CU_ASSERT(chapter_value(r, "ch5-unused-end-on")
              <= chapter_value(r, "ch5-unused-end-off"));
    CU_ASSERT(chapter_value(r, "ch5-slope-photo")
              < chapter_value(r, "ch5-slope-photo-white"));
    CU_ASSERT(chapter_value(r, "ch5-slope-leaves")
              < chapter_value(r, "ch5-slope-leaves-white"));
    CU_ASSERT(chapter_value(r, "ch5-slope-photo-white") < 0);
    CU_ASSERT(chapter_value(r, "ch5-zeros") > 50);
    CU_ASSERT(chapter_value(r, "ch5-kurt-sparse")
              > chapter_value(r, "ch5-kurt-pca"));
}

/* Exercise 1: a larger lambda, fewer active coefficients, more zeros,
   a larger error; a smaller one the other way. */
static void test_exercise_lambda(void)
{
    const chapter_run *r = chapter_base(5);
    chapter_run lo = {0}, hi = {0};
    if (!r || !chapter_quick(5, KNOBS("--lambda", "0.1"), &lo))
        return;
    if (chapter_quick(5, KNOBS("--lambda", "1"), &hi)) {
        CU_ASSERT(chapter_value(&hi, "ch5-held-active-after")
                  < chapter_value(r, "ch5-held-active-after"));
        CU_ASSERT(chapter_value(r, "ch5-held-active-after")
                  < chapter_value(&lo, "ch5-held-active-after"));
        CU_ASSERT(chapter_value(&lo, "ch5-zeros")
                  < chapter_value(r, "ch5-zeros"));
        CU_ASSERT(chapter_value(r, "ch5-zeros")
                  < chapter_value(&hi, "ch5-zeros"));
        CU_ASSERT(chapter_value(&lo, "ch5-held-error-after")
                  < chapter_value(r, "ch5-held-error-after"));
        CU_ASSERT(chapter_value(r, "ch5-held-error-after")
                  < chapter_value(&hi, "ch5-held-error-after"));
        chapter_run_free(&hi);
    }
    chapter_run_free(&lo);
}

/* Exercise 2: twice the Euler step, fewer steps to the gap; a step beyond
   2/L of the whole dictionary still converges, in fewer steps again. */
static void test_exercise_dt(void)
{
    const chapter_run *r = chapter_base(5);
    chapter_run d = {0}, far = {0};
    if (!r || !chapter_quick(5, KNOBS("--dt", "0.2"), &d))
        return;
    CU_ASSERT(chapter_value(&d, "ch5-lca-gap")
              < chapter_value(r, "ch5-lca-gap"));
    if (chapter_quick(5, KNOBS("--dt", "0.5"), &far)) {
        CU_ASSERT(0.5 > chapter_value(&far, "ch5-dt-limit"));
        CU_ASSERT(chapter_value(&far, "ch5-lca-gap")
                  < chapter_value(&d, "ch5-lca-gap"));
        chapter_run_free(&far);
    }
    chapter_run_free(&d);
}

/* Exercise 3: without whitening the atoms prefer lower frequencies, and
   the text does not call the images whiter. */
static void test_exercise_no_whiten(void)
{
    const chapter_run *r = chapter_base(5);
    chapter_run d = {0};
    if (!r || !chapter_quick(5, KNOBS("--no-whiten"), &d))
        return;
    CU_ASSERT(chapter_value(&d, "ch5-freq-photos")
              < chapter_value(r, "ch5-freq-photos"));
    CU_ASSERT(chapter_says(r, "ch5-whiter-phrase", "whiter, not white"));
    CU_ASSERT(chapter_says(&d, "ch5-whiter-phrase", "does not whiten"));
    chapter_run_free(&d);
}

/* Exercise 4: a third of the quick run's steps, a higher held-out energy
   and fewer oriented atoms. */
static void test_exercise_steps(void)
{
    const chapter_run *r = chapter_base(5);
    chapter_run d = {0};
    if (!r || !chapter_quick(5, KNOBS("--steps", "20"), &d))
        return;
    CU_ASSERT(chapter_value(&d, "ch5-held-after")
              > chapter_value(r, "ch5-held-after"));
    CU_ASSERT(chapter_value(&d, "ch5-oriented-photos")
              < chapter_value(r, "ch5-oriented-photos"));
    chapter_run_free(&d);
}

/* Exercise 5: sloppy codes (--tol 0.3) learn nearly as well: the
   held-out energy within 5% of the book's tolerance's. */
static void test_exercise_tol(void)
{
    const chapter_run *r = chapter_base(5);
    chapter_run d = {0};
    if (!r || !chapter_quick(5, KNOBS("--tol", "0.3"), &d))
        return;
    CU_ASSERT(fabs(chapter_value(&d, "ch5-held-after")
                   - chapter_value(r, "ch5-held-after"))
              < 0.05 * chapter_value(r, "ch5-held-after"));
    chapter_run_free(&d);
}

/* Exercise 6: dead leaves down to one pixel teach fewer oriented atoms,
   and the text says so; the photographs' dictionary does not change. */
static void test_exercise_rmin(void)
{
    const chapter_run *r = chapter_base(5);
    chapter_run d = {0};
    if (!r || !chapter_quick(5, KNOBS("--rmin", "1"), &d))
        return;
    CU_ASSERT(chapter_value(&d, "ch5-oriented-leaves")
              < chapter_value(r, "ch5-oriented-leaves"));
    /* and the text no longer says occlusion is enough to teach them */
    CU_ASSERT(chapter_says(r, "ch5-leaves-phrase", "is enough"));
    CU_ASSERT(chapter_says(&d, "ch5-leaves-phrase", "does not teach"));
    CU_ASSERT_EQUAL(chapter_value(&d, "ch5-held-after"),
                    chapter_value(r, "ch5-held-after"));
    chapter_run_free(&d);
}

/* The largest lambda the option allows: the quick run's codes are all
   zero, so the dictionary's gradient is zero whatever the tolerance of
   the codes, and the run says that they agree (0), not 0/0. */
static void test_largest_lambda(void)
{
    chapter_run r = {0};
    if (chapter_quick(5, KNOBS("--lambda", "10"), &r)) {
        CU_ASSERT_EQUAL(chapter_value(&r, "ch5-grad-err-1"), 0);
        CU_ASSERT_EQUAL(chapter_value(&r, "ch5-grad-noise"), 0);
    }
    chapter_run_free(&r);
}

void suite_ch5(void)
{
    CU_pSuite s = CU_add_suite("ch5", NULL, chapter_base_free);
    CU_add_test(s, "default run: learning, solvers, tolerance, codes",
                test_default_claims);
    CU_add_test(s, "re-seeding off: the same batches, the same start",
                test_reseed_same_batches);
    CU_add_test(s, "exercise --lambda 0.1 / 1: activity, zeros, error",
                test_exercise_lambda);
    CU_add_test(s, "exercise --dt 0.2 / 0.5: LCA needs fewer steps",
                test_exercise_dt);
    CU_add_test(s, "exercise --no-whiten: lower preferred frequencies",
                test_exercise_no_whiten);
    CU_add_test(s, "exercise --steps 20: higher energy, fewer oriented",
                test_exercise_steps);
    CU_add_test(s, "exercise --tol 0.3: nearly the same held-out energy",
                test_exercise_tol);
    CU_add_test(s, "exercise --rmin 1: fewer oriented dead-leaves atoms",
                test_exercise_rmin);
    CU_add_test(s, "--lambda 10: all codes zero, gradients that agree",
                test_largest_lambda);
}
