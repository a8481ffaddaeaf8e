"""Letters: every kind in every language and format, with a full and a minimal case; golden
files; the safety rules (masking, fill-in blanks, no personal-account instructions, complaints
only from facts); user templates in the sandbox; DOCX.

Golden files live in tests/golden/.  After a deliberate change to a letter, regenerate them
(and docs/letters.md) with::

    UPDATE_GOLDEN=1 python -m pytest tests/documents/test_letters.py -q
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from cases import ric

from negotiator.case.load import load_case
from negotiator.case.models import (
    AccountKind,
    Agreement,
    AgreementForm,
    Borrower,
    Case,
    CollectionContact,
    Conduct,
    ContactChannel,
    ContactTarget,
    DocumentKind,
    EmploymentStatus,
    EvidenceKind,
    Fee,
    FeeKind,
    FeeTiming,
    Hardship,
    HardshipKind,
    IncomeStability,
    Instalment,
    LenderType,
    Loan,
    NegotiationEvent,
    NegotiationEventKind,
    Outcome,
    Rate,
    RateUnit,
)
from negotiator.documents.letters import FORMATS, LETTER_KINDS, render_letter
from negotiator.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parents[1] / "golden"
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

DOCUMENT_KINDS = tuple(k for k in LETTER_KINDS if k != "action_plan")
LANGS = ("zh-Hans", "en", "zh-Hant")
TEXT_FORMATS = ("text", "markdown", "html")
AS_OF = dt.date(2026, 11, 20)
PLACEHOLDERS = ("{{", "}}", "{%", "%}", "None", "Undefined", "undefined")


FULL_ID = ric("11010519900307123")  # 110105199003071239
PHONE = "13800001111"


def full_case(**changes: object) -> Case:
    """A consumer-finance loan with every field the letters use, and a complaint to make."""
    borrower = Borrower(
        name="王晓明",
        id_number=FULL_ID,
        phone=PHONE,
        address="北京市朝阳区某某路1号院2号楼301室",
        email="wxm@example.com",
        monthly_income=Decimal("6000"),
        income_stability=IncomeStability.STABLE,
        essential_expenses=Decimal("3500"),
        other_debt_payments=Decimal("500"),
        dependents=1,
        savings=Decimal("3000"),
        employment=EmploymentStatus.EMPLOYED,
        hardships=(
            Hardship(
                kind=HardshipKind.ILLNESS,
                since=dt.date(2026, 6, 1),
                expected_end=dt.date(2027, 3, 1),
                evidence=(EvidenceKind.MEDICAL_RECORDS,),
                description="住院手术后休养三个月，期间只领基本工资",
            ),
        ),
        documents=(
            DocumentKind.LOAN_CONTRACT,
            DocumentKind.REPAYMENT_RECORDS,
            DocumentKind.STATEMENT,
            DocumentKind.INCOME_PROOF,
            DocumentKind.COMMUNICATION_RECORDS,
        ),
    )
    loan = Loan(
        id="L1",
        lender_name="某某消费金融股份有限公司",
        lender_type=LenderType.CONSUMER_FINANCE,
        platform="某某分期App",
        principal=Decimal("24000"),
        contract_no="XF2025110800123",
        contract_date=dt.date(2025, 11, 8),
        received=Decimal("24000"),
        rate=Rate(Decimal("0.18"), RateUnit.ANNUAL, 360),
        interest_agreed=True,
        term_months=12,
        repaid=Decimal("12000"),
        outstanding=Decimal("13500.00"),
        outstanding_principal=Decimal("12600.00"),
        outstanding_interest=Decimal("300.00"),
        overdue_since=dt.date(2026, 7, 8),
        penalty_rate=Rate(Decimal("0.0005"), RateUnit.DAILY, 360),
        penalty_interest=Decimal("400.00"),
        late_fees=Decimal("200.00"),
        fees=(
            Fee(
                kind=FeeKind.SERVICE,
                amount=Decimal("50"),
                charged=FeeTiming.PERIODIC,
                periods=12,
                disclosed=False,
            ),
        ),
        collection_contacts=(
            CollectionContact(
                at=dt.datetime(2026, 9, 2, 23, 10),
                channel=ContactChannel.PHONE,
                collector="某某催收公司",
                summary="深夜来电要求当天还清",
                evidence=True,
            ),
            CollectionContact(
                at=dt.datetime(2026, 9, 5, 10, 0),
                channel=ContactChannel.PHONE,
                target=ContactTarget.EMPLOYER,
                collector="某某催收公司",
                conduct=(Conduct.DISCLOSED_DEBT,),
                summary="打电话到单位人事部门说我欠钱不还",
                evidence=True,
            ),
        ),
    )
    history = (
        NegotiationEvent(
            date=dt.date(2026, 8, 1),
            kind=NegotiationEventKind.CONTACT,
            channel=ContactChannel.PHONE,
            loan="L1",
            counterpart="官方客服热线",
            summary="说明生病住院的情况，客服让提交书面申请",
        ),
    )
    case = Case(borrower=borrower, loans=(loan,), history=history, as_of=AS_OF)
    return attrs.evolve(case, **changes) if changes else case


def minimal_case() -> Case:
    """Only what a case must hold: one loan's lender, type and principal."""
    return Case(
        borrower=Borrower(),
        loans=(
            Loan(
                lender_name="某某小额贷款有限公司",
                lender_type=LenderType.MICROLOAN,
                principal=Decimal("5000"),
            ),
        ),
        as_of=AS_OF,
    )


