#!/usr/bin/env python3
"""python_create: what creating a worker costs in Python, per creation, as create_cost measures it in C.

The tutorials start workers with threading.Thread and multiprocessing.Process and say threads are
"lightweight and quick to create". This program times, one creation at a time, start() then join()
of a worker whose target returns at once:

  python3 bench/compare/python_create.py                 # every mechanism, text
  python3 bench/compare/python_create.py --repeat 50 --json

  thread          threading.Thread
  process-fork    multiprocessing.Process, start method 'fork' (a copy of this interpreter)
  process-spawn   multiprocessing.Process, start method 'spawn' (a fresh interpreter that imports
                  this module: what Windows and macOS use by default)
  process-forkserver  multiprocessing.Process via a fork server (started once, untimed)

Reports min/median/max per mechanism (seconds) over --repeat creations after --warmup. Every worker
must exit 0. Standard library only. Exit 0, 1 when a worker failed, 2 on bad arguments.
"""

import argparse
import json
import multiprocessing
import statistics
import sys
import threading
import time


def nothing():
    return None


def one_thread():
    t = threading.Thread(target=nothing)
    t0 = time.perf_counter()
    t.start()
    t.join()
    return time.perf_counter() - t0, True


def one_process(ctx):
    p = ctx.Process(target=nothing)
    t0 = time.perf_counter()
    p.start()
    p.join()
    return time.perf_counter() - t0, p.exitcode == 0


MECHANISMS = {
    "thread": ("threading.Thread start + join", lambda: one_thread),
    "process-fork": ("multiprocessing.Process (fork) start + join",
                     lambda: (lambda c=multiprocessing.get_context("fork"): one_process(c))),
    "process-spawn": ("multiprocessing.Process (spawn) start + join",
                      lambda: (lambda c=multiprocessing.get_context("spawn"): one_process(c))),
    "process-forkserver": ("multiprocessing.Process (forkserver) start + join",
                           lambda: (lambda c=multiprocessing.get_context("forkserver"): one_process(c))),
}


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (the kit's convention)
        sys.stderr.write(f"python_create: error: {message}\n")
        sys.exit(2)


def count(name, lo):
    def conv(text):
        if not text.isdigit() or int(text) < lo:
            raise argparse.ArgumentTypeError(f"{name} must be an integer >= {lo}, not '{text}'")
        return int(text)
    return conv


def main():
    doc = __doc__.split("\n\n")
    p = Parser(prog="python_create", description=doc[0], epilog="\n\n".join(doc[1:]),
               formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--only", default=",".join(MECHANISMS), help=f"mechanisms (default {','.join(MECHANISMS)})")
    p.add_argument("--repeat", type=count("--repeat", 1), default=50, help="timed creations each (default 50)")
    p.add_argument("--warmup", type=count("--warmup", 0), default=2, help="untimed creations first (default 2)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    a = p.parse_args()
    want = [m.strip() for m in a.only.split(",") if m.strip()]
    bad = [m for m in want if m not in MECHANISMS]
    if bad or not want:
        p.error(f"--only: '{','.join(bad)}' is not one of {', '.join(MECHANISMS)}")
    rows, failed = [], 0
    for key in want:
        what, make = MECHANISMS[key]
        one = make()
        times, ok = [], True
        for i in range(a.warmup + a.repeat):
            dt, good = one()
            ok = ok and good
            if i >= a.warmup:
                times.append(dt)
        failed += not ok
        rows.append({"key": key, "mechanism": what, "repeats": a.repeat, "median_s": statistics.median(times),
                     "min_s": min(times), "max_s": max(times), "status": "ok" if ok else "FAILED"})
    report = {"program": "python_create", "python": sys.version.split()[0], "repeat": a.repeat,
              "warmup": a.warmup, "verification": "FAIL" if failed else "PASS",
              "verification_detail": f"{failed} mechanism(s) had a worker exit non-zero" if failed
              else "every worker started, ran and was joined (processes exited 0)", "rows": rows}
    if a.json:
        print(json.dumps(report))
    else:
        print(f"# python_create: creating a worker in Python {report['python']}, per creation")
        print(f"# {'Mechanism':>48} {'Repeats':>8} {'Median(us)':>12} {'Min(us)':>12} {'Max(us)':>12}  Status")
        for r in rows:
            print(f"  {r['mechanism']:>48} {r['repeats']:>8} {r['median_s'] * 1e6:12.1f} {r['min_s'] * 1e6:12.1f} "
                  f"{r['max_s'] * 1e6:12.1f}  {r['status']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
