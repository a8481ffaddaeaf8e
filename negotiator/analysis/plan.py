"""Strategy numbers: the borrower's outlook, what to offer, to whom, over how long.

Everything the situation, strategy and consequence rules judge is computed here from the case,
the budget and the per-loan figures; every threshold comes from ``rules/parameters.toml``.  The
policies (documented in docs/knowledge-base.md):

*Outlook* — ``short_term`` (cannot pay now, stable income expected), ``long_term`` (cannot pay
for the foreseeable future) or ``unknown`` (not enough information), decided in this order:

1. every ongoing hardship is expected to end within ``short_term_months`` → short term;
2. the budget clears the whole debt within ``instalments_typical_max`` monthly payments and the
   income is stable (or, with no ongoing hardship, not known to be unstable) → short term;
3. the budget is known and does not clear the debt within that many payments → long term;
4. the income is unstable or there is none → long term;
5. a hardship is ongoing with no end in sight, or ends after the short-term horizon → long term;
6. the income is stable → short term; otherwise unknown.

*Order of lenders* — by the loan's true cost while it stays unpaid (``LoanAnalysis.annual_cost``:
the higher of the contract's annualised cost incl. fees and, for an overdue loan, its overdue
cost); when that is unknown, the penalty rate of an overdue loan or else the contract rate stands
in; loans whose cost is unknown come last, by balance.

*Split* — the affordable monthly amount is shared in proportion to each lender's balance
(largest-remainder rounding to the fen; ties go to the costlier lender).  A partial lump sum is
allocated to the costliest lender first.  Each lender is negotiated with separately.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any

import attrs

from ..calc.budget import instalments_needed, split_proportional
from ..calc.consequences import STANDARD_HORIZONS
from ..models import Case, FeeKind, HardshipKind, IncomeStability, LawsuitStatus, Outcome
from ..money import ZERO, to_fen
from ..params import Parameters
from .budget import BudgetAnalysis
from .checklist import ChecklistItem, Gap, build_checklist, evidence_gaps
from .loans import LoanAnalysis, annual_rate

__all__ = [
    "CostBasis",
    "HardshipCheck",
    "LenderOffer",
    "Outlook",
    "PlanAnalysis",
    "analyse_plan",
    "months_until",
]


class Outlook(StrEnum):
    SHORT_TERM = "short_term"
    LONG_TERM = "long_term"
    UNKNOWN = "unknown"


class CostBasis(StrEnum):
    """What a lender's position in the cost order rests on."""

    ANNUAL_COST = "annual_cost"  # IRR over the actual cash flows, incl. every fee
    PENALTY_RATE = "penalty_rate"  # the annualised overdue rate now accruing
    CONTRACT_RATE = "contract_rate"  # only the nominal contract rate is known (understates)
    UNKNOWN = "unknown"


class HardshipProof(StrEnum):
    NONE_CLAIMED = "none_claimed"
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"


@attrs.frozen
class HardshipCheck:
    """One claimed hardship: the proof held and the proof still missing."""

    kind: HardshipKind
    held: tuple[str, ...]
    missing: tuple[Gap, ...]
    ongoing: bool
    months_left: int | None  # months until its expected end (None: no end given)
    described: bool


@attrs.frozen
class LenderOffer:
    """What to propose to one lender (loans with something owed, costliest first)."""

    loan_id: str
    lender_name: str
    lender_type: str
    owed: Decimal
    overdue: bool
    overdue_days: int
    cost_rate: Decimal | None
    cost_basis: CostBasis
    cost_rank: int  # 1 = costliest
    monthly: Decimal  # this lender's share of the affordable monthly amount
    instalments: int | None  # payments of `monthly` that clear `owed` (None when monthly is 0)
    lump_sum: Decimal  # this lender's part of the partial lump sum
    instalments_after_lump: int | None  # payments of `monthly` that clear `owed − lump_sum`
    penalty_interest: Decimal | None
    late_fees: Decimal | None
    collection_fees: Decimal
    waivable: Decimal  # known overdue charges one can ask to waive
    charges_known: bool  # penalty interest and late fees are both known (or not overdue)
    penalty_terms: bool  # the overdue rate is known
    #: Extra charges if nothing is paid for 30/90/180 more days (empty when the terms are unknown).
    projected_extra: Mapping[int, Decimal] = attrs.field(factory=dict)

    def to_figures(self) -> dict[str, Any]:
        return {
            "loan": self.loan_id,
            "lender_name": self.lender_name,
            "lender_type": self.lender_type,
            "owed": self.owed,
            "overdue": self.overdue,
            "overdue_days": self.overdue_days,
            "cost_rate": self.cost_rate,
            "cost_basis": self.cost_basis.value,
            "cost_rank": self.cost_rank,
            "monthly": self.monthly,
            "instalments": self.instalments,
            "lump_sum": self.lump_sum,
            "instalments_after_lump": self.instalments_after_lump,
            "penalty_interest": self.penalty_interest,
            "late_fees": self.late_fees,
            "collection_fees": self.collection_fees,
            "waivable": self.waivable,
            "projected_extra": {str(k): v for k, v in self.projected_extra.items()},
        }


