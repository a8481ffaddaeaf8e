"""Property tests (hypothesis) for the calculators."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from negotiator.calc.budget import instalments_needed, split_proportional, split_total
from negotiator.calc.caps import CombinedCheck, Regime, cap_for, combined_overdue_cap, within_cap
from negotiator.calc.cost import (
    AnnualisedCost,
    amortisation_schedule,
    annualised_cost_dated,
    annualised_cost_periodic,
    level_payment,
)
from negotiator.errors import CalculationError
from negotiator.money import to_fen

D = Decimal

money = st.decimals(min_value=D("0.01"), max_value=D("1000000"), places=2)
payment = st.decimals(min_value=D("0"), max_value=D("100000"), places=2)
schedules = st.lists(payment, min_size=1, max_size=24).filter(lambda ps: sum(ps) > 0)


def _cost_or_none(received: Decimal, payments: list[Decimal]) -> AnnualisedCost | None:
    try:
        return annualised_cost_periodic(received, payments)
    except CalculationError:
        return None


@settings(max_examples=150, deadline=timedelta(seconds=2))
@given(
    principal=st.decimals(min_value=D("1000"), max_value=D("2000000"), places=2),
    annual_rate=st.decimals(min_value=D("0"), max_value=D("0.36"), places=4),
    n=st.integers(min_value=1, max_value=60),
    periods_per_year=st.sampled_from([12, 4, 52]),
)
def test_fee_free_amortised_loan_costs_its_nominal_rate(
    principal: Decimal, annual_rate: Decimal, n: int, periods_per_year: int
) -> None:
    rows = amortisation_schedule(principal, annual_rate, n, periods_per_year)
    # The schedule really amortises: principal parts add up, the balance ends at zero, every
    # payment but the last is the level payment, and interest is the rounded periodic charge.
    assert sum(r.principal for r in rows) == principal
    assert rows[-1].balance == 0
    level = level_payment(principal, annual_rate, n, periods_per_year)
    assert all(r.payment == level for r in rows[:-1] if r.balance > 0)
    balance = principal
    for row in rows:
        assert row.interest == to_fen(balance * annual_rate / periods_per_year)
        assert row.payment == row.interest + row.principal
        balance -= row.principal
        assert row.balance == balance

    cost = annualised_cost_periodic(principal, [r.payment for r in rows], periods_per_year)
    # Only the per-period rounding of interest to the fen (at most half a fen each period)
    # separates the IRR from the nominal rate.  First-order bound on the periodic rate:
    #   |irr - r| <= 0.005 · Σ v^k / (v · Σ_j B_{j-1} v^{j-1}),  v = 1 / (1 + r),
    # with B_{j-1} the balance at the start of period j.
    with localcontext() as ctx:
        ctx.prec = 40
        r = annual_rate / periods_per_year
        v = D(1) / (1 + r)
        balances = [principal] + [row.balance for row in rows[:-1]]
        weight = sum((b * v**j for j, b in enumerate(balances)), D(0))
        bound = D("0.005") * sum((v**k for k in range(1, n + 1)), D(0)) / (v * weight)
        tolerance = periods_per_year * bound * D("1.1") + D("1e-15")
    assert tolerance < D("0.001")  # the rounding effect is genuinely tiny for these loans
    assert abs(cost.simple - annual_rate) <= tolerance


@settings(max_examples=150, deadline=timedelta(seconds=2))
@given(
    received=money,
    payments=schedules,
    fee=st.decimals(min_value=D("0.01"), max_value=D("10000"), places=2),
    where=st.integers(min_value=-1, max_value=23),
)
def test_adding_a_fee_never_lowers_the_cost(
    received: Decimal, payments: list[Decimal], fee: Decimal, where: int
) -> None:
    base = _cost_or_none(received, payments)
    assume(base is not None)
    assert base is not None
    if where < 0:  # fee deducted from the money received (砍头息)
        assume(received - fee > 0)
        more = annualised_cost_periodic(received - fee, payments)
    else:  # fee added to one of the payments
        k = where % len(payments)
        bumped = [p + fee if i == k else p for i, p in enumerate(payments)]
        more = annualised_cost_periodic(received, bumped)
    assert more.periodic_rate >= base.periodic_rate
    assert more.simple >= base.simple
    assert more.compound >= base.compound


charge = st.decimals(min_value=D("0"), max_value=D("50000"), places=2)
CHARGE_NAMES = ("interest", "overdue_interest", "compound_interest", "liquidated_damages", "fees")


@given(
    regime=st.sampled_from([Regime.PRIVATE, Regime.LICENSED]),
    contract=st.dates(min_value=date(2017, 1, 1), max_value=date(2027, 12, 31)),
    principal=money,
    days=st.integers(min_value=0, max_value=1500),
    charges=st.fixed_dictionaries({name: charge for name in CHARGE_NAMES}),
    which=st.sampled_from(CHARGE_NAMES),
    cut=st.decimals(min_value=D("0"), max_value=D("1"), places=3),
)
def test_lowering_a_charge_keeps_a_compliant_loan_compliant(
    regime: Regime,
    contract: date,
    principal: Decimal,
    days: int,
    charges: dict[str, Decimal],
    which: str,
    cut: Decimal,
) -> None:
    cap = cap_for(regime, contract)

    def check(c: dict[str, Decimal]) -> CombinedCheck:
        return combined_overdue_cap(
            cap,
            principal,
            days,
            interest=c["interest"],
            overdue_interest=c["overdue_interest"],
            compound_interest=c["compound_interest"],
            liquidated_damages=c["liquidated_damages"],
            fees=c["fees"],
        )

    before = check(charges)
    lowered = dict(charges)
    lowered[which] = to_fen(charges[which] * cut)
    after = check(lowered)
    assert after.total_charged <= before.total_charged
    assert after.excess is not None and before.excess is not None
    assert after.excess <= before.excess
    if before.within_cap:
        assert after.within_cap is True


@settings(max_examples=100, deadline=timedelta(seconds=2))
@given(
    received=money,
    payments=schedules,
    which=st.integers(min_value=0, max_value=23),
    cut=st.decimals(min_value=D("0"), max_value=D("1"), places=3),
    regime=st.sampled_from([Regime.PRIVATE, Regime.LICENSED]),
    contract=st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 12, 31)),
)
def test_lowering_a_payment_keeps_annualised_cost_within_cap(
    received: Decimal,
    payments: list[Decimal],
    which: int,
    cut: Decimal,
    regime: Regime,
    contract: date,
) -> None:
    k = which % len(payments)
    lowered = [to_fen(p * cut) if i == k else p for i, p in enumerate(payments)]
    assume(sum(lowered) > 0)
    before = _cost_or_none(received, payments)
    assume(before is not None)
    assert before is not None
    after = annualised_cost_periodic(received, lowered)
    cap = cap_for(regime, contract)
    assert after.simple <= before.simple
    if within_cap(before.simple, cap):
        assert within_cap(after.simple, cap) is True


@given(total=st.decimals(min_value=0, max_value=D("10000000"), places=2), n=st.integers(1, 400))
def test_split_total_sums_exactly(total: Decimal, n: int) -> None:
    parts = split_total(total, n)
    assert len(parts) == n
    assert sum(parts) == total
    assert all(p >= 0 and p == to_fen(p) for p in parts)
    assert max(parts) - min(parts) <= D("0.01")
    assert parts == sorted(parts)  # remainder fen go on the last instalments


def _largest_remainder(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """The largest-remainder split written out with fractions (the reference)."""
    cents = int(total * 100)
    exact = [Fraction(w) for w in weights]
    shares = [cents * w / sum(exact) for w in exact]
    floors = [s.numerator // s.denominator for s in shares]
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[: cents - sum(floors)]:
        floors[i] += 1
    return [D(f) / 100 for f in floors]


@given(
    total=st.decimals(min_value=0, max_value=D("1000000"), places=2),
    weights=st.lists(
        st.decimals(min_value=0, max_value=D("1000000"), places=4) | st.integers(0, 10**9).map(D),
        min_size=1,
        max_size=12,
    ).filter(lambda ws: sum(ws) > 0),
)
def test_split_proportional_matches_the_fraction_reference(
    total: Decimal, weights: list[Decimal]
) -> None:
    assert split_proportional(total, weights) == _largest_remainder(total, weights)


@given(
    total=st.decimals(min_value=D("0.01"), max_value=D("10000000"), places=2),
    monthly=st.decimals(min_value=D("0.001"), max_value=D("100000"), places=3)
    | st.integers(1, 10**6).map(lambda n: D(n).scaleb(2)),
)
def test_instalments_needed_is_the_exact_ceiling(total: Decimal, monthly: Decimal) -> None:
    ratio = Fraction(total) / Fraction(monthly)
    n = instalments_needed(total, monthly)
    assert n == -(-ratio.numerator // ratio.denominator)
    assert n is not None and (n - 1) * monthly < total <= n * monthly


@given(
    total=st.decimals(min_value=0, max_value=D("1000000"), places=2),
    weights=st.lists(
        st.decimals(min_value=0, max_value=D("1000000"), places=3), min_size=1, max_size=12
    ).filter(lambda ws: sum(ws) > 0),
)
def test_split_proportional_sums_exactly(total: Decimal, weights: list[Decimal]) -> None:
    parts = split_proportional(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts) == total
    assert all(p >= 0 and p == to_fen(p) for p in parts)
    weight_sum = sum(weights)
    for part, w in zip(parts, weights, strict=True):
        if w == 0:
            assert part == 0
        # Each part is within one fen of its exact proportional share.
        with localcontext() as ctx:
            ctx.prec = 50
            assert abs(part - total * w / weight_sum) < D("0.01")


wild = st.decimals(min_value=D("-1000"), max_value=D("1000000000"), places=4)


@settings(max_examples=300, deadline=timedelta(seconds=2))
@given(received=wild, payments=st.lists(wild, max_size=8))
def test_solver_terminates_on_arbitrary_schedules(
    received: Decimal, payments: list[Decimal]
) -> None:
    try:
        cost = annualised_cost_periodic(received, payments)
    except CalculationError as exc:
        assert str(exc)  # a reason is always given
        return
    # When it returns, the rate is real and reproduces the amount received.
    assert cost.periodic_rate > -1
    with localcontext() as ctx:
        ctx.prec = 60
        pv = sum((p / (1 + cost.periodic_rate) ** k for k, p in enumerate(payments, 1)), D(0))
    assert abs(pv - received) <= abs(received) * D("1e-6")


@settings(max_examples=150, deadline=timedelta(seconds=2))
@given(
    received=wild,
    payments=st.lists(st.tuples(st.integers(-30, 1500), wild), max_size=6),
)
def test_dated_solver_terminates(received: Decimal, payments: list[tuple[int, Decimal]]) -> None:
    start = date(2024, 1, 1)
    flows = [(start + timedelta(days=d), amount) for d, amount in payments]
    try:
        cost = annualised_cost_dated(start, received, flows)
    except CalculationError:
        return
    assert cost.periodic_rate > -1
    assert cost.periods_per_year == 365
