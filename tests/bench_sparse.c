/* bench_sparse.c: the speed of chapter 5's sparse coding.
 *
 * At the chapter's default size (12 x 12 pixels, 144 atoms) and at the
 * classic one (16 x 16, 256 atoms), lambda 0.3, on whitened patches of
 * the book's photographs (build/photos; whitened dead leaves if that
 * folder cannot be read), with one BLAS thread as `make` sets it:
 * - dictionary learning: STEPS steps of the chapter's learner (coordinate
 *   descent to 1e-2 lambda, batches of 100) from a random start, timed,
 *   with the share the dgemm calls take (the same calls of the same
 *   shapes, timed alone in this run) and the held-out energy after each
 *   of the first 20 steps and every 10th;
 * - batch inference with the learned dictionary, from zero codes, to a
 *   tolerance (violation <= tol lambda), its Gram matrix computed once:
 *   patches per second, the energy gap to the optimum E*, dgemm share;
 * - when Debian's python3-sklearn is installed, the same patches and
 *   dictionary through scikit-learn's sparse_encode(algorithm="lasso_cd"),
 *   and the same batches through MiniBatchDictionaryLearning(cd)
 *   (partial_fit, from the same random start).  Inference is compared at
 *   equal final energy: our fastest setting whose energy is at least as
 *   low as scikit-learn's.  Learning is compared at equal held-out
 *   energy: the time our learner takes to first reach the held-out
 *   energy scikit-learn's ends with, against scikit-learn's time; ours
 *   goes on past STEPS (up to LONG_STEPS, over the same batches again)
 *   when it is not there by then.
 *   Energies E = 1/2 |x - Phi a|^2 + lambda |a|_1 (mean per patch) are
 *   all computed here, by sparse_energy, from the codes.  The arrays go
 *   to Python through a temporary folder, removed after.
 * Ratios only: nothing fails on a time. */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "image.h"
#include "sparse.h"

enum { BATCH = 100, STEPS = 200, LONG_STEPS = 5 * STEPS, NTEST = 1000, HELD = 500,
       MAXCHECK = 128 };
static const double LAMBDA = 0.3;

/* One size of the problem. */
typedef struct {
    size_t p, n, m; /* patch side, pixels, atoms */
} shape;

/* dgemm calls by shape: C = X^T Phi (B n m), G = Phi^T Phi (dsyrk, m n m),
   a residual X - Phi A (n m B), and R A^T (n B m). */
typedef struct {
    size_t C, G, resid, RAt;
} dgemm_count;

/* Seconds for the counted calls alone, with batches of B. */
static double dgemm_alone(const shape *s, size_t B, const dgemm_count *c)
{
    gsl_matrix *Phi = gsl_matrix_alloc(s->n, s->m), *X = gsl_matrix_alloc(s->n, B),
               *C = gsl_matrix_alloc(B, s->m), *G = gsl_matrix_alloc(s->m, s->m),
               *A = gsl_matrix_alloc(s->m, B), *R = gsl_matrix_alloc(s->n, B),
               *D = gsl_matrix_alloc(s->n, s->m);
    gsl_matrix_set_all(Phi, 0.08), gsl_matrix_set_all(X, 0.3), gsl_matrix_set_all(A, 0.01);
    gsl_matrix_set_all(R, 0.1);
    const double t0 = bench_now();
    for (size_t k = 0; k < c->C; k++)
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, X, Phi, 0.0, C);
    for (size_t k = 0; k < c->G; k++)
        gsl_blas_dsyrk(CblasLower, CblasTrans, 1.0, Phi, 0.0, G);
    for (size_t k = 0; k < c->resid; k++)
        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, -1.0, Phi, A, 1.0, R);
    for (size_t k = 0; k < c->RAt; k++)
        gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, R, A, 0.0, D);
    const double t = bench_now() - t0;
    bench_keep(gsl_matrix_get(G, 0, 0) + gsl_matrix_get(D, 0, 0) + gsl_matrix_get(C, 0, 0));
    gsl_matrix_free(Phi), gsl_matrix_free(X), gsl_matrix_free(C), gsl_matrix_free(G);
    gsl_matrix_free(A), gsl_matrix_free(R), gsl_matrix_free(D);
    return t;
}

