"""The written confirmation: what was agreed informally and what the lender must still state."""

from __future__ import annotations

import datetime as dt

import attrs

from ..analysis import CaseAnalysis
from ..analysis.agreement import CONFIRMATION_REQUESTS
from ..analysis.counter import applies, make_request
from ..case.models import (
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

    ``requests`` are the agreement check's list of changes to ask for (worded by
    :meth:`negotiator.analysis.counter.Request.text`: for an individual lender without 公章, App or
    征信); without a recorded agreement, the letter asks for every term.
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
    private = case.loans[loan_index(analysis, loan_id)].lender_type is LenderType.PRIVATE
    if x is not None:
        chosen = list(x.requests)
    else:
        # nothing written yet: ask for every term a written confirmation must state
        chosen = [
            make_request(k, private=private)
            for k in CONFIRMATION_REQUESTS
            if applies(k, private=private)
        ]
    requests = tuple(dict.fromkeys(r.text(index) for r in chosen))
    return ConfirmationView(
        reached_on=reached,
        channel=channel,
        counterpart=last.counterpart if last is not None else None,
        summary=last.summary if last is not None else None,
        agreement=ag,
        requests=requests,
        rate=rate_view(ag.plan_rate) if ag is not None else None,
    )


