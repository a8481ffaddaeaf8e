"""The rubric a legal-aid lawyer applies to every letter, over every letter kind × mode.

Modes: private / licensed lender × an offer on the table / none × a lawsuit / none × a cap or
砍头息 finding / none.  Each letter is rendered as plain zh-Hans text (and English for the
checks that are not wording-specific) and checked on the text itself:

* no admission of a disputed total ("除此之外乙方不欠", "本协议不涉及减免") when a cap or 砍头息
  finding exists, and the reservation of rights present;
* estimates stated as estimates (an estimated overdue charge is never printed as charged);
* dates in order (a written confirmation is dated on or after the talk it confirms);
* no raw finding codes, no Python reprs, no "None";
* a private lender gets no 征信, App, 公章 or collection-agency wording and no credit objection;
* a letter in a lawsuit cites the court case, proposes mediation and sets no reply deadline.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import negotiator.case.models as _models
from negotiator.case.load import load_case
from negotiator.case.models import (
    AccountKind,
    Agreement,
    AgreementForm,
    Case,
    ContactChannel,
    Instalment,
    LawsuitStatus,
    LenderType,
    NegotiationEvent,
    NegotiationEventKind,
    Outcome,
    Rate,
    RateUnit,
)
from negotiator.documents.letters import render_letter
from negotiator.errors import InputError

#: The court papers' fields (case number, service date), where the model has them.
COURT = getattr(_models, "Court", None)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
KINDS = (
    "negotiation_request",
    "hardship_statement",
    "agreement_draft",
    "waiver_request",
    "written_confirmation",
    "credit_objection",
    "hold_request",
    "reconsider_request",
    "income_expenditure",
    "proposal_reply",
)
RESERVING = (
    "negotiation_request",
    "waiver_request",
    "written_confirmation",
    "hold_request",
    "reconsider_request",
    "income_expenditure",
    "proposal_reply",
)
#: Letters that state no amount owed at all: they never print the lender's claimed total.
NO_AMOUNT = ("hold_request", "income_expenditure")
ADMISSIONS = ("除此之外乙方不欠", "本协议不涉及减免", "不欠甲方其他款项")
RESERVATION = "保留依法主张调减"
CASE_NUMBER = "（2026）沪0101民初1234号"
RAW_CODE = re.compile(r"\b[A-Z]{2,}_[A-Z_]{2,}\b")
REPR = re.compile(r"\[['\"]|['\"]\]|\bNone\b|Decimal\(|datetime\.")


def _base() -> Case:
    """One overdue loan with a stated claim, penalty and fees (proposed_agreement's loan)."""
    case = load_case(EXAMPLES / "proposed_agreement.toml")
    return attrs.evolve(case, agreement=None)


def _variant(private: bool, offer: bool, lawsuit: bool, cap: bool) -> Case:
    case = _base()
    loan = case.loans[0]
    changes: dict[str, object] = {}
    if private:
        changes.update(
            lender_type=LenderType.PRIVATE,
            lender_name="孙某",
            platform=None,
            rate=Rate(Decimal("0.01"), RateUnit.MONTHLY, 360),
            penalty_rate=None,
        )
    if cap:
        changes["received"] = loan.principal - Decimal("3000")  # 砍头息: 3,000 kept back
    loan = attrs.evolve(loan, **changes)  # type: ignore[arg-type]
    out = attrs.evolve(case, loans=(loan,))
    if lawsuit:
        out = attrs.evolve(out, lawsuit=LawsuitStatus.FILED)
        if COURT is not None:
            papers = COURT(served_on=dt.date(2026, 10, 30), case_number=CASE_NUMBER)
            out = attrs.evolve(out, court=papers)
    if offer:
        instalments = tuple(
            Instalment(dt.date(2026 + (m > 12), (m - 1) % 12 + 1, 25), Decimal("2130.00"))
            for m in range(12, 22)
        )
        out = attrs.evolve(
            out,
            agreement=Agreement(
                form=AgreementForm.E_CONTRACT,
                loan="L1",
                remaining=Decimal("22300.00"),
                waiver_negotiated=True,
                waived=Decimal("1000.00"),
                total=Decimal("21300.00"),
                instalments=instalments,
                breach_clause="任一期逾期超过15日未还的，乙方有权恢复原合同约定并要求一次性清偿剩余款项。",
                cure_days=15,
                repayment_account=AccountKind.PERSONAL if private else AccountKind.IN_APP,
                account_holder="孙某" if private else None,
                date=dt.date(2026, 11, 25),
            ),
        )
    return out


def _refused(case: Case) -> Case:
    """The case with the lender's refusal of a proposal in its history."""
    refusal = NegotiationEvent(
        date=dt.date(2026, 9, 10),
        kind=NegotiationEventKind.BORROWER_OFFER,
        channel=ContactChannel.EMAIL,
        loan="L1",
        counterpart="客服邮箱",
        summary="申请分期12期，每月1800元",
        amount=Decimal("1800"),
        outcome=Outcome.REFUSED,
    )
    return attrs.evolve(case, history=(*case.history, refusal))


MODES = list(itertools.product((False, True), repeat=4))


def _ids(mode: tuple[bool, bool, bool, bool]) -> str:
    names = ("private", "offer", "lawsuit", "cap")
    return "-".join(n if on else f"no_{n}" for n, on in zip(names, mode, strict=True))


def _render(kind: str, case: Case, lang: str = "zh-Hans") -> str | None:
    try:
        out = render_letter(kind, case, lang=lang)
    except InputError:
        return None
    assert isinstance(out, str)
    return out


@pytest.mark.parametrize("mode", MODES, ids=_ids)
@pytest.mark.parametrize("kind", KINDS)
def test_rubric(kind: str, mode: tuple[bool, bool, bool, bool]) -> None:
    private, offer, lawsuit, cap = mode
    case = _variant(*mode)
    if kind == "reconsider_request":
        # refused without a refusal in the history, naming the field
        with pytest.raises(InputError, match=r"^history: .*no refusal"):
            render_letter(kind, case)
        case = _refused(case)
    text = _render(kind, case)
    if kind == "credit_objection" and private:
        assert text is None  # no credit objection to a private lender: refused
        with pytest.raises(InputError, match=r"征信|credit"):
            render_letter(kind, case)
        return
    assert text is not None, f"{kind} refused"
    # no raw codes, reprs or None, in either language
    for out in (text, _render(kind, case, "en") or ""):
        assert not RAW_CODE.search(out), RAW_CODE.search(out)
        assert not REPR.search(out), REPR.search(out)
    if cap:
        for phrase in ADMISSIONS:
            assert phrase not in text, phrase
        if kind in RESERVING:
            assert RESERVATION in text
        if kind == "agreement_draft":
            assert "不构成乙方对" in text
    if private:
        for word in ("征信", "App", "公章", "催收机构", "贷款机构在协议上签字"):
            assert word not in text, word
    if lawsuit and kind in ("negotiation_request", "waiver_request", "proposal_reply", *NO_AMOUNT):
        assert "十五日内" not in text
    if lawsuit and kind in (
        "negotiation_request",
        "reconsider_request",
        "proposal_reply",
        *NO_AMOUNT,
    ):
        assert (CASE_NUMBER if COURT is not None else "【请填写：案号】") in text
        assert "诉讼中调解" in text
    if kind in NO_AMOUNT:
        claimed = case.loans[0].outstanding
        assert claimed is not None and f"{claimed:,.2f}" not in text
        assert "不涉及欠款金额" in text
    if kind == "reconsider_request":
        assert "2026年9月10日" in text and "申请分期12期，每月1800元" in text
        assert "书面说明不同意的具体理由" in text
        if private:
            # a private lender: no senior staff, no regulator
            assert "上级人员复核" not in text and "金融" not in text.split("如仍不能达成一致")[-1]
        else:
            assert "上级人员复核" in text
    if kind == "written_confirmation" and offer:
        # dated on or after the talk it confirms; never the lender's reviving clause
        assert text.rstrip().endswith("日期：2026年11月25日")
        assert "乙方有权恢复原合同约定" not in text
    if kind == "proposal_reply":
        # dated on or after the proposal it answers; the reviving clause is declined, not adopted
        if offer:
            assert text.rstrip().endswith("日期：2026年11月25日")
            assert "本人不能接受" in text and "已减免的款项不予恢复" in text
        else:
            assert "【请填写：对方提出方案的日期】" in text


def test_estimated_overdue_charges_are_labelled_as_estimates() -> None:
    """negotiation_failed has no stated penalty: the overdue charges are estimated."""
    case = load_case(EXAMPLES / "negotiation_failed.toml")
    for kind in ("negotiation_request", "complaint"):
        text = _render(kind, case)
        assert text is not None
        assert "逾期后计收的罚息" not in text  # never "charged"
        assert "估算数" in text
    complaint = _render("complaint", case)
    assert complaint is not None
    assert "超出上限的金额约为" not in complaint  # no estimated excess before a regulator


def test_complaint_states_a_personal_account_demand() -> None:
    case = _variant(private=False, offer=True, lawsuit=False, cap=False)
    ag = attrs.evolve(case.agreement, repayment_account=AccountKind.PERSONAL, account_holder="李某")
    text = _render("complaint", attrs.evolve(case, agreement=ag))
    assert text is not None
    assert "李某名下的个人账户" in text


def test_complaint_conduct_is_worded_not_a_list_repr() -> None:
    text = _render("complaint", load_case(EXAMPLES / "long_term.toml"))
    assert text is not None
    assert "行为：辱骂。" in text


def test_private_lender_is_repaid_into_his_own_account() -> None:
    case = _variant(private=True, offer=True, lawsuit=False, cap=False)
    text = _render("agreement_draft", case)
    assert text is not None
    assert "甲方本人名下的以下银行账户：户名：孙某；" in text


def test_private_lender_is_addressed_by_name_in_english() -> None:
    text = _render("negotiation_request", _variant(True, False, False, False), "en")
    assert text is not None
    assert "Dear 孙某," in text and "Sir or Madam" not in text


def test_traditional_chinese_writes_sign_as_qian_with_the_hand_radical() -> None:
    from negotiator.i18n import to_traditional

    assert to_traditional("单独签协议，为了照着核对，标签") == "單獨簽協議，為了照著核對，標籤"
    text = render_letter("agreement_draft", _variant(False, False, False, False), lang="zh-Hant")
    assert isinstance(text, str)
    assert "簽字" in text and "籤" not in text and "爲" not in text


def test_letter_figures_equal_the_ledgers_lawful_proposal() -> None:
    """multi_lender L3 (private, 砍头息, above 4×LPR): the letters propose the plan's total, which
    stops at the ledger's lawful balance, never the lender's claimed 9,800."""
    from negotiator.api import evaluate
    from negotiator.documents.render import amount_full

    case = load_case(EXAMPLES / "multi_lender.toml")
    offer = next(o for o in evaluate(case).analysis.plan.offers if o.loan_id == "L3")
    assert offer.capped_at_lawful
    total = amount_full(offer.proposal_total)
    assert total is not None
    for kind in ("agreement_draft", "negotiation_request"):
        text = render_letter(kind, case, loan="L3")
        assert isinstance(text, str)
        assert total in text, kind
        assert "尚欠甲方款项合计9,800.00元" not in text
