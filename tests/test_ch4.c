/* test_ch4.c: chapter 4's claims and exercises, run through the chapter
 * program (quick, plus the knobs each exercise gives), and one claim
 * checked in-process.
 *
 * - the default quick run: backprop agrees with forward mode and the
 *   differences; reverse mode costs far fewer forward passes than either;
 *   the sigmoid chain's gradients vanish, the tanh chain's at the large
 *   gain grow towards the input, the rectifier's level at gain sqrt 2;
 *   the whole gradient of rectifier chains shrinks with depth at gain 1
 *   and grows at gain 2;
 * - every exercise's command moves its number the way the hint says;
 * - the words the run chooses follow the knobs that turn them (--gain,
 *   --mu, --hidden, --noise, --lr);
 * - Adam's loss spikes on the spirals: over three seeds, a half-cosine
 *   rate has fewer spikes than the constant rate;
 * - the half cosine's early rates as the schedule section states them. */
#include <math.h>
#include <CUnit/CUnit.h>
#include <gsl/gsl_errno.h>

#include "smoke.h"
#include "testutil.h"
#include "train.h"

static void test_default_claims(void)
{
    const chapter_run *r = chapter_base(4);
    if (!r)
        return;
    CU_ASSERT(chapter_value(r, "ch4-cost-fwd-err") < 1e-10);
    CU_ASSERT(chapter_value(r, "ch4-cost-fd-err") < 1e-6);
    CU_ASSERT(chapter_value(r, "ch4-cost-rev-passes") < 10);
    CU_ASSERT(chapter_value(r, "ch4-cost-rev-min")
              <= chapter_value(r, "ch4-cost-rev-passes"));
    CU_ASSERT(chapter_value(r, "ch4-cost-rev-max") < 10);
    CU_ASSERT(chapter_value(r, "ch4-cost-fd-passes")
              > 10 * chapter_value(r, "ch4-cost-rev-passes"));
    CU_ASSERT(chapter_value(r, "ch4-vanish-sigmoid") < 1e-3);
    CU_ASSERT(chapter_value(r, "ch4-explode-per-layer") > 1);
    const double relu = chapter_value(r, "ch4-vanish-relu");
    CU_ASSERT(relu > 0.1 && relu < 10);
    CU_ASSERT(chapter_value(r, "ch4-depth-relu-small") < 0.9);
    CU_ASSERT(chapter_value(r, "ch4-depth-relu-big") > 1.1);
    CU_ASSERT(chapter_value(r, "ch4-fm-acc") > 50);
    CU_ASSERT(chapter_says(r, "ch4-explode-way", "errs the other way"));
    CU_ASSERT(chapter_says(r, "ch4-explode-trend", "grow"));
    CU_ASSERT(chapter_says(r, "ch4-explode-why", "growth is slow"));
    CU_ASSERT(chapter_says(r, "ch4-depth-big-trend", "grows"));
    CU_ASSERT(chapter_says(r, "ch4-depth-small-trend", "shrinks"));
    CU_ASSERT(chapter_says(r, "ch4-opt-eff-phrase", "simply a larger"));
    CU_ASSERT(chapter_says(r, "ch4-opt-plateau", "how much sooner"));
    CU_ASSERT(chapter_says(r, "ch4-spiral-gap", "closely"));
    CU_ASSERT(chapter_says(r, "ch4-spiral-spikes", "no spikes"));
    CU_ASSERT(chapter_says(r, "ch4-fm-gap-phrase", "small")
              == (chapter_value(r, "ch4-fm-gap") < 2.5));
}

/* The words the run chooses, where a knob turns them: at gain 0.5 the
   tanh chain starts smaller, its gradients do not grow, and the rectifier
   chains' whole gradient shrinks with depth; with mu = 0 momentum is SGD,
   and its best effective step is SGD's; with 4 hidden units the adaptive
   methods are not both off the plateau first. */
