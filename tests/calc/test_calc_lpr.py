"""The LPR table: known dates, provenance, and behaviour outside the data."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from negotiator.calc.lpr import load_lpr_table, lpr_on
from negotiator.errors import InputError

D = Decimal

# Values copied from the LPR history behind docs/legal-basis.md (one-year LPR, date → rate).
LEGAL_MD_TABLE = [
    (date(2019, 8, 20), D("0.0425")),
    (date(2019, 9, 20), D("0.0420")),
    (date(2019, 11, 20), D("0.0415")),
    (date(2020, 2, 20), D("0.0405")),
    (date(2020, 4, 20), D("0.0385")),
    (date(2021, 12, 20), D("0.0380")),
    (date(2022, 1, 20), D("0.0370")),
    (date(2022, 8, 22), D("0.0365")),
    (date(2023, 6, 20), D("0.0355")),
    (date(2023, 8, 21), D("0.0345")),
    (date(2024, 7, 22), D("0.0335")),
    (date(2024, 10, 21), D("0.0310")),
    (date(2025, 5, 20), D("0.0300")),
]


@pytest.mark.parametrize(
    ("on", "rate"),
    [
        (date(2019, 8, 20), D("0.0425")),
        (date(2019, 9, 19), D("0.0425")),
        (date(2020, 8, 20), D("0.0385")),
        (date(2021, 12, 19), D("0.0385")),
        (date(2021, 12, 20), D("0.0380")),
        (date(2022, 8, 21), D("0.0370")),
        (date(2024, 10, 21), D("0.0310")),
        (date(2025, 5, 19), D("0.0310")),
        (date(2025, 6, 1), D("0.0300")),
        (date(2026, 7, 20), D("0.0300")),
    ],
)
def test_known_dates(on: date, rate: Decimal) -> None:
    lookup = lpr_on(on)
    assert lookup.rate == rate
    assert lookup.on == on
    assert lookup.after_last_verified is False
    assert lookup.entry.effective_from <= on


def test_table_matches_research_notes() -> None:
    table = load_lpr_table()
    assert [(e.effective_from, e.rate) for e in table.entries] == LEGAL_MD_TABLE
    assert all(e.source for e in table.entries)
    assert table.last_verified == date(2026, 7, 20)
    assert table.definition[1] == "第二十五条第二款"


def test_after_last_verified_is_flagged() -> None:
    lookup = lpr_on(date(2026, 7, 21))
    assert lookup.after_last_verified is True
    assert lookup.rate == D("0.0300")
    assert lookup.last_verified == date(2026, 7, 20)


def test_before_first_publication_raises() -> None:
    with pytest.raises(InputError) as info:
        lpr_on(date(2019, 8, 19))
    assert info.value.path == "date"


def test_every_day_gets_the_latest_change() -> None:
    # Walk every day of the table and compare with a direct search of the research values.
    d = date(2019, 8, 20)
    end = date(2026, 8, 1)
    while d <= end:
        expected = [r for when, r in LEGAL_MD_TABLE if when <= d][-1]
        assert lpr_on(d).rate == expected, d
        d += timedelta(days=1)


def test_data_file_rates_are_quoted_strings() -> None:
    # Rates must be exact decimal strings in the TOML, never bare floats.
    import negotiator.data

    text = (Path(negotiator.data.__file__).parent / "lpr.toml").read_text(encoding="utf-8")
    assert re.findall(r"^rate\s*=\s*([^\n]+)$", text, flags=re.M)
    for value in re.findall(r"^rate\s*=\s*([^\n]+)$", text, flags=re.M):
        assert value.startswith('"') and value.endswith('"'), value
