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

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "FEN",
    "ROUNDING",
    "ZERO",
    "fen",
    "format_yuan",
    "from_fen",
    "parse_money",
    "ppm_to_rate",
    "rate_to_ppm",
    "to_fen",
]

#: The named rounding rule for money (四舍五入 to the fen).
ROUNDING = ROUND_HALF_UP
#: One fen, the smallest unit of money.
FEN = Decimal("0.01")
ZERO = Decimal("0.00")
_PPM = Decimal(1_000_000)


def to_fen(amount: Decimal) -> Decimal:
    """Round an amount in yuan to the fen with :data:`ROUNDING`."""
    return amount.quantize(FEN, rounding=ROUNDING)


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


def parse_money(value: object) -> Decimal:
    """Parse an amount given as str/int/Decimal (never float) into yuan rounded to the fen.

    Raises ``ValueError`` with a short reason; the caller adds the field path.
    """
    if isinstance(value, bool | float):
        raise ValueError("amounts must be written as a string or an integer, not a float")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int | str):
        try:
            d = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"not an amount of money: {str(value)[:40]!r}") from None
    else:
        raise ValueError("an amount of money must be a string or an integer")
    if not d.is_finite():
        raise ValueError("amount must be a finite number")
    if d != to_fen(d):
        raise ValueError("amount has more precision than one fen (0.01)")
    return to_fen(d)


def format_yuan(amount: Decimal) -> str:
    """``Decimal('12345.6')`` → ``'12,345.60'``."""
    return f"{to_fen(amount):,.2f}"
