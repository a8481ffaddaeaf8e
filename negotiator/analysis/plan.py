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

*Order of lenders* — by what the debt costs from now on and is recoverable at law: the yearly
rate at which interest and penalty now accrue on today's balance, capped at the lender's legal
cap (the ledger's ``accruing`` figure, docs/ledger.md; seed 000 §四.4 "利息和罚息最高的平台").
Fees already paid and costs computed on an assumed schedule do not count.  When no rate is
known the loan comes last, by balance.

*Offer* — each lender's share of the budget, cut to whole yuan, pays the proposal total as
"前N期X元、末期Y元" (:func:`negotiator.calc.ledger.offer_for`); the proposal total is the
claimed balance less the charges asked to be waived, never more than the lawful balance.  When
the case holds a lender's proposal for the loan, it is evaluated first (``mode`` ``counter``)
and the counter-proposal starts from it; a signed agreement switches the lender to ``keep``:
no new proposal.

*Split* — the affordable monthly amount is shared in proportion to each lender's balance
(largest-remainder rounding to the fen; ties go to the costlier lender).  A partial lump sum is
allocated to the costliest lender first.  Each lender is negotiated with separately.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from typing import Any

import attrs

from ..calc.budget import instalments_needed, split_proportional
from ..calc.consequences import STANDARD_HORIZONS
from ..calc.ledger import EXCESS_THRESHOLD, LoanLedger, Offer, offer_for
from ..models import (
    Agreement,
    Case,
    FeeKind,
    HardshipKind,
    IncomeStability,
    LawsuitStatus,
    Outcome,
)
from ..money import ZERO, to_fen
from ..params import Parameters, load_parameters
from .budget import BudgetAnalysis
from .checklist import ChecklistItem, Gap, build_checklist, evidence_gaps
from .loans import LoanAnalysis, annual_rate

__all__ = [
    "CostBasis",
    "HardshipCheck",
    "LenderOffer",
    "OfferEvaluation",
    "Outlook",
    "PlanAnalysis",
    "analyse_plan",
    "evaluate_offer",
    "months_until",
]


class Outlook(StrEnum):
    SHORT_TERM = "short_term"
    LONG_TERM = "long_term"
    UNKNOWN = "unknown"


class CostBasis(StrEnum):
    """What a lender's position in the cost order rests on."""

    ACCRUING = "accruing"  # recoverable interest / penalty rate accruing now (the ledger)
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
class OfferEvaluation:
    """A lender's proposal on the table, measured against the ledger and the budget share."""

    total: Decimal | None  # what the proposal asks in all
    largest: Decimal | None  # its largest instalment
    count: int  # number of instalments
    offer: Offer | None  # the proposal as 前N期X元、末期Y元 when it has that shape
    #: The borrower's monthly budget for this lender (the plan's split); None while the budget
    #: is unknown, so that nothing is judged against a budget of zero.
    share: Decimal | None
    affordable: bool | None  # largest instalment ≤ share (None: amounts or budget unknown)
    waived: Decimal  # waiver already in the proposal
    above_claimed: Decimal  # yuan above the claimed balance (0 below 1 yuan)
    above_lawful: Decimal  # yuan above the lawful balance (0 below 1 yuan or unknown)
    signed: bool  # both parties signed: keep to it

    def to_figures(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "largest": self.largest,
            "count": self.count,
            "offer": self.offer.to_json() if self.offer else None,
            "share": self.share,
            "affordable": self.affordable,
            "waived": self.waived,
            "above_claimed": self.above_claimed,
            "above_lawful": self.above_lawful,
            "signed": self.signed,
        }


def evaluate_offer(
    ledger: LoanLedger, agreement: Agreement, share: Decimal | None
) -> OfferEvaluation:
    """The offer on the table: affordable? waiver already in it? total against the ledger?"""
    amounts = [i.amount for i in agreement.instalments if i.amount is not None]
    known = len(amounts) == len(agreement.instalments) and bool(amounts)
    total = (
        agreement.total
        if agreement.total is not None
        else (to_fen(sum(amounts, ZERO)) if known else None)
    )
    largest = max(amounts) if amounts else None
    shaped: Offer | None = None
    if known and total is not None and largest is not None and largest == largest.to_integral():
        candidate = offer_for(total, largest)
        if candidate is not None and candidate.count == len(amounts):
            shaped = candidate

    def above(limit: Decimal | None) -> Decimal:
        if limit is None or total is None:
            return ZERO
        diff = total - limit
        return to_fen(diff) if diff >= EXCESS_THRESHOLD else ZERO

    return OfferEvaluation(
        total=total,
        largest=largest,
        count=len(agreement.instalments),
        offer=shaped,
        share=share,
        affordable=None if largest is None or share is None else largest <= share,
        waived=agreement.waived or ZERO,
        above_claimed=above(ledger.claimed.total.amount),
        above_lawful=above(ledger.lawful.total.amount),
        signed=agreement.borrower_signed and agreement.lender_signed,
    )


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
    #: "propose" (a new plan), "counter" (a proposal is on the table) or "keep" (signed).
    mode: str = "propose"
    #: What to propose in all: claimed − charges asked to be waived, at most the lawful balance.
    proposal_total: Decimal = ZERO
    #: The proposal as 前N期X元、末期Y元 (None when nothing can be paid or in ``keep`` mode).
    offer: Offer | None = None
    #: The lender's proposal, evaluated (modes counter and keep).
    on_table: OfferEvaluation | None = None
    #: The proposal total was cut to the lawful balance.
    capped_at_lawful: bool = False
    #: What is recoverable at law (the ledger's lawful total; an upper bound), if known.
    lawful_total: Decimal | None = None

    def to_figures(self) -> dict[str, Any]:
        return {
            "loan": self.loan_id,
            "mode": self.mode,
            "proposal_total": self.proposal_total,
            "offer": self.offer.to_json() if self.offer else None,
            "on_table": self.on_table.to_figures() if self.on_table else None,
            "capped_at_lawful": self.capped_at_lawful,
            "lawful_total": self.lawful_total,
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


_P = load_parameters()


@attrs.frozen
class PlanAnalysis:
    total_owed: Decimal
    overdue_loans: int
    overdue_lenders: int = 0
    lenders: int = 0  # distinct lenders still owed something
    max_overdue_days: int = 0
    long_overdue: bool = False
    long_overdue_days: int = _P.integer("long_overdue_days")
    outlook: Outlook = Outlook.UNKNOWN
    outlook_reason: str = "no_information"
    recovery_months: int | None = None
    short_term_months: int = _P.integer("short_term_months")
    no_capacity: bool = False
    affordable_monthly: Decimal = ZERO
    lump_sum: Decimal = ZERO
    lump_lender: str | None = None
    instalments: int | None = None
    instalments_after_lump: int | None = None
    fits_typical: bool = False
    fits_max: bool = False
    instalments_typical_max: int = _P.integer("instalments_typical_max")
    instalments_max: int = _P.integer("instalments_max")
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

    def share_for(self, case: Case) -> Decimal | None:
        """The monthly budget the plan gives the lender of the case's agreement (None: the
        whole budget, when only that lender is owed or it is not among the offers)."""
        ag = case.agreement
        if ag is None or len(self.offers) < 2:
            return None
        loan_id = ag.loan
        for o in self.offers:
            if o.loan_id == loan_id:
                return o.on_table.share if o.on_table is not None else o.monthly
        return None

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
    if la.ledger is not None and la.ledger.accruing.amount is not None:
        return la.ledger.accruing.amount, CostBasis.ACCRUING
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

    # Whole yuan per lender: the same figures the plan, the check and the letters print.
    # (the affordable amount is whole yuan; the largest-remainder split is done in yuan units)
    if ranked and affordable > 0 and affordable == affordable.to_integral_value():
        units = split_proportional(affordable / 100, [la.owed for la in ranked])
        shares = [to_fen(u * 100) for u in units]
    else:
        shares = [share.to_integral_value(rounding=ROUND_FLOOR) for share in shares]
    ag = case.agreement
    ag_loan = (ag.loan or (ids[0] if len(ids) == 1 else None)) if ag is not None else None

    offers = []
    for rank, (la, share) in enumerate(zip(ranked, shares, strict=True), start=1):
        loan = la.loan
        rate, basis = costs[la.id]
        collection = sum((f.amount for f in loan.fees if f.kind is FeeKind.COLLECTION), ZERO)
        waivable = (loan.penalty_interest or ZERO) + (loan.late_fees or ZERO) + collection
        is_overdue = la.overdue_days > 0
        proposal = la.owed - waivable if waivable < la.owed else la.owed
        capped = False
        lawful = la.ledger.lawful.total.amount if la.ledger is not None else None
        if lawful is not None and lawful < proposal:
            proposal, capped = lawful, True
        proposal = to_fen(max(ZERO, proposal))
        mode = "propose"
        on_table: OfferEvaluation | None = None
        offer: Offer | None = None
        if ag is not None and ag_loan == la.id and la.ledger is not None:
            on_table = evaluate_offer(la.ledger, ag, to_fen(share) if budget.known else None)
            mode = "keep" if on_table.signed else "counter"
        if mode == "counter" and on_table is not None and on_table.total is not None:
            # Start from the offer on the table: never ask for more than it (or the law) does.
            proposal = on_table.total if lawful is None else min(on_table.total, lawful)
            capped = lawful is not None and lawful < on_table.total
            fits = on_table.affordable and not capped
            if fits and on_table.largest is not None:
                offer = on_table.offer or offer_for(proposal, on_table.largest)
            else:
                offer = offer_for(proposal, share)
        elif mode != "keep":
            offer = offer_for(proposal, share)
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
                monthly=to_fen(share) if mode != "keep" else ZERO,
                instalments=(offer.count if offer is not None else None),
                lump_sum=lump_parts[la.id],
                instalments_after_lump=(
                    instalments_needed(max(ZERO, proposal - lump_parts[la.id]), share)
                    if share > 0 and mode != "keep"
                    else None
                ),
                penalty_interest=loan.penalty_interest,
                late_fees=loan.late_fees,
                collection_fees=to_fen(collection),
                waivable=to_fen(waivable) if mode == "propose" else ZERO,
                charges_known=not is_overdue
                or (loan.penalty_interest is not None and loan.late_fees is not None),
                penalty_terms=loan.penalty_rate is not None or la.overdue_daily_rate is not None,
                projected_extra=dict(la.projected_extra),
                mode=mode,
                proposal_total=proposal,
                offer=offer,
                on_table=on_table,
                capped_at_lawful=capped,
                lawful_total=lawful,
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
