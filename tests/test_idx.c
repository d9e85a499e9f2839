/* test_idx.c: the IDX reader on files the test writes.
 *
 * - Good files of every type round-trip, sizes and values, and become
 *   images and one-hot labels.
 * - Truncated files (cut anywhere, header included), files with trailing
 *   bytes, bad magic, unknown types, rank 0, a zero size, sizes whose
 *   product overflows, labels out of range and missing or empty files all
 *   give their status: no crash, no leak (run under SANITIZE=1).
 * - gzip-compressed files (written here by zlib) read as the plain ones;
 *   cut, corrupted, lying or trailing ones are refused.
 * - A data set by folder and stem: STEM, else STEM.gz, else a message
 *   naming both; images and labels of different counts name both counts.
 * - Fashion-MNIST's test labels, when the package is installed: 10000
 *   labels, 1000 of each of the 10 classes. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "fuzz/writers.h"
#include "idx.h"

static char dir[64];

static int make_dir(void)
{
    strcpy(dir, "/tmp/test_idx.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path_of(void)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/f.idx", dir);
    return path;
}

static void write_bytes(const unsigned char *b, size_t n)
{
    FILE *fp = fopen(path_of(), "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    CU_ASSERT_EQUAL(fwrite(b, 1, n, fp), n);
    fclose(fp);
}

/* A header for type t and sizes dims[0..rank) into b; returns its length. */
static size_t header(unsigned char *b, unsigned t, const unsigned *dims, unsigned rank)
{
    b[0] = 0, b[1] = 0, b[2] = (unsigned char)t, b[3] = (unsigned char)rank;
    for (unsigned d = 0; d < rank; d++)
        for (int k = 0; k < 4; k++)
            b[4 + 4 * d + (unsigned)k] = (unsigned char)(dims[d] >> (24 - 8 * k));
    return 4 + 4 * rank;
}

static idx_status read_back(idx_array *a)
{
    return idx_read(path_of(), a);
}

/* A 2 x 3 x 4 array of unsigned bytes 0..23, as MNIST's images are. */
static size_t mnist_like(unsigned char *b)
{
    const unsigned dims[] = {2, 3, 4};
    size_t n = header(b, 0x08, dims, 3);
    for (int i = 0; i < 24; i++)
        b[n++] = (unsigned char)(10 * i);
    return n;
}

static void test_good_bytes_become_images(void)
{
    unsigned char b[64];
    write_bytes(b, mnist_like(b));
    idx_array a;
    CU_ASSERT_EQUAL_FATAL(read_back(&a), IDX_OK);
    CU_ASSERT_EQUAL(a.rank, 3);
    CU_ASSERT_EQUAL(a.dim[0], 2);
    CU_ASSERT_EQUAL(a.dim[1], 3);
    CU_ASSERT_EQUAL(a.dim[2], 4);
    CU_ASSERT_EQUAL(a.count, 24);
    CU_ASSERT_EQUAL(idx_value(&a, 23), 230.0);
    gsl_matrix *X;
    CU_ASSERT_EQUAL(idx_images(&a, 1.0 / 255, &X), IDX_OK);
    CU_ASSERT_EQUAL(X->size1, 2);
    CU_ASSERT_EQUAL(X->size2, 12);
    CU_ASSERT_DOUBLE_EQUAL(gsl_matrix_get(X, 1, 0), 120.0 / 255, 1e-15);
    gsl_matrix *Y;
    CU_ASSERT_EQUAL(idx_labels(&a, 10, &Y), IDX_EDIMS);   /* rank 3 is not labels */
    CU_ASSERT_PTR_NULL(Y);
    gsl_matrix_free(X);
    idx_free(&a);
}

