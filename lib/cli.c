/* cli.c: option parsing, a run's output set and measured values for the
 * chapter programs.  See cli.h for the contracts. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

static const char *program = "program";

const char *cli_program(void) { return program; }

/* "PROGRAM: message" and a newline on stderr. */
static void report(const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", program);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(fmt, ap);
    va_end(ap);
    return -1;
}

int cli_check(int status, const char *what)
{
    if (status == 0)
        return 0;
    return cli_error("%s: %s", what, gsl_strerror(status));
}

void cli_progress(const char *fmt, ...)
{
    if (!isatty(STDERR_FILENO))
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------ numbers */

static int parse_double(const char *name, const char *text, double lo, double hi,
                        double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v)) {
        cli_error("--%s: '%s' is not a finite number", name, text);
        return -1;
    }
    if (v < lo || v > hi) {
        cli_error("--%s: %s is outside [%g, %g]", name, text, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_ulong(const char *name, const char *text, double lo, double hi,
                       unsigned long *out)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)text[0])) {
        cli_error("--%s: '%s' is not a whole number", name, text);
        return -1;
    }
    unsigned long v = strtoul(text, &end, 10);
    if (*end != '\0' || errno == ERANGE) {
        cli_error("--%s: '%s' is not a whole number", name, text);
        return -1;
    }
    if ((double)v < lo || (double)v > hi) {
        cli_error("--%s: %s is outside [%.0f, %.0f]", name, text, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

/* ------------------------------------------------------------ options */

static const cli_option common_options[] = {
    {"seed", CLI_ULONG, NULL, 0, 4294967295.0, "seed of every random choice"},
    {"out", CLI_STRING, NULL, 0, 0, "folder for the data files (created if missing)"},
    {"quick", CLI_FLAG, NULL, 0, 0, "a small, fast run (for the tests)"},
    {"help", CLI_FLAG, NULL, 0, 0, "print this help and exit"},
};
enum { NCOMMON = sizeof common_options / sizeof common_options[0] };

static int help_flag;

static void *common_value(cli_common *c, size_t i)
{
    void *v[NCOMMON] = {&c->seed, &c->out, &c->quick, &help_flag};
    return v[i];
}

static void print_default(const cli_option *o, const void *value)
{
    switch (o->type) {
    case CLI_DOUBLE: printf(" [%g]", *(const double *)value); break;
    case CLI_ULONG:  printf(" [%lu]", *(const unsigned long *)value); break;
    case CLI_STRING: printf(" [%s]", *(const char *const *)value); break;
    case CLI_FLAG:   break;
    }
}

static void print_option(const cli_option *o, const void *value)
{
    static const char *metavar[] = {"X", "N", "", "DIR"};
    char left[48];
    snprintf(left, sizeof left, "--%s %s", o->name, metavar[o->type]);
    printf("  %-22s %s", left, o->help);
    print_default(o, value);
    if (o->type == CLI_DOUBLE)
        printf(" (%g to %g)", o->lo, o->hi);
    else if (o->type == CLI_ULONG)
        printf(" (%.0f to %.0f)", o->lo, o->hi);
    putchar('\n');
}

static void print_usage(const char *summary, const cli_option *opts, size_t nopts,
                        cli_common *common)
{
    printf("usage: %s [options]\n%s\n\noptions:\n", program, summary);
    for (size_t i = 0; i < nopts; i++)
        print_option(&opts[i], opts[i].value);
    for (size_t i = 0; i < NCOMMON; i++)
        print_option(&common_options[i], common_value(common, i));
}

static int store(const cli_option *o, void *value, const char *arg)
{
    switch (o->type) {
    case CLI_DOUBLE: return parse_double(o->name, arg, o->lo, o->hi, value);
    case CLI_ULONG:  return parse_ulong(o->name, arg, o->lo, o->hi, value);
    case CLI_STRING:
        if (arg[0] == '\0') {
            cli_error("--%s: empty argument", o->name);
            return -1;
        }
        *(const char **)value = arg;
        return 0;
    case CLI_FLAG: *(int *)value = 1; return 0;
    }
    return -1;
}

/* Creates dir if it is missing (one level), then proves it writable by
 * creating and removing a file in it. */
static int prepare_out_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (mkdir(dir, 0777) != 0)
            return cli_error("--out: cannot create '%s': %s", dir, strerror(errno));
    } else if (!S_ISDIR(st.st_mode)) {
        return cli_error("--out: '%s' is not a folder", dir);
    }
    size_t n = strlen(dir) + 32;
    char *probe = malloc(n);
    if (!probe)
        return cli_error("out of memory");
    snprintf(probe, n, "%s/.probe.XXXXXX", dir);
    int fd = mkstemp(probe);
    if (fd < 0) {
        cli_error("--out: cannot write in '%s': %s", dir, strerror(errno));
        free(probe);
        return -1;
    }
    close(fd);
    unlink(probe);
    free(probe);
    return 0;
}

