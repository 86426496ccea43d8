"""Site furniture of republished copies: declarative patterns, one list per effect.

A republishing outlet wraps the article in navigation, cookie banners, adverts, share
buttons, captions and a tail of related news, vacancies and copyright. None of it is
article text, and a force named there (a vacancy at Greater Manchester Police, say) is
not inspected, so it is removed before parsing.
"""
from __future__ import annotations

import re

# A line matching one of these is dropped wherever it stands.
DROP_LINE = re.compile(
    r"^(?:hide ad|advertisement|advert|sponsored|skip to (?:main )?content|"
    r"share(?: this(?: article| story| page)?)?(?: on)?:?|facebook|twitter|x|linkedin|email|e-mail|whatsapp|print|"
    r"copy link|reddit|tweet|back to top|read more|subscribe|sign in|log in|register|menu|search|"
    r"close|accept(?: all)?(?: cookies)?|reject(?: all)?(?: cookies)?|manage (?:cookies|preferences|settings)|"
    r"cookie (?:settings|preferences|policy)|we use cookies.*|.*\buse(?:s)? cookies\b.*|.*cookie policy.*|"
    r"(?:facebook|twitter|linkedin|email|whatsapp)(?:\s*[|/·]\s*(?:facebook|twitter|x|linkedin|email|whatsapp|print))+|"
    r"(?:photo|picture|image)(?: credit)?:.*|.*\((?:photo|picture|image)(?: credit)?:?[^)]*\)|"
    r"(?:story|article) continues (?:below|after).*|listen to this article.*|\d+ min(?:ute)? read)$",
    re.I,
)
# A line matching one of these ends the article: it and everything after it go.
TAIL_START = re.compile(
    r"^(?:related (?:news|articles?|stories|content|links)|more (?:news|stories|from [\w ]+)|"
    r"select vacancies|latest (?:jobs|vacancies)|vacancies|jobs|most (?:read|popular)|"
    r"you may also like|recommended(?: for you)?|comments?(?: \(\d+\))?|leave a (?:comment|reply)|"
    r"(?:copyright\s*)?©.*|copyright \d{4}.*|all rights reserved.*|sign up to our newsletter.*|"
    r"trending|popular (?:now|stories))\s*:?$",
    re.I,
)
# Who published a copy, read from its copyright line before the line is removed.
COPYRIGHT = re.compile(
    r"^(?:copyright\s*)?(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<who>[^.|\n]{2,60}?)\s*(?:[.|].*)?$",
    re.I,
)
# Leading runs of menu words (Home / News / Crime / Jobs ...) before the headline.
MENU_WORD = re.compile(r"^[\w&'’ -]{1,24}$")


def copyright_holder(line: str) -> str | None:
    m = COPYRIGHT.match(line.strip())
    if not m:
        return None
    who = m.group("who").strip(" -–,")
    who = re.sub(r"^(?:by\s+)", "", who, flags=re.I)
    if not who or who.lower() in {"all rights reserved", "copyright"}:
        return None
    if who.lower().startswith("crown"):
        return "Crown"
    return who


def strip_furniture(lines: list[str]) -> tuple[list[str], str | None, bool]:
    """Return (article lines, copyright holder, whether anything was removed)."""
    holder = None
    kept: list[str] = []
    removed = False
    for line in lines:
        s = line.strip()
        if s and ("©" in s or s.lower().startswith("copyright")):
            holder = holder or copyright_holder(s)
        if s and TAIL_START.match(s):
            removed = True
            for rest in lines[lines.index(line):]:
                if ("©" in rest or rest.strip().lower().startswith("copyright")) and not holder:
                    holder = copyright_holder(rest.strip())
            break
        if s and DROP_LINE.match(s):
            removed = True
            continue
        kept.append(line)
    # A run of three or more menu words before the first real line is navigation.
    i = 0
    while i < len(kept) and not kept[i].strip():
        i += 1
    j = i
    while j < len(kept) and kept[j].strip() and MENU_WORD.match(kept[j].strip()) and len(kept[j].split()) <= 3:
        j += 1
    if j - i >= 3:
        kept = kept[:i] + kept[j:]
        removed = True
    return kept, holder, removed
