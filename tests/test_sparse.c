/* test_sparse.c: the sparse module checked against mathematics.
 *
 * - Soft thresholding is sign(u) max(|u| - t, 0).
 * - The gradients of the energy agree with central differences.
 * - sparse_lipschitz agrees with GSL's symmetric eigensolver.
 * - ISTA's energy never rises.
 * - ISTA, FISTA, LCA and coordinate descent stop with codes that satisfy the
 *   LASSO optimality conditions to the tolerance asked; subgradient descent
 *   does not reach them and says so (GSL_EMAXITER).
 * - FISTA reaches a given energy gap in fewer iterations than ISTA.
 * - LCA's fixed point is the LASSO solution that FISTA finds.
 * - A planted sparse code through a known dictionary has its support
 *   recovered.
 * - Dictionary learning lowers the energy of held-out patches; the columns
 *   stay at unit norm.
 * - Bad arguments give statuses.
 * - sparse_gram is Phi^T Phi; coordinate descent gives the same codes with
 *   and without a Gram matrix handed in and with and without an observer;
 *   its reported energy is sparse_energy's; optimal codes as a warm start
 *   are returned at once, unchanged.
 * - A learning step's energy parts are those of its codes under the old
 *   dictionary.
 * - gabor (suite "gabor"): the principal spreads of a bar one pixel wide
 *   are 0 and the uniform sqrt((p^2 - 1)/12); of a round Gaussian blob
 *   they are equal; their squares add to the square of the spread; the
 *   derivatives of a Gabor function in its eight parameters agree with
 *   central differences.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "gabor.h"
#include "sparse.h"

enum { N = 32, M = 64, NB = 20 };

/* A planted problem: X = Phi A0 + noise, A0 with k non-zeros per column of
   size 1 to 2 and random signs. */
typedef struct {
    gsl_matrix *Phi, *X, *A0;
} planted;

static planted planted_alloc(size_t n, size_t m, size_t B, size_t k, double noise,
                             unsigned long seed)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    planted p = {gsl_matrix_alloc(n, m), gsl_matrix_alloc(n, B), gsl_matrix_calloc(m, B)};
    sparse_random_dictionary(p.Phi, rng);
    for (size_t b = 0; b < B; b++)
        for (size_t j = 0; j < k; j++) {
            const size_t i = gsl_rng_uniform_int(rng, m);
            const double s = gsl_rng_uniform(rng) < 0.5 ? -1 : 1;
            gsl_matrix_set(p.A0, i, b, s * (1 + gsl_rng_uniform(rng)));
        }
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, p.Phi, p.A0, 0.0, p.X);
    for (size_t i = 0; i < n; i++)
        for (size_t b = 0; b < B; b++)
            *gsl_matrix_ptr(p.X, i, b) += gsl_ran_gaussian(rng, noise);
    gsl_rng_free(rng);
    return p;
}

static void planted_free(planted *p)
{
    gsl_matrix_free(p->Phi), gsl_matrix_free(p->X), gsl_matrix_free(p->A0);
}

/* Energies of the iterates, recorded by the observer. */
typedef struct {
    double e[20001];
    size_t n;
} trace;

static int record(void *ctx, size_t k, const gsl_matrix *A, const gsl_matrix *U,
                  double energy, double violation)
{
    (void)A, (void)U, (void)violation;
    trace *t = ctx;
    if (k < 20001)
        t->e[k] = energy, t->n = k + 1;
    return 0;
}

static sparse_options options(sparse_method method, double lambda, double tol, size_t max_iter)
{
    return (sparse_options){.method = method, .lambda = lambda, .tol = tol,
                            .max_iter = max_iter, .dt = 0.1};
}

static double violation_now(const planted *p, const gsl_matrix *A, double lambda)
{
    gsl_matrix *G = gsl_matrix_alloc(A->size1, A->size2);
    CU_ASSERT_EQUAL(sparse_code_gradient(p->Phi, p->X, A, G), GSL_SUCCESS);
    const double v = sparse_violation(A, G, lambda);
    gsl_matrix_free(G);
    return v;
}

