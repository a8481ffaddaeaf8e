"""Extraction of agreements from text, DOCX and PDF (negotiator.extract)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdf_build import blank_pdf, encrypted_pdf, text_pdf

import negotiator
from negotiator.case.load import load_case, structure
from negotiator.case.models import Agreement
from negotiator.cli import main
from negotiator.errors import InputError
from negotiator.extract import extract_agreement, extraction_toml, merge_into_case, read_document
from negotiator.extract.core import iter_examples, parse_big_money, parse_money
from negotiator.extract.patterns import load_patterns
from negotiator.extract.score import flatten_expected, flatten_extraction, score

CORPUS = Path(__file__).resolve().parents[1] / "extract_corpus"
TEXTS = sorted(CORPUS.glob("*.txt"))

ONE_LOAN_CASE = """
as_of = 2026-11-20

[borrower]
monthly_income = "6000"
essential_expenses = "3500"

[[loans]]
lender_name = "甲乙消费金融有限公司"
lender_type = "consumer_finance"
principal = "20000"
"""


# ---------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------


def test_corpus_is_large_enough_and_varied() -> None:
    assert len(TEXTS) >= 60
    forms = {
        tomllib.loads(p.with_suffix(".toml").read_text("utf-8"))["agreement"]["form"] for p in TEXTS
    }
    assert {"paper", "chat", "e_contract", "phone_only", "email"} <= forms
    raw = [p.read_bytes() for p in TEXTS]
    not_utf8 = 0
    for data in raw:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            not_utf8 += 1
    assert not_utf8 >= 4  # GB18030 and Big5 files are read by detection


@pytest.mark.parametrize("path", TEXTS, ids=[p.stem for p in TEXTS])
def test_corpus_text_reads_as_expected(path: Path) -> None:
    want = flatten_expected(tomllib.loads(path.with_suffix(".toml").read_text("utf-8")))
    ex = extract_agreement(read_document(path.read_bytes()))
    _correct, _got, _want, diffs = score(flatten_extraction(ex), want)
    assert diffs == []


HELD_OUT = ["extract_heldout", "extract_heldout_12"]


@pytest.mark.parametrize("folder", HELD_OUT)
def test_held_out_texts_keep_their_precision(folder: str) -> None:
    """Texts written apart from the patterns: a wrong value is worse than a missing one."""
    correct = extracted = 0
    for path in sorted((Path(__file__).resolve().parents[1] / folder).glob("*.txt")):
        want = flatten_expected(tomllib.loads(path.with_suffix(".toml").read_text("utf-8")))
        ex = extract_agreement(read_document(path.read_bytes()))
        c, e, _w, _d = score(flatten_extraction(ex), want)
        correct, extracted = correct + c, extracted + e
    assert extracted > 50
    assert correct / extracted >= 0.95


@pytest.mark.parametrize("path", TEXTS[::7], ids=[p.stem for p in TEXTS[::7]])
def test_output_contract_loads_as_a_case(path: Path) -> None:
    ex = extract_agreement(read_document(path.read_bytes()))
    doc = tomllib.loads(extraction_toml(ex))
    structure(doc["agreement"], Agreement, root="agreement")
    for key in doc["provenance"]:
        assert key.startswith(("agreement.", "loans["))
    for item in doc.get("inconsistencies", []):
        assert set(item) == {"code", "field", "message"}
    loans = doc.get("loans") or [tomllib.loads(ONE_LOAN_CASE)["loans"][0]]
    if not {"lender_name", "lender_type", "principal"} <= set(loans[0]):
        loans = [tomllib.loads(ONE_LOAN_CASE)["loans"][0] | loans[0]]
    case = load_case({"borrower": {}, "loans": loans, "agreement": doc["agreement"]})
    assert case.agreement is not None


def test_every_value_is_traceable_to_its_words() -> None:
    text = (CORPUS / "001_agreement_full.txt").read_text("utf-8")
    ex = extract_agreement(text)
    lines = text.splitlines()
    for path, prov in ex.provenance.items():
        line = lines[prov.line - 1]
        assert line[prov.column - 1 :].startswith(prov.snippet[: len(line) - prov.column + 1]), path
        assert 0 < prov.confidence <= 1
    assert ex.provenance["agreement.total"].snippet == "减免后应还总额12000元"
    assert ex.provenance["agreement.total"].line == 9


def test_unknown_stays_unknown() -> None:
    ex = extract_agreement("你好，请尽快处理你的欠款。")
    assert ex.agreement == {"form": "chat"}
    assert ex.loans == []
    assert "id_number" not in json.dumps(ex.to_data(), default=str)


# ---------------------------------------------------------------------------------------------
# The pattern file: every example it gives is run
# ---------------------------------------------------------------------------------------------


def _value_of(ex_values: dict[str, object], path: str) -> object:
    return ex_values.get(path)


@pytest.mark.parametrize("where,text,value", list(iter_examples(load_patterns())))
def test_pattern_file_examples(where: str, text: str, value: object) -> None:
    flat = flatten_extraction(extract_agreement(text))
    path = where.replace("loans.", "loans[0].")
    if value is None:
        assert path in flat
    elif path.endswith("rate"):
        assert flat[path] == value
    else:
        assert str(flat[path]) == str(value) or flat[path] == f"{Decimal(str(value)).normalize():f}"


def test_schedule_and_red_flag_examples() -> None:
    p = load_patterns()
    groups = [
        p.schedules,
        p.schedule_day,
        p.schedule_start,
        p.instalment_lines,
        p.one_off,
        p.deadline,
    ]
    for group in groups:
        for entry in group:
            for example in entry.examples:
                assert entry.regex.search(example), (entry.name, example)
    for flag in p.red_flags:
        for example in flag.examples:
            codes = {h.code for h in extract_agreement(example).red_flags}
            assert flag.code in codes, example


def test_red_flag_words_shared_with_the_agreement_check() -> None:
    from negotiator.facts.scam import KEYWORDS

    p = {f.code: f for f in load_patterns().red_flags}
    for code in ("personal_account", "deposit", "verification_code", "debt_agent"):
        for word in KEYWORDS[code]:
            if not word.isascii():
                assert p[code].regex.search(word), word


def test_a_phrase_not_in_the_pattern_file_is_not_flagged() -> None:
    assert extract_agreement("我想申请停息挂账，请问需要什么材料？").red_flags == ()


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,value",
    [("12,000.00元", "12000.00"), ("1.2万", "12000"), ("3千", "3000"), ("¥86.5", "86.5")],
)
def test_money(text: str, value: str) -> None:
    assert parse_money(text) == Decimal(value)


@pytest.mark.parametrize(
    "text,value",
    [("壹万贰仟元整", "12000"), ("伍佰元零伍角", "500.5"), ("叁仟肆佰伍拾陆元柒角捌分", "3456.78")],
)
def test_capital_numerals(text: str, value: str) -> None:
    assert parse_big_money(text) == Decimal(value)


# ---------------------------------------------------------------------------------------------
# Property: structured agreements rendered through templates come back unchanged
# ---------------------------------------------------------------------------------------------

LENDERS = [
    "甲乙消费金融有限公司",
    "丙丁小额贷款有限公司",
    "某某银行股份有限公司",
    "戊己消费金融股份有限公司",
]
PEOPLE = ["张三", "李明", "王芳", "赵小红", "欧阳明"]


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _render(template: int, plan: dict) -> str:
    rows = plan["rows"]
    if template == 0:
        head = [
            "还款协议书",
            f"甲方：{plan['lender']}",
            f"乙方（借款人）：{plan['borrower']}",
            f"原借款合同编号：{plan['ref']}",
            f"应还总额：{plan['total']:,}元",
        ]
        body = [f"第{i + 1}期：{_cn_date(d)}，还款{a}元" for i, (d, a) in enumerate(rows)]
        return "\n".join([*head, *body, f"签订日期：{_cn_date(plan['date'])}"])
    if template == 1:
        head = [f"【{plan['lender']}】您好，合同号{plan['ref']}，方案应还总额{plan['total']}元。"]
        body = [f"{d.isoformat()} 应还 {a:,.2f}" for d, a in rows]
        return "\n".join([*head, "还款计划：", *body])
    head = [
        f"出借人：{plan['lender']}",
        f"借款人：{plan['borrower']}",
        f"借据号：{plan['ref']}",
        f"还款总额 ¥{plan['total']:.2f}",
    ]
    body = [f"第 {i + 1} 期 {d:%Y/%m/%d} 还 ¥{a:.2f}" for i, (d, a) in enumerate(rows)]
    return "\n".join([*head, *body, f"协议日期：{plan['date']:%Y-%m-%d}"])


@st.composite
def plans(draw: st.DrawFn) -> dict:
    n = draw(st.integers(1, 18))
    start = draw(st.dates(dt.date(2025, 1, 1), dt.date(2030, 12, 1)))
    day = draw(st.integers(1, 28))
    rows = []
    for i in range(n):
        month = start.month - 1 + i + 1
        due = dt.date(start.year + month // 12, month % 12 + 1, day)
        amount = Decimal(draw(st.integers(1, 5_000_000))) / 100
        rows.append((due, amount))
    return {
        "lender": draw(st.sampled_from(LENDERS)),
        "borrower": draw(st.sampled_from(PEOPLE)),
        "ref": draw(st.from_regex(r"[A-Z]{2}[0-9]{6,12}", fullmatch=True)),
        "rows": rows,
        "total": sum(a for _d, a in rows),
        "date": start,
    }


@settings(max_examples=60, deadline=None)
@given(plan=plans(), template=st.integers(0, 2))
def test_rendered_agreements_come_back_unchanged(plan: dict, template: int) -> None:
    ex = extract_agreement(_render(template, plan))
    g = ex.agreement
    assert [(i["due"], Decimal(i["amount"])) for i in g["instalments"]] == plan["rows"]
    assert Decimal(g["total"]) == plan["total"]
    assert g["contract_ref"] == plan["ref"]
    assert not [i for i in ex.inconsistencies if i.code == "schedule_sum"]
    if template != 1:
        assert g["lender"]["name"] == plan["lender"]
        assert g["borrower"]["name"] == plan["borrower"]
        assert g["date"] == plan["date"]


@settings(max_examples=30, deadline=None)
@given(plan=plans())
def test_a_changed_instalment_is_reported(plan: dict) -> None:
    rows = list(plan["rows"])
    due, amount = rows[-1]
    rows[-1] = (due, amount + Decimal("1"))
    ex = extract_agreement(_render(0, plan | {"rows": rows}))
    assert "schedule_sum" in {i.code for i in ex.inconsistencies}


# ---------------------------------------------------------------------------------------------
# Files: DOCX, PDF, encodings, bad input
# ---------------------------------------------------------------------------------------------

SAMPLE = [
    "还款协议书",
    "甲方：甲乙消费金融有限公司",
    "应还总额：12000元",
    "每月还款2000元，共6期。",
]


def test_docx_is_read() -> None:
    import docx

    document = docx.Document()
    for line in SAMPLE[:2]:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "应还总额"
    table.rows[0].cells[1].text = "12000元"
    out = io.BytesIO()
    document.save(out)
    ex = extract_agreement(read_document(out.getvalue()))
    assert ex.agreement["lender"]["name"] == "甲乙消费金融有限公司"
    assert ex.agreement["total"] == "12000"


def test_pdf_text_layer_is_read() -> None:
    ex = extract_agreement(read_document(text_pdf(SAMPLE)))
    assert ex.agreement["total"] == "12000"
    assert len(ex.agreement["instalments"]) == 6


def test_pdf_without_text_needs_ocr() -> None:
    with pytest.raises(InputError, match="OCR"):
        read_document(blank_pdf())


def test_encrypted_pdf_is_refused_clearly() -> None:
    with pytest.raises(InputError, match="encrypted"):
        read_document(encrypted_pdf(SAMPLE))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "big5"])
def test_encodings(encoding: str) -> None:
    text = "甲方：甲乙消费金融有限公司\n应还总额：12000元，每月还款2000元，共6期。\n"
    if encoding == "big5":
        import opencc

        text = opencc.OpenCC("s2t").convert(text)
    ex = extract_agreement(read_document(text.encode(encoding)))
    assert ex.agreement["total"] == "12000"


@pytest.mark.parametrize(
    "data,needle",
    [
        (bytes(range(256)) * 40, "binary"),
        (b"PK\x03\x04garbage", "ZIP"),
        (b"%PDF-1.4\ngarbage", "PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "binary"),
    ],
)
def test_bad_input_one_clear_error(data: bytes, needle: str) -> None:
    with pytest.raises(InputError, match=needle) as info:
        read_document(data)
    assert info.value.path == "TEXT"


def test_fifty_megabytes_of_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        chunk = ("应还总额：12000元。" * 1000).encode("utf-8")
        while f.tell() < 50 * 1024 * 1024:
            f.write(chunk)
    assert main(["extract", str(big)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "larger than" in err and "Traceback" not in err
    with pytest.raises(InputError, match="longer than"):
        extract_agreement("欠款" * 150_000)


# ---------------------------------------------------------------------------------------------
# Inconsistencies and red flags
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,code",
    [
        ("应还总额：人民币壹万元整（¥10,500.00）", "amount_words"),
        (
            "应还总额3000元\n第1期：2026年1月5日，还款1000元\n第2期：2026年2月5日，还款1000元",
            "schedule_sum",
        ),
        (
            "共3期\n第1期：2026年1月5日，还款1000元\n第2期：2026年2月5日，还款1000元",
            "instalment_count",
        ),
        ("2026年12月15日（星期一）前还款2000元", "date_conflict"),
        ("借款年利率24%（月利率1%）", "rate_conflict"),
        ("分期期间不计利息。分期期间月利率1%。", "terms_conflict"),
        ("收款人：王五\n甲方：甲乙消费金融有限公司", "payee_not_creditor"),
    ],
)
def test_inconsistency_fires(text: str, code: str) -> None:
    assert code in {i.code for i in extract_agreement(text).inconsistencies}


@pytest.mark.parametrize(
    "text",
    [
        "应还总额：人民币壹万元整（¥10,000.00）",
        "应还总额2000元\n第1期：2026年1月5日，还款1000元\n第2期：2026年2月5日，还款1000元",
        "共2期\n第1期：2026年1月5日，还款1000元\n第2期：2026年2月5日，还款1000元",
        "2026年12月15日（星期二）前还款2000元",
        "借款年利率12%（月利率1%）",
        "借款年利率18%（日利率万分之五）",
        "分期期间不计利息。",
        "甲方：甲乙消费金融有限公司\n户名：甲乙消费金融有限公司",
    ],
)
def test_consistent_text_has_no_inconsistency(text: str) -> None:
    assert extract_agreement(text).inconsistencies == ()


# ---------------------------------------------------------------------------------------------
# Command line and API
# ---------------------------------------------------------------------------------------------


def test_cli_extract_toml_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = CORPUS / "003_wechat_collector_alipay.txt"
    assert main(["extract", str(src)]) == 0
    doc = tomllib.loads(capsys.readouterr().out)
    assert doc["agreement"]["repayment_account"] == "personal"
    assert doc["provenance"]["agreement.account_holder"]["snippet"] == "户名：刘强"
    assert main(["extract", str(src), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["agreement"] == doc["agreement"]
    assert [i["code"] for i in data["inconsistencies"]] == ["payee_not_creditor"]


def test_cli_extract_pdf_and_stdin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = tmp_path / "agreement.pdf"
    pdf.write_bytes(text_pdf(SAMPLE))
    assert main(["extract", str(pdf), "-o", str(tmp_path / "out.toml")]) == 0
    assert (
        tomllib.loads((tmp_path / "out.toml").read_text("utf-8"))["agreement"]["total"] == "12000"
    )

    class Stdin:
        buffer = io.BytesIO("应还总额：5000元".encode("gb18030"))

    monkeypatch.setattr("sys.stdin", Stdin)
    assert main(["extract", "-"]) == 0
    assert 'total = "5000"' in capsys.readouterr().out


def test_cli_extract_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(blank_pdf())
    assert main(["extract", str(scan)]) == 2
    assert "OCR" in capsys.readouterr().err
    assert main(["extract", str(tmp_path / "missing.txt")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_check_from_text_merges_and_marks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = tmp_path / "case.toml"
    case.write_text(ONE_LOAN_CASE, "utf-8")
    text = tmp_path / "msg.txt"
    text.write_text(
        "王女士您好，方案：首期4000元，之后每月2000元，共13期。请转到我的支付宝，户名：刘强。",
        "utf-8",
    )
    assert main(["check", "--from-text", str(text), str(case)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("来自文本的字段")
    assert "agreement.repayment_account" in out and "要求还到个人账户" in out
    assert main(["check", "--from-text", str(text), str(case), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert "agreement.instalments" in data["from_text"]["fields"]
    assert "SCAM_PERSONAL_ACCOUNT" in {f["code"] for f in data["findings"]}


def test_merge_keeps_what_the_case_states() -> None:
    ex = extract_agreement("应还总额：12000元\n甲方：甲乙消费金融有限公司\n借款本金：20000元")
    case = tomllib.loads(ONE_LOAN_CASE) | {"agreement": {"form": "paper", "total": "11000"}}
    merged, taken = merge_into_case(case, ex)
    assert merged["agreement"]["total"] == "11000"
    assert "agreement.total" not in taken
    assert "agreement.lender" in taken
    assert merged["loans"][0]["principal"] == "20000"  # the case's own value
    assert load_case(merged).agreement is not None


def test_api_export() -> None:
    ex = negotiator.extract_agreement("应还总额：12000元")
    assert ex.agreement["total"] == "12000"
    assert re.fullmatch(r"\d+", str(ex.provenance["agreement.total"].line))


# ---------------------------------------------------------------------------------------------
# Schedules described in words
# ---------------------------------------------------------------------------------------------


def _runs(items: list[dict]) -> str:
    """``[2000, 2000, 1500]`` → ``2x2000+1x1500`` (the notation of the pattern file's examples)."""
    runs: list[list] = []
    for item in items:
        amount = item.get("amount", "?")
        if runs and runs[-1][1] == amount:
            runs[-1][0] += 1
        else:
            runs.append([1, amount])
    return "+".join(f"{n}x{Decimal(a).normalize():f}" if a != "?" else f"{n}x?" for n, a in runs)


SEGMENT_EXAMPLES = [
    (seg.role, e["text"], e["value"]) for seg in load_patterns().segments for e in seg.examples
]


@pytest.mark.parametrize("role,text,value", SEGMENT_EXAMPLES)
def test_segment_examples_expand_as_written(role: str, text: str, value: str) -> None:
    ex = extract_agreement(text)
    assert _runs(ex.agreement["instalments"]) == value
    assert not {"schedule_sum", "instalment_count"} & {i.code for i in ex.inconsistencies}


def test_every_segment_role_has_an_example() -> None:
    from negotiator.extract.patterns import SEGMENT_ROLES

    assert {role for role, _t, _v in SEGMENT_EXAMPLES} == SEGMENT_ROLES


def test_a_segment_with_an_unknown_role_is_refused() -> None:
    from negotiator.errors import RuleFileError
    from negotiator.extract.patterns import compile_patterns, raw_patterns

    data = raw_patterns()
    data["segment"] = [*data["segment"], {"role": "middle", "pattern": "x", "examples": []}]
    with pytest.raises(RuleFileError, match=r"segment\[\d+\]"):
        compile_patterns(data)


def test_each_row_of_a_worded_schedule_cites_its_own_words() -> None:
    text = "应还总额15000元。前3期每期2000元、后6期每期1500元，每月20日前还，自2027年1月起。"
    ex = extract_agreement(text)
    rows = ex.agreement["instalments"]
    assert [r["amount"] for r in rows] == ["2000"] * 3 + ["1500"] * 6
    assert [r["due"] for r in rows][:2] == [dt.date(2027, 1, 20), dt.date(2027, 2, 20)]
    assert ex.provenance["agreement.instalments[0].amount"].snippet == "前3期每期2000元"
    assert ex.provenance["agreement.instalments[8].amount"].snippet == "后6期每期1500元"
    assert ex.provenance["agreement.instalments[8].amount"].confidence == 0.8
    assert ex.provenance["agreement.instalments[0].due"].snippet == "自2027年1月起"
    assert ex.inconsistencies == ()


def test_a_worded_schedule_is_checked_against_the_total_and_the_count() -> None:
    ex = extract_agreement("应还总额16000元，前3期每期2000元、后6期每期1500元")
    codes = {i.code for i in ex.inconsistencies}
    assert codes == {"schedule_sum"}
    ex = extract_agreement("前3期每期2000元、后6期每期1500元，共10期")
    assert {i.code for i in ex.inconsistencies} == {"instalment_count"}
    assert len(ex.agreement["instalments"]) == 9  # what the pieces say, not the count


def test_a_share_that_does_not_divide_to_the_fen_stays_unknown() -> None:
    ex = extract_agreement("应还总额10000元，首期3000元，剩余款项分3期还清")
    assert ex.agreement["instalments"] == [{"amount": "3000"}, {}, {}, {}]
    assert "agreement.instalments[1].amount" not in ex.provenance
    ex = extract_agreement("应还总额9000元，首期3000元，剩余款项分3期还清")
    assert _runs(ex.agreement["instalments"]) == "1x3000+3x2000"


def test_pieces_that_leave_a_gap_give_no_schedule() -> None:
    # instalments 4-6 are not described: the schedule is not guessed
    assert "instalments" not in extract_agreement("第1-3期每期2000元，第7-9期每期1500元").agreement
    # one instalment described twice is not one schedule either
    assert "instalments" not in extract_agreement("第1-3期每期2000元，第3-6期每期1500元").agreement


def _worded(template: int, n1: int, a1: Decimal, n2: int, a2: Decimal) -> str:
    cn = "零一二三四五六七八九十"
    if template == 0:
        return f"前{n1}期每期{a1}元、后{n2}期每期{a2}元"
    if template == 1:
        return f"第1-{n1}期每期{a1:,}元；第{n1 + 1}-{n1 + n2}期每期{a2:,}元。"
    if template == 2:
        return f"第1至{n1}期每月还{a1}，第{n1 + 1}至第{n1 + n2}期每月还{a2}"
    if template == 3:
        count = cn[n1] if n1 <= 10 else str(n1)
        return f"前{count}个月每月还{a1}元，剩余{n2}期每期{a2}元"
    return f"分{n1 + n2}期还款：前{n1}期每期{a1}元，后{n2}期每期{a2}元，共{n1 + n2}期。"


@settings(max_examples=60, deadline=None)
@given(
    template=st.integers(0, 4),
    n1=st.integers(1, 12),
    n2=st.integers(1, 24),
    a1=st.integers(1, 999_999).map(lambda c: Decimal(c) / 100),
    a2=st.integers(1, 999_999).map(lambda c: Decimal(c) / 100),
)
def test_worded_tiers_come_back_unchanged(
    template: int, n1: int, n2: int, a1: Decimal, a2: Decimal
) -> None:
    text = _worded(template, n1, a1, n2, a2)
    ex = extract_agreement(text)
    amounts = [Decimal(i["amount"]) for i in ex.agreement["instalments"]]
    assert amounts == [a1] * n1 + [a2] * n2, text
    assert not [i for i in ex.inconsistencies if i.code == "instalment_count"]
    doc = tomllib.loads(extraction_toml(ex))
    structure(doc["agreement"], Agreement, root="agreement")


@settings(max_examples=40, deadline=None)
@given(
    first=st.integers(100, 99_999),
    each=st.integers(100, 99_999),
    count=st.integers(2, 36),
    day=st.integers(1, 28),
)
def test_first_then_monthly_with_dates(first: int, each: int, count: int, day: int) -> None:
    text = f"首期于2027年1月{day}日前支付{first}元，之后每月{day}日前还{each}元，共{count}期。"
    ex = extract_agreement(text)
    rows = ex.agreement["instalments"]
    assert [Decimal(r["amount"]) for r in rows] == [first] + [each] * (count - 1)
    assert rows[0]["due"] == dt.date(2027, 1, day)
    assert rows[-1]["due"] == dt.date(2027 + (count - 1) // 12, (count - 1) % 12 + 1, day)
    assert ex.inconsistencies == ()


def test_a_part_named_with_another_is_not_that_part() -> None:
    ex = extract_agreement("其中罚息和违约金2,480元")
    assert "fees" not in ex.agreement and "penalty" not in ex.agreement
    ex = extract_agreement("其中罚息500元和违约金200元")
    assert (ex.agreement["penalty"], ex.agreement["fees"]) == ("500", "200")


def test_a_warning_against_paying_a_person_is_not_a_red_flag() -> None:
    ex = extract_agreement("请通过官方App还款，切勿转账至任何个人账户，也不要交保证金。")
    assert ex.red_flags == ()
    assert ex.agreement.get("repayment_account") == "in_app"
    ex = extract_agreement("请把钱转到个人账户，先交保证金500元。")
    assert {f.code for f in ex.red_flags} == {"personal_account", "deposit"}


def test_waived_parts_are_added_up_and_marked_derived() -> None:
    ex = extract_agreement("我行同意减免违约金1,500元及部分利息600元，减免后应还总额26,500元")
    assert ex.agreement["waived"] == "2100"
    assert ex.provenance["agreement.waived"].confidence == 0.8
    assert ex.provenance["agreement.waived"].snippet == "减免违约金1,500元及部分利息600元"


def test_a_run_of_months_lists_dated_rows() -> None:
    text = "2026年12月20日前还款5,000元；\n2027年1月至2027年10月，每月20日前还款2,150元。"
    ex = extract_agreement("减免后应还总额26,500元，按以下计划还款：\n" + text)
    rows = ex.agreement["instalments"]
    assert len(rows) == 11
    assert rows[0] == {"due": dt.date(2026, 12, 20), "amount": "5000"}
    assert rows[-1] == {"due": dt.date(2027, 10, 20), "amount": "2150"}
    assert ex.inconsistencies == ()
    # 31 does not exist in every month: those rows have no date rather than a guessed one
    rows = extract_agreement("2027年1月至3月，每月31日前还款1000元").agreement["instalments"]
    assert [r.get("due") for r in rows] == [dt.date(2027, 1, 31), None, dt.date(2027, 3, 31)]


@pytest.mark.parametrize(
    "text,value",
    [
        ("一万六千八", "16800"),
        ("两千八", "2800"),
        ("一万四", "14000"),
        ("三千五百元", "3500"),
        ("2万3千4", "23400"),
        ("1万9", "19000"),
        ("4千4", "4400"),
    ],
)
def test_spoken_amounts(text: str, value: str) -> None:
    assert parse_money(text) == Decimal(value)


def test_an_approximate_amount_is_not_read() -> None:
    assert "remaining" not in extract_agreement("你欠了9千多").agreement
    ex = extract_agreement("回复1申请分12期，每期约930元")
    assert "instalments" not in ex.agreement


def test_only_the_chosen_option_is_read() -> None:
    options = "方案一：一次性结清，只需还8,000元；\n方案二：分10期，每期1,000元。\n"
    ex = extract_agreement(options + "我选了方案二。")
    assert "total" not in ex.agreement
    assert _runs(ex.agreement["instalments"]) == "10x1000"
    ex = extract_agreement(options + "我还在考虑。")
    assert "total" not in ex.agreement and "instalments" not in ex.agreement


def test_instalments_two_months_apart() -> None:
    text = "每两个月还一次，每次3,000元，一共还4次，第一次在2027年1月15日之前。"
    rows = extract_agreement(text).agreement["instalments"]
    assert [r["due"] for r in rows] == [
        dt.date(2027, 1, 15),
        dt.date(2027, 3, 15),
        dt.date(2027, 5, 15),
        dt.date(2027, 7, 15),
    ]
