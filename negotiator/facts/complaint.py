"""Complaint facts: what may be reported about each lender, built from the findings of the
first evaluation (docs/engine.md, "Two passes").

Whether a case has a problem worth reporting is judged once, by the fee, collection and scam
rules.  The complaint facts are built from the rules that fired — never from the figures
again — and the complaint rules (``rules/complaint.toml``) then route each fact to the channels
that fit the lender.  :data:`GROUNDS` names, for every rule whose finding is a ground for a
complaint, the problem it is and the family it belongs to; a finding of a rule absent from it
(advice such as ``fee.penalty-stacked``, ``collection.late-evening`` or
``fee.compounding-unquantified``, the credit-record check) is not a ground.

``complaint``
    One per loan for its charge, collection and payment-demand problems together (so each
    channel is named once per lender, listing every issue), one per loan for threats or
    violence (for the police), plus one case-wide ``debt_agent`` fact when the scam rules
    found a paid intermediary in the proposed agreement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

from ..analysis import CaseAnalysis
from ..analysis.loans import LoanAnalysis
from ..calc.caps import Regime
from ..models import LawsuitStatus, LenderType
from .loan import PSL_2025_FROM
from .schema import Fact, FactKind, choice, extra, flag

__all__ = ["COMPLAINT", "GROUNDS", "KINDS", "PROBLEMS", "derive"]

PROBLEMS = ("charges", "collection", "payment_demand", "threats", "debt_agent")

#: Families of grounds: charges (fee rules), collection (collection rules), payment (a demand
#: in the proposed agreement to pay a personal account or a deposit: scam rules).  Threats are
#: a collection ground and also make a fact of their own, for the police.
_CHARGES, _COLLECTION, _PAYMENT = "charges", "collection", "payment"

#: Rule id → (family, issue) for every rule whose finding is a ground for a complaint.
GROUNDS: Mapping[str, tuple[str, str]] = {
    **dict.fromkeys(
        (
            "fee.upfront-deduction",
            "fee.upfront-deduction.unknown",
            "fee.upfront-deduction.licensed",
            "fee.upfront-deduction-principal",
            "fee.upfront-deduction-principal.licensed",
            "fee.upfront-fees",
        ),
        (_CHARGES, "upfront_deduction"),
    ),
    **dict.fromkeys(
        (
            "fee.rate-above-private-cap",
            "fee.rate-above-private-cap-any-date",
            "fee.cost-above-private-cap",
            "fee.cost-above-24",
            "fee.cost-above-any-cap",
        ),
        (_CHARGES, "above_cap"),
    ),
    **dict.fromkeys(
        (
            "fee.overdue-above-cap-private",
            "fee.overdue-above-cap-licensed",
            "fee.overdue-above-cap-unknown",
        ),
        (_CHARGES, "overdue_above_cap"),
    ),
    "fee.overdue-rate-above-24": (_CHARGES, "overdue_rate_above_cap"),
    "fee.compounding-private": (_CHARGES, "compounding"),
    "fee.compounding-above-cap": (_CHARGES, "compounding"),
    "fee.rate-raised": (_CHARGES, "rate_raised"),
    "fee.added-later": (_CHARGES, "undisclosed_fee"),
    "fee.undisclosed": (_CHARGES, "undisclosed_fee"),
    "fee.collection-cost": (_CHARGES, "collection_fee"),
    "fee.collection-cost-demanded": (_CHARGES, "collection_fee"),
    "fee.platform-fee": (_CHARGES, "platform_fee"),
    "fee.no-agreed-interest": (_CHARGES, "interest_not_agreed"),
    **dict.fromkeys(
        ("collection.quiet-hours", "collection.quiet-hours.private"),
        (_COLLECTION, "quiet_hours"),
    ),
    **dict.fromkeys(
        (
            "collection.excessive-calls",
            "collection.excessive-calls.private",
            "collection.excessive-calls.private-2012",
        ),
        (_COLLECTION, "excessive_calls"),
    ),
    **dict.fromkeys(
        (
            "collection.third-party",
            "collection.third-party.licensed",
            "collection.third-party.private",
            "collection.third-party.private-2012",
        ),
        (_COLLECTION, "third_party"),
    ),
    **dict.fromkeys(
        ("collection.abusive", "collection.abusive.licensed", "collection.abusive.private"),
        (_COLLECTION, "abusive"),
    ),
    **dict.fromkeys(
        ("collection.threats", "collection.threats.2012", "collection.threats-illegal-debt"),
        (_COLLECTION, "threats"),
    ),
    **dict.fromkeys(
        ("scam.personal-account.agreement", "scam.personal-account.private-payee"),
        (_PAYMENT, "personal_account"),
    ),
    "scam.deposit.agreement": (_PAYMENT, "deposit"),
}

#: The scam rules above judge the proposed agreement (their finding's subject is
#: ``agreement``): their ground belongs to the loan the agreement settles.
_AGREEMENT_SUBJECT = "agreement"

#: The scam rule that finds a paid intermediary in the proposed agreement: a ground for a
#: complaint about the intermediary (one per case).
_AGENT_RULE = "scam.debt-agent.agreement"

#: The collection rule that finds threats over a debt that looks unlawful (刑法 293之一).
_ILLEGAL_DEBT_THREATS = "collection.threats-illegal-debt"

#: The order issues are listed in (charges, then collection, then payment demands).
_ORDER = {
    issue: i
    for i, issue in enumerate(
        dict.fromkeys(
            [issue for family, issue in GROUNDS.values() if family == _CHARGES]
            + [issue for family, issue in GROUNDS.values() if family == _COLLECTION]
            + ["harassment"]
            + [issue for family, issue in GROUNDS.values() if family == _PAYMENT]
        )
    )
}

ISSUES_ZH = {
    "upfront_deduction": "放款时预先扣除（砍头息）",
    "above_cap": "综合成本超过上限",
    "overdue_above_cap": "逾期费用超过上限",
    "overdue_rate_above_cap": "逾期利率超过上限",
    "compounding": "复利超过上限",
    "rate_raised": "擅自提高利率",
    "undisclosed_fee": "合同未载明的费用",
    "collection_fee": "向借款人收取催收费",
    "platform_fee": "助贷平台向借款人收费",
    "interest_not_agreed": "未约定利息却收取利息",
    "quiet_hours": "夜间催收",
    "excessive_calls": "一天内催收电话过多",
    "third_party": "联系第三人或透露债务",
    "abusive": "辱骂、冒充公检法或伪造法律文书",
    "threats": "威胁、暴力、限制人身自由或跟踪",
    "harassment": "反复打电话、发信息干扰正常生活",
    "personal_account": "要求把还款转入个人账户",
    "deposit": "要求先交保证金才给予减免",
}
ISSUES_EN = {
    "upfront_deduction": "money deducted up front",
    "above_cap": "total cost above the cap",
    "overdue_above_cap": "overdue charges above the cap",
    "overdue_rate_above_cap": "overdue rate above the cap",
    "compounding": "compound interest above the cap",
    "rate_raised": "rate raised without agreement",
    "undisclosed_fee": "fees the contract did not disclose",
    "collection_fee": "collection costs charged to the borrower",
    "platform_fee": "platform fees charged to the borrower",
    "interest_not_agreed": "interest charged without an interest clause",
    "quiet_hours": "collection at night",
    "excessive_calls": "too many collection calls in a day",
    "third_party": "third parties contacted or told of the debt",
    "abusive": "insults, impersonating officials or fake legal papers",
    "threats": "threats, violence, confinement or stalking",
    "harassment": "repeated calls or messages disturbing daily life",
    "personal_account": "repayment demanded into a personal account",
    "deposit": "a deposit demanded before any waiver",
}

COMPLAINT = FactKind(
    name="complaint",
    doc="What may be reported about one lender's loan, from the findings of the first "
    "evaluation: its charge, collection and payment-demand problems together (one fact), "
    "threats or violence (one fact), or a paid intermediary (one per case).",
    fields={
        "problem": choice(
            "charges (a fee finding, perhaps with others), collection (collection findings, no "
            "fee finding), payment_demand (only a demand in the proposed agreement to pay a "
            "personal account or a deposit), threats or debt_agent",
            PROBLEMS,
        ),
        "has_charges": flag("a fee rule found a charge problem with the loan"),
        "has_collection": flag(
            "a collection rule found a problem with the loan's collection (false on the "
            "threats fact, whose threats the loan's other fact lists)"
        ),
        "has_payment_demand": flag(
            "a scam rule found that the proposed agreement for the loan demands payment into a "
            "personal account or a deposit"
        ),
        "lender_type": choice("who lends (other for a case-wide problem)", LenderType),
        "regime": choice("cap regime of the loan", Regime),
        "conduct_period": choice(
            "when the collection conduct happened: none recorded, only before 2026-01-01, only "
            "from 2026-01-01 (the revised 治安管理处罚法), or both",
            ("none", "before_2026", "from_2026", "both"),
        ),
        "illegal_debt_threats": flag(
            "the collection rules found threats over a debt that looks unlawful, not merely "
            "reducible (collection.threats-illegal-debt fired for the loan)"
        ),
        "in_court": flag("a lawsuit has been filed or decided"),
    },
    extras={
        "lender_name": extra("text", "the lender (or the intermediary)"),
        "issues_zh": extra("list", "what went wrong (Chinese)"),
        "issues_en": extra("list", "what went wrong (English)"),
        "charges_zh": extra("list", "the charge problems alone (Chinese)"),
        "charges_en": extra("list", "the charge problems alone (English)"),
        "collection_zh": extra("list", "the collection problems alone (Chinese)"),
        "collection_en": extra("list", "the collection problems alone (English)"),
    },
)

KINDS = (COMPLAINT,)


def _period(dates: list[dt.date]) -> str:
    if not dates:
        return "none"
    before = any(d < PSL_2025_FROM for d in dates)
    after = any(d >= PSL_2025_FROM for d in dates)
    return "both" if before and after else ("from_2026" if after else "before_2026")


def _collection_words(la: LoanAnalysis, issues: list[str]) -> list[str]:
    """A private lender is not bound by the collection industry's standard: its night calls
    and call counts are named as what they are, harassment."""
    if la.loan.lender_type is not LenderType.PRIVATE:
        return issues
    words = ("harassment" if x in ("quiet_hours", "excessive_calls") else x for x in issues)
    return list(dict.fromkeys(words))


def grounds_by_loan(
    a: CaseAnalysis, fired: Iterable[tuple[str, str]]
) -> dict[str, dict[str, list[str]]]:
    """Loan id → family → issues, from the (rule id, subject) pairs of the first pass's findings.

    A finding is about a loan when its subject is the loan's id; a ground found in the
    proposed agreement is about the loan the agreement settles.
    """
    settled = a.agreement.loan_id if a.agreement is not None else None
    loans = set(a.loan_ids)
    out: dict[str, dict[str, list[str]]] = {}
    for rule, subject in fired:
        ground = GROUNDS.get(rule)
        if ground is None:
            continue
        loan = settled if subject == _AGREEMENT_SUBJECT else subject
        if loan is None or loan not in loans:
            continue
        family, issue = ground
        issues = out.setdefault(loan, {}).setdefault(family, [])
        if issue not in issues:
            issues.append(issue)
    for families in out.values():
        for issues in families.values():
            issues.sort(key=_ORDER.__getitem__)
    return out


def _words(issues: list[str], lang: str) -> list[str]:
    words = ISSUES_EN if lang == "en" else ISSUES_ZH
    return [words[x] for x in issues]


def _fact(
    fact_id: str,
    subject: str,
    values: dict[str, object],
    name: str,
    charges: list[str],
    other: list[str],
    collection: list[str],
) -> Fact:
    issues = charges + other
    return Fact(
        kind="complaint",
        id=fact_id,
        subject=subject,
        values=values,
        extras={
            "lender_name": name,
            "issues_zh": _words(issues, "zh"),
            "issues_en": _words(issues, "en"),
            "charges_zh": _words(charges, "zh"),
            "charges_en": _words(charges, "en"),
            "collection_zh": _words(collection, "zh"),
            "collection_en": _words(collection, "en"),
        },
    )


def derive(a: CaseAnalysis, fired: Iterable[tuple[str, str]]) -> Iterator[Fact]:
    """The complaint facts of a case whose first evaluation produced findings of the
    (rule id, subject) pairs ``fired``.  None when nothing fired that is worth reporting."""
    seen = set(fired)
    grounds = grounds_by_loan(a, seen)
    in_court = a.case.lawsuit in (LawsuitStatus.FILED, LawsuitStatus.JUDGMENT)
    for i, la in enumerate(a.loans):
        found = grounds.get(la.id)
        if not found:
            continue
        charges = found.get(_CHARGES, [])
        collection = _collection_words(la, found.get(_COLLECTION, []))
        payment = found.get(_PAYMENT, [])
        common: dict[str, object] = {
            "lender_type": la.loan.lender_type.value,
            "regime": la.regime,
            "conduct_period": _period([cf.contact.at.date() for cf in la.contacts]),
            "illegal_debt_threats": (_ILLEGAL_DEBT_THREATS, la.id) in seen,
            "in_court": in_court,
        }
        problem = "charges" if charges else "collection" if collection else "payment_demand"
        yield _fact(
            f"complaint-{i + 1}-{problem}",
            la.id,
            {
                "problem": problem,
                "has_charges": bool(charges),
                "has_collection": bool(collection),
                "has_payment_demand": bool(payment),
                **common,
            },
            la.loan.lender_name,
            charges,
            collection + payment,
            collection,
        )
        if "threats" in collection:
            yield _fact(
                f"complaint-{i + 1}-threats",
                la.id,
                {
                    # the threats are also among the loan's collection problems above, where
                    # the regulators' channels name them: this fact is for the police alone
                    "problem": "threats",
                    "has_charges": False,
                    "has_collection": False,
                    "has_payment_demand": False,
                    **common,
                },
                la.loan.lender_name,
                [],
                ["threats"],
                ["threats"],
            )
    agreement = a.case.agreement
    if agreement is not None and any(rule == _AGENT_RULE for rule, _subject in seen):
        yield Fact(
            kind="complaint",
            id="complaint-case-debt-agent",
            subject="case",
            values={
                "problem": "debt_agent",
                "has_charges": False,
                "has_collection": False,
                "has_payment_demand": False,
                "lender_type": "other",
                "regime": "unknown",
                "conduct_period": "none",
                "illegal_debt_threats": False,
                "in_court": in_court,
            },
            extras={
                "lender_name": agreement.intermediary or "—",
                "issues_zh": ["付费中介（债务优化、代理协商等）"],
                "issues_en": ["a paid intermediary (debt optimisation, negotiation agent, …)"],
                "charges_zh": [],
                "charges_en": [],
                "collection_zh": [],
                "collection_en": [],
            },
        )
