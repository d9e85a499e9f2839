/* test_ode.c: the ode module checked against mathematics.
 *
 * - Euler's observed order on the logistic equation is 1, GSL rk4's is 4;
 *   GSL's rk4 step h is two classical RK4 steps of h/2 (step doubling).
 * - x(1 - x) has equilibria 0 (unstable) and 1 (stable).
 * - Euler on x' = -lambda x decays for h < 2/lambda and grows beyond.
 * - Gradient ascent by Euler reaches the maximiser of F = x^2/2 - x^3/3;
 *   a step beyond the bound is reported as divergence, not as a number.
 * - Bad arguments and failing right-hand sides give statuses and leave the
 *   state as it was.
 */
#include <CUnit/CUnit.h>
#include <float.h>
#include <math.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_odeiv2.h>

#include "deriv.h"
#include "ode.h"

/* x' = x (1 - x), exact solution x0 e^t / (1 - x0 + x0 e^t) */
static int logistic(double t, const double y[], double dydt[], void *params)
{
    (void)t, (void)params;
    dydt[0] = y[0] * (1 - y[0]);
    return GSL_SUCCESS;
}

static double logistic_exact(double x0, double t)
{
    return x0 / (x0 + (1 - x0) * exp(-t));
}

/* x' = -lambda x */
static int decay(double t, const double y[], double dydt[], void *params)
{
    (void)t;
    dydt[0] = -*(const double *)params * y[0];
    return GSL_SUCCESS;
}

static int failing(double t, const double y[], double dydt[], void *params)
{
    (void)t, (void)y, (void)dydt, (void)params;
    return GSL_EBADFUNC;
}

static int square(double t, const double y[], double dydt[], void *params)
{
    (void)t, (void)params;
    dydt[0] = y[0] * y[0];
    return GSL_SUCCESS;
}

static const gsl_odeiv2_system logistic_sys = {logistic, NULL, 1, NULL};
static const double X0 = 0.1, T_END = 4.0;

/* Global error at T_END of Euler (T == NULL) or of GSL's stepper T. */
static double global_error(const gsl_odeiv2_step_type *T, double h)
{
    double t = 0, y[1] = {X0};
    const size_t n = (size_t)lround(T_END / h);
    int status;
    if (T) {
        status = ode_gsl_evolve(T, &logistic_sys, &t, h, n, y);
    } else {
        ode_euler *e = ode_euler_alloc(1);
        status = ode_euler_evolve(e, &logistic_sys, &t, h, n, y);
        ode_euler_free(e);
    }
    CU_ASSERT_EQUAL(status, GSL_SUCCESS);
    return fabs(y[0] - logistic_exact(X0, T_END));
}

static void test_euler_order_is_one(void)
{
    double h[7], err[7], p;
    for (int k = 0; k < 7; k++) {           /* h = 2^-8 ... 2^-14 */
        h[k] = ldexp(1.0, -8 - k);
        err[k] = global_error(NULL, h[k]);
    }
    CU_ASSERT_EQUAL_FATAL(deriv_observed_order(h, err, 7, &p), GSL_SUCCESS);
    CU_ASSERT_DOUBLE_EQUAL(p, 1.0, 0.05);
    /* halving h halves the error */
    CU_ASSERT_DOUBLE_EQUAL(err[5] / err[6], 2.0, 0.02);
}

static void test_rk4_order_is_four(void)
{
    /* GSL h = 2^-1 ... 2^-4: errors from about 1e-7 down to 1e-11, well
       above rounding (1e-16 relative). */
    double h[4], err[4], p;
    for (int k = 0; k < 4; k++) {
        h[k] = ldexp(1.0, -1 - k);
        err[k] = global_error(gsl_odeiv2_step_rk4, h[k]);
        CU_ASSERT(err[k] > 1e3 * DBL_EPSILON);
    }
    CU_ASSERT_EQUAL_FATAL(deriv_observed_order(h, err, 4, &p), GSL_SUCCESS);
    CU_ASSERT_DOUBLE_EQUAL(p, 4.0, 0.1);
}

/* One classical RK4 step of the logistic equation. */
static double rk4_classic(double y, double h)
{
    const double k1 = y * (1 - y), a = y + h / 2 * k1, k2 = a * (1 - a),
                 b = y + h / 2 * k2, k3 = b * (1 - b), c = y + h * k3,
                 k4 = c * (1 - c);
    return y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
}

