"""The interview: which question comes next, and every path ends in a case that loads."""

from __future__ import annotations

import io
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiator.case import models
from negotiator.case.load import load_case, unstructure
from negotiator.case.natural import SYNONYMS
from negotiator.cli import main
from negotiator.errors import InputError
from negotiator.interview import (
    RECORDS,
    Interview,
    Question,
    _get,
    _record_questions,
    rules_for_record,
    rules_needing,
    run_terminal,
)

ROOT = Path(__file__).resolve().parent.parent


def keys_until_done(it: Interview, answer) -> list[str]:
    seen = []
    for _ in range(400):
        q = it.next_question()
        if q is None:
            return seen
        seen.append(q.key)
        it.answer(q, answer(q))
    raise AssertionError("the interview did not end")


def test_first_question_is_the_number_of_loans_then_what_a_loan_cannot_load_without():
    it = Interview()
    q = it.next_question()
    assert q is not None and q.key == "loan_count"
    it.answer(q, "2")
    asked = []
    for _ in range(6):
        q = it.next_question()
        asked.append(q.key)
        it.answer(q, {"lender_name": "某公司", "lender_type": "银行", "principal": "1万"}[q.name])
    assert asked == [
        "loans[0].lender_name",
        "loans[1].lender_name",
        "loans[0].lender_type",
        "loans[1].lender_type",
        "loans[0].principal",
        "loans[1].principal",
    ]
    assert it.next_question().key == "borrower.monthly_income"


def test_a_partial_case_is_asked_only_for_what_is_missing():
    case = load_case((ROOT / "examples" / "short_term.toml").read_bytes())
    data = unstructure(case)
    del data["loans"][0]["penalty_rate"]
    it = Interview(data)
    first = it.next_question()
    assert first is not None
    assert _get(data, first.key) is None
    keys = keys_until_done(it, lambda q: "不知道" if not q.required else "1")
    assert "loans[0].penalty_rate" in keys
    assert "borrower.monthly_income" not in keys  # the example states it


def test_penalty_questions_only_for_an_overdue_loan():
    it = Interview({"loans": [{"lender_name": "x", "lender_type": "bank", "principal": "1000"}]})
    keys = keys_until_done(it, lambda q: "没有" if q.name == "overdue_since" else "不知道")
    assert "loans[0].penalty_rate" not in keys
    it = Interview(
        {
            "loans": [
                {
                    "lender_name": "x",
                    "lender_type": "bank",
                    "principal": "1000",
                    "overdue_since": "2026-01-01",
                }
            ]
        }
    )
    keys = keys_until_done(it, lambda q: "不知道")
    assert "loans[0].penalty_rate" in keys


def test_agreement_questions_only_when_there_is_one_and_the_holder_only_for_a_personal_account():
    it = Interview({"loans": [{"lender_name": "x", "lender_type": "bank", "principal": "1000"}]})
    keys = keys_until_done(it, lambda q: "不知道")
    assert not [k for k in keys if k.startswith("agreement.")]
    answers = {"has_agreement": "是", "form": "聊天", "repayment_account": "个人账户"}
    it = Interview({"loans": [{"lender_name": "x", "lender_type": "bank", "principal": "1000"}]})
    keys = keys_until_done(it, lambda q: answers.get(q.name, "不知道"))
    assert "agreement.form" in keys and "agreement.account_holder" in keys


def test_with_several_loans_the_agreement_must_say_which_loan_it_settles():
    two = [
        {"lender_name": "x", "lender_type": "bank", "principal": "1000"},
        {"lender_name": "y", "lender_type": "microloan", "principal": "2000"},
    ]
    it = Interview({"loans": two, "agreement": {"form": "聊天"}})
    q = it.next_question()
    while q is not None and q.key != "agreement.loan":
        it.answer(q, "不知道" if not q.required else "1")
        q = it.next_question()
    assert q is not None and q.required
    with pytest.raises(InputError):
        it.answer(q, "不知道")
    it.answer(q, "2")
    case = load_case(it.case_data())
    assert case.agreement.loan == case.loan_ids()[1]


def test_why_names_the_rules_a_field_serves():
    q = Question("loans[0].lender_type", "lender_type", "word", True, models.LenderType, 0)
    why = q.why()
    assert "规则" in why
    assert any(rule in why for rule in rules_needing("lender_type"))
    assert "Rule " in q.why("en")


