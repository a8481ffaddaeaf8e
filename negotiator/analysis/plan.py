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

import attrs

from ..basis.params import Parameters, load_parameters
from ..calc.budget import instalments_needed, split_proportional
from ..calc.consequences import STANDARD_HORIZONS
from ..calc.dates import add_months
from ..calc.ledger import LoanLedger, Offer, excess_over, offer_for
from ..case.models import (
    Agreement,
    Case,
    FeeKind,
    HardshipKind,
    IncomeStability,
    LawsuitStatus,
    Loan,
    Outcome,
)
from ..money import ZERO, to_fen
from .budget import BudgetAnalysis, BudgetStep, Month, month_of, scheduled_elsewhere
from .checklist import ChecklistItem, Gap, build_checklist, evidence_gaps
from .counter import CounterRow, offer_schedule, path_schedule
from .loans import LoanAnalysis, annual_rate

__all__ = [
    "CostBasis",
    "HardshipCheck",
    "LenderOffer",
    "OfferEvaluation",
    "Outlook",
    "PlanAnalysis",
    "PlanSchedule",
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

    return OfferEvaluation(
        total=total,
        largest=largest,
        count=len(agreement.instalments),
        offer=shaped,
        share=share,
        affordable=None if largest is None or share is None else largest <= share,
        waived=agreement.waived or ZERO,
        above_claimed=excess_over(total, ledger.claimed.total.amount),
        above_lawful=excess_over(total, ledger.lawful.total.amount),
        signed=agreement.borrower_signed and agreement.lender_signed,
    )


def _yuan(amount: Decimal) -> str:
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount:,.2f}"


def _month_text(day: dt.date, lang: str) -> str:
    return day.strftime("%B %Y") if lang == "en" else f"{day.year}年{day.month}月"


@attrs.frozen
class PlanSchedule:
    """The dated instalments the plan proposes to one lender — what every letter prints.

    ``offer`` is the level shape "前N期X元、末期Y元" when the schedule has it.  When part of
    the schedule rests on income the borrower expects from a later month
    (``borrower.expected_income``), ``expected_from`` is the first instalment that does and
    ``expected_since`` the expectation's date: those instalments are *estimated, from the
    stated expectation*, and :meth:`text` says so ("预计…之后").  ``one_offs`` maps an
    instalment number to the part of it that is a one-off sum expected that month.
    """

    rows: tuple[CounterRow, ...]
    offer: Offer | None = None
    expected_from: int | None = None  # number of the first instalment resting on the expectation
    expected_since: dt.date | None = None
    one_offs: Mapping[int, Decimal] = attrs.field(factory=dict)
    #: The rows are the lender's own proposed agreement's (the plan recommends accepting it).
    from_agreement: bool = False

    @property
    def total(self) -> Decimal:
        return to_fen(sum((r.amount for r in self.rows), ZERO))

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def first_due(self) -> dt.date | None:
        return self.rows[0].due if self.rows else None

    @property
    def estimated(self) -> bool:
        """Some instalments rest on expected income (an estimate, not a present fact)."""
        return self.expected_from is not None

    def text(self, lang: str = "zh-Hans") -> str:
        """The schedule in one line: the level offer's words, or the runs of equal amounts
        with "预计…之后" before the instalments that rest on the expectation."""
        if self.offer is not None and not self.estimated and not self.one_offs:
            return self.offer.text(lang)
        en = lang == "en"
        runs: list[tuple[int, int, Decimal]] = []  # first number, last number, amount
        for r in self.rows:
            if (
                runs
                and runs[-1][2] == r.amount
                and r.number != self.expected_from
                and r.number not in self.one_offs
                and runs[-1][1] not in self.one_offs
            ):
                runs[-1] = (runs[-1][0], r.number, r.amount)
            else:
                runs.append((r.number, r.number, r.amount))
        before: list[str] = []
        after: list[str] = []
        for first, last, amount in runs:
            lump = self.one_offs.get(first)
            if en:
                if first == last:
                    part = f"instalment {first}: {_yuan(amount)} yuan"
                else:
                    part = f"instalments {first}–{last}: {_yuan(amount)} yuan a month"
                if lump:
                    part += f" (including a one-off {_yuan(lump)} yuan expected then)"
            else:
                part = (
                    f"第{first}期{_yuan(amount)}元"
                    if first == last
                    else f"第{first}—{last}期每月{_yuan(amount)}元"
                )
                if lump:
                    part += f"（含预计届时到位的一次性收入{_yuan(lump)}元）"
            if self.expected_from is not None and first >= self.expected_from:
                after.append(part)
            else:
                before.append(part)
        since = self.expected_since
        if en:
            text = "; ".join(before)
            if after and since is not None:
                lead = f"expected from {_month_text(since, 'en')} on: "
                text = f"{text}; {lead}" if text else lead[0].upper() + lead[1:]
                text += "; ".join(after)
            return text
        text = "、".join(before)
        if after and since is not None:
            lead = f"预计{_month_text(since, lang)}之后："
            text = f"{text}；{lead}" if text else lead
            text += "、".join(after)
        return text


