/* test_ch3.c: chapter 3's claims and exercises, run through the chapter
 * program (quick, plus the knobs each claim needs).
 *
 * - non-convexity: at least two distinct minima (not copies under the 48
 *   symmetries, costs apart), each with a positive definite Hessian; some
 *   seeds land on copies; a critical point with exactly one negative
 *   Hessian eigenvalue and a vanishing gradient, away from the minima;
 * - XOR: the linear network never beats the best affine fit, 1/8, and
 *   reaches it; the sigmoid network gets all four points right;
 * - batches: per unit of work, single examples beat mini-batches, which
 *   beat the full batch;
 * - every exercise's command moves its number the way the text predicts. */
#include <math.h>
#include <CUnit/CUnit.h>

#include "smoke.h"

/* The value key of one quick run of chapter 3 with args (NULL-ended). */
static int run3(const char *const args[], chapter_run *r)
{
    const int status = chapter_run_args(3, args, r);
    CU_ASSERT_EQUAL(status, 0);
    return status;
}

static void test_minima_are_distinct_and_the_saddle_has_index_one(void)
{
    chapter_run r;
    const char *const args[] = {NULL};
    if (run3(args, &r) == 0) {
        CU_ASSERT(chapter_value(&r, "ch3-min-distinct") >= 2);
        CU_ASSERT(chapter_value(&r, "ch3-min-dist") > 0.1);
        CU_ASSERT(fabs(chapter_value(&r, "ch3-min-cost-2")
                       - chapter_value(&r, "ch3-min-cost-1")) > 1e-4);
        CU_ASSERT(chapter_value(&r, "ch3-min-ev-1") > 0);
        CU_ASSERT(chapter_value(&r, "ch3-min-ev-2") > 0);
        CU_ASSERT(chapter_value(&r, "ch3-min-grad-1") < 1e-8);
        CU_ASSERT(chapter_value(&r, "ch3-min-copies") >= 1);
        CU_ASSERT(chapter_value(&r, "ch3-min-far") > 0.1);
        CU_ASSERT_EQUAL(chapter_value(&r, "ch3-saddle-neg"), 1);
        CU_ASSERT(chapter_value(&r, "ch3-saddle-grad") < 1e-8);
        CU_ASSERT(chapter_value(&r, "ch3-saddle-ev-neg") < 0);
        CU_ASSERT(chapter_value(&r, "ch3-saddle-ev-pos") > 0);
        CU_ASSERT(chapter_value(&r, "ch3-saddle-dist-1") > 0.01);
        CU_ASSERT(chapter_value(&r, "ch3-saddle-dist-2") > 0.01);
    }
    chapter_run_free(&r);
}

static void test_xor_linear_stuck_at_one_eighth_sigmoid_solves_it(void)
{
    chapter_run r;
    const char *const args[] = {"--steps", "4000", NULL};
    if (run3(args, &r) == 0) {
        const double C = chapter_value(&r, "ch3-xor-linear");
        CU_ASSERT(C >= 0.125 - 1e-6);
        CU_ASSERT(C < 0.126);
        CU_ASSERT(chapter_value(&r, "ch3-xor-sigmoid") < 0.01);
        CU_ASSERT_EQUAL(chapter_value(&r, "ch3-xor-right-sigmoid"), 4);
    }
    chapter_run_free(&r);
}

static void test_smaller_batches_win_per_unit_of_work(void)
{
    chapter_run r;
    const char *const args[] = {"--epochs", "50", NULL};
    if (run3(args, &r) == 0) {
        const double full = chapter_value(&r, "ch3-batch-cost-full"),
                     mini = chapter_value(&r, "ch3-batch-cost-mini"),
                     sgd = chapter_value(&r, "ch3-batch-cost-sgd");
        CU_ASSERT(sgd < mini);
        CU_ASSERT(mini < full);
    }
    chapter_run_free(&r);
}

/* Exercise 1: at eta = 2/L the top component keeps its size. */
static void test_exercise_rate_on_the_bound(void)
{
    chapter_run r, d;
    const char *const on[] = {"--lr-top", "1", NULL}, *const none[] = {NULL};
    if (run3(on, &r) == 0 && run3(none, &d) == 0) {
        CU_ASSERT(fabs(chapter_value(&r, "ch3-line-growth") - 1) < 1e-9);
        const double s = chapter_value(&r, "ch3-lr-start"),
                     f = chapter_value(&r, "ch3-lr-final-3");
        CU_ASSERT(f <= s && f > 1e-6 * s);
        CU_ASSERT(chapter_value(&d, "ch3-lr-final-3")
                  > chapter_value(&d, "ch3-lr-start"));
    }
    chapter_run_free(&r), chapter_run_free(&d);
}

