"""The closed sets of option values, as ``Literal`` types for type checkers.

``mypy --strict`` then refuses ``advise(case, lang="fr")`` or ``render_letter("lettre", …)``
before the program runs; at run time the same values are checked and a wrong one raises
:class:`~negotiator.errors.InputError`.  The tuples the code
checks against (``LANGS``, ``LETTER_KINDS``, ``FORMATS``, ``EVALUATORS``, ``MODES``) are derived
from the types with :func:`typing.get_args`, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, TypeAlias

from .case.models import Case
from .documents.kinds import BinaryFormat, Format, LetterKind, TextFormat
from .engine.base import EvaluatorName
from .i18n import Lang

__all__ = [
    "BinaryFormat",
    "CaseInput",
    "EvaluatorName",
    "Format",
    "Lang",
    "LetterKind",
    "Mode",
    "TextFormat",
]

# Lang (negotiator.i18n), EvaluatorName (negotiator.engine.base), LetterKind and the formats
# (negotiator.documents.kinds) are defined where their values are checked, and the tuples checked
# against are derived from them; they are re-exported here with the other option types.
#: What a batch line is evaluated for.
Mode: TypeAlias = Literal["advise", "check"]
#: What every public operation accepts as a case: a loaded :class:`~negotiator.case.models.Case`,
#: a mapping (e.g. from ``json.loads``), TOML or JSON text, the bytes of a file, or a path.
CaseInput: TypeAlias = Case | Mapping[str, Any] | str | bytes | Path
