"""Markdown reference of the fact kinds (``python -m negotiator.facts.doc > docs/facts.md``)."""

from __future__ import annotations

import sys

from . import KINDS

__all__ = ["facts_markdown"]


def facts_markdown() -> str:
    lines = [
        "# Fact kinds",
        "",
        "Generated from `negotiator/facts/*.py` by `python -m negotiator.facts.doc`; do not edit.",
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


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(facts_markdown())
