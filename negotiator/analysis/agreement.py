"""The proposed agreement: completeness, consistency and affordability figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from ..models import Agreement, Case
from ..params import Parameters
from .budget import BudgetAnalysis
from .loans import LoanAnalysis

__all__ = ["AgreementAnalysis", "analyse_agreement"]


@attrs.frozen
class AgreementAnalysis:
    agreement: Agreement
    loan_id: str | None

    def to_figures(self) -> dict[str, Any]:
        return {"loan": self.loan_id}


def analyse_agreement(
    case: Case,
    ids: tuple[str, ...],
    as_of: dt.date,
    params: Parameters,
    budget: BudgetAnalysis,
    loans: tuple[LoanAnalysis, ...],
) -> AgreementAnalysis:
    agreement = case.agreement
    assert agreement is not None
    loan_id = agreement.loan or (ids[0] if len(ids) == 1 else None)
    return AgreementAnalysis(agreement=agreement, loan_id=loan_id)
