#!/usr/bin/env python3
"""Baseline: how long PyYAML's C loader takes to parse a service catalogue.

    python3 Benchmarks/pyyaml_parse.py DIR [--runs 5]

Parses every *.yaml under DIR (recursively) with
yaml.load(text, Loader=yaml.CSafeLoader); reading each file's text is inside
the timed region.  Repeats --runs times and prints exactly one line of JSON:

    {"runs": [...seconds...], "median": S, "files": N, "bytes": B}
"""

import argparse
import json
import os
import statistics
import sys
import time


def fail(msg):
    print("pyyaml_parse: " + msg, file=sys.stderr)
    sys.exit(2)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Time PyYAML (CSafeLoader) on every *.yaml under DIR.")
    ap.add_argument("dir", metavar="DIR")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args(argv)
    if a.runs < 1:
        ap.error("--runs must be at least 1")

    try:
        import yaml
    except ImportError:
        fail("PyYAML is not installed (pip install pyyaml, or apt-get install python3-yaml)")
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        fail("yaml.CSafeLoader is unavailable: PyYAML %s was built without libyaml; "
             "install libyaml and reinstall PyYAML (e.g. apt-get install python3-yaml)"
             % getattr(yaml, "__version__", "?"))

    if not os.path.isdir(a.dir):
        fail("not a directory: %s" % a.dir)
    files = []
    for root, dirs, names in os.walk(a.dir):
        dirs.sort()
        for n in sorted(names):
            if n.endswith(".yaml"):
                files.append(os.path.join(root, n))
    if not files:
        fail("no *.yaml files under %s" % a.dir)
    total_bytes = sum(os.path.getsize(f) for f in files)

    runs = []
    for _ in range(a.runs):
        t0 = time.perf_counter()
        for f in files:
            with open(f, encoding="utf-8") as fh:
                text = fh.read()
            yaml.load(text, Loader=loader)
        runs.append(time.perf_counter() - t0)

    print(json.dumps({
        "runs": [round(r, 4) for r in runs],
        "median": round(statistics.median(runs), 4),
        "files": len(files),
        "bytes": total_bytes,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
