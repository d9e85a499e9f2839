/* test_deriv.c: the derivative module against mathematics.
 *
 * Orders are measured, not assumed: the slope of log error against log h
 * over steps where truncation dominates rounding by orders of magnitude.
 * Every claim chapter 1 makes about a method is asserted here. */
#include <CUnit/CUnit.h>
#include <complex.h>
#include <float.h>
#include <math.h>
#include <gsl/gsl_deriv.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_vector.h>

#include "deriv.h"

/* f(x) = exp(sin x): smooth, and no derivative up to the third vanishes near x = -0.5 */
static double f(double x, void *p)
{
    (void)p;
    return exp(sin(x));
}
static double complex fc(double complex z, void *p)
{
    (void)p;
    return cexp(csin(z));
}
static double df(double x) { return cos(x) * exp(sin(x)); }
static double d2f(double x) { return (cos(x) * cos(x) - sin(x)) * exp(sin(x)); }
/* f''' = (cos^3 x - 3 sin x cos x - cos x) e^(sin x) */
static double d3f(double x)
{
    const double s = sin(x), c = cos(x);
    return (c * c * c - 3 * s * c - c) * exp(s);
}

static const gsl_function F = {f, NULL};
static const double X = -0.5;

typedef int (*quotient)(const gsl_function *, double, double, double *);

static int richardson(const gsl_function *g, double x, double h, double *r)
{
    double abserr;
    return deriv_richardson(g, x, h, r, &abserr);
}

/* Observed order of q on steps h = hi, hi/2, ... down to lo. */
static double order_of(quotient q, double (*exact)(double), double lo, double hi)
{
    double h[64], err[64];
    size_t n = 0;
    for (double s = hi; s >= lo && n < 64; s /= 2, n++) {
        double r;
        CU_ASSERT_EQUAL(q(&F, X, s, &r), GSL_SUCCESS);
        h[n] = s;
        err[n] = fabs(r - exact(X));
    }
    double p = NAN;
    CU_ASSERT_EQUAL(deriv_observed_order(h, err, n, &p), GSL_SUCCESS);
    return p;
}

static void test_forward_and_backward_are_first_order(void)
{
    CU_ASSERT_DOUBLE_EQUAL(order_of(deriv_forward, df, 1e-6, 1e-3), 1.0, 0.05);
    CU_ASSERT_DOUBLE_EQUAL(order_of(deriv_backward, df, 1e-6, 1e-3), 1.0, 0.05);
}

static void test_central_is_second_order(void)
{
    CU_ASSERT_DOUBLE_EQUAL(order_of(deriv_central, df, 1e-3, 1e-1), 2.0, 0.05);
}

static void test_second_difference_is_second_order(void)
{
    CU_ASSERT_DOUBLE_EQUAL(order_of(deriv_second, d2f, 1e-2, 1e-1), 2.0, 0.05);
}

static void test_richardson_is_fourth_order(void)
{
    CU_ASSERT_DOUBLE_EQUAL(order_of(richardson, df, 2e-2, 2e-1), 4.0, 0.15);
}

/* The leading error constant, not only the order: the central error divided
 * by h^2 f'''/6 tends to 1, the forward error divided by h f''/2 too. */
static void test_error_constants_match_taylor(void)
{
    double r;
    const double h = 1e-3;
    CU_ASSERT_EQUAL(deriv_central(&F, X, h, &r), GSL_SUCCESS);
    CU_ASSERT_DOUBLE_EQUAL((r - df(X)) / (h * h * d3f(X) / 6), 1.0, 1e-2);
    CU_ASSERT_EQUAL(deriv_forward(&F, X, h, &r), GSL_SUCCESS);
    CU_ASSERT_DOUBLE_EQUAL((r - df(X)) / (h * d2f(X) / 2), 1.0, 1e-2);
}

/* The error model E(h) = C h^p + D / h puts the best step within a factor
 * of ten of where a fine scan finds the smallest error (chapter 1 says the
 * model predicts the best step). */
static double best_step(quotient q, double lo, double hi)
{
    double best = hi, best_err = INFINITY;
    for (double h = hi; h >= lo; h /= 1.25) {
        double r;
        CU_ASSERT_EQUAL(q(&F, X, h, &r), GSL_SUCCESS);
        if (fabs(r - df(X)) < best_err)
            best_err = fabs(r - df(X)), best = h;
    }
    return best;
}

static void test_model_predicts_best_step(void)
{
    const double fx = fabs(f(X, NULL)), eps = DBL_EPSILON;
    const double forward = sqrt(2 * eps * fx / fabs(d2f(X)));
    const double central = cbrt(3 * eps * fx / (2 * fabs(d3f(X))));
    const double bf = best_step(deriv_forward, 1e-12, 1e-4);
    const double bc = best_step(deriv_central, 1e-9, 1e-2);
    CU_ASSERT(bf > forward / 10 && bf < forward * 10);
    CU_ASSERT(bc > central / 10 && bc < central * 10);
}

