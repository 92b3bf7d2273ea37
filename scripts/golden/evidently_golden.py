#!/usr/bin/env python3
"""Records evidently 0.7.23 drift values for generated prediction logs, for AimsMetricsTests.

evidently 0.7.23 does not import with pandas 3, hence the pin:
    python3 -m venv .venv-evidently && .venv-evidently/bin/pip install evidently==0.7.23 pandas==2.3.3
    swift run aims metrics generate --rows 20000 --seed 42 --output /tmp/golden-20000.csv
    swift run aims metrics generate --rows 1600 --seed 7 --output /tmp/golden-1600.csv
    .venv-evidently/bin/python scripts/golden/evidently_golden.py /tmp/golden-20000.csv:42 /tmp/golden-1600.csv:7 \
        > Tests/AimsMetricsTests/Fixtures/evidently_expected.json

For every column it records the test evidently picks by default (by type, reference size and
distinct values) with its value, and the value of every other test Aims reports. The Swift test
regenerates the files from the seeds given after each path and checks their SHA-256 first.
"""
import hashlib
import json
import sys
import warnings

import evidently
import pandas as pd
from evidently import DataDefinition, Dataset, Report
from evidently.metrics import ValueDrift

warnings.filterwarnings("ignore")
NUMERICAL = ["age", "income", "score"]
CATEGORICAL = ["sex", "race", "region", "y_true", "y_pred"]
METHODS = {"ks": "ks", "wasserstein": "wasserstein", "psi": "psi", "kl": "kl_div", "jensenshannon": "jensenshannon",
           "chisquare": "chisquare", "z": "z"}
NAMES = {"K-S p_value": "ks", "Wasserstein distance (normed)": "wasserstein", "Jensen-Shannon distance": "jensenshannon",
         "chi-square p_value": "chisquare", "Z-test p_value": "z", "PSI": "psi", "Kullback-Leibler divergence": "kl"}


def run(metrics, reference, current):
    definition = DataDefinition(numerical_columns=NUMERICAL, categorical_columns=CATEGORICAL)
    report = Report(metrics).run(Dataset.from_pandas(current, data_definition=definition),
                                 Dataset.from_pandas(reference, data_definition=definition))
    return report.dict()["metrics"]


files = []
for argument in sys.argv[1:]:
    path, seed = argument.rsplit(":", 1)
    data = pd.read_csv(path, dtype={"sex": str, "race": str, "region": str})
    reference = data[data["split"] == "reference"].drop(columns=["id", "split"]).reset_index(drop=True)
    current = data[data["split"] == "current"].drop(columns=["id", "split"]).reset_index(drop=True)
    columns = {}
    for column in NUMERICAL + CATEGORICAL:
        default = run([ValueDrift(column=column)], reference, current)[0]
        method = default["config"]["method"]
        tests = {"default": NAMES[method], "values": {NAMES[method]: default["value"]}}
        wanted = ["ks", "wasserstein", "psi", "kl", "jensenshannon"] if column in NUMERICAL else ["chisquare", "psi", "kl", "jensenshannon"]
        if column not in NUMERICAL and pd.concat([reference[column], current[column]]).nunique() <= 2:
            wanted.append("z")
        for name in wanted:
            result = run([ValueDrift(column=column, method=METHODS[name])], reference, current)[0]
            tests["values"][name] = result["value"]
        columns[column] = tests
    files.append({"path": path, "seed": int(seed), "sha256": hashlib.sha256(open(path, "rb").read()).hexdigest(), "rows": int(len(data)),
                  "referenceRows": int(len(reference)), "columns": columns})
json.dump({"evidently": evidently.__version__, "pandas": pd.__version__, "files": files}, sys.stdout, indent=1)
