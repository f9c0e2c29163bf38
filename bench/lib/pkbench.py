"""pkbench: what every bench/ script shares (Python 3 standard library only).

- the command line: one-line usage errors (exit 2), --bin/--out conventions, list parsing;
- finding and running the kit's programs (--json, one object per run), threads via
  OMP_NUM_THREADS, ranks via the MPI launcher (root and oversubscription handled);
- medians, CSV and JSON files, progress lines on stderr;
- gnuplot PNG plots (skipped with a note when gnuplot is missing).
"""

import argparse
import csv
import json
import math
import os
import re
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH_DIR = os.path.dirname(HERE)
SOURCE_DIR = os.path.dirname(BENCH_DIR)
# slurm/parkit_results.py: the one parser of results and of the scaling CSV format, shared with
# slurm/collect-scaling (see scaling_rows below)
sys.path.insert(0, os.path.join(SOURCE_DIR, "slurm"))

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A bad argument: the script prints one line and exits 2."""


class RunError(Exception):
    """A program failed, printed no result, or failed its verification."""


# ---- command line ----------------------------------------------------------------------------
class Parser(argparse.ArgumentParser):
    """argparse with the kit's error convention: one line '<tool>: error: ...' and exit 2."""

    def error(self, message):
        fail_usage(self.prog, message)


def one_line(text):
    """text with control characters escaped (\\n, \\xHH), as the C programs print values: a value
    holding a newline must not make a usage error two lines."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in str(text))


def fail_usage(tool, message):
    sys.stderr.write(f"{tool}: error: {one_line(message)}\n")
    sys.exit(EXIT_USAGE)


def parser(tool, description, epilog=None):
    p = Parser(prog=tool, description=description, epilog=epilog,
               formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", metavar="DIR",
                   help="where the programs are (default: $PARKIT_BIN, else the build directory "
                        "found next to the source tree, e.g. build/release)")
    p.add_argument("--out", metavar="DIR",
                   help=f"output directory (default: <bin>/bench-results/{tool})")
    p.add_argument("--mpirun", metavar="CMD",
                   help="MPI launcher (default: $PARKIT_MPIRUN or mpirun)")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.add_argument("--wait-quiet", type=seconds_arg("--wait-quiet"), default=0, metavar="S",
                   help="before each round, wait up to S seconds for the CPUs to be >= 90%% idle "
                        "(a shared machine; default 0: do not wait)")
    return p


SIZE_SUFFIX = {"k": 10**3, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15,
               "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50}
SIZE_MAX = 2**64 - 1
_SIZE_RE = re.compile(r"(\d+)(?:\.(\d+))?(?:[eE](\d+)|(" + "|".join(SIZE_SUFFIX) + r"))?")


def parse_size(text):
    """A size exactly as the programs accept it (common/src/size.c): 1000000, 1e6, 2.5e9, 10M, 64Mi,
    2^20, an exact integer in 0..2^64-1. Exponents are bounded before any power is taken, so a
    size like 9^99999999 is refused at once instead of computed. Returns int."""
    s = str(text).strip()
    bad = UsageError(f"'{text}' is not a size (expected an exact integer up to 2^64-1, e.g. 1000000, "
                     f"1e9, 10M, 2^20)")
    if s.startswith("-"):
        raise UsageError(f"'{text}' is negative")
    try:
        v = _exact_size(s)
    except ValueError:  # also Python's limit on the digits of an int
        raise bad from None
    if v is None or v > SIZE_MAX:
        raise bad
    return v


def _exact_size(s):
    """parse_size's arithmetic: the value, or None when s is not an exact size."""
    if "^" in s:
        b, _, e = s.partition("^")
        if not (b.isascii() and e.isascii() and b.isdigit() and e.isdigit()):
            return None
        base, exp = int(b), int(e)
        if exp == 0 or base <= 1:
            return 1 if exp == 0 else base
        if exp > 64:  # base >= 2: over 2^64 already, and never computed
            return None
        return base ** exp
    m = _SIZE_RE.fullmatch(s)
    if not m or not s.isascii():
        return None
    whole, frac, exp, suffix = m.group(1), m.group(2) or "", m.group(3), m.group(4)
    digits = int(whole + frac)
    scale = int(exp) if exp is not None else 0
    if digits == 0:
        return 0
    if scale - len(frac) > 20:  # at least 10^21: out of range, and never computed
        return None
    mult = SIZE_SUFFIX[suffix] if suffix else 1
    num = digits * mult * 10 ** max(scale - len(frac), 0)
    den = 10 ** max(len(frac) - scale, 0)
    return num // den if num % den == 0 else None