def test_unknown_keeps_a_field_unknown_and_it_is_not_asked_again():
    it = Interview({"loans": [{"lender_name": "x", "lender_type": "bank", "principal": "1000"}]})
    q = it.next_question()
    it.answer(q, "不知道")
    assert q.key in it.unknown
    assert _get(it.case_data(), q.key) is None
    assert it.next_question().key != q.key


def test_a_required_field_cannot_be_unknown():
    it = Interview()
    it.answer(it.next_question(), "1")
    q = it.next_question()
    with pytest.raises(InputError):
        it.answer(q, "不知道")


def test_answers_use_the_natural_spellings():
    it = Interview()
    answers = {
        "loan_count": "一",
        "lender_name": "某小贷",
        "lender_type": "小贷公司",
        "principal": "人民币叁万元整",
        "rate": "日利率万分之五",
        "overdue_since": "2026年9月8日",
        "penalty_rate": "合同利率的1.5倍",
        "has_agreement": "是",
        "form": "微信聊天",
        "instalments": "2000×3，2026/1/6",
    }
    keys_until_done(it, lambda q: answers.get(q.name, "不知道"))
    case = load_case(it.case_data())
    loan = case.loans[0]
    assert str(loan.principal) == "30000"
    assert loan.rate == models.Rate(__import__("decimal").Decimal("0.0005"), models.RateUnit.DAILY)
    assert str(loan.penalty_rate.value) == "0.00075"
    assert [str(i.due) for i in case.agreement.instalments] == [
        "2026-01-06",
        "2026-02-06",
        "2026-03-06",
    ]


def test_instalments_from_a_month_end_are_ambiguous_and_asked_again():
    q = Question("agreement.instalments", "instalments", "instalments", False)
    with pytest.raises(InputError):
        Interview().answer(q, "2000×3，2026/1/31")


def test_a_question_for_a_field_added_to_the_model_falls_back_to_its_description():
    q = Question("loans[0].something_new", "something_new", "money", False, None, 0)
    assert "something_new" in q.prompt()


# ---------------------------------------------------------------------------------------------
# List records: fees, schedule rows, collection contacts, the negotiation history
# ---------------------------------------------------------------------------------------------

ONE_LOAN = {"lender_name": "某小贷公司", "lender_type": "microloan", "principal": "10000"}


def drive(it: Interview, answers: dict[str, str], default: str = "不知道") -> list[Question]:
    """Answer until the end: by key, then by record field name, else ``default``."""
    asked = []
    for _ in range(300):
        q = it.next_question()
        if q is None:
            return asked
        asked.append(q)
        by_name = f"{q.record}.{q.name}" if q.record else q.name
        it.answer(q, answers.get(q.key, answers.get(by_name, default)))
    raise AssertionError("the interview did not end")


def test_collection_contacts_only_for_an_overdue_loan_and_schedule_only_when_underivable():
    full = {**ONE_LOAN, "rate": "18%", "term_months": 12, "repayment_method": "等额本息"}
    keys = [q.key for q in drive(Interview({"loans": [dict(full)]}), {"overdue_since": "没有"})]
    assert "loans[0].collection_contacts[0]" not in keys
    assert "loans[0].schedule[0]" not in keys  # rate, term and method give the schedule
    assert "loans[0].fees[0]" in keys and "history[0]" in keys
    keys = [
        q.key
        for q in drive(Interview({"loans": [dict(ONE_LOAN)]}), {"overdue_since": "2026年9月1日"})
    ]
    assert "loans[0].collection_contacts[0]" in keys
    assert "loans[0].schedule[0]" in keys


def test_records_are_asked_one_at_a_time_with_add_another():
    it = Interview({"loans": [{**ONE_LOAN, "overdue_since": "2026-09-01"}]})
    adds = iter(["是", "是", "否"])
    asked = []
    prompts = []
    for _ in range(300):
        q = it.next_question()
        if q is None:
            break
        if q.record == "collection_contacts":
            asked.append(q.key)
            prompts.append(q.prompt())
            answer = {
                "add": None,
                "at": "2026年11月3日 23:10",
                "channel": "电话",
                "target": "单位",
                "calls": "6次",
                "conduct": "威胁、透露债务",
                "evidence": "有",
            }[q.name]
            it.answer(q, next(adds) if answer is None else answer)
        else:
            it.answer(q, "不知道")
    first = [k for k in asked if k.startswith("loans[0].collection_contacts[0]")]
    assert asked[0] == "loans[0].collection_contacts[0]"  # "record one?" comes first
    assert asked[len(first)] == "loans[0].collection_contacts[1]"  # then "add another?"
    assert asked[-1] == "loans[0].collection_contacts[2]"
    assert "要记一条吗" in prompts[0] and "再加一条催收记录" in prompts[-1]
    case = load_case(it.case_data())
    contacts = case.loans[0].collection_contacts
    assert len(contacts) == 2
    assert contacts[0].target is models.ContactTarget.EMPLOYER and contacts[0].calls == 6
    assert set(contacts[0].conduct) == {models.Conduct.THREAT, models.Conduct.DISCLOSED_DEBT}
    assert contacts[0].at.hour == 23 and contacts[0].evidence is True


