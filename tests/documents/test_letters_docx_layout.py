"""DOCX print layout, read back with python-docx: Word's heading styles (the navigation pane
lists them), every heading kept with the next paragraph, and a sign-off that Word keeps with
the text before it, for every document kind."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import html as lxml_html

from negotiator.case.load import load_case
from negotiator.documents.letters import LETTER_KINDS, render_letter
from negotiator.errors import InputError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ORDER = ("multi_lender", "negotiation_failed", "proposed_agreement", "long_term", "short_term")
HEADINGS = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2"}


def _render(kind: str, lang: str = "zh-Hans") -> tuple[str, bytes]:
    for name in ORDER:
        case = load_case(EXAMPLES / f"{name}.toml")
        try:
            html = render_letter(kind, case, fmt="html", lang=lang)
        except InputError:
            continue
        data = render_letter(kind, case, fmt="docx", lang=lang)
        assert isinstance(html, str) and isinstance(data, bytes)
        return html, data
    raise AssertionError(f"{kind} renders for none of the examples")


def _keeps_with_next(paragraph: Paragraph) -> bool:
    """The paragraph's keep-with-next, set on it or on its style (or the style's bases)."""
    if paragraph.paragraph_format.keep_with_next is not None:
        return bool(paragraph.paragraph_format.keep_with_next)
    style = paragraph.style
    while style is not None:
        if style.paragraph_format.keep_with_next is not None:
            return bool(style.paragraph_format.keep_with_next)
        style = style.base_style
    return False


def _body(document) -> list[Paragraph | Table]:
    """The body's paragraphs and tables in document order."""
    out: list[Paragraph | Table] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(Paragraph(child, document))
        elif child.tag == qn("w:tbl"):
            out.append(Table(child, document))
    return out


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_headings_use_words_styles_and_keep_with_next(kind: str, lang: str) -> None:
    html, data = _render(kind, lang)
    tree = lxml_html.fromstring(html.encode("utf-8"))
    document = docx.Document(io.BytesIO(data))
    for tag, style in HEADINGS.items():
        expected = [" ".join(h.text_content().split()) for h in tree.iter(tag)]
        found = [p for p in document.paragraphs if p.style.name == style]
        assert [" ".join(p.text.split()) for p in found] == expected, (kind, tag)
        for paragraph in found:
            assert _keeps_with_next(paragraph), (kind, style, paragraph.text)
    assert sum(p.style.name == "Title" for p in document.paragraphs) == html.count("<article") or (
        kind == "action_plan"
    )
    # the title heads Word's navigation pane
    title = document.styles["Title"].element.pPr.find(qn("w:outlineLvl"))
    assert title is not None and title.get(qn("w:val")) == "0"
    # headings are black, in the letters' Hei face, not the template's blue theme font
    for style_name in HEADINGS.values():
        style = document.styles[style_name]
        assert style.font.color.rgb is not None and str(style.font.color.rgb) == "000000"
        fonts = style.element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "SimHei"
        assert fonts.get(qn("w:asciiTheme")) is None


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_the_sign_off_is_kept_with_the_text_before_it(kind: str) -> None:
    html, data = _render(kind)
    if 'class="right"' not in html and 'class="sign"' not in html:
        assert kind in ("negotiation_log", "action_plan"), f"{kind} has no sign-off"
        return
    body = _body(docx.Document(io.BytesIO(data)))
    signed = 0
    for i, block in enumerate(body):
        is_sign_table = isinstance(block, Table) and "签" in "".join(
            c.text for c in block.rows[-1].cells
        )
        is_sign_para = isinstance(block, Paragraph) and "_" * 20 in block.text
        if not (is_sign_table or is_sign_para):
            continue
        signed += 1
        # walk back to the last paragraph of the letter's text: everything from it to the
        # signature is kept with what follows
        j = i - 1
        chain = []
        while j >= 0:
            item = body[j]
            chain.append(item)
            if (
                isinstance(item, Paragraph)
                and len(item.text.strip()) >= 15
                and "此致" not in item.text
            ):
                break
            j -= 1
        for item in chain:
            if isinstance(item, Paragraph):
                assert _keeps_with_next(item), (kind, item.text)
            else:
                last = item.rows[-1].cells[0].paragraphs[0]
                assert _keeps_with_next(last), (kind, "table before the sign-off")
        if is_sign_table:
            for row in block.rows:
                assert row._tr.trPr is not None
                assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    assert signed >= 1, f"{kind}: no signature line found in the DOCX"
