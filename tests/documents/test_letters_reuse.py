"""Rendering a letter from an existing evaluation, and the letter kinds the command line lists.

``render_letter(kind, case, evaluation=ev)`` must give exactly what ``render_letter(kind, case)``
gives (which evaluates the case itself), for every kind, language and format; an evaluation
of another case or another day is refused.  The kinds live in ``negotiator.documents.kinds`` so
that ``negotiator --help`` need not import the pipeline.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import attrs
import pytest

from negotiator.api import evaluate
from negotiator.case.load import load_case
from negotiator.documents import kinds as letter_kinds
from negotiator.documents.letters import FORMATS, LETTER_KINDS, render_letter
from negotiator.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
LANGS = ("zh-Hans", "en", "zh-Hant")
AS_OF = dt.date(2026, 11, 20)


def _render(kind: str, case: object, **kw: object) -> str | bytes:
    try:
        return render_letter(kind, case, **kw)  # type: ignore[arg-type]
    except InputError as exc:  # a refusal must be the same refusal
        return f"InputError: {exc}"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_a_letter_from_an_evaluation_is_the_same_letter(example: Path) -> None:
    case = load_case(example)
    for lang in LANGS:
        ev = evaluate(case, lang=lang, as_of=AS_OF)
        for kind in LETTER_KINDS:
            for fmt in ("text", "markdown", "html"):
                whole = _render(kind, case, lang=lang, fmt=fmt, as_of=AS_OF)
                reused = _render(kind, case, lang=lang, fmt=fmt, as_of=AS_OF, evaluation=ev)
                assert reused == whole, f"{kind} {lang} {fmt}"


def test_without_as_of_the_letter_is_dated_as_the_evaluation() -> None:
    case = load_case(EXAMPLES[0])
    ev = evaluate(case, as_of=AS_OF)
    assert render_letter("negotiation_request", case, evaluation=ev) == render_letter(
        "negotiation_request", case, as_of=AS_OF
    )


def test_findings_replace_those_of_the_evaluation() -> None:
    case = load_case(EXAMPLES[0])
    ev = evaluate(case, as_of=AS_OF)
    for kind in ("negotiation_request", "action_plan"):
        none = render_letter(kind, case, as_of=AS_OF, evaluation=ev, findings=())
        assert none == render_letter(kind, case, as_of=AS_OF, findings=())
        assert none != render_letter(kind, case, as_of=AS_OF, evaluation=ev)


def test_an_evaluation_of_another_case_or_day_is_refused() -> None:
    case, other = (load_case(p) for p in EXAMPLES[:2])
    ev = evaluate(case, as_of=AS_OF)
    for kind in ("negotiation_request", "action_plan"):
        with pytest.raises(ValueError, match="another case"):
            render_letter(kind, other, evaluation=ev)
        with pytest.raises(ValueError, match="as of"):
            render_letter(kind, case, as_of=AS_OF + dt.timedelta(days=1), evaluation=ev)
    # an equal case (not the same object) is this case
    copy = attrs.evolve(case)
    assert copy is not case
    assert render_letter("negotiation_request", copy, evaluation=ev) == render_letter(
        "negotiation_request", case, as_of=AS_OF
    )


# ---------------------------------------------------------------------------------------------
# The kinds, without the pipeline
# ---------------------------------------------------------------------------------------------


def test_the_letters_module_lists_the_same_kinds_and_formats() -> None:
    assert LETTER_KINDS == letter_kinds.LETTER_KINDS
    assert FORMATS == letter_kinds.FORMATS
    assert len(set(LETTER_KINDS)) == len(LETTER_KINDS)


def test_every_kind_has_its_templates() -> None:
    root = resources.files("negotiator.templates")
    for kind in LETTER_KINDS:
        if kind == "action_plan":
            assert (root / "action_plan" / "plan.txt.j2").is_file()
            continue
        for lang in ("zh-Hans", "en"):
            assert (root / "letters" / f"{kind}.{lang}.j2").is_file(), f"{kind}.{lang}"


def test_the_command_line_offers_every_kind_and_format() -> None:
    from negotiator.cli import _build_parser

    parser = _build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    letter = sub.choices["letter"]  # type: ignore[index]
    by_dest = {a.dest: a for a in letter._actions}
    assert list(by_dest["kind"].choices) == list(LETTER_KINDS)
    assert list(by_dest["format"].choices) == list(FORMATS)


PIPELINE = (
    "negotiator.analysis",
    "negotiator.engine",
    "negotiator.facts",
    "negotiator.findings",
    "negotiator.api",
    "negotiator.documents.letters",
    "jinja2",
)


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["letter", "--help"]])
def test_version_and_help_do_not_import_the_pipeline(args: list[str]) -> None:
    code = (
        "import sys, negotiator.cli as cli\n"
        f"try:\n    cli.main({args!r})\nexcept SystemExit:\n    pass\n"
        f"loaded = sorted(m for m in {PIPELINE!r} if m in sys.modules)\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=dict(os.environ, PYTHONWARNINGS="ignore"),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip(), "the command printed nothing"
    assert "LOADED []" in proc.stderr, proc.stderr