def test_change_item_n_of_the_summary_names_the_item_shown_after_records():
    it = Interview({"loans": [{**ONE_LOAN, "overdue_since": "2026-09-01"}]})
    adds = iter(["是", "否"])
    for _ in range(300):
        q = it.next_question()
        if q is None:
            break
        if q.record == "collection_contacts" and q.name == "add":
            it.answer(q, next(adds))
        elif q.record == "collection_contacts":
            it.answer(q, {"at": "2026年11月3日 23:10", "channel": "电话"}.get(q.name, "不知道"))
        else:
            it.answer(q, "不知道")
    items, keys = it.summary(), it.summary_keys()
    assert len(items) == len(keys)
    # the "add another?" answers are not items, so item N is not (asked + unknown)[N - 1]
    assert len(keys) < len(it.asked + it.unknown)
    for (prompt, _shown), key in zip(items, keys, strict=True):
        q = it._question_for(key)
        assert q is not None and q.prompt() == prompt


def test_a_record_without_its_required_field_is_dropped_and_the_rest_not_asked():
    it = Interview({"loans": [dict(ONE_LOAN)]})
    asked = drive(
        it, {"fees.add": "否", "schedule.add": "否", "history[0]": "是", "history[1]": "否"}
    )
    keys = [q.key for q in asked]
    assert "history[0].date" in keys and "history[0].outcome" not in keys
    assert "history" not in it.case_data()
    load_case(it.case_data())


def test_fee_records_load_and_periods_only_for_a_periodic_fee():
    it = Interview({"loans": [dict(ONE_LOAN)]})
    answers = {
        "loans[0].fees[0]": "是",
        "loans[0].fees[0].kind": "担保费",
        "loans[0].fees[0].amount": "50元",
        "loans[0].fees[0].charged": "每期收取",
        "loans[0].fees[0].periods": "12期",
        "loans[0].fees[1]": "是",
        "loans[0].fees[1].kind": "服务费",
        "loans[0].fees[1].amount": "300",
        "loans[0].fees[1].charged": "砍头息",
        "loans[0].fees[2]": "否",
    }
    keys = [q.key for q in drive(it, answers)]
    assert "loans[0].fees[0].periods" in keys and "loans[0].fees[1].periods" not in keys
    fees = load_case(it.case_data()).loans[0].fees
    assert [(f.kind.value, f.amount, f.periods) for f in fees] == [
        ("guarantee", Decimal(50), 12),
        ("service", Decimal(300), None),
    ]


def test_save_and_resume_keep_a_record_half_written():
    it = Interview({"loans": [dict(ONE_LOAN)]})
    for _ in range(100):
        q = it.next_question()
        if q.key == "loans[0].fees[0]":
            it.answer(q, "是")
            break
        it.answer(q, "不知道")
    q = it.next_question()
    assert q.key == "loans[0].fees[0].kind"
    it.answer(q, "会员费")
    resumed = Interview.from_json(it.to_json())
    assert resumed.next_question().key == "loans[0].fees[0].amount"
    assert _get(resumed.data, "loans[0].fees[0].kind") == "membership"
    assert "fees" not in resumed.case_data()["loans"][0]  # not kept until complete
    load_case(resumed.case_data())


def test_an_uploaded_case_with_records_is_not_asked_for_more():
    case = load_case((ROOT / "examples" / "multi_lender.toml").read_bytes())
    it = Interview(unstructure(case))
    keys = keys_until_done(it, lambda q: "不知道" if not q.required else "1")
    for i, loan in enumerate(case.loans):
        if loan.collection_contacts:
            assert f"loans[{i}].collection_contacts[{len(loan.collection_contacts)}]" not in keys


