"""Who published a document, when, under what headline: the `sources` row's own fields.

Plain functions over the segmented text; `parse_normalised` calls them once per document.
"""
from __future__ import annotations

import datetime as dt
import re

from ncpi.parse.dates import MONTHS, find_dates, parse_iso_date
from ncpi.vocab import HMICFRS_RENAMED
from ncpi.parse.segment import Block, sentences
from ncpi.text.furniture import DATE_START
from ncpi.text.normalise import Normalised

HMICFRS_RE = re.compile(r"\bHM[A-Z]{3,5}S\b|\bHMICFRS\b|Fire (?:&|and) Rescue Services|His Majesty['’]?s Inspectorate", re.I)
HMIC_RE = re.compile(r"\bHMIC\b|Inspectorate of Constab\w*|\bHMIC['’]s", re.I)
PUBLISHED_LINE = re.compile(r"(?:published|posted|first published)(?: on)?:?\s*(?P<d>.{6,40})$", re.I)
# A line saying when this copy was revised, not when it was published.
UPDATED_LINE = re.compile(r"^\s*(?:last )?(?:updated|modified|amended)\b", re.I)
# "This press release was originally issued by … on 12 February 2019."
ORIGINALLY = re.compile(r"\b(?:originally|first) (?:issued|published|released|posted|appeared)\b[^.!?]{0,200}", re.I)
# ORIGINALLY needs one of its verbs after a space: this (a literal space first) is found far faster.
ISSUED_WORD = re.compile(r" (?:issued|published|released|posted|appeared)\b", re.I)
# The inspectorate became HMICFRS when it took on fire and rescue services.
RENAMED = HMICFRS_RENAMED
WATCHDOG = re.compile(r"\b(?:police )?(?:inspectorate|watchdog)\b|\bHM Inspectors?\b|\bHMI\b", re.I)
SHOUTED_MONTH = re.compile(r"\b[A-Z]{3,9}\b")
BYLINE = re.compile(r"[Bb]y\s+[A-Z]")                 # "By Helen Ross | 14 June 2016"
ISO_DAY = re.compile(r"\s*\d{4}-\d{2}-\d{2}")          # metadata stating an ISO day
PRESS_OFFICE = re.compile(r"(?:HMIC(?:FRS)?|Inspectorate)['’]?s?\s+(?:out-of-hours\s+)?press office")
# A text cut off mid-sentence: no closing punctuation (or figure) but a lower-case letter.
CLOSED_END = re.compile(r"[.!?:;”\"’)\]…]$|\d$")
OPEN_END = re.compile(r"[a-z]$")
TRUNCATED_MIN = 200        # a text shorter than this may end without punctuation (a caption, a title)
DATELINE_WITHIN = 40       # a dateline's day starts within this many characters of the line
BYLINE_WITHIN = 80         # ... of a byline ("By Helen Ross | 14 June 2016"), which runs longer
DATELINE_MAX = 80          # a line longer than this is not a dateline
BYLINE_MAX = 120           # nor a byline longer than this
DATELINE_BLOCKS = 10       # the blocks at the top searched for a dateline or byline
PUBLISHED_HEAD_BLOCKS = 12  # the blocks at the top searched for a "Published on" line
PUBLISHED_TAIL_BLOCKS = 4  # and at the bottom
PUBLISHED_LINE_MAX = 80    # a "Published on" line is shorter than this
ORIGINAL_BLOCKS = 15       # the blocks searched for "originally issued ... on <day>"
TITLE_BLOCKS = 3           # the blocks a headline is read from
TITLE_MAX = 200            # a title taken from the first sentence is cut at this length
NEXT_HEADLINE_BLOCKS = 4   # blocks after an organisation's name searched for the real headline
FROM_LINE_BLOCKS = 10      # the blocks searched for a "From: HM Inspectorate ..." line


def inspectorate_of(text: str, published: dt.date | None = None) -> str | None:
    """HMICFRS or HMIC as the text names the inspectorate; a text that only says "the
    police inspectorate" or "the watchdog" is read by its date (renamed 19 July 2017)."""
    if HMICFRS_RE.search(text):
        return "HMICFRS"
    if HMIC_RE.search(text):
        return "HMIC"
    if published and WATCHDOG.search(text):
        return "HMICFRS" if published >= RENAMED else "HMIC"
    return None


def _day_in_dateline(line: str, within: int = DATELINE_WITHIN):
    """The day a dateline states ("13:10, 20 FEB 2019", "April 11, 2019 in Children")."""
    line = SHOUTED_MONTH.sub(lambda m: m.group(0).title() if m.group(0).lower() in MONTHS or m.group(0).lower()[:3] in MONTHS else m.group(0), line)
    spans = [s for s in find_dates(line) if s.precision == "day" and s.pos[0] <= within]
    return spans[0] if spans else None


def source_date(blocks: list[Block], norm: Normalised, meta: dict) -> tuple[dt.date | None, list[str]]:
    """This copy's publication date: its dateline near the top, a "Published on" line, else
    the page's metadata. A copy dated later than the date it says the release was
    originally issued is flagged `republished_date_later`."""
    published, flags = _dated(blocks, norm, meta)
    original = original_issue_date(blocks)
    if published and original and original < published:
        flags.append("republished_date_later")
    return published, flags


