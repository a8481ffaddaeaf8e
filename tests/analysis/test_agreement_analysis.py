"""The agreement analysis: identities, implied rate, affordability month by month, limitation."""

from __future__ import annotations

import copy
import datetime as dt
import doctest
from decimal import Decimal
from typing import Any

import pytest
from cases import monthly, settlement
from hypothesis import given
from hypothesis import strategies as st

from negotiator.analysis import agreement as agreement_module
from negotiator.analysis import analyse
from negotiator.analysis.agreement import RATE_TOLERANCE, AgreementAnalysis, implied_plan_rate
from negotiator.analysis.figures import as_figures
from negotiator.calc.cost import amortisation_schedule
from negotiator.calc.dates import monthly_dates
from negotiator.case.load import load_case

D = Decimal


BASE: dict[str, Any] = {
    "as_of": dt.date(2026, 11, 20),
    "borrower": {"monthly_income": "8000", "essential_expenses": "4000"},
    "loans": [
        {
            "id": "L1",
            "lender_name": "甲消费金融有限公司",
            "lender_type": "consumer_finance",
            "principal": "20000",
            "overdue_since": dt.date(2026, 6, 15),
        }
    ],
    "agreement": {"form": "paper", **settlement(), "date": dt.date(2026, 11, 15)},
}


def run(**changes: Any) -> AgreementAnalysis:
    c = copy.deepcopy(BASE)
    for key, value in changes.items():
        if key in ("borrower", "loans", "history", "as_of"):
            c[key] = value
        elif value is None:
            c["agreement"].pop(key, None)
        else:
            c["agreement"][key] = value
    result = analyse(load_case(c)).agreement
    assert result is not None
    return result


def test_doctests() -> None:
    result = doctest.testmod(agreement_module)
    assert result.attempted > 0 and result.failed == 0


def test_reference_agreement_is_consistent() -> None:
    x = run()
    assert x.balance.settled_balance == D("12000") and x.balance.plan_payments == D("12000")
    assert x.balance.plan_shortfall is None and not x.balance.breakdown_mismatch
    assert not x.balance.principal_unaccounted and not x.balance.principal_above_loan
    assert x.schedule.difference == 0 and x.rate.implied == 0 and not x.rate.mismatch
    assert x.affordability is not None and not x.affordability.unaffordable
    assert x.missing == (
        "borrower_name",
        "borrower_id",
        "lender_name",
        "contract_ref",
        "rate",
        "breach_clause",
        "lender_signature",
        "borrower_signature",
        "credit_reporting",
        "allocation_order",
        "payment_channel",
    )


def test_no_waiver_discussed_counts_as_zero_waived() -> None:
    x = run(
        waiver_negotiated=False,
        waived=None,
        total="13500",
        instalments=monthly(2026, 12, 15, ["1125"] * 12),
    )
    assert x.balance.waived == 0 and x.balance.settled_balance == D("13500")
    assert x.balance.plan_shortfall is None


def test_waiver_negotiated_but_unwritten_skips_the_balance_and_rate_checks() -> None:
    x = run(waived=None)
    assert x.balance.waived is None and x.balance.settled_balance is None
    assert x.balance.plan_shortfall is None and x.rate.implied is None


def test_plan_short_of_the_balance() -> None:
    x = run(total="11000", instalments=monthly(2026, 12, 15, ["1000"] * 11))
    assert x.balance.plan_shortfall == D("1000") and x.rate.implied is None


def test_total_missing_falls_back_to_the_instalments() -> None:
    x = run(total=None)
    assert x.balance.plan_payments == D("12000") and x.balance.plan_shortfall is None
    assert x.missing_amounts == ("rate", "total")


@pytest.mark.parametrize(
    ("parts", "mismatch"),
    [
        ({"interest": "1200"}, True),  # complete, sums to 13,700
        ({"interest": None, "penalty": None, "fees": None}, False),  # partial, 12,000 ≤ 13,500
        ({"interest": None, "penalty": None, "fees": None, "principal": "14000"}, True),
        ({"principal": None, "interest": None, "penalty": None, "fees": None}, False),
    ],
)
def test_breakdown_identity(parts: dict[str, Any], mismatch: bool) -> None:
    assert run(**parts).balance.breakdown_mismatch is mismatch


def test_principal_floor_uses_the_money_actually_received() -> None:
    assert run(repaid="5000").balance.principal_unaccounted  # 20,000 − 5,000 > 12,000
    loans = copy.deepcopy(BASE["loans"])
    loans[0]["received"] = "17000"
    x = run(repaid="5000", loans=loans)
    assert x.balance.principal_base == D("17000") and x.balance.principal_floor == D("12000")
    assert not x.balance.principal_unaccounted


def test_schedule_date_problems_are_numbered() -> None:
    inst = monthly(2026, 12, 15, ["1000"] * 6)
    inst[2]["due"] = dt.date(2027, 1, 15)
    inst[4]["due"] = dt.date(2026, 11, 1)
    inst[5]["amount"] = "0"
    x = run(instalments=inst, total="5000")
    assert x.schedule.out_of_order == (5,)  # a repeated date is not "out of order"
    assert x.schedule.duplicate_dates == (dt.date(2027, 1, 15),)
    assert x.schedule.before_agreement == (5,)
    assert x.schedule.zero_amounts == (6,)


rates = st.integers(min_value=0, max_value=600).map(lambda n: D(n) / 1000)  # 0 – 60 %


