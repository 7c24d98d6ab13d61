#include "cassimp.h"

#include <assimp/cexport.h>
#include <assimp/cimport.h>
#include <assimp/postprocess.h>
#include <assimp/scene.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_identity(struct aiMatrix4x4 *m) {
    memset(m, 0, sizeof *m);
    m->a1 = m->b2 = m->c3 = m->d4 = 1;
}

static void set_name(struct aiString *s, const char *name) {
    size_t n = strlen(name);
    if (n >= MAXLEN) n = MAXLEN - 1;
    s->length = (ai_uint32)n;
    memcpy(s->data, name, n);
    s->data[n] = 0;
}

static void free_scene(struct aiScene *scene) {
    if (!scene) return;
    if (scene->mMeshes) {
        struct aiMesh *mesh = scene->mMeshes[0];
        if (mesh) {
            free(mesh->mVertices);
            if (mesh->mFaces) free(mesh->mFaces[0].mIndices);
            free(mesh->mFaces);
            free(mesh);
        }
        free(scene->mMeshes);
    }
    if (scene->mMaterials) {
        free(scene->mMaterials[0]);
        free(scene->mMaterials);
    }
    if (scene->mRootNode) {
        struct aiNode *root = scene->mRootNode;
        if (root->mChildren) {
            free(root->mChildren[0]->mMeshes);
            free(root->mChildren[0]);
            free(root->mChildren);
        }
        free(root);
    }
    free(scene);
}

int cf_assimp_export_mesh(const float *positions, size_t vertex_count,
                          const uint32_t *indices, size_t triangle_count,
                          const char *name, const char *format_id, const char *path,
                          char *error, size_t error_size) {
    struct aiScene *scene = calloc(1, sizeof *scene);
    int status = 1;
    if (!scene) goto out_of_memory;
    scene->mMeshes = calloc(1, sizeof(struct aiMesh *));
    scene->mMaterials = calloc(1, sizeof(struct aiMaterial *));
    scene->mRootNode = calloc(1, sizeof(struct aiNode));
    if (!scene->mMeshes || !scene->mMaterials || !scene->mRootNode) goto out_of_memory;
    scene->mNumMeshes = 1;
    scene->mNumMaterials = 1;
    scene->mMaterials[0] = calloc(1, sizeof(struct aiMaterial));
    struct aiMesh *mesh = calloc(1, sizeof *mesh);
    scene->mMeshes[0] = mesh;
    if (!scene->mMaterials[0] || !mesh) goto out_of_memory;

    struct aiNode *root = scene->mRootNode;
    set_identity(&root->mTransformation);
    set_name(&root->mName, "root");
    root->mChildren = calloc(1, sizeof(struct aiNode *));
    if (!root->mChildren) goto out_of_memory;
    struct aiNode *child = calloc(1, sizeof *child);
    root->mChildren[0] = child;
    if (!child) goto out_of_memory;
    root->mNumChildren = 1;
    set_identity(&child->mTransformation);
    set_name(&child->mName, name);
    child->mParent = root;
    child->mMeshes = calloc(1, sizeof(unsigned int));
    if (!child->mMeshes) goto out_of_memory;
    child->mNumMeshes = 1;

    set_name(&mesh->mName, name);
    mesh->mPrimitiveTypes = aiPrimitiveType_TRIANGLE;
    mesh->mMaterialIndex = 0;
    mesh->mNumVertices = (unsigned int)vertex_count;
    mesh->mVertices = malloc(vertex_count * sizeof(struct aiVector3D));
    mesh->mNumFaces = (unsigned int)triangle_count;
    mesh->mFaces = calloc(triangle_count ? triangle_count : 1, sizeof(struct aiFace));
    unsigned int *face_indices = malloc((triangle_count ? triangle_count : 1) * 3 * sizeof(unsigned int));
    if (!mesh->mVertices || !mesh->mFaces || !face_indices) {
        free(face_indices);
        goto out_of_memory;
    }
    for (size_t i = 0; i < vertex_count; i++) {
        mesh->mVertices[i].x = positions[3 * i];
        mesh->mVertices[i].y = positions[3 * i + 1];
        mesh->mVertices[i].z = positions[3 * i + 2];
    }
    for (size_t t = 0; t < triangle_count; t++) {
        face_indices[3 * t] = indices[3 * t];
        face_indices[3 * t + 1] = indices[3 * t + 1];
        face_indices[3 * t + 2] = indices[3 * t + 2];
        mesh->mFaces[t].mNumIndices = 3;
        mesh->mFaces[t].mIndices = face_indices + 3 * t;
    }
    if (aiExportScene(scene, format_id, path, 0) != aiReturn_SUCCESS) {
        snprintf(error, error_size, "assimp could not export %s (format %s)", path, format_id);
        status = 2;
    } else {
        status = 0;
    }
    free_scene(scene);
    return status;

out_of_memory:
    free_scene(scene);
    snprintf(error, error_size, "out of memory while building the scene");
    return 1;
}

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
