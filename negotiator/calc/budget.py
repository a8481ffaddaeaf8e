"""What the borrower can afford each month, and exact splitting of amounts to the fen.

>>> b = compute_budget(Decimal("6000"), Decimal("3500"), Decimal("500"), Decimal("0.10"))
>>> b.disposable, b.affordable_monthly
(Decimal('2000.00'), Decimal('1800.00'))
>>> instalments_needed(Decimal("10000"), b.affordable_monthly)
6
>>> split_total(Decimal("100.00"), 3)
[Decimal('33.33'), Decimal('33.33'), Decimal('33.34')]
>>> split_proportional(Decimal("1800"), [Decimal("5000"), Decimal("3000"), Decimal("1000")])
[Decimal('1000.00'), Decimal('600.00'), Decimal('200.00')]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal

import attrs

from negotiator.errors import InputError
from negotiator.money import from_fen, to_fen

__all__ = [
    "Budget",
    "compute_budget",
    "instalments_needed",
    "split_proportional",
    "split_total",
]


@attrs.frozen
class Budget:
    """A monthly budget (yuan, to the fen); see :func:`compute_budget`."""

    income: Decimal
    essential_expenses: Decimal
    other_debt_payments: Decimal
    #: income − essential_expenses − other_debt_payments (negative when the borrower is short).
    disposable: Decimal
    #: Fraction of the disposable amount kept back for emergencies, e.g. Decimal("0.10").
    safety_margin: Decimal
    #: max(0, disposable × (1 − safety_margin)) rounded DOWN to the whole yuan.
    affordable_monthly: Decimal


def _amount(value: Decimal, field: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise InputError(field, "must be a non-negative amount")
    return to_fen(value)


def compute_budget(
    income: Decimal,
    essential_expenses: Decimal,
    other_debt_payments: Decimal,
    safety_margin: Decimal,
) -> Budget:
    """Build a :class:`Budget` from monthly figures.

    The affordable amount is rounded **down to the whole yuan**, deliberately not with the
    half-up money rule: a repayment offer must never exceed what the borrower can pay, and a
    round figure is easier to propose.  ``safety_margin`` must be in [0, 1).
    """
    inc = _amount(income, "income")
    ess = _amount(essential_expenses, "essential_expenses")
    debts = _amount(other_debt_payments, "other_debt_payments")
    if not safety_margin.is_finite() or not 0 <= safety_margin < 1:
        raise InputError("safety_margin", "must be a fraction from 0 (inclusive) to 1 (exclusive)")
    disposable = inc - ess - debts
    spare = disposable * (1 - safety_margin)
    affordable = spare.quantize(Decimal(1), rounding=ROUND_FLOOR) if spare > 0 else Decimal(0)
    return Budget(
        income=inc,
        essential_expenses=ess,
        other_debt_payments=debts,
        disposable=disposable,
        safety_margin=safety_margin,
        affordable_monthly=to_fen(affordable),
    )


def instalments_needed(total: Decimal, monthly: Decimal) -> int | None:
    """How many monthly payments of ``monthly`` are needed to pay ``total`` (the last may be
    smaller); ``None`` when ``monthly`` ≤ 0, 0 when ``total`` ≤ 0.  Exact, no rounding.

    >>> instalments_needed(Decimal("100"), Decimal("0"))
    >>> instalments_needed(Decimal("100.01"), Decimal("25"))
    5
    """
    if not total.is_finite() or not monthly.is_finite():
        raise InputError("amount", "must be a finite amount")
    if monthly <= 0:
        return None
    if total <= 0:
        return 0
    tn, td = total.as_integer_ratio()
    mn, md = monthly.as_integer_ratio()
    return -(-(tn * md) // (td * mn))


def _fen_of(total: Decimal, field: str) -> int:
    if not isinstance(total, Decimal) or not total.is_finite() or total < 0:
        raise InputError(field, "must be a non-negative amount")
    if to_fen(total) != total:
        raise InputError(field, "has more precision than one fen, so it cannot be split exactly")
    return int(total * 100)


def split_total(total: Decimal, n: int) -> list[Decimal]:
    """Split ``total`` into ``n`` instalments to the fen that sum exactly to ``total``.

    Every instalment gets ``total // n`` (in fen); the remaining fen are added one each to the
    **last** instalments, so the schedule never decreases and the odd fen are paid last (the
    usual "尾差 in the final period" layout of repayment plans).
    """
    if n < 1:
        raise InputError("n", f"number of instalments must be at least 1, got {n}")
    cents = _fen_of(total, "total")
    base, remainder = divmod(cents, n)
    return [from_fen(base + (1 if k >= n - remainder else 0)) for k in range(n)]


def split_proportional(total_monthly: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total_monthly`` in proportion to ``weights`` by the largest-remainder method.

    Each part first gets the floor of its exact share (in fen); the fen left over go one each
    to the parts with the largest fractional remainders, ties to the earlier part.  The parts
    sum exactly to ``total_monthly``; a zero weight always gets zero.  Used to share the
    affordable amount between lenders (weights are usually the outstanding balances).
    """
    cents = _fen_of(total_monthly, "total_monthly")
    if not weights:
        raise InputError("weights", "at least one weight is required")
    ratios: list[tuple[int, int]] = []
    for i, w in enumerate(weights):
        if not isinstance(w, Decimal) or not w.is_finite() or w < 0:
            raise InputError(f"weights[{i}]", "must be a non-negative number")
        ratios.append(w.as_integer_ratio())
    # Exact integer arithmetic: every weight over one common denominator, so each share is
    # cents × w / Σw with the same divisor and the remainders compare as the fractions do.
    common = math.lcm(*(d for _, d in ratios))
    scaled = [n * (common // d) for n, d in ratios]
    weight_sum = sum(scaled)
    if weight_sum == 0:
        raise InputError("weights", "at least one weight must be positive")
    parts = [divmod(cents * w, weight_sum) for w in scaled]
    floors = [q for q, _ in parts]
    left = cents - sum(floors)
    order = sorted(range(len(parts)), key=lambda i: (-parts[i][1], i))
    for i in order[:left]:
        floors[i] += 1
    return [from_fen(f) for f in floors]