static void test_knobs_turn_words(void)
{
    chapter_run r = {0};
    if (!chapter_quick(4, KNOBS("--gain", "0.5", "--mu", "0", "--hidden",
                                "4"), &r))
        return;
    char why[64];
    CU_ASSERT(chapter_says(&r, "ch4-explode-way", "starts smaller"));
    CU_ASSERT(!chapter_says(&r, "ch4-explode-trend", "grow"));
    CU_ASSERT(chapter_text(&r, "ch4-explode-why", why, sizeof why)
              && why[0] == '\0');
    CU_ASSERT(chapter_value(&r, "ch4-explode-level") < 1);
    CU_ASSERT(chapter_says(&r, "ch4-depth-big-trend", "shrinks"));
    CU_ASSERT(chapter_value(&r, "ch4-depth-relu-big") < 1);
    CU_ASSERT(chapter_says(&r, "ch4-opt-eff-phrase", "about SGD's"));
    CU_ASSERT(chapter_says(&r, "ch4-opt-plateau", "do not both leave"));
    chapter_run_free(&r);
}

/* Exercise 2: the sigmoid ratio at depth 20 is about the factor per
   layer to the 18th power (within a factor of 30), and far below the
   ratio at depth 10. */
static void test_exercise_depth_20(void)
{
    const chapter_run *b = chapter_base(4);
    chapter_run r = {0};
    const char *const args[] = {"--depth", "20", NULL};
    if (!b || !chapter_quick(4, args, &r))
        return;
    const double ratio = chapter_value(&r, "ch4-vanish-sigmoid"),
                 f = chapter_value(&r, "ch4-vanish-per-layer");
    CU_ASSERT(ratio < 1e-3 * chapter_value(b, "ch4-vanish-sigmoid"));
    CU_ASSERT(fabs(log10(ratio) - 18 * log10(f)) < log10(30.0));
    chapter_run_free(&r);
}

/* Exercise 3: at gain 1.5 both chains still grow, but slower. */
static void test_exercise_gain(void)
{
    const chapter_run *b = chapter_base(4);
    chapter_run r = {0};
    const char *const args[] = {"--gain", "1.5", NULL};
    if (!b || !chapter_quick(4, args, &r))
        return;
    const double t = chapter_value(&r, "ch4-explode-per-layer"),
                 u = chapter_value(&r, "ch4-depth-relu-big");
    CU_ASSERT(t > 1 && t < chapter_value(b, "ch4-explode-per-layer"));
    CU_ASSERT(u > 1 && u < chapter_value(b, "ch4-depth-relu-big"));
    chapter_run_free(&r);
}

/* Exercise 4: with mu = 0.5 momentum's best rate does not go down. */
static void test_exercise_mu(void)
{
    const chapter_run *b = chapter_base(4);
    chapter_run r = {0};
    const char *const args[] = {"--mu", "0.5", NULL};
    if (!b || !chapter_quick(4, args, &r))
        return;
    CU_ASSERT(chapter_value(&r, "ch4-opt-momentum-lr")
              >= chapter_value(b, "ch4-opt-momentum-lr"));
    chapter_run_free(&r);
}

/* Exercise 5: more noise, lower test accuracy on the spirals. */
static void test_exercise_noise(void)
{
    const chapter_run *b = chapter_base(4);
    chapter_run r = {0};
    const char *const args[] = {"--noise", "0.1", NULL};
    if (!b || !chapter_quick(4, args, &r))
        return;
    CU_ASSERT(chapter_value(&r, "ch4-spiral-test")
              < chapter_value(b, "ch4-spiral-test"));
    CU_ASSERT(chapter_says(&r, "ch4-spiral-gap", "points below"));
    CU_ASSERT(chapter_value(&r, "ch4-spiral-gap-points") >= 3);
    chapter_run_free(&r);
}

/* Exercise 6 and the text: --lr 10 runs to the end but does not learn. */
static void test_exercise_lr_10(void)
{
    chapter_run r = {0};
    const char *const args[] = {"--lr", "10", NULL};
    if (!chapter_quick(4, args, &r))
        return;
    CU_ASSERT(chapter_value(&r, "ch4-spiral-test") < 80);
    /* and both rates spike, the decaying one less */
    CU_ASSERT(chapter_says(&r, "ch4-spiral-spikes", "fewer with"));
    chapter_run_free(&r);
}

/* Exercise 7: four times the batch, lower accuracy after the same
   epochs. */
static void test_exercise_batch(void)
{
    const chapter_run *b = chapter_base(4);
    chapter_run r = {0};
    const char *const args[] = {"--fm-batch", "1024", NULL};
    if (!b || !chapter_quick(4, args, &r))
        return;
    CU_ASSERT(chapter_value(&r, "ch4-fm-acc") < chapter_value(b, "ch4-fm-acc"));
    chapter_run_free(&r);
}

