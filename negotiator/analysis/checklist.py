"""The preparation checklist: for each item, whether it is done and exactly what is missing.

Eight items, always all of them, in this order (docs/knowledge-base.md explains each):

``debt_details``       every figure of every loan: claimed total, rate, penalty rate, penalty
                       interest and late fees so far (the last three only for overdue loans);
``budget``             income, essential expenses, other debt payments, savings, income stability;
``hardship_evidence``  for each claimed hardship, the proof that kind of hardship calls for
                       (:data:`EVIDENCE_NEEDED`);
``documents``          loan contract, repayment records, income proof, bank statements;
``plan``               a feasible proposal can be worked out from the figures;
``official_channel``   every lender has been contacted through its own official channel (its
                       app, e-mail, post, or a named service desk; for a private lender, the
                       lender in person rather than a collector);
``conduct``            the borrower has the facts ready to state calmly (what happened, the offer);
``keep_records``       communication records are kept, and every collection contact has proof.

A missing piece is a :class:`Gap`: a word from a closed vocabulary plus the loan, hardship or
documents it concerns.  Turning gaps into sentences is the facts layer's job
(:mod:`negotiator.facts.wording`); nothing here is worded for people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from ..case.models import (
    Case,
    ContactChannel,
    DocumentKind,
    EmploymentStatus,
    EvidenceKind,
    HardshipKind,
    IncomeStability,
    LenderType,
    NegotiationEvent,
)
from .budget import BudgetAnalysis
from .loans import LoanAnalysis

__all__ = [
    "CHECKLIST_ITEMS",
    "EVIDENCE_NEEDED",
    "ChecklistItem",
    "Gap",
    "build_checklist",
    "evidence_gaps",
]

CHECKLIST_ITEMS: tuple[str, ...] = (
    "debt_details",
    "budget",
    "hardship_evidence",
    "documents",
    "plan",
    "official_channel",
    "conduct",
    "keep_records",
)

_ALL_EVIDENCE = tuple(EvidenceKind)

#: What proves each kind of hardship: every group must be met; a group is met by any one of its
#: kinds.  Illness needs both the medical records and the bills; unemployment either a
#: termination certificate or an unemployment registration; an income drop pay slips, bank
#: statements or an income certificate showing the change (seeds 000 §二.3, 002 §三.3, 004).
EVIDENCE_NEEDED: Mapping[HardshipKind, tuple[tuple[EvidenceKind, ...], ...]] = {
    HardshipKind.UNEMPLOYMENT: (
        (EvidenceKind.TERMINATION_CERTIFICATE, EvidenceKind.UNEMPLOYMENT_CERTIFICATE),
    ),
    HardshipKind.ILLNESS: ((EvidenceKind.MEDICAL_RECORDS,), (EvidenceKind.MEDICAL_BILLS,)),
    HardshipKind.INCOME_DROP: (
        (EvidenceKind.PAY_SLIPS, EvidenceKind.BANK_STATEMENTS, EvidenceKind.INCOME_CERTIFICATE),
    ),
    HardshipKind.FAMILY_EVENT: ((EvidenceKind.FAMILY_CERTIFICATE,),),
    HardshipKind.BUSINESS_FAILURE: ((EvidenceKind.BUSINESS_RECORDS,),),
    HardshipKind.DISASTER: ((EvidenceKind.DISASTER_PROOF,),),
    HardshipKind.OTHER: (_ALL_EVIDENCE,),
}

#: Channels that are official by nature (the lender's app, e-mail or post).
_OFFICIAL_CHANNELS = frozenset({ContactChannel.APP, ContactChannel.EMAIL, ContactChannel.LETTER})
#: Words in a counterpart's name that mark the lender's own service desk.
_OFFICIAL_WORDS = ("客服", "官方", "热线", "customer service", "hotline", "official")
#: Words that mark a collector rather than the lender itself.
_COLLECTOR_WORDS = ("催收", "资产管理", "collector", "collection")


@attrs.frozen
class Gap:
    """One missing piece of a checklist item (a vocabulary word plus what it concerns)."""

    what: str
    loan: str | None = None
    lender: str | None = None
    hardship: str | None = None
    #: Alternatives that would fill the gap (evidence or document kinds, as their enum words).
    options: tuple[str, ...] = ()
    count: int | None = None
    limit: int | None = None
    #: The lender's kind (its enum word), where the words depend on it (逾期利息 or 罚息).
    lender_type: str | None = None

    @property
    def key(self) -> str:
        """A stable machine-readable name, e.g. ``L2.penalty_rate`` or ``illness.medical_bills``."""
        if self.what == "evidence":
            return f"{self.hardship}.{'|'.join(self.options)}"
        if self.what == "document":
            return f"documents.{self.options[0]}"
        if self.what == "hardship_description":
            return f"{self.hardship}.description"
        if self.loan is not None:
            return f"{self.loan}.{self.what}"
        return self.what


@attrs.frozen
class ChecklistItem:
    item: str
    gaps: tuple[Gap, ...]

    @property
    def done(self) -> bool:
        return not self.gaps


def evidence_gaps(kind: HardshipKind, held: Sequence[EvidenceKind]) -> list[Gap]:
    """The proof still missing for one hardship of ``kind`` given the evidence ``held``."""
    have = set(held)
    return [
        Gap("evidence", hardship=kind.value, options=tuple(e.value for e in group))
        for group in EVIDENCE_NEEDED[kind]
        if not have.intersection(group)
    ]


def _debt_details(loans: Sequence[LoanAnalysis]) -> list[Gap]:
    gaps: list[Gap] = []
    for la in loans:
        loan = la.loan
        words = []
        if loan.outstanding is None:
            words.append("outstanding")
        if loan.rate is None and loan.interest_agreed is not False:
            words.append("rate")
        if la.overdue_days > 0:
            if loan.penalty_rate is None:
                words.append("penalty_rate")
            if loan.penalty_interest is None:
                words.append("penalty_interest")
            if loan.late_fees is None:
                words.append("late_fees")
        gaps.extend(
            Gap(w, loan=la.id, lender=loan.lender_name, lender_type=loan.lender_type.value)
            for w in words
        )
    return gaps


def _budget(case: Case) -> list[Gap]:
    b = case.borrower
    gaps = []
    if b.monthly_income is None:
        gaps.append(Gap("income"))
    if b.essential_expenses is None:
        gaps.append(Gap("essential_expenses"))
    if b.other_debt_payments is None:
        gaps.append(Gap("other_debt_payments"))
    if b.savings is None:
        gaps.append(Gap("savings"))
    if b.income_stability is IncomeStability.UNKNOWN:
        gaps.append(Gap("income_stability"))
    return gaps


def _hardship_evidence(case: Case) -> list[Gap]:
    gaps: list[Gap] = []
    for h in case.borrower.hardships:
        for gap in evidence_gaps(h.kind, h.evidence):
            if gap not in gaps:
                gaps.append(gap)
    return gaps


def _documents(case: Case) -> list[Gap]:
    b = case.borrower
    held = set(b.documents)
    evidence = {e for h in b.hardships for e in h.evidence}
    gaps = []
    if DocumentKind.LOAN_CONTRACT not in held:
        gaps.append(Gap("document", options=(DocumentKind.LOAN_CONTRACT.value,)))
    if DocumentKind.REPAYMENT_RECORDS not in held:
        gaps.append(Gap("document", options=(DocumentKind.REPAYMENT_RECORDS.value,)))
    no_income = (
        b.income_stability is IncomeStability.NONE or b.employment is EmploymentStatus.UNEMPLOYED
    )
    income_proof = DocumentKind.INCOME_PROOF in held or evidence & {
        EvidenceKind.PAY_SLIPS,
        EvidenceKind.INCOME_CERTIFICATE,
    }
    if not no_income and not income_proof:
        gaps.append(Gap("document", options=(DocumentKind.INCOME_PROOF.value,)))
    if DocumentKind.BANK_STATEMENTS not in held and EvidenceKind.BANK_STATEMENTS not in evidence:
        gaps.append(Gap("document", options=(DocumentKind.BANK_STATEMENTS.value,)))
    return gaps


def _names(la: LoanAnalysis) -> list[str]:
    return [n.casefold() for n in (la.loan.lender_name, la.loan.platform) if n]


def _is_official(event: NegotiationEvent, la: LoanAnalysis) -> bool:
    who = (event.counterpart or "").casefold()
    if la.loan.lender_type is LenderType.PRIVATE:
        # A private lender has no service desk: dealing with the lender directly is the
        # official channel; dealing with a collector is not.
        return not any(w in who for w in _COLLECTOR_WORDS)
    if event.channel in _OFFICIAL_CHANNELS:
        return True
    if not who:
        return False
    return any(w in who for w in _OFFICIAL_WORDS) or any(n in who for n in _names(la))


def _concerns(event: NegotiationEvent, la: LoanAnalysis, single: bool) -> bool:
    if event.loan is not None:
        return event.loan == la.id
    who = (event.counterpart or "").casefold()
    return single or (bool(who) and any(n in who or who in n for n in _names(la)))


def official_contacts(case: Case, loans: Sequence[LoanAnalysis]) -> dict[str, bool]:
    """For each loan id: whether the history shows a contact through the lender's own channel."""
    single = len(loans) == 1
    return {
        la.id: any(_concerns(e, la, single) and _is_official(e, la) for e in case.history)
        for la in loans
    }


