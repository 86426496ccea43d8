"""Case-insensitive search for plain words (lower-case ASCII letters and spaces) by a plain
search of the text's ASCII-lowered UTF-8 bytes, made once per document: a case-insensitive
regex tries every position of the text, a plain search skips to the words (and lowering
the bytes is a table lookup, where str.lower() on non-ASCII text is not).

The lowered bytes find exactly what a case-insensitive pattern of ASCII letters finds,
unless the text holds one of the four characters that match an ASCII letter that way
without being one ("ſ" matches s, "ı" and "İ" match i, the Kelvin sign matches k): then
there is no folded text and callers use their regex.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ncpi.rules.needs import ASCII_TWINS

FOLDED_CACHE_SIZE = 4      # the document being read, by each reader that asks
MATCH_ASCII_CASELESS = tuple(ASCII_TWINS)     # defined once, with the rules' guard
PLAIN_WORDS = re.compile(r"[a-z ]+(?:\|[a-z ]+)*")


@lru_cache(maxsize=FOLDED_CACHE_SIZE)
def folded(text: str) -> bytes | None:
    """text as UTF-8 with ASCII letters lowered; None when a plain search would miss a match."""
    if any(ch in text for ch in MATCH_ASCII_CASELESS):
        return None
    try:
        return text.encode("utf-8").lower()
    except UnicodeEncodeError:     # a lone surrogate
        return None


def plain_words(pattern: str) -> tuple[str, ...] | None:
    """The words of a pattern that is only lower-case words joined by '|', else None."""
    return tuple(pattern.split("|")) if PLAIN_WORDS.fullmatch(pattern) else None


def positions(text: str, word: str) -> list[int] | None:
    """Every start (in characters, overlapping ones too) of the plain lower-case word in text,
    in any case; None when only a case-insensitive regex can tell (see folded)."""
    low = folded(text)
    if low is None:
        return None
    w = word.encode("ascii")
    out, k = [], low.find(w)
    while k != -1:
        # A byte offset to a character offset: the characters of the bytes before it.
        out.append(k if text.isascii() else len(low[:k].decode("utf-8")))
        k = low.find(w, k + 1)
    return out
