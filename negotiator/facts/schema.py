"""The vocabulary the rules speak: fact kinds, their typed fields, and the one conversion from
domain values (Decimal yuan, Decimal rates) to engine values (integer fen, integer ppm).

A *fact* is a flat record about one thing in a case (the case as a whole, a loan, a fee, a
collection contact, the proposed agreement, …).  Each kind declares its fields here with a type;
rule files may only test declared fields, with literals of the declared type, and every fact is
checked against its kind before it reaches an engine.  This is what keeps the rules engine inside
the subset where it is known to answer correctly (no floats, no Decimal, no None, no mixed types,
no unknown fields).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any

import attrs

from ..errors import NegotiatorError
from ..money import fen, from_fen, ppm_to_rate, rate_to_ppm

__all__ = [
    "ENGINE_INT_LIMIT",
    "Fact",
    "FactCheckError",
    "FactKind",
    "Field",
    "FieldType",
]

#: Every integer that reaches the engine stays inside ±2**53 (exact in a C double, well inside
#: int64 where the engine would saturate).
ENGINE_INT_LIMIT = 2**53


class FactCheckError(NegotiatorError, TypeError):
    """A derived fact does not match its kind's schema (a programming error, never user input)."""


class FieldType(StrEnum):
    MONEY = "money"  # Decimal yuan  -> int fen
    RATE = "rate"  # Decimal fraction per year -> int parts per million
    INT = "int"  # counts, days, months -> int
    BOOL = "bool"
    ENUM = "enum"  # one of a closed set of ASCII words -> str
    # Types for *extras* only (shown in messages and letters, never seen by the engine):
    TEXT = "text"
    DATE = "date"
    LIST = "list"


@attrs.frozen
class Field:
    type: FieldType
    doc: str
    values: tuple[str, ...] = ()  # for ENUM
    required: bool = False  # present on every fact of the kind

    def to_engine(self, value: object) -> int | bool | str:
        """Convert a domain value to its engine form, checking its type exactly."""
        t = self.type
        if t is FieldType.BOOL:
            if type(value) is not bool:
                raise FactCheckError(f"expected bool, got {type(value).__name__}")
            return value
        if t is FieldType.ENUM:
            if not isinstance(value, str) or value not in self.values:
                raise FactCheckError(f"expected one of {self.values}, got {value!r}")
            return str(value)
        if t is FieldType.INT:
            if type(value) is not int:
                raise FactCheckError(f"expected int, got {type(value).__name__}")
            n = value
        elif t is FieldType.MONEY:
            if not isinstance(value, Decimal) or not value.is_finite():
                raise FactCheckError(f"expected a Decimal amount, got {type(value).__name__}")
            n = fen(value)
        else:
            if not isinstance(value, Decimal) or not value.is_finite():
                raise FactCheckError(f"expected a Decimal rate, got {type(value).__name__}")
            n = rate_to_ppm(value)
        if not -ENGINE_INT_LIMIT < n < ENGINE_INT_LIMIT:
            raise FactCheckError(f"value out of range: {n}")
        return n

    def literal(self, raw: object) -> int | bool | str:
        """Convert a literal written in a rule file (domain units) to its engine form.

        Money is written in yuan (``"500"`` or ``500``), rates as a fraction (``"0.24"``) or a
        percentage string (``"24%"``), enums as one of their words.  Raises ``ValueError``.
        """
        t = self.type
        if t is FieldType.BOOL:
            if type(raw) is not bool:
                raise ValueError("expects true or false")
            return raw
        if t is FieldType.ENUM:
            if not isinstance(raw, str) or raw not in self.values:
                raise ValueError(f"expects one of {', '.join(self.values)}")
            return raw
        if t is FieldType.INT:
            if type(raw) is not int:
                raise ValueError("expects a whole number")
            return self.to_engine(raw)
        if isinstance(raw, bool) or not isinstance(raw, int | str | Decimal):
            raise ValueError("expects a number written as a string or an integer")
        text = str(raw).strip()
        if t is FieldType.RATE and text.endswith("%"):
            value = Decimal(text[:-1].strip()) / 100
        else:
            value = Decimal(text)
        return self.to_engine(value)

    def from_engine(self, value: int | bool | str) -> object:
        """Engine value back to the domain (for explanations)."""
        if self.type is FieldType.MONEY and isinstance(value, int):
            return from_fen(value)
        if self.type is FieldType.RATE and isinstance(value, int):
            return ppm_to_rate(value)
        return value


def money(doc: str, *, required: bool = False) -> Field:
    return Field(FieldType.MONEY, doc, required=required)


def rate(doc: str, *, required: bool = False) -> Field:
    return Field(FieldType.RATE, doc, required=required)


