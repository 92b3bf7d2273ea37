#!/usr/bin/env bash
# Benchmarks `aims metrics` against wc -l, a hand-written numpy/pandas version and fairlearn on
# generated logs. Needs a release build (statically linked: it starts sooner than the dynamically
# linked one, measurable on a million rows) and, for the Python peers, a venv:
#   swift build -c release --product aims --static-swift-stdlib
#   python3 -m venv .venv-bench && .venv-bench/bin/pip install fairlearn==0.15.0 scipy pandas
#   python3 -m venv .venv-evidently && .venv-evidently/bin/pip install evidently==0.7.23 pandas==2.3.3
# Usage: scripts/bench/run.sh [rows ...]   (default: 1000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
aims=.build/release/aims
python=${PYTHON:-.venv-bench/bin/python}
evidently=${EVIDENTLY_PYTHON:-.venv-evidently/bin/python}
work=${BENCH_DIR:-/tmp/aims-bench}
mkdir -p "$work"
# The fastest of $RUNS runs (default 5): this shared machine's timings vary by ±15 %, the minimum least.
time_it() {
  local best="" start end t
  for _ in $(seq "${RUNS:-5}"); do
    start=$(date +%s.%N); "$@" > /dev/null || true; end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  echo "$best"
}
# One run, for the peers that take tens of seconds.
time_once() { RUNS=1 time_it "$@"; }
peak() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -n 1; }
for rows in "${@:-1000000}"; do
  log="$work/log-$rows.csv"
  [ -f "$log" ] || "$aims" metrics generate --rows "$rows" --seed 42 --output "$log" > /dev/null
  echo "== $rows rows ($(du -h "$log" | cut -f1))"
  echo "wc -l                          $(time_it wc -l "$log") s"
  echo "aims metrics fairness          $(time_it "$aims" metrics fairness --input "$log" --label y_true --prediction y_pred --score score --sensitive sex --sensitive race --format json --output "$work/f.json" || true) s, peak $(peak "$aims" metrics fairness --input "$log" --label y_true --prediction y_pred --score score --sensitive sex --sensitive race --format json --output /dev/null || true) KiB"
  echo "aims metrics fairness no score $(time_it "$aims" metrics fairness --input "$log" --label y_true --prediction y_pred --sensitive sex --sensitive race --format json --output "$work/f0.json" || true) s, peak $(peak "$aims" metrics fairness --input "$log" --label y_true --prediction y_pred --sensitive sex --sensitive race --format json --output /dev/null || true) KiB"
  echo "aims metrics drift             $(time_it "$aims" metrics drift --input "$log" --split-column split --column age --column income --column score --column sex --column race --column region --format json --output "$work/d.json" || true) s, peak $(peak "$aims" metrics drift --input "$log" --split-column split --column age --column income --column score --column sex --column race --column region --format json --output /dev/null || true) KiB"
  echo "aims metrics all               $(time_it "$aims" metrics all --input "$log" --label y_true --prediction y_pred --sensitive sex --sensitive race --split-column split --column age --column income --column score --format json --output "$work/a.json" || true) s, peak $(peak "$aims" metrics all --input "$log" --label y_true --prediction y_pred --sensitive sex --sensitive race --split-column split --column age --column income --column score --format json --output /dev/null || true) KiB"
  echo "numpy/pandas fairness + drift  $(time_it "$python" scripts/bench/numpy_baseline.py "$log") s, peak $(peak "$python" scripts/bench/numpy_baseline.py "$log") KiB"
  if [ "${SKIP_FAIRLEARN:-0}" != 1 ]; then
    echo "fairlearn MetricFrame          $(time_once "$python" scripts/bench/fairlearn_baseline.py "$log") s, peak $(peak "$python" scripts/bench/fairlearn_baseline.py "$log") KiB"
  fi
  if [ "${SKIP_EVIDENTLY:-0}" != 1 ]; then
    echo "evidently DataDriftPreset      $(time_once "$evidently" scripts/bench/evidently_baseline.py "$log") s, peak $(peak "$evidently" scripts/bench/evidently_baseline.py "$log") KiB"
  fi
done
