/* test_ch1.c: the claims and the exercises of chapter 1, checked by
 * running the chapter program with the exercises' knobs (chapter_quick)
 * or, for an exercise that edits a function, by the same change made in a
 * function here.  Each test asserts the direction that the text or the
 * exercise predicts, from mathematics, never from a stored past output.
 */
#include <CUnit/CUnit.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_errno.h>

#include "deriv.h"
#include "smoke.h"

/* The orders of section 1.2, measured by the program. */
static void test_orders(void)
{
    chapter_run r = {0};
    if (chapter_quick(1, NULL, &r)) {
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&r, "ch1-order-forward"), 1, 0.05);
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&r, "ch1-order-backward"), 1, 0.05);
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&r, "ch1-order-central"), 2, 0.05);
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&r, "ch1-order-second"), 2, 0.05);
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&r, "ch1-order-complex"), 2, 0.05);
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&r, "ch1-order-richardson"), 4, 0.1);
    }
    chapter_run_free(&r);
}

/* Figure 1.1: the secants' slopes fall towards the speed as h shrinks,
 * and every look-ahead secant overestimates it (x'' > 0). */
static void test_secants_turn_towards_tangent(void)
{
    chapter_run r = {0};
    if (chapter_quick(1, NULL, &r)) {
        const char *key[] = {"ch1-secant-0", "ch1-secant-1", "ch1-secant-2",
                             "ch1-secant-3"};
        for (int k = 1; k < 4; k++)
            CU_ASSERT_TRUE(chapter_number(&r, key[k])
                           < chapter_number(&r, key[k - 1]));
        CU_ASSERT_TRUE(chapter_number(&r, key[3])
                       > chapter_number(&r, "ch1-v0"));
    }
    chapter_run_free(&r);
}

/* Section 1.4: the model predicts the size of the rounding errors (the
 * median of measured over modelled is near 1, the largest within a small
 * factor), and the best step within a small factor. */
static void test_model_predicts_rounding_and_best_step(void)
{
    static const char *const t0[] = {"1", "6"};
    for (int i = 0; i < 2; i++) {
        chapter_run r = {0};
        if (chapter_quick(1, KNOBS("--t0", t0[i]), &r)) {
            const char *m[] = {"forward", "central"};
            for (int j = 0; j < 2; j++) {
                char a[64], b[64];
                snprintf(a, sizeof a, "ch1-rounding-%s", m[j]);
                CU_ASSERT_TRUE(chapter_number(&r, a) > 0.2
                               && chapter_number(&r, a) < 5);
                snprintf(a, sizeof a, "ch1-worst-ratio-%s", m[j]);
                CU_ASSERT_TRUE(chapter_number(&r, a) < 10);
                snprintf(a, sizeof a, "ch1-besth-%s", m[j]);
                snprintf(b, sizeof b, "ch1-modelh-%s", m[j]);
                const double q = chapter_number(&r, a)
                                 / chapter_number(&r, b);
                CU_ASSERT_TRUE(q > 1 / 3.0 && q < 3);
            }
        }
        chapter_run_free(&r);
    }
}

/* Section 1.4: at t0 = 0.1 s the position is itself computed with a
 * cancellation, so the rounding errors exceed the model's, and the text
 * says so instead of saying that the model predicts them; at the default
 * t0 it does predict them, and the best errors are near the model's. */
static void test_rounding_verdict_follows_t0(void)
{
    chapter_run a = {0}, b = {0};
    if (chapter_quick(1, NULL, &a)
        && chapter_quick(1, KNOBS("--t0", "0.1"), &b)) {
        CU_ASSERT_TRUE(chapter_says(&a, "ch1-rounding-verdict", "predicts"));
        CU_ASSERT_TRUE(chapter_says(&a, "ch1-minerr-near", "near the"));
        CU_ASSERT_TRUE(chapter_number(&b, "ch1-rounding-forward") > 5);
        CU_ASSERT_TRUE(chapter_says(&b, "ch1-rounding-verdict", "larger"));
        CU_ASSERT_TRUE(chapter_says(&b, "ch1-minerr-near", "above"));
    }
    chapter_run_free(&a);
    chapter_run_free(&b);
}

/* Section 1.5: Richardson's best error beats the central one's; GSL's
 * estimate is pessimistic; the complex step is exact to a few ulps. */
