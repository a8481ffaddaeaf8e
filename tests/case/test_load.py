"""Loading cases: formats, exact decimals, errors that name their path, no personal data leaks."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiator.case.load import load_case, parse_document, unstructure
from negotiator.case.models import Case
from negotiator.errors import InputError

MINIMAL = {
    "borrower": {"monthly_income": "5000"},
    "loans": [{"lender_name": "甲银行股份有限公司", "lender_type": "bank", "principal": "10000"}],
}

TOML = """
as_of = 2026-11-20
[borrower]
name = "李四"
monthly_income = 6500.50
[[loans]]
lender_name = "甲消费金融有限公司"
lender_type = "consumer_finance"
principal = 12000
rate = { value = 0.0005, unit = "daily" }
"""


def test_toml_and_json_give_the_same_case():
    from_toml = load_case(TOML)
    as_json = json.dumps(
        {
            "as_of": "2026-11-20",
            "borrower": {"name": "李四", "monthly_income": "6500.50"},
            "loans": [
                {
                    "lender_name": "甲消费金融有限公司",
                    "lender_type": "consumer_finance",
                    "principal": 12000,
                    "rate": {"value": "0.0005", "unit": "daily"},
                }
            ],
        },
        ensure_ascii=False,
    )
    assert load_case(as_json) == from_toml
    assert load_case(as_json.encode("utf-8")) == from_toml


def test_numbers_are_exact_decimals_never_floats():
    case = load_case(TOML)
    assert case.borrower.monthly_income == Decimal("6500.50")
    assert isinstance(case.loans[0].rate.value, Decimal)
    assert case.loans[0].rate.value == Decimal("0.0005")


def test_python_floats_at_two_places_are_read_as_the_decimal_written():
    case = load_case({**MINIMAL, "borrower": {"monthly_income": 5000.5, "savings": 19.99}})
    assert case.borrower.monthly_income == Decimal("5000.5")
    assert case.borrower.savings == Decimal("19.99")


def test_python_floats_finer_than_two_places_are_refused_with_the_path():
    loan = {**MINIMAL["loans"][0], "rate": {"value": 0.0005, "unit": "daily"}}
    with pytest.raises(InputError) as info:
        load_case({**MINIMAL, "loans": [loan]})
    assert info.value.path == "loans[0].rate.value"
    assert "parse_float=decimal.Decimal" in info.value.problem


@pytest.mark.parametrize(
    ("patch", "path", "words"),
    [
        (
            {"loans": [{"lender_name": "x", "lender_type": "bank", "principal": "-1"}]},
            "loans[0].principal",
            "negative",
        ),
        (
            {"loans": [{"lender_name": "x", "lender_type": "banky", "principal": "1"}]},
            "loans[0].lender_type",
            "not one of",
        ),
        (
            {"loans": [{"lender_name": "x", "lender_type": "bank"}]},
            "loans[0].principal",
            "required",
        ),
        (
            {"loans": [{"lender_name": "x", "lender_type": "bank", "principal": "1", "colour": 1}]},
            "loans[0].colour",
            "unknown field",
        ),
        (
            {"loans": [{"lender_name": "x", "lender_type": "bank", "principal": "1.001"}]},
            "loans[0].principal",
            "fen",
        ),
        (
            {
                "loans": [
                    {"lender_name": "x", "lender_type": "bank", "principal": "10", "received": "11"}
                ]
            },
            "loans[0].received",
            "larger",
        ),
        ({"loans": []}, "loans", "at least one loan"),
        ({"as_of": "2026-02-30"}, "as_of", "YYYY-MM-DD"),
        (
            {
                "loans": [
                    {
                        "lender_name": "x",
                        "lender_type": "bank",
                        "principal": "1",
                        "fees": [{"kind": "service", "amount": "-5", "charged": "upfront"}],
                    }
                ]
            },
            "loans[0].fees[0].amount",
            "negative",
        ),
    ],
)
def test_errors_name_the_field_path(patch, path, words):
    with pytest.raises(InputError) as info:
        load_case({**MINIMAL, **patch})
    assert info.value.path == path
    assert words in str(info.value)
    assert str(info.value).startswith(f"{path}: ")


def test_every_problem_is_collected():
    bad = {
        "borrower": {"monthly_income": "x", "dependents": -1},
        "loans": [{"lender_name": "x", "lender_type": "nope", "principal": "1"}],
    }
    with pytest.raises(InputError) as info:
        load_case(bad)
    paths = {p for p, _ in info.value.errors}
    assert {"borrower.monthly_income", "loans[0].lender_type"} <= paths


def test_personal_identifiers_never_appear_in_errors_or_reprs():
    secret_id, secret_phone = "110105194912310021", "13812345678"
    case = load_case({**MINIMAL, "borrower": {"id_number": secret_id, "phone": secret_phone}})
    assert secret_id not in repr(case) and secret_phone not in repr(case)
    with pytest.raises(InputError) as info:
        load_case({**MINIMAL, "borrower": {"id_number": 110105194912310021, "phone": secret_phone}})
    assert secret_id not in str(info.value) and secret_phone not in str(info.value)


def test_round_trip_through_plain_data():
    case = load_case(TOML)
    assert load_case(unstructure(case)) == case


@pytest.mark.parametrize(
    "raw",
    [b"\xff\xfe\x00garbage", b"{not json", b"[1, 2]", b"x = ", '{"a": NaN}', b"\x00" * 10],
)
def test_unreadable_documents_are_input_errors(raw):
    with pytest.raises(InputError):
        load_case(raw)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_only_ever_raise_input_error(raw):
    try:
        case = load_case(raw)
    except InputError as exc:
        assert exc.problem and exc.errors
    else:
        assert isinstance(case, Case) and case.loans


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=10)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "borrower",
                    "loans",
                    "lender_name",
                    "lender_type",
                    "principal",
                    "monthly_income",
                    "fees",
                    "kind",
                    "amount",
                    "charged",
                    "agreement",
                    "form",
                    "as_of",
                    "x",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(_json)
def test_arbitrary_json_only_ever_raises_input_error(doc):
    try:
        load_case(json.dumps(doc))
    except InputError as exc:
        assert str(exc)


def test_parse_document_tells_toml_from_json_by_content():
    assert parse_document('  {"a": 1.5}')["a"] == Decimal("1.5")
    assert parse_document("a = 1.5")["a"] == Decimal("1.5")