static void test_gsl_rk4_is_two_half_steps(void)
{
    for (double h = 0.05; h < 1; h *= 2) {
        double t = 0, y[1] = {X0};
        CU_ASSERT_EQUAL(ode_gsl_evolve(gsl_odeiv2_step_rk4, &logistic_sys, &t, h, 1, y),
                        GSL_SUCCESS);
        const double two_halves = rk4_classic(rk4_classic(X0, h / 2), h / 2);
        const double one_full = rk4_classic(X0, h);
        CU_ASSERT_DOUBLE_EQUAL(y[0], two_halves, 4 * DBL_EPSILON);
        CU_ASSERT(fabs(y[0] - one_full) > 1e3 * DBL_EPSILON);
        CU_ASSERT_DOUBLE_EQUAL(t, h, 0);
    }
}

static void test_logistic_equilibria(void)
{
    ode_equilibrium eq[4];
    size_t found;
    /* a grid that does not hit 0 or 1 exactly, and one that does */
    const size_t grids[2] = {97, 201};
    for (int g = 0; g < 2; g++) {
        CU_ASSERT_EQUAL_FATAL(ode_equilibria(&logistic_sys, 0, -0.5, 1.5, grids[g], eq, 4,
                                             &found), GSL_SUCCESS);
        CU_ASSERT_EQUAL_FATAL(found, 2);
        CU_ASSERT_DOUBLE_EQUAL(eq[0].x, 0.0, 1e-12);
        CU_ASSERT_DOUBLE_EQUAL(eq[1].x, 1.0, 1e-12);
        CU_ASSERT_EQUAL(eq[0].stability, ODE_UNSTABLE);     /* f'(0) = 1  */
        CU_ASSERT_EQUAL(eq[1].stability, ODE_STABLE);       /* f'(1) = -1 */
        CU_ASSERT_DOUBLE_EQUAL(eq[0].slope, 1.0, 1e-8);
        CU_ASSERT_DOUBLE_EQUAL(eq[1].slope, -1.0, 1e-8);
    }
    /* too little room: the count is still right */
    CU_ASSERT_EQUAL(ode_equilibria(&logistic_sys, 0, -0.5, 1.5, 97, eq, 1, &found),
                    GSL_EBADLEN);
    CU_ASSERT_EQUAL(found, 2);
}

/* |x_n| after n Euler steps on x' = -lambda x from x_0 = 1. */
static double decay_after(double lambda, double h, size_t n, double *x1)
{
    const gsl_odeiv2_system sys = {decay, NULL, 1, &lambda};
    ode_euler *e = ode_euler_alloc(1);
    double t = 0, y[1] = {1.0};
    CU_ASSERT_EQUAL(ode_euler_step(e, &sys, &t, h, y), GSL_SUCCESS);
    *x1 = y[0];
    CU_ASSERT_EQUAL(ode_euler_evolve(e, &sys, &t, h, n - 1, y), GSL_SUCCESS);
    ode_euler_free(e);
    return fabs(y[0]);
}

static void test_euler_stability_bound(void)
{
    const double lambda = 3.0, bound = 2 / lambda;
    double x1;
    /* below 1/lambda: monotone decay */
    CU_ASSERT(decay_after(lambda, 0.5 / lambda, 100, &x1) < 1e-20);
    CU_ASSERT(x1 > 0);
    /* between 1/lambda and 2/lambda: oscillating decay */
    CU_ASSERT(decay_after(lambda, 0.95 * bound, 200, &x1) < 1e-3);
    CU_ASSERT(x1 < 0);
    /* beyond 2/lambda: growth, |1 - h lambda|^n */
    const double grown = decay_after(lambda, 1.05 * bound, 200, &x1);
    CU_ASSERT(grown > 1e3);
    CU_ASSERT_DOUBLE_EQUAL(grown / pow(fabs(1 - 1.05 * bound * lambda), 200), 1.0, 1e-12);
    /* at the bound itself: |x_n| = |x_0| for ever */
    CU_ASSERT_DOUBLE_EQUAL(decay_after(lambda, bound, 200, &x1), 1.0, 1e-12);
}

static double F_prime(double x, void *params)   /* F = x^2/2 - x^3/3 */
{
    (void)params;
    return x * (1 - x);
}

static double G_prime(double x, void *params)   /* G = -F */
{
    return -F_prime(x, params);
}

