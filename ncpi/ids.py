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
