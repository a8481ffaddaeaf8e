"""Batch mode: one output line per input line, in order; bad lines become error records; the
output file is complete or absent; exit codes; the library API."""

from __future__ import annotations

import io
import json
import os
import platform
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiator.api import advise, check
from negotiator.batch import local as batch
from negotiator.cli import main
from negotiator.errors import InputError


def make_case(i: int) -> dict[str, Any]:
    """A small valid case; ``i`` varies the amounts, dates and number of loans."""
    loans = [
        {
            "id": f"L{k + 1}",
            "lender_name": f"第{k + 1}家小额贷款有限公司",
            "lender_type": ["microloan", "consumer_finance", "bank"][(i + k) % 3],
            "principal": str(1000 + 137 * i + 500 * k),
            "overdue_since": f"2025-{(i + k) % 9 + 1:02d}-15",
            "outstanding": str(1200 + 150 * i + 550 * k),
        }
        for k in range(1 + i % 3)
    ]
    case: dict[str, Any] = {
        "as_of": "2025-11-20",
        "borrower": {"monthly_income": str(3000 + 10 * i), "essential_expenses": "2500"},
        "loans": loans,
    }
    if i % 4 == 0:
        case["agreement"] = {
            "form": "e_contract",
            "loan": "L1",
            "total": "1200",
            "instalments": [
                {"due": "2025-12-20", "amount": "600"},
                {"due": "2026-01-20", "amount": "600"},
            ],
        }
    return case


def line(case: dict[str, Any]) -> str:
    return json.dumps(case, ensure_ascii=False)


BAD_LINES = {
    "invalid JSON": '{"borrower": {}, "loans": [',
    "unknown field": json.dumps({**make_case(1), "favourite_colour": "blue"}),
    "empty line": "",
    "blank line": "   \t ",
    "huge number": '{"as_of": "2025-11-20", "borrower": {}, "loans": [{"lender_name": "x", '
    '"lender_type": "bank", "principal": 1e999999}]}',
    "huge integer": '{"as_of": "2025-11-20", "borrower": {}, "loans": [{"lender_name": "x", '
    '"lender_type": "bank", "principal": ' + "9" * 5000 + "}]}",
    "not an object": "[1, 2, 3]",
    "a bare word": "hello",
    "NaN": '{"borrower": {"monthly_income": NaN}, "loans": []}',
}


# ---------------------------------------------------------------------------------------------
# One record
# ---------------------------------------------------------------------------------------------


def test_a_good_line_gives_the_report_of_the_public_api_plus_its_line_number():
    case = make_case(4)
    record = batch.evaluate_record(7, line(case), "advise", "en")
    expected = advise(case, lang="en").to_json()
    assert record.pop("line") == 7
    assert record == expected


def test_check_mode_gives_the_agreement_check():
    case = make_case(8)
    record = batch.evaluate_record(1, line(case), "check", "zh-Hans")
    assert record["report"] == "check"
    assert {k: v for k, v in record.items() if k != "line"} == check(case).to_json()


@pytest.mark.parametrize("name", sorted(BAD_LINES))
def test_a_bad_line_gives_an_error_record_naming_the_line(name):
    record = batch.evaluate_record(12, BAD_LINES[name])
    assert record["line"] == 12
    assert set(record) == {"line", "error"}
    error = record["error"]
    assert error["problem"]
    assert isinstance(error["path"], str)
    assert error["type"] == "InputError"


def test_an_error_record_names_the_field():
    record = batch.evaluate_record(3, BAD_LINES["unknown field"])
    assert record["error"]["path"] == "favourite_colour"
    record = batch.evaluate_record(4, BAD_LINES["huge number"])
    assert record["error"]["path"].startswith("loans[0]")


def test_every_problem_of_a_line_is_listed():
    case = make_case(1)
    case["colour"] = "red"
    case["borrower"]["shoe_size"] = 42
    error = batch.evaluate_record(1, line(case))["error"]
    paths = {error["path"]} | {m["path"] for m in error.get("more", [])}
    assert {"colour", "borrower.shoe_size"} <= paths


def test_a_byte_order_mark_and_line_endings_are_accepted():
    text = "\ufeff" + line(make_case(2)) + "\r\n"
    assert "report" in batch.evaluate_record(1, text)


def test_lone_surrogates_are_reported_as_bad_text():
    text = line(make_case(2)).replace("家", "\udce5")
    record = batch.evaluate_record(1, text)
    assert record["error"]["problem"] == "the line is not UTF-8 text"


