"""The one-year Loan Prime Rate (LPR) history, shipped as data in ``negotiator/data/lpr.toml``.

The private-lending cap is four times the one-year LPR *at contract formation* (民间借贷规定
art. 25, VERIFIED-PRIMARY), so the rate must be looked up for a past date, never "today".

Dates before 2019-08-20
    No LPR in the sense of art. 25 ¶2 existed before its first publication on 2019-08-20, so
    :func:`lpr_on` raises :class:`~negotiator.errors.InputError` for earlier dates rather than
    returning a rate that was never published.  Contracts made before 2020-08-20 fall under the
    transitional rule (art. 31), which :mod:`negotiator.calc.caps` handles without needing an
    LPR for the contract date.

Dates after ``last_verified``
    The last known rate is returned with ``after_last_verified=True`` so callers can say
    "latest known rate used; check the current LPR".

>>> lpr_on(date(2021, 12, 20)).rate
Decimal('0.0380')
>>> lpr_on(date(2021, 12, 19)).rate
Decimal('0.0385')
>>> lpr_on(date(2030, 1, 1)).after_last_verified
True
"""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from typing import Any

import attrs

from negotiator.errors import InputError

__all__ = ["LprEntry", "LprLookup", "LprTable", "load_lpr_table", "lpr_on"]

_FILE = "lpr.toml"


@attrs.frozen
class LprEntry:
    """One published change of the one-year LPR."""

    effective_from: date
    rate: Decimal
    source: str


@attrs.frozen
class LprTable:
    """The whole LPR history with its provenance."""

    entries: tuple[LprEntry, ...]
    last_verified: date
    first_published: date
    #: (instrument, article, effective date) of the legal definition of "LPR".
    definition: tuple[str, str, str]


@attrs.frozen
class LprLookup:
    """The LPR in force on ``on``; ``after_last_verified`` flags a date past the data's check."""

    on: date
    rate: Decimal
    entry: LprEntry
    after_last_verified: bool
    last_verified: date


def _where(field: str) -> str:
    return f"negotiator/data/{_FILE}#{field}"


def _as_date(raw: Any, field: str) -> date:
    if not isinstance(raw, date) or hasattr(raw, "hour"):
        raise InputError(_where(field), "must be a TOML date (YYYY-MM-DD without quotes)")
    return raw


def _parse(doc: dict[str, Any]) -> LprTable:
    last_verified = _as_date(doc.get("last_verified"), "last_verified")
    first_published = _as_date(doc.get("first_published"), "first_published")
    definition = doc.get("definition")
    if not isinstance(definition, dict) or not all(
        isinstance(definition.get(k), str) for k in ("instrument", "article", "effective")
    ):
        raise InputError(_where("definition"), "needs instrument, article and effective strings")
    raw_entries = doc.get("entry")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise InputError(_where("entry"), "at least one [[entry]] is required")
    entries: list[LprEntry] = []
    for i, raw in enumerate(raw_entries):
        field = f"entry[{i}]"
        if not isinstance(raw, dict):
            raise InputError(_where(field), "must be a table")
        when = _as_date(raw.get("effective_from"), f"{field}.effective_from")
        text = raw.get("rate")
        if not isinstance(text, str):
            raise InputError(_where(f"{field}.rate"), 'must be a decimal string such as "0.0425"')
        try:
            rate = Decimal(text)
        except InvalidOperation:
            raise InputError(_where(f"{field}.rate"), "is not a decimal number") from None
        if not rate.is_finite() or not Decimal(0) < rate < Decimal(1):
            raise InputError(_where(f"{field}.rate"), "must be a fraction between 0 and 1")
        source = raw.get("source")
        if not isinstance(source, str) or not source.strip():
            raise InputError(_where(f"{field}.source"), "every rate needs its source")
        if entries and when <= entries[-1].effective_from:
            raise InputError(_where(f"{field}.effective_from"), "entries must be in date order")
        entries.append(LprEntry(effective_from=when, rate=rate, source=source))
    if entries[0].effective_from != first_published:
        raise InputError(_where("entry[0]"), "the first entry must be dated first_published")
    if last_verified < entries[-1].effective_from:
        raise InputError(_where("last_verified"), "is earlier than the last entry")
    return LprTable(
        entries=tuple(entries),
        last_verified=last_verified,
        first_published=first_published,
        definition=(definition["instrument"], definition["article"], definition["effective"]),
    )


@cache
def load_lpr_table() -> LprTable:
    """Load and validate ``lpr.toml`` once (cached for the life of the process)."""
    text = (files("negotiator.data") / _FILE).read_text(encoding="utf-8")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(_where(""), f"not valid TOML: {exc}") from None
    return _parse(doc)


def lpr_on(d: date) -> LprLookup:
    """The one-year LPR in force on ``d`` (the latest change dated on or before ``d``).

    Raises :class:`InputError` (path ``date``) for dates before the first publication
    (2019-08-20).
    """
    table = load_lpr_table()
    if d < table.first_published:
        raise InputError(
            "date",
            f"{d.isoformat()} is before the first LPR publication "
            f"({table.first_published.isoformat()}); no LPR applies to that date",
        )
    entry = table.entries[0]
    for candidate in table.entries:
        if candidate.effective_from > d:
            break
        entry = candidate
    return LprLookup(
        on=d,
        rate=entry.rate,
        entry=entry,
        after_last_verified=d > table.last_verified,
        last_verified=table.last_verified,
    )
