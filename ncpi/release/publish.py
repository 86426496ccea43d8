"""Laying out the warehouse's releases for a static host.

    DIR/
      index.html          a page listing every version, newest first
      index.json          the same for programs: {"latest": "1.2.0", "releases": [...]}
      CHANGELOG.md        the warehouse's changelog, when there is one
      1.0.0/ 1.1.0/ ...   each release folder, copied as it is
      latest/             a copy (not a symlink: any static host serves it) of the newest

Every release is verified before it is copied, and a release already in DIR with the same
SHA256SUMS is left as it is. Each folder is written beside its place and renamed in, so
a host serving DIR while it is published sees the old or the new folder. Whatever served
`DIR/latest/` is a release folder that `ncpi download` verifies and `ncpi sql --release`
queries.
"""
from __future__ import annotations

import html
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ncpi.release.fsutil import (
    MANIFEST_NAME, SUMS_NAME, TMP_PREFIX, atomic_write_text, format_version, fsync_dir, list_releases,
)
from ncpi.release.verify import VerificationError, verify_release

LATEST_NAME = "latest"
INDEX_JSON = "index.json"
INDEX_HTML = "index.html"
CHANGELOG_NAME = "CHANGELOG.md"


class PublishError(Exception):
    """Nothing (more) was published; str() is one line naming the folder and the reason."""


@dataclass(frozen=True)
class Published:
    out_dir: Path
    versions: list[str]         # oldest first
    copied: list[str]           # versions written this time (the rest were already there)
    latest: str


def publish(warehouse_dir: Path, out_dir: Path) -> Published:
    warehouse_dir = Path(warehouse_dir).resolve()
    out_dir = Path(out_dir).resolve()
    found = list_releases(warehouse_dir / "releases")
    if not found:
        raise PublishError(f"no release in {warehouse_dir / 'releases'}; cut one with `ncpi run` or `ncpi release`")
    if out_dir == warehouse_dir or warehouse_dir in out_dir.parents or out_dir in warehouse_dir.parents:
        raise PublishError(f"{out_dir}: publish to a folder outside the warehouse, not in it or above it")
    manifests = {}
    for version, folder in found:
        try:
            verify_release(folder)
        except VerificationError as exc:
            raise PublishError(f"release {folder} does not verify, nothing published: {exc}") from None
        manifests[format_version(version)] = json.loads((folder / MANIFEST_NAME).read_text("utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    copied = []
    for version, folder in found:
        name = format_version(version)
        if _place(folder, out_dir / name):
            copied.append(name)
    latest_version, latest_folder = found[-1]
    latest = format_version(latest_version)
    _place(latest_folder, out_dir / LATEST_NAME)
    changelog = warehouse_dir / CHANGELOG_NAME
    if changelog.is_file():
        atomic_write_text(out_dir / CHANGELOG_NAME, changelog.read_text("utf-8"))
    versions = [format_version(v) for v, _ in found]
    index = index_document(versions, manifests)
    atomic_write_text(out_dir / INDEX_JSON, json.dumps(index, indent=2, ensure_ascii=False) + "\n")
    atomic_write_text(out_dir / INDEX_HTML, index_page(index))
    return Published(out_dir=out_dir, versions=versions, copied=copied, latest=latest)


def _same_release(a: Path, b: Path) -> bool:
    try:
        return (a / SUMS_NAME).read_bytes() == (b / SUMS_NAME).read_bytes()
    except OSError:
        return False


def _place(release: Path, target: Path) -> bool:
    """Copy a release folder to target unless target already holds it; True if copied."""
    if target.is_dir() and not target.is_symlink() and _same_release(release, target):
        try:
            verify_release(target)
            return False
        except VerificationError:
            pass    # damaged in place: copy it again
    tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=target.parent))
    try:
        for src in sorted(release.iterdir()):
            if src.name.startswith(".") or not src.is_file():
                continue
            shutil.copyfile(src, tmp / src.name)     # regular files, whatever src is
            os.chmod(tmp / src.name, 0o644)
        os.chmod(tmp, 0o755)
        verify_release(tmp)
        old = None
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.exists():
            old = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=target.parent))
            os.replace(target, old / "previous")
        os.replace(tmp, target)
        fsync_dir(target.parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except VerificationError as exc:
        raise PublishError(f"the copy of {release} at {target} does not verify: {exc}") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return True


def index_document(versions: list[str], manifests: dict[str, dict]) -> dict:
    """What index.json holds: the newest version first, each with its folder and row counts."""
    releases = []
    for version in reversed(versions):
        dp = manifests.get(version, {})
        resources = dp.get("resources") if isinstance(dp.get("resources"), list) else []
        releases.append({
            "version": version,
            "path": f"{version}/",
            "created": dp.get("created"),
            "rows": {r.get("name"): r.get("rows") for r in resources if isinstance(r, dict) and "rows" in r},
        })
    newest = manifests.get(versions[-1], {})
    return {
        "name": newest.get("name"),
        "title": newest.get("title"),
        "latest": versions[-1],
        "latest_path": f"{LATEST_NAME}/",
        "releases": releases,
    }


def index_page(index: dict) -> str:
    esc = html.escape
    title = esc(str(index.get("title") or index.get("name") or "Releases"))
    items = []
    for rel in index["releases"]:
        v = esc(rel["version"])
        rows = sum(n for n in rel["rows"].values() if isinstance(n, int))
        created = esc(str(rel["created"] or ""))
        items.append(f'<li><a href="{v}/">{v}</a> {created} — {rows} rows '
                     f'(<a href="{v}/{MANIFEST_NAME}">{MANIFEST_NAME}</a>, '
                     f'<a href="{v}/README.md">README.md</a>, <a href="{v}/{SUMS_NAME}">{SUMS_NAME}</a>)</li>')
    latest = esc(index["latest"])
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
        f"<title>{title}: releases</title></head>\n<body>\n"
        f"<h1>{title}</h1>\n"
        f'<p>Latest release: <a href="{LATEST_NAME}/">{LATEST_NAME}/</a> ({latest}). '
        f'Machine-readable list: <a href="{INDEX_JSON}">{INDEX_JSON}</a>.</p>\n'
        "<p>Query a release where it is: <code>ncpi sql --release &lt;this URL&gt;/latest/ "
        "\"SELECT count(*) FROM findings\"</code>; download and verify it: "
        "<code>ncpi download &lt;this URL&gt;/latest/</code>.</p>\n"
        "<ul>\n" + "\n".join(items) + "\n</ul>\n</body>\n</html>\n"
    )