/* The book's photographs, whitened as the chapter whitens them; if they
   cannot be read, 8 whitened dead-leaves images of 256 x 256. */
static int make_images(image_set *set, gsl_rng *rng, const char **source)
{
    char why[4200];
    *source = "photographs in build/photos";
    if (image_read_folder("build/photos", 256, set, why, sizeof why) != GSL_SUCCESS) {
        image_set_free(set);
        image_set_init(set);
        *source = "dead leaves (build/photos unreadable)";
        const image_leaves_options leaves = {.leaves = 256 * 256 / 12, .rmin = 4, .rmax = 100};
        for (int i = 0; i < 8; i++) {
            gsl_matrix *img = gsl_matrix_alloc(256, 256);
            int status = img ? image_dead_leaves(img, &leaves, rng) : GSL_ENOMEM;
            if (status == GSL_SUCCESS && (status = image_set_add(set, img)) != GSL_SUCCESS)
                gsl_matrix_free(img);
            if (status != GSL_SUCCESS)
                return status;
        }
    }
    for (size_t k = 0; k < set->n; k++)
        if (image_whiten(set->img[k], 0.4, 0.1) != GSL_SUCCESS)
            return GSL_EFAILED;
    return GSL_SUCCESS;
}

static double mean_energy(const gsl_matrix *Phi, const gsl_matrix *X, const gsl_matrix *A)
{
    sparse_energy_parts e;
    return sparse_energy(Phi, X, A, LAMBDA, &e) == GSL_SUCCESS ? e.energy : NAN;
}

/* The energy of X coded by Phi to tolerance 1e-8 lambda (coordinate
   descent): the reference optimum E* for every code of X under Phi. */
static double optimal_energy(const gsl_matrix *Phi, const gsl_matrix *X)
{
    gsl_matrix *A = gsl_matrix_calloc(Phi->size2, X->size2);
    const sparse_options o = {.method = SPARSE_CD, .lambda = LAMBDA, .tol = 1e-8,
                              .max_iter = 1000000};
    const int status = sparse_infer(Phi, X, &o, A, NULL);
    const double E = status == GSL_SUCCESS ? mean_energy(Phi, X, A) : NAN;
    gsl_matrix_free(A);
    return E;
}

/* Codes the columns of X in batches of B as o says, from zero, with the
   Gram matrix computed once; the best of 3 times, the codes in A, the
   iterations of the last run in *iters, its dgemm calls in *c. */
static double infer_all(const gsl_matrix *Phi, const gsl_matrix *X, size_t B,
                        const sparse_options *o, gsl_matrix *A, size_t *iters, dgemm_count *c)
{
    double best = INFINITY;
    gsl_matrix *G = gsl_matrix_alloc(Phi->size2, Phi->size2);
    for (int rep = 0; rep < 3; rep++) {
        *c = (dgemm_count){.G = 1};
        *iters = 0;
        const double t0 = bench_now();
        sparse_gram(Phi, G);
        for (size_t s = 0; s < X->size2; s += B) {
            gsl_matrix_const_view x = gsl_matrix_const_submatrix(X, 0, s, X->size1, B);
            gsl_matrix_view a = gsl_matrix_submatrix(A, 0, s, A->size1, B);
            sparse_result r = {0};
            gsl_matrix_set_zero(&a.matrix);
            const int status = sparse_infer_gram(Phi, G, &x.matrix, o, &a.matrix, &r);
            if (status != GSL_SUCCESS)
                fprintf(stderr, "bench_sparse: inference: %s\n", gsl_strerror(status));
            *iters += r.iters;
            c->C++;
        }
        best = fmin(best, bench_now() - t0);
    }
    gsl_matrix_free(G);
    return best;
}

/* ---------------------------------------------------------------- files */

static int write_raw(const char *dir, const char *name, const gsl_matrix *M_)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = 1;
    for (size_t i = 0; i < M_->size1; i++)
        ok &= fwrite(M_->data + i * M_->tda, sizeof(double), M_->size2, f) == M_->size2;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

