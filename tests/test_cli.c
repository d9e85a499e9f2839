/* test_cli.c: the plumbing every chapter program stands on.
 *
 * - The option parser names the argument that was wrong, exactly as typed,
 *   and tells a single-dash long option to take two hyphens.
 * - A run's output set appears whole or not at all: after a commit every
 *   file is new; after an abort, a NaN, SIGINT, SIGTERM or SIGKILL at any
 *   point the previous set is there, byte for byte, and no temporary is
 *   left (a killed run's staging folder is swept by the next run, and a
 *   commit cut short after its journal is completed by the next run).
 *   A step that fails (run_fail, run_check, no memory, a misnamed table)
 *   prints one line, exits with status 1 and leaves the previous set.
 */
#define _POSIX_C_SOURCE 200809L
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "cli.h"

/* ------------------------------------------------------------ helpers */

static char dir[64];

static void fresh_dir(void)
{
    char cmd[128];
    if (dir[0]) {
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        CU_ASSERT(system(cmd) == 0);
    }
    snprintf(dir, sizeof dir, "/tmp/test-cli-XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
}

static char *slurp(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    static char buf[8][4096];
    static int k;
    char *b = buf[k++ % 8];
    size_t n = fread(b, 1, sizeof buf[0] - 1, fp);
    b[n] = '\0';
    fclose(fp);
    return b;
}

/* Entries of dir, hidden ones counted apart. */
static void count(int *visible, int *hidden)
{
    *visible = *hidden = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            ++*(e->d_name[0] == '.' ? hidden : visible);
    if (d)
        closedir(d);
}

/* One complete set: ch9-a.dat, ch9-b.dat and ch9-numbers.tex tagged. */
static int write_set(const char *tag, double last)
{
    run_output *r = run_begin(dir, "ch9");
    if (!r)
        return -1;
    FILE *a = run_table(r, "ch9-a.dat", "set %s\nx y", tag);
    FILE *b = run_table(r, "ch9-b.dat", "set %s", tag);
    run_row(a, 2, 1.0, 2.0);
    run_row(b, 1, last);
    run_value(r, "ch9-tag", "%s", tag);
    return run_finish(r, 0) == EXIT_SUCCESS ? 0 : -1;
}

static int set_is(const char *tag)
{
    char want[64];
    snprintf(want, sizeof want, "\\setval{ch9-tag}{%s}\n", tag);
    const char *a = slurp("ch9-a.dat"), *b = slurp("ch9-b.dat");
    const char *v = slurp("ch9-numbers.tex");
    char head[64];
    snprintf(head, sizeof head, "# set %s\n", tag);
    return a && b && v && strncmp(a, head, strlen(head)) == 0
        && strncmp(b, head, strlen(head)) == 0 && strcmp(v, want) == 0;
}

/* ------------------------------------------------------------ output sets */

static void test_commit_installs_the_whole_set(void)
{
    fresh_dir();
    CU_ASSERT_EQUAL(write_set("old", 1), 0);
    CU_ASSERT(set_is("old"));
    CU_ASSERT_EQUAL(write_set("new", 2), 0);
    CU_ASSERT(set_is("new"));
    int visible, hidden;
    count(&visible, &hidden);
    CU_ASSERT_EQUAL(visible, 3);
    CU_ASSERT_EQUAL(hidden, 0);
}

static void test_nan_installs_nothing(void)
{
    fresh_dir();
    CU_ASSERT_EQUAL(write_set("old", 1), 0);
    fprintf(stderr, "(one line expected) ");
    CU_ASSERT_EQUAL(write_set("new", NAN), -1);
    CU_ASSERT(set_is("old"));
    fprintf(stderr, "(one line expected) ");
    CU_ASSERT_EQUAL(write_set("new", INFINITY), -1);
    CU_ASSERT(set_is("old"));
    int visible, hidden;
    count(&visible, &hidden);
    CU_ASSERT_EQUAL(hidden, 0);
}

static void test_a_nan_value_installs_nothing(void)
{
    fresh_dir();
    CU_ASSERT_EQUAL(write_set("old", 1), 0);
    run_output *r = run_begin(dir, "ch9");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    run_value(r, "ch9-tag", "%g", NAN);
    run_value(r, "ch9-inf-free", "\\infty");
    fprintf(stderr, "(one line expected) ");
    CU_ASSERT_EQUAL(run_commit(r), -1);
    CU_ASSERT(set_is("old"));
}

/* Scientific notation rounds the mantissa first: 9.96 to two digits is
   1.0 x 10^1, never 10 x 10^0; small numbers keep a negative exponent. */
static void test_scientific_values_round_the_mantissa(void)
{
    fresh_dir();
    run_output *r = run_begin(dir, "ch9");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    run_value_sci(r, "ch9-a", 9.96, 2);
    run_value_sci(r, "ch9-b", -3.14159e-7, 3);
    run_value_sci(r, "ch9-c", 4.5, 2);
    run_value_sci(r, "ch9-d", 0, 2);
    const char *k1 = run_key("ch9-%s-%d", "e", 1), *k2 = run_key("ch9-f");
    CU_ASSERT_STRING_EQUAL(k1, "ch9-e-1");
    run_value(r, k2, "%d", 2);
    CU_ASSERT_EQUAL_FATAL(run_commit(r), 0);
    const char *v = slurp("ch9-numbers.tex");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_STRING_EQUAL(v,
        "\\setval{ch9-a}{\\ensuremath{1.0\\times 10^{1}}}\n"
        "\\setval{ch9-b}{\\ensuremath{-3.14\\times 10^{-7}}}\n"
        "\\setval{ch9-c}{\\ensuremath{4.5}}\n"
        "\\setval{ch9-d}{0}\n"
        "\\setval{ch9-f}{2}\n");
}

static void test_abort_keeps_the_old_set(void)
{
    fresh_dir();
    CU_ASSERT_EQUAL(write_set("old", 1), 0);
    run_output *r = run_begin(dir, "ch9");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    FILE *a = run_table(r, "ch9-a.dat", "set new");
    CU_ASSERT_PTR_NOT_NULL(a);
    double *x = run_alloc(r, 100, sizeof *x);   /* freed by the abort */
    CU_ASSERT_PTR_NOT_NULL(x);
    run_abort(r);
    CU_ASSERT(set_is("old"));
    int visible, hidden;
    count(&visible, &hidden);
    CU_ASSERT_EQUAL(hidden, 0);
}

/* A child writes half a set and then receives sig at point `when`
 * (0: right after run_begin, 1: after one file, 2: after every file). */
static void killed_run(int sig, int when)
{
    pid_t pid = fork();
    if (pid == 0) {
        run_output *r = run_begin(dir, "ch9");
        if (!r)
            _exit(3);
        if (when >= 1)
            run_row(run_table(r, "ch9-a.dat", "set new"), 1, 5.0);
        if (when >= 2) {
            run_row(run_table(r, "ch9-b.dat", "set new"), 1, 5.0);
            run_value(r, "ch9-tag", "new");
        }
        raise(sig);
        _exit(4);
    }
    int status;
    CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == sig);
}

