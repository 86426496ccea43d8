"""Layers and code shape, checked on the code itself.

1. The import contracts in pyproject.toml [tool.importlinter] hold (`lint-imports`):
   ncpi/ never imports Prefect, flows/ or the CLI; flows/ never import the CLI; the
   parser imports no table/build/dataframe machinery; schemas/ take only vocabularies.
2. The extraction code keeps its shape (issue 12): no function over 60 lines, no more
   than four positional parameters, no regex literal compiled inside a function body.
   Functions that do not yet are listed in SHAPE_DEBT; the list may only shrink: a new
   offender fails, and so does a listed one that was fixed but not struck off.
"""
import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 60
MAX_POSITIONAL = 4
RE_CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "finditer", "findall", "split"}
EXTRACTION = ["ncpi/parse", "ncpi/rules", "ncpi/text", "ncpi/explain.py", "ncpi/vocab.py",
              "ncpi/parse_pool.py", "ncpi/cache.py"]

SHAPE_DEBT: set[str] = set()


def test_import_contracts_hold():
    exe = Path(sys.executable).parent / "lint-imports"
    cmd = [str(exe)] if exe.exists() else [shutil.which("lint-imports") or "lint-imports"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "broken" in proc.stdout and ", 0 broken" in proc.stdout


def _files() -> list[Path]:
    out = []
    for name in EXTRACTION:
        p = ROOT / name
        out += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    return out


def _regex_literal_inside(fn: ast.AST) -> bool:
    for node in ast.walk(fn):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RE_CALLS
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            return True
    return False


def shape_offenders() -> set[str]:
    out = set()
    for path in _files():
        rel = path.relative_to(ROOT).as_posix()
        for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            name = f"{rel}:{fn.name}"
            if fn.end_lineno - fn.lineno + 1 > MAX_LINES:
                out.add(f"{name}:long")
            positional = [a for a in fn.args.posonlyargs + fn.args.args if a.arg not in ("self", "cls")]
            if len(positional) > MAX_POSITIONAL:
                out.add(f"{name}:params")
            if _regex_literal_inside(fn):
                out.add(f"{name}:regex_literal")
    return out


def test_no_new_shape_offenders():
    new = shape_offenders() - SHAPE_DEBT
    assert not new, f"functions too long, with too many positional parameters, or compiling a regex literal: {sorted(new)}"


def test_shape_debt_only_shrinks():
    fixed = SHAPE_DEBT - shape_offenders()
    assert not fixed, f"fixed: strike these off SHAPE_DEBT in tests/test_layers.py: {sorted(fixed)}"
