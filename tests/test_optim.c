/* test_optim.c: the optimisers and data sets of chapter 3, against theory.
 *
 * - Newton's method converges quadratically on a smooth, strongly convex
 *   function: the measured order of e_(k+1) against e_k is 2;
 * - on the convex least-squares cost, gradient descent with a step below
 *   2/L never raises the cost, and with a step above 2/L it diverges;
 * - a Hessian singular to working precision gives GSL_ESING;
 * - a mini-batch as large as the data set is full-batch descent;
 * - the data sets are what their contracts say. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <CUnit/CUnit.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "data.h"
#include "deriv.h"
#include "layer.h"
#include "optim.h"

/* f(x) = log sum_i exp(a_i . x) + |x|^2 / 2: smooth, strongly convex.
   With p = softmax(A x): grad = A^T p + x, H = A^T (diag p - p p^T) A + I. */
typedef struct { gsl_matrix *A; } lse;

static void softmax(const lse *q, const gsl_vector *x, gsl_vector *p, double *logsum)
{
    gsl_blas_dgemv(CblasNoTrans, 1.0, q->A, x, 0.0, p);
    const double top = gsl_vector_max(p);
    double s = 0;
    for (size_t i = 0; i < p->size; i++)
        s += exp(gsl_vector_get(p, i) - top);
    for (size_t i = 0; i < p->size; i++)
        gsl_vector_set(p, i, exp(gsl_vector_get(p, i) - top) / s);
    *logsum = top + log(s);
}

static int lse_fdf(const gsl_vector *x, const size_t *rows, size_t m, void *params,
                   double *f, gsl_vector *grad)
{
    (void)rows, (void)m;
    const lse *q = params;
    gsl_vector *p = gsl_vector_alloc(q->A->size1);
    double logsum, xx;
    softmax(q, x, p, &logsum);
    gsl_blas_ddot(x, x, &xx);
    *f = logsum + xx / 2;
    if (grad) {
        gsl_vector_memcpy(grad, x);
        gsl_blas_dgemv(CblasTrans, 1.0, q->A, p, 1.0, grad);
    }
    gsl_vector_free(p);
    return GSL_SUCCESS;
}

static int lse_hessian(const gsl_vector *x, void *params, gsl_matrix *H)
{
    const lse *q = params;
    const size_t n = q->A->size1, d = q->A->size2;
    gsl_vector *p = gsl_vector_alloc(n), *Ap = gsl_vector_alloc(d);
    double logsum;
    softmax(q, x, p, &logsum);
    gsl_blas_dgemv(CblasTrans, 1.0, q->A, p, 0.0, Ap);
    gsl_matrix_set_identity(H);
    for (size_t i = 0; i < n; i++) {
        gsl_vector_const_view a = gsl_matrix_const_row(q->A, i);
        gsl_blas_dger(gsl_vector_get(p, i), &a.vector, &a.vector, H);
    }
    gsl_blas_dger(-1.0, Ap, Ap, H);
    gsl_vector_free(p);
    gsl_vector_free(Ap);
    return GSL_SUCCESS;
}

typedef struct { double x[64][8]; size_t count, d; } trace;

static int record(size_t step, size_t seen, const gsl_vector *x, void *arg)
{
    (void)seen;
    trace *t = arg;
    for (size_t j = 0; j < t->d; j++)
        t->x[step][j] = gsl_vector_get(x, j);
    t->count = step + 1;
    return 0;
}

