"""砍头息: interest deducted up front is recomputed on the money actually received."""

from __future__ import annotations

from decimal import Decimal

import pytest

from negotiator.calc.upfront import upfront_deduction
from negotiator.errors import InputError

D = Decimal


def test_worked_by_hand_months() -> None:
    # Contract says 10,000 at 12 %/yr for 6 months, repaid in one sum; the lender paid out
    # only 8,000 (2,000 "interest" kept back).
    #   deducted            = 10,000 - 8,000               = 2,000.00
    #   interest claimed    = 10,000 × 0.12 × 6/12         =   600.00
    #   lender claims       = 10,000 + 600                 = 10,600.00
    #   recognised principal= 8,000 (民法典 670, 规定 26)
    #   interest recognised =  8,000 × 0.12 × 6/12         =   480.00
    #   owed                =  8,000 + 480                 =  8,480.00
    #   difference          = 10,600 - 8,480               =  2,120.00
    #   real rate if claim paid: (10,600 - 8,000) / 8,000 / 0.5 = 0.65 (65 %/yr)
    r = upfront_deduction(D("10000"), D("8000"), D("0.12"), months=6)
    assert r.deducted == D("2000.00")
    assert r.recognised_principal == D("8000.00")
    assert r.interest_claimed == D("600.00")
    assert r.claimed_total == D("10600.00")
    assert r.interest_recognised == D("480.00")
    assert r.owed_total == D("8480.00")
    assert r.difference == D("2120.00")
    assert r.effective_annual_rate == D("0.65")


def test_worked_by_hand_days() -> None:
    # 5,000 on paper, 4,500 received, 18 %/yr for 90 days on a 365-day year.
    #   claimed interest   = 5,000 × 0.18 × 90 / 365 = 221.9178… → 221.92
    #   recognised interest= 4,500 × 0.18 × 90 / 365 = 199.7260… → 199.73
    #   difference         = (5,000 + 221.92) - (4,500 + 199.73) = 522.19
    r = upfront_deduction(D("5000"), D("4500"), D("0.18"), days=90)
    assert (r.interest_claimed, r.interest_recognised) == (D("221.92"), D("199.73"))
    assert r.difference == D("522.19")
    # On a 360-day year: 5,000 × 0.18 × 90/360 = 225.00 and 4,500 × 0.18 / 4 = 202.50.
    r360 = upfront_deduction(D("5000"), D("4500"), D("0.18"), days=90, basis=360)
    assert (r360.interest_claimed, r360.interest_recognised) == (D("225.00"), D("202.50"))
    assert r360.difference == D("522.50")


def test_half_fen_not_lost_to_rounded_fraction() -> None:
    # 1,000.50 × 0.06 × 7/12 = 35.0175 → 35.02; 1,000 × 0.06 × 7/12 = 35.00 exactly.
    r = upfront_deduction(D("1000.50"), D("1000"), D("0.06"), months=7)
    assert r.interest_claimed == D("35.02")
    assert r.interest_recognised == D("35.00")


def test_no_deduction_means_no_difference() -> None:
    r = upfront_deduction(D("3000"), D("3000"), D("0.2"), months=3)
    assert r.deducted == 0
    assert r.difference == 0
    assert r.effective_annual_rate == D("0.2")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"contract_principal": D("100"), "received": D("200")}, "received"),
        ({"contract_principal": D("0"), "received": D("0")}, "contract_principal"),
        ({"received": D("-1")}, "received"),
        ({"annual_rate": D("-0.1")}, "annual_rate"),
        ({"months": None}, "term"),
        ({"days": 30}, "term"),
        ({"months": 0}, "months"),
        ({"months": None, "days": 30, "basis": 366}, "basis"),
    ],
)
def test_rejects_bad_input(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {
        "contract_principal": D("1000"),
        "received": D("900"),
        "annual_rate": D("0.1"),
        "months": 12,
    }
    args.update(kwargs)
    with pytest.raises(InputError) as info:
        upfront_deduction(**args)  # type: ignore[arg-type]
    assert info.value.path == field
