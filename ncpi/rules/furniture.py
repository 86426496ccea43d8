"""Site furniture rules: lines of a republished page that are not article text.

Read by ncpi/text/furniture.py, each family one scan over a stripped line (every pattern
is anchored to the whole line). `drop` lines go wherever they stand; a `box` heading
starts a box of links (inside the article the box goes; with no prose after it the
article ended there); a `tail` line, once the article has begun, ends it.
"""
from __future__ import annotations

import re

from ncpi.rules import Lexicon, Rule as R
from ncpi.rules.needs import ASCII_TWINS

SOCIAL = r"(?:facebook|twitter|x|linkedin|email|e-mail|whatsapp|messenger|pinterest|reddit|print|copy link|flipboard|bluesky|threads)"


def _line(pattern: str) -> str:
    return rf"^(?:{pattern})$"


# Records that find their cue anywhere in a line rather than by how the line starts. As a
# whole-line pattern each is a `.*` over every line, the costly part of a page's scan, so
# the page is searched instead for a word each cannot match without (as loose as re.I is:
# "k" is also the Kelvin sign, "i" also a dotted or dotless I), and only a line holding
# that word is read with the record.
COOKIE_NOTICE = R(
    "furniture.drop.cookie_notice", "drop",
    _line(r".*\buse(?:s)? cookies\b.*|.*cookie policy.*|.*\bcookies?\b.{0,40}\b(?:settings|notice|page|consent|preferences)\b.*|"
          r".*\b(?:essential|necessary|analytics|optional) cookies\b.*"),
    ("We use a few essential cookies to make this website work.", "Your cookie settings have been saved.",
     "This website uses cookies to improve your experience."),
    ("The force accepted all the recommendations.",),
    "A cookie banner in any words: the site's, never the article's.")
CAPTION_CREDIT = R(
    "furniture.drop.caption_credit", "drop",
    _line(r".*\((?:photo|picture|image)(?: credit)?:?[^)]*\)"),
    ("Police headquarters in Newton Heath (Image: Manchester Evening News)", "Chief Constable Sara Thornton (Picture: PA)"),
    ("The force (as the report put it) must improve the way it records images of abuse.",
     "Officers now record images (photo evidence) and statements together on the system."),
    "A caption ends with its picture credit in brackets.")
# (record, its word as a regex, the same as lower-case ASCII spellings): the ASCII words
# are looked for in the page's lower-cased bytes when it has no ASCII_FOLDS character.
ANYWHERE = (
    (COOKIE_NOTICE, re.compile("[Kk\u212a](?<=[Oo][Oo][Kk\u212a])[Ii\u0130\u0131][Ee]"), (b"ookie",)),
    (CAPTION_CREDIT, re.compile(r"\((?i:photo|picture|image)"), (b"(photo", b"(picture", b"(image")),
)
# The characters re.I matches to an ASCII letter: the Kelvin sign (k), dotted and
# dotless I (i), the long s (s).
ASCII_FOLDS = tuple(ASCII_TWINS)       # İ ı ſ K: defined once, with the rules' guard (ncpi/rules/needs.py)

