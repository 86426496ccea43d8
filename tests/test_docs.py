"""Every code block in README.md and docs/*.md runs, and every link between pages resolves.

Fenced blocks are run by their language: `sh` (also `bash`, `shell`) by bash with
`set -euo pipefail`, `python` by the venv's Python, both from the root of a temporary
copy of the repository (with `ncpi` on the PATH resolving to that copy, and $TMP a fresh
scratch folder); `sql` statement by statement against that copy's warehouse, built once
per session from raw/. Other languages (`text`, `json`, `toml`, ...) are shown, not run.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from ncpi.sql.sandbox import open_warehouse

from ncpi import warehouse
from ncpi.paths import PROJECT_ROOT

PAGES = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
SHELLS = {"sh", "bash", "shell"}
RUN = SHELLS | {"python", "sql"}
VENV_BIN = Path(sys.executable).parent
# What a block may need of the repository; built and cached files are left out.
COPIED = ["ncpi", "ncpi_cli", "flows", "schemas", "raw", "warehouse", "docs", "tests", "tools",
          "README.md", "pyproject.toml", "constraints.txt", "prefect.yaml", "Makefile"]
IGNORED = shutil.ignore_patterns("__pycache__", ".cache", "tables", "*.duckdb", "*.duckdb.wal",
                                 ".lock", ".pytest_cache", ".hypothesis")
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+-]*)")
README_MAX_BYTES = 11_000


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    lang: str
    code: str

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(PROJECT_ROOT)}:{self.line}:{self.lang}"


def blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a Markdown page, dedented (a block may sit in a list item)."""
    found, lines, i = [], page.read_text(encoding="utf-8").splitlines(), 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, start = len(m["indent"]), m["fence"], i
        body = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i])
            i += 1
        if i == len(lines):
            raise AssertionError(f"{page}:{start + 1}: a code block is never closed")
        found.append(Block(page, start + 1, m["lang"].lower(), "\n".join(body) + "\n"))
        i += 1
    return found


ALL_BLOCKS = [b for page in PAGES for b in blocks(page)]
RUNNABLE = [b for b in ALL_BLOCKS if b.lang in RUN]


@pytest.fixture(scope="session")
def project(tmp_path_factory) -> Path:
    """A copy of the repository whose warehouse holds the tables built from raw/, the
    committed releases and the DuckDB views."""
    root = tmp_path_factory.mktemp("docs") / "ncpi"
    root.mkdir()
    for name in COPIED:
        src = PROJECT_ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=IGNORED, symlinks=True)
        elif src.exists():
            shutil.copy2(src, root / name)
    run = subprocess.run(["ncpi", "build", "--raw", "raw", "--out", "warehouse/tables", "--no-prefect"],
                         cwd=root, env=_env(root, root), capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    warehouse.refresh_views(root / "warehouse")
    return root


def _env(root: Path, scratch: Path) -> dict:
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    # The copy's packages shadow the editable install, so `ncpi` works on the copy.
    env["PYTHONPATH"] = str(root)
    env["TMP"] = str(scratch)
    env["PREFECT_HOME"] = str(scratch / ".prefect")
    return env


@pytest.mark.parametrize("block", RUNNABLE, ids=[b.name for b in RUNNABLE])
def test_code_block_runs(block: Block, project: Path, tmp_path: Path):
    if block.lang == "sql":
        # The same confinement as `ncpi sql` (absolute allowed_directories, run from inside the warehouse).
        with open_warehouse(project / "warehouse") as con:
            try:
                for statement in duckdb.extract_statements(block.code):
                    con.execute(statement).fetchall()
            except duckdb.Error as exc:
                pytest.fail(f"{block.name}: {exc}")
        return
    cmd = ["bash", "-euo", "pipefail", "-c", block.code] if block.lang in SHELLS else [sys.executable, "-c", block.code]
    run = subprocess.run(cmd, cwd=project, env=_env(project, tmp_path), capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"{block.name} exited {run.returncode}:\n{block.code}\n--- stdout\n{run.stdout}\n--- stderr\n{run.stderr}"


LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(PROJECT_ROOT)) for p in PAGES])
def test_links_resolve_inside_the_repository(page: Path):
    text = page.read_text(encoding="utf-8")
    for target in LINK.findall(text):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        path = (page.parent / target.split("#", 1)[0]).resolve()
        assert path.is_relative_to(PROJECT_ROOT), f"{page.name} links outside the repository: {target}"
        assert path.exists(), f"{page.name} links to {target}, which does not exist"


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(PROJECT_ROOT)) for p in PAGES])
def test_no_draft_text_or_machine_paths(page: Path):
    text = page.read_text(encoding="utf-8")
    for bad in ("Draft README", "for the lead to merge", "../shared", str(PROJECT_ROOT), "this 2-core machine"):
        assert bad not in text, f"{page.name} contains {bad!r}"


def test_readme_is_short():
    size = len((PROJECT_ROOT / "README.md").read_bytes())
    assert size <= README_MAX_BYTES, f"README.md is {size} bytes; move detail into docs/"


def test_every_page_is_linked_from_the_index():
    index = (PROJECT_ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    for page in PAGES[1:]:
        if page.name != "index.md":
            assert f"]({page.name})" in index, f"docs/index.md does not link {page.name}"
