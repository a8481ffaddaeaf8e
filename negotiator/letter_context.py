"""The context a letter template renders: facts from the case, figures from the analysis.

Templates speak; they never compute.  Every number a letter quotes is prepared here — from the
case itself, from :mod:`negotiator.analysis` and from the calculators in :mod:`negotiator.calc` —
and every judgement it repeats (an unlawful fee, an improper collection call) is a finding of
the report.  Nothing in the context is invented: a value the case does not hold stays ``None``
and the template shows a fill-in blank for it.

One letter is addressed to one lender about one loan (:func:`target_loans` picks the loans a
kind concerns); the negotiation log covers the whole case.

The agreement draft is rendered from an :class:`~negotiator.models.Agreement` built by
:func:`draft_agreement`, the same model :func:`negotiator.check` can judge — so the draft that is
printed and the draft that is checked can never disagree.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import attrs

from .analysis import CaseAnalysis
from .analysis.agreement import other_obligations as _agreement_obligations
from .analysis.loans import THREAT_CONDUCT
from .analysis.plan import LenderOffer
from .calc.budget import instalments_needed
from .calc.dates import add_months
from .calc.ledger import offer_for
from .calc.rates import to_annual
from .counter import REQUEST_TEXTS, offer_schedule, propose_schedule
from .errors import InputError
from .findings import Finding
from .letter_kinds import LETTER_KINDS
from .models import (
    AccountKind,
    Agreement,
    AgreementForm,
    Case,
    CollectionContact,
    ContactChannel,
    ContactTarget,
    DocumentKind,
    Instalment,
    LenderType,
    Loan,
    NegotiationEvent,
    NegotiationEventKind,
    Outcome,
    Party,
    PartyKind,
    Rate,
    RateUnit,
)
from .money import FEN, ZERO, to_fen
from .ruleset import Citation

__all__ = [
    "CURE_DAYS",
    "LOAN_KINDS",
    "PAYMENT_KINDS",
    "LetterContexts",
    "build_context",
    "draft_agreement",
    "refuse_unsafe_payment",
    "target_loans",
]

#: Letter kinds written to one lender about one loan (one letter per loan): every kind but the
#: two that cover the whole case.
LOAN_KINDS = frozenset(LETTER_KINDS) - {"negotiation_log", "action_plan"}

#: Letter kinds that restate the case's agreed payment terms, and so would tell the borrower
#: where to pay: they are refused when that agreement names a personal account or a deposit.
PAYMENT_KINDS = frozenset({"agreement_draft", "written_confirmation"})

#: Grace days the agreement draft gives to make up a missed instalment (when the case's own
#: proposed agreement states none).  A cure period is advisable, not legally required
#: (legal notes §7); 15 days is the documented choice.
CURE_DAYS = 15

#: Conduct that is a matter for the police (刑法 293之一; 治安管理处罚法 42): call 110.  The
#: threats the collection analysis reports, so a letter and the findings never disagree.
POLICE_CONDUCT = THREAT_CONDUCT

#: Finding categories a complaint may rely on.
COMPLAINT_CATEGORIES = frozenset({"fee", "collection", "scam"})
_SERIOUS = frozenset({"warning", "violation"})


# ---------------------------------------------------------------------------------------------
# Views: plain values the templates print
# ---------------------------------------------------------------------------------------------


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


@attrs.frozen
class PlanLine:
    number: int
    due: dt.date
    amount: Decimal


@attrs.frozen
class WaiverItem:
    kind: str  # penalty_interest / late_fees
    amount: Decimal


@attrs.frozen
class Proposal:
    """What the borrower offers this lender.

    ``monthly`` is this lender's share of the affordable monthly amount (all of it when only
    one loan is owed); ``schedule`` splits ``to_repay`` exactly to the fen.  When the lender's
    claimed balance is not in the case, ``to_repay`` and the schedule are ``None`` and the
    letter asks for a statement of the balance.
    """

    debt: Decimal | None  # what the lender claims now
    waiver: tuple[WaiverItem, ...]
    waiver_total: Decimal
    to_repay: Decimal | None
    monthly: Decimal | None
    household_monthly: Decimal
    shared: bool  # the affordable amount is shared between several lenders
    instalments: int | None  # rows of ``schedule`` (None when there is no schedule)
    needed: int | None  # payments of ``monthly`` that clear ``to_repay``
    schedule: tuple[PlanLine, ...]
    first_due: dt.date | None
    too_long: bool  # ``needed`` exceeds the longest plan the advice proposes
    max_instalments: int
    lump_sum: Decimal | None  # this lender's part of the savings that can be paid at once
    after_lump: int | None  # payments of ``monthly`` left after the lump sum
    from_agreement: bool  # the schedule is the case's own proposed agreement's


@attrs.frozen
class Enclosure:
    family: str  # document / evidence / hardship_statement / contact
    kind: str
    at: dt.datetime | None = None


@attrs.frozen
class ConfirmationView:
    reached_on: dt.date | None
    channel: str | None
    counterpart: str | None
    summary: str | None
    agreement: Agreement | None
    requests: tuple[str, ...]  # what to ask the lender to add or change, worded
    rate: RateView | None  # the plan rate the agreement states


@attrs.frozen
class TimelineItem:
    date: dt.date
    time: dt.time | None
    kind: str  # contract / overdue / contact / event
    contact: ContactView | None = None
    event: EventView | None = None


@attrs.frozen
class ComplaintView:
    channel: str  # the addressee: nfra_12378 / pboc_12363 / local_finance / police_110
    others: tuple[str, ...]
    police: bool  # threats or violence are recorded
    third_party: bool  # someone other than the borrower was contacted
    collectors: tuple[str, ...]
    timeline: tuple[TimelineItem, ...]
    fee_issue: bool
    collection_issue: bool


@attrs.frozen
class LogRow:
    date: dt.date
    time: dt.time | None
    source: str  # event / collection
    channel: str
    lender: str | None
    counterpart: str | None
    kind: str
    summary: str | None
    amount: Decimal | None
    outcome: str | None
    target: str | None
    conduct: tuple[str, ...]
    evidence: bool | None


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


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
        annual_pct=f"{(annual * 100).quantize(Decimal('0.01'))}%",
    )


def mask_id(value: str | None) -> str | None:
    from .render import mask_id as _mask

    return None if not value else _mask(value)


def mask_phone(value: str | None) -> str | None:
    from .render import mask_phone as _mask

    return None if not value else _mask(value)


def letter_date(case: Case, analysis: CaseAnalysis, as_of: dt.date | None) -> dt.date:
    return as_of or analysis.as_of or case.as_of or dt.date.today()


def _loan_index(analysis: CaseAnalysis, loan_id: str) -> int:
    try:
        return analysis.loan_ids.index(loan_id)
    except ValueError:
        raise InputError("loan", f"the case has no loan {loan_id!r}") from None


def _contact_view(c: CollectionContact) -> ContactView:
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


def _event_view(e: NegotiationEvent, lenders: Mapping[str, str]) -> EventView:
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


def _lenders(analysis: CaseAnalysis) -> dict[str, str]:
    return {
        i: loan.lender_name for i, loan in zip(analysis.loan_ids, analysis.case.loans, strict=True)
    }


def _events_for(case: Case, analysis: CaseAnalysis, loan_id: str) -> tuple[EventView, ...]:
    only_loan = len(case.loans) == 1
    lenders = _lenders(analysis)
    chosen = [e for e in case.history if e.loan == loan_id or (e.loan is None and only_loan)]
    return tuple(_event_view(e, lenders) for e in sorted(chosen, key=lambda e: e.date))


def loan_view(case: Case, analysis: CaseAnalysis, loan_id: str) -> LoanView:
    i = _loan_index(analysis, loan_id)
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
            _contact_view(c) for c in sorted(loan.collection_contacts, key=lambda c: c.at)
        ),
        events=_events_for(case, analysis, loan_id),
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
    for h, check in zip(case.borrower.hardships, analysis.plan.hardships, strict=True):
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


def _about_loan(f: Finding, loan_id: str) -> bool:
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
        if f.category not in wanted or f.severity not in _SERIOUS:
            continue
        if loan_id is not None and not _about_loan(f, loan_id):
            continue
        laws = tuple(c for c in f.citations if c.law)
        out.append(
            FindingView(f.code, f.category, f.severity, f.message, laws, f.title, dict(f.data))
        )
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Which loans a letter concerns
# ---------------------------------------------------------------------------------------------


def _collection_problem(loan: Loan) -> bool:
    return any(
        c.conduct or c.target is not ContactTarget.BORROWER for c in loan.collection_contacts
    )


def _police_matter(loan: Loan) -> bool:
    return any(set(c.conduct) & POLICE_CONDUCT for c in loan.collection_contacts)


def target_loans(
    kind: str,
    case: Case,
    analysis: CaseAnalysis,
    findings: Sequence[Finding] | None,
    loan: str | None = None,
) -> list[str]:
    """The loans one letter each is written about.

    ``loan`` picks one explicitly.  Otherwise: the agreement's loan for the agreement letters
    when the case has a proposed agreement; for a complaint, every loan with something to
    complain about (a fee or collection finding, or recorded collector conduct); for the other
    kinds, every loan still owed (all loans if none is).
    """
    ids = list(analysis.loan_ids)
    if loan is not None:
        _loan_index(analysis, loan)
        ids = [loan]
        if kind != "complaint":
            return ids
    agreement = analysis.agreement
    if kind in PAYMENT_KINDS and agreement is not None and agreement.loan_id is not None:
        return [agreement.loan_id]
    if kind == "complaint":
        problems = [
            (i, ln)
            for i, ln in zip(analysis.loan_ids, case.loans, strict=True)
            if i in ids
            and (finding_views(findings, i, COMPLAINT_CATEGORIES) or _collection_problem(ln))
        ]
        chosen = [i for i, ln in problems if complaint_routes(case, ln)]
        if chosen:
            return chosen
        if problems:
            raise InputError("complaint", _NO_REGULATOR)
        raise InputError(
            "complaint",
            "the case records no fee or collection problem to complain about; a complaint "
            "states only facts, so add the collection contacts or fees first",
        )
    owed = [la.id for la in analysis.loans if la.owed > 0]
    return owed or ids


# ---------------------------------------------------------------------------------------------
# The proposal and the agreement draft
# ---------------------------------------------------------------------------------------------


def refuse_unsafe_payment(case: Case, loan_id: str, analysis: CaseAnalysis) -> None:
    """Raise :class:`InputError` when the case's agreement for this loan would have the
    borrower pay a personal account or a deposit: no letter restates such terms."""
    ag = case.agreement
    if ag is None or not _agreement_is_for(analysis, loan_id):
        return
    if ag.repayment_account is AccountKind.PERSONAL:
        raise InputError(
            "agreement.repayment_account",
            "the agreement asks for payment into a personal account; negotiator will not write "
            "a document that tells you to pay there. Legitimate lenders are repaid only into "
            "their company account or through their official app: verify with the lender's "
            "official hotline and report the request (see the complaint letter)",
        )
    if ag.deposit_required is not None and ag.deposit_required > 0:
        raise InputError(
            "agreement.deposit_required",
            "the agreement demands a deposit before the waiver applies, a known scam pattern; "
            "negotiator will not write a document confirming it. Verify with the lender's "
            "official hotline before paying anything",
        )


def _agreement_is_for(analysis: CaseAnalysis, loan_id: str) -> bool:
    ag = analysis.agreement
    if ag is None:
        return False
    return ag.loan_id == loan_id or (ag.loan_id is None and len(analysis.loan_ids) == 1)


def _first_due(day: dt.date) -> dt.date:
    """One month after the letter, on a day of the month every month has (≤ 28)."""
    return add_months(dt.date(day.year, day.month, min(day.day, 28)), 1)


def _offer(analysis: CaseAnalysis, loan_id: str) -> LenderOffer | None:
    return next((o for o in analysis.plan.offers if o.loan_id == loan_id), None)


def _own_schedule(analysis: CaseAnalysis, loan_id: str) -> tuple[PlanLine, ...] | None:
    """The case's proposed agreement's schedule when the agreement check finds it complete,
    consistent and affordable."""
    x = analysis.agreement
    if x is None or not _agreement_is_for(analysis, loan_id) or not x.agreement.instalments:
        return None
    if x.incomplete_instalments or x.unordered_instalments or x.duplicate_dates:
        return None
    if x.early_instalments or x.zero_instalments or (x.sum_difference or ZERO) != 0:
        return None
    if x.affordability is None or x.affordability.unaffordable:
        return None
    return tuple(
        PlanLine(n, inst.due, inst.amount)
        for n, inst in enumerate(x.agreement.instalments, 1)
        if inst.due is not None and inst.amount is not None
    )


def build_proposal(case: Case, analysis: CaseAnalysis, loan_id: str, day: dt.date) -> Proposal:
    """What to offer the lender of ``loan_id``: the plan's figures for that lender, the
    overdue charges to ask to have waived, and a schedule that fits the budget month by month
    (:func:`negotiator.counter.propose_schedule`, exact to the fen, due dates off holidays)."""
    loan = case.loans[_loan_index(analysis, loan_id)]
    offer = _offer(analysis, loan_id)
    max_n = analysis.plan.instalments_max
    charges = (
        ("penalty_interest", loan.penalty_interest),
        ("late_fees", loan.late_fees),
        ("collection_fees", offer.collection_fees if offer is not None else None),
    )
    waiver = tuple(WaiverItem(k, v) for k, v in charges if v is not None and v > 0)
    waiver_total = to_fen(sum((w.amount for w in waiver), ZERO))
    debt = loan.outstanding
    if debt is not None and waiver_total >= debt:
        waiver, waiver_total = (), ZERO  # the case's figures do not fit together: ask for none
    to_repay = to_fen(debt - waiver_total) if debt is not None else None
    # The plan's proposal never exceeds the lawful balance (docs/ledger.md): the part above it
    # is asked to be dropped, so the letter proposes the same total as the plan.
    if (
        offer is not None
        and offer.capped_at_lawful
        and to_repay is not None
        and to_repay - offer.proposal_total >= FEN
    ):
        above = to_fen(to_repay - offer.proposal_total)
        waiver = (*waiver, WaiverItem("above_legal_cap", above))
        waiver_total = to_fen(waiver_total + above)
        to_repay = offer.proposal_total
    monthly = offer.monthly if offer is not None and offer.monthly > 0 else None
    lump = offer.lump_sum if offer is not None and offer.lump_sum > 0 else None
    shared = len(analysis.plan.offers) > 1
    own = _own_schedule(analysis, loan_id)
    if own is not None and analysis.agreement is not None:
        ag = analysis.agreement.agreement
        return Proposal(
            debt=ag.remaining if ag.remaining is not None else debt,
            waiver=waiver if ag.waived is None else (),
            waiver_total=ag.waived if ag.waived is not None else ZERO,
            to_repay=plan_total(own),
            monthly=monthly,
            household_monthly=analysis.budget.affordable_monthly,
            shared=shared,
            instalments=len(own),
            needed=len(own),
            schedule=own,
            first_due=own[0].due,
            too_long=False,
            max_instalments=max_n,
            lump_sum=None,
            after_lump=None,
            from_agreement=True,
        )
    schedule: tuple[PlanLine, ...] = ()
    needed: int | None = None
    after_lump: int | None = None
    first: dt.date | None = None
    if to_repay is not None and monthly is not None and to_repay > 0:
        needed = instalments_needed(to_repay, monthly)
        if lump is not None and lump < to_repay:
            after_lump = instalments_needed(to_repay - lump, monthly)
        elif lump is not None:
            lump = None
        first = _first_due(day)
        others = other_obligations(case, analysis, loan_id, day)
        level = offer_for(to_repay, monthly)
        if not others and level is not None and level.count <= max_n:
            # The plan's own figures: 前N期X元、末期Y元 (docs/ledger.md).
            plan = offer_schedule(level.monthly, level.count, level.last, first, max_months=max_n)
        else:
            plan = propose_schedule(to_repay, first, monthly, others, max_months=max_n)
        if plan.possible:
            schedule = tuple(PlanLine(r.number, r.due, r.amount) for r in plan.rows)
            first = schedule[0].due
    return Proposal(
        debt=debt,
        waiver=waiver,
        waiver_total=waiver_total,
        to_repay=to_repay,
        monthly=monthly,
        household_monthly=analysis.budget.affordable_monthly,
        shared=shared,
        instalments=len(schedule) if schedule else None,
        needed=needed,
        schedule=schedule,
        first_due=first,
        too_long=needed is not None and needed > max_n,
        max_instalments=max_n,
        lump_sum=lump,
        after_lump=after_lump,
        from_agreement=False,
    )


def other_obligations(
    case: Case, analysis: CaseAnalysis, loan_id: str, day: dt.date
) -> dict[tuple[int, int], Decimal]:
    """What other loans are already scheduled to collect, by (year, month) — the same figure
    the agreement check's affordability test subtracts from the monthly budget."""
    return _agreement_obligations(case, analysis.loan_ids, loan_id, day)


