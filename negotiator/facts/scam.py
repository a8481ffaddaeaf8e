"""Fraud red flags, gathered from three places (one fact per place that shows any):

``agreement``  what the proposed agreement itself demands: payment into a personal account, a
               deposit before the waiver applies, a verification code, a paid intermediary;
``contacts``   what collectors demanded during recorded contacts (their ``conduct``);
``notes``      words in the borrower's own notes — contact summaries and negotiation-history
               summaries and counterparts — that name one of these demands or a paid
               "debt optimisation" agent (:data:`KEYWORDS`).  Free text can be misread, so rules
               on this source speak with reserve.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from ..analysis import CaseAnalysis
from ..analysis.loans import LoanAnalysis
from ..models import AccountKind, Conduct, LenderType
from .agreement import payee_state
from .schema import Fact, FactKind, choice, extra, flag

__all__ = ["KEYWORDS", "KINDS", "RED_FLAGS", "derive"]

FLAGS = ("personal_account", "deposit", "verification_code", "debt_agent")

#: Words that, found in the borrower's notes, point to each red flag (matched case-insensitively
#: after removing spaces).  Kept narrow on purpose: 停息挂账 alone is a legitimate request to a
#: lender; only an agent *offering* it for a fee is a red flag.
KEYWORDS: Mapping[str, tuple[str, ...]] = {
    "personal_account": (
        "个人账户",
        "私人账户",
        "个人银行卡",
        "私人银行卡",
        "个人卡号",
        "personalaccount",
    ),
    "deposit": ("保证金", "押金", "解冻金", "解冻费", "deposit"),
    "verification_code": ("验证码", "校验码", "verificationcode", "smscode"),
    "debt_agent": (
        "债务优化",
        "优化债务",
        "征信修复",
        "修复征信",
        "征信洗白",
        "反催收",
        "代理维权",
        "代办停息挂账",
        "停息挂账代办",
        "debtoptimisation",
        "debtoptimization",
        "creditrepair",
    ),
}

_CONDUCT = {
    Conduct.DEMANDED_PERSONAL_ACCOUNT: "personal_account",
    Conduct.DEMANDED_DEPOSIT: "deposit",
    Conduct.DEMANDED_VERIFICATION_CODE: "verification_code",
}

RED_FLAGS = FactKind(
    name="red_flags",
    doc="Fraud red flags from one source: the agreement, collectors' demands, or the notes.",
    fields={
        "source": choice("agreement, contacts or notes", ("agreement", "contacts", "notes")),
        "personal_account": flag("payment into a personal account / to an individual"),
        "deposit": flag("a deposit or fee demanded before a waiver applies"),
        "verification_code": flag("an SMS verification code was asked for"),
        "debt_agent": flag("a paid intermediary (debt optimisation, credit repair) is involved"),
        "private_lender": flag(
            "agreement source: the loan it settles is from a private person (paying that person's "
            "own account is normal); false for the other sources"
        ),
        "payee": choice(
            "agreement source: the named payee is the lender itself, someone else, or not named "
            "(unknown for the other sources)",
            ("lender", "other", "unknown"),
        ),
    },
    extras={
        "personal_account_dates": extra("list", "dates the personal account came up"),
        "deposit_dates": extra("list", "dates the deposit came up"),
        "verification_code_dates": extra("list", "dates the verification code came up"),
        "debt_agent_dates": extra("list", "dates the agent came up"),
        "who": extra("list", "the collectors or counterparts involved, as recorded"),
        "account_holder": extra("text", "the payee named in the agreement"),
        "deposit_amount": extra("money", "the deposit the agreement demands"),
        "intermediary": extra("text", "the intermediary named in the agreement"),
        "intermediary_fee": extra("money", "its fee"),
        "lender_name": extra("text", "agreement source: the lender of the loan it settles"),
    },
)

KINDS = (RED_FLAGS,)


def _mentions(text: str | None) -> set[str]:
    if not text:
        return set()
    squashed = "".join(text.split()).lower()
    return {flag for flag, words in KEYWORDS.items() if any(w in squashed for w in words)}


def _fact(
    source: str,
    hits: Mapping[str, list[dt.date]],
    extras: dict[str, Any],
    private_lender: bool = False,
    payee: str = "unknown",
) -> Fact:
    values: dict[str, Any] = {"source": source} | {f: bool(hits.get(f)) for f in FLAGS}
    values["private_lender"] = private_lender
    values["payee"] = payee
    dates = {f"{f}_dates": sorted(set(hits.get(f, []))) for f in FLAGS}
    return Fact(
        kind="red_flags",
        id=f"red-flags-{source}",
        subject=source,
        values=values,
        extras={**dates, **extras},
    )


def _settled_loan(a: CaseAnalysis) -> LoanAnalysis | None:
    """The loan the agreement settles (the only loan when the agreement names none)."""
    x = a.agreement
    if x is None:
        return None
    return next((la for la in a.loans if la.id == x.loan_id), None)


def derive(a: CaseAnalysis) -> Iterator[Fact]:
    case = a.case
    g = case.agreement
    if g is not None:
        flags = {
            "personal_account": g.repayment_account is AccountKind.PERSONAL,
            "deposit": g.deposit_required is not None and g.deposit_required > 0,
            "verification_code": g.verification_code_requested,
            "debt_agent": g.intermediary is not None
            or (g.intermediary_fee is not None and g.intermediary_fee > 0),
        }
        if any(flags.values()):
            la = _settled_loan(a)
            lender = la.loan.lender_name if la is not None else None
            private = la is not None and la.loan.lender_type is LenderType.PRIVATE
            day = g.date or a.as_of
            hits = {f: [day] for f, on in flags.items() if on}
            yield _fact(
                "agreement",
                hits,
                {
                    "who": [],
                    "account_holder": g.account_holder,
                    "deposit_amount": g.deposit_required,
                    "intermediary": g.intermediary,
                    "intermediary_fee": g.intermediary_fee,
                    "lender_name": lender,
                },
                private_lender=private,
                payee=payee_state(g, (lender, g.lender.name)),
            )

    demanded: dict[str, list[dt.date]] = {}
    collectors: list[str] = []
    noted: dict[str, list[dt.date]] = {}
    counterparts: list[str] = []
    for loan in case.loans:
        private = loan.lender_type is LenderType.PRIVATE
        for c in loan.collection_contacts:
            for conduct in c.conduct:
                flag_name = _CONDUCT.get(conduct)
                if (
                    flag_name == "personal_account"
                    and private
                    and (c.collector is None or c.collector == loan.lender_name)
                ):
                    # a private lender asking to be paid into his own account is ordinary
                    continue
                if flag_name is not None:
                    demanded.setdefault(flag_name, []).append(c.at.date())
                    if c.collector and c.collector not in collectors:
                        collectors.append(c.collector)
            for flag_name in _mentions(c.summary):
                noted.setdefault(flag_name, []).append(c.at.date())
                if c.collector and c.collector not in counterparts:
                    counterparts.append(c.collector)
    for event in case.history:
        for flag_name in _mentions(event.summary) | _mentions(event.counterpart):
            noted.setdefault(flag_name, []).append(event.date)
            if event.counterpart and event.counterpart not in counterparts:
                counterparts.append(event.counterpart)
    if demanded:
        yield _fact("contacts", demanded, {"who": collectors or None})
    if noted:
        yield _fact("notes", noted, {"who": counterparts or None})
