#include "cassimp.h"

#include <assimp/cimport.h>
#include <assimp/postprocess.h>
#include <assimp/scene.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cf_assimp_import_mesh(const char *path, cf_assimp_mesh *out, char *error, size_t error_size) {
    memset(out, 0, sizeof *out);
    const struct aiScene *scene = aiImportFile(path, aiProcess_JoinIdenticalVertices | aiProcess_Triangulate
                                                         | aiProcess_PreTransformVertices);
    if (!scene) {
        snprintf(error, error_size, "%s", aiGetErrorString());
        return 1;
    }
    size_t vertices = 0, triangles = 0;
    for (unsigned int m = 0; m < scene->mNumMeshes; m++) {
        vertices += scene->mMeshes[m]->mNumVertices;
        for (unsigned int f = 0; f < scene->mMeshes[m]->mNumFaces; f++) {
            if (scene->mMeshes[m]->mFaces[f].mNumIndices == 3) triangles++;
        }
    }
    out->positions = malloc((vertices ? vertices : 1) * 3 * sizeof(float));
    out->indices = malloc((triangles ? triangles : 1) * 3 * sizeof(uint32_t));
    if (!out->positions || !out->indices) {
        cf_assimp_free(out);
        aiReleaseImport(scene);
        snprintf(error, error_size, "out of memory");
        return 2;
    }
    size_t v = 0, t = 0;
    for (unsigned int m = 0; m < scene->mNumMeshes; m++) {
        const struct aiMesh *mesh = scene->mMeshes[m];
        size_t base = v;
        for (unsigned int i = 0; i < mesh->mNumVertices; i++, v++) {
            out->positions[3 * v] = mesh->mVertices[i].x;
            out->positions[3 * v + 1] = mesh->mVertices[i].y;
            out->positions[3 * v + 2] = mesh->mVertices[i].z;
        }
        for (unsigned int f = 0; f < mesh->mNumFaces; f++) {
            const struct aiFace *face = &mesh->mFaces[f];
            if (face->mNumIndices != 3) continue;
            for (int k = 0; k < 3; k++) out->indices[3 * t + k] = (uint32_t)(base + face->mIndices[k]);
            t++;
        }
    }
    out->vertex_count = v;
    out->triangle_count = t;
    aiReleaseImport(scene);
    return 0;
}

void cf_assimp_free(cf_assimp_mesh *mesh) {
    free(mesh->positions);
    free(mesh->indices);
    memset(mesh, 0, sizeof *mesh);
}