static void test_gradient_ascent_reaches_maximiser(void)
{
    const gsl_function dF = {F_prime, NULL}, dG = {G_prime, NULL};
    const ode_flow_options o = {.h = 0.5, .tol = 1e-12, .escape = 1e6, .max_iter = 10000};
    double x = 0.1, path[10001];
    size_t iters;
    CU_ASSERT_EQUAL(ode_gradient_flow(&dF, +1, &o, &x, &iters, path), GSL_SUCCESS);
    CU_ASSERT_DOUBLE_EQUAL(x, 1.0, 1e-11);          /* F'(1) = 0, F''(1) = -1 */
    CU_ASSERT(iters > 0 && iters < 10000);
    /* ascent climbs: F rises at every step */
    for (size_t k = 0; k < iters; k++) {
        const double a = path[k], b = path[k + 1];
        CU_ASSERT(b * b / 2 - b * b * b / 3 >= a * a / 2 - a * a * a / 3);
    }
    /* descent on -F is ascent on F: the same iterates */
    double y = 0.1;
    size_t iters_g;
    CU_ASSERT_EQUAL(ode_gradient_flow(&dG, -1, &o, &y, &iters_g, NULL), GSL_SUCCESS);
    CU_ASSERT_EQUAL(iters_g, iters);
    CU_ASSERT_EQUAL(y, x);
}

static void test_gradient_divergence_is_reported(void)
{
    const gsl_function dF = {F_prime, NULL};
    ode_flow_options o = {.h = 3.5, .tol = 1e-12, .escape = 1e6, .max_iter = 10000};
    double x = 0.1, path[10001];
    size_t iters;
    CU_ASSERT_EQUAL(ode_gradient_flow(&dF, +1, &o, &x, &iters, path), GSL_ERUNAWAY);
    CU_ASSERT_EQUAL(x, 0.1);                        /* no answer returned */
    CU_ASSERT(iters < 10000);
    for (size_t k = 0; k <= iters; k++)
        CU_ASSERT(isfinite(path[k]) && fabs(path[k]) <= o.escape);
    /* 2 < h < 1 + sqrt(6): a stable two-cycle around 1, never converges */
    o.h = 2.2;
    CU_ASSERT_EQUAL(ode_gradient_flow(&dF, +1, &o, &x, &iters, path), GSL_EMAXITER);
    CU_ASSERT_EQUAL(x, 0.1);
    CU_ASSERT(fabs(path[iters] - path[iters - 2]) < 1e-9);   /* period two */
    CU_ASSERT(fabs(path[iters] - path[iters - 1]) > 0.1);
    /* bad options */
    o.h = -1;
    CU_ASSERT_EQUAL(ode_gradient_flow(&dF, +1, &o, &x, &iters, NULL), GSL_EDOM);
    o.h = 0.5;
    CU_ASSERT_EQUAL(ode_gradient_flow(&dF, 2, &o, &x, &iters, NULL), GSL_EDOM);
}

static void test_failures_leave_state_unchanged(void)
{
    ode_euler *e = ode_euler_alloc(1), *e2 = ode_euler_alloc(2);
    const gsl_odeiv2_system bad = {failing, NULL, 1, NULL}, sq = {square, NULL, 1, NULL};
    double t = 0, y[1] = {0.5};
    CU_ASSERT_PTR_NULL(ode_euler_alloc(0));
    CU_ASSERT_EQUAL(ode_euler_step(e2, &logistic_sys, &t, 0.1, y), GSL_EBADLEN);
    CU_ASSERT_EQUAL(ode_euler_step(e, &logistic_sys, &t, 0.0, y), GSL_EDOM);
    CU_ASSERT_EQUAL(ode_euler_step(e, &logistic_sys, &t, NAN, y), GSL_EDOM);
    CU_ASSERT_EQUAL(ode_euler_step(e, &bad, &t, 0.1, y), GSL_EBADFUNC);
    CU_ASSERT_EQUAL(ode_gsl_evolve(gsl_odeiv2_step_rk4, &bad, &t, 0.1, 3, y), GSL_EBADFUNC);
    CU_ASSERT_EQUAL(y[0], 0.5);
    CU_ASSERT_EQUAL(t, 0.0);
    /* x' = x^2 from 1e200 overflows: divergence, state kept */
    y[0] = 1e200;
    CU_ASSERT_EQUAL(ode_euler_evolve(e, &sq, &t, 1.0, 5, y), GSL_ERUNAWAY);
    CU_ASSERT_EQUAL(y[0], 1e200);
    CU_ASSERT_EQUAL(ode_gsl_evolve(gsl_odeiv2_step_rk4, &sq, &t, 1.0, 5, y), GSL_ERUNAWAY);
    CU_ASSERT_EQUAL(y[0], 1e200);
    CU_ASSERT_EQUAL(t, 0.0);
    ode_euler_free(e);
    ode_euler_free(e2);
    ode_euler_free(NULL);
}

