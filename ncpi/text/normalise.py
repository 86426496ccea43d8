"""Normalise decoded text into the article text all offsets refer to.

Steps, each cheap enough to run on every document: HTML to text, mojibake repair, line
ends, entities and stray tags, the crawl's repeated header, site furniture, and hard
wrapping. Flags record what was repaired so nothing is silently fixed.
"""
from __future__ import annotations

import html as htmlmod
import re
from dataclasses import dataclass, field

from ncpi.text.furniture import strip_furniture
from ncpi.text.html import html_to_text, looks_like_html

MOJIBAKE = re.compile(r"â€|Ã[\x80-\xbf]|Â[\xa0-\xbf ]|â€™|â€œ")
ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]{0,10}(?:\s[^<>]{0,300})?/?>")
BULLET_START = re.compile(r"^\s*(?:[•·▪◦‣●○■□–—*-]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+)")
SENTENCE_END = re.compile(r"[.!?:;”\"’)]\s*$")
# Every MOJIBAKE match starts with one of these: a text without them is not searched.
MOJIBAKE_LEADS = ("â", "Ã", "Â")
# Characters the article text never keeps, and what stands for them.
SPACES = (("\u00a0", " "), ("\u200b", ""), ("\ufeff", ""), ("\t", "    "))
BLANK_RUN = re.compile(r"\n\n\n+")
# A crawled copy repeats its headline (and standfirst) within the first lines only, and
# has four nonblank lines at least: headline, standfirst, and their copies.
CRAWL_HEADER_WITHIN = 12
CRAWL_HEADER_MIN = 4
# Hard wrapping: a text of at least WRAP_MIN_LINES lines, almost none (WRAP_LONG_SHARE)
# longer than WRAP_LONG characters, with at least a quarter (WRAP_BREAK_SHARE, and at
# least WRAP_MIN_BREAKS) of its lines running on into the next without ending a sentence.
WRAP_MIN_LINES = 8
WRAP_LONG = 100
WRAP_LONG_SHARE = 0.05
WRAP_BREAK_SHARE = 0.25
WRAP_MIN_BREAKS = 3
# Unwrapping joins a line to the one before unless that is a short lead-in ending with a
# colon (under UNWRAP_LEAD_IN characters) or too short to be running text (UNWRAP_MIN_RUN).
UNWRAP_LEAD_IN = 60
UNWRAP_MIN_RUN = 25


@dataclass
class Normalised:
    text: str
    flags: list[str] = field(default_factory=list)
    publisher_hint: str | None = None     # the outlet as the page brands itself, else its copyright owner
    masthead: str | None = None           # the outlet's name printed above the headline or beside the date
    copyright_holder: str | None = None
    site_name: str | None = None
    html_title: str | None = None
    html_published: str | None = None
    canonical_url: str | None = None


def _dedupe_crawl_header(lines: list[str]) -> list[str]:
    """Crawled copies repeat headline and standfirst before the article: keep one copy."""
    nonblank = []
    for i, line in enumerate(lines):
        if line.strip():
            nonblank.append(i)
            if len(nonblank) > CRAWL_HEADER_WITHIN:
                break
    if len(nonblank) < CRAWL_HEADER_MIN:
        return lines
    first, second = nonblank[0], nonblank[1]
    head = lines[first].strip()
    for k in range(2, min(len(nonblank), CRAWL_HEADER_WITHIN)):
        idx = nonblank[k]
        if lines[idx].strip() == head:
            after = nonblank[k + 1] if k + 1 < len(nonblank) else None
            if after is not None and lines[after].strip() == lines[second].strip():
                return lines[idx:]
    return lines


def _is_hard_wrapped(lines: list[str]) -> bool:
    body = [line for line in lines if line.strip()]
    if len(body) < WRAP_MIN_LINES:
        return False
    long_lines = sum(1 for line in body if len(line) > WRAP_LONG)
    if long_lines > len(body) * WRAP_LONG_SHARE:
        return False
    mid_break = 0
    for a, b in zip(lines, lines[1:]):
        if a.strip() and b.strip() and not SENTENCE_END.search(a) and not BULLET_START.match(b):
            mid_break += 1
    return mid_break >= max(WRAP_MIN_BREAKS, len(body) * WRAP_BREAK_SHARE)


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines back into paragraphs and bullet items."""
    out: list[str] = []
    for line in lines:
        s = line.rstrip()
        if not s.strip():
            out.append("")
            continue
        starts_item = bool(BULLET_START.match(s))
        prev = out[-1] if out else ""
        if prev.strip() and not starts_item and not (
            prev.rstrip().endswith(":") and len(prev) < UNWRAP_LEAD_IN
        ) and len(prev.strip()) > UNWRAP_MIN_RUN:
            out[-1] = prev.rstrip() + " " + s.strip()
        else:
            out.append(s)
    return out


def _repaired(text: str, flags: list[str]) -> str:
    """Line ends, mojibake, entities and stray tags repaired; odd spaces replaced."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(c in text for c in MOJIBAKE_LEADS) and MOJIBAKE.search(text):
        import ftfy  # imported lazily: only the rare broken document pays for it

        fixed = ftfy.fix_text(text, normalization=None, uncurl_quotes=False, fix_line_breaks=False)
        if fixed != text:
            text = fixed
            flags.append("mojibake_repaired")
    if "&" in text and ENTITY.search(text):
        text = htmlmod.unescape(text)
    if "<" in text and TAG.search(text):
        text = TAG.sub("", text)
    for odd, fit in SPACES:
        if odd in text:
            text = text.replace(odd, fit)
    return text


def normalise(raw_text: str, *, is_html: bool | None = None) -> Normalised:
    flags: list[str] = []
    html_doc = None
    if is_html or (is_html is None and looks_like_html(raw_text)):
        html_doc = html_to_text(raw_text)
        raw_text = html_doc.text
    text = _repaired(raw_text, flags)
    lines = [line.rstrip() for line in text.split("\n")]
    lines = _dedupe_crawl_header(lines)
    # An HTML page's own header is gone already and its brand is in site_name; its
    # first line is the headline, which must never be mistaken for a masthead.
    stripped = strip_furniture(lines, find_masthead=html_doc is None)
    lines = stripped.lines
    if _is_hard_wrapped(lines):
        lines = _unwrap(lines)
    text = "\n".join(lines)
    if "\n\n\n" in text:
        text = BLANK_RUN.sub("\n\n", text)
    text = text.strip("\n")
    text = text + "\n" if text else ""
    site = (html_doc.site_name or html_doc.title_site) if html_doc is not None else None
    # The brand the reader saw beats the company owning it ("Derbyshire Times", not
    # "National World Publishing Ltd").
    hint = stripped.masthead or site or stripped.copyright_holder
    return Normalised(
        text=text,
        flags=flags,
        publisher_hint=hint,
        masthead=stripped.masthead,
        copyright_holder=stripped.copyright_holder,
        site_name=site,
        html_title=html_doc.title if html_doc else None,
        html_published=html_doc.published if html_doc else None,
        canonical_url=html_doc.canonical_url if html_doc else None,
    )
