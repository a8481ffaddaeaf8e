"""Invariants of the ledger as the plan, the report, the action plan and the letters use it.

* a plan never proposes more in total than the lawful balance, and its offer adds up;
* a signed agreement never yields a new instalment proposal;
* the plan, the JSON, the action plan and the letters show the same figures as the ledger
  (the numbers are extracted from each output and compared);
* an estimated figure never appears in a letter without its estimate wording;
* a one-year 一次还本付息 loan at r costs 单利 r (PBoC per-period method).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiator.analysis.loans import analyse_loan
from negotiator.api import advise, evaluate
from negotiator.case.load import load_case
from negotiator.case.models import LenderType, Loan, Rate, RateUnit, RepaymentMethod
from negotiator.documents.letters import render_letter
from negotiator.money import format_amount

D = Decimal
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
AS_OF = dt.date(2026, 11, 20)

loans_st = st.fixed_dictionaries(
    {
        "lender_type": st.sampled_from(["private", "bank", "consumer_finance", "microloan"]),
        "principal": st.integers(1_000, 60_000),
        "received_pct": st.integers(80, 100),
        "repaid": st.integers(0, 30_000),
        "claim_pct": st.integers(60, 200),
        "days": st.integers(60, 900),
        "overdue": st.integers(0, 300),
    }
)


def _loan(i: int, x: dict[str, Any]) -> dict[str, Any]:
    principal = D(x["principal"])
    return {
        "id": f"L{i + 1}",
        "lender_name": f"机构{i + 1}",
        "lender_type": x["lender_type"],
        "principal": str(principal),
        "received": str((principal * x["received_pct"] / 100).quantize(D("0.01"))),
        "contract_date": (AS_OF - dt.timedelta(days=x["days"])).isoformat(),
        "rate": {"value": "0.24", "unit": "annual"},
        "repaid": str(x["repaid"]),
        "outstanding": str((principal * x["claim_pct"] / 100).quantize(D("0.01"))),
        "overdue_since": (AS_OF - dt.timedelta(days=min(x["overdue"], x["days"] - 1))).isoformat(),
    }


def _case(loans: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    return {
        "as_of": AS_OF.isoformat(),
        "borrower": {"monthly_income": "9000", "essential_expenses": "4000", "savings": "0"},
        "loans": [_loan(i, x) for i, x in enumerate(loans)],
        **more,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(loans_st, min_size=1, max_size=3))
def test_a_plan_never_proposes_more_than_the_lawful_balance(loans: list[dict[str, Any]]) -> None:
    analysis = evaluate(load_case(_case(loans))).analysis
    ledgers = {la.id: la.ledger for la in analysis.loans}
    for o in analysis.plan.offers:
        led = ledgers[o.loan_id]
        assert led is not None
        lawful = led.lawful.total.amount
        if lawful is not None:
            assert o.proposal_total <= lawful
        assert o.proposal_total <= o.owed
        if o.offer is not None:
            assert o.offer.total == o.proposal_total
            assert o.offer.monthly * (o.offer.count - 1) + o.offer.last == o.proposal_total
            assert o.offer.monthly == o.offer.monthly.to_integral_value()
    # the split never gives out more than the budget
    assert sum(o.share.monthly for o in analysis.plan.offers) <= analysis.budget.affordable_monthly


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(loans_st, min_size=1, max_size=3), st.integers(500, 5_000), st.integers(1, 12))
def test_a_signed_agreement_never_yields_a_new_proposal(
    loans: list[dict[str, Any]], amount: int, n: int
) -> None:
    agreement = {
        "form": "paper",
        "loan": "L1",
        "borrower_signed": True,
        "lender_signed": True,
        "total": str(amount * n),
        "instalments": [
            {"due": (AS_OF + dt.timedelta(days=30 * (k + 1))).isoformat(), "amount": str(amount)}
            for k in range(n)
        ],
    }
    case = load_case(_case(loans, agreement=agreement))
    report = advise(case)
    offer = next(o for o in evaluate(case).analysis.plan.offers if o.loan_id == "L1")
    assert offer.mode == "keep" and offer.offer is None and offer.share.monthly == 0
    codes = {(f.code, f.subject) for f in report.findings}
    assert ("STRATEGY_INSTALMENTS", "L1") not in codes
    assert ("STRATEGY_WAIVER", "L1") not in codes
    assert ("STRATEGY_KEEP_AGREEMENT", "L1") in codes


def _amounts(text: str) -> list[Decimal]:
    return [D(m.replace(",", "")) for m in re.findall(r"\d[\d,]*\.\d\d", text)]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_plan_json_action_plan_and_letters_show_the_ledger_figures(path: Path) -> None:
    case = load_case(path)
    ev = evaluate(case)
    analysis = ev.analysis
    report = advise(case)
    data = report.to_json()
    data = json.loads(data) if isinstance(data, str | bytes) else data
    figures = data["figures"]
    led_json = {x["id"]: x["ledger"] for x in figures["loans"]}
    plan_text = render_letter("action_plan", case)
    assert isinstance(plan_text, str)
    for la in analysis.loans:
        led = la.ledger
        assert led is not None
        # JSON: the ledger per loan, with provenance on every figure
        js = led_json[la.id]
        assert js["claimed"]["total"]["amount"] == str(led.claimed.total.amount)
        assert js["lawful"]["total"]["amount"] == (
            None if led.lawful.total.amount is None else str(led.lawful.total.amount)
        )
        assert la.owed == led.claimed.total.amount
    for o in analysis.plan.offers:
        js_offer = next(x for x in figures["plan"]["offers"] if x["loan"] == o.loan_id)
        assert D(str(js_offer["proposal_total"])) == o.proposal_total
        if o.offer is None:
            continue
        assert js_offer["offer"]["text"] == o.offer.text()
        # the action plan and every strategy message state the same offer
        fits = o.offer.count <= analysis.plan.capacity.instalments_max
        if o.mode == "propose" and fits and o.share.lump_sum > 0:
            # a partial lump sum first (the reserve follows the hardship), then the rest
            first, monthly = format_amount(o.share.lump_sum), format_amount(o.offer.monthly)
            lump = f"先还{first}，其余每月{monthly}"
            assert f"{lump}，共{o.share.instalments_after_lump}期" in plan_text
        elif o.mode == "propose" and fits:
            assert o.offer.text() in plan_text
        # the letter's schedule: the same monthly amount, count and last instalment
        if o.mode == "propose" and fits and case.loans[0].outstanding is not None:
            letter = render_letter("negotiation_request", case, loan=o.loan_id)
            assert isinstance(letter, str)
            rows = re.findall(r"^第(\d+)期\s+\S+\s+([\d,]+\.\d\d)", letter, re.M)
            if rows:
                amounts = [D(a.replace(",", "")) for _, a in rows]
                assert len(amounts) == o.offer.count
                assert amounts[:-1] == [o.offer.monthly] * (o.offer.count - 1)
                assert amounts[-1] == o.offer.last
                assert o.proposal_total in _amounts(letter)


def test_an_estimated_figure_never_appears_in_a_letter_without_estimate_wording() -> None:
    case = load_case(ROOT / "examples" / "negotiation_failed.toml")
    report = advise(case)
    estimated = [
        f.data["overdue_charges"]
        for f in report.findings
        if f.code == "FEE_OVERDUE_CHARGES_ABOVE_CAP" and f.data.get("penalty_estimated")
    ]
    assert estimated, "the example has an estimated penalty"
    for kind in ("complaint", "negotiation_request", "waiver_request"):
        text = render_letter(kind, case)
        assert isinstance(text, str)
        for value in estimated:
            shown = f"{D(value):,.2f}"
            for m in re.finditer(re.escape(shown), text):
                around = text[max(0, m.start() - 60) : m.end() + 12]
                assert re.search("推算|估算|约", around), (kind, around)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 3600), st.integers(1_000, 1_000_000))
def test_a_one_year_bullet_at_r_costs_r_simple(rate_bp: int, principal: int) -> None:
    r = D(rate_bp) / 10000
    loan = Loan(
        lender_name="x",
        lender_type=LenderType.BANK,
        principal=D(principal),
        rate=Rate(r, RateUnit.ANNUAL, 360),
        term_months=12,
        repayment_method=RepaymentMethod.BULLET,
        contract_date=dt.date(2025, 11, 20),
    )
    la = analyse_loan("L1", loan, AS_OF)
    assert la.price.cost is not None and la.price.cost_method == "periodic"
    # one period of a year: the IRR is the interest over the principal, to the fen's rounding
    assert abs(la.price.cost.simple - r) < D("0.00001")
    assert la.price.cost.simple == la.price.cost.compound
