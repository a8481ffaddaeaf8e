"""Each harmful or wrong defect a legal-aid lawyer found in the output, as a regression test.

The ids (H1–H6 harmful, W1–W23 wrong or misleading) are those of the review's defect table; each
test runs the command the review ran and asserts the corrected behaviour, not a fixed text.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from negotiator.cli import main

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples"


@cache
def _run(*args: str) -> tuple[int, str]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(list(args))
    return code, out.getvalue()


def run(*args: str) -> str:
    return _run(*args)[1]


def report(example: str) -> dict:
    return json.loads(run("advise", str(EX / f"{example}.toml"), "--json"))


def letter(kind: str, example: str | Path, *more: str) -> str:
    path = example if isinstance(example, Path) else EX / f"{example}.toml"
    return run("letter", kind, str(path), *more)


def yuan(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _with_agreement(tmp_path: Path, holder: str) -> Path:
    path = tmp_path / "variant.toml"
    path.write_text(
        (EX / "multi_lender.toml").read_text(encoding="utf-8")
        + f'\n[agreement]\nform = "chat"\nloan = "L3"\nrepayment_account = "personal"\n'
        f'account_holder = "{holder}"\n',
        encoding="utf-8",
    )
    return path


# --- harmful ---------------------------------------------------------------------------------


def test_H1_the_plan_starts_from_the_offer_on_the_table():
    text = run("advise", str(EX / "proposed_agreement.toml"))
    # the lender offers 2,130 × 10 after a 1,000 waiver; the plan must not ask for more
    assert "2,340.00元，共10期" not in text and "2,340.00 元，共10期" not in text
    assert "还清22,300" not in text
    assert "2,130" in text.split("一、")[0]  # in the one-screen summary


def test_H2_no_admission_of_a_total_the_rules_call_unenforceable():
    draft = letter("agreement_draft", "multi_lender")
    assert "除此之外乙方不欠甲方其他款项" not in draft
    assert "本协议不涉及减免" not in draft
    assert "不构成" in draft  # a reservation instead of a confirmation
    assert "7,864.00" in draft  # L3's lawful balance, not only the 9,800 claimed
    failed = letter("agreement_draft", "negotiation_failed")
    assert "不构成" in failed and "调解" in failed


@pytest.mark.parametrize("holder, flagged", [("孙某（个人）", False), ("王某", True)])
def test_H3_a_private_lender_is_paid_into_his_own_account(tmp_path, holder, flagged):
    path = _with_agreement(tmp_path, holder)
    data = json.loads(run("check", str(path), "--json"))
    codes = {f["code"] for f in data["findings"]}
    assert ("SCAM_PERSONAL_ACCOUNT" in codes) is flagged
    requests = [r["zh-Hans"] for r in data["figures"]["agreement"]["requests"]]
    joined = "".join(requests)
    for word in ("公章", "征信", "对公账户", "官方 App", "贷款机构"):
        assert word not in joined, word
    assert any("收款人不是出借人本人" in r for r in requests) is flagged
    text = run("check", str(path))
    assert "典型的诈骗信号" not in text


def test_H4_the_written_confirmation_never_adopts_the_lenders_clawback_clause():
    text = letter("written_confirmation", "proposed_agreement")
    assert "恢复原合同约定" not in text or "不予恢复" in text
    assert "在收到贵司的书面确认之前，本人将按上述安排还款" not in text
    # the confirmation is dated on or after the talk it confirms
    day = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
    talk = re.search(day + r"[^。]*协商", text)
    signed = re.findall(r"日期：" + day, text)
    assert talk and signed
    as_tuple = tuple(int(x) for x in talk.groups())
    assert tuple(int(x) for x in signed[-1]) >= as_tuple


def test_H5_a_complaint_asserts_only_charged_amounts():
    text = letter("complaint", "negotiation_failed")
    for line in text.splitlines():
        if "3,624.60" in line:
            assert "估算" in line or "推算" in line, line
    multi = letter("complaint", "multi_lender")
    assert "479.99" not in multi


def test_H6_a_borrower_already_sued_is_told_the_answer_period_has_passed():
    data = report("negotiation_failed")
    codes = {f["code"] for f in data["findings"]}
    assert {"LAWSUIT_ANSWER_DEADLINE_PASSED", "LAWSUIT_SMALL_CLAIMS"} <= codes
    text = run("advise", str(EX / "negotiation_failed.toml"))
    assert "管辖权异议" in text and "举证期限" in text
    request = letter("negotiation_request", "negotiation_failed")
    assert "案号" in request and "调解" in request


# --- wrong -----------------------------------------------------------------------------------


def test_W1_every_stated_schedule_adds_up_to_its_total():
    pattern = re.compile(
        r"每月(?:还)?([\d,]+(?:\.\d{2})?)\s?元\s?[，×]\s?共(\d+)期[^。\n]*?合计([\d,]+\.\d{2})"
    )
    seen = 0
    for example in ("multi_lender", "negotiation_failed", "long_term", "proposed_agreement"):
        for m in pattern.finditer(run("advise", str(EX / f"{example}.toml"))):
            each, n, total = yuan(m.group(1)), int(m.group(2)), yuan(m.group(3))
            assert each * n == total, m.group(0)
            seen += 1
        for _m in re.finditer(
            r"前(\d+)期(?:每期|每月)?([\d,]+)元[、，]末期([\d,]+)元",
            run("advise", str(EX / f"{example}.toml")),
        ):
            seen += 1
    assert seen, "no stated schedule found: the pattern no longer matches the plan's wording"


@pytest.mark.parametrize("figure", ["479.99", "2,271.41", "0.04元", "0.04 元", "263.56", "812.46"])
def test_W3_W4_W5_W6_no_estimate_from_an_assumed_schedule_or_a_split_base(figure):
    for example in ("multi_lender", "negotiation_failed", "no_capacity"):
        assert figure not in run("advise", str(EX / f"{example}.toml")), (example, figure)


def test_W4_the_claim_based_excess_is_reported():
    assert "1,859.84" in run("advise", str(EX / "negotiation_failed.toml"))


def test_W5_overdue_charges_and_their_cap_on_one_base():
    data = report("multi_lender")
    [f] = [
        f
        for f in data["findings"]
        if f["code"] == "FEE_OVERDUE_CHARGES_ABOVE_CAP" and f["subject"] == "L3"
    ]
    assert "8,000.00" in f["message"] and "300.05" in f["message"]


def test_W8_砍头息_interest_is_recognised_at_the_lower_of_rate_and_cap():
    text = run("advise", str(EX / "multi_lender.toml"))
    assert "只应计利息540.00" in text  # 12 % on 9,000 for six months, not 24 %
    unknown = run("advise", str(EX / "negotiation_failed.toml"))
    line = next(ln for ln in unknown.splitlines() if "只应计利息" in ln)
    assert "仍以合同利率计" in line and "LPR四倍" in line


def test_W9_lenders_are_ranked_by_the_lawful_cost_accruing_now():
    text = run("advise", str(EX / "multi_lender.toml"))
    line = next(ln for ln in text.splitlines() if "按逾期期间的实际成本从高到低" in ln)
    assert line.index("L2") < line.index("L1") < line.index("L3")


def test_W10_citations_stay_within_each_instruments_scope():
    long_term = report("long_term")
    for f in long_term["findings"]:
        if f["code"] == "FEE_UPFRONT_DEDUCTION":
            laws = [c.get("law", "") + str(c.get("article", "")) for c in f["citations"]]
            assert not any("民间借贷" in law and law.endswith("26") for law in laws)
    check = json.loads(run("check", str(EX / "proposed_agreement.toml"), "--json"))
    for f in check["findings"]:
        if f["code"] == "AGREEMENT_BINDING_AS_WRITTEN":
            assert not any("民间借贷" in c.get("law", "") for c in f["citations"])
        for c in f["citations"]:
            if "消费金融公司管理办法" in c.get("law", ""):
                assert "消费金融" in f["message"] or f.get("loan")


def test_W11_the_public_order_law_is_cited_in_its_2025_revision():
    for example in ("long_term", "multi_lender", "no_capacity"):
        text = run("advise", str(EX / f"{example}.toml"))
        assert "《治安管理处罚法》第42条" not in text
        if "治安管理处罚法" in text:
            assert "2025修订" in text


def test_W12_刑法_293之一_only_where_the_debt_looks_illegal():
    assert "293条之一" not in run("advise", str(EX / "no_capacity.toml"))


def test_W13_12363_only_for_credit_record_matters():
    for example in ("long_term", "multi_lender", "no_capacity"):
        text = run("advise", str(EX / f"{example}.toml"))
        blocks = text.split("\n* ")
        for block in blocks:
            if "12363" in block:
                assert "征信" in block, block[:80]


def test_W14_a_complaint_about_an_unlicensed_lender_is_not_addressed_to_the_central_bank():
    text = letter("complaint", "negotiation_failed")
    first = next(ln for ln in text.splitlines() if ln.startswith("致："))
    assert "人民银行" not in first
    assert "诉讼" in text  # the caveat that the matter is before a court


def test_W15_no_python_reprs_in_any_letter():
    for example in ("long_term", "multi_lender", "no_capacity", "negotiation_failed"):
        for fmt in ("text", "html"):
            text = letter("complaint", example, "--format", fmt)
            assert "['" not in text and "None" not in text, (example, fmt)


def test_W16_no_institutional_wording_in_letters_to_a_private_lender():
    for kind in ("agreement_draft", "negotiation_request", "waiver_request"):
        text = letter(kind, "multi_lender", "--loan", "L3")
        for word in ("征信", "公章", "官方App", "官方 App", "催收", "对公账户"):
            assert word not in text, (kind, word)
    code, _ = _run("letter", "credit_objection", str(EX / "multi_lender.toml"), "--loan", "L3")
    assert code != 0  # individuals report nothing to the credit system: no objection letter


def test_W6_a_licensed_overdue_rate_above_24_is_flagged_even_before_it_accrues(tmp_path):
    case = tmp_path / "cf.toml"
    case.write_text(
        """
