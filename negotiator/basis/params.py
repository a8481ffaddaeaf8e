"""Thresholds and policy parameters, as data with their references.

The values live in ``rules/parameters.toml`` (package data ``negotiator.rules``) so that every
threshold the judgement depends on — what "short-term" means, the safety margin kept out of the
budget, the instalment ceiling — is visible and reviewable next to the rules, not buried in code.
Each entry carries a value, a unit, a description and its reference (a seed section, a statute,
or "policy" for a documented choice of ours).  A parameter the law fixes is dated (``since``, the
day the value took effect) and names its instrument in the citation register (``law`` and
``article``, checked against ``rules/citations.toml`` when the rules load).

Rule conditions may name a parameter instead of a literal
(``["calls", ">", { param = "collection_calls_per_day_max" }]``); the rule loader replaces it with
the value, so the engine sees exactly the literal it would have seen.  Python code reads a
parameter through :func:`load_parameters` (once, when its module is imported) and never
restates the value: ``tests/basis/test_parameters.py`` fails when one does.
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

from ..errors import RuleFileError, check_table

__all__ = ["Parameter", "Parameters", "load_parameters", "parse_parameters"]

_REQUIRED = {"value", "unit", "doc", "reference"}
#: ``as_of``: the date a figure of practice (not law) was last checked against its source;
#: ``since``, ``law``, ``article``: when a value the law fixes took effect, and where.
_KEYS = _REQUIRED | {"as_of", "since", "law", "article"}
_UNITS = {"fraction", "ratio", "yuan", "days", "months", "years", "count", "hour", "rate", "date"}


@attrs.frozen
class Parameter:
    name: str
    value: Decimal | int | dt.date
    unit: str
    doc: str
    reference: str
    #: The date a figure of practice (not law) was last checked against its source.
    as_of: dt.date | None = None
    #: The day the value took effect (a value the law fixes); None for a policy choice.
    since: dt.date | None = None
    #: The instrument that fixes the value: a key of the citation register, and its article.
    law: str | None = None
    article: str | None = None


@attrs.frozen
class Parameters:
    entries: Mapping[str, Parameter]

    def decimal(self, name: str) -> Decimal:
        v = self._get(name).value
        if isinstance(v, dt.date):
            raise RuleFileError(f"parameters.toml#{name}", "is a date, not a number")
        return v if isinstance(v, Decimal) else Decimal(v)

    def integer(self, name: str) -> int:
        v = self._get(name).value
        if not isinstance(v, int):
            raise RuleFileError(f"parameters.toml#{name}", "must be a whole number")
        return v

    def date(self, name: str) -> dt.date:
        v = self._get(name).value
        if not isinstance(v, dt.date):
            raise RuleFileError(f"parameters.toml#{name}", "must be a date")
        return v

    def get(self, name: str) -> Parameter | None:
        return self.entries.get(name)

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
        check_table(raw, where, "parameter", _KEYS, _REQUIRED)
        entries[name] = _parse_entry(name, raw, where)
    if set(doc) - {"param"}:
        raise RuleFileError(file, "only [param.NAME] tables are allowed")
    return Parameters(entries)


def _parse_entry(name: str, raw: Mapping[str, Any], where: str) -> Parameter:
    value = raw["value"]
    unit = raw["unit"]
    if unit not in _UNITS:
        raise RuleFileError(f"{where}.unit", f"must be one of {', '.join(sorted(_UNITS))}")
    if unit == "date":
        if type(value) is not dt.date:
            raise RuleFileError(f"{where}.value", "a date parameter is a TOML date (2025-10-01)")
    else:
        if isinstance(value, str):
            try:
                value = Decimal(value)
            except ArithmeticError:
                raise RuleFileError(f"{where}.value", "must be a number") from None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise RuleFileError(f"{where}.value", "must be a number")
    since = raw.get("since")
    if since is not None and type(since) is not dt.date:
        raise RuleFileError(f"{where}.since", "must be a TOML date (2021-01-01)")
    as_of = raw.get("as_of")
    if as_of is not None and type(as_of) is not dt.date:
        raise RuleFileError(f"{where}.as_of", "must be a date (YYYY-MM-DD)")
    for key in ("doc", "reference", "law", "article"):
        if key in raw and (not isinstance(raw[key], str) or not raw[key].strip()):
            raise RuleFileError(f"{where}.{key}", "must be non-empty text")
    if "article" in raw and "law" not in raw:
        raise RuleFileError(f"{where}.article", "an article belongs to a `law`")
    return Parameter(
        name,
        value,
        unit,
        raw["doc"],
        raw["reference"],
        as_of=as_of,
        since=since,
        law=raw.get("law"),
        article=raw.get("article"),
    )


@cache
def load_parameters() -> Parameters:
    text = (resources.files("negotiator.rules") / "parameters.toml").read_text(encoding="utf-8")
    return parse_parameters(text)