def _official_channel(case: Case, loans: Sequence[LoanAnalysis]) -> list[Gap]:
    done = official_contacts(case, loans)
    return [
        Gap("official_contact", loan=la.id, lender=la.loan.lender_name)
        for la in loans
        if la.owed > 0 and not done[la.id]
    ]


def _conduct(case: Case, budget: BudgetAnalysis) -> list[Gap]:
    gaps = []
    hardships = case.borrower.hardships
    if not hardships:
        gaps.append(Gap("reason"))
    for h in hardships:
        if h.description is None:
            gap = Gap("hardship_description", hardship=h.kind.value)
            if gap not in gaps:
                gaps.append(gap)
    if not budget.known:
        gaps.append(Gap("offer_figures"))
    return gaps


def _keep_records(case: Case, loans: Sequence[LoanAnalysis]) -> list[Gap]:
    gaps = []
    if DocumentKind.COMMUNICATION_RECORDS not in case.borrower.documents:
        gaps.append(Gap("communication_records"))
    for la in loans:
        without = sum(1 for c in la.loan.collection_contacts if not c.evidence)
        if without:
            gaps.append(
                Gap(
                    "contacts_without_evidence",
                    loan=la.id,
                    lender=la.loan.lender_name,
                    count=without,
                )
            )
    return gaps


def build_checklist(
    case: Case,
    budget: BudgetAnalysis,
    loans: Sequence[LoanAnalysis],
    plan_gaps: Sequence[Gap],
) -> tuple[ChecklistItem, ...]:
    """The eight checklist items for a case (``plan_gaps`` come from the plan figures)."""
    gaps: dict[str, list[Gap]] = {
        "debt_details": _debt_details(loans),
        "budget": _budget(case),
        "hardship_evidence": _hardship_evidence(case),
        "documents": _documents(case),
        "plan": list(plan_gaps),
        "official_channel": _official_channel(case, loans),
        "conduct": _conduct(case, budget),
        "keep_records": _keep_records(case, loans),
    }
    return tuple(ChecklistItem(item, tuple(gaps[item])) for item in CHECKLIST_ITEMS)
