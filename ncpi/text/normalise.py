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
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if len(nonblank) < 4:
        return lines
    first, second = nonblank[0], nonblank[1]
    head = lines[first].strip()
    for k in range(2, min(len(nonblank), 12)):
        idx = nonblank[k]
        if lines[idx].strip() == head:
            after = nonblank[k + 1] if k + 1 < len(nonblank) else None
            if after is not None and lines[after].strip() == lines[second].strip():
                return lines[idx:]
    return lines


def _is_hard_wrapped(lines: list[str]) -> bool:
    body = [line for line in lines if line.strip()]
    if len(body) < 8:
        return False
    long_lines = sum(1 for line in body if len(line) > 100)
    mid_break = 0
    for a, b in zip(lines, lines[1:]):
        if a.strip() and b.strip() and not SENTENCE_END.search(a) and not BULLET_START.match(b):
            mid_break += 1
    return long_lines <= len(body) * 0.05 and mid_break >= max(3, len(body) * 0.25)


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
            prev.rstrip().endswith(":") and len(prev) < 60
        ) and len(prev.strip()) > 25:
            out[-1] = prev.rstrip() + " " + s.strip()
        else:
            out.append(s)
    return out


def normalise(raw_text: str, *, is_html: bool | None = None) -> Normalised:
    flags: list[str] = []
    html_doc = None
    if is_html or (is_html is None and looks_like_html(raw_text)):
        html_doc = html_to_text(raw_text)
        raw_text = html_doc.text
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
    if MOJIBAKE.search(text):
        import ftfy  # imported lazily: only the rare broken document pays for it

        fixed = ftfy.fix_text(text, normalization=None, uncurl_quotes=False, fix_line_breaks=False)
        if fixed != text:
            text = fixed
            flags.append("mojibake_repaired")
    if ENTITY.search(text):
        text = htmlmod.unescape(text)
    if "<" in text and TAG.search(text):
        text = TAG.sub("", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").replace("\t", "    ")
    lines = [line.rstrip() for line in text.split("\n")]
    lines = _dedupe_crawl_header(lines)
    # An HTML page's own header is gone already and its brand is in site_name; its
    # first line is the headline, which must never be mistaken for a masthead.
    stripped = strip_furniture(lines, find_masthead=html_doc is None)
    lines = stripped.lines
    if _is_hard_wrapped(lines):
        lines = _unwrap(lines)
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
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