static void test_labels_become_one_hot(void)
{
    unsigned char b[32];
    const unsigned dims[] = {5};
    size_t n = header(b, 0x08, dims, 1);
    const unsigned char lab[5] = {3, 0, 9, 9, 1};
    memcpy(b + n, lab, 5);
    write_bytes(b, n + 5);
    idx_array a;
    CU_ASSERT_EQUAL_FATAL(read_back(&a), IDX_OK);
    gsl_matrix *Y;
    CU_ASSERT_EQUAL_FATAL(idx_labels(&a, 10, &Y), IDX_OK);
    for (size_t i = 0; i < 5; i++)
        for (size_t k = 0; k < 10; k++)
            CU_ASSERT_EQUAL(gsl_matrix_get(Y, i, k), k == lab[i] ? 1.0 : 0.0);
    gsl_matrix_free(Y);
    CU_ASSERT_EQUAL(idx_labels(&a, 9, &Y), IDX_ERANGE);    /* a 9 with 9 classes */
    CU_ASSERT_PTR_NULL(Y);
    idx_free(&a);
}

/* Signed bytes, shorts, ints, floats and doubles decode to their values. */
static void test_every_type_round_trips(void)
{
    const unsigned types[] = {0x09, 0x0B, 0x0C, 0x0D, 0x0E};
    const size_t width[] = {1, 2, 4, 4, 8};
    const double values[3] = {-7, 100, -1.5};
    for (int t = 0; t < 5; t++) {
        unsigned char b[64];
        const unsigned dims[] = {3};
        size_t n = header(b, types[t], dims, 1);
        for (int i = 0; i < 3; i++) {
            uint64_t u;
            const double v = t < 3 ? trunc(values[i]) : values[i];
            if (types[t] == 0x0D) {
                float f = (float)v;
                uint32_t w;
                memcpy(&w, &f, 4);
                u = w;
            } else if (types[t] == 0x0E)
                memcpy(&u, &v, 8);
            else
                u = (uint64_t)(int64_t)v;
            for (size_t k = 0; k < width[t]; k++)
                b[n++] = (unsigned char)(u >> (8 * (width[t] - 1 - k)));
        }
        write_bytes(b, n);
        idx_array a;
        CU_ASSERT_EQUAL_FATAL(read_back(&a), IDX_OK);
        for (int i = 0; i < 3; i++)
            CU_ASSERT_EQUAL(idx_value(&a, (size_t)i), t < 3 ? trunc(values[i]) : values[i]);
        idx_free(&a);
    }
}

/* Every proper prefix of a good file is truncated; one byte more trails. */
static void test_truncated_and_trailing(void)
{
    unsigned char b[64];
    const size_t n = mnist_like(b);
    idx_array a;
    for (size_t cut = 0; cut < n; cut++) {
        write_bytes(b, cut);
        const idx_status s = read_back(&a);
        CU_ASSERT_EQUAL(s, IDX_ETRUNCATED);
        CU_ASSERT_PTR_NULL(a.bytes);
    }
    b[n] = 0;
    write_bytes(b, n + 1);
    CU_ASSERT_EQUAL(read_back(&a), IDX_ETRAILING);
    CU_ASSERT_PTR_NULL(a.bytes);
}

