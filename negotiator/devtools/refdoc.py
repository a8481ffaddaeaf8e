"""Generated reference pages: the fact kinds, the finding codes and the legal basis.

``python -m negotiator.devtools.refdoc facts > docs/facts.md``,
``python -m negotiator.devtools.refdoc findings > docs/findings.md`` and
``python -m negotiator.devtools.refdoc legal-basis > docs/legal-basis.md``; tests fail when the
committed pages differ from what the code and the rule files say.
"""

from __future__ import annotations

import sys
from collections import defaultdict

from ..basis.citations import load_register, render_legal_basis
from ..basis.params import load_parameters
from ..facts import KINDS
from ..ruleset.loader import load_rules

__all__ = ["facts_markdown", "findings_markdown", "legal_basis_markdown"]


def legal_basis_markdown() -> str:
    """docs/legal-basis.md: the citation register and the rules citing each instrument."""
    cited: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for rule in load_rules().rules:
        for c in rule.citations:
            if c.key is not None:
                cited[c.key].append((rule.id, c.article or ""))
    for entry in load_parameters().entries.values():
        if entry.law is not None:
            cited[entry.law].append((f"parameters.toml#{entry.name}", entry.article or ""))
    return render_legal_basis(load_register(), cited)


def facts_markdown() -> str:
    lines = [
        "# Fact kinds",
        "",
        "Generated from `negotiator/facts/*.py` by `python -m negotiator.devtools.refdoc facts`;",
        "do not edit.",
        "Fields are what rules may test (money in yuan, rates as fractions per year); extras are",
        "display values that messages may show but rules never test.",
        "",
    ]
    for kind in KINDS.values():
        lines += [f"## `{kind.name}`", "", kind.doc, "", "| field | type | required | meaning |"]
        lines.append("|---|---|---|---|")
        for name, field in kind.fields.items():
            typ = field.type.value
            if field.values:
                typ += ": " + " · ".join(field.values)
            lines.append(f"| `{name}` | {typ} | {'yes' if field.required else ''} | {field.doc} |")
        if kind.extras:
            lines += ["", "| extra | type | meaning |", "|---|---|---|"]
            for name, field in kind.extras.items():
                lines.append(f"| `{name}` | {field.type.value} | {field.doc} |")
        lines.append("")
    return "\n".join(lines)


def findings_markdown() -> str:
    rules = load_rules().rules
    by_code: dict[str, list[str]] = defaultdict(list)
    severities: dict[str, set[str]] = defaultdict(set)
    sources: dict[str, list[str]] = defaultdict(list)
    category: dict[str, str] = {}
    for rule in rules:
        by_code[rule.code].append(rule.id)
        severities[rule.code].add(rule.severity)
        category.setdefault(rule.code, rule.category)
        for c in rule.citations:
            label = c.label()
            if label not in sources[rule.code]:
                sources[rule.code].append(label)
    lines = [
        "# Finding codes",
        "",
        "Generated from the rule files by `python -m negotiator.devtools.refdoc findings`;"
        " do not edit.",
        "Codes are stable: they are never renamed or dropped. Each finding carries its severity,",
        "a message, the figures (`data`), the facts used and the citations.",
        "",
    ]
    order = sorted(by_code, key=lambda code: (category[code], code))
    current = None
    for code in order:
        if category[code] != current:
            current = category[code]
            lines += [f"## {current}", "", "| code | severity | rules | sources |"]
            lines.append("|---|---|---|---|")
        sev = " · ".join(sorted(severities[code]))
        ids = "<br>".join(f"`{r}`" for r in by_code[code])
        src = "<br>".join(sources[code])
        lines.append(f"| `{code}` | {sev} | {ids} | {src} |")
        nxt = order.index(code) + 1
        if nxt == len(order) or category[order[nxt]] != current:
            lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    which = sys.argv[1] if len(sys.argv) > 1 else ""
    if which == "facts":
        sys.stdout.write(facts_markdown())
    elif which == "findings":
        sys.stdout.write(findings_markdown())
    elif which == "legal-basis":
        sys.stdout.write(legal_basis_markdown())
    else:
        sys.exit("usage: python -m negotiator.devtools.refdoc facts|findings|legal-basis")
