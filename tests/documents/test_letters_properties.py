"""Invariants of the letters, over generated cases (hypothesis):

* no unrendered placeholder ever appears;
* the full 身份证号 appears only in the agreement draft;
* every amount printed with its Chinese capitals says the same number twice;
* HTML output escapes whatever the borrower typed;
* the agreement draft passes the agreement check with no completeness finding.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import attrs
from cases import ric
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from negotiator.analysis import analyse
from negotiator.api import check
from negotiator.case.models import (
    Borrower,
    Case,
    CollectionContact,
    Conduct,
    ContactChannel,
    ContactTarget,
    Hardship,
    HardshipKind,
    IncomeStability,
    LenderType,
    Loan,
    NegotiationEvent,
    NegotiationEventKind,
    Outcome,
    Rate,
    RateUnit,
)
from negotiator.documents.agreement_draft import draft_agreement
from negotiator.documents.letters import LETTER_KINDS, render_letter
from negotiator.documents.render import daxie
from negotiator.errors import InputError

AS_OF = dt.date(2026, 11, 20)
KINDS = tuple(k for k in LETTER_KINDS if k != "action_plan")
PLACEHOLDERS = ("{{", "}}", "{%", "%}", "None", "Undefined", "undefined")
# No Latin letters: a generated name can never spell "None" by accident; the markup
# characters test escaping.
NAME_CHARS = "张王李赵刘陈杨黄吴周郑孙某甲乙丙丁0123456789 <>&\"'*_|#`[]"

_DIGITS = dict(zip("零壹贰叁肆伍陆柒捌玖", range(10), strict=True))
_SMALL = {"拾": 10, "佰": 100, "仟": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}


def parse_daxie(text: str) -> Decimal:
    """人民币壹万贰仟元整 → Decimal('12000') — an independent reading of the capitals."""
    assert text.startswith("人民币"), text
    body = text[3:].removesuffix("整")
    yuan, _, fraction = body.partition("元") if "元" in body else ("", "", body)
    total = section = number = 0
    for ch in yuan:
        if ch in _DIGITS:
            number = _DIGITS[ch]
        elif ch in _SMALL:
            section += (number or 1) * _SMALL[ch]
            number = 0
        elif ch in _BIG:
            total = (
                (total + section + number) * _BIG[ch]
                if ch == "亿"
                else total + (section + number) * _BIG[ch]
            )
            section = number = 0
        else:
            raise AssertionError(f"unexpected character {ch!r} in {text!r}")
    value = Decimal(total + section + number)
    digit = None
    for ch in fraction:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch == "角":
            value += Decimal(digit or 0) / 10
        elif ch == "分":
            value += Decimal(digit or 0) / 100
        else:
            raise AssertionError(f"unexpected character {ch!r} in {text!r}")
    return value


names = st.text(alphabet=NAME_CHARS, min_size=1, max_size=16).filter(lambda s: s.strip() != "")
yuan = st.integers(min_value=100, max_value=300_000).map(Decimal)
fen = st.integers(min_value=0, max_value=99).map(lambda n: Decimal(n) / 100)


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2005, 12, 31)))
    seq = draw(st.integers(min_value=0, max_value=999))
    return ric(f"110105{born:%Y%m%d}{seq:03d}")


@st.composite
def cases(draw: st.DrawFn, complete: bool = False) -> Case:
    principal = draw(yuan)
    repaid = draw(st.integers(min_value=0, max_value=int(principal) - 1).map(Decimal))
    parts = [
        principal - repaid,
        draw(st.integers(min_value=0, max_value=3000).map(Decimal)) + draw(fen),
        draw(st.integers(min_value=0, max_value=2000).map(Decimal)) + draw(fen),
        draw(st.integers(min_value=0, max_value=1000).map(Decimal)),
    ]
    outstanding = sum(parts, Decimal(0))
    lender_type = draw(
        st.sampled_from([t for t in LenderType if not complete or t is not LenderType.PRIVATE])
    )
    maybe = (lambda s: s) if complete else (lambda s: st.none() | s)
    income = draw(maybe(st.integers(min_value=3000, max_value=50_000).map(Decimal)))
    if complete:
        # enough room to clear the debt within a few dozen instalments
        assert income is not None
        income = max(income, (outstanding / 20 + 2000).quantize(Decimal(1)))
    contacts = draw(
        st.lists(
            st.builds(
                CollectionContact,
                at=st.datetimes(
                    min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 11, 19)
                ),
                channel=st.sampled_from(ContactChannel),
                target=st.sampled_from(ContactTarget),
                collector=st.none() | names,
                conduct=st.lists(st.sampled_from(Conduct), max_size=2).map(tuple),
                summary=st.none() | names,
                evidence=st.booleans(),
            ),
            max_size=3,
        )
    )
    borrower = Borrower(
        name=draw(names) if complete else draw(st.none() | names),
        id_number=draw(id_numbers()) if complete else draw(st.none() | id_numbers()),
        phone=draw(st.none() | st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)),
        address=draw(st.none() | names),
        monthly_income=income,
        income_stability=IncomeStability.STABLE,
        essential_expenses=draw(maybe(st.integers(min_value=0, max_value=1500).map(Decimal))),
        other_debt_payments=draw(st.none() | st.just(Decimal(0))),
        savings=draw(st.none() | yuan),
        hardships=tuple(
            draw(
                st.lists(
                    st.builds(
                        Hardship, kind=st.sampled_from(HardshipKind), description=st.none() | names
                    ),
                    max_size=2,
                )
            )
        ),
    )
    loan = Loan(
        id="L1",
        # a licensed lender is a company: its name says so (a bare name reads as a person's,
        # and paying a person is a red flag the check rightly raises)
        lender_name=draw(names)
        + ("" if lender_type is LenderType.PRIVATE else "消费金融有限公司"),
        lender_type=lender_type,
        principal=principal,
        platform=draw(st.none() | names),
        contract_no=draw(st.from_regex(r"[A-Z]{2}[0-9]{8}", fullmatch=True)) if complete else None,
        contract_date=dt.date(2025, 6, 18),
        rate=Rate(Decimal("0.18"), RateUnit.ANNUAL, 360),
        interest_agreed=True,
        term_months=12,
        repaid=repaid if complete else draw(st.none() | st.just(repaid)),
        outstanding=outstanding if complete else draw(st.none() | st.just(outstanding)),
        outstanding_principal=parts[0],
        outstanding_interest=parts[1],
        penalty_interest=parts[2],
        late_fees=parts[3],
        overdue_since=dt.date(2026, 8, 1),
        collection_contacts=tuple(contacts),
    )
    return Case(borrower=borrower, loans=(loan,), as_of=AS_OF)


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _render(kind: str, case: Case, lang: str, fmt: str) -> str | None:
    if kind == "reconsider_request":
        # a request to reconsider answers a refusal the history records
        refusal = NegotiationEvent(
            date=dt.date(2026, 9, 1),
            kind=NegotiationEventKind.BORROWER_OFFER,
            loan="L1",
            outcome=Outcome.REFUSED,
        )
        case = attrs.evolve(case, history=(*case.history, refusal))
    try:
        out = render_letter(kind, case, lang=lang, fmt=fmt)
    except InputError as exc:
        # a complaint needs facts; no credit objection to a private lender (no 征信 reporting)
        assert kind == "complaint" or (
            kind == "credit_objection" and case.loans[0].lender_type is LenderType.PRIVATE
        ), str(exc)
        return None
    assert isinstance(out, str)
    return out


@SETTINGS
@given(
    case=cases(),
    kind=st.sampled_from(KINDS),
    lang=st.sampled_from(["zh-Hans", "en", "zh-Hant"]),
    fmt=st.sampled_from(["text", "markdown", "html"]),
)
def test_no_placeholder_and_no_unmasked_id(case: Case, kind: str, lang: str, fmt: str) -> None:
    out = _render(kind, case, lang, fmt)
    if out is None:
        return
    for token in PLACEHOLDERS:
        assert token not in out
    number = case.borrower.id_number
    if number is not None:
        if kind == "agreement_draft":
            assert number in out
        else:
            assert number not in out
            if kind not in ("negotiation_log",):
                star = "\\*" if fmt == "markdown" else "*"  # Markdown escapes the stars
                assert number[:4] + star * 10 + number[-4:] in out


_FIGURE_AND_CAPITALS = (
    re.compile(r"([\d,]+\.\d\d)元（(人民币[^）]+)）"),  # zh: 12,000.00元（人民币壹万贰仟元整）
    re.compile(r"CNY ([\d,]+\.\d\d) \((人民币[^)]+)\)"),  # en: CNY 12,000.00 (人民币壹万贰仟元整)
    re.compile(r"([\d,]+\.\d\d) +(人民币\S+)"),  # tables: 1,612.50  人民币壹仟陆佰壹拾贰元伍角整
)


@SETTINGS
@given(case=cases(), kind=st.sampled_from(KINDS), lang=st.sampled_from(["zh-Hans", "en"]))
def test_amounts_in_figures_and_capitals_agree(case: Case, kind: str, lang: str) -> None:
    out = _render(kind, case, lang, "text")
    if out is None:
        return
    pairs = [m.groups() for rx in _FIGURE_AND_CAPITALS for m in rx.finditer(out)]
    for figure, capitals in pairs:
        assert parse_daxie(capitals) == Decimal(figure.replace(",", "")), (figure, capitals)


@given(st.integers(min_value=0, max_value=10**11).map(lambda n: Decimal(n) / 100))
def test_daxie_reads_back_to_the_same_amount(amount: Decimal) -> None:
    assert parse_daxie(daxie(amount)) == amount


@SETTINGS
@given(case=cases(), kind=st.sampled_from(KINDS))
def test_html_escapes_everything_the_borrower_typed(case: Case, kind: str) -> None:
    out = _render(kind, case, "zh-Hans", "html")
    if out is None:
        return
    body = out.split("<body", 1)[1].split(">", 1)[1]
    shown = [case.borrower.name] + (
        [case.loans[0].lender_name] if kind != "negotiation_log" else []
    )
    for text in shown:
        if text and any(c in text for c in "<>&\"'"):
            forms = {str(escape(text.strip())), str(escape(" ".join(text.split())))}
            assert any(form in body for form in forms)
    # every "<" left in the page opens a tag: none comes from the case
    assert not re.search(r"<(?![A-Za-z/!])", body)
    assert "<script" not in body


@SETTINGS
@given(case=cases(complete=True))
def test_agreement_draft_passes_the_agreement_check(case: Case) -> None:
    analysis = analyse(case)
    draft = draft_agreement(case, analysis, "L1")
    assume(draft.instalments)  # the budget allows a plan within the longest term
    assert sum(i.amount for i in draft.instalments if i.amount is not None) == draft.total
    report = check(attrs.evolve(case, agreement=draft))
    codes = {f.code for f in report.findings}
    incomplete = {
        c for c in codes if c.startswith("AGREEMENT_MISSING_") or c == "AGREEMENT_NOT_WRITTEN"
    }
    assert not incomplete, incomplete
    for code in (
        "AGREEMENT_SCHEDULE_SUM_MISMATCH",
        "AGREEMENT_SCHEDULE_DATES_INVALID",
        "AGREEMENT_BALANCE_INCONSISTENT",
        "AGREEMENT_RATE_MISMATCH",
        "AGREEMENT_UNAFFORDABLE",
        "AGREEMENT_INVALID_BORROWER_ID",
        "AGREEMENT_NO_CURE_PERIOD",
    ):
        assert code not in codes, code
    # no red flag raised by the draft itself (collectors' demands are the case's own facts)
    assert not [
        f.code for f in report.findings if f.category == "scam" and f.subject == "agreement"
    ]
    # and the draft that is printed is the draft that was checked
    out = render_letter("agreement_draft", case)
    assert isinstance(out, str)
    for inst in draft.instalments:
        assert inst.amount is not None and f"{inst.amount:,.2f}" in out
    assert f"{draft.total:,.2f}" in out