@attrs.frozen
class OfferCost:
    """Where a lender stands in the cost order, and what that rests on."""

    rate: Decimal | None
    basis: CostBasis
    rank: int  # 1 = costliest


@attrs.frozen
class OfferCharges:
    """A loan's overdue charges: what one can ask to waive, and what waiting adds."""

    penalty_interest: Decimal | None
    late_fees: Decimal | None
    collection_fees: Decimal
    waivable: Decimal  # known overdue charges one can ask to waive
    known: bool  # penalty interest and late fees are both known (or not overdue)
    penalty_terms: bool  # the overdue rate is known
    #: Extra charges if nothing is paid for 30/90/180 more days (empty when the terms are unknown).
    projected_extra: Mapping[int, Decimal] = attrs.field(factory=dict)


@attrs.frozen
class BudgetShare:
    """A lender's part of the budget: monthly, of the lump sum, and along the budget path."""

    monthly: Decimal  # this lender's share of the affordable monthly amount
    instalments: int | None  # payments of `monthly` that clear `owed` (None when monthly is 0)
    lump_sum: Decimal  # this lender's part of the partial lump sum
    instalments_after_lump: int | None  # payments of `monthly` that clear `owed − lump_sum`
    #: This lender's monthly share along the budget path: (month, share) from that month on.
    path: tuple[tuple[Month, Decimal], ...] = ()


@attrs.frozen
class LenderOffer:
    """What to propose to one lender (loans with something owed, costliest first)."""

    loan_id: str
    lender_name: str
    lender_type: str
    owed: Decimal
    overdue: bool
    overdue_days: int
    cost: OfferCost
    charges: OfferCharges
    share: BudgetShare
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
    #: The dated instalments of the proposal (what the letters print), or None when there is
    #: none (keep mode, nothing affordable, or more than the longest plan would be needed).
    schedule: PlanSchedule | None = None

    def text(self, lang: str = "zh-Hans") -> str | None:
        """The proposal in one line: the schedule's words (with "预计…之后" for instalments
        resting on expected income), else the level offer's."""
        if self.schedule is not None:
            return self.schedule.text(lang)
        return self.offer.text(lang) if self.offer is not None else None


_P = load_parameters()


@attrs.frozen
class PlanSituation:
    """The debts as a whole: how much, how many lenders, how long overdue, what happened."""

    total_owed: Decimal
    overdue_loans: int
    overdue_lenders: int = 0
    lenders: int = 0  # distinct lenders still owed something
    max_overdue_days: int = 0
    long_overdue: bool = False
    long_overdue_days: int = _P.integer("long_overdue_days")
    lawsuit: LawsuitStatus = LawsuitStatus.NONE
    refused_offers: int = 0
    unanswered_offers: int = 0
    costs_known: bool = True  # every owed loan's cost order rests on a known figure
    any_not_due: bool = False  # some owed loan is not overdue


@attrs.frozen
class Prospects:
    """The borrower's outlook (see the module notes) and the hardships it rests on."""

    outlook: Outlook = Outlook.UNKNOWN
    outlook_reason: str = "no_information"
    recovery_months: int | None = None
    short_term_months: int = _P.integer("short_term_months")
    no_capacity: bool = False
    hardships: tuple[HardshipCheck, ...] = ()
    hardship_proof: HardshipProof = HardshipProof.NONE_CLAIMED