/* The option named by the text between the dashes and an '=' or the end,
 * or NULL. */
static const cli_option *find_option(const char *name, size_t len,
                                     const cli_option *opts, size_t nopts,
                                     size_t *index)
{
    for (size_t i = 0; i < nopts + NCOMMON; i++) {
        const cli_option *o = i < nopts ? &opts[i] : &common_options[i - nopts];
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0) {
            *index = i;
            return o;
        }
    }
    return NULL;
}

/* One argument that does not start with two dashes: a single-dash long
 * option gets a hint, anything else is a stray argument. */
static int reject_stray(const char *arg, const cli_option *opts, size_t nopts)
{
    size_t i;
    if (arg[0] == '-' && arg[1] != '\0' && arg[1] != '-') {
        const char *eq = strchr(arg + 1, '=');
        size_t len = eq ? (size_t)(eq - arg - 1) : strlen(arg + 1);
        if (find_option(arg + 1, len, opts, nopts, &i))
            return cli_error("'%s': options take two hyphens (--%.*s)",
                             arg, (int)len, arg + 1);
        return cli_error("'%s' is not an option (try --help)", arg);
    }
    return cli_error("unexpected argument '%s' (try --help)", arg);
}

int cli_parse(int argc, char *argv[], const char *summary,
              const cli_option *opts, size_t nopts, cli_common *common)
{
    const char *slash = strrchr(argv[0], '/');
    program = slash ? slash + 1 : argv[0];
    help_flag = 0;
    for (int k = 1; k < argc; k++) {
        const char *arg = argv[k];
        if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            reject_stray(arg, opts, nopts);
            return CLI_EXIT_ERROR;
        }
        const char *eq = strchr(arg + 2, '=');
        size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2), i;
        const cli_option *o = find_option(arg + 2, len, opts, nopts, &i);
        if (!o) {
            cli_error("'%.*s' is not an option (try --help)", (int)len + 2, arg);
            return CLI_EXIT_ERROR;
        }
        void *value = i < nopts ? o->value : common_value(common, i - nopts);
        const char *text = eq ? eq + 1 : NULL;
        if (o->type == CLI_FLAG && text) {
            cli_error("'--%s' takes no value", o->name);
            return CLI_EXIT_ERROR;
        }
        if (o->type != CLI_FLAG && !text) {
            if (k + 1 == argc) {
                cli_error("'--%s' needs a value (try --help)", o->name);
                return CLI_EXIT_ERROR;
            }
            text = argv[++k];
        }
        if (store(o, value, text ? text : "") != 0)
            return CLI_EXIT_ERROR;
    }
    if (help_flag) {
        print_usage(summary, opts, nopts, common);
        return CLI_EXIT_OK;
    }
    return prepare_out_dir(common->out) == 0 ? CLI_RUN : CLI_EXIT_ERROR;
}

