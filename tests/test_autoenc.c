/* test_autoenc.c: the sparse autoencoder with its inner loop, checked
 * against mathematics.
 *
 * - Backprop through the unrolled loop mu_(t+1) = mu_t + gamma((mu_0 -
 *   G z_t) - mu_t) matches central differences of the whole loss (error +
 *   L1 + inverse-norm penalty) for t* = 0, 1, 3, at points kept 1e-3 away
 *   from every ReLU kink of every step: relative error below 1e-6, entry by
 *   entry (with a floor) and in norm.
 * - t* = 0 is the plain autoencoder: the chain n -> m -> n (ReLU, identity)
 *   on the same parameters gives bit-identical outputs, and with lambda =
 *   alpha = 0 the same gradient as backprop with the MSE against Y = X; the
 *   G block of the gradient is exactly 0.
 * - t* = 1 with gamma = 1 is the residual form z = ReLU(mu_0 - G ReLU(mu_0)).
 * - The cheat's symmetry: W_e, b_e -> W_e/c, b_e/c and W_d -> c W_d leave
 *   the reconstruction unchanged and divide the L1 term by c (and multiply
 *   the inverse-norm penalty by c^2, which is what that penalty is for).
 * - With unit_decoder every decoder column has length 1 after every Adam
 *   step; without it the columns drift.
 * - The gradient of alpha sum_j 1/|e_j|^2 matches central differences, and
 *   its value is the loss's norm part; so does the whole gradient with the
 *   penalty on W_d's columns instead and weight decay on W_d.
 * - With W_e = Phi^T, b_e = -lambda, G = Phi^T Phi - I, W_d = Phi the loop
 *   is LCA, and a long loop's code satisfies the optimality conditions of
 *   the non-negative LASSO.
 * - Bad arguments give NULL or statuses; a NaN in the data stops a step
 *   before it touches theta.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "autoenc.h"
#include "backprop.h"
#include "layer.h"
#include "testutil.h"
#include "train.h"

/* Every parameter random and of order one, so that every one matters:
   W_e, W_d with N(0, 1/fan_in) entries, b_e ~ N(0, bias_sd^2) (units both
   on and off), b_d ~ N(0, 0.3^2), G ~ N(0, g_sd^2 / m). */
static void random_theta(autoenc *a, gsl_rng *r, double bias_sd, double g_sd)
{
    const size_t n = a->n, m = a->m;
    for (size_t j = 0; j < m; j++) {
        for (size_t i = 0; i < n; i++) {
            gsl_matrix_set(&a->enc.W.matrix, j, i, gsl_ran_gaussian(r, 1.0) / sqrt((double)n));
            gsl_matrix_set(&a->dec.W.matrix, i, j, gsl_ran_gaussian(r, 1.0) / sqrt((double)m));
        }
        gsl_vector_set(&a->enc.b.vector, j, gsl_ran_gaussian(r, bias_sd));
        for (size_t k = 0; k < m; k++)
            gsl_matrix_set(&a->G.matrix, j, k, gsl_ran_gaussian(r, g_sd) / sqrt((double)m));
    }
    for (size_t i = 0; i < n; i++)
        gsl_vector_set(&a->dec.b.vector, i, gsl_ran_gaussian(r, 0.3));
}

/* The smallest |mu_t| over every step t = 0..t* and every entry of the
   last forward pass: how far the batch is from a kink. */
static double kink_margin(const autoenc *a)
{
    double margin = INFINITY;
    for (size_t t = 0; t <= a->tstar; t++)
        for (size_t i = 0; i < a->rows; i++)
            for (size_t j = 0; j < a->m; j++)
                margin = fmin(margin, fabs(gsl_matrix_get(a->mu[t], i, j)));
    return margin;
}

/* 1 if step t of the last forward pass has units both on and off. */
static int mixed(const autoenc *a, size_t t)
{
    size_t on = 0, total = a->rows * a->m;
    for (size_t i = 0; i < a->rows; i++)
        for (size_t j = 0; j < a->m; j++)
            on += gsl_matrix_get(a->mu[t], i, j) > 0;
    return on > 0 && on < total;
}

/* The pattern of active units [mu_t > 0] of every step, as a bit string. */
static void activity(const autoenc *a, unsigned char *on)
{
    size_t k = 0;
    for (size_t t = 0; t <= a->tstar; t++)
        for (size_t i = 0; i < a->rows; i++)
            for (size_t j = 0; j < a->m; j++)
                on[k++] = gsl_matrix_get(a->mu[t], i, j) > 0;
}

