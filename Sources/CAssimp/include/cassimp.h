#ifndef CEPHALOFORGE_CASSIMP_H
#define CEPHALOFORGE_CASSIMP_H

#include <stddef.h>
#include <stdint.h>

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
