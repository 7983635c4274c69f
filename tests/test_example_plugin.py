"""The example plugin in examples/gongkai-provincial, installed the way a user installs it (pip, from its own
pyproject.toml) and run through the command line: listed with its version, its rules fire, `-p` and the
autoload switch behave, its profile fragment works, its own tests pass, its reference pages are current.

pip installs it into a throwaway folder that is put on sys.path for this module only (and on PYTHONPATH
for subprocesses): the shared .venv stays untouched, so other test modules, which expect only the built-in
plugin, are not affected, and nothing needs uninstalling when a run is interrupted.
"""

import importlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongkai.cli import main
from gongkai.plugins import DISABLE_AUTOLOAD_ENV, load
from gongkai.testing import apply_patch, seed_document
from conftest import ROOT

EXAMPLE = ROOT / "examples" / "gongkai-provincial"
VERSION = re.search(r'^version = "([^"]+)"', (EXAMPLE / "pyproject.toml").read_text(encoding="utf-8"), re.M)[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    # Built from a copy, so that setuptools' build/ and *.egg-info never land in the source tree.
    source = tmp_path_factory.mktemp("src") / EXAMPLE.name
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis"))
    target = tmp_path_factory.mktemp("site")
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-input",
           "--disable-pip-version-check", "--target", str(target), str(source)]
    result = None
    if _can_build_offline():
        result = subprocess.run(cmd + ["--no-build-isolation"], capture_output=True, text=True, timeout=600)
    if result is None or result.returncode != 0:
        # pip fetches setuptools into an isolated build environment, as for `make test`'s own install.
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(target))
    importlib.invalidate_caches()
    try:
        yield {"site": target, "source": source}
    finally:
        sys.path.remove(str(target))
        for name in [m for m in sys.modules if m == "gongkai_provincial" or m.startswith("gongkai_provincial.")]:
            del sys.modules[name]
        importlib.invalidate_caches()


def _can_build_offline() -> bool:
    """The venv's own setuptools can build the wheel (the plugin asks for >= 61): no network needed.
    setuptools builds wheels by itself from 70.1; older ones need the `wheel` package."""
    try:
        version = tuple(int(x) for x in importlib.metadata.version("setuptools").split(".")[:2])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return False
    return version >= (70, 1) or importlib.util.find_spec("wheel") is not None


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _write(tmp_path, doc, name="report.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _env(installed, **extra):
    env = {**os.environ, **extra}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(installed["site"]), env.get("PYTHONPATH")]))
    return env


def test_rules_plugins_shows_the_example_with_its_version(installed):
    code, out, err = run("rules", "--plugins")
    assert code == 0 and err == ""
    assert f"  provincial  gongkai-provincial {VERSION}  已安装  模块 gongkai_provincial\n    规则 2 条：SJ-001、SJ-002" in out
    assert "  builtin  gongkai" in out
    code, out, _ = run("rules")
    assert re.search(r"^SJ-001 +警告  内容  省级发布时限：", out, re.M)


