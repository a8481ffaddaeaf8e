"""Cap regimes: 4×LPR for private lending, 24 % for licensed lenders, transitional rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from negotiator.calc.caps import (
    Regime,
    cap_for,
    cap_for_lender,
    combined_overdue_cap,
    excess_interest,
    regime_for,
    within_cap,
)
from negotiator.errors import InputError

D = Decimal


@pytest.mark.parametrize(
    ("lender", "regime"),
    [
        ("bank", Regime.LICENSED),
        ("consumer_finance", Regime.LICENSED),
        ("microloan", Regime.LICENSED),
        ("bank_via_platform", Regime.LICENSED),
        ("private", Regime.PRIVATE),
        ("other", Regime.UNKNOWN),
    ],
)
def test_regime_for(lender: str, regime: Regime) -> None:
    assert regime_for(lender) is regime


def test_unknown_lender_type_raises() -> None:
    with pytest.raises(InputError) as info:
        regime_for("p2p")
    assert info.value.path == "lender_type"


@pytest.mark.parametrize(
    ("contract", "cap"),
    [
        # 4 × the one-year LPR on the contract date (the LPR history in negotiator/data/lpr.toml).
        (date(2020, 8, 20), D("0.1540")),  # 4 × 3.85 %
        (date(2021, 12, 20), D("0.1520")),  # 4 × 3.80 %
        (date(2022, 8, 22), D("0.1460")),  # 4 × 3.65 %
        (date(2024, 10, 21), D("0.1240")),  # 4 × 3.10 %
        (date(2025, 6, 1), D("0.1200")),  # 4 × 3.00 %
    ],
)
def test_private_cap_is_four_times_lpr_at_formation(contract: date, cap: Decimal) -> None:
    c = cap_for(Regime.PRIVATE, contract)
    assert c.annual_rate == cap
    assert c.lpr is not None and c.annual_rate == 4 * c.lpr.rate
    assert c.pre_transition_rate is None
    assert c.reducible_on_request is False
    assert any(article == "第二十五条" for _, article, _ in c.citations)
    assert any(article == "第二十九条" for _, article, _ in c.citations)


def test_private_cap_after_data_is_flagged() -> None:
    c = cap_for("private", date(2027, 1, 1))
    assert c.lpr is not None and c.lpr.after_last_verified
    assert c.note is not None and "last verified" in c.note


def test_transitional_without_suit_date_uses_24_percent() -> None:
    for contract in (date(2018, 5, 1), date(2019, 8, 20), date(2020, 8, 19)):
        c = cap_for("private", contract)
        assert c.annual_rate == D("0.24")
        assert c.pre_transition_rate == D("0.24")
        assert c.lpr is None
        assert c.note is not None and "2020-08-19" in c.note
        assert any(article == "第三十一条" for _, article, _ in c.citations)


def test_transitional_with_suit_date_uses_lpr_at_suit() -> None:
    c = cap_for("private", date(2018, 5, 1), as_of=date(2024, 11, 15))
    assert c.annual_rate == D("0.1240")  # 4 × 3.10 % in force on 2024-11-15
    assert c.pre_transition_rate == D("0.24")
    assert c.lpr is not None and c.lpr.on == date(2024, 11, 15)
    # A suit date before the new standard leaves the old figure in place.
    early = cap_for("private", date(2018, 5, 1), as_of=date(2020, 6, 1))
    assert early.annual_rate == D("0.24")


def test_licensed_and_unknown() -> None:
    lic = cap_for("licensed", date(2015, 1, 1))
    assert lic.annual_rate == D("0.24")
    assert lic.reducible_on_request is True
    assert lic.lpr is None
    unk = cap_for(Regime.UNKNOWN, date(2024, 1, 1))
    assert unk.annual_rate is None
    assert "贷款人" in unk.basis
    assert within_cap(D("0.5"), unk) is None
    with pytest.raises(InputError):
        cap_for("usury", date(2024, 1, 1))


def test_lender_notes() -> None:
    assert "UNVERIFIED" in (cap_for_lender("bank_via_platform", date(2025, 11, 1)).note or "")
    assert "2027" in (cap_for_lender("microloan", date(2025, 11, 1)).note or "")
    assert cap_for_lender("bank", date(2025, 11, 1)).note is None
    assert cap_for_lender("private", date(2025, 11, 1)).annual_rate == D("0.1200")


def test_excess_interest_by_hand() -> None:
    # Private loan made 2024-11-01 → cap 12.40 %.  Principal 10,000, 90 days, 500 charged.
    # allowed = 10,000 × 0.124 × 90 / 365 = 305.753… → 305.75; excess = 500 - 305.75 = 194.25
    assert excess_interest(D("10000"), D("500"), D("0.124"), 90) == D("194.25")
    # Same on a 360-day basis: allowed = 10,000 × 0.124 / 4 = 310.00 → excess 190.00
    assert excess_interest(D("10000"), D("500"), D("0.124"), 90, basis=360) == D("190.00")
    # Under the cap: never negative.
    assert excess_interest(D("10000"), D("100"), D("0.124"), 90) == D("0.00")
    assert excess_interest(D("10000"), D("100"), D("0.124"), 0) == D("100.00")
    with pytest.raises(InputError):
        excess_interest(D("10000"), D("100"), D("0.124"), -1)
    with pytest.raises(InputError):
        excess_interest(D("10000"), D("-100"), D("0.124"), 10)


def test_licensed_24_percent_combined_by_hand() -> None:
    # Consumer-finance loan, 20,000 unpaid principal, 180 days overdue.
    #   penalty interest 万分之5 a day: 20,000 × 0.0005 × 180 = 1,800.00
    #   违约金 600.00, other fees 400.00 → total 2,800.00
    #   24 % allowance: 20,000 × 0.24 × 180 / 365 = 2,367.123… → 2,367.12
    #   reducible on request: 2,800.00 - 2,367.12 = 432.88
    cap = cap_for_lender("consumer_finance", date(2023, 3, 1))
    chk = combined_overdue_cap(
        cap,
        D("20000"),
        180,
        overdue_interest=D("1800"),
        liquidated_damages=D("600"),
        fees=D("400"),
    )
    assert chk.total_charged == D("2800.00")
    assert chk.allowed == D("2367.12")
    assert chk.excess == D("432.88")
    assert chk.within_cap is False


def test_private_combined_article_29_by_hand() -> None:
    # Private loan made 2021-12-20 → 4 × 3.80 % = 15.20 %.  Principal 50,000, 60 days overdue.
    #   allowance: 50,000 × 0.152 × 60 / 365 = 1,249.315… → 1,249.32
    #   overdue interest 900 + 违约金 300 = 1,200 ≤ 1,249.32 → within the cap
    cap = cap_for("private", date(2021, 12, 20))
    ok = combined_overdue_cap(
        cap, D("50000"), 60, overdue_interest=D("900"), liquidated_damages=D("300")
    )
    assert (ok.allowed, ok.excess, ok.within_cap) == (D("1249.32"), D("0.00"), True)
    # Add 100 of fees: 1,300 - 1,249.32 = 50.68 above the cap.
    over = combined_overdue_cap(
        cap, D("50000"), 60, overdue_interest=D("900"), liquidated_damages=D("300"), fees=D("100")
    )
    assert (over.excess, over.within_cap) == (D("50.68"), False)


def test_combined_unknown_regime_gives_no_judgement() -> None:
    chk = combined_overdue_cap(cap_for("unknown", date(2024, 1, 1)), D("1000"), 30, fees=D("50"))
    assert chk.total_charged == D("50.00")
    assert (chk.allowed, chk.excess, chk.within_cap) == (None, None, None)


def test_within_cap_boundary() -> None:
    cap = cap_for("licensed", date(2024, 1, 1))
    assert within_cap(D("0.24"), cap) is True
    assert within_cap(D("0.2400001"), cap) is False
