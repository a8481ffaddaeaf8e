"""Case-level facts: the borrower's situation as a whole."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis import CaseAnalysis
from .schema import Fact, FactKind, extra, flag, integer, money

__all__ = ["CASE", "KINDS", "derive"]

CASE = FactKind(
    name="case",
    doc="The borrower's situation as a whole (one per case).",
    fields={
        "loans": integer("number of loans in the case", required=True),
        "overdue_loans": integer("number of loans that are overdue", required=True),
        "budget_known": flag("income and essential expenses are both given"),
        "disposable": money("income − essential expenses − other debt payments, per month"),
        "affordable_monthly": money(
            "what a plan may ask per month after the safety margin", required=True
        ),
        "total_owed": money("sum of what the lenders claim now", required=True),
    },
    extras={
        "safety_margin": extra("rate", "share of the disposable income kept back"),
    },
)

KINDS = (CASE,)


def derive(a: CaseAnalysis) -> Iterator[Fact]:
    yield Fact(
        kind="case",
        id="case",
        subject="case",
        values={
            "loans": len(a.loans),
            "overdue_loans": a.plan.overdue_loans,
            "budget_known": a.budget.known,
            "disposable": a.budget.disposable,
            "affordable_monthly": a.budget.affordable_monthly,
            "total_owed": a.plan.total_owed,
        },
        extras={"safety_margin": a.budget.safety_margin},
    )
