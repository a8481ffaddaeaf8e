"""`negotiator.check()` / `negotiator check` on proposed agreements, end to end."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cases import monthly, settlement
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiator.analysis.counter import REQUEST_TEXTS
from negotiator.api import check, evaluate
from negotiator.calc.budget import split_total
from negotiator.cli import main
from negotiator.documents.check_report import report_text
from negotiator.errors import InputError
from negotiator.ids import ric_calc_check_digit
from negotiator.ruleset.loader import load_rules

D = Decimal
ROOT = Path(__file__).resolve().parent.parent
ID_NUMBER = "11010519491231002X"


COMPLETE: dict[str, Any] = {
    "as_of": dt.date(2026, 11, 20),
    "borrower": {
        "name": "张三",
        "monthly_income": "8000",
        "essential_expenses": "4000",
        "phone": "13800138000",
    },
    "loans": [
        {
            "id": "L1",
            "lender_name": "甲消费金融有限公司",
            "lender_type": "consumer_finance",
            "principal": "20000",
            "contract_no": "JK2024060001",
            "contract_date": dt.date(2024, 6, 1),
            "overdue_since": dt.date(2026, 6, 15),
        }
    ],
    "agreement": {
        "form": "paper",
        "loan": "L1",
        "contract_ref": "JK2024060001",
        **settlement(),
        "rate": {"value": "0.18", "unit": "annual"},
        "breach_clause": (
            "任一期逾期超过宽限期未补足的，甲方可要求一次性偿还剩余款项，已减免的款项不予恢复。"
        ),
        "cure_days": 5,
        "allocation_order": "先本金后利息",
        "credit_reporting": "按期还款报送正常，结清后报送结清",
        "repayment_account": "official_company",
        "borrower_signed": True,
        "lender_signed": True,
        "date": dt.date(2026, 11, 15),
        "borrower": {"name": "张三", "kind": "individual", "id_number": ID_NUMBER},
        "lender": {"name": "甲消费金融有限公司", "kind": "lender", "uscc": "91110000600037341L"},
    },
}
INFO_ONLY = {"AGREEMENT_LIMITATION_RESTART", "AGREEMENT_BINDING_AS_WRITTEN"}


def case(**changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(COMPLETE)
    out["agreement"].update(changes)
    return out


def serious(report: Any) -> set[str]:
    """AGREEMENT_* codes reported as a warning or a violation."""
    return {
        f.code
        for f in report.findings
        if f.code.startswith("AGREEMENT_") and f.severity in ("warning", "violation")
    }


# ---------------------------------------------------------------------------------------------
# The complete agreement and single omissions
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("evaluator", ["durable", "oracle"])
def test_complete_agreement_yields_only_the_two_notes(evaluator: str) -> None:
    report = check(COMPLETE, evaluator=evaluator)
    assert set(report.codes()) == INFO_ONLY
    assert all(f.severity == "info" for f in report.findings)
    assert not report.has_violations


def _drop(*path: str | int) -> Callable[[dict[str, Any]], None]:
    def apply(c: dict[str, Any]) -> None:
        node: Any = c["agreement"]
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return apply


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(c: dict[str, Any]) -> None:
        c["agreement"][key] = value

    return apply


#: Each required item, how to remove it, and the finding (code, severity) it must produce.
REMOVALS: dict[str, tuple[Callable[[dict[str, Any]], None], str, str]] = {
    "written form": (_set("form", "chat"), "AGREEMENT_NOT_WRITTEN", "warning"),
    "phone only": (_set("form", "phone_only"), "AGREEMENT_NOT_WRITTEN", "warning"),
    "borrower name": (_drop("borrower", "name"), "AGREEMENT_MISSING_BORROWER_NAME", "warning"),
    "borrower id": (_drop("borrower", "id_number"), "AGREEMENT_MISSING_BORROWER_ID", "warning"),
    "lender name": (_drop("lender", "name"), "AGREEMENT_MISSING_LENDER", "warning"),
    "contract ref": (_drop("contract_ref"), "AGREEMENT_MISSING_CONTRACT_REF", "warning"),
    "loan amount": (_drop("loan_amount"), "AGREEMENT_MISSING_AMOUNTS", "warning"),
    "rate": (_drop("rate"), "AGREEMENT_MISSING_AMOUNTS", "warning"),
    "repaid": (_drop("repaid"), "AGREEMENT_MISSING_AMOUNTS", "warning"),
    "remaining": (_drop("remaining"), "AGREEMENT_MISSING_AMOUNTS", "warning"),
    "total": (_drop("total"), "AGREEMENT_MISSING_AMOUNTS", "warning"),
    "schedule": (_drop("instalments"), "AGREEMENT_MISSING_SCHEDULE", "warning"),
    "an instalment's date": (
        _drop("instalments", 3, "due"),
        "AGREEMENT_MISSING_SCHEDULE",
        "warning",
    ),
    "an instalment's amount": (
        _drop("instalments", 7, "amount"),
        "AGREEMENT_MISSING_SCHEDULE",
        "warning",
    ),
    "amount waived": (_drop("waived"), "AGREEMENT_MISSING_WAIVER_TERMS", "warning"),
    "breach clause": (_drop("breach_clause"), "AGREEMENT_MISSING_BREACH_CLAUSE", "warning"),
    "lender's signature": (_set("lender_signed", False), "AGREEMENT_MISSING_SIGNATURES", "warning"),
    "borrower's signature": (
        _set("borrower_signed", False),
        "AGREEMENT_BORROWER_NOT_SIGNED",
        "info",
    ),
    "date": (_drop("date"), "AGREEMENT_MISSING_DATE", "warning"),
    "credit reporting": (
        _drop("credit_reporting"),
        "AGREEMENT_MISSING_CREDIT_REPORTING",
        "warning",
    ),
    "allocation order": (_drop("allocation_order"), "AGREEMENT_MISSING_ALLOCATION_ORDER", "advice"),
    "payment channel": (
        _set("repayment_account", "unknown"),
        "AGREEMENT_MISSING_PAYMENT_CHANNEL",
        "warning",
    ),
    "grace period": (_drop("cure_days"), "AGREEMENT_NO_CURE_PERIOD", "advice"),
}


@pytest.mark.parametrize("item", sorted(REMOVALS))
def test_removing_one_item_produces_exactly_its_finding(item: str) -> None:
    remove, code, severity = REMOVALS[item]
    c = copy.deepcopy(COMPLETE)
    remove(c)
    report = check(c, evaluator="oracle")
    matching = [f for f in report.findings if f.code == code]
    assert matching, f"{item}: no {code}"
    assert {f.severity for f in matching} == {severity}
    assert serious(report) == ({code} if severity in ("warning", "violation") else set())
    assert not report.has_violations


# Items that can be removed together (the instalment-level ones would clash with "schedule").
COMBINABLE = sorted(k for k in REMOVALS if k not in ("phone only", "schedule"))


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sets(st.sampled_from(COMBINABLE), min_size=1, max_size=6))
def test_removing_several_items_produces_exactly_their_findings(items: set[str]) -> None:
    c = copy.deepcopy(COMPLETE)
    for item in items:
        REMOVALS[item][0](c)
    report = check(c, evaluator="oracle")
    expected = {REMOVALS[i][1] for i in items if REMOVALS[i][2] in ("warning", "violation")}
    assert serious(report) == expected
    for item in items:
        if item == "grace period" and "breach clause" in items:
            continue  # a grace period is only asked for within a breach clause
        assert report.by_code(REMOVALS[item][1]), item


# ---------------------------------------------------------------------------------------------
# Affordability and the counter-proposal
# ---------------------------------------------------------------------------------------------


def test_unaffordable_plan_gets_a_counter_proposal_that_sums_and_fits() -> None:
    c = copy.deepcopy(COMPLETE)
    c["borrower"]["monthly_income"] = "5000"  # disposable 1,000, affordable 900
    report = check(c)
    finding = report.by_code("AGREEMENT_UNAFFORDABLE")[0]
    assert finding.data["shortfall"] == "100.00"
    assert finding.data["counter_months"] == 14
    figures = report.figures["agreement"]
    proposal = figures["counter_proposal"]
    assert proposal["possible"] and proposal["months"] == 14
    assert sum(r["amount"] for r in proposal["rows"]) == D("12000")
    assert all(r["amount"] <= D("900") for r in proposal["rows"])
    assert figures["shortfall"] == D("100.00")
    assert any(r["key"] == "affordable_schedule" for r in figures["requests"])


def test_no_room_means_no_invented_schedule() -> None:
    c = copy.deepcopy(COMPLETE)
    c["borrower"]["monthly_income"] = "4000"
    report = check(c)
    [finding] = report.by_code("AGREEMENT_UNAFFORDABLE")
    assert finding.rule == "agreement.unaffordable-no-plan"
    proposal = report.figures["agreement"]["counter_proposal"]
    assert proposal["possible"] is False and proposal["rows"] == []
    assert proposal["reason"] == "no_room"
    assert not any(
        r["key"] == "affordable_schedule" for r in report.figures["agreement"]["requests"]
    )


@st.composite
def budgets_and_plans(draw: st.DrawFn) -> dict[str, Any]:
    income = draw(st.integers(min_value=3000, max_value=15000))
    expenses = draw(st.integers(min_value=1000, max_value=income))
    n = draw(st.integers(min_value=1, max_value=24))
    total = D(draw(st.integers(min_value=100, max_value=40000_00))) / 100
    c = copy.deepcopy(COMPLETE)
    c["borrower"]["monthly_income"] = str(income)
    c["borrower"]["essential_expenses"] = str(expenses)
    day = draw(st.integers(min_value=1, max_value=28))
    c["agreement"].update(
        total=str(total),
        remaining=str(total + D("1500")),
        principal=str(total + D("500")),
        instalments=monthly(2026, 12, day, [str(x) for x in split_total(total, n)]),
    )
    if draw(st.booleans()):
        c["loans"].append(
            {
                "id": "L2",
                "lender_name": "乙银行股份有限公司",
                "lender_type": "bank",
                "principal": "9000",
                "schedule": monthly(2027, 2, 10, [str(draw(st.integers(100, 3000)))] * 4),
            }
        )
    return c


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(budgets_and_plans())
def test_the_counter_proposal_itself_passes_the_check(c: dict[str, Any]) -> None:
    report = check(c, evaluator="oracle")
    proposal = report.figures["agreement"]["counter_proposal"]
    if not report.by_code("AGREEMENT_UNAFFORDABLE"):
        assert proposal is None
        return
    assert proposal is not None
    if not proposal["possible"]:
        assert proposal["rows"] == []
        return
    rows = proposal["rows"]
    assert sum(r["amount"] for r in rows) == D(c["agreement"]["total"])
    c["agreement"]["instalments"] = [{"due": r["due"], "amount": str(r["amount"])} for r in rows]
    again = check(c, evaluator="oracle")
    assert not again.by_code("AGREEMENT_UNAFFORDABLE")
    assert not again.by_code("AGREEMENT_SCHEDULE_SUM_MISMATCH")
    assert not again.by_code("AGREEMENT_SCHEDULE_DATES_INVALID")


# ---------------------------------------------------------------------------------------------
# Red flags, consistency, output
# ---------------------------------------------------------------------------------------------


def test_personal_account_is_a_violation_and_the_cli_exits_1(tmp_path: Path, capsys: Any) -> None:
    c = case(repayment_account="personal", account_holder="李某")
    report = check(c)
    assert report.has_violations
    [flag] = report.by_code("SCAM_PERSONAL_ACCOUNT")
    assert flag.severity == "violation" and flag.data["account_holder"] == "李某"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(c, default=str, ensure_ascii=False), encoding="utf-8")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "要求还到个人账户" in out and "违法或无效" in out
    assert "SCAM_PERSONAL_ACCOUNT" not in out  # titles, never codes, in what a person reads
    ok = tmp_path / "ok.json"
    ok.write_text(json.dumps(COMPLETE, default=str, ensure_ascii=False), encoding="utf-8")
    assert main(["check", str(ok), "--lang", "en"]) == 0
    assert "A signed agreement binds as written" in capsys.readouterr().out


def test_rate_written_for_the_plan_is_checked_against_its_schedule() -> None:
    report = check(case(plan_rate={"value": "0.12", "unit": "annual"}))
    [finding] = report.by_code("AGREEMENT_RATE_MISMATCH")
    assert finding.data["stated_rate"] == "0.12"
    assert D(finding.data["implied_rate"]) == 0
    assert report.figures["agreement"]["rate"]["mismatch"] is True


def test_report_never_contains_personal_identifiers() -> None:
    for c in (COMPLETE, case(borrower={"name": "张三", "id_number": "110105194912310021"})):
        report = check(c)
        text = json.dumps(report.to_json(), ensure_ascii=False) + report_text(report)
        assert "110105194912310021" not in text and ID_NUMBER not in text
        assert "13800138000" not in text


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_every_finding_renders_in_every_language(lang: str) -> None:
    c = case(
        form="chat",
        repayment_account="personal",
        deposit_required="300",
        verification_code_requested=True,
        intermediary="某某债务优化",
        third_party_contact_consent=True,
        excludes_borrower_rights=True,
        plan_rate={"value": "0.2", "unit": "annual"},
        waived="20000",
    )
    del c["agreement"]["contract_ref"]
    c["borrower"]["monthly_income"] = "4500"
    report = check(c, lang=lang)
    assert len(report.findings) >= 10
    for f in report.findings:
        assert "{" not in f.message and "}" not in f.message, f.rule
        assert f.citations


def test_agreement_must_name_its_loan_when_there_are_several() -> None:
    c = copy.deepcopy(COMPLETE)
    c["loans"].append(
        {"id": "L2", "lender_name": "乙银行", "lender_type": "bank", "principal": "1"}
    )
    del c["agreement"]["loan"]
    with pytest.raises(InputError) as err:
        check(c)
    assert err.value.path == "agreement.loan"
    c["agreement"]["loan"] = "L9"
    with pytest.raises(InputError):
        check(c)


def test_check_without_an_agreement_is_refused_but_advice_still_works() -> None:
    c = copy.deepcopy(COMPLETE)
    del c["agreement"]
    with pytest.raises(InputError):
        check(c)
    ev = evaluate(c, evaluator="oracle")
    assert ev.analysis.agreement is None
    assert not [f for f in ev.findings if f.code.startswith("AGREEMENT_")]


def test_figures_expose_what_a_letter_needs() -> None:
    c = case(repayment_account="unknown", lender_signed=False)
    del c["agreement"]["credit_reporting"]
    figures = check(c).figures["agreement"]
    for key in (
        "loan",
        "written",
        "missing",
        "requests",
        "schedule",
        "balance",
        "rate",
        "affordability",
        "shortfall",
        "counter_proposal",
        "limitation",
        "allocation_default",
    ):
        assert key in figures
    keys = [r["key"] for r in figures["requests"]]
    assert keys == ["lender_signature", "credit_reporting", "payment_channel"]
    assert all(set(r) == {"key", "zh-Hans", "en", "figures"} for r in figures["requests"])
    assert set(keys) <= set(REQUEST_TEXTS)
    assert figures["missing"] == ["lender_signature", "credit_reporting", "payment_channel"]


def test_every_agreement_and_scam_rule_cites_a_source_and_uses_a_promised_or_added_code() -> None:
    promised = set((ROOT / "docs" / "promised-codes.txt").read_text(encoding="utf-8").split())
    added = {
        "AGREEMENT_BORROWER_ID_AREA_UNKNOWN",
        "AGREEMENT_MISSING_CONTRACT_REF",
        "AGREEMENT_MISSING_DATE",
        "AGREEMENT_MISSING_PAYMENT_CHANNEL",
        "AGREEMENT_NO_CURE_PERIOD",
        "AGREEMENT_SCHEDULE_AMOUNT_INVALID",
        "AGREEMENT_RATE_MISMATCH",
        "AGREEMENT_AFFORDABILITY_UNCHECKED",
        "AGREEMENT_UNFAIR_STANDARD_TERMS",
        "AGREEMENT_THIRD_PARTY_CONSENT",
        # checked against the loan's ledger (docs/ledger.md)
        "AGREEMENT_TOTAL_ABOVE_CLAIMED",
        "AGREEMENT_TOTAL_ABOVE_LAWFUL",
        "AGREEMENT_WAIVER_CLAWBACK",
        "AGREEMENT_BORROWER_NOT_SIGNED",
        "AGREEMENT_PRIVATE_LENDER_ACCOUNT",
        # lenders' usual minimum instalment and maximum term (seed 004 §还款计划)
        "AGREEMENT_BELOW_USUAL_MINIMUM",
        "AGREEMENT_BEYOND_USUAL_TERM",
    }
    mine = [r for r in load_rules().rules if r.file in ("agreement.toml", "scam.toml")]
    assert mine
    used = {r.code for r in mine}
    assert used <= promised | added
    wanted = {c for c in promised if c.startswith(("AGREEMENT_", "SCAM_"))}
    assert wanted <= used
    for rule in mine:
        assert rule.citations, rule.id


# ---------------------------------------------------------------------------------------------
# The worked example in docs/agreement-check.md is what the CLI prints today
# ---------------------------------------------------------------------------------------------

DOC = ROOT / "docs" / "agreement-check.md"


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


def test_worked_example_in_the_docs_is_current(tmp_path: Path, capsys: Any) -> None:
    text = DOC.read_text(encoding="utf-8")
    [case_toml] = _blocks(text, "toml")
    path = tmp_path / "example.toml"
    path.write_text(case_toml, encoding="utf-8")
    code = main(["check", str(path)])
    out = capsys.readouterr().out
    report_block = _blocks(text, "text")[0]

    def lines(s: str) -> list[str]:
        return [ln.rstrip() for ln in s.strip().splitlines()]

    assert lines(report_block) == lines(out)
    assert f"exit status {code}" in text
    assert main(["check", str(path), "--json"]) == code
    data = json.loads(capsys.readouterr().out)
    proposal = data["figures"]["agreement"]["counter_proposal"]
    [json_block] = [b for b in _blocks(text, "json") if '"rows"' in b]
    assert json.loads(json_block)["rows"] == proposal["rows"]


def test_generated_identity_numbers_in_agreements_are_accepted() -> None:
    body = "44030519870615321"
    report = check(case(borrower={"name": "张三", "id_number": body + ric_calc_check_digit(body)}))
    assert set(report.codes()) == INFO_ONLY


def _corpus_module() -> Any:
    """bench/corpus.py: the generator of typical cases the benchmarks use."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("evaluator", ["durable", "oracle"])
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), lang=st.sampled_from(["zh-Hans", "en"]))
def test_check_reports_exactly_the_advice_findings_of_its_categories(seed, lang, evaluator):
    # check() evaluates only the rules it needs (check_rules); what it reports must be what the
    # whole rule set reports in those categories, overrides from other categories included.
    import random

    from negotiator.api import CHECK_CATEGORIES, advise

    case = _corpus_module().make_case(random.Random(seed))
    advised = advise(case, lang=lang, evaluator=evaluator)
    checked = check(case, lang=lang, evaluator=evaluator)
    expected = [f.to_json() for f in advised.findings if f.category in CHECK_CATEGORIES]
    assert [f.to_json() for f in checked.findings] == expected
    assert checked.figures == advised.figures


def test_check_rules_keep_every_check_rule_and_the_rules_overriding_them():
    from negotiator.api import CHECK_CATEGORIES, check_rules

    rules = load_rules()
    subset = check_rules(rules)
    ids = {r.id for r in subset.rules}
    assert {r.id for r in rules.rules if r.category in CHECK_CATEGORIES} <= ids
    outside = [r for r in subset.rules if r.category not in CHECK_CATEGORIES]
    assert all(ids.intersection(r.overrides) for r in outside)
    assert len(subset.rules) < len(rules.rules)
