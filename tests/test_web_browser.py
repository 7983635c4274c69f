"""`gongkai serve` in a real browser: headless Chromium uploads reports through the Chinese page.

The browser is tests/browser.py's, with 127.0.0.1 let through (every other host stays blocked); the
server is `gongkai serve` on a free local port, as in tests/test_web.py.
"""

from __future__ import annotations

import base64
import json
import os
import time
from pathlib import Path

import pytest

try:
    import fastapi  # noqa: F401
except ImportError:
    if os.environ.get("CI"):   # CI installs the web extra (make test): missing is a failure there
        raise
    pytest.skip("网页服务的依赖未安装：pip install -e '.[test,web]'", allow_module_level=True)

from gongkai.pipeline import check_bytes  # noqa: E402
from browser import chromium  # noqa: E402
from test_html_browser import _no_code_ran  # noqa: E402
from test_web import CHANGED_POINTER, SEED, cli_server  # noqa: E402

WAIT = 120  # seconds a page may take in the worst case (a cold worker on a slow machine); not a measurement


@pytest.fixture(scope="module")
def browser():
    # The page comes from a server on 127.0.0.1: that one address is let through, all else blocked.
    with chromium(allow_loopback=True, page_timeout=WAIT) as driver:
        yield driver


@pytest.fixture(scope="module")
def web():
    with cli_server("--max-concurrent", "2") as base:
        yield base


@pytest.fixture(scope="module")
def changed_seed_file(tmp_path_factory) -> Path:
    lines = SEED.read_bytes().split(b"\n")
    assert lines[64].strip() == b"189 |"
    lines[64] = b"190 |"
    path = tmp_path_factory.mktemp("upload") / "改过一个数的报告.txt"
    path.write_bytes(b"\n".join(lines))
    return path


def _wait_for(driver, css: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def _upload(driver, base: str, path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/")
    assert "年度报告自查" in driver.title
    driver.find_element(By.ID, "file").send_keys(str(path))
    driver.find_element(By.ID, "submit").click()


def test_upload_the_seed_and_see_its_grade(browser, web):
    from selenium.webdriver.common.by import By

    expected = check_bytes(SEED.read_bytes(), SEED.name).output["score"]
    _upload(browser, web, SEED)
    grade = _wait_for(browser, "#score .grade")
    assert grade.text == expected["grade"] and grade.is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, "#score .score-num").get_attribute("data-score") == \
        f"{expected['score']:g}"
    assert browser.find_element(By.ID, "gongkai-serve-bar").is_displayed()
    _no_code_ran(browser)


def test_a_changed_number_is_a_highlighted_cell(browser, web, changed_seed_file):
    from selenium.webdriver.common.by import By

    _upload(browser, web, changed_seed_file)
    _wait_for(browser, "#score .grade")
    cell = browser.find_element(By.CSS_SELECTOR, f'td[data-pointer="{CHANGED_POINTER}"]')
    classes = cell.get_attribute("class").split()
    assert {"hl", "sev-error"} <= set(classes)
    assert cell.get_attribute("data-expected") == "189"
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    assert cell.is_displayed() and "应为 189" in cell.text
    # Highlighted means drawn differently from a cell without a finding in the same table.
    quiet = browser.find_element(By.CSS_SELECTOR, 'td.v:not(.hl)[data-pointer^="/tables/t3/"]')
    assert cell.value_of_css_property("background-color") != quiet.value_of_css_property("background-color")


def test_pasted_text_is_checked_too(browser, web):
    from selenium.webdriver.common.by import By

    browser.get(f"{web}/")
    # Typing 12 KB key by key would take long; the box gets its text as a paste would.
    browser.execute_script("document.getElementById('text').value = arguments[0]", SEED.read_text("utf-8"))
    browser.find_element(By.ID, "submit").click()
    assert _wait_for(browser, "#score .grade").text == check_bytes(SEED.read_bytes(), "x.txt").output["score"]["grade"]
    assert "粘贴的文本.txt" in browser.find_element(By.CSS_SELECTOR, "header").text


def test_downloads_need_no_second_upload(browser, web, changed_seed_file, tmp_path):
    from selenium.webdriver.common.by import By

    _upload(browser, web, changed_seed_file)
    _wait_for(browser, "#score .grade")
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    link = browser.find_element(By.ID, "download-json")
    assert link.get_attribute("href").startswith("data:application/json")   # carried by the page itself
    link.click()
    target = tmp_path / link.get_attribute("download")
    deadline = time.monotonic() + WAIT
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert target.exists(), sorted(p.name for p in tmp_path.iterdir())
    findings = json.loads(target.read_text("utf-8"))
    assert findings == check_bytes(changed_seed_file.read_bytes(), changed_seed_file.name).output
    csv_href = browser.find_element(By.ID, "download-csv").get_attribute("href")
    row = base64.b64decode(csv_href.split(",", 1)[1]).decode("utf-8")
    assert "表三/一、本年新收政府信息公开申请数量/自然人" in row and ",190," in row


def test_hostile_file_name_is_shown_not_run(browser, web, changed_seed_file, tmp_path):
    from selenium.webdriver.common.by import By

    name = '<img src=x onerror="window.__pwned=1;alert(1)">.txt'
    hostile = tmp_path / name
    hostile.write_bytes(changed_seed_file.read_bytes())
    _upload(browser, web, hostile)
    _wait_for(browser, "#score .grade")
    _no_code_ran(browser)
    assert name in browser.find_element(By.CSS_SELECTOR, "header").text
    assert not browser.find_elements(By.CSS_SELECTOR, "header img")


def test_an_unreadable_upload_gets_a_chinese_error_page(browser, web, tmp_path):
    from selenium.webdriver.common.by import By

    empty = tmp_path / "<b>空<i>.txt"
    empty.write_bytes(b"   \n")
    _upload(browser, web, empty)
    message = _wait_for(browser, ".error .msg")
    assert "<b>空<i>.txt" in message.text and "没有可读的内容" in message.text
    assert not browser.find_elements(By.CSS_SELECTOR, ".error .msg b")
    assert browser.find_element(By.LINK_TEXT, "返回，重新上传").get_attribute("href") == f"{web}/"
