"""Quotes, speakers and contacts read in one pass per document: the shortcuts find what the
full searches find (names, HM Inspectors' stylings, press-office blocks), in any case."""
from pathlib import Path

import pytest

from ncpi.parse.caseless import plain_words, positions
from ncpi.parse.contacts import contact_blocks, contacts_in
from ncpi.parse.forcenames import default_matcher
from ncpi.parse.quotes import attribute, find_quote_runs
from ncpi.parse.segment import segment
from ncpi.parse.speakers import NAME_RE, clean_name, name_matches, named_inspectors, parse_speaker
from ncpi.rules import roles

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "raw/seeds").glob("*.txt"))
MATCHER = default_matcher()


def _statements(text):
    runs, _ = find_quote_runs(text)
    return [(s.speaker.name, str(s.speaker.role)) for s in attribute(text, runs, inspectorate_doc=True, force_matcher=MATCHER)]


@pytest.mark.parametrize("text", [
    "Mr. O'Brien Smith met McDonald Jones and Sir John van der Berg at HMIC’s office.",
    "AbcDef Smith-Jones said; xJohn Smith and D’Arcy Lewis, then Dr Jane M. Doe.",
    "HM Inspector of Constabulary Zoë Billingham said the Norfolk Constabulary report was fair.",
    *[p.read_text(encoding="utf-8") for p in SEEDS],
])
def test_names_are_the_runs_the_name_pattern_finds(text):
    assert [m.span() for m in name_matches(text)] == [m.span() for m in NAME_RE.finditer(text)]


@pytest.mark.parametrize("path", SEEDS, ids=[p.name for p in SEEDS])
def test_named_inspectors_are_those_the_styling_rules_find_anywhere(path):
    text = path.read_text(encoding="utf-8")
    found = sorted((m.start(), m.group("name")) for r in roles.NAMED_HMI_RULES for m in r.regex.finditer(text))
    assert named_inspectors(text) == list(dict.fromkeys(clean_name(n) for _, n in found))


@pytest.mark.parametrize("styling", [
    "HM INSPECTOR OF CONSTABULARY, Mike Cunningham, said he was concerned.",
    "Her Majesty’s inspector of constabulary, Mike Cunningham, said he was concerned.",
    "HM Inſpector of Conſtabulary, Mike Cunningham, said he was concerned.",       # long s
    "İstanbul aside, HM Inspector of Constabulary, Mike Cunningham, said he was concerned.",   # "İ" lowers to two
])
def test_an_hm_inspector_styled_in_any_case_is_named(styling):
    assert named_inspectors(styling) == ["Mike Cunningham"]


def test_plain_words_are_found_in_any_case_at_character_offsets():
    text = "Zoë’s note: call the PRESS Office, or the press office"
    assert positions(text, "press office") == [text.index("PRESS"), text.rindex("press")]
    assert positions("Press office", "media enquiries") == []
    # Characters that match an ASCII letter case-insensitively without being one: the regex decides.
    assert positions("Preſs office", "press office") is None
    assert positions("İ press office", "press office") is None
    assert plain_words("press office|media enquiries") == ("press office", "media enquiries")
    assert plain_words(r"call\b") is None


def test_a_body_paragraph_naming_the_press_office_is_read_for_contacts():
    text = ("Kent Police must improve\n\nThe force was inspected in May.\n\n"
            "For MEDIA ENQUIRIES please call the HMICFRS press office on 020 3513 0600.\n")
    blocks = contact_blocks(text, segment(text))
    assert [b.text for b in blocks] == ["For MEDIA ENQUIRIES please call the HMICFRS press office on 020 3513 0600."]
    [c] = contacts_in(text, blocks[0].start, blocks[0].end, "HMICFRS")
    assert (c.phone_e164, c.kind, text[c.start:c.end]) == ("+442035130600", "office_hours", "020 3513 0600")


def test_the_same_note_in_two_documents_gives_each_its_own_contacts_and_offsets():
    note = "HMICFRS’s out-of-hours press office line for urgent media enquiries is 07836 217729."
    a = contacts_in(note, 0, len(note), "HMICFRS")
    b = contacts_in("Notes\n\n  1. " + note, 12, 12 + len(note), "HMICFRS")
    at = note.index("07836")
    assert [(c.kind, c.start) for c in a] == [("out_of_hours", at)]
    assert [(c.kind, c.start) for c in b] == [("out_of_hours", 12 + at)]
    a[0].flags.append("x")
    assert b[0].flags == []


def test_the_same_attribution_read_twice_names_two_speakers_of_one_reading():
    one = parse_speaker("HM Inspector of Constabulary Wendy Williams said:")
    two = parse_speaker("HM Inspector of Constabulary Wendy Williams said:")
    assert (one.name, one.role) == (two.name, two.role) == ("Wendy Williams", roles.HMI)
    assert one is not two


def test_a_speaker_named_in_full_needs_no_earlier_name_and_a_pronoun_finds_one():
    quote = "the force has made real progress in protecting children at risk"
    full = f"HM Inspector of Constabulary Wendy Williams said: “{quote.capitalize()}.”"
    assert _statements(full) == [("Wendy Williams", roles.HMI)]
    told = (f"Chief Constable Alan Pughsley welcomed the report.\n\n“{quote.capitalize()},” he said. "
            f"“We will keep improving.”")
    assert _statements(told) == [("Alan Pughsley", "Chief Constable")]