static void test_soft_threshold(void)
{
    CU_ASSERT_EQUAL(sparse_soft_threshold(3.0, 1.0), 2.0);
    CU_ASSERT_EQUAL(sparse_soft_threshold(-3.0, 1.0), -2.0);
    CU_ASSERT_EQUAL(sparse_soft_threshold(0.5, 1.0), 0.0);
    CU_ASSERT_EQUAL(sparse_soft_threshold(-1.0, 1.0), 0.0);
    CU_ASSERT_EQUAL(sparse_soft_threshold(1.0, 1.0), 0.0);
    CU_ASSERT_EQUAL(sparse_soft_threshold(0.25, 0.0), 0.25);
    for (double u = -3; u <= 3; u += 0.125)     /* |S(u) - S(v)| <= |u - v| */
        CU_ASSERT(fabs(sparse_soft_threshold(u, 0.7) - sparse_soft_threshold(u + 0.125, 0.7))
                  <= 0.125);
}

/* Central differences of the mean error term in one coefficient and in one
   pixel of one atom; the energy is quadratic there, so the difference is
   exact up to rounding. */
static double error_term(const planted *p, const gsl_matrix *A)
{
    sparse_energy_parts e;
    sparse_energy(p->Phi, p->X, A, 1.0, &e);
    return e.error;
}

static void test_gradients_match_differences(void)
{
    planted p = planted_alloc(N, M, NB, 4, 0.1, 3);
    gsl_matrix *A = gsl_matrix_alloc(M, NB), *G = gsl_matrix_alloc(M, NB),
               *D = gsl_matrix_alloc(N, M);
    gsl_matrix_memcpy(A, p.A0);
    gsl_matrix_scale(A, 0.8);
    CU_ASSERT_EQUAL(sparse_code_gradient(p.Phi, p.X, A, G), GSL_SUCCESS);
    CU_ASSERT_EQUAL(sparse_dictionary_gradient(p.Phi, p.X, A, D), GSL_SUCCESS);
    const double h = 1e-4;
    for (size_t i = 0; i < M; i += 7) {
        const size_t b = i % NB;
        const double a = gsl_matrix_get(A, i, b);
        gsl_matrix_set(A, i, b, a + h);
        const double up = error_term(&p, A);
        gsl_matrix_set(A, i, b, a - h);
        const double down = error_term(&p, A);
        gsl_matrix_set(A, i, b, a);
        /* mean over the batch: d(error)/da_ib = -g_ib / B */
        CU_ASSERT_DOUBLE_EQUAL((up - down) / (2 * h), -gsl_matrix_get(G, i, b) / NB, 1e-8);
    }
    for (size_t j = 0; j < M; j += 9) {
        const size_t i = j % N;
        const double phi = gsl_matrix_get(p.Phi, i, j);
        gsl_matrix_set(p.Phi, i, j, phi + h);
        const double up = error_term(&p, A);
        gsl_matrix_set(p.Phi, i, j, phi - h);
        const double down = error_term(&p, A);
        gsl_matrix_set(p.Phi, i, j, phi);
        CU_ASSERT_DOUBLE_EQUAL((up - down) / (2 * h), -gsl_matrix_get(D, i, j), 1e-8);
    }
    gsl_matrix_free(A), gsl_matrix_free(G), gsl_matrix_free(D);
    planted_free(&p);
}

