"""Case builders shared by several test modules (imported by name: tests/ is on sys.path).

Each builder returns a fresh object, so a test may change what it gets.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def monthly(year: int, month: int, day: int, amounts: list[str]) -> list[dict[str, Any]]:
    """Instalments (input form) due on ``day`` of consecutive months from ``year``-``month``."""
    out = []
    for amount in amounts:
        out.append({"due": dt.date(year, month, day), "amount": amount})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def settlement() -> dict[str, Any]:
    """The figures of one consistent settlement (input form) of a 20,000 yuan loan.

    8,000 repaid; 13,500 remaining = 12,000 principal + 1,000 interest + 500 penalty; 1,500
    waived leaves 12,000, paid in twelve monthly instalments of 1,000 from 2026-12-15.
    """
    return {
        "loan_amount": "20000",
        "repaid": "8000",
        "remaining": "13500",
        "principal": "12000",
        "interest": "1000",
        "penalty": "500",
        "fees": "0",
        "waiver_negotiated": True,
        "waived": "1500",
        "total": "12000",
        "instalments": monthly(2026, 12, 15, ["1000"] * 12),
    }


def ric(first17: str) -> str:
    """A valid 18-character 身份证号 (GB 11643 check digit) from its first 17 digits.

    Computed here, independently of :mod:`negotiator.ids`, so the tests can catch a wrong
    check digit there.
    """
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]
