"""Site furniture rules: lines of a republished page that are not article text.

Read by ncpi/text/furniture.py, each family one scan over a stripped line (every pattern
is anchored to the whole line). `drop` lines go wherever they stand; a `box` heading
starts a box of links (inside the article the box goes; with no prose after it the
article ended there); a `tail` line, once the article has begun, ends it.
"""
from __future__ import annotations

import re

from ncpi.rules import Lexicon, Rule as R

SOCIAL = r"(?:facebook|twitter|x|linkedin|email|e-mail|whatsapp|messenger|pinterest|reddit|print|copy link|flipboard|bluesky|threads)"


def _line(pattern: str) -> str:
    return rf"^(?:{pattern})$"


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
            r"we value your privacy|we use cookies.*|.*\buse(?:s)? cookies\b.*|.*cookie policy.*|"
            r".*\bcookies?\b.{0,40}\b(?:settings|notice|page|consent|preferences)\b.*|.*\b(?:essential|necessary|analytics|optional) cookies\b.*|"
            r"necessary cookies|google analytics|leave this site|something went wrong\.? please try again\.?|this (?:website|site) is (?:a|in) beta\b.*"),
      ("Accept all", "Reject all cookies", "We use cookies to improve your experience",
       "We use a few essential cookies to make this website work.", "Your cookie settings have been saved.", "Leave this site"),
      ("The force accepted all the recommendations.",)),
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
      _line(r"(?:photo|picture|image)(?: credit)?:.*|.*\((?:photo|picture|image)(?: credit)?:?[^)]*\)|"
            r"image (?:source|caption)\b.*|media caption\b.*|(?:getty images|pa media|pa wire|shutterstock)"),
      ("Picture: Kent Police", "PA Wire"), ("The picture is mixed, inspectors said.",)),
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

RULES = DROP_RULES + BOX_RULES + TAIL_RULES

# The families in the order they win at one line: a line that goes wherever it stands
# (drop) before one that ends the article (tail) before a box heading.
LINE_FAMILIES = (("drop", DROP_RULES), ("tail", TAIL_RULES), ("box", BOX_RULES))


def line_scanner() -> re.Pattern:
    """All the families in one alternation, to decide every line of a page in one scan.

    It reads a page given as a newline before each stripped line: a hit is that newline
    and one whole line (each record is anchored ^...$, MULTILINE), and the group that matched (its
    `lastgroup`) names the family. Records may hold no capturing group of their own."""
    for _family, rules in LINE_FAMILIES:
        for r in rules:
            if r.flags != re.I or r.regex.groups:
                raise ValueError(f"{r.id}: a furniture record must be re.I and have no capturing group")
    families = "|".join(f"(?P<{name}>" + "|".join(f"(?:{r.pattern})" for r in rules) + ")"
                        for name, rules in LINE_FAMILIES)
    return re.compile(rf"\n(?:{families})", re.I | re.M)
