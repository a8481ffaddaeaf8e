"""docs/adding-a-rule.md §2, performed: a rule with a new threshold and source, without Python.

The blocks are read from the guide itself (each fenced ``toml <file>`` block is appended to that
file in a copy of the rules), so the guide and this test cannot drift apart.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from negotiator.cli import main
from negotiator.devtools.scenarios import check_folder
from negotiator.ruleset.loader import Test, load_ruleset_dir

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "adding-a-rule.md"
BLOCK = re.compile(r"^```toml (rules/[\w/.-]+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _walk_through(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    blocks = BLOCK.findall(GUIDE.read_text(encoding="utf-8"))
    assert [name for name, _ in blocks] == [
        "rules/citations.toml",
        "rules/parameters.toml",
        "rules/fees.toml",
        "rules/scenarios/fees.toml",
    ]
    for name, text in blocks:
        target = copy / name.removeprefix("rules/")
        with target.open("a", encoding="utf-8") as out:
            out.write(text)
    return copy


def test_the_guides_new_rule_loads_with_its_threshold_and_source(tmp_path):
    rules = load_ruleset_dir(_walk_through(tmp_path))
    rule = rules.by_id()["fee.microloan-cost-guideline"]
    assert Test("cost_simple", ">", 240_000) in rule.when.items  # 24 % in parts per million
    cited = [c for c in rule.citations if c.key == "microloan-cost-guideline"]
    assert [c.law for c in cited] == ["小额贷款公司综合融资成本管理工作指引"]
    assert cited[0].status == "VERIFIED-SECONDARY"
    assert "不超过年化24%" in rule.messages["zh-Hans"]
    assert "within 24% a year" in rule.messages["en"]


def test_the_guides_check_command_passes_on_the_edited_copy(tmp_path, capsys):
    copy = _walk_through(tmp_path)
    rules, scenarios, problems = check_folder(copy)
    assert problems == []
    packaged = len(load_ruleset_dir(ROOT / "rules").rules)
    assert rules == packaged + 1
    assert main(["rules", "--test", str(copy)]) == 0
    assert capsys.readouterr().out.endswith(f"{rules} rules, {scenarios} scenarios: no problems\n")


def test_the_check_command_names_a_mistake_in_the_copy(tmp_path, capsys):
    copy = _walk_through(tmp_path)
    fees = copy / "fees.toml"
    fees.write_text(
        fees.read_text(encoding="utf-8").replace(
            '{ param = "microloan_cost_ceiling" }', '{ param = "microloan_cost_cieling" }'
        ),
        encoding="utf-8",
    )
    assert main(["rules", "--test", str(copy)]) == 2
    err = capsys.readouterr().err
    assert "fees.toml#fee.microloan-cost-guideline.when.all[1]" in err
    assert "no parameter 'microloan_cost_cieling'" in err


def test_a_rule_without_a_firing_scenario_is_reported(tmp_path, capsys):
    copy = _walk_through(tmp_path)
    scenarios = copy / "scenarios" / "fees.toml"
    text = scenarios.read_text(encoding="utf-8")
    text = re.sub(r'^fires = \["fee\.microloan-cost-guideline"\]\n', "", text, flags=re.M)
    scenarios.write_text(text, encoding="utf-8")
    assert main(["rules", "--test", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "fees.toml#fee.microloan-cost-guideline: no scenario makes it fire" in out
