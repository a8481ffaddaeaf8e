"""Parameters: one home for every threshold, named by rule conditions, never restated in Python."""

from __future__ import annotations

import ast
import datetime as dt
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from negotiator.basis.citations import load_register
from negotiator.basis.params import load_parameters, parse_parameters
from negotiator.engine import prepare_facts
from negotiator.engine.durable import DurableEvaluator
from negotiator.errors import RuleFileError
from negotiator.facts.schema import Fact, FactKind, choice, integer, money, rate
from negotiator.ruleset.loader import Test, load_rules, load_ruleset_from

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "negotiator"

KIND = FactKind(
    name="t",
    doc="test kind",
    fields={
        "n": integer("a count", required=True),
        "amount": money("money"),
        "r": rate("a rate"),
        "word": choice("a word", ("alpha", "beta"), required=False),
    },
)


def _rule(when: str) -> str:
    return textwrap.dedent(
        f"""
        [[rule]]
        id = "x.r"
        code = "X_R"
        category = "situation"
        severity = "info"
        sources = [{{ seed = "000", section = "四.1" }}]
        about = "t"
        when = {when}
        message.zh-Hans = "x"
        message.en = "x"
        """
    )


def _load(when: str):
    return load_ruleset_from([("t.toml", _rule(when))], {"t": KIND})


# --- parameter references in conditions --------------------------------------------------------


def test_a_parameter_reference_becomes_the_literal_the_engine_would_have_seen():
    by_param = _load('{ all = [["n", ">", { param = "collection_calls_per_day_max" }]] }')
    by_literal = _load('{ all = [["n", ">", 3]] }')
    assert by_param.rules[0].when == by_literal.rules[0].when
    assert by_param.rules[0].when.items[0] == Test("n", ">", 3)


def test_money_and_rate_parameters_convert_like_written_literals():
    money_rule = _load('{ all = [["amount", ">=", { param = "lump_sum_minimum" }]] }')
    assert money_rule.rules[0].when == _load('{ all = [["amount", ">=", "100"]] }').rules[0].when
    rate_rule = _load('{ all = [["r", ">", { param = "licensed_total_cap" }]] }')
    assert rate_rule.rules[0].when == _load('{ all = [["r", ">", "24%"]] }').rules[0].when


def test_a_parameter_inside_an_in_list_resolves_too():
    rs = _load('{ all = [["n", "in", [{ param = "cure_days" }, 1]]] }')
    assert rs.rules[0].when.items[0].items[0] == Test("n", "==", 15)


def test_the_engine_judges_a_parameter_condition_as_the_literal_one():
    rs = _load('{ all = [["n", ">", { param = "collection_calls_per_day_max" }]] }')
    facts = prepare_facts([Fact("t", "a", {"n": 3}), Fact("t", "b", {"n": 4})], {"t": KIND})
    assert [(a.rule, a.fact) for a in DurableEvaluator(rs).evaluate(facts)] == [("x.r", "b")]


@pytest.mark.parametrize(
    ("when", "problem"),
    [
        ('{ all = [["n", ">", { param = "no_such" }]] }', "no parameter 'no_such'"),
        ('{ all = [["n", ">", { param = "licensed_total_cap" }]] }', "is in rate"),
        ('{ all = [["amount", ">", { param = "cure_days" }]] }', "is in days"),
        ('{ all = [["r", ">", { param = "zhudai_effective" }]] }', "is in date"),
        ('{ all = [["word", "==", { param = "cure_days" }]] }', "is in days"),
        ('{ all = [["n", ">", { param = "cure_days", extra = 1 }]] }', "{ param = "),
        ('{ all = [["n", ">", { name = "cure_days" }]] }', "{ param = "),
    ],
)
def test_a_bad_parameter_reference_is_a_load_error_naming_the_rule_field(when, problem):
    with pytest.raises(RuleFileError) as err:
        _load(when)
    assert err.value.path == "t.toml#x.r.when.all[0]"
    assert problem in str(err.value)


def test_every_packaged_parameter_reference_resolves_and_is_used():
    rules = load_rules()
    excessive = rules.by_id()["collection.excessive-calls"].when
    limit = load_parameters().integer("collection_calls_per_day_max")
    assert Test("calls", ">", limit) in excessive.items


