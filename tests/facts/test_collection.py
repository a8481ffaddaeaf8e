"""Collection conduct: time windows, daily call counts, third parties, threats, complaints."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiator.analysis.loans import analyse_loan
from negotiator.api import advise
from negotiator.case.load import load_case
from negotiator.case.models import (
    Borrower,
    Case,
    CollectionContact,
    Conduct,
    ContactChannel,
    ContactTarget,
    LenderType,
    Loan,
    Rate,
    RateUnit,
)

DAY = dt.date(2025, 8, 6)


def _loan(*contacts: CollectionContact, lender: LenderType = LenderType.CONSUMER_FINANCE) -> Loan:
    return Loan(
        lender_name="某某消费金融有限公司",
        lender_type=lender,
        principal=Decimal("5000"),
        overdue_since=dt.date(2025, 6, 1),
        collection_contacts=contacts,
    )


def _at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def _codes(loan: Loan) -> list[str]:
    report = advise(Case(borrower=Borrower(), loans=(loan,), as_of=dt.date(2025, 9, 1)))
    return [f.code for f in report.findings if f.category in ("collection", "complaint")]


@pytest.mark.parametrize(
    ("hour", "minute", "quiet", "late"),
    [
        (7, 59, True, False),
        (8, 0, False, False),
        (20, 59, False, False),
        (21, 0, False, True),
        (21, 59, False, True),
        (22, 0, True, False),
        (0, 30, True, False),
    ],
)
def test_time_windows_at_their_edges(hour: int, minute: int, quiet: bool, late: bool) -> None:
    la = analyse_loan("L1", _loan(CollectionContact(_at(hour, minute), ContactChannel.PHONE)), DAY)
    c = la.collection.contacts[0]
    assert (c.quiet_hours, c.late_evening) == (quiet, late)


def test_a_letter_or_email_at_night_is_not_a_quiet_hours_contact() -> None:
    for channel in (ContactChannel.LETTER, ContactChannel.EMAIL):
        la = analyse_loan("L1", _loan(CollectionContact(_at(23), channel)), DAY)
        assert not la.collection.contacts[0].quiet_hours


def test_times_with_an_offset_are_read_in_beijing_time() -> None:
    # 15:10 UTC is 23:10 in Beijing.
    case = load_case(
        {
            "as_of": "2025-09-01",
            "borrower": {},
            "loans": [
                {
                    "lender_name": "X",
                    "lender_type": "bank",
                    "principal": "1000",
                    "collection_contacts": [
                        {"at": "2025-08-03T15:10:00+00:00", "channel": "phone"}
                    ],
                }
            ],
        }
    )
    report = advise(case)
    quiet = report.by_code("COLLECTION_QUIET_HOURS")
    assert [f.data["time"] for f in quiet] == ["23:10"]


def test_calls_are_counted_per_day_phone_to_the_borrower_only() -> None:
    la = analyse_loan(
        "L1",
        _loan(
            CollectionContact(_at(9), ContactChannel.PHONE, calls=2),
            CollectionContact(_at(10), ContactChannel.PHONE),
            CollectionContact(_at(11), ContactChannel.SMS, calls=5),
            CollectionContact(_at(12), ContactChannel.PHONE, target=ContactTarget.RELATIVE),
            CollectionContact(_at(23), ContactChannel.PHONE),
            CollectionContact(_at(9, day=DAY + timedelta(days=1)), ContactChannel.PHONE, calls=4),
        ),
        DAY,
    )
    assert [(d.day, d.calls, d.contacts, d.quiet_contacts) for d in la.collection.days] == [
        (DAY, 4, 5, 1),
        (DAY + timedelta(days=1), 4, 1, 0),
    ]
    report = advise(Case(borrower=Borrower(), loans=(la.loan,), as_of=dt.date(2025, 9, 1)))
    excessive = report.by_code("COLLECTION_EXCESSIVE_CALLS")
    assert sorted(f.data["date"] for f in excessive) == ["2025-08-06", "2025-08-07"]
    assert all(f.data["calls"] == 4 for f in excessive)


def test_exactly_three_calls_is_within_the_limit() -> None:
    loan = _loan(CollectionContact(_at(9), ContactChannel.PHONE, calls=3))
    assert "COLLECTION_EXCESSIVE_CALLS" not in _codes(loan)


def test_threats_outrank_and_replace_the_general_rule_for_a_usurious_private_loan() -> None:
    contact = CollectionContact(_at(14), ContactChannel.VISIT, conduct=(Conduct.THREAT,))
    private = Loan(
        lender_name="刘某",
        lender_type=LenderType.PRIVATE,
        principal=Decimal("10000"),
        contract_date=dt.date(2025, 1, 1),
        rate=Rate(Decimal("0.36"), RateUnit.ANNUAL),
        collection_contacts=(contact,),
    )
    report = advise(Case(borrower=Borrower(), loans=(private,), as_of=dt.date(2025, 9, 1)))
    threats = report.by_code("COLLECTION_THREATS_OR_VIOLENCE")
    assert [f.rule for f in threats] == ["collection.threats-illegal-debt"]
    assert threats[0].severity == "violation"
    assert "110" in threats[0].message
    routes = {f.rule for f in report.by_code("COMPLAINT_CHANNEL")}
    # the debt looks illegal: the police route names 刑法293之一, the general one does not fire
    assert "complaint.police-illegal-debt" in routes
    assert not {"complaint.police", "complaint.police-2012"} & routes


def _routes(lender_type: str, contact: dict[str, Any]) -> set[str]:
    case = {
        "as_of": "2025-09-01",
        "borrower": {},
        "loans": [
            {
                "lender_name": "X",
                "lender_type": lender_type,
                "principal": "1000",
                "collection_contacts": [contact],
            }
        ],
    }
    return {f.rule for f in advise(case).findings if f.code == "COMPLAINT_CHANNEL"}


@pytest.mark.parametrize(
    ("lender_type", "routes"),
    [
        # no charge problem: 12363 (credit records only) is not named
        ("bank", {"lender-first", "nfra-12378", "nifa"}),
        ("consumer_finance", {"lender-first", "nfra-12378", "nifa"}),
        ("bank_via_platform", {"lender-first", "nfra-12378", "nifa"}),
        ("microloan", {"lender-first", "local-regulator", "nifa"}),
        # conduct in 2025: the 2012 text of the 治安管理处罚法
        ("private", {"private-collection-2012"}),
        # a lender whose licence cannot be confirmed: also the local financial regulator
        ("other", {"lender-first", "unlicensed-lender", "private-collection-2012"}),
    ],
)
def test_complaint_routing_for_night_calls(lender_type: str, routes: set[str]) -> None:
    night = {"at": "2025-08-03T23:30:00", "channel": "phone"}
    assert _routes(lender_type, night) == {f"complaint.{r}" for r in routes}


def test_no_problem_no_complaint() -> None:
    assert _routes("bank", {"at": "2025-08-03T10:30:00", "channel": "phone"}) == set()


hours = st.integers(0, 23)
channels = st.sampled_from(list(ContactChannel))


@settings(max_examples=200, deadline=timedelta(seconds=2))
@given(hour=hours, minute=st.integers(0, 59), channel=channels)
def test_quiet_hours_property(hour: int, minute: int, channel: ContactChannel) -> None:
    la = analyse_loan("L1", _loan(CollectionContact(_at(hour, minute), channel)), DAY)
    intrusive = channel not in (ContactChannel.LETTER, ContactChannel.EMAIL)
    assert la.collection.contacts[0].quiet_hours == (intrusive and (hour >= 22 or hour < 8))
    assert la.collection.contacts[0].late_evening == (intrusive and hour == 21)


@settings(max_examples=100, deadline=timedelta(seconds=2))
@given(
    contacts=st.lists(
        st.tuples(st.integers(0, 2), hours, channels, st.integers(1, 5)), min_size=1, max_size=20
    )
)
def test_daily_calls_sum_to_the_phone_calls(
    contacts: list[tuple[int, int, ContactChannel, int]],
) -> None:
    records = tuple(
        CollectionContact(_at(h, day=DAY + timedelta(days=d)), ch, calls=n)
        for d, h, ch, n in contacts
    )
    la = analyse_loan("L1", _loan(*records), DAY)
    phone = sum(n for _, _, ch, n in contacts if ch is ContactChannel.PHONE)
    assert sum(d.calls for d in la.collection.days) == phone
    assert sum(d.contacts for d in la.collection.days) == len(contacts)
    assert len({d.day for d in la.collection.days}) == len(la.collection.days)
