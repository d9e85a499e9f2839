/* bench_backprop.c: training throughput of the book's networks.
 *
 * For each network (2-16-16-1 with per-example SGD, 2-64-64-1 and 784-100-10
 * with batches of 64, double precision, one BLAS thread as `make` sets it):
 * - samples per second of train_run (shuffle, gather, forward, cost,
 *   backward, SGD update);
 * - the overhead: time per step over the time of the dgemm calls the step
 *   performs (same shapes, dgemm alone, same run; five rounds of each in
 *   turn, the best of each);
 * - when Debian's python3-torch is installed, the same network, batch size
 *   and precision trained by PyTorch on the CPU with the same thread count,
 *   as a ratio; otherwise a "skipped" line.
 * - chapter 4's Fashion-MNIST network (784-256-128-10, ReLU, softmax
 *   cross-entropy, He initialisation, Adam at 0.002 brought to zero by the
 *   half cosine, batches of 256) trained for the same epochs by both
 *   sides on the real files: seconds per epoch and test accuracy of each,
 *   and the ratio of the times.
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

#include "idx.h"
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

/* Samples per second of train_run on random data, over one round of at
   least 0.3 s; *steps_per_s too. */
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
    size_t epochs = 0;
    const double t0 = bench_now();
    double t;
    do {
        if (train_run(c, o, b->cost, X, Y, b->batch, 1, r, NULL, NULL, NULL) != 0)
            fprintf(stderr, "bench_backprop: training failed\n");
        epochs++;
    } while ((t = bench_now() - t0) < 0.3);
    const double best = (double)(epochs * b->n) / t;
    *steps_per_s = best / (double)b->batch;
    bench_keep(gsl_vector_get(c->theta, 0));
    chain_free(c), train_optimizer_free(o), gsl_rng_free(r);
    gsl_matrix_free(X), gsl_matrix_free(Y);
    return best;
}

/* Seconds per step of the dgemm calls alone that one training step makes:
   forward A^(l-1) W^T, backward Delta^T A^(l-1) and (above layer 1) Delta W;
   one round of at least 0.3 s. */
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
    const double best = t / (double)steps;
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

enum { FM_EPOCHS = 2 };
#define FM_DIR "/usr/share/datasets/fashion-mnist"

static int fm_load(const char *images, const char *labels, gsl_matrix **X,
                   gsl_matrix **Y)
{
    idx_array a = {0}, b = {0};
    char why[1024] = "";
    idx_status s = idx_read_dataset(FM_DIR, images, &a, why, sizeof why);
    if (s == IDX_OK)
        s = idx_read_dataset(FM_DIR, labels, &b, why, sizeof why);
    if (s == IDX_OK)
        s = idx_examples(&a, &b, 1.0 / 255, 10, X, Y, why, sizeof why);
    idx_free(&a), idx_free(&b);
    if (s != IDX_OK)
        printf("  Fashion-MNIST: skipped: %s\n", why);
    return s == IDX_OK ? 0 : -1;
}

typedef struct { train_optimizer *o; } fm_schedule;

static int fm_observe(const train_progress *p, void *arg)
{
    fm_schedule *f = arg;
    f->o->lr = train_cosine_rate(0.002, (double)p->epoch, FM_EPOCHS);
    return 0;
}

/* Seconds per epoch and test accuracy of the chapter's network. */
static int fm_ours(double *sec, double *acc)
{
    gsl_matrix *X, *Y, *Xt, *Yt;
    if (fm_load("train-images-idx3-ubyte", "train-labels-idx1-ubyte", &X, &Y))
        return -1;
    if (fm_load("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", &Xt, &Yt))
        return gsl_matrix_free(X), gsl_matrix_free(Y), -1;
    const size_t width[] = {784, 256, 128, 10};
    const layer_activation act[] = {LAYER_RELU, LAYER_RELU, LAYER_IDENTITY};
    chain *c = chain_alloc(3, width, act);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    train_initialize(c, TRAIN_INIT_NORMAL, sqrt(2.0), r);
    train_optimizer *o = train_optimizer_alloc(TRAIN_ADAM, c->nparams, 0.002);
    fm_schedule f = {o};
    const double t0 = bench_now();
    int s = train_run(c, o, BACKPROP_SOFTMAX_CE, X, Y, 256, FM_EPOCHS, r, fm_observe, &f, NULL);
    *sec = (bench_now() - t0) / FM_EPOCHS;
    if (s == 0)
        s = train_accuracy(c, Xt, Yt, acc);
    chain_free(c), train_optimizer_free(o), gsl_rng_free(r);
    gsl_matrix_free(X), gsl_matrix_free(Y), gsl_matrix_free(Xt), gsl_matrix_free(Yt);
    return s;
}

