/* cli.c: option parsing, atomic output files and measured values for the
 * chapter programs.  See cli.h for the contracts. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *program = "program";

const char *cli_program(void) { return program; }

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", program);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
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
    if (text[0] == '-' || text[0] == '+' || text[0] == ' ' || text[0] == '\0') {
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

static void *common_value(cli_common *c, size_t i)
{
    static int help;
    void *v[NCOMMON] = {&c->seed, &c->out, &c->quick, &help};
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
        if (mkdir(dir, 0777) != 0) {
            cli_error("--out: cannot create '%s': %s", dir, strerror(errno));
            return -1;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        cli_error("--out: '%s' is not a folder", dir);
        return -1;
    }
    size_t n = strlen(dir) + 32;
    char *probe = malloc(n);
    if (!probe) {
        cli_error("out of memory");
        return -1;
    }
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

int cli_parse(int argc, char *argv[], const char *summary,
              const cli_option *opts, size_t nopts, cli_common *common)
{
    const char *slash = strrchr(argv[0], '/');
    program = slash ? slash + 1 : argv[0];

    size_t n = nopts + NCOMMON;
    struct option *longopts = calloc(n + 1, sizeof *longopts);
    if (!longopts) {
        cli_error("out of memory");
        return CLI_EXIT_ERROR;
    }
    for (size_t i = 0; i < n; i++) {
        const cli_option *o = i < nopts ? &opts[i] : &common_options[i - nopts];
        longopts[i] = (struct option){o->name, o->type == CLI_FLAG ? no_argument
                                                                   : required_argument,
                                      NULL, (int)i + 256};
    }

    int status = CLI_RUN, c;
    opterr = 0;
    optind = 1;
    while (status == CLI_RUN && (c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (c == '?' || c == ':') {
            const char *what = c == ':' ? "needs an argument" : "is not an option";
            cli_error("'%s' %s (try --help)", argv[optind - 1], what);
            status = CLI_EXIT_ERROR;
            break;
        }
        size_t i = (size_t)(c - 256);
        const cli_option *o = i < nopts ? &opts[i] : &common_options[i - nopts];
        void *value = i < nopts ? o->value : common_value(common, i - nopts);
        if (store(o, value, optarg) != 0)
            status = CLI_EXIT_ERROR;
        else if (i == n - 1) /* --help */
            status = CLI_EXIT_OK;
    }
    free(longopts);

    if (status == CLI_RUN && optind < argc) {
        cli_error("unexpected argument '%s' (try --help)", argv[optind]);
        status = CLI_EXIT_ERROR;
    }
    if (status == CLI_EXIT_OK)
        print_usage(summary, opts, nopts, common);
    if (status == CLI_RUN && prepare_out_dir(common->out) != 0)
        status = CLI_EXIT_ERROR;
    return status;
}

/* ------------------------------------------------------------ output */

static char *join(const char *dir, const char *prefix, const char *name, const char *suffix)
{
    size_t n = strlen(dir) + strlen(prefix) + strlen(name) + strlen(suffix) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s%s%s", dir, prefix, name, suffix);
    return s;
}

int out_open(out_file *f, const char *dir, const char *name)
{
    *f = (out_file){0};
    f->path = join(dir, "", name, "");
    f->tmp = join(dir, ".", name, ".XXXXXX");
    if (!f->path || !f->tmp) {
        cli_error("out of memory");
        out_discard(f);
        return -1;
    }
    int fd = mkstemp(f->tmp);
    if (fd < 0 || fchmod(fd, 0644) != 0 || !(f->fp = fdopen(fd, "w"))) {
        cli_error("cannot write '%s': %s", f->path, strerror(errno));
        if (fd >= 0)
            close(fd);
        out_discard(f);
        return -1;
    }
    return 0;
}

int out_commit(out_file *f)
{
    int bad = ferror(f->fp);
    bad |= fclose(f->fp) != 0;
    f->fp = NULL;
    if (bad || rename(f->tmp, f->path) != 0) {
        cli_error("cannot write '%s': %s", f->path, strerror(errno));
        out_discard(f);
        return -1;
    }
    free(f->tmp);
    free(f->path);
    *f = (out_file){0};
    return 0;
}

void out_discard(out_file *f)
{
    if (f->fp)
        fclose(f->fp);
    if (f->tmp)
        unlink(f->tmp); /* after a failed mkstemp it names no file: harmless */
    free(f->tmp);
    free(f->path);
    *f = (out_file){0};
}

void out_value(FILE *fp, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(fp, "\\setval{%s}{", key);
    vfprintf(fp, fmt, ap);
    fputs("}\n", fp);
    va_end(ap);
}

void out_value_sci(FILE *fp, const char *key, double x, int digits)
{
    if (x == 0 || !isfinite(x)) {
        out_value(fp, key, "%g", x);
        return;
    }
    int e = (int)floor(log10(fabs(x)));
    double m = x / pow(10, e);
    /* rounding may carry the mantissa to 10: 9.96 -> 10.0 */
    char buf[32];
    snprintf(buf, sizeof buf, "%.*f", digits - 1, m);
    if (fabs(atof(buf)) >= 10) {
        e += 1;
        m = x / pow(10, e);
        snprintf(buf, sizeof buf, "%.*f", digits - 1, m);
    }
    if (e == 0)
        out_value(fp, key, "\\ensuremath{%s}", buf);
    else
        out_value(fp, key, "\\ensuremath{%s\\times 10^{%d}}", buf, e);
}
