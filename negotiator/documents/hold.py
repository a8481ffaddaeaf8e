"""The hold request (暂缓催收申请): ask the lender to pause collection contact and the accrual of
penalty interest (罚息; a private lender's 逾期利息) and fees for a stated period while the
borrower prepares a budget and a proposal, and say when the proposal will come.

It is a request, never a right: mainland China has no statutory breathing space, so the letter
asks and the lender may refuse (docs/letters.md).  The length of the pause is the parameter
``hold_request_days`` (rules/parameters.toml).  The letter names one channel for contact and
states no amount owed, so it admits nothing.

Seed guidance behind it: prepare the budget before proposing (000 §二.2, 003 §1.1); keep to
official, written channels (000 §二.4, 001 §一, 004 §积极沟通); a lender may grant a grace
period after a sudden hardship (004 §真实情况).
"""

from __future__ import annotations

import datetime as dt

import attrs

from ..analysis import CaseAnalysis
from ..case.models import Case, ContactTarget
from .views import loan_index

__all__ = ["HoldView", "hold_view"]


@attrs.frozen
class HoldView:
    days: int  # the pause asked for (parameter hold_request_days)
    start: dt.date  # the letter's date
    until: dt.date  # the last day of the pause: start + days
    proposal_by: dt.date  # when the borrower sends the budget and proposal (the end of the pause)
    channel: str | None  # email / letter / phone: the one way the lender is asked to use
    address: str | None  # that channel's address, as the borrower stated it
    budget_ready: bool  # income and essential spending are both stated
    contacts: int  # collection calls and messages recorded for this loan
    first_contact: dt.date | None  # the first recorded one
    third_party: bool  # someone other than the borrower was contacted


def contact_channel(case: Case) -> tuple[str | None, str | None]:
    """The one channel the borrower asks the lender to use: written first (a record of what
    was said; seeds 004 §积极沟通, 001 §一) — e-mail, then post — and the phone only when
    the case gives no written address.  ``(None, None)`` when the case states none."""
    b = case.borrower
    if b.email:
        return "email", b.email.strip()
    if b.address:
        return "letter", b.address.strip()
    if b.phone:
        return "phone", b.phone.strip()
    return None, None


def hold_view(case: Case, analysis: CaseAnalysis, loan_id: str, day: dt.date) -> HoldView:
    """The pause asked of the lender of ``loan_id`` in a letter dated ``day``."""
    loan = case.loans[loan_index(analysis, loan_id)]
    days = analysis.params.integer("hold_request_days")
    until = day + dt.timedelta(days=days)
    channel, address = contact_channel(case)
    contacts = sorted(loan.collection_contacts, key=lambda c: c.at)
    return HoldView(
        days=days,
        start=day,
        until=until,
        proposal_by=until,
        channel=channel,
        address=address,
        budget_ready=analysis.budget.known,
        contacts=sum(c.calls for c in contacts),
        first_contact=contacts[0].at.date() if contacts else None,
        third_party=any(c.target is not ContactTarget.BORROWER for c in contacts),
    )
