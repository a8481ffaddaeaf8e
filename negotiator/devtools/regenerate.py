"""Write every generated reference page of a checkout in one go.

    python -m negotiator.devtools.regenerate            # from the project root
    python -m negotiator.devtools.regenerate --check    # exit 1 and name the stale pages

After changing a rule, a parameter, a citation, the case model or a report field, run it and
commit what changed.  Each page's own test checks it is current; this saves remembering which
generator writes which page.  The letters' golden files are not here: they are rendered by their
test (``UPDATE_GOLDEN=1 python -m pytest tests/documents/test_letters.py``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ..case.schema import case_schema
from ..fsutil import atomic_write
from .docgen import coverage_markdown
from .refdoc import facts_markdown, findings_markdown, legal_basis_markdown
from .report_schema import corpus_reports, findings_data_markdown, report_schema


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def pages(root: Path) -> dict[str, Callable[[], str]]:
    """docs/ path → the function that writes it, for the checkout at ``root``."""
    examples = root / "examples"
    return {
        "docs/facts.md": facts_markdown,
        "docs/findings.md": findings_markdown,
        "docs/legal-basis.md": legal_basis_markdown,
        "docs/coverage.md": coverage_markdown,
        "docs/findings-data.md": findings_data_markdown,
        "docs/case.schema.json": lambda: _json(case_schema()),
        "docs/report.schema.json": lambda: _json(report_schema(corpus_reports(examples))),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = args == ["--check"]
    if args and not check:
        print("usage: python -m negotiator.devtools.regenerate [--check]", file=sys.stderr)
        return 2
    root = Path.cwd()
    if not (root / "docs").is_dir() or not (root / "examples").is_dir():
        print("run this from the project root (where docs/ and examples/ are)", file=sys.stderr)
        return 2
    stale = []
    for name, write in pages(root).items():
        text = write()
        path = root / name
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not check:
            atomic_write(path, text.encode("utf-8"))
    for name in stale:
        print(("stale: " if check else "wrote ") + name)
    return 1 if check and stale else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
