"""The schedule's ``paid`` column: an amount, or true/false (paid in full / not paid), in words.

A row written ``paid = true`` counts exactly as the row's amount paid, ``paid = false`` as
nothing paid; the ledger, the JSON Schema and the natural spellings agree.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiator.analysis import analyse
from negotiator.case.load import load_case, unstructure
from negotiator.case.schema import case_schema
from negotiator.errors import InputError

D = Decimal
AS_OF = dt.date(2026, 11, 20)
PAYMENT = "2750.40"


def _case(paid: list[Any]) -> dict[str, Any]:
    rows = []
    for k, p in enumerate(paid):
        row: dict[str, Any] = {"due": dt.date(2026, k + 1, 10).isoformat(), "amount": PAYMENT}
        if p is not None:
            row["paid"] = p
        rows.append(row)
    return {
        "as_of": AS_OF.isoformat(),
        "borrower": {},
        "loans": [
            {
                "lender_name": "某某网络小额贷款有限公司",
                "lender_type": "microloan",
                "principal": "30000",
                "contract_date": "2025-12-10",
                "rate": {"value": "0.18", "unit": "annual", "basis": 360},
                "repayment_method": "equal_instalment",
                "overdue_since": "2026-09-10",
                "schedule": rows,
            }
        ],
    }


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        (True, True),
        (False, False),
        ("已还", True),
        ("已还清", True),
        ("是", True),
        ("未还", False),
        ("没还", False),
        ("否", False),
        ("true", True),
        ("2,750.40元", D("2750.40")),
        ("1000", D("1000")),
    ],
)
def test_paid_reads_amounts_flags_and_words(word: Any, expected: Any) -> None:
    case = load_case(_case([word]))
    assert case.loans[0].schedule[0].paid == expected
    if isinstance(expected, bool):
        assert type(case.loans[0].schedule[0].paid) is bool


def test_paid_flag_means_the_rows_amount_or_nothing() -> None:
    case = load_case(_case([True, False, None]))
    rows = case.loans[0].schedule
    assert rows[0].paid_amount == D(PAYMENT)
    assert rows[1].paid_amount == 0
    assert rows[2].paid_amount is None


@pytest.mark.parametrize("bad", ["maybe", "-5", "12.345", "已还一半"])
def test_a_paid_value_that_is_neither_is_refused_with_its_path(bad: str) -> None:
    with pytest.raises(InputError) as err:
        load_case(_case([bad]))
    assert err.value.path == "loans[0].schedule[0].paid"


def test_flags_round_trip_through_the_plain_form() -> None:
    case = load_case(_case([True, "1000", False]))
    plain = unstructure(case)
    assert [r.get("paid") for r in plain["loans"][0]["schedule"]] == [True, "1000", False]
    assert load_case(plain) == case


@settings(max_examples=40, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=11))
def test_flags_give_the_same_ledger_as_the_amounts_they_stand_for(flags: list[bool]) -> None:
    as_flags = analyse(load_case(_case(list(flags)))).loans[0].ledger
    as_amounts = analyse(load_case(_case([PAYMENT if f else "0" for f in flags]))).loans[0].ledger
    assert as_flags is not None and as_amounts is not None
    assert as_flags.claimed == as_amounts.claimed
    assert as_flags.repaid == as_amounts.repaid
    sched = as_flags.schedule
    assert sched is not None and sched.paid_from == "stated"
    assert sched.paid_total == D(PAYMENT) * sum(flags)
    # a missed row (false, due before the case date) is never counted as paid
    for row, flag in zip(sched.rows, flags, strict=True):
        assert (row.status.value == "paid") is flag


def test_the_schema_accepts_flags_and_amounts_and_refuses_other_values() -> None:
    validator = jsonschema.Draft202012Validator(case_schema())
    for ok in (True, False, "2750.40", 0):
        assert not list(validator.iter_errors(_case([ok]))), ok
    for bad in ("maybe", -1, "12.345"):
        assert list(validator.iter_errors(_case([bad]))), bad
