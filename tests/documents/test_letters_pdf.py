"""PDF output (WeasyPrint): every letter kind and the action plan, A4, CJK fonts, page counts.

The page checks read the text of each page with pypdf: a page never holds a sign-off alone
(the closing, the signature lines and the date always share their page with text of the
letter), and page counts stay what a borrower would print.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pypdf
import pytest
from lxml import html as lxml_html

from negotiator.case.load import load_case
from negotiator.cli import main
from negotiator.documents import pdf as pdf_out
from negotiator.documents.letters import LETTER_KINDS, render_letter
from negotiator.errors import InputError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: Examples tried in turn for a kind: the first that the kind is written for is used.
ORDER = ("multi_lender", "negotiation_failed", "proposed_agreement", "long_term", "short_term")
A4 = (595.3, 841.9)  # points
#: Pages one letter (one lender) may take; the plan is one document.
MAX_PAGES = {"action_plan": 12}
MAX_LETTER_PAGES = 5


def _case(name: str):
    return load_case(EXAMPLES / f"{name}.toml")


def _first_rendering(kind: str, fmt: str, names=ORDER, **kw) -> tuple[str, str | bytes]:
    """(example, document) for the first example that ``kind`` renders for."""
    refusals = []
    for name in names:
        try:
            return name, render_letter(kind, _case(name), fmt=fmt, **kw)
        except InputError as exc:  # e.g. a complaint for a case with nothing to complain of
            refusals.append(f"{name}: {exc}")
    raise AssertionError(f"{kind} renders for none of the examples: {refusals}")


def _squash(text: str) -> str:
    return "".join(text.split())


def _sign_off_lines(html: str) -> list[str]:
    """The lines of every sign-off in ``html``: the signature block or table and the closing
    paragraph just before it (此致 …, Yours faithfully, the draft's date)."""
    tree = lxml_html.fromstring(html.encode("utf-8"))
    lines: list[str] = []
    for block in tree.xpath('//div[@class="right"] | //table[@class="sign"]'):
        for p in block.iter("p"):
            lines.append(p.text_content())
        before = block.getprevious()
        if before is not None and before.tag == "p":
            lines.extend(before.itertext())
    return [s for s in map(_squash, lines) if s]


def _pages(pdf: bytes) -> list[pypdf.PageObject]:
    assert pdf.startswith(b"%PDF-")
    return list(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _rest_of_page(page: pypdf.PageObject, sign_off: list[str]) -> str:
    """The page's text less its page number and every sign-off line."""
    text = re.sub(r"\d+/\d+$", "", _squash(page.extract_text()))
    for line in sorted(sign_off, key=len, reverse=True):
        text = text.replace(line, "")
    return text


def _check_pages(kind: str, html: str, pdf: bytes) -> list[pypdf.PageObject]:
    pages = _pages(pdf)
    letters = max(1, html.count("<article"))
    limit = MAX_PAGES.get(kind, MAX_LETTER_PAGES) * (1 if kind == "action_plan" else letters)
    assert letters <= len(pages) <= limit, (kind, len(pages), letters)
    sign_off = _sign_off_lines(html)
    for number, page in enumerate(pages, 1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        size = (height, width) if kind == "negotiation_log" else (width, height)
        assert size == pytest.approx(A4, abs=1), (kind, number, width, height)
        rest = _rest_of_page(page, sign_off)
        assert len(rest) >= 20, f"{kind}: page {number} holds only the sign-off: {rest!r}"
    return pages


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_every_kind_prints_to_a4_pdf_with_the_sign_off_beside_text(kind: str) -> None:
    name, pdf = _first_rendering(kind, "pdf")
    assert isinstance(pdf, bytes)
    html = render_letter(kind, _case(name), fmt="html")
    assert isinstance(html, str)
    pages = _check_pages(kind, html, pdf)
    if _sign_off_lines(html):
        # the last page of the document holds the sign-off and more
        assert any(line in _squash(pages[-1].extract_text()) for line in _sign_off_lines(html))
    # the PDF says what the HTML says: the document's title is on its first page
    title = lxml_html.fromstring(html.encode("utf-8")).findtext(".//title")
    assert title and _squash(title) in _squash(pages[0].extract_text())


@pytest.mark.slow
@pytest.mark.parametrize("kind", LETTER_KINDS)
@pytest.mark.parametrize("example", sorted(p.stem for p in EXAMPLES.glob("*.toml")))
def test_every_example_prints_within_its_page_budget(example: str, kind: str) -> None:
    try:
        html = render_letter(kind, _case(example), fmt="html")
    except InputError:
        return  # the kind is refused for this case (checked in test_letters)
    pdf = render_letter(kind, _case(example), fmt="pdf")
    _check_pages(kind, html, pdf)


def test_the_sign_off_moves_with_the_paragraph_before_it() -> None:
    """A letter whose closing would fall at the top of a new page: the last paragraph goes
    with it (without the rule the second page held the closing and the signature only)."""
    case = _case("proposed_agreement")
    html = render_letter("hardship_statement", case, fmt="html")
    pages = _pages(render_letter("hardship_statement", case, fmt="pdf"))
    assert len(pages) == 2
    last = _squash(pages[-1].extract_text())
    assert last.index("本人保证以上所述情况属实") < last.index("此致")
    assert len(_rest_of_page(pages[-1], _sign_off_lines(html))) >= 20


def test_fonts_are_named_and_embedded() -> None:
    pdf = render_letter("negotiation_request", _case("short_term"), fmt="pdf")
    text_font, heading_font = pdf_out.pick_fonts("zh-Hans", pdf_out.cjk_fonts("zh-Hans"))
    fonts = set()
    for page in _pages(pdf):
        for font in page["/Resources"]["/Font"].values():
            fonts.add(re.sub(r"[^a-z]", "", str(font.get_object()["/BaseFont"]).lower()))
    for family in (text_font, heading_font):
        assert any(re.sub(r"[^a-z]", "", family.lower()) in f for f in fonts), (family, fonts)


def test_traditional_chinese_uses_a_traditional_face() -> None:
    pdf = render_letter("agreement_draft", _case("proposed_agreement"), fmt="pdf", lang="zh-Hant")
    text = "".join(p.extract_text() for p in _pages(pdf))
    assert "簽字" in text and "分期還款協議" in text
    text_font, _ = pdf_out.pick_fonts("zh-Hant", pdf_out.cjk_fonts("zh-Hant"))
    assert text_font.endswith(("TC", "HK")) or "Hant" in text_font or "MingLiU" in text_font


def test_english_letter_and_action_plan_print() -> None:
    pdf = render_letter("negotiation_request", _case("short_term"), fmt="pdf", lang="en")
    assert "Dear" in _pages(pdf)[0].extract_text()
    plan = render_letter("action_plan", _case("short_term"), fmt="pdf")
    assert "行动计划" in _pages(plan)[0].extract_text()


def test_the_same_letter_gives_the_same_bytes() -> None:
    case = _case("short_term")
    first = render_letter("credit_objection", case, fmt="pdf")
    assert render_letter("credit_objection", case, fmt="pdf") == first


# --- fonts ----------------------------------------------------------------------------------


def test_font_choice_prefers_the_regional_faces() -> None:
    installed = (
        "Noto Sans CJK JP",
        "Noto Sans CJK SC",
        "Noto Sans CJK TC",
        "Noto Sans Mono CJK SC",
        "Noto Serif CJK JP",
        "Noto Serif CJK SC",
        "Noto Serif CJK TC",
    )
    assert pdf_out.pick_fonts("zh-Hans", installed) == ("Noto Serif CJK SC", "Noto Sans CJK SC")
    assert pdf_out.pick_fonts("en", installed) == ("Noto Serif CJK SC", "Noto Sans CJK SC")
    assert pdf_out.pick_fonts("zh-Hant", installed) == ("Noto Serif CJK TC", "Noto Sans CJK TC")
    # only one face: text and headings share it; an unknown family is used when it is all
    assert pdf_out.pick_fonts("zh-Hans", ("WenQuanYi Zen Hei",)) == (
        "WenQuanYi Zen Hei",
        "WenQuanYi Zen Hei",
    )
    assert pdf_out.pick_fonts("zh-Hans", ("Some Font GB",)) == ("Some Font GB", "Some Font GB")


def test_this_machine_has_a_chinese_font() -> None:
    # .ci/run installs fonts-noto-cjk; the lookup must see it
    assert any("CJK" in f for f in pdf_out.cjk_fonts("zh-Hans"))
    assert any("CJK" in f for f in pdf_out.cjk_fonts("zh-Hant"))


def test_without_a_chinese_font_pdf_output_is_refused(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(pdf_out, "cjk_fonts", lambda lang="zh-Hans": ())
    with pytest.raises(InputError) as caught:
        render_letter("negotiation_request", _case("short_term"), fmt="pdf")
    assert caught.value.path == "--format"
    assert pdf_out.FONT_PACKAGE in str(caught.value) and "Chinese" in str(caught.value)
    # through the command line: a message, no traceback, and the old file left as it was
    out = tmp_path / "letter.pdf"
    out.write_bytes(b"old")
    rc = main(
        [
            "letter",
            "negotiation_request",
            str(EXAMPLES / "short_term.toml"),
            "--format",
            "pdf",
            "-o",
            str(out),
        ]
    )
    assert rc != 0
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["letter.pdf"]


def test_without_weasyprint_pdf_output_names_the_extra(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint fails
    with pytest.raises(InputError, match=r"negotiator\[pdf\]"):
        render_letter("action_plan", _case("short_term"), fmt="pdf")


# --- command line ---------------------------------------------------------------------------


def test_cli_writes_a_pdf_atomically(tmp_path, capsys) -> None:
    out = tmp_path / "plan.pdf"
    rc = main(
        [
            "letter",
            "action_plan",
            str(EXAMPLES / "short_term.toml"),
            "--format",
            "pdf",
            "-o",
            str(out),
        ]
    )
    assert rc == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.pdf"]  # no temporary file left
    rc = main(["letter", "action_plan", str(EXAMPLES / "short_term.toml"), "--format", "pdf"])
    assert rc != 0
    assert "PDF output needs a file" in capsys.readouterr().err
