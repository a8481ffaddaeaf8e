"""The HTML letters in a real browser (the distribution's headless Chromium, driven by Playwright):
a screenshot of every document kind shows a page of text, and the print layout the legal
review asked for holds (defects A6 and A7 of the review):

* A6 — signature labels are left-aligned and never wrap (no letter-spacing by justification),
  each signature line sits on its label's line, and the label columns of the 甲方 and 乙方
  field tables are equally wide;
* A7 — the negotiation log is printed on landscape A4, its column headings are not broken into
  one-character columns, and its blank rows are tall enough to write in.

Where no browser is installed the tests fail and say what to install; they never skip.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from web_support import CHROMIUM_FLAGS, chromium_path

from negotiator.case.load import load_case
from negotiator.documents.letters import LETTER_KINDS, render_letter
from negotiator.errors import InputError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ORDER = ("multi_lender", "negotiation_failed", "proposed_agreement", "long_term", "short_term")
A4_PX = (794, 1123)  # 210 × 297 mm at 96 px per inch
MM = 96 / 25.4


@pytest.fixture(scope="module")
def page():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need Playwright: pip install -e '.[test]'")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            tab = browser.new_page(viewport={"width": A4_PX[0], "height": A4_PX[1]})
            tab.emulate_media(media="print")
            yield tab
        finally:
            browser.close()


def _html(kind: str, lang: str = "zh-Hans", example: str | None = None) -> str:
    for name in (example,) if example else ORDER:
        try:
            out = render_letter(kind, load_case(EXAMPLES / f"{name}.toml"), fmt="html", lang=lang)
        except InputError:
            continue
        assert isinstance(out, str)
        return out
    raise AssertionError(f"{kind} renders for none of the examples")


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_screenshot_of_every_kind_shows_a_page_of_text(page, kind: str) -> None:
    page.set_content(_html(kind))
    shot = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("L")
    width, height = shot.size
    assert width >= 700 and height >= 500
    top = shot.crop((0, 0, width, min(height, A4_PX[1])))
    dark = sum(top.histogram()[:128])  # pixels of text and rules
    assert dark > 0.01 * top.width * top.height, f"{kind}: the first page is (nearly) blank"
    # the Chinese title is drawn with a Chinese font: its text is as wide as its characters
    title = page.evaluate(
        "() => { const h = document.querySelector('h1'); const r = document.createRange();"
        " r.selectNodeContents(h); return [h.textContent.trim().length,"
        " r.getBoundingClientRect().width, parseFloat(getComputedStyle(h).fontSize)]; }"
    )
    chars, drawn, size = title
    assert drawn >= 0.8 * chars * size, f"{kind}: the title's characters were not drawn"


SIGN_LINES = """() => [...document.querySelectorAll('table.sign p, div.right p')].map(p => {
  const s = getComputedStyle(p), r = p.getBoundingClientRect(), g = p.querySelector('.sig');
  const box = g ? g.getBoundingClientRect() : null;
  return {text: p.textContent, align: s.textAlign, space: s.whiteSpace, height: r.height,
          line: parseFloat(s.lineHeight), sigTop: box ? box.top - r.top : null,
          sigBottom: box ? box.bottom - r.bottom : null};
})"""


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_A6_signature_labels_stay_on_one_line_with_their_signature_line(page, lang) -> None:
    page.set_content(_html("agreement_draft", lang, "proposed_agreement"))
    lines = page.evaluate(SIGN_LINES)
    assert len(lines) >= 4
    for line in lines:
        assert line["align"] in ("left", "start"), line
        assert line["space"] == "nowrap", line
        assert line["height"] <= 1.5 * line["line"], f"the signature line wrapped: {line}"
        if line["sigTop"] is not None:  # the line is drawn within the label's line box
            assert line["sigTop"] >= -1 and line["sigBottom"] <= 1, line
    widths = page.evaluate(
        "() => [...document.querySelectorAll('table.fields')].map("
        "t => [...t.querySelectorAll('th')].map("
        "th => Math.round(th.getBoundingClientRect().width)))"
    )
    assert len(widths) >= 2
    assert len({w for table in widths for w in table}) == 1, f"label columns differ: {widths}"


def test_A6_a_letter_signature_block_is_not_justified(page) -> None:
    page.set_content(_html("negotiation_request", example="short_term"))
    lines = page.evaluate(SIGN_LINES)
    assert lines and all(x["align"] in ("left", "start") and x["space"] == "nowrap" for x in lines)


def test_A7_the_negotiation_log_is_landscape_with_rows_to_write_in(page, tmp_path) -> None:
    html = _html("negotiation_log", example="multi_lender")
    page.set_content(html)
    heads = page.evaluate(
        "() => [...document.querySelectorAll('table.grid th')].map(th => {"
        " const s = getComputedStyle(th); return [th.textContent,"
        " th.getBoundingClientRect().height, parseFloat(s.lineHeight)]; })"
    )
    assert [h[0] for h in heads][:4] == ["序号", "日期时间", "方式", "对方"]
    for text, height, line in heads:
        assert height <= 1.5 * line + 8, f"the heading {text!r} is broken over lines"
    rows = page.evaluate(
        "() => [...document.querySelectorAll('table.grid tbody tr')].map("
        "tr => tr.getBoundingClientRect().height)"
    )
    assert len(rows) >= 5 and min(rows) >= 11 * MM - 1  # 11 mm, room for a handwritten line
    # printed: landscape A4
    pdf = page.pdf(prefer_css_page_size=True)
    from pypdf import PdfReader

    first = PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(first.mediabox.width) > float(first.mediabox.height)
    assert float(first.mediabox.width) == pytest.approx(841.9, abs=2)


def test_A7_court_service_is_logged_as_such() -> None:
    case = load_case(EXAMPLES / "multi_lender.toml")
    from negotiator.case.load import unstructure

    data = unstructure(case)
    data.setdefault("history", []).append(
        {
            "date": "2026-11-02",
            "kind": "contact",
            "channel": "visit",
            "counterpart": "某某区人民法院",
            "summary": "收到起诉状副本和应诉通知书",
        }
    )
    html = render_letter("negotiation_log", load_case(data), fmt="html")
    assert "法院送达：收到起诉状副本和应诉通知书" in html
    text = render_letter("negotiation_log", load_case(data), fmt="text")
    assert "法院送达" in text and text.count("法院送达") == html.count("法院送达") == 1