def plan_total(lines: Sequence[PlanLine]) -> Decimal:
    return to_fen(sum((ln.amount for ln in lines), ZERO))


@cache
def _clauses() -> dict[str, dict[str, str]]:
    text = (resources.files("negotiator.templates") / "letters" / "clauses.toml").read_text(
        encoding="utf-8"
    )
    data = tomllib.loads(text)
    return {lang: {k: str(v) for k, v in table.items()} for lang, table in data.items()}


def draft_agreement(
    case: Case,
    analysis: CaseAnalysis,
    loan_id: str | None = None,
    *,
    lang: str = "zh-Hans",
    as_of: dt.date | None = None,
) -> Agreement:
    """The instalment agreement the draft proposes, as an :class:`Agreement`.

    The model describes the draft as it reads once both parties have signed the signature
    blocks it provides (``borrower_signed``/``lender_signed`` are True): the agreement check
    then judges its contents.  Values the case lacks stay ``None`` — the rendered draft shows
    a fill-in blank there and the check reports them as missing.
    """
    base = "en" if lang == "en" else "zh-Hans"
    day = letter_date(case, analysis, as_of)
    lid = loan_id or target_loans("agreement_draft", case, analysis, None)[0]
    refuse_unsafe_payment(case, lid, analysis)
    loan = case.loans[_loan_index(analysis, lid)]
    own = case.agreement if _agreement_is_for(analysis, lid) else None
    p = build_proposal(case, analysis, lid, day)
    b = case.borrower
    uscc = own.lender.uscc if own is not None and own.lender.name == loan.lender_name else None
    cure = own.cure_days if own is not None and own.cure_days is not None else CURE_DAYS
    clauses = _clauses()[base]
    account = AccountKind.OFFICIAL_COMPANY
    if own is not None and own.repayment_account is AccountKind.IN_APP:
        account = AccountKind.IN_APP
    plan_rate = own.plan_rate if own is not None and own.plan_rate is not None else None
    if plan_rate is None:
        plan_rate = Rate(Decimal(0), RateUnit.ANNUAL, 360)
    waived = p.waiver_total if p.waiver_total > 0 else None
    # typed Any: mypy's attrs plugin cannot type the argument of a `tuple` converter
    instalments: Any = tuple(Instalment(due=ln.due, amount=ln.amount) for ln in p.schedule)
    return Agreement(
        form=AgreementForm.PAPER,
        loan=lid,
        borrower=Party(
            name=b.name,
            kind=PartyKind.INDIVIDUAL,
            id_number=b.id_number.strip() if b.id_number else None,
        ),
        lender=Party(name=loan.lender_name, kind=PartyKind.LENDER, uscc=uscc),
        contract_ref=loan.contract_no,
        loan_amount=loan.principal,
        rate=loan.rate,
        repaid=loan.repaid,
        remaining=p.debt,
        total=p.to_repay,
        principal=loan.outstanding_principal,
        interest=loan.outstanding_interest,
        penalty=loan.penalty_interest,
        fees=loan.late_fees,
        waiver_negotiated=waived is not None,
        waived=waived,
        instalments=instalments,
        plan_rate=plan_rate,
        breach_clause=clauses["breach"].format(cure_days=cure),
        cure_days=cure,
        allocation_order=clauses["allocation"],
        credit_reporting=clauses["credit_reporting"],
        repayment_account=account,
        account_holder=loan.lender_name,
        borrower_signed=True,
        lender_signed=True,
        date=day,
    )


