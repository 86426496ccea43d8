"""Hand-written expectations for the variant corpus (tests/fixtures/variants/README.md).

Cases the parser does not yet get right are listed in known_gaps.toml with the reason;
they run as strict xfails, so fixing one without removing it from the list fails too.
"""
import datetime as dt
import tomllib
from pathlib import Path

import pytest

from ncpi.build import parse_one
from ncpi.parse.forcenames import default_matcher

HERE = Path(__file__).parent / "fixtures" / "variants"
CASES = sorted(p for p in HERE.iterdir() if p.suffix in (".txt", ".html"))
GAPS = tomllib.loads((HERE / "known_gaps.toml").read_text()) if (HERE / "known_gaps.toml").exists() else {}


def _date(v):
    return None if v == "" else dt.date.fromisoformat(v)


def _time(v):
    return None if v == "" else dt.time.fromisoformat(v)


def check(doc, q, exp) -> list[str]:
    errs = []
    if "quarantine_rule" in exp:
        if q is None or q["rule"] != exp["quarantine_rule"]:
            errs.append(f"expected quarantine {exp['quarantine_rule']}, got {q}")
        return errs
    if doc is None:
        return [f"quarantined: {q}"]
    src, e = doc.source, exp.get("source", {})
    for key in ("publisher", "title", "inspectorate"):
        if key in e and (src[key] or "") != e[key]:
            errs.append(f"source.{key}: {src[key]!r} != {e[key]!r}")
    if "published_date" in e and src["published_date"] != _date(e["published_date"]):
        errs.append(f"source.published_date: {src['published_date']} != {e['published_date']}")
    for f in e.get("flags_include", []):
        if f not in src["quality_flags"]:
            errs.append(f"missing flag {f} (have {src['quality_flags']})")
    for f in e.get("flags_exclude", []):
        if f in src["quality_flags"]:
            errs.append(f"unexpected flag {f}")
    for t in e.get("text_excludes", []):
        if t in src["text"]:
            errs.append(f"furniture {t!r} left in text")
    got_i = {i["inspection_id"]: i for i in doc.inspections}
    if exp.get("inspections_none"):
        if got_i:
            errs.append(f"expected no inspections, got {sorted(got_i)}")
    elif "inspections" in exp:
        want = {i["inspection_id"]: i for i in exp["inspections"]}
        if set(want) != set(got_i):
            errs.append(f"inspections {sorted(got_i)} != {sorted(want)}")
        for iid, w in want.items():
            g = got_i.get(iid)
            if g is None:
                continue
            for k, v in w.items():
                gv = g.get(k)
                if k in ("fieldwork_start", "fieldwork_end", "published_date"):
                    v = _date(v)
                elif v == "":
                    v = None
                if gv != v:
                    errs.append(f"{iid}.{k}: {gv!r} != {v!r}")
    if exp.get("statements_none"):
        if doc.statements:
            errs.append(f"expected no statements, got {[s['speaker_name'] for s in doc.statements]}")
    elif "statements" in exp:
        got = doc.statements
        if len(got) != len(exp["statements"]):
            errs.append(f"statements: {[s['speaker_name'] for s in got]} != {[s['speaker_name'] for s in exp['statements']]}")
        for g, w in zip(got, exp["statements"]):
            if g["speaker_name"] != w["speaker_name"]:
                errs.append(f"speaker {g['speaker_name']!r} != {w['speaker_name']!r}")
            if "speaker_role" in w and g["speaker_role"].lower() != w["speaker_role"].lower():
                errs.append(f"role {g['speaker_role']!r} != {w['speaker_role']!r}")
            for k in ("force_id", "inspection_id"):
                if k in w and g[k] != (w[k] or None):
                    errs.append(f"statement {k} {g[k]!r} != {w[k]!r}")
            if "starts_with" in w and not g["text"].startswith(w["starts_with"]):
                errs.append(f"statement starts {g['text'][:40]!r}, want {w['starts_with']!r}")
            if "ends_with" in w and not g["text"].endswith(w["ends_with"]):
                errs.append(f"statement ends {g['text'][-40:]!r}, want {w['ends_with']!r}")
            if "paragraphs" in w and g["text"].count("\n\n") + 1 != w["paragraphs"]:
                errs.append(f"statement paragraphs {g['text'].count(chr(10) * 2) + 1} != {w['paragraphs']}")
    if exp.get("contacts_none"):
        if doc.contacts:
            errs.append(f"expected no contacts, got {len(doc.contacts)}")
    elif "contacts" in exp:
        got = doc.contacts
        if len(got) != len(exp["contacts"]):
            errs.append(f"contacts: {len(got)} != {len(exp['contacts'])}")
        for g, w in zip(got, exp["contacts"]):
            for k, v in w.items():
                if k == "flags_include":
                    errs += [f"contact flag {f} missing" for f in v if f not in g["quality_flags"]]
                elif k in ("opens", "closes"):
                    if g[k] != _time(v):
                        errs.append(f"contact {k} {g[k]} != {v}")
                elif k == "organisation":
                    if g[k].lower() != v.lower():
                        errs.append(f"contact organisation {g[k]!r} != {v!r}")
                elif g.get(k) != (v or None):
                    errs.append(f"contact {k} {g.get(k)!r} != {v!r}")
    for w in exp.get("findings", []):
        hits = [f for f in doc.findings if w["contains"] in f["text"]]
        if not hits:
            errs.append(f"no finding contains {w['contains']!r}")
            continue
        f = hits[0]
        for k, v in w.items():
            if k != "contains" and f.get(k) != v:
                errs.append(f"finding {w['contains'][:30]!r}.{k}: {f.get(k)!r} != {v!r}")
    s = exp.get("findings_summary", {})
    if "forces" in s and {f["force_id"] for f in doc.findings} != set(s["forces"]):
        errs.append(f"finding forces {sorted({f['force_id'] for f in doc.findings})} != {sorted(s['forces'])}")
    if "min_count" in s and len(doc.findings) < s["min_count"]:
        errs.append(f"{len(doc.findings)} findings < {s['min_count']}")
    for a in s.get("absent", []):
        if any(a in f["text"] for f in doc.findings):
            errs.append(f"a finding mentions {a!r}")
    return errs


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_variant(path, request):
    if path.stem in GAPS:
        request.applymarker(pytest.mark.xfail(reason=GAPS[path.stem], strict=True))
    exp = tomllib.loads(path.with_name(path.stem + ".expected.toml").read_text())
    doc, q = parse_one(path.parent, path.name, default_matcher())
    errs = check(doc, q, exp)
    assert not errs, f"{path.name}:\n  " + "\n  ".join(errs)


def test_every_case_tag_is_covered():
    readme = (HERE / "README.md").read_text()
    tags_section = readme.split("## CASES")[1]
    import re
    wanted = set(re.findall(r"\b((?:layout|furniture|who|speakers|kinds|dates|figures|not_ncpi)\.[a-z0-9_]+)", tags_section))
    have = set()
    for p in CASES:
        have |= set(tomllib.loads(p.with_name(p.stem + ".expected.toml").read_text()).get("cases", []))
    assert wanted - have == set(), f"case tags without a fixture: {sorted(wanted - have)}"
    assert len(CASES) >= 40
