"""Errors people can act on: the common first-draft mistakes (reviews/ux.md §2), each checked."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from negotiator.case.load import load_case
from negotiator.case.messages import describe, suggest
from negotiator.errors import InputError

HEAD = """
[borrower]
monthly_income = "6500"
[[loans]]
lender_name = "某某网络小额贷款有限公司"
principal = "30000"
"""

PYTHON_WORDS = re.compile(r"object|attribute|NoneType|Traceback|keyword|__|\bstr\b|\bdict\b")


def problems(text: str, lang: str = "zh-Hans") -> str:
    with pytest.raises(InputError) as info:
        load_case(text)
    message = info.value.describe(lang)
    assert not PYTHON_WORDS.search(message), message
    return message


def test_a_date_without_quotes_explains_the_quotes():
    msg = problems(HEAD + 'lender_type = "microloan"\ncontract_date = 2025/11/10\n')
    assert "第 8 行" in msg and "引号" in msg and '"2025/11/10"' in msg


def test_a_chinese_lender_type_is_understood():
    case = load_case(HEAD + 'lender_type = "小额贷款公司"\n')
    assert case.loans[0].lender_type.value == "microloan"


def test_a_misspelt_lender_type_suggests_the_word_and_lists_the_choices():
    msg = problems(HEAD + 'lender_type = "小額贷款公司"\n')
    assert msg.startswith("loans[0].lender_type: ")
    assert "您是不是想写：microloan？" in msg
    assert "可以写：" in msg and "consumer_finance（消费金融公司）" in msg
    assert "例如：" in msg


@pytest.mark.parametrize("rate", ['"18%"', '{ value = "18%", unit = "annual" }', '"年化18%"'])
def test_a_percentage_rate_is_understood(rate):
    case = load_case(HEAD + f'lender_type = "microloan"\nrate = {rate}\n')
    assert str(case.loans[0].rate.value) == "0.18"


def test_an_unreadable_rate_gets_a_plain_message_and_an_example_not_a_python_error():
    msg = problems(HEAD + 'lender_type = "microloan"\nrate = "很高"\n')
    assert msg.startswith("loans[0].rate: 这里的值类型不对")
    assert "您写的是：“很高”" in msg
    assert '例如：rate = "年化18%"' in msg


def test_a_bare_18_is_read_as_a_percentage_mistake():
    msg = problems(HEAD + 'lender_type = "microloan"\nrate = { value = "18", unit = "annual" }\n')
    assert "loans[0].rate.value: 看起来是百分数" in msg


def test_a_penalty_multiple_of_the_contract_rate_is_understood():
    case = load_case(HEAD + 'lender_type = "microloan"\nrate = "18%"\npenalty_rate = "1.5倍"\n')
    assert str(case.loans[0].penalty_rate.value) == "0.27"


def test_a_boolean_for_an_amount_names_the_path_and_shows_an_amount():
    msg = problems(HEAD + 'lender_type = "microloan"\nlate_fees = true\n')
    assert msg.startswith("loans[0].late_fees: ")
    assert 'late_fees = "12000"' in msg


def test_a_schedule_row_paid_as_neither_amount_nor_flag_says_both_are_allowed():
    msg = problems(
        HEAD + 'lender_type = "microloan"\n[[loans.schedule]]\ndue = 2025-12-10\n'
        'amount = "2750.40"\npaid = "maybe"\n'
    )
    assert msg.startswith("loans[0].schedule[0].paid: ")
    assert "true（已还清）" in msg and "false（未还）" in msg


def test_a_misspelt_key_suggests_the_right_one():
    msg = problems(HEAD.replace("monthly_income", "monthly_incom") + 'lender_type = "bank"\n')
    assert "borrower.monthly_incom: 没有这个字段" in msg
    assert "monthly_income" in msg


def test_every_problem_is_listed_at_once():
    text = HEAD.replace("monthly_income", "monthly_incom") + (
        'lender_type = "小額贷款"\nrate = "很高"\nterm_months = "很久"\n'
    )
    msg = problems(text)
    assert msg.startswith("案件中有 4 处问题：")
    for path in (
        "borrower.monthly_incom",
        "loans[0].lender_type",
        "loans[0].rate",
        "loans[0].term_months",
    ):
        assert f"\n{path}: " in msg


def test_english_and_traditional():
    text = HEAD + 'lender_type = "小額贷款"\n'
    en = problems(text, "en")
    assert "did you mean: microloan?" in en and "one of the allowed words is expected" in en
    hant = problems(text, "zh-Hant")
    assert "您是不是想寫" in hant


def test_personal_data_is_never_quoted_back():
    msg = describe(
        [("borrower.phone", "expected text, got a whole number")],
        "zh-Hans",
        {"borrower.phone": "13800138000"},
    )
    assert "13800138000" not in msg


def test_suggestions_for_nested_keys():
    assert suggest("loans[0].lender_nam", "unknown field (check the spelling)")[0] == "lender_name"
    assert suggest("agreement.repayment_acount", "unknown field") == ["repayment_account"]
    assert suggest("loans[2].lender_type", "'consumerfinance' is not one of: x") == [
        "consumer_finance"
    ]


def test_the_cli_shows_every_problem_in_the_chosen_language(tmp_path):
    path = tmp_path / "case.toml"
    path.write_text(
        HEAD.replace("monthly_income", "monthly_incom")
        + 'lender_type = "小額贷款"\nrate = "很高"\n',
        encoding="utf-8",
    )
    zh = subprocess.run(
        [sys.executable, "-m", "negotiator.cli", "advise", str(path)],
        capture_output=True,
        text=True,
    )
    assert zh.returncode == 2
    assert "案件中有 3 处问题" in zh.stderr and "more problem" not in zh.stderr
    assert "Traceback" not in zh.stderr
    en = subprocess.run(
        [sys.executable, "-m", "negotiator.cli", "advise", str(path), "--lang", "en"],
        capture_output=True,
        text=True,
    )
    assert "3 problems in the case" in en.stderr and "did you mean: monthly_income?" in en.stderr


def test_a_gbk_file_is_explained(tmp_path):
    path = tmp_path / "case.toml"
    path.write_bytes((HEAD + 'lender_type = "银行"\n').encode("gbk"))
    proc = subprocess.run(
        [sys.executable, "-m", "negotiator.cli", "advise", str(path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "UTF-8" in proc.stderr and "另存为" in proc.stderr


@pytest.mark.parametrize(
    "written",
    [
        "13800001111",
        "138-0000-1111",
        "138 0000 1111",
        "110105199003071239",
        "6222 0212 3456 7890",
        "wang@example.com",
    ],
)
def test_a_value_that_looks_like_personal_data_is_never_quoted_back_whatever_the_field(written):
    msg = problems(HEAD + f'lender_type = "{written}"\n')
    assert msg.startswith("loans[0].lender_type: ")
    assert written not in msg
    digits = "".join(ch for ch in written if ch.isdigit())
    assert not digits or digits not in "".join(ch for ch in msg if ch.isdigit())


def test_an_ordinary_wrong_word_is_still_quoted_back():
    msg = problems(HEAD + 'lender_type = "小额公司123"\n')
    assert "您写的是：“小额公司123”" in msg
