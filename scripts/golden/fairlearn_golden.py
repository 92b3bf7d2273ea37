#!/usr/bin/env python3
"""Records fairlearn 0.15 and scikit-learn values for a generated prediction log.

    python3 -m venv .venv-golden && .venv-golden/bin/pip install fairlearn==0.15.0 scipy
    swift run aims metrics generate --rows 20000 --seed 42 --output /tmp/golden.csv
    .venv-golden/bin/python scripts/golden/fairlearn_golden.py /tmp/golden.csv \
        > Tests/AimsMetricsTests/Fixtures/fairlearn_expected.json

The test regenerates the file from the same seed and checks its SHA-256 before comparing.
"""
import hashlib
import json
import sys

import fairlearn
import numpy as np
import pandas as pd
from fairlearn.metrics import (MetricFrame, demographic_parity_difference, demographic_parity_ratio,
                               equal_opportunity_difference, equal_opportunity_ratio, equalized_odds_difference,
                               equalized_odds_ratio, false_negative_rate, false_positive_rate, selection_rate,
                               true_positive_rate)
from sklearn.metrics import roc_auc_score

path = sys.argv[1]
data = pd.read_csv(path, dtype={"sex": str, "race": str})
y, p, s = data["y_true"], data["y_pred"], data["score"]


def auc(y_true, score):
    return float(roc_auc_score(y_true, score)) if len(set(y_true)) == 2 else None


result = {"file_sha256": hashlib.sha256(open(path, "rb").read()).hexdigest(), "rows": int(len(data)), "fairlearn": fairlearn.__version__,
          "attributes": {}}
for name, features in [("sex", data["sex"]), ("race", data["race"]), ("sex|race", data[["sex", "race"]])]:
    frame = MetricFrame(metrics={"selection_rate": selection_rate, "true_positive_rate": true_positive_rate,
                                 "false_positive_rate": false_positive_rate, "false_negative_rate": false_negative_rate},
                        y_true=y, y_pred=p, sensitive_features=features)
    groups = {}
    for key, row in frame.by_group.iterrows():
        label = "|".join(key) if isinstance(key, tuple) else key
        mask = (features.apply(tuple, axis=1) == key) if isinstance(key, tuple) else (features == key)
        groups[label] = {k: float(v) for k, v in row.items()}
        groups[label]["count"] = int(mask.sum())
        groups[label]["roc_auc"] = auc(y[mask], s[mask])
    disparities = {}
    for method, suffix in [("between_groups", ""), ("to_overall", "_to_overall")]:
        disparities["demographic_parity_difference" + suffix] = demographic_parity_difference(y, p, sensitive_features=features, method=method)
        disparities["demographic_parity_ratio" + suffix] = demographic_parity_ratio(y, p, sensitive_features=features, method=method)
        disparities["equalized_odds_difference" + suffix] = equalized_odds_difference(y, p, sensitive_features=features, method=method)
        disparities["equalized_odds_ratio" + suffix] = equalized_odds_ratio(y, p, sensitive_features=features, method=method)
        disparities["equal_opportunity_difference" + suffix] = equal_opportunity_difference(y, p, sensitive_features=features, method=method)
        disparities["equal_opportunity_ratio" + suffix] = equal_opportunity_ratio(y, p, sensitive_features=features, method=method)
        disparities["false_positive_rate_difference" + suffix] = frame.difference(method=method)["false_positive_rate"]
        disparities["false_negative_rate_difference" + suffix] = frame.difference(method=method)["false_negative_rate"]
    result["attributes"][name] = {"groups": groups, "disparities": {k: float(v) for k, v in disparities.items()}}
result["overall"] = {"roc_auc": auc(y, s), "accuracy": float((y == p).mean())}
json.dump(result, sys.stdout, indent=1, sort_keys=True)
print()
