"""Printed letters, checked in a real browser (Debian's headless chromium; .ci/run installs it
with the Noto CJK fonts).

* a screenshot of the HTML is taken and must not be blank;
* letters are printed to PDF (A4) and their pages counted; the sign-off must not sit alone on
  the last page.  Either printing the document without the signature block needs as many pages
  as printing it with the block (the sign-off fits on the last page of text), or the sign-off
  is printed inside a block kept on one page (``.keep``, ``break-inside: avoid``) together
  with text of the document, which then moves to the new page with it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from negotiator.case.load import load_case
from negotiator.documents.letters import render_letter

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.slow


def _browser() -> str:
    assert BROWSER is not None, "chromium is needed for the print checks (.ci/run installs it)"
    return BROWSER


def _run(*args: str) -> None:
    subprocess.run(
        [_browser(), "--headless", "--no-sandbox", "--disable-gpu", *args],
        check=True,
        capture_output=True,
        timeout=120,
    )


def _pdf_pages(html: str, tmp: Path, name: str) -> int:
    src = tmp / f"{name}.html"
    src.write_text(html, encoding="utf-8")
    out = tmp / f"{name}.pdf"
    _run("--no-pdf-header-footer", f"--print-to-pdf={out}", src.as_uri())
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", out.read_bytes()))


@pytest.mark.parametrize(
    ("example", "kind"),
    [
        ("proposed_agreement", "agreement_draft"),
        ("multi_lender", "agreement_draft"),
        ("negotiation_failed", "negotiation_request"),
        ("multi_lender", "negotiation_log"),
        ("long_term", "hold_request"),
        ("negotiation_failed", "reconsider_request"),
        ("multi_lender", "income_expenditure"),
    ],
)
def test_sign_off_is_not_alone_on_the_last_page(example: str, kind: str, tmp_path: Path) -> None:
    html = render_letter(kind, load_case(EXAMPLES / f"{example}.toml"), fmt="html")
    assert isinstance(html, str)
    pages = _pdf_pages(html, tmp_path, "full")
    assert pages >= 1
    without = re.sub(
        r'<table class="sign">.*?</table>|<div class="right">.*?</div>', "", html, flags=re.S
    )
    assert without != html or kind == "negotiation_log"
    if _pdf_pages(without, tmp_path, "without") == pages:
        return
    kept = re.search(r'<div class="keep">(.*?)</div>\s*(?:</article>|<div)', html, flags=re.S)
    assert kept is not None, "the sign-off moved to a page of its own"
    body = re.sub(
        r'<table class="sign">.*?</table>|<div class="right">.*?</div>', "", kept[1], flags=re.S
    )
    assert re.search(r"<(?:p|h2|li)\b", body), "nothing of the text goes with the sign-off"


def test_html_screenshot_is_not_blank(tmp_path: Path) -> None:
    html = render_letter(
        "agreement_draft", load_case(EXAMPLES / "proposed_agreement.toml"), fmt="html"
    )
    assert isinstance(html, str)
    src = tmp_path / "letter.html"
    src.write_text(html, encoding="utf-8")
    shot = tmp_path / "letter.png"
    _run("--window-size=1240,1754", f"--screenshot={shot}", src.as_uri())
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG")
    assert len(data) > 50_000  # a rendered page of text, not an empty canvas
