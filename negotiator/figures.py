"""The figures a report carries beside its findings, as plain data for templates and JSON.

One cattrs converter, :data:`converter`, unstructures the typed analysis records into plain
dicts and lists: each record's fields by name, tuples as lists, enums as their values.  Money,
rates and dates stay ``Decimal`` and ``datetime.date`` here, as the templates and the action
plan read them; :func:`negotiator.findings.json_value` gives them their one JSON form (money to
the fen, a figure finer than the fen to the rate places, a date in ISO form) when the report
becomes JSON.

What a record shows beyond its plain fields is declared once, in :data:`VIEWS`: fields left
out, fields shown under another key or in another form, and derived entries computed from the
record (its properties).  docs/report.schema.json is the contract of the result.

**Adding a record.**  A new attrs record reachable from :class:`~negotiator.analysis.CaseAnalysis`
(a field of a record already shown) needs nothing: its fields appear under their names.  When
its figures should differ from its fields, add a :class:`View` for its class to :data:`VIEWS`
— ``omit`` what the figures leave out, ``rename`` a field whose figure key differs, ``forms``
for a field shown in another form (a function of the field's value), ``derived`` for an entry
computed from the record, ``inline`` for a sub-record whose figures sit among the record's own
(the plan's figures stay one flat object while the record is composed of small ones) — then
regenerate docs/report.schema.json
(``python -m negotiator.report_schema > docs/report.schema.json``).  A record that had a
hand-written ``to_figures()`` is converted the same way: its dict becomes a view, and the
method goes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from .analysis import CaseAnalysis
from .analysis.agreement import (
    LIMITATION_YEARS,
    RATE_TOLERANCE,
    Affordability,
    AgreementAnalysis,
    BalanceCheck,
    LimitationCheck,
    MonthLoad,
    RateCheck,
    ScheduleCheck,
    rate_text,
)
from .analysis.checklist import ChecklistItem
from .analysis.keep import KeepAgreement, keep_agreement
from .analysis.plan import (
    BudgetShare,
    LenderOffer,
    OfferCharges,
    OfferCost,
    PlanAnalysis,
    PlanSchedule,
    PlanSituation,
    Prospects,
    WaitingCost,
)
from .calc.ledger import Offer
from .counter import CounterProposal, Request
from .holidays import covered_years

__all__ = ["VIEWS", "View", "as_figures", "converter", "figures"]


@attrs.frozen
class View:
    """How one record's figures differ from its fields (see the module notes)."""

    omit: tuple[str, ...] = ()
    rename: Mapping[str, str] = attrs.field(factory=dict)
    #: field → the form it is shown in (a function of the field's value)
    forms: Mapping[str, Callable[[Any], Any]] = attrs.field(factory=dict)
    #: key → the entry's value, computed from the record
    derived: Mapping[str, Callable[[Any], Any]] = attrs.field(factory=dict)
    #: sub-record fields whose figures are shown among the record's own (not nested)
    inline: tuple[str, ...] = ()


def _month_key(month: tuple[int, int]) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def _str_keys(mapping: Mapping[Any, Any]) -> dict[str, Any]:
    return {str(k): v for k, v in mapping.items()}


def _years(_record: object) -> list[int]:
    """The years the holiday calendar knows; dates outside them were not moved."""
    return list(covered_years())


def _schedule_rows(s: PlanSchedule) -> list[dict[str, Any]]:
    return [
        {
            "number": r.number,
            "due": r.due,
            "amount": r.amount,
            "one_off": s.one_offs.get(r.number),
            "estimated": s.expected_from is not None and r.number >= s.expected_from,
        }
        for r in s.rows
    ]


def _counter_of(x: AgreementAnalysis) -> CounterProposal | None:
    return x.affordability.counter if x.affordability is not None else None


