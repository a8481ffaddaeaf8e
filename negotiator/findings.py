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

from .engine.base import Activation, EngineFacts
from .facts.schema import FactKind, Field, FieldType
from .money import format_yuan, to_fen
from .ruleset import Citation, Rule, RuleSet

__all__ = ["SEVERITY_ORDER", "Finding", "Report", "build_findings", "display_value", "json_value"]

SEVERITY_ORDER = {"violation": 0, "warning": 1, "advice": 2, "info": 3}
CATEGORY_ORDER = {
    c: i
    for i, c in enumerate(
        (
            "situation",
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
    )
}


@attrs.frozen
class Finding:
    code: str
    rule: str
    category: str
    severity: str
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
            "citations": [citation_json(c) for c in self.citations],
        }
        if self.status is not None:
            out["status"] = self.status
        if self.title is not None:
            out["title"] = self.title
        if self.category == "strategy":
            out["rank"] = self.rank
        return out


def citation_json(c: Citation) -> dict[str, str]:
    raw = attrs.asdict(c)
    return {k: v for k, v in raw.items() if v is not None} | {"label": c.label()}


def json_value(field: Field | None, value: Any) -> Any:
    """A value as it appears in JSON ``data``: money and rates as decimal strings."""
    if value is None:
        return None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        if field is not None and field.type is FieldType.RATE:
            return str(value.normalize()) if value == value.to_integral() else str(value)
        exponent = value.as_tuple().exponent
        if field is None and isinstance(exponent, int) and exponent < -2:
            return str(value)  # an untyped figure finer than the fen is a rate: keep it exact
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
            return f"{(value * 100).quantize(Decimal('0.01'))}%"
        return f"{format_yuan(value)} 元" if lang != "en" else f"CNY {format_yuan(value)}"
    if isinstance(value, dt.date):
        if lang == "en":
            return value.isoformat()
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, list | tuple):
        sep = ", " if lang == "en" else "、"
        return sep.join(display_value(None, v, lang) for v in value)
    return str(value)


def _lookup(kind: FactKind, name: str) -> Field | None:
    return kind.fields.get(name) or kind.extras.get(name)


_RULE_MAPS: dict[int, tuple[RuleSet, dict[str, Rule]]] = {}
_COMPILED: dict[tuple[int, str], tuple[Rule, str, tuple[str, ...], tuple[str, ...]]] = {}


def _rules_by_id(ruleset: RuleSet) -> dict[str, Rule]:
    """``ruleset.by_id()``, built once per rule set (rule sets are immutable)."""
    entry = _RULE_MAPS.get(id(ruleset))
    if entry is None or entry[0] is not ruleset:
        entry = (ruleset, ruleset.by_id())
        _RULE_MAPS[id(ruleset)] = entry
    return entry[1]


def _compiled(rule: Rule, lang: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The message template, the placeholders it shows and the fields the rule tests (cached)."""
    key = (id(rule), lang)
    entry = _COMPILED.get(key)
    if entry is None or entry[0] is not rule:
        template = rule.messages[lang]
        names = tuple(dict.fromkeys(n for _l, n, _s, _c in string.Formatter().parse(template) if n))
        entry = (rule, template, names, tuple(rule.fields_tested()))
        _COMPILED[key] = entry
    return entry[1], entry[2], entry[3]


def build_findings(
    ruleset: RuleSet, activations: Iterable[Activation], facts: EngineFacts, lang: str
) -> list[Finding]:
    """Turn activations into findings; apply ``overrides``; sort for reading."""
    rules = _rules_by_id(ruleset)
    msg_lang = "en" if lang == "en" else "zh-Hans"
    fired: list[tuple[Rule, str]] = [(rules[a.rule], a.fact) for a in activations]
    # Explicit exceptions: a rule that fires removes the findings of the rules it overrides —
    # on the same fact when both read the same kind, case-wide otherwise.
    dropped: set[tuple[str, str | None]] = set()
    for rule, fact_id in fired:
        for target in rule.overrides:
            same_kind = rules[target].about == rule.about
            dropped.add((target, fact_id if same_kind else None))
    findings: list[Finding] = []
    for rule, fact_id in fired:
        if (rule.id, fact_id) in dropped or (rule.id, None) in dropped:
            continue
        fact = facts.by_id[fact_id]
        kind = ruleset.kinds[rule.about]
        merged = {**fact.values, **fact.extras}
        data = {name: json_value(_lookup(kind, name), merged.get(name)) for name in rule.data}
        template, shown_names, tested = _compiled(rule, msg_lang)
        shown = {
            name: display_value(_lookup(kind, name), merged.get(name), lang) for name in shown_names
        }
        message = template.format_map(shown)
        used = {name: json_value(kind.fields[name], fact.values.get(name)) for name in tested}
        findings.append(
            Finding(
                code=rule.code,
                rule=rule.id,
                category=rule.category,
                severity=rule.severity,
                message=message,
                subject=fact.subject,
                data=data,
                facts=[{"id": fact_id, "kind": fact.kind, "values": used}],
                citations=rule.citations,
                rank=rule.rank,
                status=rule.status,
                title=rule.title.get(msg_lang) if rule.title else None,
            )
        )
    findings.sort(
        key=lambda f: (
            CATEGORY_ORDER.get(f.category, 99),
            SEVERITY_ORDER[f.severity],
            f.rank,
            f.subject,
            f.code,
            f.rule,
        )
    )
    return findings


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
        out = dict.fromkeys(SEVERITY_ORDER, 0)
        for f in self.findings:
            out[f.severity] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
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