/* The pendulum theta'' = -sin theta as a first-order system. */
static int pendulum(double t, const double y[], double dydt[], void *params)
{
    (void)t, (void)params;
    dydt[0] = y[1];
    dydt[1] = -sin(y[0]);
    return GSL_SUCCESS;
}

static void test_sample_line_and_field(void)
{
    double x[5], fx[5];
    CU_ASSERT_EQUAL(ode_sample_line(&logistic_sys, 0, 0, 2, 5, x, fx), GSL_SUCCESS);
    for (int i = 0; i < 5; i++) {
        CU_ASSERT_DOUBLE_EQUAL(x[i], 0.5 * i, 0);
        CU_ASSERT_DOUBLE_EQUAL(fx[i], x[i] * (1 - x[i]), 0);
    }
    const gsl_odeiv2_system pend = {pendulum, NULL, 2, NULL};
    gsl_matrix *u = gsl_matrix_alloc(5, 3), *v = gsl_matrix_alloc(5, 3),
               *w = gsl_matrix_alloc(4, 3);
    CU_ASSERT_EQUAL(ode_sample_field(&pend, 0, -M_PI, M_PI, -1, 1, u, v), GSL_SUCCESS);
    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; j < 3; j++) {
            CU_ASSERT_DOUBLE_EQUAL(gsl_matrix_get(u, i, j), -1.0 + (double)j, 1e-15);
            CU_ASSERT_DOUBLE_EQUAL(gsl_matrix_get(v, i, j), -sin(-M_PI + M_PI / 2 * (double)i),
                                   1e-15);
        }
    CU_ASSERT_EQUAL(ode_sample_field(&pend, 0, -1, 1, -1, 1, u, w), GSL_EBADLEN);
    CU_ASSERT_EQUAL(ode_sample_field(&logistic_sys, 0, -1, 1, -1, 1, u, v), GSL_EBADLEN);
    gsl_matrix_free(u);
    gsl_matrix_free(v);
    gsl_matrix_free(w);
}