@attrs.frozen
class PlanAnalysis:
    total_owed: Decimal
    overdue_loans: int
    overdue_lenders: int = 0
    lenders: int = 0  # distinct lenders still owed something
    max_overdue_days: int = 0
    long_overdue: bool = False
    long_overdue_days: int = 90
    outlook: Outlook = Outlook.UNKNOWN
    outlook_reason: str = "no_information"
    recovery_months: int | None = None
    short_term_months: int = 6
    no_capacity: bool = False
    affordable_monthly: Decimal = ZERO
    lump_sum: Decimal = ZERO
    lump_lender: str | None = None
    instalments: int | None = None
    instalments_after_lump: int | None = None
    fits_typical: bool = False
    fits_max: bool = False
    instalments_typical_max: int = 36
    instalments_max: int = 60
    max_payable: Decimal = ZERO  # affordable × instalments_max
    reduction_needed: Decimal = ZERO  # what must be waived/restructured to fit instalments_max
    offers: tuple[LenderOffer, ...] = ()
    costs_known: bool = True
    any_not_due: bool = False
    hardships: tuple[HardshipCheck, ...] = ()
    hardship_proof: HardshipProof = HardshipProof.NONE_CLAIMED
    refused_offers: int = 0
    unanswered_offers: int = 0
    lawsuit: LawsuitStatus = LawsuitStatus.NONE
    waiting: Mapping[int, Decimal] = attrs.field(factory=dict)
    waiting_terms: str = "none"  # all / some / none of the overdue loans have projections
    waiting_unknown: tuple[str, ...] = ()  # overdue loans whose cost of waiting is unknown
    checklist: tuple[ChecklistItem, ...] = ()

    def to_figures(self) -> dict[str, Any]:
        return {
            "total_owed": self.total_owed,
            "overdue_loans": self.overdue_loans,
            "overdue_lenders": self.overdue_lenders,
            "lenders": self.lenders,
            "max_overdue_days": self.max_overdue_days,
            "long_overdue": self.long_overdue,
            "outlook": self.outlook.value,
            "outlook_reason": self.outlook_reason,
            "recovery_months": self.recovery_months,
            "no_capacity": self.no_capacity,
            "affordable_monthly": self.affordable_monthly,
            "lump_sum": self.lump_sum,
            "lump_lender": self.lump_lender,
            "instalments": self.instalments,
            "instalments_after_lump": self.instalments_after_lump,
            "fits_typical": self.fits_typical,
            "fits_max": self.fits_max,
            "instalments_typical_max": self.instalments_typical_max,
            "instalments_max": self.instalments_max,
            "max_payable": self.max_payable,
            "reduction_needed": self.reduction_needed,
            "offers": [o.to_figures() for o in self.offers],
            "costs_known": self.costs_known,
            "hardship_proof": self.hardship_proof.value,
            "refused_offers": self.refused_offers,
            "lawsuit": self.lawsuit.value,
            "waiting": {str(k): v for k, v in self.waiting.items()},
            "waiting_terms": self.waiting_terms,
            "checklist": [
                {"item": c.item, "done": c.done, "missing": [g.key for g in c.gaps]}
                for c in self.checklist
            ],
        }


# ---------------------------------------------------------------------------------------------