def integer(doc: str, *, required: bool = False) -> Field:
    return Field(FieldType.INT, doc, required=required)


@attrs.frozen
class Localised:
    """A display-only text in the two message languages (zh-Hant is converted from zh-Hans).

    ``str()`` gives the zh-Hans text (what the JSON shows when it is reported)."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.zh

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


def extra(kind: FieldType | str, doc: str) -> Field:
    """A display-only value (money, rate, int, text, date or list)."""
    return Field(FieldType(kind), doc)


def flag(doc: str) -> Field:
    """A boolean that every fact of the kind carries (required)."""
    return Field(FieldType.BOOL, doc, required=True)


def choice(doc: str, values: type[StrEnum] | tuple[str, ...], *, required: bool = True) -> Field:
    words = tuple(v.value for v in values) if isinstance(values, type) else values
    return Field(FieldType.ENUM, doc, values=words, required=required)


#: Most fields one kind may declare.  The engine refuses facts with more than 253 properties,
#: and a batch holding one crashes it when its activations are drained.
MAX_FIELDS = 200
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
#: What an enum word (and a fact id, see ``prepare_facts``) may be made of: no quote, no
#: backslash, no colon, so the engine's JSON can be checked and read as plain text.
WORD = re.compile(r"^[A-Za-z0-9_.-]{1,64}\Z")


def _check_fields(_inst: object, _a: object, fields: Mapping[str, Field]) -> None:
    if len(fields) > MAX_FIELDS:
        raise FactCheckError(f"a fact kind may declare at most {MAX_FIELDS} fields")
    for name, field in fields.items():
        if not _NAME.match(name) or name in ("kind", "id", "sid"):
            raise FactCheckError(f"bad field name {name!r}")
        for word in field.values:
            if not WORD.match(word):
                raise FactCheckError(f"{name}: bad enum word {word!r}")


@attrs.frozen
class FactKind:
    """A kind of fact: its name, typed fields and the extra (non-engine) data it carries."""

    name: str
    doc: str
    fields: Mapping[str, Field] = attrs.field(validator=_check_fields)
    #: Values a fact carries for messages and letters but that the engine never sees (lender
    #: names, lists, dates, money figures).  Rules may show them in messages but not test them.
    extras: Mapping[str, Field] = attrs.field(factory=dict)

    #: Per field: (kind of quick check, field) — worked out once, see ``check``.
    _quick: dict[str, tuple[int, Field, frozenset[str]]] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _required: frozenset[str] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        quick = {}
        for name, field in self.fields.items():
            how = {FieldType.BOOL: _BOOL, FieldType.INT: _INT, FieldType.ENUM: _ENUM}
            quick[name] = (how.get(field.type, _OTHER), field, frozenset(field.values))
        object.__setattr__(self, "_quick", quick)
        required = frozenset(n for n, f in self.fields.items() if f.required)
        object.__setattr__(self, "_required", required)

    def check(self, values: Mapping[str, object]) -> dict[str, int | bool | str]:
        """Convert and check ``values``; raise :class:`FactCheckError` naming kind and field.

        The common cases (a bool, an int in range, a plain enum word) are accepted inline;
        everything else goes through :meth:`Field.to_engine`, which also words the errors.
        """
        out: dict[str, int | bool | str] = {}
        quick = self._quick
        for key, value in values.items():
            entry = quick.get(key)
            if entry is None:
                raise FactCheckError(f"{self.name}.{key}: not a declared field")
            if value is None:
                if entry[1].required:
                    raise FactCheckError(f"{self.name}.{key}: required field is None")
                continue
            how = entry[0]
            t = type(value)
            if (
                (how == _BOOL and t is bool)
                or (how == _INT and t is int and -ENGINE_INT_LIMIT < value < ENGINE_INT_LIMIT)  # type: ignore[operator]
                or (how == _ENUM and t is str and value in entry[2])
            ):
                out[key] = value  # type: ignore[assignment]
                continue
            try:
                out[key] = entry[1].to_engine(value)
            except FactCheckError as exc:
                raise FactCheckError(f"{self.name}.{key}: {exc}") from None
        if not self._required <= out.keys():
            missing = next(n for n in self.fields if n in self._required and n not in out)
            raise FactCheckError(f"{self.name}.{missing}: required field missing")
        return out


_BOOL, _INT, _ENUM, _OTHER = range(4)


@attrs.frozen
class Fact:
    """One derived fact: its kind, a case-unique id, typed values and extra display data."""

    kind: str
    id: str
    values: Mapping[str, Any]
    extras: Mapping[str, Any] = attrs.field(factory=dict)
    #: What the fact is about, for people: e.g. ``"L2"`` (a loan) or ``"case"``.
    subject: str = "case"
