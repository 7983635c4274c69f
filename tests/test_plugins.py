"""The plugin contract and how plugins are chosen: every hookspec documented and exercised; installed
plugins that are broken, switched off or picked by name; local rules files named or found next to the report."""

import inspect
import json
import shutil
import sys
import textwrap
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongkai import hookspecs
from gongkai.api import Finding, NotAssessed, Rule
from gongkai.cli import main
from gongkai.plugins import DISABLE_AUTOLOAD_ENV, autoload_enabled, load, manager
from gongkai.testing import run_example
from conftest import ROOT, SEED


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


# -- every hookspec is documented (with an example) and exercised through the plugin manager -----------

HOOKSPECS = {name: fn for name, fn in vars(hookspecs).items() if callable(fn) and hasattr(fn, "gongkai_spec")}


def _example_code(fn) -> str:
    doc = inspect.getdoc(fn) or ""
    _, marker, rest = doc.partition("Example::")
    assert marker, f"{fn.__name__}: 文档中没有 Example:: 一节"
    return textwrap.dedent(rest).strip("\n")


def _exercise_gongkai_rules(results):
    # pluggy returns one result per implementation; the example plugin is the only one registered.
    [rules] = results
    assert rules and all(isinstance(r, Rule) for r in rules)
    for r in rules:
        assert r.doc and {e.kind for e in r.examples} == {"bad", "good"}
        for example in r.examples:
            found = [o for o in run_example(r, example) if isinstance(o, (Finding, NotAssessed))]
            assert bool(found) == (example.kind == "bad"), (r.code, example.description)


# One checker per hookspec: a hookspec added without one here fails test_every_hookspec_is_exercised.
EXERCISES = {"gongkai_rules": _exercise_gongkai_rules}


def test_there_are_hookspecs_and_each_has_an_exercise():
    assert HOOKSPECS
    assert set(EXERCISES) == set(HOOKSPECS)


