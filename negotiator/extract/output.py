"""The extraction's output contract (TOML and JSON) and its merge into a case."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .core import Extraction

__all__ = ["extraction_json", "extraction_toml", "merge_into_case"]

_HEADER = (
    "# Read from the text by `negotiator extract`.  [agreement] and [[loans]] use the case\n"
    "# format: paste them into a case file.  [provenance], [[inconsistencies]] and [[red_flags]]\n"
    "# say where each value came from and what to look at; they are not part of a case.\n"
    "# Check every value against the text before relying on it.\n\n"
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def extraction_json(ex: Extraction) -> str:
    return json.dumps(_jsonable(ex.to_data()), ensure_ascii=False, indent=2)


def extraction_toml(ex: Extraction) -> str:
    import tomli_w

    data = ex.to_data()
    if not data["inconsistencies"]:
        data.pop("inconsistencies")
    if not data["red_flags"]:
        data.pop("red_flags")
    return _HEADER + tomli_w.dumps(data)


def merge_into_case(case: dict[str, Any], ex: Extraction) -> tuple[dict[str, Any], list[str]]:
    """The case with the extraction's agreement merged in, and the field paths taken from the text.

    Fields the case already states win; the text fills only what the case leaves out.  With
    one loan (or an agreement naming its loan) the loan facts of the text fill the same way.
    """
    merged = dict(case)
    taken: list[str] = []
    agreement = dict(merged.get("agreement") or {})
    for key, value in ex.agreement.items():
        if key not in agreement:
            agreement[key] = value
            taken.append(f"agreement.{key}")
        elif isinstance(value, dict) and isinstance(agreement[key], dict) and key != "rate":
            inner = dict(agreement[key])
            for k2, v2 in value.items():
                if k2 not in inner:
                    inner[k2] = v2
                    taken.append(f"agreement.{key}.{k2}")
            agreement[key] = inner
    merged["agreement"] = agreement
    loans = [dict(loan) for loan in merged.get("loans") or []]
    if loans and ex.loans:
        index = 0
        if len(loans) > 1:
            wanted = agreement.get("loan")
            ids = [loan.get("id") or f"L{i + 1}" for i, loan in enumerate(loans)]
            index = ids.index(wanted) if wanted in ids else -1
        if index >= 0:
            for key, value in ex.loans[0].items():
                if key not in loans[index]:
                    loans[index][key] = value
                    taken.append(f"loans[{index}].{key}")
        merged["loans"] = loans
    return merged, taken


def read_source(source: str, stdin: Any = None) -> bytes:
    """The bytes of FILE, or of standard input for ``-``."""
    import sys
    from pathlib import Path

    from ..errors import InputError
    from .reader import MAX_INPUT_BYTES

    if source == "-":
        stream = (stdin or sys.stdin).buffer
        raw = stream.read(MAX_INPUT_BYTES + 1)
        if len(raw) > MAX_INPUT_BYTES:
            raise InputError(
                "TEXT", f"the input is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB"
            )
        return bytes(raw)
    path = Path(source)
    if not path.is_file():
        raise InputError("TEXT", f"no such file: {source}")
    if path.stat().st_size > MAX_INPUT_BYTES:
        raise InputError("TEXT", f"the file is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError("TEXT", f"cannot read the file: {exc.strerror}") from None


def extract_file(source: str) -> Extraction:
    """Read FILE (text, DOCX or PDF; ``-`` for standard input) and extract its agreement."""
    from .core import extract_agreement
    from .reader import read_document

    return extract_agreement(read_document(read_source(source)))


def case_from_text(case_source: str, text_source: str) -> tuple[Any, Extraction, list[str]]:
    """The case of CASE with the agreement of the text merged in (see :func:`merge_into_case`)."""
    import sys
    from pathlib import Path

    from ..case.load import load_case, parse_document
    from ..errors import InputError

    ex = extract_file(text_source)
    if case_source == "-":
        if text_source == "-":
            raise InputError("CASE", "the case and the text cannot both come from standard input")
        raw = sys.stdin.buffer.read()
    else:
        path = Path(case_source)
        if not path.is_file():
            raise InputError("CASE", f"no such file: {case_source}")
        raw = path.read_bytes()
    merged, taken = merge_into_case(parse_document(raw), ex)
    return load_case(merged), ex, taken


def from_text_note(ex: Extraction, taken: list[str]) -> str:
    """The lines a check report starts with when part of the case came from a text."""
    lines = ["来自文本的字段（请对照原文核对）: " + ("、".join(taken) if taken else "无")]
    for item in ex.inconsistencies:
        lines.append(f"- 文本自相矛盾 [{item.code}] {item.message}")
    for flag in ex.red_flags:
        lines.append(f"- 风险词 [{flag.code}] 第{flag.line}行第{flag.column}列: {flag.phrase}")
    return "\n".join(lines) + "\n\n"


def from_text_json(ex: Extraction, taken: list[str]) -> dict[str, Any]:
    data = _jsonable(ex.to_data())
    return {
        "fields": taken,
        "provenance": data["provenance"],
        "inconsistencies": data["inconsistencies"],
        "red_flags": data["red_flags"],
    }
