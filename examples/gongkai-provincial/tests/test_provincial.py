"""The plugin's rules: their documented examples, properties over generated reports, and the command line."""

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from gongkai.api import Context, Finding, NotAssessed, Passed, Report
from gongkai.testing import apply_patch, report_text, reports, run_example

import gongkai_provincial
from gongkai_provincial.rules import RULES, chinese_number, month_day, policy_interpretation, provincial_deadline
from conftest import PROFILE, run_gongkai

EXAMPLES = [(r, e) for r in RULES for e in r.examples]
DEPARTMENTS = ("南通市人民政府办公室", "某某市生态环境局", "某某区司法局")


def _findings(outcomes):
    return [o for o in outcomes if isinstance(o, Finding)]


# -- the documented examples are the first tests --------------------------------------------------

def test_the_hook_returns_both_rules_with_their_documentation():
    assert [r.code for r in gongkai_provincial.gongkai_rules()] == ["SJ-001", "SJ-002"]
    for r in RULES:
        assert r.name and r.basis and r.doc and r.summary.endswith("。")
        assert {e.kind for e in r.examples} == {"bad", "good"}


@pytest.mark.parametrize("rule, example", EXAMPLES, ids=[f"{r.code}-{e.kind}-{i}" for i, (r, e) in enumerate(EXAMPLES)])
def test_documented_example(rule, example):
    outcomes = run_example(rule, example)
    if example.kind == "bad":
        assert _findings(outcomes), example.description
    else:
        assert not _findings(outcomes) and not [o for o in outcomes if isinstance(o, NotAssessed)], example.description


# -- SJ-001 省级发布时限 ------------------------------------------------------------------------------

@given(doc=reports(), body=st.sampled_from(DEPARTMENTS), offset=st.integers(-90, 120),
       setting=st.sampled_from(["1月20日", "01-15", "2月1日", "1/31"]))
def test_deadline_fires_exactly_when_published_after_the_configured_date(doc, body, offset, setting):
    month, day = month_day(setting, "deadline")
    deadline = date(doc["meta"]["report_year"] + 1, month, day)
    doc["meta"].update(issuing_body=body, publication_date=(deadline + timedelta(days=offset)).isoformat())
    outcomes = provincial_deadline.run(Report(doc), Context(options={"deadline": setting}))
    found = _findings(outcomes)
    assert bool(found) == (offset > 0)
    if found:
        assert found[0].evidence["days_late"] == offset and found[0].evidence["deadline"] == deadline.isoformat()


@given(reports())
def test_an_unknown_publication_date_is_never_taken_as_on_time(doc):
    # The generated reports state no publication date: a department's report cannot be judged.
    outcomes = provincial_deadline.run(Report(doc), Context())
    assert not _findings(outcomes)
    department = not doc["meta"]["issuing_body"].endswith(("人民政府", "街道办事处"))
    assert bool([o for o in outcomes if isinstance(o, NotAssessed)]) == department


def test_government_and_township_deadlines_apply_only_when_the_profile_sets_them(seed):
    doc = apply_patch(seed, {"/meta/issuing_body": "某某县人民政府", "/meta/publication_date": "2024-03-10"})
    assert not _findings(provincial_deadline.run(Report(doc), Context()))
    [f] = _findings(provincial_deadline.run(Report(doc), Context(options={"government_deadline": "3月1日"})))
    assert f.evidence["applies_to"] == "县级以上人民政府" and f.evidence["days_late"] == 9
    doc["meta"]["issuing_body"] = "某某镇人民政府"
    [f] = _findings(provincial_deadline.run(Report(doc), Context(options={"township_deadline": "02-20"})))
    assert f.evidence["option"] == "township_deadline"


def test_a_malformed_deadline_setting_says_so_in_chinese(seed):
    doc = apply_patch(seed, {"/meta/publication_date": "2024-01-10"})
    with pytest.raises(ValueError, match="应写作“1月20日”或“01-20”"):
        provincial_deadline.run(Report(doc), Context(options={"deadline": "2月30日"}))


