"""The request to reconsider (请求重新考虑): written after the lender refused the borrower's
proposal, as the case's negotiation history records it.

The letter cites the date and what was refused, restates the hardship (stated facts only) and
the offer (the plan's figures, :mod:`.proposal`), asks for the reasons for the refusal in
writing and for the matter to be reviewed by someone senior, and says where the borrower may
complain next — the complaint routing of :mod:`.complaint`; a private lender has no regulator,
so the letter names none.

A refusal is a history entry (``[[history]]``) about the loan whose outcome is ``refused``,
except a refused ``lender_offer``: there it is the borrower who refused.  Without one the letter
is refused with an :class:`~negotiator.errors.InputError` on ``history``.

Seed guidance behind it: when talks fail, keep the records and seek legal help (000 §五.2 and §五.3,
004 §法律援助); listen to the lender's reasons and answer them (003 §4.3); stay calm and
courteous (002 §三.4).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..analysis import CaseAnalysis
from ..case.models import Case, NegotiationEventKind, Outcome
from ..errors import InputError
from .complaint import complaint_routes
from .views import EventView, events_for, loan_index

__all__ = ["ReconsiderView", "reconsider_view", "refusals", "refused_loans"]


@attrs.frozen
class ReconsiderView:
    refusal: EventView  # the latest refusal: the one this letter answers
    earlier: tuple[EventView, ...]  # earlier refusals of this loan, in date order
    routes: tuple[str, ...]  # where the borrower may complain next (empty: a private lender)


def refusals(case: Case, analysis: CaseAnalysis, loan_id: str) -> tuple[EventView, ...]:
    """The lender's refusals of ``loan_id`` recorded in the history, in date order."""
    return tuple(
        e
        for e in events_for(case, analysis, loan_id)
        if e.outcome == Outcome.REFUSED.value and e.kind != NegotiationEventKind.LENDER_OFFER.value
    )


def _no_refusal(which: str) -> InputError:
    return InputError(
        "history",
        f"the negotiation history records no refusal {which}; a request to reconsider answers "
        'a refusal, so first add the refused proposal to history (with outcome = "refused")',
    )


def refused_loans(case: Case, analysis: CaseAnalysis, loan: str | None) -> list[str]:
    """The loans a request to reconsider is written about: ``loan`` when given, else every loan
    with a recorded refusal.  Raises :class:`InputError` (``history``) when there is none."""
    if loan is not None:
        loan_index(analysis, loan)
        if not refusals(case, analysis, loan):
            raise _no_refusal(f"for loan {loan}")
        return [loan]
    chosen = [i for i in analysis.loan_ids if refusals(case, analysis, i)]
    if not chosen:
        raise _no_refusal("for any loan")
    return chosen


def reconsider_view(case: Case, analysis: CaseAnalysis, loan_id: str) -> ReconsiderView:
    found: Sequence[EventView] = refusals(case, analysis, loan_id)
    if not found:
        raise _no_refusal(f"for loan {loan_id}")
    loan = case.loans[loan_index(analysis, loan_id)]
    return ReconsiderView(
        refusal=found[-1],
        earlier=tuple(found[:-1]),
        routes=tuple(complaint_routes(case, loan)),
    )
