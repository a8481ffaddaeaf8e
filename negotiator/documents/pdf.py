"""PDF output: a letter's print-ready HTML laid out by WeasyPrint (A4, ``base/print.css``).

The PDF is made from exactly the HTML the ``html`` format returns, with the same style sheet:
A4 paper, 25 mm top and left margins and 22 mm bottom and right ones, the negotiation log on
landscape pages, page numbers ("2 / 3") at the foot of every page, and a letter's sign-off
(closing, signature lines, date) kept on the page of the text before it.

Chinese text needs a font that covers it, and a PDF made without one prints every character as
an empty box.  Before laying anything out, the fonts installed on the machine are asked
(fontconfig, the font catalogue WeasyPrint itself uses) for a family covering Chinese; when
there is none, :class:`~negotiator.errors.InputError` on ``--format`` names the font package to
install (Debian and Ubuntu: ``fonts-noto-cjk``).  The family found is named in the PDF's style
sheet, so the letter is set in it rather than in whatever fallback the machine would pick:
a Song (serif) face for the text and a Hei (sans-serif) face for headings, as in print.css,
Simplified forms for zh-Hans and en, Traditional ones for zh-Hant.

WeasyPrint is an optional dependency: install ``negotiator[pdf]``; it needs the Pango library
(Debian: ``libpango-1.0-0``, ``libpangoft2-1.0-0``).  The same letter gives the same bytes on
every run (no creation date; the document identifier is derived from the content).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import io
from collections.abc import Sequence
from functools import cache
from typing import Any

from ..errors import InputError

__all__ = ["FONT_PACKAGE", "cjk_fonts", "html_to_pdf", "pick_fonts"]

#: The Debian/Ubuntu package with fonts covering Chinese, named in the error when none exists.
FONT_PACKAGE = "fonts-noto-cjk"

#: Preferred families, best first: the faces print.css asks for, then the common free ones.
_SERIF = {
    "zh-Hans": (
        "SimSun",
        "Songti SC",
        "Noto Serif CJK SC",
        "Source Han Serif SC",
        "Noto Serif SC",
        "AR PL UMing CN",
    ),
    "zh-Hant": (
        "PMingLiU",
        "Songti TC",
        "Noto Serif CJK TC",
        "Source Han Serif TC",
        "Noto Serif TC",
        "Noto Serif CJK HK",
        "AR PL UMing TW",
    ),
}
_SANS = {
    "zh-Hans": (
        "SimHei",
        "Heiti SC",
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "Noto Sans SC",
        "WenQuanYi Zen Hei",
        "WenQuanYi Micro Hei",
    ),
    "zh-Hant": (
        "Microsoft JhengHei",
        "Heiti TC",
        "Noto Sans CJK TC",
        "Source Han Sans TC",
        "Noto Sans TC",
        "Noto Sans CJK HK",
        "WenQuanYi Zen Hei",
    ),
}
#: Family-name marks of the regional variants, used when no preferred family is installed.
_REGION = {"zh-Hans": ("SC", "CN", "GB", "Hans"), "zh-Hant": ("TC", "HK", "TW", "Hant")}


class _FcFontSet(ctypes.Structure):
    _fields_ = [
        ("nfont", ctypes.c_int),
        ("sfont", ctypes.c_int),
        ("fonts", ctypes.POINTER(ctypes.c_void_p)),
    ]


@cache
def _fontconfig() -> Any:
    name = ctypes.util.find_library("fontconfig") or "libfontconfig.so.1"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.FcNameParse.restype = ctypes.c_void_p
    lib.FcNameParse.argtypes = [ctypes.c_char_p]
    lib.FcObjectSetCreate.restype = ctypes.c_void_p
    lib.FcObjectSetAdd.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.FcFontList.restype = ctypes.POINTER(_FcFontSet)
    lib.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    lib.FcPatternGetString.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.POINTER(ctypes.c_char_p),
    ]
    lib.FcFontSetDestroy.argtypes = [ctypes.POINTER(_FcFontSet)]
    lib.FcPatternDestroy.argtypes = [ctypes.c_void_p]
    lib.FcObjectSetDestroy.argtypes = [ctypes.c_void_p]
    return lib


def cjk_fonts(lang: str = "zh-Hans") -> tuple[str, ...]:
    """The font families installed on this machine that cover Chinese (as fontconfig reports
    them for ``zh-cn``, or ``zh-tw`` when ``lang`` is zh-Hant), sorted; empty when none is, or
    when fontconfig itself is missing."""
    lib = _fontconfig()
    if lib is None:
        return ()
    query = b":lang=zh-tw" if lang == "zh-Hant" else b":lang=zh-cn"
    pattern = lib.FcNameParse(query)
    objects = lib.FcObjectSetCreate()
    lib.FcObjectSetAdd(objects, b"family")
    found = lib.FcFontList(None, pattern, objects)
    families: set[str] = set()
    try:
        if found:
            fonts = found.contents
            for i in range(fonts.nfont):
                value = ctypes.c_char_p()
                # a font's first family name is its English one (others are localised names)
                got = lib.FcPatternGetString(fonts.fonts[i], b"family", 0, ctypes.byref(value))
                if got == 0 and value.value:
                    families.add(value.value.decode("utf-8", "replace"))
    finally:
        if found:
            lib.FcFontSetDestroy(found)
        lib.FcObjectSetDestroy(objects)
        lib.FcPatternDestroy(pattern)
    return tuple(sorted(families))


def _choose(installed: Sequence[str], preferred: Sequence[str], region: Sequence[str]) -> str:
    have = set(installed)
    for family in preferred:
        if family in have:
            return family
    usable = [f for f in installed if "Mono" not in f] or list(installed)
    for family in usable:
        if any(mark in family.split() for mark in region):
            return family
    return usable[0]


def pick_fonts(lang: str, installed: Sequence[str]) -> tuple[str, str]:
    """The (text, heading) families to set a letter in ``lang`` with, from ``installed``
    (families covering Chinese).  Raises :class:`InputError` when ``installed`` is empty."""
    if not installed:
        raise InputError(
            "--format",
            "PDF output needs a font that covers Chinese, and none is installed: install the "
            f"Noto CJK fonts (Debian/Ubuntu: apt-get install {FONT_PACKAGE}; elsewhere the "
            "'Noto Serif CJK SC' and 'Noto Sans CJK SC' fonts), then try again",
        )
    key = "zh-Hant" if lang == "zh-Hant" else "zh-Hans"
    serifs = [f for f in installed if "Sans" not in f and "Hei" not in f]
    sans = [f for f in installed if "Sans" in f or "Hei" in f]
    text = _choose(serifs or installed, _SERIF[key] + _SANS[key], _REGION[key])
    heading = _choose(sans or [text], _SANS[key], _REGION[key])
    return text, heading


def _css_string(family: str) -> str:
    return '"' + family.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _font_css(text: str, heading: str) -> str:
    return (
        # a user style sheet: !important outranks the document's own font lists
        f"body {{ font-family: {_css_string(text)}, serif !important; }}\n"
        f"h1, h2, h3 {{ font-family: {_css_string(heading)}, sans-serif !important; }}\n"
    )


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError):  # OSError: the Pango library is missing
        raise InputError(
            "--format",
            "PDF output needs WeasyPrint: install it with pip install 'negotiator[pdf]' "
            "(it needs the Pango library; Debian/Ubuntu: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0)",
        ) from None
    return weasyprint


def html_to_pdf(html: str, lang: str = "zh-Hans") -> bytes:
    """Lay out a letter's HTML (as :func:`negotiator.documents.letters.render_letter` renders it)
    as an A4 PDF and return its bytes.

    Raises :class:`InputError` (on ``--format``) when WeasyPrint or a font covering Chinese is
    missing; the message names what to install.
    """
    weasyprint = _weasyprint()
    text, heading = pick_fonts(lang, cjk_fonts(lang))
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    style = weasyprint.CSS(string=_font_css(text, heading), font_config=fonts)
    document = weasyprint.HTML(string=html, base_url=None)
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    out = io.BytesIO()
    document.write_pdf(out, stylesheets=[style], font_config=fonts, pdf_identifier=identifier)
    return out.getvalue()
