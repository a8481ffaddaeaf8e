"""The one-way flow of docs/architecture.md, enforced on the import graph.

case → analysis → facts → rules → findings → documents: no module imports from a layer that
depends on it.  Each entry of FORBIDDEN is a promise docs/architecture.md makes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "negotiator"

#: The layers above the user-facing pipeline: what reads findings and speaks to people.
_SPEAKING = {"documents", "letters", "action_plan", "present", "render", "docx_out", "api"}
_JUDGING = {"ruleset", "engine", "findings", "rules_api", "scenarios"}

#: wing (top-level module or package of negotiator) → wings it must never import.
FORBIDDEN: dict[str, set[str]] = {
    # the ground floor knows nothing of the pipeline
    "money": {"models", "calc", "analysis", "facts", *_JUDGING, *_SPEAKING},
    "params": {"models", "calc", "analysis", "facts", *_JUDGING, *_SPEAKING},
    "citations": {"params", "models", "calc", "analysis", "facts", *_JUDGING, *_SPEAKING},
    "models": {"calc", "analysis", "facts", *_JUDGING, *_SPEAKING},
    # calculators compute from values; they know no case analysis, fact or rule
    "calc": {"analysis", "counter", "facts", *_JUDGING, *_SPEAKING},
    # the analysis computes every figure and decides nothing
    "analysis": {"facts", *_JUDGING, *_SPEAKING},
    # facts are projections of the analysis for the engine: no rule, no finding, no document
    "facts": {*_JUDGING, *_SPEAKING},
    # rules are data and their loader; the engines judge; neither knows the documents
    "ruleset": {"analysis", "calc", "engine", "findings", *_SPEAKING},
    "engine": {"analysis", "calc", "findings", *_SPEAKING},
    "findings": {"analysis", *_SPEAKING},
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
    assert {"models", "money", "params", "errors", "calc"} <= found
    assert "ruleset" in _imports(PACKAGE / "refdoc.py")


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
