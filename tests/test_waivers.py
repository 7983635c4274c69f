"""Waivers accept a known finding by fingerprint, with a reason; stale ones are reported."""

import json

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from gongkai.cli import main
from conftest import ROOT, SEED


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def prose_finding():
    _, out, _ = run("check", SEED, "--format", "json")
    return next(f for f in json.loads(out)["findings"] if f["code"] == "GK-P-001")


def test_a_waived_finding_costs_nothing_and_keeps_its_reason(tmp_path, prose_finding):
    w = tmp_path / "waivers.yaml"
    w.write_text(f"waivers:\n  - fingerprint: {prose_finding['fingerprint']}\n    code: GK-P-001\n"
                 f"    reason: 文中数字指自然人申请，已与评估机构确认\n", encoding="utf-8")
    code, out, _ = run("check", SEED, "--format", "json", "--waivers", w)
    doc = json.loads(out)
    assert code == 0 and doc["score"]["score"] == 100
    assert [f["code"] for f in doc["findings"]] == ["GK-S-006"]
    [waived] = doc["waived"]
    assert waived["fingerprint"] == prose_finding["fingerprint"] and "自然人" in waived["waiver"]["reason"]
    assert {r["code"]: r["status"] for r in doc["rules"]}["GK-P-001"] == "waived"
    schema = json.loads((ROOT / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(doc)) == []
    _, text, _ = run("check", SEED, "--waivers", w)
    assert "已豁免（1 项，不扣分）" in text and "豁免理由：文中数字指自然人申请" in text


def test_a_waiver_that_matches_nothing_or_has_expired_is_reported(tmp_path, prose_finding):
    w = tmp_path / "waivers.yaml"
    w.write_text("waivers:\n  - fingerprint: 0123456789abcdef\n    reason: 早已改正\n"
                 f"  - fingerprint: {prose_finding['fingerprint']}\n    reason: 临时接受\n    until: 2020-01-01\n",
                 encoding="utf-8")
    _, out, _ = run("check", SEED, "--format", "json", "--waivers", w)
    doc = json.loads(out)
    stale = [f for f in doc["findings"] if f["code"] == "GK-E-003"]
    assert len(stale) == 2 and doc["waived"] == []
    assert any("没有匹配到任何问题" in f["message"] for f in stale)
    assert any("已于 2020-01-01 到期" in f["message"] for f in stale)
    assert doc["score"]["score"] == 98          # the expired waiver accepted nothing; engine notes cost nothing


@pytest.mark.parametrize("text, words", [
    ("waivers: 1", "waivers 列表"),
    ("waivers:\n  - fingerprint: abc\n    reason: x", "16 位指纹"),
    ("waivers:\n  - fingerprint: 0123456789abcdef", "必须说明理由"),
    ("waivers:\n  - fingerprint: 0123456789abcdef\n    reason: x\n    until: 明年", "until 应是日期"),
])
def test_malformed_waiver_files_exit_2_in_chinese(tmp_path, text, words):
    w = tmp_path / "w.yaml"
    w.write_text(text, encoding="utf-8")
    code, _, err = run("check", SEED, "--waivers", w)
    assert code == 2 and words in err
