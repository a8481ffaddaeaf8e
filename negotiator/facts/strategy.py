"""Strategy facts: the case-wide plan (one) and the offer to each lender (one per lender owed).

``plan`` carries what decides which methods to recommend (outlook, affordability, proof of
hardship, number of lenders, how the talks went); ``offer`` carries one lender's share of the
monthly amount, the payments it needs and the charges one can ask that lender to waive.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis import CaseAnalysis
from ..analysis.plan import HardshipProof, LenderOffer, OfferEvaluation, PlanAnalysis
from ..case.models import LawsuitStatus
from ..money import format_amount
from ..vocab import penalty_word
from .case import OUTLOOKS
from .schema import Fact, FactKind, choice, extra, flag, integer, money
from .wording import COST_BASIS, EVIDENCE, HARDSHIP, gap_texts, label, labels, percent

__all__ = ["KINDS", "OFFER", "PLAN", "derive"]

_PROOF = tuple(p.value for p in HardshipProof)
_MODES = ("propose", "counter", "keep")

PLAN = FactKind(
    name="plan",
    doc="What the strategies are judged on, case-wide (one per case).",
    fields={
        "outlook": choice("short_term, long_term or unknown", OUTLOOKS),
        "budget_known": flag("income and essential expenses are both given"),
        "affordable_monthly": money("what a plan may ask per month in total", required=True),
        "total_owed": money("what the lenders claim now, in total", required=True),
        "lump_sum": money("partial lump sum the savings allow (0: none)", required=True),
        "lump_covers": flag("the lump sum settles the whole debt"),
        "instalments": integer("monthly payments of the affordable amount that clear the debt"),
        "fits_typical": flag("the debt clears within `instalments_typical_max` payments"),
        "fits_max": flag("the debt clears within `instalments_max` payments"),
        "hardship_proof": choice("none_claimed, complete or incomplete", _PROOF),
        "lenders": integer("distinct lenders still owed something", required=True),
        "costs_known": flag("every lender's cost is known well enough to order them"),
        "any_not_due": flag("some loan still owed is not overdue yet"),
        "recovery_months": integer("months until the hardship is expected to end"),
        "refused_offers": integer("offers or requests the lenders refused", required=True),
        "lawsuit": choice("none, threatened, filed or judgment", LawsuitStatus),
        "no_capacity": flag("nothing affordable, nothing to spare, no recovery in sight"),
    },
    extras={
        "instalments_after_lump": extra("int", "payments needed after the lump sum"),
        "instalments_typical_max": extra("int", "parameter: ordinary longest plan"),
        "instalments_max": extra("int", "parameter: longest plan proposed at all"),
        "max_payable": extra("money", "affordable amount × the longest plan"),
        "reduction_needed": extra("money", "what must be waived for the longest plan to clear it"),
        "lump_lender": extra("text", "the lender the lump sum goes to first"),
        "emergency_reserve": extra("money", "savings kept back for emergencies"),
        "savings": extra("money", "savings and liquid assets"),
        "first_lender": extra("text", "the costliest lender, dealt with first"),
        "first_cost": extra("text", "its cost, annualised"),
        "order_zh": extra("list", "lenders, costliest first (Chinese)"),
        "order_en": extra("list", "lenders, costliest first (English)"),
        "cost_unknown": extra("list", "lenders whose cost is unknown"),
        "hardships_zh": extra("list", "the hardships claimed (Chinese)"),
        "hardships_en": extra("list", "the hardships claimed (English)"),
        "evidence_zh": extra("list", "proof held (Chinese)"),
        "evidence_en": extra("list", "proof held (English)"),
        "proof_missing_zh": extra("list", "proof still missing (Chinese)"),
        "proof_missing_en": extra("list", "proof still missing (English)"),
        "short_term_months": extra("int", "parameter: the short-term horizon in months"),
    },
)

OFFER = FactKind(
    name="offer",
    doc="What to propose to one lender (one per lender still owed; costliest first).",
    fields={
        "overdue": flag("this loan is overdue"),
        "owed": money("what this lender claims now", required=True),
        "monthly": money("this lender's share of the affordable monthly amount", required=True),
        "instalments": integer("payments of that share that clear this loan"),
        "fits_typical": flag("this loan clears within `instalments_typical_max` payments"),
        "fits_max": flag("this loan clears within `instalments_max` payments"),
        "waivable": money("known overdue charges one can ask to waive", required=True),
        "charges_known": flag("penalty interest and late fees so far are known"),
        "hardship_proof": choice("none_claimed, complete or incomplete", _PROOF),
        "cost_rank": integer("1 for the costliest lender", required=True),
        "lenders": integer("distinct lenders still owed something", required=True),
        "mode": choice(
            "propose (a new plan), counter (an offer is on the table), keep (signed)", _MODES
        ),
        "proposal_total": money("what to propose in all (≤ the lawful balance)", required=True),
        "capped_at_lawful": flag("the proposal total was cut to the lawful balance"),
        "table_total": money("the total the lender's proposal asks"),
        "table_affordable": flag("the lender's largest instalment fits this lender's budget share"),
        "budget_known": flag("income and essential spending are known, so affordability is judged"),
        "table_waived": money("the waiver already in the lender's proposal"),
        "table_above_claimed": money("yuan the lender's proposal asks above the claimed balance"),
        "table_above_lawful": money("yuan the lender's proposal asks above the lawful balance"),
        "below_usual_minimum": flag(
            "the plan's regular instalment to this licensed lender is below "
            "`instalment_usual_minimum`"
        ),
        "beyond_usual_term": flag(
            "the plan for this licensed lender needs more than `instalments_max` payments"
        ),
    },
    extras={
        "loan": extra("text", "the loan's id"),
        "usual_minimum": extra("money", "parameter: the usual minimum instalment"),
        "regular_instalment": extra("money", "the plan's regular instalment to this lender"),
        "offer_zh": extra("text", "the proposal as 前N期X元、末期Y元"),
        "offer_en": extra("text", "the proposal in English"),
        "table_offer_zh": extra("text", "the lender's proposal as 前N期X元、末期Y元"),
        "table_offer_en": extra("text", "the lender's proposal in English"),
        "table_excess_zh": extra(
            "text", "（by how much the lender's total is too high: non-zero parts）, or empty"
        ),
        "table_excess_en": extra("text", "the same in English"),
        "share": extra("money", "this lender's share of the monthly budget (whole yuan)"),
        "lawful_total": extra("money", "what is recoverable at law (at most)"),
        "lender_name": extra("text", "the lender's name"),
        "penalty_interest": extra("money", "penalty interest so far"),
        "late_fees": extra("money", "late fees so far"),
        "collection_fees": extra("money", "collection costs charged"),
        "affordable_monthly": extra("money", "the affordable amount for all lenders together"),
        "cost": extra("text", "the loan's cost, annualised, and what it rests on"),
        "instalments_typical_max": extra("int", "parameter: ordinary longest plan"),
        "instalments_max": extra("int", "parameter: longest plan proposed at all"),
        "evidence_zh": extra("list", "proof held (Chinese)"),
        "evidence_en": extra("list", "proof held (English)"),
        "proof_missing_zh": extra("list", "proof still missing (Chinese)"),
        "proof_missing_en": extra("list", "proof still missing (English)"),
        "hardships_zh": extra("list", "the hardships claimed (Chinese)"),
        "hardships_en": extra("list", "the hardships claimed (English)"),
        "penalty_word_zh": extra(
            "text", "what overdue interest is called: 逾期利息 (private) or 罚息"
        ),
        "penalty_word_en": extra("text", "what overdue interest is called (English)"),
    },
)

KINDS = (PLAN, OFFER)


def _cost_text(o: LenderOffer, lang: str) -> str:
    basis = label(COST_BASIS, o.cost.basis.value, lang)
    if o.cost.rate is None:
        return basis
    return (
        f"{percent(o.cost.rate)}（{basis}）"
        if lang == "zh"
        else f"{percent(o.cost.rate)} ({basis})"
    )


def _table_text(t: OfferEvaluation | None, lang: str) -> str | None:
    if t is None:
        return None
    if t.offer is not None:
        return t.offer.text(lang)
    if t.count and t.largest is not None:
        return (
            f"分{t.count}期、每期最多{format_amount(t.largest)}"
            if lang != "en"
            else f"{t.count} instalments of at most {format_amount(t.largest, 'en')}"
        )
    return "每期金额和期数没有写明" if lang != "en" else "instalments not stated"


def _excess_text(t: OfferEvaluation | None, lang: str) -> str:
    """By how much the lender's total is too high, naming only the parts that are not zero."""
    if t is None:
        return ""
    zh = lang != "en"
    parts = []
    if t.above_lawful > 0:
        amount = format_amount(t.above_lawful, lang)
        parts.append(f"高出法律支持部分{amount}" if zh else f"{amount} above what the law supports")
    if t.above_claimed > 0:
        amount = format_amount(t.above_claimed, lang)
        parts.append(
            f"高出对方自己主张的余额{amount}" if zh else f"{amount} above the lender's own claim"
        )
    if not parts:
        return ""
    return f"（{'；'.join(parts)}）" if zh else f" ({'; '.join(parts)})"


