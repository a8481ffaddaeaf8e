"""A report's figures are computed part by part when read, and equal the eager figures."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

import negotiator.figures as figures_module
from negotiator.analysis import CaseAnalysis, analyse
from negotiator.api import advise, check
from negotiator.figures import FigureParts, figures
from negotiator.load import load_case

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.toml"))


@pytest.fixture(params=EXAMPLES, ids=lambda p: p.stem)
def analysis(request: pytest.FixtureRequest) -> CaseAnalysis:
    return analyse(load_case(request.param))


def test_the_parts_are_the_eager_figures(analysis: CaseAnalysis) -> None:
    parts = FigureParts(analysis)
    eager = figures(analysis)
    assert list(parts) == list(eager) and len(parts) == len(eager)
    assert dict(parts) == eager
    assert parts == eager
    assert "plan" in parts and "nothing" not in parts
    with pytest.raises(KeyError):
        parts["nothing"]
    assert parts.get("nothing") is None


def test_a_part_is_computed_once_and_only_when_read(
    analysis: CaseAnalysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def counting(name: str, part: Callable[[CaseAnalysis], Any]) -> Callable[[CaseAnalysis], Any]:
        def compute(a: CaseAnalysis) -> Any:
            calls.append(name)
            return part(a)

        return compute

    counted = {name: counting(name, part) for name, part in figures_module._PARTS.items()}
    monkeypatch.setattr(figures_module, "_PARTS", counted)
    parts = FigureParts(analysis)
    assert calls == []
    first = parts["agreement"]
    assert parts["agreement"] is first
    assert calls == ["agreement"]
    dict(parts)
    assert sorted(calls) == sorted(counted)


def test_a_copy_or_a_pickle_holds_plain_figures(analysis: CaseAnalysis) -> None:
    parts = FigureParts(analysis)
    for other in (copy.deepcopy(parts), pickle.loads(pickle.dumps(parts)), copy.copy(parts)):
        assert type(other) is dict
        assert other == figures(analysis)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_report_serialises_as_with_eager_figures(path: Path) -> None:
    case = load_case(path)
    reports = [advise(case)] + ([check(case)] if case.agreement is not None else [])
    for report in reports:
        assert isinstance(report.figures, FigureParts)
        eager = attrs.evolve(report, figures=figures(analyse(case, as_of=report.as_of)))
        assert json.dumps(report.to_json(), sort_keys=True) == json.dumps(
            eager.to_json(), sort_keys=True
        )
