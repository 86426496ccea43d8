"""Dates found once per document (ncpi/parse/dates.py DateIndex): a sentence looked up by
offset gets exactly the dates it gets read on its own. Each case is a text read by hand."""
import datetime as dt

import pytest

from ncpi.parse.dates import DateIndex, find_dates, flags_of_dates, month_only_dates

D = dt.date


def _sentence(text: str, sentence: str) -> tuple[int, int]:
    a = text.index(sentence)
    return a, a + len(sentence)


def test_whole_text_dates_in_order_with_their_precision():
    text = ("HMIC inspected the force between 14 and 25 May 2018. Its report was published on "
            "Thursday 21 September 2017, and a review followed in 2019.")
    got = [(s.start, s.end, s.precision) for s in DateIndex(text).spans()]
    assert got == [(D(2018, 5, 14), D(2018, 5, 25), "day"), (D(2017, 9, 21), D(2017, 9, 21), "day"),
                   (D(2019, 1, 1), D(2019, 12, 31), "year")]


def test_a_sentence_gets_its_own_dates_with_offsets_into_the_text():
    text = "Inspectors visited in March 2019. The report was published in July 2019."
    index = DateIndex(text, default_year=2019)
    a, b = _sentence(text, "The report was published in July 2019.")
    [span] = index.within(a, b)
    assert (span.start, span.precision) == (D(2019, 7, 1), "month")
    assert text[span.pos[0]:span.pos[1]] == "July 2019"


def test_a_sentence_without_a_date_has_none():
    text = "The force has improved. Inspectors returned in November 2016."
    index = DateIndex(text)
    assert index.within(*_sentence(text, "The force has improved.")) == []
    assert not index.may_hold_dates(*_sentence(text, "The force has improved."))


@pytest.mark.parametrize("text, sentence", [
    # a month-only date at a block's end, and a figure on the next line: read on its own, the
    # sentence has "in November"; the whole text reads "November\n2" as a month with a number
    ("Inspectors returned to the force in November\n2 cases were examined.", "Inspectors returned to the force in November"),
    # a stretch cut inside a word: its edges read differently from the whole text
    ("Published 2019-03-14 by the inspectorate", "019-03-14 by"),
    # a range running over the stretch's end
    ("The inspection ran from 28 November to 2 December 2020 in full", "The inspection ran from 28 November to 2"),
])
def test_stretches_whose_edges_read_differently_are_read_on_their_own(text, sentence):
    index = DateIndex(text, default_year=2019, reference=D(2019, 5, 1))
    a, b = _sentence(text, sentence)
    def key(spans, shift=0):
        return [(s.start, s.end, s.precision, s.flags, (s.pos[0] + shift, s.pos[1] + shift)) for s in spans]
    assert key(index.within(a, b)) == key(find_dates(sentence, 2019), a)
    assert key(index.month_only_within(a, b)) == key(month_only_dates(sentence, D(2019, 5, 1)), a)


def test_month_only_dates_take_the_last_such_month_before_the_document():
    text = "HMIC published its report in 2016. Inspectors returned in November."
    index = DateIndex(text, default_year=2017, reference=D(2017, 3, 14))
    [span] = index.month_only_within(*_sentence(text, "Inspectors returned in November."))
    assert (span.start, span.end, span.flags) == (D(2016, 11, 1), D(2016, 11, 30), ["date_without_year"])


def test_may_the_verb_is_not_a_month():
    text = "The force may improve in May if it acts. Inspectors will return in May."
    index = DateIndex(text, reference=D(2019, 8, 1))
    assert index.month_only_within(*_sentence(text, "The force may improve in May if it acts.")) == []
    [span] = index.month_only_within(*_sentence(text, "Inspectors will return in May."))
    assert span.start == D(2019, 5, 1)


def test_flags_come_from_the_same_scan():
    text = "Published on Monday 21 September 2017. The review took place on 31 February 2018."
    assert DateIndex(text).flags() == ["weekday_date_mismatch", "invalid_date"]
    assert flags_of_dates(text) == ["weekday_date_mismatch", "invalid_date"]


def test_long_runs_of_spaces_inside_a_date_still_read():
    text = "Fieldwork took place between" + " " * 300 + "14 and 25 May 2018, the report said."
    [span] = find_dates(text)
    assert (span.start, span.end) == (D(2018, 5, 14), D(2018, 5, 25))
    index = DateIndex(text)
    assert [s.start for s in index.within(0, len(text))] == [D(2018, 5, 14)]
