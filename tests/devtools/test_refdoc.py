"""The generated reference pages are current, and every promised finding code is implemented."""

from __future__ import annotations

import re
from pathlib import Path

from negotiator.devtools.refdoc import facts_markdown, findings_markdown
from negotiator.ruleset.loader import load_rules

ROOT = Path(__file__).resolve().parents[2]


def test_docs_facts_md_is_current():
    assert (ROOT / "docs" / "facts.md").read_text(encoding="utf-8") == facts_markdown(), (
        "regenerate: python -m negotiator.devtools.refdoc facts > docs/facts.md"
    )


def test_docs_findings_md_is_current():
    assert (ROOT / "docs" / "findings.md").read_text(encoding="utf-8") == findings_markdown(), (
        "regenerate: python -m negotiator.devtools.refdoc findings > docs/findings.md"
    )


def promised_codes() -> set[str]:
    """The codes docs/findings.md promised when the product was specified (kept in the repo)."""
    text = (ROOT / "docs" / "promised-codes.txt").read_text(encoding="utf-8")
    return {line.strip() for line in text.splitlines() if re.fullmatch(r"[A-Z_0-9]+", line.strip())}


def test_every_promised_code_has_a_rule():
    implemented = {r.code for r in load_rules().rules}
    missing = sorted(promised_codes() - implemented)
    assert missing == [], f"finding codes promised but not implemented: {missing}"
