/* smoke.c: what every chapter program must do, checked from outside.
 *
 * - `PROGRAM --quick --out DIR` exits 0 and writes every data file that the
 *   chapter's figures read, and its values file; every data row holds only
 *   finite numbers, every data file names its columns in a '#' header, no
 *   temporary file is left behind.
 * - The same seed gives the same bytes.
 * - --help prints a usage on stdout and exits 0.
 * - Bad input (an unknown option, a stray argument, a malformed, non-finite
 *   or out-of-range value for any numeric option listed by --help, an
 *   output folder that cannot be created) gives exactly one line on stderr,
 *   a non-zero exit, and no file in the output folder.
 */
#define _POSIX_C_SOURCE 200809L
#include "smoke.h"

#include <CUnit/CUnit.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <time.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

enum { MAXCHAPTERS = 32, MAXDATA = 64 };

typedef struct {
    char program[512];
    char name[64];
    char data[MAXDATA][128];
    int ndata;
} chapter;

static chapter chapters[MAXCHAPTERS];
static int nchapters, current = -1;

/* ------------------------------------------------------------ helpers */

/* Runs argv with stdout and stderr sent to files; returns the exit status,
 * or -1 if the program could not be run or was killed. */
static int run_env(char *const argv[], const char *out, const char *err,
                   char *const env[])
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

static int run(char *const argv[], const char *out, const char *err)
{
    return run_env(argv, out, err, environ);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, fp) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(fp);
    if (s) {
        s[n] = '\0';
        if (len)
            *len = (size_t)n;
    }
    return s;
}

static int count_lines(const char *path)
{
    char *s = slurp(path, NULL);
    int n = 0;
    for (char *p = s; p && *p; p++)
        n += *p == '\n';
    free(s);
    return n;
}

/* Number of entries in dir other than . and .. ; -1 if it cannot be read. */
static int count_entries(const char *dir, int hidden_only)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n += !hidden_only || e->d_name[0] == '.';
    closedir(d);
    return n;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char path[1024];
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(path);
        else
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static void make_temp_dir(char *buf, size_t n)
{
    snprintf(buf, n, "/tmp/smoke-XXXXXX");
    if (!mkdtemp(buf))
        buf[0] = '\0';
}

/* Runs the current chapter's program --quick into dir; returns its status. */
static int run_quick(const char *dir, const char *seed)
{
    char out[1100], err[1100];
    snprintf(out, sizeof out, "%s.stdout", dir);
    snprintf(err, sizeof err, "%s.stderr", dir);
    char *argv[] = {chapters[current].program, "--quick", "--seed", (char *)seed,
                    "--out", (char *)dir, NULL};
    int rc = run(argv, out, err);
    unlink(out);
    unlink(err);
    return rc;
}

/* ------------------------------------------------------------ data checks */

/* A data file: at least one '#' line before the first row, at least one
 * row, every field of every row a finite number. */
static int data_file_is_sound(const char *path, char *why, size_t n)
{
    char *s = slurp(path, NULL);
    if (!s) {
        snprintf(why, n, "%s is missing", path);
        return 0;
    }
    int header = 0, rows = 0, ok = 1;
    for (char *line = strtok(s, "\n"); line && ok; line = strtok(NULL, "\n")) {
        if (line[0] == '#') {
            header |= rows == 0;
            continue;
        }
        char *save, *tok = strtok_r(line, " \t", &save);
        if (!tok)
            continue;
        rows++;
        for (; tok; tok = strtok_r(NULL, " \t", &save)) {
            char *end;
            double v = strtod(tok, &end);
            if (*end != '\0' || !isfinite(v)) {
                snprintf(why, n, "%s: field '%s' is not a finite number", path, tok);
                ok = 0;
                break;
            }
        }
    }
    free(s);
    if (ok && !header)
        snprintf(why, n, "%s: no '#' header naming the columns", path), ok = 0;
    if (ok && rows == 0)
        snprintf(why, n, "%s: no data rows", path), ok = 0;
    return ok;
}

/* The values file: only \setval{key}{value} lines, no nan or inf. */
static int values_file_is_sound(const char *path, char *why, size_t n)
{
    char *s = slurp(path, NULL);
    if (!s) {
        snprintf(why, n, "%s is missing", path);
        return 0;
    }
    int ok = 1, lines = 0;
    for (char *line = strtok(s, "\n"); line && ok; line = strtok(NULL, "\n"), lines++)
        if (strncmp(line, "\\setval{", 8) != 0 || line[strlen(line) - 1] != '}' ||
            strstr(line, "nan") || strstr(line, "inf")) {
            snprintf(why, n, "%s: odd line '%s'", path, line);
            ok = 0;
        }
    free(s);
    if (ok && lines == 0)
        snprintf(why, n, "%s is empty", path), ok = 0;
    return ok;
}