DROP_RULES = (
    R("furniture.drop.advert_and_navigation", "drop",
      _line(r"hide ad|advertisement|advert|sponsored(?: content)?|skip to (?:main )?content|"
            r"share(?: this(?: article| story| page)?)?(?: on)?:?|" + SOCIAL + "|"
            r"tweet|back to top|read more|subscribe|sign in|log in|register|menu|search"),
      ("Advertisement", "Skip to main content", "Share this article"),
      ("Inspectors found the force must do more to share information.",)),
    R("furniture.drop.cookies", "drop",
      _line(r"close|(?:i )?accept(?: all| cookies| & close| and close)?|reject(?: all)?(?: cookies)?|"
            r"manage (?:cookies|preferences|settings|options)|more options|cookie (?:settings|preferences|policy)|"
            r"we value your privacy|we use cookies.*|"
            r"necessary cookies|google analytics|leave this site|something went wrong\.? please try again\.?|this (?:website|site) is (?:a|in) beta\b.*"),
      ("Accept all", "Reject all cookies", "We use cookies to improve your experience", "Leave this site"),
      ("The force accepted all the recommendations.",)),
    COOKIE_NOTICE,
    R("furniture.drop.share_row", "drop",
      _line(r"(?:(?:share(?: this(?: article| story| page)?)?|follow us|click to follow)\s*(?:on)?:?\s*)?"
            + SOCIAL + r"(?:\s*[|/·,•]?\s*" + SOCIAL + r")+"),
      ("Facebook Twitter LinkedIn Email", "Share: Facebook | X"), ("Follow the report on page 4",)),
    R("furniture.drop.tags", "drop",
      _line(r"(?:tags?|tagged(?: with)?|topics?|categor(?:y|ies)|filed under|more about|more on this story)\s*:.*|"
            r"(?-i:MORE ABOUT|MORE ON|TOPICS|TAGS)\b.*"),
      ("Tags: Child protection, HMICFRS, Surrey Police", "MORE ABOUT Police"),
      ("More about the inspection is in the report.",),
      "A force named in a tag row is not inspected."),
    R("furniture.drop.captions", "drop",
      _line(r"(?:photo|picture|image)(?: credit)?:.*|image (?:source|caption)\b.*|media caption\b.*|(?:getty images|pa media|pa wire|shutterstock)"),
      ("Picture: Kent Police", "PA Wire"), ("The picture is mixed, inspectors said.",)),
    CAPTION_CREDIT,
    R("furniture.drop.newsletter", "drop",
      _line(r"(?:sign up|subscribe) (?:to|for) (?:our|the)\b.{0,60}newsletters?.*|get the (?:biggest|latest)\b.{0,60}(?:by email|newsletter).*|"
            r"we use your sign-?up to provide.*|thank you for subscribing.*|we have more newsletters.*|show me|"
            r"see our privacy notice.*|invalid email|something went wrong,? please try again later\.?|"
            r"follow .{1,40} on (?:facebook|twitter|instagram|x|linkedin|threads|bluesky)\.?|"
            r"(?:story|article) continues (?:below|after).*|listen to this article.*|\d+ min(?:ute)? read"),
      ("Sign up to our daily newsletter", "Story continues below", "3 min read"),
      ("Officers did not always follow guidance on recording.",)),
    R("furniture.drop.promo", "drop",
      _line(r"back to (?:news|all news|latest news|press releases|news releases|search results|articles|the news page)|"
            r"subscribe (?:to|for|now|today)\b.{0,80}|(?:support|fund|donate to) (?:our|independent|local|quality|trusted) (?:journalism|reporting).*|"
            r"donate(?: now| today)?|make a (?:donation|contribution).{0,60}|become a (?:supporter|member|subscriber)\b.{0,60}"),
      ("Back to news", "Support our journalism today"), ("The force went back to the cases.",)),
)

BOX_RULES = (
    R("furniture.box.related", "box",
      _line(r"(?:related (?:news|articles?|stories|content|links)|more (?:news|stories|from [\w ]+)|"
            r"most (?:read|popular|viewed)|you may also like|recommended(?: for you)?|trending(?: now)?|"
            r"popular (?:now|stories)|top stories|in other news|"
            r"more (?:on|about)(?: this (?:story|topic))?|related topics|see also|explore more|more like this)\s*:?"),
      ("Related articles", "Most read", "More on this story"), ("Related work with partners improved.",),
      "A heading over a box of links: inside the article the box goes; with no prose after it the article ended."),
)

TAIL_RULES = (
    R("furniture.tail.vacancies_comments_copyright", "tail",
      _line(r"(?:select vacancies|latest (?:jobs|vacancies)|vacancies|jobs|"
            r"comments?(?: \(\d+\))?|leave a (?:comment|reply)|join the (?:conversation|discussion)|"
            r"(?:copyright\s*)?©.*|copyright \d{4}.*|all rights reserved.*)\s*:?"),
      ("Latest vacancies", "Comments (3)", "© 2019 Police Professional"),
      ("The force has filled its vacancies for investigators.",),
      "Once the article has begun, vacancies, comments and the copyright line end it."),
)