def refused(case: Case) -> Case:
    """``case`` with a refused proposal to each lender in its history: what a request to
    reconsider answers."""
    events = tuple(
        NegotiationEvent(
            date=dt.date(2026, 9, 10),
            kind=NegotiationEventKind.BORROWER_OFFER,
            channel=ContactChannel.EMAIL,
            loan=loan_id,
            counterpart="客服邮箱",
            summary="申请分期12期，每月1000元",
            amount=Decimal("1000"),
            outcome=Outcome.REFUSED,
        )
        for loan_id in case.loan_ids()
    )
    return attrs.evolve(case, history=(*case.history, *events))


def for_kind(kind: str, case: Case) -> Case:
    """The case a letter of ``kind`` is written from: a request to reconsider needs a refusal."""
    return refused(case) if kind == "reconsider_request" else case


def no_placeholder(text: str) -> None:
    for token in PLACEHOLDERS:
        assert token not in text, f"unrendered placeholder {token!r} in the letter"


# ---------------------------------------------------------------------------------------------
# Every template × language × format
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_every_kind_renders_for_a_full_case(kind: str, lang: str, fmt: str) -> None:
    out = render_letter(kind, for_kind(kind, full_case()), lang=lang, fmt=fmt)
    assert isinstance(out, str) and len(out) > 200
    no_placeholder(out)
    if kind != "agreement_draft":
        assert FULL_ID not in out
    if fmt == "html":
        assert out.lstrip().startswith(("<!DOCTYPE html>", "<!doctype html>"))
        assert "@page" in out and "A4" in out
    if lang == "zh-Hant" and kind != "action_plan":
        assert any(ch in out for ch in "們說還權議應條請協與貸證據記錄"), "not converted"


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
def test_every_kind_renders_for_a_minimal_case(kind: str, lang: str, fmt: str) -> None:
    if kind == "complaint":
        with pytest.raises(InputError, match=r"no fee or collection problem"):
            render_letter(kind, minimal_case(), lang=lang, fmt=fmt)
        return
    if kind == "reconsider_request":
        with pytest.raises(InputError, match=r"^history: .*no refusal"):
            render_letter(kind, minimal_case(), lang=lang, fmt=fmt)
    out = render_letter(kind, for_kind(kind, minimal_case()), lang=lang, fmt=fmt)
    assert isinstance(out, str)
    no_placeholder(out)
    marker = "[fill in:" if lang == "en" else ("【請填寫：" if lang == "zh-Hant" else "【请填写：")
    assert marker in out, "a minimal case must show what to fill in by hand"


