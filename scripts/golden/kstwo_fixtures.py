#!/usr/bin/env python3
"""Writes scipy's kstwo.sf(x, n) at points covering each of its algorithms, for AimsMetricsTests.

Run from the repository root with scipy installed:
    python3 scripts/golden/kstwo_fixtures.py
It rewrites Tests/AimsMetricsTests/Fixtures/kstwo_expected.json (committed).
"""
import json
import scipy
from scipy.stats import kstwo

points = [
    (10, 0.07), (10, 0.25), (50, 0.1), (50, 0.2), (100, 0.22), (140, 0.3), (140, 0.6),   # n <= 140
    (500, 0.002), (5000, 0.01), (5000, 0.02), (5000, 0.03), (6000, 0.05),               # Durbin, Smirnov tail
    (20000, 0.004), (20000, 0.008), (20000, 0.0105), (20000, 0.02), (20000, 0.1),
    (150000, 0.002), (150000, 0.003), (150000, 0.005), (2000000, 0.0008), (2000000, 0.002),  # Pelz-Good, approximation
    (300, 0.0025), (300, 0.999), (8000, 0.7),                                             # ends
]
cases = [{"n": n, "x": x, "sf": float(kstwo.sf(x, n))} for n, x in points]
json.dump({"scipy": scipy.__version__, "cases": cases}, open("Tests/AimsMetricsTests/Fixtures/kstwo_expected.json", "w"), indent=1)
