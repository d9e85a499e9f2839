/* test_bad_images.c: chapters 5 and 6 given a folder of one bad image.
 *
 * Each degenerate case of the reliability audit (an image of 0 x 0 pixels,
 * one too thin for a patch, pixel data cut short behind a long comment, a
 * constant image, a 1 x 1 image, a folder with fewer patches than a
 * batch) is written as a PGM/PPM into a folder of its own and given to
 * `chapterN --quick --images DIR`.  The program must exit non-zero with one
 * line on stderr that names the file, and install nothing: no data file,
 * no numbers file, so no NaN can ever reach a figure or the text.
 */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "smoke.h"

typedef struct {
    const char *what;
    const char *name;                /* the file the message must name */
    int w, h, maxval;                /* header */
    const char *comment;             /* after the magic, or NULL */
    long pixels;                     /* pixel bytes written (-1: w h) */
    int constant;                    /* every pixel the same */
    const char *magic;
} bad_image;

static const bad_image cases[] = {
    {"0 x 0 pixels", "zero.ppm", 0, 0, 255, NULL, 0, 0, "P6"},
    {"2000 x 1 pixels", "thin.pgm", 2000, 1, 255, NULL, -1, 0, "P5"},
    {"40 bytes cut behind a long comment", "cut.pgm", 64, 64, 255,
     "# a comment much longer than nine bytes, as cameras write them", 64 * 64 - 40,
     0, "P5"},
    {"a constant image", "flat.pgm", 64, 64, 255, NULL, -1, 1, "P5"},
    {"1 x 1 pixels", "dot.pgm", 1, 1, 255, NULL, -1, 0, "P5"},
    {"fewer patches than a batch", "small.pgm", 14, 14, 255, NULL, -1, 0, "P5"},
};

/* Writes the image of c into a fresh folder; returns the folder. */
static const char *write_case(const bad_image *c, char *dir, size_t n)
{
    snprintf(dir, n, "/tmp/bad-images-XXXXXX");
    if (!mkdtemp(dir))
        return NULL;
    char path[300];
    snprintf(path, sizeof path, "%s/%s", dir, c->name);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return NULL;
    fprintf(fp, "%s\n", c->magic);
    if (c->comment)
        fprintf(fp, "%s\n", c->comment);
    fprintf(fp, "%d %d\n%d\n", c->w, c->h, c->maxval);
    const int channels = strcmp(c->magic, "P6") == 0 ? 3 : 1;
    long count = c->pixels < 0 ? (long)c->w * c->h * channels : c->pixels;
    unsigned s = 12345;
    for (long i = 0; i < count; i++) {
        s = s * 1103515245u + 12345u;
        fputc(c->constant ? 77 : (int)(s >> 16) & 255, fp);
    }
    fclose(fp);
    return dir;
}

static int installed_files(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void check_chapter(int chapter)
{
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char images[64];
        const bad_image *c = &cases[k];
        CU_ASSERT_PTR_NOT_NULL_FATAL(write_case(c, images, sizeof images));
        const char *args[] = {"--quick", "--images", images, NULL};
        chapter_run r = {0};
        const int status = chapter_run_args(chapter, args, &r);
        char path[400], line[1024] = "";
        snprintf(path, sizeof path, "%s/.stderr", r.dir);
        FILE *fp = fopen(path, "r");
        int lines = 0;
        if (fp) {
            char buf[1024];
            while (fgets(buf, sizeof buf, fp))
                if (lines++ == 0)
                    snprintf(line, sizeof line, "%s", buf);
            fclose(fp);
        }
        const int ok = status > 0 && lines == 1 && strstr(line, c->name)
                    && installed_files(r.dir) == 0;
        CU_ASSERT(ok);
        if (!ok)
            fprintf(stderr, "\n    chapter %d, %s: exit %d, %d lines: %s", chapter,
                    c->what, status, lines, line);
        chapter_run_free(&r);
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", images);
        CU_ASSERT(system(cmd) == 0);
    }
}

static void test_chapter5(void) { check_chapter(5); }
static void test_chapter6(void) { check_chapter(6); }

void suite_bad_images(void)
{
    CU_pSuite s = CU_add_suite("bad images: chapters 5 and 6 refuse and install nothing",
                               NULL, NULL);
    CU_add_test(s, "chapter 5: one line naming the file, nothing installed", test_chapter5);
    CU_add_test(s, "chapter 6: one line naming the file, nothing installed", test_chapter6);
}