def test_the_example_cases_exist() -> None:
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_kind_renders_for_the_examples(example: Path) -> None:
    case = load_case(example)
    for kind in LETTER_KINDS:
        for fmt in TEXT_FORMATS:
            try:
                out = render_letter(kind, case, fmt=fmt)
            except InputError as exc:
                # only a complaint may be refused, for want of facts or a regulator, and a
                # request to reconsider, for want of a recorded refusal
                assert kind in ("complaint", "reconsider_request"), f"{kind}: {exc}"
                assert exc.path == ("complaint" if kind == "complaint" else "history")
                continue
            assert isinstance(out, str)
            no_placeholder(out)
            if kind != "agreement_draft" and case.borrower.id_number:
                assert case.borrower.id_number not in out


def test_minimal_case_marks_each_missing_fact() -> None:
    zh = render_letter("negotiation_request", minimal_case())
    assert "【请填写：借款合同编号】" in zh
    assert "【请填写：通讯地址】" in zh
    assert "借款日期：【请填写：借款日期】" in zh
    en = render_letter("negotiation_request", minimal_case(), lang="en")
    assert "[fill in: Contract number]" in en
    html = render_letter("negotiation_request", minimal_case(), fmt="html")
    assert '<span class="fill">【请填写：借款合同编号】</span>' in html


def test_unknown_kind_language_and_format_are_input_errors() -> None:
    with pytest.raises(InputError, match="unknown letter kind"):
        render_letter("love_letter", full_case())
    with pytest.raises(InputError, match="lang: must be one of"):
        render_letter("negotiation_request", full_case(), lang="fr")
    with pytest.raises(InputError, match="--format"):
        render_letter("negotiation_request", full_case(), fmt="odt")
    assert set(FORMATS) == {"text", "markdown", "html", "docx", "pdf"}


# ---------------------------------------------------------------------------------------------
# Golden files (zh-Hans text)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "negotiation_request",
        "agreement_draft",
        "complaint",
        "hold_request",
        "reconsider_request",
        "income_expenditure",
    ],
)
def test_golden(kind: str) -> None:
    out = render_letter(kind, for_kind(kind, full_case()))
    assert isinstance(out, str)
    path = GOLDEN / f"{kind}.zh-Hans.txt"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"missing golden file {path.name}: run with UPDATE_GOLDEN=1"
    assert out == path.read_text(encoding="utf-8"), (
        f"{kind} changed; if intended, regenerate with UPDATE_GOLDEN=1"
    )


def reply_cases() -> dict[str, Case]:
    """The reply to a proposal in its two modes: accepted with changes, and countered."""
    offered = load_case(ROOT / "examples" / "proposed_agreement.toml")
    tight = attrs.evolve(
        offered, borrower=attrs.evolve(offered.borrower, monthly_income=Decimal("6000"))
    )
    return {"accept": offered, "counter": tight}


@pytest.mark.parametrize("mode", ["accept", "counter"])
def test_golden_reply(mode: str) -> None:
    out = render_letter("proposal_reply", reply_cases()[mode])
    assert isinstance(out, str)
    path = GOLDEN / f"proposal_reply.{mode}.zh-Hans.txt"
    if UPDATE:
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"missing golden file {path.name}: run with UPDATE_GOLDEN=1"
    assert out == path.read_text(encoding="utf-8"), (
        f"proposal_reply ({mode}) changed; if intended, regenerate with UPDATE_GOLDEN=1"
    )


# ---------------------------------------------------------------------------------------------
# Content: what each letter says, and never says
# ---------------------------------------------------------------------------------------------


def test_negotiation_request_states_the_plan_numbers() -> None:
    from negotiator.analysis import analyse

    case = full_case()
    a = analyse(case)
    out = render_letter("negotiation_request", case)
    assert isinstance(out, str)
    offer = a.plan.offers[0]
    # 13,500 claimed − 400 penalty interest − 200 late fees = 12,900 after the waiver
    assert (
        "减免已经产生的罚息400.00元、违约金、滞纳金200.00元，合计600.00元（人民币陆佰元整）" in out
    )
    assert "剩余欠款12,900.00元（人民币壹万贰仟玖佰元整）" in out
    assert f"{offer.share.monthly:,.2f}" in out or "每期" in out
    schedule = re.findall(r"^第(\d+)期\s+\S+\s+([\d,]+\.\d\d)$", out, flags=re.M)
    assert schedule, "the schedule table is printed"
    amounts = [Decimal(a.replace(",", "")) for _, a in schedule]
    assert sum(amounts) == Decimal("12900.00")
    assert max(amounts) <= offer.share.monthly
    assert "个人账户" in out and "不向任何个人账户转账" in out


