/* test_backprop.c: the backward pass against mathematics.
 *
 * - Backprop gradients match chapter 1's central differences (deriv_gradient)
 *   for random networks of several depths, widths and activations, with both
 *   costs: relative error below 1e-7, inputs kept away from ReLU kinks, and
 *   a guard that the gradient is not trivially zero.
 * - They agree to rounding with chapter 3's VJP gradient (MSE).
 * - The softmax cross-entropy's dC/dA is p - y over n, and it is finite for
 *   huge outputs; the gradient of a batch is the mean of the examples'.
 * - Wrong shapes are reported, not crashed on.
 * - Chapter 4's claim about depth: at initialisation, in a chain of ten
 *   sigmoid layers the weight gradients shrink layer by layer towards the
 *   input, by more than 1000x from the last hidden layer to the second,
 *   while tanh and ReLU chains keep them within a factor of ten. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <CUnit/CUnit.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "backprop.h"
#include "deriv.h"
#include "layer.h"
#include "testutil.h"
#include "train.h"

typedef struct {
    size_t depth;
    size_t width[7];
    layer_activation act[6];
} net_shape;

static const net_shape shapes[] = {
    {1, {3, 2}, {LAYER_SIGMOID}},
    {2, {2, 16, 2}, {LAYER_TANH, LAYER_IDENTITY}},
    {2, {5, 9, 3}, {LAYER_RELU, LAYER_SIGMOID}},
    {3, {4, 7, 6, 3}, {LAYER_SIGMOID, LAYER_TANH, LAYER_IDENTITY}},
    {4, {3, 12, 12, 12, 4}, {LAYER_RELU, LAYER_RELU, LAYER_RELU, LAYER_IDENTITY}},
    {6, {2, 5, 5, 5, 5, 5, 2}, {LAYER_TANH, LAYER_SIGMOID, LAYER_RELU, LAYER_TANH,
                                LAYER_SIGMOID, LAYER_IDENTITY}},
};
enum { NSHAPES = sizeof shapes / sizeof shapes[0], ROWS = 6 };

static chain *random_net(const net_shape *s, gsl_rng *r)
{
    return random_chain_with(s->depth, s->width, s->act, 1.3, 0.3, r);
}


/* Targets for a cost: Gaussian for MSE, one-hot rows for cross-entropy. */
static void fill_targets(gsl_matrix *Y, backprop_cost cost, gsl_rng *r)
{
    if (cost == BACKPROP_MSE) {
        fill_gaussian(Y, r);
        return;
    }
    gsl_matrix_set_zero(Y);
    for (size_t i = 0; i < Y->size1; i++)
        gsl_matrix_set(Y, i, gsl_rng_uniform_int(r, Y->size2), 1.0);
}

/* The smallest |Z| of a rectifier layer in the last forward pass: how far
   the batch is from a kink. */
static double kink_margin(const chain *c)
{
    double m = INFINITY;
    for (size_t l = 1; l <= c->depth; l++) {
        if (c->layers[l - 1].act != LAYER_RELU)
            continue;
        gsl_matrix_view Z = chain_preactivation(c, l);
        for (size_t i = 0; i < Z.matrix.size1; i++)
            for (size_t k = 0; k < Z.matrix.size2; k++)
                m = fmin(m, fabs(gsl_matrix_get(&Z.matrix, i, k)));
    }
    return m;
}

typedef struct { chain *c; const gsl_matrix *X, *Y; backprop_cost cost; } problem;

static double cost_at(const gsl_vector *theta, void *params)
{
    problem *p = params;
    gsl_vector_memcpy(p->c->theta, theta);
    double C = NAN;
    chain_forward(p->c, p->X);
    gsl_matrix_view A = chain_activation(p->c, p->c->depth);
    backprop_cost_eval(p->cost, &A.matrix, p->Y, &C, NULL);
    return C;
}

/* One random problem: a batch drawn again until it keeps 1e-3 from every
   rectifier's kink, so that the steps of the differences (1e-5) never
   cross one. */
