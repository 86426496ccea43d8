"""Press-office contacts in a release's Notes, with E.164 numbers and opening hours."""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache

import phonenumbers

from ncpi.parse.caseless import plain_words, positions
from ncpi.rules import contacts as contact_rules

CONTACT_CUE = contact_rules.CONTACT_CUE.regex
OUT_OF_HOURS = contact_rules.OUT_OF_HOURS.regex
PRESS_OFFICE = contact_rules.PRESS_OFFICE_BLOCK
PURPOSE = re.compile(r"\bfor (?P<p>(?:urgent |all |general |non-urgent )?(?:media|press) enquiries)", re.I)
TIME = r"(?P<h{n}>\d{{1,2}})(?:[:.](?P<m{n}>\d{{2}}))?\s*(?P<ap{n}>am|pm|a\.m\.|p\.m\.)?"
HOURS = re.compile(TIME.format(n=1) + r"\s*(?:-|–|—|to|until|and)\s*" + TIME.format(n=2), re.I)
# Where one Notes item prints two numbers, each is read with its own clause.
CLAUSE_END = re.compile(r"[.;](?=\s+\S)|\.$")
DAYS = re.compile(r"(?P<d1>Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?\s*(?:-|–|—|to)\s*(?P<d2>Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*", re.I)
DIGIT = re.compile(r"\d")
PAREN_NOTE = re.compile(r"\s*\([^)]{0,60}\)")          # "(out of hours)" after a number
POSSESSIVE_END = re.compile(r"['’]s?$")
PRESS_WORD = re.compile(r"press", re.I)
NOT_ORG_LEAD = {"for", "further", "information", "the", "contact", "please", "information,"}
LATEST_PM_CLOSE = 8     # "9 to 5": a closing hour below 8 without am/pm is in the afternoon
ITEM_CACHE_SIZE = 4096
ORG = re.compile(r"(?P<org>\b[A-Z][\w&]*(?:\s+[A-Z][\w&]*){0,6}?)(?:['’]s?|['’])?\s+(?:(?:out[- ]of[- ]hours|24[- ]hour)\s+)?(?:press|media)\s+(?:office|team|line|relations)", re.I)


@dataclass
class Contact:
    organisation: str
    kind: str
    purpose: str | None
    phone_raw: str
    phone_e164: str
    days: str | None
    opens: dt.time | None
    closes: dt.time | None
    start: int
    end: int
    flags: list[str] = field(default_factory=list)


def _time(h: str, m: str | None, ap: str | None, other_ap: str | None) -> dt.time | None:
    hour, minute = int(h), int(m or 0)
    ap = (ap or other_ap or "").replace(".", "").lower()
    if ap == "pm" and hour < 12:
        hour += 12
    if ap == "am" and hour == 12:
        hour = 0
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    return dt.time(hour, minute)


def contact_blocks(text: str, blocks: list) -> list:
    """The blocks read for contacts: the Notes, and any block naming the press office (rule
    contact.press_office_block), its words found with one search of the whole text."""
    words = plain_words(PRESS_OFFICE.pattern) or ()
    found = [positions(text, w) for w in words]
    if not words or any(f is None for f in found):
        return [b for b in blocks if b.section == "notes" or PRESS_OFFICE.regex.search(b.text)]
    spans = sorted((k, k + len(w)) for w, f in zip(words, found) for k in f)
    starts = [a for a, _ in spans]
    return [b for b in blocks if b.section == "notes" or _holds(spans, starts, b)]


def _holds(spans: list[tuple[int, int]], starts: list[int], b) -> bool:
    """Some span lies inside the block b (its text is text[b.start:b.end])."""
    k = bisect_left(starts, b.start)
    while k < len(spans) and spans[k][0] < b.end:
        if spans[k][1] <= b.end:
            return True
        k += 1
    return False


def contacts_in(text: str, start: int, end: int, default_org: str | None) -> list[Contact]:
    """Contacts in one Notes item text[start:end]."""
    # The cached reading is shared: each document gets its own copies, at its own offsets.
    return [replace(c, start=start + c.start, end=start + c.end, flags=[])
            for c in _read_item(text[start:end], default_org)]


