"""The public operations: load a case, advise on it, check its proposed agreement.

The flow runs one way: input → validated models (:mod:`negotiator.load`) → calculators
(:mod:`negotiator.analysis`) → facts (:mod:`negotiator.facts`) → engine
(:mod:`negotiator.engine`) → findings (:mod:`negotiator.findings`) → report and letters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import attrs

from .analysis import CaseAnalysis, analyse
from .engine import Evaluator, default_evaluator, prepare_facts
from .errors import InputError
from .facts import derive_facts
from .findings import Finding, Report, build_findings
from .i18n import check_lang, to_traditional
from .load import load_case
from .models import Case
from .ruleset import RuleSet, load_rules

__all__ = ["Evaluation", "advise", "check", "evaluate", "rules_version", "version"]

#: Categories an agreement check reports.
CHECK_CATEGORIES = frozenset({"agreement", "scam", "fee"})


@attrs.frozen
class Evaluation:
    """Everything one evaluation produced: the analysis, the findings and the trace."""

    analysis: CaseAnalysis
    findings: tuple[Finding, ...]
    fired: tuple[tuple[str, str], ...]  # (rule id, fact id) — the engine's trace


def version() -> str:
    try:
        return metadata.version("negotiator")
    except metadata.PackageNotFoundError:  # running from a checkout without install
        return "0+unknown"


@cache
def rules_version() -> str:
    """``<package version>+<first 12 hex of the SHA-256 of the rule set>``."""
    from importlib import resources

    digest = hashlib.sha256()
    root = resources.files("negotiator.rules")
    for item in sorted(root.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".toml") and item.is_file():
            digest.update(item.name.encode())
            digest.update(item.read_bytes())
    return f"{version()}+{digest.hexdigest()[:12]}"


def _as_case(case: Case | Mapping[str, Any] | str | bytes | Path) -> Case:
    return case if isinstance(case, Case) else load_case(case)


def evaluate(
    case: Case | Mapping[str, Any] | str | bytes | Path,
    *,
    lang: str = "zh-Hans",
    as_of: dt.date | None = None,
    evaluator: Evaluator | str = "durable",
    ruleset: RuleSet | None = None,
) -> Evaluation:
    """Run the whole pipeline and return every finding (all categories)."""
    check_lang(lang)
    model = _as_case(case)
    rules = ruleset or load_rules()
    engine = default_evaluator(evaluator) if isinstance(evaluator, str) else evaluator
    analysis = analyse(model, as_of=as_of)
    facts = prepare_facts(derive_facts(analysis), rules)
    activations = engine.evaluate(facts)
    findings = build_findings(rules, activations, facts, lang)
    if lang == "zh-Hant":
        findings = [attrs.evolve(f, message=to_traditional(f.message)) for f in findings]
    return Evaluation(
        analysis=analysis,
        findings=tuple(findings),
        fired=tuple((a.rule, a.fact) for a in activations),
    )


def _report(
    kind: str, ev: Evaluation, lang: str, engine: str, findings: tuple[Finding, ...]
) -> Report:
    from .figures import figures

    return Report(
        kind=kind,
        as_of=ev.analysis.as_of,
        lang=lang,
        findings=findings,
        figures=figures(ev.analysis),
        evaluator=engine,
        rules_version=rules_version(),
    )


def advise(
    case: Case | Mapping[str, Any] | str | bytes | Path,
    *,
    lang: str = "zh-Hans",
    as_of: dt.date | None = None,
    evaluator: Evaluator | str = "durable",
) -> Report:
    """Advise on a case: checklist, situation, ranked strategies, legality, consequences."""
    ev = evaluate(case, lang=lang, as_of=as_of, evaluator=evaluator)
    name = evaluator if isinstance(evaluator, str) else evaluator.name
    return _report("advice", ev, lang, name, ev.findings)


def check(
    case: Case | Mapping[str, Any] | str | bytes | Path,
    *,
    lang: str = "zh-Hans",
    as_of: dt.date | None = None,
    evaluator: Evaluator | str = "durable",
) -> Report:
    """Check the case's proposed agreement: completeness, consistency, affordability, red flags."""
    model = _as_case(case)
    if model.agreement is None:
        raise InputError("agreement", "the case has no proposed agreement to check")
    ev = evaluate(model, lang=lang, as_of=as_of, evaluator=evaluator)
    name = evaluator if isinstance(evaluator, str) else evaluator.name
    chosen = tuple(f for f in ev.findings if f.category in CHECK_CATEGORIES)
    return _report("check", ev, lang, name, chosen)
