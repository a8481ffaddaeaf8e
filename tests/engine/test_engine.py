"""The durable-rules evaluator agrees with the plain-Python oracle, and stays in its safe subset."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap

import pytest
from engine_support import literals_by_field, random_facts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiator.engine import prepare_facts
from negotiator.engine.base import fields_read, fnv1a32
from negotiator.engine.durable import DurableEvaluator, compile_rules
from negotiator.engine.oracle import OracleEvaluator, compile_condition, holds
from negotiator.facts import KINDS
from negotiator.ruleset.loader import All, Any_, Rule, RuleSet, Test, load_rules

RULES = load_rules()
BOUNDS = literals_by_field(RULES)


def test_fnv1a32_matches_the_published_reference_values():
    # FNV-1a 32-bit test vectors: "" -> offset basis, "a" -> 0xe40c292c, "foobar" -> 0xbf9cf968
    assert fnv1a32("") == 0x811C9DC5
    assert fnv1a32("a") == 0xE40C292C
    assert fnv1a32("foobar") == 0xBF9CF968
    # the pair the probe found colliding in the engine
    assert fnv1a32("qz_thti") == fnv1a32("fcjcndgcu")


def test_no_hash_collisions_among_engine_names():
    """Field names, kinds, rule ids and typical fact ids must all hash differently."""
    names = {"kind", "id", "sid", "$s", "__s", "__sentinel", "__case__"}
    for kind in KINDS.values():
        names.add(kind.name)
        names.update(kind.fields)
        names.update(f"{kind.name}-{i}" for i in range(1, 501))
    names.update(r.id for r in RULES.rules)
    names.update(f"loan-{i}" for i in range(1, 501))
    names.update(f"s{i}" for i in range(1, 10_001))
    seen: dict[int, str] = {}
    clashes = []
    for name in sorted(names):
        h = fnv1a32(name)
        if h in seen:
            clashes.append((seen[h], name))
        seen[h] = name
    assert clashes == []


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32))
def test_durable_and_oracle_agree_on_generated_cases(seed):
    facts = prepare_facts(random_facts(random.Random(seed), RULES, BOUNDS), RULES)
    durable = DurableEvaluator.shared().evaluate(facts)
    oracle = OracleEvaluator.shared().evaluate(facts)
    assert durable == oracle


# A synthetic kind and random rules exercise the whole condition language, not only the rules
# the knowledge base happens to use today.
from negotiator.facts.schema import FactKind, choice, flag, integer, money, rate  # noqa: E402

SYN = FactKind(
    name="syn",
    doc="synthetic",
    fields={
        "a": integer("a"),
        "b": integer("b", required=True),
        "m": money("m"),
        "r": rate("r"),
        "f": flag("f"),
        "e": choice("e", ("x", "y", "z"), required=False),
    },
)


def _random_condition(rnd: random.Random, depth: int):
    if depth >= 3 or rnd.random() < 0.45:
        name = rnd.choice(list(SYN.fields))
        field = SYN.fields[name]
        if rnd.random() < 0.12 and not field.required:
            return Test(name, rnd.choice(("exists", "missing")), None)
        if field.type.value in ("bool", "enum"):
            op = rnd.choice(("==", "!=")) if field.required else "=="
            value = rnd.random() < 0.5 if field.type.value == "bool" else rnd.choice(field.values)
            return Test(name, op, value)
        ops = ["==", "<", "<=", ">", ">="] + (["!="] if field.required else [])
        return Test(name, rnd.choice(ops), rnd.randint(-3, 3))
    items = tuple(_random_condition(rnd, depth + 1) for _ in range(rnd.randint(1, 3)))
    return All(items) if rnd.random() < 0.5 else Any_(items)


def _synthetic_ruleset(seed: int, n: int = 50) -> RuleSet:
    rnd = random.Random(seed)
    rules = tuple(
        Rule(
            id=f"syn.r{seed}-{i}",
            code="SYN",
            category="situation",
            severity="info",
            about="syn",
            when=_random_condition(rnd, 1),
            messages={"zh-Hans": "x", "en": "x"},
            citations=(),
        )
        for i in range(n)
    )
    return RuleSet(rules=rules, kinds={"syn": SYN})


SYN_RULESETS = [_synthetic_ruleset(seed) for seed in (1, 2, 3)]
SYN_ENGINES = [(DurableEvaluator(rs), OracleEvaluator(rs)) for rs in SYN_RULESETS]

_small = st.integers(min_value=-4, max_value=4)


@st.composite
def syn_facts(draw):
    facts = []
    for i in range(draw(st.integers(min_value=0, max_value=4))):
        values = {"b": draw(_small), "f": draw(st.booleans())}
        if draw(st.booleans()):
            values["a"] = draw(_small)
        if draw(st.booleans()):
            values["m"] = draw(_small.map(lambda n: __import__("decimal").Decimal(n) / 100))
        if draw(st.booleans()):
            values["r"] = draw(_small.map(lambda n: __import__("decimal").Decimal(n) / 10**6))
        if draw(st.booleans()):
            values["e"] = draw(st.sampled_from(("x", "y", "z")))
        from negotiator.facts.schema import Fact

        facts.append(Fact(kind="syn", id=f"syn-{i}", values=values))
    return facts


@pytest.mark.parametrize("index", range(len(SYN_ENGINES)))
@settings(max_examples=300, deadline=None)
@given(facts=syn_facts())
def test_whole_condition_language_agrees(index, facts):
    durable, oracle = SYN_ENGINES[index]
    prepared = prepare_facts(facts, {"syn": SYN})
    assert durable.evaluate(prepared) == oracle.evaluate(prepared)


@pytest.mark.parametrize("index", range(len(SYN_ENGINES)))
@settings(max_examples=200, deadline=None)
@given(facts=syn_facts())
def test_pruned_and_whole_records_give_the_same_activations(index, facts):
    # prepare_facts given a rule set keeps only the fields its rules read; given the kinds
    # alone it keeps every field.  Both evaluators must answer the same either way.
    durable, oracle = SYN_ENGINES[index]
    pruned = prepare_facts(facts, SYN_RULESETS[index])
    whole = prepare_facts(facts, {"syn": SYN})
    read = fields_read(SYN_RULESETS[index]).get("syn", frozenset())
    assert all(set(r) <= read for r in pruned.records)
    assert pruned.reads is fields_read(SYN_RULESETS[index]) and whole.reads is None
    expected = oracle.evaluate(whole)
    assert (
        durable.evaluate(pruned) == durable.evaluate(whole) == oracle.evaluate(pruned) == expected
    )


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), facts=syn_facts())
def test_compiled_oracle_predicates_read_conditions_as_holds_does(seed, facts):
    cond = _random_condition(random.Random(seed), 1)
    predicate = compile_condition(cond)
    for record in prepare_facts(facts, {"syn": SYN}).records:
        assert predicate(record) is holds(cond, record)


def test_facts_of_kinds_no_rule_reads_are_checked_but_not_sent():
    from negotiator.facts.schema import Fact, FactCheckError

    other = FactKind(name="other", doc="unread", fields={"n": integer("n", required=True)})
    kinds = {"syn": SYN, "other": other}
    rs = RuleSet(rules=SYN_RULESETS[0].rules, kinds=kinds)
    facts = [Fact("syn", "syn-1", {"b": 1, "f": True}), Fact("other", "o-1", {"n": 3})]
    prepared = prepare_facts(facts, rs)
    assert [r["kind"] for r in prepared.records] == ["syn"]
    assert set(prepared.by_id) == {"syn-1", "o-1"}
    with pytest.raises(FactCheckError):  # still checked although never sent
        prepare_facts([Fact("other", "o-1", {"n": "3"})], rs)


def test_compiled_rules_always_start_with_a_positive_kind_test():
    for name, rule in compile_rules(RULES).items():
        (slot,) = rule["all"]
        cond = slot["m"]
        if name == "__sentinel":
            assert cond == {"kind": "__case__"}
            continue
        first, rest = cond["$and"][0], cond["$and"][1:]
        assert set(first) == {"kind"} and isinstance(first["kind"], str)
        assert len(rest) == 1
        assert "run" not in rule  # no Python action runs inside the engine


def test_stress_100k_generated_cases_in_a_child_process():
    """A segfault in the engine fails this test instead of killing the test run."""
    script = textwrap.dedent(
        """
        import random, sys
        sys.path.insert(0, "tests")
        from engine_support import literals_by_field, random_facts
        from negotiator.engine import prepare_facts
        from negotiator.engine.durable import DurableEvaluator
        from negotiator.engine.oracle import OracleEvaluator
        from negotiator.ruleset.loader import load_rules
        rules = load_rules(); bounds = literals_by_field(rules)
        durable = DurableEvaluator(rules); oracle = OracleEvaluator(rules)
        rnd = random.Random(20261121)
        n = int(sys.argv[1]); mismatches = 0; fired = 0
        for i in range(n):
            facts = prepare_facts(random_facts(rnd, rules, bounds), rules)
            got = durable.evaluate(facts); fired += len(got)
            if i % 10 == 0 and got != oracle.evaluate(facts):
                mismatches += 1
        print(n, fired, mismatches)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, "100000"],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode == 0, f"engine child died with {proc.returncode}: {proc.stderr[-2000:]}"
    n, fired, mismatches = (int(x) for x in proc.stdout.split())
    assert n == 100_000
    assert fired > 0
    assert mismatches == 0
