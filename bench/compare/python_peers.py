#!/usr/bin/env python3
"""python_peers: sum and pi the way a Python user who wants speed writes them, measured the way parkit measures.

The tutorials' CPU-bound example is a Python loop over range(10_000_000) (python_sum.py). A Python
user who wants it fast picks one of these instead, and this program runs each on the kit's two
kernels, sum (0 + 1 + ... + n-1) and pi (midpoint rule for the integral of 4/(1+x^2) on [0,1]):

  python3 bench/compare/python_peers.py --peer numpy --kernel sum --n 1e8
  python3 bench/compare/python_peers.py --peer numba --kernel pi --workers 2 --json
  mpirun -np 2 python3 bench/compare/python_peers.py --peer mpi4py --kernel pi --json
  python3 bench/compare/python_peers.py --probe numba          # installed? which version?

  numpy   np.arange(lo, hi).sum() and the vectorised midpoint rule, over chunks (--chunk; 2^16
          elements for sum, 2^14 for pi: np.arange(10**10) alone would need 80 GB); W > 1: W
          threads (concurrent.futures), one contiguous share of [0, n) each (numpy releases the
          interpreter lock inside its loops).
  numba   @njit(parallel=True) with a prange loop; numba.set_num_threads(W). The first call
          compiles (a warm-up run, reported as compile_s, not timed).
  pool    multiprocessing.Pool(W) mapping the numpy share function over W contiguous shares (the
          pool is started before the timed runs; pool_start_s says what that cost).
  mpi4py  one share per rank (W = the ranks mpirun started), numpy inside, comm.Reduce to rank 0;
          time = the slowest rank's, from a barrier (as parkit's _mpi programs). Rank 0 prints.

Integers are np.int64 everywhere, as np.arange(n).sum() gives them: the sum wraps silently past
2^63 - 1 (n > 4.29e9). The report says whether the result is exact, and if not, whether it equals
the exact sum modulo 2^64 (a wrapped int64). pi's result is printed in full (repr) and as
float.hex(), so that runs with different worker counts can be compared bit for bit.

Reports min/median/max of --repeat timed runs after --warmup runs (at least 1 for numba).
verification: sum PASS only when exact; pi PASS when |estimate - pi| is within the worst-case
bound of any summation order (gamma_(n+6) (pi + 1) + 1/(3 n^2)). Exit 0 on PASS, 1 on FAIL,
2 on bad arguments, 3 when the peer's module is not installed.
"""

import argparse
import json
import math
import statistics
import sys
import time

# Elements per numpy call, the fastest of 2^12..2^20 in a scan on the project's machine (n = 2e7):
# sum 2^16 (0.5 ns/element; 1 ns at 2^20), pi 2^14 (3 ns/element). pi's five temporaries of
# 2^15 doubles or more came from fresh pages on every call there (glibc hands them back to the
# kernel), and pi ran 10-30x slower. --chunk overrides.
CHUNK = {"sum": 1 << 16, "pi": 1 << 14}
PEERS = ("numpy", "numba", "pool", "mpi4py")
MODULES = {"numpy": ("numpy",), "numba": ("numpy", "numba"), "pool": ("numpy",), "mpi4py": ("numpy", "mpi4py")}
KERNELS = ("sum", "pi")
EXIT_MISSING = 3


