"""Natural input: every canonical value round-trips through each accepted spelling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiator.case import models
from negotiator.case.load import load_case
from negotiator.case.natural import (
    SYNONYMS,
    canonicalise,
    parse_date,
    parse_datetime,
    parse_money,
    parse_multiple,
    parse_rate,
    parse_word,
)
from negotiator.errors import InputError

# ---------------------------------------------------------------------------------------------
# Spellings, generated from the canonical value
# ---------------------------------------------------------------------------------------------


def money_spellings(d: Decimal) -> list[str]:
    plain = format(d, "f")
    whole, _, frac = plain.partition(".")
    grouped = f"{int(whole):,}" + (f".{frac}" if frac else "")
    out = [
        plain,
        f"{plain}元",
        f"¥{plain}",
        f"￥{grouped}",
        grouped,
        f"{grouped}元",
        f"人民币{plain}元",
        f" {plain} ",
    ]
    if d == d.to_integral_value():
        out.append(f"人民币{cn2an.an2cn(int(d), 'up')}元整")
        out.append(f"{cn2an.an2cn(int(d), 'low')}元")
        if d % 1000 == 0 and d > 0:
            wan = (d / 10000).normalize()
            out.append(f"{format(wan, 'f')}万")
            out.append(f"{format(wan, 'f')}万元")
    else:
        out.append(cn2an.an2cn(plain, "rmb"))
    return out


def same(a: Decimal | None, b: Decimal) -> bool:
    return a is not None and a == b


amounts = st.one_of(
    st.integers(min_value=0, max_value=99_999_999).map(Decimal),
    st.decimals(min_value=0, max_value=9_999_999, places=2, allow_nan=False, allow_infinity=False),
)


@given(amounts)
def test_money_round_trips_through_every_spelling(d):
    for spelling in money_spellings(d):
        assert same(parse_money(spelling), d), spelling


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.2万", "12000"),
        ("12,000元", "12000"),
        ("人民币壹万贰仟元整", "12000"),
        ("一万二千元", "12000"),
        ("壹万贰仟元伍角", "12000.5"),
        ("３５００元", "3500"),
        ("3万", "30000"),
        ("0.5万元", "5000"),
        ("人民币12,000.50元", "12000.50"),
    ],
)
def test_money_examples(text, value):
    assert parse_money(text) == Decimal(value)


@pytest.mark.parametrize("text", ["12,00", "1,2345", "abc", "", "元", "12元34", "1.2.3万"])
def test_not_money_is_left_alone(text):
    assert parse_money(text) is None


_UNITS = {
    "annual": ("年化", "年利率", "年息", ""),
    "monthly": ("月息", "月利率"),
    "daily": ("日息", "日利率"),
}


@given(
    st.decimals(min_value=0, max_value=100, places=3, allow_nan=False),
    st.sampled_from(["annual", "monthly", "daily"]),
)
def test_rates_round_trip_through_every_spelling(percent, unit):
    fraction = percent / 100
    for prefix in _UNITS[unit]:
        for pct in (f"{percent}%", f"{percent} %", f"{percent}％"):
            got = parse_rate(prefix + pct)
            assert got is not None, prefix + pct
            assert got["unit"] == unit
            assert Decimal(got["value"]) == fraction


@given(st.integers(min_value=1, max_value=99), st.sampled_from(["monthly", "daily", "annual"]))
def test_wan_and_qian_fractions(n, unit):
    prefix = {"annual": "年利率", "monthly": "月利率", "daily": "日利率"}[unit]
    cn = cn2an.an2cn(n, "low")
    got = parse_rate(f"{prefix}万分之{cn}")
    assert got == {"value": format((Decimal(n) / 10000).normalize(), "f"), "unit": unit}
    got = parse_rate(f"{prefix}千分之{n}")
    assert got is not None and Decimal(got["value"]) == Decimal(n) / 1000


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("18%", "0.18", "annual"),
        ("年化18%", "0.18", "annual"),
        ("月息1.5%", "0.015", "monthly"),
        ("日息0.05%", "0.0005", "daily"),
        ("日利率万分之五", "0.0005", "daily"),
    ],
)
def test_rate_examples_of_the_issue(text, value, unit):
    assert parse_rate(text) == {"value": value, "unit": unit}


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("合同利率的1.5倍", "1.5"),
        ("1.5倍", "1.5"),
        ("按合同利率的1.3倍", "1.3"),
        ("上浮50%", "1.5"),
        ("在合同利率基础上上浮30%", "1.3"),
        ("两倍", "2"),
    ],
)
def test_multiples(text, factor):
    assert parse_multiple(text) == Decimal(factor)


dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))


@given(dates)
def test_dates_round_trip_through_every_spelling(d):
    for spelling in (
        f"{d.year}年{d.month}月{d.day}日",
        f"{d.year}年{d.month:02}月{d.day:02}日",
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}.{d.month}.{d.day}",
        f"{d.year}-{d.month:02}-{d.day:02}",
        f"{d.year}年{d.month}月{d.day}号",
    ):
        assert parse_date(spelling) == d, spelling


@given(dates, st.integers(0, 23), st.integers(0, 59))
def test_datetimes(d, h, m):
    expected = dt.datetime(d.year, d.month, d.day, h, m)
    for spelling in (
        f"{d.year}年{d.month}月{d.day}日 {h}:{m:02}",
        f"{d.year}/{d.month}/{d.day} {h}:{m:02}",
        f"{d.isoformat()}T{h:02}:{m:02}",
    ):
        assert parse_datetime(spelling) == expected, spelling


def test_impossible_dates_are_not_guessed():
    assert parse_date("2025年2月30日") is None
    assert parse_date("10/11/2025") is None


@pytest.mark.parametrize("enum", list(SYNONYMS))
def test_every_word_round_trips_through_its_spellings(enum):
    for member in enum:
        value = str(member.value)
        assert parse_word(value, enum) == value
        assert parse_word(value.upper(), enum) == value
        for spelling in SYNONYMS[enum].get(value, ()):
            assert parse_word(spelling, enum) == value, spelling


def test_every_closed_set_has_chinese_words():
    enums = [
        obj
        for obj in vars(models).values()
        if isinstance(obj, type) and issubclass(obj, Enum) and obj.__module__ == models.__name__
    ]
    for enum in enums:
        assert enum in SYNONYMS, enum
        for member in enum:
            assert SYNONYMS[enum].get(str(member.value)), (enum, member)


def test_spellings_are_not_ambiguous_within_a_set():
    for enum, table in SYNONYMS.items():
        seen: dict[str, str] = {}
        for value, words in table.items():
            for w in words:
                assert seen.setdefault(w, value) == value, (enum, w)


# ---------------------------------------------------------------------------------------------
# At load: file, dict and API read the same spellings
# ---------------------------------------------------------------------------------------------

NATURAL = """
as_of = "2026年12月1日"
[borrower]
monthly_income = "6,500元"
income_stability = "不稳定"
documents = "借款合同、还款记录"
[[loans]]
lender_name = "某某网络小额贷款有限公司"
lender_type = "小额贷款公司"
principal = "3万"
received = "人民币贰万玖仟柒佰元整"
contract_date = "2025/11/10"
overdue_since = "2026.09.08"
rate = "年化18%"
penalty_rate = "合同利率的1.5倍"
term_months = "12期"
[[loans]]
lender_name = "张三"
lender_type = "个人"
principal = "1.2万"
rate = { value = "2%", unit = "月" }
"""


def test_a_naturally_written_case_loads():
    case = load_case(NATURAL)
    loan = case.loans[0]
    assert case.as_of == dt.date(2026, 12, 1)
    assert case.borrower.monthly_income == Decimal(6500)
    assert case.borrower.income_stability is models.IncomeStability.UNSTABLE
    assert case.borrower.documents == (
        models.DocumentKind.LOAN_CONTRACT,
        models.DocumentKind.REPAYMENT_RECORDS,
    )
    assert loan.lender_type is models.LenderType.MICROLOAN
    assert loan.principal == Decimal(30000) and loan.received == Decimal(29700)
    assert loan.contract_date == dt.date(2025, 11, 10)
    assert loan.rate == models.Rate(Decimal("0.18"), models.RateUnit.ANNUAL)
    assert loan.penalty_rate == models.Rate(Decimal("0.27"), models.RateUnit.ANNUAL)
    assert loan.term_months == 12
    assert case.loans[1].lender_type is models.LenderType.PRIVATE
    assert case.loans[1].rate == models.Rate(Decimal("0.02"), models.RateUnit.MONTHLY)


def test_a_penalty_multiple_field_reads_the_multiple():
    text = NATURAL.replace(
        'penalty_rate = "合同利率的1.5倍"', 'penalty_multiple = "合同利率的1.5倍"'
    )
    assert str(load_case(text).loans[0].penalty_multiple) == "1.5"


def test_dict_and_json_read_the_same_spellings():
    import json
    import tomllib

    data = tomllib.loads(NATURAL)
    assert load_case(data) == load_case(NATURAL) == load_case(json.dumps(data, ensure_ascii=False))


def test_canonicalise_keeps_the_original_and_does_not_change_its_input():
    import tomllib

    data = tomllib.loads(NATURAL)
    before = repr(data)
    out, originals = canonicalise(data)
    assert repr(data) == before
    assert out["loans"][0]["rate"] == {"value": "0.18", "unit": "annual"}
    assert originals["loans[0].rate"] == "年化18%"
    assert originals["loans[0].penalty_rate"] == "合同利率的1.5倍"
    assert originals["borrower.monthly_income"] == "6,500元"


def test_an_unreadable_value_is_reported_with_what_was_written():
    with pytest.raises(InputError) as info:
        load_case(
            {
                "borrower": {},
                "loans": [{"lender_name": "x", "lender_type": "小额贷", "principal": "三万块多"}],
            }
        )
    paths = [p for p, _ in info.value.errors]
    assert "loans[0].lender_type" in paths and "loans[0].principal" in paths
