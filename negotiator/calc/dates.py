"""Calendar arithmetic for repayment schedules.

Adding months to a date has no single right answer when the day does not exist in the target
month (31 January + 1 month could be 28 February, 29 February or 3 March).  Contracts and
lenders differ, so :func:`add_months` refuses to guess and raises
:class:`~negotiator.errors.AmbiguousDateError`; the caller must ask the user or read the
contract.

>>> add_months(date(2024, 1, 15), 1)
datetime.date(2024, 2, 15)
>>> add_months(date(2024, 3, 31), -1)
Traceback (most recent call last):
...
negotiator.errors.AmbiguousDateError: 2024-03-31 minus 1 month(s) falls on 31 February 2024, \
which does not exist; the contract must say which day is meant
>>> monthly_dates(date(2024, 11, 20), 3)
[datetime.date(2024, 11, 20), datetime.date(2024, 12, 20), datetime.date(2025, 1, 20)]
>>> days_between(date(2024, 2, 1), date(2024, 3, 1))
29
"""

from __future__ import annotations

import calendar
from datetime import date

from negotiator.errors import AmbiguousDateError, InputError

__all__ = ["add_months", "days_between", "monthly_dates"]


def add_months(d: date, n: int, *, path: str = "") -> date:
    """``d`` moved by ``n`` calendar months (``n`` may be negative), keeping the day of month.

    Raises :class:`AmbiguousDateError` (with ``path`` as the field path) when that day does not
    exist in the target month, and :class:`InputError` when the result leaves years 1–9999.
    """
    index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(index, 12)
    month = month0 + 1
    if not 1 <= year <= 9999:
        raise InputError(path, f"{d.isoformat()} moved by {n} month(s) is outside years 1-9999")
    last_day = calendar.monthrange(year, month)[1]
    if d.day > last_day:
        verb = "plus" if n >= 0 else "minus"
        raise AmbiguousDateError(
            path,
            f"{d.isoformat()} {verb} {abs(n)} month(s) falls on {d.day} "
            f"{calendar.month_name[month]} {year}, which does not exist; "
            "the contract must say which day is meant",
        )
    return date(year, month, d.day)


def monthly_dates(first: date, n: int, *, path: str = "") -> list[date]:
    """``n`` dates one calendar month apart, starting with ``first``.

    Raises :class:`AmbiguousDateError` if any of them would need a day that does not exist
    (a schedule starting on the 29th–31st), and :class:`InputError` if ``n`` is negative.
    """
    if n < 0:
        raise InputError(path, f"number of dates must not be negative, got {n}")
    return [add_months(first, k, path=path) for k in range(n)]


def days_between(a: date, b: date) -> int:
    """Signed number of days from ``a`` to ``b`` (``b - a``), counting one end only."""
    return (b - a).days
