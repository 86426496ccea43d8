"""The sources row's own fields (publisher, title, published_date, inspectorate, flags) and
the site furniture around republished copies, read as a careful reader reads a page.

Each document below is written the way such pages print, not pasted from parser output."""
from __future__ import annotations

import datetime as dt

from ncpi.parse.masthead import inspectorate_of, publisher_of, source_date, title_of
from ncpi.parse.segment import segment
from ncpi.text.furniture import is_brand
from ncpi.text.normalise import normalise

PROSE = ("Inspectors found that the force had improved the way it responds when children go missing "
         "from home, according to the report.")
QUOTE = ("HM Inspector of Constabulary Wendy Williams said: “I am pleased that the force has acted on our "
         "recommendations, and children now receive a better service.”")


def fields(text: str) -> dict:
    norm = normalise(text)
    blocks = segment(norm.text)
    published, flags = source_date(blocks, norm, {})
    inspectorate = inspectorate_of(norm.text, published)
    return {"text": norm.text, "title": title_of(blocks, norm), "published": published, "flags": flags,
            "inspectorate": inspectorate, "publisher": publisher_of(norm, norm.text, inspectorate, blocks)}


def page(*lines: str) -> str:
    return "\n".join(lines) + "\n"


# --- publisher and title ---------------------------------------------------------------

def test_outlet_name_above_the_headline_is_the_publisher_not_the_title():
    f = fields(page("Lincolnshire Echo", "", "Lincolnshire Police told to improve child protection", "",
                    "By Echo reporter", "Thursday, 15 September 2016", "", PROSE))
    assert f["publisher"] == "Lincolnshire Echo"
    assert f["title"] == "Lincolnshire Police told to improve child protection"
    assert "Lincolnshire Echo" not in f["text"]


def test_the_brand_the_reader_saw_beats_the_company_owning_it():
    f = fields(page("Derbyshire Times", "", "Derbyshire police making progress on child protection", "",
                    PROSE, "", "Copyright © 2024 National World Publishing Ltd. All rights reserved."))
    assert f["publisher"] == "Derbyshire Times"
    assert "National World" not in f["text"]


def test_copyright_owner_is_the_publisher_when_no_brand_is_printed():
    f = fields(page("Two forces have room to improve child protection", "", PROSE, "",
                    "Related News", "", "Select Vacancies", "", "Copyright © 2024 Police Professional"))
    assert f["publisher"] == "Police Professional"


def test_outlet_credited_beside_the_dateline_is_the_publisher():
    f = fields(page("Police force 'not always recognising' children at risk, inspectors warn", "",
                    "Community Care", "April 11, 2019 in Children, Child protection", "", PROSE))
    assert (f["publisher"], f["published"]) == ("Community Care", dt.date(2019, 4, 11))


def test_a_reporter_beside_the_dateline_is_not_an_outlet():
    f = fields(page("Kent Police told to improve child protection", "", "Sophie Marsh", "Crime Reporter",
                    "21 June 2018", "", PROSE))
    assert f["publisher"] is None
    assert not is_brand("Crime Reporter") and not is_brand("By Laura Pearce")


def test_a_force_named_above_a_report_title_is_not_a_masthead():
    f = fields(page("Metropolitan Police Service", "", "National child protection inspection", "",
                    "Assessment of progress: first quarterly update", "", "June 2017", "", "© HMIC 2017", "",
                    "In November 2016, HMIC published its report on the national child protection inspection "
                    "of the Metropolitan Police Service (MPS).", "", PROSE))
    assert f["text"].startswith("Metropolitan Police Service\n")
    # The cover page's imprint is not the end of the document.
    assert PROSE in f["text"] and "© HMIC" not in f["text"]
    assert (f["publisher"], f["inspectorate"]) == ("HMIC", "HMIC")


def test_the_inspectorates_own_release_is_published_by_the_inspectorate():
    f = fields(page("Cheshire Constabulary makes strong progress in child protection", "",
                    "Cheshire Constabulary has made strong progress, according to a report released today by "
                    "HMICFRS.", "", "Get the report", "", "Cheshire – National child protection inspection", "",
                    PROSE))
    assert f["publisher"] == "HMICFRS"


# --- furniture -------------------------------------------------------------------------

def test_navigation_menu_with_jobs_before_the_headline_does_not_end_the_article():
    f = fields(page("Manchester Evening News", "", "News", "Greater Manchester News", "Sport", "What's On",
                    "Jobs", "", "We use cookies to give you the best experience on our website.", "Accept all",
                    "", "NewsGreater Manchester News", "", "GMP making good progress on child protection", "",
                    PROSE))
    assert f["title"] == "GMP making good progress on child protection"
    assert f["publisher"] == "Manchester Evening News"
    for gone in ("What's On", "Jobs", "Accept all", "NewsGreater", "cookies"):
        assert gone not in f["text"]
    assert PROSE in f["text"]


def test_a_related_box_inside_the_article_goes_but_the_article_goes_on():
    f = fields(page("Headline about child protection in Greater Manchester", "", PROSE, "", "Read More",
                    "Related Articles", "Merseyside Police officer jailed for misconduct", "", QUOTE, "",
                    "Related Articles", "Stockport school praised for anti-bullying work"))
    assert QUOTE in f["text"]
    assert "Merseyside" not in f["text"] and "Stockport" not in f["text"] and "Related" not in f["text"]


def test_comments_after_the_article_are_not_article_text():
    f = fields(page("Headline about child protection in Kent", "", PROSE, "", "Comments (2)", "",
                    "Essex Police should have been inspected first, to be honest, and nobody ever asks why that is."))
    assert "Essex" not in f["text"]


