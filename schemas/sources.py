"""sources — one row per raw document accepted into the dataset."""
import pandera.pandas as pa
from pandera.typing import Series

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
    text: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="Normalised article text (site furniture removed, \\n line ends); every span offset refers to it.")
    quality_flags: Series[object] = pa.Field(metadata={"arrow": "list<string>"},
        description="Data problems noticed in this document, e.g. weekday_date_mismatch, not_ncpi (see the README).")

    class Config:
        strict = True
        metadata = {
            "name": "sources",
            "description": "One row per raw document accepted into the dataset.",
            "primary_key": ["source_id"],
        }
