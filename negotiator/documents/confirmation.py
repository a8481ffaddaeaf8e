"""The written confirmation: what was agreed informally and what the lender must still state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from ..analysis import CaseAnalysis
from ..counter import REQUEST_TEXTS
from ..models import (
    Agreement,
    AgreementForm,
    Case,
    ContactChannel,
    LenderType,
    NegotiationEventKind,
    Outcome,
)
from .proposal import agreement_is_for
from .views import RateView, events_for, loan_index, rate_view


@attrs.frozen
class ConfirmationView:
    reached_on: dt.date | None
    channel: str | None
    counterpart: str | None
    summary: str | None
    agreement: Agreement | None
    requests: tuple[str, ...]  # what to ask the lender to add or change, worded
    rate: RateView | None  # the plan rate the agreement states


def confirmation_view(
    case: Case, analysis: CaseAnalysis, loan_id: str, lang: str
) -> ConfirmationView:
    """What was agreed informally, and what the written confirmation must still state.

    ``requests`` are the agreement check's list of changes to ask for (wording from
    :data:`negotiator.counter.REQUEST_TEXTS`); without a recorded agreement, the letter asks
    for every term.
    """
    x = analysis.agreement if agreement_is_for(analysis, loan_id) else None
    ag = x.agreement if x is not None else None
    events = [
        e
        for e in events_for(case, analysis, loan_id)
        if e.kind == NegotiationEventKind.AGREEMENT.value
        or (
            e.kind == NegotiationEventKind.LENDER_OFFER.value
            and e.outcome == Outcome.ACCEPTED.value
        )
    ]
    last = events[-1] if events else None
    channel = last.channel if last is not None else None
    if channel is None and ag is not None:
        channel = {
            AgreementForm.PHONE_ONLY: ContactChannel.PHONE.value,
            AgreementForm.CHAT: ContactChannel.INSTANT_MESSAGE.value,
            AgreementForm.EMAIL: ContactChannel.EMAIL.value,
        }.get(ag.form)
    reached = ag.date if ag is not None and ag.date is not None else (last.date if last else None)
    index = 1 if lang == "en" else 0
    keys = [r.key for r in x.requests] if x is not None else list(_ALL_TERMS)
    private = case.loans[loan_index(analysis, loan_id)].lender_type is LenderType.PRIVATE
    texts = {**REQUEST_TEXTS, **_PRIVATE_TEXTS} if private else REQUEST_TEXTS
    requests = tuple(
        texts[k][index] for k in dict.fromkeys(keys) if not (private and k in _NOT_PRIVATE)
    )
    return ConfirmationView(
        reached_on=reached,
        channel=channel,
        counterpart=last.counterpart if last is not None else None,
        summary=last.summary if last is not None else None,
        agreement=ag,
        requests=requests,
        rate=rate_view(ag.plan_rate) if ag is not None else None,
    )


#: What a written confirmation must state when nothing written exists yet.
_ALL_TERMS = (
    "written_confirmation",
    "lender_name",
    "contract_ref",
    "amounts",
    "waiver_terms",
    "schedule",
    "breach_clause",
    "cure_period",
    "allocation_order",
    "credit_reporting",
    "payment_channel",
    "lender_signature",
)


#: Requests that do not apply to an individual lender: individuals report nothing to 征信, and
#: repaying a private lender into his own account is normal (a payee who is not the lender is
#: refused before any letter is written).
_NOT_PRIVATE = frozenset({"credit_reporting", "official_account"})

#: The requests worded for an individual lender: no 公章, App or company account.
_PRIVATE_TEXTS: Mapping[str, tuple[str, str]] = {
    "lender_name": (
        "请写明出借人的姓名（与身份证一致）。",
        "Please state the lender's full name as on the identity card.",
    ),
    "lender_signature": (
        "请出借人在协议上签字。",
        "Please sign the agreement.",
    ),
    "payment_channel": (
        "请写明还款账户：出借人本人名下的银行账户（户名、开户银行、账号）。",
        "Please state the repayment account: a bank account in the lender's own name (holder, "
        "bank, number).",
    ),
}
