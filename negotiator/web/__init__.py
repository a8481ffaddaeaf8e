"""``negotiator serve``: the interview as a small web application (Flask + Jinja2).

One question per screen, plain HTML forms (no JavaScript needed), then the action plan, the
agreement check, the letters to download (HTML, DOCX; PDF when the PDF renderer is installed)
and the case file itself to keep and upload again later.

Privacy and safety (docs/serve.md):

* every visitor gets a random session id (a 256-bit token in an HttpOnly, SameSite=Strict
  cookie); the answers live only in this process's memory under that id, so no visitor can
  reach another's;
* nothing is written to disk; a session is deleted when the visitor ends it, after
  ``idle_minutes`` without a request (30 by default), or when the server stops; at most
  ``max_sessions`` live at once (the oldest idle one is dropped first);
* every form carries a per-session CSRF token; a POST without the right token is refused;
* requests are limited to ``max_bytes`` (256 KB by default: a case file is a few KB);
* responses are never cached and forbid framing; no script is served.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, cast

from ..errors import InputError, NegotiatorError
from ..interview import Interview, Question
from ..options import Format, Lang, LetterKind

__all__ = ["Session", "SessionStore", "create_app", "serve"]

COOKIE = "negotiator_session"


class Session:
    def __init__(self, lang: str) -> None:
        self.id = secrets.token_urlsafe(32)
        self.csrf = secrets.token_urlsafe(32)
        self.lang = lang
        self.interview = Interview()
        self.case_toml: str | None = None
        self.extraction: Any = None  # what the paste box read, until it is confirmed
        self.error: str | None = None
        self.seen = time.monotonic()


class SessionStore:
    """Sessions in memory, by id; idle ones expire."""

    def __init__(
        self,
        idle_seconds: float = 1800,
        max_sessions: int = 500,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.idle = idle_seconds
        self.max = max_sessions
        self.clock = clock
        self._lock = threading.Lock()
        self._sessions: OrderedDict[str, Session] = OrderedDict()

    def new(self, lang: str) -> Session:
        with self._lock:
            self._expire()
            while len(self._sessions) >= self.max:
                self._sessions.popitem(last=False)
            s = Session(lang)
            s.seen = self.clock()
            self._sessions[s.id] = s
            return s

    def get(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        with self._lock:
            self._expire()
            s = self._sessions.get(sid)
            if s is not None:
                s.seen = self.clock()
                self._sessions.move_to_end(sid)
            return s

    def end(self, sid: str) -> None:
        with self._lock:
            self._sessions.pop(sid, None)

    def __len__(self) -> int:
        with self._lock:
            self._expire()
            return len(self._sessions)

    def _expire(self) -> None:
        now = self.clock()
        for sid in [k for k, s in self._sessions.items() if now - s.seen > self.idle]:
            del self._sessions[sid]


_UI = {
    "zh-Hans": {
        "title": "网贷协商助手",
        "start": "开始咨询",
        "upload": "上传以前保存的案件文件",
        "upload_button": "上传并继续",
        "next": "下一步",
        "unknown": "不知道",
        "why": "为什么问这个？",
        "summary": "请核对您的回答",
        "change": "修改",
        "confirm": "确认，生成计划和信件",
        "plan": "您的行动计划",
        "check": "还款方案检查",
        "letters": "下载信件和文件",
        "case_file": "案件文件（请保存，以后可上传继续）",
        "end": "结束并删除本次会话的所有数据",
        "ended": "本次会话的数据已删除。",
        "intro": "一问一答，把您的网贷逾期情况整理清楚，"
        "然后给出协商计划和可以直接使用的信件。不知道的可以答“不知道”。本工具提供信息，不是法律意见。",
        "expired": "会话已结束或已过期，请重新开始。",
        "privacy": "您的回答只保存在本次会话中，结束或闲置 30 分钟后删除。",
        "question": "问题",
        "of": "已回答",
        "no_agreement": "没有填写还款方案，所以没有方案检查。",
        "error": "没看懂这个回答：",
        "paste": "粘贴或上传对方发来的还款方案",
        "paste_intro": "把对方发来的微信、短信、App 页面上的文字粘贴到下面，或上传协议文件"
        "（.txt、.docx、.pdf，最大 5 MB）。我们会读出方案里的金额、期数、日期和收款账户，"
        "请您逐项核对。文字只用于本次会话，不会保存。",
        "paste_text": "粘贴文字",
        "paste_file": "或上传文件",
        "paste_button": "读取方案",
        "review": "请逐项核对从文字中读出的内容",
        "review_intro": "每一项后面是它在原文中的出处。不对就直接改；不要的取消勾选。",
        "keep": "采用",
        "source": "原文",
        "red_flags": "需要警惕",
        "inconsistencies": "前后不一致或可疑之处",
        "use": "确认，继续回答其他问题",
        "nothing": "没有从这段文字中读出还款方案的内容。可以直接回答问题。",
        "skip": "跳过，直接回答问题",
    },
    "en": {
        "title": "Online-loan negotiation helper",
        "start": "Start",
        "upload": "Upload a saved case file",
        "upload_button": "Upload and continue",
        "next": "Next",
        "unknown": "I don't know",
        "why": "Why do you ask?",
        "summary": "Please check your answers",
        "change": "Change",
        "confirm": "Confirm and build the plan and letters",
        "plan": "Your action plan",
        "check": "Check of the proposed agreement",
        "letters": "Download letters and files",
        "case_file": "The case file (keep it; upload it later to continue)",
        "end": "End and delete everything from this session",
        "ended": "This session's data is deleted.",
        "intro": "One question at a time, we sort out your overdue online loans, then give a "
        "negotiation plan and letters ready to use. Answer \"I don't know\" when you don't. "
        "Information, not legal advice.",
        "expired": "The session ended or expired; please start again.",
        "privacy": "Your answers are kept only for this session and deleted when it ends "
        "or after 30 idle minutes.",
        "question": "Question",
        "of": "answered",
        "no_agreement": "No proposed agreement was given, so there is no check.",
        "error": "That answer could not be read:",
        "paste": "Paste or upload the lender's proposal",
        "paste_intro": "Paste the text of the WeChat or SMS message or app page below, or upload "
        "the agreement (.txt, .docx, .pdf, at most 5 MB). The amounts, instalments, dates and "
        "payment account are read out for you to check one by one. The text is used only in "
        "this session and never stored.",
        "paste_text": "Paste the text",
        "paste_file": "or upload a file",
        "paste_button": "Read the proposal",
        "review": "Please check each value read from the text",
        "review_intro": "Each value shows the words it came from. Correct it if it is wrong; "
        "untick it to leave it out.",
        "keep": "Use",
        "source": "Source",
        "red_flags": "Warning signs",
        "inconsistencies": "Inconsistencies",
        "use": "Confirm and continue with the other questions",
        "nothing": "Nothing of a repayment proposal was found in this text. You can answer "
        "the questions directly.",
        "skip": "Skip and answer the questions",
    },
}


def _ui(lang: str) -> dict[str, str]:
    texts = _UI["en" if lang == "en" else "zh-Hans"]
    if lang == "zh-Hant":
        from ..i18n import to_traditional

        return {k: to_traditional(v) for k, v in texts.items()}
    return texts


def _pdf_available() -> bool:
    """Whether PDF letters can be offered: WeasyPrint (the ``pdf`` extra) is installed."""
    import importlib.util

    from ..documents.kinds import FORMATS

    return "pdf" in FORMATS and importlib.util.find_spec("weasyprint") is not None


def create_app(
    *,
    lang: str = "zh-Hans",
    idle_minutes: float = 30,
    max_bytes: int = 256 * 1024,
    max_sessions: int = 500,
    store: SessionStore | None = None,
) -> Any:
    """The Flask application (its ``store`` attribute holds the sessions)."""
    import flask
    from werkzeug.exceptions import HTTPException

    app = flask.Flask(__name__, template_folder="templates", static_folder="static")
    from .paste import MAX_PASTE_CHARS, MAX_UPLOAD_BYTES

    # The paste box takes a document of up to MAX_UPLOAD_BYTES; every other request is held
    # to max_bytes (checked before the body is read, in ``limit`` below).
    app.config["MAX_CONTENT_LENGTH"] = max(max_bytes, MAX_UPLOAD_BYTES + 64 * 1024)
    app.config["MAX_FORM_MEMORY_SIZE"] = max(max_bytes, 4 * MAX_PASTE_CHARS)
    app.jinja_env.autoescape = True
    sessions = (
        store
        if store is not None
        else SessionStore(idle_seconds=idle_minutes * 60, max_sessions=max_sessions)
    )
    app.extensions["negotiator_sessions"] = sessions
    default_lang = lang

    def page(name: str, s: Session | None, **context: Any) -> Any:
        lang = s.lang if s else default_lang
        return flask.render_template(
            name, ui=_ui(lang), lang=lang, csrf=s.csrf if s else "", **context
        )

    def current() -> Session | None:
        return sessions.get(flask.request.cookies.get(COOKIE))

    def require() -> Session:
        s = current()
        if s is None:
            flask.abort(flask.redirect(flask.url_for("index", expired=1)))
        assert s is not None
        if flask.request.method == "POST" and not secrets.compare_digest(
            flask.request.form.get("csrf", ""), s.csrf
        ):
            flask.abort(403)
        return s

    @app.before_request
    def limit() -> None:
        size = flask.request.content_length
        if flask.request.path != "/extract" and size is not None and size > max_bytes:
            flask.abort(413)

    @app.after_request
    def headers(resp: Any) -> Any:
        resp.headers["Cache-Control"] = "no-store"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        )
        return resp

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        if exc.code in (301, 302, 303):
            return exc
        return page("error.html.j2", None, code=exc.code, message=exc.description), exc.code

    def start_session(s: Session, target: str = "question") -> Any:
        resp = flask.redirect(flask.url_for(target), 303)
        resp.set_cookie(
            COOKIE, s.id, httponly=True, samesite="Strict", secure=flask.request.is_secure
        )
        return resp

    @app.get("/")
    def index() -> Any:
        chosen = flask.request.args.get("lang", default_lang)
        if chosen not in ("zh-Hans", "zh-Hant", "en"):
            chosen = default_lang
        return page(
            "index.html.j2", None, expired=bool(flask.request.args.get("expired")), chosen=chosen
        )

    @app.post("/start")
    def start() -> Any:
        chosen = flask.request.form.get("lang", default_lang)
        s = sessions.new(chosen if chosen in ("zh-Hans", "zh-Hant", "en") else default_lang)
        return start_session(
            s, "extract" if flask.request.form.get("next") == "extract" else "question"
        )

    @app.post("/upload")
    def upload() -> Any:
        from ..case.load import load_case, parse_document, unstructure

        chosen = flask.request.form.get("lang", default_lang)
        s = sessions.new(chosen if chosen in ("zh-Hans", "zh-Hant", "en") else default_lang)
        f = flask.request.files.get("case")
        raw = f.read() if f else b""
        try:
            data = parse_document(raw)
            case = load_case(data)
        except InputError as exc:
            sessions.end(s.id)
            return page(
                "index.html.j2", None, chosen=s.lang, expired=False, problems=exc.describe(s.lang)
            ), 400
        s.interview = Interview(unstructure(case))
        s.interview.meta.setdefault("has_agreement", case.agreement is not None)
        return start_session(s)

    @app.route("/question", methods=["GET", "POST"])
    def question() -> Any:
        s = require()
        q = s.interview.next_question()
        if flask.request.method == "POST":
            key = flask.request.form.get("key", "")
            if q is None or key != q.key:  # a stale or repeated form: show the current question
                return flask.redirect(flask.url_for("question"), 303)
            if "unknown" in flask.request.form:
                text = "不知道"
            elif q.kind in ("words", "hardship"):
                picked = flask.request.form.getlist("answer")
                none = q.kind == "hardship" or q.record is not None  # nothing ticked: none
                text = "、".join(picked) if picked else ("没有" if none else "")
            else:
                text = flask.request.form.get("answer", "")
            try:
                s.interview.answer(q, text[:2000])
                s.error = None
            except InputError as exc:
                s.error = exc.describe(s.lang)
            return flask.redirect(flask.url_for("question"), 303)
        if q is None:
            return flask.redirect(flask.url_for("summary"), 303)
        error, s.error = s.error, None
        return page(
            "question.html.j2",
            s,
            q=q,
            prompt=q.prompt(s.lang),
            why=q.why(s.lang),
            choices=_choices(q, s.lang),
            error=error,
            answered=len(s.interview.asked) + len(s.interview.unknown),
        )

    @app.get("/extract")
    def extract() -> Any:
        s = require()
        return page("extract.html.j2", s)

    @app.post("/extract")
    def extract_read() -> Any:
        from ..extract import extract_agreement, read_document
        from .paste import MAX_PASTE_CHARS, MAX_UPLOAD_BYTES

        s = require()
        text = flask.request.form.get("text", "")
        upload = flask.request.files.get("document")
        try:
            if upload is not None and upload.filename:
                raw = upload.read(MAX_UPLOAD_BYTES + 1)
                if len(raw) > MAX_UPLOAD_BYTES:
                    raise InputError("TEXT", "the file is larger than 5 MB")
                text = read_document(raw)
            if len(text) > MAX_PASTE_CHARS:
                raise InputError("TEXT", f"the text is longer than {MAX_PASTE_CHARS} characters")
            if not text.strip():
                raise InputError("TEXT", "is empty")
            s.extraction = extract_agreement(text)
        except InputError as exc:
            return page("extract.html.j2", s, problems=exc.describe(s.lang)), 400
        return flask.redirect(flask.url_for("extract_review"), 303)

    @app.route("/extract/review", methods=["GET", "POST"])
    def extract_review() -> Any:
        from .paste import apply_rows, extraction_rows, red_flag_labels

        s = require()
        ex = s.extraction
        if ex is None:
            return flask.redirect(flask.url_for("extract"), 303)
        rows = extraction_rows(ex, s.lang)
        problems: list[tuple[str, str]] = []
        if flask.request.method == "POST":
            answers = {r.path: flask.request.form.get("v:" + r.path, r.text) for r in rows}
            kept = set(flask.request.form.getlist("keep"))
            problems = apply_rows(s.interview, ex, rows, answers, kept)
            if not problems:
                s.extraction = None
                return flask.redirect(flask.url_for("question"), 303)
        return page(
            "review.html.j2",
            s,
            rows=[r for r in rows if r.path != "agreement.form" or len(rows) > 1],
            flags=red_flag_labels(ex, s.lang),
            inconsistencies=[i.message for i in ex.inconsistencies],
            problems=InputError(problems[0][0], problems[0][1], errors=problems).describe(s.lang)
            if problems
            else "",
        ), (400 if problems else 200)

    @app.get("/summary")
    def summary() -> Any:
        s = require()
        if s.interview.next_question() is not None:
            return flask.redirect(flask.url_for("question"), 303)
        return page("summary.html.j2", s, items=s.interview.summary(s.lang))

    @app.post("/change")
    def change() -> Any:
        s = require()
        keys = s.interview.summary_keys()
        try:
            index = int(flask.request.form.get("item", ""))
        except ValueError:
            flask.abort(400)
        if 0 <= index < len(keys) and keys[index] != "loan_count":
            s.interview.forget(keys[index])
        return flask.redirect(flask.url_for("question"), 303)

    @app.post("/confirm")
    def confirm() -> Any:
        from ..case.load import load_case
        from ..interview import to_toml

        s = require()
        try:
            load_case(s.interview.case_data())
        except InputError as exc:
            s.error = exc.describe(s.lang)
            return flask.redirect(flask.url_for("question"), 303)
        s.case_toml = to_toml(s.interview.case_data())
        return flask.redirect(flask.url_for("result"), 303)

    def the_case(s: Session) -> Any:
        from ..case.load import load_case

        if s.case_toml is None:
            flask.abort(flask.redirect(flask.url_for("summary"), 303))
        return load_case(s.case_toml)

    @app.get("/result")
    def result() -> Any:
        from ..api import advise, check
        from ..documents.check_report import report_text
        from ..documents.kinds import LETTER_KINDS
        from ..documents.letters import render_action_plan

        s = require()
        case = the_case(s)
        report = advise(case, lang=cast(Lang, s.lang))
        plan = render_action_plan(case, report)
        lang = cast(Lang, s.lang)
        checked = report_text(check(case, lang=lang)) if case.agreement is not None else None
        formats = ["html", "docx"] + (["pdf"] if _pdf_available() else [])
        return page(
            "result.html.j2",
            s,
            plan=plan,
            checked=checked,
            kinds=[k for k in LETTER_KINDS],
            formats=formats,
        )

    @app.get("/download/<kind>.<fmt>")
    def download(kind: str, fmt: str) -> Any:
        from ..documents.kinds import LETTER_KINDS
        from ..documents.letters import render_letter

        s = require()
        if kind not in LETTER_KINDS or fmt not in ("html", "docx", "pdf"):
            flask.abort(404)
        case = the_case(s)
        try:
            body = render_letter(
                cast(LetterKind, kind), case, lang=cast(Lang, s.lang), fmt=cast(Format, fmt)
            )
        except NegotiatorError as exc:
            return page("error.html.j2", s, code=422, message=str(exc)), 422
        mime = {
            "html": "text/html; charset=utf-8",
            "pdf": "application/pdf",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
        data = body.encode("utf-8") if isinstance(body, str) else body
        resp = flask.Response(data, mimetype=mime[fmt])
        resp.headers["Content-Disposition"] = f'attachment; filename="{kind}.{fmt}"'
        return resp

    @app.get("/case.toml")
    def case_file() -> Any:
        s = require()
        if s.case_toml is None:
            flask.abort(404)
        resp = flask.Response(s.case_toml.encode("utf-8"), mimetype="application/toml")
        resp.headers["Content-Disposition"] = 'attachment; filename="case.toml"'
        return resp

    @app.post("/end")
    def end() -> Any:
        s = require()
        sessions.end(s.id)
        resp = flask.make_response(page("ended.html.j2", None))
        resp.delete_cookie(COOKIE)
        return resp

    return app


def _choices(q: Question, lang: str) -> list[tuple[str, str]]:
    """(value, label) buttons for closed-set questions; empty for free answers."""
    if q.kind == "bool" or q.kind == "count":
        if q.kind == "bool":
            return [("是", "是" if lang != "en" else "yes"), ("否", "否" if lang != "en" else "no")]
        return []
    if q.kind in ("word", "words", "hardship") and q.enum is not None:
        from ..case.natural import SYNONYMS

        out = []
        for member in q.enum:
            value = str(member.value)
            if value == "unknown":
                continue
            zh = SYNONYMS.get(q.enum, {}).get(value, ())
            out.append((value, zh[0] if zh and lang != "en" else value.replace("_", " ")))
        return out
    return []


def serve(host: str = "127.0.0.1", port: int = 8000, lang: str = "zh-Hans") -> None:
    """Run the app with Werkzeug's threaded server (enough for an office network)."""
    try:
        from werkzeug.serving import run_simple
    except ImportError:  # pragma: no cover - depends on the install
        raise InputError(
            "serve", "the web app needs Flask: install it with pip install 'negotiator[web]'"
        ) from None
    app = create_app(lang=lang)
    print(f"negotiator: serving on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)
