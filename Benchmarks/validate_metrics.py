#!/usr/bin/env python3
"""Compares CephaloForge's pore metrics with PoreSpy's on the same voxels.

For each design: `cephalo-forge generate … --volume nrrd` writes the level set (solid > 0)
and metrics.json; PoreSpy then reads the same voxels and computes
  - intrusion porosimetry (porespy.filters.porosimetry, inlets on every face): PoreSpy's
    sphere radii are whole voxels (it truncates its distance transform), ours every radius,
    so the curves are compared at PoreSpy's steps, diameters 2r, ours interpolated;
  - chords of the pores along each axis (porespy.filters.apply_chords, no spacing, edges
    trimmed; its clear_border also drops chords on the lines along the box's side faces,
    which ours keep, so only the means are alike);
  - local thickness of the pores (porespy.filters.local_thickness, method 'legacy' with
    every value of the distance transform as a size, which makes it exact) — for a periodic design on the middle cell of its
    3 × 3 × 3 tiling, which is how ours reads periodic pores;
and the table gives both side by side. Usage: validate_metrics.py CEPHALO_FORGE SIZE [WORKDIR]
"""
import json
import os
import subprocess
import sys

import numpy as np
import porespy as ps
import scipy.ndimage as ndi
from edt import edt

ps.settings.tqdm["disable"] = True

DESIGNS = [
    ("spinodal 35%", ["spinodal foam, 35% solid, 10 mm cube"]),
    ("blob 25%", ["blob particles, 25% solid, 10 mm cube"]),
    ("gyroid 30%", ["gyroid lattice, 30% solid, 2.5 mm cells, 10 mm cube"]),
    ("columnar 30%", ["columnar bone, 30% solid, 10 mm cube"]),
    ("graded foam", ["graded foam from 20% at the bottom to 50% at the top, 10 mm cube"]),
]


def load(folder):
    header = open(os.path.join(folder, "volume.nhdr")).read().split("\n")
    sizes = [int(v) for v in next(l for l in header if l.startswith("sizes:")).split()[1:]]
    raw = np.fromfile(os.path.join(folder, "volume.raw"), dtype="<f4").reshape(sizes[::-1])  # z, y, x
    return raw > 0


def chord_lengths(pores, axis):
    """Lengths of the pore chords along `axis` (numpy axis), PoreSpy's way."""
    chords = ps.filters.apply_chords(pores, spacing=0, axis=axis, trim_edges=True)
    labels, count = ndi.label(chords, structure=_line(axis))
    sizes = np.bincount(labels.ravel())[1:]
    return sizes


def _line(axis):
    s = np.zeros((3, 3, 3), dtype=int)
    idx = [1, 1, 1]
    for k in range(3):
        idx[axis] = k
        s[tuple(idx)] = 1
    return s


def main():
    binary, size = sys.argv[1], int(sys.argv[2])
    work = sys.argv[3] if len(sys.argv) > 3 else "/tmp/cf-validate"
    rows = []
    for name, prompt in DESIGNS:
        folder = os.path.join(work, name.replace(" ", "-").replace("%", ""))
        subprocess.run([binary, "generate", *prompt, "--size", str(size), "--out", folder, "--volume", "nrrd",
                        "--no-images", "--quiet", "--max-triangles", "0"], check=True, stdout=subprocess.DEVNULL)
        metrics = json.load(open(os.path.join(folder, "metrics.json")))
        s = metrics["structure"]
        h = metrics["voxel_size_mm"]
        solid = load(folder)
        pores = ~solid

        # Intrusion: PoreSpy's radius per voxel (whole voxels); ours a curve at 25 diameters.
        sizes = ps.filters.porosimetry(pores)
        theirs_d = 2 * sizes[pores]
        ours = s["porosimetry"]
        ours_d = np.array(ours["diameter_mm"]) / h
        ours_f = np.array(ours["intruded_fraction"])
        diffs = []
        for r in range(1, int(theirs_d.max() / 2) + 1):
            theirs = float(np.mean(theirs_d >= 2 * r))
            diffs.append(abs(theirs - float(np.interp(2 * r, ours_d, ours_f))))

        # Chords of the pores along x (numpy axis 2), y (1), z (0).
        chord_rows = []
        for axis_name, numpy_axis in (("x", 2), ("y", 1), ("z", 0)):
            lengths = chord_lengths(pores, numpy_axis)
            theirs_mean = float(lengths.mean() * h) if lengths.size else 0.0
            chord_rows.append((axis_name, s["chords"]["pores"][axis_name]["mean_mm"], theirs_mean))

        # Local thickness of the pores, read as ours reads them.
        periodic = bool(s.get("pore_thickness_periodic"))
        region = np.tile(pores, (3, 3, 3)) if periodic else pores
        distances = edt(region)
        lt = ps.filters.local_thickness(region, sizes=np.unique(distances[region]), method="legacy")
        if periodic:
            n = pores.shape
            lt = lt[n[0]:2 * n[0], n[1]:2 * n[1], n[2]:2 * n[2]]
        theirs_lt_mean = float(2 * lt[pores].mean() * h)
        rows.append((name, max(diffs) if diffs else 0.0, chord_rows, s["pore_thickness"]["mean_mm"], theirs_lt_mean, periodic))

    print(f"| design ({size}³) | intrusion curves: largest difference at PoreSpy's diameters "
          f"| pore chord means x, y, z, ours / PoreSpy (mm) | pore thickness mean, ours / PoreSpy (mm) |")
    print("|---|---|---|---|")
    for name, diff, chords, lt_ours, lt_theirs, periodic in rows:
        chord_text = "; ".join(f"{a}: {om:.4f} / {tm:.4f}" for a, om, tm in chords)
        note = " (periodic)" if periodic else ""
        print(f"| {name} | {diff:.3f} | {chord_text} | {lt_ours:.6f} / {lt_theirs:.6f}{note} |")


if __name__ == "__main__":
    main()
