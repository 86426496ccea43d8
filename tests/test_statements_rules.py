"""Statements and speakers: how attributed quotations are read (DATASET.md "statements").

Each case is a sentence as releases and news reports print it, with what a careful
reader takes from it: who speaks, in which role, and which words are quoted.
"""
import pytest

from ncpi.parse.forcenames import default_matcher
from ncpi.parse.quotes import attribute, find_quote_runs
from ncpi.parse.speakers import HMI, parse_speaker

MATCHER = default_matcher()
QUOTE = "The force has made real progress in the way it protects children."


def statements(text, inspectorate_doc=True):
    runs, _ = find_quote_runs(text)
    return attribute(text, runs, inspectorate_doc=inspectorate_doc, force_matcher=MATCHER)


def who(text, inspectorate_doc=True):
    return [(s.speaker.name, s.speaker.role) for s in statements(text, inspectorate_doc)]


@pytest.mark.parametrize("intro, name", [
    ("HMI Wendy Williams said:", "Wendy Williams"),
    ("HM Inspector of Constabulary Phil Gormley said:", "Phil Gormley"),
    ("Her Majesty’s Inspector of Constabulary Zoë Billingham said:", "Zoë Billingham"),
    ("His Majesty's Inspector of Constabulary Lee Freeman said:", "Lee Freeman"),
    ("HM Inspector of Constabulary for the Metropolitan Police Service Matt Parr said:", "Matt Parr"),
    ("Her Majesty’s Inspector of Constabulary, Zoë Billingham, said:", "Zoë Billingham"),
    ("Wendy Williams, Her Majesty’s Inspector of Constabulary, said:", "Wendy Williams"),
    ("Inspector Wendy Williams said:", "Wendy Williams"),
    ("Lead inspector Wendy Williams said:", "Wendy Williams"),
])
def test_every_styling_of_an_hm_inspector_is_one_role(intro, name):
    assert who(f"{intro} “{QUOTE}”") == [(name, HMI)]


@pytest.mark.parametrize("intro, name, role", [
    ("Police and Crime Commissioner Alun Pritchard said:", "Alun Pritchard", "Police and Crime Commissioner"),
    ("Gloucestershire’s Police and Crime Commissioner, Richard Graveney, said:", "Richard Graveney", "Police and Crime Commissioner"),
    ("Roger Hirst, the Police, Fire and Crime Commissioner for Essex, said:", "Roger Hirst", "Police and Crime Commissioner"),
    ("Cumbria’s police and crime commissioner Peter McCall said:", "Peter McCall", "Police and Crime Commissioner"),
    ("Deputy Chief Constable Owen Marsh said:", "Owen Marsh", "Deputy Chief Constable"),
    ("Thames Valley Police Deputy Chief Constable John Campbell said:", "John Campbell", "Deputy Chief Constable"),
    ("Mark Hollis, Chief Constable of Kent Police, said:", "Mark Hollis", "Chief Constable"),
    ("Det Ch Supt Helen Flanagan said:", "Helen Flanagan", "Detective Chief Superintendent"),
    ("Labour MP for Peterborough Daniel Ashcroft said:", "Daniel Ashcroft", "Member of Parliament"),
    ("Daniel Ashcroft, MP for Peterborough, said:", "Daniel Ashcroft", "Member of Parliament"),
])
def test_police_ranks_commissioners_and_mps_take_their_canonical_role(intro, name, role):
    assert who(f"{intro} “{QUOTE}”") == [(name, role)]


@pytest.mark.parametrize("intro, role", [
    ("Helen Corrigan, Head of Policy, NSPCC, said:", "Head of Policy, NSPCC"),
    ("Imran Siddiqui, Director of Policy at Action for Children, said:", "Director of Policy at Action for Children"),
    ("Anne Longfield, the Children’s Commissioner for England, said:", "Children’s Commissioner for England"),
])
def test_other_roles_are_kept_as_printed(intro, role):
    [(_, got)] = who(f"{intro} “{QUOTE}”")
    assert got == role


def test_a_spokeswoman_speaks_for_her_organisation():
    assert who(f"A spokeswoman for HMICFRS said: “{QUOTE}”") == [("HMICFRS spokeswoman", "Spokesperson")]
    assert who(f"“{QUOTE[:-1]},” a Kent Police spokesman said.") == [("Kent Police spokesman", "Spokesperson")]


def test_an_organisation_is_not_a_person():
    assert who(f"In a statement, Kent Police said: “{QUOTE}”") == []


