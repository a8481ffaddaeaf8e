"""The report figures: one cattrs converter over the typed analysis (negotiator.analysis.figures).

Random agreements (the complete agreement of tests/test_agreement_check.py with items removed,
amounts changed and signatures toggled) and random cases of tests/kb_cases.py must give figures
that fit docs/report.schema.json — which requires every key the figures have always had — and
that say the same as the typed analysis they come from.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kb_cases import cases as kb_cases
from test_agreement_check import COMPLETE

from negotiator.analysis import analyse
from negotiator.analysis.agreement import AgreementAnalysis, rate_text
from negotiator.analysis.counter import CounterProposal
from negotiator.analysis.figures import VIEWS, View, as_figures, converter, figures
from negotiator.api import advise, check
from negotiator.case.load import load_case
from negotiator.case.models import Case
from negotiator.findings import json_value

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
MONTH = re.compile(r"^\d{4}-\d{2}$")

_DROPPABLE = (
    "contract_ref",
    "loan_amount",
    "rate",
    "repaid",
    "remaining",
    "principal",
    "interest",
    "total",
    "waived",
    "breach_clause",
    "cure_days",
    "allocation_order",
    "credit_reporting",
    "date",
)


@st.composite
def agreements(draw: st.DrawFn) -> dict[str, Any]:
    case = copy.deepcopy(COMPLETE)
    ag = case["agreement"]
    for key in draw(st.lists(st.sampled_from(_DROPPABLE), unique=True, max_size=5)):
        ag.pop(key, None)
    ag["borrower_signed"] = draw(st.booleans())
    ag["lender_signed"] = draw(st.booleans())
    ag["form"] = draw(st.sampled_from(["paper", "chat", "e_contract", "phone_only"]))
    count = draw(st.integers(min_value=0, max_value=24))
    amount = draw(st.integers(min_value=0, max_value=6000))
    ag["instalments"] = ag["instalments"][:count] + [
        {
            "due": dt.date(2027, 1 + i % 12, 15) + dt.timedelta(days=365 * (i // 12)),
            "amount": str(amount),
        }
        for i in range(max(0, count - 12))
    ]
    if ag["instalments"] and draw(st.booleans()):
        ag["instalments"][0]["amount"] = str(amount)
    case["borrower"]["monthly_income"] = str(draw(st.integers(min_value=0, max_value=20_000)))
    return case


def _fits_schema(report_json: dict[str, Any]) -> None:
    """Every key the schema requires is there and every value has its type.  The schema is
    inferred from the example corpus, so a null the corpus never produced (a signed agreement
    with neither a total nor instalments has no ``keep_agreement.total``) is not held against
    the figures."""
    errors = sorted(
        (e for e in VALIDATOR.iter_errors(report_json) if e.instance is not None),
        key=lambda e: list(e.path),
    )
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def _agrees_with_the_analysis(x: AgreementAnalysis, f: dict[str, Any]) -> None:
    assert f["missing"] == list(x.missing)
    assert f["missing_amounts"] == list(x.missing_amounts)
    assert [r["key"] for r in f["requests"]] == [r.key for r in x.requests]
    assert f["schedule"]["count"] == len(x.agreement.instalments)
    if f["schedule"]["sum"] is not None and f["schedule"]["total"] is not None:
        assert f["schedule"]["difference"] == f["schedule"]["sum"] - f["schedule"]["total"]
    assert f["rate"]["stated"] == rate_text(x.rate.stated)
    assert f["rate"]["mismatch"] is x.rate.mismatch
    assert f["balance"]["plan_shortfall"] == x.balance.plan_shortfall
    assert f["lender"]["kind"] == x.agreement.lender.kind.value
    assert f["form"] == x.agreement.form.value
    aff = f["affordability"]
    if aff is not None:
        assert all(MONTH.match(m["month"]) for m in aff["months"])
        assert aff["unaffordable"] is (x.affordability is not None and x.affordability.unaffordable)
    counter = x.affordability.counter if x.affordability is not None else None
    assert (f["counter_proposal"] is None) is (counter is None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=agreements())
def test_agreement_figures_fit_the_schema_and_agree_with_the_analysis(case: dict[str, Any]) -> None:
    model = load_case(case)
    a = analyse(model)
    f = figures(a)
    assert a.agreement is not None
    _agrees_with_the_analysis(a.agreement, f["agreement"])
    both = a.agreement.agreement.borrower_signed and a.agreement.agreement.lender_signed
    assert (f["keep_agreement"] is not None) is both
    _fits_schema(check(model, lang="en").to_json())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=kb_cases())
def test_plan_figures_fit_the_schema_and_agree_with_the_analysis(case: Case) -> None:
    a = analyse(case)
    plan = figures(a)["plan"]
    assert plan["outlook"] == a.plan.prospects.outlook.value
    assert [o["loan"] for o in plan["offers"]] == [o.loan_id for o in a.plan.offers]
    for o, offer in zip(plan["offers"], a.plan.offers, strict=True):
        assert o["cost_basis"] == offer.cost.basis.value
        assert all(isinstance(k, str) for k in o["projected_extra"])
        assert "charges_known" not in o and "penalty_terms" not in o
    assert all(isinstance(k, str) for k in plan["waiting"])
    assert [c["missing"] for c in plan["checklist"]] == [
        [g.key for g in c.gaps] for c in a.plan.checklist
    ]
    _fits_schema(advise(case, lang="en").to_json())


def _expected_keys(record: Any) -> set[str]:
    """The keys a record's figures have by its view: its fields, less those omitted or shown
    inline, renamed; its derived entries; the keys of its inline sub-records."""
    view = VIEWS.get(type(record), View())
    names = {f.name for f in attrs.fields(type(record))} - set(view.omit) - set(view.inline)
    keys = {view.rename.get(n, n) for n in names} | set(view.derived)
    for name in view.inline:
        keys |= _expected_keys(getattr(record, name))
    return keys


def test_each_view_shows_its_fields_renamed_and_its_derived_entries() -> None:
    a = analyse(load_case(COMPLETE))
    seen: dict[type, Any] = {}

    def walk(obj: Any) -> None:
        if attrs.has(type(obj)) and type(obj) not in seen:
            seen[type(obj)] = obj
            for field in attrs.fields(type(obj)):
                walk(getattr(obj, field.name))
        elif isinstance(obj, tuple | list):
            for item in obj:
                walk(item)

    walk(a.plan)
    walk(a.agreement)
    shown = [cls for cls in VIEWS if cls in seen]
    assert len(shown) >= 8, shown
    for cls in shown:
        out = as_figures(seen[cls])
        assert set(out) == _expected_keys(seen[cls]), cls.__name__


def test_money_and_dates_stay_typed_until_the_json() -> None:
    counter = CounterProposal(Decimal("100"), (), "no_room", 36, Decimal("0"))
    out = converter.unstructure(counter)
    assert out["total"] == Decimal("100") and isinstance(out["total"], Decimal)
    assert out["rows"] == [] and out["possible"] is False
    assert json_value(None, out)["total"] == "100.00"
    first, _ = converter.unstructure((dt.date(2026, 1, 2), 1))
    assert first == dt.date(2026, 1, 2)


def test_a_view_naming_no_field_is_refused() -> None:
    from negotiator.analysis.figures import _view_hook

    with pytest.raises(TypeError, match="no field"):
        _view_hook(converter, CounterProposal, View(omit=("no_such_field",)))
    with pytest.raises(TypeError, match="no field"):
        _view_hook(converter, CounterProposal, View(derived={"x": "no_such_property"}))
