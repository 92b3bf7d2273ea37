#!/usr/bin/env python3
"""fairlearn's MetricFrame on the same log, for the benchmark: sex and race, the metrics Aims reports.

    python3 scripts/bench/fairlearn_baseline.py log.csv
"""
import sys
import time

import pandas as pd
from fairlearn.metrics import (MetricFrame, false_negative_rate, false_positive_rate, selection_rate,
                               true_positive_rate)
from sklearn.metrics import accuracy_score, precision_score

start = time.perf_counter()
data = pd.read_csv(sys.argv[1])
frame = MetricFrame(metrics={"selection_rate": selection_rate, "tpr": true_positive_rate, "fpr": false_positive_rate,
                             "fnr": false_negative_rate, "accuracy": accuracy_score, "precision": precision_score},
                    y_true=data["y_true"], y_pred=data["y_pred"], sensitive_features=data[["sex", "race"]])
frame.difference()
frame.ratio()
print(f"{time.perf_counter() - start:.3f}")
