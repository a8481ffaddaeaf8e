"""The pattern data (``negotiator/data/extraction.toml``) compiled into regular expressions.

Placeholders in patterns — ``{money}``, ``{each}``, ``{date}``, ``{ym}`` — stand for the value
expressions below, so a phrasing added to the data file reads like the text it matches.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

import attrs

from ..errors import RuleFileError

__all__ = [
    "BIG_MONEY",
    "DATE",
    "MONEY",
    "NUMBER_CN",
    "RATE_VALUE",
    "YM",
    "Field",
    "Patterns",
    "RedFlag",
    "Segment",
    "load_patterns",
]

_DIGITS_CN = "〇零一二三四五六七八九十两"
NUMBER_CN = rf"[{_DIGITS_CN}]+"
#: An amount written in figures: 12000, 12,000.00, 1.2万, 3千; optional ¥ before, 元 after.
#: Spoken amounts: 2万3千4 (23,400), 1万9 (19,000), 4千4 (4,400) — a last figure after a unit is
#: one order below it.
MONEY_SPOKEN = r"(?:\d+万\d千\d?(?![\d百])|\d+万\d(?![\d千百.,])|\d千\d(?![\d百.,]))(?:元|块钱|块)?"
#: An amount in Chinese numerals with a unit: 一万六千八 (16,800), 两千八 (2,800), 三千五百, 八百.
MONEY_CN = (
    r"(?:[一二三四五六七八九十两]+万(?:[一二三四五六七八九两]千)?[一二三四五六七八九]?"
    r"|[一二三四五六七八九两]千(?:[一二三四五六七八九]百?)?|[一二三四五六七八九两]百)"
    r"(?![多余来])(?:元|块钱|块)?"
)
MONEY = (
    rf"(?:人民币|RMB|CNY|¥|￥)?\s*(?:{MONEY_SPOKEN}|{MONEY_CN}|(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d{{1,2}})?\s*"
    r"(?:万元|万|千元|千|元|块钱|块|圆)?)"
)
#: An amount in capital numerals (大写): 壹万贰仟元整, 伍佰元零伍角.
BIG_MONEY = (
    r"(?:人民币)?[零壹贰叁参肆伍陆柒捌玖拾佰仟萬万亿億]+[元圆]"
    r"(?:[零壹贰叁肆伍陆柒捌玖]角)?(?:[零壹贰叁肆伍陆柒捌玖]分)?整?"
)
#: A full date: 2026年12月15日, 2026-12-15, 2026/12/15, 2026.12.15, 二〇二六年十二月十五日.
DATE = (
    r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*[年\-/.]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})"
    r"\s*[月\-/.]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?![\d%])\s*[日号]?"
)
#: A year and month: 2026年12月.
YM = (
    r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
    r"\s*月(?!\s*\d)"
)
#: A number of days: 3天, 五日, 15个工作日.
DAYS = r"(?:\d+|[一二三四五六七八九十两]+)\s*(?:个)?(?:自然|工作)?(?:日|天)"
#: A rate value: 18%, 百分之十八, 万分之五, 千分之一, 0.05%.
RATE_VALUE = (
    r"(?:\d+(?:\.\d+)?\s*[%％]|百分之[\d.一二三四五六七八九十点]+|万分之[\d.一二三四五六七八九十点]+"
    r"|千分之[\d.一二三四五六七八九十点]+|\d+(?:\.\d+)?\s*厘)"
)

_PLACEHOLDERS = {
    # an amount, or 大写 with its figures in brackets: 人民币伍仟元整（¥5,000.00）
    "{money}": (
        rf"(?:{BIG_MONEY}\s*[（(]\s*(?:小写)?[:：]?\s*)?(?P<amount>{MONEY}|{BIG_MONEY})(?:\s*[)）])?"
    ),
    # an amount, or 大写 with its figures in brackets: 人民币贰仟肆佰元整（¥2,400.00）
    "{each}": (
        rf"(?:{BIG_MONEY}\s*[（(]\s*(?:小写)?[:：]?\s*)?(?P<each>{MONEY}|{BIG_MONEY})(?:\s*[)）])?"
    ),
    "{date}": rf"(?P<date>{DATE})",
    # a further date in a list ("2026年12月15日、2027年1月15日"), without a group of its own
    "{anydate}": rf"(?:{DATE})",
    "{ym}": rf"(?P<ym>{YM})",
    "{num}": rf"(?:\d{{1,3}}|{NUMBER_CN})",
    # the amount a piece of a schedule shares out: 剩下18,000元分12期, 剩下的一万二分六个月
    "{part}": (
        rf"(?P<part>\d[\d,]*(?:\.\d{{1,2}})?\s*(?:元|万元|万)|\d+万\d千?\d?|\d千\d|{MONEY_CN})"
    ),
    # 每月 / 每期 / 每个月 / 一个月 / 一期 / 月供 / 月(还款额), optionally with the day: 每月15日前
    "{per}": (
        rf"(?:(?:每(?:个)?(?:月|期|次)|每周[一二三四五六日天]?|(?<![第\d前上下后])一(?:个?月|期)"
        rf"|月供|(?<![每\d个])月(?=还款))"
        rf"(?:(?:\d{{1,2}}|{NUMBER_CN})\s*[日号](?:前|之前|以前)?)?)"
    ),
    "{pay}": (
        r"(?:需|须|应|要)?(?:(?:还款?|支付|付款?|应还|偿还|归还|缴纳|交)(?:给?(?:你|您|我))?(?:本金|本息)?)?"
        r"(?:金额|额)?"
        r"(?:(?:调整|变更|降低|降|减少|减)?为|调整至|降至|是)?[:：]?\s*"
    ),
}


@attrs.frozen
class Field:
    path: str
    kind: str
    regex: re.Pattern[str]
    requires: re.Pattern[str] | None
    examples: tuple[dict[str, str], ...]
    before: bool = False
    adjacent: bool = False
    not_followed_by: re.Pattern[str] | None = None
    fallback: bool = False


@attrs.frozen
class Sentence:
    path: str
    words: re.Pattern[str]
    and_words: re.Pattern[str] | None
    examples: tuple[str, ...]


@attrs.frozen
class Example:
    regex: re.Pattern[str]
    name: str
    examples: tuple[str, ...]


@attrs.frozen
class Segment:
    """One piece of a schedule described in words (``前3期每期2000元``): its ``role`` says which
    instalments it covers (see extraction.toml)."""

    role: str
    regex: re.Pattern[str]
    examples: tuple[dict[str, str], ...]


SEGMENT_ROLES = frozenset(
    {
        "all",
        "leading",
        "range",
        "single",
        "next",
        "following",
        "open_rest",
        "last",
        "last_add",
        "split_rest",
    }
)


@attrs.frozen
class RatePattern:
    path: str
    labels: re.Pattern[str]
    zero: re.Pattern[str] | None
    examples: tuple[dict[str, str], ...]


@attrs.frozen
class RedFlag:
    code: str
    regex: re.Pattern[str]
    examples: tuple[str, ...]


@attrs.frozen
class Patterns:
    fields: tuple[Field, ...]
    sentences: tuple[Sentence, ...]
    schedules: tuple[Example, ...]
    segments: tuple[Segment, ...]
    schedule_day: tuple[Example, ...]
    schedule_start: tuple[Example, ...]
    instalment_lines: tuple[Example, ...]
    instalment_months: tuple[Example, ...]
    instalment_month_end: tuple[Example, ...]
    instalment_dates: tuple[Example, ...]
    schedule_interval: tuple[Example, ...]
    option_headers: tuple[Example, ...]
    one_off: tuple[Example, ...]
    deadline: tuple[Example, ...]
    rates: tuple[RatePattern, ...]
    red_flags: tuple[RedFlag, ...]


def _expand(pattern: str) -> str:
    for key, value in _PLACEHOLDERS.items():
        pattern = pattern.replace(key, value)
    return pattern


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(_expand(pattern))
    except re.error as exc:
        raise RuleFileError(f"extraction.toml#{where}", f"bad pattern: {exc}") from None


def _alt(words: list[str], where: str) -> re.Pattern[str]:
    return _compile("(?:" + "|".join(words) + ")", where)


_FILLER = (  # 约 (about) is not here: an approximate amount is not the amount
    # a note in brackets may stand between the label and its value: 待还金额（含罚息）：…
    r"(?:金额|总额|数额)?(?:[（(](?:含|包含|包括|不含)[^）)\n]{1,12}[）)])?"
    r"[ \t:：为是共计合总了的]*(?:一共|总共|合计|共计)?[ \t:：为是]*"
    r"(?:人民币)?[ \t:：(（]*"
)


def _shared_words() -> dict[str, list[str]]:
    """The agreement check's red-flag word list for notes, shared rather than copied."""
    from ..facts.scam import KEYWORDS

    return {
        code: [re.escape(w) for w in words if not w.isascii()] for code, words in KEYWORDS.items()
    }


