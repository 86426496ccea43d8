"""The words a rule cannot match without: a cheap guard before a slow regex search.

Python's regex engine finds no shortcut in a case-insensitive alternation of many
patterns: it tries every branch at every position of the text, about 1 ms for a 1 KB head
and the dozen not-NCPI rules. Most texts contain none of the words the rules are built
around ("PEEL", "thematic", "commissioned by the Mayor"), and a plain substring test
(`word in text`) is a hundred times faster than the search. So each pattern is read once,
with the regex module's own parser, for

- the words every match must contain (`needs`):

      needs(r"\\bPEEL\\b|police effectiveness")  ->  (({'peel'},), ({'police effectiveness'},))

  a tuple of ways (the pattern matches through one of them), each a tuple of clauses (a
  match that way contains at least one word of EVERY clause). A rule may match a text
  only when some way has every clause in the text, folded (`fold`);
- the words every match must begin with (`starts`), when there are such: the rule can
  only match where one of them is, so it is tried at those places instead of searched.

Both are exact: a rule the guard rules out cannot match anywhere in the text, and no match
begins anywhere but at a start word (tests/test_rules.py checks both on every record's
examples, the seeds and their sentences).

Case: a case-insensitive regex matches a letter to its other case and to a few extra
equivalents (dotless ı to i, long ſ to s, İ to i); `fold` maps a text to lowercase ASCII
with the same equivalences, character for character (offsets are kept), so a word the
regex can match is always found in the folded text, at the same place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from re import _constants as C, _parser

MIN_WORD = 3            # a clause whose shortest word is shorter than this is nearly always present: not kept
MAX_CLAUSES = 3         # clauses kept per way, the most selective first
MAX_WAYS = 64           # ways a pattern is split into before a branch is read as one union clause
MAX_SPELLINGS = 8       # a run with a class of literals ([’']) is kept as up to this many spellings
MAX_CLASS = 3           # a class of at most this many literal characters continues a run
MAX_TRIES = 24          # start words found more often than this: search from the first one instead

# The only characters beyond ASCII a case-insensitive regex matches to an ASCII letter
# (tests/test_rules.py finds them again from the regex engine itself).
ASCII_TWINS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}     # İ ı ſ K (Kelvin)
TWINS = str.maketrans(ASCII_TWINS)
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT}
_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}

Clause = frozenset            # of words: one of them is in every match
Need = tuple[tuple[Clause, ...], ...]


def fold(text: str) -> str:
    """text in lowercase ASCII, same length: every other character becomes "?". Two
    characters a case-insensitive regex treats as the same letter fold to the same one
    (the converse need not hold: the guard may let through a rule that then fails, never
    turn away one that matches). ASCII is what makes `word in folded` fast."""
    if text.isascii():
        return text.lower()
    if "\u0130" in text or "\u0131" in text or "\u017f" in text or "\u212a" in text:   # four memchr scans
        text = text.translate(TWINS)
    return text.encode("ascii", "replace").lower().decode("ascii")


def needs(pattern: str, flags: int = re.I) -> Need | None:
    """The words any match of pattern must contain (see the module's doc), or None when
    some way through it needs no word at all (the rule is then always a candidate)."""
    out: dict[tuple[Clause, ...], None] = {}
    for clauses in _ways(_parser.parse(pattern, flags).data):
        if not clauses:
            return None
        out[tuple(sorted(set(clauses), key=_strength, reverse=True)[:MAX_CLAUSES])] = None
    return tuple(out)


def starts(pattern: str, flags: int = re.I) -> frozenset[str] | None:
    """The folded words every match of pattern begins with, or None when some match may begin otherwise."""
    found = _starts(list(_parser.parse(pattern, flags).data))
    return frozenset(found) if found else None


def may_match(need: Need | None, folded: str, seen: dict[str, bool] | None = None) -> bool:
    """False when a pattern with this need cannot match the text (folded with `fold`).
    Plain loops: this runs for every rule on every text searched. `seen` remembers, across
    the rules of one search, which words were looked for (rules share words: "inspection of")."""
    if need is None:
        return True
    if seen is None:
        seen = {}
    for way in need:
        for clause in way:
            for word in clause:
                found = seen.get(word)
                if found is None:
                    found = seen[word] = word in folded
                if found:
                    break
            else:
                break          # no word of this clause: not this way
        else:
            return True
    return False


@dataclass(frozen=True)
class Guard:
    """One pattern, compiled with the flags it is searched with, and what it needs."""
    regex: re.Pattern
    need: Need | None
    start_words: frozenset[str] | None

    @classmethod
    def of(cls, pattern: str, flags: int) -> "Guard":
        return cls(re.compile(pattern, flags), needs(pattern, flags), starts(pattern, flags))

    def finditer(self, text: str, folded: str):
        """What regex.finditer(text) yields: each match found from the end of the last one."""
        if self.regex.match(""):       # a pattern that can match nothing: leave it to the engine
            yield from self.regex.finditer(text)
            return
        pos = 0
        while (p := self.leftmost(text, folded, pos=pos)) is not None:
            m = self.regex.match(text, p)
            yield m
            pos = m.end()

    def leftmost(self, text: str, folded: str, *, pos: int = 0, before: int | None = None) -> int | None:
        """Where regex.search(text, pos) would match, or None; None too when that is at or
        after `before` (a place another rule already matched)."""
        end = len(folded) if before is None else before
        if self.start_words is None:
            return _start_before(self.regex.search(text, pos), end)
        places = _Places(self.start_words, folded, pos, end)
        match = self.regex.match
        for tries, p in enumerate(places):
            if tries == MAX_TRIES:     # a common start word: one search from here is cheaper
                return _start_before(self.regex.search(text, p), end)
            if match(text, p):
                return p
        return None


def _start_before(m: re.Match | None, end: int) -> int | None:
    return m.start() if m is not None and m.start() < end else None


class _Places:
    """The places, in order, from pos up to (not including) end, where one of the words
    begins in the folded text: each word's next place found only when needed."""

    def __init__(self, words: frozenset[str], folded: str, pos: int, end: int):
        self.folded, self.end = folded, end
        self.next = {w: p for w in words if (p := folded.find(w, pos, end + len(w) - 1)) != -1}

    def __iter__(self):
        nxt, find = self.next, self.folded.find
        while nxt:
            p = min(nxt.values())
            yield p
            for w in [w for w, q in nxt.items() if q == p]:
                q = find(w, p + 1, self.end + len(w) - 1)
                if q == -1:
                    del nxt[w]
                else:
                    nxt[w] = q


def _strength(clause: Clause) -> int:
    return min(len(w) for w in clause)


class _Runs:
    """Literal characters read in a row, as the set of spellings they can take."""

    def __init__(self):
        self.spellings = {""}
        self.done: list[Clause] = []

    def add(self, chars: list[str]) -> None:
        if len(self.spellings) * len(chars) > MAX_SPELLINGS:
            self.flush()
        self.spellings = {s + c for s in self.spellings for c in chars}

    def flush(self) -> None:
        if min(len(s) for s in self.spellings) >= MIN_WORD:
            self.done.append(Clause(self.spellings))
        self.spellings = {""}


def _ways(items) -> list[list[Clause]]:
    """The ways a sequence of parsed items can match, each with the clauses it satisfies.
    A branch multiplies the ways, up to MAX_WAYS; past that it counts as one way whose
    clause is the union of each branch's strongest clause."""
    ways: list[list[Clause]] = [[]]
    runs = _Runs()
    for op, av in items:
        chars = _literal_chars(op, av)
        if chars is not None:
            runs.add(chars)
            continue
        if op in _ZERO_WIDTH:      # consumes nothing: the literals either side stay in a row
            continue
        runs.flush()
        inner = _inner_ways(op, av)
        if len(ways) * len(inner) > MAX_WAYS:
            inner = [_union_of_strongest(inner)]
        ways = [w + i for w in ways for i in inner]
    runs.flush()
    return [w + runs.done for w in ways]


def _union_of_strongest(ways: list[list[Clause]]) -> list[Clause]:
    best = [max(w, key=_strength) for w in ways if w]
    return [Clause().union(*best)] if len(best) == len(ways) else []


def _literal_chars(op, av) -> list[str] | None:
    """The folded strings a LITERAL, a small class of literals, or a group or branch made
    only of literals matches ("(?:police|officers) in "), else None."""
    if op is C.LITERAL:
        return [fold(chr(av))]
    if op is C.IN and len(av) <= MAX_CLASS and all(o is C.LITERAL for o, _ in av):
        return sorted({fold(chr(c)) for _, c in av})
    if op is C.SUBPATTERN:
        return _all_literal(av[3])
    if op is C.BRANCH:
        each = [_all_literal(alt) for alt in av[1]]
        if all(each) and sum(map(len, each)) <= MAX_SPELLINGS:
            return sorted({w for words in each for w in words})
    return None


def _all_literal(items) -> list[str] | None:
    """The strings a sequence made only of literals (and zero-width checks) matches, else None."""
    spellings = {""}
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        chars = _literal_chars(op, av)
        if chars is None or len(spellings) * len(chars) > MAX_SPELLINGS:
            return None
        spellings = {a + b for a in spellings for b in chars}
    return sorted(spellings) if "" not in spellings else None


def _inner_ways(op, av) -> list[list[Clause]]:
    if op is C.SUBPATTERN:
        return _ways(av[3])
    if op is C.ATOMIC_GROUP:
        return _ways(av)
    if op in _REPEATS and av[0] >= 1:
        return _ways(av[2])
    if op is C.BRANCH:
        return [w for alt in av[1] for w in _ways(alt)]
    return [[]]


def _starts(items: list) -> set[str] | None:
    """Words every match of the sequence begins with (each at least one character), or None."""
    spellings = {""}
    for k, (op, av) in enumerate(items):
        chars = _literal_chars(op, av)
        if chars is not None and len(spellings) * len(chars) <= MAX_SPELLINGS:
            spellings = {s + c for s in spellings for c in chars}
            continue
        if spellings != {""}:
            return spellings
        if op in _ZERO_WIDTH:
            continue
        return _starts_of_group(op, av, items[k + 1:])
    return spellings if spellings != {""} else None


def _starts_of_group(op, av, rest: list) -> set[str] | None:
    if op is C.SUBPATTERN:
        return _starts(list(av[3]))
    if op is C.ATOMIC_GROUP:
        return _starts(list(av))
    if op is C.BRANCH:
        each = [_starts(list(alt)) for alt in av[1]]
        return set().union(*each) if all(each) else None
    if op in _REPEATS:
        inner = _starts(list(av[2]))
        if av[0] >= 1 or inner is None:
            return inner
        after = _starts(rest)           # an optional group: the match begins in it or after it
        return inner | after if after else None
    return None