/* Exercise 2: centred inputs, a round bowl. */
static void test_exercise_centred_inputs(void)
{
    chapter_run r, d;
    const char *const c[] = {"--shift", "0", NULL}, *const none[] = {NULL};
    if (run3(c, &r) == 0 && run3(none, &d) == 0) {
        CU_ASSERT(chapter_value(&r, "ch3-line-kappa") < 5);
        CU_ASSERT(chapter_value(&d, "ch3-line-kappa") > 10);
    }
    chapter_run_free(&r), chapter_run_free(&d);
}

/* Exercise 3: bigger batches at a smaller rate: the mini-batches lose,
   the stochastic curve calms down. */
static void test_exercise_bigger_batch_smaller_rate(void)
{
    chapter_run r, d;
    const char *const x[] = {"--epochs", "50", "--batch", "50", "--lr",
                             "0.1", NULL},
               *const dflt[] = {"--epochs", "50", NULL};
    if (run3(x, &r) == 0 && run3(dflt, &d) == 0) {
        CU_ASSERT(chapter_value(&r, "ch3-batch-cost-mini")
                  > chapter_value(&d, "ch3-batch-cost-mini"));
        CU_ASSERT(chapter_value(&r, "ch3-batch-jitter-sgd")
                  < chapter_value(&d, "ch3-batch-jitter-sgd"));
    }
    chapter_run_free(&r), chapter_run_free(&d);
}

/* Exercise 4: forward differences have order one and a worse best. */
static void test_exercise_forward_differences(void)
{
    chapter_run r, d;
    const char *const f[] = {"--forward", NULL}, *const none[] = {NULL};
    if (run3(f, &r) == 0 && run3(none, &d) == 0) {
        CU_ASSERT(fabs(chapter_value(&r, "ch3-jac-order") - 1) < 0.3);
        CU_ASSERT(fabs(chapter_value(&d, "ch3-jac-order") - 2) < 0.3);
        CU_ASSERT(chapter_value(&r, "ch3-jac-best-err")
                  > 10 * chapter_value(&d, "ch3-jac-best-err"));
        CU_ASSERT(chapter_value(&r, "ch3-jac-best-h")
                  < chapter_value(&d, "ch3-jac-best-h"));
    }
    chapter_run_free(&r), chapter_run_free(&d);
}

/* Exercise 5: a slope off by 1e-6 turns the small-eps slope from 2 to 1. */
static void test_exercise_slope_bug(void)
{
    chapter_run r, d;
    const char *const b[] = {"--slope-bug", "1e-6", NULL},
               *const none[] = {NULL};
    if (run3(b, &r) == 0 && run3(none, &d) == 0) {
        CU_ASSERT(fabs(chapter_value(&r, "ch3-taylor-order2-low") - 1) < 0.3);
        CU_ASSERT(fabs(chapter_value(&d, "ch3-taylor-order2-low") - 2) < 0.3);
    }
    chapter_run_free(&r), chapter_run_free(&d);
}

/* Exercise 6: two hidden units; the linear network still cannot beat 1/8. */
static void test_exercise_two_hidden_units(void)
{
    chapter_run r;
    const char *const h[] = {"--xor-hidden", "2", "--steps", "4000", NULL};
    if (run3(h, &r) == 0)
        CU_ASSERT(chapter_value(&r, "ch3-xor-linear") >= 0.125 - 1e-6);
    chapter_run_free(&r);
}

void suite_ch3(void)
{
    CU_pSuite s = CU_add_suite("ch3 claims and exercises", NULL, NULL);
    CU_add_test(s, "minima distinct, saddle of index one",
                test_minima_are_distinct_and_the_saddle_has_index_one);
    CU_add_test(s, "XOR: linear stuck at 1/8, sigmoid solves it",
                test_xor_linear_stuck_at_one_eighth_sigmoid_solves_it);
    CU_add_test(s, "smaller batches win per unit of work",
                test_smaller_batches_win_per_unit_of_work);
    CU_add_test(s, "exercise: --lr-top 1", test_exercise_rate_on_the_bound);
    CU_add_test(s, "exercise: --shift 0", test_exercise_centred_inputs);
    CU_add_test(s, "exercise: --batch 50 --lr 0.1",
                test_exercise_bigger_batch_smaller_rate);
    CU_add_test(s, "exercise: --forward", test_exercise_forward_differences);
    CU_add_test(s, "exercise: --slope-bug 1e-6", test_exercise_slope_bug);
    CU_add_test(s, "exercise: --xor-hidden 2",
                test_exercise_two_hidden_units);
}