# ---------------------------------------------------------------------------------------------
# Kind-specific parts
# ---------------------------------------------------------------------------------------------


def enclosures(case: Case, kind: str, loan: LoanView | None) -> tuple[Enclosure, ...]:
    docs = case.borrower.documents
    out: list[Enclosure] = []

    def doc(*kinds: DocumentKind) -> None:
        out.extend(Enclosure("document", k.value) for k in kinds if k in docs)

    def evidence() -> None:
        seen: set[str] = set()
        for h in case.borrower.hardships:
            for e in h.evidence:
                if e.value not in seen:
                    seen.add(e.value)
                    out.append(Enclosure("evidence", e.value))

    if kind in ("negotiation_request", "waiver_request"):
        doc(
            DocumentKind.ID_CARD,
            DocumentKind.LOAN_CONTRACT,
            DocumentKind.REPAYMENT_RECORDS,
            DocumentKind.STATEMENT,
            DocumentKind.INCOME_PROOF,
            DocumentKind.BANK_STATEMENTS,
        )
        if case.borrower.hardships:
            out.append(Enclosure("hardship_statement", "hardship_statement"))
        evidence()
    elif kind == "hardship_statement":
        doc(DocumentKind.INCOME_PROOF, DocumentKind.BANK_STATEMENTS)
        evidence()
    elif kind == "complaint":
        doc(
            DocumentKind.ID_CARD,
            DocumentKind.LOAN_CONTRACT,
            DocumentKind.STATEMENT,
            DocumentKind.REPAYMENT_RECORDS,
            DocumentKind.COMMUNICATION_RECORDS,
        )
        if loan is not None:
            out.extend(Enclosure("contact", c.channel, c.at) for c in loan.contacts if c.evidence)
    elif kind == "credit_objection":
        out.append(Enclosure("document", DocumentKind.ID_CARD.value))
        doc(
            DocumentKind.CREDIT_REPORT,
            DocumentKind.REPAYMENT_RECORDS,
            DocumentKind.LOAN_CONTRACT,
            DocumentKind.STATEMENT,
        )
    return tuple(out)


