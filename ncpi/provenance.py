"""Who published a source, and under what licence its text may be republished.

`source_type` is read, in order, from: the sidecar's own `source_type` (a curator's word),
the URL (rule records in ncpi/rules/sources.py, first match wins), and, for a document with
no URL, its publisher as the text brands it. The licence follows from the type: Crown and police
publications are under the Open Government Licence v3.0; anything else stays the copyright
of its publisher, so a published release withholds its full text (hash, URL and spans
stay, so anyone holding the page can check every row).
"""
from __future__ import annotations

from ncpi.rules import Rule
from ncpi.rules.sources import PUBLISHER_RULES, URL_RULES
from ncpi.vocab import SOURCE_TYPES

OGL = "OGL-3.0"
# Crown (inspectorate, government) and police (force, PCC) publications: OGL v3.0.
OPEN_TYPES = frozenset({"inspectorate", "force", "pcc", "government"})


def _first(rules, text: str) -> Rule | None:
    return next((rule for rule in rules if rule.applies(text)), None)


def source_type_of(url: str | None, publisher: str | None, declared: str | None = None) -> tuple[str, str]:
    """(source_type, id of the rule that decided it)."""
    if declared in SOURCE_TYPES:
        return declared, "source.sidecar"
    if url:
        rule = _first(URL_RULES, url)
        return (rule.decides, rule.id) if rule else ("news", "source.url.other_site")
    if publisher:
        rule = _first(PUBLISHER_RULES, publisher)
        return (rule.decides, rule.id) if rule else ("news", "source.publisher.outlet")
    return "other", "source.unknown"


def licence_of(source_type: str, publisher: str | None, copy_of_open: bool = False) -> str:
    """OGL-3.0 for Crown and police publications (and a mirror's copy of one); else the
    publisher's copyright."""
    if source_type in OPEN_TYPES or (source_type == "mirror" and copy_of_open):
        return OGL
    return f"© {publisher}" if publisher else "© unknown copyright holder"


def withheld_reason(licence: str) -> str | None:
    if licence == OGL:
        return None
    return (f"{licence}: not openly licensed, so the full text is not republished; "
            "its sha256, URL and every row's span are kept so a holder of the page can check them")
