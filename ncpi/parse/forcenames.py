"""Recognise police forces in text, in every form releases use.

Strong mentions (official names, aliases, "<short name> Police/Constabulary") identify a
force on their own. A bare short name ("Norfolk", "Cumbria") is weak: it counts only
where the same document names that force strongly too, because "Norfolk County
Council" or "the West Midlands region" are not the force.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ncpi.paths import REFERENCE_FORCES

SUFFIX = r"(?:Police(?: Service)?|Constabulary|police|constabulary|force|Force)"
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
        self._strong = re.compile(rf"(?<![\w-])(?:{alt(strong)})(?![\w-])")
        self._suffixed = re.compile(rf"(?<![\w-])(?P<short>{alt(weak)})\s+{SUFFIX}(?![\w-])")
        self._weak = re.compile(rf"(?<![\w-])(?:{alt(weak)})(?![\w-])")

    def mentions(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []

        def free(a, b):
            return all(b <= s or a >= e for s, e in taken)

        for m in self._strong.finditer(text):
            fid = self._strong_ids[m.group(0)]
            found.append(Mention(fid, m.start(), m.end(), True))
            taken.append((m.start(), m.end()))
        for m in self._suffixed.finditer(text):
            if free(m.start(), m.end()):
                fid = self._weak_ids[m.group("short")]
                found.append(Mention(fid, m.start(), m.end(), True))
                taken.append((m.start(), m.end()))
        for m in self._weak.finditer(text):
            if free(m.start(), m.end()) and not NOT_FORCE_AFTER.match(text, m.end()):
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
