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
import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..analysis import CaseAnalysis
from ..analysis.loans import LoanAnalysis
from ..case.models import AccountKind, Case, Conduct, LenderType
from ..money import ZERO
from .schema import Fact, FactKind, choice, extra, flag

__all__ = [
    "KEYWORDS",
    "KINDS",
    "RED_FLAGS",
    "derive",
    "holder_is_a_person",
    "personal_payment_field",
    "routes_money_to_a_person",
]

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
    "deposit": (
        "保证金",
        "押金",
        "解冻金",
        "解冻费",
        "定金",
        "订金",
        "前期费用",
        "前期费",
        "验资",
        "激活费",
        "工本费",
        "刷流水",
        "deposit",
        "upfrontfee",
    ),
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
        "source": choice(
            "agreement, contacts, notes or payments",
            ("agreement", "contacts", "notes", "payments"),
        ),
        "personal_account": flag("payment into a personal account / to an individual"),
        "deposit": flag("a deposit or fee demanded before a waiver applies"),
        "paid": flag("money was already paid (structured payments outside an agreement)"),
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
        "paid_total": extra("money", "money already paid outside any agreement"),
        "demanded_total": extra("money", "money demanded but not paid"),
        "payees": extra("list", "who received or demanded it"),
        "purposes": extra("list", "what it was called"),
        "lender_name": extra("text", "agreement source: the lender of the loan it settles"),
    },
)

KINDS = (RED_FLAGS,)


#: A fee word counts as a deposit demand only next to "pay first" (服务费 alone is ordinary).
_PAY_FIRST = re.compile(
    r"(先|预|提前|需要?|要求)(交|付|缴|转|打)[^，。；,.;]{0,8}(服务费|手续费|费用|会员费|佣金)|"
    r"(服务费|手续费|费用|会员费|佣金)[^，。；,.;]{0,6}(先|预)(交|付|缴|转|打)|"
    r"(payfirst|paybefore|feeupfront|feeinadvance)"
)


def _mentions(text: str | None) -> set[str]:
    if not text:
        return set()
    squashed = "".join(text.split()).lower()
    found = {flag for flag, words in KEYWORDS.items() if any(w in squashed for w in words)}
    if _PAY_FIRST.search(squashed):
        found.add("deposit")
    return found


#: Payment apps and personal wallets: text that sends money "to" one of these routes it to a
#: person, not to the lender's company account.
PAYMENT_APPS = ("微信", "支付宝", "财付通", "wechat", "weixin", "alipay")
#: Words that say money is to be moved (转入, 打款, 还款至 …), matched after removing spaces.
TRANSFER_WORDS = (
    "转",
    "汇",
    "打款",
    "打到",
    "付到",
    "付至",
    "还到",
    "还至",
    "还款至",
    "存入",
    "transfer",
    "pay",
    "send",
)
#: Words an organisation's name contains; an account holder without any is taken for a person.
ORGANISATION_WORDS = (
    "公司",
    "银行",
    "集团",
    "金融",
    "小贷",
    "贷款",
    "信托",
    "支付",
    "有限",
    "合伙",
    "中心",
    "分行",
    "支行",
    "营业部",
    "事务所",
    "ltd",
    "co.",
    "bank",
    "inc",
    "llc",
    "limited",
    "corporation",
    "company",
    "trust",
    "finance",
)
_PERSONAL_WORDS = ("个人", "私人", "本人", "personal", "private")


def routes_money_to_a_person(text: str | None) -> bool:
    """Whether free text tells the borrower to pay a personal account or a payment app."""
    if not text:
        return False
    squashed = "".join(text.split()).lower()
    if "personal_account" in _mentions(text):
        return True
    return any(app in squashed for app in PAYMENT_APPS) and any(
        w in squashed for w in TRANSFER_WORDS
    )


def holder_is_a_person(holder: str | None) -> bool:
    """Whether the named account holder is a person (or says it is personal)."""
    if not holder:
        return False
    squashed = "".join(holder.split()).lower()
    if any(w in squashed for w in _PERSONAL_WORDS) or routes_money_to_a_person(holder):
        return True
    return not any(w in squashed for w in ORGANISATION_WORDS)


def personal_payment_field(case: Case) -> str | None:
    """The field path of the agreement that routes payment to a person or a payment app
    (its text, its account holder, or the lender's name it gives), or None."""
    g = case.agreement
    if g is None:
        return None
    if g.repayment_account is AccountKind.PERSONAL:
        return "agreement.repayment_account"
    if holder_is_a_person(g.account_holder):
        return "agreement.account_holder"
    texts = {
        "agreement.breach_clause": g.breach_clause,
        "agreement.allocation_order": g.allocation_order,
        "agreement.credit_reporting": g.credit_reporting,
        "agreement.lender.name": g.lender.name,
    }
    for i, loan in enumerate(case.loans):
        texts[f"loans[{i}].lender_name"] = loan.lender_name
    for path, text in texts.items():
        if routes_money_to_a_person(text):
            return path
    return None


def _fact(
    source: str,
    hits: Mapping[str, list[dt.date]],
    extras: dict[str, Any],
    *,
    paid: bool = False,
    private_lender: bool = False,
    payee: str = "unknown",
) -> Fact:
    values: dict[str, Any] = {"source": source} | {f: bool(hits.get(f)) for f in FLAGS}
    values["paid"] = paid
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
            "personal_account": personal_payment_field(case) is not None,
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
                payee=a.agreement.payee if a.agreement is not None else "unknown",
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
    if case.payments_outside:
        ps = case.payments_outside
        day = a.as_of
        paid_total = sum((p.amount for p in ps if p.paid), ZERO)
        yield _fact(
            "payments",
            {"deposit": [p.date or day for p in ps]},
            {
                "who": None,
                "paid_total": paid_total,
                "demanded_total": sum((p.amount for p in ps if not p.paid), ZERO),
                "payees": [p.payee for p in ps if p.payee] or None,
                "purposes": [p.purpose for p in ps if p.purpose] or None,
            },
            paid=paid_total > 0,
        )
    if noted:
        yield _fact("notes", noted, {"who": counterparts or None})