def test_why_for_a_record_names_the_rules_it_serves():
    q = Question(
        "loans[0].collection_contacts[0].at",
        "at",
        "datetime",
        True,
        None,
        0,
        "collection_contacts",
        0,
    )
    why = q.why()
    assert "collection.quiet-hours" in why and "规则" in why
    add = Question(
        "loans[0].collection_contacts[0]", "add", "bool", False, None, 0, "collection_contacts", 0
    )
    assert "逐条检查" in add.why() and "Rule" in add.why("en")
    assert rules_for_record("fees")
    assert "situation.negotiation-refused" in rules_for_record("history", "outcome")


def test_every_record_field_maps_to_declared_fact_fields_and_optional_ones_serve_a_rule():
    from negotiator.ruleset.loader import load_rules

    kinds = load_rules().kinds
    for name, spec in RECORDS.items():
        for field, feeds in spec.needs.items():
            assert field in {f.name for f in __import__("attrs").fields(spec.cls)}, field
            for kind, fact_field in feeds:
                assert fact_field in kinds[kind].fields, (name, field, kind, fact_field)
        for q in _record_questions(name, "x", 0, 0):
            assert q.required or rules_for_record(name, q.name) or q.name in spec.checklist


def test_every_word_a_record_prompt_offers_is_understood():
    import re

    from negotiator.case import natural

    for name in RECORDS:
        for q in _record_questions(name, "x", 0, 0):
            if q.enum is None:
                continue
            for part in re.findall(r"（([^（）]*)）", q.prompt()):
                part = re.sub(r"可多选：|；都没有就答.*", "", part)
                for word in re.split(r"[/、]", part):
                    assert natural.parse_word(word.strip(), q.enum), (q.key, word)


# ---------------------------------------------------------------------------------------------
# Property: random partial cases and random answers
# ---------------------------------------------------------------------------------------------


def _answers(draw, q: Question) -> str:
    unknown_ok = not q.required or q.record is not None
    if unknown_ok and draw(st.booleans()):
        return draw(st.sampled_from(["不知道", "不清楚"]))
    kind = q.kind
    if q.name == "add":  # at most three records in a list
        return draw(st.sampled_from(["是", "否", "有", "没有"])) if (q.index or 0) < 3 else "否"
    if kind == "count":
        return str(draw(st.integers(1, 3)))
    if kind == "money":
        return draw(st.sampled_from(["1.2万", "12,000元", "人民币壹万贰仟元整", "8000", "3500.50"]))
    if kind == "rate":
        return draw(st.sampled_from(["18%", "年化24%", "月息1.5%", "日息0.05%", "日利率万分之五"]))
    if kind == "date":
        return draw(st.sampled_from(["2026年9月8日", "2026/1/31", "2025.11.10"]))
    if kind == "datetime":
        return draw(
            st.sampled_from(["2026年11月3日 23:10", "2026/1/31 8点05分", "2025-11-10T21:30"])
        )
    if kind == "bool":
        return draw(st.sampled_from(["是", "否", "有", "没有"]))
    if kind == "int":
        return draw(st.sampled_from(["0", "12期", "3"]))
    if kind in ("word", "words", "hardship"):
        values = [str(m.value) for m in q.enum]
        word = draw(st.sampled_from(values))
        spellings = [word, *SYNONYMS.get(q.enum, {}).get(word, ())]
        return draw(st.sampled_from(spellings))
    if kind == "paid":
        return draw(st.sampled_from(["已还", "未还", "300", "是"]))
    if kind == "instalments":
        return draw(st.sampled_from(["2000×13，2026年1月6日", "500x3, 2026-02-28"]))
    if kind == "loan":
        return "1"
    return draw(st.sampled_from(["某某公司", "李某"]))