def size_list(text, what="sizes"):
    items = [t for t in str(text).split(",") if t.strip()]
    if not items:
        raise UsageError(f"empty list of {what}")
    return [parse_size(t) for t in items]


# The most workers (threads or ranks) any tool will start: past it a count is a typo, and finding
# that before the first run beats failing late with exit 1.
MAX_WORKERS = 1 << 16


def int_list(text, what, lo=1, hi=MAX_WORKERS):
    out = []
    for t in str(text).split(","):
        v = _small_int(t)
        if v is None or not lo <= v <= hi:
            raise UsageError(f"{what}: '{t.strip()}' is not an integer in {lo}..{hi} (expected a comma list, "
                             f"e.g. 1,2,4)")
        out.append(v)
    if not out:
        raise UsageError(f"{what}: empty list")
    return out


def _small_int(text):
    """int(text) for ASCII digits only (str.isdigit also takes '²' and other digits int() refuses), or None."""
    t = str(text).strip()
    return int(t) if t.isascii() and t.isdigit() and len(t) <= 12 else None


def positive(name, top=MAX_WORKERS):
    """argparse type: an integer in 1..top."""
    def conv(text):
        v = _small_int(text)
        if v is None or not 1 <= v <= top:
            raise argparse.ArgumentTypeError(f"{name} must be an integer in 1..{top}, not '{one_line(text)}'")
        return v
    conv.__name__ = name
    return conv


def seconds_arg(name, top=86400.0):
    """argparse type: a finite number of seconds in 0..top (nan, inf and negative values refused)."""
    def conv(text):
        try:
            v = float(text)
        except ValueError:
            v = float("nan")
        if not math.isfinite(v) or not 0 <= v <= top:
            raise argparse.ArgumentTypeError(f"{name} must be a number of seconds in 0..{top:g}, "
                                             f"not '{one_line(text)}'")
        return v
    conv.__name__ = name
    return conv


def size_arg(text):
    """argparse type for one size."""
    try:
        return parse_size(text)
    except UsageError as e:
        raise argparse.ArgumentTypeError(str(e))


# ---- where things are ------------------------------------------------------------------------
def cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def find_bin(given):
    """The directory holding the programs: --bin, $PARKIT_BIN, else a build directory of the
    source tree this script belongs to (build/release first, then the newest build*/)."""
    if given:
        d = given
    elif os.environ.get("PARKIT_BIN"):
        d = os.environ["PARKIT_BIN"]
    else:
        cands = [os.path.join(SOURCE_DIR, "build", "release")]
        for top in sorted(os.listdir(SOURCE_DIR)):
            if top.startswith("build"):
                p = os.path.join(SOURCE_DIR, top)
                cands.append(p)
                if os.path.isdir(p):
                    cands += [os.path.join(p, s) for s in sorted(os.listdir(p))]
        found = [c for c in cands if os.path.isfile(os.path.join(c, "sum_omp"))]
        if not found:
            raise UsageError("no build directory with the programs found: give --bin DIR or set PARKIT_BIN")
        d = found[0] if found[0] == cands[0] else max(found, key=lambda c: os.path.getmtime(os.path.join(c, "sum_omp")))
    if not os.path.isdir(d):
        raise UsageError(f"--bin '{d}' is not a directory")
    return os.path.abspath(d)


