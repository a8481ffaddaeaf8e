"""The public operations: load a case, advise on it, check its proposed agreement.

The flow runs one way: input → validated models (:mod:`negotiator.case.load`) → calculators
(:mod:`negotiator.analysis`) → facts (:mod:`negotiator.facts`) → engine
(:mod:`negotiator.engine`) → findings (:mod:`negotiator.findings`) → report and letters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from functools import cache
from importlib import metadata

import attrs

from .analysis import CaseAnalysis, analyse
from .case.load import load_case
from .case.models import Case, check_date
from .engine import EVALUATORS, Evaluator, default_evaluator, new_evaluator, prepare_facts
from .errors import InputError
from .facts import derive_facts
from .findings import Finding, Report, build_findings
from .i18n import check_lang, to_traditional
from .money import in_private_context
from .options import CaseInput, EvaluatorName, Lang
from .ruleset.loader import RuleSet, load_rules

__all__ = [
    "CHECK_CATEGORIES",
    "Evaluation",
    "advise",
    "check",
    "check_rules",
    "evaluate",
    "rules_version",
    "version",
]

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


def _as_case(case: CaseInput) -> Case:
    return case if isinstance(case, Case) else load_case(case)


def _as_of(as_of: object) -> dt.date | None:
    """The ``as_of`` argument checked: None or a date in the range a case may use."""
    if as_of is None:
        return None
    if isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date):
        raise InputError("as_of", "expected a datetime.date (or None for today in Beijing)")
    try:
        return check_date(as_of)
    except ValueError as exc:
        raise InputError("as_of", str(exc)) from None


def _engine(evaluator: object) -> Evaluator:
    if isinstance(evaluator, str):
        if evaluator not in EVALUATORS:
            raise InputError("evaluator", "must be 'durable' or 'oracle' (or an Evaluator)")
        return default_evaluator(evaluator)
    if not callable(getattr(evaluator, "evaluate", None)):
        raise InputError("evaluator", "must be 'durable' or 'oracle' (or an Evaluator)")
    return evaluator  # type: ignore[return-value]


def check_rules(rules: RuleSet) -> RuleSet:
    """The part of ``rules`` an agreement check needs: every rule of :data:`CHECK_CATEGORIES`
    and every rule that overrides one of them (whose own findings a check does not show)."""
    wanted = {r.id for r in rules.rules if r.category in CHECK_CATEGORIES}
    keep = tuple(r for r in rules.rules if r.id in wanted or wanted.intersection(r.overrides))
    return RuleSet(rules=keep, kinds=rules.kinds)


_CHECK_LOCK = threading.Lock()
_CHECK_SETUP: dict[EvaluatorName, tuple[RuleSet, Evaluator]] = {}


def _check_setup(name: EvaluatorName) -> tuple[RuleSet, Evaluator]:
    """The packaged rules cut down for checks, and an evaluator of kind ``name`` for them."""
    with _CHECK_LOCK:
        setup = _CHECK_SETUP.get(name)
        if setup is None:
            rules = check_rules(load_rules())
            setup = _CHECK_SETUP[name] = (rules, new_evaluator(rules, name))
        return setup


@in_private_context
def evaluate(
    case: CaseInput,
    *,
    lang: Lang = "zh-Hans",
    as_of: dt.date | None = None,
    evaluator: Evaluator | EvaluatorName = "durable",
    ruleset: RuleSet | None = None,
) -> Evaluation:
    """Run the whole pipeline and return every finding (all categories)."""
    check_lang(lang)
    day = _as_of(as_of)
    engine = _engine(evaluator)
    model = _as_case(case)
    rules = ruleset or load_rules()
    return _evaluate(model, lang, day, engine, rules, None)


def _evaluate(
    model: Case,
    lang: str,
    as_of: dt.date | None,
    engine: Evaluator,
    rules: RuleSet,
    categories: frozenset[str] | None,
) -> Evaluation:
    analysis = analyse(model, as_of=as_of)
    facts = prepare_facts(derive_facts(analysis, rules.reads), rules)
    activations = engine.evaluate(facts)
    findings = build_findings(rules, activations, facts, lang, categories)
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
    from .analysis.figures import FigureParts

    return Report(
        kind=kind,
        as_of=ev.analysis.as_of,
        lang=lang,
        findings=findings,
        figures=FigureParts(ev.analysis),
        evaluator=engine,
        rules_version=rules_version(),
    )


@in_private_context
def advise(
    case: CaseInput,
    *,
    lang: Lang = "zh-Hans",
    as_of: dt.date | None = None,
    evaluator: Evaluator | EvaluatorName = "durable",
) -> Report:
    """Advise on a case: checklist, situation, ranked strategies, legality, consequences."""
    ev = evaluate(case, lang=lang, as_of=as_of, evaluator=evaluator)
    name = evaluator if isinstance(evaluator, str) else evaluator.name
    return _report("advice", ev, lang, name, ev.findings)


@in_private_context
def check(
    case: CaseInput,
    *,
    lang: Lang = "zh-Hans",
    as_of: dt.date | None = None,
    evaluator: Evaluator | EvaluatorName = "durable",
) -> Report:
    """Check the case's proposed agreement: completeness, consistency, affordability, red flags.

    The findings are exactly those of :func:`advise` in :data:`CHECK_CATEGORIES`.  With a named
    evaluator only the rules a check needs are evaluated (:func:`check_rules`), which is
    cheaper; an evaluator object given by the caller evaluates its own rules.
    """
    check_lang(lang)
    as_of = _as_of(as_of)
    _engine(evaluator)
    model = _as_case(case)
    if model.agreement is None:
        raise InputError("agreement", "the case has no proposed agreement to check")
    name: str
    if isinstance(evaluator, str):
        rules, engine = _check_setup(evaluator)
        name = evaluator
    else:
        rules, engine, name = load_rules(), evaluator, evaluator.name
    ev = _evaluate(model, lang, as_of, engine, rules, CHECK_CATEGORIES)
    return _report("check", ev, lang, name, ev.findings)
