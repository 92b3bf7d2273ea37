#!/usr/bin/env python3
"""Writes the KS and Wasserstein golden fixtures for AimsMetricsTests from a fixed seed.

Run from the repository root with numpy and scipy installed:
    python3 scripts/golden/ks_fixtures.py
It rewrites Tests/AimsMetricsTests/Fixtures/ks_*.txt and ks_expected.json (committed).
"""
import json
import numpy as np
import scipy.stats as st

out = "Tests/AimsMetricsTests/Fixtures"
rng = np.random.default_rng(42)
cases = []
for n, m, shift in [(40, 40, 0.3), (37, 55, 0.5), (200, 150, 0.1), (900, 1000, 0.05), (3000, 2000, 0.1), (12000, 15000, 0.02), (20000, 20000, 0.05)]:
    a = np.round(rng.normal(0, 1, n), 6)
    b = np.round(rng.normal(shift, 1, m), 6)
    result = st.ks_2samp(a, b)
    cases.append({"n": n, "m": m, "shift": shift, "d": float(result.statistic), "p": float(result.pvalue),
                  "w": float(st.wasserstein_distance(a, b)), "std": float(np.std(a))})
    np.savetxt(f"{out}/ks_{n}_{m}_a.txt", a, fmt="%.6f")
    np.savetxt(f"{out}/ks_{n}_{m}_b.txt", b, fmt="%.6f")
json.dump(cases, open(f"{out}/ks_expected.json", "w"), indent=1)
