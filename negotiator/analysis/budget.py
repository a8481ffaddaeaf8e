"""The borrower's monthly budget."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import attrs

from ..models import Case
from ..money import ZERO, to_fen
from ..params import Parameters

__all__ = ["BudgetAnalysis", "analyse_budget"]


@attrs.frozen
class BudgetAnalysis:
    known: bool  # income and essential expenses are both given
    income: Decimal | None
    essential_expenses: Decimal | None
    other_debt_payments: Decimal
    disposable: Decimal | None  # income − essential − other debts (may be negative)
    safety_margin: Decimal
    affordable_monthly: Decimal  # what a plan may ask each month (0 when unknown or negative)
    savings: Decimal

    def to_figures(self) -> dict[str, Any]:
        return {
            "monthly_income": self.income,
            "essential_expenses": self.essential_expenses,
            "other_debt_payments": self.other_debt_payments,
            "disposable": self.disposable,
            "safety_margin": str(self.safety_margin),
            "affordable_monthly": self.affordable_monthly,
            "savings": self.savings,
        }


def analyse_budget(case: Case, as_of: dt.date, params: Parameters) -> BudgetAnalysis:
    b = case.borrower
    margin = params.decimal("safety_margin")
    other = b.other_debt_payments or ZERO
    known = b.monthly_income is not None and b.essential_expenses is not None
    disposable = None
    affordable = ZERO
    if b.monthly_income is not None and b.essential_expenses is not None:
        disposable = to_fen(b.monthly_income - b.essential_expenses - other)
        if disposable > 0:
            affordable = to_fen((disposable * (1 - margin)).to_integral_value(ROUND_FLOOR))
    return BudgetAnalysis(
        known=known,
        income=b.monthly_income,
        essential_expenses=b.essential_expenses,
        other_debt_payments=other,
        disposable=disposable,
        safety_margin=margin,
        affordable_monthly=affordable,
        savings=b.savings or ZERO,
    )
