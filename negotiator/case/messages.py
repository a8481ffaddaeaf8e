"""Input problems for people: in their language, with the field path, a plain explanation, a
valid example and a did-you-mean for misspelt keys and words.

The loader and the models state each problem once, in English (``InputError.errors``).  This
module words it for the reader: :func:`describe` turns every problem of an
:class:`~negotiator.errors.InputError` into a block of lines in ``lang``.  The path leads each
block; the explanation never contains a Python message (anything the catalogue does not
recognise as plain wording is replaced by a general "wrong kind of value" explanation plus the
example); the original spelling the person wrote is quoted back, except for personal data.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from collections.abc import Sequence
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from . import models
from .natural import strip_optional

__all__ = ["describe", "describe_problem", "field_type", "suggest"]

# (pattern on the English problem, zh-Hans wording, en wording).  Groups are substituted.
_CATALOGUE: tuple[tuple[str, str, str], ...] = (
    (r"this field is required", "缺少这一项（必填）", "this field is required"),
    (r"a required field is missing: (.+)", "缺少必填项 {0}", "a required field is missing: {0}"),
    (
        r"unknown field.*",
        "没有这个字段（可能拼错了）",
        "there is no such field (check the spelling)",
    ),
    (r"must not be negative", "不能是负数", "must not be negative"),
    (r"must be at least 1", "至少为 1", "must be at least 1"),
    (
        r"must not be blank.*",
        "不能为空；不知道就整项删去",
        "must not be blank (leave the field out)",
    ),
    (r"is longer than (\d+) characters", "超过 {0} 个字", "is longer than {0} characters"),
    (r"must be one line.*", "只能写一行，不要换行", "must be one line (no line breaks)"),
    (
        r"has more precision than one fen.*",
        "金额最多精确到分（0.01 元）",
        "at most to the fen (0.01)",
    ),
    (r"is implausibly large.*", "金额大得不合理（超过一万亿元）", "is implausibly large"),
    (r"must be a finite (number|amount)", "必须是一个具体的数", "must be a finite number"),
    (
        r"looks like a percentage.*",
        "看起来是百分数：请写“18%”或“年化18%”，或写成小数 0.18",
        'looks like a percentage: write "18%" or 0.18',
    ),
    (r"must be a non-negative number", "必须是不小于 0 的数", "must be a non-negative number"),
    (r"must be 360 or 365", "只能是 360 或 365（合同约定的一年天数）", "must be 360 or 365"),
    (r"is before `since`", "早于开始日期 since", "is before `since`"),
    (
        r"is larger than the contract principal",
        "比合同本金还多（到手金额不会超过本金）",
        "is larger than the contract principal",
    ),
    (r"at least one loan is needed", "至少要有一笔借款", "at least one loan is needed"),
    (r"loan id '(.+)' is used twice", "借款编号 {0} 用了两次", "loan id {0} is used twice"),
    (
        r"write numbers as decimals.*",
        '金额不要用浮点数：写成文字，例如 "6500.50"',
        'write amounts as text such as "6500.50", not as floats',
    ),
    (r"is not a number", "不是一个数", "is not a number"),
    (r"expected a number.*", "这里要填一个数", "a number is expected here"),
    (
        r"expected a date \(YYYY-MM-DD\), got a date and time",
        "这里只要日期，不要时间",
        "a date without a time is expected here",
    ),
    (r"expected a date written YYYY-MM-DD.*", "这里要填日期", "a date is expected here"),
    (r"expected a date and time.*", "这里要填日期和时间", "a date and time is expected here"),
    (r"expected text.*", "这里要填文字", "text is expected here"),
    (r"contains a NUL character", "含有不可见的控制字符", "contains a NUL character"),
    (r"expected a whole number.*", "这里要填整数", "a whole number is expected here"),
    (r"is out of range", "数字超出范围", "is out of range"),
    (
        r"expected true or false.*",
        "这里要填“是”或“否”（true / false）",
        "yes or no (true / false) is expected here",
    ),
    (r"'(.*)' is not one of: .*", "“{0}”不是可选的词之一", '"{0}" is not one of the words allowed'),
    (r"expected one of: .*", "这里要从可选的词中选一个", "one of the allowed words is expected"),
    (r"expected a table of fields.*", "这里应是一组字段（表）", "a table of fields is expected"),
    (
        r"the case file is larger than 5 MB",
        "案件文件超过 5 MB",
        "the case file is larger than 5 MB",
    ),
    (
        r"the case file is not UTF-8 text",
        "文件不是 UTF-8 编码：请用记事本“另存为”UTF-8",
        "the file is not UTF-8 text: save it as UTF-8",
    ),
    (
        r"not valid TOML or JSON: .*\(at line (\d+), column (\d+)\)",
        "文件格式有误（第 {0} 行第 {1} 列）：日期和文字请加英文引号，"
        '例如 contract_date = "2025/11/10"',
        "the file is not valid TOML (line {0}, column {1}): put dates and text in double quotes, "
        'e.g. contract_date = "2025/11/10"',
    ),
    (
        r"not valid TOML or JSON.*",
        "文件格式有误：日期和文字请加英文引号",
        "the file is not valid TOML or JSON: put dates and text in double quotes",
    ),
    (
        r"not valid JSON \(line (\d+), column (\d+)\)",
        "JSON 格式有误（第 {0} 行第 {1} 列）",
        "not valid JSON (line {0}, column {1})",
    ),
    (
        r"write the amount paid .*true \(paid in full\) / false \(not paid\)",
        '这里填已还的金额（如 "2750.40"），或 true（已还清）/ false（未还）',
        "write the amount paid (e.g. 2750.40), or true (paid in full) / false (not paid)",
    ),
    (
        r"names no loan of the case \(loans: (.+)\)",
        "没有这个借款编号（已有：{0}）",
        "names no loan of the case (loans: {0})",
    ),
)

_PYTHONIC = re.compile(
    r"object has no attribute|object is not|NoneType|unexpected keyword|"
    r"__init__|Traceback|\bstr\b.*\bint\b"
)

_HEAD = {
    "zh-Hans": ("问题", "例如", "您是不是想写", "您写的是", "可以写"),
    "en": ("problem", "for example", "did you mean", "you wrote", "you may write"),
}


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(models))


def field_type(path: str) -> tuple[type | None, Any]:
    """(the class holding the field, the field's type) for a path like ``loans[0].rate``."""
    cls: Any = models.Case
    parts = [p for p in re.sub(r"\[\d+\]", "", path).split(".") if p]
    t: Any = None
    holder: type | None = None
    for part in parts:
        if not (isinstance(cls, type) and attrs.has(cls)):
            return holder, None
        holder = cls
        t = strip_optional(_hints(cls).get(part))
        if t is None:
            return holder, None
        cls = typing.get_args(t)[0] if typing.get_origin(t) is tuple else t
    return holder, t


def example(path: str, lang: str) -> str | None:
    """A valid value for the field at ``path``, written as in a TOML file."""
    _holder, t = field_type(path)
    if t is None:
        return None
    if typing.get_origin(t) is tuple:
        item = typing.get_args(t)[0]
        if isinstance(item, type) and issubclass(item, Enum):
            return f'{path.rsplit(".", 1)[-1]} = ["{next(iter(item)).value}"]'
        return None
    name = path.rsplit(".", 1)[-1]
    if t is models.Rate:
        return (
            f'{name} = "年化18%"   # 或 "月息1.5%"、"日利率万分之五"'
            if lang != "en"
            else (f'{name} = "18%"   # or "月息1.5%", "日利率万分之五"')
        )
    if t is Decimal:
        return (
            f'{name} = "12000"   # 或 "1.2万"、"12,000元"'
            if lang != "en"
            else (f'{name} = "12000"   # or "1.2万", "12,000元"')
        )
    if t is dt.date:
        return (
            f'{name} = "2025-11-10"   # 或 "2025年11月10日"'
            if lang != "en"
            else (f'{name} = "2025-11-10"   # or "2025年11月10日"')
        )
    if t is dt.datetime:
        return f'{name} = "2025-11-10 23:10"'
    if t is bool:
        return f"{name} = true"
    if t is int:
        return f"{name} = 12"
    if t is str:
        return f'{name} = "……"'
    if isinstance(t, type) and issubclass(t, Enum):
        from .natural import SYNONYMS

        first = next(iter(t))
        zh = SYNONYMS.get(t, {}).get(str(first.value), ())
        alt = f'   # 或 "{zh[0]}"' if zh and lang != "en" else (f'   # or "{zh[0]}"' if zh else "")
        return f'{name} = "{first.value}"{alt}'
    if isinstance(t, type) and attrs.has(t):
        return f"[{path.split('[')[0]}]"
    return None


def suggest(path: str, problem: str, original: str | None = None) -> list[str]:
    """Did-you-mean candidates for a misspelt key or closed-set word."""
    if problem.startswith("unknown field"):
        holder, _t = field_type(path.rsplit(".", 1)[0]) if "." in path else (None, models.Case)
        parent = _t if holder is not None or _t is models.Case else None
        if parent is not None and typing.get_origin(parent) is tuple:
            parent = typing.get_args(parent)[0]
        if isinstance(parent, type) and attrs.has(parent):
            key = path.rsplit(".", 1)[-1]
            names = [f.name for f in attrs.fields(parent)]
            return difflib.get_close_matches(key, names, n=3, cutoff=0.6)
        return []
    m = re.match(r"'(.*)' is not one of", problem)
    written = m.group(1) if m else None
    if written is None and original is not None and problem.startswith("expected one of"):
        written = original  # the loader does not echo the value; the case's own text does
    if written is not None:
        _h, t = field_type(path)
        if typing.get_origin(t) is tuple:
            t = typing.get_args(t)[0]
        if isinstance(t, type) and issubclass(t, Enum):
            from .natural import SYNONYMS

            words = {str(v.value): str(v.value) for v in t}
            for value, spellings in SYNONYMS.get(t, {}).items():
                for s in spellings:
                    words[s] = value
            close = difflib.get_close_matches(written, list(words), n=3, cutoff=0.5)
            out: list[str] = []
            for c in close:
                if words[c] not in out:
                    out.append(words[c])
            return out
    return []


def _allowed(path: str, lang: str) -> str | None:
    _h, t = field_type(path)
    if typing.get_origin(t) is tuple:
        t = typing.get_args(t)[0]
    if isinstance(t, type) and issubclass(t, Enum):
        from .natural import SYNONYMS

        parts = []
        for member in t:
            zh = SYNONYMS.get(t, {}).get(str(member.value), ())
            parts.append(f"{member.value}（{zh[0]}）" if zh and lang != "en" else str(member.value))
        return "、".join(parts) if lang != "en" else ", ".join(parts)
    return None


def _word(problem: str, lang: str) -> str:
    key = "en" if lang == "en" else "zh-Hans"
    for pattern, zh, en in _CATALOGUE:
        m = re.fullmatch(pattern, problem.strip(), flags=re.DOTALL)
        if m:
            return (en if key == "en" else zh).format(*m.groups())
    if _PYTHONIC.search(problem):
        return "这里的值类型不对" if key != "en" else "this value has the wrong kind"
    return problem if key == "en" else f"{problem}"


# Fields whose value is personal data, and the look of personal data in any field: a run of seven
# or more digits (spaces or hyphens between them allowed) is how a phone, identity, bank-card or
# account number looks, and an @ how an e-mail address looks.  Such a value is never quoted back,
# whichever field it was written in.
_PII = (
    "id_number",
    "phone",
    "email",
    "address",
    "repayment_account",
    "account_holder",
    "name",
    "collector",
)
_PERSONAL_LOOK = re.compile(r"\d(?:[\s-]?\d){6,}|@")


def quotable(path: str, original: str) -> bool:
    """Whether ``original`` (what the person wrote at ``path``) may be quoted in a message."""
    field = path.rsplit(".", 1)[-1]
    return field not in _PII and not _PERSONAL_LOOK.search(original)


def describe_problem(
    path: str, problem: str, lang: str = "zh-Hans", original: str | None = None
) -> list[str]:
    """The lines that explain one problem in ``lang``."""
    from ..i18n import to_traditional

    base = "en" if lang == "en" else "zh-Hans"
    _head, eg, dym, wrote, may = _HEAD[base]
    lines = [f"{path}: {_word(problem, base)}" if path else _word(problem, base)]
    if original is not None and quotable(path, original):
        lines.append(
            f"  {wrote}: {original[:60]!r}" if base == "en" else f"  {wrote}：“{original[:60]}”"
        )
    names = suggest(path, problem, original)
    sep = ": " if base == "en" else "："
    if names:
        lines.append(f"  {dym}{sep}" + (" / ".join(names)) + ("?" if base == "en" else "？"))
    allowed = (
        _allowed(path, base) if "not one of" in problem or "expected one of" in problem else None
    )
    if allowed:
        lines.append(f"  {may}{sep}{allowed}")
    if not problem.startswith("unknown field"):
        ex = example(path, base)
        if ex:
            lines.append(f"  {eg}{sep}{ex}")
    if lang == "zh-Hant":
        lines = [to_traditional(line) for line in lines]
    return lines


def describe(
    errors: Sequence[tuple[str, str]],
    lang: str = "zh-Hans",
    originals: dict[str, str] | None = None,
) -> str:
    """Every problem, each as a block of lines, in ``lang``."""
    originals = originals or {}
    blocks = []
    for path, problem in errors:
        blocks.append("\n".join(describe_problem(path, problem, lang, originals.get(path))))
    count = len(errors)
    if count == 1:
        return blocks[0]
    if lang == "en":
        title = f"{count} problem{'s' if count != 1 else ''} in the case:"
    else:
        title = f"案件中有 {count} 处问题："
        if lang == "zh-Hant":
            from ..i18n import to_traditional

            title = to_traditional(title)
    return title + "\n" + "\n".join(blocks)
