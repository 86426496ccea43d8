"""HTML→text on the web fixtures: the inspectorate's pages (2019 HMICFRS, 2015 HMIC) and a
republishing outlet. The article text must match the seed release it was written from."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ncpi.text.html import html_to_text, looks_like_html
from ncpi.text.normalise import normalise

WEB = Path(__file__).parent / "fixtures" / "web"
SEEDS = Path(__file__).resolve().parents[1] / "raw" / "seeds"

# Furniture as the fixture pages print it (matched case-sensitively, as whole words).
FURNITURE = ["cookies", "Cookie", "Skip to content", "Related news", "Related News", "Share this", "Subscribe",
             "Crown copyright", "Copyright", "Hide Ad", "Select Vacancies", "Constables on Promotion", "Privacy",
             "Accessibility", "Latest news", "Tagged", "TAGS", "Picture:", "Photo:", "Sign up", "Follow HMIC",
             "Greater Manchester Police must", "PEEL: Police efficiency", "Search", "Home", "You are here",
             "(PDF document)", "Log in", "Facebook", "Twitter", "Email", "News feed", "Jobs"]


def page(name: str):
    return html_to_text((WEB / name).read_text(encoding="utf-8"))


def seed(prefix: str) -> str:
    return next(SEEDS.glob(prefix + "*.txt")).read_text(encoding="utf-8")   # not its .meta.json sidecar


def nonblank(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("name,prefix", [
    ("hmicfrs_northumbria.html", "000_"),
    ("hmicfrs_humberside.html", "002_"),
    ("hmic_norfolk.html", "003_"),
])
def test_inspectorate_page_gives_the_release_text(name, prefix):
    """Line for line the seed release: headline, standfirst, Get the report, paragraphs,
    bullets, quote paragraphs and numbered Notes; nothing else."""
    doc = page(name)
    assert nonblank(doc.text) == nonblank(seed(prefix))
    # List items are indented as the text releases print them, nested ones further.
    lines = doc.text.splitlines()
    for line in seed(prefix).splitlines():
        if re.match(r"\s+(?:•|\d+\.) ", line):
            assert line.rstrip() in lines


def test_structure_of_an_inspectorate_page():
    doc = page("hmicfrs_northumbria.html")
    lines = doc.text.splitlines()
    assert lines[0] == "Northumbria Police has taken important steps to improve its child protection capabilities, but inconsistencies remain"
    assert lines[1] == "" and lines[2].startswith("Northumbria Police has made good progress")
    i = lines.index("Get the report")
    assert lines[i + 2] == "Northumbria Police – National child protection post inspection review"
    bullets = [line for line in lines if line.startswith("  • ")]
    assert len(bullets) == 5 and bullets[-1] == "  • refreshed governance and oversight procedures."
    notes = [line for line in lines if re.match(r"  \d+\. ", line)]
    assert [n.split(".")[0].strip() for n in notes] == [str(k) for k in range(1, 9)]
    quote = [line for line in lines if line.startswith("“")]
    assert len(quote) == 4 and quote[-1].endswith("in due course.”") and not quote[0].endswith("”")
    assert doc.text.endswith("fire and rescue services.\n")


def test_metadata_of_an_inspectorate_page():
    doc = page("hmicfrs_northumbria.html")
    assert doc.title.startswith("Northumbria Police has taken important steps")
    assert doc.published == "2019-05-14T00:01:00+01:00"
    assert doc.canonical_url == ("https://www.justiceinspectorates.gov.uk/hmicfrs/news/news-feed/northumbria-police-has-"
                                 "taken-important-steps-to-improve-its-child-protection-capabilities-but-inconsistencies-remain/")
    assert doc.site_name == "HMICFRS"


def test_old_hmic_page_without_article_element():
    doc = page("hmic_norfolk.html")
    assert doc.title == "Norfolk Constabulary: significant improvements in child protection"
    assert doc.published == "2015-10-29"
    assert doc.site_name is None
    assert "Published on" not in doc.text            # the dateline is metadata, not article text
    assert "‘at risk’" in doc.text and "&rsquo;" not in doc.text


def test_republishing_outlet_page():
    doc = page("outlet_cumbria_cleveland.html")
    assert doc.title == "More work to do despite child protection successes"
    assert doc.site_name == "Police Professional"
    assert doc.published == "2017-09-21T10:42:11+00:00"
    assert doc.canonical_url == "https://www.policeprofessional.com/news/more-work-to-do-despite-child-protection-successes/"
    # Every sentence of the seed copy's article is there, in order.
    article = seed("004_").split("\nRelated News")[0]
    sentences = [s for s in re.split(r"(?<=[.”])\s+(?=[A-Z“])", " ".join(nonblank(article)[3:])) if len(s) > 20]
    flat = " ".join(nonblank(doc.text))
    pos = 0
    for s in sentences:
        found = flat.find(s, pos)
        assert found >= 0, f"missing or out of order: {s[:60]}"
        pos = found
    lines = doc.text.splitlines()
    assert lines[0] == doc.title and lines[2].startswith("Two forces have room to improve")
    assert lines[-1].endswith("monitor progress on this closely.”")


@pytest.mark.parametrize("name", ["hmicfrs_northumbria.html", "hmicfrs_humberside.html", "hmic_norfolk.html",
                                  "outlet_cumbria_cleveland.html"])
def test_no_site_furniture(name):
    text = page(name).text
    for phrase in FURNITURE:
        assert not re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text), f"{phrase!r} leaked into the text of {name}"


def test_normalised_html_matches_normalised_seed():
    """Through the whole normaliser, a fetched page reads exactly like the text release."""
    for name, prefix in [("hmicfrs_northumbria.html", "000_"), ("hmicfrs_humberside.html", "002_")]:
        n = normalise((WEB / name).read_text(encoding="utf-8"))
        assert n.text == normalise(seed(prefix)).text
        assert n.html_published and n.canonical_url and n.publisher_hint == "HMICFRS"


def test_lists_numbering_and_nesting():
    doc = html_to_text("""<html><body><article><h1>T</h1>
      <p>Intro</p>
      <ol start="3"><li>three<ul><li>sub a</li><li>sub <b>b</b></li></ul></li><li value="7">seven</li><li></li></ol>
      <ul><li><p>para in item</p></li></ul>
      <p>after</p></article></body></html>""")
    assert doc.text == "T\n\nIntro\n\n  3. three\n    • sub a\n    • sub b\n  7. seven\n\n  • para in item\n\nafter\n"


def test_hidden_and_furniture_elements_are_dropped():
    doc = html_to_text("""<html><head><title>Headline | Site</title></head><body>
      <div class="cookie-consent">We use cookies</div>
      <main><p hidden>hidden text</p><p style="display: none">also hidden</p>
      <p><span class="screen-reader-text">Share on</span>Visible paragraph with enough words to be the article.</p>
      <figure><img src="x.jpg"><figcaption>Picture: a caption</figcaption></figure>
      <div class="social-share">Facebook Twitter</div>
      <p>Second paragraph &amp; an entity, a&nbsp;non-breaking space and a soft\u00adhyphen.</p></main>
      <footer>© 2024 Site</footer></body></html>""")
    assert doc.title == "Headline"
    assert doc.text == ("Headline\n\nVisible paragraph with enough words to be the article.\n\n"
                        "Second paragraph & an entity, a non-breaking space and a softhyphen.\n")


def test_a_furniture_looking_wrapper_holding_the_article_is_kept():
    body = " ".join(["word"] * 150)
    doc = html_to_text(f"""<html><body><article><h1>T</h1>
      <div class="entry-content comments-open"><p>{body}</p></div>
      <div class="share-links">Share this page</div><div class="related">Related news</div></article></body></html>""")
    assert body in doc.text and "Share" not in doc.text and "Related" not in doc.text


def test_biggest_article_wins_and_json_ld_date_is_read():
    teaser = "<article><h2>Teaser</h2><p>short</p></article>"
    body = " ".join(["word"] * 80)
    doc = html_to_text(f"""<html><head><script type="application/ld+json">
      {{"@context": "https://schema.org", "@graph": [{{"@type": "NewsArticle", "datePublished": "2018-06-21",
        "headline": "From JSON-LD", "publisher": {{"@type": "Organization", "name": "Evening Paper"}}}}]}}
      </script><link rel="canonical" href="/news/item"></head><body>{teaser}
      <article><p>{body}</p></article>{teaser}</body></html>""", base_url="https://example.org/x/")
    assert doc.published == "2018-06-21"
    assert doc.site_name == "Evening Paper"
    assert doc.title == "From JSON-LD"
    assert doc.canonical_url == "https://example.org/news/item"
    assert "Teaser" not in doc.text and body in doc.text


def test_dateline_is_used_when_the_page_has_no_date_metadata():
    doc = html_to_text("<html><body><article><h1>T</h1><p class='postmeta'>Published: 17 July 2015 | News</p>"
                       f"<p>{'text ' * 50}</p></article></body></html>")
    assert doc.published == "2015-07-17"
    assert "Published" not in doc.text


def test_looks_like_html():
    assert looks_like_html("<!DOCTYPE html><html>")
    assert looks_like_html('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0">')
    assert looks_like_html("<!-- saved page -->\n<html lang=en>")
    assert not looks_like_html("Northumbria Police has taken important steps\n\n<b>not html</b>")


def test_site_named_after_the_headline_in_the_title_when_the_page_has_no_site_metadata():
    body = " ".join(["word"] * 60)
    doc = html_to_text(f"""<html><head><title>Force response to the inspection | Derbyshire Constabulary</title>
      </head><body><article><h1>Force response to the inspection</h1><p>{body}</p>
      <div class="topics">MORE ABOUT <a href="/t/kent">Kent Police</a></div></article></body></html>""")
    assert doc.site_name is None and doc.title_site == "Derbyshire Constabulary"
    assert normalise(f"<html><head><title>{doc.title} | Derbyshire Constabulary</title></head><body><article>"
                     f"<h1>{doc.title}</h1><p>{body}</p></article></body></html>").publisher_hint == "Derbyshire Constabulary"
    assert "MORE ABOUT" not in doc.text and "Kent" not in doc.text
    # A <title> that is not the headline followed by a site says nothing about the site.
    other = html_to_text(f"<html><head><title>Something else - entirely</title></head><body><article>"
                         f"<h1>Headline</h1><p>{body}</p></article></body></html>")
    assert other.title_site is None
