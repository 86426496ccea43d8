"""Every rule record, by family, in the order the parser applies them."""
from __future__ import annotations

from ncpi.rules import Rule
from ncpi.rules import contacts, dates, forces, furniture, kinds, polarity, roles, scope, sources, themes

FAMILIES: dict[str, tuple[Rule, ...]] = {
    "theme": themes.RULES,
    "polarity": polarity.RULES,
    "kind": kinds.RULES,
    "history": kinds.CUE_RULES,
    "date": dates.RULES,
    "role": roles.RULES,
    "attribution": roles.ATTRIBUTION_RULES,
    "scope": scope.RULES,
    "news": scope.NEWS_RULES,
    "furniture": furniture.RULES,
    "force": forces.RULES,
    "source": sources.RULES,
    "contact": contacts.RULES,
}

# Verdicts named in rows that are not pattern rules (defaults, decisions from context).
VERDICTS: dict[str, str] = {
    themes.FALLBACK: "no theme rule matched: a judgment about the force as a whole",
} | {k: why for k, (_value, why) in polarity.DEFAULTS.items()} | kinds.FROM_DATES | roles.VERDICTS | sources.VERDICTS | {
    # ncpi/catalogue.py: a kind the text left unknown, filled from the inspectorate's catalogue
    "kind.catalogue.filled": "the text named no kind; the inspectorate's catalogue of NCPI reports gave it (flag kind_from_catalogue)",
}


def all_rules() -> tuple[Rule, ...]:
    return tuple(r for rules in FAMILIES.values() for r in rules)


def by_id(rule_id: str) -> Rule | None:
    return next((r for r in all_rules() if r.id == rule_id), None)