def test_the_console_script_in_a_fresh_interpreter_finds_it(installed):
    script = Path(sys.executable).with_name("gongkai")
    cmd = [str(script)] if script.exists() else [sys.executable, "-c", "from gongkai.cli import main; main()"]
    result = subprocess.run(cmd + ["rules", "--plugins"], capture_output=True, text=True, env=_env(installed), timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"provincial  gongkai-provincial {VERSION}" in result.stdout


def test_check_fires_its_rules_on_a_patched_seed(installed, tmp_path):
    doc = apply_patch(seed_document(), {"/meta/publication_date": "2024-01-25",
                                        "/parts/overview/text": "2023年，本办扎实推进主动公开，同步做好政策解读工作。"})
    code, out, _ = run("check", _write(tmp_path, doc), "--format", "json")
    result = json.loads(out)
    findings = {f["code"]: f for f in result["findings"]}
    assert findings["SJ-001"]["severity"] == "warning" and findings["SJ-001"]["evidence"]["days_late"] == 5
    assert "政策解读，但没有给出数量" in findings["SJ-002"]["message"]
    plugin = next(p for p in result["plugins"] if p["name"] == "provincial")
    assert plugin["version"] == VERSION and plugin["rules"] == ["SJ-001", "SJ-002"]
    # The unpatched seed: published date unknown (not assessed), 政策解读95次 reported (passed).
    code, out, _ = run("check", ROOT / "seeds" / "000_5c46bab77c95ce4d.txt", "--format", "json")
    status = {r["code"]: r["status"] for r in json.loads(out)["rules"]}
    assert status["SJ-001"] == "not_assessed" and status["SJ-002"] == "passed"
    # And in the text summary, with the rule's name.
    code, out, _ = run("check", _write(tmp_path, doc))
    assert "[警告] SJ-001 省级发布时限" in out and "晚于本省对部门规定的发布时限2024年1月20日（晚 5 天）" in out


def test_autoload_switch_and_picking_by_name(installed, tmp_path, monkeypatch):
    doc = apply_patch(seed_document(), {"/meta/publication_date": "2024-02-01"})
    report = _write(tmp_path, doc)

    def codes(*args):
        code, out, err = run("check", report, "--format", "json", *args)
        assert code in (0, 1), err
        return {r["code"] for r in json.loads(out)["rules"]}

    assert {"SJ-001", "GK-T3-01"} <= codes()
    assert "SJ-001" not in codes("-p", "no:provincial")
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")
    without = codes()
    assert "SJ-001" not in without and "GK-T3-01" in without        # the built-in plugin stays
    assert "SJ-001" in codes("-p", "provincial")
    assert "SJ-001" in codes("-p", "gongkai-provincial")              # by distribution name, too
    code, out, _ = run("rules", "--plugins")
    assert "已安装但未加载" in out and "provincial  gongkai-provincial" in out.split("已安装但未加载")[1]
    # The switch also holds in a fresh interpreter (the environment variable is read at load time).
    result = subprocess.run([sys.executable, "-c", "from gongkai.cli import main; main()", "rules"],
                            capture_output=True, text=True, env=_env(installed, **{DISABLE_AUTOLOAD_ENV: "1"}),
                            timeout=120)
    assert "SJ-001" not in result.stdout and "GK-T3-01" in result.stdout


def test_explain_shows_a_plugin_rule(installed):
    code, out, _ = run("explain", "sj-001")
    assert code == 0
    assert out.startswith("SJ-001 省级发布时限\n")
    assert "来源：插件 provincial（模块 gongkai_provincial，发行包 gongkai-provincial）" in out
    assert "✗ 反例：部门（南通市人民政府办公室）2023年度报告2024年1月25日发布" in out
    assert "· 报告信息：发布日期（`/meta/publication_date`） 改为“2024-01-25”" in out


def test_the_profile_fragment_works_with_check_profile(installed, tmp_path):
    doc = apply_patch(seed_document(), {"/meta/publication_date": "2024-01-25"})
    report = _write(tmp_path, doc)

    def content(*args):
        code, out, _ = run("check", report, "--format", "json", *args)
        result = json.loads(out)
        return next(c["deduction"] for c in result["score"]["categories"] if c["name"] == "内容"), result

    base, _ = content()
    weighted, result = content("--profile", EXAMPLE / "profile-provincial.yaml")
    assert weighted - base == 5     # SJ-001 deducts 10 instead of a warning's 5
    assert result["score"]["profile"]["version"] == "2026.1"


def test_the_plugins_own_tests_pass(installed):
    # The plugin's tests, run as its author runs them: from its folder, against the installed plugin.
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                            cwd=installed["source"], capture_output=True, text=True, env=_env(installed), timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"\d+ passed", result.stdout)


def test_the_plugins_reference_pages_are_current(installed):
    from gongkai.docs import pages

    generated = pages(load(), ["provincial"])
    committed = {p.name: p.read_text(encoding="utf-8") for p in (EXAMPLE / "docs").glob("*.md")}
    assert committed == generated, ("插件的规则参考页已过时，请运行："
                                    "gongkai docs -o examples/gongkai-provincial/docs --plugin provincial")