int cli_main_status(int parsed)
{
    if (parsed == CLI_RUN)
        return -1;
    return parsed == CLI_EXIT_OK ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* ------------------------------------------------------ a run's output
 *
 * The set is written into the staging folder DIR/.PREFIX.run-PID.  To
 * install it, the journal DIR/.PREFIX.commit (the staging folder's name,
 * then one file name a line) is renamed into place: that is the moment
 * the new set wins.  Then every file is renamed into DIR and the journal
 * removed.  A run killed between those two steps leaves the journal, and
 * the next run_begin of the same prefix completes the renames first. */

enum { RUN_MAXFILES = 96 };

typedef struct {
    void *p;
    void (*free_fn)(void *);
} run_owned;

struct run_output {
    char *dir, *prefix, *stage;
    char *name[RUN_MAXFILES];
    FILE *fp[RUN_MAXFILES];
    int nfiles;
    FILE *values;           /* PREFIX-numbers.tex, file 0 */
    run_owned *owned;
    size_t nowned, capacity;
};

/* What the signal handler removes: paths made before any file opens. */
static char *staged_path[RUN_MAXFILES + 1];
static volatile sig_atomic_t nstaged;
static char *staged_dir;

static void on_signal(int sig)
{
    for (sig_atomic_t i = 0; i < nstaged; i++)
        unlink(staged_path[i]);
    if (staged_dir)
        rmdir(staged_dir);
    signal(sig, SIG_DFL);
    raise(sig);
}

static char *join3(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

/* Removes every file of folder path, then the folder. */
static void remove_folder(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                char *f = join3(path, "/", e->d_name);
                if (f)
                    unlink(f);
                free(f);
            }
        closedir(d);
    }
    rmdir(path);
}

/* Completes the renames of a journal DIR/.PREFIX.commit, if there is one. */
static int roll_forward(const char *dir, const char *prefix)
{
    char *journal = join3(dir, "/.", prefix), *jpath = NULL;
    if (!journal || !(jpath = join3(journal, ".commit", "")))
        return free(journal), cli_error("out of memory");
    free(journal);
    FILE *fp = fopen(jpath, "r");
    if (!fp) {
        free(jpath);
        return 0;
    }
    char line[4096], stage[8192] = "";
    if (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        snprintf(stage, sizeof stage, "%.4000s/%s", dir, line);
    }
    while (stage[0] && fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        char from[16384], to[16384];
        snprintf(from, sizeof from, "%s/%s", stage, line);
        snprintf(to, sizeof to, "%.8000s/%s", dir, line);
        if (rename(from, to) != 0 && errno != ENOENT) {
            fclose(fp);
            free(jpath);
            return cli_error("cannot install '%s': %s", to, strerror(errno));
        }
    }
    fclose(fp);
    unlink(jpath);
    free(jpath);
    if (stage[0])
        remove_folder(stage);
    return 0;
}

/* Removes the staging folders DIR/.PREFIX.run-PID of runs that are gone. */
static void sweep_stale(const char *dir, const char *prefix)
{
    char *lead = join3(".", prefix, ".run-");
    DIR *d = lead ? opendir(dir) : NULL;
    if (d) {
        struct dirent *e;
        size_t n = strlen(lead);
        while ((e = readdir(d))) {
            if (strncmp(e->d_name, lead, n) != 0)
                continue;
            long pid = strtol(e->d_name + n, NULL, 10);
            if (pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) != 0
                && errno == ESRCH) {
                char *f = join3(dir, "/", e->d_name);
                if (f)
                    remove_folder(f);
                free(f);
            }
        }
        closedir(d);
    }
    free(lead);
}

