/* bench_backprop.c: training throughput of the book's networks.
 *
 * For each network (2-16-16-1 with per-example SGD, 2-64-64-1 and 784-100-10
 * with batches of 64, double precision, one BLAS thread as `make` sets it):
 * - samples per second of train_run (shuffle, gather, forward, cost,
 *   backward, SGD update);
 * - the overhead: time per step over the time of the dgemm calls the step
 *   performs (same shapes, dgemm alone, same run);
 * - when Debian's python3-torch is installed, the same network, batch size
 *   and precision trained by PyTorch on the CPU with the same thread count,
 *   as a ratio; otherwise a "skipped" line.
 * Ratios only: nothing fails on a time. */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "train.h"

typedef struct {
    const char *name;
    size_t depth, width[4];
    layer_activation act[3];
    const char *torch_act[3];   /* the same activations, by PyTorch's names */
    backprop_cost cost;
    size_t batch, n;            /* batch size, examples in an epoch         */
    double lr;
} bench_net;

static const bench_net nets[] = {
    {"2-16-16-1, per-example SGD", 3, {2, 16, 16, 1},
     {LAYER_TANH, LAYER_TANH, LAYER_SIGMOID}, {"Tanh", "Tanh", "Sigmoid"}, BACKPROP_MSE, 1, 2000, 0.1},
    {"2-64-64-1, batch 64", 3, {2, 64, 64, 1},
     {LAYER_TANH, LAYER_TANH, LAYER_SIGMOID}, {"Tanh", "Tanh", "Sigmoid"}, BACKPROP_MSE, 64, 6400, 0.1},
    {"784-100-10, batch 64", 2, {784, 100, 10},
     {LAYER_RELU, LAYER_IDENTITY}, {"ReLU", "", ""}, BACKPROP_SOFTMAX_CE, 64, 6400, 0.1},
};
enum { NNETS = sizeof nets / sizeof nets[0] };

/* Samples per second of train_run on random data, best of 3 runs of at
   least 0.3 s each; *steps_per_s too. */
static double our_throughput(const bench_net *b, double *steps_per_s)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    const size_t in = b->width[0], out = b->width[b->depth];
    gsl_matrix *X = gsl_matrix_alloc(b->n, in), *Y = gsl_matrix_calloc(b->n, out);
    for (size_t i = 0; i < b->n; i++) {
        for (size_t j = 0; j < in; j++)
            gsl_matrix_set(X, i, j, gsl_rng_uniform(r));
        gsl_matrix_set(Y, i, out == 1 ? 0 : gsl_rng_uniform_int(r, out),
                       out == 1 ? (double)(i % 2) : 1.0);
    }
    chain *c = chain_alloc(b->depth, b->width, b->act);
    train_optimizer *o = train_optimizer_alloc(TRAIN_SGD, c->nparams, b->lr);
    train_initialize(c, TRAIN_INIT_NORMAL, 1.0, r);
    double best = 0;
    for (int rep = 0; rep < 3; rep++) {
        size_t epochs = 0;
        const double t0 = bench_now();
        double t;
        do {
            if (train_run(c, o, b->cost, X, Y, b->batch, 1, r, NULL, NULL, NULL) != 0)
                fprintf(stderr, "bench_backprop: training failed\n");
            epochs++;
        } while ((t = bench_now() - t0) < 0.3);
        best = fmax(best, (double)(epochs * b->n) / t);
    }
    *steps_per_s = best / (double)b->batch;
    bench_keep(gsl_vector_get(c->theta, 0));
    chain_free(c), train_optimizer_free(o), gsl_rng_free(r);
    gsl_matrix_free(X), gsl_matrix_free(Y);
    return best;
}

/* Seconds per step of the dgemm calls alone that one training step makes:
   forward A^(l-1) W^T, backward Delta^T A^(l-1) and (above layer 1) Delta W. */
static double dgemm_time_per_step(const bench_net *b)
{
    const size_t n = b->batch, L = b->depth;
    gsl_matrix *A[4], *W[3], *gW[3], *D[4];
    for (size_t l = 0; l <= L; l++) {
        A[l] = gsl_matrix_calloc(n, b->width[l]);
        D[l] = gsl_matrix_calloc(n, b->width[l]);
        gsl_matrix_set_all(A[l], 0.5), gsl_matrix_set_all(D[l], 0.25);
    }
    for (size_t l = 0; l < L; l++) {
        W[l] = gsl_matrix_alloc(b->width[l + 1], b->width[l]);
        gW[l] = gsl_matrix_alloc(b->width[l + 1], b->width[l]);
        gsl_matrix_set_all(W[l], 0.01);
    }
    double best = INFINITY;
    for (int rep = 0; rep < 3; rep++) {
        size_t steps = 0;
        const double t0 = bench_now();
        double t;
        do {
            for (size_t l = 0; l < L; l++)
                gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, A[l], W[l], 0.0, A[l + 1]);
            for (size_t l = L; l >= 1; l--) {
                gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, D[l], A[l - 1], 0.0, gW[l - 1]);
                if (l > 1)
                    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, D[l], W[l - 1], 0.0, D[l - 1]);
            }
            steps++;
        } while ((t = bench_now() - t0) < 0.3);
        best = fmin(best, t / (double)steps);
    }
    bench_keep(gsl_matrix_get(gW[0], 0, 0));
    for (size_t l = 0; l <= L; l++)
        gsl_matrix_free(A[l]), gsl_matrix_free(D[l]);
    for (size_t l = 0; l < L; l++)
        gsl_matrix_free(W[l]), gsl_matrix_free(gW[l]);
    return best;
}