def test_hardship_statement_lists_proof_for_each_hardship() -> None:
    out = render_letter("hardship_statement", full_case())
    assert isinstance(out, str)
    assert "病历或诊断证明" in out and "随本说明附上" in out
    assert "医疗费用票据" in out and "尚待补充" in out  # illness also needs the bills
    assert "住院手术后休养三个月" in out


def test_letters_state_no_hardship_the_case_does_not_hold() -> None:
    case = full_case(borrower=attrs.evolve(full_case().borrower, hardships=()))
    out = render_letter("negotiation_request", case)
    assert isinstance(out, str)
    for word in ("疾病", "失业", "家庭变故", "住院"):
        assert word not in out
    assert "【请填写：未能按期还款的原因】" in out


def test_waiver_request_cites_the_fee_findings() -> None:
    out = render_letter("waiver_request", full_case())
    assert isinstance(out, str)
    assert "罚息" in out and "400.00" in out and "合计" in out
    assert "不在借款合同约定的收费之内" in out  # the service fee the contract does not list
    assert "依据：" in out


def test_written_confirmation_restates_the_agreed_terms_and_asks_for_the_rest() -> None:
    agreement = Agreement(
        form=AgreementForm.PHONE_ONLY,
        loan="L1",
        total=Decimal("12900.00"),
        waiver_negotiated=True,
        instalments=(Instalment(dt.date(2026, 12, 20), Decimal("1075.00")),),
        repayment_account=AccountKind.IN_APP,
    )
    history = (
        NegotiationEvent(
            date=dt.date(2026, 11, 18),
            kind=NegotiationEventKind.AGREEMENT,
            channel=ContactChannel.PHONE,
            loan="L1",
            counterpart="客服工号1024",
            summary="同意分12期，每期1075元，减免罚息和违约金",
        ),
    )
    out = render_letter("written_confirmation", full_case(agreement=agreement, history=history))
    assert isinstance(out, str)
    assert "2026年11月18日通过电话" in out and "客服工号1024" in out
    assert "应还总额：12,900.00元（人民币壹万贰仟玖佰元整）" in out
    assert "减免金额：（请贵司写明）" in out
    assert "请写明减免的项目和金额。" in out  # the agreement check's request, worded
    assert "请列明每一期的还款日期和金额。" not in out  # the schedule is there


def test_agreement_draft_prints_the_full_id_and_every_element() -> None:
    out = render_letter("agreement_draft", full_case())
    assert isinstance(out, str)
    assert FULL_ID in out
    for part in (
        "甲方（贷款人）",
        "乙方（借款人）",
        "XF2025110800123",
        "第一条　欠款确认",
        "第二条　减免",
        "第三条　还款计划",
        "年化利率",
        "第四条　还款方式",
        "对公账户",
        "第五条　款项冲抵顺序",
        "第七条　逾期与补救",
        "15日内补足",
        "第八条　征信报送",
        "甲方（盖章）",
        "乙方（签字并按手印）",
    ):
        assert part in out, part


def test_agreement_draft_keeps_the_cases_own_affordable_schedule() -> None:
    case = full_case()
    instalments = tuple(Instalment(dt.date(2027, m, 15), Decimal("1075.00")) for m in range(1, 13))
    own = Agreement(
        form=AgreementForm.E_CONTRACT,
        loan="L1",
        remaining=Decimal("13500.00"),
        waived=Decimal("600.00"),
        waiver_negotiated=True,
        total=Decimal("12900.00"),
        instalments=instalments,
        date=dt.date(2026, 12, 1),
        repayment_account=AccountKind.IN_APP,
    )
    out = render_letter("agreement_draft", attrs.evolve(case, agreement=own))
    assert isinstance(out, str)
    assert out.count("1,075.00") == 12
    assert "2027年1月15日" in out and "官方App" in out


