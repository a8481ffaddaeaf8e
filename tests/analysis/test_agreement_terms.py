"""The one table of what a complete agreement states (analysis.agreement.TERMS) and its users.

The table drives ``AgreementAnalysis.missing``, the requests of the check (``ASKS``) and the
written confirmation's list; the rules read the ``agreement`` fact fields it names; and
docs/agreement-check.md restates the keys.  Removing each item from a complete agreement must
show in every one of them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_agreement_check import COMPLETE, _drop, _set

from negotiator.analysis import analyse
from negotiator.analysis.agreement import (
    AMOUNT_FIELDS,
    ASKS,
    CONFIRMATION_REQUESTS,
    TERMS,
    AgreementAnalysis,
    Term,
)
from negotiator.analysis.counter import REQUEST_TEXTS
from negotiator.analysis.figures import as_figures
from negotiator.api import check
from negotiator.case.load import load_case
from negotiator.facts import derive_facts
from negotiator.facts.agreement import AGREEMENT

ROOT = Path(__file__).resolve().parents[2]

#: How to remove each item of the table from the complete agreement.
REMOVE: dict[str, Callable[[dict[str, Any]], None]] = {
    "borrower_name": _drop("borrower", "name"),
    "borrower_id": _drop("borrower", "id_number"),
    "lender_name": _drop("lender", "name"),
    "contract_ref": _drop("contract_ref"),
    "amounts": _drop("total"),
    "schedule": _drop("instalments"),
    "waiver_terms": _drop("waived"),
    "breach_clause": _drop("breach_clause"),
    "lender_signature": _set("lender_signed", False),
    "borrower_signature": _set("borrower_signed", False),
    "date": _drop("date"),
    "credit_reporting": _drop("credit_reporting"),
    "allocation_order": _drop("allocation_order"),
    "payment_channel": _set("repayment_account", "unknown"),
}


def _analyse(case: dict[str, Any]) -> AgreementAnalysis:
    x = analyse(load_case(case)).agreement
    assert x is not None
    return x


def _agreement_fact(case: dict[str, Any]) -> dict[str, Any]:
    (fact,) = [f for f in derive_facts(analyse(load_case(case))) if f.kind == "agreement"]
    return {**fact.values, **fact.extras}


def _without(key: str) -> dict[str, Any]:
    case = copy.deepcopy(COMPLETE)
    REMOVE[key](case)
    return case


def test_every_item_of_the_table_is_exercised_here() -> None:
    assert set(REMOVE) == {t.key for t in TERMS}
    assert len({t.key for t in TERMS}) == len(TERMS)


def test_the_complete_agreement_misses_nothing() -> None:
    x = _analyse(COMPLETE)
    assert x.missing == ()
    asked = {r.key for r in x.requests}
    assert not asked & {t.request for t in TERMS}


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.key)
def test_removing_an_item_shows_in_missing_requests_facts_and_findings(term: Term) -> None:
    case = _without(term.key)
    x = _analyse(case)
    assert term.absent(x)
    expected = ("total",) if term.key == "amounts" else (term.key,)
    assert x.missing == expected
    assert as_figures(x)["missing"] == list(expected)
    asked = [r.key for r in x.requests]
    if term.request is not None:
        assert term.request in asked
    # the rules see it through the fact fields the table names
    before, after = _agreement_fact(COMPLETE), _agreement_fact(case)
    declared = set(AGREEMENT.fields) | set(AGREEMENT.extras)
    assert set(term.facts) <= declared
    assert any(before.get(f) != after.get(f) for f in term.facts), term.facts
    # and a finding says so
    assert set(check(case).codes()) - set(check(COMPLETE).codes())


def test_every_item_with_a_request_is_asked_once_in_the_check() -> None:
    in_asks = [a.key for a in ASKS if isinstance(a, Term)]
    assert sorted(in_asks) == sorted(t.key for t in TERMS if t.request is not None)
    requests = [a.request for a in ASKS if a.request is not None]
    assert len(requests) == len(set(requests))
    assert set(requests) <= set(REQUEST_TEXTS)


def test_the_written_confirmation_asks_for_the_table_items_lenders_write() -> None:
    assert set(CONFIRMATION_REQUESTS) <= set(REQUEST_TEXTS)
    assert set(CONFIRMATION_REQUESTS) >= {t.request for t in TERMS if t.confirm}
    assert "written_confirmation" in CONFIRMATION_REQUESTS


def test_the_docs_list_the_table_keys_in_its_order() -> None:
    text = (ROOT / "docs" / "agreement-check.md").read_text(encoding="utf-8")
    (row,) = [line for line in text.splitlines() if line.startswith("| `missing` |")]
    listed = re.findall(r"`([a-z_]+)`", row.split("|")[2])
    keys = [k for t in TERMS for k in (AMOUNT_FIELDS if t.key == "amounts" else (t.key,))]
    assert listed == keys
