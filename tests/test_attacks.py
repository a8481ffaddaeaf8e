"""The reliability attack classes (bench/attacks.py), a few inputs each, in every CI run.

Every input must end in a documented outcome: exit 0/1 (a report), or exit 2 with one line on
stderr naming the problem; never an internal error, a traceback or a partial output file.  The
full-size runs are ``python bench/bench_attacks.py`` (figures in docs/reliability.md).
"""

from __future__ import annotations

import importlib.util
import io
import random
import sys
from pathlib import Path

import pytest

from negotiator.cli import main

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
_spec = importlib.util.spec_from_file_location("attacks", ROOT / "bench" / "attacks.py")
assert _spec is not None and _spec.loader is not None
attacks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(attacks)

PER_CLASS = {"sizes": 4, "nesting": 5}


@pytest.mark.parametrize("name", sorted(attacks.ATTACKS))
def test_every_attack_ends_in_a_documented_outcome(name, tmp_path, monkeypatch):
    rng = random.Random(name)
    for label, data in attacks.ATTACKS[name](rng, PER_CLASS.get(name, 8)):
        path = tmp_path / f"{label}.case"
        path.write_bytes(data)
        for argv in (
            ["advise", str(path), "--json"],
            [
                "letter",
                "negotiation_request",
                str(path),
                "--format",
                "docx",
                "-o",
                str(tmp_path / "out.docx"),
            ],
        ):
            out, err = io.StringIO(), io.StringIO()
            monkeypatch.setattr(sys, "stdout", out)
            monkeypatch.setattr(sys, "stderr", err)
            code = main(argv)
            monkeypatch.undo()
            problem = err.getvalue()
            assert code in (0, 1, 2), (label, argv[0], problem)
            if code == 2:
                # one error block: the first line says what is wrong, the lines under it
                # explain each problem and give an example; never a traceback
                assert problem.startswith("negotiator: error:"), (label, problem)
                assert "Traceback" not in problem, (label, problem)
        assert not list(tmp_path.glob(".*.part"))