@attrs.frozen
class Capacity:
    """What the budget can pay: monthly, as a lump sum, and over how many instalments."""

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


@attrs.frozen
class WaitingCost:
    """What paying nothing for 30/90/180 more days adds, over the overdue loans."""

    extra: Mapping[int, Decimal] = attrs.field(factory=dict)  # horizon in days → extra charges
    terms: str = "none"  # all / some / none of the overdue loans have projections
    unknown: tuple[str, ...] = ()  # overdue loans whose cost of waiting is unknown


@attrs.frozen
class PlanAnalysis:
    situation: PlanSituation
    prospects: Prospects = Prospects()
    capacity: Capacity = Capacity()
    waiting: WaitingCost = WaitingCost()
    offers: tuple[LenderOffer, ...] = ()
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
                return o.on_table.share if o.on_table is not None else o.share.monthly
        return None

    def share_path_for(self, case: Case) -> tuple[tuple[tuple[int, int], Decimal], ...]:
        """The share path of the agreement's lender (empty when :meth:`share_for` is None:
        the whole budget path applies)."""
        ag = case.agreement
        if ag is None or len(self.offers) < 2:
            return ()
        return next((o.share.path for o in self.offers if o.loan_id == ag.loan), ())


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
    if la.price.annual_cost is not None:
        if la.price.annual_cost_basis == "overdue":
            return la.price.annual_cost, CostBasis.PENALTY_RATE
        return la.price.annual_cost, CostBasis.ANNUAL_COST
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


