"""What a person reads carries no raw finding codes and no rule ids; every rule is titled in
every language; the seed articles are shown as references, apart from the legal basis; the
private-lender and lawsuit modes speak accordingly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from negotiator.cli import main
from negotiator.ruleset.loader import LANGS, load_rules

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
CODES = sorted({r.code for r in load_rules().rules})
RAW = re.compile(r"\b(?:" + "|".join(map(re.escape, CODES)) + r")\b")


def _out(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    main(list(args))
    return capsys.readouterr().out


def test_every_rule_is_titled_in_every_language() -> None:
    untitled = [r.id for r in load_rules().rules if set(r.title) != set(LANGS)]
    assert untitled == []


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
@pytest.mark.parametrize("fmt", ["text", "html"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_no_raw_code_in_the_plan(
    capsys: pytest.CaptureFixture[str], example: Path, fmt: str, lang: str
) -> None:
    if fmt == "text":
        text = _out(capsys, "advise", str(example), "--lang", lang)
    else:
        text = _out(capsys, "letter", "action_plan", str(example), "--lang", lang, "--format", fmt)
    assert text.strip()
    found = RAW.findall(text)
    assert found == [], f"raw codes in {example.name} ({fmt}, {lang}): {sorted(set(found))}"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_no_raw_code_in_the_check_report(capsys: pytest.CaptureFixture[str], example: Path) -> None:
    text = _out(capsys, "check", str(example))
    assert RAW.findall(text) == []


def test_the_code_detector_can_fail() -> None:
    assert RAW.findall("诈骗风险 · SCAM_PERSONAL_ACCOUNT") == ["SCAM_PERSONAL_ACCOUNT"]


def test_seeds_are_references_not_legal_basis(capsys: pytest.CaptureFixture[str]) -> None:
    text = _out(capsys, "advise", str(ROOT / "examples" / "multi_lender.toml"))
    assert "参考: [" in text
    for line in text.splitlines():
        if "依据: " in line:
            basis = line.split("依据: ", 1)[1].split("参考", 1)[0]
            assert "[0" not in basis, line


def test_lawsuit_example_flags_the_passed_answer_deadline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _out(capsys, "advise", str(ROOT / "examples" / "negotiation_failed.toml"))
    assert "答辩期很可能已在2026年11月16日届满" in text
    assert "第四十二条" not in text and "第42条" not in text


def test_private_lender_plan_does_not_forbid_paying_the_lender(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _out(capsys, "advise", str(ROOT / "examples" / "multi_lender.toml"))
    assert "只还到出借人本人名下的账户" in text
    assert "不向个人账户转账，不透露短信验证码" not in text


def test_traditional_plan_writes_sign_as_qian_with_bamboo_only_for_lots(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _out(capsys, "advise", str(ROOT / "examples" / "long_term.toml"), "--lang", "zh-Hant")
    assert re.search(r"籤[協字署訂名收約]", text) is None
    assert "簽協議" in text


# --- the plan as a borrower reads it (legal review §2: A1–A5, A8, W21–W23; ux F-13–F-15) -------


def _plan(capsys: pytest.CaptureFixture[str], name: str, *extra: str) -> str:
    return _out(capsys, "advise", str(ROOT / "examples" / f"{name}.toml"), *extra)


def _section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def test_the_plan_opens_with_a_one_screen_summary(capsys: pytest.CaptureFixture[str]) -> None:
    text = _plan(capsys, "multi_lender")
    glance = _section(text, "先看这里", "一、您的处境")
    assert len(glance.strip().splitlines()) <= 15
    assert "处境: 欠款合计 28,200.00元" in glance
    # whom to pay what each month: one line per lender, the same offer as the table below
    for line in (
        "L2 某某消费金融有限公司: 前9期每月950.00元、末期750.00元（合计9,300.00元）",
        "L3 孙某（个人）: 前7期每月1,001.00元、末期857.00元（合计7,864.00元）",
    ):
        assert line in glance
    assert glance.count("  1. ") == glance.count("  2. ") == glance.count("  3. ") == 1


def test_the_summary_shows_the_court_deadline(capsys: pytest.CaptureFixture[str]) -> None:
    glance = _section(_plan(capsys, "negotiation_failed"), "先看这里", "一、您的处境")
    assert "期限: 答辩期可能已过: 2026年11月16日" in glance


def test_per_lender_asks_are_one_table_not_repeated_items(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _plan(capsys, "multi_lender")
    methods = _section(text, "四、推荐的协商方法", "五、拖延的后果")
    titles = [ln for ln in methods.splitlines() if re.match(r"\d+\. ", ln)]
    assert len(titles) == len(set(t.split(". ", 1)[1] for t in titles))  # no title twice
    assert "向各家提出分期" in methods and "向各家申请减免" in methods
    assert not re.search(r"^\d+\. (分期还款|申请减免)$", methods, flags=re.M)
    table = methods.split("各家借款与建议方案:", 1)[1]
    assert "建议方案" in table and "减免请求" in table
    for loan in ("L1", "L2", "L3"):
        assert len(re.findall(rf"^{loan}\s", table, flags=re.M)) == 1


def test_one_complaint_entry_per_channel_per_lender(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("long_term", "multi_lender"):
        other = _section(_plan(capsys, name), "六、", "七、下一步")
        entries = re.findall(r"^\* 投诉渠道 · (.+)\n  (.{0,30})", other, flags=re.M)
        assert entries
        assert len(entries) == len(set(entries)), name


def test_budget_labels_are_plain_and_never_say_of_which(capsys: pytest.CaptureFixture[str]) -> None:
    text = _plan(capsys, "multi_lender")
    budget = _section(text, "二、每月收支", "三、准备清单")
    assert "其中" not in budget
    assert "建议保留的应急钱（3个月必要开支）  12,900.00元" in budget
    assert "您的存款6,000.00元不超过这个数，暂不建议一次性先还" in budget


def test_seed_articles_are_listed_as_references_not_sources(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _plan(capsys, "long_term")
    assert "依据的资料" not in text
    assert "参考资料（网络文章，仅供参考，不是法律依据）:\n[000]" in text
    en = _plan(capsys, "long_term", "--lang", "en")
    assert "References (web articles, for background only, not a legal basis):" in en


def test_wording_fixes_of_the_review(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("long_term", "multi_lender", "proposed_agreement"):
        text = _plan(capsys, name)
        assert "（达到90天）" not in text and "已满90天" in text
        assert "零头" not in text  # no remark on odd fen
        assert re.search(r"\d \s*元", text) is None, name  # one spacing style: 2,340.00元
        assert "本人遭遇" not in text


def test_the_sixty_month_practice_stays_out_of_what_the_borrower_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _plan(capsys, "long_term")
    steps = _section(text, "七、下一步", "八、谈成之后")
    assert "60期" not in steps and "超过" not in steps
    # explained once, as practice, where it matters (the plan for L1 needs 65 payments)
    methods = _section(text, "四、推荐的协商方法", "五、拖延的后果")
    assert methods.count("约60期") == 1 and "不是法律规定" in methods


def test_private_loans_say_overdue_interest_in_the_plan(capsys: pytest.CaptureFixture[str]) -> None:
    text = _plan(capsys, "multi_lender")
    checklist = _section(text, "三、准备清单", "四、")
    assert "L3（孙某（个人））已产生的逾期利息" in checklist
    assert "L3（孙某（个人））已产生的罚息" not in checklist
    assert "L1（某某银行股份有限公司）已产生的罚息" in checklist


def test_an_open_ended_pay_cut_is_not_called_temporary(capsys: pytest.CaptureFixture[str]) -> None:
    # W23: the outlook follows the hardship's end date, not whether the debt fits the budget
    situation = _section(_plan(capsys, "negotiation_failed"), "一、您的处境", "二、每月收支")
    assert "暂时性困难" not in situation
    assert "困难没有预计的结束日期，所以不要把它说成暂时的" in situation


def test_after_a_judgment_the_blacklist_is_only_for_refusing_while_able() -> None:
    rule = next(r for r in load_rules().rules if r.id == "lawsuit.after-judgment")
    zh = rule.messages["zh-Hans"]
    assert "强制执行" in zh and "限制高消费" in zh
    assert "有能力履行而拒不履行" in zh and zh.index("有能力履行而拒不履行") < zh.index("失信")


def test_schedules_beyond_the_holiday_calendar_say_so(capsys: pytest.CaptureFixture[str]) -> None:
    long_term = str(ROOT / "examples" / "long_term.toml")
    text = _out(capsys, "letter", "negotiation_request", long_term, "--loan", "L2")
    assert "2027年2月22日" in text  # 2027-02-20 is a Saturday: moved to the Monday
    assert "本工具的法定节假日数据只到2026年" in text
    short = str(ROOT / "examples" / "short_term.toml")
    within = _out(capsys, "letter", "negotiation_request", short, "--as-of", "2026-02-01")
    assert "2026年10月8日" in within and "节假日数据只到" not in within
