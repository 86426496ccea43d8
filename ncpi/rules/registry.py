"""Every rule record, by family, in the order the parser applies them."""
from __future__ import annotations

from ncpi.rules import Rule
from ncpi.rules import polarity, themes

FAMILIES: dict[str, tuple[Rule, ...]] = {
    "theme": themes.RULES,
    "polarity": polarity.RULES,
}


def all_rules() -> tuple[Rule, ...]:
    return tuple(r for rules in FAMILIES.values() for r in rules)


def by_id(rule_id: str) -> Rule | None:
    return next((r for r in all_rules() if r.id == rule_id), None)