@pytest.mark.parametrize("name", sorted(HOOKSPECS))
def test_every_hookspec_is_documented_with_an_example(name):
    fn = HOOKSPECS[name]
    doc = inspect.getdoc(fn)
    assert doc and len(doc.split("Example::")[0].strip()) > 40, f"{name}: 说明太短"
    code = _example_code(fn)
    assert "@hookimpl" in code and f"def {name}(" in code
    compile(code, f"<{name} example>", "exec")
    assert name in (ROOT / "docs" / "api.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(HOOKSPECS))
def test_every_hookspec_is_exercised_through_the_plugin_manager(name):
    plugin = types.ModuleType(f"example_of_{name}")
    exec(compile(_example_code(HOOKSPECS[name]), f"<{name} example>", "exec"), plugin.__dict__)
    pm = manager()
    pm.register(plugin)
    results = getattr(pm.hook, name)()
    EXERCISES[name](results)
    # And the engine's own loader takes the same example plugin.
    assert load(extra=[plugin], autoload=False).problems == []


# -- installed plugins: synthetic distributions on sys.path -------------------------------------------

GOOD_PLUGIN = '''
from gongkai.api import hookimpl, rule, finding, bad, good

@rule(code="ZZ-001", name="测试插件规则", category="内容", severity="warning", basis="测试",
      examples=(bad("任何报告"), good("不会有")))
def always(report):
    """测试用：总是给出一个问题。"""
    yield finding("测试插件发现的问题", "/parts/overview")

@hookimpl
def gongkai_rules():
    return [always]
'''


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A folder on sys.path where `install` puts a module and its distribution metadata, as pip would."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    modules = []

    def install(dist: str, version: str, entry: str, module: str, source: str) -> None:
        (folder / f"{module}.py").write_text(source, encoding="utf-8")
        info = folder / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8")
        (info / "entry_points.txt").write_text(f"[gongkai.rules]\n{entry} = {module}\n", encoding="utf-8")
        modules.append(module)

    yield install
    for m in modules:
        sys.modules.pop(m, None)


def test_a_plugin_that_fails_to_import_is_reported_and_skipped(site):
    site("gongkai-broken", "1.2.3", "broken", "zz_broken_plugin", "import a_module_that_does_not_exist\n")
    site("gongkai-zz", "0.9.0", "zz", "zz_good_plugin", GOOD_PLUGIN)
    code, out, err = run("rules", "--plugins")
    assert code == 0
    assert "  broken  gongkai-broken 1.2.3  已安装  模块 zz_broken_plugin" in out
    assert "加载失败，已跳过：ModuleNotFoundError: No module named 'a_module_that_does_not_exist'" in out
    assert "  zz  gongkai-zz 0.9.0  已安装  模块 zz_good_plugin\n    规则 1 条：ZZ-001" in out
    assert "插件 broken（zz_broken_plugin）加载失败，已跳过" in err
    # The check still runs every other rule, and says which plugin failed.
    code, out, _ = run("check", SEED, "--format", "json")
    doc = json.loads(out)
    assert any(f["code"] == "GK-E-002" and "zz_broken_plugin" in f["message"] for f in doc["findings"])
    assert {"ZZ-001", "GK-T3-01"} <= {r["code"] for r in doc["rules"]}
    broken = next(p for p in doc["plugins"] if p["name"] == "broken")
    assert broken["version"] == "1.2.3" and "ModuleNotFoundError" in broken["error"]


def test_autoload_can_be_switched_off_and_a_plugin_picked_by_name(site, monkeypatch):
    site("gongkai-zz", "0.9.0", "zz", "zz_good_plugin", GOOD_PLUGIN)
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "1")
    code, out, _ = run("rules", "--plugins")
    assert "自动加载：关闭" in out
    assert "  builtin  gongkai" in out.split("已安装但未加载")[0]   # pytest keeps its own plugins too
    assert "  zz  gongkai-zz 0.9.0  已安装  模块 zz_good_plugin：自动加载已关闭" in out
    code, out, _ = run("rules")
    assert "ZZ-001" not in out and "GK-T3-01" in out
    # Picked by entry-point name after the command, before it, or by distribution name.
    for args in (["rules", "-p", "zz"], ["-p", "zz", "rules"], ["rules", "-p", "gongkai-zz"], ["rules", "-p", "gongkai_zz"]):
        code, out, _ = run(*args)
        assert code == 0 and "ZZ-001" in out, args
    code, out, _ = run("check", SEED, "--format", "json", "-p", "zz")
    assert "ZZ-001" in {f["code"] for f in json.loads(out)["findings"]}
    code, out, _ = run("-p", "zz", "rules", "--plugins")
    assert "  zz  gongkai-zz 0.9.0  -p 选用  模块 zz_good_plugin\n    规则 1 条：ZZ-001" in out
    monkeypatch.setenv(DISABLE_AUTOLOAD_ENV, "0")
    assert autoload_enabled()
    code, out, _ = run("rules")
    assert "ZZ-001" in out


def test_p_no_blocks_a_plugin_even_the_builtin(site):
    site("gongkai-zz", "0.9.0", "zz", "zz_good_plugin", GOOD_PLUGIN)
    code, out, _ = run("rules", "-p", "no:zz")
    assert "ZZ-001" not in out and "GK-T3-01" in out
    code, out, _ = run("-p", "no:builtin", "rules")
    codes = [line.split()[0] for line in out.splitlines()]
    assert "ZZ-001" in codes and not [c for c in codes if c.startswith("GK-")]
    code, out, _ = run("rules", "--plugins", "-p", "no:builtin")
    assert "builtin  gongkai" in out and "已用 -p no:builtin 停用" in out


def test_p_with_an_importable_module_that_is_not_an_entry_point(tmp_path, monkeypatch):
    (tmp_path / "zz_module_plugin.py").write_text(GOOD_PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "zz_module_plugin", raising=False)
    code, out, _ = run("rules", "--plugins", "-p", "zz_module_plugin")
    assert "  zz_module_plugin  -p 选用  模块 zz_module_plugin\n    规则 1 条：ZZ-001" in out
    sys.modules.pop("zz_module_plugin", None)


def test_an_unknown_plugin_name_is_a_usage_error_with_close_names(site):
    site("gongkai-zz", "0.9.0", "provincial-zz", "zz_good_plugin", GOOD_PLUGIN)
    code, out, err = run("rules", "-p", "provincal-zz")
    assert code == 2 and out == ""
    assert "找不到插件“provincal-zz”" in err and "是不是要找：provincial-zz" in err
    code, _, err = run("check", SEED, "-p", "nothing_like_this")
    assert code == 2 and "已安装的插件：builtin" in err


