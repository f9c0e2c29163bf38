"""Scaling rows (speedup, efficiency) and their plots, shared by bench/scaling and the Slurm results.

The CSV's first six columns are slurm/collect-scaling's: mode,workers,n,time_median_s,speedup,
efficiency (the definitions are the same: slurm/parkit_results.py scaling_rows). bench/scaling adds
model,ranks,threads,program,time_min_s,time_max_s,rounds after them; a CSV without a `model`
column (collect-scaling's) is one series named after its file.
"""

import math
import os

import pkbench

CSV_FIELDS = ("mode", "workers", "n", "time_median_s", "speedup", "efficiency")
EXTRA_FIELDS = ("model", "ranks", "threads", "program", "time_min_s", "time_max_s", "rounds")


def add_speedup(rows):
    """Adds speedup and efficiency to rows (dicts with mode, model, workers, time_median_s).

    Baseline of a series (mode, model): its own 1-worker run; if it has none (hybrid splits all
    use >= 2 workers), the 1-thread run of the same mode, else its smallest worker count b.
      strong (same n):        speedup = t_b / t_w,           efficiency = speedup * b / w
      weak (n grows with w):  speedup = (w / b) * t_b / t_w,  efficiency = t_b / t_w
    """
    by_mode = {}
    for r in rows:
        by_mode.setdefault(r["mode"], []).append(r)
    for mode, group in by_mode.items():
        ones = {r["model"]: r for r in group if r["workers"] == 1}
        fallback = ones.get("threads") or ones.get("ranks") or next(iter(ones.values()), None)
        for model in {r["model"] for r in group}:
            series = [r for r in group if r["model"] == model]
            base = ones.get(model) or fallback or min(series, key=lambda r: r["workers"])
            for r in series:
                t, tb = r["time_median_s"], base["time_median_s"]
                ratio = tb / t if t > 0 else float("nan")
                scale = r["workers"] / base["workers"]
                if mode == "weak":
                    r["speedup"], r["efficiency"] = scale * ratio, ratio
                else:
                    r["speedup"], r["efficiency"] = ratio, ratio / scale
                r["baseline"] = f"{base['model']} x{base['workers']}"
    return rows


def csv_row(r):
    out = {k: r.get(k, "") for k in CSV_FIELDS + EXTRA_FIELDS}
    for k in ("time_median_s", "time_min_s", "time_max_s"):
        if isinstance(out[k], float):
            out[k] = f"{out[k]:.6g}"
    for k in ("speedup", "efficiency"):
        if isinstance(out[k], float):
            out[k] = f"{out[k]:.3f}"
    return out


def read_rows(path):
    """Rows of a scaling CSV (ours or collect-scaling's), numbers converted."""
    rows = []
    label = os.path.splitext(os.path.basename(path))[0]
    for raw in pkbench.read_csv(path):
        missing = [k for k in CSV_FIELDS if k not in raw]
        if missing:
            raise pkbench.UsageError(f"{path}: not a scaling CSV (lacks {', '.join(missing)})")
        try:
            r = dict(raw)
            r["workers"] = int(raw["workers"])
            r["n"] = int(float(raw["n"]))
            for k in ("time_median_s", "speedup", "efficiency"):
                r[k] = float(raw[k])
        except ValueError as e:
            raise pkbench.UsageError(f"{path}: bad number ({e})")
        r["model"] = raw.get("model") or label
        rows.append(r)
    if not rows:
        raise pkbench.UsageError(f"{path}: no rows")
    return rows


def _block(name, points):
    lines = "\n".join(" ".join(str(v) for v in p) for p in points)
    return f"${name} << EOD\n{lines}\nEOD\n"


def plot(rows, png, title, cores=None, note=None):
    """One PNG per mode: time, speedup and efficiency against workers, one line per model,
    with the ideal (speedup = workers, efficiency = 1) and the core count marked."""
    series = {}
    for r in sorted(rows, key=lambda r: (r["model"], r["workers"])):
        series.setdefault(r["model"], []).append(r)
    blocks, names = "", []
    for i, (model, pts) in enumerate(series.items()):
        blocks += _block(f"s{i}", [(p["workers"], p["time_median_s"], p["speedup"], p["efficiency"])
                                   for p in pts])
        names.append(model)
    wmax = max(r["workers"] for r in rows)
    xmax = 2 ** math.ceil(math.log2(max(wmax, 2)))
    mode = rows[0]["mode"]
    core_line = ""
    if cores and cores < xmax:
        core_line = (f"set arrow from {cores}, graph 0 to {cores}, graph 1 nohead dt 3 lc rgb '#888888'\n"
                     f"set label 'cores' at {cores}, graph 0.5 center rotate by 90 offset -0.8,0 tc rgb '#666666'\n")
    common = (f"set logscale x 2\nset xrange [0.8:{xmax * 1.25}]\nset xlabel 'workers'\n"
              "set grid\nset key font ',9'\n" + core_line)
    def plots(col, ideal, keyed):
        """One line per model (named only in the first panel, to keep the others readable)."""
        parts = [f"$s{i} using 1:{col} with linespoints pt 7 ps 1.2 lw 2 lc {i + 1} "
                 + (f"title {pkbench.gp_quote(n)}" if keyed else "notitle")
                 for i, n in enumerate(names)]
        if ideal:
            parts.append(f"{ideal} with lines dt 2 lw 1.5 lc rgb '#000000' title 'ideal'")
        return "plot " + ", \\\n     ".join(parts) + "\n"
    # speedup on log-log axes: the ideal is the diagonal
    script = (blocks + f"set multiplot layout 1,3 title {pkbench.gp_quote(title)}\n" + common +
              "set logscale y\nset ylabel 'time (s, median)'\nset title 'time'\nset key top right\n" +
              plots(2, None, True) +
              "set logscale y 2\nset ylabel 'speedup'\nset title " +
              ("'scaled speedup (weak)'" if mode == "weak" else "'speedup'") +
              f"\nset yrange [0.5:{xmax * 1.25}]\nset key top left\n" + plots(3, "x", False) +
              "unset logscale y\nset ylabel 'parallel efficiency'\nset title 'efficiency'\nset yrange [0:1.2]\n"
              "set key bottom left\n" + plots(4, "1", False) + "unset multiplot\n")
    return pkbench.gnuplot(script, png, note)
