"""The furniture scan decides each line as the records read it, in one pass over the page.

ncpi/text/furniture.py picks the lines worth reading by how they start (a trie of the
records' possible starts, ncpi/text/linestart.py) and finds cookie notices and picture
credits by their word; these tests hold that nothing a record would drop slips past.
"""
from __future__ import annotations

import re

import pytest

from ncpi.rules import furniture as rules
from ncpi.text import furniture
from ncpi.text.linestart import SENTINELS, DIGIT, line_starts, trie_regex

PROSE = ("Inspectors found that the force had improved its response to children who go missing "
         "from home, and that officers now record what children tell them.")
LINE_RECORDS = [r for _family, rs in rules.LINE_FAMILIES for r in rs]


def _could_start(line: str) -> bool:
    return furniture.line_start().match(b"\n" + line.encode("utf-8").lower()) is not None


@pytest.mark.parametrize("rule", LINE_RECORDS, ids=[r.id for r in LINE_RECORDS])
def test_every_line_a_record_matches_passes_the_start_scan(rule):
    if rule.id in {r.id for r, _word, _ascii in rules.ANYWHERE}:
        return          # found by their word instead
    for line in rule.examples + rule.counter_examples:
        if rule.regex.match(line):
            assert _could_start(line), (rule.id, line)


def test_starts_are_read_from_the_patterns():
    starts = line_starts([(r"^(?:(?:i )?accept(?: all)?|\d+ min read)$", re.I)], depth=8)
    rx = trie_regex(starts)
    for line in ("Accept all", "I accept", "12 min read", "\u0663 min read"):      # Arabic-Indic three
        assert rx.match(b"\n" + line.encode("utf-8").lower()), line
    for line in ("Accordingly, the force", "1. HMIC is an independent inspectorate", "Get the report"):
        assert not rx.match(b"\n" + line.encode("utf-8").lower()), line
    assert line_starts([(r".*cookies", re.I)]) is None       # could start any line


def test_digit_lead_bytes_are_every_non_ascii_digit():
    digit = re.compile(r"\d")
    leads = {chr(c).encode("utf-8", "surrogatepass")[:1] for c in range(0x80, 0x110000) if digit.match(chr(c))}
    assert {bytes([b]) for b in range(0x80, 0x100) if re.fullmatch(SENTINELS[DIGIT], bytes([b]))} == leads


def test_furniture_goes_and_prose_stays():
    lines = ["Force told to improve child protection", "", PROSE, "", "Advertisement",
             "We use a few essential cookies to make this website work.", "Accept all", "",
             "Get the report", "", "Officers with the force (photo evidence) said so.", "",
             "Chief Constable Sara Thornton (Picture: PA)", "", PROSE.replace("missing", "absent")]
    kept = furniture.strip_furniture(lines, find_masthead=False).lines
    assert "Get the report" in kept and "Officers with the force (photo evidence) said so." in kept
    for gone in ("Advertisement", "Accept all", "Chief Constable Sara Thornton (Picture: PA)"):
        assert gone not in kept
    assert not any("cookies" in line for line in kept)


def test_a_page_with_a_kelvin_sign_is_read_as_re_ignorecase_reads_it():
    # U+212A KELVIN SIGN matches "k" under re.I: the byte-level scan would miss it, so
    # such a page is read with the records themselves.
    kelvin = "Faceboo\u212a Twitter LinkedIn"
    lines = ["Force told to improve child protection", "", PROSE, "", kelvin, "", PROSE.replace("home", "care")]
    assert kelvin not in furniture.strip_furniture(lines, find_masthead=False).lines
    assert "\u212a" in rules.ASCII_FOLDS


def test_a_line_holding_a_newline_is_read_on_its_own():
    lines = ["Force told to improve child protection", "", PROSE, "Advertisement\nmore text", "", "Advertisement"]
    kept = furniture.strip_furniture(lines, find_masthead=False).lines
    assert "Advertisement\nmore text" in kept and "Advertisement" not in kept


def test_html_class_cues_never_span_the_space_between_class_and_id():
    # ncpi/text/html.py joins an element's class and id in either order: a cue holding a
    # space could match one order and not the other.
    for rule in rules.HTML_RULES:
        assert " " not in rule.pattern and "\\s" not in rule.pattern, rule.id
    from ncpi.text.html import _is_furniture, _marks
    assert _marks({"id": "comments", "class": "entry-content"}) == "entry-content comments"
    assert _is_furniture("div", {"class": "share-row"}) and not _is_furniture("div", {"class": "entry-content"})
