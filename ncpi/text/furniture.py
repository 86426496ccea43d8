"""Site furniture of republished copies: declarative patterns, one list per effect.

A republishing outlet wraps the article in a masthead, navigation, cookie banners,
adverts, share buttons, captions, tag rows and a tail of related news, vacancies and
copyright. None of it is article text, and a force named there (a vacancy at Greater
Manchester Police, a "Tags: Surrey Police" row) is not inspected, so it is removed
before parsing. What it says about the copy (the outlet's name, the copyright owner)
is kept aside for the `sources` row.

The rules read the page as a reader does: the article starts at its first paragraph of
prose, so short lines above it (menus, section labels, the outlet's name) are the
page's head; a "Related articles" box with article prose after it is a box inside the
article, and one with none after it is where the article ended.

Speed: the page's stripped lines are joined once into `page` ("\\n" before every line)
and every line's furniture family (drop, tail, box) is decided by ONE scan of it with
one compiled alternation of all the furniture records (ncpi/rules/furniture.py); the
copyright line is found by one more. Most pages have no furniture at all, and then the
only per-line work left is finding the first line of prose.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ncpi.rules import furniture as furniture_rules
from ncpi.text.linestart import line_starts, trie_regex

# Lines dropped wherever they stand, box headings and tail starts are rule records
# (ncpi/rules/furniture.py), each family one scan of a line.
SOCIAL = furniture_rules.SOCIAL
DROP_LINE = furniture_rules.DROP_LINE
BOX_HEADING = furniture_rules.BOX_HEADING
TAIL_START = furniture_rules.TAIL_START
# Every line of a page at once: "\n" then one family's records, each anchored to the
# whole line (^...$ under MULTILINE). At one line the earlier family wins: a line that is
# furniture wherever it stands (drop) before one that ends the article (tail) before a
# box heading, as the line-by-line reading decided. The records that look anywhere in a
# line are left out: the lines holding their words are read with them instead
# (furniture_rules.ANYWHERE).
FURNITURE_LINE_PLAIN = furniture_rules.line_scanner(anywhere=False)

# The page's head: its copyright line, menus, breadcrumbs, datelines and the outlet's
# name are rule records too (ncpi/rules/furniture.py, HEAD_RULES).
IS_COPYRIGHT = furniture_rules.COPYRIGHT_LINE.regex
# The same, at any line of the joined page.
COPYRIGHT_LINE = re.compile(rf"\n(?:{furniture_rules.COPYRIGHT_CUE})", re.I)
# Who published a copy, read from its copyright line before the line is removed.
COPYRIGHT = re.compile(
    r"^(?:(?:copyright|©|\(c\))\s*)+(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<who>[^.|\n]{2,60}?)\s*(?:[.|].*)?$",
    re.I,
)
HOLDER_BY = re.compile(r"^(?:by\s+)", re.I)
HOLDER_YEAR = re.compile(r"\s*,?\s*(?:19|20)\d{2}$")       # "© HMIC 2017"
OWN_COPYRIGHT = furniture_rules.OWN_COPYRIGHT.regex
MENU_WORD = furniture_rules.MENU_WORD.regex
MENU_WORD_MAX = 24          # MENU_WORD's longest line
CRUMB = furniture_rules.CRUMB
BREADCRUMB = furniture_rules.BREADCRUMB.regex
CRUMB_SEPARATOR = re.compile("[|›»>/]")       # a breadcrumb holds one at least
MONTH = furniture_rules.MONTH
DATE_START = furniture_rules.DATELINE.regex
OUTLET_WORD = furniture_rules.OUTLET_WORD.regex
NOT_AN_OUTLET = furniture_rules.NOT_AN_OUTLET.regex
INSPECTORATE_NAME = furniture_rules.INSPECTORATE_NAME.regex
# A brand ends without sentence punctuation and holds no digit, quote, bracket or bar.
BRAND_END_OR_DIGIT = re.compile(r"[.,:;!?\"“”‘()|]$|\d")
BRAND_PUNCT = re.compile(r"[“”\"‘():;|]")
NOT_WORD = re.compile(r"[^\w ]")
WORD_RUN = re.compile(r"\w+")
CONNECTORS = {"&", "and", "of", "the", "on", "for", "in", "-", "–"}
# Section and menu words: a line made only of these is a label, never an outlet's name.
GENERIC_NAV = {"home", "news", "sport", "menu", "search", "latest", "uk", "world", "business", "opinion",
               "politics", "crime", "lifestyle", "jobs", "weather", "property", "money", "local", "video",
               "press", "release", "releases", "story", "stories", "and", "updates", "media", "centre", "top"}
# A brand (an outlet's name) is 2 to 50 characters, one to six words, at most three of
# them more than connectors unless one names a kind of publication.
BRAND_CHARS = (2, 50)
BRAND_WORDS = 6
BRAND_NAME_WORDS = 3
# A section label is one to three menu words.
LABEL_WORDS = 3
# A headline under a masthead: 20 to 250 characters, four words at least.
HEADLINE_CHARS = (20, 250)
HEADLINE_WORDS = 4
# A line of prose ends with one of these (or is long enough to be prose anyway).
PROSE_END = frozenset(".!?:;”\"’)")
PROSE_MIN = 80           # characters: shorter lines are links, labels and teasers
PROSE_ANYWAY = 200       # characters: a line this long is prose however it ends
# A line is a menu item when it has at most this many words (and MENU_WORD's characters).
MENU_ITEM_WORDS = 3
# Three or more menu words in a row are navigation.
MENU_RUN = 3
# The credit beside a dateline is looked for among the first lines only.
CREDIT_WITHIN = 20


@cache
def line_start() -> re.Pattern[bytes] | None:
    """How a line FURNITURE_LINE_PLAIN could match starts: the scan that picks the lines to
    read (ncpi/text/linestart.py; None if some record could start any line). Built on first
    use, as it takes some tens of milliseconds."""
    anywhere = {rule.id for rule, _word, _ascii in furniture_rules.ANYWHERE}
    starts = line_starts([(r.pattern, r.flags) for _family, rules in furniture_rules.LINE_FAMILIES
                          for r in rules if r.id not in anywhere])
    return trie_regex(starts) if starts is not None else None


@dataclass
class Stripped:
    lines: list[str]
    copyright_holder: str | None = None
    masthead: str | None = None       # the outlet's own name as the page brands itself
    removed: bool = False


def copyright_holder(line: str) -> str | None:
    m = COPYRIGHT.match(line.strip())
    if not m:
        return None
    who = m.group("who").strip(" -–,")
    who = HOLDER_BY.sub("", who)
    who = HOLDER_YEAR.sub("", who).strip(" -–,")
    if not who or who.lower() in {"all rights reserved", "copyright"}:
        return None
    if who.lower().startswith("crown"):
        return "Crown"
    return who


def is_prose(line: str) -> bool:
    """A line of article prose: a sentence or more, not a link, label or teaser."""
    s = line.strip()
    return (len(s) >= PROSE_MIN and s[-1] in PROSE_END) or len(s) >= PROSE_ANYWAY


def is_brand(line: str) -> bool:
    """Looks like a publication's name: a few capitalised words, no sentence, not a force."""
    s = line.strip()
    if not BRAND_CHARS[0] <= len(s) <= BRAND_CHARS[1] or BRAND_END_OR_DIGIT.search(s) or BRAND_PUNCT.search(s):
        return False
    words = s.split()
    if not 1 <= len(words) <= BRAND_WORDS or words[0].lower() == "by":
        return False
    if _is_label(s):
        return False
    # A longer Title Case line is a headline unless it names a kind of publication.
    if len([w for w in words if w.lower() not in CONNECTORS]) > BRAND_NAME_WORDS and not OUTLET_WORD.search(s):
        return False
    if not all(w.lower() in CONNECTORS or w[0].isupper() for w in words):
        return False
    return not NOT_AN_OUTLET.search(s)


