"""Why a row says what it says: the chain of blocks, spans and rule ids behind a finding,
a statement or an inspection, read from the built tables and the source's text.

    >>> from ncpi.explain import explain          # doctest: +SKIP
    >>> print("\\n".join(explain("03702cd32b8d4a65", Path("warehouse/tables"), Path("raw"))))

The rows name their deciding rules (findings.polarity_rule, findings.theme_rule,
statements.role_rule, inspections.kind_rule); this module finds, in the source's
normalised text, the block and sentence the row stands in and the words (cue) each
rule matched, and prints the record's reason. When the table holds no text (withheld
or not published), the source is parsed again from raw/.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from ncpi.parse.context import NOT_NCPI_HEAD_BLOCKS
from ncpi.parse.dates import find_dates
from ncpi.parse.inspections import date_mentions
from ncpi.parse.segment import Block, Sentence, segment, sentences
from ncpi.rules import scope
from ncpi.rules.registry import FAMILIES, VERDICTS, by_id

# (table, id column) in the order an id is looked up.
EXPLAINED = (("findings", "finding_id"), ("statements", "statement_id"), ("inspections", "inspection_id"),
             ("sources", "source_id"))
EXCERPT_CHARS = 160        # longest excerpt of text printed on one line
LEAD_IN_BLOCKS_BACK = 4    # blocks searched backwards for the lead-in a list item took its polarity from
ATTRIBUTION_WINDOW = 300   # characters around a quotation searched for the speaker's role words

CUE_CONTEXT_CHARS = 60     # characters printed either side of a cue found outside the row's own text
RULES_DIR = Path(__file__).resolve().parent / "rules"


class ExplainError(Exception):
    """The id is in no table, or the tables or the raw file are missing: the message says which."""


@dataclass(frozen=True)
class Source:
    source_id: str
    path: str
    text: str


def explain(row_id: str, tables_dir: Path, raw_dir: Path) -> list[str]:
    """Lines that explain the finding, statement or inspection with this id."""
    table, row = find_row(row_id, tables_dir)
    if table == "findings":
        return explain_finding(row, load_source(row["source_id"], tables_dir, raw_dir))
    if table == "statements":
        return explain_statement(row, load_source(row["source_id"], tables_dir, raw_dir))
    if table == "sources":
        return explain_source(row, load_source(row["source_id"], tables_dir, raw_dir))
    return explain_inspection(row, tables_dir, raw_dir)


def find_row(row_id: str, tables_dir: Path) -> tuple[str, dict]:
    for table, column in EXPLAINED:
        path = Path(tables_dir) / f"{table}.parquet"
        if table == "sources" and not path.exists():
            continue
        if not path.exists():
            raise ExplainError(f"{path} does not exist: pass --tables, a folder of built <table>.parquet files")
        columns = None if table != "sources" else ["source_id", "path", "title", "quality_flags"]
        rows = pq.read_table(path, columns=columns, filters=[(column, "=", row_id)]).to_pylist()
        if rows:
            return table, rows[0]
    raise ExplainError(f"{row_id!r} is not a finding_id, statement_id, inspection_id or source_id in {tables_dir}")


def load_source(source_id: str, tables_dir: Path, raw_dir: Path) -> Source:
    rows = pq.read_table(Path(tables_dir) / "sources.parquet", columns=["source_id", "path", "text"],
                         filters=[("source_id", "=", source_id)]).to_pylist()
    if not rows:
        raise ExplainError(f"source {source_id} is not in {tables_dir}/sources.parquet")
    row = rows[0]
    text = row["text"] if row["text"] is not None else _reparsed_text(raw_dir, row["path"])
    return Source(source_id, row["path"], text)


def _reparsed_text(raw_dir: Path, rel: str) -> str:
    from ncpi.parse.forcenames import default_matcher
    from ncpi.parse_pool import parse_one

    if not (Path(raw_dir) / rel).is_file():
        raise ExplainError(f"{Path(raw_dir) / rel} is missing: the table withholds the text and raw/ has no copy")
    parsed, quarantined = parse_one(Path(raw_dir), rel, default_matcher())
    if parsed is None:
        raise ExplainError(f"{rel}: {quarantined['reason']}")
    return parsed.source["text"]


# --- findings ---------------------------------------------------------------------------
def explain_finding(row: dict, src: Source) -> list[str]:
    a, b = row["span_start"], row["span_end"]
    blocks = segment(src.text)
    k, block = _block_at(blocks, a)
    sent = _sentence_at(src.text, block, a)
    lines = [f"finding {row['finding_id']}: {row['polarity']} / {row['theme']}  (inspection {row['inspection_id']})",
             f"  source   {src.source_id}  {src.path}",
             f"  block    #{k} {block.kind} ({block.section}) [{block.start},{block.end}): {_ex(block.text)}"]
    if sent is not None:
        lines.append(f"  sentence [{sent.start},{sent.end}): {_ex(sent.text)}")
    whole = sent if sent is not None else block
    rest = whole.text.strip().replace(src.text[a:b].strip(), "", 1).strip(" .;:,")
    split = "the whole sentence" if rest in ("", "and") else "part of it"
    lines.append(f"  split    [{a},{b}) {split}: {_ex(src.text[a:b])}")
    context = " ".join(x.text for x in blocks[max(0, k - LEAD_IN_BLOCKS_BACK):k][::-1])
    lines += _rule_lines("polarity", row["polarity"], row["polarity_rule"], src.text[a:b], context=context)
    lines += _rule_lines("theme", row["theme"], row["theme_rule"], src.text[a:b])
    return lines


# --- statements ---------------------------------------------------------------------------
def explain_statement(row: dict, src: Source) -> list[str]:
    a, b = row["span_start"], row["span_end"]
    around = src.text[max(0, a - ATTRIBUTION_WINDOW):b + ATTRIBUTION_WINDOW]
    lines = [f"statement {row['statement_id']}: {row['speaker_name']} ({row['speaker_role']})  (inspection {row['inspection_id']})",
             f"  source   {src.source_id}  {src.path}",
             f"  quote    [{a},{b}): {_ex(src.text[a:b])}"]
    lines += _rule_lines("role", row["speaker_role"], row["role_rule"], around.replace(src.text[a:b], " "))
    return lines


# --- sources: is it an NCPI document? ------------------------------------------------------
def explain_source(row: dict, src: Source) -> list[str]:
    """The scope decision (ncpi/rules/scope.py): the first NCPI cue, and a not-NCPI cue in
    the head (title, report titles, first body blocks) unless the own title names the programme."""
    blocks = segment(src.text)
    body = [b for b in blocks if b.section == "body"]
    titles = " ".join(b.text for b in blocks if b.kind == "report_title")
    head = (row["title"] + " " + titles + " " + " ".join(b.text for b in body[:NOT_NCPI_HEAD_BLOCKS]))[:scope.HEAD_CHARS]
    ncpi, not_ncpi = scope.NCPI_CUES.first(src.text), scope.NOT_NCPI_CUES.first(head)
    own = scope.OWN_TITLE_RULE.regex.search(row["title"] + " " + titles)
    lines = [f"source {row['source_id']}: {row['path']}  flags: {', '.join(row.get('quality_flags') or []) or '-'}",
             f"  ncpi cue     {_hit_line(ncpi)}",
             f"  not-ncpi cue {_hit_line(not_ncpi)} (in the head, first {scope.HEAD_CHARS} characters)"]
    if not_ncpi and own:
        lines.append(f"  own title    {scope.OWN_TITLE_RULE.id} ({own.group(0)!r}): stays NCPI")
    verdict = "NCPI" if ncpi and not (not_ncpi and not own) else "not NCPI"
    return lines + [f"  verdict      {verdict}"]


def _hit_line(hit) -> str:
    return f"{hit.rule.id} ({hit.cue!r})" if hit else "none"


# --- inspections --------------------------------------------------------------------------
def explain_inspection(row: dict, tables_dir: Path, raw_dir: Path) -> list[str]:
    lines = [f"inspection {row['inspection_id']}: {row['kind']} of {row['force_id']}",
             f"  fieldwork {row['fieldwork_start']} .. {row['fieldwork_end']}   published {row['published_date']}"
             f"   precision {row['date_precision']}"]
    if row.get("quality_flags"):
        lines.append(f"  flags    {', '.join(row['quality_flags'])}"
                     + ("  (kind taken from the reports catalogue; kind_rule is what the text said)"
                        if "kind_from_catalogue" in row["quality_flags"] else ""))
    for link in _inspection_sources(row, tables_dir):
        src = load_source(link["source_id"], tables_dir, raw_dir)
        lines.append(f"  source   {src.source_id} ({link.get('role', '?')})  {src.path}")
        if link.get("span_start") is not None:
            a, b = link["span_start"], link["span_end"]
            lines.append(f"    first mention [{a},{b}): {_ex(src.text[a:b])}  in: {_ex(_sentence_around(src.text, a).text)}")
        lines += ["  " + x for x in _rule_lines("kind", row["kind"], row.get("kind_rule"), src.text)]
        lines += ["  " + x for x in _date_lines(row, src.text)]
    return lines


def _inspection_sources(row: dict, tables_dir: Path) -> list[dict]:
    path = Path(tables_dir) / "inspection_sources.parquet"
    if path.exists():
        return pq.read_table(path, filters=[("inspection_id", "=", row["inspection_id"])]).to_pylist()
    return [{"source_id": s} for s in row.get("source_ids") or []]


def _date_lines(row: dict, text: str) -> list[str]:
    """The sentences whose dates give the row's fieldwork or publication, with the
    history/news cues found in them (which made the date fieldwork or publication)."""
    wanted = {("fieldwork", row["fieldwork_start"]), ("published", row["published_date"])}
    known = [d for _, d in wanted if d is not None]
    year = known[0].year if known else None
    cues = FAMILIES["history"] + FAMILIES["news"]
    out = []
    for s in _all_sentences(text):
        for d in find_dates(s.text, year):
            for role, day in wanted:
                if day is not None and d.start == day:
                    found = [f"{r.id} ({m.group(0)!r})" for r in cues for m in [r.regex.search(s.text)] if m]
                    out.append(f"  {role} date {d.start} from [{s.start},{s.end}): {_ex(s.text)}")
                    out.append(f"    cues: {', '.join(found) or 'none'}")
                    out += [f"    {m.role} by {m.role_cue or 'no cue (fieldwork unless a cue says otherwise)'}"
                            for m in date_mentions(s.text, s.start, year, lambda i: None) if m.date.start == day]
    return out


# --- shared -------------------------------------------------------------------------------
def _rule_lines(what: str, value: str, rule_id: str | None, text: str, *, context: str = "") -> list[str]:
    """'<what>: <value> by <rule> (cue ...)' and the record's reason."""
    if rule_id is None:
        return [f"  {what:8} {value}  (no rule recorded: a table built before rule ids)"]
    rule = by_id(rule_id)
    if rule is None:
        why = VERDICTS.get(rule_id) or ("a printed grade's polarity" if rule_id.startswith("polarity.grade.") else "")
        return [f"  {what:8} {value}  by {rule_id}: {why}"]
    m = rule.regex.search(text)
    if m:
        cue = f"cue {m.group(0)!r} in the text"
    else:
        m = rule.regex.search(context) if context else None
        cue = (f"cue {m.group(0)!r} in the lead-in before it: "
               f"{_ex(context[max(0, m.start() - CUE_CONTEXT_CHARS):m.end() + CUE_CONTEXT_CHARS])}") if m else "not found in this text"
    lines = [f"  {what:8} {value}  by {rule.id} ({cue})", f"           record: {record_file(rule.id)}"]
    if rule.why:
        lines.append(f"           why: {rule.why}")
    return lines


def record_file(rule_id: str) -> str:
    """The file under ncpi/rules/ that holds the record: where a newcomer adds an example."""
    for path in sorted(RULES_DIR.glob("*.py")):
        if f'"{rule_id}"' in path.read_text(encoding="utf-8"):
            return path.relative_to(RULES_DIR.parents[1]).as_posix()
    return "ncpi/rules/"


def _block_at(blocks: list[Block], pos: int) -> tuple[int, Block]:
    for k, b in enumerate(blocks):
        if b.start <= pos < max(b.end, b.start + 1):
            return k, b
    nearest = max((k for k, b in enumerate(blocks) if b.start <= pos), default=0)
    return nearest, blocks[nearest]


def _sentence_at(text: str, block: Block, pos: int) -> Sentence | None:
    return next((s for s in sentences(text, block.start, block.end) if s.start <= pos < s.end), None)


def _sentence_around(text: str, pos: int) -> Sentence:
    k, block = _block_at(segment(text), pos)
    return _sentence_at(text, block, pos) or Sentence(block.start, block.end, block.text)


def _all_sentences(text: str) -> list[Sentence]:
    return [s for b in segment(text) for s in sentences(text, b.start, b.end)]


def _ex(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…")
