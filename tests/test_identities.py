"""Identities written in YAML by their labels: the mechanism behind every 勾稽 rule."""

import pytest

from gongkai.api import Context, Finding, NotAssessed
from gongkai.document import Report
from gongkai.grading import parse_profile
from gongkai.identities import RuleFileError, resolve, rules_from_yaml
from gongkai.pipeline import check_extraction
from gongkai.plugins import load
from gongkai.readers import read_path
from gongkai.extraction import extract
from gongkai.testing import apply_patch, seed_document
from conftest import SEED


def test_cells_are_named_by_their_labels():
    [t] = resolve("表三 （三）不予公开/1.属于国家秘密 × 自然人")
    assert t.pointer == "/tables/t3/results/withheld/state_secret/natural_person"
    assert len(resolve("表三 （四）无法提供/* × 总计")) == 3
    [t] = resolve("上年 表三 四、结转下年度继续办理 × 总计")
    assert t.prior and t.pointer == "/tables/t3/carried_forward/total"
    [t] = resolve("-表二 第二十条第（一）项/规章 × 本年废止件数")
    assert t.sign == -1
    # spacing and punctuation width do not matter
    assert resolve("表三 (三)不予公开/1.属于国家秘密 × 自然人") == resolve("表三 （三）不予公开/1.属于国家秘密×自然人")


EVALUATOR = """
identities:
  - code: PG-001
    name: 不予公开占比不超过三成
    severity: warning
    basis: 某评估机构指标 3.2
    relation: （三）不予公开 ≤ 0.3 ×（七）总计
    left: ["表三 （三）不予公开/* × 总计"]
    op: "<="
    right: ["表三 （七）总计 × 总计"]
    doc: 不予公开的申请不应多于办理总数。
    examples:
      - bad: 不予公开 300 件
        patch: {"表三 （三）不予公开/1.属于国家秘密 × 总计": 300}
      - good: 不予公开 12 件
"""


def test_an_evaluator_adds_an_identity_without_python():
    [rule] = rules_from_yaml("evaluator.yaml", EVALUATOR)
    assert (rule.code, rule.severity, rule.category) == ("PG-001", "warning", "勾稽")
    assert rule.summary == "不予公开的申请不应多于办理总数。"
    doc = apply_patch(seed_document(), rule.examples[0].patch)
    [f] = [o for o in rule.run(Report(doc), Context()) if isinstance(o, Finding)]
    assert f.evidence["actual"] == 311 and f.evidence["expected"] == 200 and f.evidence["operator"] == "<="
    assert "不满足 311 ≤ 200" in f.message
    read = read_path(SEED)
    out = check_extraction(read, extract(read.layout), catalogue=load(extra=[_as_plugin([rule])])).output
    assert {r["code"]: r["status"] for r in out["rules"]}["PG-001"] == "passed"


def _as_plugin(rules):
    import types
    from gongkai.api import hookimpl
    mod = types.ModuleType("evaluator_rules")
    mod.gongkai_rules = hookimpl(lambda: rules)
    return mod


def test_profile_tolerance_reaches_the_rule():
    rule = next(r for r in load().rules if r.code == "GK-T3-03")
    doc = apply_patch(seed_document(), {"/tables/t3/new_received/total": 201})
    assert any(isinstance(o, Finding) for o in rule.run(Report(doc), Context()))
    profile = parse_profile({"rules": {"GK-T3-03": {"tolerance": 1}}}, "p.yaml")
    assert profile.options("GK-T3-03") == {"tolerance": 1}
    assert not any(isinstance(o, Finding) for o in rule.run(Report(doc), Context(options=profile.options("GK-T3-03"))))


def test_cross_year_rule_without_prior_is_not_assessed():
    rule = next(r for r in load().rules if r.code == "GK-T3-05")
    outcomes = rule.run(Report(seed_document()), Context())
    assert outcomes and all(isinstance(o, NotAssessed) and "--prior" in o.reason for o in outcomes)


@pytest.mark.parametrize("text, words", [
    ("identities: 3", "identities 列表"),
    ("identities:\n  - code: X-1\n    name: a\n    left: ['表五 规章 × 件数']\n    right: []", "无法理解的单元格写法"),
    ("identities:\n  - code: X-1\n    name: a\n    left: ['表三 不存在的行 × 自然人']\n    right: []", "没有“不存在的行”这一行"),
    ("identities:\n  - code: X-1\n    name: a\n    left: ['表三 （七）总计 × 法人']\n    right: []", "没有“法人”这一列"),
    ("identities:\n  - code: x1\n    name: a\n    left: []\n    right: []", "编号"),
    ("identities:\n  - code: X-1\n    left: []\n    right: []", "缺少 name"),
    ("identities:\n  - code: X-1\n    name: a\n    op: '!='\n    left: []\n    right: []", "op 应为"),
    ("identities: [", "不是有效的 YAML"),
])
def test_malformed_rules_files_get_chinese_messages(text, words):
    with pytest.raises(RuleFileError, match=words):
        rules_from_yaml("bad.yaml", text)
