"""Content-derived identifiers: the same input always yields the same keys."""
from __future__ import annotations

import hashlib


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_id_for(data: bytes) -> str:
    return sha256_hex(data)[:16]


def span_id(kind: str, source_id: str, start: int, end: int) -> str:
    """Key of a row read from a span of a source: kind keeps tables' keys apart."""
    return hashlib.sha256(f"{kind}:{source_id}:{start}:{end}".encode()).hexdigest()[:16]


def short_hash(text: str) -> str:
    """16 hex digits of the sha256 of a key built from content (e.g. 'findings\\0<row id>')."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
