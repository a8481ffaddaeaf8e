"""The borrower's monthly budget and what savings can spare.

Figures (all yuan, to the fen; see docs/knowledge-base.md):

* ``disposable`` = income − essential expenses − other debt payments (may be negative);
* ``affordable_monthly`` = disposable × (1 − safety margin), rounded *down* to the yuan, never
  below 0 (:func:`negotiator.calc.budget.compute_budget`);
* ``emergency_reserve`` = the larger of ``emergency_reserve_months`` × essential expenses and
  ``emergency_reserve_share`` × savings — money that is never offered to a lender;
* ``lump_sum_available`` = savings − reserve, rounded down to the yuan (0 when the budget is not
  known: without the expenses no reserve can be judged, so no lump sum is proposed).

Unknown inputs stay ``None`` here; the preparation checklist reports them as missing.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import attrs

from ..calc.budget import compute_budget
from ..models import Case, IncomeStability
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
    #: Whether the borrower stated other debt payments / savings (None in the case = unknown).
    other_debts_known: bool = True
    savings_known: bool = True
    income_stability: IncomeStability = IncomeStability.UNKNOWN
    #: Savings kept back for emergencies (never offered to a lender).
    emergency_reserve: Decimal = ZERO
    #: Savings beyond the reserve, rounded down to the yuan (0 when the budget is unknown).
    lump_sum_available: Decimal = ZERO

    def to_figures(self) -> dict[str, Any]:
        return {
            "known": self.known,
            "monthly_income": self.income,
            "essential_expenses": self.essential_expenses,
            "other_debt_payments": self.other_debt_payments,
            "other_debts_known": self.other_debts_known,
            "disposable": self.disposable,
            "safety_margin": str(self.safety_margin),
            "affordable_monthly": self.affordable_monthly,
            "savings": self.savings,
            "savings_known": self.savings_known,
            "income_stability": self.income_stability.value,
            "emergency_reserve": self.emergency_reserve,
            "lump_sum_available": self.lump_sum_available,
        }


def _floor_yuan(amount: Decimal) -> Decimal:
    return to_fen(amount.to_integral_value(ROUND_FLOOR))


def analyse_budget(case: Case, as_of: dt.date, params: Parameters) -> BudgetAnalysis:
    b = case.borrower
    margin = params.decimal("safety_margin")
    other = b.other_debt_payments if b.other_debt_payments is not None else ZERO
    savings = b.savings if b.savings is not None else ZERO
    known = b.monthly_income is not None and b.essential_expenses is not None
    disposable: Decimal | None = None
    affordable = ZERO
    reserve = ZERO
    lump = ZERO
    if b.monthly_income is not None and b.essential_expenses is not None:
        budget = compute_budget(b.monthly_income, b.essential_expenses, other, margin)
        disposable = to_fen(budget.disposable)
        affordable = budget.affordable_monthly
        reserve = to_fen(
            max(
                b.essential_expenses * params.integer("emergency_reserve_months"),
                savings * params.decimal("emergency_reserve_share"),
            )
        )
        if savings > reserve:
            lump = _floor_yuan(savings - reserve)
    return BudgetAnalysis(
        known=known,
        income=b.monthly_income,
        essential_expenses=b.essential_expenses,
        other_debt_payments=other,
        disposable=disposable,
        safety_margin=margin,
        affordable_monthly=affordable,
        savings=savings,
        other_debts_known=b.other_debt_payments is not None,
        savings_known=b.savings is not None,
        income_stability=b.income_stability,
        emergency_reserve=reserve,
        lump_sum_available=lump,
    )
