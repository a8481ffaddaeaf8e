"""The counter-proposal schedule (negotiator.analysis.counter) and due-date moving
(negotiator.holidays)."""

from __future__ import annotations

import datetime as dt
import doctest
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiator import holidays
from negotiator.analysis import counter
from negotiator.analysis.counter import REQUEST_TEXTS, make_request, propose_schedule
from negotiator.analysis.figures import as_figures
from negotiator.calc.dates import monthly_dates
from negotiator.errors import InputError
from negotiator.holidays import adjust_due_date, covered_years, is_workday

D = Decimal


@pytest.mark.parametrize("module", [counter, holidays])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0


# ---------------------------------------------------------------------------------------------
# Schedules
# ---------------------------------------------------------------------------------------------

fen_amounts = st.integers(min_value=1, max_value=5_000_000).map(lambda n: D(n) / 100)
rooms = st.integers(min_value=0, max_value=1_000_000).map(lambda n: D(n) / 100)
starts = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31))


def _month(d: dt.date) -> tuple[int, int]:
    return (d.year, d.month)


def _rooms(
    first: dt.date, room: Decimal, others: dict[tuple[int, int], Decimal], n: int
) -> list[Decimal]:
    start = first if first.day <= 28 else first.replace(day=28)
    return [max(D(0), room - others.get(_month(d), D(0))) for d in monthly_dates(start, n)]


@st.composite
def problems(
    draw: st.DrawFn,
) -> tuple[Decimal, dt.date, Decimal, dict[tuple[int, int], Decimal], int]:
    total = draw(fen_amounts)
    first = draw(starts)
    room = draw(rooms)
    max_months = draw(st.integers(min_value=1, max_value=72))
    start = first if first.day <= 28 else first.replace(day=28)
    months = [_month(d) for d in monthly_dates(start, max_months)]
    picked = draw(st.lists(st.sampled_from(months), max_size=8, unique=True))
    others = {m: draw(rooms) for m in picked}
    return total, first, room, others, max_months


@settings(max_examples=300)
@given(problems())
def test_counter_sums_exactly_and_fits_whenever_any_schedule_could(
    p: tuple[Decimal, dt.date, Decimal, dict[tuple[int, int], Decimal], int],
) -> None:
    total, first, room, others, max_months = p
    result = propose_schedule(total, first, room, others, max_months=max_months)
    available = _rooms(first, room, others, max_months)
    # A schedule of at most max_months monthly instalments exists exactly when the rooms of
    # those months can hold the total.
    could = room > 0 and sum(available) >= total
    assert result.possible == could
    if not could:
        assert result.rows == ()
        assert result.reason in ("no_room", "too_long")
        return
    assert sum(r.amount for r in result.rows) == total
    assert 1 <= result.months <= max_months
    for row in result.rows:
        assert row.amount > 0
        assert row.amount == row.amount.quantize(D("0.01"))
        month_room = max(D(0), room - others.get(_month(row.due), D(0)))
        assert row.amount <= month_room
        assert row.amount <= row.room == month_room
    months = [_month(r.due) for r in result.rows]
    assert months == sorted(set(months))  # one instalment per month, in order
    # As short as possible: one month fewer could not hold the total.
    last_index = [
        _month(d)
        for d in monthly_dates(first if first.day <= 28 else first.replace(day=28), max_months)
    ].index(months[-1])
    assert sum(available[:last_index]) < total


@given(fen_amounts, starts, st.integers(min_value=1, max_value=1_000_000).map(lambda n: D(n) / 100))
def test_constant_room_gives_the_split_total_layout(
    total: Decimal, first: dt.date, room: Decimal
) -> None:
    result = propose_schedule(total, first, room, max_months=600)
    if not result.possible:
        assert result.reason == "too_long"
        return
    amounts = [r.amount for r in result.rows]
    assert amounts == sorted(amounts)  # odd fen paid last
    assert max(amounts) - min(amounts) <= D("0.01")


def test_room_is_shared_around_another_lenders_months() -> None:
    others = {(2027, 2): D("500"), (2027, 3): D("500")}
    result = propose_schedule(
        D("5000"), dt.date(2027, 1, 15), D("1000"), others, move_off_holidays=False
    )
    assert [str(r.amount) for r in result.rows] == [
        "1000.00",
        "500.00",
        "500.00",
        "1000.00",
        "1000.00",
        "1000.00",
    ]
    assert [r.due for r in result.rows][1] == dt.date(2027, 2, 15)


def test_month_without_room_gets_no_instalment() -> None:
    others = {(2027, 2): D("1500")}
    result = propose_schedule(
        D("3000"), dt.date(2027, 1, 15), D("1000"), others, move_off_holidays=False
    )
    assert [r.due.month for r in result.rows] == [1, 3, 4]
    assert [r.number for r in result.rows] == [1, 2, 3]


