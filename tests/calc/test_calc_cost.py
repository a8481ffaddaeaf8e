"""Annualised cost (IRR) against published figures, and amortisation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest

from negotiator.calc.cost import (
    amortisation_schedule,
    annualised_cost_dated,
    annualised_cost_periodic,
    level_payment,
)
from negotiator.errors import CalculationError, InputError

D = Decimal
PCT2 = D("0.0001")  # two decimals of a percent


def pct2(x: Decimal) -> Decimal:
    return x.quantize(PCT2, rounding=ROUND_HALF_UP)


def present_value(rate: Decimal, payments: list[Decimal]) -> Decimal:
    """Independent check: discount payment k by (1 + rate) ** k."""
    with localcontext() as ctx:
        ctx.prec = 50
        return sum((p / (1 + rate) ** k for k, p in enumerate(payments, 1)), D(0))


def test_pboc_2021_3_worked_example() -> None:
    # PBoC 公告〔2021〕第3号: 100,000 lent, 1,000 fee up front, 12 × 8,833.30 a month.
    # Published: 12.80 % simple (单利), 13.58 % compound (复利).
    cost = annualised_cost_periodic(D("99000"), [D("8833.3")] * 12, 12)
    assert pct2(cost.simple) == D("0.1280")
    assert pct2(cost.compound) == D("0.1358")
    assert cost.periods_per_year == 12
    # The rate really discounts the payments back to what was received.
    assert abs(present_value(cost.periodic_rate, [D("8833.3")] * 12) - D("99000")) < D("1e-9")


def test_pboc_example_without_fee_is_cheaper() -> None:
    with_fee = annualised_cost_periodic(D("99000"), [D("8833.3")] * 12)
    without = annualised_cost_periodic(D("100000"), [D("8833.3")] * 12)
    assert without.simple < with_fee.simple
    # The nominal contract rate of the example is about 10.9 %; without the fee the IRR is
    # close to it, the fee adds nearly two points.
    assert D("0.105") < without.simple < D("0.11")


def test_zero_cost_and_negative_cost() -> None:
    zero = annualised_cost_periodic(D("1200"), [D("100")] * 12)
    assert zero.periodic_rate == 0
    assert zero.simple == 0
    assert zero.compound == 0
    negative = annualised_cost_periodic(D("1200"), [D("100")] * 11)
    assert negative.simple < 0
    assert abs(present_value(negative.periodic_rate, [D("100")] * 11) - D("1200")) < D("1e-9")


def test_single_period_exact() -> None:
    # 1000 in, 1100 back one month later: exactly 10 % a month, 120 % simple a year.
    cost = annualised_cost_periodic(D("1000"), [D("1100")])
    assert cost.periodic_rate == D("0.1")
    assert cost.simple == D("1.2")
    assert cost.compound == D("1.1") ** 12 - 1


def test_compound_relation() -> None:
    cost = annualised_cost_periodic(D("5000"), [D("0"), D("2000"), D("3500")], 4)
    with localcontext() as ctx:
        ctx.prec = 40
        expected = (1 + cost.periodic_rate) ** 4 - 1
    assert abs(cost.compound - expected) < D("1e-15")
    assert abs(cost.simple - cost.periodic_rate * 4) < D("1e-15")


@pytest.mark.parametrize(
    ("received", "payments", "fragment"),
    [
        (D("0"), [D("100")], "must be positive"),
        (D("-5"), [D("100")], "must be positive"),
        (D("100"), [], "no payments"),
        (D("100"), [D("0"), D("0")], "never change sign"),
        (D("100"), [D("150"), D("-10")], "must not be negative"),
        (D("NaN"), [D("100")], "finite"),
        (D("100"), [D("Infinity")], "finite"),
    ],
)
def test_no_rate_raises(received: Decimal, payments: list[Decimal], fragment: str) -> None:
    with pytest.raises(CalculationError, match=fragment):
        annualised_cost_periodic(received, payments)


def test_bad_periods_per_year() -> None:
    with pytest.raises(CalculationError):
        annualised_cost_periodic(D("100"), [D("110")], 0)


def test_extreme_rates_bracket_or_raise() -> None:
    huge = annualised_cost_periodic(D("0.01"), [D("1000000000")])
    assert huge.periodic_rate == D("99999999999")
    # 1,000,000 in, one fen back: 1 + r = 0.01 / 1,000,000, so r = -1 + 1e-8.
    tiny = annualised_cost_periodic(D("1000000"), [D("0.01")])
    assert tiny.periodic_rate == D("-0.99999999")
    with pytest.raises(CalculationError, match="too large"):
        annualised_cost_periodic(D("1"), [D("1e80")])  # above the 2**200 bracket limit


def test_dated_one_year_is_plain_annual_rate() -> None:
    # 1000 received on 2023-01-01, 1100 repaid 365 days later: 10 % a year compound.
    cost = annualised_cost_dated(date(2023, 1, 1), D("1000"), [(date(2024, 1, 1), D("1100"))])
    assert cost.periods_per_year == 365
    assert abs(cost.compound - D("0.1")) < D("1e-15")
    with localcontext() as ctx:
        ctx.prec = 40
        daily = (D("1.1").ln() / 365).exp() - 1  # (1.1) ** (1/365) - 1
    assert abs(cost.periodic_rate - daily) < D("1e-18")
    assert abs(cost.simple - daily * 365) < D("1e-15")


def test_dated_matches_periodic_for_equal_steps() -> None:
    # With payments every 30 days the daily IRR compounded over 30 days is the periodic IRR.
    start = date(2024, 1, 1)
    flows = [(start + timedelta(days=30 * k), D("8833.3")) for k in range(1, 13)]
    dated = annualised_cost_dated(start, D("99000"), flows)
    periodic = annualised_cost_periodic(D("99000"), [D("8833.3")] * 12)
    with localcontext() as ctx:
        ctx.prec = 40
        assert abs((1 + dated.periodic_rate) ** 30 - 1 - periodic.periodic_rate) < D("1e-15")


def test_dated_order_does_not_matter_and_same_day_rejected() -> None:
    start = date(2024, 3, 1)
    a = [(date(2024, 4, 1), D("600")), (date(2024, 5, 1), D("600"))]
    assert annualised_cost_dated(start, D("1000"), a) == annualised_cost_dated(
        start, D("1000"), list(reversed(a))
    )
    with pytest.raises(CalculationError, match="after the money was received"):
        annualised_cost_dated(start, D("1000"), [(start, D("1100"))])
    with pytest.raises(CalculationError):
        annualised_cost_dated(start, D("1000"), [(date(2024, 2, 1), D("1100"))])


def test_level_payment_textbook() -> None:
    # 120,000 at 6 %/yr over 12 months: r = 0.005, payment = P r / (1 - 1.005**-12) ≈ 10,327.97.
    assert level_payment(D("120000"), D("0.06"), 12) == D("10327.97")
    assert level_payment(D("1000"), D("0"), 3) == D("333.33")
    # Quarterly: 10,000 at 8 % over 4 quarters, r = 2 % → 2,626.24.
    assert level_payment(D("10000"), D("0.08"), 4, periods_per_year=4) == D("2626.24")


@pytest.mark.parametrize(
    ("principal", "rate", "n", "ppy"),
    [(D("0"), D("0.1"), 12, 12), (D("100"), D("-0.1"), 12, 12), (D("100"), D("0.1"), 0, 12)],
)
def test_level_payment_rejects(principal: Decimal, rate: Decimal, n: int, ppy: int) -> None:
    with pytest.raises(InputError):
        level_payment(principal, rate, n, ppy)


def test_amortisation_schedule_by_hand() -> None:
    # 1,000 at 12 %/yr over 3 months: r = 1 %, level payment = 340.02 (1000·0.01/(1-1.01**-3)).
    # Month 1: interest 10.00, principal 330.02, balance 669.98
    # Month 2: interest 6.70 (669.98 × 1 % = 6.6998), principal 333.32, balance 336.66
    # Month 3: interest 3.37 (3.3666), principal 336.66 (clears), payment 340.03
    rows = amortisation_schedule(D("1000"), D("0.12"), 3)
    got = [(r.payment, r.interest, r.principal, r.balance) for r in rows]
    assert got == [
        (D("340.02"), D("10.00"), D("330.02"), D("669.98")),
        (D("340.02"), D("6.70"), D("333.32"), D("336.66")),
        (D("340.03"), D("3.37"), D("336.66"), D("0.00")),
    ]


def test_rounding_that_clears_the_balance_early() -> None:
    # 0.05 over 10 periods at 0 %: the exact payment 0.005 rounds half-up to 0.01, so the
    # balance is cleared after 5 payments and the remaining rows must be zero, not negative.
    rows = amortisation_schedule(D("0.05"), D("0"), 10)
    assert [r.payment for r in rows] == [D("0.01")] * 5 + [D("0.00")] * 5
    assert all(r.balance >= 0 for r in rows)
    assert sum(r.principal for r in rows) == D("0.05")
