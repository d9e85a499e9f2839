/* test_ch2.c: the claims and the exercises of chapter 2, checked by
 * running the chapter program with the exercises' knobs
 * (chapter_quick), and the heavy ball's stability bound and speed-up
 * by in-process calls of the ode module.  Each test asserts the direction
 * that the text or the exercise predicts, from mathematics.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>

#include "ode.h"
#include "smoke.h"

/* Sections 2.4-2.5: Euler has order 1, rk4 order 4; the equilibria of the
 * logistic equation are 0 (unstable) and 1 (stable); halving h halves
 * Euler's error at small h. */
static void test_orders_and_equilibria(void)
{
    chapter_run r = {0};
    if (chapter_quick(2, NULL, &r)) {
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&r, "ch2-order-euler"), 1, 0.05);
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&r, "ch2-order-rk4"), 4, 0.1);
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&r, "ch2-halving-ratio"), 2, 0.05);
        /* Figure 2.6: the floor is rounding, a few ulps of x(T) */
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-floor-ulps") >= 0.5);
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-floor-ulps") <= 4);
        CU_ASSERT_EQUAL(chapter_number(&r, "ch2-neq"), 2);
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-kind0", "unstable"));
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-kind1", "stable")
                       && !chapter_says(&r, "ch2-kind1", "unstable"));
        CU_ASSERT_EQUAL(chapter_number(&r, "ch2-to-one"), 7);    /* every x0 > 0 */
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-logistic-ends", "-0.01$ runs off"));
        /* Figure 2.5: h = 1.8 overshoots and swings back within it */
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-euler-seen", "swings back below"));
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-euler-fate", "settles at"));
        /* ... and every step lags behind on the rise: below x = 1/2 the
         * curve is convex, and a tangent step ends below it (the text
         * says it for the smallest step; a larger one that rose the same
         * way only "passes that point" later) */
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-euler-rise2", "lags behind"));
        for (int k = 0; k < 2; k++) {
            char key[32];
            snprintf(key, sizeof key, "ch2-euler-rise%d", k);
            CU_ASSERT_TRUE(chapter_says(&r, key, "passes that point")
                           || chapter_says(&r, key, "lags behind"));
        }
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-logistic-below", "downwards"));
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-pend-spiral", "outwards"));
        /* the pendulum: Euler's energy grows, rk8pd's swings keep it */
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-pend-energy") > 1);
        CU_ASSERT_TRUE(fabs(chapter_number(&r, "ch2-swing-drift")) < 1e-8);
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-swing-why", "ovals close"));
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-swing-seen", "invisible"));
        /* without friction the linearised pendulum's Euler steps multiply
         * its energy by exactly 1 + h^2 g/L each */
        const double h = chapter_number(&r, "ch2-pend-h");
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&r, "ch2-pend-energy-lin"),
                               pow(1 + h * h * chapter_number(&r, "ch2-g"),
                                   chapter_number(&r, "ch2-pend-steps")),
                               0.006);
        CU_ASSERT_FALSE(chapter_says(&r, "ch2-rotation-shape", "swing"));
        /* the fastest learning rate is 1/|F''|, the threshold below 2 */
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&r, "ch2-best-h"), 1, 0.11);
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-threshold") < 2);
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-threshold") > 1.99);
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-ascent-story", "without overshooting"));
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-rate2-end", "gave up"));
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-rate3-end", "diverged"));
    }
    chapter_run_free(&r);
}

/* --lr beyond the bound: section 2.7's overshoot, cycle and divergence. */
static void test_learning_rate_knob(void)
{
    chapter_run a = {0}, b = {0}, c = {0};
    if (chapter_quick(2, KNOBS("--lr", "1.8"), &a))
        CU_ASSERT_TRUE(chapter_says(&a, "ch2-ascent-story",
                                    "overshoot the maximum,"));
    if (chapter_quick(2, KNOBS("--lr", "2.3"), &b))
        CU_ASSERT_TRUE(chapter_says(&b, "ch2-ascent-end", "gave up"));
    if (chapter_quick(2, KNOBS("--lr", "3.2"), &c))
        CU_ASSERT_TRUE(chapter_says(&c, "ch2-ascent-end", "diverged"));
    chapter_run_free(&a);
    chapter_run_free(&b);
    chapter_run_free(&c);
}

