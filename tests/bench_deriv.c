/* bench_deriv.c: the cost of a derivative, in evaluations of f.
 *
 * Each method is timed over many points, and the time is divided by the
 * time of one evaluation of the same f over the same points, measured in
 * the same run.  The ratio is what the chapter's cost argument is about
 * (forward 2, central 2, Richardson 4, complex step about one complex
 * evaluation, GSL's adaptive rule 8 or more). */
#include "bench.h"

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <gsl/gsl_deriv.h>

#include "deriv.h"

static double f(double x, void *p)
{
    (void)p;
    return x * (1 - 1.3 * (1 - exp(-x / 1.3)));
}
static double complex fc(double complex z, void *p)
{
    (void)p;
    return z * (1 - 1.3 * (1 - cexp(-z / 1.3)));
}

enum { N = 200000 };

static double time_per_call(int method)
{
    const gsl_function F = {f, NULL};
    const deriv_complex_function G = {fc, NULL};
    double best = INFINITY;
    for (int rep = 0; rep < 3; rep++) {
        double acc = 0, r = 0, e;
        const double t0 = bench_now();
        for (int i = 0; i < N; i++) {
            const double x = 0.5 + 4.0 * i / N;
            switch (method) {
            case 0: r = f(x, NULL); break;
            case 1: deriv_forward(&F, x, 1e-8, &r); break;
            case 2: deriv_central(&F, x, 1e-5, &r); break;
            case 3: deriv_richardson(&F, x, 1e-3, &r, &e); break;
            case 4: deriv_complex_step(&G, x, 1e-20, &r); break;
            case 5: gsl_deriv_central(&F, x, 1e-5, &r, &e); break;
            }
            acc += r;
        }
        bench_keep(acc);
        best = fmin(best, (bench_now() - t0) / N);
    }
    return best;
}

void bench_deriv(void)
{
    static const char *const name[] = {"one evaluation of f", "forward difference",
                                       "central difference", "Richardson",
                                       "complex step", "gsl_deriv_central"};
    const double base = time_per_call(0);
    printf("deriv: cost of one derivative, in evaluations of f (best of 3 x %d points)\n", N);
    for (int m = 0; m < 6; m++) {
        const double t = m ? time_per_call(m) : base;
        printf("  %-22s %8.1f ns  %6.2f x f\n", name[m], 1e9 * t, t / base);
    }
}
