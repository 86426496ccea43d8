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
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ncpi.rules import furniture as furniture_rules

# Lines dropped wherever they stand, box headings and tail starts are rule records
# (ncpi/rules/furniture.py), each family one scan of a line.
SOCIAL = furniture_rules.SOCIAL
DROP_LINE = furniture_rules.DROP_LINE
BOX_HEADING = furniture_rules.BOX_HEADING
TAIL_START = furniture_rules.TAIL_START
IS_COPYRIGHT = re.compile(r"^(?:(?:copyright\s*)?©|copyright \d{4}|\(c\) \d{4}|all rights reserved)", re.I)
# Who published a copy, read from its copyright line before the line is removed.
COPYRIGHT = re.compile(
    r"^(?:(?:copyright|©|\(c\))\s*)+(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<who>[^.|\n]{2,60}?)\s*(?:[.|].*)?$",
    re.I,
)
# A menu item: a word or three, no sentence punctuation.
MENU_WORD = re.compile(r"^[\w&'’ -]{1,24}$")
# Breadcrumbs and section labels: "News | Safeguarding", "News › Crime".
CRUMB = r"[\w&'’-]+(?: [\w&'’-]+){0,2}"
# "Home › News › Crime", "Home | News", "Home / News / Crime" (a slash with spaces: "and/or" is not one).
BREADCRUMB = re.compile(rf"^{CRUMB}(?:(?:\s*[|›»>]\s*|\s+/\s+){CRUMB})+$")
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?"
# A line that starts with a date, as datelines do ("12 June 2019", "April 11, 2019 in …",
# "13:10, 20 FEB 2019", "Published 29th Aug 2018, 16:45 BST").
DATE_START = re.compile(
    r"^(?:(?:published|posted|updated|first published|last updated)(?: on)?:?\s*)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:\d{1,2}[:.]\d{2}\s*(?:am|pm)?,?\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+" + MONTH + r",?\s+\d{4}|" + MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}-\d{2}-\d{2})",
    re.I,
)
# Words that name a publication: an outlet credited beside the date carries one.
OUTLET_WORD = re.compile(
    r"\b(?:news|times|echo|live|post|press|mail|mirror|express|telegraph|guardian|independent|standard|"
    r"gazette|herald|chronicle|journal|argus|courier|advertiser|observer|star|sun|mercury|sentinel|examiner|"
    r"citizen|record|review|bulletin|today|now|online|magazine|oracle|professional|care|insider|digest|"
    r"radio|tv|bbc|itv|sky|fm)\b",
    re.I,
)
# A name ending like these is a force, council or the inspectorate, never an outlet's masthead.
NOT_AN_OUTLET = re.compile(
    r"(?:police|constabulary|services?|force|council|commissioner|office|government|gov\.uk|crown)$|"
    r"\b(?:correspondent|editor|reporter|writer|staff)$",
    re.I,
)
# The inspectorate's own name over its pages ("HMICFRS", "Justice Inspectorates"): a masthead too.
INSPECTORATE_NAME = re.compile(
    r"^(?:HMICFRS|HMIC|Justice Inspectorates|(?:HM|Her Majesty['’]s|His Majesty['’]s) Inspectorate of "
    r"Constabulary(?: and Fire (?:&|and) Rescue Services)?(?: \((?:HMICFRS|HMIC)\))?)$",
    re.I,
)
CONNECTORS = {"&", "and", "of", "the", "on", "for", "in", "-", "–"}
# Section and menu words: a line made only of these is a label, never an outlet's name.
GENERIC_NAV = {"home", "news", "sport", "menu", "search", "latest", "uk", "world", "business", "opinion",
               "politics", "crime", "lifestyle", "jobs", "weather", "property", "money", "local", "video",
               "press", "release", "releases", "story", "stories", "and", "updates", "media", "centre", "top"}


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
    who = re.sub(r"^(?:by\s+)", "", who, flags=re.I)
    who = re.sub(r"\s*,?\s*(?:19|20)\d{2}$", "", who).strip(" -–,")       # "© HMIC 2017"
    if not who or who.lower() in {"all rights reserved", "copyright"}:
        return None
    if who.lower().startswith("crown"):
        return "Crown"
    return who


def is_prose(line: str) -> bool:
    """A line of article prose: a sentence or more, not a link, label or teaser."""
    s = line.strip()
    return (len(s) >= 80 and bool(re.search(r"[.!?:;”\"’)]$", s))) or len(s) >= 200


