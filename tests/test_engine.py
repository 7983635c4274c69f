"""Plugins load through the entry-point group; a failing rule or plugin never takes the run down."""

import types

from gongkai.api import finding, hookimpl, rule
from gongkai.pipeline import check_extraction, check_path
from gongkai.plugins import load
from gongkai.readers import read_path
from gongkai.extraction import extract
from conftest import SEED


def test_builtin_rules_come_through_the_entry_point_group():
    cat = load()
    builtin = next(p for p in cat.plugins if p.name == "builtin")
    assert builtin.module == "gongkai_rules" and builtin.distribution == "gongkai" and builtin.version
    # Other installed plugins (e.g. the example one, while someone tries it) add their own codes.
    assert set(builtin.rules) <= {r.code for r in cat.rules}
    import gongkai_rules
    assert set(builtin.rules) == {r.code for r in gongkai_rules.gongkai_rules()}
    assert {"GK-S-001", "GK-T3-01", "GK-C-001"} <= {r.code for r in cat.rules}
    assert not [p for p in cat.problems if "builtin" in p]


def _plugin(*rules):
    mod = types.ModuleType("test_plugin")

    @hookimpl
    def gongkai_rules():
        return list(rules)

    mod.gongkai_rules = gongkai_rules
    return mod


@rule(code="GK-TEST-001", name="会出错的规则", category="内容", severity="error", basis="测试")
def exploding(report):
    """测试用：总是抛出异常。"""
    raise ZeroDivisionError("boom")


@rule(code="GK-TEST-002", name="正常的规则", category="内容", severity="warning", basis="测试")
def working(report):
    """测试用：总是给出一个问题。"""
    yield finding("测试问题", "/parts/overview")


def _check_with(*plugins):
    read = read_path(SEED)
    return check_extraction(read, extract(read.layout), catalogue=load(extra=list(plugins))).output


def test_a_rule_that_raises_becomes_a_finding_and_the_others_still_run():
    out = _check_with(_plugin(exploding, working))
    engine = [f for f in out["findings"] if f["code"] == "GK-E-001"]
    assert len(engine) == 1
    assert engine[0]["rule"] == "GK-TEST-001" and "ZeroDivisionError" in engine[0]["message"]
    assert engine[0]["category"] == "引擎"
    assert any(f["code"] == "GK-TEST-002" for f in out["findings"])
    status = {r["code"]: r["status"] for r in out["rules"]}
    assert status["GK-TEST-001"] == "error" and status["GK-T3-01"] == "passed"
    # the tool's own failure is reported but costs the report nothing
    assert out["score"]["categories"][2]["name"] == "内容"
    assert out["score"]["categories"][2]["deduction"] == 5  # only GK-TEST-002's warning


def test_duplicate_rule_code_is_skipped_and_reported():
    clash = rule(code="GK-S-001", name="冒名规则", category="结构", severity="error", basis="测试")(lambda report: ())
    cat = load(extra=[_plugin(clash)])
    assert [r.name for r in cat.rules if r.code == "GK-S-001"] == ["六个部分齐全"]
    assert any("GK-S-001" in p for p in cat.problems)


def test_a_plugin_whose_hook_raises_is_skipped():
    mod = types.ModuleType("broken_plugin")

    @hookimpl
    def gongkai_rules():
        raise ImportError("missing dependency")

    mod.gongkai_rules = gongkai_rules
    out = _check_with(mod)
    assert any(f["code"] == "GK-E-002" and "missing dependency" in f["message"] for f in out["findings"])
    assert {r["code"] for r in out["rules"]} >= {"GK-S-001", "GK-T3-01"}


def test_every_builtin_rule_is_documented():
    for r in load().rules:
        assert r.code and r.name and r.basis and r.category in ("结构", "勾稽", "内容")
        assert r.severity in ("error", "warning", "info")
        assert r.doc and r.summary.endswith("。"), r.code
        assert {e.kind for e in r.examples} == {"bad", "good"}, r.code


def test_findings_have_stable_fingerprints():
    text = SEED.read_text(encoding="utf-8").replace("邮编:226018", "")
    import tempfile, pathlib
    with tempfile.TemporaryDirectory() as d:
        p = pathlib.Path(d) / "r.txt"
        p.write_text(text, encoding="utf-8")
        a = check_path(p).output["findings"]
        b = check_path(p).output["findings"]
    assert a and [f["fingerprint"] for f in a] == [f["fingerprint"] for f in b]