static double loss_at(autoenc *a, const gsl_matrix *X, const autoenc_rules *rules)
{
    autoenc_loss L;
    const int status = autoenc_gradient(a, X, rules, &L, NULL);
    CU_ASSERT_EQUAL(status, GSL_SUCCESS);
    return status == GSL_SUCCESS ? L.loss : NAN;
}

static double max_abs(const gsl_vector *v)
{
    double s = 0;
    for (size_t i = 0; i < v->size; i++)
        s = fmax(s, fabs(gsl_vector_get(v, i)));
    return s;
}

/* |A - B|_F / |B|_F */
static double rel_matrix(const gsl_matrix *A, const gsl_matrix *B)
{
    double d = 0, s = 0;
    for (size_t i = 0; i < B->size1; i++)
        for (size_t j = 0; j < B->size2; j++) {
            const double b = gsl_matrix_get(B, i, j), e = gsl_matrix_get(A, i, j) - b;
            d += e * e, s += b * b;
        }
    return sqrt(d / s);
}

/* ---------------------------------------------------------------- 1 */

enum { FD_N = 6, FD_M = 5, FD_B = 4 };

/* The loss of the unrolled loop is a polynomial in theta between kinks; at
   a point 1e-3 from every kink of every step, central differences with
   steps 1e-6 max(1, |theta_j|) see the same polynomial (the activity
   pattern is checked at every perturbed point), and agree with backprop to
   rounding, O(eps L / h), and truncation, O(h^2). */
static void test_gradient_matches_central_differences(void)
{
    gsl_rng *r = rng(601);
    /* The last case moves the inverse-norm penalty to W_d's columns and
       adds weight decay on W_d. */
    const size_t tstars[] = {0, 1, 3, 3};
    const autoenc_rules encoder_rules = {0.3, 0.05, 0, 0, 0},
                        decoder_rules = {0.3, 0.05, 0, 1, 0.02};
    for (size_t s = 0; s < sizeof tstars / sizeof tstars[0]; s++) {
        const size_t ts = tstars[s];
        const autoenc_rules rules = s == 3 ? decoder_rules : encoder_rules;
        autoenc *a = autoenc_alloc(FD_N, FD_M, ts, 0.6);
        CU_ASSERT_PTR_NOT_NULL_FATAL(a);
        const size_t P = a->nparams, K = (ts + 1) * FD_B * FD_M;
        CU_ASSERT_EQUAL(P, FD_M * FD_N + FD_M + FD_N * FD_M + FD_N + FD_M * FD_M);
        gsl_matrix *X = gsl_matrix_alloc(FD_B, FD_N);
        gsl_vector *g = gsl_vector_alloc(P), *fd = gsl_vector_alloc(P);
        unsigned char *on = malloc(K), *on2 = malloc(K);
        int found = 0;
        for (int tries = 0; tries < 1000 && !found; tries++) {
            random_theta(a, r, 0.5, 1.0);
            fill_gaussian(X, r);
            CU_ASSERT_EQUAL_FATAL(autoenc_forward(a, X), GSL_SUCCESS);
            found = kink_margin(a) > 1e-3 && mixed(a, 0) && mixed(a, ts);
        }
        CU_ASSERT_FATAL(found);
        autoenc_loss L;
        CU_ASSERT_EQUAL(autoenc_gradient(a, X, &rules, &L, g), GSL_SUCCESS);
        activity(a, on);
        CU_ASSERT(fabs(L.loss - (L.error + L.l1 + L.norm)) <= 4 * DBL_EPSILON * L.loss);
        CU_ASSERT(L.l1 > 0 && L.norm > 0 && L.error > 0);
        if (s == 3) {           /* the norm part, by hand, on W_d */
            double inv = 0, sq = 0;
            for (size_t j = 0; j < FD_M; j++) {
                gsl_vector_view d = gsl_matrix_column(&a->dec.W.matrix, j);
                const double len = gsl_blas_dnrm2(&d.vector);
                inv += 1 / (len * len), sq += len * len;
            }
            const double want = rules.alpha * inv + rules.decay * sq;
            CU_ASSERT(fabs(L.norm - want) <= 1e-12 * want);
        }
        int same_pattern = 1;
        for (size_t j = 0; j < P; j++) {
            double *th = gsl_vector_ptr(a->theta, j);
            const double t0 = *th, h = 1e-6 * fmax(1, fabs(t0)), up = t0 + h, down = t0 - h;
            *th = up;
            const double Lp = loss_at(a, X, &rules);
            activity(a, on2);
            same_pattern &= memcmp(on, on2, K) == 0;
            *th = down;
            const double Lm = loss_at(a, X, &rules);
            activity(a, on2);
            same_pattern &= memcmp(on, on2, K) == 0;
            *th = t0;
            gsl_vector_set(fd, j, (Lp - Lm) / (up - down));
        }
        CU_ASSERT(same_pattern);                      /* no kink crossed */
        const double gmax = max_abs(g), floor = 1e-2 * gmax;
        double worst = 0, diff = 0, norm = 0;
        for (size_t j = 0; j < P; j++) {
            const double gj = gsl_vector_get(g, j), e = gsl_vector_get(fd, j) - gj;
            worst = fmax(worst, fabs(e) / fmax(fabs(gj), floor));
            diff += e * e, norm += gj * gj;
        }
        const double rel = sqrt(diff / norm);
        CU_ASSERT(gmax > 1e-3);                          /* not trivially zero */
        CU_ASSERT(worst < 1e-6);
        CU_ASSERT(rel < 1e-6);
        /* The loop's weights matter exactly when there is a loop. */
        gsl_vector_view gG = gsl_vector_subvector(g, P - FD_M * FD_M, FD_M * FD_M);
        if (ts == 0) {
            CU_ASSERT(max_abs(&gG.vector) == 0);
        } else {
            CU_ASSERT(max_abs(&gG.vector) > 1e-3);
        }
        if (getenv("AUTOENC_TEST_VERBOSE") || !(worst < 1e-6 && rel < 1e-6))
            printf("\n  t* = %zu: worst entry relative error %.3g, normwise %.3g", ts, worst,
                   rel);
        free(on), free(on2);
        gsl_vector_free(g), gsl_vector_free(fd), gsl_matrix_free(X);
        autoenc_free(a);
    }
    gsl_rng_free(r);
}

