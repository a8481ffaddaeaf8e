"""One source: every letter's schedule is the plan's schedule for that lender.

Over generated cases — one to three lenders, other loans' fixed instalments in the same months,
income expected from a later month, a one-off sum — the schedule table of each letter that
proposes instalments has exactly the plan's rows (number, due date, amount), its total is the
plan's proposal total, and instalments resting on expected income are worded as such.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from negotiator.api import evaluate
from negotiator.case.load import load_case
from negotiator.documents.letters import render_letter

D = Decimal
AS_OF = dt.date(2026, 11, 20)
ROW = re.compile(r"^第(\d+)期\s+(\d{4})年(\d{1,2})月(\d{1,2})日\s+([\d,]+\.\d\d)", re.M)

loan_st = st.fixed_dictionaries(
    {
        "lender_type": st.sampled_from(["bank", "consumer_finance", "microloan"]),
        "outstanding": st.integers(2_000, 40_000),
        "penalty": st.integers(0, 800),
        "fixed_rows": st.integers(0, 6),  # unpaid instalments still scheduled on this loan
        "fixed_amount": st.integers(100, 1_500),
    }
)
_months = st.integers(1, 8)
_monthly = st.integers(3_000, 20_000)
_one_off = st.integers(1_000, 30_000)
expect_st = st.one_of(
    st.none(),
    st.fixed_dictionaries({"months": _months, "monthly": _monthly, "one_off": st.none()}),
    st.fixed_dictionaries({"months": _months, "monthly": st.none(), "one_off": _one_off}),
    st.fixed_dictionaries({"months": _months, "monthly": _monthly, "one_off": _one_off}),
)


def _case(
    loans: list[dict[str, Any]], income: int, savings: int, expect: dict[str, Any] | None
) -> dict[str, Any]:
    out = []
    for i, x in enumerate(loans):
        loan: dict[str, Any] = {
            "id": f"L{i + 1}",
            "lender_name": f"某某{i + 1}号金融有限公司",
            "lender_type": x["lender_type"],
            "principal": str(x["outstanding"]),
            "received": str(x["outstanding"]),
            "contract_date": "2025-10-10",
            "rate": {"value": "0.12", "unit": "annual", "basis": 360},
            "outstanding": str(x["outstanding"]),
            "penalty_interest": str(x["penalty"]),
            "late_fees": "0",
        }
        if x["fixed_rows"]:
            loan["schedule"] = [
                {
                    "due": dt.date(2026 + (11 + k) // 12, (11 + k) % 12 + 1, 15).isoformat(),
                    "amount": str(x["fixed_amount"]),
                }
                for k in range(x["fixed_rows"])
            ]
        else:
            loan["overdue_since"] = "2026-09-10"
        out.append(loan)
    borrower: dict[str, Any] = {
        "name": "王丽",
        "monthly_income": str(income),
        "essential_expenses": "3000",
        "savings": str(savings),
    }
    if expect is not None:
        since = dt.date(2026 + (10 + expect["months"]) // 12, (10 + expect["months"]) % 12 + 1, 1)
        e: dict[str, Any] = {"since": since.isoformat(), "source": "新工作"}
        if expect["monthly"] is not None:
            e["monthly"] = str(expect["monthly"])
        if expect["one_off"] is not None:
            e["one_off"] = str(expect["one_off"])
        borrower["expected_income"] = [e]
    return {"as_of": AS_OF.isoformat(), "borrower": borrower, "loans": out}


def _rows(text: str) -> list[tuple[int, dt.date, Decimal]]:
    return [
        (int(n), dt.date(int(y), int(m), int(d)), D(a.replace(",", "")))
        for n, y, m, d, a in ROW.findall(text)
    ]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(loan_st, min_size=1, max_size=3),
    st.integers(2_500, 12_000),
    st.sampled_from([0, 20_000]),
    expect_st,
)
def test_every_letters_schedule_is_the_plans_schedule(
    loans: list[dict[str, Any]], income: int, savings: int, expect: dict[str, Any] | None
) -> None:
    case = load_case(_case(loans, income, savings, expect))
    ev = evaluate(case)
    for o in ev.analysis.plan.offers:
        text = render_letter("negotiation_request", case, loan=o.loan_id, evaluation=ev)
        assert isinstance(text, str)
        shown = _rows(text)
        sched = o.schedule
        if sched is None:
            assert shown == [], o.loan_id
            continue
        plan_rows = [(r.number, r.due, r.amount) for r in sched.rows]
        assert shown == plan_rows, o.loan_id
        assert sum(r.amount for r in sched.rows) == o.proposal_total
        assert f"{o.proposal_total:,.2f}" in text
        # every row fits the lender's share in its month along the budget path
        for r in sched.rows:
            assert r.amount <= r.room
        event("estimated" if sched.estimated else "level" if sched.offer else "path")
        if sched.estimated:
            assert sched.expected_since is not None
            month = f"{sched.expected_since.year}年{sched.expected_since.month}月"
            assert f"预计{month}之后" in text
            assert f"预计{month}之后" in (o.text() or "")
        else:
            assert "预计" not in (o.text() or "")
        # the waiver request prints the same table
        waiver = render_letter("waiver_request", case, loan=o.loan_id, evaluation=ev)
        assert isinstance(waiver, str)
        w_rows = _rows(waiver)
        assert w_rows in ([], plan_rows)
