"""Projected extra charges if nothing is paid for a number of further days.

This projects what the lender's *contract* would add, so the borrower can see the cost of
waiting.  It is not a statement of what is legally owed: charges above the applicable cap
(:mod:`negotiator.calc.caps`) may be unenforceable or reducible.

Model (document it alongside any figure shown to a user):

* penalty interest accrues daily on the outstanding principal only, **simple** by default:
  ``principal × daily_rate × days``; with ``compound=True`` it is
  ``principal × ((1 + daily_rate) ** days − 1)`` (interest on interest, only if the contract
  provides for 复利);
* a fixed late fee is added once for every **complete** period of ``period_days`` days
  (``days // period_days`` times), so a partly elapsed period adds no fee;
* the total is rounded once, half-up, to the fen.

>>> projected_charges(Decimal("10000"), Decimal("0.0005"), 30)
Decimal('150.00')
>>> projected_charges(Decimal("10000"), Decimal("0.0005"), 90, late_fee_per_period=Decimal("50"))
Decimal('600.00')
>>> standard_projections(Decimal("10000"), Decimal("0.0005"))
{30: Decimal('150.00'), 90: Decimal('450.00'), 180: Decimal('900.00')}
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext

from negotiator.errors import InputError
from negotiator.money import ZERO, to_fen

__all__ = ["STANDARD_HORIZONS", "projected_charges", "standard_projections"]

#: The horizons (days) shown by default: one month, one quarter, half a year.
STANDARD_HORIZONS: tuple[int, ...] = (30, 90, 180)


def projected_charges(
    outstanding_principal: Decimal,
    daily_penalty_rate: Decimal,
    days: int,
    late_fee_per_period: Decimal = ZERO,
    period_days: int = 30,
    *,
    compound: bool = False,
) -> Decimal:
    """Extra charges after ``days`` more days without payment (see module docs for the model)."""
    if not outstanding_principal.is_finite() or outstanding_principal < 0:
        raise InputError("outstanding_principal", "must be a non-negative amount")
    if not daily_penalty_rate.is_finite() or daily_penalty_rate < 0:
        raise InputError("daily_penalty_rate", "must be a non-negative daily fraction")
    if not late_fee_per_period.is_finite() or late_fee_per_period < 0:
        raise InputError("late_fee_per_period", "must be a non-negative amount")
    if days < 0:
        raise InputError("days", f"must not be negative, got {days}")
    if period_days < 1:
        raise InputError("period_days", f"must be at least 1, got {period_days}")
    with localcontext() as ctx:
        ctx.prec = 50
        if compound:
            interest = outstanding_principal * ((1 + daily_penalty_rate) ** days - 1)
        else:
            interest = outstanding_principal * daily_penalty_rate * days
        total = interest + late_fee_per_period * (days // period_days)
    return to_fen(total)


def standard_projections(
    outstanding_principal: Decimal,
    daily_penalty_rate: Decimal,
    late_fee_per_period: Decimal = ZERO,
    period_days: int = 30,
    *,
    compound: bool = False,
    horizons: Sequence[int] = STANDARD_HORIZONS,
) -> dict[int, Decimal]:
    """:func:`projected_charges` for each horizon (default 30, 90 and 180 days)."""
    return {
        h: projected_charges(
            outstanding_principal,
            daily_penalty_rate,
            h,
            late_fee_per_period,
            period_days,
            compound=compound,
        )
        for h in horizons
    }