/* ------------------------------------------------------------ the tests */

static int suite_init(void)
{
    current++;
    return 0;
}

static void test_quick_run_writes_sound_data(void)
{
    const chapter *c = &chapters[current];
    char dir[64], path[1200], why[1400];
    make_temp_dir(dir, sizeof dir);
    CU_ASSERT_FATAL(dir[0] != '\0');
    CU_ASSERT_EQUAL(run_quick(dir, "7"), 0);
    for (int i = 0; i < c->ndata; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, c->data[i]);
        const int ok = data_file_is_sound(path, why, sizeof why);
        if (!ok)
            fprintf(stderr, "\n  %s\n", why);
        CU_ASSERT(ok);
    }
    snprintf(path, sizeof path, "%s/%s-numbers.tex", dir, c->name);
    const int ok = values_file_is_sound(path, why, sizeof why);
    if (!ok)
        fprintf(stderr, "\n  %s\n", why);
    CU_ASSERT(ok);
    CU_ASSERT_EQUAL(count_entries(dir, 1), 0);     /* no temporaries left */
    remove_tree(dir);
}

static void test_same_seed_same_bytes(void)
{
    char a[64], b[64];
    make_temp_dir(a, sizeof a);
    make_temp_dir(b, sizeof b);
    CU_ASSERT_FATAL(a[0] && b[0]);
    CU_ASSERT_EQUAL_FATAL(run_quick(a, "11"), 0);
    CU_ASSERT_EQUAL_FATAL(run_quick(b, "11"), 0);
    DIR *d = opendir(a);
    CU_ASSERT_FATAL(d != NULL);
    int files = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char pa[1200], pb[1200];
        snprintf(pa, sizeof pa, "%s/%s", a, e->d_name);
        snprintf(pb, sizeof pb, "%s/%s", b, e->d_name);
        size_t na = 0, nb = 0;
        char *sa = slurp(pa, &na), *sb = slurp(pb, &nb);
        const int same = sa && sb && na == nb && memcmp(sa, sb, na) == 0;
        if (!same)
            fprintf(stderr, "\n  %s differs between two runs with the same seed\n", e->d_name);
        CU_ASSERT(same);
        free(sa);
        free(sb);
        files++;
    }
    closedir(d);
    CU_ASSERT(files > 0);
    remove_tree(a);
    remove_tree(b);
}