@given(
    rates,
    st.integers(min_value=1, max_value=60),
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 28)).filter(
        lambda d: d.day <= 28
    ),
    st.integers(min_value=1000, max_value=500_000),
)
def test_implied_rate_of_a_level_plan_is_its_rate(
    rate: Decimal, n: int, start: dt.date, principal: int
) -> None:
    rows = amortisation_schedule(D(principal), rate, n)
    dates = monthly_dates(start, n + 1)[1:]
    implied = implied_plan_rate(
        start, D(principal), list(zip(dates, [r.payment for r in rows], strict=True))
    )
    assert implied is not None
    # Only fen rounding separates them: far inside the tolerance.
    assert abs(implied - rate) < RATE_TOLERANCE / 10


@given(
    rates,
    st.integers(min_value=1, max_value=60),
    st.lists(st.integers(min_value=-7, max_value=7), min_size=60, max_size=60),
)
def test_due_dates_a_few_days_off_the_anniversary_count_as_on_it(
    rate: Decimal, n: int, shifts: list[int]
) -> None:
    start = dt.date(2026, 3, 10)
    rows = amortisation_schedule(D("10000"), rate, n)
    payments = [r.payment for r in rows]
    regular = monthly_dates(start, n + 1)[1:]
    drifted = [d + dt.timedelta(days=k) for d, k in zip(regular, shifts, strict=False)]
    exact = implied_plan_rate(start, D("10000"), list(zip(regular, payments, strict=True)))
    assert implied_plan_rate(start, D("10000"), list(zip(drifted, payments, strict=True))) == exact


def test_irregular_dates_are_solved_on_actual_days() -> None:
    start = dt.date(2026, 3, 10)
    # one payment 100 days later (not near a monthly anniversary) at 20 % simple interest
    due = start + dt.timedelta(days=100)
    amount = (D("10000") * (1 + D("0.20") * 100 / 365)).quantize(D("0.01"))
    implied = implied_plan_rate(start, D("10000"), [(due, amount)])
    assert implied is not None and abs(implied - D("0.20")) <= RATE_TOLERANCE


def test_implied_rate_nets_payments_on_the_agreement_date() -> None:
    start = dt.date(2026, 1, 15)
    plan = [
        (start, D("2000")),
        (dt.date(2026, 2, 15), D("4000")),
        (dt.date(2026, 3, 15), D("4000")),
    ]
    assert implied_plan_rate(start, D("10000"), plan) == 0
    assert implied_plan_rate(start, D("2000"), plan[:1]) is None
    assert implied_plan_rate(start, D("10000"), [(dt.date(2026, 1, 1), D("10000"))]) is None


def test_months_sum_instalments_and_subtract_other_lenders() -> None:
    loans = [
        *copy.deepcopy(BASE["loans"]),
        {
            "id": "L2",
            "lender_name": "乙银行",
            "lender_type": "bank",
            "principal": "5000",
            "schedule": [
                {"due": dt.date(2026, 10, 10), "amount": "3000"},  # already past: not counted
                {"due": dt.date(2027, 1, 10), "amount": "3000", "paid": "3000"},  # paid
                {"due": dt.date(2027, 2, 10), "amount": "3000", "paid": "1000"},  # 2,000 unpaid
            ],
        },
    ]
    inst = monthly(2026, 12, 15, ["1000"] * 12)
    inst.insert(3, {"due": dt.date(2027, 2, 25), "amount": "1000"})
    x = run(loans=loans, instalments=inst, total="13000", loan="L1")
    aff = x.affordability
    assert aff is not None
    feb = next(m for m in aff.months if (m.year, m.month) == (2027, 2))
    jan = next(m for m in aff.months if (m.year, m.month) == (2027, 1))
    assert feb.instalments == (3, 4) and feb.amount == D("2000")
    assert feb.other_due == D("2000") and feb.room == D("1600")
    assert feb.excess == D("400") and jan.other_due == 0
    assert aff.unaffordable and aff.shortfall == D("400")
    assert not aff.exceeds_disposable  # 2,000 ≤ 4,000 − 2,000
    assert aff.counter is not None and aff.counter.possible


def test_limitation_runs_from_the_last_known_event() -> None:
    loans = copy.deepcopy(BASE["loans"])
    loans[0]["overdue_since"] = dt.date(2020, 2, 29)
    x = run(loans=loans)
    assert x.limitation.runs_from == dt.date(2020, 2, 29) and x.limitation.may_have_expired
    loans[0]["collection_contacts"] = [{"at": "2025-01-05T10:00", "channel": "phone"}]
    assert not run(loans=loans).limitation.may_have_expired
    # events after the agreement date do not count
    loans[0]["collection_contacts"] = [{"at": "2026-11-18T10:00", "channel": "phone"}]
    assert run(loans=loans).limitation.may_have_expired
    history = [{"date": dt.date(2024, 5, 1), "kind": "borrower_offer", "loan": "L1"}]
    assert not run(loans=loans, history=history).limitation.may_have_expired


def test_to_figures_is_plain_and_complete() -> None:
    figures = as_figures(run())
    assert figures["rate"] == {
        "stated": None,
        "implied": "0",
        "tolerance": "0.005",
        "checked": True,
        "mismatch": False,
    }
    assert figures["counter_proposal"] is None and figures["shortfall"] is None
    assert figures["balance"]["settled_balance"] == D("12000")
    assert figures["schedule"]["count"] == 12 and figures["schedule"]["sum"] == D("12000")
