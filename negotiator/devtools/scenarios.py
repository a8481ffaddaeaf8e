"""Declarative rule scenarios: a case, the rules that must fire and the rules that must not.

Scenario files live in ``rules/scenarios/*.toml`` beside the rules they test (so a reviewer reads
a rule family and its examples together) and are shipped with the package.  Format::

    [[scenario]]
    name = "two overdue lenders"
    fires = ["situation.multi-lender"]            # rule ids that must fire
    not_fires = ["situation.no-capacity"]         # rule ids that must not fire
    # optional: figures a fired rule's finding must carry (compared as strings)
    expect = { "situation.multi-lender" = { overdue_loans = 2 } }

    [scenario.case]                               # the case itself, as in a case file
    as_of = 2026-11-20
    [scenario.case.borrower]
    monthly_income = "6000"
    [[scenario.case.loans]]
    …

``negotiator.devtools.scenarios.run_scenario`` evaluates each scenario with a given evaluator and
returns
the problems found; the test suite runs every scenario through both the durable-rules evaluator
and the oracle and checks that they agree.  :func:`check_folder` does all of that for a folder laid
out like ``rules/`` (an edited copy of the rules), and is what ``negotiator rules --test [DIR]``
runs, so a rule can be written and checked without Python.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Any

import attrs

from ..engine.base import EVALUATORS
from ..errors import InputError, RuleFileError
from ..i18n import check_lang

if TYPE_CHECKING:
    from ..engine import Evaluator
    from ..engine.base import EvaluatorName
    from ..ruleset.loader import RuleSet

__all__ = ["Scenario", "check_folder", "coverage_problems", "load_scenarios", "run_scenario"]

_KEYS = {"name", "fires", "not_fires", "expect", "case", "lang"}


@attrs.frozen
class Scenario:
    file: str
    name: str
    case: Mapping[str, Any]
    fires: tuple[str, ...]
    not_fires: tuple[str, ...]
    expect: Mapping[str, Mapping[str, Any]]
    lang: str = "zh-Hans"


def parse_scenarios(text: str, file: str) -> list[Scenario]:
    try:
        doc = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(file, f"not valid TOML: {exc}") from None
    out = []
    for i, raw in enumerate(doc.get("scenario", [])):
        where = f"{file}#scenario[{i}]"
        unknown = set(raw) - _KEYS
        if unknown:
            raise RuleFileError(f"{where}.{sorted(unknown)[0]}", "unknown key")
        if "name" not in raw or "case" not in raw:
            raise RuleFileError(where, "a scenario needs `name` and `case`")
        out.append(
            Scenario(
                file=file,
                name=raw["name"],
                case=raw["case"],
                fires=tuple(raw.get("fires", ())),
                not_fires=tuple(raw.get("not_fires", ())),
                expect=raw.get("expect", {}),
                lang=raw.get("lang", "zh-Hans"),
            )
        )
    return out


def load_scenarios(root: Traversable | None = None) -> list[Scenario]:
    """Every scenario in ``root`` (default: the packaged ``rules/scenarios``), file by file."""
    if root is None:
        root = resources.files("negotiator.rules") / "scenarios"
    out: list[Scenario] = []
    for item in sorted(root.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".toml"):
            out.extend(parse_scenarios(item.read_text(encoding="utf-8"), item.name))
    return out


def _engine_name(name: str) -> EvaluatorName:
    if name not in EVALUATORS:
        raise InputError("evaluator", f"must be one of {', '.join(EVALUATORS)}")
    return name


def run_scenario(
    scenario: Scenario,
    evaluator: str = "durable",
    *,
    ruleset: RuleSet | None = None,
    engine: Evaluator | None = None,
) -> tuple[list[str], Any]:
    """Evaluate one scenario; return (problems, evaluation).  No problems means it passed.

    By default the packaged rules are used; pass ``ruleset`` and an ``engine`` built for it
    (:func:`negotiator.engine.new_evaluator`) to run an edited copy."""
    from ..api import evaluate
    from ..case.load import load_case

    try:
        case = load_case(scenario.case)
    except InputError as exc:
        return [f"{scenario.file}: {scenario.name}: case does not load: {exc}"], None
    ev = evaluate(
        case,
        lang=check_lang(scenario.lang),
        evaluator=engine if engine is not None else _engine_name(evaluator),
        ruleset=ruleset,
    )
    fired = {f.rule for f in ev.findings}
    # Rules removed by an explicit override still count as "fired" for `fires` checks only when
    # the engine matched them; the findings list is what users see, so test against findings.
    problems = []
    label = f"{scenario.file}: {scenario.name!r} ({evaluator})"
    for rule in scenario.fires:
        if rule not in fired:
            problems.append(f"{label}: expected rule {rule} to fire; it did not")
    for rule in scenario.not_fires:
        if rule in fired:
            problems.append(f"{label}: rule {rule} fired but must not")
    for rule, figures in scenario.expect.items():
        matches = [f for f in ev.findings if f.rule == rule]
        if not matches:
            problems.append(f"{label}: no finding from {rule} to compare figures with")
            continue
        for key, want in figures.items():
            got_values = [_norm(m.data.get(key)) for m in matches]
            if _norm(want) not in got_values:
                problems.append(f"{label}: {rule}.{key} is {got_values}, expected {_norm(want)}")
    return problems, ev


def _norm(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


def coverage_problems(rules: RuleSet, scenarios: list[Scenario]) -> list[str]:
    """Rules no scenario makes fire or shows not firing, and scenarios naming unknown rules."""
    seen = set(iter_rule_ids(scenarios))
    problems = []
    for rule in rules.rules:
        if ("fires", rule.id) not in seen:
            problems.append(f"{rule.file}#{rule.id}: no scenario makes it fire")
        if ("not_fires", rule.id) not in seen:
            problems.append(f"{rule.file}#{rule.id}: no scenario shows it not firing")
    ids = rules.by_id()
    for _, rule_id in sorted(set(seen)):
        if rule_id not in ids:
            problems.append(f"scenarios name a rule that does not exist: {rule_id}")
    return problems


def check_folder(folder: Traversable) -> tuple[int, int, list[str]]:
    """Load the rules in ``folder`` (laid out like ``rules/``: rule files, ``parameters.toml``,
    ``citations.toml`` and ``scenarios/``) and run every scenario on both evaluators.

    Returns (rules, scenarios, problems).  A rule file that does not load raises
    :class:`RuleFileError` naming the file, rule and field."""
    from ..engine import new_evaluator
    from ..ruleset.loader import load_ruleset_dir

    rules = load_ruleset_dir(folder)
    scenarios = load_scenarios(folder / "scenarios")
    problems = coverage_problems(rules, scenarios)
    engines = {name: new_evaluator(rules, name) for name in EVALUATORS}
    for scenario in scenarios:
        results = {
            name: run_scenario(scenario, name, ruleset=rules, engine=engine)
            for name, engine in engines.items()
        }
        for found, _ev in results.values():
            problems.extend(found)
        if _disagree(results["durable"][1], results["oracle"][1]):
            problems.append(f"{scenario.file}: {scenario.name!r}: the evaluators disagree")
    return len(rules.rules), len(scenarios), problems


def _disagree(durable: Any, oracle: Any) -> bool:
    if durable is None or oracle is None:
        return False
    return [f.to_json() for f in durable.findings] != [f.to_json() for f in oracle.findings]


def iter_rule_ids(scenarios: list[Scenario]) -> Iterator[tuple[str, str]]:
    for s in scenarios:
        for r in s.fires:
            yield ("fires", r)
        for r in s.not_fires:
            yield ("not_fires", r)
