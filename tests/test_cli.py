"""The command line: subcommands, exit codes, one-line errors, stdin, atomic output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiator.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "negotiator.cli", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        cwd=ROOT,
    )


def test_there_are_at_least_six_examples():
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_runs_through_the_cli(example, capsys):
    rc = main(["advise", str(example), "--json"])
    out = capsys.readouterr().out
    report = json.loads(out)
    assert rc == (1 if report["has_violations"] else 0)
    assert report["findings"], "an example case must produce findings"
    rc = main(["advise", str(example)])
    text = capsys.readouterr().out
    assert rc in (0, 1) and text.strip()


def test_version_and_help():
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.decode().startswith("negotiator ")
    proc = run("--help")
    assert proc.returncode == 0
    for word in ("advise", "check", "letter", "rules", "batch"):
        assert word in proc.stdout.decode()


def test_stdin_accepts_toml_and_json():
    toml = (ROOT / "examples" / "short_term.toml").read_bytes()
    a = run("advise", "-", "--json", stdin=toml)
    assert a.returncode in (0, 1), a.stderr
    from negotiator.case.load import load_case, unstructure

    as_json = json.dumps(unstructure(load_case(toml)), ensure_ascii=False).encode()
    b = run("advise", "-", "--json", stdin=as_json)
    assert b.returncode == a.returncode
    assert json.loads(a.stdout)["findings"] == json.loads(b.stdout)["findings"]


@pytest.mark.parametrize(
    ("args", "stdin", "needle"),
    [
        (("advise", "no/such/file.toml"), None, "no such file"),
        (("advise", "-"), b"{broken", "JSON"),
        (("advise", "-"), b'{"borrower": {}, "loans": [{"lender_type": "bank"}]}', "loans[0]"),
        (("frobnicate",), None, "invalid choice"),
        (("advise", "-", "--lang", "fr"), b"", "invalid choice"),
        (("check", "examples/short_term.toml"), None, "no proposed agreement"),
        (("rules", "no.such.rule"), None, "no rule"),
    ],
)
def test_bad_input_is_reported_and_exit_2(args, stdin, needle):
    proc = run(*args, stdin=stdin)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err
    assert needle in err
    assert err.startswith("negotiator: error:") or err.strip().splitlines()[-1].startswith(
        "negotiator: error:"
    )


def test_rules_listing_and_showing(capsys):
    assert main(["rules", "--json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert rules and all(r["citations"] for r in rules)
    first = rules[0]["id"]
    assert main(["rules", first]) == 0
    assert first in capsys.readouterr().out


def test_schema_command_prints_the_case_schema(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "negotiator case"


def test_output_file_is_written_atomically(tmp_path, capsys):
    target = tmp_path / "report.json"
    rc = main(["advise", str(EXAMPLES[0]), "--json", "-o", str(target)])
    assert rc in (0, 1)
    assert json.loads(target.read_text(encoding="utf-8"))["report"] == "advice"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    # a failing run leaves nothing behind
    missing = tmp_path / "nothing.json"
    assert main(["advise", "no/such.toml", "-o", str(missing)]) == 2
    assert not missing.exists()


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_on_stdin_give_the_documented_error(monkeypatch, capsys, raw):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    rc = main(["advise", "-"])
    err = capsys.readouterr().err
    assert rc in (0, 1, 2)
    if rc == 2:
        assert err.startswith("negotiator: error:") and "Traceback" not in err


def test_a_traditional_letter_advises_simplified_for_a_mainland_lender(capsys):
    example = str(ROOT / "examples" / "short_term.toml")
    assert main(["letter", "negotiation_request", example, "--lang", "zh-Hant"]) == 0
    out, err = capsys.readouterr()
    assert "協商還款申請書" in out and "简体" not in out  # the letter itself is untouched
    assert "--lang zh-Hans" in err and "简体" in err
    assert main(["letter", "negotiation_request", example]) == 0
    assert "简体" not in capsys.readouterr().err


def _boom(args):
    raise RuntimeError("ID 110101199003077777 in a message that must not be shown")


def test_an_internal_error_is_one_line_without_its_message(monkeypatch, capsys):
    from negotiator import cli

    monkeypatch.setattr(cli, "_cmd_rules", _boom)
    monkeypatch.delenv("NEGOTIATOR_DEBUG", raising=False)
    assert cli.main(["rules"]) == 70
    err = capsys.readouterr().err
    assert err == "negotiator: internal error (RuntimeError); please report it\n"


def test_negotiator_debug_shows_the_traceback_to_a_developer(monkeypatch):
    from negotiator import cli

    monkeypatch.setattr(cli, "_cmd_rules", _boom)
    monkeypatch.setenv("NEGOTIATOR_DEBUG", "1")
    with pytest.raises(RuntimeError, match="must not be shown"):
        cli.main(["rules"])
