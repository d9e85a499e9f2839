/* writers.h: small writers of PNG, JPEG, PGM/PPM and IDX files, for the
 * image and IDX tests and for the fuzzing corpus (tests/fuzz/corpus.c).
 *
 * Samples are given as unsigned short, w * h * c of them, row after row;
 * each writer returns 0 on success.  wr_png_chunks writes a PNG chunk by
 * chunk, so that a test can build files that no encoder would write. */
#ifndef WRITERS_H
#define WRITERS_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

/* A PNG of c channels (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA) of depth 8
   or 16 bits, Adam7-interlaced if interlace; written by libpng. */
static inline int wr_png(const char *path, size_t w, size_t h, int c,
                         int depth, const unsigned short *s,
                         int interlace)
{
    static const int type[] = {PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GA,
                               PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGBA};
    FILE *fp = fopen(path, "wb");
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
                                              NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    const size_t rb = w * (size_t)c * (depth == 16 ? 2 : 1);
    unsigned char *buf = malloc(rb * h);
    png_bytep *rows = malloc(h * sizeof *rows);
    int bad = !fp || !info || !buf || !rows;
    if (!bad && setjmp(png_jmpbuf(png)) == 0) {
        for (size_t i = 0; i < w * h * (size_t)c; i++)
            if (depth == 16)
                buf[2 * i] = (unsigned char)(s[i] >> 8),
                buf[2 * i + 1] = (unsigned char)s[i];
            else
                buf[i] = (unsigned char)s[i];
        for (size_t y = 0; y < h; y++)
            rows[y] = buf + y * rb;
        png_init_io(png, fp);
        png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, depth,
                     type[c - 1], interlace ? PNG_INTERLACE_ADAM7
                     : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                     PNG_FILTER_TYPE_DEFAULT);
        png_write_info(png, info);
        png_write_image(png, rows);
        png_write_end(png, NULL);
    } else
        bad = 1;
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    free(buf);
    free(rows);
    if (fp && fclose(fp) != 0)
        bad = 1;
    return bad ? -1 : 0;
}

/* One PNG chunk: length, type, data, CRC. */
static inline void wr_chunk(FILE *fp, const char *type,
                            const unsigned char *data, size_t n)
{
    unsigned char len[4] = {(unsigned char)(n >> 24),
                            (unsigned char)(n >> 16),
                            (unsigned char)(n >> 8), (unsigned char)n};
    fwrite(len, 1, 4, fp);
    fwrite(type, 1, 4, fp);
    if (n)
        fwrite(data, 1, n, fp);
    uLong crc = crc32(0, (const Bytef *)type, 4);
    if (n)
        crc = crc32(crc, data, (uInt)n);
    unsigned char c[4] = {(unsigned char)(crc >> 24),
                          (unsigned char)(crc >> 16),
                          (unsigned char)(crc >> 8), (unsigned char)crc};
    fwrite(c, 1, 4, fp);
}

/* A grey 8-bit PNG that claims w x h pixels, with the n bytes raw
   (filter bytes included) compressed into one IDAT chunk, or an empty
   IDAT chunk if raw is NULL. */
static inline int wr_png_chunks(const char *path, uint32_t w, uint32_t h,
                                const unsigned char *raw, size_t n)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    fwrite("\x89PNG\r\n\x1a\n", 1, 8, fp);
    unsigned char ihdr[13] = {(unsigned char)(w >> 24),
        (unsigned char)(w >> 16), (unsigned char)(w >> 8),
        (unsigned char)w, (unsigned char)(h >> 24),
        (unsigned char)(h >> 16), (unsigned char)(h >> 8),
        (unsigned char)h, 8, 0, 0, 0, 0};
    wr_chunk(fp, "IHDR", ihdr, 13);
    uLongf zn = compressBound((uLong)n) + 16;
    unsigned char *z = malloc(zn);
    if (raw && z && compress2(z, &zn, raw, (uLong)n, 9) == Z_OK)
        wr_chunk(fp, "IDAT", z, zn);
    else
        wr_chunk(fp, "IDAT", NULL, 0);
    free(z);
    wr_chunk(fp, "IEND", NULL, 0);
    return fclose(fp);
}

/* A JPEG of c = 1 or 3 channels of 8-bit samples, written by libjpeg. */
static inline int wr_jpeg(const char *path, size_t w, size_t h, int c,
                          const unsigned short *s, int quality,
                          int progressive)
{
    FILE *fp = fopen(path, "wb");
    unsigned char *row = malloc(w * (size_t)c);
    if (!fp || !row)
        return free(row), fp ? fclose(fp) : 0, -1;
    struct jpeg_compress_struct j;
    struct jpeg_error_mgr err;
    j.err = jpeg_std_error(&err);
    jpeg_create_compress(&j);
    jpeg_stdio_dest(&j, fp);
    j.image_width = (JDIMENSION)w, j.image_height = (JDIMENSION)h;
    j.input_components = c;
    j.in_color_space = c == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&j);
    jpeg_set_quality(&j, quality, TRUE);
    if (progressive)
        jpeg_simple_progression(&j);
    jpeg_start_compress(&j, TRUE);
    for (size_t y = 0; y < h; y++) {
        for (size_t i = 0; i < w * (size_t)c; i++)
            row[i] = (unsigned char)s[y * w * (size_t)c + i];
        JSAMPROW r = row;
        jpeg_write_scanlines(&j, &r, 1);
    }
    jpeg_finish_compress(&j);
    jpeg_destroy_compress(&j);
    free(row);
    return fclose(fp);
}

/* A netpbm file of kind '2', '3', '5' or '6' with a comment after the
   magic number (none if comment is NULL); binary samples are one byte,
   or two big-endian when maxval > 255. */
static inline int wr_pnm(const char *path, char kind, size_t w, size_t h,
                         unsigned maxval, const unsigned short *s,
                         const char *comment)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    const size_t c = kind == '3' || kind == '6' ? 3 : 1;
    fprintf(fp, "P%c\n", kind);
    if (comment)
        fprintf(fp, "#%s\n", comment);
    fprintf(fp, "%zu %zu\n%u\n", w, h, maxval);
    for (size_t i = 0; i < w * h * c; i++)
        if (kind == '2' || kind == '3')
            fprintf(fp, "%u%c", s[i], (i + 1) % (w * c) ? ' ' : '\n');
        else if (maxval > 255)
            putc(s[i] >> 8, fp), putc(s[i] & 255, fp);
        else
            putc(s[i], fp);
    return fclose(fp);
}

/* An IDX file of unsigned bytes with the given sizes and data (count =
   the product of the sizes), through zlib: gzip-compressed if gz, else
   plain ("wT" is zlib's transparent mode). */
static inline int wr_idx(const char *path, const unsigned *dims,
                         unsigned rank, const unsigned char *data,
                         size_t count, int gz)
{
    gzFile f = gzopen(path, gz ? "wb9" : "wbT");
    if (!f)
        return -1;
    unsigned char head[4 + 4 * 255] = {0, 0, 0x08, (unsigned char)rank};
    for (unsigned d = 0; d < rank; d++)
        for (int k = 0; k < 4; k++)
            head[4 + 4 * d + (unsigned)k] =
                (unsigned char)(dims[d] >> (24 - 8 * k));
    int ok = gzwrite(f, head, 4 + 4 * rank) == (int)(4 + 4 * rank);
    if (count)
        ok = ok && gzwrite(f, data, (unsigned)count) == (int)count;
    return gzclose(f) == Z_OK && ok ? 0 : -1;
}

#endif
