"""Synthetic releases: deterministic, covering every force, kind and layout, and read
back by the parser as what the generator wrote."""
import hashlib
from pathlib import Path

import pytest

from ncpi.build import forces_reference, parse_batch
from ncpi_cli.main import main
from ncpi.synth import MANIFEST, generate, read_manifest
from ncpi.synth import templates as T


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode() + p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    expected = generate(172, 5, out)    # 43 forces × 4 kinds: every pair once
    return out, expected


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    generate(30, 1, tmp_path / "a")
    generate(30, 1, tmp_path / "b")
    generate(30, 2, tmp_path / "c")
    assert digest(tmp_path / "a") == digest(tmp_path / "b") != digest(tmp_path / "c")
    # Release i depends only on (seed, i): generating in two steps gives the same files.
    generate(10, 1, tmp_path / "d")
    generate(20, 1, tmp_path / "d", start=10)
    assert digest(tmp_path / "a") == digest(tmp_path / "d")


def test_covers_every_force_kind_and_layout(corpus):
    out, expected = corpus
    forces = {line.split(",")[0] for line in forces_reference(out).read_text(encoding="utf-8").splitlines()[1:]}
    assert {e.force_id for e in expected} == forces and len(forces) == 43
    assert {(e.force_id, e.written_kind) for e in expected} == {(f, k) for f in forces for k in T.KINDS}
    assert {e.layout for e in expected} == set(T.LAYOUTS)
    assert {e.inspectorate for e in expected} == {"HMIC", "HMICFRS"}
    assert read_manifest(out) == expected
    text = (out / expected[0].path).read_text(encoding="utf-8")
    for part in ("Get the report", "Notes", "said:", "020 3513 0600", "  • "):
        assert part in text


def test_parser_reads_back_what_the_generator_wrote(corpus):
    out, expected = corpus
    results = parse_batch(str(out), [e.path for e in expected], str(forces_reference(out)))
    mismatches = []
    for e, (parsed, quarantined) in zip(expected, results):
        if quarantined:
            mismatches.append((e.path, e.layout, quarantined["rule"]))
            continue
        subjects = [(i["inspection_id"], i["lead_inspector"]) for i in parsed.inspections if i["is_subject"]]
        got = (subjects, parsed.source["publisher"], parsed.source["inspectorate"])
        want = ([(e.inspection_id, e.lead_inspector)], e.publisher, e.inspectorate)
        if got != want:
            mismatches.append((e.path, e.layout, got, want))
        if not parsed.findings or not any(s["speaker_name"] == e.lead_inspector for s in parsed.statements):
            mismatches.append((e.path, e.layout, "no findings or no HMI statement"))
        if e.layout != "republished" and sorted(c["phone_e164"] for c in parsed.contacts) != ["+442035130600", "+447836217729"]:
            mismatches.append((e.path, e.layout, "contacts", [c["phone_e164"] for c in parsed.contacts]))
    assert mismatches == []


def test_cli_writes_and_refuses_to_mix_corpora(tmp_path, capsys):
    assert main(["synth", "--n", "3", "--seed", "4", "--out", str(tmp_path / "raw")]) == 0
    assert len(list((tmp_path / "raw" / "synth").iterdir())) == 3 and (tmp_path / "raw" / MANIFEST).exists()
    assert main(["synth", "--n", "3", "--out", str(tmp_path / "raw")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("ncpi synth: error:") and "\n" not in err
    (tmp_path / "file").write_text("x")
    assert main(["synth", "--n", "1", "--out", str(tmp_path / "file")]) == 2
