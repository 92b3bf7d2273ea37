#!/usr/bin/env python3
"""evidently 0.7.23 drift on a generated log, as `aims metrics drift` runs it: the six columns,
reference against current by the split column. Used only as a benchmark peer.

    python3 -m venv .venv-evidently && .venv-evidently/bin/pip install evidently==0.7.23 pandas==2.3.3
    .venv-evidently/bin/python scripts/bench/evidently_baseline.py log.csv
"""
import sys
import warnings

import pandas as pd
from evidently import DataDefinition, Dataset, Report
from evidently.presets import DataDriftPreset

warnings.filterwarnings("ignore")
columns = ["age", "income", "score", "sex", "race", "region"]
data = pd.read_csv(sys.argv[1], usecols=columns + ["split"], dtype={"sex": str, "race": str, "region": str, "split": str})
reference = data[data["split"] == "reference"].drop(columns=["split"])
current = data[data["split"] == "current"].drop(columns=["split"])
definition = DataDefinition(numerical_columns=["age", "income", "score"], categorical_columns=["sex", "race", "region"])
report = Report([DataDriftPreset()]).run(Dataset.from_pandas(current, data_definition=definition),
                                         Dataset.from_pandas(reference, data_definition=definition))
drifted = report.dict()["metrics"][0]["value"]
print(f"evidently: {drifted['count']:.0f} of {len(columns)} columns drifted")
