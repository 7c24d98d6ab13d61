#define GL_GLEXT_PROTOTYPES 1
#include "cgl.h"

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GL/gl.h>
#include <GL/glext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cf_gl_context {
    EGLDisplay display;
    EGLContext context;
    GLuint program;
};

static void set_error(char *error, size_t size, const char *format, const char *detail) {
    if (error && size) snprintf(error, size, format, detail ? detail : "");
}

static const char *vertex_source =
    "#version 330 core\n"
    "layout(location = 0) in vec3 position;\n"
    "layout(location = 1) in vec3 normal;\n"
    "layout(location = 2) in vec3 color;\n"
    "uniform mat4 modelView;\n"
    "uniform mat4 projection;\n"
    "out vec3 viewNormal;\n"
    "out vec3 baseColor;\n"
    "out float viewDepth;\n"
    "void main() {\n"
    "  vec4 p = modelView * vec4(position, 1.0);\n"
    "  gl_Position = projection * p;\n"
    "  viewNormal = mat3(modelView) * normal;\n"
    "  baseColor = color;\n"
    "  viewDepth = -p.z;\n"
    "}\n";

static const char *fragment_source =
    "#version 330 core\n"
    "in vec3 viewNormal;\n"
    "in vec3 baseColor;\n"
    "in float viewDepth;\n"
    "uniform vec3 lightDirections[2];\n"
    "uniform float lightIntensities[2];\n"
    "uniform float ambient;\n"
    "uniform float specular;\n"
    "uniform vec3 fog;\n"
    "uniform vec3 background;\n"
    "out vec4 fragColor;\n"
    "void main() {\n"
    "  vec3 n = normalize(viewNormal);\n"
    "  if (!gl_FrontFacing) n = -n;\n"
    "  float sky = 0.5 + 0.5 * n.y;\n"
    "  vec3 light = vec3(ambient * (0.55 + 0.45 * sky));\n"
    "  float shine = 0.0;\n"
    "  for (int i = 0; i < 2; ++i) {\n"
    "    vec3 l = normalize(lightDirections[i]);\n"
    "    light += lightIntensities[i] * max(dot(n, l), 0.0);\n"
    "    vec3 h = normalize(l + vec3(0.0, 0.0, 1.0));\n"
    "    shine += lightIntensities[i] * pow(max(dot(n, h), 0.0), 48.0);\n"
    "  }\n"
    "  vec3 c = baseColor * light + specular * shine;\n"
    "  float f = fog.z * clamp((viewDepth - fog.x) / max(fog.y - fog.x, 1e-6), 0.0, 1.0);\n"
    "  fragColor = vec4(mix(c, background, f), 1.0);\n"
    "}\n";

static GLuint compile(GLenum kind, const char *source, char *error, size_t size) {
    GLuint shader = glCreateShader(kind);
    glShaderSource(shader, 1, &source, NULL);
    glCompileShader(shader);
    GLint ok = 0;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[512] = {0};
        glGetShaderInfoLog(shader, sizeof log, NULL, log);
        set_error(error, size, "shader compilation failed: %s", log);
        glDeleteShader(shader);
        return 0;
    }
    return shader;
}

static GLuint link_program(char *error, size_t size) {
    GLuint vs = compile(GL_VERTEX_SHADER, vertex_source, error, size);
    if (!vs) return 0;
    GLuint fs = compile(GL_FRAGMENT_SHADER, fragment_source, error, size);
    if (!fs) { glDeleteShader(vs); return 0; }
    GLuint program = glCreateProgram();
    glAttachShader(program, vs);
    glAttachShader(program, fs);
    glLinkProgram(program);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(program, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[512] = {0};
        glGetProgramInfoLog(program, sizeof log, NULL, log);
        set_error(error, size, "shader linking failed: %s", log);
        glDeleteProgram(program);
        return 0;
    }
    return program;
}

static EGLDisplay open_display(void) {
    EGLDisplay display = eglGetPlatformDisplay(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
    EGLint major = 0, minor = 0;
    if (display != EGL_NO_DISPLAY && eglInitialize(display, &major, &minor)) return display;
    display = eglGetDisplay(EGL_DEFAULT_DISPLAY);
    if (display != EGL_NO_DISPLAY && eglInitialize(display, &major, &minor)) return display;
    return EGL_NO_DISPLAY;
}

cf_gl_context *cf_gl_open(char *error, size_t error_size) {
    EGLDisplay display = open_display();
    if (display == EGL_NO_DISPLAY) {
        set_error(error, error_size, "no EGL display could be opened%s", "");
        return NULL;
    }
    if (!eglBindAPI(EGL_OPENGL_API)) {
        set_error(error, error_size, "the EGL display offers no desktop OpenGL%s", "");
        eglTerminate(display);
        return NULL;
    }
    const EGLint config_attributes[] = {
        EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_SURFACE_TYPE, EGL_PBUFFER_BIT, EGL_NONE,
    };
    EGLConfig config = NULL;
    EGLint count = 0;
    const EGLint *attributes = config_attributes;
    if (!eglChooseConfig(display, attributes, &config, 1, &count) || count == 0) config = NULL;
    const EGLint context_attributes[] = {
        EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3,
        EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE,
    };
    EGLContext context = eglCreateContext(display, config, EGL_NO_CONTEXT, context_attributes);
    if (context == EGL_NO_CONTEXT) {
        set_error(error, error_size, "no OpenGL 3.3 core context could be created%s", "");
        eglTerminate(display);
        return NULL;
    }
    if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
        set_error(error, error_size, "the OpenGL context cannot be made current without a surface%s", "");
        eglDestroyContext(display, context);
        eglTerminate(display);
        return NULL;
    }
    GLuint program = link_program(error, error_size);
    eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    if (!program) {
        eglDestroyContext(display, context);
        eglTerminate(display);
        return NULL;
    }
    cf_gl_context *result = calloc(1, sizeof *result);
    result->display = display;
    result->context = context;
    result->program = program;
    return result;
}