def test_a_misspelt_hook_or_an_invalid_hookimpl_is_reported(site):
    site("gongkai-typo", "0.1", "typo", "zz_typo_plugin",
         "from gongkai.api import hookimpl\n\n@hookimpl\ndef gongkai_rule():\n    return []\n")
    site("gongkai-args", "0.1", "args", "zz_args_plugin",
         "from gongkai.api import hookimpl\n\n@hookimpl\ndef gongkai_rules(report):\n    return []\n")
    cat = load()
    assert any("实现了未知的钩子 gongkai_rule" in p and "gongkai_rules" in p for p in cat.problems)
    args = next(p for p in cat.plugins if p.name == "args")
    assert args.error and "PluginValidationError" in args.error
    assert any(r.code == "GK-T3-01" for r in cat.rules)


# -- local rules files --------------------------------------------------------------------------------

LOCAL_PY = '''
"""一个不必打包的本地规则文件。"""
from gongkai.api import rule, finding, passed, bad, good

@rule(code="LOCAL-001", name="标题写明年度", category="结构", severity="info", basis="本单位内部要求",
      aliases=("LOCAL-OLD",), examples=(bad("标题没有年度", {"/meta/title": "政府信息公开工作年度报告"}), good("种子报告")))
def title_year(report):
    """标题应写明报告年度。"""
    title = report.meta.get("title") or ""
    if str(report.year) in title:
        yield passed("标题写明了年度", "/meta/title")
    else:
        yield finding("标题没有写明年度。", "/meta/title")

RULES = [title_year]
'''

LOCAL_HOOK_PY = '''
from gongkai.api import hookimpl, rule, finding

@rule(code="LOCAL-002", name="总是提醒", category="内容", severity="warning", basis="测试")
def remind(report):
    """测试用：总是提醒一次。"""
    yield finding("请人工复核第五部分。", "/parts/problems")

@hookimpl
def gongkai_rules():
    return [remind]
'''

LOCAL_YAML = '''
identities:
  - code: LOCAL-Y01
    name: 予以公开不超过总计
    severity: warning
    basis: 本单位内部要求
    left: ["表三 （一）予以公开 × 总计"]
    op: "<="
    right: ["表三 （七）总计 × 总计"]
    doc: 予以公开的件数不应超过办理结果总计。
'''


