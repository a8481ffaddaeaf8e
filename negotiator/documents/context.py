"""The context one letter template renders, assembled from the document modules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..analysis import CaseAnalysis
from ..case.models import (
    Case,
)
from ..findings import Finding
from .agreement_draft import draft_agreement
from .complaint import COMPLAINT_CATEGORIES, complaint_view
from .confirmation import confirmation_view
from .enclosures import enclosures
from .hold import hold_view
from .income_expenditure import income_expenditure
from .mode import letter_mode
from .negotiation_log import log_rows
from .proposal import build_proposal, refuse_unsafe_payment
from .reconsider import reconsider_view
from .reply import reply_date, reply_view
from .selection import PAYMENT_KINDS
from .views import (
    SERIOUS,
    DebtSummary,
    LoanView,
    budget_view,
    finding_views,
    hardship_views,
    letter_date,
    loan_index,
    loan_view,
    party_view,
)


def build_context(
    kind: str,
    case: Case,
    analysis: CaseAnalysis,
    findings: Sequence[Finding] | None,
    *,
    loan_id: str | None,
    lang: str,
    fmt: str,
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """Everything the template of ``kind`` prints, for the letter about ``loan_id``."""
    contexts = LetterContexts(kind, case, analysis, findings, lang=lang, fmt=fmt, as_of=as_of)
    return contexts.context(loan_id)


class LetterContexts:
    """The contexts of the letters of one document, one per loan (see :func:`build_context`).

    What every letter of the document shares — the sender, the view of every loan, the budget,
    the hardships, the debts, the strategy codes — is built once, with the first letter,
    instead of once for each lender.
    """

    def __init__(
        self,
        kind: str,
        case: Case,
        analysis: CaseAnalysis,
        findings: Sequence[Finding] | None,
        *,
        lang: str,
        fmt: str,
        as_of: dt.date | None = None,
    ) -> None:
        self.kind = kind
        self.case = case
        self.analysis = analysis
        self.findings = findings
        self.lang = lang
        self.fmt = fmt
        self.as_of = as_of
        self._shared: dict[str, Any] | None = None

    def _common(self) -> dict[str, Any]:
        shared = self._shared
        if shared is None:
            case, analysis, findings = self.case, self.analysis, self.findings
            shared = self._shared = {
                "date": letter_date(case, analysis, self.as_of),
                "sender": party_view(case),
                "loans": tuple(loan_view(case, analysis, i) for i in analysis.loan_ids),
                "budget": budget_view(case, analysis),
                "hardships": hardship_views(case, analysis),
                "debts": DebtSummary(
                    count=len(analysis.plan.offers),
                    total=analysis.plan.situation.total_owed,
                    overdue=analysis.plan.situation.overdue_loans,
                ),
                # the findings a letter may quote: warnings and violations (finding_views)
                "serious": tuple(f for f in findings or () if f.severity in SERIOUS),
                "strategies": _strategy_codes(findings),
            }
        return shared

    def context(self, loan_id: str | None) -> dict[str, Any]:
        """The context of the letter about ``loan_id`` (``None`` for a whole-case letter)."""
        kind, case, analysis = self.kind, self.case, self.analysis
        common = self._common()
        base = "en" if self.lang == "en" else "zh-Hans"
        day: dt.date = common["date"]
        loans: tuple[LoanView, ...] = common["loans"]
        loan = loans[loan_index(analysis, loan_id)] if loan_id is not None else None
        ctx: dict[str, Any] = {
            "kind": kind,
            "lang": base,
            "fmt": self.fmt,
            "date": day,
            "sender": common["sender"],
            "loan": loan,
            "loans": loans,
            "budget": common["budget"],
            "hardships": common["hardships"],
            "findings": (),
            "proposal": None,
            "enclosures": enclosures(case, kind, loan),
            "lawsuit": case.lawsuit.value,
            "debts": common["debts"],
        }
        serious: tuple[Finding, ...] = common["serious"]
        mode = letter_mode(case, analysis, serious, loan_id)
        ctx["mode"] = mode
        if loan_id is not None:
            if kind in PAYMENT_KINDS:
                refuse_unsafe_payment(case, loan_id, analysis)
            ctx["proposal"] = build_proposal(case, analysis, loan_id, day)
            ctx["findings"] = finding_views(serious, loan_id, COMPLAINT_CATEGORIES)
            ctx["fee_findings"] = finding_views(serious, loan_id, ("fee",))
            ctx["strategies"] = common["strategies"]
        if kind == "agreement_draft" and loan_id is not None:
            ctx["draft"] = draft_agreement(
                case, analysis, loan_id, lang=base, as_of=day, findings=serious
            )
            ctx["hardship_kinds"] = tuple(dict.fromkeys(h.kind for h in ctx["hardships"]))
        elif kind == "written_confirmation" and loan_id is not None:
            conf = confirmation_view(case, analysis, loan_id, self.lang)
            ctx["confirmation"] = conf
            if conf.reached_on is not None and conf.reached_on > day:
                # a confirmation is dated on or after the talk it confirms
                ctx["date"] = conf.reached_on
        elif kind == "proposal_reply" and loan_id is not None:
            # dated on or after the proposal it answers
            ctx["date"] = reply_date(case, analysis, loan_id, day)
            ctx["reply"] = reply_view(
                case, analysis, loan_id, ctx["date"], self.lang, disputed=mode.disputed
            )
        elif kind == "complaint" and loan_id is not None:
            ctx["complaint"] = complaint_view(case, analysis, loan_id, serious)
        elif kind == "hold_request" and loan_id is not None:
            ctx["hold"] = hold_view(case, analysis, loan_id, day)
        elif kind == "reconsider_request" and loan_id is not None:
            ctx["reconsider"] = reconsider_view(case, analysis, loan_id)
        elif kind == "income_expenditure" and loan_id is not None:
            ctx["statement"] = income_expenditure(case, analysis, loan_id)
        elif kind == "negotiation_log":
            ctx["rows"] = log_rows(case, analysis)
        return ctx


def _strategy_codes(findings: Sequence[Finding] | None) -> tuple[str, ...]:
    if not findings:
        return ()
    return tuple(dict.fromkeys(f.code for f in findings if f.category == "strategy"))