def original_issue_date(blocks: list[Block]) -> dt.date | None:
    """The day a republished copy says the release was first issued ("This press release
    was originally issued by … on 12 February 2019"): what its "today" means."""
    for b in blocks[:ORIGINAL_BLOCKS]:
        m = ORIGINALLY.search(b.text) if ISSUED_WORD.search(b.text) else None
        days = [d for d in find_dates(m.group(0)) if d.precision == "day"] if m else []
        if days and days[0].start:
            return days[0].start
    return None


def _dated(blocks: list[Block], norm: Normalised, meta: dict) -> tuple[dt.date | None, list[str]]:
    for b in blocks[:DATELINE_BLOCKS]:
        byline = bool(BYLINE.match(b.text))
        if len(b.text) > (BYLINE_MAX if byline else DATELINE_MAX) or UPDATED_LINE.match(b.text):
            continue
        if b.kind == "dateline" or DATE_START.match(b.text) or byline:
            span = _day_in_dateline(b.text, within=BYLINE_WITHIN if byline else DATELINE_WITHIN)
            if span:
                if span.start:
                    return span.start, list(span.flags)
                return None, list(span.flags)
    for b in blocks[:PUBLISHED_HEAD_BLOCKS] + blocks[-PUBLISHED_TAIL_BLOCKS:]:
        m = PUBLISHED_LINE.search(b.text) if len(b.text) < PUBLISHED_LINE_MAX else None
        if m:
            spans = [s for s in find_dates(m.group("d")) if s.precision == "day"]
            if spans and spans[0].start:
                return spans[0].start, list(spans[0].flags)
    d = parse_iso_date(norm.html_published) or parse_iso_date(meta.get("published"))
    stated = [v for v in (norm.html_published, meta.get("published")) if isinstance(v, str)]
    # An ISO date in the metadata that is not a real, plausible day (2017-02-30, 0001-01-01).
    rejected = d is None and any(ISO_DAY.match(v) for v in stated)
    return d, (["invalid_date"] if rejected else [])


# An organisation's name printed above a page's headline ("Office of the Police and Crime
# Commissioner for North Wales", "Norfolk Safeguarding Children Board"): a masthead, not news.
ORG_NAME = re.compile(
    r"^(?:(?:The )?Office of the )?[A-Z][\w&'’ ,-]{0,80}?\b(?:Commissioner|Council|Board|Partnership|Trust|Charity|"
    r"Constabulary|Police|Police Service|Fire and Rescue Service|Inspectorate)(?: for [A-Z][\w&'’ -]{1,40})?$")
HEADLINE_VERB = re.compile(r"\b(?:is|are|was|has|have|had|must|told|says?|said|makes?|made|needs?|sets? out|welcomes?|responds?|improves?|fails?|praised|criticised|to)\b")


def title_of(blocks: list[Block], norm: Normalised) -> str:
    brands = {x.lower() for x in (norm.masthead, norm.site_name) if x}
    for i, b in enumerate(blocks[:TITLE_BLOCKS]):
        if b.kind == "headline" and b.text.strip().lower() not in brands:
            t = b.text.strip()
            if ORG_NAME.match(t) and not HEADLINE_VERB.search(t):
                nxt = next((o.text.strip() for o in blocks[i + 1:i + 1 + NEXT_HEADLINE_BLOCKS]
                            if o.kind in ("para", "headline") and len(o.text.split()) >= 5
                            and not o.text.rstrip().endswith(".") and HEADLINE_VERB.search(o.text)), None)
                if nxt:
                    return nxt
            return t
    if norm.html_title:
        return norm.html_title
    for b in blocks:
        if b.kind == "para":
            first = sentences(b.text, 0, len(b.text))
            return (first[0].text if first else b.text)[:TITLE_MAX]
    return ""


INSPECTORATE_HINT = re.compile(
    r"HMIC(?:FRS)?|HM Inspectorate.*|His Majesty.*|Her Majesty.*|GOV\.UK|Justice Inspectorates", re.I)
# GOV.UK and similar pages credit the publishing body: "From: HM Inspectorate of Constabulary".
FROM_LINE = re.compile(r"^(?:from|published by)\s*:\s*(?P<org>.{0,80})$", re.I)


def _from_line(blocks: list[Block]) -> str | None:
    for i, b in enumerate(blocks[:FROM_LINE_BLOCKS]):
        m = FROM_LINE.match(b.text.strip())
        if m:
            org = m.group("org").strip() or (blocks[i + 1].text.strip() if i + 1 < len(blocks) else "")
            return org.rstrip(".") or None
    return None


def publisher_of(norm: Normalised, text: str, inspectorate: str | None, blocks: list[Block]) -> str | None:
    """Who published this copy: the outlet as it brands itself (masthead, site name), else
    the copyright owner; the inspectorate for its own releases and pages."""
    hint = norm.publisher_hint or _from_line(blocks)
    if hint:
        if hint == "Crown" or INSPECTORATE_HINT.fullmatch(hint):
            return inspectorate or ("HMICFRS" if "FRS" in hint.upper() else "HMIC")
        return hint
    first_hand = any(b.kind == "get_report" for b in blocks) or PRESS_OFFICE.search(text)
    return inspectorate if first_hand else None


def is_truncated(text: str) -> bool:
    tail = text.rstrip()
    # the patterns end at $: match them at the last character only (the tail has no newline after it)
    return (len(tail) > TRUNCATED_MIN and not CLOSED_END.match(tail, len(tail) - 1)
            and bool(OPEN_END.match(tail, len(tail) - 1)))