@pytest.mark.parametrize("kind", ["agreement_draft", "written_confirmation"])
def test_personal_account_is_refused(kind: str) -> None:
    bad = Agreement(
        form=AgreementForm.CHAT,
        loan="L1",
        repayment_account=AccountKind.PERSONAL,
        account_holder="张三",
    )
    with pytest.raises(InputError, match="personal account") as err:
        render_letter(kind, full_case(agreement=bad))
    assert err.value.path == "agreement.repayment_account"
    assert "张三" not in str(err.value)


def test_deposit_before_waiver_is_refused() -> None:
    bad = Agreement(form=AgreementForm.CHAT, loan="L1", deposit_required=Decimal("500"))
    with pytest.raises(InputError, match="deposit"):
        render_letter("written_confirmation", full_case(agreement=bad))


def test_a_letter_that_does_not_restate_payment_terms_still_renders_and_warns() -> None:
    bad = Agreement(form=AgreementForm.CHAT, loan="L1", repayment_account=AccountKind.PERSONAL)
    out = render_letter("negotiation_request", full_case(agreement=bad))
    assert isinstance(out, str) and "不向任何个人账户转账" in out


# ---------------------------------------------------------------------------------------------
# Complaints: the right channel, facts only, in date order
# ---------------------------------------------------------------------------------------------


def _loan(case: Case, **changes: object) -> Case:
    return attrs.evolve(case, loans=(attrs.evolve(case.loans[0], **changes),))


def test_complaint_goes_to_nfra_for_a_consumer_finance_company() -> None:
    out = render_letter("complaint", full_case())
    assert isinstance(out, str)
    assert "致：国家金融监督管理总局【请填写：省、市】监管局" in out
    # the other channels are listed in the action plan, not in the letter to one regulator
    assert "中国互联网金融协会" not in out


def test_complaint_goes_to_the_local_regulator_for_a_microloan_company() -> None:
    out = render_letter("complaint", _loan(full_case(), lender_type=LenderType.MICROLOAN))
    assert isinstance(out, str)
    assert "致：【请填写：省、市】地方金融管理局" in out
    assert "12363" not in out  # the central bank's line is for credit-record matters


def test_complaint_about_an_unknown_lender_goes_to_the_local_regulator() -> None:
    out = render_letter("complaint", _loan(full_case(), lender_type=LenderType.OTHER))
    assert isinstance(out, str)
    assert "致：【请填写：省、市】地方金融管理局" in out
    assert "致：中国人民银行" not in out


def test_complaint_about_threats_goes_to_the_police() -> None:
    case = full_case()
    threat = CollectionContact(
        at=dt.datetime(2026, 9, 8, 14, 0),
        channel=ContactChannel.VISIT,
        collector="某某催收公司",
        conduct=(Conduct.THREAT,),
        summary="上门说不还钱就让我好看",
        evidence=True,
    )
    case = _loan(case, collection_contacts=(*case.loans[0].collection_contacts, threat))
    out = render_letter("complaint", case)
    assert isinstance(out, str)
    assert out.startswith("报案材料")
    assert "公安局（派出所）" in out and "110" in out
    assert "国家金融监督管理总局" in out  # named among the other channels


def test_complaint_states_the_facts_in_date_order_and_nothing_else() -> None:
    out = render_letter("complaint", full_case())
    assert isinstance(out, str)
    facts = out.split("事实经过")[1].split("投诉理由")[0]
    dates = [
        dt.date(int(y), int(m), int(d))
        for y, m, d in re.findall(r"^\d+\. 自?(\d{4})年(\d+)月(\d+)日", facts, flags=re.M)
    ]
    assert dates == sorted(dates) and len(dates) == 5  # contract, overdue, call, call, contact
    assert "深夜来电要求当天还清" in out and "打电话到单位人事部门" in out
    for word in ("威胁", "暴力", "恐吓", "辱骂"):
        assert word not in facts, "no conduct the case does not record"


def test_complaint_without_facts_is_refused() -> None:
    quiet = _loan(full_case(), collection_contacts=(), fees=(), received=Decimal("24000"))
    with pytest.raises(InputError, match="no fee or collection problem"):
        render_letter("complaint", attrs.evolve(quiet, history=()), loan="L1")


