/* bench_sparse.c: the speed of chapter 5's sparse coding.
 *
 * On whitened dead-leaves patches of the chapter's default size (12 x 12
 * pixels, 144 atoms, lambda 0.3, the images of `chapter5 --seed 1`), with
 * one BLAS thread as `make` sets it:
 * - batch inference: patches per second of FISTA from zero codes to an
 *   optimality tolerance (violation <= tol lambda), in batches of 100 and
 *   of 1000, and the share of that time the dgemm calls take (the same
 *   number of dgemm calls of the same shapes, timed alone in this run);
 * - dictionary learning: seconds for the chapter's learning steps
 *   (coordinate descent at tolerance 1e-2 lambda, batches of 100), and
 *   the same dgemm share;
 * - when Debian's python3-sklearn is installed, the same patches, lambda
 *   and dictionary through scikit-learn's sparse_encode (lasso_cd and
 *   lasso_lars) and the same batches through MiniBatchDictionaryLearning
 *   (partial_fit, from the same random start), as ratios, with the final
 *   energies E = 1/2 |x - Phi a|^2 + lambda |a|_1 (mean per patch) of both
 *   computed here by sparse_energy from the codes; otherwise "skipped".
 *   The arrays go to Python through a temporary folder, removed after.
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

enum { P = 12, NPIX = P * P, M = 144, BATCH = 100, STEPS = 200, NTEST = 1000, HELD = 500 };
static const double LAMBDA = 0.3;

/* dgemm calls by shape: C = Phi^T X (m n B), G = Phi^T Phi (m n m), G A
   (m m B), a residual X - Phi A (n m B), and R A^T (n B m). */
typedef struct {
    size_t C, G, GA, resid, RAt;
} dgemm_count;

/* The dgemm calls of one sparse_infer: C and G, then G A once for the
   start and, for FISTA, once per iteration. */
static void count_inference(dgemm_count *c, sparse_method method, size_t iters)
{
    c->C++, c->G++, c->GA += 1 + (method == SPARSE_CD ? 0 : iters);
}

/* Seconds for the counted dgemm calls alone, with batches of B. */
static double dgemm_alone(size_t B, const dgemm_count *c)
{
    gsl_matrix *Phi = gsl_matrix_alloc(NPIX, M), *X = gsl_matrix_alloc(NPIX, B),
               *C = gsl_matrix_alloc(M, B), *G = gsl_matrix_alloc(M, M),
               *A = gsl_matrix_alloc(M, B), *GA = gsl_matrix_alloc(M, B),
               *R = gsl_matrix_alloc(NPIX, B), *D = gsl_matrix_alloc(NPIX, M);
    gsl_matrix_set_all(Phi, 0.08), gsl_matrix_set_all(X, 0.3), gsl_matrix_set_all(A, 0.01);
    gsl_matrix_set_all(G, 0.02), gsl_matrix_set_all(R, 0.1);
    const double t0 = bench_now();
    for (size_t k = 0; k < c->C; k++)
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, Phi, X, 0.0, C);
    for (size_t k = 0; k < c->G; k++)
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, Phi, Phi, 0.0, G);
    for (size_t k = 0; k < c->GA; k++)
        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, G, A, 0.0, GA);
    for (size_t k = 0; k < c->resid; k++)
        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, -1.0, Phi, A, 1.0, R);
    for (size_t k = 0; k < c->RAt; k++)
        gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, R, A, 0.0, D);
    const double t = bench_now() - t0;
    bench_keep(gsl_matrix_get(GA, 0, 0) + gsl_matrix_get(D, 0, 0) + gsl_matrix_get(C, 0, 0));
    gsl_matrix_free(Phi), gsl_matrix_free(X), gsl_matrix_free(C), gsl_matrix_free(G);
    gsl_matrix_free(A), gsl_matrix_free(GA), gsl_matrix_free(R), gsl_matrix_free(D);
    return t;
}

/* The chapter's images: 8 dead-leaves images of 256 x 256, whitened. */
static int make_images(image_set *set, gsl_rng *rng)
{
    const image_leaves_options leaves = {.leaves = 256 * 256 / 12, .rmin = 4, .rmax = 100};
    for (int i = 0; i < 8; i++) {
        gsl_matrix *img = gsl_matrix_alloc(256, 256);
        int status = img ? image_dead_leaves(img, &leaves, rng) : GSL_ENOMEM;
        if (status == GSL_SUCCESS)
            status = image_whiten(img, 0.4, 0.1);
        if (status == GSL_SUCCESS && (status = image_set_add(set, img)) != GSL_SUCCESS)
            gsl_matrix_free(img);
        if (status != GSL_SUCCESS)
            return status;
    }
    return GSL_SUCCESS;
}