void cf_gl_close(cf_gl_context *context) {
    if (!context) return;
    if (eglMakeCurrent(context->display, EGL_NO_SURFACE, EGL_NO_SURFACE, context->context)) {
        glDeleteProgram(context->program);
        eglMakeCurrent(context->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    }
    eglDestroyContext(context->display, context->context);
    eglTerminate(context->display);
    free(context);
}

void cf_gl_renderer_name(cf_gl_context *context, char *name, size_t name_size) {
    if (!name || !name_size) return;
    name[0] = 0;
    if (!eglMakeCurrent(context->display, EGL_NO_SURFACE, EGL_NO_SURFACE, context->context)) return;
    const GLubyte *text = glGetString(GL_RENDERER);
    if (text) snprintf(name, name_size, "%s", (const char *)text);
    eglMakeCurrent(context->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
}

static GLuint upload(GLenum target, const void *data, size_t bytes) {
    GLuint buffer = 0;
    glGenBuffers(1, &buffer);
    glBindBuffer(target, buffer);
    glBufferData(target, (GLsizeiptr)bytes, data, GL_STATIC_DRAW);
    return buffer;
}

int cf_gl_render(cf_gl_context *context, const cf_gl_scene *scene, int width, int height,
                 uint8_t *rgba, float *depth, char *error, size_t error_size) {
    if (!eglMakeCurrent(context->display, EGL_NO_SURFACE, EGL_NO_SURFACE, context->context)) {
        set_error(error, error_size, "the OpenGL context cannot be made current%s", "");
        return 1;
    }
    GLint max_size = 0;
    glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &max_size);
    if (width > max_size || height > max_size) {
        set_error(error, error_size, "the image is larger than this OpenGL allows%s", "");
        eglMakeCurrent(context->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        return 2;
    }
    GLuint framebuffer = 0, renderbuffers[2] = {0, 0};
    glGenFramebuffers(1, &framebuffer);
    glBindFramebuffer(GL_FRAMEBUFFER, framebuffer);
    glGenRenderbuffers(2, renderbuffers);
    glBindRenderbuffer(GL_RENDERBUFFER, renderbuffers[0]);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, renderbuffers[0]);
    glBindRenderbuffer(GL_RENDERBUFFER, renderbuffers[1]);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT32F, width, height);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, renderbuffers[1]);
    int status = 0;
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
        set_error(error, error_size, "the offscreen framebuffer is incomplete%s", "");
        status = 3;
    } else {
        GLuint array = 0;
        glGenVertexArrays(1, &array);
        glBindVertexArray(array);
        size_t vertex_bytes = (size_t)scene->vertex_count * 3 * sizeof(float);
        GLuint buffers[4];
        buffers[0] = upload(GL_ARRAY_BUFFER, scene->positions, vertex_bytes);
        glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, 0, NULL);
        glEnableVertexAttribArray(0);
        buffers[1] = upload(GL_ARRAY_BUFFER, scene->normals, vertex_bytes);
        glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, 0, NULL);
        glEnableVertexAttribArray(1);
        buffers[2] = upload(GL_ARRAY_BUFFER, scene->colors, vertex_bytes);
        glVertexAttribPointer(2, 3, GL_FLOAT, GL_FALSE, 0, NULL);
        glEnableVertexAttribArray(2);
        buffers[3] = upload(GL_ELEMENT_ARRAY_BUFFER, scene->indices, (size_t)scene->index_count * sizeof(uint32_t));

        glViewport(0, 0, width, height);
        glEnable(GL_DEPTH_TEST);
        glDepthFunc(GL_LESS);
        glDisable(GL_CULL_FACE);
        glClearColor(scene->background[0], scene->background[1], scene->background[2], 1.0f);
        glClearDepth(1.0);
        glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);

        GLuint p = context->program;
        glUseProgram(p);
        glUniformMatrix4fv(glGetUniformLocation(p, "modelView"), 1, GL_FALSE, scene->model_view);
        glUniformMatrix4fv(glGetUniformLocation(p, "projection"), 1, GL_FALSE, scene->projection);
        glUniform3fv(glGetUniformLocation(p, "lightDirections"), 2, scene->light_directions);
        glUniform1fv(glGetUniformLocation(p, "lightIntensities"), 2, scene->light_intensities);
        glUniform1f(glGetUniformLocation(p, "ambient"), scene->ambient);
        glUniform1f(glGetUniformLocation(p, "specular"), scene->specular);
        glUniform3f(glGetUniformLocation(p, "fog"), scene->fog_near, scene->fog_far, scene->fog_strength);
        glUniform3fv(glGetUniformLocation(p, "background"), 1, scene->background);
        glDrawElements(GL_TRIANGLES, (GLsizei)scene->index_count, GL_UNSIGNED_INT, NULL);

        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
        glReadPixels(0, 0, width, height, GL_DEPTH_COMPONENT, GL_FLOAT, depth);
        GLenum gl_error = glGetError();
        if (gl_error != GL_NO_ERROR) {
            char code[32];
            snprintf(code, sizeof code, "0x%04x", gl_error);
            set_error(error, error_size, "OpenGL reported error %s while drawing (out of memory?)", code);
            status = 4;
        }
        glDeleteBuffers(4, buffers);
        glDeleteVertexArrays(1, &array);
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glDeleteRenderbuffers(2, renderbuffers);
    glDeleteFramebuffers(1, &framebuffer);
    glFinish();
    eglMakeCurrent(context->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    return status;
}
