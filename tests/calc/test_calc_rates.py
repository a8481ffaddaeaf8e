"""Rate conversion and Chinese display forms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiator.calc.rates import (
    DayCount,
    RateUnit,
    format_daily_wan,
    format_monthly_permille,
    format_percent,
    from_annual,
    to_annual,
)
from negotiator.errors import InputError

D = Decimal


@pytest.mark.parametrize(
    ("value", "unit", "basis", "annual"),
    [
        (D("0.0005"), RateUnit.DAILY, 360, D("0.18")),  # 万分之5 a day on 360 days = 18 %
        (D("0.0005"), RateUnit.DAILY, 365, D("0.1825")),
        (D("0.001"), "daily", 360, D("0.36")),
        (D("0.02"), RateUnit.MONTHLY, 360, D("0.24")),
        (D("0.01"), "monthly", 365, D("0.12")),  # basis irrelevant for monthly
        (D("0.24"), RateUnit.ANNUAL, 360, D("0.24")),
    ],
)
def test_to_annual(value: Decimal, unit: RateUnit | str, basis: int, annual: Decimal) -> None:
    assert to_annual(value, unit, basis) == annual


def test_default_basis_is_360() -> None:
    assert to_annual(D("0.0005"), RateUnit.DAILY) == D("0.18")
    assert from_annual(D("0.36"), RateUnit.DAILY) == D("0.001")
    assert int(DayCount.BANK_360) == 360


def test_bad_unit_or_basis() -> None:
    with pytest.raises(InputError):
        to_annual(D("0.01"), "weekly")
    with pytest.raises(InputError):
        to_annual(D("0.01"), RateUnit.DAILY, basis=366)
    with pytest.raises(InputError):
        from_annual(D("0.01"), RateUnit.MONTHLY, basis=100)


@given(st.decimals(min_value=0, max_value=10, places=6), st.sampled_from(list(RateUnit)))
def test_round_trip(annual: Decimal, unit: RateUnit) -> None:
    # Division by 360 or 12 may not terminate, so allow for the 28-digit context.
    for basis in (360, 365):
        back = to_annual(from_annual(annual, unit, basis), unit, basis)
        assert abs(back - annual) <= annual * D("1e-26")


def test_monthly_round_trip_exact_when_divisible() -> None:
    assert from_annual(D("0.18"), RateUnit.MONTHLY) == D("0.015")
    assert to_annual(from_annual(D("0.18"), RateUnit.MONTHLY), RateUnit.MONTHLY) == D("0.18")


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        (D("0.24"), "24.00%"),
        (D("0.1358"), "13.58%"),
        (D("0.128038"), "12.80%"),
        (D("0.000049"), "0.00%"),
        (D("0.00005"), "0.01%"),  # half-up
        (D("1.5"), "150.00%"),
    ],
)
def test_format_percent(rate: Decimal, text: str) -> None:
    assert format_percent(rate) == text


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        (D("0.0005"), "万分之5"),
        (D("0.00055"), "万分之5.5"),
        (D("0.000333"), "万分之3.33"),
        (D("0.001"), "万分之10"),
        (D("0"), "万分之0"),
    ],
)
def test_format_daily_wan(rate: Decimal, text: str) -> None:
    assert format_daily_wan(rate) == text


def test_format_monthly_permille() -> None:
    assert format_monthly_permille(D("0.01")) == "千分之10"
    assert format_monthly_permille(D("0.015")) == "千分之15"
    assert format_monthly_permille(D("0.0025")) == "千分之2.5"
