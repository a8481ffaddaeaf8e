"""Hypothesis strategies that generate valid cases for the knowledge-base property tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from negotiator.case.models import (
    Borrower,
    Case,
    CollectionContact,
    ContactChannel,
    DocumentKind,
    EmploymentStatus,
    EvidenceKind,
    Fee,
    FeeKind,
    FeeTiming,
    Hardship,
    HardshipKind,
    IncomeStability,
    LawsuitStatus,
    LenderType,
    Loan,
    NegotiationEvent,
    NegotiationEventKind,
    Outcome,
    Rate,
    RateUnit,
)

AS_OF = dt.date(2026, 11, 20)
LENDERS = (
    "甲消费金融有限公司",
    "乙小额贷款有限公司",
    "丙银行股份有限公司",
    "丁<网络>小贷 & Co|Ltd",
)


def yuan(low: int = 0, high: int = 200_000) -> st.SearchStrategy[Decimal]:
    """Whole fen between ``low`` and ``high`` yuan."""
    return st.integers(low * 100, high * 100).map(lambda c: Decimal(c).scaleb(-2))


def rates() -> st.SearchStrategy[Rate]:
    daily = st.integers(0, 30).map(lambda n: Rate(Decimal(n).scaleb(-4), RateUnit.DAILY))
    annual = st.integers(0, 48).map(lambda n: Rate(Decimal(n).scaleb(-2), RateUnit.ANNUAL))
    monthly = st.integers(0, 30).map(lambda n: Rate(Decimal(n).scaleb(-3), RateUnit.MONTHLY))
    return st.one_of(daily, annual, monthly)


@st.composite
def hardships(draw: st.DrawFn) -> Hardship:
    kind = draw(st.sampled_from(HardshipKind))
    end = draw(st.none() | st.dates(dt.date(2026, 1, 1), dt.date(2029, 12, 31)))
    evidence = draw(st.lists(st.sampled_from(EvidenceKind), max_size=4, unique=True))
    description = draw(st.none() | st.just("收入中断，正在找工作。"))
    return Hardship(kind=kind, expected_end=end, evidence=tuple(evidence), description=description)


@st.composite
def loans(draw: st.DrawFn) -> Loan:
    principal = draw(yuan(1, 100_000))
    overdue = draw(st.none() | st.dates(dt.date(2024, 1, 1), AS_OF))
    fees = draw(
        st.lists(
            st.builds(
                Fee,
                kind=st.sampled_from([FeeKind.SERVICE, FeeKind.COLLECTION, FeeKind.LATE_FEE]),
                amount=yuan(0, 2_000),
                charged=st.sampled_from(FeeTiming),
            ),
            max_size=2,
        )
    )
    contacts = draw(
        st.lists(
            st.builds(
                CollectionContact,
                at=st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2026, 11, 19)),
                channel=st.sampled_from(ContactChannel),
                evidence=st.booleans(),
            ),
            max_size=2,
        )
    )
    return Loan(
        lender_name=draw(st.sampled_from(LENDERS)),
        lender_type=draw(st.sampled_from(LenderType)),
        principal=principal,
        contract_date=draw(st.none() | st.dates(dt.date(2022, 1, 1), dt.date(2026, 6, 30))),
        rate=draw(st.none() | rates()),
        term_months=draw(st.none() | st.integers(1, 36)),
        fees=tuple(fees),
        outstanding=draw(st.none() | yuan(0, 150_000)),
        repaid=draw(st.none() | yuan(0, 50_000)),
        overdue_since=overdue,
        penalty_rate=draw(st.none() | rates()),
        penalty_interest=draw(st.none() | yuan(0, 5_000)),
        late_fees=draw(st.none() | yuan(0, 2_000)),
        collection_contacts=tuple(contacts),
    )


@st.composite
def borrowers(draw: st.DrawFn) -> Borrower:
    return Borrower(
        monthly_income=draw(st.none() | yuan(0, 30_000)),
        essential_expenses=draw(st.none() | yuan(0, 20_000)),
        other_debt_payments=draw(st.none() | yuan(0, 5_000)),
        savings=draw(st.none() | yuan(0, 200_000)),
        income_stability=draw(st.sampled_from(IncomeStability)),
        employment=draw(st.sampled_from(EmploymentStatus)),
        hardships=tuple(draw(st.lists(hardships(), max_size=3))),
        documents=tuple(draw(st.lists(st.sampled_from(DocumentKind), max_size=6, unique=True))),
    )


@st.composite
def cases(draw: st.DrawFn) -> Case:
    history = draw(
        st.lists(
            st.builds(
                NegotiationEvent,
                date=st.dates(dt.date(2026, 1, 1), AS_OF),
                kind=st.sampled_from(NegotiationEventKind),
                channel=st.sampled_from(ContactChannel),
                counterpart=st.none() | st.sampled_from(["客服热线", "催收员", LENDERS[0]]),
                outcome=st.sampled_from(Outcome),
            ),
            max_size=3,
        )
    )
    return Case(
        borrower=draw(borrowers()),
        loans=tuple(draw(st.lists(loans(), min_size=1, max_size=4))),
        history=tuple(history),
        lawsuit=draw(st.sampled_from(LawsuitStatus)),
        as_of=AS_OF,
    )
