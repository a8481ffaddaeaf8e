"""Loan-level facts (one per loan) and fee facts (one per fee).

``loan``
    What is owed, how overdue, the true cost, the cap and every excess over it, computed in
    :mod:`negotiator.analysis.loans`.  Money is yuan, rates yearly fractions unless the name
    says ``daily``.  A field is absent when the figure is unknown; rules test ``exists`` /
    ``missing`` where absence matters.
``fee``
    One fee of one loan: its kind, timing, amount, whether the contract disclosed it and who
    collects it.

The ``complaint`` facts, built from the findings these facts lead to, are in
:mod:`negotiator.facts.complaint`.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..analysis import CaseAnalysis
from ..analysis.loans import MONEY_CEILING, LoanAnalysis
from ..basis.citations import load_register
from ..basis.params import load_parameters
from ..calc.caps import Regime
from ..case.models import FeeKind, FeeTiming, LenderType
from ..money import ROUNDING, ZERO
from .schema import (
    Fact,
    FactKind,
    FieldType,
    Localised,
    choice,
    extra,
    flag,
    integer,
    money,
    rate,
)

#: After an overdue-charges excess when the contract charges 复利 of an amount not stated.
_COMPOUND_NOTE = Localised(
    "（合同另计复利，金额未提供，未计入上述合计；实际合计与超出额至少为此数）",
    " (compound interest is also charged; its amount is not stated and not included above, "
    "so the real total and excess are at least these figures)",
)

__all__ = ["FEE", "KINDS", "LOAN", "PSL_2025_FROM", "derive"]

_RATE_QUANTUM = Decimal("0.000001")  # the engine compares rates in parts per million
_RATE_CEILING = Decimal(1_000_000)
_YES_NO = ("yes", "no", "unknown")
_FEE_ZH = {
    FeeKind.SERVICE: "服务费",
    FeeKind.GUARANTEE: "担保费/增信服务费",
    FeeKind.INSURANCE: "保险费",
    FeeKind.MEMBERSHIP: "会员费/权益费",
    FeeKind.PLATFORM: "平台服务费",
    FeeKind.CONSULTING: "咨询费/顾问费",
    FeeKind.MANAGEMENT: "账户管理费",
    FeeKind.LATE_FEE: "滞纳金",
    FeeKind.PENALTY: "违约金",
    FeeKind.COLLECTION: "催收费",
    FeeKind.PREPAYMENT: "提前还款手续费",
    FeeKind.OTHER: "其他费用",
}


LOAN = FactKind(
    name="loan",
    doc="One loan: what is owed, how overdue, its true cost, the cap and any excess over it.",
    fields={
        "lender_type": choice("who lends", LenderType),
        "regime": choice("cap regime: private, licensed or unknown", Regime),
        "overdue_days": integer("days overdue as of the case date", required=True),
        "owed": money("what the lender claims now", required=True),
        "principal": money("contract principal", required=True),
        "received": money(
            "money actually received (given, or principal less up-front fees)", required=True
        ),
        "upfront_deducted": money("principal − received (砍头息 when above 0)", required=True),
        "received_stated": flag("the money received was given, not derived from up-front fees"),
        "upfront_difference": money(
            "interest and principal claimed on the contract principal − owed on the money received"
        ),
        "nominal_rate": rate("contract rate, simple yearly"),
        "charged_rate": rate("rate the latest statement charges, simple yearly"),
        "rate_increase": rate("charged rate − contract rate, when both are known (≥ 0)"),
        "penalty_rate": rate("overdue (penalty) rate, simple yearly"),
        "overdue_daily_rate": rate("overdue (penalty) rate per day"),
        "cap_rate": rate("the yearly cap used (absent only if none can be named)"),
        "cap_upper_bound": flag("the cap is the highest that could apply (regime or date unknown)"),
        "cost_computable": flag("the annualised cost could be computed from the cash flows"),
        "cost_simple": rate("true annualised cost, simple (单利), from the cash flows"),
        "cost_compound": rate("true annualised cost, compound (复利), from the cash flows"),
        "annual_cost": rate(
            "yearly cost now: contract cost, or overdue cost if overdue and higher"
        ),
        "rate_excess_per_year": money(
            "money received × (the higher of contract and charged rate − cap), per year"
        ),
        "contract_excess": money("scheduled payments and fees above principal + capped interest"),
        "claim_excess": money("the lender's whole claim so far above the cap on money received"),
        "excess_over_cap": money("claim_excess when the claim is known, else contract_excess"),
        "overdue_charges": money("overdue interest + 违约金 + other default charges so far"),
        "overdue_excess": money("overdue_charges above the cap for the overdue days"),
        "penalty_excess_per_year": money("outstanding principal × (penalty rate − cap), per year"),
        "penalty_interest_charged": flag("overdue interest is charged (accrued or by its rate)"),
        "default_damages": money("违约金 / late fees accrued (fixed-sum damages)", required=True),
        "compound_interest": flag("the contract charges interest on unpaid interest"),
        "compound_excess": money("compounded interest above simple interest at the cap"),
        "interest_agreed": choice(
            "the contract has an interest clause (yes, no, unknown)", _YES_NO
        ),
        "interest_charged": flag("a rate above 0 or some interest is charged"),
        "undisclosed_total": money("total of fees the contract did not disclose", required=True),
        "damages_vs_loss": choice(
            "overdue interest + 违约金 against the estimated loss: above (more than 130 % of it), "
            "within (at most 130 %), or unknown (合同编通则解释 65)",
            ("above", "within", "unknown"),
        ),
        "creditor_may_have_changed": flag(
            "someone other than the contract lender may hold the debt now: a bank lending "
            "through a platform, a guarantee fee (担保代偿), or a lender or collector named as an "
            "asset-management, factoring or guarantee company"
        ),
        "projected_30": money("extra charges after 30 more days unpaid"),
        "projected_90": money("extra charges after 90 more days unpaid"),
        "projected_180": money("extra charges after 180 more days unpaid"),
        "contacts": integer("collection contacts recorded", required=True),
    },
    extras={
        "lender_name": extra("text", "the lender's name"),
        "contract_date": extra("date", "contract date"),
        "upfront_fees": extra(
            "money", "fees charged up front (taken from the principal or paid first)"
        ),
        "term_months": extra("int", "term in months"),
        "rate_tested": extra("rate", "the higher of the contract rate and the charged rate"),
        "cap_basis": extra("text", "why this cap applies"),
        "cap_note": extra("text", "caveats on the cap (LPR data age, transitional rule, …)"),
        "lpr_rate": extra("rate", "one-year LPR used"),
        "lpr_from": extra("date", "the LPR entry's effective date"),
        "lpr_on": extra("date", "the date the LPR was looked up for"),
        "cost_method": extra("text", "periodic, dated_irregular or assumed_level"),
        "cost_error": extra("text", "why the cost could not be computed"),
        "recognised_principal": extra("money", "principal the law recognises (money received)"),
        "interest_claimed": extra("money", "interest on the contract principal over the term"),
        "interest_recognised": extra("money", "interest on the money received over the term"),
        "claimed_total": extra("money", "contract principal + interest_claimed"),
        "owed_total": extra("money", "money received + interest_recognised"),
        "contract_charged": extra("money", "scheduled payments and fees − money received"),
        "contract_allowed": extra("money", "interest the cap allows on the schedule"),
        "claim_charges": extra("money", "repaid + outstanding − money received"),
        "claim_allowed": extra("money", "cap × money received × days since the contract"),
        "claim_days": extra("int", "days from the contract date to the case date"),
        "overdue_allowed": extra("money", "cap × outstanding principal × overdue days / 365"),
        "cap_base": extra("money", "outstanding principal the caps are applied to"),
        "penalty_interest": extra("money", "overdue interest accrued (or estimated)"),
        "penalty_estimated": extra("bool", "overdue interest estimated from the contract's rate"),
        "other_overdue_fees": extra("money", "other default charges (collection fees, …)"),
        "loss_estimate": extra("money", "interest at the contract rate for the overdue days"),
        "damages_total": extra("money", "overdue interest + 违约金"),
        "compound_charged": extra("money", "interest compounded at the contract's rate"),
        "compound_allowed": extra("money", "simple interest at the cap over the same time"),
        "compound_unknown": extra(
            "bool", "复利 charged, amount not stated: overdue charges and excess are lower bounds"
        ),
        "compound_note": extra("text", "says so after an excess when compound_unknown"),
        "outstanding_interest": extra("money", "interest the lender claims"),
        "projection_source": extra("text", "penalty_rate or contract_rate"),
    },
)

FEE = FactKind(
    name="fee",
    doc="One fee of one loan.",
    fields={
        "fee_kind": choice("what the fee is called", FeeKind),
        "timing": choice("upfront, periodic, on_overdue or one_off", FeeTiming),
        "disclosure": choice("the contract disclosed it: yes, no or unknown", _YES_NO),
        "amount": money("amount each time it is charged", required=True),
        "total": money("amount × times charged", required=True),
        "contingent": flag("owed only on default or an event (late fee, 违约金, collection, …)"),
        "to_platform": flag("collected by the platform (platform or consulting fee, or payee)"),
        "zhudai_rule_applies": flag(
            "bank loan via a platform contracted on or after 2025-10-01 (金规〔2025〕9号)"
        ),
        "lender_type": choice("who lends", LenderType),
        "regime": choice("cap regime of the loan", Regime),
    },
    extras={
        "lender_name": extra("text", "the lender's name"),
        "fee_name": extra("text", "the fee's usual Chinese name"),
        "payee": extra("text", "who collects it"),
        "count": extra("int", "times charged"),
        "contract_date": extra("date", "contract date of the loan"),
    },
)

KINDS = (LOAN, FEE)


def _r(value: Decimal | None) -> Decimal | None:
    """A rate rounded to the engine's precision (so data and tests agree), within ±10⁶."""
    if value is None:
        return None
    value = max(-_RATE_CEILING, min(_RATE_CEILING, value))
    q = value.quantize(_RATE_QUANTUM, rounding=ROUNDING)
    n = q.normalize()
    exponent = n.as_tuple().exponent
    return n if isinstance(exponent, int) and exponent <= 0 else q.quantize(Decimal(1))


