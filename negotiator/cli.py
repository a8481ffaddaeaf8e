"""The ``negotiator`` command.

Exit codes: 0 — no violation found; 1 — violations found; 2 — bad input or usage (one line on
standard error naming the problem, never a traceback); 70 — an internal error (a bug: please
report it; set ``NEGOTIATOR_DEBUG=1`` to see the traceback instead, which may show the case's
data).  ``negotiator batch`` also exits 3 when its output is complete but some lines are
error records (bad input on those lines).  ``negotiator rules --test [DIR]`` exits 1 when a
scenario fails and 2 when a rule file does not load.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from .documents.kinds import FORMATS, LETTER_KINDS
from .errors import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_VIOLATIONS,
    InputError,
    NegotiatorError,
)

if TYPE_CHECKING:
    import datetime as dt

# Start-up: building the parser imports nothing of the pipeline (the letter kinds come from a
# module without imports), and json, datetime and pathlib are imported by the commands that
# use them, so `negotiator --version` and `--help` cost little more than the interpreter.

__all__ = ["main"]



class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, like every other error (the usage is one --help away).
        raise InputError("usage", f"{message} (see {self.prog} --help)")


def _read_case(source: str) -> Any:
    from pathlib import Path

    from .case.load import load_case

    if source == "-":
        from .case.load import read_limited

        return load_case(read_limited(sys.stdin.buffer, "standard input"))
    path = Path(source)
    if not path.is_file():
        raise InputError("CASE", f"no such file: {source}")
    return load_case(path)


def _as_of(text: str | None) -> dt.date | None:
    if text is None:
        return None
    import datetime

    from .case.models import check_date

    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise InputError("--as-of", "expected a date written YYYY-MM-DD") from None
    try:
        return check_date(day)
    except ValueError as exc:
        raise InputError("--as-of", str(exc)) from None


def _emit(text: str, output: str | None) -> None:
    if output:
        from pathlib import Path

        from .fsutil import atomic_write

        atomic_write(Path(output), text.encode("utf-8"))
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _build_parser() -> argparse.ArgumentParser:
    from . import __version__

    common = _Parser(add_help=False)
    common.add_argument(
        "--lang", default="zh-Hans", choices=["zh-Hans", "zh-Hant", "en"], help="output language"
    )
    parser = _Parser(
        prog="negotiator",
        description=(
            "Help a borrower in mainland China negotiate overdue online-loan repayment: "
            "checklist, strategy, agreement check, letters. Information, not legal advice."
        ),
        epilog="CASE is a TOML or JSON file, or - for standard input.",
    )
    parser.add_argument("--version", action="version", version=f"negotiator {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("advise", parents=[common], help="action plan and findings for a case")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--as-of", help="evaluate as of this date (YYYY-MM-DD)")
    p.add_argument("--evaluator", choices=["durable", "oracle"], default="durable")
    p.add_argument("-o", "--output", help="write to this file (atomically) instead of stdout")

    p = sub.add_parser("check", parents=[common], help="check the case's proposed agreement")
    p.add_argument("case", metavar="CASE")
    p.add_argument(
        "--from-text",
        metavar="FILE",
        help="fill the agreement from a text, DOCX or PDF (see `negotiator extract`)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--as-of", help="evaluate as of this date (YYYY-MM-DD)")
    p.add_argument("--evaluator", choices=["durable", "oracle"], default="durable")
    p.add_argument("-o", "--output", help="write to this file (atomically) instead of stdout")

    kinds = list(LETTER_KINDS)  # from a module without imports: --help stays fast
    p = sub.add_parser(
        "letter",
        parents=[common],
        help="render a letter or document",
        description="Render a letter for a case. KIND is one of: " + ", ".join(kinds),
    )
    p.add_argument("kind", metavar="KIND", choices=kinds, help=", ".join(kinds))
    p.add_argument("case", metavar="CASE")
    p.add_argument("--format", default="text", choices=list(FORMATS))
    p.add_argument("--as-of", help="date the letter as of this day (YYYY-MM-DD)")
    p.add_argument("--templates", help="a folder of your own templates (rendered sandboxed)")
    p.add_argument("--loan", metavar="ID", help="only this loan (default: every loan still owed)")
    p.add_argument("-o", "--output", help="write to this file (atomically) instead of stdout")

    p = sub.add_parser("rules", help="list the rules, or show one, or test a rules folder")
    p.add_argument("rule", nargs="?", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--test",
        nargs="?",
        const="",
        metavar="DIR",
        help="load the rules in DIR (default: the installed rules) and run their scenarios",
    )

    sub.add_parser("schema", help="print the JSON Schema of the case format")

    p = sub.add_parser(
        "interview", parents=[common], help="build a case by answering questions, then advise"
    )
    p.add_argument("-o", "--output", default="case.toml", help="the case file to write")

    p = sub.add_parser("serve", parents=[common], help="the interview as a local web app")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: local)")
    p.add_argument("--port", type=int, default=8000)

    p = sub.add_parser(
        "extract",
        help="read an agreement, bill or message (text, DOCX, PDF) into case TOML",
        description="FILE is plain text (any common Chinese encoding), DOCX or PDF, or - for "
        "standard input.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print JSON instead of TOML")
    p.add_argument("-o", "--output", help="write to this file (atomically) instead of stdout")

    p = sub.add_parser("batch", help="evaluate a JSON-lines file of cases on all cores")
    p.add_argument("input", metavar="INPUT.jsonl")
    p.add_argument("-o", "--output", required=True, metavar="OUTPUT.jsonl")
    p.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    p.add_argument("--mode", choices=["advise", "check"], default="advise")
    p.add_argument("--lang", default="zh-Hans", choices=["zh-Hans", "zh-Hant", "en"])
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def _cmd_report(args: argparse.Namespace) -> int:
    import json

    from .api import advise, check

    note: tuple[str, dict[str, Any]] | None = None
    if getattr(args, "from_text", None):
        from .extract.output import case_from_text, from_text_json, from_text_note

        case, extraction, taken = case_from_text(args.case, args.from_text)
        note = (from_text_note(extraction, taken), from_text_json(extraction, taken))
    else:
        case = _read_case(args.case)
    run = advise if args.command == "advise" else check
    report = run(case, lang=args.lang, as_of=_as_of(args.as_of), evaluator=args.evaluator)
    if args.json:
        data = report.to_json()
        if note is not None:
            data["from_text"] = note[1]
        text = json.dumps(data, ensure_ascii=False, indent=2)
    elif args.command == "advise":
        from .documents.letters import render_action_plan

        text = render_action_plan(case, report)
    else:
        from .documents.check_report import report_text

        text = report_text(report)
        if note is not None:
            text = note[0] + text
    _emit(text, args.output)
    return EXIT_VIOLATIONS if report.has_violations else EXIT_OK


def _cmd_letter(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .documents.letters import render_letter

    case = _read_case(args.case)
    templates = Path(args.templates) if args.templates else None
    if templates is not None and not templates.is_dir():
        raise InputError("--templates", f"no such folder: {args.templates}")
    result = render_letter(
        args.kind,
        case,
        lang=args.lang,
        fmt=args.format,
        as_of=_as_of(args.as_of),
        templates=templates,
        loan=args.loan,
    )
    if args.lang == "zh-Hant" and args.kind != "action_plan":
        # the Traditional text is for reading; a mainland lender expects 简体
        print(
            "negotiator: 提示：寄給中國大陸貸款機構、法院或監管部門的文書，建議使用简体"
            "（--lang zh-Hans）；繁體版本供本人閱讀。",
            file=sys.stderr,
        )
    if isinstance(result, bytes):
        if not args.output:
            fmt = str(args.format)
            raise InputError("-o", f"{fmt.upper()} output needs a file: add -o FILE.{fmt}")
        from .fsutil import atomic_write

        atomic_write(Path(args.output), result)
    else:
        _emit(result, args.output)
    return EXIT_OK


def _cmd_rules(args: argparse.Namespace) -> int:
    import json

    from .ruleset.catalog import condition_text, list_rules, rule_json, show_rule

    if args.test is not None:
        return _test_rules(args.test)
    if args.rule:
        rule = show_rule(args.rule)
        if args.json:
            print(json.dumps(rule_json(rule), ensure_ascii=False, indent=2))
        else:
            print(f"{rule.id}  [{rule.code}]  {rule.category}/{rule.severity}  ({rule.file})")
            print(f"  about: {rule.about}")
            print(f"  when:  {condition_text(rule.when)}")
            for lang, msg in rule.messages.items():
                print(f"  {lang}: {msg}")
            for c in rule.citations:
                print(f"  source: {c.label()}")
        return EXIT_OK
    rules = list_rules()
    if args.json:
        print(json.dumps([rule_json(r) for r in rules], ensure_ascii=False, indent=2))
    else:
        for r in rules:
            print(f"{r.id:45} {r.code:36} {r.severity}")
    return EXIT_OK


def _test_rules(folder: str) -> int:
    from importlib import resources
    from pathlib import Path

    from .devtools.scenarios import check_folder

    if folder and not Path(folder).is_dir():
        raise InputError("--test", "is not a folder")
    root = Path(folder) if folder else resources.files("negotiator.rules")
    rules, scenarios, problems = check_folder(root)
    for problem in problems:
        print(problem)
    print(f"{rules} rules, {scenarios} scenarios: {len(problems) or 'no'} problems")
    return EXIT_OK if not problems else EXIT_VIOLATIONS


def _cmd_schema(args: argparse.Namespace) -> int:
    import json

    from .case.schema import case_schema

    print(json.dumps(case_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def _cmd_interview(args: argparse.Namespace) -> int:
    from .api import advise
    from .documents.letters import render_action_plan
    from .interview import run_terminal

    def read() -> str | None:
        line = sys.stdin.readline()
        return line.rstrip("\n") if line else None

    def write(text: str) -> None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    case = run_terminal(read, write, output=args.output, lang=args.lang)
    if case is None:
        return EXIT_OK
    report = advise(case, lang=args.lang)
    write(render_action_plan(case, report))
    return EXIT_VIOLATIONS if report.has_violations else EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from .web import serve

    serve(host=args.host, port=args.port, lang=args.lang)
    return EXIT_OK


def _cmd_extract(args: argparse.Namespace) -> int:
    from .extract.output import extract_file, extraction_json, extraction_toml

    extraction = extract_file(args.file)
    _emit(extraction_json(extraction) if args.json else extraction_toml(extraction), args.output)
    return EXIT_OK


def _cmd_batch(args: argparse.Namespace) -> int:
    from .batch.local import run_batch_cli

    return run_batch_cli(args)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: the same clean-up, then exit 143."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


def _lang_of(argv: Sequence[str] | None) -> str:
    """The --lang of the command line (for error messages, even when parsing failed)."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(args):
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        elif arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        else:
            continue
        if value in ("zh-Hans", "zh-Hant", "en"):
            return value
    return "zh-Hans"


