"""Findings and reports: what the engine's activations mean, for people and for programs.

A :class:`Finding` is one conclusion of one rule about one fact: its stable ``code`` (see
docs/findings.md), severity, a message in the requested language, the figures behind it
(``data``: amounts in yuan as decimal strings, rates as decimal fractions), the facts that
triggered it with their values, and the citations of the rule.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from .calc.rates import format_percent
from .engine.base import Activation, EngineFacts
from .facts.schema import FactKind, Field, FieldType, Localised
from .money import (
    LARGEST_STATED,
    at_most_rate_places,
    format_amount,
    stated,
    to_fen,
)
from .ruleset.loader import Category, Citation, Rule, RuleSet, Severity

__all__ = [
    "SEVERITY_ORDER",
    "Finding",
    "Report",
    "build_findings",
    "display_value",
    "json_value",
    "reading_order",
]

SEVERITY_ORDER: dict[Severity, int] = {"violation": 0, "warning": 1, "advice": 2, "info": 3}
_CATEGORIES_IN_ORDER: tuple[Category, ...] = (
    "situation",
    "lawsuit",
    "scam",
    "collection",
    "fee",
    "agreement",
    "preparation",
    "strategy",
    "consequence",
    "complaint",
    "aftercare",
    "prevention",
)
#: The order of the report's sections.
CATEGORY_ORDER: dict[Category, int] = {c: i for i, c in enumerate(_CATEGORIES_IN_ORDER)}


@attrs.frozen
class Finding:
    code: str
    rule: str
    category: Category
    severity: Severity
    message: str
    subject: str
    data: Mapping[str, Any]
    facts: Sequence[Mapping[str, Any]]
    citations: Sequence[Citation]
    rank: int = 100
    status: str | None = None
    title: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "subject": self.subject,
            "message": self.message,
            "data": dict(self.data),
            "facts": [dict(f) for f in self.facts],
            "citations": [c.to_json() for c in self.citations],
        }
        if self.status is not None:
            out["status"] = self.status
        if self.title is not None:
            out["title"] = self.title
        if self.category == "strategy":
            out["rank"] = self.rank
        return out


#: The version of the report's JSON shape (docs/report.schema.json).  Adding a key or a finding
#: code keeps the major number; removing or renaming a key, or changing a value's type, raises it.
FORMAT_VERSION = "1.0"

_rate_places = at_most_rate_places
#: Digits before the point of the largest amount written to the fen (below LARGEST_STATED).
_DIGITS = len(str(LARGEST_STATED)) - 1


def _finer_than_fen(value: Decimal) -> bool:
    """``value`` is written with more than two decimal places (its exponent is below −2)."""
    text = str(value)  # cheaper than ``as_tuple()``, which builds a tuple of every digit
    if "E" in text:
        exponent = value.as_tuple().exponent
        return isinstance(exponent, int) and exponent < -2
    point = text.find(".")
    return point >= 0 and len(text) - point - 1 > 2


def json_value(field: Field | None, value: Any) -> Any:
    """A value as it appears in JSON ``data``: money and rates as decimal strings."""
    t = type(value)
    if t is str or t is int or t is bool or value is None:
        return value
    # Exact types first, and plain leaves copied without a call: a report's figures hold
    # tens of thousands of values.
    if t is dict:
        out = {}
        for k, v in value.items():
            tv = type(v)
            key = k if type(k) is str else str(k)
            if tv is str or tv is int or tv is bool or v is None:
                out[key] = v
            elif tv is Decimal:
                # an amount already to the fen and below LARGEST_STATED is its own text
                text = str(v)
                point = text.find(".")
                if point > 0 and len(text) - point == 3 and point - (text[0] == "-") <= _DIGITS:
                    out[key] = text
                else:
                    out[key] = json_value(None, v)
            else:
                out[key] = json_value(None, v)
        return out
    if t is list:
        return [
            v
            if (tv := type(v)) is str or tv is int or tv is bool or v is None
            else json_value(None, v)
            for v in value
        ]
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite() or abs(value) >= LARGEST_STATED:
            return stated(value)  # no real figure: scientific notation, never an error
        if field is None:
            text = str(value)
            point = text.find(".")
            if point >= 0 and "E" not in text:
                places = len(text) - point - 1
                if places == 2:
                    return text  # already to the fen: what to_fen would give
                if places > 2:
                    # an untyped figure finer than the fen is a rate or ratio: RATE_PLACES places
                    return str(_rate_places(value))
            elif _finer_than_fen(value):
                return str(_rate_places(value))
        elif field.type is FieldType.RATE:
            if value == value.to_integral():
                return str(value.normalize())
            return str(_rate_places(value))
        return str(to_fen(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(None, v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(None, v) for k, v in value.items()}
    return str(value)


def display_value(field: Field | None, value: Any, lang: str) -> str:
    """A value as a message shows it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        if lang == "en":
            return "yes" if value else "no"
        return "是" if value else "否"
    if isinstance(value, Decimal):
        if field is not None and field.type is FieldType.RATE:
            return format_percent(value)
        return format_amount(value, lang)
    if isinstance(value, dt.date):
        if lang == "en":
            return value.isoformat()
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, Localised):
        return value.text(lang)
    if isinstance(value, list | tuple):
        sep = ", " if lang == "en" else "、"
        return sep.join(display_value(None, v, lang) for v in value)
    return str(value)


def _lookup(kind: FactKind, name: str) -> Field | None:
    return kind.fields.get(name) or kind.extras.get(name)


_UNSET = object()

#: (name, field or None) pairs: what a finding shows, reports or records of its fact.
_Named = tuple[tuple[str, Field | None], ...]