def is_brand(line: str) -> bool:
    """Looks like a publication's name: a few capitalised words, no sentence, not a force."""
    s = line.strip()
    if not 2 <= len(s) <= 50 or re.search(r"[.,:;!?\"“”‘()|]$|\d", s) or re.search(r"[“”\"‘():;|]", s):
        return False
    words = s.split()
    if not 1 <= len(words) <= 6 or words[0].lower() == "by":
        return False
    if _is_label(s):
        return False
    # A longer Title Case line is a headline unless it names a kind of publication.
    if len([w for w in words if w.lower() not in CONNECTORS]) > 3 and not OUTLET_WORD.search(s):
        return False
    if not all(w.lower() in CONNECTORS or w[0].isupper() for w in words):
        return False
    return not NOT_AN_OUTLET.search(s)


def _is_label(s: str) -> bool:
    words = re.sub(r"[^\w ]", " ", s.lower()).split()
    return 0 < len(words) <= 3 and all(w in GENERIC_NAV for w in words)


def _is_headline(line: str, brand: str) -> bool:
    s = line.strip()
    return (20 <= len(s) <= 250 and not s.endswith(".") and len(s.split()) >= 4
            and len(s.split()) > len(brand.split()) and not DATE_START.match(s)
            and not s.lower().startswith("by "))


def _nonblank(lines: list[str], start: int = 0) -> int | None:
    for k in range(start, len(lines)):
        if lines[k].strip():
            return k
    return None


def _glued_menu(s: str, items: set[str]) -> bool:
    """A breadcrumb copied without separators: "NewsGreater Manchester News" from menu items."""
    if not items or s in items:
        return False
    parts = 0
    rest = s
    while rest:
        hit = next((it for it in sorted(items, key=len, reverse=True) if rest.startswith(it)), None)
        if hit is None:
            return False
        rest = rest[len(hit):].lstrip(" |›»>/")
        parts += 1
    return parts >= 2


def strip_furniture(lines: list[str], *, find_masthead: bool = True) -> Stripped:
    """Remove the page's furniture; return the article lines and what the page said about itself."""
    out = Stripped(lines=[])
    holder = None
    for line in lines:
        s = line.strip()
        if s and IS_COPYRIGHT.match(s):
            holder = holder or copyright_holder(s)
    out.copyright_holder = holder

    # Lines that are furniture wherever they stand.
    kept = [line for line in lines if not (line.strip() and DROP_LINE.match(line.strip()))]
    out.removed = len(kept) != len(lines)
    prose_at = [k for k, line in enumerate(kept) if is_prose(line)]
    first_prose = prose_at[0] if prose_at else len(kept)

    # Boxes of links inside the article, and the tail after it.
    body: list[str] = []
    k = 0
    while k < len(kept):
        s = kept[k].strip()
        box, tail = bool(s and BOX_HEADING.match(s)), bool(s and TAIL_START.match(s))
        if not (box or tail):
            body.append(kept[k])
            k += 1
            continue
        out.removed = True
        prose_after = bool(prose_at) and prose_at[-1] > k
        if k < first_prose:
            k += 1                      # a menu item, or a cover page's imprint: the line only
            continue
        if tail or not prose_after:
            break                       # the article has ended
        # A box inside the article: its heading and the run of links under it.
        k += 1
        while k < len(kept) and not kept[k].strip():
            k += 1
        while k < len(kept) and kept[k].strip() and not is_prose(kept[k]):
            k += 1
    kept = body

    # The page's head, above the first prose: menus, breadcrumbs, the masthead.
    first_prose = next((k for k, line in enumerate(kept) if is_prose(line)), len(kept))
    head, rest = kept[:first_prose], kept[first_prose:]
    menu_items: set[str] = set()
    drop: set[int] = set()
    k = 0
    while k < len(head):
        j = k
        while j < len(head) and head[j].strip() and MENU_WORD.match(head[j].strip()) and len(head[j].split()) <= 3:
            j += 1
        if j - k >= 3:                  # three or more menu words in a row are navigation
            drop.update(range(k, j))
            menu_items.update(head[i].strip() for i in range(k, j))
            k = j
        else:
            k += 1
    for k, line in enumerate(head):
        s = line.strip()
        if s and (BREADCRUMB.match(s) and not DATE_START.match(s) or _glued_menu(s, menu_items)):
            drop.add(k)
        elif s and _is_label(s) and _nonblank(head, k + 1) is not None:
            drop.add(k)                 # a section label ("News", "Press release") above the headline
    if drop:
        out.removed = True
        head = [line for k, line in enumerate(head) if k not in drop]

    if find_masthead:
        # Under the inspectorate's own copyright, a name above the headline is not an outlet's.
        own = holder == "Crown" or bool(holder and re.match(r"HMIC|HM Inspectorate|Her Majesty|His Majesty", holder))
        out.masthead = _take_masthead(head, rest, outlets=not own)
        if out.masthead:
            out.removed = True
    out.lines = head + rest
    return out


# The credit beside a dateline is looked for among the first lines only.
CREDIT_WITHIN = 20


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
    both = head + rest
    for k, line in enumerate(both[:CREDIT_WITHIN] if outlets else []):
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
