#!/usr/bin/env bash
# Installs headless Chromium, its driver and CJK fonts for the browser test of the HTML report
# (tests/test_html_browser.py). Does nothing when they are already there; needs root and apt-get,
# which CI has. Without root it says so and exits 0: the browser test then skips with that reason.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
# Without a CJK font Chromium draws the Chinese text as boxes in the screenshot.
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "install-browser: 需要 root 和 apt-get 才能安装 ${need[*]}，浏览器测试将跳过。" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "install-browser: 安装 ${need[*]}" >&2
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