def test_an_unexpected_exception_becomes_an_error_record_without_its_message(monkeypatch):
    import negotiator.api

    def boom(*_a: Any, **_k: Any) -> Any:
        raise KeyError("13812345678 110105194912310021")

    monkeypatch.setattr(negotiator.api, "advise", boom)
    record = batch.evaluate_record(5, line(make_case(1)))
    assert record["error"]["type"] == "KeyError"
    assert "13812345678" not in json.dumps(record)
    assert "1101051949" not in json.dumps(record)
    # …and the batch goes on past it
    records = list(batch.evaluate_lines([line(make_case(1))] * 3, workers=1))
    assert [r["line"] for r in records] == [1, 2, 3]
    assert all(r["error"]["type"] == "KeyError" for r in records)


def test_unknown_mode_or_language_is_refused_before_any_work():
    with pytest.raises(InputError):
        list(batch.evaluate_lines(["{}"], mode="judge"))
    with pytest.raises(InputError):
        batch.evaluate_record(1, "{}", "advise", "fr")
    with pytest.raises(InputError):
        list(batch.evaluate_lines(["{}"], workers=0))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40),
            st.sampled_from(sorted(BAD_LINES.values())),
            st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5)).map(
                json.dumps
            ),
        ),
        max_size=12,
    )
)
def test_any_lines_give_exactly_one_record_each_in_order(lines):
    records = list(batch.evaluate_lines(lines, workers=1))
    assert [r["line"] for r in records] == list(range(1, len(lines) + 1))
    for r in records:
        assert ("error" in r) != ("report" in r)


# ---------------------------------------------------------------------------------------------
# Many records, several processes
# ---------------------------------------------------------------------------------------------


def mixed_lines(n: int) -> list[str]:
    bad = sorted(BAD_LINES.values())
    return [bad[i % len(bad)] if i % 7 == 3 else line(make_case(i)) for i in range(n)]


def test_two_workers_keep_the_input_order_and_agree_with_one():
    lines = mixed_lines(batch.MIN_PARALLEL_LINES + 40)
    serial = list(batch.evaluate_lines(lines, workers=1))
    parallel = list(batch.evaluate_lines(iter(lines), workers=2, chunk_size=5))
    assert [r["line"] for r in parallel] == list(range(1, len(lines) + 1))
    assert parallel == serial
    assert sum("error" in r for r in parallel) == sum(1 for i in range(len(lines)) if i % 7 == 3)


def test_stopping_early_is_allowed():
    lines = mixed_lines(batch.MIN_PARALLEL_LINES + 10)
    records = batch.evaluate_lines(lines, workers=2, chunk_size=4)
    first = [next(records) for _ in range(3)]
    records.close()  # shuts the pool down
    assert [r["line"] for r in first] == [1, 2, 3]


def _crashing_chunk(items: list[Any], mode: str, lang: str) -> list[tuple[bytes, int]]:
    """A task whose worker process dies on any line containing CRASH (as a C crash would)."""
    for _n, text in items:
        if isinstance(text, str) and "CRASH" in text:
            os._exit(3)
    return batch._chunk_json(items, mode, lang)


def test_a_worker_that_dies_costs_only_its_own_line():
    lines = mixed_lines(60)
    lines[10] = '{"CRASH": 1}'
    lines[41] = '{"CRASH": 2}'
    task = batch._Task(_crashing_chunk, batch._crash_json)
    items = list(enumerate(lines, 1))
    out = list(
        batch._stream(
            items, task, mode="advise", lang="zh-Hans", workers=2, chunk_size=4, min_parallel=1
        )
    )
    records = [json.loads(text) for text, _status in out]
    assert [r["line"] for r in records] == list(range(1, 61))
    crashed = [r["line"] for r in records if r.get("error", {}).get("type") == "WorkerCrash"]
    assert crashed == [11, 42]
    expected = [json.loads(t) for t, _ in batch._chunk_json(items, "advise", "zh-Hans")]
    for got, want in zip(records, expected, strict=True):
        if got["line"] not in (11, 42):
            assert got == want


# ---------------------------------------------------------------------------------------------
# Files: complete or absent
# ---------------------------------------------------------------------------------------------


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    return path


def test_run_batch_writes_one_line_per_input_line(tmp_path):
    lines = mixed_lines(20)
    out = tmp_path / "out.jsonl"
    with open(write_lines(tmp_path / "in.jsonl", lines), "rb") as source:
        summary = batch.run_batch(source, out, workers=1)
    written = out.read_text(encoding="utf-8").splitlines()
    assert len(written) == 20
    assert [json.loads(x) for x in written] == list(batch.evaluate_lines(lines, workers=1))
    assert summary.lines == 20
    assert summary.errors == sum(1 for i in range(20) if i % 7 == 3)
    assert summary.evaluated == 20 - summary.errors