static void check_newton_quadratic(size_t d, gsl_rng *r, int exact_hessian)
{
    lse q = {gsl_matrix_alloc(6, d)};
    for (size_t i = 0; i < 6; i++)
        for (size_t j = 0; j < d; j++)
            gsl_matrix_set(q.A, i, j, gsl_ran_gaussian(r, 1.0));
    optim_objective F = {d, 1, lse_fdf, exact_hessian ? lse_hessian : NULL, &q};
    gsl_vector *x = gsl_vector_alloc(d);
    gsl_vector_set_all(x, 0.5);
    trace t = {.d = d};
    CU_ASSERT_EQUAL(optim_newton(&F, x, 40, 0, 1e-4, record, &t), GSL_SUCCESS);
    /* errors against the last iterate, the minimiser to rounding */
    double e[64], enext[64];
    size_t m = 0;
    for (size_t k = 0; k + 1 < t.count; k++) {
        double a = 0, b = 0;
        for (size_t j = 0; j < d; j++) {
            a += pow(t.x[k][j] - t.x[t.count - 1][j], 2);
            b += pow(t.x[k + 1][j] - t.x[t.count - 1][j], 2);
        }
        if (sqrt(b) > 1e-12 && sqrt(a) < 0.5) {         /* the quadratic regime */
            e[m] = sqrt(a);
            enext[m++] = sqrt(b);
        }
    }
    double order = 0;
    CU_ASSERT_FATAL(m >= 2);
    CU_ASSERT_EQUAL(deriv_observed_order(e, enext, m, &order), GSL_SUCCESS);
    CU_ASSERT(fabs(order - 2) < 0.25);
    gsl_vector *g = gsl_vector_alloc(d);
    double f;
    lse_fdf(x, NULL, 0, &q, &f, g);
    CU_ASSERT(gsl_blas_dnrm2(g) < 1e-12);                /* a stationary point */
    gsl_vector_free(g);
    gsl_vector_free(x);
    gsl_matrix_free(q.A);
}

static void test_newton_converges_quadratically(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 21);
    check_newton_quadratic(1, r, 1);
    check_newton_quadratic(3, r, 1);
    check_newton_quadratic(5, r, 1);
    gsl_rng_free(r);
}

/* The Hessian by differences of the gradient matches the exact one. */
static void test_hessian_by_differences(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 22);
    const size_t d = 4;
    lse q = {gsl_matrix_alloc(6, d)};
    for (size_t i = 0; i < 6; i++)
        for (size_t j = 0; j < d; j++)
            gsl_matrix_set(q.A, i, j, gsl_ran_gaussian(r, 1.0));
    optim_objective F = {d, 1, lse_fdf, NULL, &q};
    gsl_vector *x = gsl_vector_alloc(d);
    for (size_t j = 0; j < d; j++)
        gsl_vector_set(x, j, gsl_ran_gaussian(r, 1.0));
    gsl_matrix *H = gsl_matrix_alloc(d, d), *He = gsl_matrix_alloc(d, d);
    CU_ASSERT_EQUAL(optim_hessian_fd(&F, x, 1e-5, H), GSL_SUCCESS);
    lse_hessian(x, &q, He);
    gsl_matrix_sub(H, He);
    double worst = 0;
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < d; j++)
            worst = fmax(worst, fabs(gsl_matrix_get(H, i, j)));
    CU_ASSERT(worst < 1e-7);
    gsl_matrix_free(H);
    gsl_matrix_free(He);
    gsl_vector_free(x);
    gsl_matrix_free(q.A);
    gsl_rng_free(r);
}

/* f(x) = x^T A x / 2 + x_0, with the Hessian A given. */
static int quad_fdf(const gsl_vector *x, const size_t *rows, size_t m, void *params,
                    double *f, gsl_vector *grad)
{
    (void)rows, (void)m;
    const gsl_matrix *A = params;
    gsl_vector *Ax = gsl_vector_alloc(x->size);
    gsl_blas_dgemv(CblasNoTrans, 1.0, A, x, 0.0, Ax);
    gsl_blas_ddot(x, Ax, f);
    *f = *f / 2 + gsl_vector_get(x, 0);
    if (grad) {
        gsl_vector_memcpy(grad, Ax);
        gsl_vector_set(grad, 0, gsl_vector_get(grad, 0) + 1);
    }
    gsl_vector_free(Ax);
    return GSL_SUCCESS;
}

static int quad_hessian(const gsl_vector *x, void *params, gsl_matrix *H)
{
    (void)x;
    return gsl_matrix_memcpy(H, params);
}

