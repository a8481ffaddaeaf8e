"""A report's figures are computed part by part when read, and equal the eager figures."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import negotiator.analysis.figures as figures_module
from negotiator.analysis import CaseAnalysis, analyse
from negotiator.analysis.figures import FigureParts, figures
from negotiator.api import advise, check
from negotiator.calc.ledger import _amount_text
from negotiator.case.load import load_case
from negotiator.findings import _finer_than_fen, json_value
from negotiator.money import LARGEST_STATED, at_most_rate_places, stated, to_fen

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.toml"))


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


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_finer_than_the_fen_is_an_exponent_below_minus_two(value: Decimal) -> None:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    assert _finer_than_fen(value) is (exponent < -2)


@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.text(max_size=5)
        | st.decimals(allow_nan=False, allow_infinity=False, places=4)
        | st.decimals(allow_nan=False, allow_infinity=False, places=2)
        | st.sampled_from([Decimal("999999999999999999.99"), Decimal("-999999999999999999.99")])
        | st.sampled_from([Decimal("1000000000000000000.00"), Decimal("-1000000000000000000.00")])
        | st.decimals(allow_nan=False, allow_infinity=False),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(max_size=3) | st.integers(), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_json_values_of_nested_figures_are_those_of_each_leaf(value: Any) -> None:
    def expected(v: Any) -> Any:
        if isinstance(v, dict):
            return {str(k): expected(x) for k, x in v.items()}
        if isinstance(v, list):
            return [expected(x) for x in v]
        return json_value(None, v)

    assert json_value(None, value) == expected(value)
    json.dumps(json_value(None, value))


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_an_untyped_decimal_is_written_to_the_fen_unless_finer(value: Decimal) -> None:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if abs(value) >= LARGEST_STATED:
        expected = stated(value)
    elif exponent < -2:
        expected = str(at_most_rate_places(value))
    else:
        expected = str(to_fen(value))
    assert json_value(None, value) == expected


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_a_ledger_amount_is_written_with_at_most_the_rate_places(value: Decimal) -> None:
    try:
        expected = str(at_most_rate_places(value))
    except InvalidOperation:  # too many digits to round: the same error either way
        with pytest.raises(InvalidOperation):
            _amount_text(value)
        return
    assert _amount_text(value) == expected
