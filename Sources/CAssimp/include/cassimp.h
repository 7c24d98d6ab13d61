#ifndef CEPHALOFORGE_CASSIMP_H
#define CEPHALOFORGE_CASSIMP_H

#include <stddef.h>
#include <stdint.h>

/// Exports one triangle mesh (positions xyz, three indices per triangle) with assimp's
/// exporter `format_id` ("3mf", "objnomtl", "plyb", "glb2", …) to `path`. The scene is built
/// as assimp requires: identity transforms, a root node whose single child holds the mesh,
/// and one empty material. Returns 0 on success; otherwise writes a message into `error`.
int cf_assimp_export_mesh(const float *positions, size_t vertex_count,
                          const uint32_t *indices, size_t triangle_count,
                          const char *name, const char *format_id, const char *path,
                          char *error, size_t error_size);

/// An imported mesh: every mesh of the file concatenated, in the file's units.
typedef struct {
    float *positions;
    size_t vertex_count;
    uint32_t *indices;
    size_t triangle_count;
} cf_assimp_mesh;

/// Imports `path` with vertices joined (aiProcess_JoinIdenticalVertices) and node
/// transforms applied. Returns 0 on success (free with cf_assimp_free), else writes `error`.
int cf_assimp_import_mesh(const char *path, cf_assimp_mesh *out, char *error, size_t error_size);

void cf_assimp_free(cf_assimp_mesh *mesh);

#endif
