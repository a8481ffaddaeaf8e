"""The JSON Schema of the case format, generated from the attrs models (never kept by hand).

``python -m negotiator.case.schema > docs/case.schema.json`` writes it; a test checks the committed
copy is current and that every example case validates against it.  The schema describes the
*file* format: amounts may be written as decimal strings or numbers (the loader reads numbers as
exact decimals), dates as ``YYYY-MM-DD``.

It also describes the natural spellings the loader reads (:mod:`negotiator.case.natural`, the
table in docs/case-format.md): money such as ``"1.2万"`` or ``"人民币壹万贰仟元整"``, rates
such as ``"年化18%"`` or ``"日利率万分之五"``, dates such as ``"2025年11月10日"``, counts such
as ``"12期"``, yes/no words, and the Chinese words of every closed set.  Each natural spelling
is a pattern (``NATURAL``) that the loader is sure to read inside the field's range, so a
document the schema accepts loads; what the schema cannot state is the loader's alone: calendar
dates (30 February), the checks across fields (received ≤ principal, a penalty "1.5倍" needs
the loan's rate) and Chinese numerals written in unusual ways (the loader reads more of them
than the pattern).
"""

from __future__ import annotations

import datetime as dt
import json
import re
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

# Years 1900-2999 (models.EARLIEST_DATE / LATEST_DATE); the calendar check is the loader's.
_YEAR = r"(19[0-9]{2}|2[0-9]{3})"

# ---------------------------------------------------------------------------------------------
# Natural spellings (negotiator.case.natural); each pattern is read by the loader within range
# ---------------------------------------------------------------------------------------------

_D = "[0-9]"  # only these digits: the loader refuses full-width ones in numbers
_D1 = "[1-9]"
_ND = "[一二两三四五六七八九壹贰叁肆伍陆柒捌玖]"
_TENS = rf"({_ND}?[十拾]{_ND}?|{_ND})"  # 1-99
_HUNDREDS = rf"{_ND}[百佰](零{_ND}|{_ND}[十拾]{_ND}?)?"
_THOUSANDS = rf"{_ND}[千仟](零{_ND}[十拾]{_ND}?|零{_ND}|{_HUNDREDS})?"
_SECTION = rf"({_THOUSANDS}|{_HUNDREDS}|{_TENS})"  # 1-9999
# 0 to 99,999,999 in Chinese numerals, as cn2an writes them (一万零五百, 壹拾万零伍, 贰万).
_CN_AMOUNT = (
    rf"({_SECTION}[万萬](零({_HUNDREDS}|{_ND}[十拾]{_ND}?|{_ND})|{_THOUSANDS})?|{_SECTION}|[零〇])"
)
_MONEY_PREFIX = r"(人民币|RMB|CNY|rmb|cny|¥|￥)?\s*"
_MONEY_SUFFIX = r"(\s*(元整|元正|元|圆整|圆|块钱|块|整))?"
_ARABIC = (
    rf"({_D}{{1,12}}(\.{_D}{{1,2}})?|{_D}{{1,3}}(,{_D}{{3}}){{1,3}}(\.{_D}{{1,2}})?"
    rf"|(0|{_D1}{_D}{{0,7}})(\.{_D}{{1,2}})?[万萬]|(0|{_D1}{_D}{{0,8}})(\.{_D}{{1,2}})?千"
    rf"|(0|{_D1}{_D}{{0,3}})(\.{_D}{{1,2}})?亿)"
)
_JIAO_FEN = rf"(({_CN_AMOUNT})[元圆])?(零?{_ND}角)?(零?{_ND}分)?[整正]?"
_MONEY_NATURAL = (
    rf"^\s*{_MONEY_PREFIX}(({_ARABIC}|{_CN_AMOUNT}){_MONEY_SUFFIX}"
    rf"|({_CN_AMOUNT})[元圆](零?{_ND}角)(零?{_ND}分)?[整正]?"
    rf"|({_CN_AMOUNT})[元圆]零?{_ND}分[整正]?"
    rf"|{_ND}角(零?{_ND}分)?|{_ND}分)\s*$"
)
# A fraction written as a percentage, per mille or 百/千/万分之 (value 0-10).
_CN_SMALL = (
    "([一二两三四五六七八九]|十[一二三四五六七八九]?|[二三四五六七八九]十[一二三四五六七八九]?)"
)
_FRACTION = (
    rf"((1000(\.0+)?|{_D}{{1,3}}(\.{_D}+)?)[%％]|{_D}{{1,4}}(\.{_D}+)?‰"
    rf"|百分之({_D}{{1,3}}(\.{_D}+)?|{_CN_SMALL})|千分之({_D}{{1,4}}(\.{_D}+)?|{_CN_SMALL})"
    rf"|万分之({_D}{{1,5}}(\.{_D}+)?|{_CN_SMALL}))的?"
)
_RATE_WORDS = "(年化利率|年化|年利率|年息|年|月利率|月息|月|日利率|日息|日|每日|每天|天)?(为|是)?"
_RATE_NATURAL = rf"^\s*{_RATE_WORDS}{_FRACTION}\s*$"
_VALUE_NATURAL = rf"^\s*{_FRACTION}\s*$"
# A multiple of the contract rate: 1 to under 10 times, or an uplift below 100 %.
_MULTIPLE_NATURAL = (
    rf"^\s*(按?(合同利率|合同约定利率|借款利率|约定利率|利率|正常利率)?的?"
    rf"([1-9](\.{_D}{{1,4}})?|[二两三四五六七八九])倍"
    rf"|(在?合同利率(基础上)?)?上浮{_D}{{1,2}}(\.{_D}{{1,2}})?[%％])\s*$"
)
_MONTH = "(0?[1-9]|1[0-2])"
_DAY = "(0?[1-9]|[12][0-9]|3[01])"
_SP = "[ \t　]*"  # spaces inside a spelling
_DATE_BODY = rf"{_YEAR}{_SP}(年|/|\.|-){_SP}{_MONTH}{_SP}(月|/|\.|-){_SP}{_DAY}"
_DATE_NATURAL = rf"^\s*{_DATE_BODY}{_SP}[日号]?\s*$"
_TIME_NATURAL = rf"([01]?[0-9]|2[0-3]){_SP}([:：][0-5][0-9]|[点时]{_SP}([0-5]?[0-9]{_SP}分)?)"
# Between the date and the time: 日/号, a T or a space (so that 1月10:00 is not read two ways).
_DATETIME_NATURAL = rf"^\s*{_DATE_BODY}([日号]{_SP}T?{_SP}|{_SP}T{_SP}|[ \t　]+){_TIME_NATURAL}\s*$"
_COUNTER = "(个月|期|人|个|次|天|日|名|笔)?"


