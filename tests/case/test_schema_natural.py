"""The JSON Schema describes the natural spellings the loader reads, in both directions:
every accepted spelling (the table in docs/case-format.md, every Chinese word of every closed
set, and spellings generated from random canonical values) validates and loads to the same value;
and every string the schema's natural patterns allow loads (hypothesis, from the patterns)."""

from __future__ import annotations

import copy
import datetime as dt
import re
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import cn2an
import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from negotiator import load_case
from negotiator.case import models
from negotiator.case.natural import _DATE, SYNONYMS, _clean
from negotiator.case.schema import NATURAL, case_schema

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = jsonschema.Draft202012Validator(case_schema())
LOAN = {"lender_name": "某某银行", "lender_type": "bank", "principal": "10000"}
W = object()  # where the spelling goes


def case(**parts: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"borrower": {}, "loans": [dict(LOAN)]}
    for key, value in parts.items():
        if key == "loan":
            doc["loans"][0].update(value)
        else:
            doc[key] = value
    return doc


def put(template: Any, word: Any) -> Any:
    if template is W:
        return word
    if isinstance(template, dict):
        return {k: put(v, word) for k, v in template.items()}
    if isinstance(template, list):
        return [put(v, word) for v in template]
    return copy.deepcopy(template)


def valid_and_loads(doc: dict[str, Any]) -> models.Case:
    errors = [e.message for e in VALIDATOR.iter_errors(doc)]
    assert not errors, (doc, errors[:2])
    return load_case(doc)


# ---------------------------------------------------------------------------------------------
# What loads validates: the documented spellings
# ---------------------------------------------------------------------------------------------


def _table() -> list[tuple[str, list[str]]]:
    """(kind, spellings) of the accepted-spellings table in docs/case-format.md."""
    text = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    section = text.split("## Natural spellings", 1)[1].split("\n## ", 1)[0]
    rows, kind = [], ""
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("kind", "---") or (set(cells[0]) <= {"-"} and cells[0]):
            continue
        kind = cells[0] or kind
        rows.append((kind, re.findall(r"`([^`]+)`", cells[1])))
    return rows


def _unquote(spelling: str) -> Any:
    return spelling[1:-1] if spelling.startswith('"') else int(spelling)


PLACES = {
    "money": lambda v: case(borrower={"monthly_income": v}),
    "rate": lambda v: case(loan={"rate": v}),
    "date": lambda v: case(loan={"contract_date": v}),
    "whole number": lambda v: case(loan={"term_months": v}),
    "yes / no": lambda v: case(loan={"interest_agreed": v}),
    "list of words": lambda v: case(borrower={"documents": v}),
    "penalty or charged rate": lambda v: case(loan={"rate": "年化18%", "penalty_rate": v}),
}


def test_every_spelling_of_the_table_validates_and_loads():
    rows = _table()
    kinds = {k for k, _ in rows}
    assert {"money", "rate", "date", "date and time", "whole number", "yes / no"} <= kinds
    checked = 0
    for kind, spellings in rows:
        if kind == "rate inside a table":
            values = [_unquote(s.split("=", 1)[1].strip()) for s in spellings if "=" in s]
            rate = {"value": values[0], "unit": values[1]}
            for unit in values[1:]:
                valid_and_loads(case(loan={"rate": {**rate, "unit": unit}}))
                checked += 1
            continue
        if kind == "date and time":
            for time in ("23:10", "23点10分"):
                for day in ("2025年11月10日", "2025/11/10", "2025-11-10"):
                    contact = {"at": f"{day} {time}", "channel": "电话"}
                    got = valid_and_loads(case(loan={"collection_contacts": [contact]}))
                    at = got.loans[0].collection_contacts[0].at
                    assert (at.hour, at.minute) == (23, 10)
                    checked += 1
            continue
        for spelling in spellings:
            if kind not in PLACES or spelling.startswith("{"):
                continue
            value = _unquote(spelling)
            if kind == "whole number" and "人" in str(value):
                doc = case(borrower={"dependents": value})
            else:
                doc = PLACES[kind](value)
            valid_and_loads(doc)
            checked += 1
    assert checked >= 40


#: Where a word of each closed set goes in a case.
ENUM_PLACES: dict[type[Enum], dict[str, Any]] = {
    models.LenderType: case(loan={"lender_type": W}),
    models.RepaymentMethod: case(loan={"repayment_method": W}),
    models.CourtProcedure: case(lawsuit="filed", court={"procedure": W}),
    models.RateUnit: case(loan={"rate": {"value": "0.01", "unit": W}}),
    models.IncomeStability: case(borrower={"income_stability": W}),
    models.EmploymentStatus: case(borrower={"employment": W}),
    models.HardshipKind: case(borrower={"hardships": [{"kind": W}]}),
    models.EvidenceKind: case(borrower={"hardships": [{"kind": "illness", "evidence": [W]}]}),
    models.DocumentKind: case(borrower={"documents": [W]}),
    models.FeeKind: case(loan={"fees": [{"kind": W, "amount": "10", "charged": "upfront"}]}),
    models.FeeTiming: case(loan={"fees": [{"kind": "service", "amount": "10", "charged": W}]}),
    models.ContactChannel: case(
        loan={"collection_contacts": [{"at": "2026-01-02T10:00", "channel": W}]}
    ),
    models.ContactTarget: case(
        loan={"collection_contacts": [{"at": "2026-01-02T10:00", "channel": "sms", "target": W}]}
    ),
    models.Conduct: case(
        loan={"collection_contacts": [{"at": "2026-01-02T10:00", "channel": "sms", "conduct": [W]}]}
    ),
    models.AgreementForm: case(agreement={"form": W}),
    models.AccountKind: case(agreement={"form": "paper", "repayment_account": W}),
    models.PartyKind: case(agreement={"form": "paper", "lender": {"kind": W}}),
    models.LawsuitStatus: case(lawsuit=W),
    models.NegotiationEventKind: case(history=[{"date": "2026-01-01", "kind": W}]),
    models.Outcome: case(history=[{"date": "2026-01-01", "kind": "contact", "outcome": W}]),
}