def test_no_room_and_too_long_invent_nothing() -> None:
    assert propose_schedule(D("100"), dt.date(2027, 1, 1), D("0")).reason == "no_room"
    long = propose_schedule(D("12000"), dt.date(2027, 1, 1), D("180"), max_months=60)
    assert long.reason == "too_long" and long.rows == ()
    blocked = propose_schedule(
        D("100"), dt.date(2027, 1, 1), D("50"), {(2027, 1): D("60")}, max_months=1
    )
    assert blocked.reason == "no_room"
    assert propose_schedule(D("0"), dt.date(2027, 1, 1), D("50")).reason == "nothing_to_pay"


def test_a_late_day_of_month_is_brought_back_to_the_28th() -> None:
    result = propose_schedule(D("3000"), dt.date(2027, 1, 31), D("1000"), move_off_holidays=False)
    assert [r.due for r in result.rows] == [
        dt.date(2027, 1, 28),
        dt.date(2027, 2, 28),
        dt.date(2027, 3, 28),
    ]


def test_bad_input_is_refused() -> None:
    with pytest.raises(InputError):
        propose_schedule(D("10.001"), dt.date(2027, 1, 1), D("5"))
    with pytest.raises(InputError):
        propose_schedule(D("-1"), dt.date(2027, 1, 1), D("5"))
    with pytest.raises(InputError):
        propose_schedule(D("10"), dt.date(2027, 1, 1), D("5"), max_months=0)


def test_holiday_dates_move_and_unknown_years_are_flagged() -> None:
    result = propose_schedule(D("3000"), dt.date(2026, 9, 1), D("1000"))
    rows = result.rows
    # 2026-10-01 is 国庆节: moved to the next working day in October.
    assert rows[1].moved_from == dt.date(2026, 10, 1)
    assert rows[1].due == dt.date(2026, 10, 8)
    assert rows[1].holiday_zh == "国庆节"
    assert rows[0].calendar_known and rows[1].calendar_known
    later = propose_schedule(D("3000"), dt.date(2026, 12, 1), D("1000"))
    assert later.rows[0].calendar_known
    assert not later.rows[1].calendar_known  # 2027 is beyond the calendar data
    assert later.rows[1].due == dt.date(2027, 1, 1) and later.rows[1].moved_from is None
    figures = as_figures(later)
    assert figures["calendar_complete"] is False
    assert figures["calendar_years"] == list(covered_years())


# ---------------------------------------------------------------------------------------------
# Holidays
# ---------------------------------------------------------------------------------------------


@given(st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2026, 12, 31)))
def test_adjusted_date_is_a_workday_in_the_same_month(day: dt.date) -> None:
    adj = adjust_due_date(day)
    assert adj.known
    assert (adj.due.year, adj.due.month) == (day.year, day.month)
    assert is_workday(adj.due)
    if is_workday(day):
        assert adj.due == day and adj.moved_from is None
    else:
        assert adj.moved_from == day
        if adj.due > day:
            assert all(
                not is_workday(day + dt.timedelta(days=k)) for k in range((adj.due - day).days)
            )
        else:
            # moved back only when no working day is left in the month
            last = day.replace(day=28)
            while (last + dt.timedelta(days=1)).month == day.month:
                last += dt.timedelta(days=1)
            span = (last - day).days
            assert all(not is_workday(day + dt.timedelta(days=k)) for k in range(span + 1))


@given(st.dates(min_value=dt.date(2027, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_years_beyond_the_data_move_off_weekends_only(day: dt.date) -> None:
    adj = adjust_due_date(day)
    assert not adj.known and adj.holiday_zh is None
    assert is_workday(day) is None
    if day.weekday() < 5:
        assert adj.due == day and adj.moved_from is None
    else:
        # the same rule as in known years, with weekends as the only rest days
        assert adj.moved_from == day and adj.due.weekday() < 5
        assert (adj.due.year, adj.due.month) == (day.year, day.month)


def test_adjusted_workday_on_a_weekend() -> None:
    # 2026-02-14 is a Saturday worked in exchange for the Spring Festival holiday.
    assert adjust_due_date(dt.date(2026, 2, 14)).moved_from is None
    assert adjust_due_date(dt.date(2026, 2, 28)).moved_from is None  # also worked (调休)
    # 2026-01-31 is an ordinary Saturday at the end of the month: moved back to Friday 30.
    adj = adjust_due_date(dt.date(2026, 1, 31))
    assert adj.due == dt.date(2026, 1, 30) and adj.holiday_zh is None


# ---------------------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------------------


def test_every_request_has_both_languages_and_unknown_keys_are_refused() -> None:
    for key, (zh, en) in REQUEST_TEXTS.items():
        assert zh.strip() and en.strip() and zh != en, key
        figures = as_figures(make_request(key, n=1))
        assert figures == {"key": key, "zh-Hans": zh, "en": en, "figures": {"n": 1}}
    with pytest.raises(KeyError):
        make_request("no_such_request")
