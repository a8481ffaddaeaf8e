"""Values already written canonically pass through the natural-spelling reader unchanged, and a
case reads the same whether a date and time is written canonically or in words."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiator.case.load import load_case
from negotiator.case.models import Case, ContactChannel, LenderType
from negotiator.case.natural import canonicalise
from negotiator.errors import InputError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "multi_lender.toml"


def _data() -> dict[str, Any]:
    with EXAMPLE.open("rb") as f:
        return tomllib.load(f)


@given(
    amount=st.decimals(min_value=0, max_value=10**7, places=2),
    day=st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
    at=st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2030, 12, 31)),
    channel=st.sampled_from(list(ContactChannel)),
    lender=st.sampled_from(list(LenderType)),
)
def test_canonical_values_are_left_as_written(
    amount: Any, day: dt.date, at: dt.datetime, channel: ContactChannel, lender: LenderType
) -> None:
    data = _data()
    loan = data["loans"][0]
    loan["principal"] = str(amount)
    loan["overdue_since"] = day.isoformat()
    loan["lender_type"] = lender.value
    stamp = at.replace(microsecond=0).isoformat(timespec="minutes")
    loan["collection_contacts"] = [{"at": stamp, "channel": channel.value}]
    out, originals = canonicalise(data)
    row = out["loans"][0]
    assert row["principal"] == str(amount) and row["overdue_since"] == day.isoformat()
    assert row["lender_type"] == lender.value
    assert row["collection_contacts"][0] == {"at": stamp, "channel": channel.value}
    assert not [p for p in originals if p.startswith("loans[0].")]


def test_a_time_in_words_and_in_iso_form_read_alike() -> None:
    cases: list[Case] = []
    for at in ("2026-11-02T23:15", "2026年11月2日 23:15", "2026-11-02 23:15:00"):
        data = _data()
        data["loans"][0]["collection_contacts"] = [{"at": at, "channel": "phone"}]
        cases.append(load_case(data))
    contacts = [c.loans[0].collection_contacts for c in cases]
    assert contacts[0] == contacts[1] == contacts[2]
    assert contacts[0][0].at == dt.datetime(2026, 11, 2, 23, 15)


def test_an_impossible_iso_time_is_still_refused_by_the_loader() -> None:
    data = _data()
    data["loans"][0]["collection_contacts"] = [{"at": "2026-02-30T08:00", "channel": "phone"}]
    with pytest.raises(InputError) as caught:
        load_case(data)
    assert "loans[0].collection_contacts[0].at" in str(caught.value)
