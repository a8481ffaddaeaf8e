"""Loading a case: bytes / text / dict → a validated, frozen :class:`~negotiator.case.models.Case`.

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

from ..errors import InputError
from ..money import private_context
from . import models
from .models import Case, FieldError, check_date

__all__ = [
    "check_references",
    "load_case",
    "parse_document",
    "read_limited",
    "structure",
    "unstructure",
]

T = TypeVar("T")

MAX_DOCUMENT_BYTES = 5_000_000


# Commas are allowed only as thousands separators ("12,345.67"): "12,34" is refused, not read
# as 1234.
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
#: Largest number of decimal places a float from a ``dict`` may carry (see :func:`_decimal`).
FLOAT_PLACES = 2


def _decimal(value: object, _t: type) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {_kind(value)}")
    if isinstance(value, float):
        d = _from_float(value)
    elif isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, str):
        d = _from_text(value)
    else:
        raise ValueError(f"expected a number, got {_kind(value)}")
    if not d.is_finite():
        raise ValueError("must be a finite number")
    if d.is_zero() and d.is_signed():
        d = d.copy_abs()  # "-0" is zero
    return d


def _from_text(value: str) -> Decimal:
    text = value.strip()
    if not text.isascii():
        raise ValueError("write numbers with the digits 0-9 (not full-width or other digits)")
    if "," in text:
        if not _GROUPED.fullmatch(text):
            raise ValueError("commas may only separate thousands, as in 12,345.67")
        text = text.replace(",", "")
    if not re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", text):
        raise ValueError("is not a number written as digits, e.g. 1234.56")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise ValueError("is not a number") from None


def _from_float(value: float) -> Decimal:
    """A float from a ``dict`` (e.g. ``json.loads`` output) is accepted when its shortest
    decimal form (``repr``) has at most :data:`FLOAT_PLACES` decimal places: 6500.5 and 19.99
    are exactly what the sender wrote.  A float such as 0.0005 (a rate) is refused, because
    the binary value is not that decimal: pass rates as strings or ``Decimal``, or decode JSON
    with ``json.loads(body, parse_float=decimal.Decimal)``."""
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("must be a finite number")
    d = Decimal(repr(value))
    exponent = d.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -FLOAT_PLACES:
        raise ValueError(
            f"a float with more than {FLOAT_PLACES} decimal places is not exact: pass it as a "
            "string or Decimal (e.g. json.loads(text, parse_float=decimal.Decimal))"
        )
    return d


def _date(value: object, _t: type) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date (YYYY-MM-DD), got a date and time")
    if isinstance(value, dt.date):
        return check_date(value)
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("expected a date written YYYY-MM-DD") from None
        return check_date(day)
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
        check_date(value.date())
        return value
    raise ValueError(f"expected a date and time written YYYY-MM-DDTHH:MM, got {_kind(value)}")


# C0 control characters other than tab, line feed and carriage return, and lone surrogates:
# neither can be printed, written to a UTF-8 file or put in a DOCX letter.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


#: Longest text any field may hold (fields with their own, smaller limit say so).
MAX_TEXT = 10_000


def _str(value: object, _t: type) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {_kind(value)}")
    if len(value) > MAX_TEXT:
        raise ValueError(f"is longer than {MAX_TEXT:,} characters")
    bad = _BAD_CHARS.search(value)
    if bad is not None:
        char = bad.group()
        if char == "\x00":
            raise ValueError("contains a NUL character")
        if "\ud800" <= char <= "\udfff":
            raise ValueError("contains a lone surrogate (\\ud800-\\udfff), which is not text")
        raise ValueError(f"contains the control character U+{ord(char):04X}")
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


def _amount_or_flag(value: object, _t: type) -> Decimal | bool | None:
    """``schedule[].paid``: true/false (paid in full / not paid) or an amount."""
    if value is None or isinstance(value, bool):
        return value
    try:
        return _decimal(value, Decimal)
    except ValueError as exc:
        if isinstance(value, str | dict | list):
            raise ValueError(
                "write the amount paid (e.g. 1234.56), or true (paid in full) / false (not paid)"
            ) from exc
        raise


def _enum(value: object, t: type[Enum]) -> Enum:
    if isinstance(value, str):
        try:
            return t(value)
        except ValueError:
            pass
    allowed = ", ".join(str(m.value) for m in t)
    if isinstance(value, str) and _SAFE_WORD.fullmatch(value):
        raise ValueError(f"{value!r} is not one of: {allowed}")
    # Anything else is not echoed: it could be a phone or ID number typed in the wrong place.
    raise ValueError(f"expected one of: {allowed}")


#: Input echoed in an error message must look like a field name or option word.
_SAFE_WORD = re.compile(r"[A-Za-z_][A-Za-z_-]{0,29}")


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
    conv.register_structure_hook(Decimal | bool | None, _amount_or_flag)
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
            if _SAFE_WORD.fullmatch(key):
                out.append((_join(path, key), "unknown field (check the spelling)"))
            else:  # not echoed: a key may be personal data typed in the wrong place
                out.append((path, "has a field whose name is not a known field name"))
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
        problems = problems or [(root, "invalid case")]  # cattrs always names one; never empty
        first_path, first = problems[0]
        raise InputError(first_path, first, errors=problems) from None
    except (ValueError, TypeError) as exc:
        raise InputError(root, str(exc)) from None


def unstructure(obj: object) -> Any:
    """The plain-data form of a model (Decimal → str, dates → ISO), round-trippable."""
    return _drop_none(_CONVERTER.unstructure(obj))


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None and v != ()}
    if isinstance(value, list | tuple):
        return [_drop_none(v) for v in value]
    return value


#: The deepest dotted key or table header a TOML case may use.  The case format needs 4 levels;
#: tomllib takes time and memory quadratic in the number of parts of one key (a 40 kB key of
#: 20,000 parts took 5.6 s and 1.6 GB), so longer keys are refused before parsing.
MAX_KEY_PARTS = 32
# A key (before "=") or a table header; its dots are counted whatever quotes they are in.
_KEY_LINE = re.compile(r"^[ \t]*(\[\[?[^\]\n]*|[^=\n\"'#\[{]+?)(?==|\]|$)", re.MULTILINE)


def _too_big(text: str) -> bool:
    # Characters never outnumber UTF-8 bytes; count bytes only when it could matter.
    if len(text) > MAX_DOCUMENT_BYTES:
        return True
    return len(text) * 4 > MAX_DOCUMENT_BYTES and len(text.encode("utf-8", "surrogatepass")) > (
        MAX_DOCUMENT_BYTES
    )


def _check_toml_keys(text: str) -> None:
    for match in _KEY_LINE.finditer(text):
        if match.group(1).count(".") >= MAX_KEY_PARTS:
            line = text.count("\n", 0, match.start()) + 1
            raise InputError("", f"line {line}: a key with more than {MAX_KEY_PARTS} dotted parts")


def parse_document(raw: bytes | str) -> dict[str, Any]:
    """Parse TOML or JSON (told apart by content) into plain data with exact decimals.

    A document starting with ``{`` is JSON.  One starting with ``[`` is JSON if it parses as
    JSON, and TOML otherwise (a TOML file may begin with a table header such as
    ``[borrower]``); anything else is TOML.
    """
    if isinstance(raw, bytes | bytearray | memoryview):
        raw = bytes(raw)
        if len(raw) > MAX_DOCUMENT_BYTES:
            raise InputError("", "the case file is larger than 5 MB")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("", "the case file is not UTF-8 text") from None
    elif isinstance(raw, str):
        if _too_big(raw):
            raise InputError("", "the case is larger than 5 MB")
        text = raw.removeprefix("\ufeff")
    else:
        raise InputError("", f"expected a case as text, bytes, a path or a table, got {_kind(raw)}")
    if "\x00" in text:
        raise InputError("", "the case file contains NUL bytes; is it a binary file?")
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return _parse_json(text)
    if stripped.startswith("["):
        try:
            return _parse_json(text)
        except InputError as json_error:
            try:
                return _parse_toml(text)
            except InputError:
                if (
                    stripped[1:].lstrip().startswith(("{", "[", "]", '"'))
                    or stripped[1:].lstrip()[:1].isdigit()
                ):
                    raise json_error from None
                raise
    return _parse_toml(text)


def _parse_json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InputError("", f"not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise InputError("", "the case file is nested too deeply") from None
    except ValueError as exc:
        raise InputError("", f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError("", "a JSON case must be an object {…}")
    return data


def _parse_toml(text: str) -> dict[str, Any]:
    _check_toml_keys(text)
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise InputError("", f"not valid TOML or JSON: {exc}") from None
    except RecursionError:
        raise InputError("", "the case file is nested too deeply") from None


def read_limited(handle: typing.BinaryIO, what: str = "the case file") -> bytes:
    """Read at most :data:`MAX_DOCUMENT_BYTES` + 1 bytes; refuse anything longer unread."""
    data = handle.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError("", f"{what} is larger than 5 MB")
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a case may contain")


def load_case(source: bytes | str | Path | Mapping[str, Any]) -> Case:
    """Load and validate a case from a path, TOML/JSON text or bytes, or a plain dict.

    A :class:`str` is read as the document itself; pass a :class:`pathlib.Path` for a file.
    Every check :func:`negotiator.advise` makes of the input is made here, including the
    references between parts of the case (``agreement.loan``, ``history[].loan``).  Raises
    :class:`~negotiator.errors.InputError` on any problem.
    """
    with private_context():
        if isinstance(source, Path):
            try:
                with source.open("rb") as handle:
                    raw: bytes | str | Mapping[str, Any] = read_limited(handle)
            except IsADirectoryError:
                raise InputError("", "the case file is a folder") from None
            except OSError as exc:
                raise InputError("", f"cannot read the case file: {exc.strerror}") from None
        elif isinstance(source, str) and _looks_like_a_file_name(source):
            raise InputError(
                "",
                "a str is read as the case itself, and this looks like a file name: pass "
                "pathlib.Path(...) to read a file",
            )
        else:
            raw = source
        data = raw if isinstance(raw, Mapping) else parse_document(raw)
        from .natural import canonicalise  # natural spellings → canonical values

        data, originals = canonicalise(data)
        try:
            case = structure(data, Case)
            check_references(case)
        except InputError as exc:
            exc.originals = originals
            raise
        return case


def _looks_like_a_file_name(text: str) -> bool:
    name = text.strip()
    return (
        len(name) < 4096
        and "\n" not in name
        and "=" not in name
        and not name.startswith(("{", "["))
        and name.lower().endswith((".toml", ".json", ".txt"))
    )


def check_references(case: Case) -> None:
    """The checks that need the whole case: every loan a part names exists."""
    ids = case.loan_ids()
    agreement = case.agreement
    if agreement is not None:
        if agreement.loan is not None and agreement.loan not in ids:
            raise InputError(
                "agreement.loan", f"names no loan of the case (loans: {', '.join(ids)})"
            )
        if agreement.loan is None and len(ids) > 1:
            raise InputError(
                "agreement.loan", "the case has several loans: say which one it settles"
            )
    for i, event in enumerate(case.history):
        if event.loan is not None and event.loan not in ids:
            raise InputError(
                f"history[{i}].loan", f"names no loan of the case (loans: {', '.join(ids)})"
            )