def compile_patterns(data: dict[str, Any]) -> Patterns:
    fields = []
    for i, f in enumerate(data.get("field", [])):
        where = f"field[{i}]"
        labels = "(?:" + "|".join(f["labels"]) + ")"
        fields.append(
            Field(
                path=f["path"],
                kind=f["kind"],
                regex=_compile(
                    rf"(?P<value>{DAYS if f['kind'] == 'days' else MONEY})(?P<label>{labels})"
                    if f.get("before")
                    else f"(?P<label>{labels}){_FILLER}",
                    where,
                ),
                before=bool(f.get("before")),
                adjacent=bool(f.get("adjacent")),
                fallback=bool(f.get("fallback")),
                not_followed_by=(
                    _compile(f["not_followed_by"], where) if f.get("not_followed_by") else None
                ),
                requires=_compile(f["requires"], where) if f.get("requires") else None,
                examples=tuple(f.get("examples", ())),
            )
        )
    sentences = tuple(
        Sentence(
            path=s["path"],
            words=_alt(s["words"], f"sentence[{i}]"),
            and_words=_alt(s["and_words"], f"sentence[{i}]") if s.get("and_words") else None,
            examples=tuple(s.get("examples", ())),
        )
        for i, s in enumerate(data.get("sentence", []))
    )

    def examples(key: str) -> tuple[Example, ...]:
        return tuple(
            Example(
                regex=_compile(e["pattern"], f"{key}[{i}]"),
                name=e.get("name", key),
                examples=tuple(e.get("examples", ())),
            )
            for i, e in enumerate(data.get(key, []))
        )

    segments = []
    for i, seg in enumerate(data.get("segment", [])):
        where = f"segment[{i}]"
        if seg.get("role") not in SEGMENT_ROLES:
            raise RuleFileError(
                f"extraction.toml#{where}",
                f"role must be one of {', '.join(sorted(SEGMENT_ROLES))}",
            )
        segments.append(
            Segment(
                role=seg["role"],
                regex=_compile(seg["pattern"], where),
                examples=tuple(seg.get("examples", ())),
            )
        )
    rates = tuple(
        RatePattern(
            path=r["path"],
            labels=_alt(r["labels"], f"rate[{i}]"),
            zero=_alt(r["zero_words"], f"rate[{i}]") if r.get("zero_words") else None,
            examples=tuple(r.get("examples", ())),
        )
        for i, r in enumerate(data.get("rate", []))
    )
    shared = _shared_words()
    flags = []
    for i, r in enumerate(data.get("red_flag", [])):
        words = list(r["words"]) + [w for w in shared.get(r["code"], []) if w not in r["words"]]
        flags.append(
            RedFlag(
                code=r["code"], regex=_alt(words, f"red_flag[{i}]"), examples=tuple(r["examples"])
            )
        )
    return Patterns(
        fields=tuple(fields),
        sentences=sentences,
        schedules=examples("schedule"),
        segments=tuple(segments),
        schedule_day=examples("schedule_day"),
        schedule_start=examples("schedule_start"),
        instalment_lines=examples("instalment_line"),
        instalment_months=examples("instalment_months"),
        instalment_month_end=examples("instalment_month_end"),
        instalment_dates=examples("instalment_dates"),
        schedule_interval=examples("schedule_interval"),
        option_headers=examples("option"),
        one_off=examples("one_off"),
        deadline=examples("deadline"),
        rates=rates,
        red_flags=tuple(flags),
    )


def raw_patterns() -> dict[str, Any]:
    text = resources.files("negotiator.data").joinpath("extraction.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def load_patterns() -> Patterns:
    """The packaged patterns, compiled once."""
    return compile_patterns(raw_patterns())
