"""Every rule scenario passes through both evaluators, and both agree finding for finding."""

from __future__ import annotations

import pytest

from negotiator.devtools.scenarios import iter_rule_ids, load_scenarios, run_scenario
from negotiator.ruleset.loader import load_rules

SCENARIOS = load_scenarios()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: f"{s.file}:{s.name}")
def test_scenario_passes_on_both_evaluators(scenario):
    problems, durable = run_scenario(scenario, "durable")
    oracle_problems, oracle = run_scenario(scenario, "oracle")
    assert problems == [], "\n".join(problems)
    assert oracle_problems == [], "\n".join(oracle_problems)
    assert [f.to_json() for f in durable.findings] == [f.to_json() for f in oracle.findings]


def test_every_rule_has_a_firing_and_a_non_firing_scenario():
    seen = set(iter_rule_ids(SCENARIOS))
    missing = []
    for rule in load_rules().rules:
        if ("fires", rule.id) not in seen:
            missing.append(f"{rule.id}: no scenario makes it fire")
        if ("not_fires", rule.id) not in seen:
            missing.append(f"{rule.id}: no scenario shows it not firing")
    assert missing == [], "\n".join(missing)


def test_scenarios_name_only_existing_rules():
    ids = load_rules().by_id()
    unknown = sorted({r for _, r in iter_rule_ids(SCENARIOS) if r not in ids})
    assert unknown == []
