"""The HTML report in a real browser: headless Chromium driven by selenium (set up in tests/browser.py).

The test writes a screenshot of the page to the test's temporary folder, and refreshes the one in
docs/report-screenshot.png when GONGKAI_UPDATE_SCREENSHOT=1 (so a test run leaves the tree clean).
"""

import base64
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongkai.cli import main
from gongkai.testing import apply_patch, seed_document
from browser import chromium
from conftest import ROOT, SEED

SCREENSHOT = ROOT / "docs" / "report-screenshot.png"
INJECTED = '<script>window.__pwned=1;alert(1)</script><img src=x onerror="window.__pwned=2;alert(2)">'
NEW_NP = "/tables/t3/new_received/natural_person"


@pytest.fixture(scope="module")
def browser():
    with chromium(extra=("--hide-scrollbars", "--force-device-scale-factor=1")) as driver:
        yield driver


def _page(tmp_path: Path, name: str, source: Path) -> Path:
    out = tmp_path / f"{name}.html"
    result = CliRunner().invoke(main, ["check", str(source), "--format", "html", "-o", str(out)])
    assert result.exit_code in (0, 1), result.stderr
    return out


def _no_code_ran(driver):
    from selenium.common.exceptions import NoAlertPresentException
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    assert driver.execute_script("return window.__pwned === undefined")


def test_seed_with_a_wrong_cell_in_chromium(browser, tmp_path):
    from selenium.webdriver.common.by import By

    text = SEED.read_text(encoding="utf-8").replace("189 |", "188 |", 1)
    fee = "认真落实国办《政府信息公开信息处理费管理办法》要求"
    assert fee in text
    source = tmp_path / "南通市人民政府办公室2023年报告（有误）.txt"
    source.write_text(text.replace(fee, INJECTED + fee, 1), encoding="utf-8")
    browser.set_window_size(1280, 900)
    browser.get(_page(tmp_path, "wrong", source).as_uri())
    _no_code_ran(browser)
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0

    # The wrong cell and the total it throws off, highlighted as errors, with the values expected.
    cell = browser.find_element(By.CSS_SELECTOR, f'td[data-pointer="{NEW_NP}"]')
    assert cell.get_attribute("data-severity") == "error" and cell.get_attribute("data-role") == "primary"
    assert cell.get_attribute("data-expected") == "189" and "应为 189" in cell.text and cell.is_displayed()
    assert cell.value_of_css_property("background-color") == "rgba(253, 232, 230, 1)"
    total = browser.find_element(By.CSS_SELECTOR, 'td[data-pointer="/tables/t3/new_received/total"]')
    assert total.get_attribute("data-severity") == "error" and total.get_attribute("data-expected") == "199"
    assert len(browser.find_elements(By.CSS_SELECTOR, 'td[data-role="term"][data-severity="error"]')) >= 6
    plain = browser.find_element(By.CSS_SELECTOR, 'td[data-pointer="/tables/t3/results/granted/natural_person"]')
    assert plain.value_of_css_property("background-color") in ("rgba(0, 0, 0, 0)", "rgba(255, 255, 255, 1)")

    # The injected markup is shown as text in the prose, where a quoted sentence is marked.
    part = browser.find_element(By.ID, "part-other_matters")
    assert "<script>window.__pwned=1;alert(1)</script>" in part.text
    assert part.find_elements(By.CSS_SELECTOR, "a.q")

    # The severity filter is CSS only: unticking 错误 hides the error findings, not the others.
    errors = browser.find_elements(By.CSS_SELECTOR, "li.finding.sev-error")
    others = browser.find_elements(By.CSS_SELECTOR, "li.finding:not(.sev-error)")
    assert errors and all(e.is_displayed() for e in errors)
    browser.find_element(By.ID, "show-error").click()
    assert not any(e.is_displayed() for e in errors) and all(o.is_displayed() for o in others)
    browser.find_element(By.ID, "show-error").click()

    # Taken from the top of the page to the end of table 三, for the README.
    bottom = browser.execute_script(
        "var t=document.getElementById('table-t3').parentNode; return t.getBoundingClientRect().bottom + scrollY + 16")
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": 1280, "height": int(bottom), "scale": 1}})
    png = base64.b64decode(shot["data"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    target = SCREENSHOT if os.environ.get("GONGKAI_UPDATE_SCREENSHOT") else tmp_path / SCREENSHOT.name
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(png)
    assert target.stat().st_size > 10_000

    # On a phone the page itself does not scroll sideways (the wide tables scroll in their boxes).
    browser.set_window_size(390, 844)
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    # Printed, the navigation and filters go; the findings stay.
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not browser.find_element(By.CSS_SELECTOR, "nav.toc").is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, "li.finding").is_displayed()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    browser.set_window_size(1280, 900)


def test_markup_in_cells_title_and_body_never_runs(browser, tmp_path):
    from selenium.webdriver.common.by import By

    doc = apply_patch(seed_document(), {
        "/meta/title": f"标题{INJECTED}",
        "/meta/issuing_body": f"机关{INJECTED}",
        "/tables/t3/results/granted/other_org": {"value": None, "raw": INJECTED},
        "/parts/overview/heading": f"一、总体情况{INJECTED}",
    })
    source = tmp_path / "injected.json"
    source.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    browser.get(_page(tmp_path, "injected", source).as_uri())
    _no_code_ran(browser)
    cell = browser.find_element(By.CSS_SELECTOR, 'td[data-pointer="/tables/t3/results/granted/other_org"]')
    assert INJECTED in cell.text and cell.get_attribute("data-state") == "invalid"
    assert browser.find_element(By.TAG_NAME, "h1").text == f"标题{INJECTED}"
    assert len(browser.find_elements(By.TAG_NAME, "script")) == 1
    assert browser.find_elements(By.TAG_NAME, "img") == []
