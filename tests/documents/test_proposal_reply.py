"""The reply to a lender's proposal (``proposal_reply``) and a signed agreement's calendar.

Scenarios for each mode of the reply — an affordable, lawful offer accepted with changes; an
unaffordable one countered; one above the lawful balance countered with a reservation; red
flags declined; a private lender; a lawsuit; no proposal in the case; a signed agreement
refused — and property tests: the reply never admits a disputed total and never restates a
personal-account or deposit instruction as the borrower's own.  Then the payment calendar of a
signed agreement, in the JSON report and the action plan (every format and language).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiator.analysis import analyse
from negotiator.analysis.keep import keep_agreement, previous_working_day
from negotiator.api import advise
from negotiator.case.load import load_case
from negotiator.case.models import (
    AccountKind,
    Agreement,
    Case,
    Fee,
    FeeKind,
    FeeTiming,
    Instalment,
    LawsuitStatus,
    LenderType,
    Rate,
    RateUnit,
)
from negotiator.documents.letters import LETTER_KINDS, render_letter
from negotiator.errors import InputError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COURT_NUMBER = "（2026）沪0101民初1234号"
RESERVATION = "本人保留依法主张调减的权利，本函不构成对超出部分的确认"
ADMISSIONS = ("除此之外", "不欠", "本协议不涉及减免", "确认欠款", "本人确认", "本人承认")


def _offer_case(**loan_changes: object) -> Case:
    """proposed_agreement: 21,300 in 10 × 2,130 after a 1,000 waiver, reviving clause."""
    case = load_case(EXAMPLES / "proposed_agreement.toml")
    if loan_changes:
        case = attrs.evolve(case, loans=(attrs.evolve(case.loans[0], **loan_changes),))
    return case


def _agreement(case: Case, **changes: object) -> Case:
    assert case.agreement is not None
    return attrs.evolve(case, agreement=attrs.evolve(case.agreement, **changes))


def _reply(case: Case, lang: str = "zh-Hans", fmt: str = "text") -> str:
    out = render_letter("proposal_reply", case, lang=lang, fmt=fmt)
    assert isinstance(out, str)
    return out


def _private(case: Case) -> Case:
    case = attrs.evolve(
        case,
        loans=(
            attrs.evolve(
                case.loans[0],
                lender_type=LenderType.PRIVATE,
                lender_name="孙某",
                platform=None,
                rate=Rate(Decimal("0.01"), RateUnit.MONTHLY, 360),
                penalty_rate=None,
            ),
        ),
    )
    return _agreement(case, repayment_account=AccountKind.PERSONAL, account_holder="孙某")


def test_reply_is_a_letter_kind() -> None:
    assert "proposal_reply" in LETTER_KINDS


# ---------------------------------------------------------------------------------------------
# Modes
# ---------------------------------------------------------------------------------------------


def test_affordable_lawful_offer_is_accepted_with_the_checks_changes() -> None:
    case = _offer_case()
    text = _reply(case)
    # the lender's own figures, restated from the check
    assert "减免1,000.00元后，合计还款21,300.00元，每月2,130.00元，共10期" in text
    assert "本人同意按该方案的金额和期数还款" in text
    assert "本人提出以下还款方案" not in text  # no counter-offer
    # the changes: the reviving breach clause replaced, the seal, nothing else invented
    assert "本人不能接受" in text and "已减免的款项不予恢复" in text
    assert "请贵司在协议上签字并加盖公章" in text
    assert "请在协议中写明还款渠道" not in text  # the proposal names its channel (the app)
    assert "该方案每期金额在本人每月可向贵司偿还的2,340.00元以内" in text
    # dated on the proposal's day, not before it
    assert text.rstrip().endswith("日期：2026年11月25日")
    en = _reply(case, lang="en")
    assert "I agree to the amounts and the number of instalments" in en
    assert "the waived amounts are not revived" in en


def test_unaffordable_offer_is_countered_with_the_plans_figures() -> None:
    case = _offer_case()
    case = attrs.evolve(case, borrower=attrs.evolve(case.borrower, monthly_income=Decimal(6000)))
    offer = analyse(case).plan.offers[0]
    assert offer.mode == "counter" and offer.offer is not None
    text = _reply(case)
    assert "不能按该方案签署" in text
    assert "超出本人每月可向贵司偿还的" in text
    # the counter-offer is the plan's own whole-yuan offer, on the lender's total
    assert offer.offer.text() in text
    assert f"合计还款{offer.proposal_total:,.2f}元" in text
    assert "合计金额与该方案相同" in text
    rows = re.findall(r"^第(\d+)期\s+(\d{4})年(\d+)月(\d+)日\s+([\d,]+\.\d\d)$", text, re.M)
    assert len(rows) == offer.offer.count
    amounts = [Decimal(r[4].replace(",", "")) for r in rows]
    assert sum(amounts) == offer.proposal_total
    dates = [dt.date(int(r[1]), int(r[2]), int(r[3])) for r in rows]
    assert dates == sorted(dates) and dates[0] > dt.date(2026, 11, 25)
    assert "本人同意按该方案" not in text


def test_offer_above_the_lawful_balance_is_countered_with_a_reservation() -> None:
    case = _offer_case(received=Decimal(22000))  # 砍头息: 8,000 kept back
    a = analyse(case)
    offer = a.plan.offers[0]
    lawful = a.loans[0].ledger.lawful.total.amount
    assert offer.on_table is not None and offer.on_table.above_lawful > 0
    text = _reply(case)
    assert RESERVATION in text
    assert f"估算约{lawful:,.2f}元" in text  # the lawful balance is labelled an estimate
    assert f"高出{offer.on_table.above_lawful:,.2f}元" in text
    assert f"合计还款{lawful:,.2f}元" in text and offer.offer is not None
    assert offer.offer.text() in text
    assert "本人同意按该方案" not in text
    for phrase in ADMISSIONS:
        assert phrase not in text
    en = _reply(case, lang="en")
    assert "this letter does not acknowledge the excess" in en


def test_red_flags_are_declined_never_restated() -> None:
    case = _agreement(
        _offer_case(),
        repayment_account=AccountKind.PERSONAL,
        account_holder="李某",
        deposit_required=Decimal("537"),
        third_party_contact_consent=True,
        excludes_borrower_rights=True,
    )
    text = _reply(case)  # written, not refused
    assert "本人不会向任何个人账户付款" in text
    assert "本人不会支付任何保证金或手续费" in text
    assert "请删除允许联系本人亲友" in text
    assert "排除或限制借款人主要权利" in text
    assert "李某" not in text and "537" not in text
    en = _reply(case, lang="en")
    assert "I will not pay into any personal account" in en
    assert "I will not pay any deposit or fee" in en
    assert "李某" not in en and "537" not in en
    # the letters that restate payment terms are still refused
    with pytest.raises(InputError):
        render_letter("written_confirmation", case)


def test_free_text_routing_payment_to_a_person_is_declined() -> None:
    case = _agreement(_offer_case(), allocation_order="还款请转入微信账号zhang123")
    text = _reply(case)
    assert "通过微信、支付宝等向个人付款" in text
    assert "zhang123" not in text


def test_private_lender_is_repaid_into_his_own_account() -> None:
    text = _reply(_private(_offer_case()))
    for word in ("征信", "App", "公章", "催收", "贷款机构", "贵司"):
        assert word not in text, word
    assert "转入您本人名下的账户" in text
    assert "请您在协议上签字" in text
    assert "逾期利息" in text and "罚息" not in text


def test_private_lenders_third_party_payee_is_declined() -> None:
    case = _agreement(_private(_offer_case()), account_holder="王某某")
    text = _reply(case)
    assert "该方案要求把还款转给您以外的人" in text
    assert "王某某" not in text


def test_lawsuit_reply_cites_the_case_and_proposes_court_mediation() -> None:
    from negotiator.case import models

    case = attrs.evolve(_offer_case(), lawsuit=LawsuitStatus.FILED)
    court = getattr(models, "Court", None)
    if court is not None:
        case = attrs.evolve(case, court=court(case_number=COURT_NUMBER))
    text = _reply(case)
    assert (COURT_NUMBER if court is not None else "【请填写：案号】") in text
    assert "诉讼中调解" in text and "由法院审查确认" in text
    assert "十五日内" not in text
    en = _reply(case, lang="en")
    assert "mediation in the proceedings" in en and "fifteen days" not in en


def test_without_a_proposal_in_the_case_the_reply_has_fill_ins_and_the_plans_offer() -> None:
    case = load_case(EXAMPLES / "multi_lender.toml")
    a = analyse(case)
    text = _reply(case)
    assert text.count("【请填写：对方提出方案的日期】") == len(a.plan.offers)
    for o in a.plan.offers:
        assert o.offer is not None and o.offer.text() in text
    assert "该方案没有写明" not in text  # nothing is said about a proposal not in the case


def test_a_signed_agreement_is_not_answered() -> None:
    case = _agreement(_offer_case(), borrower_signed=True, lender_signed=True)
    with pytest.raises(InputError, match="signed by both sides") as err:
        render_letter("proposal_reply", case)
    assert err.value.path == "agreement"


def test_no_budget_room_means_no_promise() -> None:
    case = _offer_case()
    case = attrs.evolve(case, borrower=attrs.evolve(case.borrower, monthly_income=Decimal(4000)))
    assert analyse(case).plan.offers[0].offer is None
    text = _reply(case)
    assert "无法承诺该方案的任何一期" in text
    assert "本人提出以下还款方案" not in text


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
@pytest.mark.parametrize("lang", ["zh-Hans", "en", "zh-Hant"])
def test_reply_renders_in_every_format(lang: str, fmt: str) -> None:
    out = _reply(_offer_case(), lang=lang, fmt=fmt)
    assert "None" not in out and "{{" not in out
    assert not re.search(r"\b[A-Z]{2,}_[A-Z_]{2,}\b", out)


# ---------------------------------------------------------------------------------------------
# Properties: no admission of a disputed total, no flagged instruction as the borrower's own
# ---------------------------------------------------------------------------------------------

KEEPS_WAIVER = "逾期超过15日未补足的，可要求偿还剩余款项，已减免的款项不予恢复。"
_NEGATIONS = ("不会", "不向", "不应", "删除", "要求把", "要求先", "不付", "不是")


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    private=st.booleans(),
    kept_back=st.sampled_from([0, 3000, 8000]),
    personal=st.booleans(),
    holder=st.sampled_from(["孙某", "赵某某", None]),
    deposit=st.sampled_from([None, Decimal("4321"), Decimal("1288")]),
    clawback=st.booleans(),
    income=st.sampled_from([Decimal(5500), Decimal(7000), Decimal(9000)]),
    unilateral=st.booleans(),
)
def test_reply_never_admits_or_adopts_a_flagged_instruction(
    private: bool,
    kept_back: int,
    personal: bool,
    holder: str | None,
    deposit: Decimal | None,
    clawback: bool,
    income: Decimal,
    unilateral: bool,
) -> None:
    case = _offer_case()
    if unilateral:  # a fee the contract does not contain, charged monthly: FEE_UNILATERAL_CHANGE
        fee = Fee(FeeKind.SERVICE, Decimal(50), FeeTiming.PERIODIC, disclosed=False, periods=12)
        case = attrs.evolve(case, loans=(attrs.evolve(case.loans[0], fees=(fee,)),))
    if private:
        case = _private(case)
    if kept_back:
        loan = case.loans[0]
        case = attrs.evolve(case, loans=(attrs.evolve(loan, received=loan.principal - kept_back),))
    case = attrs.evolve(case, borrower=attrs.evolve(case.borrower, monthly_income=income))
    ag = case.agreement
    assert isinstance(ag, Agreement)
    case = _agreement(
        case,
        repayment_account=AccountKind.PERSONAL if personal else AccountKind.IN_APP,
        account_holder=holder if personal else None,
        deposit_required=deposit,
        breach_clause=ag.breach_clause if clawback else KEEPS_WAIVER,
    )
    text = _reply(case)
    a = analyse(case)
    fee_finding = any(
        f.category == "fee" and f.severity in ("warning", "violation")
        for f in advise(case).findings
    )
    above = a.plan.offers[0].on_table is not None and a.plan.offers[0].on_table.above_lawful > 0
    if unilateral:
        assert fee_finding
    if fee_finding or above or a.loans[0].terms.upfront_deducted > 0:
        for phrase in ADMISSIONS:
            assert phrase not in text, phrase
        assert "保留依法主张调减" in text
    own = private and personal and holder in (None, "孙某")
    if personal and not own and holder is not None:
        assert holder not in text  # a flagged payee is never named as where to pay
    if deposit is not None:
        assert f"{deposit}元" not in text and f"{deposit:,.2f}" not in text
    for sentence in re.split(r"[。\n]", text):
        if "保证金" in sentence or ("个人账户" in sentence and not own):
            assert any(n in sentence for n in _NEGATIONS), sentence
    if clawback:
        assert "乙方有权恢复原合同约定" not in text
        assert "已减免的款项不予恢复" in text


# ---------------------------------------------------------------------------------------------
# A signed agreement: the payment calendar
# ---------------------------------------------------------------------------------------------


def _signed(**changes: object) -> Case:
    dues = [
        dt.date(2026, 9, 30),  # a Wednesday, a working day
        dt.date(2026, 10, 1),  # 国庆节
        dt.date(2026, 12, 26),  # a Saturday
        dt.date(2027, 4, 25),  # a Sunday, in a year the calendar may not know
    ]
    inst = tuple(Instalment(d, Decimal("5325.00")) for d in dues)
    case = _agreement(
        _offer_case(),
        borrower_signed=True,
        lender_signed=True,
        instalments=inst,
        date=dt.date(2026, 9, 1),
        **changes,
    )
    return attrs.evolve(case, as_of=dt.date(2026, 9, 10))


def test_keep_doctests() -> None:
    import doctest

    import negotiator.analysis.keep as keep_module

    result = doctest.testmod(keep_module)
    assert result.attempted > 0 and result.failed == 0


def test_previous_working_day() -> None:
    assert previous_working_day(dt.date(2026, 10, 1)) == dt.date(2026, 9, 30)
    assert previous_working_day(dt.date(2026, 12, 28)) == dt.date(2026, 12, 25)


def test_calendar_marks_rest_days_and_keeps_the_agreements_dates() -> None:
    case = _signed()
    keep = keep_agreement(case, analyse(case).agreement)
    assert keep is not None
    rows = keep.rows
    assert [r.due for r in rows] == [i.due for i in case.agreement.instalments]  # type: ignore[union-attr]
    assert [r.amount for r in rows] == [Decimal("5325.00")] * 4
    assert not rows[0].rest_day and rows[0].pay_by is None
    assert rows[1].rest_day and rows[1].holiday_zh == "国庆节"
    assert rows[1].pay_by == dt.date(2026, 9, 30)
    assert rows[2].rest_day and rows[2].pay_by == dt.date(2026, 12, 25)
    assert rows[3].rest_day and rows[3].pay_by == dt.date(2027, 4, 23)
    assert keep.cure_days == 15 and keep.clawback


def test_calendar_only_for_a_signed_agreement() -> None:
    case = _offer_case()
    assert keep_agreement(case, analyse(case).agreement) is None
    assert advise(case).to_json()["figures"]["keep_agreement"] is None


def test_calendar_in_the_json_report() -> None:
    data = advise(_signed()).to_json()["figures"]["keep_agreement"]
    assert data["loan"] == "L1" and data["total"] == "21300.00"
    assert [r["due"] for r in data["instalments"]] == [
        "2026-09-30",
        "2026-10-01",
        "2026-12-26",
        "2027-04-25",
    ]
    assert [r["amount"] for r in data["instalments"]] == ["5325.00"] * 4
    assert [r["pay_by"] for r in data["instalments"]] == [
        None,
        "2026-09-30",
        "2026-12-25",
        "2027-04-23",
    ]
    assert data["cure_days"] == 15 and data["clawback"] is True


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_calendar_rendered_in_the_plan(fmt: str) -> None:
    out = render_letter("action_plan", _signed(), fmt=fmt)
    assert isinstance(out, str)
    assert "按已签协议还款：还款日历" in out
    for day in ("2026年9月30日", "2026年10月1日", "2026年12月26日", "2027年4月25日"):
        assert day in out
    assert "国庆节，建议2026年9月30日前还" in out
    assert "周六，建议2026年12月25日前还" in out
    assert "如果某一期可能还不上" in out
    assert "在到期日之前就联系" in out and "15日的宽限期" in out
    assert "已减免的1,000.00元重新计入" in out  # the reviving clause, with its risk
    assert "003 §7.2" in out and "000 §三.技巧" in out  # seeds cited as references
    assert "e68842c02961b4e2.txt" in out  # … and named by file in the references


def test_calendar_in_english_and_traditional_chinese() -> None:
    en = render_letter("action_plan", _signed(), lang="en")
    assert isinstance(en, str)
    assert "Keeping to the signed agreement: payment calendar" in en
    assert "National Day; pay by 30 September 2026" in en
    assert "If a payment may slip" in en
    hant = render_letter("action_plan", _signed(), lang="zh-Hant")
    assert isinstance(hant, str)
    assert "還款日曆" in hant and "雙方簽字" in hant


def test_calendar_without_grace_period_or_clawback_private_lender() -> None:
    case = _private(_signed(cure_days=None, breach_clause="逾期的，可要求偿还剩余款项。"))
    out = render_letter("action_plan", case)
    assert isinstance(out, str)
    assert "协议没有约定宽限期" in out
    assert "出借人本人" in out
    assert "重新计入" not in out


def test_unsigned_plan_has_no_calendar() -> None:
    out = render_letter("action_plan", _offer_case())
    assert isinstance(out, str) and "还款日历" not in out


def test_unknown_budget_neither_accepts_nor_invents_a_counter_offer() -> None:
    case = _offer_case()
    case = attrs.evolve(case, borrower=attrs.evolve(case.borrower, monthly_income=None))
    text = _reply(case)
    assert "尚未核算清楚" in text
    assert "本人同意按该方案" not in text
    assert "每月还款【请填写：每月还款金额】" in text


def test_counter_offer_is_the_one_the_plan_advises() -> None:
    """One set of numbers: the plan's offer-on-table advice and the reply state the same offer."""
    case = _offer_case()
    case = attrs.evolve(case, borrower=attrs.evolve(case.borrower, monthly_income=Decimal(6000)))
    advice = [f for f in advise(case).findings if f.rule == "strategy.offer-on-table.counter"]
    assert len(advice) == 1
    text = _reply(case)
    assert str(advice[0].data["offer_zh"]) in text
    assert f"{Decimal(str(advice[0].data['proposal_total'])):,.2f}元" in text


def test_reply_html_escapes_the_lenders_name() -> None:
    case = _offer_case(lender_name="<b>某某</b>消费金融有限公司")
    out = _reply(case, fmt="html")
    assert "<b>某某</b>" not in out and "&lt;b&gt;" in out


def test_the_plan_points_to_the_reply_only_when_an_offer_is_on_the_table() -> None:
    from negotiator.api import advise
    from negotiator.case.load import load_case
    from negotiator.documents.action_plan import render_action_plan

    root = Path(__file__).resolve().parents[2] / "examples"

    def plan(name: str) -> str:
        case = load_case((root / name).read_text("utf-8"))
        return render_action_plan(case, advise(case))

    assert "negotiator letter proposal_reply" in plan("proposed_agreement.toml")
    assert "negotiator letter proposal_reply" not in plan("short_term.toml")
