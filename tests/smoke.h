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

/* Removes the run's folder; nothing for a run declared = {0} and never
 * started (as when an earlier run of the same test failed). */
void chapter_run_free(chapter_run *r);

/* chapter_run_args, with CUnit's assertion that the program exited 0.
 * Returns 1 if it did, 0 otherwise. */
int chapter_ok(int n, const char *const args[], chapter_run *r);

/* chapter_ok with "--quick" before the knobs (NULL-terminated; NULL for
 * none): the quick run that most claims and exercises are checked on. */
int chapter_quick(int n, const char *const knobs[], chapter_run *r);

/* The knobs of a call, as a NULL-terminated array in place:
 * chapter_quick(2, KNOBS("--lr", "1.8"), &r). */
#define KNOBS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* The quick run of chapter n without knobs, made at the first call and
 * kept for the comparisons of the chapter's tests; NULL if it failed (it
 * is not tried again).  chapter_base_free, a suite's clean-up, removes
 * the kept runs. */
const chapter_run *chapter_base(int n);
int chapter_base_free(void);

/* chapter_value, with CUnit's assertion that it is a finite number. */
double chapter_number(const chapter_run *r, const char *key);

/* Whether the run's text of key contains word (0 when key is missing). */
int chapter_says(const chapter_run *r, const char *key, const char *word);

#endif