def main(argv: Sequence[str] | None = None) -> int:
    import signal

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _main(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _stdout_cannot_show(exc: UnicodeEncodeError) -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return encoding != "utf8" and exc.encoding.lower().replace("-", "") == encoding


def _main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = _build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_INPUT
        handler = {
            "advise": _cmd_report,
            "check": _cmd_report,
            "letter": _cmd_letter,
            "rules": _cmd_rules,
            "schema": _cmd_schema,
            "batch": _cmd_batch,
            "interview": _cmd_interview,
            "serve": _cmd_serve,
            "extract": _cmd_extract,
        }[args.command]
        return handler(args)
    except InputError as exc:
        print(f"negotiator: error: {exc.describe(_lang_of(argv))}", file=sys.stderr)
        return EXIT_INPUT
    except NegotiatorError as exc:
        print(f"negotiator: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except _Terminated:
        return 143
    except KeyboardInterrupt:
        return 130
    except UnicodeEncodeError as exc:
        if not _stdout_cannot_show(exc):
            print(
                f"negotiator: internal error ({type(exc).__name__}); please report it",
                file=sys.stderr,
            )
            return EXIT_INTERNAL
        print(
            f"negotiator: error: standard output uses the {sys.stdout.encoding} encoding, which "
            "cannot show this text: use a UTF-8 terminal (or PYTHONUTF8=1), or write to a file "
            "with -o FILE",
            file=sys.stderr,
        )
        return EXIT_INPUT
    except Exception as exc:  # a bug: one line, no personal data, no traceback
        if os.environ.get("NEGOTIATOR_DEBUG") == "1":
            raise  # for a developer reproducing a bug on data they may see (docs/api.md)
        print(
            f"negotiator: internal error ({type(exc).__name__}); please report it",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