def _int_natural(low: int, high: int) -> str | None:
    """Digits (and 1-99 in Chinese) that always fall inside [low, high], with a counter word."""
    digits = len(str(high)) - 1 if high < 10 ** len(str(high)) - 1 else len(str(high))
    if digits < 1 or low > 1:
        return None
    number = f"0*{_D1}{_D}{{0,{digits - 1}}}" if low == 1 else f"{_D}{{1,{digits}}}"
    if high >= 99:
        number = f"({number}|{_CN_SMALL})"
    return rf"^\s*{number}\s*{_COUNTER}\s*$"


#: Every natural-spelling pattern, by kind (the tests generate strings from them).
NATURAL = {
    "money": _MONEY_NATURAL,
    "rate": _RATE_NATURAL,
    "rate_value": _VALUE_NATURAL,
    "multiple": _MULTIPLE_NATURAL,
    "date": _DATE_NATURAL,
    "datetime": _DATETIME_NATURAL,
}


def _words(enum: type[Enum]) -> list[str]:
    """Every spelling the loader reads for a closed set: the word, its variants, its Chinese."""
    from .natural import SYNONYMS

    out: list[str] = []
    for member in enum:
        value = str(member.value)
        out += [value, value.replace("_", " "), value.replace("_", "-")]
        out += list(SYNONYMS.get(enum, {}).get(value, ()))
    return list(dict.fromkeys(out))


