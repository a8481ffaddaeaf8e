"""Complaint routing follows from fired findings alone (docs/engine.md, "Two passes").

* the ``complaint`` facts are built from the first pass's fee, collection and scam findings
  whose rules name a ``ground``, and every serious such rule either names one or is listed
  here as deliberately not a ground;
* the second pass runs only when a finding is a ground for a complaint, and both evaluators
  (and the cut-down complaint rule set) give the same findings;
* the complaint letter, the loans chosen for complaints and the request to reconsider name
  exactly the bodies the fired channel rules name.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
from engine_support import random_facts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiator import advise, render_letter
from negotiator.api import complaint_grounds, complaint_rules, evaluate
from negotiator.documents.complaint import (
    ADDRESSEES,
    CHANNEL_CODE,
    LETTER_ADDRESSEES,
    complaint_routes,
)
from negotiator.engine import Activation, EngineFacts, Evaluator, new_evaluator, prepare_facts
from negotiator.engine.base import fnv1a32
from negotiator.errors import InputError
from negotiator.facts import KINDS, derive_complaints
from negotiator.findings import Finding
from negotiator.ruleset.loader import RuleSet, load_rules

RULES = load_rules()
ROOT = Path(__file__).resolve().parents[2]

#: Serious findings of the fee, collection and scam rules that are deliberately not a ground
#: for a complaint to a regulator: each says why.
NOT_GROUNDS = {
    # a scam sign that is reported to the police or verified with the lender, not a
    # complaint about the lender's conduct of the loan
    "scam.personal-account.contacts": "a collector's demand: verify with the lender, report fraud",
    "scam.personal-account.notes": "read from free text",
    "scam.deposit.contacts": "a collector's demand: verify with the lender, report fraud",
    "scam.deposit.notes": "read from free text",
    "scam.deposit.paid": "money paid outside any agreement: a fraud report",
    "scam.deposit.demanded": "money asked outside any agreement: a fraud report",
    "scam.verification-code.agreement": "a fraud sign, for the police",
    "scam.verification-code.contacts": "a fraud sign, for the police",
    "scam.verification-code.notes": "read from free text",
    "scam.debt-agent.notes": "read from free text",
}

SERIOUS = {"warning", "violation"}


def test_every_serious_fee_collection_and_scam_rule_names_a_ground_or_says_why_not() -> None:
    grounded = {r.id for r in RULES.rules if r.ground is not None}
    serious = {
        r.id
        for r in RULES.rules
        if r.category in ("fee", "collection", "scam") and r.severity in SERIOUS
    }
    assert serious - grounded - set(NOT_GROUNDS) == set(), (
        "give each a `ground` (or list it in NOT_GROUNDS here, saying why)"
    )
    assert not grounded & set(NOT_GROUNDS)
    assert set(NOT_GROUNDS) <= set(RULES.index)


def test_rules_of_one_problem_word_it_alike() -> None:
    """Two wordings of one problem in one language would list it twice in a complaint."""
    words: dict[str, set[tuple[str, str]]] = {}
    for rule in RULES.rules:
        if rule.ground is not None:
            zh, en = rule.ground.words["zh-Hans"], rule.ground.words["en"]
            words.setdefault(zh, set()).add((rule.ground.problem, en))
    assert all(len(v) == 1 for v in words.values()), words


def test_a_ground_is_refused_outside_fee_collection_and_scam_rules() -> None:
    from negotiator.errors import RuleFileError
    from negotiator.ruleset.loader import load_ruleset_from

    text = (ROOT / "rules" / "complaint.toml").read_text(encoding="utf-8")
    bad = text.replace(
        'about = "complaint"\n',
        'about = "complaint"\nground = { problem = "charges", zh-Hans = "多收", en = "x" }\n',
        1,
    )
    with pytest.raises(RuleFileError, match="ground"):
        load_ruleset_from([("complaint.toml", bad)])
    text = (ROOT / "rules" / "fees.toml").read_text(encoding="utf-8")
    bad = text.replace('ground = { problem = "charges"', 'ground = { problem = "fees"', 1)
    with pytest.raises(RuleFileError, match=r"ground\.problem"):
        load_ruleset_from([("fees.toml", bad)])


def test_every_channel_rule_either_names_a_body_or_only_advises() -> None:
    channel_rules = {r.id for r in RULES.rules if r.code == CHANNEL_CODE}
    assert set(ADDRESSEES) <= channel_rules
    advice_only = {
        "complaint.lender-first",
        "complaint.pboc-12363",
        "complaint.private-collection",
        "complaint.private-collection-2012",
        "complaint.private-charges",
    }
    assert channel_rules - set(ADDRESSEES) == advice_only


def test_the_complaint_rule_set_is_small_and_only_reads_complaint_facts() -> None:
    cut = complaint_rules(RULES)
    assert {r.about for r in cut.rules} == {"complaint"}
    assert len(cut.rules) == len(RULES.for_kind("complaint")) < 20
    # no rule overrides across the passes: each pass's overrides are complete on their own
    complaint_ids = {r.id for r in cut.rules}
    for rule in RULES.rules:
        assert (rule.id in complaint_ids) or not complaint_ids & set(rule.overrides)
        assert (rule.id not in complaint_ids) or not (set(rule.overrides) - complaint_ids)


# ---------------------------------------------------------------------------------------------
# The second pass: when it runs, and that the evaluators agree on it
# ---------------------------------------------------------------------------------------------


class Counting:
    """An evaluator that counts its evaluations (and delegates to the oracle)."""

    name = "counting"

    def __init__(self, ruleset: RuleSet) -> None:
        self.inner = new_evaluator(ruleset, "oracle")
        self.calls: list[set[str]] = []

    def evaluate(self, facts: EngineFacts) -> list[Activation]:
        self.calls.append({str(r["kind"]) for r in facts.records})
        return self.inner.evaluate(facts)


def _case(**loan: Any) -> dict[str, Any]:
    base = {"lender_name": "某某消费金融有限公司", "lender_type": "consumer_finance"}
    base.update({"principal": "8000", "overdue_since": "2025-07-01"})
    return {"as_of": "2025-09-01", "borrower": {}, "loans": [base | loan]}


NIGHT_CALL = {"at": "2025-08-03T23:10:00", "channel": "phone"}


def test_the_second_pass_runs_only_when_there_is_something_to_complain_about() -> None:
    quiet = Counting(RULES)
    ev = evaluate(_case(), evaluator=quiet)
    assert len(quiet.calls) == 1 and "complaint" not in quiet.calls[0]
    assert not [f for f in ev.findings if f.category == "complaint"]

    busy = Counting(RULES)
    ev = evaluate(_case(collection_contacts=[NIGHT_CALL]), evaluator=busy)
    assert len(busy.calls) == 2
    assert "complaint" not in busy.calls[0] and busy.calls[1] == {"complaint"}
    assert {f.rule for f in ev.findings if f.code == CHANNEL_CODE} == {
        "complaint.lender-first",
        "complaint.nfra-12378",
        "complaint.nifa",
    }
    # the trace holds both passes' activations
    assert {rule for rule, _fact in ev.fired} >= {"collection.quiet-hours", "complaint.nifa"}


def test_findings_stay_in_reading_order_across_the_two_passes() -> None:
    report = advise(_case(collection_contacts=[NIGHT_CALL]))
    categories = [f.category for f in report.findings]
    assert "complaint" in categories
    last = max(i for i, c in enumerate(categories) if c == "complaint")
    first = min(i for i, c in enumerate(categories) if c == "complaint")
    assert all(c == "complaint" for c in categories[first : last + 1])


COMPLAINT_ONLY = complaint_rules(RULES)
SMALL = {name: new_evaluator(COMPLAINT_ONLY, name) for name in ("durable", "oracle")}
FULL = {name: new_evaluator(RULES, name) for name in ("durable", "oracle")}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32))
def test_the_complaint_rule_set_gives_the_full_rule_sets_activations(seed: int) -> None:
    only = RuleSet(rules=COMPLAINT_ONLY.rules, kinds={"complaint": KINDS["complaint"]})
    facts = random_facts(random.Random(seed), only, {})
    prepared = prepare_facts(facts, COMPLAINT_ONLY)
    expected = FULL["oracle"].evaluate(prepare_facts(facts, RULES))
    assert SMALL["durable"].evaluate(prepared) == SMALL["oracle"].evaluate(prepared) == expected
    assert FULL["durable"].evaluate(prepare_facts(facts, RULES)) == expected


LENDERS = ["bank", "consumer_finance", "bank_via_platform", "microloan", "private", "other"]
CONDUCT = ["threat", "violence", "insult", "disclosed_debt", "collection_fee_demanded"]


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    loans = []
    for i in range(draw(st.integers(1, 2))):
        loan: dict[str, Any] = {
            "id": f"L{i + 1}",
            "lender_name": draw(st.sampled_from(["某某消费金融有限公司", "周某", "某某信息咨询"])),
            "lender_type": draw(st.sampled_from(LENDERS)),
            "principal": "10000",
            "contract_date": "2025-01-10",
            "overdue_since": "2025-07-01",
        }
        if draw(st.booleans()):
            loan["received"] = draw(st.sampled_from(["10000", "9000"]))
        if draw(st.booleans()):
            loan["rate"] = {"value": draw(st.sampled_from(["0.12", "0.30"])), "unit": "annual"}
            loan["interest_agreed"] = draw(st.sampled_from([True, False]))
            loan["term_months"] = 12
        if draw(st.booleans()):
            penalty = draw(st.sampled_from(["0.18", "0.36"]))
            loan["penalty_rate"] = {"value": penalty, "unit": "annual"}
            loan["outstanding_principal"] = "6000"
        contacts = []
        for _ in range(draw(st.integers(0, 2))):
            day = draw(st.sampled_from(["2025-08-03", "2026-02-03"]))
            hour = draw(st.sampled_from(["10", "23"]))
            contacts.append(
                {
                    "at": f"{day}T{hour}:10:00",
                    "channel": draw(st.sampled_from(["phone", "visit"])),
                    "target": draw(st.sampled_from(["borrower", "relative"])),
                    "conduct": draw(st.lists(st.sampled_from(CONDUCT), max_size=2, unique=True)),
                }
            )
        loan["collection_contacts"] = contacts
        loans.append(loan)
    case: dict[str, Any] = {
        "as_of": "2026-03-01",
        "borrower": {},
        "loans": loans,
        "lawsuit": draw(st.sampled_from(["none", "filed"])),
    }
    if draw(st.booleans()):
        agreement: dict[str, Any] = {"form": "chat", "loan": "L1"}
        if draw(st.booleans()):
            agreement["repayment_account"] = "personal"
            agreement["account_holder"] = "王某"
        if draw(st.booleans()):
            agreement["deposit_required"] = "500"
        if draw(st.booleans()):
            agreement["intermediary"] = "某某债务优化公司"
        case["agreement"] = agreement
    return case


def _json(findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
    return [f.to_json() for f in findings]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_both_evaluators_route_generated_cases_alike_and_letters_follow(
    case: dict[str, Any],
) -> None:
    durable = evaluate(case, evaluator="durable", as_of=dt.date(2026, 3, 1))
    oracle = evaluate(case, evaluator="oracle", as_of=dt.date(2026, 3, 1))
    assert _json(durable.findings) == _json(oracle.findings)
    # the same object evaluating both passes (an evaluator given by the caller) agrees too
    own: Evaluator = new_evaluator(RULES, "oracle")
    assert _json(evaluate(case, evaluator=own, as_of=dt.date(2026, 3, 1)).findings) == _json(
        durable.findings
    )
    for loan_id in durable.analysis.loan_ids:
        routes = complaint_routes(durable.findings, loan_id)
        named = {
            ADDRESSEES[f.rule]
            for f in durable.findings
            if f.rule in ADDRESSEES and f.subject in (loan_id, "case")
        }
        assert set(routes) == named
        try:
            text = render_letter("complaint", case, loan=loan_id, evaluation=durable, lang="en")
        except InputError as exc:
            assert not LETTER_ADDRESSEES & set(routes), exc
            continue
        assert LETTER_ADDRESSEES & set(routes)
        assert isinstance(text, str)


# ---------------------------------------------------------------------------------------------
# What the facts hold, and what the letters say
# ---------------------------------------------------------------------------------------------


def _complaints(case: dict[str, Any]) -> dict[str, dict[str, Any]]:
    ev = evaluate(case, evaluator="oracle")
    facts = derive_complaints(ev.analysis, complaint_grounds(RULES, ev.findings))
    return {f.id: {**f.values, **f.extras} for f in facts}


def test_threats_are_a_collection_problem_and_a_fact_for_the_police() -> None:
    threat = {"at": "2025-08-12T14:00:00", "channel": "visit", "conduct": ["threat"]}
    facts = _complaints(_case(collection_contacts=[threat]))
    assert facts["complaint-1-collection"]["issues_en"] == [
        "threats, violence, confinement or stalking"
    ]
    assert facts["complaint-1-collection"]["has_collection"] is True
    assert facts["complaint-1-threats"]["has_collection"] is False
    routes = complaint_routes(advise(_case(collection_contacts=[threat])).findings, "L1")
    assert routes == ("police_110", "nfra_12378", "nifa")


def test_a_private_lenders_night_calls_are_named_harassment() -> None:
    case = _case(lender_type="private", lender_name="周某", collection_contacts=[NIGHT_CALL])
    facts = _complaints(case)
    assert facts["complaint-1-collection"]["issues_en"] == [
        "repeated calls or messages disturbing daily life"
    ]


def test_an_overdue_rate_above_24_percent_is_a_ground_for_12378() -> None:
    case = _case(
        principal="10000",
        received="10000",
        contract_date="2025-01-10",
        rate={"value": "0.12", "unit": "annual"},
        interest_agreed=True,
        term_months=12,
        outstanding_principal="6000",
        penalty_rate={"value": "0.36", "unit": "annual"},
        penalty_interest="10",
    )
    facts = _complaints(case)
    assert facts["complaint-1-charges"]["issues_en"] == ["overdue rate above the cap"]
    out = render_letter("complaint", case)
    assert isinstance(out, str)
    assert "致：国家金融监督管理总局【请填写：省、市】监管局" in out


def test_a_demand_to_pay_a_personal_account_is_a_ground_for_12378() -> None:
    case = _case(id="L1")
    case["agreement"] = {
        "form": "chat",
        "loan": "L1",
        "repayment_account": "personal",
        "account_holder": "王某",
    }
    facts = _complaints(case)
    assert facts["complaint-1-payment_demand"]["has_payment_demand"] is True
    assert facts["complaint-1-payment_demand"]["issues_zh"] == ["要求把还款转入个人账户"]
    out = render_letter("complaint", case)
    assert isinstance(out, str)
    assert "致：国家金融监督管理总局【请填写：省、市】监管局" in out
    assert "王某名下的个人账户" in out


def test_a_paid_agent_alone_has_no_complaint_letter_to_a_regulator() -> None:
    case = _case()
    case["agreement"] = {"form": "chat", "intermediary": "某某债务优化公司"}
    report = advise(case)
    assert [f.rule for f in report.by_code(CHANNEL_CODE)] == ["complaint.debt-agent"]
    assert complaint_routes(report.findings, "L1") == ("samr_12315",)
    with pytest.raises(InputError, match="no fee or collection problem"):
        render_letter("complaint", case)


def test_an_unlicensed_lenders_complaint_checks_its_licence_with_the_local_regulator() -> None:
    case = _case(lender_type="other", lender_name="某某信息咨询有限公司", received="7000")
    report = advise(case)
    assert "complaint.unlicensed-lender" in {f.rule for f in report.findings}
    assert complaint_routes(report.findings, "L1") == ("local_finance",)
    out = render_letter("complaint", case)
    assert isinstance(out, str)
    assert "致：【请填写：省、市】地方金融管理局" in out
    assert "核查被投诉人是否具有从事放贷业务的资质" in out


def test_the_request_to_reconsider_names_the_fired_channels() -> None:
    refusal = {
        "date": "2025-08-20",
        "kind": "borrower_offer",
        "channel": "phone",
        "loan": "L1",
        "outcome": "refused",
    }
    case = _case(id="L1", collection_contacts=[NIGHT_CALL]) | {"history": [refusal]}
    out = render_letter("reconsider_request", case)
    assert isinstance(out, str)
    nfra = "国家金融监督管理总局派出机构（金融消费者投诉热线12378）"
    assert f"{nfra}、中国互联网金融协会举报平台" in out
    quiet = _case(id="L1") | {"history": [refusal]}
    out = render_letter("reconsider_request", quiet)
    assert isinstance(out, str)
    assert "12378" not in out


def test_complaint_fact_ids_do_not_collide() -> None:
    ids = [f"complaint-{i}-{p}" for i in range(1, 1000) for p in ("charges", "collection")]
    ids += [f"complaint-{i}-{p}" for i in range(1, 1000) for p in ("payment_demand", "threats")]
    ids.append("complaint-case-debt-agent")
    assert len({fnv1a32(i) for i in ids}) == len(ids)
