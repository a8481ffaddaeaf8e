"""Court periods: the answer period (答辩期) counted from the service of the statement of claim.

The rule (《民事诉讼法》(2023修正) 第85条, 第128条; 民诉法解释 第125条; docs/legal-basis.md):

* the defendant answers "在收到之日起十五日内" — fifteen days from receiving the 起诉状副本;
* the day of service is not counted: day 1 is the day after (85 ¶2; 解释 125);
* rest days *inside* the period count; only when the **last** day is a 法定休假日 does the period
  end on the first day after it (85 ¶3).  Weekends count as rest days (an SPC answer of
  2014-12-12, VERIFIED-SECONDARY); a weekend day made a working day by 调休 is treated as a working
  day — the earlier of the two readings, which is the safe one for a borrower.

The result is an **estimate**: a court may set a shorter period in 简易 or 小额 procedure
(解释 266, 275), service may be dated differently (邮寄, 公告送达 + 30 days), and the court's own
notice always wins.  Years the holiday calendar does not know are counted with weekends only and
say so (``calendar_known = False``).

>>> d = answer_deadline(dt.date(2026, 3, 6))   # Friday
>>> d.day_15, d.deadline, d.moved
(datetime.date(2026, 3, 21), datetime.date(2026, 3, 23), True)
"""

from __future__ import annotations

import datetime as dt

import attrs

from ..basis.params import load_parameters
from ..holidays import is_workday

__all__ = ["ANSWER_DAYS", "AnswerDeadline", "answer_deadline", "next_working_day"]

#: 《民事诉讼法》第128条: the answer is due within fifteen days of receiving the claim
#: (parameter ``answer_days``).
ANSWER_DAYS = load_parameters().integer("answer_days")


@attrs.frozen
class AnswerDeadline:
    served_on: dt.date
    #: the fifteenth day after service (the service day not counted)
    day_15: dt.date
    #: ``day_15``, or the first working day after it when it is a rest day
    deadline: dt.date
    moved: bool
    #: the holiday calendar covers every day looked at (otherwise weekends only were used)
    calendar_known: bool


def _working(day: dt.date) -> tuple[bool, bool]:
    """(is a working day, calendar known) — weekends only when the year is not known."""
    known = is_workday(day)
    if known is None:
        return day.weekday() < 5, False
    return known, True


def next_working_day(day: dt.date) -> tuple[dt.date, bool]:
    """``day`` itself if it is a working day, else the first working day after it.

    Returns the day and whether the calendar knew every day it looked at.
    """
    all_known = True
    for _ in range(60):  # the longest run of rest days (春节 + weekends) is far shorter
        working, known = _working(day)
        all_known = all_known and known
        if working:
            return day, all_known
        day += dt.timedelta(days=1)
    raise ValueError("no working day within 60 days")  # pragma: no cover - calendar data broken


def answer_deadline(served_on: dt.date, days: int = ANSWER_DAYS) -> AnswerDeadline:
    """The last day to file an answer, counted from the service date (see the module notes)."""
    if days < 1:
        raise ValueError("a period is at least one day")
    day_n = served_on + dt.timedelta(days=days)
    deadline, known = next_working_day(day_n)
    return AnswerDeadline(
        served_on=served_on,
        day_15=day_n,
        deadline=deadline,
        moved=deadline != day_n,
        calendar_known=known,
    )
