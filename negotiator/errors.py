"""The library's error types.

Every problem with the *input* (a case file, a rule file, a command-line argument) is reported
as :class:`InputError` (or a subclass) whose message starts with the path of the offending
field, for example ``loans[1].fees[0].amount: must not be negative``.  Messages never contain
personal data: the value of an identity number or phone number is never echoed back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = [
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_LINE_ERRORS",
    "EXIT_OK",
    "EXIT_VIOLATIONS",
    "AmbiguousDateError",
    "CalculationError",
    "EngineError",
    "InputError",
    "NegotiatorError",
    "RuleFileError",
    "check_table",
]


#: The command's exit codes (docs/api.md, "Command line"): no violation found; violations found;
#: bad input or usage; a batch whose output is complete but holds error records; an internal
#: error (a bug).
EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT, EXIT_LINE_ERRORS, EXIT_INTERNAL = 0, 1, 2, 3, 70


class NegotiatorError(Exception):
    """Base class of every error raised on purpose by negotiator."""


class InputError(NegotiatorError, ValueError):
    """Bad input: the message names the field path (``a.b[2].c: problem``).

    ``path`` is the dotted/indexed field path ("" for the whole document) and ``problem`` the
    human-readable explanation.  ``errors`` holds every (path, problem) pair found, when the
    loader collected more than one; ``str(err)`` shows the first one and a count of the rest.
    """

    def __init__(self, path: str, problem: str, *, errors: list[tuple[str, str]] | None = None):
        self.path = path
        self.problem = problem
        self.errors: list[tuple[str, str]] = errors if errors else [(path, problem)]
        #: path → the spelling the person wrote, for values the natural-input layer rewrote.
        self.originals: dict[str, str] = {}
        head = f"{path}: {problem}" if path else problem
        more = len(self.errors) - 1
        super().__init__(
            head + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")
        )

    def describe(self, lang: str | None = None) -> str:
        """Every problem on its own line; with ``lang``, worded for people in that language
        (explanation, example, did-you-mean: see :mod:`negotiator.case.messages`)."""
        if lang is None:
            return "\n".join(f"{p}: {m}" if p else m for p, m in self.errors)
        from .case.messages import describe

        return describe(self.errors, lang, self.originals)


class RuleFileError(InputError):
    """A rule file is malformed; ``path`` reads ``file.toml#rule-id.field``."""


class AmbiguousDateError(InputError):
    """Date arithmetic that has no single right answer (e.g. 31 January + 1 month)."""


class CalculationError(NegotiatorError, ArithmeticError):
    """A calculator could not produce a meaningful result (e.g. no internal rate of return)."""


class EngineError(NegotiatorError, RuntimeError):
    """The rules engine refused or failed a case; raised in place of the engine's own errors."""


def check_table(
    raw: Any, where: str, what: str, keys: Iterable[str], required: Iterable[str]
) -> None:
    """A table of a data file (a parameter, an instrument of the citation register): a table,
    with no key outside ``keys`` and every key of ``required``; else :class:`RuleFileError`."""
    if not isinstance(raw, dict):
        raise RuleFileError(where, f"each {what} is a table")
    unknown = set(raw) - set(keys)
    if unknown:
        raise RuleFileError(f"{where}.{sorted(unknown)[0]}", "unknown key")
    missing = set(required) - set(raw)
    if missing:
        raise RuleFileError(f"{where}.{sorted(missing)[0]}", "is required")