def _loan_values(la: LoanAnalysis) -> tuple[dict[str, object], dict[str, object]]:
    loan = la.loan
    cap = la.caps.cap
    cost = la.price.cost
    rc = la.caps.contract_recompute
    up = la.terms.upfront
    values: dict[str, object] = {
        "lender_type": loan.lender_type.value,
        "regime": la.regime,
        "overdue_days": la.overdue_days,
        "owed": la.owed,
        "principal": loan.principal,
        "received": la.terms.received,
        "upfront_deducted": la.terms.upfront_deducted,
        "received_stated": loan.received is not None,
        "upfront_difference": la.terms.upfront.difference if la.terms.upfront else None,
        "nominal_rate": _r(la.terms.nominal_rate),
        "charged_rate": _r(la.terms.charged_rate),
        "rate_increase": _r(la.terms.rate_increase),
        "penalty_rate": _r(la.terms.penalty_rate),
        "overdue_daily_rate": _r(la.terms.overdue_daily_rate),
        "cap_rate": _r(cap.rate) if cap else None,
        "cap_upper_bound": bool(cap and cap.upper_bound),
        "cost_computable": cost is not None,
        "cost_simple": _r(cost.simple) if cost else None,
        "cost_compound": _r(cost.compound) if cost else None,
        "annual_cost": _r(la.price.annual_cost),
        "rate_excess_per_year": la.caps.rate_excess_per_year,
        "contract_excess": rc.excess if rc else None,
        "claim_excess": la.caps.claim_excess,
        "excess_over_cap": la.caps.excess_over_cap,
        "overdue_charges": la.overdue.overdue_charges,
        "overdue_excess": la.overdue.overdue_excess,
        "penalty_excess_per_year": la.caps.penalty_excess_per_year,
        "penalty_interest_charged": la.overdue.penalty_interest_charged,
        "default_damages": la.overdue.default_damages,
        "compound_interest": loan.compound_interest,
        "compound_excess": la.caps.compound_excess,
        "interest_agreed": (
            "unknown" if loan.interest_agreed is None else ("yes" if loan.interest_agreed else "no")
        ),
        "interest_charged": la.terms.interest_charged,
        "undisclosed_total": la.undisclosed_total,
        "projected_30": la.overdue.projected_extra.get(30),
        "projected_90": la.overdue.projected_extra.get(90),
        "projected_180": la.overdue.projected_extra.get(180),
        "contacts": len(la.collection.contacts),
        "damages_vs_loss": _damages_vs_loss(la),
        "creditor_may_have_changed": _creditor_may_have_changed(la),
    }
    extras: dict[str, object] = {
        "lender_name": loan.lender_name,
        "contract_date": loan.contract_date,
        "upfront_fees": la.terms.upfront_fees,
        "term_months": loan.term_months,
        "rate_tested": _r(la.terms.rate_tested),
        "cap_basis": cap.basis if cap else None,
        "cap_note": cap.note if cap else None,
        "lpr_rate": _r(cap.lpr_rate) if cap else None,
        "lpr_from": cap.lpr_from if cap else None,
        "lpr_on": cap.lpr_on if cap else None,
        "cost_method": la.price.cost_method,
        "cost_error": la.price.cost_error,
        "recognised_principal": la.terms.received,
        "interest_claimed": up.interest_claimed if up else None,
        "interest_recognised": up.interest_recognised if up else None,
        "claimed_total": up.claimed_total if up else None,
        "owed_total": up.owed_total if up else None,
        "contract_charged": rc.charged if rc else None,
        "contract_allowed": rc.allowed if rc else None,
        "claim_charges": la.caps.claim_charges,
        "claim_allowed": la.caps.claim_allowed,
        "claim_days": la.caps.claim_days,
        "overdue_allowed": la.overdue.overdue_allowed,
        "cap_base": la.caps.cap_base,
        "penalty_interest": la.overdue.penalty_interest,
        "penalty_estimated": la.overdue.penalty_interest_estimated,
        "other_overdue_fees": la.overdue.other_overdue_fees,
        "loss_estimate": la.overdue.loss_estimate,
        "damages_total": (la.overdue.penalty_interest or ZERO) + la.overdue.default_damages,
        "compound_charged": la.caps.compound_charged,
        "compound_allowed": la.caps.compound_allowed,
        "compound_unknown": la.caps.compound_unknown,
        "compound_note": _COMPOUND_NOTE if la.caps.compound_unknown else "",
        "outstanding_interest": loan.outstanding_interest,
        "projection_source": la.overdue.projection_rate_source,
    }
    for key, value in values.items():
        if isinstance(value, Decimal) and LOAN.fields[key].type is FieldType.MONEY:
            values[key] = min(value, MONEY_CEILING)
    return values, extras