DROP_LINE = Lexicon(DROP_RULES)
BOX_HEADING = Lexicon(BOX_RULES)
TAIL_START = Lexicon(TAIL_RULES)

# HTML pages: the class and id of a container say what it is before its text does.
HTML_CONTAINER = R(
    "furniture.html.container", "furniture",
    r"cookie|consent|cmplz|gdpr|banner|share|sharing|social|related|newsletter|advert|\bads?\b|"
    r"td-a-rec|hide-ad|promo|breadcrumb|sidebar|widget|menu|navigation|subscribe|vacanc|footer|masthead|"
    r"signup|sign-up|comment|skip-link|screen-reader|sr-only|visually-hidden|categor|\btags?\b|tags-links|"
    r"pagination|pager|print-link|back-to-top|author-bio|byline-social|\btopics?\b|more-about|read-more|"
    r"most-read|trending|recommended|outbrain|taboola",
    ("cookie-banner", "main-navigation", "related-posts", "td-a-rec td-a-rec-id-content_top", "tags-links"),
    ("entry-content", "article-body standfirst", "get-the-report"),
    "A container whose class or id names site furniture is left out with everything in it "
    "(unless it holds most of the article).")
HTML_DATELINE = R(
    "furniture.html.dateline", "dateline",
    r"entry-meta|postmetadata|posted-on|post-?meta|\bdate\b|article-meta|meta-info|byline|dateline|"
    r"entry-date|post-date|publish-date|published-date",
    ("entry-meta", "post-date", "byline", "article-meta date"),
    ("entry-content", "updated-content", "standfirst"),
    "Bylines and datelines are left out of the text, as in the releases, but read for the date "
    "when the metadata has none.")
HTML_RULES = (HTML_CONTAINER, HTML_DATELINE)

# The page's head and what it says about itself: its copyright line, menus and
# breadcrumbs above the headline, and the outlet's name over it or beside the date.
COPYRIGHT_CUE = r"(?:copyright\s*)?©|copyright \d{4}|\(c\) \d{4}|all rights reserved"
COPYRIGHT_LINE = R(
    "furniture.head.copyright_line", "copyright",
    rf"^(?:{COPYRIGHT_CUE})",
    ("© 2019 Police Professional", "Copyright 2017 Archant Community Media Ltd", "All rights reserved."),
    ("The force holds the copyright © of its own training material.",),
    "The copyright line names who published the copy (kept for the sources row) and, once the "
    "article has begun, ends it.")
OWN_COPYRIGHT = R(
    "furniture.head.own_copyright", "inspectorate",
    r"^(?:HMIC|HM Inspectorate|Her Majesty|His Majesty)",
    ("HMICFRS", "HM Inspectorate of Constabulary", "Her Majesty's Inspectorate of Constabulary"),
    ("Archant Community Media Ltd", "Police Professional"),
    "Under the inspectorate's own copyright, a name above the headline is not an outlet's.",
    flags=0)
MENU_WORD = R(
    "furniture.head.menu_word", "menu",
    r"^[\w&'’ -]{1,24}$",
    ("Sport", "What's On", "Greater Manchester News"),
    ("Inspectors found that the force had improved.", "Police officers failed to protect vulnerable children"),
    "A menu item: a word or three, no sentence punctuation; three or more in a row above the "
    "article are navigation.",
    flags=0)
CRUMB = r"[\w&'’-]+(?: [\w&'’-]+){0,2}"
BREADCRUMB = R(
    "furniture.head.breadcrumb", "breadcrumb",
    rf"^{CRUMB}(?:(?:\s*[|›»>]\s*|\s+/\s+){CRUMB})+$",
    ("Home › News › Crime", "News | Safeguarding", "Home / News / Crime"),
    ("Officers and / or staff were found to lack training in this area of work.", "12 June 2019"),
    "Breadcrumbs and section labels above the headline (a slash with spaces: \"and/or\" is not one).",
    flags=0)
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?"
DATELINE = R(
    "furniture.head.dateline", "dateline",
    r"^(?:(?:published|posted|updated|first published|last updated)(?: on)?:?\s*)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:\d{1,2}[:.]\d{2}\s*(?:am|pm)?,?\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+" + MONTH + r",?\s+\d{4}|" + MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2})",
    ("12 June 2019", "April 11, 2019 in News", "13:10, 20 FEB 2019", "Published 29th Aug 2018, 16:45 BST"),
    ("In June 2019 the force was inspected again.", "Kent Police told to improve child protection"),
    "A line that starts with a date, as datelines do: an outlet's name beside one is its masthead.")
