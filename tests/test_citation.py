"""CITATION.cff: every release carries one, and the repository's is the newest release's."""
from pathlib import Path

from ncpi.release.citation import render_citation

ROOT = Path(__file__).resolve().parents[1]


def test_repository_citation_is_the_latest_releases():
    latest = (ROOT / "warehouse" / "latest").read_text(encoding="utf-8").strip()
    released = ROOT / "warehouse" / "releases" / latest / "CITATION.cff"
    assert (ROOT / "CITATION.cff").read_text(encoding="utf-8") == released.read_text(encoding="utf-8"), \
        "copy warehouse/releases/<latest>/CITATION.cff to the repository root after cutting a release"


def test_citation_names_version_and_the_release_day():
    text = render_citation(version="2.1.0", created="2026-12-02T00:00:00Z")
    assert text.startswith("cff-version: 1.2.0\n")
    assert 'version: "2.1.0"' in text and 'date-released: "2026-12-02"' in text
    assert 'license: "OGL-UK-3.0"' in text and "type: dataset" in text
