"""Each known way to crash, hang or fool durable-rules 2.0.28 is made impossible here.

The reproducers live in ../shared/research/durable-repro/ (named in each test).  Rather than
running the crashes, each test shows that the construct cannot be written in a rule file, cannot
be carried by a fact, or is neutralised by the way the evaluator drives the engine.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from decimal import Decimal

import pytest

from negotiator.engine import prepare_facts
from negotiator.engine.base import EngineFacts, fnv1a32
from negotiator.engine.durable import DurableEvaluator
from negotiator.errors import EngineError, RuleFileError
from negotiator.facts.schema import Fact, FactCheckError, FactKind, choice, flag, integer, money
from negotiator.ruleset.loader import MAX_RULES_PER_KIND, RuleSet, load_ruleset_from

KIND = FactKind(
    name="t",
    doc="test kind",
    fields={
        "n": integer("a number", required=True),
        "opt": integer("an optional number"),
        "amount": money("money"),
        "ok": flag("a flag"),
        "word": choice("a word", ("alpha", "beta")),
    },
)
KINDS = {"t": KIND}


def rule_file(when: str, extra: str = "", about: str = "t", rule_id: str = "x.r") -> str:
    return textwrap.dedent(
        f"""
        [[rule]]
        id = "{rule_id}"
        code = "SITUATION_SHORT_TERM"
        category = "situation"
        severity = "info"
        sources = [{{ seed = "000", section = "四.1" }}]
        about = "{about}"
        when = {when}
        message.zh-Hans = "x"
        message.en = "x"
        {extra}
        """
    )


def load(text: str) -> RuleSet:
    return load_ruleset_from([("t.toml", text)], KINDS)


def test_a_valid_rule_loads():
    rs = load(rule_file('{ all = [["n", ">", 3], ["word", "==", "alpha"]] }'))
    assert [r.id for r in rs.rules] == ["x.r"]


@pytest.mark.parametrize(
    ("when", "why"),
    [
        # r01_beta_and_crash.py, r01b_issue381.py, r02_beta_nested_or_wrong.py, a22_join_variants:
        # a join reference to another fact cannot be written: literals are typed values only.
        ('{ all = [["n", ">", { p = "income" }]] }', "join reference as a literal"),
        ('{ all = [["n", ">", "c.p.income"]] }', "join reference as a string"),
        # a21_arith_divzero.py: no arithmetic, so no $div.
        ('{ all = [["n", ">", { "$div" = { n = 0 } }]] }', "arithmetic"),
        # a10b_none_order.py: no negation group.
        ('{ not = [["n", ">", 1]] }', "negation"),
        # a05_strings_regex.py, a25_regex_on_number.py: no regular expressions, no string order.
        ('{ all = [["word", "matches", "a.*"]] }', "regex"),
        ('{ all = [["word", "<", "beta"]] }', "string ordering"),
        # a04_numbers_none.py: mixed types and floats cannot reach a comparison.
        ('{ all = [["n", "==", "100"]] }', "string literal on an int field"),
        ('{ all = [["n", "==", 1.5]] }', "float literal"),
        ('{ all = [["ok", "==", 1]] }', "int literal on a bool field"),
        ('{ all = [["word", "==", "gamma"]] }', "word outside the closed set"),
        ('{ all = [["n", "==", 9223372036854775807]] }', "int beyond the exact range"),
        # a20_nex_hang.py: `!=`/missing on optional fields is only allowed inside the kind test,
        # and "!=" on an optional field must be spelled out.
        ('{ all = [["opt", "!=", 3]] }', "!= on an optional field"),
        # unknown fields and unknown ops
        ('{ all = [["nope", "==", 1]] }', "undeclared field"),
        ('{ all = [["n", "~", 1]] }', "unknown operator"),
        ('{ all = [{ all = [{ all = [{ all = [["n", "==", 1]] }] }] }] }', "nesting deeper than 3"),
    ],
)
def test_unsafe_constructs_cannot_be_written(when, why):
    with pytest.raises(RuleFileError) as info:
        load(rule_file(when))
    assert str(info.value).startswith("t.toml#x.r"), why


def test_rules_cannot_name_an_action_or_events():
    # a12_action_exception.py, a26_two_param_action.py, a10_retract_post_none.py: there is no key
    # for actions, events, timers or statecharts in a rule file.
    for key in ('run = "act"', "post = true", 'timer = "t"', "pri = 1"):
        with pytest.raises(RuleFileError, match="unknown key"):
            load(rule_file('{ all = [["n", ">", 1]] }', extra=key))


def test_too_many_rules_on_one_kind_is_refused():
    # a16_many_rules.py: more than 64 alpha successors matching one fact is refused by the engine
    # (error 303) and 512 siblings hang it; the loader caps rules per kind well below both.
    text = "".join(
        rule_file(f'{{ all = [["n", ">", {i}]] }}', rule_id=f"x.r{i}")
        for i in range(MAX_RULES_PER_KIND + 1)
    )
    with pytest.raises(RuleFileError, match="the engine allows"):
        load(text)


@pytest.mark.parametrize(
    "values",
    [
        {"n": 1.5, "ok": True, "word": "alpha"},  # float (a04, a13: exponent floats)
        {"n": Decimal("1"), "ok": True, "word": "alpha"},  # Decimal where an int belongs
        {"n": True, "ok": True, "word": "alpha"},  # bool is not an int
        {"n": 2**63, "ok": True, "word": "alpha"},  # beyond int64 (a04: saturation)
        {"n": None, "ok": True, "word": "alpha"},  # None on a required field (a04)
        {"n": 1, "ok": 1, "word": "alpha"},  # int where a bool belongs
        {"n": 1, "ok": True, "word": "gamma"},  # word outside the set
        {"n": 1, "ok": True, "word": "alpha", "amount": 12.5},  # float money
        {"n": 1, "ok": True, "word": "alpha", "extra": 1},  # undeclared field
        {"ok": True, "word": "alpha"},  # required field missing
    ],
)
def test_badly_typed_facts_never_reach_the_engine(values):
    with pytest.raises(FactCheckError):
        prepare_facts([Fact(kind="t", id="t-1", values=values)], KINDS)


@pytest.mark.parametrize("bad_id", ["", "a:b", 'a"b', "a\\b", "l\n", "贷款-1", "x" * 65, "__s"])
def test_fact_ids_are_plain_words(bad_id):
    # Ids reach the engine inside JSON text that is checked and read as plain text: no quote,
    # backslash, colon, newline or non-ASCII character, at most 64 characters.
    with pytest.raises(FactCheckError, match="bad fact id"):
        prepare_facts(
            [Fact(kind="t", id=bad_id, values={"n": 1, "ok": True, "word": "alpha"})], KINDS
        )


def test_enum_words_are_plain_words():
    with pytest.raises(FactCheckError, match="bad enum word"):
        FactKind(name="w", doc="", fields={"e": choice("e", ("ok", "not:ok"))})


def test_optional_none_is_omitted_not_sent():
    facts = prepare_facts(
        [Fact(kind="t", id="t-1", values={"n": 1, "ok": True, "word": "alpha", "opt": None})],
        KINDS,
    )
    assert "opt" not in facts.records[0]


def test_duplicate_and_colliding_fact_ids_are_refused():
    # a09_dupes_notmatched.py: a second fact with the same id would be dropped as "observed".
    base = {"n": 1, "ok": True, "word": "alpha"}
    with pytest.raises(FactCheckError, match="duplicate"):
        prepare_facts([Fact("t", "a", base), Fact("t", "a", base)], KINDS)
    # a18/a19: ids are matched by 32-bit hash only; a colliding pair must be refused.
    assert fnv1a32("qz_thti") == fnv1a32("fcjcndgcu")
    with pytest.raises(FactCheckError, match="collide"):
        prepare_facts([Fact("t", "qz_thti", base), Fact("t", "fcjcndgcu", base)], KINDS)


def test_an_or_true_on_several_branches_fires_once():
    # a23_or_duplicates.py: the engine fires once per true branch; the evaluator de-duplicates.
    rs = load(rule_file('{ any = [["n", ">", 0], ["n", ">", 1], ["ok", "==", true]] }'))
    facts = prepare_facts([Fact("t", "t-1", {"n": 5, "ok": True, "word": "alpha"})], KINDS)
    assert [(a.rule, a.fact) for a in DurableEvaluator(rs).evaluate(facts)] == [("x.r", "t-1")]


def test_unmatched_facts_do_not_hide_other_activations():
    # a09_dupes_notmatched.py: a batch with a fact that matches nothing used to lose the others.
    rs = load(rule_file('{ all = [["n", ">", 3]] }'))
    facts = prepare_facts(
        [
            Fact("t", "t-1", {"n": 1, "ok": True, "word": "alpha"}),
            Fact("t", "t-2", {"n": 9, "ok": True, "word": "alpha"}),
        ],
        KINDS,
    )
    assert [a.fact for a in DurableEvaluator(rs).evaluate(facts)] == ["t-2"]


def test_unchecked_records_cannot_reach_the_engine():
    # A batch holding a fact with ~300 properties crashes the engine when its activations are
    # drained (a14_limits.py shows the single-fact refusal).  Kinds are capped at 200 fields and
    # evaluators accept only facts that went through prepare_facts.
    rs = load(rule_file('{ all = [["n", ">", 3]] }'))
    wide = {"kind": "t", "id": "t-1", "n": 5, **{f"p{i}": i for i in range(300)}}
    with pytest.raises(EngineError, match="prepare_facts"):
        DurableEvaluator(rs).evaluate(EngineFacts(records=(wide,), by_id={}))
    with pytest.raises(FactCheckError, match="at most"):
        FactKind(name="w", doc="", fields={f"p{i}": integer("p") for i in range(201)})


def test_engine_errors_become_library_errors_and_the_engine_recovers():
    rs = load(rule_file('{ all = [["n", ">", 3]] }'))
    engine = DurableEvaluator(rs)
    bad = prepare_facts([Fact("t", "t-1", {"n": 5, "ok": True, "word": "alpha"})], KINDS)
    bad.records[0]["n"] = float("nan")  # corrupt after checking: must not reach the C code
    with pytest.raises(EngineError):
        engine.evaluate(bad)
    ok = prepare_facts([Fact("t", "t-1", {"n": 5, "ok": True, "word": "alpha"})], KINDS)
    assert [a.fact for a in engine.evaluate(ok)] == ["t-1"]


def _run_child(code: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_sessions_where_nothing_fires_are_deleted_safely():
    # r04_delete_state_uninit.py / r04b: delete_state on a session where no action ever started
    # freed garbage.  The sentinel fact makes every session start an action first.  Run it in a
    # child process over a recycled heap, as the reproducer does.
    proc = _run_child(
        """
        from negotiator.engine import prepare_facts
        from negotiator.engine.durable import DurableEvaluator
        from negotiator.facts.schema import Fact
        from negotiator.ruleset.loader import load_rules
        junk = [bytearray(b"\\x41" * 60000) for _ in range(50)]; del junk
        rules = load_rules(); engine = DurableEvaluator(rules)
        empty = prepare_facts([], rules)
        for _ in range(3000):
            assert engine.evaluate(empty) == []
        print("ok")
        """
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok"


def test_a_missing_test_alone_does_not_hang():
    # a20_nex_hang.py: a rule the session-state fact can satisfy re-fires forever.  Every
    # compiled rule starts with a positive kind test, which the state fact never has.
    proc = _run_child(
        """
        import textwrap
        from negotiator.engine import prepare_facts
        from negotiator.engine.durable import DurableEvaluator
        from negotiator.facts.schema import Fact, FactKind, integer
        from negotiator.ruleset.loader import load_ruleset_from
        kind = FactKind(name="t", doc="", fields={"opt": integer("o")})
        text = textwrap.dedent('''
            [[rule]]
            id = "x.r"
            code = "SITUATION_SHORT_TERM"
            category = "situation"
            severity = "info"
            sources = [{ seed = "000", section = "四.1" }]
            about = "t"
            when = { any = [["opt", "missing"], ["opt", "exists"]] }
            message.zh-Hans = "x"
            message.en = "x"
        ''')
        rs = load_ruleset_from([("t.toml", text)], {"t": kind})
        engine = DurableEvaluator(rs)
        for _ in range(100):
            got = engine.evaluate(prepare_facts([Fact("t", "t-1", {})], {"t": kind}))
            assert [a.fact for a in got] == ["t-1"], got
        print("ok")
        """,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_no_host_runtime_and_no_background_threads():
    # Host() starts dispatch/timer threads that race the caller (thread_test naive_host): the
    # evaluator never imports the Host runtime, so no thread is started.
    proc = _run_child(
        """
        import sys, threading
        import negotiator
        from negotiator.api import advise
        case = {"borrower": {"monthly_income": "5000"},
                "loans": [{"lender_name": "甲银行", "lender_type": "bank", "principal": "1000"}]}
        advise(case, as_of=__import__("datetime").date(2026, 11, 20))
        assert "durable.engine" not in sys.modules and "durable.lang" not in sys.modules
        assert threading.active_count() == 1, threading.enumerate()
        print("ok")
        """
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok"


def test_only_one_module_imports_the_engine():
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "negotiator"
    users = sorted(
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "durable_rules_engine" in p.read_text(encoding="utf-8")
        or "import durable" in p.read_text(encoding="utf-8")
        or "from durable" in p.read_text(encoding="utf-8")
    )
    assert users == ["engine/durable.py"]


def test_the_engine_fact_field_count_stays_far_below_its_limit():
    # a14_limits.py: more than 253 flattened properties per fact is refused.
    from negotiator.facts import KINDS as REAL

    for kind in REAL.values():
        assert len(kind.fields) + 3 <= 200, kind.name