#: What each record shows beyond (or instead of) its plain fields.
VIEWS: Mapping[type, View] = {
    CounterProposal: View(
        derived={
            "possible": lambda p: p.possible,
            "months": lambda p: p.months,
            "largest": lambda p: p.largest,
            "first": lambda p: p.rows[0].amount if p.rows else None,
            "last": lambda p: p.rows[-1].amount if p.rows else None,
            "first_due": lambda p: p.rows[0].due if p.rows else None,
            "last_due": lambda p: p.rows[-1].due if p.rows else None,
            "calendar_complete": lambda p: p.calendar_complete,
            "calendar_years": _years,
        },
    ),
    Request: View(
        omit=("private",),
        forms={"figures": dict},
        derived={"zh-Hans": lambda r: r.text(0), "en": lambda r: r.text(1)},
    ),
    KeepAgreement: View(
        rename={"loan_id": "loan", "rows": "instalments"},
        derived={
            "rest_days": lambda k: k.rest_days,
            "calendar_complete": lambda k: k.calendar_complete,
            "calendar_years": _years,
        },
    ),
    PlanSchedule: View(
        omit=("rows", "offer", "one_offs", "from_agreement"),
        derived={
            "total": lambda s: s.total,
            "count": lambda s: s.count,
            "text": lambda s: s.text(),
            "text_en": lambda s: s.text("en"),
            "provenance": lambda s: "estimated" if s.estimated else "derived",
            "basis": lambda s: "borrower.expected_income" if s.estimated else "budget share",
            "rows": _schedule_rows,
        },
    ),
    OfferCost: View(rename={"rate": "cost_rate", "basis": "cost_basis", "rank": "cost_rank"}),
    OfferCharges: View(omit=("known", "penalty_terms"), forms={"projected_extra": _str_keys}),
    BudgetShare: View(
        rename={"path": "share_path"},
        forms={"path": lambda path: [{"month": _month_key(m), "share": v} for m, v in path]},
    ),
    LenderOffer: View(rename={"loan_id": "loan"}, inline=("cost", "charges", "share")),
    ChecklistItem: View(
        rename={"gaps": "missing"},
        forms={"gaps": lambda gaps: [g.key for g in gaps]},
        derived={"done": lambda c: c.done},
    ),
    PlanSituation: View(omit=("long_overdue_days", "unanswered_offers", "any_not_due")),
    Prospects: View(omit=("short_term_months", "hardships")),
    WaitingCost: View(
        omit=("unknown",),
        rename={"extra": "waiting", "terms": "waiting_terms"},
        forms={"extra": _str_keys},
    ),
    PlanAnalysis: View(inline=("situation", "prospects", "capacity", "waiting")),
    MonthLoad: View(omit=("year", "month"), derived={"month": lambda m: m.key}),
    Affordability: View(
        omit=("counter",),
        derived={
            "basis": lambda _a: "affordable_monthly",
            "shortfall": lambda a: a.shortfall,
            "worst_month": lambda a: a.worst,
            "excess_total": lambda a: a.excess_total,
            "savings_used": lambda a: a.savings_used,
            "unaffordable": lambda a: a.unaffordable,
            "exceeds_disposable": lambda a: a.exceeds_disposable,
        },
    ),
    ScheduleCheck: View(
        rename={"instalments_sum": "sum"},
        derived={"count": lambda s: s.count, "difference": lambda s: s.difference},
    ),
    BalanceCheck: View(omit=("principal",), derived={"plan_shortfall": lambda b: b.plan_shortfall}),
    RateCheck: View(
        forms={"stated": rate_text, "implied": rate_text},
        derived={
            "tolerance": lambda _r: rate_text(RATE_TOLERANCE),
            "checked": lambda r: r.checked,
            "mismatch": lambda r: r.mismatch,
        },
    ),
    LimitationCheck: View(derived={"years": lambda _l: LIMITATION_YEARS}),
    AgreementAnalysis: View(
        omit=("agreement", "lender_type", "payee"),
        rename={"loan_id": "loan"},
        derived={
            "form": lambda x: x.agreement.form.value,
            "missing": lambda x: x.missing,
            "shortfall": lambda x: (
                x.affordability.shortfall
                if x.affordability is not None and x.affordability.unaffordable
                else None
            ),
            "counter_proposal": _counter_of,
            "allocation_default": lambda _x: ["costs", "interest", "principal"],
        },
    ),
}


_PLAIN = (str, int, bool, Decimal, dt.date, type(None))


def _view_hook(conv: cattrs.Converter, cls: type, view: View) -> Callable[[Any], Any]:
    """The unstructure function of ``cls``: cattrs' generated one, plus the derived entries."""
    names = {f.name for f in attrs.fields(cls)}
    unknown = (set(view.omit) | set(view.rename) | set(view.forms) | set(view.inline)) - names
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {sorted(unknown)} (negotiator.figures.VIEWS)")
    overrides: dict[str, Any] = {}
    for name in names:
        if name in view.omit or name in view.inline:
            overrides[name] = override(omit=True)
        elif name in view.rename or name in view.forms:
            overrides[name] = override(
                rename=view.rename.get(name), unstruct_hook=view.forms.get(name)
            )
    base: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(cls, conv, **overrides)
    derived = tuple(view.derived.items())
    inline = view.inline
    if not derived and not inline:
        return base
    unstructure = conv.unstructure

    def hook(obj: Any) -> Any:
        out = base(obj)
        for name in inline:
            out.update(unstructure(getattr(obj, name)))
        for key, get in derived:
            value = get(obj)
            out[key] = value if isinstance(value, _PLAIN) else unstructure(value)
        return out

    return hook


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(unstruct_collection_overrides={Sequence: list, Mapping: dict})
    # money and rates stay Decimal and dates stay dates until the report becomes JSON
    # (findings.json_value gives them their one form there)
    conv.register_unstructure_hook(Decimal, lambda d: d)
    conv.register_unstructure_hook(dt.date, lambda d: d)
    # records with a JSON form of their own
    conv.register_unstructure_hook(Offer, Offer.to_json)
    # built when first needed, so that a view's sub-records get their own views whatever the
    # order of VIEWS
    conv.register_unstructure_hook_factory(
        lambda cls: cls in VIEWS, lambda cls: _view_hook(conv, cls, VIEWS[cls])
    )
    return conv


#: The one converter of analysis records into report figures.
converter = _make_converter()


def as_figures(record: Any) -> Any:
    """One analysis record (or a tuple of them) as report figures."""
    return converter.unstructure(record)


def figures(a: CaseAnalysis) -> dict[str, Any]:
    unstructure = converter.unstructure
    keep = keep_agreement(a.case, a.agreement)
    return {
        "budget": a.budget.to_figures(),
        "plan": unstructure(a.plan),
        "loans": [la.to_figures() for la in a.loans],
        "agreement": unstructure(a.agreement) if a.agreement is not None else None,
        # a signed agreement's payment calendar (None unless both sides signed)
        "keep_agreement": unstructure(keep) if keep is not None else None,
    }
