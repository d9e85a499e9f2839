/* corpus.c: writes the seeds of make fuzz, small valid files of every
 * kind the two readers take.
 *
 *   corpus IMAGE-DIR IDX-DIR
 *
 * IMAGE-DIR: PNG (grey, grey+alpha, RGB, RGBA; 8 and 16 bits;
 * interlaced), JPEG (grey, colour, progressive), PGM and PPM (P2 P3 P5
 * P6, 8 and 16 bits, with a comment).  IDX-DIR: inputs of fuzz_idx, a
 * leading byte choosing the path (see fuzz_idx.c): plain and gzip files
 * as they are, and plain files for the harness to compress. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writers.h"

static char out[4096];

static const char *in(const char *dir, const char *name)
{
    snprintf(out, sizeof out, "%s/%s", dir, name);
    return out;
}

/* w x h x c samples of a disc on a ramp, of maxval max. */
static unsigned short *picture(size_t w, size_t h, int c, unsigned max)
{
    unsigned short *s = malloc(w * h * (size_t)c * sizeof *s);
    for (size_t y = 0; y < h; y++)
        for (size_t x = 0; x < w; x++)
            for (int i = 0; i < c; i++) {
                const double r = (double)((x - w / 2) * (x - w / 2)
                                          + (y - h / 2) * (y - h / 2)),
                             v = r < (double)(w * w) / 9 ? 0.9
                                 : (double)(x + i * y) / (double)(w + h);
                s[(y * w + x) * (size_t)c + (size_t)i] =
                    (unsigned short)(v * max);
            }
    return s;
}

static int images(const char *d)
{
    int bad = 0;
    char name[64];
    for (int c = 1; c <= 4; c++)
        for (int depth = 8; depth <= 16; depth += 8) {
            unsigned short *s = picture(16, 12, c, depth == 8 ? 255 : 65535);
            snprintf(name, sizeof name, "png-%d-%d.png", c, depth);
            bad |= wr_png(in(d, name), 16, 12, c, depth, s, 0);
            snprintf(name, sizeof name, "png-%d-%d-adam7.png", c, depth);
            bad |= wr_png(in(d, name), 16, 12, c, depth, s, 1);
            free(s);
        }
    for (int c = 1; c <= 3; c += 2)
        for (int prog = 0; prog < 2; prog++) {
            unsigned short *s = picture(24, 16, c, 255);
            snprintf(name, sizeof name, "jpeg-%d-%d.jpg", c, prog);
            bad |= wr_jpeg(in(d, name), 24, 16, c, s, 90, prog);
            free(s);
        }
    const char kinds[] = "2356";
    for (int k = 0; k < 4; k++)
        for (unsigned max = 255; max <= 1000; max += 745) {
            const int c = kinds[k] == '3' || kinds[k] == '6' ? 3 : 1;
            unsigned short *s = picture(8, 6, c, max);
            snprintf(name, sizeof name, "pnm-%c-%u.pnm", kinds[k], max);
            bad |= wr_pnm(in(d, name), kinds[k], 8, 6, max, s,
                          max > 255 ? "a comment" : NULL);
            free(s);
        }
    return bad;
}

/* An IDX input of fuzz_idx: the leading byte, then the file. */
static int idx_seed(const char *d, const char *name, int lead,
                    const unsigned *dims, unsigned rank, size_t count,
                    int gz)
{
    unsigned char data[4096];
    for (size_t i = 0; i < count; i++)
        data[i] = (unsigned char)(i * 7 % 10);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s/.tmp", d);
    if (wr_idx(tmp, dims, rank, data, count, gz) != 0)
        return -1;
    FILE *f = fopen(tmp, "rb"), *o = fopen(in(d, name), "wb");
    if (!f || !o)
        return -1;
    putc(lead, o);
    size_t n;
    while ((n = fread(data, 1, sizeof data, f)) > 0)
        fwrite(data, 1, n, o);
    fclose(f);
    remove(tmp);
    return fclose(o);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: corpus IMAGE-DIR IDX-DIR\n");
        return 2;
    }
    const unsigned img[] = {5, 4, 3}, lab[] = {20}, mat[] = {3, 7};
    int bad = images(argv[1]);
    bad |= idx_seed(argv[2], "images-plain", 0, img, 3, 60, 0);
    bad |= idx_seed(argv[2], "labels-plain", 0, lab, 1, 20, 0);
    bad |= idx_seed(argv[2], "matrix-plain", 0, mat, 2, 21, 0);
    bad |= idx_seed(argv[2], "images-gzip", 0, img, 3, 60, 1);
    bad |= idx_seed(argv[2], "labels-gzip", 0, lab, 1, 20, 1);
    bad |= idx_seed(argv[2], "images-to-compress", 1, img, 3, 60, 0);
    bad |= idx_seed(argv[2], "labels-to-compress", 1, lab, 1, 20, 0);
    if (bad)
        fprintf(stderr, "corpus: could not write every seed\n");
    return bad ? 1 : 0;
}
