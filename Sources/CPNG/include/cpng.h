#ifndef CEPHALOFORGE_CPNG_H
#define CEPHALOFORGE_CPNG_H

#include <stddef.h>
#include <stdint.h>
#include <png.h>

/// Writes a grayscale PNG (bit depth 8 or 16; 16-bit samples in host order)
/// with one optional tEXt chunk and, when `pixels_per_metre` > 0, a pHYs chunk giving
/// the pixel size (the same along x and y). `two_level` (images of only 0 and 255) writes
/// rows unfiltered with run-length deflate: smaller and faster for such images.
/// Returns 0 on success; on failure
/// returns non-zero and copies libpng's message into `error` (NUL-terminated).
int cf_png_write_gray(const char *path, uint32_t width, uint32_t height,
                      int bit_depth, const void *pixels, size_t row_bytes,
                      const char *text_key, const char *text_value,
                      uint32_t pixels_per_metre, int compression_level, int two_level,
                      char *error, size_t error_size);

/// The simplified-API format constants, which Swift does not import.
enum {
    CF_PNG_FORMAT_GRAY = 0,
    CF_PNG_FORMAT_LINEAR_Y = 0x04, /* PNG_FORMAT_FLAG_LINEAR */
    CF_PNG_FORMAT_RGB = 0x02,      /* PNG_FORMAT_FLAG_COLOR */
};

#endif
