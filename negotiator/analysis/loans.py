"""Per-loan figures: what is owed, how overdue, the true cost and the applicable cap."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from ..models import Case, Loan
from ..money import ZERO
from ..params import Parameters

__all__ = ["LoanAnalysis", "analyse_loans"]


@attrs.frozen
class LoanAnalysis:
    id: str
    loan: Loan
    overdue_days: int
    owed: Decimal  # best known figure of what the lender claims now


def analyse_loans(
    case: Case, ids: tuple[str, ...], as_of: dt.date, params: Parameters
) -> tuple[LoanAnalysis, ...]:
    out = []
    for loan_id, loan in zip(ids, case.loans, strict=True):
        overdue = (as_of - loan.overdue_since).days if loan.overdue_since else 0
        if loan.outstanding is not None:
            owed = loan.outstanding
        else:
            owed = max(ZERO, loan.principal - (loan.repaid or ZERO))
        out.append(LoanAnalysis(id=loan_id, loan=loan, overdue_days=max(0, overdue), owed=owed))
    return tuple(out)