def _split_whole(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """``amount`` shared in proportion to ``weights`` in whole yuan (largest remainder), so the
    parts are the figures the plan, the check and the letters print and add up to ``amount``."""
    if not weights or amount <= 0:
        return [ZERO] * len(weights)
    if amount == amount.to_integral_value():
        units = split_proportional(amount / 100, weights)
        return [to_fen(u * 100) for u in units]
    return [
        share.to_integral_value(rounding=ROUND_FLOOR)
        for share in split_proportional(amount, weights)
    ]


def _first_due(day: dt.date) -> dt.date:
    """One month after the case date, on a day of the month every month has (≤ 28)."""
    return add_months(dt.date(day.year, day.month, min(day.day, 28)), 1)


def _own_rows(agreement: Agreement, total: Decimal) -> tuple[CounterRow, ...] | None:
    """The lender's proposed instalments as the plan's rows, when they are complete, dated in
    order, positive, not before the agreement's date and add up to ``total`` exactly."""
    rows: list[CounterRow] = []
    last: dt.date | None = None
    for n, inst in enumerate(agreement.instalments, 1):
        if inst.due is None or inst.amount is None or inst.amount <= 0:
            return None
        if (last is not None and inst.due <= last) or (
            agreement.date is not None and inst.due < agreement.date
        ):
            return None
        last = inst.due
        rows.append(CounterRow(number=n, due=inst.due, amount=inst.amount, room=inst.amount))
    if not rows or to_fen(sum((r.amount for r in rows), ZERO)) != total:
        return None
    return tuple(rows)


def _level(rows: Sequence[CounterRow], offer: Offer | None) -> bool:
    if offer is None or len(rows) != offer.count:
        return False
    return all(r.amount == offer.monthly for r in rows[:-1]) and rows[-1].amount == offer.last


def _level_schedule(offer: Offer | None, first_due: dt.date, longest: int) -> PlanSchedule | None:
    """The level offer as dated rows from the first due date (None: no offer, or too long)."""
    if offer is None or offer.count > longest:
        return None
    rows = offer_schedule(offer.monthly, offer.count, offer.last, first_due, max_months=longest)
    return PlanSchedule(rows.rows, offer)


def _schedule(
    s: _Setting,
    loan_id: str,
    total: Decimal,
    offer: Offer | None,
    share: Decimal,
    path: Sequence[tuple[Month, Decimal]],
    lumps: Mapping[Month, Decimal],
    *,
    from_share: bool,
    keep: bool,
    own: tuple[CounterRow, ...] | None = None,
) -> PlanSchedule | None:
    """The dated instalments of one lender's proposal (docs/ledger.md, "Schedule of the plan").

    The level offer as dated rows when every month leaves this lender the same share; else
    the budget path month by month (:func:`negotiator.analysis.counter.path_schedule`): the share
    now until an expected income arrives and the share after it, less what other loans are
    scheduled to collect that month, plus a one-off sum expected that month."""
    if keep or total <= 0:
        return None
    if not from_share:
        if own is not None:
            return PlanSchedule(own, offer, from_agreement=True)
        return _level_schedule(offer, s.first_due, s.longest)
    others = scheduled_elsewhere(s.case, s.ids, loan_id, s.as_of)
    if not path and not lumps and not others:
        return _level_schedule(offer, s.first_due, s.longest)

    def room(month: Month) -> Decimal:
        base = share
        for m, v in path:
            if m <= month:
                base = v
        return max(ZERO, base - others.get(month, ZERO))

    plan = path_schedule(total, s.first_due, room, extra=lumps, max_months=s.longest)
    if not plan.possible:
        return None
    return _path_schedule(plan.rows, offer, share, path, lumps, s.steps)


def _path_schedule(
    rows: tuple[CounterRow, ...],
    offer: Offer | None,
    share: Decimal,
    path: Sequence[tuple[Month, Decimal]],
    lumps: Mapping[Month, Decimal],
    steps: Sequence[BudgetStep],
) -> PlanSchedule:
    """Rows scheduled along the budget path, marked from the first instalment that rests on
    an expected change (a new share or a one-off sum)."""
    changes = sorted(
        [month_of(st.since) for st, (_m, v) in zip(steps, path, strict=True) if v != share]
        + list(lumps)
    )
    expected_from: int | None = None
    since: dt.date | None = None
    if changes:
        first_change = changes[0]
        for r in rows:
            if month_of(r.moved_from or r.due) >= first_change:
                expected_from = r.number
                break
        since = next((st.since for st in steps if month_of(st.since) == first_change), None)
    if expected_from is None:
        since = None
    one_offs = {
        r.number: lumps[month_of(r.moved_from or r.due)]
        for r in rows
        if month_of(r.moved_from or r.due) in lumps
    }
    flat = offer if expected_from is None and not one_offs and _level(rows, offer) else None
    return PlanSchedule(rows, flat, expected_from, since, one_offs)


Costs = Mapping[str, tuple[Decimal | None, CostBasis]]


def _ranked(loans: Sequence[LoanAnalysis]) -> tuple[tuple[LoanAnalysis, ...], Costs]:
    """The loans still owed, costliest first — known cost first (highest first), then unknown
    cost by balance; stable on ties — and each one's cost."""
    owing = [la for la in loans if la.owed > 0]
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
    return tuple(owing[i] for i in order), costs


def _lump_parts(
    available: Decimal, total: Decimal, minimum: Decimal, ranked: Sequence[LoanAnalysis]
) -> tuple[Decimal, dict[str, Decimal]]:
    """The partial lump sum from savings beyond the reserve (none below ``minimum``) and each
    lender's part of it, costliest lender first."""
    lump = min(available, total)
    if lump < minimum:
        lump = ZERO
    parts: dict[str, Decimal] = {}
    left = lump
    for la in ranked:
        parts[la.id] = min(left, la.owed)
        left -= parts[la.id]
    return lump, parts


@attrs.frozen
class _Setting:
    """What every lender's offer is worked out from."""

    case: Case
    ids: tuple[str, ...]
    as_of: dt.date
    longest: int
    budget_known: bool
    #: The budget path: each step's shares in cost order, split like the monthly amount.
    steps: tuple[BudgetStep, ...]
    step_shares: tuple[list[Decimal], ...]
    first_due: dt.date
    agreement_loan: str | None  # the loan the case's agreement settles


@attrs.frozen
class _Terms:
    """What to propose to one lender: a new plan, a counter to its proposal, or keep to it."""

    mode: str
    proposal: Decimal
    capped: bool
    offer: Offer | None
    on_table: OfferEvaluation | None
    from_share: bool  # the schedule follows the budget share (else the offer as made)


def _charges(loan: Loan) -> tuple[Decimal, Decimal]:
    """(collection fees, the overdue charges one can ask to waive)."""
    collection = sum((f.amount for f in loan.fees if f.kind is FeeKind.COLLECTION), ZERO)
    return collection, (loan.penalty_interest or ZERO) + (loan.late_fees or ZERO) + collection


def _proposal(la: LoanAnalysis, waivable: Decimal) -> tuple[Decimal, bool, Decimal | None]:
    """(the claimed balance less the charges asked to be waived, at most the lawful balance;
    whether it was cut to the lawful balance; the lawful balance)."""
    proposal = la.owed - waivable if waivable < la.owed else la.owed
    lawful = la.ledger.lawful.total.amount if la.ledger is not None else None
    capped = lawful is not None and lawful < proposal
    if lawful is not None and capped:
        proposal = lawful
    return to_fen(max(ZERO, proposal)), capped, lawful


def _terms(
    s: _Setting, la: LoanAnalysis, share: Decimal, proposal: Decimal, capped: bool
) -> _Terms:
    ag = s.case.agreement
    lawful = la.ledger.lawful.total.amount if la.ledger is not None else None
    if ag is None or s.agreement_loan != la.id or la.ledger is None:
        return _Terms("propose", proposal, capped, offer_for(proposal, share), None, True)
    on_table = evaluate_offer(la.ledger, ag, to_fen(share) if s.budget_known else None)
    if on_table.signed:
        return _Terms("keep", proposal, capped, None, on_table, False)
    if on_table.total is None:
        return _Terms("counter", proposal, capped, offer_for(proposal, share), on_table, True)
    # Start from the offer on the table: never ask for more than it (or the law) does.
    proposal = on_table.total if lawful is None else min(on_table.total, lawful)
    capped = lawful is not None and lawful < on_table.total
    if on_table.affordable and not capped and on_table.largest is not None:
        offer = on_table.offer or offer_for(proposal, on_table.largest)
        return _Terms("counter", proposal, capped, offer, on_table, False)
    return _Terms("counter", proposal, capped, offer_for(proposal, share), on_table, True)


def _lumps(
    steps: Sequence[BudgetStep], one_off_left: list[Decimal], left_for: Decimal
) -> dict[Month, Decimal]:
    """The one-off sums expected along the budget path that go to this lender (costliest
    first: ``one_off_left`` keeps what is left of each for the next lender)."""
    lumps: dict[Month, Decimal] = {}
    for j, st in enumerate(steps):
        part = min(one_off_left[j], max(ZERO, left_for))
        if part > 0:
            lumps[month_of(st.since)] = lumps.get(month_of(st.since), ZERO) + part
            one_off_left[j] -= part
            left_for -= part
    return lumps


def _lender_offer(
    s: _Setting,
    rank: int,
    la: LoanAnalysis,
    cost: tuple[Decimal | None, CostBasis],
    share: Decimal,
    lump_part: Decimal,
    one_off_left: list[Decimal],
) -> LenderOffer:
    loan = la.loan
    collection, waivable = _charges(loan)
    t = _terms(s, la, share, *_proposal(la, waivable)[:2])
    keep = t.mode == "keep"
    path = tuple(
        (month_of(st.since), ss[rank - 1]) for st, ss in zip(s.steps, s.step_shares, strict=True)
    )
    lumps = _lumps(s.steps, one_off_left, t.proposal - lump_part) if t.from_share else {}
    ag = s.case.agreement
    own = _own_rows(ag, t.proposal) if ag is not None and not t.from_share and not keep else None
    schedule = _schedule(
        s,
        la.id,
        t.proposal,
        t.offer,
        share,
        path,
        lumps,
        from_share=t.from_share,
        keep=keep,
        own=own,
    )
    offer = t.offer if schedule is None or schedule.offer is not None else None
    return LenderOffer(
        loan_id=la.id,
        lender_name=loan.lender_name,
        lender_type=loan.lender_type.value,
        owed=la.owed,
        overdue=la.overdue_days > 0,
        overdue_days=la.overdue_days,
        cost=OfferCost(*cost, rank),
        charges=_offer_charges(la, collection, waivable if t.mode == "propose" else ZERO),
        share=BudgetShare(
            monthly=ZERO if keep else to_fen(share),
            instalments=schedule.count
            if schedule is not None
            else (offer.count if offer else None),
            lump_sum=lump_part,
            instalments_after_lump=(
                instalments_needed(max(ZERO, t.proposal - lump_part), share)
                if share > 0 and not keep
                else None
            ),
            path=() if keep else path,
        ),
        mode=t.mode,
        proposal_total=t.proposal,
        offer=offer,
        on_table=t.on_table,
        capped_at_lawful=t.capped,
        lawful_total=la.ledger.lawful.total.amount if la.ledger is not None else None,
        schedule=schedule,
    )


def _offer_charges(la: LoanAnalysis, collection: Decimal, waivable: Decimal) -> OfferCharges:
    loan = la.loan
    return OfferCharges(
        penalty_interest=loan.penalty_interest,
        late_fees=loan.late_fees,
        collection_fees=to_fen(collection),
        waivable=to_fen(waivable),
        known=la.overdue_days <= 0
        or (loan.penalty_interest is not None and loan.late_fees is not None),
        penalty_terms=loan.penalty_rate is not None or la.terms.overdue_daily_rate is not None,
        projected_extra=dict(la.overdue.projected_extra),
    )


def _offers(
    case: Case,
    ids: tuple[str, ...],
    as_of: dt.date,
    longest: int,
    budget: BudgetAnalysis,
    ranked: Sequence[LoanAnalysis],
    costs: Costs,
    lump_parts: Mapping[str, Decimal],
) -> tuple[LenderOffer, ...]:
    """What to propose to each lender, costliest first: the affordable monthly amount (and
    each step of the budget path) split in proportion to the balances."""
    weights = [la.owed for la in ranked]
    shares = _split_whole(budget.affordable_monthly, weights)
    ag = case.agreement
    setting = _Setting(
        case=case,
        ids=ids,
        as_of=as_of,
        longest=longest,
        budget_known=budget.known,
        steps=tuple(budget.later),
        step_shares=tuple(_split_whole(st.affordable_monthly, weights) for st in budget.later),
        first_due=_first_due(as_of),
        agreement_loan=(
            (ag.loan or (ids[0] if len(ids) == 1 else None)) if ag is not None else None
        ),
    )
    one_off_left = [st.one_off for st in budget.later]
    return tuple(
        _lender_offer(setting, rank, la, costs[la.id], share, lump_parts[la.id], one_off_left)
        for rank, (la, share) in enumerate(zip(ranked, shares, strict=True), start=1)
    )


def _capacity(
    budget: BudgetAnalysis,
    total: Decimal,
    lump: Decimal,
    offers: Sequence[LenderOffer],
    typical: int,
    longest: int,
) -> Capacity:
    affordable = budget.affordable_monthly
    n = instalments_needed(total, affordable) if affordable > 0 else (0 if total <= 0 else None)
    # after a lump sum, what is left of what the plan proposes (the claims less the waivers
    # asked for, at most the lawful balances) — the same base as each lender's own count
    proposed = sum((o.proposal_total for o in offers if o.mode != "keep"), ZERO) or total
    n_after = (
        instalments_needed(max(ZERO, proposed - lump), affordable)
        if affordable > 0
        else (0 if total - lump <= 0 else None)
    )
    max_payable = to_fen(affordable * longest)
    return Capacity(
        affordable_monthly=affordable,
        lump_sum=to_fen(lump),
        lump_lender=offers[0].lender_name if lump > 0 and offers else None,
        instalments=n,
        instalments_after_lump=n_after if lump > 0 else n,
        fits_typical=budget.known and n is not None and n <= typical,
        fits_max=budget.known and n is not None and n <= longest,
        instalments_typical_max=typical,
        instalments_max=longest,
        max_payable=max_payable,
        reduction_needed=(max(ZERO, to_fen(total - lump - max_payable)) if budget.known else ZERO),
    )


def _prospects(
    case: Case,
    as_of: dt.date,
    budget: BudgetAnalysis,
    capacity: Capacity,
    total: Decimal,
    lump: Decimal,
    short_months: int,
) -> Prospects:
    hardships = _hardship_checks(case, as_of)
    if not hardships:
        proof = HardshipProof.NONE_CLAIMED
    elif any(h.missing for h in hardships):
        proof = HardshipProof.INCOMPLETE
    else:
        proof = HardshipProof.COMPLETE
    fits = capacity.fits_typical or total - lump <= 0
    outlook, reason, recovery = _outlook(
        hardships, budget.income_stability, budget.known, fits, short_months
    )
    no_capacity = (
        budget.known
        and budget.savings.savings_known
        and capacity.affordable_monthly <= 0
        and lump <= 0
        and total > 0
        and outlook is not Outlook.SHORT_TERM
        and not any(st.affordable_monthly > 0 or st.one_off > 0 for st in budget.later)
    )
    return Prospects(
        outlook=outlook,
        outlook_reason=reason,
        recovery_months=recovery,
        short_term_months=short_months,
        no_capacity=no_capacity,
        hardships=hardships,
        hardship_proof=proof,
    )


def _waiting(offers: Sequence[LenderOffer]) -> WaitingCost:
    overdue = [o for o in offers if o.overdue]
    with_terms = [o for o in overdue if o.charges.projected_extra]
    extra = {
        h: to_fen(sum((o.charges.projected_extra.get(h, ZERO) for o in with_terms), ZERO))
        for h in STANDARD_HORIZONS
    }
    if overdue and len(with_terms) == len(overdue):
        terms = "all"
    elif with_terms:
        terms = "some"
    else:
        terms = "none"
    return WaitingCost(
        extra=extra if with_terms else {},
        terms=terms,
        unknown=tuple(o.loan_id for o in overdue if not o.charges.projected_extra),
    )


def _situation(
    case: Case, loans: Sequence[LoanAnalysis], offers: Sequence[LenderOffer], long_days: int
) -> PlanSituation:
    overdue = [la for la in loans if la.overdue_days > 0]
    max_days = max((la.overdue_days for la in loans), default=0)
    return PlanSituation(
        total_owed=to_fen(sum((la.owed for la in loans), ZERO)),
        overdue_loans=len(overdue),
        overdue_lenders=len({la.loan.lender_name for la in overdue}),
        lenders=len({o.lender_name for o in offers}),
        max_overdue_days=max_days,
        long_overdue=max_days >= long_days,
        long_overdue_days=long_days,
        lawsuit=case.lawsuit,
        refused_offers=sum(1 for e in case.history if e.outcome is Outcome.REFUSED),
        unanswered_offers=sum(1 for e in case.history if e.outcome is Outcome.NO_REPLY),
        costs_known=all(o.cost.basis is not CostBasis.UNKNOWN for o in offers),
        any_not_due=any(not o.overdue for o in offers),
    )


def analyse_plan(
    case: Case,
    ids: tuple[str, ...],
    as_of: dt.date,
    params: Parameters,
    budget: BudgetAnalysis,
    loans: tuple[LoanAnalysis, ...],
) -> PlanAnalysis:
    longest = params.integer("instalments_max")
    total = sum((la.owed for la in loans), ZERO)
    ranked, costs = _ranked(loans)
    lump, lump_parts = _lump_parts(
        budget.savings.lump_sum_available, total, params.decimal("lump_sum_minimum"), ranked
    )
    offers = _offers(case, ids, as_of, longest, budget, ranked, costs, lump_parts)
    capacity = _capacity(
        budget, total, lump, offers, params.integer("instalments_typical_max"), longest
    )
    covered = budget.known and total - lump <= 0
    gaps = _plan_gaps(budget, capacity.fits_max, capacity.instalments, covered, longest)
    return PlanAnalysis(
        situation=_situation(case, loans, offers, params.integer("long_overdue_days")),
        prospects=_prospects(
            case, as_of, budget, capacity, total, lump, params.integer("short_term_months")
        ),
        capacity=capacity,
        waiting=_waiting(offers),
        offers=offers,
        checklist=tuple(build_checklist(case, budget, loans, gaps)),
    )