/* Exercise 1: Euler steps 2.2 and 2.5 on the logistic equation are the
 * logistic map with r = 3.2 (a 2-cycle) and r = 3.5 (a 4-cycle). */
static void test_exercise_large_euler_steps(void)
{
    chapter_run a = {0}, b = {0}, c = {0};
    if (chapter_quick(2, KNOBS("--euler-h", "2.2"), &a))
        CU_ASSERT_EQUAL(chapter_number(&a, "ch2-euler-period"), 2);
    if (chapter_quick(2, KNOBS("--euler-h", "2.5"), &b))
        CU_ASSERT_EQUAL(chapter_number(&b, "ch2-euler-period"), 4);
    if (chapter_quick(2, NULL, &c))
        CU_ASSERT_EQUAL(chapter_number(&c, "ch2-euler-period"), 1);
    chapter_run_free(&a);
    chapter_run_free(&b);
    chapter_run_free(&c);
}

/* Exercise 2: x(1-x)(x-0.3) has three equilibria, 0 stable, 0.3
 * unstable, 1 stable; the colonies starting below 0.3 now die out. */
static void test_exercise_allee(void)
{
    chapter_run r = {0};
    if (chapter_quick(2, KNOBS("--allee", "0.3"), &r)) {
        CU_ASSERT_EQUAL(chapter_number(&r, "ch2-neq"), 3);
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-kind0", "stable")
                       && !chapter_says(&r, "ch2-kind0", "unstable"));
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-kind1", "unstable"));
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-kind2", "stable")
                       && !chapter_says(&r, "ch2-kind2", "unstable"));
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-to-zero") > 1);
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-to-one") < 7);
        CU_ASSERT_FALSE(chapter_says(&r, "ch2-logistic-ends", "runs off"));
        /* with a > 0, x = 0 is stable: -0.01 comes back to it */
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-logistic-below", "returns to"));
    }
    chapter_run_free(&r);
}

/* Exercise 3: the phase portrait by Euler's method gains energy on every
 * swing; halving Euler's step roughly halves the logarithm of the
 * growth, (1 + h^2 g/L)^(T/h) ~ exp(T h g/L). */
static void test_exercise_pendulum_by_euler(void)
{
    chapter_run a = {0}, b = {0}, c = {0};
    if (chapter_quick(2, KNOBS("--portrait-euler"), &a)) {
        CU_ASSERT_TRUE(chapter_number(&a, "ch2-swing-drift") > 0.1);
        /* ... and the text no longer says the ovals close unseen */
        CU_ASSERT_TRUE(chapter_says(&a, "ch2-swing-why", "do not close"));
        CU_ASSERT_TRUE(chapter_says(&a, "ch2-swing-why", "Euler"));
        CU_ASSERT_FALSE(chapter_says(&a, "ch2-swing-seen", "invisible"));
    }
    if (chapter_quick(2, NULL, &b)
        && chapter_quick(2, KNOBS("--pend-h", "0.005"), &c)) {
        const double q = log(chapter_number(&c, "ch2-pend-energy")) /
                         log(chapter_number(&b, "ch2-pend-energy"));
        CU_ASSERT_TRUE(q > 0.4 && q < 0.6);
    }
    chapter_run_free(&a);
    chapter_run_free(&b);
    chapter_run_free(&c);
}

/* Exercise 4: friction makes dE/dt = -gamma omega^2 <= 0: the swings lose
 * energy, and so does the Euler trajectory. */
