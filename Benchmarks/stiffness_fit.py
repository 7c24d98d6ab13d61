#!/usr/bin/env python3
"""Reads cephalo-forge-property-bench lines on stdin; prints E/E_s (mean of x, y, z) per family
and solid fraction, and the Gibson-Ashby exponent n of E/E_s = C rho^n fitted on log-log axes."""
import json
import math
import sys

rows = [json.loads(line) for line in sys.stdin if line.startswith("{")]
families = []
for r in rows:
    if r["family"] not in families:
        families.append(r["family"])
for f in families:
    rs = [r for r in rows if r["family"] == f]
    e = [sum(r["relative_e"]) / 3 for r in rs]
    # A fraction where the solid falls apart (E = 0) is listed but left out of the fit.
    fit = [(r["solid_fraction"], v) for r, v in zip(rs, e) if v > 0]
    xs = [math.log(x) for x, _ in fit]
    ys = [math.log(v) for _, v in fit]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    pairs = ", ".join("%.2f: %.4f" % (r["solid_fraction"], v) for r, v in zip(rs, e))
    print("%-14s n = %.2f  C = %.3f   (rho: E/Es) %s" % (f, slope, math.exp(my - slope * mx), pairs))
