"""`python -m negotiator.devtools.regenerate`: one command writes every generated page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from negotiator.devtools.regenerate import main, pages

ROOT = Path(__file__).resolve().parents[2]


def test_every_generated_page_of_the_checkout_is_current(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert main(["--check"]) == 0, capsys.readouterr().out


def test_a_stale_page_is_named_then_rewritten(tmp_path, monkeypatch, capsys):
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    (tmp_path / "docs" / "facts.md").write_text("old\n", encoding="utf-8")
    (tmp_path / "docs" / "case.schema.json").unlink()
    monkeypatch.chdir(tmp_path)
    assert main(["--check"]) == 1
    out = capsys.readouterr().out
    assert "stale: docs/facts.md" in out and "stale: docs/case.schema.json" in out
    # --check writes nothing
    assert (tmp_path / "docs" / "facts.md").read_text(encoding="utf-8") == "old\n"
    assert main([]) == 0
    assert main(["--check"]) == 0
    assert (tmp_path / "docs" / "facts.md").read_text(encoding="utf-8") == (
        ROOT / "docs" / "facts.md"
    ).read_text(encoding="utf-8")


def test_it_refuses_to_run_outside_a_checkout_or_with_unknown_arguments(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main([]) == 2
    monkeypatch.chdir(ROOT)
    assert main(["--write-everything"]) == 2


@pytest.mark.parametrize("name", sorted(pages(ROOT)))
def test_each_page_is_a_file_the_docs_hold(name):
    assert (ROOT / name).is_file()
