"""Month arithmetic must refuse to guess when a day does not exist."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiator.calc.dates import add_months, days_between, monthly_dates
from negotiator.errors import AmbiguousDateError, InputError


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 1, 15), 1, date(2024, 2, 15)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
        (date(2024, 1, 28), 1, date(2024, 2, 28)),
        (date(2024, 1, 29), 1, date(2024, 2, 29)),  # leap year: 29 February exists
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 1, 31), 2, date(2024, 3, 31)),
        (date(2024, 5, 31), 0, date(2024, 5, 31)),
        (date(2023, 8, 20), 25, date(2025, 9, 20)),
    ],
)
def test_add_months_known_dates(start: date, n: int, expected: date) -> None:
    assert add_months(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n"),
    [
        (date(2024, 1, 31), 1),  # 31 February
        (date(2023, 1, 29), 1),  # 29 February in a common year
        (date(2024, 2, 29), 12),  # 29 February 2025
        (date(2024, 3, 31), -1),
        (date(2024, 8, 31), 1),  # 31 September
        (date(2024, 1, 30), 1),
    ],
)
def test_add_months_raises_when_day_missing(start: date, n: int) -> None:
    with pytest.raises(AmbiguousDateError) as info:
        add_months(start, n, path="loans[0].first_due")
    assert isinstance(info.value, InputError)
    assert str(info.value).startswith("loans[0].first_due: ")
    assert "does not exist" in str(info.value)


def test_add_months_out_of_range() -> None:
    with pytest.raises(InputError):
        add_months(date(9999, 12, 1), 1)


def test_monthly_dates() -> None:
    assert monthly_dates(date(2024, 11, 28), 4) == [
        date(2024, 11, 28),
        date(2024, 12, 28),
        date(2025, 1, 28),
        date(2025, 2, 28),
    ]
    assert monthly_dates(date(2024, 1, 1), 0) == []
    with pytest.raises(AmbiguousDateError):
        monthly_dates(date(2024, 10, 31), 3)  # 31 November
    with pytest.raises(InputError):
        monthly_dates(date(2024, 1, 1), -1)


def test_days_between() -> None:
    assert days_between(date(2024, 2, 1), date(2024, 3, 1)) == 29
    assert days_between(date(2023, 2, 1), date(2023, 3, 1)) == 28
    assert days_between(date(2024, 1, 1), date(2025, 1, 1)) == 366
    assert days_between(date(2024, 3, 1), date(2024, 2, 1)) == -29


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.integers(-600, 600))
def test_add_months_keeps_day_or_raises(d: date, n: int) -> None:
    try:
        moved = add_months(d, n)
    except AmbiguousDateError:
        assert d.day >= 29  # only the 29th-31st can be missing from a month
        return
    assert moved.day == d.day
    assert (moved.year * 12 + moved.month) - (d.year * 12 + d.month) == n
    assert add_months(moved, -n) == d