/* GSL's error estimate is conservative where its step adaptation works. */
static void test_gsl_estimate_is_conservative(void)
{
    for (double h = 1e-1; h >= 1e-5; h /= 3) {
        double r, abserr;
        CU_ASSERT_EQUAL(gsl_deriv_central(&F, X, h, &r, &abserr), GSL_SUCCESS);
        CU_ASSERT(fabs(r - df(X)) <= abserr);
    }
}

/* The central quotient is exact on quadratics: only rounding remains. */
static double quadratic(double x, void *p)
{
    (void)p;
    return 3 * x * x - 2 * x + 1;
}

static void test_central_is_exact_on_quadratics(void)
{
    const gsl_function Q = {quadratic, NULL};
    double r;
    CU_ASSERT_EQUAL(deriv_central(&Q, 1.5, 0.25, &r), GSL_SUCCESS);
    CU_ASSERT_DOUBLE_EQUAL(r, 7.0, 8 * DBL_EPSILON * 7);
}

/* No cancellation: with h = 1e-20 the complex step is f' to a few ulps,
 * for steps far below where every difference quotient has lost all digits. */
static void test_complex_step_is_exact_to_rounding(void)
{
    const deriv_complex_function G = {fc, NULL};
    for (double x = -2; x <= 2; x += 0.25) {
        double r;
        CU_ASSERT_EQUAL(deriv_complex_step(&G, x, 1e-20, &r), GSL_SUCCESS);
        CU_ASSERT(fabs(r - df(x)) <= 4 * DBL_EPSILON * fabs(df(x)) + DBL_MIN);
    }
    double r;
    CU_ASSERT_EQUAL(deriv_forward(&F, X, 1e-20, &r), GSL_EDOM); /* x + h == x */
}

/* Richardson's error estimate bounds its true error in the asymptotic range. */
static void test_richardson_estimate_bounds_error(void)
{
    for (double h = 0.2; h > 1e-2; h /= 2) {
        double r, e;
        CU_ASSERT_EQUAL(deriv_richardson(&F, X, h, &r, &e), GSL_SUCCESS);
        CU_ASSERT(fabs(r - df(X)) <= e);
    }
}

/* Gradient of F(x) = 1/2 x^T A x + b^T x is A x + b. */
static double quadratic_form(const gsl_vector *x, void *p)
{
    (void)p;
    double s = 0;
    for (size_t i = 0; i < x->size; i++) {
        const double xi = gsl_vector_get(x, i);
        s += 0.5 * (double)(i + 1) * xi * xi + (double)i * xi;
        if (i + 1 < x->size)
            s += 0.5 * xi * gsl_vector_get(x, i + 1);
    }
    return s;
}

/* Rosenbrock in n dimensions: sum 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2 */
static double rosenbrock(const gsl_vector *x, void *p)
{
    (void)p;
    double s = 0;
    for (size_t i = 0; i + 1 < x->size; i++) {
        const double a = gsl_vector_get(x, i), b = gsl_vector_get(x, i + 1);
        s += 100 * (b - a * a) * (b - a * a) + (1 - a) * (1 - a);
    }
    return s;
}

static double rosenbrock_partial(const gsl_vector *x, size_t i)
{
    const size_t n = x->size;
    const double a = gsl_vector_get(x, i);
    double g = 0;
    if (i + 1 < n) {
        const double b = gsl_vector_get(x, i + 1);
        g += -400 * a * (b - a * a) - 2 * (1 - a);
    }
    if (i > 0) {
        const double z = gsl_vector_get(x, i - 1);
        g += 200 * (a - z * z);
    }
    return g;
}

static void test_gradient_matches_analytic(void)
{
    const size_t n = 6;
    gsl_vector *x = gsl_vector_alloc(n), *g = gsl_vector_alloc(n);
    for (size_t i = 0; i < n; i++)
        gsl_vector_set(x, i, 0.3 * (double)i - 0.8);

    const gsl_multimin_function Q = {quadratic_form, n, NULL};
    CU_ASSERT_EQUAL(deriv_gradient(&Q, x, 1e-3, g), GSL_SUCCESS);
    for (size_t i = 0; i < n; i++) {
        double exact = (double)(i + 1) * gsl_vector_get(x, i) + (double)i;
        if (i + 1 < n)
            exact += 0.5 * gsl_vector_get(x, i + 1);
        if (i > 0)
            exact += 0.5 * gsl_vector_get(x, i - 1);
        CU_ASSERT_DOUBLE_EQUAL(gsl_vector_get(g, i), exact, 1e-10);
    }

    const gsl_multimin_function R = {rosenbrock, n, NULL};
    CU_ASSERT_EQUAL(deriv_gradient(&R, x, 1e-5, g), GSL_SUCCESS);
    for (size_t i = 0; i < n; i++) {
        const double exact = rosenbrock_partial(x, i);
        CU_ASSERT(fabs(gsl_vector_get(g, i) - exact) <= 1e-7 * fmax(1, fabs(exact)));
    }
    gsl_vector_free(x);
    gsl_vector_free(g);
}

