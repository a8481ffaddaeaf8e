"""Every advice section of every seed is cited by a rule, and docs/coverage.md is current."""

from __future__ import annotations

from pathlib import Path

from negotiator.devtools.docgen import coverage_markdown, main, uncovered_advice
from negotiator.ruleset.loader import RuleSet, load_rules, seed_sections

ROOT = Path(__file__).resolve().parents[2]
KB_FILES = (
    "preparation.toml",
    "situation.toml",
    "strategy.toml",
    "consequence.toml",
    "aftercare.toml",
)


def test_every_advice_section_is_cited_by_a_rule():
    missing = uncovered_advice(load_rules())
    assert missing == [], "advice sections no rule cites: " + ", ".join(
        f"{sid} §{section}" for sid, section in missing
    )


def test_the_knowledge_base_alone_covers_every_advice_section():
    """The guidance rule files do not lean on fee or agreement rules for coverage."""
    rules = load_rules()
    kb = RuleSet(rules=tuple(r for r in rules.rules if r.file in KB_FILES), kinds=rules.kinds)
    assert uncovered_advice(kb) == []


def test_an_uncited_advice_section_is_reported():
    rules = load_rules()
    without = RuleSet(
        rules=tuple(
            r
            for r in rules.rules
            if not any(c.seed == "000" and c.section == "四.4" for c in r.citations)
        ),
        kinds=rules.kinds,
    )
    assert ("000", "四.4") in uncovered_advice(without)
    assert "- 000 §四.4" in coverage_markdown(without)
    assert "**advice — uncovered**" in coverage_markdown(without)


def test_every_seed_and_every_section_appears_in_the_table():
    text = coverage_markdown()
    for sid, seed in seed_sections().items():
        assert f"## {sid} — {seed['title']}" in text
        for section in seed["sections"]:
            assert f"\n| {section} |" in text, f"{sid} §{section} missing from the table"


def test_docs_coverage_md_is_the_generated_table():
    committed = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert committed == coverage_markdown(), (
        "docs/coverage.md is stale: run"
        " `python -m negotiator.devtools.docgen coverage > docs/coverage.md`"
    )


def test_the_command_prints_the_table_and_refuses_other_words(capsys):
    assert main(["coverage"]) == 0
    assert capsys.readouterr().out == coverage_markdown()
    assert main(["nonsense"]) == 2
