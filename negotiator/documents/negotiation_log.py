"""The negotiation log: every negotiation event and collection contact, in date order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from ..analysis import CaseAnalysis
from ..case.models import (
    Case,
)
from .views import contact_view, event_view, lender_names


@attrs.frozen
class LogRow:
    date: dt.date
    time: dt.time | None
    source: str  # event / collection
    channel: str
    lender: str | None
    counterpart: str | None
    kind: str
    summary: str | None
    amount: Decimal | None
    outcome: str | None
    target: str | None
    conduct: tuple[str, ...]
    evidence: bool | None


def log_rows(case: Case, analysis: CaseAnalysis) -> tuple[LogRow, ...]:
    """Every negotiation event and collection contact of the case, in date order."""
    lenders = lender_names(analysis)
    rows: list[LogRow] = []
    for e in case.history:
        ev = event_view(e, lenders)
        rows.append(
            LogRow(
                ev.date,
                None,
                "event",
                ev.channel,
                ev.lender,
                ev.counterpart,
                ev.kind,
                ev.summary,
                ev.amount,
                ev.outcome,
                None,
                (),
                None,
            )
        )
    for lid, loan in zip(analysis.loan_ids, case.loans, strict=True):
        for c in loan.collection_contacts:
            cv = contact_view(c)
            rows.append(
                LogRow(
                    cv.at.date(),
                    cv.at.time(),
                    "collection",
                    cv.channel,
                    lenders[lid],
                    cv.collector,
                    "collection",
                    cv.summary,
                    None,
                    None,
                    cv.target,
                    cv.conduct,
                    cv.evidence,
                )
            )
    rows.sort(key=lambda r: (r.date, r.time or dt.time(0), r.source))
    return tuple(rows)
