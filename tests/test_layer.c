/* test_layer.c: the layer module against mathematics.
 *
 * - JVPs and VJPs agree with the Jacobian formed by central differences;
 * - they are adjoint: <U, J v> = <J^T U, v>, to rounding;
 * - a chain of linear layers is one affine map;
 * - the gradient of the cost agrees with chapter 1's numerical gradient;
 * - the first-order Taylor remainder of the cost is O(e^2).
 * Every chain is random, for several shapes and activations. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <CUnit/CUnit.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "deriv.h"
#include "layer.h"
#include "testutil.h"

typedef struct {
    size_t depth;
    size_t width[6];
    layer_activation act[5];
} shape;

/* Smooth chains (tanh, sigmoid, identity) for finite differences. */
static const shape smooth[] = {
    {1, {3, 2}, {LAYER_SIGMOID}},
    {2, {3, 4, 2}, {LAYER_TANH, LAYER_SIGMOID}},
    {3, {2, 5, 5, 3}, {LAYER_SIGMOID, LAYER_TANH, LAYER_IDENTITY}},
    {4, {4, 6, 3, 5, 1}, {LAYER_TANH, LAYER_TANH, LAYER_SIGMOID, LAYER_SIGMOID}},
};
/* With rectifiers too: the adjoint identity holds for any activation. */
static const shape any[] = {
    {2, {3, 4, 2}, {LAYER_RELU, LAYER_IDENTITY}},
    {3, {5, 8, 8, 2}, {LAYER_RELU, LAYER_TANH, LAYER_SIGMOID}},
    {5, {2, 3, 4, 5, 4, 3}, {LAYER_RELU, LAYER_SIGMOID, LAYER_TANH, LAYER_RELU, LAYER_IDENTITY}},
};
enum { NSMOOTH = sizeof smooth / sizeof smooth[0], NANY = sizeof any / sizeof any[0] };
enum { ROWS = 3 };

/* A random chain of shape s with biases too, so every parameter matters. */
static chain *random_chain(const shape *s, gsl_rng *r)
{
    return random_chain_with(s->depth, s->width, s->act, 1.5, 0.5, r);
}


static double frobenius(const gsl_matrix *M)
{
    double s = 0;
    for (size_t i = 0; i < M->size1; i++)
        for (size_t j = 0; j < M->size2; j++)
            s += gsl_matrix_get(M, i, j) * gsl_matrix_get(M, i, j);
    return sqrt(s);
}

static double frobenius_dot(const gsl_matrix *A, const gsl_matrix *B)
{
    double s = 0;
    for (size_t i = 0; i < A->size1; i++)
        for (size_t j = 0; j < A->size2; j++)
            s += gsl_matrix_get(A, i, j) * gsl_matrix_get(B, i, j);
    return s;
}

/* ||A - B||_F / ||B||_F */
static double relative_difference(const gsl_matrix *A, const gsl_matrix *B)
{
    gsl_matrix *D = gsl_matrix_alloc(A->size1, A->size2);
    gsl_matrix_memcpy(D, A);
    gsl_matrix_sub(D, B);
    const double r = frobenius(D) / frobenius(B);
    gsl_matrix_free(D);
    return r;
}

/* The Jacobian in theta, formed three ways, agrees: JVP and VJP columns
   and rows to rounding, finite differences to their truncation error. */
static void test_jacobians_agree(void)
{
    gsl_rng *r = rng(11);
    for (int s = 0; s < NSMOOTH; s++) {
        chain *c = random_chain(&smooth[s], r);
        gsl_matrix *X = gsl_matrix_alloc(ROWS, c->width[0]);
        fill_gaussian(X, r);
        const size_t m = ROWS * c->width[c->depth];
        gsl_matrix *Jf = gsl_matrix_alloc(m, c->nparams), *Jj = gsl_matrix_alloc(m, c->nparams),
                   *Jv = gsl_matrix_alloc(m, c->nparams);
        CU_ASSERT_EQUAL(chain_jacobian_fd(c, X, 1e-5, 0, Jf), GSL_SUCCESS);
        CU_ASSERT_EQUAL(chain_jacobian_jvp(c, X, Jj), GSL_SUCCESS);
        CU_ASSERT_EQUAL(chain_jacobian_vjp(c, X, Jv), GSL_SUCCESS);
        CU_ASSERT(relative_difference(Jf, Jj) < 1e-7);
        CU_ASSERT(relative_difference(Jf, Jv) < 1e-7);
        CU_ASSERT(relative_difference(Jv, Jj) < 100 * DBL_EPSILON);
        /* forward differences: error O(h), so far larger than central */
        CU_ASSERT_EQUAL(chain_jacobian_fd(c, X, 1e-4, 1, Jf), GSL_SUCCESS);
        CU_ASSERT(relative_difference(Jf, Jj) < 1e-3);
        CU_ASSERT(relative_difference(Jf, Jj) > 1e-7);
        gsl_matrix_free(Jf);
        gsl_matrix_free(Jj);
        gsl_matrix_free(Jv);
        gsl_matrix_free(X);
        chain_free(c);
    }
    gsl_rng_free(r);
}

