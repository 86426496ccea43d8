"""sources — one row per raw document accepted into the dataset."""
import pandera.pandas as pa
from pandera.typing import Series

from ncpi.vocab import SOURCE_TYPES
from schemas._base import HEX16


class Sources(pa.DataFrameModel):
    source_id: Series[str] = pa.Field(unique=True, str_matches=HEX16, metadata={"arrow": "string"},
        description="First 16 hex digits of the sha256 of the raw bytes; primary key.")
    path: Series[str] = pa.Field(unique=True, metadata={"arrow": "string"},
        description="Path of the raw file relative to the raw root, POSIX separators.")
    url: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="Where the document was fetched from (canonical URL when the page names one), if known.")
    publisher: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="Who published this copy: HMICFRS, HMIC, or the outlet's name (e.g. Police Professional).")
    title: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="The headline; the first line of the article when no headline is marked.")
    published_date: Series[object] = pa.Field(nullable=True, metadata={"arrow": "date32"},
        description="Publication date of this copy, if printed in the document or known from fetch metadata.")
    inspectorate: Series[str] = pa.Field(nullable=True, isin=["HMIC", "HMICFRS"], metadata={"arrow": "string", "enum": ["HMIC", "HMICFRS"]},
        description="HMIC or HMICFRS, as the text names the inspectorate (the newest name mentioned as the author).")
    sha256: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{64}$", metadata={"arrow": "string"},
        description="Full hex sha256 digest of the raw bytes.")
    text: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="Normalised article text (site furniture removed, \\n line ends); every span offset refers to it. "
                    "Null when the source is not openly licensed (see text_withheld).")
    text_withheld: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="Why text is not published (the copyright holder), else null. sha256, url and every row's "
                    "span stay, so anyone holding the page can check each row.")
    source_type: Series[str] = pa.Field(isin=list(SOURCE_TYPES), metadata={"arrow": "string", "enum": list(SOURCE_TYPES)},
        description="Who published this copy: " + "; ".join(f"{k}: {v}" for k, v in SOURCE_TYPES.items()) + ".")
    source_type_rule: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="Id of the rule that decided source_type (a URL rule of ncpi/provenance.py, the sidecar's "
                    "own source_type, or the publisher's name).")
    licence: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="OGL-3.0 for Crown and police publications (and a mirror's copy of one); otherwise the "
                    "copyright holder, e.g. '© Police Professional'.")
    copy_group: Series[str] = pa.Field(str_matches=HEX16, metadata={"arrow": "string"},
        description="source_id of the canonical member of this document's copy group: every copy of one article "
                    "(first-hand text, aggregator, mirror, AMP page, cut-off copy) has the same copy_group; a "
                    "separately written story is its own group.")
    is_canonical: Series[bool] = pa.Field(metadata={"arrow": "bool"},
        description="True for the one member of its copy group the dataset counts: the inspectorate's own "
                    "text first, then the most complete, then the earliest. Rows of the other members are in "
                    "the duplicates table.")
    quality_flags: Series[object] = pa.Field(metadata={"arrow": "list<string>"},
        description="Data problems noticed in this document, e.g. weekday_date_mismatch, not_ncpi (docs/extraction-rules.md lists the reading flags, docs/operations.md those of hostile input).")

    class Config:
        strict = True
        metadata = {
            "name": "sources",
            "description": "One row per raw document accepted into the dataset.",
            "primary_key": ["source_id"],
        }