def test_opening_and_relative_clauses_are_not_the_speaker():
    assert who(f"Commenting on the report, HM Inspector of Constabulary Zoë Billingham said: “{QUOTE}”") == [("Zoë Billingham", HMI)]
    assert who(f"Detective Chief Superintendent Helen Flanagan, who leads the Met’s child protection command, said: “{QUOTE}”") == [
        ("Helen Flanagan", "Detective Chief Superintendent")]
    # In an inspectorate's text, the person who led the inspection is its HM Inspector.
    assert who(f"Zoë Billingham, who led the inspection, said: “{QUOTE}”") == [("Zoë Billingham", HMI)]


def test_a_surname_alone_is_the_person_named_in_full_earlier():
    text = ("HM Inspector of Constabulary Zoë Billingham said Bedfordshire had made progress.\n\n"
            f"Of Hertfordshire, Billingham said: “{QUOTE}”")
    assert who(text) == [("Zoë Billingham", HMI)]
    text = f"Chief Constable Mark Hollis welcomed the report.\n\n“{QUOTE[:-1]},” Mr Hollis said."
    assert who(text) == [("Mark Hollis", "Chief Constable")]


def test_a_role_alone_is_the_person_of_that_role_named_earlier():
    text = f"Chief Constable Mark Hollis welcomed the report.\n\n“{QUOTE[:-1]},” the chief constable said."
    assert who(text) == [("Mark Hollis", "Chief Constable")]


def test_he_said_is_the_last_person_named():
    text = ("HMI Zoë Billingham said the force had improved. Chief Constable Mark Hollis welcomed the report.\n\n"
            f"“{QUOTE[:-1]},” he said.")
    [s] = statements(text)
    assert (s.speaker.name, s.text) == ("Mark Hollis", QUOTE[:-1])
    assert text[s.start:s.end] == QUOTE[:-1]   # the span ends at the last quoted word


def test_said_colon_then_paragraphs_that_each_open_and_only_the_last_closes():
    text = ("HM Inspector of Constabulary Phil Gormley said:\n\n“We previously inspected the force in 2018.\n\n"
            "“I am pleased that it has acted on our recommendations.\n\n“We will return in due course.”\n\nNotes")
    [s] = statements(text)
    assert s.text == ("We previously inspected the force in 2018.\n\nI am pleased that it has acted on our recommendations."
                      "\n\nWe will return in due course.")


def test_quote_paragraphs_run_together_on_one_line():
    text = f"HMI Mike Cunningham said: “{QUOTE} “We will return to check that it has acted on them.”"
    [s] = statements(text)
    assert s.text == f"{QUOTE}\n\nWe will return to check that it has acted on them."


def test_straight_quotes_read_like_curly_ones():
    text = f'HMI Mike Cunningham said: "{QUOTE} "We will return to check that the force has improved."'
    [s] = statements(text)
    assert s.text == f"{QUOTE}\n\nWe will return to check that the force has improved."


def test_a_quote_that_never_closes_ends_with_its_paragraph():
    text = f"HMI Zoë Billingham said: “{QUOTE}\n\nInspectors will return next year to check on progress."
    runs, unclosed = find_quote_runs(text)
    assert unclosed
    [s] = attribute(text, runs, inspectorate_doc=True, force_matcher=MATCHER)
    assert s.text == QUOTE


def test_a_quote_broken_by_an_attribution_is_one_statement():
    text = f"“{QUOTE[:-1]},” said HMI Zoë Billingham. “But there is still more to do for children who go missing.”"
    [s] = statements(text)
    assert s.text == f"{QUOTE[:-1]}\n\nBut there is still more to do for children who go missing."
    # A sentence broken mid-way by "she said" stays one sentence, however short its first part.
    text = "HMI Zoë Billingham led the inspection. “We are pleased,” she said, “that officers now understand the risks.”"
    [s] = statements(text)
    assert s.text == "We are pleased that officers now understand the risks."


def test_quoted_phrases_in_narrative_are_not_statements():
    assert statements("HMI Zoë Billingham said the force had shown a ‘continuing commitment’ to children.") == []
    assert statements("The report said the force showed a “continuing commitment to improving the way it protects children”.") == []
    # ... nor do they extend the statement before them.
    text = (f"HMI Zoë Billingham said: “{QUOTE}”\n\n"
            "The report said the force showed a “continuing commitment to improving the way it protects children”.")
    [s] = statements(text)
    assert s.text == QUOTE


def test_reported_speech_is_not_a_statement():
    assert statements("HM Inspector of Constabulary Zoë Billingham said the force had improved since the first "
                      "inspection but that the quality of some investigations was still not good enough.") == []


