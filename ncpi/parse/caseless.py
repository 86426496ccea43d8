"""Case-insensitive search for plain words by str.find on the lower-cased text, computed
once per document: a case-insensitive regex tries every position of the text, a plain
search skips to the words.

The lower-cased text finds exactly what a case-insensitive pattern of lower-case ASCII
letters finds, once the two letters that match such a pattern without lowering to it are
written as it (the long s "ſ" matches "s", the dotless "ı" matches "i"). A text with a
character that lowers to two ("İ") would shift the offsets: then there is no folded text
and callers use their regex.
"""
from __future__ import annotations

import re
from functools import lru_cache

FOLDED_CACHE_SIZE = 4      # the document being read, by each reader that asks
MATCHES_AS = {"ſ": "s", "ı": "i"}
PLAIN_WORDS = re.compile(r"[a-z ]+(?:\|[a-z ]+)*")


@lru_cache(maxsize=FOLDED_CACHE_SIZE)
def folded(text: str) -> str | None:
    """text lower-cased for plain-word search, same offsets; None when offsets would shift."""
    low = text.lower()
    if len(low) != len(text):
        return None
    for ch, plain in MATCHES_AS.items():
        if ch in low:
            low = low.replace(ch, plain)
    return low


def plain_words(pattern: str) -> tuple[str, ...] | None:
    """The words of a pattern that is only lower-case words joined by '|', else None."""
    return tuple(pattern.split("|")) if PLAIN_WORDS.fullmatch(pattern) else None


def positions(low: str, word: str) -> list[int]:
    """Every start of word in low (overlapping ones too)."""
    out, k = [], low.find(word)
    while k != -1:
        out.append(k)
        k = low.find(word, k + 1)
    return out