static void test_lipschitz_is_largest_eigenvalue(void)
{
    planted p = planted_alloc(N, M, 1, 1, 0, 5);
    double L;
    CU_ASSERT_EQUAL(sparse_lipschitz(p.Phi, &L), GSL_SUCCESS);
    gsl_matrix *G = gsl_matrix_alloc(M, M);
    gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, p.Phi, p.Phi, 0.0, G);
    gsl_vector *ev = gsl_vector_alloc(M);
    gsl_eigen_symm_workspace *ws = gsl_eigen_symm_alloc(M);
    gsl_eigen_symm(G, ev, ws);
    CU_ASSERT_DOUBLE_EQUAL(L, gsl_vector_max(ev), 1e-6 * gsl_vector_max(ev));
    gsl_eigen_symm_free(ws);
    gsl_vector_free(ev);
    gsl_matrix_free(G);
    planted_free(&p);
}

static void test_ista_energy_never_rises(void)
{
    planted p = planted_alloc(N, M, NB, 4, 0.1, 7);
    gsl_matrix *A = gsl_matrix_calloc(M, NB);
    trace *t = calloc(1, sizeof *t);
    sparse_options o = options(SPARSE_ISTA, 0.1, 1e-6, 5000);
    o.observe = record, o.ctx = t;
    CU_ASSERT_EQUAL(sparse_infer(p.Phi, p.X, &o, A, NULL), GSL_SUCCESS);
    CU_ASSERT(t->n > 10);
    for (size_t k = 1; k < t->n; k++)
        CU_ASSERT(t->e[k] <= t->e[k - 1] + 1e-13 * fabs(t->e[k - 1]));
    free(t);
    gsl_matrix_free(A);
    planted_free(&p);
}

static void test_solvers_meet_optimality_conditions(void)
{
    planted p = planted_alloc(N, M, NB, 4, 0.1, 11);
    const sparse_method methods[] = {SPARSE_ISTA, SPARSE_FISTA, SPARSE_LCA, SPARSE_CD};
    const double lambda = 0.1, tol = 1e-4;
    gsl_matrix *A = gsl_matrix_alloc(M, NB);
    for (int k = 0; k < 4; k++) {
        gsl_matrix_set_zero(A);
        const sparse_options o = options(methods[k], lambda, tol, 20000);
        sparse_result r;
        CU_ASSERT_EQUAL(sparse_infer(p.Phi, p.X, &o, A, &r), GSL_SUCCESS);
        CU_ASSERT(r.violation <= tol * lambda);
        /* checked again from scratch, by the residual */
        CU_ASSERT(violation_now(&p, A, lambda) <= tol * lambda * 1.001 + 1e-12);
    }
    /* subgradient descent never lands on zero: it runs out of iterations */
    gsl_matrix_set_zero(A);
    const sparse_options o = options(SPARSE_SUBGRADIENT, lambda, tol, 2000);
    sparse_result r;
    CU_ASSERT_EQUAL(sparse_infer(p.Phi, p.X, &o, A, &r), GSL_EMAXITER);
    CU_ASSERT(r.violation > tol * lambda);
    gsl_matrix_free(A);
    planted_free(&p);
}

/* Iterations for ISTA and FISTA to bring the relative energy gap below 1e-4
   (the gap to an optimum found by FISTA at a tight tolerance). */
static size_t iterations_to_gap(const planted *p, sparse_method m, double lambda,
                                double best, double gap)
{
    gsl_matrix *A = gsl_matrix_calloc(p->Phi->size2, NB);
    trace *t = calloc(1, sizeof *t);
    sparse_options o = options(m, lambda, 1e-9, 20000);
    o.observe = record, o.ctx = t;
    sparse_infer(p->Phi, p->X, &o, A, NULL);
    size_t k = 0;
    while (k < t->n && (t->e[k] - best) > gap * best)
        k++;
    free(t);
    gsl_matrix_free(A);
    return k;
}

