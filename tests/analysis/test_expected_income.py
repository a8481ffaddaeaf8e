"""Income expected from a later month: the budget path, the plan's two-phase schedule or lump
sum (labelled as resting on the expectation), the letters' hedged wording and the agreement
check's affordability and counter-proposal on the same path."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from negotiator.analysis import analyse
from negotiator.analysis.figures import as_figures
from negotiator.api import advise, evaluate
from negotiator.case.load import load_case
from negotiator.documents.letters import render_letter
from negotiator.errors import InputError

D = Decimal
AS_OF = dt.date(2026, 11, 20)
NEW_JOB = dt.date(2027, 3, 1)


def _case(
    expected: list[dict[str, Any]] | None = None,
    *,
    income: str = "5000",
    savings: str = "0",
    agreement: dict[str, Any] | None = None,
    loans: int = 1,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "as_of": AS_OF.isoformat(),
        "borrower": {
            "name": "王丽",
            "monthly_income": income,
            "essential_expenses": "4200",
            "savings": savings,
            "expected_income": expected or [],
        },
        "loans": [
            {
                "id": f"L{i + 1}",
                "lender_name": f"某某{i + 1}号消费金融有限公司",
                "lender_type": "consumer_finance",
                "principal": "10000",
                "received": "10000",
                "contract_date": "2025-11-10",
                "rate": {"value": "0.18", "unit": "annual", "basis": 360},
                "repaid": "2000",
                "outstanding": "9000",
                "penalty_interest": "300",
                "late_fees": "0",
                "overdue_since": "2026-08-10",
            }
            for i in range(loans)
        ],
    }
    if agreement is not None:
        data["agreement"] = agreement
    return data


JOB = [{"since": NEW_JOB.isoformat(), "monthly": "9000", "source": "新工作（已签录用通知）"}]


def test_an_expectation_needs_an_amount() -> None:
    with pytest.raises(InputError) as err:
        load_case(_case([{"since": NEW_JOB.isoformat()}]))
    assert err.value.path == "borrower.expected_income[0].monthly"


def test_the_budget_path_applies_the_budget_rule_to_the_expected_income() -> None:
    a = analyse(load_case(_case(JOB)))
    assert a.budget.affordable_monthly == D("720")  # (5000 − 4200) × 0.9
    (step,) = a.budget.later
    assert step.since == NEW_JOB and step.affordable_monthly == D("4320")  # 4800 × 0.9
    assert a.budget.affordable_in((2027, 2)) == D("720")
    assert a.budget.affordable_in((2027, 3)) == D("4320")
    figures = a.budget.to_figures()["later"][0]
    assert figures["provenance"] == "estimated" and figures["basis"] == "borrower.expected_income"


def test_an_expectation_dated_on_or_before_the_case_date_is_not_used() -> None:
    past = [{"since": "2026-10-01", "monthly": "9000"}]
    a = analyse(load_case(_case(past)))
    assert a.budget.later == ()
    assert a.plan.offers[0].schedule is not None
    assert not a.plan.offers[0].schedule.estimated


def test_two_phases_what_fits_now_then_what_fits_after() -> None:
    a = analyse(load_case(_case(JOB)))
    (o,) = a.plan.offers
    sched = o.schedule
    assert sched is not None and sched.estimated
    before = [r for r in sched.rows if (r.due.year, r.due.month) < (2027, 3)]
    after = [r for r in sched.rows if (r.due.year, r.due.month) >= (2027, 3)]
    assert before and after
    assert all(r.amount == D("720") for r in before)
    assert all(r.amount <= D("4320") for r in after) and after[0].amount == D("4320")
    assert sched.total == o.proposal_total == D("8700")
    assert sched.expected_from == after[0].number and sched.expected_since == NEW_JOB
    assert o.offer is None  # not level: the schedule's own words say what it is
    assert "预计2027年3月之后" in (o.text() or "")
    assert "expected from March 2027" in (o.text("en") or "")
    rows = as_figures(o)["schedule"]["rows"]
    assert [x["estimated"] for x in rows] == [r.number >= after[0].number for r in sched.rows]


def test_nothing_affordable_now_payments_start_when_the_income_arrives() -> None:
    a = analyse(load_case(_case(JOB, income="4200")))
    (o,) = a.plan.offers
    assert o.share.monthly == 0 and o.schedule is not None
    assert (o.schedule.rows[0].due.year, o.schedule.rows[0].due.month) == (2027, 3)
    assert o.schedule.expected_from == 1
    assert not a.plan.prospects.no_capacity
    report = advise(load_case(_case(JOB, income="4200")))
    inst = [f for f in report.findings if f.code == "STRATEGY_INSTALMENTS"]
    assert inst and "预计2027年3月之后" in inst[0].message


def test_a_one_off_sum_beyond_the_reserve_is_offered_as_a_lump_in_its_month() -> None:
    # savings 20,000 cover the 12,600 reserve: the whole one-off sum can be offered
    one_off = [{"since": "2027-02-01", "one_off": "5000", "source": "经济补偿金"}]
    a = analyse(load_case(_case(one_off, savings="20000")))
    (step,) = a.budget.later
    assert step.one_off == D("5000")
    (o,) = a.plan.offers
    sched = o.schedule
    assert sched is not None and sched.estimated
    feb = [r for r in sched.rows if (r.due.year, r.due.month) == (2027, 2)]
    assert feb and feb[0].number in sched.one_offs
    assert sched.one_offs[feb[0].number] > 0
    assert "一次性" in (o.text() or "")
    assert sched.total == o.proposal_total


def test_a_one_off_sum_first_tops_up_the_emergency_reserve() -> None:
    one_off = [{"since": "2027-02-01", "one_off": "5000"}]
    a = analyse(load_case(_case(one_off, savings="10000")))  # reserve 12,600: 2,600 short
    assert a.budget.later[0].one_off == D("2400")


def test_letters_print_the_plans_schedule_with_the_hedge() -> None:
    case = load_case(_case(JOB))
    ev = evaluate(case)
    (o,) = ev.analysis.plan.offers
    assert o.schedule is not None and o.schedule.expected_from is not None
    text = render_letter("negotiation_request", case, evaluation=ev)
    assert isinstance(text, str)
    assert f"其中第{o.schedule.expected_from}期起的金额，是按本人预计2027年3月之后的收入" in text
    assert "新工作（已签录用通知）" in text
    en = render_letter("negotiation_request", case, lang="en")
    assert isinstance(en, str)
    assert "rest on the income I expect from March 2027" in en
    draft = render_letter("agreement_draft", case, evaluation=ev)
    assert isinstance(draft, str)
    assert "系按乙方预计自2027年3月起取得的收入" in draft
    assert "不以此主张乙方违约" in draft


def test_without_expected_income_no_letter_speaks_of_it() -> None:
    case = load_case(_case())
    text = render_letter("negotiation_request", case)
    assert isinstance(text, str)
    assert "预计" not in text.split("还款方案")[1].split("其他说明")[0]


def _agreement(amounts: list[str]) -> dict[str, Any]:
    return {
        "form": "paper",
        "loan": "L1",
        "date": AS_OF.isoformat(),
        "remaining": "9000",
        "total": str(sum(D(a) for a in amounts)),
        "instalments": [
            {"due": dt.date(2026 + (11 + k) // 12, (11 + k) % 12 + 1, 20).isoformat(), "amount": a}
            for k, a in enumerate(amounts)
        ],
    }


def test_the_agreement_check_measures_later_months_on_the_expected_budget() -> None:
    # 3 × 700 now, then 3 × 2,000 after the new job: affordable on the path, not without it
    plan = ["700", "700", "700", "2000", "2000", "2000"]
    with_job = analyse(load_case(_case(JOB, agreement=_agreement(plan))))
    without = analyse(load_case(_case(agreement=_agreement(plan))))
    assert with_job.agreement is not None and without.agreement is not None
    aff = with_job.agreement.affordability
    assert aff is not None and not aff.unaffordable
    assert aff.expected_from == NEW_JOB
    assert [m.expected for m in aff.months] == [False, False, False, True, True, True]
    assert without.agreement.affordability is not None
    assert without.agreement.affordability.unaffordable


def test_the_counter_proposal_follows_the_same_budget_path() -> None:
    plan = ["3000"] * 3  # 9,000 in three months: too much before the new job
    a = analyse(load_case(_case(JOB, agreement=_agreement(plan))))
    assert a.agreement is not None and a.agreement.affordability is not None
    counter = a.agreement.affordability.counter
    assert counter is not None and counter.possible
    assert sum(r.amount for r in counter.rows) == D("9000")
    for r in counter.rows:
        room = D("720") if (r.due.year, r.due.month) < (2027, 3) else D("4320")
        assert r.amount <= room
    assert any(r.amount > D("720") for r in counter.rows)  # it uses the later budget


# --- docs/ledger.md: the plan example is what the plan prints, recomputed here ----------------

DOC = (Path(__file__).resolve().parents[2] / "docs" / "ledger.md").read_text(encoding="utf-8")


def _doc_example(name: str) -> tuple[str, str]:
    m = re.search(
        rf"### Plan example `{name}`.*?```toml\n(.*?)```(.*?)(?=\n### |\n## |\Z)", DOC, re.S
    )
    assert m, name
    return m.group(1), m.group(2)


def test_the_documented_two_phase_example_is_current_and_recomputes() -> None:
    toml, body = _doc_example("two_phase")
    rows = re.findall(r"^\| (\d+) \| ([\d-]+) \| ([\d.]+) \| (yes|no) \|", body, re.M)
    a = analyse(load_case(toml))
    (o,) = a.plan.offers
    sched = o.schedule
    assert sched is not None and sched.expected_from is not None
    printed = [
        (
            str(r.number),
            r.due.isoformat(),
            str(r.amount),
            "yes" if r.number >= sched.expected_from else "no",
        )
        for r in sched.rows
    ]
    assert printed == rows
    assert f"`{o.text()}`" in body
    # independently: the budget rule on each income, each month paying its whole share
    now = ((D("5000") - D("4200")) * D("0.9")).to_integral_value(rounding="ROUND_FLOOR")
    later = ((D("9000") - D("4200")) * D("0.9")).to_integral_value(rounding="ROUND_FLOOR")
    left = D("9000") - D("300")
    expected = []
    for due, _n, _a, _e in [(d, n, x, e) for n, d, x, e in rows]:
        day = dt.date.fromisoformat(due)
        room = later if (day.year, day.month) >= (2027, 3) else now
        pay = min(room, left)
        expected.append(pay)
        left -= pay
    assert left == 0
    assert [D(x) for _n, _d, x, _e in rows] == expected