static void test_gsl_driver_refuses_and_keeps_state(void)
{
    /* The driver's fixed-step mode keeps the error estimate under its
       tolerance: a step of 0.5 with epsabs 1e-10 is refused, and neither
       y nor t moves.  A step it can accept is taken. */
    gsl_odeiv2_system sys = logistic_sys;
    gsl_odeiv2_driver *d = gsl_odeiv2_driver_alloc_y_new(&sys, gsl_odeiv2_step_rk4, 0.5,
                                                         1e-10, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    double t = 0, y[1] = {X0};
    CU_ASSERT_NOT_EQUAL(gsl_odeiv2_driver_apply_fixed_step(d, &t, 0.5, 4, y), GSL_SUCCESS);
    CU_ASSERT_EQUAL(y[0], X0);
    CU_ASSERT_EQUAL(t, 0.0);
    CU_ASSERT_EQUAL(gsl_odeiv2_driver_apply_fixed_step(d, &t, 1.0 / 64, 4, y), GSL_SUCCESS);
    CU_ASSERT_DOUBLE_EQUAL(y[0], logistic_exact(X0, 1.0 / 16), 1e-10);
    gsl_odeiv2_driver_free(d);
}

static void test_fastest_learning_rate_is_one_over_curvature(void)
{
    /* Near x = 1, F''(1) = -1: the ascent step multiplies the distance to
       the maximiser by 1 - h, zero at h = 1, so h = 1 beats its neighbours. */
    const gsl_function dF = {F_prime, NULL};
    const double rates[5] = {0.6, 0.8, 1.0, 1.2, 1.4};
    size_t steps[5];
    for (int i = 0; i < 5; i++) {
        const ode_flow_options o = {.h = rates[i], .tol = 1e-10, .escape = 1e6,
                                    .max_iter = 100000};
        double x = 0.05;
        CU_ASSERT_EQUAL(ode_gradient_flow(&dF, +1, &o, &x, &steps[i], NULL), GSL_SUCCESS);
    }
    for (int i = 0; i < 5; i++)
        if (i != 2)
            CU_ASSERT(steps[2] < steps[i]);
}

/* The heavy ball with beta = 0 has the iterates of ode_gradient_flow,
 * bit for bit, and its statuses. */
static double cubic_slope(double x, void *p)
{
    (void)p;
    return x * (1 - x);
}

static void test_heavy_ball_without_momentum_is_gradient_flow(void)
{
    const gsl_function dF = {cubic_slope, NULL};
    static const double lrs[] = {0.3, 1.0, 1.9, 2.3, 3.2};
    for (int i = 0; i < 5; i++) {
        const ode_flow_options o = {lrs[i], 1e-10, 1e6, 5000};
        double x = 0.05, y = 0.05, p[5001], q[5001];
        size_t n, m;
        const int a = ode_gradient_flow(&dF, +1, &o, &x, &n, p);
        const int b = ode_heavy_ball(&dF, +1, 0.0, &o, &y, &m, q);
        CU_ASSERT_EQUAL(a, b);
        CU_ASSERT_EQUAL(n, m);
        CU_ASSERT_EQUAL(memcmp(p, q, (n + 1) * sizeof *p), 0);
        CU_ASSERT_EQUAL(x, y);
    }
    double x = 0.5;
    size_t n;
    const ode_flow_options o = {0.1, 1e-10, 1e6, 100};
    CU_ASSERT_EQUAL(ode_heavy_ball(&dF, +1, 1.0, &o, &x, &n, NULL), GSL_EDOM);
}

/* A slope that is not finite is GSL_EBADFUNC in both flows, a finite one
 * whose step overflows is GSL_ERUNAWAY in both; *x keeps its start. */
static double nan_slope(double x, void *p)
{
    (void)p;
    return x > 0.2 ? NAN : x;
}

static double huge_slope(double x, void *p)
{
    (void)x, (void)p;
    return 1e308;
}

static void test_flow_failures_agree(void)
{
    const gsl_function bad = {nan_slope, NULL}, big = {huge_slope, NULL};
    const ode_flow_options o = {0.5, 1e-10, INFINITY, 100};
    double x = 0.1, y = 0.1;
    size_t n, m;
    CU_ASSERT_EQUAL(ode_gradient_flow(&bad, +1, &o, &x, &n, NULL), GSL_EBADFUNC);
    CU_ASSERT_EQUAL(ode_heavy_ball(&bad, +1, 0.0, &o, &y, &m, NULL), GSL_EBADFUNC);
    CU_ASSERT_EQUAL(n, m);
    CU_ASSERT(x == 0.1 && y == 0.1);
    const ode_flow_options w = {10, 1e-10, INFINITY, 100};
    CU_ASSERT_EQUAL(ode_gradient_flow(&big, +1, &w, &x, &n, NULL), GSL_ERUNAWAY);
    CU_ASSERT_EQUAL(ode_heavy_ball(&big, +1, 0.0, &w, &y, &m, NULL), GSL_ERUNAWAY);
    CU_ASSERT(x == 0.1 && y == 0.1 && n == 0 && m == 0);
}

void suite_ode(void)
{
    CU_pSuite s = CU_add_suite("ode", NULL, NULL);
    if (!s)
        return;
    CU_add_test(s, "Euler's observed order on the logistic equation is 1", test_euler_order_is_one);
    CU_add_test(s, "GSL rk4's observed order is 4", test_rk4_order_is_four);
    CU_add_test(s, "GSL rk4 step h = two classical RK4 steps of h/2", test_gsl_rk4_is_two_half_steps);
    CU_add_test(s, "x(1-x): 0 unstable, 1 stable", test_logistic_equilibria);
    CU_add_test(s, "Euler on x' = -lambda x: stable iff h < 2/lambda", test_euler_stability_bound);
    CU_add_test(s, "gradient ascent by Euler reaches the maximiser", test_gradient_ascent_reaches_maximiser);
    CU_add_test(s, "too large a learning rate is reported, not returned", test_gradient_divergence_is_reported);
    CU_add_test(s, "failures leave the state unchanged", test_failures_leave_state_unchanged);
    CU_add_test(s, "phase line and vector field samples", test_sample_line_and_field);
    CU_add_test(s, "GSL's driver refuses a step and keeps the state", test_gsl_driver_refuses_and_keeps_state);
    CU_add_test(s, "the fastest learning rate is 1/|F''|", test_fastest_learning_rate_is_one_over_curvature);
    CU_add_test(s, "heavy ball with beta = 0 is gradient ascent", test_heavy_ball_without_momentum_is_gradient_flow);
    CU_add_test(s, "a bad slope and an overflow: the same status in both flows", test_flow_failures_agree);
}
