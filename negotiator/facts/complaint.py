"""Complaint facts: what may be reported about each lender, built from the findings of the
first evaluation (docs/engine.md, "Two passes").

Whether a case has a problem worth reporting is judged once, by the fee, collection and scam
rules; a rule whose finding is a ground for a complaint says so in its own ``ground`` (the
problem it is and how a complaint names it: ``rules/*.toml``, docs/rule-format.md).  The
complaint facts are built from those grounds — never from the figures again — and the complaint
rules (``rules/complaint.toml``) then route each fact to the channels that fit the lender.

``complaint``
    One per loan for its charge, collection and payment-demand problems together (so each
    channel is named once per lender, listing every issue), one per loan for threats or
    violence (for the police), plus one case-wide ``debt_agent`` fact when the scam rules
    found a paid intermediary in the proposed agreement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import attrs

from ..analysis import CaseAnalysis
from ..calc.caps import Regime
from ..case.models import LawsuitStatus, LenderType
from .loan import PSL_2025_FROM
from .schema import Fact, FactKind, choice, extra, flag

__all__ = ["COMPLAINT", "KINDS", "PROBLEMS", "Grounds", "derive"]

PROBLEMS = ("charges", "collection", "payment_demand", "threats", "debt_agent")


@attrs.frozen
class Grounds:
    """One finding of the first pass that is a ground for a complaint: the rule, what it is
    about (a loan's id, or ``agreement``), its :class:`~negotiator.ruleset.Ground` (problem and
    words) and the rule's position in the rule set, which orders the issues listed."""

    rule: str
    subject: str
    problem: str  # charges / collection / threats / payment / agent
    zh: str
    en: str
    order: int


#: Grounds found in the proposed agreement (their finding's subject is ``agreement``) belong to
#: the loan the agreement settles.
_AGREEMENT_SUBJECT = "agreement"

#: The collection rule that finds threats over a debt that looks unlawful (刑法 293之一).
_ILLEGAL_DEBT_THREATS = "collection.threats-illegal-debt"

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


def _fact(
    fact_id: str,
    subject: str,
    values: dict[str, object],
    name: str,
    charges: list[Grounds],
    other: list[Grounds],
    collection: list[Grounds],
) -> Fact:
    issues = charges + other
    return Fact(
        kind="complaint",
        id=fact_id,
        subject=subject,
        values=values,
        extras={
            "lender_name": name,
            "issues_zh": [g.zh for g in issues],
            "issues_en": [g.en for g in issues],
            "charges_zh": [g.zh for g in charges],
            "charges_en": [g.en for g in charges],
            "collection_zh": [g.zh for g in collection],
            "collection_en": [g.en for g in collection],
        },
    )


def _by_loan(a: CaseAnalysis, grounds: Iterable[Grounds]) -> dict[str, dict[str, list[Grounds]]]:
    """Loan id → problem → grounds, one per wording, in rule order."""
    settled = a.agreement.loan_id if a.agreement is not None else None
    loans = set(a.loan_ids)
    out: dict[str, dict[str, list[Grounds]]] = {}
    for g in sorted(grounds, key=lambda g: g.order):
        loan = settled if g.subject == _AGREEMENT_SUBJECT else g.subject
        if loan is None or loan not in loans:
            continue
        found = out.setdefault(loan, {}).setdefault(g.problem, [])
        if all(x.zh != g.zh for x in found):
            found.append(g)
    return out


def derive(a: CaseAnalysis, grounds: Iterable[Grounds]) -> Iterator[Fact]:
    """The complaint facts of a case whose first evaluation found ``grounds``; none when it
    found none."""
    grounds = list(grounds)
    by_loan = _by_loan(a, grounds)
    in_court = a.case.lawsuit in (LawsuitStatus.FILED, LawsuitStatus.JUDGMENT)
    illegal = {g.subject for g in grounds if g.rule == _ILLEGAL_DEBT_THREATS}
    for i, la in enumerate(a.loans):
        found = by_loan.get(la.id)
        if not found:
            continue
        charges = found.get("charges", [])
        threats = found.get("threats", [])
        # threats are a collection problem too: the regulators' channels list them
        collection = sorted(found.get("collection", []) + threats, key=lambda g: g.order)
        payment = found.get("payment", [])
        common: dict[str, object] = {
            "lender_type": la.loan.lender_type.value,
            "regime": la.regime,
            "conduct_period": _period([cf.contact.at.date() for cf in la.collection.contacts]),
            "illegal_debt_threats": la.id in illegal,
            "in_court": in_court,
        }
        if charges or collection or payment:
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
        if threats:
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
                threats,
                threats,
            )
    agreement = a.case.agreement
    agent = [g for g in grounds if g.problem == "agent"]
    if agreement is not None and agent:
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
                "issues_zh": [agent[0].zh],
                "issues_en": [agent[0].en],
                "charges_zh": [],
                "charges_en": [],
                "collection_zh": [],
                "collection_en": [],
            },
        )
