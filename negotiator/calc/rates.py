"""Rate units, simple (non-compounding) conversion between them, and Chinese display forms.

A rate is an exact :class:`~decimal.Decimal` fraction: ``Decimal("0.0005")`` per day is
万分之5 a day.  Conversions here are *simple*: a daily rate times the days in the year, a
monthly rate times 12.  They restate a quoted rate on another unit; they are not an annualised
cost (for that, use :mod:`negotiator.calc.cost`, which works from actual cash flows).

Day-count basis
---------------
Turning a daily rate into a yearly one needs the number of days in the "year" the contract
uses.  That number is part of the loan contract, so callers should pass the contract's basis.
When the contract is silent the default here is **360**, the convention commonly used by
Chinese banks for 日利率 = 年利率 ÷ 360.  That convention is *not* recorded in the project's
legal research (docs/formulas.md marks it UNVERIFIED), so output based on the default should
say which basis was assumed.  With 365 a daily rate gives an annual figure 365/360 (≈1.4 %)
higher.

>>> to_annual(Decimal("0.0005"), RateUnit.DAILY)
Decimal('0.1800')
>>> to_annual(Decimal("0.0005"), RateUnit.DAILY, basis=DayCount.ACTUAL_365)
Decimal('0.1825')
>>> to_annual(Decimal("0.02"), RateUnit.MONTHLY)
Decimal('0.24')
>>> from_annual(Decimal("0.24"), RateUnit.MONTHLY)
Decimal('0.02')
>>> format_percent(Decimal("0.24"))
'24.00%'
>>> format_daily_wan(Decimal("0.0005"))
'万分之5'
>>> format_monthly_permille(Decimal("0.015"))
'千分之15'
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from enum import IntEnum

from negotiator.case.models import RateUnit
from negotiator.errors import InputError
from negotiator.money import ROUNDING

__all__ = [
    "DayCount",
    "RateUnit",
    "format_daily_wan",
    "format_monthly_permille",
    "format_percent",
    "from_annual",
    "to_annual",
]

_HUNDRED = Decimal(100)
_THOUSAND = Decimal(1000)
_TEN_THOUSAND = Decimal(10_000)
_MONTHS = Decimal(12)
_DISPLAY = Decimal("0.01")


class DayCount(IntEnum):
    """Days in the year used to convert between daily and annual rates (see module docs)."""

    BANK_360 = 360
    ACTUAL_365 = 365


def _basis(basis: int) -> Decimal:
    if basis not in (DayCount.BANK_360, DayCount.ACTUAL_365):
        raise InputError("basis", f"day-count basis must be 360 or 365, got {basis}")
    return Decimal(int(basis))


def _factor(unit: RateUnit | str, basis: int) -> Decimal:
    try:
        u = RateUnit(unit)
    except ValueError:
        raise InputError("unit", f"unknown rate unit {str(unit)[:20]!r}") from None
    if u is RateUnit.DAILY:
        return _basis(basis)
    _basis(basis)  # validate even when unused, so a wrong basis is never silently ignored
    return _MONTHS if u is RateUnit.MONTHLY else Decimal(1)


def to_annual(value: Decimal, unit: RateUnit | str, basis: int = DayCount.BANK_360) -> Decimal:
    """The simple annual equivalent of a rate quoted per ``unit`` (no compounding)."""
    return value * _factor(unit, basis)


def from_annual(value: Decimal, unit: RateUnit | str, basis: int = DayCount.BANK_360) -> Decimal:
    """The simple per-``unit`` equivalent of an annual rate (inverse of :func:`to_annual`).

    Division by 365 rarely terminates, so a daily rate from a 365 basis carries the decimal
    context's precision (28 significant digits) and is not exactly representable.
    """
    return value / _factor(unit, basis)


def _two_places(value: Decimal) -> Decimal:
    """``value`` rounded half-up to two decimals, however large it is."""
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, value.adjusted() + 4)
        return value.quantize(_DISPLAY, rounding=ROUNDING)


def _plain(value: Decimal) -> str:
    """Up to two decimals, trailing zeros dropped, no exponent (``5.50`` → ``5.5``)."""
    text = f"{_two_places(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


#: Above this (10,000 % a year) a percentage says nothing a reader can use: it is shown as a
#: bound.  The exact figure stays in the JSON's raw rate.
PERCENT_DISPLAY_CEILING = Decimal(100)


def format_percent(rate: Decimal, places: int = 2) -> str:
    """A fraction as a percentage, half-up to ``places`` decimals: ``0.1358`` → ``'13.58%'``.

    The one percentage formatter of the project.  A rate above 10,000 % a year (a 7-day loan
    with most of its principal kept back) is shown as ``'> 10,000%'`` rather than as thirty
    digits.

    >>> format_percent(Decimal("0.128049"))
    '12.80%'
    >>> format_percent(Decimal("-0.005"))
    '-0.50%'
    >>> format_percent(Decimal("0.24"), 0)
    '24%'
    >>> format_percent(Decimal("68.5007"))
    '6,850.07%'
    >>> format_percent(Decimal("1E+24"))
    '> 10,000%'
    """
    if rate > PERCENT_DISPLAY_CEILING:
        return f"> {PERCENT_DISPLAY_CEILING * _HUNDRED:,.0f}%"
    scaled = rate * _HUNDRED
    q = Decimal(1).scaleb(-places)
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, scaled.adjusted() + places + 2)
        return f"{scaled.quantize(q, rounding=ROUNDING):,f}%"


def format_daily_wan(rate_daily: Decimal) -> str:
    """A daily rate in parts per ten thousand, the usual wording for daily penalty rates.

    Shown with at most two decimals (half-up), trailing zeros dropped.

    >>> format_daily_wan(Decimal("0.00055"))
    '万分之5.5'
    >>> format_daily_wan(Decimal("0.001"))
    '万分之10'
    """
    return f"万分之{_plain(rate_daily * _TEN_THOUSAND)}"


def format_monthly_permille(rate_monthly: Decimal) -> str:
    """A monthly rate in parts per thousand (千分之X per month).

    The traditional words 月息X分 / X厘 are deliberately not produced: in everyday usage
    "1分" a month means 1 % but "1厘" is used both for 0.1 % and, regionally, for 1 %, so the
    per-mille form is the one that cannot be misread.

    >>> format_monthly_permille(Decimal("0.01"))
    '千分之10'
    >>> format_monthly_permille(Decimal("0.0125"))
    '千分之12.5'
    """
    return f"千分之{_plain(rate_monthly * _THOUSAND)}"
