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

``negotiator.scenarios.run`` evaluates each scenario with a given evaluator and returns the
problems found; the test suite runs every scenario through both the durable-rules evaluator and
the oracle and checks that they agree.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from decimal import Decimal
from importlib import resources
from typing import TYPE_CHECKING, Any, cast

import attrs

from .errors import InputError, RuleFileError
from .i18n import check_lang

if TYPE_CHECKING:
    from .options import EvaluatorName

__all__ = ["Scenario", "load_scenarios", "run_scenario"]

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


def load_scenarios() -> list[Scenario]:
    """Every packaged scenario, file by file."""
    root = resources.files("negotiator.rules") / "scenarios"
    out: list[Scenario] = []
    for item in sorted(root.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".toml"):
            out.extend(parse_scenarios(item.read_text(encoding="utf-8"), item.name))
    return out


def _engine_name(name: str) -> EvaluatorName:
    if name not in ("durable", "oracle"):
        raise InputError("evaluator", "must be 'durable' or 'oracle'")
    return cast("EvaluatorName", name)


def run_scenario(scenario: Scenario, evaluator: str = "durable") -> tuple[list[str], Any]:
    """Evaluate one scenario; return (problems, evaluation).  No problems means it passed."""
    from .api import evaluate
    from .load import load_case

    try:
        case = load_case(scenario.case)
    except InputError as exc:
        return [f"{scenario.file}: {scenario.name}: case does not load: {exc}"], None
    ev = evaluate(case, lang=check_lang(scenario.lang), evaluator=_engine_name(evaluator))
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


def iter_rule_ids(scenarios: list[Scenario]) -> Iterator[tuple[str, str]]:
    for s in scenarios:
        for r in s.fires:
            yield ("fires", r)
        for r in s.not_fires:
            yield ("not_fires", r)
