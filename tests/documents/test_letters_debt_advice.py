"""The letters the best debt-advice services send: a hold request (暂缓催收申请), a request to
reconsider after a refusal (请求重新考虑), and an income and expenditure statement (收支说明).

Scenario tests (each letter fires and is refused where it should be, in each mode) and the
statement's invariants over generated budgets: an unknown figure is never shown as 0, and the
totals add up.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from importlib import resources

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_letters import AS_OF, full_case, refused, two_loans

from negotiator.analysis import analyse
from negotiator.basis.params import load_parameters, parse_parameters
from negotiator.case.models import (
    Borrower,
    Case,
    CollectionContact,
    Conduct,
    ContactChannel,
    ExpectedIncome,
    LawsuitStatus,
    LenderType,
    Loan,
    NegotiationEvent,
    NegotiationEventKind,
    Outcome,
)
from negotiator.documents.hold import hold_view
from negotiator.documents.income_expenditure import BASES, income_expenditure
from negotiator.documents.letters import render_letter
from negotiator.documents.render import amount_full
from negotiator.errors import InputError

AMOUNT = re.compile(r"\d[\d,]*\.\d\d元")


def _text(kind: str, case: Case, **kw: object) -> str:
    out = render_letter(kind, case, **kw)  # type: ignore[arg-type]
    assert isinstance(out, str)
    return out


def _loan(case: Case, **changes: object) -> Case:
    return attrs.evolve(case, loans=(attrs.evolve(case.loans[0], **changes), *case.loans[1:]))


def _borrower(case: Case, **changes: object) -> Case:
    return attrs.evolve(case, borrower=attrs.evolve(case.borrower, **changes))


def _private(case: Case) -> Case:
    return _loan(case, lender_type=LenderType.PRIVATE, lender_name="孙某", platform=None)


def _sued(case: Case) -> Case:
    from negotiator.case.models import Court

    return attrs.evolve(
        case,
        lawsuit=LawsuitStatus.FILED,
        court=Court(served_on=dt.date(2026, 10, 30), case_number="（2026）沪0101民初1234号"),
    )


# ---------------------------------------------------------------------------------------------
# 暂缓催收申请
# ---------------------------------------------------------------------------------------------


def test_hold_request_asks_for_the_parameters_pause_and_dates_the_proposal() -> None:
    days = load_parameters().integer("hold_request_days")
    assert days == 30
    text = _text("hold_request", full_case())
    until = AS_OF + dt.timedelta(days=days)
    assert f"自2026年11月20日起{days}日内（至2026年12月20日止）" in text
    assert until == dt.date(2026, 12, 20)
    assert "本人将于2026年12月20日前，向贵司书面提交收支说明和还款方案" in text
    assert "暂停计收罚息、违约金及其他各项费用" in text
    # a request, stating no amount: nothing is admitted
    assert not AMOUNT.search(text)
    assert "不涉及欠款金额" in text and "恳请" in text
    assert "权利" not in text.split("六、其他说明")[0]  # the pause is asked for, not claimed


def test_hold_request_length_follows_the_parameter() -> None:
    text = (resources.files("negotiator.rules") / "parameters.toml").read_text(encoding="utf-8")
    changed = parse_parameters(
        text.replace(
            "[param.hold_request_days]\nvalue = 30", "[param.hold_request_days]\nvalue = 45"
        )
    )
    case = full_case()
    view = hold_view(case, analyse(case, params=changed), "L1", AS_OF)
    assert view.days == 45 and view.until == dt.date(2027, 1, 4) == view.proposal_by


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "电子邮箱：wxm@example.com"),
        ({"email": None}, "邮寄地址：北京市朝阳区某某路1号院2号楼301室"),
        ({"email": None, "address": None}, "电话（请在工作日白天联系，或先发短信）：13800001111"),
        ({"email": None, "address": None, "phone": None}, "联系方式：【请填写：联系方式】"),
    ],
)
def test_hold_request_names_one_channel_written_first(
    changes: dict[str, object], expected: str
) -> None:
    text = _text("hold_request", _borrower(full_case(), **changes))
    section = text.split("五、联系方式")[1].split("六、其他说明")[0]
    assert expected in section
    labels = ("电子邮箱：", "邮寄地址：", "电话（", "联系方式：")
    assert sum(label in section for label in labels) == 1  # exactly one channel


def test_hold_request_says_the_budget_is_not_ready_when_it_is_not() -> None:
    text = _text("hold_request", _borrower(full_case(), monthly_income=None))
    assert "收支情况尚在整理之中" in text
    ready = _text("hold_request", full_case())
    assert "收支情况尚在整理之中" not in ready and "核对各项收支" in ready


def test_hold_request_counts_the_recorded_collection_contacts() -> None:
    text = _text("hold_request", full_case())
    assert "自2026年9月2日以来，本人已收到催收联系2次，其中包括联系本人以外的人" in text
    quiet = _text("hold_request", _loan(full_case(), collection_contacts=()))
    assert "催收联系" not in quiet.split("五、联系方式")[0].split("四、申请理由")[1]


def test_hold_request_to_a_private_lender_uses_no_industry_words() -> None:
    text = _text("hold_request", _private(full_case()))
    assert text.startswith("暂缓催款申请") and "致：孙某" in text
    for word in ("催收", "征信", "App", "公章", "贷款机构", "罚息"):
        assert word not in text, word
    assert "逾期利息" in text and "直接向您本人还款" in text


def test_hold_request_in_a_lawsuit_cites_the_case_and_keeps_the_proceedings() -> None:
    text = _text("hold_request", _sued(full_case()))
    assert "诉讼案号：（2026）沪0101民初1234号" in text
    assert "本申请不影响诉讼程序" in text and "诉讼中调解" in text
    assert "十五日内" not in text


def test_hold_request_carries_the_reservation_only_when_the_amount_is_disputed() -> None:
    clean = _loan(full_case(), fees=(), received=Decimal("24000"), penalty_rate=None)
    plain = _text("hold_request", clean)
    assert "保留依法主张调减" not in plain and "不构成对贵司所主张的任何欠款金额的确认" in plain
    disputed = _text("hold_request", _loan(clean, received=Decimal("21000")))
    assert "保留依法主张调减" in disputed


def test_hold_request_in_english() -> None:
    text = _text("hold_request", full_case(), lang="en")
    assert "for 30 days from 20 November 2026, until 20 December 2026" in text
    assert "by 20 December 2026" in text and "E-mail: wxm@example.com" in text


# ---------------------------------------------------------------------------------------------
# 请求重新考虑
# ---------------------------------------------------------------------------------------------


def test_reconsider_request_is_refused_without_a_refusal_in_the_history() -> None:
    with pytest.raises(InputError) as exc:
        render_letter("reconsider_request", full_case())
    assert exc.value.path == "history" and "no refusal" in str(exc.value)
    # an offer still pending, or a lender's offer the borrower refused, is no refusal
    pending = NegotiationEvent(
        date=dt.date(2026, 9, 1),
        kind=NegotiationEventKind.BORROWER_OFFER,
        loan="L1",
        outcome=Outcome.PENDING,
    )
    theirs = NegotiationEvent(
        date=dt.date(2026, 9, 2),
        kind=NegotiationEventKind.LENDER_OFFER,
        loan="L1",
        outcome=Outcome.REFUSED,
    )
    with pytest.raises(InputError, match=r"^history: "):
        render_letter("reconsider_request", full_case(history=(pending, theirs)))


def test_reconsider_request_goes_only_to_the_lender_that_refused() -> None:
    case = two_loans()
    refusal = NegotiationEvent(
        date=dt.date(2026, 9, 10),
        kind=NegotiationEventKind.BORROWER_OFFER,
        loan="L2",
        summary="申请分期",
        outcome=Outcome.REFUSED,
    )
    case = attrs.evolve(case, history=(*case.history, refusal))
    text = _text("reconsider_request", case)
    assert text.count("请求重新考虑还款方案的函") == 1 and "致：某某银行股份有限公司" in text
    with pytest.raises(InputError, match=r"^history: .*for loan L1"):
        render_letter("reconsider_request", case, loan="L1")


def test_reconsider_request_cites_the_refusal_and_the_earlier_ones() -> None:
    earlier = NegotiationEvent(
        date=dt.date(2026, 8, 5),
        kind=NegotiationEventKind.CONTACT,
        channel=ContactChannel.PHONE,
        loan="L1",
        counterpart="客服工号88",
        summary="请求停息分期",
        outcome=Outcome.REFUSED,
    )
    case = refused(full_case(history=(earlier,)))
    text = _text("reconsider_request", case)
    cited = text.split("三、被拒绝的方案")[1].split("四、本人的困难")[0]
    assert cited.index("2026年9月10日") < cited.index("此前") < cited.index("2026年8月5日")
    assert "本人通过电子邮件（对方：客服邮箱）向贵司提出还款方案：申请分期12期，每月1000元" in cited
    assert "贵司没有同意这一方案" in cited
    assert "请求停息分期" in cited


def test_reconsider_request_restates_the_stated_hardship_and_the_plans_offer() -> None:
    from negotiator.api import evaluate
    from negotiator.documents.proposal import build_proposal

    case = refused(full_case())
    text = _text("reconsider_request", case)
    assert "住院手术后休养三个月，期间只领基本工资" in text
    proposal = build_proposal(case, evaluate(case).analysis, "L1", AS_OF)
    assert proposal.to_repay is not None
    assert amount_full(proposal.to_repay) in text
    # the same offer as the negotiation request
    request = _text("negotiation_request", case)
    assert amount_full(proposal.to_repay) in request
    assert "按本人的收支计算出来的" in text and "所附收支说明" in text
    no_hardship = _text("reconsider_request", _borrower(case, hardships=()))
    assert "【请填写：目前遇到的困难" in no_hardship


def test_reconsider_request_asks_for_reasons_in_writing_and_a_senior_review() -> None:
    text = _text("reconsider_request", refused(full_case()))
    assert "如仍不能同意，请书面说明不同意的具体理由" in text
    assert "上级人员复核" in text
    assert "十五日内书面答复" in text


@pytest.mark.parametrize(
    ("lender_type", "channel"),
    [
        (LenderType.CONSUMER_FINANCE, "12378"),
        (LenderType.BANK, "12378"),
        (LenderType.MICROLOAN, "地方金融管理局"),
        (LenderType.OTHER, "地方金融管理局"),
    ],
)
def test_reconsider_request_names_the_complaint_route_for_the_lender_type(
    lender_type: LenderType, channel: str
) -> None:
    text = _text("reconsider_request", _loan(refused(full_case()), lender_type=lender_type))
    after = text.split("七、如仍不能达成一致")[1].split("八、其他说明")[0]
    assert channel in after
    assert "12363" not in after  # the central bank's line is for credit records only


def test_reconsider_request_to_a_private_lender_names_no_regulator() -> None:
    text = _text("reconsider_request", refused(_private(full_case())))
    after = text.split("七、如仍不能达成一致")[0 if "七、如仍不能达成一致" not in text else 1]
    for word in ("12378", "金融管理", "互联网金融协会", "上级", "征信", "App", "公章", "催收机构"):
        assert word not in text, word
    assert "法律援助" in after


def test_reconsider_request_reports_threats_to_the_police() -> None:
    threat = CollectionContact(
        at=dt.datetime(2026, 10, 1, 15, 0),
        channel=ContactChannel.PHONE,
        conduct=(Conduct.THREAT,),
    )
    case = _loan(refused(full_case()), collection_contacts=(threat,))
    assert "公安机关" in _text("reconsider_request", case)
    private = _loan(refused(_private(full_case())), collection_contacts=(threat,))
    assert "本人将向公安机关报警" in _text("reconsider_request", private)


def test_reconsider_request_in_a_lawsuit_proposes_court_mediation() -> None:
    text = _text("reconsider_request", refused(_sued(full_case())))
    assert "（2026）沪0101民初1234号" in text and "诉讼中调解" in text
    assert "金额的争议由法院审理" in text
    assert "十五日内" not in text


def test_reconsider_request_in_english() -> None:
    text = _text("reconsider_request", refused(full_case()), lang="en")
    assert (
        "On 10 September 2026, by e-mail (with 客服邮箱), I made you a repayment proposal" in text
    )
    assert "tell me in writing why" in text and "senior member" in text


# ---------------------------------------------------------------------------------------------
# 收支说明
# ---------------------------------------------------------------------------------------------


def _rows(markdown: str) -> list[list[str]]:
    """The body rows of every table in a Markdown rendering (header and rule rows left out)."""
    out = []
    for line in markdown.splitlines():
        if not line.startswith("| ") or line.startswith(("| 项目", "| Item", "| ---")):
            continue
        out.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return out


def test_income_expenditure_labels_every_figure_and_the_totals_add_up() -> None:
    md = _text("income_expenditure", full_case(), fmt="markdown")
    rows = {r[0]: r for r in _rows(md)}
    assert rows["目前每月收入（工资收入）"][1:] == ["6,000.00", "本人陈述"]
    assert rows["每月结余"][1] == "2,000.00"  # 6,000 − 3,500 − 500
    assert rows["每月结余"][2].startswith("计算：收入减去必要支出和其他债务还款")
    assert rows["留作应急余地"][1] == "200.00" and "结余的10%" in rows["留作应急余地"][2]
    assert rows["每月可用于还款（各笔借款合计）"][1] == "1,800.00"
    share = rows["其中：向某某消费金融股份有限公司还款（本笔借款）"]
    assert share[1] == "1,800.00" and share[2].startswith("计算：按各笔欠款金额的比例分配")
    assert "对于上表中标为“本人陈述”的各项，以上所述属实" in md


def test_income_expenditure_never_shows_an_unknown_figure_as_zero() -> None:
    case = _borrower(full_case(), other_debt_payments=None)
    md = _text("income_expenditure", case, fmt="markdown")
    rows = {r[0]: r for r in _rows(md)}
    other = rows["偿还其他债务（本说明所涉借款以外）"]
    assert other[1] == "未知" and other[2] == "未提供，待补充（不等于零）"
    # the surplus depends on it: unknown too, although the plan's split takes it as none
    for label in ("每月结余", "每月可用于还款（各笔借款合计）"):
        assert rows[label][1] == "未知", label
    assert "留作应急余地" not in rows
    assert "暂时无法确定" in md


def test_income_expenditure_marks_expected_income_as_an_estimate_left_out_of_the_surplus() -> None:
    expected = ExpectedIncome(monthly=Decimal("8000"), since=dt.date(2027, 3, 1), source="病愈复工")
    case = _borrower(full_case(), expected_income=(expected,))
    md = _text("income_expenditure", case, fmt="markdown")
    rows = {r[0]: r for r in _rows(md)}
    row = rows["自2027年3月1日起预计每月收入（病愈复工）"]
    assert row[1] == "8,000.00" and row[2] == "预计：本人预计，尚未实际取得"
    assert rows["每月结余"][1] == "2,000.00"


def test_income_expenditure_with_nothing_left() -> None:
    case = _borrower(full_case(), essential_expenses=Decimal("6000"))
    md = _text("income_expenditure", case, fmt="markdown")
    rows = {r[0]: r for r in _rows(md)}
    assert rows["每月结余"][1] == "-500.00"
    assert rows["每月可用于还款（各笔借款合计）"][1] == "0.00"
    assert "留作应急余地" not in rows
    assert "暂时没有余钱用于还款" in md


def test_income_expenditure_splits_across_lenders_without_naming_a_private_one() -> None:
    from pathlib import Path

    from negotiator.case.load import load_case

    case = load_case(Path(__file__).resolve().parents[2] / "examples" / "multi_lender.toml")
    md = _text("income_expenditure", case, loan="L1", fmt="markdown")
    rows = _rows(md)
    shares = [r for r in rows if r[0].startswith("其中：")]
    assert len(shares) == 3
    assert "其中：向个人出借人还款" in [r[0] for r in shares] and "孙某" not in md
    available = next(r for r in rows if r[0].startswith("每月可用于还款"))
    total = sum(Decimal(r[1].replace(",", "")) for r in shares)
    assert total == Decimal(available[1].replace(",", ""))
    # the private lender's own statement names him
    own = _text("income_expenditure", case, loan="L3", fmt="markdown")
    assert "致：孙某" in own and "向孙某（个人）还款（本笔借款）" in own


def test_income_expenditure_modes() -> None:
    private = _text("income_expenditure", _private(full_case()))
    for word in ("征信", "App", "公章", "催收", "罚息"):
        assert word not in private, word
    sued = _text("income_expenditure", _sued(full_case()))
    assert "（2026）沪0101民初1234号" in sued and "诉讼中调解" in sued
    disputed = _text("income_expenditure", _loan(full_case(), received=Decimal("21000")))
    assert "保留依法主张调减" in disputed and "不涉及欠款金额" in disputed
    assert "13,500.00" not in disputed  # the lender's claim is not restated


def test_income_expenditure_is_a_table_in_every_format() -> None:
    import docx

    html = _text("income_expenditure", full_case(), fmt="html")
    assert html.count('<table class="grid">') == 3
    assert "<th>项目</th><th>每月金额（元）</th><th>来源</th>" in html
    assert '<td class="num">2,000.00</td>' in html
    text = _text("income_expenditure", full_case())
    assert re.search(r"每月结余\s+2,000\.00\s+计算", text)
    data = render_letter("income_expenditure", full_case(), fmt="docx")
    assert isinstance(data, bytes) and zipfile.is_zipfile(io.BytesIO(data))
    document = docx.Document(io.BytesIO(data))
    assert len(document.tables) >= 3
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["每月结余", "2,000.00", "计算：收入减去必要支出和其他债务还款"] in cells
    en = _text("income_expenditure", full_case(), lang="en", fmt="markdown")
    assert "| Monthly surplus | 2,000.00 | calculated: income less essential spending" in en
    hant = _text("income_expenditure", full_case(), lang="zh-Hant")
    assert "收支說明" in hant and "本人陳述" in hant


# ---------------------------------------------------------------------------------------------
# Invariants of the statement over generated budgets
# ---------------------------------------------------------------------------------------------

money = st.none() | st.integers(min_value=0, max_value=30000).map(Decimal)


@st.composite
def budgets(draw: st.DrawFn) -> Case:
    base = full_case()
    n = draw(st.integers(min_value=1, max_value=3))
    loans = []
    for i in range(n):
        owed = Decimal(draw(st.integers(min_value=500, max_value=50000)))
        loans.append(
            Loan(
                id=f"L{i + 1}",
                lender_name=f"某某{i + 1}号消费金融有限公司" if i else base.loans[0].lender_name,
                lender_type=draw(
                    st.sampled_from([LenderType.CONSUMER_FINANCE, LenderType.PRIVATE])
                ),
                principal=owed,
                outstanding=owed,
                overdue_since=dt.date(2026, 8, 1),
            )
        )
    borrower = Borrower(
        name="王晓明",
        monthly_income=draw(money),
        essential_expenses=draw(money),
        other_debt_payments=draw(money),
        dependents=draw(st.integers(min_value=0, max_value=3)),
        expected_income=tuple(
            draw(
                st.lists(
                    st.builds(
                        ExpectedIncome,
                        monthly=st.integers(min_value=1, max_value=20000).map(Decimal),
                        since=st.dates(dt.date(2026, 12, 1), dt.date(2028, 1, 1)),
                        source=st.none() | st.just("新工作"),
                    ),
                    max_size=2,
                )
            )
        ),
    )
    return Case(borrower=borrower, loans=tuple(loans), as_of=AS_OF)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=budgets(), pick=st.integers(min_value=0, max_value=2))
def test_statement_never_shows_unknown_as_zero_and_adds_up(case: Case, pick: int) -> None:
    analysis = analyse(case)
    loan_id = analysis.loan_ids[pick % len(analysis.loan_ids)]
    st_ = income_expenditure(case, analysis, loan_id)
    b = case.borrower
    for x in st_.figures():
        assert x.basis in BASES
        assert (x.amount is None) == (x.basis == "unknown"), x
    inputs = (b.monthly_income, b.essential_expenses, b.other_debt_payments)
    if any(v is None for v in inputs):
        assert st_.surplus.amount is None and st_.available.amount is None
        assert all(s.amount is None for s in st_.shares) and st_.margin is None
    else:
        income, essential, other = inputs
        assert income is not None and essential is not None and other is not None
        surplus = st_.surplus.amount
        available = st_.available.amount
        assert surplus == income - essential - other
        assert available is not None and available >= 0
        if surplus is not None and surplus > 0:
            assert st_.margin is not None and st_.margin.amount is not None
            assert st_.margin.amount + available == surplus
            assert st_.margin.amount >= 0
        else:
            assert st_.margin is None and available == 0
        shares = sum((s.amount or Decimal(0) for s in st_.shares), Decimal(0))
        rest = st_.unallocated.amount if st_.unallocated is not None else Decimal(0)
        assert rest is not None and shares + rest == available
    # expected income is an estimate and never part of the surplus
    assert all(x.basis == "estimated" for x in st_.expected)
    # the rendered table says the same: an unknown figure reads 未知 and 未提供, never 0
    md = render_letter("income_expenditure", case, loan=loan_id, fmt="markdown")
    assert isinstance(md, str)
    rows = _rows(md)
    printed = [x for x in st_.figures()]
    assert len(rows) == len(printed)
    for row, x in zip(rows, printed, strict=True):
        if x.amount is None:
            assert row[1] == "未知" and row[2].startswith("未提供"), row
        else:
            assert Decimal(row[1].replace(",", "")) == x.amount, row
            assert not row[2].startswith("未提供"), row


# ---------------------------------------------------------------------------------------------
# The action plan points to the new letters where they fit
# ---------------------------------------------------------------------------------------------


def _plan(case: Case) -> str:
    return _text("action_plan", case)


def test_plan_suggests_reconsidering_only_after_a_refusal() -> None:
    assert "negotiator letter reconsider_request" in _plan(refused(full_case()))
    assert "reconsider_request" not in _plan(full_case())


def test_plan_suggests_a_hold_while_the_budget_is_not_ready_or_collection_is_heavy() -> None:
    quiet = _loan(full_case(), collection_contacts=())
    assert "hold_request" not in _plan(quiet)  # budget ready, no collection problem
    assert "negotiator letter hold_request" in _plan(_borrower(quiet, essential_expenses=None))
    assert "negotiator letter hold_request" in _plan(full_case())  # calls at night, employer
    english = _text("action_plan", _borrower(quiet, monthly_income=None), lang="en")
    assert "hold request (negotiator letter hold_request)" in english and "30 days" in english