def confirmation_view(
    case: Case, analysis: CaseAnalysis, loan_id: str, lang: str
) -> ConfirmationView:
    """What was agreed informally, and what the written confirmation must still state.

    ``requests`` are the agreement check's list of changes to ask for (wording from
    :data:`negotiator.counter.REQUEST_TEXTS`); without a recorded agreement, the letter asks
    for every term.
    """
    x = analysis.agreement if _agreement_is_for(analysis, loan_id) else None
    ag = x.agreement if x is not None else None
    events = [
        e
        for e in _events_for(case, analysis, loan_id)
        if e.kind == NegotiationEventKind.AGREEMENT.value
        or (
            e.kind == NegotiationEventKind.LENDER_OFFER.value
            and e.outcome == Outcome.ACCEPTED.value
        )
    ]
    last = events[-1] if events else None
    channel = last.channel if last is not None else None
    if channel is None and ag is not None:
        channel = {
            AgreementForm.PHONE_ONLY: ContactChannel.PHONE.value,
            AgreementForm.CHAT: ContactChannel.INSTANT_MESSAGE.value,
            AgreementForm.EMAIL: ContactChannel.EMAIL.value,
        }.get(ag.form)
    reached = ag.date if ag is not None and ag.date is not None else (last.date if last else None)
    index = 1 if lang == "en" else 0
    keys = [r.key for r in x.requests] if x is not None else list(_ALL_TERMS)
    requests = tuple(REQUEST_TEXTS[k][index] for k in dict.fromkeys(keys))
    return ConfirmationView(
        reached_on=reached,
        channel=channel,
        counterpart=last.counterpart if last is not None else None,
        summary=last.summary if last is not None else None,
        agreement=ag,
        requests=requests,
        rate=rate_view(ag.plan_rate) if ag is not None else None,
    )


