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

_AMOUNT = {
    "description": "an amount in yuan, at most to the fen",
    "anyOf": [
        {"type": "string", "pattern": r"^\s*[0-9][0-9,]*(\.[0-9]{1,2})?\s*$"},
        {"type": "number", "minimum": 0, "multipleOf": 0.01},
    ],
}
_DECIMAL = {
    "description": "an exact decimal number",
    "anyOf": [{"type": "string", "pattern": r"^\s*-?[0-9]+(\.[0-9]+)?\s*$"}, {"type": "number"}],
}
_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_DATETIME = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}",
    "description": "local date and time (Beijing), e.g. 2026-11-03T22:40",
}


def _is_money(field: attrs.Attribute[Any]) -> bool:
    return field.validator is models.money


def _type_schema(tp: Any, field: attrs.Attribute[Any] | None) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        non_none = [a for a in args if a is not type(None)]
        if len(non_none) == 1:
            return _type_schema(non_none[0], field)
        return {"anyOf": [_type_schema(a, field) for a in non_none]}
    if origin is tuple:
        return {"type": "array", "items": _type_schema(args[0], None)}
    if tp is Decimal:
        return dict(_AMOUNT) if field is not None and _is_money(field) else dict(_DECIMAL)
    if tp is dt.datetime:
        return dict(_DATETIME)
    if tp is dt.date:
        return dict(_DATE)
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is str:
        return {"type": "string", "minLength": 1}
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
