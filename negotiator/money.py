"""Money, rates and the one rounding rule.

Money is :class:`decimal.Decimal` in yuan.  Every amount that leaves a calculation is rounded to
the fen (0.01 yuan) by :func:`to_fen` with **ROUND_HALF_UP** — the rule Chinese banks and courts
use for 元角分 (四舍五入).  No other rounding of money exists in the package.

Rates are exact decimals expressed as a *fraction per year* (``Decimal("0.24")`` is 24 %/yr)
unless a name says otherwise.

>>> to_fen(Decimal("1.005"))
Decimal('1.01')
>>> fen(Decimal("12.34"))
1234
>>> from_fen(1234)
Decimal('12.34')
>>> rate_to_ppm(Decimal("0.24"))
240000
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import ParamSpec, TypeVar

__all__ = [
    "CONTEXT",
    "FEN",
    "LARGEST_STATED",
    "RATE_PLACES",
    "ROUNDING",
    "ZERO",
    "at_most_rate_places",
    "fen",
    "format_amount",
    "format_yuan",
    "from_fen",
    "in_private_context",
    "ppm_to_rate",
    "private_context",
    "rate_to_ppm",
    "stated",
    "to_fen",
]

#: The named rounding rule for money (四舍五入 to the fen).
ROUNDING = ROUND_HALF_UP
#: One fen, the smallest unit of money.
FEN = Decimal("0.01")
ZERO = Decimal("0.00")
_PPM = Decimal(1_000_000)

#: The decimal context every calculation runs in, whatever the calling thread's context is
#: (an application that lowered ``decimal.getcontext().prec`` must not change our figures).
#: 28 significant digits (the standard default, so figures do not change with the caller);
#: rounding to the fen has its own wider context (:func:`to_fen`). An operation that is
#: invalid, divides by zero or overflows raises instead of returning NaN or Infinity.
CONTEXT = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
#: Figures at or above this size (10^18) are no real amount of money or rate: reports state them
#: in scientific notation (``"1.90E+27"``) instead of to the fen.  They arise from costs such as
#: a 7-day loan that keeps 70 % of its principal (a true annual cost near 10^27).
LARGEST_STATED = Decimal(10) ** 18
# Quantizing to the fen may need more digits than 50 for an absurd figure: this context has
# room for any figure below 10^(_QUANT_PREC - 3).
_QUANT = Context(prec=400, rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)

_P = ParamSpec("_P")
_R = TypeVar("_R")


@contextlib.contextmanager
def private_context() -> Iterator[Context]:
    """Run the body in a copy of :data:`CONTEXT` (thread-local, like every decimal context)."""
    with localcontext(CONTEXT) as ctx:
        yield ctx


def in_private_context(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate a public entry point so that all its arithmetic runs in :data:`CONTEXT`."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(CONTEXT):
            return func(*args, **kwargs)

    return wrapper


#: Decimal places of rates and ratios in reports (half-up): 10 places resolve a daily rate to
#: 10^-10, far finer than any rule or cap compares.
RATE_PLACES = 10
_RATE_QUANTUM = Decimal(1).scaleb(-RATE_PLACES)


def at_most_rate_places(value: Decimal) -> Decimal:
    """``value`` with at most :data:`RATE_PLACES` decimal places (half-up)."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent >= -RATE_PLACES:
        return value
    return value.quantize(_RATE_QUANTUM, rounding=ROUNDING, context=CONTEXT)


def stated(amount: Decimal) -> str:
    """An amount as a report states it: to the fen, or in scientific notation with three
    significant digits at or above :data:`LARGEST_STATED` (never an error)."""
    if not amount.is_finite():
        return str(amount)
    if abs(amount) >= LARGEST_STATED:
        return f"{amount:.2E}"
    return str(to_fen(amount))


def to_fen(amount: Decimal) -> Decimal:
    """Round an amount in yuan to the fen with :data:`ROUNDING` (in a context with room for
    any figure the calculators can produce, so it never raises for lack of digits)."""
    if amount.adjusted() < 25:
        return amount.quantize(FEN, rounding=ROUNDING, context=CONTEXT)
    return amount.quantize(FEN, rounding=ROUNDING, context=_QUANT)


def fen(amount: Decimal) -> int:
    """The amount as a whole number of fen (for engine facts)."""
    return int(to_fen(amount) * 100)


def from_fen(n: int) -> Decimal:
    """Integer fen back to yuan."""
    return (Decimal(n) / 100).quantize(FEN)


def rate_to_ppm(rate: Decimal) -> int:
    """A yearly rate fraction as integer parts per million (0.24 → 240000), half-up."""
    return int((rate * _PPM).quantize(Decimal(1), rounding=ROUNDING))


def ppm_to_rate(ppm: int) -> Decimal:
    return Decimal(ppm) / _PPM



def format_yuan(amount: Decimal) -> str:
    """``Decimal('12345.6')`` → ``'12,345.60'``."""
    return f"{to_fen(amount):,.2f}"


def format_amount(amount: Decimal, lang: str = "zh-Hans") -> str:
    """The one way a document prints an amount of money: to the fen by :func:`to_fen`, with
    thousands separators — ``12,345.60元`` (Chinese, no space) or ``CNY 12,345.60`` (English).

    >>> format_amount(Decimal("950"))
    '950.00元'
    >>> format_amount(Decimal("1234.565"), "en")
    'CNY 1,234.57'
    """
    return f"CNY {format_yuan(amount)}" if lang == "en" else f"{format_yuan(amount)}元"
