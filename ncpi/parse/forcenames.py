"""Recognise police forces in text, in every form releases use.

Strong mentions (official names, aliases, "<short name> Police/Constabulary") identify a
force on their own. A bare short name ("Norfolk", "Cumbria") is weak: it counts only
where the same document names that force strongly too, because "Norfolk County
Council" or "the West Midlands region" are not the force.
"""
from __future__ import annotations

import csv
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ncpi.paths import REFERENCE_FORCES
from ncpi.rules import forces as force_rules
from ncpi.rules.needs import Guard, fold

SUFFIX = r"(?:Police(?: Service)?|Constabulary|police|constabulary|force|Force)"
# The names' left edge, (?<![\w-]), is checked by hand (_starts_at). One scan finds every
# place a name begins (_places); each name pattern is then tried only at those places,
# a handful per document, instead of each searching the whole text.
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


def names_pattern(names) -> str:
    """A regex matching what the alternation of the names, longest first, matches, written
    as a trie ("Kent(?: Police)?|..."): at each place the engine follows the letters of one
    path instead of trying every name in turn. Where several names match at one place the
    deepest path is tried first, as the longest name was."""
    trie: dict = {}
    for name in names:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_node(trie)


def _trie_node(node: dict) -> str:
    paths = []
    for ch in sorted(k for k in node if k):
        child, label = node[ch], ch
        while len(child) == 1 and "" not in child:      # one way on: a longer literal
            (more, child), = child.items()
            label += more
        paths.append(re.escape(label) + _trie_node(child))
    if not paths:
        return ""
    body = paths[0] if len(paths) == 1 else "(?:" + "|".join(paths) + ")"
    return f"(?:{body})?" if "" in node else body


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


class _Scan:
    """One scan of a text: the mentions found, the spans they take, and the cuts: spans of
    every match the scan moved past, which a part of the text must not cut through for the
    part's own scan to find what this one found in it."""

    def __init__(self, text: str, places: list[int]):
        self.text = text
        self.places = places              # where a name begins (ForceMatcher._places)
        self.found: list[Mention] = []
        self.taken = _Disjoint()
        self.cuts: list[tuple[int, int]] = []

    def add(self, m: Mention) -> None:
        self.found.append(m)
        self.taken.add(m.start, m.end)

    def cut(self, a: int, b: int) -> None:
        self.cuts.append((a, b))

    def index(self, original: str) -> "MentionIndex":
        self.found.sort(key=lambda x: x.start)
        starts, ends = [], []
        for a, b in sorted(self.cuts):            # merged, so one bisection answers "inside a cut?"
            if ends and a < ends[-1]:
                ends[-1] = max(ends[-1], b)
            else:
                starts.append(a)
                ends.append(b)
        return MentionIndex(original, tuple(self.found), [m.start for m in self.found], starts, ends)