#: What a written confirmation must state when nothing written exists yet.
_ALL_TERMS = (
    "written_confirmation",
    "lender_name",
    "contract_ref",
    "amounts",
    "waiver_terms",
    "schedule",
    "breach_clause",
    "cure_period",
    "allocation_order",
    "credit_reporting",
    "payment_channel",
    "lender_signature",
)


_REGULATOR: Mapping[LenderType, str | None] = {
    LenderType.BANK: "nfra_12378",
    LenderType.CONSUMER_FINANCE: "nfra_12378",
    LenderType.BANK_VIA_PLATFORM: "nfra_12378",
    LenderType.MICROLOAN: "local_finance",
    LenderType.OTHER: "pboc_12363",
    LenderType.PRIVATE: None,
}


_NO_REGULATOR = (
    "a private lender has no financial regulator to complain to: raise unlawful interest or "
    "fees in negotiation or in court (legal aid can help), and report threats or violence to "
    "the police (110)"
)


def complaint_routes(case: Case, loan: Loan) -> list[str]:
    """The channels for a complaint about ``loan``, the addressee first (legal notes §4.3)."""
    police = _police_matter(loan)
    regulator = _REGULATOR[loan.lender_type]
    routes: list[str] = []
    if police:
        routes.append("police_110")
    if regulator is not None:
        routes.append(regulator)
    if _collection_problem(loan) and loan.lender_type is not LenderType.PRIVATE:
        routes.append("nifa")
    if case.agreement is not None and case.agreement.intermediary:
        routes.append("samr_12315")
    if regulator == "local_finance":
        routes.append("pboc_12363")
    return list(dict.fromkeys(routes))


