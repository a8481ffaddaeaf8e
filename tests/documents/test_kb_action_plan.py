"""The personal action plan: every language and format renders, completely and safely."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from kb_cases import cases

from negotiator.api import advise
from negotiator.case.load import load_case
from negotiator.case.models import Case
from negotiator.documents.action_plan import FORMATS, render_action_plan, texts
from negotiator.errors import InputError

LANGS = ("zh-Hans", "zh-Hant", "en")

RICH = {
    "as_of": dt.date(2026, 11, 20),
    "lawsuit": "none",
    "borrower": {
        "monthly_income": "6000",
        "essential_expenses": "3500",
        "other_debt_payments": "0",
        "savings": "20000",
        "income_stability": "stable",
        "documents": ["loan_contract"],
        "hardships": [
            {
                "kind": "illness",
                "expected_end": dt.date(2027, 2, 1),
                "evidence": ["medical_records"],
            }
        ],
    },
    "loans": [
        {
            "lender_name": "甲消费金融有限公司",
            "lender_type": "consumer_finance",
            "principal": "20000",
            "outstanding": "21000",
            "penalty_rate": {"value": "0.0005", "unit": "daily"},
            "penalty_interest": "600",
            "late_fees": "300",
            "overdue_since": dt.date(2026, 10, 1),
        },
        {
            "lender_name": "<b>乙</b>小贷|*Ltd*",
            "lender_type": "microloan",
            "principal": "8000",
            "outstanding": "8600",
            "penalty_rate": {"value": "0.001", "unit": "daily"},
            "overdue_since": dt.date(2026, 8, 1),
            "collection_contacts": [
                {"at": "2026-10-20T23:30", "channel": "phone", "target": "relative"}
            ],
        },
    ],
}


def _render_all(case: Case) -> dict[tuple[str, str], str]:
    out = {}
    for lang in LANGS:
        report = advise(case, lang=lang, evaluator="oracle")
        for fmt in FORMATS:
            out[(lang, fmt)] = render_action_plan(case, report, fmt=fmt)
    return out


def _assert_clean(text: str) -> None:
    assert text.strip()
    assert "None" not in text
    assert "{{" not in text and "{%" not in text and "{#" not in text
    # no unfilled message placeholder such as {monthly}
    assert not re.search(r"\{[a-z_]+\}", text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_the_plan_renders_for_any_case_in_every_language_and_format(case):
    for (_lang, fmt), text in _render_all(case).items():
        _assert_clean(text)
        if fmt == "html":
            assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")


def test_every_section_is_present_in_every_language_and_format():
    case = load_case(RICH)
    for (lang, fmt), text in _render_all(case).items():
        t = texts()["en" if lang == "en" else "zh-Hans"]
        if lang == "zh-Hant":
            from negotiator.i18n import to_traditional

            t = {k: to_traditional(v) if isinstance(v, str) else v for k, v in t.items()}
        for key in (
            "h_situation",
            "h_budget",
            "h_checklist",
            "h_strategies",
            "h_offers",
            "h_consequences",
            "h_other",
            "h_next",
            "h_after",
            "h_notice",
        ):
            assert t[key] in text, (lang, fmt, key)


def test_the_plan_carries_the_numbers_of_the_case():
    case = load_case(RICH)
    text = render_action_plan(case, advise(case, evaluator="oracle"))
    # 6000 − 3500 = 2500, 10 % kept back → 2,250.00 a month
    assert "2,250.00元" in text
    # the illness ends 2027-02-01, two whole months away, and the income covers the essentials:
    # reserve = max(2 × 3500, 30 % × 20000) = 7,000; 13,000 can be paid now
    assert "建议保留的应急钱（2个月必要开支）" in text
    assert "7,000.00元" in text and "13,000.00元" in text
    assert "2027年2月1日" in text  # the note says why the reserve is shorter
    # every checklist item is there with its status, and what is missing is named
    assert text.count("[✓]") + text.count("[ ]") == 8
    assert "医疗费用票据" in text
    # the disclaimer and the warning against paid agents
    assert "不构成法律意见" in text and "债务优化" in text


def test_an_open_ended_hardship_keeps_three_months_in_reserve():
    hardship = {"kind": "illness", "evidence": ["medical_records"]}
    case = load_case(RICH | {"borrower": RICH["borrower"] | {"hardships": [hardship]}})
    text = render_action_plan(case, advise(case, evaluator="oracle"))
    # reserve = max(3 × 3500, 30 % × 20000) = 10,500; 9,500 can be paid now
    assert "建议保留的应急钱（3个月必要开支）" in text
    assert "10,500.00元" in text and "9,500.00元" in text


def test_next_steps_start_with_the_court_when_a_lawsuit_is_filed():
    case = load_case(RICH | {"lawsuit": "filed"})
    text = render_action_plan(case, advise(case, lang="en", evaluator="oracle"))
    steps = text.split(texts()["en"]["h_next"])[1]
    first = steps.strip().splitlines()[1]
    assert first.startswith("1. Deal with the lawsuit first")


def test_strategies_are_listed_in_rank_order():
    case = load_case(RICH)
    report = advise(case, lang="en", evaluator="oracle")
    ranked = sorted(
        (f for f in report.findings if f.category == "strategy"),
        key=lambda f: (f.rank, int(f.data.get("cost_rank") or 0), f.subject, f.rule),
    )
    text = render_action_plan(case, report, fmt="markdown")
    # a per-lender method is shown once, where its first-ranked lender's finding would be
    asks = texts()["en"]["asks"]
    titles = list(
        dict.fromkeys(asks[f.code]["title"] if f.code in asks else f.title for f in ranked)
    )
    positions = [text.index(f"**{title}** — ") for title in titles]
    assert positions == sorted(positions)
    for title in titles:
        assert text.count(f"**{title}** — ") == 1


def test_html_escapes_values_from_the_case():
    case = load_case(RICH)
    html = render_action_plan(case, advise(case, evaluator="oracle"), fmt="html")
    assert "<b>乙</b>" not in html
    assert "&lt;b&gt;乙&lt;/b&gt;" in html
    assert "@page { size: A4" in html


def test_markdown_escapes_values_from_the_case():
    case = load_case(RICH)
    md = render_action_plan(case, advise(case, evaluator="oracle"), fmt="markdown")
    # a lender name cannot break the table or turn into emphasis
    assert r"\<b\>乙\</b\>小贷\|\*Ltd\*" in md
    # the plan's own headings are not mangled by escaping
    assert "\n## 一、您的处境\n" in md


def test_traditional_chinese_is_converted_and_english_is_english():
    case = load_case(RICH)
    hant = render_action_plan(case, advise(case, lang="zh-Hant", evaluator="oracle"))
    assert "協商還款行動計劃" in hant and "协商还款行动计划" not in hant
    en = render_action_plan(case, advise(case, lang="en", evaluator="oracle"))
    assert "Your repayment negotiation plan" in en
    assert "CNY 2,250.00" in en


def test_other_findings_are_grouped_by_severity():
    case = load_case(RICH)
    text = render_action_plan(case, advise(case, lang="en", evaluator="oracle"))
    other = text.split(texts()["en"]["h_other"])[1].split(texts()["en"]["h_next"])[0]
    labels = [v for v in texts()["en"]["severity"].values() if f"[{v}]" in other]
    order = list(texts()["en"]["severity"].values())
    assert labels == [v for v in order if v in labels]
    assert labels, "the 23:30 call to a relative should be reported"


def test_an_unknown_format_is_an_input_error():
    case = load_case(RICH)
    with pytest.raises(InputError):
        render_action_plan(case, advise(case, evaluator="oracle"), fmt="pdf")


def test_unknown_budget_figures_are_said_to_be_unknown():
    data = RICH | {"borrower": {"monthly_income": "6000", "essential_expenses": "3500"}}
    case = load_case(data)
    text = render_action_plan(case, advise(case, lang="en", evaluator="oracle"))
    budget = text.split(texts()["en"]["h_budget"])[1].split(texts()["en"]["h_checklist"])[0]
    assert "Other debt payments" in budget and "unknown" in budget
    assert "CNY 2,250.00" in budget
