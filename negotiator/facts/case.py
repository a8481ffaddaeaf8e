"""Case-level facts: the borrower's situation as a whole (situation, consequence, aftercare)."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis import CaseAnalysis
from ..case.models import IncomeStability, LawsuitStatus
from .schema import Fact, FactKind, choice, extra, flag, integer, money
from .wording import outlook_reason

__all__ = ["CASE", "KINDS", "OUTLOOKS", "derive"]

OUTLOOKS = ("short_term", "long_term", "unknown")

CASE = FactKind(
    name="case",
    doc="The borrower's situation as a whole (one per case).",
    fields={
        "loans": integer("number of loans in the case", required=True),
        "overdue_loans": integer("number of loans that are overdue", required=True),
        "overdue_lenders": integer(
            "number of distinct lenders with an overdue loan", required=True
        ),
        "budget_known": flag("income and essential expenses are both given"),
        "disposable": money("income − essential expenses − other debt payments, per month"),
        "affordable_monthly": money(
            "what a plan may ask per month after the safety margin", required=True
        ),
        "total_owed": money("sum of what the lenders claim now", required=True),
        "outlook": choice(
            "short_term, long_term or unknown (see analysis/plan.py for the order of tests)",
            OUTLOOKS,
        ),
        "no_capacity": flag(
            "budget known, nothing affordable, no savings to spare, and no recovery in sight"
        ),
        "income_stability": choice("stable, unstable, none or unknown", IncomeStability),
        "refused_offers": integer("offers or requests the lenders refused", required=True),
        "lawsuit": choice("none, threatened, filed or judgment", LawsuitStatus),
        "max_overdue_days": integer("days overdue of the longest-overdue loan", required=True),
        "long_overdue": flag("some loan is overdue at least `long_overdue_days` (parameter)"),
        "hardship_end": choice(
            "none (no ongoing hardship), known (every ongoing hardship has an expected end) or "
            "unknown (some ongoing hardship has none)",
            ("none", "known", "unknown"),
        ),
        "waiting_terms": choice(
            "whether all, some or none of the overdue loans have a projection of further charges",
            ("all", "some", "none"),
        ),
    },
    extras={
        "safety_margin": extra("rate", "share of the disposable income kept back"),
        "outlook_reason_zh": extra("text", "why the outlook is what it is (Chinese)"),
        "outlook_reason_en": extra("text", "why the outlook is what it is (English)"),
        "recovery_months": extra("int", "months until the hardship is expected to end"),
        "short_term_months": extra("int", "parameter: the short-term horizon in months"),
        "long_overdue_days": extra("int", "parameter: days overdue that count as long overdue"),
        "extra_30": extra("money", "extra charges if nothing is paid for 30 more days"),
        "extra_90": extra("money", "extra charges if nothing is paid for 90 more days"),
        "extra_180": extra("money", "extra charges if nothing is paid for 180 more days"),
        "waiting_unknown": extra("list", "overdue loans whose further charges are unknown"),
        "overdue_lender_names": extra("list", "the lenders with an overdue loan"),
        "unanswered_offers": extra("int", "offers the lenders did not answer"),
    },
)

KINDS = (CASE,)


def _hardship_end(a: CaseAnalysis) -> str:
    ongoing = [h for h in a.plan.prospects.hardships if h.ongoing]
    if not ongoing:
        return "none"
    return "known" if all(h.months_left is not None for h in ongoing) else "unknown"


def derive(a: CaseAnalysis) -> Iterator[Fact]:
    p = a.plan
    overdue_names = []
    for la in a.loans:
        if la.overdue_days > 0 and la.loan.lender_name not in overdue_names:
            overdue_names.append(la.loan.lender_name)
    reason = {
        f"outlook_reason_{lang}": outlook_reason(
            p.prospects.outlook_reason,
            lang,
            months=p.prospects.recovery_months,
            count=p.capacity.instalments,
            typical=p.capacity.instalments_typical_max,
        )
        for lang in ("zh", "en")
    }
    yield Fact(
        kind="case",
        id="case",
        subject="case",
        values={
            "loans": len(a.loans),
            "overdue_loans": p.situation.overdue_loans,
            "overdue_lenders": p.situation.overdue_lenders,
            "budget_known": a.budget.known,
            "disposable": a.budget.disposable,
            "affordable_monthly": a.budget.affordable_monthly,
            "total_owed": p.situation.total_owed,
            "outlook": p.prospects.outlook.value,
            "no_capacity": p.prospects.no_capacity,
            "income_stability": a.budget.income_stability.value,
            "refused_offers": p.situation.refused_offers,
            "lawsuit": p.situation.lawsuit.value,
            "max_overdue_days": p.situation.max_overdue_days,
            "long_overdue": p.situation.long_overdue,
            "waiting_terms": p.waiting.terms,
            "hardship_end": _hardship_end(a),
        },
        extras={
            "safety_margin": a.budget.safety_margin,
            **reason,
            "recovery_months": p.prospects.recovery_months,
            "short_term_months": p.prospects.short_term_months,
            "long_overdue_days": p.situation.long_overdue_days,
            "extra_30": p.waiting.extra.get(30),
            "extra_90": p.waiting.extra.get(90),
            "extra_180": p.waiting.extra.get(180),
            "waiting_unknown": [
                f"{o.loan_id} {o.lender_name}" for o in p.offers if o.loan_id in p.waiting.unknown
            ],
            "overdue_lender_names": overdue_names,
            "unanswered_offers": p.situation.unanswered_offers,
        },
    )
