"""The answer-deadline calculator (negotiator/calc/court.py) and the court fields of a case."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiator.calc.court import answer_deadline, next_working_day
from negotiator.case.load import load_case
from negotiator.errors import InputError
from negotiator.holidays import covered_years, is_workday


def test_friday_service_moves_past_the_weekend() -> None:
    d = answer_deadline(dt.date(2026, 3, 6))
    assert (d.day_15, d.deadline, d.moved, d.calendar_known) == (
        dt.date(2026, 3, 21),
        dt.date(2026, 3, 23),
        True,
        True,
    )


def test_holiday_on_day_15_moves_past_the_holiday() -> None:
    # served 2026-09-16: day 15 is 2026-10-01 (国庆节); the deadline is the first working day after
    d = answer_deadline(dt.date(2026, 9, 16))
    assert d.day_15 == dt.date(2026, 10, 1)
    assert is_workday(d.deadline) is True
    assert all(
        is_workday(d.day_15 + dt.timedelta(days=k)) is False
        for k in range((d.deadline - d.day_15).days)
    )


def test_working_day_15_is_kept() -> None:
    d = answer_deadline(dt.date(2026, 11, 2))  # Monday → day 15 is Tuesday 11-17
    assert d.deadline == dt.date(2026, 11, 17) and not d.moved


def test_unknown_year_uses_weekends_and_says_so() -> None:
    last = covered_years()[1]
    day = dt.date(last + 3, 1, 1)
    d = answer_deadline(day)
    assert not d.calendar_known
    assert d.deadline.weekday() < 5


@given(st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2040, 12, 1)))
def test_deadline_properties(served: dt.date) -> None:
    d = answer_deadline(served)
    assert d.day_15 == served + dt.timedelta(days=15)
    assert d.deadline >= d.day_15
    assert (d.deadline - d.day_15).days < 20
    day, _known = next_working_day(d.deadline)
    assert day == d.deadline  # the deadline is a working day


def _case(court: str, lawsuit: str = "filed") -> str:
    return f"""
as_of = 2026-11-20
lawsuit = "{lawsuit}"
[court]
{court}
[borrower]
[[loans]]
lender_name = "某某银行"
lender_type = "bank"
principal = "1000"
"""


def test_court_details_need_a_lawsuit() -> None:
    with pytest.raises(InputError) as exc:
        load_case(_case("served_on = 2026-10-30", lawsuit="none"))
    assert "court" in str(exc.value)


def test_court_deadline_before_service_is_refused() -> None:
    with pytest.raises(InputError) as exc:
        load_case(_case("served_on = 2026-10-30\nanswer_deadline = 2026-10-01"))
    assert "court" in str(exc.value)


def test_court_fields_load() -> None:
    case = load_case(
        _case(
            'served_on = 2026-10-30\ncase_number = "（2026）某0101民初1号"\n'
            'procedure = "small_claims"'
        )
    )
    assert case.court is not None
    assert case.court.served_on == dt.date(2026, 10, 30)
    assert case.court.procedure.value == "small_claims"


def test_breach_clause_reviving_the_waiver_is_detected_and_negation_is_not() -> None:
    from decimal import Decimal

    from negotiator.analysis.agreement import clawback_clause
    from negotiator.case.models import Agreement, AgreementForm

    def revives(text: str) -> bool:
        return clawback_clause(
            Agreement(form=AgreementForm.PAPER, breach_clause=text, waived=Decimal("800"))
        )

    assert revives("任一期逾期超过15日未还的，乙方有权恢复原合同约定并要求一次性清偿剩余款项。")
    assert revives("逾期的，减免作废，按原合同计收罚息。")
    assert not revives("逾期超过15日的，可要求一次性偿还剩余款项，已减免的款项不予恢复。")
    assert not revives("逾期的，甲方不恢复原合同约定的罚息。")
    assert not revives("逾期超过15日的，甲方可要求一次性偿还剩余款项。")