static void test_help(void)
{
    char dir[64], out[100], err[100];
    make_temp_dir(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/stdout", dir);
    snprintf(err, sizeof err, "%s/stderr", dir);
    char *argv[] = {chapters[current].program, "--help", NULL};
    CU_ASSERT_EQUAL(run(argv, out, err), 0);
    char *s = slurp(out, NULL);
    CU_ASSERT(s && strstr(s, "usage:") && strstr(s, "--seed") && strstr(s, "--out"));
    free(s);
    remove_tree(dir);
}

/* Runs the program with extra (bad) arguments after a valid --out; it must
 * fail with one line on stderr and leave the folder empty. */
static int rejects(char *const bad[], int nbad)
{
    char base[64], dir[100], out[100], err[100];
    make_temp_dir(base, sizeof base);
    snprintf(dir, sizeof dir, "%s/out", base);
    snprintf(out, sizeof out, "%s/stdout", base);
    snprintf(err, sizeof err, "%s/stderr", base);
    char *argv[16] = {chapters[current].program, "--quick", "--out", dir};
    int argc = 4;
    for (int i = 0; i < nbad && argc < 15; i++)
        argv[argc++] = bad[i];
    argv[argc] = NULL;
    const int rc = run(argv, out, err);
    const int lines = count_lines(err), left = count_entries(dir, 0);
    const int ok = rc > 0 && lines == 1 && left <= 0;
    if (!ok) {
        fprintf(stderr, "\n  %s", chapters[current].program);
        for (int i = 0; i < nbad; i++)
            fprintf(stderr, " %s", bad[i]);
        fprintf(stderr, ": exit %d, %d lines on stderr, %d files left\n", rc, lines, left);
    }
    remove_tree(base);
    return ok;
}

static void test_rejects_bad_options(void)
{
    CU_ASSERT(rejects((char *[]){"--no-such-option"}, 1));
    CU_ASSERT(rejects((char *[]){"stray-argument"}, 1));
    CU_ASSERT(rejects((char *[]){"--seed", "abc"}, 2));
    CU_ASSERT(rejects((char *[]){"--seed", "-1"}, 2));
    CU_ASSERT(rejects((char *[]){"--seed", "99999999999999999999"}, 2));
    CU_ASSERT(rejects((char *[]){"--seed"}, 1));
    CU_ASSERT(rejects((char *[]){"--out", "/dev/null/cannot-be-a-folder"}, 2));
}

/* Every numeric option that --help lists, as "--name X ... (lo to hi)" or
 * "--name N ... (lo to hi)", gets a malformed, a non-finite and an
 * out-of-range value. */
static void test_rejects_bad_numbers(void)
{
    char dir[64], out[100], err[100];
    make_temp_dir(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/stdout", dir);
    snprintf(err, sizeof err, "%s/stderr", dir);
    char *argv[] = {chapters[current].program, "--help", NULL};
    CU_ASSERT_EQUAL_FATAL(run(argv, out, err), 0);
    char *s = slurp(out, NULL);
    remove_tree(dir);
    CU_ASSERT_FATAL(s != NULL);
    int tried = 0;
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        char name[64], metavar[8];
        double lo, hi;
        const char *range = strrchr(line, '(');
        if (sscanf(line, " --%63s %7s", name, metavar) != 2 || !range ||
            sscanf(range, "(%lf to %lf)", &lo, &hi) != 2)
            continue;
        char opt[80], above[64], below[64];
        snprintf(opt, sizeof opt, "--%s", name);
        snprintf(above, sizeof above, "%.17g", hi + fabs(hi) + 1);
        snprintf(below, sizeof below, "%.17g", lo - fabs(lo) - 1);
        CU_ASSERT(rejects((char *[]){opt, "abc"}, 2));
        CU_ASSERT(rejects((char *[]){opt, "12x"}, 2));
        CU_ASSERT(rejects((char *[]){opt, "nan"}, 2));
        CU_ASSERT(rejects((char *[]){opt, "inf"}, 2));
        CU_ASSERT(rejects((char *[]){opt, above}, 2));
        CU_ASSERT(rejects((char *[]){opt, below}, 2));
        tried++;
    }
    free(s);
    CU_ASSERT(tried > 0);   /* --seed at least is listed with its range */
}

/* A hash of every visible file of dir (names and bytes), and how many
 * hidden entries it holds. */
static unsigned long long folder_hash(const char *dir, int *hidden)
{
    unsigned long long h = 1469598103934665603ull;
    *hidden = 0;
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (name[0] == '.') {
            *hidden += strcmp(name, ".") && strcmp(name, "..");
        } else {
            char path[1200];
            size_t len = 0;
            snprintf(path, sizeof path, "%s/%s", dir, name);
            char *s = slurp(path, &len);
            for (const char *p = name; *p; p++)
                h = (h ^ (unsigned char)*p) * 1099511628211ull;
            for (size_t k = 0; s && k < len; k++)
                h = (h ^ (unsigned char)s[k]) * 1099511628211ull;
            free(s);
        }
        free(names[i]);
    }
    if (n >= 0)
        free(names);
    return h;
}

/* A run killed at several moments (SIGKILL, SIGINT, SIGTERM) leaves the
 * previous complete output set, or the complete new one, never a mix; and
 * the next run leaves no temporary behind. */
