/* smoke.h: smoke tests of a chapter program, registered from the command
 * line of the runner as PROGRAM:DATA,DATA,... (the data files its figures
 * read); and runs of a chapter program with chosen knobs, for the tests
 * of a chapter's claims and exercises. */
#ifndef SMOKE_H
#define SMOKE_H

#include <stddef.h>

/* Adds a suite that runs PROGRAM --quick and checks what it writes and how
 * it rejects bad input.  spec is "PROGRAM:DATA,DATA,...". */
void smoke_register(const char *spec);

/* One run of a chapter program into a fresh temporary folder. */
typedef struct {
    char dir[256];      /* the --out folder, removed by chapter_run_free */
    int status;         /* exit status; -1 if it could not run or died   */
} chapter_run;

/* Runs chapter n's program (as given to the runner) with the arguments
 * args (NULL-terminated; --out is added) and waits for it.  Returns
 * r->status.  stdout and stderr go to files in r->dir (".stdout",
 * ".stderr").  A test that calls it must be registered after the
 * program was: the runner registers the programs before it runs. */
int chapter_run_args(int n, const char *const args[], chapter_run *r);

/* The value \setval{key}{...} of the run's numbers file as a number:
 * plain numbers, and m\times 10^{e} inside \ensuremath, are understood.
 * NAN when the key is missing or not a number. */
double chapter_value(const chapter_run *r, const char *key);

/* The raw text of the value, copied into buf (n bytes); NULL if missing. */
const char *chapter_text(const chapter_run *r, const char *key, char *buf,
                         size_t n);

/* Removes the run's folder. */
void chapter_run_free(chapter_run *r);

#endif