def complaint_view(
    case: Case, analysis: CaseAnalysis, loan_id: str, findings: Sequence[Finding] | None
) -> ComplaintView:
    """Where the complaint goes and the facts it states, in date order (legal notes §4.3).

    Banks, consumer-finance companies and bank loans sold through platforms → 12378 (NFRA);
    microloan companies → the local financial regulator (地方金融管理局); other lenders → 12363
    (PBoC); threats or violence → the police (110) first.  Collection by an internet lender
    may also be reported to NIFA; a paid debt agent to 12315.  A private lender has no
    regulator: a complaint about it is refused unless the police are the addressee.
    """
    loan = case.loans[_loan_index(analysis, loan_id)]
    view = loan_view(case, analysis, loan_id)
    police = _police_matter(loan)
    fee_issue = bool(finding_views(findings, loan_id, ("fee",)))
    collection_issue = _collection_problem(loan) or bool(
        finding_views(findings, loan_id, ("collection", "scam"))
    )
    routes = complaint_routes(case, loan)
    if not routes:
        raise InputError("complaint", _NO_REGULATOR)
    timeline: list[TimelineItem] = []
    if view.contract_date is not None:
        timeline.append(TimelineItem(view.contract_date, None, "contract"))
    if view.overdue_since is not None:
        timeline.append(TimelineItem(view.overdue_since, None, "overdue"))
    timeline.extend(
        TimelineItem(c.at.date(), c.at.time(), "contact", contact=c) for c in view.contacts
    )
    timeline.extend(TimelineItem(e.date, None, "event", event=e) for e in view.events)
    order = {"contract": 0, "overdue": 1, "event": 2, "contact": 3}
    timeline.sort(key=lambda t: (t.date, t.time or dt.time(0), order[t.kind]))
    collectors = tuple(dict.fromkeys(c.collector for c in loan.collection_contacts if c.collector))
    return ComplaintView(
        channel=routes[0],
        others=tuple(routes[1:]),
        police=police,
        third_party=any(c.target is not ContactTarget.BORROWER for c in loan.collection_contacts),
        collectors=collectors,
        timeline=tuple(timeline),
        fee_issue=fee_issue,
        collection_issue=collection_issue,
    )