static void test_exercise_friction(void)
{
    chapter_run r = {0};
    if (chapter_quick(2, KNOBS("--friction", "0.5"), &r)) {
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-swing-drift") < -0.5);
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-swing-why", "friction"));
        CU_ASSERT_FALSE(chapter_says(&r, "ch2-swing-seen", "invisible"));
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-pend-energy") < 1);
        /* ... the linearised pendulum with the same friction too, and the
         * rotations slow down until they swing */
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-pend-energy-lin") < 1);
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-rotation-shape", "until they swing"));
    }
    chapter_run_free(&r);
}

/* Exercise 5: GSL's rk2 costs 3 evaluations per step and returns the
 * higher (third) order member of its pair. */
static void test_exercise_rk2(void)
{
    chapter_run r = {0};
    if (chapter_quick(2, KNOBS("--rk2"), &r)) {
        CU_ASSERT_EQUAL(chapter_number(&r, "ch2-evals-rk2"), 3);
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&r, "ch2-order-rk2"), 3, 0.15);
    }
    chapter_run_free(&r);
}

/* Exercise 6: a peak four times sharper moves the bound to 2/4, the
 * fastest rate to 1/4 and the threshold just below 1/2; the default
 * lr = 0.5 then sits at the bound and does not converge. */
static void test_exercise_sharper_peak(void)
{
    chapter_run a = {0}, b = {0};
    if (chapter_quick(2, KNOBS("--peak", "4", "--lr", "0.2"), &a)) {
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&a, "ch2-best-h"), 0.25, 0.03);
        CU_ASSERT_TRUE(chapter_number(&a, "ch2-threshold") < 0.5);
        CU_ASSERT_TRUE(chapter_number(&a, "ch2-threshold") > 0.49);
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&a, "ch2-lr-bound"), 0.5, 1e-9);
        CU_ASSERT_TRUE(chapter_says(&a, "ch2-ascent-end", "converged"));
    }
    if (chapter_quick(2, KNOBS("--peak", "4"), &b))
        CU_ASSERT_FALSE(chapter_says(&b, "ch2-ascent-end", "converged"));
    chapter_run_free(&a);
    chapter_run_free(&b);
}

/* Section 2.8, through the program: the critical momentum beats plain
 * ascent and light friction overshoots; the grid's best momentum is near
 * beta_c; the measured bounds are 2/k and 3/k. */
static void test_momentum_claims(void)
{
    chapter_run r = {0};
    if (chapter_quick(2, NULL, &r)) {
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-speedup") > 2);
        /* near the top: log(1 - sqrt(h k)) / log(1 - h k), 3.6 for 0.1 */
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&r, "ch2-speedup-theory"),
                               log(1 - sqrt(0.1)) / log(0.9), 0.06);
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-speedup")
                       < chapter_number(&r, "ch2-speedup-theory"));
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-speedup")
                       > chapter_number(&r, "ch2-speedup-bottom"));
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-speedup-cmp", "less than"));
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-hb-crit", "does not overshoot"));
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-hb-over1") > 0.05);
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-hb-light-over",
                                    "overshoots the top by"));
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-hb-over2") < 1e-3);
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-hb-steps3")
                       < chapter_number(&r, "ch2-hb-steps0"));
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-hb-steps3")
                       > chapter_number(&r, "ch2-hb-steps2"));
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&r, "ch2-hb-best-beta"),
                               chapter_number(&r, "ch2-beta-c"), 0.1);
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&r, "ch2-bound-euler"), 2, 0.01);
        CU_ASSERT_DOUBLE_EQUAL(chapter_number(&r, "ch2-bound-hb"), 3, 0.01);
    }
    chapter_run_free(&r);
    /* with a rate so small that beta = 0.9 has real roots near the top,
     * (1.9 - h k)^2 > 3.6, light friction does not overshoot, and the
     * text does not say it does */
    if (chapter_quick(2, KNOBS("--hb-lr", "0.001"), &r)) {
        CU_ASSERT_TRUE(chapter_number(&r, "ch2-hb-over1") == 0);
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-hb-light-over", "does not overshoot"));
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-hb-lr-where", "well below"));
    }
    chapter_run_free(&r);
    /* half of plain ascent's bound 2/|F''(1)| = 2 is not "well below" it */
    if (chapter_quick(2, KNOBS("--hb-lr", "1"), &r))
        CU_ASSERT_TRUE(chapter_says(&r, "ch2-hb-lr-where", "at 0.5 of it"));
    chapter_run_free(&r);
}

