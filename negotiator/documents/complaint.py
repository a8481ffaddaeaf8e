"""The complaint: the addressee by lender type, and the stated facts in date order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs

from ..analysis import CaseAnalysis
from ..analysis.loans import THREAT_CONDUCT
from ..case.models import (
    AccountKind,
    Case,
    ContactTarget,
    LenderType,
    Loan,
)
from ..errors import InputError
from ..findings import Finding
from .proposal import agreement_is_for, lenders_own_account
from .views import ContactView, EventView, finding_views, loan_index, loan_view

#: Conduct that is a matter for the police (刑法 293之一; 治安管理处罚法 42): call 110.  The
#: threats the collection analysis reports, so a letter and the findings never disagree.
POLICE_CONDUCT = THREAT_CONDUCT

#: Finding categories a complaint may rely on.
COMPLAINT_CATEGORIES = frozenset({"fee", "collection", "scam"})


@attrs.frozen
class TimelineItem:
    date: dt.date
    time: dt.time | None
    kind: str  # contract / overdue / contact / event
    contact: ContactView | None = None
    event: EventView | None = None


@attrs.frozen
class ComplaintView:
    channel: str  # the addressee: nfra_12378 / pboc_12363 / local_finance / police_110
    others: tuple[str, ...]
    police: bool  # threats or violence are recorded
    third_party: bool  # someone other than the borrower was contacted
    collectors: tuple[str, ...]
    timeline: tuple[TimelineItem, ...]
    fee_issue: bool
    collection_issue: bool
    unlicensed: bool = False  # a lender of unknown type: possibly lending without a licence
    payment_demand: str | None = None  # "personal_account" / "deposit" demanded by an agreement
    payee: str | None = None
    deposit: Decimal | None = None


def collection_problem(loan: Loan) -> bool:
    return any(
        c.conduct or c.target is not ContactTarget.BORROWER for c in loan.collection_contacts
    )


def police_matter(loan: Loan) -> bool:
    return any(set(c.conduct) & POLICE_CONDUCT for c in loan.collection_contacts)


_REGULATOR: Mapping[LenderType, str | None] = {
    LenderType.BANK: "nfra_12378",
    LenderType.CONSUMER_FINANCE: "nfra_12378",
    LenderType.BANK_VIA_PLATFORM: "nfra_12378",
    LenderType.MICROLOAN: "local_finance",
    # a lender of unknown type may be lending without a licence: the local financial regulator
    # deals with illegal lending (the central bank's 12363 is for credit-record matters only)
    LenderType.OTHER: "local_finance",
    LenderType.PRIVATE: None,
}


NO_REGULATOR = (
    "a private lender has no financial regulator to complain to: raise unlawful interest or "
    "fees in negotiation or in court (legal aid can help), and report threats or violence to "
    "the police (110)"
)


def complaint_routes(case: Case, loan: Loan) -> list[str]:
    """The channels for a complaint about ``loan``, the addressee first (docs/legal-basis.md)."""
    police = police_matter(loan)
    regulator = _REGULATOR[loan.lender_type]
    routes: list[str] = []
    if police:
        routes.append("police_110")
    if regulator is not None:
        routes.append(regulator)
    if collection_problem(loan) and loan.lender_type is not LenderType.PRIVATE:
        routes.append("nifa")
    if case.agreement is not None and case.agreement.intermediary:
        routes.append("samr_12315")
    return list(dict.fromkeys(routes))


def complaint_view(
    case: Case, analysis: CaseAnalysis, loan_id: str, findings: Sequence[Finding] | None
) -> ComplaintView:
    """Where the complaint goes and the facts it states, in date order (docs/legal-basis.md).

    Banks, consumer-finance companies and bank loans sold through platforms → 12378 (NFRA);
    microloan companies → the local financial regulator (地方金融管理局); other lenders → 12363
    (PBoC); threats or violence → the police (110) first.  Collection by an internet lender
    may also be reported to NIFA; a paid debt agent to 12315.  A private lender has no
    regulator: a complaint about it is refused unless the police are the addressee.
    """
    loan = case.loans[loan_index(analysis, loan_id)]
    view = loan_view(case, analysis, loan_id)
    police = police_matter(loan)
    fee_issue = bool(finding_views(findings, loan_id, ("fee",)))
    collection_issue = collection_problem(loan) or bool(
        finding_views(findings, loan_id, ("collection", "scam"))
    )
    routes = complaint_routes(case, loan)
    if not routes:
        raise InputError("complaint", NO_REGULATOR)
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
        channel=routes[0],
        others=tuple(routes[1:]),
        police=police,
        third_party=any(c.target is not ContactTarget.BORROWER for c in loan.collection_contacts),
        collectors=collectors,
        timeline=tuple(timeline),
        fee_issue=fee_issue,
        collection_issue=collection_issue,
        unlicensed=loan.lender_type is LenderType.OTHER,
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
