"""The command as users run it: output, exit codes, and clear Chinese errors for bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from gongkai.cli import main
from conftest import CORPUS, ROOT, SEED, SEED_EXPECTED


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_check_seed_text_output():
    code, out, _ = run("check", SEED)
    assert code == 0
    assert "得分：98 / 100　等级：优秀　结论：通过" in out
    assert "✓ GK-T3-01 表三纵向勾稽" in out and "0513-85099125" in out


def test_check_json_output_is_valid_against_the_findings_schema():
    code, out, _ = run("check", SEED, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    schema = json.loads((ROOT / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(doc)) == []
    assert doc["report"]["issuing_body"] == "南通市人民政府办公室"
    assert "builtin" in {p["name"] for p in doc["plugins"]}


def test_error_findings_exit_1_and_json_stays_valid(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(SEED.read_text(encoding="utf-8").replace("189 |", "188 |", 1), encoding="utf-8")
    code, out, _ = run("check", bad, "--format", "json")
    assert code == 1
    doc = json.loads(out)
    schema = json.loads((ROOT / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(doc)) == []
    assert {f["code"] for f in doc["findings"] if f["severity"] == "error"} == {"GK-T3-01", "GK-T3-03"}
    code, out, _ = run("check", bad)
    assert "[错误] GK-T3-01 表三纵向勾稽" in out and "表三 一、本年新收政府信息公开申请数量 × 总计，原文第 71 行" in out


def test_extract_json_lists_every_cell_with_its_source():
    code, out, _ = run("extract", SEED, "--format", "json")
    cells = json.loads(out)
    assert code == 0 and len(cells) == 200
    first = cells[0]
    assert first == {"table": "二", "row": "第二十条第（一）项/规章", "column": "本年制发件数", "value": 2, "raw": "2",
                     "source": {"line": 17}}
    assert {"table": "三", "row": "（三）不予公开/1.属于国家秘密", "column": "自然人", "value": 1, "raw": "1",
            "source": {"line": 103}} in cells
    assert cells[-1]["row"] == "行政诉讼/复议后起诉" and cells[-1]["column"] == "总计"


def test_extract_csv_and_document():
    code, out, _ = run("extract", SEED, "--format", "csv")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "table,row,column,value,raw,source" and len(lines) == 201
    code, out, _ = run("extract", SEED, "--format", "document")
    assert json.loads(out) == json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))


def test_json_document_is_accepted_as_input(tmp_path):
    code, out, _ = run("check", SEED_EXPECTED, "--format", "json")
    assert code == 0 and json.loads(out)["report"]["format"] == "json"
    broken = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    broken["tables"]["t4"]["review"]["total"]["value"] = -3
    p = tmp_path / "broken.json"
    p.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    code, _, err = run("check", p)
    assert code == 2 and "不符合年报文档格式" in err and "/tables/t4/review/total/value" in err


def test_gbk_encoded_report_reads_the_same(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(SEED.read_text(encoding="utf-8").encode("gbk"))
    _, utf8, _ = run("extract", SEED, "--format", "json")
    code, out, _ = run("extract", gbk, "--format", "json")
    assert code == 0 and out == utf8


def test_rules_lists_every_rule():
    code, out, _ = run("rules")
    assert code == 0
    for c in ("GK-S-001", "GK-S-002", "GK-S-003", "GK-S-004", "GK-S-005", "GK-T3-01", "GK-T3-02", "GK-T3-03",
              "GK-T4-01", "GK-C-001", "GK-C-002"):
        assert c in out


def test_profile_changes_the_grade(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(SEED.read_text(encoding="utf-8").replace(",邮编:226018", ""), encoding="utf-8")
    _, out, _ = run("check", bad, "--format", "json")
    assert json.loads(out)["score"]["score"] == 96.5
    prof = tmp_path / "p.yaml"
    prof.write_text("rules:\n  GK-C-002: {enabled: false}\n", encoding="utf-8")
    _, out, _ = run("check", bad, "--format", "json", "--profile", prof)
    doc = json.loads(out)
    assert doc["score"]["score"] == 98 and "GK-C-002" not in {r["code"] for r in doc["rules"]}


@pytest.mark.parametrize("content, words", [
    (b"", "没有可读的内容"),
    (b"\x00\x01\x02\xff" * 100, "不是文本文件"),
    (b"%PDF-1.7\n%garbage", "PDF"),
    (b"\xff\xfe\xfa\xfb\x81\x30" * 10, "编码无法识别"),
    (b"{\"a\": ", "不是有效的 JSON"),
    (b"[" * 100000, "不是有效的 JSON"),
    (b"{\"schema_version\": \"1\"}", "不符合年报文档格式"),
    ("床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n".encode(), "未找到年度报告的任何部分或统计表"),
    (b"   \n\n  ", "没有可读的内容"),
])
def test_bad_input_gets_a_chinese_message_and_exit_2(tmp_path, content, words):
    p = tmp_path / "input.bin"
    p.write_bytes(content)
    code, out, err = run("check", p)
    assert code == 2, (out, err)
    assert words in err and "Traceback" not in err + out


def test_usage_errors_exit_2_in_chinese(tmp_path):
    code, _, err = run("check", tmp_path / "nope.txt")
    assert code == 2 and "找不到文件" in err
    code, _, err = run("check", tmp_path)
    assert code == 2 and "文件夹" in err
    code, _, err = run("check", SEED, "--format", "xml")
    assert code == 2 and "参数不对" in err
    code, _, err = run("check", SEED, "--profile", tmp_path / "none.yaml")
    assert code == 2 and "找不到评分方案文件" in err


def test_output_file_is_written_whole(tmp_path):
    target = tmp_path / "out.json"
    code, _, _ = run("check", SEED, "--format", "json", "-o", target)
    assert code == 0 and json.loads(target.read_text(encoding="utf-8"))["score"]["score"] == 98
    assert not list(tmp_path.glob("*.part"))


def test_installed_console_script_runs_without_traceback(tmp_path):
    exe = Path(sys.executable).with_name("gongkai")
    p = tmp_path / "x.txt"
    p.write_bytes(b"\x00" * 50)
    done = subprocess.run([str(exe), "check", str(p)], capture_output=True, text=True)
    assert done.returncode == 2 and "错误：" in done.stderr and "Traceback" not in done.stderr
    done = subprocess.run([str(exe), "check", str(SEED)], capture_output=True, text=True)
    assert done.returncode == 0 and "等级：优秀" in done.stdout


CORPUS_FILES = sorted(CORPUS.glob("excerpt-*.txt"))


def test_the_shared_corpus_is_present():
    # CI lays shared/ beside the clone; without it the corpus tests below would silently not run.
    assert len(CORPUS_FILES) >= 20, f"corpus not found at {CORPUS}"


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_every_corpus_excerpt_is_checked_without_traceback_and_names_what_is_missing(path):
    code, out, err = run("check", path, "--format", "json")
    assert code in (0, 1), err
    doc = json.loads(out)
    assert doc["report"]["missing"], "the excerpts are cut short, so something must be reported missing"
    for f in doc["findings"]:
        if f["code"] == "GK-S-001":
            assert "未找到第" in f["message"]
    _, text, _ = run("check", path)
    assert "未找到：" in text


def test_oversized_file_is_refused_before_reading(tmp_path):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(60 * 1024 * 1024)   # sparse: costs no disk, but stat() says 60 MB
    code, _, err = run("check", big)
    assert code == 2 and "文件过大" in err and "50 MB" in err


@pytest.mark.parametrize("args, words", [
    (["check", "--format", "xml", "x.txt"], "参数不对：--format 只能是 text、json、html、sarif、junit。"),
    (["check"], "缺少参数 FILE。"),
    (["check", "x.txt", "--prior"], "选项 --prior 后面要写上它的值。"),
    (["nosuchcmd"], "没有“nosuchcmd”这个命令。"),
    (["check", "a.txt", "b.txt"], "多了参数：b.txt。"),
])
def test_usage_errors_are_said_in_chinese(args, words):
    code, _, err = run(*args)
    assert code == 2 and words in err
    assert not any(w in err for w in ("Invalid value", "Missing argument", "No such command", "requires an"))
