"""The formatting filters letters are written with (negotiator/documents/render.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from markupsafe import Markup

from negotiator.documents.render import (
    amount,
    amount_full,
    cite,
    clause,
    daxie,
    display_width,
    en_date,
    letter_environment,
    markdown_escape,
    mask_id,
    mask_phone,
    percent,
    quoted,
    text_table,
    wrap_display,
)
from negotiator.ruleset.loader import Citation


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12000", "人民币壹万贰仟元整"),
        ("0.50", "人民币伍角整"),
        ("1005.50", "人民币壹仟零伍元伍角整"),
        ("100.05", "人民币壹佰元零伍分"),
        ("0.01", "人民币壹分"),
        ("0", "人民币零元整"),
        ("100000000", "人民币壹亿元整"),
    ],
)
def test_daxie_follows_the_accounting_convention(value: str, expected: str) -> None:
    assert daxie(Decimal(value)) == expected


def test_daxie_refuses_negative_amounts() -> None:
    with pytest.raises(ValueError, match="negative"):
        daxie(Decimal("-1"))


def test_amounts_in_each_language() -> None:
    assert amount(Decimal("12345.6"), "zh-Hans") == "12,345.60元"
    assert amount(Decimal("12345.6"), "en") == "CNY 12,345.60"
    assert amount_full(Decimal("12000"), "zh-Hans") == "12,000.00元（人民币壹万贰仟元整）"
    assert amount_full(Decimal("12000"), "en") == "CNY 12,000.00 (人民币壹万贰仟元整)"
    assert amount(None) is None and amount_full(None) is None


def test_dates_and_masks() -> None:
    assert en_date(dt.date(2026, 11, 2)) == "2 November 2026"
    assert mask_id("11010519491231002X") == "1101**********002X"
    assert mask_phone("13812345678") == "138****5678"


def test_percent_prints_any_rate_readably() -> None:
    assert percent(Decimal("0.24")) == "24.00%"
    assert percent(Decimal("0.5"), 0) == "50%"
    assert percent(Decimal("68.500749")) == "6,850.07%"
    assert percent(None) == "—"
    # an absurd cost (a tiny loan with a large fee) is shown as a bound, not thirty digits
    assert percent(Decimal("1E+24")) == "> 10,000%"
    assert percent(Decimal("100")) == "10,000.00%"


@pytest.mark.parametrize(
    ("law", "article", "zh", "en"),
    [
        ("民法典", "670", "《民法典》第670条", "民法典, art. 670"),
        ("刑法", "293之一", "《刑法》第293条之一", "刑法, art. 293之一"),
        ("民间借贷规定", "14 ¶2", "《民间借贷规定》第14条第2款", "民间借贷规定, art. 14 ¶2"),
        (
            "最高人民法院关于进一步加强金融审判工作的若干意见（法发〔2017〕22号）",
            "2",
            "《最高人民法院关于进一步加强金融审判工作的若干意见》（法发〔2017〕22号）第2条",
            "最高人民法院关于进一步加强金融审判工作的若干意见（法发〔2017〕22号）, art. 2",
        ),
        (
            "中国人民银行公告〔2021〕第3号",
            None,
            "中国人民银行公告〔2021〕第3号",
            "中国人民银行公告〔2021〕第3号",
        ),
        ("国家标准《某指引》", None, "国家标准《某指引》", "国家标准《某指引》"),
    ],
)
def test_citations(law: str, article: str | None, zh: str, en: str) -> None:
    c = Citation(law=law, article=article)
    assert cite(c, "zh-Hans") == zh
    assert cite(c, "en") == en


def test_markdown_escape_neutralises_markup() -> None:
    assert markdown_escape("<b>a|b</b>") == r"\<b\>a\|b\</b\>"
    assert markdown_escape("*x* _y_ [z](u) #h") == r"\*x\* \_y\_ \[z\](u) \#h"
    assert markdown_escape("1. first") == r"1\. first"
    assert markdown_escape("- item") == r"\- item"


def test_borrower_words_keep_their_own_quotes_and_lose_trailing_stops() -> None:
    assert quoted("服务费") == "“服务费”"
    assert quoted("每期“平台服务费”") == "每期“平台服务费”"
    assert clause("公司裁员。 ") == "公司裁员"
    assert isinstance(clause(Markup("a.")), Markup)


def test_text_table_aligns_cjk_by_display_width() -> None:
    out = text_table([["第1期", "1,612.50"], ["第10期", "12.00"]], ["期数", "金额"], "lr")
    lines = out.splitlines()
    assert len({display_width(line) for line in lines}) == 1
    assert lines[2].endswith("1,612.50") and lines[3].endswith("   12.00")


def test_text_table_wraps_long_cells_but_never_an_amount_in_capitals() -> None:
    long = "很长的说明" * 10
    capitals = "人民币壹仟壹佰壹拾壹万壹仟壹佰壹拾壹元壹角壹分"
    out = text_table([[long, capitals]], ["说明", "大写"], max_width=20)
    assert capitals in out
    assert all(display_width(line.split("  ")[0]) <= 20 for line in out.splitlines()[2:])
    assert wrap_display("word " * 10, 12) == [
        "word word",
        "word word",
        "word word",
        "word word",
        "word word",
    ]
    with pytest.raises(ValueError, match="None"):
        text_table([[None]], ["x"])


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_letter_environments_refuse_to_print_none(fmt: str) -> None:
    from negotiator.documents.render import MissingValueError

    env = letter_environment(fmt)
    with pytest.raises(MissingValueError):
        env.from_string("{{ x }}").render(x=None)
    assert (
        env.from_string("{{ x }}").render(x="<a>")
        == {
            "text": "<a>",
            "markdown": r"\<a\>",
            "html": "&lt;a&gt;",
        }[fmt]
    )
