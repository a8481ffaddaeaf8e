"""Regression tests for the reliability review (docs/reliability.md): one or more per defect.

Each test keeps the essence of a reproducer (D1–D20): the input that broke the contract and the
behaviour the contract promises.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import signal
import stat
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

import negotiator
from negotiator import InputError, advise, check, load_case, render_letter
from negotiator.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHORT = ROOT / "examples" / "short_term.toml"


def loan(**extra: object) -> dict[str, object]:
    base: dict[str, object] = {
        "lender_name": "x",
        "lender_type": "bank",
        "principal": "100",
        "outstanding": "100",
        "overdue_since": "2026-01-01",
    }
    base.update(extra)
    return base


def case(**extra: object) -> dict[str, object]:
    base: dict[str, object] = {"as_of": "2026-11-20", "borrower": {}, "loans": [loan()]}
    base.update(extra)
    return base


def write(tmp_path: Path, data: object, name: str = "c.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def cli(
    *args: str, env: dict[str, str] | None = None, stdin: bytes | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "negotiator.cli", *args],
        input=stdin,
        capture_output=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


# --- D1: output files only replace a regular file or create one; modes kept / umask followed --


def test_output_refuses_a_device_and_a_fifo(tmp_path, capsys):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert main(["advise", str(SHORT), "-o", str(fifo)]) == 2
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert main(["advise", str(SHORT), "-o", os.devnull]) == 2
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "-o:" in err and "not a regular file" in err


def test_output_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path, capsys):
    target = tmp_path / "real.txt"
    target.write_text("precious")
    link = tmp_path / "link.txt"
    link.symlink_to("real.txt")
    assert main(["advise", str(SHORT), "-o", str(link)]) in (0, 1)
    assert link.is_symlink()
    assert "precious" not in target.read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8").strip()


def test_output_keeps_an_existing_mode_and_follows_the_umask(tmp_path, capsys):
    old = tmp_path / "old.txt"
    old.write_text("x")
    old.chmod(0o640)
    assert main(["advise", str(SHORT), "-o", str(old)]) in (0, 1)
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    previous = os.umask(0o027)
    try:
        assert main(["advise", str(SHORT), "-o", str(tmp_path / "new.txt")]) in (0, 1)
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
    assert not list(tmp_path.glob("*.part"))


# --- D2: personal accounts smuggled through free text or the account holder -----------------


def smuggled(**agreement: object) -> dict[str, object]:
    base: dict[str, object] = {
        "form": "paper",
        "loan": "L1",
        "total": "8000",
        "repayment_account": "official_company",
        "instalments": [
            {"due": "2026-12-20", "amount": "4000"},
            {"due": "2027-01-20", "amount": "4000"},
        ],
    }
    base.update(agreement)
    return {
        "as_of": "2026-11-20",
        "borrower": {"name": "王晓明", "monthly_income": "3000", "essential_expenses": "1000"},
        "loans": [
            {
                "id": "L1",
                "lender_name": "甲消费金融有限公司",
                "lender_type": "consumer_finance",
                "principal": "10000",
                "outstanding": "10000",
                "overdue_since": "2026-06-01",
            }
        ],
        "agreement": base,
    }


@pytest.mark.parametrize(
    ("agreement", "path"),
    [
        (
            {"breach_clause": "每期款项请转入催收员张三个人账户 6222021234567890123"},
            "agreement.breach_clause",
        ),
        ({"allocation_order": "先转到个人微信，再还本金"}, "agreement.allocation_order"),
        (
            {"credit_reporting": "还款至个人支付宝 13900001111 后恢复征信"},
            "agreement.credit_reporting",
        ),
        ({"account_holder": "张三（个人）"}, "agreement.account_holder"),
        ({"account_holder": "李四"}, "agreement.account_holder"),
        ({"lender": {"name": "甲公司（还款请转入张三个人账户6222）"}}, "agreement.lender.name"),
    ],
)
def test_personal_payment_in_text_is_refused_in_letters_and_flagged(agreement, path):
    data = smuggled(**agreement)
    with pytest.raises(InputError) as err:
        render_letter("written_confirmation", data)
    assert err.value.path == path
    assert "6222" not in str(err.value) and "139" not in str(err.value)
    assert check(data).by_code("SCAM_PERSONAL_ACCOUNT")


def test_a_company_account_holder_and_plain_clauses_are_not_flagged():
    data = smuggled(account_holder="甲消费金融有限公司", breach_clause="逾期超过15天视为违约")
    assert not check(data).by_code("SCAM_PERSONAL_ACCOUNT")
    assert isinstance(render_letter("written_confirmation", data), str)


# --- D3: a 砍头息 7-day loan: the JSON report states the huge cost, never crashes ------------


PREDATORY = {
    "as_of": "2026-11-20",
    "borrower": {},
    "loans": [
        {
            "lender_name": "某网贷",
            "lender_type": "microloan",
            "principal": "1000",
            "received": "300",
            "contract_date": "2026-11-01",
            "schedule": [{"due": "2026-11-08", "amount": "1000"}],
            "outstanding": "1000",
            "overdue_since": "2026-11-08",
        }
    ],
    "agreement": {"form": "chat", "total": "1000"},
}


def test_predatory_short_loan_gives_a_json_report_with_stated_huge_figures():
    for report in (advise(PREDATORY), check(PREDATORY)):
        text = json.dumps(report.to_json(), ensure_ascii=False)
        assert "E+" in text  # the cost in scientific notation
    from negotiator.batch.local import evaluate_record

    record = evaluate_record(1, json.dumps(PREDATORY))
    assert "error" not in record


def test_money_stated_never_raises():
    from negotiator.money import stated

    assert stated(Decimal("1.9E+27")) == "1.90E+27"
    assert stated(Decimal("12.345")) == "12.35"
    assert stated(Decimal("1E+5000")) == "1.00E+5000"


# --- D4: bounded work before parsing and allocating ------------------------------------------


def test_term_months_is_bounded():
    with pytest.raises(InputError) as err:
        load_case(case(loans=[loan(term_months=10**7, rate={"value": "0.1", "unit": "annual"})]))
    assert err.value.path == "loans[0].term_months"
    assert load_case(case(loans=[loan(term_months=600)])).loans[0].term_months == 600


def test_a_long_dotted_toml_key_is_refused_before_parsing():
    text = "a" + ".a" * 20000 + " = 1\n"
    started = time.monotonic()
    with pytest.raises(InputError, match="dotted parts"):
        load_case(text)
    assert time.monotonic() - started < 5  # tomllib needed 5.6 s and 1.6 GB for this


def test_a_file_larger_than_the_limit_is_not_read_whole(tmp_path):
    big = tmp_path / "big.toml"
    with big.open("wb") as handle:
        handle.truncate(3 * 10**9)  # sparse: 3 GB that cost nothing on disk
    with pytest.raises(InputError, match="larger than 5 MB"):
        load_case(big)


def test_stdin_is_read_to_the_limit_only():
    proc = cli("advise", "-", stdin=b"#" * 5_000_001)
    assert proc.returncode == 2 and b"larger than 5 MB" in proc.stderr


# --- D5: loan ids unique after defaults ------------------------------------------------------


def test_an_explicit_id_equal_to_a_default_id_is_refused():
    data = case(loans=[loan(lender_name="甲银行"), loan(id="L1", lender_name="乙小贷")])
    with pytest.raises(InputError) as err:
        load_case(data)
    assert err.value.path == "loans[1].id"
    assert "default id of loans[0]" in err.value.problem
    data = case(loans=[loan(id="L2"), loan()])
    with pytest.raises(InputError) as err:
        load_case(data)
    assert err.value.path == "loans[1].id"


# --- D6: TOML starting with a table header --------------------------------------------------


def test_toml_starting_with_a_table_header_is_toml():
    text = (
        '[borrower]\nname = "王"\n\n[[loans]]\nlender_name = "x"\nlender_type = "bank"\n'
        'principal = "100"\n'
    )
    assert load_case(text).borrower.name == "王"
    assert load_case(text.encode()).loans[0].lender_name == "x"
    with pytest.raises(InputError, match="JSON"):
        load_case('[{"a": 1}')
    with pytest.raises(InputError, match="object"):
        load_case("[1, 2]")


# --- D7: batch from stdin must not overwrite its own input ----------------------------------


def test_batch_from_stdin_refuses_to_overwrite_the_file_it_reads(tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(case()) + "\n")
    original = cases.read_bytes()
    with cases.open("rb") as stdin:
        proc = subprocess.run(
            [sys.executable, "-m", "negotiator.cli", "batch", "-", "-o", str(cases)],
            stdin=stdin,
            capture_output=True,
            timeout=120,
            cwd=ROOT,
        )
    assert proc.returncode == 2 and b"overwrite the input" in proc.stderr
    assert cases.read_bytes() == original


# --- D8: SIGTERM like SIGINT; workers die with their parent; no .part left ------------------


@pytest.mark.slow
def test_sigterm_stops_a_batch_cleanly(tmp_path):
    line = json.dumps(case(borrower={"monthly_income": "3000"}))
    source = tmp_path / "in.jsonl"
    source.write_text((line + "\n") * 40000)
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "negotiator.cli",
            "batch",
            str(source),
            "-o",
            str(out),
            "--no-progress",
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    time.sleep(6)
    proc.send_signal(signal.SIGTERM)
    # communicate() returns only when every process holding the pipes has gone: orphaned
    # workers would make it time out.
    _out, _err = proc.communicate(timeout=60)
    assert proc.returncode == 143
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_workers_ask_to_die_with_their_parent():
    from negotiator.batch import local as batch

    assert callable(batch._die_with_parent)
    code = (
        "import ctypes, signal; from negotiator.batch.local import _die_with_parent; "
        "_die_with_parent(); v = ctypes.c_int(); "
        "ctypes.CDLL(None).prctl(2, ctypes.byref(v), 0, 0, 0); print(v.value)"
    )
    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux-only")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert out.stdout.strip() == str(int(signal.SIGKILL))


# --- per-case time limit in batch ------------------------------------------------------------


def test_a_line_that_takes_too_long_becomes_a_timeout_record(monkeypatch):
    from negotiator.batch import local as batch

    monkeypatch.setattr(batch, "CASE_SECONDS", 0.2)

    def slow(*_args: object) -> object:
        time.sleep(5)
        raise AssertionError("not stopped")

    monkeypatch.setattr(batch, "_evaluate_unlimited", slow)
    started = time.monotonic()
    record = batch.evaluate_record(7, json.dumps(case()))
    assert time.monotonic() - started < 3
    assert record["line"] == 7 and record["error"]["type"] == "Timeout"


# --- D9: exit 2 (one line naming the field) instead of exit 70 ------------------------------


def test_as_of_near_the_end_of_the_calendar_is_refused_naming_the_field(capsys):
    data = case(
        as_of="9999-12-31",
        agreement={"form": "paper", "instalments": [{"due": "2026-12-20", "amount": "2500"}]},
    )
    with pytest.raises(InputError) as err:
        load_case(data)
    assert err.value.path == "as_of"
    with pytest.raises(InputError) as err:
        advise(case(), as_of=dt.date.max)
    assert err.value.path == "as_of"
    assert main(["advise", str(SHORT), "--as-of", "9999-01-31"]) == 2
    assert "--as-of" in capsys.readouterr().err


@pytest.mark.parametrize("char", ["\ud800", "\udc80", "\x1b", "\x01", "\x7f\x00"])
def test_surrogates_and_control_characters_are_refused_at_load(char):
    with pytest.raises(InputError) as err:
        load_case(case(loans=[loan(lender_name=f"x{char}y")]))
    assert err.value.path == "loans[0].lender_name"


def test_tabs_in_one_line_fields_and_newlines_in_long_text_are_fine():
    assert load_case(case(loans=[loan(lender_name="甲\t乙")])).loans[0].lender_name == "甲\t乙"
    notes = "第一行\n第二行"
    data = case(
        borrower={
            "monthly_income": "5000",
            "hardships": [{"kind": "illness", "description": notes}],
        }
    )
    assert load_case(data).borrower.hardships[0].description == notes


@pytest.mark.parametrize(
    ("where", "path"),
    [
        ({"loans": [{"lender_name": "某银行\n==="}]}, "loans[0].lender_name"),
        ({"borrower": {"name": "王晓明\n---"}}, "borrower.name"),
        ({"loans": [{"contract_no": "A1\r\n    x"}]}, "loans[0].contract_no"),
    ],
)
def test_line_breaks_in_one_line_fields_are_refused(where, path):
    # D12: a line break in a name would add a heading, a rule or a code block to a letter
    data = case()
    for key, value in where.items():
        if key == "loans":
            data["loans"] = [loan(**value[0])]
        else:
            data[key] = {**data.get(key, {}), **value}
    with pytest.raises(InputError) as err:
        load_case(data)
    assert err.value.path == path
    assert "line" in err.value.problem


def test_escaped_surrogate_in_a_json_file_is_exit_2(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(case(loans=[loan(lender_name="x\ud800")])), encoding="utf-8")
    proc = cli("advise", str(path))
    assert proc.returncode == 2 and proc.stderr.startswith(b"negotiator: error:")
    assert b"Traceback" not in proc.stderr


@pytest.mark.parametrize("target", ["dir", "missing/x.txt"])
def test_every_output_error_is_exit_2(tmp_path, capsys, target):
    (tmp_path / "dir").mkdir()
    assert main(["advise", str(SHORT), "-o", str(tmp_path / target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("negotiator: error: -o:") and err.count("\n") == 1


def test_read_only_folder_as_seen_by_the_writer(tmp_path, monkeypatch):
    # The same mapping, independent of who runs the tests: mkstemp fails with EACCES.
    import errno
    import tempfile

    from negotiator.fsutil import atomic_write

    def refuse(*_a: object, **_k: object) -> object:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(InputError) as err:
        atomic_write(tmp_path / "x.txt", b"data")
    assert err.value.path == "-o" and "Permission denied" in err.value.problem


def test_a_full_disk_is_exit_2_and_leaves_nothing(tmp_path, monkeypatch):
    import errno

    from negotiator.fsutil import atomic_open

    with pytest.raises(InputError) as err, atomic_open(tmp_path / "x.txt"):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert "No space left" in err.value.problem
    assert list(tmp_path.iterdir()) == []


def test_a_non_utf8_stdout_is_exit_2_with_advice():
    proc = cli("advise", str(SHORT), env={"PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 2
    assert b"UTF-8" in proc.stderr and proc.stderr.count(b"\n") == 1


# --- D10: user templates: no links out of the folder, no unmasked identifiers ---------------


def test_template_symlinks_out_of_the_folder_are_not_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    letters = tmp_path / "tpl" / "letters"
    letters.mkdir(parents=True)
    (letters / "leak.txt").symlink_to(secret)
    (letters / "negotiation_request.zh-Hans.j2").write_text("{% include 'letters/leak.txt' %}")
    with pytest.raises(InputError) as err:
        render_letter("negotiation_request", SHORT, templates=tmp_path / "tpl")
    assert "TOP-SECRET" not in str(err.value)


def test_user_templates_see_only_the_masked_id_and_errors_quote_no_value(tmp_path):
    data = load_case(SHORT)
    full = data.borrower.id_number
    assert full
    letters = tmp_path / "tpl" / "letters"
    letters.mkdir(parents=True)
    (letters / "hardship_statement.zh-Hans.j2").write_text("[{{ sender.id_full }}]")
    out = render_letter("hardship_statement", data, templates=tmp_path / "tpl")
    assert full not in out and "*" in out
    (letters / "waiver_request.zh-Hans.j2").write_text("{{ sender.id_masked | int(x) }}")
    (letters / "waiver_request.zh-Hans.j2").write_text("{{ {}[sender.name] }}")
    with pytest.raises(InputError) as err:
        render_letter("waiver_request", data, templates=tmp_path / "tpl")
    assert data.borrower.name is None or data.borrower.name not in str(err.value)


# --- D11: errors never echo a value that could be personal data ------------------------------


def test_enum_errors_and_unknown_keys_do_not_echo_personal_data():
    contact = {"at": "2026-10-10T10:00:00", "channel": "13800001111"}
    with pytest.raises(InputError) as err:
        load_case(case(loans=[loan(collection_contacts=[contact])]))
    assert "13800001111" not in str(err.value)
    assert err.value.path == "loans[0].collection_contacts[0].channel"
    with pytest.raises(InputError) as err:
        load_case({"borrower": {"110105199003071239": "x"}, "loans": [loan()]})
    assert "110105199003071239" not in err.value.describe()
    with pytest.raises(InputError) as err:
        load_case(case(loans=[loan(lender_type="banc")]))
    assert "'banc'" in str(err.value)  # a typo of a word is still shown


# --- D13: misuse of the API raises InputError ------------------------------------------------


@pytest.mark.parametrize("bad", [None, 5, [1], bytearray(b"{"), object()])
def test_load_case_refuses_wrong_types_with_input_error(bad):
    with pytest.raises(InputError):
        load_case(bad)


def test_api_arguments_are_checked():
    with pytest.raises(InputError) as err:
        advise(SHORT, as_of="2026-01-01")  # type: ignore[arg-type]
    assert err.value.path == "as_of"
    with pytest.raises(InputError) as err:
        advise(SHORT, evaluator="drools")  # type: ignore[arg-type]
    assert err.value.path == "evaluator"
    with pytest.raises(InputError) as err:
        load_case("examples/short_term.toml")
    assert "pathlib.Path" in err.value.problem


def test_usage_errors_are_one_line(capsys):
    assert main(["advise"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--help" in err


# --- D14: a private decimal context ----------------------------------------------------------


def test_results_do_not_depend_on_the_callers_decimal_context():
    text = (ROOT / "examples" / "negotiation_failed.toml").read_bytes()
    expected = advise(load_case(text), lang="en").to_json()
    with decimal.localcontext() as ctx:
        ctx.prec = 10
        assert advise(load_case(text), lang="en").to_json() == expected
    with decimal.localcontext() as ctx:
        ctx.prec = 6
        load_case(SHORT)
        assert isinstance(render_letter("negotiation_request", SHORT), str)


# --- D15 (loader side): commas, -0, digits ---------------------------------------------------


def test_commas_only_as_thousands_separators_and_minus_zero_is_zero():
    got = load_case(case(loans=[loan(outstanding="12,345.60")])).loans[0].outstanding
    assert got == Decimal("12345.60")
    for bad in ("12,34", "1,,,0", "１２３", "٣"):
        with pytest.raises(InputError) as err:
            load_case(case(loans=[loan(outstanding=bad)]))
        assert err.value.path == "loans[0].outstanding"
    zero = load_case(case(borrower={"monthly_income": "-0"})).borrower.monthly_income
    assert zero == 0 and not zero.is_signed()
    out = render_letter(
        "negotiation_request", case(borrower={"monthly_income": "-0", "essential_expenses": "-0"})
    )
    assert "-0.00" not in out and "负" not in out


# --- D19: a case without as_of is dated in Beijing ------------------------------------------


def test_a_case_without_as_of_is_dated_in_beijing():
    code = (
        "import negotiator, datetime as dt;"
        "r = negotiator.advise(negotiator.load_case({!r}));"
        "print(r.as_of.isoformat())"
    ).format(json.dumps({"borrower": {}, "loans": [loan()]}))
    dates = set()
    for tz in ("Asia/Shanghai", "Etc/GMT+12", "Etc/GMT-14"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "TZ": tz},
            cwd=ROOT,
        )
        assert out.returncode == 0, out.stderr
        dates.add(out.stdout.strip())
    beijing = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date().isoformat()
    assert dates <= {beijing, (dt.date.fromisoformat(beijing) + dt.timedelta(1)).isoformat()}
    assert len(dates) == 1 or len(dates) == 2  # the clock may pass midnight between runs


# --- F-01: the README snippet from the project root -----------------------------------------


def test_the_readme_snippet_runs_from_the_project_root():
    code = (
        "import negotiator; "
        "r = negotiator.advise(negotiator.load_case(open('examples/short_term.toml').read())); "
        "print(len(r.findings))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 0


def test_the_public_names_are_exported():
    for name in ("Case", "Report", "Finding", "Evaluation", "Lang", "CaseInput", "LetterKind"):
        assert getattr(negotiator, name) is not None


# --- D17, D18 --------------------------------------------------------------------------------


def test_workers_are_capped_at_the_cores():
    from negotiator.batch.local import _workers, default_workers

    assert _workers(10**8) == default_workers()
    assert _workers(1) == 1


def test_docx_letters_are_byte_identical_across_runs():
    pytest.importorskip("docx")
    first = render_letter("negotiation_request", SHORT, fmt="docx")
    time.sleep(2.1)  # zip timestamps have a resolution of 2 s
    assert render_letter("negotiation_request", SHORT, fmt="docx") == first
