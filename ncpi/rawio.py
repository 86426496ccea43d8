"""Which files under a raw root are documents, and reading them within limits."""
from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024          # a release is a few KB; 5 MB is already absurd
CONTROL_TOP = {"README.md", "sources.toml", "corrections.csv"}


@dataclass
class RawDoc:
    path: str            # relative to the raw root, POSIX
    data: bytes | None
    meta: dict
    error: tuple[str, str] | None = None   # (rule, reason) when it could not be read


def list_documents(raw_dir: Path) -> list[str]:
    """Relative POSIX paths of every document under raw_dir, sorted."""
    raw_dir = Path(raw_dir)
    out = []
    for root, dirs, files in os.walk(raw_dir, followlinks=False):
        rel_root = Path(root).relative_to(raw_dir)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (rel_root == Path(".") and d == "reference"))
        # A link to a folder is not followed (it could loop or leave raw/), but it is listed
        # so that read_document quarantines it instead of its files vanishing silently.
        links = [d for d in dirs if os.path.islink(os.path.join(root, d))]
        dirs[:] = [d for d in dirs if d not in links]
        out += [(rel_root / d).as_posix() for d in links]
        for name in files:
            if name.startswith(".") or name.endswith(".meta.json") or name.startswith("_state"):
                continue
            if rel_root == Path(".") and name in CONTROL_TOP:
                continue
            out.append((rel_root / name).as_posix())
    return sorted(out)


def read_document(raw_dir: Path, rel: str, max_bytes: int = MAX_BYTES) -> RawDoc:
    path = Path(raw_dir) / rel
    meta: dict = {}
    side = path.with_name(path.name + ".meta.json")
    if side.exists():
        try:
            meta = json.loads(side.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(Path(raw_dir).resolve()):
                return RawDoc(rel, None, meta, ("symlink_outside_raw", f"{rel} is a symlink to {target}, outside the raw folder; copy the file in instead"))
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            return RawDoc(rel, None, meta, ("not_a_file", f"{rel} is a link to a folder, which the build does not follow; copy the files in instead"))
        if not stat.S_ISREG(st.st_mode):
            # Opening a FIFO would block the build forever; sockets and devices are not documents.
            return RawDoc(rel, None, meta, ("not_a_file", f"{rel} is not a regular file (a pipe, socket or device); remove it from the raw folder"))
        if st.st_size > max_bytes:
            return RawDoc(rel, None, meta, ("too_large", f"{rel} is {st.st_size:,} bytes, over the {max_bytes:,}-byte cap for one release; split or trim it"))
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)     # the file may grow after stat(): never read more than the cap
        if len(data) > max_bytes:
            return RawDoc(rel, None, meta, ("too_large", f"{rel} grew past the {max_bytes:,}-byte cap for one release while being read; split or trim it"))
    except OSError as exc:
        return RawDoc(rel, None, meta, ("unreadable", f"{rel} could not be read: {exc.strerror or exc}"))
    return RawDoc(rel, data, meta)
