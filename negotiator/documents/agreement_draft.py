"""The instalment agreement the draft proposes, built as the Agreement model the check judges."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from ..analysis import CaseAnalysis
from ..basis.params import load_parameters
from ..case.models import (
    AccountKind,
    Agreement,
    AgreementForm,
    Case,
    Instalment,
    LenderType,
    Party,
    PartyKind,
    Rate,
    RateUnit,
)
from ..findings import Finding
from .mode import letter_mode
from .proposal import agreement_is_for, build_proposal, refuse_unsafe_payment
from .selection import target_loans
from .views import letter_date, loan_index

#: Grace days the agreement draft gives to make up a missed instalment (when the case's own
#: proposed agreement states none).  A cure period is advisable, not legally required
#: (docs/legal-basis.md); 15 days is the documented choice (parameter ``cure_days``).
CURE_DAYS = load_parameters().integer("cure_days")


@cache
def _clauses() -> dict[str, dict[str, str]]:
    text = (resources.files("negotiator.templates") / "letters" / "clauses.toml").read_text(
        encoding="utf-8"
    )
    data = tomllib.loads(text)
    return {lang: {k: str(v) for k, v in table.items()} for lang, table in data.items()}


def draft_agreement(
    case: Case,
    analysis: CaseAnalysis,
    loan_id: str | None = None,
    *,
    lang: str = "zh-Hans",
    as_of: dt.date | None = None,
    findings: Sequence[Finding] | None = None,
) -> Agreement:
    """The instalment agreement the draft proposes, as an :class:`Agreement`.

    The model describes the draft as it reads once both parties have signed the signature
    blocks it provides (``borrower_signed``/``lender_signed`` are True): the agreement check
    then judges its contents.  Values the case lacks stay ``None`` — the rendered draft shows
    a fill-in blank there and the check reports them as missing.

    When the lender's total is disputed (:func:`~negotiator.documents.mode.letter_mode`: a fee,
    cap or 砍头息 finding, or an excess the analysis computes), the draft confirms no amount:
    the balance, the breakdown, the total and the schedule are left for the parties to fill in
    after checking, so that signing it never admits the disputed total.  For a private lender
    the clauses speak of no app, no 公章 and no credit reporting.
    """
    base = "en" if lang == "en" else "zh-Hans"
    day = letter_date(case, analysis, as_of)
    lid = loan_id or target_loans("agreement_draft", case, analysis, None)[0]
    refuse_unsafe_payment(case, lid, analysis)
    loan = case.loans[loan_index(analysis, lid)]
    own = case.agreement if agreement_is_for(analysis, lid) else None
    p = build_proposal(case, analysis, lid, day)
    b = case.borrower
    uscc = own.lender.uscc if own is not None and own.lender.name == loan.lender_name else None
    cure = own.cure_days if own is not None and own.cure_days is not None else CURE_DAYS
    clauses = _clauses()[base]
    account = AccountKind.OFFICIAL_COMPANY
    if own is not None and own.repayment_account is AccountKind.IN_APP:
        account = AccountKind.IN_APP
    plan_rate = own.plan_rate if own is not None and own.plan_rate is not None else None
    if plan_rate is None:
        plan_rate = Rate(Decimal(0), RateUnit.ANNUAL, 360)
    waived = p.waiver_total if p.waiver_total > 0 else None
    mode = letter_mode(case, analysis, findings, lid)
    private = loan.lender_type is LenderType.PRIVATE
    # typed Any: mypy's attrs plugin cannot type the argument of a `tuple` converter
    instalments: Any = tuple(Instalment(due=ln.due, amount=ln.amount) for ln in p.schedule)
    remaining, total = p.debt, p.to_repay
    parts = (
        loan.outstanding_principal,
        loan.outstanding_interest,
        loan.penalty_interest,
        loan.late_fees,
    )
    # the plan's offer already stops at the lawful balance (the ledger): the draft may propose
    # it; otherwise a disputed total is left for the parties to fill in after checking
    lawful = any(w.kind == "above_legal_cap" for w in p.waiver)
    if mode.disputed and not p.from_agreement and not lawful:
        remaining = total = waived = None
        parts = (None, None, None, None)
        instalments = ()
    return Agreement(
        form=AgreementForm.PAPER,
        loan=lid,
        borrower=Party(
            name=b.name,
            kind=PartyKind.INDIVIDUAL,
            id_number=b.id_number.strip() if b.id_number else None,
        ),
        lender=Party(name=loan.lender_name, kind=PartyKind.LENDER, uscc=uscc),
        contract_ref=loan.contract_no,
        loan_amount=loan.principal,
        rate=loan.rate,
        repaid=loan.repaid,
        remaining=remaining,
        total=total,
        principal=parts[0],
        interest=parts[1],
        penalty=parts[2],
        fees=parts[3],
        waiver_negotiated=waived is not None,
        waived=waived,
        instalments=instalments,
        plan_rate=plan_rate,
        breach_clause=clauses["breach_private" if private else "breach"].format(cure_days=cure),
        cure_days=cure,
        allocation_order=clauses["allocation_private" if private else "allocation"],
        credit_reporting=None if private else clauses["credit_reporting"],
        repayment_account=account,
        account_holder=loan.lender_name,
        borrower_signed=True,
        lender_signed=True,
        date=day,
    )