@attrs.frozen
class _Plan:
    """What building a finding of one rule in one language needs, worked out once."""

    rule: Rule
    template: str
    shown: _Named  # placeholders of the message
    data: _Named  # the rule's ``data`` figures
    tested: _Named  # the fields the rule tests (the finding's ``facts`` values)
    title: str | None


def _plan(rule: Rule, kind: FactKind, lang: str) -> _Plan:
    """The message template, the values it shows, the data and the tested fields (kept with
    the rule, one per language)."""
    key = ("finding-plan", lang)
    plan: _Plan | None = rule.memo.get(key)
    if plan is None:
        template = rule.messages[lang]
        names = dict.fromkeys(n for _l, n, _s, _c in string.Formatter().parse(template) if n)
        plan = _Plan(
            rule=rule,
            template=template,
            shown=tuple((n, _lookup(kind, n)) for n in names),
            data=tuple((n, _lookup(kind, n)) for n in rule.data),
            tested=tuple((n, kind.fields[n]) for n in rule.fields_tested()),
            title=rule.title.get(lang) if rule.title else None,
        )
        rule.memo[key] = plan
    return plan


def build_findings(
    ruleset: RuleSet,
    activations: Iterable[Activation],
    facts: EngineFacts,
    lang: str,
    categories: frozenset[str] | None = None,
) -> list[Finding]:
    """Turn activations into findings; apply ``overrides``; sort for reading.

    With ``categories``, only findings of those categories are built (overrides from every
    activation still apply).  An override naming a rule outside ``ruleset`` (a rule set cut
    down to some categories) has nothing to remove.

    Several findings usually rest on the same fact (the case, a loan, the agreement): each of
    its values is converted for JSON and for display once per evaluation, not once per finding.
    """
    rules = ruleset.index
    msg_lang = "en" if lang == "en" else "zh-Hans"
    fired: list[tuple[Rule, str]] = [(rules[a.rule], a.fact) for a in activations]
    # Explicit exceptions: a rule that fires removes the findings of the rules it overrides —
    # on the same fact when both read the same kind, case-wide otherwise.
    dropped: set[tuple[str, str | None]] = set()
    for rule, fact_id in fired:
        for target in rule.overrides:
            target_rule = rules.get(target)
            if target_rule is not None:
                same_kind = target_rule.about == rule.about
                dropped.add((target, fact_id if same_kind else None))
    # Per fact id: its values as JSON (data figures and tested fields) and as shown in messages.
    cache: dict[str, tuple[Mapping[str, Any], dict[str, Any], dict[str, Any], dict[str, str]]] = {}
    kinds = ruleset.kinds
    findings: list[Finding] = []
    for rule, fact_id in fired:
        if (rule.id, fact_id) in dropped or (rule.id, None) in dropped:
            continue
        if categories is not None and rule.category not in categories:
            continue
        fact = facts.by_id[fact_id]
        plan = _plan(rule, kinds[rule.about], msg_lang)
        entry = cache.get(fact_id)
        if entry is None:
            entry = cache[fact_id] = ({**fact.values, **fact.extras}, {}, {}, {})
        merged, data_json, tested_json, shown_text = entry
        data: dict[str, Any] = {}
        for name, field in plan.data:
            value = data_json.get(name, _UNSET)
            if value is _UNSET:
                value = data_json[name] = json_value(field, merged.get(name))
            data[name] = value
        shown: dict[str, str] = {}
        for name, field in plan.shown:
            text = shown_text.get(name)
            if text is None:
                text = shown_text[name] = display_value(field, merged.get(name), lang)
            shown[name] = text
        values = fact.values
        used: dict[str, Any] = {}
        for name, field in plan.tested:  # the fact's own value, never an extra of that name
            value = tested_json.get(name, _UNSET)
            if value is _UNSET:
                value = tested_json[name] = json_value(field, values.get(name))
            used[name] = value
        findings.append(
            Finding(
                code=rule.code,
                rule=rule.id,
                category=rule.category,
                severity=rule.severity,
                message=plan.template.format_map(shown),
                subject=fact.subject,
                data=data,
                facts=[{"id": fact_id, "kind": fact.kind, "values": used}],
                citations=rule.citations,
                rank=rule.rank,
                status=rule.status,
                title=plan.title,
            )
        )
    findings.sort(key=reading_order)
    return findings


def reading_order(f: Finding) -> tuple[int, int, int, str, str, str]:
    """The order a report lists findings in: by category, severity, rank, subject, code, rule."""
    return (
        CATEGORY_ORDER.get(f.category, 99),
        SEVERITY_ORDER[f.severity],
        f.rank,
        f.subject,
        f.code,
        f.rule,
    )


@attrs.frozen
class Report:
    """The outcome of advising on (or checking) a case."""

    kind: str  # "advice" or "check"
    as_of: dt.date
    lang: str
    findings: tuple[Finding, ...]
    figures: Mapping[str, Any]
    evaluator: str
    rules_version: str

    @property
    def has_violations(self) -> bool:
        return any(f.severity == "violation" for f in self.findings)

    def by_code(self, code: str) -> list[Finding]:
        return [f for f in self.findings if f.code == code]

    def codes(self) -> list[str]:
        return sorted({f.code for f in self.findings})

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = dict.fromkeys(SEVERITY_ORDER, 0)
        for f in self.findings:
            out[f.severity] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "report": self.kind,
            "as_of": self.as_of.isoformat(),
            "lang": self.lang,
            "evaluator": self.evaluator,
            "rules_version": self.rules_version,
            "has_violations": self.has_violations,
            "counts": self.counts(),
            "figures": json_value(None, dict(self.figures)),
            "findings": [f.to_json() for f in self.findings],
        }
