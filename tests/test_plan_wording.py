"""What a person reads carries no raw finding codes and no rule ids; every rule is titled in
every language; the seed articles are shown as references, apart from the legal basis; the
private-lender and lawsuit modes speak accordingly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from negotiator.cli import main
from negotiator.ruleset import LANGS, load_rules

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
CODES = sorted({r.code for r in load_rules().rules})
RAW = re.compile(r"\b(?:" + "|".join(map(re.escape, CODES)) + r")\b")


def _out(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    main(list(args))
    return capsys.readouterr().out


def test_every_rule_is_titled_in_every_language() -> None:
    untitled = [r.id for r in load_rules().rules if set(r.title) != set(LANGS)]
    assert untitled == []


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
@pytest.mark.parametrize("fmt", ["text", "html"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_no_raw_code_in_the_plan(
    capsys: pytest.CaptureFixture[str], example: Path, fmt: str, lang: str
) -> None:
    if fmt == "text":
        text = _out(capsys, "advise", str(example), "--lang", lang)
    else:
        text = _out(capsys, "letter", "action_plan", str(example), "--lang", lang, "--format", fmt)
    assert text.strip()
    found = RAW.findall(text)
    assert found == [], f"raw codes in {example.name} ({fmt}, {lang}): {sorted(set(found))}"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_no_raw_code_in_the_check_report(capsys: pytest.CaptureFixture[str], example: Path) -> None:
    text = _out(capsys, "check", str(example))
    assert RAW.findall(text) == []


def test_the_code_detector_can_fail() -> None:
    assert RAW.findall("诈骗风险 · SCAM_PERSONAL_ACCOUNT") == ["SCAM_PERSONAL_ACCOUNT"]


def test_seeds_are_references_not_legal_basis(capsys: pytest.CaptureFixture[str]) -> None:
    text = _out(capsys, "advise", str(ROOT / "examples" / "multi_lender.toml"))
    assert "参考: [" in text
    for line in text.splitlines():
        if "依据: " in line:
            basis = line.split("依据: ", 1)[1].split("参考", 1)[0]
            assert "[0" not in basis, line


def test_lawsuit_example_flags_the_passed_answer_deadline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _out(capsys, "advise", str(ROOT / "examples" / "negotiation_failed.toml"))
    assert "答辩期很可能已在2026年11月16日届满" in text
    assert "第四十二条" not in text and "第42条" not in text


def test_private_lender_plan_does_not_forbid_paying_the_lender(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _out(capsys, "advise", str(ROOT / "examples" / "multi_lender.toml"))
    assert "只还到出借人本人名下的账户" in text
    assert "不向个人账户转账，不透露短信验证码" not in text


def test_traditional_plan_writes_sign_as_qian_with_bamboo_only_for_lots(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _out(capsys, "advise", str(ROOT / "examples" / "long_term.toml"), "--lang", "zh-Hant")
    assert re.search(r"籤[協字署訂名收約]", text) is None
    assert "簽協議" in text
