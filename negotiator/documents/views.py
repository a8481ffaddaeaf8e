"""What a letter shows of the case: plain, frozen views of the borrower, the loans, the budget,
the hardships and the findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..analysis import CaseAnalysis
from ..calc.rates import format_percent, to_annual
from ..case.models import (
    Case,
    CollectionContact,
    Loan,
    NegotiationEvent,
    Rate,
    beijing_today,
)
from ..errors import InputError
from ..findings import Finding
from ..ruleset.loader import Citation

SERIOUS = frozenset({"warning", "violation"})


@attrs.frozen
class PartyView:
    """The borrower as a letter shows them.

    ``phone``/``email``/``address`` are shown in full only in the sender's own contact block of
    a letter the borrower sends; ``id_masked`` is what every letter except the agreement draft
    prints.
    """

    name: str | None
    id_full: str | None
    id_masked: str | None
    phone: str | None
    phone_masked: str | None
    address: str | None
    email: str | None
    employment: str


@attrs.frozen
class RateView:
    value: Decimal  # as the contract states it (a fraction per unit)
    unit: str  # daily / monthly / annual
    basis: int
    pct: str  # the stated rate as a percentage, exact: "0.05%"
    annual: Decimal  # simple yearly equivalent
    annual_pct: str  # "18.00%"


@attrs.frozen
class FeeView:
    kind: str
    amount: Decimal
    charged: str
    disclosed: bool | None
    periods: int | None
    payee: str | None
    description: str | None


@attrs.frozen
class ContactView:
    at: dt.datetime
    channel: str
    target: str
    collector: str | None
    calls: int
    conduct: tuple[str, ...]
    summary: str | None
    evidence: bool


@attrs.frozen
class EventView:
    date: dt.date
    kind: str
    channel: str
    loan: str | None
    lender: str | None
    counterpart: str | None
    summary: str | None
    amount: Decimal | None
    outcome: str


@attrs.frozen
class LoanView:
    id: str
    lender_name: str
    lender_type: str
    platform: str | None
    contract_no: str | None
    contract_date: dt.date | None
    principal: Decimal
    received: Decimal | None
    received_less: bool  # money received < contract principal (a fact of the case)
    rate: RateView | None
    penalty_rate: RateView | None
    term_months: int | None
    repaid: Decimal | None
    outstanding: Decimal | None  # what the lender claims, when the case states it
    outstanding_principal: Decimal | None
    outstanding_interest: Decimal | None
    penalty_interest: Decimal | None
    late_fees: Decimal | None
    overdue_since: dt.date | None
    overdue_days: int
    fees: tuple[FeeView, ...]
    contacts: tuple[ContactView, ...]
    events: tuple[EventView, ...]


@attrs.frozen
class HardshipView:
    kind: str
    since: dt.date | None
    expected_end: dt.date | None
    description: str | None
    evidence_held: tuple[str, ...]
    evidence_missing: tuple[tuple[str, ...], ...]


@attrs.frozen
class BudgetView:
    known: bool
    income: Decimal | None
    essential_expenses: Decimal | None
    other_debt_payments: Decimal | None
    dependents: int
    savings: Decimal | None
    disposable: Decimal | None
    affordable_monthly: Decimal  # for the whole household, all lenders together
    income_stability: str


@attrs.frozen
class DebtSummary:
    count: int  # loans still owed
    total: Decimal  # what they add up to (claimed balances, else principal − repaid)
    overdue: int


@attrs.frozen
class FindingView:
    code: str
    category: str
    severity: str
    message: str  # worded for the borrower; letters word the point themselves from `data`
    laws: tuple[Citation, ...]  # legal citations only (letters do not cite web articles)
    title: str | None = None
    data: Mapping[str, Any] = attrs.field(factory=dict)  # JSON values: money as "123.45"


def _pct(value: Decimal) -> str:
    text = f"{(value * 100).normalize():f}"
    return f"{text}%"


def rate_view(rate: Rate | None) -> RateView | None:
    if rate is None:
        return None
    annual = to_annual(rate.value, rate.unit, rate.basis)
    return RateView(
        value=rate.value,
        unit=rate.unit.value,
        basis=rate.basis,
        pct=_pct(rate.value),
        annual=annual,
        annual_pct=format_percent(annual),
    )


def mask_id(value: str | None) -> str | None:
    from .render import mask_id as _mask

    return None if not value else _mask(value)


def mask_phone(value: str | None) -> str | None:
    from .render import mask_phone as _mask

    return None if not value else _mask(value)


def letter_date(case: Case, analysis: CaseAnalysis, as_of: dt.date | None) -> dt.date:
    return as_of or analysis.as_of or case.as_of or beijing_today()


def loan_index(analysis: CaseAnalysis, loan_id: str) -> int:
    try:
        return analysis.loan_ids.index(loan_id)
    except ValueError:
        raise InputError("loan", f"the case has no loan {loan_id!r}") from None


def contact_view(c: CollectionContact) -> ContactView:
    return ContactView(
        at=c.at,
        channel=c.channel.value,
        target=c.target.value,
        collector=c.collector,
        calls=c.calls,
        conduct=tuple(x.value for x in c.conduct),
        summary=c.summary,
        evidence=c.evidence,
    )


def event_view(e: NegotiationEvent, lenders: Mapping[str, str]) -> EventView:
    return EventView(
        date=e.date,
        kind=e.kind.value,
        channel=e.channel.value,
        loan=e.loan,
        lender=lenders.get(e.loan) if e.loan else None,
        counterpart=e.counterpart,
        summary=e.summary,
        amount=e.amount,
        outcome=e.outcome.value,
    )


def lender_names(analysis: CaseAnalysis) -> dict[str, str]:
    return {
        i: loan.lender_name for i, loan in zip(analysis.loan_ids, analysis.case.loans, strict=True)
    }


def events_for(case: Case, analysis: CaseAnalysis, loan_id: str) -> tuple[EventView, ...]:
    only_loan = len(case.loans) == 1
    lenders = lender_names(analysis)
    chosen = [e for e in case.history if e.loan == loan_id or (e.loan is None and only_loan)]
    return tuple(event_view(e, lenders) for e in sorted(chosen, key=lambda e: e.date))


def loan_view(case: Case, analysis: CaseAnalysis, loan_id: str) -> LoanView:
    i = loan_index(analysis, loan_id)
    loan: Loan = case.loans[i]
    la = analysis.loans[i]
    return LoanView(
        id=loan_id,
        lender_name=loan.lender_name,
        lender_type=loan.lender_type.value,
        platform=loan.platform,
        contract_no=loan.contract_no,
        contract_date=loan.contract_date,
        principal=loan.principal,
        received=loan.received,
        received_less=loan.received is not None and loan.received < loan.principal,
        rate=rate_view(loan.rate),
        penalty_rate=rate_view(loan.penalty_rate),
        term_months=loan.term_months,
        repaid=loan.repaid,
        outstanding=loan.outstanding,
        outstanding_principal=loan.outstanding_principal,
        outstanding_interest=loan.outstanding_interest,
        penalty_interest=loan.penalty_interest,
        late_fees=loan.late_fees,
        overdue_since=loan.overdue_since,
        overdue_days=la.overdue_days,
        fees=tuple(
            FeeView(
                kind=f.kind.value,
                amount=f.amount,
                charged=f.charged.value,
                disclosed=f.disclosed,
                periods=f.periods,
                payee=f.payee,
                description=f.description,
            )
            for f in loan.fees
        ),
        contacts=tuple(
            contact_view(c) for c in sorted(loan.collection_contacts, key=lambda c: c.at)
        ),
        events=events_for(case, analysis, loan_id),
    )


def party_view(case: Case) -> PartyView:
    b = case.borrower
    return PartyView(
        name=b.name,
        id_full=b.id_number.strip() if b.id_number else None,
        id_masked=mask_id(b.id_number),
        phone=b.phone.strip() if b.phone else None,
        phone_masked=mask_phone(b.phone),
        address=b.address,
        email=b.email,
        employment=b.employment.value,
    )


def hardship_views(case: Case, analysis: CaseAnalysis) -> tuple[HardshipView, ...]:
    """Each claimed hardship with the proof held and the proof still missing (each missing
    item is a group of alternatives, any one of which would do)."""
    out = []
    for h, check in zip(case.borrower.hardships, analysis.plan.prospects.hardships, strict=True):
        out.append(
            HardshipView(
                kind=h.kind.value,
                since=h.since,
                expected_end=h.expected_end,
                description=h.description,
                evidence_held=tuple(dict.fromkeys(check.held)),
                evidence_missing=tuple(g.options for g in check.missing),
            )
        )
    return tuple(out)


def budget_view(case: Case, analysis: CaseAnalysis) -> BudgetView:
    b = case.borrower
    return BudgetView(
        known=analysis.budget.known,
        income=b.monthly_income,
        essential_expenses=b.essential_expenses,
        other_debt_payments=b.other_debt_payments,
        dependents=b.dependents,
        savings=b.savings,
        disposable=analysis.budget.disposable,
        affordable_monthly=analysis.budget.affordable_monthly,
        income_stability=b.income_stability.value,
    )


def about_loan(f: Finding, loan_id: str) -> bool:
    s = f.subject
    return s == loan_id or any(s.startswith(loan_id + sep) for sep in (".", "/", "#", "[", ":"))


def finding_views(
    findings: Sequence[Finding] | None, loan_id: str | None, categories: Iterable[str]
) -> tuple[FindingView, ...]:
    """The report's findings in ``categories`` about ``loan_id`` (warnings and violations)."""
    if not findings:
        return ()
    wanted = set(categories)
    out = []
    for f in findings:
        if f.category not in wanted or f.severity not in SERIOUS:
            continue
        if loan_id is not None and not about_loan(f, loan_id):
            continue
        laws = tuple(c for c in f.citations if c.law)
        out.append(
            FindingView(f.code, f.category, f.severity, f.message, laws, f.title, dict(f.data))
        )
    return tuple(out)
