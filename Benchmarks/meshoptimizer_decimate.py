#!/usr/bin/env python3
"""Times meshoptimizer's simplifier on a binary STL, to a triangle count, and checks the
result as a slicer would (trimesh: watertight, consistently wound, volume).

    python3 meshoptimizer_decimate.py MESH.stl TRIANGLES

Prints one JSON line: seconds (welding excluded), triangles, watertight, winding, volume change.
"""
import json
import sys
import time

import meshoptimizer
import numpy as np
import trimesh


def main():
    path, target = sys.argv[1], int(sys.argv[2])
    mesh = trimesh.load(path, process=True)          # welds the STL's corners into shared vertices
    vertices = np.ascontiguousarray(mesh.vertices, dtype=np.float32)
    indices = np.ascontiguousarray(mesh.faces.astype(np.uint32).ravel())
    destination = np.zeros_like(indices)
    start = time.perf_counter()
    count = meshoptimizer.simplify(destination, indices, vertices, target_index_count=3 * target, target_error=0.05)
    seconds = time.perf_counter() - start
    faces = destination[:count].reshape(-1, 3)
    out = trimesh.Trimesh(vertices=vertices, faces=faces, process=False)
    print(json.dumps({"seconds": round(seconds, 4), "triangles_in": int(len(mesh.faces)), "triangles": int(len(faces)),
                      "watertight": bool(out.is_watertight), "winding_consistent": bool(out.is_winding_consistent),
                      "volume_change": round(float(out.volume / mesh.volume - 1), 5)}))


if __name__ == "__main__":
    main()