# -- SJ-002 政策解读数量 ------------------------------------------------------------------------------

SENTENCES = ["开展政策解读{n}次", "发布政策解读材料{n}篇", "解读政策文件{n}件", "全年共发布{n}篇政策解读",
             "政策解读 {n} 次"]


@given(doc=reports(), n=st.integers(0, 5000), sentence=st.sampled_from(SENTENCES))
def test_a_stated_count_is_found(doc, n, sentence):
    doc["parts"]["overview"]["text"] += "\n（六）政策解读。本年度" + sentence.format(n=n) + "。"
    outcomes = policy_interpretation.run(Report(doc), Context())
    assert not _findings(outcomes)
    [p] = [o for o in outcomes if isinstance(o, Passed)]
    assert f"（{n}" in p.note


@given(doc=reports(), filler=st.sampled_from(["同步做好政策解读工作", "加强政策解读和回应关切", "解读工作有序开展"]))
def test_a_mention_without_a_count_is_reported_and_quoted(doc, filler):
    doc["parts"]["overview"]["text"] += "\n" + filler + "。"
    [f] = _findings(policy_interpretation.run(Report(doc), Context()))
    assert filler in f.message and f.key == "no-count"


@pytest.mark.parametrize("text, value", [("95", 95), ("十二", 12), ("一百零五", 105), ("两千", 2000), ("十", 10),
                                         ("三十", 30), ("各", None)])
def test_chinese_numbers(text, value):
    assert chinese_number(text) == value


# -- through the command line: installed plugin, real reader, profile fragment ----------------------

def test_rules_plugins_lists_this_plugin_with_its_version():
    code, out, _ = run_gongkai("rules", "--plugins")
    assert code == 0
    assert f"provincial  gongkai-provincial {gongkai_provincial.__version__}" in out and "SJ-001、SJ-002" in out


def test_check_fires_the_rules_on_a_patched_seed(seed, check_document):
    doc = apply_patch(seed, {"/meta/publication_date": "2024-01-25",
                             "/parts/overview/text": "2023年，本机关扎实推进主动公开，同步做好政策解读工作。"})
    out = check_document(doc)
    codes = {f["code"]: f for f in out["findings"]}
    assert {"SJ-001", "SJ-002"} <= set(codes)
    assert "晚 5 天" in codes["SJ-001"]["message"] and codes["SJ-001"]["location"]["pointer"] == "/meta/publication_date"
    assert "provincial" in {p["name"] for p in out["plugins"]}


@settings(max_examples=5)
@given(reports(year=2023))
def test_through_the_real_reader(doc):
    # A generated report laid out as text and read back: part 一 never mentions 解读, so SJ-002 fires.
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "report.txt"
        path.write_text(report_text(doc), encoding="utf-8")
        code, out, err = run_gongkai("check", path, "--format", "json")
    result = json.loads(out)
    status = {r["code"]: r["status"] for r in result["rules"]}
    assert status["SJ-002"] == "failed"
    assert status["SJ-001"] in ("not_assessed", "passed")   # no publication date in the text


def test_the_profile_fragment_weights_and_configures_the_rules(seed, check_document, tmp_path):
    late = apply_patch(seed, {"/meta/publication_date": "2024-01-25"})

    def content_deduction(out):
        return next(c["deduction"] for c in out["score"]["categories"] if c["name"] == "内容")

    default = check_document(late)
    weighted = check_document(late, "--profile", str(PROFILE))
    # The fragment deducts 10 for SJ-001 instead of the default 5 for a warning.
    assert content_deduction(weighted) - content_deduction(default) == 5
    assert weighted["score"]["profile"]["name"] == "示例省评分方案（含 gongkai-provincial）"
    later = tmp_path / "later.yaml"
    later.write_text(PROFILE.read_text(encoding="utf-8").replace("deadline: 1月20日", "deadline: 1月31日"),
                     encoding="utf-8")
    relaxed = check_document(late, "--profile", str(later))
    assert "SJ-001" not in {f["code"] for f in relaxed["findings"]}