/* The same in PyTorch, one thread, double precision. */
static int fm_torch(const char *python, double *sec, double *acc)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "%s -c '\n"
             "import gzip, math, time, numpy as np, torch\nfrom torch import nn\n"
             "torch.set_num_threads(1); torch.manual_seed(1)\n"
             "d = \"" FM_DIR "/\"\n"
             "def img(f): return torch.from_numpy(np.frombuffer(gzip.open(d + f).read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float64) / 255)\n"
             "def lab(f): return torch.from_numpy(np.frombuffer(gzip.open(d + f).read(), np.uint8, offset=8).astype(np.int64))\n"
             "X, Y = img(\"train-images-idx3-ubyte.gz\"), lab(\"train-labels-idx1-ubyte.gz\")\n"
             "Xt, Yt = img(\"t10k-images-idx3-ubyte.gz\"), lab(\"t10k-labels-idx1-ubyte.gz\")\n"
             "m = nn.Sequential(nn.Linear(784,256), nn.ReLU(), nn.Linear(256,128), nn.ReLU(), nn.Linear(128,10)).double()\n"
             "for l in m:\n"
             "  if isinstance(l, nn.Linear):\n"
             "    nn.init.normal_(l.weight, 0, math.sqrt(2 / l.in_features)); nn.init.zeros_(l.bias)\n"
             "loss = nn.CrossEntropyLoss(); E = %d\n"
             "opt = torch.optim.Adam(m.parameters(), lr=0.002, betas=(0.9, 0.999), eps=1e-8)\n"
             "t0 = time.perf_counter()\n"
             "for e in range(E):\n"
             "  for g in opt.param_groups: g[\"lr\"] = 0.001 * (1 + math.cos(math.pi * e / E))\n"
             "  perm = torch.randperm(X.shape[0])\n"
             "  for s in range(0, X.shape[0], 256):\n"
             "    i = perm[s:s + 256]\n"
             "    opt.zero_grad(); l = loss(m(X[i]), Y[i]); l.backward(); opt.step()\n"
             "t = (time.perf_counter() - t0) / E\n"
             "with torch.no_grad(): a = (m(Xt).argmax(1) == Yt).double().mean().item()\n"
             "print(t, a)\n' 2>/dev/null",
             python, FM_EPOCHS);
    FILE *p = popen(cmd, "r");
    int ok = 0;
    if (p) {
        ok = fscanf(p, "%lf %lf", sec, acc) == 2;
        pclose(p);
    }
    return ok ? 0 : -1;
}

static void bench_fashion(const char *python)
{
    double s, a, ts, ta;
    if (fm_ours(&s, &a))
        return;
    printf("  Fashion-MNIST 784-256-128-10, Adam, batch 256, %d epochs: ours %.2f s/epoch, "
           "test accuracy %.2f%%\n", FM_EPOCHS, s, 100 * a);
    if (!python)
        return;
    if (fm_torch(python, &ts, &ta))
        printf("  %-28s PyTorch: skipped: the run failed\n", "");
    else
        printf("  %-28s PyTorch (1 thread) %.2f s/epoch, test accuracy %.2f%%; "
               "ours/PyTorch speed %.2fx\n", "", ts, 100 * ta, ts / s);
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
        /* Rounds of training and of its dgemm calls alone, in turn, so
           that both see the machine in the same state; the best of each. */
        double steps = 0, ours = 0, gemm = INFINITY;
        for (int round = 0; round < 5; round++) {
            double s;
            const double o = our_throughput(&nets[k], &s);
            if (o > ours)
                ours = o, steps = s;
            gemm = fmin(gemm, dgemm_time_per_step(&nets[k]));
        }
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
    bench_fashion(python);
}
