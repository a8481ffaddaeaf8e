"""Run the examples in the calculators' docstrings."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "negotiator.calc.dates",
    "negotiator.calc.rates",
    "negotiator.calc.cost",
    "negotiator.calc.upfront",
    "negotiator.calc.lpr",
    "negotiator.calc.caps",
    "negotiator.calc.budget",
    "negotiator.calc.consequences",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
