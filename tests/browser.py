"""Headless Chromium for the browser tests (the HTML report and the web page).

Chromium, its driver and CJK fonts are Debian packages installed by `scripts/install-browser.sh`
(run by `make test`, and here when they are missing and we are root). Without root the tests skip
and say why; under CI (`CI` set) a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
DRIVER = Path("/usr/bin/chromedriver")
INSTALL = ROOT / "scripts" / "install-browser.sh"


def unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI 必须运行浏览器测试：{reason}")
    pytest.skip(reason)


@contextlib.contextmanager
def chromium(allow_loopback: bool = False, page_timeout: int = 60, extra: tuple[str, ...] = ()) -> Iterator:
    """A selenium driver for headless Chromium that can fetch nothing from outside.

    Every host name resolves to "not found", so a page cannot load anything; `allow_loopback` lets
    127.0.0.1 through, for pages served by a local `gongkai serve`."""
    if not (CHROMIUM.exists() and DRIVER.exists()):
        if os.geteuid() == 0 and shutil.which("apt-get"):
            subprocess.run(["bash", str(INSTALL)], check=False, timeout=1200)
        if not (CHROMIUM.exists() and DRIVER.exists()):
            unavailable("没有 /usr/bin/chromium 和 /usr/bin/chromedriver，且无法安装（需要 root 和 apt-get；"
                        "运行 scripts/install-browser.sh）")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        unavailable("没有安装 selenium（测试依赖：pip install -e '.[test]'）")
    # Selenium Manager would try to download drivers and send statistics; we give it both paths.
    os.environ.setdefault("SE_AVOID_STATS", "true")
    profile = tempfile.mkdtemp(prefix="gongkai-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    rules = "MAP * ~NOTFOUND" + (", EXCLUDE 127.0.0.1" if allow_loopback else "")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--lang=zh-CN", "--window-size=1280,900", f"--user-data-dir={profile}",
                 f"--host-resolver-rules={rules}", *extra):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    driver.set_page_load_timeout(page_timeout)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def run_in_terminal(argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run a command with a pseudo-terminal as its stdout and stderr: what a user at a terminal sees."""
    import pty
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(), b"".join(chunks).decode("utf-8")
