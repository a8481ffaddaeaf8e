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
its figures should differ from its fields, add a :class:`View` for its class to :data:`VIEWS`:
``omit`` what the figures leave out; ``rename`` a field whose figure key differs; ``forms`` for a
field shown in another form (a function of the field's value); ``derived`` for an entry computed
from the record, as plain data (a property's name, or a function of the record that converts
any record in its value with :func:`as_figures`); ``inline`` for
a sub-record whose figures sit among the record's own, so that a record split into small ones
keeps the figures' shape.  Then regenerate docs/report.schema.json
(``python -m negotiator.devtools.report_schema > docs/report.schema.json``).  A record that has a
hand-written ``to_figures()`` is converted the same way: its dict becomes a view, and the method
goes.
"""

from __future__ import annotations

import datetime as dt
import threading
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import cattrs
from cattrs.fns import identity

from ..calc.ledger import Offer
from ..holidays import covered_years
from . import CaseAnalysis
from .agreement import (
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
from .checklist import ChecklistItem
from .counter import CounterProposal, Request
from .keep import KeepAgreement, keep_agreement
from .plan import (
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

__all__ = ["VIEWS", "FigureParts", "View", "as_figures", "converter", "figures"]


@attrs.frozen
class View:
    """How one record's figures differ from its fields (see the module notes)."""

    omit: tuple[str, ...] = ()
    rename: Mapping[str, str] = attrs.field(factory=dict)
    #: field → the form it is shown in (a function of the field's value)
    forms: Mapping[str, Callable[[Any], Any]] = attrs.field(factory=dict)
    #: key → the entry's value as plain data: the name of a property of the record, or a
    #: function of the record (a record in its value converted with :func:`as_figures`)
    derived: Mapping[str, str | Callable[[Any], Any]] = attrs.field(factory=dict)
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
    """The schedule's rows, each with its one-off part and whether it rests on an estimate."""
    one_offs, start = s.one_offs, s.expected_from
    return [
        {
            "number": r.number,
            "due": r.due,
            "amount": r.amount,
            "one_off": one_offs.get(r.number),
            "estimated": start is not None and r.number >= start,
        }
        for r in s.rows
    ]


def _counter_of(x: AgreementAnalysis) -> CounterProposal | None:
    return x.affordability.counter if x.affordability is not None else None


#: What each record shows beyond (or instead of) its plain fields.
VIEWS: Mapping[type, View] = {
    CounterProposal: View(
        derived={
            "possible": "possible",
            "months": "months",
            "largest": "largest",
            "first": lambda p: p.rows[0].amount if p.rows else None,
            "last": lambda p: p.rows[-1].amount if p.rows else None,
            "first_due": lambda p: p.rows[0].due if p.rows else None,
            "last_due": lambda p: p.rows[-1].due if p.rows else None,
            "calendar_complete": "calendar_complete",
            "calendar_years": _years,
        },
    ),
    Request: View(
        omit=("private",),
        forms={"figures": dict},
        derived={"zh-Hans": "zh", "en": "en"},
    ),
    KeepAgreement: View(
        rename={"loan_id": "loan", "rows": "instalments"},
        derived={
            "rest_days": "rest_days",
            "calendar_complete": "calendar_complete",
            "calendar_years": _years,
        },
    ),
    PlanSchedule: View(
        omit=("rows", "offer", "one_offs", "from_agreement"),
        derived={
            "total": "total",
            "count": "count",
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
        derived={"done": "done"},
    ),
    PlanSituation: View(omit=("long_overdue_days", "unanswered_offers", "any_not_due")),
    Prospects: View(omit=("short_term_months", "hardships")),
    WaitingCost: View(
        omit=("unknown",),
        rename={"extra": "waiting", "terms": "waiting_terms"},
        forms={"extra": _str_keys},
    ),
    PlanAnalysis: View(inline=("situation", "prospects", "capacity", "waiting")),
    MonthLoad: View(omit=("year", "month"), derived={"month": "key"}),
    Affordability: View(
        omit=("counter",),
        derived={
            "basis": lambda _a: "affordable_monthly",
            "shortfall": "shortfall",
            "worst_month": lambda a: as_figures(a.worst),
            "excess_total": "excess_total",
            "savings_used": "savings_used",
            "unaffordable": "unaffordable",
            "exceeds_disposable": "exceeds_disposable",
        },
    ),
    ScheduleCheck: View(
        rename={"instalments_sum": "sum"},
        derived={"count": "count", "difference": "difference"},
    ),
    BalanceCheck: View(omit=("principal",), derived={"plan_shortfall": "plan_shortfall"}),
    RateCheck: View(
        forms={"stated": rate_text, "implied": rate_text},
        derived={
            "tolerance": lambda _r: rate_text(RATE_TOLERANCE),
            "checked": "checked",
            "mismatch": "mismatch",
        },
    ),
    LimitationCheck: View(derived={"years": lambda _l: LIMITATION_YEARS}),
    AgreementAnalysis: View(
        omit=("agreement", "lender_type", "payee"),
        rename={"loan_id": "loan"},
        derived={
            "form": lambda x: x.agreement.form.value,
            "missing": lambda x: list(x.missing),
            "shortfall": lambda x: (
                x.affordability.shortfall
                if x.affordability is not None and x.affordability.unaffordable
                else None
            ),
            "counter_proposal": lambda x: as_figures(_counter_of(x)),
            "allocation_default": lambda _x: ["costs", "interest", "principal"],
        },
    ),
}


#: Values the figures keep as they are (cattrs' generated code inlines them, no call per value).
_PLAIN = (str, int, bool, Decimal, dt.date, type(None))


def _plain_or_none(t: Any) -> bool:
    """``t`` is a union of plain types, such as ``Decimal | None``."""
    if typing.get_origin(t) not in (typing.Union, types.UnionType):
        return False
    return all(arg in _PLAIN for arg in typing.get_args(t))


def _view_hook(conv: cattrs.Converter, cls: type, view: View) -> Callable[[Any], Any]:
    """The unstructure function of ``cls`` under ``view``: one dict display, generated the way
    cattrs generates its own, each field through the converter's hook for its type (values whose
    hook is the identity are taken as they are)."""
    fields = attrs.fields(attrs.resolve_types(cls))
    names = {f.name for f in fields}
    unknown = (set(view.omit) | set(view.rename) | set(view.forms) | set(view.inline)) - names
    unknown |= {g for g in view.derived.values() if isinstance(g, str) and not hasattr(cls, g)}
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {sorted(unknown)} (figures.VIEWS)")
    scope: dict[str, Any] = {}
    items: list[str] = []
    for i, f in enumerate(fields):
        if f.name in view.omit:
            continue
        hook = view.forms.get(f.name) or conv.get_unstructure_hook(f.type)
        value = f"obj.{f.name}" if hook is identity else f"field{i}(obj.{f.name})"
        scope[f"field{i}"] = hook
        if f.name in view.inline:
            items.append(f"**{value}")
        else:
            items.append(f"{view.rename.get(f.name, f.name)!r}: {value}")
    for i, (key, get) in enumerate(view.derived.items()):
        if isinstance(get, str):  # a property of the record
            items.append(f"{key!r}: obj.{get}")
        else:
            scope[f"derived{i}"] = get
            items.append(f"{key!r}: derived{i}(obj)")
    source = "def hook(obj):\n    return {" + ", ".join(items) + "}\n"
    exec(source, scope)  # the source is built from field names, view keys and indices only
    made: Callable[[Any], Any] = scope["hook"]
    return made


def _optional_record(conv: cattrs.Converter, t: Any) -> Callable[[Any], Any]:
    """For ``Record | None``: the record's own hook, bound once, instead of a lookup per value."""
    (record,) = [a for a in typing.get_args(t) if a is not type(None)]
    inner = conv.get_unstructure_hook(record)
    return lambda value: None if value is None else inner(value)


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(unstruct_collection_overrides={Sequence: list, Mapping: dict})
    # money and rates stay Decimal and dates stay dates until the report becomes JSON
    # (findings.json_value gives them their one form there)
    conv.register_unstructure_hook(Decimal, identity)
    conv.register_unstructure_hook(dt.date, identity)
    conv.register_unstructure_hook_factory(_plain_or_none, lambda _t: identity)
    # records with a JSON form of their own
    conv.register_unstructure_hook(Offer, Offer.to_json)
    # built when first needed, so that a view's sub-records get their own views whatever the
    # order of VIEWS
    conv.register_unstructure_hook_factory(
        lambda cls: cls in VIEWS, lambda cls: _view_hook(conv, cls, VIEWS[cls])
    )
    conv.register_unstructure_hook_factory(
        lambda t: _is_optional_record(t), lambda t: _optional_record(conv, t)
    )
    conv.register_unstructure_hook_factory(
        lambda t: _tuple_of(t) is not None, lambda t: _tuple_hook(conv, t)
    )
    return conv


def _tuple_of(t: Any) -> Any:
    """X of ``tuple[X, ...]`` (None for any other type)."""
    if typing.get_origin(t) is not tuple:
        return None
    args = typing.get_args(t)
    return args[0] if len(args) == 2 and args[1] is Ellipsis else None


def _tuple_hook(conv: cattrs.Converter, t: Any) -> Callable[[Any], Any]:
    """``tuple[X, ...]`` as a list: of the values themselves when X is plain, else each one
    converted by X's hook, bound once."""
    item = _tuple_of(t)
    if item in _PLAIN or _plain_or_none(item):
        return list
    inner = conv.get_unstructure_hook(item)
    return lambda values: [inner(v) for v in values]


def _is_optional_record(t: Any) -> bool:
    if typing.get_origin(t) not in (typing.Union, types.UnionType):
        return False
    args = [a for a in typing.get_args(t) if a is not type(None)]
    return len(args) == 1 and len(typing.get_args(t)) == 2 and attrs.has(args[0])


#: The one converter of analysis records into report figures.
converter = _make_converter()


def as_figures(record: Any) -> Any:
    """One analysis record (or a tuple of them) as report figures."""
    return converter.unstructure(record)


def figures(a: CaseAnalysis) -> dict[str, Any]:
    return {name: part(a) for name, part in _PARTS.items()}


class FigureParts(Mapping[str, Any]):
    """The figures of :func:`figures`, each part computed when it is first read.

    A report carries these: an agreement check's text reads only the ``agreement`` part, and a
    caller who reads only the findings pays for none, while ``Report.to_json()`` reads every
    part and gets exactly what :func:`figures` gives.  Each part is computed at most once (the
    analysis is immutable; a lock keeps two threads from computing the same part twice).
    """

    __slots__ = ("_analysis", "_done", "_lock")

    def __init__(self, analysis: CaseAnalysis) -> None:
        self._analysis = analysis
        self._done: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> Any:
        try:
            return self._done[name]
        except KeyError:
            part = _PARTS[name]  # KeyError for a name that is not a part, as a dict raises
        with self._lock:
            if name not in self._done:
                self._done[name] = part(self._analysis)
            return self._done[name]

    def __iter__(self) -> Iterator[str]:
        return iter(_PARTS)

    def __len__(self) -> int:
        return len(_PARTS)

    def __contains__(self, name: object) -> bool:
        return name in _PARTS

    def __repr__(self) -> str:
        return f"FigureParts({dict(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self),))  # a copy or a pickle holds the figures, not the analysis


def _keep(a: CaseAnalysis) -> dict[str, Any] | None:
    keep = keep_agreement(a.case, a.agreement)
    return converter.unstructure(keep) if keep is not None else None


_PARTS: dict[str, Callable[[CaseAnalysis], Any]] = {
    "budget": lambda a: a.budget.to_figures(),
    "plan": lambda a: converter.unstructure(a.plan),
    "loans": lambda a: [la.to_figures() for la in a.loans],
    "agreement": lambda a: converter.unstructure(a.agreement) if a.agreement is not None else None,
    # a signed agreement's payment calendar (None unless both sides signed)
    "keep_agreement": _keep,
}