/* ---------------------------------------------------------------- 2 */

/* With no loop the autoencoder is the chain n -> m -> n, ReLU then
   identity, whose parameters sit in the first P_e + P_d entries of theta:
   the same calls, so the same bits.  The loss 1/(2B) |Xhat - X|^2 is the
   chain's MSE against Y = X; dividing by B and multiplying by 1/B agree
   exactly when B is a power of two, so there the gradients are equal bit
   for bit, and to a few ulps otherwise. */
static void test_no_loop_is_plain_autoencoder(void)
{
    gsl_rng *r = rng(602);
    const size_t n = 7, m = 9, Bs[] = {4, 6};
    const size_t width[] = {n, m, n};
    const layer_activation act[] = {LAYER_RELU, LAYER_IDENTITY};
    for (size_t s = 0; s < 2; s++) {
        const size_t B = Bs[s];
        autoenc *a = autoenc_alloc(n, m, 0, 0.5);
        chain *c = chain_alloc(2, width, act);
        CU_ASSERT_PTR_NOT_NULL_FATAL(a);
        CU_ASSERT_PTR_NOT_NULL_FATAL(c);
        const size_t pc = layer_nparams(n, m) + layer_nparams(m, n);
        CU_ASSERT_EQUAL_FATAL(c->nparams, pc);
        CU_ASSERT_EQUAL_FATAL(a->nparams, pc + m * m);
        random_theta(a, r, 0.5, 1.0);                  /* G too: it must not matter */
        memcpy(c->theta->data, a->theta->data, pc * sizeof(double));
        gsl_matrix *X = gsl_matrix_alloc(B, n);
        fill_gaussian(X, r);
        CU_ASSERT_EQUAL(chain_forward(c, X), GSL_SUCCESS);
        CU_ASSERT_EQUAL(autoenc_forward(a, X), GSL_SUCCESS);
        CU_ASSERT(mixed(a, 0));
        gsl_matrix_view Yc = chain_activation(c, 2), Ya = autoenc_output(a),
                        Hc = chain_activation(c, 1), Ha = autoenc_code(a, 0);
        int same = Ya.matrix.size1 == B && Ya.matrix.size2 == n && Ha.matrix.size1 == B
                   && Ha.matrix.size2 == m;
        for (size_t i = 0; same && i < B; i++) {
            for (size_t k = 0; k < n; k++)
                same &= gsl_matrix_get(&Yc.matrix, i, k) == gsl_matrix_get(&Ya.matrix, i, k);
            for (size_t j = 0; j < m; j++)
                same &= gsl_matrix_get(&Hc.matrix, i, j) == gsl_matrix_get(&Ha.matrix, i, j);
        }
        CU_ASSERT(same);

        backprop_workspace *w = backprop_alloc(c);
        gsl_vector *gc = gsl_vector_alloc(pc), *ga = gsl_vector_alloc(a->nparams);
        const autoenc_rules rules = {0, 0, 0, 0, 0};
        autoenc_loss L;
        double C;
        CU_ASSERT_EQUAL(backprop_gradient(c, w, BACKPROP_MSE, X, X, &C, gc), GSL_SUCCESS);
        CU_ASSERT_EQUAL(autoenc_gradient(a, X, &rules, &L, ga), GSL_SUCCESS);
        CU_ASSERT(fabs(L.loss - C) <= 4 * DBL_EPSILON * C);
        CU_ASSERT(L.error == L.loss && L.l1 == 0 && L.norm == 0);
        double diff = 0, norm = 0;
        int equal = 1;
        for (size_t p = 0; p < pc; p++) {
            const double x = gsl_vector_get(gc, p), y = gsl_vector_get(ga, p);
            equal &= x == y;
            diff += (x - y) * (x - y), norm += x * x;
        }
        if ((B & (B - 1)) == 0)
            CU_ASSERT(equal);
        CU_ASSERT(sqrt(diff) <= 4 * DBL_EPSILON * sqrt(norm));
        CU_ASSERT(norm > 1e-6);
        int G_zero = 1;
        for (size_t p = pc; p < a->nparams; p++)
            G_zero &= gsl_vector_get(ga, p) == 0;
        CU_ASSERT(G_zero);
        if (getenv("AUTOENC_TEST_VERBOSE"))
            printf("\n  B = %zu: gradients bit-identical %d, relative difference %.3g, "
                   "loss difference %.3g", B, equal, sqrt(diff / norm), fabs(L.loss - C) / C);
        gsl_vector_free(gc), gsl_vector_free(ga), gsl_matrix_free(X);
        backprop_free(w), chain_free(c), autoenc_free(a);
    }
    gsl_rng_free(r);
}

