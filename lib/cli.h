/* cli.h: the plumbing every chapter program shares, and no reader needs.
 *
 * - An option table: every chapter program takes --help, --seed N,
 *   --out DIR and --quick, plus its own knobs; numbers are parsed whole,
 *   must be finite and in range.  A wrong argument is named exactly.
 * - A run's output set (run_begin ... run_commit): every data file and the
 *   file of measured values that the prose quotes are written into a
 *   staging folder beside the output, checked (no write error, no NaN or
 *   infinity anywhere), and only then installed, all of them, through a
 *   journal.  A failure or a signal at any point leaves the previous set.
 * - Memory owned by the run, freed by run_commit or run_abort, so that an
 *   experiment needs no free cascade on its error paths.
 * - Progress on stderr, only when stderr is a terminal.
 *
 * Errors are reported as one line on stderr, "PROGRAM: what went wrong",
 * and a status: nothing here calls exit (but the handler of SIGINT and
 * SIGTERM, which removes the staging folder first).
 */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>
#include <stdio.h>

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>

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
 * sure common->out exists (created if missing) and is writable.  Options
 * are --name VALUE or --name=VALUE.  Returns CLI_RUN, CLI_EXIT_OK after
 * --help (usage on stdout), or CLI_EXIT_ERROR after one line on stderr
 * that names the offending argument as it was typed.  common enters with
 * the defaults. */
int cli_parse(int argc, char *argv[], const char *summary,
              const cli_option *opts, size_t nopts, cli_common *common);

/* The whole of a chapter program's option handling: cli_parse, then the
 * exit status main should return when there is nothing to run.  Returns
 * -1 when the program should go on. */
int cli_main_status(int parsed);

/* The program's name, for messages ("chapter1"). */
const char *cli_program(void);

/* Prints "PROGRAM: message" and a newline on stderr.  Returns -1, so that
 * a failed step reads `return cli_error("...", ...);`. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Returns 0 if status is 0 (GSL_SUCCESS); otherwise prints
 * "PROGRAM: what: GSL's reason" and returns -1. */
int cli_check(int status, const char *what);

/* Prints to stderr when stderr is a terminal; otherwise does nothing. */
void cli_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ------------------------------------------------------ a run's output */

typedef struct run_output run_output;

/* Begins the output set of a run in dir: every file whose name starts with
 * prefix (for instance "ch1") belongs to it.  First completes a commit that
 * a killed run left half-done and sweeps staging folders of killed runs;
 * then makes a fresh staging folder.  Returns NULL after an error line. */
run_output *run_begin(const char *dir, const char *prefix);

/* Opens the data file name (it must start with the prefix) in the set and
 * writes its header: each line of the printf-formatted header becomes a
 * comment line "# ...".  Returns the stream to write rows to; never NULL
 * (a file that cannot be made ends the program through run_fail).  The
 * run closes it. */
FILE *run_table(run_output *r, const char *name, const char *header, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes one row of n numbers, separated by spaces, with 10 significant
 * digits (%.10g). */
void run_row(FILE *fp, int n, ...);

/* Records \setval{key}{value} in PREFIX-numbers.tex, the file of measured
 * values that \val{key} in the prose reads.  value is printf-formatted. */
void run_value(run_output *r, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records \setval{key}{m\times 10^{e}} (inside \ensuremath) with the given
 * number of significant digits; plain m when the exponent is 0. */
void run_value_sci(run_output *r, const char *key, double x, int digits);

/* A key made from a format, for run_value and its kin when the key
 * depends on a loop: run_value(r, run_key("ch1-order-%s", name), ...).
 * The string lives until the fourth call after this one. */
const char *run_key(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Records a phrase chosen by the run (text, not a number). */
void run_phrase(run_output *r, const char *key, const char *text);

/* Memory owned by the run: zeroed, freed by run_commit or run_abort.
 * Never NULL: when memory runs out (or n is 0), run_fail ends the
 * program. */
void *run_alloc(run_output *r, size_t n, size_t size);
gsl_vector *run_vector(run_output *r, size_t n);
gsl_matrix *run_matrix(run_output *r, size_t rows, size_t cols);

/* Registers free_fn(p), called by run_commit or run_abort (last registered,
 * first called), and returns p.  p == NULL (an allocation that failed), or
 * no room to register it, ends the program through run_fail. */
void *run_own(run_output *r, void *p, void (*free_fn)(void *));

/* A Mersenne Twister owned by the run, seeded with seed.  Never NULL. */
gsl_rng *run_rng(run_output *r, unsigned long seed);

/* Seconds on the wall clock (cpu == 0), or of processor time of the whole
 * process, all its threads (cpu == 1). */
double run_clock(int cpu);

/* ------------------------------------------- a step that cannot fail */

/* Ends the program: prints "PROGRAM: message" on stderr, abandons the run
 * r (its staging folder is removed and the previous output stays whole; r
 * may be NULL) and exits with status 1.  For what a chapter cannot go on
 * from: no memory, a file that cannot be written, a solver that failed.
 * Call it from the main thread only. */
_Noreturn void run_fail(run_output *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Nothing if status is 0 (GSL_SUCCESS); otherwise
 * run_fail(r, "what: GSL's reason"). */
void run_check(run_output *r, int status, const char *what);

/* Checks every file of the set (no write error, no NaN or infinity in any
 * line that is not a comment) and installs the whole set in dir.  Frees r.
 * Returns 0, or -1 after an error line, leaving the previous set. */
int run_commit(run_output *r);

/* Forgets the set: removes the staging folder, frees r.  NULL is fine. */
void run_abort(run_output *r);

/* Ends a chapter program: commits r if failed is 0, aborts it otherwise,
 * and returns the exit status for main. */
int run_finish(run_output *r, int failed);

#endif