static void test_fista_needs_fewer_iterations_than_ista(void)
{
    planted p = planted_alloc(N, 2 * M, NB, 4, 0.1, 13);
    const double lambda = 0.05;
    gsl_matrix *A = gsl_matrix_calloc(2 * M, NB);
    const sparse_options o = options(SPARSE_FISTA, lambda, 1e-11, 20000);
    sparse_result best;
    CU_ASSERT_EQUAL(sparse_infer(p.Phi, p.X, &o, A, &best), GSL_SUCCESS);
    gsl_matrix_free(A);
    for (double gap = 1e-2; gap >= 1e-6; gap /= 100) {
        const size_t ista = iterations_to_gap(&p, SPARSE_ISTA, lambda, best.energy, gap),
                     fista = iterations_to_gap(&p, SPARSE_FISTA, lambda, best.energy, gap);
        CU_ASSERT(fista < ista);
    }
    planted_free(&p);
}

static void test_lca_fixed_point_is_lasso_solution(void)
{
    planted p = planted_alloc(N, M, NB, 4, 0.1, 17);
    const double lambda = 0.1;
    gsl_matrix *A = gsl_matrix_calloc(M, NB), *F = gsl_matrix_calloc(M, NB);
    sparse_options o = options(SPARSE_LCA, lambda, 1e-8, 100000);
    CU_ASSERT_EQUAL(sparse_infer(p.Phi, p.X, &o, A, NULL), GSL_SUCCESS);
    o.method = SPARSE_FISTA;
    CU_ASSERT_EQUAL(sparse_infer(p.Phi, p.X, &o, F, NULL), GSL_SUCCESS);
    double worst = 0;
    for (size_t i = 0; i < M * NB; i++) {
        worst = fmax(worst, fabs(A->data[i] - F->data[i]));
        CU_ASSERT((A->data[i] == 0) == (F->data[i] == 0));      /* same support */
    }
    CU_ASSERT(worst < 1e-6);
    gsl_matrix_free(A), gsl_matrix_free(F);
    planted_free(&p);
}

static void test_planted_support_is_recovered(void)
{
    planted p = planted_alloc(64, 128, 30, 3, 0.01, 19);
    gsl_matrix *A = gsl_matrix_calloc(128, 30);
    const sparse_options o = options(SPARSE_FISTA, 0.2, 1e-6, 20000);
    CU_ASSERT_EQUAL(sparse_infer(p.Phi, p.X, &o, A, NULL), GSL_SUCCESS);
    size_t wrong = 0;
    for (size_t i = 0; i < A->size1 * A->size2; i++)
        wrong += (A->data[i] != 0) != (p.A0->data[i] != 0);
    CU_ASSERT_EQUAL(wrong, 0);
    gsl_matrix_free(A);
    planted_free(&p);
}

/* Learn from patches of a planted dictionary; the energy of patches never
   seen in learning must fall, and the columns must keep unit norm. */
static void test_learning_lowers_held_out_energy(void)
{
    planted p = planted_alloc(N, M, 2200, 3, 0.02, 23);  /* columns 2000... held out */
    gsl_matrix_view held = gsl_matrix_submatrix(p.X, 0, 2000, N, 200);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 29);
    gsl_matrix *Phi = gsl_matrix_alloc(N, M), *A = gsl_matrix_alloc(M, 50),
               *Ah = gsl_matrix_calloc(M, 200);
    sparse_random_dictionary(Phi, rng);
    const sparse_learn_options lo = {options(SPARSE_FISTA, 0.1, 1e-2, 200), 0.2, 0.1};
    sparse_energy_parts before, after, e;
    sparse_infer(Phi, &held.matrix, &lo.infer, Ah, NULL);
    sparse_energy(Phi, &held.matrix, Ah, 0.1, &before);
    for (int step = 0; step < 400; step++) {
        gsl_matrix_const_view batch = gsl_matrix_const_submatrix(p.X, 0, (size_t)(step % 40) * 50, N, 50);
        CU_ASSERT_EQUAL_FATAL(sparse_learn_step(Phi, &batch.matrix, &lo, A, &e, NULL), GSL_SUCCESS);
    }
    gsl_matrix_set_zero(Ah);
    sparse_infer(Phi, &held.matrix, &lo.infer, Ah, NULL);
    sparse_energy(Phi, &held.matrix, Ah, 0.1, &after);
    CU_ASSERT(after.energy < 0.7 * before.energy);
    for (size_t j = 0; j < M; j++) {
        gsl_vector_const_view c = gsl_matrix_const_column(Phi, j);
        CU_ASSERT_DOUBLE_EQUAL(gsl_blas_dnrm2(&c.vector), 1.0, 1e-12);
    }
    gsl_matrix_free(Phi), gsl_matrix_free(A), gsl_matrix_free(Ah);
    gsl_rng_free(rng);
    planted_free(&p);
}