def program(bindir, name):
    """Path of a program in bindir, else in $PARKIT_LIBEXEC (an installed kit keeps its tools and
    pattern programs there, out of bin/), or None."""
    for d in (bindir, os.environ.get("PARKIT_LIBEXEC")):
        p = os.path.join(d, name) if d else None
        if p and os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def need_program(bindir, name):
    p = program(bindir, name)
    if not p:
        raise UsageError(f"program '{name}' not found in {bindir} (build it, or give --bin)")
    return p


def is_kernel_program(path):
    """True for a kernel program (<k>_omp/_mpi/_hybrid made by the runners from a kernel): it
    describes itself (--describe: one JSON object naming its kernel). Pattern programs (counter_omp,
    where_mpi, ...) have no --describe."""
    try:
        p = subprocess.run([path, "--describe"], capture_output=True, text=True, timeout=30)
        return p.returncode == 0 and "kernel" in json.loads(p.stdout)
    except (OSError, subprocess.SubprocessError, ValueError, TypeError):
        return False


def kernels_present(bindir, suffix="_omp"):
    """Kernel names k with a kernel program <k><suffix> in bindir, the catalog's order first."""
    order = ["sum", "pi", "primes", "ep", "mandel"]
    found = [f[:-len(suffix)] for f in os.listdir(bindir)
             if f.endswith(suffix) and program(bindir, f) and is_kernel_program(os.path.join(bindir, f))]
    return sorted(found, key=lambda k: (order.index(k) if k in order else len(order), k))


def out_dir(given, bindir, tool):
    d = given or os.path.join(bindir, "bench-results", tool)
    try:
        os.makedirs(d, exist_ok=True)
    except OSError as e:
        raise UsageError(f"--out '{d}': cannot create it ({e.strerror})")
    if not os.access(d, os.W_OK):
        raise UsageError(f"--out '{d}': not writable")
    return os.path.abspath(d)


# ---- progress ----------------------------------------------------------------------------------
class Progress:
    def __init__(self, tool, quiet=False):
        self.tool, self.quiet, self.t0 = tool, quiet, time.time()

    def __call__(self, msg):
        if not self.quiet:
            sys.stderr.write(f"[{self.tool} {time.time() - self.t0:6.1f}s] {msg}\n")
            sys.stderr.flush()


def _cpu_times():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v), v[3] + (v[4] if len(v) > 4 else 0)  # total, idle + iowait


def idle_fraction(seconds=2.0):
    """Fraction of CPU time idle over the next `seconds` (Linux /proc/stat), or None."""
    try:
        t0, i0 = _cpu_times()
        time.sleep(seconds)
        t1, i1 = _cpu_times()
    except (OSError, ValueError, IndexError):
        return None
    return (i1 - i0) / (t1 - t0) if t1 > t0 else None


def wait_quiet(max_seconds, log, threshold=0.9, sample=2.0, verbose=True):
    """Waits up to max_seconds until the CPUs are >= threshold idle over `sample` seconds; says
    what it found (only when it gives up, unless verbose)."""
    if not max_seconds or max_seconds <= 0:
        return
    deadline = time.time() + max_seconds
    while True:
        idle = idle_fraction(sample)
        if idle is None:
            return
        if idle >= threshold:
            if verbose:
                log(f"machine quiet: {100 * idle:.0f}% idle")
            return
        if time.time() >= deadline:
            log(f"machine still busy after {max_seconds:g} s ({100 * idle:.0f}% idle): measuring anyway")
            return
        time.sleep(3)


def load_note():
    """'load 1.23 on 2 cores' (the machine may be shared: say how busy it was)."""
    try:
        with open("/proc/loadavg") as f:
            return f"load {float(f.read().split()[0]):.2f} on {cores()} cores"
    except (OSError, ValueError, IndexError):
        return f"{cores()} cores"


