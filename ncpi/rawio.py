"""Which files under a raw root are documents, and reading them within limits."""
from __future__ import annotations

import json
import os
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
        size = path.stat().st_size
        if size > max_bytes:
            return RawDoc(rel, None, meta, ("too_large", f"{rel} is {size:,} bytes, over the {max_bytes:,}-byte cap for one release; split or trim it"))
        data = path.read_bytes()
    except OSError as exc:
        return RawDoc(rel, None, meta, ("unreadable", f"{rel} could not be read: {exc.strerror or exc}"))
    return RawDoc(rel, data, meta)