def test_complaint_about_a_private_lender_is_refused_with_the_reason() -> None:
    case = _loan(full_case(), lender_type=LenderType.PRIVATE)
    with pytest.raises(InputError, match="no financial regulator"):
        render_letter("complaint", case)


# ---------------------------------------------------------------------------------------------
# Masking, escaping, languages
# ---------------------------------------------------------------------------------------------


def test_phone_in_full_only_in_the_senders_own_contact_line() -> None:
    out = render_letter("negotiation_request", full_case())
    assert isinstance(out, str)
    assert out.count(PHONE) == 1 and f"联系电话：{PHONE}" in out
    log = render_letter("negotiation_log", full_case())
    assert isinstance(log, str) and PHONE not in log


def test_id_is_masked_outside_the_agreement_draft() -> None:
    masked = FULL_ID[:4] + "*" * 10 + FULL_ID[-4:]
    for kind in DOCUMENT_KINDS:
        if kind in ("agreement_draft", "negotiation_log"):
            continue
        out = render_letter(kind, for_kind(kind, full_case()))
        assert isinstance(out, str)
        assert FULL_ID not in out
        assert masked in out, kind


def test_html_escapes_a_hostile_name() -> None:
    evil = "<script>alert(1)</script>"
    case = full_case(borrower=attrs.evolve(full_case().borrower, name=evil))
    for kind in DOCUMENT_KINDS:
        out = render_letter(kind, for_kind(kind, case), fmt="html")
        assert isinstance(out, str)
        assert "<script>" not in out, kind
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out, kind
    md = render_letter("negotiation_request", case, fmt="markdown")
    assert isinstance(md, str) and "<script>" not in md and r"\<script\>" in md


def test_markdown_escapes_table_breaking_text() -> None:
    case = full_case(
        history=(
            NegotiationEvent(
                date=dt.date(2026, 8, 1),
                kind=NegotiationEventKind.CONTACT,
                summary="对方说 | 必须 *马上* 还",
            ),
        )
    )
    md = render_letter("negotiation_log", case, fmt="markdown")
    assert isinstance(md, str)
    row = next(line for line in md.splitlines() if "必须" in line)
    assert r"\|" in row and r"\*马上\*" in row


def test_traditional_chinese_is_converted_from_simplified() -> None:
    out = render_letter("negotiation_request", full_case(), lang="zh-Hant")
    assert isinstance(out, str)
    assert out.startswith("協商還款申請書")
    assert "人民幣壹萬貳仟玖佰元整" in out


def test_english_letter_keeps_the_chinese_capitals_beside_the_figures() -> None:
    out = render_letter("negotiation_request", full_case(), lang="en")
    assert isinstance(out, str)
    assert "CNY 12,900.00 (人民币壹万贰仟玖佰元整)" in out
    assert "20 November 2026" in out


# ---------------------------------------------------------------------------------------------
# Several loans
# ---------------------------------------------------------------------------------------------


def two_loans() -> Case:
    case = full_case()
    second = Loan(
        id="L2",
        lender_name="某某银行股份有限公司",
        lender_type=LenderType.BANK,
        principal=Decimal("10000"),
        contract_no="YH2026010100001",
        outstanding=Decimal("6000.00"),
        repaid=Decimal("5000"),
        overdue_since=dt.date(2026, 9, 1),
    )
    return attrs.evolve(case, loans=(case.loans[0], second))


def test_one_letter_per_lender_unless_one_loan_is_chosen() -> None:
    both = render_letter("negotiation_request", two_loans())
    assert isinstance(both, str)
    assert both.count("协商还款申请书") == 2 and "\f" in both
    assert "某某银行股份有限公司" in both and "某某消费金融股份有限公司" in both
    one = render_letter("negotiation_request", two_loans(), loan="L2")
    assert isinstance(one, str)
    assert one.count("协商还款申请书") == 1 and "致：某某银行股份有限公司" in one
    assert "按各笔欠款金额的比例分配" in one
    html = render_letter("negotiation_request", two_loans(), fmt="html")
    assert isinstance(html, str) and html.count('<article class="letter negotiation_request">') == 2
    with pytest.raises(InputError, match="no loan 'L9'"):
        render_letter("negotiation_request", two_loans(), loan="L9")