OUTLET_WORD = R(
    "furniture.masthead.outlet_word", "outlet",
    r"\b(?:news|times|echo|live|post|press|mail|mirror|express|telegraph|guardian|independent|standard|"
    r"gazette|herald|chronicle|journal|argus|courier|advertiser|observer|star|sun|mercury|sentinel|examiner|"
    r"citizen|record|review|bulletin|today|now|online|magazine|oracle|professional|care|insider|digest|"
    r"radio|tv|bbc|itv|sky|fm)\b",
    ("Manchester Evening News", "Police Professional", "Children & Young People Now"),
    ("Greater Manchester Police", "Justice Inspectorates"),
    "Words that name a publication: an outlet credited beside the date carries one.")
NOT_AN_OUTLET = R(
    "furniture.masthead.not_an_outlet", "not_outlet",
    r"(?:police|constabulary|services?|force|council|commissioner|office|government|gov\.uk|crown)$|"
    r"\b(?:correspondent|editor|reporter|writer|staff)$",
    ("Kent Police", "Durham Constabulary", "Home Office", "Crime Reporter"),
    ("Kent Online", "Manchester Evening News"),
    "A name ending like these is a force, council or the inspectorate, never an outlet's masthead.")
INSPECTORATE_NAME = R(
    "furniture.masthead.inspectorate", "inspectorate",
    r"^(?:HMICFRS|HMIC|Justice Inspectorates|(?:HM|Her Majesty['’]s|His Majesty['’]s) Inspectorate of "
    r"Constabulary(?: and Fire (?:&|and) Rescue Services)?(?: \((?:HMICFRS|HMIC)\))?)$",
    ("HMICFRS", "Her Majesty's Inspectorate of Constabulary (HMIC)", "Justice Inspectorates"),
    ("HMICFRS said the force had improved.", "HM Inspector of Constabulary Zoë Billingham"),
    "The inspectorate's own name over its pages is a masthead too.")
HEAD_RULES = (COPYRIGHT_LINE, OWN_COPYRIGHT, MENU_WORD, BREADCRUMB, DATELINE, OUTLET_WORD, NOT_AN_OUTLET,
              INSPECTORATE_NAME)

RULES = DROP_RULES + BOX_RULES + TAIL_RULES + HTML_RULES + HEAD_RULES

# The families in the order they win at one line: a line that goes wherever it stands
# (drop) before one that ends the article (tail) before a box heading.
LINE_FAMILIES = (("drop", DROP_RULES), ("tail", TAIL_RULES), ("box", BOX_RULES))


def line_scanner(*, anywhere: bool = True) -> re.Pattern:
    """All the families in one alternation, to decide every line of a page in one scan.

    It reads a page given as a newline before each stripped line: a hit is that newline
    and one whole line (each record is anchored ^...$, MULTILINE), and the group that matched (its
    `lastgroup`) names the family. Records may hold no capturing group of their own.
    Without `anywhere`, the ANYWHERE records are left out."""
    left_out = set() if anywhere else {r.id for r, _word, _ascii in ANYWHERE}
    for _family, rules in LINE_FAMILIES:
        for r in rules:
            if r.flags != re.I or r.regex.groups:
                raise ValueError(f"{r.id}: a furniture record must be re.I and have no capturing group")
    families = "|".join(f"(?P<{name}>" + "|".join(f"(?:{r.pattern})" for r in rules if r.id not in left_out) + ")"
                        for name, rules in LINE_FAMILIES)
    return re.compile(rf"\n(?:{families})", re.I | re.M)
