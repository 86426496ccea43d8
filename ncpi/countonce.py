"""Each assessed point counted once, every repetition kept as evidence.

A user's `count(*)` of findings per force must not grow because a release was copied or
because a news story repeated its sentences. So the published findings, statements and
contact_notes hold one row per point, and the `duplicates` table holds every other place
the same point was read, with its source and span, and the row it repeats:

- `same_article`: a row of a copy that is not its copy group's canonical member. Copies
  repeat the article, so none of their rows is counted; each names the canonical row it
  matches (or none, when the copy was parsed into a row the canonical text lacks).
- `restated`: a row of another article (a news story about the same inspection) whose text
  is a near-verbatim repeat of a row already counted for the same inspection and
  polarity (statements: a quote about the same force and inspection). What a story adds
  is counted.

Groups are visited in canonical order (the inspectorate's own text first, then the most
complete, then the earliest), so the first-hand wording is the one counted.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

import numpy as np
from rapidfuzz import fuzz, process

from ncpi.copies import canonical_rank
from ncpi.ids import short_hash

COUNTED_TABLES = {"findings": "finding_id", "statements": "statement_id", "contact_notes": "contact_id"}
# rapidfuzz scores (0-100) above which two texts say the same thing. WHOLE: the two texts as a
# whole (a copy's re-split bullet, a news story repeating a release sentence); PART: the
# shorter inside the longer (a story quoting two paragraphs of a four-paragraph quote).
SAME_WHOLE = 88
SAME_PART = 95
# Below this many characters, "inside the longer" proves nothing ("the force improved").
MIN_PART_CHARS = 40

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def comparable(text: str | None) -> str:
    folded = unicodedata.normalize("NFKC", text or "").translate(_QUOTES).casefold()
    return _SPACE.sub(" ", folded).strip(" .;,:'\"")


def same_point_score(a: str, b: str, **_: object) -> float:
    """How surely two normalised texts state the same point (0-100)."""
    whole = fuzz.ratio(a, b)
    if whole >= SAME_WHOLE:
        return whole
    if min(len(a), len(b)) >= MIN_PART_CHARS:
        part = fuzz.partial_ratio(a, b)
        if part >= SAME_PART:
            return part
    return whole


def _bucket(table: str, row: dict) -> tuple:
    """Rows that could state the same point: same table and inspection (and polarity, organisation)."""
    if table == "findings":
        return (row.get("inspection_id"), row.get("force_id"), row.get("polarity"))
    if table == "statements":
        return (row.get("force_id"), row.get("inspection_id"))
    return (row.get("organisation"), row.get("kind"), row.get("phone_e164"))


def _text(table: str, row: dict) -> str:
    if table == "contact_notes":
        return comparable(f"{row.get('organisation')} {row.get('phone_e164')}")
    return comparable(row.get("text"))


def _best_match(text: str, candidates: list[tuple[str, str]]) -> tuple[str | None, float]:
    """(id, score) of the candidate stating the same point as text, or (None, 0.0).

    The best same_point_score over the candidates (the first on a tie), computed in bulk:
    every candidate's ratio in one call, then partial_ratio only where the ratio falls
    short and both texts are long enough. Scores that cannot make a match (a ratio under
    SAME_WHOLE, a partial ratio under SAME_PART) are cut off early and read as 0: only
    a match's score is ever kept."""
    if not candidates:
        return None, 0.0
    choices = [c[1] for c in candidates]
    scores = process.cdist([text], choices, scorer=fuzz.ratio, dtype=np.float64, score_cutoff=SAME_WHOLE)[0]
    if len(text) >= MIN_PART_CHARS:
        lengths = np.fromiter(map(len, choices), dtype=np.int64, count=len(choices))
        need = np.flatnonzero((scores < SAME_WHOLE) & (lengths >= MIN_PART_CHARS))
        if len(need):
            part = process.cdist([text], [choices[i] for i in need], scorer=fuzz.partial_ratio,
                                 dtype=np.float64, score_cutoff=SAME_PART)[0]
            hit = part >= SAME_PART
            scores[need[hit]] = part[hit]
    best = int(np.argmax(scores))
    score = float(scores[best])
    return (candidates[best][0], score) if score >= SAME_WHOLE else (None, 0.0)


def _duplicate_row(table: str, row: dict, kept: str | None, relation: str, score: float) -> dict:
    row_id = row[COUNTED_TABLES[table]]
    return {
        "duplicate_id": short_hash(f"{table}\0{row_id}"),
        "table_name": table, "row_id": row_id, "kept_id": kept, "relation": relation,
        "similarity": round(score, 1) if kept else None,
        "source_id": row["source_id"], "inspection_id": row.get("inspection_id"),
        "force_id": row.get("force_id"), "span_start": row.get("span_start"),
        "span_end": row.get("span_end"), "text": row.get("text") if table != "contact_notes" else row.get("phone_raw"),
    }


def fold_table(table: str, rows: list[dict], sources: dict[str, dict]) -> tuple[list[dict], list[dict]]:
    """(counted rows, duplicate rows) of one table; see the module docstring for the rule."""
    id_col = COUNTED_TABLES[table]
    group_rank = {s["copy_group"]: canonical_rank(sources[s["copy_group"]]) for s in sources.values()}
    ordered = sorted(rows, key=lambda r: (group_rank[sources[r["source_id"]]["copy_group"]],
                                          r["source_id"], r.get("span_start") or 0, r[id_col]))
    canonical_rows: dict[tuple, list[tuple[str, str]]] = defaultdict(list)   # (group, table) -> rows
    kept_in_bucket: dict[tuple, list[tuple[str, str, str]]] = defaultdict(list)  # bucket -> (id, text, group)
    counted, duplicates, copies = [], [], []
    for row in ordered:
        src = sources[row["source_id"]]
        if not src["is_canonical"]:
            copies.append(row)
            continue
        text, bucket = _text(table, row), _bucket(table, row)
        # Contact notes are printed in every release: only a copy of the same article repeats one.
        others = [] if table == "contact_notes" else \
            [(i, t) for i, t, g in kept_in_bucket[bucket] if g != src["copy_group"]]
        kept, score = _best_match(text, others) if text else (None, 0.0)
        if kept is not None:
            duplicates.append(_duplicate_row(table, row, kept, "restated", score))
            continue
        counted.append(row)
        kept_in_bucket[bucket].append((row[id_col], text, src["copy_group"]))
        canonical_rows[src["copy_group"]].append((row[id_col], text))
    for row in copies:   # a copy's rows point at the canonical member's rows they repeat
        kept, score = _best_match(_text(table, row), canonical_rows[sources[row["source_id"]]["copy_group"]])
        duplicates.append(_duplicate_row(table, row, kept, "same_article", score))
    return counted, duplicates


def fold_counted_tables(tables: dict[str, list[dict]], sources: list[dict]) -> list[dict]:
    """Replace findings, statements and contact_notes by their counted rows; return the duplicates."""
    by_id = {s["source_id"]: s for s in sources}
    duplicates: list[dict] = []
    for table in COUNTED_TABLES:
        tables[table], more = fold_table(table, tables.get(table, []), by_id)
        duplicates += more
    return duplicates