/* The JVP in the input direction against a central difference along dX. */
static void test_input_jvp_against_difference(void)
{
    gsl_rng *r = rng(12);
    const double h = 1e-5;
    for (int s = 0; s < NSMOOTH; s++) {
        chain *c = random_chain(&smooth[s], r);
        const size_t in = c->width[0], out = c->width[c->depth];
        gsl_matrix *X = gsl_matrix_alloc(ROWS, in), *dX = gsl_matrix_alloc(ROWS, in),
                   *Xs = gsl_matrix_alloc(ROWS, in), *plus = gsl_matrix_alloc(ROWS, out),
                   *dY = gsl_matrix_alloc(ROWS, out);
        fill_gaussian(X, r);
        fill_gaussian(dX, r);
        gsl_matrix_memcpy(Xs, dX);                       /* F(X + h dX) */
        gsl_matrix_scale(Xs, h);
        gsl_matrix_add(Xs, X);
        chain_forward(c, Xs);
        gsl_matrix_view o = chain_activation(c, c->depth);
        gsl_matrix_memcpy(plus, &o.matrix);
        gsl_matrix_memcpy(Xs, dX);                       /* F(X - h dX) */
        gsl_matrix_scale(Xs, -h);
        gsl_matrix_add(Xs, X);
        chain_forward(c, Xs);
        o = chain_activation(c, c->depth);
        gsl_matrix_sub(plus, &o.matrix);
        gsl_matrix_scale(plus, 1 / (2 * h));
        chain_forward(c, X);
        CU_ASSERT_EQUAL(chain_jvp(c, NULL, dX, dY), GSL_SUCCESS);
        CU_ASSERT(relative_difference(plus, dY) < 1e-7);
        gsl_matrix_free(X);
        gsl_matrix_free(dX);
        gsl_matrix_free(Xs);
        gsl_matrix_free(plus);
        gsl_matrix_free(dY);
        chain_free(c);
    }
    gsl_rng_free(r);
}

/* <U, J (dtheta, dX)> = <gtheta, dtheta> + <gX, dX> for random U, dtheta,
   dX, relative to the Cauchy-Schwarz bound |U| |J v| of either side. */
static void check_adjoint(const shape *s, gsl_rng *r)
{
    chain *c = random_chain(s, r);
    const size_t in = c->width[0], out = c->width[c->depth], P = c->nparams;
    gsl_matrix *X = gsl_matrix_alloc(ROWS, in), *dX = gsl_matrix_alloc(ROWS, in),
               *gX = gsl_matrix_alloc(ROWS, in), *U = gsl_matrix_alloc(ROWS, out),
               *dY = gsl_matrix_alloc(ROWS, out);
    gsl_vector *dt = gsl_vector_alloc(P), *gt = gsl_vector_alloc(P);
    for (int trial = 0; trial < 10; trial++) {
        fill_gaussian(X, r);
        fill_gaussian(dX, r);
        fill_gaussian(U, r);
        for (size_t j = 0; j < P; j++)
            gsl_vector_set(dt, j, gsl_ran_gaussian(r, 1.0));
        CU_ASSERT_EQUAL(chain_forward(c, X), GSL_SUCCESS);
        CU_ASSERT_EQUAL(chain_jvp(c, dt, dX, dY), GSL_SUCCESS);
        CU_ASSERT_EQUAL(chain_vjp(c, U, gt, gX), GSL_SUCCESS);
        double right;
        gsl_blas_ddot(gt, dt, &right);
        right += frobenius_dot(gX, dX);
        const double left = frobenius_dot(U, dY);
        CU_ASSERT(fabs(left - right) <= 1e-12 * frobenius(U) * frobenius(dY));
    }
    gsl_matrix_free(X);
    gsl_matrix_free(dX);
    gsl_matrix_free(gX);
    gsl_matrix_free(U);
    gsl_matrix_free(dY);
    gsl_vector_free(dt);
    gsl_vector_free(gt);
    chain_free(c);
}

