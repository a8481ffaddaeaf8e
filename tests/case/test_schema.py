"""The published JSON Schema is generated from the models and every example validates."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from negotiator.case.load import load_case
from negotiator.case.schema import case_schema

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def test_schema_is_valid_and_the_published_copy_is_current():
    schema = case_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    published = json.loads((ROOT / "docs" / "case.schema.json").read_text(encoding="utf-8"))
    assert published == schema, (
        "regenerate: python -m negotiator.case.schema > docs/case.schema.json"
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_validates_against_the_schema_and_loads(example):
    doc = tomllib.loads(example.read_text(encoding="utf-8"), parse_float=Decimal)
    jsonschema.Draft202012Validator(case_schema()).validate(_plain(doc))
    load_case(example)


def test_schema_rejects_unknown_keys_like_the_loader():
    doc = {"borrower": {}, "loans": [], "colour": "red"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, case_schema())


def test_personal_fields_are_marked():
    defs = case_schema()["$defs"]
    assert defs["Borrower"]["properties"]["id_number"]["x-personal-data"] is True
    assert defs["Borrower"]["properties"]["phone"]["x-personal-data"] is True