def log_rows(case: Case, analysis: CaseAnalysis) -> tuple[LogRow, ...]:
    """Every negotiation event and collection contact of the case, in date order."""
    lenders = _lenders(analysis)
    rows: list[LogRow] = []
    for e in case.history:
        ev = _event_view(e, lenders)
        rows.append(
            LogRow(
                ev.date,
                None,
                "event",
                ev.channel,
                ev.lender,
                ev.counterpart,
                ev.kind,
                ev.summary,
                ev.amount,
                ev.outcome,
                None,
                (),
                None,
            )
        )
    for lid, loan in zip(analysis.loan_ids, case.loans, strict=True):
        for c in loan.collection_contacts:
            cv = _contact_view(c)
            rows.append(
                LogRow(
                    cv.at.date(),
                    cv.at.time(),
                    "collection",
                    cv.channel,
                    lenders[lid],
                    cv.collector,
                    "collection",
                    cv.summary,
                    None,
                    None,
                    cv.target,
                    cv.conduct,
                    cv.evidence,
                )
            )
    rows.sort(key=lambda r: (r.date, r.time or dt.time(0), r.source))
    return tuple(rows)


# ---------------------------------------------------------------------------------------------
# The context
# ---------------------------------------------------------------------------------------------


def build_context(
    kind: str,
    case: Case,
    analysis: CaseAnalysis,
    findings: Sequence[Finding] | None,
    *,
    loan_id: str | None,
    lang: str,
    fmt: str,
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """Everything the template of ``kind`` prints, for the letter about ``loan_id``."""
    contexts = LetterContexts(kind, case, analysis, findings, lang=lang, fmt=fmt, as_of=as_of)
    return contexts.context(loan_id)


class LetterContexts:
    """The contexts of the letters of one document, one per loan (see :func:`build_context`).

    What every letter of the document shares — the sender, the view of every loan, the budget,
    the hardships, the debts, the strategy codes — is built once, with the first letter,
    instead of once for each lender.
    """

    def __init__(
        self,
        kind: str,
        case: Case,
        analysis: CaseAnalysis,
        findings: Sequence[Finding] | None,
        *,
        lang: str,
        fmt: str,
        as_of: dt.date | None = None,
    ) -> None:
        self.kind = kind
        self.case = case
        self.analysis = analysis
        self.findings = findings
        self.lang = lang
        self.fmt = fmt
        self.as_of = as_of
        self._shared: dict[str, Any] | None = None

    def _common(self) -> dict[str, Any]:
        shared = self._shared
        if shared is None:
            case, analysis, findings = self.case, self.analysis, self.findings
            shared = self._shared = {
                "date": letter_date(case, analysis, self.as_of),
                "sender": party_view(case),
                "loans": tuple(loan_view(case, analysis, i) for i in analysis.loan_ids),
                "budget": budget_view(case, analysis),
                "hardships": hardship_views(case, analysis),
                "debts": DebtSummary(
                    count=len(analysis.plan.offers),
                    total=analysis.plan.total_owed,
                    overdue=analysis.plan.overdue_loans,
                ),
                # the findings a letter may quote: warnings and violations (finding_views)
                "serious": tuple(f for f in findings or () if f.severity in _SERIOUS),
                "strategies": _strategy_codes(findings),
            }
        return shared

    def context(self, loan_id: str | None) -> dict[str, Any]:
        """The context of the letter about ``loan_id`` (``None`` for a whole-case letter)."""
        kind, case, analysis = self.kind, self.case, self.analysis
        common = self._common()
        base = "en" if self.lang == "en" else "zh-Hans"
        day: dt.date = common["date"]
        loans: tuple[LoanView, ...] = common["loans"]
        loan = loans[_loan_index(analysis, loan_id)] if loan_id is not None else None
        ctx: dict[str, Any] = {
            "kind": kind,
            "lang": base,
            "fmt": self.fmt,
            "date": day,
            "sender": common["sender"],
            "loan": loan,
            "loans": loans,
            "budget": common["budget"],
            "hardships": common["hardships"],
            "findings": (),
            "proposal": None,
            "enclosures": enclosures(case, kind, loan),
            "lawsuit": case.lawsuit.value,
            "debts": common["debts"],
        }
        serious: tuple[Finding, ...] = common["serious"]
        if loan_id is not None:
            if kind in PAYMENT_KINDS:
                refuse_unsafe_payment(case, loan_id, analysis)
            ctx["proposal"] = build_proposal(case, analysis, loan_id, day)
            ctx["findings"] = finding_views(serious, loan_id, COMPLAINT_CATEGORIES)
            ctx["fee_findings"] = finding_views(serious, loan_id, ("fee",))
            ctx["strategies"] = common["strategies"]
        if kind == "agreement_draft" and loan_id is not None:
            ctx["draft"] = draft_agreement(case, analysis, loan_id, lang=base, as_of=day)
            ctx["hardship_kinds"] = tuple(dict.fromkeys(h.kind for h in ctx["hardships"]))
        elif kind == "written_confirmation" and loan_id is not None:
            ctx["confirmation"] = confirmation_view(case, analysis, loan_id, self.lang)
        elif kind == "complaint" and loan_id is not None:
            ctx["complaint"] = complaint_view(case, analysis, loan_id, serious)
        elif kind == "negotiation_log":
            ctx["rows"] = log_rows(case, analysis)
        return ctx


def _strategy_codes(findings: Sequence[Finding] | None) -> tuple[str, ...]:
    if not findings:
        return ()
    return tuple(dict.fromkeys(f.code for f in findings if f.category == "strategy"))