def months_until(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end``, a part-month counting as a month (≥ 0).

    >>> months_until(dt.date(2026, 1, 15), dt.date(2026, 3, 15))
    2
    >>> months_until(dt.date(2026, 1, 15), dt.date(2026, 3, 16))
    3
    """
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day > start.day:
        months += 1
    return max(months, 0)


def _cost(la: LoanAnalysis) -> tuple[Decimal | None, CostBasis]:
    """The loan's cost while it stays unpaid, and what that figure rests on.

    ``LoanAnalysis.annual_cost`` already is the larger of the contract's cost and, for an
    overdue loan, the overdue cost; it is used whenever it is known.  Otherwise the penalty rate
    of an overdue loan, then the nominal contract rate, stand in (and say so).
    """
    if la.annual_cost is not None:
        if la.annual_cost_basis == "overdue":
            return la.annual_cost, CostBasis.PENALTY_RATE
        return la.annual_cost, CostBasis.ANNUAL_COST
    loan = la.loan
    if la.overdue_days > 0 and loan.penalty_rate is not None:
        return annual_rate(loan.penalty_rate), CostBasis.PENALTY_RATE
    contract = annual_rate(loan.charged_rate) or annual_rate(loan.rate)
    if contract is not None:
        return contract, CostBasis.CONTRACT_RATE
    return None, CostBasis.UNKNOWN


def _hardship_checks(case: Case, as_of: dt.date) -> tuple[HardshipCheck, ...]:
    out = []
    for h in case.borrower.hardships:
        ongoing = h.expected_end is None or h.expected_end > as_of
        months = months_until(as_of, h.expected_end) if h.expected_end is not None else None
        out.append(
            HardshipCheck(
                kind=h.kind,
                held=tuple(e.value for e in h.evidence),
                missing=tuple(evidence_gaps(h.kind, h.evidence)),
                ongoing=ongoing,
                months_left=months if ongoing else 0,
                described=h.description is not None,
            )
        )
    return tuple(out)


def _outlook(
    hardships: Sequence[HardshipCheck],
    stability: IncomeStability,
    budget_known: bool,
    fits_typical: bool,
    short_months: int,
) -> tuple[Outlook, str, int | None]:
    """(outlook, reason word, months until recovery) — see the module docs for the order."""
    ongoing = [h for h in hardships if h.ongoing]
    recovery: str
    months: int | None = None
    if not ongoing:
        recovery = "none"
    elif all(h.months_left is not None for h in ongoing):
        months = max(h.months_left or 0 for h in ongoing)
        recovery = "soon" if months <= short_months else "later"
    else:
        recovery = "later"
    if recovery == "soon":
        return Outlook.SHORT_TERM, "hardship_ends", months
    if budget_known and fits_typical:
        if stability is IncomeStability.STABLE:
            return Outlook.SHORT_TERM, "budget_fits", None
        if recovery == "none" and stability is IncomeStability.UNKNOWN:
            return Outlook.SHORT_TERM, "budget_fits", None
    if budget_known and not fits_typical:
        return Outlook.LONG_TERM, "budget_short", months
    if stability is IncomeStability.UNSTABLE:
        return Outlook.LONG_TERM, "income_unstable", months
    if stability is IncomeStability.NONE:
        return Outlook.LONG_TERM, "no_income", months
    if recovery == "later":
        return (
            Outlook.LONG_TERM,
            "hardship_later" if months is not None else "hardship_ongoing",
            months,
        )
    if stability is IncomeStability.STABLE:
        return Outlook.SHORT_TERM, "stable_income", None
    return Outlook.UNKNOWN, "no_information", None


def _plan_gaps(
    budget: BudgetAnalysis, fits_max: bool, instalments: int | None, covered: bool, limit: int
) -> list[Gap]:
    if not budget.known:
        return [Gap("budget_incomplete")]
    if covered:
        return []
    if budget.affordable_monthly <= 0:
        return [Gap("no_spare_money")]
    if not fits_max:
        return [Gap("plan_too_long", count=instalments, limit=limit)]
    return []


def analyse_plan(
    case: Case,
    ids: tuple[str, ...],
    as_of: dt.date,
    params: Parameters,
    budget: BudgetAnalysis,
    loans: tuple[LoanAnalysis, ...],
) -> PlanAnalysis:
    typical = params.integer("instalments_typical_max")
    longest = params.integer("instalments_max")
    short_months = params.integer("short_term_months")
    long_days = params.integer("long_overdue_days")
    affordable = budget.affordable_monthly

    total = sum((la.owed for la in loans), ZERO)
    overdue = [la for la in loans if la.overdue_days > 0]
    owing = [la for la in loans if la.owed > 0]
    max_days = max((la.overdue_days for la in loans), default=0)

    # Order: known cost first (highest first), then unknown cost by balance; stable on ties.
    costs = {la.id: _cost(la) for la in owing}
    order = sorted(
        range(len(owing)),
        key=lambda i: (
            costs[owing[i].id][0] is None,
            -(costs[owing[i].id][0] or ZERO),
            -owing[i].owed,
            i,
        ),
    )
    ranked = [owing[i] for i in order]

    # Partial lump sum from savings beyond the reserve, costliest lender first.
    lump = min(budget.lump_sum_available, total)
    if lump < params.decimal("lump_sum_minimum"):
        lump = ZERO
    lump_parts: dict[str, Decimal] = {}
    left = lump
    for la in ranked:
        part = min(left, la.owed)
        lump_parts[la.id] = part
        left -= part

    shares = (
        split_proportional(affordable, [la.owed for la in ranked])
        if ranked and affordable > 0
        else [ZERO] * len(ranked)
    )

    offers = []
    for rank, (la, share) in enumerate(zip(ranked, shares, strict=True), start=1):
        loan = la.loan
        rate, basis = costs[la.id]
        collection = sum((f.amount for f in loan.fees if f.kind is FeeKind.COLLECTION), ZERO)
        waivable = (loan.penalty_interest or ZERO) + (loan.late_fees or ZERO) + collection
        is_overdue = la.overdue_days > 0
        offers.append(
            LenderOffer(
                loan_id=la.id,
                lender_name=loan.lender_name,
                lender_type=loan.lender_type.value,
                owed=la.owed,
                overdue=is_overdue,
                overdue_days=la.overdue_days,
                cost_rate=rate,
                cost_basis=basis,
                cost_rank=rank,
                monthly=share,
                instalments=instalments_needed(la.owed, share) if share > 0 else None,
                lump_sum=lump_parts[la.id],
                instalments_after_lump=(
                    instalments_needed(la.owed - lump_parts[la.id], share) if share > 0 else None
                ),
                penalty_interest=loan.penalty_interest,
                late_fees=loan.late_fees,
                collection_fees=to_fen(collection),
                waivable=to_fen(waivable),
                charges_known=not is_overdue
                or (loan.penalty_interest is not None and loan.late_fees is not None),
                penalty_terms=loan.penalty_rate is not None or la.overdue_daily_rate is not None,
                projected_extra=dict(la.projected_extra),
            )
        )

    n = instalments_needed(total, affordable) if affordable > 0 else (0 if total <= 0 else None)
    n_after = (
        instalments_needed(total - lump, affordable)
        if affordable > 0
        else (0 if total - lump <= 0 else None)
    )
    covered = total - lump <= 0
    fits_typical = budget.known and n is not None and n <= typical
    fits_max = budget.known and n is not None and n <= longest
    max_payable = to_fen(affordable * longest)
    reduction = max(ZERO, to_fen(total - lump - max_payable)) if budget.known else ZERO

    hardships = _hardship_checks(case, as_of)
    if not hardships:
        proof = HardshipProof.NONE_CLAIMED
    elif any(h.missing for h in hardships):
        proof = HardshipProof.INCOMPLETE
    else:
        proof = HardshipProof.COMPLETE
    outlook, reason, recovery = _outlook(
        hardships, budget.income_stability, budget.known, fits_typical or covered, short_months
    )
    no_capacity = (
        budget.known
        and budget.savings_known
        and affordable <= 0
        and lump <= 0
        and total > 0
        and outlook is not Outlook.SHORT_TERM
    )

    overdue_offers = [o for o in offers if o.overdue]
    with_terms = [o for o in overdue_offers if o.projected_extra]
    waiting = {
        h: to_fen(sum((o.projected_extra.get(h, ZERO) for o in with_terms), ZERO))
        for h in STANDARD_HORIZONS
    }
    if overdue_offers and len(with_terms) == len(overdue_offers):
        waiting_terms = "all"
    elif with_terms:
        waiting_terms = "some"
    else:
        waiting_terms = "none"

    plan_gaps = _plan_gaps(budget, fits_max, n, covered and budget.known, longest)
    checklist = build_checklist(case, budget, loans, plan_gaps)
    ranked_names = {o.lender_name for o in offers}

    return PlanAnalysis(
        total_owed=to_fen(total),
        overdue_loans=len(overdue),
        overdue_lenders=len({la.loan.lender_name for la in overdue}),
        lenders=len(ranked_names),
        max_overdue_days=max_days,
        long_overdue=max_days >= long_days,
        long_overdue_days=long_days,
        outlook=outlook,
        outlook_reason=reason,
        recovery_months=recovery,
        short_term_months=short_months,
        no_capacity=no_capacity,
        affordable_monthly=affordable,
        lump_sum=to_fen(lump),
        lump_lender=offers[0].lender_name if lump > 0 and offers else None,
        instalments=n,
        instalments_after_lump=n_after if lump > 0 else n,
        fits_typical=fits_typical,
        fits_max=fits_max,
        instalments_typical_max=typical,
        instalments_max=longest,
        max_payable=max_payable,
        reduction_needed=reduction,
        offers=tuple(offers),
        costs_known=all(o.cost_basis is not CostBasis.UNKNOWN for o in offers),
        any_not_due=any(not o.overdue for o in offers),
        hardships=hardships,
        hardship_proof=proof,
        refused_offers=sum(1 for e in case.history if e.outcome is Outcome.REFUSED),
        unanswered_offers=sum(1 for e in case.history if e.outcome is Outcome.NO_REPLY),
        lawsuit=case.lawsuit,
        waiting=waiting if with_terms else {},
        waiting_terms=waiting_terms,
        waiting_unknown=tuple(o.loan_id for o in overdue_offers if not o.projected_extra),
        checklist=checklist,
    )
