#include "cpng.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

typedef struct {
    jmp_buf jump;
    char *error;
    size_t error_size;
} cf_png_context;

static void cf_png_error(png_structp png, png_const_charp message) {
    cf_png_context *context = (cf_png_context *)png_get_error_ptr(png);
    if (context->error && context->error_size > 0) {
        snprintf(context->error, context->error_size, "%s", message);
    }
    longjmp(context->jump, 1);
}

static void cf_png_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

int cf_png_write_gray(const char *path, uint32_t width, uint32_t height,
                      int bit_depth, const void *pixels, size_t row_bytes,
                      const char *text_key, const char *text_value,
                      uint32_t pixels_per_metre, int compression_level, int two_level,
                      char *error, size_t error_size) {
    if (error && error_size > 0) error[0] = 0;
    FILE *file = fopen(path, "wb");
    if (!file) {
        if (error) snprintf(error, error_size, "cannot open for writing");
        return 1;
    }
    cf_png_context context;
    context.error = error;
    context.error_size = error_size;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &context,
                                              cf_png_error, cf_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        if (png) png_destroy_write_struct(&png, NULL);
        fclose(file);
        if (error) snprintf(error, error_size, "out of memory");
        return 2;
    }
    if (setjmp(context.jump)) {
        png_destroy_write_struct(&png, &info);
        fclose(file);
        return 3;
    }
    png_init_io(png, file);
    png_set_compression_level(png, compression_level);
    if (two_level) {
        /* Rows of long runs of 0 and 255: no row filter, run-length deflate. */
        png_set_filter(png, 0, PNG_FILTER_NONE);
        png_set_compression_strategy(png, Z_RLE);
    }
    png_set_IHDR(png, info, width, height, bit_depth, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    if (pixels_per_metre > 0) {
        png_set_pHYs(png, info, pixels_per_metre, pixels_per_metre, PNG_RESOLUTION_METER);
    }
    png_text text;
    if (text_key && text_value) {
        memset(&text, 0, sizeof text);
        text.compression = PNG_TEXT_COMPRESSION_NONE;
        text.key = (png_charp)text_key;
        text.text = (png_charp)text_value;
        text.text_length = strlen(text_value);
        png_set_text(png, info, &text, 1);
    }
    png_write_info(png, info);
    if (bit_depth == 16) {
        uint16_t probe = 1;
        if (*(uint8_t *)&probe == 1) png_set_swap(png);
    }
    const uint8_t *row = (const uint8_t *)pixels;
    for (uint32_t y = 0; y < height; y++, row += row_bytes) {
        png_write_row(png, (png_const_bytep)row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    if (fclose(file) != 0) {
        if (error) snprintf(error, error_size, "cannot finish writing (disk full?)");
        return 4;
    }
    return 0;
}
