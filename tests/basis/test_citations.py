"""The citation register: each instrument once, cited by key, in force when it is applied."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from negotiator.basis.citations import load_register, migrate_text, parse_register
from negotiator.devtools.refdoc import legal_basis_markdown
from negotiator.devtools.scenarios import load_scenarios, run_scenario
from negotiator.errors import RuleFileError
from negotiator.facts import KINDS
from negotiator.facts.loan import PSL_2025_FROM
from negotiator.findings import Finding
from negotiator.ruleset.loader import load_rules, load_ruleset_from

ROOT = Path(__file__).resolve().parents[2]


def test_docs_legal_basis_md_is_current():
    assert (ROOT / "docs" / "legal-basis.md").read_text(encoding="utf-8") == (
        legal_basis_markdown()
    ), "regenerate: python -m negotiator.devtools.refdoc legal-basis > docs/legal-basis.md"


def test_every_law_citation_comes_from_the_register():
    register = load_register()
    for rule in load_rules().rules:
        for c in rule.citations:
            if c.seed is not None:
                continue
            inst = register.get(c.key or "")
            assert inst is not None, rule.id
            assert c.law == inst.cite and c.status == inst.status, rule.id
            assert c.effective == (inst.effective.isoformat() if inst.effective else None)


def test_every_instrument_in_the_register_is_cited():
    cited = {c.key for r in load_rules().rules for c in r.citations}
    assert set(load_register().instruments) - cited == set()


def _rule(source: str) -> str:
    return textwrap.dedent(
        f"""
        [[rule]]
        id = "x.r"
        code = "X_R"
        category = "situation"
        severity = "info"
        sources = [{source}]
        about = "case"
        when = {{ all = [["loans", ">", 0]] }}
        message.zh-Hans = "x"
        message.en = "x"
        """
    )


def test_a_citation_by_key_is_filled_from_the_register():
    rs = load_ruleset_from([("t.toml", _rule('{ law = "civil-code", article = "670" }'))], KINDS)
    c = rs.rules[0].citations[0]
    assert (c.key, c.law, c.article, c.effective, c.status) == (
        "civil-code",
        "民法典",
        "670",
        "2021-01-01",
        "VERIFIED-PRIMARY",
    )
    assert c.label() == "民法典 art. 670 (effective 2021-01-01)"


@pytest.mark.parametrize(
    ("source", "where", "problem"),
    [
        ('{ law = "民法典", article = "670" }', "sources[0].law", "no instrument '民法典'"),
        ('{ law = "no-such-law" }', "sources[0].law", "citation register"),
        ('{ law = "civil-code", effective = "2021-01-01" }', "sources[0].effective", "unknown"),
        ('{ law = "civil-code", status = "UNVERIFIED" }', "sources[0].status", "unknown key"),
    ],
)
def test_an_unknown_instrument_or_a_restated_detail_is_a_load_error(source, where, problem):
    with pytest.raises(RuleFileError) as err:
        load_ruleset_from([("t.toml", _rule(source))], KINDS)
    assert err.value.path == f"t.toml#x.r.{where}"
    assert problem in str(err.value)


@pytest.mark.parametrize(
    ("entry", "where"),
    [
        ('cite = "x"', "k.about"),
        (
            'cite = "x"\ntitle = "t"\ntitle_en = "t"\nissuer = "i"\nkind = "poem"\nabout = "a"',
            "k.kind",
        ),
        (
            'cite = "x"\ntitle = "t"\ntitle_en = "t"\nissuer = "i"\nkind = "law"\nabout = "a"\n'
            'effective = "2021-01-01"',
            "k.effective",
        ),
        (
            'cite = "x"\ntitle = "t"\ntitle_en = "t"\nissuer = "i"\nkind = "law"\nabout = "a"\n'
            "effective = 2021-01-01\nrepealed = 2020-01-01",
            "k.repealed",
        ),
        (
            'cite = "x"\ntitle = "t"\ntitle_en = "t"\nissuer = "i"\nkind = "law"\nabout = "a"\n'
            'status = "PROBABLY"',
            "k.status",
        ),
    ],
)
def test_a_bad_register_entry_is_an_error_naming_it(entry, where):
    with pytest.raises(RuleFileError) as err:
        parse_register(f"[law.k]\n{entry}\n")
    assert err.value.path == f"citations.toml#{where}"


def test_an_instrument_is_in_force_between_its_dates():
    old = load_register().get("public-security-2012")
    new = load_register().get("public-security-2025")
    assert old is not None and new is not None
    assert old.in_force(dt.date(2025, 12, 31)) and not old.in_force(dt.date(2026, 1, 1))
    assert not new.in_force(dt.date(2025, 12, 31)) and new.in_force(dt.date(2026, 1, 1))


# --- citations are in force on the day they are applied to ---------------------------------------

_DAY_BEFORE = PSL_2025_FROM - dt.timedelta(days=1)


def applied_on(finding: Finding, case_day: dt.date) -> dt.date:
    """The day a finding applies the law to: the conduct's own day when the finding is about
    dated conduct (a contact, a day of calls, or conduct in a stated period), else the case date."""
    day = finding.data.get("date")
    if isinstance(day, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        return dt.date.fromisoformat(day)
    for fact in finding.facts:
        values = fact.get("values", {})
        if values.get("from_2026") is False or values.get("conduct_period") == "before_2026":
            return min(case_day, _DAY_BEFORE)
    return case_day


def out_of_force(finding: Finding, on: dt.date) -> list[str]:
    register = load_register()
    problems = []
    for c in finding.citations:
        inst = register.get(c.key) if c.key else None
        if inst is not None and not inst.in_force(on):
            problems.append(f"{finding.rule} cites {inst.key} for {on}, outside its dates")
    return problems


def test_the_check_catches_a_citation_outside_its_dates():
    rs = load_ruleset_from(
        [("t.toml", _rule('{ law = "public-security-2025", article = "50" }'))], KINDS
    )
    f = Finding(
        code="X_R",
        rule="x.r",
        category="situation",
        severity="info",
        message="x",
        subject="case",
        data={"date": "2025-06-01"},
        facts=(),
        citations=rs.rules[0].citations,
    )
    assert out_of_force(f, applied_on(f, dt.date(2026, 3, 1))) != []
    assert out_of_force(f, applied_on(f, dt.date(2026, 3, 1)) + dt.timedelta(days=300)) == []


SCENARIOS = load_scenarios()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: f"{s.file}:{s.name}")
def test_no_scenario_cites_an_instrument_outside_its_dates(scenario):
    _problems, ev = run_scenario(scenario, "oracle")
    assert ev is not None
    problems = [p for f in ev.findings for p in out_of_force(f, applied_on(f, ev.analysis.as_of))]
    assert problems == []


# --- migration and dangling references -----------------------------------------------------------


def test_migration_rewrites_spelled_out_sources_and_can_be_repeated():
    old = (
        'sources = [\n  { law = "民法典", article = "670", effective = "2021-01-01", '
        'status = "VERIFIED-PRIMARY", note = "a \\"quoted\\" note" },\n'
        '  { law = "民间借贷规定", article = "29", effective = "2021-01-01" },\n]\n'
    )
    new = migrate_text(old, load_register())
    assert new == (
        'sources = [\n  { law = "civil-code", article = "670", note = "a \\"quoted\\" note" },\n'
        '  { law = "spc-private-lending", article = "29" },\n]\n'
    )
    assert migrate_text(new, load_register()) == new


def test_migration_refuses_a_source_that_disagrees_with_the_register():
    with pytest.raises(RuleFileError, match="effective"):
        migrate_text('{ law = "民法典", effective = "2020-01-01" }', load_register())


def test_nothing_points_to_the_research_notes_instead_of_docs_legal_basis():
    pattern = re.compile(r"legal\.md|legal notes")
    offenders = []
    for folder, globs in (
        ("negotiator", ("**/*.py", "**/*.toml")),
        ("rules", ("**/*.toml",)),
        ("templates", ("**/*.j2", "**/*.toml")),
        ("docs", ("*.md",)),
        ("tests", ("**/*.py",)),
    ):
        for g in globs:
            for path in sorted((ROOT / folder).glob(g)):
                if path.name == "test_citations.py":
                    continue
                text = path.read_text(encoding="utf-8")
                for n, line in enumerate(text.splitlines(), 1):
                    if pattern.search(line.replace("legal-basis.md", "")):
                        offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert offenders == [], "point these to docs/legal-basis.md:\n" + "\n".join(offenders)