/* ---------------------------------------------------------------- 3 */

/* One full step (gamma = 1) replaces mu by mu_0 - G z_0: the residual
   form z_1 = ReLU(mu_0 - G ReLU(mu_0)), computed here with plain loops.
   Each entry is compared relative to the size of the terms it sums. */
static void test_one_full_step_is_residual_form(void)
{
    gsl_rng *r = rng(603);
    const size_t n = 6, m = 5, B = 5;
    autoenc *a = autoenc_alloc(n, m, 1, 1.0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    random_theta(a, r, 0.5, 1.0);
    gsl_matrix *X = gsl_matrix_alloc(B, n);
    fill_gaussian(X, r);
    CU_ASSERT_EQUAL_FATAL(autoenc_forward(a, X), GSL_SUCCESS);
    gsl_matrix_view Z = autoenc_code(a, 1), Z0 = autoenc_code(a, 0);
    CU_ASSERT_EQUAL_FATAL(Z.matrix.size1, B);
    CU_ASSERT_EQUAL_FATAL(Z.matrix.size2, m);
    double worst = 0, moved = 0;
    size_t on = 0;
    for (size_t b = 0; b < B; b++) {
        double mu0[5], z0[5];
        for (size_t j = 0; j < m; j++) {
            double s = gsl_vector_get(&a->enc.b.vector, j);
            for (size_t i = 0; i < n; i++)
                s += gsl_matrix_get(&a->enc.W.matrix, j, i) * gsl_matrix_get(X, b, i);
            mu0[j] = s;
            z0[j] = s > 0 ? s : 0;
        }
        for (size_t j = 0; j < m; j++) {
            double mu1 = mu0[j], scale = fabs(mu0[j]);
            for (size_t k = 0; k < m; k++) {
                mu1 -= gsl_matrix_get(&a->G.matrix, j, k) * z0[k];
                scale += fabs(gsl_matrix_get(&a->G.matrix, j, k) * z0[k]);
            }
            const double z1 = mu1 > 0 ? mu1 : 0, got = gsl_matrix_get(&Z.matrix, b, j);
            worst = fmax(worst, fabs(got - z1) / fmax(scale, DBL_MIN));
            moved = fmax(moved, fabs(z1 - gsl_matrix_get(&Z0.matrix, b, j)));
            on += z1 > 0;
        }
    }
    CU_ASSERT(worst < 1e-13);
    CU_ASSERT(moved > 1e-2);                     /* the loop did something */
    CU_ASSERT(on > 0 && on < B * m);
    if (getenv("AUTOENC_TEST_VERBOSE"))
        printf("\n  worst relative error %.3g", worst);
    gsl_matrix_free(X), autoenc_free(a), gsl_rng_free(r);
}

/* ---------------------------------------------------------------- 4 */

/* The loop is positively homogeneous in (W_e, b_e): ReLU(s mu) = s ReLU(mu)
   for s > 0, and the loop is linear between ReLUs.  So W_e, b_e -> /c,
   W_d -> c W_d leaves Xhat alone and divides the code, hence the L1 term,
   by c: the cheat.  The inverse-norm penalty grows by c^2 against it.  c =
   4 is a power of two and c = 3 is not. */
static void test_scaling_symmetry_of_the_cheat(void)
{
    gsl_rng *r = rng(604);
    const size_t n = 8, m = 6, B = 10;
    const double cs[] = {4, 3};
    const autoenc_rules rules = {0.2, 0.1, 0, 0, 0};
    for (size_t s = 0; s < 2; s++) {
        const double c = cs[s];
        autoenc *a = autoenc_alloc(n, m, 3, 0.5);
        CU_ASSERT_PTR_NOT_NULL_FATAL(a);
        random_theta(a, r, 0.5, 1.0);
        gsl_matrix *X = gsl_matrix_alloc(B, n), *Xhat = gsl_matrix_alloc(B, n),
                   *Z = gsl_matrix_alloc(B, m);
        fill_gaussian(X, r);
        autoenc_loss L1, L2;
        CU_ASSERT_EQUAL_FATAL(autoenc_gradient(a, X, &rules, &L1, NULL), GSL_SUCCESS);
        CU_ASSERT(mixed(a, 3));
        gsl_matrix_view out = autoenc_output(a), code = autoenc_code(a, 3);
        gsl_matrix_memcpy(Xhat, &out.matrix);
        gsl_matrix_memcpy(Z, &code.matrix);
        gsl_matrix_scale(&a->enc.W.matrix, 1 / c);
        gsl_vector_scale(&a->enc.b.vector, 1 / c);
        gsl_matrix_scale(&a->dec.W.matrix, c);
        CU_ASSERT_EQUAL_FATAL(autoenc_gradient(a, X, &rules, &L2, NULL), GSL_SUCCESS);
        out = autoenc_output(a), code = autoenc_code(a, 3);
        const double dx = rel_matrix(&out.matrix, Xhat);
        gsl_matrix_scale(&code.matrix, c);             /* the code was divided by c */
        const double dz = rel_matrix(&code.matrix, Z);
        CU_ASSERT(dx < 1e-12);
        CU_ASSERT(dz < 1e-12);
        CU_ASSERT(L1.l1 > 0);
        CU_ASSERT(fabs(c * L2.l1 - L1.l1) <= 1e-12 * L1.l1);
        CU_ASSERT(fabs(L2.error - L1.error) <= 1e-12 * L1.error);
        CU_ASSERT(fabs(L2.norm - c * c * L1.norm) <= 1e-12 * L2.norm);
        if (getenv("AUTOENC_TEST_VERBOSE"))
            printf("\n  c = %g: Xhat %.3g, code %.3g, l1 %.3g", c, dx, dz,
                   fabs(c * L2.l1 - L1.l1) / L1.l1);
        gsl_matrix_free(X), gsl_matrix_free(Xhat), gsl_matrix_free(Z), autoenc_free(a);
    }
    gsl_rng_free(r);
}

/* ---------------------------------------------------------------- 5 */

/* The largest | |d_j| - 1 | over the decoder's columns. */
static double column_norm_deviation(const autoenc *a)
{
    double worst = 0;
    for (size_t j = 0; j < a->m; j++) {
        gsl_vector_const_view d = gsl_matrix_const_column(&a->dec.W.matrix, j);
        worst = fmax(worst, fabs(gsl_blas_dnrm2(&d.vector) - 1));
    }
    return worst;
}

enum { STEPS = 50 };

/* STEPS Adam steps from theta0 on fresh random batches; the worst column
   deviation seen after any step.  a is left at the last step. */
static double train_and_watch(autoenc *a, const gsl_vector *theta0, int unit,
                              unsigned long seed)
{
    const size_t B = 16;
    gsl_rng *r = rng(seed);
    gsl_vector_memcpy(a->theta, theta0);
    train_optimizer *o = train_optimizer_alloc(TRAIN_ADAM, a->nparams, 0.01);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    gsl_matrix *X = gsl_matrix_alloc(B, a->n);
    gsl_vector *grad = gsl_vector_alloc(a->nparams);
    const autoenc_rules rules = {0.1, 0.01, unit, 0, 0};
    autoenc_loss L;
    double worst = 0;
    int ok = 1;
    for (int k = 0; k < STEPS; k++) {
        fill_gaussian(X, r);
        ok &= autoenc_step(a, o, X, &rules, grad, &L) == GSL_SUCCESS && isfinite(L.loss);
        worst = fmax(worst, column_norm_deviation(a));
    }
    CU_ASSERT(ok);
    gsl_matrix_free(X), gsl_vector_free(grad), train_optimizer_free(o), gsl_rng_free(r);
    return worst;
}

static void test_unit_decoder_columns(void)
{
    gsl_rng *r = rng(605);
    autoenc *a = autoenc_alloc(8, 10, 3, 0.5);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    autoenc_randomize(a, r);
    CU_ASSERT_EQUAL(autoenc_unit_decoder(a), GSL_SUCCESS);
    CU_ASSERT(column_norm_deviation(a) <= 1e-12);
    gsl_vector *theta0 = gsl_vector_alloc(a->nparams);
    gsl_vector_memcpy(theta0, a->theta);
    const double with = train_and_watch(a, theta0, 1, 6050);
    train_and_watch(a, theta0, 0, 6050);                /* same data, same start */
    const double final_off = column_norm_deviation(a);
    CU_ASSERT(with <= 1e-12);
    CU_ASSERT(final_off > 1e-2);                 /* the rule is what holds them */
    if (getenv("AUTOENC_TEST_VERBOSE") || !(with <= 1e-12 && final_off > 1e-2))
        printf("\n  with the rule: worst | |d_j| - 1 | %.3g; without: %.3g after %d steps",
               with, final_off, STEPS);
    gsl_vector_free(theta0), autoenc_free(a), gsl_rng_free(r);
}

/* ---------------------------------------------------------------- 6 */

/* alpha sum_j 1/|e_j|^2, by hand. */
static double inverse_norm_penalty(const gsl_matrix *We, double alpha)
{
    double s = 0;
    for (size_t j = 0; j < We->size1; j++) {
        double q = 0;
        for (size_t i = 0; i < We->size2; i++)
            q += gsl_matrix_get(We, j, i) * gsl_matrix_get(We, j, i);
        s += 1 / q;
    }
    return alpha * s;
}

/* The penalty enters only the W_e block of the gradient; there grad(alpha)
   - grad(0) is its gradient, -2 alpha e_j / |e_j|^4, checked by central
   differences of the formula.  Rows of several lengths, so that the terms
   differ in size. */
static void test_inverse_norm_penalty(void)
{
    gsl_rng *r = rng(606);
    const size_t n = 6, m = 5, B = 4, pe = m * n;
    const double alpha = 0.1;
    autoenc *a = autoenc_alloc(n, m, 2, 0.5);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    random_theta(a, r, 0.5, 1.0);
    for (size_t j = 0; j < m; j++) {
        gsl_vector_view e = gsl_matrix_row(&a->enc.W.matrix, j);
        gsl_vector_scale(&e.vector, 0.4 + 1.6 * gsl_rng_uniform(r));
    }
    gsl_matrix *X = gsl_matrix_alloc(B, n);
    fill_gaussian(X, r);
    const size_t P = a->nparams;
    gsl_vector *g1 = gsl_vector_alloc(P), *g0 = gsl_vector_alloc(P);
    const autoenc_rules with = {0.2, alpha, 0, 0, 0}, without = {0.2, 0, 0, 0, 0};
    autoenc_loss L1, L0;
    CU_ASSERT_EQUAL_FATAL(autoenc_gradient(a, X, &with, &L1, g1), GSL_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(autoenc_gradient(a, X, &without, &L0, g0), GSL_SUCCESS);
    const double value = inverse_norm_penalty(&a->enc.W.matrix, alpha);
    CU_ASSERT(fabs(L1.norm - value) <= 1e-14 * value);
    CU_ASSERT(L0.norm == 0);
    CU_ASSERT(fabs((L1.loss - L0.loss) - value) <= 1e-14 * L1.loss);
    gsl_vector_sub(g1, g0);                               /* the penalty's part */
    double rest = 0;
    for (size_t p = pe; p < P; p++)
        rest = fmax(rest, fabs(gsl_vector_get(g1, p)));
    CU_ASSERT(rest <= 1e-15 * max_abs(g0));               /* only W_e feels it */
    double diff = 0, norm = 0, worst = 0;
    for (size_t p = 0; p < pe; p++) {
        double *w = a->enc.W.matrix.data + p;          /* W_e is contiguous */
        const double w0 = *w, h = 1e-6 * fmax(1, fabs(w0)), up = w0 + h, down = w0 - h;
        *w = up;
        const double fp = inverse_norm_penalty(&a->enc.W.matrix, alpha);
        *w = down;
        const double fm = inverse_norm_penalty(&a->enc.W.matrix, alpha);
        *w = w0;
        const double fd = (fp - fm) / (up - down), g = gsl_vector_get(g1, p);
        diff += (fd - g) * (fd - g), norm += g * g;
        worst = fmax(worst, fabs(fd - g) / fabs(g));
    }
    const double rel = sqrt(diff / norm);
    CU_ASSERT(norm > 1e-4);
    CU_ASSERT(rel < 1e-7);
    if (getenv("AUTOENC_TEST_VERBOSE") || !(rel < 1e-7))
        printf("\n  normwise relative error %.3g, worst entry %.3g", rel, worst);
    gsl_vector_free(g1), gsl_vector_free(g0), gsl_matrix_free(X), autoenc_free(a);
    gsl_rng_free(r);
}

/* ---------------------------------------------------------------- 7 */

/* With W_e = Phi^T, b_e = -lambda 1, G = Phi^T Phi - I and W_d = Phi the
   loop is chapter 5's LCA for the non-negative LASSO min 1/2 |x - Phi z|^2
   + lambda sum z, z >= 0, with mu = u - lambda.  Its fixed point mu = mu_0
   - G z gives, for z_i > 0, Phi_i^T (x - Phi z) = lambda, and for z_i = 0,
   Phi_i^T (x - Phi z) <= lambda: the optimality conditions.  On a support
   S the loop contracts by 1 - gamma lambda_min(Phi_S^T Phi_S) per step;
   lambda = 0.5 keeps supports well below n = 8 (a support of 8 makes
   Phi_S square and the loop needs tens of thousands of steps). */
static void test_lca_fixed_point_is_nonnegative_lasso(void)
{
    gsl_rng *r = rng(607);
    const size_t n = 8, m = 12, B = 5, tstar = 2000;
    const double lambda = 0.5;
    autoenc *a = autoenc_alloc(n, m, tstar, 0.1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    gsl_matrix *Phi = gsl_matrix_alloc(n, m), *X = gsl_matrix_alloc(B, n),
               *R = gsl_matrix_alloc(B, n), *C = gsl_matrix_alloc(B, m);
    fill_gaussian(Phi, r);
    for (size_t j = 0; j < m; j++) {
        gsl_vector_view d = gsl_matrix_column(Phi, j);
        gsl_vector_scale(&d.vector, 1 / gsl_blas_dnrm2(&d.vector));
    }
    gsl_matrix_transpose_memcpy(&a->enc.W.matrix, Phi);
    gsl_vector_set_all(&a->enc.b.vector, -lambda);
    gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, Phi, Phi, 0.0, &a->G.matrix);
    for (size_t j = 0; j < m; j++)
        *gsl_matrix_ptr(&a->G.matrix, j, j) -= 1;
    gsl_matrix_memcpy(&a->dec.W.matrix, Phi);
    gsl_vector_set_zero(&a->dec.b.vector);
    fill_gaussian(X, r);
    CU_ASSERT_EQUAL_FATAL(autoenc_forward(a, X), GSL_SUCCESS);
    gsl_matrix_view Z = autoenc_code(a, tstar);
    gsl_matrix_memcpy(R, X);                                   /* R = X - Z Phi^T */
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, -1.0, &Z.matrix, Phi, 1.0, R);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, R, Phi, 0.0, C);   /* Phi_i^T r */
    double active = 0, inactive = -INFINITY;
    size_t on = 0;
    for (size_t b = 0; b < B; b++)
        for (size_t i = 0; i < m; i++) {
            const double c = gsl_matrix_get(C, b, i);
            if (gsl_matrix_get(&Z.matrix, b, i) > 0)
                active = fmax(active, fabs(c - lambda) / lambda), on++;
            else
                inactive = fmax(inactive, c - lambda);
        }
    CU_ASSERT(on > 0 && on < B * m);                    /* a real LASSO */
    CU_ASSERT(active < 1e-6);
    CU_ASSERT(inactive <= 1e-6);
    /* The reconstruction is Phi z. */
    gsl_matrix_view Xhat = autoenc_output(a);
    gsl_matrix_sub(R, X);                                     /* R = -Phi z */
    gsl_matrix_scale(R, -1);
    CU_ASSERT(rel_matrix(&Xhat.matrix, R) < 1e-14);
    if (getenv("AUTOENC_TEST_VERBOSE") || !(active < 1e-6 && inactive <= 1e-6))
        printf("\n  %zu of %zu active; active |Phi_i^T r - lambda| / lambda %.3g, "
               "inactive max Phi_i^T r - lambda %.3g", on, B * m, active, inactive);
    gsl_matrix_free(Phi), gsl_matrix_free(X), gsl_matrix_free(R), gsl_matrix_free(C);
    autoenc_free(a), gsl_rng_free(r);
}

