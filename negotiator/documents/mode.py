"""The mode a letter is written in, chosen from the case: who the lender is, whether the amount
is disputed, whether the matter is before a court, whether an offer is on the table or signed.

A letter's wording follows the mode, never the other way round:

* ``private`` — the lender is an individual: no 征信, App, 公章 or collection-industry wording,
  payment to the lender's own account, no credit objection;
* ``disputed`` — the report found a fee, cap, 砍头息 or unilateral-charge problem on the loan (or
  the analysis computes an excess over the cap): the letter states the lender's figure as the
  lender's claim, never confirms it, and carries a reservation of rights;
* ``lawsuit`` — a suit is filed or decided: the letter cites the 案号 when known, proposes
  mediation in the proceedings and sets the lender no reply deadline; letters to regulators say
  the matter is before a court;
* ``offer`` — the case holds a proposed agreement for this loan; ``signed`` — both parties signed.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..analysis import CaseAnalysis
from ..case.models import Case, LawsuitStatus, LenderType
from ..findings import Finding
from ..money import ZERO
from .proposal import agreement_is_for
from .views import SERIOUS, about_loan, loan_index

__all__ = ["DISPUTE_CATEGORIES", "Mode", "letter_mode"]

#: Finding categories whose warnings put the lender's total in dispute.
DISPUTE_CATEGORIES = frozenset({"fee"})


@attrs.frozen
class Mode:
    private: bool
    disputed: bool
    dispute_codes: tuple[str, ...]
    lawsuit: bool  # filed or judgment
    judgment: bool
    case_number: str | None  # 案号, when the case states it
    court: str | None
    offer: bool  # a proposed agreement for this loan is on the table
    signed: bool  # that agreement is signed by both parties


def _court_field(case: Case, name: str) -> str | None:
    court = getattr(case, "court", None)
    value = getattr(court, name, None) if court is not None else None
    return str(value) if value else None


def letter_mode(
    case: Case, analysis: CaseAnalysis, findings: Sequence[Finding] | None, loan_id: str | None
) -> Mode:
    """The mode of the letter about ``loan_id`` (``None``: a whole-case document)."""
    private = False
    codes: tuple[str, ...] = ()
    excess = False
    offer = signed = False
    if loan_id is not None:
        i = loan_index(analysis, loan_id)
        private = case.loans[i].lender_type is LenderType.PRIVATE
        codes = tuple(
            dict.fromkeys(
                f.code
                for f in findings or ()
                if f.category in DISPUTE_CATEGORIES
                and f.severity in SERIOUS
                and about_loan(f, loan_id)
            )
        )
        la = analysis.loans[i]
        excesses = (la.caps.claim_excess, la.overdue.overdue_excess)
        excess = any(x is not None and x > ZERO for x in excesses) or (
            la.terms.received is not None and la.terms.upfront_deducted > ZERO
        )
        ag = case.agreement
        if ag is not None and agreement_is_for(analysis, loan_id):
            offer = True
            signed = ag.borrower_signed and ag.lender_signed
    lawsuit = case.lawsuit in (LawsuitStatus.FILED, LawsuitStatus.JUDGMENT)
    return Mode(
        private=private,
        disputed=bool(codes) or excess,
        dispute_codes=codes,
        lawsuit=lawsuit,
        judgment=case.lawsuit is LawsuitStatus.JUDGMENT,
        case_number=_court_field(case, "case_number") if lawsuit else None,
        court=_court_field(case, "court") if lawsuit else None,
        offer=offer,
        signed=signed,
    )