/* Newton's status for the Hessian A, from x = 0. */
static int newton_on(gsl_matrix *A)
{
    optim_objective F = {A->size1, 1, quad_fdf, quad_hessian, A};
    gsl_vector *x = gsl_vector_calloc(A->size1);
    const int status = optim_newton(&F, x, 5, 0, 1e-5, NULL, NULL);
    gsl_vector_free(x);
    return status;
}

/* Singular means singular to working precision: a Hessian whose last pivot
   is rounding error gives GSL_ESING though its determinant is not 0, and a
   well-conditioned one whose determinant underflows to 0 does not. */
static void test_newton_singular_hessian(void)
{
    gsl_matrix *A = gsl_matrix_alloc(2, 2);
    gsl_matrix_set_all(A, 1.0);
    gsl_matrix_set(A, 1, 1, 1 + DBL_EPSILON);       /* det = eps, not 0 */
    CU_ASSERT_EQUAL(newton_on(A), GSL_ESING);
    gsl_matrix_set(A, 1, 1, 1.0);                   /* exactly singular */
    CU_ASSERT_EQUAL(newton_on(A), GSL_ESING);
    gsl_matrix_set(A, 1, 1, 2.0);
    CU_ASSERT_EQUAL(newton_on(A), GSL_SUCCESS);
    gsl_matrix_free(A);
    gsl_matrix *D = gsl_matrix_alloc(200, 200);     /* det = 1e-400 = 0 */
    gsl_matrix_set_identity(D);
    gsl_matrix_scale(D, 1e-2);
    CU_ASSERT_EQUAL(newton_on(D), GSL_SUCCESS);
    gsl_matrix_free(D);
}

static int count_calls(size_t step, size_t seen, const gsl_vector *x, void *arg)
{
    (void)seen, (void)x;
    size_t *calls = arg;
    CU_ASSERT_EQUAL(step, *calls);                  /* steps 0, 1, 2, ... */
    ++*calls;
    return 0;
}

/* The observer sees the start, even with no steps, and every update. */
static void test_gd_observes_start(void)
{
    gsl_matrix *A = gsl_matrix_alloc(2, 2);
    gsl_matrix_set_identity(A);
    optim_objective F = {2, 1, quad_fdf, quad_hessian, A};
    gsl_vector *x = gsl_vector_calloc(2);
    size_t calls = 0;
    CU_ASSERT_EQUAL(optim_gd(&F, x, 0.5, 0, count_calls, &calls), GSL_SUCCESS);
    CU_ASSERT_EQUAL(calls, 1);
    CU_ASSERT_EQUAL(gsl_vector_get(x, 0), 0.0);     /* no step taken */
    calls = 0;
    CU_ASSERT_EQUAL(optim_gd(&F, x, 0.5, 3, count_calls, &calls), GSL_SUCCESS);
    CU_ASSERT_EQUAL(calls, 4);
    gsl_vector_free(x);
    gsl_matrix_free(A);
}

/* A linear layer on a noisy line in R^3: the least-squares cost, convex,
   with Hessian (1/n) [X 1]^T [X 1] whose largest eigenvalue is L. */
typedef struct {
    chain *c;
    gsl_matrix *X, *Y;
    optim_chain_problem *p;
    double L;
} regression;

