"""Field-level comparison of an extraction with the expected reading of a text (for the corpus
tests and ``bench/bench_extract.py``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .core import Extraction

__all__ = ["flatten_expected", "flatten_extraction", "score"]


def _norm(value: Any) -> Any:
    if isinstance(value, dict) and "unit" in value:
        return f"{Decimal(str(value['value'])).normalize():f} {value['unit']}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, str):
        try:
            if value.replace(".", "", 1).isdigit():
                return f"{Decimal(value).normalize():f}"
        except ArithmeticError:  # pragma: no cover
            pass
    return value


def _walk(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict) and not ("unit" in value and "value" in value):
        for k, v in value.items():
            _walk(f"{prefix}.{k}", v, out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _walk(f"{prefix}[{i}]", v, out)
    else:
        out[prefix] = _norm(value)


def flatten_extraction(ex: Extraction) -> dict[str, Any]:
    """Every extracted value by field path, plus ``inconsistency:CODE`` and ``red_flag:CODE``."""
    out: dict[str, Any] = {}
    _walk("agreement", ex.agreement, out)
    out.pop("agreement.borrower.kind", None)  # implied by the borrower's name
    for i, loan in enumerate(ex.loans):
        _walk(f"loans[{i}]", loan, out)
    for item in ex.inconsistencies:
        out[f"inconsistency:{item.code}"] = True
    for flag in ex.red_flags:
        out[f"red_flag:{flag.code}"] = True
    return out


def flatten_expected(doc: dict[str, Any]) -> dict[str, Any]:
    """The same for an expected TOML document of the corpus."""
    out: dict[str, Any] = {}
    if "agreement" in doc:
        _walk("agreement", doc["agreement"], out)
    for i, loan in enumerate(doc.get("loans", [])):
        _walk(f"loans[{i}]", loan, out)
    for code in doc.get("inconsistencies", []):
        out[f"inconsistency:{code}"] = True
    for code in doc.get("red_flags", []):
        out[f"red_flag:{code}"] = True
    return out


def score(got: dict[str, Any], want: dict[str, Any]) -> tuple[int, int, int, list[str]]:
    """(correct, extracted, expected, differences)."""
    correct = sum(1 for k, v in got.items() if k in want and want[k] == v)
    diffs = [
        f"{k}: got {got.get(k)!r}, want {want.get(k)!r}"
        for k in sorted(set(got) | set(want))
        if got.get(k) != want.get(k)
    ]
    return correct, len(got), len(want), diffs