/* The spikes of section "Training a classifier": the spirals network of
   the chapter, from one start and on the same batches, Adam at 0.01 held
   constant and decayed by the half cosine, 400 epochs, three seeds. */
typedef struct { train_optimizer *o; size_t E, spikes; double low; int up, cosine; } spike_log;

static int count_spikes(const train_progress *p, void *arg)
{
    spike_log *l = arg;
    if (l->cosine)
        l->o->lr = train_cosine_rate(0.01, (double)p->epoch, (double)l->E);
    const int now = p->epoch > 1 && p->loss > 3 * l->low;
    l->spikes += now && !l->up;
    l->up = now;
    l->low = p->epoch == 1 ? p->loss : fmin(l->low, p->loss);
    return 0;
}

static void test_cosine_removes_spikes(void)
{
    size_t total[2] = {0, 0};
    for (unsigned long seed = 1; seed <= 3; seed++)
        for (int cosine = 0; cosine < 2; cosine++) {
            gsl_rng *r = rng(seed), *shuffle = rng(seed + 100);
            const size_t width[] = {2, 32, 32, 2};
            const layer_activation act[] = {LAYER_TANH, LAYER_TANH, LAYER_IDENTITY};
            chain *c = chain_alloc(3, width, act);
            gsl_matrix *X = gsl_matrix_alloc(400, 2), *Y = gsl_matrix_alloc(400, 2);
            train_spirals(X, Y, r, 0.03);
            train_initialize(c, TRAIN_INIT_NORMAL, 1.0, r);
            train_optimizer *o = train_optimizer_alloc(TRAIN_ADAM, c->nparams, 0.01);
            spike_log l = {o, 400, 0, 0, 0, cosine};
            CU_ASSERT_EQUAL(train_run(c, o, BACKPROP_SOFTMAX_CE, X, Y, 16, 400, shuffle,
                                      count_spikes, &l, NULL), GSL_SUCCESS);
            total[cosine] += l.spikes;
            chain_free(c), train_optimizer_free(o), gsl_rng_free(r), gsl_rng_free(shuffle);
            gsl_matrix_free(X), gsl_matrix_free(Y);
        }
    CU_ASSERT(total[1] < total[0]);
}

/* The half cosine stays above 0.9 eta0 for the first fifth of the run
   and above eta0 / 2 for the first half, but not near eta0 for a third:
   at T/3 it is 0.75 eta0. */
static void test_cosine_early_rates(void)
{
    const double T = 120;
    for (double t = 0; t <= 0.2 * T; t += 1)
        CU_ASSERT(train_cosine_rate(2, t, T) > 0.9 * 2);
    for (double t = 0; t <= 0.5 * T; t += 1)
        CU_ASSERT(train_cosine_rate(2, t, T) >= 0.5 * 2 - 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(train_cosine_rate(2, T / 3, T), 0.75 * 2, 1e-12);
    CU_ASSERT(train_cosine_rate(2, 0.25 * T, T) < 0.9 * 2);
}

void suite_ch4(void)
{
    CU_pSuite s = CU_add_suite("ch4", NULL, chapter_base_free);
    CU_add_test(s, "default run: costs, vanishing and exploding gradients", test_default_claims);
    CU_add_test(s, "--gain 0.5 --mu 0 --hidden 4: the words follow", test_knobs_turn_words);
    CU_add_test(s, "exercise --depth 20: the sigmoid ratio follows the factor", test_exercise_depth_20);
    CU_add_test(s, "exercise --gain 1.5: still growing, slower", test_exercise_gain);
    CU_add_test(s, "exercise --mu 0.5: momentum's best rate does not fall", test_exercise_mu);
    CU_add_test(s, "exercise --noise 0.1: lower spirals test accuracy", test_exercise_noise);
    CU_add_test(s, "exercise --lr 10: runs, does not learn", test_exercise_lr_10);
    CU_add_test(s, "exercise --fm-batch 1024: lower accuracy", test_exercise_batch);
    CU_add_test(s, "a half-cosine rate has fewer Adam spikes", test_cosine_removes_spikes);
    CU_add_test(s, "the half cosine's early rates", test_cosine_early_rates);
}
