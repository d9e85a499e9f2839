/* bench.h: a clock for the benchmarks. */
#ifndef BENCH_H
#define BENCH_H
#define _POSIX_C_SOURCE 200809L
#include <time.h>

/* Seconds on a monotonic clock. */
static inline double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Keeps a result alive so the compiler cannot drop the work behind it. */
static inline void bench_keep(double x)
{
    __asm__ volatile("" : : "g"(x) : "memory");
}
#endif