/* Codes the columns of X in batches of B as o says, from zero; returns the best of 3 times, the codes in A, the
   iterations of the last run in *iters and its dgemm calls in *c. */
static double infer_all(const gsl_matrix *Phi, const gsl_matrix *X, size_t B,
                        const sparse_options *o, gsl_matrix *A, size_t *iters, dgemm_count *c)
{
    double best = INFINITY;
    for (int rep = 0; rep < 3; rep++) {
        *c = (dgemm_count){0};
        *iters = 0;
        const double t0 = bench_now();
        for (size_t s = 0; s < X->size2; s += B) {
            gsl_matrix_const_view x = gsl_matrix_const_submatrix(X, 0, s, X->size1, B);
            gsl_matrix_view a = gsl_matrix_submatrix(A, 0, s, A->size1, B);
            sparse_result r;
            gsl_matrix_set_zero(&a.matrix);
            const int status = sparse_infer(Phi, &x.matrix, o, &a.matrix, &r);
            if (status != GSL_SUCCESS)
                fprintf(stderr, "bench_sparse: inference: %s\n", gsl_strerror(status));
            *iters += r.iters;
            count_inference(c, o->method, r.iters);
        }
        best = fmin(best, bench_now() - t0);
    }
    return best;
}

static double mean_energy(const gsl_matrix *Phi, const gsl_matrix *X, const gsl_matrix *A)
{
    sparse_energy_parts e;
    return sparse_energy(Phi, X, A, LAMBDA, &e) == GSL_SUCCESS ? e.energy : NAN;
}

/* The energy of X coded by Phi to tolerance 1e-6 lambda: a reference
   optimum E* for the energies of every code of X. */
