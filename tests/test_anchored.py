"""AnchoredLexicon / AnchoredRuleSet give the same answers as the plain one-scan matchers
(ncpi/rules/anchored.py): checked on every polarity and theme rule's examples and
counter-examples, on sentences of releases, and on the leading words read from patterns."""
import pytest

from ncpi.rules import Lexicon, RuleSet, first_in_order
from ncpi.rules import polarity as polarity_rules
from ncpi.rules import themes as theme_rules
from ncpi.rules.anchored import AnchoredLexicon, AnchoredRuleSet, leading_words

SENTENCES = [
    "There were delays of several months in examining digital devices.",
    "The force's IT systems continue to hinder the visibility of information.",
    "Children who go missing from home now receive a better response, but there is still more to do.",
    "Officers didn’t always record the child’s views, and supervision was poor.",
    "The number of overdue visits to registered sex offenders has fallen significantly.",
    "Senior leaders have made child protection a clear priority.",
    "KENT POLICE HAS NOT IMPROVED ITS RECORDING OF CHILDREN'S VIEWS",
    "İstanbul ſtill – a text with characters whose case folds oddly: the plain scan decides.",
    "",
]


def _texts(rules):
    return SENTENCES + [t for r in rules for t in r.examples + r.counter_examples]


@pytest.mark.parametrize("rules", [polarity_rules.NEGATIVE_RULES, polarity_rules.POSITIVE_RULES,
                                   polarity_rules.OVERRIDE_RULES, polarity_rules.NEUTRAL_RULES,
                                   theme_rules.TOPIC_RULES, theme_rules.BODY_RULES])
def test_anchored_lexicon_finds_what_the_lexicon_finds(rules):
    plain = Lexicon(rules)
    anchored = AnchoredLexicon(plain)
    for text in _texts(rules):
        assert anchored.first(text) == plain.first(text), text
        assert anchored.sub(" ", text) == plain.sub(" ", text), text


def test_anchored_ruleset_decides_by_record_order_like_first_in_order():
    anchored = AnchoredRuleSet(RuleSet(theme_rules.BODY_RULES))
    for text in _texts(theme_rules.BODY_RULES):
        assert anchored.first(text) == first_in_order(theme_rules.BODY_RULES, text), text


def test_leading_words():
    # Every match begins with one of these words; a word boundary before them matches no text.
    assert leading_words(r"\bdelay(?:s|ed)?\b|backlog") == {"delay", "backlog"}
    assert leading_words(r"n['’]t\b") == {"n't", "n’t"}
    assert leading_words(r"(?:so|ensur\w*) that") == {"so", "ensur"}
    # An optional first part: a match begins with it or with what follows.
    assert leading_words(r"(?:digital\s+)*devices?") == {"digital", "device"}
    # No leading word: the plain scan is used.
    assert leading_words(r"\w+ing\b") is None
    assert leading_words(r"x*") is None
