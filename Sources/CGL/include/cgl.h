#ifndef CEPHALOFORGE_CGL_H
#define CEPHALOFORGE_CGL_H

#include <stddef.h>
#include <stdint.h>

/// An offscreen OpenGL 3.3 core context made through EGL (Mesa's surfaceless platform
/// first, then the default display), with the shaders the mesh renderer uses.
typedef struct cf_gl_context cf_gl_context;

/// Opens a context. Returns NULL on failure with a message in `error`.
cf_gl_context *cf_gl_open(char *error, size_t error_size);

/// Releases the context and everything it owns.
void cf_gl_close(cf_gl_context *context);

/// The GL_RENDERER string of the context ("llvmpipe (LLVM 15.0.6, 256 bits)", …).
void cf_gl_renderer_name(cf_gl_context *context, char *name, size_t name_size);

/// One indexed triangle mesh with per-vertex normals and colours, and how to light it.
/// Matrices are column-major. Light directions point towards the lights, in view space.
typedef struct {
    const float *positions;
    const float *normals;
    const float *colors;
    uint32_t vertex_count;
    const uint32_t *indices;
    uint32_t index_count;
    float model_view[16];
    float projection[16];
    float light_directions[6];
    float light_intensities[2];
    float ambient;
    float specular;
    float fog_near;
    float fog_far;
    float fog_strength;
    float background[3];
} cf_gl_scene;

/// Draws `scene` into a width × height framebuffer and reads back RGBA (8 bits per
/// channel) and depth (0 … 1), both with the bottom row first. Makes the context
/// current on the calling thread for the duration of the call only.
/// Returns 0 on success; otherwise non-zero with a message in `error`.
int cf_gl_render(cf_gl_context *context, const cf_gl_scene *scene, int width, int height,
                 uint8_t *rgba, float *depth, char *error, size_t error_size);

#endif