static void test_adjoint_identity(void)
{
    gsl_rng *r = rng(13);
    for (int s = 0; s < NSMOOTH; s++)
        check_adjoint(&smooth[s], r);
    for (int s = 0; s < NANY; s++)
        check_adjoint(&any[s], r);
    gsl_rng_free(r);
}

/* A chain of identity layers is the one affine map chain_collapse forms. */
static void test_linear_layers_collapse(void)
{
    gsl_rng *r = rng(14);
    const shape linear[] = {
        {3, {4, 7, 5, 3}, {LAYER_IDENTITY, LAYER_IDENTITY, LAYER_IDENTITY}},
        {5, {2, 9, 9, 9, 9, 2}, {0, 0, 0, 0, 0}},
    };
    for (int s = 0; s < 2; s++) {
        chain *c = random_chain(&linear[s], r);
        const size_t in = c->width[0], out = c->width[c->depth];
        gsl_matrix *X = gsl_matrix_alloc(20, in), *Y = gsl_matrix_alloc(20, out),
                   *M = gsl_matrix_alloc(out, in);
        gsl_vector *m = gsl_vector_alloc(out);
        fill_gaussian(X, r);
        CU_ASSERT_EQUAL(chain_collapse(c, M, m), GSL_SUCCESS);
        gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, X, M, 0.0, Y);   /* X M^T + 1 m^T */
        for (size_t i = 0; i < Y->size1; i++) {
            gsl_vector_view row = gsl_matrix_row(Y, i);
            gsl_vector_add(&row.vector, m);
        }
        chain_forward(c, X);
        gsl_matrix_view A = chain_activation(c, c->depth);
        CU_ASSERT(relative_difference(&A.matrix, Y) < 100 * DBL_EPSILON);
        gsl_matrix_free(X);
        gsl_matrix_free(Y);
        gsl_matrix_free(M);
        gsl_vector_free(m);
        chain_free(c);
    }
    const shape bent = {2, {2, 3, 1}, {LAYER_TANH, LAYER_IDENTITY}};
    chain *c = random_chain(&bent, r);
    gsl_matrix *M = gsl_matrix_alloc(1, 2);
    gsl_vector *m = gsl_vector_alloc(1);
    CU_ASSERT_EQUAL(chain_collapse(c, M, m), GSL_EINVAL);      /* not linear */
    gsl_matrix_free(M);
    gsl_vector_free(m);
    chain_free(c);
    gsl_rng_free(r);
}

/* The cost as a function of theta, for deriv_gradient and the Taylor check. */
typedef struct { chain *c; const gsl_matrix *X, *Y; } cost_params;

static double cost_of(const gsl_vector *theta, void *params)
{
    cost_params *p = params;
    gsl_vector_memcpy(p->c->theta, theta);
    double C;
    chain_cost(p->c, p->X, p->Y, &C);
    return C;
}

/* A random chain with a random regression data set of 8 rows. */
static cost_params random_problem(const shape *s, gsl_rng *r, gsl_matrix **X, gsl_matrix **Y)
{
    chain *c = random_chain(s, r);
    *X = gsl_matrix_alloc(8, c->width[0]);
    *Y = gsl_matrix_alloc(8, c->width[c->depth]);
    fill_gaussian(*X, r);
    fill_gaussian(*Y, r);
    return (cost_params){c, *X, *Y};
}

static void test_cost_gradient_against_differences(void)
{
    gsl_rng *r = rng(15);
    for (int s = 0; s < NSMOOTH; s++) {
        gsl_matrix *X, *Y;
        cost_params p = random_problem(&smooth[s], r, &X, &Y);
        const size_t P = p.c->nparams;
        gsl_vector *theta = gsl_vector_alloc(P), *g = gsl_vector_alloc(P),
                   *gfd = gsl_vector_alloc(P);
        gsl_vector_memcpy(theta, p.c->theta);
        double C;
        CU_ASSERT_EQUAL(chain_cost_gradient(p.c, X, Y, &C, g), GSL_SUCCESS);
        gsl_multimin_function F = {cost_of, P, &p};
        CU_ASSERT_EQUAL(deriv_gradient(&F, theta, 1e-5, gfd), GSL_SUCCESS);
        gsl_vector_sub(gfd, g);
        CU_ASSERT(gsl_blas_dnrm2(gfd) < 1e-7 * gsl_blas_dnrm2(g));
        gsl_vector_free(theta);
        gsl_vector_free(g);
        gsl_vector_free(gfd);
        gsl_matrix_free(X);
        gsl_matrix_free(Y);
        chain_free(p.c);
    }
    gsl_rng_free(r);
}

