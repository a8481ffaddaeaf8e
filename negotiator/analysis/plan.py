"""Strategy numbers: what the borrower can offer, to whom, over how long."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from ..models import Case
from ..params import Parameters
from .budget import BudgetAnalysis
from .loans import LoanAnalysis

__all__ = ["PlanAnalysis", "analyse_plan"]


@attrs.frozen
class PlanAnalysis:
    total_owed: Decimal
    overdue_loans: int

    def to_figures(self) -> dict[str, Any]:
        return {"total_owed": self.total_owed, "overdue_loans": self.overdue_loans}


def analyse_plan(
    case: Case,
    ids: tuple[str, ...],
    as_of: dt.date,
    params: Parameters,
    budget: BudgetAnalysis,
    loans: tuple[LoanAnalysis, ...],
) -> PlanAnalysis:
    total = sum((la.owed for la in loans), Decimal(0))
    return PlanAnalysis(total_owed=total, overdue_loans=sum(1 for la in loans if la.overdue_days))
