"""Loan-level facts (one per loan) and fee facts (one per fee)."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis import CaseAnalysis
from ..models import LenderType
from .schema import Fact, FactKind, choice, extra, integer, money

__all__ = ["KINDS", "LOAN", "derive"]

LOAN = FactKind(
    name="loan",
    doc="One loan: what is owed, how overdue, its true cost and cap.",
    fields={
        "lender_type": choice("who lends", LenderType),
        "overdue_days": integer("days overdue as of the case date", required=True),
        "owed": money("what the lender claims now", required=True),
    },
    extras={
        "lender_name": extra("text", "the lender's name"),
    },
)

KINDS = (LOAN,)


def derive(a: CaseAnalysis) -> Iterator[Fact]:
    for i, la in enumerate(a.loans):
        yield Fact(
            kind="loan",
            id=f"loan-{i + 1}",
            subject=la.id,
            values={
                "lender_type": la.loan.lender_type.value,
                "overdue_days": la.overdue_days,
                "owed": la.owed,
            },
            extras={"lender_name": la.loan.lender_name},
        )
