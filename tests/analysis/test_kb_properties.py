"""Invariants of the knowledge base, on generated cases (one line of domain meaning each)."""

from __future__ import annotations

from decimal import Decimal

import attrs
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from kb_cases import cases, yuan

from negotiator.analysis import analyse
from negotiator.analysis.checklist import CHECKLIST_ITEMS
from negotiator.api import evaluate
from negotiator.case.models import Case, EvidenceKind

PREP_CODES = {
    "PREP_DEBT_DETAILS",
    "PREP_BUDGET",
    "PREP_HARDSHIP_EVIDENCE",
    "PREP_DOCUMENTS",
    "PREP_PLAN",
    "PREP_OFFICIAL_CHANNEL",
    "PREP_CONDUCT",
    "PREP_KEEP_RECORDS",
}
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _strategies(case: Case) -> set[tuple[str, str]]:
    ev = evaluate(case, evaluator="oracle")
    return {(f.code, f.subject) for f in ev.findings if f.category == "strategy"}


@SETTINGS
@given(cases())
def test_every_case_gets_at_least_one_situation(case):
    ev = evaluate(case, evaluator="oracle")
    assert any(f.code.startswith("SITUATION_") for f in ev.findings)


@SETTINGS
@given(cases())
def test_each_checklist_item_appears_once_with_done_or_exactly_what_is_missing(case):
    ev = evaluate(case, evaluator="oracle")
    prep = [f for f in ev.findings if f.category == "preparation"]
    assert sorted(f.code for f in prep) == sorted(PREP_CODES)
    assert sorted(f.subject for f in prep) == sorted(CHECKLIST_ITEMS)
    for f in prep:
        assert f.status in ("done", "missing")
        # "missing" always says what is missing, in both languages; "done" lists nothing
        assert (f.status == "missing") == bool(f.data["missing"]), f.rule
        if f.status == "missing":
            assert len(f.data["missing_zh"]) == len(f.data["missing_en"]) == len(f.data["missing"])


@SETTINGS
@given(cases())
def test_no_strategy_asks_more_per_month_than_the_budget_bears(case):
    ev = evaluate(case, evaluator="oracle")
    affordable = ev.analysis.budget.affordable_monthly
    monthly = [
        Decimal(f.data["monthly"])
        for f in ev.findings
        if f.category == "strategy" and "monthly" in f.data
    ]
    for amount in monthly:
        assert Decimal(0) < amount <= affordable
    # the lenders' shares together are exactly the affordable amount, never more
    shares = sum((o.share.monthly for o in ev.analysis.plan.offers), Decimal(0))
    assert shares <= affordable
    if ev.analysis.plan.offers and affordable > 0:
        assert shares == affordable


@SETTINGS
@given(cases())
def test_a_lump_sum_never_touches_the_emergency_reserve(case):
    a = analyse(case)
    b = a.budget
    assert a.plan.capacity.lump_sum <= max(
        Decimal(0), b.savings.savings - b.savings.emergency_reserve
    )
    assert a.plan.capacity.lump_sum <= a.plan.situation.total_owed
    assert sum((o.share.lump_sum for o in a.plan.offers), Decimal(0)) == a.plan.capacity.lump_sum


@SETTINGS
@given(cases(), yuan(0, 20_000))
def test_raising_income_never_makes_the_plan_less_affordable(case, raise_by):
    b = case.borrower
    assume(b.monthly_income is not None)
    richer = attrs.evolve(
        case, borrower=attrs.evolve(b, monthly_income=b.monthly_income + raise_by)
    )
    before, after = analyse(case), analyse(richer)
    assert after.budget.affordable_monthly >= before.budget.affordable_monthly
    if before.plan.capacity.instalments is not None:
        assert after.plan.capacity.instalments is not None
        assert after.plan.capacity.instalments <= before.plan.capacity.instalments


@SETTINGS
@given(cases(), st.data())
def test_adding_hardship_evidence_never_removes_a_recommended_strategy(case, data):
    hardships = case.borrower.hardships
    assume(hardships)
    i = data.draw(st.integers(0, len(hardships) - 1))
    extra = data.draw(st.sampled_from(EvidenceKind))
    assume(extra not in hardships[i].evidence)
    more = list(hardships)
    more[i] = attrs.evolve(hardships[i], evidence=(*hardships[i].evidence, extra))
    richer = attrs.evolve(case, borrower=attrs.evolve(case.borrower, hardships=tuple(more)))
    assert _strategies(case) <= _strategies(richer)


@SETTINGS
@given(cases())
def test_the_two_evaluators_agree_on_generated_cases(case):
    durable = evaluate(case, evaluator="durable")
    oracle = evaluate(case, evaluator="oracle")
    assert [f.to_json() for f in durable.findings] == [f.to_json() for f in oracle.findings]