def _is_label(s: str) -> bool:
    if s.isascii():                 # cheap test first: its first word is a menu word
        first = WORD_RUN.search(s)
        if first is None or first.group().lower() not in GENERIC_NAV:
            return False
    words = NOT_WORD.sub(" ", s.lower()).split()
    return 0 < len(words) <= LABEL_WORDS and all(w in GENERIC_NAV for w in words)


def _is_headline(line: str, brand: str) -> bool:
    s = line.strip()
    return (HEADLINE_CHARS[0] <= len(s) <= HEADLINE_CHARS[1] and not s.endswith(".")
            and len(s.split()) >= HEADLINE_WORDS
            and len(s.split()) > len(brand.split()) and not DATE_START.match(s)
            and not s.lower().startswith("by "))


def _nonblank(lines: list[str], start: int = 0) -> int | None:
    for k in range(start, len(lines)):
        if lines[k].strip():
            return k
    return None


def _glued_menu(s: str, items: list[str]) -> bool:
    """A breadcrumb copied without separators: "NewsGreater Manchester News" from menu
    items (`items` longest first)."""
    if not items or s in items:
        return False
    parts = 0
    rest = s
    while rest:
        hit = next((it for it in items if rest.startswith(it)), None)
        if hit is None:
            return False
        rest = rest[len(hit):].lstrip(" |›»>/")
        parts += 1
    return parts >= 2


