"""End to end in a real browser: headless Chromium (the distribution's package) driven by
Playwright, on a phone-sized screen with JavaScript switched off, through the whole interview
for two personas, reading the plan and downloading a letter.

The test starts and stops the server itself on 127.0.0.1.  Where no browser is installed it
fails and says what to install (``.ci/run`` installs it); it never skips.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from web_support import CHROMIUM_FLAGS, LICENSED, PRIVATE, chromium_path, running_server


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser test needs Playwright: pip install -e '.[test]'")
    executable = chromium_path()
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh --user-data-dir
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_FLAGS,
            java_script_enabled=False,  # the app must work without JavaScript
            viewport={"width": 390, "height": 844},  # a phone
            is_mobile=True,
            has_touch=True,
            accept_downloads=True,
        )
        try:
            yield context
        finally:
            context.close()


def answer_everything(page, answers: dict[str, str]) -> list[str]:
    asked = []
    for _ in range(120):
        key_input = page.locator("input[name=key]")
        if key_input.count() == 0:
            return asked
        key = key_input.get_attribute("value")
        assert key is not None
        asked.append(key)
        name = key.rsplit(".", 1)[-1]
        value = answers.get(name)
        if value is None:
            page.click("#unknown")
            continue
        choice = page.locator(f"button.choice[value='{value}']")
        if choice.count():
            box = choice.bounding_box()
            assert box is not None and box["height"] >= 44  # a large touch target
            choice.click()
        elif page.locator("#answer").count():
            page.fill("#answer", value)
            page.click("#next")
        else:  # check boxes
            for word in value.split("、"):
                page.check(f"input[type=checkbox][value='{word}']")
            page.click("#next")
    raise AssertionError("the interview did not end")


def run_persona(context, base: str, answers: dict[str, str], tmp_path: Path) -> tuple[str, str]:
    page = context.new_page()
    page.goto(base + "/")
    page.click("#start")
    page.wait_for_selector("input[name=key]", state="attached")
    # "Why do you ask?" opens without JavaScript (a <details> element).
    page.click("details summary")
    assert page.locator(".why").inner_text().strip()
    asked = answer_everything(page, answers)
    assert len(asked) == len(set(asked))  # never the same question twice
    assert "请核对您的回答" in page.content()
    page.click("#confirm")
    plan = page.locator("#plan").inner_text()
    with page.expect_download() as info:
        page.click("#dl-negotiation_request-docx")
    target = tmp_path / f"letter-{answers['lender_name']}.docx"
    info.value.save_as(target)
    assert target.read_bytes()[:2] == b"PK"
    from docx import Document

    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert answers["lender_name"] in text
    with page.expect_download() as info:
        page.click("#dl-case")
    case_file = tmp_path / f"case-{answers['lender_name']}.toml"
    info.value.save_as(case_file)
    content = page.content()
    page.click("#end")
    assert page.locator("#ended").count() == 1
    page.close()
    from negotiator.case.load import load_case

    load_case(case_file)  # the file to keep loads again
    return plan, content


def test_licensed_lender_with_a_proposed_agreement(browser_context, tmp_path):
    with running_server() as (base, _app):
        plan, page = run_persona(browser_context, base, LICENSED, tmp_path)
    assert "协商还款行动计划" in plan
    assert "某某网络小额贷款有限公司" in plan
    assert 'id="check"' in page  # the agreement check is shown
    assert "个人账户" in page or "SCAM" in page or "诈骗" in page


def test_private_lender(browser_context, tmp_path):
    with running_server() as (base, _app):
        plan, page = run_persona(browser_context, base, PRIVATE, tmp_path)
    assert "协商还款行动计划" in plan
    assert "张三" in plan
    assert 'id="check"' not in page


def test_pasting_the_lenders_message_prefills_the_agreement(browser_context, tmp_path):
    message = (
        "某某网络小额贷款有限公司 协商还款方案\n"
        "借款本金：30000元，年化利率18%。\n"
        "应还总额：30000元。首期4000元，之后每月2000元，共14期，首期还款日2026年1月6日。\n"
        "请转到支付宝，户名：李某。\n"
    )
    with running_server() as (base, _app):
        page = browser_context.new_page()
        page.goto(base + "/")
        page.click("#start-paste")
        page.fill("#text", message)
        page.click("#read")
        assert (
            "应还总额：30000元"
            in page.locator("fieldset[data-path='agreement.total']").inner_text()
        )
        assert "个人账户" in page.locator("#red-flags").inner_text()
        page.fill("input[name='v:agreement.total']", "2.8万")  # the person corrects a value
        page.click("#use")
        answers = {
            k: v
            for k, v in LICENSED.items()
            if k not in ("total", "instalments", "repayment_account", "account_holder", "principal")
        }
        asked = answer_everything(page, answers)
        assert "agreement.total" not in asked and "agreement.instalments" not in asked
        page.click("#confirm")
        with page.expect_download() as info:
            page.click("#dl-case")
        case_file = tmp_path / "pasted.toml"
        info.value.save_as(case_file)
        page.click("#end")
        page.close()
    from negotiator.case.load import load_case

    case = load_case(case_file)
    assert case.agreement is not None and str(case.agreement.total) == "28000"
    assert len(case.agreement.instalments) == 14
