"""Print every variant fixture's mismatches (ignoring known_gaps.toml), optionally filtered.

    .venv/bin/python tools/variants_report.py               # all fixtures
    .venv/bin/python tools/variants_report.py -k polarity   # only mismatch lines matching a regex
    .venv/bin/python tools/variants_report.py --summary     # counts only
    .venv/bin/python tools/variants_report.py --write-gaps  # rewrite known_gaps.toml from the current parser
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ncpi.build import parse_one  # noqa: E402
from ncpi.parse.forcenames import default_matcher  # noqa: E402
from tests.test_variants import CASES, HERE, check  # noqa: E402

HEADER = """# Variant fixtures the parser does not yet read as a careful reader would.
# Each runs as a strict xfail: remove the entry when the fixture passes.
# The reason lists the first mismatches (got != expected).
"""


def main(cases=None, *, can_write_gaps: bool = True) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", help="regex: show only mismatch lines matching it")
    ap.add_argument("--summary", action="store_true")
    if can_write_gaps:
        ap.add_argument("--write-gaps", action="store_true")
    ap.add_argument("fixtures", nargs="*", help="fixture name prefixes (e.g. 100 113)")
    a = ap.parse_args()
    matcher = default_matcher()
    passing, failing, gaps = [], {}, {}
    for path in cases or CASES:
        if a.fixtures and not any(path.stem.startswith(f) for f in a.fixtures):
            continue
        exp = tomllib.loads(path.with_name(path.stem + ".expected.toml").read_text())
        doc, q = parse_one(path.parent, path.name, matcher)
        errs = check(doc, q, exp)
        if not errs:
            passing.append(path.stem)
            continue
        failing[path.stem] = errs
        gaps[path.stem] = "; ".join(errs[:3])[:400]
    for stem, errs in failing.items():
        shown = [e for e in errs if not a.k or re.search(a.k, e)]
        if shown and not a.summary:
            print(f"== {stem}")
            for e in shown:
                print(f"   {e}")
    n = sum(len(v) for v in failing.values())
    print(f"\n{len(passing)}/{len(passing) + len(failing)} passing, {len(failing)} failing, {n} mismatches")
    if getattr(a, "write_gaps", False):
        lines = [HEADER] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(gaps.items())]
        (HERE / "known_gaps.toml").write_text("\n".join(lines) + "\n")
        tomllib.loads((HERE / "known_gaps.toml").read_text())
        print(f"wrote {HERE / 'known_gaps.toml'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
