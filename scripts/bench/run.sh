#!/usr/bin/env bash
# Benchmarks `aims metrics` against wc -l, a hand-written numpy/pandas version and fairlearn on
# generated logs. Needs a release build and, for the Python peers, a venv:
#   swift build -c release --product aims
#   python3 -m venv .venv-bench && .venv-bench/bin/pip install fairlearn==0.15.0 scipy
#   python3 -m venv .venv-evidently && .venv-evidently/bin/pip install evidently==0.7.23 pandas==2.3.3
# Usage: scripts/bench/run.sh [rows ...]   (default: 1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
aims=.build/release/aims
python=${PYTHON:-.venv-bench/bin/python}
evidently=${EVIDENTLY_PYTHON:-.venv-evidently/bin/python}
work=${BENCH_DIR:-/tmp/aims-bench}
mkdir -p "$work"
time_it() { local start end; start=$(date +%s.%N); "$@" > /dev/null; end=$(date +%s.%N); echo "$end - $start" | bc; }
peak() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -n 1; }
for rows in "${@:-1000000}"; do
  log="$work/log-$rows.csv"
  [ -f "$log" ] || "$aims" metrics generate --rows "$rows" --seed 42 --output "$log" > /dev/null
  echo "== $rows rows ($(du -h "$log" | cut -f1))"
  echo "wc -l                          $(time_it wc -l "$log") s"
  echo "aims metrics fairness          $(time_it "$aims" metrics fairness --input "$log" --label y_true --prediction y_pred --score score --sensitive sex --sensitive race --format json --output "$work/f.json" || true) s, peak $(peak "$aims" metrics fairness --input "$log" --label y_true --prediction y_pred --score score --sensitive sex --sensitive race --format json --output /dev/null || true) KiB"
  echo "aims metrics fairness no score $(time_it "$aims" metrics fairness --input "$log" --label y_true --prediction y_pred --sensitive sex --sensitive race --format json --output "$work/f0.json" || true) s, peak $(peak "$aims" metrics fairness --input "$log" --label y_true --prediction y_pred --sensitive sex --sensitive race --format json --output /dev/null || true) KiB"
  echo "aims metrics drift             $(time_it "$aims" metrics drift --input "$log" --split-column split --column age --column income --column score --column sex --column race --column region --format json --output "$work/d.json" || true) s, peak $(peak "$aims" metrics drift --input "$log" --split-column split --column age --column income --column score --column sex --column race --column region --format json --output /dev/null || true) KiB"
  echo "numpy/pandas fairness + drift  $(time_it "$python" scripts/bench/numpy_baseline.py "$log") s, peak $(peak "$python" scripts/bench/numpy_baseline.py "$log") KiB"
  if [ "${SKIP_FAIRLEARN:-0}" != 1 ]; then
    echo "fairlearn MetricFrame          $(time_it "$python" scripts/bench/fairlearn_baseline.py "$log") s, peak $(peak "$python" scripts/bench/fairlearn_baseline.py "$log") KiB"
  fi
  if [ "${SKIP_EVIDENTLY:-0}" != 1 ]; then
    echo "evidently DataDriftPreset      $(time_it "$evidently" scripts/bench/evidently_baseline.py "$log") s, peak $(peak "$evidently" scripts/bench/evidently_baseline.py "$log") KiB"
  fi
done
