"""Annualised cost of a loan from its actual cash flows, and level-payment amortisation.

The annualised cost follows PBoC 公告〔2021〕第3号 (docs/legal-basis.md, key
``pboc-announcement-2021-3``, VERIFIED-SECONDARY): every cost the borrower bears counts, and it is
measured against the principal the borrower actually had the use of — which is exactly what an
internal rate of return (IRR) of "money received at the start, every payment afterwards"
measures.  Two
annualisations are reported:

* ``simple`` (单利) — the periodic IRR times the number of periods in a year;
* ``compound`` (复利) — ``(1 + periodic IRR) ** periods_per_year - 1``.

The notice's worked example: 100,000 lent, a 1,000 fee taken at once (99,000 received), twelve
monthly payments of 8,833.30:

>>> from negotiator.calc.rates import format_percent
>>> c = annualised_cost_periodic(Decimal("99000"), [Decimal("8833.30")] * 12)
>>> format_percent(c.simple), format_percent(c.compound)
('12.80%', '13.58%')

The root is found in :class:`~decimal.Decimal` arithmetic with a safeguarded Newton method: a
Newton step is used only while it stays inside a bracket known to contain the root, otherwise
the bracket is bisected.  The iteration count is capped; the function either returns a root or
raises :class:`~negotiator.errors.CalculationError` saying why none could be found.  Rates are
returned rounded to 20 significant digits (they are not money, so :func:`~negotiator.money.to_fen`
does not apply).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, localcontext

import attrs

from negotiator.errors import CalculationError, InputError
from negotiator.money import ZERO, to_fen

__all__ = [
    "AnnualisedCost",
    "Instalment",
    "amortisation_schedule",
    "annualised_cost_dated",
    "annualised_cost_periodic",
    "level_payment",
]

#: Working precision of the solver (significant digits).
_PREC = 60
#: Significant digits kept in returned rates.
_RESULT_DIGITS = 20
#: Stop when a step (or the bracket) is below ``_TOL_ABS + _TOL_REL * |rate|``.
_TOL_ABS = Decimal("1e-24")
_TOL_REL = Decimal("1e-22")
#: Hard cap on solver iterations (bisection alone needs < 400 from the widest bracket).
_MAX_ITER = 600
#: How many times the bracket may be widened (upper end doubled / lower end halved towards -1).
_MAX_WIDEN = 200
#: Half-width (relative) of the exact bracket placed around the binary-float estimate.
_NARROW = Decimal("1e-9")
_ONE = Decimal(1)
_TWO = Decimal(2)


@attrs.frozen
class AnnualisedCost:
    """The cost of a loan as an IRR per period and its two annualisations (all fractions)."""

    periodic_rate: Decimal
    periods_per_year: int
    simple: Decimal
    compound: Decimal


def _ctx() -> Context:
    return Context(prec=_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def _round_rate(x: Decimal) -> Decimal:
    return Context(prec=_RESULT_DIGITS, Emax=MAX_EMAX, Emin=MIN_EMIN).plus(x)


def _check_finite(value: Decimal, what: str) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise CalculationError(f"{what} must be a finite Decimal, got {value!r:.40}")


def _npv(rate: Decimal, received: Decimal, flows: Sequence[tuple[int, Decimal]]) -> Decimal:
    """Present value of the payments at ``rate`` minus the amount received (high precision).

    ``flows`` are sorted by period (``_solve`` sorts them), so each discount factor is the
    previous one times ``v ** gap`` — one multiplication per payment for a monthly schedule —
    instead of a power per payment.  At 60 significant digits the products differ from the
    separately rounded powers only beyond the 55th digit, far below the solver's tolerance.
    """
    v = _ONE / (_ONE + rate)
    total = -received
    factor = _ONE
    last = 0
    for t, amount in flows:
        gap = t - last
        if gap:
            factor *= v if gap == 1 else v**gap
            last = t
        total += amount * factor
    return total


def _npv_slope(rate: Decimal, flows: Sequence[tuple[int, Decimal]]) -> Decimal:
    """Derivative of :func:`_npv` with respect to ``rate`` (flows sorted by period)."""
    v = _ONE / (_ONE + rate)
    total = Decimal(0)
    factor = _ONE
    last = 0
    for t, amount in flows:
        gap = t - last
        if gap:
            factor *= v if gap == 1 else v**gap
            last = t
        total += t * amount * factor
    return -total * v


def _estimate(received: float, flows: Sequence[tuple[int, float]], lo: float, hi: float) -> float:
    """Bisection-safeguarded Newton in binary floats inside ``[lo, hi]`` (a locator only)."""
    x = (lo + hi) / 2
    for _ in range(100):
        v = 1.0 / (1.0 + x)
        f = -received
        slope = 0.0
        for t, amount in flows:
            w = amount * v**t
            f += w
            slope -= t * w * v
        if f > 0:
            lo = x
        else:
            hi = x
        step = x - f / slope if slope else (lo + hi) / 2
        x = step if lo < step < hi else (lo + hi) / 2
        if hi - lo <= 1e-13 * max(1.0, abs(x)):
            break
    return x


def _narrow(
    received: Decimal, flows: Sequence[tuple[int, Decimal]], lo: Decimal, hi: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    """A much tighter exact bracket around the root and the point to start from inside it
    (the binary-float estimate), or the given bracket and its low end if none is confirmed."""
    try:
        guess = _estimate(float(received), [(t, float(a)) for t, a in flows], float(lo), float(hi))
    except (OverflowError, ZeroDivisionError):
        return lo, hi, lo
    if not math.isfinite(guess):
        return lo, hi, lo
    centre = Decimal(repr(guess))
    width = max(abs(centre), _ONE) * _NARROW
    a, b = max(lo, centre - width), min(hi, centre + width)
    if not lo <= a < b <= hi:
        return lo, hi, lo
    if (a == lo or _npv(a, received, flows) >= 0) and (b == hi or _npv(b, received, flows) <= 0):
        return a, b, centre if a < centre < b else a
    return lo, hi, lo


def _solve(received: Decimal, flows: Sequence[tuple[int, Decimal]]) -> Decimal:
    """The periodic rate r > -1 at which the payments' present value equals ``received``.

    ``flows`` are (period index ≥ 1, amount ≥ 0).  With every payment non-negative and at
    least one positive, the present value falls strictly as r rises (from +∞ near r = -1 to 0
    as r → ∞), so a root exists and is unique; the checks below establish exactly that.
    """
    _check_finite(received, "amount received")
    if received <= 0:
        raise CalculationError(
            "amount received must be positive; with nothing received there is no rate of cost"
        )
    if not flows:
        raise CalculationError("no payments: a rate of cost needs at least one repayment")
    for t, amount in flows:
        _check_finite(amount, "payment")
        if amount < 0:
            raise CalculationError(
                "payments must not be negative (a further drawdown has no single rate of cost)"
            )
        if t < 1:
            raise CalculationError("every payment must fall after the money was received")
    flows = sorted(flows, key=lambda flow: flow[0])
    total = sum((a for _, a in flows), Decimal(0))
    if total == 0:
        raise CalculationError(
            "all payments are zero: the cash flows never change sign, so no rate exists"
        )
    with localcontext(_ctx()):
        if total == received:
            return Decimal(0)
        if total > received:
            lo, hi = Decimal(0), _ONE
            widen = 0
            while _npv(hi, received, flows) > 0:
                lo, hi = hi, hi * _TWO
                widen += 1
                if widen > _MAX_WIDEN:
                    raise CalculationError(
                        "the rate of cost is too large to compute (above 2**200 per period)"
                    )
        else:
            lo, hi = -_ONE / _TWO, Decimal(0)
            widen = 0
            while _npv(lo, received, flows) < 0:
                hi, lo = lo, (lo - _ONE) / _TWO
                widen += 1
                if widen > _MAX_WIDEN:
                    raise CalculationError(
                        "the payments are too small relative to the amount received to find "
                        "a rate of cost (below -100 % per period)"
                    )
        # A binary-float estimate only *locates* the root: if the exact Decimal present values
        # on either side of it confirm a sign change, the bracket shrinks to that neighbourhood
        # and the exact iteration below finishes in two or three steps.  The result is always
        # the Decimal iteration's; an unusable estimate is simply ignored.
        # Newton starts from the estimate itself (typically within 1e-13 of the root, so one or
        # two exact steps reach the tolerance) rather than from the bracket's low end.
        lo, hi, x = _narrow(received, flows, lo, hi)
        # Invariant: npv(lo) > 0 > npv(hi) (or == 0 at a root), lo < hi.  Newton steps are
        # taken only inside the bracket, and if two iterations have not halved the bracket the
        # next step is a bisection, so the bracket at least halves every three iterations.
        mark = hi - lo
        for i in range(_MAX_ITER):
            f = _npv(x, received, flows)
            if f == 0:
                return _round_rate(x)
            if f > 0:
                lo = x
            else:
                hi = x
            tol = _TOL_ABS + _TOL_REL * max(abs(lo), abs(hi))
            if hi - lo <= tol:
                return _round_rate((lo + hi) / _TWO)
            force_bisection = False
            if i % 2 == 1:
                force_bisection = hi - lo > mark / _TWO
                mark = hi - lo
            slope = _npv_slope(x, flows)
            candidate = x - f / slope if slope != 0 else lo - _ONE
            if force_bisection or not lo < candidate < hi:
                candidate = (lo + hi) / _TWO
            if abs(candidate - x) <= tol:
                return _round_rate(candidate)
            x = candidate
    raise CalculationError(
        f"the rate-of-cost solver did not converge within {_MAX_ITER} iterations"
    )


def _result(periodic: Decimal, periods_per_year: int) -> AnnualisedCost:
    with localcontext(_ctx()):
        simple = _round_rate(periodic * periods_per_year)
        compound = _round_rate((_ONE + periodic) ** periods_per_year - _ONE)
    return AnnualisedCost(
        periodic_rate=periodic,
        periods_per_year=periods_per_year,
        simple=simple,
        compound=compound,
    )


def annualised_cost_periodic(
    received: Decimal, payments: Sequence[Decimal], periods_per_year: int = 12
) -> AnnualisedCost:
    """Annualised cost of ``received`` at period 0 repaid by ``payments[k-1]`` at period k.

    ``received`` is what the borrower actually got (after any up-front fee or deduction);
    ``payments`` include every fee paid with the instalments.  A schedule whose payments total
    less than ``received`` gives a negative rate, which is reported, not hidden.

    Raises :class:`CalculationError` for: non-positive ``received``, no payments, a negative
    payment, all payments zero, a rate too extreme to bracket, or a bad ``periods_per_year``.
    """
    if isinstance(periods_per_year, bool) or periods_per_year < 1:
        raise CalculationError(
            f"periods_per_year must be a positive integer, got {periods_per_year}"
        )
    flows = [(k, amount) for k, amount in enumerate(payments, start=1)]
    return _result(_solve(received, flows), periods_per_year)


def annualised_cost_dated(
    received_on: date, received: Decimal, payments: Sequence[tuple[date, Decimal]]
) -> AnnualisedCost:
    """Annualised cost over real dates (XIRR), day count actual/365.

    Each payment is discounted by whole days elapsed since ``received_on``; the solved rate is
    a **daily** rate, so ``periodic_rate`` is per day, ``periods_per_year`` is 365,
    ``simple`` is daily × 365 and ``compound`` is (1 + daily) ** 365 − 1 (identical to the
    usual XIRR with exponent days/365).  Payments may be in any order; every payment must be
    dated strictly after ``received_on`` (otherwise :class:`CalculationError`).

    >>> c = annualised_cost_dated(date(2024, 1, 1), Decimal("1000"),
    ...                           [(date(2024, 12, 31), Decimal("1100"))])
    >>> str(c.compound.quantize(Decimal("0.0001")))
    '0.1000'
    """
    flows = [((when - received_on).days, amount) for when, amount in payments]
    return _result(_solve(received, flows), 365)


def _validate_loan(principal: Decimal, annual_rate: Decimal, n: int, periods_per_year: int) -> None:
    if not principal.is_finite() or principal <= 0:
        raise InputError("principal", "must be a positive amount")
    if not annual_rate.is_finite() or annual_rate < 0:
        raise InputError("annual_rate", "must be a non-negative fraction (0.24 for 24 %)")
    if n < 1:
        raise InputError("n", f"number of periods must be at least 1, got {n}")
    if periods_per_year < 1:
        raise InputError("periods_per_year", f"must be at least 1, got {periods_per_year}")


def level_payment(
    principal: Decimal, annual_rate: Decimal, n: int, periods_per_year: int = 12
) -> Decimal:
    """The level (等额本息, French) payment that repays ``principal`` in ``n`` periods, to the fen.

    The periodic rate is ``annual_rate / periods_per_year`` (the usual 月利率 = 年利率 ÷ 12) and
    the payment is ``P·r / (1 − (1 + r) ** −n)``, or ``P / n`` at a zero rate, rounded half-up to
    the fen.  Because of that rounding the last instalment of :func:`amortisation_schedule`
    absorbs a few fen of difference.

    >>> level_payment(Decimal("12000"), Decimal("0"), 12)
    Decimal('1000.00')
    >>> level_payment(Decimal("100000"), Decimal("0.109"), 12)
    Decimal('8833.50')
    """
    _validate_loan(principal, annual_rate, n, periods_per_year)
    with localcontext(_ctx()):
        r = annual_rate / periods_per_year
        exact = principal / n if r == 0 else principal * r / (_ONE - (_ONE + r) ** -n)
    return to_fen(exact)


@attrs.frozen
class Instalment:
    """One row of an amortisation schedule (money in yuan, to the fen)."""

    period: int
    payment: Decimal
    interest: Decimal
    principal: Decimal
    balance: Decimal  # outstanding principal after this payment


def amortisation_schedule(
    principal: Decimal, annual_rate: Decimal, n: int, periods_per_year: int = 12
) -> list[Instalment]:
    """Level-payment schedule: interest each period is ``to_fen(balance × annual_rate / ppy)``.

    Every payment equals :func:`level_payment` except the last, which is whatever clears the
    balance (so the principal parts sum exactly to ``principal``).  If rounding makes the level
    payment clear the balance early, the remaining rows are zero.

    >>> rows = amortisation_schedule(Decimal("1000"), Decimal("0.12"), 2)
    >>> [(r.payment, r.interest, r.principal, r.balance) for r in rows]
    [(Decimal('507.51'), Decimal('10.00'), Decimal('497.51'), Decimal('502.49')), \
(Decimal('507.51'), Decimal('5.02'), Decimal('502.49'), Decimal('0.00'))]
    """
    payment = level_payment(principal, annual_rate, n, periods_per_year)
    balance = to_fen(principal)
    rows: list[Instalment] = []
    for k in range(1, n + 1):
        interest = to_fen(balance * annual_rate / periods_per_year)
        # The last payment clears the balance; earlier ones never take more than is owed.
        part = balance if k == n else min(payment - interest, balance)
        balance = balance - part
        rows.append(
            Instalment(
                period=k,
                payment=interest + part,
                interest=interest,
                principal=part,
                balance=balance if balance != 0 else ZERO,
            )
        )
    return rows
