"""Thresholds and policy parameters, as data with their references.

The values live in ``rules/parameters.toml`` (package data ``negotiator.rules``) so that every
threshold the judgement depends on — what "short-term" means, the safety margin kept out of the
budget, the instalment ceiling — is visible and reviewable next to the rules, not buried in code.
Each entry carries a value, a unit, a description and its reference (a seed section, a statute,
or "policy" for a documented choice of ours).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import attrs

from .errors import RuleFileError

__all__ = ["Parameter", "Parameters", "load_parameters"]

_KEYS = {"value", "unit", "doc", "reference"}
#: Optional: ``as_of``, the date a figure of practice (not law) was last checked against its source.
_OPTIONAL = {"as_of"}
_UNITS = {"fraction", "yuan", "days", "months", "count", "hour", "rate"}


@attrs.frozen
class Parameter:
    name: str
    value: Decimal | int
    unit: str
    doc: str
    reference: str
    as_of: dt.date | None = None


@attrs.frozen
class Parameters:
    entries: Mapping[str, Parameter]

    def decimal(self, name: str) -> Decimal:
        v = self._get(name).value
        return v if isinstance(v, Decimal) else Decimal(v)

    def integer(self, name: str) -> int:
        v = self._get(name).value
        if not isinstance(v, int):
            raise RuleFileError(f"parameters.toml#{name}", "must be a whole number")
        return v

    def _get(self, name: str) -> Parameter:
        try:
            return self.entries[name]
        except KeyError:
            raise RuleFileError(f"parameters.toml#{name}", "parameter is not defined") from None


def parse_parameters(text: str, file: str = "parameters.toml") -> Parameters:
    try:
        doc: dict[str, Any] = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(file, f"not valid TOML: {exc}") from None
    entries: dict[str, Parameter] = {}
    for name, raw in doc.get("param", {}).items():
        where = f"{file}#{name}"
        if not isinstance(raw, dict):
            raise RuleFileError(where, "each parameter is a table")
        unknown = set(raw) - _KEYS - _OPTIONAL
        if unknown:
            raise RuleFileError(f"{where}.{sorted(unknown)[0]}", "unknown key")
        missing = _KEYS - set(raw)
        if missing:
            raise RuleFileError(f"{where}.{sorted(missing)[0]}", "is required")
        value = raw["value"]
        if isinstance(value, str):
            value = Decimal(value)
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise RuleFileError(f"{where}.value", "must be a number")
        if raw["unit"] not in _UNITS:
            raise RuleFileError(f"{where}.unit", f"must be one of {', '.join(sorted(_UNITS))}")
        as_of = raw.get("as_of")
        if as_of is not None and (not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime)):
            raise RuleFileError(f"{where}.as_of", "must be a date (YYYY-MM-DD)")
        entries[name] = Parameter(
            name, value, raw["unit"], raw["doc"], raw["reference"], as_of=as_of
        )
    if set(doc) - {"param"}:
        raise RuleFileError(file, "only [param.NAME] tables are allowed")
    return Parameters(entries)


@cache
def load_parameters() -> Parameters:
    text = (resources.files("negotiator.rules") / "parameters.toml").read_text(encoding="utf-8")
    return parse_parameters(text)
