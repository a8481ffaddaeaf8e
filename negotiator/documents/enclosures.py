"""What a letter lists as enclosed: the documents and evidence the case says the borrower holds."""

from __future__ import annotations

import datetime as dt

import attrs

from ..case.models import (
    Case,
    DocumentKind,
)
from .views import LoanView


@attrs.frozen
class Enclosure:
    family: str  # document / evidence / hardship_statement / contact
    kind: str
    at: dt.datetime | None = None


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

    if kind in ("negotiation_request", "waiver_request", "reconsider_request"):
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
    elif kind == "income_expenditure":
        doc(DocumentKind.INCOME_PROOF, DocumentKind.BANK_STATEMENTS)
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