static void test_a_killed_run_loses_nothing(void)
{
    char dir[64], other[64];
    make_temp_dir(dir, sizeof dir);
    make_temp_dir(other, sizeof other);
    CU_ASSERT_FATAL(dir[0] && other[0]);
    int hidden;
    CU_ASSERT_EQUAL_FATAL(run_quick(other, "2"), 0);
    const unsigned long long fresh = folder_hash(other, &hidden);
    CU_ASSERT_EQUAL_FATAL(run_quick(dir, "1"), 0);
    const unsigned long long old = folder_hash(dir, &hidden);
    const int sigs[] = {SIGKILL, SIGINT, SIGTERM, SIGKILL, SIGKILL};
    const long delay_us[] = {20000, 80000, 150000, 300000, 700000};
    for (int k = 0; k < 5; k++) {
        char *argv[] = {chapters[current].program, "--quick", "--seed", "2",
                        "--out", dir, NULL};
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
        pid_t pid;
        CU_ASSERT_EQUAL_FATAL(posix_spawn(&pid, argv[0], &fa, NULL, argv, environ), 0);
        posix_spawn_file_actions_destroy(&fa);
        const struct timespec pause = {0, delay_us[k] * 1000};
        nanosleep(&pause, NULL);
        kill(pid, sigs[k]);
        int status;
        waitpid(pid, &status, 0);
        const unsigned long long now = folder_hash(dir, &hidden);
        CU_ASSERT(now == old || now == fresh);
        if (sigs[k] != SIGKILL || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
            CU_ASSERT_EQUAL(hidden, 0);
        if (sigs[k] != SIGKILL && k < 4)
            continue;   /* the handler cleaned up: go on from this state */
        CU_ASSERT_EQUAL(run_quick(dir, "1"), 0);     /* sweeps what was left */
        CU_ASSERT_EQUAL(folder_hash(dir, &hidden), old);
        CU_ASSERT_EQUAL(hidden, 0);
    }
    remove_tree(dir);
    remove_tree(other);
}

/* The CBLAS the program really calls: the dynamic linker, asked to bind
 * every symbol at start and to say so, names the library cblas_dgemm binds
 * to.  It must be the one the build chose ($(BUILD)/blas, beside the
 * chapter's folder): OpenBLAS when it is installed. */
static void test_blas_is_the_chosen_one(void)
{
    const chapter *c = &chapters[current];
    char blas[600], dir[600], out[700], err[700];
    snprintf(dir, sizeof dir, "%s", c->program);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    slash = strrchr(dir, '/');
    snprintf(blas, sizeof blas, "%.*s/blas", slash ? (int)(slash - dir) : 1,
             slash ? dir : ".");
    char *chosen = slurp(blas, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(chosen);
    make_temp_dir(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(err, sizeof err, "%s/err", dir);
    char *argv[] = {(char *)c->program, "--help", NULL};
    char *env[] = {"LD_BIND_NOW=1", "LD_DEBUG=bindings", "PATH=/usr/bin:/bin", NULL};
    CU_ASSERT_EQUAL(run_env(argv, out, err, env), 0);
    char *log = slurp(err, NULL), *line = log ? strstr(log, "symbol `cblas_dgemm'") : NULL;
    CU_ASSERT_PTR_NOT_NULL(line);
    if (line) {
        char *start = line;
        while (start > log && start[-1] != '\n')
            start--;
        *line = '\0';
        const int open = strstr(start, "libopenblas") != NULL;
        CU_ASSERT_EQUAL(open, strstr(chosen, "openblas") != NULL);
        if (current == 0)
            printf("\n    %s: cblas_dgemm from %s ", c->name,
                   open ? "OpenBLAS" : "GSL's reference CBLAS");
    }
    free(log);
    free(chosen);
    remove_tree(dir);
}

void smoke_register(const char *spec)
{
    if (nchapters == MAXCHAPTERS)
        return;
    chapter *c = &chapters[nchapters++];
    const char *colon = strchr(spec, ':');
    const size_t plen = colon ? (size_t)(colon - spec) : strlen(spec);
    snprintf(c->program, sizeof c->program, "%.*s", (int)plen, spec);
    /* "build/chapter12/chapter12" -> "ch12", the prefix of its files */
    const char *base = strrchr(spec, '/');
    base = base && base < spec + plen ? base + 1 : spec;
    const char *digits = base + strcspn(base, "0123456789");
    snprintf(c->name, sizeof c->name, "ch%.*s", (int)strspn(digits, "0123456789"), digits);
    for (const char *p = colon ? colon + 1 : ""; *p && c->ndata < MAXDATA;) {
        const size_t n = strcspn(p, ",");
        if (n > 0)
            snprintf(c->data[c->ndata++], sizeof c->data[0], "%.*s", (int)n, p);
        p += n + (p[n] == ',');
    }

    char title[600];
    snprintf(title, sizeof title, "smoke: %s", c->program);
    CU_pSuite s = CU_add_suite(title, suite_init, NULL);
    if (!s)
        return;
    CU_add_test(s, "--quick writes every figure's data, all finite", test_quick_run_writes_sound_data);
    CU_add_test(s, "the same seed gives the same bytes", test_same_seed_same_bytes);
    CU_add_test(s, "--help prints the usage", test_help);
    CU_add_test(s, "bad options: one line, non-zero exit, no files", test_rejects_bad_options);
    CU_add_test(s, "bad numbers for every numeric option are rejected", test_rejects_bad_numbers);
    CU_add_test(s, "cblas_dgemm binds to the BLAS the build chose", test_blas_is_the_chosen_one);
    CU_add_test(s, "a run killed at five moments loses nothing", test_a_killed_run_loses_nothing);
}

/* ------------------------------------------------ runs with chosen knobs */

int chapter_run_args(int n, const char *const args[], chapter_run *r)
{
    char want[32];
    snprintf(want, sizeof want, "ch%d", n);
    r->status = -1;
    make_temp_dir(r->dir, sizeof r->dir);
    const chapter *c = NULL;
    for (int i = 0; i < nchapters; i++)
        if (strcmp(chapters[i].name, want) == 0)
            c = &chapters[i];
    if (!c || !r->dir[0])
        return -1;
    char *argv[64];
    int k = 0;
    argv[k++] = (char *)c->program;
    for (int i = 0; args && args[i] && k < 60; i++)
        argv[k++] = (char *)args[i];
    argv[k++] = "--out";
    argv[k++] = r->dir;
    argv[k] = NULL;
    char out[300], err[300];
    snprintf(out, sizeof out, "%s/.stdout", r->dir);
    snprintf(err, sizeof err, "%s/.stderr", r->dir);
    r->status = run(argv, out, err);
    return r->status;
}

const char *chapter_text(const chapter_run *r, const char *key, char *buf,
                         size_t n)
{
    char path[300], *s, pattern[200];
    const char *numbers = strrchr(r->dir, '/');
    (void)numbers;
    DIR *d = opendir(r->dir);
    const char *found = NULL;
    if (!d)
        return NULL;
    snprintf(pattern, sizeof pattern, "\\setval{%s}{", key);
    for (struct dirent *e; !found && (e = readdir(d));) {
        const size_t len = strlen(e->d_name);
        if (len < 12 || strcmp(e->d_name + len - 12, "-numbers.tex") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", r->dir, e->d_name);
        if (!(s = slurp(path, NULL)))
            continue;
        const char *p = strstr(s, pattern);
        if (p) {
            p += strlen(pattern);
            const char *end = strchr(p, '\n');
            size_t m = end ? (size_t)(end - p) : strlen(p);
            if (m > 0 && p[m - 1] == '}')
                m--;
            snprintf(buf, n, "%.*s", (int)m, p);
            found = buf;
        }
        free(s);
    }
    closedir(d);
    return found;
}

double chapter_value(const chapter_run *r, const char *key)
{
    char text[256], *end;
    if (!chapter_text(r, key, text, sizeof text))
        return NAN;
    const char *p = text;
    if (strncmp(p, "\\ensuremath{", 12) == 0)
        p += 12;
    double m = strtod(p, &end);
    if (end == p)
        return NAN;
    const char *times = strstr(end, "\\times 10^{");
    if (times)
        m *= pow(10, strtod(times + 11, NULL));
    return m;
}

void chapter_run_free(chapter_run *r)
{
    if (r->dir[0])
        remove_tree(r->dir);
    r->dir[0] = '\0';
}

int chapter_ok(int n, const char *const args[], chapter_run *r)
{
    const int status = chapter_run_args(n, args, r);
    CU_ASSERT_EQUAL(status, 0);
    return status == 0;
}

int chapter_quick(int n, const char *const knobs[], chapter_run *r)
{
    const char *args[60] = {"--quick"};
    for (int i = 0; knobs && knobs[i] && i < 58; i++)
        args[i + 1] = knobs[i];
    return chapter_ok(n, args, r);
}

static struct { chapter_run run; int made, ok; } bases[MAXCHAPTERS];

const chapter_run *chapter_base(int n)
{
    if (n < 0 || n >= MAXCHAPTERS)
        return NULL;
    if (!bases[n].made) {
        bases[n].made = 1;
        bases[n].ok = chapter_quick(n, NULL, &bases[n].run);
    }
    return bases[n].ok ? &bases[n].run : NULL;
}

int chapter_base_free(void)
{
    for (int n = 0; n < MAXCHAPTERS; n++) {
        if (bases[n].ok)
            chapter_run_free(&bases[n].run);
        bases[n].made = bases[n].ok = 0;
    }
    return 0;
}

double chapter_number(const chapter_run *r, const char *key)
{
    const double x = chapter_value(r, key);
    CU_ASSERT_TRUE(isfinite(x));
    return x;
}

int chapter_says(const chapter_run *r, const char *key, const char *word)
{
    char buf[512];
    const char *t = chapter_text(r, key, buf, sizeof buf);
    return t && strstr(t, word) != NULL;
}