/* ---------------------------------------------------------------- 8 */

static void test_bad_arguments(void)
{
    CU_ASSERT_PTR_NULL(autoenc_alloc(0, 4, 1, 0.5));
    CU_ASSERT_PTR_NULL(autoenc_alloc(4, 0, 1, 0.5));
    CU_ASSERT_PTR_NULL(autoenc_alloc(4, 3, 1, 0.0));
    CU_ASSERT_PTR_NULL(autoenc_alloc(4, 3, 1, 1.5));
    CU_ASSERT_PTR_NULL(autoenc_alloc(4, 3, 1, -0.5));
    CU_ASSERT_PTR_NULL(autoenc_alloc(4, 3, 1, NAN));
    autoenc_free(NULL);

    gsl_rng *r = rng(608);
    const size_t n = 4, m = 3, B = 5;
    autoenc *a = autoenc_alloc(n, m, 2, 1.0);         /* gamma = 1 is allowed */
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    autoenc_randomize(a, r);
    gsl_matrix *X = gsl_matrix_alloc(B, n), *Xbad = gsl_matrix_calloc(B, n + 1);
    gsl_vector *g = gsl_vector_alloc(a->nparams), *gbad = gsl_vector_alloc(a->nparams - 1),
               *theta0 = gsl_vector_alloc(a->nparams);
    fill_gaussian(X, r);
    const autoenc_rules rules = {0.1, 0.01, 1, 0, 0};
    autoenc_loss L;
    CU_ASSERT_EQUAL(autoenc_forward(a, Xbad), GSL_EBADLEN);
    CU_ASSERT_EQUAL(autoenc_gradient(a, Xbad, &rules, &L, g), GSL_EBADLEN);
    CU_ASSERT_EQUAL(autoenc_gradient(a, X, &rules, &L, gbad), GSL_EBADLEN);
    CU_ASSERT_EQUAL(autoenc_gradient(a, X, &rules, &L, g), GSL_SUCCESS);

    /* A zero decoder column cannot be made unit; a zero encoder row has no
       inverse norm. */
    gsl_vector_memcpy(theta0, a->theta);
    gsl_vector_view d = gsl_matrix_column(&a->dec.W.matrix, 1);
    gsl_vector_set_zero(&d.vector);
    CU_ASSERT_EQUAL(autoenc_unit_decoder(a), GSL_EZERODIV);
    gsl_vector_memcpy(a->theta, theta0);
    gsl_vector_view e = gsl_matrix_row(&a->enc.W.matrix, 2);
    gsl_vector_set_zero(&e.vector);
    CU_ASSERT_EQUAL(autoenc_gradient(a, X, &rules, &L, g), GSL_EZERODIV);
    gsl_vector_memcpy(a->theta, theta0);

    /* A NaN in the data: no update. */
    train_optimizer *o = train_optimizer_alloc(TRAIN_ADAM, a->nparams, 0.01);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    gsl_matrix_set(X, 3, 2, NAN);
    CU_ASSERT_EQUAL(autoenc_step(a, o, X, &rules, g, &L), GSL_EDIVERGE);
    CU_ASSERT(memcmp(a->theta->data, theta0->data, a->nparams * sizeof(double)) == 0);
    gsl_matrix_set(X, 3, 2, 0.5);
    CU_ASSERT_EQUAL(autoenc_step(a, o, X, &rules, g, &L), GSL_SUCCESS);
    CU_ASSERT(memcmp(a->theta->data, theta0->data, a->nparams * sizeof(double)) != 0);

    train_optimizer_free(o);
    gsl_matrix_free(X), gsl_matrix_free(Xbad);
    gsl_vector_free(g), gsl_vector_free(gbad), gsl_vector_free(theta0);
    autoenc_free(a), gsl_rng_free(r);
}

void suite_autoenc(void)
{
    CU_pSuite s = CU_add_suite("autoenc", NULL, NULL);
    if (!s)
        return;
    CU_add_test(s, "backprop through the loop matches central differences (t* = 0, 1, 3)",
                test_gradient_matches_central_differences);
    CU_add_test(s, "t* = 0 is the plain autoencoder, bit for bit",
                test_no_loop_is_plain_autoencoder);
    CU_add_test(s, "t* = 1, gamma = 1 is ReLU(mu_0 - G ReLU(mu_0))",
                test_one_full_step_is_residual_form);
    CU_add_test(s, "W_e/c, b_e/c, c W_d: same output, L1 term / c",
                test_scaling_symmetry_of_the_cheat);
    CU_add_test(s, "unit_decoder keeps every column at length 1",
                test_unit_decoder_columns);
    CU_add_test(s, "the inverse-norm penalty's value and gradient",
                test_inverse_norm_penalty);
    CU_add_test(s, "LCA's fixed point meets the non-negative LASSO conditions",
                test_lca_fixed_point_is_nonnegative_lasso);
    CU_add_test(s, "bad arguments give NULL or statuses", test_bad_arguments);
}
