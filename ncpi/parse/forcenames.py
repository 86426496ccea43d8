"""Recognise police forces in text, in every form releases use.

Strong mentions (official names, aliases, "<short name> Police/Constabulary") identify a
force on their own. A bare short name ("Norfolk", "Cumbria") is weak: it counts only
where the same document names that force strongly too, because "Norfolk County
Council" or "the West Midlands region" are not the force.
"""
from __future__ import annotations

import csv
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ncpi.paths import REFERENCE_FORCES
from ncpi.rules import forces as force_rules

SUFFIX = r"(?:Police(?: Service)?|Constabulary|police|constabulary|force|Force)"
# The names' left edge, (?<![\w-]), is checked by hand (_starts): a pattern that opens
# with a plain alternation of names lets the regex engine skip to the names' first
# letters instead of trying every position, which made force matching most of a parse.
WORD_BEFORE = re.compile(r"[\w-]")
MENTION_CACHE_SIZE = 4096
CAPITALS = force_rules.CAPITALS.regex
NOT_FORCE_AFTER = re.compile(r"\s+(?:County Council|City Council|Council|Fire|and Rescue|Safeguarding|NHS|University|Partnership)")


@dataclass(frozen=True)
class Mention:
    force_id: str
    start: int
    end: int
    strong: bool


@dataclass
class ForceRef:
    force_id: str
    name: str
    short_name: str
    aliases: list[str]
    country: str
    region: str
    ons_code: str


def load_reference(path: Path | None = None) -> list[ForceRef]:
    path = Path(path or REFERENCE_FORCES)
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [
        ForceRef(
            force_id=r["force_id"], name=r["name"], short_name=r["short_name"],
            aliases=[a for a in (r.get("aliases") or "").split("|") if a],
            country=r["country"], region=r["region"], ons_code=r["ons_code"],
        )
        for r in rows
    ]


class _Disjoint:
    """Disjoint spans kept sorted: "does [a, b) overlap one?" in O(log n). Only the span
    starting last before b can overlap, since the spans are disjoint and sorted (a list
    scanned per match made a long page of force names quadratic)."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, a: int, b: int) -> bool:
        k = bisect_left(self.starts, b)
        return k == 0 or self.ends[k - 1] <= a

    def add(self, a: int, b: int) -> None:
        k = bisect_left(self.starts, a)
        self.starts.insert(k, a)
        self.ends.insert(k, b)


class ForceMatcher:
    def __init__(self, forces: list[ForceRef]):
        self.forces = {f.force_id: f for f in forces}
        strong: dict[str, str] = {}
        weak: dict[str, str] = {}
        for f in forces:
            strong[f.name] = f.force_id
            for alias in f.aliases:
                # A one-word alias that is also a place (Hampshire) is weak like a short name.
                if " " not in alias and alias[:1].isupper() and alias[1:].islower():
                    weak[alias] = f.force_id
                else:
                    strong[alias] = f.force_id
            weak[f.short_name] = f.force_id
            if "and" in f.short_name.split():
                weak[f.short_name.replace(" and ", " & ")] = f.force_id
        self._strong_ids = strong
        self._weak_ids = weak
        def alt(names):
            return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        self._strong = re.compile(rf"(?:{alt(strong)})(?![\w-])")
        self._suffixed = re.compile(rf"(?P<short>{alt(weak)})\s+{SUFFIX}(?![\w-])")
        self._weak = re.compile(rf"(?:{alt(weak)})(?![\w-])")
        # A weak name made strong by the words around it (ncpi/rules/forces.py).
        self._titled = re.compile(rf"(?P<short>{alt(weak)})(?i:{force_rules.TITLED.pattern})")
        self._police_in = re.compile(rf"(?i:{force_rules.POLICE_IN.pattern})(?P<short>{alt(weak)})(?![\w-])")
        self._name_words = {w for n in list(strong) + list(weak) for w in n.split() if not w.isupper()}
        # One document resolves the same sentence several times (dates, findings, forces):
        # mentions are kept per text, a plain dict (picklable) emptied when it is full.
        self._cache: dict[str, tuple[Mention, ...]] = {}

    def mentions(self, text: str) -> list[Mention]:
        found = self._cache.get(text)
        if found is None:
            if len(self._cache) >= MENTION_CACHE_SIZE:
                self._cache.clear()
            found = self._cache[text] = tuple(self._mentions(text))
        return list(found)

    @staticmethod
    def _starts(pat: re.Pattern, text: str):
        """pat.finditer(text) as if pat began with (?<![\w-])."""
        pos = 0
        while (m := pat.search(text, pos)) is not None:
            s = m.start()
            if s and WORD_BEFORE.match(text, s - 1):
                pos = s + 1
                continue
            yield m
            pos = m.end()

    def _recased(self, text: str) -> str:
        """Words of force names written in capitals ("GREATER Manchester") as if written
        normally, same length, so spans stay valid (rule force.capitals)."""
        def one(m: re.Match) -> str:
            word = m.group(0).capitalize()
            return word if word in self._name_words else m.group(0)
        return CAPITALS.sub(one, text)

    def _context_strong(self, text: str, found: list[Mention], taken: _Disjoint) -> None:
        """Weak names the words around make strong: a report title, "police in <place>"."""
        for m in [*self._starts(self._titled, text), *self._police_in.finditer(text)]:
            a, b = m.span("short")
            if taken.free(a, b):
                found.append(Mention(self._weak_ids[m.group("short")], a, b, True))
                taken.add(a, b)

    def _mentions(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        taken = _Disjoint()
        text = self._recased(text)
        for m in self._starts(self._strong, text):
            fid = self._strong_ids[m.group(0)]
            found.append(Mention(fid, m.start(), m.end(), True))
            taken.add(m.start(), m.end())
        for m in self._starts(self._suffixed, text):
            if taken.free(m.start(), m.end()):
                fid = self._weak_ids[m.group("short")]
                found.append(Mention(fid, m.start(), m.end(), True))
                taken.add(m.start(), m.end())
        self._context_strong(text, found, taken)
        for m in self._starts(self._weak, text):
            if taken.free(m.start(), m.end()) and not NOT_FORCE_AFTER.match(text, m.end()):
                found.append(Mention(self._weak_ids[m.group(0)], m.start(), m.end(), False))
        found.sort(key=lambda x: x.start)
        return found

    def resolve(self, text: str, strong_ids: set[str] | None = None) -> list[Mention]:
        """Mentions worth believing: strong ones, and weak ones of forces named strongly somewhere."""
        ms = self.mentions(text)
        strong = strong_ids if strong_ids is not None else {m.force_id for m in ms if m.strong}
        return [m for m in ms if m.strong or m.force_id in strong]


@lru_cache(maxsize=4)
def default_matcher(path: str | None = None) -> ForceMatcher:
    return ForceMatcher(load_reference(Path(path) if path else None))