static double nan_function(double x, void *p)
{
    (void)p;
    return x > 1 ? NAN : x;
}

static void test_bad_input_is_reported(void)
{
    double r;
    CU_ASSERT_EQUAL(deriv_central(&F, X, 0, &r), GSL_EDOM);
    CU_ASSERT_EQUAL(deriv_central(&F, X, -1e-3, &r), GSL_EDOM);
    CU_ASSERT_EQUAL(deriv_central(&F, X, NAN, &r), GSL_EDOM);
    CU_ASSERT_EQUAL(deriv_central(&F, INFINITY, 1e-3, &r), GSL_EDOM);
    CU_ASSERT_EQUAL(deriv_second(&F, 1e20, 1e-3, &r), GSL_EDOM);    /* x + h == x */
    const gsl_function N = {nan_function, NULL};
    CU_ASSERT_EQUAL(deriv_forward(&N, 1.0, 0.5, &r), GSL_EBADFUNC);
    CU_ASSERT_EQUAL(deriv_forward(&N, 0.0, 0.5, &r), GSL_SUCCESS);

    gsl_vector *x = gsl_vector_alloc(3), *g = gsl_vector_alloc(2);
    gsl_vector_set_all(x, 0.5);
    const gsl_multimin_function R = {rosenbrock, 3, NULL};
    CU_ASSERT_EQUAL(deriv_gradient(&R, x, 1e-5, g), GSL_EBADLEN);
    gsl_vector_free(g);

    /* A step that does not move its coordinate (0.5 + 1e-20 == 0.5) is
       refused with GSL_EDOM, not GSL_EBADFUNC, and grad is not written. */
    g = gsl_vector_alloc(3);
    gsl_vector_set_all(g, 7.0);
    CU_ASSERT_EQUAL(deriv_gradient(&R, x, 1e-20, g), GSL_EDOM);
    for (size_t i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(gsl_vector_get(g, i), 7.0);
    gsl_vector_free(x);
    gsl_vector_free(g);

    double h[2] = {1, 2}, e[2] = {0, NAN}, p;
    CU_ASSERT_EQUAL(deriv_observed_order(h, e, 2, &p), GSL_EDOM);
    CU_ASSERT_EQUAL(deriv_observed_order(NULL, NULL, 0, &p), GSL_EDOM);
}

static void test_observed_order_of_a_power_law(void)
{
    double h[10], e[10], p;
    for (int i = 0; i < 10; i++) {
        h[i] = pow(2.0, -i);
        e[i] = 3 * pow(h[i], 2.5);
    }
    CU_ASSERT_EQUAL(deriv_observed_order(h, e, 10, &p), GSL_SUCCESS);
    CU_ASSERT_DOUBLE_EQUAL(p, 2.5, 1e-12);
}

void suite_deriv(void)
{
    CU_pSuite s = CU_add_suite("deriv: numerical derivatives", NULL, NULL);
    CU_add_test(s, "forward and backward differences have order 1", test_forward_and_backward_are_first_order);
    CU_add_test(s, "central difference has order 2", test_central_is_second_order);
    CU_add_test(s, "second difference has order 2", test_second_difference_is_second_order);
    CU_add_test(s, "Richardson extrapolation has order 4", test_richardson_is_fourth_order);
    CU_add_test(s, "error constants are Taylor's", test_error_constants_match_taylor);
    CU_add_test(s, "the error model predicts the best step", test_model_predicts_best_step);
    CU_add_test(s, "GSL's error estimate is conservative", test_gsl_estimate_is_conservative);
    CU_add_test(s, "central difference is exact on quadratics", test_central_is_exact_on_quadratics);
    CU_add_test(s, "complex step is exact to rounding", test_complex_step_is_exact_to_rounding);
    CU_add_test(s, "Richardson's estimate bounds its error", test_richardson_estimate_bounds_error);
    CU_add_test(s, "gradient matches analytic gradients", test_gradient_matches_analytic);
    CU_add_test(s, "bad input gives a status, not a number", test_bad_input_is_reported);
    CU_add_test(s, "observed order of an exact power law", test_observed_order_of_a_power_law);
}