def test_each_speaker_gets_their_own_statement():
    text = (f"HMI Zoë Billingham said: “{QUOTE}”\n\nChief Constable Mark Hollis said: “We are pleased with the findings "
            "of this report.”\n\n“We will now act on every single recommendation,” he added.")
    got = statements(text)
    assert [(s.speaker.name, s.paragraphs) for s in got] == [("Zoë Billingham", 1), ("Mark Hollis", 2)]
    assert got[1].text.endswith("We will now act on every single recommendation")


def test_a_name_without_any_role_is_not_guessed():
    assert parse_speaker("Speaking after the report was published, Zoë Billingham") is None
    assert parse_speaker("Of Hertfordshire, Billingham") is None   # nobody named earlier


def test_single_quote_marks_quote_when_they_open_and_close_like_quotes():
    assert who(f"HMI Zoë Billingham said: ‘{QUOTE}’") == [("Zoë Billingham", HMI)]
    text = "Chief Constable Mark Hollis said:\n\n‘We welcome the inspectors’ findings.\n\n‘We will act on every recommendation.’"
    [s] = statements(text)
    # "inspectors’ findings" is an apostrophe, not the end of the quote.
    assert s.text == "We welcome the inspectors’ findings.\n\nWe will act on every recommendation."
    assert statements("Police 'making progress' on child protection, says watchdog. The officers' work was praised.") == []


# --- contacts in the Notes ---------------------------------------------------------

from ncpi.parse.contacts import contacts_in  # noqa: E402


def contacts(line, org="HMIC"):
    return [(c.kind, c.phone_e164, c.days, c.opens and c.opens.strftime("%H:%M"), c.closes and c.closes.strftime("%H:%M"), c.purpose)
            for c in contacts_in(line, 0, len(line), org)]


def test_office_hours_line_with_hours_and_days():
    line = "For further information, HMIC’s press office can be contacted from 8.30am to 5pm, Monday to Friday, on 020 3513 0600."
    assert contacts(line) == [("office_hours", "+442035130600", "Mon-Fri", "08:30", "17:00", None)]


def test_two_numbers_in_one_note_each_read_with_their_own_clause():
    line = "For further information please contact the HMIC Press Office on 0203 513 0600 (office hours) or 07836 217 729 (out of hours)."
    assert [c[:2] for c in contacts(line)] == [("office_hours", "+442035130600"), ("out_of_hours", "+447836217729")]
    line = ("For further information, please contact the HMICFRS press office on 020 3513 0600 (9am–5pm, Mon–Fri). "
            "For urgent media enquiries out of hours, call 07836 217729.")
    assert contacts(line, "HMICFRS") == [
        ("office_hours", "+442035130600", "Mon-Fri", "09:00", "17:00", None),
        ("out_of_hours", "+447836217729", None, None, None, "urgent media enquiries"),
    ]
    line = "Call the HMIC press office on 07836 217 729 (out of hours) or 0203 513 0600 (office hours)."
    assert [c[:2] for c in contacts(line)] == [("out_of_hours", "+447836217729"), ("office_hours", "+442035130600")]


def test_opening_hours_between_and():
    line = "The HMICFRS press office can be reached on 020 3513 0600 between 09:00 and 17:00, Monday to Friday."
    assert contacts(line, "HMICFRS") == [("office_hours", "+442035130600", "Mon-Fri", "09:00", "17:00", None)]


def test_a_note_without_a_press_office_has_no_contact():
    line = "The report is available on the HMICFRS website. It was published on 12 March 2019, reference 2019/123 456."
    assert contacts(line, "HMICFRS") == []


def test_an_attribution_never_reaches_into_the_next_paragraph():
    text = (f"“{QUOTE[:-1]},” said HM Inspector of Constabulary Mike Cunningham.\n\n"
            "“But the force must make sure that every child at risk is identified.”\n\n"
            "Police and Crime Commissioner Richard Fenwick said: “I welcome this report and will hold the force to account.”")
    got = statements(text)
    assert [(s.speaker.name, s.paragraphs) for s in got] == [("Mike Cunningham", 2), ("Richard Fenwick", 1)]


def test_names_inside_a_quotation_are_not_speakers():
    text = ('HMI Zoë Billingham said: "I am pleased that West Mercia Police has responded well to our inspection." '
            '"There is still work to do for children who go missing from home," she said.')
    [s] = statements(text)
    assert (s.speaker.name, s.paragraphs) == ("Zoë Billingham", 2)
