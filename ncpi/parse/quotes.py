"""Direct quotations: find them, join their paragraphs, and attribute them.

Releases quote in two styles. The inspectorate's own: "X said:" then paragraphs that
each open with a quote mark, only the last one closing. Outlets: quotes inline, broken
by "he said", with a new paragraph shown by a quote mark that opens without the last
one closing. Both become one statement per speaker turn. Fragments of a few words in
narrative (‘continuing commitment’) are not statements.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from ncpi.parse.speakers import NAME_RE, PRONOUN, KnownSpeakers, Speaker, parse_speaker, styled_inspector_at

OPEN = "“"
CLOSE = "”"
MIN_WORDS = 6
SAID = r"(?:said|says|added|adds|adding|commented|explained|stated|warned|told [\w ]{1,40}?|telling [\w ]{1,40}?|continued|went on)"
# Text after a closing mark that names the speaker: ', he said.' / ' said HMI X.' / ' X said.'
AFTER_PRONOUN = re.compile(rf"^[ \t]*\n?[ \t]*,?[ \t]*(?P<pro>he|she|they)\s+{SAID}\b[^.“\n]{{0,80}}?(?:[.,:]|$)", re.I)
# An attribution after a quote stays in the quote's paragraph (a blank line ends it) and
# runs to the end of its sentence: ', said Wendy Williams, HM Inspector of Constabulary.'
AFTER_SAID_NAME = re.compile(rf"^[ \t]*\n?[ \t]*,?[ \t]*{SAID}\s+(?P<phrase>[^.“”\n]{{3,200}}?)(?:\.(?=\s|$)|$|(?=“))", re.M)
AFTER_NAME_SAID = re.compile(rf"^[ \t]*\n?[ \t]*,?[ \t]*(?P<phrase>(?:(?:an?|the)\s+\w|[A-Z])[^.“”\n]{{2,200}}?)\s+{SAID}\b[^.“\n]{{0,60}}?(?:[.,:]|$)")
# Where a speaker phrase holds two clauses ("The force welcomed it, and Chief Constable X
# said"), the speaker is in the last. "Police and Crime Commissioner" is one title: an
# "and" between two capitalised words does not split.
CLAUSE_BREAK = re.compile(r"(?P<comma>,\s*)?\b(?P<conj>and|but|while|however)\s+(?=[A-Z])|;")
BEFORE_SAID = re.compile(rf"(?P<phrase>[A-Z‘“][^.!?“”\n]{{2,240}}?)\s+{SAID}\s*(?:that\s*)?[:,]?\s*$")
BEFORE_COLON = re.compile(r"(?P<phrase>[A-Z][^.!?“”\n]{2,200}?)\s*:\s*$")
# The attribution before a quote is at most ~300 characters (a 240-character phrase, the
# verb, "that"): reading further back only made each quote rescan its whole paragraph.
ATTRIBUTION_BEFORE_CHARS = 400
NAME_LOOKBACK_CHARS = 110   # how far before a name its introducing phrase is read
NAME_CLAUSE_BREAK = re.compile(r",\s*(?:and|but|while|however)\s+|\b(?:However|Meanwhile|But|And),?\s+")


@dataclass
class QuoteRun:
    start: int                       # first quoted character (after the opening mark)
    end: int                         # after the last quoted character
    parts: list[tuple[int, int]] = field(default_factory=list)   # paragraphs of the quote
    closed: bool = True


class QuoteIndex:
    """Runs sorted by start, with the furthest end reached by any run starting at or
    before a position: "is this span inside a quotation?" in O(log n), not a scan."""

    def __init__(self, runs: list[QuoteRun]):
        spans = sorted((r.start, r.end) for r in runs)
        self.starts = [a for a, _ in spans]
        self.reach_at: list[int] = []
        furthest = -1
        for _, b in spans:
            furthest = max(furthest, b)
            self.reach_at.append(furthest)

    def reach(self, pos: int) -> int:
        """The furthest end of a run that starts at or before pos (-1 if none does)."""
        k = bisect_right(self.starts, pos)
        return self.reach_at[k - 1] if k else -1

    def covers(self, a: int, b: int) -> bool:
        """Some run, widened by one character each side (its marks), holds [a, b)."""
        return self.reach(a + 1) >= b - 1


@dataclass
class Statement:
    speaker: Speaker
    start: int
    end: int
    text: str
    paragraphs: int


def _normalise_marks(text: str) -> str:
    """Straight double quotes become curly ones (same length, so offsets hold)."""
    if '"' not in text:
        return text
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch != '"':
            continue
        prev = chars[i - 1] if i else "\n"
        nxt = chars[i + 1] if i + 1 < len(chars) else "\n"
        if prev in " \n\t([—–-" or (prev in ".,:;" and nxt.isalnum()):
            chars[i] = OPEN
        elif nxt in " \n\t.,;:!?)—–-" or not nxt.strip():
            chars[i] = CLOSE
        else:
            chars[i] = OPEN if not prev.isalnum() else CLOSE
    return "".join(chars)


def find_quote_runs(text: str) -> tuple[list[QuoteRun], bool]:
    """Quote runs in order; the bool says whether some quote never closed."""
    runs, unclosed = _double_runs(text)
    inside = [(r.start, r.end) for r in runs]
    singles = [r for r in _single_runs(text) if not any(a <= r.start <= b for a, b in inside)]
    return sorted(runs + singles, key=lambda r: r.start), unclosed


# Some outlets quote with single marks. An apostrophe looks the same, so a single-quoted
# run must open before a letter after a space or line start and close right after
# sentence punctuation ("… report.’", "… children,’ he said"): "officers’ work" is no close.
SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(]))[‘'](?=[A-Z])", re.M)
SINGLE_CLOSE = re.compile(r"(?<=[.,!?…])[’']")


def _single_runs(text: str) -> list[QuoteRun]:
    runs: list[QuoteRun] = []
    pos = 0
    while True:
        m = SINGLE_OPEN.search(text, pos)
        if not m:
            return runs
        run = QuoteRun(start=m.end(), end=m.end())
        seg = m.end()
        while True:
            para = text.find("\n\n", seg)
            c = SINGLE_CLOSE.search(text, seg, para if para != -1 else len(text))
            if c:
                run.parts.append((seg, c.start()))
                pos = c.end()
                break
            end = para if para != -1 else len(text)
            run.parts.append((seg, seg + len(text[seg:end].rstrip())))
            nxt = SINGLE_OPEN.match(text, end + 2) if para != -1 else None
            if nxt is None:
                # Never closed: without a closing mark a single quote is too easily an
                # apostrophe, so the run is kept only when attributed before it.
                run.closed = False
                pos = end
                break
            seg = nxt.end()
        run.start, run.end = run.parts[0][0], run.parts[-1][1]
        if run.closed or re.search(r":\s*$", text[max(0, m.start() - 3):m.start()]):
            runs.append(run)


def _double_runs(text: str) -> tuple[list[QuoteRun], bool]:
    t = _normalise_marks(text)
    runs: list[QuoteRun] = []
    unclosed = False
    n = len(t)
    # Positions of every mark and paragraph break, looked up by bisection: scanning the
    # text again from each unmatched mark would be quadratic on a page of stray marks.
    opens = [m.start() for m in re.finditer(OPEN, t)]
    closes = [m.start() for m in re.finditer(CLOSE, t)]
    paras = [m.start() for m in re.finditer("\n\n", t)]

    def nxt(positions: list[int], j: int) -> int:
        k = bisect_left(positions, j)
        return positions[k] if k < len(positions) else -1

    def trimmed_end(a: int, b: int) -> int:
        while b > a and t[b - 1].isspace():
            b -= 1
        return b

    i = 0
    while True:
        a = nxt(opens, i)
        if a < 0:
            break
        run = QuoteRun(start=a + 1, end=a + 1)
        seg_start = a + 1
        j = a + 1
        while True:
            c = nxt(closes, j)
            o = nxt(opens, j)
            para = nxt(paras, j)
            # A new opening mark before the close, at a paragraph or sentence boundary,
            # continues the same quotation in a new paragraph.
            if o != -1 and (c == -1 or o < c):
                b = trimmed_end(seg_start, o)
                if (b > seg_start and t[b - 1] in ".!?:…") or (para != -1 and para < o):
                    run.parts.append((seg_start, b))
                    seg_start = o + 1
                    j = o + 1
                    continue
                # A nested or stray opening mark: treat as text.
                j = o + 1
                continue
            if c == -1 or (para != -1 and para < c and not t.startswith(OPEN, para + 2)):
                # Never closed: the quote ends with its paragraph.
                end = para if para != -1 and (c == -1 or para < c) else n
                run.parts.append((seg_start, trimmed_end(seg_start, end)))
                run.closed = False
                unclosed = True
                i = end
                break
            if para != -1 and para < c:
                # The paragraph ended without a close but the next opens: continue there.
                run.parts.append((seg_start, trimmed_end(seg_start, para)))
                seg_start = para + 3
                j = para + 3
                continue
            run.parts.append((seg_start, c))
            i = c + 1
            break
        run.start = run.parts[0][0]
        run.end = run.parts[-1][1]
        runs.append(run)
    return runs, unclosed


def _words(s: str) -> int:
    return len(re.findall(r"[A-Za-z0-9']+", s))


def _clean_part(s: str) -> str:
    s = s.strip().strip(OPEN + CLOSE + '"').strip()
    if s.endswith(","):
        s = s[:-1].rstrip()
    return s


def attribute(text: str, runs: list[QuoteRun], *, inspectorate_doc: bool, force_matcher) -> list[Statement]:
    t = _normalise_marks(text)
    statements: list[Statement] = []
    last_speaker: Speaker | None = None
    # People introduced in narrative ("HM Inspector Mike Cunningham pointed out that ...")
    # so that a later "he said" can be resolved; ends[i] is where people.people[i] was named.
    people = KnownSpeakers()
    ends: list[int] = []
    inside = QuoteIndex(runs)
    for m in NAME_RE.finditer(t):
        if inside.reach(m.start()) > m.start():
            continue    # a name inside a quotation is not a speaker introduced
        lo = max(0, m.start() - NAME_LOOKBACK_CHARS)
        cut = max(t.rfind(ch, lo, m.start()) for ch in ".!?\n“”:")
        phrase = t[max(lo, cut + 1):m.end()]
        phrase = NAME_CLAUSE_BREAK.split(phrase)[-1]
        sp = parse_speaker(phrase, inspectorate_doc=inspectorate_doc, force_matcher=force_matcher,
                           known=people.upto(len(ends))) or styled_inspector_at(t, m.start())
        if sp:
            people.add(sp)
            ends.append(m.end())

    def person_before(pos: int) -> Speaker | None:
        k = bisect_right(ends, pos)
        return people.people[k - 1] if k else None

    def known_before(pos: int):
        # Everyone named before pos, then (for a surname introduced later) everyone.
        return people.upto(bisect_right(ends, pos) or len(ends))

    prev_end = 0
    prev_stmt: Statement | None = None
    for run in runs:
        body = t[run.start:run.end]
        # A short run counts only as part of a turn ("“We are pleased,” he added, “that
        # ...”"); the six-word minimum is applied to whole statements at the end.
        if _words(body) < MIN_WORDS and not _attribution_follows(t, run.end):
            continue
        open_pos = run.start - 1
        line_start = t.rfind("\n", 0, open_pos) + 1
        before = t[max(line_start, prev_end, open_pos - ATTRIBUTION_BEFORE_CHARS, 0):open_pos]
        # Look back one paragraph for "X said:" when the quote opens a paragraph.
        # The line before, whether a blank line or a single newline (the inspectorate's own
        # site and most copies of it) separates the paragraphs.
        if not before.strip():
            pl_end = line_start - 1
            while pl_end > 0 and t[pl_end - 1] == "\n":
                pl_end -= 1
            prev_line = t[t.rfind("\n", 0, pl_end) + 1:pl_end] if pl_end > 0 else ""
            if prev_line.rstrip().endswith(":"):
                before = prev_line
        after = t[run.end + 1: run.end + 260]
        speaker = None
        m = BEFORE_SAID.search(before) or BEFORE_COLON.search(before)
        if m:
            phrase = m.group("phrase")
            # Keep only the clause that names the speaker.
            phrase = _last_clause(phrase)
            speaker = parse_speaker(phrase, inspectorate_doc=inspectorate_doc, force_matcher=force_matcher,
                                    known=known_before(open_pos))
            words = phrase.split()
            # "he said:" / "She added, however, that ..., adding:": the person named before.
            if speaker is None and words and (PRONOUN.match(words[-1]) or PRONOUN.match(words[0])):
                speaker = last_speaker or person_before(open_pos)
        if speaker is None:
            m = AFTER_PRONOUN.match(after)
            if m:
                speaker = last_speaker or person_before(open_pos)
                if prev_stmt is None or (person_before(open_pos) and prev_stmt.end < open_pos and person_before(open_pos) is not last_speaker):
                    speaker = person_before(open_pos) or speaker
            else:
                m = AFTER_SAID_NAME.match(after) or AFTER_NAME_SAID.match(after)
                if m:
                    speaker = parse_speaker(m.group("phrase"), inspectorate_doc=inspectorate_doc, force_matcher=force_matcher,
                                            known=known_before(run.end))
        # An unattributed run continues the statement before it when nothing but closing
        # marks and an attribution ("”, he said. “") stands between them; a quoted phrase
        # inside narrative ("the report praised its “...”") does not.
        if speaker is None and prev_stmt is not None and _continues(t, prev_stmt.end, open_pos):
            speaker = prev_stmt.speaker
        if speaker is None:
            continue
        parts = [_clean_part(t[a:b]) for a, b in run.parts]
        parts = [p for p in parts if p]
        if not parts:
            continue
        end = _content_end(t, run)
        if (prev_stmt is not None and prev_stmt.speaker.name == speaker.name and _continues(t, prev_stmt.end, open_pos)
                and not _new_turn(t, prev_stmt.end, open_pos)):
            # A run that opens in lower case finishes the sentence the attribution broke.
            sep = " " if parts[0][:1].islower() and "\n" not in t[prev_stmt.end:open_pos] else "\n\n"
            prev_stmt.text = prev_stmt.text + sep + "\n\n".join(parts)
            prev_stmt.end = end
            prev_stmt.paragraphs += len(parts) - (sep == " ")
        else:
            stmt = Statement(speaker=speaker, start=run.start, end=end, text="\n\n".join(parts), paragraphs=len(parts))
            statements.append(stmt)
            prev_stmt = stmt
        last_speaker = speaker
        prev_end = run.end
    return [s for s in statements if _words(s.text) >= MIN_WORDS]


def _new_turn(t: str, prev_end: int, open_pos: int) -> bool:
    """A new paragraph that attributes again before the quote ("Mr Cunningham said:") after
    a quote that closed: a second statement of the same person, not the same one resumed
    (a paragraph merely reopening the quote after '”, said X.' continues it)."""
    between = t[prev_end:open_pos]
    return "\n" in between and between.rstrip().endswith(":")


def _content_end(t: str, run: QuoteRun) -> int:
    """End of the last quoted word: a comma left before the attribution is not quoted."""
    end = run.end
    while end > run.start and t[end - 1] in " \n,":
        end -= 1
    return end


ATTRIBUTION = re.compile(
    rf"^[{CLOSE}\"’'\s,.]*(?:(?:(?:he|she|they)\s+{SAID}|{SAID}\s+[^.“”\n]{{1,120}}?|(?:(?:an?|the)\s+)?[A-Z][^.“”\n]{{1,120}}?\s+{SAID})"
    rf"(?:\s+[^.“”\n]{{0,60}}?)?[.,:]\s*)?$", re.I)


def _attribution_follows(t: str, end: int) -> bool:
    return bool(AFTER_PRONOUN.match(t[end + 1:end + 200]) or AFTER_SAID_NAME.match(t[end + 1:end + 260])
                or AFTER_NAME_SAID.match(t[end + 1:end + 260]))


def _last_clause(phrase: str) -> str:
    cut = 0
    for m in CLAUSE_BREAK.finditer(phrase):
        if m.group("conj") == "and" and not m.group("comma"):
            before = phrase[:m.start()].split()
            if before and before[-1][:1].isupper():
                continue    # "Police and Crime Commissioner", "Fire and Rescue"
        cut = m.end()
    return phrase[cut:]


def _continues(t: str, prev_end: int, open_pos: int) -> bool:
    """Only closing marks and at most one attribution ('”, he said. “') stand between two runs."""
    gap = t[prev_end:open_pos]
    return len(gap) <= 200 and bool(ATTRIBUTION.match(gap))
