"""Versioned releases of the dataset: cut, verify, download, history views.

Plain functions, no Prefect: flows/release.py wraps cut_release for the pipeline.

- cut_release(tables_dir, releases_dir, *, latest_file=None, changelog=None, models=None)
      -> ReleaseResult | None
- check_reproducible(tables_dir, release_dir) -> list[str]   ([] = byte-identical)
- verify_reproducible(raw_dir, release_dir, *, build=None) -> list[str]
- verify_release(path) -> VerifiedRelease   (raises VerificationError)
- download_release(url, dest=None) -> VerifiedRelease   (raises DownloadError)
- history_views_sql(warehouse_dir) -> list[str]
"""
from ncpi.release.cut import (
    ReleaseResult, check_reproducible, cut_release, latest_release, render_changelog,
    render_release, verify_reproducible,
)
from ncpi.release.download import DownloadError, download_release
from ncpi.release.fsutil import ReleaseError
from ncpi.release.verify import Problem, VerificationError, VerifiedRelease, find_problems, verify_release
from ncpi.release.views import history_view_sql, history_views_sql

__all__ = [
    "DownloadError", "Problem", "ReleaseError", "ReleaseResult", "VerificationError",
    "VerifiedRelease", "check_reproducible", "cut_release", "download_release", "find_problems",
    "history_view_sql", "history_views_sql", "latest_release", "render_changelog",
    "render_release", "verify_release", "verify_reproducible",
]