static double max_abs_diff(const gsl_matrix *P, const gsl_matrix *Q)
{
    double d = 0;
    for (size_t i = 0; i < P->size1; i++)
        for (size_t j = 0; j < P->size2; j++)
            d = fmax(d, fabs(gsl_matrix_get(P, i, j) - gsl_matrix_get(Q, i, j)));
    return d;
}

static void test_gram_is_phi_t_phi(void)
{
    planted p = planted_alloc(N, M, 1, 1, 0, 31);
    gsl_matrix *G = gsl_matrix_alloc(M, M), *R = gsl_matrix_alloc(M, M),
               *bad = gsl_matrix_alloc(M, M + 1);
    CU_ASSERT_EQUAL(sparse_gram(p.Phi, G), GSL_SUCCESS);
    gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, p.Phi, p.Phi, 0.0, R);
    CU_ASSERT(max_abs_diff(G, R) < 1e-13);
    CU_ASSERT_EQUAL(sparse_gram(p.Phi, bad), GSL_EBADLEN);
    gsl_matrix_free(G), gsl_matrix_free(R), gsl_matrix_free(bad);
    planted_free(&p);
}

static int count_calls(void *ctx, size_t k, const gsl_matrix *A, const gsl_matrix *U,
                       double energy, double violation)
{
    (void)k, (void)A, (void)U, (void)energy, (void)violation;
    ++*(size_t *)ctx;
    return 0;
}

static void test_cd_paths_agree(void)
{
    planted p = planted_alloc(N, M, NB, 4, 0.1, 37);
    const double lambda = 0.1, tol = 1e-6;
    gsl_matrix *G = gsl_matrix_alloc(M, M), *A1 = gsl_matrix_calloc(M, NB),
               *A2 = gsl_matrix_calloc(M, NB), *A3 = gsl_matrix_calloc(M, NB);
    sparse_gram(p.Phi, G);
    sparse_options o = options(SPARSE_CD, lambda, tol, 10000);
    sparse_result r1, r2, r3;
    CU_ASSERT_EQUAL(sparse_infer(p.Phi, p.X, &o, A1, &r1), GSL_SUCCESS);
    CU_ASSERT_EQUAL(sparse_infer_gram(p.Phi, G, p.X, &o, A2, &r2), GSL_SUCCESS);
    size_t calls = 0;
    o.observe = count_calls, o.ctx = &calls;
    CU_ASSERT_EQUAL(sparse_infer(p.Phi, p.X, &o, A3, &r3), GSL_SUCCESS);
    CU_ASSERT(calls == r3.iters + 1);           /* iterates 0 .. iters */
    CU_ASSERT(max_abs_diff(A1, A2) < 1e-12);
    CU_ASSERT(max_abs_diff(A1, A3) < 1e-12);
    sparse_energy_parts e;
    sparse_energy(p.Phi, p.X, A1, lambda, &e);
    CU_ASSERT(fabs(r1.energy - e.energy) <= 1e-10 * e.energy);
    CU_ASSERT(violation_now(&p, A1, lambda) <= tol * lambda * 1.001 + 1e-12);
    /* optimal codes as a warm start: no round, the same codes */
    o.observe = NULL;
    gsl_matrix_memcpy(A2, A1);
    CU_ASSERT_EQUAL(sparse_infer_gram(p.Phi, G, p.X, &o, A2, &r2), GSL_SUCCESS);
    CU_ASSERT_EQUAL(r2.iters, 0);
    CU_ASSERT(max_abs_diff(A1, A2) == 0);
    gsl_matrix_free(G), gsl_matrix_free(A1), gsl_matrix_free(A2), gsl_matrix_free(A3);
    planted_free(&p);
}

