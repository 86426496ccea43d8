"""Print every holdout fixture's mismatches and the pass count (tests/fixtures/holdout).

The holdout set was written without reading the parser; it is reported, not enforced.
Same options as tools/variants_report.py, without --write-gaps:

    .venv/bin/python tools/holdout_report.py               # all fixtures
    .venv/bin/python tools/holdout_report.py -k polarity   # only mismatch lines matching a regex
    .venv/bin/python tools/holdout_report.py --summary     # counts only
    .venv/bin/python tools/holdout_report.py 300 305       # fixture name prefixes
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.test_holdout import CASES  # noqa: E402
from variants_report import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main(CASES, can_write_gaps=False))
