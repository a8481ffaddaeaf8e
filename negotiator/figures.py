"""The figures a report carries beside its findings (budget, debts, plan), as plain data."""

from __future__ import annotations

from typing import Any

from .analysis import CaseAnalysis

__all__ = ["figures"]


def figures(a: CaseAnalysis) -> dict[str, Any]:
    b = a.budget
    return {
        "budget": {
            "monthly_income": b.income,
            "essential_expenses": b.essential_expenses,
            "other_debt_payments": b.other_debt_payments,
            "disposable": b.disposable,
            "safety_margin": b.safety_margin,
            "affordable_monthly": b.affordable_monthly,
            "savings": b.savings,
        },
        "total_owed": a.plan.total_owed,
        "loans": [
            {
                "id": la.id,
                "lender_name": la.loan.lender_name,
                "lender_type": la.loan.lender_type.value,
                "overdue_days": la.overdue_days,
                "owed": la.owed,
            }
            for la in a.loans
        ],
    }