def _holder(page: str) -> str | None:
    """The copyright holder named by the page's first copyright line that names one."""
    for m in COPYRIGHT_LINE.finditer(page):
        end = page.find("\n", m.start() + 1)
        s = page[m.start() + 1:end if end >= 0 else len(page)]
        # the scan's \s may run on into the next line: the line must be one on its own
        if IS_COPYRIGHT.match(s):
            who = copyright_holder(s)
            if who:
                return who
    return None


def furniture_lines(page: str, stripped: list[str]) -> dict[int, str]:
    """{line index: family} for every furniture line of `page` (a newline before each
    stripped line). Blank lines are never furniture.

    The page's lower-cased bytes are scanned once for lines starting as a record could
    (line_start()), and only those lines are read with the records, each on its own as the
    records are written to be read. A page holding a character re.I folds to an ASCII
    letter is scanned with the records themselves."""
    found: dict[int, str] = {}
    low = None
    if not any(c in page for c in furniture_rules.ASCII_FOLDS):
        low = page.encode("utf-8", "surrogatepass").lower()     # ASCII letters only: as re.I reads them here
    starts = line_start() if low is not None else None
    if starts is None:
        _scan_lines(page, stripped, found)
    else:
        line, at = 0, 0
        for m in starts.finditer(low):
            line += low.count(b"\n", at, m.start())
            at = m.start()
            alone = FURNITURE_LINE_PLAIN.match("\n" + stripped[line]) if stripped[line] else None
            if alone:
                found[line] = alone.lastgroup
    _add_anywhere(page, low, stripped, found)
    return found


def _scan_lines(page: str, stripped: list[str], found: dict[int, str]) -> None:
    """furniture_lines with the records scanning the whole page, line by line."""
    pos, line, at = 0, 0, 0
    search = FURNITURE_LINE_PLAIN.search
    while (m := search(page, pos)) is not None:
        start = m.start()
        line += page.count("\n", at, start)
        at = start
        end = page.find("\n", start + 1)
        end = len(page) if end < 0 else end
        family = m.lastgroup
        if m.end() > end:       # a record's \s ran on into the next line: read this line alone
            alone = FURNITURE_LINE_PLAIN.match("\n" + stripped[line])
            family = alone.lastgroup if alone else None
        if family and stripped[line]:
            found[line] = family
        pos = end


def _add_anywhere(page: str, low: bytes | None, stripped: list[str], found: dict[int, str]) -> None:
    """Lines read by a record that looks anywhere in a line: only those holding its word
    (looked for in `low`, the page's lower-cased bytes, if given). They are all drop
    records, and drop wins over the other families at one line."""
    for rule, word, ascii_words in furniture_rules.ANYWHERE:
        if low is None:
            buf, newline, starts = page, "\n", [m.start() for m in word.finditer(page)]
        else:
            buf, newline, starts = low, b"\n", sorted(i for w in ascii_words for i in _finds(low, w))
        line, at, seen = 0, 0, -1
        for start in starts:
            line += buf.count(newline, at, start)
            at = start
            k = line - 1            # the page starts with a newline: line k follows the (k+1)th
            if k != seen and found.get(k) != "drop" and rule.regex.match(stripped[k]):
                found[k] = "drop"
            seen = k


def _finds(buf: bytes, word: bytes) -> list[int]:
    out, at = [], buf.find(word)
    while at >= 0:
        out.append(at)
        at = buf.find(word, at + 1)
    return out


def _line_by_line(stripped: list[str]) -> tuple[str | None, dict[int, str]]:
    """The copyright holder and furniture lines read line by line: for lines that hold a
    newline of their own (never from normalise, which splits on them)."""
    holder = next((who for s in stripped if s and IS_COPYRIGHT.match(s) and (who := copyright_holder(s))), None)
    found: dict[int, str] = {}
    for k, s in enumerate(stripped):
        family = s and ("drop" if DROP_LINE.match(s) else "tail" if TAIL_START.match(s)
                        else "box" if BOX_HEADING.match(s) else None)
        if family:
            found[k] = family
    return holder, found


def _first_prose(stripped: list[str]) -> int:
    return next((k for k, s in enumerate(stripped) if is_prose(s)), len(stripped))


