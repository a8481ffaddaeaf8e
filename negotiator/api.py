"""The public operations: load a case, advise on it, check its proposed agreement.

The flow runs one way: input → validated models (:mod:`negotiator.case.load`) → calculators
(:mod:`negotiator.analysis`) → facts (:mod:`negotiator.facts`) → engine
(:mod:`negotiator.engine`) → findings (:mod:`negotiator.findings`) → report and letters.

An evaluation has two passes (docs/engine.md): the first judges the case's facts; when its
findings include a ground for a complaint, a second, small one judges the ``complaint`` facts
built from those findings with the complaint rules alone, so that where to complain follows
from what was found, and from nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Sequence
from functools import cache
from importlib import metadata

import attrs

from .analysis import CaseAnalysis, analyse
from .case.load import load_case
from .case.models import Case, check_date
from .engine import EVALUATORS, Evaluator, default_evaluator, new_evaluator, prepare_facts
from .errors import InputError
from .facts import COMPLAINT_KIND, Grounds, derive_complaints, derive_facts
from .findings import Finding, Report, build_findings, reading_order
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
    "complaint_grounds",
    "complaint_rules",
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


def complaint_rules(rules: RuleSet) -> RuleSet:
    """The part of ``rules`` the second evaluation runs: the rules about ``complaint`` facts
    (which no other rule overrides or is overridden by)."""
    keep = tuple(r for r in rules.rules if r.about == COMPLAINT_KIND)
    return RuleSet(rules=keep, kinds=rules.kinds)


_SETUP_LOCK = threading.Lock()
_SETUPS: dict[tuple[str, EvaluatorName], tuple[RuleSet, Evaluator]] = {}
_CUTS = {"check": check_rules, "complaint": complaint_rules}


def _setup(purpose: str, name: EvaluatorName) -> tuple[RuleSet, Evaluator]:
    """The packaged rules cut down for ``purpose`` (``check`` or ``complaint``), and an
    evaluator of kind ``name`` for them, built once per process."""
    with _SETUP_LOCK:
        setup = _SETUPS.get((purpose, name))
        if setup is None:
            rules = _CUTS[purpose](load_rules())
            setup = _SETUPS[purpose, name] = (rules, new_evaluator(rules, name))
        return setup


def complaint_grounds(rules: RuleSet, findings: Sequence[Finding]) -> list[Grounds]:
    """The findings that are grounds for a complaint, as the rules that made them say."""
    out: list[Grounds] = []
    index, position = rules.index, rules.position
    for f in findings:
        ground = index[f.rule].ground
        if ground is not None:
            words = ground.words
            out.append(
                Grounds(
                    f.rule,
                    f.subject,
                    ground.problem,
                    words["zh-Hans"],
                    words["en"],
                    position[f.rule],
                )
            )
    return out


@attrs.frozen
class _Passes:
    """What an evaluation runs: the first pass's rules and evaluator, and the second pass's
    (``None`` for an agreement check, which reports no complaint channel)."""

    rules: RuleSet
    engine: Evaluator
    second: tuple[RuleSet, Evaluator] | None


@in_private_context
def evaluate(
    case: CaseInput,
    *,
    lang: Lang = "zh-Hans",
    as_of: dt.date | None = None,
    evaluator: Evaluator | EvaluatorName = "durable",
    ruleset: RuleSet | None = None,
) -> Evaluation:
    """Run the whole pipeline and return every finding (all categories).

    With a named evaluator and the packaged rules, the second pass uses a small evaluator of
    the same kind built for the complaint rules alone; an evaluator object given by the caller
    (or a rule set given with a named one) evaluates both passes itself.
    """
    check_lang(lang)
    day = _as_of(as_of)
    engine = _engine(evaluator)
    model = _as_case(case)
    rules = ruleset or load_rules()
    if isinstance(evaluator, str) and ruleset is None:
        second = _setup("complaint", evaluator)
    else:
        second = (complaint_rules(rules), engine)
    return _evaluate(model, lang, day, _Passes(rules, engine, second), None)


def _evaluate(
    model: Case,
    lang: str,
    as_of: dt.date | None,
    passes: _Passes,
    categories: frozenset[str] | None,
) -> Evaluation:
    analysis = analyse(model, as_of=as_of)
    rules = passes.rules
    facts = prepare_facts(derive_facts(analysis, rules.reads), rules)
    activations = passes.engine.evaluate(facts)
    findings = build_findings(rules, activations, facts, lang, categories)
    fired = [(a.rule, a.fact) for a in activations]
    if passes.second is not None:
        second_rules, second_engine = passes.second
        complaints = derive_complaints(analysis, complaint_grounds(rules, findings))
        if complaints and second_rules.rules:
            prepared = prepare_facts(complaints, second_rules)
            more = second_engine.evaluate(prepared)
            findings += build_findings(second_rules, more, prepared, lang, categories)
            findings.sort(key=reading_order)
            fired += [(a.rule, a.fact) for a in more]
    if lang == "zh-Hant":
        findings = [attrs.evolve(f, message=to_traditional(f.message)) for f in findings]
    return Evaluation(
        analysis=analysis,
        findings=tuple(findings),
        fired=tuple(fired),
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
        rules, engine = _setup("check", evaluator)
        name = evaluator
    else:
        rules, engine, name = load_rules(), evaluator, evaluator.name
    ev = _evaluate(model, lang, as_of, _Passes(rules, engine, None), CHECK_CATEGORIES)
    return _report("check", ev, lang, name, ev.findings)