@lru_cache(maxsize=ITEM_CACHE_SIZE)
def _read_item(item: str, default_org: str | None) -> tuple[Contact, ...]:
    """The contacts one Notes item prints, offsets within the item (cached: a press office's
    note recurs word for word; callers copy them, never change them)."""
    if not CONTACT_CUE.search(item) or not DIGIT.search(item):
        return ()    # no cue, or no digit: no number to find
    matches = [m for m in phonenumbers.PhoneNumberMatcher(item, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
               if phonenumbers.is_possible_number(m.number)]
    if not matches:
        return ()
    organisation = _organisation(item, default_org)
    return tuple(_contact(item, matches, i, organisation) for i in range(len(matches)))


def _contact(item: str, matches, i: int, organisation: str) -> Contact:
    match = matches[i]
    e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    own = _own_clause(item, matches, i) if len(matches) > 1 else item
    kind = "out_of_hours" if OUT_OF_HOURS.search(own) else "office_hours"
    m = PURPOSE.search(own)
    opens, closes = _hours(own) if kind == "office_hours" else (None, None)
    d = DAYS.search(own)
    return Contact(
        organisation=organisation, kind=kind, purpose=m.group("p").lower() if m else None,
        phone_raw=match.raw_string, phone_e164=e164,
        days=f"{d.group('d1').title()}-{d.group('d2').title()}" if d else None,
        opens=opens, closes=closes, start=match.start, end=match.end)


def _hours(own: str) -> tuple[dt.time | None, dt.time | None]:
    """Opening hours: a time without am/pm opens in the morning below 12 and closes in the
    afternoon below 8 ("9 to 5")."""
    h = HOURS.search(own)
    if not h:
        return None, None
    opens = _time(h.group("h1"), h.group("m1"), h.group("ap1"), None if h.group("ap1") else ("am" if int(h.group("h1")) < 12 else None))
    closes = _time(h.group("h2"), h.group("m2"), h.group("ap2"), "pm" if int(h.group("h2")) < LATEST_PM_CLOSE and not h.group("ap2") else None)
    return opens, closes


def _organisation(item: str, default_org: str | None) -> str:
    """Whose press office: the name before "press office" in the item, else the publisher's."""
    om = ORG.search(item)
    org = None
    if om:
        words = om.group("org").split()
        while words and words[0].lower() in NOT_ORG_LEAD:
            words = words[1:]
        org = " ".join(words) if words else None
    org = POSSESSIVE_END.sub("", org or default_org or "Press office")
    label = "press office" if PRESS_WORD.search(item) else "media office"
    return f"{org} {label}" if not org.lower().endswith(label) else org


def _own_clause(item: str, matches, i: int) -> str:
    """The words that belong to the i-th number: its sentence (or ';' clause), not reaching
    into the numbers before or after it ("0203 513 0600 (office hours) or 07836 217 729
    (out of hours)")."""
    a, b = matches[i].start, matches[i].end
    lo = matches[i - 1].end if i > 0 else 0
    if i > 0:   # the previous number's own "(out of hours)" is not ours
        paren = PAREN_NOTE.match(item, lo, a)
        lo = paren.end() if paren else lo
    hi = matches[i + 1].start if i + 1 < len(matches) else len(item)
    cuts = [m.end() for m in CLAUSE_END.finditer(item, lo, a)]
    lo = max([lo] + cuts)
    after = CLAUSE_END.search(item, b, hi)
    hi = after.end() if after else hi
    return item[lo:hi]


def flag_misplaced_numbers(contacts: list[Contact]) -> list[str]:
    """An office-hours line printing the out-of-hours number is a source error: flag it."""
    ooh = {c.phone_e164 for c in contacts if c.kind == "out_of_hours"}
    flags = []
    for c in contacts:
        if c.kind == "office_hours" and c.phone_e164 in ooh:
            c.flags.append("office_hours_uses_out_of_hours_number")
            flags.append("office_hours_uses_out_of_hours_number")
        if c.kind == "office_hours" and c.phone_e164.startswith("+447") and not ooh:
            c.flags.append("office_hours_number_is_mobile")
    return sorted(set(flags))