@dataclass(frozen=True)
class MentionIndex:
    """Every force mention of one text from one scan, and where a part of it may begin and end.

    A part text[a:b] holds the mentions the whole text's scan found inside it, exactly as
    scanning the part alone would, when it is `clean`: each end has no word character or
    hyphen on its outer side (the names' own edges and capitals are read the same) and
    falls inside no match the scan moved past (a name and its suffix, "police in <place>",
    a name and the "County Council" after it). Other parts are scanned on their own."""
    text: str
    mentions: tuple[Mention, ...]
    starts: list[int]                 # of the mentions
    cut_starts: list[int]             # merged spans no clean part cuts through
    cut_ends: list[int]

    def clean(self, a: int, b: int) -> bool:
        n = len(self.text)
        return ((a == 0 or not WORD_BEFORE.match(self.text, a - 1)) and (b == n or not WORD_BEFORE.match(self.text, b))
                and not self._inside_cut(a) and not self._inside_cut(b))

    def _inside_cut(self, x: int) -> bool:
        k = bisect_right(self.cut_starts, x - 1)      # the last cut starting before x
        return k > 0 and self.cut_ends[k - 1] > x

    def within(self, a: int, b: int) -> list[Mention]:
        """The mentions lying in text[a:b] (offsets into the whole text)."""
        lo, hi = bisect_left(self.starts, a), bisect_left(self.starts, b)
        return [m for m in self.mentions[lo:hi] if m.end <= b]


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
        alt = names_pattern
        self._strong = re.compile(rf"(?:{alt(strong)})(?![\w-])")
        self._suffixed = re.compile(rf"(?P<short>{alt(weak)})\s+{SUFFIX}(?![\w-])")
        self._weak = re.compile(rf"(?:{alt(weak)})(?![\w-])")
        # A weak name made strong by the words around it (ncpi/rules/forces.py).
        self._titled = re.compile(rf"(?P<short>{alt(weak)})(?i:{force_rules.TITLED.pattern})")
        # "police in <place>" is searched only where "police", "officers" or "the police force" is.
        self._police_in = Guard.of(rf"(?i:{force_rules.POLICE_IN.pattern})(?P<short>{alt(weak)})(?![\w-])", 0)
        self._name_words = {w for n in list(strong) + list(weak) for w in n.split() if not w.isupper()}
        # One document resolves the same sentence several times (dates, findings, forces):
        # mentions are kept per text, a plain dict (picklable) emptied when it is full.
        self._cache: dict[str, tuple[Mention, ...]] = {}
        self._doc: MentionIndex | None = None
        # Words of the names in capitals, the only words rule force.capitals rewrites: a cheap
        # test that a text has one comes before the rewriting scan.
        capitals = {w.upper() for w in self._name_words if w.upper().capitalize() == w and CAPITALS.fullmatch(w.upper())}
        self._capitals = re.compile(names_pattern(capitals))
        # Every name, and every name word in capitals: one scan finds each place one begins,
        # the only places the name patterns above can match (see _places).
        self._any_name = re.compile(names_pattern(set(strong) | set(weak) | capitals))

    def mentions(self, text: str) -> list[Mention]:
        """The force mentions in text, offsets into it. A part of the document last indexed
        (`index`) is answered from that one scan when it cuts through no match."""
        found = self._cache.get(text)
        if found is None:
            if len(self._cache) >= MENTION_CACHE_SIZE:
                self._cache.clear()
            found = self._from_index(text)
            if found is None:
                found = self._scan(text).mentions
            self._cache[text] = found
        return list(found)

    def index(self, text: str) -> "MentionIndex":
        """Scan a whole document once; later questions about its parts are answered from it."""
        self._doc = self._scan(text)
        self._cache[text] = self._doc.mentions
        return self._doc

    def _from_index(self, text: str) -> tuple[Mention, ...] | None:
        # mentions(part) depends on the part alone: any occurrence the index may answer for will do.
        doc = self._doc
        a = doc.text.find(text) if doc is not None and text else -1
        if a == -1 or not doc.clean(a, a + len(text)):
            return None
        return tuple(Mention(m.force_id, m.start - a, m.end - a, m.strong) for m in doc.within(a, a + len(text)))

    def _places(self, text: str) -> list[int]:
        """Every place, in order, where a name (or a name word in capitals) begins: each
        search resumes one character after the last place, so overlapping names all count."""
        places, pos, search = [], 0, self._any_name.search
        while (m := search(text, pos)) is not None:
            places.append(m.start())
            pos = m.start() + 1
        return places

    @staticmethod
    def _starts_at(pat: re.Pattern, text: str, places: list[int]):
        """pat.finditer(text) as if pat began with (?<![\w-]), for a pattern that opens with a
        name: it can match only where a name begins, so it is tried there, not searched for."""
        pos = 0
        for p in places:
            if p < pos or (m := pat.match(text, p)) is None:
                continue
            if p and WORD_BEFORE.match(text, p - 1):
                pos = p + 1
                continue
            yield m
            pos = m.end()

    def _recased(self, text: str, places: list[int]) -> str:
        """Words of force names written in capitals ("GREATER Manchester") as if written
        normally, same length, so spans stay valid (rule force.capitals)."""
        if not any(self._capitals.match(text, p) for p in places):   # no name word in capitals
            return text

        def one(m: re.Match) -> str:
            word = m.group(0).capitalize()
            return word if word in self._name_words else m.group(0)
        return CAPITALS.sub(one, text)

    def _context_strong(self, scan: "_Scan") -> None:
        """Weak names the words around make strong: a report title, "police in <place>"."""
        text = scan.text
        for m in [*self._starts_at(self._titled, text, scan.places), *self._police_in.finditer(text, fold(text))]:
            scan.cut(m.start(), m.end())
            a, b = m.span("short")
            if scan.taken.free(a, b):
                scan.add(Mention(self._weak_ids[m.group("short")], a, b, True))

    def _scan(self, original: str) -> "MentionIndex":
        places = self._places(original)
        text = self._recased(original, places)
        scan = _Scan(text, places if text is original else self._places(text))
        for m in self._starts_at(self._strong, scan.text, scan.places):
            scan.cut(m.start(), m.end())
            scan.add(Mention(self._strong_ids[m.group(0)], m.start(), m.end(), True))
        for m in self._starts_at(self._suffixed, scan.text, scan.places):
            scan.cut(m.start(), m.end())
            if scan.taken.free(m.start(), m.end()):
                scan.add(Mention(self._weak_ids[m.group("short")], m.start(), m.end(), True))
        self._context_strong(scan)
        for m in self._starts_at(self._weak, scan.text, scan.places):
            scan.cut(m.start(), m.end())
            if scan.taken.free(m.start(), m.end()):
                after = NOT_FORCE_AFTER.match(scan.text, m.end())
                if after:
                    scan.cut(m.start(), after.end())
                else:
                    scan.found.append(Mention(self._weak_ids[m.group(0)], m.start(), m.end(), False))
        return scan.index(original)

    def resolve(self, text: str, strong_ids: set[str] | None = None) -> list[Mention]:
        """Mentions worth believing: strong ones, and weak ones of forces named strongly somewhere."""
        ms = self._cache.get(text)       # called for every sentence: no copy of the cached mentions
        if ms is None:
            self.mentions(text)
            ms = self._cache[text]
        if not ms:
            return []
        strong = strong_ids if strong_ids is not None else {m.force_id for m in ms if m.strong}
        return [m for m in ms if m.strong or m.force_id in strong]


@lru_cache(maxsize=4)
def default_matcher(path: str | None = None) -> ForceMatcher:
    return ForceMatcher(load_reference(Path(path) if path else None))