def test_share_rows_tags_topics_and_section_labels_go():
    f = fields(page("Children & Young People Now", "", "News | Safeguarding", "",
                    "Two police forces making progress on child protection, say inspectors", "",
                    "Share this article", "Facebook Twitter LinkedIn Email", "", PROSE, "",
                    "Tags: Child protection, HMICFRS, Surrey Police", "MORE ABOUT Metropolitan Police", "",
                    "Topics covered by the inspection included missing children and the management of offenders.",
                    "", "Click to follow Facebook Twitter WhatsApp Email"))
    assert f["title"] == "Two police forces making progress on child protection, say inspectors"
    for gone in ("Safeguarding", "Facebook", "Tags:", "Surrey", "MORE ABOUT", "Metropolitan"):
        assert gone not in f["text"]
    assert "Topics covered by the inspection" in f["text"]


def test_captions_and_adverts_go():
    f = fields(page("Headline about child protection in Greater Manchester", "",
                    "Police headquarters in Newton Heath (Image: Manchester Evening News)", "", "Advertisement",
                    "Hide Ad", "", PROSE))
    assert "Newton Heath" not in f["text"] and "Hide Ad" not in f["text"] and PROSE in f["text"]


# --- dates -----------------------------------------------------------------------------

def test_datelines_with_a_time_first_and_the_month_in_capitals():
    f = fields(page("North Wales Police making progress on protecting children", "", "By Owain Jones",
                    "06:00, 25 JUL 2019", "Updated 12:05, 26 JUL 2019", "", PROSE))
    assert f["published"] == dt.date(2019, 7, 25)


def test_us_style_dateline():
    f = fields(page("More work to do despite child protection successes", "", PROSE, "", "Sep 21, 2017", "", PROSE))
    assert f["published"] == dt.date(2017, 9, 21)


def test_a_later_republication_is_flagged():
    head = ("Cheshire Constabulary makes strong progress in child protection", "", "Published on 4 March 2019", "")
    f = fields(page(*head, "This press release was originally issued by Her Majesty’s Inspectorate of "
                           "Constabulary and Fire & Rescue Services on 12 February 2019.", "", PROSE))
    assert f["published"] == dt.date(2019, 3, 4)
    assert "republished_date_later" in f["flags"]
    same = fields(page(*head, "This press release was originally issued on 4 March 2019.", "", PROSE))
    assert "republished_date_later" not in same["flags"]


# --- inspectorate ----------------------------------------------------------------------

def test_inspectorate_as_the_text_names_it():
    assert inspectorate_of("according to HM Inspectorate of Constabulary (HMIC)") == "HMIC"
    assert inspectorate_of("Her Majesty's Inspectorate of Constabluary said") == "HMIC"
    assert inspectorate_of("HMICRFS carried out a post-inspection review") == "HMICFRS"
    assert inspectorate_of("His Majesty’s Inspectorate of Constabulary and Fire & Rescue Services") == "HMICFRS"
    # Named as it was then known, in a text that also names it now: the current name.
    assert inspectorate_of("HMICFRS said ... HM Inspectorate of Constabulary, as it was then known") == "HMICFRS"


def test_an_unnamed_watchdog_is_read_by_date():
    text = "The police watchdog found that the force had improved."
    assert inspectorate_of(text, dt.date(2016, 6, 14)) == "HMIC"
    assert inspectorate_of(text, dt.date(2017, 7, 19)) == "HMICFRS"
    assert inspectorate_of(text) is None


def test_a_byline_carrying_the_date():
    f = fields(page("Kent Police told to improve child protection", "",
                    "By Sarah Holt, Crime Reporter | Thursday 26 November 2015", "", PROSE))
    assert f["published"] == dt.date(2015, 11, 26)


def test_a_gov_uk_page_is_published_by_the_body_it_is_from():
    f = fields(page("Press release", "", "Norfolk Constabulary makes improvements in child protection", "",
                    "From:", "HM Inspectorate of Constabulary", "Published 29 October 2015",
                    "Last updated 30 October 2015", "", PROSE.replace("the report", "HMIC")))
    assert f["title"] == "Norfolk Constabulary makes improvements in child protection"
    assert (f["publisher"], f["published"], f["inspectorate"]) == ("HMIC", dt.date(2015, 10, 29), "HMIC")


def test_newsletter_and_caption_widgets_inside_the_article_do_not_end_it():
    f = fields(page("Headline about child protection in Leicestershire", "", PROSE, "",
                    "Sign up to our free Daily newsletter for the best local stories",
                    "We use your sign-up to provide content in ways you've consented to.", "",
                    "Image source, PA Media", "Image caption, Officers in Leicester", "", QUOTE, "",
                    "Follow Leicester Mercury on Facebook"))
    assert QUOTE in f["text"]
    for gone in ("newsletter", "sign-up", "Image", "Officers in Leicester", "Follow"):
        assert gone not in f["text"]


def test_a_title_case_headline_is_not_taken_for_a_masthead():
    f = fields(page("Kent Police Praised By Watchdog", "",
                    "Kent Police has improved the way it protects children, inspectors say", "", PROSE))
    assert f["title"] == "Kent Police Praised By Watchdog" and f["publisher"] is None


def test_an_organisation_name_above_the_headline_is_not_the_title():
    from ncpi.parse.document import parse_document
    text = ("Office of the Police and Crime Commissioner for Gwent\n\nNews\n\n"
            "Commissioner welcomes progress on child protection\n\n"
            "Gwent Police has made progress in protecting children, according to a report published today by HMICFRS.\n")
    assert parse_document(text).source["title"] == "Commissioner welcomes progress on child protection"
