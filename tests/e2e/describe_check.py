#!/usr/bin/env python3
"""describe_check.py PROGRAM [LAUNCH...]: runs `PROGRAM --describe` (after the launch words, if
any), requires one valid JSON object on stdout, and prints one line the test matches:
  describe: KERNEL MODEL TEST_N ['n:size', 'repeat:size', ...]"""
import json
import subprocess
import sys

out = subprocess.run(sys.argv[2:] + [sys.argv[1], "--describe"], capture_output=True, text=True, check=True).stdout
d = json.loads(out)
for key in ("program", "kernel", "model", "summary", "version", "default_n", "max_n", "test_n", "block", "options"):
    if key not in d:
        sys.exit(f"FAIL: --describe has no '{key}'")
print("describe:", d["kernel"], d["model"], d["test_n"], [o["name"] + ":" + o["kind"] for o in d["options"]])
