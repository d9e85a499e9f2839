/* fuzz_idx.c: libFuzzer harness of the IDX reader (make fuzz).
 *
 * The first byte of an input chooses the path: even, the rest is
 * written to a file as it is (a plain IDX file, or a gzip file whose
 * compressed bytes the fuzzer mutates); odd, the rest is compressed by
 * zlib first, so that the fuzzer mutates the IDX header and data behind
 * a valid gzip stream.  idx_read reads the file back; an array it
 * accepts becomes images or one-hot labels. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>
#include <zlib.h>

#include "idx.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    gsl_set_error_handler_off();
    snprintf(path, sizeof path, "/tmp/fuzz-idx-%ld", (long)getpid());
    return 0;
}

static int write_input(const uint8_t *data, size_t size)
{
    const int gz = size > 0 && (data[0] & 1);
    gzFile f = gzopen(path, gz ? "wb6" : "wbT");
    if (!f)
        return -1;
    if (size > 1 && gzwrite(f, data + 1, (unsigned)(size - 1)) <= 0) {
        gzclose(f);
        return -1;
    }
    return gzclose(f) == Z_OK ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    idx_array a;
    if (write_input(data, size) != 0 || idx_read(path, &a) != IDX_OK)
        return 0;
    gsl_matrix *M = NULL;
    if (a.rank >= 2)
        idx_images(&a, 1.0 / 255, &M);
    else
        idx_labels(&a, 10, &M);
    gsl_matrix_free(M);
    idx_free(&a);
    return 0;
}