static regression make_regression(gsl_rng *r, size_t n)
{
    const size_t width[] = {3, 1};
    const layer_activation act[] = {LAYER_IDENTITY};
    regression g = {chain_alloc(1, width, act), gsl_matrix_alloc(n, 3), gsl_matrix_alloc(n, 1),
                    NULL, 0};
    gsl_vector *w = gsl_vector_alloc(3);
    gsl_vector_set(w, 0, 2), gsl_vector_set(w, 1, -1), gsl_vector_set(w, 2, 0.5);
    data_linear(g.X, g.Y, w, 0.7, r, 0.1);
    for (size_t i = 0; i < n; i++)                      /* shift: a harder bowl */
        gsl_matrix_set(g.X, i, 0, gsl_matrix_get(g.X, i, 0) + 1.5);
    g.p = optim_chain_problem_alloc(g.c, g.X, g.Y);
    gsl_matrix *H = gsl_matrix_calloc(4, 4);
    for (size_t i = 0; i < n; i++)
        for (size_t a = 0; a < 4; a++)
            for (size_t b = 0; b < 4; b++) {
                const double xa = a < 3 ? gsl_matrix_get(g.X, i, a) : 1;
                const double xb = b < 3 ? gsl_matrix_get(g.X, i, b) : 1;
                gsl_matrix_set(H, a, b, gsl_matrix_get(H, a, b) + xa * xb / (double)n);
            }
    gsl_vector *ev = gsl_vector_alloc(4);
    gsl_eigen_symm_workspace *ws = gsl_eigen_symm_alloc(4);
    gsl_eigen_symm(H, ev, ws);
    g.L = gsl_vector_max(ev);
    gsl_eigen_symm_free(ws);
    gsl_vector_free(ev);
    gsl_matrix_free(H);
    gsl_vector_free(w);
    return g;
}

static void free_regression(regression *g)
{
    optim_chain_problem_free(g->p);
    chain_free(g->c);
    gsl_matrix_free(g->X);
    gsl_matrix_free(g->Y);
}

typedef struct { double cost[400]; size_t count; optim_chain_problem *p; } costs;

static int record_cost(size_t step, size_t seen, const gsl_vector *x, void *arg)
{
    (void)seen;
    costs *c = arg;
    double f;
    c->p->objective.fdf(x, NULL, 0, c->p, &f, NULL);
    c->cost[step] = f;
    c->count = step + 1;
    return 0;
}

static void test_gd_monotone_below_two_over_L(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 23);
    regression g = make_regression(r, 50);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g.p);
    const double fraction[] = {0.5, 0.99};
    for (int k = 0; k < 2; k++) {
        costs c = {.p = g.p};
        gsl_vector_set_zero(g.c->theta);
        CU_ASSERT_EQUAL(optim_gd(&g.p->objective, g.c->theta, fraction[k] * 2 / g.L, 300,
                                 record_cost, &c), GSL_SUCCESS);
        CU_ASSERT_EQUAL(c.count, 301u);
        int rises = 0;
        for (size_t s = 1; s < c.count; s++)
            rises += c.cost[s] > c.cost[s - 1] * (1 + 4 * DBL_EPSILON);
        CU_ASSERT_EQUAL(rises, 0);
        CU_ASSERT(c.cost[c.count - 1] < 0.1 * c.cost[0]);
    }
    costs c = {.p = g.p};                               /* above 2/L: it must grow */
    gsl_vector_set_zero(g.c->theta);
    optim_gd(&g.p->objective, g.c->theta, 1.1 * 2 / g.L, 300, record_cost, &c);
    CU_ASSERT(c.cost[c.count - 1] > c.cost[0]);
    free_regression(&g);
    gsl_rng_free(r);
}

/* One batch of all n examples per step is full-batch descent. */
static void test_full_minibatch_is_gd(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 24);
    regression g = make_regression(r, 40);
    gsl_vector *x = gsl_vector_calloc(4), *y = gsl_vector_calloc(4);
    const double lr = 1 / g.L;
    CU_ASSERT_EQUAL(optim_gd(&g.p->objective, x, lr, 25, NULL, NULL), GSL_SUCCESS);
    CU_ASSERT_EQUAL(optim_minibatch(&g.p->objective, y, lr, 40, 25, r, NULL, NULL), GSL_SUCCESS);
    gsl_vector_sub(y, x);
    CU_ASSERT(gsl_blas_dnrm2(y) < 1e-12 * gsl_blas_dnrm2(x));
    gsl_vector_free(x);
    gsl_vector_free(y);
    free_regression(&g);
    gsl_rng_free(r);
}