def test_bad_bytes_and_overlong_lines_become_error_records(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "MAX_LINE_BYTES", 2000)
    good = line(make_case(1)).encode()
    assert len(good) < 2000
    data = b"\xef\xbb\xbf" + good + b"\n" + b"\xff\xfe{}\n" + b"{" + b" " * 5000 + b"}\n" + good
    out = tmp_path / "out.jsonl"
    summary = batch.run_batch(io.BytesIO(data), out, workers=1)
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in records] == [1, 2, 3, 4]
    assert "report" in records[0] and "report" in records[3]
    assert records[1]["error"]["problem"] == "the line is not UTF-8 text"
    assert records[2]["error"]["problem"] == "the line is longer than 5 MB"
    assert summary.errors == 2


class FailingSource(io.BytesIO):
    """A stream whose reading fails after ``good`` lines (a disk or network error)."""

    def __init__(self, data: bytes, good: int) -> None:
        super().__init__(data)
        self.left = good

    def readline(self, size: int | None = -1) -> bytes:  # type: ignore[override]
        if self.left == 0:
            raise OSError(5, "Input/output error")
        self.left -= 1
        return super().readline(size)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failure_mid_way_leaves_no_output(tmp_path, workers):
    lines = mixed_lines(batch.MIN_PARALLEL_LINES + 50)
    data = "".join(x + "\n" for x in lines).encode()
    out = tmp_path / "out.jsonl"
    with pytest.raises(InputError, match="cannot read"):
        batch.run_batch(
            FailingSource(data, good=len(lines) - 5), out, workers=workers, chunk_size=8
        )
    assert list(tmp_path.iterdir()) == []


def test_a_failure_mid_way_keeps_the_previous_output(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")
    data = "".join(x + "\n" for x in mixed_lines(30)).encode()
    with pytest.raises(InputError):
        batch.run_batch(FailingSource(data, good=20), out, workers=1)
    assert out.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_the_command_reports_a_failed_read_with_exit_2_and_no_output(tmp_path, monkeypatch, capsys):
    src = write_lines(tmp_path / "in.jsonl", mixed_lines(30))
    data = src.read_bytes()
    real_open = Path.open

    def failing_open(self: Path, mode: str = "r", *a: Any, **k: Any) -> Any:
        if self == src:
            return FailingSource(data, good=10)
        return real_open(self, mode, *a, **k)

    monkeypatch.setattr(Path, "open", failing_open)
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(src), "-o", str(out), "--workers", "1"]) == 2
    assert not out.exists()
    assert "cannot read" in capsys.readouterr().err


def test_progress_is_shown_only_when_asked(tmp_path):
    lines = [line(make_case(i)) for i in range(3)]
    shown = io.StringIO()
    data = "".join(x + "\n" for x in lines).encode()
    batch.run_batch(
        io.BytesIO(data), tmp_path / "a.jsonl", workers=1, progress=shown, total_bytes=len(data)
    )
    assert "3 cases" in shown.getvalue()
    assert shown.getvalue().endswith("\r")  # the line is cleared at the end


# ---------------------------------------------------------------------------------------------
# The command and its exit codes
# ---------------------------------------------------------------------------------------------


def run_cli(tmp_path: Path, lines: list[str], *extra: str) -> tuple[int, list[dict[str, Any]]]:
    src = write_lines(tmp_path / "in.jsonl", lines)
    out = tmp_path / "out.jsonl"
    code = main(["batch", str(src), "-o", str(out), "--no-progress", *extra])
    records = (
        [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        if out.exists()
        else []
    )
    return code, records


def violation_case() -> dict[str, Any]:
    """A case whose report has a violation: a large fee deducted up front, unfair terms."""
    case = make_case(0)
    case["loans"][0].update(
        {
            "principal": "10000",
            "received": "8000",
            "rate": {"value": "0.36", "unit": "annual"},
            "interest_agreed": True,
            "fees": [{"kind": "guarantee", "amount": "2000", "charged": "upfront"}],
        }
    )
    case["agreement"].update(
        {
            "repayment_account": "personal",
            "deposit_required": "500",
            "excludes_borrower_rights": True,
        }
    )
    return case


def test_exit_0_when_every_line_is_evaluated_without_violations(tmp_path):
    cases = [make_case(i) for i in range(1, 4)]
    assert not any(advise(c).has_violations for c in cases)
    code, records = run_cli(tmp_path, [line(c) for c in cases], "--workers", "1")
    assert code == 0
    assert [r["line"] for r in records] == [1, 2, 3]


def test_exit_1_when_a_report_has_violations(tmp_path):
    case = violation_case()
    assert advise(case).has_violations
    code, records = run_cli(tmp_path, [line(make_case(1)), line(case)], "--workers", "1")
    assert code == 1
    assert records[1]["has_violations"] is True


def test_exit_3_when_a_line_is_an_error_record_even_with_violations(tmp_path, capsys):
    code, records = run_cli(
        tmp_path, [line(violation_case()), "oops", line(make_case(2))], "--workers", "1"
    )
    assert code == 3
    assert [("error" in r) for r in records] == [False, True, False]
    assert "1 error records" in capsys.readouterr().err


def test_exit_2_and_no_output_when_the_input_cannot_be_read(tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(tmp_path / "missing.jsonl"), "-o", str(out)]) == 2
    assert main(["batch", str(tmp_path), "-o", str(out)]) == 2
    assert not out.exists()
    assert "no such file" in capsys.readouterr().err