def test_every_closed_set_with_chinese_words_has_a_place_here():
    assert set(SYNONYMS) <= set(ENUM_PLACES)


@pytest.mark.parametrize("enum", list(ENUM_PLACES), ids=lambda e: e.__name__)
def test_every_word_of_every_closed_set_validates_and_loads(enum):
    template = ENUM_PLACES[enum]
    for member in enum:
        value = str(member.value)
        for word in (value, value.replace("_", " "), *SYNONYMS.get(enum, {}).get(value, ())):
            valid_and_loads(put(template, word))


def test_a_list_of_words_in_one_string_validates_and_loads():
    got = valid_and_loads(case(borrower={"documents": "借款合同、还款记录，聊天记录"}))
    assert len(got.borrower.documents) == 3
    got = valid_and_loads(
        case(
            loan={
                "collection_contacts": [
                    {"at": "2026年1月2日 22:30", "channel": "电话", "conduct": "威胁、爆通讯录"}
                ]
            }
        )
    )
    assert set(got.loans[0].collection_contacts[0].conduct) == {
        models.Conduct.THREAT,
        models.Conduct.DISCLOSED_DEBT,
    }


# ---------------------------------------------------------------------------------------------
# What loads validates: spellings of random canonical values
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
        f"人民币{plain}元",
        f" {plain} ",
    ]
    if d == d.to_integral_value():
        out += [f"人民币{cn2an.an2cn(int(d), 'up')}元整", f"{cn2an.an2cn(int(d), 'low')}元"]
        if d % 1000 == 0 and d > 0:
            out += [f"{format((d / 10000).normalize(), 'f')}万", f"{int(d / 1000)}千"]
    else:
        out.append(cn2an.an2cn(plain, "rmb"))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.one_of(
        st.integers(min_value=0, max_value=99_999_999).map(Decimal),
        st.decimals(min_value=0, max_value=9_999_999, places=2, allow_nan=False),
    )
)
def test_money_spellings_validate_and_load_to_the_same_amount(d):
    for spelling in money_spellings(d):
        got = valid_and_loads(case(borrower={"savings": spelling}))
        assert got.borrower.savings == d, spelling


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.decimals(min_value=0, max_value=100, places=3, allow_nan=False),
    st.sampled_from([("年化", "annual"), ("月息", "monthly"), ("日利率", "daily"), ("", "annual")]),
)
def test_rate_spellings_validate_and_load_to_the_same_rate(percent, unit):
    got = valid_and_loads(case(loan={"rate": f"{unit[0]}{percent}%"}))
    rate = got.loans[0].rate
    assert rate is not None and rate.value == percent / 100 and rate.unit.value == unit[1]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.integers(0, 23),
    st.integers(0, 59),
)
def test_date_and_time_spellings_validate_and_load(d, h, m):
    for spelling in (
        f"{d.year}年{d.month}月{d.day}日",
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}.{d.month}.{d.day}号",
    ):
        assert valid_and_loads(case(loan={"contract_date": spelling})).loans[0].contract_date == d
    contact = {"at": f"{d.year}年{d.month}月{d.day}日 {h}:{m:02}", "channel": "短信"}
    at = (
        valid_and_loads(case(loan={"collection_contacts": [contact]}))
        .loans[0]
        .collection_contacts[0]
        .at
    )
    assert (at.date(), at.hour, at.minute) == (d, h, m)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(1, 99), st.sampled_from(["期", "个月", ""]))
def test_count_spellings_validate_and_load(n, counter):
    for spelling in (f"{n}{counter}", f"{cn2an.an2cn(n, 'low')}{counter}"):
        assert valid_and_loads(case(loan={"term_months": spelling})).loans[0].term_months == n


# ---------------------------------------------------------------------------------------------
# What validates loads: strings generated from the schema's natural patterns
# ---------------------------------------------------------------------------------------------


def _on_the_calendar(text: str) -> bool:
    m = _DATE.match(_clean(text))
    try:
        return m is None or bool(dt.date(int(m["y"]), int(m["m"]), int(m["d"])))
    except ValueError:
        return False


PATTERN_PLACES = {
    "money": lambda v: case(borrower={"savings": v}),
    "rate": lambda v: case(loan={"rate": v}),
    "rate_value": lambda v: case(loan={"rate": {"value": v, "unit": "daily"}}),
    "multiple": lambda v: case(loan={"rate": "月息1%", "penalty_rate": v, "penalty_multiple": v}),
    "date": lambda v: case(loan={"overdue_since": v}),
    "datetime": lambda v: case(loan={"collection_contacts": [{"at": v, "channel": "phone"}]}),
}


@pytest.mark.parametrize("kind", sorted(NATURAL))
def test_every_string_a_natural_pattern_allows_loads(kind):
    assert kind in PATTERN_PLACES

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(NATURAL[kind], fullmatch=True))
    def check(text):
        assume(_on_the_calendar(text))
        doc = PATTERN_PLACES[kind](text)
        assert not list(VALIDATOR.iter_errors(doc)), text
        load_case(doc)

    check()
