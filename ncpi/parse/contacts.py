"""Press-office contacts in a release's Notes, with E.164 numbers and opening hours."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import phonenumbers

CONTACT_CUE = re.compile(r"press office|media enquiries|press line|media relations|press team|communications team|contacted on|call\b", re.I)
OUT_OF_HOURS = re.compile(r"out[- ]of[- ]hours|outside (?:office|normal|working) hours|evenings? and weekends?|24[- ]hour", re.I)
PURPOSE = re.compile(r"\bfor (?P<p>(?:urgent |all |general |non-urgent )?(?:media|press) enquiries)", re.I)
TIME = r"(?P<h{n}>\d{{1,2}})(?:[:.](?P<m{n}>\d{{2}}))?\s*(?P<ap{n}>am|pm|a\.m\.|p\.m\.)?"
HOURS = re.compile(TIME.format(n=1) + r"\s*(?:-|–|—|to|until|and)\s*" + TIME.format(n=2), re.I)
# Where one Notes item prints two numbers, each is read with its own clause.
CLAUSE_END = re.compile(r"[.;](?=\s+\S)|\.$")
DAYS = re.compile(r"(?P<d1>Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?\s*(?:-|–|—|to)\s*(?P<d2>Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*", re.I)
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


def contacts_in(text: str, start: int, end: int, default_org: str | None) -> list[Contact]:
    """Contacts in one Notes item text[start:end]."""
    item = text[start:end]
    if not CONTACT_CUE.search(item):
        return []
    out: list[Contact] = []
    matches = [m for m in phonenumbers.PhoneNumberMatcher(item, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
               if phonenumbers.is_possible_number(m.number)]
    for i, match in enumerate(matches):
        num = match.number
        e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
        own = _own_clause(item, matches, i) if len(matches) > 1 else item
        kind = "out_of_hours" if OUT_OF_HOURS.search(own) else "office_hours"
        m = PURPOSE.search(own)
        purpose = m.group("p").lower() if m else None
        opens = closes = None
        if kind == "office_hours":
            h = HOURS.search(own)
            if h:
                opens = _time(h.group("h1"), h.group("m1"), h.group("ap1"), None if h.group("ap1") else ("am" if int(h.group("h1")) < 12 else None))
                closes = _time(h.group("h2"), h.group("m2"), h.group("ap2"), "pm" if int(h.group("h2")) < 8 and not h.group("ap2") else None)
        d = DAYS.search(own)
        days = f"{d.group('d1').title()}-{d.group('d2').title()}" if d else None
        om = ORG.search(item)
        org = None
        if om:
            words = om.group("org").split()
            while words and words[0].lower() in {"for", "further", "information", "the", "contact", "please", "information,"}:
                words = words[1:]
            org = " ".join(words) if words else None
        org = org or default_org or "Press office"
        org = re.sub(r"['’]s?$", "", org)
        label = "press office" if re.search(r"press", item, re.I) else "media office"
        organisation = f"{org} {label}" if not org.lower().endswith(label) else org
        out.append(Contact(
            organisation=organisation, kind=kind, purpose=purpose, phone_raw=match.raw_string,
            phone_e164=e164, days=days, opens=opens, closes=closes,
            start=start + match.start, end=start + match.end,
        ))
    return out


def _own_clause(item: str, matches, i: int) -> str:
    """The words that belong to the i-th number: its sentence (or ';' clause), not reaching
    into the numbers before or after it ("0203 513 0600 (office hours) or 07836 217 729
    (out of hours)")."""
    a, b = matches[i].start, matches[i].end
    lo = matches[i - 1].end if i > 0 else 0
    if i > 0:   # the previous number's own "(out of hours)" is not ours
        paren = re.match(r"\s*\([^)]{0,60}\)", item[lo:a])
        lo += paren.end() if paren else 0
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
