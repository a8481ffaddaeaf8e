"""Interest or fees deducted from the principal up front (砍头息).

Law (docs/legal-basis.md: civil-code, spc-private-lending; VERIFIED-PRIMARY):

* 民法典 art. 670 (effective 2021-01-01): interest may not be deducted from the principal in
  advance; if it is, the loan is repaid and interest is computed on the amount actually lent.
* 民间借贷规定 (2020-12-29 text, effective 2021-01-01) art. 26: where interest was deducted in
  advance, the court treats the amount actually lent as the principal.

Whether a deduction labelled as a *fee* (服务费, 手续费, 保证金…) is treated the same way is not
settled by those articles; the cash-loan notice 整治办函〔2017〕141号 reportedly bans such
deductions too, but its text is UNVERIFIED.  The calculation below does not depend on the label:
it shows the borrower's position if the deduction is treated as 砍头息.

Formula (simple interest, one repayment of principal and interest at the end of the term)::

    deducted              = contract_principal − received
    recognised_principal  = received
    interest_claimed      = to_fen(contract_principal × annual_rate × t)
    interest_recognised   = to_fen(received × annual_rate × t)
    claimed_total         = contract_principal + interest_claimed
    owed_total            = received + interest_recognised
    difference            = claimed_total − owed_total

where ``t`` is ``months / 12`` or ``days / basis``.  The agreed rate is kept as it is; whether
that rate is itself above the legal cap is a separate question (:mod:`negotiator.calc.caps`).

>>> r = upfront_deduction(Decimal("10000"), Decimal("8000"), Decimal("0.12"), months=12)
>>> r.deducted, r.interest_claimed, r.interest_recognised, r.difference
(Decimal('2000.00'), Decimal('1200.00'), Decimal('960.00'), Decimal('2240.00'))
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from negotiator.calc.rates import DayCount
from negotiator.errors import InputError
from negotiator.money import to_fen

__all__ = ["UpfrontResult", "upfront_deduction"]


@attrs.frozen
class UpfrontResult:
    """The lender's claim compared with what is owed on the principal the law recognises."""

    contract_principal: Decimal
    received: Decimal
    deducted: Decimal
    recognised_principal: Decimal
    annual_rate: Decimal
    term_months: int | None
    term_days: int | None
    basis: int
    interest_claimed: Decimal
    interest_recognised: Decimal
    claimed_total: Decimal
    owed_total: Decimal
    difference: Decimal
    #: Simple annual rate the borrower would really pay on the money received if the lender's
    #: claim were paid in full: ``(claimed_total − received) / received / t`` (not rounded).
    effective_annual_rate: Decimal


def upfront_deduction(
    contract_principal: Decimal,
    received: Decimal,
    annual_rate: Decimal,
    *,
    months: int | None = None,
    days: int | None = None,
    basis: int = DayCount.ACTUAL_365,
    recognised_rate: Decimal | None = None,
) -> UpfrontResult:
    """Recompute a loan whose stated principal exceeds what the borrower received.

    ``recognised_rate`` is the rate the recognised interest runs at on the money received:
    min(contract rate, the applicable cap) — the contract rate when not given.

    Give the term as exactly one of ``months`` or ``days``; ``basis`` (360 or 365, default
    365 = actual days over a 365-day year) is used only with ``days``.  Amounts are rounded to
    the fen.  Raises :class:`InputError` for inconsistent input (received above the contract
    principal, non-positive amounts, negative rate, missing or double term).
    """
    if not contract_principal.is_finite() or contract_principal <= 0:
        raise InputError("contract_principal", "must be a positive amount")
    if not received.is_finite() or received <= 0:
        raise InputError("received", "must be a positive amount")
    if received > contract_principal:
        raise InputError("received", "is more than the contract principal")
    if not annual_rate.is_finite() or annual_rate < 0:
        raise InputError("annual_rate", "must be a non-negative fraction (0.24 for 24 %)")
    if (months is None) == (days is None):
        raise InputError("term", "give exactly one of months or days")
    if basis not in (DayCount.BANK_360, DayCount.ACTUAL_365):
        raise InputError("basis", f"day-count basis must be 360 or 365, got {basis}")
    if months is not None:
        if months <= 0:
            raise InputError("months", "term must be at least one month")
        units, per_year = months, 12
    else:
        assert days is not None
        if days <= 0:
            raise InputError("days", "term must be at least one day")
        units, per_year = days, int(basis)
    principal = to_fen(contract_principal)
    got = to_fen(received)
    # Multiply first and divide last, so an exact half-fen is not lost to a rounded fraction.
    interest_claimed = to_fen(principal * annual_rate * units / per_year)
    rate_recognised = annual_rate if recognised_rate is None else min(annual_rate, recognised_rate)
    interest_recognised = to_fen(got * rate_recognised * units / per_year)
    claimed_total = principal + interest_claimed
    owed_total = got + interest_recognised
    return UpfrontResult(
        contract_principal=principal,
        received=got,
        deducted=principal - got,
        recognised_principal=got,
        annual_rate=annual_rate,
        term_months=months,
        term_days=days,
        basis=int(basis),
        interest_claimed=interest_claimed,
        interest_recognised=interest_recognised,
        claimed_total=claimed_total,
        owed_total=owed_total,
        difference=claimed_total - owed_total,
        effective_annual_rate=(claimed_total - got) * per_year / (got * units),
    )
