"""Listing and showing rules (the `negotiator rules` command and the API)."""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from .loader import All, Any_, Condition, Rule, Test, load_rules

__all__ = ["condition_text", "list_rules", "rule_json", "show_rule"]


def list_rules() -> list[Rule]:
    """Every packaged rule, in file order."""
    return list(load_rules().rules)


def show_rule(rule_id: str) -> Rule:
    rule = load_rules().by_id().get(rule_id)
    if rule is None:
        raise InputError("rule", f"no rule with id {rule_id!r} (see `negotiator rules`)")
    return rule


def condition_text(cond: Condition) -> str:
    """A condition in the rule-file notation, for people."""
    if isinstance(cond, Test):
        if cond.value is None:
            return f"{cond.field} {cond.op}"
        return f"{cond.field} {cond.op} {cond.value!r}"
    joiner = " and " if isinstance(cond, All) else " or "
    assert isinstance(cond, All | Any_)
    return "(" + joiner.join(condition_text(c) for c in cond.items) + ")"


def rule_json(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "code": rule.code,
        "category": rule.category,
        "severity": rule.severity,
        "about": rule.about,
        "when": condition_text(rule.when),
        "data": list(rule.data),
        "rank": rule.rank,
        "overrides": list(rule.overrides),
        "message": dict(rule.messages),
        "citations": [c.to_json() for c in rule.citations],
        "file": rule.file,
    }