/* The python3 that has torch ("python3" first, then Debian's own), or NULL. */
static const char *torch_python(void)
{
    static const char *const candidates[] = {"python3", "/usr/bin/python3"};
    for (int i = 0; i < 2; i++) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "%s -c \"import torch\" >/dev/null 2>&1", candidates[i]);
        if (system(cmd) == 0)
            return candidates[i];
    }
    return NULL;
}

/* Samples per second of PyTorch on the same network, batch and precision,
   with one thread; NAN if the run fails. */
static double torch_throughput(const char *python, const bench_net *b)
{
    char layers[512] = "", cmd[4096];
    for (size_t l = 0; l < b->depth; l++) {
        char piece[128];
        snprintf(piece, sizeof piece, "nn.Linear(%zu,%zu),", b->width[l], b->width[l + 1]);
        strcat(layers, piece);
        if (b->torch_act[l][0]) {
            snprintf(piece, sizeof piece, "nn.%s(),", b->torch_act[l]);
            strcat(layers, piece);
        }
    }
    const int ce = b->cost == BACKPROP_SOFTMAX_CE;
    snprintf(cmd, sizeof cmd,
             "%s -c '\n"
             "import time, torch\nfrom torch import nn\n"
             "torch.set_num_threads(1); torch.manual_seed(1)\n"
             "n, B = %zu, %zu\n"
             "m = nn.Sequential(%s).double()\n"
             "X = torch.rand(n, %zu, dtype=torch.float64)\n"
             "Y = torch.randint(0, %zu, (n,)) if %d else (torch.arange(n) %% 2).double().reshape(n, 1)\n"
             "loss = nn.CrossEntropyLoss() if %d else nn.MSELoss()\n"
             "opt = torch.optim.SGD(m.parameters(), lr=%g)\n"
             "best = 0\n"
             "for rep in range(3):\n"
             "  seen, t0 = 0, time.perf_counter()\n"
             "  while time.perf_counter() - t0 < 0.6:\n"
             "    perm = torch.randperm(n)\n"
             "    for s in range(0, n, B):\n"
             "      i = perm[s:s + B]\n"
             "      opt.zero_grad(); l = loss(m(X[i]), Y[i]); l.backward(); opt.step()\n"
             "    seen += n\n"
             "  best = max(best, seen / (time.perf_counter() - t0))\n"
             "print(best)\n' 2>/dev/null",
             python, b->n, b->batch, layers, b->width[0], b->width[b->depth], ce, ce, b->lr);
    FILE *p = popen(cmd, "r");
    double rate = NAN;
    if (p) {
        if (fscanf(p, "%lf", &rate) != 1)
            rate = NAN;
        pclose(p);
    }
    return rate;
}

void bench_backprop(void)
{
    const char *threads = getenv("OPENBLAS_NUM_THREADS");
    const char *python = torch_python();
    printf("backprop: training throughput, double precision, OPENBLAS_NUM_THREADS=%s\n",
           threads ? threads : "(unset)");
    if (!python)
        printf("  PyTorch: skipped: python3 -c \"import torch\" fails (install Debian's "
               "python3-torch to compare)\n");
    for (int k = 0; k < NNETS; k++) {
        double steps;
        const double ours = our_throughput(&nets[k], &steps), gemm = dgemm_time_per_step(&nets[k]);
        printf("  %-28s %10.0f samples/s  step %7.2f us  dgemm alone %7.2f us  overhead %5.2fx\n",
               nets[k].name, ours, 1e6 / steps, 1e6 * gemm, 1 / (steps * gemm));
        if (python) {
            const double torch = torch_throughput(python, &nets[k]);
            if (isnan(torch))
                printf("  %-28s PyTorch: skipped: the run failed\n", "");
            else
                printf("  %-28s PyTorch (1 thread) %10.0f samples/s  ours/PyTorch %6.1fx\n", "",
                       torch, ours / torch);
        }
    }
}