# ---- running programs ------------------------------------------------------------------------
# How each MPI launcher is driven, one row per implementation: the bench builds every MPI command
# line from this table (the tests use CMake's PARKIT_MPIEXEC_* cache variables, slurm/README.md has
# one recipe per launcher). "detect" is matched against `<launcher> --version`.
MPI_LAUNCHERS = {
    # Open MPI's mpirun binds each rank to one core by default and refuses more ranks than cores.
    "openmpi": {"detect": ("Open MPI", "OpenRTE"), "np": "-np",
                "oversubscribe": ["--oversubscribe", "--bind-to", "none"],
                "cores_per_rank": lambda t: ["--map-by", f"slot:PE={t}"],
                "export": lambda var: ["-x", var],
                "root_env": {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}},
    # MPICH's hydra binds nothing unless asked, starts any number of ranks and passes the whole
    # environment on.
    "mpich": {"detect": ("HYDRA",), "np": "-n", "oversubscribe": [],
              "cores_per_rank": lambda t: [], "export": lambda var: [], "root_env": {}},
    # Slurm's srun (in an allocation, or a test cluster's `on-head DIR srun -N2 --mpi=pmix`): it
    # places ranks on the allocation's nodes, gives each rank -c cores and passes the environment on.
    "slurm": {"detect": ("slurm ",), "np": "-n", "oversubscribe": [],
              "cores_per_rank": lambda t: ["-c", str(t)], "export": lambda var: [], "root_env": {}},
    # anything else: the MPI standard's mpiexec -n only
    "other": {"detect": (), "np": "-n", "oversubscribe": [],
              "cores_per_rank": lambda t: [], "export": lambda var: [], "root_env": {}},
}


class Launcher:
    """Builds command lines for threads (OMP_NUM_THREADS), ranks and hybrid runs from MPI_LAUNCHERS."""

    def __init__(self, mpirun=None):
        self.mpirun = shlex.split(mpirun or os.environ.get("PARKIT_MPIRUN") or "mpirun")
        self._kind = None

    def available(self):
        return shutil.which(self.mpirun[0]) is not None

    def kind(self):
        """'openmpi', 'mpich' or 'other': the MPI_LAUNCHERS row of this launcher."""
        if self._kind is None:
            try:
                out = subprocess.run(self.mpirun + ["--version"], capture_output=True, text=True,
                                     timeout=30).stdout
            except (OSError, subprocess.SubprocessError):
                out = ""
            self._kind = next((k for k, row in MPI_LAUNCHERS.items()
                               if any(mark in out for mark in row["detect"])), "other")
        return self._kind

    def openmpi(self):
        return self.kind() == "openmpi"

    def env(self, threads=None, extra=None):
        e = dict(os.environ)
        if threads is not None:
            e["OMP_NUM_THREADS"] = str(threads)
        if os.geteuid() == 0:  # Open MPI refuses root unless told it is on purpose
            for k, v in MPI_LAUNCHERS["openmpi"]["root_env"].items():
                e.setdefault(k, v)
        if extra:
            e.update(extra)
        return e

    def mpi_prefix(self, ranks, threads=1):
        """mpirun -np R [...]: with T threads per rank each rank gets T cores; past the cores nothing
        is bound, since bound ranks would pile onto the same cores."""
        row = MPI_LAUNCHERS[self.kind()]
        cmd = self.mpirun + [row["np"], str(ranks)]
        if ranks * threads > cores():
            cmd += row["oversubscribe"]
        elif threads > 1:
            cmd += row["cores_per_rank"](threads)
        return cmd + row["export"]("OMP_NUM_THREADS")


def parse_json_line(text):
    """The last line of text that is a JSON object naming a program."""
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict):
                return obj
    return None


