"""Languages: zh-Hans (written first), en, and zh-Hant by conversion.

Rule messages and templates are written in Simplified Chinese and English.  Traditional Chinese
output is produced from the Simplified text with OpenCC's ``s2t`` conversion (standard
Traditional characters, no regional vocabulary changes), so the three languages never drift
apart in substance.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, cast

from .errors import InputError

if TYPE_CHECKING:
    from .options import Lang

__all__ = ["LANGS", "base_lang", "check_lang", "to_traditional"]

LANGS = ("zh-Hans", "zh-Hant", "en")


def check_lang(lang: str) -> Lang:
    """``lang`` if it is one of :data:`LANGS` (raises :class:`InputError` on ``lang``)."""
    if lang not in LANGS:
        raise InputError("lang", f"must be one of {', '.join(LANGS)}")
    return cast("Lang", lang)


def base_lang(lang: str) -> str:
    """The language a text is authored in for ``lang`` (zh-Hant is derived from zh-Hans)."""
    return "en" if lang == "en" else "zh-Hans"


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """Simplified → Traditional Chinese (OpenCC s2t)."""
    return str(_converter().convert(text))