static FILE *stage_file(run_output *r, const char *name)
{
    if (r->nfiles == RUN_MAXFILES) {
        cli_error("%s: too many output files", name);
        return NULL;
    }
    char *path = join3(r->stage, "/", name), *copy = strdup(name);
    if (!path || !copy) {
        free(path), free(copy);
        cli_error("out of memory");
        return NULL;
    }
    staged_path[nstaged] = path;         /* the handler may remove it now */
    nstaged = nstaged + 1;
    FILE *fp = fopen(path, "w");
    if (!fp) {
        cli_error("cannot write '%s': %s", path, strerror(errno));
        nstaged = nstaged - 1;
        free(path), free(copy);
        return NULL;
    }
    r->name[r->nfiles] = copy;
    r->fp[r->nfiles++] = fp;
    return fp;
}

run_output *run_begin(const char *dir, const char *prefix)
{
    if (staged_dir)
        return cli_error("one output set at a time"), NULL;
    if (roll_forward(dir, prefix) != 0)
        return NULL;
    sweep_stale(dir, prefix);
    run_output *r = calloc(1, sizeof *r);
    char pid[32];
    snprintf(pid, sizeof pid, ".run-%ld", (long)getpid());
    if (!r || !(r->dir = strdup(dir)) || !(r->prefix = strdup(prefix))
        || !(r->stage = join3(dir, "/.", prefix))) {
        run_abort(r);
        return cli_error("out of memory"), NULL;
    }
    char *stage = join3(r->stage, pid, "");
    free(r->stage);
    r->stage = stage;
    /* A signal between the mkdir and the handler would leave the folder:
     * the three wait until the handler is in place. */
    sigset_t caught, old;
    sigemptyset(&caught);
    sigaddset(&caught, SIGINT), sigaddset(&caught, SIGTERM);
    sigaddset(&caught, SIGHUP);
    sigprocmask(SIG_BLOCK, &caught, &old);
    if (!stage || mkdir(stage, 0777) != 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (stage)
            cli_error("cannot create '%s': %s", stage, strerror(errno));
        free(r->stage);
        r->stage = NULL;
        run_abort(r);
        return NULL;
    }
    staged_dir = r->stage;
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigprocmask(SIG_SETMASK, &old, NULL);
    char *values = join3(prefix, "-numbers.tex", "");
    if (!values || !(r->values = stage_file(r, values))) {
        free(values);
        run_abort(r);
        return NULL;
    }
    free(values);
    return r;
}

FILE *run_table(run_output *r, const char *name, const char *header, ...)
{
    if (strncmp(name, r->prefix, strlen(r->prefix)) != 0 || strchr(name, '/'))
        run_fail(r, "%s: a data file of this run must start with '%s'", name,
                 r->prefix);
    FILE *fp = stage_file(r, name);
    if (!fp)
        run_fail(r, "%s: the file could not be made (see above)", name);
    char text[4096];
    va_list ap;
    va_start(ap, header);
    vsnprintf(text, sizeof text, header, ap);
    va_end(ap);
    for (char *line = text, *end; *line; line = end) {
        end = line + strcspn(line, "\n");
        fprintf(fp, "# %.*s\n", (int)(end - line), line);
        if (*end)
            end++;
    }
    return fp;
}

void run_row(FILE *fp, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        fprintf(fp, i ? " %.10g" : "%.10g", va_arg(ap, double));
    va_end(ap);
    fputc('\n', fp);
}

void run_value(run_output *r, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(r->values, "\\setval{%s}{", key);
    vfprintf(r->values, fmt, ap);
    fputs("}\n", r->values);
    va_end(ap);
}

const char *run_key(const char *fmt, ...)
{
    static char keys[4][128];
    static unsigned next;
    char *k = keys[next++ % 4];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(k, sizeof keys[0], fmt, ap);
    va_end(ap);
    return k;
}

void run_phrase(run_output *r, const char *key, const char *text)
{
    run_value(r, key, "%s", text);
}

