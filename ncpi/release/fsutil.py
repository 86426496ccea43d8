"""Files and folders of a release: versions, hashes, durable and atomic writes, safe names."""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path, PurePosixPath

VERSION_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
SUMS_NAME = "SHA256SUMS"
MANIFEST_NAME = "datapackage.json"
CHANGES_NAME = "CHANGES.parquet"
CARD_NAME = "README.md"
CHART_NAME = "findings_by_force.svg"
TMP_PREFIX = ".tmp-"


class ReleaseError(Exception):
    """A release could not be cut or checked; the message is one line a maintainer can act on."""


def parse_version(text: str) -> tuple[int, int, int] | None:
    m = VERSION_RE.match(text.strip())
    return (int(m[1]), int(m[2]), int(m[3])) if m else None


def format_version(v: tuple[int, int, int]) -> str:
    return f"{v[0]}.{v[1]}.{v[2]}"


def list_releases(releases_dir: Path) -> list[tuple[tuple[int, int, int], Path]]:
    """Complete releases under releases_dir, oldest first: folders named X.Y.Z holding a manifest.

    Temporary folders of an interrupted cut start with '.' and are never listed.
    """
    out = []
    if not releases_dir.is_dir():
        return out
    for child in releases_dir.iterdir():
        v = parse_version(child.name)
        if v and child.is_dir() and (child / MANIFEST_NAME).is_file():
            out.append((v, child))
    return sorted(out)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fsync_dir(path: Path) -> None:
    """Make a folder's entries (new names, renames) durable; a no-op where folders cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_durable(path: Path, data: bytes) -> None:
    """Write a new file and fsync it before returning."""
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def atomic_write_text(path: Path, text: str) -> None:
    """Replace path with text so readers see the old or the new content, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)   # mkstemp makes 0600; these files are published
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_dir(path.parent)


def safe_relpath(name: str) -> str | None:
    """name if it is a plain relative POSIX path that stays inside its folder, else None.

    Rejects absolute paths, drive letters, backslashes, '..', '.', empty parts, control
    characters and hidden names (a leading '.'), so a manifest or SHA256SUMS line can
    never point outside the release folder or at a temporary file.
    """
    if not name or len(name) > 255 or "\\" in name or ":" in name:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return None
    p = PurePosixPath(name)
    if p.is_absolute() or name.startswith("/"):
        return None
    parts = name.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    return name


def parse_sums(text: str) -> dict[str, str]:
    """Parse a sha256sum-style file: '<64 hex>  <name>' per line. Raises ValueError naming the bad line."""
    out: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = re.match(r"^([0-9a-f]{64}) [ *](.+)$", line)
        if not m:
            raise ValueError(f"line {n} is not '<sha256>  <name>'")
        digest, name = m[1], m[2]
        if safe_relpath(name) is None:
            raise ValueError(f"line {n} names an unsafe path {name!r}")
        if name in out:
            raise ValueError(f"line {n} lists {name!r} twice")
        out[name] = digest
    return out


def format_sums(digests: dict[str, str]) -> str:
    return "".join(f"{digests[name]}  {name}\n" for name in sorted(digests))
