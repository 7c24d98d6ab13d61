"""Tabulates Benchmarks/transport-study's JSON lines: full grid against the averaged grid."""
import json
import sys

rows = {}
families = []
for line in sys.stdin:
    o = json.loads(line)
    if o["family"] not in families:
        families.append(o["family"])
    rows.setdefault((o["family"], o["solve"]), {})[o["factor"]] = o


def fmt(v):
    return " ".join(f"{x:.4g}" for x in v)


def change(a, b):
    return ", ".join(f"{100 * (y / x - 1):+.0f}%" if x > 0 else "–" for x, y in zip(a, b))


print("| family | porosity | τ full (x y z) | τ averaged | change | k full, voxel² (x y z) | k averaged | change | Stokes s, full / averaged |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for family in families:
    c, p = rows[(family, "conductivity")], rows[(family, "permeability")]
    t1, t2 = c[1]["tortuosity_factor"], c[2]["tortuosity_factor"]
    k1, k2 = p[1]["permeability_voxel2"], p[2]["permeability_voxel2"]
    print(f"| {family} | {c[1]['porosity']:.3f} | {fmt(t1)} | {fmt(t2)} | {change(t1, t2)} | {fmt(k1)} | {fmt(k2)} | "
          f"{change(k1, k2)} | {p[1]['median_s']:.1f} / {p[2]['median_s']:.1f} |")
