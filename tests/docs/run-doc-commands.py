#!/usr/bin/env python3
"""Run the documentation's marked shell blocks, as printed.

usage: run-doc-commands.py --source-dir SRC --build-dir BUILD [--timeout S] [--plant CMD] FILE.md...

A block is run when the line right before its opening fence is an HTML comment
    <!-- doc-test -->            each line runs in SRC (the source tree: `./build/release/...`)
    <!-- doc-test cwd=build -->  each line runs in BUILD (docs/patterns.md's `./counter_omp`)
Each line is one command (a line ending in a backslash continues on the next), run by bash with
`./build/release/` replaced by BUILD/, BUILD first on PATH (the front end `parkit`), PARKIT_BIN=BUILD
(the bench/ tools), OMP_NUM_THREADS=2 unless the line sets it, Open MPI's root variables, and a
timeout. OMPI_MCA_rmaps_base_oversubscribe is removed from the environment: a command that needs
--oversubscribe must say so, as a reader's shell would make it. The first command that exits
nonzero or times out ends the run with one line: FAIL: FILE:LINE: COMMAND (why).
--plant CMD runs CMD first, as if a marked block of the first file held it (to show that a failure is caught).
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import time

MARK = re.compile(r"^\s*<!--\s*doc-test(?P<opts>[^>]*?)\s*-->\s*$")


def blocks(path):
    """Yield (line number, command, cwd key) for each command of each marked block."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = MARK.match(lines[i])
        if not m:
            i += 1
            continue
        opts = dict(o.split("=", 1) for o in m.group("opts").split() if "=" in o)
        cwd = opts.get("cwd", "source")
        if cwd not in ("source", "build"):
            sys.exit(f"FAIL: {path}:{i + 1}: doc-test cwd={cwd} (not source or build)")
        if i + 1 >= len(lines) or not lines[i + 1].startswith("```"):
            sys.exit(f"FAIL: {path}:{i + 1}: doc-test mark not followed by a ``` fence")
        j = i + 2
        pending, start = "", None
        while j < len(lines) and not lines[j].startswith("```"):
            text = lines[j]
            if start is None:
                start = j + 1
            if text.endswith("\\"):
                pending += text[:-1] + " "
            else:
                cmd = (pending + text).strip()
                if cmd and not cmd.startswith("#"):
                    yield start, cmd, cwd
                pending, start = "", None
            j += 1
        if j >= len(lines):
            sys.exit(f"FAIL: {path}:{i + 1}: marked block never closed")
        i = j + 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--plant", help="a command to append as a marked block of the first file")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    src, build = os.path.abspath(a.source_dir), os.path.abspath(a.build_dir)

    env = dict(os.environ)
    env.pop("OMPI_MCA_rmaps_base_oversubscribe", None)
    env.update(OMP_NUM_THREADS="2", OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               PARKIT_BIN=build, PATH=build + os.pathsep + env.get("PATH", ""))

    todo = []
    for k, f in enumerate(a.files):
        rel = os.path.relpath(f, src)
        if k == 0 and a.plant:
            todo.append((rel, "planted", a.plant, "source"))
        todo += [(rel, n, c, w) for n, c, w in blocks(f)]
    if not todo:
        print("FAIL: no <!-- doc-test --> block found in " + " ".join(a.files))
        return 1

    t_all = time.monotonic()
    for rel, line, cmd, where in todo:
        run = cmd.replace("./build/release/", build + "/")
        cwd = build if where == "build" else src
        t = time.monotonic()
        p = subprocess.Popen(["bash", "-c", run], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            out, _ = p.communicate(timeout=a.timeout)
            rc, why = p.returncode, f"exit {p.returncode}"
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)  # the whole group: mpirun and its ranks too
            out, _ = p.communicate()
            rc, why = -1, f"timed out after {a.timeout:g} s"
        dt = time.monotonic() - t
        if rc != 0:
            tail = out.decode(errors="replace").strip().splitlines()[-8:]
            for l in tail:
                print("  | " + l)
            print(f"FAIL: {rel}:{line}: {cmd} ({why})")
            return 1
        print(f"ok {dt:6.2f}s  {rel}:{line}: {cmd}", flush=True)
    print(f"PASS: {len(todo)} commands from {len(a.files)} files in {time.monotonic() - t_all:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
