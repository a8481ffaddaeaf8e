"""One contract: docs/case.schema.json describes exactly what the loader accepts.

Two generators, both driven by the code rather than by a list of fields (so a field added to
the models is covered without touching this file):

* from the **JSON Schema** (a small walker over the published schema — hypothesis-jsonschema
  does not work with the current Hypothesis): every document it makes must load, unless the
  loader refuses it for one of the cross-field rules a JSON Schema cannot state (listed below
  and in the schema's descriptions);
* from the **models** (the attrs fields and their validators: bounds, lengths, money, enums,
  dates): every document the loader accepts must validate against the schema.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import types
import typing
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs
import jsonschema
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from negotiator import InputError, load_case
from negotiator.case import models
from negotiator.case.schema import _validators, case_schema

SCHEMA = case_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

#: Refusals that depend on several fields at once, which a JSON Schema cannot state.
CROSS_FIELD = re.compile(
    "|".join(
        [
            r"names no loan of the case",
            r"court details need lawsuit",
            r"several loans: say which one",
            r"is already (the|the default) id of",
            r"before|after|later than|earlier than",
            r"more than|less than|exceeds|larger than|smaller than|at most the|at least the",
            r"must not be blank",  # whitespace-only text: the schema's \S is approximate
            r"is not a valid|check digit|checksum|not a real|unknown area",
            r"cannot be|does not match|inconsistent|needs|requires|without",
        ]
    )
)

SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029"),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() != "")


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        return dict(SCHEMA["$defs"][ref.rsplit("/", 1)[1]])
    return schema


def from_schema(schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    schema = _resolve(schema)
    if "anyOf" in schema and "type" not in schema:
        return st.one_of([from_schema(s, depth) for s in schema["anyOf"]])
    # an object's own "anyOf" (at least one of some fields) is left to the validator (assume)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        required = set(schema.get("required", ()))
        return st.fixed_dictionaries(
            {k: from_schema(v, depth + 1) for k, v in props.items() if k in required},
            optional={k: from_schema(v, depth + 1) for k, v in props.items() if k not in required},
        )
    if kind == "array":
        return st.lists(
            from_schema(schema["items"], depth + 1),
            min_size=schema.get("minItems", 0),
            max_size=2 if depth < 3 else 1,
        )
    if kind == "integer":
        return st.integers(schema.get("minimum", -(10**12)), schema.get("maximum", 10**12))
    if kind == "number":
        low, high = schema.get("minimum"), schema.get("maximum")
        return st.decimals(low, high, places=2, allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "string":
        if schema.get("format") == "date":
            return st.dates(dt.date(1900, 1, 1), dt.date(2999, 12, 31)).map(dt.date.isoformat)
        if "pattern" in schema and "allOf" not in schema:
            if "T ]" in schema["pattern"]:  # date and time
                return st.datetimes(dt.datetime(1900, 1, 2), dt.datetime(2999, 12, 30)).map(
                    lambda d: d.isoformat(timespec="minutes")
                )
            return st.from_regex(schema["pattern"], fullmatch=True)
        limit = schema.get("maxLength", 12)
        return SAFE_TEXT.map(lambda s: s[:limit]).filter(lambda s: s.strip() != "")
    raise AssertionError(f"no strategy for {schema}")


# --- from the models -------------------------------------------------------------------------


def _field_value(tp: Any, field: attrs.Attribute[Any] | None) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        non_none = [a for a in args if a is not type(None)]
        return st.one_of([_field_value(a, field) for a in non_none])
    if origin is tuple:
        return st.lists(_field_value(args[0], None), max_size=2)
    checks = _validators(field)
    if tp is Decimal:
        if models.money in checks or any(getattr(v, "money", False) for v in checks):
            return st.decimals(0, 10**12, places=2).map(str)
        return st.decimals(0, 10, places=4).map(str)
    if tp is dt.datetime:
        return st.datetimes(dt.datetime(1900, 1, 2), dt.datetime(2999, 12, 30)).map(
            lambda d: d.isoformat(timespec="minutes")
        )
    if tp is dt.date:
        return st.dates(dt.date(1900, 1, 1), dt.date(2999, 12, 31)).map(dt.date.isoformat)
    if tp is bool:
        return st.booleans()
    if tp is int:
        low, high = 0, 1000
        for v in checks:
            if hasattr(v, "bounds"):
                low, high = v.bounds
        return st.integers(low, high)
    if tp is str:
        limit = min((getattr(v, "max_length", 12) for v in checks), default=12)
        return SAFE_TEXT.map(lambda s: s[:limit]).filter(lambda s: s.strip() != "")
    if isinstance(tp, type) and issubclass(tp, Enum):
        return st.sampled_from([m.value for m in tp])
    if attrs.has(tp):
        return from_model(tp)
    raise AssertionError(f"no strategy for {tp!r}")


def from_model(cls: type) -> st.SearchStrategy[dict[str, Any]]:
    hints = typing.get_type_hints(cls)
    required, optional = {}, {}
    for field in attrs.fields(cls):
        strategy = _field_value(hints[field.name], field)
        for v in _validators(field):
            if hasattr(v, "min_items"):
                strategy = st.lists(
                    _field_value(typing.get_args(hints[field.name])[0], None),
                    min_size=v.min_items,
                    max_size=2,
                )
        if field.default is attrs.NOTHING:
            required[field.name] = strategy
        else:
            optional[field.name] = strategy
    return st.fixed_dictionaries(required, optional=optional)


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _at(doc: Any, path: str) -> Any:
    cur = doc
    for step in re.findall(r"[^.\[\]]+", path):
        if isinstance(cur, list) and step.isdigit() and int(step) < len(cur):
            cur = cur[int(step)]
        elif isinstance(cur, dict) and step in cur:
            cur = cur[step]
        else:
            return None
    return cur


def _beyond_the_schema(doc: dict[str, Any], problem: str) -> bool:
    """Refusals a JSON Schema cannot state: a date that is not on the calendar (30 February),
    a penalty written as a multiple of a contract rate that is missing or too high."""
    from negotiator.case.natural import _DATE, _clean
    from negotiator.case.schema import NATURAL

    path = problem.split(": ", 1)[0]
    value = _at(doc, path)
    if isinstance(value, str) and (m := _DATE.match(_clean(value))):
        try:
            dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            return True
    field = re.match(r"(loans\[\d+\]\.(penalty|charged)_rate)", path)
    if field:
        written = _at(doc, field.group(1))
        return isinstance(written, str) and bool(re.search(NATURAL["multiple"], written))
    return False


def _loads(doc: dict[str, Any]) -> str | None:
    """None when the loader accepts ``doc``, else the problem it names."""
    try:
        load_case(doc)
    except InputError as exc:
        return f"{exc.path}: {exc.problem}"
    return None


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(from_schema(SCHEMA))
def test_what_the_schema_allows_the_loader_accepts(doc):
    # The walker ignores "not" (e.g. "not zero"): keep only what the schema really allows.
    assume(not list(VALIDATOR.iter_errors(_plain(doc))))
    problem = _loads(doc)
    assert problem is None or CROSS_FIELD.search(problem) or _beyond_the_schema(doc, problem), (
        problem
    )


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(from_model(models.Case))
def test_what_the_loader_accepts_the_schema_allows(doc):
    if _loads(doc) is not None:
        return  # refused for a cross-field rule: nothing to compare
    errors = list(VALIDATOR.iter_errors(_plain(doc)))
    assert not errors, errors[0].message


def test_the_generators_cover_every_model():
    names = set(SCHEMA["$defs"])
    for obj in vars(models).values():
        if attrs.has(obj) and obj.__module__ == models.__name__ and obj is not models.Case:
            reachable = obj.__name__ in names
            assert reachable or obj.__name__ in {"FieldError"}, obj.__name__


def test_commas_and_minus_zero_agree():
    money = SCHEMA["$defs"]["Borrower"]["properties"]["monthly_income"]["anyOf"][0]["anyOf"][0]
    pattern = re.compile(money["pattern"])
    for text, ok in [
        ("12,345.60", True),
        ("12,34", False),
        ("1,,,0", False),
        ("-0", True),
        ("-5", False),
        ("１２３", False),
    ]:
        assert bool(pattern.search(text)) is ok, text
        doc = {
            "borrower": {"monthly_income": text},
            "loans": [{"lender_name": "x", "lender_type": "bank", "principal": "1"}],
        }
        assert (_loads(doc) is None) is ok, text
