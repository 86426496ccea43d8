"""Who published a document, when, under what headline: the `sources` row's own fields.

Plain functions over the segmented text; `parse_normalised` calls them once per document.
"""
from __future__ import annotations

import datetime as dt
import re

from ncpi.parse.dates import find_dates, parse_iso_date
from ncpi.parse.segment import Block, sentences
from ncpi.text.normalise import Normalised

HMICFRS_RE = re.compile(r"\bHM[A-Z]{3,5}S\b|\bHMICFRS\b|Fire (?:&|and) Rescue Services|His Majesty['’]?s Inspectorate", re.I)
HMIC_RE = re.compile(r"\bHMIC\b|Inspectorate of Constab\w*|\bHMIC['’]s", re.I)
PUBLISHED_LINE = re.compile(r"(?:published|posted|first published)(?: on)?:?\s*(?P<d>.{6,40})$", re.I)


def inspectorate_of(text: str) -> str | None:
    if HMICFRS_RE.search(text):
        return "HMICFRS"
    if HMIC_RE.search(text):
        return "HMIC"
    return None


def source_date(blocks: list[Block], norm: Normalised, meta: dict) -> tuple[dt.date | None, list[str]]:
    flags: list[str] = []
    for b in blocks[:8]:
        if b.kind == "dateline":
            spans = [s for s in find_dates(b.text) if s.precision == "day"]
            if spans:
                flags += spans[0].flags
                if spans[0].start:
                    return spans[0].start, flags
    for b in blocks[:12] + blocks[-4:]:
        m = PUBLISHED_LINE.search(b.text) if len(b.text) < 80 else None
        if m:
            spans = [s for s in find_dates(m.group("d")) if s.precision == "day"]
            if spans and spans[0].start:
                return spans[0].start, flags + spans[0].flags
    d = parse_iso_date(norm.html_published) or parse_iso_date(meta.get("published"))
    return d, flags


def title_of(blocks: list[Block], norm: Normalised) -> str:
    for b in blocks[:3]:
        if b.kind == "headline":
            return b.text.strip()
    if norm.html_title:
        return norm.html_title
    for b in blocks:
        if b.kind == "para":
            first = sentences(b.text, 0, len(b.text))
            return (first[0].text if first else b.text)[:200]
    return ""


def publisher_of(norm: Normalised, text: str, inspectorate: str | None, blocks: list[Block]) -> str | None:
    hint = norm.publisher_hint
    if hint:
        if hint == "Crown" or re.fullmatch(r"HMIC(?:FRS)?|HM Inspectorate.*|His Majesty.*|Her Majesty.*|GOV\.UK", hint, re.I):
            return inspectorate or ("HMICFRS" if "FRS" in hint.upper() else "HMIC")
        return hint
    first_hand = any(b.kind == "get_report" for b in blocks) or re.search(
        r"(?:HMIC(?:FRS)?|Inspectorate)['’]?s?\s+(?:out-of-hours\s+)?press office", text)
    return inspectorate if first_hand else None


def is_truncated(text: str) -> bool:
    tail = text.rstrip()
    return bool(tail) and not re.search(r"[.!?:;”\"’)\]…]$|\d$", tail) and len(tail) > 200 and bool(re.search(r"[a-z]$", tail))
