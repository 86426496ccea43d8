"""Held-out expectations (tests/fixtures/holdout/, fixtures 300-319).

The holdout set was written from DATASET.md, the variant README's conventions and the
seed releases only, without reading the parser's code or output, so it measures how
well the parser generalises to documents it was not tuned on. Its results are reported,
not enforced: every case is a non-strict xfail, so CI stays green whether a case passes
or fails. Use tools/holdout_report.py to see the mismatches and the pass count. Never
edit a holdout fixture to make it pass.
"""
import tomllib
from pathlib import Path

import pytest

from ncpi.build import parse_one
from ncpi.parse.forcenames import default_matcher
from tests.test_variants import check

HERE = Path(__file__).parent / "fixtures" / "holdout"
CASES = sorted(p for p in HERE.iterdir() if p.suffix in (".txt", ".html"))


@pytest.mark.xfail(strict=False, reason="held-out: measures generalisation")
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_holdout(path):
    exp = tomllib.loads(path.with_name(path.stem + ".expected.toml").read_text())
    doc, q = parse_one(path.parent, path.name, default_matcher())
    errs = check(doc, q, exp)
    assert not errs, f"{path.name}:\n  " + "\n  ".join(errs)
