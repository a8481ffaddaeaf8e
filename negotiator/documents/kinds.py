"""The names of the letter kinds and formats, without importing the pipeline.

The command line lists them in its help (``negotiator letter --help``) and checks them while
parsing its arguments; keeping them here lets ``negotiator --version`` and ``--help`` start
without loading the pipeline.  :mod:`negotiator.documents.letters` re-exports both tuples.
"""

from __future__ import annotations

from typing import Literal, TypeAlias, get_args

__all__ = [
    "BINARY_FORMATS",
    "FORMATS",
    "LETTER_KINDS",
    "BinaryFormat",
    "Format",
    "LetterKind",
    "TextFormat",
]

#: Every document kind, in the order a borrower usually needs them (stable ASCII ids).
LetterKind: TypeAlias = Literal[
    "hold_request",
    "negotiation_request",
    "hardship_statement",
    "income_expenditure",
    "agreement_draft",
    "waiver_request",
    "reconsider_request",
    "written_confirmation",
    "proposal_reply",
    "complaint",
    "credit_objection",
    "negotiation_log",
    "action_plan",
]
LETTER_KINDS: tuple[str, ...] = get_args(LetterKind)

#: Formats :func:`negotiator.render_letter` returns as text.
TextFormat: TypeAlias = Literal["text", "markdown", "html"]
#: Formats :func:`negotiator.render_letter` returns as bytes (files written with ``-o``, never to
#: a terminal).
BinaryFormat: TypeAlias = Literal["docx", "pdf"]
#: Every letter format.
Format: TypeAlias = Literal[TextFormat, BinaryFormat]
FORMATS: tuple[Format, ...] = (*get_args(TextFormat), *get_args(BinaryFormat))
BINARY_FORMATS: tuple[BinaryFormat, ...] = get_args(BinaryFormat)