static void test_better_derivatives(void)
{
    chapter_run r = {0};
    if (chapter_quick(1, NULL, &r)) {
        CU_ASSERT_TRUE(chapter_number(&r, "ch1-richardson-gain") > 10);
        CU_ASSERT_TRUE(chapter_number(&r, "ch1-gsl-pessimism") > 1);
        CU_ASSERT_TRUE(chapter_number(&r, "ch1-complex-floor") < 4);
        CU_ASSERT_TRUE(chapter_number(&r, "ch1-complex-zeros") > 0);
        CU_ASSERT_TRUE(chapter_number(&r, "ch1-minerr-central")
                       < chapter_number(&r, "ch1-minerr-forward"));
    }
    chapter_run_free(&r);
}

/* Section 1.4: below h0 the second difference's numerator rounds away:
 * some estimates are exactly zero, the others are rounding over h^2 and
 * exceed the acceleration itself.  Section 1.6: the gradient check's
 * median error lies above eps^(2/3), the best a central difference can
 * reach. */
static void test_second_difference_fails(void)
{
    chapter_run r = {0};
    if (chapter_quick(1, NULL, &r)) {
        const double below = chapter_number(&r, "ch1-second-below"),
                     zeros = chapter_number(&r, "ch1-second-zeros");
        CU_ASSERT_TRUE(zeros > 0);
        CU_ASSERT_TRUE(zeros < below);
        CU_ASSERT_TRUE(chapter_number(&r, "ch1-second-worst") > 1);
        CU_ASSERT_TRUE(chapter_number(&r, "ch1-grad-vs-eps23") > 1);
    }
    chapter_run_free(&r);
}

/* Figure 1.2: the central estimates from the gates are closer than the
 * forward ones. */
static void test_gates_central_beats_forward(void)
{
    chapter_run r = {0};
    if (chapter_quick(1, NULL, &r)) {
        CU_ASSERT_TRUE(chapter_number(&r, "ch1-gate-ctr")
                       < chapter_number(&r, "ch1-gate-fwd"));
        CU_ASSERT_TRUE(chapter_says(&r, "ch1-gate-ctr-how", "on the curve"));
        CU_ASSERT_FALSE(chapter_says(&r, "ch1-gate-ctr-but", "no better"));
    }
    chapter_run_free(&r);
}

/* Exercise 1, --tau 0.3: a quicker start makes x''' larger early, so the
 * gates' central error grows; the best forward step sqrt(2 eps x/x'')
 * grows since x'' at t0 = 1 s has decayed by e^(-1/0.3). */
static void test_exercise_quick_start(void)
{
    chapter_run a = {0}, b = {0};
    if (chapter_quick(1, NULL, &a)
        && chapter_quick(1, KNOBS("--tau", "0.3"), &b)) {
        CU_ASSERT_TRUE(chapter_number(&b, "ch1-gate-ctr")
                       > chapter_number(&a, "ch1-gate-ctr"));
        CU_ASSERT_TRUE(chapter_number(&b, "ch1-besth-forward")
                       > 1.3 * chapter_number(&a, "ch1-besth-forward"));
        /* with dt/tau = 1.7 the central estimates do no better than the
           forward ones, and the text says so */
        CU_ASSERT_TRUE(chapter_number(&b, "ch1-gate-ctr")
                       >= chapter_number(&b, "ch1-gate-fwd"));
        CU_ASSERT_TRUE(chapter_says(&b, "ch1-gate-ctr-how", "no closer"));
        CU_ASSERT_TRUE(chapter_says(&b, "ch1-gate-ctr-but", "no better"));
    }
    chapter_run_free(&a);
    chapter_run_free(&b);
}

/* Exercise 2, --t0 6: x'' is small, x large; the forward V's bottom moves
 * to a larger step, by more than the central one's (h* ~ (x/x'')^(1/2)
 * against (x/x''')^(1/3)). */
static void test_exercise_late_in_the_race(void)
{
    chapter_run a = {0}, b = {0};
    if (chapter_quick(1, NULL, &a)
        && chapter_quick(1, KNOBS("--t0", "6"), &b)) {
        const double f = chapter_number(&b, "ch1-besth-forward") /
                         chapter_number(&a, "ch1-besth-forward"),
                     c = chapter_number(&b, "ch1-besth-central") /
                         chapter_number(&a, "ch1-besth-central");
        CU_ASSERT_TRUE(c > 1);
        CU_ASSERT_TRUE(f > c);
    }
    chapter_run_free(&a);
    chapter_run_free(&b);
}

/* The sprinter, as in the chapter. */
static double sprint(double t, void *p)
{
    (void)p;
    return 12.0 * (t - 1.3 * (1 - exp(-t / 1.3)));
}
static double sprint_v(double t) { return 12.0 * (1 - exp(-t / 1.3)); }