void run_value_sci(run_output *r, const char *key, double x, int digits)
{
    if (x == 0 || !isfinite(x)) {
        run_value(r, key, "%g", x);
        return;
    }
    int e = (int)floor(log10(fabs(x)));
    /* rounding may carry the mantissa to 10: 9.96 -> 10.0 */
    char buf[32];
    snprintf(buf, sizeof buf, "%.*f", digits - 1, x / pow(10, e));
    if (fabs(atof(buf)) >= 10) {
        e += 1;
        snprintf(buf, sizeof buf, "%.*f", digits - 1, x / pow(10, e));
    }
    if (e == 0)
        run_value(r, key, "\\ensuremath{%s}", buf);
    else
        run_value(r, key, "\\ensuremath{%s\\times 10^{%d}}", buf, e);
}

void *run_own(run_output *r, void *p, void (*free_fn)(void *))
{
    if (!p)
        run_fail(r, "out of memory");
    if (r->nowned == r->capacity) {
        size_t cap = r->capacity ? 2 * r->capacity : 32;
        run_owned *grown = realloc(r->owned, cap * sizeof *grown);
        if (!grown) {
            free_fn(p);
            run_fail(r, "out of memory");
        }
        r->owned = grown, r->capacity = cap;
    }
    r->owned[r->nowned++] = (run_owned){p, free_fn};
    return p;
}

void *run_alloc(run_output *r, size_t n, size_t size)
{
    void *p = n && size ? calloc(n, size) : NULL;
    if (!p)
        run_fail(r, "out of memory (%zu x %zu bytes)", n, size);
    return run_own(r, p, free);
}

static void free_vector(void *v) { gsl_vector_free(v); }
static void free_matrix(void *m) { gsl_matrix_free(m); }

gsl_vector *run_vector(run_output *r, size_t n)
{
    gsl_vector *v = n ? gsl_vector_calloc(n) : NULL;
    if (!v)
        run_fail(r, "out of memory (vector of %zu)", n);
    return run_own(r, v, free_vector);
}

gsl_matrix *run_matrix(run_output *r, size_t rows, size_t cols)
{
    gsl_matrix *m = rows && cols ? gsl_matrix_calloc(rows, cols) : NULL;
    if (!m)
        run_fail(r, "out of memory (%zu x %zu matrix)", rows, cols);
    return run_own(r, m, free_matrix);
}

static void free_rng(void *g) { gsl_rng_free(g); }

gsl_rng *run_rng(run_output *r, unsigned long seed)
{
    gsl_rng *g = run_own(r, gsl_rng_alloc(gsl_rng_mt19937), free_rng);
    gsl_rng_set(g, seed);
    return g;
}

