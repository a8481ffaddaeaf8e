"""Loading a case: bytes / text / dict → a validated, frozen :class:`~negotiator.models.Case`.

TOML and JSON are told apart by content (a JSON document starts with ``{``).  Numbers are read
as exact decimals (``parse_float=Decimal``), never as binary floats.  Structuring goes through
one :class:`cattrs.Converter` with detailed validation and ``forbid_extra_keys``; every problem
becomes an :class:`~negotiator.errors.InputError` whose message names the field path, e.g.
``loans[1].fees[0].amount: must not be negative``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
import typing
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from . import models
from .errors import InputError
from .models import Case, FieldError

__all__ = ["load_case", "parse_document", "structure", "unstructure"]

T = TypeVar("T")

MAX_DOCUMENT_BYTES = 5_000_000


def _decimal(value: object, _t: type) -> Decimal:
    if isinstance(value, bool | float):
        raise ValueError("write numbers as decimals in the file, or as strings (not floats)")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int | str):
        try:
            d = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError("is not a number") from None
    else:
        raise ValueError(f"expected a number, got {_kind(value)}")
    if not d.is_finite():
        raise ValueError("must be a finite number")
    return d


def _date(value: object, _t: type) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date (YYYY-MM-DD), got a date and time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("expected a date written YYYY-MM-DD") from None
    raise ValueError(f"expected a date written YYYY-MM-DD, got {_kind(value)}")


_BEIJING = dt.timezone(dt.timedelta(hours=8))


def _datetime(value: object, _t: type) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("expected a date and time written YYYY-MM-DDTHH:MM") from None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_BEIJING).replace(tzinfo=None)
        return value
    raise ValueError(f"expected a date and time written YYYY-MM-DDTHH:MM, got {_kind(value)}")


def _str(value: object, _t: type) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {_kind(value)}")
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


def _int(value: object, _t: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return int(value)
        raise ValueError(f"expected a whole number, got {_kind(value)}")
    if abs(value) > 10**12:
        raise ValueError("is out of range")
    return value


def _bool(value: object, _t: type) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {_kind(value)}")
    return value


def _enum(value: object, t: type[Enum]) -> Enum:
    if isinstance(value, str):
        try:
            return t(value)
        except ValueError:
            pass
    allowed = ", ".join(str(m.value) for m in t)
    if not isinstance(value, str):
        raise ValueError(f"expected one of: {allowed}")
    raise ValueError(f"{value[:40]!r} is not one of: {allowed}")


def _kind(value: object) -> str:
    return {
        dict: "a table",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a whole number",
        Decimal: "a number",
        float: "a float",
    }.get(type(value), type(value).__name__)


_ENUMS: list[type[Enum]] = [
    obj
    for obj in vars(models).values()
    if isinstance(obj, type) and issubclass(obj, Enum) and obj.__module__ == models.__name__
]


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(Decimal, _decimal)
    conv.register_structure_hook(dt.datetime, _datetime)
    conv.register_structure_hook(dt.date, _date)
    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(bool, _bool)
    for enum_type in _ENUMS:
        conv.register_structure_hook(enum_type, _enum)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook(dt.datetime, lambda d: d.isoformat(timespec="minutes"))
    return conv


_CONVERTER = _make_converter()


def _collect(exc: BaseException, path: str, out: list[tuple[str, str]]) -> None:
    """Walk a cattrs error tree into (path, problem) pairs."""
    if isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            out.append((_join(path, key), "unknown field (check the spelling)"))
        return
    if isinstance(exc, ClassValidationError | IterableValidationError):
        for sub in exc.exceptions:
            note = _note_of(sub)
            if note is None:
                _collect(sub, path, out)
            elif isinstance(note, int):
                _collect(sub, f"{path}[{note}]", out)
            else:
                _collect(sub, _join(path, note), out)
        return
    if isinstance(exc, FieldError):
        out.append((_join(path, exc.field), exc.problem))
        return
    if isinstance(exc, KeyError):
        out.append((path, "this field is required"))
        return
    if isinstance(exc, TypeError):
        out.append((path, _type_problem(exc)))
        return
    message = str(exc) or type(exc).__name__
    out.append((path, message))


def _type_problem(exc: TypeError) -> str:
    text = str(exc)
    if "missing" in text and "required" in text:
        return "a required field is missing: " + text.split("argument")[-1].strip(": ")
    if "not iterable" in text or "object is not" in text:
        return "has the wrong type"
    return "has the wrong type"


def _note_of(exc: BaseException) -> str | int | None:
    for note in getattr(exc, "__notes__", []):
        name = getattr(note, "name", None)
        if name is not None:
            return str(name)
        index = getattr(note, "index", None)
        if index is not None:
            return int(index)
    return None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def structure(data: object, cls: type[T], *, root: str = "") -> T:
    """Structure plain data into ``cls``; raise :class:`InputError` naming every bad path."""
    if not isinstance(data, Mapping):
        raise InputError(root, f"expected a table of fields, got {_kind(data)}")
    try:
        return _CONVERTER.structure(data, cls)
    except (ClassValidationError, IterableValidationError, ForbiddenExtraKeysError) as exc:
        problems: list[tuple[str, str]] = []
        _collect(exc, root, problems)
        problems = _missing_fields(data, cls, problems)
        first_path, first = problems[0]
        raise InputError(first_path, first, errors=problems) from None
    except (ValueError, TypeError) as exc:
        raise InputError(root, str(exc)) from None


def _missing_fields(
    data: object, cls: type[Any], problems: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    # Keep the order; make "required" messages name the field when cattrs only gave the table.
    return problems or [("", "invalid case")]


def unstructure(obj: object) -> Any:
    """The plain-data form of a model (Decimal → str, dates → ISO), round-trippable."""
    return _drop_none(_CONVERTER.unstructure(obj))


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None and v != ()}
    if isinstance(value, list | tuple):
        return [_drop_none(v) for v in value]
    return value


def parse_document(raw: bytes | str) -> dict[str, Any]:
    """Parse TOML or JSON (told apart by content) into plain data with exact decimals."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_DOCUMENT_BYTES:
            raise InputError("", "the case file is larger than 5 MB")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("", "the case file is not UTF-8 text") from None
    else:
        text = raw
    if "\x00" in text:
        raise InputError("", "the case file contains NUL bytes; is it a binary file?")
    stripped = text.lstrip()
    # "[" opens a JSON array but also a TOML table header such as "[borrower]".
    if stripped.startswith("{") or (stripped.startswith("[") and not _TOML_HEADER.match(stripped)):
        try:
            data = json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            raise InputError(
                "", f"not valid JSON (line {exc.lineno}, column {exc.colno})"
            ) from None
        except (ValueError, RecursionError) as exc:
            raise InputError("", f"not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise InputError("", "a JSON case must be an object {…}")
        return data
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise InputError("", f"not valid TOML or JSON: {exc}") from None
    except RecursionError:
        raise InputError("", "the case file is nested too deeply") from None


_TOML_HEADER = re.compile(r"\[\[?\s*[A-Za-z_\"'][^\]\n]*\]\]?[ \t]*(#.*)?\r?\n")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a case may contain")


def load_case(source: bytes | str | Path | Mapping[str, Any]) -> Case:
    """Load and validate a case from a path, TOML/JSON text or bytes, or a plain dict.

    A :class:`str` is read as the document itself; pass a :class:`pathlib.Path` for a file.
    Raises :class:`~negotiator.errors.InputError` on any problem.
    """
    if isinstance(source, Path):
        try:
            raw: bytes | str | Mapping[str, Any] = source.read_bytes()
        except OSError as exc:
            raise InputError("", f"cannot read the case file: {exc.strerror}") from None
    else:
        raw = source
    data = raw if isinstance(raw, Mapping) else parse_document(raw)
    from .natural import canonicalise  # natural spellings → canonical values (docs/case-format.md)

    data, originals = canonicalise(data)
    try:
        return structure(data, Case)
    except InputError as exc:
        exc.originals = originals
        raise


# Keep mypy aware of typing use for hooks above.
_ = typing