as_of = 2025-08-30
[borrower]
monthly_income = "6000"
[[loans]]
lender_name = "某某消费金融有限公司"
lender_type = "consumer_finance"
principal = "10000"
received = "10000"
contract_date = 2025-01-10
rate = { value = "0.239", unit = "annual" }
interest_agreed = true
term_months = 12
outstanding_principal = "10000"
penalty_rate = { value = "0.0005", unit = "daily" }
penalty_adds = true
""",
        encoding="utf-8",
    )
    data = json.loads(run("advise", str(case), "--json"))
    assert "FEE_OVERDUE_RATE_ABOVE_CAP" in {f["code"] for f in data["findings"]}
    overdue = tmp_path / "cf-overdue.toml"
    overdue.write_text(
        case.read_text(encoding="utf-8").replace(
            'outstanding_principal = "10000"',
            'outstanding_principal = "10000"\noverdue_since = 2025-08-10',
        ),
        encoding="utf-8",
    )
    codes = {f["code"] for f in json.loads(run("advise", str(overdue), "--json"))["findings"]}
    # once an excess has accrued the charges finding gives its figures; the rate finding stays
    assert {"FEE_OVERDUE_CHARGES_ABOVE_CAP", "FEE_OVERDUE_RATE_ABOVE_CAP"} <= codes


def test_W21_the_reserve_is_never_shown_as_part_of_smaller_savings():
    for example in ("multi_lender", "proposed_agreement", "long_term"):
        text = run("advise", str(EX / f"{example}.toml"))
        assert "其中保留的应急钱" not in text


def test_W22_seed_articles_are_references_not_legal_basis():
    for cmd in (("advise",), ("check",)):
        text = run(*cmd, str(EX / "proposed_agreement.toml"))
        for line in text.splitlines():
            if "依据" in line:
                basis = line.split("参考")[0]
                assert "[0" not in basis and ".txt" not in basis, line
