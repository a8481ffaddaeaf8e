"""Repayment schedules: generated from the contract terms, or as the documents state them.

Four repayment methods (还款方式) are generated from principal, yearly rate and term:

* 等额本息 (``equal_instalment``): a level payment ``P·r / (1 − (1 + r)^−n)``, ``r`` = yearly
  rate ÷ 12; interest each month on the principal still outstanding.
* 等额本金 (``equal_principal``): principal ``P / n`` each month plus the month's interest.
* 先息后本 (``interest_only``): interest ``P·r`` each month, the principal with the last one.
* 一次还本付息 (``bullet``): one payment of ``P · (1 + yearly rate × months / 12)`` at the end.

Every amount is rounded to the fen with the project's rule; the last row absorbs the rounding so
the principal parts add up exactly to the principal.  A monthly rate is the yearly rate ÷ 12 (the
usual 月利率 = 年利率 ÷ 12), whatever the day basis; a daily rate is converted to a yearly one on
the contract's own basis first (:func:`negotiator.calc.rates.to_annual`).

Which rows are paid is applied afterwards by :func:`apply_payments`: a stated ``paid`` amount per
row, else a number of instalments paid in full, else a total repaid spread over the rows in due
order (the last of those part-paid).  Rows due on or before the case date and not fully paid are
*missed*.

>>> rows = generate(Decimal("30000"), Decimal("0.18"), 12, RepaymentMethod.EQUAL_INSTALMENT)
>>> rows[0].payment, rows[-1].payment, sum(r.principal for r in rows)
(Decimal('2750.40'), Decimal('2750.37'), Decimal('30000.00'))
>>> [r.payment for r in generate(Decimal("1200"), Decimal("0.12"), 3, RepaymentMethod.BULLET)]
[Decimal('0.00'), Decimal('0.00'), Decimal('1236.00')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, localcontext
from enum import StrEnum

import attrs

from negotiator.calc.cost import level_payment
from negotiator.case.models import RepaymentMethod
from negotiator.errors import AmbiguousDateError, InputError
from negotiator.money import ZERO, to_fen

from .dates import add_months

__all__ = [
    "Row",
    "RowStatus",
    "Schedule",
    "apply_payments",
    "due_dates",
    "generate",
]

_MONTHS = 12


class RowStatus(StrEnum):
    PAID = "paid"
    PART_PAID = "part_paid"
    MISSED = "missed"  # due on or before the case date and not paid in full
    NOT_DUE = "not_due"
    UNKNOWN = "unknown"  # whether it was paid is not known


@attrs.frozen
class Row:
    """One instalment: what is due, how it splits, and what was paid against it."""

    period: int
    due: dt.date | None
    payment: Decimal
    principal: Decimal
    interest: Decimal
    paid: Decimal | None = None  # None: not known
    status: RowStatus = RowStatus.UNKNOWN

    @property
    def unpaid(self) -> Decimal | None:
        return None if self.paid is None else self.payment - min(self.paid, self.payment)


@attrs.frozen
class Schedule:
    """A repayment schedule and where it comes from (``stated`` or ``derived``)."""

    method: str  # a RepaymentMethod value, or "stated" for a schedule copied from documents
    source: str  # "stated" or "derived"
    rows: tuple[Row, ...]
    #: How the paid column was filled: "stated", "instalments_paid", "repaid_in_order",
    #: "assumed_before_overdue" or "unknown".
    paid_from: str = "unknown"
    #: The rows' payments added up (computed once: the ledger, the plan and the JSON read it).
    total: Decimal = attrs.field(init=False)
    #: What was paid against the rows (each row at most its payment); None when a row's paid
    #: amount is not known.
    paid_total: Decimal | None = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        total = ZERO
        paid: Decimal | None = ZERO
        for r in self.rows:
            total += r.payment
            if paid is not None:
                paid = None if r.paid is None else paid + min(r.paid, r.payment)
        object.__setattr__(self, "total", total)
        object.__setattr__(self, "paid_total", paid)

    @property
    def remaining(self) -> Decimal | None:
        paid = self.paid_total
        return None if paid is None else self.total - paid


def generate(
    principal: Decimal,
    annual_rate: Decimal,
    n: int,
    method: RepaymentMethod,
    dates: Sequence[dt.date] | None = None,
) -> list[Row]:
    """The rows of a schedule repaying ``principal`` over ``n`` months, due on ``dates`` (one
    per row) when given, else without dates."""
    if n < 1:
        raise InputError("term_months", "must be at least 1")
    if dates is not None and len(dates) != n:
        raise ValueError(f"{len(dates)} due dates for {n} instalments")
    due: Sequence[dt.date | None] = dates if dates is not None else [None] * n
    p = to_fen(principal)
    rows: list[Row] = []
    with localcontext() as ctx:
        ctx.prec = 40
        r = annual_rate / _MONTHS
        if method is RepaymentMethod.EQUAL_INSTALMENT:
            pay = level_payment(p, annual_rate, n)
            bal = p
            for k in range(1, n + 1):
                interest = to_fen(bal * r)
                part = bal if k == n else min(pay - interest, bal)
                bal -= part
                rows.append(Row(k, due[k - 1], interest + part, part, interest))
        elif method is RepaymentMethod.EQUAL_PRINCIPAL:
            each = to_fen(p / n)
            bal = p
            for k in range(1, n + 1):
                interest = to_fen(bal * r)
                part = bal if k == n else min(each, bal)
                bal -= part
                rows.append(Row(k, due[k - 1], interest + part, part, interest))
        elif method is RepaymentMethod.INTEREST_ONLY:
            interest = to_fen(p * r)
            for k in range(1, n + 1):
                part = p if k == n else ZERO
                rows.append(Row(k, due[k - 1], interest + part, part, interest))
        else:  # bullet: simple interest for the whole term, paid with the principal at the end
            interest = to_fen(p * annual_rate * n / _MONTHS)
            for k in range(1, n):
                rows.append(Row(k, due[k - 1], ZERO, ZERO, ZERO))
            rows.append(Row(n, due[n - 1], p + interest, p, interest))
    return rows


def due_dates(contract_date: dt.date, n: int) -> list[dt.date] | None:
    """Monthly due dates one month after the contract date, or None when a day is ambiguous."""
    day = contract_date.day
    if day > 28:
        try:
            return [add_months(contract_date, k) for k in range(1, n + 1)]
        except (AmbiguousDateError, InputError):
            return None
    index = contract_date.year * 12 + contract_date.month - 1
    if (index + n) // 12 > 9999:
        return None
    return [dt.date((index + k) // 12, (index + k) % 12 + 1, day) for k in range(1, n + 1)]


def apply_payments(
    rows: Sequence[Row],
    as_of: dt.date,
    *,
    stated_paid: Sequence[Decimal | None] | None = None,
    instalments_paid: int | None = None,
    repaid: Decimal | None = None,
    overdue_since: dt.date | None = None,
) -> tuple[tuple[Row, ...], str]:
    """Fill the paid column and the status of each row; returns the rows and how it was filled.

    Precedence: a stated ``paid`` per row (all rows must state it), then ``instalments_paid``
    (the first N in full, the rest unpaid), then ``repaid`` spread over the rows in due order,
    then — when the loan is overdue and rows are dated — every row due before ``overdue_since``
    is *assumed* paid (an estimate the caller labels).  Otherwise paid stays unknown.
    """
    paid: list[Decimal | None]
    how: str
    if stated_paid is not None and rows and all(x is not None for x in stated_paid):
        paid = list(stated_paid)
        how = "stated"
    elif instalments_paid is not None:
        paid = [r.payment if k < instalments_paid else ZERO for k, r in enumerate(rows)]
        how = "instalments_paid"
    elif repaid is not None:
        left = repaid
        paid = []
        for r in rows:
            part = min(left, r.payment)
            paid.append(part)
            left -= part
        how = "repaid_in_order"
    elif overdue_since is not None and rows and all(r.due is not None for r in rows):
        paid = [r.payment if r.due is not None and r.due < overdue_since else ZERO for r in rows]
        how = "assumed_before_overdue"
    else:
        paid = [None] * len(rows)
        how = "unknown"
    out = []
    for r, amount in zip(rows, paid, strict=True):
        if amount is None:
            status = RowStatus.UNKNOWN
        elif amount >= r.payment:
            status = RowStatus.PAID
        elif r.due is not None and r.due <= as_of:
            status = RowStatus.MISSED
        elif amount > 0:
            status = RowStatus.PART_PAID
        else:
            status = RowStatus.NOT_DUE if r.due is not None else RowStatus.UNKNOWN
        out.append(Row(r.period, r.due, r.payment, r.principal, r.interest, amount, status))
    return tuple(out), how
