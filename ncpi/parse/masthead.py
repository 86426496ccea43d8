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
# The inspectorate became HMICFRS when it took on fire and rescue services.
RENAMED = HMICFRS_RENAMED
WATCHDOG = re.compile(r"\b(?:police )?(?:inspectorate|watchdog)\b|\bHM Inspectors?\b|\bHMI\b", re.I)
SHOUTED_MONTH = re.compile(r"\b[A-Z]{3,9}\b")


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


def _day_in_dateline(line: str, within: int = 40):
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
    for b in blocks[:15]:
        m = ORIGINALLY.search(b.text)
        days = [d for d in find_dates(m.group(0)) if d.precision == "day"] if m else []
        if days and days[0].start:
            return days[0].start
    return None


def _dated(blocks: list[Block], norm: Normalised, meta: dict) -> tuple[dt.date | None, list[str]]:
    for b in blocks[:10]:
        byline = bool(re.match(r"[Bb]y\s+[A-Z]", b.text))      # "By Helen Ross | 14 June 2016"
        if len(b.text) > (120 if byline else 80) or UPDATED_LINE.match(b.text):
            continue
        if b.kind == "dateline" or DATE_START.match(b.text) or byline:
            span = _day_in_dateline(b.text, within=80 if byline else 40)
            if span:
                if span.start:
                    return span.start, list(span.flags)
                return None, list(span.flags)
    for b in blocks[:12] + blocks[-4:]:
        m = PUBLISHED_LINE.search(b.text) if len(b.text) < 80 else None
        if m:
            spans = [s for s in find_dates(m.group("d")) if s.precision == "day"]
            if spans and spans[0].start:
                return spans[0].start, list(spans[0].flags)
    d = parse_iso_date(norm.html_published) or parse_iso_date(meta.get("published"))
    stated = [v for v in (norm.html_published, meta.get("published")) if isinstance(v, str)]
    # An ISO date in the metadata that is not a real, plausible day (2017-02-30, 0001-01-01).
    rejected = d is None and any(re.match(r"\s*\d{4}-\d{2}-\d{2}", v) for v in stated)
    return d, (["invalid_date"] if rejected else [])


# An organisation's name printed above a page's headline ("Office of the Police and Crime
# Commissioner for North Wales", "Norfolk Safeguarding Children Board"): a masthead, not news.
ORG_NAME = re.compile(
    r"^(?:(?:The )?Office of the )?[A-Z][\w&'’ ,-]{0,80}?\b(?:Commissioner|Council|Board|Partnership|Trust|Charity|"
    r"Constabulary|Police|Police Service|Fire and Rescue Service|Inspectorate)(?: for [A-Z][\w&'’ -]{1,40})?$")
HEADLINE_VERB = re.compile(r"\b(?:is|are|was|has|have|had|must|told|says?|said|makes?|made|needs?|sets? out|welcomes?|responds?|improves?|fails?|praised|criticised|to)\b")


def title_of(blocks: list[Block], norm: Normalised) -> str:
    brands = {x.lower() for x in (norm.masthead, norm.site_name) if x}
    for i, b in enumerate(blocks[:3]):
        if b.kind == "headline" and b.text.strip().lower() not in brands:
            t = b.text.strip()
            if ORG_NAME.match(t) and not HEADLINE_VERB.search(t):
                nxt = next((o.text.strip() for o in blocks[i + 1:i + 5]
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
            return (first[0].text if first else b.text)[:200]
    return ""


INSPECTORATE_HINT = re.compile(
    r"HMIC(?:FRS)?|HM Inspectorate.*|His Majesty.*|Her Majesty.*|GOV\.UK|Justice Inspectorates", re.I)
# GOV.UK and similar pages credit the publishing body: "From: HM Inspectorate of Constabulary".
FROM_LINE = re.compile(r"^(?:from|published by)\s*:\s*(?P<org>.{0,80})$", re.I)


def _from_line(blocks: list[Block]) -> str | None:
    for i, b in enumerate(blocks[:10]):
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
    first_hand = any(b.kind == "get_report" for b in blocks) or re.search(
        r"(?:HMIC(?:FRS)?|Inspectorate)['’]?s?\s+(?:out-of-hours\s+)?press office", text)
    return inspectorate if first_hand else None


def is_truncated(text: str) -> bool:
    tail = text.rstrip()
    return bool(tail) and not re.search(r"[.!?:;”\"’)\]…]$|\d$", tail) and len(tail) > 200 and bool(re.search(r"[a-z]$", tail))
