"""Analysis: run the calculators over a validated case.

``analyse(case)`` is the step between the models and the facts: it computes every figure the
rules judge and the letters quote (budget, true cost and caps of each loan, the strategy
numbers, the proposed agreement's consistency and affordability).  It decides nothing — no
finding codes appear here — and nothing it returns is rounded other than by
:func:`negotiator.money.to_fen`.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ..basis.params import Parameters, load_parameters
from ..case.models import Case, beijing_today
from .agreement import AgreementAnalysis, analyse_agreement
from .budget import BudgetAnalysis, analyse_budget
from .loans import LoanAnalysis, analyse_loans
from .plan import PlanAnalysis, analyse_plan

__all__ = ["CaseAnalysis", "analyse"]


@attrs.frozen
class CaseAnalysis:
    case: Case
    as_of: dt.date
    params: Parameters
    loan_ids: tuple[str, ...]
    budget: BudgetAnalysis
    loans: tuple[LoanAnalysis, ...]
    plan: PlanAnalysis
    agreement: AgreementAnalysis | None


def analyse(
    case: Case, *, as_of: dt.date | None = None, params: Parameters | None = None
) -> CaseAnalysis:
    """Compute every figure for ``case`` as of ``as_of`` (default: the case's date, or today)."""
    day = as_of or case.as_of or beijing_today()
    p = params or load_parameters()
    ids = tuple(case.loan_ids())
    budget = analyse_budget(case, day, p)
    loans = analyse_loans(case, ids, day)
    plan = analyse_plan(case, ids, day, p, budget, loans)
    agreement = (
        analyse_agreement(
            case,
            ids,
            day,
            p,
            budget,
            loans,
            share=plan.share_for(case),
            share_path=plan.share_path_for(case),
        )
        if case.agreement
        else None
    )
    return CaseAnalysis(
        case=case,
        as_of=day,
        params=p,
        loan_ids=ids,
        budget=budget,
        loans=loans,
        plan=plan,
        agreement=agreement,
    )
