/* cli.h: the plumbing every chapter program shares, and no reader needs.
 *
 * - An option table parsed with getopt_long: every chapter program takes
 *   --help, --seed N, --out DIR and --quick, plus its own knobs; numbers
 *   are parsed whole, must be finite and in range.
 * - Output files that appear whole or not at all: written to a temporary
 *   file beside the target and renamed into place when complete.
 * - The file of measured values that the prose quotes (\setval lines).
 * - Progress on stderr, only when stderr is a terminal.
 *
 * Errors are reported as one line on stderr, "PROGRAM: what went wrong",
 * and a status: nothing here calls exit.
 */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>
#include <stdio.h>

typedef enum { CLI_DOUBLE, CLI_ULONG, CLI_FLAG, CLI_STRING } cli_type;

typedef struct {
    const char *name;   /* long option, without the dashes              */
    cli_type type;
    void *value;        /* double*, unsigned long*, int* or const char**;
                           enters with the default, leaves with the value */
    double lo, hi;      /* accepted closed range, for CLI_DOUBLE/ULONG    */
    const char *help;   /* one line; the default is appended to it        */
} cli_option;

typedef struct {
    unsigned long seed; /* --seed N: every random choice derives from it  */
    const char *out;    /* --out DIR: where data files go (created)       */
    int quick;          /* --quick: a small, fast run for the tests       */
} cli_common;

enum { CLI_RUN = 0, CLI_EXIT_OK = 1, CLI_EXIT_ERROR = 2 };

/* Parses argv against the chapter's options and the common ones, and makes
 * sure common->out exists (created if missing) and is writable.  Returns
 * CLI_RUN, CLI_EXIT_OK after --help (usage on stdout), or CLI_EXIT_ERROR
 * after one line on stderr.  common enters with the defaults. */
int cli_parse(int argc, char *argv[], const char *summary,
              const cli_option *opts, size_t nopts, cli_common *common);

/* The program's name, for messages ("chapter1"). */
const char *cli_program(void);

/* Prints "PROGRAM: message" and a newline on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints to stderr when stderr is a terminal; otherwise does nothing. */
void cli_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An output file that appears whole or not at all. */
typedef struct {
    FILE *fp;
    char *path;         /* the final name                          */
    char *tmp;          /* the temporary beside it, until commit   */
} out_file;

/* Opens dir/name for writing (really a temporary beside it).  Returns 0, or
 * -1 after an error line. */
int out_open(out_file *f, const char *dir, const char *name);

/* Flushes, closes and renames the file into place.  On any write error the
 * temporary is removed, an error line printed, and -1 returned. */
int out_commit(out_file *f);

/* Closes and removes the temporary: nothing is left behind. Safe to call
 * on a file that was never opened or is already committed. */
void out_discard(out_file *f);

/* Writes the line \setval{key}{value} that \val{key} in the prose reads.
 * value is printf-formatted. */
void out_value(FILE *fp, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes \setval{key}{m\times 10^{e}} (inside \ensuremath) with the given
 * number of significant digits; plain m when the exponent is 0. */
void out_value_sci(FILE *fp, const char *key, double x, int digits);

#endif