static int read_raw(const char *dir, const char *name, gsl_matrix *M_)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    int ok = 1;
    for (size_t i = 0; i < M_->size1; i++)
        ok &= fread(M_->data + i * M_->tda, sizeof(double), M_->size2, f) == M_->size2;
    fclose(f);
    return ok ? 0 : -1;
}

static const char *const temp_files[] = {"bench.py", "X.bin", "Phi.bin", "Phi0.bin",
                                         "batches.bin", "codes.bin", "dict.bin"};

static void remove_temp(const char *dir)
{
    for (size_t i = 0; i < sizeof temp_files / sizeof temp_files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, temp_files[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* The python3 that has sklearn (Debian's own first), or NULL. */
static const char *sklearn_python(void)
{
    static const char *const candidates[] = {"/usr/bin/python3", "python3"};
    for (int i = 0; i < 2; i++) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "%s -c \"import sklearn\" >/dev/null 2>&1", candidates[i]);
        if (system(cmd) == 0)
            return candidates[i];
    }
    return NULL;
}

/* The comparison script: sparse_encode(lasso_cd) on X (best of 3), then
   MiniBatchDictionaryLearning(cd).partial_fit over the recorded batches
   from the random start.  Prints "name seconds" lines; writes the codes
   (m x N) and the dictionary (n x m). */
static const char script[] =
    "import sys, time, warnings\n"
    "warnings.simplefilter('ignore')\n"
    "import numpy as np, sklearn\n"
    "from sklearn.decomposition import sparse_encode, MiniBatchDictionaryLearning\n"
    "d = sys.argv[1]\n"
    "n, m, N, K, B = map(int, sys.argv[2:7])\n"
    "lam = float(sys.argv[7])\n"
    "print('version', sklearn.__version__, flush=True)\n"
    "X = np.fromfile(d + '/X.bin').reshape(n, N).T.copy()\n"
    "D = np.fromfile(d + '/Phi.bin').reshape(n, m).T.copy()\n"
    "best = float('inf')\n"
    "for rep in range(3):\n"
    "    t0 = time.perf_counter()\n"
    "    code = sparse_encode(X, D, algorithm='lasso_cd', alpha=lam)\n"
    "    best = min(best, time.perf_counter() - t0)\n"
    "np.ascontiguousarray(code.T).tofile(d + '/codes.bin')\n"
    "print('lasso_cd', best, flush=True)\n"
    "T = np.fromfile(d + '/batches.bin').reshape(n, K, B)\n"
    "D0 = np.fromfile(d + '/Phi0.bin').reshape(n, m).T.copy()\n"
    "mb = MiniBatchDictionaryLearning(n_components=m, alpha=lam, batch_size=B,\n"
    "                                 dict_init=D0.copy(), fit_algorithm='cd', random_state=0)\n"
    "t0 = time.perf_counter()\n"
    "for k in range(K):\n"
    "    mb.partial_fit(np.ascontiguousarray(T[:, k, :].T))\n"
    "t = time.perf_counter() - t0\n"
    "np.ascontiguousarray(mb.components_.T).tofile(d + '/dict.bin')\n"
    "print('mbdl_cd', t, flush=True)\n";

/* Runs the script; fills t[0] (lasso_cd) and t[1] (MBDL), NAN when absent. */
static void run_sklearn(const char *python, const char *dir, const shape *s, char *version,
                        size_t len, double t[2])
{
    static const char *const names[] = {"lasso_cd", "mbdl_cd"};
    char path[512], cmd[1024], line[256];
    t[0] = t[1] = NAN;
    snprintf(path, sizeof path, "%s/bench.py", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    const int ok = fputs(script, f) >= 0;
    if (fclose(f) != 0 || !ok)
        return;
    snprintf(cmd, sizeof cmd,
             "OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 %s %s %s %zu %zu %d %d "
             "%d %.17g 2>/dev/null",
             python, path, dir, s->n, s->m, NTEST, STEPS, BATCH, LAMBDA);
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    while (fgets(line, sizeof line, p)) {
        char name[64];
        double v;
        if (sscanf(line, "version %63s", name) == 1) {
            snprintf(version, len, "%s", name);
            continue;
        }
        if (sscanf(line, "%63s %lf", name, &v) == 2)
            for (int k = 0; k < 2; k++)
                if (!strcmp(name, names[k]))
                    t[k] = v;
    }
    pclose(p);
}

/* ---------------------------------------------------------------- learning */

/* The held-out energy after a step, and the learning time up to it. */
typedef struct {
    size_t n, step[MAXCHECK];
    double t[MAXCHECK], H[MAXCHECK];
} trace;

/* A learner part of the way: its dictionary Phi, the steps taken, the
   seconds they took, their dgemm calls and inference iterations. */
typedef struct {
    gsl_matrix *Phi, *A;
    const gsl_matrix *batches, *H;
    size_t k, iters;
    double t;
    dgemm_count c;
    trace tr;
} learner;

/* Learning steps from l->k up to k1 on the columns of batches (n x
   STEPS*BATCH, taken in turn, again from the first after the last), as
   the chapter takes them, with the rate 0.3 / (1 + 4 k / STEPS); the
   held-out energy of H after each of the first 20 steps and every 10th
   goes into l->tr (not timed).  Stops early, after a check, once that
   energy is at most goal. */
static void learn(learner *l, size_t k1, double goal)
{
    sparse_learn_options lo = {
        .infer = {.method = SPARSE_CD, .lambda = LAMBDA, .tol = 1e-2, .max_iter = 1000},
        .eta = 0.3, .floor = 0.1};
    for (; l->k < k1; l->k++) {
        const size_t k = l->k;
        gsl_matrix_const_view x = gsl_matrix_const_submatrix(
            l->batches, 0, (k % STEPS) * BATCH, l->Phi->size1, BATCH);
        sparse_energy_parts e;
        sparse_result r = {0};
        lo.eta = 0.3 / (1 + 4.0 * (double)k / STEPS);
        const double t0 = bench_now();
        const int status = sparse_learn_step(l->Phi, &x.matrix, &lo, l->A, &e, &r);
        l->t += bench_now() - t0;
        if (status != GSL_SUCCESS)
            fprintf(stderr, "bench_sparse: learning: %s\n", gsl_strerror(status));
        l->c.G++, l->c.C++, l->c.resid++, l->c.RAt++;
        l->iters += r.iters;
        if ((k < 20 || (k + 1) % 10 == 0) && l->tr.n < MAXCHECK) {
            trace *tr = &l->tr;
            tr->step[tr->n] = k + 1, tr->t[tr->n] = l->t;
            tr->H[tr->n++] = optimal_energy(l->Phi, l->H);
            if (tr->H[tr->n - 1] <= goal) {
                l->k++;
                return;
            }
        }
    }
}

/* ---------------------------------------------------------------- the bench */

typedef struct {
    sparse_method method;
    const char *name;
    double tol;
    size_t B;
} config;

static const config configs[] = {
    {SPARSE_FISTA, "FISTA", 1e-2, 1000}, {SPARSE_CD, "CD", 1e-2, 100},
    {SPARSE_CD, "CD", 1e-2, 1000},       {SPARSE_CD, "CD", 1e-3, 1000},
    {SPARSE_CD, "CD", 1e-4, 1000},
};
enum { NCONFIGS = sizeof configs / sizeof configs[0] };

/* The arrays of one size, all allocated or none. */
typedef struct {
    gsl_matrix *Phi0, *Phi, *batches, *X, *A, *H, *Psk, *Alearn, *Plong;
} arrays;

static void arrays_free(arrays *a)
{
    gsl_matrix_free(a->Phi0), gsl_matrix_free(a->Phi), gsl_matrix_free(a->batches);
    gsl_matrix_free(a->X), gsl_matrix_free(a->A), gsl_matrix_free(a->H);
    gsl_matrix_free(a->Psk), gsl_matrix_free(a->Alearn), gsl_matrix_free(a->Plong);
}

static int arrays_alloc(arrays *a, const shape *s)
{
    a->Phi0 = gsl_matrix_alloc(s->n, s->m), a->Phi = gsl_matrix_alloc(s->n, s->m);
    a->batches = gsl_matrix_alloc(s->n, STEPS * BATCH), a->X = gsl_matrix_alloc(s->n, NTEST);
    a->A = gsl_matrix_alloc(s->m, NTEST), a->H = gsl_matrix_alloc(s->n, HELD);
    a->Psk = gsl_matrix_alloc(s->n, s->m), a->Alearn = gsl_matrix_alloc(s->m, BATCH);
    a->Plong = gsl_matrix_alloc(s->n, s->m);
    return a->Phi0 && a->Phi && a->batches && a->X && a->A && a->H && a->Psk && a->Alearn
                   && a->Plong
               ? 0
               : -1;
}

/* Inference rows; returns the time of the fastest row whose energy is at
   most E_sk (INFINITY if none), its index in *which. */
static double inference_rows(const shape *s, arrays *a, double Estar, double t_sk,
                             double E_sk, int *which)
{
    double fastest = INFINITY;
    *which = -1;
    for (int k = 0; k < NCONFIGS; k++) {
        const config *q = &configs[k];
        const sparse_options o = {.method = q->method, .lambda = LAMBDA, .tol = q->tol,
                                  .max_iter = 100000};
        dgemm_count c;
        size_t iters;
        const double t = infer_all(a->Phi, a->X, q->B, &o, a->A, &iters, &c),
                     g = dgemm_alone(s, q->B, &c), E = mean_energy(a->Phi, a->X, a->A);
        printf("    %-5s tol %-6g B %4zu %8.0f patches/s  %6.1f iter/batch  (E-E*)/E* %8.1e  "
               "dgemm alone %4.1f%%", q->name, q->tol, q->B, NTEST / t,
               (double)iters * (double)q->B / NTEST, (E - Estar) / Estar, 100 * g / t);
        if (!isnan(t_sk))
            printf("  x lasso_cd %5.2f", t_sk / t);
        printf("\n");
        if (!isnan(E_sk) && E <= E_sk && t < fastest)
            fastest = t, *which = k;
    }
    return fastest;
}

static void bench_size(const shape *s, const image_set *set, gsl_rng *rng, const char *python)
{
    arrays a;
    if (arrays_alloc(&a, s) || sparse_random_dictionary(a.Phi0, rng) != GSL_SUCCESS
        || image_sample_patches(set, s->p, 4, rng, a.H) != GSL_SUCCESS
        || image_sample_patches(set, s->p, 4, rng, a.batches) != GSL_SUCCESS
        || image_sample_patches(set, s->p, 4, rng, a.X) != GSL_SUCCESS) {
        printf("  %zux%zu: skipped: no memory or no patches\n", s->p, s->p);
        arrays_free(&a);
        return;
    }
    printf("  %zu x %zu patches, %zu atoms:\n", s->p, s->p, s->m);

    /* Learning first: inference is timed with the learned dictionary. */
    gsl_matrix_memcpy(a.Phi, a.Phi0);
    learner l = {.Phi = a.Phi, .A = a.Alearn, .batches = a.batches, .H = a.H};
    learn(&l, STEPS, -INFINITY);
    const double t_learn = l.t, g_learn = dgemm_alone(s, BATCH, &l.c),
                 H0 = optimal_energy(a.Phi0, a.H), H_learn = l.tr.H[l.tr.n - 1];

    /* scikit-learn on the same patches, dictionary and batches. */
    char dir[] = "/tmp/bench_sparse.XXXXXX", version[64] = "?";
    double t_sk[2] = {NAN, NAN}, E_sk = NAN, H_sk = NAN;
    if (python && mkdtemp(dir)) {
        if (write_raw(dir, "X.bin", a.X) == 0 && write_raw(dir, "Phi.bin", a.Phi) == 0
            && write_raw(dir, "Phi0.bin", a.Phi0) == 0
            && write_raw(dir, "batches.bin", a.batches) == 0)
            run_sklearn(python, dir, s, version, sizeof version, t_sk);
        if (!isnan(t_sk[0]) && read_raw(dir, "codes.bin", a.A) == 0)
            E_sk = mean_energy(a.Phi, a.X, a.A);
        if (!isnan(t_sk[1]) && read_raw(dir, "dict.bin", a.Psk) == 0)
            H_sk = optimal_energy(a.Psk, a.H);
        remove_temp(dir);
    }

    const double Estar = optimal_energy(a.Phi, a.X);
    printf("    learning, %d steps of %d patches, CD to 1e-2 lambda: %.3f s (%.0f patches/s, "
           "%.1f iter/step), dgemm alone %.0f%%;\n    held-out energy of %d patches %.5f "
           "(random start %.5f)\n",
           STEPS, BATCH, t_learn, STEPS * BATCH / t_learn, (double)l.iters / STEPS,
           100 * g_learn / t_learn, HELD, H_learn, H0);
    printf("    inference of %d other patches with the learned dictionary, from zero codes,\n"
           "    Gram matrix once; E* = %.6f (CD to 1e-8 lambda):\n", NTEST, Estar);
    int which;
    const double fastest = inference_rows(s, &a, Estar, t_sk[0], E_sk, &which);
    if (!python) {
        printf("    scikit-learn: skipped: python3 -c \"import sklearn\" fails (install "
               "Debian's python3-sklearn to compare)\n");
        arrays_free(&a);
        return;
    }
    if (isnan(E_sk))
        printf("    sparse_encode lasso_cd: skipped: the run failed\n");
    else {
        printf("    scikit-learn %s sparse_encode lasso_cd %8.0f patches/s  (E-E*)/E* %8.1e\n",
               version, NTEST / t_sk[0], (E_sk - Estar) / Estar);
        if (which >= 0)
            printf("    at equal energy (ours %s tol %g B %zu, at least as low): ours %.2fx "
                   "lasso_cd\n", configs[which].name, configs[which].tol, configs[which].B,
                   t_sk[0] / fastest);
        else
            printf("    at equal energy: no row of ours reaches lasso_cd's energy\n");
    }
    if (isnan(H_sk)) {
        printf("    MiniBatchDictionaryLearning cd: skipped: the run failed\n");
        arrays_free(&a);
        return;
    }
    printf("    MiniBatchDictionaryLearning(cd), %d steps: %.3f s, held-out energy %.5f;\n",
           STEPS, t_sk[1], H_sk);
    /* Not there in STEPS steps: go on (on a copy; inference used the
       dictionary of STEPS steps) over the same batches again. */
    gsl_matrix_memcpy(a.Plong, a.Phi);
    l.Phi = a.Plong;
    if (!(H_learn <= H_sk))
        learn(&l, LONG_STEPS, H_sk);
    const trace *tr = &l.tr;
    size_t j = 0;
    while (j < tr->n && tr->H[j] > H_sk)
        j++;
    if (j < tr->n)
        printf("    ours reaches held-out energy %.5f <= that after %zu steps%s, %.3f s: "
               "%.2fx scikit-learn's speed at equal held-out energy\n",
               tr->H[j], tr->step[j], tr->step[j] > STEPS ? " (the batches taken again)" : "",
               tr->t[j], t_sk[1] / tr->t[j]);
    else
        printf("    ours does not reach that held-out energy in %d steps\n", LONG_STEPS);
    arrays_free(&a);
}

void bench_sparse(void)
{
    const char *threads = getenv("OPENBLAS_NUM_THREADS");
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 1);
    image_set set;
    image_set_init(&set);
    const char *source = "?";
    if (make_images(&set, rng, &source) != GSL_SUCCESS)
        printf("sparse: skipped: could not make the images\n");
    else {
        const char *python = sklearn_python();
        printf("sparse: lambda %g, whitened %s, OPENBLAS_NUM_THREADS=%s, scikit-learn %s\n",
               LAMBDA, source, threads ? threads : "(unset)", python ? python : "absent");
        static const shape sizes[] = {{12, 144, 144}, {16, 256, 256}};
        for (int k = 0; k < 2; k++)
            bench_size(&sizes[k], &set, rng, python);
    }
    image_set_free(&set);
    gsl_rng_free(rng);
}
