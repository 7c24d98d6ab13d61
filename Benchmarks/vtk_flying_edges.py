"""Meshes a raw Float32 level set (x fastest, solid > 0) with VTK's vtkFlyingEdges3D.

The volume is padded with one layer of void, as CephaloForge caps its meshes at the box.
Usage: python3 vtk_flying_edges.py RAW N [--runs R] [--threads T]
Prints one JSON line: median seconds, triangles.
"""
import argparse
import json
import statistics
import time

import numpy as np
import vtk
from vtk.util import numpy_support


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("raw")
    parser.add_argument("n", type=int)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    n = args.n
    field = np.fromfile(args.raw, dtype=np.float32).reshape(n, n, n)
    padded = np.full((n + 2, n + 2, n + 2), -1.0, dtype=np.float32)
    padded[1:-1, 1:-1, 1:-1] = field
    image = vtk.vtkImageData()
    image.SetDimensions(n + 2, n + 2, n + 2)
    image.GetPointData().SetScalars(numpy_support.numpy_to_vtk(padded.ravel(), deep=True))
    smp = vtk.vtkSMPTools()
    smp.SetBackend("STDThread")
    smp.Initialize(args.threads)
    times, triangles = [], 0
    for _ in range(args.runs):
        fe = vtk.vtkFlyingEdges3D()
        fe.SetInputData(image)
        fe.SetValue(0, 0.0)
        fe.ComputeNormalsOff()
        fe.ComputeGradientsOff()
        fe.ComputeScalarsOff()
        start = time.perf_counter()
        fe.Update()
        times.append(time.perf_counter() - start)
        triangles = fe.GetOutput().GetNumberOfCells()
    print(json.dumps({"n": n, "meshing_s": statistics.median(times), "triangles": triangles,
                      "threads": args.threads, "vtk": vtk.vtkVersion.GetVTKVersion()}))


if __name__ == "__main__":
    main()
