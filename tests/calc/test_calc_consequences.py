"""Projected charges if nothing is paid."""

from __future__ import annotations

from decimal import Decimal

import pytest

from negotiator.calc.consequences import projected_charges, standard_projections
from negotiator.errors import InputError

D = Decimal


def test_simple_by_hand() -> None:
    # 8,000 outstanding, 万分之5 a day, 90 days: 8,000 × 0.0005 × 90 = 360.00
    assert projected_charges(D("8000"), D("0.0005"), 90) == D("360.00")
    # plus a 30-yuan late fee per complete 30-day period: 3 × 30 = 90 → 450.00
    assert projected_charges(D("8000"), D("0.0005"), 90, D("30")) == D("450.00")
    # 89 days: 8,000 × 0.0005 × 89 = 356.00, only two complete periods → 416.00
    assert projected_charges(D("8000"), D("0.0005"), 89, D("30")) == D("416.00")
    assert projected_charges(D("8000"), D("0.0005"), 0, D("30")) == D("0.00")


def test_compound_by_hand() -> None:
    # 1,000 at 1 % a day compounded for 2 days: 1,000 × (1.01² - 1) = 20.10
    assert projected_charges(D("1000"), D("0.01"), 2, compound=True) == D("20.10")
    assert projected_charges(D("1000"), D("0.01"), 2) == D("20.00")
    assert projected_charges(D("1000"), D("0.01"), 1, compound=True) == D("10.00")


def test_standard_projections() -> None:
    got = standard_projections(D("10000"), D("0.0006"), D("20"))
    # 10,000 × 0.0006 = 6 a day; fees at 20 per 30 days.
    assert got == {30: D("200.00"), 90: D("600.00"), 180: D("1200.00")}
    assert list(standard_projections(D("1"), D("0"), horizons=(7, 14))) == [7, 14]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((D("-1"), D("0.001"), 10), "outstanding_principal"),
        ((D("1"), D("-0.001"), 10), "daily_penalty_rate"),
        ((D("1"), D("0.001"), -1), "days"),
        ((D("1"), D("0.001"), 10, D("-5")), "late_fee_per_period"),
        ((D("1"), D("0.001"), 10, D("5"), 0), "period_days"),
    ],
)
def test_rejects(args: tuple[object, ...], field: str) -> None:
    with pytest.raises(InputError) as info:
        projected_charges(*args)  # type: ignore[arg-type]
    assert info.value.path == field
