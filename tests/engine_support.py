"""Shared helpers for the engine tests: random facts shaped by the real fact schema."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from negotiator.facts.schema import Fact, FactKind, FieldType
from negotiator.money import from_fen, ppm_to_rate
from negotiator.ruleset.loader import All, Any_, Condition, RuleSet, Test


def literals_by_field(ruleset: RuleSet) -> dict[tuple[str, str], list[object]]:
    """Every literal each (kind, field) is compared with in the rules — the boundaries."""
    out: dict[tuple[str, str], list[object]] = defaultdict(list)

    def walk(kind: str, cond: Condition) -> None:
        if isinstance(cond, Test):
            if cond.value is not None:
                out[(kind, cond.field)].append(cond.value)
        elif isinstance(cond, All | Any_):
            for c in cond.items:
                walk(kind, c)

    for rule in ruleset.rules:
        walk(rule.about, rule.when)
    return out


def random_value(rnd: random.Random, kind: FactKind, name: str, boundaries: list[object]) -> object:
    field = kind.fields[name]
    t = field.type
    if t is FieldType.BOOL:
        return rnd.random() < 0.5
    if t is FieldType.ENUM:
        return rnd.choice(field.values)
    # numbers: near a rule boundary half of the time
    if boundaries and rnd.random() < 0.5:
        base = int(rnd.choice(boundaries))  # type: ignore[call-overload]
        n = base + rnd.choice((-1, 0, 1, rnd.randint(-1000, 1000)))
    else:
        n = rnd.choice((0, 1, rnd.randint(0, 10_000), rnd.randint(0, 10**9), rnd.randint(-50, 50)))
    if t is FieldType.INT:
        return n
    if t is FieldType.MONEY:
        return from_fen(n)
    return ppm_to_rate(n)


def random_facts(
    rnd: random.Random, ruleset: RuleSet, bounds: dict[tuple[str, str], list[object]]
) -> list[Fact]:
    facts: list[Fact] = []
    for kind in ruleset.kinds.values():
        for i in range(rnd.choice((0, 1, 1, 1, 2, 3))):
            values: dict[str, object] = {}
            for name, field in kind.fields.items():
                if field.required or rnd.random() < 0.7:
                    values[name] = random_value(rnd, kind, name, bounds.get((kind.name, name), []))
            facts.append(Fact(kind=kind.name, id=f"{kind.name}-{i + 1}", values=values))
    return facts


def _unused(x: Decimal) -> Decimal:  # keeps Decimal import used for type readers
    return x