static void test_corrupted_headers(void)
{
    unsigned char b[64];
    idx_array a;
    size_t n = mnist_like(b);
    b[1] = 0x01;                                        /* magic */
    write_bytes(b, n);
    CU_ASSERT_EQUAL(read_back(&a), IDX_EMAGIC);
    n = mnist_like(b);
    b[2] = 0x0A;                                        /* no such type */
    write_bytes(b, n);
    CU_ASSERT_EQUAL(read_back(&a), IDX_ETYPE);
    n = mnist_like(b);
    b[3] = 0;                                           /* rank 0 */
    write_bytes(b, n);
    CU_ASSERT_EQUAL(read_back(&a), IDX_EDIMS);
    n = mnist_like(b);
    b[7] = 0;                                           /* a size of 0 */
    write_bytes(b, n);
    CU_ASSERT_EQUAL(read_back(&a), IDX_EDIMS);
    const unsigned huge[] = {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
    n = header(b, 0x0E, huge, 4);                       /* product overflows */
    write_bytes(b, n + 8);
    CU_ASSERT_EQUAL(read_back(&a), IDX_EDIMS);
    const unsigned big[] = {60000, 28, 28};             /* a header that lies */
    n = header(b, 0x08, big, 3);
    write_bytes(b, n + 10);
    CU_ASSERT_EQUAL(read_back(&a), IDX_ETRUNCATED);
    CU_ASSERT_PTR_NULL(a.bytes);
    idx_free(&a);                                       /* harmless on empty */
}

static void test_missing_file(void)
{
    idx_array a;
    CU_ASSERT_EQUAL(idx_read("/nonexistent/folder/train-images-idx3-ubyte", &a), IDX_EOPEN);
    CU_ASSERT_EQUAL(idx_read(dir, &a) != IDX_OK, 1);    /* a folder, not a file */
    CU_ASSERT(strlen(idx_strerror(IDX_ETRUNCATED)) > 0);
    CU_ASSERT(strlen(idx_strerror((idx_status)99)) > 0);
}

static const char *path_named(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

/* The 2 x 3 x 4 array of mnist_like, gzip-compressed, reads the same. */
static void test_gzip_reads_like_plain(void)
{
    const unsigned dims[] = {2, 3, 4};
    unsigned char data[24];
    for (int i = 0; i < 24; i++)
        data[i] = (unsigned char)(10 * i);
    CU_ASSERT_EQUAL_FATAL(wr_idx(path_named("g.idx.gz"), dims, 3, data, 24, 1), 0);
    FILE *fp = fopen(path_named("g.idx.gz"), "rb");
    unsigned char magic[2] = {0, 0};
    CU_ASSERT_EQUAL(fread(magic, 1, 2, fp), 2);
    fclose(fp);
    CU_ASSERT(magic[0] == 0x1f && magic[1] == 0x8b);    /* really gzip */
    idx_array a;
    CU_ASSERT_EQUAL_FATAL(idx_read(path_named("g.idx.gz"), &a), IDX_OK);
    CU_ASSERT_EQUAL(a.rank, 3);
    CU_ASSERT_EQUAL(a.count, 24);
    CU_ASSERT_EQUAL(idx_value(&a, 23), 230.0);
    idx_free(&a);
    /* and the transparent writer gives a plain file that reads too */
    CU_ASSERT_EQUAL_FATAL(wr_idx(path_named("p.idx"), dims, 3, data, 24, 0), 0);
    CU_ASSERT_EQUAL(idx_read(path_named("p.idx"), &a), IDX_OK);
    CU_ASSERT_EQUAL(idx_value(&a, 5), 50.0);
    idx_free(&a);
}

/* Reads name whole into b (at most n bytes); returns its length. */
static size_t slurp(const char *path, unsigned char *b, size_t n)
{
    FILE *fp = fopen(path, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    const size_t got = fread(b, 1, n, fp);
    fclose(fp);
    return got;
}

static void put(const char *path, const unsigned char *b, size_t n)
{
    FILE *fp = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    CU_ASSERT_EQUAL(fwrite(b, 1, n, fp), n);
    fclose(fp);
}

/* Every cut of a gzip file, and a flipped byte anywhere in its
   compressed data or checksum, are refused: never IDX_OK. */
static void test_gzip_cut_and_corrupted(void)
{
    const unsigned dims[] = {50, 7};
    unsigned char data[350], z[1024], c[1024];
    for (int i = 0; i < 350; i++)
        data[i] = (unsigned char)(i * 37 % 251);
    CU_ASSERT_EQUAL_FATAL(wr_idx(path_named("z.gz"), dims, 2, data, 350, 1), 0);
    const size_t n = slurp(path_named("z.gz"), z, sizeof z);
    idx_array a;
    for (size_t cut = 0; cut < n; cut++) {
        put(path_named("cut.gz"), z, cut);
        const idx_status s = idx_read(path_named("cut.gz"), &a);
        CU_ASSERT(s == IDX_ETRUNCATED || s == IDX_ECORRUPT);
        CU_ASSERT_PTR_NULL(a.bytes);
    }
    for (size_t at = 10; at < n; at++) {          /* after gzip's header */
        memcpy(c, z, n);
        c[at] ^= 0x55;
        put(path_named("bad.gz"), c, n);
        const idx_status s = idx_read(path_named("bad.gz"), &a);
        CU_ASSERT_NOT_EQUAL(s, IDX_OK);
        if (s == IDX_OK)
            idx_free(&a);
    }
}

/* Inside the compressed stream: one byte more than the header says, and
   a header that announces far more than the file could inflate to. */
static void test_gzip_trailing_and_lying(void)
{
    const unsigned dims[] = {5};
    const unsigned char lab[6] = {1, 2, 3, 4, 5, 6};
    CU_ASSERT_EQUAL_FATAL(wr_idx(path_named("t.gz"), dims, 1, lab, 6, 1), 0);
    idx_array a;
    CU_ASSERT_EQUAL(idx_read(path_named("t.gz"), &a), IDX_ETRAILING);
    CU_ASSERT_PTR_NULL(a.bytes);
    CU_ASSERT_EQUAL_FATAL(wr_idx(path_named("t.gz"), dims, 1, lab, 4, 1), 0);
    CU_ASSERT_EQUAL(idx_read(path_named("t.gz"), &a), IDX_ETRUNCATED);
    const unsigned big[] = {60000, 28, 28};     /* 47 MB in 40 bytes */
    CU_ASSERT_EQUAL_FATAL(wr_idx(path_named("t.gz"), big, 3, lab, 6, 1), 0);
    CU_ASSERT_EQUAL(idx_read(path_named("t.gz"), &a), IDX_ETRUNCATED);
    CU_ASSERT_PTR_NULL(a.bytes);
}

/* STEM, then STEM.gz; neither: a message with both names. */
static void test_dataset_by_stem(void)
{
    char why[512] = "";
    idx_array a;
    CU_ASSERT_EQUAL(idx_read_dataset(dir, "none-idx1-ubyte", &a, why, sizeof why),
                    IDX_EOPEN);
    char both[300];
    snprintf(both, sizeof both, "neither %s/none-idx1-ubyte nor %s/none-idx1-ubyte.gz exists",
             dir, dir);
    CU_ASSERT_STRING_EQUAL(why, both);
    const unsigned dims[] = {3};
    const unsigned char lab[3] = {7, 8, 9}, other[3] = {1, 1, 1};
    CU_ASSERT_EQUAL_FATAL(wr_idx(path_named("l-idx1-ubyte.gz"), dims, 1, lab, 3, 1), 0);
    CU_ASSERT_EQUAL_FATAL(idx_read_dataset(dir, "l-idx1-ubyte", &a, why, sizeof why),
                          IDX_OK);
    CU_ASSERT_EQUAL(idx_value(&a, 2), 9.0);
    idx_free(&a);
    CU_ASSERT_EQUAL_FATAL(wr_idx(path_named("l-idx1-ubyte"), dims, 1, other, 3, 0), 0);
    CU_ASSERT_EQUAL_FATAL(idx_read_dataset(dir, "l-idx1-ubyte", &a, why, sizeof why),
                          IDX_OK);
    CU_ASSERT_EQUAL(idx_value(&a, 2), 1.0);             /* the plain one first */
    idx_free(&a);
    put(path_named("l-idx1-ubyte"), lab, 3);             /* a broken plain one */
    CU_ASSERT_EQUAL(idx_read_dataset(dir, "l-idx1-ubyte", &a, why, sizeof why),
                    IDX_ETRUNCATED);
    CU_ASSERT(strstr(why, "/l-idx1-ubyte: truncated") != NULL);
}

/* 27 images of 2 x 2 and 29 labels: the message gives both counts (it
   said "bad IDX dimensions" in chapter 4). */
static void test_count_mismatch(void)
{
    unsigned char px[27 * 4], lab[29];
    for (int i = 0; i < 27 * 4; i++)
        px[i] = (unsigned char)i;
    for (int i = 0; i < 29; i++)
        lab[i] = (unsigned char)(i % 10);
    const unsigned di[] = {27, 2, 2}, dl[] = {29};
    CU_ASSERT_EQUAL_FATAL(wr_idx(path_named("im"), di, 3, px, 27 * 4, 0), 0);
    CU_ASSERT_EQUAL_FATAL(wr_idx(path_named("lb"), dl, 1, lab, 29, 1), 0);
    idx_array a, b;
    CU_ASSERT_EQUAL_FATAL(idx_read(path_named("im"), &a), IDX_OK);
    CU_ASSERT_EQUAL_FATAL(idx_read(path_named("lb"), &b), IDX_OK);
    gsl_matrix *X, *Y;
    char why[256] = "";
    CU_ASSERT_EQUAL(idx_examples(&a, &b, 1.0, 10, &X, &Y, why, sizeof why), IDX_ECOUNT);
    CU_ASSERT_STRING_EQUAL(why, "27 images but 29 labels");
    CU_ASSERT(X == NULL && Y == NULL);
    b.dim[0] = b.count = 27;                            /* the first 27 labels */
    CU_ASSERT_EQUAL_FATAL(idx_examples(&a, &b, 0.5, 10, &X, &Y, why, sizeof why), IDX_OK);
    CU_ASSERT_EQUAL(X->size1, 27);
    CU_ASSERT_EQUAL(X->size2, 4);
    CU_ASSERT_EQUAL(gsl_matrix_get(X, 1, 1), 2.5);
    CU_ASSERT_EQUAL(gsl_matrix_get(Y, 13, 3), 1.0);
    gsl_matrix_free(X), gsl_matrix_free(Y);
    CU_ASSERT_EQUAL(idx_examples(&b, &b, 1.0, 10, &X, &Y, why, sizeof why), IDX_EDIMS);
    idx_free(&a), idx_free(&b);
}

/* Fashion-MNIST's 10000 test labels (gzipped, as Debian installs them):
   values 0..9, 1000 of each; the test images are 10000 of 28 x 28. */
static void test_fashion_mnist(void)
{
    const char *d = "/usr/share/datasets/fashion-mnist";
    struct stat st;
    if (stat(d, &st) != 0) {
        fprintf(stderr, "\n  (no %s: apt-get install dataset-fashion-mnist) ", d);
        return;
    }
    idx_array a;
    char why[512] = "";
    CU_ASSERT_EQUAL_FATAL(idx_read_dataset(d, "t10k-labels-idx1-ubyte", &a, why, sizeof why),
                          IDX_OK);
    CU_ASSERT_EQUAL(a.rank, 1);
    CU_ASSERT_EQUAL_FATAL(a.count, 10000);
    size_t per[256] = {0};
    for (size_t i = 0; i < a.count; i++)
        per[a.bytes[i]]++;
    for (int k = 0; k < 256; k++)
        CU_ASSERT_EQUAL(per[k], k < 10 ? 1000 : 0);
    idx_free(&a);
    CU_ASSERT_EQUAL_FATAL(idx_read_dataset(d, "t10k-images-idx3-ubyte", &a, why, sizeof why),
                          IDX_OK);
    CU_ASSERT(a.rank == 3 && a.dim[0] == 10000 && a.dim[1] == 28 && a.dim[2] == 28);
    idx_free(&a);
}

void suite_idx(void)
{
    CU_pSuite s = CU_add_suite("idx", make_dir, remove_dir);
    CU_add_test(s, "a good file of bytes becomes images", test_good_bytes_become_images);
    CU_add_test(s, "labels become one-hot rows; out of range refused", test_labels_become_one_hot);
    CU_add_test(s, "every IDX type decodes to its values", test_every_type_round_trips);
    CU_add_test(s, "truncated files and trailing bytes are refused", test_truncated_and_trailing);
    CU_add_test(s, "corrupted headers are refused", test_corrupted_headers);
    CU_add_test(s, "missing files and folders are refused", test_missing_file);
    CU_add_test(s, "gzip files read as plain ones", test_gzip_reads_like_plain);
    CU_add_test(s, "cut and corrupted gzip files are refused", test_gzip_cut_and_corrupted);
    CU_add_test(s, "gzip: trailing bytes and lying headers", test_gzip_trailing_and_lying);
    CU_add_test(s, "a data set by folder and stem, .gz or not", test_dataset_by_stem);
    CU_add_test(s, "images and labels of different counts: both counts", test_count_mismatch);
    CU_add_test(s, "Fashion-MNIST's test labels: 1000 of each class", test_fashion_mnist);
}
