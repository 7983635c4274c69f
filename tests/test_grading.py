"""Scores stay in bounds, fixing a finding never lowers the score, and profiles are validated."""

import pytest
from hypothesis import given, strategies as st

from gongkai.errors import ProfileError
from gongkai.grading import default_profile, grade, parse_profile

CODES = ["GK-S-001", "GK-S-004", "GK-T3-01", "GK-T3-02", "GK-C-001", "GK-C-002", "GK-X-009"]
findings_st = st.lists(st.fixed_dictionaries({
    "code": st.sampled_from(CODES),
    "category": st.sampled_from(["结构", "勾稽", "内容", "引擎"]),
    "severity": st.sampled_from(["error", "warning", "info"]),
}), max_size=40)

profile_st = st.builds(
    lambda w, d, cap, per_rule: parse_profile({
        "categories": dict(zip(["结构", "勾稽", "内容"], w)),
        "deductions": dict(zip(["error", "warning", "info"], d)),
        "rule_cap": cap,
        "rules": {c: {"deduction": v} for c, v in per_rule.items()},
        "grades": [{"name": "优秀", "min": 90}, {"name": "良好", "min": 75}, {"name": "合格", "min": 60},
                   {"name": "不合格", "min": 0}],
    }, "generated"),
    st.lists(st.integers(1, 100), min_size=3, max_size=3),
    st.lists(st.integers(0, 60), min_size=3, max_size=3),
    st.integers(0, 120),
    st.dictionaries(st.sampled_from(CODES), st.integers(0, 80), max_size=3),
)


@given(findings_st, profile_st)
def test_score_in_bounds_and_grade_matches_band(findings, profile):
    s = grade(findings, [], 10, profile)
    assert 0 <= s["score"] <= 100
    expected = next(name for name, low in profile.grades if s["score"] >= low)
    assert s["grade"] == expected
    assert all(0 <= c["score"] <= 100 for c in s["categories"])


@given(findings_st, profile_st, st.data())
def test_fixing_any_one_finding_never_lowers_the_score(findings, profile, data):
    if not findings:
        return
    i = data.draw(st.integers(0, len(findings) - 1))
    before = grade(findings, [], 10, profile)["score"]
    after = grade(findings[:i] + findings[i + 1:], [], 10, profile)["score"]
    assert after >= before


def test_no_findings_scores_full_marks():
    s = grade([], [], 11, default_profile())
    assert (s["score"], s["grade"], s["verdict"]) == (100, "优秀", "通过")


def test_verdicts():
    p = default_profile()
    err = [{"code": "GK-T3-01", "category": "勾稽", "severity": "error"}]
    assert grade(err, [], 11, p)["verdict"] == "需整改"
    many = [{"code": f"R{i}", "name": "", "reason": ""} for i in range(6)]
    assert grade([], many, 11, p)["verdict"] == "无法评定"


def test_profile_may_give_only_what_it_changes():
    p = parse_profile({"rules": {"GK-C-002": {"severity": "info", "deduction": 1}}}, "mine.yaml")
    assert p.weights == default_profile().weights
    assert p.severity("GK-C-002", "warning") == "info" and p.deduction("GK-C-002", "info") == 1


@pytest.mark.parametrize("bad, words", [
    ({"categories": {"结构": 10, "美观": 5}}, "未知类别"),
    ({"deductions": {"error": -1}}, "非负"),
    ({"grades": [{"name": "优秀", "min": 90}]}, "覆盖到 0 分"),
    ({"rules": {"GK-S-001": {"severity": "fatal"}}}, "severity"),
    ("not a mapping", "映射"),
])
def test_bad_profiles_get_chinese_messages(bad, words):
    with pytest.raises(ProfileError, match=words):
        parse_profile(bad, "bad.yaml")


def test_one_rule_takes_at_most_its_cap_and_a_category_never_goes_below_zero():
    p = default_profile()                       # error 20 points, rule cap 40
    three = [{"code": "GK-T3-01", "category": "勾稽", "severity": "error"}] * 3
    s = grade(three, [], 10, p)
    arith = next(c for c in s["categories"] if c["name"] == "勾稽")
    assert arith["deduction"] == 40 and arith["score"] == 60          # 60 points asked, 40 taken
    assert s["score"] == 84.0                                          # 0.3*100 + 0.4*60 + 0.3*100
    many = [{"code": f"GK-T3-0{i}", "category": "勾稽", "severity": "error"} for i in range(1, 5)] * 3
    arith = next(c for c in grade(many, [], 10, p)["categories"] if c["name"] == "勾稽")
    assert arith["score"] == 0 and arith["deduction"] == 100
    mine = parse_profile({"rules": {"GK-T3-01": {"cap": 10}}}, "p.yaml")
    arith = next(c for c in grade(three, [], 10, mine)["categories"] if c["name"] == "勾稽")
    assert arith["deduction"] == 10
