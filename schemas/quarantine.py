"""quarantine — one row per document or row that could not be accepted."""
import pandera.pandas as pa
from pandera.typing import Series

STAGES = ["read", "parse", "validate"]


class Quarantine(pa.DataFrameModel):
    path: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="The raw file, relative to the raw root, POSIX separators.")
    sha256: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="sha256 of the raw bytes, when they could be read.")
    stage: Series[str] = pa.Field(isin=STAGES, metadata={"arrow": "string", "enum": STAGES},
        description="Where it was stopped: read, parse or validate.")
    rule: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="Which check failed, e.g. not_text, too_large, duplicate_content, or a schema check name.")
    reason: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="One sentence a maintainer can act on.")

    class Config:
        strict = True
        metadata = {
            "name": "quarantine",
            "description": "One row per raw document, or row, that could not be accepted, with the reason.",
            "primary_key": ["path", "stage", "rule", "reason"],
        }
