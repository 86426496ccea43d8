"""Which lines a set of whole-line patterns could match, told by how the lines start.

A page's furniture records are whole-line patterns (ncpi/rules/furniture.py) tried at the
start of every line. Most lines are prose that no record could match, yet the regex
engine tries every alternative of every record on each of them. Here the records' possible
starts are worked out once from their parse (re._parser): the lower-case strings of up to
DEPTH characters that any match must begin with. One scan of the page's lower-cased bytes
with a trie of those starts finds the few lines worth reading with the records.

The starts are a superset. Where the parse is not followed exactly (a class too big to
list, a repeat, a lookaround) a start is cut short there, which lets more lines through,
never fewer; a class that also holds non-ASCII characters (`\\d` is every script's
digits) lets through every line starting with a non-ASCII character. The page must be
lower-cased as bytes (ASCII letters only) and hold none of the characters re.I folds to
an ASCII letter (ncpi.rules.furniture.ASCII_FOLDS); the caller checks that.
"""
from __future__ import annotations

import re
from re import _constants as sre
from re import _parser as sre_parse

DEPTH = 8               # characters of a line's start a scan looks at ("get the b" is not "get the r")
SMALL_CLASS = 32        # a character class with more members is any character
MAX_STARTS = 20_000     # a pattern with more starts than this could start any line
# In a start, and ending it: the first byte of any non-ASCII character, or of a non-ASCII
# digit (what `\d` matches besides 0-9: Arabic-Indic, Devanagari, fullwidth ... digits).
NON_ASCII = "\x01"
DIGIT = "\x00"
SENTINELS = {NON_ASCII: b"[\\x80-\\xff]", DIGIT: b"[\\xd9\\xdb\\xdf\\xe0\\xe1\\xea\\xef\\xf0]"}
# In a start, not ending it: any ASCII digit.
ASCII_DIGIT = "\x02"
CLASSES = {**SENTINELS, ASCII_DIGIT: b"[0-9]"}
REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))
ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)

Starts = set[tuple[str, bool]]      # (start, whether what follows in the pattern adds to it)
ANY: Starts = {("", False)}


def line_starts(patterns: list[tuple[str, int]], depth: int = DEPTH) -> set[str] | None:
    """The starts of every pattern ((pattern, flags) pairs); None if one could start anything."""
    out: set[str] = set()
    for pattern, flags in patterns:
        got = _seq(list(sre_parse.parse(pattern, flags)), depth)
        if any(s == "" for s, _open in got):
            return None
        out.update(s for s, _open in got)
    return out


def _seq(items: list, room: int) -> Starts:
    cur: Starts = {("", True)}
    for item in items:
        nxt: Starts = set()
        for s, open_ in cur:
            if not open_ or len(s) >= room:
                nxt.add((s, False))
                continue
            for t, t_open in _one(item, room - len(s)):
                u = s + t
                nxt.add((u[:room], t_open and len(u) < room and u[-1:] not in SENTINELS))
        if len(nxt) > MAX_STARTS:
            return ANY
        cur = nxt
        if not any(open_ for _s, open_ in cur):
            break
    return cur


def _one(item, room: int) -> Starts:
    op, av = item
    if op is sre.LITERAL:
        return {(_char(av), True)}
    if op is sre.IN:
        chars = _class(av)
        return ANY if chars is None else {(c, True) for c in chars}
    if op in ZERO_WIDTH:
        return {("", True)}
    if op is sre.SUBPATTERN:
        return _seq(list(av[-1]), room)
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _seq(list(av), room)
    if op is sre.BRANCH:
        return set().union(*(_seq(list(alt), room) for alt in av[1]))
    if op in REPEATS:
        return _repeat(op, av, room)
    return ANY


def _repeat(op, av, room: int) -> Starts:
    lo, hi, body = av
    if hi == 1:
        return _seq(list(body), room) | ({("", True)} if lo == 0 else set())
    if body.getwidth() != (1, 1):       # longer rounds multiply the starts: cut after one
        once = {(s, False) for s, _open in _seq(list(body), room)}
        return once | ({("", True)} if lo == 0 else set())
    # A round of one character (\d+): `room` rounds fill the start, X{2,} is X X X? X? ...
    copies = min(room, hi)
    need = min(lo, copies)
    optional = (op, (0, 1, body))
    return _seq([(sre.SUBPATTERN, (None, 0, 0, body))] * need + [optional] * (copies - need), room)


def _char(code: int) -> str:
    c = chr(code)
    if c.isascii():
        return c.lower()
    return NON_ASCII if c.lower() != c or c.upper() != c else c     # a cased non-ASCII letter: any


def _class(av) -> set[str] | None:
    out: set[str] = set()
    for op, arg in av:
        if op is sre.LITERAL:
            out.add(_char(arg))
        elif op is sre.RANGE and arg[1] - arg[0] < SMALL_CLASS:
            out.update(_char(c) for c in range(arg[0], arg[1] + 1))
        elif op is sre.CATEGORY and arg is sre.CATEGORY_DIGIT:
            out.update((ASCII_DIGIT, DIGIT))
        else:
            return None
    return out if len(out) <= SMALL_CLASS else None


def trie_regex(starts: set[str]) -> re.Pattern[bytes]:
    """One bytes pattern: a newline, then any of the starts (lower-case UTF-8; CLASSES
    stand for their classes), as a trie so the engine tries a few branches per line."""
    root: dict = {}
    for s in starts:
        node = root
        for c in s:
            for key in ([CLASSES[c]] if c in CLASSES else [re.escape(bytes([b])) for b in c.encode("utf-8")]):
                node = node.setdefault(key, {})
        node[b""] = {}                  # a start ends here: any line starting so is a candidate
    return re.compile(b"\n" + _emit(root))


def _emit(node: dict) -> bytes:
    if b"" in node:
        return b""
    parts = [key + _emit(child) for key, child in sorted(node.items())]
    return parts[0] if len(parts) == 1 else b"(?:" + b"|".join(parts) + b")"
