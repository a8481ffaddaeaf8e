"""Re-applying a loan's payments at the cap (court-style recalculation) and the shared enums."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiator.calc import caps, rates
from negotiator.calc.caps import recompute_at_cap
from negotiator.case import models
from negotiator.errors import InputError

D = Decimal


def test_bullet_loan_above_the_cap() -> None:
    # 8,000 received, 10,000 repaid after 365 days; 24 % allows 8,000 × 0.24 = 1,920.
    r = recompute_at_cap(D("8000"), [(365, D("10000"))], D("0.24"), 365)
    assert (r.charged, r.allowed, r.excess) == (D("2000.00"), D("1920.00"), D("80.00"))
    assert r.unpaid_principal == 0 and r.unpaid_interest == 0


def test_instalments_within_the_cap_leave_no_excess() -> None:
    # 1,000 over two months at 12 %: 507.51 + 507.51 is the level schedule at exactly 12 %.
    r = recompute_at_cap(D("1000"), [(1, D("507.51")), (2, D("507.51"))], D("0.12"), 12)
    # month 1: interest 10.00, principal 497.51 → 502.49 left; month 2: interest 5.02.
    assert r.allowed == D("15.02")
    assert r.excess == D("0.00")
    assert r.unpaid_principal == D("0.00")


def test_instalments_above_the_cap_by_hand() -> None:
    # 1,200 received, three monthly payments of 450 at a 24 % cap (2 % a month):
    # m1: interest 24.00, principal 426.00 → 774.00; m2: 15.48, 434.52 → 339.48;
    # m3: 6.79, then 339.48 principal, 103.73 paid beyond principal + interest.
    r = recompute_at_cap(D("1200"), [(k, D("450")) for k in (1, 2, 3)], D("0.24"), 12)
    assert r.allowed == D("46.27")
    assert r.excess == D("103.73")
    assert r.charged == D("150.00")


def test_underpayment_is_not_an_excess() -> None:
    r = recompute_at_cap(D("1000"), [(30, D("5"))], D("0.24"), 365)
    # 30 days at 24 %: 19.73 of interest; the 5 paid covers part of it.
    assert r.excess == D("0.00")
    assert r.unpaid_interest == D("14.73")
    assert r.unpaid_principal == D("1000.00")


def test_unpaid_interest_does_not_compound() -> None:
    # Nothing paid for two periods: interest on the principal only, 20.00 + 20.00.
    r = recompute_at_cap(D("1000"), [(1, D("0")), (2, D("1040"))], D("0.24"), 12)
    assert r.allowed == D("40.00") and r.excess == D("0.00")


def test_bad_input() -> None:
    with pytest.raises(InputError):
        recompute_at_cap(D("-1"), [(1, D("1"))], D("0.24"), 12)
    with pytest.raises(InputError):
        recompute_at_cap(D("1"), [(1, D("-1"))], D("0.24"), 12)
    with pytest.raises(InputError):
        recompute_at_cap(D("1"), [(-1, D("1"))], D("0.24"), 12)
    with pytest.raises(InputError):
        recompute_at_cap(D("1"), [(1, D("1"))], D("0.24"), 0)


flows = st.lists(
    st.tuples(st.integers(0, 800), st.decimals(min_value=0, max_value=50_000, places=2)),
    min_size=1,
    max_size=15,
)
received = st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2)
cap_rate = st.sampled_from([D("0.12"), D("0.124"), D("0.152"), D("0.24")])


@settings(max_examples=200, deadline=timedelta(seconds=2))
@given(received=received, payments=flows, cap=cap_rate)
def test_excess_identity(
    received: Decimal, payments: list[tuple[int, Decimal]], cap: Decimal
) -> None:
    r = recompute_at_cap(received, payments, cap, 365)
    assert r.excess == max(D("0.00"), r.charged - r.allowed)
    assert r.paid == sum((p for _, p in payments), D("0.00"))
    for amount in (r.charged, r.allowed, r.excess, r.unpaid_principal, r.unpaid_interest):
        assert amount == amount.quantize(D("0.01"))


@settings(max_examples=200, deadline=timedelta(seconds=2))
@given(
    received=received,
    payments=flows,
    cap=cap_rate,
    which=st.integers(0, 14),
    cut=st.decimals(min_value=0, max_value=1, places=2),
)
def test_lowering_a_payment_never_raises_the_excess(
    received: Decimal, payments: list[tuple[int, Decimal]], cap: Decimal, which: int, cut: Decimal
) -> None:
    i = which % len(payments)
    lowered = list(payments)
    t, amount = lowered[i]
    lowered[i] = (t, (amount * cut).quantize(D("0.01")))
    before = recompute_at_cap(received, payments, cap, 365).excess
    after = recompute_at_cap(received, lowered, cap, 365).excess
    assert after <= before


@settings(max_examples=150, deadline=timedelta(seconds=2))
@given(received=received, extra=received, payments=flows, cap=cap_rate)
def test_more_money_received_never_raises_the_excess(
    received: Decimal, extra: Decimal, payments: list[tuple[int, Decimal]], cap: Decimal
) -> None:
    before = recompute_at_cap(received, payments, cap, 365).excess
    after = recompute_at_cap(received + extra, payments, cap, 365).excess
    assert after <= before


def test_calc_uses_the_model_enums() -> None:
    assert caps.LenderType is models.LenderType
    assert rates.RateUnit is models.RateUnit
    assert {t.value for t in models.LenderType} == set(caps._REGIMES)  # every type has a regime
