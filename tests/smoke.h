/* smoke.h: smoke tests of a chapter program, registered from the command
 * line of the runner as PROGRAM:DATA,DATA,... (the data files its figures
 * read). */
#ifndef SMOKE_H
#define SMOKE_H

/* Adds a suite that runs PROGRAM --quick and checks what it writes and how
 * it rejects bad input.  spec is "PROGRAM:DATA,DATA,...". */
void smoke_register(const char *spec);

#endif