double run_clock(int cpu)
{
    if (cpu)
        return (double)clock() / CLOCKS_PER_SEC;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* 1 if the word w of length n spells nan, inf or infinity, in any case. */
static int nonfinite_word(const char *w, size_t n)
{
    static const char *bad[] = {"nan", "inf", "infinity"};
    for (size_t i = 0; i < 3; i++)
        if (strlen(bad[i]) == n && strncasecmp(w, bad[i], n) == 0)
            return 1;
    return 0;
}

/* The line number of the first line of path, not a comment, that holds a
 * NaN or an infinity; 0 if there is none; -1 if path cannot be read. */
static long first_nonfinite_line(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    char line[1 << 14];
    long number = 0, found = 0;
    while (!found && fgets(line, sizeof line, fp)) {
        number++;
        if (line[0] == '#')
            continue;
        const char *p = line;            /* in \setval{key}{value}, the value */
        if (strncmp(line, "\\setval{", 8) == 0 && strstr(line, "}{"))
            p = strstr(line, "}{") + 2;
        for (; *p && !found;) {
            if (!isalpha((unsigned char)*p)) {
                p++;
                continue;
            }
            const char *w = p;
            while (isalpha((unsigned char)*p))
                p++;
            found = (w == line || w[-1] != '\\') && nonfinite_word(w, (size_t)(p - w));
        }
    }
    fclose(fp);
    return found ? number : 0;
}

static int close_and_check(run_output *r)
{
    int status = 0;
    for (int i = 0; i < r->nfiles; i++) {
        int bad = ferror(r->fp[i]);
        bad |= fclose(r->fp[i]) != 0;
        r->fp[i] = NULL;
        if (bad && status == 0)
            status = cli_error("cannot write '%s'", r->name[i]);
    }
    r->values = NULL;
    for (int i = 0; status == 0 && i < r->nfiles; i++) {
        long line = first_nonfinite_line(staged_path[i]);
        if (line != 0)
            status = cli_error("%s, line %ld: %s", r->name[i], line,
                               line < 0 ? "cannot be read back"
                                        : "not a finite number (nothing installed)");
    }
    return status;
}

/* Writes the journal and renames it into place: the new set wins. */
static int write_journal(run_output *r, char **jpath)
{
    char *tmp = join3(r->stage, "/.journal", "");
    *jpath = join3(r->dir, "/.", r->prefix);
    char *j = *jpath ? join3(*jpath, ".commit", "") : NULL;
    free(*jpath);
    *jpath = j;
    FILE *fp = tmp && j ? fopen(tmp, "w") : NULL;
    int status = fp ? 0 : cli_error("cannot write the journal of '%s'", r->dir);
    if (fp) {
        fprintf(fp, "%s\n", strrchr(r->stage, '/') + 1);
        for (int i = 0; i < r->nfiles; i++)
            fprintf(fp, "%s\n", r->name[i]);
        if (ferror(fp) | (fclose(fp) != 0) || rename(tmp, j) != 0)
            status = cli_error("cannot write '%s': %s", j, strerror(errno));
    }
    if (status != 0 && tmp)
        unlink(tmp);
    free(tmp);
    return status;
}

static void run_free(run_output *r)
{
    while (r->nowned > 0) {
        run_owned *o = &r->owned[--r->nowned];
        o->free_fn(o->p);
    }
    free(r->owned);
    for (int i = 0; i < r->nfiles; i++) {
        if (r->fp[i])
            fclose(r->fp[i]);
        free(r->name[i]);
    }
    signal(SIGINT, SIG_DFL), signal(SIGTERM, SIG_DFL), signal(SIGHUP, SIG_DFL);
    for (sig_atomic_t i = nstaged; i > 0; i--)
        free(staged_path[i - 1]);
    nstaged = 0;
    staged_dir = NULL;
    free(r->stage), free(r->prefix), free(r->dir);
    free(r);
}

int run_commit(run_output *r)
{
    char *journal = NULL;
    int status = close_and_check(r);
    /* From the journal to the last rename nothing may interrupt: a caught
     * signal waits until the set is installed. */
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    if (status == 0)
        status = write_journal(r, &journal);
    if (status == 0)
        status = roll_forward(r->dir, r->prefix);
    else
        remove_folder(r->stage);
    sigprocmask(SIG_SETMASK, &old, NULL);
    free(journal);
    run_free(r);
    return status;
}

void run_abort(run_output *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->nfiles; i++)
        if (r->fp[i])
            fclose(r->fp[i]), r->fp[i] = NULL;
    r->values = NULL;
    if (r->stage && staged_dir == r->stage)
        remove_folder(r->stage);
    run_free(r);
}

int run_finish(run_output *r, int failed)
{
    if (!r)
        return EXIT_FAILURE;
    if (failed) {
        run_abort(r);
        return EXIT_FAILURE;
    }
    return run_commit(r) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

_Noreturn void run_fail(run_output *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(fmt, ap);
    va_end(ap);
    run_abort(r);
    exit(EXIT_FAILURE);
}

void run_check(run_output *r, int status, const char *what)
{
    if (status != 0)
        run_fail(r, "%s: %s", what, gsl_strerror(status));
}
