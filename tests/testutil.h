/* testutil.h: random inputs shared by the test suites of the network
 * modules.  Everything is seeded, so a failing test fails the same way
 * on every run. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <CUnit/CUnit.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "layer.h"

/* A Mersenne twister seeded with seed; the caller frees it. */
static inline gsl_rng *rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    return r;
}

/* A random chain, weights drawn by chain_randomize with the given gain and
 * biases from N(0, bias_sd^2), so that every parameter matters. */
static inline chain *random_chain_with(size_t depth, const size_t *width,
                                       const layer_activation *act, double gain,
                                       double bias_sd, gsl_rng *r)
{
    chain *c = chain_alloc(depth, width, act);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    chain_randomize(c, r, gain);
    for (size_t l = 0; l < c->depth; l++)
        for (size_t k = 0; k < c->layers[l].out; k++)
            gsl_vector_set(&c->layers[l].b.vector, k, gsl_ran_gaussian(r, bias_sd));
    return c;
}

/* Fills M with independent N(0, 1) entries. */
static inline void fill_gaussian(gsl_matrix *M, gsl_rng *r)
{
    for (size_t i = 0; i < M->size1; i++)
        for (size_t j = 0; j < M->size2; j++)
            gsl_matrix_set(M, i, j, gsl_ran_gaussian(r, 1.0));
}

#endif
