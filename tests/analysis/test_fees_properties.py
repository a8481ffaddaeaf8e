"""Invariants of the fee analysis, through the whole advise pipeline.

* lowering any charge never turns a loan without FEE_* findings into one with them;
* adding any fee never lowers ``annual_cost``;
* every money figure in a finding's data is a decimal string to the fen, and the sums the data
  state add up exactly.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from negotiator.analysis.loans import analyse_loan
from negotiator.api import advise
from negotiator.case.models import (
    Borrower,
    Case,
    Fee,
    FeeKind,
    FeeTiming,
    LenderType,
    Loan,
    Rate,
    RateUnit,
    ScheduledPayment,
)
from negotiator.facts import KINDS
from negotiator.facts.schema import FieldType
from negotiator.ruleset.loader import load_rules

D = Decimal
AS_OF = dt.date(2025, 12, 1)

amounts = st.decimals(min_value=D("0"), max_value=D("3000"), places=2)
rates = st.one_of(
    st.builds(
        Rate, st.decimals(min_value=0, max_value=D("0.5"), places=4), st.just(RateUnit.ANNUAL)
    ),
    st.builds(
        Rate, st.decimals(min_value=0, max_value=D("0.04"), places=4), st.just(RateUnit.MONTHLY)
    ),
    st.builds(
        Rate,
        st.decimals(min_value=0, max_value=D("0.002"), places=5),
        st.just(RateUnit.DAILY),
        st.sampled_from([360, 365]),
    ),
)
fees = st.builds(
    Fee,
    kind=st.sampled_from(list(FeeKind)),
    amount=amounts,
    charged=st.sampled_from(list(FeeTiming)),
    disclosed=st.sampled_from([None, True, False]),
    periods=st.one_of(st.none(), st.integers(1, 24)),
    payee=st.sampled_from([None, "某某借款App", "某某银行"]),
)


@st.composite
def loans(draw: st.DrawFn) -> Loan:
    principal = draw(st.decimals(min_value=D("500"), max_value=D("50000"), places=2))
    received = draw(
        st.one_of(st.none(), st.decimals(min_value=D("100"), max_value=principal, places=2))
    )
    contract = draw(
        st.one_of(
            st.none(), st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2025, 11, 1))
        )
    )
    term = draw(st.one_of(st.none(), st.integers(1, 24)))
    schedule: tuple[ScheduledPayment, ...] = ()
    if contract is not None and draw(st.booleans()):
        n = draw(st.integers(1, 12))
        schedule = tuple(
            ScheduledPayment(due=contract + dt.timedelta(days=30 * (k + 1)), amount=draw(amounts))
            for k in range(n)
        )
    overdue_since = draw(
        st.one_of(st.none(), st.dates(min_value=dt.date(2025, 1, 1), max_value=AS_OF))
    )
    return Loan(
        lender_name="某某机构",
        lender_type=draw(st.sampled_from(list(LenderType))),
        principal=principal,
        platform=draw(st.sampled_from([None, "某某借款App"])),
        contract_date=contract,
        received=received,
        rate=draw(st.one_of(st.none(), rates)),
        interest_agreed=draw(st.sampled_from([None, True, False])),
        term_months=term,
        fees=tuple(draw(st.lists(fees, max_size=3))),
        schedule=schedule,
        repaid=draw(st.one_of(st.none(), amounts)),
        outstanding=draw(
            st.one_of(st.none(), st.decimals(min_value=0, max_value=principal * 2, places=2))
        ),
        outstanding_principal=draw(
            st.one_of(st.none(), st.decimals(min_value=0, max_value=principal, places=2))
        ),
        outstanding_interest=draw(st.one_of(st.none(), amounts)),
        overdue_since=overdue_since,
        penalty_rate=draw(st.one_of(st.none(), rates)),
        penalty_interest=draw(st.one_of(st.none(), amounts)),
        late_fees=draw(st.one_of(st.none(), amounts)),
        charged_rate=draw(st.one_of(st.none(), rates)),
        compound_interest=draw(st.booleans()),
    )


def _case(loan: Loan) -> Case:
    return Case(borrower=Borrower(), loans=(loan,), as_of=AS_OF)


def _fee_codes(loan: Loan) -> set[str]:
    report = advise(_case(loan), evaluator="oracle")
    return {f.code for f in report.findings if f.code.startswith("FEE_")}


def _scale(value: Decimal, cut: Decimal) -> Decimal:
    return (value * cut).quantize(D("0.01"))


def _lower_rate(rate: Rate, cut: Decimal) -> Rate:
    return attrs.evolve(rate, value=(rate.value * cut).quantize(D("0.000001")))


def _lowerings(loan: Loan, cut: Decimal) -> list[Loan]:
    """Every way to lower one charge of ``loan`` by the factor ``cut``."""
    out: list[Loan] = []
    for i, fee in enumerate(loan.fees):
        lowered = attrs.evolve(fee, amount=_scale(fee.amount, cut))
        out.append(attrs.evolve(loan, fees=(*loan.fees[:i], lowered, *loan.fees[i + 1 :])))
    for i, p in enumerate(loan.schedule):
        lowered_p = attrs.evolve(p, amount=_scale(p.amount, cut))
        out.append(
            attrs.evolve(loan, schedule=(*loan.schedule[:i], lowered_p, *loan.schedule[i + 1 :]))
        )
    # The rate actually charged: the statement's rate when given, else the contract rate.
    if loan.charged_rate is not None:
        out.append(attrs.evolve(loan, charged_rate=_lower_rate(loan.charged_rate, cut)))
    elif loan.rate is not None:
        out.append(attrs.evolve(loan, rate=_lower_rate(loan.rate, cut)))
    if loan.penalty_rate is not None:
        out.append(attrs.evolve(loan, penalty_rate=_lower_rate(loan.penalty_rate, cut)))
    for name in ("penalty_interest", "late_fees", "outstanding_interest", "outstanding"):
        value = getattr(loan, name)
        if value is not None:
            out.append(attrs.evolve(loan, **{name: _scale(value, cut)}))
    return out


@settings(
    max_examples=60,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(loan=loans(), cut=st.sampled_from([D("0"), D("0.5"), D("0.9"), D("0.99")]))
def test_lowering_a_charge_never_creates_a_fee_finding(loan: Loan, cut: Decimal) -> None:
    # Stronger than "a compliant loan stays compliant": no FEE_* code may appear that was not
    # there before, so a loan without FEE_* findings keeps none.
    before = _fee_codes(loan)
    for lowered in _lowerings(loan, cut):
        after = _fee_codes(lowered)
        if _upfront_total(lowered) != _upfront_total(loan):
            # A smaller up-front deduction also means more money actually received, hence a
            # larger base for interest and its cap: other figures may move either way, but a
            # loan with no FEE_* finding still gets none.
            assert after <= before or before, lowered
        else:
            assert after <= before, lowered


def _upfront_total(loan: Loan) -> Decimal:
    return sum((f.amount for f in loan.fees if f.charged is FeeTiming.UPFRONT), D("0"))


@settings(
    max_examples=200, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow]
)
@given(loan=loans(), fee=fees)
def test_adding_a_fee_never_lowers_annual_cost(loan: Loan, fee: Fee) -> None:
    before = analyse_loan("L1", loan, AS_OF)
    after = analyse_loan("L1", attrs.evolve(loan, fees=(*loan.fees, fee)), AS_OF)
    assume(before.price.annual_cost is not None)
    if after.price.annual_cost is None:
        # Only possible when the fee swallowed all the money received.
        assert after.terms.received == 0
        return
    assert after.price.annual_cost >= before.price.annual_cost
    if after.price.cost is not None and before.price.cost is not None:
        assert after.price.cost.simple >= before.price.cost.simple


_MONEY = re.compile(r"^\d+\.\d{2}$")
_RULES = load_rules().by_id()


def _money_fields(rule_id: str) -> set[str]:
    kind = KINDS[_RULES[rule_id].about]
    fields = {**kind.fields, **kind.extras}
    return {n for n, f in fields.items() if f.type is FieldType.MONEY}


def _d(data: dict[str, Any], key: str) -> Decimal:
    return D(data[key])


def _d0(data: dict[str, Any], key: str) -> Decimal:
    """A money figure, with an unknown one (None) counting as nothing charged."""
    return D(data[key]) if data[key] is not None else D("0.00")


#: (rule id prefix, figure, figures added, figures subtracted): identities the data must meet.
#: Unknown figures (None) count as nothing charged.
_SUMS = [
    ("fee.upfront", "upfront_deducted", ["principal"], ["received"]),
    ("fee.upfront-deduction", "claimed_total", ["principal", "interest_claimed"], []),
    ("fee.upfront-deduction", "owed_total", ["received", "interest_recognised"], []),
    ("fee.upfront-deduction", "upfront_difference", ["claimed_total"], ["owed_total"]),
    ("fee.overdue-above-cap", "overdue_excess", ["overdue_charges"], ["overdue_allowed"]),
    (
        "fee.overdue-above-cap-private",
        "overdue_charges",
        ["penalty_interest", "default_damages", "other_overdue_fees"],
        [],
    ),
    (
        "fee.overdue-above-cap-licensed",
        "overdue_charges",
        ["penalty_interest", "default_damages", "other_overdue_fees"],
        [],
    ),
    ("fee.compounding", "compound_excess", ["compound_charged"], ["compound_allowed"]),
    ("fee.penalty-stacked", "damages_total", ["penalty_interest", "default_damages"], []),
]


@settings(
    max_examples=80, deadline=timedelta(seconds=20), suppress_health_check=[HealthCheck.too_slow]
)
@given(loan=loans())
def test_money_in_findings_is_exact_to_the_fen(loan: Loan) -> None:
    report = advise(_case(loan), evaluator="oracle")
    for f in report.findings:
        if f.category not in ("fee", "collection", "complaint"):
            continue
        data = dict(f.data)
        for key in _money_fields(f.rule) & data.keys():
            if data[key] is not None:
                assert _MONEY.match(data[key]), (f.rule, key, data[key])
        for prefix, figure, plus, minus in _SUMS:
            if not f.rule.startswith(prefix) or data.get(figure) is None:
                continue
            if any(data[k] is None for k in plus[:1]):  # the identity's own inputs unknown
                continue
            expected = sum((_d0(data, k) for k in plus), D("0.00")) - sum(
                (_d0(data, k) for k in minus), D("0.00")
            )
            assert _d(data, figure) == expected, (f.rule, figure, data)
        if f.rule in ("fee.added-later", "fee.undisclosed"):
            assert _d(data, "total") == _d(data, "amount") * data["count"]
        if f.rule == "fee.cost-above-24" and data["claim_excess"] is not None:
            # The lender's claim, when known, is the excess tested (docs/ledger.md).
            assert _d(data, "excess_over_cap") == _d(data, "claim_excess")
        elif f.rule == "fee.cost-above-24" and data["contract_excess"] is not None:
            assert _d(data, "excess_over_cap") >= _d(data, "contract_excess")