def test_exit_2_for_bad_options_or_an_unwritable_output(tmp_path):
    src = write_lines(tmp_path / "in.jsonl", [line(make_case(1))])
    assert main(["batch", str(src), "-o", str(tmp_path / "out.jsonl"), "--workers", "0"]) == 2
    assert main(["batch", str(src), "-o", str(tmp_path / "no" / "such" / "dir.jsonl")]) == 2
    assert main(["batch", str(src), "-o", str(src)]) == 2
    assert src.read_text(encoding="utf-8").startswith("{")


def test_an_empty_input_gives_an_empty_output(tmp_path):
    code, records = run_cli(tmp_path, [], "--workers", "1")
    assert code == 0
    assert (tmp_path / "out.jsonl").read_bytes() == b""
    assert records == []


def test_the_command_uses_several_workers_and_keeps_the_order(tmp_path):
    lines = mixed_lines(batch.MIN_PARALLEL_LINES + 20)
    code, records = run_cli(tmp_path, lines, "--workers", "2", "--lang", "en", "--mode", "advise")
    assert code == 3
    assert [r["line"] for r in records] == list(range(1, len(lines) + 1))
    assert records == list(batch.evaluate_lines(lines, workers=1, lang="en"))


def test_the_command_reads_standard_input(tmp_path, monkeypatch):
    data = (line(make_case(1)) + "\n" + line(make_case(2)) + "\n").encode()

    class Stdin:
        buffer = io.BytesIO(data)

    monkeypatch.setattr("sys.stdin", Stdin())
    out = tmp_path / "out.jsonl"
    assert main(["batch", "-", "-o", str(out), "--workers", "1"]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_summary_exit_codes():
    S = batch.BatchSummary
    assert S(2, 2, 0, 0, 0.0).exit_code == 0
    assert S(2, 2, 1, 0, 0.0).exit_code == 1
    assert S(2, 1, 1, 1, 0.0).exit_code == 3
    assert S(0, 0, 0, 0, 0.0).exit_code == 0


# ---------------------------------------------------------------------------------------------
# The allocator setting the batch workers apply
# ---------------------------------------------------------------------------------------------


def test_allocator_thresholds_fit_the_engine_sessions_within_glibc_limits():
    from negotiator.engine.durable import SESSION_BYTES_PER_RULE, allocator_thresholds

    for rules in (1, 150, 400, 2000, 100_000):
        mmap, trim = allocator_thresholds(rules)
        assert 4 << 20 <= mmap <= 32 << 20
        assert trim == 2 * mmap
        if rules * SESSION_BYTES_PER_RULE * 2 <= 32 << 20:
            assert mmap >= 2 * rules * SESSION_BYTES_PER_RULE  # a session's tables fit


def test_allocator_tuning_can_be_refused(monkeypatch):
    from negotiator.engine.durable import tune_allocator

    monkeypatch.setenv("NEGOTIATOR_MALLOC_TUNING", "0")
    assert tune_allocator(100) is False
    monkeypatch.delenv("NEGOTIATOR_MALLOC_TUNING")
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "1000000")  # the user's own choice stands
    assert tune_allocator(100) is False
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_")
    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert tune_allocator(100) is glibc


def test_activation_messages_are_read_exactly_and_odd_shapes_fully_parsed():
    from negotiator.engine.durable import _activation

    fast = '{"fee.upfront":{"m":{"sid":"s9","kind":"fee","id":"fee-2","amount":100}}}'
    assert _activation(fast) == ("fee.upfront", "fee-2")
    spaced = '{"r.x":{"m":{"sid": "s9", "id": "__s", "kind": "__case__"}}}'
    assert _activation(spaced) == ("r.x", "__s")
    escaped = '{"r.x":{"m":{"sid":"s9","kind":"t","id":"a\\"b"}}}'
    assert _activation(escaped) == ("r.x", 'a"b')
    from negotiator.errors import EngineError

    with pytest.raises(EngineError):
        _activation('{"r.x":{"m":{"id":"a"}},"r.y":{"m":{"id":"b"}}}')
