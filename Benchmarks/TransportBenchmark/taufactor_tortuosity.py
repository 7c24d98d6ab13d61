"""TauFactor's tortuosity factor of the pore phase of a raw UInt8 cell (1 = solid, x fastest),
along x, y and z, on the CPU, for side-by-side comparison with cephalo-forge-transport-bench.

    python3 taufactor_tortuosity.py CELL.raw N [--runs R]

Prints one JSON line: per axis tau, D_eff and median seconds; peak RSS (MB).
"""
import json
import resource
import sys
import time

import numpy as np
import taufactor as tau


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 1
    solid = np.fromfile(path, dtype=np.uint8).reshape(n, n, n)  # [z, y, x]
    pores = (solid == 0).astype(np.uint8)
    result = {"n": n, "porosity": float(pores.mean()), "axes": {}}
    # TauFactor drives flux along the first array axis.
    for name, order in (("x", (2, 1, 0)), ("y", (1, 0, 2)), ("z", (0, 1, 2))):
        img = np.ascontiguousarray(pores.transpose(order))
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            solver = tau.Solver(img, device="cpu")
            solver.solve(verbose=False)
            times.append(time.perf_counter() - start)
        result["axes"][name] = {"tau": float(np.asarray(solver.tau).ravel()[0]), "D_eff": float(np.asarray(solver.D_eff).ravel()[0]),
                                "median_s": float(np.median(times))}
    result["total_s"] = sum(a["median_s"] for a in result["axes"].values())
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