static void test_signals_leave_the_old_set(void)
{
    const int sigs[] = {SIGINT, SIGTERM, SIGKILL};
    for (int s = 0; s < 3; s++)
        for (int when = 0; when < 3; when++) {
            fresh_dir();
            CU_ASSERT_EQUAL(write_set("old", 1), 0);
            killed_run(sigs[s], when);
            CU_ASSERT(set_is("old"));
            int visible, hidden;
            count(&visible, &hidden);
            CU_ASSERT_EQUAL(visible, 3);
            /* a caught signal cleans up; SIGKILL leaves the staging folder */
            CU_ASSERT_EQUAL(hidden, sigs[s] == SIGKILL ? 1 : 0);
            CU_ASSERT_EQUAL(write_set("next", 3), 0);   /* sweeps it */
            CU_ASSERT(set_is("next"));
            count(&visible, &hidden);
            CU_ASSERT_EQUAL(hidden, 0);
        }
}

/* A commit killed after its journal was written (the new set has won, but
 * only some files were renamed) is completed by the next run_begin. */
static void test_a_cut_commit_is_completed(void)
{
    fresh_dir();
    CU_ASSERT_EQUAL(write_set("old", 1), 0);
    char stage[128], path[256];
    snprintf(stage, sizeof stage, "%s/.ch9.run-999999999", dir);
    CU_ASSERT_EQUAL_FATAL(mkdir(stage, 0777), 0);
    const char *names[] = {"ch9-numbers.tex", "ch9-a.dat", "ch9-b.dat"};
    const char *text[] = {"\\setval{ch9-tag}{new}\n", "# set new\n1 2\n",
                          "# set new\n2\n"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", i == 0 ? dir : stage, names[i]);
        FILE *fp = fopen(path, "w");    /* the first was already renamed */
        CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
        fputs(text[i], fp);
        fclose(fp);
    }
    snprintf(path, sizeof path, "%s/.ch9.commit", dir);
    FILE *j = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    fprintf(j, ".ch9.run-999999999\nch9-numbers.tex\nch9-a.dat\nch9-b.dat\n");
    fclose(j);
    run_output *r = run_begin(dir, "ch9");       /* completes, then starts */
    CU_ASSERT_PTR_NOT_NULL(r);
    CU_ASSERT(set_is("new"));
    run_abort(r);
    int visible, hidden;
    count(&visible, &hidden);
    CU_ASSERT_EQUAL(visible, 3);
    CU_ASSERT_EQUAL(hidden, 0);
}