#: Words in a lender's or collector's name that suggest the debt was sold or paid off by a
#: guarantor (债权转让, 担保代偿).
_HOLDER_WORDS = ("资产管理", "资产经营", "保理", "担保", "不良资产")

#: 合同编通则解释 第65条: damages more than 30 % above the loss are generally excessive.
_EXCESSIVE = load_parameters().decimal("damages_excess_ratio")


def _damages_vs_loss(la: LoanAnalysis) -> str:
    loss = la.overdue.loss_estimate
    if loss is None or loss <= 0:
        return "unknown"
    damages = (la.overdue.penalty_interest or ZERO) + la.overdue.default_damages
    return "above" if damages > loss * _EXCESSIVE else "within"


def _creditor_may_have_changed(la: LoanAnalysis) -> bool:
    loan = la.loan
    if loan.lender_type is LenderType.BANK_VIA_PLATFORM:
        return True
    if any(f.fee.kind is FeeKind.GUARANTEE for f in la.fees):
        return True
    names = [loan.lender_name] + [c.contact.collector or "" for c in la.collection.contacts]
    return any(w in n for n in names for w in _HOLDER_WORDS)


#: The revised 治安管理处罚法 (2025修订) applies to conduct from this day (the day it took effect,
#: from the citation register).
PSL_2025_FROM = load_register().effective("public-security-2025")


def derive(a: CaseAnalysis) -> Iterator[Fact]:
    for i, la in enumerate(a.loans):
        values, extras = _loan_values(la)
        yield Fact(kind="loan", id=f"loan-{i + 1}", subject=la.id, values=values, extras=extras)
    for i, la in enumerate(a.loans):
        for f in la.fees:
            fee = f.fee
            yield Fact(
                kind="fee",
                id=f"fee-{i + 1}-{f.index + 1}",
                subject=la.id,
                values={
                    "fee_kind": fee.kind.value,
                    "timing": fee.charged.value,
                    "disclosure": f.disclosure,
                    "amount": min(fee.amount, MONEY_CEILING),
                    "total": min(f.total, MONEY_CEILING),
                    "contingent": f.contingent,
                    "to_platform": f.to_platform,
                    "zhudai_rule_applies": la.zhudai_rule_applies,
                    "lender_type": la.loan.lender_type.value,
                    "regime": la.regime,
                },
                extras={
                    "lender_name": la.loan.lender_name,
                    "fee_name": fee.description or _FEE_ZH[fee.kind],
                    "payee": fee.payee,
                    "count": f.count,
                    "contract_date": la.loan.contract_date,
                },
            )
