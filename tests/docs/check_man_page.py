#!/usr/bin/env python3
"""check_man_page.py PAGE PROGRAM [--frontend] [--plant-missing OPT] [--plant-extra OPT]

Renders PAGE as a reader sees it (`man -l`, 80 columns, through cat) and compares the options it
documents with the options PROGRAM accepts:
  kernel program: the option entries of the page's options section vs `PROGRAM --describe`'s options
                  (plus --help and --version, which every program has and --describe leaves out);
  --frontend:     the option lines of the page's OPTIONS and COMMANDS sections vs those of
                  `PROGRAM --help` and of each subcommand's `PROGRAM SUB --help` (parkit).
Both ways: an option the page documents that the program does not accept, and an option the
program accepts that the page leaves out, are failures (exit 1, one line each).
--plant-missing / --plant-extra doctor a copy of the page first (its entry for OPT removed, or an
entry for OPT added), to show that the check fails when the page and the program disagree."""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][A-Za-z0-9-]*)")


def render(page):
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
    env.pop("MANPAGER", None)
    env.pop("PAGER", None)
    env.pop("MAN_KEEP_FORMATTING", None)
    p = subprocess.run(["man", "-P", "cat", "-l", page], capture_output=True, text=True, env=env, timeout=60)
    if p.returncode != 0 or not p.stdout.strip():
        sys.exit(f"FAIL: man -l {page} exited {p.returncode}: {p.stderr.strip()}")
    # a word hyphenated at the end of a line (U+2010 in UTF-8 output) is one word again; a groff that
    # renders \- as a minus sign (U+2212) still shows an option
    text = re.sub("\u2010\n[ \t]*", "", p.stdout)
    return text.replace("\u2212", "-").replace("\u2010", "-")


def doctor(page, missing, extra):
    """A copy of the page without OPT's entry (.TP, the tag line naming it, its text) or with one more."""
    with open(page, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if missing:
        tag = "\\fB\\-\\-" + missing.replace("-", "\\-") + "\\fR"
        at = [i for i, line in enumerate(lines) if line.startswith(tag) and i > 0 and lines[i - 1] == ".TP"]
        if not at:
            sys.exit(f"plant: no entry for --{missing} in {page}")
        end = at[0] + 1
        while end < len(lines) and not lines[end].startswith("."):
            end += 1
        del lines[at[0] - 1:end]  # .TP, the tag line, its text up to the next request
    if extra:
        at = [i for i, line in enumerate(lines) if line == ".TP"]
        lines[at[0]:at[0]] = [".TP", "\\fB\\-\\-" + extra.replace("-", "\\-") + "\\fR", "an option that is not there"]
    fd, path = tempfile.mkstemp(suffix=".1")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    return path


def sections(text):
    """{SECTION or 'SECTION/subsection': body} of a rendered page."""
    out, name, sub = {}, "", ""
    for line in text.split("\n"):
        if re.match(r"^[A-Z][A-Z ]+$", line):
            name, sub = line.strip(), ""
            continue
        m = re.match(r"^ {3}(\S.*)$", line)
        if m:
            sub = m.group(1).strip()
            continue
        out.setdefault(name + ("/" + sub if sub else ""), []).append(line)
    return {k: "\n".join(v) for k, v in out.items()}


def kernel_check(text, program):
    p = subprocess.run([program, "--describe"], capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        sys.exit(f"FAIL: {program} --describe exited {p.returncode}: {p.stderr.strip()}")
    d = json.loads(p.stdout)
    accepted = {"--" + o["name"] for o in d["options"]} | {"--help", "--version"}
    # the entries: an option at the start of a 7-column indented line of the options section(s)
    entries = set()
    for name, body in sections(text).items():
        if re.search(r"(^|/)options:?$", name, re.I):
            entries |= set(re.findall(r"^ {7}(--[A-Za-z][A-Za-z0-9-]*)", body, re.M))
    if not entries:
        sys.exit("FAIL: the page has no options section with option entries")
    return d["program"], entries, accepted


def option_lines(text):
    """The options that lines of the form "  -h, --help  text" / "  --model {a,b}  text" introduce."""
    found = set()
    for line in text.split("\n"):
        m = re.match(r"^ {2,}(-[^ ].*?)(?: {2,}|$)", line)
        if m:
            for part in m.group(1).split(", "):
                word = part.split(" ")[0]
                if OPTION.fullmatch(word):
                    found.add(word)
    return found


def frontend_check(text, program):
    name = os.path.basename(program)

    def help_of(*words):
        p = subprocess.run([program, *words, "--help"], capture_output=True, text=True, timeout=120)
        return p.stdout if p.returncode == 0 and p.stdout.startswith(" ".join(["usage:", name, *words])) else ""

    top = help_of()
    if not top:
        sys.exit(f"FAIL: {program} --help did not print parkit's usage")
    accepted = option_lines(top)
    for sub in re.findall(r"^    ([a-z][a-z0-9-]*)", top, re.M):
        accepted |= option_lines(help_of(sub))
    body = "\n".join(v for k, v in sections(text).items() if k.split("/")[0] in ("OPTIONS", "COMMANDS"))
    return name, option_lines(body), accepted


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("page")
    ap.add_argument("program")
    ap.add_argument("--frontend", action="store_true")
    ap.add_argument("--plant-missing", metavar="OPT")
    ap.add_argument("--plant-extra", metavar="OPT")
    a = ap.parse_args()
    page = a.page
    if a.plant_missing or a.plant_extra:
        page = doctor(a.page, a.plant_missing, a.plant_extra)
    try:
        text = render(page)
    finally:
        if page != a.page:
            os.unlink(page)
    prog, documented, accepted = (frontend_check if a.frontend else kernel_check)(text, a.program)
    bad = [f"FAIL: {os.path.basename(a.page)} documents {o}, which {prog} does not accept"
           for o in sorted(documented - accepted)]
    bad += [f"FAIL: {prog} accepts {o}, which {os.path.basename(a.page)} does not document"
            for o in sorted(accepted - documented)]
    if bad:
        print("\n".join(bad))
        return 1
    print(f"PASS: {os.path.basename(a.page)} documents the {len(accepted)} options {prog} accepts: "
          + " ".join(sorted(accepted)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
