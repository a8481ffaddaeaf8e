"""The one-way flow of docs/architecture.md, enforced on the import graph.

case → analysis → facts → rules → findings → documents: no module imports from a layer that
depends on it.  Each entry of FORBIDDEN is a promise docs/architecture.md makes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "negotiator"

#: The primitives: error types, the one rounding rule, the calendar, languages, option sets,
#: atomic writes, identifier checks, the documents' vocabulary.
PRIMITIVES = {"errors", "money", "holidays", "i18n", "fsutil", "ids", "vocab"}
#: What drives the pipeline from outside: nothing inside the pipeline may import these.
_DRIVERS = {"batch", "devtools", "web", "cli", "interview", "extract"}
#: The layers above the judging pipeline: what reads findings and speaks to people.
_SPEAKING = {"documents", "api", *_DRIVERS}
_JUDGING = {"ruleset", "engine", "findings"}
_PIPELINE = {"case", "basis", "calc", "analysis", "facts", *_JUDGING, *_SPEAKING}

#: wing (top-level module or package of negotiator) → wings it must never import.
FORBIDDEN: dict[str, set[str]] = {
    # the ground floor knows nothing of the pipeline
    **{primitive: _PIPELINE for primitive in sorted(PRIMITIVES)},
    # an input error words itself in the reader's language with the case's message table, which
    # it imports when it is printed (never at import time)
    "errors": _PIPELINE - {"case"},
    # what the rules rest on: parameters and the citation register, read by every layer above
    "basis": _PIPELINE - {"basis"},
    # the case model knows its own validation, not what is computed from it
    "case": {"calc", "analysis", "facts", *_JUDGING, *_SPEAKING},
    # calculators compute from values; they know no case analysis, fact or rule
    "calc": {"analysis", "facts", *_JUDGING, *_SPEAKING},
    # the analysis computes every figure and decides nothing
    "analysis": {"facts", *_JUDGING, *_SPEAKING},
    # facts are projections of the analysis for the engine: no rule, no finding, no document
    "facts": {*_JUDGING, *_SPEAKING},
    # rules are data and their loader; the engines judge; neither knows the documents
    "ruleset": {"analysis", "calc", "engine", "findings", *_SPEAKING},
    "engine": {"analysis", "calc", "findings", *_SPEAKING},
    "findings": {"analysis", *_SPEAKING},
    # the public operations and the documents are driven, they drive nothing
    "api": {"documents", *_DRIVERS},
    "documents": _DRIVERS,
    # the closed option sets of the public functions gather the types defined where their values
    # are checked (the case, the letter kinds, the languages, the evaluators); they run nothing
    "options": {"api", *_DRIVERS},
}


def _wing(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> set[str]:
    """The negotiator wings ``path`` imports (absolute or relative)."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    package = parts[:-1]  # the package a relative import starts from
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
                if not node.module:
                    out.update(_wing(f"{target}.{a.name}") for a in node.names)
            else:
                target = node.module or ""
            if target.startswith("negotiator"):
                out.add(_wing(target))
        elif isinstance(node, ast.Import):
            out.update(_wing(a.name) for a in node.names if a.name.startswith("negotiator."))
    return out - {""}


def _modules_of(wing: str) -> list[Path]:
    folder = PACKAGE / wing
    return sorted(folder.glob("*.py")) if folder.is_dir() else [PACKAGE / f"{wing}.py"]


@pytest.mark.parametrize("wing", sorted(FORBIDDEN))
def test_no_wing_imports_a_layer_that_depends_on_it(wing):
    offences = []
    for path in _modules_of(wing):
        bad = _imports(path) & FORBIDDEN[wing]
        if bad:
            offences.append(f"{path.relative_to(PACKAGE)} imports {sorted(bad)}")
    assert offences == []


def test_the_scan_sees_relative_and_absolute_imports():
    folder = PACKAGE / "calc"
    found = _imports(folder / "caps.py")
    assert {"case", "money", "basis", "errors", "calc"} <= found
    assert "ruleset" in _imports(PACKAGE / "devtools" / "refdoc.py")


def test_every_module_belongs_to_a_wing_the_rules_above_name():
    """A new top-level module or package must be placed in the layering, not slip past it."""
    named = set(FORBIDDEN) | {"data", "rules", "templates"}
    present = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    present |= {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert present - named - _DRIVERS == set()


def test_no_cache_is_keyed_by_object_identity():
    """A cache keyed by ``id()`` grows without bound and can confuse a new object with a dead
    one; derived views are kept on the (immutable) object they derive from instead."""
    offences = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "id"
            ):
                offences.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offences == []


def test_test_folders_mirror_the_wings():
    """tests/<wing>/ holds the tests of negotiator/<wing>/; no test folder names something else."""
    tests = Path(__file__).resolve().parent
    folders = {p.parent.name for p in tests.glob("*/test_*.py")}
    wings = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert folders and folders <= wings