def _bool_words() -> list[str]:
    from .natural import _NO, _YES

    return sorted(_YES | _NO)


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
        {
            "type": "string",
            "pattern": _MONEY_NATURAL,
            "examples": ["1.2万", "12,000元", "¥12000", "人民币壹万贰仟元整", "壹万贰仟元伍角"],
        },
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
#: Short text fields are one line (negotiator.case.models.ONE_LINE_MAX).
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
        array = {"type": "array", "items": _type_schema(args[0], None)}
        item = args[0]
        if isinstance(item, type) and issubclass(item, Enum):
            word = "(" + "|".join(re.escape(w) for w in _words(item)) + ")"
            listed = {
                "type": "string",
                "pattern": rf"^\s*{word}(\s*[、，,；;]\s*{word})*\s*[、，,；;]?\s*$",
                "description": "the words in one string, separated by 、 ， , or ；",
                "examples": ["、".join(_words(item)[i] for i in (0, 3) if i < len(_words(item)))],
            }
            return {"anyOf": [array, listed]}
        return array
    if tp is Decimal:
        if field is not None and _is_money(field):
            return dict(_AMOUNT)
        return dict(_DECIMAL)
    if tp is dt.datetime:
        return {
            "anyOf": [
                dict(_DATETIME),
                {
                    "type": "string",
                    "pattern": _DATETIME_NATURAL,
                    "examples": ["2025年11月10日 23:10", "2025/11/10 23点10分"],
                },
            ]
        }
    if tp is dt.date:
        return {
            "anyOf": [
                dict(_DATE),
                {
                    "type": "string",
                    "pattern": _DATE_NATURAL,
                    "examples": ["2025年11月10日", "2025/11/10", "2025.11.10"],
                },
            ]
        }
    if tp is bool:
        return {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": _bool_words()}]}
    if tp is int:
        low, high = -(10**12), 10**12
        for v in _validators(field):
            if hasattr(v, "bounds"):
                low, high = v.bounds
        out: dict[str, Any] = {"type": "integer", "minimum": low, "maximum": high}
        if field is not None and field.name == "basis":
            return {"type": "integer", "enum": [360, 365]}
        natural = _int_natural(low, high)
        if natural is not None:
            spelled = {"type": "string", "pattern": natural, "examples": ["12期", "十二个月"]}
            return {"anyOf": [out, spelled]}
        return out
    if tp is str:
        text: dict[str, Any] = {
            "type": "string",
            "minLength": 1,
            "allOf": [{"pattern": "\\S"}, {"pattern": _TEXT_CHARS}],
        }
        text["maxLength"] = 10_000  # negotiator.case.load.MAX_TEXT
        for v in _validators(field):
            if hasattr(v, "max_length"):
                text["maxLength"] = v.max_length
            if getattr(v, "one_line", False):
                text["allOf"].append({"pattern": _ONE_LINE})
        return text
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"type": "string", "enum": _words(tp)}
    if tp is models.Rate:
        _define(tp)
        spelled = {
            "type": "string",
            "pattern": _RATE_NATURAL,
            "description": "a rate as written: a bare percentage is yearly",
            "examples": ["18%", "年化18%", "月息1.5%", "日息0.05%", "日利率万分之五"],
        }
        branches: list[dict[str, Any]] = [{"$ref": "#/$defs/Rate"}, spelled]
        if field is not None and field.name in ("penalty_rate", "charged_rate"):
            branches.append(
                {
                    "type": "string",
                    "pattern": _MULTIPLE_NATURAL,
                    "description": "a multiple of the same loan's rate (which must be given)",
                    "examples": ["合同利率的1.5倍", "1.5倍", "上浮50%"],
                }
            )
        return {"anyOf": branches}
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
            schema = {
                "anyOf": [
                    *_RATE["anyOf"],
                    {"type": "string", "pattern": _VALUE_NATURAL, "examples": ["18%", "万分之五"]},
                ],
                "description": _RATE["description"],
            }
        for v in _validators(field):
            if hasattr(v, "up_to_ten"):
                schema = dict(_RATE)
                if not v.up_to_ten:
                    schema["not"] = {"pattern": r"^\s*[+-]?0*(\.0*)?\s*$", "type": "string"}
                    schema["anyOf"] = [
                        schema["anyOf"][0],
                        {"type": "number", "exclusiveMinimum": 0, "maximum": 10},
                        {
                            "type": "string",
                            "pattern": _MULTIPLE_NATURAL,
                            "examples": ["合同利率的1.5倍", "上浮50%"],
                        },
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