def _without_boxes(stripped: list[str], families: dict[int, str]) -> list[int]:
    """Indices of the lines kept once drop lines, boxes of links inside the article and
    the tail after it are gone."""
    kept = [k for k in range(len(stripped)) if families.get(k) != "drop"]
    prose = [j for j, k in enumerate(kept) if is_prose(stripped[k])]
    first_prose = prose[0] if prose else len(kept)
    body: list[int] = []
    j = 0
    while j < len(kept):
        family = families.get(kept[j])
        if family is None:
            body.append(kept[j])
            j += 1
            continue
        if j < first_prose:
            j += 1                      # a menu item, or a cover page's imprint: the line only
            continue
        if family == "tail" or not (prose and prose[-1] > j):
            break                       # the article has ended
        # A box inside the article: its heading and the run of links under it.
        j += 1
        while j < len(kept) and not stripped[kept[j]]:
            j += 1
        while j < len(kept) and stripped[kept[j]] and not is_prose(stripped[kept[j]]):
            j += 1
    return body


def _head_drops(head: list[str]) -> set[int]:
    """Lines of the page's head (stripped) that are menus, breadcrumbs or section labels."""
    drop: set[int] = set()
    menu = [len(s) <= MENU_WORD_MAX and bool(MENU_WORD.match(s)) and len(s.split()) <= MENU_ITEM_WORDS
            for s in head]
    k = 0
    while k < len(head):
        j = k
        while j < len(head) and menu[j]:
            j += 1
        if j - k >= MENU_RUN:           # three or more menu words in a row are navigation
            drop.update(range(k, j))
        k = max(j, k + 1)
    items = sorted({head[k] for k in drop}, key=len, reverse=True)
    for k, s in enumerate(head):
        if not s:
            continue
        crumb = CRUMB_SEPARATOR.search(s) and BREADCRUMB.match(s) and not DATE_START.match(s)
        if crumb or _glued_menu(s, items):
            drop.add(k)
        elif _is_label(s) and _nonblank(head, k + 1) is not None:
            drop.add(k)                 # a section label ("News", "Press release") above the headline
    return drop


def strip_furniture(lines: list[str], *, find_masthead: bool = True) -> Stripped:
    """Remove the page's furniture; return the article lines and what the page said about itself."""
    stripped = [line.strip() for line in lines]
    page = "\n" + "\n".join(stripped)
    if page.count("\n") == len(stripped):
        holder, families = _holder(page), furniture_lines(page, stripped)
    else:
        holder, families = _line_by_line(stripped)
    out = Stripped(lines=[], copyright_holder=holder)
    if families:
        out.removed = True
        body = _without_boxes(stripped, families)
        lines = [lines[k] for k in body]
        stripped = [stripped[k] for k in body]
    # The page's head, above the first prose: menus, breadcrumbs, the masthead.
    first_prose = _first_prose(stripped)
    drop = _head_drops(stripped[:first_prose])
    head, rest = lines[:first_prose], lines[first_prose:]
    if drop:
        out.removed = True
        head = [line for k, line in enumerate(head) if k not in drop]
    if find_masthead:
        # Under the inspectorate's own copyright, a name above the headline is not an outlet's.
        own = holder == "Crown" or bool(holder and OWN_COPYRIGHT.match(holder))
        out.masthead = _take_masthead(head, rest, outlets=not own)
        if out.masthead:
            out.removed = True
    out.lines = head + rest
    return out


def _take_masthead(head: list[str], rest: list[str], outlets: bool = True) -> str | None:
    """The outlet's name above the headline (in `head`) or credited beside the dateline
    near the top; the line is removed from its list."""
    top = _nonblank(head)
    if top is not None and (outlets and is_brand(head[top]) or INSPECTORATE_NAME.match(head[top].strip())):
        nxt = _nonblank(head + rest, top + 1)
        if nxt is not None and _is_headline((head + rest)[nxt], head[top]):
            name = head[top].strip()
            del head[top]
            return name
    if not outlets:
        return None
    both = head[:CREDIT_WITHIN + 1] + rest[:CREDIT_WITHIN + 1]     # the first lines and the one after
    for k, line in enumerate(both[:CREDIT_WITHIN]):
        s = line.strip()
        if not (s and is_brand(s) and OUTLET_WORD.search(s)):
            continue
        near = [both[i].strip() for i in (k - 1, k + 1) if 0 <= i < len(both)]
        if any(n and DATE_START.match(n) for n in near):
            if k < len(head):
                del head[k]
            else:
                del rest[k - len(head)]
            return s
    return None