def _partial_case(draw) -> dict:
    base = unstructure(
        load_case(
            (
                ROOT
                / "examples"
                / draw(
                    st.sampled_from(
                        ["short_term.toml", "proposed_agreement.toml", "multi_lender.toml"]
                    )
                )
            ).read_bytes()
        )
    )
    for section in ("borrower",):
        for key in list(base[section]):
            if draw(st.booleans()):
                del base[section][key]
    for loan in base["loans"]:
        for key in list(loan):
            if key not in ("lender_name", "lender_type", "principal") and draw(st.booleans()):
                del loan[key]
        for name in ("fees", "schedule", "collection_contacts"):
            for record in loan.get(name, ()):  # a record saved half-way through
                for key in list(record):
                    if draw(st.integers(0, 4)) == 0:
                        del record[key]
    if "agreement" in base and draw(st.booleans()):
        for key in list(base["agreement"]):
            if key != "form" and draw(st.booleans()):
                del base["agreement"][key]
    return base


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_partial_cases_never_ask_a_known_field_or_twice_and_end_in_a_case_that_loads(data):
    start = data.draw(st.one_of(st.just({}), st.composite(lambda draw: _partial_case(draw))()))
    it = Interview(start)
    asked: list[str] = []
    for _ in range(800):
        q = it.next_question()
        if q is None:
            break
        assert q.key not in asked, q.key
        if q.key not in ("loan_count", "has_agreement"):
            assert _get(it.data, q.key) is None, q.key
        asked.append(q.key)
        for attempt in range(5):  # a rejected answer is asked again, as a person would be
            text = data.draw(st.composite(lambda draw, q=q: _answers(draw, q))())
            if attempt == 4 and (not q.required or q.record is not None):
                text = "不知道"
            try:
                it.answer(q, text)
                break
            except InputError:
                assert it.next_question() == q  # the same question again, nothing recorded
        else:
            raise AssertionError(f"no answer accepted for {q.key}")
    else:
        raise AssertionError("the interview did not end")
    case = load_case(it.case_data())
    assert len(case.loans) >= 1


# ---------------------------------------------------------------------------------------------
# The terminal consultation, through a pipe
# ---------------------------------------------------------------------------------------------

PRIVATE_LENDER = [
    "1",
    "张三",
    "个人",
    "2万",
    "?",
    "6500",
    "不稳定",
    "4000",
    "0",
    "1",
    "3000",
    "在职",
    "降薪",
    "借款合同、聊天记录",
]


def run(lines: list[str], output: Path, lang: str = "zh-Hans") -> tuple[object, str]:
    feed = iter(lines)
    out = io.StringIO()
    case = run_terminal(
        lambda: next(feed, None), lambda t: out.write(t + "\n"), output=output, lang=lang
    )
    return case, out.getvalue()


def test_terminal_save_resume_summary_and_write(tmp_path):
    target = tmp_path / "case.toml"
    case, text = run(PRIVATE_LENDER[:5], target)
    assert case is None and not target.exists()
    assert "规则" in text or "准备清单" in text  # "?" answered why
    assert (tmp_path / "case.toml.interview.json").is_file()
    case, text = run(PRIVATE_LENDER[5:] + ["不知道"] * 40 + ["是"], target)
    assert "接着上次的进度继续" in text
    assert "请核对" in text and "张三" in text
    assert case is not None and target.is_file()
    assert not (tmp_path / "case.toml.interview.json").exists()
    written = tomllib.loads(target.read_text(encoding="utf-8"))
    assert written["loans"][0]["lender_type"] == "private"
    assert written["borrower"]["monthly_income"] == "6500"
    assert load_case(target) == case


def test_terminal_change_an_item_from_the_summary(tmp_path):
    target = tmp_path / "case.toml"
    lines = ["1", "某银行", "银行", "1万"] + ["不知道"] * 40
    case, _text = run([*lines, "2", "另一家银行", "是"], target)
    assert case is not None
    assert case.loans[0].lender_name == "另一家银行"


def test_terminal_rejects_a_bad_answer_and_asks_again(tmp_path):
    target = tmp_path / "case.toml"
    case, text = run(
        ["1", "某银行", "某种机构", "银行", "很多钱", "1万"] + ["不知道"] * 40 + ["是"],
        target,
        lang="en",
    )
    assert case is not None
    assert text.count("That answer could not be read") == 2


def test_cli_interview_writes_the_case_and_prints_the_plan(tmp_path, monkeypatch, capsys):
    target = tmp_path / "c.toml"
    monkeypatch.setattr(
        "sys.stdin",
        io.StringIO(
            "\n".join(
                ["1", "某某消费金融有限公司", "消费金融公司", "24000"] + ["不知道"] * 40 + ["是"]
            )
            + "\n"
        ),
    )
    code = main(["interview", "-o", str(target)])
    out = capsys.readouterr().out
    assert code in (0, 1)
    assert target.is_file() and "行动计划" in out
