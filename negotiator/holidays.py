"""Chinese public holidays and adjusted working days, for choosing repayment due dates.

A thin wrapper around the ``chinesecalendar`` package, which encodes the State Council's
yearly holiday notices: the statutory holidays (春节, 国庆节, …) and the weekend days that
become working days in exchange (调休).  The package only knows the years it was built with
(2004–2026 for the installed version); for any other year this module answers ``None`` /
``known=False`` instead of failing, and callers say so in their output.

Moving a due date
-----------------
:func:`adjust_due_date` moves a due date that falls on a rest day to the **next working day in
the same calendar month**, or, when the month has no working day left after it, to the
**previous working day**.  Staying inside the month matters: affordability is judged month by
month, and a date pushed into the next month would put two instalments into one month's
budget.  In years the calendar does not know, the same rule is applied to weekends only
(Saturday and Sunday), so a due date is moved the same way in every year; the answer then says
``known=False`` and callers note that public holidays of that year were not allowed for.

>>> d = adjust_due_date(dt.date(2026, 10, 1))        # 国庆节
>>> d.due, d.moved_from, d.holiday_zh
(datetime.date(2026, 10, 8), datetime.date(2026, 10, 1), '国庆节')
>>> adjust_due_date(dt.date(2026, 10, 12)).moved_from is None   # a Monday
True
>>> late = adjust_due_date(dt.date(2033, 1, 1))            # a Saturday, year not covered
>>> late.known, late.due
(False, datetime.date(2033, 1, 3))
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cache, lru_cache

import attrs
import chinese_calendar

__all__ = ["AdjustedDate", "adjust_due_date", "covered_years", "holiday_name", "is_workday"]


@cache
def covered_years() -> tuple[int, int]:
    """The first and last year the installed calendar data covers."""
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


def _known(day: dt.date) -> bool:
    first, last = covered_years()
    return first <= day.year <= last


@lru_cache(maxsize=8192)
def _workday(day: dt.date) -> bool:
    return bool(chinese_calendar.is_workday(day))


def is_workday(day: dt.date) -> bool | None:
    """Whether ``day`` is a working day in mainland China; ``None`` outside the known years.

    >>> is_workday(dt.date(2026, 2, 17)), is_workday(dt.date(2026, 2, 14))  # 春节; 调休 Saturday
    (False, True)
    """
    if not _known(day):
        return None
    return _workday(day)


@lru_cache(maxsize=4096)
def holiday_name(day: dt.date) -> tuple[str, str] | None:
    """The statutory holiday ``day`` belongs to, as (Chinese, English); ``None`` if none/unknown.

    >>> holiday_name(dt.date(2026, 1, 1))
    ('元旦', "New Year's Day")
    """
    if not _known(day):
        return None
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    if not on_holiday or name is None:
        return None
    holiday = chinese_calendar.Holiday(name)
    return str(holiday.chinese), str(holiday.value)


@attrs.frozen
class AdjustedDate:
    """A due date after :func:`adjust_due_date`."""

    due: dt.date
    #: The original date when it was moved, else ``None``.
    moved_from: dt.date | None
    #: Whether the calendar knows the year (when not, the date was left as it was).
    known: bool
    #: The holiday the original date fell on, if any (a plain weekend has none).
    holiday_zh: str | None = None
    holiday_en: str | None = None


@lru_cache(maxsize=8192)
def adjust_due_date(day: dt.date) -> AdjustedDate:
    """Move ``day`` off a rest day, staying in its month (see the module notes).

    Answers are remembered (a few thousand dates; the calendar data cannot change while the
    process runs): schedules of many cases share their due dates.
    """
    if not _known(day):
        return _adjust_weekend(day)
    if _workday(day):
        return AdjustedDate(due=day, moved_from=None, known=True)
    name = holiday_name(day)
    zh, en = name if name else (None, None)
    last = calendar.monthrange(day.year, day.month)[1]
    for d in range(day.day + 1, last + 1):
        candidate = day.replace(day=d)
        if _workday(candidate):
            return AdjustedDate(candidate, day, True, zh, en)
    for d in range(day.day - 1, 0, -1):
        candidate = day.replace(day=d)
        if _workday(candidate):
            return AdjustedDate(candidate, day, True, zh, en)
    # A month without a single working day does not occur; keep the date rather than guess.
    return AdjustedDate(due=day, moved_from=None, known=True, holiday_zh=zh, holiday_en=en)


def _adjust_weekend(day: dt.date) -> AdjustedDate:
    """The same move as :func:`adjust_due_date`, with weekends as the only rest days."""
    if day.weekday() < 5:
        return AdjustedDate(due=day, moved_from=None, known=False)
    last = calendar.monthrange(day.year, day.month)[1]
    for d in range(day.day + 1, last + 1):
        candidate = day.replace(day=d)
        if candidate.weekday() < 5:
            return AdjustedDate(candidate, day, False)
    for d in range(day.day - 1, 0, -1):
        candidate = day.replace(day=d)
        if candidate.weekday() < 5:
            return AdjustedDate(candidate, day, False)
    return AdjustedDate(due=day, moved_from=None, known=False)  # pragma: no cover
