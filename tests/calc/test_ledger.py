"""The per-loan ledger: schedules, balances by component, provenance, the lawful view, offers.

Figures are recomputed here independently (closed-form amortisation, plain arithmetic), never
copied from the module's output.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, localcontext

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiator.calc.ledger import (
    COMPONENTS,
    Bound,
    LoanLedger,
    Provenance,
    build_ledger,
    offer_for,
)
from negotiator.calc.schedule import RowStatus, generate
from negotiator.case.models import (
    LenderType,
    Loan,
    Rate,
    RateUnit,
    RepaymentMethod,
    ScheduledPayment,
)

D = Decimal
AS_OF = dt.date(2026, 11, 20)


def fen(x: Decimal) -> Decimal:
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def closed_form_payment(p: Decimal, annual: Decimal, n: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 50
        r = annual / 12
        return fen(p / n if r == 0 else p * r * (1 + r) ** n / ((1 + r) ** n - 1))


def loan(**kw: object) -> Loan:
    base: dict[str, object] = {
        "lender_name": "某某小贷",
        "lender_type": LenderType.MICROLOAN,
        "principal": D("30000"),
        "rate": Rate(D("0.18"), RateUnit.ANNUAL, 360),
        "term_months": 12,
        "contract_date": dt.date(2025, 11, 10),
        "repayment_method": RepaymentMethod.EQUAL_INSTALMENT,
    }
    base.update(kw)
    return Loan(**base)  # type: ignore[arg-type]


LICENSED_CAP = D("0.24")


def ledger(lo: Loan, regime: str = "licensed", cap: Decimal | None = LICENSED_CAP) -> LoanLedger:
    return build_ledger("L1", lo, AS_OF, regime=regime, cap_rate=cap)


# --- schedules -------------------------------------------------------------------------------


def test_equal_instalment_30000_at_18_percent() -> None:
    rows = generate(D("30000"), D("0.18"), 12, RepaymentMethod.EQUAL_INSTALMENT)
    assert rows[0].payment == D("2750.40")  # 30000 × 0.015 / (1 − 1.015^−12)
    assert rows[0].interest == D("450.00")
    assert sum(r.principal for r in rows) == D("30000")


def test_equal_principal_interest_only_bullet() -> None:
    ep = generate(D("1200"), D("0.12"), 3, RepaymentMethod.EQUAL_PRINCIPAL)
    assert [r.payment for r in ep] == [D("412.00"), D("408.00"), D("404.00")]
    io = generate(D("1200"), D("0.12"), 3, RepaymentMethod.INTEREST_ONLY)
    assert [r.payment for r in io] == [D("12.00"), D("12.00"), D("1212.00")]
    bl = generate(D("1200"), D("0.12"), 12, RepaymentMethod.BULLET)
    assert bl[-1].payment == D("1344.00") and sum(r.payment for r in bl) == D("1344.00")


@settings(max_examples=60, deadline=None)
@given(
    p=st.integers(100, 500_000).map(D),
    rate_bp=st.integers(0, 3600),
    n=st.integers(1, 60),
    method=st.sampled_from(list(RepaymentMethod)),
)
def test_generated_schedule_matches_closed_form(p, rate_bp, n, method) -> None:
    annual = D(rate_bp) / 10000
    rows = generate(p, annual, n, method)
    assert len(rows) == n
    assert sum(r.principal for r in rows) == p
    for r in rows:
        assert r.payment == r.principal + r.interest
    if method is RepaymentMethod.EQUAL_INSTALMENT:
        level = closed_form_payment(p, annual, n)
        assert all(r.payment == level for r in rows[:-1])
        # Per-period rounding of the interest (≤ half a fen each) grows at most like (1 + r)^n.
        slack = D("0.01") * n * (1 + annual / 12) ** n
        assert abs(rows[-1].payment - level) <= slack
    elif method is RepaymentMethod.BULLET:
        assert rows[-1].payment == fen(p + p * annual * n / 12)
    elif method is RepaymentMethod.INTEREST_ONLY:
        assert all(r.interest == fen(p * annual / 12) for r in rows)


# --- balances and provenance -------------------------------------------------------------------


def test_three_instalments_left_are_owed_not_principal_minus_repaid() -> None:
    # 30,000 at 18 %, 9 of 12 paid: the three remaining rows are what is left, not 30,000 − repaid.
    lo = loan(instalments_paid=9, overdue_since=dt.date(2026, 8, 10))
    led = ledger(lo)
    rows = generate(D("30000"), D("0.18"), 12, RepaymentMethod.EQUAL_INSTALMENT)
    left_principal = sum(r.principal for r in rows[9:])
    assert led.claimed.principal.amount == left_principal
    assert led.claimed.principal.provenance is Provenance.DERIVED
    assert led.claimed.penalty.provenance is Provenance.ESTIMATED
    assert led.claimed.total.amount is not None
    assert led.claimed.total.amount > left_principal
    assert led.repaid.amount == sum(r.payment for r in rows[:9])


def test_unknown_repaid_is_not_zero() -> None:
    lo = loan(rate=None, term_months=None, repayment_method=None, overdue_since=dt.date(2026, 9, 1))
    led = ledger(lo)
    assert led.repaid.provenance is Provenance.UNKNOWN
    assert led.claimed.total.bound is Bound.AT_LEAST
    assert led.claimed.interest.provenance is Provenance.UNKNOWN


def test_stated_statement_wins() -> None:
    lo = loan(outstanding=D("8600"), outstanding_principal=D("8000"), penalty_interest=D("100"))
    led = ledger(lo)
    assert led.claimed.total.amount == D("8600")
    assert led.claimed.total.provenance is Provenance.STATED
    assert led.claimed.other.amount == D("500")


def test_private_kantouxi_lawful_view() -> None:
    # 10,000 contract, 9,000 received, 12 % cap; 2,000 repaid; lender claims 9,800 after 292 days.
    lo = Loan(
        lender_name="孙某",
        lender_type=LenderType.PRIVATE,
        principal=D("10000"),
        received=D("9000"),
        rate=Rate(D("0.24"), RateUnit.ANNUAL, 360),
        contract_date=AS_OF - dt.timedelta(days=292),
        repaid=D("2000"),
        outstanding=D("9800"),
    )
    led = ledger(lo, "private", D("0.12"))
    allowed = fen(D("9000") * D("0.12") * 292 / 365)  # 864.00
    assert led.lawful.total.amount == D("9000") + allowed - D("2000")
    assert led.excess.amount == D("9800") - led.lawful.total.amount
    assert led.excess.bound is Bound.AT_LEAST


def test_excess_below_one_yuan_is_zero() -> None:
    days = 365
    lo = loan(
        outstanding=D("30000") + fen(D("30000") * D("0.24") * days / 365) + D("0.50"),
        contract_date=AS_OF - dt.timedelta(days=days),
        repaid=D("0"),
    )
    assert ledger(lo).excess.amount == D("0")


@settings(max_examples=80, deadline=None)
@given(
    principal=st.integers(1000, 100_000),
    received_pct=st.integers(70, 100),
    repaid=st.integers(0, 80_000),
    claim=st.integers(0, 200_000),
    days=st.integers(1, 2000),
    private=st.booleans(),
)
def test_lawful_never_above_claimed(principal, received_pct, repaid, claim, days, private) -> None:
    lo = Loan(
        lender_name="x",
        lender_type=LenderType.PRIVATE if private else LenderType.BANK,
        principal=D(principal),
        received=fen(D(principal) * received_pct / 100),
        rate=Rate(D("0.3"), RateUnit.ANNUAL, 360),
        contract_date=AS_OF - dt.timedelta(days=days),
        repaid=D(repaid),
        outstanding=D(claim),
    )
    led = ledger(lo, "private" if private else "licensed", D("0.12") if private else D("0.24"))
    c, law, ex = led.claimed.total.amount, led.lawful.total.amount, led.excess.amount
    assert c is not None and law is not None and ex is not None
    assert D(0) <= law <= c
    assert ex >= 0
    assert ex == (c - law if c - law >= 1 else 0)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 36),
    paid=st.integers(0, 36),
    overdue=st.booleans(),
    method=st.sampled_from(list(RepaymentMethod)),
)
def test_components_sum_and_paid_plus_remaining(n, paid, overdue, method) -> None:
    paid = min(paid, n)
    lo = loan(
        term_months=n,
        repayment_method=method,
        instalments_paid=paid,
        contract_date=dt.date(2024, 1, 5),
        overdue_since=dt.date(2026, 1, 5) if overdue else None,
    )
    led = ledger(lo)
    b = led.claimed
    known = [f.amount for f in b.components().values() if f.amount is not None]
    assert b.total.amount == sum(known, D(0))
    s = led.schedule
    assert s is not None and s.paid_total is not None and s.remaining is not None
    assert s.paid_total + s.remaining == s.total
    assert all(r.status is RowStatus.PAID for r in s.rows[:paid])
    assert set(b.components()) == set(COMPONENTS)


@settings(max_examples=60, deadline=None)
@given(repaid=st.integers(0, 40_000), more=st.integers(1, 5_000))
def test_adding_a_payment_never_raises_the_balance(repaid, more) -> None:
    lo1 = loan(repaid=D(repaid), overdue_since=dt.date(2026, 6, 10))
    lo2 = loan(repaid=D(repaid + more), overdue_since=dt.date(2026, 6, 10))
    a, b = ledger(lo1).claimed.total.amount, ledger(lo2).claimed.total.amount
    assert a is not None and b is not None and b <= a


def test_stated_paid_column() -> None:
    sched = [
        ScheduledPayment(dt.date(2026, m, 10), D("1000"), D("1000") if m < 9 else D("0"))
        for m in range(6, 12)
    ]
    lo = loan(schedule=sched, term_months=None, rate=None, repayment_method=None)
    led = ledger(lo)
    assert led.repaid.provenance is Provenance.STATED and led.repaid.amount == D("3000")
    statuses = [r.status for r in led.schedule.rows]  # type: ignore[union-attr]
    assert statuses[:3] == [RowStatus.PAID] * 3
    assert RowStatus.MISSED in statuses


# --- offers ------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(total=st.integers(1, 10_000_000), monthly=st.integers(100, 1_000_000))
def test_offer_adds_up(total, monthly) -> None:
    t, m = D(total) / 100, D(monthly) / 100
    o = offer_for(t, m)
    if m < 1:
        assert o is None
        return
    assert o is not None
    assert o.monthly == int(m) and o.monthly <= m
    assert o.monthly * (o.count - 1) + o.last == t
    assert D(0) < o.last <= o.monthly


def test_offer_text() -> None:
    o = offer_for(D("9800"), D("1000.85"))
    assert o is not None and (o.count, o.last) == (10, D("800"))
    assert o.text() == "前9期每月1,000.00元、末期800.00元"
    assert o.text("en") == "CNY 1,000.00 a month for 9 months, then CNY 800.00"
    one = offer_for(D("500"), D("1000"))
    assert one is not None and one.text() == "一次还500.00元"
    assert offer_for(D("0"), D("10")) is None


@pytest.mark.parametrize("method", list(RepaymentMethod))
def test_json_has_provenance_everywhere(method) -> None:
    led = ledger(loan(repayment_method=method, instalments_paid=2))
    js = led.to_json()
    for part in ("claimed", "lawful"):
        for name in (*COMPONENTS, "total"):
            assert js[part][name]["provenance"] in {p.value for p in Provenance}
    assert js["schedule"]["method"] == method.value


@given(
    principal=st.decimals(min_value=1, max_value=10**6, places=2),
    rate=st.decimals(min_value=0, max_value=1, places=4),
    n=st.integers(1, 60),
    method=st.sampled_from(list(RepaymentMethod)),
    start=st.dates(dt.date(2000, 1, 1), dt.date(2090, 1, 1)),
)
def test_rows_generated_with_dates_are_the_rows_with_those_dates(
    principal: Decimal, rate: Decimal, n: int, method: RepaymentMethod, start: dt.date
) -> None:
    dates = [start + dt.timedelta(days=30 * k) for k in range(1, n + 1)]
    plain = generate(principal, rate, n, method)
    dated = generate(principal, rate, n, method, dates)
    assert [r.due for r in plain] == [None] * n
    assert dated == [attrs.evolve(r, due=d) for r, d in zip(plain, dates, strict=True)]
    with pytest.raises(ValueError):
        generate(principal, rate, n, method, dates[:-1])


def test_an_excess_counts_from_one_yuan_and_never_from_an_unknown():
    from negotiator.calc.ledger import EXCESS_THRESHOLD, excess_over

    assert Decimal("1") == EXCESS_THRESHOLD
    assert excess_over(Decimal("100.99"), Decimal("100")) == 0  # rounding noise
    assert excess_over(Decimal("101.004"), Decimal("100")) == Decimal("1.00")
    assert excess_over(Decimal("90"), Decimal("100")) == 0
    assert excess_over(None, Decimal("100")) == 0 and excess_over(Decimal("100"), None) == 0
