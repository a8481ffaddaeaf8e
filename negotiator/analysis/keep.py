"""A signed agreement's payment calendar: every instalment, and the day to pay it by.

When the case's agreement is signed by both sides (the plan's ``keep`` mode,
``STRATEGY_KEEP_AGREEMENT``) the borrower no longer negotiates: the plan shows when each
instalment falls due and what to do if one slips.  This module lays the agreement's own
schedule out as it is written — the dates and amounts are the agreement's, never moved or
recomputed — and marks each due date that falls on a rest day:

* in a year the holiday calendar knows (:mod:`negotiator.holidays`), a weekend or a public
  holiday that is not an adjusted working day (调休) is a rest day;
* in a year it does not know, only Saturdays and Sundays are marked, and the row says the
  public holidays of that year were not checked (``calendar_known`` false).

For a rest day ``pay_by`` is the last working day before it (same rule): a transfer sent on a
rest day may be credited only on the next working day, after the due date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from ..case.models import Case
from ..holidays import holiday_name, is_workday
from ..money import ZERO, to_fen
from .agreement import AgreementAnalysis

__all__ = ["CalendarRow", "KeepAgreement", "keep_agreement", "previous_working_day"]


def _rest_day(day: dt.date) -> tuple[bool, bool]:
    """(whether ``day`` is a rest day, whether the holiday calendar knows its year)."""
    work = is_workday(day)
    if work is None:
        return day.weekday() >= 5, False
    return not work, True


def previous_working_day(day: dt.date) -> dt.date:
    """The last working day before ``day`` (weekends only, in a year the calendar lacks).

    >>> previous_working_day(dt.date(2026, 10, 1))   # 国庆节: the Wednesday before
    datetime.date(2026, 9, 30)
    >>> previous_working_day(dt.date(2031, 3, 3))    # a Monday, year not covered
    datetime.date(2031, 2, 28)
    """
    d = day - dt.timedelta(days=1)
    for _ in range(60):  # the longest run of rest days is far shorter
        if not _rest_day(d)[0]:
            return d
        d -= dt.timedelta(days=1)
    raise AssertionError("no working day in sixty days")  # pragma: no cover


@attrs.frozen
class CalendarRow:
    number: int
    due: dt.date | None  # as the agreement writes it (None: not written)
    amount: Decimal | None
    rest_day: bool  # the due date is a weekend or public holiday
    weekday: int | None  # 0 = Monday
    holiday_zh: str | None
    holiday_en: str | None
    pay_by: dt.date | None  # the last working day before a rest-day due date
    calendar_known: bool  # the holiday calendar knows the year (else weekends only)


@attrs.frozen
class KeepAgreement:
    """The signed agreement to keep: its calendar and the terms that matter when one slips."""

    loan_id: str | None
    lender_name: str | None
    private: bool
    total: Decimal | None  # the agreement's total (its instalments' sum when none is written)
    rows: tuple[CalendarRow, ...]
    cure_days: int | None  # the grace period the agreement grants (None: none written)
    clawback: bool  # a late payment revives the waiver (the check's AGREEMENT_WAIVER_CLAWBACK)
    waived: Decimal  # what the agreement waives
    repayment_account: str

    @property
    def rest_days(self) -> int:
        return sum(1 for r in self.rows if r.rest_day)

    @property
    def calendar_complete(self) -> bool:
        return all(r.calendar_known for r in self.rows if r.due is not None)


def keep_agreement(case: Case, x: AgreementAnalysis | None) -> KeepAgreement | None:
    """The calendar of the case's agreement when both sides signed it; otherwise ``None``."""
    if x is None:
        return None
    ag = x.agreement
    if not (ag.borrower_signed and ag.lender_signed):
        return None
    rows = []
    for n, inst in enumerate(ag.instalments, start=1):
        if inst.due is None:
            rows.append(CalendarRow(n, None, inst.amount, False, None, None, None, None, True))
            continue
        rest, known = _rest_day(inst.due)
        name = holiday_name(inst.due) if rest and known else None
        rows.append(
            CalendarRow(
                number=n,
                due=inst.due,
                amount=inst.amount,
                rest_day=rest,
                weekday=inst.due.weekday(),
                holiday_zh=name[0] if name else None,
                holiday_en=name[1] if name else None,
                pay_by=previous_working_day(inst.due) if rest else None,
                calendar_known=known,
            )
        )
    loan = next(
        (ln for i, ln in zip(case.loan_ids(), case.loans, strict=True) if i == x.loan_id), None
    )
    return KeepAgreement(
        loan_id=x.loan_id,
        lender_name=ag.lender.name or (loan.lender_name if loan is not None else None),
        private=x.lender_type is not None and x.lender_type.value == "private",
        total=x.balance.plan_payments if x.balance.plan_payments is not None else None,
        rows=tuple(rows),
        cure_days=ag.cure_days if ag.cure_days else None,
        clawback=x.clawback,
        waived=to_fen(x.balance.waived) if x.balance.waived is not None else ZERO,
        repayment_account=ag.repayment_account.value,
    )
