"""The JSON Schema of a report (``Report.to_json()``, ``negotiator advise --json``, batch lines).

``python -m negotiator.devtools.report_schema > docs/report.schema.json`` writes it; a test checks
that the committed copy is current and that the JSON of every example and every rule scenario
validates against it.

The envelope and the finding objects are described here by hand (they are the stable
promise, versioned by ``format_version``).  The shape of ``figures`` follows the calculators,
so it is *generated*: every scenario case and example is advised and checked, and the shapes
of their figures are merged (types, the keys every sample has are required, lists merged
item by item).  Objects stay open (``additionalProperties`` is allowed) so that a minor
version may add keys.  The ``data`` of each finding is documented per code in
docs/findings-data.md (generated from the rules).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..findings import FORMAT_VERSION
from ..money import RATE_PLACES

__all__ = ["corpus_reports", "findings_data_markdown", "infer", "report_schema"]

_DECIMAL_STRING = {
    "type": "string",
    "pattern": r"^-?[0-9]+(\.[0-9]+)?$|^-?[0-9]\.[0-9]{2}E\+[0-9]+$",
    "description": (
        "an exact decimal: money to the fen (2 places), rates and ratios to at most "
        f"{RATE_PLACES} places; a figure of 10^18 or more in scientific notation (1.90E+27)"
    ),
}


_DECIMAL = re.compile(str(_DECIMAL_STRING["pattern"]))


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    raise TypeError(f"not JSON data: {type(value).__name__}")


def infer(samples: Iterable[Any]) -> dict[str, Any]:
    """A schema every sample satisfies: merged types, required keys, merged list items."""
    values = list(samples)
    types = sorted({_type_name(v) for v in values})
    schema: dict[str, Any] = {"type": types[0] if len(types) == 1 else types}
    objects = [v for v in values if isinstance(v, dict)]
    if objects:
        keys: dict[str, list[Any]] = {}
        for obj in objects:
            for key, value in obj.items():
                keys.setdefault(key, []).append(value)
        schema["properties"] = {k: infer(v) for k, v in sorted(keys.items())}
        required = sorted(k for k, v in keys.items() if len(v) == len(objects))
        if required:
            schema["required"] = required
    strings = [v for v in values if isinstance(v, str)]
    if strings and all(_DECIMAL.fullmatch(s) for s in strings):
        schema["pattern"] = _DECIMAL_STRING["pattern"]
    arrays = [v for v in values if isinstance(v, list)]
    items = [item for array in arrays for item in array]
    if items:
        schema["items"] = infer(items)
    return schema


def _finding() -> dict[str, Any]:
    text = {"type": "string"}
    return {
        "type": "object",
        "required": [
            "code",
            "rule",
            "category",
            "severity",
            "subject",
            "message",
            "data",
            "facts",
            "citations",
        ],
        "properties": {
            "code": {
                "type": "string",
                "pattern": "^[A-Z][A-Z0-9_]*$",
                "description": "stable finding code (docs/findings.md); data keys per code in "
                "docs/findings-data.md",
            },
            "rule": {"type": "string", "description": "the rule id that produced the finding"},
            "category": text,
            "severity": {"type": "string", "enum": ["violation", "warning", "advice", "info"]},
            "subject": {"type": "string", "description": "the case, a loan id, a fee …"},
            "message": {"type": "string", "description": "the finding in the report's language"},
            "data": {
                "type": "object",
                "description": "the figures the message uses, by name (docs/findings-data.md)",
            },
            "facts": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "kind", "values"],
                    "properties": {
                        "id": text,
                        "kind": text,
                        "values": {"type": "object"},
                    },
                },
            },
            "citations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["label"],
                    "properties": {"label": text},
                },
            },
            "status": text,
            "title": text,
            "rank": {"type": "integer", "description": "strategies only: 1 is the best fit"},
        },
    }


def report_schema(reports: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The schema, with ``figures`` generated from ``reports`` (a corpus of report JSON)."""
    figures = infer([dict(r["figures"]) for r in reports])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://negotiator.invalid/report.schema.json",
        "title": "negotiator report",
        "description": (
            "The JSON form of a report (negotiator advise/check --json, Report.to_json(), one "
            "batch line without its 'line' key). Generated by negotiator.devtools.report_schema."
        ),
        "type": "object",
        "required": [
            "format_version",
            "report",
            "as_of",
            "lang",
            "evaluator",
            "rules_version",
            "has_violations",
            "counts",
            "figures",
            "findings",
        ],
        "properties": {
            "format_version": {
                "const": FORMAT_VERSION,
                "description": "MAJOR.MINOR: a minor version only adds keys or codes",
            },
            "report": {"type": "string", "enum": ["advice", "check"]},
            "as_of": {"type": "string", "format": "date"},
            "lang": {"type": "string", "enum": ["zh-Hans", "zh-Hant", "en"]},
            "evaluator": {"type": "string"},
            "rules_version": {"type": "string"},
            "has_violations": {"type": "boolean"},
            "counts": {
                "type": "object",
                "additionalProperties": {"type": "integer", "minimum": 0},
            },
            "figures": figures,
            "findings": {"type": "array", "items": _finding()},
        },
        "$defs": {"decimal_string": _DECIMAL_STRING},
    }