# --- the parameter file ------------------------------------------------------------------------


def test_every_parameter_has_a_unit_a_doc_and_a_reference_and_laws_are_registered():
    register = load_register()
    for entry in load_parameters().entries.values():
        assert entry.unit and entry.doc.strip() and entry.reference.strip(), entry.name
        if entry.law is not None:
            assert register.get(entry.law) is not None, entry.name


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('value = "x"\nunit = "rate"', "p.value"),
        ('value = 2025-10-01\nunit = "days"', "p.value"),
        ('value = "2025-10-01"\nunit = "date"', "p.value"),
        ('value = 3\nunit = "count"\nsince = "2021"', "p.since"),
        ('value = 3\nunit = "count"\narticle = "5"', "p.article"),
        ('value = 3\nunit = "parsecs"', "p.unit"),
    ],
)
def test_a_bad_parameter_is_an_error_naming_it(body, where):
    text = f'[param.p]\n{body}\ndoc = "d"\nreference = "r"\n'
    with pytest.raises(RuleFileError) as err:
        parse_parameters(text)
    assert err.value.path == f"parameters.toml#{where}"


def test_a_parameter_citing_an_unknown_instrument_fails_the_rule_load():
    text = '[param.p]\nvalue = 3\nunit = "count"\ndoc = "d"\nreference = "r"\nlaw = "no-such-law"\n'
    with pytest.raises(RuleFileError) as err:
        load_ruleset_from([], {"t": KIND}, params=parse_parameters(text))
    assert err.value.path == "parameters.toml#p.law"


# --- no threshold restated in Python -----------------------------------------------------------

#: Where judgement-bearing figures are computed or worded: the analysis, the fact builders, the
#: calculators, the documents and the plan/counter-proposal modules.
SCANNED = [
    *sorted((PACKAGE / "analysis").glob("*.py")),
    *sorted((PACKAGE / "facts").glob("*.py")),
    *sorted((PACKAGE / "calc").glob("*.py")),
    *sorted((PACKAGE / "documents").glob("*.py")),
]

#: Values too common to mean a threshold: identities and unit conversions (1, 10, 100, 1000).
NEUTRAL = {Decimal(0), Decimal(1), Decimal(2), Decimal(10), Decimal(100), Decimal(1000)}

#: Literals equal to a parameter's value that are not that parameter: (file, the enclosing
#: function or module constant, value) and why.
ALLOWED: dict[tuple[str, str, object], str] = {
    ("analysis/loans.py", "_WORK_PREC", 60): "decimal working precision in digits",
    ("calc/cost.py", "_PREC", 60): "decimal working precision in digits",
    ("documents/render.py", "mask_id", 8): (
        "an ID number keeps its first and last four characters (eight in all)"
    ),
    ("documents/render.py", "mask_phone", 7): (
        "a phone number shorter than seven digits is masked whole"
    ),
    ("analysis/loans.py", "_regular", 3): "days of drift allowed when recognising monthly dues",
    ("analysis/loans.py", "_cap", dt.date(2021, 1, 1)): (
        "a stand-in contract date for a licensed lender, whose cap does not depend on it"
    ),
}


def _parameter_values() -> dict[object, list[str]]:
    """Each parameter value, and each day an instrument of the register took effect or ended."""
    out: dict[object, list[str]] = {}
    for entry in load_parameters().entries.values():
        v = entry.value
        key: object = v if isinstance(v, dt.date) else Decimal(v)
        out.setdefault(key, []).append(entry.name)
    for inst in load_register().instruments.values():
        for day in (inst.effective, inst.repealed):
            if day is not None:
                out.setdefault(day, []).append(f"citations.toml#{inst.key}")
    return out


