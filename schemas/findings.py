"""findings — one row per assessed strength or weakness of a force."""
import numpy as np
import pandera.pandas as pa
from pandera.typing import Series

from ncpi import vocab
from ncpi.vocab import values
from schemas._base import HEX16

POLARITIES = values(vocab.POLARITIES)
THEMES = values(vocab.THEMES)
UNITS = values(vocab.UNITS)


class Findings(pa.DataFrameModel):
    finding_id: Series[str] = pa.Field(unique=True, str_matches=HEX16, metadata={"arrow": "string"},
        description="Stable hash of source_id and span; primary key.")
    inspection_id: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="The inspection the finding describes; foreign key to inspections.")
    force_id: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="The force assessed; foreign key to forces.")
    source_id: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="The document the finding is read from; foreign key to sources.")
    polarity: Series[str] = pa.Field(isin=POLARITIES, metadata={"arrow": "string", "enum": POLARITIES},
        description="positive (strength, improvement) or negative (concern, weakness, still to do).")
    theme: Series[str] = pa.Field(isin=THEMES, metadata={"arrow": "string", "enum": THEMES},
        description="The most specific theme of the taxonomy that fits (docs/DATASET.md lists them; docs/extraction-rules.md says how each is read).")
    polarity_rule: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="Id of the rule that decided polarity (docs/extraction-rules.md; `ncpi explain <finding_id>` shows its cue).")
    theme_rule: Series[str] = pa.Field(metadata={"arrow": "string"},
        description="Id of the rule that decided theme (theme.overall.fallback when no theme rule matched).")
    text: Series[str] = pa.Field(str_length={"min_value": 3}, metadata={"arrow": "string"},
        description="The finding as printed, without bullet marks or a trailing '; and'.")
    span_start: Series[np.int32] = pa.Field(ge=0, metadata={"arrow": "int32"},
        description="Character offset in sources.text where the finding starts.")
    span_end: Series[np.int32] = pa.Field(ge=0, metadata={"arrow": "int32"},
        description="Character offset in sources.text where the finding ends (exclusive).")
    value: Series[float] = pa.Field(nullable=True, metadata={"arrow": "float64"},
        description="For quantitative findings, the measured figure (26 for '26 percent').")
    unit: Series[str] = pa.Field(nullable=True, isin=UNITS, metadata={"arrow": "string", "enum": UNITS},
        description="Unit of value: percent or cases.")

    class Config:
        strict = True
        metadata = {
            "name": "findings",
            "description": "One row per assessed strength or weakness of a force, read from the article's narrative.",
            "primary_key": ["finding_id"],
            "foreign_keys": [
                {"fields": ["inspection_id"], "reference": {"resource": "inspections", "fields": ["inspection_id"]}},
                {"fields": ["force_id"], "reference": {"resource": "forces", "fields": ["force_id"]}},
                {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}},
            ],
        }
