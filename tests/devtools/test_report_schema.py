"""The report's JSON Schema and the per-code data docs are current, and every report fits."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from negotiator import advise, check, load_case
from negotiator.devtools.report_schema import corpus_reports, findings_data_markdown, report_schema
from negotiator.findings import FORMAT_VERSION

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "docs" / "report.schema.json"
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, object]]:
    return corpus_reports(ROOT / "examples")


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_committed_report_schema_is_current(corpus):
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == report_schema(corpus), (
        "docs/report.schema.json is stale: run python -m negotiator.devtools.report_schema > "
        "docs/report.schema.json"
    )


def test_the_findings_data_page_is_current():
    page = (ROOT / "docs" / "findings-data.md").read_text(encoding="utf-8")
    assert page == findings_data_markdown(), (
        "docs/findings-data.md is stale: run python -m negotiator.devtools.report_schema "
        "--findings-data > docs/findings-data.md"
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_every_example_report_validates(example, lang, validator):
    case = load_case(example)
    reports = [advise(case, lang=lang)]
    if case.agreement is not None:
        reports.append(check(case, lang=lang))
    for report in reports:
        data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
        assert not errors, errors[0].message
        assert data["format_version"] == FORMAT_VERSION


def test_the_schema_can_fail(validator):
    report = advise(load_case(EXAMPLES[0])).to_json()
    broken = {**report, "format_version": "0.9"}
    assert list(validator.iter_errors(broken))
    del broken["findings"]
    assert len(list(validator.iter_errors(broken))) >= 2


def test_numbers_are_rounded_to_the_stated_precision(corpus):
    def walk(value: object) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and value.replace(".", "", 1).lstrip("-").isdigit():
            places = len(value.split(".")[1]) if "." in value else 0
            assert places <= 10, value

    for report in corpus:
        walk(report["figures"])
        for finding in report["findings"]:
            walk(finding["data"])
