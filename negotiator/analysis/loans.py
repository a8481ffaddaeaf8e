"""Per-loan figures: what is owed, how overdue, the true cost and the applicable cap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

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
    #: "private", "licensed" or "unknown" (see negotiator.calc.caps)
    regime: str = "unknown"
    #: True annualised cost (compound, IRR over actual cash flows incl. every fee), if computable.
    annual_cost: Decimal | None = None
    #: Penalty (overdue) interest per day as a fraction, if the contract states one.
    overdue_daily_rate: Decimal | None = None
    #: Extra charges if nothing is paid for N more days (N = 30, 90, 180), from the loan's terms.
    projected_extra: Mapping[int, Decimal] = attrs.field(factory=dict)

    def to_figures(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lender_name": self.loan.lender_name,
            "lender_type": self.loan.lender_type.value,
            "regime": self.regime,
            "overdue_days": self.overdue_days,
            "owed": self.owed,
            "annual_cost": self.annual_cost,
            "projected_extra": {str(k): v for k, v in self.projected_extra.items()},
        }


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
