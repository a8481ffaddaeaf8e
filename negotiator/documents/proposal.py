"""What the borrower offers one lender: the waiver to ask for, what to repay, a schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import attrs

from ..analysis import CaseAnalysis
from ..analysis.agreement import other_obligations as _agreement_obligations
from ..analysis.plan import LenderOffer
from ..calc.budget import instalments_needed
from ..calc.dates import add_months
from ..calc.ledger import offer_for
from ..counter import offer_schedule, propose_schedule
from ..errors import InputError
from ..models import (
    AccountKind,
    Agreement,
    Case,
    LenderType,
    Loan,
)
from ..money import FEN, ZERO, to_fen
from .views import loan_index


@attrs.frozen
class PlanLine:
    number: int
    due: dt.date
    amount: Decimal


@attrs.frozen
class WaiverItem:
    kind: str  # penalty_interest / late_fees
    amount: Decimal


@attrs.frozen
class Proposal:
    """What the borrower offers this lender.

    ``monthly`` is this lender's share of the affordable monthly amount (all of it when only
    one loan is owed); ``schedule`` splits ``to_repay`` exactly to the fen.  When the lender's
    claimed balance is not in the case, ``to_repay`` and the schedule are ``None`` and the
    letter asks for a statement of the balance.
    """

    debt: Decimal | None  # what the lender claims now
    waiver: tuple[WaiverItem, ...]
    waiver_total: Decimal
    to_repay: Decimal | None
    monthly: Decimal | None
    household_monthly: Decimal
    shared: bool  # the affordable amount is shared between several lenders
    instalments: int | None  # rows of ``schedule`` (None when there is no schedule)
    needed: int | None  # payments of ``monthly`` that clear ``to_repay``
    schedule: tuple[PlanLine, ...]
    first_due: dt.date | None
    too_long: bool  # ``needed`` exceeds the longest plan the advice proposes
    max_instalments: int
    lump_sum: Decimal | None  # this lender's part of the savings that can be paid at once
    after_lump: int | None  # payments of ``monthly`` left after the lump sum
    from_agreement: bool  # the schedule is the case's own proposed agreement's


def refuse_unsafe_payment(case: Case, loan_id: str, analysis: CaseAnalysis) -> None:
    """Raise :class:`InputError` when the case's agreement for this loan would have the
    borrower pay a personal account or a deposit: no letter restates such terms.  That
    includes free text or an account holder that routes payment to a person or a payment app
    (:func:`negotiator.facts.scam.personal_payment_field`), unless a private lender is repaid
    into his own account."""
    from ..facts.scam import personal_payment_field

    ag = case.agreement
    if ag is None or not agreement_is_for(analysis, loan_id):
        return
    loan = case.loans[loan_index(analysis, loan_id)]
    if ag.repayment_account is AccountKind.PERSONAL and not lenders_own_account(loan, ag):
        raise InputError(
            "agreement.repayment_account",
            "the agreement asks for payment into a personal account; negotiator will not write "
            "a document that tells you to pay there. Legitimate lenders are repaid only into "
            "their company account or through their official app: verify with the lender's "
            "official hotline and report the request (see the complaint letter)",
        )
    smuggled = personal_payment_field(case)
    if smuggled is not None and not lenders_own_account(loan, ag):
        raise InputError(
            smuggled,
            "the agreement's text or payee routes payment to a person or a payment app "
            "(a personal account, WeChat or Alipay); negotiator will not write a document that "
            "restates it. Legitimate lenders are repaid only into their company account or "
            "through their official app: verify with the lender's official hotline",
        )
    if ag.deposit_required is not None and ag.deposit_required > 0:
        raise InputError(
            "agreement.deposit_required",
            "the agreement demands a deposit before the waiver applies, a known scam pattern; "
            "negotiator will not write a document confirming it. Verify with the lender's "
            "official hotline before paying anything",
        )


def lenders_own_account(loan: Loan, ag: Agreement) -> bool:
    """A private lender is repaid into his own account: that is normal, not a scam sign.  Only
    a payee who is not the lender is refused."""
    if loan.lender_type is not LenderType.PRIVATE:
        return False
    holder = (ag.account_holder or "").strip()
    if not holder:
        return True
    name = loan.lender_name
    core = name.split("（")[0].split("(")[0].strip()
    return bool(holder == name) or holder.split("（")[0].split("(")[0].strip() == core


def agreement_is_for(analysis: CaseAnalysis, loan_id: str) -> bool:
    ag = analysis.agreement
    if ag is None:
        return False
    return ag.loan_id == loan_id or (ag.loan_id is None and len(analysis.loan_ids) == 1)


def _first_due(day: dt.date) -> dt.date:
    """One month after the letter, on a day of the month every month has (≤ 28)."""
    return add_months(dt.date(day.year, day.month, min(day.day, 28)), 1)


def _offer(analysis: CaseAnalysis, loan_id: str) -> LenderOffer | None:
    return next((o for o in analysis.plan.offers if o.loan_id == loan_id), None)


def _own_schedule(analysis: CaseAnalysis, loan_id: str) -> tuple[PlanLine, ...] | None:
    """The case's proposed agreement's schedule when the agreement check finds it complete,
    consistent and affordable."""
    x = analysis.agreement
    if x is None or not agreement_is_for(analysis, loan_id) or not x.agreement.instalments:
        return None
    if x.incomplete_instalments or x.unordered_instalments or x.duplicate_dates:
        return None
    if x.early_instalments or x.zero_instalments or (x.sum_difference or ZERO) != 0:
        return None
    if x.affordability is None or x.affordability.unaffordable:
        return None
    return tuple(
        PlanLine(n, inst.due, inst.amount)
        for n, inst in enumerate(x.agreement.instalments, 1)
        if inst.due is not None and inst.amount is not None
    )


def build_proposal(case: Case, analysis: CaseAnalysis, loan_id: str, day: dt.date) -> Proposal:
    """What to offer the lender of ``loan_id``: the plan's figures for that lender, the
    overdue charges to ask to have waived, and a schedule that fits the budget month by month
    (:func:`negotiator.counter.propose_schedule`, exact to the fen, due dates off holidays)."""
    loan = case.loans[loan_index(analysis, loan_id)]
    offer = _offer(analysis, loan_id)
    max_n = analysis.plan.instalments_max
    charges = (
        ("penalty_interest", loan.penalty_interest),
        ("late_fees", loan.late_fees),
        ("collection_fees", offer.collection_fees if offer is not None else None),
    )
    waiver = tuple(WaiverItem(k, v) for k, v in charges if v is not None and v > 0)
    waiver_total = to_fen(sum((w.amount for w in waiver), ZERO))
    debt = loan.outstanding
    if debt is not None and waiver_total >= debt:
        waiver, waiver_total = (), ZERO  # the case's figures do not fit together: ask for none
    to_repay = to_fen(debt - waiver_total) if debt is not None else None
    # The plan's proposal never exceeds the lawful balance (docs/ledger.md): the part above it
    # is asked to be dropped, so the letter proposes the same total as the plan.
    if (
        offer is not None
        and offer.capped_at_lawful
        and to_repay is not None
        and to_repay - offer.proposal_total >= FEN
    ):
        above = to_fen(to_repay - offer.proposal_total)
        waiver = (*waiver, WaiverItem("above_legal_cap", above))
        waiver_total = to_fen(waiver_total + above)
        to_repay = offer.proposal_total
    monthly = offer.monthly if offer is not None and offer.monthly > 0 else None
    lump = offer.lump_sum if offer is not None and offer.lump_sum > 0 else None
    shared = len(analysis.plan.offers) > 1
    own = _own_schedule(analysis, loan_id)
    if own is not None and analysis.agreement is not None:
        ag = analysis.agreement.agreement
        return Proposal(
            debt=ag.remaining if ag.remaining is not None else debt,
            waiver=waiver if ag.waived is None else (),
            waiver_total=ag.waived if ag.waived is not None else ZERO,
            to_repay=plan_total(own),
            monthly=monthly,
            household_monthly=analysis.budget.affordable_monthly,
            shared=shared,
            instalments=len(own),
            needed=len(own),
            schedule=own,
            first_due=own[0].due,
            too_long=False,
            max_instalments=max_n,
            lump_sum=None,
            after_lump=None,
            from_agreement=True,
        )
    schedule: tuple[PlanLine, ...] = ()
    needed: int | None = None
    after_lump: int | None = None
    first: dt.date | None = None
    if to_repay is not None and monthly is not None and to_repay > 0:
        needed = instalments_needed(to_repay, monthly)
        if lump is not None and lump < to_repay:
            after_lump = instalments_needed(to_repay - lump, monthly)
        elif lump is not None:
            lump = None
        first = _first_due(day)
        others = other_obligations(case, analysis, loan_id, day)
        level = offer_for(to_repay, monthly)
        if not others and level is not None and level.count <= max_n:
            # The plan's own figures: 前N期X元、末期Y元 (docs/ledger.md).
            plan = offer_schedule(level.monthly, level.count, level.last, first, max_months=max_n)
        else:
            plan = propose_schedule(to_repay, first, monthly, others, max_months=max_n)
        if plan.possible:
            schedule = tuple(PlanLine(r.number, r.due, r.amount) for r in plan.rows)
            first = schedule[0].due
    return Proposal(
        debt=debt,
        waiver=waiver,
        waiver_total=waiver_total,
        to_repay=to_repay,
        monthly=monthly,
        household_monthly=analysis.budget.affordable_monthly,
        shared=shared,
        instalments=len(schedule) if schedule else None,
        needed=needed,
        schedule=schedule,
        first_due=first,
        too_long=needed is not None and needed > max_n,
        max_instalments=max_n,
        lump_sum=lump,
        after_lump=after_lump,
        from_agreement=False,
    )


def other_obligations(
    case: Case, analysis: CaseAnalysis, loan_id: str, day: dt.date
) -> dict[tuple[int, int], Decimal]:
    """What other loans are already scheduled to collect, by (year, month) — the same figure
    the agreement check's affordability test subtracts from the monthly budget."""
    return _agreement_obligations(case, analysis.loan_ids, loan_id, day)


def plan_total(lines: Sequence[PlanLine]) -> Decimal:
    return to_fen(sum((ln.amount for ln in lines), ZERO))
