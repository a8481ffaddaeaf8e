"""Budget, instalment count and exact splitting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from negotiator.calc.budget import (
    compute_budget,
    instalments_needed,
    split_proportional,
    split_total,
)
from negotiator.errors import InputError

D = Decimal


def test_budget_by_hand() -> None:
    # 8,000 income - 4,200 essentials - 1,300 other debts = 2,500 disposable;
    # keep 15 % back: 2,500 × 0.85 = 2,125 affordable.
    b = compute_budget(D("8000"), D("4200"), D("1300"), D("0.15"))
    assert b.disposable == D("2500.00")
    assert b.affordable_monthly == D("2125.00")


def test_affordable_rounds_down_to_whole_yuan() -> None:
    # 1,999.99 × 0.9 = 1,799.991 → 1,799 (not 1,800).
    b = compute_budget(D("5999.99"), D("4000"), D("0"), D("0.10"))
    assert b.affordable_monthly == D("1799.00")


def test_shortfall_gives_zero_affordable_and_negative_disposable() -> None:
    b = compute_budget(D("3000"), D("3500"), D("200"), D("0.1"))
    assert b.disposable == D("-700.00")
    assert b.affordable_monthly == D("0.00")


@pytest.mark.parametrize("margin", [D("-0.1"), D("1"), D("1.5")])
def test_bad_margin(margin: Decimal) -> None:
    with pytest.raises(InputError):
        compute_budget(D("1000"), D("0"), D("0"), margin)


def test_negative_income_rejected() -> None:
    with pytest.raises(InputError) as info:
        compute_budget(D("-1"), D("0"), D("0"), D("0"))
    assert info.value.path == "income"


@pytest.mark.parametrize(
    ("total", "monthly", "n"),
    [
        (D("10000"), D("2000"), 5),
        (D("10000.01"), D("2000"), 6),
        (D("1999.99"), D("2000"), 1),
        (D("0"), D("100"), 0),
        (D("100"), D("0"), None),
        (D("100"), D("-5"), None),
        (D("1"), D("0.01"), 100),
    ],
)
def test_instalments_needed(total: Decimal, monthly: Decimal, n: int | None) -> None:
    assert instalments_needed(total, monthly) == n


def test_split_total_remainder_on_last() -> None:
    assert split_total(D("100"), 3) == [D("33.33"), D("33.33"), D("33.34")]
    assert split_total(D("0.05"), 3) == [D("0.01"), D("0.02"), D("0.02")]
    assert split_total(D("0.01"), 4) == [D("0.00"), D("0.00"), D("0.00"), D("0.01")]
    assert split_total(D("12000"), 12) == [D("1000.00")] * 12
    with pytest.raises(InputError):
        split_total(D("100"), 0)
    with pytest.raises(InputError):
        split_total(D("100.001"), 3)
    with pytest.raises(InputError):
        split_total(D("-1"), 3)


def test_split_proportional_by_hand() -> None:
    # 1,000.00 over balances 1 : 1 : 1 → 333.33 each, 0.01 left over; all three remainders are
    # equal (1/3 fen), so the earliest lender gets it.
    assert split_proportional(D("1000"), [D("1"), D("1"), D("1")]) == [
        D("333.34"),
        D("333.33"),
        D("333.33"),
    ]
    # 100.00 over 2 : 1 → exact shares 66.666… and 33.333…; the larger remainder (0.666… fen)
    # wins the left-over fen: 66.67 and 33.33.
    assert split_proportional(D("100"), [D("2"), D("1")]) == [D("66.67"), D("33.33")]
    assert split_proportional(D("50"), [D("0"), D("3")]) == [D("0.00"), D("50.00")]


def test_split_proportional_rejects() -> None:
    with pytest.raises(InputError):
        split_proportional(D("100"), [])
    with pytest.raises(InputError):
        split_proportional(D("100"), [D("0"), D("0")])
    with pytest.raises(InputError) as info:
        split_proportional(D("100"), [D("1"), D("-1")])
    assert info.value.path == "weights[1]"