/* The one line a child wrote to the file err, newline stripped, into
 * line; "more than one line" if it wrote more. */
static void stderr_line(const char *err, char *line, size_t len)
{
    FILE *fp = fopen(err, "r");
    line[0] = '\0';
    if (fp) {
        if (!fgets(line, (int)len, fp))
            line[0] = '\0';
        if (fgetc(fp) != EOF)
            snprintf(line, len, "more than one line");
        fclose(fp);
        remove(err);
    }
    line[strcspn(line, "\n")] = '\0';
}

/* Forks a child whose stderr goes to the file dir/.err. */
static pid_t fork_to_err(void)
{
    char err[128];
    snprintf(err, sizeof err, "%s/.err", dir);
    const pid_t pid = fork();
    if (pid == 0 && !freopen(err, "w", stderr))
        _exit(9);
    return pid;
}

/* Waits for a child of fork_to_err; its stderr, one line, into line.
   Returns its exit status, -1 if it did not exit. */
static int child_end(pid_t pid, char *line, size_t len)
{
    char err[128];
    snprintf(err, sizeof err, "%s/.err", dir);
    int status;
    waitpid(pid, &status, 0);
    stderr_line(err, line, len);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A child begins a set over the old one, writes a file, and then takes
 * the failing step `how` (0: a table named without the prefix, 1: a
 * failed status through run_check, 2: no memory); returns its exit
 * status, and its stderr in line. */
static int failing_step(int how, char *line, size_t len)
{
    const pid_t pid = fork_to_err();
    if (pid == 0) {
        run_output *r = run_begin(dir, "ch9");
        if (!r)
            _exit(3);
        run_row(run_table(r, "ch9-a.dat", "set new"), 1, 5.0);
        if (how == 0)
            run_table(r, "ch9-../x.dat", "x");
        else if (how == 1)
            run_check(r, GSL_EMAXITER, "the solver");
        else
            run_alloc(r, 0, sizeof(double));
        _exit(4);
    }
    return child_end(pid, line, len);
}

static void test_a_failed_step_keeps_the_old_set(void)
{
    static const char *const want[] = {
        "program: ch9-../x.dat: a data file of this run must start with 'ch9'",
        "program: the solver: exceeded max number of iterations",
        "program: out of memory (0 x 8 bytes)"};
    for (int how = 0; how < 3; how++) {
        char line[256];
        fresh_dir();
        CU_ASSERT_EQUAL(write_set("old", 1), 0);
        CU_ASSERT_EQUAL(failing_step(how, line, sizeof line), EXIT_FAILURE);
        CU_ASSERT_STRING_EQUAL(line, want[how]);
        CU_ASSERT(set_is("old"));
        int visible, hidden;
        count(&visible, &hidden);
        CU_ASSERT_EQUAL(visible, 3);
        CU_ASSERT_EQUAL(hidden, 0);
    }
}

/* ------------------------------------------------------------ options */

/* Runs cli_parse in a child with stderr to a file; returns the line. */
static const char *parse_error(const char *const args[])
{
    static char line[512];
    const pid_t pid = fork_to_err();
    if (pid == 0) {
        double lr = 0.5;
        unsigned long batch = 10;
        const cli_option table[] = {
            {"lr", CLI_DOUBLE, &lr, 0, 2, "learning rate"},
            {"batch", CLI_ULONG, &batch, 1, 100, "batch size"},
        };
        char *argv[16] = {"build/x/chapter9"};
        int argc = 1;
        while (args[argc - 1])
            argv[argc] = (char *)args[argc - 1], argc++;
        cli_common c = {.seed = 1, .out = dir};
        const int parsed = cli_parse(argc, argv, "test", table, 2, &c);
        fflush(stderr);
        _exit(parsed);
    }
    const int status = child_end(pid, line, sizeof line);
    if (strcmp(line, "more than one line") == 0)
        return line;
    return status == CLI_EXIT_ERROR ? line : "accepted";
}

static void test_options_name_what_was_wrong(void)
{
    fresh_dir();
    struct { const char *args[4]; const char *said; } cases[] = {
        {{"-lr", "2", NULL}, "chapter9: '-lr': options take two hyphens (--lr)"},
        {{"-batch", "5", NULL},
         "chapter9: '-batch': options take two hyphens (--batch)"},
        {{"--bogus", "1", NULL}, "chapter9: '--bogus' is not an option (try --help)"},
        {{"--lr=2", "--nope=3", NULL},
         "chapter9: '--nope' is not an option (try --help)"},
        {{"-x", NULL}, "chapter9: '-x' is not an option (try --help)"},
        {{"1", NULL}, "chapter9: unexpected argument '1' (try --help)"},
        {{"--lr", NULL}, "chapter9: '--lr' needs a value (try --help)"},
        {{"--lr", "abc", NULL}, "chapter9: --lr: 'abc' is not a finite number"},
        {{"--lr", "3", NULL}, "chapter9: --lr: 3 is outside [0, 2]"},
        {{"--batch", "-1", NULL}, "chapter9: --batch: '-1' is not a whole number"},
        {{"--quick=1", NULL}, "chapter9: '--quick' takes no value"},
        {{"--lr", "2", "--batch=5", NULL}, "accepted"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *said = parse_error(cases[i].args);
        CU_ASSERT_STRING_EQUAL(said, cases[i].said);
        if (strcmp(said, cases[i].said) != 0)
            fprintf(stderr, "\n  got: %s\n  want: %s\n", said, cases[i].said);
    }
}

void suite_cli(void)
{
    CU_pSuite s = CU_add_suite("cli: options and output sets", NULL, NULL);
    CU_add_test(s, "a commit installs the whole set", test_commit_installs_the_whole_set);
    CU_add_test(s, "a NaN or inf in a data file installs nothing", test_nan_installs_nothing);
    CU_add_test(s, "a NaN value installs nothing", test_a_nan_value_installs_nothing);
    CU_add_test(s, "scientific values round the mantissa first",
                test_scientific_values_round_the_mantissa);
    CU_add_test(s, "an abort keeps the old set", test_abort_keeps_the_old_set);
    CU_add_test(s, "SIGINT, SIGTERM, SIGKILL at three points keep the old set",
                test_signals_leave_the_old_set);
    CU_add_test(s, "a commit cut after its journal is completed", test_a_cut_commit_is_completed);
    CU_add_test(s, "a failed step (no prefix, a failed status, no memory) keeps the old set",
                test_a_failed_step_keeps_the_old_set);
    CU_add_test(s, "options: the wrong argument is named as typed", test_options_name_what_was_wrong);
}
