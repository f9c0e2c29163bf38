#!/usr/bin/env python3
"""python_sum: the tutorials' CPU-bound Python example, measured the way parkit measures.

The tutorials add up range(10_000_000) in a plain loop, then show that two threads do not make it
faster (the interpreter lock lets one thread run Python code at a time) while two processes do.
This program runs exactly that loop:

  python3 bench/compare/python_sum.py                          # serial, n = 10_000_000
  python3 bench/compare/python_sum.py --mode threads --workers 2
  python3 bench/compare/python_sum.py --mode processes --workers 2 --json

serial: one loop over range(n). threads: W threading.Thread workers, each looping over its own
contiguous share of range(n). processes: a multiprocessing.Pool of W processes doing the same.
A timed run includes starting the workers and combining their totals, as in the tutorials.
Reports min/median/max over --repeat runs after --warmup runs, and checks the total against
n(n-1)/2. Standard library only. Exit 0 verified, 1 wrong total, 2 bad arguments.
"""

import argparse
import json
import multiprocessing
import statistics
import sys
import threading
import time


def loop_sum(lo, hi):
    """The tutorials' loop, over [lo, hi)."""
    total = 0
    for i in range(lo, hi):
        total += i
    return total


def _loop_sum_args(bounds):
    return loop_sum(*bounds)


def shares(n, workers):
    """Contiguous, balanced [lo, hi) pieces of range(n)."""
    q, r = divmod(n, workers)
    out, lo = [], 0
    for w in range(workers):
        hi = lo + q + (1 if w < r else 0)
        out.append((lo, hi))
        lo = hi
    return out


def run_serial(n, workers):
    return loop_sum(0, n)


def run_threads(n, workers):
    parts = shares(n, workers)
    totals = [0] * workers

    def work(w):
        totals[w] = loop_sum(*parts[w])

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(totals)


def run_processes(n, workers):
    with multiprocessing.Pool(workers) as pool:
        return sum(pool.map(_loop_sum_args, shares(n, workers)))


MODES = {"serial": run_serial, "threads": run_threads, "processes": run_processes}


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (the kit's convention)
        sys.stderr.write(f"python_sum: error: {message}\n")
        sys.exit(2)


def count(name, lo):
    def conv(text):
        try:
            v = float(text.replace("_", ""))
        except ValueError:
            v = -1
        if v != int(v) or v < lo:
            raise argparse.ArgumentTypeError(f"{name} must be an integer >= {lo}, not '{text}'")
        return int(v)
    return conv


def main():
    p = Parser(prog="python_sum", description=__doc__.split("\n\n")[0],
               epilog="\n\n".join(__doc__.split("\n\n")[1:]), formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mode", choices=sorted(MODES), default="serial", help="serial (default), threads or processes")
    p.add_argument("--workers", type=count("--workers", 1), default=None,
                   help="threads or processes (default 2; serial: 1)")
    p.add_argument("--n", type=count("--n", 0), default=10_000_000, help="sum of range(N) (default 10_000_000)")
    p.add_argument("--repeat", type=count("--repeat", 1), default=3, help="timed runs (default 3)")
    p.add_argument("--warmup", type=count("--warmup", 0), default=0, help="untimed runs first (default 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    a = p.parse_args()
    workers = a.workers if a.workers is not None else (1 if a.mode == "serial" else 2)
    if a.mode == "serial" and workers != 1:
        p.error("--mode serial runs 1 worker (use --mode threads or processes for more)")
    run = MODES[a.mode]
    for _ in range(a.warmup):
        run(a.n, workers)
    times, total = [], None
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        total = run(a.n, workers)
        times.append(time.perf_counter() - t0)
    want = a.n * (a.n - 1) // 2
    ok = total == want
    med = statistics.median(times)
    report = {
        "program": "python_sum", "kernel": "sum", "model": f"python-{a.mode}", "n": a.n, "workers": workers,
        "python": sys.version.split()[0], "implementation": sys.implementation.name,
        "repeat": a.repeat, "warmup": a.warmup, "result": total,
        "verification": "PASS" if ok else "FAIL",
        "verification_detail": f"{'equals' if ok else 'differs from'} n(n-1)/2 = {want}",
        "time_min_s": min(times), "time_median_s": med, "time_max_s": max(times),
        "elements_per_s": a.n / med if med > 0 else 0.0, "includes_worker_startup": a.mode != "serial",
    }
    if a.json:
        print(json.dumps(report))
    else:
        print(f"# python_sum: sum of range({a.n}) in a Python loop, {a.mode}, {workers} worker(s)")
        for k, v in report.items():
            print(f"{k}: {v}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