static void draw_batch(chain *c, gsl_matrix *X, gsl_rng *r)
{
    for (int tries = 0; tries < 1000; tries++) {
        fill_gaussian(X, r);
        chain_forward(c, X);
        if (kink_margin(c) > 1e-3)
            return;
    }
    CU_FAIL("no batch away from the rectifiers' kinks");
}

static void test_gradient_against_central_differences(void)
{
    gsl_rng *r = rng(41);
    for (int cost = BACKPROP_MSE; cost <= BACKPROP_SOFTMAX_CE; cost++)
        for (int s = 0; s < NSHAPES; s++) {
            chain *c = random_net(&shapes[s], r);
            const size_t P = c->nparams;
            gsl_matrix *X = gsl_matrix_alloc(ROWS, c->width[0]),
                       *Y = gsl_matrix_alloc(ROWS, c->width[c->depth]);
            gsl_vector *g = gsl_vector_alloc(P), *gfd = gsl_vector_alloc(P),
                       *theta = gsl_vector_alloc(P);
            backprop_workspace *w = backprop_alloc(c);
            CU_ASSERT_PTR_NOT_NULL_FATAL(w);
            draw_batch(c, X, r);
            fill_targets(Y, (backprop_cost)cost, r);
            double C;
            CU_ASSERT_EQUAL(backprop_gradient(c, w, (backprop_cost)cost, X, Y, &C, g),
                            GSL_SUCCESS);
            problem p = {c, X, Y, (backprop_cost)cost};
            gsl_multimin_function F = {cost_at, P, &p};
            gsl_vector_memcpy(theta, c->theta);
            CU_ASSERT_EQUAL(deriv_gradient(&F, theta, 1e-5, gfd), GSL_SUCCESS);
            const double norm = gsl_blas_dnrm2(g);
            CU_ASSERT(norm > 1e-3);                    /* not trivially zero */
            CU_ASSERT(gsl_blas_dnrm2(gfd) > 1e-3);
            gsl_vector_sub(gfd, g);
            const double rel = gsl_blas_dnrm2(gfd) / norm;
            CU_ASSERT(rel < 1e-7);
            if (!(rel < 1e-7))
                printf("\n  shape %d, cost %d: relative error %.3g\n", s, cost, rel);
            gsl_vector_free(g), gsl_vector_free(gfd), gsl_vector_free(theta);
            gsl_matrix_free(X), gsl_matrix_free(Y);
            backprop_free(w), chain_free(c);
        }
    gsl_rng_free(r);
}

/* With the MSE, backprop is chapter 3's chain_cost_gradient, to rounding. */
static void test_agrees_with_chain_vjp(void)
{
    gsl_rng *r = rng(42);
    for (int s = 0; s < NSHAPES; s++) {
        chain *c = random_net(&shapes[s], r);
        const size_t P = c->nparams;
        gsl_matrix *X = gsl_matrix_alloc(ROWS, c->width[0]),
                   *Y = gsl_matrix_alloc(ROWS, c->width[c->depth]);
        gsl_vector *g = gsl_vector_alloc(P), *g3 = gsl_vector_alloc(P);
        backprop_workspace *w = backprop_alloc(c);
        fill_gaussian(X, r), fill_gaussian(Y, r);
        double C, C3;
        CU_ASSERT_EQUAL(backprop_gradient(c, w, BACKPROP_MSE, X, Y, &C, g), GSL_SUCCESS);
        CU_ASSERT_EQUAL(chain_cost_gradient(c, X, Y, &C3, g3), GSL_SUCCESS);
        CU_ASSERT(fabs(C - C3) <= 8 * DBL_EPSILON * C3);
        gsl_vector_sub(g3, g);
        CU_ASSERT(gsl_blas_dnrm2(g3) <= 100 * DBL_EPSILON * gsl_blas_dnrm2(g));
        gsl_vector_free(g), gsl_vector_free(g3);
        gsl_matrix_free(X), gsl_matrix_free(Y);
        backprop_free(w), chain_free(c);
    }
    gsl_rng_free(r);
}

