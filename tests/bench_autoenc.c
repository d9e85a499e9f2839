/* bench_autoenc.c: what the inner loop costs.
 *
 * Chapter 6 claims that backpropagation through the loop costs about twice
 * the forward pass and that both grow with t*.  Measured here on the
 * chapter's sizes (64 pixels, 64 units, batches of 100): the time of a
 * forward pass and of a gradient for t* = 0, 1, 3 and 10, as ratios to the
 * forward pass of the plain autoencoder in the same run; and the plain
 * autoencoder's gradient against the chain of chapter 4 computing the same
 * numbers (backprop_gradient on the chain n -> m -> n), the overhead of the
 * module. */
#include "bench.h"

#include <math.h>
#include <stdio.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>

#include "autoenc.h"
#include "backprop.h"
#include "layer.h"

enum { N_PIX = 64, M_UNITS = 64, BATCH = 100, REPS = 400 };

/* Best of three runs of REPS calls, seconds per call.  what: 0 forward,
   1 gradient of the autoencoder, 2 gradient of the chain. */
static double seconds(autoenc *a, chain *c, backprop_workspace *w, const gsl_matrix *X,
                      gsl_vector *ga, gsl_vector *gc, int what)
{
    const autoenc_rules rules = {.lambda = 0.3, .alpha = 0, .unit_decoder = 0};
    double best = INFINITY;
    for (int k = 0; k < 3; k++) {
        double acc = 0, cost;
        autoenc_loss L;
        const double t0 = bench_now();
        for (int r = 0; r < REPS; r++) {
            if (what == 0)
                autoenc_forward(a, X), acc += gsl_matrix_get(a->xhat, 0, 0);
            else if (what == 1)
                autoenc_gradient(a, X, &rules, &L, ga), acc += gsl_vector_get(ga, 0);
            else
                backprop_gradient(c, w, BACKPROP_MSE, X, X, &cost, gc), acc += cost;
        }
        best = fmin(best, (bench_now() - t0) / REPS);
        bench_keep(acc);
    }
    return best;
}

void bench_autoenc(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_matrix *X = gsl_matrix_alloc(BATCH, N_PIX);
    const size_t width[] = {N_PIX, M_UNITS, N_PIX};
    const layer_activation act[] = {LAYER_RELU, LAYER_IDENTITY};
    chain *c = chain_alloc(2, width, act);
    backprop_workspace *w = c ? backprop_alloc(c) : NULL;
    if (!r || !X || !c || !w) {
        printf("autoenc: out of memory\n");
        goto done;
    }
    for (size_t i = 0; i < X->size1 * X->size2; i++)
        X->data[i] = gsl_ran_gaussian(r, 0.3);
    printf("autoenc: %d pixels, %d units, batches of %d; seconds per call and ratios to\n"
           "the forward pass with t* = 0 (best of 3 x %d calls)\n",
           N_PIX, M_UNITS, BATCH, REPS);
    printf("  %4s %12s %12s %8s %8s %10s\n", "t*", "forward/s", "gradient/s", "fwd", "grad",
           "grad/fwd");
    static const size_t tstar[] = {0, 1, 3, 10};
    double base = 0;
    for (size_t k = 0; k < sizeof tstar / sizeof tstar[0]; k++) {
        autoenc *a = autoenc_alloc(N_PIX, M_UNITS, tstar[k], 0.5);
        gsl_vector *ga = a ? gsl_vector_alloc(a->nparams) : NULL;
        if (!a || !ga) {
            printf("autoenc: out of memory\n");
            autoenc_free(a);
            goto done;
        }
        gsl_rng_set(r, 1);
        autoenc_randomize(a, r);
        for (size_t i = 0; i < M_UNITS * M_UNITS; i++)        /* a loop that does work */
            a->G.matrix.data[i] = gsl_ran_gaussian(r, 0.1);
        const double fwd = seconds(a, NULL, NULL, X, ga, NULL, 0),
                     grad = seconds(a, NULL, NULL, X, ga, NULL, 1);
        if (k == 0)
            base = fwd;
        printf("  %4zu %12.3e %12.3e %8.2f %8.2f %10.2f\n", tstar[k], fwd, grad, fwd / base,
               grad / base, grad / fwd);
        if (k == 0) {
            gsl_vector *gc = gsl_vector_alloc(c->nparams);
            if (gc) {
                /* the chain sees the same W_e, b_e, W_d, b_d */
                gsl_vector_const_view head = gsl_vector_const_subvector(a->theta, 0, c->nparams);
                gsl_vector_memcpy(c->theta, &head.vector);
                const double chain_grad = seconds(a, c, w, X, ga, gc, 2);
                printf("  t* = 0 gradient against chapter 4's chain: %.2f x (the same numbers;"
                       " the L1 term is the difference)\n", grad / chain_grad);
                gsl_vector_free(gc);
            }
        }
        gsl_vector_free(ga);
        autoenc_free(a);
    }
done:
    backprop_free(w);
    chain_free(c);
    gsl_matrix_free(X);
    gsl_rng_free(r);
}
