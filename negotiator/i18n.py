"""Languages: zh-Hans (written first), en, and zh-Hant by conversion.

Rule messages and templates are written in Simplified Chinese and English.  Traditional Chinese
output is produced from the Simplified text with OpenCC's ``s2tw`` conversion, so the three
languages never drift apart in substance.

The documented choice: Taiwan *standard characters* (``s2tw``: 為, 著, 核對, not the older
爲/着/覈 forms ``s2t`` gives) **without** Taiwan or Hong Kong vocabulary (not ``s2twp``: no
信息→資訊, 短信→簡訊, 網絡→網路).  The borrower deals with mainland lenders, courts and
regulators, whose terms (短信, 征信, 身份证) a regional rewording would change; only the glyphs
change.  OpenCC reads the 签 of 签协议 as 籤 (a lot, a label) in a few phrases: every 籤 is
written 簽 (to sign) except in the words that really mean a label or a lot (標籤, 書籤, 抽籤,
籤詩).  Letters to a mainland lender are best sent in 简体 (zh-Hans); the Traditional text is
for the borrower's own reading.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal, TypeAlias, get_args

from .errors import InputError

__all__ = ["LANGS", "Lang", "base_lang", "check_lang", "to_traditional"]

#: Output languages: Simplified Chinese, Traditional Chinese, English.
Lang: TypeAlias = Literal["zh-Hans", "zh-Hant", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)


def check_lang(lang: str) -> Lang:
    """``lang`` if it is one of :data:`LANGS` (raises :class:`InputError` on ``lang``)."""
    if lang not in LANGS:
        raise InputError("lang", f"must be one of {', '.join(LANGS)}")
    return lang


def base_lang(lang: str) -> str:
    """The language a text is authored in for ``lang`` (zh-Hant is derived from zh-Hans)."""
    return "en" if lang == "en" else "zh-Hans"


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("s2tw")


#: Words in which 籤 (a lot, a label) is right; everywhere else it is 簽 (to sign).
_REAL_QIAN = ("標籤", "書籤", "抽籤", "籤詩", "求籤", "牙籤")


def to_traditional(text: str) -> str:
    """Simplified → Traditional Chinese (OpenCC s2tw, then 籤 → 簽 where it means to sign)."""
    out = str(_converter().convert(text))
    if "籤" not in out:
        return out
    out = out.replace("籤", "簽")
    for word in _REAL_QIAN:
        out = out.replace(word.replace("籤", "簽"), word)
    return out
