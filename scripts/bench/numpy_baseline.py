#!/usr/bin/env python3
"""The fastest hand-written pandas/numpy version of what `aims metrics fairness` and `drift` do on
a generated log: per-group confusion counts with np.bincount, disparities, and KS (scipy) plus PSI
on the numeric columns. Used only as a benchmark baseline.

    python3 scripts/bench/numpy_baseline.py log.csv
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats

start = time.perf_counter()
data = pd.read_csv(sys.argv[1], dtype={"split": "category", "sex": "category", "race": "category", "region": "category"})
y = data["y_true"].to_numpy(dtype=np.int64)
p = data["y_pred"].to_numpy(dtype=np.int64)
result = {}
for name in ["sex", "race"]:
    codes = data[name].cat.codes.to_numpy(dtype=np.int64)
    k = len(data[name].cat.categories)
    counts = np.bincount(codes * 4 + y * 2 + p, minlength=k * 4).reshape(k, 4)
    tn, fp, fn, tp = counts[:, 0], counts[:, 1], counts[:, 2], counts[:, 3]
    n = counts.sum(axis=1)
    selection = (tp + fp) / n
    tpr = tp / np.maximum(tp + fn, 1)
    fpr = fp / np.maximum(fp + tn, 1)
    result[name] = {"demographic_parity_difference": float(selection.max() - selection.min()),
                    "demographic_parity_ratio": float(selection.min() / selection.max()),
                    "equalized_odds_difference": float(max(tpr.max() - tpr.min(), fpr.max() - fpr.min()))}
reference = data["split"] == "reference"
for column in ["age", "income", "score"]:
    a = data.loc[reference, column].to_numpy()
    b = data.loc[~reference, column].to_numpy()
    edges = np.histogram_bin_edges(np.concatenate([a, b]), bins="sturges")
    ra = np.histogram(a, edges)[0] / len(a)
    rb = np.histogram(b, edges)[0] / len(b)
    ra[ra == 0] = 0.0001
    rb[rb == 0] = 0.0001
    result[column] = {"ks_p": float(stats.ks_2samp(a, b).pvalue), "psi": float(np.sum((ra - rb) * np.log(ra / rb)))}
json.dump({"seconds": time.perf_counter() - start, "result": result}, sys.stdout)
print()
