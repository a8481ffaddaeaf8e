"""The web app without a browser: the flow, sessions, CSRF, limits, isolation."""

from __future__ import annotations

import contextlib
import http.cookiejar
import re
import threading
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from web_support import LICENSED, PRIVATE, running_server

from negotiator.web import COOKIE, SessionStore, create_app

ROOT = Path(__file__).resolve().parents[2]


def field(html: str, name: str) -> str:
    m = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert m, name
    return m.group(1)


def complete(client, answers: dict[str, str]) -> str:
    """Answer every question with the test client; return the summary page."""
    client.post("/start", data={"lang": "zh-Hans"})
    for _ in range(120):
        r = client.get("/question")
        if r.status_code == 303:
            break
        html = r.get_data(as_text=True)
        key = field(html, "key")
        data = {"csrf": field(html, "csrf"), "key": key}
        name = key.rsplit(".", 1)[-1]
        if key in answers:
            data["answer"] = answers[key]
        elif name in answers:
            data["answer"] = answers[name]
        else:
            data["unknown"] = "1"
        assert client.post("/question", data=data).status_code == 303
    else:
        raise AssertionError("the interview did not end")
    r = client.get("/summary")
    assert r.status_code == 200
    return r.get_data(as_text=True)


def test_licensed_lender_flow_ends_in_a_plan_a_check_and_letters():
    app = create_app()
    c = app.test_client()
    summary = complete(c, LICENSED)
    assert "某某网络小额贷款有限公司" in summary and "3万" in summary
    assert c.post("/confirm", data={"csrf": field(summary, "csrf")}).status_code == 303
    page = c.get("/result").get_data(as_text=True)
    assert "协商还款行动计划" in page
    assert 'id="check"' in page
    docx = c.get("/download/negotiation_request.docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    assert "attachment" in docx.headers["Content-Disposition"]
    html = c.get("/download/complaint.html")
    assert html.status_code == 200 and b"<html" in html.data
    assert 'id="dl-negotiation_request-pdf"' in page  # WeasyPrint is installed with the tests
    pdf = c.get("/download/negotiation_request.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    assert pdf.headers["Content-Type"] == "application/pdf"
    case = tomllib.loads(c.get("/case.toml").get_data(as_text=True))
    assert case["loans"][0]["penalty_rate"] == {"value": "0.27", "unit": "annual"}
    assert len(case["agreement"]["instalments"]) == 15


def test_collection_contacts_are_recorded_one_at_a_time_in_the_browser_flow():
    app = create_app()
    c = app.test_client()
    answers = {
        **LICENSED,
        "has_agreement": "否",
        "loans[0].collection_contacts[0]": "是",
        "at": "2026年11月3日 23:10",
        "channel": "phone",
        "target": "employer",
        "conduct": ["threat", "disclosed_debt"],
        "evidence": "是",
        "loans[0].collection_contacts[1]": "否",
    }
    summary = complete(c, answers)
    assert "催收 1" in summary and "23:10" in summary
    assert c.post("/confirm", data={"csrf": field(summary, "csrf")}).status_code == 303
    case = tomllib.loads(c.get("/case.toml").get_data(as_text=True))
    (contact,) = case["loans"][0]["collection_contacts"]
    assert contact["target"] == "employer" and sorted(contact["conduct"]) == [
        "disclosed_debt",
        "threat",
    ]
    page = c.get("/result").get_data(as_text=True)
    assert "22:00" in page or "夜间" in page or "单位" in page


def test_the_case_file_can_be_uploaded_again():
    app = create_app()
    c = app.test_client()
    text = (ROOT / "examples" / "proposed_agreement.toml").read_bytes()
    import io

    r = c.post(
        "/upload",
        data={"lang": "zh-Hans", "case": (io.BytesIO(text), "case.toml")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 303
    r = c.get("/question")
    assert r.status_code in (200, 303)


def test_an_uploaded_file_with_mistakes_shows_every_problem():
    import io

    c = create_app().test_client()
    bad = '[borrower]\nmonthly_incom = "1"\n[[loans]]\nlender_name = "x"\nlender_type = "小額"\n'
    r = c.post(
        "/upload",
        data={"case": (io.BytesIO(bad.encode()), "c.toml")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    assert "monthly_income" in page and "loans[0].principal" in page


def test_a_bad_answer_is_explained_and_asked_again():
    c = create_app().test_client()
    c.post("/start", data={"lang": "zh-Hans"})
    html = c.get("/question").get_data(as_text=True)
    c.post("/question", data={"csrf": field(html, "csrf"), "key": "loan_count", "answer": "很多"})
    again = c.get("/question").get_data(as_text=True)
    assert field(again, "key") == "loan_count" and 'id="error"' in again


def test_posts_need_the_csrf_token_of_the_session():
    c = create_app().test_client()
    c.post("/start", data={})
    html = c.get("/question").get_data(as_text=True)
    assert c.post("/question", data={"key": "loan_count", "answer": "1"}).status_code == 403
    assert (
        c.post("/question", data={"csrf": "x" * 43, "key": "loan_count", "answer": "1"}).status_code
        == 403
    )
    assert (
        c.post(
            "/question", data={"csrf": field(html, "csrf"), "key": "loan_count", "answer": "1"}
        ).status_code
        == 303
    )


def test_requests_are_limited_in_size():
    c = create_app(max_bytes=10_000).test_client()
    r = c.post("/start", data={"lang": "x" * 20_000})
    assert r.status_code == 413


def test_idle_sessions_expire_and_are_deleted():
    now = [0.0]
    store = SessionStore(idle_seconds=60, clock=lambda: now[0])
    c = create_app(store=store).test_client()
    c.post("/start", data={})
    assert len(store) == 1 and c.get("/question").status_code == 200
    now[0] = 61
    assert len(store) == 0
    r = c.get("/question")
    assert r.status_code == 302 and "expired" in r.headers["Location"]


def test_ending_the_session_deletes_it():
    app = create_app()
    c = app.test_client()
    summary = complete(c, PRIVATE)
    c.post("/confirm", data={"csrf": field(summary, "csrf")})
    page = c.get("/result").get_data(as_text=True)
    assert c.post("/end", data={"csrf": field(page, "csrf")}).status_code == 200
    assert len(app.extensions["negotiator_sessions"]) == 0
    assert c.get("/case.toml").status_code == 302


def test_pages_forbid_caching_framing_and_scripts():
    r = create_app().test_client().get("/")
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert "script-src" not in r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]
    assert b"<script" not in r.data


def test_answers_are_escaped():
    c = create_app().test_client()
    summary = complete(c, {**PRIVATE, "lender_name": "<script>alert(1)</script>"})
    assert "<script>" not in summary and "&lt;script&gt;" in summary


# ---------------------------------------------------------------------------------------------
# Two visitors at once, over real HTTP
# ---------------------------------------------------------------------------------------------


class Browser:
    """A minimal HTTP client with its own cookie jar (one visitor)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as r:
            return r.read().decode("utf-8")

    def post(self, path: str, data: dict[str, str]) -> str:
        body = urllib.parse.urlencode(data).encode()
        with self.opener.open(self.base + path, data=body, timeout=30) as r:
            return r.read().decode("utf-8")


def visit(base: str, answers: dict[str, str], barrier: threading.Barrier, out: dict) -> None:
    b = Browser(base)
    html = b.post("/start", {"lang": "zh-Hans"})
    for _ in range(120):
        if 'name="key"' not in html:
            break
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=30)  # both visitors answer in lockstep while both are asked
        key = field(html, "key")
        name = key.rsplit(".", 1)[-1]
        data = {"csrf": field(html, "csrf"), "key": key}
        if name in answers:
            data["answer"] = answers[name]
        else:
            data["unknown"] = "1"
        html = b.post("/question", data)
    barrier.abort()
    b.post("/confirm", {"csrf": field(html, "csrf")})
    out["case"] = b.get("/case.toml")
    out["result"] = b.get("/result")
    out["cookie"] = next(c.value for c in b.jar if c.name == COOKIE)


def test_two_concurrent_sessions_never_see_each_others_data():
    with running_server() as (base, app):
        barrier = threading.Barrier(2)
        a: dict = {}
        b: dict = {}
        ta = threading.Thread(target=visit, args=(base, LICENSED, barrier, a))
        tb = threading.Thread(target=visit, args=(base, PRIVATE, barrier, b))
        ta.start()
        tb.start()
        ta.join(120)
        tb.join(120)
        assert "某某网络小额贷款有限公司" in a["case"] and "张三" not in a["case"]
        assert "张三" in b["case"] and "某某网络小额贷款有限公司" not in b["case"]
        assert "张三" not in a["result"] and "小额贷款有限公司" not in b["result"]
        assert a["cookie"] != b["cookie"]
        # A stranger without a session reaches neither.
        stranger = Browser(base)
        page = stranger.get("/case.toml")
        assert "张三" not in page and "某某网络" not in page
        assert len(app.extensions["negotiator_sessions"]) == 2


@pytest.mark.parametrize(
    "path", ["/question", "/summary", "/result", "/case.toml", "/download/complaint.html"]
)
def test_every_page_needs_a_session(path):
    r = create_app().test_client().get(path)
    assert r.status_code == 302


# ---------------------------------------------------------------------------------------------
# The paste box: the lender's message read into the proposed agreement, value by value
# ---------------------------------------------------------------------------------------------

PROPOSAL = (
    "某某网络小额贷款有限公司 协商还款方案\n"
    "借款本金：30000元，年化利率18%。\n"
    "应还总额：30000元。首期4000元，之后每月2000元，共14期，首期还款日2026年1月6日。\n"
    "请转到支付宝，户名：李某<b>x</b>。需先交保证金500元。\n"
)


def paste(client, text: str | None = None, document: tuple[bytes, str] | None = None):
    import io

    client.post("/start", data={"lang": "zh-Hans", "next": "extract"})
    html = client.get("/extract").get_data(as_text=True)
    data: dict[str, object] = {"csrf": field(html, "csrf"), "text": text or ""}
    if document is not None:
        data["document"] = (io.BytesIO(document[0]), document[1])
    return client.post("/extract", data=data, content_type="multipart/form-data")


def test_pasted_proposal_is_shown_with_sources_and_warnings_then_prefills_the_interview():
    c = create_app().test_client()
    assert paste(c, PROPOSAL).status_code == 303
    page = c.get("/extract/review").get_data(as_text=True)
    assert "原文：“应还总额：30000元”" in page  # each value with the words it came from
    assert 'id="red-flags"' in page and "个人账户" in page and "保证金" in page
    assert 'id="inconsistencies"' in page
    assert "<b>x</b>" not in page  # the pasted text is escaped, never markup
    keep = re.findall(r'name="keep" value="([^"]*)"', page)
    assert "agreement.total" in keep and "agreement.instalments" in keep
    form = {
        "csrf": field(page, "csrf"),
        "keep": [k for k in keep if k != "agreement.deposit_required"],  # dropped by the user
        "v:agreement.total": "2.8万",  # corrected by the user
    }
    assert c.post("/extract/review", data=form).status_code == 303
    answers = {**LICENSED, "has_agreement": "否"}
    for name in ("total", "instalments", "repayment_account", "account_holder", "principal"):
        answers.pop(name)
    summary = complete_started(c, answers)
    assert c.post("/confirm", data={"csrf": field(summary, "csrf")}).status_code == 303
    case = tomllib.loads(c.get("/case.toml").get_data(as_text=True))
    agreement = case["agreement"]
    assert agreement["total"] == "28000" and "deposit_required" not in agreement
    assert agreement["repayment_account"] == "personal" and len(agreement["instalments"]) == 14
    assert case["loans"][0]["principal"] == "30000"


def complete_started(client, answers: dict[str, str]) -> str:
    for _ in range(150):
        r = client.get("/question")
        if r.status_code == 303:
            break
        html = r.get_data(as_text=True)
        key = field(html, "key")
        assert key not in ("agreement.total", "loans[0].principal")  # read from the text
        name = key.rsplit(".", 1)[-1]
        data = {"csrf": field(html, "csrf"), "key": key}
        if name in answers:
            data["answer"] = answers[name]
        else:
            data["unknown"] = "1"
        client.post("/question", data=data)
    return client.get("/summary").get_data(as_text=True)


def test_a_correction_that_cannot_be_read_is_explained_and_nothing_is_taken():
    c = create_app().test_client()
    paste(c, PROPOSAL)
    page = c.get("/extract/review").get_data(as_text=True)
    keep = re.findall(r'name="keep" value="([^"]*)"', page)
    r = c.post(
        "/extract/review",
        data={"csrf": field(page, "csrf"), "keep": keep, "v:agreement.total": "很多钱"},
    )
    assert r.status_code == 400 and 'id="problems"' in r.get_data(as_text=True)
    session = next(iter(c.application.extensions["negotiator_sessions"]._sessions.values()))
    assert "agreement" not in session.interview.data


def test_an_uploaded_docx_is_read(tmp_path):
    import docx

    d = docx.Document()
    for line in PROPOSAL.splitlines():
        d.add_paragraph(line)
    path = tmp_path / "p.docx"
    d.save(str(path))
    c = create_app().test_client()
    assert paste(c, document=(path.read_bytes(), "方案.docx")).status_code == 303
    assert "应还总额" in c.get("/extract/review").get_data(as_text=True)


def test_the_paste_box_refuses_what_it_cannot_read_and_limits_sizes():
    from negotiator.web.paste import MAX_PASTE_CHARS, MAX_UPLOAD_BYTES

    c = create_app().test_client()
    r = paste(c, document=(b"\x00\x01binary" * 10, "x.bin"))
    assert r.status_code == 400 and 'id="problems"' in r.get_data(as_text=True)
    r = paste(c, "借" * (MAX_PASTE_CHARS + 1))
    assert r.status_code in (400, 413)
    r = paste(c, document=(b"a" * (MAX_UPLOAD_BYTES + 1), "big.txt"))
    assert r.status_code in (400, 413)
    assert paste(c, "   ").status_code == 400
    # other forms keep the small limit
    small = create_app(max_bytes=10_000).test_client()
    small.post("/start", data={})
    assert small.post("/question", data={"answer": "x" * 20_000}).status_code == 413


def test_the_paste_box_needs_the_session_and_its_csrf_token():
    c = create_app().test_client()
    c.post("/start", data={})
    assert c.post("/extract", data={"text": PROPOSAL}).status_code == 403
    fresh = create_app().test_client()
    assert fresh.post("/extract", data={"text": PROPOSAL}).status_code in (302, 303)


def test_the_pasted_text_is_not_logged(caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    c = create_app().test_client()
    paste(c, PROPOSAL)
    c.get("/extract/review")
    assert "李某" not in caplog.text and "保证金" not in caplog.text


def test_the_review_speaks_the_sessions_language():
    from negotiator.extract import extract_agreement
    from negotiator.web.paste import extraction_rows, red_flag_labels

    ex = extract_agreement(PROPOSAL)
    hant = " ".join(r.label for r in extraction_rows(ex, "zh-Hant"))
    assert "方案裡" in hant or "還" in hant
    assert all("个" not in r.label for r in extraction_rows(ex, "zh-Hant"))
    assert any("personal account" in f for f in red_flag_labels(ex, "en"))
    assert any("個人" in f for f in red_flag_labels(ex, "zh-Hant"))
