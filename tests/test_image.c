/* test_image.c: the image and gabor modules, and the headline of chapter 5.
 *
 * - Reading: a good PNG, PGM and JPEG give the right size and grey levels;
 *   truncated, corrupted and unsupported files, an empty folder and a
 *   missing folder give a status and one clear line, and nothing leaks.
 * - Whitening flattens the spectrum of a dead-leaves image and leaves mean
 *   0 and the asked variance.
 * - Patches are cut inside the margins.
 * - The measures of the gabor module: a Gabor atom is fitted with R^2
 *   near 1 and its parameters recovered; its concentration is high and its
 *   spread small; a random atom's concentration is low.
 * - Learning on whitened dead leaves gives localised, oriented atoms: most
 *   of them concentrated above 0.5 with a median spread under a quarter of
 *   the patch, while random atoms are neither.
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

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include "gabor.h"
#include "image.h"
#include "sparse.h"

static char folder[64];

/* The 40 x 30 gradient below as a JPEG of quality 95, written once by
   stb_image_write (whose JPEG encoder trips UBSan, so it is not run here). */
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

/* A 40 x 30 gradient, grey level (x + y) * 4. */
static unsigned char *gradient(void)
{
    unsigned char *pix = malloc(40 * 30);
    for (int y = 0; y < 30; y++)
        for (int x = 0; x < 40; x++)
            pix[y * 40 + x] = (unsigned char)((x + y) * 4);
    return pix;
}

static int suite_image_init(void)
{
    snprintf(folder, sizeof folder, "/tmp/test-image-XXXXXX");
    if (!mkdtemp(folder))
        return -1;
    unsigned char *pix = gradient();
    char p[128];
    path_in(p, sizeof p, "good.png");
    stbi_write_png(p, 40, 30, 1, pix, 40);
    path_in(p, sizeof p, "good.jpg");
    FILE *jp = fopen(p, "wb");
    fwrite(good_jpg, 1, sizeof good_jpg, jp);
    fclose(jp);
    path_in(p, sizeof p, "good.pgm");
    FILE *fp = fopen(p, "wb");
    fprintf(fp, "P5\n40 30\n255\n");
    fwrite(pix, 1, 40 * 30, fp);
    fclose(fp);
    free(pix);
    return 0;
}

static int suite_image_clean(void)
{
    const char *names[] = {"good.png", "good.jpg", "good.pgm", "bad.png", "bad.jpg",
                           "bad.pgm", "text.png", "picture.gif", "readme.txt"};
    char p[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        path_in(p, sizeof p, names[i]), unlink(p);
    char sub[128];
    path_in(sub, sizeof sub, "empty");
    rmdir(sub);
    rmdir(folder);
    return 0;
}

static void test_reads_good_files(void)
{
    const char *names[] = {"good.png", "good.pgm", "good.jpg"};
    for (int k = 0; k < 3; k++) {
        char p[128], why[256] = "";
        path_in(p, sizeof p, names[k]);
        gsl_matrix *img;
        CU_ASSERT_EQUAL_FATAL(image_read(p, 512, &img, why, sizeof why), GSL_SUCCESS);
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
    CU_ASSERT_EQUAL_FATAL(image_read(p, 16, &img, why, sizeof why), GSL_SUCCESS);
    CU_ASSERT_EQUAL(img->size1, 10);
    CU_ASSERT_EQUAL(img->size2, 13);
    CU_ASSERT_DOUBLE_EQUAL(gsl_matrix_get(img, 0, 0), 4.0 * 2 / 255, 1e-12);  /* mean of (x+y)*4 */
    gsl_matrix_free(img);
}

/* Writes the first n bytes of src (or all, with the byte at flip inverted)
   to name. */
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

static void expect_clear_failure(const char *name)
{
    char p[128], why[256] = "";
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
    CU_ASSERT(strstr(why, name) != NULL);           /* names the file */
    CU_ASSERT(strchr(why, '\n') == NULL && strlen(why) > strlen(p));
}

static void test_bad_files_are_reported(void)
{
    damaged_copy("good.png", "bad.png", 60, -1);    /* truncated in the data */
    expect_clear_failure("bad.png");
    damaged_copy("good.pgm", "bad.pgm", 100, -1);   /* truncated pixels */
    expect_clear_failure("bad.pgm");
    damaged_copy("good.jpg", "bad.jpg", -1, 2);     /* corrupted from the header on */
    expect_clear_failure("bad.jpg");
    char p[128];
    path_in(p, sizeof p, "text.png");               /* not an image at all */
    FILE *fp = fopen(p, "w");
    fprintf(fp, "this is not a picture\n");
    fclose(fp);
    expect_clear_failure("text.png");
    path_in(p, sizeof p, "picture.gif");            /* a format we do not read */
    fp = fopen(p, "wb");
    fwrite("GIF89a\x01\x00\x01\x00\x00\x00\x00;", 1, 14, fp);
    fclose(fp);
    expect_clear_failure("picture.gif");
    expect_clear_failure("no-such-file.png");
}

static void test_folders(void)
{
    char why[512] = "", sub[128];
    image_set set;
    image_set_init(&set);
    /* the folder holds bad files now: the first one stops the reading */
    CU_ASSERT_NOT_EQUAL(image_read_folder(folder, 512, &set, why, sizeof why), GSL_SUCCESS);
    CU_ASSERT_EQUAL(set.n, 0);
    CU_ASSERT(strstr(why, "bad.") != NULL);
    path_in(sub, sizeof sub, "empty");
    mkdir(sub, 0700);
    char p[128];
    CU_ASSERT_EQUAL(image_read_folder(sub, 512, &set, why, sizeof why), GSL_EINVAL);
    CU_ASSERT(strstr(why, "no PNG, JPEG or PGM") != NULL);
    CU_ASSERT_NOT_EQUAL(image_read_folder("/no/such/folder", 512, &set, why, sizeof why),
                        GSL_SUCCESS);
    CU_ASSERT(strstr(why, "/no/such/folder") != NULL);
    /* only the good files: all three read, in the order of their names */
    const char *bad[] = {"bad.png", "bad.jpg", "bad.pgm", "text.png"};
    for (int i = 0; i < 4; i++)
        path_in(p, sizeof p, bad[i]), unlink(p);
    CU_ASSERT_EQUAL(image_read_folder(folder, 512, &set, why, sizeof why), GSL_SUCCESS);
    CU_ASSERT_EQUAL(set.n, 3);
    image_set_free(&set);
    CU_ASSERT_EQUAL(set.n, 0);
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

void suite_image(void)
{
    CU_pSuite s = CU_add_suite("image and gabor", suite_image_init, suite_image_clean);
    if (!s)
        return;
    CU_add_test(s, "good PNG, PGM and JPEG files are read", test_reads_good_files);
    CU_add_test(s, "truncated, corrupted, unsupported files: clear errors", test_bad_files_are_reported);
    CU_add_test(s, "folders: bad file, empty, missing, good", test_folders);
    CU_add_test(s, "whitening flattens the spectrum", test_whitening_flattens_the_spectrum);
    CU_add_test(s, "patches stay inside the margins", test_patches_stay_inside_the_margins);
    CU_add_test(s, "a Gabor atom is fitted and measured", test_gabor_fit_recovers_a_gabor);
    CU_add_test(s, "learning on dead leaves gives localised, oriented atoms", test_learning_gives_localised_oriented_atoms);
}
