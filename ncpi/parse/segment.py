"""Cut normalised text into blocks (headline, paragraphs, bullets, notes) and sentences.

Every block and sentence carries character offsets into the text, so rows can point
back at exactly what they were read from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

BULLET = re.compile(r"^(?P<indent>\s*)(?P<mark>[•·▪◦‣●○■□–—*-]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+(?=\S)")
NOTES_HEADING = re.compile(r"^\s*(?:notes?(?: to (?:editors?|the editor))?|editors?['’]? notes?|background|about (?:hmic|hmicfrs)\w*)\s*:?\s*$", re.I)
GET_REPORT = re.compile(r"^\s*(?:get|read|download|view) the (?:full )?report\s*:?\s*$", re.I)
DATELINE = re.compile(
    r"^\s*(?:(?:published|posted|updated|first published|last updated)(?: on)?:?\s*)?"
    r"(?:[A-Z][A-Z' -]{2,30},\s+)?"   # a place first, as in a press release's dateline: "ST ASAPH, Monday 4 February 2019"
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})"
    r"(?:\s*(?:at\s*)?\d{1,2}[:.]\d{2}\s*(?:am|pm)?)?\s*(?:\|.*)?$",
    re.I,
)
# A second title under "Get the report" (two forces' reports): "Hampshire – National child protection inspection: post-inspection review".
REPORT_TITLE = re.compile(r"^[^.]{3,80}?\s[–—-]\s*National child protection\b[^.]{0,80}$", re.I)
BYLINE = re.compile(r"^\s*(?:by\s+[A-Z][\w.'’ -]{2,60}|[A-Z][\w'’ -]{2,40}\s*\|\s*.*)$")
ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|No|Supt|Det|Insp|Sgt|Cllr|Rev|Prof|Co|Ltd|vs|v|e\.g|i\.e|etc)\.|\b[A-Z]\.)$")
SENT_BREAK = re.compile(r"[.!?…](?:[”’\"')\]]+)?\s+(?=[“‘\"'(\[]?[A-Z0-9£])")
# A short first line is a headline unless it reads as a news lead ("..., according to ...").
ACCORDING_TO = re.compile(r"\baccording to\b")
NOTES_HEADING_MAX = 40    # a Notes heading is a short line, not a sentence that begins "Background ..."
DATELINE_MAX = 60         # a dateline is a short line, not a sentence that opens with a date
HEADLINE_MAX = 250        # a first line up to this long, not ending a sentence, is the headline
SHORT_HEADLINE_MAX = 160  # ... and up to this long even when it ends in a full stop
NUMBERED_PARA_MIN = 400   # a body line this long opening "1." is a numbered paragraph, not a list item
ABBREV_REACH = 12         # characters before a full stop read for an abbreviation ("Supt.")


@dataclass
class Block:
    kind: str            # headline | para | bullet | note | notes_heading | get_report | report_title | dateline
    start: int           # content start (after any bullet mark)
    end: int
    text: str
    level: int = 0
    section: str = "body"  # body | notes
    marker: str = ""

    _sentences: list[Sentence] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def sentences(self) -> list[Sentence]:
        """The block's sentences, split once (read after segment() has finished the block)."""
        if self._sentences is None:
            self._sentences = [Sentence(s.start + self.start, s.end + self.start, s.text)
                               for s in sentences(self.text, 0, len(self.text))]
        return self._sentences


@dataclass
class Sentence:
    start: int
    end: int
    text: str


def lines_with_offsets(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def segment(text: str) -> list[Block]:
    blocks: list[Block] = []
    section = "body"
    expect_report_title = False
    prev_blank = True
    for off, line in lines_with_offsets(text):
        s = line.strip()
        if not s:
            prev_blank = True
            continue
        lead = len(line) - len(line.lstrip())
        start, end = off + lead, off + len(line.rstrip())
        if len(s) < NOTES_HEADING_MAX and NOTES_HEADING.match(line):
            section = "notes"
            blocks.append(Block("notes_heading", start, end, s, section=section))
            prev_blank = False
            continue
        if s[-1] in "tT:" and GET_REPORT.match(line):   # the line ends "report" or ":"
            blocks.append(Block("get_report", start, end, s, section=section))
            expect_report_title = True
            prev_blank = False
            continue
        if expect_report_title or (blocks and blocks[-1].kind == "report_title" and REPORT_TITLE.match(s)):
            expect_report_title = False
            blocks.append(Block("report_title", start, end, s, section=section))
            prev_blank = False
            continue
        m = BULLET.match(line)
        if m and not (m.group("mark")[0].isdigit() and section == "body" and len(s) > NUMBERED_PARA_MIN):
            mark = m.group("mark")
            indent = len(m.group("indent").replace("\t", "    "))
            cstart = off + m.end()
            numbered = mark[0].isdigit() or mark.startswith("(")
            if section == "notes" and numbered and indent <= 4:
                kind, level = "note", 0
            else:
                kind = "bullet"
                level = 1 if (section == "notes" and not numbered) or indent >= 6 or mark in "◦○▪■□" else 0
            blocks.append(Block(kind, cstart, end, text[cstart:end], level=level, section=section, marker=mark))
            prev_blank = False
            continue
        # A lower-case line straight after a bullet continues it (an unwrapped bullet).
        if not prev_blank and blocks and blocks[-1].kind in ("bullet", "note") and s[:1].islower():
            b = blocks[-1]
            b.end = end
            b.text = text[b.start:end]
            continue
        kind = "para"
        if not blocks and ((len(s) <= HEADLINE_MAX and not s.endswith((".", ":")))
                           or (len(s) <= SHORT_HEADLINE_MAX and not ACCORDING_TO.search(s))):
            kind = "headline"
        elif len(s) <= DATELINE_MAX and DATELINE.match(line):
            kind = "dateline"
        blocks.append(Block(kind, start, end, text[start:end], section=section))
        prev_blank = False
    return blocks


def sentences(text: str, start: int, end: int) -> list[Sentence]:
    """Split text[start:end] into sentences, keeping offsets; abbreviations do not split."""
    out: list[Sentence] = []
    seg = text[start:end]
    cur = 0
    for m in SENT_BREAK.finditer(seg):
        cut = m.end()
        if ABBREV.search(seg[max(cur, m.start() - ABBREV_REACH):m.start() + 1]):
            continue
        piece = seg[cur:cut].rstrip()
        if piece.strip():
            a = start + cur + (len(seg[cur:cut]) - len(seg[cur:cut].lstrip()))
            out.append(Sentence(a, start + cur + len(piece), text[a:start + cur + len(piece)]))
        cur = cut
    piece = seg[cur:].rstrip()
    if piece.strip():
        a = start + cur + (len(seg[cur:]) - len(seg[cur:].lstrip()))
        out.append(Sentence(a, start + cur + len(piece), text[a:start + cur + len(piece)]))
    return out
