/* test_image.c: the image and gabor modules, and the headline of chapter 5.
 *
 * - Reading: good PNG (grey, 16-bit, RGB, RGBA, palette-free, interlaced),
 *   JPEG (baseline, progressive, colour) and PGM/PPM (P2 P3 P5 P6, 8 and
 *   16 bits, comments) files give the right size and grey levels, 16-bit
 *   samples big-endian and at full precision.
 * - Every bad input of the reliability review is refused with one line
 *   that names the file and the reason: a 0x0 PNM, a 2000x1 PGM, a PGM
 *   truncated after a long comment, a flat image, a 1x1 PNG, a tiny PNG
 *   claiming 10^10 pixels, a JPEG with a bad DHT, an empty IDAT, and a
 *   sweep of damaged PNGs (never an empty reason).  Limits per image and
 *   per folder, paths too long, missing and empty folders.
 * - Whitening flattens the spectrum of a dead-leaves image and leaves mean
 *   0 and the asked variance; it refuses a flat image (no NaN).
 * - Patches are cut inside the margins.
 * - The measures of the gabor module: a Gabor atom is fitted with R^2
 *   near 1 and its parameters recovered; its concentration is high and its
 *   spread small; a random atom's concentration is low.
 * - Learning on whitened dead leaves gives localised, oriented atoms: most
 *   of them concentrated above 0.5 with a median spread under a quarter of
 *   the patch, while random atoms are neither.
 * - The eight photographs of build/photos/, when make has put them there,
 *   are all read.
 */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics.h>

#include "fuzz/writers.h"
#include "gabor.h"
#include "image.h"
#include "sparse.h"

static char folder[64];

/* The 40 x 30 gradient as a JPEG of quality 95, written once by
   stb_image_write, the book's first encoder (kept as it was written). */
static const unsigned char good_jpg[] = {
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01,
  0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x84,
  0x00, 0x02, 0x01, 0x01, 0x01, 0x01, 0x01, 0x02, 0x01, 0x01, 0x01, 0x02,
  0x02, 0x02, 0x02, 0x02, 0x04, 0x03, 0x02, 0x02, 0x02, 0x02, 0x05, 0x04,
  0x04, 0x03, 0x04, 0x06, 0x05, 0x06, 0x06, 0x06, 0x05, 0x06, 0x06, 0x06,
  0x07, 0x09, 0x08, 0x06, 0x07, 0x09, 0x07, 0x06, 0x06, 0x08, 0x0b, 0x08,
  0x09, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x06, 0x08, 0x0b, 0x0c, 0x0b, 0x0a,
  0x0c, 0x09, 0x0a, 0x0a, 0x0a, 0x01, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
  0x05, 0x03, 0x03, 0x05, 0x0a, 0x07, 0x06, 0x07, 0x0a, 0x0a, 0x0a, 0x0a,
  0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a,
  0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a,
  0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a,
  0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0xff, 0xc0,
  0x00, 0x11, 0x08, 0x00, 0x1e, 0x00, 0x28, 0x03, 0x01, 0x11, 0x00, 0x02,
  0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xc4, 0x01, 0xa2, 0x00, 0x00, 0x01,
  0x05, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
  0x0a, 0x0b, 0x10, 0x00, 0x02, 0x01, 0x03, 0x03, 0x02, 0x04, 0x03, 0x05,
  0x05, 0x04, 0x04, 0x00, 0x00, 0x01, 0x7d, 0x01, 0x02, 0x03, 0x00, 0x04,
  0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22,
  0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15,
  0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17,
  0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36,
  0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a,
  0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66,
  0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a,
  0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95,
  0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8,
  0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2,
  0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5,
  0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7,
  0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9,
  0xfa, 0x01, 0x00, 0x03, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
  0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
  0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x11, 0x00, 0x02, 0x01, 0x02, 0x04,
  0x04, 0x03, 0x04, 0x07, 0x05, 0x04, 0x04, 0x00, 0x01, 0x02, 0x77, 0x00,
  0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51,
  0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1,
  0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a,
  0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26, 0x27,
  0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45,
  0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
  0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75,
  0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88,
  0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2,
  0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5,
  0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8,
  0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe2,
  0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5,
  0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00,
  0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00, 0xfc, 0x6f, 0xf8, 0x6d, 0xf0,
  0xdb, 0xfd, 0x5f, 0xfa, 0x3f, 0xa7, 0x6a, 0x00, 0xfa, 0x03, 0xe1, 0xb7,
  0xc3, 0x6f, 0xf5, 0x7f, 0xe8, 0xfe, 0x9d, 0xa8, 0x03, 0xe8, 0x0f, 0x86,
  0xdf, 0x0d, 0xbf, 0xd5, 0xff, 0x00, 0xa3, 0xfa, 0x76, 0xa0, 0x0f, 0xa0,
  0x3e, 0x1b, 0x7c, 0x36, 0xff, 0x00, 0x57, 0xfe, 0x8f, 0xe9, 0xda, 0x80,
  0x3e, 0x80, 0xf8, 0x6d, 0xf0, 0xdb, 0xfd, 0x5f, 0xfa, 0x3f, 0xa7, 0x6a,
  0x00, 0xfc, 0x7f, 0xf8, 0x6d, 0xf0, 0xdb, 0xfd, 0x5f, 0xfa, 0x3f, 0xa7,
  0x6a, 0x00, 0xfa, 0x03, 0xe1, 0xb7, 0xc3, 0x6f, 0xf5, 0x7f, 0xe8, 0xfe,
  0x9d, 0xa8, 0x03, 0xe8, 0x0f, 0x86, 0xdf, 0x0d, 0xbf, 0xd5, 0xff, 0x00,
  0xa3, 0xfa, 0x76, 0xa0, 0x0f, 0xa0, 0x3e, 0x1b, 0x7c, 0x36, 0xff, 0x00,
  0x57, 0xfe, 0x8f, 0xe9, 0xda, 0x80, 0x3e, 0x80, 0xf8, 0x6d, 0xf0, 0xdb,
  0xfd, 0x5f, 0xfa, 0x3f, 0xa7, 0x6a, 0x00, 0xfc, 0x7f, 0xf8, 0x6d, 0xf0,
  0xdb, 0xfd, 0x5f, 0xfa, 0x3f, 0xa7, 0x6a, 0x00, 0xfa, 0x03, 0xe1, 0xb7,
  0xc3, 0x6f, 0xf5, 0x7f, 0xe8, 0xfe, 0x9d, 0xa8, 0x03, 0xe8, 0x0f, 0x86,
  0xdf, 0x0d, 0xbf, 0xd5, 0xff, 0x00, 0xa3, 0xfa, 0x76, 0xa0, 0x0f, 0xa0,
  0x3e, 0x1b, 0x7c, 0x36, 0xff, 0x00, 0x57, 0xfe, 0x8f, 0xe9, 0xda, 0x80,
  0x3e, 0x80, 0xf8, 0x6d, 0xf0, 0xdb, 0xfd, 0x5f, 0xfa, 0x3f, 0xa7, 0x6a,
  0x00, 0xfc, 0x79, 0xf8, 0x6d, 0xe0, 0x6b, 0x2f, 0xdd, 0xf2, 0xbd, 0xbb,
  0x50, 0x07, 0xd0, 0x1f, 0x0d, 0xbc, 0x0d, 0x65, 0xfb, 0xbe, 0x57, 0xb7,
  0x6a, 0x00, 0xfa, 0x03, 0xe1, 0xb7, 0x81, 0xac, 0xbf, 0x77, 0xca, 0xf6,
  0xed, 0x40, 0x1f, 0x40, 0x7c, 0x36, 0xf0, 0x35, 0x97, 0xee, 0xf9, 0x5e,
  0xdd, 0xa8, 0x03, 0xf3, 0xbf, 0xfe, 0x0e, 0x56, 0xff, 0x00, 0x82, 0xc8,
  0x7c, 0x58, 0xfd, 0x82, 0xb4, 0xed, 0x27, 0xf6, 0x08, 0xfd, 0x94, 0xe2,
  0xbe, 0xf0, 0xf7, 0x8e, 0xfc, 0x7f, 0xe0, 0xf4, 0xd6, 0xb5, 0xdf, 0x89,
  0x31, 0x4a, 0x23, 0x93, 0x45, 0xd1, 0xa6, 0xb8, 0xb9, 0xb4, 0x58, 0x74,
  0xd2, 0xad, 0xbd, 0x2f, 0xa5, 0x7b, 0x59, 0xc3, 0x5c, 0x90, 0xa6, 0xda,
  0x30, 0xa6, 0x1d, 0xd3, 0x4a, 0xb2, 0xda, 0x80, 0x7f, 0xff, 0xd9
};

