"""Which loans a letter concerns (one letter per loan) and which kinds restate payment terms."""

from __future__ import annotations

from collections.abc import Sequence

from ..analysis import CaseAnalysis
from ..case.models import (
    Case,
    LenderType,
)
from ..errors import InputError
from ..findings import Finding
from .complaint import (
    COMPLAINT_CATEGORIES,
    NO_REGULATOR,
    collection_problem,
    complaint_routes,
    payment_demand,
)
from .kinds import LETTER_KINDS
from .reconsider import refused_loans
from .views import finding_views, loan_index

#: Letter kinds written to one lender about one loan (one letter per loan): every kind but the
#: two that cover the whole case.
LOAN_KINDS = frozenset(LETTER_KINDS) - {"negotiation_log", "action_plan"}

#: Letter kinds that restate the case's agreed payment terms, and so would tell the borrower
#: where to pay: they are refused when that agreement names a personal account or a deposit.
PAYMENT_KINDS = frozenset({"agreement_draft", "written_confirmation"})

#: The reply to the lender's proposal: written about the proposal's loan.  It restates no payment
#: instruction of the proposal (a personal account or a deposit is declined in it, not refused).
REPLY_KIND = "proposal_reply"


def target_loans(
    kind: str,
    case: Case,
    analysis: CaseAnalysis,
    findings: Sequence[Finding] | None,
    loan: str | None = None,
) -> list[str]:
    """The loans one letter each is written about.

    ``loan`` picks one explicitly.  Otherwise: the agreement's loan for the agreement letters
    when the case has a proposed agreement; for a complaint, every loan with something to
    complain about (a fee or collection finding, or recorded collector conduct); for the other
    kinds, every loan still owed (all loans if none is).  A request to reconsider goes only to a
    lender whose refusal the history records (:func:`.reconsider.refused_loans`).
    """
    ids = list(analysis.loan_ids)
    if kind == "credit_objection":
        return _credit_objection_loans(case, analysis, loan)
    if kind == "reconsider_request":
        return refused_loans(case, analysis, loan)
    if loan is not None:
        loan_index(analysis, loan)
        ids = [loan]
        if kind != "complaint":
            return ids
    agreement = analysis.agreement
    if (
        (kind in PAYMENT_KINDS or kind == REPLY_KIND)
        and agreement is not None
        and agreement.loan_id is not None
    ):
        return [agreement.loan_id]
    if kind == "complaint":
        problems = [
            (i, ln)
            for i, ln in zip(analysis.loan_ids, case.loans, strict=True)
            if i in ids
            and (
                finding_views(findings, i, COMPLAINT_CATEGORIES)
                or collection_problem(ln)
                or payment_demand(case, analysis, i)[0] is not None
            )
        ]
        chosen = [i for i, ln in problems if complaint_routes(case, ln)]
        if chosen:
            return chosen
        if problems:
            raise InputError("complaint", NO_REGULATOR)
        raise InputError(
            "complaint",
            "the case records no fee or collection problem to complain about; a complaint "
            "states only facts, so add the collection contacts or fees first",
        )
    owed = [la.id for la in analysis.loans if la.owed > 0]
    return owed or ids


_NO_CREDIT_REPORT = (
    "a private lender does not report to the credit reference system (征信), so there is no "
    "credit record of this loan to object to"
)


def _credit_objection_loans(case: Case, analysis: CaseAnalysis, loan: str | None) -> list[str]:
    """Credit objections go only to lenders that report to 征信: never to a private lender."""
    if loan is not None:
        i = loan_index(analysis, loan)
        if case.loans[i].lender_type is LenderType.PRIVATE:
            raise InputError("loan", _NO_CREDIT_REPORT)
        return [loan]
    reporting = [
        la.id
        for la, ln in zip(analysis.loans, case.loans, strict=True)
        if ln.lender_type is not LenderType.PRIVATE
    ]
    if not reporting:
        raise InputError("credit_objection", _NO_CREDIT_REPORT)
    owed = [i for i in reporting if analysis.loans[loan_index(analysis, i)].owed > 0]
    return owed or reporting