/* |C(theta + e v) - C(theta) - e <grad C, v>| ~ K e^2: measured order 2.
   Without the gradient term the remainder is first order. */
static void test_taylor_remainder_order(void)
{
    gsl_rng *r = rng(16);
    for (int s = 0; s < NSMOOTH; s++) {
        gsl_matrix *X, *Y;
        cost_params p = random_problem(&smooth[s], r, &X, &Y);
        const size_t P = p.c->nparams;
        gsl_vector *theta = gsl_vector_alloc(P), *g = gsl_vector_alloc(P),
                   *v = gsl_vector_alloc(P), *t = gsl_vector_alloc(P);
        gsl_vector_memcpy(theta, p.c->theta);
        double C0, slope;
        chain_cost_gradient(p.c, X, Y, &C0, g);
        for (size_t j = 0; j < P; j++)
            gsl_vector_set(v, j, gsl_ran_gaussian(r, 1.0));
        gsl_vector_scale(v, 1 / gsl_blas_dnrm2(v));
        gsl_blas_ddot(g, v, &slope);
        enum { NE = 13 };
        double e[NE], r1[NE], r2[NE], p1, p2;
        for (int k = 0; k < NE; k++) {                  /* e from 1e-1 to 1e-4 */
            e[k] = pow(10.0, -1 - k / 4.0);
            gsl_vector_memcpy(t, theta);
            gsl_blas_daxpy(e[k], v, t);
            const double C = cost_of(t, &p);
            r1[k] = fabs(C - C0);
            r2[k] = fabs(C - C0 - e[k] * slope);
        }
        CU_ASSERT_EQUAL(deriv_observed_order(e, r2, NE, &p2), GSL_SUCCESS);
        CU_ASSERT_EQUAL(deriv_observed_order(e, r1, NE, &p1), GSL_SUCCESS);
        CU_ASSERT(fabs(p2 - 2) < 0.1);
        CU_ASSERT(fabs(p1 - 1) < 0.1);
        gsl_vector_free(theta);
        gsl_vector_free(g);
        gsl_vector_free(v);
        gsl_vector_free(t);
        gsl_matrix_free(X);
        gsl_matrix_free(Y);
        chain_free(p.c);
    }
    gsl_rng_free(r);
}

/* Wrong shapes are reported, not computed. */
static void test_shapes_are_checked(void)
{
    const size_t width[] = {3, 2};
    const layer_activation act[] = {LAYER_TANH};
    chain *c = chain_alloc(1, width, act);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->nparams, 8u);
    gsl_matrix *X = gsl_matrix_calloc(4, 2), *Y = gsl_matrix_calloc(4, 2);
    CU_ASSERT_EQUAL(chain_forward(c, X), GSL_EBADLEN);
    double C;
    gsl_matrix *X3 = gsl_matrix_calloc(4, 3), *Y1 = gsl_matrix_calloc(4, 1);
    CU_ASSERT_EQUAL(chain_cost(c, X3, Y1, &C), GSL_EBADLEN);
    CU_ASSERT_EQUAL(chain_forward(c, X3), GSL_SUCCESS);
    CU_ASSERT_EQUAL(chain_vjp(c, Y1, NULL, NULL), GSL_EBADLEN);
    const size_t zero[] = {3, 0};
    CU_ASSERT_PTR_NULL(chain_alloc(1, zero, act));
    chain_free(NULL);
    gsl_matrix_free(X);
    gsl_matrix_free(Y);
    gsl_matrix_free(X3);
    gsl_matrix_free(Y1);
    chain_free(c);
}

void suite_layer(void)
{
    CU_pSuite s = CU_add_suite("layer", NULL, NULL);
    CU_add_test(s, "Jacobians by JVP, VJP and differences agree", test_jacobians_agree);
    CU_add_test(s, "input JVP against a central difference", test_input_jvp_against_difference);
    CU_add_test(s, "JVP and VJP are adjoint", test_adjoint_identity);
    CU_add_test(s, "stacked linear layers are one affine map", test_linear_layers_collapse);
    CU_add_test(s, "cost gradient against deriv_gradient", test_cost_gradient_against_differences);
    CU_add_test(s, "Taylor remainder is of order 2", test_taylor_remainder_order);
    CU_add_test(s, "wrong shapes are reported", test_shapes_are_checked);
}
