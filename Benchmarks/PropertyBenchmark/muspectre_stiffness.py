#!/usr/bin/env python3
"""The full 6 x 6 effective stiffness of a voxel cell with muSpectre (pip `muspectre`), the
independent FFT homogenisation code set beside CephaloForge's solver in Benchmarks/properties.

    muspectre_stiffness.py N VOXELS.raw [--tolerance T]

VOXELS.raw: N^3 bytes, x fastest, 1 = solid (as `cephalo-forge-property-bench --raw` writes).
Solid: E = 2.8 GPa, nu = 0.35 (the resin preset); pores: E = 0. Discretisation: muSpectre's
linear finite elements (six tetrahedra per voxel), conjugate gradients to the relative
tolerance T (default 1e-5) on each of the six unit strains (engineering shears).
Prints one JSON line: seconds, relative Young's moduli, the 6 x 6 in GPa, peak RSS (MB).
"""
import json
import resource
import sys
import time

import numpy as np
import muSpectre as msp
from muSpectre import linear_finite_elements as lfe


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    n = int(sys.argv[1])
    voxels = np.fromfile(sys.argv[2], dtype=np.uint8)
    if voxels.size != n ** 3:
        sys.exit(f"{sys.argv[2]} holds {voxels.size} bytes, not {n}^3")
    tolerance = float(sys.argv[sys.argv.index("--tolerance") + 1]) if "--tolerance" in sys.argv else 1e-5
    solid = voxels.reshape(n, n, n).transpose(2, 1, 0)  # [x, y, z]
    e_solid, nu = 2.8, 0.35

    start = time.time()
    gradient, weights = lfe.gradient_3d
    cell = msp.Cell([n] * 3, [1.0] * 3, msp.Formulation.small_strain, gradient, weights)
    material = msp.material.MaterialLinearElastic4_3d.make(cell, "voxels")
    for pixel_id, (i, j, k) in cell.pixels.enumerate():
        material.add_pixel(pixel_id, e_solid if solid[i, j, k] else 0.0, nu)
    cell.initialise()
    solver = msp.solvers.KrylovSolverCG(cell, tolerance, 100000, msp.Verbosity.Silent)
    pairs = [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)]
    stiffness = np.zeros((6, 6))
    for column, (a, b) in enumerate(pairs):
        strain = np.zeros((3, 3))
        if a == b:
            strain[a, a] = 1.0
        else:
            strain[a, b] = strain[b, a] = 0.5  # engineering shear 1
        result = msp.solvers.newton_cg(cell, strain, solver, tolerance, tolerance, msp.Verbosity.Silent)
        mean = np.asarray(result.stress).reshape(-1, 9).mean(axis=0).reshape(3, 3)
        for row, (c, d) in enumerate(pairs):
            stiffness[row, column] = mean[c, d]
    seconds = time.time() - start
    compliance = np.linalg.inv((stiffness + stiffness.T) / 2)
    print(json.dumps({
        "code": "muspectre", "n": n, "tolerance": tolerance, "seconds": round(seconds, 3),
        "relative_e": [round(float(1 / compliance[i, i] / e_solid), 5) for i in range(3)],
        "stiffness_gpa": np.round(stiffness, 5).tolist(),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
