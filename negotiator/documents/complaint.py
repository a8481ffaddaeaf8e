"""The complaint: the addressee named by the channel rules that fired, and the stated facts in
date order.

Where a complaint goes is judged by the rules alone (``rules/complaint.toml``, over the
``complaint`` facts built from the fee, collection and scam findings: docs/engine.md, "Two
passes").  This module only maps each fired channel rule to the body it names
(:data:`ADDRESSEES`) and picks the letter's addressee among them: the police first when a
police rule fired, then the financial regulator.  A loan with channel findings but none that
names a body a letter can be addressed to (a private lender) has no complaint letter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs

from ..analysis import CaseAnalysis
from ..case.models import AccountKind, Case, ContactTarget
from ..errors import InputError
from ..findings import Finding
from .proposal import agreement_is_for, lenders_own_account
from .views import ContactView, EventView, finding_views, loan_index, loan_view

#: Finding categories a complaint may rely on.
COMPLAINT_CATEGORIES = frozenset({"fee", "collection", "scam"})

#: The code of the findings that name a complaint channel.
CHANNEL_CODE = "COMPLAINT_CHANNEL"

#: Each channel rule that names a body a borrower can write to → that body (the keys of the
#: templates' ``complaint_channel``).  The other channel rules (the lender's own complaint
#: line, 12363 for credit-record errors only, a private lender's police and court routes, which
#: depend on facts the borrower must weigh) advise without naming an addressee.
ADDRESSEES: Mapping[str, str] = {
    "complaint.police": "police_110",
    "complaint.police-2012": "police_110",
    "complaint.police-illegal-debt": "police_110",
    "complaint.nfra-12378": "nfra_12378",
    "complaint.local-regulator": "local_finance",
    "complaint.unlicensed-lender": "local_finance",
    "complaint.nifa": "nifa",
    "complaint.debt-agent": "samr_12315",
}

#: The bodies in the order a letter names them; the first a complaint letter can be addressed
#: to (:data:`LETTER_ADDRESSEES`) is its addressee.
_ORDER = ("police_110", "nfra_12378", "local_finance", "nifa", "samr_12315")

#: Bodies a complaint letter is addressed to (the others are named only as further channels).
LETTER_ADDRESSEES = frozenset({"police_110", "nfra_12378", "local_finance"})

#: The rule that finds a lender whose licence cannot be confirmed.
_UNLICENSED = "complaint.unlicensed-lender"

NO_REGULATOR = (
    "a private lender has no financial regulator to complain to: raise unlawful interest or "
    "fees in negotiation or in court (legal aid can help), and report threats or violence to "
    "the police (110)"
)

NO_PROBLEM = (
    "the case records no fee or collection problem to complain about; a complaint "
    "states only facts, so add the collection contacts or fees first"
)


def channel_rules(findings: Sequence[Finding] | None, loan_id: str) -> tuple[str, ...]:
    """The channel rules that fired about ``loan_id`` (or about the whole case)."""
    return tuple(
        dict.fromkeys(
            f.rule
            for f in findings or ()
            if f.code == CHANNEL_CODE and f.subject in (loan_id, "case")
        )
    )


def has_channel(findings: Sequence[Finding] | None, loan_id: str) -> bool:
    """Whether a channel rule fired about ``loan_id`` itself: it has something to complain about."""
    return any(f.code == CHANNEL_CODE and f.subject == loan_id for f in findings or ())


def complaint_routes(findings: Sequence[Finding] | None, loan_id: str) -> tuple[str, ...]:
    """The bodies the fired channel rules name for ``loan_id``, in the order a letter names
    them (docs/legal-basis.md, complaint channels)."""
    named = {ADDRESSEES[r] for r in channel_rules(findings, loan_id) if r in ADDRESSEES}
    return tuple(b for b in _ORDER if b in named)


def addressee(routes: Sequence[str]) -> str | None:
    """The body a complaint letter is addressed to, or None when no route names one."""
    return next((b for b in routes if b in LETTER_ADDRESSEES), None)


@attrs.frozen
class TimelineItem:
    date: dt.date
    time: dt.time | None
    kind: str  # contract / overdue / contact / event
    contact: ContactView | None = None
    event: EventView | None = None


@attrs.frozen
class ComplaintView:
    channel: str  # the addressee: police_110 / nfra_12378 / local_finance (LETTER_ADDRESSEES)
    others: tuple[str, ...]  # the other bodies the fired channel rules name
    police: bool  # a police channel rule fired: threats or violence are recorded
    third_party: bool  # someone other than the borrower was contacted
    collectors: tuple[str, ...]
    timeline: tuple[TimelineItem, ...]
    fee_issue: bool
    collection_issue: bool
    unlicensed: bool = False  # the rules cannot confirm the lender's licence
    payment_demand: str | None = None  # "personal_account" / "deposit" demanded by an agreement
    payee: str | None = None
    deposit: Decimal | None = None


def complaint_view(
    case: Case, analysis: CaseAnalysis, loan_id: str, findings: Sequence[Finding] | None
) -> ComplaintView:
    """Where the complaint goes and the facts it states, in date order (docs/legal-basis.md).

    The addressee is named by the channel rules that fired for the loan (:data:`ADDRESSEES`):
    the police first when threats or violence are recorded, else the financial regulator the
    rules name for the lender (12378, or the local financial regulator for a microloan company
    or a lender whose licence cannot be confirmed).  The other bodies they name are listed as
    further channels.  A loan whose channels name no addressee (a private lender) is refused.
    """
    loan = case.loans[loan_index(analysis, loan_id)]
    view = loan_view(case, analysis, loan_id)
    routes = complaint_routes(findings, loan_id)
    channel = addressee(routes)
    if channel is None:
        reason = NO_REGULATOR if has_channel(findings, loan_id) else NO_PROBLEM
        raise InputError("complaint", reason)
    timeline: list[TimelineItem] = []
    if view.contract_date is not None:
        timeline.append(TimelineItem(view.contract_date, None, "contract"))
    if view.overdue_since is not None:
        timeline.append(TimelineItem(view.overdue_since, None, "overdue"))
    timeline.extend(
        TimelineItem(c.at.date(), c.at.time(), "contact", contact=c) for c in view.contacts
    )
    timeline.extend(TimelineItem(e.date, None, "event", event=e) for e in view.events)
    order = {"contract": 0, "overdue": 1, "event": 2, "contact": 3}
    timeline.sort(key=lambda t: (t.date, t.time or dt.time(0), order[t.kind]))
    demand, payee, deposit = payment_demand(case, analysis, loan_id)
    collectors = tuple(dict.fromkeys(c.collector for c in loan.collection_contacts if c.collector))
    return ComplaintView(
        channel=channel,
        others=tuple(r for r in routes if r != channel),
        police="police_110" in routes,
        third_party=any(c.target is not ContactTarget.BORROWER for c in loan.collection_contacts),
        collectors=collectors,
        timeline=tuple(timeline),
        fee_issue=bool(finding_views(findings, loan_id, ("fee",))),
        collection_issue=bool(finding_views(findings, loan_id, ("collection",))),
        unlicensed=_UNLICENSED in channel_rules(findings, loan_id),
        payment_demand=demand,
        payee=payee,
        deposit=deposit,
    )


def payment_demand(
    case: Case, analysis: CaseAnalysis, loan_id: str
) -> tuple[str | None, str | None, Decimal | None]:
    """A demand in the case's agreement to pay someone other than the lender, or a deposit."""
    ag = case.agreement
    if ag is None or not agreement_is_for(analysis, loan_id):
        return None, None, None
    loan = case.loans[loan_index(analysis, loan_id)]
    if ag.deposit_required is not None and ag.deposit_required > 0:
        return "deposit", ag.account_holder, ag.deposit_required
    if ag.repayment_account is AccountKind.PERSONAL and not lenders_own_account(loan, ag):
        return "personal_account", ag.account_holder, None
    return None, None, None