static void test_learning_step_energy_is_that_of_its_codes(void)
{
    planted p = planted_alloc(N, M, NB, 3, 0.05, 41);
    gsl_matrix *Phi = gsl_matrix_alloc(N, M), *A = gsl_matrix_alloc(M, NB);
    gsl_matrix_memcpy(Phi, p.Phi);
    const sparse_learn_options lo = {options(SPARSE_CD, 0.1, 1e-3, 1000), 0.2, 0.1};
    sparse_energy_parts e, check;
    CU_ASSERT_EQUAL(sparse_learn_step(Phi, p.X, &lo, A, &e, NULL), GSL_SUCCESS);
    sparse_energy(p.Phi, p.X, A, 0.1, &check);
    CU_ASSERT_DOUBLE_EQUAL(e.energy, check.energy, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(e.error, check.error, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(e.l1, check.l1, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(e.active, check.active, 1e-12);
    gsl_matrix_free(Phi), gsl_matrix_free(A);
    planted_free(&p);
}

static void test_bad_arguments(void)
{
    planted p = planted_alloc(N, M, NB, 4, 0.1, 31);
    gsl_matrix *A = gsl_matrix_calloc(M, NB), *Abad = gsl_matrix_calloc(M + 1, NB);
    sparse_options o = options(SPARSE_FISTA, 0.0, 1e-3, 100);
    CU_ASSERT_EQUAL(sparse_infer(p.Phi, p.X, &o, A, NULL), GSL_EDOM);
    o.lambda = NAN;
    CU_ASSERT_EQUAL(sparse_infer(p.Phi, p.X, &o, A, NULL), GSL_EDOM);
    o.lambda = 0.1, o.method = SPARSE_LCA, o.dt = 0;
    CU_ASSERT_EQUAL(sparse_infer(p.Phi, p.X, &o, A, NULL), GSL_EDOM);
    o.dt = 0.1;
    CU_ASSERT_EQUAL(sparse_infer(p.Phi, p.X, &o, Abad, NULL), GSL_EBADLEN);
    sparse_energy_parts e;
    CU_ASSERT_EQUAL(sparse_energy(p.Phi, p.X, Abad, 0.1, &e), GSL_EBADLEN);
    gsl_matrix *Z = gsl_matrix_calloc(N, M);
    CU_ASSERT_EQUAL(sparse_normalize_columns(Z), GSL_EZERODIV);
    gsl_matrix_free(Z), gsl_matrix_free(A), gsl_matrix_free(Abad);
    planted_free(&p);
}

void suite_sparse(void)
{
    CU_pSuite s = CU_add_suite("sparse", NULL, NULL);
    if (!s)
        return;
    CU_add_test(s, "soft thresholding", test_soft_threshold);
    CU_add_test(s, "gradients in a and in Phi match central differences", test_gradients_match_differences);
    CU_add_test(s, "step size: largest eigenvalue of Phi^T Phi", test_lipschitz_is_largest_eigenvalue);
    CU_add_test(s, "ISTA's energy never rises", test_ista_energy_never_rises);
    CU_add_test(s, "ISTA, FISTA, LCA, CD meet the LASSO optimality conditions", test_solvers_meet_optimality_conditions);
    CU_add_test(s, "FISTA reaches an energy gap in fewer iterations than ISTA", test_fista_needs_fewer_iterations_than_ista);
    CU_add_test(s, "LCA's fixed point is the LASSO solution", test_lca_fixed_point_is_lasso_solution);
    CU_add_test(s, "a planted sparse code's support is recovered", test_planted_support_is_recovered);
    CU_add_test(s, "learning lowers held-out energy; columns stay unit", test_learning_lowers_held_out_energy);
    CU_add_test(s, "bad arguments give statuses", test_bad_arguments);
    CU_add_test(s, "sparse_gram is Phi^T Phi", test_gram_is_phi_t_phi);
    CU_add_test(s, "CD: the same codes with a given Gram matrix, with an observer, warm",
                test_cd_paths_agree);
    CU_add_test(s, "a learning step's energy is that of its codes",
                test_learning_step_energy_is_that_of_its_codes);
}

/* The principal spreads of p x p atoms (gabor_shape_of). */
static void test_principal_spreads(void)
{
    enum { P = 12 };
    gsl_vector *bar = gsl_vector_calloc(P * P), *blob = gsl_vector_alloc(P * P);
    for (size_t y = 0; y < P; y++) {
        gsl_vector_set(bar, y * P + 5, 1.0);    /* the column x = 5, top to bottom */
        for (size_t x = 0; x < P; x++)
            gsl_vector_set(blob, y * P + x,
                           exp(-0.5 * (pow(x - 5.5, 2) + pow(y - 5.5, 2)) / 4.0));
    }
    gabor_shape s;
    CU_ASSERT_EQUAL_FATAL(gabor_shape_of(bar, P, &s), GSL_SUCCESS);
    CU_ASSERT(s.width < 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(s.length, sqrt((P * P - 1) / 12.0), 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(s.width * s.width + s.length * s.length, s.spread * s.spread, 1e-9);
    CU_ASSERT_EQUAL_FATAL(gabor_shape_of(blob, P, &s), GSL_SUCCESS);
    CU_ASSERT_DOUBLE_EQUAL(s.width, s.length, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(s.width * s.width + s.length * s.length, s.spread * s.spread, 1e-9);
    /* turned by 90 degrees, the bar keeps its spreads */
    gsl_vector *row = gsl_vector_calloc(P * P);
    for (size_t x = 0; x < P; x++)
        gsl_vector_set(row, 5 * P + x, 1.0);
    gabor_shape t;
    CU_ASSERT_EQUAL_FATAL(gabor_shape_of(row, P, &t), GSL_SUCCESS);
    CU_ASSERT(t.width < 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(t.length, sqrt((P * P - 1) / 12.0), 1e-9);
    gsl_vector_free(bar), gsl_vector_free(blob), gsl_vector_free(row);
}

/* gabor_gradient against central differences of gabor_eval. */
static void test_gabor_gradient_matches_differences(void)
{
    const gabor_fit g0 = {1.3, 5.2, 6.1, 0.7, 1.3, 2.0, 0.18, 0.9, 0, 0};
    const double pts[][2] = {{3, 4}, {6, 6}, {8.5, 2}, {5.2, 9}};
    for (int k = 0; k < 4; k++) {
        double d[8];
        const double v = gabor_gradient(&g0, pts[k][0], pts[k][1], d);
        CU_ASSERT_DOUBLE_EQUAL(v, gabor_eval(&g0, pts[k][0], pts[k][1]), 1e-14);
        for (int i = 0; i < 8; i++) {
            gabor_fit hi = g0, lo = g0;
            const double h = 1e-6;
            ((double *)&hi)[i] += h, ((double *)&lo)[i] -= h;
            const double num = (gabor_eval(&hi, pts[k][0], pts[k][1])
                                - gabor_eval(&lo, pts[k][0], pts[k][1])) / (2 * h);
            CU_ASSERT_DOUBLE_EQUAL(d[i], num, 1e-7 * (1 + fabs(num)));
        }
    }
}

void suite_gabor(void)
{
    CU_pSuite s = CU_add_suite("gabor", NULL, NULL);
    if (!s)
        return;
    CU_add_test(s, "principal spreads: a bar is thin and as long as the patch allows",
                test_principal_spreads);
    CU_add_test(s, "the gradient of a Gabor function matches central differences",
                test_gabor_gradient_matches_differences);
}
