"""复利 charged with no amount stated: unknown in the ledger (never 0), "at least" in the cap
comparison, and no amount for it in any letter."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from negotiator.api import advise, evaluate
from negotiator.calc.ledger import COMPOUND_NOT_STATED, Bound, Provenance
from negotiator.case.load import load_case
from negotiator.documents.letters import render_letter

D = Decimal


def _case(compound: bool, **loan: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "lender_name": "某某网络小额贷款有限公司",
        "lender_type": "microloan",
        "principal": "30000",
        "received": "30000",
        "contract_date": "2025-11-10",
        "rate": {"value": "0.18", "unit": "annual", "basis": 360},
        "term_months": 12,
        "repayment_method": "equal_instalment",
        "instalments_paid": 6,
        "overdue_since": "2026-05-10",
        "penalty_rate": {"value": "0.0008", "unit": "daily"},
        "penalty_interest": "4656",
        "late_fees": "0",
        "compound_interest": compound,
    }
    base.update(loan)
    return {
        "as_of": "2026-11-20",
        "borrower": {
            "name": "王丽",
            "monthly_income": "6500",
            "essential_expenses": "4200",
            "savings": "0",
        },
        "loans": [base],
    }


@pytest.mark.parametrize("statement", [False, True])
def test_the_ledger_shows_compound_as_unknown_never_zero(statement: bool) -> None:
    extra = {"outstanding": "26000"} if statement else {}
    led = evaluate(load_case(_case(True, **extra))).analysis.loans[0].ledger
    assert led is not None
    comp = led.claimed.compound
    assert comp.amount is None
    assert comp.provenance is Provenance.UNKNOWN
    assert comp.basis == COMPOUND_NOT_STATED
    js = led.to_json()["claimed"]["compound"]
    assert js == {
        "amount": None,
        "provenance": "unknown",
        "basis": COMPOUND_NOT_STATED,
        "bound": None,
    }
    if not statement:
        # the total leaves the compound interest out: it is a lower bound, and so is the excess
        assert led.claimed.total.bound is Bound.AT_LEAST
        assert led.excess.bound is Bound.AT_LEAST


def test_without_compounding_the_component_is_a_derived_zero() -> None:
    led = evaluate(load_case(_case(False))).analysis.loans[0].ledger
    assert led is not None
    assert led.claimed.compound.amount == 0
    assert led.claimed.compound.provenance is Provenance.DERIVED
    assert led.claimed.total.bound is None


def _overdue_finding(compound: bool) -> Any:
    report = advise(load_case(_case(compound)))
    return next(f for f in report.findings if f.code == "FEE_OVERDUE_CHARGES_ABOVE_CAP")


def test_the_cap_comparison_says_at_least_when_compound_is_unknown() -> None:
    with_c = _overdue_finding(True)
    without = _overdue_finding(False)
    assert with_c.data["compound_unknown"] is True
    assert "至少" in with_c.message and "复利" in with_c.message
    assert without.data["compound_unknown"] is False
    assert "至少" not in without.message
    # the known part is the same figure either way: only the wording changes
    assert with_c.data["overdue_excess"] == without.data["overdue_excess"]
    en = advise(load_case(_case(True)), lang="en")
    msg = next(f for f in en.findings if f.code == "FEE_OVERDUE_CHARGES_ABOVE_CAP").message
    assert "at least" in msg


@pytest.mark.parametrize("kind", ["negotiation_request", "complaint", "waiver_request"])
@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_letters_state_no_amount_for_compound_interest(kind: str, lang: str) -> None:
    case = load_case(_case(True))
    report = advise(case)
    compound = next(f for f in report.findings if f.code == "FEE_COMPOUNDING")
    charged = D(compound.data["compound_charged"])
    excess = D(compound.data["compound_excess"])
    text = render_letter(kind, case, lang=lang)
    assert isinstance(text, str)
    assert ("复利" in text) or ("compound interest" in text)
    for amount in (charged, excess):
        assert f"{amount:,.2f}" not in text, (kind, amount)
    overdue = next(f for f in report.findings if f.code == "FEE_OVERDUE_CHARGES_ABOVE_CAP")
    shown = f"{D(overdue.data['overdue_excess']):,.2f}"
    for m in re.finditer(re.escape(shown), text):
        around = text[max(0, m.start() - 30) : m.end()]
        assert re.search("至少|at least|约|about", around), around


def test_the_documented_compound_example_is_current() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "ledger.md").read_text(encoding="utf-8")
    m = re.search(
        r"### Plan example `compound_unknown`.*?```toml\n(.*?)```(.*?)(?=\n## |\Z)", doc, re.S
    )
    assert m
    table = dict(re.findall(r"^\| (\w+) \| ([^|]+?) \| (?:\w+) \|", m.group(2), re.M))
    led = evaluate(load_case(m.group(1))).analysis.loans[0].ledger
    assert led is not None
    comps = led.claimed.components()
    for name in ("principal", "interest", "penalty", "damages"):
        assert table[name] == str(comps[name].amount), name
    assert table["compound"] == "—" and comps["compound"].amount is None
    assert table["total"] == f"{led.claimed.total.amount} (at least)"
    assert table["lawful"] == f"{led.lawful.total.amount} (at most)"
    assert table["excess"] == f"{led.excess.amount} (at least)"
    # recomputed: the total is the sum of the known components, the excess total − lawful
    known = sum((f.amount for f in comps.values() if f.amount is not None), D(0))
    assert led.claimed.total.amount == known
    assert led.excess.amount == led.claimed.total.amount - (led.lawful.total.amount or D(0))