/* The heavy ball in process: the two-step recursion on a peak of
 * curvature lambda converges for h < 2(1 + beta)/lambda and diverges
 * beyond; beta = 0 is Euler's bound 2/lambda. */
static double peak(double x, void *p)
{
    return -*(const double *)p * x;
}

static int converges(double h, double beta, double lambda)
{
    const gsl_function dF = {peak, &lambda};
    const ode_flow_options o = {h, 1e-10, 1e6, 1000000};
    double x = 1;
    size_t n;
    return ode_heavy_ball(&dF, +1, beta, &o, &x, &n, NULL) == GSL_SUCCESS;
}

static void test_heavy_ball_stability_bound(void)
{
    static const double betas[] = {0, 0.3, 0.5, 0.9};
    for (int i = 0; i < 4; i++)
        for (double lambda = 0.5; lambda <= 8; lambda *= 4) {
            const double bound = 2 * (1 + betas[i]) / lambda;
            CU_ASSERT_TRUE(converges(0.98 * bound, betas[i], lambda));
            CU_ASSERT_FALSE(converges(1.02 * bound, betas[i], lambda));
        }
}

/* The speed-up near the top: with h lambda = 0.1 the critical momentum
 * needs fewer than half the steps of plain ascent. */
static void test_heavy_ball_speedup(void)
{
    double lambda = 1;
    const gsl_function dF = {peak, &lambda};
    const ode_flow_options o = {0.1, 1e-12, 1e6, 1000000};
    const double bc = pow(1 - sqrt(0.1), 2);
    double x = 1, y = 1;
    size_t plain, ball;
    CU_ASSERT_EQUAL(ode_heavy_ball(&dF, +1, 0, &o, &x, &plain, NULL),
                    GSL_SUCCESS);
    CU_ASSERT_EQUAL(ode_heavy_ball(&dF, +1, bc, &o, &y, &ball, NULL),
                    GSL_SUCCESS);
    CU_ASSERT_TRUE(2 * ball < plain);
}

void suite_ch2(void)
{
    CU_pSuite s = CU_add_suite("ch2: claims and exercises", NULL, NULL);
    CU_add_test(s, "orders, equilibria, energies, learning rates",
                test_orders_and_equilibria);
    CU_add_test(s, "--lr 1.8, 2.3, 3.2: overshoot, give up, diverge",
                test_learning_rate_knob);
    CU_add_test(s, "exercise 1: Euler steps 2.2 and 2.5 cycle",
                test_exercise_large_euler_steps);
    CU_add_test(s, "exercise 2: --allee 0.3", test_exercise_allee);
    CU_add_test(s, "exercise 3: the pendulum by Euler",
                test_exercise_pendulum_by_euler);
    CU_add_test(s, "exercise 4: --friction 0.5", test_exercise_friction);
    CU_add_test(s, "exercise 5: --rk2", test_exercise_rk2);
    CU_add_test(s, "exercise 6: --peak 4", test_exercise_sharper_peak);
    CU_add_test(s, "momentum: speed-up, overshoot, bounds",
                test_momentum_claims);
    CU_add_test(s, "heavy ball stable iff h < 2(1 + beta)/lambda",
                test_heavy_ball_stability_bound);
    CU_add_test(s, "critical momentum more than halves the steps",
                test_heavy_ball_speedup);
}
