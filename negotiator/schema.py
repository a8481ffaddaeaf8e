"""The JSON Schema of the case format, generated from the attrs models (never kept by hand).

``python -m negotiator.schema > docs/case.schema.json`` writes it; a test checks the committed
copy is current and that every example case validates against it.  The schema describes the
*file* format: amounts may be written as decimal strings or numbers (the loader reads numbers as
exact decimals), dates as ``YYYY-MM-DD``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import types
import typing
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from . import models

__all__ = ["case_schema"]

_DEFS: dict[str, dict[str, Any]] = {}

# Digits 0-9 only; commas only between groups of three; "-0" is read as zero.
_UNSIGNED = r"([0-9]+|[0-9]{1,3}(,[0-9]{3})+)"
# Amounts: below one trillion (12 digits), or exactly one trillion (models.MAX_AMOUNT).
_UPTO_TRILLION = r"([0-9]{1,12}|[0-9]{1,3}(,[0-9]{3}){0,3})"
_TRILLION = r"(1000000000000|1,000,000,000,000)"
_AMOUNT = {
    "description": (
        "an amount in yuan, at most to the fen, from 0 to 1,000,000,000,000 (as a string, or as "
        "a JSON number with at most 2 decimal places)"
    ),
    "anyOf": [
        {
            "type": "string",
            "pattern": rf"^\s*(\+?{_UPTO_TRILLION}(\.[0-9]{{1,2}})?|\+?{_TRILLION}(\.0{{1,2}})?"
            rf"|-0(\.0{{1,2}})?)\s*$",
        },
        {"type": "number", "minimum": 0, "maximum": 10**12},
    ],
}
_DECIMAL = {
    "description": "an exact decimal number",
    "anyOf": [
        {"type": "string", "pattern": rf"^\s*[+-]?{_UNSIGNED}(\.[0-9]+)?\s*$"},
        {"type": "number"},
    ],
}
# A rate as a fraction per unit: 0 to 10 (24 % is 0.24).
_RATE = {
    "description": "a fraction per unit from 0 to 10, e.g. 0.0005 (24 % is written 0.24)",
    "anyOf": [
        {
            "type": "string",
            "pattern": r"^\s*(\+?(10(\.0+)?|[0-9](\.[0-9]+)?|\.[0-9]+)|-0(\.0+)?)\s*$",
        },
        {"type": "number", "minimum": 0, "maximum": 10},
    ],
}
# Years 1900-2999 (models.EARLIEST_DATE / LATEST_DATE); the calendar check is the loader's.
_YEAR = r"(19[0-9]{2}|2[0-9]{3})"
_DATE = {
    "type": "string",
    "format": "date",
    "pattern": rf"^\s*{_YEAR}-[0-9]{{2}}-[0-9]{{2}}\s*$",
    "description": "a date YYYY-MM-DD from 1900-01-01 to 2999-12-31",
}
_DATETIME = {
    "type": "string",
    "pattern": (
        rf"^\s*{_YEAR}-[0-9]{{2}}-[0-9]{{2}}([T ][0-9]{{2}}:[0-9]{{2}}"
        r"(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?\s*$"
    ),
    "description": (
        "local date and time (Beijing), e.g. 2026-11-03T22:40; a date alone means midnight; an "
        "offset is converted to Beijing time"
    ),
}
# Text: not blank, no C0 control character other than tab, line feed, carriage return.
_TEXT_CHARS = "^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"
#: Short text fields are one line (negotiator.models.ONE_LINE_MAX).
_ONE_LINE = "^[^\r\n]*$"


def _validators(field: attrs.Attribute[Any] | None) -> list[Any]:
    """The field's validators, with attrs' ``and_`` combination unpacked."""
    if field is None or field.validator is None:
        return []
    found = [field.validator]
    out = []
    while found:
        v = found.pop(0)
        inner = getattr(v, "_validators", None)
        if inner is not None:
            found.extend(inner)
        else:
            out.append(v)
    return out


def _is_money(field: attrs.Attribute[Any]) -> bool:
    return any(v is models.money or getattr(v, "money", False) for v in _validators(field))


def _type_schema(tp: Any, field: attrs.Attribute[Any] | None) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        non_none = [a for a in args if a is not type(None)]
        inner = (
            _type_schema(non_none[0], field)
            if len(non_none) == 1
            else {"anyOf": [_type_schema(a, field) for a in non_none]}
        )
        if type(None) in args:  # an optional field may be given as JSON null (= left out)
            return {"anyOf": [inner, {"type": "null"}]}
        return inner
    if origin is tuple:
        return {"type": "array", "items": _type_schema(args[0], None)}
    if tp is Decimal:
        if field is not None and _is_money(field):
            return dict(_AMOUNT)
        return dict(_DECIMAL)
    if tp is dt.datetime:
        return dict(_DATETIME)
    if tp is dt.date:
        return dict(_DATE)
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        low, high = -(10**12), 10**12
        for v in _validators(field):
            if hasattr(v, "bounds"):
                low, high = v.bounds
        out: dict[str, Any] = {"type": "integer", "minimum": low, "maximum": high}
        if field is not None and field.name == "basis":
            out = {"type": "integer", "enum": [360, 365]}
        return out
    if tp is str:
        text: dict[str, Any] = {
            "type": "string",
            "minLength": 1,
            "allOf": [{"pattern": "\\S"}, {"pattern": _TEXT_CHARS}],
        }
        text["maxLength"] = 10_000  # negotiator.load.MAX_TEXT
        for v in _validators(field):
            if hasattr(v, "max_length"):
                text["maxLength"] = v.max_length
            if getattr(v, "one_line", False):
                text["allOf"].append({"pattern": _ONE_LINE})
        return text
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"type": "string", "enum": [m.value for m in tp]}
    if attrs.has(tp):
        _define(tp)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    raise TypeError(f"no schema for {tp!r}")


def _define(cls: type) -> None:
    name = cls.__name__
    if name in _DEFS:
        return
    _DEFS[name] = {}  # reserve (recursion guard)
    hints = typing.get_type_hints(cls)
    props: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        schema = _type_schema(hints[field.name], field)
        if cls is models.Rate and field.name == "value":
            schema = dict(_RATE)
        for v in _validators(field):
            if hasattr(v, "up_to_ten"):
                schema = dict(_RATE)
                if not v.up_to_ten:
                    schema["not"] = {"pattern": r"^\s*[+-]?0*(\.0*)?\s*$", "type": "string"}
                    schema["anyOf"] = [
                        schema["anyOf"][0],
                        {"type": "number", "exclusiveMinimum": 0, "maximum": 10},
                    ]
                schema = {"anyOf": [schema, {"type": "null"}]}
        for v in _validators(field):
            if hasattr(v, "min_items"):
                schema = {**schema, "minItems": v.min_items}
        doc = field.metadata.get("doc")
        if doc:
            schema = {**schema, "description": doc}
        if field.metadata.get("pii"):
            schema["x-personal-data"] = True
        props[field.name] = schema
        if field.default is attrs.NOTHING:
            required.append(field.name)
    body: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": props,
    }
    if cls.__doc__:
        body["description"] = " ".join(cls.__doc__.split())
    if required:
        body["required"] = required
    one_of_needed = getattr(cls, "__at_least_one__", ())
    if one_of_needed:  # the model refuses a record with none of these fields given
        body["anyOf"] = [
            {"required": [f], "properties": {f: {"not": {"type": "null"}}}}
            for f in one_of_needed
        ]
    _DEFS[name] = body


def case_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of a case file."""
    _DEFS.clear()
    _define(models.Case)
    root = _DEFS.pop("Case")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://negotiator.invalid/case.schema.json",
        "title": "negotiator case",
        **root,
        "$defs": dict(sorted(_DEFS.items())),
    }


if __name__ == "__main__":  # pragma: no cover
    json.dump(case_schema(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