def run_json(cmd, env=None, timeout=3600, check_verification=True):
    """Runs cmd (which prints one JSON object), returns (object, wall seconds)."""
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    except FileNotFoundError:
        raise RunError(f"cannot run '{cmd[0]}': not found")
    except subprocess.TimeoutExpired:
        raise RunError(f"'{' '.join(cmd)}' timed out after {timeout} s")
    wall = time.perf_counter() - t0
    obj = parse_json_line(p.stdout)
    # a report that is not a PASS (FAIL exits 1, UNVERIFIED 4) is named as such, never counted
    if check_verification and obj is not None and obj.get("verification", "PASS") != "PASS":
        raise RunError(f"'{' '.join(cmd)}': verification {obj.get('verification')}: "
                       f"{obj.get('verification_detail', '')}")
    if p.returncode != 0 or obj is None:
        err = (p.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise RunError(f"'{' '.join(shlex.quote(c) for c in cmd)}' exited {p.returncode}: {err}")
    return obj, wall


def median(values):
    values = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return statistics.median(values) if values else float("nan")


def fnum(v, digits=4):
    """A number for tables: 4 significant digits, or '-'."""
    if v is None or (isinstance(v, float) and (math.isnan(v) or math.isinf(v))):
        return "-"
    return f"{v:.{digits}g}"


def si(v, unit=""):
    """1.23e10 -> '12.3 G' + unit."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    for f, p in ((1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= f:
            return f"{v / f:.3g} {p}{unit}"
    return f"{v:.3g} {unit}".rstrip()


# ---- files ---------------------------------------------------------------------------------------
def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([r.get(h, "") if isinstance(r, dict) else r[i] for i, h in enumerate(header)])


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2, sort_keys=False)
        f.write("\n")


def default_limits_path():
    """Where parkit_limits writes and every report looks (common/src/limits.c's pk_limits_path):
    $PARKIT_LIMITS, else $XDG_CACHE_HOME/parkit/limits-<host>.json (~/.cache by default)."""
    if os.environ.get("PARKIT_LIMITS"):
        return os.environ["PARKIT_LIMITS"]
    host = socket.gethostname().replace("/", "_") or "unknown"
    cache = os.environ.get("XDG_CACHE_HOME", "")
    if not cache.startswith("/"):
        home = os.environ.get("HOME", "")
        if not home.startswith("/"):
            return f"limits-{host}.json"
        cache = os.path.join(home, ".cache")
    return os.path.join(cache, "parkit", f"limits-{host}.json")


def read_limits(path):
    """The JSON object parkit_limits wrote, or None."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def table(header, rows, out=sys.stdout):
    """A fixed-width table, '#'-headed like the OSU micro-benchmarks."""
    cells = [[str(c) for c in r] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    out.write("# " + "  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip() + "\n")
    for r in cells:
        out.write("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() + "\n")
    out.flush()


# ---- plots -------------------------------------------------------------------------------------
def gnuplot(script, png, note=None):
    """Renders a gnuplot script into png; returns png, or None (with a note) without gnuplot."""
    exe = shutil.which("gnuplot")
    if not exe:
        if note:
            note(f"gnuplot not found: {os.path.basename(png)} not drawn (apt-get install gnuplot-nox)")
        return None
    term = "pngcairo" if _has_pngcairo(exe) else "png"
    full = f"set terminal {term} size 1200,420 font ',10'\nset output '{png}'\n{script}\nunset output\n"
    p = subprocess.run([exe], input=full, capture_output=True, text=True)
    if p.returncode != 0 or not os.path.isfile(png):
        raise RunError(f"gnuplot failed for {png}: {p.stderr.strip().splitlines()[-1:]}")
    return png


_pngcairo = None


def _has_pngcairo(exe):
    global _pngcairo
    if _pngcairo is None:
        p = subprocess.run([exe, "-e", "set terminal pngcairo"], capture_output=True, text=True)
        _pngcairo = p.returncode == 0 and "unknown" not in p.stderr.lower()
    return _pngcairo


def gp_quote(s):
    return "'" + str(s).replace("'", "''") + "'"


def main_wrapper(tool, main):
    """Runs main(); usage errors -> one line + exit 2, run errors -> one line + exit 1."""
    try:
        code = main()
    except UsageError as e:
        fail_usage(tool, str(e))
    except RunError as e:
        sys.stderr.write(f"{tool}: error: {e}\n")
        code = EXIT_FAIL
    except KeyboardInterrupt:
        sys.stderr.write(f"{tool}: interrupted\n")
        code = 130
    sys.exit(code or 0)
