"""What the borrower offers one lender: the waiver to ask for, what to repay, a schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import attrs

from ..analysis import CaseAnalysis
from ..analysis.agreement import other_obligations as _agreement_obligations
from ..analysis.plan import LenderOffer, PlanSchedule
from ..calc.budget import instalments_needed
from ..case.models import (
    AccountKind,
    Agreement,
    Case,
    LenderType,
    Loan,
)
from ..errors import InputError
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
    #: The first instalment resting on income the borrower expects (estimated, from the stated
    #: expectation; the letter says "预计…之后"), the expectation's date and its source.
    expected_from: int | None = None
    expected_since: dt.date | None = None
    expected_source: str | None = None


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


def _offer(analysis: CaseAnalysis, loan_id: str) -> LenderOffer | None:
    return next((o for o in analysis.plan.offers if o.loan_id == loan_id), None)


def build_proposal(case: Case, analysis: CaseAnalysis, loan_id: str, day: dt.date) -> Proposal:
    """What to offer the lender of ``loan_id``, read from the plan (one source): the proposal
    total, the monthly share, the dated schedule (:attr:`LenderOffer.schedule`) and the lump
    sum are the plan's figures for that lender; only their presentation is the letter's — the
    overdue charges asked to be waived, and the part above the lawful balance as a waiver
    item, so that debt − waiver = the plan's proposal total.  ``day`` (the letter's date) is
    the case date the plan was computed for."""
    loan = case.loans[loan_index(analysis, loan_id)]
    offer = _offer(analysis, loan_id)
    max_n = analysis.plan.capacity.instalments_max
    shared = len(analysis.plan.offers) > 1
    household = analysis.budget.affordable_monthly
    debt = loan.outstanding
    if offer is None:  # nothing owed to this lender: nothing to propose
        return Proposal(
            debt=debt,
            waiver=(),
            waiver_total=ZERO,
            to_repay=None,
            monthly=None,
            household_monthly=household,
            shared=shared,
            instalments=None,
            needed=None,
            schedule=(),
            first_due=None,
            too_long=False,
            max_instalments=max_n,
            lump_sum=None,
            after_lump=None,
            from_agreement=False,
        )
    sched = offer.schedule
    lines = (
        tuple(PlanLine(r.number, r.due, r.amount) for r in sched.rows) if sched is not None else ()
    )
    table = offer.on_table
    ag = case.agreement if agreement_is_for(analysis, loan_id) else None
    waiver: tuple[WaiverItem, ...]
    to_repay: Decimal | None
    if offer.mode == "counter" and table is not None and ag is not None:
        # The lender's own proposal is the starting point: its waiver is already in it.
        debt = ag.remaining if ag.remaining is not None else debt
        waiver, waiver_total = (), table.waived
        to_repay = offer.proposal_total
        if offer.capped_at_lawful and table.total is not None:
            above = to_fen(table.total - offer.proposal_total)
            if above >= FEN:
                waiver = (WaiverItem("above_legal_cap", above),)
                waiver_total = to_fen(waiver_total + above)
    else:
        charges = (
            ("penalty_interest", loan.penalty_interest),
            ("late_fees", loan.late_fees),
            ("collection_fees", offer.charges.collection_fees),
        )
        waiver = tuple(WaiverItem(k, v) for k, v in charges if v is not None and v > 0)
        waiver_total = to_fen(sum((w.amount for w in waiver), ZERO))
        if debt is not None and waiver_total >= debt:
            waiver, waiver_total = (), ZERO  # the case's figures do not fit together
        to_repay = to_fen(debt - waiver_total) if debt is not None else None
        # The plan's proposal never exceeds the lawful balance (docs/ledger.md): the part
        # above it is asked to be dropped, so the letter proposes the plan's total.
        if (
            offer.capped_at_lawful
            and to_repay is not None
            and to_repay - offer.proposal_total >= FEN
        ):
            above = to_fen(to_repay - offer.proposal_total)
            waiver = (*waiver, WaiverItem("above_legal_cap", above))
            waiver_total = to_fen(waiver_total + above)
            to_repay = offer.proposal_total
    if to_repay is None:
        lines = ()  # no stated balance: the letter asks for a statement, not a schedule total
    monthly = offer.share.monthly if offer.share.monthly > 0 else None
    lump = offer.share.lump_sum if offer.share.lump_sum > 0 and offer.mode == "propose" else None
    needed = (
        instalments_needed(to_repay, monthly)
        if to_repay is not None and monthly is not None and to_repay > 0
        else None
    )
    after_lump: int | None = None
    if lump is not None and to_repay is not None and monthly is not None and lump < to_repay:
        after_lump = instalments_needed(to_repay - lump, monthly)
    elif lump is not None:
        lump = None
    estimated = sched is not None and sched.estimated and bool(lines)
    return Proposal(
        debt=debt,
        waiver=waiver,
        waiver_total=waiver_total,
        to_repay=to_repay,
        monthly=monthly,
        household_monthly=household,
        shared=shared,
        instalments=len(lines) if lines else None,
        needed=needed,
        schedule=lines,
        first_due=lines[0].due if lines else None,
        too_long=not lines and needed is not None and needed > max_n,
        max_instalments=max_n,
        lump_sum=lump,
        after_lump=after_lump,
        from_agreement=sched is not None and sched.from_agreement,
        expected_from=sched.expected_from if estimated and sched is not None else None,
        expected_since=sched.expected_since if estimated and sched is not None else None,
        expected_source=_expected_source(analysis, sched) if estimated else None,
    )


def _expected_source(analysis: CaseAnalysis, sched: PlanSchedule | None) -> str | None:
    if sched is None or sched.expected_since is None:
        return None
    return next(
        (st.source for st in analysis.budget.later if st.since == sched.expected_since), None
    )


def other_obligations(
    case: Case, analysis: CaseAnalysis, loan_id: str, day: dt.date
) -> dict[tuple[int, int], Decimal]:
    """What other loans are already scheduled to collect, by (year, month) — the same figure
    the agreement check's affordability test subtracts from the monthly budget."""
    return _agreement_obligations(case, analysis.loan_ids, loan_id, day)


def plan_total(lines: Sequence[PlanLine]) -> Decimal:
    return to_fen(sum((ln.amount for ln in lines), ZERO))