def test_negotiation_log_covers_every_loan_in_date_order() -> None:
    case = two_loans()
    case = attrs.evolve(
        case,
        history=(
            *case.history,
            NegotiationEvent(
                date=dt.date(2026, 9, 3),
                kind=NegotiationEventKind.BORROWER_OFFER,
                loan="L2",
                channel=ContactChannel.EMAIL,
                summary="申请分期",
                amount=Decimal("500"),
                outcome=Outcome.NO_REPLY,
            ),
        ),
    )
    out = render_letter("negotiation_log", case, fmt="markdown")
    assert isinstance(out, str)
    order = [out.index(s) for s in ("说明生病住院", "深夜来电", "申请分期", "打电话到单位")]
    assert order == sorted(order)
    assert "未回复" in out and "500.00" in out


# ---------------------------------------------------------------------------------------------
# User templates (sandboxed)
# ---------------------------------------------------------------------------------------------


def test_user_template_overrides_and_falls_back(tmp_path: Path) -> None:
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "negotiation_request.zh-Hans.j2").write_text(
        "{% import 'base/' ~ fmt ~ '.j2' as f with context %}"
        "{{ f.title('我的申请') }}{{ sender.name }}：{{ proposal.to_repay|amount_full }}\n",
        encoding="utf-8",
    )
    out = render_letter("negotiation_request", full_case(), templates=tmp_path)
    assert out == "我的申请\n\n王晓明：12,900.00元（人民币壹万贰仟玖佰元整）\n"
    other = render_letter("hardship_statement", full_case(), templates=tmp_path)
    assert isinstance(other, str) and other.startswith("困难情况说明")


def test_user_template_runs_in_the_sandbox(tmp_path: Path) -> None:
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "negotiation_request.zh-Hans.j2").write_text(
        "{{ sender.__class__.__init__.__globals__ }}", encoding="utf-8"
    )
    with pytest.raises(InputError, match="--templates"):
        render_letter("negotiation_request", full_case(), templates=tmp_path)


def test_user_template_printing_a_missing_value_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "negotiation_request.zh-Hans.j2").write_text(
        "{{ loan.platform }}", encoding="utf-8"
    )
    case = _loan(full_case(), platform=None)
    with pytest.raises(InputError, match="missing value"):
        render_letter("negotiation_request", case, templates=tmp_path)
    with pytest.raises(InputError, match="no such folder"):
        render_letter("negotiation_request", case, templates=tmp_path / "nope")


# ---------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_docx_is_a_word_document_with_the_letter(kind: str) -> None:
    import docx

    data = render_letter(kind, for_kind(kind, two_loans()), fmt="docx")
    assert isinstance(data, bytes) and zipfile.is_zipfile(io.BytesIO(data))
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert ("行动计划" if kind == "action_plan" else "王晓明") in text + cells
    assert abs(document.sections[0].page_width.mm - 210) < 1  # A4
    if kind in ("negotiation_request", "agreement_draft"):
        assert "【请填写：" in text + cells
        breaks = sum(
            1 for p in document.paragraphs for r in p.runs if 'w:br w:type="page"' in r._r.xml
        )
        assert breaks == 1  # two lenders, two letters, one page break


def test_docx_without_python_docx_asks_for_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(InputError, match=r"negotiator\[docx\]"):
        render_letter("negotiation_request", full_case(), fmt="docx")


# ---------------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------------


def _case_file(tmp_path: Path) -> Path:
    import json

    from negotiator.case.load import unstructure

    path = tmp_path / "case.json"
    path.write_text(json.dumps(unstructure(full_case()), ensure_ascii=False), encoding="utf-8")
    return path