/* Exercise 3: the forward difference divided by h rather than by the step
 * taken.  Same truncation side; larger errors on the rounding side. */
static double naive_forward(double x, double h)
{
    return (sprint(x + h, NULL) - sprint(x, NULL)) / h;
}

static int by_size(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_exercise_step_taken(void)
{
    const gsl_function F = {sprint, NULL};
    const double t0 = 1.0, exact = sprint_v(t0);
    double r, en[64], er[64];
    for (double h = 1e-3; h <= 0.11; h *= 10) {
        CU_ASSERT_EQUAL(deriv_forward(&F, t0, h, &r), GSL_SUCCESS);
        CU_ASSERT_DOUBLE_EQUAL(naive_forward(t0, h), r, 1e-9 * fabs(r));
    }
    int n = 0;
    for (double h = 1e-12; h < 1e-9 && n < 64; h *= 1.13, n++) {
        CU_ASSERT_EQUAL(deriv_forward(&F, t0, h, &r), GSL_SUCCESS);
        er[n] = fabs(r - exact);
        en[n] = fabs(naive_forward(t0, h) - exact);
    }
    qsort(en, (size_t)n, sizeof *en, by_size);
    qsort(er, (size_t)n, sizeof *er, by_size);
    CU_ASSERT_TRUE(en[n / 2] > er[n / 2]);
}

/* Exercise 4: the backward second difference has order 1 (its Taylor
 * series keeps the term -h f'''). */
static double wave(double x, void *p)
{
    (void)p;
    return exp(sin(x));
}

static void test_exercise_backward_second_difference(void)
{
    const double x = -0.5, s = sin(x), c = cos(x);
    const double exact = (c * c - s) * exp(s);
    double h[10], err[10], p = 0;
    for (int i = 0; i < 10; i++) {
        h[i] = ldexp(1e-2, -i);
        const double q = (wave(x, NULL) - 2 * wave(x - h[i], NULL) +
                          wave(x - 2 * h[i], NULL)) / (h[i] * h[i]);
        err[i] = fabs(q - exact);
    }
    CU_ASSERT_EQUAL(deriv_observed_order(h, err, 10, &p), GSL_SUCCESS);
    CU_ASSERT_DOUBLE_EQUAL(p, 1.0, 0.05);
}

/* Exercise 5: a step of 1e-8 loses to rounding, one of 1e-2 to
 * truncation; both are worse than the default 1e-5. */
static void test_exercise_gradient_step(void)
{
    chapter_run a = {0}, b = {0}, c = {0};
    if (chapter_quick(1, NULL, &a)
        && chapter_quick(1, KNOBS("--grad-step", "1e-8"), &b)
        && chapter_quick(1, KNOBS("--grad-step", "1e-2"), &c)) {
        const double m = chapter_number(&a, "ch1-grad-median");
        CU_ASSERT_TRUE(chapter_number(&b, "ch1-grad-median") > 10 * m);
        CU_ASSERT_TRUE(chapter_number(&c, "ch1-grad-median") > 10 * m);
        CU_ASSERT_TRUE(m < 100 * chapter_number(&a, "ch1-eps23"));
    }
    chapter_run_free(&a);
    chapter_run_free(&b);
    chapter_run_free(&c);
}

void suite_ch1(void)
{
    CU_pSuite s = CU_add_suite("ch1: claims and exercises", NULL, NULL);
    CU_add_test(s, "measured orders 1, 1, 2, 2, 2, 4", test_orders);
    CU_add_test(s, "secants turn towards the tangent from above",
                test_secants_turn_towards_tangent);
    CU_add_test(s, "the model predicts rounding and the best step",
                test_model_predicts_rounding_and_best_step);
    CU_add_test(s, "--t0 0.1: rounding above the model, and said so",
                test_rounding_verdict_follows_t0);
    CU_add_test(s, "Richardson, GSL and the complex step as claimed",
                test_better_derivatives);
    CU_add_test(s, "the second difference fails below h0",
                test_second_difference_fails);
    CU_add_test(s, "gates: central beats forward",
                test_gates_central_beats_forward);
    CU_add_test(s, "exercise 1: --tau 0.3", test_exercise_quick_start);
    CU_add_test(s, "exercise 2: --t0 6", test_exercise_late_in_the_race);
    CU_add_test(s, "exercise 3: dividing by h hurts the rounding side",
                test_exercise_step_taken);
    CU_add_test(s, "exercise 4: backward second difference has order 1",
                test_exercise_backward_second_difference);
    CU_add_test(s, "exercise 5: --grad-step 1e-8 and 1e-2",
                test_exercise_gradient_step);
}