static double optimal_energy(const gsl_matrix *Phi, const gsl_matrix *X)
{
    gsl_matrix *A = gsl_matrix_calloc(Phi->size2, X->size2);
    const sparse_options o = {.method = SPARSE_FISTA, .lambda = LAMBDA, .tol = 1e-6,
                              .max_iter = 1000000};
    const int status = sparse_infer(Phi, X, &o, A, NULL);
    const double E = status == GSL_SUCCESS ? mean_energy(Phi, X, A) : NAN;
    gsl_matrix_free(A);
    return E;
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

static const char *const temp_files[] = {
    "bench.py", "X.bin", "Phi.bin", "Phi0.bin", "batches.bin", "codes-lasso_cd.bin",
    "codes-lasso_lars.bin", "dict-lars.bin", "dict-cd.bin"};

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

/* The comparison script: sparse_encode on X (best of 3) with both lasso
   solvers, then MiniBatchDictionaryLearning.partial_fit over the recorded
   batches from the random start, with the lars and the cd solver.  Prints
   "name seconds" lines; writes codes (m x N) and dictionaries (n x m). */
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
    "for alg in ('lasso_cd', 'lasso_lars'):\n"
    "    best = float('inf')\n"
    "    for rep in range(3):\n"
    "        t0 = time.perf_counter()\n"
    "        code = sparse_encode(X, D, algorithm=alg, alpha=lam)\n"
    "        best = min(best, time.perf_counter() - t0)\n"
    "    np.ascontiguousarray(code.T).tofile(d + '/codes-' + alg + '.bin')\n"
    "    print(alg, best, flush=True)\n"
    "T = np.fromfile(d + '/batches.bin').reshape(K, n, B)\n"
    "D0 = np.fromfile(d + '/Phi0.bin').reshape(n, m).T.copy()\n"
    "for alg in ('lars', 'cd'):\n"
    "    mb = MiniBatchDictionaryLearning(n_components=m, alpha=lam, batch_size=B,\n"
    "                                     dict_init=D0.copy(), fit_algorithm=alg, random_state=0)\n"
    "    t0 = time.perf_counter()\n"
    "    for k in range(K):\n"
    "        mb.partial_fit(np.ascontiguousarray(T[k].T))\n"
    "    t = time.perf_counter() - t0\n"
    "    np.ascontiguousarray(mb.components_.T).tofile(d + '/dict-' + alg + '.bin')\n"
    "    print('mbdl_' + alg, t, flush=True)\n";

/* ---------------------------------------------------------------- learning */

/* STEPS learning steps from Phi (the random start on entry), as the chapter
   takes them; every batch is appended to *batches (NPIX x STEPS*BATCH). */
static double learn(gsl_matrix *Phi, image_set *set, gsl_rng *rng, gsl_matrix *batches,
                    dgemm_count *c, size_t *iters)
{
    gsl_matrix *A = gsl_matrix_alloc(M, BATCH);
    sparse_learn_options lo = {
        .infer = {.method = SPARSE_CD, .lambda = LAMBDA, .tol = 1e-2, .max_iter = 1000},
        .eta = 0.3, .floor = 0.1};
    for (size_t k = 0; k < STEPS; k++) {
        gsl_matrix_view x = gsl_matrix_submatrix(batches, 0, k * BATCH, NPIX, BATCH);
        image_sample_patches(set, P, 4, rng, &x.matrix);
    }
    *c = (dgemm_count){0};
    *iters = 0;
    const double t0 = bench_now();
    for (size_t k = 0; k < STEPS; k++) {
        gsl_matrix_view x = gsl_matrix_submatrix(batches, 0, k * BATCH, NPIX, BATCH);
        sparse_energy_parts e;
        sparse_result r;
        lo.eta = 0.3 / (1 + 4.0 * (double)k / STEPS);
        const int status = sparse_learn_step(Phi, &x.matrix, &lo, A, &e, &r);
        if (status != GSL_SUCCESS)
            fprintf(stderr, "bench_sparse: learning: %s\n", gsl_strerror(status));
        count_inference(c, SPARSE_CD, r.iters);
        c->resid += 2, c->RAt++;            /* sparse_energy, the dictionary gradient */
        *iters += r.iters;
    }
    const double t = bench_now() - t0;
    gsl_matrix_free(A);
    return t;
}

/* ---------------------------------------------------------------- the bench */

typedef struct {
    sparse_method method;
    const char *name;
    double tol;
    size_t B;
} config;

static const config configs[] = {
    {SPARSE_FISTA, "FISTA", 1e-2, 100}, {SPARSE_FISTA, "FISTA", 1e-3, 100},
    {SPARSE_FISTA, "FISTA", 1e-3, 1000}, {SPARSE_CD, "CD", 1e-2, 100},
    {SPARSE_CD, "CD", 1e-3, 100}, {SPARSE_CD, "CD", 1e-4, 100}, {SPARSE_CD, "CD", 1e-4, 1000},
};
enum { NCONFIGS = sizeof configs / sizeof configs[0] };

/* Runs the comparison script; fills the times (NAN when absent). */
static void run_sklearn(const char *python, const char *dir, char *version, size_t len,
                        double t[4])
{
    static const char *const names[] = {"lasso_cd", "lasso_lars", "mbdl_lars", "mbdl_cd"};
    char path[512], cmd[1024], line[256];
    for (int k = 0; k < 4; k++)
        t[k] = NAN;
    snprintf(path, sizeof path, "%s/bench.py", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    const int ok = fputs(script, f) >= 0;
    if (fclose(f) != 0 || !ok)
        return;
    snprintf(cmd, sizeof cmd,
             "OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 %s %s %s %d %d %d %d "
             "%d %.17g 2>/dev/null",
             python, path, dir, NPIX, M, NTEST, STEPS, BATCH, LAMBDA);
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
            for (int k = 0; k < 4; k++)
                if (!strcmp(name, names[k]))
                    t[k] = v;
    }
    pclose(p);
}

void bench_sparse(void)
{
    const char *threads = getenv("OPENBLAS_NUM_THREADS");
    printf("sparse: %dx%d patches, %d atoms, lambda %g, OPENBLAS_NUM_THREADS=%s\n", P, P, M,
           LAMBDA, threads ? threads : "(unset)");
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 1);
    image_set set;
    image_set_init(&set);
    gsl_matrix *Phi0 = gsl_matrix_alloc(NPIX, M), *Phi = gsl_matrix_alloc(NPIX, M),
               *batches = gsl_matrix_alloc(NPIX, STEPS * BATCH),
               *X = gsl_matrix_alloc(NPIX, NTEST), *A = gsl_matrix_alloc(M, NTEST),
               *H = gsl_matrix_alloc(NPIX, HELD), *Psk = gsl_matrix_alloc(NPIX, M);
    if (make_images(&set, rng) != GSL_SUCCESS || sparse_random_dictionary(Phi0, rng) != GSL_SUCCESS
        || image_sample_patches(&set, P, 4, rng, H) != GSL_SUCCESS) {
        printf("  skipped: could not make the images\n");
        goto done;
    }

    /* Learning first: inference is timed with the learned dictionary. */
    gsl_matrix_memcpy(Phi, Phi0);
    dgemm_count c;
    size_t iters, learn_iters;
    const double t_learn = learn(Phi, &set, rng, batches, &c, &learn_iters),
                 g_learn = dgemm_alone(BATCH, &c);
    image_sample_patches(&set, P, 4, rng, X);

    /* scikit-learn on the same patches, dictionary and batches. */
    const char *python = sklearn_python();
    char dir[] = "/tmp/bench_sparse.XXXXXX", version[64] = "?";
    double t_sk[4] = {NAN, NAN, NAN, NAN}, E_sk[2] = {NAN, NAN}, H_sk[2] = {NAN, NAN};
    int have_dir = 0;
    if (python && (have_dir = mkdtemp(dir) != NULL)) {
        if (write_raw(dir, "X.bin", X) == 0 && write_raw(dir, "Phi.bin", Phi) == 0
            && write_raw(dir, "Phi0.bin", Phi0) == 0 && write_raw(dir, "batches.bin", batches) == 0)
            run_sklearn(python, dir, version, sizeof version, t_sk);
        static const char *const codes[] = {"codes-lasso_cd.bin", "codes-lasso_lars.bin"},
                                 *dicts[] = {"dict-lars.bin", "dict-cd.bin"};
        for (int k = 0; k < 2; k++) {
            if (!isnan(t_sk[k]) && read_raw(dir, codes[k], A) == 0)
                E_sk[k] = mean_energy(Phi, X, A);
            if (!isnan(t_sk[2 + k]) && read_raw(dir, dicts[k], Psk) == 0)
                H_sk[k] = optimal_energy(Psk, H);
        }
        remove_temp(dir);
    }

    const double Estar = optimal_energy(Phi, X);
    printf("  inference of %d patches with the learned dictionary, from zero codes, to a\n"
           "  tolerance (violation <= tol lambda); E* = %.6f (FISTA to 1e-6 lambda),\n"
           "  E = mean of 1/2|x - Phi a|^2 + lambda |a|_1 of the codes returned\n", NTEST, Estar);
    for (int k = 0; k < NCONFIGS; k++) {
        const config *q = &configs[k];
        const sparse_options o = {.method = q->method, .lambda = LAMBDA, .tol = q->tol,
                                  .max_iter = 100000};
        const double t = infer_all(Phi, X, q->B, &o, A, &iters, &c), g = dgemm_alone(q->B, &c),
                     E = mean_energy(Phi, X, A);
        printf("    %-5s tol %-6g B %4zu %8.0f patches/s  %6.1f iter/batch  (E-E*)/E* %7.1e  "
               "dgemm alone %4.1f%%", q->name, q->tol, q->B, NTEST / t,
               (double)iters * (double)q->B / NTEST, (E - Estar) / Estar, 100 * g / t);
        if (!isnan(t_sk[0]))
            printf("  x lasso_cd %5.2f", t_sk[0] / t);
        if (!isnan(t_sk[1]))
            printf("  x lasso_lars %5.2f", t_sk[1] / t);
        printf("\n");
    }
    printf("  learning: %d steps of %d patches, CD to 1e-2 lambda: %.3f s (%.0f patches/s, "
           "%.1f iter/step),\n  dgemm alone %.3f s (%.0f%%); held-out energy of %d patches: "
           "%.5f (random start %.5f)\n",
           STEPS, BATCH, t_learn, STEPS * BATCH / t_learn, (double)learn_iters / STEPS, g_learn,
           100 * g_learn / t_learn, HELD, optimal_energy(Phi, H), optimal_energy(Phi0, H));
    if (!python) {
        printf("  scikit-learn: skipped: python3 -c \"import sklearn\" fails (install Debian's "
               "python3-sklearn to compare)\n");
        goto done;
    }
    if (!have_dir) {
        printf("  scikit-learn: skipped: no temporary folder\n");
        goto done;
    }
    printf("  scikit-learn %s (%s, 1 thread), the same patches, dictionary and batches:\n",
           version, python);
    static const char *const algs[] = {"sparse_encode lasso_cd", "sparse_encode lasso_lars"};
    for (int k = 0; k < 2; k++)
        if (isnan(E_sk[k]))
            printf("    %-26s skipped: the run failed\n", algs[k]);
        else
            printf("    %-26s %8.0f patches/s  (E-E*)/E* %7.1e\n", algs[k], NTEST / t_sk[k],
                   (E_sk[k] - Estar) / Estar);
    static const char *const mbs[] = {"MiniBatchDictLearning lars", "MiniBatchDictLearning cd"};
    for (int k = 0; k < 2; k++)
        if (isnan(H_sk[k]))
            printf("    %-26s skipped: the run failed\n", mbs[k]);
        else
            printf("    %-26s %8.3f s  (%.0f patches/s)  held-out energy %.5f  ours %.2fx "
                   "faster\n", mbs[k], t_sk[2 + k], STEPS * BATCH / t_sk[2 + k], H_sk[k],
                   t_sk[2 + k] / t_learn);
done:
    image_set_free(&set);
    gsl_rng_free(rng);
    gsl_matrix_free(Phi0), gsl_matrix_free(Phi), gsl_matrix_free(batches);
    gsl_matrix_free(X), gsl_matrix_free(A), gsl_matrix_free(H), gsl_matrix_free(Psk);
}
