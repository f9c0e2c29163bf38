"""Read parkit program results out of job logs, and turn them into scaling rows.

The one place that knows the formats (slurm/collect-scaling uses it; bench/ can import
it). Python 3 standard library only.

A parkit program run with --json prints one JSON object on one line, e.g.
  {"program":"sum_omp","n":1000000,"threads":2,"ranks":1,"time_median_s":0.0123,
   "verification":"PASS", ...}
Fields relied on: program, n, threads, ranks, time_median_s, verification.

slurm/scaling.sbatch adds one line before the program runs:
  parkit-scaling: mode=strong model=threads workers=2 array_job=17 index=1
"""

import json
import re

SCALING_MARKER = "parkit-scaling:"
RESULT_FIELDS = ("program", "n", "threads", "ranks", "time_median_s", "verification")
CSV_FIELDS = ("mode", "workers", "n", "time_median_s", "speedup", "efficiency")


def parse_result_lines(text):
    """Return every parkit JSON result object found in text, in order.

    A log mixes the program's line with launcher noise (OMP_DISPLAY_ENV, mpirun
    warnings), so only lines that are a whole JSON object naming a program count.
    """
    results = []
    for line in text.splitlines():
        line = line.strip()
        if not (line.startswith("{") and line.endswith("}")):
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and "program" in obj:
            results.append(obj)
    return results


def parse_scaling_marker(text):
    """Return the key=value fields of the scaling.sbatch marker line, or None."""
    for line in text.splitlines():
        if line.startswith(SCALING_MARKER):
            fields = dict(re.findall(r"(\w+)=(\S+)", line[len(SCALING_MARKER):]))
            if "workers" in fields:
                fields["workers"] = int(fields["workers"])
            return fields
    return None


class ResultError(ValueError):
    """A job output that cannot become a row: missing line, failed verification."""


def read_scaling_output(path):
    """Read one scaling array element's output into a record dict.

    Raises ResultError, naming the file, when the output is not one verified run.
    """
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    marker = parse_scaling_marker(text)
    if marker is None:
        raise ResultError(f"{path}: no '{SCALING_MARKER}' line (not a scaling.sbatch output?)")
    results = parse_result_lines(text)
    if len(results) != 1:
        raise ResultError(f"{path}: expected one JSON result line, found {len(results)}"
                          " (did the program fail or run without --json?)")
    result = results[0]
    missing = [k for k in RESULT_FIELDS if k not in result]
    if missing:
        raise ResultError(f"{path}: result lacks {', '.join(missing)}")
    if result["verification"] != "PASS":
        raise ResultError(f"{path}: verification {result['verification']}")
    return {
        "mode": marker.get("mode", "strong"),
        "workers": marker["workers"],
        "n": int(result["n"]),
        "time_median_s": float(result["time_median_s"]),
        "program": result["program"],
        "path": str(path),
    }


def scaling_rows(records):
    """Add speedup and efficiency to records; return them sorted by mode, workers.

    The baseline of each mode is its smallest worker count b (normally 1):
      strong (same n):           speedup = t_b / t_w          efficiency = speedup * b / w
      weak (n grows with w):     speedup = (w / b) * t_b / t_w  (scaled speedup)
                                 efficiency = t_b / t_w
    Two records with the same mode and worker count are an error: which one to trust?
    """
    rows = []
    for mode in sorted({r["mode"] for r in records}):
        group = sorted((r for r in records if r["mode"] == mode), key=lambda r: r["workers"])
        seen = set()
        for r in group:
            if r["workers"] in seen:
                raise ResultError(f"two results for mode={mode} workers={r['workers']}")
            seen.add(r["workers"])
        base = group[0]
        for r in group:
            ratio = base["time_median_s"] / r["time_median_s"] if r["time_median_s"] > 0 else float("nan")
            scale = r["workers"] / base["workers"]
            if mode == "weak":
                speedup, efficiency = scale * ratio, ratio
            else:
                speedup, efficiency = ratio, ratio / scale
            rows.append(dict(r, speedup=speedup, efficiency=efficiency))
    return rows