def corpus_reports(examples: Path | None = None) -> list[dict[str, Any]]:
    """Reports of every packaged scenario case and of every example in ``examples``, advised
    and (where there is an agreement) checked, in English and Chinese."""
    from ..api import advise, check
    from ..case.load import load_case
    from ..errors import InputError
    from .scenarios import load_scenarios

    cases: list[Any] = []
    for scenario in load_scenarios():
        try:
            cases.append(load_case(scenario.case))
        except InputError:
            continue
    if examples is not None:
        cases.extend(load_case(p) for p in sorted(examples.glob("*.toml")))
    out = []
    for case in cases:
        out.append(advise(case, lang="en").to_json())
        if case.agreement is not None:
            out.append(check(case, lang="zh-Hans").to_json())
    return out


_JSON_FORM = {
    "money": "decimal string, yuan to the fen",
    "rate": f"decimal string, fraction per year (at most {RATE_PLACES} places)",
    "int": "integer",
    "bool": "true/false",
    "enum": "string (one of the listed words)",
    "text": "string",
    "date": "string YYYY-MM-DD",
    "list": "array",
}


def findings_data_markdown() -> str:
    """docs/findings-data.md: for every finding code, the keys of its ``data`` and their JSON
    form (generated from the packaged rules and the fact kinds they read)."""
    from ..findings import _lookup
    from ..ruleset.loader import load_rules

    rules = load_rules()
    by_code: dict[str, dict[str, tuple[str, str]]] = {}
    for rule in sorted(rules.rules, key=lambda r: (r.code, r.id)):
        kind = rules.kinds[rule.about]
        keys = by_code.setdefault(rule.code, {})
        for name in rule.data:
            field = _lookup(kind, name)
            if field is None:
                keys.setdefault(name, ("string", ""))
                continue
            form = _JSON_FORM.get(field.type.value, field.type.value)
            if field.values:
                form += ": " + ", ".join(field.values)
            keys.setdefault(name, (form, field.doc))
    lines = [
        "# The `data` of each finding code",
        "",
        "Generated by `python -m negotiator.devtools.report_schema --findings-data`"
        " from the packaged",
        "rules (a test keeps this page current). `data` holds the figures a finding's message",
        "uses, by name; a value is `null` when the case does not give it (unknown, never 0).",
        "Money and rates are",
        f"decimal strings (money to the fen, rates to at most {RATE_PLACES} places); a figure of",
        "10^18 or more is written in scientific notation (`1.90E+27`). Codes not listed carry",
        "an empty `data`.",
        "",
    ]
    for code, keys in sorted(by_code.items()):
        if not keys:
            continue
        lines.append(f"## `{code}`")
        lines.append("")
        lines.append("| key | JSON form | meaning |")
        lines.append("|---|---|---|")
        for name, (form, doc) in keys.items():
            lines.append(f"| `{name}` | {form} | {doc.replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:  # pragma: no cover - exercised through the test of the committed copy
    if sys.argv[1:] == ["--findings-data"]:
        sys.stdout.write(findings_data_markdown())
        return
    root = Path(__file__).resolve().parents[2] / "examples"  # the checkout's, when run from one
    schema = report_schema(corpus_reports(root if root.is_dir() else None))
    sys.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":  # pragma: no cover
    main()