def _report_in(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / "report.txt"
    shutil.copyfile(SEED, report)
    return report


def _check_json(*args):
    code, out, err = run("check", *args, "--format", "json")
    assert code in (0, 1), err
    return json.loads(out), err


def test_local_files_named_on_the_command_line(tmp_path):
    py = tmp_path / "my_rules.py"
    py.write_text(LOCAL_PY.replace('"/meta/title": "政府信息公开工作年度报告"', '"/meta/report_year": 2099'), encoding="utf-8")
    hook = tmp_path / "hook_rules.py"
    hook.write_text(LOCAL_HOOK_PY, encoding="utf-8")
    yml = tmp_path / "checks.yaml"
    yml.write_text(LOCAL_YAML, encoding="utf-8")
    doc, err = _check_json(SEED, "--rules", py, "--rules", hook, "--rules", yml)
    status = {r["code"]: r["status"] for r in doc["rules"]}
    assert status["LOCAL-001"] == "passed" and status["LOCAL-Y01"] == "passed" and status["LOCAL-002"] == "failed"
    assert "GK-T3-01" in status
    local = {p["name"]: p for p in doc["plugins"] if p["name"].startswith("本地:")}
    assert local[f"本地:{yml}"]["rules"] == ["LOCAL-Y01"] and local[f"本地:{hook}"]["rules"] == ["LOCAL-002"]
    assert f"已加载本地规则文件 {py}：LOCAL-001" in err and "在报告所在文件夹中找到" not in err
    # The same files work for listing and explaining rules.
    code, out, _ = run("rules", "--rules", py, "--rules", yml)
    assert "LOCAL-001" in out and "LOCAL-Y01" in out
    code, out, _ = run("explain", "local-old", "--rules", py)
    assert code == 0 and "LOCAL-OLD 是 LOCAL-001 的旧编号" in out and "本地规则文件" in out


def test_local_files_found_next_to_the_report(tmp_path):
    report = _report_in(tmp_path / "reports")
    (report.parent / "gongkai_local_rules.py").write_text(LOCAL_PY, encoding="utf-8")
    (report.parent / "gongkai_local_rules.yaml").write_text(LOCAL_YAML, encoding="utf-8")
    doc, err = _check_json(report)
    codes = {r["code"] for r in doc["rules"]}
    assert {"LOCAL-001", "LOCAL-Y01", "GK-T3-01"} <= codes
    assert "gongkai_local_rules.py（在报告所在文件夹中找到）：LOCAL-001" in err
    assert "gongkai_local_rules.yaml（在报告所在文件夹中找到）：LOCAL-Y01" in err
    # Named as well as found: loaded once.
    doc, err = _check_json(report, "--rules", report.parent / "gongkai_local_rules.py")
    assert err.count("LOCAL-001") == 1 and not [f for f in doc["findings"] if f["code"] == "GK-E-002"]
    doc, err = _check_json(report, "--no-local-rules")
    assert not {"LOCAL-001", "LOCAL-Y01"} & {r["code"] for r in doc["rules"]} and err == ""
    # A report elsewhere does not see them.
    other = _report_in(tmp_path / "elsewhere")
    doc, _ = _check_json(other)
    assert "LOCAL-001" not in {r["code"] for r in doc["rules"]}


@pytest.mark.parametrize("name, content, words", [
    ("gongkai_local_rules.py", "def broken(:\n", "执行出错：SyntaxError"),
    ("gongkai_local_rules.py", "raise RuntimeError('缺少配置')\n", "执行出错：RuntimeError: 缺少配置"),
    ("gongkai_local_rules.py", LOCAL_PY.replace("RULES = [title_year]", ""), "既没有 gongkai_rules 钩子，也没有 RULES 列表。文件中声明了规则 LOCAL-001"),
    ("gongkai_local_rules.yaml", "identities:\n  - code: bad code\n    name: x\n    left: []\n    right: []\n", "编号应写作大写字母"),
    ("gongkai_local_rules.yaml", "identities: [\n", "不是有效的 YAML"),
])
def test_a_broken_local_file_is_reported_and_the_rest_still_run(tmp_path, name, content, words):
    report = _report_in(tmp_path)
    (tmp_path / name).write_text(content, encoding="utf-8")
    doc, err = _check_json(report)
    [problem] = [f for f in doc["findings"] if f["code"] == "GK-E-002"]
    assert words in problem["message"] and "其他规则照常运行" in problem["message"]
    assert f"{name}（在报告所在文件夹中找到）未能加载，已跳过" in err
    assert {r["code"]: r["status"] for r in doc["rules"]}["GK-T3-01"] == "passed"
    local = next(p for p in doc["plugins"] if p["name"].startswith("本地:"))
    assert words in local["error"]


def test_a_missing_or_unknown_kind_of_local_file_is_reported(tmp_path):
    text = tmp_path / "rules.txt"
    text.write_text("x", encoding="utf-8")
    doc, err = _check_json(SEED, "--rules", tmp_path / "absent.py", "--rules", text)
    messages = [f["message"] for f in doc["findings"] if f["code"] == "GK-E-002"]
    assert any("找不到本地规则文件" in m for m in messages) and any("类型无法识别" in m for m in messages)


def test_a_local_rule_cannot_take_a_builtin_code(tmp_path):
    clash = tmp_path / "clash.py"
    clash.write_text(LOCAL_PY.replace("LOCAL-001", "GK-T3-01"), encoding="utf-8")
    cat = load(rule_files=[clash])
    assert [r.name for r in cat.rules if r.code == "GK-T3-01"] == ["表三纵向勾稽"]
    assert any("GK-T3-01" in p and "重复" in p for p in cat.problems)


def test_the_conventional_names_are_documented_in_the_guide():
    from gongkai.localrules import CONVENTIONAL_NAMES

    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    for name in CONVENTIONAL_NAMES:
        assert name in guide
    assert DISABLE_AUTOLOAD_ENV in guide and "-p no:" in guide and "--no-local-rules" in guide
