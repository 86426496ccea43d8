"""duplicates — every repetition of a counted row, kept as evidence so counts stay honest."""
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas._base import HEX16

TABLE_NAMES = ["findings", "statements", "contact_notes"]
RELATIONS = ["same_article", "restated"]


class Duplicates(pa.DataFrameModel):
    duplicate_id: Series[str] = pa.Field(unique=True, str_matches=HEX16, metadata={"arrow": "string"},
        description="Stable hash of table_name and row_id; primary key.")
    table_name: Series[str] = pa.Field(isin=TABLE_NAMES, metadata={"arrow": "string", "enum": TABLE_NAMES},
        description="The table the repeated row belongs to: findings, statements or contact_notes.")
    row_id: Series[str] = pa.Field(str_matches=HEX16, metadata={"arrow": "string"},
        description="The id the row would have had (finding_id, statement_id or contact_id: a hash of source_id and span).")
    kept_id: Series[str] = pa.Field(nullable=True, str_matches=HEX16, metadata={"arrow": "string"},
        description="The counted row it repeats, in the same table; null for a copy's row that matches no row of "
                    "the canonical copy (the copy was read differently).")
    relation: Series[str] = pa.Field(isin=RELATIONS, metadata={"arrow": "string", "enum": RELATIONS},
        description="same_article: the row comes from a non-canonical copy of the article (sources.is_canonical "
                    "false); restated: another article repeats, near-verbatim, a point already counted for the same "
                    "inspection and polarity (statements: a quote about the same force and inspection).")
    similarity: Series[float] = pa.Field(nullable=True, ge=0, le=100, metadata={"arrow": "float64"},
        description="How closely its text matches the kept row's (rapidfuzz score, 0-100); null without a kept row.")
    source_id: Series[str] = pa.Field(str_matches=HEX16, metadata={"arrow": "string"},
        description="Where this repetition was read; foreign key to sources.")
    inspection_id: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="The inspection the repeated row is about, if any.")
    force_id: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="The force the repeated row is about, if any.")
    # pandas' nullable Int32: contact notes carry no span of their own.
    span_start: Series[pd.Int32Dtype] = pa.Field(nullable=True, ge=0, metadata={"arrow": "int32"},
        description="Where the repetition starts in that source's text; null for a contact note.")
    span_end: Series[pd.Int32Dtype] = pa.Field(nullable=True, ge=0, metadata={"arrow": "int32"},
        description="Where it ends (exclusive); null for a contact note.")
    text: Series[str] = pa.Field(nullable=True, metadata={"arrow": "string"},
        description="The repeated text as read in that source (a contact note: its phone number as printed).")

    class Config:
        strict = True
        metadata = {
            "name": "duplicates",
            "description": "One row per finding, statement or contact note that repeats a counted row: read in a "
                           "copy of the same article, or restated by another source. The counted tables hold each "
                           "point once; this table keeps every other place it was read.",
            "primary_key": ["duplicate_id"],
            "foreign_keys": [
                {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}},
            ],
        }
