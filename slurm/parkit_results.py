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
import math
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
        except (ValueError, RecursionError):  # not JSON, or nested past any result's depth
            continue
        if isinstance(obj, dict) and "program" in obj:
            results.append(obj)
    return results


class ResultError(ValueError):
    """A job output that cannot become a row: missing line, failed verification."""


class MalformedError(ResultError):
    """A job output whose values are not what a parkit program or scaling.sbatch writes (a worker
    count that is not a positive integer, a time that is not a positive finite number, ...): bad
    input rather than a failed run."""


MAX_WORKERS = 10**7
MAX_N = 2**64 - 1


def parse_scaling_marker(text, path="output"):
    """Return the key=value fields of the scaling.sbatch marker line, or None."""
    for line in text.splitlines():
        if line.startswith(SCALING_MARKER):
            fields = dict(re.findall(r"(\w+)=(\S+)", line[len(SCALING_MARKER):]))
            w = fields.get("workers")
            if w is not None:
                if not (w.isascii() and w.isdigit() and len(w) <= 8 and 1 <= int(w) <= MAX_WORKERS):
                    raise MalformedError(f"{path}: workers={w[:40]!r} is not a worker count (1..{MAX_WORKERS})")
                fields["workers"] = int(w)
            if fields.get("mode", "strong") not in ("strong", "weak"):
                raise MalformedError(f"{path}: mode={fields['mode'][:40]!r} is not strong or weak")
            return fields
    return None


def _positive_int(value, what, path, top):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise MalformedError(f"{path}: {what} {str(value)[:40]!r} is not an integer in 0..{top}")
    return value


def _positive_time(value, path):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise MalformedError(f"{path}: time_median_s {str(value)[:40]!r} is not a positive finite number of seconds")
    return float(value)


def read_scaling_output(path):
    """Read one scaling array element's output into a record dict.

    Raises ResultError, naming the file, when the output is not one verified run.
    """
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    marker = parse_scaling_marker(text, path)
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
        raise ResultError(f"{path}: verification {str(result['verification'])[:40]}")
    if "workers" not in marker:
        raise MalformedError(f"{path}: the '{SCALING_MARKER}' line has no workers=")
    return {
        "mode": marker.get("mode", "strong"),
        "workers": marker["workers"],
        "n": _positive_int(result["n"], "n", path, MAX_N),
        "time_median_s": _positive_time(result["time_median_s"], path),
        "program": str(result["program"]),
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
