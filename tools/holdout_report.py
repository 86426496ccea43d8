"""Print every holdout fixture's mismatches and the pass count (tests/fixtures/holdout).

The holdout set was written without reading the parser; it is reported, not enforced.

    .venv/bin/python tools/holdout_report.py               # all fixtures
    .venv/bin/python tools/holdout_report.py -k polarity   # only mismatch lines matching a regex
    .venv/bin/python tools/holdout_report.py --summary     # counts only
    .venv/bin/python tools/holdout_report.py 300 305       # fixture name prefixes
"""
from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ncpi.build import parse_one  # noqa: E402
from ncpi.parse.forcenames import default_matcher  # noqa: E402
from tests.test_holdout import CASES  # noqa: E402
from tests.test_variants import check  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", help="regex: show only mismatch lines matching it")
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("fixtures", nargs="*", help="fixture name prefixes (e.g. 300 313)")
    a = ap.parse_args()
    matcher = default_matcher()
    passing, failing = [], {}
    for path in CASES:
        if a.fixtures and not any(path.stem.startswith(f) for f in a.fixtures):
            continue
        exp = tomllib.loads(path.with_name(path.stem + ".expected.toml").read_text())
        doc, q = parse_one(path.parent, path.name, matcher)
        errs = check(doc, q, exp)
        if errs:
            failing[path.stem] = errs
        else:
            passing.append(path.stem)
    for stem, errs in failing.items():
        shown = [e for e in errs if not a.k or re.search(a.k, e)]
        if shown and not a.summary:
            print(f"== {stem}")
            for e in shown:
                print(f"   {e}")
    n = sum(len(v) for v in failing.values())
    total = len(passing) + len(failing)
    print(f"\n{len(passing)}/{total} passing, {len(failing)} failing, {n} mismatches")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