static void path_in(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", folder, name);
}

/* A 40 x 30 gradient, grey level (x + y) * step, in c channels (the
   same grey level in each of R, G, B; alpha 0 when there are 4). */
static unsigned short *gradient(int c, int step)
{
    unsigned short *s = malloc(40 * 30 * 4 * sizeof *s);
    for (int y = 0; y < 30; y++)
        for (int x = 0; x < 40; x++)
            for (int i = 0; i < c; i++)
                s[(y * 40 + x) * c + i] =
                    (unsigned short)(i == 3 ? 0 : (x + y) * step);
    return s;
}

static void write_file(const char *name, const void *b, size_t n)
{
    char p[128];
    path_in(p, sizeof p, name);
    FILE *fp = fopen(p, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    CU_ASSERT_EQUAL(fwrite(b, 1, n, fp), n);
    fclose(fp);
}

static int suite_image_init(void)
{
    snprintf(folder, sizeof folder, "/tmp/test-image-XXXXXX");
    if (!mkdtemp(folder))
        return -1;
    unsigned short *g1 = gradient(1, 4);   /* 8 bits: wraps past 255 */
    for (int i = 0; i < 40 * 30; i++)
        g1[i] &= 255;
    char p[128];
    path_in(p, sizeof p, "good.png");
    int bad = wr_png(p, 40, 30, 1, 8, g1, 0);
    path_in(p, sizeof p, "good.jpg");
    FILE *jp = fopen(p, "wb");
    bad |= !jp || fwrite(good_jpg, 1, sizeof good_jpg, jp) != sizeof good_jpg;
    if (jp)
        fclose(jp);
    path_in(p, sizeof p, "good.pgm");
    bad |= wr_pnm(p, '5', 40, 30, 255, g1, NULL);
    free(g1);
    return bad ? -1 : 0;
}

/* Removes every file of the folder, and the folder. */
static int suite_image_clean(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", folder);
    return system(cmd) == 0 ? 0 : -1;
}

/* Reads name (in the folder) with max side 512; *img NULL on failure. */
static int read_named(const char *name, gsl_matrix **img, char *why,
                      size_t len)
{
    char p[128];
    path_in(p, sizeof p, name);
    return image_read(p, 512, img, why, len);
}

static void test_reads_good_files(void)
{
    const char *names[] = {"good.png", "good.pgm", "good.jpg"};
    for (int k = 0; k < 3; k++) {
        char why[256] = "";
        gsl_matrix *img;
        CU_ASSERT_EQUAL_FATAL(read_named(names[k], &img, why, sizeof why), GSL_SUCCESS);
        CU_ASSERT_EQUAL(img->size1, 30);
        CU_ASSERT_EQUAL(img->size2, 40);
        const double tol = k == 2 ? 3.0 / 255 : 1e-12;      /* JPEG is lossy */
        CU_ASSERT_DOUBLE_EQUAL(gsl_matrix_get(img, 10, 20), 120.0 / 255, tol);
        gsl_matrix_free(img);
    }
    /* reduced by block averaging: 40 x 30 -> max side 16 needs k = 3 */
    char p[128], why[256];
    path_in(p, sizeof p, "good.png");
    gsl_matrix *img;
    image_limits lim = image_default_limits(16);
    lim.min_side = 10;
    CU_ASSERT_EQUAL_FATAL(image_load(p, &lim, &img, why, sizeof why), GSL_SUCCESS);
    CU_ASSERT_EQUAL(img->size1, 10);
    CU_ASSERT_EQUAL(img->size2, 13);
    CU_ASSERT_DOUBLE_EQUAL(gsl_matrix_get(img, 0, 0), 4.0 * 2 / 255, 1e-12);  /* mean of (x+y)*4 */
    gsl_matrix_free(img);
}

/* Expects name to read as 40 x 30 with pixel (y, x) = 3 (x + y) scale
   within tol. */
static void expect_gradient(const char *name, double scale, double tol)
{
    char why[256] = "";
    gsl_matrix *img = NULL;
    const int status = read_named(name, &img, why, sizeof why);
    CU_ASSERT_EQUAL(status, GSL_SUCCESS);
    if (status != GSL_SUCCESS) {
        fprintf(stderr, "\n  %s: %s\n", name, why);
        return;
    }
    CU_ASSERT_EQUAL(img->size1, 30);
    CU_ASSERT_EQUAL(img->size2, 40);
    double err = 0;
    for (size_t y = 0; y < 30; y++)
        for (size_t x = 0; x < 40; x++)
            err = fmax(err, fabs(gsl_matrix_get(img, y, x)
                                 - (double)(x + y) * 3 * scale));
    CU_ASSERT(err <= tol);
    if (err > tol)
        fprintf(stderr, "\n  %s: largest error %g\n", name, err);
    gsl_matrix_free(img);
}

/* Every PNG kind: grey, grey+alpha, RGB, RGBA, 8 and 16 bits, with and
   without interlacing; the alpha channel is ignored. */
static void test_png_kinds(void)
{
    for (int c = 1; c <= 4; c++)
        for (int depth = 8; depth <= 16; depth += 8)
            for (int il = 0; il < 2; il++) {
                unsigned short *g = gradient(c, 3);
                char name[64], p[128];
                snprintf(name, sizeof name, "png-%d-%d-%d.png", c, depth, il);
                path_in(p, sizeof p, name);
                if (depth == 16)            /* 257 * v: the same grey */
                    for (size_t i = 0; i < 40 * 30 * (size_t)c; i++)
                        g[i] = (unsigned short)(g[i] * 257);
                CU_ASSERT_EQUAL_FATAL(wr_png(p, 40, 30, c, depth, g, il), 0);
                expect_gradient(name, 1.0 / 255, 1e-12);
                free(g);
            }
}

/* A 16-bit grey PNG keeps its 65536 levels: 1000 + x + 40 y. */
static void test_png_16_bit_precision(void)
{
    unsigned short s[40 * 30];
    for (int i = 0; i < 40 * 30; i++)
        s[i] = (unsigned short)(1000 + i);
    char p[128], why[256] = "";
    path_in(p, sizeof p, "deep.png");
    CU_ASSERT_EQUAL_FATAL(wr_png(p, 40, 30, 1, 16, s, 0), 0);
    gsl_matrix *img;
    CU_ASSERT_EQUAL_FATAL(image_read(p, 512, &img, why, sizeof why), GSL_SUCCESS);
    CU_ASSERT_DOUBLE_EQUAL(gsl_matrix_get(img, 2, 3), 1083.0 / 65535, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(gsl_matrix_get(img, 2, 4), 1084.0 / 65535, 1e-15);
    gsl_matrix_free(img);
}

/* JPEGs written by libjpeg: grey and colour, baseline and progressive. */
static void test_jpeg_kinds(void)
{
    for (int c = 1; c <= 3; c += 2)
        for (int prog = 0; prog < 2; prog++) {
            unsigned short *g = gradient(c, 3);
            char name[64], p[128];
            snprintf(name, sizeof name, "jpeg-%d-%d.jpg", c, prog);
            path_in(p, sizeof p, name);
            CU_ASSERT_EQUAL_FATAL(wr_jpeg(p, 40, 30, c, g, 98, prog), 0);
            expect_gradient(name, 1.0 / 255, 4.0 / 255);
            free(g);
        }
}

/* P2 P3 P5 P6, maxval 255 and 1000 (two bytes), and colour to grey. */
static void test_pnm_kinds(void)
{
    const char kinds[] = "2356";
    for (int k = 0; k < 4; k++)
        for (int big = 0; big < 2; big++) {
            const int c = kinds[k] == '3' || kinds[k] == '6' ? 3 : 1;
            unsigned short *g = gradient(c, 3);
            char name[64], p[128];
            snprintf(name, sizeof name, "pnm-%c-%d.%s", kinds[k], big,
                     c == 3 ? "ppm" : "pgm");
            path_in(p, sizeof p, name);
            CU_ASSERT_EQUAL_FATAL(wr_pnm(p, kinds[k], 40, 30, big ? 1000 : 255,
                                         g, "made by test_image"), 0);
            expect_gradient(name, big ? 1.0 / 1000 : 1.0 / 255, 1e-12);
            free(g);
        }
}

/* 16-bit samples are big-endian, as netpbm says (stb read them
   little-endian), and keep their precision. */
static void test_pgm_16_bit_big_endian(void)
{
    unsigned short s[40 * 30];
    for (int i = 0; i < 40 * 30; i++)
        s[i] = (unsigned short)(0x0102 + 3 * i);
    char p[128], why[256] = "";
    path_in(p, sizeof p, "deep.pgm");
    CU_ASSERT_EQUAL_FATAL(wr_pnm(p, '5', 40, 30, 65535, s, NULL), 0);
    gsl_matrix *img;
    CU_ASSERT_EQUAL_FATAL(image_read(p, 512, &img, why, sizeof why), GSL_SUCCESS);
    CU_ASSERT_DOUBLE_EQUAL(gsl_matrix_get(img, 0, 0), 258.0 / 65535, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(gsl_matrix_get(img, 0, 1), 261.0 / 65535, 1e-15);
    gsl_matrix_free(img);
}

/* Comments wherever netpbm allows them: after the magic number, inside
   the header between numbers, right after a number, and in the samples
   of a plain file. */
static void test_pnm_comments(void)
{
    char b[4096];
    int n = snprintf(b, sizeof b, "P2#a\n# b\n20#c\n#d\n 16 # e\n255\n");
    for (int i = 0; i < 20 * 16; i++)
        n += snprintf(b + n, sizeof b - (size_t)n, "%d%s", i % 17 * 15,
                      i % 20 == 19 ? " # end of a row\n" : " ");
    write_file("comments.pgm", b, (size_t)n);
    char why[256] = "";
    gsl_matrix *img;
    CU_ASSERT_EQUAL_FATAL(read_named("comments.pgm", &img, why, sizeof why), GSL_SUCCESS);
    CU_ASSERT_EQUAL(img->size1, 16);
    CU_ASSERT_EQUAL(img->size2, 20);
    CU_ASSERT_DOUBLE_EQUAL(gsl_matrix_get(img, 1, 0), 20 % 17 * 15 / 255.0, 1e-15);
    gsl_matrix_free(img);
}

/* A refusal: not GSL_SUCCESS, *img NULL, one line that names the file and
   holds the words expected (if any), and a reason after "path: ". */
static void expect_refusal(const char *name, const char *expected)
{
    char p[128], why[512] = "";
    path_in(p, sizeof p, name);
    gsl_matrix *img = (gsl_matrix *)1;
    const int status = image_read(p, 512, &img, why, sizeof why);
    CU_ASSERT_NOT_EQUAL(status, GSL_SUCCESS);
    if (status == GSL_SUCCESS) {
        fprintf(stderr, "\n  %s was read as an image\n", name);
        gsl_matrix_free(img);
        img = NULL;
    }
    CU_ASSERT_PTR_NULL(img);
    CU_ASSERT(strstr(why, name) != NULL);               /* names the file */
    CU_ASSERT(strchr(why, '\n') == NULL);               /* one line */
    CU_ASSERT(strlen(why) > strlen(p) + 2 + 5);         /* and a reason */
    CU_ASSERT(strstr(why, "()") == NULL);
    if (expected && !strstr(why, expected)) {
        CU_FAIL("the reason does not say what was expected");
        fprintf(stderr, "\n  %s: expected \"%s\" in \"%s\"\n", name, expected, why);
    }
}

/* Writes the first n bytes of src (or all, with every 7th byte from flip
   on inverted) to name. */
static void damaged_copy(const char *src, const char *name, long n, long flip)
{
    char ps[128], pd[128];
    path_in(ps, sizeof ps, src);
    path_in(pd, sizeof pd, name);
    FILE *in = fopen(ps, "rb"), *out = fopen(pd, "wb");
    unsigned char buf[8192];
    const size_t len = fread(buf, 1, sizeof buf, in);
    if (flip >= 0)
        for (size_t i = (size_t)flip; i < len; i += 7)
            buf[i] ^= 0xff;
    fwrite(buf, 1, n >= 0 && (size_t)n < len ? (size_t)n : len, out);
    fclose(in);
    fclose(out);
}

static void test_bad_files_are_reported(void)
{
    damaged_copy("good.png", "bad.png", 60, -1);    /* truncated in the data */
    expect_refusal("bad.png", "PNG");
    damaged_copy("good.pgm", "bad.pgm", 100, -1);   /* truncated pixels */
    expect_refusal("bad.pgm", "pixel data end");
    damaged_copy("good.jpg", "bad.jpg", -1, 2);     /* corrupted from the header on */
    expect_refusal("bad.jpg", "JPEG");
    damaged_copy("good.jpg", "short.jpg", 700, -1); /* truncated in the scan */
    expect_refusal("short.jpg", "JPEG");
    write_file("text.png", "this is not a picture\n", 22);
    expect_refusal("text.png", "not a PNG, JPEG, PGM or PPM");
    write_file("picture.gif", "GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14);
    expect_refusal("picture.gif", "not a PNG");
    write_file("empty.png", "", 0);
    expect_refusal("empty.png", "empty");
    expect_refusal("no-such-file.png", "No such file");
    char over[16 * 16 + 16] = "P5 16 16 100\n";              /* 255 > maxval */
    memset(over + 13, 50, 16 * 16);
    over[13 + 40] = (char)255;
    write_file("over.pgm", over, 13 + 16 * 16);
    expect_refusal("over.pgm", "above the maxval");
    write_file("maxval.pgm", "P5 2 1 70000\n\x10\xff", 15);
    expect_refusal("maxval.pgm", "maxval");
    write_file("nl\nname.pgm", "P5 0 0 255\n", 11);         /* a newline in the name */
    char p[128], why[512] = "";
    gsl_matrix *img;
    path_in(p, sizeof p, "nl\nname.pgm");
    CU_ASSERT_EQUAL(image_read(p, 512, &img, why, sizeof why), GSL_EFAILED);
    CU_ASSERT(strchr(why, '\n') == NULL && strstr(why, "nl name.pgm") != NULL);
}

/* The bad inputs of the reliability review (commit 49f10bf), each of which
   the stb-based reader accepted, crashed on, or explained badly. */

/* P6 0 0: stb accepted it and reduce_blocks divided by zero (SIGFPE). */
static void test_review_zero_by_zero(void)
{
    write_file("zero.ppm", "P6\n0 0\n255\n", 11);
    expect_refusal("zero.ppm", "0 x 0 pixels");
    write_file("zero-w.pgm", "P5\n0 7\n255\n", 11);
    expect_refusal("zero-w.pgm", "0 x 7 pixels");
}

/* 2000 x 1: reduced by 4 for a largest side of 512 it has no row; stb's
   reader "succeeded" with a 0 x 500 matrix. */
static void test_review_thin_image(void)
{
    unsigned short *s = calloc(2000, sizeof *s);
    for (int i = 0; i < 2000; i++)
        s[i] = (unsigned short)(i % 256);
    char p[128];
    path_in(p, sizeof p, "thin.pgm");
    CU_ASSERT_EQUAL_FATAL(wr_pnm(p, '5', 2000, 1, 255, s, NULL), 0);
    free(s);
    expect_refusal("thin.pgm", "too small: reduced to 500 x 0");
}

/* A header of 200 bytes (a long comment), 40 pixel bytes missing: stb's
   check assumed a 9-byte header and returned uninitialised pixels. */
static void test_review_truncated_after_long_comment(void)
{
    char b[4096];
    int n = snprintf(b, sizeof b, "P5\n#%0180d\n40 30\n255\n", 0);
    for (int i = 0; i < 40 * 30 - 40; i++)
        b[n++] = (char)(i % 200);
    write_file("comment.pgm", b, (size_t)n);
    expect_refusal("comment.pgm", "pixel data end in row 30 of 30");
}

/* A flat 64 x 64 image: chapter 6 wrote -nan into its numbers. */
static void test_review_constant_image(void)
{
    unsigned short s[64 * 64];
    for (int i = 0; i < 64 * 64; i++)
        s[i] = 77;
    char p[128];
    path_in(p, sizeof p, "flat.pgm");
    CU_ASSERT_EQUAL_FATAL(wr_pnm(p, '5', 64, 64, 255, s, NULL), 0);
    expect_refusal("flat.pgm", "every pixel has the grey level");
    path_in(p, sizeof p, "flat.png");
    CU_ASSERT_EQUAL_FATAL(wr_png(p, 64, 64, 1, 8, s, 0), 0);
    expect_refusal("flat.png", "nothing to learn from");
}

/* Whitening a flat image is refused and changes nothing; no NaN. */
static void test_whitening_refuses_a_flat_image(void)
{
    gsl_matrix *img = gsl_matrix_alloc(32, 48);
    for (int filtered = 0; filtered < 2; filtered++) {
        gsl_matrix_set_all(img, 0.3);
        CU_ASSERT_EQUAL(image_whiten(img, filtered ? 0.4 : 0, 0.1), GSL_EZERODIV);
        CU_ASSERT_EQUAL(gsl_matrix_min(img), 0.3);
        CU_ASSERT_EQUAL(gsl_matrix_max(img), 0.3);
    }
    gsl_matrix_set(img, 3, 4, 0.5);           /* one pixel differs: fine */
    CU_ASSERT_EQUAL(image_whiten(img, 0.4, 0.1), GSL_SUCCESS);
    CU_ASSERT(isfinite(gsl_matrix_get(img, 0, 0)));
    CU_ASSERT_EQUAL(image_whiten(img, 0.4, 0.0), GSL_EDOM);
    CU_ASSERT_EQUAL(image_whiten(img, 0.4, NAN), GSL_EDOM);
    gsl_matrix_free(img);
}

/* 1 x 1 PNG: the chapters failed later with "matrix/vector sizes are not
   conformant", naming no file. */
static void test_review_one_pixel_png(void)
{
    const unsigned short s[1] = {200};
    char p[128];
    path_in(p, sizeof p, "one.png");
    CU_ASSERT_EQUAL_FATAL(wr_png(p, 1, 1, 1, 8, s, 0), 0);
    expect_refusal("one.png", "1 x 1 pixels, too small");
}

/* A PNG of a few dozen bytes that claims 100000 x 100000 pixels: stb set
   out to allocate 10 GB.  Refused from the header, at once. */
static void test_review_huge_png_in_a_tiny_file(void)
{
    char p[128];
    const unsigned char raw[3] = {0, 0, 0};
    path_in(p, sizeof p, "huge.png");
    CU_ASSERT_EQUAL_FATAL(wr_png_chunks(p, 100000, 100000, raw, 3), 0);
    expect_refusal("huge.png", "more than the limit of 67108864 per image");
    path_in(p, sizeof p, "wide.png");        /* 2^31 - 1 wide: libpng's own limit */
    CU_ASSERT_EQUAL_FATAL(wr_png_chunks(p, 0x7fffffffu, 1, raw, 3), 0);
    expect_refusal("wide.png", "more than the limit");
}

/* An empty IDAT chunk: stb did pointer arithmetic on NULL. */
static void test_review_empty_idat(void)
{
    char p[128];
    path_in(p, sizeof p, "noidat.png");
    CU_ASSERT_EQUAL_FATAL(wr_png_chunks(p, 20, 20, NULL, 0), 0);
    expect_refusal("noidat.png", "PNG: ");
    /* and too little image data: 20 rows announced, 2 given */
    unsigned char raw[2 * 21] = {0};
    raw[5] = 9;
    path_in(p, sizeof p, "fewrows.png");
    CU_ASSERT_EQUAL_FATAL(wr_png_chunks(p, 20, 20, raw, sizeof raw), 0);
    expect_refusal("fewrows.png", "PNG: ");
}

/* A DHT segment declaring more than 256 codes: stb overran its tables. */
static void test_review_bad_dht(void)
{
    unsigned char b[sizeof good_jpg];
    memcpy(b, good_jpg, sizeof b);
    size_t at = 0;
    for (size_t i = 0; i + 1 < sizeof b && !at; i++)
        if (b[i] == 0xFF && b[i + 1] == 0xC4)
            at = i;
    CU_ASSERT_FATAL(at > 0);
    for (int k = 0; k < 16; k++)               /* 16 counts of 255 codes */
        b[at + 5 + k] = 255;
    write_file("dht.jpg", b, sizeof b);
    expect_refusal("dht.jpg", "JPEG: ");
}

/* Damaged PNGs, truncated at every length and corrupted at every 7th
   byte from every offset: every one refused with a reason (stb once said
   "cannot read the image ()"), or read as a 40 x 30 image. */
static void test_review_damaged_pngs_have_a_reason(void)
{
    char p[128], why[512];
    path_in(p, sizeof p, "good.png");
    struct stat st;
    CU_ASSERT_FATAL(stat(p, &st) == 0);
    for (long k = 0; k < 2 * (long)st.st_size; k++) {
        const long n = k < st.st_size ? k : -1,
                   flip = k < st.st_size ? -1 : k - st.st_size;
        damaged_copy("good.png", "damaged.png", n, flip);
        path_in(p, sizeof p, "damaged.png");
        gsl_matrix *img = NULL;
        why[0] = '\0';
        if (image_read(p, 512, &img, why, sizeof why) == GSL_SUCCESS) {
            CU_ASSERT(img->size1 == 30 && img->size2 == 40);
            gsl_matrix_free(img);
            continue;
        }
        const char *reason = strstr(why, "damaged.png: ");
        CU_ASSERT(reason != NULL && strlen(reason) > 20 && !strchr(why, '\n'));
    }
}

/* The budgets: per image from the header, per folder summed over files. */
static void test_limits(void)
{
    char p[128], why[512] = "";
    gsl_matrix *img;
    path_in(p, sizeof p, "good.png");
    image_limits lim = image_default_limits(512);
    lim.max_pixels = 40 * 30 - 1;
    CU_ASSERT_EQUAL(image_load(p, &lim, &img, why, sizeof why), GSL_EFAILED);
    CU_ASSERT(strstr(why, "limit of 1199 per image") != NULL);
    lim = image_default_limits(512);
    lim.min_side = 31;                          /* a patch of 23 and margins */
    CU_ASSERT_EQUAL(image_load(p, &lim, &img, why, sizeof why), GSL_EFAILED);
    CU_ASSERT(strstr(why, "less than 31 on a side") != NULL);
    lim.min_side = 30;
    CU_ASSERT_EQUAL(image_load(p, &lim, &img, why, sizeof why), GSL_SUCCESS);
    gsl_matrix_free(img);
    lim.max_side = 15;
    CU_ASSERT_EQUAL(image_load(p, &lim, &img, why, sizeof why), GSL_EDOM);
    CU_ASSERT(strlen(why) > 0);
    CU_ASSERT_EQUAL(image_read(p, 8, &img, why, sizeof why), GSL_EDOM);
    CU_ASSERT_PTR_NULL(img);
}

/* Copies the file name of the folder into sub/name. */
static void copy_into(const char *sub, const char *name, const char *as)
{
    char from[128], to[192], buf[8192];
    path_in(from, sizeof from, name);
    snprintf(to, sizeof to, "%s/%s/%s", folder, sub, as);
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    CU_ASSERT_FATAL(in && out);
    const size_t n = fread(buf, 1, sizeof buf, in);
    fwrite(buf, 1, n, out);
    fclose(in);
    fclose(out);
}

static void test_folders(void)
{
    char why[512] = "", sub[128];
    image_set set;
    image_set_init(&set);
    path_in(sub, sizeof sub, "set");
    CU_ASSERT_EQUAL_FATAL(mkdir(sub, 0700), 0);
    copy_into("set", "good.png", "a.png");
    copy_into("set", "good.jpg", "b.JPG");
    copy_into("set", "good.pgm", "c.pgm");
    copy_into("set", "comment.pgm", "d.pgm");            /* truncated */
    write_file("set/readme.txt", "not an image", 12);    /* ignored */
    /* the first bad file stops the reading, and is named */
    CU_ASSERT_EQUAL(image_read_folder(sub, 512, &set, why, sizeof why), GSL_EFAILED);
    CU_ASSERT_EQUAL(set.n, 0);
    CU_ASSERT(strstr(why, "set/d.pgm: ") != NULL);
    char p[128];
    path_in(p, sizeof p, "set/d.pgm");
    unlink(p);
    CU_ASSERT_EQUAL(image_read_folder(sub, 512, &set, why, sizeof why), GSL_SUCCESS);
    CU_ASSERT_EQUAL(set.n, 3);
    image_set_free(&set);
    CU_ASSERT_EQUAL(set.n, 0);
    /* a folder budget of two of the three images */
    image_limits lim = image_default_limits(512);
    lim.max_total = 2 * 40 * 30;
    CU_ASSERT_EQUAL(image_load_folder(sub, &lim, &set, why, sizeof why), GSL_EFAILED);
    CU_ASSERT_EQUAL(set.n, 0);
    CU_ASSERT(strstr(why, "c.pgm: 40 x 30 pixels, more than the 0 left of 2400 per folder")
              != NULL);
}

static void test_folders_missing_empty_long(void)
{
    char why[512] = "", sub[128];
    image_set set;
    image_set_init(&set);
    path_in(sub, sizeof sub, "empty");
    mkdir(sub, 0700);
    CU_ASSERT_EQUAL(image_read_folder(sub, 512, &set, why, sizeof why), GSL_EINVAL);
    CU_ASSERT(strstr(why, "no PNG, JPEG or PGM") != NULL);
    CU_ASSERT_NOT_EQUAL(image_read_folder("/no/such/folder", 512, &set, why, sizeof why),
                        GSL_SUCCESS);
    CU_ASSERT(strstr(why, "/no/such/folder: No such file") != NULL);
    /* a folder named by a path of 4090 bytes: its files' paths do not fit */
    char *dir = malloc(4096);
    int n = snprintf(dir, 4096, "%s/set", folder);
    while (n < 4091)
        n += snprintf(dir + n, 4096 - (size_t)n, "/.");
    CU_ASSERT_EQUAL(image_read_folder(dir, 512, &set, why, sizeof why), GSL_EFAILED);
    CU_ASSERT(strstr(why, "path too long") != NULL);
    CU_ASSERT_EQUAL(set.n, 0);
    free(dir);
}

static double slope(const double f[], const double P[], size_t n)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0, k = 0;
    for (size_t i = 0; i < n; i++)
        if (f[i] >= 0.02 && f[i] <= 0.2) {
            const double x = log(f[i]), y = log(P[i]);
            sx += x, sy += y, sxx += x * x, sxy += x * y, k++;
        }
    return (k * sxy - sx * sy) / (k * sxx - sx * sx);
}

/* A set of dead leaves: count images of the side asked, every pixel a
   convex mix of grey levels in [0, 1]; bad options add nothing more. */
static void test_a_set_of_dead_leaves(void)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    image_set s;
    image_set_init(&s);
    const image_leaves_options o = {300, 2, 30}, bad = {300, 0, 30};
    CU_ASSERT_EQUAL(image_set_dead_leaves(&s, 3, 40, &o, rng), GSL_SUCCESS);
    CU_ASSERT_EQUAL_FATAL(s.n, 3);
    double lo = 1, hi = 0;
    for (size_t k = 0; k < s.n; k++) {
        CU_ASSERT(s.img[k]->size1 == 40 && s.img[k]->size2 == 40);
        lo = fmin(lo, gsl_matrix_min(s.img[k]));
        hi = fmax(hi, gsl_matrix_max(s.img[k]));
    }
    CU_ASSERT(lo >= 0 && hi <= 1 && hi - lo > 0.5);
    CU_ASSERT_EQUAL(image_set_dead_leaves(&s, 2, 40, &bad, rng), GSL_EDOM);
    CU_ASSERT_EQUAL(s.n, 3);
    image_set_free(&s);
    gsl_rng_free(rng);
}

static void test_whitening_flattens_the_spectrum(void)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_matrix *img = gsl_matrix_alloc(128, 96);      /* not a power of two */
    const image_leaves_options o = {1000, 4, 100};
    CU_ASSERT_EQUAL(image_dead_leaves(img, &o, rng), GSL_SUCCESS);
    double f[32], before[32], after[32];
    CU_ASSERT_EQUAL(image_radial_power(img, 32, f, before), GSL_SUCCESS);
    CU_ASSERT_EQUAL(image_whiten(img, 0.4, 0.1), GSL_SUCCESS);
    CU_ASSERT_EQUAL(image_radial_power(img, 32, f, after), GSL_SUCCESS);
    CU_ASSERT(slope(f, before, 32) < -2);               /* about 1/f^2 or steeper */
    CU_ASSERT(slope(f, after, 32) > slope(f, before, 32) + 1.5);
    double mean = 0, var = 0;
    for (size_t i = 0; i < 128 * 96; i++)
        mean += img->data[i] / (128.0 * 96);
    for (size_t i = 0; i < 128 * 96; i++)
        var += (img->data[i] - mean) * (img->data[i] - mean) / (128.0 * 96);
    CU_ASSERT_DOUBLE_EQUAL(mean, 0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(var, 0.1, 1e-12);
    gsl_matrix_free(img);
    gsl_rng_free(rng);
}

static void test_patches_stay_inside_the_margins(void)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    image_set set;
    image_set_init(&set);
    gsl_matrix *img = gsl_matrix_alloc(20, 20);
    for (size_t y = 0; y < 20; y++)
        for (size_t x = 0; x < 20; x++)                 /* the border is 1, inside 0 */
            gsl_matrix_set(img, y, x, y < 4 || y >= 16 || x < 4 || x >= 16);
    image_set_add(&set, img);
    gsl_matrix *X = gsl_matrix_alloc(64, 500);
    CU_ASSERT_EQUAL(image_sample_patches(&set, 8, 4, rng, X), GSL_SUCCESS);
    CU_ASSERT_EQUAL(gsl_matrix_max(X), 0.0);
    gsl_matrix *Y = gsl_matrix_alloc(144, 5);            /* 12 + 2 * 4 = 20: fits */
    CU_ASSERT_EQUAL(image_sample_patches(&set, 12, 4, rng, Y), GSL_SUCCESS);
    gsl_matrix *Z = gsl_matrix_alloc(169, 5);            /* 13 + 8 > 20 */
    CU_ASSERT_EQUAL(image_sample_patches(&set, 13, 4, rng, Z), GSL_EBADLEN);
    gsl_matrix_free(X), gsl_matrix_free(Y), gsl_matrix_free(Z);
    image_set_free(&set);
    gsl_rng_free(rng);
}

static void test_gabor_fit_recovers_a_gabor(void)
{
    const size_t p = 12;
    const gabor_fit truth = {1.0, 5.2, 6.1, 0.7, 1.3, 2.0, 0.18, 0.9, 0, 0};
    gsl_vector *atom = gsl_vector_alloc(p * p);
    for (size_t y = 0; y < p; y++)
        for (size_t x = 0; x < p; x++)
            gsl_vector_set(atom, y * p + x, gabor_eval(&truth, (double)x, (double)y));
    gabor_fit g;
    CU_ASSERT_EQUAL_FATAL(gabor_fit_atom(atom, p, &g), GSL_SUCCESS);
    CU_ASSERT(g.r2 > 0.999);
    CU_ASSERT_DOUBLE_EQUAL(g.x0, truth.x0, 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(g.y0, truth.y0, 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(g.theta, truth.theta, 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(g.freq, truth.freq, 1e-3);
    gabor_shape s;
    CU_ASSERT_EQUAL(gabor_shape_of(atom, p, &s), GSL_SUCCESS);
    CU_ASSERT(s.concentration > 0.5);
    CU_ASSERT(s.spread < p / 4.0);
    CU_ASSERT_DOUBLE_EQUAL(s.x0, truth.x0, 0.5);
    gsl_vector_set_zero(atom);
    CU_ASSERT_EQUAL(gabor_shape_of(atom, p, &s), GSL_EZERODIV);
    gsl_vector_free(atom);
}

/* The fraction of atoms with concentration above 0.5 and the median spread. */
static void measure(const gsl_matrix *Phi, size_t p, double *concentrated, double *spread)
{
    double sp[256];
    size_t good = 0;
    for (size_t j = 0; j < Phi->size2; j++) {
        gsl_vector_const_view atom = gsl_matrix_const_column(Phi, j);
        gabor_shape s;
        gabor_shape_of(&atom.vector, p, &s);
        good += s.concentration > 0.5;
        sp[j] = s.spread;
    }
    gsl_sort(sp, 1, Phi->size2);
    *concentrated = (double)good / (double)Phi->size2;
    *spread = gsl_stats_median_from_sorted_data(sp, 1, Phi->size2);
}

/* The headline of chapter 5 in a small run: whitened dead leaves, 10 x 10
   patches, 100 atoms. */
static void test_learning_gives_localised_oriented_atoms(void)
{
    const size_t p = 10, m = 100, B = 100;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 5);
    image_set set;
    image_set_init(&set);
    const image_leaves_options lo = {5000, 4, 100};
    for (int i = 0; i < 4; i++) {
        gsl_matrix *img = gsl_matrix_alloc(256, 256);
        image_dead_leaves(img, &lo, rng);
        image_whiten(img, 0.4, 0.1);
        image_set_add(&set, img);
    }
    gsl_matrix *Phi = gsl_matrix_alloc(p * p, m), *X = gsl_matrix_alloc(p * p, B),
               *A = gsl_matrix_alloc(m, B);
    sparse_random_dictionary(Phi, rng);
    double c0, s0, c1, s1;
    measure(Phi, p, &c0, &s0);
    sparse_learn_options o = {{SPARSE_FISTA, 0.3, 1e-2, 300, 0.1, NULL, NULL}, 0.3, 0.1};
    const size_t steps = 400;
    for (size_t k = 0; k < steps; k++) {
        o.eta = 0.3 / (1 + 4.0 * (double)k / (double)steps);
        image_sample_patches(&set, p, 4, rng, X);
        sparse_energy_parts e;
        CU_ASSERT_EQUAL_FATAL(sparse_learn_step(Phi, X, &o, A, &e, NULL), GSL_SUCCESS);
    }
    measure(Phi, p, &c1, &s1);
    CU_ASSERT(c0 < 0.05);                   /* random: almost none oriented */
    CU_ASSERT(s0 > 0.35 * p);               /*         spread over the patch */
    CU_ASSERT(c1 >= 0.8);                   /* learned: oriented */
    CU_ASSERT(s1 < 0.25 * p);               /*          and localised */
    gsl_matrix_free(Phi), gsl_matrix_free(X), gsl_matrix_free(A);
    image_set_free(&set);
    gsl_rng_free(rng);
}

/* The eight photographs that make puts in build/photos/ (make photos):
   all read, through libpng (grey and RGB) and libjpeg; when they are not
   there, the test says so and checks nothing. */
static void test_photographs(void)
{
    const char *names[] = {"astronaut.png", "brick.png", "grass.png",
                           "gravel.png", "camera.png", "chelsea.png",
                           "coffee.png", "rocket.jpg"};
    struct stat st;
    if (stat("build/photos/rocket.jpg", &st) != 0) {
        fprintf(stderr, "\n  (no build/photos/: make photos first) ");
        return;
    }
    for (int i = 0; i < 8; i++) {
        char p[128], why[512] = "";
        snprintf(p, sizeof p, "build/photos/%s", names[i]);
        gsl_matrix *img;
        const int status = image_read(p, 512, &img, why, sizeof why);
        CU_ASSERT_EQUAL(status, GSL_SUCCESS);
        if (status != GSL_SUCCESS) {
            fprintf(stderr, "\n  %s\n", why);
            continue;
        }
        CU_ASSERT(img->size1 >= 150 && img->size2 >= 225);
        CU_ASSERT(gsl_matrix_max(img) > gsl_matrix_min(img) + 0.25);
        CU_ASSERT_EQUAL(image_whiten(img, 0.4, 0.1), GSL_SUCCESS);
        gsl_matrix_free(img);
    }
}

void suite_image(void)
{
    CU_pSuite s = CU_add_suite("image and gabor", suite_image_init, suite_image_clean);
    if (!s)
        return;
    CU_add_test(s, "good PNG, PGM and JPEG files are read", test_reads_good_files);
    CU_add_test(s, "PNG: grey, grey+alpha, RGB, RGBA, 8/16 bits, interlaced", test_png_kinds);
    CU_add_test(s, "PNG: 16-bit samples keep their precision", test_png_16_bit_precision);
    CU_add_test(s, "JPEG: grey and colour, baseline and progressive", test_jpeg_kinds);
    CU_add_test(s, "PGM/PPM: P2 P3 P5 P6, maxval 255 and 1000", test_pnm_kinds);
    CU_add_test(s, "PGM: 16-bit samples are big-endian", test_pgm_16_bit_big_endian);
    CU_add_test(s, "PGM: comments wherever netpbm allows them", test_pnm_comments);
    CU_add_test(s, "truncated, corrupted, unsupported files: clear errors", test_bad_files_are_reported);
    CU_add_test(s, "review: a 0x0 PNM is refused", test_review_zero_by_zero);
    CU_add_test(s, "review: a 2000x1 PGM is too small", test_review_thin_image);
    CU_add_test(s, "review: truncated PGM after a long comment", test_review_truncated_after_long_comment);
    CU_add_test(s, "review: a constant image is refused", test_review_constant_image);
    CU_add_test(s, "review: whitening refuses a flat image, no NaN", test_whitening_refuses_a_flat_image);
    CU_add_test(s, "review: a 1x1 PNG is too small", test_review_one_pixel_png);
    CU_add_test(s, "review: a tiny PNG claiming 10^10 pixels", test_review_huge_png_in_a_tiny_file);
    CU_add_test(s, "review: an empty IDAT chunk", test_review_empty_idat);
    CU_add_test(s, "review: a JPEG with a bad DHT", test_review_bad_dht);
    CU_add_test(s, "review: damaged PNGs always have a reason", test_review_damaged_pngs_have_a_reason);
    CU_add_test(s, "limits per image, minimum side, bad limits", test_limits);
    CU_add_test(s, "folders: bad file, budget, good", test_folders);
    CU_add_test(s, "folders: empty, missing, path too long", test_folders_missing_empty_long);
    CU_add_test(s, "the eight photographs of build/photos are read", test_photographs);
    CU_add_test(s, "a set of dead leaves", test_a_set_of_dead_leaves);
    CU_add_test(s, "whitening flattens the spectrum", test_whitening_flattens_the_spectrum);
    CU_add_test(s, "patches stay inside the margins", test_patches_stay_inside_the_margins);
    CU_add_test(s, "a Gabor atom is fitted and measured", test_gabor_fit_recovers_a_gabor);
    CU_add_test(s, "learning on dead leaves gives localised, oriented atoms", test_learning_gives_localised_oriented_atoms);
}