def shares(n, workers):
    """Contiguous, balanced [lo, hi) pieces of range(n), one per worker."""
    return [(n * w // workers, n * (w + 1) // workers) for w in range(workers)]


# ---- the numpy kernels (numpy, pool, mpi4py) ---------------------------------------------------
def np_sum_share(bounds, chunk):
    """np.arange(lo, hi).sum() in chunks; the chunk sums are added as an int64 array, so the share
    wraps exactly as np.arange(lo, hi).sum() would (silently)."""
    import numpy as np
    lo, hi = bounds
    parts = [np.arange(a, min(a + chunk, hi), dtype=np.int64).sum() for a in range(lo, hi, chunk)]
    return np.array(parts, dtype=np.int64).sum()


def np_pi_share(bounds, n, chunk):
    """Sum of 4/(1+x^2) at the midpoints of [lo, hi) (not yet divided by n), chunk by chunk."""
    import numpy as np
    lo, hi = bounds
    h = 1.0 / n
    total = 0.0
    for a in range(lo, hi, chunk):
        x = (np.arange(a, min(a + chunk, hi), dtype=np.float64) + 0.5) * h
        total += float(np.sum(4.0 / (1.0 + x * x)))
    return total


def _share_args(args):  # multiprocessing pickles a top-level function and a tuple
    kernel, rest = args[0], args[1:]
    return np_sum_share(*rest) if kernel == "sum" else np_pi_share(*rest)


def combine(kernel, parts, n):
    import numpy as np
    if kernel == "sum":
        return int(np.array(parts, dtype=np.int64).sum())
    total = 0.0
    for p in parts:  # in share order, as a user's sum() would
        total += p
    return total / n


# ---- one runner per peer: setup(n, W) -> (run() -> result, info dict, close()) ----------------
def setup_numpy(kernel, n, workers, chunk):
    from concurrent.futures import ThreadPoolExecutor
    import numpy as np
    parts = shares(n, workers)
    fn = (lambda b: np_sum_share(b, chunk)) if kernel == "sum" else (lambda b: np_pi_share(b, n, chunk))
    if workers == 1:
        return (lambda: combine(kernel, [fn(parts[0])], n)), {"numpy": np.__version__}, (lambda: None)
    ex = ThreadPoolExecutor(workers)
    return (lambda: combine(kernel, list(ex.map(fn, parts)), n)), {"numpy": np.__version__}, ex.shutdown


def setup_numba(kernel, n, workers, chunk):
    import numba
    from numba import njit, prange
    if workers > numba.config.NUMBA_NUM_THREADS:
        raise SystemExit(usage(f"--workers {workers}: numba was started with {numba.config.NUMBA_NUM_THREADS} "
                               "threads (NUMBA_NUM_THREADS)"))
    numba.set_num_threads(workers)

    @njit(parallel=True)
    def nb_sum(n):
        total = 0
        for i in prange(n):
            total += i
        return total

    @njit(parallel=True)
    def nb_pi(n):
        h = 1.0 / n
        total = 0.0
        for i in prange(n):
            x = (i + 0.5) * h
            total += 4.0 / (1.0 + x * x)
        return total * h

    f = nb_sum if kernel == "sum" else nb_pi
    SETUP_CACHE["numba_f"] = f
    t0 = time.perf_counter()
    f(1)  # compiles for int64 arguments
    info = {"numba": numba.__version__, "compile_s": time.perf_counter() - t0,
            "numba_threading_layer": numba.threading_layer()}
    return (lambda: int(f(n)) if kernel == "sum" else float(f(n))), info, (lambda: None)


def setup_pool(kernel, n, workers, chunk):
    import multiprocessing
    import numpy as np
    t0 = time.perf_counter()
    pool = multiprocessing.Pool(workers)
    pool.map(abs, range(workers))  # the workers exist and answer
    info = {"numpy": np.__version__, "pool_start_s": time.perf_counter() - t0,
            "start_method": multiprocessing.get_start_method()}
    args = [(kernel, b, chunk) if kernel == "sum" else (kernel, b, n, chunk) for b in shares(n, workers)]
    run = lambda: combine(kernel, pool.map(_share_args, args), n)  # noqa: E731

    def close():
        pool.close()
        pool.join()
    return run, info, close


class Mpi4pyRun:
    """One share per rank; rank 0 gets the reduced result. Each timed run starts at a barrier."""

    def __init__(self, kernel, n, chunk):
        from mpi4py import MPI
        import numpy as np
        self.MPI, self.np, self.comm = MPI, np, MPI.COMM_WORLD
        self.kernel, self.n, self.chunk = kernel, n, chunk
        self.bounds = shares(n, self.comm.Get_size())[self.comm.Get_rank()]
        self.last_time = 0.0

    def __call__(self):
        np, MPI, comm = self.np, self.MPI, self.comm
        comm.Barrier()
        t0 = MPI.Wtime()
        if self.kernel == "sum":
            send = np.array([np_sum_share(self.bounds, self.chunk)], dtype=np.int64)
            recv = np.zeros(1, dtype=np.int64)
        else:
            send, recv = np.array([np_pi_share(self.bounds, self.n, self.chunk)]), np.zeros(1)
        comm.Reduce(send, recv, op=MPI.SUM, root=0)  # int64: wraps like numpy; float64: MPI's order
        mine = np.array([MPI.Wtime() - t0])
        slowest = np.zeros(1)
        comm.Reduce(mine, slowest, op=MPI.MAX, root=0)
        self.last_time = float(slowest[0])
        return int(recv[0]) if self.kernel == "sum" else float(recv[0]) / self.n


def setup_mpi4py(kernel, n, workers, chunk):
    from mpi4py import MPI
    import numpy as np
    r = Mpi4pyRun(kernel, n, chunk)
    info = {"numpy": np.__version__, "mpi4py": __import__("mpi4py").__version__,
            "mpi_library": MPI.Get_library_version().replace("\0", "").strip().splitlines()[0]}
    return r, info, (lambda: None)


SETUP_CACHE = {}  # the compiled numba function, for the loop check after the timed runs
SETUP = {"numpy": setup_numpy, "numba": setup_numba, "pool": setup_pool, "mpi4py": setup_mpi4py}


# ---- verification ------------------------------------------------------------------------------
def verify(kernel, n, result):
    if kernel == "sum":
        exact = n * (n - 1) // 2
        if result == exact:
            return True, f"equals n(n-1)/2 = {exact}", {"exact": True}
        wrapped = (exact + 2**63) % 2**64 - 2**63
        how = "= the exact sum mod 2^64: int64 wrapped" if result == wrapped else "not even the wrapped int64"
        return False, f"got {result}, exact n(n-1)/2 = {exact} ({how})", {"exact": False,
                                                                           "wrapped_int64": result == wrapped}
    if n == 0:
        return False, "n = 0: no intervals", {}
    u = 2.0**-53
    k = n + 6
    bound = (k * u / (1 - k * u)) * (math.pi + 1) + 1 / (3.0 * n * n) + 1.23e-16
    err = abs(result - math.pi)
    ok = err <= bound
    return ok, (f"|estimate - pi| = {err:.3e} {'<=' if ok else 'EXCEEDS'} {bound:.3e} (worst case of any "
                "summation order)"), {"abs_error": err, "result_hex": float(result).hex()}


# ---- command line ------------------------------------------------------------------------------
def usage(message):
    sys.stderr.write(f"python_peers: error: {message}\n")
    return 2


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (the kit's convention)
        sys.exit(usage(message))


def count(name, lo):
    def conv(text):
        t = text.replace("_", "")
        try:
            v = int(t) if t.isdigit() else float(t)
        except ValueError:
            v = -1
        if v != int(v) or v < lo or (isinstance(v, float) and v >= 2**53):
            raise argparse.ArgumentTypeError(f"{name} must be an integer >= {lo}, not '{text}'")
        return int(v)
    return conv


def probe(peer):
    """{'peer', 'available', 'why' or 'versions'}: can this interpreter run the peer?"""
    out = {"peer": peer, "python": sys.executable, "python_version": sys.version.split()[0]}
    versions = {}
    for mod in MODULES[peer]:
        try:
            m = __import__(mod)
        except Exception as e:  # an ImportError, or a module that fails on import (numba vs numpy)
            out.update(available=False, why=f"{mod}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
            return out
        versions[mod] = getattr(m, "__version__", "?")
    out.update(available=True, versions=versions)
    return out


def main():
    doc = __doc__.split("\n\n")
    p = Parser(prog="python_peers", description=doc[0], epilog="\n\n".join(doc[1:]),
               formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--probe", choices=PEERS, help="only say whether this interpreter can run PEER (JSON), exit 0")
    p.add_argument("--peer", choices=PEERS, help="numpy, numba, pool or mpi4py")
    p.add_argument("--kernel", choices=KERNELS, default="sum", help="sum (default) or pi")
    p.add_argument("--workers", type=count("--workers", 1), default=None,
                   help="threads or processes (default 1; mpi4py: the ranks started)")
    p.add_argument("--n", type=count("--n", 0), default=10_000_000, help="elements (default 10_000_000)")
    p.add_argument("--repeat", type=count("--repeat", 1), default=3, help="timed runs (default 3)")
    p.add_argument("--warmup", type=count("--warmup", 0), default=1, help="untimed runs first (default 1)")
    p.add_argument("--chunk", type=count("--chunk", 1), default=None,
                   help="elements per numpy call (default: 2^16 for sum, 2^14 for pi)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    a = p.parse_args()
    if a.probe:
        print(json.dumps(probe(a.probe)))
        return 0
    if not a.peer:
        p.error("--peer is required (or --probe PEER)")
    if a.kernel == "pi" and a.n == 0:
        p.error("--n 0: pi needs at least one interval")
    found = probe(a.peer)
    if not found["available"]:
        sys.stderr.write(f"python_peers: {a.peer} not available in {sys.executable}: {found['why']}\n")
        return EXIT_MISSING
    rank, workers = 0, a.workers or 1
    if a.peer == "mpi4py":
        from mpi4py import MPI
        rank, size = MPI.COMM_WORLD.Get_rank(), MPI.COMM_WORLD.Get_size()
        if a.workers and a.workers != size:
            if rank == 0:
                usage(f"--workers {a.workers}: mpi4py runs one worker per rank, and {size} ranks were started")
            return 2
        workers = size
    chunk = a.chunk or CHUNK[a.kernel]
    run, info, close = SETUP[a.peer](a.kernel, a.n, workers, chunk)
    for _ in range(max(a.warmup, 1 if a.peer == "numba" else 0)):
        run()
    times, result = [], None
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        result = run()
        wall = time.perf_counter() - t0
        times.append(run.last_time if isinstance(run, Mpi4pyRun) else wall)
    if a.peer == "numba" and a.kernel == "sum":
        # a compiler may replace the loop by n(n-1)/2: then 16 times the work takes no longer
        t0 = time.perf_counter()
        SETUP_CACHE["numba_f"](16 * a.n)
        info["time_16n_s"] = time.perf_counter() - t0
        info["loop_ran"] = info["time_16n_s"] > 2 * statistics.median(times)
    close()
    if rank != 0:
        return 0
    ok, detail, extra = verify(a.kernel, a.n, result)
    med = statistics.median(times)
    report = {
        "program": "python_peers", "peer": a.peer, "kernel": a.kernel, "n": a.n, "workers": workers,
        "python": sys.version.split()[0], "repeat": a.repeat, "warmup": a.warmup,
        "result": result if a.kernel == "sum" else repr(result), **extra,
        "verification": "PASS" if ok else "FAIL", "verification_detail": detail,
        "time_min_s": min(times), "time_median_s": med, "time_max_s": max(times),
        "elements_per_s": a.n / med if med > 0 else 0.0, "chunk": chunk if a.peer != "numba" else None, **info,
    }
    if a.json:
        print(json.dumps(report))
    else:
        print(f"# python_peers: {a.kernel} of n = {a.n} with {a.peer}, {workers} worker(s)")
        for k, v in report.items():
            print(f"{k}: {v}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