/* Stochastic descent lowers the cost, and the same seed gives the same bits. */
static void test_sgd_seeded(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 25);
    regression g = make_regression(r, 60);
    gsl_vector *x[2] = {gsl_vector_calloc(4), gsl_vector_calloc(4)};
    for (int k = 0; k < 2; k++) {
        gsl_rng_set(r, 99);
        CU_ASSERT_EQUAL(optim_minibatch(&g.p->objective, x[k], 0.05, 1, 20, r, NULL, NULL),
                        GSL_SUCCESS);
    }
    double f0, f1;
    gsl_vector *zero = gsl_vector_calloc(4);
    g.p->objective.fdf(zero, NULL, 0, g.p, &f0, NULL);
    g.p->objective.fdf(x[0], NULL, 0, g.p, &f1, NULL);
    CU_ASSERT(f1 < 0.05 * f0);
    gsl_vector_sub(x[1], x[0]);
    CU_ASSERT(gsl_vector_isnull(x[1]));
    gsl_vector_free(x[0]);
    gsl_vector_free(x[1]);
    gsl_vector_free(zero);
    free_regression(&g);
    gsl_rng_free(r);
}

/* A diverging run is reported as such, with finite numbers left behind. */
static void test_divergence_reported(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 26);
    regression g = make_regression(r, 30);
    gsl_vector *x = gsl_vector_calloc(4);
    CU_ASSERT_EQUAL(optim_gd(&g.p->objective, x, 50 / g.L, 5000, NULL, NULL), GSL_EDIVERGE);
    gsl_vector_free(x);
    free_regression(&g);
    gsl_rng_free(r);
}

static void test_data_sets(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 27);
    gsl_matrix *X = gsl_matrix_alloc(8, 2), *Y = gsl_matrix_alloc(8, 1);
    CU_ASSERT_EQUAL(data_xor(X, Y, r, 0), GSL_SUCCESS);
    for (size_t i = 0; i < 8; i++) {
        const int a = (int)gsl_matrix_get(X, i, 0), b = (int)gsl_matrix_get(X, i, 1);
        CU_ASSERT_EQUAL(gsl_matrix_get(Y, i, 0), (double)(a ^ b));
    }
    CU_ASSERT_EQUAL(data_moons(X, Y, r, 0), GSL_SUCCESS);
    for (size_t i = 0; i < 8; i++) {                    /* on their circles */
        const double x1 = gsl_matrix_get(X, i, 0), x2 = gsl_matrix_get(X, i, 1);
        const double rad = i % 2 ? hypot(x1 - 1, x2 - 0.5) : hypot(x1, x2);
        CU_ASSERT_DOUBLE_EQUAL(rad, 1.0, 1e-12);
        CU_ASSERT_EQUAL(gsl_matrix_get(Y, i, 0), (double)(i % 2));
    }
    CU_ASSERT_EQUAL(data_moons(X, Y, r, -1), GSL_EDOM);
    gsl_matrix *X3 = gsl_matrix_alloc(8, 3);
    CU_ASSERT_EQUAL(data_xor(X3, Y, r, 0), GSL_EBADLEN);
    gsl_matrix_free(X3);
    gsl_matrix_free(X);
    gsl_matrix_free(Y);
    gsl_rng_free(r);
}

void suite_optim(void)
{
    CU_pSuite s = CU_add_suite("optim", NULL, NULL);
    CU_add_test(s, "Newton converges quadratically (measured)", test_newton_converges_quadratically);
    CU_add_test(s, "Hessian by differences of the gradient", test_hessian_by_differences);
    CU_add_test(s, "a numerically singular Hessian gives GSL_ESING", test_newton_singular_hessian);
    CU_add_test(s, "GD observes the start, even with no steps", test_gd_observes_start);
    CU_add_test(s, "GD never raises a convex cost for lr < 2/L", test_gd_monotone_below_two_over_L);
    CU_add_test(s, "a mini-batch of n is full-batch GD", test_full_minibatch_is_gd);
    CU_add_test(s, "seeded SGD descends and repeats", test_sgd_seeded);
    CU_add_test(s, "divergence is reported", test_divergence_reported);
    CU_add_test(s, "data sets keep their contracts", test_data_sets);
}