def _order(p: PlanAnalysis, lang: str) -> list[str]:
    sep = "：" if lang == "zh" else ": "
    return [
        f"{o.cost.rank}. {o.loan_id} {o.lender_name}{sep}{_cost_text(o, lang)}" for o in p.offers
    ]


def _hardship_extras(p: PlanAnalysis) -> dict[str, list[str]]:
    kinds = list(dict.fromkeys(h.kind.value for h in p.prospects.hardships))
    held = list(dict.fromkeys(e for h in p.prospects.hardships for e in h.held))
    missing = [g for h in p.prospects.hardships for g in h.missing]
    out: dict[str, list[str]] = {}
    for lang in ("zh", "en"):
        out[f"hardships_{lang}"] = labels(HARDSHIP, kinds, lang)
        out[f"evidence_{lang}"] = labels(EVIDENCE, held, lang)
        out[f"proof_missing_{lang}"] = list(dict.fromkeys(gap_texts(missing, lang)))
    return out


def derive(a: CaseAnalysis) -> Iterator[Fact]:
    p = a.plan
    hardship = _hardship_extras(p)
    first = p.offers[0] if p.offers else None
    yield Fact(
        kind="plan",
        id="plan",
        subject="case",
        values={
            "outlook": p.prospects.outlook.value,
            "budget_known": a.budget.known,
            "affordable_monthly": p.capacity.affordable_monthly,
            "total_owed": p.situation.total_owed,
            "lump_sum": p.capacity.lump_sum,
            "lump_covers": p.capacity.lump_sum > 0
            and p.capacity.lump_sum >= p.situation.total_owed,
            "instalments": p.capacity.instalments,
            "fits_typical": p.capacity.fits_typical,
            "fits_max": p.capacity.fits_max,
            "hardship_proof": p.prospects.hardship_proof.value,
            "lenders": p.situation.lenders,
            "costs_known": p.situation.costs_known,
            "any_not_due": p.situation.any_not_due,
            "recovery_months": p.prospects.recovery_months,
            "refused_offers": p.situation.refused_offers,
            "lawsuit": p.situation.lawsuit.value,
            "no_capacity": p.prospects.no_capacity,
        },
        extras={
            "instalments_after_lump": p.capacity.instalments_after_lump,
            "instalments_typical_max": p.capacity.instalments_typical_max,
            "instalments_max": p.capacity.instalments_max,
            "max_payable": p.capacity.max_payable,
            "reduction_needed": p.capacity.reduction_needed,
            "lump_lender": p.capacity.lump_lender,
            "emergency_reserve": a.budget.savings.emergency_reserve,
            "savings": a.budget.savings.savings,
            "first_lender": f"{first.loan_id} {first.lender_name}" if first else None,
            "first_cost": percent(first.cost.rate) if first else None,
            "order_zh": _order(p, "zh"),
            "order_en": _order(p, "en"),
            "cost_unknown": [
                f"{o.loan_id} {o.lender_name}" for o in p.offers if o.cost.basis.value == "unknown"
            ],
            **hardship,
            "short_term_months": p.prospects.short_term_months,
        },
    )
    minimum = a.params.decimal("instalment_usual_minimum")
    for o in p.offers:
        t = o.on_table
        licensed = o.lender_type != "private"
        # the regular instalment of a plan of two or more payments (a single payment clears it)
        regular = o.offer.monthly if o.offer is not None and o.offer.count > 1 else None
        yield Fact(
            kind="offer",
            id=f"offer-{o.cost.rank}",
            subject=o.loan_id,
            values={
                "overdue": o.overdue,
                "owed": o.owed,
                # this lender's monthly share now; when nothing is affordable now but the plan
                # schedules payments after an expected income arrives, its first instalment
                "monthly": (
                    o.schedule.rows[0].amount
                    if o.share.monthly <= 0 and o.schedule is not None and o.schedule.estimated
                    else o.share.monthly
                ),
                "instalments": o.share.instalments,
                "fits_typical": o.share.instalments is not None
                and o.share.instalments <= p.capacity.instalments_typical_max,
                "fits_max": o.share.instalments is not None
                and o.share.instalments <= p.capacity.instalments_max,
                "waivable": o.charges.waivable,
                "charges_known": o.charges.known,
                "hardship_proof": p.prospects.hardship_proof.value,
                "cost_rank": o.cost.rank,
                "lenders": p.situation.lenders,
                "mode": o.mode,
                "proposal_total": o.proposal_total,
                "capped_at_lawful": o.capped_at_lawful,
                "table_total": t.total if t else None,
                "table_affordable": bool(t and t.affordable),
                "budget_known": a.budget.known,
                "table_waived": t.waived if t else None,
                "table_above_claimed": t.above_claimed if t else None,
                "table_above_lawful": t.above_lawful if t else None,
                "below_usual_minimum": licensed
                and o.mode != "keep"
                and regular is not None
                and regular < minimum,
                "beyond_usual_term": licensed
                and o.mode == "propose"
                and o.share.instalments is not None
                and o.share.instalments > p.capacity.instalments_max,
            },
            extras={
                "loan": o.loan_id,
                "offer_zh": o.text("zh-Hans"),
                "offer_en": o.text("en"),
                "table_offer_zh": _table_text(t, "zh-Hans"),
                "table_offer_en": _table_text(t, "en"),
                "table_excess_zh": _excess_text(t, "zh-Hans"),
                "table_excess_en": _excess_text(t, "en"),
                "share": o.on_table.share if o.on_table else o.share.monthly,
                "lawful_total": o.lawful_total,
                "lender_name": o.lender_name,
                "penalty_interest": o.charges.penalty_interest,
                "late_fees": o.charges.late_fees,
                "collection_fees": o.charges.collection_fees,
                "affordable_monthly": p.capacity.affordable_monthly,
                "cost": percent(o.cost.rate),
                "instalments_typical_max": p.capacity.instalments_typical_max,
                "instalments_max": p.capacity.instalments_max,
                **hardship,
                "usual_minimum": minimum,
                "regular_instalment": regular,
                "penalty_word_zh": penalty_word(o.lender_type, "zh-Hans"),
                "penalty_word_en": penalty_word(o.lender_type, "en"),
            },
        )
