/* fuzz_image.c: libFuzzer harness of the image reader (make fuzz).
 *
 * Each input goes, from memory, through image_load_stream, the function
 * behind image_read and image_read_folder, whatever its format: PNG,
 * JPEG, PGM or PPM.  The largest side is small (16) and the smallest 1,
 * so that tiny images are decoded to the end; the pixel budget is 4
 * Mpixel instead of 64, so that one input costs milliseconds, not
 * seconds.  A decoded image is whitened.  A failure whose message is
 * empty, or more than one line, is a finding: the harness aborts. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "image.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    gsl_set_error_handler_off();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char name[] = "fuzz-input";
    FILE *fp = size ? fmemopen((void *)data, size, "rb") : NULL;
    if (!fp)
        return 0;
    image_limits lim = image_default_limits(16);
    lim.min_side = 1;
    lim.max_pixels = lim.max_total = (size_t)4 << 20;
    gsl_matrix *img = NULL;
    char why[512] = "";
    if (image_load_stream(fp, name, &lim, &img, why, sizeof why) == GSL_SUCCESS) {
        image_whiten(img, 0.4, 0.1);
        gsl_matrix_free(img);
    } else if (strlen(why) <= sizeof name + 1 || strchr(why, '\n')
               || strncmp(why, name, sizeof name - 1) != 0) {
        fprintf(stderr, "bad reason: \"%s\"\n", why);
        abort();
    }
    fclose(fp);
    return 0;
}