def _literal(node: ast.AST) -> object | None:
    """The number or date a node writes out: an int, Decimal("…")/Decimal(n) or date(y, m, d)."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return Decimal(node.value)
    if not isinstance(node, ast.Call):
        return None
    name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
    args = node.args
    if not all(isinstance(a, ast.Constant) for a in args):
        return None
    values = [a.value for a in args]  # type: ignore[attr-defined]
    if name == "Decimal" and len(values) == 1 and type(values[0]) in (int, str):
        try:
            return Decimal(str(values[0]))
        except ArithmeticError:
            return None
    if name == "date" and len(values) == 3 and all(type(v) is int for v in values):
        return dt.date(*values)
    return None


def _threshold_literals(path: Path) -> list[tuple[str, int, object]]:
    """(context, line, value) for each number or date in a comparison, a module or class
    constant, or a Decimal(…)/date(…) call; context is the enclosing function or constant."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int, object]] = []

    def visit(node: ast.AST, context: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            context = node.name
        elif isinstance(node, ast.Assign | ast.AnnAssign) and context == "<module>":
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if names and node.value is not None:
                value = _literal(node.value)
                if value is not None:
                    found.append((names[0], node.lineno, value))
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                value = _literal(side)
                if value is not None:
                    found.append((context, side.lineno, value))
        elif isinstance(node, ast.Call):
            value = _literal(node)
            if value is not None:
                found.append((context, node.lineno, value))
        for child in ast.iter_child_nodes(node):
            visit(child, context)

    visit(tree, "<module>")
    return found


def test_no_python_module_restates_a_parameter_value():
    values = _parameter_values()
    offences = []
    for path in SCANNED:
        rel = path.relative_to(PACKAGE).as_posix()
        for context, line, value in _threshold_literals(path):
            if value in NEUTRAL or value not in values:
                continue
            allowed = (rel, context, int(value) if isinstance(value, Decimal) else value)
            if allowed in ALLOWED:
                continue
            offences.append(f"{rel}:{line} ({context}): {value} is parameter {values[value]}")
    assert not offences, "read these from parameters.toml or citations.toml:\n" + "\n".join(
        offences
    )


def test_the_scan_finds_a_restated_threshold(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import datetime as dt\nfrom decimal import Decimal\n"
        "CAP = Decimal('0.24')\n"
        "def f(calls, day):\n"
        "    return calls > 3 or day >= dt.date(2025, 10, 1) or day < dt.date(2026, 1, 1)\n",
        encoding="utf-8",
    )
    found = {(c, v) for c, _line, v in _threshold_literals(bad)}
    assert ("CAP", Decimal("0.24")) in found
    assert ("f", Decimal(3)) in found
    assert ("f", dt.date(2025, 10, 1)) in found
    assert ("f", dt.date(2026, 1, 1)) in found  # the day the 2025 治安管理处罚法 took effect
    values = _parameter_values()
    assert all(v in values for _c, v in found)


# --- parameters shown in messages --------------------------------------------------------------


def _load_message(zh: str, en: str = "x"):
    text = _rule('{ all = [["n", ">", { param = "collection_calls_per_day_max" }]] }')
    text = text.replace('message.zh-Hans = "x"', f'message.zh-Hans = "{zh}"')
    text = text.replace('message.en = "x"', f'message.en = "{en}"')
    return load_ruleset_from([("t.toml", text)], {"t": KIND})


def test_a_message_states_the_parameter_its_condition_uses():
    rs = _load_message(
        "不应超过{param.collection_calls_per_day_max}次，上限{param.licensed_total_cap}",
        "at most {param.collection_calls_per_day_max}; from {param.zhudai_effective}",
    )
    assert rs.rules[0].messages == {
        "zh-Hans": "不应超过3次，上限24%",
        "en": "at most 3; from 2025-10-01",
    }


@pytest.mark.parametrize(
    ("zh", "problem"),
    [
        ("{param.no_such}", "no parameter 'no_such'"),
        ("{param.cure_days:>4}", "without a format"),
        ("{calls}", "not listed in `data`"),
    ],
)
def test_a_bad_message_parameter_is_a_load_error(zh, problem):
    with pytest.raises(RuleFileError) as err:
        _load_message(zh)
    assert err.value.path == "t.toml#x.r.message.zh-Hans"
    assert problem in str(err.value)


def test_the_packaged_call_limit_message_reads_the_parameter():
    rule = load_rules().by_id()["collection.excessive-calls"]
    limit = load_parameters().integer("collection_calls_per_day_max")
    assert f"不应超过{limit}次" in rule.messages["zh-Hans"]
    assert f"at most {limit} effective calls" in rule.messages["en"]
