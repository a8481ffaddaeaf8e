"""Letters and documents rendered from a case: requests, statements, a draft agreement, forms.

Every letter is a Jinja2 template written once per language (``templates/letters/<kind>.<lang>.j2``,
zh-Hans and en; zh-Hant is converted from zh-Hans with OpenCC) and rendered in any of the
formats through the building blocks of ``templates/base/<format>.j2``:

* ``text`` — plain UTF-8 text; several letters are separated by a form feed;
* ``markdown`` — CommonMark; every value from the case is Markdown-escaped;
* ``html`` — one self-contained, print-ready page (A4, ``templates/base/print.css``); every
  value from the case is HTML-escaped;
* ``docx`` — the HTML laid out as a Word document (needs the ``negotiator[docx]`` extra);
* ``pdf`` — the HTML laid out by WeasyPrint as an A4 PDF with the same style sheet (needs the
  ``negotiator[pdf]`` extra and a font covering Chinese; see :mod:`negotiator.documents.pdf`).

``docx`` and ``pdf`` are bytes; the same path serves every kind in :data:`LETTER_KINDS`, the
action plan included.

A letter concerns one lender: for a case with several loans, one letter is written per loan
(see :func:`negotiator.documents.target_loans`), each starting on a new page, unless
``loan`` names one.  The numbers come from the analysis (:mod:`negotiator.documents`);
the templates only print them.

Safety rules the rendering enforces:

* a value the case does not hold is printed as a visible fill-in blank
  (``【请填写：借款合同编号】`` / ``[fill in: contract number]``), never as ``None`` or nothing;
* the full 身份证号 appears only in the agreement draft, which needs it; every other letter
  prints it masked (``1101**********123X``);
* no document restates payment terms that send money to a personal account or demand a
  deposit first: such a case raises :class:`~negotiator.errors.InputError` (the reply to the
  lender's proposal, ``proposal_reply``, is written and declines those terms instead);
* a complaint states only facts of the case; with nothing to complain about it is refused;
* a request to reconsider answers a refusal the case's history records; without one it is
  refused (``history``).

A user's own template folder (``templates=``) overrides any packaged template of the same
name and is rendered in Jinja2's sandbox.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import attrs
import jinja2
from markupsafe import Markup

from ..case.models import Case
from ..errors import InputError
from ..findings import Finding, Report
from ..i18n import base_lang, check_lang, to_traditional
from ..money import private_context
from ..options import BinaryFormat, CaseInput, Format, Lang, LetterKind, TextFormat
from .kinds import BINARY_FORMATS, FORMATS, LETTER_KINDS
from .render import MissingValueError, letter_environment, user_environment

if TYPE_CHECKING:
    from ..api import Evaluation

__all__ = ["FORMATS", "LETTER_KINDS", "render_action_plan", "render_letter"]

_HTML_LANG = {"zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant", "en": "en"}


def render_action_plan(case: Case, report: Report) -> str:
    """The personal action plan as plain text (what ``negotiator advise`` prints)."""
    from .action_plan import render_action_plan as _render

    return _render(case, report, fmt="text")


def _check(kind: str, lang: str, fmt: str) -> None:
    if kind not in LETTER_KINDS:
        raise InputError("KIND", f"unknown letter kind {kind!r}; one of: {', '.join(LETTER_KINDS)}")
    check_lang(lang)
    if fmt not in FORMATS:
        raise InputError("--format", f"unknown format {fmt!r}; one of: {', '.join(FORMATS)}")


def _environment(fmt: str, templates: Path | None) -> jinja2.Environment:
    if templates is None:
        return letter_environment(fmt)
    if not templates.is_dir():
        raise InputError("--templates", f"no such folder: {templates}")
    return user_environment(templates, fmt)


def _tidy(text: str) -> str:
    """Plain text and Markdown: no trailing spaces, at most one blank line in a row."""
    lines = [line.rstrip(" \t") for line in text.split("\n")]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return out + "\n"


def _render(env: jinja2.Environment, name: str, context: dict[str, Any], user: bool) -> str:
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateNotFound as exc:
        if user:
            raise InputError("--templates", f"template {exc.name} not found") from None
        raise
    except InputError:
        raise
    except Exception as exc:
        if not user:
            raise  # a packaged template failing is a bug, not bad input
        where = getattr(exc, "filename", None) or name
        line = getattr(exc, "lineno", None)
        at = f"{where}, line {line}" if line else where
        if isinstance(exc, MissingValueError | jinja2.TemplateSyntaxError):
            # These name a variable or quote the template, never the case's data.
            what = "missing value" if isinstance(exc, MissingValueError) else type(exc).__name__
            detail = getattr(exc, "message", None) or str(exc)
            raise InputError("--templates", f"{at}: {what}: {detail}") from None
        # Any other error's message may quote a value (an ID number): give its type only.
        raise InputError("--templates", f"{at}: {type(exc).__name__}") from None


@overload
def render_letter(
    kind: LetterKind,
    case: CaseInput,
    *,
    lang: Lang = ...,
    fmt: TextFormat = ...,
    as_of: dt.date | None = ...,
    templates: Path | None = ...,
    loan: str | None = ...,
    findings: Sequence[Finding] | None = ...,
    evaluation: Evaluation | None = ...,
) -> str: ...


@overload
def render_letter(
    kind: LetterKind,
    case: CaseInput,
    *,
    lang: Lang = ...,
    fmt: BinaryFormat,
    as_of: dt.date | None = ...,
    templates: Path | None = ...,
    loan: str | None = ...,
    findings: Sequence[Finding] | None = ...,
    evaluation: Evaluation | None = ...,
) -> bytes: ...


@overload
def render_letter(
    kind: LetterKind,
    case: CaseInput,
    *,
    lang: Lang = ...,
    fmt: Format,
    as_of: dt.date | None = ...,
    templates: Path | None = ...,
    loan: str | None = ...,
    findings: Sequence[Finding] | None = ...,
    evaluation: Evaluation | None = ...,
) -> str | bytes: ...


def render_letter(
    kind: LetterKind,
    case: CaseInput,
    *,
    lang: Lang = "zh-Hans",
    fmt: Format = "text",
    as_of: dt.date | None = None,
    templates: Path | str | None = None,
    loan: str | None = None,
    findings: Sequence[Finding] | None = None,
    evaluation: Evaluation | None = None,
) -> str | bytes:
    """Render the document ``kind`` (one of :data:`LETTER_KINDS`) for ``case``.

    ``case`` is anything :func:`negotiator.advise` accepts (a :class:`Case`, a mapping, TOML
    or JSON text or bytes, a :class:`~pathlib.Path`).  ``templates`` is a folder (a path or a
    string naming one) whose templates replace the packaged ones.

    Returns text for ``text``, ``markdown`` and ``html``, bytes for ``docx`` and ``pdf``.
    ``loan`` picks one loan (by id) for the per-lender letters.

    The letter needs the case evaluated (its analysis and findings).  Without ``evaluation``
    the case is evaluated here; a caller who already has ``evaluate(case, lang=lang,
    as_of=as_of)`` passes it as ``evaluation`` and the letter is rendered from it without
    evaluating again — the output is the same.  The evaluation must be of this case (a
    :class:`ValueError` otherwise) and, when ``as_of`` is given, as of that day; without
    ``as_of`` the letter is dated as the evaluation.  ``findings`` replaces the findings the
    letter relies on (those of ``evaluation`` or of the evaluation made here).

    Raises :class:`InputError` for an unknown kind, language or format, an unsafe payment
    instruction, a complaint without facts, a request to reconsider without a recorded refusal,
    or a problem in a user's template.
    """
    with private_context():
        return _render_letter(
            kind,
            case,
            lang=lang,
            fmt=fmt,
            as_of=as_of,
            templates=templates,
            loan=loan,
            findings=findings,
            evaluation=evaluation,
        )


def _render_letter(
    kind: str,
    case_input: CaseInput,
    *,
    lang: str,
    fmt: str,
    as_of: dt.date | None,
    templates: Path | str | None,
    loan: str | None,
    findings: Sequence[Finding] | None,
    evaluation: Evaluation | None,
) -> str | bytes:
    from ..api import _as_case, _as_of

    _check(kind, lang, fmt)
    as_of = _as_of(as_of)
    if templates is not None and not isinstance(templates, Path):
        if not isinstance(templates, str):
            raise InputError("templates", "expected a folder (a pathlib.Path or a str)")
        templates = Path(templates)
    case = _as_case(case_input)
    if evaluation is not None:
        _check_evaluation(evaluation, case, as_of)
    if kind == "action_plan":
        return _action_plan(
            case, lang=lang, fmt=fmt, as_of=as_of, evaluation=evaluation, findings=findings
        )

    from .context import LetterContexts
    from .selection import LOAN_KINDS, target_loans

    if evaluation is None:
        from ..api import evaluate

        evaluation = evaluate(case, lang=check_lang(base_lang(lang)), as_of=as_of)
    analysis = evaluation.analysis
    found = tuple(findings) if findings is not None else evaluation.findings
    base_fmt = "html" if fmt in BINARY_FORMATS else fmt
    env = _environment(base_fmt, templates)
    user = templates is not None
    tongue = base_lang(lang)
    name = f"letters/{kind}.{tongue}.j2"
    ids: list[str | None] = (
        [None] if kind not in LOAN_KINDS else list(target_loans(kind, case, analysis, found, loan))
    )
    contexts = LetterContexts(kind, case, analysis, found, lang=tongue, fmt=base_fmt, as_of=as_of)
    bodies = []
    for loan_id in ids:
        body = _render(env, name, _masked(kind, contexts.context(loan_id)), user)
        bodies.append(Markup(body) if base_fmt != "text" else body)
    doc = _render(
        env,
        f"base/document.{base_fmt}.j2",
        {
            "bodies": bodies,
            "kind": kind,
            "lang": tongue,
            "fmt": base_fmt,
            "html_lang": _HTML_LANG[lang],
        },
        user,
    )
    if base_fmt != "html":
        doc = _tidy(doc)
    if lang == "zh-Hant":
        doc = to_traditional(doc)
    return _binary(doc, fmt, lang)


def _binary(html: str, fmt: str, lang: str) -> str | bytes:
    """The print-ready HTML as the document ``fmt`` asks for (DOCX, PDF), or as it is."""
    if fmt == "docx":
        from .docx import html_to_docx

        return html_to_docx(html)
    if fmt == "pdf":
        from .pdf import html_to_pdf

        return html_to_pdf(html, lang)
    return html


def _masked(kind: str, context: dict[str, Any]) -> dict[str, Any]:
    """Only the agreement draft, which a party signs, may print the full identity number: every
    other letter's context carries the masked one in its place (a user's template included)."""
    sender = context.get("sender")
    if kind == "agreement_draft" or sender is None or not hasattr(sender, "id_full"):
        return context
    return {**context, "sender": attrs.evolve(sender, id_full=sender.id_masked)}


def _check_evaluation(evaluation: Evaluation, case: Case, as_of: dt.date | None) -> None:
    """A letter from another case's evaluation would quote that case: refuse it."""
    analysed = evaluation.analysis
    if analysed.case is not case and analysed.case != case:
        raise ValueError("the evaluation passed to render_letter is of another case")
    if as_of is not None and analysed.as_of != as_of:
        raise ValueError(
            f"the evaluation passed to render_letter is as of {analysed.as_of}, not {as_of}"
        )


def _action_plan(
    case: Case,
    *,
    lang: str,
    fmt: str,
    as_of: dt.date | None,
    evaluation: Evaluation | None,
    findings: Sequence[Finding] | None,
) -> str | bytes:
    from .action_plan import render_action_plan as _render_plan

    if evaluation is None:
        from ..api import advise

        report = advise(case, lang=check_lang(lang), as_of=as_of)
    else:
        report = _advice(evaluation, lang)
    if findings is not None:
        report = attrs.evolve(report, findings=tuple(findings))
    if fmt in BINARY_FORMATS:
        return _binary(_render_plan(case, report, fmt="html"), fmt, lang)
    return _render_plan(case, report, fmt=fmt)


def _advice(evaluation: Evaluation, lang: str) -> Report:
    """The advice report of an existing evaluation, as ``advise`` would build it for the plan."""
    from ..analysis.figures import figures
    from ..api import rules_version

    return Report(
        kind="advice",
        as_of=evaluation.analysis.as_of,
        lang=lang,
        findings=evaluation.findings,
        figures=figures(evaluation.analysis),
        evaluator="",  # not known from an evaluation; the plan does not print it
        rules_version=rules_version(),
    )