def test_cli_writes_letters_atomically(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from negotiator.cli import main

    case = _case_file(tmp_path)
    out = tmp_path / "request.md"
    assert (
        main(["letter", "negotiation_request", str(case), "--format", "markdown", "-o", str(out)])
        == 0
    )
    assert out.read_text(encoding="utf-8").startswith("# 协商还款申请书")
    assert main(["letter", "agreement_draft", str(case), "--format", "docx"]) == 2
    assert "-o" in capsys.readouterr().err
    target = tmp_path / "draft.docx"
    assert (
        main(["letter", "agreement_draft", str(case), "--format", "docx", "-o", str(target)]) == 0
    )
    assert zipfile.is_zipfile(target)
    assert not list(tmp_path.glob(".*.part"))


# ---------------------------------------------------------------------------------------------
# The check report (negotiator check)
# ---------------------------------------------------------------------------------------------


def test_check_report_groups_by_severity_and_lists_requests_and_counter_proposal() -> None:
    from negotiator.api import check
    from negotiator.documents.check_report import report_text

    tight = Agreement(
        form=AgreementForm.CHAT,
        loan="L1",
        remaining=Decimal("13500.00"),
        waived=Decimal("600.00"),
        waiver_negotiated=True,
        total=Decimal("12900.00"),
        instalments=(
            Instalment(dt.date(2026, 12, 20), Decimal("6450.00")),
            Instalment(dt.date(2027, 1, 20), Decimal("6450.00")),
        ),
        repayment_account=AccountKind.IN_APP,
        date=dt.date(2026, 11, 25),
    )
    text = report_text(check(full_case(agreement=tight)))
    warnings = text.index("== 需要注意")
    assert text.index("- 协议没有落到书面: ") > warnings
    assert text.index("- 按您的收支还不起: ") > warnings
    assert "AGREEMENT_" not in text  # no raw codes in what a person reads
    assert "依据: " in text
    requests = text.split("== 请要求对方补充或修改")[1]
    assert "请把商定的全部条款以书面形式" in requests
    counter = text.split("== 按您的预算可以提出的分期方案")[1]
    rows = re.findall(r"^\d+\s+\S+\s+([\d,]+\.\d\d)$", counter, flags=re.M)
    assert rows and sum(Decimal(r.replace(",", "")) for r in rows) == Decimal("12900.00")
    assert FULL_ID not in text and PHONE not in text
    en = report_text(check(full_case(agreement=tight), lang="en"))
    assert "== Ask the lender to add or change" in en and "== A schedule your budget allows" in en


# ---------------------------------------------------------------------------------------------
# docs/letters.md: one rendering of each letter from the example case
# ---------------------------------------------------------------------------------------------

DOCS = ROOT / "docs" / "letters.md"
BEGIN = "<!-- BEGIN GENERATED: tests/documents/test_letters.py::test_docs_examples -->"
END = "<!-- END GENERATED -->"


def docs_case() -> Case:
    case = full_case()
    agreed = NegotiationEvent(
        date=dt.date(2026, 11, 18),
        kind=NegotiationEventKind.AGREEMENT,
        channel=ContactChannel.PHONE,
        loan="L1",
        counterpart="客服工号1024",
        summary="同意减免罚息和违约金，余款分8期，每月20日还款",
        outcome=Outcome.ACCEPTED,
    )
    return attrs.evolve(case, history=(*case.history, agreed))


def docs_examples() -> str:
    case = docs_case()
    parts = []
    for kind in DOCUMENT_KINDS:
        out = render_letter(kind, for_kind(kind, case))
        assert isinstance(out, str)
        parts.append(f"### `{kind}`\n\n```text\n{out.replace(chr(12), '')}```\n")
    for mode, case in reply_cases().items():
        out = render_letter("proposal_reply", case)
        assert isinstance(out, str)
        parts.append(
            f"### `proposal_reply` ({mode}; examples/proposed_agreement.toml)\n\n"
            f"```text\n{out.replace(chr(12), '')}```\n"
        )
    return "\n".join(parts)


def test_docs_examples() -> None:
    import json

    from negotiator.case.load import unstructure

    generated = docs_examples()
    text = DOCS.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    if UPDATE:
        DOCS.write_text(f"{head}{BEGIN}\n\n{generated}\n{END}{tail}", encoding="utf-8")
        (GOLDEN / "example_case.json").write_text(
            json.dumps(unstructure(docs_case()), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
        text = DOCS.read_text(encoding="utf-8")
    assert f"{BEGIN}\n\n{generated}\n{END}" in text, (
        "docs/letters.md is out of date: regenerate with UPDATE_GOLDEN=1"
    )
    saved = load_case((GOLDEN / "example_case.json").read_bytes())
    assert saved == docs_case()