/* dC/dA of the cross-entropy is (softmax(A) - Y)/n for one-hot Y, and stays
   finite for outputs that would overflow exp. */
static void test_softmax_cross_entropy(void)
{
    gsl_matrix *A = gsl_matrix_alloc(2, 3), *Y = gsl_matrix_calloc(2, 3),
               *G = gsl_matrix_alloc(2, 3);
    const double a[6] = {1, 2, 3, 1000, 0, -1000};
    for (int i = 0; i < 6; i++)
        gsl_matrix_set(A, (size_t)i / 3, (size_t)i % 3, a[i]);
    gsl_matrix_set(Y, 0, 2, 1.0), gsl_matrix_set(Y, 1, 1, 1.0);
    double C;
    CU_ASSERT_EQUAL(backprop_cost_eval(BACKPROP_SOFTMAX_CE, A, Y, &C, G), GSL_SUCCESS);
    const double s = exp(1) + exp(2) + exp(3);
    const double want = 0.5 * (-(3 - log(s)) + 1000);    /* row 2: -log p = 1000 */
    CU_ASSERT_DOUBLE_EQUAL(C, want, 1e-12 * want);
    for (int k = 0; k < 3; k++)
        CU_ASSERT_DOUBLE_EQUAL(gsl_matrix_get(G, 0, k),
                               0.5 * (exp(a[k]) / s - gsl_matrix_get(Y, 0, k)), 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(gsl_matrix_get(G, 1, 0), 0.5, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(gsl_matrix_get(G, 1, 1), -0.5, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(gsl_matrix_get(G, 1, 2), 0.0, 1e-300);
    gsl_matrix_free(A), gsl_matrix_free(Y), gsl_matrix_free(G);
}

/* The gradient of a batch is the mean of its examples' gradients. */
static void test_batch_is_mean_of_examples(void)
{
    gsl_rng *r = rng(43);
    chain *c = random_net(&shapes[3], r);
    const size_t P = c->nparams, n = 5;
    gsl_matrix *X = gsl_matrix_alloc(n, c->width[0]), *Y = gsl_matrix_alloc(n, 3);
    gsl_vector *g = gsl_vector_alloc(P), *gi = gsl_vector_alloc(P),
               *mean = gsl_vector_calloc(P);
    backprop_workspace *w = backprop_alloc(c);
    fill_gaussian(X, r), fill_targets(Y, BACKPROP_SOFTMAX_CE, r);
    double C, Ci, Csum = 0;
    for (size_t i = 0; i < n; i++) {
        gsl_matrix_view x = gsl_matrix_submatrix(X, i, 0, 1, X->size2),
                        y = gsl_matrix_submatrix(Y, i, 0, 1, 3);
        CU_ASSERT_EQUAL(backprop_gradient(c, w, BACKPROP_SOFTMAX_CE, &x.matrix, &y.matrix,
                                          &Ci, gi), GSL_SUCCESS);
        gsl_blas_daxpy(1.0 / (double)n, gi, mean);
        Csum += Ci / (double)n;
    }
    CU_ASSERT_EQUAL(backprop_gradient(c, w, BACKPROP_SOFTMAX_CE, X, Y, &C, g), GSL_SUCCESS);
    CU_ASSERT_DOUBLE_EQUAL(C, Csum, 1e-14 * Csum);
    gsl_vector_sub(mean, g);
    CU_ASSERT(gsl_blas_dnrm2(mean) <= 1e-14 * gsl_blas_dnrm2(g));
    gsl_vector_free(g), gsl_vector_free(gi), gsl_vector_free(mean);
    gsl_matrix_free(X), gsl_matrix_free(Y), backprop_free(w), chain_free(c);
    gsl_rng_free(r);
}

static void test_shapes_are_checked(void)
{
    const size_t width[] = {3, 4, 2}, other[] = {3, 5, 2};
    const layer_activation act[] = {LAYER_TANH, LAYER_IDENTITY};
    chain *c = chain_alloc(2, width, act), *d = chain_alloc(2, other, act);
    backprop_workspace *w = backprop_alloc(c);
    gsl_matrix *X = gsl_matrix_calloc(4, 3), *Y = gsl_matrix_calloc(4, 2),
               *Ybad = gsl_matrix_calloc(4, 3), *Xbad = gsl_matrix_calloc(4, 2);
    gsl_vector *g = gsl_vector_alloc(c->nparams), *gbad = gsl_vector_alloc(c->nparams + 1);
    double C;
    CU_ASSERT_EQUAL(backprop_gradient(c, w, BACKPROP_MSE, X, Ybad, &C, g), GSL_EBADLEN);
    CU_ASSERT_EQUAL(backprop_gradient(c, w, BACKPROP_MSE, Xbad, Y, &C, g), GSL_EBADLEN);
    CU_ASSERT_EQUAL(backprop_gradient(c, w, BACKPROP_MSE, X, Y, &C, gbad), GSL_EBADLEN);
    CU_ASSERT_EQUAL(backprop_gradient(d, w, BACKPROP_MSE, X, Y, &C, g), GSL_EBADLEN);
    CU_ASSERT_EQUAL(backprop_gradient(c, w, (backprop_cost)7, X, Y, &C, g), GSL_EINVAL);
    CU_ASSERT_EQUAL(backprop_gradient(c, w, BACKPROP_MSE, X, Y, &C, g), GSL_SUCCESS);
    CU_ASSERT_EQUAL(backprop_backward(c, w, Ybad, g), GSL_EBADLEN);
    backprop_free(w), backprop_free(NULL), chain_free(c), chain_free(d);
    gsl_matrix_free(X), gsl_matrix_free(Y), gsl_matrix_free(Xbad), gsl_matrix_free(Ybad);
    gsl_vector_free(g), gsl_vector_free(gbad);
}

/* Exercise 1 of chapter 4: a weight-gradient view shaped as if the
   transpose of Delta had been forgotten (in x out instead of out x in),
   and a Dbelow of the wrong shape, are reported by backprop_layer as
   GSL_EBADLEN from dgemm, not left as unwritten gradients. */
static void test_forgotten_transpose_is_reported(void)
{
    const size_t n = 4, in = 3, out = 5;
    double theta[(3 + 1) * 5], wrong[(3 + 1) * 5];
    layer l = layer_view(theta, in, out, LAYER_TANH);
    layer g = layer_view(wrong, out, in, LAYER_TANH);   /* W: 3 x 5 */
    layer ok = layer_view(wrong, in, out, LAYER_TANH);
    gsl_matrix *X = gsl_matrix_calloc(n, in), *A = gsl_matrix_calloc(n, out),
               *D = gsl_matrix_calloc(n, out), *Db = gsl_matrix_calloc(n, out);
    gsl_vector *ones = gsl_vector_alloc(n);
    gsl_vector_set_all(ones, 1.0);
    for (size_t i = 0; i < sizeof theta / sizeof theta[0]; i++)
        theta[i] = 0.1 * (double)i;
    CU_ASSERT_EQUAL(backprop_layer(&l, X, A, D, ones, &g, NULL), GSL_EBADLEN);
    CU_ASSERT_EQUAL(backprop_layer(&l, X, A, D, ones, &ok, Db), GSL_EBADLEN);
    CU_ASSERT_EQUAL(backprop_layer(&l, X, A, D, ones, &ok, NULL), GSL_SUCCESS);
    gsl_matrix_free(X), gsl_matrix_free(A), gsl_matrix_free(D), gsl_matrix_free(Db);
    gsl_vector_free(ones);
}

/* Chapter 4's deep chains: D = 10 hidden layers of 32 between 2 inputs and 2
   outputs, initialised with gain 1 (sigmoid, tanh) or sqrt 2 (ReLU), on 256
   spiral points with the cross-entropy.  norm[l] = |dC/dW^(l+1)|, l = 0..D. */
enum { DEEP = 10 };

static void deep_gradient_norms(layer_activation hidden, double gain, gsl_rng *r,
                                const gsl_matrix *X, const gsl_matrix *Y, double norm[DEEP + 1])
{
    size_t width[DEEP + 2];
    layer_activation act[DEEP + 1];
    for (size_t l = 0; l <= DEEP + 1; l++)
        width[l] = l == 0 || l == DEEP + 1 ? 2 : 32;
    for (size_t l = 0; l <= DEEP; l++)
        act[l] = l < DEEP ? hidden : LAYER_IDENTITY;
    chain *c = chain_alloc(DEEP + 1, width, act);
    backprop_workspace *w = backprop_alloc(c);
    gsl_vector *g = gsl_vector_alloc(c->nparams);
    train_initialize(c, TRAIN_INIT_NORMAL, gain, r);
    double C;
    CU_ASSERT_EQUAL(backprop_gradient(c, w, BACKPROP_SOFTMAX_CE, X, Y, &C, g), GSL_SUCCESS);
    for (size_t l = 0; l <= DEEP; l++) {
        gsl_vector_view gW = gsl_vector_subvector(g, c->offset[l], c->width[l] * c->width[l + 1]);
        norm[l] = gsl_blas_dnrm2(&gW.vector);
    }
    chain_free(c), backprop_free(w), gsl_vector_free(g);
}

/* One draw per seed, seeds 1..5.  Measured on seeds 1..10: the sigmoid's
   ratio |dC/dW^2| / |dC/dW^D| lies in 6e-6..2.4e-5 (a factor of about 0.25
   per layer), tanh's and ReLU's in 0.34..2.1.  The layers compared are the
   two 32 x 32 ones farthest apart, as in the chapter's figure. */
static void test_sigmoid_gradients_vanish_with_depth(void)
{
    for (unsigned long seed = 1; seed <= 5; seed++) {
        gsl_rng *r = rng(seed);
        gsl_matrix *X = gsl_matrix_alloc(256, 2), *Y = gsl_matrix_alloc(256, 2);
        CU_ASSERT_EQUAL(train_spirals(X, Y, r, 0.03), GSL_SUCCESS);
        double sig[DEEP + 1], th[DEEP + 1], re[DEEP + 1];
        deep_gradient_norms(LAYER_SIGMOID, 1.0, r, X, Y, sig);
        deep_gradient_norms(LAYER_TANH, 1.0, r, X, Y, th);
        deep_gradient_norms(LAYER_RELU, sqrt(2.0), r, X, Y, re);
        CU_ASSERT(sig[1] / sig[DEEP - 1] < 1e-3);
        for (size_t l = 1; l < DEEP - 1; l++)           /* every layer down shrinks it */
            CU_ASSERT(sig[l] < 0.5 * sig[l + 1]);
        CU_ASSERT(th[1] / th[DEEP - 1] > 0.1 && th[1] / th[DEEP - 1] < 10);
        CU_ASSERT(re[1] / re[DEEP - 1] > 0.1 && re[1] / re[DEEP - 1] < 10);
        gsl_rng_free(r), gsl_matrix_free(X), gsl_matrix_free(Y);
    }
}

void suite_backprop(void)
{
    CU_pSuite s = CU_add_suite("backprop", NULL, NULL);
    CU_add_test(s, "gradients match central differences (depths, widths, activations, both costs)",
                test_gradient_against_central_differences);
    CU_add_test(s, "MSE gradient equals chapter 3's VJP to rounding", test_agrees_with_chain_vjp);
    CU_add_test(s, "softmax cross-entropy and its derivative p - y", test_softmax_cross_entropy);
    CU_add_test(s, "a batch's gradient is the mean of its examples'", test_batch_is_mean_of_examples);
    CU_add_test(s, "wrong shapes are reported", test_shapes_are_checked);
    CU_add_test(s, "a forgotten transpose is reported", test_forgotten_transpose_is_reported);
    CU_add_test(s, "deep sigmoid gradients vanish towards the input; tanh and ReLU stay level",
                test_sigmoid_gradients_vanish_with_depth);
}
